/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The API layer: kslab_k*() and the kmem_cache API, built on core/.
 * Their declarations are public, in include/kslab.h (through types.h);
 * this header has what only kslab itself calls.
 */
#ifndef KSLAB_API_API_H
#define KSLAB_API_API_H

#include <linux/preempt.h>

#include "../types.h"

/*
 * Where kslab may not take its locks (local_lock_t, spinlock_t): in NMI;
 * on PREEMPT_RT, where they sleep, with IRQs off, in hardirq context or
 * with preemption off (Documentation/locking/locktypes.rst).
 */
static inline bool kslab_locks_forbidden(void)
{
	if (in_nmi())
		return true;
	return IS_ENABLED(CONFIG_PREEMPT_RT) &&
	       (irqs_disabled() ||
		(preempt_count() & (PREEMPT_MASK | HARDIRQ_MASK | NMI_MASK)));
}

/* defer.c: frees queued where the locks may not be taken */
struct kslab_slab;
bool kslab_defer_free(struct kslab_slab *slab, void *p);
void kslab_defer_flush(void);
void kslab_defer_init(void);

/* hotplug.c: slub_cpu_dead()'s flush of a dead CPU */
int kslab_hotplug_init(void);
void kslab_hotplug_exit(void);

/* rt.c: PREEMPT_RT's forbidden contexts; nothing to do elsewhere */
#ifdef CONFIG_PREEMPT_RT
bool kslab_rt_refuse(gfp_t gfp, unsigned long caller);
bool kslab_rt_defer_free(const void *p, unsigned long caller);
#else
static inline bool kslab_rt_refuse(gfp_t gfp, unsigned long caller)
{
	return false;
}

static inline bool kslab_rt_defer_free(const void *p, unsigned long caller)
{
	return false;
}

#endif

/* buckets.c: kslab_buckets_create() and its caches */
/*
 * kmem_buckets: one cache pointer per size-class index, the slots that
 * share a cache (96 and 192 under a large minalign) pointing at one.
 * @owned has a bit for each slot whose cache the buckets made.
 */
struct kslab_buckets {
	struct kslab_cache *cache[KSLAB_NR_INDEX];
	unsigned long owned;
	bool dead;			/* Under kslab_lookaside_mutex */
	struct list_head list;		/* live or graveyard, under the mutex */
};

struct kslab_cache *kslab_buckets_cache(struct kslab_buckets *b, size_t size,
					unsigned long caller);
void kslab_buckets_exit(void);

/* lookaside.c: the kmem_cache API's lists, for debugfs and unload */
void kslab_lookaside_show(struct seq_file *m);
void kslab_lookaside_exit(void);
struct kslab_cache *kslab_lookaside_create(const char *name, unsigned int size,
					   unsigned int align,
					   slab_flags_t flags,
					   unsigned int useroffset,
					   unsigned int usersize,
					   void (*ctor)(void *),
					   unsigned long caller);
extern struct mutex kslab_lookaside_mutex;

/*
 * Told under kslab_lookaside_mutex when a lookaside cache comes or goes;
 * debugfs registers one, so that the API never calls upward into it.
 */
struct kslab_cache_observer {
	void (*add)(struct kslab_cache *s);
	void (*remove)(struct kslab_cache *s);
};

void kslab_lookaside_observe(const struct kslab_cache_observer *o);
extern struct list_head kslab_lookaside_caches;

#endif /* KSLAB_API_API_H */
