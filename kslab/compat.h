/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel-version shims and mirrors of mm/-private definitions.
 * This is the only file in kslab that may test LINUX_VERSION_CODE.
 *
 * kslab is verified on the Debian 6.1 (6.1.192) and 6.12 (6.12.117) trees.
 * Version cut-offs marked (†) are where the rule changed upstream between
 * those two releases; the exact release was not verified here, so kernels
 * between 6.2 and 6.11 are best effort and guarded only by the parity suites.
 */
#ifndef KSLAB_COMPAT_H
#define KSLAB_COMPAT_H

#include <linux/dma-mapping.h>
#include <linux/export.h>
#include <linux/gfp.h>
#include <linux/mmzone.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/version.h>

/* === Version families ================================================== */

/*
 * Eras of SLUB's per-CPU layer, and where each is mirrored:
 *
 *   era       per-CPU layer                       kslab
 *   v6.1      cpu slab, frozen CPU partial slabs  core/cpu.c, partial.c
 *   v6.12     cpu slab, unfrozen CPU partials     core/cpu.c, partial.c
 *   v7.0 (†)  sheaves over a per-node barn;       core/sheaf.c, sheaf.h
 *             no cpu slab, no CPU partial list
 *
 * v7.0 (†): struct kmem_cache_cpu and CONFIG_SLUB_CPU_PARTIAL are gone;
 * every cache but the debug, SLAB_NOLEAKTRACE and boot caches has per-CPU
 * main and spare sheaves (v7.3 mm/slub.c:calculate_sheaf_capacity()
 * 7872-7917, alloc_from_pcs() 4826-4877, free_to_pcs() 6014-6038). The
 * release is the one Documentation/ABI/testing/sysfs-kernel-slab (v7.3
 * 110-119) names for the removal of per-cpu (partial) slabs; verified on
 * the Debian 7.3.4 tree only.
 */
#define KSLAB_SHEAVES		(KERNEL_VERSION(7, 0, 0) <= LINUX_VERSION_CODE)

/*
 * v6.8 (†): calculate_order() rewritten around min_order and waste
 * fractions 16..2 (mm/slub.c); before, a min_objects-- loop.
 */
#define KSLAB_ORDER_V2		(KERNEL_VERSION(6, 8, 0) <= LINUX_VERSION_CODE)

/*
 * v6.12: create_boot_cache() aligns SLAB_KMALLOC caches to the largest
 * power-of-two divisor of their size (kmalloc-96 -> 32, -192 -> 64);
 * v6.1 only aligns power-of-two sizes naturally (mm/slab_common.c).
 */
#define KSLAB_ALIGN_POW2_DIVISOR (KERNEL_VERSION(6, 12, 0) <= LINUX_VERSION_CODE)

/*
 * v6.5 (†): kmalloc caches may alias up to a runtime DMA minimum alignment
 * (mm/slab_common.c:__kmalloc_minalign(), new_kmalloc_cache()).
 */
#define KSLAB_RUNTIME_MINALIGN	(KERNEL_VERSION(6, 5, 0) <= LINUX_VERSION_CODE)

/*
 * v6.12: allocflags always carry __GFP_COMP; v6.1 only for order > 0
 * (mm/slub.c:calculate_sizes()).
 */
#define KSLAB_ALWAYS_COMP	(KERNEL_VERSION(6, 12, 0) <= LINUX_VERSION_CODE)

/*
 * v6.12: kmalloc_size_roundup() returns sizes above KMALLOC_MAX_SIZE
 * unchanged; v6.1 rounds them to PAGE_SIZE << get_order() (and so may wrap).
 */
#define KSLAB_ROUNDUP_KEEPS_HUGE (KERNEL_VERSION(6, 12, 0) <= LINUX_VERSION_CODE)

/*
 * SLAB_STORE_USER on a kmalloc cache keeps the request size after the
 * tracks: unsigned int in v6.1, unsigned long in v6.12 (†)
 * (mm/slub.c:set_orig_size(), calculate_sizes()).
 */
#if KERNEL_VERSION(6, 12, 0) <= LINUX_VERSION_CODE
#define KSLAB_ORIG_SIZE_BYTES	8
#else
#define KSLAB_ORIG_SIZE_BYTES	4
#endif

/*
 * v6.2 (†): a red-zoned kmalloc object with orig_size is red-zoned past
 * the request too, which moves the free pointer out of the object
 * (mm/slub.c:calculate_sizes(), init_object(), check_object()).
 */
#define KSLAB_KMALLOC_REDZONE	(KERNEL_VERSION(6, 2, 0) <= LINUX_VERSION_CODE)

