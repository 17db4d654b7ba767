// SPDX-License-Identifier: GPL-2.0
/*
 * kslab_buckets_create(), _alloc() and _destroy(): kmem_buckets, private
 * copies of the kmalloc size classes, as lookaside caches of kslab's.
 * Their kernel-doc is in include/kslab.h; the comments here say how.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitops.h>
#include <linux/export.h>
#include <linux/minmax.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "../core/core.h"
#include "api.h"

#if KSLAB_HAVE_BUCKETS

/*
 * Live buckets, and destroyed ones kept for the next KSLAB_BUCKET_GRAVES
 * destructions: an allocation from them is a report, not a use after free.
 */
#define KSLAB_BUCKET_GRAVES	16
static LIST_HEAD(live);
static LIST_HEAD(graveyard);
static unsigned int graves;

static bool listed(const struct kslab_buckets *b, struct list_head *head)
{
	struct kslab_buckets *t;

	lockdep_assert_held(&kslab_lookaside_mutex);
	list_for_each_entry(t, head, list)
		if (t == b)
			return true;
	return false;
}

static void destroy_caches(struct kslab_buckets *b)
{
	unsigned int idx;

	for_each_set_bit(idx, &b->owned, KSLAB_NR_INDEX)
		kslab_cache_destroy(b->cache[idx]);
	b->owned = 0;
}

/*
 * Mirrors kmem_buckets_create() (mm/slab_common.c, v6.12 and v7.3): for
 * each kmalloc-<size> of the normal type, a cache "<name>-<size>" of that
 * object size, made once for the index its size has (__kmalloc_index())
 * and shared with the slot it aliases; SLAB_NO_MERGE added; the usercopy
 * region clipped to each size. Without CONFIG_SLAB_BUCKETS, ZERO_SIZE_PTR.
 */
static struct kslab_buckets *buckets_create(const char *name,
					    slab_flags_t flags,
					    unsigned int useroffset,
					    unsigned int usersize,
					    void (*ctor)(void *),
					    unsigned long caller)
{
	struct kslab_buckets *b;
	unsigned int idx;

	BUILD_BUG_ON(KSLAB_NR_INDEX > BITS_PER_LONG);
	if (!KSLAB_BUCKETS)
		return ZERO_SIZE_PTR;
	if (!name) {
		kslab_report(KSLAB_REPORT_BAD_ARGS, NULL, caller,
			     "kslab_buckets_create(NULL): needs a name for its caches");
		return NULL;
	}
	b = kzalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return NULL;

	flags |= SLAB_NO_MERGE;
	for (idx = 0; idx < KSLAB_NR_INDEX; idx++) {
		struct kslab_cache *k = kslab_caches[KSLAB_NORMAL][idx];
		unsigned int size, uoff, usize, aligned;
		const char *short_size;
		char *cname;

		if (!k)
			continue;
		size = k->geom.object_size;
		aligned = k->index;	/* __kmalloc_index(size) */
		if (!b->cache[aligned]) {
			short_size = strchr(k->name, '-');
			if (useroffset >= size) {
				uoff = 0;
				usize = 0;
			} else {
				uoff = useroffset;
				usize = min(size - uoff, usersize);
			}
			cname = kasprintf(GFP_KERNEL, "%s-%s", name,
					  short_size ? short_size + 1 : k->name);
			if (!cname)
				goto fail;
			b->cache[aligned] = kslab_lookaside_create(cname, size, 0,
								   flags, uoff,
								   usize, ctor,
								   caller);
			kfree(cname);
			if (!b->cache[aligned])
				goto fail;
			__set_bit(aligned, &b->owned);
		}
		b->cache[idx] = b->cache[aligned];
	}

	mutex_lock(&kslab_lookaside_mutex);
	list_add_tail(&b->list, &live);
	mutex_unlock(&kslab_lookaside_mutex);
	return b;

fail:
	destroy_caches(b);
	kfree(b);
	return NULL;
}

struct kslab_buckets *kslab_buckets_create(const char *name,
					   slab_flags_t flags,
					   unsigned int useroffset,
					   unsigned int usersize,
					   void (*ctor)(void *))
{
	return buckets_create(name, flags, useroffset, usersize, ctor,
			      _RET_IP_);
}
EXPORT_SYMBOL_GPL(kslab_buckets_create);

/* The cache for @size: kmalloc_slab() with buckets, NULL if destroyed. */
struct kslab_cache *kslab_buckets_cache(struct kslab_buckets *b, size_t size,
					unsigned long caller)
{
	if (unlikely(READ_ONCE(b->dead))) {
		kslab_report(KSLAB_REPORT_BAD_CACHE, b, caller,
			     "kslab_buckets_alloc() from buckets destroyed already");
		return NULL;
	}
	return b->cache[__kslab_size_index(size)];
}

static int buckets_destroy(struct kslab_buckets *b, unsigned long caller)
{
	struct kslab_buckets *old = NULL;
	int ret = 0;
	unsigned int idx;

	if (ZERO_OR_NULL_PTR(b))
		return 0;
	mutex_lock(&kslab_lookaside_mutex);
	if (!listed(b, &live)) {
		bool dead = listed(b, &graveyard);

		mutex_unlock(&kslab_lookaside_mutex);
		kslab_report(KSLAB_REPORT_BAD_CACHE, b, caller,
			     "kslab_buckets_destroy() of %s; nothing done",
			     dead ? "buckets destroyed already" :
			     "something that is no kslab buckets");
		return -EINVAL;
	}
	list_del(&b->list);
	WRITE_ONCE(b->dead, true);
	mutex_unlock(&kslab_lookaside_mutex);

	/* Each cache's destroy waits out the allocations that raced this. */
	for_each_set_bit(idx, &b->owned, KSLAB_NR_INDEX)
		if (kslab_cache_destroy(b->cache[idx]))
			ret = -EBUSY;
	b->owned = 0;

	mutex_lock(&kslab_lookaside_mutex);
	list_add_tail(&b->list, &graveyard);
	if (++graves > KSLAB_BUCKET_GRAVES) {
		old = list_first_entry(&graveyard, struct kslab_buckets, list);
		list_del(&old->list);
		graves--;
	}
	mutex_unlock(&kslab_lookaside_mutex);
	kfree(old);
	return ret;
}

int kslab_buckets_destroy(struct kslab_buckets *b)
{
	return buckets_destroy(b, _RET_IP_);
}
EXPORT_SYMBOL_GPL(kslab_buckets_destroy);

/* At unload, before the lookaside caches go: report and destroy leaks. */
void kslab_buckets_exit(void)
{
	struct kslab_buckets *b, *t;

	for (;;) {
		mutex_lock(&kslab_lookaside_mutex);
		b = list_first_entry_or_null(&live, struct kslab_buckets, list);
		mutex_unlock(&kslab_lookaside_mutex);
		if (!b)
			break;
		kslab_report(KSLAB_REPORT_LEAK, b, 0,
			     "buckets never destroyed; destroying them at unload");
		buckets_destroy(b, 0);
	}
	mutex_lock(&kslab_lookaside_mutex);
	list_for_each_entry_safe(b, t, &graveyard, list) {
		list_del(&b->list);
		kfree(b);
	}
	graves = 0;
	mutex_unlock(&kslab_lookaside_mutex);
}

#else /* !KSLAB_HAVE_BUCKETS */

void kslab_buckets_exit(void)
{
}

#endif
