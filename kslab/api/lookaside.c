// SPDX-License-Identifier: GPL-2.0
/*
 * Lookaside caches: kslab_cache_create(), _alloc(), _free(), the bulk
 * calls, _shrink() and _destroy(), mirroring the kmem_cache API of
 * mm/slab_common.c and mm/slub.c. Their kernel-doc, the contract with
 * callers, is in include/kslab.h; the comments here say how.
 *
 * Lock order: the CPU hotplug lock (hotplug.c), kslab_lookaside_mutex,
 * then the locks of core/cpu.c. No flush runs under the mutex: a flush
 * takes the hotplug lock.
 *
 * The exported entry points only pass _RET_IP_ on to a helper: evaluated
 * in a function with branches, it may land in a compiler-split part
 * (seen on arm64) and name the entry point instead of its caller.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/export.h>
#include <linux/mm.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "../core/core.h"
#include "../core/fast.h"
#include "api.h"

/* Protects kslab_lookaside_caches, the graveyard and debugfs dirs. */
DEFINE_MUTEX(kslab_lookaside_mutex);
LIST_HEAD(kslab_lookaside_caches);
static const struct kslab_cache_observer *observer;

/*
 * Destroyed caches keep their descriptor (and per-CPU part) for the next
 * KSLAB_GRAVEYARD destructions or until unload, with ->dying set: a use
 * after kslab_cache_destroy() is then a report, not a use after free.
 */
#define KSLAB_GRAVEYARD	64
static LIST_HEAD(graveyard);
static unsigned int graves;

/* Under kslab_lookaside_mutex: is @s on @head? Never dereferences @s. */
static bool listed(const struct kslab_cache *s, struct list_head *head)
{
	struct kslab_cache *t;

	list_for_each_entry(t, head, list)
		if (t == s)
			return true;
	return false;
}

/**
 * kslab_lookaside_observe - be told of lookaside caches
 * @o: add and remove callbacks, or NULL to stop
 *
 * @o->add runs at once for every cache that exists.
 */
void kslab_lookaside_observe(const struct kslab_cache_observer *o)
{
	struct kslab_cache *s;

	mutex_lock(&kslab_lookaside_mutex);
	observer = o;
	if (o)
		list_for_each_entry(s, &kslab_lookaside_caches, list)
			o->add(s);
	mutex_unlock(&kslab_lookaside_mutex);
}

/* === Creation ========================================================== */

/* What kslab_cache_create() and kslab_cache_create_args() pass on. */
struct create_args {
	unsigned int align;
	void (*ctor)(void *obj);
	unsigned int freeptr;		/* or KSLAB_NO_FREEPTR */
	unsigned int sheaf_capacity;	/* KSLAB_SHEAVES: at least this */
	unsigned int useroffset;	/* Checked by check_usercopy() */
	unsigned int usersize;
};

