// SPDX-License-Identifier: GPL-2.0
/*
 * Suite kslab_slab: per kmalloc cache, the objects per slab, the slab
 * order and the stride that the real allocator shows on fresh slabs equal
 * kslab's geometry, and kslab carves its own slabs that way.
 */
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>

#include "kslab_kunit.h"

/*
 * Enough objects to fill several fresh slabs of the largest order SLUB
 * uses by default (PAGE_ALLOC_COSTLY_ORDER), whatever kslab believes.
 */
#define FILL_BYTES	(8UL * (PAGE_SIZE << PAGE_ALLOC_COSTLY_ORDER))

/*
 * Parameters: kslab cache slots of every type, skipping empty and aliased
 * ones; the value is type * KSLAB_NR_INDEX + index + 1.
 */
static const void *cache_gen_params(KSLAB_GEN_PARAMS_ARGS)
{
	unsigned long v = (unsigned long)prev;

	while (++v <= KSLAB_NR_TYPES * KSLAB_NR_INDEX) {
		unsigned int t = (v - 1) / KSLAB_NR_INDEX;
		unsigned int i = (v - 1) % KSLAB_NR_INDEX;
		struct kslab_cache *s = kslab_caches[t][i];

		if (!s || kslab_cache_is_alias(t, i))
			continue;
		snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", s->name);
		return (const void *)v;
	}
	return NULL;
}

static struct kslab_cache *param_cache(struct kunit *test)
{
	unsigned long v = (unsigned long)test->param_value - 1;

	return kslab_caches[v / KSLAB_NR_INDEX][v % KSLAB_NR_INDEX];
}

/* Flags and caller that make the real kmalloc use the type of @s. */
static void real_args(struct kslab_cache *s, gfp_t *gfp, unsigned long *caller)
{
	*gfp = kslab_type_gfp(s->type);
	*caller = kslab_type_caller(s->type);
}

