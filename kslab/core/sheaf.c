// SPDX-License-Identifier: GPL-2.0
/*
 * The per-CPU layer of v7.0 on (KSLAB_SHEAVES, kslab/compat.h): per-CPU
 * main and spare sheaves over the node's barn, refill from and flush to
 * slabs, and the node partial list rules that go with them. Mirrors
 * mm/slub.c of v7.3 (Debian 7.3.4); line numbers are of that tree.
 *
 * What it mirrors and what it leaves out:
 *  - calculate_sheaf_capacity() 7872-7917, bootstrap_kmalloc_sheaves()
 *    8629-8642, init_percpu_sheaves() 7708-7748;
 *  - alloc_from_pcs() 4826-4877 and __pcs_replace_empty_main() 4714-4824;
 *  - free_to_pcs() 6014-6038, __pcs_replace_full_main() 5890-6011,
 *    __pcs_install_empty_sheaf() 5844-5880;
 *  - the barn 3141-3329, refill_objects() 7397-7432 with
 *    __refill_objects_node() 7264-7336, get_partial_node_bulk() 3814-3883
 *    and alloc_from_new_slab() 4478-4525;
 *  - __slab_free() 5720-5838 and __slab_try_return_freelist() 5683-5718,
 *    __kmem_cache_free_bulk() 7216-7233 with build_detached_freelist()
 *    7152-7210, the order of every list insertion included;
 *  - ___slab_alloc() 4533-4604 without debug (node mismatch, refill
 *    failure);
 *  - pcs_flush_all() 3047-3072, __pcs_flush_all_cpu() 3074-3091,
 *    flush_all_cpus_locked() 4071-4099, barn_shrink() 3305-3329.
 * Not mirrored: the rcu_free sheaf (kslab has no kfree_rcu()), prefilled
 * sheaves (not exported to modules), pfmemalloc slabs, other nodes' barns
 * (kslab keeps one node, kslab/types.h).
 *
 * Locking. SLUB's sheaves are under a local_trylock_t, taken without
 * disabling IRQs: an IRQ that finds it held falls back to the slabs.
 * kslab takes the local_lock_t of the cpu slab era (kslab/core/cpu.c),
 * IRQs off except on PREEMPT_RT, where it is a per-CPU sleeping lock as
 * SLUB's local_trylock_t is there too; so no IRQ ever finds it held and
 * the fallback only happens where SLUB's does for other reasons. Nothing
 * shared between CPUs is taken on the fast paths. Lock order:
 *   1. kslab_cpu.lock (local)
 *   2. kslab_barn.lock
 *   3. kslab_node.list_lock
 *   4. kslab_slab.lock
 *
 * Objects in sheaves are free: their live byte is KSLAB_HELD, so a free
 * or a ksize() of one is a misuse, and a freelist walked by a refill that
 * meets one twice, or meets any pointer that is not a free object of its
 * slab, is corrupt: the walk stops there, the rest of the slab's free
 * objects stay counted as in use (quarantined), and nothing is written
 * through the bad pointer.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/export.h>
#include <linux/kmemleak.h>
#include <linux/lockdep.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/wait_bit.h>
#include <linux/workqueue.h>

#include "core.h"

#define MAX_FULL_SHEAVES	10	/* mm/slub.c:418 */
#define MAX_EMPTY_SHEAVES	10	/* mm/slub.c:419 */
#define PCS_BATCH_MAX		32U	/* mm/slub.c:2902 */

/* === Capacity and set-up =============================================== */

/**
 * kslab_sheaf_capacity - objects per sheaf of @s
 * @s: a cache whose geometry is set
 * @want: kmem_cache_args.sheaf_capacity, or 0
 *
 * mm/slub.c:calculate_sheaf_capacity(): none for debug, SLAB_NOLEAKTRACE
 * and SLUB_TINY caches; else 4, 12, 26 or 60 by s->size, raised until the
 * sheaf fills its kmalloc bucket, which kslab's own kmalloc geometry
 * gives (kslab_cache_of(): minalign aliasing included), then at least
 * @want.
 *
 * Return: the capacity, 0 for no sheaves.
 */
unsigned int kslab_sheaf_capacity(const struct kslab_cache *s,
				  unsigned int want)
{
	unsigned int capacity, size;

	if (IS_ENABLED(CONFIG_SLUB_TINY) ||
	    (s->geom.flags & (KSLAB_DEBUG_FLAGS | SLAB_NOLEAKTRACE)))
		return 0;
	if (s->geom.size >= PAGE_SIZE)
		capacity = 4;
	else if (s->geom.size >= 1024)
		capacity = 12;
	else if (s->geom.size >= 256)
		capacity = 26;
	else
		capacity = 60;
	size = struct_size_t(struct kslab_sheaf, objects, capacity);
	size = kslab_cache_of(size, GFP_KERNEL, 0)->geom.object_size;
	capacity = (size - struct_size_t(struct kslab_sheaf, objects, 0)) /
		   sizeof(void *);
	return max(capacity, want);
}
EXPORT_SYMBOL_NS_GPL(kslab_sheaf_capacity, KSLAB_INTERNAL_NS);

/* alloc_empty_sheaf(): a zeroed real kmalloc of the sheaf's bucket. */
static struct kslab_sheaf *alloc_empty_sheaf(struct kslab_cache *s, gfp_t gfp)
{
	struct kslab_sheaf *sheaf;

