// SPDX-License-Identifier: GPL-2.0
/*
 * The real caches as the kernel shows them: /sys/kernel/slab/<cache>/
 * through a private sysfs mount, and ksize()/kmalloc_size_roundup() and
 * the folio of a real object, beside kslab's geometry (debugfs "compare").
 * Ground truth for checking only: kslab's geometry never comes from here.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/export.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/kfence.h>
#include <linux/mm.h>
#include <linux/mount.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "../api/api.h"
#include "../core/core.h"
#include "observe.h"

/*
 * Private mount: kslab must not depend on where (or whether) the user
 * mounted sysfs, and built-in KUnit suites run before init mounts it.
 */
static struct vfsmount *sysfs_mnt;

int kslab_sysfs_init(void)
{
	/* sysfs is built in: get_fs_type() took no module reference. */
	struct file_system_type *type = get_fs_type("sysfs");

	sysfs_mnt = type ? vfs_kern_mount(type, 0, "sysfs", NULL) : NULL;
	if (IS_ERR(sysfs_mnt))
		sysfs_mnt = NULL;
	return 0;
}

void kslab_sysfs_exit(void)
{
	if (sysfs_mnt)
		mntput(sysfs_mnt);
	sysfs_mnt = NULL;
}

/*
 * Read /sys/kernel/slab/<@cache>/<@attr> as an unsigned int: its first
 * field, the total, where a NUMA kernel adds " N0=..." per node
 * (mm/slub.c:show_slab_objects()).
 */
int kslab_sysfs_slab_attr(const char *cache, const char *attr,
			  unsigned int *val)
{
	char path[80], buf[64], *s;
	struct file *f;
	loff_t pos = 0;
	ssize_t n;

	if (!sysfs_mnt)
		return -ENODEV;
	snprintf(path, sizeof(path), "kernel/slab/%s/%s", cache, attr);
	f = file_open_root_mnt(sysfs_mnt, path, O_RDONLY, 0);
	if (IS_ERR(f))
		return PTR_ERR(f);
	n = kernel_read(f, buf, sizeof(buf) - 1, &pos);
	filp_close(f, NULL);
	if (n <= 0)
		return -EIO;
	buf[n] = '\0';
	s = strim(buf);
	s[strcspn(s, " ")] = '\0';
	return kstrtouint(s, 10, val);
}
EXPORT_SYMBOL_NS_GPL(kslab_sysfs_slab_attr, KSLAB_INTERNAL_NS);

/*
 * One "what=kslab/kernel" pair; false on a mismatch. @ret is how the
 * kernel's value was read: -ENODEV (no sysfs to read) or -ENOMEM (no
 * object to measure) say nothing and print n.a.; any other error (the
 * cache or attribute the kernel should have is not there) is a mismatch.
 */
static bool show_pair(struct seq_file *m, const char *what, unsigned int mine,
		      int ret, unsigned int real)
{
	if (ret == -ENODEV || ret == -ENOMEM) {
		seq_printf(m, " %s=%u/n.a.", what, mine);
		return true;
	}
	if (ret) {
		seq_printf(m, " %s=%u/missing", what, mine);
		return false;
	}
	seq_printf(m, " %s=%u/%u", what, mine, real);
	return mine == real;
}

/* One line per kslab cache: "field=kslab/kernel" pairs and a verdict. */
void kslab_compare_show(struct seq_file *m)
{
	/* sheaf_capacity: v7.0+ (mm/slub.c:sheaf_capacity_show()). */
	static const char *const attrs[] = { "object_size", "slab_size",
		"align", "order", "objs_per_slab", "sheaf_capacity" };
	const unsigned int nr = ARRAY_SIZE(attrs) - !KSLAB_SHEAVES;
	unsigned int t, i, a;

	seq_puts(m, "# name kernel_cache roundup ksize folio_order object_size slab_size align order objs_per_slab");
	seq_puts(m, KSLAB_SHEAVES ? " sheaf_capacity verdict\n" : " verdict\n");
	for (t = 0; t < KSLAB_NR_TYPES; t++) {
		for (i = 0; i < KSLAB_NR_INDEX; i++) {
			struct kslab_cache *s = kslab_caches[t][i];
			unsigned int mine[ARRAY_SIZE(attrs)], real;
			unsigned int size;
			char name[32];
			bool ok = true;
			void *p;

			if (!s || kslab_cache_is_alias(t, i))
				continue;
			size = s->geom.object_size;
			mine[0] = size;
			mine[1] = s->geom.size;
			mine[2] = s->geom.align;
			mine[3] = s->geom.order;
			mine[4] = s->geom.objects;
			mine[5] = s->sheaf_capacity;
			kslab_cache_kernel_name(s, name, sizeof(name));
			seq_printf(m, "%s %s", s->name, name);
			ok &= show_pair(m, "roundup", size, 0,
					kmalloc_size_roundup(size));
			p = kmalloc(size, kslab_type_gfp(s->type));
			if (p && !is_kfence_address(p)) {
				ok &= show_pair(m, "ksize", kslab_slab_ksize(s), 0, ksize(p));
				ok &= show_pair(m, "folio_order", s->geom.order, 0,
						folio_order(virt_to_folio(p)));
			} else {
				show_pair(m, "ksize", kslab_slab_ksize(s), -ENOMEM, 0);
				show_pair(m, "folio_order", s->geom.order, -ENOMEM, 0);
			}
			kfree(p);
			for (a = 0; a < nr; a++) {
				int ret = kslab_sysfs_slab_attr(name, attrs[a], &real);

				ok &= show_pair(m, attrs[a], mine[a], ret, real);
			}
			seq_printf(m, " %s\n", ok ? "ok" : "MISMATCH");
		}
	}
}
