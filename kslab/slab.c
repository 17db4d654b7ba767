// SPDX-License-Identifier: GPL-2.0
/*
 * Slab pages of the shadow caches: taking pages from the real page
 * allocator, carving objects as SLUB lays them out, the freelists, the
 * partial and full lists, and the large-allocation path.
 *
 * Lock order:
 *   1. kslab_cache->lock (raw, irqsave: any context, hardirq included)
 *   2. hash_lock (raw, irqsave)
 * Lookups of the slab hash run under rcu_read_lock(); slab descriptors
 * are freed with kfree_rcu().
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/export.h>
#include <linux/gfp.h>
#include <linux/hashtable.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>

#include "kslab.h"

#define SLAB_HASH_BITS	10

static DEFINE_HASHTABLE(slab_hash, SLAB_HASH_BITS);
static DEFINE_RAW_SPINLOCK(hash_lock);	/* Serialises slab_hash updates */

/* === Slab hash ========================================================= */

static unsigned long hash_key(const void *base)
{
	return (unsigned long)base >> PAGE_SHIFT;
}

static void hash_insert(struct kslab_slab *slab)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&hash_lock, flags);
	hash_add_rcu(slab_hash, &slab->hnode, hash_key(slab->base));
	raw_spin_unlock_irqrestore(&hash_lock, flags);
}

/* Unhash @slab; false if someone else already did (a racing free). */
static bool hash_remove(struct kslab_slab *slab)
{
	unsigned long flags;
	bool removed = false;

	raw_spin_lock_irqsave(&hash_lock, flags);
	if (!hlist_unhashed(&slab->hnode)) {
		hash_del_rcu(&slab->hnode);
		removed = true;
	}
	raw_spin_unlock_irqrestore(&hash_lock, flags);
	return removed;
}

/*
 * The slab or large allocation that contains @p, or NULL if kslab did not
 * hand out the memory. Never dereferences a foreign page's private fields:
 * only the memmap entry (always mapped for a valid linear address) is
 * read. Call under rcu_read_lock().
 */
struct kslab_slab *kslab_slab_lookup(const void *p)
{
	struct kslab_slab *slab;
	void *base;

	if (!virt_addr_valid(p))
		return NULL;
	base = folio_address(virt_to_folio(p));
	hash_for_each_possible_rcu(slab_hash, slab, hnode, hash_key(base))
		if (slab->base == base)
			return slab;
	return NULL;
}
EXPORT_SYMBOL_GPL(kslab_slab_lookup);

/* === Slab pages ======================================================== */

/* Flags for kslab's own descriptor: the caller's reclaim rules, no zone. */
static gfp_t meta_gfp(gfp_t gfp)
{
	return (gfp & (KSLAB_GFP_RECLAIM_MASK | KSLAB_GFP_CONSTRAINT_MASK)) |
	       __GFP_ZERO;
}

/* mm/slub.c:alloc_slab_page() (v6.1 and v6.12). */
static struct page *alloc_slab_page(gfp_t gfp, int node, unsigned int order)
{
	if (node == NUMA_NO_NODE)
		return alloc_pages(gfp, order);
	return __alloc_pages_node(node, gfp, order);
}

static void **freeptr(struct kslab_cache *s, void *obj)
{
	return (void **)(obj + s->geom.offset);
}

/*
 * Get a slab for @s. Mirrors new_slab() and allocate_slab() in mm/slub.c:
 * the caller's zone bits are dropped and the cache's allocflags added;
 * the preferred order is tried without warning or retrying, then the
 * minimum order with the caller's own flags. Objects are carved from the
 * start of the slab at a stride of s->size, the free pointer at s->offset
 * (SLUB's layout without SLAB_FREELIST_RANDOM).
 */
static struct kslab_slab *new_slab(struct kslab_cache *s, gfp_t gfp, int node)
{
	const struct kslab_geom *g = &s->geom;
	unsigned int order = g->order;
	struct kslab_slab *slab;
	gfp_t flags, alloc_gfp;
	struct page *page;
	unsigned int i;
	void *p;

	flags = (gfp & (KSLAB_GFP_RECLAIM_MASK | KSLAB_GFP_CONSTRAINT_MASK)) |
		s->allocflags;
	alloc_gfp = (flags | __GFP_NOWARN | __GFP_NORETRY) & ~__GFP_NOFAIL;
	if ((alloc_gfp & __GFP_DIRECT_RECLAIM) && order > g->min_order)
		alloc_gfp = (alloc_gfp | __GFP_NOMEMALLOC) & ~__GFP_RECLAIM;

	page = alloc_slab_page(alloc_gfp, node, order);
	if (unlikely(!page)) {
		order = g->min_order;
		page = alloc_slab_page(flags, node, order);
		if (!page)
			return NULL;
	}

	slab = kmalloc(struct_size(slab, live,
				   BITS_TO_LONGS(g->objects)), meta_gfp(gfp));
	if (!slab) {
		__free_pages(page, order);
		return NULL;
	}
	slab->cache = s;
	slab->base = page_address(page);
	slab->order = order;
	slab->objects = ((unsigned int)PAGE_SIZE << order) / g->size;

