// SPDX-License-Identifier: GPL-2.0
/*
 * The per-CPU layer of a cache: the cpu slab and its freelist, the CPU
 * partial stack, the allocation fast path and ___slab_alloc(), the free
 * fast path, and flushing. Mirrors mm/slub.c of v6.1 and v6.12; where
 * they differ, the difference does not change which slab lands on which
 * list (see the notes at get_freelist() and in partial.c).
 *
 * Locking. SLUB's lockless fast path is a this_cpu_cmpxchg_double (v6.1)
 * or this_cpu_try_cmpxchg128 (v6.12) on freelist and tid. kslab cannot use
 * it: on x86 the instruction falls back to this_cpu_cmpxchg16b_emu, which
 * is not exported to modules, and kslab's fast path also sets the object's
 * byte in the live map, which no single cmpxchg covers. So kslab takes
 * the per-CPU local_lock_t that SLUB itself takes on PREEMPT_RT
 * (USE_LOCKLESS_FAST_PATH() is false there): IRQs off on other kernels,
 * a per-CPU sleeping lock with migration disabled on RT. No lock is
 * shared between CPUs on the fast path. Lock order:
 *   1. kslab_cpu.lock (local)
 *   2. kslab_node.list_lock
 *   3. kslab_slab.lock (raw, SLUB's slab_lock())
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/export.h>
#include <linux/kmemleak.h>
#include <linux/mm.h>
#include <linux/nodemask.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "core.h"
#include "fast.h"

/* === Cache set-up ====================================================== */

/*
 * mm/slub.c:set_cpu_partial() and slub_set_cpu_partial() (v6.1 and
 * v6.12): the object budget by object size, in slabs of the cache's
 * order; 0 without CONFIG_SLUB_CPU_PARTIAL and for debug caches.
 */
static void set_cpu_partial(struct kslab_cache *s)
{
	unsigned int size = s->geom.size, nr;

	if (!IS_ENABLED(CONFIG_SLUB_CPU_PARTIAL) || s->cpu_slabs_off)
		nr = 0;
	else if (size >= PAGE_SIZE)
		nr = 6;
	else if (size >= 1024)
		nr = 24;
	else if (size >= 256)
		nr = 52;
	else
		nr = 120;
	s->cpu_partial = nr;
	s->cpu_partial_slabs = DIV_ROUND_UP(nr * 2, s->geom.objects);
}

/**
 * kslab_cache_set_division - kslab_off_index()'s constants for geom.size
 * @s: a cache whose geom.size is set
 *
 * The inverse of the size's odd part modulo 2^32, by Newton's iteration.
 */
void kslab_cache_set_division(struct kslab_cache *s)
{
	u32 odd, inv;
	int i;

	s->size_tz = __ffs(s->geom.size);
	odd = s->geom.size >> s->size_tz;
	inv = odd;			/* Right in the low 3 bits */
	for (i = 0; i < 4; i++)		/* Each step doubles them: 48 */
		inv *= 2 - odd * inv;
	s->size_inv = inv;
	s->size_lim = U32_MAX / odd;
}
EXPORT_SYMBOL_NS_GPL(kslab_cache_set_division, KSLAB_INTERNAL_NS);

/**
 * kslab_cache_open - the per-CPU and policy part of a new cache
 * @s: a cache whose geometry is set
 *
 * Mirrors kmem_cache_open() (v6.1) / do_kmem_cache_create() (v6.12):
 * the page flags calculate_sizes() derives, per-CPU structures,
 * the size division (its reciprocal_size), set_cpu_partial(), and the
 * random freelist sequence.
 * Debug caches, and every cache under SLUB_TINY (v6.12), have no cpu
 * slab.
 *
 * Return: 0 or -ENOMEM.
 */
int kslab_cache_open(struct kslab_cache *s)
{
	unsigned int cpu;

	s->allocflags = kslab_cache_allocflags(s->geom.flags, s->geom.order);
	s->cpu = alloc_percpu(struct kslab_cpu);
	if (!s->cpu)
		return -ENOMEM;
	for_each_possible_cpu(cpu)
		local_lock_init(&per_cpu_ptr(s->cpu, cpu)->lock);
	kslab_cache_set_division(s);
	s->cpu_slabs_off = kslab_cache_debug(s) || IS_ENABLED(CONFIG_SLUB_TINY);
	if (!KSLAB_SHEAVES)
		set_cpu_partial(s);
	if (kslab_init_random_seq(s))
		goto fail;
	/*
	 * v7.0 on: do_kmem_cache_create() gives sheaves to every cache but
	 * the kmalloc ones, which bootstrap_kmalloc_sheaves() equips once
	 * all exist (kslab_caches_create()). Until then those take the
	 * single-object path, as SLUB's take ___slab_alloc().
	 */
	if (KSLAB_SHEAVES) {
		if (!(s->geom.flags & SLAB_KMALLOC))
			s->sheaf_capacity =
				kslab_sheaf_capacity(s, s->sheaf_capacity);
		if (kslab_sheaves_open(s)) {
			kfree(s->random_seq);
			goto fail;
		}
	}
	return 0;
fail:
	free_percpu(s->cpu);
	s->cpu = NULL;
	return -ENOMEM;
}

