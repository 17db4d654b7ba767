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

	s = normal_cache(KMALLOC_MAX_CACHE_SIZE);
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_EXPECT_STREQ(test, s->name, PAGE_SIZE == SZ_4K ? "kslab-8k" :
			   s->name);
	s = normal_cache(1024);
	KUNIT_EXPECT_STREQ(test, s->name, "kslab-1k");
	s = normal_cache(96);
	KUNIT_EXPECT_STREQ(test, s->name, kmalloc_size_roundup(96) == 96 ?
			   "kslab-96" : s->name);
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
	unsigned int size;
	unsigned int min_objects;	/* 4 * (fls(nr_cpus) + 1) */
	unsigned int v1_order;		/* mm/slub.c of v6.1 */
	unsigned int v2_order;		/* mm/slub.c of v6.12 */
};

/*
 * 4K pages, slub_max_order 3: the kmalloc rows of the 1-CPU (8), 6-CPU
 * (16) and 16-CPU (24) classes, and stride 10928, where the two
 * algorithms disagree (v6.1 takes order 2 with one object).
 */
static const struct order_case order_cases[] = {
	{ 8, 8, 0, 0 }, { 96, 8, 0, 0 }, { 512, 8, 0, 0 }, { 1024, 8, 1, 1 },
	{ 2048, 8, 2, 2 }, { 4096, 8, 3, 3 }, { 8192, 8, 3, 3 },
	{ 512, 16, 1, 1 }, { 1024, 16, 2, 2 }, { 2048, 16, 3, 3 },
	{ 192, 24, 1, 1 }, { 256, 24, 1, 1 }, { 10928, 8, 2, 3 },
};

static void order_desc(const struct order_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "size %u min_objects %u",
		 c->size, c->min_objects);
}

KUNIT_ARRAY_PARAM(order, order_cases, order_desc);

static void test_order_algorithms(struct kunit *test)
{
	const struct order_case *c = test->param_value;
	struct kslab_params saved = kslab_params;

	KSLAB_TEST_REQUIRES(test, PAGE_SIZE == SZ_4K);
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

static struct kunit_case geometry_test_cases[] = {
	KUNIT_CASE(test_constants_match_headers),
	KUNIT_CASE(test_size_index_matches_kmalloc_index),
	KUNIT_CASE(test_cache_names),
	KUNIT_CASE_PARAM(test_order_algorithms, order_gen_params),
	{}
};

static struct kunit_suite geometry_test_suite = {
	.name = "kslab_geometry",
	.init = kslab_test_init,
	.exit = kslab_test_exit,
	.test_cases = geometry_test_cases,
};

kunit_test_suite(geometry_test_suite);
