// SPDX-License-Identifier: GPL-2.0
/*
 * The kslab_k*() API: the shadow of kmalloc(), kfree() and friends,
 * mirroring mm/slab_common.c and mm/slub.c of the running kernel. Their
 * kernel-doc, the contract with callers, is in include/kslab.h; the
 * comments here say how.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/export.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/rcupdate.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "../core/core.h"
#include "../core/fast.h"
#include "api.h"

/*
 * Mirrors __do_kmalloc_node() in mm/slab_common.c (v6.1) / mm/slub.c
 * (v6.12): the large path above KMALLOC_MAX_CACHE_SIZE, ZERO_SIZE_PTR for
 * 0, then the cache of the type and size class; slab_pre_alloc_hook()'s
 * might_alloc() (with kslab's own sleep-rule check) and
 * slab_want_init_on_alloc()'s zeroing of object_size.
 */
static __always_inline void *__do_kmalloc(struct kslab_buckets *b,
					  size_t size, gfp_t gfp, int node,
					  unsigned long caller)
{
	struct kslab_cache *s;
	bool atomic;
	void *p;

	if (unlikely(kslab_rt_refuse(gfp, caller)))
		return NULL;
	gfp = kslab_gfp_prepare(gfp, caller, &atomic);
	if (unlikely(size > KSLAB_MAX_CACHE_SIZE || !size)) {
		kslab_stats_gfp(gfp, atomic);
		if (size)
			return kslab_large_alloc(size, gfp, node, caller);
		return ZERO_SIZE_PTR;
	}

	if (b) {
		/* kmalloc_slab() with buckets: by size, whatever the type. */
		s = kslab_buckets_cache(b, size, caller);
		if (unlikely(!s))
			return NULL;
	} else {
		s = __kslab_cache_of(size, gfp, caller);
	}
	p = kslab_slab_alloc_fast(s, size, gfp, node, caller, atomic);
	/*
	 * mm/slub.c:slab_post_alloc_hook(): v6.12 and v7.3 zero only the
	 * request when orig_size is kept (slub_debug_orig_size(): a
	 * SLAB_KMALLOC cache with SLAB_STORE_USER, so not buckets' caches),
	 * v6.1 object_size.
	 */
	if (p && kslab_want_init_on_alloc(s, gfp))
		memset(p, 0, KSLAB_KMALLOC_REDZONE &&
		       (s->geom.flags & SLAB_STORE_USER) &&
		       (s->geom.flags & SLAB_KMALLOC) ? size :
		       s->geom.object_size);
	return p;
}

static __always_inline void *do_kmalloc(size_t size, gfp_t gfp, int node,
					unsigned long caller)
{
	return __do_kmalloc(NULL, size, gfp, node, caller);
}

void *kslab_kmalloc_node(size_t size, gfp_t gfp, int node)
{
	return do_kmalloc(size, gfp, node, _RET_IP_);
}
EXPORT_SYMBOL_GPL(kslab_kmalloc_node);

void *kslab_kmalloc_node_track_caller(size_t size, gfp_t gfp, int node,
				      unsigned long caller)
{
	return do_kmalloc(size, gfp, node, caller);
}
EXPORT_SYMBOL_GPL(kslab_kmalloc_node_track_caller);

#if KSLAB_HAVE_BUCKETS
/*
 * Mirrors kmem_buckets_alloc() and __do_kmalloc_node() with buckets
 * (v6.12, v7.3): ZERO_SIZE_PTR buckets (no CONFIG_SLAB_BUCKETS) and NULL
 * are kmalloc().
 */
static noinline void *buckets_alloc(struct kslab_buckets *b, size_t size,
				    gfp_t gfp, int node, unsigned long caller)
{
	return __do_kmalloc(ZERO_OR_NULL_PTR(b) ? NULL : b, size, gfp, node,
			    caller);
}

