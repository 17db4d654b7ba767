// SPDX-License-Identifier: GPL-2.0
/*
 * Suite kslab_torture: random allocations and frees on every CPU at once,
 * with cross-CPU, hardirq and softirq frees, failslab and cache churn.
 *
 * One kthread per online CPU, bound there, allocates and frees at random:
 * kslab_kmalloc() of random sizes (small, the kmalloc bucket edges 2^n-1,
 * 2^n, 2^n+1, 96 and 192 with their neighbours, and the large path above
 * KMALLOC_MAX_CACHE_SIZE) and four lookaside caches (SLAB_TYPESAFE_BY_RCU,
 * a constructor, SLAB_HWCACHE_ALIGN, an odd size), with GFP flags valid
 * where the call runs: GFP_KERNEL only in process context, GFP_NOWAIT or
 * GFP_ATOMIC with BHs or IRQs off and in interrupts; __GFP_ZERO,
 * __GFP_ACCOUNT, __GFP_RECLAIMABLE and GFP_DMA (where the kernel has
 * ZONE_DMA) on top. About 30% of the frees go through a hand-off queue to
 * another CPU's thread; some go to a queue freed by an irq_work on the
 * same CPU and by an hrtimer that drains every CPU's queue (hardirq), or to
 * a queue freed by a timer (softirq). The timers also allocate. One more
 * kthread creates a fifth cache, allocates and frees in it (bulk too),
 * shrinks the other caches and some kmalloc caches, and destroys it, over
 * and over. failslab fails 10% of the slab allocations meanwhile.
 *
 * Every object carries a pattern over its whole requested size, derived
 * from its address and a per-object seed that travels with it; it is
 * checked right before the free. Objects of the constructor cache must
 * show the constructor's pattern when allocated: the test writes its own
 * pattern, and puts the constructor's back before the free, as a user of a
 * constructor cache must. __GFP_ZERO objects must be zero.
 *
 * A round ends with every queue drained, the timers stopped and the caches
 * destroyed, and passes only with no pattern, constructor or zero
 * mismatch, every object freed, no object left in a cache, kslab's page
 * count back where it was (kslab.stats=1), no kslab report and no new
 * kernel warning taint. kslab_kunit.torture_ops sets the operations
 * (allocations and frees) in all; rounds are cut at TORTURE_ROUND_SECS so
 * that none meets KUnit's 300 s timeout, and further rounds run until the
 * count is reached. Timings are printed, never judged.
 */
#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/hash.h>
#include <linux/hrtimer.h>
#include <linux/irq_work.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/prandom.h>
#include <linux/random.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/timer.h>
#include <linux/vmstat.h>

#include "kslab_kunit.h"

static unsigned long torture_ops = 20000;
module_param(torture_ops, ulong, 0444);
MODULE_PARM_DESC(torture_ops,
		 "kslab_torture: allocations and frees in all (default 20000; built in: kslab_kunit.torture_ops=N)");

/* === Sizes of the run ================================================== */

#define TORTURE_ROUND_SECS	100	/* A round stops here; the next goes on */
#define TORTURE_LIVE		512	/* Objects a thread keeps at most */
#define TORTURE_QLEN		256	/* Slots of a hand-off queue */
#define TORTURE_BATCH		16	/* Objects taken from a queue at once */
#define TORTURE_HRT_NS		(500 * NSEC_PER_USEC)
/* Hardirq, but a softirq thread on PREEMPT_RT, where kmalloc may not run in hardirq. */
#define TORTURE_HRT_MODE	(IS_ENABLED(CONFIG_PREEMPT_RT) ?	\
				 HRTIMER_MODE_REL : HRTIMER_MODE_REL_HARD)
#define TORTURE_NR_PUB		16	/* Published SLAB_TYPESAFE_BY_RCU objects */
#define TORTURE_TMP_OBJS	32	/* Objects of the churned fifth cache */
#define TORTURE_CTOR_SEED	0	/* Pattern seed of the constructor */
#define TORTURE_FAIL_PERCENT	10

/* === Objects =========================================================== */

/* Where an object comes from; SRC_TMP is the churned fifth cache. */
enum {
	SRC_KMALLOC,
	SRC_RCU,
	SRC_CTOR,
	SRC_HWC,
	SRC_ODD,
	NR_SRC,
	SRC_TMP = NR_SRC
};

static const struct {
	const char *name;
	unsigned int size;
	slab_flags_t flags;
} cache_defs[NR_SRC + 1] = {
	[SRC_KMALLOC]	= { "kmalloc", 0, 0 },
	[SRC_RCU]	= { "kslab_tort_rcu", 120, SLAB_TYPESAFE_BY_RCU },
	[SRC_CTOR]	= { "kslab_tort_ctor", 200, 0 },
	[SRC_HWC]	= { "kslab_tort_hwc", 72, SLAB_HWCACHE_ALIGN },
	[SRC_ODD]	= { "kslab_tort_odd", 37, 0 },
	[SRC_TMP]	= { "kslab_tort_tmp", 0, 0 },
};

/* A live object: what its owner, or a queue, knows about it. */
struct tobj {
	void *p;
	u32 size;			/* Requested size: the pattern's length */
	u32 seed;			/* Pattern seed, never TORTURE_CTOR_SEED */
	u16 cpu;			/* Allocated on */
	u8 src;
};

#define PAT_STEP	0x9e3779b97f4a7c15ULL

