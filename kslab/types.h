/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kslab's data model: the structures every layer shares (caches, slabs,
 * geometry, findings) and their inline helpers. No functions of any
 * layer are declared here; the public API is in include/kslab.h (which
 * also names the findings, enum kslab_report_item) and each layer has its
 * own header:
 *   check/check.h     debug checks, reports, fault injection, trace
 *   core/core.h       geometry, GFP types, pages, CPU and partial slabs
 *   api/api.h         the kmalloc and kmem_cache API
 *   observe/observe.h debugfs and the sysfs comparison
 * Includes run one way: observe -> api -> core -> check -> types ->
 * include/kslab.h.
 */
#ifndef KSLAB_TYPES_H
#define KSLAB_TYPES_H

#include <linux/bits.h>
#include <linux/jump_label.h>
#include <linux/list.h>
#include <linux/local_lock.h>
#include <linux/mutex.h>
#include <linux/numa.h>
#include <linux/rcupdate.h>
#include <linux/seq_file.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#include "../include/kslab.h"
#include "compat.h"

struct dentry;

/* Format version of every debugfs file kslab writes. */
#define KSLAB_DEBUGFS_VERSION	5

/*
 * Size-class indices mirror kmalloc_info[] in mm/slab_common.c: index 1 is
 * the 96-byte class, 2 the 192-byte class, and n >= 3 is 2^n bytes. The
 * shifts are include/linux/slab.h's (v6.1 and v6.12): the classes run to
 * two pages (4K, 16K and 64K pages: 8k, 32k, 128k) and KMALLOC_MAX_SIZE
 * is the largest page order's block, KSLAB_MAX_PAGE_ORDER (compat.h),
 * which arm64 raises with the page size (4 MiB, 32 MiB, 512 MiB).
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

/* mm/slub.c: DEBUG_DEFAULT_FLAGS and DEBUG_METADATA_FLAGS (v6.1, v6.12). */
#define KSLAB_DEBUG_DEFAULT_FLAGS	(SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | \
					 SLAB_POISON | SLAB_STORE_USER)
#define KSLAB_DEBUG_METADATA_FLAGS	(SLAB_RED_ZONE | SLAB_POISON | \
					 SLAB_STORE_USER)

/* Where a boot parameter's value came from. */
enum kslab_param_src {
	KSLAB_SRC_DEFAULT,		/* The kernel's initialiser */
	KSLAB_SRC_CMDLINE,		/* The running kernel's command line */
	KSLAB_SRC_MODULE,		/* A kslab module parameter */
};

enum kslab_boot_item {
	KSLAB_BOOT_MIN_ORDER,
	KSLAB_BOOT_MAX_ORDER,
	KSLAB_BOOT_MIN_OBJECTS,
	KSLAB_BOOT_DEBUG,
	KSLAB_BOOT_MERGE,
	KSLAB_BOOT_MEMCG,
	KSLAB_BOOT_SWIOTLB,
	KSLAB_NR_BOOT
};

/*
 * SLUB's boot parameters as the running kernel's __setup() handlers left
 * them (kslab/core/boot.c), each with its source and the argument that
 * set it last.
 */
