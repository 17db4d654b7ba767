/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The observation layer: debugfs and the comparison with
 * /sys/kernel/slab. It reads every layer below; nothing below calls it.
 */
#ifndef KSLAB_OBSERVE_OBSERVE_H
#define KSLAB_OBSERVE_OBSERVE_H

#include "../types.h"

/* compare.c */
int kslab_sysfs_init(void);
void kslab_sysfs_exit(void);
int kslab_sysfs_slab_attr(const char *cache, const char *attr,
			  unsigned int *val);
void kslab_compare_show(struct seq_file *m);

/* debugfs.c */
#ifdef CONFIG_DEBUG_FS
void kslab_debugfs_init(void);
void kslab_debugfs_exit(void);
void kslab_debugfs_add_cache(struct kslab_cache *s);
void kslab_debugfs_remove_cache(struct kslab_cache *s);
ssize_t kslab_debugfs_command(const char *buf, size_t count,
			      const char *expect);
#else
static inline void kslab_debugfs_init(void) { }
static inline void kslab_debugfs_exit(void) { }
static inline void kslab_debugfs_add_cache(struct kslab_cache *s) { }
static inline void kslab_debugfs_remove_cache(struct kslab_cache *s) { }
static inline ssize_t kslab_debugfs_command(const char *buf, size_t count,
					    const char *expect)
{
	return -EINVAL;
}
#endif

#endif /* KSLAB_OBSERVE_OBSERVE_H */