/* Word 0 of the pattern of an object at @p with @seed: splitmix64. */
static u64 pat_base(const void *p, u32 seed)
{
	u64 x = (u64)(unsigned long)p ^ ((u64)seed << 32);

	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* Word @k: one addition per word, so that TCG fills 8 KiB quickly. */
static u64 pat(const void *p, u32 seed, size_t k)
{
	return pat_base(p, seed) + k * PAT_STEP;
}

static void fill(void *p, size_t size, u32 seed)
{
	u64 w = pat_base(p, seed);
	size_t k, n = size / 8;

	for (k = 0; k < n; k++, w += PAT_STEP)
		memcpy(p + 8 * k, &w, 8);
	if (size % 8)
		memcpy(p + 8 * n, &w, size % 8);
}

/* Expected byte @off of the pattern. */
static u8 pat_byte(const void *p, u32 seed, size_t off)
{
	u64 w = pat(p, seed, off / 8);
	u8 b[8];

	memcpy(b, &w, 8);
	return b[off % 8];
}

/* Offset of the first byte of @p off its pattern, or -1. */
static long check(const void *p, size_t size, u32 seed)
{
	u64 w = pat_base(p, seed), x = 0;
	size_t k, n = size / 8, off;

	for (k = 0; k < n; k++, w += PAT_STEP) {
		memcpy(&x, p + 8 * k, 8);
		if (x != w)
			break;
	}
	if (k == n) {
		if (!(size % 8))
			return -1;
		memcpy(&x, p + 8 * n, size % 8);
		if (!memcmp(&x, &w, size % 8))
			return -1;
	}
	for (off = 8 * k; off < size; off++)
		if (((const u8 *)p)[off] != pat_byte(p, seed, off))
			return off;
	return -1;	/* Changed back while looked at: not seen */
}

/* The constructor cache's state: its pattern over the whole object. */
static void ctor(void *p)
{
	fill(p, cache_defs[SRC_CTOR].size, TORTURE_CTOR_SEED);
}

/* === Counters ========================================================== */

enum {
	C_ALLOCS,		/* Allocation calls */
	C_FAILED,		/* ... that returned NULL */
	C_SLAB_TRIES,		/* Calls on the slab path (failslab applies) */
	C_SLAB_FAILED,
	C_LARGE,		/* Calls on the large path */
	C_ATOMIC_ALLOCS,	/* Calls with BHs or IRQs off */
	C_IRQ_ALLOCS,		/* Calls from a timer or hrtimer */
	C_FREES,
	C_CROSS,		/* Freed on another CPU than allocated on */
	C_HARDIRQ,		/* Freed in hardirq context */
	C_SOFTIRQ,		/* Freed in softirq context */
	C_XPUSH,		/* Handed to another CPU's thread */
	C_HPUSH,		/* Queued for hardirq */
	C_SPUSH,		/* Queued for softirq */
	C_MISMATCH,		/* Pattern broken at free */
	C_CTOR_BAD,		/* Constructor state missing at allocation */
	C_ZERO_BAD,		/* __GFP_ZERO object not zero */
	C_RCU_PEEKS,		/* RCU reads of published objects */
	C_CYCLES,		/* Fifth cache created and destroyed */
	C_TMP_OPS,		/* Its allocations and frees */
	C_SHRINKS,		/* kslab_cache_shrink() calls meanwhile */
	C_BUSY,			/* Its destroy returned non-zero */
	C_CREATE_FAIL,		/* Its creation failed */
	NR_CNT
};

struct tcnt {
	atomic_long_t c[NR_CNT];
} ____cacheline_aligned_in_smp;

/* === Hand-off queues =================================================== */

/* A ring of objects to free elsewhere; raw: hardirq takes it too. */
struct tq {
	raw_spinlock_t lock;
	unsigned int head, n;
	struct tobj o[TORTURE_QLEN];
};

struct tort;

/* One CPU: its thread's objects and the queues freed on that CPU. */
struct tcpu {
	struct tort *r;
	unsigned int cpu;
	unsigned long quota;		/* Loop steps of the thread */
	unsigned long steps;		/* Done */
	bool cut;			/* Stopped at the round's deadline */
	struct completion exited;
	struct rnd_state rnd;
	struct tq cross;		/* Freed by this CPU's thread */
	struct tq hard;			/* By the irq_work, and the hrtimer */
	struct tq soft;			/* By the timer */
	unsigned int hard_pushes;
	struct irq_work iw;
	struct timer_list timer;
	unsigned int nlive;
	struct tobj live[TORTURE_LIVE];
};

struct tort {
	struct kslab_cache *cache[NR_SRC];
	struct tcpu **pc;		/* [nr_cpu_ids], online CPUs only */
	unsigned int *cpus;		/* The online CPUs */
	unsigned int ncpus;
	struct tcnt *cnt;		/* [nr_cpu_ids] */
	void *pub[TORTURE_NR_PUB];	/* SLAB_TYPESAFE_BY_RCU objects */
	atomic_long_t sink;		/* What the RCU reads saw */
	struct hrtimer hrt;
	bool stop;			/* Interrupts: no more allocations */
	bool stop_churn;
	struct completion churn_exited;
	u64 deadline;			/* ktime_get_ns() at which threads stop */
	u32 seed;
	atomic_t nbad;
	char bad[160];			/* The first mismatch */
};

static void cnt_inc(struct tort *r, unsigned int i)
{
	atomic_long_inc(&r->cnt[raw_smp_processor_id()].c[i]);
}

static void cnt_add(struct tort *r, unsigned int i, long n)
{
	atomic_long_add(n, &r->cnt[raw_smp_processor_id()].c[i]);
}

static const char *ctx_name(void)
{
	if (in_hardirq())
		return "hardirq";
	if (in_serving_softirq())
		return "softirq";
	return in_task() ? "task" : "other";
}

/*
 * Count a mismatch of kind @i at byte @off of @o, which should hold
 * @expected; describe the first one of the round.
 */
static void bad(struct tort *r, unsigned int i, const char *what,
		const struct tobj *o, long off, u8 expected)
{
	cnt_inc(r, i);
	if (atomic_inc_return(&r->nbad) != 1)
		return;
	snprintf(r->bad, sizeof(r->bad),
		 "%s: %s object of %u bytes, byte %ld is %#x, expected %#x; allocated on CPU %u, checked on CPU %u in %s",
		 what, cache_defs[o->src].name, o->size, off,
		 ((u8 *)o->p)[off], expected, o->cpu,
		 raw_smp_processor_id(), ctx_name());
}

static unsigned int pub_slot(const void *p)
{
	return hash_ptr(p, ilog2(TORTURE_NR_PUB));
}

/* === Allocation and free =============================================== */

/* A size for kslab_kmalloc(): small, a bucket edge, any, or large. */
static size_t pick_size(u32 x)
{
	/* 8 .. KMALLOC_MAX_CACHE_SIZE, then 96 and 192 */
	const unsigned int nr_pow = KSLAB_SHIFT_HIGH - 3 + 1;
	unsigned int r = x % 100, k;

	x /= 100;
	if (r < 35)
		return 1 + x % 256;
	if (r < 70) {
		k = x % (nr_pow + 2);
		x /= nr_pow + 2;
		return (k < nr_pow ? 8UL << k : k == nr_pow ? 96 : 192) +
		       x % 3 - 1;
	}
	if (r < 97)
		return 1 + x % KSLAB_MAX_CACHE_SIZE;
	return KSLAB_MAX_CACHE_SIZE + 1 + x % (3 * KSLAB_MAX_CACHE_SIZE);
}

/*
 * Flags valid where the call runs: GFP_KERNEL only if it may sleep. No
 * __GFP_ZERO for the constructor cache (it would wipe the constructor's
 * work, which kslab reports). __GFP_NOWARN: failures are expected.
 */
static gfp_t pick_gfp(u32 x, bool may_sleep, unsigned int src, size_t size)
{
	gfp_t gfp;

	switch (x % 4) {
	case 0:
	case 1:
		gfp = may_sleep ? GFP_KERNEL : GFP_ATOMIC;
		break;
	case 2:
		gfp = GFP_NOWAIT;
		break;
	default:
		gfp = GFP_ATOMIC;
		break;
	}
	gfp |= __GFP_NOWARN;
	x /= 4;
	if (src != SRC_CTOR && x % 8 == 0)
		gfp |= __GFP_ZERO;
	x /= 8;
	if (x % 10 == 0)
		gfp |= __GFP_ACCOUNT;
	x /= 10;
	if (src == SRC_KMALLOC) {
		if (x % 10 == 0)
			gfp |= __GFP_RECLAIMABLE;
		x /= 10;
		if (IS_ENABLED(CONFIG_ZONE_DMA) && size <= 1024 && x % 16 == 0)
			gfp |= GFP_DMA;
	}
	return gfp;
}

/*
 * Allocate into @o from a random source, check what a fresh object must
 * hold, and write its pattern. @x, @y and @z are random; @in_irq keeps
 * the sizes small.
 */
static bool obj_alloc(struct tort *r, struct tobj *o, u32 x, u32 y, u32 z,
		      bool may_sleep, bool in_irq)
{
	unsigned int src = x % 10 < 6 ? SRC_KMALLOC : x % 10 - 5;
	size_t size;
	gfp_t gfp;
	void *p;
	long off;

	x /= 10;
	if (src != SRC_KMALLOC)
		size = kslab_cache_size(r->cache[src]);
	else
		size = in_irq ? 1 + y % 512 : pick_size(y);
	gfp = pick_gfp(x, may_sleep, src, size);
	cnt_inc(r, C_ALLOCS);
	cnt_inc(r, size > KSLAB_MAX_CACHE_SIZE ? C_LARGE : C_SLAB_TRIES);
	if (src == SRC_KMALLOC)
		p = kslab_kmalloc(size, gfp);
	else
		p = kslab_cache_alloc(r->cache[src], gfp);
	if (!p) {
		cnt_inc(r, C_FAILED);
		if (size <= KSLAB_MAX_CACHE_SIZE)
			cnt_inc(r, C_SLAB_FAILED);
		return false;
	}
	o->p = p;
	o->size = size;
	o->src = src;
	o->cpu = raw_smp_processor_id();
	o->seed = z | 1;
	if (gfp & __GFP_ZERO) {
		u8 *nz = memchr_inv(p, 0, size);

		if (nz)
			bad(r, C_ZERO_BAD, "__GFP_ZERO object not zero", o,
			    nz - (u8 *)p, 0);
	}
	if (src == SRC_CTOR) {
		off = check(p, size, TORTURE_CTOR_SEED);
		if (off >= 0)
			bad(r, C_CTOR_BAD, "constructor state lost", o, off,
			    pat_byte(p, TORTURE_CTOR_SEED, off));
	}
	fill(p, size, o->seed);
	if (src == SRC_RCU)
		WRITE_ONCE(r->pub[pub_slot(p)], p);
	return true;
}

/* Check @o's pattern and free it here, in whatever context this is. */
static void obj_free(struct tort *r, const struct tobj *o)
{
	long off = check(o->p, o->size, o->seed);

	if (off >= 0)
		bad(r, C_MISMATCH, "pattern broken", o, off,
		    pat_byte(o->p, o->seed, off));
	if (o->src == SRC_CTOR)
		fill(o->p, o->size, TORTURE_CTOR_SEED);
	if (o->src == SRC_RCU)
		cmpxchg(&r->pub[pub_slot(o->p)], o->p, NULL);
	if (o->src == SRC_KMALLOC)
		kslab_kfree(o->p);
	else
		kslab_cache_free(r->cache[o->src], o->p);
	cnt_inc(r, C_FREES);
	if (raw_smp_processor_id() != o->cpu)
		cnt_inc(r, C_CROSS);
	if (in_hardirq())
		cnt_inc(r, C_HARDIRQ);
	else if (in_serving_softirq())
		cnt_inc(r, C_SOFTIRQ);
}

/*
 * SLAB_TYPESAFE_BY_RCU as its users rely on it: an object found through
 * a published pointer stays memory of its cache until rcu_read_unlock(),
 * even if it is freed (and reused, or its slab discarded) meanwhile.
 */
static void rcu_peek(struct tort *r)
{
	const unsigned int last = cache_defs[SRC_RCU].size - 1;
	unsigned long sum = 0;
	unsigned int i;

	rcu_read_lock();
	for (i = 0; i < TORTURE_NR_PUB; i++) {
		const u8 *p = READ_ONCE(r->pub[i]);

		if (p)
			sum += READ_ONCE(p[0]) + READ_ONCE(p[last]);
	}
	rcu_read_unlock();
	atomic_long_add(sum, &r->sink);
	cnt_inc(r, C_RCU_PEEKS);
}

/* === Queues ============================================================ */

static void tq_init(struct tq *q)
{
	raw_spin_lock_init(&q->lock);
}

static bool tq_push(struct tq *q, const struct tobj *o)
{
	unsigned long flags;
	bool ok;

	raw_spin_lock_irqsave(&q->lock, flags);
	ok = q->n < TORTURE_QLEN;
	if (ok) {
		q->o[(q->head + q->n) % TORTURE_QLEN] = *o;
		q->n++;
	}
	raw_spin_unlock_irqrestore(&q->lock, flags);
	return ok;
}

/* Free up to @max objects of @q here; the lock is not held to free. */
static void tq_drain(struct tort *r, struct tq *q, unsigned int max)
{
	struct tobj batch[TORTURE_BATCH];
	unsigned long flags;
	unsigned int n, i;

	while (max) {
		raw_spin_lock_irqsave(&q->lock, flags);
		n = min3(q->n, max, (unsigned int)TORTURE_BATCH);
		for (i = 0; i < n; i++) {
			batch[i] = q->o[q->head];
			q->head = (q->head + 1) % TORTURE_QLEN;
		}
		q->n -= n;
		raw_spin_unlock_irqrestore(&q->lock, flags);
		if (!n)
			break;
		for (i = 0; i < n; i++)
			obj_free(r, &batch[i]);
		max -= n;
	}
}

/* An interrupt allocates one object and hands it to some CPU's thread. */
static void irq_alloc(struct tort *r)
{
	u32 x = get_random_u32(), y = get_random_u32(), z = get_random_u32();
	struct tobj o;

	if (READ_ONCE(r->stop) || !obj_alloc(r, &o, x, y, z, false, true))
		return;
	cnt_inc(r, C_IRQ_ALLOCS);
	if (!tq_push(&r->pc[r->cpus[z % r->ncpus]]->cross, &o))
		obj_free(r, &o);
}

/* === Interrupts ======================================================== */

/* hardirq on this CPU (a thread on PREEMPT_RT). */
static void iw_fn(struct irq_work *iw)
{
	struct tcpu *w = container_of(iw, struct tcpu, iw);

	tq_drain(w->r, &w->hard, TORTURE_QLEN);
}

/* softirq: this CPU's soft queue. */
static void timer_fn(struct timer_list *t)
{
	struct tcpu *w = timer_container_of(w, t, timer);

	tq_drain(w->r, &w->soft, TORTURE_QLEN);
	irq_alloc(w->r);
}

/* hardirq on any CPU: a batch of every CPU's hard queue. */
static enum hrtimer_restart hrt_fn(struct hrtimer *t)
{
	struct tort *r = container_of(t, struct tort, hrt);
	unsigned int i;

	for (i = 0; i < r->ncpus; i++)
		tq_drain(r, &r->pc[r->cpus[i]]->hard, TORTURE_BATCH);
	if (READ_ONCE(r->stop))
		return HRTIMER_NORESTART;
	irq_alloc(r);
	hrtimer_forward_now(t, ns_to_ktime(TORTURE_HRT_NS));
	return HRTIMER_RESTART;
}

/* === Threads =========================================================== */

/*
 * Where a thread's call runs: with BHs off, with IRQs off (not on
 * PREEMPT_RT, where kmalloc may not run with IRQs off either), or in
 * plain process context, where it may sleep.
 */
enum { IN_BH_OFF, IN_IRQS_OFF, IN_TASK };

static bool alloc_in(struct tort *r, struct tobj *o, u32 x, u32 y, u32 z,
		     unsigned int how)
{
	unsigned long flags;
	bool ok;

	if (how == IN_BH_OFF) {
		cnt_inc(r, C_ATOMIC_ALLOCS);
		local_bh_disable();
		ok = obj_alloc(r, o, x, y, z, false, false);
		local_bh_enable();
	} else if (how == IN_IRQS_OFF && !IS_ENABLED(CONFIG_PREEMPT_RT)) {
		cnt_inc(r, C_ATOMIC_ALLOCS);
		local_irq_save(flags);
		ok = obj_alloc(r, o, x, y, z, false, false);
		local_irq_restore(flags);
	} else {
		ok = obj_alloc(r, o, x, y, z, true, false);
	}
	return ok;
}

static void free_in(struct tort *r, const struct tobj *o, unsigned int how)
{
	unsigned long flags;

	if (how == IN_BH_OFF) {
		local_bh_disable();
		obj_free(r, o);
		local_bh_enable();
	} else if (how == IN_IRQS_OFF && !IS_ENABLED(CONFIG_PREEMPT_RT)) {
		local_irq_save(flags);
		obj_free(r, o);
		local_irq_restore(flags);
	} else {
		obj_free(r, o);
	}
}

/* 10% of the calls with BHs off, 10% with IRQs off. */
static unsigned int pick_ctx(u32 x)
{
	return x % 10 < 2 ? x % 10 : IN_TASK;
}

static void step_alloc(struct tcpu *w, u32 x)
{
	struct tort *r = w->r;
	u32 y = prandom_u32_state(&w->rnd), z = prandom_u32_state(&w->rnd);

	if (alloc_in(r, &w->live[w->nlive], x / 10, y, z, pick_ctx(x)))
		w->nlive++;
}

/* 30% to another CPU's thread, 6% each to hardirq and softirq. */
static void step_release(struct tcpu *w, u32 x)
{
	u32 y = prandom_u32_state(&w->rnd);
	struct tort *r = w->r;
	unsigned int i = x % w->nlive, route = y % 100, k;
	struct tobj o = w->live[i];

	w->live[i] = w->live[--w->nlive];
	y /= 100;
	if (route < 30 && r->ncpus > 1) {
		k = y % (r->ncpus - 1);
		if (r->cpus[k] == w->cpu)
			k = r->ncpus - 1;
		if (tq_push(&r->pc[r->cpus[k]]->cross, &o)) {
			cnt_inc(r, C_XPUSH);
			return;
		}
	} else if (route >= 30 && route < 36) {
		if (tq_push(&w->hard, &o)) {
			cnt_inc(r, C_HPUSH);
			if (!(++w->hard_pushes % 8))
				irq_work_queue(&w->iw);
			return;
		}
	} else if (route >= 36 && route < 42) {
		if (tq_push(&w->soft, &o)) {
			cnt_inc(r, C_SPUSH);
			if (!timer_pending(&w->timer))
				mod_timer(&w->timer, jiffies + 1);
			return;
		}
	}
	free_in(r, &o, pick_ctx(y / 4));
}

static int worker(void *arg)
{
	struct tcpu *w = arg;
	struct tort *r = w->r;
	unsigned long i;

	for (i = 0; i < w->quota; i++) {
		u32 x = prandom_u32_state(&w->rnd);

		if (!(i & 7) && READ_ONCE(w->cross.n))
			tq_drain(r, &w->cross, TORTURE_BATCH);
		if (!(i & 63)) {
			cond_resched();
			if (!(i & 1023) && ktime_get_ns() > r->deadline) {
				w->cut = true;
				break;
			}
		}
		if (!(x % 128))
			rcu_peek(r);
		x /= 128;
		if (w->nlive < TORTURE_LIVE && (!w->nlive || x % 100 < 55))
			step_alloc(w, x / 100);
		else
			step_release(w, x / 100);
	}
	w->steps = i;
	while (w->nlive)
		obj_free(r, &w->live[--w->nlive]);
	kthread_complete_and_exit(&w->exited, 0);
}

/* Check and free the @n objects of @objs, of the fifth cache @s. */
static void tmp_free(struct tort *r, struct kslab_cache *s, void **objs,
		     unsigned int n, u32 seed)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct tobj o = {
			.p = objs[i], .size = kslab_cache_size(s), .seed = seed,
			.cpu = raw_smp_processor_id(), .src = SRC_TMP,
		};
		long off = check(o.p, o.size, seed);

		if (off >= 0)
			bad(r, C_MISMATCH, "pattern broken", &o, off,
			    pat_byte(o.p, seed, off));
		kslab_cache_free(s, objs[i]);
	}
	cnt_add(r, C_TMP_OPS, n);
}

