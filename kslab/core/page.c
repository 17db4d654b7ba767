// SPDX-License-Identifier: GPL-2.0
/*
 * Slab pages: taking them from the real page allocator, carving objects
 * as SLUB lays them out (shuffled where SLAB_FREELIST_RANDOM is set), and
 * the marks that find an object's slab in O(1).
 *
 * As SLUB finds its struct slab in the folio of any object, kslab finds
 * its descriptor in the folio's head page: the private field holds the
 * pointer, and the index field the pointer XOR a random per-load key. A
 * lookup reads both fields (the memmap is always mapped for a valid
 * linear address) and follows the pointer only when they agree, so a
 * foreign or recycled page, whatever its fields hold, is recognised
 * without kslab dereferencing anything it does not own: matching would
 * take a page whose two fields happen to differ by the 64-bit key.
 *
 * Lookups run under rcu_read_lock(); descriptors are freed after a grace
 * period.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/export.h>
#include <linux/gfp.h>
#include <linux/kmemleak.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/random.h>
#include <linux/slab.h>

#include "core.h"

/* === Slab marks ======================================================== */

unsigned long kslab_slab_key __read_mostly;	/* Random, set at load */

void kslab_slab_key_init(void)
{
	kslab_slab_key = get_random_long() | 1;
}

/*
 * Mark @slab's head page as kslab's: the descriptor in the private field,
 * and in the index field the same pointer mixed with kslab_slab_key. The
 * page is kslab's own from the page allocator, so nobody else reads or
 * writes either field meanwhile (mm/slub.c keeps its struct slab in the
 * same place). A lookup racing with the mark is of a stale pointer into
 * pages reused for a slab: the private field is stored last, with
 * release order, and __kslab_slab_lookup() loads it with acquire, so a
 * lookup that sees it sees the tag and the whole descriptor too (on
 * arm64 plain stores may become visible in any order). One seen
 * half-written makes the lookup miss, which is its report.
 */
void kslab_slab_mark(struct kslab_slab *slab)
{
	struct folio *folio = slab->folio;

	WRITE_ONCE(folio->index, (unsigned long)slab ^ kslab_slab_key);
	/* Pairs with __kslab_slab_lookup()'s acquire: all above is seen. */
	smp_store_release(&folio->private, slab);
}

/*
 * Forget @slab before its pages go back: lookups from now on miss it, and
 * the page allocator gets the fields it handed out, cleared.
 */
void kslab_slab_unmark(struct kslab_slab *slab)
{
	struct folio *folio = slab->folio;

	WRITE_ONCE(folio->private, NULL);
	WRITE_ONCE(folio->index, 0);
}

/**
 * kslab_slab_lookup - the slab or large allocation holding @p
 * @p: any address
 *
 * O(1): the folio's private and index fields name the descriptor, and it
 * must own this folio. Never dereferences memory kslab does not own. Call
 * under rcu_read_lock().
 *
 * Return: the slab, or NULL if kslab did not hand out this memory.
 */
struct kslab_slab *kslab_slab_lookup(const void *p)
{
	return __kslab_slab_lookup(p);
}
EXPORT_SYMBOL_NS_GPL(kslab_slab_lookup, KSLAB_INTERNAL_NS);

/* === Freelists ========================================================= */

/* Flags for kslab's own descriptors: the caller's reclaim rules, no zone. */
gfp_t kslab_meta_gfp(gfp_t gfp)
{
	return (gfp & (KSLAB_GFP_RECLAIM_MASK | KSLAB_GFP_CONSTRAINT_MASK)) |
	       __GFP_ZERO;
}

/*
 * mm/slab_common.c:cache_random_seq_create() with freelist_randomize()
 * (Fisher-Yates; v6.1 draws from a prandom state, v6.12 from
 * get_random_u32_below()) and mm/slub.c:init_cache_random_seq(): a
 * permutation of the objects of a full-order slab, as byte offsets.
 */