struct kslab_boot {
	unsigned int min_order;		/* slub_min_order */
	unsigned int max_order;		/* slub_max_order */
	unsigned int min_objects;	/* slub_min_objects, 0: automatic */
	slab_flags_t debug;		/* slub_debug: unlisted caches' flags */
	char *debug_string;		/* slub_debug_string: blocks with lists */
	bool higher_order_disable;	/* disable_higher_order_debug ('O') */
	bool nomerge;			/* slab_nomerge */
	bool memcg_nokmem;		/* cgroup_memory_nokmem */
	bool swiotlb_noforce;		/* swiotlb_force_disable */
	unsigned int bad_letters;	/* slub_debug letters SLUB skips */
	long cmdline_err;		/* Why the command line was unread, or 0 */
	u8 src[KSLAB_NR_BOOT];		/* enum kslab_param_src */
	char arg[KSLAB_NR_BOOT][64];	/* The argument that set it last */
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

/*
 * This CPU's part of a cache: struct kmem_cache_cpu (v6.1
 * include/linux/slub_def.h, v6.12 mm/slub.c). @lock is a local_lock_t on
 * every kernel, as SLUB takes on PREEMPT_RT (see kslab/cpu.c for why not
 * SLUB's tid cmpxchg). The counters are kslab's own; they sit here so
 * that the fast path writes only this CPU's cache lines.
 */
/* Event counters of a cache, from kslab_cache_counts(). */
struct kslab_cache_stats {
	unsigned long allocs;
	unsigned long frees;
	u64 bytes_req;
	u64 bytes_alloc;
};

/*
 * A sheaf (v7.0 (†), KSLAB_SHEAVES): struct slab_sheaf of mm/slub.c (v7.3
 * 429-445), field for field, so that its header, and with it the
 * capacity that fills a kmalloc bucket (kslab_sheaf_capacity()), is
 * SLUB's: 32 bytes on 64-bit. @objects[0 .. @size - 1] are free objects
 * of @cache, the top one handed out first. kslab's sheaves are real
 * kmalloc objects, never memory a user of kslab can reach.
 */
struct kslab_sheaf {
	union {
		struct rcu_head rcu_head;
		struct list_head barn_list;	/* On a barn list */
		struct llist_node llnode;
		struct {
			unsigned int capacity;
			bool pfmemalloc;
		};
	};
	struct kslab_cache *cache;
	unsigned int size;
	int node;
	void *objects[];
};

/*
 * The barn: struct node_barn (v7.3 mm/slub.c 421-427), full and empty
 * sheaves of a node, each list at most MAX_FULL_SHEAVES /
 * MAX_EMPTY_SHEAVES long where SLUB checks that. One per cache, as
 * kslab_node.
 */
struct kslab_barn {
	spinlock_t lock;		/* Guards the two lists and counts */
	struct list_head sheaves_full;
	struct list_head sheaves_empty;
	unsigned int nr_full;
	unsigned int nr_empty;
};

struct kslab_cpu {
	local_lock_t lock;
	void *freelist;			/* Objects of @slab owned by this CPU */
	struct kslab_slab *slab;	/* The cpu slab, frozen */
	struct kslab_slab *partial;	/* CPU partial stack, via slab->next */
	/* KSLAB_SHEAVES: struct slub_percpu_sheaves instead of the above. */
	struct kslab_sheaf *main;	/* Never NULL while the cache has sheaves */
	struct kslab_sheaf *spare;	/* Empty, full, or NULL */
	unsigned long allocs;		/* Objects handed out on this CPU */
	unsigned long frees;		/* Objects returned on this CPU */
	u64 bytes_req;			/* stats=1: sum of requested sizes */
	u64 bytes_alloc;		/* stats=1: sum of object sizes */
};

/*
 * The node's part: struct kmem_cache_node (v6.1 mm/slab.h, v6.12
 * mm/slub.c). kslab keeps one, for the whole machine: exact on one-node
 * machines, which every board and QEMU profile of kslab is.
 */
struct kslab_node {
	spinlock_t list_lock;		/* partial, and slab list moves */
	unsigned long nr_partial;
	struct list_head partial;
	unsigned long nr_slabs;		/* SLUB_DEBUG's nr_slabs */
	unsigned long total_objects;	/* SLUB_DEBUG's total_objects */
	unsigned long nr_pages;		/* Pages held by the slabs */
	struct list_head slabs;		/* kslab's own: every slab, full too */
	unsigned long quarantined;	/* Corrupt objects kept out of use */
};

struct kslab_cache {
	struct kslab_cpu __percpu *cpu;
	/*
	 * Set once by kslab_cache_destroy(), read inside the sections that
	 * its synchronize_rcu() waits for: alloc and free refuse the cache.
	 */
	bool dying;
	struct kslab_geom geom;
	/*
	 * Exact division by geom.size, where mm/slub.c:__obj_to_index()
	 * multiplies by reciprocal_size: see kslab_off_index().
	 */
	u32 size_inv;			/* Inverse of size's odd part mod 2^32 */
	u32 size_lim;			/* U32_MAX / size's odd part */
	u8 size_tz;			/* Trailing zero bits of size */
	unsigned int cpu_partial;	/* set_cpu_partial()'s objects */
	unsigned int cpu_partial_slabs;	/* s->cpu_partial_slabs */
	/*
	 * No cpu slab (before v7.0): debug, SLUB_TINY. No sheaves
	 * (KSLAB_SHEAVES): debug, SLAB_NOLEAKTRACE, SLUB_TINY.
	 */
	bool cpu_slabs_off;
	unsigned int sheaf_capacity;	/* KSLAB_SHEAVES: s->sheaf_capacity */
	struct kslab_barn barn;		/* KSLAB_SHEAVES: the node's barn */
	atomic_t refilling;		/* Pins: kslab_cache_pin() */
	unsigned int *random_seq;	/* SLAB_FREELIST_RANDOM offsets */
	gfp_t allocflags;		/* Added to every slab page allocation */
	struct kslab_node node;
	atomic_long_t failures;		/* Allocations that returned NULL */
	struct kslab_cache_stats base;	/* Counters at the last stats reset */
	enum kslab_cache_type type;
	unsigned int index;		/* Size-class index it was created for */
	atomic_long_t ctor_calls;	/* Constructor runs */
	void (*ctor)(void *object);
	unsigned int useroffset;	/* s->useroffset (HARDENED_USERCOPY) */
	unsigned int usersize;		/* s->usersize, 0 for none */
	bool failslab;			/* Chosen by the fail/cache-filter knob */
	struct list_head list;		/* On the lookaside cache list */
	struct dentry *dir;		/* debugfs caches/<name> */
	char name[32];
};

/*
 * A cache's debug checks are on: kmem_cache_debug(), SLAB_DEBUG_FLAGS of
 * mm/slab.h (v6.1, v6.12, v7.3 492), SLAB_TRACE included: a T cache has
 * no cpu slab and no sheaves either.
 */
#define KSLAB_DEBUG_FLAGS	(SLAB_RED_ZONE | SLAB_POISON | \
				 SLAB_STORE_USER | SLAB_TRACE | \
				 SLAB_CONSISTENCY_CHECKS)
