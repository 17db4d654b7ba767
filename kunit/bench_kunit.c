// SPDX-License-Identifier: GPL-2.0
/*
 * Suite kslab_bench: timings of kslab against the real kmalloc and
 * kmem_cache of the same boot, never a pass/fail verdict on speed.
 *
 * Every case skips unless the module parameter bench is set (built in:
 * kslab_kunit.bench=1 on the kernel command line; scripts/bench.sh and
 * `make bench` do that). Each workload times a loop of many operations
 * with ktime_get_ns(), as prototype-kernel's time_bench does, keeps the
 * best of bench_rounds rounds per side and prints one line per
 * measurement:
 *
 *   kslab-bench: <workload> size=<n> [live=|threads=<n>] kslab_ns=<x.y>
 *		  kmalloc_ns=<x.y> ratio=<kslab/kmalloc>
 *
 * where ns is per object allocated and freed. Both sides run in the same
 * boot, so they see the same init_on_alloc/init_on_free state; the info
 * line records it. Preemption stays enabled: cond_resched() runs between
 * rounds, and single-thread loops run under migrate_disable() so that
 * the per-CPU caches stay the same.
 */
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/kthread.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/utsname.h>

#include "kslab_kunit.h"

static bool bench;
module_param(bench, bool, 0444);
MODULE_PARM_DESC(bench,
		 "Run the kslab_bench timings (built in: kslab_kunit.bench=1); off: its cases skip");

static unsigned int bench_rounds = 5;
module_param(bench_rounds, uint, 0444);
MODULE_PARM_DESC(bench_rounds, "kslab_bench: best of this many rounds (default 5)");

static bool bench_quick;
module_param(bench_quick, bool, 0444);
MODULE_PARM_DESC(bench_quick,
		 "kslab_bench: a tenth of the loops, at most 64k live objects (a smoke run)");

/* === Loop sizes ======================================================== */

#define BENCH_OPS		200000UL	/* Pairs per round and side */
#define BENCH_BATCH		1024		/* Objects per batch or bulk call */
#define BENCH_BATCHES		128UL		/* Batches per round and side */
#define BENCH_REPLACE_SIZE	512U
#define BENCH_QUICK_LIVE	65536UL		/* Replacement cap in quick mode */
#define BENCH_CROSS_SIZE	64U
#define BENCH_RING		1024U		/* Cross-CPU ring slots, 2^n */
#define BENCH_THREAD_SIZE	64U

static unsigned long loops(unsigned long n)
{
	return bench_quick ? max(n / 10, 1UL) : n;
}

static unsigned int rounds(void)
{
	return clamp(bench_rounds, 1U, 100U);
}

#define BENCH_NOT_REQUESTED \
	"bench not requested: boot with kslab_kunit.bench=1 or use make bench"

#define BENCH_REQUIRED(test) do {					\
	if (!bench)							\
		kunit_skip((test), BENCH_NOT_REQUESTED);		\
} while (0)

/* === Allocation on either side ========================================= */

/*
 * @mine picks kslab. The size reaches kmalloc() as a run-time value, as
 * it reaches kslab_kmalloc(): both take their variable-size entry.
 */
static __always_inline void *obj_alloc(bool mine, unsigned int size)
{
	return mine ? kslab_kmalloc(size, GFP_KERNEL) :
		      kmalloc(size, GFP_KERNEL);
}

static __always_inline void obj_free(bool mine, const void *p)
{
	if (mine)
		kslab_kfree(p);
	else
		kfree(p);
}

/* One measurement's state, shared by both sides and every round. */
struct bench_ctx {
	unsigned int size;		/* Object size */
	unsigned long ops;		/* Objects allocated and freed per round */
	unsigned long live;		/* Replacement: objects kept live */
	u32 seed;			/* Replacement: PRNG start of the round */
	void **objs;			/* Batch, bulk and replacement slots */
	struct kmem_cache *rc;		/* Bulk: the real lookaside cache */
	struct kslab_cache *s;		/* Bulk: kslab's */
	unsigned int nr_threads;	/* Threads: how many */
};

