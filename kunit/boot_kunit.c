// SPDX-License-Identifier: GPL-2.0
/*
 * kslab_boot: SLUB's boot parameters as kslab parses them from a command
 * line, against what the running kernel's __setup() handlers would leave.
 */
#include <linux/string.h>

#include "kslab_kunit.h"

/* === Command lines ===================================================== */

#define V2	KSLAB_SETUP_SLAB_NAMES	/* slab_* spellings, clamps (v6.8 †) */
#define DBG	IS_ENABLED(CONFIG_SLUB_DEBUG)
#define MEMCG	IS_ENABLED(CONFIG_MEMCG)
#define CF	SLAB_CONSISTENCY_CHECKS
#define RZ	SLAB_RED_ZONE
#define PO	SLAB_POISON
#define SU	SLAB_STORE_USER
#define ALL	KSLAB_DEBUG_DEFAULT_FLAGS
#define DEF	(IS_ENABLED(CONFIG_SLUB_DEBUG_ON) ? ALL : 0)
#define MAXO	KSLAB_MAX_PAGE_ORDER
#define K7	KSLAB_CORE_PARAMS	/* core_param(), kstrtouint() (v7.3) */

struct cmdline_case {
	const char *cmdline;
	unsigned int min_order, max_order, min_objects;
	slab_flags_t debug;
	const char *lists;		/* slub_debug_string, or NULL */
	bool o, nokmem, noforce;
	int merge;			/* 0: the default, 1: nomerge, 2: merge */
	unsigned int bad_letters;
};

#define C(line, mino, maxo, mobj, dbg, lst, ...)			\
	{ .cmdline = line, .min_order = mino, .max_order = maxo,	\
	  .min_objects = mobj, .debug = dbg, .lists = lst, __VA_ARGS__ }

