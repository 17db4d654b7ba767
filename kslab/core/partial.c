// SPDX-License-Identifier: GPL-2.0
/*
 * The node partial list and its policies: get_partial_node(), the CPU
 * partial drain, deactivate_slab(), __slab_free(), min_partial and the
 * empty-slab discard rule, kmem_cache_shrink(), and the slab counts that
 * SLUB's sysfs shows. Mirrors mm/slub.c of v6.1 and v6.12.
 *
 * v6.1 freezes the cpu slab and every CPU partial slab; v6.12 freezes
 * only the cpu slab and marks node partial slabs with PG_workingset.
 * kslab records both facts as flags (frozen, cpu_partial, node_partial);
 * a free into a CPU partial slab does no list work in either version
 * (v6.1: FREE_FROZEN; v6.12: the !on_node_partial return of
 * __slab_free()), so the lists come out the same.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/export.h>
#include <linux/kmemleak.h>
#include <linux/lockdep.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "core.h"

#define SHRINK_PROMOTE_MAX	32	/* mm/slub.c */

/* kmem_cache_has_cpu_partial(): CONFIG_SLUB_CPU_PARTIAL, no debug. */
static bool has_cpu_partial(const struct kslab_cache *s)
{
	return s->cpu_partial_slabs;
}

/* === List primitives (under list_lock) ================================= */

/* mm/slub.c:__add_partial(): DEACTIVATE_TO_HEAD or _TAIL. */
void kslab_add_partial(struct kslab_node *n, struct kslab_slab *slab,
		       bool tail)
{
	n->nr_partial++;
	if (tail)
		list_add_tail(&slab->list, &n->partial);
	else
		list_add(&slab->list, &n->partial);
	slab->node_partial = true;
}

/* mm/slub.c:remove_partial(). */
void kslab_remove_partial(struct kslab_node *n, struct kslab_slab *slab)
{
	list_del_init(&slab->list);
	n->nr_partial--;
	slab->node_partial = false;
}

/* mm/slub.c:inc_slabs_node(), and kslab's list of every slab. */
void __kslab_add_slab(struct kslab_cache *s, struct kslab_slab *slab)
{
	struct kslab_node *n = &s->node;

	list_add(&slab->all, &n->slabs);
	n->nr_slabs++;
	n->total_objects += slab->objects;
	n->nr_pages += 1UL << slab->order;
}

void kslab_add_slab(struct kslab_cache *s, struct kslab_slab *slab)
{
	unsigned long flags;

	spin_lock_irqsave(&s->node.list_lock, flags);
	__kslab_add_slab(s, slab);
	spin_unlock_irqrestore(&s->node.list_lock, flags);
}

/*
 * mm/slub.c:dec_slabs_node() and discard_slab()'s bookkeeping: @slab
 * leaves every list; the caller frees it with kslab_free_slab() once the
 * lock is dropped.
 */
void kslab_unlink_slab(struct kslab_cache *s, struct kslab_slab *slab)
{
	struct kslab_node *n = &s->node;

	if (slab->node_partial)
		kslab_remove_partial(n, slab);
	list_del(&slab->all);
	n->nr_slabs--;
	n->total_objects -= slab->objects;
	n->nr_pages -= 1UL << slab->order;
	n->quarantined -= slab->nr_quar;
	WRITE_ONCE(slab->dead, true);
}

/* Free the slabs collected on @discard (linked through slab->list). */
static void free_discarded(struct list_head *discard)
{
	struct kslab_slab *slab, *tmp;

	list_for_each_entry_safe(slab, tmp, discard, list)
		kslab_free_slab(slab);
}

/* === Taking slabs ====================================================== */

/*
 * mm/slub.c:get_partial_node() (v6.1 2205-2261, v6.12 2881-2934): walk
 * the node list from the head; the first slab becomes the cpu slab with
 * its whole freelist, the next ones go on this CPU's partial stack
 * without draining, until more than cpu_partial_slabs / 2 are there.
 * A node list A, B, C, D thus gives cpu slab A and partial D, C, B. Called
 * with @c's local lock held.
 *
 * Return: the new cpu slab, its freelist in *@freelist, or NULL.
 */
