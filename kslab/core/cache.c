// SPDX-License-Identifier: GPL-2.0
/*
 * The kslab kmalloc cache table: which caches exist, their names, their
 * geometry and their lifetime.
 *
 * The slab layers below are in page.c, cpu.c, partial.c and single.c.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/export.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "core.h"

struct kslab_cache *kslab_caches[KSLAB_NR_TYPES][KSLAB_NR_INDEX] __read_mostly;
EXPORT_SYMBOL_NS_GPL(kslab_caches, KSLAB_INTERNAL_NS);

/* kmalloc_info[] short names ("96", "1k", "2M") in mm/slab_common.c. */
static void short_name(char *buf, size_t len, unsigned int size)
{
	if (size >= SZ_1M && !(size % SZ_1M))
		snprintf(buf, len, "%uM", size / SZ_1M);
	else if (size >= SZ_1K && !(size % SZ_1K))
		snprintf(buf, len, "%uk", size / SZ_1K);
	else
		snprintf(buf, len, "%u", size);
}

/*
 * Cache name: kmalloc_info[].name[type] with "kmalloc" replaced by @base
 * (mm/slab_common.c: INIT_KMALLOC_INFO(), KMALLOC_RCL_NAME(), ...).
 */
static void cache_name(char *buf, size_t len, unsigned int type,
		       unsigned int size, const char *base)
{
	char sn[16];

	short_name(sn, sizeof(sn), size);
	if (type == KSLAB_RECLAIM)
		snprintf(buf, len, "%s-rcl-%s", base, sn);
	else if (type == KSLAB_DMA)
		snprintf(buf, len, "dma-%s-%s", base, sn);
	else if (type == KSLAB_CGROUP)
		snprintf(buf, len, "%s-cg-%s", base, sn);
	else if (type > KSLAB_RANDOM_START && type <= KSLAB_RANDOM_END)
		snprintf(buf, len, "%s-" KSLAB_RANDOM_INFIX "-%02u-%s", base,
			 type - KSLAB_RANDOM_START, sn);
	else
		snprintf(buf, len, "%s-%s", base, sn);
}

/*
 * Cache flags of a kmalloc type. Mirrors new_kmalloc_cache() in
 * mm/slab_common.c (v6.1 and v6.12): rcl caches get SLAB_RECLAIM_ACCOUNT,
 * cg caches SLAB_ACCOUNT, dma caches SLAB_CACHE_DMA.
 */
static slab_flags_t type_flags(unsigned int type)
{
	switch (type) {
	case KSLAB_DMA:
		return SLAB_CACHE_DMA;
	case KSLAB_RECLAIM:
		return SLAB_RECLAIM_ACCOUNT;
	case KSLAB_CGROUP:
		return SLAB_ACCOUNT;
	default:
		return 0;
	}
}

/*
 * Page allocation flags of a cache. Mirrors calculate_sizes() in
 * mm/slub.c: __GFP_COMP (v6.12 always, v6.1 for order > 0),
 * SLAB_CACHE_DMA gives GFP_DMA, SLAB_CACHE_DMA32 GFP_DMA32,
 * SLAB_RECLAIM_ACCOUNT __GFP_RECLAIMABLE. SLAB_ACCOUNT charges each
 * object to its memcg in the kernel; kslab charges its slab pages
 * instead, with __GFP_ACCOUNT.
 */
gfp_t kslab_cache_allocflags(slab_flags_t flags, unsigned int order)
{
	gfp_t gfp = 0;

	if (KSLAB_ALWAYS_COMP || order)
		gfp |= __GFP_COMP;
	if (flags & SLAB_CACHE_DMA)
		gfp |= GFP_DMA;
	if (flags & SLAB_CACHE_DMA32)
		gfp |= GFP_DMA32;
	if (flags & SLAB_RECLAIM_ACCOUNT)
		gfp |= __GFP_RECLAIMABLE;
	if (flags & SLAB_ACCOUNT)
		gfp |= __GFP_ACCOUNT;
	return gfp;
}

/* A zeroed cache named @name, its node lists ready; NULL if no memory. */
struct kslab_cache *kslab_cache_new(const char *name)
{
	struct kslab_cache *s = kzalloc(sizeof(*s), GFP_KERNEL);

	if (!s)
		return NULL;
	spin_lock_init(&s->node.list_lock);
	INIT_LIST_HEAD(&s->node.partial);
	INIT_LIST_HEAD(&s->node.slabs);
	strscpy(s->name, name, sizeof(s->name));
	return s;
}

/*
 * A kmalloc cache: SLAB_KMALLOC, the type's flags and what slub_debug=
 * gives its name, laid out by kslab_layout_cache() with the min_objects
 * of kmem_cache_init().
 */
