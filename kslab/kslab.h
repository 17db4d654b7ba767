/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kslab internal header: the shadow kmalloc's structures and the
 * cross-file prototypes, grouped per file.
 */
#ifndef KSLAB_KSLAB_H
#define KSLAB_KSLAB_H

#include <linux/bits.h>
#include <linux/hashtable.h>
#include <linux/jump_label.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/numa.h>
#include <linux/rcupdate.h>
#include <linux/seq_file.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#include "compat.h"

struct dentry;

/* Format version of every debugfs file kslab writes. */
#define KSLAB_DEBUGFS_VERSION	2

/*
 * Size-class indices mirror kmalloc_info[] in mm/slab_common.c: index 1 is
 * the 96-byte class, 2 the 192-byte class, and n >= 3 is 2^n bytes.
 */
#define KSLAB_SHIFT_HIGH	(PAGE_SHIFT + 1)	/* KMALLOC_SHIFT_HIGH */
#define KSLAB_SHIFT_MAX		(KSLAB_MAX_PAGE_ORDER + PAGE_SHIFT)
#define KSLAB_MAX_CACHE_SIZE	BIT(KSLAB_SHIFT_HIGH)
#define KSLAB_MAX_SIZE		BIT(KSLAB_SHIFT_MAX)
#define KSLAB_NR_INDEX		(KSLAB_SHIFT_HIGH + 1)

/*
 * Cache types, in the order of enum kmalloc_cache_type (v6.12,
 * include/linux/slab.h). Types the kernel is not configured for are never
 * chosen (dma without ZONE_DMA, cg without memcg kmem) or alias the
 * normal caches (rcl with SLUB_TINY, cg with cgroup.memory=nokmem).
 */
enum kslab_cache_type {
	KSLAB_NORMAL = 0,
	KSLAB_RANDOM_START = KSLAB_NORMAL,
	KSLAB_RANDOM_END = KSLAB_RANDOM_START + KSLAB_RANDOM_NR,
	KSLAB_RECLAIM,
	KSLAB_DMA,
	KSLAB_CGROUP,
	KSLAB_NR_TYPES
};

/* Findings kslab reports and counts; reported once per ratelimit burst. */
enum kslab_report_item {
	KSLAB_REPORT_INVALID_FREE,	/* Pointer kslab never handed out */
	KSLAB_REPORT_DOUBLE_FREE,	/* Object already free */
	KSLAB_REPORT_INTERIOR_FREE,	/* Pointer inside an object */
	KSLAB_REPORT_BAD_GFP,		/* Bits kmalloc_fix_flags() strips */
	KSLAB_REPORT_OVERSIZE,		/* Request above KMALLOC_MAX_SIZE */
	KSLAB_REPORT_LEAK,		/* Object live at cache destruction */
	KSLAB_REPORT_ATOMIC_SLEEP,	/* Blocking gfp in atomic context */
	KSLAB_REPORT_WRONG_CACHE,	/* Freed through another cache */
	KSLAB_REPORT_RED_ZONE,		/* Red zone or padding overwritten */
	KSLAB_REPORT_POISON,		/* Write to a free object */
	KSLAB_REPORT_FREELIST,		/* Free pointer corrupt */
	KSLAB_REPORT_CACHE_BUSY,	/* Cache destroyed with live objects */
	KSLAB_REPORT_BAD_ARGS,		/* kslab_cache_create() refused */
	KSLAB_NR_REPORT_ITEMS
};

/* One recorded finding: a sleep-rule violation, a bad free, bad flags. */
struct kslab_violation {
	enum kslab_report_item item;
	const void *object;		/* Printed hashed only */
	unsigned long caller;		/* Return address into the caller */
	gfp_t gfp;			/* Flags as passed */
	const char *context;		/* "hardirq", "spinlock/preempt-off", ... */
	pid_t pid;
	char comm[16];			/* TASK_COMM_LEN */
	char cache[32];			/* Cache name, or "" */
	int offset;			/* First bad byte in the object, or -1 */
	u8 found;			/* Its value */
	u8 expected;			/* The value it should have */
	unsigned long alloc_addr;	/* STORE_USER: allocation call site */
	unsigned long free_addr;	/* STORE_USER: last free call site */
};

/*
 * What a running KUnit test receives from kslab through its named
 * resource KSLAB_KUNIT_RESOURCE: a count per finding and the newest
 * record. Tests read this instead of the console.
 */