static const struct cmdline_case cmdline_cases[] = {
	C("", 0, 3, 0, DEF, NULL),
	C("console=ttyS0 slub_min_objects=32 quiet", 0, 3, 32, DEF, NULL),
	/*
	 * get_option(): base 0, and 0 when no digits follow, what digits
	 * there are before junk, a sign. v7.3's kstrtouint(, 0): base 0, and
	 * a value with junk or a minus sign changes nothing, clamps included.
	 */
	C("slub_min_objects=0x10", 0, 3, 16, DEF, NULL),
	C("slub_max_order=abc", 0, K7 ? 3 : 0, 0, DEF, NULL),
	C("slub_max_order=2abc", 0, K7 ? 3 : 2, 0, DEF, NULL),
	C("slub_min_objects=-1", 0, 3, K7 ? 0 : UINT_MAX, DEF, NULL),
	C("slub_min_objects=+12", 0, 3, K7 ? 12 : 0, DEF, NULL),
	C("slub_min_order=5x", K7 ? 0 : 5, K7 ? 3 : V2 ? 5 : 3, 0, DEF, NULL),
	C("slub_min_objects=12 slub_min_objects=7z", 0, 3, K7 ? 12 : 7, DEF,
	  NULL),
	/* The last one wins; slub_max_order is clamped at parse time. */
	C("slub_max_order=1 slub_max_order=2", 0, 2, 0, DEF, NULL),
	C("slub_max_order=99", 0, MAXO, 0, DEF, NULL),
	/* v6.12 keeps min <= max in each handler; v6.1 does not. */
	C("slub_min_order=5", 5, V2 ? 5 : 3, 0, DEF, NULL),
	C("slub_min_order=2 slub_max_order=1", V2 ? 1 : 2, 1, 0, DEF, NULL),
	C("slub_max_order=1 slub_min_order=2", 2, V2 ? 2 : 1, 0, DEF, NULL),
	C("slab_min_order=1 slab_max_order=2 slab_min_objects=6",
	  V2 ? 1 : 0, V2 ? 2 : 3, V2 ? 6 : 0, DEF, NULL),
	/* parameqn(): '-' and '_' are one character. */
	C("slub-min-objects=8", 0, 3, 8, DEF, NULL),
	/* next_arg(): quotes, and "--" ends the kernel's part. */
	C("foo=\"a b slub_min_objects=4\" slub_min_objects=12", 0, 3, 12, DEF,
	  NULL),
	C("slub_min_objects=\"16\"", 0, 3, 16, DEF, NULL),
	C("\"slub_min_objects=20\"", 0, 3, 20, DEF, NULL),
	C("slub_max_order=2 -- slub_min_objects=8", 0, 2, 0, DEF, NULL),
	C("init=/sbin/init slub_min_objectsx=8", 0, 3, 0, DEF, NULL),
	/* slub_debug: a bare name (a prefix, before v7.3) is full debugging. */
	C("slub_debug", 0, 3, 0, DBG ? ALL : DEF, NULL),
	C("slub_debug=", 0, 3, 0, DBG ? ALL : DEF, NULL),
	/* v7.3: a core_param() matches the whole name only. */
	C("slub_debugfoo", 0, 3, 0, DBG && !K7 ? ALL : DEF, NULL),
	C("slub_debug=FZ", 0, 3, 0, DBG ? CF | RZ : DEF, NULL),
	C("slub_debug=fzpu slub_debug=-", 0, 3, 0, DBG ? 0 : DEF, NULL),
	C("slub_debug=-P", 0, 3, 0, DBG ? PO : DEF, NULL),
	C("slub_debug=Zx!O", 0, 3, 0, DBG ? RZ : DEF, NULL,
	  .o = DBG, .bad_letters = DBG ? 2 : 0),
	C("slab_debug=U", 0, 3, 0, DBG && V2 ? SU : DEF, NULL),
	/* Lists alone leave the global flags; a list-less block sets them. */
	C("slub_debug=FZ,kmalloc-64", 0, 3, 0, DEF,
	  DBG ? "FZ,kmalloc-64" : NULL),
	C("slub_debug=P;U,kmalloc-1k", 0, 3, 0, DBG ? PO : DEF,
	  DBG ? "P;U,kmalloc-1k" : NULL),
	C("slub_debug=;;,kmalloc-8", 0, 3, 0, DEF,
	  DBG ? ";;,kmalloc-8" : NULL),
	/* A later value without lists keeps the earlier lists. */
	C("slub_debug=FZ,kmalloc-64 slub_debug=U", 0, 3, 0, DBG ? SU : DEF,
	  DBG ? "FZ,kmalloc-64" : NULL),
	C("slub_nomerge", 0, 3, 0, DEF, NULL, .merge = 1),
	C("slab_nomerge slab_merge", 0, 3, 0, DEF, NULL, .merge = 2),
	C("cgroup.memory=nosocket,nokmem", 0, 3, 0, DEF, NULL,
	  .nokmem = MEMCG),
	C("cgroup.memory=nokmemx cgroup.memory=,", 0, 3, 0, DEF, NULL),
	/* early_param("swiotlb"): the whole name, value after a count. */
	C("swiotlb=65536,4,noforce", 0, 3, 0, DEF, NULL,
	  .noforce = IS_ENABLED(CONFIG_SWIOTLB)),
	C("swiotlb=noforce", 0, 3, 0, DEF, NULL,
	  .noforce = IS_ENABLED(CONFIG_SWIOTLB)),
	C("swiotlbx=noforce swiotlb=force swiotlb", 0, 3, 0, DEF, NULL),
};

static void cmdline_desc(const struct cmdline_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "\"%s\"", c->cmdline);
}

KUNIT_ARRAY_PARAM(cmdline, cmdline_cases, cmdline_desc);

static void test_cmdline(struct kunit *test)
{
	const struct cmdline_case *c = test->param_value;
	struct kslab_boot b;

	kslab_boot_defaults(&b);
	KUNIT_ASSERT_EQ(test, kslab_boot_parse(&b, c->cmdline,
					       KSLAB_SRC_CMDLINE), 0);
	KUNIT_EXPECT_EQ(test, b.min_order, c->min_order);
	KUNIT_EXPECT_EQ(test, b.max_order, c->max_order);
	KUNIT_EXPECT_EQ(test, b.min_objects, c->min_objects);
	KUNIT_EXPECT_EQ(test, (__force unsigned int)b.debug,
			(__force unsigned int)c->debug);
	if (c->lists)
		KUNIT_EXPECT_STREQ(test, b.debug_string ?: "(null)", c->lists);
	else
		KUNIT_EXPECT_NULL(test, b.debug_string);
	KUNIT_EXPECT_EQ(test, b.higher_order_disable, c->o);
	KUNIT_EXPECT_EQ(test, b.nomerge, c->merge ? c->merge == 1 :
			!IS_ENABLED(CONFIG_SLAB_MERGE_DEFAULT));
	KUNIT_EXPECT_EQ(test, b.memcg_nokmem, c->nokmem);
	KUNIT_EXPECT_EQ(test, b.swiotlb_noforce, c->noforce);
	KUNIT_EXPECT_EQ(test, b.bad_letters, c->bad_letters);
	kslab_boot_release(&b);
}