	gfp &= ~(__GFP_DMA | __GFP_RECLAIMABLE | __GFP_ACCOUNT | __GFP_NOFAIL |
		 __GFP_THISNODE | __GFP_COMP);	/* OBJCGS_CLEAR_MASK */
	sheaf = kmalloc(struct_size(sheaf, objects, s->sheaf_capacity),
			kslab_meta_gfp(gfp) | __GFP_ZERO);
	if (sheaf) {
		sheaf->cache = s;
		/*
		 * Slots past size keep the pointers of objects handed out:
		 * kmemleak scanning them would take a leaked object for a
		 * referenced one. The live slots hold free objects, which
		 * kmemleak does not track, so nothing is lost by not scanning.
		 * (SLUB's sheaves are scanned: a difference of debugging only.)
		 */
		kmemleak_no_scan(sheaf);
	}
	return sheaf;
}

/* After a grace period: kslab_sheaves_counts() reads other CPUs' sheaves. */
static void free_empty_sheaf(struct kslab_sheaf *sheaf)
{
	WARN_ON_ONCE(sheaf->size);
	kfree_rcu(sheaf, rcu_head);
}

/**
 * kslab_sheaves_open - give @s its barn and per-CPU main sheaves
 * @s: a cache whose sheaf_capacity is set
 *
 * init_kmem_cache_nodes()'s barn_init() and init_percpu_sheaves(): one
 * empty main sheaf per possible CPU. A cache without sheaves takes the
 * single-object paths (kslab/core/single.c), as SLUB's bootstrap_sheaf
 * makes its caches take ___slab_alloc() and __slab_free().
 *
 * Return: 0 or -ENOMEM.
 */
int kslab_sheaves_open(struct kslab_cache *s)
{
	unsigned int cpu;

	spin_lock_init(&s->barn.lock);
	INIT_LIST_HEAD(&s->barn.sheaves_full);
	INIT_LIST_HEAD(&s->barn.sheaves_empty);
	s->cpu_slabs_off = !s->sheaf_capacity;
	if (!s->sheaf_capacity)
		return 0;
	for_each_possible_cpu(cpu) {
		struct kslab_cpu *c = per_cpu_ptr(s->cpu, cpu);

		c->main = alloc_empty_sheaf(s, GFP_KERNEL);
		if (!c->main) {
			kslab_sheaves_close(s);
			s->cpu_slabs_off = true;
			return -ENOMEM;
		}
	}
	return 0;
}

/* Free the per-CPU sheaves of @s, which are empty by now. */
void kslab_sheaves_close(struct kslab_cache *s)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		struct kslab_cpu *c = per_cpu_ptr(s->cpu, cpu);

		if (c->main)
			free_empty_sheaf(c->main);
		if (c->spare)
			free_empty_sheaf(c->spare);
		c->main = NULL;
		c->spare = NULL;
	}
}

/* === Slabs: __slab_free() and friends ================================== */

/*
 * mm/slub.c:__slab_free() of the chain @head .. @tail, @cnt objects of
 * @slab whose live bytes are 0 already: a slab that was full goes to the
 * partial tail, one now empty is discarded once the node holds
 * min_partial slabs, and a partly free slab on no list (taken by a
 * refill) is left alone. list_lock is taken first when the slab may need
 * list work, as SLUB takes it before its cmpxchg.
 */
static void slab_free_chain(struct kslab_cache *s, struct kslab_slab *slab,
			    void *head, void *tail, unsigned int cnt)
{
	struct kslab_node *n = &s->node;
	bool locked = false, was_full, discard = false;
	unsigned long flags, lflags = 0;
	unsigned int inuse;

again:
	if (locked)
		spin_lock_irqsave(&n->list_lock, lflags);
	raw_spin_lock_irqsave(&slab->lock, flags);
	was_full = !slab->freelist;
	if (!locked && (was_full || slab->inuse == cnt)) {
		raw_spin_unlock_irqrestore(&slab->lock, flags);
		locked = true;
		goto again;
	}
	*kslab_freeptr(s, tail) = slab->freelist;
	slab->freelist = head;
	slab->inuse -= cnt;
	inuse = slab->inuse;
	raw_spin_unlock_irqrestore(&slab->lock, flags);
	if (!locked)
		return;
	if (!was_full && !slab->node_partial) {
		/* Partly free, off the list: a refill holds it. */
	} else if (!inuse && n->nr_partial >= s->geom.min_partial) {
		kslab_unlink_slab(s, slab);
		discard = true;
	} else if (was_full) {
		kslab_add_partial(n, slab, true);
	}
	spin_unlock_irqrestore(&n->list_lock, lflags);
	if (discard)
		kslab_free_slab(slab);
}

/* The slab of @obj, an object kslab holds in a sheaf or array. */
static struct kslab_slab *held_slab(const void *obj)
{
	return __kslab_slab_lookup(obj);
}

/*
 * mm/slub.c:__kmem_cache_free_bulk() of @size held objects: from the end
 * of @p, build_detached_freelist() gathers the objects of the last one's
 * slab, looking past at most three of other slabs, and frees them as one
 * chain in array order; the array is permuted as SLUB permutes it, so the
 * next chains are SLUB's too.
 */
