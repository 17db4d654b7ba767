/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The allocation and free fast paths of the per-CPU layer (cpu.c), inline
 * into the API's entries as mm/slub.c's slab_alloc_node() and slab_free()
 * are into kmalloc() and kfree() (__fastpath_inline). Everything slow
 * stays out of line in cpu.c, partial.c and single.c.
 */
#ifndef KSLAB_CORE_FAST_H
#define KSLAB_CORE_FAST_H

#include <linux/kmemleak.h>
#include <linux/local_lock.h>
#include <linux/mm.h>

#include "core.h"
#include "../check/trace.h"

/*
 * The flag-class counters from inside the local lock: IRQs are off there
 * except on PREEMPT_RT, where another task may take this CPU.
 */
static __always_inline void kslab_stats_gfp_locked(gfp_t gfp, bool atomic)
{
	if (IS_ENABLED(CONFIG_PREEMPT_RT))
		kslab_stats_gfp(gfp, atomic);
	else
		__kslab_stats_gfp(gfp, atomic);
}

/* mm/slub.c:node_match(): without CONFIG_NUMA any slab matches. */
static __always_inline bool kslab_node_match(const struct kslab_slab *slab,
					     int node)
{
	return !IS_ENABLED(CONFIG_NUMA) || node == NUMA_NO_NODE ||
	       slab->nid == node;
}

/*
 * Hand out one object of @s: slab_alloc_node() in mm/slub.c. The fast path
 * pops this CPU's freelist under its local lock; should_failslab(),
 * kmemleak and the trace event follow slab_pre_alloc_hook() and
 * slab_post_alloc_hook(). Debug caches take the single-object path.
 * From v7.0 (KSLAB_SHEAVES) the main sheaf takes the freelist's place.
 */
static __always_inline void *
kslab_slab_alloc_fast(struct kslab_cache *s, size_t size, gfp_t gfp, int node,
		      unsigned long caller, bool atomic)
{
	struct kslab_slab *slab;
	struct kslab_cpu *c;
	unsigned long flags;
	unsigned int idx;
	void *obj;

	if (unlikely(READ_ONCE(s->dying)))
		goto dying;
	if (unlikely(kslab_should_fail(s, gfp))) {
		kslab_stats_gfp(gfp, atomic);
		goto fail;
	}
	if (unlikely(s->cpu_slabs_off)) {
		kslab_stats_gfp(gfp, atomic);
		obj = kslab_alloc_single(s, size, gfp, node, caller);
		if (unlikely(!obj))
			goto fail;
		goto hooks;
	}

	local_lock_irqsave(&s->cpu->lock, flags);
	if (static_branch_likely(&kslab_stats_on))
		kslab_stats_gfp_locked(gfp, atomic);
	c = this_cpu_ptr(s->cpu);
	obj = c->freelist;
	slab = c->slab;
	/* Inside the section kslab_cache_destroy() waits for. */
	if (unlikely(READ_ONCE(s->dying))) {
		local_unlock_irqrestore(&s->cpu->lock, flags);
		goto dying;
	}
	if (KSLAB_SHEAVES) {
		struct kslab_sheaf *main = c->main;

		/* alloc_from_pcs(): the top of the main sheaf (v7.0 on). */
		if (likely(node == NUMA_NO_NODE && main->size)) {
			obj = main->objects[--main->size];
			slab = __kslab_slab_lookup(obj);
		} else {
			obj = kslab_pcs_alloc_slow(s, gfp, node, &flags, &slab);
			if (unlikely(!obj)) {
				local_unlock_irqrestore(&s->cpu->lock, flags);
				goto fail;
			}
			c = this_cpu_ptr(s->cpu);
		}
		idx = kslab_obj_index(s, slab, obj);
	} else if (likely(obj && kslab_node_match(slab, node) &&
			  kslab_free_obj(s, slab, obj, &idx))) {
		/* A bad head takes the slow path, which retires its slab. */
		c->freelist = *kslab_freeptr(s, obj);
	} else {
		obj = kslab_slab_alloc_slow(s, gfp, node, &flags, &slab);
		if (unlikely(!obj)) {
			local_unlock_irqrestore(&s->cpu->lock, flags);
			goto fail;
		}
		c = this_cpu_ptr(s->cpu);
		idx = kslab_obj_index(s, slab, obj);
	}
	/* kslab_free_obj() gave the freelist head's index. */
	WRITE_ONCE(slab->live[idx], KSLAB_LIVE);
	c->allocs++;
	if (static_branch_likely(&kslab_stats_on)) {
		c->bytes_req += size;
		c->bytes_alloc += s->geom.size;
	}
	local_unlock_irqrestore(&s->cpu->lock, flags);
hooks:
	kmemleak_alloc_recursive(obj, s->geom.object_size, 1, s->geom.flags,
				 gfp);
	trace_kslab_alloc(caller, obj, s->name, size, s->geom.size, gfp, node);
	return obj;
dying:
	kslab_report_cache(KSLAB_REPORT_BAD_CACHE, s, NULL, caller,
			   "allocation from a destroyed cache");
fail:
	atomic_long_inc(&s->failures);
	return NULL;
}