static struct kslab_cache *create_cache(unsigned int type, unsigned int index,
					unsigned int size)
{
	slab_flags_t flags;
	struct kslab_cache *s;
	char name[32];

	/* slub_debug= names the kernel's cache: kmalloc-64, not kslab-64. */
	cache_name(name, sizeof(name), type, size, "kmalloc");
	flags = kslab_boot_cache_flags(&kslab_boot,
				       SLAB_KMALLOC | type_flags(type), name);
	cache_name(name, sizeof(name), type, size, "kslab");
	s = kslab_cache_new(name);
	if (!s)
		return NULL;
	s->type = type;
	s->index = index;
	if (!kslab_layout_cache(size, kslab_kmalloc_align(size), flags,
				false, KSLAB_NO_FREEPTR,
				kslab_params.min_objects, &s->geom)) {
		pr_err("no slab order fits %s (size %u): check slub_max_order\n",
		       s->name, s->geom.size);
		kfree(s);
		return NULL;
	}
	if (kslab_cache_open(s)) {
		kfree(s);
		return NULL;
	}
	return s;
}

/* How a type exists on this kernel. */
enum type_state { TYPE_ABSENT, TYPE_ALIAS_NORMAL, TYPE_OWN };

/*
 * Mirrors enum kmalloc_cache_type and new_kmalloc_cache() in
 * include/linux/slab.h and mm/slab_common.c: no dma caches without
 * ZONE_DMA; rcl aliases normal with SLUB_TINY (v6.12); cg exists with
 * memcg kmem and aliases normal under cgroup.memory=nokmem, which a
 * module cannot read (mem_cgroup_kmem_disabled() is not exported), hence
 * the memcg_nokmem parameter.
 */
static enum type_state type_state(unsigned int type, bool memcg_nokmem)
{
	switch (type) {
	case KSLAB_DMA:
		return IS_ENABLED(CONFIG_ZONE_DMA) ? TYPE_OWN : TYPE_ABSENT;
	case KSLAB_RECLAIM:
		return IS_ENABLED(CONFIG_SLUB_TINY) ? TYPE_ALIAS_NORMAL : TYPE_OWN;
	case KSLAB_CGROUP:
		if (!KSLAB_HAVE_MEMCG_KMEM)
			return TYPE_ABSENT;
		return memcg_nokmem ? TYPE_ALIAS_NORMAL : TYPE_OWN;
	default:
		return TYPE_OWN;
	}
}

/*
 * mm/slub.c:bootstrap_kmalloc_sheaves() and bootstrap_cache_sheaves()
 * (v7.3 8575-8642): once every kmalloc cache exists, each that is no
 * alias gets sheaves, of the capacity calculate_sheaf_capacity() gives
 * (0 for debug caches, which keep none).
 */
static int bootstrap_sheaves(void)
{
	unsigned int type, i;

	for (type = 0; type < KSLAB_NR_TYPES; type++) {
		for (i = 0; i < KSLAB_NR_INDEX; i++) {
			struct kslab_cache *s = kslab_caches[type][i];

			if (!s || kslab_cache_is_alias(type, i))
				continue;
			s->sheaf_capacity = kslab_sheaf_capacity(s, 0);
			if (kslab_sheaves_open(s))
				return -ENOMEM;
		}
	}
	return 0;
}

/*
 * Create one cache per type and existing size class. Mirrors
 * create_kmalloc_caches() and, for v6.12, new_kmalloc_cache() in
 * mm/slab_common.c: when the boot DMA minimum alignment exceeds
 * ARCH_KMALLOC_MINALIGN, a slot points to the cache of its size rounded up
 * to that alignment, named after it.
 */
int kslab_caches_create(bool memcg_nokmem)
{
	unsigned int minalign = kslab_params.boot_minalign;
	unsigned int type, i;

	if (IS_ENABLED(CONFIG_KMALLOC_PARTITION_TYPED)) {
		/* The copy is picked by a compiler token kslab cannot see. */
		pr_err("CONFIG_KMALLOC_PARTITION_TYPED is not mirrored; use a kernel with CONFIG_KMALLOC_PARTITION_RANDOM or without partition caches\n");
		return -EOPNOTSUPP;
	}

	for (type = 0; type < KSLAB_NR_TYPES; type++) {
		enum type_state state = type_state(type, memcg_nokmem);

		for (i = 1; i <= KSLAB_SHIFT_HIGH; i++) {
			unsigned int size = kslab_index_size(i);
			unsigned int idx = i;

			if (state == TYPE_ABSENT || !kslab_index_exists(i))
				continue;
			if (state == TYPE_ALIAS_NORMAL) {
				kslab_caches[type][i] = kslab_caches[KSLAB_NORMAL][i];
				continue;
			}
			if (minalign > kslab_params.kmalloc_minalign) {
				size = ALIGN(size, minalign);
				idx = kslab_size_index(size);
			}
			if (!kslab_caches[type][idx]) {
				kslab_caches[type][idx] = create_cache(type, idx, size);
				if (!kslab_caches[type][idx])
					goto err;
			}
			kslab_caches[type][i] = kslab_caches[type][idx];
		}
	}
	if (KSLAB_SHEAVES && bootstrap_sheaves())
		goto err;
	return 0;
err:
	kslab_caches_destroy();
	return -ENOMEM;
}