/*
 * One cycle of the churn: create a fifth cache, fill it (half by bulk),
 * shrink the others meanwhile, empty it, shrink and destroy it.
 */
static void churn_cycle(struct tort *r, struct rnd_state *rnd, void **objs)
{
	static const slab_flags_t flags[] = {
		0, SLAB_HWCACHE_ALIGN, SLAB_TYPESAFE_BY_RCU, SLAB_RECLAIM_ACCOUNT,
	};
	const gfp_t gfp = GFP_KERNEL | __GFP_NOWARN;
	u32 x = prandom_u32_state(rnd), seed = prandom_u32_state(rnd) | 1;
	unsigned int i, n = 0, size = 8 + x % 1024, t, k;
	struct kslab_cache *s;

	x /= 1024;
	s = kslab_cache_create("kslab_tort_tmp", size, 0,
			       flags[x % ARRAY_SIZE(flags)], NULL);
	if (!s) {
		cnt_inc(r, C_CREATE_FAIL);
		return;
	}
	cnt_inc(r, C_CYCLES);
	cnt_add(r, C_TMP_OPS, TORTURE_TMP_OBJS);
	if (kslab_cache_alloc_bulk(s, gfp, TORTURE_TMP_OBJS / 2, objs))
		n = TORTURE_TMP_OBJS / 2;
	for (i = TORTURE_TMP_OBJS / 2; i < TORTURE_TMP_OBJS; i++) {
		objs[n] = kslab_cache_alloc(s, gfp);
		if (objs[n])
			n++;
	}
	for (i = 0; i < n; i++)
		fill(objs[i], size, seed);
	tmp_free(r, s, objs, n / 2, seed);
	for (i = SRC_KMALLOC + 1; i < NR_SRC; i++)
		kslab_cache_shrink(r->cache[i]);
	/* One kmalloc cache, not an alias of another. */
	t = x / 8 % KSLAB_NR_TYPES;
	k = x / 64 % KSLAB_NR_INDEX;
	if (kslab_caches[t][k] && !kslab_cache_is_alias(t, k)) {
		kslab_cache_shrink(kslab_caches[t][k]);
		cnt_inc(r, C_SHRINKS);
	}
	cnt_add(r, C_SHRINKS, NR_SRC - 1);
	tmp_free(r, s, objs + n / 2, n - n / 2, seed);
	kslab_cache_shrink(s);
	if (kslab_cache_destroy(s))
		cnt_inc(r, C_BUSY);
}

