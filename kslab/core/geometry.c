// SPDX-License-Identifier: GPL-2.0
/*
 * Size classes and slab geometry of the kmalloc caches, derived from the
 * running kernel's parameters with SLUB's own rules. Pure functions, no
 * locking, nothing read from the real caches.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cache.h>
#include <linux/cpumask.h>
#include <linux/export.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/mmzone.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "core.h"

struct kslab_params kslab_params __read_mostly;
EXPORT_SYMBOL_NS_GPL(kslab_params, KSLAB_INTERNAL_NS);

/* === Size classes ====================================================== */

/*
 * Sizes up to 192 bytes are mapped through a table because of the 96 and
 * 192 byte classes. Mirrors size_index[] (v6.1) / kmalloc_size_index[]
 * (v6.12) in mm/slab_common.c; indices are kmalloc_info[] slots.
 */
u8 kslab_size_index_table[24] __read_mostly = {
	3,	/* 8 */
	4,	/* 16 */
	5,	/* 24 */
	5,	/* 32 */
	6,	/* 40 */
	6,	/* 48 */
	6,	/* 56 */
	6,	/* 64 */
	1,	/* 72 */
	1,	/* 80 */
	1,	/* 88 */
	1,	/* 96 */
	7,	/* 104 */
	7,	/* 112 */
	7,	/* 120 */
	7,	/* 128 */
	2,	/* 136 */
	2,	/* 144 */
	2,	/* 152 */
	2,	/* 160 */
	2,	/* 168 */
	2,	/* 176 */
	2,	/* 184 */
	2	/* 192 */
};

/*
 * Patch the table for a large KMALLOC_MIN_SIZE. Mirrors
 * setup_kmalloc_cache_index_table() in mm/slab_common.c (same in v6.1 and
 * v6.12); it uses the compile-time minimum only, never the runtime one.
 */
static void setup_index_table(unsigned int min_size, unsigned int shift_low)
{
	unsigned int i;

	for (i = 8; i < min_size; i += 8) {
		unsigned int elem = kslab_size_index_elem(i);

		if (elem >= ARRAY_SIZE(kslab_size_index_table))
			break;
		kslab_size_index_table[elem] = shift_low;
	}
	if (min_size >= 64)	/* no 96-byte class */
		for (i = 64 + 8; i <= 96; i += 8)
			kslab_size_index_table[kslab_size_index_elem(i)] = 7;
	if (min_size >= 128)	/* no 192-byte class */
		for (i = 128 + 8; i <= 192; i += 8)
			kslab_size_index_table[kslab_size_index_elem(i)] = 8;
}

/*
 * Map 1 <= @size <= KMALLOC_MAX_CACHE_SIZE to its kmalloc_info[] index.
 * Mirrors kmalloc_slab() in mm/slab_common.c (v6.1) / mm/slab.h (v6.12).
 */
unsigned int kslab_size_index(size_t size)
{
	return __kslab_size_index(size);
}
EXPORT_SYMBOL_NS_GPL(kslab_size_index, KSLAB_INTERNAL_NS);

/* kmalloc_info[idx].size in mm/slab_common.c. */
unsigned int kslab_index_size(unsigned int index)
{
	if (index == 1)
		return 96;
	if (index == 2)
		return 192;
	return index ? 1U << index : 0;
}
EXPORT_SYMBOL_NS_GPL(kslab_index_size, KSLAB_INTERNAL_NS);

/*
 * Whether create_kmalloc_caches() fills slot @index. Mirrors
 * mm/slab_common.c:create_kmalloc_caches() (v6.1 and v6.12): the 96 and
 * 192 classes exist only when KMALLOC_MIN_SIZE is at most 32 and 64.
 */
bool kslab_index_exists(unsigned int index)
{
	if (index == 1)
		return kslab_params.min_size <= 32;
	if (index == 2)
		return kslab_params.min_size <= 64;
	return index >= kslab_params.shift_low && index <= KSLAB_SHIFT_HIGH;
}
EXPORT_SYMBOL_NS_GPL(kslab_index_exists, KSLAB_INTERNAL_NS);

/* === Alignment ========================================================= */

/*
 * Alignment of the kmalloc cache of @size. Mirrors create_boot_cache() and
 * calculate_alignment() in mm/slab_common.c: v6.1 aligns power-of-two
 * sizes naturally, v6.12 aligns SLAB_KMALLOC caches to the largest power
 * of two dividing the size; then arch_slab_minalign() and a word.
 */
