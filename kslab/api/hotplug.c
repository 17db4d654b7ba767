// SPDX-License-Identifier: GPL-2.0
/*
 * CPU hotplug: a dead CPU's cpu slabs, CPU partial slabs or sheaves go
 * back to the node at once, as SLUB's do.
 *
 * mm/slub.c:kmem_cache_init() (v6.1 4897, v6.12 6050, v7.3 8699) sets up
 * CPUHP_SLUB_DEAD with the teardown slub_cpu_dead(), which walks every
 * cache under slab_mutex. That state is the kernel's own; a module gets a
 * dynamic one of the same section, CPUHP_BP_PREPARE_DYN, whose teardown
 * also runs on a control CPU after the CPU is dead (kernel/cpu.c,
 * cpuhp_hp_states[]). It walks the kmalloc caches and the lookaside list
 * under kslab_lookaside_mutex, taken inside the hotplug lock: so nothing
 * may take the hotplug lock with that mutex held (lookaside.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/mutex.h>

#include "../core/core.h"
#include "api.h"

static enum cpuhp_state kslab_cpuhp_state;

static int kslab_cpu_dead(unsigned int cpu)
{
	struct kslab_cache *s;
	unsigned int t, i;

	mutex_lock(&kslab_lookaside_mutex);
	for (t = 0; t < KSLAB_NR_TYPES; t++)
		for (i = 0; i < KSLAB_NR_INDEX; i++)
			if (kslab_caches[t][i] && !kslab_cache_is_alias(t, i))
				kslab_flush_cpu_dead(kslab_caches[t][i], cpu);
	list_for_each_entry(s, &kslab_lookaside_caches, list)
		kslab_flush_cpu_dead(s, cpu);
	mutex_unlock(&kslab_lookaside_mutex);
	return 0;
}

/* After the kmalloc caches exist: -errno if no dynamic state is free. */
int kslab_hotplug_init(void)
{
	int ret;

	ret = cpuhp_setup_state_nocalls(CPUHP_BP_PREPARE_DYN, "kslab:dead",
					NULL, kslab_cpu_dead);
	if (ret < 0) {
		pr_err("no CPU hotplug state for the dead-CPU flush (%d); unload another module that holds one\n",
		       ret);
		return ret;
	}
	kslab_cpuhp_state = ret;
	return 0;
}

/* Before the kmalloc caches go. */
void kslab_hotplug_exit(void)
{
	cpuhp_remove_state_nocalls(kslab_cpuhp_state);
}
