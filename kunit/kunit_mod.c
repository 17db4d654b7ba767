// SPDX-License-Identifier: GPL-2.0
/*
 * kslab_kunit.ko: module information and helpers shared by the suites.
 */
#if IS_ENABLED(CONFIG_KUNIT)
#include <kunit/resource.h>
#endif
#include <linux/kallsyms.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>

#include "kslab_kunit.h"

/* noinline: the size must not be a compile-time constant at the call. */
noinline void *kslab_test_real_kmalloc(size_t size, gfp_t gfp)
{
	return kmalloc(size, gfp);
}

noinline void *kslab_test_real_kmalloc_caller(size_t size, gfp_t gfp,
					      unsigned long caller)
{
	return kslab_real_kmalloc_caller(size, gfp, caller);
}

int kslab_test_cmp_ulong(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a;
	unsigned long y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

/* Sort @objs and group them by folio. */
void kslab_test_view_slabs(unsigned long *objs, unsigned int n,
			   struct kslab_test_slab_view *v)
{
	unsigned int i = 0;

	memset(v, 0, sizeof(*v));
	sort(objs, n, sizeof(*objs), kslab_test_cmp_ulong, NULL);
	while (i < n) {
		struct folio *folio = virt_to_folio((void *)objs[i]);
		unsigned long stride = ULONG_MAX;
		bool uneven = false;
		unsigned int j = i + 1;

		for (; j < n && virt_to_folio((void *)objs[j]) == folio; j++) {
			unsigned long gap = objs[j] - objs[j - 1];

			if (stride != ULONG_MAX && gap != stride)
				uneven = true;
			stride = min(stride, gap);
		}
		if (j - i > v->max_objects) {
			v->max_objects = j - i;
			v->full_slabs = 0;
			v->order = folio_order(folio);
			v->stride = stride;
			v->uneven = false;
			v->first = objs[i] - (unsigned long)folio_address(folio);
		}
		if (j - i == v->max_objects) {
			v->full_slabs++;
			v->uneven |= uneven;
		}
		i = j;
	}
}

/*
 * Without KUnit, kslab cannot look the test up (kunit_get_current_test()),
 * so the test is attached to kslab's reports while its resource lives.
 */
static void findings_release(struct kunit_resource *res)
{
	if (!IS_ENABLED(CONFIG_KUNIT))
		kslab_report_attach(NULL);
}

struct kslab_findings *kslab_test_findings(struct kunit *test)
{
	struct kslab_findings *fs = kunit_kzalloc(test, sizeof(*fs), GFP_KERNEL);
	struct kunit_resource *res = kunit_kzalloc(test, sizeof(*res),
						   GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, fs);
	KUNIT_ASSERT_NOT_NULL(test, res);
	KUNIT_ASSERT_EQ(test, kunit_add_named_resource(test, NULL,
						       findings_release, res,
						       KSLAB_KUNIT_RESOURCE, fs),
			0);
	if (!IS_ENABLED(CONFIG_KUNIT))
		kslab_report_attach(fs);
	return fs;
}

bool kslab_test_site_is(unsigned long addr, const char *fn)
{
	char buf[KSYM_SYMBOL_LEN];
	size_t len = strlen(fn);

	snprintf(buf, sizeof(buf), "%pS", (void *)addr);
	return !strncmp(buf, fn, len) &&
	       (buf[len] == '+' || buf[len] == '.' || !buf[len]);
}

long kslab_test_shrink_all(void)
{
	unsigned int t, i;

	for (t = 0; t < KSLAB_NR_TYPES; t++)
		for (i = 0; i < KSLAB_NR_INDEX; i++)
			if (kslab_caches[t][i] && !kslab_cache_is_alias(t, i))
				kslab_cache_shrink(kslab_caches[t][i]);
	return kslab_stats_pages_held();
}

/* Objects handed out by all kslab caches (aliases counted once). */
static unsigned long live_objects(void)
{
	unsigned long sum = 0;
	unsigned int t, i;

	for (t = 0; t < KSLAB_NR_TYPES; t++) {
		for (i = 0; i < KSLAB_NR_INDEX; i++) {
			struct kslab_cache *s = kslab_caches[t][i];

			if (!s || kslab_cache_is_alias(t, i))
				continue;
			sum += kslab_cache_active(s);
		}
	}
	return sum;
}

int kslab_test_init(struct kunit *test)
{
	test->priv = (void *)live_objects();
	return 0;
}

void kslab_test_exit(struct kunit *test)
{
	KUNIT_EXPECT_EQ_MSG(test, live_objects(), (unsigned long)test->priv,
			    "kslab objects left behind by the test");
}

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit parity suites of kslab against the real kmalloc");
/* kslab's internals, exported for its tests only (kslab/compat.h). */
MODULE_IMPORT_NS(KSLAB_INTERNAL_NS);