unsigned int kslab_kmalloc_align(unsigned int size)
{
	unsigned int align = kslab_params.kmalloc_minalign;

#if KSLAB_ALIGN_POW2_DIVISOR
	align = max(align, 1U << (ffs(size) - 1));
#else
	if (is_power_of_2(size))
		align = max(align, size);
#endif
	align = max(align, kslab_params.slab_minalign);
	return ALIGN(align, sizeof(void *));
}

/* === Slab order ======================================================== */

unsigned int kslab_get_order(unsigned long size)
{
	return get_order(size);
}

/* mm/slub.c:order_objects() */
static unsigned int order_objects(unsigned int order, unsigned int size)
{
	return ((unsigned int)PAGE_SIZE << order) / size;
}

/*
 * Smallest order from @min_order up to @max_order whose leftover is at
 * most 1/@fract of the slab. Mirrors calc_slab_order() in mm/slub.c
 * (v6.12); v6.1's variant derives min_order from min_objects itself.
 */
static unsigned int calc_slab_order(unsigned int size, unsigned int min_order,
				    unsigned int max_order, unsigned int fract)
{
	unsigned int order;

	for (order = min_order; order <= max_order; order++) {
		unsigned int slab_size = (unsigned int)PAGE_SIZE << order;

		if (slab_size % size <= slab_size / fract)
			break;
	}
	return order;
}

/* mm/slub.c:calc_slab_order() of v6.1. */
static unsigned int calc_slab_order_v1(unsigned int size,
				       unsigned int min_objects,
				       unsigned int max_order,
				       unsigned int fract)
{
	unsigned int min_order = kslab_params.min_order;

	if (order_objects(min_order, size) > KSLAB_MAX_OBJS_PER_PAGE)
		return get_order(size * KSLAB_MAX_OBJS_PER_PAGE) - 1;
	min_order = max_t(unsigned int, min_order,
			  get_order(min_objects * size));
	return calc_slab_order(size, min_order, max_order, fract);
}

/* mm/slub.c:calculate_order() of v6.1: shrink min_objects until it fits. */
static int calculate_order_v1(unsigned int size, unsigned int min_objects)
{
	unsigned int max_order = kslab_params.max_order;
	unsigned int order, fraction;

	min_objects = min(min_objects, order_objects(max_order, size));
	while (min_objects > 1) {
		for (fraction = 16; fraction >= 4; fraction /= 2) {
			order = calc_slab_order_v1(size, min_objects,
						   max_order, fraction);
			if (order <= max_order)
				return order;
		}
		min_objects--;
	}
	order = calc_slab_order_v1(size, 1, max_order, 1);
	if (order <= max_order)
		return order;
	order = calc_slab_order_v1(size, 1, KSLAB_MAX_PAGE_ORDER + 1, 1);
	if (order <= KSLAB_MAX_PAGE_ORDER)
		return order;
	return -EINVAL;	/* -ENOSYS in mm/slub.c */
}

/* mm/slub.c:calculate_order() of v6.12: one min_order, waste 1/16..1/2. */
static int calculate_order_v2(unsigned int size, unsigned int min_objects)
{
	unsigned int max_order = kslab_params.max_order;
	unsigned int min_order, order, fraction;

	min_objects = min(min_objects, max(order_objects(max_order, size), 1U));
	min_order = max_t(unsigned int, kslab_params.min_order,
			  get_order(min_objects * size));
	if (order_objects(min_order, size) > KSLAB_MAX_OBJS_PER_PAGE)
		return get_order(size * KSLAB_MAX_OBJS_PER_PAGE) - 1;
	for (fraction = 16; fraction > 1; fraction /= 2) {
		order = calc_slab_order(size, min_order, max_order, fraction);
		if (order <= max_order)
			return order;
	}
	order = get_order(size);
	if (order <= KSLAB_MAX_PAGE_ORDER)
		return order;
	return -EINVAL;	/* -ENOSYS in mm/slub.c */
}

/*
 * Slab order for objects of stride @size with the running kernel's
 * algorithm; both are kept so the geometry suite can check each.
 */
static int calculate_order(unsigned int size, unsigned int min_objects,
			   bool v2)
{
	return v2 ? calculate_order_v2(size, min_objects) :
		    calculate_order_v1(size, min_objects);
}

int kslab_calculate_order_ver(unsigned int size, bool v2)
{
	return calculate_order(size, kslab_params.min_objects, v2);
}
EXPORT_SYMBOL_NS_GPL(kslab_calculate_order_ver, KSLAB_INTERNAL_NS);

unsigned int kslab_calculate_order(unsigned int size)
{
	return kslab_calculate_order_ver(size, KSLAB_ORDER_V2);
}

