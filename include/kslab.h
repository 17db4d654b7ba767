/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kslab's public API: all that a module may call in kslab.ko.
 *
 * The calls shadow kmalloc() and the kmem_cache API: the same size
 * classes, GFP rules, alignment and ksize() as the running kernel's
 * kmalloc caches, served from kslab's own slabs. Misuse (a double,
 * interior or foreign free, bad flags, a blocking allocation in atomic
 * context, a red zone or poison overwritten on a debug cache) is reported
 * once, counted and recorded in debugfs kslab/violations; it never oopses.
 *
 * kslab.ko exports these with EXPORT_SYMBOL_GPL. Build a user module with
 * this directory on its include path and kslab's Module.symvers in
 * KBUILD_EXTRA_SYMBOLS; examples/ in the kslab tree is such a module.
 * What kslab.ko exports in the KSLAB_INTERNAL namespace is for its own
 * KUnit suites and may change at any time; it is not part of this API.
 */
#ifndef KSLAB_H
#define KSLAB_H

#include <linux/gfp.h>
#include <linux/slab.h>
#include <linux/types.h>

/*
 * kslab_cache_create_args() takes the kernel's struct kmem_cache_args,
 * which came (v6.12) with kmem_cache_create() as a macro that picks
 * __kmem_cache_create_args() for it: a feature test, which
 * kslab/compat.h's KSLAB_CACHE_ARGS is too.
 */
#ifdef kmem_cache_create
#define KSLAB_HAVE_CACHE_ARGS	1
#else
#define KSLAB_HAVE_CACHE_ARGS	0
#endif

/* kslab_kmalloc_nolock() and _kfree_nolock(), where the kernel has them. */
#ifdef kmalloc_nolock
#define KSLAB_HAVE_NOLOCK	1
#else
#define KSLAB_HAVE_NOLOCK	0
#endif

/*
 * kslab_buckets_create() and _alloc(), where the kernel has
 * kmem_buckets_create() (v6.11) and kmem_buckets_alloc().
 */
#ifdef kmem_buckets_alloc
#define KSLAB_HAVE_BUCKETS	1
#else
#define KSLAB_HAVE_BUCKETS	0
#endif

/* A lookaside cache of kslab's; opaque to users. */
struct kslab_cache;
/* A set of kmalloc-like buckets; opaque to users. */
struct kslab_buckets;

/* === kmalloc-like allocation =========================================== */

/*
 * The allocation attributes of kmalloc() (include/linux/slab.h), so that
 * the compiler and FORTIFY_SOURCE see object sizes as they do there.
 * There is no separate large-allocation call: as kmalloc() does,
 * kslab_kmalloc() takes requests above the largest size class
 * (2 * PAGE_SIZE) straight from the page allocator, up to
 * KMALLOC_MAX_SIZE; larger ones fail with a report (counted only, with
 * __GFP_NOWARN).
 */

/**
 * kslab_kmalloc - allocate memory like kmalloc()
 * @size: bytes required
 * @gfp: allocation flags, as for kmalloc()
 *
 * The object comes from the kslab cache kmalloc() would use for @size and
 * @gfp (the type from __GFP_DMA, __GFP_RECLAIMABLE and __GFP_ACCOUNT,
 * then the size class). Flags kmalloc() strips (__GFP_DMA32,
 * __GFP_HIGHMEM, unknown bits) are stripped and reported.
 *
 * Context: any context with GFP_ATOMIC or GFP_NOWAIT; process context
 * with GFP_KERNEL. A blocking @gfp in atomic context is reported and the
 * allocation goes on without direct reclaim. On PREEMPT_RT, a call in
 * hardirq context or with IRQs off is reported and returns NULL.
 *
 * Return: the object, ZERO_SIZE_PTR for @size 0, or NULL on failure.
 */
void *kslab_kmalloc(size_t size, gfp_t gfp) __alloc_size(1);

/**
 * kslab_kmalloc_node - allocate memory like kmalloc_node()
 * @size: bytes required
 * @gfp: allocation flags
 * @node: NUMA node for new slab pages, or NUMA_NO_NODE
 *
 * kslab keeps one node partial list per cache: a cpu slab or partial slab
 * of another node is not taken for @node (node_match()), and new slabs
 * come from @node. Exact on one-node machines.
 *
 * Context: as kslab_kmalloc().
 * Return: the object, ZERO_SIZE_PTR for @size 0, or NULL on failure.
 */
