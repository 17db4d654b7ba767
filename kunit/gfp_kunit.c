// SPDX-License-Identifier: GPL-2.0
/*
 * Suite kslab_gfp: a flag table x every cache and the large path x the
 * contexts where the flags are legal, each allocation made with kslab and
 * with the real kmalloc: same success, cache type, zone and zeroing; and
 * kslab's sleep-rule verdict where the flags are illegal.
 */
#include <linux/kallsyms.h>
#include <linux/kasan.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "kslab_kunit.h"

#ifdef KSLAB_TEST_MM_SLAB_H
#include "slab.h"	/* $(srctree)/mm/slab.h: virt_to_slab(), as slub_kunit */
#endif

/* === Tables ============================================================ */

#define GFP(f)		{ f, #f, false }
#define GFP_SLAB(f)	{ f, #f, true }

static const struct gfp_case {
	gfp_t gfp;
	const char *name;
	bool slab_only;		/* no large path: v6.1 warns on NOFAIL order > 1 */
} gfp_cases[] = {
	GFP(GFP_KERNEL),
	GFP(GFP_ATOMIC),
	GFP(GFP_NOWAIT),
	GFP(GFP_NOIO),
	GFP(GFP_NOFS),
	GFP(GFP_USER),
	GFP(GFP_KERNEL | GFP_DMA),
	GFP(GFP_ATOMIC | GFP_DMA),
	GFP(GFP_KERNEL | __GFP_RECLAIMABLE),
	GFP(GFP_ATOMIC | __GFP_RECLAIMABLE),
	GFP(GFP_KERNEL_ACCOUNT),
	GFP(GFP_ATOMIC | __GFP_ACCOUNT),
	GFP(GFP_KERNEL | __GFP_DMA | __GFP_ACCOUNT),
	GFP(GFP_KERNEL | __GFP_RECLAIMABLE | __GFP_ACCOUNT),
	GFP(GFP_KERNEL | __GFP_ZERO),
	GFP(GFP_ATOMIC | __GFP_ZERO),
	GFP(GFP_KERNEL | __GFP_NOWARN | __GFP_NORETRY),
	GFP(GFP_KERNEL | __GFP_RETRY_MAYFAIL),
	GFP_SLAB(GFP_KERNEL | __GFP_NOFAIL),
	GFP(GFP_KERNEL | __GFP_HIGH),
	GFP(GFP_KERNEL | __GFP_MOVABLE),
	GFP(GFP_KERNEL | __GFP_DMA32),
};

/*
 * One size per cache class that exists (one byte below the class size
 * where that is still in the class), then the large path.
 */
#define NR_SIZES_MAX	(KSLAB_NR_INDEX + 2)
#define ROW_SIZE	63	/* The table row's object: kmalloc-64 */

static unsigned int test_sizes(size_t *sizes)
{
	unsigned int i, n = 0;

	for (i = 1; i < KSLAB_NR_INDEX; i++)
		if (kslab_index_exists(i))
			sizes[n++] = kslab_index_size(i) - (i > 3);
	sizes[n++] = KMALLOC_MAX_CACHE_SIZE + 1;
	sizes[n++] = 4 * KMALLOC_MAX_CACHE_SIZE;
	return n;
}

/* Parameters: gfp_cases x contexts; the value is index + 1. */
static const void *gfp_ctx_gen_params(KSLAB_GEN_PARAMS_ARGS)
{
	unsigned long v = (unsigned long)prev;

	if (v >= ARRAY_SIZE(gfp_cases) * KSLAB_NR_CTX)
		return NULL;
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s in %s",
		 gfp_cases[v / KSLAB_NR_CTX].name,
		 kslab_test_ctx_names[v % KSLAB_NR_CTX]);
	return (const void *)(v + 1);
}

/* === Running in a context ============================================= */

struct run {
	gfp_t gfp;
	unsigned long caller;
	bool with_real;
	unsigned int n;
	size_t sizes[NR_SIZES_MAX];
	void *real[NR_SIZES_MAX];
	void *mine[NR_SIZES_MAX];
	const char *seen_ctx;		/* kslab_atomic_context() there */
};

/* Both allocators, same flags and caller; checked later in process context. */
static noinline void do_allocs(void *arg)
{
	struct run *r = arg;
	unsigned int i;

	r->seen_ctx = kslab_atomic_context();
	for (i = 0; i < r->n; i++) {
		if (r->with_real)
			r->real[i] = kslab_test_real_kmalloc_caller(r->sizes[i],
								    r->gfp,
								    r->caller);
		r->mine[i] = kslab_kmalloc_node_track_caller(r->sizes[i], r->gfp,
							     NUMA_NO_NODE,
							     r->caller);
	}
}

