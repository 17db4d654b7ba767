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
#include <linux/kmemleak.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>

#include "kslab.h"
#include "trace.h"

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

/*
 * A new descriptor (a real kmalloc object): kmemleak scans only its links
 * (hash node, list, cache), never base or freelist, which point at kslab
 * objects and would hide their leaks (base is the first object's address).
 */
static void desc_scan_links(struct kslab_slab *slab, gfp_t gfp)
{
	kmemleak_scan_area(&slab->hnode, offsetofend(struct kslab_slab, cache) -
			   offsetof(struct kslab_slab, hnode), gfp);
}

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

/* Index of the object at @p in @slab; the caller checks the range. */
static unsigned long obj_index(struct kslab_slab *slab, const void *p)
{
	return (p - kslab_slab_obj(slab, 0)) / slab->cache->geom.size;
}

/* Bytes of kslab_slab for @s: the descriptor and two bitmaps. */
static size_t slab_desc_size(struct kslab_cache *s)
{
	struct kslab_slab *slab;

	return struct_size(slab, live, 2 * BITS_TO_LONGS(s->geom.objects));
}

/*
 * Link every object of @slab that is neither handed out nor quarantined
 * into a new freelist. Used for a new slab, and to recover from a corrupt
 * free pointer instead of trusting it.
 */
static void build_freelist(struct kslab_cache *s, struct kslab_slab *slab)
{
	unsigned long *quar = kslab_slab_quar(slab);
	void **link = &slab->freelist;
	unsigned int i;

	for (i = 0; i < slab->objects; i++) {
		void *obj = kslab_slab_obj(slab, i);

		if (test_bit(i, slab->live) || test_bit(i, quar))
			continue;
		*link = obj;
		link = freeptr(s, obj);
	}
	*link = NULL;
}

/*
 * Get a slab for @s. Mirrors new_slab() and allocate_slab() in mm/slub.c:
 * the caller's zone bits are dropped and the cache's allocflags added;
 * the preferred order is tried without warning or retrying, then the
 * minimum order with the caller's own flags. Objects are carved from the
 * start of the slab at a stride of s->size after the left red zone, the
 * free pointer at s->offset (SLUB's layout without SLAB_FREELIST_RANDOM).
 * Debug caches are filled as setup_slab_debug() and setup_object_debug()
 * do, then the constructor runs once per object, as in setup_object().
 */
static struct kslab_slab *new_slab(struct kslab_cache *s, gfp_t gfp, int node)
{
	const struct kslab_geom *g = &s->geom;
	unsigned int order = g->order;
	struct kslab_slab *slab;
	gfp_t flags, alloc_gfp;
	struct page *page;
	unsigned int i;

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

	slab = kmalloc(slab_desc_size(s), meta_gfp(gfp));
	if (!slab) {
		__free_pages(page, order);
		return NULL;
	}
	desc_scan_links(slab, meta_gfp(gfp));
	slab->cache = s;
	slab->base = page_address(page);
	slab->order = order;
	slab->objects = ((unsigned int)PAGE_SIZE << order) / g->size;

	if (kslab_cache_debug(s))
		kslab_debug_init_slab(slab);
	if (s->ctor) {
		for (i = 0; i < slab->objects; i++)
			s->ctor(kslab_slab_obj(slab, i));
		atomic_long_add(slab->objects, &s->ctor_calls);
	}
	build_freelist(s, slab);

	hash_insert(slab);
	kslab_stats_pages(page, order, true);
	return slab;
}

static void free_slab_pages(struct kslab_slab *slab)
{
	kslab_stats_pages(virt_to_page(slab->base), slab->order, false);
	__free_pages(virt_to_page(slab->base), slab->order);
}

static void rcu_free_slab(struct rcu_head *head)
{
	struct kslab_slab *slab = container_of(head, struct kslab_slab, rcu);

	free_slab_pages(slab);
	kfree(slab);
}

/*
 * Give the pages of an unhashed or dead slab back to the page allocator;
 * after a grace period for SLAB_TYPESAFE_BY_RCU (mm/slub.c:free_slab()).
 */