static void free_held_bulk(struct kslab_cache *s, size_t size, void **p)
{
	while (size) {
		struct kslab_slab *slab;
		void *obj, *head, *tail;
		unsigned int cnt = 1;
		int lookahead = 3;
		size_t same;

		obj = p[--size];
		slab = held_slab(obj);
		WRITE_ONCE(slab->live[kslab_obj_index(s, slab, obj)], 0);
		head = obj;
		tail = obj;
		same = size;
		while (size) {
			obj = p[--size];
			if (held_slab(obj) == slab) {
				WRITE_ONCE(slab->live[kslab_obj_index(s, slab, obj)], 0);
				*kslab_freeptr(s, obj) = head;
				head = obj;
				cnt++;
				same--;
				if (size != same)
					swap(p[size], p[same]);
				continue;
			}
			if (!--lookahead)
				break;
		}
		size = same;
		slab_free_chain(s, slab, head, tail, cnt);
	}
}

/* sheaf_flush_unused(): a sheaf no CPU sees, emptied to its slabs. */
static void flush_unused(struct kslab_cache *s, struct kslab_sheaf *sheaf)
{
	free_held_bulk(s, sheaf->size, sheaf->objects);
	sheaf->size = 0;
}

/*
 * A free object of @slab, taken from a freelist: an object's start, in
 * the slab, free and not yet held. Marks it held.
 */
static bool take_free_obj(struct kslab_cache *s, struct kslab_slab *slab,
			  void *obj)
{
	unsigned int idx;

	if (!kslab_free_obj(s, slab, obj, &idx))
		return false;
	WRITE_ONCE(slab->live[idx], KSLAB_HELD);
	return true;
}

/* A refill met a corrupt freelist: @lost free objects stay out of use. */
static void freelist_corrupt(struct kslab_cache *s, struct kslab_slab *slab,
			     void *bad, unsigned int lost)
{
	unsigned long flags;

	spin_lock_irqsave(&s->node.list_lock, flags);
	slab->nr_quar += lost;
	s->node.quarantined += lost;
	spin_unlock_irqrestore(&s->node.list_lock, flags);
	kslab_report_cache(KSLAB_REPORT_FREELIST, s, bad, 0,
			   "free pointer %p in a slab's freelist is no free object of it (a write after free?); %u free objects of the slab kept out of use",
			   bad, lost);
}

/*
 * Take up to @max objects of @slab's freelist @obj, @count long, into @p
 * (KSLAB_HELD). Returns the number taken; *@rest is the untaken rest of
 * the chain, NULL if it was corrupt (and then counted lost).
 */
static unsigned int take_chain(struct kslab_cache *s, struct kslab_slab *slab,
			       void *obj, unsigned int count, void **p,
			       unsigned int max, void **rest)
{
	unsigned int n = 0;

	while (count && n < max) {
		if (unlikely(!take_free_obj(s, slab, obj))) {
			freelist_corrupt(s, slab, obj, count);
			*rest = NULL;
			return n;
		}
		p[n++] = obj;
		obj = *kslab_freeptr(s, obj);
		count--;
	}
	*rest = obj;
	return n;
}

/*
 * mm/slub.c:get_freelist_nofreeze(): take @slab's whole freelist, leaving
 * it with inuse == objects; *@count is the number of free objects.
 */
static void *get_freelist(struct kslab_slab *slab, unsigned int *count)
{
	unsigned long flags;
	void *freelist;

	raw_spin_lock_irqsave(&slab->lock, flags);
	freelist = slab->freelist;
	*count = slab->objects - slab->inuse;
	slab->freelist = NULL;
	slab->inuse = slab->objects;
	raw_spin_unlock_irqrestore(&slab->lock, flags);
	return freelist;
}

/*
 * mm/slub.c:__slab_try_return_freelist(): give back the rest of a taken
 * freelist if no free came meanwhile; the slab then goes to the tail.
 */
static bool try_return_freelist(struct kslab_cache *s, struct kslab_slab *slab,
				void *head, unsigned int cnt)
{
	struct kslab_node *n = &s->node;
	unsigned long flags;
	bool ok;

	spin_lock_irqsave(&n->list_lock, flags);
	raw_spin_lock(&slab->lock);
	ok = !slab->freelist;
	if (ok) {
		slab->freelist = head;
		slab->inuse -= cnt;
	}
	raw_spin_unlock(&slab->lock);
	if (ok)
		kslab_add_partial(n, slab, true);
	spin_unlock_irqrestore(&n->list_lock, flags);
	return ok;
}

/*
 * Give back @cnt objects starting at @head of @slab's taken freelist
 * (not held): the try above, else __slab_free() of the chain.
 */
static void return_rest(struct kslab_cache *s, struct kslab_slab *slab,
			void *head, unsigned int cnt)
{
	void *tail = head, *obj;
	unsigned int i;

	if (try_return_freelist(s, slab, head, cnt))
		return;
	/* The chain was just walked to here; its tail is cnt - 1 further. */
	for (i = 1, obj = head; i < cnt; i++) {
		obj = *kslab_freeptr(s, obj);
		if (unlikely(!kslab_debug_valid_ptr(slab, obj) || !obj)) {
			freelist_corrupt(s, slab, obj, cnt - i);
			cnt = i;
			break;
		}
		tail = obj;
	}
	slab_free_chain(s, slab, head, tail, cnt);
}

/*
 * mm/slub.c:get_partial_node_bulk() and __refill_objects_node(): detach
 * slabs from the head of the node list until their free objects reach
 * @max (a slab that would pass @max once @min is reached stays), take
 * their whole freelists into @p, give a surplus back, and return the
 * slabs not reached to the tail.
 */