/* === Observing the real allocator ===================================== */

/*
 * The kmalloc type of a real slab object: the type whose kmalloc_caches[]
 * slot holds the object's cache (the exported table; the cache is read
 * from the object's struct slab). -1 where mm/slab.h is not available.
 */
static int real_type(const void *p, size_t size)
{
#ifdef KSLAB_TEST_MM_SLAB_H
	struct kmem_cache *s = virt_to_slab(p)->slab_cache;
	unsigned int idx = __kmalloc_index(size, false);
	int t;

	for (t = 0; t < NR_KMALLOC_TYPES; t++)
		if (kmalloc_caches[t][idx] == s)
			return t;
	return -2;
#else
	return -1;
#endif
}

/* The kernel's enum kmalloc_cache_type value of a kslab type. */
static int kernel_type(enum kslab_cache_type t)
{
	switch (t) {
	case KSLAB_RECLAIM:
		return KMALLOC_RECLAIM;
	case KSLAB_DMA:
		return KMALLOC_DMA;
	case KSLAB_CGROUP:
		return KMALLOC_CGROUP;
	default:
#ifdef CONFIG_RANDOM_KMALLOC_CACHES
		return KMALLOC_RANDOM_START + (t - KSLAB_RANDOM_START);
#else
		return KMALLOC_NORMAL;
#endif
	}
}

/* The name of the real cache of @p, for the GFP table. */
static const char *real_cache_name(const void *p)
{
#ifdef KSLAB_TEST_MM_SLAB_H
	return virt_to_slab(p)->slab_cache->name;
#else
	return "?";
#endif
}

static enum zone_type zone_of(const void *p)
{
	return page_zonenum(virt_to_page(p));
}

static const char *zone_name(const void *p)
{
	return page_zone(virt_to_page(p))->name;
}

/* === The matrix ======================================================== */

static bool blocking_is_detectable(enum kslab_test_ctx ctx)
{
	return ctx != KSLAB_CTX_SPINLOCK || IS_ENABLED(CONFIG_PREEMPT_COUNT);
}

/*
 * One row of the GFP table (Documentation/derivation.rst), from what
 * this case observed in process context: bits, cache and zone of a
 * ROW_SIZE object on both sides, zone of the large path, and whether the
 * flags may sleep.
 * scripts/gfp-table.sh collects the rows from the KTAP log.
 */
static void print_row(struct kunit *test, const struct gfp_case *c,
		      const struct run *r)
{
	unsigned int i, row = 0, large = r->n - 1;
	const char *large_mine = "-", *large_real = "-";
	struct kslab_slab *slab;
	const char *mine = "?";

	for (i = 0; i < r->n; i++)
		if (r->sizes[i] == ROW_SIZE)
			row = i;
	if (!r->mine[row] || !r->real[row] || !r->mine[large] || !r->real[large])
		return;
	if (!c->slab_only) {
		large_mine = zone_name(r->mine[large]);
		large_real = zone_name(r->real[large]);
	}
	rcu_read_lock();
	slab = kslab_slab_lookup(r->mine[row]);
	if (slab && slab->cache)
		mine = slab->cache->name;
	rcu_read_unlock();
	kunit_info(test, "gfp-row: %s; %#x; %s; %s; %s; %s; %s/%s; %s\n",
		   c->name, (__force unsigned int)c->gfp, mine,
		   real_cache_name(r->real[row]), zone_name(r->mine[row]),
		   zone_name(r->real[row]), large_mine, large_real,
		   gfpflags_allow_blocking(c->gfp) ? "yes" : "no");
}

