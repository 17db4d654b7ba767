// SPDX-License-Identifier: GPL-2.0
/*
 * kslab_kunit.ko: module information and helpers shared by the suites.
 */
#include <linux/module.h>
#include <linux/slab.h>
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

/* Objects handed out by all kslab caches (aliases counted once). */
static unsigned long live_objects(void)
{
	unsigned long sum = 0, flags;
	unsigned int t, i;

	for (t = 0; t < KSLAB_NR_TYPES; t++) {
		for (i = 0; i < KSLAB_NR_INDEX; i++) {
			struct kslab_cache *s = kslab_caches[t][i];

			if (!s || kslab_cache_is_alias(t, i))
				continue;
			raw_spin_lock_irqsave(&s->lock, flags);
			sum += s->active_objects;
			raw_spin_unlock_irqrestore(&s->lock, flags);
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
