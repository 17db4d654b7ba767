// SPDX-License-Identifier: GPL-2.0
/*
 * Allocations above KMALLOC_MAX_CACHE_SIZE: compound pages straight from
 * the page allocator, found through the slab table like slabs.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/gfp.h>
#include <linux/kmemleak.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "core.h"
#include "../check/trace.h"

static LIST_HEAD(large_list);		/* Every live large allocation */
static DEFINE_RAW_SPINLOCK(large_lock);	/* large_list and ->dead */

/*
 * Mirrors __kmalloc_large_node() in mm/slab_common.c (v6.1) /
 * ___kmalloc_large_node() in mm/slub.c (v6.12): a compound page of
 * get_order(@size). Orders above the page allocator's limit fail as it
 * does (it warns once unless __GFP_NOWARN); kslab reports them itself
 * instead of consuming the page allocator's one-shot warning.
 */
void *kslab_large_alloc(size_t size, gfp_t gfp, int node,
			unsigned long caller)
{
	unsigned int order = get_order(size);
	struct kslab_slab *slab;
	unsigned long flags;
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
	/*
	 * The kernel hands @node to the page allocator as is, whose
	 * NODE_DATA() of an id past the last is out of bounds: refused
	 * there by VM_BUG_ON() at best. kslab reports it and takes any node.
	 */
	if (unlikely(node != NUMA_NO_NODE &&
		     (unsigned int)node >= MAX_NUMNODES)) {
		kslab_report(KSLAB_REPORT_BAD_ARGS, NULL, caller,
			     "kmalloc_node(%zu, node %d): no such node (MAX_NUMNODES %d); pass NUMA_NO_NODE for any",
			     size, node, MAX_NUMNODES);
		node = NUMA_NO_NODE;
	}

	slab = kslab_slab_desc_alloc(1, gfp);
	if (!slab)
		return NULL;
	/* KSLAB_QUEUED once a deferred free claims it (kslab/api/defer.c). */
	slab->live[0] = KSLAB_LIVE;
	page = kslab_large_alloc_pages(gfp | __GFP_COMP, node, order);
	if (!page)
		goto free_desc;
	slab->base = page_address(page);
	slab->folio = page_folio(page);
	slab->order = order;
	slab->objects = 1;
	slab->inuse = 1;
	kslab_slab_mark(slab);
	raw_spin_lock_irqsave(&large_lock, flags);
	list_add(&slab->all, &large_list);
	raw_spin_unlock_irqrestore(&large_lock, flags);
	kslab_stats_pages(page, order, true);
	kslab_stats_large(size, order, true);
	/* ___kmalloc_large_node(): kmemleak_alloc(ptr, size, 1, flags). */
	kmemleak_alloc(slab->base, size, 1, gfp);
	trace_kslab_alloc(caller, slab->base, "large", size, PAGE_SIZE << order,
			  gfp, node);
	return slab->base;

free_desc:
	kslab_slab_desc_free(slab);
	return NULL;
}

static void release(struct kslab_slab *slab)
{
	kslab_slab_unmark(slab);
	kmemleak_free(slab->base);
	kslab_stats_pages(virt_to_page(slab->base), slab->order, false);
	kslab_stats_large(0, slab->order, false);
	__free_pages(virt_to_page(slab->base), slab->order);
	kslab_slab_desc_free_rcu(slab);
}

/* mm/slab_common.c (v6.1) / mm/slub.c (v6.12): free_large_kmalloc(). */
void kslab_large_free(struct kslab_slab *slab, const void *p,
		      unsigned long caller)
{
	unsigned long flags;

	if (unlikely(p != slab->base)) {
		kslab_report(KSLAB_REPORT_INTERIOR_FREE, p, caller,
			     "free inside a large allocation");
		return;
	}
	raw_spin_lock_irqsave(&large_lock, flags);
	if (unlikely(slab->dead || READ_ONCE(slab->live[0]) != KSLAB_LIVE)) {
		raw_spin_unlock_irqrestore(&large_lock, flags);
		kslab_report(KSLAB_REPORT_DOUBLE_FREE, p, caller,
			     "large allocation already freed, or queued to be");
		return;
	}
	slab->dead = true;
	list_del(&slab->all);
	raw_spin_unlock_irqrestore(&large_lock, flags);
	trace_kslab_free(caller, p, "large");
	release(slab);
}

/*
 * At unload: large allocations never freed are leaks. Report each and
 * give its pages back, so that unloading kslab never leaks memory.
 */
void kslab_large_release_all(void)
{
	struct kslab_slab *slab, *tmp;
	unsigned long flags;
	LIST_HEAD(leaked);

	raw_spin_lock_irqsave(&large_lock, flags);
	list_splice_init(&large_list, &leaked);
	list_for_each_entry(slab, &leaked, all)
		slab->dead = true;
	raw_spin_unlock_irqrestore(&large_lock, flags);

	list_for_each_entry_safe(slab, tmp, &leaked, all) {
		kslab_report(KSLAB_REPORT_LEAK, slab->base, 0,
			     "large allocation of order %u never freed",
			     slab->order);
		release(slab);
	}
}
