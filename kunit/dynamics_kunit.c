// SPDX-License-Identifier: GPL-2.0
/*
 * Suite kslab_dynamics: the same trace of allocations and frees, run on a
 * kslab lookaside cache and on a real kmem_cache of the same (size, align,
 * flags), leaves both with the same slabs in the same states.
 *
 * What it checks, after every phase of a trace (fill, free every k-th
 * slot, refill the holes, free the upper slots in reverse, pseudo-random
 * churn, free the odd slots and refill them on another CPU, shrink,
 * refill, free everything, shrink again):
 * - SLUB's counts in /sys/kernel/slab/<cache>/ (slabs, partial, cpu_slabs,
 *   objects, objects_partial; the first number of "12 N0=12") against the
 *   fields of the same names of kslab_cache_counts(). slabs and objects
 *   need CONFIG_SLUB_DEBUG and are skipped without it.
 * - Without CONFIG_SLAB_FREELIST_RANDOM, the allocation order: for every
 *   allocation, the slab it came from (numbered in order of first use; a
 *   slab is new when the allocation raised the slab count, so a new slab
 *   on the pages of a discarded one gets a new number) and the object's
 *   offset in its folio. Equal sequences mean the same slab was chosen
 *   from the cpu slab, the cpu and node partial lists or the page
 *   allocator, and the same freelist order inside it.
 *
 * Sources of non-determinism it avoids (§8 of docs/slub-dynamics.md):
 * - Other users and other CPUs: both caches are private and unmergeable
 *   (KSLAB_REAL_NO_MERGE: SLAB_NO_MERGE on 6.12, SLAB_NOLEAKTRACE on 6.1),
 *   never used from IRQs, and every allocation, free and shrink of a trace
 *   runs on one CPU under migrate_disable(), which still lets
 *   kmem_cache_shrink() sleep in flush_all(); the two remote phases run
 *   on one other online CPU (work_on_cpu()), the same for both sides,
 *   and that CPU then goes offline and back online once, for both.
 *   Checkpoints read sysfs, which has no side effect on SLUB's state.
 * - KFENCE: skip_kfence is set on the real cache where KFENCE is built
 *   in; a KFENCE object would still skip the case, never fail it.
 * - slub_debug= turning the real cache into a debug cache (different
 *   dynamics, §3.4): a case without debug flags is skipped if sanity_checks,
 *   red_zone, poison or store_user read non-zero, or (CPU partial kernels)
 *   cpu_partial reads 0. The debug-flag cases ask for the debug paths.
 * - Memory pressure (order fallback, pfmemalloc slabs, failures): small
 *   traces with GFP_KERNEL from process context; an allocation failure
 *   fails the case. Slab sizes come from sysfs, never assumed.
 * - NUMA: allocations use NUMA_NO_NODE; the counts are summed over nodes.
 * - SLAB_FREELIST_RANDOM: counts are still compared, the order is not.
 * - Initial state: both caches are new for each case and destroyed at its
 *   end, so no state carries over from another case.
 * - The pseudo-random churn is xorshift32 with the case's seed on both
 *   sides, choosing among the same pointer-array slots.
 */
#include <linux/atomic.h>
#include <linux/bitmap.h>
#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/kfence.h>
#include <linux/mm.h>
#include <linux/mount.h>
#include <linux/preempt.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <linux/workqueue.h>

#include "kslab_kunit.h"

/* === Cases ============================================================= */

struct dyn_case {
	const char *name;
	unsigned int size;
	unsigned int align;
	slab_flags_t flags;
	unsigned int slabs;		/* Fill this many slabs' worth */
	unsigned int k;			/* Free every k-th slot */
	u32 seed;			/* xorshift32 seed of the churn */
	bool node;			/* _alloc_node(numa_mem_id()) */
};

#define DYN_DEBUG_FLAGS	(SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER | \
			 SLAB_CONSISTENCY_CHECKS)

static const struct dyn_case dyn_cases[] = {
	{ "s64", 64, 0, 0, 12, 3, 0x2545f491 },
	{ "s96", 96, 0, 0, 16, 5, 0x9e3779b9 },
	{ "s192hw", 192, 0, SLAB_HWCACHE_ALIGN, 6, 7, 0x6a09e667 },
	{ "s256", 256, 0, 0, 10, 2, 0xbb67ae85 },
	{ "s1024", 1024, 0, 0, 8, 4, 0x3c6ef372 },
	{ "s4096", 4096, 0, 0, 20, 3, 0xa54ff53a },
	/* Debug caches: no cpu slab, no cpu partial list (§3.4). */
	{ "s64rz", 64, 0, SLAB_RED_ZONE, 8, 3, 0x510e527f },
	{ "s512supo", 512, 0, SLAB_STORE_USER | SLAB_POISON, 6, 3, 0x1f83d9ab },
	/*
	 * kmem_cache_alloc_node() for the node of the allocating CPU, the
	 * remote phases' too: node_match() (6.x) and the sheaves' node
	 * check (7.3) hold for every slab of a one-node machine.
	 */
	{ "s128node", 128, 0, 0, 10, 3, 0x5be0cd19, true },
	{ "s128noderz", 128, 0, SLAB_RED_ZONE, 6, 3, 0xcbbb9d5d, true },
};

