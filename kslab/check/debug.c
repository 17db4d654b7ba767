// SPDX-License-Identifier: GPL-2.0
/*
 * Debug checks of caches with SLAB_RED_ZONE, SLAB_POISON, SLAB_STORE_USER
 * or SLAB_CONSISTENCY_CHECKS: red zones, poison, padding, free pointers and
 * call-site tracks, laid out and filled as mm/slub.c does. Called with
 * the cache lock held; findings are returned, reported by the caller after
 * unlocking.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ctype.h>
#include <linux/jiffies.h>
#include <linux/mm.h>
#include <linux/poison.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/string.h>

#include "check.h"

/* === Metadata ========================================================== */

static struct kslab_track *tracks(const struct kslab_cache *s, void *obj)
{
	return obj + s->geom.track;	/* [TRACK_ALLOC], [TRACK_FREE] */
}

/* True if @s keeps the original kmalloc request size (slub_debug_orig_size()). */
static bool has_orig_size(const struct kslab_cache *s)
{
	return (s->geom.flags & SLAB_STORE_USER) &&
	       (s->geom.flags & SLAB_KMALLOC);
}

/* mm/slub.c:get_orig_size() / set_orig_size(); the slot follows the tracks. */
static unsigned long get_orig_size(const struct kslab_cache *s, void *obj)
{
	void *slot = tracks(s, obj) + 2;

	if (!has_orig_size(s))
		return s->geom.object_size;
#if KSLAB_ORIG_SIZE_BYTES == 8
	return *(unsigned long *)slot;
#else
	return *(unsigned int *)slot;
#endif
}

void kslab_debug_set_orig_size(const struct kslab_cache *s, void *obj,
			       unsigned long size)
{
	void *slot = tracks(s, obj) + 2;

	if (!has_orig_size(s))
		return;
#if KSLAB_ORIG_SIZE_BYTES == 8
	*(unsigned long *)slot = size;
#else
	*(unsigned int *)slot = size;
#endif
}

/* mm/slub.c:set_track_update() without the stack depot. */
static void set_track(const struct kslab_cache *s, void *obj, int which,
		      unsigned long addr)
{
	struct kslab_track *t = tracks(s, obj) + which;

	if (!(s->geom.flags & SLAB_STORE_USER))
		return;
	t->addr = addr;
	t->cpu = raw_smp_processor_id();
	t->pid = in_task() ? current->pid : 0;
	t->when = jiffies;
}

/* The allocation and free call sites of @obj, 0 when not tracked. */
void kslab_debug_sites(const struct kslab_cache *s, void *obj,
		       unsigned long *alloc, unsigned long *free)
{
	*alloc = 0;
	*free = 0;
	if (!(s->geom.flags & SLAB_STORE_USER))
		return;
	*alloc = tracks(s, obj)[0].addr;
	*free = tracks(s, obj)[1].addr;
}

/* === Filling =========================================================== */

/*
 * mm/slub.c:init_object(): red zones get @val (SLUB_RED_ACTIVE in use,
 * SLUB_RED_INACTIVE free), a poisoned object POISON_FREE ending in
 * POISON_END. v6.12 red-zones an active kmalloc object past its request.
 */
static void init_object(const struct kslab_cache *s, void *obj, u8 val)
{
	const struct kslab_geom *g = &s->geom;
	unsigned int poison_size = g->object_size;

	if (g->flags & SLAB_RED_ZONE) {
		memset(obj - g->red_left_pad, val, g->red_left_pad);
		if (KSLAB_KMALLOC_REDZONE && has_orig_size(s) &&
		    val == SLUB_RED_ACTIVE)
			poison_size = get_orig_size(s, obj);
	}
	if (g->poison) {
		memset(obj, POISON_FREE, poison_size - 1);
		memset(obj + poison_size - 1, POISON_END, 1);
	}
	if (g->flags & SLAB_RED_ZONE)
		memset(obj + poison_size, val, g->inuse - poison_size);
}

/*
 * A new slab: mm/slub.c:setup_slab_debug() fills it with POISON_INUSE,
 * then setup_object_debug() and init_tracking() prepare each object.
 */
void kslab_debug_init_slab(struct kslab_slab *slab)
{
	const struct kslab_cache *s = slab->cache;
	unsigned int i;

	if (s->geom.flags & SLAB_POISON)
		memset(slab->base, POISON_INUSE, PAGE_SIZE << slab->order);
	for (i = 0; i < slab->objects; i++) {
		void *obj = kslab_slab_obj(slab, i);

		if (s->geom.flags & SLAB_STORE_USER)
			memset(tracks(s, obj), 0, 2 * sizeof(struct kslab_track));
		init_object(s, obj, SLUB_RED_INACTIVE);
	}
}

