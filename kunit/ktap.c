// SPDX-License-Identifier: GPL-2.0
/*
 * The KTAP runner of kslab_kunit.ko on kernels without CONFIG_KUNIT: runs
 * the suites of kunit/ktap_suites.h at module load, each case in its own
 * kthread, and prints KTAP as KUnit does (lib/kunit/test.c, v6.12), to
 * the console, to /sys/kernel/debug/kslab_kunit/results (the whole run)
 * and, where KUnit's debugfs would put it (lib/kunit/debugfs.c), to
 * /sys/kernel/debug/kunit/<suite>/results (one suite, as a run of one).
 */
#define pr_fmt(fmt) fmt

#include <linux/debugfs.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "kslab_kunit.h"

static char *filter_glob;
module_param(filter_glob, charp, 0444);
MODULE_PARM_DESC(filter_glob,
		 "Run only the suites, or suite.case, this glob matches (as kunit.filter_glob: * and ?)");
module_param_named(filter, filter_glob, charp, 0444);
MODULE_PARM_DESC(filter, "The same as filter_glob");

static unsigned int timeout_s = 300;
module_param(timeout_s, uint, 0444);
MODULE_PARM_DESC(timeout_s,
		 "Seconds a case may run before it is reported as timed out (KUnit's default: 300)");

/* === The log =========================================================== */

#define LOG_SIZE	SZ_1M

static DEFINE_SPINLOCK(log_lock);
static char *log_buf;
static size_t log_len;
static bool log_full;

