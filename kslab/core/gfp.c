// SPDX-License-Identifier: GPL-2.0
/*
 * GFP semantics: the cache type a flag set selects, the fix-up of bits
 * kmalloc refuses, and the sleep rule: a blocking allocation made in
 * atomic context is recorded, even on kernels without DEBUG_ATOMIC_SLEEP.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/export.h>
#include <linux/gfp.h>
#include <linux/log2.h>
#include <linux/preempt.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "core.h"

/* === Flag fix-up ======================================================= */

/*
 * Strip the bits kmalloc refuses. Mirrors kmalloc_fix_flags() in
 * mm/slab_common.c (v6.1) / mm/slub.c (v6.12), which the kernel runs when
 * it needs a new slab or a large allocation; kslab counts and reports
 * every such call, rate-limited, with its caller.
 */
gfp_t kslab_gfp_fix(gfp_t gfp, unsigned long caller)
{
	gfp_t bad = gfp & KSLAB_GFP_FIXUP_MASK;

	__kslab_report(KSLAB_REPORT_BAD_GFP, NULL, caller, gfp, NULL,
		       "unexpected gfp %#x (%pGg); using %#x: drop __GFP_HIGHMEM/__GFP_DMA32, kmalloc memory comes from the cache's zone",
		       (__force unsigned int)gfp, &gfp,
		       (__force unsigned int)(gfp & ~bad));
	return gfp & ~bad;
}

/* === Sleep rule ======================================================== */

/*
 * Why the current context must not sleep, or NULL if it may. The same
 * conditions as __might_resched() in kernel/sched/core.c, read directly
 * so they hold without CONFIG_DEBUG_ATOMIC_SLEEP: interrupt context,
 * IRQs off, a raised preempt count (spinlocks, preempt_disable(), BH off;
 * visible only with CONFIG_PREEMPT_COUNT) and preemptible RCU's read-side
 * nesting.
 */
const char *kslab_atomic_context(void)
{
	if (in_nmi())
		return "nmi";
	if (in_hardirq())
		return "hardirq";
	if (in_serving_softirq())
		return "softirq";
	if (irqs_disabled())
		return "irqs-disabled";
	if (softirq_count())
		return "bh-disabled";
	if (preempt_count())
		return "spinlock/preempt-disabled";
#ifdef CONFIG_PREEMPT_RCU
	if (rcu_preempt_depth())
		return "rcu-read-lock";
#endif
	return NULL;
}
EXPORT_SYMBOL_NS_GPL(kslab_atomic_context, KSLAB_INTERNAL_NS);

/*
 * The kernel's rule (gfpflags_allow_blocking(), might_alloc() in
 * include/linux/sched/mm.h): a flag set with __GFP_DIRECT_RECLAIM may
 * sleep and must not be used in atomic context. A violation is recorded
 * and the allocation goes on without direct reclaim, so kslab itself never
 * sleeps in atomic context; kslab's record replaces the kernel's
 * "sleeping function called from invalid context" splat for that call.
 * Returns the flags to allocate with.
 */
gfp_t kslab_gfp_check_context(gfp_t gfp, unsigned long caller)
{
	const char *context;

	if (!gfpflags_allow_blocking(gfp))
		return gfp;
	context = kslab_atomic_context();
	if (likely(!context)) {
		might_alloc(gfp);
		return gfp;
	}
	__kslab_report(KSLAB_REPORT_ATOMIC_SLEEP, NULL, caller, gfp, context,
		       "blocking gfp %#x (%pGg) in %s context; use GFP_ATOMIC or GFP_NOWAIT there, or allocate before taking the lock",
		       (__force unsigned int)gfp, &gfp, context);
	return gfp & ~__GFP_DIRECT_RECLAIM;
}
