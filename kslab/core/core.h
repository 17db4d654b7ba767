/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The allocator core: geometry, GFP types and sleep rules, event
 * counters, slab pages, the CPU and node partial layers, the large path
 * and the kmalloc cache table. It calls down into check/ only.
 */
#ifndef KSLAB_CORE_CORE_H
#define KSLAB_CORE_CORE_H

#include <linux/gfp.h>
#include <linux/hash.h>
#include <linux/irqflags.h>
#include <linux/jump_label.h>
#include <linux/mm.h>
#include <linux/preempt.h>
#include <linux/rcupdate.h>
#include <linux/sched/mm.h>
#include <linux/wait_bit.h>

#include "../check/check.h"
#include "../types.h"

/* stats.c */
DECLARE_STATIC_KEY_TRUE(kslab_stats_on);

bool kslab_stats_enabled(void);
void kslab_stats_gfp_modifiers(gfp_t gfp);
void kslab_stats_gfp(gfp_t gfp, bool atomic);
void kslab_stats_pages(struct page *page, unsigned int order, bool taken);
void kslab_stats_large(size_t size, unsigned int order, bool alloc);
void kslab_stats_show_gfp(struct seq_file *m);
void kslab_stats_show_large(struct seq_file *m);
void kslab_stats_reset(void);
long kslab_stats_pages_held(void);

/*
 * Per-call counters, per CPU so the allocation path touches no shared
 * cache line: one per flag class, then the atomic-context count.
 */
#define KSLAB_CTX_ATOMIC	KSLAB_NR_GFP_CLASSES
DECLARE_PER_CPU(unsigned long, kslab_call_count[KSLAB_NR_GFP_CLASSES + 1]);

/* Every modifier class's bits: plain GFP_KERNEL skips their loop. */
#define KSLAB_GFP_MODIFIER_MASK	(__GFP_DMA | __GFP_RECLAIMABLE | \
				 __GFP_ACCOUNT | __GFP_ZERO | __GFP_NOWARN | \
				 __GFP_NOFAIL | __GFP_NORETRY | \
				 __GFP_RETRY_MAYFAIL)

/*
 * Count one allocation call of @gfp per flag class, and whether it came
 * from @atomic context (kslab_atomic_now(), read before IRQs went off).
 * IRQs off: the fast path counts inside its own locked section, so the
 * counters cost no IRQ toggle of their own. Inline: no call on the fast
 * path.
 */
static __always_inline void __kslab_stats_gfp(gfp_t gfp, bool atomic)
{
	if (gfp & __GFP_DIRECT_RECLAIM)
		__this_cpu_inc(kslab_call_count[KSLAB_GFP_BLOCKING]);
	else if (gfp & __GFP_HIGH)
		__this_cpu_inc(kslab_call_count[KSLAB_GFP_ATOMIC_CLASS]);
	else
		__this_cpu_inc(kslab_call_count[KSLAB_GFP_NOWAIT_CLASS]);
	if (unlikely(gfp & KSLAB_GFP_MODIFIER_MASK))
		kslab_stats_gfp_modifiers(gfp);
	if (atomic)
		__this_cpu_inc(kslab_call_count[KSLAB_CTX_ATOMIC]);
}

/* boot.c */
extern struct kslab_boot kslab_boot;

const char *kslab_boot_src_name(unsigned int src);
void kslab_boot_defaults(struct kslab_boot *b);
char *kslab_boot_cmdline(void);
void kslab_boot_release(struct kslab_boot *b);
int kslab_boot_parse(struct kslab_boot *b, const char *cmdline,
		     unsigned int src);
slab_flags_t kslab_boot_cache_flags(const struct kslab_boot *b,
				    slab_flags_t flags, const char *name);
int kslab_boot_init(void);
int kslab_boot_override(const char *name, const char *val);
void kslab_boot_exit(void);

/* geometry.c */
extern struct kslab_params kslab_params;
extern u8 kslab_size_index_table[24];

static inline unsigned int kslab_size_index_elem(unsigned int bytes)
{
	return (bytes - 1) / 8;
}

/* mm/slab_common.c:kmalloc_slab()'s size to index (size_index[], fls()). */
static __always_inline unsigned int __kslab_size_index(size_t size)
{
	if (size <= 192)
		return kslab_size_index_table[kslab_size_index_elem(size)];
	return fls(size - 1);
}