/* One KTAP line to the console and to the results file. */
static __printf(1, 2) void out(const char *fmt, ...)
{
	unsigned long flags;
	char line[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vscnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	pr_info("%s\n", line);
	spin_lock_irqsave(&log_lock, flags);
	if (log_buf && log_len + n + 1 < LOG_SIZE) {
		memcpy(log_buf + log_len, line, n);
		log_len += n;
		log_buf[log_len++] = '\n';
	} else {
		log_full = true;
	}
	spin_unlock_irqrestore(&log_lock, flags);
}

/* Diagnostic lines of @test, one per line of @msg, at its indent. */
static void diag(struct kunit *test, const char *msg)
{
	while (*msg) {
		const char *end = strchrnul(msg, '\n');

		out("%s    %.*s", test->indent, (int)(end - msg), msg);
		msg = *end ? end + 1 : end;
	}
}

void kslab_ktap_log(struct kunit *test, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vscnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag(test, msg);
}

/* === Expectations ====================================================== */

static void failed_at(struct kunit *test, const char *file, int line)
{
	test->status = KUNIT_FAILURE;
	out("%s    # %s: EXPECTATION FAILED at %s:%d", test->indent,
	    test->name, file, line);
}

void kslab_ktap_fail(struct kunit *test, const char *file, int line,
		     const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	failed_at(test, file, line);
	va_start(ap, fmt);
	vscnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag(test, msg);
}

void kslab_ktap_binary(struct kunit *test, const char *file, int line,
		       const char *text, long long l, long long r,
		       const char *ltext, const char *rtext)
{
	failed_at(test, file, line);
	out("%s    Expected %s, but", test->indent, text);
	out("%s        %s == %lld (%#llx)", test->indent, ltext, l, l);
	out("%s        %s == %lld (%#llx)", test->indent, rtext, r, r);
}

/*
 * End the case: its kthread exits, as KUnit's kunit_try_catch_throw().
 * Anywhere else (an IRQ-context helper) the case goes on, marked.
 */
void kslab_ktap_abort(struct kunit *test)
{
	if (current != test->task)
		return;
	kthread_complete_and_exit(&test->done, 0);
}

void kslab_ktap_skip(struct kunit *test, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vscnprintf(test->status_comment, sizeof(test->status_comment), fmt, ap);
	va_end(ap);
	test->status = KUNIT_SKIPPED;
	kslab_ktap_abort(test);
}

/* === Resources ========================================================= */

int __kunit_add_resource(struct kunit *test, kunit_resource_init_t init,
			 kunit_resource_free_t free,
			 struct kunit_resource *res, void *data)
{
	unsigned long flags;
	int ret;

	if (init) {
		ret = init(res, data);
		if (ret)
			return ret;
	} else {
		res->data = data;
	}
	res->free = free;
	spin_lock_irqsave(&test->lock, flags);
	list_add_tail(&res->node, &test->resources);
	spin_unlock_irqrestore(&test->lock, flags);
	return 0;
}

int kunit_add_named_resource(struct kunit *test, kunit_resource_init_t init,
			     kunit_resource_free_t free,
			     struct kunit_resource *res, const char *name,
			     void *data)
{
	struct kunit_resource *r;

	list_for_each_entry(r, &test->resources, node)
		if (r->name && !strcmp(r->name, name))
			return -EEXIST;
	res->name = name;
	return __kunit_add_resource(test, init, free, res, data);
}

static void kfree_res(struct kunit_resource *res)
{
	kfree(res->data);
}

void *kunit_kmalloc_array(struct kunit *test, size_t n, size_t size,
			  gfp_t gfp)
{
	void *p = kmalloc_array(n, size, gfp);

	if (p && !kunit_alloc_resource(test, NULL, kfree_res, gfp, p)) {
		kfree(p);
		return NULL;
	}
	return p;
}

/* lib/kunit/resource.c: newest first. */
static void release_resources(struct kunit *test)
{
	while (!list_empty(&test->resources)) {
		struct kunit_resource *res;

		res = list_last_entry(&test->resources, struct kunit_resource,
				      node);
		list_del(&res->node);
		if (res->free)
			res->free(res);
		if (res->should_kfree)
			kfree(res);
	}
}

/* === Running =========================================================== */

static int case_thread(void *data)
{
	struct kunit *test = data;

	if (test->suite->init && test->suite->init(test))
		KUNIT_FAIL(test, "suite init failed");
	else
		test->test_case->run_case(test);
	kthread_complete_and_exit(&test->done, 0);
}

static int case_exit_thread(void *data)
{
	struct kunit *test = data;

	test->suite->exit(test);
	kthread_complete_and_exit(&test->done, 0);
}

/* Run @fn(@test) in a kthread; false if it did not end in time. */
static bool run_thread(struct kunit *test, int (*fn)(void *))
{
	struct task_struct *task;

	init_completion(&test->done);
	task = kthread_create(fn, test, "kslab_ktap");
	if (IS_ERR(task)) {
		KUNIT_FAIL(test, "kthread_create: %ld", PTR_ERR(task));
		return true;
	}
	test->task = task;
	wake_up_process(task);
	return wait_for_completion_timeout(&test->done, timeout_s * HZ);
}

/*
 * One case, or one parameter of it, with its result line at @indent. A
 * case that does not end in time keeps its struct kunit and resources,
 * which its kthread may still use.
 */
static enum kunit_status run_one(const struct kunit_suite *suite,
				 const struct kunit_case *c,
				 const void *param, unsigned int nr,
				 const char *desc, const char *indent)
{
	static const char *const verdict[] = { "ok", "not ok", "ok" };
	struct kunit *test = kzalloc(sizeof(*test), GFP_KERNEL);
	enum kunit_status st;
	bool done;

	if (!test) {
		out("%snot ok %u %s # out of memory", indent, nr, desc);
		return KUNIT_FAILURE;
	}
	test->name = c->name;
	test->suite = suite;
	test->test_case = c;
	test->indent = indent;
	test->param_value = param;
	INIT_LIST_HEAD(&test->resources);
	spin_lock_init(&test->lock);

	done = run_thread(test, case_thread);
	if (done && suite->exit)
		done = run_thread(test, case_exit_thread);
	if (!done) {
		test->status = KUNIT_FAILURE;
		out("%s    # %s: timed out after %u s", indent, c->name,
		    timeout_s);
	}
	out("%s%s %u %s%s%s", indent, verdict[test->status], nr, desc,
	    test->status == KUNIT_SKIPPED ? " # SKIP " : "",
	    test->status == KUNIT_SKIPPED ? test->status_comment : "");
	st = test->status;
	if (done) {
		release_resources(test);
		kfree(test);
	}
	return st;
}

struct counts {
	unsigned int n[3];	/* By enum kunit_status */
};

/*
 * @name against the first @len characters of the glob @pat: '*' matches
 * any run, '?' one character (lib/glob.c:glob_match(), without classes;
 * CONFIG_GLOB is not on every kernel).
 */
static bool match(const char *pat, size_t len, const char *name)
{
	if (!len)
		return !*name;
	if (*pat == '*')
		return match(pat + 1, len - 1, name) ||
		       (*name && match(pat, len, name + 1));
	if (!*name || (*pat != '?' && *pat != *name))
		return false;
	return match(pat + 1, len - 1, name + 1);
}

/*
 * filter_glob= "suite" or "suite.case", a glob each, split at the first
 * '.' (lib/kunit/executor.c:kunit_parse_glob_filter()).
 */
static bool wanted(const struct kunit_suite *suite, const char *name)
{
	const char *f = filter_glob, *dot;

	if (!f || !*f)
		return true;
	dot = strchr(f, '.');
	if (!match(f, dot ? dot - f : strlen(f), suite->name))
		return false;
	return !dot || !name || match(dot + 1, strlen(dot + 1), name);
}

/* lib/kunit/test.c:kunit_run_tests(): a case, or a subtest of params. */
static enum kunit_status run_case(const struct kunit_suite *suite,
				  const struct kunit_case *c, unsigned int nr)
{
	char desc[KUNIT_PARAM_DESC_SIZE];
	struct counts k = {};
	enum kunit_status st;
	const void *param;
	unsigned int i = 0;

	if (!c->generate_params)
		return run_one(suite, c, NULL, nr, c->name, "    ");

	out("        KTAP version 1");
	out("        # Subtest: %s", c->name);
	desc[0] = '\0';
	for (param = c->generate_params(NULL, desc); param;
	     param = c->generate_params(param, desc)) {
		char name[KUNIT_PARAM_DESC_SIZE];

		if (!desc[0])
			snprintf(desc, sizeof(desc), "param-%u", i);
		strscpy(name, desc, sizeof(name));
		k.n[run_one(suite, c, param, ++i, name, "        ")]++;
		desc[0] = '\0';
	}
	out("    # %s: pass:%u fail:%u skip:%u total:%u", c->name,
	    k.n[KUNIT_SUCCESS], k.n[KUNIT_FAILURE], k.n[KUNIT_SKIPPED], i);
	st = k.n[KUNIT_FAILURE] ? KUNIT_FAILURE :
	     k.n[KUNIT_SUCCESS] ? KUNIT_SUCCESS : KUNIT_SKIPPED;
	out("    %s %u %s%s", st == KUNIT_FAILURE ? "not ok" : "ok", nr, c->name,
	    st == KUNIT_SKIPPED ? " # SKIP" : "");
	return st;
}

/* Where one suite's lines are in the log, for its kunit/<suite>/results. */
struct ran {
	const struct kunit_suite *suite;
	size_t start, end;		/* The suite's lines, its result line out */
	bool ok;
};

static size_t log_at(void)
{
	unsigned long flags;
	size_t at;

	spin_lock_irqsave(&log_lock, flags);
	at = log_full ? LOG_SIZE : log_len;
	spin_unlock_irqrestore(&log_lock, flags);
	return at;
}

static bool run_suite(const struct kunit_suite *suite, unsigned int nr,
		      struct ran *r)
{
	const struct kunit_case *c;
	struct counts k = {};
	unsigned int n = 0, i = 0;

	r->suite = suite;
	r->start = log_at();
	for (c = suite->test_cases; c->run_case; c++)
		n += wanted(suite, c->name);
	out("    KTAP version 1");
	out("    # Subtest: %s", suite->name);
	out("    # module: %s", KBUILD_MODNAME);
	out("    1..%u", n);
	/* As kunit_run_tests(): suite_init in the runner's own context. */
	if (n && suite->suite_init &&
	    suite->suite_init((struct kunit_suite *)suite)) {
		out("    # %s: suite_init failed", suite->name);
		k.n[KUNIT_FAILURE]++;
		n = 0;
	}
	for (c = suite->test_cases; n && c->run_case; c++)
		if (wanted(suite, c->name))
			k.n[run_case(suite, c, ++i)]++;
	if (n && suite->suite_exit)
		suite->suite_exit((struct kunit_suite *)suite);
	out("# %s: pass:%u fail:%u skip:%u total:%u", suite->name,
	    k.n[KUNIT_SUCCESS], k.n[KUNIT_FAILURE], k.n[KUNIT_SKIPPED], i);
	r->end = log_at();
	r->ok = !k.n[KUNIT_FAILURE];
	out("%s %u %s", r->ok ? "ok" : "not ok", nr, suite->name);
	return r->ok;
}

/* === The suites ======================================================== */

#define KSLAB_SUITE(s) extern struct kunit_suite *const kslab_ktap_##s;
#include "ktap_suites.h"
#undef KSLAB_SUITE

static struct kunit_suite *const *const suites[] = {
#define KSLAB_SUITE(s) &kslab_ktap_##s,
#include "ktap_suites.h"
#undef KSLAB_SUITE
};

static struct dentry *dir, *kunit_dir;
static struct ran ran[ARRAY_SIZE(suites)];

static int results_show(struct seq_file *m, void *v)
{
	unsigned long flags;

	spin_lock_irqsave(&log_lock, flags);
	seq_write(m, log_buf, log_len);
	spin_unlock_irqrestore(&log_lock, flags);
	if (log_full)
		seq_puts(m, "# kslab_kunit: results truncated at 1 MiB\n");
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(results);

/*
 * lib/kunit/debugfs.c:debugfs_print_results(): the suite as a KTAP run of
 * one, numbered 1. A suite cut off by the full log says so.
 */
static int suite_results_show(struct seq_file *m, void *v)
{
	const struct ran *r = m->private;
	unsigned long flags;

	seq_puts(m, "KTAP version 1\n1..1\n");
	spin_lock_irqsave(&log_lock, flags);
	if (r->end <= log_len)
		seq_write(m, log_buf + r->start, r->end - r->start);
	spin_unlock_irqrestore(&log_lock, flags);
	if (r->end > log_len) {
		seq_puts(m, "# kslab_kunit: results truncated at 1 MiB\n");
		seq_printf(m, "not ok 1 %s\n", r->suite->name);
	} else {
		seq_printf(m, "%s 1 %s\n", r->ok ? "ok" : "not ok",
			   r->suite->name);
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(suite_results);

static int __init ktap_init(void)
{
	unsigned int i, n = 0, nr = 0;

	log_buf = vmalloc(LOG_SIZE);
	for (i = 0; i < ARRAY_SIZE(suites); i++)
		n += wanted(*suites[i], NULL);
	out("KTAP version 1");
	out("1..%u", n);
	for (i = 0; i < ARRAY_SIZE(suites); i++)
		if (wanted(*suites[i], NULL)) {
			run_suite(*suites[i], nr + 1, &ran[nr]);
			nr++;
		}
	dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("results", 0444, dir, NULL, &results_fops);
	/* No CONFIG_KUNIT: nothing else makes kunit/ in debugfs. */
	kunit_dir = debugfs_create_dir("kunit", NULL);
	for (i = 0; i < nr; i++)
		debugfs_create_file("results", 0444,
				    debugfs_create_dir(ran[i].suite->name,
						       kunit_dir),
				    &ran[i], &suite_results_fops);
	return 0;
}

static void __exit ktap_exit(void)
{
	debugfs_remove(kunit_dir);
	debugfs_remove(dir);
	vfree(log_buf);
}

module_init(ktap_init);
module_exit(ktap_exit);
