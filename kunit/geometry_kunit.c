// SPDX-License-Identifier: GPL-2.0
/*
 * Suite kslab_geometry: the derived constants and size classes against
 * the kernel's public headers, and both calculate_order() algorithms
 * against reference values of mm/slub.c.
 */
#include <linux/slab.h>

#include "kslab_kunit.h"

/* KMALLOC_* constants derived by kslab equal include/linux/slab.h's. */
static void test_constants_match_headers(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, kslab_params.min_size, KMALLOC_MIN_SIZE);
	KUNIT_EXPECT_EQ(test, kslab_params.shift_low, KMALLOC_SHIFT_LOW);
	KUNIT_EXPECT_EQ(test, KSLAB_SHIFT_HIGH, KMALLOC_SHIFT_HIGH);
	KUNIT_EXPECT_EQ(test, KSLAB_SHIFT_MAX, KMALLOC_SHIFT_MAX);
	KUNIT_EXPECT_EQ(test, KSLAB_MAX_CACHE_SIZE, KMALLOC_MAX_CACHE_SIZE);
	KUNIT_EXPECT_EQ(test, KSLAB_MAX_SIZE, KMALLOC_MAX_SIZE);
}

/* Every size maps to the slot __kmalloc_index() (include/linux/slab.h) picks. */
static void test_size_index_matches_kmalloc_index(struct kunit *test)
{
	unsigned int nfail = 0;
	size_t size;

	for (size = 1; size <= KMALLOC_MAX_CACHE_SIZE; size++)
		KSLAB_EXPECT_EQ_LIMITED(test, nfail, kslab_size_index(size),
					__kmalloc_index(size, false),
					"size %zu", size);
}

/* The normal cache of @size (not a random copy). */
static struct kslab_cache *normal_cache(size_t size)
{
	return kslab_caches[KSLAB_NORMAL][kslab_size_index(size)];
}

/* Names follow kmalloc_info[]; 96 and 192 exist as the kernel decides. */
static void test_cache_names(struct kunit *test)
{
	struct kslab_cache *s;
	unsigned int r;
	char want[24];

	/* The largest class is two pages (KMALLOC_SHIFT_HIGH). */
	s = normal_cache(KMALLOC_MAX_CACHE_SIZE);
	KUNIT_ASSERT_NOT_NULL(test, s);
	switch (PAGE_SIZE) {
	case SZ_4K:
		KUNIT_EXPECT_STREQ(test, s->name, "kslab-8k");
		break;
	case SZ_16K:
		KUNIT_EXPECT_STREQ(test, s->name, "kslab-32k");
		break;
	case SZ_64K:
		KUNIT_EXPECT_STREQ(test, s->name, "kslab-128k");
		break;
	default:
		KUNIT_FAIL(test, "no expected name for %lu-byte pages",
			   PAGE_SIZE);
	}
	s = normal_cache(1024);
	KUNIT_EXPECT_STREQ(test, s->name, "kslab-1k");
	/* 96 is its own class, or the real kmalloc's next one (minalign). */
	r = kmalloc_size_roundup(96);
	snprintf(want, sizeof(want), "kslab-%u", r);
	s = normal_cache(96);
	KUNIT_EXPECT_STREQ(test, s->name, want);
	KUNIT_EXPECT_EQ(test, s->geom.object_size, r);
	if (IS_ENABLED(CONFIG_ZONE_DMA))
		KUNIT_EXPECT_STREQ(test, kslab_caches[KSLAB_DMA][10]->name,
				   "dma-kslab-1k");
	KUNIT_EXPECT_STREQ(test, kslab_caches[KSLAB_RECLAIM][10]->name,
			   IS_ENABLED(CONFIG_SLUB_TINY) ? "kslab-1k" : "kslab-rcl-1k");
	KUNIT_EXPECT_EQ(test, kslab_index_exists(1), KMALLOC_MIN_SIZE <= 32);
	KUNIT_EXPECT_EQ(test, kslab_index_exists(2), KMALLOC_MIN_SIZE <= 64);
}

/* === calculate_order() reference values ================================ */

struct order_case {
	unsigned int page_shift;	/* The page size the row is for */
	unsigned int size;
	unsigned int min_objects;	/* 4 * (fls(nr_cpus) + 1) */
	unsigned int v1_order;		/* mm/slub.c of v6.1 */
	unsigned int v2_order;		/* mm/slub.c of v6.12 */
};

/*
 * slub_max_order 3 (PAGE_ALLOC_COSTLY_ORDER), per page size (4K, 16K,
 * 64K): kmalloc rows of the 1-CPU (8), 4..7-CPU (16) and 16-CPU (24)
 * min_objects classes up to the two-page class, and a stride of 2.67
 * pages (10928 on 4K), where the two algorithms disagree (v6.1 takes
 * order 2 with one object, v6.12 order 3 with two). Computed outside
 * kslab, by a transcription of calc_slab_order() and calculate_order()
 * of mm/slub.c (6.1.192 and 6.12.117). Only the rows of the running
 * page size are run.
 */
