// SPDX-License-Identifier: GPL-2.0
/*
 * Suite kslab_misuse: the bad-input table. Each row feeds one mistake to
 * kslab's API and checks its return value and the one finding it must
 * report; then the harness proves nothing broke: no other finding, many
 * objects of the same caches allocated, filled and checked (no object
 * handed out twice, no pattern changed), and no page kept.
 *
 * The bad-input table of Documentation/testing.rst lists these rows with
 * the kernel's own result for each input.
 */
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/vmalloc.h>

#include "kslab_kunit.h"

#define NONE		KSLAB_NR_REPORT_ITEMS
#define OBJ		64		/* The cache under test's object size */

/* What a row works on: a lookaside cache and the kmalloc-64 cache. */
struct mctx {
	struct kunit *test;
	struct kslab_cache *c;		/* NULL once a row destroyed it */
	struct kslab_findings *f;
};

struct row {
	const char *input;
	enum kslab_report_item report;	/* The one finding, or NONE */
	unsigned int times;		/* How often it is reported; 0 is 1 */
	void (*run)(struct mctx *x);
	const unsigned int *counts;	/* Or a count per finding */
};

/* === Helpers =========================================================== */

/* A kslab_kmalloc(OBJ) object, freed again at once: a stale pointer. */
static void *freed_obj(struct mctx *x)
{
	void *p = kslab_kmalloc(OBJ, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(x->test, p);
	kslab_kfree(p);
	return p;
}

static void *cache_obj(struct mctx *x)
{
	void *p = kslab_cache_alloc(x->c, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(x->test, p);
	return p;
}

/* A live object that must come through the misuse unchanged. */
static void *marked(struct mctx *x, size_t size)
{
	u8 *p = kslab_kmalloc(size, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(x->test, p);
	memset(p, 0xa5, size);
	return p;
}

static void expect_marked(struct mctx *x, const u8 *p, size_t size)
{
	KUNIT_EXPECT_NULL(x->test, memchr_inv(p, 0xa5, size));
}

/* === Every entry point, bad pointers =================================== */

static void kfree_null(struct mctx *x) { kslab_kfree(NULL); }
static void kfree_zero(struct mctx *x) { kslab_kfree(ZERO_SIZE_PTR); }

static void kfree_stack(struct mctx *x)
{
	unsigned long on_stack[4] = { };

	kslab_kfree(on_stack);
	KUNIT_EXPECT_EQ(x->test, on_stack[0], 0UL);
}

static void kfree_vmalloc(struct mctx *x)
{
	u8 *v = vmalloc(PAGE_SIZE);

	KUNIT_ASSERT_NOT_NULL(x->test, v);
	memset(v, 0x5a, PAGE_SIZE);
	kslab_kfree(v);
	KUNIT_EXPECT_NULL(x->test, memchr_inv(v, 0x5a, PAGE_SIZE));
	vfree(v);
}

static void kfree_real(struct mctx *x)
{
	u8 *r = kslab_test_real_kmalloc(OBJ, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(x->test, r);
	memset(r, 0x5a, OBJ);
	kslab_kfree(r);
	KUNIT_EXPECT_NULL(x->test, memchr_inv(r, 0x5a, OBJ));
	kfree(r);
}

static void kfree_page(struct mctx *x)
{
	struct page *page = alloc_page(GFP_KERNEL | __GFP_ZERO);

	KUNIT_ASSERT_NOT_NULL(x->test, page);
	kslab_kfree(page_address(page));
	__free_page(page);
}

/* A page whose private field names a live kslab slab: a reused page. */
static void kfree_forged(struct mctx *x)
{
	struct page *page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	u8 *p = marked(x, OBJ);

	KUNIT_ASSERT_NOT_NULL(x->test, page);
	set_page_private(page, page_private(virt_to_page(p)));
	kslab_kfree(page_address(page));
	set_page_private(page, 0);
	__free_page(page);
	expect_marked(x, p, OBJ);
	kslab_kfree(p);
}

static void kfree_interior(struct mctx *x)
{
	u8 *p = marked(x, OBJ);

	kslab_kfree(p + 8);
	expect_marked(x, p, OBJ);
	kslab_kfree(p);
}

static void kfree_twice(struct mctx *x) { kslab_kfree(freed_obj(x)); }

/* Its slab went back to the page allocator: the cache's last object. */
static void kfree_stale(struct mctx *x)
{
	void *p = cache_obj(x);

	kslab_cache_free(x->c, p);
	kslab_cache_shrink(x->c);
	KUNIT_EXPECT_EQ(x->test, kslab_test_count(x->c, slabs), 0UL);
	kslab_kfree(p);
}

/*
 * A node past the last, below NUMA_NO_NODE, or without memory is no
 * constraint for a slab allocation (___slab_alloc()), on a cache with
 * cpu slabs or sheaves and on a debug cache, and no reason for new slabs:
 * 4 slabs' worth of objects fill 4 slabs, or 5 with the cpu slab's
 * neighbour. Without CONFIG_NUMA any node matches (node_match()).
 */
static void node_bad_cache(struct mctx *x, slab_flags_t flags)
{
	static const int nodes[] = { MAX_NUMNODES, -7, 1 };
	struct kslab_cache *c = kslab_cache_create("kslab-misuse-node", OBJ, 0,
						   flags, NULL);
	unsigned int n, i;
	void **p;

	KUNIT_ASSERT_NOT_NULL(x->test, c);
	n = 4 * c->geom.objects;
	p = kunit_kcalloc(x->test, n, sizeof(*p), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(x->test, p);
	for (i = 0; i < n; i++) {
		p[i] = kslab_cache_alloc_node(c, GFP_KERNEL,
					      nodes[i % ARRAY_SIZE(nodes)]);
		KUNIT_ASSERT_NOT_NULL(x->test, p[i]);
	}
	if (!IS_ENABLED(CONFIG_NUMA) || !node_state(1, N_NORMAL_MEMORY))
		KUNIT_EXPECT_LE(x->test, kslab_test_count(c, slabs), 5UL);
	for (i = 0; i < n; i++)
		kslab_cache_free(c, p[i]);
	KUNIT_EXPECT_EQ(x->test, kslab_cache_destroy(c), 0);
}

static void node_bad(struct mctx *x)
{
	void *p = kslab_kmalloc_node(OBJ, GFP_KERNEL, MAX_NUMNODES);

	KUNIT_EXPECT_NOT_NULL(x->test, p);
	kslab_kfree(p);
	node_bad_cache(x, 0);
	node_bad_cache(x, SLAB_RED_ZONE);
}

/* The kernel would pass the node to the page allocator: reported. */
static void node_bad_large(struct mctx *x)
{
	void *p = kslab_kmalloc_node(KSLAB_MAX_CACHE_SIZE + 1, GFP_KERNEL,
				     MAX_NUMNODES + 3);

	KUNIT_EXPECT_NOT_NULL(x->test, p);
	kslab_kfree(p);
}

static void kfree_large_interior(struct mctx *x)
{
	u8 *p = kslab_kmalloc(KSLAB_MAX_CACHE_SIZE + 1, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(x->test, p);
	kslab_kfree(p + PAGE_SIZE);
	kslab_kfree(p);
}

static void kfree_large_twice(struct mctx *x)
{
	void *p = kslab_kmalloc(KSLAB_MAX_CACHE_SIZE + 1, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(x->test, p);
	kslab_kfree(p);
	kslab_kfree(p);
}

static void sensitive_null(struct mctx *x) { kslab_kfree_sensitive(NULL); }

static void sensitive_twice(struct mctx *x)
{
	kslab_kfree_sensitive(freed_obj(x));
}

static void sensitive_interior(struct mctx *x)
{
	u8 *p = marked(x, OBJ);

	kslab_kfree_sensitive(p + 8);
	expect_marked(x, p, OBJ);
	kslab_kfree(p);
}

static void sensitive_real(struct mctx *x)
{
	u8 *r = kslab_test_real_kmalloc(OBJ, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(x->test, r);
	memset(r, 0x5a, OBJ);
	kslab_kfree_sensitive(r);
	KUNIT_EXPECT_NULL(x->test, memchr_inv(r, 0x5a, OBJ));
	kfree(r);
}

static void ksize_null(struct mctx *x)
{
	KUNIT_EXPECT_EQ(x->test, kslab_ksize(NULL), 0UL);
	KUNIT_EXPECT_EQ(x->test, kslab_ksize(ZERO_SIZE_PTR), 0UL);
}

/* __ksize() gives a freed object's size, silently: kslab reports it. */
static void ksize_freed(struct mctx *x)
{
	KUNIT_EXPECT_EQ(x->test, kslab_ksize(freed_obj(x)),
			kmalloc_size_roundup(OBJ));
}

static void ksize_interior(struct mctx *x)
{
	u8 *p = marked(x, OBJ);

	KUNIT_EXPECT_EQ(x->test, kslab_ksize(p + 8), kmalloc_size_roundup(OBJ));
	kslab_kfree(p);
}

static void ksize_real(struct mctx *x)
{
	void *r = kslab_test_real_kmalloc(OBJ, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(x->test, r);
	KUNIT_EXPECT_EQ(x->test, kslab_ksize(r), 0UL);
	kfree(r);
}

static void ksize_large_interior(struct mctx *x)
{
	u8 *p = kslab_kmalloc(KSLAB_MAX_CACHE_SIZE + 1, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(x->test, p);
	KUNIT_EXPECT_EQ(x->test, kslab_ksize(p + PAGE_SIZE), 0UL);
	kslab_kfree(p);
}

static void krealloc_freed_grow(struct mctx *x)
{
	KUNIT_EXPECT_NULL(x->test, kslab_krealloc(freed_obj(x), 4 * OBJ,
						  GFP_KERNEL));
}

static void krealloc_freed_shrink(struct mctx *x)
{
	KUNIT_EXPECT_NULL(x->test, kslab_krealloc(freed_obj(x), OBJ / 2,
						  GFP_KERNEL | __GFP_ZERO));
}

static void krealloc_interior(struct mctx *x)
{
	u8 *p = marked(x, 2 * OBJ);

	KUNIT_EXPECT_NULL(x->test, kslab_krealloc(p + 8, 8,
						  GFP_KERNEL | __GFP_ZERO));
	expect_marked(x, p, 2 * OBJ);
	kslab_kfree(p);
}

static void krealloc_real(struct mctx *x)
{
	void *r = kslab_test_real_kmalloc(OBJ, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(x->test, r);
	KUNIT_EXPECT_NULL(x->test, kslab_krealloc(r, 2 * OBJ, GFP_KERNEL));
	kfree(r);
}

/* krealloc(ZERO_SIZE_PTR) is krealloc(NULL): a new object. */
static void krealloc_zero(struct mctx *x)
{
	void *p = kslab_krealloc(ZERO_SIZE_PTR, OBJ, GFP_KERNEL);

	KUNIT_EXPECT_FALSE(x->test, ZERO_OR_NULL_PTR(p));
	kslab_kfree(p);
}

/* === Wrong pairings ==================================================== */

static void cfree_null(struct mctx *x) { kslab_cache_free(x->c, NULL); }

static void cfree_kmalloc(struct mctx *x)
{
	kslab_cache_free(x->c, kslab_kmalloc(OBJ, GFP_KERNEL));
}

static void cfree_large(struct mctx *x)
{
	void *p = kslab_kmalloc(KSLAB_MAX_CACHE_SIZE + 1, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(x->test, p);
	kslab_cache_free(x->c, p);
	kslab_kfree(p);
}

static void cfree_other_cache(struct mctx *x)
{
	struct kslab_cache *d = kslab_cache_create("kslab-misuse-2", OBJ, 0,
						   0, NULL);

	KUNIT_ASSERT_NOT_NULL(x->test, d);
	kslab_cache_free(x->c, kslab_cache_alloc(d, GFP_KERNEL));
	KUNIT_EXPECT_EQ(x->test, kslab_cache_destroy(d), 0);
}

/* kfree() of a kmem_cache object is legal in the kernel. */
static void kfree_cache_obj(struct mctx *x) { kslab_kfree(cache_obj(x)); }

static void cfree_real(struct mctx *x)
{
	void *r = kslab_test_real_kmalloc(OBJ, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(x->test, r);
	kslab_cache_free(x->c, r);
	kfree(r);
}

static void cfree_twice(struct mctx *x)
{
	void *p = cache_obj(x);

	kslab_cache_free(x->c, p);
	kslab_cache_free(x->c, p);
}

static void cfree_null_cache(struct mctx *x)
{
	void *p = cache_obj(x);

	kslab_cache_free(NULL, p);
	kslab_cache_free(x->c, p);
}

static void cfree_bulk_mixed(struct mctx *x)
{
	unsigned long on_stack = 0;
	void *p[3] = { cache_obj(x), &on_stack, cache_obj(x) };

	kslab_cache_free_bulk(x->c, 3, p);
}

/* === Lookaside misuse ================================================== */

static void destroy_twice(struct mctx *x)
{
	KUNIT_EXPECT_EQ(x->test, kslab_cache_destroy(x->c), 0);
	KUNIT_EXPECT_EQ(x->test, kslab_cache_destroy(x->c), -EINVAL);
	x->c = NULL;
}

static void destroy_kmalloc_cache(struct mctx *x)
{
	KUNIT_EXPECT_EQ(x->test,
			kslab_cache_destroy(kslab_cache_of(OBJ, GFP_KERNEL, 0)),
			-EINVAL);
}

static void destroy_null(struct mctx *x)
{
	KUNIT_EXPECT_EQ(x->test, kslab_cache_destroy(NULL), 0);
}

/* The pages go at destroy; the later frees find no slab. */
static void destroy_busy(struct mctx *x)
{
	void *a = cache_obj(x), *b = cache_obj(x);

	KUNIT_EXPECT_EQ(x->test, kslab_cache_destroy(x->c), -EBUSY);
	kslab_kfree(a);
	kslab_kfree(b);
	x->c = NULL;
}

static void alloc_destroyed(struct mctx *x)
{
	struct kslab_cache *c = x->c;

	KUNIT_EXPECT_EQ(x->test, kslab_cache_destroy(c), 0);
	x->c = NULL;
	KUNIT_EXPECT_NULL(x->test, kslab_cache_alloc(c, GFP_KERNEL));
}

static void free_destroyed(struct mctx *x)
{
	struct kslab_cache *c = x->c;
	void *p = cache_obj(x);

	kslab_cache_free(c, p);
	KUNIT_EXPECT_EQ(x->test, kslab_cache_destroy(c), 0);
	x->c = NULL;
	kslab_cache_free(c, p);
}

static void shrink_destroyed(struct mctx *x)
{
	struct kslab_cache *c = x->c;

	KUNIT_EXPECT_EQ(x->test, kslab_cache_destroy(c), 0);
	x->c = NULL;
	KUNIT_EXPECT_EQ(x->test, kslab_cache_shrink(c), -EINVAL);
}

static void alloc_null_cache(struct mctx *x)
{
	KUNIT_EXPECT_NULL(x->test, kslab_cache_alloc(NULL, GFP_KERNEL));
}

#define CREATE_REFUSED(fn, name, size, align, flags)			\
static void fn(struct mctx *x)						\
{									\
	KUNIT_EXPECT_NULL(x->test,					\
			  kslab_cache_create(name, size, align, flags, NULL)); \
}

CREATE_REFUSED(create_null_name, NULL, OBJ, 0, 0)
CREATE_REFUSED(create_size_0, "kslab-misuse-0", 0, 0, 0)
CREATE_REFUSED(create_size_huge, "kslab-misuse-h", UINT_MAX, 0, 0)
CREATE_REFUSED(create_align_max, "kslab-misuse-a", OBJ, UINT_MAX, 0)
CREATE_REFUSED(create_align_odd, "kslab-misuse-3", OBJ, 24, 0)
CREATE_REFUSED(create_flags, "kslab-misuse-f", OBJ, 0, (slab_flags_t)BIT(31))

#if KSLAB_CACHE_ARGS
/* kmem_cache_create(name, size, &args, flags): -EINVAL cases refused. */
#define ARGS_REFUSED(fn, flags, ...)					\
static void fn(struct mctx *x)						\
{									\
	struct kmem_cache_args a = { __VA_ARGS__ };			\
									\
	KUNIT_EXPECT_NULL(x->test, kslab_cache_create_args("kslab-misuse-x", \
							   OBJ, &a, flags)); \
}

ARGS_REFUSED(args_freeptr_past, SLAB_TYPESAFE_BY_RCU,
	     .freeptr_offset = OBJ, .use_freeptr_offset = true)
ARGS_REFUSED(args_freeptr_odd, SLAB_TYPESAFE_BY_RCU,
	     .freeptr_offset = 4, .use_freeptr_offset = true)
ARGS_REFUSED(args_freeptr_why, 0,
	     .freeptr_offset = 8, .use_freeptr_offset = true)

/* A usercopy region outside the object: dropped, the cache made. */
static void args_usercopy(struct mctx *x)
{
	struct kmem_cache_args a = { .useroffset = 8, .usersize = OBJ };
	struct kslab_cache *d = kslab_cache_create_args("kslab-misuse-u", OBJ,
							&a, 0);

	KUNIT_ASSERT_NOT_NULL(x->test, d);
	KUNIT_EXPECT_EQ(x->test, kslab_cache_destroy(d), 0);
}

/* NULL args: all zero, as kmem_cache_create(name, size, NULL, flags). */
static void args_null(struct mctx *x)
{
	struct kslab_cache *d = kslab_cache_create_args("kslab-misuse-n", OBJ,
							NULL, 0);

	KUNIT_ASSERT_NOT_NULL(x->test, d);
	KUNIT_EXPECT_EQ(x->test, d->geom.object_size, OBJ);
	KUNIT_EXPECT_EQ(x->test, kslab_cache_destroy(d), 0);
}
#endif

/* Both exist, both work: the kernel allows duplicate names. */
static void create_duplicate(struct mctx *x)
{
	struct kslab_cache *d = kslab_cache_create("kslab-misuse", OBJ, 0, 0,
						   NULL);

	KUNIT_ASSERT_NOT_NULL(x->test, d);
	kslab_cache_free(d, kslab_cache_alloc(d, GFP_KERNEL));
	KUNIT_EXPECT_EQ(x->test, kslab_cache_destroy(d), 0);
}

/* kobject_set_name_vargs() makes '/' a '!'. */
static void create_slash(struct mctx *x)
{
	struct kslab_cache *d = kslab_cache_create("kslab/misuse", OBJ, 0, 0,
						   NULL);

	KUNIT_ASSERT_NOT_NULL(x->test, d);
	KUNIT_EXPECT_STREQ(x->test, d->name, "kslab!misuse");
	KUNIT_EXPECT_EQ(x->test, kslab_cache_destroy(d), 0);
}

/* === Allocation misuse ================================================= */

#if KSLAB_HAVE_NOLOCK
/*
 * GFP_KERNEL's reclaim bits dropped; the object comes where the kernel
 * serves kmalloc_nolock() at all (not on UML).
 */
static void nolock_gfp(struct mctx *x)
{
	void *p = kslab_kmalloc_nolock(OBJ, GFP_KERNEL, NUMA_NO_NODE);
	void *r = kmalloc_nolock(OBJ, 0, NUMA_NO_NODE);

	KUNIT_EXPECT_EQ(x->test, !p, !r);
	kfree_nolock(r);
	kslab_kfree_nolock(p);
}

/* kfree_nolock() leaks a large allocation; kslab reports and frees it. */
static void nolock_free_large(struct mctx *x)
{
	void *p = kslab_kmalloc(KSLAB_MAX_CACHE_SIZE + 1, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(x->test, p);
	kslab_kfree_nolock(p);
}

static void nolock_double(struct mctx *x)
{
	void *p = kslab_kmalloc(OBJ, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(x->test, p);
	kslab_kfree_nolock(p);
	kslab_kfree_nolock(p);
}
#endif

static void kmalloc_size_max(struct mctx *x)
{
	KUNIT_EXPECT_NULL(x->test, kslab_kmalloc(SIZE_MAX, GFP_KERNEL));
}

static void kmalloc_max_plus(struct mctx *x)
{
	KUNIT_EXPECT_NULL(x->test, kslab_kmalloc(KSLAB_MAX_SIZE + 1,
						 GFP_KERNEL));
}

/* Counted, not printed: no finding for the test, one more in debugfs. */
static void kmalloc_max_nowarn(struct mctx *x)
{
	unsigned long n = kslab_report_count(KSLAB_REPORT_OVERSIZE);

	KUNIT_EXPECT_NULL(x->test, kslab_kmalloc(KSLAB_MAX_SIZE + 1,
						 GFP_KERNEL | __GFP_NOWARN));
	KUNIT_EXPECT_EQ(x->test, kslab_report_count(KSLAB_REPORT_OVERSIZE),
			n + 1);
}

static void kmalloc_nofail_huge(struct mctx *x)
{
	KUNIT_EXPECT_NULL(x->test, kslab_kmalloc(KSLAB_MAX_SIZE + 1,
						 GFP_KERNEL | __GFP_NOFAIL));
}

static void kmalloc_array_overflow(struct mctx *x)
{
	KUNIT_EXPECT_NULL(x->test, kslab_kmalloc_array(SIZE_MAX / 2, 4,
						       GFP_KERNEL));
	KUNIT_EXPECT_NULL(x->test, kslab_kcalloc(SIZE_MAX / 2, 4,
						 GFP_KERNEL));
}

static void gfp_fixed(struct mctx *x, gfp_t gfp)
{
	void *p = kslab_kmalloc(OBJ, gfp);

	KUNIT_EXPECT_NOT_NULL(x->test, p);
	kslab_kfree(p);
}

static void gfp_highmem(struct mctx *x)
{
	gfp_fixed(x, GFP_KERNEL | __GFP_HIGHMEM);
}

static void gfp_dma32(struct mctx *x) { gfp_fixed(x, GFP_KERNEL | __GFP_DMA32); }

static void gfp_high_bits(struct mctx *x)
{
	gfp_fixed(x, GFP_KERNEL | (__force gfp_t)BIT(__GFP_BITS_SHIFT + 1));
}

static void krealloc_huge(struct mctx *x)
{
	void *p = kslab_kmalloc(OBJ, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(x->test, p);
	KUNIT_EXPECT_NULL(x->test, kslab_krealloc(p, SIZE_MAX, GFP_KERNEL));
	kslab_kfree(p);
}

/* === kmem_buckets ====================================================== */

#if KSLAB_HAVE_BUCKETS
static struct kslab_buckets *buckets(struct mctx *x)
{
	struct kslab_buckets *b = kslab_buckets_create("kslab-mbkt", 0, 0, 0,
						       NULL);

	KUNIT_ASSERT_NOT_NULL(x->test, b);
	return b;
}

#if KSLAB_BUCKETS
static void buckets_alloc_destroyed(struct mctx *x)
{
	struct kslab_buckets *b = buckets(x);

	KUNIT_EXPECT_EQ(x->test, kslab_buckets_destroy(b), 0);
	KUNIT_EXPECT_NULL(x->test, kslab_buckets_alloc(b, OBJ, GFP_KERNEL));
}

static void buckets_destroy_twice(struct mctx *x)
{
	struct kslab_buckets *b = buckets(x);

	KUNIT_EXPECT_EQ(x->test, kslab_buckets_destroy(b), 0);
	KUNIT_EXPECT_EQ(x->test, kslab_buckets_destroy(b), -EINVAL);
}

static void buckets_destroy_cache(struct mctx *x)
{
	KUNIT_EXPECT_EQ(x->test,
			kslab_buckets_destroy((struct kslab_buckets *)x->c),
			-EINVAL);
}

static void buckets_null_name(struct mctx *x)
{
	KUNIT_EXPECT_NULL(x->test, kslab_buckets_create(NULL, 0, 0, 0, NULL));
}

#else
/* Without CONFIG_SLAB_BUCKETS: ZERO_SIZE_PTR, which allocates as kmalloc. */
static void buckets_none(struct mctx *x)
{
	struct kslab_buckets *b = buckets(x);
	void *p = kslab_buckets_alloc(b, OBJ, GFP_KERNEL);

	KUNIT_EXPECT_PTR_EQ(x->test, (void *)b, ZERO_SIZE_PTR);
	KUNIT_EXPECT_NOT_NULL(x->test, p);
	KUNIT_EXPECT_EQ(x->test, kslab_ksize(p), kslab_size_roundup(OBJ));
	kslab_kfree(p);
	KUNIT_EXPECT_EQ(x->test, kslab_buckets_destroy(b), 0);
}
#endif
#endif

/* === debugfs writes ==================================================== */

static void cmd(struct mctx *x, const char *buf, size_t count,
		ssize_t expect)
{
	KUNIT_EXPECT_EQ(x->test, kslab_debugfs_command(buf, count, "clear"),
			expect);
}

static void write_empty(struct mctx *x) { cmd(x, "", 0, -EINVAL); }
static void write_long(struct mctx *x) { cmd(x, "clear", 4096, -EINVAL); }
static void write_partial(struct mctx *x) { cmd(x, "cle", 3, -EINVAL); }
static void write_binary(struct mctx *x) { cmd(x, "cl\0ar\xff", 7, -EINVAL); }
static void write_range(struct mctx *x) { cmd(x, "99999999999", 11, -EINVAL); }
static void write_ok(struct mctx *x) { cmd(x, " clear\n", 7, 7); }

/* === The table ========================================================= */

/* Each live object (leak), the destroy (busy), each later free. */
static const unsigned int busy_counts[KSLAB_NR_REPORT_ITEMS] = {
	[KSLAB_REPORT_LEAK] = 2,
	[KSLAB_REPORT_CACHE_BUSY] = 1,
	[KSLAB_REPORT_INVALID_FREE] = 2,
};

#define R(in, item, fn)		{ in, KSLAB_REPORT_##item, 0, fn }
#define R0(in, fn)		{ in, NONE, 0, fn }

static const struct row rows[] = {
	R0("kfree(NULL)", kfree_null),
	R0("kfree(ZERO_SIZE_PTR)", kfree_zero),
	R("kfree(stack address)", INVALID_FREE, kfree_stack),
	R("kfree(vmalloc address)", INVALID_FREE, kfree_vmalloc),
	R("kfree(real kmalloc object)", INVALID_FREE, kfree_real),
	R("kfree(alloc_page() page)", INVALID_FREE, kfree_page),
	R("kfree(page whose private names a kslab slab)", INVALID_FREE,
	  kfree_forged),
	R("kfree(object + 8)", INTERIOR_FREE, kfree_interior),
	R("kfree(freed object)", DOUBLE_FREE, kfree_twice),
	R("kfree(object whose slab was freed)", INVALID_FREE, kfree_stale),
	R0("kmalloc_node(64, node MAX_NUMNODES, -7, 1), debug cache too",
	   node_bad),
	R("kmalloc_node(large, node MAX_NUMNODES + 3)", BAD_ARGS,
	  node_bad_large),
	R("kfree(large + PAGE_SIZE)", INTERIOR_FREE, kfree_large_interior),
	R("kfree(freed large)", INVALID_FREE, kfree_large_twice),
	R0("kfree_sensitive(NULL)", sensitive_null),
	R("kfree_sensitive(freed object)", DOUBLE_FREE, sensitive_twice),
	R("kfree_sensitive(object + 8)", INTERIOR_FREE, sensitive_interior),
	R("kfree_sensitive(real kmalloc object)", INVALID_FREE,
	  sensitive_real),
	R0("ksize(NULL), ksize(ZERO_SIZE_PTR)", ksize_null),
	R("ksize(freed object)", USE_AFTER_FREE, ksize_freed),
	R("ksize(object + 8)", INTERIOR_FREE, ksize_interior),
	R("ksize(real kmalloc object)", INVALID_FREE, ksize_real),
	R("ksize(large + PAGE_SIZE)", INTERIOR_FREE, ksize_large_interior),
	R("krealloc(freed object, larger)", USE_AFTER_FREE,
	  krealloc_freed_grow),
	R("krealloc(freed object, smaller, __GFP_ZERO)", USE_AFTER_FREE,
	  krealloc_freed_shrink),
	R("krealloc(object + 8, 8, __GFP_ZERO)", INTERIOR_FREE,
	  krealloc_interior),
	R("krealloc(real kmalloc object)", INVALID_FREE, krealloc_real),
	R0("krealloc(ZERO_SIZE_PTR, 64)", krealloc_zero),
	R("krealloc(object, SIZE_MAX)", OVERSIZE, krealloc_huge),
	R("kmem_cache_free(c, NULL)", INVALID_FREE, cfree_null),
	R("kmem_cache_free(c, kmalloc object)", WRONG_CACHE, cfree_kmalloc),
	R("kmem_cache_free(c, large kmalloc)", WRONG_CACHE, cfree_large),
	R("kmem_cache_free(c, object of cache d)", WRONG_CACHE,
	  cfree_other_cache),
	R0("kfree(object of cache c)", kfree_cache_obj),
	R("kmem_cache_free(c, real kmalloc object)", INVALID_FREE, cfree_real),
	R("kmem_cache_free(c, freed object)", DOUBLE_FREE, cfree_twice),
	R("kmem_cache_free(NULL, object)", BAD_CACHE, cfree_null_cache),
	R("kmem_cache_free_bulk(c, {obj, stack, obj})", INVALID_FREE,
	  cfree_bulk_mixed),
	R("kmem_cache_destroy(c) twice", BAD_CACHE, destroy_twice),
	R("kmem_cache_destroy(kmalloc cache)", BAD_CACHE,
	  destroy_kmalloc_cache),
	R0("kmem_cache_destroy(NULL)", destroy_null),
	{ "kmem_cache_destroy(c) with 2 live objects, then kfree() them",
	  NONE, 0, destroy_busy, busy_counts },
	R("kmem_cache_alloc(destroyed c)", BAD_CACHE, alloc_destroyed),
	R("kmem_cache_free(destroyed c, object)", BAD_CACHE, free_destroyed),
	R("kmem_cache_shrink(destroyed c)", BAD_CACHE, shrink_destroyed),
	R("kmem_cache_alloc(NULL)", BAD_CACHE, alloc_null_cache),
	R("kmem_cache_create(NULL name)", BAD_ARGS, create_null_name),
	R("kmem_cache_create(size 0)", BAD_ARGS, create_size_0),
	R("kmem_cache_create(size UINT_MAX)", BAD_ARGS, create_size_huge),
	R("kmem_cache_create(align UINT_MAX)", BAD_ARGS, create_align_max),
	R("kmem_cache_create(align 24)", BAD_ARGS, create_align_odd),
	R("kmem_cache_create(flags bit 31)", BAD_ARGS, create_flags),
	R0("kmem_cache_create(duplicate name)", create_duplicate),
	R0("kmem_cache_create(\"kslab/misuse\")", create_slash),
#if KSLAB_CACHE_ARGS
	R("kmem_cache_create(args, freeptr_offset = size)", BAD_ARGS,
	  args_freeptr_past),
	R("kmem_cache_create(args, freeptr_offset 4)", BAD_ARGS,
	  args_freeptr_odd),
	R("kmem_cache_create(args, freeptr_offset, no RCU or ctor)", BAD_ARGS,
	  args_freeptr_why),
	R("kmem_cache_create(args, usersize past the object)", BAD_ARGS,
	  args_usercopy),
	R0("kmem_cache_create(NULL args)", args_null),
#endif
#if KSLAB_HAVE_NOLOCK
	R("kmalloc_nolock(64, GFP_KERNEL)", BAD_GFP, nolock_gfp),
	R("kfree_nolock(large object)", BAD_ARGS, nolock_free_large),
	R("kfree_nolock() twice", DOUBLE_FREE, nolock_double),
#endif
#if KSLAB_BUCKETS
	R("kmem_buckets_alloc(destroyed buckets)", BAD_CACHE,
	  buckets_alloc_destroyed),
	R("kslab_buckets_destroy() twice", BAD_CACHE, buckets_destroy_twice),
	R("kslab_buckets_destroy(a kmem_cache)", BAD_CACHE,
	  buckets_destroy_cache),
	R("kmem_buckets_create(NULL name)", BAD_ARGS, buckets_null_name),
#elif KSLAB_HAVE_BUCKETS
	R0("kmem_buckets_create() without CONFIG_SLAB_BUCKETS", buckets_none),
#endif
	R("kmalloc(SIZE_MAX)", OVERSIZE, kmalloc_size_max),
	R("kmalloc(KMALLOC_MAX_SIZE + 1)", OVERSIZE, kmalloc_max_plus),
	R0("kmalloc(KMALLOC_MAX_SIZE + 1, __GFP_NOWARN)", kmalloc_max_nowarn),
	R("kmalloc(KMALLOC_MAX_SIZE + 1, __GFP_NOFAIL)", OVERSIZE,
	  kmalloc_nofail_huge),
	R0("kmalloc_array()/kcalloc() overflowing", kmalloc_array_overflow),
	R("kmalloc(64, GFP_KERNEL | __GFP_HIGHMEM)", BAD_GFP, gfp_highmem),
	R("kmalloc(64, GFP_KERNEL | __GFP_DMA32)", BAD_GFP, gfp_dma32),
	R("kmalloc(64, GFP_KERNEL | bit above __GFP_BITS_SHIFT)", BAD_GFP,
	  gfp_high_bits),
	R("debugfs write: empty", BAD_WRITE, write_empty),
	R("debugfs write: 4096 bytes", BAD_WRITE, write_long),
	R("debugfs write: partial command", BAD_WRITE, write_partial),
	R("debugfs write: binary", BAD_WRITE, write_binary),
	R("debugfs write: out-of-range number", BAD_WRITE, write_range),
	R0("debugfs write: the command, with blanks", write_ok),
};

static void row_desc(const struct row *r, char *desc)
{
	strscpy(desc, r->input, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(rows, rows, row_desc);

/* === Proof that nothing broke ========================================== */

#define FILL	256

/* Allocate FILL objects, fill each, check none is shared or changed. */
static void fill_check(struct kunit *test, struct kslab_cache *c)
{
	unsigned long *p = kunit_kcalloc(test, FILL, sizeof(*p), GFP_KERNEL);
	unsigned int i, n;

	KUNIT_ASSERT_NOT_NULL(test, p);
	for (n = 0; n < FILL; n++) {
		p[n] = (unsigned long)(c ? kslab_cache_alloc(c, GFP_KERNEL) :
				       kslab_kmalloc(OBJ, GFP_KERNEL));
		if (!p[n])
			break;
		memset((void *)p[n], n & 0xff, OBJ);
	}
	KUNIT_EXPECT_EQ(test, n, FILL);
	for (i = 0; i < n; i++)
		KUNIT_EXPECT_NULL_MSG(test,
				      memchr_inv((void *)p[i], i & 0xff, OBJ),
				      "object %u changed", i);
	sort(p, n, sizeof(*p), kslab_test_cmp_ulong, NULL);
	for (i = 1; i < n; i++)
		KUNIT_EXPECT_NE_MSG(test, p[i], p[i - 1],
				    "one object handed out twice");
	for (i = 0; i < n; i++) {
		if (c)
			kslab_cache_free(c, (void *)p[i]);
		else
			kslab_kfree((void *)p[i]);
	}
}

static void test_misuse(struct kunit *test)
{
	const struct row *r = test->param_value;
	struct mctx x = { .test = test };
	unsigned int i, want;
	long pages;

	pages = kslab_test_shrink_all();
	x.c = kslab_cache_create("kslab-misuse", OBJ, 0, 0, NULL);
	KUNIT_ASSERT_NOT_NULL(test, x.c);
	x.f = kslab_test_findings(test);

	r->run(&x);

	fill_check(test, NULL);
	if (x.c) {
		fill_check(test, x.c);
		KUNIT_EXPECT_EQ(test, kslab_cache_destroy(x.c), 0);
	}
	for (i = 0; i < KSLAB_NR_REPORT_ITEMS; i++) {
		if (r->counts)
			want = r->counts[i];
		else
			want = i == r->report ? max(r->times, 1U) : 0;
		KUNIT_EXPECT_EQ_MSG(test, x.f->count[i], want,
				    "%s reports of %s", kslab_report_name(i),
				    r->input);
	}
	KUNIT_EXPECT_EQ_MSG(test, kslab_test_shrink_all(), pages,
			    "kslab pages held before and after %s", r->input);
}

static struct kunit_case misuse_test_cases[] = {
	KUNIT_CASE_PARAM(test_misuse, rows_gen_params),
	{}
};

static struct kunit_suite misuse_test_suite = {
	.name = "kslab_misuse",
	.init = kslab_test_init,
	.exit = kslab_test_exit,
	.test_cases = misuse_test_cases,
};

kunit_test_suite(misuse_test_suite);