struct kslab_slab *kslab_get_partial(struct kslab_cache *s,
				     struct kslab_cpu *c, int node,
				     void **freelist)
{
	struct kslab_slab *slab, *tmp, *first = NULL;
	struct kslab_node *n = &s->node;
	unsigned int partial_slabs = 0;
	unsigned long flags;

	if (!READ_ONCE(n->nr_partial))
		return NULL;
	spin_lock_irqsave(&n->list_lock, flags);
	list_for_each_entry_safe(slab, tmp, &n->partial, list) {
		if (node != NUMA_NO_NODE && slab->nid != node)
			continue;
		kslab_remove_partial(n, slab);
		raw_spin_lock(&slab->lock);
		if (!first) {
			*freelist = slab->freelist;
			slab->freelist = NULL;
			slab->inuse = slab->objects;
			slab->frozen = true;
			raw_spin_unlock(&slab->lock);
			first = slab;
			if (!has_cpu_partial(s))
				break;
			continue;
		}
		slab->cpu_partial = true;
		raw_spin_unlock(&slab->lock);
		slab->slabs = (c->partial ? c->partial->slabs : 0) + 1;
		slab->next = c->partial;
		c->partial = slab;
		if (++partial_slabs > s->cpu_partial_slabs / 2)
			break;
	}
	spin_unlock_irqrestore(&n->list_lock, flags);
	return first;
}

/*
 * Drain a CPU partial stack to the node: __unfreeze_partials() (v6.1) /
 * __put_partials() (v6.12). Head first; an empty slab is discarded once
 * the node list holds min_partial slabs, any other goes to the tail.
 */
void kslab_put_partials(struct kslab_cache *s, struct kslab_slab *slab)
{
	struct kslab_node *n = &s->node;
	unsigned long flags;
	LIST_HEAD(discard);

	spin_lock_irqsave(&n->list_lock, flags);
	while (slab) {
		struct kslab_slab *next = slab->next;
		unsigned int inuse;

		slab->next = NULL;
		raw_spin_lock(&slab->lock);
		slab->cpu_partial = false;
		inuse = slab->inuse;
		raw_spin_unlock(&slab->lock);
		if (!inuse && n->nr_partial >= s->geom.min_partial) {
			kslab_unlink_slab(s, slab);
			list_add(&slab->list, &discard);
		} else {
			kslab_add_partial(n, slab, true);
		}
		slab = next;
	}
	spin_unlock_irqrestore(&n->list_lock, flags);
	free_discarded(&discard);
}

/*
 * @slab's freelist holds @bad, which is no free object of it (a write
 * after free over a free pointer): report it, and retire the slab for
 * good, as SLUB's debug path marks all objects used when a freelist
 * check fails (on_freelist(), slab_fix()). It stays frozen on no list:
 * nothing of it is handed out or discarded again, its free objects count
 * as quarantined, its live ones may still be freed, and
 * kslab_node_release_all() returns its pages with the cache. @slab is a
 * cpu slab being given up; no list_lock or slab->lock held.
 */
void kslab_retire_corrupt(struct kslab_cache *s, struct kslab_slab *slab,
			  const void *bad)
{
	struct kslab_node *n = &s->node;
	unsigned long flags;
	unsigned int lost;

	spin_lock_irqsave(&n->list_lock, flags);
	raw_spin_lock(&slab->lock);
	slab->frozen = true;
	slab->cpu_partial = false;
	slab->freelist = NULL;
	slab->inuse = slab->objects;
	lost = slab->objects - kslab_slab_nr_live(slab) - slab->nr_quar;
	slab->nr_quar += lost;
	n->quarantined += lost;
	raw_spin_unlock(&slab->lock);
	spin_unlock_irqrestore(&n->list_lock, flags);
	kslab_report_cache(KSLAB_REPORT_FREELIST, s, bad, 0,
			   "free pointer %p in a slab's freelist is no free object of it (a write after free?); slab retired, %u free objects kept out of use",
			   bad, lost);
}