static inline bool kslab_cache_debug(const struct kslab_cache *s)
{
	return unlikely(s->geom.flags & KSLAB_DEBUG_FLAGS);
}

/*
 * One slab (or one large allocation, cache == NULL): struct slab of
 * mm/slab.h, kept outside the slab page in a real kmalloc object. The
 * folio's head page points at it, with a keyed tag (page.c), so the
 * object-to-slab lookup is O(1) and never trusts a foreign page.
 *
 * freelist, inuse and frozen are under @lock (SLUB's slab_lock(), the
 * fallback of its cmpxchg_double); list and the flags under
 * node.list_lock; next and slabs under the owning CPU's local lock.
 *
 * The descriptor's memory (kslab_slab_desc_alloc()) is the live map, the
 * struct, then the quarantine bitmap. The live map holds one byte per
 * object, 1 while it is handed out. A byte, not a bit: the CPU owning the
 * object sets it with a plain store on the allocation fast path, which no
 * store to a neighbour's byte can undo; a free clears it with xchg(), so
 * of two racing frees of one object exactly one wins. It sits right
 * before the fields a free reads first, so that for a slab of up to 16
 * objects a free touches one cache line of the descriptor.
 */
struct kslab_slab {
	/* What a lookup and a free read: keep them first, by the map. */
	u8 *live;			/* The live map, and the allocation */
	struct kslab_cache *cache;	/* NULL for a large allocation */
	void *base;			/* folio_address() of the slab */
	struct folio *folio;		/* Its folio: what a lookup checks */
	unsigned int order;		/* Page order actually obtained */
	unsigned int objects;		/* Objects carved in this slab */
	bool dead;			/* Discarded; under list_lock */
	/* all and list are what kmemleak scans (descriptor links). */
	struct list_head all;		/* On node.slabs, or the large list */
	struct list_head list;		/* On node.partial */
	struct kslab_slab *next;	/* CPU partial stack */
	raw_spinlock_t lock;
	void *freelist;			/* Free objects not owned by a CPU */
	unsigned int inuse;		/* SLUB's: not on slab->freelist */
	unsigned int slabs;		/* CPU partial stack length, at head */
	unsigned int nr_quar;		/* Quarantined objects */
	int nid;			/* Node of the pages */
	bool frozen;			/* The cpu slab of some CPU */
	bool cpu_partial;		/* On some CPU's partial stack */
	bool node_partial;		/* On node.partial (v6.12 workingset) */
	struct rcu_head rcu;
};