static void free_slab(struct kslab_slab *slab)
{
	hash_remove(slab);
	if (slab->cache->geom.flags & SLAB_TYPESAFE_BY_RCU) {
		call_rcu(&slab->rcu, rcu_free_slab);
		return;
	}
	free_slab_pages(slab);
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
	s->active_objects -= slab->inuse - slab->nr_quar;
	s->quarantined -= slab->nr_quar;
	slab->dead = true;
}

/* === Objects =========================================================== */

/* One more object of @slab is in use; under s->lock. */
static void take_object(struct kslab_cache *s, struct kslab_slab *slab)
{
	if (++slab->inuse == slab->objects) {
		list_move(&slab->list, &s->full);
		s->nr_partial--;
	}
}

/*
 * Hand out one object of @s. The fast path is a freelist pop under the
 * cache lock; a new slab is allocated with the lock dropped, so a
 * blocking @gfp may sleep there, as in SLUB's ___slab_alloc(). A debug
 * cache checks the object first; a corrupt one is quarantined, reported
 * and the next one taken. should_failslab(), kmemleak and the trace event
 * follow slab_pre_alloc_hook() and slab_post_alloc_hook().
 */
void *kslab_slab_alloc(struct kslab_cache *s, size_t size, gfp_t gfp,
		       int node, unsigned long caller)
{
	struct kslab_finding f = { };
	struct kslab_slab *slab;
	unsigned long flags;
	bool ok = true;
	void *obj;

	if (unlikely(kslab_should_fail(s, gfp))) {
		atomic_long_inc(&s->failures);
		return NULL;
	}
again:
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
	if (kslab_cache_debug(s)) {
		if (unlikely(!kslab_debug_valid_ptr(slab, slab->freelist))) {
			f.item = KSLAB_REPORT_FREELIST;
			f.what = "free pointer";
			f.offset = s->geom.offset;
			__set_bit(obj_index(slab, obj), slab->live);
			build_freelist(s, slab);
			__clear_bit(obj_index(slab, obj), slab->live);
			ok = false;
		}
		if (ok)
			ok = kslab_debug_alloc(s, obj, size, caller, &f);
		if (unlikely(!ok)) {
			/* The object goes to quarantine, never to a user. */
			__set_bit(obj_index(slab, obj), kslab_slab_quar(slab));
			slab->nr_quar++;
			s->quarantined++;
			take_object(s, slab);
			raw_spin_unlock_irqrestore(&s->lock, flags);
			kslab_report_object(s, obj, caller, &f);
			ok = true;
			goto again;
		}
	}
	__set_bit(obj_index(slab, obj), slab->live);
	s->active_objects++;
	if (static_branch_likely(&kslab_stats_on)) {
		s->stats.allocs++;
		s->stats.bytes_req += size;
		s->stats.bytes_alloc += s->geom.size;
	}
	take_object(s, slab);
	raw_spin_unlock_irqrestore(&s->lock, flags);

	kmemleak_alloc_recursive(obj, s->geom.object_size, 1, s->geom.flags,
				 gfp);
	trace_kslab_alloc(caller, obj, s->name, size, s->geom.size, gfp, node);
	return obj;
}

/*
 * Return @p to @slab. Misaligned, stale and double frees are reported and
 * ignored, so a bad free never corrupts a freelist; a debug cache's object
 * with a broken red zone is quarantined. An empty slab beyond min_partial
 * goes back to the page allocator, as in __slab_free().
 */