void *kslab_kmalloc_node(size_t size, gfp_t gfp, int node) __alloc_size(1);

/**
 * kslab_kmalloc_node_track_caller - allocate like kmalloc_node_track_caller()
 * @size: bytes required
 * @gfp: allocation flags
 * @node: NUMA node for new slab pages, or NUMA_NO_NODE
 * @caller: the call site to account the allocation to, e.g. _RET_IP_
 *
 * For allocation wrappers: reports, debug tracks and trace events name
 * @caller instead of the wrapper. @caller also picks the random cache copy
 * where the kernel has CONFIG_RANDOM_KMALLOC_CACHES, as in kmalloc_type().
 *
 * Context: as kslab_kmalloc().
 * Return: the object, ZERO_SIZE_PTR for @size 0, or NULL on failure.
 */
void *kslab_kmalloc_node_track_caller(size_t size, gfp_t gfp, int node,
				      unsigned long caller) __alloc_size(1);

/**
 * kslab_kzalloc - allocate zeroed memory like kzalloc()
 * @size: bytes required
 * @gfp: allocation flags
 *
 * Context: as kslab_kmalloc().
 * Return: the object, ZERO_SIZE_PTR for @size 0, or NULL on failure.
 */
void *kslab_kzalloc(size_t size, gfp_t gfp) __alloc_size(1);

/**
 * kslab_kmalloc_array - allocate an array like kmalloc_array()
 * @n: number of elements
 * @size: element size
 * @gfp: allocation flags
 *
 * Context: as kslab_kmalloc().
 * Return: the array, or NULL when @n * @size overflows or the allocation
 * fails.
 */
void *kslab_kmalloc_array(size_t n, size_t size, gfp_t gfp)
	__alloc_size(1, 2);

/**
 * kslab_kcalloc - allocate a zeroed array like kcalloc()
 * @n: number of elements
 * @size: element size
 * @gfp: allocation flags
 *
 * Context: as kslab_kmalloc().
 * Return: the array, or NULL when @n * @size overflows or the allocation
 * fails.
 */
void *kslab_kcalloc(size_t n, size_t size, gfp_t gfp) __alloc_size(1, 2);

/**
 * kslab_krealloc - resize an object like krealloc()
 * @p: object from kslab, or NULL
 * @new_size: bytes required
 * @gfp: allocation flags
 *
 * The object is kept when it still fits in its ksize() bytes, with the
 * tail zeroed if init-on-alloc applies; otherwise a new object gets the
 * old contents and @p is freed. @new_size 0 frees @p. A pointer kslab did
 * not allocate, a freed object or a pointer into an object is reported and
 * left alone.
 *
 * Context: as kslab_kmalloc().
 * Return: the object, ZERO_SIZE_PTR for @new_size 0, or NULL on failure
 * or misuse (@p is then still allocated).
 */
void *kslab_krealloc(const void *p, size_t new_size, gfp_t gfp)
	__realloc_size(2);

/**
 * kslab_kfree - free an object like kfree()
 * @p: object from any kslab_k*alloc*() call, NULL or ZERO_SIZE_PTR
 *
 * Objects of lookaside caches may be freed here too, as with kfree().
 * Double, interior and foreign frees are reported and counted, and leave
 * kslab's state untouched.
 *
 * Context: any context (on PREEMPT_RT, a free with IRQs off is deferred).
 */
void kslab_kfree(const void *p);

/**
 * kslab_kfree_sensitive - zero and free an object like kfree_sensitive()
 * @p: object from kslab, NULL or ZERO_SIZE_PTR
 *
 * All ksize() bytes are cleared before the free. A freed, interior or
 * foreign pointer is reported by the free and nothing is zeroed.
 *
 * Context: as kslab_kfree().
 */
void kslab_kfree_sensitive(const void *p);

/**
 * kslab_ksize - the usable size of an object, like ksize()
 * @p: object from kslab
 *
 * A freed object or a pointer into an object is reported; as in the
 * kernel, a size may still be returned, which must not be written through.
 *
 * Context: any context.
 * Return: the size, or 0 for NULL, ZERO_SIZE_PTR and foreign pointers.
 */
size_t kslab_ksize(const void *p);