static void dyn_case_desc(const struct dyn_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE,
		 "%s: size %u align %u flags %#x, %u slabs, free every %u%s",
		 c->name, c->size, c->align, (__force unsigned int)c->flags,
		 c->slabs, c->k, c->node ? ", _node" : "");
}

KUNIT_ARRAY_PARAM(dyn, dyn_cases, dyn_case_desc);

enum dyn_phase {
	DYN_FILL,
	DYN_FREE_KTH,
	DYN_REFILL,
	DYN_FREE_REVERSE,
	DYN_CHURN,
	DYN_REMOTE_FREE,
	DYN_REMOTE_REFILL,
	DYN_OFFLINE,
	DYN_SHRINK,
	DYN_REFILL_SHRUNK,
	DYN_FREE_ALL,
	DYN_SHRINK_EMPTY,
	DYN_NR_PHASES
};

static const char *const dyn_phase_names[DYN_NR_PHASES] = {
	[DYN_FILL] = "fill",
	[DYN_FREE_KTH] = "free every k-th",
	[DYN_REFILL] = "refill holes",
	[DYN_FREE_REVERSE] = "free upper 3/5 in reverse",
	[DYN_CHURN] = "churn",
	[DYN_REMOTE_FREE] = "free odd slots, other CPU",
	[DYN_REMOTE_REFILL] = "refill, other CPU",
	[DYN_OFFLINE] = "other CPU offline",
	[DYN_SHRINK] = "shrink",
	[DYN_REFILL_SHRUNK] = "refill after shrink",
	[DYN_FREE_ALL] = "free all",
	[DYN_SHRINK_EMPTY] = "shrink empty",
};

/* The counts compared, named as SLUB's sysfs attributes. */
enum dyn_field {
	DYN_SLABS,
	DYN_PARTIAL,
	DYN_CPU_SLABS,
	DYN_OBJECTS,
	DYN_OBJECTS_PARTIAL,
	DYN_NR_FIELDS
};

static const char *const dyn_field_names[DYN_NR_FIELDS] = {
	[DYN_SLABS] = "slabs",
	[DYN_PARTIAL] = "partial",
	[DYN_CPU_SLABS] = "cpu_slabs",
	[DYN_OBJECTS] = "objects",
	[DYN_OBJECTS_PARTIAL] = "objects_partial",
};

/* === State of one trace ================================================ */

/* One allocation: its slab's number and its offset in the folio. */
struct dyn_rec {
	u32 slab;
	u32 offset;
};

struct dyn_side {
	struct kmem_cache *rc;		/* The real cache, or NULL */
	struct kslab_cache *s;		/* kslab's cache, or NULL */
	void **slot;			/* Live objects by trace slot */
	u32 rng;			/* Churn state */
	struct dyn_rec *rec;		/* Allocation order */
	unsigned int nr_rec;
	unsigned int phase_rec;		/* nr_rec when the phase began */
	unsigned long *base;		/* Folio address of slab number i */
	unsigned int nr_base;
	long slabs;			/* Slab count now, or -1 if unknown */
	int err;			/* -ENOMEM, -EXDEV (KFENCE), -EIO */
};

struct dyn_ctx {
	struct vfsmount *mnt;		/* Private sysfs mount */
	char real_name[32];
	char mine_name[32];
	unsigned int n;			/* Slots */
	unsigned int max_rec;		/* Bound on allocations of a trace */
	bool have[DYN_NR_FIELDS];	/* The real cache shows the field */
	bool order;			/* Compare the allocation order */
	bool node;			/* The case's node */
	unsigned int remote_cpu;	/* Of the remote phases, or nr_cpu_ids */
	struct dyn_side side[2];	/* Real, then kslab's */
};

static atomic_t dyn_generation = ATOMIC_INIT(0);

/* === /sys/kernel/slab/<real cache>/ ==================================== */

/* The first number of an attribute: "12 N0=12" reads as 12. */
static int dyn_attr(struct dyn_ctx *x, const char *attr, unsigned long *val)
{
	char path[96], buf[64], *p;
	loff_t pos = 0;
	struct file *f;
	ssize_t n;

	snprintf(path, sizeof(path), "kernel/slab/%s/%s", x->real_name, attr);
	f = file_open_root_mnt(x->mnt, path, O_RDONLY, 0);
	if (IS_ERR(f))
		return PTR_ERR(f);
	n = kernel_read(f, buf, sizeof(buf) - 1, &pos);
	filp_close(f, NULL);
	if (n <= 0)
		return -EIO;
	buf[n] = '\0';
	p = strim(buf);
	*strchrnul(p, ' ') = '\0';
	return kstrtoul(p, 10, val);
}

