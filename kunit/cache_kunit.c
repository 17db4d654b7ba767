// SPDX-License-Identifier: GPL-2.0
/*
 * Suite kslab_cache: lookaside caches made by kslab_cache_create() and by
 * the real kmem_cache_create() from the same (size, align, flags, ctor)
 * match in object size, stride, alignment, first-object offset, slab
 * order, objects per slab, zone, debug bytes and constructor calls.
 */
#include <linux/atomic.h>
#include <linux/mm.h>
#include <linux/poison.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "kslab_kunit.h"

/* === Cases ============================================================= */

struct cache_case {
	unsigned int size;
	unsigned int align;
	slab_flags_t flags;
	bool ctor;
	/*
	 * Created through kmem_cache_args (v6.12+) when either is set:
	 * freeptr_offset + 1 (0: none), sheaf_capacity (v7.0+).
	 */
	unsigned int freeptr1;
	unsigned int sheaf;
};

#define RZ	SLAB_RED_ZONE
#define PO	SLAB_POISON
#define SU	SLAB_STORE_USER

static const struct cache_case cases[] = {
	{ 8, 0, 0, false },
	{ 24, 0, 0, false },
	{ 100, 0, 0, false },
	{ 100, 0, SLAB_HWCACHE_ALIGN, false },
	{ 24, 0, SLAB_HWCACHE_ALIGN, false },
	{ 100, 64, 0, false },
	{ 200, 0, SLAB_HWCACHE_ALIGN, false },
	{ 1000, 0, 0, false },
	{ 5000, 0, 0, false },
	/* 10928 on 4K pages: 6.1 and 6.12 orders differ (kslab_geometry). */
	{ 10928 << (PAGE_SHIFT - 12), 0, 0, false },
	{ 64, 0, 0, true },
	{ 100, 0, SLAB_HWCACHE_ALIGN, true },
	{ 64, 0, SLAB_TYPESAFE_BY_RCU, false },
	{ 192, 0, SLAB_TYPESAFE_BY_RCU | SLAB_HWCACHE_ALIGN, false },
	{ 128, 0, SLAB_CACHE_DMA, false },
	{ 64, 0, SLAB_CACHE_DMA32, false },
	{ 256, 0, SLAB_RECLAIM_ACCOUNT, false },
	{ 512, 0, SLAB_ACCOUNT, false },
	/* Debug layouts of calculate_sizes(). */
	{ 4, 0, RZ, false },
	{ 8, 0, RZ, false },
	{ 24, 0, RZ, false },
	{ 20, 0, RZ, false },
	{ 64, 0, PO, false },
	{ 100, 0, PO | RZ, false },
	{ 64, 0, SU, false },
	{ 100, 0, RZ | PO | SU, false },
	{ 96, 0, SLAB_HWCACHE_ALIGN | RZ | PO | SU, false },
	{ 1024, 0, RZ | PO | SU, false },
	{ 3000, 0, RZ, false },
	{ 64, 0, PO, true },
	{ 128, 0, SLAB_TYPESAFE_BY_RCU | PO | RZ, false },
	{ 100, 64, RZ | SU, false },
	/* v6.12 takes SLAB_KMALLOC (orig_size slot); v6.1 refuses it. */
	{ 96, 0, SLAB_KMALLOC | SU | RZ, false },
	{ 256, 0, SLAB_KMALLOC | SU, false },
	{ 24, 0, SLAB_KMALLOC | SU | RZ | PO, false },
	/*
	 * kmem_cache_args: a free pointer inside an RCU object (and, v7.0+,
	 * one with a ctor; v6.12 refuses that), or refused: past the object,
	 * misaligned, no reason to move it. SLAB_POISON moves it out anyway.
	 */
	{ 64, 0, SLAB_TYPESAFE_BY_RCU, false, .freeptr1 = 8 + 1 },
	{ 100, 0, SLAB_TYPESAFE_BY_RCU | SLAB_HWCACHE_ALIGN, false,
	  .freeptr1 = 0 + 1 },
	{ 64, 0, 0, true, .freeptr1 = 16 + 1 },
	{ 64, 0, 0, false, .freeptr1 = 8 + 1 },
	{ 64, 0, SLAB_TYPESAFE_BY_RCU, false, .freeptr1 = 64 + 1 },
	{ 64, 0, SLAB_TYPESAFE_BY_RCU, false, .freeptr1 = 4 + 1 },
	{ 64, 0, SLAB_TYPESAFE_BY_RCU | PO, false, .freeptr1 = 8 + 1 },
	/* sheaf_capacity: at least the request, at least the rule's. */
	{ 64, 0, 0, false, .sheaf = 100 },
	{ 300, 0, 0, false, .sheaf = 10 },
	{ 5000, 0, 0, true, .sheaf = 7 },
};