/**
 * kslab_size_roundup - the size kslab_kmalloc() would really allocate
 * @size: request size
 *
 * Like kmalloc_size_roundup(). Above KMALLOC_MAX_SIZE, v6.12 returns @size
 * and v6.1 the page-order size, as those kernels do.
 *
 * Context: any context.
 * Return: the usable size of an allocation of @size bytes.
 */
size_t kslab_size_roundup(size_t size);

#if KSLAB_HAVE_NOLOCK
/**
 * kslab_kmalloc_nolock - allocate from any context, like kmalloc_nolock()
 * @size: bytes, at most the largest size class: there is no large path
 * @gfp: only __GFP_ACCOUNT and __GFP_ZERO (__GFP_NOWARN and
 *       __GFP_NOMEMALLOC are implied); anything else is reported as a
 *       bad GFP flag and dropped, as the kernel's VM_WARN_ON_ONCE() goes on
 * @node: the node, or NUMA_NO_NODE
 *
 * Never sleeps, never reclaims. Where kslab may not take its locks (NMI;
 * on PREEMPT_RT also hardirq context, IRQs or preemption off) it returns
 * NULL, as the kernel's does when its trylock fails.
 *
 * Context: any context.
 * Return: the object, ZERO_SIZE_PTR for 0 bytes, or NULL.
 */
void *kslab_kmalloc_nolock(size_t size, gfp_t gfp, int node) __alloc_size(1);

/**
 * kslab_kfree_nolock - free from any context, like kfree_nolock()
 * @p: an object of kslab_kmalloc_nolock() or of any kslab cache, or NULL
 *
 * Checked as kslab_kfree() checks it. Where kslab may not take its locks
 * the free is queued and done by an irq_work. A large allocation is
 * reported (the kernel's kfree_nolock() WARNs and leaks it) and freed
 * when the context allows.
 *
 * Context: any context.
 */
void kslab_kfree_nolock(const void *p);
#endif

/* === Lookaside caches ================================================== */

/**
 * kslab_cache_create - create a lookaside cache like kmem_cache_create()
 * @name: cache name (copied, truncated to 31 bytes); debugfs shows it
 *        under kslab/caches/
 * @size: object size
 * @align: minimum alignment, a power of two, or 0 for none
 * @flags: SLAB_* flags that kmem_cache_create() permits; the debug flags
 *         SLAB_RED_ZONE, SLAB_POISON, SLAB_STORE_USER and
 *         SLAB_CONSISTENCY_CHECKS turn on kslab's checks of this cache
 * @ctor: constructor run once per object when its slab is made, or NULL
 *
 * kslab caches are never merged. Bad arguments (no name, size 0 or above
 * the largest allocation, an alignment that is not a power of two,
 * unknown flags) are reported and refused; SLAB_PANIC is a report, never
 * a panic.
 *
 * Context: process context; may sleep.
 * Return: the cache, or NULL.
 */
struct kslab_cache *kslab_cache_create(const char *name, unsigned int size,
				       unsigned int align, slab_flags_t flags,
				       void (*ctor)(void *));

#if KSLAB_HAVE_CACHE_ARGS
/**
 * kslab_cache_create_args - create a lookaside cache like
 *                           kmem_cache_create(name, size, args, flags)
 * @name: as for kslab_cache_create()
 * @size: object size
 * @args: the kernel's struct kmem_cache_args, or NULL for all zero:
 *        @align and @ctor as for kslab_cache_create(); @freeptr_offset
 *        with @use_freeptr_offset puts the free pointer there, inside the
 *        object, for SLAB_TYPESAFE_BY_RCU caches (and, from v7.0, caches
 *        with a constructor); @sheaf_capacity (v7.0+) raises the per-CPU
 *        sheaf capacity; @useroffset and @usersize are checked as the
 *        kernel checks them and change no layout
 * @flags: as for kslab_cache_create()
 *
 * What the kernel refuses with -EINVAL (a free pointer offset past the
 * object, misaligned, or without a reason to move it) is reported and
 * refused; a usercopy region outside the object is reported and dropped,
 * where the kernel WARNs and drops it.
 *
 * Context: process context; may sleep.
 * Return: the cache, or NULL.
 */
struct kslab_cache *kslab_cache_create_args(const char *name,
					    unsigned int size,
					    struct kmem_cache_args *args,
					    slab_flags_t flags);