static int dyn_attr_write(struct dyn_ctx *x, const char *attr,
			  const char *val)
{
	char path[96];
	loff_t pos = 0;
	struct file *f;
	ssize_t n;

	snprintf(path, sizeof(path), "kernel/slab/%s/%s", x->real_name, attr);
	f = file_open_root_mnt(x->mnt, path, O_WRONLY, 0);
	if (IS_ERR(f))
		return PTR_ERR(f);
	n = kernel_write(f, val, strlen(val), &pos);
	filp_close(f, NULL);
	return n < 0 ? n : 0;
}

/* === One side of the trace ============================================= */

static long dyn_side_slabs(struct dyn_ctx *x, struct dyn_side *d)
{
	struct kslab_counts kc;
	unsigned long v;

	if (d->s) {
		kslab_cache_counts(d->s, &kc);
		return kc.slabs;
	}
	if (dyn_attr(x, "slabs", &v)) {
		d->err = -EIO;
		return -1;
	}
	return v;
}

/*
 * Number the slab of @p: a new number when the allocation raised the slab
 * count (a new slab, maybe on a discarded slab's pages), else the number
 * last given to its folio.
 */
static void dyn_record(struct dyn_ctx *x, struct dyn_side *d, void *p)
{
	unsigned long base = (unsigned long)folio_address(virt_to_folio(p));
	long before = d->slabs;
	unsigned int i;

	d->slabs = dyn_side_slabs(x, d);
	if (d->err)
		return;
	i = d->nr_base;
	if (d->slabs <= before)
		while (i-- > 0 && d->base[i] != base)
			;
	if (i >= d->nr_base) {
		/* New, or not seen since the trace began (a bug somewhere). */
		i = d->nr_base++;
		d->base[i] = base;
	}
	d->rec[d->nr_rec].slab = i;
	d->rec[d->nr_rec].offset = (unsigned long)p - base;
	d->nr_rec++;
}

static void dyn_alloc(struct dyn_ctx *x, struct dyn_side *d, unsigned int i)
{
	void *p;

	if (d->err || d->slot[i])
		return;
	if (x->order && d->slabs < 0)
		d->slabs = dyn_side_slabs(x, d);
	if (x->node && d->rc)
		p = kmem_cache_alloc_node(d->rc, GFP_KERNEL, numa_mem_id());
	else if (x->node)
		p = kslab_cache_alloc_node(d->s, GFP_KERNEL, numa_mem_id());
	else
		p = d->rc ? kmem_cache_alloc(d->rc, GFP_KERNEL) :
			    kslab_cache_alloc(d->s, GFP_KERNEL);
	if (!p) {
		d->err = -ENOMEM;
		return;
	}
	d->slot[i] = p;
	if (is_kfence_address(p)) {
		d->err = -EXDEV;
		return;
	}
	if (x->order && d->nr_rec < x->max_rec)
		dyn_record(x, d, p);
}

static void dyn_free(struct dyn_side *d, unsigned int i)
{
	if (!d->slot[i])
		return;
	if (d->rc)
		kmem_cache_free(d->rc, d->slot[i]);
	else
		kslab_cache_free(d->s, d->slot[i]);
	d->slot[i] = NULL;
	d->slabs = -1;
}

static void dyn_shrink(struct dyn_side *d)
{
	if (d->rc)
		kmem_cache_shrink(d->rc);
	else
		kslab_cache_shrink(d->s);
	d->slabs = -1;
}

static u32 dyn_xorshift(u32 *state)
{
	u32 v = *state;

	v ^= v << 13;
	v ^= v >> 17;
	v ^= v << 5;
	*state = v;
	return v;
}

/* Run phase @ph of the trace on one side; both sides run the same slots. */
static void dyn_run_phase(struct dyn_ctx *x, struct dyn_side *d,
			  const struct dyn_case *c, enum dyn_phase ph)
{
	unsigned int i, step, n = x->n;

	d->phase_rec = d->nr_rec;
	switch (ph) {
	case DYN_FILL:
	case DYN_REFILL:
	case DYN_REFILL_SHRUNK:
		for (i = 0; i < n; i++)
			dyn_alloc(x, d, i);
		break;
	case DYN_FREE_KTH:
		for (i = 0; i < n; i += c->k)
			dyn_free(d, i);
		break;
	case DYN_FREE_REVERSE:
		for (i = n; i-- > n * 2 / 5;)
			dyn_free(d, i);
		break;
	case DYN_REMOTE_FREE:
		for (i = 1; i < n; i += 2)
			dyn_free(d, i);
		break;
	case DYN_REMOTE_REFILL:
		for (i = 0; i < n; i++)
			dyn_alloc(x, d, i);
		break;
	case DYN_CHURN:
		for (step = 0; step < 2 * n; step++) {
			i = dyn_xorshift(&d->rng) % n;
			if (d->slot[i])
				dyn_free(d, i);
			else
				dyn_alloc(x, d, i);
		}
		break;
	case DYN_SHRINK:
	case DYN_SHRINK_EMPTY:
		dyn_shrink(d);
		break;
	case DYN_FREE_ALL:
		for (i = 0; i < n; i++)
			dyn_free(d, i);
		break;
	default:
		break;
	}
}