/* === Checks ============================================================ */

/* First byte in [@from, @from + @bytes) that is not @val. */
static bool check_bytes(void *obj, void *from, u8 val, unsigned int bytes,
			enum kslab_report_item item, const char *what,
			struct kslab_finding *f)
{
	u8 *bad = memchr_inv(from, val, bytes);

	if (!bad)
		return true;
	f->item = item;
	f->what = what;
	f->offset = bad - (u8 *)obj;
	f->found = *bad;
	f->expected = val;
	return false;
}

/*
 * mm/slub.c:check_object() and check_pad_bytes() (v6.1 and v6.12): the
 * red zones hold @val, a free poisoned object still holds its poison, the
 * padding after the metadata POISON_INUSE.
 */
static bool check_object(const struct kslab_cache *s, void *obj, u8 val,
			 struct kslab_finding *f)
{
	const struct kslab_geom *g = &s->geom;
	void *end = obj + g->object_size;

	if (g->flags & SLAB_RED_ZONE) {
		if (!check_bytes(obj, obj - g->red_left_pad, val, g->red_left_pad,
				 KSLAB_REPORT_RED_ZONE, "left red zone", f))
			return false;
		if (!check_bytes(obj, end, val, g->inuse - g->object_size,
				 KSLAB_REPORT_RED_ZONE, "right red zone", f))
			return false;
		if (KSLAB_KMALLOC_REDZONE && has_orig_size(s) &&
		    val == SLUB_RED_ACTIVE) {
			unsigned long orig = get_orig_size(s, obj);

			if (g->object_size > orig &&
			    !check_bytes(obj, obj + orig, val,
					 g->object_size - orig,
					 KSLAB_REPORT_RED_ZONE,
					 "kmalloc red zone", f))
				return false;
		}
	} else if ((g->flags & SLAB_POISON) && g->object_size < g->inuse) {
		if (!check_bytes(obj, end, POISON_INUSE,
				 g->inuse - g->object_size,
				 KSLAB_REPORT_RED_ZONE, "alignment padding", f))
			return false;
	}

	if (g->flags & SLAB_POISON) {
		if (val != SLUB_RED_ACTIVE && g->poison) {
			if (!check_bytes(obj, obj, POISON_FREE,
					 g->object_size - 1, KSLAB_REPORT_POISON,
					 "poison", f))
				return false;
			if (!check_bytes(obj, end - 1, POISON_END, 1,
					 KSLAB_REPORT_POISON, "end poison", f))
				return false;
		}
		if (g->meta_end < g->size - g->red_left_pad &&
		    !check_bytes(obj, obj + g->meta_end, POISON_INUSE,
				 g->size - g->red_left_pad - g->meta_end,
				 KSLAB_REPORT_RED_ZONE, "object padding", f))
			return false;
	}
	return true;
}

/*
 * Before handing out @obj (alloc_debug_processing()): it must still look
 * free. On success it is marked active and its allocation site recorded.
 */
bool kslab_debug_alloc(struct kslab_cache *s, void *obj, size_t size,
		       unsigned long caller, struct kslab_finding *f)
{
	if (!check_object(s, obj, SLUB_RED_INACTIVE, f))
		return false;
	set_track(s, obj, 0, caller);
	kslab_debug_set_orig_size(s, obj, size);
	init_object(s, obj, SLUB_RED_ACTIVE);
	return true;
}

/*
 * Before taking @obj back (free_debug_processing()): its red zones must
 * be intact. On success it is marked free, poisoned and its free site
 * recorded.
 */
bool kslab_debug_free(struct kslab_cache *s, void *obj, unsigned long caller,
		      struct kslab_finding *f)
{
	if (!check_object(s, obj, SLUB_RED_ACTIVE, f))
		return false;
	set_track(s, obj, 1, caller);
	init_object(s, obj, SLUB_RED_INACTIVE);
	return true;
}

/*
 * mm/slub.c:check_valid_pointer(): a free pointer is NULL or the start of
 * an object of @slab.
 */
bool kslab_debug_valid_ptr(struct kslab_slab *slab, void *p)
{
	const struct kslab_geom *g = &slab->cache->geom;
	void *first = kslab_slab_obj(slab, 0);

	if (!p)
		return true;
	if (p < first || p >= first + slab->objects * g->size)
		return false;
	return !((p - first) % g->size);
}