static void case_desc(const struct cache_case *c, char *desc)
{
	int n;

	n = snprintf(desc, KUNIT_PARAM_DESC_SIZE, "size %u align %u flags %#x%s",
		     c->size, c->align, (__force unsigned int)c->flags,
		     c->ctor ? " ctor" : "");
	if (c->freeptr1 && n < KUNIT_PARAM_DESC_SIZE)
		n += snprintf(desc + n, KUNIT_PARAM_DESC_SIZE - n,
			      " freeptr_offset %u", c->freeptr1 - 1);
	if (c->sheaf && n < KUNIT_PARAM_DESC_SIZE)
		snprintf(desc + n, KUNIT_PARAM_DESC_SIZE - n,
			 " sheaf_capacity %u", c->sheaf);
}

KUNIT_ARRAY_PARAM(cache, cases, case_desc);

static atomic_t real_ctor_calls, mine_ctor_calls;

static void real_ctor(void *p)
{
	atomic_inc(&real_ctor_calls);
}

static void mine_ctor(void *p)
{
	atomic_inc(&mine_ctor_calls);
}

/* === Observations ====================================================== */

struct side {
	unsigned long *objs;
	unsigned int n;
	struct kslab_test_slab_view v;
	unsigned long align;		/* Alignment of every object in its slab */
	enum zone_type zone;
};

/* Fill @n objects of the real cache @rc or of kslab's @s, and look. */
static void fill(struct kunit *test, struct kmem_cache *rc,
		 struct kslab_cache *s, struct side *d, unsigned int n)
{
	unsigned long offsets = 0;
	unsigned int i;

	d->objs = kcalloc(n, sizeof(*d->objs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, d->objs);
	for (i = 0; i < n; i++) {
		void *p = rc ? kmem_cache_alloc(rc, GFP_KERNEL) :
			       kslab_cache_alloc(s, GFP_KERNEL);

		KUNIT_ASSERT_NOT_NULL(test, p);
		d->objs[d->n++] = (unsigned long)p;
		KUNIT_ASSERT_FALSE(test, is_kfence_address(p));
		/* Offsets in the slab: absolute alignment is the slab's luck. */
		offsets |= p - folio_address(virt_to_folio(p));
	}
	d->align = offsets ? kslab_test_addr_align((void *)offsets) :
		   PAGE_SIZE << kslab_test_order((void *)d->objs[0]);
	d->zone = page_zonenum(virt_to_page((void *)d->objs[0]));
	kslab_test_view_slabs(d->objs, n, &d->v);
}

static void drain(struct kmem_cache *rc, struct kslab_cache *s,
		  struct side *d)
{
	unsigned int i;