/*
 * The remote phases run on another online CPU: there each side frees
 * objects of slabs the home CPU allocated (remote frees: onto that CPU's
 * sheaves from v7.0, else onto its CPU partial list or the node's) and
 * allocates from its own per-CPU state. With one CPU they run at home.
 */
struct dyn_remote {
	struct dyn_ctx *x;
	struct dyn_side *d;
	const struct dyn_case *c;
	enum dyn_phase ph;
};

static long dyn_remote_fn(void *arg)
{
	struct dyn_remote *r = arg;

	dyn_run_phase(r->x, r->d, r->c, r->ph);
	return 0;
}

static bool dyn_phase_remote(enum dyn_phase ph)
{
	return ph == DYN_REMOTE_FREE || ph == DYN_REMOTE_REFILL;
}

/*
 * The remote CPU: an online CPU that can go offline (x86 keeps CPU 0
 * online), else any other online CPU, else nr_cpu_ids. The test is
 * bound to a home CPU that is not it, this one if it can be, until
 * dyn_home_end(): a CPU going down waits for its migrate-disabled tasks.
 */
static unsigned int dyn_pick_remote(void)
{
	unsigned int cpu, remote = nr_cpu_ids, home = raw_smp_processor_id();

	for_each_online_cpu(cpu) {
		if (cpu_is_hotpluggable(cpu) &&
		    (cpu != home ||
		     cpumask_any_but(cpu_online_mask, cpu) < nr_cpu_ids)) {
			remote = cpu;
			break;
		}
	}
	if (remote >= nr_cpu_ids)
		remote = cpumask_any_but(cpu_online_mask, home);
	else if (remote == home)
		home = cpumask_any_but(cpu_online_mask, remote);
	set_cpus_allowed_ptr(current, cpumask_of(home));
	return remote;
}

static void dyn_home_end(void)
{
	set_cpus_allowed_ptr(current, cpu_possible_mask);
}

/*
 * The offline phase, once for both sides: the remote CPU goes down, and
 * SLUB's slub_cpu_dead() and kslab's hotplug.c each flush what it held
 * of their cache (its cpu slab and CPU partial slabs, or its sheaves).
 * It comes back after the checkpoint. Without CONFIG_HOTPLUG_CPU (UML)
 * or another CPU that can go offline, nothing changes on either side.
 */
static bool dyn_offline(struct kunit *test, struct dyn_ctx *x)
{
	unsigned int i;
	int err;

	for (i = 0; i < ARRAY_SIZE(x->side); i++) {
		x->side[i].phase_rec = x->side[i].nr_rec;
		x->side[i].slabs = -1;
	}
	if (!IS_ENABLED(CONFIG_HOTPLUG_CPU) || x->remote_cpu >= nr_cpu_ids ||
	    !cpu_is_hotpluggable(x->remote_cpu)) {
		kunit_info(test, "no other CPU can go offline here: the offline phase is a no-op\n");
		return false;
	}
	err = remove_cpu(x->remote_cpu);
	KUNIT_EXPECT_EQ_MSG(test, err, 0, "remove_cpu(%u)", x->remote_cpu);
	return !err;
}

static void dyn_online(struct kunit *test, struct dyn_ctx *x)
{
	KUNIT_EXPECT_EQ_MSG(test, add_cpu(x->remote_cpu), 0, "add_cpu(%u)",
			    x->remote_cpu);
}

static void dyn_run(struct dyn_ctx *x, struct dyn_side *d,
		    const struct dyn_case *c, enum dyn_phase ph)
{
	struct dyn_remote r = { x, d, c, ph };

	if (dyn_phase_remote(ph) && x->remote_cpu < nr_cpu_ids)
		work_on_cpu(x->remote_cpu, dyn_remote_fn, &r);
	else
		dyn_run_phase(x, d, c, ph);
}

/* === Checkpoints ======================================================= */

static void dyn_real_counts(struct dyn_ctx *x, unsigned long *v)
{
	unsigned int f;

	for (f = 0; f < DYN_NR_FIELDS; f++)
		if (!x->have[f] || dyn_attr(x, dyn_field_names[f], &v[f]))
			v[f] = ULONG_MAX;
}