static void test_slab_matches_kmalloc(struct kunit *test)
{
	struct kslab_cache *s = param_cache(test);
	unsigned int size = s->geom.object_size;
	unsigned int i = 0, n = max_t(unsigned int, FILL_BYTES / size, 64);
	unsigned int cap = 8 * n;
	unsigned long *objs, caller;
	struct kslab_test_slab_view v;
	gfp_t gfp;

	KSLAB_TEST_SKIP_KASAN(test);

	objs = kvcalloc(cap, sizeof(*objs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, objs);

	real_args(s, &gfp, &caller);
	/*
	 * Recycled objects come first, from slabs others use: the CPU
	 * partials, or (v7.x) sheaves and the barn, which on a busy kernel
	 * can hold more than FILL_BYTES of a large class (seen on Debian's
	 * 7.3-rt: kmalloc-cg-4k), and the other CPU may take objects of the
	 * same new slabs (seen on 7.3: the fullest slabs held 7 of 8, with a
	 * gap). Fill on until two slabs show full of ours, without gaps.
	 */
	for (;;) {
		for (; i < n; i++) {
			void *p = kslab_test_real_kmalloc_caller(size, gfp,
								 caller);

			/* KFENCE objects sit in their own pages: draw again. */
			while (p && is_kfence_address(p)) {
				void *again = kslab_test_real_kmalloc_caller(size,
									     gfp, caller);

				kfree(p);
				p = again;
			}
			if (!p)
				break;
			objs[i] = (unsigned long)p;
		}
		if (i < n) {
			while (i--)
				kfree((void *)objs[i]);
			kvfree(objs);
			KUNIT_FAIL(test, "real kmalloc(%u) failed", size);
			return;
		}
		kslab_test_view_slabs(objs, n, &v);
		if ((v.full_slabs >= 2 && !v.uneven) || n == cap)
			break;
		n *= 2;
	}
	for (i = 0; i < n; i++)
		kfree((void *)objs[i]);

	KUNIT_EXPECT_GE_MSG(test, v.full_slabs, 2,
			    "%u objects filled fewer than two fresh slabs", n);
	KUNIT_EXPECT_EQ_MSG(test, s->geom.objects, v.max_objects,
			    "objects per slab of %s", s->name);
	KUNIT_EXPECT_EQ_MSG(test, s->geom.order, v.order,
			    "slab order of %s", s->name);
	/* One object per slab (slub_max_order= with debug) has no stride. */
	if (v.max_objects > 1)
		KUNIT_EXPECT_EQ_MSG(test, (unsigned long)s->geom.size, v.stride,
				    "stride of %s", s->name);
	KUNIT_EXPECT_FALSE(test, v.uneven);
	kvfree(objs);
}

/* kslab's own slabs hold geom.objects objects at a stride of geom.size. */
static void test_slab_carving(struct kunit *test)
{
	struct kslab_cache *s = param_cache(test);
	unsigned int size = s->geom.object_size;
	unsigned int i, got, n = 3 * s->geom.objects;
	unsigned long *objs, caller;
	struct kslab_test_slab_view v;
	gfp_t gfp;

	objs = kvcalloc(n, sizeof(*objs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, objs);
	real_args(s, &gfp, &caller);
	/*
	 * Earlier frees may sit on another CPU's sheaves (v7.0+), keeping
	 * their slabs partly used: flush them back first, and allocate on one
	 * CPU, so that 3 slabs' worth fills whole slabs.
	 */
	kslab_cache_shrink(s);
	migrate_disable();
	for (i = 0; i < n; i++) {
		objs[i] = (unsigned long)
			kslab_kmalloc_node_track_caller(size, gfp, NUMA_NO_NODE,
							caller);
		if (!objs[i])
			break;
		KUNIT_EXPECT_TRUE(test, IS_ALIGNED(objs[i], s->geom.align));
	}
	migrate_enable();
	got = i;
	if (got == n)
		kslab_test_view_slabs(objs, n, &v);
	while (i--)
		kslab_kfree((void *)objs[i]);
	kslab_cache_shrink(s);
	kvfree(objs);
	KUNIT_ASSERT_EQ_MSG(test, got, n, "kslab_kmalloc(%u) failed", size);

	KUNIT_EXPECT_EQ(test, v.max_objects, s->geom.objects);
	KUNIT_EXPECT_EQ(test, v.order, s->geom.order);
	if (s->geom.objects > 1) {
		KUNIT_EXPECT_EQ(test, v.stride, (unsigned long)s->geom.size);
		KUNIT_EXPECT_FALSE(test, v.uneven);
	}
	KUNIT_EXPECT_EQ(test, kslab_test_count(s, slabs), 0UL);
}

/*
 * kslab_off_index() against plain division, at every byte of a slab of
 * each kmalloc cache: the object's index at an object's start, UINT_MAX
 * anywhere else. The free path's interior-pointer check rests on it.
 */
static void test_slab_off_index(struct kunit *test)
{
	struct kslab_cache *s = param_cache(test);
	unsigned long off, end = PAGE_SIZE << s->geom.order, bad = 0;
	unsigned int size = s->geom.size;

	for (off = 0; off < end; off++) {
		unsigned int want = off % size ? UINT_MAX : off / size;

		if (kslab_off_index(s, off) != want && bad++ < 3)
			KUNIT_FAIL(test, "%s: index of offset %lu is %u, not %u",
				   s->name, off, kslab_off_index(s, off), want);
	}
	KUNIT_EXPECT_EQ(test, bad, 0UL);
}

/* kslab_off_index() of @off for slot size @size against plain division. */
static void check_off_index(struct kunit *test, struct kslab_cache *s,
			    unsigned long off, unsigned long *bad)
{
	unsigned int size = s->geom.size;
	unsigned int want = off % size ? UINT_MAX : off / size;

	if (kslab_off_index(s, off) != want && (*bad)++ < 3)
		KUNIT_FAIL(test, "size %u: index of offset %lu is %u, not %u",
			   size, off, kslab_off_index(s, off), want);
}

/*
 * The same for every slot size a cache can have (kmalloc, lookaside and
 * debug layouts alike: any multiple of the word): up to 8 KiB at every
 * byte of the first 64 objects (or 64 KiB); above, up to the two-page
 * class of 16K and 64K pages (KMALLOC_MAX_CACHE_SIZE), at each of the
 * first 64 objects' start, the bytes around it and its middle, and over
 * the whole of an order-3 slab (SLUB's default slub_max_order) for one
 * size in 257 (multiples of 257 words: odd parts of every kind).
 */
static void test_off_index_sizes(struct kunit *test)
{
	unsigned long off, k, bad = 0;
	struct kslab_cache *s;
	unsigned int size;

	s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	for (size = sizeof(void *); size <= 8192; size += sizeof(void *)) {
		s->geom.size = size;
		kslab_cache_set_division(s);
		for (off = 0; off < 64UL * size && off < SZ_64K; off++)
			check_off_index(test, s, off, &bad);
		cond_resched();
	}
	for (; size <= KMALLOC_MAX_CACHE_SIZE; size += sizeof(void *)) {
		s->geom.size = size;
		kslab_cache_set_division(s);
		for (k = 0; k < 64; k++) {
			off = k * size;
			if (k)
				check_off_index(test, s, off - 1, &bad);
			check_off_index(test, s, off, &bad);
			check_off_index(test, s, off + 1, &bad);
			check_off_index(test, s, off + sizeof(void *), &bad);
			check_off_index(test, s, off + size / 2, &bad);
		}
		if (!(size / sizeof(void *) % 257))
			for (off = 0; off < PAGE_SIZE << 3; off++)
				check_off_index(test, s, off, &bad);
		cond_resched();
	}
	KUNIT_EXPECT_EQ(test, bad, 0UL);
}

/* === /sys/kernel/slab ================================================= */

/*
 * The real cache's sysfs attributes equal kslab's geometry, under the same
 * names as the debugfs geometry file. This is the only public view of
 * s->align. Skipped only where the kernel has no SLUB sysfs.
 */
static void test_slab_matches_sysfs(struct kunit *test)
{
	struct kslab_cache *s = param_cache(test);
	char real[32];
	struct {
		const char *attr;
		unsigned int mine;
	} attrs[] = {
		{ "object_size", s->geom.object_size },
		{ "slab_size", s->geom.size },
		{ "align", s->geom.align },
		{ "order", s->geom.order },
		{ "objs_per_slab", s->geom.objects },
		/* v7.0+ only: mm/slub.c:sheaf_capacity_show(). */
		{ "sheaf_capacity", s->sheaf_capacity },
	};
	unsigned int i, val, nr = ARRAY_SIZE(attrs) - !KSLAB_SHEAVES;
	int ret;

	KSLAB_TEST_SKIP_KASAN(test);

	kslab_cache_kernel_name(s, real, sizeof(real));
	ret = kslab_sysfs_slab_attr(real, "order", &val);
	if (ret)
		kunit_skip(test, "no /sys/kernel/slab/%s (%d): no SLUB sysfs",
			   real, ret);
	for (i = 0; i < nr; i++) {
		KUNIT_ASSERT_EQ(test, kslab_sysfs_slab_attr(real, attrs[i].attr, &val), 0);
		KUNIT_EXPECT_EQ_MSG(test, attrs[i].mine, val, "%s of %s vs %s",
				    attrs[i].attr, s->name, real);
	}
	/* What was compared, for the record of each page size and CPU count. */
	kunit_info(test, "%s: size %u align %u order %u objects %u sheaf_capacity %u (%lu-byte pages, min_objects %u)\n",
		   s->name, s->geom.size, s->geom.align, s->geom.order,
		   s->geom.objects, s->sheaf_capacity, PAGE_SIZE,
		   kslab_params.min_objects);
}

static struct kunit_case slab_test_cases[] = {
	KUNIT_CASE_PARAM(test_slab_matches_sysfs, cache_gen_params),
	KUNIT_CASE_PARAM(test_slab_off_index, cache_gen_params),
	KUNIT_CASE(test_off_index_sizes),
	KUNIT_CASE_PARAM(test_slab_matches_kmalloc, cache_gen_params),
	KUNIT_CASE_PARAM(test_slab_carving, cache_gen_params),
	{}
};

static struct kunit_suite slab_test_suite = {
	.name = "kslab_slab",
	.init = kslab_test_init,
	.exit = kslab_test_exit,
	.test_cases = slab_test_cases,
};

kunit_test_suite(slab_test_suite);