/* Each value records where it came from and the argument that set it. */
static void test_sources(struct kunit *test)
{
	struct kslab_boot b;

	static const char line[] =
		"slub_max_order=2 slub_min_objects=9 slub_max_order=1";
	int ret;

	kslab_boot_defaults(&b);
	ret = kslab_boot_parse(&b, line, KSLAB_SRC_CMDLINE);
	KUNIT_ASSERT_EQ(test, ret, 0);
	ret = kslab_boot_parse(&b, "slub_min_objects=7", KSLAB_SRC_MODULE);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, b.src[KSLAB_BOOT_MIN_ORDER], KSLAB_SRC_DEFAULT);
	KUNIT_EXPECT_EQ(test, b.src[KSLAB_BOOT_MAX_ORDER], KSLAB_SRC_CMDLINE);
	KUNIT_EXPECT_STREQ(test, b.arg[KSLAB_BOOT_MAX_ORDER], "slub_max_order=1");
	KUNIT_EXPECT_EQ(test, b.src[KSLAB_BOOT_MIN_OBJECTS], KSLAB_SRC_MODULE);
	KUNIT_EXPECT_EQ(test, b.min_objects, 7);
	KUNIT_EXPECT_STREQ(test, kslab_boot_src_name(KSLAB_SRC_MODULE), "module");
	kslab_boot_release(&b);
}

/* === Per-cache flags =================================================== */

struct flags_case {
	const char *debug;		/* Value of slub_debug= */
	const char *name;		/* Cache name */
	slab_flags_t flags;		/* Flags asked for */
	slab_flags_t expect;		/* Flags the cache gets */
};

static const struct flags_case flags_cases[] = {
	{ "FZ,kmalloc-64,kmalloc-1k;U,kmalloc-*", "kmalloc-64", 0, CF | RZ },
	{ "FZ,kmalloc-64,kmalloc-1k;U,kmalloc-*", "kmalloc-1k", 0, CF | RZ },
	{ "FZ,kmalloc-64,kmalloc-1k;U,kmalloc-*", "kmalloc-6", 0, SU },
	{ "FZ,kmalloc-64,kmalloc-1k;U,kmalloc-*", "kmalloc-cg-128", 0, SU },
	{ "FZ,kmalloc-64,kmalloc-1k;U,kmalloc-*", "dma-kmalloc-64", 0, DEF },
	{ "FZ,kmalloc-64,kmalloc-1k;U,kmalloc-*", "kmalloc-640", 0, SU },
	{ ",kmalloc-64", "kmalloc-64", 0, ALL },
	{ "P,kmalloc-64", "kmalloc-96", SLAB_KMALLOC, SLAB_KMALLOC | DEF },
	{ "P;Z,kmalloc-96", "kmalloc-64", 0, PO },
	{ "P;Z,kmalloc-96", "kmalloc-96", 0, RZ },
	{ "U", "kmemleak_object", SLAB_NOLEAKTRACE, SLAB_NOLEAKTRACE },
	{ "U,kmemleak_object", "kmemleak_object", SLAB_NOLEAKTRACE,
	  SLAB_NOLEAKTRACE | SU },
	{ "FZPU", "kmem_cache", SLAB_NO_USER_FLAGS, SLAB_NO_USER_FLAGS },
};

static void flags_desc(const struct flags_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "slub_debug=%s %s", c->debug,
		 c->name);
}

KUNIT_ARRAY_PARAM(flags, flags_cases, flags_desc);

static void test_cache_flags(struct kunit *test)
{
	const struct flags_case *c = test->param_value;
	struct kslab_boot b;
	slab_flags_t got;
	char line[64];

	KSLAB_TEST_REQUIRES(test, IS_ENABLED(CONFIG_SLUB_DEBUG));
	snprintf(line, sizeof(line), "slub_debug=%s", c->debug);
	kslab_boot_defaults(&b);
	KUNIT_ASSERT_EQ(test, kslab_boot_parse(&b, line, KSLAB_SRC_CMDLINE), 0);
	got = kslab_boot_cache_flags(&b, c->flags, c->name);
	KUNIT_EXPECT_EQ(test, (__force unsigned int)got,
			(__force unsigned int)c->expect);
	kslab_boot_release(&b);
}

/*
 * slub_debug=O: a cache whose metadata raises get_order() above that of
 * its objects loses the metadata flags (the kernel-wide rule of
 * kmem_cache_open() / do_kmem_cache_create()); others keep them.
 */
