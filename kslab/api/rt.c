// SPDX-License-Identifier: GPL-2.0
/*
 * PREEMPT_RT: where the slab locks may not be taken, allocations are
 * refused and frees deferred.
 *
 * On PREEMPT_RT, spinlock_t and local_lock_t are sleeping locks
 * (Documentation/locking/locktypes.rst), and SLUB takes them in every
 * allocation and free (mm/slub.c: local_lock_irqsave(&s->cpu_slab->lock),
 * n->list_lock). So neither kmalloc() nor kfree() may run in hardirq
 * context, with IRQs off or with preemption disabled: the kernel prints
 * "BUG: sleeping function called from invalid context" and may deadlock.
 * kslab takes the same kinds of locks. It reports such a call instead
 * ("atomic-sleep") and never takes the lock: an allocation returns NULL,
 * a free of a live object is queued and done by an irq_work, which on
 * PREEMPT_RT runs in a per-CPU thread, so nothing is lost (defer.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/rcupdate.h>

#include "../core/core.h"
#include "api.h"

/* Where PREEMPT_RT forbids spinlock_t: IRQs off, hardirq, preempt off. */
static bool forbidden(void)
{
	return kslab_locks_forbidden();
}

static const char *where(void)
{
	if (in_nmi())
		return "nmi";
	if (in_hardirq())
		return "hardirq";
	return irqs_disabled() ? "irqs-disabled" : "preempt-disabled";
}

/**
 * kslab_rt_refuse - refuse an allocation PREEMPT_RT forbids here
 * @gfp: the caller's flags
 * @caller: the call site
 *
 * Return: true, with a report, if the caller must return NULL.
 */
bool kslab_rt_refuse(gfp_t gfp, unsigned long caller)
{
	if (likely(!forbidden()))
		return false;
	__kslab_report(KSLAB_REPORT_ATOMIC_SLEEP, NULL, caller, gfp, where(),
		       "PREEMPT_RT: no slab allocation in %s context, not even GFP_ATOMIC (spinlock_t sleeps); returning NULL",
		       where());
	return true;
}

/**
 * kslab_rt_defer_free - take over a free PREEMPT_RT forbids here
 * @p: the object
 * @caller: the call site
 *
 * A live object is reported and queued for a thread to free; anything
 * else is reported as the free would report it, and left alone.
 *
 * Return: true if the caller must not free @p itself.
 */
bool kslab_rt_defer_free(const void *p, unsigned long caller)
{
	enum kslab_report_item state;
	struct kslab_slab *slab;

	if (likely(!forbidden()))
		return false;
	rcu_read_lock();
	state = kslab_ptr_state(p, &slab);
	if (state == KSLAB_NR_REPORT_ITEMS && slab->cache &&
	    unlikely(READ_ONCE(slab->cache->dying))) {
		kslab_report_cache(KSLAB_REPORT_BAD_CACHE, slab->cache, p,
				   caller, "free to a destroyed cache");
	} else if (state != KSLAB_NR_REPORT_ITEMS ||
		   !kslab_defer_free(slab, (void *)p)) {
		kslab_report(state == KSLAB_NR_REPORT_ITEMS ||
			     state == KSLAB_REPORT_USE_AFTER_FREE ?
			     KSLAB_REPORT_DOUBLE_FREE : state, p, caller,
			     "free in %s context on PREEMPT_RT, of memory kslab did not hand out or already freed",
			     where());
	} else {
		kslab_report(KSLAB_REPORT_ATOMIC_SLEEP, p, caller,
			     "PREEMPT_RT: free in %s context (spinlock_t sleeps); done later by a thread",
			     where());
	}
	rcu_read_unlock();
	return true;
}