	p = slab->base;
	for (i = 0; i + 1 < slab->objects; i++, p += g->size)
		*freeptr(s, p) = p + g->size;
	*freeptr(s, p) = NULL;
	slab->freelist = slab->base;

	hash_insert(slab);
	kslab_stats_pages(page, order, true);
	return slab;
}

/* Give the pages of an unhashed or dead slab back to the page allocator. */
static void free_slab(struct kslab_slab *slab)
{
	hash_remove(slab);
	kslab_stats_pages(virt_to_page(slab->base), slab->order, false);
	__free_pages(virt_to_page(slab->base), slab->order);
	kfree_rcu(slab, rcu);
}

/* Account a slab leaving @s; under s->lock. */
static void unlink_slab(struct kslab_cache *s, struct kslab_slab *slab,
			bool partial)
{
	list_del(&slab->list);
	if (partial)
		s->nr_partial--;
	s->nr_slabs--;
	s->nr_pages -= 1UL << slab->order;
	s->total_objects -= slab->objects;
	s->active_objects -= slab->inuse;
	slab->dead = true;
}

/* === Objects =========================================================== */

/*
 * Hand out one object of @s. The fast path is a freelist pop under the
 * cache lock; a new slab is allocated with the lock dropped, so a
 * blocking @gfp may sleep there, as in SLUB's ___slab_alloc().
 */
void *kslab_slab_alloc(struct kslab_cache *s, size_t size, gfp_t gfp,
		       int node, unsigned long caller)
{
	struct kslab_slab *slab;
	unsigned long flags;
	void *obj;

	raw_spin_lock_irqsave(&s->lock, flags);
	slab = list_first_entry_or_null(&s->partial, struct kslab_slab, list);
	if (unlikely(!slab)) {
		raw_spin_unlock_irqrestore(&s->lock, flags);
		slab = new_slab(s, gfp, node);
		if (!slab) {
			atomic_long_inc(&s->failures);
			return NULL;
		}
		raw_spin_lock_irqsave(&s->lock, flags);
		list_add(&slab->list, &s->partial);
		s->nr_partial++;
		s->nr_slabs++;
		s->nr_pages += 1UL << slab->order;
		s->total_objects += slab->objects;
	}

	obj = slab->freelist;
	slab->freelist = *freeptr(s, obj);
	__set_bit((obj - slab->base) / s->geom.size, slab->live);
	s->active_objects++;
	if (static_branch_likely(&kslab_stats_on)) {
		s->stats.allocs++;
		s->stats.bytes_req += size;
		s->stats.bytes_alloc += s->geom.size;
	}
	if (++slab->inuse == slab->objects) {
		list_move(&slab->list, &s->full);
		s->nr_partial--;
	}
	raw_spin_unlock_irqrestore(&s->lock, flags);
	return obj;
}

/*
 * Return @p to @slab. Misaligned, stale and double frees are reported and
 * ignored, so a bad free never corrupts a freelist. An empty slab beyond
 * min_partial goes back to the page allocator, as in __slab_free().
 */
void kslab_slab_free(struct kslab_slab *slab, void *p, unsigned long caller)
{
	struct kslab_cache *s = slab->cache;
	unsigned long off = p - slab->base;
	enum kslab_report_item bad;
	unsigned long flags, idx;
	bool discard = false;

	raw_spin_lock_irqsave(&s->lock, flags);
	idx = off / s->geom.size;
	if (unlikely(slab->dead || idx >= slab->objects)) {
		bad = KSLAB_REPORT_INVALID_FREE;
		goto bad;
	}
	if (unlikely(off % s->geom.size)) {
		bad = KSLAB_REPORT_INTERIOR_FREE;
		goto bad;
	}
	if (unlikely(!__test_and_clear_bit(idx, slab->live))) {
		bad = KSLAB_REPORT_DOUBLE_FREE;
		goto bad;
	}

	if (want_init_on_free())
		memset(p, 0, s->geom.object_size);
	*freeptr(s, p) = slab->freelist;
	slab->freelist = p;
	s->active_objects--;
	if (static_branch_likely(&kslab_stats_on))
		s->stats.frees++;
	if (slab->inuse-- == slab->objects) {
		list_move(&slab->list, &s->partial);
		s->nr_partial++;
	}
	if (!slab->inuse && s->nr_partial > s->geom.min_partial) {
		unlink_slab(s, slab, true);
		discard = true;
	}
	raw_spin_unlock_irqrestore(&s->lock, flags);
	if (discard)
		free_slab(slab);
	return;
bad:
	raw_spin_unlock_irqrestore(&s->lock, flags);
	kslab_report(bad, p, caller, "%s: free at offset %lu of slab",
		     s->name, off);
}

/* Release the empty slabs of @s (kmem_cache_shrink()). */
void kslab_slab_discard_empty(struct kslab_cache *s)
{
	struct kslab_slab *slab, *tmp;
	unsigned long flags;
	LIST_HEAD(empty);

	raw_spin_lock_irqsave(&s->lock, flags);
	list_for_each_entry_safe(slab, tmp, &s->partial, list) {
		if (slab->inuse)
			continue;
		unlink_slab(s, slab, true);
		list_add(&slab->list, &empty);
	}
	raw_spin_unlock_irqrestore(&s->lock, flags);

	list_for_each_entry_safe(slab, tmp, &empty, list)
		free_slab(slab);
}