int kslab_init_random_seq(struct kslab_cache *s)
{
	unsigned int count = s->geom.objects, i;

	if (!IS_ENABLED(CONFIG_SLAB_FREELIST_RANDOM) || count < 2)
		return 0;
	s->random_seq = kcalloc(count, sizeof(*s->random_seq), GFP_KERNEL);
	if (!s->random_seq)
		return -ENOMEM;
	for (i = 0; i < count; i++)
		s->random_seq[i] = i;
	for (i = count - 1; i > 0; i--) {
		unsigned int r = get_random_u32_below(i + 1);

		swap(s->random_seq[i], s->random_seq[r]);
	}
	for (i = 0; i < count; i++)
		s->random_seq[i] *= s->geom.size;
	return 0;
}

/* mm/slub.c:next_freelist_entry(): skip offsets past a fallback slab. */
static void *next_entry(struct kslab_cache *s, unsigned long *pos,
			void *start, unsigned long limit)
{
	unsigned int off;

	do {
		off = s->random_seq[*pos];
		if (++*pos >= s->geom.objects)
			*pos = 0;
	} while (unlikely(off >= limit));
	return start + off;
}

/*
 * mm/slub.c:shuffle_freelist(): the cache's permutation, rotated to a
 * random start, linked in that order; the constructor runs in it.
 */
static void shuffle_freelist(struct kslab_cache *s, struct kslab_slab *slab)
{
	unsigned long pos = get_random_u32_below(s->geom.objects);
	unsigned long limit = slab->objects * s->geom.size;
	void *start = kslab_slab_obj(slab, 0);
	void **link = &slab->freelist;
	unsigned int i;

	for (i = 0; i < slab->objects; i++) {
		void *obj = next_entry(s, &pos, start, limit);

		if (s->ctor)
			s->ctor(obj);
		*link = obj;
		link = kslab_freeptr(s, obj);
	}
	*link = NULL;
}

/*
 * Link every object of @slab that is neither handed out nor quarantined
 * into slab->freelist, in address order: SLUB's layout without
 * SLAB_FREELIST_RANDOM, and the recovery of a corrupt free pointer.
 */
void kslab_build_freelist(struct kslab_cache *s, struct kslab_slab *slab)
{
	unsigned long *quar = kslab_slab_quar(slab);
	void **link = &slab->freelist;
	unsigned int i;

	for (i = 0; i < slab->objects; i++) {
		void *obj = kslab_slab_obj(slab, i);

		if (slab->live[i] || test_bit(i, quar))
			continue;
		*link = obj;
		link = kslab_freeptr(s, obj);
	}
	*link = NULL;
}

/* === Slab pages ======================================================== */

/* === Descriptors ======================================================= */

/**
 * kslab_slab_desc_alloc - a zeroed slab descriptor for up to @objects
 * @objects: objects the slab may hold
 * @gfp: the caller's flags, for kslab_meta_gfp()
 *
 * One real kmalloc object: the live map (long-aligned), the struct, the
 * quarantine bitmap. kmemleak scans only the struct's links, never base
 * or the freelist.
 *
 * Return: the descriptor, or NULL.
 */
struct kslab_slab *kslab_slab_desc_alloc(unsigned int objects, gfp_t gfp)
{
	size_t map = ALIGN(objects, sizeof(unsigned long));
	struct kslab_slab *slab;
	u8 *mem;

	mem = kmalloc(map + sizeof(*slab) +
		      BITS_TO_LONGS(objects) * sizeof(unsigned long),
		      kslab_meta_gfp(gfp));
	if (!mem)
		return NULL;
	slab = (struct kslab_slab *)(mem + map);
	slab->live = mem;
	kmemleak_scan_area(&slab->all, offsetofend(struct kslab_slab, list) -
			   offsetof(struct kslab_slab, all), kslab_meta_gfp(gfp));
	return slab;
}

/* Free a descriptor nobody can reach any more. */
void kslab_slab_desc_free(struct kslab_slab *slab)
{
	kfree(slab->live);
}

static void desc_free_rcu(struct rcu_head *head)
{
	kslab_slab_desc_free(container_of(head, struct kslab_slab, rcu));
}