/* True if slot [@type][@index] shares the cache of another slot. */
bool kslab_cache_is_alias(unsigned int type, unsigned int index)
{
	struct kslab_cache *s = kslab_caches[type][index];

	return s && (s->index != index || s->type != type);
}
EXPORT_SYMBOL_NS_GPL(kslab_cache_is_alias, KSLAB_INTERNAL_NS);

/* The name of the kernel cache @s mirrors: "kslab" becomes "kmalloc". */
void kslab_cache_kernel_name(const struct kslab_cache *s, char *buf,
			     size_t len)
{
	const char *k = strstr(s->name, "kslab");

	snprintf(buf, len, "%.*skmalloc%s", (int)(k - s->name), s->name,
		 k + strlen("kslab"));
}
EXPORT_SYMBOL_NS_GPL(kslab_cache_kernel_name, KSLAB_INTERNAL_NS);

/*
 * GFP_KERNEL flags that select @type in kmalloc_type(): the type's own
 * page flags are exactly its selecting bits (__GFP_DMA, __GFP_RECLAIMABLE,
 * __GFP_ACCOUNT).
 */
gfp_t kslab_type_gfp(enum kslab_cache_type type)
{
	return GFP_KERNEL |
	       (kslab_cache_allocflags(type_flags(type), 0) & ~__GFP_COMP);
}
EXPORT_SYMBOL_NS_GPL(kslab_type_gfp, KSLAB_INTERNAL_NS);

/*
 * A caller address that kmalloc_type() hashes to random copy @type (any
 * address serves for the other types).
 */
unsigned long kslab_type_caller(enum kslab_cache_type type)
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
EXPORT_SYMBOL_NS_GPL(kslab_type_caller, KSLAB_INTERNAL_NS);

/* The cache type of an allocation: __kslab_kmalloc_type() in core.h. */
enum kslab_cache_type kslab_kmalloc_type(gfp_t gfp, unsigned long caller)
{
	return __kslab_kmalloc_type(gfp, caller);
}

/*
 * The cache kmalloc(@size, @gfp) called from @caller is served from, for
 * 0 < @size <= KMALLOC_MAX_CACHE_SIZE. Mirrors kmalloc_slab().
 */
struct kslab_cache *kslab_cache_of(size_t size, gfp_t gfp,
				   unsigned long caller)
{
	return __kslab_cache_of(size, gfp, caller);
}
EXPORT_SYMBOL_NS_GPL(kslab_cache_of, KSLAB_INTERNAL_NS);

/*
 * Usable size of an object of @s. Mirrors slab_ksize() in mm/slab.h
 * (v6.1) / mm/slub.c (v6.12) with CONFIG_SLUB_DEBUG, without KASAN.
 */
size_t kslab_slab_ksize(const struct kslab_cache *s)
{
	if (s->geom.flags & (SLAB_RED_ZONE | SLAB_POISON))
		return s->geom.object_size;
	if (s->geom.flags & (SLAB_TYPESAFE_BY_RCU | SLAB_STORE_USER))
		return s->geom.inuse;
	return s->geom.size;
}

/*
 * Free every cache. Objects still live are reported as leaks, and their
 * slabs are released anyway: kslab never leaks pages.
 */
void kslab_caches_destroy(void)
{
	unsigned int type, i;

	/* Aliases first, across types, while their owners still exist. */
	for (type = 0; type < KSLAB_NR_TYPES; type++)
		for (i = 0; i < KSLAB_NR_INDEX; i++)
			if (kslab_cache_is_alias(type, i))
				kslab_caches[type][i] = NULL;
	for (type = 0; type < KSLAB_NR_TYPES; type++) {
		for (i = 0; i < KSLAB_NR_INDEX; i++) {
			struct kslab_cache *s = kslab_caches[type][i];

			if (!s)
				continue;
			kslab_caches[type][i] = NULL;
			kslab_slab_release_all(s);
			kslab_cache_close(s);
			kfree(s);
		}
	}
}
