// SPDX-License-Identifier: GPL-2.0
/*
 * Reports of bad input: one counter per finding, a bounded ring of the
 * newest records (debugfs "violations"), and a rate-limited message that
 * names the caller and the fix.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <kunit/resource.h>
#include <kunit/test.h>
#include <linux/atomic.h>
#include <linux/kmemleak.h>
#include <linux/slab.h>
#include <linux/export.h>
#include <linux/printk.h>
#include <linux/ratelimit.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "check.h"
#include "trace.h"

static atomic_long_t counts[KSLAB_NR_REPORT_ITEMS];

static const char *const names[] = {
	[KSLAB_REPORT_INVALID_FREE]	= "invalid-free",
	[KSLAB_REPORT_DOUBLE_FREE]	= "double-free",
	[KSLAB_REPORT_INTERIOR_FREE]	= "interior-free",
	[KSLAB_REPORT_BAD_GFP]		= "bad-gfp",
	[KSLAB_REPORT_OVERSIZE]		= "oversize",
	[KSLAB_REPORT_LEAK]		= "leak",
	[KSLAB_REPORT_ATOMIC_SLEEP]	= "atomic-sleep",
	[KSLAB_REPORT_WRONG_CACHE]	= "wrong-cache",
	[KSLAB_REPORT_RED_ZONE]		= "red-zone",
	[KSLAB_REPORT_POISON]		= "poison",
	[KSLAB_REPORT_FREELIST]		= "freelist",
	[KSLAB_REPORT_CACHE_BUSY]	= "cache-busy",
	[KSLAB_REPORT_BAD_ARGS]		= "bad-args",
	[KSLAB_REPORT_BAD_CACHE]	= "bad-cache",
	[KSLAB_REPORT_USE_AFTER_FREE]	= "use-after-free",
	[KSLAB_REPORT_BAD_WRITE]	= "bad-write",
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
static struct kslab_violation (*records)[NR_RECORDS];	/* [item][n] */
#define RECORDS_SIZE	(KSLAB_NR_REPORT_ITEMS * sizeof(*records))
static unsigned long nr_records[KSLAB_NR_REPORT_ITEMS];	/* Since clear */

/*
 * Without KUnit, kslab_kunit.ko's KTAP runner (kunit/ktap.c) attaches the
 * findings of the test running in this task; NULL detaches. Protected by
 * record_lock.
 */
static struct {
	struct task_struct *task;
	struct kslab_findings *fs;
} attached;

/*
 * Hand @v to the KUnit test running in this task, if it asked for
 * kslab's findings with a KSLAB_KUNIT_RESOURCE named resource (the way
 * mm/kasan/report.c tells its tests about a report).
 */
static void to_kunit(const struct kslab_violation *v)
{
#if IS_ENABLED(CONFIG_KUNIT)
	struct kunit_resource *res;
	struct kslab_findings *fs;
	struct kunit *test;

	if (!in_task())
		return;
	test = kslab_current_test();
	if (!test)
		return;
	res = kunit_find_named_resource(test, KSLAB_KUNIT_RESOURCE);
	if (!res)
		return;
	fs = res->data;
	fs->count[v->item]++;
	fs->last[v->item] = *v;
	kunit_put_resource(res);
#else
	unsigned long flags;

	if (!in_task())
		return;
	raw_spin_lock_irqsave(&record_lock, flags);
	if (attached.task == current) {
		attached.fs->count[v->item]++;
		attached.fs->last[v->item] = *v;
	}
	raw_spin_unlock_irqrestore(&record_lock, flags);
#endif
}

/* kslab_kunit.ko's KTAP runner: @fs takes this task's findings. */
void kslab_report_attach(struct kslab_findings *fs)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&record_lock, flags);
	attached.task = fs ? current : NULL;
	attached.fs = fs;
	raw_spin_unlock_irqrestore(&record_lock, flags);
}
EXPORT_SYMBOL_NS_GPL(kslab_report_attach, KSLAB_INTERNAL_NS);

