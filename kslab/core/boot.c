// SPDX-License-Identifier: GPL-2.0
/*
 * SLUB's boot parameters, read from the running kernel's command line and
 * parsed as that kernel's __setup() handlers parse them.
 *
 * The kmalloc caches were laid out at boot with slub_min_order=,
 * slub_max_order=, slub_min_objects=, slub_debug= and cgroup.memory=.
 * None of those values is exported, so kslab reads the command line the
 * kernel saved (/proc/cmdline from a module, saved_command_line built in)
 * and runs it through copies of the kernel's handlers: the same prefix
 * match, the same clamps, the same last-one-wins. Module parameters are
 * applied after it, through the same handlers, as if appended.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ctype.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/init.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "core.h"

struct kslab_boot kslab_boot;
EXPORT_SYMBOL_NS_GPL(kslab_boot, KSLAB_INTERNAL_NS);

static const char *const src_names[] = {
	[KSLAB_SRC_DEFAULT] = "default",
	[KSLAB_SRC_CMDLINE] = "cmdline",
	[KSLAB_SRC_MODULE] = "module",
};

const char *kslab_boot_src_name(unsigned int src)
{
	return src < ARRAY_SIZE(src_names) ? src_names[src] : "?";
}
EXPORT_SYMBOL_NS_GPL(kslab_boot_src_name, KSLAB_INTERNAL_NS);

/* A handler's answer to a value the kernel's handler would reject. */
#define KSLAB_SETUP_REJECTED	1

/* === Defaults ========================================================== */

/*
 * The values before any handler ran: mm/slub.c's initialisers
 * (slub_max_order = PAGE_ALLOC_COSTLY_ORDER, slub_debug = DEBUG_DEFAULT_FLAGS
 * with CONFIG_SLUB_DEBUG_ON) and mm/slab_common.c's slab_nomerge =
 * !CONFIG_SLAB_MERGE_DEFAULT.
 */
void kslab_boot_defaults(struct kslab_boot *b)
{
	memset(b, 0, sizeof(*b));
	b->max_order = PAGE_ALLOC_COSTLY_ORDER;
	b->debug = IS_ENABLED(CONFIG_SLUB_DEBUG_ON) ? KSLAB_DEBUG_DEFAULT_FLAGS : 0;
	b->nomerge = !IS_ENABLED(CONFIG_SLAB_MERGE_DEFAULT);
}
EXPORT_SYMBOL_NS_GPL(kslab_boot_defaults, KSLAB_INTERNAL_NS);

void kslab_boot_release(struct kslab_boot *b)
{
	kfree(b->debug_string);
	b->debug_string = NULL;
}
EXPORT_SYMBOL_NS_GPL(kslab_boot_release, KSLAB_INTERNAL_NS);

static void set_src(struct kslab_boot *b, unsigned int item, unsigned int src,
		    const char *arg)
{
	b->src[item] = src;
	strscpy(b->arg[item], arg, sizeof(b->arg[item]));
}

/* === slub_debug= ======================================================= */

/*
 * mm/slub.c:parse_slub_debug_flags() (v6.1 and v6.12): one ';' block of
 * slub_debug=. Sets *@flags (DEBUG_DEFAULT_FLAGS for a list without
 * letters), *@slabs to the block's cache list or NULL, *@o if the block
 * has 'O'. Unknown letters are skipped (*@bad counts them). Returns the
 * next block or NULL.
 */
static const char *parse_flags(const char *str, slab_flags_t *flags,
			       const char **slabs, bool *o, unsigned int *bad)
{
	while (*str && *str == ';')
		str++;

	if (*str == ',') {
		*flags = KSLAB_DEBUG_DEFAULT_FLAGS;
		goto check_slabs;
	}
	*flags = 0;

	for (; *str && *str != ',' && *str != ';'; str++) {
		switch (tolower(*str)) {
		case '-':
			*flags = 0;
			break;
		case 'f':
			*flags |= SLAB_CONSISTENCY_CHECKS;
			break;
		case 'z':
			*flags |= SLAB_RED_ZONE;
			break;
		case 'p':
			*flags |= SLAB_POISON;
			break;
		case 'u':
			*flags |= SLAB_STORE_USER;
			break;
		case 't':
			*flags |= SLAB_TRACE;
			break;
		case 'a':
			*flags |= SLAB_FAILSLAB;
			break;
		case 'o':
			if (o)
				*o = true;
			break;
		default:
			if (bad)
				(*bad)++;
		}
	}
check_slabs:
	if (*str == ',')
		*slabs = ++str;
	else
		*slabs = NULL;

	while (*str && *str != ';')
		str++;
	while (*str && *str == ';')
		str++;
	return *str ? str : NULL;
}

