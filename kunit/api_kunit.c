// SPDX-License-Identifier: GPL-2.0
/*
 * Suite kslab_api: krealloc, kzalloc, kcalloc, kmalloc_array, kfree and
 * kfree_sensitive behave like the real calls; bad frees are reported and
 * counted without harm.
 */
#include <linux/delay.h>
#include <linux/kasan.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "kslab_kunit.h"

/* === krealloc ========================================================== */

struct realloc_case {
	size_t old_size;	/* 0: start from NULL */
	size_t new_size;
};

/*
 * Shrinking and growing within ksize() keep the object, growing past it
 * moves it, NULL acts as kmalloc, 0 frees; on slab and large objects.
 * The byte sizes are large on 4K pages only; the last three rows cross
 * to and within the large path on every page size (KMALLOC_MAX_CACHE_SIZE
 * is two pages).
 */
static const struct realloc_case realloc_cases[] = {
	{ 100, 10 }, { 65, 90 }, { 64, 65 }, { 8, 4096 }, { 0, 50 },
	{ 200, 0 }, { 5000, 8192 }, { 5000, 9000 }, { 20000, 16384 },
	{ 20000, 100 }, { 16384, 40000 },
	{ KMALLOC_MAX_CACHE_SIZE, KMALLOC_MAX_CACHE_SIZE + 1 },
	{ 3 * PAGE_SIZE, 100 }, { 3 * PAGE_SIZE, 5 * PAGE_SIZE },
};

static void realloc_desc(const struct realloc_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%zu -> %zu", c->old_size,
		 c->new_size);
}

KUNIT_ARRAY_PARAM(realloc, realloc_cases, realloc_desc);

/* Fill @p with a pattern of @n bytes; check it back with @check. */
static bool pattern(u8 *p, size_t n, bool check)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!check)
			p[i] = (u8)(i * 7 + 3);
		else if (p[i] != (u8)(i * 7 + 3))
			return false;
	}
	return true;
}

static void test_krealloc_matches(struct kunit *test)
{
	const struct realloc_case *c = test->param_value;
	size_t keep = min(c->old_size, c->new_size);
	void *real = NULL, *mine = NULL, *real2, *mine2;

	if (c->old_size) {
		real = kslab_test_real_kmalloc(c->old_size, GFP_KERNEL);
		mine = kslab_kmalloc(c->old_size, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, real);
		KUNIT_ASSERT_NOT_NULL(test, mine);
		pattern(real, c->old_size, false);
		pattern(mine, c->old_size, false);
	}
	real2 = krealloc(real, c->new_size, GFP_KERNEL);
	mine2 = kslab_krealloc(mine, c->new_size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, real2);
	KUNIT_ASSERT_NOT_NULL(test, mine2);

	KUNIT_EXPECT_EQ_MSG(test, mine2 == mine, real2 == real,
			    "in-place decision differs");
	KUNIT_EXPECT_EQ(test, ZERO_OR_NULL_PTR(mine2), ZERO_OR_NULL_PTR(real2));
	if (!ZERO_OR_NULL_PTR(mine2)) {
		KUNIT_EXPECT_TRUE(test, pattern(mine2, keep, true));
		KUNIT_EXPECT_TRUE(test, pattern(real2, keep, true));
		KUNIT_EXPECT_EQ(test, kslab_ksize(mine2), ksize(real2));
	}
	kfree(real2);
	kslab_kfree(mine2);
}

/* === Zeroing =========================================================== */

/*
 * 64: kmalloc-64, the debug cache of the UML 6.1 and 7.3 boots. 8193 and
 * 20000 are large on 4K pages; 3 pages + 1 on every page size.
 */
static const size_t zero_sizes[] = { 1, 8, 24, 64, 72, 100, 192, 1000, 4097,
				     8192, 8193, 20000, 3 * PAGE_SIZE + 1 };

