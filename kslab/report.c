// SPDX-License-Identifier: GPL-2.0
/*
 * Reports of bad input: one counter per finding, and a rate-limited
 * message that names the caller and the fix.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/export.h>
#include <linux/printk.h>
#include <linux/ratelimit.h>

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

/* Ten reports every five seconds, like printk_ratelimit(). */
static DEFINE_RATELIMIT_STATE(report_rs, 5 * HZ, 10);

/* Count @item without printing (the caller asked for __GFP_NOWARN). */
void kslab_report_note(enum kslab_report_item item)
{
	atomic_long_inc(&counts[item]);
}

/*
 * Count @item and print one line about it: the finding, the message, the
 * object (hashed %p) and the caller (%pS). Safe in any context.
 */
void kslab_report(enum kslab_report_item item, const void *p,
		  unsigned long caller, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	kslab_report_note(item);
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
