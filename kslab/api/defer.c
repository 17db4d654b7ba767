// SPDX-License-Identifier: GPL-2.0
/*
 * Frees done later by an irq_work, where kslab may not take its locks:
 * PREEMPT_RT's forbidden contexts (rt.c) and kslab_kfree_nolock() there
 * or in NMI (nolock.c).
 *
 * As mm/slub.c:defer_free() (v7.3) does, the queue links through the
 * object's free pointer slot, which a free writes anyway: outside the
 * object for SLAB_TYPESAFE_BY_RCU, constructor and small red-zoned
 * caches (kslab_calculate_sizes()), so their state and red zones stay as
 * they were. A large allocation links through its first word.
 *
 * A queued object is claimed first, its live byte from KSLAB_LIVE to
 * KSLAB_QUEUED (a large allocation's live[0] too): a second free of it is
 * a double free, reported by the caller, and never links it twice. A
 * cache found dying is not queued to. kslab_defer_flush() runs every
 * queue; kslab_cache_destroy() calls it before and after its grace
 * period, so no queued free outlives the pages it names.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/irq_work.h>
#include <linux/llist.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>

#include "../core/core.h"
#include "api.h"

struct defer_queue {
	struct llist_head objects;	/* Through free pointer slots */
	struct irq_work work;
};

static DEFINE_PER_CPU(struct defer_queue, defer_queue);

/* The live byte of @p, an object or large allocation of @slab. */
static u8 *live_of(struct kslab_slab *slab, const void *p)
{
	struct kslab_cache *s = slab->cache;

	return s ? &slab->live[kslab_obj_index(s, slab, p)] : &slab->live[0];
}

/**
 * kslab_defer_free - queue the free of a live object for an irq_work
 * @slab: @p's slab (or large allocation), from a lookup
 * @p: the object's start
 *
 * Under rcu_read_lock(), as the lookup was.
 *
 * Return: true if queued; false if @p was no longer live (the caller
 * reports a double free) or its cache is being destroyed.
 */
bool kslab_defer_free(struct kslab_slab *slab, void *p)
{
	struct kslab_cache *s = slab->cache;
	struct defer_queue *q;
	void *link = s ? (void *)kslab_freeptr(s, p) : p;

	RCU_LOCKDEP_WARN(!rcu_read_lock_held(), "outside RCU");
	if (s && unlikely(READ_ONCE(s->dying)))
		return false;
	if (cmpxchg(live_of(slab, p), KSLAB_LIVE, KSLAB_QUEUED) != KSLAB_LIVE)
		return false;
	q = this_cpu_ptr(&defer_queue);
	if (llist_add(link, &q->objects))
		irq_work_queue(&q->work);
	return true;
}

/* Free what @q holds, with the locks allowed. */
static void drain(struct defer_queue *q)
{
	struct llist_node *n, *next;

	llist_for_each_safe(n, next, llist_del_all(&q->objects)) {
		struct kslab_slab *slab;
		struct kslab_cache *s;
		void *p;

		rcu_read_lock();
		slab = __kslab_slab_lookup(n);
		s = slab ? slab->cache : NULL;
		p = s ? (void *)n - s->geom.offset : (void *)n;
		/* Claimed at queueing: nothing else can have freed it. */
		if (!WARN_ON_ONCE(!slab || cmpxchg(live_of(slab, p),
						   KSLAB_QUEUED, KSLAB_LIVE) !=
					   KSLAB_QUEUED)) {
			if (s)
				kslab_slab_free(slab, p, _RET_IP_);
			else
				kslab_large_free(slab, p, _RET_IP_);
		}
		rcu_read_unlock();
	}
}

static void drain_work(struct irq_work *w)
{
	drain(container_of(w, struct defer_queue, work));
}

/**
 * kslab_defer_flush - every queued free done
 *
 * Process context: waits for each CPU's irq_work, then drains its queue.
 */
void kslab_defer_flush(void)
{
	int cpu;

	might_sleep();
	for_each_possible_cpu(cpu) {
		struct defer_queue *q = per_cpu_ptr(&defer_queue, cpu);

		irq_work_sync(&q->work);
		drain(q);
	}
}

void kslab_defer_init(void)
{
	int cpu;

	for_each_possible_cpu(cpu)
		init_irq_work(&per_cpu_ptr(&defer_queue, cpu)->work,
			      drain_work);
}