/*
 * mm/slub.c:setup_slub_debug() (v6.1, v6.12 and v7.3); @str follows the
 * "slub_debug" prefix. A bare slub_debug or "slub_debug=" means full
 * debugging; blocks without a cache list set the global flags; if any
 * block has a list, the whole value is kept for kmem_cache_flags() and,
 * with no list-less block, the global flags stay as they were. A later
 * slub_debug= without lists leaves an earlier value's lists in place, as
 * slub_debug_string does. 'O' anywhere sets disable_higher_order_debug
 * for good.
 *
 * Return: 0, KSLAB_SETUP_REJECTED (v7.3: another name), or -ENOMEM if
 * the list could not be kept.
 */
static int setup_debug(struct kslab_boot *b, const char *str)
{
	slab_flags_t global = KSLAB_DEBUG_DEFAULT_FLAGS, flags;
	bool changed = false, listed = false;
	const char *p, *slabs;

	/* v7.3 core_param(): the whole name, then an optional value. */
	if (KSLAB_CORE_PARAMS && *str && *str != '=')
		return KSLAB_SETUP_REJECTED;
	if (*str++ != '=' || !*str)
		goto out;

	for (p = str; p; ) {
		p = parse_flags(p, &flags, &slabs, &b->higher_order_disable,
				&b->bad_letters);
		if (!slabs) {
			global = flags;
			changed = true;
		} else {
			listed = true;
		}
	}
	if (listed) {
		char *copy = kstrdup(str, GFP_KERNEL);

		if (!copy)
			return -ENOMEM;
		if (!changed)
			global = b->debug;
		kfree(b->debug_string);
		b->debug_string = copy;
	}
out:
	b->debug = global;
	return 0;
}

/*
 * mm/slub.c:kmem_cache_flags() (v6.1 and v6.12): the debug flags a cache
 * named @name gets on top of @flags. The first list entry that names it
 * (exactly, or up to a '*') gives its block's flags; otherwise the global
 * slub_debug flags, without STORE_USER for SLAB_NOLEAKTRACE caches.
 * SLAB_NO_USER_FLAGS caches get none.
 */
slab_flags_t kslab_boot_cache_flags(const struct kslab_boot *b,
				    slab_flags_t flags, const char *name)
{
	slab_flags_t global = b->debug, block_flags;
	const char *next = b->debug_string, *iter;
	size_t len = strlen(name);

	if (flags & SLAB_NO_USER_FLAGS)
		return flags;
	if (flags & SLAB_NOLEAKTRACE)
		global &= ~SLAB_STORE_USER;

	while (next) {
		next = parse_flags(next, &block_flags, &iter, NULL, NULL);
		if (!iter)
			continue;
		while (*iter) {
			const char *end = strchrnul(iter, ','), *glob;
			size_t cmplen;

			if (next && next < end)
				end = next - 1;
			glob = strnchr(iter, end - iter, '*');
			if (glob)
				cmplen = glob - iter;
			else
				cmplen = max_t(size_t, len, end - iter);
			if (!strncmp(name, iter, cmplen))
				return flags | block_flags;
			if (!*end || *end == ';')
				break;
			iter = end + 1;
		}
	}
	return flags | global;
}
EXPORT_SYMBOL_NS_GPL(kslab_boot_cache_flags, KSLAB_INTERNAL_NS);

/* === The other handlers ================================================ */