/* One side of one round: elapsed ns in *@ns, or -ENOMEM. */
typedef int (*bench_fn)(struct bench_ctx *c, bool mine, u64 *ns);

/* === Result lines ====================================================== */

/* Picoseconds per object from @ns for @ops objects. */
static u64 ps_per_op(u64 ns, unsigned long ops)
{
	return div64_u64(ns * 1000, max(ops, 1UL));
}

/* @ps as whole nanoseconds and one decimal. */
static void ps_split(u64 ps, u64 *whole, u32 *tenth)
{
	*whole = div_u64_rem(div_u64(ps + 50, 100), 10, tenth);
}

static void report(struct kunit *test, const char *workload,
		   unsigned int size, const char *extra, u64 mine_ps,
		   u64 real_ps)
{
	u64 mw, rw, ratio;
	u32 mt, rt, rf;

	ps_split(mine_ps, &mw, &mt);
	ps_split(real_ps, &rw, &rt);
	ratio = div_u64_rem(div64_u64(mine_ps * 100 + real_ps / 2,
				      max(real_ps, 1ULL)), 100, &rf);
	kunit_info(test,
		   "kslab-bench: %s size=%u%s kslab_ns=%llu.%u kmalloc_ns=%llu.%u ratio=%llu.%02u\n",
		   workload, size, extra, mw, mt, rw, rt, ratio, rf);
}

/*
 * Best of rounds() rounds per side, the two sides taking turns to go
 * first; cond_resched() between runs. Fails the test on -ENOMEM.
 */
static void compare(struct kunit *test, struct bench_ctx *c, bench_fn fn,
		    const char *workload, const char *extra)
{
	u64 best[2] = { U64_MAX, U64_MAX };
	unsigned int r, k;

	for (r = 0; r < rounds(); r++) {
		for (k = 0; k < 2; k++) {
			bool mine = (r + k) & 1;
			u64 ns = 0;
			int err = fn(c, mine, &ns);

			KUNIT_ASSERT_EQ_MSG(test, err, 0, "%s %s: round %u",
					    workload, mine ? "kslab" : "kmalloc",
					    r);
			best[mine] = min(best[mine], ns);
			cond_resched();
		}
	}
	report(test, workload, c->size, extra, ps_per_op(best[1], c->ops),
	       ps_per_op(best[0], c->ops));
}

/* === Info ============================================================== */

static void test_info(struct kunit *test)
{
	BENCH_REQUIRED(test);
	kunit_info(test,
		   "kslab-bench: info cpus=%u rounds=%u init_on_alloc=%d init_on_free=%d kernel=%s quick=%d kslab_stats=%d lockdep=%d kasan=%d kfence=%d debug_preempt=%d\n",
		   num_online_cpus(), rounds(),
		   want_init_on_alloc(GFP_KERNEL), want_init_on_free(),
		   utsname()->release, bench_quick, kslab_stats_enabled(),
		   IS_ENABLED(CONFIG_PROVE_LOCKING), IS_ENABLED(CONFIG_KASAN),
		   IS_ENABLED(CONFIG_KFENCE), IS_ENABLED(CONFIG_DEBUG_PREEMPT));
}

/* === Size classes: pair, batch, bulk =================================== */

static const unsigned int bench_sizes[] = {
	8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192,
};

static void size_desc(const unsigned int *size, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "size %u", *size);
}

KUNIT_ARRAY_PARAM(bench_size, bench_sizes, size_desc);

/* kmalloc() then kfree() at once: the per-CPU fast paths, quick reuse. */
static int pair_fn(struct bench_ctx *c, bool mine, u64 *ns)
{
	unsigned int size = c->size;
	unsigned long i;
	int err = 0;
	u64 t0;

	OPTIMIZER_HIDE_VAR(size);
	migrate_disable();
	t0 = ktime_get_ns();
	for (i = 0; i < c->ops; i++) {
		void *p = obj_alloc(mine, size);

		if (unlikely(!p)) {
			err = -ENOMEM;
			break;
		}
		obj_free(mine, p);
	}
	*ns = ktime_get_ns() - t0;
	migrate_enable();
	return err;
}

