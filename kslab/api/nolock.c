// SPDX-License-Identifier: GPL-2.0
/*
 * kslab_kmalloc_nolock() and kslab_kfree_nolock(): the shadow of
 * kmalloc_nolock() and kfree_nolock() (mm/slub.c of v7.3,
 * _kmalloc_nolock_noprof() 5444-5538, kfree_nolock() 6815-6870), which
 * allocate and free from any context, NMI included.
 *
 * SLUB only trylocks there, and an allocation it cannot serve returns
 * NULL. kslab takes its usual local_lock_t and spinlock_t (kslab/core/),
 * which it can take anywhere but in NMI, and on PREEMPT_RT (sleeping
 * locks) not in hardirq context, with IRQs off or with preemption off
 * (kslab_locks_forbidden()). There an allocation returns NULL, as
 * SLUB's does when its trylock fails (always in NMI and hardirq on
 * PREEMPT_RT: mm/internal.h:can_spin_trylock()), and a free is queued
 * for an irq_work, as SLUB's defer_free() queues it (defer.c); elsewhere
 * both take kslab's normal paths with GFP flags that neither sleep nor
 * reclaim.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/export.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>

#include "../core/core.h"
#include "api.h"

#if KSLAB_HAVE_NOLOCK

/* kmalloc_nolock()'s kernel-doc: only these may be passed. */
#define NOLOCK_GFP	(__GFP_ACCOUNT | __GFP_ZERO | __GFP_NOWARN | \
			 __GFP_NOMEMALLOC)

void *kslab_kmalloc_nolock(size_t size, gfp_t gfp, int node)
{
	if (unlikely(gfp & ~NOLOCK_GFP)) {
		/* _kmalloc_nolock_noprof(): VM_WARN_ON_ONCE(), then goes on. */
		kslab_report(KSLAB_REPORT_BAD_GFP, NULL, _RET_IP_,
			     "%s(%zu, %pGg): only __GFP_ACCOUNT and __GFP_ZERO may be passed; the rest dropped",
			     __func__, size, &gfp);
		gfp &= NOLOCK_GFP;
	}
	if (unlikely(!size))
		return ZERO_SIZE_PTR;
	if (kslab_locks_forbidden())
		return NULL;
	/* No large path: above the largest class it is NULL. */
	if (unlikely(size > KSLAB_MAX_CACHE_SIZE))
		return NULL;
	/*
	 * Served from a cache with __CMPXCHG_DOUBLE (system_has_freelist_aba())
	 * or a debug cache only (_kmalloc_nolock_noprof() 5472): none but the
	 * debug ones on UML or a CPU without cmpxchg16b.
	 */
	if (!kslab_freelist_aba() &&
	    !(kslab_cache_of(size, gfp, 0)->geom.flags & KSLAB_DEBUG_FLAGS))
		return NULL;
	return kslab_kmalloc_node_track_caller(size, gfp | __GFP_NOWARN |
					       __GFP_NOMEMALLOC, node,
					       _RET_IP_);
}
EXPORT_SYMBOL_GPL(kslab_kmalloc_nolock);

void kslab_kfree_nolock(const void *p)
{
	unsigned long caller = _RET_IP_;
	enum kslab_report_item state;
	struct kslab_slab *slab;

	if (unlikely(ZERO_OR_NULL_PTR(p)))
		return;
	rcu_read_lock();
	state = kslab_ptr_state(p, &slab);
	if (state == KSLAB_NR_REPORT_ITEMS && !slab->cache) {
		/* kfree_nolock(): WARN_ONCE() and returns; the pages leak. */
		kslab_report(KSLAB_REPORT_BAD_ARGS, p, caller,
			     "%s() of a large allocation: the kernel's kfree_nolock() leaks it; use kslab_kfree()",
			     __func__);
		if (!kslab_locks_forbidden())
			kslab_large_free(slab, p, caller);
		else if (!kslab_defer_free(slab, (void *)p))
			kslab_report(KSLAB_REPORT_DOUBLE_FREE, p, caller,
				     "%s() of a large allocation already freed",
				     __func__);
	} else if (state != KSLAB_NR_REPORT_ITEMS) {
		kslab_report(state == KSLAB_REPORT_USE_AFTER_FREE ?
			     KSLAB_REPORT_DOUBLE_FREE : state, p, caller,
			     "%s() of memory kslab did not hand out or already freed",
			     __func__);
	} else if (kslab_locks_forbidden()) {
		if (!kslab_defer_free(slab, (void *)p))
			kslab_report(KSLAB_REPORT_DOUBLE_FREE, p, caller,
				     "%s() of an object already freed, or of a destroyed cache",
				     __func__);
	} else {
		kslab_slab_free(slab, (void *)p, caller);
	}
	rcu_read_unlock();
}
EXPORT_SYMBOL_GPL(kslab_kfree_nolock);

#endif