static void test_higher_order_disable(struct kunit *test)
{
	struct kslab_boot saved = kslab_boot;
	unsigned int min_objects = kslab_params.min_objects;
	struct kslab_geom big, small;
	slab_flags_t fzpu = ALL;

	kslab_boot.higher_order_disable = true;
	KUNIT_EXPECT_TRUE(test, kslab_layout_cache(PAGE_SIZE, PAGE_SIZE, fzpu,
						   false, KSLAB_NO_FREEPTR,
						   min_objects, &big));
	KUNIT_EXPECT_TRUE(test, kslab_layout_cache(64, 64, fzpu, false,
						   KSLAB_NO_FREEPTR,
						   min_objects, &small));
	kslab_boot = saved;
	KUNIT_EXPECT_EQ(test, (__force unsigned int)big.flags,
			(__force unsigned int)CF);
	KUNIT_EXPECT_EQ(test, big.size, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, (__force unsigned int)small.flags,
			(__force unsigned int)fzpu);
	KUNIT_EXPECT_GT(test, small.size, 64);
}

/*
 * The command line, read afresh in the suite runner's context: a test
 * case runs in a kthread, whose root may have no /proc (a module's
 * kthreads on the board and stock initramfs: -ENOENT).
 */
static char *fresh_cmdline;

static int boot_suite_init(struct kunit_suite *suite)
{
	fresh_cmdline = kslab_boot_cmdline();
	return 0;
}

static void boot_suite_exit(struct kunit_suite *suite)
{
	if (!IS_ERR_OR_NULL(fresh_cmdline))
		kvfree(fresh_cmdline);
	fresh_cmdline = NULL;
}

/*
 * What the module runs with: the command line read and parsed afresh here
 * gives the values kslab_boot holds and the geometry uses, wherever no
 * module parameter overrode them. A load that failed to read or apply
 * the command line fails this on any kernel booted with SLUB parameters
 * (make test boots UML 6.1 and 7.3 and the stock kernels so).
 */
static void test_running_kernel(struct kunit *test)
{
	const struct kslab_boot *k = &kslab_boot;
	const char *line = fresh_cmdline;
	struct kslab_boot b;
	unsigned int i;

	for (i = 0; i < KSLAB_NR_BOOT; i++)
		KUNIT_EXPECT_LE(test, k->src[i], KSLAB_SRC_MODULE);
	KUNIT_EXPECT_EQ(test, k->cmdline_err, 0L);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR_OR_NULL(line), "command line: %ld",
			       PTR_ERR(line));
	kslab_boot_defaults(&b);
	KUNIT_ASSERT_EQ(test, kslab_boot_parse(&b, line, KSLAB_SRC_CMDLINE), 0);
	kunit_info(test, "command line: %s\n", line);

	if (k->src[KSLAB_BOOT_MIN_ORDER] != KSLAB_SRC_MODULE) {
		KUNIT_EXPECT_EQ(test, k->min_order, b.min_order);
		KUNIT_EXPECT_EQ(test, kslab_params.min_order, b.min_order);
	}
	if (k->src[KSLAB_BOOT_MAX_ORDER] != KSLAB_SRC_MODULE) {
		KUNIT_EXPECT_EQ(test, k->max_order, b.max_order);
		KUNIT_EXPECT_EQ(test, kslab_params.max_order, b.max_order);
	}
	if (k->src[KSLAB_BOOT_MIN_OBJECTS] != KSLAB_SRC_MODULE) {
		KUNIT_EXPECT_EQ(test, k->min_objects, b.min_objects);
		if (b.min_objects)
			KUNIT_EXPECT_EQ(test, kslab_params.min_objects,
					b.min_objects);
	}
	if (k->src[KSLAB_BOOT_DEBUG] != KSLAB_SRC_MODULE) {
		KUNIT_EXPECT_EQ(test, (__force unsigned int)k->debug,
				(__force unsigned int)b.debug);
		KUNIT_EXPECT_STREQ(test, k->debug_string ?: "(null)",
				   b.debug_string ?: "(null)");
	}
	kslab_boot_release(&b);
}

static struct kunit_case boot_test_cases[] = {
	KUNIT_CASE_PARAM(test_cmdline, cmdline_gen_params),
	KUNIT_CASE(test_sources),
	KUNIT_CASE_PARAM(test_cache_flags, flags_gen_params),
	KUNIT_CASE(test_higher_order_disable),
	KUNIT_CASE(test_running_kernel),
	{}
};

static struct kunit_suite boot_test_suite = {
	.name = "kslab_boot",
	.suite_init = boot_suite_init,
	.suite_exit = boot_suite_exit,
	.test_cases = boot_test_cases,
};

kunit_test_suite(boot_test_suite);