void *kslab_buckets_alloc(struct kslab_buckets *b, size_t size, gfp_t gfp)
{
	return buckets_alloc(b, size, gfp, NUMA_NO_NODE, _RET_IP_);
}
EXPORT_SYMBOL_GPL(kslab_buckets_alloc);

void *kslab_buckets_alloc_node_track_caller(struct kslab_buckets *b,
					    size_t size, gfp_t gfp, int node,
					    unsigned long caller)
{
	return buckets_alloc(b, size, gfp, node, caller);
}
EXPORT_SYMBOL_GPL(kslab_buckets_alloc_node_track_caller);
#endif

void *kslab_kmalloc(size_t size, gfp_t gfp)
{
	return do_kmalloc(size, gfp, NUMA_NO_NODE, _RET_IP_);
}
EXPORT_SYMBOL_GPL(kslab_kmalloc);

void *kslab_kzalloc(size_t size, gfp_t gfp)
{
	return do_kmalloc(size, gfp | __GFP_ZERO, NUMA_NO_NODE, _RET_IP_);
}
EXPORT_SYMBOL_GPL(kslab_kzalloc);

void *kslab_kmalloc_array(size_t n, size_t size, gfp_t gfp)
{
	size_t bytes;

	if (unlikely(check_mul_overflow(n, size, &bytes)))
		return NULL;
	return do_kmalloc(bytes, gfp, NUMA_NO_NODE, _RET_IP_);
}
EXPORT_SYMBOL_GPL(kslab_kmalloc_array);

void *kslab_kcalloc(size_t n, size_t size, gfp_t gfp)
{
	size_t bytes;

	if (unlikely(check_mul_overflow(n, size, &bytes)))
		return NULL;
	return do_kmalloc(bytes, gfp | __GFP_ZERO, NUMA_NO_NODE, _RET_IP_);
}
EXPORT_SYMBOL_GPL(kslab_kcalloc);

/*
 * Usable size of @p as __ksize() (mm/slab_common.c) gives it: slab_ksize()
 * of the object's cache (kslab_slab_ksize()) for any pointer into a slab,
 * the folio size for the start of a large allocation, else 0. *@state
 * says whether @p is a live object's start (KSLAB_NR_REPORT_ITEMS) or
 * what misuse it is: the kernel returns the size for a freed object or an
 * interior pointer as well, so the callers must not write through it.
 */
static size_t obj_size(const void *p, enum kslab_report_item *state)
{
	struct kslab_slab *slab;
	size_t ret = 0;

	rcu_read_lock();
	*state = kslab_ptr_state(p, &slab);
	if (slab && slab->cache) {
		ret = kslab_slab_ksize(slab->cache);
		/*
		 * v6.12 __ksize(): skip_orig_size_check() gives the caller
		 * the whole object, so its kmalloc red zone goes.
		 */
		if (KSLAB_KMALLOC_REDZONE && *state == KSLAB_NR_REPORT_ITEMS)
			kslab_debug_set_orig_size(slab->cache, (void *)p,
						  slab->cache->geom.object_size);
	} else if (*state == KSLAB_NR_REPORT_ITEMS) {
		ret = PAGE_SIZE << slab->order;	/* Large: 0 if interior */
	}
	rcu_read_unlock();
	return ret;
}

static const char *const misuse[KSLAB_NR_REPORT_ITEMS] = {
	[KSLAB_REPORT_INVALID_FREE] = "memory kslab did not allocate",
	[KSLAB_REPORT_INTERIOR_FREE] = "a pointer into an object",
	[KSLAB_REPORT_USE_AFTER_FREE] = "a freed object",
};

/* ksize(): what the kernel returns, and a report for a bad pointer. */
static size_t do_ksize(const void *p, unsigned long caller)
{
	enum kslab_report_item state;
	size_t ret;

	if (unlikely(ZERO_OR_NULL_PTR(p)))
		return 0;
	ret = obj_size(p, &state);
	if (unlikely(state != KSLAB_NR_REPORT_ITEMS))
		kslab_report(state, p, caller, "ksize() of %s", misuse[state]);
	return ret;
}