static void zero_desc(const size_t *size, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "size %zu", *size);
}

KUNIT_ARRAY_PARAM(zero, zero_sizes, zero_desc);

/* kzalloc zeroes all ksize() bytes, also of a recycled dirty object. */
static void test_kzalloc_zeroes_ksize(struct kunit *test)
{
	size_t size = *(const size_t *)test->param_value;
	void *real, *mine;

	/*
	 * The pointers are laundered: touching bytes past @size through the
	 * allocation's own pointer is what FORTIFY_SOURCE rightly traps.
	 */
	mine = kslab_kmalloc(size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, mine);
	OPTIMIZER_HIDE_VAR(mine);
	memset(mine, 0xa5, kslab_ksize(mine));
	kslab_kfree(mine);

	mine = kslab_kzalloc(size, GFP_KERNEL);
	real = kzalloc(size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, mine);
	KUNIT_ASSERT_NOT_NULL(test, real);
	OPTIMIZER_HIDE_VAR(mine);
	OPTIMIZER_HIDE_VAR(real);
	/* KASAN poisons past @size: ksize() no longer unpoisons (v6.2+). */
	kasan_disable_current();
	KUNIT_EXPECT_NULL(test, memchr_inv(real, 0,
					   kslab_test_zeroed(size, GFP_KERNEL,
							     ksize(real))));
	kasan_enable_current();
	KUNIT_EXPECT_NULL(test, memchr_inv(mine, 0,
					   kslab_test_zeroed(size, GFP_KERNEL,
							     kslab_ksize(mine))));
	KUNIT_EXPECT_EQ(test, kslab_ksize(mine), ksize(real));
	kfree(real);
	kslab_kfree(mine);
}

/*
 * kmalloc() without __GFP_ZERO under init_on_alloc zeroes exactly where
 * the real one does: not on a SLAB_POISON cache (slub_debug=P), where
 * slab_want_init_on_alloc() leaves the poison. Each object is dirtied
 * and freed first, so a recycled one cannot look zeroed by chance.
 */
static void test_init_on_alloc_matches(struct kunit *test)
{
	size_t size = *(const size_t *)test->param_value;
	u8 *real, *mine;
	bool rz, mz;
	int round;

	if (!want_init_on_alloc(0))
		kunit_skip(test, "init_on_alloc is off");
	for (round = 0; round < 2; round++) {
		real = kmalloc(size, GFP_KERNEL);
		mine = kslab_kmalloc(size, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, real);
		KUNIT_ASSERT_NOT_NULL(test, mine);
		if (round)
			break;
		memset(real, 0xa5, size);
		memset(mine, 0xa5, size);
		kfree(real);
		kslab_kfree(mine);
	}
	OPTIMIZER_HIDE_VAR(real);
	OPTIMIZER_HIDE_VAR(mine);
	rz = !memchr_inv(real, 0, size);
	mz = !memchr_inv(mine, 0, size);
	KUNIT_EXPECT_EQ_MSG(test, mz, rz, "kmalloc(%zu) zeroed: kslab %d, kernel %d",
			    size, mz, rz);
	kfree(real);
	kslab_kfree(mine);
}

/* === Arrays ============================================================ */