static unsigned int refill_from_node(struct kslab_cache *s, void **p,
				     unsigned int min, unsigned int max)
{
	struct kslab_node *n = &s->node;
	struct kslab_slab *slab, *tmp;
	unsigned int total = 0, refilled = 0;
	unsigned long flags;
	LIST_HEAD(slabs);

	if (!READ_ONCE(n->nr_partial))
		return 0;
	spin_lock_irqsave(&n->list_lock, flags);
	list_for_each_entry_safe(slab, tmp, &n->partial, list) {
		unsigned int free = slab->objects - READ_ONCE(slab->inuse);

		if (total >= min && total + free > max)
			break;
		kslab_remove_partial(n, slab);
		list_add_tail(&slab->list, &slabs);
		total += free;
		if (total >= max)
			break;
	}
	spin_unlock_irqrestore(&n->list_lock, flags);

	list_for_each_entry_safe(slab, tmp, &slabs, list) {
		unsigned int count, got;
		void *obj, *rest;

		list_del_init(&slab->list);
		obj = get_freelist(slab, &count);
		got = take_chain(s, slab, obj, count, p + refilled,
				 max - refilled, &rest);
		refilled += got;
		count -= got;
		if (count && rest) {
			/* __refill_objects_node() stops at a returned rest. */
			return_rest(s, slab, rest, count);
			break;
		}
		if (refilled >= max)
			break;
	}
	if (!list_empty(&slabs)) {
		spin_lock_irqsave(&n->list_lock, flags);
		list_for_each_entry_safe(slab, tmp, &slabs, list) {
			list_del(&slab->list);
			kslab_add_partial(n, slab, true);
		}
		spin_unlock_irqrestore(&n->list_lock, flags);
	}
	return refilled;
}

/*
 * mm/slub.c:alloc_from_new_slab(): up to @count objects of a new slab in
 * its freelist order; a slab with objects left goes to the partial head,
 * one taken whole to no list.
 */
static unsigned int from_new_slab(struct kslab_cache *s,
				  struct kslab_slab *slab, void **p,
				  unsigned int count)
{
	struct kslab_node *n = &s->node;
	unsigned int i, idx;
	unsigned long flags;
	void *obj;

	count = min(count, slab->objects);
	for (i = 0, obj = slab->freelist; i < count; i++) {
		p[i] = obj;
		idx = kslab_obj_index(s, slab, obj);
		WRITE_ONCE(slab->live[idx], KSLAB_HELD);
		obj = *kslab_freeptr(s, obj);
	}
	slab->freelist = obj;
	slab->inuse = count;
	spin_lock_irqsave(&n->list_lock, flags);
	__kslab_add_slab(s, slab);
	if (count < slab->objects)
		kslab_add_partial(n, slab, false);
	spin_unlock_irqrestore(&n->list_lock, flags);
	return count;
}

/*
 * mm/slub.c:refill_objects(): the local node's partial slabs, then new
 * slabs on it, until @min objects are in @p (at most @max). The objects
 * are held; the caller hands them out or frees them. May sleep if @gfp
 * allows.
 */
static unsigned int refill_objects(struct kslab_cache *s, void **p, gfp_t gfp,
				   unsigned int min, unsigned int max)
{
	unsigned int refilled = refill_from_node(s, p, min, max);
	struct kslab_slab *slab;

	while (refilled < min) {
		slab = kslab_new_slab(s, gfp, numa_mem_id());
		if (!slab)
			break;
		/* kslab_cache_destroy() began while this context slept. */
		if (unlikely(READ_ONCE(s->dying))) {
			kslab_free_slab(slab);
			break;
		}
		refilled += from_new_slab(s, slab, p + refilled, max - refilled);
	}
	return refilled;
}

/* === Slabs without a sheaf: ___slab_alloc() ============================ */

/*
 * mm/slub.c:___slab_alloc() for a cache with sheaves whose sheaves could
 * not serve (a node asked for, no memory for a sheaf): one object of the
 * first partial slab of the node (get_from_partial_node(), which detaches
 * the slab once its freelist is empty), else of a new slab, which goes to
 * the partial head. Returns it held, *@slabp its slab. May sleep.
 */
static void *alloc_from_slabs(struct kslab_cache *s, gfp_t gfp, int node,
			      struct kslab_slab **slabp)
{
	struct kslab_node *n = &s->node;
	struct kslab_slab *slab;
	unsigned long flags;
	void *obj;

	node = kslab_node_usable(node);
again:
	if (READ_ONCE(n->nr_partial)) {
		spin_lock_irqsave(&n->list_lock, flags);
		list_for_each_entry(slab, &n->partial, list) {
			unsigned int lost;

			if (node != NUMA_NO_NODE && slab->nid != node)
				continue;
			raw_spin_lock(&slab->lock);
			obj = slab->freelist;
			if (likely(take_free_obj(s, slab, obj))) {
				slab->freelist = *kslab_freeptr(s, obj);
				slab->inuse++;
				raw_spin_unlock(&slab->lock);
				if (!slab->freelist)
					kslab_remove_partial(n, slab);
				spin_unlock_irqrestore(&n->list_lock, flags);
				*slabp = slab;
				return obj;
			}
			/* Corrupt: the slab's free objects stay out of use. */
			lost = slab->objects - slab->inuse;
			slab->inuse = slab->objects;
			slab->freelist = NULL;
			raw_spin_unlock(&slab->lock);
			kslab_remove_partial(n, slab);
			slab->nr_quar += lost;
			n->quarantined += lost;
			spin_unlock_irqrestore(&n->list_lock, flags);
			kslab_report_cache(KSLAB_REPORT_FREELIST, s, obj, 0,
					   "free pointer %p in a slab's freelist is no free object of it (a write after free?); %u free objects of the slab kept out of use",
					   obj, lost);
			goto again;
		}
		spin_unlock_irqrestore(&n->list_lock, flags);
	}
	slab = kslab_new_slab(s, gfp, node);
	if (!slab)
		return NULL;
	if (unlikely(READ_ONCE(s->dying))) {
		kslab_free_slab(slab);
		return NULL;
	}
	from_new_slab(s, slab, &obj, 1);
	*slabp = slab;
	return obj;
}