#define KSLAB_KUNIT_RESOURCE	"kslab_findings"
struct kslab_findings {
	unsigned int count[KSLAB_NR_REPORT_ITEMS];
	struct kslab_violation last[KSLAB_NR_REPORT_ITEMS];
};

/*
 * The STORE_USER record, laid out as struct track in mm/slub.c so that
 * the debug metadata has SLUB's size (32 bytes with STACKDEPOT, 24
 * without, on 64-bit). kslab keeps no stack, so handle stays 0.
 */
struct kslab_track {
	unsigned long addr;		/* Call site */
#ifdef CONFIG_STACKDEPOT
	u32 handle;			/* depot_stack_handle_t */
#endif
	int cpu;
	int pid;
	unsigned long when;		/* jiffies */
};

/* Inputs to the geometry, derived once at init from the running kernel. */
struct kslab_params {
	unsigned int kmalloc_minalign;	/* ARCH_KMALLOC_MINALIGN */
	unsigned int min_size;		/* KMALLOC_MIN_SIZE */
	unsigned int shift_low;		/* KMALLOC_SHIFT_LOW */
	unsigned int boot_minalign;	/* __kmalloc_minalign() (v6.12) */
	unsigned int slab_minalign;	/* arch_slab_minalign() */
	unsigned int nr_cpus;		/* CPUs seen by calculate_order() */
	unsigned int min_objects;	/* slub_min_objects or automatic */
	unsigned int min_order;		/* slub_min_order */
	unsigned int max_order;		/* slub_max_order */
	slab_flags_t debug_flags;	/* slub_debug= for the kmalloc caches */
};

/* What calculate_sizes() and calculate_order() produce for one cache. */
struct kslab_geom {
	slab_flags_t flags;		/* Cache flags the layout was made for */
	bool poison;			/* __OBJECT_POISON */
	unsigned int red_left_pad;	/* Left red zone; objects start here */
	unsigned int track;		/* STORE_USER tracks' offset, or 0 */
	unsigned int meta_end;		/* End of metadata, start of padding */
	unsigned int object_size;	/* Requested object size */
	unsigned int size;		/* Stride: object plus metadata */
	unsigned int align;		/* s->align */
	unsigned int inuse;		/* Offset to metadata */
	unsigned int offset;		/* Free pointer offset */
	unsigned int order;		/* oo_order(s->oo) */
	unsigned int objects;		/* oo_objects(s->oo) */
	unsigned int min_order;		/* oo_order(s->min) */
	unsigned int min_objects;	/* oo_objects(s->min) */
	unsigned int min_partial;	/* Empty slabs kept on the partial list */
};

/* Per-cache counters, kept only while the stats=1 parameter is set. */
struct kslab_cache_stats {
	unsigned long allocs;		/* Objects handed out */
	unsigned long frees;		/* Objects returned */
	u64 bytes_req;			/* Sum of requested sizes */
	u64 bytes_alloc;		/* Sum of object sizes handed out */
};

struct kslab_cache {
	raw_spinlock_t lock;		/* Protects lists, slabs and counters */
	struct list_head partial;	/* Slabs with free objects */
	struct list_head full;		/* Slabs without free objects */
	unsigned long nr_partial;
	unsigned long nr_slabs;
	unsigned long total_objects;	/* Objects in all slabs */
	unsigned long active_objects;	/* Objects handed out */
	unsigned long nr_pages;		/* Pages held by the slabs */
	struct kslab_cache_stats stats;	/* Under lock, with kslab_stats_on */
	atomic_long_t failures;		/* Allocations that returned NULL */
	struct kslab_geom geom;
	gfp_t allocflags;		/* Added to every slab page allocation */
	enum kslab_cache_type type;
	unsigned int index;		/* Size-class index it was created for */
	unsigned long quarantined;	/* Corrupt objects kept out of use */
	atomic_long_t ctor_calls;	/* Constructor runs */
	void (*ctor)(void *object);
	bool failslab;			/* Chosen by the fail/cache-filter knob */
	struct list_head list;		/* On the lookaside cache list */
	struct dentry *dir;		/* debugfs caches/<name> */
	char name[32];
};

/* A lookaside cache's debug checks are on (kmem_cache_debug()). */
#define KSLAB_DEBUG_FLAGS	(SLAB_RED_ZONE | SLAB_POISON | \
				 SLAB_STORE_USER | SLAB_CONSISTENCY_CHECKS)
