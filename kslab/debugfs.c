// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs files of kslab under /sys/kernel/debug/kslab/: slabinfo and
 * geometry. Each starts with a version line.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/utsname.h>

#include "kslab.h"

static struct dentry *kslab_dir;

/* The cache after slot (*type, *i), skipping aliases; NULL at the end. */
static struct kslab_cache *next_cache(unsigned int *type, unsigned int *i)
{
	while (*type < KSLAB_NR_TYPES) {
		if (++*i >= KSLAB_NR_INDEX) {
			*i = 0;
			++*type;
			continue;
		}
		if (kslab_caches[*type][*i] && !kslab_cache_is_alias(*type, *i))
			return kslab_caches[*type][*i];
	}
	return NULL;
}

/*
 * /proc/slabinfo 2.1 format. Mirrors slab_show() and cache_show() in
 * mm/slab_common.c with SLUB's get_slabinfo(): no tunables, and every
 * slab counted as active.
 */
static int slabinfo_show(struct seq_file *m, void *v)
{
	unsigned int type = 0, i = 0;
	struct kslab_cache *s;

	seq_puts(m, "slabinfo - version: 2.1\n");
	seq_puts(m, "# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab>");
	seq_puts(m, " : tunables <limit> <batchcount> <sharedfactor>");
	seq_puts(m, " : slabdata <active_slabs> <num_slabs> <sharedavail>\n");
	while ((s = next_cache(&type, &i))) {
		unsigned long active, total, slabs, flags;

		raw_spin_lock_irqsave(&s->lock, flags);
		active = s->active_objects;
		total = s->total_objects;
		slabs = s->nr_slabs;
		raw_spin_unlock_irqrestore(&s->lock, flags);

		seq_printf(m, "%-17s %6lu %6lu %6u %4u %4d",
			   s->name, active, total, s->geom.size,
			   s->geom.objects, 1 << s->geom.order);
		seq_printf(m, " : tunables %4u %4u %4u", 0, 0, 0);
		seq_printf(m, " : slabdata %6lu %6lu %6lu\n", slabs, slabs, 0UL);
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(slabinfo);

/*
 * One line per cache, in the units and names of /sys/kernel/slab/<cache>/
 * (object_size, slab_size, align, order, objs_per_slab), after a version
 * line and the inputs the geometry was derived from.
 */
static int geometry_show(struct seq_file *m, void *v)
{
	const struct kslab_params *p = &kslab_params;
	unsigned int type = 0, i = 0;
	struct kslab_cache *s;

	seq_printf(m, "kslab geometry - version: %d\n", KSLAB_DEBUGFS_VERSION);
	seq_printf(m, "# kernel %s page_size %lu nr_cpus %u min_objects %u slub_min_order %u slub_max_order %u kmalloc_min_size %u minalign %u\n",
		   init_utsname()->release, PAGE_SIZE, p->nr_cpus,
		   p->min_objects, p->min_order, p->max_order, p->min_size,
		   p->boot_minalign);
	seq_puts(m, "# name object_size slab_size align order objs_per_slab\n");
	while ((s = next_cache(&type, &i)))
		seq_printf(m, "%s %u %u %u %u %u\n", s->name,
			   s->geom.object_size, s->geom.size, s->geom.align,
			   s->geom.order, s->geom.objects);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(geometry);

void kslab_debugfs_init(void)
{
	kslab_dir = debugfs_create_dir("kslab", NULL);
	debugfs_create_file("slabinfo", 0400, kslab_dir, NULL, &slabinfo_fops);
	debugfs_create_file("geometry", 0444, kslab_dir, NULL, &geometry_fops);
}

void kslab_debugfs_exit(void)
{
	debugfs_remove_recursive(kslab_dir);
}