/* === The barn ========================================================== */

static struct kslab_sheaf *barn_get_empty(struct kslab_barn *barn)
{
	struct kslab_sheaf *empty = NULL;
	unsigned long flags;

	/* An unlocked peek, as barn_get_empty_sheaf(): rechecked locked. */
	if (!data_race(barn->nr_empty))
		return NULL;
	spin_lock_irqsave(&barn->lock, flags);
	if (barn->nr_empty) {
		empty = list_first_entry(&barn->sheaves_empty,
					 struct kslab_sheaf, barn_list);
		list_del(&empty->barn_list);
		barn->nr_empty--;
	}
	spin_unlock_irqrestore(&barn->lock, flags);
	return empty;
}

/* barn_put_empty_sheaf() / barn_put_full_sheaf(): no limit checked. */
static void barn_put(struct kslab_barn *barn, struct kslab_sheaf *sheaf,
		     bool full)
{
	unsigned long flags;

	spin_lock_irqsave(&barn->lock, flags);
	if (full) {
		list_add(&sheaf->barn_list, &barn->sheaves_full);
		barn->nr_full++;
	} else {
		list_add(&sheaf->barn_list, &barn->sheaves_empty);
		barn->nr_empty++;
	}
	spin_unlock_irqrestore(&barn->lock, flags);
}

/* barn_replace_empty_sheaf(): a full sheaf for @empty, or NULL. */
static struct kslab_sheaf *barn_replace_empty(struct kslab_barn *barn,
					      struct kslab_sheaf *empty)
{
	struct kslab_sheaf *full = NULL;
	unsigned long flags;

	/* An unlocked peek, as barn_replace_empty_sheaf(): rechecked locked. */
	if (!data_race(barn->nr_full))
		return NULL;
	spin_lock_irqsave(&barn->lock, flags);
	if (barn->nr_full) {
		full = list_first_entry(&barn->sheaves_full, struct kslab_sheaf,
					barn_list);
		list_del(&full->barn_list);
		list_add(&empty->barn_list, &barn->sheaves_empty);
		barn->nr_full--;
		barn->nr_empty++;
	}
	spin_unlock_irqrestore(&barn->lock, flags);
	return full;
}

/*
 * barn_replace_full_sheaf(): an empty sheaf for @full, ERR_PTR(-E2BIG)
 * once the barn holds MAX_FULL_SHEAVES full ones, -ENOMEM without empty.
 */
static struct kslab_sheaf *barn_replace_full(struct kslab_barn *barn,
					     struct kslab_sheaf *full)
{
	struct kslab_sheaf *empty = ERR_PTR(-ENOMEM);
	unsigned long flags;

	/* Unlocked peeks, as barn_replace_full_sheaf(): rechecked locked. */
	if (data_race(barn->nr_full) >= MAX_FULL_SHEAVES)
		return ERR_PTR(-E2BIG);
	/* See above. */
	if (!data_race(barn->nr_empty))
		return ERR_PTR(-ENOMEM);
	spin_lock_irqsave(&barn->lock, flags);
	if (barn->nr_empty) {
		empty = list_first_entry(&barn->sheaves_empty,
					 struct kslab_sheaf, barn_list);
		list_del(&empty->barn_list);
		list_add(&full->barn_list, &barn->sheaves_full);
		barn->nr_empty--;
		barn->nr_full++;
	}
	spin_unlock_irqrestore(&barn->lock, flags);
	return empty;
}

/* barn_shrink(): full sheaves flushed to slabs, every sheaf freed. */
void kslab_barn_shrink(struct kslab_cache *s)
{
	struct kslab_barn *barn = &s->barn;
	struct kslab_sheaf *sheaf, *tmp;
	unsigned long flags;
	LIST_HEAD(empty);
	LIST_HEAD(full);

	if (!s->sheaf_capacity)
		return;
	spin_lock_irqsave(&barn->lock, flags);
	list_splice_init(&barn->sheaves_full, &full);
	barn->nr_full = 0;
	list_splice_init(&barn->sheaves_empty, &empty);
	barn->nr_empty = 0;
	spin_unlock_irqrestore(&barn->lock, flags);

	list_for_each_entry_safe(sheaf, tmp, &full, barn_list) {
		flush_unused(s, sheaf);
		free_empty_sheaf(sheaf);
	}
	list_for_each_entry_safe(sheaf, tmp, &empty, barn_list)
		free_empty_sheaf(sheaf);
}

/* === Allocation ======================================================== */

/* refill_sheaf(): fill @sheaf up; -ENOMEM if it could not be filled. */
static int refill_sheaf(struct kslab_cache *s, struct kslab_sheaf *sheaf,
			gfp_t gfp)
{
	unsigned int to_fill = s->sheaf_capacity - sheaf->size;

	if (!to_fill)
		return 0;
	sheaf->size += refill_objects(s, sheaf->objects + sheaf->size, gfp,
				      to_fill, to_fill);
	return sheaf->size < s->sheaf_capacity ? -ENOMEM : 0;
}