static inline bool kslab_cache_debug(const struct kslab_cache *s)
{
	return unlikely(s->geom.flags & KSLAB_DEBUG_FLAGS);
}

/*
 * One slab (or one large allocation, cache == NULL). It lives outside the
 * slab page, in a real kmalloc object, and is found from an object address
 * through kslab_slab_hash, so kslab never trusts a foreign page's fields.
 */
struct kslab_slab {
	/* hnode, list and cache are what kmemleak scans: keep them first. */
	struct hlist_node hnode;	/* In the slab hash; under hash lock */
	struct list_head list;		/* On cache->partial or ->full */
	struct kslab_cache *cache;	/* NULL for a large allocation */
	void *base;			/* folio_address() of the slab */
	unsigned int order;		/* Page order actually obtained */
	unsigned int objects;		/* Objects carved in this slab */
	unsigned int inuse;		/* Objects handed out or quarantined */
	unsigned int nr_quar;		/* Quarantined objects */
	bool dead;			/* Being freed; under cache->lock */
	void *freelist;			/* First free object */
	struct rcu_head rcu;
	unsigned long live[];		/* Bitmaps: handed out, then quarantined */
};

/* The quarantine bitmap follows the live one. */
static inline unsigned long *kslab_slab_quar(struct kslab_slab *slab)
{
	return slab->live + BITS_TO_LONGS(slab->cache->geom.objects);
}

/* Address of object @idx: SLUB's fixup_red_left() on base + idx * size. */
static inline void *kslab_slab_obj(struct kslab_slab *slab, unsigned int idx)
{
	const struct kslab_geom *g = &slab->cache->geom;

	return slab->base + g->red_left_pad + idx * g->size;
}

/* A debug check's result, reported once the cache lock is dropped. */
struct kslab_finding {
	enum kslab_report_item item;
	const char *what;		/* "left red zone", "poison", ... */
	int offset;			/* Of the first bad byte from the object */
	u8 found;
	u8 expected;
};

/* debug.c */
void kslab_debug_init_slab(struct kslab_slab *slab);
bool kslab_debug_alloc(struct kslab_cache *s, void *obj, size_t size,
		       unsigned long caller, struct kslab_finding *f);
bool kslab_debug_free(struct kslab_cache *s, void *obj, unsigned long caller,
		      struct kslab_finding *f);
bool kslab_debug_valid_ptr(struct kslab_slab *slab, void *p);
void kslab_debug_set_orig_size(const struct kslab_cache *s, void *obj,
			       unsigned long size);
void kslab_debug_sites(const struct kslab_cache *s, void *obj,
		       unsigned long *alloc, unsigned long *free);

/* stats.c */
DECLARE_STATIC_KEY_TRUE(kslab_stats_on);

enum kslab_gfp_class {
	KSLAB_GFP_BLOCKING,		/* __GFP_DIRECT_RECLAIM: may sleep */
	KSLAB_GFP_ATOMIC_CLASS,		/* no direct reclaim, __GFP_HIGH */
	KSLAB_GFP_NOWAIT_CLASS,		/* no direct reclaim, no __GFP_HIGH */
	KSLAB_GFP_DMA_CLASS,
	KSLAB_GFP_RECLAIMABLE_CLASS,
	KSLAB_GFP_ACCOUNT_CLASS,
	KSLAB_GFP_ZERO_CLASS,
	KSLAB_GFP_NOWARN_CLASS,
	KSLAB_GFP_NOFAIL_CLASS,
	KSLAB_GFP_NORETRY_CLASS,
	KSLAB_GFP_RETRY_MAYFAIL_CLASS,
	KSLAB_NR_GFP_CLASSES
};

bool kslab_stats_enabled(void);
void kslab_stats_gfp(gfp_t gfp);
void kslab_stats_pages(struct page *page, unsigned int order, bool taken);
void kslab_stats_large(size_t size, unsigned int order, bool alloc);
void kslab_stats_show_gfp(struct seq_file *m);
void kslab_stats_show_large(struct seq_file *m);
void kslab_stats_reset(void);
long kslab_stats_pages_held(void);

/* geometry.c */
extern struct kslab_params kslab_params;
void kslab_params_init(unsigned int nr_cpus, unsigned int min_order,
		       unsigned int max_order, unsigned int min_objects,
		       unsigned int minalign);