static void dyn_mine_counts(struct kslab_cache *s, unsigned long *v)
{
	struct kslab_counts kc;

	kslab_cache_counts(s, &kc);
	v[DYN_SLABS] = kc.slabs;
	v[DYN_PARTIAL] = kc.partial;
	v[DYN_CPU_SLABS] = kc.cpu_slabs;
	v[DYN_OBJECTS] = kc.objects;
	v[DYN_OBJECTS_PARTIAL] = kc.objects_partial;
}

/* Compare the allocations of the phase; report the first difference. */
static void dyn_check_order(struct kunit *test, struct dyn_ctx *x,
			    const struct dyn_case *c, enum dyn_phase ph)
{
	struct dyn_side *r = &x->side[0], *m = &x->side[1];
	unsigned int nr = r->nr_rec - r->phase_rec;
	unsigned int i;

	KUNIT_EXPECT_EQ_MSG(test, m->nr_rec - m->phase_rec, nr,
			    "trace %s, phase %s: allocations recorded",
			    c->name, dyn_phase_names[ph]);
	for (i = 0; i < nr && m->phase_rec + i < m->nr_rec; i++) {
		struct dyn_rec *a = &r->rec[r->phase_rec + i];
		struct dyn_rec *b = &m->rec[m->phase_rec + i];

		if (a->slab == b->slab && a->offset == b->offset)
			continue;
		KUNIT_EXPECT_EQ_MSG(test, b->slab, a->slab,
				    "trace %s, phase %s, allocation %u of the phase: slab number",
				    c->name, dyn_phase_names[ph], i);
		KUNIT_EXPECT_EQ_MSG(test, b->offset, a->offset,
				    "trace %s, phase %s, allocation %u of the phase: offset in the slab",
				    c->name, dyn_phase_names[ph], i);
		break;
	}
}

static void dyn_checkpoint(struct kunit *test, struct dyn_ctx *x,
			   const struct dyn_case *c, enum dyn_phase ph)
{
	unsigned long real[DYN_NR_FIELDS], mine[DYN_NR_FIELDS];
	struct dyn_side *r = &x->side[0];
	unsigned int f, live = 0, i;

	dyn_real_counts(x, real);
	dyn_mine_counts(x->side[1].s, mine);
	for (i = 0; i < x->n; i++)
		live += !!r->slot[i];
	kunit_info(test,
		   "%s %-26s live %4u allocs %4u new slabs %3u | slub slabs %ld partial %ld cpu_slabs %ld objects %ld objects_partial %ld | kslab %lu %lu %lu %lu %lu\n",
		   c->name, dyn_phase_names[ph], live,
		   r->nr_rec - r->phase_rec, r->nr_base,
		   (long)real[DYN_SLABS], (long)real[DYN_PARTIAL],
		   (long)real[DYN_CPU_SLABS], (long)real[DYN_OBJECTS],
		   (long)real[DYN_OBJECTS_PARTIAL], mine[DYN_SLABS],
		   mine[DYN_PARTIAL], mine[DYN_CPU_SLABS], mine[DYN_OBJECTS],
		   mine[DYN_OBJECTS_PARTIAL]);
	for (f = 0; f < DYN_NR_FIELDS; f++) {
		if (real[f] == ULONG_MAX)
			continue;
		KUNIT_EXPECT_EQ_MSG(test, mine[f], real[f],
				    "trace %s, phase %s, field %s", c->name,
				    dyn_phase_names[ph], dyn_field_names[f]);
	}
	if (x->order)
		dyn_check_order(test, x, c, ph);
}

/* === Setup and teardown ================================================ */

/* Free what a side still holds and destroy its cache; idempotent. */
static void dyn_side_release(struct dyn_ctx *x, struct dyn_side *d)
{
	unsigned int i;

	if (d->slot)
		for (i = 0; i < x->n; i++)
			dyn_free(d, i);
	kfree(d->slot);
	kvfree(d->rec);
	kvfree(d->base);
	d->slot = NULL;
	d->rec = NULL;
	d->base = NULL;
	kslab_cache_destroy(d->s);
	kmem_cache_destroy(d->rc);
	d->s = NULL;
	d->rc = NULL;
}

/* Test exit, even after a failed assertion or a skip. */
static void dyn_ctx_free(struct kunit_resource *res)
{
	struct dyn_ctx *x = res->data;

	dyn_side_release(x, &x->side[0]);
	dyn_side_release(x, &x->side[1]);
	if (x->mnt)
		mntput(x->mnt);
	kfree(x);
}

static struct dyn_ctx *dyn_ctx_new(struct kunit *test)
{
	struct file_system_type *type;
	struct dyn_ctx *x;

	x = kzalloc(sizeof(*x), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, x);
	if (!kunit_alloc_resource(test, NULL, dyn_ctx_free, GFP_KERNEL, x)) {
		kfree(x);
		KUNIT_FAIL(test, "out of memory");
		return NULL;
	}
	/* A private mount, as compare.c: built-in suites run before init. */
	type = get_fs_type("sysfs");
	x->mnt = type ? vfs_kern_mount(type, 0, "sysfs", NULL) : NULL;
	if (IS_ERR(x->mnt))
		x->mnt = NULL;
	return x;
}