/*
 * mm/slub.c:__pcs_replace_empty_main(): the spare if it has objects, a
 * full sheaf of the barn, or (the lock dropped) the spare, an empty barn
 * sheaf or a new one, refilled from slabs. Called and returns with the
 * local lock held, possibly on another CPU; false if no sheaf could be
 * filled.
 */
static bool replace_empty_main(struct kslab_cache *s, gfp_t gfp,
			       unsigned long *flags)
{
	struct kslab_cpu *c = this_cpu_ptr(s->cpu);
	struct kslab_sheaf *empty, *full;
	struct kslab_barn *barn = &s->barn;

	lockdep_assert_held(this_cpu_ptr(&s->cpu->lock));
	if (c->spare && c->spare->size) {
		swap(c->main, c->spare);
		return true;
	}
	full = barn_replace_empty(barn, c->main);
	if (full) {
		c->main = full;
		return true;
	}
	if (c->spare) {
		empty = c->spare;
		c->spare = NULL;
	} else {
		empty = barn_get_empty(barn);
	}
	kslab_cache_pin(s);
	local_unlock_irqrestore(&s->cpu->lock, *flags);

	if (!empty)
		empty = alloc_empty_sheaf(s, gfp);
	if (empty && refill_sheaf(s, empty, gfp | __GFP_NOMEMALLOC |
				  __GFP_NOWARN)) {
		/* Very low on memory: not worth the barn. */
		flush_unused(s, empty);
		free_empty_sheaf(empty);
		empty = NULL;
	}
	local_lock_irqsave(&s->cpu->lock, *flags);
	if (empty && unlikely(READ_ONCE(s->dying))) {
		local_unlock_irqrestore(&s->cpu->lock, *flags);
		flush_unused(s, empty);
		free_empty_sheaf(empty);
		empty = NULL;
		local_lock_irqsave(&s->cpu->lock, *flags);
	}
	kslab_cache_unpin(s);
	if (!empty)
		return false;
	full = empty;
	c = this_cpu_ptr(s->cpu);
	/* Another context of this CPU, or a migration, got here first. */
	if (!c->main->size) {
		if (!c->spare)
			c->spare = c->main;
		else
			barn_put(barn, c->main, false);
		c->main = full;
	} else if (!c->spare) {
		c->spare = full;
	} else if (!c->spare->size) {
		barn_put(barn, c->spare, false);
		c->spare = full;
	} else {
		barn_put(barn, full, true);
	}
	return true;
}

/**
 * kslab_pcs_alloc_slow - an object of @s when the main sheaf cannot serve
 * @s: a cache with sheaves
 * @gfp: prepared flags
 * @node: NUMA node or NUMA_NO_NODE
 * @flags: the saved IRQ state of the local lock
 * @slabp: the object's slab, on success
 *
 * alloc_from_pcs()'s slow part: another node is asked for (sheaves hold
 * the local node's objects), the main sheaf is empty (replaced), or the
 * object on top is of another node; then ___slab_alloc(). Called and
 * returns with the local lock held, possibly on another CPU.
 *
 * Return: the object, held, or NULL.
 */
void *kslab_pcs_alloc_slow(struct kslab_cache *s, gfp_t gfp, int node,
			   unsigned long *flags, struct kslab_slab **slabp)
{
	bool node_req = IS_ENABLED(CONFIG_NUMA) && node != NUMA_NO_NODE;
	struct kslab_sheaf *main;
	void *obj;

	if (node_req && node != numa_mem_id())
		goto slabs;
	main = this_cpu_ptr(s->cpu)->main;
	if (!main->size) {
		if (!replace_empty_main(s, gfp, flags))
			goto slabs;
		main = this_cpu_ptr(s->cpu)->main;
	}
	obj = main->objects[main->size - 1];
	*slabp = held_slab(obj);
	if (node_req && (*slabp)->nid != node)
		goto slabs;
	main->size--;
	return obj;
slabs:
	local_unlock_irqrestore(&s->cpu->lock, *flags);
	obj = alloc_from_slabs(s, gfp, node, slabp);
	local_lock_irqsave(&s->cpu->lock, *flags);
	return obj;
}

/**
 * kslab_sheaves_alloc_bulk - @nr held objects of @s into @p
 * @s: a cache with sheaves
 * @gfp: prepared flags
 * @nr: number of objects
 * @p: array of @nr slots
 *
 * kmem_cache_alloc_bulk_noprof(): alloc_from_pcs_bulk() copies the top of
 * the main sheaf, then the spare's or a full barn sheaf's, in array order;
 * once the barn has no full sheaf, refill_objects() takes the rest from
 * slabs straight into @p. All or nothing: on failure every object goes
 * back to its slab (the pcs ones too, as SLUB does). A cache found dying
 * fails it. The objects are marked live before a racing destroy may see
 * them.
 *
 * Return: true on success.
 */