unsigned int kslab_size_index(size_t size);
bool kslab_index_exists(unsigned int index);
unsigned int kslab_index_size(unsigned int index);
unsigned int kslab_kmalloc_align(unsigned int size);
unsigned int kslab_calculate_order(unsigned int size);
int kslab_calculate_order_ver(unsigned int size, bool v2);
unsigned int kslab_get_order(unsigned long size);
unsigned int kslab_calculate_alignment(slab_flags_t flags, unsigned int align,
				       unsigned int size);
bool kslab_calculate_sizes(unsigned int object_size, unsigned int align,
			   slab_flags_t flags, bool ctor,
			   unsigned int min_objects, struct kslab_geom *g);
unsigned int kslab_min_objects_now(void);
slab_flags_t kslab_parse_debug(const char *str);

/* gfp.c */
enum kslab_cache_type kslab_kmalloc_type(gfp_t gfp, unsigned long caller);
gfp_t kslab_gfp_fix(gfp_t gfp, unsigned long caller);
gfp_t kslab_gfp_check_context(gfp_t gfp, unsigned long caller);
const char *kslab_atomic_context(void);
unsigned long kslab_violation_count(void);
bool kslab_violation_last(struct kslab_violation *v);

/*
 * slab_pre_alloc_hook()'s flag work, shared by every allocation entry:
 * the flag-class counters, the sleep rule, kmalloc_fix_flags().
 */