/*
 * The KUnit test running in this task, for kslab's named resource.
 * v6.12 (6.3 †): kunit_get_current_test(); v6.1: current->kunit_test,
 * as mm/kasan/report.c reads it.
 */
#if KERNEL_VERSION(6, 3, 0) <= LINUX_VERSION_CODE
#include <kunit/test-bug.h>
#define kslab_current_test()	kunit_get_current_test()
#elif IS_ENABLED(CONFIG_KUNIT)
#define kslab_current_test()	(current->kunit_test)
#else
#define kslab_current_test()	((struct kunit *)NULL)
#endif

/*
 * A real kmem_cache that is never merged, for the parity tests: v6.12
 * has SLAB_NO_MERGE; v6.1 needs a SLAB_NEVER_MERGE flag without effect
 * on the layout, SLAB_NOLEAKTRACE (mm/slab_common.c).
 */
#ifdef SLAB_NO_MERGE
#define KSLAB_REAL_NO_MERGE	SLAB_NO_MERGE
#else
#define KSLAB_REAL_NO_MERGE	SLAB_NOLEAKTRACE
#endif

/*
 * Trace events: v6.10 (†) __assign_str() takes only the field, the source
 * coming from __string(); v6.1 takes both.
 */
#if KERNEL_VERSION(6, 10, 0) <= LINUX_VERSION_CODE
#define KSLAB_ASSIGN_STR(field, src)	__assign_str(field)
#else
#define KSLAB_ASSIGN_STR(field, src)	__assign_str(field, src)
#endif

/*
 * Flags kmem_cache_create() accepts: SLAB_FLAGS_PERMITTED in mm/slab.h.
 * v6.1 also takes SLAB_MEM_SPREAD; v6.12 SLAB_KMALLOC and SLAB_NO_MERGE.
 * v6.1 then drops SLAB_KMALLOC-like bits outside CACHE_CREATE_MASK.
 */
#define KSLAB_FLAGS_COMMON	(SLAB_HWCACHE_ALIGN | SLAB_CACHE_DMA | \
				 SLAB_CACHE_DMA32 | SLAB_PANIC | \
				 SLAB_TYPESAFE_BY_RCU | SLAB_DEBUG_OBJECTS | \
				 SLAB_RED_ZONE | SLAB_POISON | \
				 SLAB_STORE_USER | SLAB_TRACE | \
				 SLAB_CONSISTENCY_CHECKS | SLAB_NOLEAKTRACE | \
				 SLAB_RECLAIM_ACCOUNT | SLAB_TEMPORARY | \
				 SLAB_ACCOUNT | SLAB_NO_USER_FLAGS)
#if KERNEL_VERSION(6, 12, 0) <= LINUX_VERSION_CODE
#define KSLAB_FLAGS_PERMITTED	(KSLAB_FLAGS_COMMON | SLAB_KMALLOC | \
				 SLAB_NO_MERGE)
#else
#define KSLAB_FLAGS_PERMITTED	(KSLAB_FLAGS_COMMON | SLAB_MEM_SPREAD)
#endif

/*
 * v6.8 (†): SLUB's boot parameters are also spelt slab_* (slab_debug,
 * slab_min_order=, slab_max_order=, slab_min_objects=; mm/slub.c), and
 * setup_slub_min_order()/setup_slub_max_order() keep min <= max. v6.1
 * has only the slub_* spellings and clamps slub_max_order alone.
 */
#define KSLAB_SETUP_SLAB_NAMES	(KERNEL_VERSION(6, 8, 0) <= LINUX_VERSION_CODE)
#define KSLAB_SETUP_CLAMPS	KSLAB_SETUP_SLAB_NAMES
/*
 * v7.3 (mm/slub.c:1964-1969, 8236-8279): slub_debug, slub_min_order=,
 * slub_max_order= and slub_min_objects= (and their slab_* spellings) are
 * core_param()s, not __setup()s: parse_args() matches the whole name
 * ("slub_debugfoo" is no longer full debugging) and the values go
 * through kstrtouint(, 0) (param_set_uint(), setup_slub_min_order()),
 * which rejects trailing junk and signs and then changes nothing, where
 * get_option() took what digits there were. Checked in 6.12 (__setup)
 * and 7.3; taken here from v7.0 with the sheaves, 7.0-7.2 not checked.
 */
#define KSLAB_CORE_PARAMS	(KERNEL_VERSION(7, 0, 0) <= LINUX_VERSION_CODE)