void kslab_params_init(unsigned int nr_cpus, unsigned int minalign,
		       const struct kslab_boot *b);
unsigned int kslab_size_index(size_t size);
bool kslab_index_exists(unsigned int index);
unsigned int kslab_index_size(unsigned int index);
unsigned int kslab_kmalloc_align(unsigned int size);
unsigned int kslab_calculate_order(unsigned int size);
int kslab_calculate_order_ver(unsigned int size, bool v2);
unsigned int kslab_get_order(unsigned long size);
unsigned int kslab_calculate_alignment(slab_flags_t flags, unsigned int align,
				       unsigned int size);
/* kmem_cache_args.freeptr_offset not used (!use_freeptr_offset). */
#define KSLAB_NO_FREEPTR	UINT_MAX
bool kslab_calculate_sizes(unsigned int object_size, unsigned int align,
			   slab_flags_t flags, bool ctor, unsigned int freeptr,
			   unsigned int min_objects, struct kslab_geom *g);
bool kslab_layout_cache(unsigned int object_size, unsigned int align,
			slab_flags_t flags, bool ctor, unsigned int freeptr,
			unsigned int min_objects, struct kslab_geom *g);
unsigned int kslab_min_objects_now(void);

/*
 * include/linux/slab.h: KMALLOC_NOT_NORMAL_BITS (v6.1: MEMCG_KMEM,
 * v6.12: MEMCG).
 */
#define KSLAB_NOT_NORMAL_BITS	(__GFP_RECLAIMABLE |			\
				 (IS_ENABLED(CONFIG_ZONE_DMA) ? __GFP_DMA : 0) | \
				 (KSLAB_HAVE_MEMCG_KMEM ? __GFP_ACCOUNT : 0))

/*
 * The cache type of an allocation. Mirrors kmalloc_type() in
 * include/linux/slab.h: normal (or, with RANDOM_KMALLOC_CACHES, one of 16
 * copies picked by hashing @caller with random_kmalloc_seed), then by
 * priority __GFP_DMA, __GFP_RECLAIMABLE, __GFP_ACCOUNT. __GFP_DMA32,
 * __GFP_HIGHMEM and __GFP_MOVABLE do not change the type.
 */
static __always_inline enum kslab_cache_type
__kslab_kmalloc_type(gfp_t gfp, unsigned long caller)
{
	if (likely(!(gfp & KSLAB_NOT_NORMAL_BITS))) {
#if KSLAB_RANDOM_NR
		return KSLAB_RANDOM_START +
		       hash_64(caller ^ random_kmalloc_seed,
			       ilog2(KSLAB_RANDOM_NR + 1));
#else
		return KSLAB_NORMAL;
#endif
	}
	if (IS_ENABLED(CONFIG_ZONE_DMA) && (gfp & __GFP_DMA))
		return KSLAB_DMA;
	if (!KSLAB_HAVE_MEMCG_KMEM || (gfp & __GFP_RECLAIMABLE))
		return KSLAB_RECLAIM;
	return KSLAB_CGROUP;
}

/* gfp.c */
enum kslab_cache_type kslab_kmalloc_type(gfp_t gfp, unsigned long caller);
gfp_t kslab_gfp_fix(gfp_t gfp, unsigned long caller);
gfp_t kslab_gfp_check_context(gfp_t gfp, unsigned long caller);
const char *kslab_atomic_context(void);

/*
 * True in any context kslab_atomic_context() would name: every one of
 * them shows in preempt_count(), irqs_disabled() or the RCU nesting.
 */
static __always_inline bool kslab_atomic_now(void)
{
#ifdef CONFIG_PREEMPT_RCU
	if (rcu_preempt_depth())
		return true;
#endif
	return preempt_count() || irqs_disabled();
}

/*
 * slab_pre_alloc_hook()'s flag work, shared by every allocation entry:
 * the sleep rule and kmalloc_fix_flags(). The flag-class counters are
 * taken where each path already has IRQs off, with *@atomic telling them
 * the caller's context (read here, before any lock).
 */