static __always_inline gfp_t kslab_gfp_prepare(gfp_t gfp, unsigned long caller)
{
	if (static_branch_likely(&kslab_stats_on))
		kslab_stats_gfp(gfp);
	gfp = kslab_gfp_check_context(gfp, caller);
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
bool kslab_cache_is_alias(unsigned int type, unsigned int index);
void kslab_cache_kernel_name(const struct kslab_cache *s, char *buf,
			     size_t len);
gfp_t kslab_type_gfp(enum kslab_cache_type type);
gfp_t kslab_cache_allocflags(slab_flags_t flags, unsigned int order);
struct kslab_cache *kslab_cache_new(const char *name);
unsigned long kslab_type_caller(enum kslab_cache_type type);
int kslab_cache_shrink(struct kslab_cache *s);
size_t kslab_slab_ksize(const struct kslab_cache *s);

/*
 * A cache's slabs as SLUB's sysfs shows them: show_slab_objects() and
 * the attributes of /sys/kernel/slab/<cache>/ (mm/slub.c, v6.1 and
 * v6.12), computed from kslab's own lists, plus kslab's live count.
 */
struct kslab_counts {
	unsigned long slabs;		/* slabs: every slab not yet freed */
	unsigned long total_objects;	/* total_objects */
	unsigned long objects;		/* objects: free objects of cpu slabs count */
	unsigned long partial;		/* partial: node partial list length */
	unsigned long objects_partial;	/* objects_partial: inuse on that list */
	unsigned long cpu_slabs;	/* cpu_slabs */
	unsigned long cpu_partial_slabs; /* Y of slabs_cpu_partial */
	unsigned int cpu_partial;	/* cpu_partial */
	unsigned int min_partial;	/* min_partial */
	unsigned long active;		/* Objects handed out, kslab's own */
	unsigned long quarantined;	/* Corrupt objects kept out of use */
};
void kslab_cache_counts(struct kslab_cache *s, struct kslab_counts *c);
unsigned long kslab_cache_active(struct kslab_cache *s);

/* slab.c */
void *kslab_slab_alloc(struct kslab_cache *s, size_t size, gfp_t gfp,
		       int node, unsigned long caller);
void kslab_slab_free(struct kslab_slab *slab, void *p, unsigned long caller);
unsigned long kslab_slab_report_live(struct kslab_cache *s);
struct kslab_slab *kslab_slab_lookup(const void *p);
void kslab_slab_discard_empty(struct kslab_cache *s);
void kslab_slab_release_all(struct kslab_cache *s);
void *kslab_large_alloc(size_t size, gfp_t gfp, int node,
			unsigned long caller);
void kslab_large_free(struct kslab_slab *slab, const void *p,
		      unsigned long caller);
void kslab_large_release_all(void);

/*
 * kmalloc.c: the exported API, with the kernel's allocation attributes so
 * that FORTIFY_SOURCE and the compiler see object sizes as for kmalloc().
 */
void *kslab_kmalloc(size_t size, gfp_t gfp) __alloc_size(1);
void *kslab_kmalloc_node(size_t size, gfp_t gfp, int node) __alloc_size(1);
void *kslab_kmalloc_node_track_caller(size_t size, gfp_t gfp, int node,
				      unsigned long caller) __alloc_size(1);
void *kslab_kzalloc(size_t size, gfp_t gfp) __alloc_size(1);
void *kslab_kmalloc_array(size_t n, size_t size, gfp_t gfp)
	__alloc_size(1, 2);
void *kslab_kcalloc(size_t n, size_t size, gfp_t gfp) __alloc_size(1, 2);
void *kslab_krealloc(const void *p, size_t new_size, gfp_t gfp)
	__realloc_size(2);
void kslab_kfree(const void *p);
void kslab_kfree_sensitive(const void *p);
size_t kslab_ksize(const void *p);
size_t kslab_size_roundup(size_t size);

/* report.c */
void __kslab_report(enum kslab_report_item item, const void *p,
		    unsigned long caller, gfp_t gfp, const char *context,
		    const char *fmt, ...) __printf(6, 7);
#define kslab_report(item, p, caller, fmt, ...)				\
	__kslab_report(item, p, caller, 0, NULL, fmt, ##__VA_ARGS__)
int kslab_report_init(void);
void kslab_report_exit(void);
void kslab_records_show(struct seq_file *m);
void kslab_records_clear(void);
void kslab_report_reset(void);
void kslab_report_note(enum kslab_report_item item);
unsigned long kslab_report_count(enum kslab_report_item item);
const char *kslab_report_name(enum kslab_report_item item);

void kslab_report_object(const struct kslab_cache *s, void *obj,
			 unsigned long caller, const struct kslab_finding *f);
void kslab_report_cache(enum kslab_report_item item,
			const struct kslab_cache *s, const void *p,
			unsigned long caller, const char *fmt, ...)
	__printf(5, 6);

/* fail.c: fault injection, the failslab knobs under debugfs kslab/fail/ */
#ifdef CONFIG_FAULT_INJECTION
bool kslab_should_fail(const struct kslab_cache *s, gfp_t gfp);
void kslab_fail_init(struct dentry *parent);
void kslab_fail_set(unsigned long probability, unsigned long interval,
		    int times, bool ignore_gfp_wait, bool cache_filter,
		    int verbose);
#else
static inline bool kslab_should_fail(const struct kslab_cache *s, gfp_t gfp)
{
	return false;
}

static inline void kslab_fail_init(struct dentry *parent) { }
static inline void kslab_fail_set(unsigned long probability,
				  unsigned long interval, int times,
				  bool ignore_gfp_wait, bool cache_filter,
				  int verbose) { }
#endif

/* lookaside.c: the kmem_cache API */
struct kslab_cache *kslab_cache_create(const char *name, unsigned int size,
				       unsigned int align, slab_flags_t flags,
				       void (*ctor)(void *));
void *kslab_cache_alloc(struct kslab_cache *s, gfp_t gfp);
void *kslab_cache_alloc_node(struct kslab_cache *s, gfp_t gfp, int node);
void kslab_cache_free(struct kslab_cache *s, void *p);
int kslab_cache_alloc_bulk(struct kslab_cache *s, gfp_t gfp, size_t nr,
			   void **p);
void kslab_cache_free_bulk(struct kslab_cache *s, size_t nr, void **p);
int kslab_cache_destroy(struct kslab_cache *s);
unsigned int kslab_cache_size(const struct kslab_cache *s);
void kslab_lookaside_show(struct seq_file *m);
void kslab_lookaside_exit(void);
extern struct mutex kslab_lookaside_mutex;
extern struct list_head kslab_lookaside_caches;

/* compare.c */
int kslab_sysfs_init(void);
void kslab_sysfs_exit(void);
int kslab_sysfs_slab_attr(const char *cache, const char *attr,
			  unsigned int *val);
void kslab_compare_show(struct seq_file *m);

/* debugfs.c */
#ifdef CONFIG_DEBUG_FS
void kslab_debugfs_init(void);
void kslab_debugfs_exit(void);
void kslab_debugfs_add_cache(struct kslab_cache *s);
void kslab_debugfs_remove_cache(struct kslab_cache *s);
#else
static inline void kslab_debugfs_init(void) { }
static inline void kslab_debugfs_exit(void) { }
static inline void kslab_debugfs_add_cache(struct kslab_cache *s) { }
static inline void kslab_debugfs_remove_cache(struct kslab_cache *s) { }
#endif

#endif /* KSLAB_KSLAB_H */