static void test_array_overflow(struct kunit *test)
{
	size_t n = SIZE_MAX / 2 + 1, size = 2;
	void *real, *mine;

	KUNIT_EXPECT_NULL(test, kcalloc(n, size, GFP_KERNEL));
	KUNIT_EXPECT_NULL(test, kslab_kcalloc(n, size, GFP_KERNEL));
	KUNIT_EXPECT_NULL(test, kmalloc_array(n, size, GFP_KERNEL));
	KUNIT_EXPECT_NULL(test, kslab_kmalloc_array(n, size, GFP_KERNEL));

	/* Just below the overflow, both go on to the size checks. */
	n = 3;
	size = 33;
	real = kcalloc(n, size, GFP_KERNEL);
	mine = kslab_kcalloc(n, size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, real);
	KUNIT_ASSERT_NOT_NULL(test, mine);
	OPTIMIZER_HIDE_VAR(mine);
	KUNIT_EXPECT_EQ(test, kslab_ksize(mine), ksize(real));
	KUNIT_EXPECT_NULL(test, memchr_inv(mine, 0,
					   kslab_test_zeroed(n * size, GFP_KERNEL,
							     kslab_ksize(mine))));
	kfree(real);
	kslab_kfree(mine);

	real = kmalloc_array(n, size, GFP_KERNEL);
	mine = kslab_kmalloc_array(n, size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, real);
	KUNIT_ASSERT_NOT_NULL(test, mine);
	KUNIT_EXPECT_EQ(test, kslab_ksize(mine), ksize(real));
	kfree(real);
	kslab_kfree(mine);
}

/* === Frees ============================================================= */

/* kfree(NULL) and kfree(ZERO_SIZE_PTR) do nothing, silently. */
static void test_kfree_null(struct kunit *test)
{
	unsigned long before = kslab_report_total();

	kfree(NULL);
	kfree(ZERO_SIZE_PTR);
	kslab_kfree(NULL);
	kslab_kfree(ZERO_SIZE_PTR);
	kslab_kfree_sensitive(NULL);
	KUNIT_EXPECT_EQ(test, kslab_ksize(ZERO_SIZE_PTR), ksize(ZERO_SIZE_PTR));
	KUNIT_EXPECT_EQ(test, kslab_report_total(), before);
}

/* kfree_sensitive clears all ksize() bytes before the free. */
static void test_kfree_sensitive_clears(struct kunit *test)
{
	struct kslab_cache *s;
	u8 *p, *keep;

	/* @keep pins the slab, so @p's page stays kslab's to read. */
	keep = kslab_kmalloc(100, GFP_KERNEL);
	p = kslab_kmalloc(100, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, keep);
	KUNIT_ASSERT_NOT_NULL(test, p);
	OPTIMIZER_HIDE_VAR(p);
	s = kslab_cache_of(100, GFP_KERNEL, 0);
	memset(p, 0x5a, kslab_ksize(p));
	kslab_kfree_sensitive(p);
	/*
	 * kslab's own freed object: only the free pointer was written inside
	 * it (debug metadata past object_size keeps its tracks).
	 */
	KUNIT_EXPECT_NULL(test, memchr_inv(p, 0, min(s->geom.offset,
						     s->geom.object_size)));
	if (s->geom.offset + sizeof(void *) < s->geom.object_size)
		KUNIT_EXPECT_NULL(test,
				  memchr_inv(p + s->geom.offset + sizeof(void *),
					     0, s->geom.object_size -
					     s->geom.offset - sizeof(void *)));
	kslab_kfree(keep);
}

/* Foreign, interior and double frees are reported, counted and ignored. */
static void test_bad_frees_reported(struct kunit *test)
{
	enum kslab_report_item items[] = { KSLAB_REPORT_INVALID_FREE,
		KSLAB_REPORT_INTERIOR_FREE, KSLAB_REPORT_DOUBLE_FREE };
	unsigned long before[ARRAY_SIZE(items)];
	void *foreign, *mine, *again, *large;
	int i;

	for (i = 0; i < ARRAY_SIZE(items); i++)
		before[i] = kslab_report_count(items[i]);

	foreign = kmalloc(64, GFP_KERNEL);
	mine = kslab_kmalloc(64, GFP_KERNEL);
	large = kslab_kmalloc(3 * PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, foreign);
	KUNIT_ASSERT_NOT_NULL(test, mine);
	KUNIT_ASSERT_NOT_NULL(test, large);

	kslab_kfree(foreign);			/* invalid */
	kslab_kfree(mine + 8);			/* interior */
	kslab_kfree(large + PAGE_SIZE);		/* interior */
	kslab_kfree(mine);
	kslab_kfree(mine);			/* double */
	kslab_kfree(large);
	kslab_kfree(large);			/* double (now foreign) */

	KUNIT_EXPECT_EQ(test, kslab_report_count(items[0]), before[0] + 1 + 1);
	KUNIT_EXPECT_EQ(test, kslab_report_count(items[1]), before[1] + 2);
	KUNIT_EXPECT_EQ(test, kslab_report_count(items[2]), before[2] + 1);

	/* The freelist survived: the object comes back once, not twice. */
	mine = kslab_kmalloc(64, GFP_KERNEL);
	again = kslab_kmalloc(64, GFP_KERNEL);
	KUNIT_EXPECT_PTR_NE(test, mine, again);
	kslab_kfree(mine);
	kslab_kfree(again);
	kfree(foreign);
}