	for (i = 0; i < d->n; i++) {
		if (!d->objs[i])
			continue;
		if (rc)
			kmem_cache_free(rc, (void *)d->objs[i]);
		else
			kslab_cache_free(s, (void *)d->objs[i]);
	}
	kfree(d->objs);
}

/* Both caches of one case; torn down at test exit, even after an ASSERT. */
struct pair {
	struct kmem_cache *rc;
	struct kslab_cache *s;
	struct side real, mine;
};

static void pair_free(struct kunit_resource *res)
{
	struct pair *pp = res->data;

	drain(pp->rc, NULL, &pp->real);
	drain(NULL, pp->s, &pp->mine);
	kslab_cache_destroy(pp->s);
	kmem_cache_destroy(pp->rc);
	kfree(pp);
}

static unsigned int find_obj(struct side *d, const void *p)
{
	unsigned int i;

	for (i = 0; i < d->n; i++)
		if (d->objs[i] == (unsigned long)p)
			break;
	return i;
}

/* An object of a slab filled by fill(): its neighbours keep it alive. */
static u8 *full_slab_obj(struct side *d)
{
	unsigned int i;

	for (i = 1; i + 1 < d->n; i++) {
		struct folio *f = virt_to_folio((void *)d->objs[i]);

		if (virt_to_folio((void *)d->objs[i - 1]) == f &&
		    virt_to_folio((void *)d->objs[i + 1]) == f)
			return (u8 *)d->objs[i];
	}
	return NULL;
}

/*
 * Compare the bytes around a real and a kslab object: red zones, the
 * object (when poisoned) and the padding after the metadata, with their
 * values as SLUB writes them (@rz is SLUB_RED_ACTIVE or _INACTIVE).
 */
static void expect_debug_bytes(struct kunit *test, const struct kslab_geom *g,
			       u8 *real, u8 *mine, u8 rz, const char *when)
{
	unsigned int rlp = g->red_left_pad, pad = g->size - rlp - g->meta_end;

	OPTIMIZER_HIDE_VAR(real);
	OPTIMIZER_HIDE_VAR(mine);
	if (g->flags & SLAB_RED_ZONE) {
		KUNIT_EXPECT_EQ_MSG(test, memcmp(real - rlp, mine - rlp, rlp), 0,
				    "left red zone, %s", when);
		KUNIT_EXPECT_NULL_MSG(test, memchr_inv(mine - rlp, rz, rlp),
				      "left red zone is %#x, %s", rz, when);
		KUNIT_EXPECT_EQ_MSG(test, memcmp(real + g->object_size,
						 mine + g->object_size,
						 g->inuse - g->object_size), 0,
				    "right red zone, %s", when);
	}
	if (g->poison) {
		KUNIT_EXPECT_EQ_MSG(test, memcmp(real, mine, g->object_size), 0,
				    "poisoned object bytes, %s", when);
		KUNIT_EXPECT_EQ_MSG(test, mine[g->object_size - 1], POISON_END,
				    "last byte, %s", when);
	}
	if ((g->flags & SLAB_POISON) && pad) {
		KUNIT_EXPECT_EQ_MSG(test, memcmp(real + g->meta_end,
						 mine + g->meta_end, pad), 0,
				    "padding after the metadata, %s", when);
		KUNIT_EXPECT_NULL_MSG(test, memchr_inv(mine + g->meta_end,
						       POISON_INUSE, pad),
				      "padding is POISON_INUSE, %s", when);
	}
}

/* === Tests ============================================================= */

/*
 * Both caches of a case through kmem_cache_args, where the kernel has it:
 * kmem_cache_create(name, size, &args, flags) and kslab_cache_create_args().
 * Return: false if the case does not apply here (skipped).
 */
static bool create_args(struct kunit *test, const struct cache_case *c,
			const char *real_name, struct kmem_cache **rc,
			struct kslab_cache **s)
{
#if KSLAB_CACHE_ARGS
	struct kmem_cache_args args = {
		.align = c->align,
		.freeptr_offset = c->freeptr1 ? c->freeptr1 - 1 : 0,
		.use_freeptr_offset = c->freeptr1,
	};