/*
 * struct kmem_cache_args (v6.12 include/linux/slab.h): kslab_cache_create_args()
 * exists where it does; the test is KSLAB_HAVE_CACHE_ARGS of
 * include/kslab.h, which users see too. v6.12 takes freeptr_offset for
 * SLAB_TYPESAFE_BY_RCU caches only (slab_common.c:create_cache():234-237);
 * v7.3 for caches with a constructor as well (:242-246, and
 * calculate_sizes() 7965-7991), from v7.0 here (7.0-7.2 not checked). v7.3
 * adds sheaf_capacity (slab.h:297-387).
 */
#define KSLAB_CACHE_ARGS	KSLAB_HAVE_CACHE_ARGS
#define KSLAB_FREEPTR_CTOR	(KERNEL_VERSION(7, 0, 0) <= LINUX_VERSION_CODE)
/*
 * kmem_buckets (v6.11): kslab_buckets_create() exists where
 * kmem_buckets_alloc() does (KSLAB_HAVE_BUCKETS of include/kslab.h) and
 * makes caches where the kernel would, with CONFIG_SLAB_BUCKETS
 * (mm/slab_common.c:kmem_buckets_create(), v6.12 404-482 and v7.3 432-510
 * alike); without it both return ZERO_SIZE_PTR and allocate from kmalloc.
 * kmalloc_slab() (v6.12 mm/slab.h:417, v7.3 :432) indexes the buckets by
 * size alone: their caller's GFP type and v7.3's partition token pick
 * nothing.
 */
#if KSLAB_HAVE_BUCKETS && IS_ENABLED(CONFIG_SLAB_BUCKETS)
#define KSLAB_BUCKETS		1
#else
#define KSLAB_BUCKETS		0
#endif
/*
 * mm/slab.h:system_has_freelist_aba() (v6.7+; mm/slab.h is not in the
 * headers packages): the double-word cmpxchg of freelist and counters,
 * where struct page is aligned for it. kmalloc_nolock() needs it for a
 * non-debug cache (mm/slub.c:_kmalloc_nolock_noprof()).
 */
#if defined(CONFIG_64BIT) && defined(system_has_cmpxchg128) && \
	defined(CONFIG_HAVE_ALIGNED_STRUCT_PAGE)
#define kslab_freelist_aba()	system_has_cmpxchg128()
#elif !defined(CONFIG_64BIT) && defined(system_has_cmpxchg64) && \
	defined(CONFIG_HAVE_ALIGNED_STRUCT_PAGE)
#define kslab_freelist_aba()	system_has_cmpxchg64()
#else
#define kslab_freelist_aba()	false
#endif

#if KSLAB_SHEAVES
#define kslab_args_sheaf_capacity(args)	((args)->sheaf_capacity)
#else
#define kslab_args_sheaf_capacity(args)	0U
#endif

/* v6.4 (†): MAX_ORDER became inclusive; v6.8 (†): renamed MAX_PAGE_ORDER. */
#if defined(MAX_PAGE_ORDER)
#define KSLAB_MAX_PAGE_ORDER	MAX_PAGE_ORDER
#elif KERNEL_VERSION(6, 4, 0) <= LINUX_VERSION_CODE
#define KSLAB_MAX_PAGE_ORDER	MAX_ORDER
#else
#define KSLAB_MAX_PAGE_ORDER	(MAX_ORDER - 1)
#endif

/*
 * Pages on node @node (not NUMA_NO_NODE): __alloc_pages_node() up to
 * v6.12; v7.3 (6.15 †) removed it, and alloc_pages_node() is the same
 * call for a real node (include/linux/gfp.h).
 */
#if KERNEL_VERSION(6, 15, 0) <= LINUX_VERSION_CODE
#define kslab_alloc_pages_node(node, gfp, order) alloc_pages_node(node, gfp, order)
#else
#define kslab_alloc_pages_node(node, gfp, order) __alloc_pages_node(node, gfp, order)
#endif

/*
 * Pages of a large kmalloc. v6.12 (mm/slub.c:___kmalloc_large_node())
 * uses alloc_pages() for NUMA_NO_NODE, so the task mempolicy applies;
 * v6.1 (mm/slab_common.c:__kmalloc_large_node()) uses alloc_pages_node().
 */
static inline struct page *kslab_large_alloc_pages(gfp_t gfp, int node,
						   unsigned int order)
{
#if KERNEL_VERSION(6, 12, 0) <= LINUX_VERSION_CODE
	if (node == NUMA_NO_NODE)
		return alloc_pages(gfp, order);
	return kslab_alloc_pages_node(node, gfp, order);
#else
	return alloc_pages_node(node, gfp, order);
#endif
}

