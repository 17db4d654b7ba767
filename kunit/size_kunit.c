// SPDX-License-Identifier: GPL-2.0
/*
 * Suite kslab_size: for every size from 1 to KMALLOC_MAX_CACHE_SIZE, the
 * large-path boundaries, 0 and KMALLOC_MAX_SIZE + 1, kslab's ksize,
 * roundup, alignment and page order equal the real kmalloc's.
 */
#include <linux/slab.h>

#include "kslab_kunit.h"

/* Objects per size and side; 64 makes a chance alignment negligible. */
#define NR_SAMPLES	64

/* === Every slab size =================================================== */

/*
 * Parameters are size ranges, one per real kmalloc bucket: a range starts
 * after the previous bucket's kmalloc_size_roundup(). The value passed is
 * the first size of the range.
 */
static const void *bucket_gen_params(KSLAB_GEN_PARAMS_ARGS)
{
	size_t start = prev ? kmalloc_size_roundup((size_t)prev) + 1 : 1;

	if (start > KMALLOC_MAX_CACHE_SIZE)
		return NULL;
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "sizes %zu..%zu", start,
		 kmalloc_size_roundup(start));
	return (const void *)start;
}

struct samples {
	void *real[NR_SAMPLES];
	void *mine[NR_SAMPLES];
};

static void test_size_matches_kmalloc(struct kunit *test)
{
	size_t start = (size_t)test->param_value;
	size_t end = kmalloc_size_roundup(start);
	struct samples *sm;
	unsigned int nfail = 0, kfence = 0;
	size_t size;
	int i;

	sm = kunit_kzalloc(test, sizeof(*sm), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, sm);

	for (size = start; size <= end; size++) {
		unsigned long real_align = ULONG_MAX;
		void *real, *mine;

		for (i = 0; i < NR_SAMPLES; i++) {
			sm->real[i] = kslab_test_real_kmalloc(size, GFP_KERNEL);
			sm->mine[i] = kslab_kmalloc(size, GFP_KERNEL);
			KUNIT_ASSERT_NOT_NULL(test, sm->real[i]);
			KUNIT_ASSERT_NOT_NULL(test, sm->mine[i]);
			if (is_kfence_address(sm->real[i]))
				kfence++;
			else
				real_align = min(real_align,
						 kslab_test_addr_align(sm->real[i]));
		}
		real = sm->real[0];
		mine = sm->mine[0];

		KSLAB_EXPECT_EQ_LIMITED(test, nfail, kslab_size_roundup(size),
					kmalloc_size_roundup(size),
					"size %zu", size);
		KSLAB_EXPECT_EQ_LIMITED(test, nfail, kslab_ksize(mine),
					kmalloc_size_roundup(size),
					"size %zu", size);
		if (!is_kfence_address(real)) {
			KSLAB_EXPECT_EQ_LIMITED(test, nfail, kslab_ksize(mine),
						ksize(real), "size %zu", size);
			/* Slab order and stride: KASAN's layout differs. */
			if (!KSLAB_TEST_KASAN)
				KSLAB_EXPECT_EQ_LIMITED(test, nfail,
							kslab_test_order(mine),
							kslab_test_order(real),
							"folio order, size %zu",
							size);
		}
		for (i = 0; i < NR_SAMPLES; i++) {
			if (!KSLAB_TEST_KASAN)
				KSLAB_EXPECT_EQ_LIMITED(test, nfail,
							(unsigned long)sm->mine[i] &
							(real_align - 1), 0,
							"size %zu: kslab object less aligned than the real ones (%lu)",
							size, real_align);
			kfree(sm->real[i]);
			kslab_kfree(sm->mine[i]);
		}
	}
	if (kfence)
		kunit_info(test, "%u KFENCE objects left out of ksize/order checks\n",
			   kfence);
	if (KSLAB_TEST_KASAN)
		kunit_info(test, "KASAN: slab order and alignment not compared (kasan_cache_create() layout)\n");
}

/* === Large path and edges ============================================= */

/*
 * Every size here is past KMALLOC_MAX_CACHE_SIZE (two pages) on any page
 * size; the test checks that the real one is not a slab object.
 */
static const size_t large_sizes[] = {
	KMALLOC_MAX_CACHE_SIZE + 1,
	KMALLOC_MAX_CACHE_SIZE + PAGE_SIZE,
	4 * PAGE_SIZE,
	4 * PAGE_SIZE + 1,
	8 * PAGE_SIZE + 1,
	8 * KMALLOC_MAX_CACHE_SIZE,	/* 64K on 4K pages */
	1024 * 1024 + 1,
	KMALLOC_MAX_SIZE / 2 + 1,
	KMALLOC_MAX_SIZE,
};

static void large_desc(const size_t *size, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "size %zu", *size);
}

KUNIT_ARRAY_PARAM(large, large_sizes, large_desc);