/*
 * The findings counters as include/kslab.h gives them to user modules:
 * the total is the sum of the kinds, and a kind out of range is answered,
 * never used as an index.
 */
static void test_report_counters(struct kunit *test)
{
	unsigned long sum = 0;
	unsigned int i;

	for (i = 0; i < KSLAB_NR_REPORT_ITEMS; i++)
		sum += kslab_report_count(i);
	KUNIT_EXPECT_EQ(test, kslab_report_total(), sum);
	KUNIT_EXPECT_STREQ(test, kslab_report_name(KSLAB_REPORT_DOUBLE_FREE),
			   "double-free");
	KUNIT_EXPECT_EQ(test, kslab_report_count(KSLAB_NR_REPORT_ITEMS), 0UL);
	KUNIT_EXPECT_EQ(test, kslab_report_count((enum kslab_report_item)-1),
			0UL);
	KUNIT_EXPECT_STREQ(test, kslab_report_name(KSLAB_NR_REPORT_ITEMS),
			   "unknown");
}

/* === Contexts ========================================================== */

struct round_trip {
	bool ok;
	bool in_ctx;		/* kslab saw an atomic context */
	bool hardirq, softirq, irqs_off;	/* What the kernel says */
};

/* One GFP_ATOMIC slab and large round trip, beside the real kmalloc. */
static void atomic_round_trip(void *arg)
{
	struct round_trip *rt = arg;
	u8 *small = kslab_kmalloc(64, GFP_ATOMIC);
	u8 *large = kslab_kmalloc(3 * PAGE_SIZE, GFP_ATOMIC);
	void *real = kslab_test_real_kmalloc(64, GFP_ATOMIC);

	rt->hardirq = in_hardirq();
	rt->softirq = in_serving_softirq();
	rt->irqs_off = irqs_disabled();
	rt->in_ctx = kslab_atomic_context();
	rt->ok = small && large && real &&
		 kslab_ksize(small) == ksize(real) &&
		 kslab_ksize(large) == kmalloc_size_roundup(3 * PAGE_SIZE);
	if (small && large) {
		/* The objects are whole and nobody else's. */
		memset(small, 0x3c, 64);
		memset(large, 0x3c, 3 * PAGE_SIZE);
		rt->ok &= !memchr_inv(small, 0x3c, 64) &&
			  !memchr_inv(large, 0x3c, 3 * PAGE_SIZE);
	}
	kfree(real);
	kslab_kfree(small);
	kslab_kfree(large);
}

/*
 * The locks are right for every context: process, a spinlock held, IRQs
 * off, softirq and hardirq; GFP_ATOMIC works and is never recorded.
 */