/* === Object layout ===================================================== */

/*
 * mm/slab_common.c:calculate_alignment() (v6.1 and v6.12): SLAB_HWCACHE_ALIGN
 * asks for the cache line, halved while the object fits twice; the caller's
 * @align wins if larger; then arch_slab_minalign() and a word.
 */
unsigned int kslab_calculate_alignment(slab_flags_t flags, unsigned int align,
				       unsigned int size)
{
	if (flags & SLAB_HWCACHE_ALIGN) {
		unsigned int ralign = cache_line_size();

		while (size <= ralign / 2)
			ralign /= 2;
		align = max(align, ralign);
	}
	align = max(align, kslab_params.slab_minalign);
	return ALIGN(align, sizeof(void *));
}

/*
 * Object layout, order and partial-list minimum of a cache. Mirrors
 * calculate_sizes() in mm/slub.c with CONFIG_SLUB_DEBUG and without KASAN
 * (W = sizeof(void *)):
 *
 *   [left red zone, red_left_pad][object][right red zone up to inuse]
 *   [free pointer, if it cannot overlay the object]
 *   [alloc track][free track][orig_size, kmalloc only]  <- SLAB_STORE_USER
 *   [one red-zone word][padding to align]               <- SLAB_RED_ZONE
 *
 * The free pointer leaves the object for SLAB_TYPESAFE_BY_RCU, SLAB_POISON,
 * a constructor, a red-zoned object smaller than a word, and (v6.12) a
 * red-zoned kmalloc cache with STORE_USER, whose orig_size makes the
 * bytes past the request a red zone too. A @freeptr other than
 * KSLAB_NO_FREEPTR (kmem_cache_args.freeptr_offset, checked by the
 * caller) keeps it inside the object, at that offset, for an RCU cache
 * or (KSLAB_FREEPTR_CTOR) one with a constructor; SLAB_POISON and the
 * red zone rules still move it out. The orig_size slot is 4 bytes in
 * v6.1 and 8 in v6.12 (KSLAB_ORIG_SIZE_BYTES). Then calculate_order(),
 * s->oo, s->min and min_partial (kmem_cache_open() v6.1 /
 * do_kmem_cache_create() v6.12).
 *
 * Return: false if no slab order fits (calculate_sizes() returns 0).
 */
bool kslab_calculate_sizes(unsigned int object_size, unsigned int align,
			   slab_flags_t flags, bool ctor, unsigned int freeptr,
			   unsigned int min_objects, struct kslab_geom *g)
{
	bool custom = freeptr != KSLAB_NO_FREEPTR;
	/* The reasons a custom offset may stand for (v6.12: RCU only). */
	bool rcu = flags & SLAB_TYPESAFE_BY_RCU;
	bool own = rcu || (KSLAB_FREEPTR_CTOR && ctor);

	unsigned int size = ALIGN(object_size, sizeof(void *));
	bool orig_size = (flags & SLAB_STORE_USER) && (flags & SLAB_KMALLOC);
	int order;

	memset(g, 0, sizeof(*g));
	g->object_size = object_size;
	g->align = align;
	g->flags = flags;
	g->poison = (flags & SLAB_POISON) && !(flags & SLAB_TYPESAFE_BY_RCU) &&
		    !ctor;			/* __OBJECT_POISON */
	if ((flags & SLAB_RED_ZONE) && size == object_size)
		size += sizeof(void *);		/* right red zone */
	g->inuse = size;

	if ((rcu && !custom) || (flags & SLAB_POISON) ||
	    (ctor && !(KSLAB_FREEPTR_CTOR && custom)) ||
	    ((flags & SLAB_RED_ZONE) &&
	     (object_size < sizeof(void *) ||
	      (KSLAB_KMALLOC_REDZONE && orig_size)))) {
		g->offset = size;
		size += sizeof(void *);
	} else if (own && custom) {
		g->offset = freeptr;
	} else {
		g->offset = ALIGN_DOWN(object_size / 2, sizeof(void *));
	}

	if (flags & SLAB_STORE_USER) {
		g->track = g->offset >= g->inuse ? g->inuse + sizeof(void *) :
						   g->inuse;	/* get_info_end() */
		size += 2 * sizeof(struct kslab_track);
		if (orig_size)
			size += KSLAB_ORIG_SIZE_BYTES;
	}
	g->meta_end = size;	/* check_pad_bytes(): POISON_INUSE from here */

	if (flags & SLAB_RED_ZONE) {
		size += sizeof(void *);
		g->red_left_pad = ALIGN(sizeof(void *), align);
		size += g->red_left_pad;
	}

	g->size = ALIGN(size, align);
	order = calculate_order(g->size, min_objects, KSLAB_ORDER_V2);
	if (order < 0)
		return false;
	g->order = order;
	g->objects = order_objects(g->order, g->size);
	g->min_order = get_order(g->size);
	g->min_objects = order_objects(g->min_order, g->size);
	g->min_partial = clamp_t(unsigned int, ilog2(g->size) / 2,
				 KSLAB_MIN_PARTIAL, KSLAB_MAX_PARTIAL);
	return g->objects;
}

