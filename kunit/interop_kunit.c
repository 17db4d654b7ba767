// SPDX-License-Identifier: GPL-2.0
/*
 * Suite kslab_interop: fault injection through the kernel's fault-inject
 * API (a 100,000-allocation run at 10% that must end with nothing leaked)
 * and kslab's trace events.
 */
#include <linux/prandom.h>
#include <linux/slab.h>
#include <linux/tracepoint.h>

#include "kslab_kunit.h"
#include "../kslab/check/trace.h"

/* === Fault injection =================================================== */

#define FI_ROUNDS	100000
#define FI_SLOTS	512

enum fi_kind { FI_KMALLOC, FI_KZALLOC, FI_CACHE, FI_DEBUG_CACHE, FI_BULK,
	       FI_NR_KINDS };

static const char *const fi_names[FI_NR_KINDS] = {
	"kmalloc", "kzalloc", "cache", "debug-cache", "bulk(4)"
};

struct fi_slot {
	void *p;
	enum fi_kind kind;
};

struct fi_run {
	struct kslab_cache *cache, *debug;
	struct fi_slot slot[FI_SLOTS];
	unsigned long tries[FI_NR_KINDS], fails[FI_NR_KINDS];
	unsigned long nofail_tries, nofail_fails;
};

static void fi_free(struct fi_run *r, struct fi_slot *sl)
{
	if (!sl->p)
		return;
	if (sl->kind == FI_CACHE)
		kslab_cache_free(r->cache, sl->p);
	else if (sl->kind == FI_DEBUG_CACHE)
		kslab_cache_free(r->debug, sl->p);
	else
		kslab_kfree(sl->p);
	sl->p = NULL;
}

static void fi_alloc(struct fi_run *r, struct fi_slot *sl, enum fi_kind kind,
		     u32 rnd)
{
	const gfp_t gfp = GFP_KERNEL | __GFP_NOWARN;
	void *bulk[4];

	r->tries[kind]++;
	sl->kind = kind;
	switch (kind) {
	case FI_KMALLOC:
		sl->p = kslab_kmalloc(1 + rnd % KSLAB_MAX_CACHE_SIZE, gfp);
		break;
	case FI_KZALLOC:
		sl->p = kslab_kzalloc(1 + rnd % 1024, gfp);
		break;
	case FI_CACHE:
		sl->p = kslab_cache_alloc(r->cache, gfp);
		break;
	case FI_DEBUG_CACHE:
		sl->p = kslab_cache_alloc(r->debug, gfp);
		break;
	default:
		sl->p = NULL;
		if (kslab_cache_alloc_bulk(r->cache, gfp, ARRAY_SIZE(bulk), bulk))
			kslab_cache_free_bulk(r->cache, ARRAY_SIZE(bulk), bulk);
		else
			r->fails[kind]++;
		return;
	}
	if (!sl->p)
		r->fails[kind]++;
}

/*
 * 100,000 mixed allocations and frees with failslab-style injection at
 * probability 10%: failures are reported as NULL, __GFP_NOFAIL never
 * fails, and at the end no object and no page is left behind.
 */