static void test_gfp_matrix(struct kunit *test)
{
	unsigned long v = (unsigned long)test->param_value - 1;
	const struct gfp_case *c = &gfp_cases[v / KSLAB_NR_CTX];
	enum kslab_test_ctx ctx = v % KSLAB_NR_CTX;
	bool blocking = gfpflags_allow_blocking(c->gfp);
	bool legal = !blocking || ctx == KSLAB_CTX_PROCESS;
	unsigned long before, nfail = 0;
	struct kslab_violation last;
	unsigned int i;
	struct run *r;

	if (!legal && !blocking_is_detectable(ctx))
		kunit_skip(test, "%s",
			   "no CONFIG_PREEMPT_COUNT: spinlocks are invisible (UML)");
	if (kslab_test_ctx_rt_rule(ctx))
		kunit_skip(test, "%s", kslab_test_ctx_rt_rule(ctx));

	r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	r->gfp = c->gfp;
	r->caller = (unsigned long)_THIS_IP_;
	r->with_real = legal;	/* the real kmalloc only where it is legal */
	r->n = test_sizes(r->sizes);
	if (c->slab_only)
		r->n -= 2;

	before = kslab_violation_count();
	kslab_test_run_in(ctx, do_allocs, r);

	KUNIT_EXPECT_EQ_MSG(test, !!r->seen_ctx, ctx != KSLAB_CTX_PROCESS &&
			    blocking_is_detectable(ctx),
			    "context seen: %s", r->seen_ctx ?: "process");
	/* The verdict: one violation per allocation, exactly when illegal. */
	KUNIT_EXPECT_EQ(test, kslab_violation_count() - before,
			legal ? 0UL : (unsigned long)r->n);
	if (!legal && kslab_violation_last(&last)) {
		char sym[KSYM_SYMBOL_LEN];

		KUNIT_EXPECT_EQ(test, (__force unsigned int)last.gfp,
				(__force unsigned int)c->gfp);
		KUNIT_EXPECT_EQ(test, last.caller, r->caller);
		KUNIT_EXPECT_STREQ(test, last.context, r->seen_ctx);
		sprint_symbol_no_offset(sym, last.caller);
		kunit_info(test, "recorded: %s from %s in %s context\n",
			   c->name, sym, last.context);
	}

	if (ctx == KSLAB_CTX_PROCESS)
		print_row(test, c, r);
	for (i = 0; i < r->n; i++) {
		size_t size = r->sizes[i];
		void *mine = r->mine[i], *real = r->real[i];

		KSLAB_EXPECT_EQ_LIMITED(test, nfail, !!mine, 1,
					"size %zu", size);
		if (legal)
			KSLAB_EXPECT_EQ_LIMITED(test, nfail, !!mine, !!real,
						"success, size %zu", size);
		if (!mine || !real)
			goto free;
		KSLAB_EXPECT_EQ_LIMITED(test, nfail, zone_of(mine), zone_of(real),
					"zone %s vs %s, size %zu", zone_name(mine),
					zone_name(real), size);
		if (size <= KMALLOC_MAX_CACHE_SIZE && !is_kfence_address(real) &&
		    real_type(real, size) != -1) {
			struct kslab_slab *slab;
			int mine_type = -3;

			rcu_read_lock();
			slab = kslab_slab_lookup(mine);
			if (slab && slab->cache)
				mine_type = kernel_type(slab->cache->type);
			rcu_read_unlock();
			KSLAB_EXPECT_EQ_LIMITED(test, nfail, mine_type,
						real_type(real, size),
						"cache type, size %zu", size);
		}
		if (c->gfp & __GFP_ZERO) {
			size_t zeroed;
			bool real_zero;

			OPTIMIZER_HIDE_VAR(mine);
			OPTIMIZER_HIDE_VAR(real);
			/* KASAN poisons past the request: ksize() bytes. */
			kasan_disable_current();
			real_zero = !memchr_inv(real, 0,
						kslab_test_zeroed(size, c->gfp,
								  ksize(real)));
			kasan_enable_current();
			zeroed = kslab_test_zeroed(size, c->gfp,
						   kslab_ksize(mine));
			KSLAB_EXPECT_EQ_LIMITED(test, nfail,
						!memchr_inv(mine, 0, zeroed),
						real_zero, "zeroing, size %zu", size);
			KSLAB_EXPECT_EQ_LIMITED(test, nfail,
						!memchr_inv(mine, 0, zeroed),
						1, "size %zu", size);
		}
free:
		kfree(real);
		kslab_kfree(mine);
	}
}

/* GFP_DMA memory is ZONE_DMA memory on both sides, where the arch has it. */
static void test_gfp_dma_zone(struct kunit *test)
{
#ifdef CONFIG_ZONE_DMA
	size_t sizes[] = { 64, 192, 1024, KMALLOC_MAX_CACHE_SIZE,
			   KMALLOC_MAX_CACHE_SIZE + 1 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		void *real = kslab_test_real_kmalloc(sizes[i], GFP_KERNEL | GFP_DMA);
		void *mine = kslab_kmalloc(sizes[i], GFP_KERNEL | GFP_DMA);

		KUNIT_ASSERT_NOT_NULL(test, real);
		KUNIT_ASSERT_NOT_NULL(test, mine);
		KUNIT_EXPECT_EQ(test, zone_of(mine), ZONE_DMA);
		KUNIT_EXPECT_EQ(test, zone_of(real), ZONE_DMA);
		kunit_info(test, "GFP_DMA size %zu: kslab zone %s, kmalloc zone %s\n",
			   sizes[i], zone_name(mine), zone_name(real));
		kfree(real);
		kslab_kfree(mine);
	}
#else
	kunit_skip(test, "%s",
		   "no CONFIG_ZONE_DMA: GFP_DMA means ZONE_NORMAL here (UML)");
#endif
}