static noinline struct kslab_cache *
cache_create(const char *name, unsigned int size, const struct create_args *a,
	     slab_flags_t flags, unsigned long caller)
{
	unsigned int align = a->align;
	struct kslab_cache *s;

	if (!name || !size || size > KSLAB_MAX_SIZE || in_interrupt()) {
		kslab_report(KSLAB_REPORT_BAD_ARGS, NULL, caller,
			     "kslab_cache_create(%s, %u): needs a name, process context and 1 <= size <= %lu",
			     name ?: "NULL", size, KSLAB_MAX_SIZE);
		return NULL;
	}
	/*
	 * calculate_alignment() ALIGN()s to it: the kernel takes any value
	 * and wraps past UINT_MAX. kslab refuses what cannot be an alignment.
	 */
	if (align & (align - 1) || align > KSLAB_MAX_SIZE) {
		kslab_report(KSLAB_REPORT_BAD_ARGS, NULL, caller,
			     "kslab_cache_create(%s): align %u is not a power of two up to %lu",
			     name, align, KSLAB_MAX_SIZE);
		return NULL;
	}
	if (flags & ~KSLAB_FLAGS_PERMITTED) {
		kslab_report(KSLAB_REPORT_BAD_ARGS, NULL, caller,
			     "kslab_cache_create(%s): flags %#x not permitted (mm/slab.h SLAB_FLAGS_PERMITTED)",
			     name, (__force unsigned int)
			     (flags & ~KSLAB_FLAGS_PERMITTED));
		return NULL;
	}

	s = kslab_cache_new(name);
	if (!s)
		return NULL;
	/* kobject_set_name_vargs() turns '/' into '!' for /sys/kernel/slab. */
	strreplace(s->name, '/', '!');
	s->type = KSLAB_NR_TYPES;	/* Not a kmalloc cache */
	s->ctor = a->ctor;
	s->sheaf_capacity = a->sheaf_capacity;
	/* mm/slub.c:do_kmem_cache_create(): kept with HARDENED_USERCOPY. */
	if (IS_ENABLED(CONFIG_HARDENED_USERCOPY)) {
		s->useroffset = a->useroffset;
		s->usersize = a->usersize;
	}
	flags = kslab_boot_cache_flags(&kslab_boot, flags, name);
	align = kslab_calculate_alignment(flags, align, size);
	if (!kslab_layout_cache(size, align, flags, a->ctor, a->freeptr,
				kslab_min_objects_now(), &s->geom)) {
		kslab_report(KSLAB_REPORT_BAD_ARGS, NULL, caller,
			     "kslab_cache_create(%s): no slab order fits objects of %u bytes; raise slub_max_order",
			     name, s->geom.size);
		kfree(s);
		return NULL;
	}
	if (kslab_cache_open(s)) {
		kfree(s);
		return NULL;
	}

	mutex_lock(&kslab_lookaside_mutex);
	list_add_tail(&s->list, &kslab_lookaside_caches);
	if (observer)
		observer->add(s);
	mutex_unlock(&kslab_lookaside_mutex);
	return s;
}

/*
 * Mirrors kmem_cache_create_usercopy() (v6.1) / __kmem_cache_create_args()
 * (v6.12): unknown flags are refused (the kernel's -EINVAL), the alignment
 * comes from calculate_alignment(), the layout from calculate_sizes().
 */
struct kslab_cache *kslab_cache_create(const char *name, unsigned int size,
				       unsigned int align, slab_flags_t flags,
				       void (*ctor)(void *))
{
	struct create_args a = { .align = align, .ctor = ctor,
				 .freeptr = KSLAB_NO_FREEPTR };

	return cache_create(name, size, &a, flags, _RET_IP_);
}
EXPORT_SYMBOL_GPL(kslab_cache_create);

/*
 * The usercopy region: kmem_cache_create_usercopy() (v6.1 mm/slab_common.c)
 * and __kmem_cache_create_args() (v6.12, v7.3) WARN about one outside the
 * object and drop it; kslab reports and drops it. It shapes no layout.
 */
static void check_usercopy(const char *name, unsigned int size,
			   struct create_args *a, unsigned long caller)
{
	if ((!a->usersize && a->useroffset) || size < a->usersize ||
	    size - a->usersize < a->useroffset) {
		kslab_report(KSLAB_REPORT_BAD_ARGS, NULL, caller,
			     "kslab_cache_create(%s): usercopy region %u+%u outside the %u-byte object; dropped, as the kernel WARNs and drops it",
			     name ?: "NULL", a->useroffset, a->usersize, size);
		a->useroffset = 0;
		a->usersize = 0;
	}
}

struct kslab_cache *kslab_lookaside_create(const char *name, unsigned int size,
					   unsigned int align,
					   slab_flags_t flags,
					   unsigned int useroffset,
					   unsigned int usersize,
					   void (*ctor)(void *),
					   unsigned long caller)
{
	struct create_args a = { .align = align, .ctor = ctor,
				 .freeptr = KSLAB_NO_FREEPTR,
				 .useroffset = useroffset,
				 .usersize = usersize };

	check_usercopy(name, size, &a, caller);
	return cache_create(name, size, &a, flags, caller);
}