static void test_any_context(struct kunit *test)
{
	unsigned long before = kslab_violation_count();
	struct round_trip rt;
	int ctx;

	for (ctx = 0; ctx < KSLAB_NR_CTX; ctx++) {
		if (kslab_test_ctx_rt_rule(ctx)) {
			kunit_info(test, "%s skipped: %s\n",
				   kslab_test_ctx_names[ctx],
				   kslab_test_ctx_rt_rule(ctx));
			continue;
		}
		memset(&rt, 0, sizeof(rt));
		kslab_test_run_in(ctx, atomic_round_trip, &rt);
		KUNIT_EXPECT_TRUE_MSG(test, rt.ok, "in %s",
				      kslab_test_ctx_names[ctx]);
		/* The context was real: the kernel's own predicates. */
		KUNIT_EXPECT_EQ_MSG(test, rt.hardirq, ctx == KSLAB_CTX_HARDIRQ,
				    "in_hardirq() in %s",
				    kslab_test_ctx_names[ctx]);
		/*
		 * The hrtimer's interrupt may arrive while its CPU serves a
		 * softirq: in hardirq, in_serving_softirq() can be either.
		 */
		if (ctx != KSLAB_CTX_HARDIRQ)
			KUNIT_EXPECT_EQ_MSG(test, rt.softirq,
					    ctx == KSLAB_CTX_SOFTIRQ,
					    "in_serving_softirq() in %s",
					    kslab_test_ctx_names[ctx]);
		if (ctx == KSLAB_CTX_IRQS_OFF || ctx == KSLAB_CTX_HARDIRQ)
			KUNIT_EXPECT_TRUE_MSG(test, rt.irqs_off, "in %s",
					      kslab_test_ctx_names[ctx]);
		if (ctx == KSLAB_CTX_HARDIRQ || ctx == KSLAB_CTX_SOFTIRQ ||
		    ctx == KSLAB_CTX_IRQS_OFF)
			KUNIT_EXPECT_TRUE_MSG(test, rt.in_ctx, "in %s",
					      kslab_test_ctx_names[ctx]);
	}
	KUNIT_EXPECT_EQ(test, kslab_violation_count(), before);
}

struct rt_forbidden {
	void *keep;		/* Allocated in process context */
	void *got;		/* What an allocation in hardirq returned */
};

static void rt_forbidden_calls(void *arg)
{
	struct rt_forbidden *f = arg;

	f->got = kslab_kmalloc(64, GFP_ATOMIC);
	kslab_kfree(f->keep);
}

/*
 * PREEMPT_RT: in hardirq, an allocation is refused (NULL) and a free is
 * queued for a thread, each with an atomic-sleep report; nothing is lost.
 */
static void test_rt_forbidden(struct kunit *test)
{
	struct kslab_cache *s = kslab_cache_of(64, GFP_KERNEL, 0);
	unsigned long before = kslab_report_count(KSLAB_REPORT_ATOMIC_SLEEP);
	struct rt_forbidden f = { };
	unsigned long live;
	int i;

	KSLAB_TEST_REQUIRES(test, IS_ENABLED(CONFIG_PREEMPT_RT));
	f.keep = kslab_kmalloc(64, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, f.keep);
	live = kslab_cache_active(s);
	kslab_test_run_in(KSLAB_CTX_HARDIRQ, rt_forbidden_calls, &f);
	KUNIT_EXPECT_NULL(test, f.got);
	KUNIT_EXPECT_EQ(test, kslab_report_count(KSLAB_REPORT_ATOMIC_SLEEP),
			before + 2);
	/* The irq_work thread does the free. */
	for (i = 0; i < 50 && kslab_cache_active(s) >= live; i++)
		msleep(20);
	KUNIT_EXPECT_EQ(test, kslab_cache_active(s), live - 1);
}

struct rt_defer {
	struct kslab_cache *c;
	void *obj, *large;
};

/* Each freed twice where PREEMPT_RT forbids the locks. */
static void rt_defer_calls(void *arg)
{
	struct rt_defer *d = arg;

	kslab_cache_free(d->c, d->obj);
	kslab_cache_free(d->c, d->obj);
	kslab_kfree(d->large);
	kslab_kfree(d->large);
}

