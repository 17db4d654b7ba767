/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The API layer: kslab_k*() and the kmem_cache API, built on core/.
 */
#ifndef KSLAB_API_API_H
#define KSLAB_API_API_H

#include "../types.h"

/*
 * kmalloc.c: the exported API, with the kernel's allocation attributes so
 * that FORTIFY_SOURCE and the compiler see object sizes as for kmalloc().
 */
void *kslab_kmalloc(size_t size, gfp_t gfp) __alloc_size(1);
void *kslab_kmalloc_node(size_t size, gfp_t gfp, int node) __alloc_size(1);
void *kslab_kmalloc_node_track_caller(size_t size, gfp_t gfp, int node,
				      unsigned long caller) __alloc_size(1);
void *kslab_kzalloc(size_t size, gfp_t gfp) __alloc_size(1);
void *kslab_kmalloc_array(size_t n, size_t size, gfp_t gfp)
	__alloc_size(1, 2);
void *kslab_kcalloc(size_t n, size_t size, gfp_t gfp) __alloc_size(1, 2);
void *kslab_krealloc(const void *p, size_t new_size, gfp_t gfp)
	__realloc_size(2);
void kslab_kfree(const void *p);
void kslab_kfree_sensitive(const void *p);
size_t kslab_ksize(const void *p);
size_t kslab_size_roundup(size_t size);

/* rt.c: PREEMPT_RT's forbidden contexts; nothing to do elsewhere */
#ifdef CONFIG_PREEMPT_RT
bool kslab_rt_refuse(gfp_t gfp, unsigned long caller);
bool kslab_rt_defer_free(const void *p, unsigned long caller);
void kslab_rt_init(void);
void kslab_rt_exit(void);
#else
static inline bool kslab_rt_refuse(gfp_t gfp, unsigned long caller)
{
	return false;
}

static inline bool kslab_rt_defer_free(const void *p, unsigned long caller)
{
	return false;
}

static inline void kslab_rt_init(void) { }
static inline void kslab_rt_exit(void) { }
#endif

/* lookaside.c: the kmem_cache API */
struct kslab_cache *kslab_cache_create(const char *name, unsigned int size,
				       unsigned int align, slab_flags_t flags,
				       void (*ctor)(void *));
void *kslab_cache_alloc(struct kslab_cache *s, gfp_t gfp);
void *kslab_cache_alloc_node(struct kslab_cache *s, gfp_t gfp, int node);
void kslab_cache_free(struct kslab_cache *s, void *p);
int kslab_cache_alloc_bulk(struct kslab_cache *s, gfp_t gfp, size_t nr,
			   void **p);
void kslab_cache_free_bulk(struct kslab_cache *s, size_t nr, void **p);
int kslab_cache_destroy(struct kslab_cache *s);
int kslab_cache_shrink(struct kslab_cache *s);
unsigned int kslab_cache_size(const struct kslab_cache *s);
void kslab_lookaside_show(struct seq_file *m);
void kslab_lookaside_exit(void);
extern struct mutex kslab_lookaside_mutex;

/*
 * Told under kslab_lookaside_mutex when a lookaside cache comes or goes;
 * debugfs registers one, so that the API never calls upward into it.
 */
struct kslab_cache_observer {
	void (*add)(struct kslab_cache *s);
	void (*remove)(struct kslab_cache *s);
};

void kslab_lookaside_observe(const struct kslab_cache_observer *o);
extern struct list_head kslab_lookaside_caches;

#endif /* KSLAB_API_API_H */
