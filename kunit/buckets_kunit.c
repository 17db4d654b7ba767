// SPDX-License-Identifier: GPL-2.0
/*
 * Suite kslab_buckets: kslab_buckets_create() against the real
 * kmem_buckets_create() of the same running kernel: which slots have a
 * cache and which share one, each cache's name and /sys/kernel/slab
 * shape, and what kmem_buckets_alloc() hands out for each size and type.
 */
#include <linux/slab.h>

#include "kslab_kunit.h"

#if KSLAB_HAVE_BUCKETS

#define USEROFFSET	16	/* Clipped to 0+0 by the 8- and 16-byte caches */
#define USERSIZE	200	/* Clipped to each size above */

/* The real buckets' caches, each once, then the array (no destroy API). */
static void real_buckets_free(kmem_buckets *rb)
{
	unsigned int i, j;

	if (ZERO_OR_NULL_PTR(rb))
		return;
	for (i = 0; i < ARRAY_SIZE(*rb); i++) {
		for (j = 0; j < i; j++)
			if ((*rb)[j] == (*rb)[i])
				break;
		if ((*rb)[i] && j == i)
			kmem_cache_destroy((*rb)[i]);
	}
	kfree(rb);
}

/* One allocation of @size from each side: ksize() and folio order. */
static void expect_alloc(struct kunit *test, kmem_buckets *rb,
			 struct kslab_buckets *kb, size_t size, gfp_t gfp)
{
	void *r = kmem_buckets_alloc(rb, size, gfp);
	void *m = kslab_buckets_alloc(kb, size, gfp);

	KUNIT_EXPECT_EQ_MSG(test, !r, !m, "size %zu gfp %pGg", size, &gfp);
	if (!ZERO_OR_NULL_PTR(r) && !ZERO_OR_NULL_PTR(m)) {
		KUNIT_EXPECT_EQ_MSG(test, ksize(r), kslab_ksize(m),
				    "ksize() of %zu bytes, gfp %pGg", size, &gfp);
		KUNIT_EXPECT_EQ_MSG(test, kslab_test_order(r),
				    kslab_test_order(m),
				    "folio order of %zu bytes", size);
	} else {
		KUNIT_EXPECT_PTR_EQ(test, r, m);
	}
	kfree(r);
	kslab_kfree(m);
}

/* A cache the buckets made: its name and what sysfs shows of it. */
static void expect_cache(struct kunit *test, struct kmem_cache *rc,
			 const struct kslab_cache *s, const char *real_prefix,
			 const char *prefix)
{
	static const char *const attrs[] = {
		"slab_size", "align", "order", "objs_per_slab", "usersize",
		"sheaf_capacity",
	};
	const struct kslab_geom *g = &s->geom;
	const unsigned int mine[] = {
		g->size, g->align, g->order, g->objects, s->usersize,
		s->sheaf_capacity,
	};
	unsigned int i, val, n = KSLAB_SHEAVES ? 6 : 5;
	size_t len = strlen(prefix);
	char name[64];

	KUNIT_EXPECT_EQ(test, kmem_cache_size(rc), g->object_size);
	KUNIT_EXPECT_TRUE_MSG(test, !strncmp(s->name, prefix, len) &&
			      s->name[len] == '-', "name %s", s->name);
	snprintf(name, sizeof(name), "%s%s", real_prefix, s->name + len);
	/*
	 * The name rule: the kernel's cache has this name, where sysfs
	 * shows the kmalloc cache of the same slot.
	 */
	if (kslab_sysfs_slab_attr(name, "slab_size", &val)) {
		char kname[32];

		kslab_cache_kernel_name(kslab_caches[KSLAB_NORMAL][s->index],
					kname, sizeof(kname));
		KUNIT_EXPECT_NE_MSG(test, kslab_sysfs_slab_attr(kname, "slab_size",
								&val), 0,
				    "no /sys/kernel/slab/%s beside %s: kslab's name for it is wrong",
				    name, kname);
		return;
	}
	for (i = 0; i < n; i++) {
		/* usersize exists with CONFIG_HARDENED_USERCOPY only. */
		if (kslab_sysfs_slab_attr(name, attrs[i], &val))
			continue;
		KUNIT_EXPECT_EQ_MSG(test, mine[i], val, "%s of %s", attrs[i],
				    name);
	}
}

/*
 * The type bits pick nothing (kmalloc_slab() with buckets): a reclaimable
 * or accounted allocation comes from the buckets' own cache, whose first
 * slab both sides then count.
 */