/* Free what kslab_cache_open() allocated; the slabs are gone already. */
void kslab_cache_close(struct kslab_cache *s)
{
	if (KSLAB_SHEAVES)
		kslab_sheaves_close(s);
	free_percpu(s->cpu);
	kfree(s->random_seq);
}

/* === Allocation ======================================================== */

/*
 * mm/slub.c:get_freelist(): take the remote frees of the cpu slab. The
 * slab is left with inuse == objects and frozen only if there were any;
 * an exhausted cpu slab is thereby retired to no list (DEACTIVATE_BYPASS).
 * v6.1 also freezes cpu partial slabs and v6.12 does not; kslab keeps
 * them on cpu_partial either way, which leads to the same lists.
 */
static void *get_freelist(struct kslab_slab *slab)
{
	unsigned long flags;
	void *freelist;

	raw_spin_lock_irqsave(&slab->lock, flags);
	freelist = slab->freelist;
	slab->freelist = NULL;
	slab->inuse = slab->objects;
	slab->frozen = freelist;
	slab->cpu_partial = false;
	raw_spin_unlock_irqrestore(&slab->lock, flags);
	return freelist;
}

/* Give up the cpu slab of @c: the deactivate_slab: label of ___slab_alloc(). */
static void drop_cpu_slab(struct kslab_cache *s, struct kslab_cpu *c)
{
	struct kslab_slab *slab = c->slab;
	void *freelist = c->freelist;

	c->slab = NULL;
	c->freelist = NULL;
	kslab_deactivate_slab(s, slab, freelist);
}

/*
 * mm/slub.c:___slab_alloc() (v6.1 3015-3225, v6.12 3737-3981) without
 * pfmemalloc and KFENCE: the cpu slab's remote frees, then the CPU partial
 * stack, then the node partial list, then a new slab with the local lock
 * dropped, so a blocking @gfp may sleep there. Called and returns with
 * the local lock held, possibly on another CPU. On success *@slabp is
 * the cpu slab the object came from.
 */
void *kslab_slab_alloc_slow(struct kslab_cache *s, gfp_t gfp, int node,
			    unsigned long *flags, struct kslab_slab **slabp)
{
	struct kslab_cpu *c = this_cpu_ptr(s->cpu);
	struct kslab_slab *slab;
	unsigned int idx;
	void *freelist;

	node = kslab_node_usable(node);

	slab = c->slab;
	if (!slab)
		goto new_slab;
	if (unlikely(!kslab_node_match(slab, node))) {
		drop_cpu_slab(s, c);
		goto new_slab;
	}
	freelist = c->freelist;
	if (freelist)
		goto load_freelist;
	freelist = get_freelist(slab);
	if (!freelist) {
		c->slab = NULL;
		goto new_slab;
	}
load_freelist:
	/* A head that is no free object is never followed (fast.h). */
	if (unlikely(!kslab_free_obj(s, c->slab, freelist, &idx))) {
		slab = c->slab;
		c->slab = NULL;
		c->freelist = NULL;
		kslab_retire_corrupt(s, slab, freelist);
		goto new_slab;
	}
	c->freelist = *kslab_freeptr(s, freelist);
	*slabp = c->slab;
	return freelist;

new_slab:
	/* Step B: the CPU partial stack, head first (v6.12's while loop). */
	while (c->partial) {
		slab = c->partial;
		c->partial = slab->next;
		if (unlikely(!kslab_node_match(slab, node))) {
			slab->next = NULL;
			kslab_put_partials(s, slab);
			continue;
		}
		c->slab = slab;
		freelist = get_freelist(slab);
		if (likely(freelist))
			goto load_freelist;
		c->slab = NULL;
	}

	/* Step C: the node partial list. */
	slab = kslab_get_partial(s, c, node, &freelist);
	if (slab) {
		c->slab = slab;
		goto load_freelist;
	}

	/* Step D: a new slab, frozen with its whole freelist. */
	local_unlock_irqrestore(&s->cpu->lock, *flags);
	slab = kslab_new_slab(s, gfp, node);
	local_lock_irqsave(&s->cpu->lock, *flags);
	c = this_cpu_ptr(s->cpu);
	if (unlikely(!slab))
		return NULL;
	/* kslab_cache_destroy() began while this context slept. */
	if (unlikely(READ_ONCE(s->dying))) {
		kslab_free_slab(slab);
		return NULL;
	}
	freelist = slab->freelist;
	slab->freelist = NULL;
	slab->inuse = slab->objects;
	slab->frozen = true;
	kslab_add_slab(s, slab);
	/* retry_load_slab: another context on this CPU got one meanwhile. */
	if (unlikely(c->slab))
		drop_cpu_slab(s, c);
	c->slab = slab;
	goto load_freelist;
}