/*
 * A cache's layout as kmem_cache_open() (v6.1) / do_kmem_cache_create()
 * (v6.12) in mm/slub.c makes it: calculate_sizes(), then, under
 * slub_debug=O, without the metadata flags if they raised the order above
 * the object's own get_order().
 */
bool kslab_layout_cache(unsigned int object_size, unsigned int align,
			slab_flags_t flags, bool ctor, unsigned int freeptr,
			unsigned int min_objects, struct kslab_geom *g)
{
	if (!kslab_calculate_sizes(object_size, align, flags, ctor, freeptr,
				   min_objects, g))
		return false;
	if (kslab_boot.higher_order_disable &&
	    get_order(g->size) > get_order(object_size))
		return kslab_calculate_sizes(object_size, align,
					     flags & ~KSLAB_DEBUG_METADATA_FLAGS,
					     ctor, freeptr, min_objects, g);
	return true;
}
EXPORT_SYMBOL_NS_GPL(kslab_layout_cache, KSLAB_INTERNAL_NS);

/* === Parameters ======================================================== */

static unsigned int nr_cpus_param;	/* nr_cpus= module parameter, or 0 */
static unsigned int min_objects_param;	/* slub_min_objects=, or 0 */

/*
 * mm/slub.c:calculate_order() (v6.1 and v6.12): automatic min_objects
 * from the CPU count, num_present_cpus() or nr_cpu_ids when that is 1.
 */
static unsigned int present_nr_cpus(void)
{
	unsigned int nr = num_present_cpus();

	return nr <= 1 ? nr_cpu_ids : nr;
}

static unsigned int auto_min_objects(unsigned int nr_cpus)
{
	return 4 * (fls(nr_cpus) + 1);
}

/*
 * min_objects for a cache created now: calculate_order() evaluates it at
 * each kmem_cache_create(), so a lookaside cache sees the CPUs present
 * now, where the kmalloc caches saw those of kmem_cache_init(). The
 * module parameters override both.
 */
unsigned int kslab_min_objects_now(void)
{
	return min_objects_param ?:
	       auto_min_objects(nr_cpus_param ?: present_nr_cpus());
}

/*
 * The CPU count calculate_order() saw when the kmalloc caches were made
 * in kmem_cache_init(). x86 has parsed the firmware tables by then, so
 * the present count is final; arm64 marks only the boot CPU present until
 * smp_prepare_cpus(), so it gets nr_cpu_ids.
 */
static unsigned int boot_nr_cpus(void)
{
	return IS_ENABLED(CONFIG_ARM64) ? nr_cpu_ids : present_nr_cpus();
}

/*
 * Derive every geometry input: @b holds SLUB's boot parameters as the
 * kernel's handlers left them (kslab/core/boot.c), clamps included; 0
 * means automatic for @nr_cpus and @minalign.
 */
void kslab_params_init(unsigned int nr_cpus, unsigned int minalign,
		       const struct kslab_boot *b)
{
	struct kslab_params *p = &kslab_params;

	/* include/linux/slab.h: KMALLOC_MIN_SIZE and KMALLOC_SHIFT_LOW. */
	p->kmalloc_minalign = ARCH_KMALLOC_MINALIGN;
	p->min_size = max_t(unsigned int, ARCH_KMALLOC_MINALIGN, 8);
	p->shift_low = ilog2(p->min_size);
	p->slab_minalign = arch_slab_minalign();
	p->boot_minalign = max(minalign ?:
			       kslab_boot_dma_minalign(b->swiotlb_noforce),
			       p->slab_minalign);

	nr_cpus_param = nr_cpus;
	min_objects_param = b->min_objects;
	p->nr_cpus = nr_cpus ?: boot_nr_cpus();
	p->min_objects = b->min_objects ?: auto_min_objects(p->nr_cpus);
	p->min_order = b->min_order;
	p->max_order = b->max_order;

	setup_index_table(p->min_size, p->shift_low);
}
