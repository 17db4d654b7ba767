// SPDX-License-Identifier: GPL-2.0
/*
 * Run a function in a given context for the suites: process, under a
 * spinlock, with IRQs off, in softirq (a timer) or in hardirq (an
 * hrtimer), waiting for it to finish.
 */
#include <linux/completion.h>
#include <linux/hrtimer.h>
#include <linux/irqflags.h>
#include <linux/spinlock.h>
#include <linux/timer.h>

#include "kslab_kunit.h"

const char *const kslab_test_ctx_names[KSLAB_NR_CTX] = {
	[KSLAB_CTX_PROCESS]	= "process",
	[KSLAB_CTX_SPINLOCK]	= "spinlock",
	[KSLAB_CTX_IRQS_OFF]	= "irqs-off",
	[KSLAB_CTX_SOFTIRQ]	= "softirq",
	[KSLAB_CTX_HARDIRQ]	= "hardirq",
};

struct ctx_run {
	void (*fn)(void *arg);
	void *arg;
	struct completion done;
	struct hrtimer hrtimer;
	struct timer_list timer;
};

static enum hrtimer_restart hardirq_fn(struct hrtimer *t)
{
	struct ctx_run *r = container_of(t, struct ctx_run, hrtimer);

	r->fn(r->arg);
	complete(&r->done);
	return HRTIMER_NORESTART;
}

static void softirq_fn(struct timer_list *t)
{
	struct ctx_run *r = container_of(t, struct ctx_run, timer);

	r->fn(r->arg);
	complete(&r->done);
}

/*
 * The PREEMPT_RT rule that forbids every allocation and free in @ctx, or
 * NULL: there spinlock_t and local_lock_t sleep, so hardirq context and
 * IRQs off allow no slab call at all, GFP_ATOMIC included.
 */
const char *kslab_test_ctx_rt_rule(enum kslab_test_ctx ctx)
{
	if (!IS_ENABLED(CONFIG_PREEMPT_RT) ||
	    (ctx != KSLAB_CTX_IRQS_OFF && ctx != KSLAB_CTX_HARDIRQ))
		return NULL;
	return "PREEMPT_RT: no kmalloc()/kfree() with IRQs off or in hardirq";
}

void kslab_test_run_in(enum kslab_test_ctx ctx, void (*fn)(void *arg),
		       void *arg)
{
	static DEFINE_SPINLOCK(lock);
	struct ctx_run r = { .fn = fn, .arg = arg };
	unsigned long flags;

	init_completion(&r.done);
	switch (ctx) {
	case KSLAB_CTX_PROCESS:
		fn(arg);
		break;
	case KSLAB_CTX_SPINLOCK:
		spin_lock(&lock);
		fn(arg);
		spin_unlock(&lock);
		break;
	case KSLAB_CTX_IRQS_OFF:
		local_irq_save(flags);
		fn(arg);
		local_irq_restore(flags);
		break;
	case KSLAB_CTX_SOFTIRQ:
		timer_setup_on_stack(&r.timer, softirq_fn, 0);
		mod_timer(&r.timer, jiffies + 1);
		wait_for_completion(&r.done);
		timer_delete_sync(&r.timer);
		timer_destroy_on_stack(&r.timer);
		break;
	default:
		hrtimer_setup_on_stack(&r.hrtimer, hardirq_fn, CLOCK_MONOTONIC,
				       HRTIMER_MODE_REL_HARD);
		hrtimer_start(&r.hrtimer, ns_to_ktime(100 * NSEC_PER_USEC),
			      HRTIMER_MODE_REL_HARD);
		wait_for_completion(&r.done);
		hrtimer_cancel(&r.hrtimer);
		destroy_hrtimer_on_stack(&r.hrtimer);
		break;
	}
}