static void dyn_side_alloc(struct kunit *test, struct dyn_ctx *x,
			   struct dyn_side *d, const struct dyn_case *c)
{
	d->slot = kcalloc(x->n, sizeof(*d->slot), GFP_KERNEL);
	d->rec = kvcalloc(x->max_rec, sizeof(*d->rec), GFP_KERNEL);
	d->base = kvcalloc(x->max_rec, sizeof(*d->base), GFP_KERNEL);
	KUNIT_ASSERT_TRUE(test, d->slot && d->rec && d->base);
	d->rng = c->seed;
	d->slabs = -1;
}

/*
 * Check the real cache is what the case asked for: SLUB sysfs present,
 * no debug flags from slub_debug= on a non-debug case, cpu partial slabs
 * where the kernel has them. Skips the test otherwise.
 */
static void dyn_check_real(struct kunit *test, struct dyn_ctx *x,
			   const struct dyn_case *c, unsigned long *objs)
{
	static const char *const debug_attrs[] = { "sanity_checks", "red_zone",
						    "poison", "store_user" };
	static const char *const needed[] = { "objs_per_slab", "partial",
					      "cpu_slabs", "objects_partial" };
	unsigned long v;
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(needed); i++) {
		ret = dyn_attr(x, needed[i], &v);
		if (ret)
			kunit_skip(test, "no /sys/kernel/slab/%s/%s (%d)",
				   x->real_name, needed[i], ret);
	}
	KUNIT_ASSERT_EQ(test, dyn_attr(x, "objs_per_slab", objs), 0);
	KUNIT_ASSERT_GT(test, *objs, 0UL);
	if (!(c->flags & DYN_DEBUG_FLAGS)) {
		for (i = 0; i < ARRAY_SIZE(debug_attrs); i++)
			if (!dyn_attr(x, debug_attrs[i], &v) && v)
				kunit_skip(test, "slub_debug= made %s a debug cache (%s=%lu)",
					   x->real_name, debug_attrs[i], v);
		if (IS_ENABLED(CONFIG_SLUB_CPU_PARTIAL) &&
		    !dyn_attr(x, "cpu_partial", &v) && !v)
			kunit_skip(test, "%s has cpu_partial 0", x->real_name);
	}
	/* SLAB_SKIP_KFENCE is masked at creation; sysfs sets it. */
	if (IS_ENABLED(CONFIG_KFENCE))
		dyn_attr_write(x, "skip_kfence", "1");

	x->have[DYN_PARTIAL] = true;
	x->have[DYN_CPU_SLABS] = true;
	x->have[DYN_OBJECTS_PARTIAL] = true;
	x->have[DYN_SLABS] = !dyn_attr(x, "slabs", &v);
	/* 6.1 lists objects without SLUB_DEBUG, and it reads 0 there. */
	x->have[DYN_OBJECTS] = IS_ENABLED(CONFIG_SLUB_DEBUG) &&
			       !dyn_attr(x, "objects", &v);
	if (!x->have[DYN_SLABS])
		kunit_info(test, "no slabs attribute (CONFIG_SLUB_DEBUG=n): slabs and allocation order not compared\n");
	if (!x->have[DYN_OBJECTS])
		kunit_info(test, "no objects attribute (CONFIG_SLUB_DEBUG=n): objects not compared\n");
	/* Slab identity comes from the slab count: see dyn_record(). */
	x->order = x->have[DYN_SLABS] &&
		   !IS_ENABLED(CONFIG_SLAB_FREELIST_RANDOM);
	if (IS_ENABLED(CONFIG_SLAB_FREELIST_RANDOM))
		kunit_info(test, "CONFIG_SLAB_FREELIST_RANDOM: allocation order not compared\n");
}

/* === Test ============================================================== */