#endif

/**
 * kslab_cache_create_usercopy - create a lookaside cache like
 *                               kmem_cache_create_usercopy()
 * @name: as for kslab_cache_create()
 * @size: object size
 * @align: as for kslab_cache_create()
 * @flags: as for kslab_cache_create()
 * @useroffset: start of the region that may be copied to or from user
 *              space
 * @usersize: its length, or 0 for none
 * @ctor: as for kslab_cache_create()
 *
 * A region outside the object is reported and dropped, where the kernel
 * WARNs and drops it; the region changes no layout.
 *
 * Context: process context; may sleep.
 * Return: the cache, or NULL.
 */
struct kslab_cache *kslab_cache_create_usercopy(const char *name,
						unsigned int size,
						unsigned int align,
						slab_flags_t flags,
						unsigned int useroffset,
						unsigned int usersize,
						void (*ctor)(void *));

#if KSLAB_HAVE_BUCKETS
/**
 * kslab_buckets_create - a private set of kmalloc size classes, like
 *                        kmem_buckets_create()
 * @name: prefix of the caches' names: one cache "<name>-<size>" per
 *        kmalloc size class ("<name>-96", "<name>-1k"), as the kernel
 *        names them
 * @flags: SLAB_* flags for every cache, as for kslab_cache_create();
 *         SLAB_NO_MERGE is implied
 * @useroffset: usercopy region start, as for
 *              kslab_cache_create_usercopy(), clipped to each size
 * @usersize: usercopy region length
 * @ctor: constructor for every cache's objects, or NULL
 *
 * Each cache is a lookaside cache (debugfs kslab/caches/<name>-<size>) of
 * the object size of its kmalloc class, served by kslab_buckets_alloc()
 * whatever the GFP type bits ask (kmalloc_slab()). On a kernel without
 * CONFIG_SLAB_BUCKETS the kernel returns ZERO_SIZE_PTR and allocates from
 * kmalloc; so does kslab.
 *
 * Context: process context; may sleep.
 * Return: the buckets, ZERO_SIZE_PTR without CONFIG_SLAB_BUCKETS, or NULL.
 */
struct kslab_buckets *kslab_buckets_create(const char *name,
					   slab_flags_t flags,
					   unsigned int useroffset,
					   unsigned int usersize,
					   void (*ctor)(void *));

/**
 * kslab_buckets_alloc - allocate like kmem_buckets_alloc()
 * @b: the buckets; NULL or ZERO_SIZE_PTR allocate as kslab_kmalloc()
 * @size: bytes; above the largest size class the large path, as kmalloc
 * @gfp: allocation flags
 *
 * Freed with kslab_kfree(). Buckets destroyed already are reported and
 * nothing is allocated.
 *
 * Context: as kslab_kmalloc().
 * Return: the object, ZERO_SIZE_PTR for 0 bytes, or NULL.
 */
void *kslab_buckets_alloc(struct kslab_buckets *b, size_t size, gfp_t gfp)
	__alloc_size(2);

/**
 * kslab_buckets_alloc_node_track_caller - kmem_buckets_alloc_node_track_caller()
 * @b: as for kslab_buckets_alloc()
 * @size: bytes
 * @gfp: allocation flags
 * @node: the node, or NUMA_NO_NODE
 * @caller: the call site to record, as _RET_IP_
 *
 * Context: as kslab_kmalloc().
 * Return: the object, ZERO_SIZE_PTR for 0 bytes, or NULL.
 */
void *kslab_buckets_alloc_node_track_caller(struct kslab_buckets *b,
					    size_t size, gfp_t gfp, int node,
					    unsigned long caller)
	__alloc_size(2);

/**
 * kslab_buckets_destroy - destroy the buckets and their caches
 * @b: the buckets, NULL or ZERO_SIZE_PTR (nothing to do)
 *
 * The kernel has no kmem_buckets_destroy(): its buckets live for ever.
 * A module must not leave kslab's behind, so kslab has one; it destroys
 * every cache as kslab_cache_destroy() does.
 *
 * Context: process context; may sleep.
 * Return: 0, -EBUSY if objects were still allocated, or -EINVAL
 * (reported) for buckets destroyed already or not kslab's.
 */
int kslab_buckets_destroy(struct kslab_buckets *b);
#endif

