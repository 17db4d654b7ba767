// SPDX-License-Identifier: GPL-2.0
/*
 * Suite kslab_debug: each debug finding on a lookaside cache (double
 * free, red-zone overwrite, write after free caught by poison, corrupt
 * free pointer, foreign, interior and wrong-cache frees, a large kmalloc
 * freed through a cache) is one report with the right fields, one count in
 * violations, and a quarantined object that is never handed out again.
 * The tests read kslab's KUnit resource, never the console.
 */
#include <linux/mm.h>
#include <linux/poison.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "kslab_kunit.h"

#define DBG_FLAGS	(SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER)

struct dbg {
	struct kslab_findings *fs;
	unsigned long before[KSLAB_NR_REPORT_ITEMS];
};

static void dbg_start(struct kunit *test, struct dbg *d)
{
	unsigned int i;

	d->fs = kslab_test_findings(test);
	for (i = 0; i < KSLAB_NR_REPORT_ITEMS; i++)
		d->before[i] = kslab_report_count(i);
}

/*
 * Exactly one finding, @item, was made since dbg_start(): in the test's
 * resource and in the violations counters; its record names @object and
 * @cache.
 */
static struct kslab_violation *expect_one(struct kunit *test, struct dbg *d,
					  enum kslab_report_item item,
					  const void *object, const char *cache)
{
	struct kslab_violation *v = &d->fs->last[item];
	unsigned int i;

	for (i = 0; i < KSLAB_NR_REPORT_ITEMS; i++) {
		unsigned int want = i == item;

		KUNIT_EXPECT_EQ_MSG(test, d->fs->count[i], want,
				    "%s findings", kslab_report_name(i));
		KUNIT_EXPECT_EQ_MSG(test, kslab_report_count(i) - d->before[i],
				    (unsigned long)want, "%s counter",
				    kslab_report_name(i));
	}
	KUNIT_EXPECT_PTR_EQ(test, v->object, object);
	KUNIT_EXPECT_STREQ(test, v->cache, cache);
	return v;
}

/* Allocate @n objects of @s: none of them may be @bad. */
static void expect_never_again(struct kunit *test, struct kslab_cache *s,
			       const void *bad, unsigned int n)
{
	void **p = kunit_kcalloc(test, n, sizeof(*p), GFP_KERNEL);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_EQ(test, kslab_cache_alloc_bulk(s, GFP_KERNEL, n, p),
			(int)n);
	for (i = 0; i < n; i++)
		KUNIT_EXPECT_PTR_NE_MSG(test, p[i], bad,
					"a quarantined object came back");
	kslab_cache_free_bulk(s, n, p);
}

static struct kslab_cache *dbg_cache(struct kunit *test, const char *name,
				     unsigned int size, slab_flags_t flags)
{
	struct kslab_cache *s = kslab_cache_create(name, size, 0, flags, NULL);

	KUNIT_ASSERT_NOT_NULL(test, s);
	return s;
}

/* === Tests ============================================================= */