static void test_dynamics_match_slub(struct kunit *test)
{
	const struct dyn_case *c = test->param_value;
	struct dyn_side *real, *mine;
	unsigned long objs, v[2];
	enum dyn_phase ph;
	struct dyn_ctx *x;
	int gen, err;

	KSLAB_TEST_SKIP_KASAN(test);

	x = dyn_ctx_new(test);
	if (!x)
		return;
	if (!x->mnt)
		kunit_skip(test, "cannot mount sysfs");
	real = &x->side[0];
	mine = &x->side[1];
	x->node = c->node;

	gen = atomic_inc_return(&dyn_generation);
	snprintf(x->real_name, sizeof(x->real_name), "kslab_dyn_real%d", gen);
	snprintf(x->mine_name, sizeof(x->mine_name), "kslab_dyn_mine%d", gen);
	real->rc = kmem_cache_create(x->real_name, c->size, c->align,
				     c->flags | KSLAB_REAL_NO_MERGE, NULL);
	KUNIT_ASSERT_NOT_NULL(test, real->rc);
	mine->s = kslab_cache_create(x->mine_name, c->size, c->align, c->flags,
				     NULL);
	KUNIT_ASSERT_NOT_NULL(test, mine->s);

	dyn_check_real(test, x, c, &objs);
	KUNIT_EXPECT_EQ_MSG(test, (unsigned long)mine->s->geom.objects, objs,
			    "objects per slab");
	/* v7.0+: mm/slub.c:calculate_sheaf_capacity(), sheaf_capacity_show(). */
	if (KSLAB_SHEAVES) {
		KUNIT_ASSERT_EQ(test, dyn_attr(x, "sheaf_capacity", &v[0]), 0);
		KUNIT_EXPECT_EQ_MSG(test, (unsigned long)mine->s->sheaf_capacity,
				    v[0], "sheaf_capacity");
	}
	x->n = c->slabs * objs;
	/* fill + refill + churn + remote refill + refill after shrink */
	x->max_rec = 3 * x->n + 2 * x->n + x->n / 2 + 1;
	dyn_side_alloc(test, x, real, c);
	dyn_side_alloc(test, x, mine, c);
	if (dyn_attr(x, "min_partial", &v[0]))
		v[0] = ULONG_MAX;
	if (dyn_attr(x, "cpu_partial", &v[1]))
		v[1] = ULONG_MAX;
	kunit_info(test, "%s: %s objs_per_slab %lu min_partial %ld cpu_partial %ld, %u slots\n",
		   c->name, x->real_name, objs, (long)v[0], (long)v[1], x->n);

	/*
	 * One home CPU for the trace but its remote phases; shrink may still
	 * sleep.
	 */
	x->remote_cpu = dyn_pick_remote();
	migrate_disable();
	kunit_info(test, "%s: trace on CPU %d, remote phases on CPU %d\n",
		   c->name, raw_smp_processor_id(),
		   x->remote_cpu < nr_cpu_ids ? x->remote_cpu :
		   raw_smp_processor_id());
	for (ph = 0; ph < DYN_NR_PHASES; ph++) {
		bool offline = false;

		if (ph == DYN_OFFLINE) {
			offline = dyn_offline(test, x);
		} else {
			dyn_run(x, real, c, ph);
			dyn_run(x, mine, c, ph);
		}
		if (real->err || mine->err)
			break;
		dyn_checkpoint(test, x, c, ph);
		if (offline)
			dyn_online(test, x);
	}
	migrate_enable();
	dyn_home_end();

	err = real->err ? real->err : mine->err;
	if (err == -EXDEV)
		kunit_skip(test, "KFENCE served an allocation of %s",
			   real->err ? "slub" : "kslab");
	KUNIT_ASSERT_EQ_MSG(test, err, 0,
			    "trace %s stopped in phase %s (slub %d, kslab %d)",
			    c->name, dyn_phase_names[ph], real->err, mine->err);

	/* The trace freed everything: nothing is left behind. */
	KUNIT_EXPECT_EQ_MSG(test, kslab_cache_active(mine->s), 0UL,
			    "kslab objects live after the trace");
	KUNIT_EXPECT_EQ(test, kslab_cache_destroy(mine->s), 0);
	mine->s = NULL;
	kmem_cache_destroy(real->rc);
	real->rc = NULL;
}

/* === Initial freelist order ============================================ */

#define RND_SLABS	3	/* Fresh slabs compared per side */
#define RND_SIZE	64	/* Order-0 slabs of many objects */
/*
 * Sheaves (v7.0+) hand a refill out last object first, across slabs:
 * test_dynamics_match_slub compares that order allocation by allocation.
 * Here the slab's own freelist order is checked, on caches without
 * sheaves (SLAB_NOLEAKTRACE, mm/slub.c:calculate_sheaf_capacity()).
 */
#define RND_FLAGS	(KSLAB_SHEAVES ? SLAB_NOLEAKTRACE : 0)

/*
 * Allocate RND_SLABS fresh slabs' worth from a new cache, one CPU, and
 * write the object index of every allocation, slab after slab, to @idx.
 * @alloc/@free are the side's allocator; @first is the offset of object 0
 * in the folio and @stride the slab_size.
 */
static int rnd_indices(void *(*alloc)(void *c), void (*free)(void *c, void *p),
		       void *cache, unsigned int n, unsigned int stride,
		       unsigned int first, unsigned int *idx, void **objs)
{
	unsigned int i, err = 0;

	migrate_disable();
	for (i = 0; i < RND_SLABS * n; i++) {
		objs[i] = alloc(cache);
		if (!objs[i]) {
			err = -ENOMEM;
			break;
		}
		if (is_kfence_address(objs[i]))
			err = -EXDEV;
		idx[i] = (objs[i] - folio_address(virt_to_folio(objs[i])) -
			  first) / stride;
	}
	while (i--)
		free(cache, objs[i]);
	migrate_enable();
	return err;
}

