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
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <termios.h>
#include <unistd.h>

#define DBG		"/sys/kernel/debug/kslab/"
#define KUNIT_RESULTS	"/sys/kernel/debug/kslab_kunit/results"
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* syslog(2) actions */
#define LOG_READ_ALL	3
#define LOG_CLEAR	5
#define LOG_CONSOLE_LEVEL	8
#define LOG_SIZE_BUFFER	10

static int fails;

static void fail(const char *what, int err)
{
	printf("KSLAB-FAIL %s: %s\n", what, err ? strerror(err) : "check failed");
	fails++;
}

/* Print a file between KSLAB-FILE/KSLAB-EOF lines. */
static void cat(const char *path, const char *label)
{
	char buf[4096];
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0) {
		fail(path, errno);
		return;
	}
	printf("KSLAB-FILE %s\n", label);
	fflush(stdout);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, n, stdout);
	if (n < 0)
		fail(path, errno);
	close(fd);
	printf("KSLAB-EOF %s\n", label);
	fflush(stdout);
}

static int insmod(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int err = 0;

	if (fd < 0 || syscall(SYS_finit_module, fd, "", 0)) {
		err = errno;
		fail(path, err);
	}
	if (fd >= 0)
		close(fd);
	return err;
}

static void rmmod(const char *name)
{
	if (syscall(SYS_delete_module, name, O_NONBLOCK))
		fail(name, errno);
}

/* The value of @key in a "key value" file such as /proc/vmstat. */
static long keyed(const char *path, const char *key)
{
	char line[256], k[128];
	long v, ret = -1;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%127s %ld", k, &v) == 2 && !strcmp(k, key))
			ret = v;
	fclose(f);
	return ret;
}

/* The first number in a file such as /sys/kernel/slab/<cache>/order. */
static long first_number(const char *path)
{
	long v = -1;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	if (fscanf(f, "%ld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

/* Pages on the per-CPU free lists: the "count:" lines of /proc/zoneinfo. */
static long pcp_pages(void)
{
	char line[256];
	long v, sum = 0;
	FILE *f = fopen("/proc/zoneinfo", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, " count: %ld", &v) == 1)
			sum += v;
	fclose(f);
	return sum;
}

/*
 * Pages that are free (buddy or per-CPU lists) or in the real slab caches
 * (which keep pages from the tests' real kmallocs): a page kslab leaked
 * is in none of them.
 */
static long free_and_slab_pages(void)
{
	return keyed("/proc/vmstat", "nr_free_pages") + pcp_pages() +
	       keyed("/proc/vmstat", "nr_slab_unreclaimable") +
	       keyed("/proc/vmstat", "nr_slab_reclaimable");
}

/* kslab's live objects: slabinfo's active_objs plus large objects. */
static long kslab_live_objects(void)
{
	char line[512], name[64];
	long active, sum = 0;
	FILE *f = fopen(DBG "slabinfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (line[0] != '#' && strncmp(line, "slabinfo", 8) &&
		    sscanf(line, "%63s %ld", name, &active) == 2)
			sum += active;
	fclose(f);
	return sum + keyed(DBG "large", "active_objects");
}

/* The real caches' sysfs in the columns of debugfs "geometry". */
static void sysfs_geometry(void)
{
	static const char *const attrs[] = { "object_size", "slab_size",
		"align", "order", "objs_per_slab" };
	char line[256], name[64], path[160];
	FILE *f = fopen(DBG "geometry", "r");
	unsigned int i;

	if (!f) {
		fail("geometry", errno);
		return;
	}
	printf("KSLAB-FILE sysfs-geometry\n");
	while (fgets(line, sizeof(line), f)) {
		char *k;

		if (line[0] == '#' || !strncmp(line, "kslab geometry", 14) ||
		    sscanf(line, "%63s", name) != 1)
			continue;
		k = strstr(name, "kslab");
		if (!k)
			continue;
		printf("%s", name);
		for (i = 0; i < ARRAY_SIZE(attrs); i++) {
			snprintf(path, sizeof(path), "/sys/kernel/slab/%.*skmalloc%s/%s",
				 (int)(k - name), name, k + 5, attrs[i]);
			printf(" %ld", first_number(path));
		}
		printf("\n");
	}
	fclose(f);
	printf("KSLAB-EOF sysfs-geometry\n");
}

/* Every readable file of kslab's debugfs and the per-cache stats. */
static void dump_debugfs(void)
{
	char path[512], label[300];
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
	dir = opendir(DBG "caches");
	while (dir && (d = readdir(dir))) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), DBG "caches/%s/stats", d->d_name);
		snprintf(label, sizeof(label), "caches/%s/stats", d->d_name);
		cat(path, label);
	}
	if (dir)
		closedir(dir);
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
	long pages[2], live;
	int fd, kunit;

	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	fd = open("/dev/console", O_RDWR);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);
	cat("/proc/cmdline", "cmdline");

	pages[0] = free_and_slab_pages();
	/*
	 * From here on the kernel log is read through syslog(2); only
	 * warnings and worse go on the console, between the dumps.
	 */
	if (klogctl(LOG_CLEAR, NULL, 0) || klogctl(LOG_CONSOLE_LEVEL, NULL, 5))
		fail("clearing the kernel log", errno);
	printf("KSLAB-MARK round 1 insmod\n");
	if (insmod("/kslab.ko"))
		goto out;
	dump_debugfs();
	sysfs_geometry();

	kunit = !access("/kslab_kunit.ko", R_OK);
	if (kunit) {
		printf("KSLAB-MARK kslab_kunit insmod\n");
		kunit = !insmod("/kslab_kunit.ko");
		if (kunit)
			cat(KUNIT_RESULTS, "kslab_kunit-results");
	} else {
		printf("KSLAB-MARK no kslab_kunit.ko\n");
	}
	printf("KSLAB-MARK round 1 tests done\n");

	live = kslab_live_objects();
	printf("KSLAB-LEAK round 1 kslab_live_objects %ld\n", live);
	if (live != 0)
		fail("kslab objects left after the suites", 0);
	if (kunit)
		rmmod("kslab_kunit");
	rmmod("kslab");
	pages[1] = free_and_slab_pages();
	printf("KSLAB-LEAK round 1 free+pcp+slab pages before %ld after %ld delta %ld\n",
	       pages[0], pages[1], pages[1] - pages[0]);
	dump_kernel_log();
out:
	printf("KSLAB-MARK end fails=%d\n", fails);
	fflush(stdout);
	tcdrain(STDOUT_FILENO);
	sync();
	reboot(RB_POWER_OFF);
	return 0;
}
