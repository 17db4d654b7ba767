/* SPDX-License-Identifier: GPL-2.0 */
/*
 * init_common.h - what the two PID-1 programs share (scripts/board/init.c,
 * scripts/stock/init.c): findings as "KSLAB-FAIL" lines, files dumped
 * between KSLAB-FILE/KSLAB-EOF lines, module load and unload, the page
 * and object counts of the leak checks, and the real caches' sysfs in the
 * columns of kslab's debugfs "geometry". Static functions: each init is
 * one translation unit, linked static for its own architecture.
 */
#ifndef KSLAB_INIT_COMMON_H
#define KSLAB_INIT_COMMON_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <unistd.h>

#define DBG		"/sys/kernel/debug/kslab/"
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* === Findings and dumps ================================================ */

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

/* Load the module at @path: 0, or the errno (also reported). */
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

/* Every kslab cache's debugfs stats file. */
static void dump_cache_stats(void)
{
	char path[512], label[300];
	struct dirent *d;
	DIR *dir;

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

/* === Counts for the leak checks ======================================= */

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
 * Pages that are free (buddy or per-CPU lists), in the real slab caches
 * (which keep pages from the tests' real kmallocs) or behind vmalloc
 * (meminfo VmallocUsed): the module loader keeps an unloaded module's
 * text in its execmem cache (x86, v6.14 on; seen on Debian's 7.3: 2156 kB
 * more over the second cycle, with the direct map split to 4K pages).
 * kslab takes no page through vmalloc, so a page it leaked is in none.
 */
static long free_and_slab_pages(void)
{
	long vmalloc_kb = keyed("/proc/meminfo", "VmallocUsed:");

	return keyed("/proc/vmstat", "nr_free_pages") + pcp_pages() +
	       keyed("/proc/vmstat", "nr_slab_unreclaimable") +
	       keyed("/proc/vmstat", "nr_slab_reclaimable") +
	       (vmalloc_kb > 0 ? vmalloc_kb / (getpagesize() / 1024) : 0);
}

/*
 * free_and_slab_pages() once the kernel has settled: the most of ten
 * reads, 200 ms apart. Pages in flight after an unload (RCU-freed slabs,
 * 7.x's rcu_free sheaves, the per-CPU lists) swing one read by 500 pages
 * either way (seen on Debian's 7.3 with slub_min_order=1: +489, then
 * -531); a page kslab leaked is missing from every read.
 */
static long settled_pages(void)
{
	long v, best = 0;
	int i;

	for (i = 0; i < 10; i++) {
		v = free_and_slab_pages();
		if (v > best)
			best = v;
		usleep(200000);
	}
	return best;
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

/* === Geometry ========================================================= */

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

/* === Start-up ========================================================== */

/* The console on 0, 1 and 2, line-buffered, and /proc, /sys, debugfs. */
static void init_mounts(void)
{
	int fd;

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
}

#endif /* KSLAB_INIT_COMMON_H */