static void *rnd_real_alloc(void *c)
{
	return kmem_cache_alloc(c, GFP_KERNEL);
}

static void rnd_real_free(void *c, void *p)
{
	kmem_cache_free(c, p);
}

static void *rnd_mine_alloc(void *c)
{
	return kslab_cache_alloc(c, GFP_KERNEL);
}

static void rnd_mine_free(void *c, void *p)
{
	kslab_cache_free(c, p);
}

/*
 * SLUB's order (mm/slub.c:shuffle_freelist()): without
 * SLAB_FREELIST_RANDOM every new slab hands out 0, 1, 2, ...; with it, a
 * permutation of the objects that is the cache's one random_seq rotated to
 * a random start, so every slab's order is a rotation of every other's.
 */
static void rnd_check(struct kunit *test, const char *side,
		      const unsigned int *idx, unsigned int n)
{
	unsigned int s, j, r, identity = 0;
	unsigned long *seen;

	seen = kunit_kcalloc(test, BITS_TO_LONGS(n), sizeof(long), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, seen);
	for (s = 0; s < RND_SLABS; s++) {
		const unsigned int *q = idx + s * n;

		bitmap_zero(seen, n);
		for (j = 0; j < n; j++) {
			KUNIT_ASSERT_LT_MSG(test, q[j], n, "%s slab %u", side, s);
			__set_bit(q[j], seen);
			identity += q[j] == j;
		}
		KUNIT_EXPECT_EQ_MSG(test, bitmap_weight(seen, n), n,
				    "%s: slab %u does not hand out each object once",
				    side, s);
		if (!IS_ENABLED(CONFIG_SLAB_FREELIST_RANDOM) || !s)
			continue;
		for (r = 0; r < n && idx[r] != q[0]; r++)
			;
		for (j = 0; j < n; j++)
			if (q[j] != idx[(r + j) % n])
				break;
		KUNIT_EXPECT_EQ_MSG(test, j, n,
				    "%s: slab %u's order is not a rotation of slab 0's",
				    side, s);
	}
	if (IS_ENABLED(CONFIG_SLAB_FREELIST_RANDOM))
		KUNIT_EXPECT_LT_MSG(test, identity, RND_SLABS * n / 2,
				    "%s: SLAB_FREELIST_RANDOM but address order", side);
	else
		KUNIT_EXPECT_EQ_MSG(test, identity, RND_SLABS * n,
				    "%s: not address order", side);
}

static void test_initial_freelist_order(struct kunit *test)
{
	unsigned int n, *idx;
	struct kmem_cache *rc;
	struct kslab_cache *s;
	void **objs;
	int err;

	KSLAB_TEST_SKIP_KASAN(test);

	rc = kmem_cache_create("kslab_dyn_rnd_real", RND_SIZE, 0,
			       KSLAB_REAL_NO_MERGE | RND_FLAGS, NULL);
	KUNIT_ASSERT_NOT_NULL(test, rc);
	s = kslab_cache_create("kslab_dyn_rnd", RND_SIZE, 0, RND_FLAGS, NULL);
	if (!s)
		kmem_cache_destroy(rc);
	KUNIT_ASSERT_NOT_NULL(test, s);
	n = s->geom.objects;
	idx = kunit_kcalloc(test, RND_SLABS * n, sizeof(*idx), GFP_KERNEL);
	objs = kunit_kcalloc(test, RND_SLABS * n, sizeof(*objs), GFP_KERNEL);
	err = !idx || !objs ? -ENOMEM : 0;

	if (!err)
		err = rnd_indices(rnd_real_alloc, rnd_real_free, rc, n,
				  kmem_cache_size(rc), 0, idx, objs);
	if (!err)
		rnd_check(test, "slub", idx, n);
	if (!err)
		err = rnd_indices(rnd_mine_alloc, rnd_mine_free, s, n,
				  s->geom.size, s->geom.red_left_pad, idx, objs);
	if (!err)
		rnd_check(test, "kslab", idx, n);
	KUNIT_EXPECT_EQ(test, kslab_cache_destroy(s), 0);
	kmem_cache_destroy(rc);
	if (err == -EXDEV)
		kunit_skip(test, "KFENCE served an allocation");
	KUNIT_EXPECT_EQ(test, err, 0);
}

static struct kunit_case dynamics_test_cases[] = {
	KUNIT_CASE_PARAM(test_dynamics_match_slub, dyn_gen_params),
	KUNIT_CASE(test_initial_freelist_order),
	{}
};

static struct kunit_suite dynamics_test_suite = {
	.name = "kslab_dynamics",
	.init = kslab_test_init,
	.exit = kslab_test_exit,
	.test_cases = dynamics_test_cases,
};

kunit_test_suite(dynamics_test_suite);