bool kslab_sheaves_alloc_bulk(struct kslab_cache *s, gfp_t gfp, size_t nr,
			      void **p)
{
	struct kslab_sheaf *main, *full;
	unsigned int batch, got = 0;
	struct kslab_cpu *c;
	unsigned long flags;
	bool ok = false;

	rcu_read_lock();
	if (unlikely(READ_ONCE(s->dying))) {
		rcu_read_unlock();
		return false;
	}
	kslab_cache_pin(s);
	rcu_read_unlock();
	while (got < nr) {
		local_lock_irqsave(&s->cpu->lock, flags);
		c = this_cpu_ptr(s->cpu);
		if (!c->main->size) {
			if (c->spare && c->spare->size) {
				swap(c->main, c->spare);
			} else {
				full = barn_replace_empty(&s->barn, c->main);
				if (!full) {
					local_unlock_irqrestore(&s->cpu->lock,
								flags);
					break;
				}
				c->main = full;
			}
		}
		main = c->main;
		batch = min_t(size_t, nr - got, main->size);
		main->size -= batch;
		memcpy(p + got, main->objects + main->size,
		       batch * sizeof(void *));
		local_unlock_irqrestore(&s->cpu->lock, flags);
		got += batch;
	}
	if (got < nr)
		got += refill_objects(s, p + got, gfp, nr - got, nr - got);
	/* Destroy may have begun while a refill slept: give them back. */
	if (got == nr && likely(!READ_ONCE(s->dying))) {
		for (got = 0; got < nr; got++) {
			struct kslab_slab *slab = held_slab(p[got]);

			WRITE_ONCE(slab->live[kslab_obj_index(s, slab, p[got])],
				   KSLAB_LIVE);
		}
		ok = true;
	} else {
		free_held_bulk(s, got, p);
	}
	kslab_cache_unpin(s);
	return ok;
}

/* === Free ============================================================== */

/*
 * mm/slub.c:__pcs_install_empty_sheaf(): @empty becomes the main sheaf,
 * the full main the spare; the rare cases another context left.
 */
static void install_empty(struct kslab_cache *s, struct kslab_cpu *c,
			  struct kslab_sheaf *empty)
{
	if (!c->spare) {
		c->spare = c->main;
		c->main = empty;
	} else if (c->main->size < s->sheaf_capacity) {
		barn_put(&s->barn, empty, false);
	} else if (c->spare->size < s->sheaf_capacity) {
		swap(c->main, c->spare);
		barn_put(&s->barn, empty, false);
	} else {
		barn_put(&s->barn, c->main, true);
		c->main = empty;
	}
}

/*
 * sheaf_flush_main(): this CPU's main sheaf to slabs, PCS_BATCH_MAX at a
 * time from the top, each batch freed with the lock dropped. Called and
 * returns with the local lock held.
 */
static void flush_main(struct kslab_cache *s, unsigned long *flags)
{
	void *objects[PCS_BATCH_MAX];
	struct kslab_sheaf *main;
	unsigned int batch;

	lockdep_assert_held(this_cpu_ptr(&s->cpu->lock));
	for (;;) {
		main = this_cpu_ptr(s->cpu)->main;
		if (!main->size)
			return;
		batch = min(PCS_BATCH_MAX, main->size);
		main->size -= batch;
		memcpy(objects, main->objects + main->size,
		       batch * sizeof(void *));
		local_unlock_irqrestore(&s->cpu->lock, *flags);
		free_held_bulk(s, batch, objects);
		local_lock_irqsave(&s->cpu->lock, *flags);
	}
}

/*
 * mm/slub.c:__pcs_replace_full_main(): an empty sheaf from the barn with
 * the main sheaf made the spare; the spare if it has room; the full main
 * traded in the barn; past MAX_FULL_SHEAVES the spare flushed to slabs
 * and reused; a new sheaf; at last the main sheaf flushed. Called and
 * returns with the local lock held; the main sheaf then has room.
 */
static void replace_full_main(struct kslab_cache *s, unsigned long *flags)
{
	struct kslab_barn *barn = &s->barn;
	struct kslab_sheaf *empty;
	struct kslab_cpu *c;

	lockdep_assert_held(this_cpu_ptr(&s->cpu->lock));
restart:
	c = this_cpu_ptr(s->cpu);
	if (!c->spare) {
		empty = barn_get_empty(barn);
		if (empty) {
			c->spare = c->main;
			c->main = empty;
			return;
		}
		goto alloc_empty;
	}
	if (c->spare->size < s->sheaf_capacity) {
		swap(c->main, c->spare);
		return;
	}
	empty = barn_replace_full(barn, c->main);
	if (!IS_ERR(empty)) {
		c->main = empty;
		return;
	}
	if (PTR_ERR(empty) == -E2BIG) {
		struct kslab_sheaf *to_flush = c->spare;

		c->spare = NULL;
		local_unlock_irqrestore(&s->cpu->lock, *flags);
		flush_unused(s, to_flush);
		empty = to_flush;
		goto got_empty;
	}
alloc_empty:
	local_unlock_irqrestore(&s->cpu->lock, *flags);
	/* No reclaim: SLUB does not wake kswapd here. */
	empty = alloc_empty_sheaf(s, __GFP_NOWARN);
	if (empty)
		goto got_empty;
	local_lock_irqsave(&s->cpu->lock, *flags);
	flush_main(s, flags);
	if (this_cpu_ptr(s->cpu)->main->size == s->sheaf_capacity)
		goto restart;
	return;
got_empty:
	local_lock_irqsave(&s->cpu->lock, *flags);
	install_empty(s, this_cpu_ptr(s->cpu), empty);
}