/*
 * mm/slab.h:slab_want_init_on_alloc() (v6.1, v6.12, v7.3 903): with
 * init_on_alloc, a cache with a constructor is never zeroed and one with
 * SLAB_TYPESAFE_BY_RCU or SLAB_POISON (slub_debug=P on kmalloc caches
 * too) only for __GFP_ZERO.
 */
static __always_inline bool
kslab_want_init_on_alloc(const struct kslab_cache *s, gfp_t gfp)
{
	if (want_init_on_alloc(0)) {
		if (s->ctor)
			return false;
		if (s->geom.flags & (SLAB_TYPESAFE_BY_RCU | SLAB_POISON))
			return gfp & __GFP_ZERO;
		return true;
	}
	return gfp & __GFP_ZERO;
}

/* mm/slab.h:slab_want_init_on_free() (v6.1 and v6.12). */
static __always_inline bool kslab_want_init_on_free(const struct kslab_cache *s)
{
	return want_init_on_free() &&
	       !(s->ctor || (s->geom.flags & (SLAB_TYPESAFE_BY_RCU | SLAB_POISON)));
}

/*
 * Return @p to @slab: slab_free() and do_slab_free() in mm/slub.c. An
 * object of this CPU's cpu slab goes back on the CPU's freelist; any other
 * takes __slab_free(). From v7.0 it goes on this CPU's main sheaf.
 * Stale, interior and double frees are reported and ignored, before
 * anything is written, so a bad free never corrupts a freelist: the live
 * byte changes atomically (xchg() to free, cmpxchg() from live to held on
 * sheaves), so two racing frees of one object find one winner.
 */
static __always_inline void
kslab_slab_free_fast(struct kslab_slab *slab, void *p, unsigned long caller)
{
	struct kslab_cache *s = slab->cache;
	enum kslab_report_item bad;
	struct kslab_cpu *c;
	unsigned long flags;
	unsigned int idx;

	bad = kslab_slab_locate(slab, p, &idx);
	if (unlikely(bad != KSLAB_NR_REPORT_ITEMS))
		goto bad;
	/* The caller's RCU section is what kslab_cache_destroy() waits for. */
	if (unlikely(READ_ONCE(s->dying))) {
		bad = KSLAB_REPORT_BAD_CACHE;
		goto bad;
	}
	if (unlikely(s->cpu_slabs_off)) {
		kslab_free_single(slab, p, caller);
		return;
	}
	/*
	 * With sheaves the object stays allocated to its slab (KSLAB_HELD);
	 * either way only one of two racing frees finds it live.
	 */
	if (KSLAB_SHEAVES ?
	    unlikely(cmpxchg(&slab->live[idx], KSLAB_LIVE, KSLAB_HELD) !=
		     KSLAB_LIVE) :
	    unlikely(cmpxchg(&slab->live[idx], KSLAB_LIVE, 0) != KSLAB_LIVE)) {
		bad = KSLAB_REPORT_DOUBLE_FREE;
		goto bad;
	}
	kmemleak_free_recursive(p, s->geom.flags);
	if (kslab_want_init_on_free(s))
		memset(p, 0, s->geom.object_size);

	local_lock_irqsave(&s->cpu->lock, flags);
	c = this_cpu_ptr(s->cpu);
	c->frees++;
	if (KSLAB_SHEAVES) {
		struct kslab_sheaf *main = c->main;

		/* free_to_pcs(), for an object of this CPU's node. */
		if (likely(main->size < s->sheaf_capacity &&
			   slab->nid == numa_mem_id())) {
			main->objects[main->size++] = p;
			local_unlock_irqrestore(&s->cpu->lock, flags);
		} else {
			kslab_pcs_free_slow(s, slab, p, &flags);
		}
	} else if (likely(slab == c->slab)) {
		*kslab_freeptr(s, p) = c->freelist;
		c->freelist = p;
		local_unlock_irqrestore(&s->cpu->lock, flags);
	} else {
		local_unlock_irqrestore(&s->cpu->lock, flags);
		if (__kslab_slab_free(s, slab, p))
			kslab_put_cpu_partial(s, slab);
	}
	trace_kslab_free(caller, p, s->name);
	return;
bad:
	if (bad == KSLAB_REPORT_BAD_CACHE)
		kslab_report_cache(bad, s, p, caller,
				   "free to a cache being destroyed");
	else
		kslab_report_cache(bad, s, p, caller,
				   "free at offset %ld of slab",
				   (long)(p - slab->base));
}

#endif /* KSLAB_CORE_FAST_H */