static int churn(void *arg)
{
	struct tort *r = arg;
	void *objs[TORTURE_TMP_OBJS];
	struct rnd_state rnd;

	prandom_seed_state(&rnd, r->seed ^ 0x636875726eULL);
	do {
		churn_cycle(r, &rnd, objs);
		usleep_range(200, 400);
	} while (!READ_ONCE(r->stop_churn));
	kthread_complete_and_exit(&r->churn_exited, 0);
}

/* === Rounds ============================================================ */

/* Figures summed over the rounds of one run of the case. */
static struct {
	unsigned int round;
	bool stop;			/* The last round failed or did nothing */
	unsigned long ops;
	long tot[NR_CNT];
	u64 ns;
} runs;

static const void *round_gen(KSLAB_GEN_PARAMS_ARGS)
{
	if (!prev)
		memset(&runs, 0, sizeof(runs));
	else if (runs.stop || runs.ops >= torture_ops)
		return NULL;
	runs.round++;
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "round %u", runs.round);
	return &runs.round;
}

/* Taints a warning, a bad page (KASAN) or an oops leave behind. */
static bool tainted(void)
{
	return test_taint(TAINT_WARN) || test_taint(TAINT_BAD_PAGE) ||
	       test_taint(TAINT_DIE);
}

static void destroy_caches(struct kunit *test, struct tort *r, bool verify)
{
	unsigned int i;

	for (i = SRC_KMALLOC + 1; i < NR_SRC; i++) {
		if (!r->cache[i])
			continue;
		if (verify) {
			KUNIT_EXPECT_EQ_MSG(test, kslab_cache_active(r->cache[i]),
					    0UL, "%s: objects left in the cache",
					    cache_defs[i].name);
			KUNIT_EXPECT_EQ_MSG(test,
					    kslab_test_count(r->cache[i], quarantined),
					    0UL, "%s: objects quarantined",
					    cache_defs[i].name);
			KUNIT_EXPECT_EQ_MSG(test, kslab_cache_destroy(r->cache[i]),
					    0, "%s", cache_defs[i].name);
		} else {
			kslab_cache_destroy(r->cache[i]);
		}
	}
}