static __always_inline gfp_t kslab_gfp_prepare(gfp_t gfp, unsigned long caller,
					       bool *atomic)
{
	*atomic = kslab_atomic_now();
	if (gfpflags_allow_blocking(gfp)) {
		if (unlikely(*atomic))
			gfp = kslab_gfp_check_context(gfp, caller);
		else
			might_alloc(gfp);
	}
	if (unlikely(gfp & KSLAB_GFP_FIXUP_MASK))
		gfp = kslab_gfp_fix(gfp, caller);
	return gfp;
}

/* cache.c */
extern struct kslab_cache *kslab_caches[KSLAB_NR_TYPES][KSLAB_NR_INDEX];
int kslab_caches_create(bool memcg_nokmem);
void kslab_caches_destroy(void);
struct kslab_cache *kslab_cache_of(size_t size, gfp_t gfp,
				   unsigned long caller);

/* mm/slab_common.c:kmalloc_slab(), for 0 < @size <= KMALLOC_MAX_CACHE_SIZE. */
static __always_inline struct kslab_cache *
__kslab_cache_of(size_t size, gfp_t gfp, unsigned long caller)
{
	return kslab_caches[__kslab_kmalloc_type(gfp, caller)][__kslab_size_index(size)];
}

bool kslab_cache_is_alias(unsigned int type, unsigned int index);
void kslab_cache_kernel_name(const struct kslab_cache *s, char *buf,
			     size_t len);
gfp_t kslab_type_gfp(enum kslab_cache_type type);
gfp_t kslab_cache_allocflags(slab_flags_t flags, unsigned int order);
struct kslab_cache *kslab_cache_new(const char *name);
unsigned long kslab_type_caller(enum kslab_cache_type type);
size_t kslab_slab_ksize(const struct kslab_cache *s);

void kslab_cache_counts(struct kslab_cache *s, struct kslab_counts *c);
unsigned long kslab_cache_active(struct kslab_cache *s);

/* page.c: slab pages, their marks, carving */
extern unsigned long kslab_slab_key;

/*
 * The body of kslab_slab_lookup(), inline for kfree()'s fast path: the
 * folio's private field names the descriptor when its index field holds
 * the same pointer mixed with kslab_slab_key, and the descriptor must own
 * this very folio. Under rcu_read_lock().
 */
static __always_inline struct kslab_slab *__kslab_slab_lookup(const void *p)
{
	struct kslab_slab *slab;
	struct folio *folio;
	unsigned long tag;

	if (unlikely(!virt_addr_valid(p)))
		return NULL;
	folio = virt_to_folio(p);
	/* Pairs with kslab_slab_mark(): the tag and descriptor are set. */
	slab = (struct kslab_slab *)smp_load_acquire(&folio->private);
	tag = READ_ONCE(folio->index);
	if (unlikely(!slab || ((unsigned long)slab ^ kslab_slab_key) != tag ||
		     slab->folio != folio))
		return NULL;
	return slab;
}

/*
 * Where @p falls in @slab of a cache: an object's start, its index in
 * *@idx (KSLAB_NR_REPORT_ITEMS), or the finding to report: outside the
 * objects or a discarded slab (invalid), inside an object (interior).
 * Reads only @slab and its cache; under rcu_read_lock(). The free fast
 * path's first test, so inline.
 */
static __always_inline enum kslab_report_item
kslab_slab_locate(const struct kslab_slab *slab, const void *p,
		  unsigned int *idx)
{
	const struct kslab_cache *s = slab->cache;
	unsigned long off = p - slab->base - s->geom.red_left_pad;

	/* The lookup matched the folio: off < folio size, or p < first. */
	if (unlikely(off >= PAGE_SIZE << slab->order || READ_ONCE(slab->dead)))
		return KSLAB_REPORT_INVALID_FREE;
	*idx = kslab_off_index(s, off);
	if (unlikely(*idx >= slab->objects))
		return off < slab->objects * s->geom.size ?
		       KSLAB_REPORT_INTERIOR_FREE : KSLAB_REPORT_INVALID_FREE;
	return KSLAB_NR_REPORT_ITEMS;
}

/*
 * A call that sleeps with objects of @s in hand (a sheaf refill, a bulk
 * allocation) is outside any section kslab_cache_destroy()'s grace
 * period covers: it pins @s, and destroy waits for every pin to go
 * (kslab_cache_wait_pins()) before it frees a slab. Pinned in such a
 * section, or after a check of ->dying in one, as RCU orders them.
 */
static inline void kslab_cache_pin(struct kslab_cache *s)
{
	atomic_inc(&s->refilling);
}

