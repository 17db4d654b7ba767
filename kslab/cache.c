// SPDX-License-Identifier: GPL-2.0
/*
 * The kslab kmalloc cache table: which caches exist, their names, their
 * geometry and their lifetime.
 *
 * Lock order:
 *   1. kslab_cache->lock (raw, irqsave)
 *   2. the slab hash lock in slab.c (raw, irqsave)
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/export.h>
#include <linux/slab.h>

#include "kslab.h"

struct kslab_cache *kslab_caches[KSLAB_NR_TYPES][KSLAB_NR_INDEX] __read_mostly;
EXPORT_SYMBOL_GPL(kslab_caches);

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

static struct kslab_cache *create_cache(unsigned int type, unsigned int index,
					unsigned int size)
{
	struct kslab_cache *s;
	char sn[8];

	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return NULL;
	raw_spin_lock_init(&s->lock);
	INIT_LIST_HEAD(&s->partial);
	INIT_LIST_HEAD(&s->full);
	s->type = type;
	s->index = index;
	short_name(sn, sizeof(sn), size);
	snprintf(s->name, sizeof(s->name), "kslab-%s", sn);
	kslab_calculate_geom(size, kslab_kmalloc_align(size), &s->geom);
	if (!s->geom.objects) {
		pr_err("no slab order fits %s (size %u): check slub_max_order\n",
		       s->name, s->geom.size);
		kfree(s);
		return NULL;
	}
	/* mm/slub.c:calculate_sizes(): allocflags. */
	if (KSLAB_ALWAYS_COMP || s->geom.order)
		s->allocflags |= __GFP_COMP;
	return s;
}

/*
 * Create one cache per existing size class. Mirrors create_kmalloc_caches()
 * and, for v6.12, new_kmalloc_cache() in mm/slab_common.c: when the boot
 * DMA minimum alignment exceeds ARCH_KMALLOC_MINALIGN, a slot points to
 * the cache of its size rounded up to that alignment, named after it.
 */
int kslab_caches_create(void)
{
	unsigned int minalign = kslab_params.boot_minalign;
	unsigned int type = KSLAB_NORMAL;
	unsigned int i;

	for (i = 1; i <= KSLAB_SHIFT_HIGH; i++) {
		unsigned int size = kslab_index_size(i);
		unsigned int idx = i;

		if (!kslab_index_exists(i))
			continue;
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
	return 0;
err:
	kslab_caches_destroy();
	return -ENOMEM;
}

/* True if slot @index shares the cache of another slot. */
bool kslab_cache_is_alias(unsigned int type, unsigned int index)
{
	struct kslab_cache *s = kslab_caches[type][index];

	return s && s->index != index;
}
EXPORT_SYMBOL_GPL(kslab_cache_is_alias);

/*
 * The cache kmalloc(@size, @gfp) is served from, for
 * 0 < @size <= KMALLOC_MAX_CACHE_SIZE.
 */
struct kslab_cache *kslab_cache_of(size_t size, gfp_t gfp)
{
	return kslab_caches[KSLAB_NORMAL][kslab_size_index(size)];
}
EXPORT_SYMBOL_GPL(kslab_cache_of);

/* Release the empty slabs of @s, as kmem_cache_shrink() does. */
void kslab_cache_shrink(struct kslab_cache *s)
{
	kslab_slab_discard_empty(s);
}
EXPORT_SYMBOL_GPL(kslab_cache_shrink);

/*
 * Free every cache. Objects still live are reported as leaks, and their
 * slabs are released anyway: kslab never leaks pages.
 */
void kslab_caches_destroy(void)
{
	unsigned int type, i;

	for (type = 0; type < KSLAB_NR_TYPES; type++) {
		/* Aliases first, while their owners are still allocated. */
		for (i = 0; i < KSLAB_NR_INDEX; i++)
			if (kslab_cache_is_alias(type, i))
				kslab_caches[type][i] = NULL;
		for (i = 0; i < KSLAB_NR_INDEX; i++) {
			struct kslab_cache *s = kslab_caches[type][i];

			if (!s)
				continue;
			kslab_caches[type][i] = NULL;
			kslab_slab_release_all(s);
			kfree(s);
		}
	}
}
