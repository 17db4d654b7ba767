// SPDX-License-Identifier: GPL-2.0
/*
 * kslab_kunit.ko: module information and helpers shared by the suites.
 */
#include <linux/module.h>
#include <linux/slab.h>

#include "kslab_kunit.h"

/* noinline: the size must not be a compile-time constant at the call. */
noinline void *kslab_test_real_kmalloc(size_t size, gfp_t gfp)
{
	return kmalloc(size, gfp);
}

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit parity suites of kslab against the real kmalloc");