static inline void kslab_cache_unpin(struct kslab_cache *s)
{
	if (atomic_dec_and_test(&s->refilling))
		wake_up_var(&s->refilling);
}

/* After ->dying and a grace period: no call holds objects of @s. */
static inline void kslab_cache_wait_pins(struct kslab_cache *s)
{
	wait_var_event(&s->refilling, !atomic_read(&s->refilling));
}

/*
 * The node an allocation of a slab may ask for: one that is no valid id
 * (below NUMA_NO_NODE, or MAX_NUMNODES and up) or has no normal memory
 * is no constraint. mm/slub.c:___slab_alloc() drops it so (v6.1, v6.12:
 * !node_isset(node, slab_nodes); v7.x the same in ___slab_alloc()), for
 * debug caches too; the page allocator would read NODE_DATA() of it.
 */
static inline int kslab_node_usable(int node)
{
	if (node != NUMA_NO_NODE && ((unsigned int)node >= MAX_NUMNODES ||
				     !node_state(node, N_NORMAL_MEMORY)))
		return NUMA_NO_NODE;
	return node;
}

/*
 * Whether @obj, read from a freelist of @slab, is a free object of it: an
 * object's start inside the slab, neither live nor held (a freelist walk
 * marks what it has seen held). A write after free over a free pointer
 * fails this, and kslab then never follows or writes through it: SLUB's
 * check_valid_pointer() and freelist_corrupted() under SLUB_DEBUG, on
 * every freelist pop. Sets *@idx. Under the lock that owns the freelist.
 */
static __always_inline bool kslab_free_obj(const struct kslab_cache *s,
					   const struct kslab_slab *slab,
					   const void *obj, unsigned int *idx)
{
	unsigned long off = obj - slab->base - s->geom.red_left_pad;

	/* kslab_off_index() needs off below 2^32: bound it first. */
	if (unlikely(off >= (unsigned long)slab->objects * s->geom.size))
		return false;
	*idx = kslab_off_index(s, off);
	return likely(*idx < slab->objects && !READ_ONCE(slab->live[*idx]));
}

/*
 * What @p is in @slab of a cache: the start of a live object
 * (KSLAB_NR_REPORT_ITEMS), or the finding to report: those of
 * kslab_slab_locate(), or a free object (use after free).
 */
static inline enum kslab_report_item
kslab_slab_obj_state(struct kslab_slab *slab, const void *p)
{
	enum kslab_report_item state;
	unsigned int idx;

	state = kslab_slab_locate(slab, p, &idx);
	if (state == KSLAB_NR_REPORT_ITEMS && !kslab_slab_live(slab, idx))
		return KSLAB_REPORT_USE_AFTER_FREE;
	return state;
}

/*
 * What any @p is to kslab, and in *@slabp the slab or large allocation
 * holding it (NULL for memory kslab did not hand out): a live object's or
 * large allocation's start (KSLAB_NR_REPORT_ITEMS), or the misuse. Under
 * rcu_read_lock().
 */
static inline enum kslab_report_item
kslab_ptr_state(const void *p, struct kslab_slab **slabp)
{
	struct kslab_slab *slab = __kslab_slab_lookup(p);

	*slabp = slab;
	if (!slab)
		return KSLAB_REPORT_INVALID_FREE;
	if (slab->cache)
		return kslab_slab_obj_state(slab, p);
	/* v6.12 __ksize(): WARN_ON(object != folio_address()) for large. */
	return p == slab->base ? KSLAB_NR_REPORT_ITEMS :
				 KSLAB_REPORT_INTERIOR_FREE;
}

struct kslab_slab *kslab_slab_desc_alloc(unsigned int objects, gfp_t gfp);
void kslab_slab_desc_free(struct kslab_slab *slab);
void kslab_slab_desc_free_rcu(struct kslab_slab *slab);
void kslab_slab_key_init(void);
void kslab_slab_mark(struct kslab_slab *slab);
void kslab_slab_unmark(struct kslab_slab *slab);
struct kslab_slab *kslab_slab_lookup(const void *p);
int kslab_init_random_seq(struct kslab_cache *s);
struct kslab_slab *kslab_new_slab(struct kslab_cache *s, gfp_t gfp, int node);
void kslab_free_slab(struct kslab_slab *slab);
void kslab_build_freelist(struct kslab_cache *s, struct kslab_slab *slab);
gfp_t kslab_meta_gfp(gfp_t gfp);