/*
 * get_option() into an unsigned int, as the __setup() handlers' (int *)
 * casts do; on KSLAB_CORE_PARAMS kernels kstrtouint(, 0), as the v7.3
 * handlers and param_set_uint() do, and a value it rejects changes
 * nothing.
 *
 * Return: 0, or KSLAB_SETUP_REJECTED.
 */
static int get_uint(const char *str, unsigned int *val)
{
	char *s = (char *)str;	/* get_option() only reads through it */
	int v = *val;

	if (KSLAB_CORE_PARAMS)
		return kstrtouint(str, 0, val) ? KSLAB_SETUP_REJECTED : 0;
	get_option(&s, &v);
	*val = v;
	return 0;
}

/*
 * mm/slub.c:setup_slub_min_order(): v6.12 raises slub_max_order to
 * slub_min_order; v6.1 does not clamp.
 */
static int setup_min_order(struct kslab_boot *b, const char *str)
{
	if (get_uint(str, &b->min_order))
		return KSLAB_SETUP_REJECTED;
	if (KSLAB_SETUP_CLAMPS && b->min_order > b->max_order)
		b->max_order = b->min_order;
	return 0;
}

/*
 * mm/slub.c:setup_slub_max_order(): at most MAX_PAGE_ORDER (v6.1:
 * MAX_ORDER - 1); v6.12 then lowers slub_min_order to it.
 */
static int setup_max_order(struct kslab_boot *b, const char *str)
{
	if (get_uint(str, &b->max_order))
		return KSLAB_SETUP_REJECTED;
	b->max_order = min_t(unsigned int, b->max_order, KSLAB_MAX_PAGE_ORDER);
	if (KSLAB_SETUP_CLAMPS && b->min_order > b->max_order)
		b->min_order = b->max_order;
	return 0;
}

/* mm/slub.c:setup_slub_min_objects(). */
static int setup_min_objects(struct kslab_boot *b, const char *str)
{
	return get_uint(str, &b->min_objects);
}

/* mm/slab_common.c:setup_slab_nomerge() and setup_slab_merge(). */
static int setup_nomerge(struct kslab_boot *b, const char *str)
{
	b->nomerge = true;
	return 0;
}

static int setup_merge(struct kslab_boot *b, const char *str)
{
	b->nomerge = false;
	return 0;
}

/*
 * mm/memcontrol.c:cgroup_memory(): comma-separated tokens, of which only
 * nokmem shapes the kmalloc caches (new_kmalloc_cache() aliases kmalloc-cg-*
 * to the normal caches when mem_cgroup_kmem_disabled()). Nothing clears it.
 */
static int setup_cgroup_memory(struct kslab_boot *b, const char *str)
{
	const char *tok = str;

	while (tok) {
		const char *end = strchrnul(tok, ',');

		if (end - tok == 6 && !strncmp(tok, "nokmem", 6))
			b->memcg_nokmem = true;
		tok = *end ? end + 1 : NULL;
	}
	return 0;
}

/*
 * kernel/dma/swiotlb.c:setup_io_tlb_npages(), early_param("swiotlb"):
 * [pages][,areas][,]force|noforce. With noforce no default swiotlb is
 * allocated, so on arm64 (CONFIG_DMA_BOUNCE_UNALIGNED_KMALLOC) v6.12's
 * __kmalloc_minalign() keeps the cache-line alignment.
 */
static int setup_swiotlb(struct kslab_boot *b, const char *str)
{
	if (*str++ != '=')
		return 0;	/* No value: the kernel's handler is not safe */
	while (isdigit(*str))
		str++;
	if (*str == ',')
		str++;
	while (isdigit(*str))
		str++;
	if (*str == ',')
		str++;
	if (!strcmp(str, "noforce"))
		b->swiotlb_noforce = true;
	return 0;
}

/*
 * The __setup() entries that shape the kmalloc caches, with their strings
 * as the kernel registers them ('=' included where it is): mm/slub.c,
 * mm/slab_common.c and, with CONFIG_MEMCG, mm/memcontrol.c; and one
 * early_param(), kernel/dma/swiotlb.c's.
 */