/*
 * v6.10 (†): CONFIG_MEMCG_KMEM folded into CONFIG_MEMCG; the cg kmalloc
 * caches exist with it (include/linux/slab.h: KMALLOC_NOT_NORMAL_BITS).
 */
#if defined(CONFIG_MEMCG_KMEM) || \
	(KERNEL_VERSION(6, 10, 0) <= LINUX_VERSION_CODE && defined(CONFIG_MEMCG))
#define KSLAB_HAVE_MEMCG_KMEM	1
#else
#define KSLAB_HAVE_MEMCG_KMEM	0
#endif

/*
 * v6.6 (†): CONFIG_RANDOM_KMALLOC_CACHES, 15 copies of the normal caches,
 * named kmalloc-rnd-NN-<size> (v6.12 mm/slab_common.c:812-826). v7.3
 * renames them CONFIG_KMALLOC_PARTITION_CACHES, kmalloc-part-NN-<size>
 * (include/linux/slab.h:697-701, mm/slab_common.c:844-861); its typed
 * mode (a clang token) is not mirrored: kslab then refuses to load
 * (kslab/core/cache.c).
 */
#if defined(CONFIG_KMALLOC_PARTITION_CACHES)
#define KSLAB_RANDOM_NR		KMALLOC_PARTITION_CACHES_NR
#define KSLAB_RANDOM_INFIX	"part"
#elif defined(CONFIG_RANDOM_KMALLOC_CACHES)
#define KSLAB_RANDOM_NR		RANDOM_KMALLOC_CACHES_NR
#define KSLAB_RANDOM_INFIX	"rnd"
#else
#define KSLAB_RANDOM_NR		0
#define KSLAB_RANDOM_INFIX	"rnd"
#endif

/*
 * A real kmalloc accounted to @caller, for the tests. v6.12 (6.10 †):
 * kmalloc_node_track_caller_noprof(); v6.1: __kmalloc_node_track_caller().
 */
#if KERNEL_VERSION(6, 10, 0) <= LINUX_VERSION_CODE
#define kslab_real_kmalloc_caller(size, gfp, caller)			\
	kmalloc_node_track_caller_noprof(size, gfp, NUMA_NO_NODE, caller)
#else
#define kslab_real_kmalloc_caller(size, gfp, caller)			\
	__kmalloc_node_track_caller(size, gfp, NUMA_NO_NODE, caller)
#endif

/*
 * Timer API renames, for the test modules' contexts: v6.15 (†)
 * del_timer_sync() -> timer_delete_sync(), destroy_timer_on_stack() ->
 * timer_destroy_on_stack(), from_timer() -> timer_container_of() (v6.16
 * †); v6.13 (†) hrtimer_setup() and hrtimer_setup_on_stack() replace
 * hrtimer_init() and a separate .function (include/linux/timer.h,
 * include/linux/hrtimer.h of v7.3).
 */
#if KERNEL_VERSION(6, 15, 0) > LINUX_VERSION_CODE
#define timer_delete_sync(t)		del_timer_sync(t)
#define timer_destroy_on_stack(t)	destroy_timer_on_stack(t)
#endif
#if KERNEL_VERSION(6, 16, 0) > LINUX_VERSION_CODE
#define timer_container_of(var, t, field) from_timer(var, t, field)
#endif
#if KERNEL_VERSION(6, 13, 0) > LINUX_VERSION_CODE
#define hrtimer_setup(t, fn, clock, mode)				\
	do {								\
		struct hrtimer *__t = (t);				\
									\
		hrtimer_init(__t, clock, mode);				\
		__t->function = (fn);					\
	} while (0)
#define hrtimer_setup_on_stack(t, fn, clock, mode)			\
	do {								\
		struct hrtimer *__t = (t);				\
									\
		hrtimer_init_on_stack(__t, clock, mode);		\
		__t->function = (fn);					\
	} while (0)
#endif

/*
 * A KUnit parameter generator's first arguments: v7.3 (6.17 †) passes
 * the test (include/kunit/test.h:131); kunit/ktap.h's shim takes the old
 * form.
 */
#if KERNEL_VERSION(6, 17, 0) <= LINUX_VERSION_CODE && IS_ENABLED(CONFIG_KUNIT)
#define KSLAB_GEN_PARAMS_ARGS	struct kunit *gen_test, const void *prev, char *desc
#else
#define KSLAB_GEN_PARAMS_ARGS	const void *prev, char *desc
#endif

/* === Symbol namespaces ================================================= */

