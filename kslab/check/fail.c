// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection for kslab's slab allocations through the kernel's
 * fault-inject API, with the knobs of failslab (mm/failslab.c) under
 * debugfs kslab/fail/.
 *
 * interval and probability combine as in lib/fault-inject.c:should_fail():
 * only every interval-th call is a candidate, and a candidate fails with
 * probability percent. interval 1 (or 0) makes every call a candidate, so
 * probability alone decides; probability 100 with interval N fails exactly
 * every Nth call; interval 10 with probability 10 fails about 1% of calls,
 * not 10%. times caps the failures (-1: no cap), space lets that many bytes
 * of requests through first, verbose 1/2 prints a line / a stack per
 * failure, task-filter limits failures to tasks with make-it-fail set.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/fault-inject.h>
#include <linux/gfp.h>

#include "check.h"

struct kslab_fail kslab_fail = {
	.attr = FAULT_ATTR_INITIALIZER,
	.ignore_gfp_reclaim = true,
};

/*
 * Mirrors __should_failslab() in mm/failslab.c (v6.1 and v6.12):
 * __GFP_NOFAIL never fails; ignore-gfp-wait spares allocations that may
 * reclaim; cache-filter limits failures to caches with failslab set. The
 * size is the object size. failslab passes FAULT_NOWARN for __GFP_NOWARN
 * to should_fail_ex(), which modules cannot call (only should_fail() is
 * exported), so set verbose to 0 to silence kslab's failures.
 */
bool __kslab_should_fail(const struct kslab_cache *s, gfp_t gfp)
{
	if (gfp & __GFP_NOFAIL)
		return false;
	if (kslab_fail.ignore_gfp_reclaim && (gfp & __GFP_DIRECT_RECLAIM))
		return false;
	if (kslab_fail.cache_filter && !s->failslab)
		return false;
	return should_fail(&kslab_fail.attr, s->geom.object_size);
}

/*
 * Create kslab/fail/ with exactly failslab's files: the common fault_attr
 * knobs, ignore-gfp-wait and cache-filter. Without
 * CONFIG_FAULT_INJECTION_DEBUG_FS the defaults stay (never fail).
 */
void kslab_fail_init(struct dentry *parent)
{
	struct dentry *dir;

	dir = fault_create_debugfs_attr("fail", parent, &kslab_fail.attr);
	if (IS_ERR(dir))
		return;
	debugfs_create_bool("ignore-gfp-wait", 0600, dir,
			    &kslab_fail.ignore_gfp_reclaim);
	debugfs_create_bool("cache-filter", 0600, dir,
			    &kslab_fail.cache_filter);
}

/* Public (include/kslab.h): the knobs of debugfs kslab/fail/ in one call. */
void kslab_fail_set(unsigned long probability, unsigned long interval,
		    int times, bool ignore_gfp_wait, bool cache_filter,
		    int verbose)
{
	kslab_fail.attr.probability = probability;
	kslab_fail.attr.interval = interval;
	atomic_set(&kslab_fail.attr.times, times);
	atomic_set(&kslab_fail.attr.space, 0);
	kslab_fail.attr.verbose = verbose;
	kslab_fail.ignore_gfp_reclaim = ignore_gfp_wait;
	kslab_fail.cache_filter = cache_filter;
}
EXPORT_SYMBOL_GPL(kslab_fail_set);
