/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The part of KUnit's test API the kslab suites use, for kernels built
 * without CONFIG_KUNIT (distribution kernels): the same suite files
 * compile against it, and kunit/ktap.c runs them at module load and
 * prints KTAP that kunit.py parse reads.
 *
 * Names and semantics follow include/kunit/test.h and resource.h (v6.12):
 * an EXPECT marks the case failed and goes on, an ASSERT or kunit_skip()
 * ends the case (its kthread exits, as KUnit's try-catch does), and
 * resources are released in reverse order after the case's exit.
 */
#ifndef KSLAB_KUNIT_KTAP_H
#define KSLAB_KUNIT_KTAP_H

#include <linux/compiler.h>
#include <linux/completion.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#define KUNIT_PARAM_DESC_SIZE	128

enum kunit_status {
	KUNIT_SUCCESS,
	KUNIT_FAILURE,
	KUNIT_SKIPPED,
};

struct kunit;
struct kunit_resource;

typedef int (*kunit_resource_init_t)(struct kunit_resource *, void *);
typedef void (*kunit_resource_free_t)(struct kunit_resource *);

struct kunit_resource {
	void *data;
	const char *name;
	kunit_resource_free_t free;
	bool should_kfree;		/* Allocated by kunit_alloc_resource() */
	struct list_head node;
};

struct kunit_case {
	void (*run_case)(struct kunit *test);
	const char *name;
	const void *(*generate_params)(const void *prev, char *desc);
};

struct kunit_suite {
	const char *name;
	int (*suite_init)(struct kunit_suite *suite);	/* Runner's context */
	void (*suite_exit)(struct kunit_suite *suite);
	int (*init)(struct kunit *test);
	void (*exit)(struct kunit *test);
	struct kunit_case *test_cases;
};

struct kunit {
	void *priv;
	const void *param_value;
	enum kunit_status status;
	/* Private to kunit/ktap.c. */
	const char *name;
	const char *indent;
	char status_comment[256];
	struct list_head resources;
	spinlock_t lock;		/* Protects resources */
	struct task_struct *task;
	struct completion done;
	const struct kunit_suite *suite;
	const struct kunit_case *test_case;
};

#define KUNIT_CASE(fn)	{ .run_case = fn, .name = #fn }
#define KUNIT_CASE_PARAM(fn, gen)					\
	{ .run_case = fn, .name = #fn, .generate_params = gen }

/* include/kunit/test.h:KUNIT_ARRAY_PARAM(). */
#define KUNIT_ARRAY_PARAM(name, array, get_desc)			\
	static const void *name##_gen_params(const void *prev, char *desc) \
	{								\
		typeof((array)[0]) *__next = prev ?			\
			((typeof(__next))prev) + 1 : (array);		\
		if (__next - (array) < ARRAY_SIZE((array))) {		\
			void (*__get_desc)(typeof(__next), char *) = get_desc; \
			if (__get_desc)					\
				__get_desc(__next, desc);		\
			return __next;					\
		}							\
		return NULL;						\
	}

/*
 * A suite registers itself by name; kunit/ktap_suites.h lists the names
 * the runner runs, in order. A suite missing from that list is a KTAP
 * plan short of the repository's suites, which the runners report.
 */
#define kunit_test_suite(suite)						\
	struct kunit_suite *const kslab_ktap_##suite = &(suite)

/* === Runner (kunit/ktap.c) ============================================= */

__printf(2, 3) void kslab_ktap_log(struct kunit *test, const char *fmt, ...);
__printf(4, 5) void kslab_ktap_fail(struct kunit *test, const char *file,
				    int line, const char *fmt, ...);
void kslab_ktap_binary(struct kunit *test, const char *file, int line,
		       const char *text, long long l, long long r,
		       const char *ltext, const char *rtext);
void kslab_ktap_abort(struct kunit *test);
__printf(2, 3) void kslab_ktap_skip(struct kunit *test, const char *fmt, ...);
void *kunit_kmalloc_array(struct kunit *test, size_t n, size_t size,
			  gfp_t gfp);
int __kunit_add_resource(struct kunit *test, kunit_resource_init_t init,
			 kunit_resource_free_t free,
			 struct kunit_resource *res, void *data);
int kunit_add_named_resource(struct kunit *test, kunit_resource_init_t init,
			     kunit_resource_free_t free,
			     struct kunit_resource *res, const char *name,
			     void *data);

static inline void *kunit_alloc_resource(struct kunit *test,
					 kunit_resource_init_t init,
					 kunit_resource_free_t free,
					 gfp_t internal_gfp, void *context)
{
	struct kunit_resource *res = kzalloc(sizeof(*res), internal_gfp);

	if (!res)
		return NULL;
	res->should_kfree = true;
	if (!__kunit_add_resource(test, init, free, res, context))
		return res->data;
	kfree(res);
	return NULL;
}

static inline void *kunit_kmalloc(struct kunit *test, size_t size, gfp_t gfp)
{
	return kunit_kmalloc_array(test, 1, size, gfp);
}

static inline void *kunit_kzalloc(struct kunit *test, size_t size, gfp_t gfp)
{
	return kunit_kmalloc(test, size, gfp | __GFP_ZERO);
}

static inline void *kunit_kcalloc(struct kunit *test, size_t n, size_t size,
				  gfp_t gfp)
{
	return kunit_kmalloc_array(test, n, size, gfp | __GFP_ZERO);
}

#define kunit_info(test, fmt, ...)					\
	kslab_ktap_log(test, fmt, ##__VA_ARGS__)

#define kunit_skip(test, fmt, ...)					\
	kslab_ktap_skip(test, fmt, ##__VA_ARGS__)

/* === Expectations and assertions ======================================= */

#define KSLAB_KTAP_FAIL(test, fmt, ...)					\
	kslab_ktap_fail(test, __FILE__, __LINE__, fmt, ##__VA_ARGS__)

/* The message of a _MSG check, if any. */
#define KSLAB_KTAP_MSG(test, ...)					\
	__VA_OPT__(kslab_ktap_log(test, __VA_ARGS__))

/* Integer comparison, both sides printed as KUnit prints them. */
#define KSLAB_KTAP_BINARY(test, abort, left, op, right, ...) do {	\
	typeof(left) __left = (left);					\
	typeof(right) __right = (right);				\
									\
	if (unlikely(!(__left op __right))) {				\
		kslab_ktap_binary(test, __FILE__, __LINE__,		\
				  #left " " #op " " #right,		\
				  (long long)__left, (long long)__right, \
				  #left, #right);			\
		KSLAB_KTAP_MSG(test, ##__VA_ARGS__);			\
		if (abort)						\
			kslab_ktap_abort(test);				\
	}								\
} while (0)

#define KSLAB_KTAP_PTR(test, abort, left, op, right, ...) do {		\
	const void *__left = (left), *__right = (right);		\
									\
	if (unlikely(!(__left op __right))) {				\
		KSLAB_KTAP_FAIL(test,				\
				"Expected %s %s %s, but\n  %s == %p\n  %s == %p", \
				#left, #op, #right, #left, __left,	\
				#right, __right);			\
		KSLAB_KTAP_MSG(test, ##__VA_ARGS__);			\
		if (abort)						\
			kslab_ktap_abort(test);				\
	}								\
} while (0)

#define KSLAB_KTAP_BOOL(test, abort, cond, want, ...) do {		\
	bool __cond = (cond);						\
									\
	if (unlikely(__cond != (want))) {				\
		KSLAB_KTAP_FAIL(test, "Expected %s to be %s",	\
				#cond, (want) ? "true" : "false");	\
		KSLAB_KTAP_MSG(test, ##__VA_ARGS__);			\
		if (abort)						\
			kslab_ktap_abort(test);				\
	}								\
} while (0)

#define KUNIT_FAIL(test, fmt, ...)					\
	KSLAB_KTAP_FAIL(test, fmt, ##__VA_ARGS__)

#define KUNIT_EXPECT_EQ(t, l, r)	KSLAB_KTAP_BINARY(t, false, l, ==, r)
#define KUNIT_EXPECT_NE(t, l, r)	KSLAB_KTAP_BINARY(t, false, l, !=, r)
#define KUNIT_EXPECT_LT(t, l, r)	KSLAB_KTAP_BINARY(t, false, l, <, r)
#define KUNIT_EXPECT_LE(t, l, r)	KSLAB_KTAP_BINARY(t, false, l, <=, r)
#define KUNIT_EXPECT_GT(t, l, r)	KSLAB_KTAP_BINARY(t, false, l, >, r)
#define KUNIT_EXPECT_GE(t, l, r)	KSLAB_KTAP_BINARY(t, false, l, >=, r)
#define KUNIT_EXPECT_EQ_MSG(t, l, r, ...)				\
	KSLAB_KTAP_BINARY(t, false, l, ==, r, __VA_ARGS__)
#define KUNIT_EXPECT_NE_MSG(t, l, r, ...)				\
	KSLAB_KTAP_BINARY(t, false, l, !=, r, __VA_ARGS__)
#define KUNIT_EXPECT_LT_MSG(t, l, r, ...)				\
	KSLAB_KTAP_BINARY(t, false, l, <, r, __VA_ARGS__)
#define KUNIT_EXPECT_LE_MSG(t, l, r, ...)				\
	KSLAB_KTAP_BINARY(t, false, l, <=, r, __VA_ARGS__)
#define KUNIT_EXPECT_GT_MSG(t, l, r, ...)				\
	KSLAB_KTAP_BINARY(t, false, l, >, r, __VA_ARGS__)
#define KUNIT_EXPECT_GE_MSG(t, l, r, ...)				\
	KSLAB_KTAP_BINARY(t, false, l, >=, r, __VA_ARGS__)
#define KUNIT_ASSERT_EQ(t, l, r)	KSLAB_KTAP_BINARY(t, true, l, ==, r)
#define KUNIT_ASSERT_NE(t, l, r)	KSLAB_KTAP_BINARY(t, true, l, !=, r)
#define KUNIT_ASSERT_LT(t, l, r)	KSLAB_KTAP_BINARY(t, true, l, <, r)
#define KUNIT_ASSERT_LE(t, l, r)	KSLAB_KTAP_BINARY(t, true, l, <=, r)
#define KUNIT_ASSERT_GT(t, l, r)	KSLAB_KTAP_BINARY(t, true, l, >, r)
#define KUNIT_ASSERT_GE(t, l, r)	KSLAB_KTAP_BINARY(t, true, l, >=, r)
#define KUNIT_ASSERT_EQ_MSG(t, l, r, ...)				\
	KSLAB_KTAP_BINARY(t, true, l, ==, r, __VA_ARGS__)
#define KUNIT_ASSERT_LT_MSG(t, l, r, ...)				\
	KSLAB_KTAP_BINARY(t, true, l, <, r, __VA_ARGS__)

#define KUNIT_EXPECT_PTR_EQ(t, l, r)	KSLAB_KTAP_PTR(t, false, l, ==, r)
#define KUNIT_EXPECT_PTR_NE(t, l, r)	KSLAB_KTAP_PTR(t, false, l, !=, r)
#define KUNIT_EXPECT_PTR_NE_MSG(t, l, r, ...)				\
	KSLAB_KTAP_PTR(t, false, l, !=, r, __VA_ARGS__)
#define KUNIT_EXPECT_NULL(t, p)		KSLAB_KTAP_PTR(t, false, p, ==, NULL)
#define KUNIT_EXPECT_NOT_NULL(t, p)	KSLAB_KTAP_PTR(t, false, p, !=, NULL)
#define KUNIT_EXPECT_NULL_MSG(t, p, ...)				\
	KSLAB_KTAP_PTR(t, false, p, ==, NULL, __VA_ARGS__)
#define KUNIT_EXPECT_NOT_NULL_MSG(t, p, ...)				\
	KSLAB_KTAP_PTR(t, false, p, !=, NULL, __VA_ARGS__)
#define KUNIT_ASSERT_NOT_NULL(t, p)	KSLAB_KTAP_PTR(t, true, p, !=, NULL)

#define KUNIT_EXPECT_TRUE(t, c)		KSLAB_KTAP_BOOL(t, false, c, true)
#define KUNIT_EXPECT_FALSE(t, c)	KSLAB_KTAP_BOOL(t, false, c, false)
#define KUNIT_EXPECT_TRUE_MSG(t, c, ...)				\
	KSLAB_KTAP_BOOL(t, false, c, true, __VA_ARGS__)
#define KUNIT_EXPECT_FALSE_MSG(t, c, ...)				\
	KSLAB_KTAP_BOOL(t, false, c, false, __VA_ARGS__)
#define KUNIT_ASSERT_TRUE(t, c)		KSLAB_KTAP_BOOL(t, true, c, true)
#define KUNIT_ASSERT_FALSE(t, c)	KSLAB_KTAP_BOOL(t, true, c, false)
#define KUNIT_ASSERT_FALSE_MSG(t, c, ...)				\
	KSLAB_KTAP_BOOL(t, true, c, false, __VA_ARGS__)

#define KUNIT_EXPECT_STREQ(t, l, r) do {				\
	const char *__l = (l), *__r = (r);				\
									\
	if (unlikely(strcmp(__l, __r)))					\
		KSLAB_KTAP_FAIL(t,				\
				"Expected %s == %s, but\n  %s == \"%s\"\n  %s == \"%s\"", \
				#l, #r, #l, __l, #r, __r);		\
} while (0)

#endif /* KSLAB_KUNIT_KTAP_H */
