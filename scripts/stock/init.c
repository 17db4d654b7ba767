// SPDX-License-Identifier: GPL-2.0
/*
 * init.c - PID 1 of the stock Debian kernel boots (scripts/stock.sh):
 * load kslab.ko with no parameters, dump its debugfs and the real caches'
 * sysfs, run kslab_kunit.ko if it is in the initramfs and dump its KTAP,
 * unload both, check kslab's counters, its unload line and the free pages
 * for leaks, dump the kernel log from the first insmod on, and power off.
 * Every finding is printed as a "KSLAB-FAIL" line for the host to act on.
 */
#define _GNU_SOURCE	/* memmem() */
#include <sys/klog.h>
#include <sys/stat.h>
#include <termios.h>

#include "../init_common.h"

#define KUNIT_RESULTS	"/sys/kernel/debug/kslab_kunit/results"
#define KUNIT_DIR	"/sys/kernel/debug/kunit"

/* Each suite's KUnit-style results file, as kunit-<suite>-results. */
static void cat_suite_results(void)
{
	char path[300], label[300];
	struct dirent *e;
	DIR *d = opendir(KUNIT_DIR);

	if (!d) {
		fail(KUNIT_DIR, errno);
		return;
	}
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), KUNIT_DIR "/%s/results", e->d_name);
		snprintf(label, sizeof(label), "kunit-%s-results", e->d_name);
		cat(path, label);
	}
	closedir(d);
}

/* syslog(2) actions */
#define LOG_READ_ALL	3
#define LOG_CLEAR	5
#define LOG_CONSOLE_LEVEL	8
#define LOG_SIZE_BUFFER	10

/* Every readable file of kslab's debugfs and the per-cache stats. */
static void dump_debugfs(void)
{
	char path[512];
	struct dirent *d;
	struct stat st;
	DIR *dir;

	dir = opendir(DBG);
	if (!dir)
		fail(DBG, errno);
	while (dir && (d = readdir(dir))) {
		snprintf(path, sizeof(path), DBG "%s", d->d_name);
		/* "reset" is write-only; "caches" is a directory */
		if (d->d_name[0] == '.' || stat(path, &st) ||
		    !S_ISREG(st.st_mode) || !(st.st_mode & 0444))
			continue;
		cat(path, d->d_name);
	}
	if (dir)
		closedir(dir);
	dump_cache_stats();
}

/*
 * The kernel log since it was cleared at the first insmod, read through
 * syslog(2) rather than taken from the console: a PREEMPT_RT console may
 * still be printing when init powers off.
 */
static void dump_kernel_log(void)
{
	int size = klogctl(LOG_SIZE_BUFFER, NULL, 0);
	char *buf;
	int n;

	buf = size > 0 ? malloc(size) : NULL;
	if (!buf) {
		fail("kernel log", ENOMEM);
		return;
	}
	n = klogctl(LOG_READ_ALL, buf, size);
	if (n < 0) {
		fail("kernel log", errno);
		free(buf);
		return;
	}
	printf("KSLAB-FILE dmesg\n");
	fwrite(buf, 1, n, stdout);
	if (n && buf[n - 1] != '\n')
		printf("\n");
	printf("KSLAB-EOF dmesg\n");
	if (!memmem(buf, n, "kslab: unload: every page returned", 34))
		fail("no \"kslab: unload: every page returned\" in the kernel log", 0);
	/*
	 * kslab's unload leak line; the suites' lookaside caches destroyed
	 * with live objects on purpose print other "kslab: leak:" lines.
	 */
	if (memmem(buf, n, "pages still held at unload", 26))
		fail("\"kslab: leak: <n> pages still held at unload\" in the kernel log", 0);
	free(buf);
}

int main(void)
{
	long pages[3], live;
	int kunit = 0, round;

	init_mounts();
	cat("/proc/cmdline", "cmdline");

	pages[0] = settled_pages();
	/* Where the pages went, when the count drifts: the snapshots. */
	cat("/proc/meminfo", "meminfo-0");
	/*
	 * From here on the kernel log is read through syslog(2); only
	 * warnings and worse go on the console, between the dumps.
	 */
	if (klogctl(LOG_CLEAR, NULL, 0) || klogctl(LOG_CONSOLE_LEVEL, NULL, 5))
		fail("clearing the kernel log", errno);
	/*
	 * Two load/unload cycles, as on the board: the first also grows the
	 * real caches that the parity suites use (and on v7.0+ their
	 * sheaves), so the second, warm, is the one that shows a leak.
	 */
	for (round = 1; round <= 2; round++) {
		char name[32];

		printf("KSLAB-MARK round %d insmod\n", round);
		if (insmod("/kslab.ko"))
			goto out;
		if (round == 1) {
			dump_debugfs();
			sysfs_geometry();
			kunit = !access("/kslab_kunit.ko", R_OK);
			if (!kunit)
				printf("KSLAB-MARK no kslab_kunit.ko\n");
		}
		if (kunit) {
			printf("KSLAB-MARK round %d kslab_kunit insmod\n", round);
			kunit = !insmod("/kslab_kunit.ko");
			if (kunit && round == 1) {
				cat(KUNIT_RESULTS, "kslab_kunit-results");
				cat_suite_results();
			}
		}
		printf("KSLAB-MARK round %d tests done\n", round);

		live = kslab_live_objects();
		printf("KSLAB-LEAK round %d kslab_live_objects %ld\n", round, live);
		if (live != 0)
			fail("kslab objects left after the suites", 0);
		if (kunit)
			rmmod("kslab_kunit");
		rmmod("kslab");
		pages[round] = settled_pages();
		snprintf(name, sizeof(name), "meminfo-%d", round);
		cat("/proc/meminfo", name);
		printf("KSLAB-LEAK round %d free+pcp+slab pages before %ld after %ld delta %ld\n",
		       round, pages[round - 1], pages[round],
		       pages[round] - pages[round - 1]);
	}
	dump_kernel_log();
out:
	printf("KSLAB-MARK end fails=%d\n", fails);
	fflush(stdout);
	tcdrain(STDOUT_FILENO);
	sync();
	reboot(RB_POWER_OFF);
	return 0;
}