static void free_run(struct tort *r)
{
	unsigned int i;

	for (i = 0; r->pc && r->cpus && i < r->ncpus; i++)
		kvfree(r->pc[r->cpus[i]]);
	kfree(r->pc);
	kfree(r->cpus);
	kvfree(r->cnt);
	kfree(r);
}

/* Allocate and set up everything of a round; nothing runs yet. */
static int setup(struct tort *r, unsigned long ops)
{
	unsigned int i, cpu;

	for (i = SRC_KMALLOC + 1; i < NR_SRC; i++) {
		r->cache[i] = kslab_cache_create(cache_defs[i].name,
						 cache_defs[i].size, 0,
						 cache_defs[i].flags,
						 i == SRC_CTOR ? ctor : NULL);
		if (!r->cache[i])
			return -ENOMEM;
	}
	r->pc = kcalloc(nr_cpu_ids, sizeof(*r->pc), GFP_KERNEL);
	r->cpus = kcalloc(nr_cpu_ids, sizeof(*r->cpus), GFP_KERNEL);
	r->cnt = kvcalloc(nr_cpu_ids, sizeof(*r->cnt), GFP_KERNEL);
	if (!r->pc || !r->cpus || !r->cnt)
		return -ENOMEM;
	r->seed = get_random_u32();
	for_each_online_cpu(cpu) {
		struct tcpu *w = kvzalloc(sizeof(*w), GFP_KERNEL);

		if (!w)
			return -ENOMEM;
		r->pc[cpu] = w;
		r->cpus[r->ncpus++] = cpu;
		w->r = r;
		w->cpu = cpu;
		init_completion(&w->exited);
		prandom_seed_state(&w->rnd, r->seed + cpu);
		tq_init(&w->cross);
		tq_init(&w->hard);
		tq_init(&w->soft);
		if (IS_ENABLED(CONFIG_PREEMPT_RT))
			init_irq_work(&w->iw, iw_fn);
		else
			w->iw = IRQ_WORK_INIT_HARD(iw_fn);
		timer_setup(&w->timer, timer_fn, 0);
	}
	for (i = 0; i < r->ncpus; i++)
		r->pc[r->cpus[i]]->quota = ops / r->ncpus +
					   (i < ops % r->ncpus);
	init_completion(&r->churn_exited);
	hrtimer_setup(&r->hrt, hrt_fn, CLOCK_MONOTONIC, TORTURE_HRT_MODE);
	return 0;
}