/* Mirrors kmem_cache_create_usercopy() (a wrapper of it from v6.12). */
struct kslab_cache *kslab_cache_create_usercopy(const char *name,
						unsigned int size,
						unsigned int align,
						slab_flags_t flags,
						unsigned int useroffset,
						unsigned int usersize,
						void (*ctor)(void *))
{
	return kslab_lookaside_create(name, size, align, flags, useroffset,
				      usersize, ctor, _RET_IP_);
}
EXPORT_SYMBOL_GPL(kslab_cache_create_usercopy);

#if KSLAB_CACHE_ARGS
/*
 * Mirrors __kmem_cache_create_args() and create_cache() (mm/slab_common.c,
 * v6.12 and v7.3): a free pointer offset past the object, misaligned for
 * freeptr_t, or on a cache with no reason to move it (v6.12: not
 * SLAB_TYPESAFE_BY_RCU; v7.3: neither that nor a constructor) is the
 * kernel's -EINVAL; the usercopy region as check_usercopy() says.
 */
struct kslab_cache *kslab_cache_create_args(const char *name,
					    unsigned int size,
					    struct kmem_cache_args *args,
					    slab_flags_t flags)
{
	struct kmem_cache_args none = {};
	struct create_args a;

	if (!args)
		args = &none;
	a.align = args->align;
	a.ctor = args->ctor;
	a.freeptr = KSLAB_NO_FREEPTR;
	a.sheaf_capacity = kslab_args_sheaf_capacity(args);
	if (args->use_freeptr_offset) {
		bool why = (flags & SLAB_TYPESAFE_BY_RCU) ||
			   (KSLAB_FREEPTR_CTOR && args->ctor);

		if (args->freeptr_offset >= size || !why ||
		    !IS_ALIGNED(args->freeptr_offset, sizeof(void *))) {
			kslab_report(KSLAB_REPORT_BAD_ARGS, NULL, _RET_IP_,
				     "%s(%s): freeptr_offset %u needs to be word-aligned, below the size %u, on a cache with SLAB_TYPESAFE_BY_RCU%s (kmem_cache_create(): -EINVAL)",
				     __func__, name ?: "NULL", args->freeptr_offset, size,
				     KSLAB_FREEPTR_CTOR ? " or a ctor" : "");
			return NULL;
		}
		a.freeptr = args->freeptr_offset;
	}
	a.useroffset = args->useroffset;
	a.usersize = args->usersize;
	check_usercopy(name, size, &a, _RET_IP_);
	return cache_create(name, size, &a, flags, _RET_IP_);
}
EXPORT_SYMBOL_GPL(kslab_cache_create_args);
#endif

unsigned int kslab_cache_size(const struct kslab_cache *s)
{
	return s->geom.object_size;
}
EXPORT_SYMBOL_GPL(kslab_cache_size);

/* === Objects =========================================================== */

static void *cache_alloc(struct kslab_cache *s, gfp_t gfp, int node,
			 unsigned long caller)
{
	bool atomic;
	void *p;

	if (unlikely(!s)) {
		kslab_report(KSLAB_REPORT_BAD_CACHE, NULL, caller,
			     "kslab_cache_alloc() from a NULL cache");
		return NULL;
	}
	if (unlikely(kslab_rt_refuse(gfp, caller)))
		return NULL;
	gfp = kslab_gfp_prepare(gfp, caller, &atomic);
	/* mm/slub.c:slab_post_alloc_hook()'s WARN_ON_ONCE(), as a report. */
	if (unlikely(s->ctor && (gfp & __GFP_ZERO)))
		kslab_report_cache(KSLAB_REPORT_BAD_GFP, s, NULL, caller,
				   "__GFP_ZERO wipes what the constructor built; drop one of them");
	p = kslab_slab_alloc(s, s->geom.object_size, gfp, node, caller, atomic);
	if (p && kslab_want_init_on_alloc(s, gfp))
		memset(p, 0, s->geom.object_size);
	return p;
}

void *kslab_cache_alloc(struct kslab_cache *s, gfp_t gfp)
{
	return cache_alloc(s, gfp, NUMA_NO_NODE, _RET_IP_);
}
EXPORT_SYMBOL_GPL(kslab_cache_alloc);