/*
 * The remote frees of frozen @slab, checked: at most objects - inuse free
 * objects of it, none seen on the CPU's freelist (held). Returns the
 * first bad pointer, or NULL. Under slab->lock, which makes the bound
 * exact. A chain cut short (a free pointer zeroed) loses objects, never
 * hands one out twice: it passes.
 */
static void *remote_chain_bad(struct kslab_cache *s, struct kslab_slab *slab)
{
	unsigned int left = slab->objects - slab->inuse, idx;
	void *p;

	lockdep_assert_held(&slab->lock);
	for (p = slab->freelist; p; p = *kslab_freeptr(s, p)) {
		if (!left-- || !kslab_free_obj(s, slab, p, &idx))
			return p;
	}
	return NULL;
}

/*
 * mm/slub.c:deactivate_slab() (v6.1 2423-2540, v6.12 3117-3195): the
 * CPU's @freelist goes back in front of the slab's own; an empty slab is
 * discarded once the node holds min_partial slabs, a slab with free
 * objects goes to the head, or to the tail if it had remote frees, and a
 * full one to no list. Both freelists are checked first: each object of
 * the CPU's is marked held while it is walked, so a loop or a link into
 * the remote frees shows, and a corrupt one retires the slab.
 */
void kslab_deactivate_slab(struct kslab_cache *s, struct kslab_slab *slab,
			   void *freelist)
{
	struct kslab_node *n = &s->node;
	unsigned int inuse, count = 0, idx, i;
	bool tail, has_free, discard = false;
	void *last = NULL, *p, *bad = NULL;
	unsigned long flags;

	for (p = freelist; p; p = *kslab_freeptr(s, p)) {
		if (unlikely(!kslab_free_obj(s, slab, p, &idx))) {
			bad = p;
			break;
		}
		WRITE_ONCE(slab->live[idx], KSLAB_HELD);
		last = p;
		count++;
	}
	spin_lock_irqsave(&n->list_lock, flags);
	raw_spin_lock(&slab->lock);
	if (likely(!bad))
		bad = remote_chain_bad(s, slab);
	for (p = freelist, i = 0; i < count; i++, p = *kslab_freeptr(s, p))
		WRITE_ONCE(slab->live[kslab_obj_index(s, slab, p)], 0);
	if (unlikely(bad)) {
		raw_spin_unlock(&slab->lock);
		spin_unlock_irqrestore(&n->list_lock, flags);
		kslab_retire_corrupt(s, slab, bad);
		return;
	}
	tail = slab->freelist;
	if (last) {
		*kslab_freeptr(s, last) = slab->freelist;
		slab->freelist = freelist;
	}
	slab->inuse -= count;
	slab->frozen = false;
	inuse = slab->inuse;
	has_free = slab->freelist;
	raw_spin_unlock(&slab->lock);
	if (!inuse && n->nr_partial >= s->geom.min_partial) {
		kslab_unlink_slab(s, slab);
		discard = true;
	} else if (has_free) {
		kslab_add_partial(n, slab, tail);
	}
	spin_unlock_irqrestore(&n->list_lock, flags);
	if (discard)
		kslab_free_slab(slab);
}

/* === Free slow path ==================================================== */

/*
 * mm/slub.c:__slab_free() (v6.1 3492-3608, v6.12 4487-4597) for caches
 * with a cpu slab:
 *  - frozen or on a CPU partial stack: push, no list work;
 *  - was full: onto this CPU's partial stack (draining it when full),
 *    or without CPU partials the node tail, or discarded if now empty
 *    and the node holds min_partial slabs;
 *  - now empty on the node list: discarded past min_partial;
 *  - otherwise just pushed.
 * list_lock is taken first when the slab may need list work, as SLUB
 * takes it before its cmpxchg.
 *
 * Return: true if @slab was full and now goes to this CPU's partial
 * stack: the caller calls kslab_put_cpu_partial().
 */