/**
 * kslab_slab_alloc - one object of @s, out of line
 * @s: the cache
 * @size: bytes requested (the counters' bytes_req)
 * @gfp: prepared flags (kslab_gfp_prepare())
 * @node: NUMA node or NUMA_NO_NODE
 * @caller: the API caller, for reports and the trace event
 * @atomic: the caller's context was atomic (kslab_atomic_now())
 *
 * kslab_slab_alloc_fast() for the entries that are not inlined.
 *
 * Return: the object or NULL.
 */
void *kslab_slab_alloc(struct kslab_cache *s, size_t size, gfp_t gfp,
		       int node, unsigned long caller, bool atomic)
{
	return kslab_slab_alloc_fast(s, size, gfp, node, caller, atomic);
}

/* === Free ============================================================== */

/* kslab_slab_free_fast() for the entries that are not inlined. */
void kslab_slab_free(struct kslab_slab *slab, void *p, unsigned long caller)
{
	kslab_slab_free_fast(slab, p, caller);
}

/*
 * mm/slub.c:put_cpu_partial() with drain == 1 (from __slab_free()): push
 * @slab on this CPU's partial stack; when the stack already holds
 * cpu_partial_slabs, the whole old stack is drained to the node first.
 */
void kslab_put_cpu_partial(struct kslab_cache *s, struct kslab_slab *slab)
{
	struct kslab_slab *old, *drain = NULL;
	struct kslab_cpu *c;
	unsigned long flags;

	local_lock_irqsave(&s->cpu->lock, flags);
	c = this_cpu_ptr(s->cpu);
	old = c->partial;
	if (old && old->slabs >= s->cpu_partial_slabs) {
		drain = old;
		old = NULL;
	}
	slab->slabs = (old ? old->slabs : 0) + 1;
	slab->next = old;
	c->partial = slab;
	local_unlock_irqrestore(&s->cpu->lock, flags);
	if (drain)
		kslab_put_partials(s, drain);
}

/* === Flush ============================================================= */

/* mm/slub.c:flush_slab() then unfreeze_partials() / put_partials(). */
static void flush_cpu(struct kslab_cache *s, struct kslab_cpu *c)
{
	struct kslab_slab *partial = c->partial;

	c->partial = NULL;
	if (c->slab)
		drop_cpu_slab(s, c);
	if (partial)
		kslab_put_partials(s, partial);
}

static long flush_this_cpu(void *arg)
{
	struct kslab_cache *s = arg;
	unsigned long flags;

	local_lock_irqsave(&s->cpu->lock, flags);
	flush_cpu(s, this_cpu_ptr(s->cpu));
	local_unlock_irqrestore(&s->cpu->lock, flags);
	return 0;
}

/**
 * kslab_flush_all - return every CPU's slabs of @s to the node
 * @s: the cache
 *
 * mm/slub.c:flush_all(): each online CPU holding a cpu slab or partial
 * slabs flushes them itself, from a work item on that CPU; an offline
 * CPU's are flushed from here (SLUB's slub_cpu_dead()). May sleep,
 * unless no CPU holds a slab of @s.
 */
void kslab_flush_all(struct kslab_cache *s)
{
	unsigned int cpu;

	if (s->cpu_slabs_off)
		return;
	if (KSLAB_SHEAVES) {
		kslab_sheaves_flush_all(s);
		return;
	}
	/* Unlike SLUB, sleep only if some CPU holds slabs of @s. */
	for_each_possible_cpu(cpu) {
		struct kslab_cpu *c = per_cpu_ptr(s->cpu, cpu);

		if (READ_ONCE(c->slab) || READ_ONCE(c->partial))
			break;
	}
	if (cpu >= nr_cpu_ids)
		return;
	might_sleep();
	cpus_read_lock();
	for_each_possible_cpu(cpu) {
		struct kslab_cpu *c = per_cpu_ptr(s->cpu, cpu);

		if (!READ_ONCE(c->slab) && !READ_ONCE(c->partial))
			continue;
		if (cpu_online(cpu))
			work_on_cpu(cpu, flush_this_cpu, s);
		else
			flush_cpu(s, c);
	}
	cpus_read_unlock();
}
EXPORT_SYMBOL_NS_GPL(kslab_flush_all, KSLAB_INTERNAL_NS);