/*
 * kslab's internals that its test modules call are exported GPL-only in
 * the symbol namespace KSLAB_INTERNAL:
 *	EXPORT_SYMBOL_NS_GPL(sym, KSLAB_INTERNAL_NS);
 * and kslab_kunit.ko has MODULE_IMPORT_NS(KSLAB_INTERNAL_NS); a user
 * module sees only the public API of include/kslab.h. Up to v6.12 both
 * macros take the namespace as a bare token and __stringify() it
 * (include/linux/export.h: v6.1:153, v6.12:77; include/linux/module.h:
 * v6.1:294, v6.12:301); the argument is macro-expanded first, so
 * KSLAB_INTERNAL_NS becomes the token KSLAB_INTERNAL, which must stay
 * undefined. From v6.13 they take a string literal (commit cdd30ebb1b9f,
 * "module: Convert symbol namespace to string literal").
 *
 * Not EXPORT_SYMBOL_IF_KUNIT() (include/kunit/visibility.h, v6.2 (†);
 * Debian's 6.1.192 has it as a backport): it exports nothing without
 * CONFIG_KUNIT, where kslab_kunit.ko is to build too (against a shim); it
 * drops the GPL restriction (EXPORT_SYMBOL_NS()); and its namespace,
 * EXPORTED_FOR_KUNIT_TESTING, holds every test-only export of the kernel,
 * so importing it would open all of them and say nothing of kslab.
 */
#if KERNEL_VERSION(6, 13, 0) <= LINUX_VERSION_CODE
#define KSLAB_INTERNAL_NS	"KSLAB_INTERNAL"
#else
#define KSLAB_INTERNAL_NS	KSLAB_INTERNAL
#endif

/* === Mirrors of mm/-private definitions ================================ */

/* mm/internal.h: v6.1:24 (with __GFP_ATOMIC), v6.12:33 (without). */
#ifdef __GFP_ATOMIC
#define KSLAB_GFP_ATOMIC_BIT	__GFP_ATOMIC
#else
#define KSLAB_GFP_ATOMIC_BIT	0
#endif
#define KSLAB_GFP_RECLAIM_MASK	(__GFP_RECLAIM | __GFP_HIGH | __GFP_IO | \
				 __GFP_FS | __GFP_NOWARN | \
				 __GFP_RETRY_MAYFAIL | __GFP_NOFAIL | \
				 __GFP_NORETRY | __GFP_MEMALLOC | \
				 __GFP_NOMEMALLOC | KSLAB_GFP_ATOMIC_BIT | \
				 __GFP_NOLOCKDEP)

/* mm/internal.h: v6.1:33, v6.12:42. */
#define KSLAB_GFP_CONSTRAINT_MASK (__GFP_HARDWALL | __GFP_THISNODE)

/*
 * GFP_SLAB_BUG_MASK in mm/internal.h (v6.1:36, v6.12:45): the bits
 * kmalloc_fix_flags() strips. __GFP_BITS_MASK differs, both are public.
 */
#define KSLAB_GFP_FIXUP_MASK	(__GFP_DMA32 | __GFP_HIGHMEM | ~__GFP_BITS_MASK)

/* mm/slub.c: MAX_OBJS_PER_PAGE, identical in both. */
#define KSLAB_MAX_OBJS_PER_PAGE	32767

/* mm/slub.c: MIN_PARTIAL / MAX_PARTIAL, identical in both. */
#define KSLAB_MIN_PARTIAL	5
#define KSLAB_MAX_PARTIAL	10

/*
 * The DMA cache-line alignment kmalloc honours at boot, before
 * arch_slab_minalign(). Mirrors mm/slab_common.c:__kmalloc_minalign()
 * (v6.12). is_swiotlb_allocated() is not exported: with
 * CONFIG_DMA_BOUNCE_UNALIGNED_KMALLOC (arm64) mem_init() always asks for a
 * swiotlb, which swiotlb=noforce on the command line (@swiotlb_noforce,
 * kslab/core/boot.c) refuses. v6.1 has no runtime part.
 */
static inline unsigned int kslab_boot_dma_minalign(bool swiotlb_noforce)
{
#if KSLAB_RUNTIME_MINALIGN
	if (IS_ENABLED(CONFIG_DMA_BOUNCE_UNALIGNED_KMALLOC) && !swiotlb_noforce)
		return ARCH_KMALLOC_MINALIGN;
	return dma_get_cache_alignment();
#else
	return ARCH_KMALLOC_MINALIGN;
#endif
}

#endif /* KSLAB_COMPAT_H */