/**
 * kslab_pcs_free_slow - free @p of @slab when the main sheaf cannot take it
 * @s: a cache with sheaves
 * @slab: the slab of @p
 * @p: a held object (its live byte KSLAB_HELD)
 * @flags: the saved IRQ state of the local lock
 *
 * slab_free(): an object of another node than this CPU's goes straight
 * to its slab (can_free_to_pcs()); otherwise the full main sheaf is
 * replaced (free_to_pcs()). Called with the local lock held; returns
 * with it released.
 */
void kslab_pcs_free_slow(struct kslab_cache *s, struct kslab_slab *slab,
			 void *p, unsigned long *flags)
{
	struct kslab_sheaf *main;

	if (slab->nid == numa_mem_id()) {
		replace_full_main(s, flags);
		main = this_cpu_ptr(s->cpu)->main;
		if (likely(main->size < s->sheaf_capacity)) {
			main->objects[main->size++] = p;
			local_unlock_irqrestore(&s->cpu->lock, *flags);
			return;
		}
	}
	local_unlock_irqrestore(&s->cpu->lock, *flags);
	WRITE_ONCE(slab->live[kslab_obj_index(s, slab, p)], 0);
	slab_free_chain(s, slab, p, p, 1);
}

/* === Flush ============================================================= */

/* pcs_flush_all(), on the CPU itself: spare freed, main emptied. */
static long flush_this_cpu(void *arg)
{
	struct kslab_cache *s = arg;
	struct kslab_sheaf *spare;
	unsigned long flags;

	local_lock_irqsave(&s->cpu->lock, flags);
	spare = this_cpu_ptr(s->cpu)->spare;
	this_cpu_ptr(s->cpu)->spare = NULL;
	local_unlock_irqrestore(&s->cpu->lock, flags);
	if (spare) {
		flush_unused(s, spare);
		free_empty_sheaf(spare);
	}
	local_lock_irqsave(&s->cpu->lock, flags);
	flush_main(s, &flags);
	local_unlock_irqrestore(&s->cpu->lock, flags);
	return 0;
}

/* __pcs_flush_all_cpu(): an offline CPU's sheaves, without its lock. */
static void flush_dead_cpu(struct kslab_cache *s, struct kslab_cpu *c)
{
	flush_unused(s, c->main);
	if (c->spare) {
		flush_unused(s, c->spare);
		free_empty_sheaf(c->spare);
		c->spare = NULL;
	}
}

/* has_pcs_used() */
static bool pcs_used(struct kslab_cpu *c)
{
	return READ_ONCE(c->spare) || READ_ONCE(c->main->size);
}

/**
 * kslab_sheaves_flush_all - every CPU's sheaves of @s to its slabs
 * @s: a cache with sheaves
 *
 * mm/slub.c:flush_all(): each online CPU with a spare or objects in its
 * main sheaf flushes them itself, from a work item on that CPU; an
 * offline CPU's are flushed from here (slub_cpu_dead()). May sleep,
 * unless no CPU holds objects of @s.
 */
void kslab_sheaves_flush_all(struct kslab_cache *s)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu)
		if (pcs_used(per_cpu_ptr(s->cpu, cpu)))
			break;
	if (cpu >= nr_cpu_ids)
		return;
	might_sleep();
	cpus_read_lock();
	for_each_possible_cpu(cpu) {
		struct kslab_cpu *c = per_cpu_ptr(s->cpu, cpu);

		if (!pcs_used(c))
			continue;
		if (cpu_online(cpu))
			work_on_cpu(cpu, flush_this_cpu, s);
		else
			flush_dead_cpu(s, c);
	}
	cpus_read_unlock();
}

/* slub_cpu_dead() (v7.3 4249): the sheaves of @cpu, dead, to its slabs. */
void kslab_sheaves_flush_dead(struct kslab_cache *s, unsigned int cpu)
{
	struct kslab_cpu *c = per_cpu_ptr(s->cpu, cpu);

	if (pcs_used(c))
		flush_dead_cpu(s, c);
}

/* === Counts ============================================================ */

/**
 * kslab_sheaves_counts - objects held in sheaves, and the barn's sheaves
 * @s: the cache
 * @k: sheaf_objects, barn_full, barn_empty and sheaf_capacity filled in
 *
 * None of it is in SLUB's sysfs without CONFIG_SLUB_STATS; SLUB's
 * objects counts these objects as allocated, and so does kslab's.
 */
void kslab_sheaves_counts(struct kslab_cache *s, struct kslab_counts *k)
{
	struct kslab_barn *barn = &s->barn;
	struct kslab_sheaf *sheaf;
	unsigned long flags;
	unsigned int cpu;

	k->sheaf_capacity = s->sheaf_capacity;
	if (!s->sheaf_capacity)
		return;
	/* Racy, as SLUB's counts: sheaves are freed after a grace period. */
	rcu_read_lock();
	for_each_possible_cpu(cpu) {
		struct kslab_cpu *c = per_cpu_ptr(s->cpu, cpu);

		sheaf = READ_ONCE(c->main);
		if (sheaf)
			k->sheaf_objects += READ_ONCE(sheaf->size);
		sheaf = READ_ONCE(c->spare);
		if (sheaf)
			k->sheaf_objects += READ_ONCE(sheaf->size);
	}
	rcu_read_unlock();
	spin_lock_irqsave(&barn->lock, flags);
	k->barn_full = barn->nr_full;
	k->barn_empty = barn->nr_empty;
	list_for_each_entry(sheaf, &barn->sheaves_full, barn_list)
		k->sheaf_objects += sheaf->size;
	spin_unlock_irqrestore(&barn->lock, flags);
}