/**
 * kslab_flush_cpu_dead - the slabs a dead CPU held of @s, to the node
 * @s: the cache
 * @cpu: a CPU that is offline and no longer runs
 *
 * mm/slub.c:slub_cpu_dead() (v6.1 2807, v6.12 3442): __flush_cpu_slab()
 * of every cache, its cpu slab deactivated, then its CPU partial list;
 * v7.3 4249: __pcs_flush_all_cpu() of the caches with sheaves. The CPU
 * does not run, so its local lock is not taken; the hotplug lock, held
 * by the caller (lockdep_assert_cpus_held() is not exported to modules),
 * keeps kslab_flush_all() from flushing it too.
 */
void kslab_flush_cpu_dead(struct kslab_cache *s, unsigned int cpu)
{
	if (WARN_ON_ONCE(cpu_online(cpu)))
		return;
	if (s->cpu_slabs_off)
		return;
	if (KSLAB_SHEAVES)
		kslab_sheaves_flush_dead(s, cpu);
	else
		flush_cpu(s, per_cpu_ptr(s->cpu, cpu));
}

/*
 * __kmem_cache_shrink(): flush_all(), then the node shrink of partial.c.
 * May sleep, unless no CPU holds a slab of @s. The API's
 * kslab_cache_shrink() checks @s first.
 */
void __kslab_cache_shrink(struct kslab_cache *s)
{
	kslab_flush_all(s);
	if (KSLAB_SHEAVES)
		kslab_barn_shrink(s);	/* v7.3 __kmem_cache_shrink() */
	kslab_node_shrink(s);
}
EXPORT_SYMBOL_NS_GPL(__kslab_cache_shrink, KSLAB_INTERNAL_NS);

/* Free every slab of @s on destruction: flush, then the node's release. */
void kslab_slab_release_all(struct kslab_cache *s)
{
	kslab_flush_all(s);
	if (KSLAB_SHEAVES)
		kslab_barn_shrink(s);
	kslab_node_release_all(s);
}

/* === Bulk ============================================================== */

/*
 * Give back @obj, just taken by this call and known to nobody else. The
 * call pins @s, so its slab is still there.
 */
static void undo_alloc(struct kslab_cache *s, void *obj)
{
	struct kslab_slab *slab;
	struct kslab_cpu *c;
	unsigned long flags;

	rcu_read_lock();
	slab = kslab_slab_lookup(obj);
	rcu_read_unlock();
	WRITE_ONCE(slab->live[kslab_obj_index(s, slab, obj)], 0);
	local_lock_irqsave(&s->cpu->lock, flags);
	c = this_cpu_ptr(s->cpu);
	c->frees++;
	if (slab == c->slab) {
		*kslab_freeptr(s, obj) = c->freelist;
		c->freelist = obj;
		local_unlock_irqrestore(&s->cpu->lock, flags);
		return;
	}
	local_unlock_irqrestore(&s->cpu->lock, flags);
	if (__kslab_slab_free(s, slab, obj))
		kslab_put_cpu_partial(s, slab);
}

/* slab_post_alloc_hook() for the @nr objects of a bulk allocation. */
static void bulk_hooks(struct kslab_cache *s, gfp_t gfp, size_t nr, void **p,
		       unsigned long caller)
{
	size_t i;

	for (i = 0; i < nr; i++) {
		kmemleak_alloc_recursive(p[i], s->geom.object_size, 1,
					 s->geom.flags, gfp);
		trace_kslab_alloc(caller, p[i], s->name, s->geom.object_size,
				  s->geom.size, gfp, NUMA_NO_NODE);
	}
}

/*
 * kmem_cache_alloc_bulk_noprof() of v7.3: live objects from the sheaves
 * and slabs (sheaf.c), then hooked. The stats are
 * counted on this CPU, as the cpu slab era's loop does.
 */