static void rt_ctor(void *p)
{
	memset(p, 0x3c, 64);
}

/*
 * Deferred frees (kslab/api/defer.c): a second free of a queued object
 * or large allocation is a double free, never queued twice (which looped
 * the drain); the queue links outside the object of a
 * SLAB_TYPESAFE_BY_RCU cache with a constructor, whose contents readers
 * may still see; and a destroy at once waits for the queue (it found the
 * object live, -EBUSY, and the free then ran on the destroyed cache).
 */
static void test_rt_deferred(struct kunit *test)
{
	unsigned long dbl = kslab_report_count(KSLAB_REPORT_DOUBLE_FREE);
	struct rt_defer d = { };
	u8 *obj;

	KSLAB_TEST_REQUIRES(test, IS_ENABLED(CONFIG_PREEMPT_RT));
	d.c = kslab_cache_create("kslab-rt-defer", 64, 0, SLAB_TYPESAFE_BY_RCU,
				 rt_ctor);
	KUNIT_ASSERT_NOT_NULL(test, d.c);
	d.obj = kslab_cache_alloc(d.c, GFP_KERNEL);
	d.large = kslab_kmalloc(KSLAB_MAX_CACHE_SIZE + 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, d.obj);
	KUNIT_ASSERT_NOT_NULL(test, d.large);
	obj = d.obj;
	kslab_test_run_in(KSLAB_CTX_HARDIRQ, rt_defer_calls, &d);
	KUNIT_EXPECT_EQ(test, kslab_report_count(KSLAB_REPORT_DOUBLE_FREE),
			dbl + 2);
	/* SLAB_TYPESAFE_BY_RCU: still of its type, as its ctor left it. */
	rcu_read_lock();
	KUNIT_EXPECT_NULL(test, memchr_inv(obj, 0x3c, 64));
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, kslab_cache_destroy(d.c), 0);
}

#if KSLAB_HAVE_NOLOCK
struct nolock_trip {
	bool forbidden;		/* kslab_locks_forbidden() there */
	bool real, mine;	/* 64 bytes served */
	bool realz, minez;	/* 100 bytes with __GFP_ZERO served */
	bool ksize;		/* The same ksize(), where both served */
	bool zero;		/* __GFP_ZERO: the request zeroed alike */
	bool edges;		/* 0 and KMALLOC_MAX_CACHE_SIZE + 1 alike */
};

static void nolock_round_trip(void *arg)
{
	struct nolock_trip *t = arg;
	void *r = kmalloc_nolock(64, 0, NUMA_NO_NODE);
	void *m = kslab_kmalloc_nolock(64, 0, NUMA_NO_NODE);
	void *rz = kmalloc_nolock(100, __GFP_ZERO, NUMA_NO_NODE);
	void *mz = kslab_kmalloc_nolock(100, __GFP_ZERO, NUMA_NO_NODE);

	t->forbidden = kslab_locks_forbidden();
	t->real = r;
	t->mine = m;
	t->realz = rz;
	t->minez = mz;
	t->ksize = !r || !m || ksize(r) == kslab_ksize(m);
	/* The request only: FORTIFY_SOURCE knows it (__alloc_size). */
	t->zero = !rz || !mz || (ksize(rz) == kslab_ksize(mz) &&
				 !memchr_inv(rz, 0, 100) &&
				 !memchr_inv(mz, 0, 100));
	t->edges = kmalloc_nolock(0, 0, NUMA_NO_NODE) == ZERO_SIZE_PTR &&
		   kslab_kmalloc_nolock(0, 0, NUMA_NO_NODE) == ZERO_SIZE_PTR &&
		   !kmalloc_nolock(KMALLOC_MAX_CACHE_SIZE + 1, 0, NUMA_NO_NODE) &&
		   !kslab_kmalloc_nolock(KMALLOC_MAX_CACHE_SIZE + 1, 0,
					 NUMA_NO_NODE);
	kfree_nolock(r);
	kfree_nolock(rz);
	kslab_kfree_nolock(m);
	kslab_kfree_nolock(mz);
}

