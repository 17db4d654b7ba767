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
#include <linux/numa.h>
#include <linux/rcupdate.h>
#include <linux/seq_file.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#include "compat.h"

/* Format version of every debugfs file kslab writes. */
#define KSLAB_DEBUGFS_VERSION	1

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
	char name[32];
};

/*
 * One slab (or one large allocation, cache == NULL). It lives outside the
 * slab page, in a real kmalloc object, and is found from an object address
 * through kslab_slab_hash, so kslab never trusts a foreign page's fields.
 */
struct kslab_slab {
	struct hlist_node hnode;	/* In the slab hash; under hash lock */
	struct list_head list;		/* On cache->partial or ->full */
	struct kslab_cache *cache;	/* NULL for a large allocation */
	void *base;			/* folio_address() of the slab */
	unsigned int order;		/* Page order actually obtained */
	unsigned int objects;		/* Objects carved in this slab */
	unsigned int inuse;		/* Objects handed out */
	bool dead;			/* Being freed; under cache->lock */
	void *freelist;			/* First free object */
	struct rcu_head rcu;
	unsigned long live[];		/* Bitmap of handed-out objects */
};

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
void kslab_calculate_geom(unsigned int object_size, unsigned int align,
			  struct kslab_geom *g);

/* gfp.c */
enum kslab_cache_type kslab_kmalloc_type(gfp_t gfp, unsigned long caller);
gfp_t kslab_gfp_fix(gfp_t gfp, unsigned long caller);
gfp_t kslab_gfp_check_context(gfp_t gfp, unsigned long caller);
const char *kslab_atomic_context(void);
unsigned long kslab_violation_count(void);
bool kslab_violation_last(struct kslab_violation *v);

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
unsigned long kslab_type_caller(enum kslab_cache_type type);
void kslab_cache_shrink(struct kslab_cache *s);

/* slab.c */
void *kslab_slab_alloc(struct kslab_cache *s, size_t size, gfp_t gfp,
		       int node, unsigned long caller);
void kslab_slab_free(struct kslab_slab *slab, void *p, unsigned long caller);
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
void kslab_records_show(struct seq_file *m);
void kslab_records_clear(void);
void kslab_report_reset(void);
void kslab_report_note(enum kslab_report_item item);
unsigned long kslab_report_count(enum kslab_report_item item);
const char *kslab_report_name(enum kslab_report_item item);

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
#else
static inline void kslab_debugfs_init(void) { }
static inline void kslab_debugfs_exit(void) { }
#endif

#endif /* KSLAB_KSLAB_H */