static void test_double_free(struct kunit *test)
{
	struct kslab_cache *s = dbg_cache(test, "kslab_dbl", 40, DBG_FLAGS);
	struct kslab_violation *v;
	struct dbg d;
	void *p, *q;

	p = kslab_cache_alloc(s, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	kslab_cache_free(s, p);
	dbg_start(test, &d);
	kslab_cache_free(s, p);
	v = expect_one(test, &d, KSLAB_REPORT_DOUBLE_FREE, p, "kslab_dbl");
	KUNIT_EXPECT_TRUE_MSG(test, kslab_test_site_is(v->caller, "test_double_free"),
			      "caller %pS", (void *)v->caller);

	/* The freelist holds p once: two allocations differ. */
	p = kslab_cache_alloc(s, GFP_KERNEL);
	q = kslab_cache_alloc(s, GFP_KERNEL);
	KUNIT_EXPECT_PTR_NE(test, p, q);
	kslab_cache_free(s, p);
	kslab_cache_free(s, q);
	KUNIT_EXPECT_EQ(test, kslab_cache_destroy(s), 0);
}

/* Right and left red zones, checked when the object is freed. */
static noinline void red_zone_case(struct kunit *test, int off, const char *fn)
{
	struct kslab_cache *s = dbg_cache(test, "kslab_rz", 24,
					  SLAB_RED_ZONE | SLAB_STORE_USER);
	struct kslab_violation *v;
	struct dbg d;
	u8 *p;

	p = kslab_cache_alloc(s, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	dbg_start(test, &d);
	OPTIMIZER_HIDE_VAR(p);
	p[off] = 0x41;
	kslab_cache_free(s, p);

	v = expect_one(test, &d, KSLAB_REPORT_RED_ZONE, p, "kslab_rz");
	KUNIT_EXPECT_EQ(test, v->offset, off);
	KUNIT_EXPECT_EQ(test, v->found, 0x41);
	KUNIT_EXPECT_EQ(test, v->expected, SLUB_RED_ACTIVE);
	KUNIT_EXPECT_TRUE_MSG(test, kslab_test_site_is(v->caller, fn),
			      "caller %pS", (void *)v->caller);
	KUNIT_EXPECT_TRUE_MSG(test, kslab_test_site_is(v->alloc_addr, fn),
			      "allocated at %pS", (void *)v->alloc_addr);
	KUNIT_EXPECT_EQ(test, kslab_test_count(s, quarantined), 1UL);
	KUNIT_EXPECT_EQ(test, kslab_cache_active(s), 0UL);
	expect_never_again(test, s, p, 2 * s->geom.objects);
	KUNIT_EXPECT_EQ_MSG(test, kslab_cache_destroy(s), 0,
			    "a quarantined object is not a leak");
}

static void test_red_zone_right(struct kunit *test)
{
	red_zone_case(test, 24, "red_zone_case");
}

static void test_red_zone_left(struct kunit *test)
{
	red_zone_case(test, -1, "red_zone_case");
}

/* A write after free breaks the poison; the next allocation sees it. */
static void test_poison_use_after_free(struct kunit *test)
{
	struct kslab_cache *s = dbg_cache(test, "kslab_uaf", 64,
					  SLAB_POISON | SLAB_STORE_USER);
	struct kslab_violation *v;
	struct dbg d;
	u8 *p, *q;

	p = kslab_cache_alloc(s, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	kslab_cache_free(s, p);
	dbg_start(test, &d);
	OPTIMIZER_HIDE_VAR(p);
	p[3] = 0x41;				/* use after free */
	q = kslab_cache_alloc(s, GFP_KERNEL);	/* p is next on the freelist */
	KUNIT_ASSERT_NOT_NULL(test, q);
	KUNIT_EXPECT_PTR_NE(test, q, p);

	v = expect_one(test, &d, KSLAB_REPORT_POISON, p, "kslab_uaf");
	KUNIT_EXPECT_EQ(test, v->offset, 3);
	KUNIT_EXPECT_EQ(test, v->found, 0x41);
	KUNIT_EXPECT_EQ(test, v->expected, POISON_FREE);
	KUNIT_EXPECT_TRUE_MSG(test, kslab_test_site_is(v->free_addr,
						       "test_poison_use_after_free"),
			      "freed at %pS", (void *)v->free_addr);
	KUNIT_EXPECT_TRUE_MSG(test, kslab_test_site_is(v->alloc_addr,
						       "test_poison_use_after_free"),
			      "allocated at %pS", (void *)v->alloc_addr);
	KUNIT_EXPECT_EQ(test, kslab_test_count(s, quarantined), 1UL);
	kslab_cache_free(s, q);
	expect_never_again(test, s, p, 2 * s->geom.objects);
	KUNIT_EXPECT_EQ(test, kslab_cache_destroy(s), 0);
}

/* A free pointer overwritten after free is caught, the freelist rebuilt. */
static void test_freelist_corrupt(struct kunit *test)
{
	struct kslab_cache *s = dbg_cache(test, "kslab_fp", 64,
					  SLAB_STORE_USER);
	struct kslab_violation *v;
	struct dbg d;
	void *p, *q, *r;

	KUNIT_ASSERT_LT(test, s->geom.offset, 64U);	/* inside the object */
	p = kslab_cache_alloc(s, GFP_KERNEL);
	q = kslab_cache_alloc(s, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_NOT_NULL(test, q);
	kslab_cache_free(s, p);
	dbg_start(test, &d);
	OPTIMIZER_HIDE_VAR(p);
	*(unsigned long *)(p + s->geom.offset) = 0x1234;
	r = kslab_cache_alloc(s, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_EXPECT_PTR_NE(test, r, p);
	v = expect_one(test, &d, KSLAB_REPORT_FREELIST, p, "kslab_fp");
	KUNIT_EXPECT_EQ(test, v->offset, (int)s->geom.offset);
	kslab_cache_free(s, q);
	kslab_cache_free(s, r);
	expect_never_again(test, s, p, 2 * s->geom.objects);
	KUNIT_EXPECT_EQ(test, kslab_cache_destroy(s), 0);
}

/*
 * The commonest driver bug on a cache with cpu slabs (v6.x) or sheaves
 * (v7.x): a write after free over a free object's free pointer. The
 * object goes back to its slab's freelist (the shrink's flush), its free
 * pointer is overwritten, and allocations then walk that freelist. The
 * bad pointer is caught where it is popped, reported once, and never
 * followed or written through: the live object it names is left intact
 * and never handed out twice, and the destroy returns every page.
 */
static const char *const fp_kinds[] = {
	"interior of a live object", "a live object", "itself", "wild",
};

static void fp_kind_desc(const char *const *kind, char *desc)
{
	strscpy(desc, *kind, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(fp_kind, fp_kinds, fp_kind_desc);

static void test_freeptr_overwritten(struct kunit *test)
{
	const char *const *kp = test->param_value;
	unsigned int kind = kp - fp_kinds;
	struct kslab_cache *s = dbg_cache(test, "kslab_fp_fast", 64, 0);
	unsigned int n, i;
	void **objs, *bad;
	struct dbg d;
	u8 *p, *q;

	if (s->cpu_slabs_off) {
		kslab_cache_destroy(s);
		kunit_skip(test, "a debug cache (slub_debug=): test_freelist_corrupt");
	}
	KUNIT_ASSERT_LE(test, s->geom.offset + sizeof(void *), 64U);
	n = 2 * s->geom.objects;
	objs = kunit_kcalloc(test, n, sizeof(*objs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, objs);

	/* One CPU from the allocations to the flush: p is its freelist head. */
	migrate_disable();
	p = kslab_cache_alloc(s, GFP_KERNEL);
	q = kslab_cache_alloc(s, GFP_KERNEL);
	migrate_enable();
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_NOT_NULL(test, q);
	memset(q, 0x5a, 64);
	kslab_cache_free(s, p);
	kslab_cache_shrink(s);	/* p back on its slab's freelist, q live */

	bad = kind == 0 ? (void *)(q + 8) : kind == 1 ? (void *)q :
	      kind == 2 ? (void *)p : (void *)0x1234;
	dbg_start(test, &d);
	OPTIMIZER_HIDE_VAR(p);
	*(void **)(p + s->geom.offset) = bad;	/* use after free */

	for (i = 0; i < n; i++) {
		objs[i] = kslab_cache_alloc(s, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, objs[i]);
		KUNIT_EXPECT_PTR_NE_MSG(test, objs[i], (void *)q,
					"%s: a live object handed out again",
					fp_kinds[kind]);
		KUNIT_EXPECT_PTR_NE(test, objs[i], (void *)(q + 8));
	}
	expect_one(test, &d, KSLAB_REPORT_FREELIST, bad, "kslab_fp_fast");
	KUNIT_EXPECT_GT(test, kslab_test_count(s, quarantined), 0UL);
	KUNIT_EXPECT_NULL_MSG(test, memchr_inv(q, 0x5a, 64),
			      "%s: the live object was written", fp_kinds[kind]);
	for (i = 0; i < n; i++)
		kslab_cache_free(s, objs[i]);
	kslab_cache_free(s, q);
	KUNIT_EXPECT_EQ(test, kslab_cache_destroy(s), 0);
}

/* Memory kslab never handed out: reported, left alone. */
static void test_foreign_pointer(struct kunit *test)
{
	struct kslab_cache *s = dbg_cache(test, "kslab_foreign", 64, DBG_FLAGS);
	struct dbg d;
	u8 *real;

	real = kslab_test_real_kmalloc(64, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, real);
	memset(real, 0x11, 64);
	dbg_start(test, &d);
	kslab_cache_free(s, real);
	expect_one(test, &d, KSLAB_REPORT_INVALID_FREE, real, "kslab_foreign");
	KUNIT_EXPECT_NULL(test, memchr_inv(real, 0x11, 64));
	kfree(real);
	KUNIT_EXPECT_EQ(test, kslab_cache_destroy(s), 0);
}

/* Freed through another cache: reported, freed to its own (hardened). */
static void test_wrong_cache(struct kunit *test)
{
	struct kslab_cache *a = dbg_cache(test, "kslab_a", 64, DBG_FLAGS);
	struct kslab_cache *b = dbg_cache(test, "kslab_b", 64, DBG_FLAGS);
	struct dbg d;
	void *p;

	p = kslab_cache_alloc(a, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	dbg_start(test, &d);
	kslab_cache_free(b, p);
	expect_one(test, &d, KSLAB_REPORT_WRONG_CACHE, p, "kslab_b");
	KUNIT_EXPECT_EQ(test, kslab_cache_active(a), 0UL);
	KUNIT_EXPECT_EQ(test, kslab_cache_active(b), 0UL);
	KUNIT_EXPECT_EQ(test, kslab_cache_destroy(a), 0);
	KUNIT_EXPECT_EQ(test, kslab_cache_destroy(b), 0);
}

/* A pointer inside an object: reported, the object stays allocated. */
static void test_interior_pointer(struct kunit *test)
{
	struct kslab_cache *s = dbg_cache(test, "kslab_inner", 64, DBG_FLAGS);
	struct dbg d;
	u8 *p;

	p = kslab_cache_alloc(s, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	dbg_start(test, &d);
	kslab_cache_free(s, p + 8);
	expect_one(test, &d, KSLAB_REPORT_INTERIOR_FREE, p + 8, "kslab_inner");
	KUNIT_EXPECT_EQ(test, kslab_cache_active(s), 1UL);
	kslab_cache_free(s, p);
	KUNIT_EXPECT_EQ(test, kslab_cache_active(s), 0UL);
	KUNIT_EXPECT_EQ(test, kslab_cache_destroy(s), 0);
}

/* A large kmalloc freed through a cache: reported, still allocated. */
static void test_large_through_cache(struct kunit *test)
{
	struct kslab_cache *s = dbg_cache(test, "kslab_large", 64, DBG_FLAGS);
	struct dbg d;
	void *p;

	p = kslab_kmalloc(3 * PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	dbg_start(test, &d);
	kslab_cache_free(s, p);
	expect_one(test, &d, KSLAB_REPORT_WRONG_CACHE, p, "kslab_large");
	KUNIT_EXPECT_EQ(test, kslab_ksize(p), 4 * PAGE_SIZE);
	kslab_kfree(p);
	KUNIT_EXPECT_EQ(test, kslab_cache_destroy(s), 0);
}

/* A clean debug cache reports nothing over many cycles. */
static void test_clean_cycles(struct kunit *test)
{
	struct kslab_cache *s = dbg_cache(test, "kslab_clean", 100, DBG_FLAGS);
	struct dbg d;
	void *p[32];
	unsigned int round;

	dbg_start(test, &d);
	for (round = 0; round < 64; round++) {
		KUNIT_ASSERT_EQ(test, kslab_cache_alloc_bulk(s, GFP_KERNEL,
							     ARRAY_SIZE(p), p),
				(int)ARRAY_SIZE(p));
		memset(p[round % ARRAY_SIZE(p)], 0x22, 100);
		kslab_cache_free_bulk(s, ARRAY_SIZE(p), p);
	}
	for (round = 0; round < KSLAB_NR_REPORT_ITEMS; round++)
		KUNIT_EXPECT_EQ_MSG(test, d.fs->count[round], 0U, "%s",
				    kslab_report_name(round));
	KUNIT_EXPECT_EQ(test, kslab_test_count(s, quarantined), 0UL);
	KUNIT_EXPECT_EQ(test, kslab_cache_destroy(s), 0);
}

static struct kunit_case debug_test_cases[] = {
	KUNIT_CASE(test_double_free),
	KUNIT_CASE(test_red_zone_right),
	KUNIT_CASE(test_red_zone_left),
	KUNIT_CASE(test_poison_use_after_free),
	KUNIT_CASE(test_freelist_corrupt),
	KUNIT_CASE_PARAM(test_freeptr_overwritten, fp_kind_gen_params),
	KUNIT_CASE(test_foreign_pointer),
	KUNIT_CASE(test_wrong_cache),
	KUNIT_CASE(test_interior_pointer),
	KUNIT_CASE(test_large_through_cache),
	KUNIT_CASE(test_clean_cycles),
	{}
};

static struct kunit_suite debug_test_suite = {
	.name = "kslab_debug",
	.init = kslab_test_init,
	.exit = kslab_test_exit,
	.test_cases = debug_test_cases,
};

kunit_test_suite(debug_test_suite);
