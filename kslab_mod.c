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

/*
 * SLUB's boot parameters. kslab reads them from the kernel's command line
 * (kslab/core/boot.c); these override it, through the same handlers.
 */
static int slub_min_order = -1;
module_param(slub_min_order, int, 0444);
MODULE_PARM_DESC(slub_min_order,
		 "Override the kernel's slub_min_order= (-1 = as the kernel's command line has it, else 0)");

static int slub_max_order = -1;
module_param(slub_max_order, int, 0444);
MODULE_PARM_DESC(slub_max_order,
		 "Override the kernel's slub_max_order= (-1 = as the kernel's command line has it, else 3)");

static int slub_min_objects = -1;
module_param(slub_min_objects, int, 0444);
MODULE_PARM_DESC(slub_min_objects,
		 "Override the kernel's slub_min_objects= (-1 = as the kernel's command line has it; 0 = automatic)");

static char *slub_debug;
module_param(slub_debug, charp, 0444);
MODULE_PARM_DESC(slub_debug,
		 "Override the kernel's slub_debug= for kslab's caches, same syntax: flags F Z P U T A O or -, optionally ,cache,list and ;-separated blocks (default: the kernel's command line)");

static int memcg_nokmem = -1;
module_param(memcg_nokmem, int, 0444);
MODULE_PARM_DESC(memcg_nokmem,
		 "1: as if booted with cgroup.memory=nokmem (the cg caches alias the normal ones); -1 = as the kernel's command line has it");

static unsigned int minalign;
module_param(minalign, uint, 0444);
MODULE_PARM_DESC(minalign,
		 "kmalloc DMA minimum alignment at boot (0 = derived, swiotlb=noforce of the command line included)");

static bool stats = true;
module_param(stats, bool, 0444);
MODULE_PARM_DESC(stats,
		 "Keep event counters for debugfs (allocs, frees, bytes, flag classes, zones); 0 takes them off the fast path");

/* The module parameters given, through SLUB's handlers (boot.c). */
static int apply_overrides(void)
{
	unsigned int bad = kslab_boot.bad_letters;
	char val[16];
	int ret = 0;

	if (slub_min_order >= 0) {
		snprintf(val, sizeof(val), "%d", slub_min_order);
		ret = ret ?: kslab_boot_override("slub_min_order=", val);
	}
	if (slub_max_order >= 0) {
		snprintf(val, sizeof(val), "%d", slub_max_order);
		ret = ret ?: kslab_boot_override("slub_max_order=", val);
	}
	if (slub_min_objects >= 0) {
		snprintf(val, sizeof(val), "%d", slub_min_objects);
		ret = ret ?: kslab_boot_override("slub_min_objects=", val);
	}
	if (slub_debug)
		ret = ret ?: kslab_boot_override("slub_debug=", slub_debug);
	if (memcg_nokmem >= 0) {
		kslab_boot.memcg_nokmem = memcg_nokmem;
		kslab_boot.src[KSLAB_BOOT_MEMCG] = KSLAB_SRC_MODULE;
		snprintf(kslab_boot.arg[KSLAB_BOOT_MEMCG],
			 sizeof(kslab_boot.arg[0]), "memcg_nokmem=%d",
			 memcg_nokmem);
	}
	if (!ret && kslab_boot.bad_letters != bad) {
		pr_err("slub_debug=%s: use the letters F, Z, P, U, T, A, O or -, then ,cache-list; blocks separated by ;\n",
		       slub_debug);
		ret = -EINVAL;
	}
	/* A kernel could not have booted past these: refuse, never loop. */
	if (!ret && kslab_boot.min_order > KSLAB_MAX_PAGE_ORDER) {
		pr_err("slub_min_order=%u is above MAX_PAGE_ORDER %u: pass slub_min_order= with a value the kernel accepts\n",
		       kslab_boot.min_order, KSLAB_MAX_PAGE_ORDER);
		ret = -EINVAL;
	}
	return ret;
}

static int __init kslab_init(void)
{
	int ret;

	if (minalign && !is_power_of_2(minalign)) {
		pr_err("minalign=%u is not a power of two\n", minalign);
		return -EINVAL;
	}
	ret = kslab_boot_init();
	if (!ret)
		ret = apply_overrides();
	if (ret)
		goto boot_exit;
	kslab_params_init(nr_cpus, minalign, &kslab_boot);
	if (!stats)
		static_branch_disable(&kslab_stats_on);
	ret = kslab_report_init();
	if (ret)
		goto boot_exit;
	kslab_slab_key_init();
	ret = kslab_caches_create(kslab_boot.memcg_nokmem);
	if (ret)
		goto report_exit;
	ret = kslab_hotplug_init();
	if (ret)
		goto caches_exit;
	kslab_defer_init();
	kslab_sysfs_init();
	kslab_debugfs_init();
	pr_info("shadow kmalloc ready: nr_cpus %u, min_objects %u, order %u-%u\n",
		kslab_params.nr_cpus, kslab_params.min_objects,
		kslab_params.min_order, kslab_params.max_order);
	return 0;

caches_exit:
	kslab_caches_destroy();
	rcu_barrier();
report_exit:
	kslab_report_exit();
boot_exit:
	kslab_boot_exit();
	return ret;
}

static void __exit kslab_exit(void)
{
	kslab_defer_flush();	/* Frees queued (PREEMPT_RT, nolock), caches live */
	kslab_buckets_exit();	/* Before the caches they own */
	kslab_lookaside_exit();
	kslab_debugfs_exit();
	kslab_sysfs_exit();
	kslab_hotplug_exit();	/* Before the kmalloc caches it walks */
	kslab_caches_destroy();
	kslab_large_release_all();
	rcu_barrier();	/* Descriptors freed after a grace period */
	kslab_report_exit();
	kslab_boot_exit();
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