/**
 * kslab_cache_alloc - allocate an object like kmem_cache_alloc()
 * @s: the cache
 * @gfp: allocation flags
 *
 * A NULL or destroyed cache is reported and nothing is allocated.
 *
 * Context: as kslab_kmalloc().
 * Return: the object, or NULL.
 */
void *kslab_cache_alloc(struct kslab_cache *s, gfp_t gfp);

/**
 * kslab_cache_alloc_node - allocate an object like kmem_cache_alloc_node()
 * @s: the cache
 * @gfp: allocation flags
 * @node: NUMA node for a new slab, or NUMA_NO_NODE
 *
 * Context: as kslab_kmalloc().
 * Return: the object, or NULL.
 */
void *kslab_cache_alloc_node(struct kslab_cache *s, gfp_t gfp, int node);

/**
 * kslab_cache_free - free an object like kmem_cache_free()
 * @s: the cache it came from
 * @p: the object, or NULL
 *
 * An object of another cache is reported and freed to its own cache, as
 * hardened kernels do; a pointer kslab never handed out is reported and
 * left alone.
 *
 * Context: as kslab_kfree().
 */
void kslab_cache_free(struct kslab_cache *s, void *p);

/**
 * kslab_cache_alloc_bulk - allocate objects like kmem_cache_alloc_bulk()
 * @s: the cache
 * @gfp: allocation flags
 * @nr: number of objects
 * @p: array of @nr slots for them
 *
 * All or nothing: on a failure the objects already taken are freed. One
 * fault-injection decision covers the whole call.
 *
 * Context: as kslab_kmalloc().
 * Return: @nr, or 0 on failure.
 */
int kslab_cache_alloc_bulk(struct kslab_cache *s, gfp_t gfp, size_t nr,
			   void **p);

/**
 * kslab_cache_free_bulk - free objects like kmem_cache_free_bulk()
 * @s: the cache, or NULL to free each object to its own cache (kmalloc
 *     objects included, as the kernel allows)
 * @nr: number of objects
 * @p: the objects; NULL slots are skipped
 *
 * Context: as kslab_kfree().
 */
void kslab_cache_free_bulk(struct kslab_cache *s, size_t nr, void **p);

/**
 * kslab_cache_shrink - release empty slabs like kmem_cache_shrink()
 * @s: a lookaside cache
 *
 * Context: process context; may sleep.
 * Return: 0, or -EINVAL (reported) for a destroyed or unknown cache.
 */
int kslab_cache_shrink(struct kslab_cache *s);

/**
 * kslab_cache_destroy - destroy a cache like kmem_cache_destroy()
 * @s: the cache, or NULL
 *
 * Objects still allocated are leaks: each is reported with its allocation
 * call site (with SLAB_STORE_USER) and the call returns -EBUSY, but unlike
 * the kernel kslab frees every page anyway. SLAB_TYPESAFE_BY_RCU caches
 * wait for pending grace periods first. Using the cache afterwards is
 * reported and does nothing for the next 64 destructions; later it is a
 * use after free, as in the kernel.
 *
 * Context: process context; may sleep.
 * Return: 0, -EBUSY if objects were still allocated, or -EINVAL (reported)
 * for a cache that is not live.
 */
int kslab_cache_destroy(struct kslab_cache *s);

/**
 * kslab_cache_size - the object size of a cache, like kmem_cache_size()
 * @s: the cache
 *
 * Context: any context.
 * Return: the object size given to kslab_cache_create().
 */
unsigned int kslab_cache_size(const struct kslab_cache *s);

/* === Findings and fault injection ====================================== */