/* BENCH_BATCH allocations, then as many frees, in allocation order. */
static int batch_fn(struct bench_ctx *c, bool mine, u64 *ns)
{
	unsigned int size = c->size, i, n;
	unsigned long b;
	int err = 0;
	u64 t0;

	OPTIMIZER_HIDE_VAR(size);
	migrate_disable();
	t0 = ktime_get_ns();
	for (b = 0; b < c->ops / BENCH_BATCH && !err; b++) {
		for (n = 0; n < BENCH_BATCH; n++) {
			c->objs[n] = obj_alloc(mine, size);
			if (unlikely(!c->objs[n])) {
				err = -ENOMEM;
				break;
			}
		}
		for (i = 0; i < n; i++)
			obj_free(mine, c->objs[i]);
	}
	*ns = ktime_get_ns() - t0;
	migrate_enable();
	return err;
}

/* kmem_cache_alloc_bulk()/_free_bulk() of BENCH_BATCH objects. */
static int bulk_fn(struct bench_ctx *c, bool mine, u64 *ns)
{
	unsigned long b;
	int err = 0;
	u64 t0;

	migrate_disable();
	t0 = ktime_get_ns();
	for (b = 0; b < c->ops / BENCH_BATCH; b++) {
		/*
		 * All or nothing on both sides; the kernel's returns the
		 * count up to v6.12 and true from 7.x (bool in v7.3).
		 */
		bool ok = mine ? kslab_cache_alloc_bulk(c->s, GFP_KERNEL,
							BENCH_BATCH, c->objs) :
				 kmem_cache_alloc_bulk(c->rc, GFP_KERNEL,
						       BENCH_BATCH, c->objs);

		if (unlikely(!ok)) {
			err = -ENOMEM;	/* Both free what they got on failure */
			break;
		}
		if (mine)
			kslab_cache_free_bulk(c->s, BENCH_BATCH, c->objs);
		else
			kmem_cache_free_bulk(c->rc, BENCH_BATCH, c->objs);
	}
	*ns = ktime_get_ns() - t0;
	migrate_enable();
	return err;
}

static void test_pair(struct kunit *test)
{
	struct bench_ctx c = {
		.size = *(const unsigned int *)test->param_value,
		.ops = loops(BENCH_OPS),
	};

	BENCH_REQUIRED(test);
	compare(test, &c, pair_fn, "pair", "");
}

static void test_batch(struct kunit *test)
{
	struct bench_ctx c = {
		.size = *(const unsigned int *)test->param_value,
		.ops = loops(BENCH_BATCHES) * BENCH_BATCH,
	};

	BENCH_REQUIRED(test);
	c.objs = kunit_kcalloc(test, BENCH_BATCH, sizeof(*c.objs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c.objs);
	compare(test, &c, batch_fn, "batch", "");
}

/* The two lookaside caches of a bulk case, destroyed at test exit. */
static void bulk_caches_free(struct kunit_resource *res)
{
	struct bench_ctx *c = res->data;

	kslab_cache_destroy(c->s);
	kmem_cache_destroy(c->rc);
}

static void test_bulk(struct kunit *test)
{
	struct bench_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	char name[32];

	BENCH_REQUIRED(test);
	KUNIT_ASSERT_NOT_NULL(test, c);
	c->size = *(const unsigned int *)test->param_value;
	c->ops = loops(BENCH_BATCHES) * BENCH_BATCH;
	c->objs = kunit_kcalloc(test, BENCH_BATCH, sizeof(*c->objs),
				GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c->objs);
	snprintf(name, sizeof(name), "kslab_bench_%u", c->size);
	/* Unmerged, so the real side times a cache of its own. */
	c->rc = kmem_cache_create(name, c->size, 0, KSLAB_REAL_NO_MERGE, NULL);
	c->s = kslab_cache_create(name, c->size, 0, 0, NULL);
	if (!c->rc || !c->s ||
	    !kunit_alloc_resource(test, NULL, bulk_caches_free, GFP_KERNEL, c)) {
		kslab_cache_destroy(c->s);
		kmem_cache_destroy(c->rc);
		KUNIT_FAIL(test, "cannot create the %s caches", name);
		return;
	}
	compare(test, c, bulk_fn, "bulk", "");
}

/* === Replacement of random live objects ================================ */

static const unsigned long bench_live[] = {
	1024, 4096, 16384, 65536, 262144,
};

static void live_desc(const unsigned long *live, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "live %lu", *live);
}