/* On the queue's CPU: queue its irq_work there. */
static void queue_iw(void *iw)
{
	irq_work_queue(iw);
}

static bool irq_queues_empty(struct tort *r)
{
	unsigned int i;

	for (i = 0; i < r->ncpus; i++) {
		struct tcpu *w = r->pc[r->cpus[i]];

		if (READ_ONCE(w->hard.n) || READ_ONCE(w->soft.n))
			return false;
	}
	return true;
}

/*
 * The threads are done: let the interrupts free what was queued for
 * them, so that a short run frees in hardirq and softirq too. Waits up
 * to a second; the rest is freed in process context.
 */
static void settle(struct tort *r)
{
	unsigned int i, tries;

	for (tries = 0; tries < 50 && !irq_queues_empty(r); tries++) {
		for (i = 0; i < r->ncpus; i++) {
			struct tcpu *w = r->pc[r->cpus[i]];

			/* irq_work_queue_on() is not exported to modules. */
			if (READ_ONCE(w->hard.n))
				smp_call_function_single(w->cpu, queue_iw,
							 &w->iw, 1);
			if (READ_ONCE(w->soft.n) && !timer_pending(&w->timer))
				mod_timer(&w->timer, jiffies + 1);
		}
		usleep_range(10000, 20000);
	}
}