/*
 * Release every slab of @s on destruction. Live objects are reported as
 * leaks, one report per slab, and their pages are freed regardless.
 */
void kslab_slab_release_all(struct kslab_cache *s)
{
	struct kslab_slab *slab, *tmp;
	unsigned long flags;
	LIST_HEAD(all);

	raw_spin_lock_irqsave(&s->lock, flags);
	list_for_each_entry_safe(slab, tmp, &s->partial, list) {
		unlink_slab(s, slab, true);
		list_add(&slab->list, &all);
	}
	list_for_each_entry_safe(slab, tmp, &s->full, list) {
		unlink_slab(s, slab, false);
		list_add(&slab->list, &all);
	}
	raw_spin_unlock_irqrestore(&s->lock, flags);

	list_for_each_entry_safe(slab, tmp, &all, list) {
		if (slab->inuse)
			kslab_report(KSLAB_REPORT_LEAK, slab->base, 0,
				     "%s: %u object(s) still allocated at destroy",
				     s->name, slab->inuse);
		free_slab(slab);
	}
}

/* === Large allocations ================================================= */

/*
 * Sizes above KMALLOC_MAX_CACHE_SIZE. Mirrors __kmalloc_large_node() in
 * mm/slab_common.c (v6.1) / ___kmalloc_large_node() in mm/slub.c (v6.12):
 * a compound page of get_order(@size) straight from the page allocator.
 * Orders above the page allocator's limit fail as it does (it warns once
 * unless __GFP_NOWARN); kslab reports them itself instead of consuming
 * the page allocator's one-shot warning.
 */
void *kslab_large_alloc(size_t size, gfp_t gfp, int node,
			unsigned long caller)
{
	unsigned int order = get_order(size);
	struct kslab_slab *slab;
	struct page *page;

	if (unlikely(order > KSLAB_MAX_PAGE_ORDER)) {
		if (gfp & __GFP_NOWARN)
			kslab_report_note(KSLAB_REPORT_OVERSIZE);
		else
			kslab_report(KSLAB_REPORT_OVERSIZE, NULL, caller,
				     "kmalloc(%zu) is above KMALLOC_MAX_SIZE %lu; pass __GFP_NOWARN if failure is expected",
				     size, KSLAB_MAX_SIZE);
		return NULL;
	}

	slab = kmalloc(sizeof(*slab), meta_gfp(gfp));
	if (!slab)
		return NULL;
	page = kslab_large_alloc_pages(gfp | __GFP_COMP, node, order);
	if (!page) {
		kfree(slab);
		return NULL;
	}
	slab->base = page_address(page);
	slab->order = order;
	slab->objects = 1;
	slab->inuse = 1;
	hash_insert(slab);
	kslab_stats_pages(page, order, true);
	kslab_stats_large(size, order, true);
	return slab->base;
}

/* mm/slab_common.c (v6.1) / mm/slub.c (v6.12): free_large_kmalloc(). */
void kslab_large_free(struct kslab_slab *slab, const void *p,
		      unsigned long caller)
{
	if (unlikely(p != slab->base)) {
		kslab_report(KSLAB_REPORT_INTERIOR_FREE, p, caller,
			     "free inside a large allocation");
		return;
	}
	if (unlikely(!hash_remove(slab))) {
		kslab_report(KSLAB_REPORT_DOUBLE_FREE, p, caller,
			     "large allocation already freed");
		return;
	}
	kslab_stats_pages(virt_to_page(slab->base), slab->order, false);
	kslab_stats_large(0, slab->order, false);
	__free_pages(virt_to_page(slab->base), slab->order);
	kfree_rcu(slab, rcu);
}

/*
 * At unload: large allocations never freed are leaks. Report each and
 * give its pages back, so that unloading kslab never leaks memory.
 */
void kslab_large_release_all(void)
{
	struct kslab_slab *slab;
	struct hlist_node *tmp;
	unsigned long flags;
	HLIST_HEAD(leaked);
	unsigned int bkt;

	raw_spin_lock_irqsave(&hash_lock, flags);
	hash_for_each_safe(slab_hash, bkt, tmp, slab, hnode) {
		if (slab->cache)
			continue;
		hash_del_rcu(&slab->hnode);
		hlist_add_head(&slab->hnode, &leaked);
	}
	raw_spin_unlock_irqrestore(&hash_lock, flags);

	hlist_for_each_entry_safe(slab, tmp, &leaked, hnode) {
		hlist_del_init(&slab->hnode);
		kslab_report(KSLAB_REPORT_LEAK, slab->base, 0,
			     "large allocation of order %u never freed",
			     slab->order);
		kslab_stats_pages(virt_to_page(slab->base), slab->order, false);
		kslab_stats_large(0, slab->order, false);
		__free_pages(virt_to_page(slab->base), slab->order);
		kfree_rcu(slab, rcu);
	}
}