/**
 * enum kslab_report_item - the kinds of misuse kslab reports and counts
 * @KSLAB_REPORT_INVALID_FREE: a pointer kslab never handed out
 * @KSLAB_REPORT_DOUBLE_FREE: an object freed when already free
 * @KSLAB_REPORT_INTERIOR_FREE: a pointer inside an object
 * @KSLAB_REPORT_BAD_GFP: flag bits kmalloc_fix_flags() strips
 * @KSLAB_REPORT_OVERSIZE: a request above KMALLOC_MAX_SIZE
 * @KSLAB_REPORT_LEAK: an object live when its cache went
 * @KSLAB_REPORT_ATOMIC_SLEEP: a blocking @gfp in atomic context
 * @KSLAB_REPORT_WRONG_CACHE: an object freed through another cache
 * @KSLAB_REPORT_RED_ZONE: a red zone or padding overwritten
 * @KSLAB_REPORT_POISON: a write to a free object
 * @KSLAB_REPORT_FREELIST: a free pointer corrupt
 * @KSLAB_REPORT_CACHE_BUSY: a cache destroyed with live objects
 * @KSLAB_REPORT_BAD_ARGS: arguments kslab_cache_create() refused
 * @KSLAB_REPORT_BAD_CACHE: not a live cache: destroyed, NULL or foreign
 * @KSLAB_REPORT_USE_AFTER_FREE: ksize() or krealloc() of a freed object
 * @KSLAB_REPORT_BAD_WRITE: a debugfs write kslab refused
 * @KSLAB_NR_REPORT_ITEMS: the number of kinds
 *
 * Each is reported once per rate-limit burst, always counted, and its
 * newest records are kept in debugfs kslab/violations.
 */
enum kslab_report_item {
	KSLAB_REPORT_INVALID_FREE,
	KSLAB_REPORT_DOUBLE_FREE,
	KSLAB_REPORT_INTERIOR_FREE,
	KSLAB_REPORT_BAD_GFP,
	KSLAB_REPORT_OVERSIZE,
	KSLAB_REPORT_LEAK,
	KSLAB_REPORT_ATOMIC_SLEEP,
	KSLAB_REPORT_WRONG_CACHE,
	KSLAB_REPORT_RED_ZONE,
	KSLAB_REPORT_POISON,
	KSLAB_REPORT_FREELIST,
	KSLAB_REPORT_CACHE_BUSY,
	KSLAB_REPORT_BAD_ARGS,
	KSLAB_REPORT_BAD_CACHE,
	KSLAB_REPORT_USE_AFTER_FREE,
	KSLAB_REPORT_BAD_WRITE,
	KSLAB_NR_REPORT_ITEMS
};

/**
 * kslab_report_count - how often kslab has reported a kind of misuse
 * @item: the kind
 *
 * Counted for every user of kslab since kslab.ko was loaded or debugfs
 * kslab/reset was written, the reports that rate limiting kept off the
 * console included. Read it before and after a piece of work to learn
 * what that work did wrong.
 *
 * Context: any context.
 * Return: the count, or 0 for an @item out of range.
 */
unsigned long kslab_report_count(enum kslab_report_item item);

/**
 * kslab_report_total - how often kslab has reported misuse of any kind
 *
 * The sum of kslab_report_count() over every kind, counted alike. A piece
 * of work that changes it did something kslab reported.
 *
 * Context: any context.
 * Return: the total.
 */
unsigned long kslab_report_total(void);

/**
 * kslab_report_name - the name kslab prints for a kind of misuse
 * @item: the kind
 *
 * Context: any context.
 * Return: the name used in the console and in debugfs kslab/violations,
 * e.g. "double-free", or "unknown" for an @item out of range.
 */
const char *kslab_report_name(enum kslab_report_item item);

#ifdef CONFIG_FAULT_INJECTION
/**
 * kslab_fail_set - make kslab's slab allocations fail on purpose
 * @probability: percent of candidate calls that fail
 * @interval: only every @interval-th call is a candidate
 * @times: failures allowed, -1 for no limit
 * @ignore_gfp_wait: spare allocations that may reclaim
 * @cache_filter: fail only caches whose debugfs failslab switch is set
 * @verbose: 0 silent, 1 one line, 2 a stack per failure
 *
 * Sets the knobs of debugfs kslab/fail/ (failslab's, see
 * Documentation/fault-injection/fault-injection.rst) for every user of
 * kslab. __GFP_NOFAIL allocations never fail. A @probability of 0 turns
 * fault injection off again. Without CONFIG_FAULT_INJECTION this does
 * nothing.
 *
 * Context: any context.
 */
void kslab_fail_set(unsigned long probability, unsigned long interval,
		    int times, bool ignore_gfp_wait, bool cache_filter,
		    int verbose);
#else
static inline void kslab_fail_set(unsigned long probability,
				  unsigned long interval, int times,
				  bool ignore_gfp_wait, bool cache_filter,
				  int verbose) { }
#endif

#endif /* KSLAB_H */