/* Start the threads and the hrtimer, wait for the threads, stop it all. */
static unsigned int run(struct tort *r)
{
	struct task_struct *t;
	unsigned int i, failed = 0;

	t = kthread_run(churn, r, "kslab_tort_churn");
	if (IS_ERR(t)) {
		failed++;
		complete(&r->churn_exited);
	}
	for (i = 0; i < r->ncpus; i++) {
		struct tcpu *w = r->pc[r->cpus[i]];

		t = kthread_create(worker, w, "kslab_tort/%u", w->cpu);
		if (IS_ERR(t)) {
			failed++;
			complete(&w->exited);
			continue;
		}
		kthread_bind(t, w->cpu);
		wake_up_process(t);
	}
	hrtimer_start(&r->hrt, ns_to_ktime(TORTURE_HRT_NS), TORTURE_HRT_MODE);
	for (i = 0; i < r->ncpus; i++)
		wait_for_completion(&r->pc[r->cpus[i]]->exited);
	WRITE_ONCE(r->stop_churn, true);
	wait_for_completion(&r->churn_exited);
	settle(r);

	/* Interrupts: no more allocations, then wait for the last ones. */
	WRITE_ONCE(r->stop, true);
	hrtimer_cancel(&r->hrt);
	for (i = 0; i < r->ncpus; i++) {
		timer_delete_sync(&r->pc[r->cpus[i]]->timer);
		irq_work_sync(&r->pc[r->cpus[i]]->iw);
	}
	/* What is still queued is freed here, in process context. */
	for (i = 0; i < r->ncpus; i++) {
		struct tcpu *w = r->pc[r->cpus[i]];

		tq_drain(r, &w->cross, TORTURE_QLEN);
		tq_drain(r, &w->hard, TORTURE_QLEN);
		tq_drain(r, &w->soft, TORTURE_QLEN);
	}
	return failed;
}

static void print_figures(struct kunit *test, const char *what,
			  unsigned int ncpus, const long *c, u64 ns)
{
	unsigned long ops = c[C_ALLOCS] + c[C_FREES] + c[C_TMP_OPS];
	unsigned long tries = max(c[C_SLAB_TRIES], 1L);
	unsigned long frees = max(c[C_FREES], 1L);
	u64 ms = div_u64(ns, NSEC_PER_MSEC);

	kunit_info(test,
		   "kslab-torture: %s: cpus=%u ops=%lu allocs=%lu frees=%lu cross_cpu_frees=%ld (%lu%%) hardirq_frees=%ld softirq_frees=%ld elapsed_ms=%llu ops_per_s=%llu\n",
		   what, ncpus, ops, c[C_ALLOCS], c[C_FREES], c[C_CROSS],
		   c[C_CROSS] * 100 / frees, c[C_HARDIRQ], c[C_SOFTIRQ], ms,
		   div64_u64((u64)ops * 1000, max(ms, 1ULL)));
	kunit_info(test,
		   "kslab-torture: %s: failed_allocs=%ld (failslab %d%%: %ld of %ld slab-path allocs, %lu.%lu%%) large=%ld atomic_allocs=%ld irq_allocs=%ld rcu_peeks=%ld\n",
		   what, c[C_FAILED], TORTURE_FAIL_PERCENT, c[C_SLAB_FAILED],
		   c[C_SLAB_TRIES], c[C_SLAB_FAILED] * 100 / tries,
		   c[C_SLAB_FAILED] * 1000 / tries % 10, c[C_LARGE],
		   c[C_ATOMIC_ALLOCS], c[C_IRQ_ALLOCS], c[C_RCU_PEEKS]);
	kunit_info(test,
		   "kslab-torture: %s: mismatches=%ld ctor_lost=%ld zero_bad=%ld cache_cycles=%ld cache_ops=%ld shrinks=%ld busy_destroys=%ld\n",
		   what, c[C_MISMATCH], c[C_CTOR_BAD], c[C_ZERO_BAD],
		   c[C_CYCLES], c[C_TMP_OPS], c[C_SHRINKS], c[C_BUSY]);
}