static void expect_first_slab(struct kunit *test, kmem_buckets *rb,
			      struct kslab_buckets *kb, struct kslab_cache *s,
			      const char *name, gfp_t gfp)
{
	unsigned int before = 0, after = 0;
	unsigned int size = s->geom.object_size;
	void *r, *m;
	int err;

	err = kslab_sysfs_slab_attr(name, "total_objects", &before);
	KUNIT_EXPECT_EQ(test, kslab_test_count(s, total_objects), 0UL);
	r = kmem_buckets_alloc(rb, size, gfp);
	m = kslab_buckets_alloc(kb, size, gfp);
	KUNIT_EXPECT_NOT_NULL(test, r);
	KUNIT_EXPECT_NOT_NULL(test, m);
	if (!err && !kslab_sysfs_slab_attr(name, "total_objects", &after)) {
		KUNIT_EXPECT_EQ_MSG(test, before, 0U, "%s", name);
		KUNIT_EXPECT_EQ_MSG(test, kslab_test_count(s, total_objects),
				    (unsigned long)after,
				    "objects on %s's slabs after one %pGg allocation",
				    name, &gfp);
	}
	KUNIT_EXPECT_GT(test, kslab_test_count(s, total_objects), 0UL);
	kfree(r);
	kslab_kfree(m);
}

static void test_buckets_match(struct kunit *test)
{
	static atomic_t seq = ATOMIC_INIT(0);
	struct kslab_buckets *kb;
	char real[24], mine[24], name[64];
	unsigned int i, j, first = 0;
	kmem_buckets *rb;
	size_t size;

	KSLAB_TEST_SKIP_KASAN(test);
	i = atomic_inc_return(&seq);
	snprintf(real, sizeof(real), "kslab_rbkt%u", i);
	snprintf(mine, sizeof(mine), "kslab_bkt%u", i);
	rb = kmem_buckets_create(real, 0, USEROFFSET, USERSIZE, NULL);
	kb = kslab_buckets_create(mine, 0, USEROFFSET, USERSIZE, NULL);
	KUNIT_EXPECT_EQ_MSG(test, rb == ZERO_SIZE_PTR,
			    kb == (void *)ZERO_SIZE_PTR,
			    "ZERO_SIZE_PTR buckets (no CONFIG_SLAB_BUCKETS)");
	KUNIT_EXPECT_EQ(test, !rb, !kb);
	if (!rb || !kb || rb == ZERO_SIZE_PTR || kb == (void *)ZERO_SIZE_PTR)
		goto allocs;

	KUNIT_EXPECT_EQ(test, ARRAY_SIZE(*rb), (size_t)KSLAB_NR_INDEX);
	for (i = 0; i < KSLAB_NR_INDEX && i < ARRAY_SIZE(*rb); i++) {
		struct kslab_cache *s = kb->cache[i];

		KUNIT_EXPECT_EQ_MSG(test, !s, !(*rb)[i], "slot %u", i);
		if (!s || !(*rb)[i])
			continue;
		for (j = 0; j < i; j++)
			if (kb->cache[j] && (*rb)[j])
				KUNIT_EXPECT_EQ_MSG(test, kb->cache[j] == s,
						    (*rb)[j] == (*rb)[i],
						    "slots %u and %u share a cache",
						    j, i);
		if (!test_bit(i, &kb->owned))
			continue;
		expect_cache(test, (*rb)[i], s, real, mine);
		snprintf(name, sizeof(name), "%s%s", real,
			 s->name + strlen(mine));
		/* Alternate the types that would pick another kmalloc cache. */
		expect_first_slab(test, rb, kb, s, name,
				  first++ & 1 ? GFP_KERNEL_ACCOUNT :
				  GFP_KERNEL | __GFP_RECLAIMABLE);
	}

allocs:
	/* Every size to 256, then each class, its middle and edge. */
	for (size = 0; size <= 256; size++)
		expect_alloc(test, rb, kb, size, GFP_KERNEL);
	for (size = 512; size <= KSLAB_MAX_CACHE_SIZE; size *= 2) {
		expect_alloc(test, rb, kb, size - size / 4, GFP_KERNEL);
		expect_alloc(test, rb, kb, size, GFP_KERNEL);
		expect_alloc(test, rb, kb, size + 1, GFP_KERNEL);
	}
	/* NULL buckets: kmalloc() itself. */
	expect_alloc(test, NULL, NULL, 100, GFP_KERNEL);

	KUNIT_EXPECT_EQ(test, kslab_buckets_destroy(kb), 0);
	real_buckets_free(rb);
}

static struct kunit_case buckets_test_cases[] = {
	KUNIT_CASE(test_buckets_match),
	{}
};

#else

static void test_buckets_match(struct kunit *test)
{
	kunit_skip(test, "no kmem_buckets before v6.11");
}

static struct kunit_case buckets_test_cases[] = {
	KUNIT_CASE(test_buckets_match),
	{}
};

#endif

static struct kunit_suite buckets_test_suite = {
	.name = "kslab_buckets",
	.init = kslab_test_init,
	.exit = kslab_test_exit,
	.test_cases = buckets_test_cases,
};

kunit_test_suite(buckets_test_suite);