static void record(const struct kslab_violation *v)
{
	unsigned long flags;

	/*
	 * An NMI (kslab_kfree_nolock()) may have interrupted a holder on
	 * this CPU: it records only if the lock is free, and counts anyway.
	 */
	if (!in_nmi())
		raw_spin_lock_irqsave(&record_lock, flags);
	else if (!raw_spin_trylock_irqsave(&record_lock, flags))
		return;
	if (records)
		records[v->item][nr_records[v->item]++ % NR_RECORDS] = *v;
	raw_spin_unlock_irqrestore(&record_lock, flags);
	to_kunit(v);
	trace_kslab_violation(names[v->item], v->caller, v->object, v->cache,
			      v->offset);
}

/*
 * The records hold stale pointers to freed kslab objects. They live in an
 * allocation kmemleak does not scan (kmemleak_no_scan()), or a stale
 * pointer would hide the leak of an object that reuses the address.
 */
int kslab_report_init(void)
{
	records = kcalloc(KSLAB_NR_REPORT_ITEMS, sizeof(*records), GFP_KERNEL);
	if (!records)
		return -ENOMEM;
	kmemleak_no_scan(records);
	return 0;
}

void kslab_report_exit(void)
{
	kfree(records);
	records = NULL;
}

/* Count @item without printing or recording (__GFP_NOWARN asked so). */
void kslab_report_note(enum kslab_report_item item)
{
	atomic_long_inc(&counts[item]);
}

static void fill(struct kslab_violation *v, enum kslab_report_item item,
		 const void *p, unsigned long caller)
{
	memset(v, 0, sizeof(*v));
	v->item = item;
	v->object = p;
	v->caller = caller;
	v->offset = -1;
	v->pid = in_task() ? task_pid_nr(current) : 0;
	strscpy(v->comm, in_task() ? current->comm : "-", sizeof(v->comm));
}

/* Count, record and print @v with the message @vaf; any context. */
static void report(struct kslab_violation *v, struct va_format *vaf)
{
	kslab_report_note(v->item);
	record(v);
	if (!__ratelimit(&report_rs))
		return;
	if (v->free_addr)
		pr_err("%s: %s%s%pV (object %p, caller %pS; allocated at %pS, last freed at %pS)\n",
		       names[v->item], v->cache, *v->cache ? ": " : "", vaf,
		       v->object, (void *)v->caller, (void *)v->alloc_addr,
		       (void *)v->free_addr);
	else if (v->alloc_addr)
		pr_err("%s: %s%s%pV (object %p, caller %pS; allocated at %pS, never freed before)\n",
		       names[v->item], v->cache, *v->cache ? ": " : "", vaf,
		       v->object, (void *)v->caller, (void *)v->alloc_addr);
	else
		pr_err("%s: %s%s%pV (object %p, caller %pS)\n", names[v->item],
		       v->cache, *v->cache ? ": " : "", vaf, v->object,
		       (void *)v->caller);
}

static __printf(2, 3) void report_fmt(struct kslab_violation *v,
				      const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	report(v, &vaf);
	va_end(args);
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
	struct kslab_violation v;
	struct va_format vaf;
	va_list args;

	fill(&v, item, p, caller);
	v.gfp = gfp;
	v.context = context;
	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	report(&v, &vaf);
	va_end(args);
}

/* A report about @p in cache @s: the record carries the cache's name. */
void kslab_report_cache(enum kslab_report_item item,
			const struct kslab_cache *s, const void *p,
			unsigned long caller, const char *fmt, ...)
{
	struct kslab_violation v;
	struct va_format vaf;
	va_list args;

	fill(&v, item, p, caller);
	strscpy(v.cache, s->name, sizeof(v.cache));
	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	report(&v, &vaf);
	va_end(args);
}

/*
 * A debug check failed on @obj of @s: name the region, the first bad
 * byte and, with SLAB_STORE_USER, where the object was allocated and
 * last freed, as mm/slub.c:check_bytes_and_report() and print_trailer()
 * do. The object has been quarantined.
 */