static int alloc_bulk_sheaves(struct kslab_cache *s, gfp_t gfp, size_t nr,
			      void **p, unsigned long caller)
{
	struct kslab_cpu *c;
	unsigned long flags;

	if (!kslab_sheaves_alloc_bulk(s, gfp, nr, p)) {
		atomic_long_inc(&s->failures);
		return 0;
	}
	local_lock_irqsave(&s->cpu->lock, flags);
	c = this_cpu_ptr(s->cpu);
	c->allocs += nr;
	if (static_branch_likely(&kslab_stats_on)) {
		c->bytes_req += nr * s->geom.object_size;
		c->bytes_alloc += nr * s->geom.size;
	}
	local_unlock_irqrestore(&s->cpu->lock, flags);
	bulk_hooks(s, gfp, nr, p, caller);
	return nr;
}

/**
 * kslab_slab_alloc_bulk - @nr objects of @s at once
 * @s: the cache
 * @gfp: allocation flags, prepared by the caller
 * @nr: number of objects
 * @p: array of @nr slots
 * @caller: call site for the hooks
 * @atomic: the caller's context, from kslab_gfp_prepare()
 *
 * mm/slub.c:kmem_cache_alloc_bulk() (v6.1 3819, v6.12 4965): one
 * slab_pre_alloc_hook() (so one should_failslab()) for the whole call,
 * then this CPU's freelist popped under one hold of the local lock,
 * ___slab_alloc() when it runs dry. All or nothing.
 *
 * Return: @nr, or 0 with every object taken given back.
 */
int kslab_slab_alloc_bulk(struct kslab_cache *s, gfp_t gfp, size_t nr,
			  void **p, unsigned long caller, bool atomic)
{
	struct kslab_slab *slab;
	struct kslab_cpu *c;
	unsigned long flags;
	size_t i;

	kslab_stats_gfp(gfp, atomic);
	if (unlikely(kslab_should_fail(s, gfp)))
		goto fail;
	/* It checks ->dying and pins @s itself. */
	if (KSLAB_SHEAVES && !s->cpu_slabs_off)
		return alloc_bulk_sheaves(s, gfp, nr, p, caller);
	/*
	 * New slabs may be made with the locks dropped: the pin keeps a
	 * destroy from freeing the slabs of what this call took so far.
	 */
	rcu_read_lock();
	if (unlikely(READ_ONCE(s->dying))) {
		rcu_read_unlock();
		goto fail;
	}
	kslab_cache_pin(s);
	rcu_read_unlock();
	if (unlikely(s->cpu_slabs_off)) {
		for (i = 0; i < nr; i++) {
			p[i] = kslab_alloc_single(s, s->geom.object_size, gfp,
						  NUMA_NO_NODE, caller);
			if (unlikely(!p[i]))
				goto undo_single;
			kmemleak_alloc_recursive(p[i], s->geom.object_size, 1,
						 s->geom.flags, gfp);
		}
		kslab_cache_unpin(s);
		return nr;
	}

	local_lock_irqsave(&s->cpu->lock, flags);
	c = this_cpu_ptr(s->cpu);
	if (unlikely(READ_ONCE(s->dying))) {
		local_unlock_irqrestore(&s->cpu->lock, flags);
		goto unpin;
	}
	for (i = 0; i < nr; i++) {
		void *obj = c->freelist;
		unsigned int idx;

		if (likely(obj && kslab_free_obj(s, c->slab, obj, &idx))) {
			c->freelist = *kslab_freeptr(s, obj);
			slab = c->slab;
		} else {
			obj = kslab_slab_alloc_slow(s, gfp, NUMA_NO_NODE, &flags,
						    &slab);
			c = this_cpu_ptr(s->cpu);
			if (unlikely(!obj)) {
				local_unlock_irqrestore(&s->cpu->lock, flags);
				goto undo;
			}
			idx = kslab_obj_index(s, slab, obj);
		}
		WRITE_ONCE(slab->live[idx], KSLAB_LIVE);
		c->allocs++;
		if (static_branch_likely(&kslab_stats_on)) {
			c->bytes_req += s->geom.object_size;
			c->bytes_alloc += s->geom.size;
		}
		p[i] = obj;
	}
	local_unlock_irqrestore(&s->cpu->lock, flags);
	kslab_cache_unpin(s);
	bulk_hooks(s, gfp, nr, p, caller);
	return nr;
undo:
	/* Not yet known to kmemleak or the tracer: no hooks. */
	while (i--)
		undo_alloc(s, p[i]);
	goto unpin;
undo_single:
	/* Straight to the slab: a free of a dying cache is refused. */
	while (i--) {
		rcu_read_lock();
		slab = kslab_slab_lookup(p[i]);
		kslab_free_single(slab, p[i], caller);
		rcu_read_unlock();
	}
unpin:
	kslab_cache_unpin(s);
fail:
	atomic_long_inc(&s->failures);
	return 0;
}
