// SPDX-License-Identifier: GPL-2.0
/*
 * kslab_leakprobe.ko: a kmemleak probe for the insmod flows. It keeps
 * chains of kslab objects reachable only through other kslab objects
 * (kmemleak must not report them) and leaks one object on purpose
 * (kmemleak must report it). The leaked pointer is kept XORed, invisible
 * to kmemleak, so that unloading still frees it. With keep=1 it frees
 * nothing and destroys nothing at unload: kslab's own unload must then
 * report the objects and the cache and give every page back. It uses
 * only the public API, as any user module would.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "../include/kslab.h"

#define CHAIN_LEN	8
#define HIDE_KEY	0x5a5aa5a5c3c33c3cUL

struct node {
	struct node *next;
	char tag[56];
};

static struct node *kmalloc_chain;	/* kslab_kmalloc() objects */
static struct node *cache_chain;	/* kslab_cache_alloc() objects */
static struct kslab_cache *cache;
static unsigned long hidden;		/* The leaked object, XORed */

static bool keep;
module_param(keep, bool, 0444);
MODULE_PARM_DESC(keep, "Free nothing at unload, for kslab's unload to clean up (default 0)");

static struct node *build(struct node *(*alloc)(void))
{
	struct node *head = NULL, *n;
	unsigned int i;

	for (i = 0; i < CHAIN_LEN; i++) {
		n = alloc();
		if (!n)
			break;
		n->next = head;
		strscpy(n->tag, "kslab-probe-reachable", sizeof(n->tag));
		head = n;
	}
	return head;
}

static struct node *alloc_kmalloc(void)
{
	return kslab_kmalloc(sizeof(struct node), GFP_KERNEL);
}

static struct node *alloc_cache(void)
{
	return kslab_cache_alloc(cache, GFP_KERNEL);
}

static void release(struct node *n, bool from_cache)
{
	while (n) {
		struct node *next = n->next;

		if (from_cache)
			kslab_cache_free(cache, n);
		else
			kslab_kfree(n);
		n = next;
	}
}

static noinline void *leak_one(void)
{
	char *p = kslab_kmalloc(128, GFP_KERNEL);

	if (p)
		strscpy(p, "kslab-leak-probe", 128);
	return p;
}

static int __init leakprobe_init(void)
{
	cache = kslab_cache_create("kslab_leakprobe", sizeof(struct node), 0,
				   0, NULL);
	if (!cache)
		return -ENOMEM;
	kmalloc_chain = build(alloc_kmalloc);
	cache_chain = build(alloc_cache);
	hidden = (unsigned long)leak_one() ^ HIDE_KEY;
	pr_info("%d reachable kslab objects, one leaked on purpose\n",
		2 * CHAIN_LEN);
	return 0;
}

static void __exit leakprobe_exit(void)
{
	if (keep)
		return;
	release(kmalloc_chain, false);
	release(cache_chain, true);
	kslab_kfree((void *)(hidden ^ HIDE_KEY));
	kslab_cache_destroy(cache);
}

module_init(leakprobe_init);
module_exit(leakprobe_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kslab kmemleak probe: reachable chains and one deliberate leak");