void kslab_report_object(const struct kslab_cache *s, void *obj,
			 unsigned long caller, const struct kslab_finding *f)
{
	struct kslab_violation v;

	fill(&v, f->item, obj, caller);
	strscpy(v.cache, s->name, sizeof(v.cache));
	v.offset = f->offset;
	v.found = f->found;
	v.expected = f->expected;
	kslab_debug_sites(s, obj, &v.alloc_addr, &v.free_addr);
	if (f->item == KSLAB_REPORT_FREELIST)
		report_fmt(&v,
			   "free pointer at offset %d is not an object of this slab; freelist rebuilt, object quarantined",
			   f->offset);
	else
		report_fmt(&v,
			   "%s overwritten at offset %d: 0x%02x instead of 0x%02x; object quarantined%s",
			   f->what, f->offset, f->found, f->expected,
			   f->item == KSLAB_REPORT_POISON ?
			   " (written after free)" : "");
}

/* Public: a user module's @item is checked, never trusted as an index. */
unsigned long kslab_report_count(enum kslab_report_item item)
{
	if ((unsigned int)item >= KSLAB_NR_REPORT_ITEMS)
		return 0;
	return atomic_long_read(&counts[item]);
}
EXPORT_SYMBOL_GPL(kslab_report_count);

unsigned long kslab_report_total(void)
{
	unsigned long sum = 0;
	unsigned int i;

	for (i = 0; i < KSLAB_NR_REPORT_ITEMS; i++)
		sum += atomic_long_read(&counts[i]);
	return sum;
}
EXPORT_SYMBOL_GPL(kslab_report_total);

const char *kslab_report_name(enum kslab_report_item item)
{
	if ((unsigned int)item >= KSLAB_NR_REPORT_ITEMS)
		return "unknown";
	return names[item];
}
EXPORT_SYMBOL_GPL(kslab_report_name);

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
EXPORT_SYMBOL_NS_GPL(kslab_violation_count, KSLAB_INTERNAL_NS);

/* Copy the newest sleep-rule record to @v; false if none is kept. */
bool kslab_violation_last(struct kslab_violation *v)
{
	const unsigned int item = KSLAB_REPORT_ATOMIC_SLEEP;
	unsigned long flags, n;

	raw_spin_lock_irqsave(&record_lock, flags);
	n = records ? nr_records[item] : 0;
	if (n)
		*v = records[item][(n - 1) % NR_RECORDS];
	raw_spin_unlock_irqrestore(&record_lock, flags);
	return n;
}
EXPORT_SYMBOL_NS_GPL(kslab_violation_last, KSLAB_INTERNAL_NS);

void kslab_records_clear(void)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&record_lock, flags);
	memset(nr_records, 0, sizeof(nr_records));
	if (records)
		memset(records, 0, RECORDS_SIZE);
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
	seq_puts(m, "# finding caller object gfp context pid comm cache offset alloc-site free-site\n");

	copy = kmalloc(RECORDS_SIZE, GFP_KERNEL);
	if (!copy)
		return;
	raw_spin_lock_irqsave(&record_lock, flags);
	memcpy(n, nr_records, sizeof(n));
	if (records)
		memcpy(copy, records, RECORDS_SIZE);
	else
		memset(n, 0, sizeof(n));
	raw_spin_unlock_irqrestore(&record_lock, flags);

	for (i = 0; i < KSLAB_NR_REPORT_ITEMS; i++) {
		for (j = n[i] > NR_RECORDS ? n[i] - NR_RECORDS : 0; j < n[i]; j++) {
			struct kslab_violation *v = &copy[i * NR_RECORDS + j % NR_RECORDS];

			seq_printf(m, "%s %pS %p %#x(%pGg) %s %d %s %s %d %pS %pS\n",
				   names[v->item], (void *)v->caller, v->object,
				   (__force unsigned int)v->gfp, &v->gfp,
				   v->context ?: "-", v->pid, v->comm,
				   *v->cache ? v->cache : "-", v->offset,
				   (void *)v->alloc_addr, (void *)v->free_addr);
		}
	}
	kfree(copy);
}