KUNIT_ARRAY_PARAM(bench_live, bench_live, live_desc);

/* Marsaglia's xorshift32: cheap, and the same sequence for both sides. */
static u32 xorshift32(u32 *state)
{
	u32 x = *state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*state = x;
	return x;
}

static void release_live(struct bench_ctx *c, bool mine)
{
	unsigned long i;

	for (i = 0; i < c->live; i++) {
		obj_free(mine, c->objs[i]);
		c->objs[i] = NULL;
	}
}

/*
 * Fill c->live slots (not timed), then c->ops times free a random slot
 * and allocate into it, then empty the slots (not timed).
 */
static int replace_fn(struct bench_ctx *c, bool mine, u64 *ns)
{
	unsigned int size = c->size;
	u32 state = c->seed;
	unsigned long i;
	int err = 0;
	u64 t0;

	OPTIMIZER_HIDE_VAR(size);
	for (i = 0; i < c->live; i++) {
		c->objs[i] = obj_alloc(mine, size);
		if (!c->objs[i]) {
			release_live(c, mine);
			return -ENOMEM;
		}
		if (!(i & 4095))
			cond_resched();
	}
	migrate_disable();
	t0 = ktime_get_ns();
	for (i = 0; i < c->ops; i++) {
		u32 slot = ((u64)xorshift32(&state) * c->live) >> 32;

		obj_free(mine, c->objs[slot]);
		c->objs[slot] = obj_alloc(mine, size);
		if (unlikely(!c->objs[slot])) {
			err = -ENOMEM;
			break;
		}
	}
	*ns = ktime_get_ns() - t0;
	migrate_enable();
	release_live(c, mine);
	return err;
}

/* The slot array (up to 2 MiB: kvcalloc()), freed at test exit. */
static void slots_free(struct kunit_resource *res)
{
	kvfree(res->data);
}