static void test_large_matches_kmalloc(struct kunit *test)
{
	size_t size = *(const size_t *)test->param_value;
	gfp_t gfp = GFP_KERNEL | __GFP_NOWARN;
	void *real, *mine;

	real = kslab_test_real_kmalloc(size, gfp);
	if (!real)
		kunit_skip(test, "real kmalloc(%zu) failed: no free order-%d block",
			   size, get_order(size));
	mine = kslab_kmalloc(size, gfp);
	KUNIT_EXPECT_NOT_NULL(test, mine);
	if (mine) {
		KUNIT_EXPECT_FALSE(test, folio_test_slab(virt_to_folio(real)));
		KUNIT_EXPECT_EQ(test, kslab_ksize(mine), ksize(real));
		KUNIT_EXPECT_EQ(test, kslab_ksize(mine), kmalloc_size_roundup(size));
		KUNIT_EXPECT_EQ(test, kslab_test_order(mine), kslab_test_order(real));
		KUNIT_EXPECT_EQ(test, folio_size(virt_to_folio(mine)),
				folio_size(virt_to_folio(real)));
		KUNIT_EXPECT_TRUE(test, PAGE_ALIGNED(mine));
		KUNIT_EXPECT_TRUE(test, folio_test_large(virt_to_folio(mine)) ==
					folio_test_large(virt_to_folio(real)));
	}
	KUNIT_EXPECT_EQ(test, kslab_size_roundup(size), kmalloc_size_roundup(size));
	kslab_kfree(mine);
	kfree(real);
}

/* The slab/large boundary sits where the kernel puts it. */
static void test_large_boundary(struct kunit *test)
{
	size_t sizes[] = { KMALLOC_MAX_CACHE_SIZE, KMALLOC_MAX_CACHE_SIZE + 1 };
	int i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		void *real = kslab_test_real_kmalloc(sizes[i], GFP_KERNEL);
		void *mine = kslab_kmalloc(sizes[i], GFP_KERNEL);
		struct kslab_slab *slab;
		bool mine_is_slab;

		KUNIT_ASSERT_NOT_NULL(test, real);
		KUNIT_ASSERT_NOT_NULL(test, mine);
		rcu_read_lock();
		slab = kslab_slab_lookup(mine);
		mine_is_slab = slab && slab->cache;
		rcu_read_unlock();
		KUNIT_EXPECT_EQ_MSG(test, mine_is_slab,
				    folio_test_slab(virt_to_folio(real)),
				    "size %zu", sizes[i]);
		kslab_kfree(mine);
		kfree(real);
	}
}

/* Size 0 and KMALLOC_MAX_SIZE + 1: ZERO_SIZE_PTR and NULL on both sides. */
static void test_zero_and_too_large(struct kunit *test)
{
	unsigned long before = kslab_report_count(KSLAB_REPORT_OVERSIZE);
	gfp_t gfp = GFP_KERNEL | __GFP_NOWARN;
	size_t zero = 0, huge = KMALLOC_MAX_SIZE + 1;
	void *real, *mine;

	real = kslab_test_real_kmalloc(zero, GFP_KERNEL);
	mine = kslab_kmalloc(zero, GFP_KERNEL);
	KUNIT_EXPECT_PTR_EQ(test, real, (void *)ZERO_SIZE_PTR);
	KUNIT_EXPECT_PTR_EQ(test, mine, real);
	KUNIT_EXPECT_EQ(test, kslab_ksize(mine), ksize(real));
	KUNIT_EXPECT_EQ(test, kslab_size_roundup(zero), kmalloc_size_roundup(zero));

	real = kslab_test_real_kmalloc(huge, gfp);
	mine = kslab_kmalloc(huge, gfp);
	KUNIT_EXPECT_NULL(test, real);
	KUNIT_EXPECT_PTR_EQ(test, mine, real);
	KUNIT_EXPECT_EQ(test, kslab_report_count(KSLAB_REPORT_OVERSIZE), before + 1);
	KUNIT_EXPECT_EQ(test, kslab_size_roundup(huge), kmalloc_size_roundup(huge));
	KUNIT_EXPECT_EQ(test, kslab_size_roundup(SIZE_MAX),
			kmalloc_size_roundup(SIZE_MAX));
	KUNIT_EXPECT_EQ(test, kslab_ksize(NULL), ksize(NULL));
}

static struct kunit_case size_test_cases[] = {
	KUNIT_CASE_PARAM(test_size_matches_kmalloc, bucket_gen_params),
	KUNIT_CASE_PARAM(test_large_matches_kmalloc, large_gen_params),
	KUNIT_CASE(test_large_boundary),
	KUNIT_CASE(test_zero_and_too_large),
	{}
};

static struct kunit_suite size_test_suite = {
	.name = "kslab_size",
	.init = kslab_test_init,
	.exit = kslab_test_exit,
	.test_cases = size_test_cases,
};

kunit_test_suite(size_test_suite);
