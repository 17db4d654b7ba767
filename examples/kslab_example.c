// SPDX-License-Identifier: GPL-2.0
/*
 * kslab_example.ko: a module that allocates through kslab as a driver
 * would through kmalloc: a lookaside cache of requests, a kmalloc()ed
 * payload for each (some above the largest size class, so from the page
 * allocator), and a table of them grown with krealloc(). All of it is
 * freed at unload. It includes <linux/...> headers and kslab's public
 * header only, and links against kslab.ko's Module.symvers.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <kslab.h>

static unsigned int nr_requests = 64;
module_param(nr_requests, uint, 0444);
MODULE_PARM_DESC(nr_requests, "Requests to allocate at load (default 64)");

static bool debug;
module_param(debug, bool, 0444);
MODULE_PARM_DESC(debug,
		 "Red zones, poison and allocation tracks on the request cache (default 0)");

struct example_request {
	unsigned int id;
	size_t len;
	u8 *payload;			/* kslab_kmalloc()ed, @len bytes */
};

#define REQUEST_CACHE	"kslab_example_request"

static struct kslab_cache *request_cache;
static struct example_request **table;	/* kslab_kcalloc(), grown */
static unsigned int nr_table, table_cap;
static unsigned long findings_at_load;

/* Payload sizes 16 to 2048 bytes, and every 16th of three pages. */
static size_t payload_len(unsigned int id)
{
	if (id % 16 == 15)
		return 3 * PAGE_SIZE;
	return 16 << (id % 8);
}

/* Room for one more entry: double the table, as a growing driver would. */
static int table_grow(void)
{
	struct example_request **t;
	unsigned int cap;

	if (nr_table < table_cap)
		return 0;
	cap = table_cap ? 2 * table_cap : 8;
	if (!table)
		t = kslab_kcalloc(cap, sizeof(*t), GFP_KERNEL);
	else
		t = kslab_krealloc(table, array_size(cap, sizeof(*t)),
				   GFP_KERNEL);
	if (!t)
		return -ENOMEM;	/* The old table is still allocated. */
	table = t;
	table_cap = cap;
	return 0;
}

static int add_request(unsigned int id)
{
	struct example_request *r;

	if (table_grow())
		return -ENOMEM;
	r = kslab_cache_alloc(request_cache, GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	r->id = id;
	r->len = payload_len(id);
	r->payload = kslab_kmalloc(r->len, GFP_KERNEL);
	if (!r->payload) {
		kslab_cache_free(request_cache, r);
		return -ENOMEM;
	}
	memset(r->payload, id & 0xff, r->len);
	table[nr_table++] = r;
	return 0;
}

static void free_requests(void)
{
	while (nr_table) {
		struct example_request *r = table[--nr_table];

		kslab_kfree(r->payload);
		kslab_cache_free(request_cache, r);
	}
	kslab_kfree(table);
	table = NULL;
	table_cap = 0;
}

static int __init example_init(void)
{
	slab_flags_t flags = SLAB_HWCACHE_ALIGN;
	size_t requested = 0, usable = 0;
	unsigned int i;
	int ret = 0;

	if (debug)
		flags |= SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER;
	findings_at_load = kslab_report_total();
	request_cache = kslab_cache_create(REQUEST_CACHE,
					   sizeof(struct example_request), 0,
					   flags, NULL);
	if (!request_cache)
		return -ENOMEM;

	for (i = 0; i < nr_requests && !ret; i++)
		ret = add_request(i);
	for (i = 0; i < nr_table && !ret; i++) {
		const struct example_request *r = table[i];

		requested += r->len;
		usable += kslab_ksize(r->payload);
		/* kmalloc_size_roundup() says in advance what ksize() gives. */
		if (kslab_ksize(r->payload) != kslab_size_roundup(r->len))
			ret = -EIO;
	}
	if (ret) {
		pr_err("load failed: %d\n", ret);
		free_requests();
		kslab_cache_destroy(request_cache);
		return ret;
	}
	pr_info("loaded: %u requests of %u bytes in %s, payloads of %zu bytes in %zu usable\n",
		nr_table, kslab_cache_size(request_cache), REQUEST_CACHE,
		requested, usable);
	return 0;
}

static void __exit example_exit(void)
{
	unsigned int n = nr_table;
	unsigned long findings;
	int ret;

	free_requests();
	ret = kslab_cache_destroy(request_cache);
	findings = kslab_report_total() - findings_at_load;
	if (ret || findings)
		pr_err("unload: kslab_cache_destroy() = %d, %lu kslab findings while loaded\n",
		       ret, findings);
	else
		pr_info("unload: %u requests and their payloads freed, cache destroyed, no kslab findings\n",
			n);
}

module_init(example_init);
module_exit(example_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kslab example: a lookaside cache and kmalloc-style calls from a user module");