static void test_fault_injection_mixed(struct kunit *test)
{
	unsigned long tries = 0, fails = 0, live;
	struct rnd_state rnd;
	struct fi_run *r;
	unsigned int i;
	long held;

	KSLAB_TEST_REQUIRES(test, IS_ENABLED(CONFIG_FAULT_INJECTION));
	r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	r->cache = kslab_cache_create("kslab_fi", 100, 0, 0, NULL);
	r->debug = kslab_cache_create("kslab_fi_dbg", 40, 0,
				      SLAB_RED_ZONE | SLAB_POISON, NULL);
	KUNIT_ASSERT_NOT_NULL(test, r->cache);
	KUNIT_ASSERT_NOT_NULL(test, r->debug);
	held = kslab_test_shrink_all();
	prandom_seed_state(&rnd, 0x6b736c6162ULL);

	kslab_fail_set(10, 1, -1, false, false, 0);
	for (i = 0; i < FI_ROUNDS; i++) {
		u32 x = prandom_u32_state(&rnd);
		struct fi_slot *sl = &r->slot[x % FI_SLOTS];

		fi_free(r, sl);
		fi_alloc(r, sl, (x >> 9) % FI_NR_KINDS, x >> 12);
		if (!(i % 97)) {
			void *p = kslab_kmalloc(64, GFP_KERNEL | __GFP_NOFAIL);

			r->nofail_tries++;
			r->nofail_fails += !p;
			kslab_kfree(p);
		}
	}
	kslab_fail_set(0, 1, 1, true, false, 2);	/* the defaults */
	for (i = 0; i < FI_SLOTS; i++)
		fi_free(r, &r->slot[i]);

	for (i = 0; i < FI_NR_KINDS; i++) {
		kunit_info(test, "fault-injection %s: %lu allocations, %lu failed\n",
			   fi_names[i], r->tries[i], r->fails[i]);
		tries += r->tries[i];
		fails += r->fails[i];
	}
	live = kslab_cache_active(r->cache) + kslab_cache_active(r->debug);
	kunit_info(test, "fault-injection total: %lu allocations, %lu failed (%lu.%lu%%), __GFP_NOFAIL %lu/%lu failed, live objects after the run %lu\n",
		   tries, fails, fails * 100 / tries, fails * 1000 / tries % 10,
		   r->nofail_fails, r->nofail_tries, live);
	KUNIT_EXPECT_EQ(test, tries, (unsigned long)FI_ROUNDS);
	KUNIT_EXPECT_GT(test, fails, tries / 20);	/* 10% of calls, */
	KUNIT_EXPECT_LT(test, fails, tries / 5);	/* bulk: one decision */
	KUNIT_EXPECT_EQ(test, r->nofail_fails, 0UL);
	KUNIT_EXPECT_EQ(test, live, 0UL);
	KUNIT_EXPECT_EQ(test, kslab_test_count(r->cache, quarantined) +
			kslab_test_count(r->debug, quarantined), 0UL);
	KUNIT_EXPECT_EQ(test, kslab_cache_destroy(r->cache), 0);
	KUNIT_EXPECT_EQ(test, kslab_cache_destroy(r->debug), 0);
	if (kslab_stats_enabled())
		KUNIT_EXPECT_EQ_MSG(test, kslab_test_shrink_all(), held,
				    "pages left behind by the run");
}

/* ignore-gfp-wait, __GFP_NOFAIL, interval, times and cache-filter. */
static void test_fault_injection_knobs(struct kunit *test)
{
	struct kslab_cache *s;
	void *p;

	KSLAB_TEST_REQUIRES(test, IS_ENABLED(CONFIG_FAULT_INJECTION));
	s = kslab_cache_create("kslab_fi_knobs", 64, 0, 0, NULL);
	KUNIT_ASSERT_NOT_NULL(test, s);

	kslab_fail_set(100, 1, -1, true, false, 0);
	p = kslab_cache_alloc(s, GFP_KERNEL);
	KUNIT_EXPECT_NOT_NULL_MSG(test, p, "ignore-gfp-wait failed GFP_KERNEL");
	kslab_cache_free(s, p);
	KUNIT_EXPECT_NULL(test, kslab_cache_alloc(s, GFP_ATOMIC | __GFP_NOWARN));
	p = kslab_cache_alloc(s, GFP_ATOMIC | __GFP_NOFAIL);
	KUNIT_EXPECT_NOT_NULL_MSG(test, p, "__GFP_NOFAIL was failed");
	kslab_cache_free(s, p);

	/* interval 3, probability 100: exactly every third call fails. */
	kslab_fail_set(100, 3, -1, false, false, 0);
	p = kslab_cache_alloc(s, GFP_KERNEL | __GFP_NOWARN);
	KUNIT_EXPECT_NOT_NULL(test, p);
	kslab_cache_free(s, p);
	p = kslab_cache_alloc(s, GFP_KERNEL | __GFP_NOWARN);
	KUNIT_EXPECT_NOT_NULL(test, p);
	kslab_cache_free(s, p);
	KUNIT_EXPECT_NULL(test, kslab_cache_alloc(s, GFP_KERNEL | __GFP_NOWARN));

	/* times 1: one failure, then none. */
	kslab_fail_set(100, 1, 1, false, false, 0);
	KUNIT_EXPECT_NULL(test, kslab_cache_alloc(s, GFP_KERNEL | __GFP_NOWARN));
	p = kslab_cache_alloc(s, GFP_KERNEL | __GFP_NOWARN);
	KUNIT_EXPECT_NOT_NULL(test, p);
	kslab_cache_free(s, p);

	/* cache-filter: only caches with failslab set fail. */
	kslab_fail_set(100, 1, -1, false, true, 0);
	p = kslab_cache_alloc(s, GFP_KERNEL | __GFP_NOWARN);
	KUNIT_EXPECT_NOT_NULL_MSG(test, p, "cache-filter failed an unmarked cache");
	kslab_cache_free(s, p);
	s->failslab = true;
	KUNIT_EXPECT_NULL(test, kslab_cache_alloc(s, GFP_KERNEL | __GFP_NOWARN));
	kslab_fail_set(0, 1, 1, true, false, 2);
	KUNIT_EXPECT_EQ(test, kslab_cache_destroy(s), 0);
}