/*
 * kmalloc_nolock()/kfree_nolock() against kslab's, in every context:
 * where kslab may take its locks, served exactly where the kernel serves
 * (a cache with the double-word cmpxchg, or a debug cache: none but the
 * debug ones on UML), with the kernel's ksize(), zeroing and edge cases;
 * refused (NULL) where it may not; no report; every object freed, the
 * queued ones by the irq_work.
 */
static void test_nolock(struct kunit *test)
{
	unsigned long before = kslab_violation_count();
	struct kslab_cache *c64 = kslab_cache_of(64, 0, 0);
	struct kslab_cache *c128 = kslab_cache_of(100, 0, 0);
	unsigned long live = kslab_cache_active(c64) + kslab_cache_active(c128);
	struct nolock_trip t;
	int ctx, i;

	for (ctx = 0; ctx < KSLAB_NR_CTX; ctx++) {
		const char *name = kslab_test_ctx_names[ctx];

		memset(&t, 0, sizeof(t));
		kslab_test_run_in(ctx, nolock_round_trip, &t);
		KUNIT_EXPECT_TRUE_MSG(test, t.edges, "0 and oversize, in %s", name);
		if (t.forbidden) {
			KUNIT_EXPECT_FALSE_MSG(test, t.mine, "in %s", name);
			kunit_info(test, "%s: kslab refuses (its locks), the kernel %s\n",
				   name, t.real ? "served" : "refused too");
			continue;
		}
		KUNIT_EXPECT_EQ_MSG(test, t.mine, t.real, "64 bytes in %s", name);
		KUNIT_EXPECT_EQ_MSG(test, t.minez, t.realz,
				    "100 bytes, __GFP_ZERO, in %s", name);
		if (!ctx)
			kunit_info(test, "kmalloc_nolock(): 64 bytes %s, 100 bytes %s\n",
				   t.real ? "served" : "refused",
				   t.realz ? "served" : "refused");
		KUNIT_EXPECT_TRUE_MSG(test, t.ksize, "ksize() in %s", name);
		KUNIT_EXPECT_TRUE_MSG(test, t.zero, "__GFP_ZERO in %s", name);
	}
	KUNIT_EXPECT_EQ(test, kslab_violation_count(), before);
	for (i = 0; i < 50 && kslab_cache_active(c64) +
			      kslab_cache_active(c128) > live; i++)
		msleep(20);
	KUNIT_EXPECT_EQ_MSG(test, kslab_cache_active(c64) +
			    kslab_cache_active(c128), live,
			    "objects left after the queued frees");
}
#else
static void test_nolock(struct kunit *test)
{
	kunit_skip(test, "no kmalloc_nolock() in this kernel");
}
#endif

/* Distinct folios among the @n objects of @p. */
static unsigned int nr_folios(void **p, unsigned int n)
{
	unsigned int i, j, nr = 0;

	for (i = 0; i < n; i++) {
		for (j = 0; j < i; j++)
			if (virt_to_folio(p[j]) == virt_to_folio(p[i]))
				break;
		nr += j == i;
	}
	return nr;
}

#define NODE_RUN	8	/* Below any 64-byte cache's objects per slab */

/*
 * An allocation for this CPU's own node keeps to the cpu slab, as SLUB's
 * node_match() lets it: NODE_RUN _node allocations from a fresh cache take
 * one slab on the real allocator, so they must on kslab too (a node_match()
 * that failed would drop the cpu slab at every call and take a new slab
 * each time). Then kmalloc_node(), with the size class's ksize() and, on a
 * machine of one node, the node of the object's page.
 */