	if (c->sheaf && !KSLAB_SHEAVES)
		kunit_skip(test, "no sheaf_capacity before v7.0");
#if KSLAB_SHEAVES
	args.sheaf_capacity = c->sheaf;
#endif
	args.ctor = c->ctor ? real_ctor : NULL;
	*rc = kmem_cache_create(real_name, c->size, &args,
				c->flags | KSLAB_REAL_NO_MERGE);
	args.ctor = c->ctor ? mine_ctor : NULL;
	*s = kslab_cache_create_args("kslab_parity", c->size, &args, c->flags);
	return true;
#else
	kunit_skip(test, "no struct kmem_cache_args before v6.12");
	return false;
#endif
}

static void test_cache_matches_kmem_cache(struct kunit *test)
{
	const struct cache_case *c = test->param_value;
	static const char real_name[] = "kslab_parity_real";
	const struct kslab_geom *g;
	struct side *real, *mine;
	struct kmem_cache *rc;
	struct kslab_cache *s;
	unsigned int val, n;
	struct pair *pp;
	u8 *r, *m;

	KSLAB_TEST_SKIP_KASAN(test);

	atomic_set(&real_ctor_calls, 0);
	atomic_set(&mine_ctor_calls, 0);
	if (c->freeptr1 || c->sheaf) {
		if (!create_args(test, c, real_name, &rc, &s))
			return;
	} else {
		rc = kmem_cache_create(real_name, c->size, c->align,
				       c->flags | KSLAB_REAL_NO_MERGE,
				       c->ctor ? real_ctor : NULL);
		s = kslab_cache_create("kslab_parity", c->size, c->align,
				       c->flags, c->ctor ? mine_ctor : NULL);
	}
	if (!rc || !s) {
		KUNIT_EXPECT_EQ_MSG(test, !s, !rc,
				    "kslab and the kernel disagree on refusing the cache");
		kslab_cache_destroy(s);
		kmem_cache_destroy(rc);
		return;
	}
	pp = kzalloc(sizeof(*pp), GFP_KERNEL);
	if (!pp || !kunit_alloc_resource(test, NULL, pair_free, GFP_KERNEL, pp)) {
		kfree(pp);
		kslab_cache_destroy(s);
		kmem_cache_destroy(rc);
		KUNIT_FAIL(test, "out of memory");
		return;
	}
	pp->rc = rc;
	pp->s = s;
	real = &pp->real;
	mine = &pp->mine;
	g = &s->geom;

	/* What /sys/kernel/slab shows and kmem_cache_size(). */
	KUNIT_EXPECT_EQ(test, kslab_cache_size(s), kmem_cache_size(rc));
	if (!kslab_sysfs_slab_attr(real_name, "slab_size", &val)) {
		KUNIT_EXPECT_EQ_MSG(test, g->size, val, "slab_size");
		KUNIT_ASSERT_EQ(test, kslab_sysfs_slab_attr(real_name, "align", &val), 0);
		KUNIT_EXPECT_EQ_MSG(test, g->align, val, "align");
		KUNIT_ASSERT_EQ(test, kslab_sysfs_slab_attr(real_name, "order", &val), 0);
		KUNIT_EXPECT_EQ_MSG(test, g->order, val, "order");
		KUNIT_ASSERT_EQ(test, kslab_sysfs_slab_attr(real_name, "objs_per_slab", &val), 0);
		KUNIT_EXPECT_EQ_MSG(test, g->objects, val, "objs_per_slab");
		if (KSLAB_SHEAVES) {
			KUNIT_ASSERT_EQ(test,
					kslab_sysfs_slab_attr(real_name, "sheaf_capacity",
							      &val), 0);
			KUNIT_EXPECT_EQ_MSG(test, s->sheaf_capacity, val,
					    "sheaf_capacity");
		}
	}

	/* What real objects show on fresh slabs, against kslab's. */
	n = 2 * g->objects + 1;
	fill(test, rc, NULL, real, n);
	fill(test, NULL, s, mine, n);
	KUNIT_EXPECT_EQ_MSG(test, real->v.max_objects, mine->v.max_objects,
			    "objects counted per slab");
	KUNIT_EXPECT_EQ(test, mine->v.max_objects, g->objects);
	KUNIT_EXPECT_EQ_MSG(test, real->v.order, mine->v.order, "folio order");
	KUNIT_EXPECT_EQ_MSG(test, real->v.stride, mine->v.stride, "stride");
	if (g->objects > 1)
		KUNIT_EXPECT_EQ(test, mine->v.stride, (unsigned long)g->size);
	KUNIT_EXPECT_EQ_MSG(test, real->v.first, mine->v.first,
			    "offset of the first object (left red zone)");
	KUNIT_EXPECT_EQ(test, mine->v.first, (unsigned long)g->red_left_pad);
	KUNIT_EXPECT_EQ_MSG(test, real->align, mine->align, "address alignment");
	KUNIT_EXPECT_EQ(test, mine->align % g->align, 0UL);
	KUNIT_EXPECT_EQ_MSG(test, real->zone, mine->zone, "zone");

	/* Constructor: once per object laid out, never per allocation. */
	if (c->ctor) {
		KUNIT_EXPECT_EQ(test, atomic_read(&mine_ctor_calls),
				(int)kslab_test_count(s, total_objects));
		if (!kslab_sysfs_slab_attr(real_name, "total_objects", &val))
			KUNIT_EXPECT_EQ(test, atomic_read(&real_ctor_calls),
					(int)val);
		KUNIT_EXPECT_EQ(test, atomic_read(&mine_ctor_calls) % g->objects, 0U);
		KUNIT_EXPECT_EQ(test, atomic_read(&real_ctor_calls) % g->objects, 0U);
		kmem_cache_free(rc, (void *)real->objs[0]);
		kslab_cache_free(s, (void *)mine->objs[0]);
		real->objs[0] = (unsigned long)kmem_cache_alloc(rc, GFP_KERNEL);
		mine->objs[0] = (unsigned long)kslab_cache_alloc(s, GFP_KERNEL);
		KUNIT_EXPECT_EQ_MSG(test, atomic_read(&mine_ctor_calls),
				    (int)kslab_test_count(s, total_objects),
				    "a reallocation ran the constructor");
	}

	/* Debug bytes of a live object, then of a freed one. */
	r = full_slab_obj(real);
	m = full_slab_obj(mine);
	if (IS_ENABLED(CONFIG_SLUB_DEBUG) && r && m &&
	    (c->flags & (SLAB_RED_ZONE | SLAB_POISON))) {
		expect_debug_bytes(test, g, r, m, SLUB_RED_ACTIVE, "allocated");
		real->objs[find_obj(real, r)] = 0;
		mine->objs[find_obj(mine, m)] = 0;
		kmem_cache_free(rc, r);
		kslab_cache_free(s, m);
		expect_debug_bytes(test, g, r, m, SLUB_RED_INACTIVE, "freed");
	}

	/* Tear down here to check the result; pair_free() finds nothing. */
	drain(rc, NULL, real);
	drain(NULL, s, mine);
	real->n = 0;
	mine->n = 0;
	real->objs = NULL;
	mine->objs = NULL;
	pp->s = NULL;
	pp->rc = NULL;
	KUNIT_EXPECT_EQ(test, kslab_cache_destroy(s), 0);
	kmem_cache_destroy(rc);
}

/*
 * The constructor runs when a slab is laid out, for every object in it,
 * and not on allocation: objects keep what the user left in them.
 */
static void test_ctor_once_per_object(struct kunit *test)
{
	struct kslab_cache *s;
	unsigned int i, objs;
	void *p[4];
	int built;

	atomic_set(&mine_ctor_calls, 0);
	s = kslab_cache_create("kslab_ctor", 64, 0, 0, mine_ctor);
	KUNIT_ASSERT_NOT_NULL(test, s);
	objs = s->geom.objects;
	KUNIT_EXPECT_EQ(test, atomic_read(&mine_ctor_calls), 0);
	p[0] = kslab_cache_alloc(s, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p[0]);
	/*
	 * A sheaf refill (v7.0+) may take more than one slab: a 60-object
	 * sheaf of 56-object slabs takes two. Each new slab constructs all
	 * of its objects, and nothing else does.
	 */
	built = (int)(kslab_test_count(s, slabs) * objs);
	KUNIT_EXPECT_GT(test, built, 0);
	KUNIT_EXPECT_EQ_MSG(test, atomic_read(&mine_ctor_calls), built,
			    "each new slab constructs all its objects");
	for (i = 1; i < ARRAY_SIZE(p); i++)
		p[i] = kslab_cache_alloc(s, GFP_KERNEL);
	memset(p[1], 0x77, 64);
	kslab_cache_free(s, p[1]);
	p[1] = kslab_cache_alloc(s, GFP_KERNEL);
	KUNIT_EXPECT_EQ_MSG(test, kslab_test_count(s, slabs) * objs,
			    (unsigned long)built, "no new slab for 4 objects");
	KUNIT_EXPECT_EQ_MSG(test, atomic_read(&mine_ctor_calls), built,
			    "allocations from a constructed slab");
	KUNIT_EXPECT_EQ_MSG(test, ((u8 *)p[1])[0], 0x77,
			    "the free pointer is outside an object with a ctor");
	kslab_cache_free_bulk(s, ARRAY_SIZE(p), p);
	KUNIT_EXPECT_EQ(test, kslab_cache_destroy(s), 0);
}

/*
 * SLAB_TYPESAFE_BY_RCU: a freed object keeps its contents (the free
 * pointer is outside it) and an empty slab's pages stay until a grace
 * period has passed.
 */
static void test_typesafe_by_rcu(struct kunit *test)
{
	struct kslab_cache *s;
	long held, pages;
	u8 *p;

	s = kslab_cache_create("kslab_rcu", 64, 0, SLAB_TYPESAFE_BY_RCU, NULL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_EXPECT_GE(test, s->geom.offset, s->geom.inuse);
	p = kslab_cache_alloc(s, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	memset(p, 0x5c, 64);
	held = kslab_stats_pages_held();
	/* A sheaf refill (v7.0+) may have taken more than one slab. */
	pages = kslab_test_count(s, slabs) << s->geom.order;
	KUNIT_EXPECT_GT(test, pages, 0L);

	kslab_cache_free(s, p);
	/* The CPU's slabs go to the node first: flushing may sleep. */
	kslab_flush_all(s);
	rcu_read_lock();
	KUNIT_EXPECT_NULL_MSG(test, memchr_inv(p, 0x5c, 64),
			      "a freed object keeps its contents");
	/*
	 * The shrink itself, without kslab_cache_shrink()'s mutex: nothing
	 * is left to flush, so it does not sleep in the read section.
	 */
	__kslab_cache_shrink(s);
	KUNIT_EXPECT_EQ(test, kslab_test_count(s, slabs), 0UL);
	if (kslab_stats_enabled())
		KUNIT_EXPECT_EQ_MSG(test, kslab_stats_pages_held(), held,
				    "pages freed inside an RCU read section");
	rcu_read_unlock();
	rcu_barrier();
	if (kslab_stats_enabled())
		KUNIT_EXPECT_EQ_MSG(test, kslab_stats_pages_held(),
				    held - pages,
				    "pages not freed after the grace period");
	KUNIT_EXPECT_EQ(test, kslab_cache_destroy(s), 0);
}

/* Bulk allocation is all or nothing; a NULL cache frees to each owner. */
static void test_bulk(struct kunit *test)
{
	struct kslab_cache *s;
	void *p[100], *mixed[3];
	unsigned int i;

	s = kslab_cache_create("kslab_bulk", 48, 0, 0, NULL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_ASSERT_EQ(test, kslab_cache_alloc_bulk(s, GFP_KERNEL,
						     ARRAY_SIZE(p), p),
			(int)ARRAY_SIZE(p));
	for (i = 0; i < ARRAY_SIZE(p); i++)
		KUNIT_EXPECT_PTR_EQ(test, kslab_slab_lookup(p[i])->cache, s);
	KUNIT_EXPECT_EQ(test, kslab_cache_active(s), ARRAY_SIZE(p));
	kslab_cache_free_bulk(s, ARRAY_SIZE(p), p);
	KUNIT_EXPECT_EQ(test, kslab_cache_active(s), 0UL);

	mixed[0] = kslab_cache_alloc(s, GFP_KERNEL);
	mixed[1] = kslab_kmalloc(200, GFP_KERNEL);
	mixed[2] = kslab_kmalloc(3 * PAGE_SIZE, GFP_KERNEL);
	for (i = 0; i < ARRAY_SIZE(mixed); i++)
		KUNIT_ASSERT_NOT_NULL(test, mixed[i]);
	kslab_cache_free_bulk(NULL, ARRAY_SIZE(mixed), mixed);
	KUNIT_EXPECT_EQ(test, kslab_cache_active(s), 0UL);
	KUNIT_EXPECT_EQ(test, kslab_cache_destroy(s), 0);
}

/* kmem_cache_shrink() gives back every empty slab, min_partial or not. */
static void test_shrink(struct kunit *test)
{
	struct kslab_cache *s;
	unsigned int n;
	void **p;

	s = kslab_cache_create("kslab_shrink", 512, 0, 0, NULL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	n = 3 * s->geom.objects;
	p = kunit_kcalloc(test, n, sizeof(*p), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_EQ(test, kslab_cache_alloc_bulk(s, GFP_KERNEL, n, p),
			(int)n);
	KUNIT_EXPECT_EQ(test, kslab_test_count(s, slabs), 3UL);
	kslab_cache_free_bulk(s, n, p);
	KUNIT_EXPECT_EQ_MSG(test, kslab_test_count(s, slabs), 3UL,
			    "empty slabs up to min_partial stay");
	KUNIT_EXPECT_EQ(test, kslab_cache_shrink(s), 0);
	KUNIT_EXPECT_EQ(test, kslab_test_count(s, slabs), 0UL);
	KUNIT_EXPECT_EQ(test, kslab_cache_destroy(s), 0);
}

/*
 * kmem_cache_destroy() with live objects: each is reported with its
 * allocation site, the call fails with -EBUSY, and no page is kept.
 */
static void test_destroy_busy(struct kunit *test)
{
	struct kslab_findings *fs = kslab_test_findings(test);
	struct kslab_violation *busy, *leak;
	struct kslab_cache *s;
	long held;

	held = kslab_stats_pages_held();
	s = kslab_cache_create("kslab_busy", 128, 0, SLAB_STORE_USER, NULL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_ASSERT_NOT_NULL(test, kslab_cache_alloc(s, GFP_KERNEL));
	KUNIT_ASSERT_NOT_NULL(test, kslab_cache_alloc(s, GFP_KERNEL));
	KUNIT_ASSERT_NOT_NULL(test, kslab_cache_alloc(s, GFP_KERNEL));

	KUNIT_EXPECT_EQ(test, kslab_cache_destroy(s), -EBUSY);
	KUNIT_EXPECT_EQ(test, fs->count[KSLAB_REPORT_LEAK], 3U);
	KUNIT_EXPECT_EQ(test, fs->count[KSLAB_REPORT_CACHE_BUSY], 1U);
	busy = &fs->last[KSLAB_REPORT_CACHE_BUSY];
	leak = &fs->last[KSLAB_REPORT_LEAK];
	KUNIT_EXPECT_STREQ(test, busy->cache, "kslab_busy");
	KUNIT_EXPECT_TRUE_MSG(test, kslab_test_site_is(busy->caller,
						       "test_destroy_busy"),
			      "destroy reported from %pS", (void *)busy->caller);
	KUNIT_EXPECT_STREQ(test, leak->cache, "kslab_busy");
	KUNIT_EXPECT_TRUE_MSG(test, kslab_test_site_is(leak->caller,
						       "test_destroy_busy"),
			      "leaked object allocated at %pS",
			      (void *)leak->caller);
	if (kslab_stats_enabled())
		KUNIT_EXPECT_EQ_MSG(test, kslab_stats_pages_held(), held,
				    "pages kept after a busy destroy");
}

static struct kunit_case cache_test_cases[] = {
	KUNIT_CASE_PARAM(test_cache_matches_kmem_cache, cache_gen_params),
	KUNIT_CASE(test_ctor_once_per_object),
	KUNIT_CASE(test_typesafe_by_rcu),
	KUNIT_CASE(test_bulk),
	KUNIT_CASE(test_shrink),
	KUNIT_CASE(test_destroy_busy),
	{}
};

static struct kunit_suite cache_test_suite = {
	.name = "kslab_cache",
	.init = kslab_test_init,
	.exit = kslab_test_exit,
	.test_cases = cache_test_cases,
};

kunit_test_suite(cache_test_suite);
