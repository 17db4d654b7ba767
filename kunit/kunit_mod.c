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

gfp_t kslab_test_type_gfp(enum kslab_cache_type type)
{
	switch (type) {
	case KSLAB_DMA:
		return GFP_KERNEL | GFP_DMA;
	case KSLAB_RECLAIM:
		return GFP_KERNEL | __GFP_RECLAIMABLE;
	case KSLAB_CGROUP:
		return GFP_KERNEL_ACCOUNT;
	default:
		return GFP_KERNEL;
	}
}

/*
 * A caller address that kmalloc_type() hashes to random copy @type; 0
 * serves where there are no random caches.
 */
unsigned long kslab_test_type_caller(enum kslab_cache_type type)
{
	unsigned long caller = (unsigned long)_THIS_IP_;
	unsigned int tries;

	if (type > KSLAB_RANDOM_END)
		return caller;
	for (tries = 0; tries < 4096; tries++, caller += 4)
		if (kslab_kmalloc_type(GFP_KERNEL, caller) == type)
			return caller;
	return caller;
}

void kslab_test_kernel_name(const struct kslab_cache *s, char *buf, size_t len)
{
	const char *k = strstr(s->name, "kslab");

	snprintf(buf, len, "%.*skmalloc%s", (int)(k - s->name), s->name,
		 k + strlen("kslab"));
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