/*
 * memalloc_noio_save() and memalloc_nofs_save() scopes: GFP_KERNEL still
 * may block there (might_alloc() ignores the scope, as the kernel's does),
 * so nothing is recorded, and the page allocator narrows the flags
 * (current_gfp_context()) for kslab's pages as for kmalloc's.
 */
static void test_gfp_scopes(struct kunit *test)
{
	unsigned long before = kslab_violation_count();
	unsigned int noio, nofs;
	void *a, *b;

	noio = memalloc_noio_save();
	KUNIT_EXPECT_EQ(test, (__force unsigned int)current_gfp_context(GFP_KERNEL),
			(__force unsigned int)GFP_NOIO);
	a = kslab_kmalloc(4 * KMALLOC_MAX_CACHE_SIZE, GFP_KERNEL);
	memalloc_noio_restore(noio);
	nofs = memalloc_nofs_save();
	b = kslab_kmalloc(100, GFP_KERNEL);
	memalloc_nofs_restore(nofs);
	KUNIT_EXPECT_NOT_NULL(test, a);
	KUNIT_EXPECT_NOT_NULL(test, b);
	KUNIT_EXPECT_EQ(test, kslab_violation_count(), before);
	kslab_kfree(a);
	kslab_kfree(b);
}

/* Bits kmalloc refuses are counted, stripped and reported once per call. */
static void test_gfp_bad_bits(struct kunit *test)
{
	unsigned long before = kslab_report_count(KSLAB_REPORT_BAD_GFP);
	void *p = kslab_kmalloc(64, GFP_KERNEL | __GFP_HIGHMEM);

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, kslab_report_count(KSLAB_REPORT_BAD_GFP), before + 1);
	KUNIT_EXPECT_LE(test, zone_of(p), ZONE_NORMAL);
	kslab_kfree(p);
}

/* Where the caller did not pass one, the record names kslab's caller. */
static noinline void *alloc_under_lock(spinlock_t *lock, gfp_t gfp)
{
	void *p;

	spin_lock(lock);
	p = kslab_kmalloc(64, gfp);
	spin_unlock(lock);
	return p;
}

/*
 * GFP_KERNEL under a spinlock is recorded with its caller; GFP_ATOMIC
 * there never is. With DEBUG_ATOMIC_SLEEP the kernel would also splat;
 * kslab's record replaces that splat, so the console stays clean.
 */
static void test_sleep_rule_caller(struct kunit *test)
{
	static DEFINE_SPINLOCK(lock);
	char sym[KSYM_SYMBOL_LEN];
	struct kslab_violation v;
	unsigned long before;
	void *p;

	KSLAB_TEST_REQUIRES(test, IS_ENABLED(CONFIG_PREEMPT_COUNT));
	before = kslab_violation_count();
	p = alloc_under_lock(&lock, GFP_ATOMIC);
	KUNIT_EXPECT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, kslab_violation_count(), before);
	kslab_kfree(p);

	p = alloc_under_lock(&lock, GFP_KERNEL);
	KUNIT_EXPECT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, kslab_violation_count(), before + 1);
	KUNIT_ASSERT_TRUE(test, kslab_violation_last(&v));
	sprint_symbol_no_offset(sym, v.caller);
	/* The compiler may clone it: alloc_under_lock.constprop.0 */
	KUNIT_EXPECT_TRUE_MSG(test, strstarts(sym, "alloc_under_lock"),
			      "caller %s", sym);
	KUNIT_EXPECT_EQ(test, (__force unsigned int)v.gfp,
			(__force unsigned int)GFP_KERNEL);
	KUNIT_EXPECT_EQ(test, v.pid, task_pid_nr(current));
	kunit_info(test, "GFP_KERNEL under a spinlock: recorded from %pS in %s context (pid %d, %s); DEBUG_ATOMIC_SLEEP=%s\n",
		   (void *)v.caller, v.context, v.pid, v.comm,
		   IS_ENABLED(CONFIG_DEBUG_ATOMIC_SLEEP) ? "y" : "n");
	kslab_kfree(p);
}

static struct kunit_case gfp_test_cases[] = {
	KUNIT_CASE(test_sleep_rule_caller),
	KUNIT_CASE_PARAM(test_gfp_matrix, gfp_ctx_gen_params),
	KUNIT_CASE(test_gfp_dma_zone),
	KUNIT_CASE(test_gfp_scopes),
	KUNIT_CASE(test_gfp_bad_bits),
	{}
};

static struct kunit_suite gfp_test_suite = {
	.name = "kslab_gfp",
	.init = kslab_test_init,
	.exit = kslab_test_exit,
	.test_cases = gfp_test_cases,
};

kunit_test_suite(gfp_test_suite);