struct setup {
	const char *str;
	unsigned int item;
	bool present;
	int (*fn)(struct kslab_boot *b, const char *str);
	bool early;	/* early_param(): the whole name, parameq() */
};

static const struct setup setups[] = {
	{ "slub_debug", KSLAB_BOOT_DEBUG, IS_ENABLED(CONFIG_SLUB_DEBUG),
	  setup_debug },
	{ "slab_debug", KSLAB_BOOT_DEBUG,
	  KSLAB_SETUP_SLAB_NAMES && IS_ENABLED(CONFIG_SLUB_DEBUG), setup_debug },
	{ "slub_min_order=", KSLAB_BOOT_MIN_ORDER, true, setup_min_order },
	{ "slab_min_order=", KSLAB_BOOT_MIN_ORDER, KSLAB_SETUP_SLAB_NAMES,
	  setup_min_order },
	{ "slub_max_order=", KSLAB_BOOT_MAX_ORDER, true, setup_max_order },
	{ "slab_max_order=", KSLAB_BOOT_MAX_ORDER, KSLAB_SETUP_SLAB_NAMES,
	  setup_max_order },
	{ "slub_min_objects=", KSLAB_BOOT_MIN_OBJECTS, true, setup_min_objects },
	{ "slab_min_objects=", KSLAB_BOOT_MIN_OBJECTS, KSLAB_SETUP_SLAB_NAMES,
	  setup_min_objects },
	{ "slub_nomerge", KSLAB_BOOT_MERGE, true, setup_nomerge },
	{ "slub_merge", KSLAB_BOOT_MERGE, true, setup_merge },
	{ "slab_nomerge", KSLAB_BOOT_MERGE, true, setup_nomerge },
	{ "slab_merge", KSLAB_BOOT_MERGE, true, setup_merge },
	{ "cgroup.memory=", KSLAB_BOOT_MEMCG, IS_ENABLED(CONFIG_MEMCG),
	  setup_cgroup_memory },
	{ "swiotlb", KSLAB_BOOT_SWIOTLB, IS_ENABLED(CONFIG_SWIOTLB),
	  setup_swiotlb, .early = true },
};

/* kernel/params.c:parameqn() (not exported): '-' and '_' are one character. */
static bool param_eqn(const char *a, const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char ca = a[i] == '-' ? '_' : a[i];
		char cb = b[i] == '-' ? '_' : b[i];

		if (ca != cb)
			return false;
	}
	return true;
}

/*
 * init/main.c:obsolete_checksetup(): every registered string that @line
 * starts with (under parameqn()) gets the rest of the line; the first
 * handler that takes it ends the search (all of these take it).
 */
static int checksetup(struct kslab_boot *b, const char *line,
		      unsigned int src)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(setups); i++) {
		const struct setup *p = &setups[i];
		size_t n = strlen(p->str);
		int ret;

		/* kslab has every handler; the kernel may lack some. */
		if ((!p->present && src != KSLAB_SRC_MODULE) ||
		    strnlen(line, n) < n ||
		    !param_eqn(line, p->str, n))
			continue;
		/* init/main.c:do_early_param(): the name, not a prefix. */
		if (p->early && line[n] && line[n] != '=')
			continue;
		ret = p->fn(b, line + n);
		if (ret < 0)
			return ret;
		/* parse_one(): a value the handler rejects is only logged. */
		if (ret != KSLAB_SETUP_REJECTED)
			set_src(b, p->item, src, line);
		return 0;
	}
	return 0;
}

/* === The command line ================================================== */

/*
 * Run @cmdline through the handlers as start_kernel() does: parse_args()
 * splits it with next_arg() (quotes, "--" ends the kernel's part),
 * unknown_bootoption() rejoins "param=value" (repair_env_string(), which
 * drops a value's opening quote) and obsolete_checksetup() finds the
 * handler. @src records where the values came from.
 *
 * Return: 0, or -ENOMEM.
 */