size_t kslab_ksize(const void *p)
{
	return do_ksize(p, _RET_IP_);
}
EXPORT_SYMBOL_GPL(kslab_ksize);

static __always_inline void do_kfree(const void *p, unsigned long caller)
{
	struct kslab_slab *slab;

	if (unlikely(ZERO_OR_NULL_PTR(p)))
		return;
	if (unlikely(kslab_rt_defer_free(p, caller)))
		return;
	rcu_read_lock();
	slab = __kslab_slab_lookup(p);
	if (unlikely(!slab))
		kslab_report(KSLAB_REPORT_INVALID_FREE, p, caller,
			     "kslab_kfree() of memory kslab did not allocate; was it from kmalloc()?");
	else if (slab->cache)
		kslab_slab_free_fast(slab, (void *)p, caller);
	else
		kslab_large_free(slab, p, caller);
	rcu_read_unlock();
}

void kslab_kfree(const void *p)
{
	do_kfree(p, _RET_IP_);
}
EXPORT_SYMBOL_GPL(kslab_kfree);

/*
 * Mirrors kfree_sensitive() in mm/slab_common.c, but a freed, interior or
 * foreign pointer is not zeroed: the kernel would zero ksize() bytes from
 * it, over a free pointer or the next object.
 */
void kslab_kfree_sensitive(const void *p)
{
	enum kslab_report_item state;
	size_t ks;

	if (unlikely(ZERO_OR_NULL_PTR(p)))
		return;
	/* Never zero a free object or a neighbour: kslab_kfree() reports. */
	ks = obj_size(p, &state);
	if (likely(state == KSLAB_NR_REPORT_ITEMS))
		memzero_explicit((void *)p, ks);
	do_kfree(p, _RET_IP_);
}
EXPORT_SYMBOL_GPL(kslab_kfree_sensitive);

/*
 * Mirrors krealloc() and __do_krealloc() in mm/slab_common.c (same rule in
 * v6.1 and v6.12). A bad @p returns NULL and is left alone, where the
 * kernel would return it or a copy and free it (again), or zero past the
 * object.
 */
void *kslab_krealloc(const void *p, size_t new_size, gfp_t gfp)
{
	size_t ks = 0;
	void *ret;

	if (unlikely(!new_size)) {
		do_kfree(p, _RET_IP_);
		return ZERO_SIZE_PTR;
	}
	if (!ZERO_OR_NULL_PTR(p)) {
		enum kslab_report_item state;

		ks = obj_size(p, &state);
		if (unlikely(state != KSLAB_NR_REPORT_ITEMS)) {
			kslab_report(state, p, _RET_IP_, "krealloc() of %s",
				     misuse[state]);
			return NULL;
		}
	}
	if (ks >= new_size) {
		if (want_init_on_alloc(gfp))
			memset((void *)p + new_size, 0, ks - new_size);
		return (void *)p;
	}

	ret = do_kmalloc(new_size, gfp, NUMA_NO_NODE, _RET_IP_);
	if (ret && p) {
		memcpy(ret, p, ks);
		do_kfree(p, _RET_IP_);
	}
	return ret;
}
EXPORT_SYMBOL_GPL(kslab_krealloc);

/*
 * Mirrors kmalloc_size_roundup() in mm/slab_common.c; above
 * KMALLOC_MAX_SIZE, v6.12 returns @size and v6.1 the page-order size.
 */
size_t kslab_size_roundup(size_t size)
{
	if (size && size <= KSLAB_MAX_CACHE_SIZE)
		return kslab_cache_of(size, GFP_KERNEL, 0)->geom.object_size;
	if (size && size <= KSLAB_MAX_SIZE)
		return PAGE_SIZE << get_order(size);
#if KSLAB_ROUNDUP_KEEPS_HUGE
	return size;
#else
	if (!size || size == SIZE_MAX)
		return size;
	return PAGE_SIZE << get_order(size);
#endif
}
EXPORT_SYMBOL_GPL(kslab_size_roundup);