static void test_replace(struct kunit *test)
{
	struct bench_ctx c = {
		.size = BENCH_REPLACE_SIZE,
		.live = *(const unsigned long *)test->param_value,
		.ops = loops(BENCH_OPS),
		.seed = 0x9e3779b9,
	};
	char extra[24];

	BENCH_REQUIRED(test);
	if (bench_quick && c.live > BENCH_QUICK_LIVE)
		kunit_skip(test, "bench_quick: at most %lu live objects",
			   BENCH_QUICK_LIVE);
	c.objs = kvcalloc(c.live, sizeof(*c.objs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c.objs);
	if (!kunit_alloc_resource(test, NULL, slots_free, GFP_KERNEL, c.objs)) {
		kvfree(c.objs);
		KUNIT_FAIL(test, "no memory for a KUnit resource");
		return;
	}
	snprintf(extra, sizeof(extra), " live=%lu", c.live);
	compare(test, &c, replace_fn, "replace", extra);
}

/* === Threads: cross-CPU frees and one thread per CPU =================== */

/* One side of one round run by kthreads bound to CPUs. */
struct bench_job {
	struct bench_ctx *c;
	bool mine;
	atomic_t ready;			/* Workers at the start line */
	bool go;			/* Start; read with acquire */
	atomic_t failed;		/* Allocations that returned NULL */
	/* Cross-CPU ring: the producer owns head, the consumer tail. */
	unsigned long head ____cacheline_aligned;
	unsigned long tail ____cacheline_aligned;
	u64 start_ns;			/* Producer's start */
	u64 end_ns;			/* Consumer's end */
};

struct bench_worker {
	struct bench_job *job;
	void (*fn)(struct bench_worker *w);
	u64 ns;				/* Own elapsed time (threads) */
	struct completion done;
};

/* Spin politely: a non-preemptible kernel must let the others run. */
static void spin_wait(unsigned int *spins)
{
	if (!(++*spins & 255))
		cond_resched();
	else
		cpu_relax();
}

static int worker_main(void *arg)
{
	struct bench_worker *w = arg;
	struct bench_job *job = w->job;
	unsigned int spins = 0;

	atomic_inc(&job->ready);
	/* Pairs with the release in run_workers(): job is set up. */
	while (!smp_load_acquire(&job->go))
		spin_wait(&spins);
	if (!atomic_read(&job->failed))
		w->fn(w);
	kthread_complete_and_exit(&w->done, 0);
}

/*
 * Start one worker per entry of @cpus, bound there, release them at once
 * and wait for all. Returns -ENOMEM if a thread could not be made or an
 * allocation failed.
 */
static int run_workers(struct bench_job *job, struct bench_worker *w,
		       const unsigned int *cpus, unsigned int n)
{
	unsigned int i, started = 0;

	for (i = 0; i < n; i++) {
		struct task_struct *t;

		w[i].job = job;
		init_completion(&w[i].done);
		t = kthread_create(worker_main, &w[i], "kslab_bench/%u",
				   cpus[i]);
		if (IS_ERR(t)) {
			atomic_inc(&job->failed);
			break;
		}
		kthread_bind(t, cpus[i]);
		wake_up_process(t);
		started++;
	}
	while (atomic_read(&job->ready) < started)
		schedule_timeout_uninterruptible(1);
	/* Pairs with the acquire in worker_main(). */
	smp_store_release(&job->go, true);
	for (i = 0; i < started; i++)
		wait_for_completion(&w[i].done);
	return atomic_read(&job->failed) ? -ENOMEM : 0;
}

/* Cross-CPU: the producer allocates into the ring, the consumer frees. */
static void **cross_ring(struct bench_job *job)
{
	return job->c->objs;
}

static void cross_producer(struct bench_worker *w)
{
	struct bench_job *job = w->job;
	unsigned int size = job->c->size, spins = 0;
	void **ring = cross_ring(job);
	unsigned long i;

	OPTIMIZER_HIDE_VAR(size);
	job->start_ns = ktime_get_ns();
	for (i = 0; i < job->c->ops; i++) {
		void *p;

		/* Full: wait for the consumer to be done with slot i. */
		while (i - smp_load_acquire(&job->tail) == BENCH_RING)
			spin_wait(&spins);
		p = obj_alloc(job->mine, size);
		if (unlikely(!p))
			atomic_inc(&job->failed);
		ring[i & (BENCH_RING - 1)] = p;
		/* Publish ring[i] to the consumer's acquire of head. */
		smp_store_release(&job->head, i + 1);
	}
}

static void cross_consumer(struct bench_worker *w)
{
	struct bench_job *job = w->job;
	void **ring = cross_ring(job);
	unsigned int spins = 0;
	unsigned long i;

	for (i = 0; i < job->c->ops; i++) {
		/* Empty: wait until the producer published ring[i]. */
		while (smp_load_acquire(&job->head) == i)
			spin_wait(&spins);
		obj_free(job->mine, ring[i & (BENCH_RING - 1)]);
		/* Slot i is free again: pairs with the producer's acquire. */
		smp_store_release(&job->tail, i + 1);
	}
	job->end_ns = ktime_get_ns();
}

static int cross_fn(struct bench_ctx *c, bool mine, u64 *ns)
{
	struct bench_worker w[2] = {
		{ .fn = cross_producer },
		{ .fn = cross_consumer },
	};
	struct bench_job *job;
	unsigned int cpus[2];
	int err;

	job = kzalloc(sizeof(*job), GFP_KERNEL);
	if (!job)
		return -ENOMEM;
	job->c = c;
	job->mine = mine;
	cpus[0] = cpumask_first(cpu_online_mask);
	cpus[1] = cpumask_next(cpus[0], cpu_online_mask);
	err = run_workers(job, w, cpus, 2);
	*ns = job->end_ns - job->start_ns;
	kfree(job);
	return err;
}

static void test_cross(struct kunit *test)
{
	struct bench_ctx c = {
		.size = BENCH_CROSS_SIZE,
		.ops = loops(BENCH_OPS),
	};
	char extra[32];

	BENCH_REQUIRED(test);
	if (num_online_cpus() < 2)
		kunit_skip(test, "cross-CPU frees need 2 online CPUs, %u online",
			   num_online_cpus());
	c.objs = kunit_kcalloc(test, BENCH_RING, sizeof(*c.objs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c.objs);
	snprintf(extra, sizeof(extra), " cpus=%u,%u",
		 cpumask_first(cpu_online_mask),
		 cpumask_next(cpumask_first(cpu_online_mask), cpu_online_mask));
	compare(test, &c, cross_fn, "cross", extra);
}

/* Threads: alloc+free pairs on every worker's own CPU at the same time. */
static void pair_worker(struct bench_worker *w)
{
	struct bench_job *job = w->job;
	unsigned int size = job->c->size;
	unsigned long i;
	u64 t0;

	OPTIMIZER_HIDE_VAR(size);
	t0 = ktime_get_ns();
	for (i = 0; i < job->c->ops; i++) {
		void *p = obj_alloc(job->mine, size);

		if (unlikely(!p)) {
			atomic_inc(&job->failed);
			break;
		}
		obj_free(job->mine, p);
	}
	w->ns = ktime_get_ns() - t0;
}

/* The mean of the workers' own times: ns per pair seen by one thread. */
static int threads_fn(struct bench_ctx *c, bool mine, u64 *ns)
{
	unsigned int n = c->nr_threads, i = 0, cpu;
	struct bench_worker *w;
	struct bench_job *job;
	unsigned int *cpus;
	u64 sum = 0;
	int err = -ENOMEM;

	job = kzalloc(sizeof(*job), GFP_KERNEL);
	w = kcalloc(n, sizeof(*w), GFP_KERNEL);
	cpus = kcalloc(n, sizeof(*cpus), GFP_KERNEL);
	if (!job || !w || !cpus)
		goto out;
	job->c = c;
	job->mine = mine;
	for_each_online_cpu(cpu) {
		if (i == n)
			break;
		w[i].fn = pair_worker;
		cpus[i++] = cpu;
	}
	err = run_workers(job, w, cpus, i);
	for (n = 0; n < i; n++)
		sum += w[n].ns;
	*ns = i ? div_u64(sum, i) : 0;
out:
	kfree(cpus);
	kfree(w);
	kfree(job);
	return err;
}

/* Parameter: 1 thread, then one per online CPU (0 stands for that). */
static const unsigned int bench_threads[] = { 1, 0 };

static void threads_desc(const unsigned int *n, char *desc)
{
	if (*n)
		snprintf(desc, KUNIT_PARAM_DESC_SIZE, "threads %u", *n);
	else
		snprintf(desc, KUNIT_PARAM_DESC_SIZE, "threads per CPU");
}

KUNIT_ARRAY_PARAM(bench_threads, bench_threads, threads_desc);

static void test_threads(struct kunit *test)
{
	unsigned int n = *(const unsigned int *)test->param_value;
	struct bench_ctx c = {
		.size = BENCH_THREAD_SIZE,
		.ops = loops(BENCH_OPS),
	};
	char extra[24];

	BENCH_REQUIRED(test);
	if (!n) {
		n = num_online_cpus();
		if (n < 2)
			kunit_skip(test, "one CPU online: same as threads=1");
	}
	c.nr_threads = n;
	snprintf(extra, sizeof(extra), " threads=%u", n);
	compare(test, &c, threads_fn, "threads", extra);
}

static struct kunit_case bench_test_cases[] = {
	KUNIT_CASE(test_info),
	KUNIT_CASE_PARAM(test_pair, bench_size_gen_params),
	KUNIT_CASE_PARAM(test_batch, bench_size_gen_params),
	KUNIT_CASE_PARAM(test_bulk, bench_size_gen_params),
	KUNIT_CASE_PARAM(test_replace, bench_live_gen_params),
	KUNIT_CASE(test_cross),
	KUNIT_CASE_PARAM(test_threads, bench_threads_gen_params),
	{}
};

static struct kunit_suite bench_test_suite = {
	.name = "kslab_bench",
	.init = kslab_test_init,
	.exit = kslab_test_exit,
	.test_cases = bench_test_cases,
};

kunit_test_suite(bench_test_suite);
