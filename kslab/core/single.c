// SPDX-License-Identifier: GPL-2.0
/*
 * Caches without a cpu slab: debug caches (and every cache under
 * SLUB_TINY, v6.12) take and return one object at a time under the node's
 * list_lock, with the debug checks at this edge. Mirrors
 * alloc_single_from_partial(), alloc_single_from_new_slab() and
 * free_to_partial_list() in mm/slub.c (v6.1 and v6.12).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kmemleak.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "core.h"
#include "../check/trace.h"

/* Keep @obj of @slab out of use for good; under list_lock. */
static void quarantine(struct kslab_cache *s, struct kslab_slab *slab,
		       unsigned int idx)
{
	__set_bit(idx, kslab_slab_quar(slab));
	slab->nr_quar++;
	s->node.quarantined++;
}

/*
 * One object from the first node partial slab, or from a new slab that
 * then goes to the partial head (to no list if it holds one object). A
 * corrupt free pointer is not followed: the freelist is rebuilt from the
 * bitmaps. An object failing its checks is quarantined and the next taken.
 */
void *kslab_alloc_single(struct kslab_cache *s, size_t size, gfp_t gfp,
			 int node, unsigned long caller)
{
	struct kslab_node *n = &s->node;
	struct kslab_slab *slab;
	struct kslab_finding f;
	unsigned long flags;
	unsigned int idx;
	void *obj, *next;

	node = kslab_node_usable(node);
again:
	memset(&f, 0, sizeof(f));
	spin_lock_irqsave(&n->list_lock, flags);
	/* Inside the section kslab_cache_destroy() waits for. */
	if (unlikely(READ_ONCE(s->dying)))
		goto dying;
	list_for_each_entry(slab, &n->partial, list)
		if (node == NUMA_NO_NODE || slab->nid == node)
			goto found;
	spin_unlock_irqrestore(&n->list_lock, flags);
	slab = kslab_new_slab(s, gfp, node);
	if (!slab)
		return NULL;
	spin_lock_irqsave(&n->list_lock, flags);
	if (unlikely(READ_ONCE(s->dying))) {
		spin_unlock_irqrestore(&n->list_lock, flags);
		kslab_free_slab(slab);
		return NULL;
	}
	__kslab_add_slab(s, slab);
	if (slab->objects > 1)
		kslab_add_partial(n, slab, false);
found:
	obj = slab->freelist;
	idx = kslab_obj_index(s, slab, obj);
	next = *kslab_freeptr(s, obj);
	/*
	 * mm/slub.c:on_freelist() counts the chain against the free objects;
	 * kslab knows their number: a NULL next while others remain free
	 * is as corrupt as a wild one.
	 */
	if (unlikely(!kslab_debug_valid_ptr(slab, next) ||
		     (!next && slab->objects - slab->inuse > 1))) {
		f.item = KSLAB_REPORT_FREELIST;
		f.what = "free pointer";
		f.offset = s->geom.offset;
		slab->live[idx] = 1;
		kslab_build_freelist(s, slab);
		slab->live[idx] = 0;
		next = slab->freelist;
	} else if (kslab_debug_alloc(s, obj, size, caller, &f)) {
		f.item = KSLAB_NR_REPORT_ITEMS;
	}
	slab->freelist = next;
	slab->inuse++;
	if (slab->inuse == slab->objects && slab->node_partial)
		kslab_remove_partial(n, slab);
	if (unlikely(f.item != KSLAB_NR_REPORT_ITEMS)) {
		/* The object goes to quarantine, never to a user. */
		quarantine(s, slab, idx);
		spin_unlock_irqrestore(&n->list_lock, flags);
		kslab_report_object(s, obj, caller, &f);
		goto again;
	}

	WRITE_ONCE(slab->live[idx], 1);
	spin_unlock_irqrestore(&n->list_lock, flags);
	this_cpu_inc(s->cpu->allocs);
	if (static_branch_likely(&kslab_stats_on)) {
		this_cpu_add(s->cpu->bytes_req, size);
		this_cpu_add(s->cpu->bytes_alloc, s->geom.size);
	}
	return obj;
dying:
	spin_unlock_irqrestore(&n->list_lock, flags);
	return NULL;
}

/*
 * Return @p under list_lock: a double free or a failed check is reported
 * and the object left alone or quarantined. An empty slab is discarded
 * once the node holds min_partial slabs; a full one goes to the tail.
 */
void kslab_free_single(struct kslab_slab *slab, void *p, unsigned long caller)
{
	struct kslab_cache *s = slab->cache;
	unsigned int idx = kslab_obj_index(s, slab, p);
	struct kslab_node *n = &s->node;
	bool discard = false, was_full;
	struct kslab_finding f;
	unsigned long flags;

	spin_lock_irqsave(&n->list_lock, flags);
	if (unlikely(slab->dead ||
		     cmpxchg(&slab->live[idx], KSLAB_LIVE, 0) != KSLAB_LIVE)) {
		spin_unlock_irqrestore(&n->list_lock, flags);
		kslab_report_cache(slab->dead ? KSLAB_REPORT_INVALID_FREE :
				   KSLAB_REPORT_DOUBLE_FREE, s, p, caller,
				   "free at offset %ld of slab",
				   (long)(p - slab->base));
		return;
	}
	if (unlikely(!kslab_debug_free(s, p, caller, &f))) {
		quarantine(s, slab, idx);
		spin_unlock_irqrestore(&n->list_lock, flags);
		this_cpu_inc(s->cpu->frees);
		kmemleak_free_recursive(p, s->geom.flags);
		kslab_report_object(s, p, caller, &f);
		return;
	}
	if (want_init_on_free() && !s->ctor &&
	    !(s->geom.flags & (SLAB_TYPESAFE_BY_RCU | SLAB_POISON))) {
		/*
		 * Zero with the lock dropped, as slab_free_hook() zeroes
		 * before any lock: nothing under list_lock scales with the
		 * object size but SLUB's own checks. The object is no longer
		 * live and on no freelist, and still counts in inuse, so
		 * nobody can take it or discard its slab meanwhile; held, so
		 * that a freelist rebuilt meanwhile (kslab_alloc_single())
		 * does not link it before it is pushed here.
		 */
		WRITE_ONCE(slab->live[idx], KSLAB_HELD);
		spin_unlock_irqrestore(&n->list_lock, flags);
		memset(p, 0, s->geom.object_size);
		spin_lock_irqsave(&n->list_lock, flags);
		WRITE_ONCE(slab->live[idx], 0);
	}
	was_full = !slab->freelist;
	*kslab_freeptr(s, p) = slab->freelist;
	slab->freelist = p;
	slab->inuse--;
	if (!slab->inuse && n->nr_partial >= s->geom.min_partial) {
		kslab_unlink_slab(s, slab);
		discard = true;
	} else if (was_full) {
		kslab_add_partial(n, slab, true);
	}
	spin_unlock_irqrestore(&n->list_lock, flags);
	this_cpu_inc(s->cpu->frees);
	kmemleak_free_recursive(p, s->geom.flags);
	trace_kslab_free(caller, p, s->name);
	if (discard)
		kslab_free_slab(slab);
}