static const struct order_case order_cases[] = {
	{ 12, 8, 8, 0, 0 }, { 12, 96, 8, 0, 0 }, { 12, 512, 8, 0, 0 },
	{ 12, 1024, 8, 1, 1 }, { 12, 2048, 8, 2, 2 }, { 12, 4096, 8, 3, 3 },
	{ 12, 8192, 8, 3, 3 }, { 12, 512, 16, 1, 1 }, { 12, 1024, 16, 2, 2 },
	{ 12, 2048, 16, 3, 3 }, { 12, 192, 24, 1, 1 }, { 12, 256, 24, 1, 1 },
	{ 12, 10928, 8, 2, 3 },
	{ 14, 8, 8, 0, 0 }, { 14, 96, 8, 0, 0 }, { 14, 2048, 8, 0, 0 },
	{ 14, 4096, 8, 1, 1 }, { 14, 8192, 8, 2, 2 }, { 14, 16384, 8, 3, 3 },
	{ 14, 32768, 8, 3, 3 }, { 14, 2048, 16, 1, 1 }, { 14, 4096, 16, 2, 2 },
	{ 14, 8192, 16, 3, 3 }, { 14, 1024, 24, 1, 1 }, { 14, 2048, 24, 2, 2 },
	{ 14, 43712, 8, 2, 3 },
	{ 16, 8, 8, 0, 0 }, { 16, 96, 8, 0, 0 }, { 16, 8192, 8, 0, 0 },
	{ 16, 16384, 8, 1, 1 }, { 16, 32768, 8, 2, 2 }, { 16, 65536, 8, 3, 3 },
	{ 16, 131072, 8, 3, 3 }, { 16, 8192, 16, 1, 1 },
	{ 16, 16384, 16, 2, 2 }, { 16, 32768, 16, 3, 3 },
	{ 16, 4096, 24, 1, 1 }, { 16, 8192, 24, 2, 2 },
	{ 16, 174848, 8, 2, 3 },
};

/* The rows of this kernel's page size, in table order. */
static const void *order_gen_params(KSLAB_GEN_PARAMS_ARGS)
{
	const struct order_case *c = prev ? (const struct order_case *)prev + 1 :
					    order_cases;

	for (; c < order_cases + ARRAY_SIZE(order_cases); c++) {
		if (c->page_shift != PAGE_SHIFT)
			continue;
		snprintf(desc, KUNIT_PARAM_DESC_SIZE,
			 "size %u min_objects %u", c->size, c->min_objects);
		return c;
	}
	return NULL;
}

static void test_order_algorithms(struct kunit *test)
{
	const struct order_case *c = test->param_value;
	struct kslab_params saved = kslab_params;

	/* Only cache creation reads these; no cache is created here. */
	kslab_params.min_objects = c->min_objects;
	kslab_params.min_order = 0;
	kslab_params.max_order = PAGE_ALLOC_COSTLY_ORDER;
	KUNIT_EXPECT_EQ(test, kslab_calculate_order_ver(c->size, false),
			(int)c->v1_order);
	KUNIT_EXPECT_EQ(test, kslab_calculate_order_ver(c->size, true),
			(int)c->v2_order);
	kslab_params = saved;
}

/*
 * A stride past slub_max_order falls back to get_order(size) up to the
 * largest page order, and no order fits one word more: calculate_order()
 * in mm/slub.c, both versions. That order is KMALLOC_MAX_ORDER of
 * include/linux/slab.h (MAX_PAGE_ORDER in 6.12, MAX_ORDER - 1 in 6.1),
 * which on arm64 grows with the page size (ARCH_FORCE_MAX_ORDER).
 */
static void test_order_page_order_limit(struct kunit *test)
{
	unsigned int size = PAGE_SIZE << KMALLOC_MAX_ORDER;
	struct kslab_params saved = kslab_params;
	int v;

	kslab_params.min_order = 0;
	kslab_params.max_order = PAGE_ALLOC_COSTLY_ORDER;
	for (v = 0; v < 2; v++) {
		KUNIT_EXPECT_EQ_MSG(test, kslab_calculate_order_ver(size, v),
				    KMALLOC_MAX_ORDER, "v%d", v + 1);
		KUNIT_EXPECT_EQ_MSG(test,
				    kslab_calculate_order_ver(size / 2 + 8, v),
				    KMALLOC_MAX_ORDER, "v%d", v + 1);
		KUNIT_EXPECT_LT_MSG(test,
				    kslab_calculate_order_ver(size + 8, v), 0,
				    "v%d", v + 1);
	}
	kslab_params = saved;
}

static struct kunit_case geometry_test_cases[] = {
	KUNIT_CASE(test_constants_match_headers),
	KUNIT_CASE(test_size_index_matches_kmalloc_index),
	KUNIT_CASE(test_cache_names),
	KUNIT_CASE_PARAM(test_order_algorithms, order_gen_params),
	KUNIT_CASE(test_order_page_order_limit),
	{}
};

static struct kunit_suite geometry_test_suite = {
	.name = "kslab_geometry",
	.init = kslab_test_init,
	.exit = kslab_test_exit,
	.test_cases = geometry_test_cases,
};

kunit_test_suite(geometry_test_suite);