/* Free a descriptor once every RCU lookup that may have found it is over. */
void kslab_slab_desc_free_rcu(struct kslab_slab *slab)
{
	call_rcu(&slab->rcu, desc_free_rcu);
}

/* === Slab pages ======================================================== */

/* mm/slub.c:alloc_slab_page() (v6.1 and v6.12). */
static struct page *alloc_slab_page(gfp_t gfp, int node, unsigned int order)
{
	if (node == NUMA_NO_NODE)
		return alloc_pages(gfp, order);
	return kslab_alloc_pages_node(node, gfp, order);
}

/*
 * A new slab of @s, its objects on slab->freelist and inuse 0. Mirrors
 * allocate_slab() in mm/slub.c: the caller's zone bits are dropped and the
 * cache's allocflags added; the preferred order is tried without warning
 * or retrying, then the minimum order with the caller's own flags, so
 * under fragmentation a slab holds fewer objects. Debug caches are filled
 * as setup_slab_debug() does; the constructor runs once per object, as in
 * setup_object(). Pages come with the zone rules of the real allocator.
 */
struct kslab_slab *kslab_new_slab(struct kslab_cache *s, gfp_t gfp, int node)
{
	const struct kslab_geom *g = &s->geom;
	unsigned int order = g->order, i;
	struct kslab_slab *slab;
	gfp_t flags, alloc_gfp;
	struct page *page;

	flags = (gfp & (KSLAB_GFP_RECLAIM_MASK | KSLAB_GFP_CONSTRAINT_MASK)) |
		s->allocflags;
	alloc_gfp = (flags | __GFP_NOWARN | __GFP_NORETRY) & ~__GFP_NOFAIL;
	if ((alloc_gfp & __GFP_DIRECT_RECLAIM) && order > g->min_order)
		alloc_gfp = (alloc_gfp | __GFP_NOMEMALLOC) & ~__GFP_RECLAIM;

	/* Every caller has done so; the page allocator must never see it. */
	node = kslab_node_usable(node);
	page = alloc_slab_page(alloc_gfp, node, order);
	if (unlikely(!page)) {
		order = g->min_order;
		page = alloc_slab_page(flags, node, order);
		if (!page)
			return NULL;
	}

	slab = kslab_slab_desc_alloc(g->objects, gfp);
	if (!slab)
		goto free_pages;
	slab->cache = s;
	slab->base = page_address(page);
	slab->folio = page_folio(page);
	slab->order = order;
	slab->objects = ((unsigned int)PAGE_SIZE << order) / g->size;
	slab->nid = page_to_nid(page);
	raw_spin_lock_init(&slab->lock);
	INIT_LIST_HEAD(&slab->list);
	kslab_slab_mark(slab);

	if (kslab_cache_debug(s))
		kslab_debug_init_slab(slab);
	if (s->random_seq && slab->objects >= 2) {
		shuffle_freelist(s, slab);
	} else {
		if (s->ctor)
			for (i = 0; i < slab->objects; i++)
				s->ctor(kslab_slab_obj(slab, i));
		kslab_build_freelist(s, slab);
	}
	if (s->ctor)
		atomic_long_add(slab->objects, &s->ctor_calls);
	kslab_stats_pages(page, order, true);
	return slab;

free_pages:
	__free_pages(page, order);
	return NULL;
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
	kslab_slab_desc_free(slab);
}

/*
 * Give the pages of a discarded slab back to the page allocator; after a
 * grace period for SLAB_TYPESAFE_BY_RCU (mm/slub.c:free_slab()). The
 * descriptor outlives every RCU lookup that may have found it.
 */
void kslab_free_slab(struct kslab_slab *slab)
{
	kslab_slab_unmark(slab);
	if (slab->cache->geom.flags & SLAB_TYPESAFE_BY_RCU) {
		call_rcu(&slab->rcu, rcu_free_slab);
		return;
	}
	free_slab_pages(slab);
	kslab_slab_desc_free_rcu(slab);
}