void *kslab_cache_alloc_node(struct kslab_cache *s, gfp_t gfp, int node)
{
	return cache_alloc(s, gfp, node, _RET_IP_);
}
EXPORT_SYMBOL_GPL(kslab_cache_alloc_node);

/*
 * Free @p through @s. Mirrors kmem_cache_free() with cache_from_obj()
 * (v6.1 mm/slab.h, v6.12 mm/slub.c) as hardened kernels run it: a pointer
 * kslab never handed out and a large kmalloc are reported and left alone;
 * an object of another cache is reported and freed to its own cache.
 */
static void cache_free(struct kslab_cache *s, void *p, unsigned long caller)
{
	struct kslab_slab *slab;

	rcu_read_lock();
	slab = ZERO_OR_NULL_PTR(p) ? NULL : kslab_slab_lookup(p);
	if (unlikely(!s)) {
		kslab_report(KSLAB_REPORT_BAD_CACHE, p, caller,
			     "kslab_cache_free() to a NULL cache; left alone");
	} else if (unlikely(READ_ONCE(s->dying))) {
		kslab_report_cache(KSLAB_REPORT_BAD_CACHE, s, p, caller,
				   "kslab_cache_free() to a destroyed cache");
	} else if (unlikely(!slab)) {
		kslab_report_cache(KSLAB_REPORT_INVALID_FREE, s, p, caller,
				   "kslab_cache_free() of memory kslab did not allocate");
	} else if (unlikely(!slab->cache)) {
		kslab_report_cache(KSLAB_REPORT_WRONG_CACHE, s, p, caller,
				   "a large kslab_kmalloc() allocation freed through this cache; use kslab_kfree()");
	} else {
		if (unlikely(slab->cache != s))
			kslab_report_cache(KSLAB_REPORT_WRONG_CACHE, s, p, caller,
					   "object of %s freed through this cache; freed to %s",
					   slab->cache->name, slab->cache->name);
		if (!kslab_rt_defer_free(p, caller))
			kslab_slab_free(slab, p, caller);
	}
	rcu_read_unlock();
}

void kslab_cache_free(struct kslab_cache *s, void *p)
{
	cache_free(s, p, _RET_IP_);
}
EXPORT_SYMBOL_GPL(kslab_cache_free);

static noinline int alloc_bulk(struct kslab_cache *s, gfp_t gfp, size_t nr,
			       void **p, unsigned long caller)
{
	bool atomic;
	size_t i;

	if (unlikely(!nr))
		return 0;
	if (unlikely(!s)) {
		kslab_report(KSLAB_REPORT_BAD_CACHE, NULL, caller,
			     "kslab_cache_alloc_bulk() from a NULL cache");
		return 0;
	}
	if (unlikely(kslab_rt_refuse(gfp, caller)))
		return 0;
	gfp = kslab_gfp_prepare(gfp, caller, &atomic);
	if (unlikely(s->ctor && (gfp & __GFP_ZERO)))
		kslab_report_cache(KSLAB_REPORT_BAD_GFP, s, NULL, caller,
				   "__GFP_ZERO wipes what the constructor built; drop one of them");
	if (!kslab_slab_alloc_bulk(s, gfp, nr, p, caller, atomic))
		return 0;
	if (kslab_want_init_on_alloc(s, gfp))
		for (i = 0; i < nr; i++)
			memset(p[i], 0, s->geom.object_size);
	return nr;
}

/*
 * All or nothing, as in kmem_cache_alloc_bulk(); one should_failslab()
 * decides for the whole call, as slab_pre_alloc_hook() does there.
 */
int kslab_cache_alloc_bulk(struct kslab_cache *s, gfp_t gfp, size_t nr,
			   void **p)
{
	return alloc_bulk(s, gfp, nr, p, _RET_IP_);
}
EXPORT_SYMBOL_GPL(kslab_cache_alloc_bulk);