int kslab_boot_parse(struct kslab_boot *b, const char *cmdline,
		     unsigned int src)
{
	char *buf, *args, *param, *val;
	int ret = 0;

	buf = kstrdup(cmdline, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	args = skip_spaces(buf);
	while (*args && !ret) {
		args = next_arg(args, &param, &val);
		if (!val && !strcmp(param, "--"))
			break;
		if (val) {
			size_t len = strlen(param);

			if (val == param + len + 2)	/* param="value" */
				memmove(val - 1, val, strlen(val) + 1);
			param[len] = '=';
		}
		ret = checksetup(b, param, src);
	}
	kfree(buf);
	return ret;
}
EXPORT_SYMBOL_NS_GPL(kslab_boot_parse, KSLAB_INTERNAL_NS);

/**
 * kslab_boot_cmdline - the command line the kernel saved at boot
 *
 * saved_command_line when built in; a module reads /proc/cmdline
 * (saved_command_line is not exported), which is there whenever insmod's
 * mount namespace has /proc.
 *
 * Return: a kvmalloc()ed copy, or an ERR_PTR().
 */
char *kslab_boot_cmdline(void)
{
#ifdef MODULE
	size_t size = 2 * PAGE_SIZE;
	struct file *f;
	loff_t pos = 0;
	ssize_t n;
	char *buf;

	f = filp_open("/proc/cmdline", O_RDONLY, 0);
	if (IS_ERR(f))
		return ERR_CAST(f);
	for (;;) {
		buf = kvmalloc(size, GFP_KERNEL);
		if (!buf) {
			n = -ENOMEM;
			break;
		}
		pos = 0;
		n = kernel_read(f, buf, size - 1, &pos);
		if (n < 0 || n < size - 1 || size >= SZ_256K)
			break;
		kvfree(buf);	/* Full: a bootconfig may make it long */
		size *= 4;
	}
	filp_close(f, NULL);
	if (n < 0 || n >= size - 1) {
		kvfree(buf);
		return ERR_PTR(n < 0 ? n : -E2BIG);
	}
	buf[n] = '\0';
	strim(buf);	/* "\n" of /proc/cmdline */
	return buf;
#else
	size_t len = strlen(saved_command_line) + 1;
	char *buf = kvmalloc(len, GFP_KERNEL);

	if (!buf)
		return ERR_PTR(-ENOMEM);
	memcpy(buf, saved_command_line, len);
	return buf;
#endif
}
EXPORT_SYMBOL_NS_GPL(kslab_boot_cmdline, KSLAB_INTERNAL_NS);

/*
 * Fill kslab_boot from the running kernel's command line. If it cannot
 * be read, kslab says so and keeps the defaults (module parameters still
 * apply); the geometry may then differ from the kernel's, which the
 * compare file shows.
 */
int kslab_boot_init(void)
{
	struct kslab_boot *b = &kslab_boot;
	char *cmdline;
	int ret;

	kslab_boot_defaults(b);
	cmdline = kslab_boot_cmdline();
	if (IS_ERR(cmdline)) {
		pr_warn("cannot read the kernel command line (/proc/cmdline: %ld): using SLUB's defaults; mount /proc or pass slub_min_order=, slub_max_order=, slub_min_objects=, slub_debug= as module parameters\n",
			PTR_ERR(cmdline));
		b->cmdline_err = PTR_ERR(cmdline);
		return 0;
	}
	ret = kslab_boot_parse(b, cmdline, KSLAB_SRC_CMDLINE);
	kvfree(cmdline);
	if (b->bad_letters)
		pr_info("slub_debug= of the command line has %u letter(s) SLUB skipped; so does kslab\n",
			b->bad_letters);
	return ret;
}

/*
 * A module parameter @name=@val, run through the handler the kernel would
 * run for it on the command line, after the command line.
 */
int kslab_boot_override(const char *name, const char *val)
{
	char *line = kasprintf(GFP_KERNEL, "%s%s", name, val);
	int ret;

	if (!line)
		return -ENOMEM;
	ret = checksetup(&kslab_boot, line, KSLAB_SRC_MODULE);
	kfree(line);
	return ret;
}

void kslab_boot_exit(void)
{
	kslab_boot_release(&kslab_boot);
}