bool __kslab_slab_free(struct kslab_cache *s, struct kslab_slab *slab,
		       void *p)
{
	bool locked = false, to_cpu = false, discard = false;
	struct kslab_node *n = &s->node;
	unsigned long flags, lflags = 0;
	void *prior;

again:
	if (locked)
		spin_lock_irqsave(&n->list_lock, lflags);
	raw_spin_lock_irqsave(&slab->lock, flags);
	prior = slab->freelist;
	if (!locked && !slab->frozen && !slab->cpu_partial &&
	    ((!prior && !has_cpu_partial(s)) || (prior && slab->inuse == 1))) {
		raw_spin_unlock_irqrestore(&slab->lock, flags);
		locked = true;
		goto again;
	}
	*kslab_freeptr(s, p) = prior;
	slab->freelist = p;
	slab->inuse--;
	if (slab->frozen || slab->cpu_partial) {
		/* FREE_FROZEN (v6.1) / not on the node list (v6.12). */
	} else if (!prior) {
		if (has_cpu_partial(s)) {
			slab->cpu_partial = true;
			to_cpu = true;
		} else if (!slab->inuse &&
			   n->nr_partial >= s->geom.min_partial) {
			discard = true;
		} else {
			kslab_add_partial(n, slab, true);
		}
	} else if (!slab->inuse && slab->node_partial &&
		   n->nr_partial >= s->geom.min_partial) {
		discard = true;
	}
	raw_spin_unlock_irqrestore(&slab->lock, flags);
	if (discard)
		kslab_unlink_slab(s, slab);
	if (locked)
		spin_unlock_irqrestore(&n->list_lock, lflags);
	if (discard)
		kslab_free_slab(slab);
	return to_cpu;
}

/* === Shrink and release ================================================ */

/*
 * __kmem_cache_do_shrink() (v6.1 4623-4683, v6.12 5779-5840), after the
 * flush: every empty node partial slab is discarded, whatever
 * min_partial says, and the rest sorted by free objects: 1, 2, ... 32
 * free first, fuller slabs before emptier ones.
 */
void kslab_node_shrink(struct kslab_cache *s)
{
	struct list_head promote[SHRINK_PROMOTE_MAX];
	struct kslab_node *n = &s->node;
	struct kslab_slab *slab, *tmp;
	unsigned long flags;
	LIST_HEAD(discard);
	int i;

	for (i = 0; i < SHRINK_PROMOTE_MAX; i++)
		INIT_LIST_HEAD(&promote[i]);
	spin_lock_irqsave(&n->list_lock, flags);
	list_for_each_entry_safe(slab, tmp, &n->partial, list) {
		int free = slab->objects - READ_ONCE(slab->inuse);

		if (free == slab->objects) {
			kslab_unlink_slab(s, slab);
			list_add(&slab->list, &discard);
		} else if (free > 0 && free <= SHRINK_PROMOTE_MAX) {
			list_move(&slab->list, promote + free - 1);
		}
	}
	for (i = SHRINK_PROMOTE_MAX - 1; i >= 0; i--)
		list_splice(promote + i, &n->partial);
	spin_unlock_irqrestore(&n->list_lock, flags);
	free_discarded(&discard);
}

static unsigned long report_slab_live(struct kslab_cache *s,
				      struct kslab_slab *slab)
{
	unsigned long n = 0;
	unsigned int i;