void kslab_slab_free(struct kslab_slab *slab, void *p, unsigned long caller)
{
	struct kslab_cache *s = slab->cache;
	struct kslab_finding f;
	enum kslab_report_item bad;
	unsigned long flags, idx;
	bool discard = false;
	long off;

	raw_spin_lock_irqsave(&s->lock, flags);
	off = p - kslab_slab_obj(slab, 0);
	idx = off / s->geom.size;
	if (unlikely(slab->dead || off < 0 || idx >= slab->objects)) {
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
	if (kslab_cache_debug(s) &&
	    unlikely(!kslab_debug_free(s, p, caller, &f))) {
		__set_bit(idx, kslab_slab_quar(slab));
		slab->nr_quar++;
		s->quarantined++;
		s->active_objects--;
		raw_spin_unlock_irqrestore(&s->lock, flags);
		kmemleak_free_recursive(p, s->geom.flags);
		kslab_report_object(s, p, caller, &f);
		return;
	}
	kmemleak_free_recursive(p, s->geom.flags);

	if (want_init_on_free() && !s->geom.poison)
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
	trace_kslab_free(caller, p, s->name);
	if (discard)
		free_slab(slab);
	return;
bad:
	raw_spin_unlock_irqrestore(&s->lock, flags);
	kslab_report_cache(bad, s, p, caller, "free at offset %ld of slab",
			   (long)(p - slab->base));
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

static unsigned long report_slab_live(struct kslab_cache *s,
				      struct kslab_slab *slab)
{
	unsigned long n = 0;
	unsigned int i;

	for_each_set_bit(i, slab->live, slab->objects) {
		void *obj = kslab_slab_obj(slab, i);
		unsigned long alloc, free;

		kslab_debug_sites(s, obj, &alloc, &free);
		n++;
		kslab_report_cache(KSLAB_REPORT_LEAK, s, obj, alloc,
				   "object %u of a slab still allocated at destroy%s",
				   i, alloc ? "" : "; SLAB_STORE_USER names its site");
	}
	return n;
}

/*
 * Report every live object of @s, with its allocation site when the cache
 * tracks it (mm/slub.c:list_slab_objects() prints the same on
 * kmem_cache_destroy()). Returns the number of live objects. The caller
 * owns @s exclusively, as kmem_cache_destroy() requires, so the reports
 * are made without the raw lock held.
 */
unsigned long kslab_slab_report_live(struct kslab_cache *s)
{
	struct kslab_slab *slab;
	unsigned long n = 0;

	list_for_each_entry(slab, &s->partial, list)
		n += report_slab_live(s, slab);
	list_for_each_entry(slab, &s->full, list)
		n += report_slab_live(s, slab);
	return n;
}

/*
 * Release every slab of @s on destruction. Live objects of kmalloc caches
 * are reported as leaks, one report per slab (lookaside caches report
 * each object first, kslab_slab_report_live()); the pages are freed
 * regardless.
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
		unsigned int live = slab->inuse - slab->nr_quar, i;

		/* The objects die with their slab: kmemleak must forget them. */
		for_each_set_bit(i, slab->live, slab->objects)
			kmemleak_free_recursive(kslab_slab_obj(slab, i),
						s->geom.flags);

		if (live && (s->geom.flags & SLAB_KMALLOC))
			kslab_report_cache(KSLAB_REPORT_LEAK, s, slab->base, 0,
					   "%u object(s) still allocated at destroy",
					   live);
		free_slab(slab);
	}
}

/* === Counts ============================================================ */

/* Interim, on the single partial list: replaced by the per-CPU core. */
void kslab_cache_counts(struct kslab_cache *s, struct kslab_counts *c)
{
	struct kslab_slab *slab;
	unsigned long flags;

	memset(c, 0, sizeof(*c));
	raw_spin_lock_irqsave(&s->lock, flags);
	c->slabs = s->nr_slabs;
	c->total_objects = s->total_objects;
	c->partial = s->nr_partial;
	list_for_each_entry(slab, &s->partial, list)
		c->objects_partial += slab->inuse;
	c->objects = c->total_objects - (c->partial ? 0 : 0);
	c->active = s->active_objects;
	c->quarantined = s->quarantined;
	c->min_partial = s->geom.min_partial;
	raw_spin_unlock_irqrestore(&s->lock, flags);
}
EXPORT_SYMBOL_GPL(kslab_cache_counts);

unsigned long kslab_cache_active(struct kslab_cache *s)
{
	return READ_ONCE(s->active_objects);
}
EXPORT_SYMBOL_GPL(kslab_cache_active);

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
	desc_scan_links(slab, meta_gfp(gfp));
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
	/* ___kmalloc_large_node(): kmemleak_alloc(ptr, size, 1, flags). */
	kmemleak_alloc(slab->base, size, 1, gfp);
	trace_kslab_alloc(caller, slab->base, "large", size, PAGE_SIZE << order,
			  gfp, node);
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
	kmemleak_free(p);
	trace_kslab_free(caller, p, "large");
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
		kmemleak_free(slab->base);
		kslab_stats_pages(virt_to_page(slab->base), slab->order, false);
		kslab_stats_large(0, slab->order, false);
		__free_pages(virt_to_page(slab->base), slab->order);
		kfree_rcu(slab, rcu);
	}
}