static void test_torture(struct kunit *test)
{
	unsigned long rep0, rep1, free0, ops;
	long held0, held1, c[NR_CNT] = {};
	bool taint0 = tainted(), crng;
	unsigned int failed, i, k, cut = 0;
	struct tort *r;
	u64 t0, ns;
	int cpu;

	runs.stop = true;
	if (!torture_ops)
		kunit_skip(test, "torture_ops=0");
	r = kzalloc(sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	held0 = kslab_test_shrink_all();
	free0 = global_zone_page_state(NR_FREE_PAGES);
	rep0 = kslab_report_total();
	ops = torture_ops - runs.ops;
	if (setup(r, ops)) {
		destroy_caches(test, r, false);
		free_run(r);
		KUNIT_FAIL(test, "no memory for the round");
		return;
	}

	/*
	 * Until the CRNG is seeded, every get_random_*() call (failslab
	 * makes one per slab allocation) takes one global spinlock and
	 * hashes the input pool: in an SMP VM with no entropy source the
	 * CPUs mostly wait for each other, 10-20 times slower. Shown, not
	 * judged (scripts/kunit-qemu.sh gives QEMU x86_64 RDRAND for this).
	 */
	crng = rng_is_initialized();
	kslab_fail_set(TORTURE_FAIL_PERCENT, 1, -1, false, false, 0);
	t0 = ktime_get_ns();
	r->deadline = t0 + (u64)TORTURE_ROUND_SECS * NSEC_PER_SEC;
	failed = run(r);
	ns = ktime_get_ns() - t0;
	kslab_fail_set(0, 1, 1, true, false, 2);	/* the defaults */

	for_each_possible_cpu(cpu)
		for (k = 0; k < NR_CNT; k++)
			c[k] += atomic_long_read(&r->cnt[cpu].c[k]);
	for (i = 0; i < r->ncpus; i++)
		cut += r->pc[r->cpus[i]]->cut;
	print_figures(test, "round", r->ncpus, c, ns);

	KUNIT_EXPECT_EQ_MSG(test, failed, 0U, "threads that could not start");
	KUNIT_EXPECT_EQ_MSG(test, c[C_MISMATCH], 0L, "%s", r->bad);
	KUNIT_EXPECT_EQ_MSG(test, c[C_CTOR_BAD], 0L, "%s", r->bad);
	KUNIT_EXPECT_EQ_MSG(test, c[C_ZERO_BAD], 0L, "%s", r->bad);
	KUNIT_EXPECT_EQ_MSG(test, c[C_ALLOCS] - c[C_FAILED], c[C_FREES],
			    "objects allocated but not freed by the run");
	KUNIT_EXPECT_EQ(test, c[C_BUSY], 0L);
	KUNIT_EXPECT_EQ(test, c[C_CREATE_FAIL], 0L);
	/* The run exercised what it claims to, given enough operations. */
	if (IS_ENABLED(CONFIG_FAULT_INJECTION) && c[C_SLAB_TRIES] >= 1000) {
		KUNIT_EXPECT_GT_MSG(test, c[C_SLAB_FAILED], c[C_SLAB_TRIES] / 20,
				    "failslab at %d%% failed too few allocations",
				    TORTURE_FAIL_PERCENT);
		KUNIT_EXPECT_LT_MSG(test, c[C_SLAB_FAILED], c[C_SLAB_TRIES] / 5,
				    "failslab at %d%% failed too many allocations",
				    TORTURE_FAIL_PERCENT);
	}
	if (c[C_XPUSH])
		KUNIT_EXPECT_GT(test, c[C_CROSS], 0L);
	if (c[C_HPUSH] && !IS_ENABLED(CONFIG_PREEMPT_RT))
		KUNIT_EXPECT_GT(test, c[C_HARDIRQ], 0L);
	if (c[C_SPUSH])
		KUNIT_EXPECT_GT(test, c[C_SOFTIRQ], 0L);
	KUNIT_EXPECT_GT(test, c[C_CYCLES], 0L);

	destroy_caches(test, r, true);
	rcu_barrier();			/* SLAB_TYPESAFE_BY_RCU pages */
	held1 = kslab_test_shrink_all();
	rep1 = kslab_report_total();
	kunit_info(test,
		   "kslab-torture: round: kslab_pages_held before=%ld after=%ld (stats=%d) kslab_reports before=%lu after=%lu free_pages before=%lu after=%lu seed=%#x crng_ready=%d%s\n",
		   held0, held1, kslab_stats_enabled(), rep0, rep1, free0,
		   global_zone_page_state(NR_FREE_PAGES), r->seed, crng,
		   cut ? " (cut at the round's time limit)" : "");
	if (kslab_stats_enabled())
		KUNIT_EXPECT_EQ_MSG(test, held1, held0,
				    "kslab pages leaked by the round");
	KUNIT_EXPECT_EQ_MSG(test, rep1, rep0, "kslab reported during the round");
	for (k = 0; k < KSLAB_NR_REPORT_ITEMS && rep1 != rep0; k++)
		kunit_info(test, "kslab-torture: report %s: %lu\n",
			   kslab_report_name(k), kslab_report_count(k));
	KUNIT_EXPECT_FALSE_MSG(test, !taint0 && tainted(),
			       "the kernel warned (taint) during the round");

	for (k = 0; k < NR_CNT; k++)
		runs.tot[k] += c[k];
	runs.ns += ns;
	runs.ops += c[C_ALLOCS] + c[C_FREES] + c[C_TMP_OPS];
	runs.stop = test->status != KUNIT_SUCCESS ||
		    !(c[C_ALLOCS] + c[C_FREES]);
	if (runs.round > 1 && (runs.stop || runs.ops >= torture_ops))
		print_figures(test, "total", r->ncpus, runs.tot, runs.ns);
	free_run(r);
}

static struct kunit_case torture_test_cases[] = {
	KUNIT_CASE_PARAM(test_torture, round_gen),
	{}
};

static struct kunit_suite torture_test_suite = {
	.name = "kslab_torture",
	.init = kslab_test_init,
	.exit = kslab_test_exit,
	.test_cases = torture_test_cases,
};

kunit_test_suite(torture_test_suite);
