/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared helpers of the kslab KUnit suites.
 */
#ifndef KSLAB_KUNIT_KSLAB_KUNIT_H
#define KSLAB_KUNIT_KSLAB_KUNIT_H

#if IS_ENABLED(CONFIG_KUNIT)
#include <kunit/test.h>
#else
#include "ktap.h"	/* The same suites without KUnit (kunit/ktap.c) */
#endif
#include <linux/kfence.h>
#include <linux/mm.h>

#include "../kslab/kslab.h"

#define KSLAB_TEST_REQUIRES(test, cond) do {				\
	if (!(cond))							\
		kunit_skip((test), "Test requires: " #cond);		\
} while (0)

/*
 * Expect @a == @b in a loop over thousands of sizes: fail the test but
 * print only the first few mismatches, counted in @nfail.
 */
#define KSLAB_EXPECT_EQ_LIMITED(test, nfail, a, b, fmt, ...) do {	\
	unsigned long __a = (a), __b = (b);				\
	if (__a != __b && (nfail)++ < 8)				\
		KUNIT_FAIL(test, "%s == %lu, expected %s == %lu; " fmt,	\
			   #a, __a, #b, __b, ##__VA_ARGS__);		\
} while (0)

/*
 * KASAN puts its per-object metadata and red zones into the real caches
 * (mm/kasan/generic.c:kasan_cache_create()) and holds freed objects in
 * its quarantine (mm/kasan/quarantine.c): kslab mirrors kernels without
 * KASAN, so a comparison of layout or slab counts cannot hold there.
 */
#define KSLAB_TEST_KASAN	(IS_ENABLED(CONFIG_KASAN_GENERIC) ||	\
				 IS_ENABLED(CONFIG_KASAN_SW_TAGS))
#define KSLAB_TEST_SKIP_KASAN(test) do {				\
	if (KSLAB_TEST_KASAN)						\
		kunit_skip((test), "%s",				\
			   "KASAN: kasan_cache_create() layout, quarantine"); \
} while (0)

/*
 * Bytes a kzalloc(@size, @gfp) of @ksz ksize() bytes has zeroed: all of
 * them, or only @size where the kmalloc cache keeps the request size
 * (slub_debug=U: mm/slub.c:slab_post_alloc_hook(), slub_debug_orig_size(),
 * v6.2 †). The cache's flags are kslab's, whose geometry the suites
 * check against the kernel's.
 */
static inline size_t kslab_test_zeroed(size_t size, gfp_t gfp, size_t ksz)
{
	struct kslab_cache *s;

	if (!KSLAB_KMALLOC_REDZONE || !size || size > KSLAB_MAX_CACHE_SIZE)
		return ksz;
	s = kslab_cache_of(size, gfp, 0);
	return s && (s->geom.flags & SLAB_STORE_USER) ? size : ksz;
}

/* Largest power of two dividing the address of @p. */
static inline unsigned long kslab_test_addr_align(const void *p)
{
	return 1UL << __ffs((unsigned long)p);
}

static inline unsigned int kslab_test_order(const void *p)
{
	return folio_order(virt_to_folio(p));
}

/* What a set of objects shows about the slabs it came from. */
struct kslab_test_slab_view {
	unsigned int max_objects;	/* Most objects seen in one folio */
	unsigned int full_slabs;	/* Folios with max_objects objects */
	unsigned int order;		/* Order of such a folio */
	unsigned long stride;		/* Smallest gap inside such a folio */
	bool uneven;			/* Gaps differ inside such a folio */
	unsigned long first;		/* Offset of its first object */
};

/* sort() order of unsigned longs. */
int kslab_test_cmp_ulong(const void *a, const void *b);

void kslab_test_view_slabs(unsigned long *objs, unsigned int n,
			   struct kslab_test_slab_view *v);

/* Real kmalloc through a non-constant size, as a driver would call it. */
void *kslab_test_real_kmalloc(size_t size, gfp_t gfp);
/* Real kmalloc accounted to @caller, which picks the random copy. */
void *kslab_test_real_kmalloc_caller(size_t size, gfp_t gfp,
				     unsigned long caller);

/* context.c: the contexts kmalloc may be called from. */
enum kslab_test_ctx {
	KSLAB_CTX_PROCESS,
	KSLAB_CTX_SPINLOCK,
	KSLAB_CTX_IRQS_OFF,
	KSLAB_CTX_SOFTIRQ,
	KSLAB_CTX_HARDIRQ,
	KSLAB_NR_CTX
};

extern const char *const kslab_test_ctx_names[KSLAB_NR_CTX];
void kslab_test_run_in(enum kslab_test_ctx ctx, void (*fn)(void *arg),
		       void *arg);
const char *kslab_test_ctx_rt_rule(enum kslab_test_ctx ctx);

/*
 * kslab's findings during the calling test: a KSLAB_KUNIT_RESOURCE named
 * resource that kslab fills, so tests never scrape the console.
 */
struct kslab_findings *kslab_test_findings(struct kunit *test);
/* True if @addr symbolises into function @fn ("fn+0x..."). */
bool kslab_test_site_is(unsigned long addr, const char *fn);

/* One of kslab_cache_counts()'s numbers for @s. */
#define kslab_test_count(s, field)					\
({									\
	struct kslab_counts __k;					\
									\
	kslab_cache_counts(s, &__k);					\
	__k.field;							\
})

/* Shrink every kmalloc cache; return the pages kslab still holds. */
long kslab_test_shrink_all(void);

/*
 * Per-test init/exit of every suite: a test must leave no kslab object
 * behind, counted by kslab's own per-cache live objects (kslab_cache_active()).
 */
int kslab_test_init(struct kunit *test);
void kslab_test_exit(struct kunit *test);

#endif /* KSLAB_KUNIT_KSLAB_KUNIT_H */