static noinline void free_bulk(struct kslab_cache *s, size_t nr, void **p,
			       unsigned long caller)
{
	size_t i;

	for (i = 0; i < nr; i++) {
		struct kslab_slab *slab;

		if (!p[i])
			continue;
		if (s) {
			cache_free(s, p[i], caller);
			continue;
		}
		if (kslab_rt_defer_free(p[i], caller))
			continue;
		rcu_read_lock();
		slab = kslab_slab_lookup(p[i]);
		if (!slab)
			kslab_report(KSLAB_REPORT_INVALID_FREE, p[i], caller,
				     "kslab_cache_free_bulk() of memory kslab did not allocate");
		else if (slab->cache)
			kslab_slab_free(slab, p[i], caller);
		else
			kslab_large_free(slab, p[i], caller);
		rcu_read_unlock();
	}
}

void kslab_cache_free_bulk(struct kslab_cache *s, size_t nr, void **p)
{
	free_bulk(s, nr, p, _RET_IP_);
}
EXPORT_SYMBOL_GPL(kslab_cache_free_bulk);

/* === Shrink ============================================================ */

/* Under kslab_lookaside_mutex: @s is a kmalloc cache or a live lookaside. */
static bool live_cache(const struct kslab_cache *s)
{
	unsigned int t, i;

	if (listed(s, &kslab_lookaside_caches))
		return true;
	for (t = 0; t < KSLAB_NR_TYPES; t++)
		for (i = 0; i < KSLAB_NR_INDEX; i++)
			if (kslab_caches[t][i] == s)
				return true;
	return false;
}

static noinline int cache_shrink(struct kslab_cache *s, unsigned long caller)
{
	bool live;

	mutex_lock(&kslab_lookaside_mutex);
	live = live_cache(s);
	if (live)
		kslab_cache_pin(s);
	mutex_unlock(&kslab_lookaside_mutex);
	if (!live) {
		kslab_report(KSLAB_REPORT_BAD_CACHE, s, caller,
			     "kslab_cache_shrink() of %s",
			     s && listed(s, &graveyard) ? "a destroyed cache" :
			     "something that is no kslab cache");
		return -EINVAL;
	}
	__kslab_cache_shrink(s);
	kslab_cache_unpin(s);
	return 0;
}

/*
 * __kmem_cache_shrink(): flush_all(), then the node shrink. The flush
 * takes the CPU hotplug lock, so the shrink runs outside
 * kslab_lookaside_mutex (hotplug.c takes them the other way round): the
 * cache is pinned under the mutex while listed, and kslab_cache_destroy()
 * waits for the pin before it frees a slab.
 */
int kslab_cache_shrink(struct kslab_cache *s)
{
	return cache_shrink(s, _RET_IP_);
}
EXPORT_SYMBOL_GPL(kslab_cache_shrink);

/* === Destruction ======================================================= */

/* Free what a destroyed cache kept: its per-CPU part and descriptor. */
static void bury(struct kslab_cache *s)
{
	kslab_cache_close(s);
	kfree(s);
}

