// SPDX-License-Identifier: GPL-2.0
/*
 * Reports of bad input: one counter per finding, a bounded ring of the
 * newest records (debugfs "violations"), and a rate-limited message that
 * names the caller and the fix.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/export.h>
#include <linux/printk.h>
#include <linux/ratelimit.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "kslab.h"

static atomic_long_t counts[KSLAB_NR_REPORT_ITEMS];

static const char *const names[] = {
	[KSLAB_REPORT_INVALID_FREE]	= "invalid-free",
	[KSLAB_REPORT_DOUBLE_FREE]	= "double-free",
	[KSLAB_REPORT_INTERIOR_FREE]	= "interior-free",
	[KSLAB_REPORT_BAD_GFP]		= "bad-gfp",
	[KSLAB_REPORT_OVERSIZE]		= "oversize",
	[KSLAB_REPORT_LEAK]		= "leak",
	[KSLAB_REPORT_ATOMIC_SLEEP]	= "atomic-sleep",
};

static_assert(ARRAY_SIZE(names) == KSLAB_NR_REPORT_ITEMS);

/* Ten messages every five seconds, like printk_ratelimit(). */
static DEFINE_RATELIMIT_STATE(report_rs, 5 * HZ, 10);

#define NR_RECORDS	16	/* Records kept per finding; older ones go */

/*
 * The newest NR_RECORDS records of each finding, so that a flood of one
 * kind never hides another. Protected by record_lock.
 */
static DEFINE_RAW_SPINLOCK(record_lock);
static struct kslab_violation records[KSLAB_NR_REPORT_ITEMS][NR_RECORDS];
static unsigned long nr_records[KSLAB_NR_REPORT_ITEMS];	/* Since clear */

static void record(enum kslab_report_item item, const void *p,
		   unsigned long caller, gfp_t gfp, const char *context)
{
	struct kslab_violation *v;
	unsigned long flags;

	raw_spin_lock_irqsave(&record_lock, flags);
	v = &records[item][nr_records[item]++ % NR_RECORDS];
	v->item = item;
	v->object = p;
	v->caller = caller;
	v->gfp = gfp;
	v->context = context;
	v->pid = in_task() ? task_pid_nr(current) : 0;
	strscpy(v->comm, in_task() ? current->comm : "-", sizeof(v->comm));
	raw_spin_unlock_irqrestore(&record_lock, flags);
}

/* Count @item without printing or recording (__GFP_NOWARN asked so). */
void kslab_report_note(enum kslab_report_item item)
{
	atomic_long_inc(&counts[item]);
}

/*
 * Count @item, record it, and print one line about it: the finding, the
 * message, the object (hashed %p) and the caller (%pS). Safe in any
 * context.
 */
void __kslab_report(enum kslab_report_item item, const void *p,
		    unsigned long caller, gfp_t gfp, const char *context,
		    const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	kslab_report_note(item);
	record(item, p, caller, gfp, context);
	if (!__ratelimit(&report_rs))
		return;
	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	pr_err("%s: %pV (object %p, caller %pS)\n", names[item], &vaf, p,
	       (void *)caller);
	va_end(args);
}

unsigned long kslab_report_count(enum kslab_report_item item)
{
	return atomic_long_read(&counts[item]);
}
EXPORT_SYMBOL_GPL(kslab_report_count);

const char *kslab_report_name(enum kslab_report_item item)
{
	return names[item];
}

void kslab_report_reset(void)
{
	unsigned int i;

	for (i = 0; i < KSLAB_NR_REPORT_ITEMS; i++)
		atomic_long_set(&counts[i], 0);
}

unsigned long kslab_violation_count(void)
{
	return kslab_report_count(KSLAB_REPORT_ATOMIC_SLEEP);
}
EXPORT_SYMBOL_GPL(kslab_violation_count);

/* Copy the newest sleep-rule record to @v; false if none is kept. */
bool kslab_violation_last(struct kslab_violation *v)
{
	const unsigned int item = KSLAB_REPORT_ATOMIC_SLEEP;
	unsigned long flags, n;

	raw_spin_lock_irqsave(&record_lock, flags);
	n = nr_records[item];
	if (n)
		*v = records[item][(n - 1) % NR_RECORDS];
	raw_spin_unlock_irqrestore(&record_lock, flags);
	return n;
}
EXPORT_SYMBOL_GPL(kslab_violation_last);

void kslab_records_clear(void)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&record_lock, flags);
	memset(nr_records, 0, sizeof(nr_records));
	memset(records, 0, sizeof(records));
	raw_spin_unlock_irqrestore(&record_lock, flags);
}

/*
 * The body of debugfs "violations": the counters, then per finding its
 * newest records, oldest first.
 */
void kslab_records_show(struct seq_file *m)
{
	struct kslab_violation *copy;
	unsigned long flags, n[KSLAB_NR_REPORT_ITEMS], i, j;

	seq_puts(m, "# counters:");
	for (i = 0; i < KSLAB_NR_REPORT_ITEMS; i++)
		seq_printf(m, " %s %ld", names[i], atomic_long_read(&counts[i]));
	seq_printf(m, "\n# the newest %d records of each finding\n", NR_RECORDS);
	seq_puts(m, "# finding caller object gfp context pid comm\n");

	copy = kmalloc(sizeof(records), GFP_KERNEL);
	if (!copy)
		return;
	raw_spin_lock_irqsave(&record_lock, flags);
	memcpy(n, nr_records, sizeof(n));
	memcpy(copy, records, sizeof(records));
	raw_spin_unlock_irqrestore(&record_lock, flags);

	for (i = 0; i < KSLAB_NR_REPORT_ITEMS; i++) {
		for (j = n[i] > NR_RECORDS ? n[i] - NR_RECORDS : 0; j < n[i]; j++) {
			struct kslab_violation *v = &copy[i * NR_RECORDS + j % NR_RECORDS];

			seq_printf(m, "%s %pS %p %#x(%pGg) %s %d %s\n",
				   names[v->item], (void *)v->caller, v->object,
				   (__force unsigned int)v->gfp, &v->gfp,
				   v->context ?: "-", v->pid, v->comm);
		}
	}
	kfree(copy);
}