/* === Trace events ====================================================== */

struct seen {
	unsigned int allocs, frees, violations;
	const void *ptr;
	size_t bytes_req, bytes_alloc;
	char cache[32], finding[16];
};

static void probe_alloc(void *data, unsigned long call_site, const void *ptr,
			const char *cache, size_t bytes_req, size_t bytes_alloc,
			gfp_t gfp_flags, int node)
{
	struct seen *s = data;

	s->allocs++;
	s->ptr = ptr;
	s->bytes_req = bytes_req;
	s->bytes_alloc = bytes_alloc;
	strscpy(s->cache, cache, sizeof(s->cache));
}

static void probe_free(void *data, unsigned long call_site, const void *ptr,
		       const char *cache)
{
	struct seen *s = data;

	s->frees++;
	s->ptr = ptr;
}

static void probe_violation(void *data, const char *finding,
			    unsigned long call_site, const void *ptr,
			    const char *cache, int offset)
{
	struct seen *s = data;

	s->violations++;
	strscpy(s->finding, finding, sizeof(s->finding));
}

static void test_trace_events(struct kunit *test)
{
	struct seen *seen;
	void *p;

	KSLAB_TEST_REQUIRES(test, IS_ENABLED(CONFIG_TRACEPOINTS));
	seen = kunit_kzalloc(test, sizeof(*seen), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, seen);
	KUNIT_ASSERT_EQ(test, register_trace_kslab_alloc(probe_alloc, seen), 0);
	KUNIT_ASSERT_EQ(test, register_trace_kslab_free(probe_free, seen), 0);
	KUNIT_ASSERT_EQ(test, register_trace_kslab_violation(probe_violation,
							     seen), 0);

	p = kslab_kmalloc(100, GFP_KERNEL);
	KUNIT_EXPECT_EQ(test, seen->allocs, 1U);
	KUNIT_EXPECT_PTR_EQ(test, seen->ptr, (const void *)p);
	KUNIT_EXPECT_EQ(test, seen->bytes_req, (size_t)100);
	/* bytes_alloc is s->size, as trace_kmalloc() has it (mm/slub.c). */
	KUNIT_EXPECT_EQ(test, seen->bytes_alloc,
			(size_t)kslab_slab_lookup(p)->cache->geom.size);
	KUNIT_EXPECT_STREQ(test, seen->cache, kslab_slab_lookup(p)->cache->name);
	kslab_kfree(p);
	KUNIT_EXPECT_EQ(test, seen->frees, 1U);
	kslab_kfree(p);			/* double free */
	KUNIT_EXPECT_EQ(test, seen->frees, 1U);
	KUNIT_EXPECT_EQ(test, seen->violations, 1U);
	KUNIT_EXPECT_STREQ(test, seen->finding, "double-free");

	unregister_trace_kslab_violation(probe_violation, seen);
	unregister_trace_kslab_free(probe_free, seen);
	unregister_trace_kslab_alloc(probe_alloc, seen);
	tracepoint_synchronize_unregister();
}

static struct kunit_case interop_test_cases[] = {
	KUNIT_CASE(test_fault_injection_mixed),
	KUNIT_CASE(test_fault_injection_knobs),
	KUNIT_CASE(test_trace_events),
	{}
};

static struct kunit_suite interop_test_suite = {
	.name = "kslab_interop",
	.init = kslab_test_init,
	.exit = kslab_test_exit,
	.test_cases = interop_test_cases,
};

kunit_test_suite(interop_test_suite);