	for (i = 0; i < slab->objects; i++) {
		void *obj = kslab_slab_obj(slab, i);
		unsigned long alloc, free;

		if (!kslab_slab_live(slab, i))
			continue;

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
 * owns @s exclusively, as kmem_cache_destroy() requires.
 */
unsigned long kslab_slab_report_live(struct kslab_cache *s)
{
	struct kslab_slab *slab;
	unsigned long n = 0;

	list_for_each_entry(slab, &s->node.slabs, all)
		n += report_slab_live(s, slab);
	return n;
}

/*
 * Release every slab of @s on destruction, once its CPUs are flushed:
 * SLUB's __kmem_cache_shutdown() frees the empty ones and leaks the rest;
 * kslab frees them all. Live objects of kmalloc caches are reported as
 * leaks, one report per slab (lookaside caches report each object first,
 * kslab_slab_report_live()).
 */
void kslab_node_release_all(struct kslab_cache *s)
{
	struct kslab_node *n = &s->node;
	struct kslab_slab *slab, *tmp;
	unsigned long flags;
	LIST_HEAD(all);

	spin_lock_irqsave(&n->list_lock, flags);
	list_for_each_entry_safe(slab, tmp, &n->slabs, all) {
		kslab_unlink_slab(s, slab);
		list_add(&slab->list, &all);
	}
	spin_unlock_irqrestore(&n->list_lock, flags);

	list_for_each_entry_safe(slab, tmp, &all, list) {
		unsigned int live = kslab_slab_nr_live(slab), i;

		/* The objects die with their slab: kmemleak must forget them. */
		for (i = 0; i < slab->objects; i++)
			if (kslab_slab_live(slab, i))
				kmemleak_free_recursive(kslab_slab_obj(slab, i),
							s->geom.flags);
		if (live && (s->geom.flags & SLAB_KMALLOC))
			kslab_report_cache(KSLAB_REPORT_LEAK, s, slab->base, 0,
					   "%u object(s) still allocated at destroy",
					   live);
		kslab_free_slab(slab);
	}
}

/* === Counts ============================================================ */

/**
 * kslab_cache_counts - @s's slabs as SLUB's sysfs would show them
 * @s: the cache
 * @k: filled in
 *
 * show_slab_objects() (v6.1 5233-5343, v6.12 6426-6536): objects counts
 * free objects of cpu and CPU partial slabs as in use; cpu_slabs counts,
 * per CPU with a cpu slab, one plus its partial stack. Not atomic across
 * CPUs, as in SLUB.
 */
void kslab_cache_counts(struct kslab_cache *s, struct kslab_counts *k)
{
	struct kslab_node *n = &s->node;
	unsigned long flags, free = 0;
	struct kslab_slab *slab;
	unsigned int cpu;

	memset(k, 0, sizeof(*k));
	rcu_read_lock();
	for_each_possible_cpu(cpu) {
		struct kslab_cpu *c = per_cpu_ptr(s->cpu, cpu);
		struct kslab_slab *partial = READ_ONCE(c->partial);
		unsigned int nr = partial ? READ_ONCE(partial->slabs) : 0;

		k->allocs += READ_ONCE(c->allocs);
		k->frees += READ_ONCE(c->frees);
		k->bytes_req += READ_ONCE(c->bytes_req);
		k->bytes_alloc += READ_ONCE(c->bytes_alloc);
		if (READ_ONCE(c->slab))
			k->cpu_slabs += 1 + nr;
		if (cpu_online(cpu))
			k->cpu_partial_slabs += nr;
	}
	rcu_read_unlock();
	k->active = k->allocs - k->frees;

	spin_lock_irqsave(&n->list_lock, flags);
	k->slabs = n->nr_slabs;
	k->total_objects = n->total_objects;
	k->pages = n->nr_pages;
	k->partial = n->nr_partial;
	k->quarantined = n->quarantined;
	list_for_each_entry(slab, &n->partial, list) {
		k->objects_partial += READ_ONCE(slab->inuse);
		free += slab->objects - READ_ONCE(slab->inuse);
	}
	spin_unlock_irqrestore(&n->list_lock, flags);
	k->objects = k->total_objects - free;
	k->cpu_partial = s->cpu_partial;
	k->min_partial = s->geom.min_partial;
	if (KSLAB_SHEAVES)
		kslab_sheaves_counts(s, k);
}
EXPORT_SYMBOL_NS_GPL(kslab_cache_counts, KSLAB_INTERNAL_NS);

/* Objects of @s handed out and not freed; kslab's own count. */
unsigned long kslab_cache_active(struct kslab_cache *s)
{
	struct kslab_counts k;

	kslab_cache_counts(s, &k);
	return k.active;
}
EXPORT_SYMBOL_NS_GPL(kslab_cache_active, KSLAB_INTERNAL_NS);
