// SPDX-License-Identifier: GPL-2.0
/*
 * Statistics of kslab beyond the per-cache counters: allocations per flag
 * class and in atomic context, pages per zone, and the large path. All of
 * it sits behind the kslab_stats_on static key (module parameter stats).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/export.h>
#include <linux/gfp.h>
#include <linux/jump_label.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/percpu.h>
#include <linux/seq_file.h>

#include "core.h"

DEFINE_STATIC_KEY_TRUE(kslab_stats_on);

/* Whether the event counters are kept (module parameter stats). */
bool kslab_stats_enabled(void)
{
	return static_branch_likely(&kslab_stats_on);
}
EXPORT_SYMBOL_NS_GPL(kslab_stats_enabled, KSLAB_INTERNAL_NS);

static const struct {
	gfp_t mask;			/* Class applies when any bit is set */
	const char *name;
} classes[] = {
	[KSLAB_GFP_BLOCKING]		= { __GFP_DIRECT_RECLAIM, "blocking" },
	[KSLAB_GFP_ATOMIC_CLASS]	= { __GFP_HIGH, "atomic" },
	[KSLAB_GFP_NOWAIT_CLASS]	= { 0, "nowait" },
	[KSLAB_GFP_DMA_CLASS]		= { __GFP_DMA, "dma" },
	[KSLAB_GFP_RECLAIMABLE_CLASS]	= { __GFP_RECLAIMABLE, "reclaimable" },
	[KSLAB_GFP_ACCOUNT_CLASS]	= { __GFP_ACCOUNT, "account" },
	[KSLAB_GFP_ZERO_CLASS]		= { __GFP_ZERO, "zero" },
	[KSLAB_GFP_NOWARN_CLASS]	= { __GFP_NOWARN, "nowarn" },
	[KSLAB_GFP_NOFAIL_CLASS]	= { __GFP_NOFAIL, "nofail" },
	[KSLAB_GFP_NORETRY_CLASS]	= { __GFP_NORETRY, "noretry" },
	[KSLAB_GFP_RETRY_MAYFAIL_CLASS]	= { __GFP_RETRY_MAYFAIL, "retry_mayfail" },
};

static_assert(ARRAY_SIZE(classes) == KSLAB_NR_GFP_CLASSES);

/* zone_names[] of mm/page_alloc.c, which is not exported. */
static const char *const zone_label[MAX_NR_ZONES] = {
#ifdef CONFIG_ZONE_DMA
	"DMA",
#endif
#ifdef CONFIG_ZONE_DMA32
	"DMA32",
#endif
	"Normal",
#ifdef CONFIG_HIGHMEM
	"HighMem",
#endif
	"Movable",
#ifdef CONFIG_ZONE_DEVICE
	"Device",
#endif
};

static_assert(ARRAY_SIZE(zone_label) == MAX_NR_ZONES);

/* Per-call counters, per CPU: see __kslab_stats_gfp() in core.h. */
DEFINE_PER_CPU(unsigned long, kslab_call_count[KSLAB_NR_GFP_CLASSES + 1]);
static atomic_long_t zone_taken[MAX_NR_ZONES];	/* Pages taken, per zone */
static atomic_long_t zone_freed[MAX_NR_ZONES];	/* Pages given back */
static atomic_long_t large_allocs, large_frees, large_pages;
static atomic64_t large_bytes_req, large_bytes_alloc;

/* The modifier classes of @gfp: off the fast path, GFP_KERNEL has none. */
void kslab_stats_gfp_modifiers(gfp_t gfp)
{
	unsigned int i;

	for (i = KSLAB_GFP_DMA_CLASS; i < KSLAB_NR_GFP_CLASSES; i++)
		if (gfp & classes[i].mask)
			__this_cpu_inc(kslab_call_count[i]);
}

/* Count one call of @gfp from any context. */
void kslab_stats_gfp(gfp_t gfp, bool atomic)
{
	unsigned long flags;

	if (!static_branch_likely(&kslab_stats_on))
		return;
	local_irq_save(flags);
	__kslab_stats_gfp(gfp, atomic);
	local_irq_restore(flags);
}

/* Count pages taken from (or given back to) the page allocator. */
void kslab_stats_pages(struct page *page, unsigned int order, bool taken)
{
	if (!static_branch_likely(&kslab_stats_on))
		return;
	atomic_long_add(1L << order, taken ? &zone_taken[page_zonenum(page)] :
					     &zone_freed[page_zonenum(page)]);
}

void kslab_stats_large(size_t size, unsigned int order, bool alloc)
{
	if (!static_branch_likely(&kslab_stats_on))
		return;
	if (alloc) {
		atomic_long_inc(&large_allocs);
		atomic_long_add(1L << order, &large_pages);
		atomic64_add(size, &large_bytes_req);
		atomic64_add(PAGE_SIZE << order, &large_bytes_alloc);
	} else {
		atomic_long_inc(&large_frees);
		atomic_long_sub(1L << order, &large_pages);
	}
}

static unsigned long calls(unsigned int i)
{
	unsigned long sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += per_cpu(kslab_call_count[i], cpu);
	return sum;
}

/* The body of debugfs "gfp": "<section> <name> <value>" lines. */
void kslab_stats_show_gfp(struct seq_file *m)
{
	unsigned int i;

	for (i = 0; i < KSLAB_NR_GFP_CLASSES; i++)
		seq_printf(m, "class %s %lu\n", classes[i].name, calls(i));
	seq_printf(m, "context atomic %lu\n", calls(KSLAB_CTX_ATOMIC));
	for (i = 0; i < MAX_NR_ZONES; i++)
		seq_printf(m, "zone %s taken %ld held %ld\n", zone_label[i],
			   atomic_long_read(&zone_taken[i]),
			   atomic_long_read(&zone_taken[i]) -
			   atomic_long_read(&zone_freed[i]));
}

void kslab_stats_show_large(struct seq_file *m)
{
	seq_printf(m, "allocs %ld\nfrees %ld\nactive_objects %ld\npages %ld\nbytes_requested %lld\nbytes_allocated %lld\n",
		   atomic_long_read(&large_allocs), atomic_long_read(&large_frees),
		   atomic_long_read(&large_allocs) - atomic_long_read(&large_frees),
		   atomic_long_read(&large_pages),
		   (long long)atomic64_read(&large_bytes_req),
		   (long long)atomic64_read(&large_bytes_alloc));
}

/* Pages taken from the page allocator and not given back, all zones. */
long kslab_stats_pages_held(void)
{
	long held = 0;
	unsigned int i;

	for (i = 0; i < MAX_NR_ZONES; i++)
		held += atomic_long_read(&zone_taken[i]) -
			atomic_long_read(&zone_freed[i]);
	return held;
}
EXPORT_SYMBOL_NS_GPL(kslab_stats_pages_held, KSLAB_INTERNAL_NS);

/* Zero the event counters; what is held (pages, objects) stays true. */
void kslab_stats_reset(void)
{
	unsigned int i;
	int cpu;

	for_each_possible_cpu(cpu)
		for (i = 0; i <= KSLAB_CTX_ATOMIC; i++)
			per_cpu(kslab_call_count[i], cpu) = 0;
	for (i = 0; i < MAX_NR_ZONES; i++) {
		atomic_long_sub(atomic_long_read(&zone_freed[i]), &zone_taken[i]);
		atomic_long_set(&zone_freed[i], 0);
	}
	atomic_long_sub(atomic_long_read(&large_frees), &large_allocs);
	atomic_long_set(&large_frees, 0);
	atomic64_set(&large_bytes_req, 0);
	atomic64_set(&large_bytes_alloc, 0);
}
