/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The checking layer: debug checks of SLUB's debug layout, reports and
 * their records, failslab-style fault injection. It sees only types.h.
 */
#ifndef KSLAB_CHECK_CHECK_H
#define KSLAB_CHECK_CHECK_H

#include <linux/fault-inject.h>
#include <linux/sched.h>

#include "../types.h"

/* debug.c */
void kslab_debug_init_slab(struct kslab_slab *slab);
bool kslab_debug_alloc(struct kslab_cache *s, void *obj, size_t size,
		       unsigned long caller, struct kslab_finding *f);
bool kslab_debug_free(struct kslab_cache *s, void *obj, unsigned long caller,
		      struct kslab_finding *f);
bool kslab_debug_valid_ptr(struct kslab_slab *slab, void *p);
void kslab_debug_set_orig_size(const struct kslab_cache *s, void *obj,
			       unsigned long size);
void kslab_debug_sites(const struct kslab_cache *s, void *obj,
		       unsigned long *alloc, unsigned long *free);

/* report.c */
unsigned long kslab_violation_count(void);
bool kslab_violation_last(struct kslab_violation *v);
void __kslab_report(enum kslab_report_item item, const void *p,
		    unsigned long caller, gfp_t gfp, const char *context,
		    const char *fmt, ...) __printf(6, 7);
#define kslab_report(item, p, caller, fmt, ...)				\
	__kslab_report(item, p, caller, 0, NULL, fmt, ##__VA_ARGS__)
int kslab_report_init(void);
void kslab_report_exit(void);
void kslab_records_show(struct seq_file *m);
void kslab_records_clear(void);
void kslab_report_reset(void);
void kslab_report_note(enum kslab_report_item item);
void kslab_report_attach(struct kslab_findings *fs);

void kslab_report_object(const struct kslab_cache *s, void *obj,
			 unsigned long caller, const struct kslab_finding *f);
void kslab_report_cache(enum kslab_report_item item,
			const struct kslab_cache *s, const void *p,
			unsigned long caller, const char *fmt, ...)
	__printf(5, 6);

/*
 * fail.c: fault injection, the failslab knobs under debugfs kslab/fail/;
 * kslab_fail_set() is public (include/kslab.h).
 */
#ifdef CONFIG_FAULT_INJECTION
struct kslab_fail {
	struct fault_attr attr;
	bool ignore_gfp_reclaim;
	bool cache_filter;
};

extern struct kslab_fail kslab_fail;
bool __kslab_should_fail(const struct kslab_cache *s, gfp_t gfp);

/*
 * The allocation fast path's test: should_fail() fails nothing while the
 * probability is 0 unless the task armed /proc/<pid>/fail-nth, so only
 * then is the call made (mm/slub.c pays none at all without
 * CONFIG_FAILSLAB).
 */
static __always_inline bool kslab_should_fail(const struct kslab_cache *s,
					      gfp_t gfp)
{
	if (likely(!READ_ONCE(kslab_fail.attr.probability) &&
		   !READ_ONCE(current->fail_nth)))
		return false;
	return __kslab_should_fail(s, gfp);
}

void kslab_fail_init(struct dentry *parent);
#else
static inline bool kslab_should_fail(const struct kslab_cache *s, gfp_t gfp)
{
	return false;
}

static inline void kslab_fail_init(struct dentry *parent) { }
#endif

#endif /* KSLAB_CHECK_CHECK_H */