static void test_kmalloc_node(struct kunit *test)
{
	void *real[NODE_RUN] = {}, *mine[NODE_RUN] = {}, *rk, *mk;
	struct kslab_cache *s;
	struct kmem_cache *rc;
	unsigned int i;
	int node;

	s = kslab_cache_create("kslab_node_test", 64, 0, 0, NULL);
	rc = kmem_cache_create("kslab_node_test_real", 64, 0,
			       KSLAB_REAL_NO_MERGE, NULL);
	if (!s || !rc) {
		kslab_cache_destroy(s);
		kmem_cache_destroy(rc);
		KUNIT_FAIL(test, "cache creation failed");
		return;
	}
	migrate_disable();
	node = numa_node_id();
	for (i = 0; i < NODE_RUN; i++) {
		real[i] = kmem_cache_alloc_node(rc, GFP_KERNEL, node);
		mine[i] = kslab_cache_alloc_node(s, GFP_KERNEL, node);
	}
	migrate_enable();
	for (i = 0; i < NODE_RUN; i++) {
		KUNIT_EXPECT_NOT_NULL(test, real[i]);
		KUNIT_EXPECT_NOT_NULL(test, mine[i]);
		if (!real[i] || !mine[i])
			goto out;
	}
	KUNIT_EXPECT_EQ_MSG(test, nr_folios(mine, NODE_RUN),
			    nr_folios(real, NODE_RUN),
			    "slabs taken by %u allocations for node %d",
			    NODE_RUN, node);
	/*
	 * Without SLAB_FREELIST_RANDOM, the same objects in the same order
	 * (KASAN gives the real objects its own stride).
	 */
	if (!IS_ENABLED(CONFIG_SLAB_FREELIST_RANDOM) && !KSLAB_TEST_KASAN)
		for (i = 1; i < NODE_RUN; i++)
			KUNIT_EXPECT_EQ_MSG(test, mine[i] - mine[0],
					    real[i] - real[0],
					    "allocation %u for node %d", i, node);
	if (num_online_nodes() == 1)
		for (i = 0; i < NODE_RUN; i++)
			KUNIT_EXPECT_EQ(test, folio_nid(virt_to_folio(mine[i])),
					node);
out:
	for (i = 0; i < NODE_RUN; i++) {
		if (real[i])
			kmem_cache_free(rc, real[i]);
		if (mine[i])
			kslab_cache_free(s, mine[i]);
	}
	kslab_cache_destroy(s);
	kmem_cache_destroy(rc);

	rk = kmalloc_node(100, GFP_KERNEL, node);
	mk = kslab_kmalloc_node(100, GFP_KERNEL, node);
	KUNIT_ASSERT_NOT_NULL(test, rk);
	KUNIT_ASSERT_NOT_NULL(test, mk);
	KUNIT_EXPECT_EQ(test, kslab_ksize(mk), ksize(rk));
	kfree(rk);
	kslab_kfree(mk);
}

static struct kunit_case api_test_cases[] = {
	KUNIT_CASE(test_any_context),
	KUNIT_CASE(test_kmalloc_node),
	KUNIT_CASE_PARAM(test_krealloc_matches, realloc_gen_params),
	KUNIT_CASE_PARAM(test_kzalloc_zeroes_ksize, zero_gen_params),
	KUNIT_CASE_PARAM(test_init_on_alloc_matches, zero_gen_params),
	KUNIT_CASE(test_array_overflow),
	KUNIT_CASE(test_kfree_null),
	KUNIT_CASE(test_kfree_sensitive_clears),
	KUNIT_CASE(test_bad_frees_reported),
	KUNIT_CASE(test_report_counters),
	KUNIT_CASE(test_rt_forbidden),
	KUNIT_CASE(test_rt_deferred),
	KUNIT_CASE(test_nolock),
	{}
};

static struct kunit_suite api_test_suite = {
	.name = "kslab_api",
	.init = kslab_test_init,
	.exit = kslab_test_exit,
	.test_cases = api_test_cases,
};

kunit_test_suite(api_test_suite);