/* cpu.c: the per-CPU fast path and ___slab_alloc() */
void kslab_cache_set_division(struct kslab_cache *s);
int kslab_cache_open(struct kslab_cache *s);
void kslab_cache_close(struct kslab_cache *s);
void *kslab_slab_alloc(struct kslab_cache *s, size_t size, gfp_t gfp,
		       int node, unsigned long caller, bool atomic);
void kslab_slab_free(struct kslab_slab *slab, void *p, unsigned long caller);
void *kslab_slab_alloc_slow(struct kslab_cache *s, gfp_t gfp, int node,
			    unsigned long *flags, struct kslab_slab **slabp);
void kslab_put_cpu_partial(struct kslab_cache *s, struct kslab_slab *slab);
int kslab_slab_alloc_bulk(struct kslab_cache *s, gfp_t gfp, size_t nr,
			  void **p, unsigned long caller, bool atomic);
void kslab_flush_all(struct kslab_cache *s);
void kslab_flush_cpu_dead(struct kslab_cache *s, unsigned int cpu);
void __kslab_cache_shrink(struct kslab_cache *s);
void kslab_slab_release_all(struct kslab_cache *s);

/* sheaf.c: the per-CPU sheaves and the barn (KSLAB_SHEAVES) */
unsigned int kslab_sheaf_capacity(const struct kslab_cache *s,
				  unsigned int want);
int kslab_sheaves_open(struct kslab_cache *s);
void kslab_sheaves_close(struct kslab_cache *s);
void *kslab_pcs_alloc_slow(struct kslab_cache *s, gfp_t gfp, int node,
			   unsigned long *flags, struct kslab_slab **slabp);
void kslab_pcs_free_slow(struct kslab_cache *s, struct kslab_slab *slab,
			 void *p, unsigned long *flags);
bool kslab_sheaves_alloc_bulk(struct kslab_cache *s, gfp_t gfp, size_t nr,
			      void **p);
void kslab_sheaves_flush_all(struct kslab_cache *s);
void kslab_sheaves_flush_dead(struct kslab_cache *s, unsigned int cpu);
void kslab_barn_shrink(struct kslab_cache *s);
void kslab_sheaves_counts(struct kslab_cache *s, struct kslab_counts *k);

/* partial.c: the node partial list and its policies */
struct kslab_slab *kslab_get_partial(struct kslab_cache *s,
				     struct kslab_cpu *c, int node,
				     void **freelist);
void kslab_put_partials(struct kslab_cache *s, struct kslab_slab *slab);
void kslab_retire_corrupt(struct kslab_cache *s, struct kslab_slab *slab,
			  const void *bad);
void kslab_deactivate_slab(struct kslab_cache *s, struct kslab_slab *slab,
			   void *freelist);
void kslab_add_partial(struct kslab_node *n, struct kslab_slab *slab,
		       bool tail);
void kslab_remove_partial(struct kslab_node *n, struct kslab_slab *slab);
void __kslab_add_slab(struct kslab_cache *s, struct kslab_slab *slab);
void kslab_add_slab(struct kslab_cache *s, struct kslab_slab *slab);
void kslab_unlink_slab(struct kslab_cache *s, struct kslab_slab *slab);
bool __kslab_slab_free(struct kslab_cache *s, struct kslab_slab *slab,
		       void *p);
void kslab_node_shrink(struct kslab_cache *s);
void kslab_node_release_all(struct kslab_cache *s);
unsigned long kslab_slab_report_live(struct kslab_cache *s);

/* single.c: debug caches, one object at a time under list_lock */
void *kslab_alloc_single(struct kslab_cache *s, size_t size, gfp_t gfp,
			 int node, unsigned long caller);
void kslab_free_single(struct kslab_slab *slab, void *p,
		       unsigned long caller);

/* large.c: allocations above KMALLOC_MAX_CACHE_SIZE */
void *kslab_large_alloc(size_t size, gfp_t gfp, int node,
			unsigned long caller);
void kslab_large_free(struct kslab_slab *slab, const void *p,
		      unsigned long caller);
void kslab_large_release_all(void);

#endif /* KSLAB_CORE_CORE_H */
