// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs files of kslab under /sys/kernel/debug/kslab/: slabinfo,
 * boot, geometry, lookaside, caches/<name>/{stats,failslab}, gfp, violations,
 * compare, reset and the fault-injection directory fail/.
 * Each file starts with a version line; files that show (hashed) addresses
 * are 0400.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ctype.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/utsname.h>

#include "../api/api.h"
#include "../core/core.h"
#include "observe.h"

static struct dentry *kslab_dir;
static struct dentry *caches_dir;

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

static void slabinfo_line(struct seq_file *m, struct kslab_cache *s)
{
	struct kslab_counts k;

	kslab_cache_counts(s, &k);
	/* SLUB's get_slabinfo(): active_objs is sysfs "objects". */
	seq_printf(m, "%-17s %6lu %6lu %6u %4u %4d", s->name, k.objects,
		   k.total_objects, s->geom.size, s->geom.objects,
		   1 << s->geom.order);
	seq_printf(m, " : tunables %4u %4u %4u", 0, 0, 0);
	seq_printf(m, " : slabdata %6lu %6lu %6lu\n", k.slabs, k.slabs, 0UL);
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
	while ((s = next_cache(&type, &i)))
		slabinfo_line(m, s);
	mutex_lock(&kslab_lookaside_mutex);
	list_for_each_entry(s, &kslab_lookaside_caches, list)
		slabinfo_line(m, s);
	mutex_unlock(&kslab_lookaside_mutex);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(slabinfo);

/* Lookaside caches with their layout and debug state. */
static int lookaside_show(struct seq_file *m, void *v)
{
	seq_printf(m, "kslab lookaside - version: %d\n", KSLAB_DEBUGFS_VERSION);
	kslab_lookaside_show(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(lookaside);

/*
 * SLUB's boot parameters kslab laid its caches out with: one line per
 * parameter, "<name> <value> <source> <argument that set it>", source
 * being default, cmdline (the running kernel's) or module (kslab's
 * module parameter, which overrides).
 */
static int boot_show(struct seq_file *m, void *v)
{
	const struct kslab_boot *b = &kslab_boot;
	static const char *const names[KSLAB_NR_BOOT] = {
		[KSLAB_BOOT_MIN_ORDER] = "slub_min_order",
		[KSLAB_BOOT_MAX_ORDER] = "slub_max_order",
		[KSLAB_BOOT_MIN_OBJECTS] = "slub_min_objects",
		[KSLAB_BOOT_DEBUG] = "slub_debug",
		[KSLAB_BOOT_MERGE] = "slab_nomerge",
		[KSLAB_BOOT_MEMCG] = "cgroup.memory=nokmem",
		[KSLAB_BOOT_SWIOTLB] = "swiotlb=noforce",
	};
	unsigned long vals[KSLAB_NR_BOOT] = {
		[KSLAB_BOOT_MIN_ORDER] = b->min_order,
		[KSLAB_BOOT_MAX_ORDER] = b->max_order,
		[KSLAB_BOOT_MIN_OBJECTS] = b->min_objects,
		[KSLAB_BOOT_DEBUG] = (__force unsigned long)b->debug,
		[KSLAB_BOOT_MERGE] = b->nomerge,
		[KSLAB_BOOT_MEMCG] = b->memcg_nokmem,
		[KSLAB_BOOT_SWIOTLB] = b->swiotlb_noforce,
	};
	unsigned int i;

	seq_printf(m, "kslab boot - version: %d\n", KSLAB_DEBUGFS_VERSION);
	if (b->cmdline_err)
		seq_printf(m, "# command line unread (%ld): defaults and module parameters only\n",
			   b->cmdline_err);
	seq_puts(m, "# name value source argument\n");
	for (i = 0; i < KSLAB_NR_BOOT; i++)
		seq_printf(m, i == KSLAB_BOOT_DEBUG ? "%s %#lx %s %s\n" :
			   "%s %lu %s %s\n", names[i], vals[i],
			   kslab_boot_src_name(b->src[i]),
			   b->src[i] ? b->arg[i] : "-");
	seq_printf(m, "slub_debug_lists %s\n", b->debug_string ?: "-");
	seq_printf(m, "slub_debug_higher_order_disable %d\n",
		   b->higher_order_disable);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(boot);

/*
 * One line per cache, in the units and names of /sys/kernel/slab/<cache>/
 * (object_size, slab_size, align, order, objs_per_slab), after a version
 * line and the inputs the geometry was derived from.
 */
static int geometry_show(struct seq_file *m, void *v)
{
	const struct kslab_params *p = &kslab_params;
	const struct kslab_boot *b = &kslab_boot;
	unsigned int type = 0, i = 0;
	struct kslab_cache *s;

	seq_printf(m, "kslab geometry - version: %d\n", KSLAB_DEBUGFS_VERSION);
	seq_printf(m, "# kernel %s page_size %lu nr_cpus %u min_objects %u slub_min_order %u slub_max_order %u kmalloc_min_size %u minalign %u\n",
		   init_utsname()->release, PAGE_SIZE, p->nr_cpus,
		   p->min_objects, p->min_order, p->max_order, p->min_size,
		   p->boot_minalign);
	seq_printf(m, "# source slub_min_order %s slub_max_order %s slub_min_objects %s slub_debug %s cgroup.memory %s (see boot)\n",
		   kslab_boot_src_name(b->src[KSLAB_BOOT_MIN_ORDER]),
		   kslab_boot_src_name(b->src[KSLAB_BOOT_MAX_ORDER]),
		   kslab_boot_src_name(b->src[KSLAB_BOOT_MIN_OBJECTS]),
		   kslab_boot_src_name(b->src[KSLAB_BOOT_DEBUG]),
		   kslab_boot_src_name(b->src[KSLAB_BOOT_MEMCG]));
	seq_puts(m, "# name object_size slab_size align order objs_per_slab\n");
	while ((s = next_cache(&type, &i)))
		seq_printf(m, "%s %u %u %u %u %u\n", s->name,
			   s->geom.object_size, s->geom.size, s->geom.align,
			   s->geom.order, s->geom.objects);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(geometry);

/* Per-cache counters, "<name> <value>" lines (kfence's stats style). */
static int cache_stats_show(struct seq_file *m, void *v)
{
	struct kslab_cache *s = m->private;
	unsigned long allocs, frees;
	struct kslab_counts k;
	u64 req, alloc;

	kslab_cache_counts(s, &k);
	allocs = k.allocs - READ_ONCE(s->base.allocs);
	frees = k.frees - READ_ONCE(s->base.frees);
	req = k.bytes_req - READ_ONCE(s->base.bytes_req);
	alloc = k.bytes_alloc - READ_ONCE(s->base.bytes_alloc);

	seq_printf(m, "kslab cache stats - version: %d\n", KSLAB_DEBUGFS_VERSION);
	seq_printf(m, "# %s%s\n", s->name,
		   static_branch_likely(&kslab_stats_on) ? "" : " (stats=0: event counters off)");
	seq_printf(m, "allocs %lu\nfrees %lu\nactive_objects %lu\nslabs %lu\npartial_slabs %lu\npages %lu\n",
		   allocs, frees, k.active, k.slabs, k.partial, k.pages);
	seq_printf(m, "bytes_requested %llu\nbytes_allocated %llu\nbytes_wasted %llu\nfailures %ld\n",
		   req, alloc, alloc - req, atomic_long_read(&s->failures));
	seq_printf(m, "quarantined %lu\nctor_calls %ld\n", k.quarantined,
		   atomic_long_read(&s->ctor_calls));
	seq_printf(m, "cpu_slabs %lu\ncpu_partial_slabs %lu\nobjects %lu\nobjects_partial %lu\ncpu_partial %u\nmin_partial %u\n",
		   k.cpu_slabs, k.cpu_partial_slabs, k.objects,
		   k.objects_partial, k.cpu_partial, k.min_partial);
	/* v7.0 on (KSLAB_SHEAVES); 0 on the kernels of cpu slabs. */
	seq_printf(m, "sheaf_capacity %u\nsheaf_objects %lu\nbarn_full_sheaves %lu\nbarn_empty_sheaves %lu\n",
		   k.sheaf_capacity, k.sheaf_objects, k.barn_full,
		   k.barn_empty);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(cache_stats);

/* Allocations per type, per flag class and context, pages per zone. */
static int gfp_show(struct seq_file *m, void *v)
{
	unsigned long per_type[KSLAB_NR_TYPES] = { };
	unsigned int type = 0, i = 0, t;
	struct kslab_cache *s;

	while ((s = next_cache(&type, &i))) {
		struct kslab_counts k;

		kslab_cache_counts(s, &k);
		per_type[s->type] += k.allocs - READ_ONCE(s->base.allocs);
	}
	seq_printf(m, "kslab gfp - version: %d\n", KSLAB_DEBUGFS_VERSION);
	seq_puts(m, "# type <name> <slab allocations>; class <name> <calls>; context atomic <calls>; zone <name> taken <pages> held <pages>\n");
	for (t = 0; t < KSLAB_NR_TYPES; t++) {
		s = kslab_caches[t][KSLAB_SHIFT_HIGH];
		if (s && s->type == t)
			seq_printf(m, "type %.*s %lu\n",
				   (int)(strrchr(s->name, '-') - s->name), s->name,
				   per_type[t]);
	}
	kslab_stats_show_gfp(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(gfp);

static int large_show(struct seq_file *m, void *v)
{
	seq_printf(m, "kslab large stats - version: %d\n", KSLAB_DEBUGFS_VERSION);
	kslab_stats_show_large(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(large);

static int violations_show(struct seq_file *m, void *v)
{
	seq_printf(m, "kslab violations - version: %d\n", KSLAB_DEBUGFS_VERSION);
	kslab_records_show(m);
	return 0;
}

static int violations_open(struct inode *inode, struct file *file)
{
	return single_open(file, violations_show, inode->i_private);
}

#define CMD_MAX	16

/**
 * kslab_debugfs_command - check a command written to a debugfs file
 * @buf: the @count bytes written, already copied in; NULL if @count is
 *	 too long to copy
 * @count: bytes written
 * @expect: the one command the file takes, surrounding blanks allowed
 *
 * Anything else (empty, too long, partial, binary, another value) is
 * refused with -EINVAL and a "bad-write" report naming the command.
 *
 * Return: @count, or -EINVAL.
 */
ssize_t kslab_debugfs_command(const char *buf, size_t count,
			      const char *expect)
{
	char cmd[CMD_MAX];

	if (buf && count < CMD_MAX) {
		memcpy(cmd, buf, count);
		cmd[count] = '\0';
		/* A NUL inside the write is binary, not a shorter command. */
		if (strlen(cmd) == count && !strcmp(strim(cmd), expect))
			return count;
	}
	kslab_report(KSLAB_REPORT_BAD_WRITE, NULL, _RET_IP_,
		     "debugfs: %zu byte(s) refused; write \"%s\"", count,
		     expect);
	return -EINVAL;
}
EXPORT_SYMBOL_NS_GPL(kslab_debugfs_command, KSLAB_INTERNAL_NS);

/* Copy in a short command; only @expect is accepted. */
static ssize_t command_write(const char __user *ubuf, size_t count,
			     const char *expect)
{
	char buf[CMD_MAX];

	if (count < sizeof(buf) && copy_from_user(buf, ubuf, count))
		return -EFAULT;
	return kslab_debugfs_command(count < sizeof(buf) ? buf : NULL, count,
				     expect);
}

static ssize_t violations_write(struct file *file, const char __user *ubuf,
				size_t count, loff_t *ppos)
{
	ssize_t ret = command_write(ubuf, count, "clear");

	if (ret > 0)
		kslab_records_clear();
	return ret;
}

static const struct file_operations violations_fops = {
	.owner		= THIS_MODULE,
	.open		= violations_open,
	.read		= seq_read,
	.llseek		= seq_lseek,
	.release	= single_release,
	.write		= violations_write,
};

static int compare_show(struct seq_file *m, void *v)
{
	seq_printf(m, "kslab compare - version: %d\n", KSLAB_DEBUGFS_VERSION);
	kslab_compare_show(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(compare);

static const struct kslab_cache_observer lookaside_observer = {
	.add = kslab_debugfs_add_cache,
	.remove = kslab_debugfs_remove_cache,
};

/* Writing "1" zeroes every event counter (not what is held). */
static ssize_t reset_write(struct file *file, const char __user *ubuf,
			   size_t count, loff_t *ppos)
{
	unsigned int type = 0, i = 0;
	struct kslab_cache *s;
	ssize_t ret;

	ret = command_write(ubuf, count, "1");
	if (ret < 0)
		return ret;
	while ((s = next_cache(&type, &i))) {
		struct kslab_counts k;

		kslab_cache_counts(s, &k);
		WRITE_ONCE(s->base.allocs, k.allocs);
		WRITE_ONCE(s->base.frees, k.frees);
		WRITE_ONCE(s->base.bytes_req, k.bytes_req);
		WRITE_ONCE(s->base.bytes_alloc, k.bytes_alloc);
		atomic_long_set(&s->failures, 0);
	}
	kslab_stats_reset();
	kslab_report_reset();
	return ret;
}

static const struct file_operations reset_fops = {
	.owner	= THIS_MODULE,
	.open	= simple_open,
	.write	= reset_write,
	.llseek	= noop_llseek,
};

void kslab_debugfs_init(void)
{
	unsigned int type = 0, i = 0;
	struct kslab_cache *s;

	kslab_dir = debugfs_create_dir("kslab", NULL);
	debugfs_create_file("slabinfo", 0400, kslab_dir, NULL, &slabinfo_fops);
	debugfs_create_file("boot", 0444, kslab_dir, NULL, &boot_fops);
	debugfs_create_file("geometry", 0444, kslab_dir, NULL, &geometry_fops);
	debugfs_create_file("gfp", 0444, kslab_dir, NULL, &gfp_fops);
	debugfs_create_file("large", 0444, kslab_dir, NULL, &large_fops);
	debugfs_create_file("violations", 0600, kslab_dir, NULL,
			    &violations_fops);
	debugfs_create_file("compare", 0400, kslab_dir, NULL, &compare_fops);
	debugfs_create_file("reset", 0200, kslab_dir, NULL, &reset_fops);
	debugfs_create_file("lookaside", 0444, kslab_dir, NULL,
			    &lookaside_fops);
	caches_dir = debugfs_create_dir("caches", kslab_dir);
	while ((s = next_cache(&type, &i)))
		kslab_debugfs_add_cache(s);
	kslab_lookaside_observe(&lookaside_observer);
	kslab_fail_init(kslab_dir);
}

/*
 * caches/<name>/: stats, and failslab, the per-cache switch that the
 * fail/cache-filter knob reads (as /sys/kernel/slab/<name>/failslab).
 */
void kslab_debugfs_add_cache(struct kslab_cache *s)
{
	if (!caches_dir)
		return;
	s->dir = debugfs_create_dir(s->name, caches_dir);
	debugfs_create_file("stats", 0444, s->dir, s, &cache_stats_fops);
	debugfs_create_bool("failslab", 0600, s->dir, &s->failslab);
}

void kslab_debugfs_remove_cache(struct kslab_cache *s)
{
	debugfs_remove_recursive(s->dir);
	s->dir = NULL;
}

void kslab_debugfs_exit(void)
{
	kslab_lookaside_observe(NULL);
	debugfs_remove_recursive(kslab_dir);
}