/*
 * Live-map values. KSLAB_HELD: free and on no slab freelist (in a sheaf,
 * in a refill's hands, being zeroed by a debug free, seen by a freelist
 * walk); a free of it is a double free.
 */
#define KSLAB_LIVE	1
#define KSLAB_HELD	2
/* Freed where the locks may not be taken, queued (kslab/api/defer.c). */
#define KSLAB_QUEUED	3

/* @idx of @slab is handed out. */
static inline bool kslab_slab_live(const struct kslab_slab *slab,
				   unsigned int idx)
{
	return READ_ONCE(slab->live[idx]) == KSLAB_LIVE;
}

/* The quarantine bitmap follows the struct. */
static inline unsigned long *kslab_slab_quar(struct kslab_slab *slab)
{
	return (unsigned long *)(slab + 1);
}

/* Objects of @slab handed out: the live bytes set. */
static inline unsigned int kslab_slab_nr_live(const struct kslab_slab *slab)
{
	unsigned int i, n = 0;

	for (i = 0; i < slab->objects; i++)
		n += kslab_slab_live(slab, i);
	return n;
}

/* Address of object @idx: SLUB's fixup_red_left() on base + idx * size. */
static inline void *kslab_slab_obj(struct kslab_slab *slab, unsigned int idx)
{
	const struct kslab_geom *g = &slab->cache->geom;

	return slab->base + g->red_left_pad + idx * g->size;
}

/* mm/slub.c:get_freepointer()/set_freepointer(), without hardening. */
static inline void **kslab_freeptr(const struct kslab_cache *s, void *obj)
{
	return (void **)(obj + s->geom.offset);
}

/*
 * mm/slab.h:__obj_to_index() (v6.1, v6.12) divides a trusted offset with
 * reciprocal_divide(). kslab must also tell an object's start from any
 * other byte, so it returns the index of the object starting at byte @off
 * of a slab's object area, or UINT_MAX if no object starts there; @off
 * below 2^32. One multiply:
 * x is a multiple of an odd d exactly when x times d's inverse modulo 2^32
 * is at most U32_MAX / d, and that product is then x / d (Hacker's
 * Delight, 10-16 and 10-17). So a free learns both "is this an object's start" and
 * "which one" without the divide and multiply back that a
 * reciprocal_divide() needs.
 */
static inline unsigned int kslab_off_index(const struct kslab_cache *s,
					   unsigned long off)
{
	u32 q;

	if (off & ((1UL << s->size_tz) - 1))
		return UINT_MAX;
	q = (u32)(off >> s->size_tz) * s->size_inv;
	return q <= s->size_lim ? q : UINT_MAX;
}

/* The index of @obj, an object of @slab. */
static inline unsigned int kslab_obj_index(const struct kslab_cache *s,
					   const struct kslab_slab *slab,
					   const void *obj)
{
	return kslab_off_index(s, obj - slab->base - s->geom.red_left_pad);
}

/* A debug check's result, reported once the cache lock is dropped. */
struct kslab_finding {
	enum kslab_report_item item;
	const char *what;		/* "left red zone", "poison", ... */
	int offset;			/* Of the first bad byte from the object */
	u8 found;
	u8 expected;
};

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
	unsigned long cpu_slabs;	/* cpu_slabs (v7.0: always 0) */
	unsigned long sheaf_objects;	/* In CPU sheaves (KSLAB_SHEAVES) */
	unsigned long barn_full;	/* Full sheaves in the barn */
	unsigned long barn_empty;	/* Empty sheaves in the barn */
	unsigned int sheaf_capacity;	/* sheaf_capacity */
	unsigned long cpu_partial_slabs; /* Y of slabs_cpu_partial */
	unsigned int cpu_partial;	/* cpu_partial */
	unsigned int min_partial;	/* min_partial */
	unsigned long active;		/* Objects handed out, kslab's own */
	unsigned long quarantined;	/* Corrupt objects kept out of use */
	unsigned long pages;		/* Pages held by the slabs */
	unsigned long allocs;		/* Objects handed out since creation */
	unsigned long frees;		/* Objects returned since creation */
	u64 bytes_req;			/* stats=1: sum of requested sizes */
	u64 bytes_alloc;		/* stats=1: sum of object sizes */
};

#endif /* KSLAB_TYPES_H */