static noinline int cache_destroy(struct kslab_cache *s, unsigned long caller)
{
	struct kslab_cache *old = NULL;
	unsigned long live;
	int ret = 0;

	if (!s)
		return 0;
	/* Frees the caller made before, queued (PREEMPT_RT, nolock): done. */
	kslab_defer_flush();
	mutex_lock(&kslab_lookaside_mutex);
	if (!listed(s, &kslab_lookaside_caches)) {
		bool dead = listed(s, &graveyard);

		mutex_unlock(&kslab_lookaside_mutex);
		kslab_report(KSLAB_REPORT_BAD_CACHE, s, caller,
			     "kslab_cache_destroy() of %s; nothing done",
			     dead ? "a cache already destroyed" :
			     "something that is no lookaside cache");
		return -EINVAL;
	}
	list_del(&s->list);
	if (observer)
		observer->remove(s);
	WRITE_ONCE(s->dying, true);
	mutex_unlock(&kslab_lookaside_mutex);

	/*
	 * Every alloc and free that may not have seen ->dying runs in an
	 * RCU read-side section (the local lock, list_lock, or the free's
	 * rcu_read_lock()): after this none touches the slabs any more,
	 * and a free queued meanwhile is run (refused) before they go.
	 */
	synchronize_rcu();
	kslab_defer_flush();
	kslab_cache_wait_pins(s);
	if (s->geom.flags & SLAB_TYPESAFE_BY_RCU)
		rcu_barrier();
	live = kslab_slab_report_live(s);
	if (live) {
		kslab_report_cache(KSLAB_REPORT_CACHE_BUSY, s, NULL, caller,
				   "kslab_cache_destroy() with %lu object(s) still allocated: -EBUSY; their pages are freed anyway",
				   live);
		ret = -EBUSY;
	}
	kslab_slab_release_all(s);
	if (s->geom.flags & SLAB_TYPESAFE_BY_RCU)
		rcu_barrier();

	mutex_lock(&kslab_lookaside_mutex);
	list_add_tail(&s->list, &graveyard);
	if (++graves > KSLAB_GRAVEYARD) {
		old = list_first_entry(&graveyard, struct kslab_cache, list);
		list_del(&old->list);
		graves--;
	}
	mutex_unlock(&kslab_lookaside_mutex);
	if (old)
		bury(old);
	return ret;
}

/*
 * Mirrors list_slab_objects() and __kmem_cache_shutdown()'s -EBUSY; unlike
 * the kernel, which then keeps the cache, kslab frees every page.
 *
 * Lifetime: the cache is marked dying, then destroy waits for a grace
 * period, so an alloc or free racing with it either completes before the
 * pages go or is refused with a "bad-cache" report; kslab_cache_shrink()
 * and debugfs readers are serialised with it by kslab_lookaside_mutex.
 * The descriptor stays in the graveyard for the next KSLAB_GRAVEYARD
 * destructions (or until unload). Destroying a pointer that is no
 * lookaside cache (a kmalloc cache included) is reported and does nothing.
 */
int kslab_cache_destroy(struct kslab_cache *s)
{
	return cache_destroy(s, _RET_IP_);
}
EXPORT_SYMBOL_GPL(kslab_cache_destroy);

/*
 * At unload: caches a user never destroyed are reported and destroyed,
 * then the graveyard is emptied.
 */
void kslab_lookaside_exit(void)
{
	struct kslab_cache *s, *t;

	for (;;) {
		mutex_lock(&kslab_lookaside_mutex);
		s = list_first_entry_or_null(&kslab_lookaside_caches,
					     struct kslab_cache, list);
		mutex_unlock(&kslab_lookaside_mutex);
		if (!s)
			break;
		kslab_report_cache(KSLAB_REPORT_LEAK, s, NULL, 0,
				   "cache never destroyed; destroying it at unload");
		kslab_cache_destroy(s);
	}
	mutex_lock(&kslab_lookaside_mutex);
	list_for_each_entry_safe(s, t, &graveyard, list) {
		list_del(&s->list);
		bury(s);
	}
	graves = 0;
	mutex_unlock(&kslab_lookaside_mutex);
}

/* The body of debugfs "lookaside": one line per cache, sysfs units. */
void kslab_lookaside_show(struct seq_file *m)
{
	struct kslab_cache *s;

	seq_puts(m, "# name object_size slab_size align order objs_per_slab red_left_pad offset inuse flags ctor_calls active_objects quarantined\n");
	mutex_lock(&kslab_lookaside_mutex);
	list_for_each_entry(s, &kslab_lookaside_caches, list) {
		const struct kslab_geom *g = &s->geom;
		struct kslab_counts k;

		kslab_cache_counts(s, &k);
		seq_printf(m, "%s %u %u %u %u %u %u %u %u %#x %ld %lu %lu\n",
			   s->name, g->object_size, g->size, g->align, g->order,
			   g->objects, g->red_left_pad, g->offset, g->inuse,
			   (__force unsigned int)g->flags,
			   atomic_long_read(&s->ctor_calls),
			   k.active, k.quarantined);
	}
	mutex_unlock(&kslab_lookaside_mutex);
}
