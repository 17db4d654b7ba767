// SPDX-License-Identifier: GPL-2.0
/*
 * kslab module entry: parameters, init and exit.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/rcupdate.h>

#include "kslab/kslab.h"

static unsigned int nr_cpus;
module_param(nr_cpus, uint, 0444);
MODULE_PARM_DESC(nr_cpus,
		 "CPU count for SLUB's min_objects rule (0 = as the kernel saw it at boot)");

static unsigned int slub_min_order;
module_param(slub_min_order, uint, 0444);
MODULE_PARM_DESC(slub_min_order,
		 "Set to the kernel's slub_min_order= boot parameter (default 0)");

static unsigned int slub_max_order = PAGE_ALLOC_COSTLY_ORDER;
module_param(slub_max_order, uint, 0444);
MODULE_PARM_DESC(slub_max_order,
		 "Set to the kernel's slub_max_order= boot parameter (default 3)");

static unsigned int slub_min_objects;
module_param(slub_min_objects, uint, 0444);
MODULE_PARM_DESC(slub_min_objects,
		 "Set to the kernel's slub_min_objects= boot parameter (0 = automatic)");

static unsigned int minalign;
module_param(minalign, uint, 0444);
MODULE_PARM_DESC(minalign,
		 "kmalloc DMA minimum alignment at boot (0 = derived; arm64 with swiotlb=noforce: the cache line size)");

static bool memcg_nokmem;
module_param(memcg_nokmem, bool, 0444);
MODULE_PARM_DESC(memcg_nokmem,
		 "Set if the kernel was booted with cgroup.memory=nokmem (the cg caches then alias the normal ones)");

static char *slub_debug;
module_param(slub_debug, charp, 0444);
MODULE_PARM_DESC(slub_debug,
		 "Debug flags for every kslab cache, as slub_debug=: F checks, Z red zone, P poison, U store user (default none)");

static bool stats = true;
module_param(stats, bool, 0444);
MODULE_PARM_DESC(stats,
		 "Keep event counters for debugfs (allocs, frees, bytes, flag classes, zones); 0 takes them off the fast path");

static int __init kslab_init(void)
{
	int ret;

	if (minalign && !is_power_of_2(minalign)) {
		pr_err("minalign=%u is not a power of two\n", minalign);
		return -EINVAL;
	}
	kslab_params_init(nr_cpus, slub_min_order, slub_max_order,
			  slub_min_objects, minalign);
	kslab_params.debug_flags = kslab_parse_debug(slub_debug);
	if (kslab_params.debug_flags == (slab_flags_t)-1) {
		pr_err("slub_debug=%s: use the letters F, Z, P, U or -\n",
		       slub_debug);
		return -EINVAL;
	}
	if (!stats)
		static_branch_disable(&kslab_stats_on);
	ret = kslab_report_init();
	if (ret)
		return ret;
	kslab_slab_key_init();
	ret = kslab_caches_create(memcg_nokmem);
	if (ret)
		goto report_exit;
	kslab_rt_init();
	kslab_sysfs_init();
	kslab_debugfs_init();
	pr_info("shadow kmalloc ready: nr_cpus %u, min_objects %u, order %u-%u\n",
		kslab_params.nr_cpus, kslab_params.min_objects,
		kslab_params.min_order, kslab_params.max_order);
	return 0;

report_exit:
	kslab_report_exit();
	return ret;
}

static void __exit kslab_exit(void)
{
	kslab_rt_exit();	/* Frees PREEMPT_RT made wait, while caches live */
	kslab_lookaside_exit();
	kslab_debugfs_exit();
	kslab_sysfs_exit();
	kslab_caches_destroy();
	kslab_large_release_all();
	rcu_barrier();	/* Descriptors freed after a grace period */
	kslab_report_exit();
	/* Large allocations a user never freed are leaks, reported here. */
	if (stats && kslab_stats_pages_held())
		pr_err("leak: %ld pages still held at unload\n",
		       kslab_stats_pages_held());
	else if (stats)
		pr_info("unload: every page returned to the page allocator\n");
}

module_init(kslab_init);
module_exit(kslab_exit);

MODULE_LICENSE("GPL");
MODULE_VERSION("0.1");
MODULE_DESCRIPTION("kslab: a shadow of the kernel's kmalloc caches");
