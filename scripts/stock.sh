#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# stock.sh - kslab.ko on Debian's own amd64 kernels, built and loaded as
# a user would: the stock linux-image and linux-headers packages fetched
# with apt-get download and extracted under $KSLAB_CACHE/stock (never
# installed), kslab built with make KDIR=<headers> W=1, the stock vmlinuz
# booted under qemu-system-x86_64 (TCG, -smp 2 -m 2G) around a static C
# init (scripts/stock/init.c).
#
# 7.x (trixie-backports): the kernel is linux-binary-<release>, fetched
# through the private apt configuration of scripts/apt-suite.sh; there is
# no -unsigned image. Its headers need trixie's gcc-14 and glibc 2.38, so
# kslab is built as a Debian 13 user builds it: in a trixie root
# (scripts/trixie-root.sh) with linux-headers-<release> installed there
# by apt from trixie-backports.
#
# Usage: scripts/stock.sh <6.12|6.12-rt|6.1|7.3|7.3-rt> [default|params]
#
#   default  the kernel booted without SLUB parameters
#   params   booted with $KSLAB_STOCK_PARAMS (below: SLUB parameters that
#            change the geometry of many caches)
#   (none)   both boots, one after the other, from one build
#
# kslab.ko is always loaded without module parameters: it has to find the
# kernel's geometry by itself. The newest release of the flavour that
# apt knows is used, or $KSLAB_STOCK_RELEASE (e.g. 6.1.0-56-amd64).
#
# The init loads kslab.ko, dumps its debugfs and the real caches' sysfs,
# runs kslab_kunit.ko when the build made one (these kernels have no
# CONFIG_KUNIT), unloads both, dumps the kernel log and powers off. A boot
# fails on a W=1 warning, a geometry diff or a compare MISMATCH, a kernel
# WARNING/BUG/Oops from kslab's insmod on, a leak (kslab's own count, its
# unload line, or free pages short by more than the tolerance after the
# second, warm load/unload cycle; the first one's transient drift, up to
# 552 pages on 7.3, comes back in the second), or a KTAP that kunit.py
# parse rejects. Output in $KSLAB_CACHE/stock/<kernel>/.
set -eu
. "$(dirname "$0")/lib.sh"
kslab_lock "$@"

usage() {
	echo "usage: $0 <6.12|6.12-rt|6.1|7.3|7.3-rt> [default|params|fetch]" >&2
	exit 2
}

KERNEL=${1:-}
MODES=${2:-default params}
case "$KERNEL" in
6.12) FLAVOUR='6\.12\.[0-9]+\+deb12-amd64' ;;
6.12-rt) FLAVOUR='6\.12\.[0-9]+\+deb12-rt-amd64' ;;
6.1) FLAVOUR='6\.1\.0-[0-9]+-amd64' ;;
7.3) FLAVOUR='7\.3\.[0-9]+\+deb13-amd64' ;;
7.3-rt) FLAVOUR='7\.3\.[0-9]+\+deb13-rt-amd64' ;;
*) usage ;;
esac
# The suite and the image package of the release: bookworm's own lists
# and linux-image-<release>-unsigned, or for 7.x trixie-backports and
# linux-binary-<release>.
case "$KERNEL" in
7.*) SUITE=trixie-backports ;;
*) SUITE= ;;
esac
image_pkg() {
	if [ -n "$SUITE" ]; then
		echo "linux-binary-$1"
	else
		echo "linux-image-$1-unsigned"
	fi
}
acache() {
	if [ -n "$SUITE" ]; then
		"$REPO/scripts/apt-suite.sh" "$SUITE" "$@"
	else
		apt-cache "$@"
	fi
}
# fetch: the packages (and for 7.x the trixie root) only, no build or
# boot: what scripts/test.sh runs beside the first steps.
case "$MODES" in
default|params|"default params"|fetch) ;;
*) usage ;;
esac

# SLUB boot parameters of the params boot: one variable to change. On
# 6.12, which takes both spellings, slub_max_order= and slub_debug= go in
# as slab_max_order= and slab_debug=. In slub_debug a '*' ends the name:
# "kmalloc-*256" matches every kmalloc-* cache (not dma-kmalloc-*), and a
# cache takes the flags of the first block that names it (kmalloc-64: FZ).
PARAMS=${KSLAB_STOCK_PARAMS:-"slub_min_objects=32 slub_max_order=2 slub_min_order=1 slub_debug=FZ,kmalloc-64,kmalloc-1k;U,kmalloc-*256 cgroup.memory=nokmem"}
if [ "$KERNEL" != 6.1 ]; then
	PARAMS=${PARAMS//slub_max_order=/slab_max_order=}
	PARAMS=${PARAMS//slub_debug=/slab_debug=}
fi
# Free pages drift of one load/unload cycle: the real slab caches and the
# per-CPU page lists keep some pages (board.sh's tolerance). On 7.x the
# second cycle has read 500-550 pages short with nothing of kslab's live
# (kslab's own counts exact: "every page returned", 0 live objects; seen
# +489 then -531 in one boot, -502 in another, in no meminfo field), so
# there the backstop is 1024 pages; kslab's exact checks stay as they are.
case "$KERNEL" in
7.*) FREE_PAGES_TOLERANCE=${FREE_PAGES_TOLERANCE:-1024} ;;
*) FREE_PAGES_TOLERANCE=${FREE_PAGES_TOLERANCE:-512} ;;
esac

# pahole: the stock kernels have CONFIG_DEBUG_INFO_BTF_MODULES, so a
# module build runs it. linux-source-6.12 (setup.sh) is for kunit.py.
export KSLAB_EXTRA_PKGS="qemu-system-x86 dwarves"
"$REPO/scripts/setup.sh" 6.12
KUNIT="python3 $(kernel_src 6.12)/tools/testing/kunit/kunit.py"
OUT="$CACHE/stock/$KERNEL"
ROOT="$OUT/root"
mkdir -p "$OUT"

updated=0
apt_update() {
	[ "$updated" = 0 ] || return 1
	updated=1
	if [ -n "$SUITE" ]; then
		"$REPO/scripts/apt-suite.sh" "$SUITE" update
		return 0
	fi
	if [ "$(id -u)" -ne 0 ]; then
		echo "kslab: apt does not know the $KERNEL packages; run as root: apt-get update" >&2
		exit 1
	fi
	echo "kslab: apt-get update"
	apt-get update -q >/dev/null
}

# The newest image package of the flavour in apt's lists.
newest_release() {
	local pat
	pat=$(image_pkg "($FLAVOUR)")
	acache search --names-only "^$pat\$" |
		sed -nE "s/^$pat .*/\1/p" | sort -V | tail -n1
}

# The candidate version of package $1, empty if apt has none.
candidate() {
	acache policy "$1" 2>/dev/null | sed -n 's/^ *Candidate: \([^(]\)/\1/p'
}

release=${KSLAB_STOCK_RELEASE:-$(newest_release)}
if [ -z "$release" ] || [ -z "$(candidate "$(image_pkg "$release")")" ]; then
	apt_update
	release=${KSLAB_STOCK_RELEASE:-$(newest_release)}
fi
version=$(candidate "$(image_pkg "$release")")
if [ -z "$release" ] || [ -z "$version" ]; then
	echo "kslab: ${SUITE:-bookworm} has no $(image_pkg "${release:-<$KERNEL>}")" >&2
	exit 1
fi
echo "kslab: Debian $release ($version)"
t0=$SECONDS

# Fetch and extract once per release and version; a new point release
# replaces the old one.
KDIR="$ROOT/usr/src/linux-headers-$release"
VMLINUZ="$ROOT/boot/vmlinuz-$release"
# The stamp names the root too: a cache copied or moved elsewhere holds
# headers whose Makefile includes the old path, so it is extracted again.
if [ "$(cat "$ROOT/.kslab-stock" 2>/dev/null)" != "$release $version $ROOT" ]; then
	# linux-headers-<release> needs linux-headers-<abi>-common(-rt)
	# (the tree) and linux-kbuild-<ver> (scripts/, tools/), all built
	# from the same source package as the image, so of the same version.
	if [ -n "$SUITE" ]; then
		# The headers are installed in the trixie root instead.
		pkgs=$(image_pkg "$release")
	else
		deps=$(apt-cache depends "linux-headers-$release" |
		       sed -nE 's/^ *\|?Depends: (linux-(headers-.*-common(-rt)?|kbuild-.*))$/\1/p' |
		       tr '\n' ' ')
		if [ "$(echo "$deps" | wc -w)" != 2 ]; then
			echo "kslab: linux-headers-$release depends on neither one common nor one kbuild package: $deps" >&2
			exit 1
		fi
		pkgs="$(image_pkg "$release") linux-headers-$release $deps"
	fi
	echo "kslab: apt-get download into $OUT/debs: $pkgs"
	rm -rf "$OUT/debs" "$ROOT"
	mkdir -p "$OUT/debs"
	# The archive keeps only the newest linux-kbuild-<ver> (its name has
	# no ABI number): an older release's is taken at the newest version.
	fetch() {
		local p args=""

		for p in $pkgs; do
			if acache madison "$p" | cut -d'|' -f2 |
			   grep -qx " *$version *"; then
				args="$args $p=$version"
			else
				echo "kslab: no $p $version; taking $(candidate "$p")"
				args="$args $p"
			fi
		done
		# shellcheck disable=SC2086 # one word per package
		if [ -n "$SUITE" ]; then
			"$REPO/scripts/apt-suite.sh" "$SUITE" download \
				"$OUT/debs" $args
		else
			(cd "$OUT/debs" && apt-get download -q $args)
		fi >"$OUT/fetch.log" 2>&1
	}
	if ! fetch; then
		# lists older than the archive: refresh them once
		apt_update || true
		fetch || { cat "$OUT/fetch.log"; exit 1; }
	fi
	echo "kslab: extracting with dpkg-deb into $ROOT (from the image: /boot only)"
	mkdir -p "$ROOT"
	for deb in "$OUT"/debs/linux-headers-*.deb "$OUT"/debs/linux-kbuild-*.deb; do
		if [ -e "$deb" ]; then dpkg-deb -x "$deb" "$ROOT"; fi
	done
	if [ -n "$SUITE" ]; then
		# 7.x: /usr/lib/modules/<release>/vmlinuz, nothing in /boot.
		dpkg-deb -x "$OUT"/debs/linux-binary-*.deb "$ROOT"
		mkdir -p "$ROOT/boot"
		ln -sf "../usr/lib/modules/$release/vmlinuz" "$VMLINUZ"
	else
		dpkg-deb --fsys-tarfile "$OUT"/debs/linux-image-*.deb |
			tar -C "$ROOT" -x ./boot
	fi
	# The headers' Makefile includes the common tree by absolute path.
	[ -n "$SUITE" ] ||
		sed -i "s|^include /usr/src/|include $ROOT/usr/src/|" "$KDIR/Makefile"
	echo "$release $version $ROOT" >"$ROOT/.kslab-stock"
fi
# 7.x: the trixie root with the headers installed by its apt; the build
# runs there, on a copy of the repository in the root.
if [ -n "$SUITE" ]; then
	TROOT=$("$REPO/scripts/trixie-root.sh" install "linux-headers-$release" \
		build-essential dwarves)
	KDIR_IN=/usr/src/linux-headers-$release
	KDIR=$TROOT$KDIR_IN
	SRC=$TROOT/root/kslab-$KERNEL
else
	KDIR_IN=$KDIR
	SRC=$OUT/src
fi
# The headers' scripts and tools links (to linux-kbuild) and the include
# must resolve inside the root: nothing may come from the host's /usr/src.
bad=0
[ -n "$SUITE" ] || while read -r l; do
	t=$(readlink -f "$l")
	case "$t" in
	"$ROOT"/*) [ -e "$t" ] || { echo "kslab: $l -> $t is missing" >&2; bad=1; } ;;
	*) echo "kslab: $l leaves the root ($t)" >&2; bad=1 ;;
	esac
done < <(find "$ROOT/usr/src" -maxdepth 2 -type l)
if [ ! -f "$VMLINUZ" ] || [ ! -f "$KDIR/Makefile" ] ||
   { [ -z "$SUITE" ] &&
     grep -v "^include $ROOT/" "$KDIR/Makefile" | grep -q '^include'; }; then
	echo "kslab: $ROOT is incomplete (no vmlinuz, or the headers' Makefile includes from outside)" >&2
	bad=1
fi
[ "$bad" = 0 ] || { rm -f "$ROOT/.kslab-stock"; exit 1; }
echo "kslab: packages ready in $((SECONDS - t0)) s"
[ "$MODES" = fetch ] && exit 0
t0=$SECONDS

echo "kslab: building as a user does: make KDIR=$KDIR_IN W=1${SUITE:+ (in the trixie root $TROOT, $("$REPO/scripts/trixie-root.sh" run gcc --version | head -n1))}"
# What .gitignore lists is kbuild's output: kept, so a warm build is
# short. A kbuild output of the repository itself is not copied. Files
# are compared by content and a changed one gets the time of the copy:
# kbuild goes by mtime, and another checkout's older file must still be
# newer than the objects built from this one.
rsync -a --no-times --checksum --delete --exclude .git \
	--filter=':- .gitignore' "$REPO/" "$SRC/"
if [ -n "$SUITE" ]; then
	"$REPO/scripts/trixie-root.sh" run make -C "/root/kslab-$KERNEL" KDIR="$KDIR_IN" W=1 -j"$JOBS"
else
	make -C "$SRC" KDIR="$KDIR" W=1 -j"$JOBS"
fi >"$OUT/build.log" 2>&1 || { cat "$OUT/build.log"; exit 1; }
grep '^kslab:' "$OUT/build.log" || true
if grep -E 'warning:|WARNING:' "$OUT/build.log"; then
	echo "kslab: the W=1 module build has warnings" >&2
	exit 1
fi

echo "kslab: module build $((SECONDS - t0)) s; initramfs with a static init"
rm -rf "$OUT/initramfs"
mkdir -p "$OUT/initramfs/dev" "$OUT/initramfs/proc" "$OUT/initramfs/sys"
gcc -static -O2 -Wall -Wextra -Werror -o "$OUT/initramfs/init" \
	"$REPO/scripts/stock/init.c"
cp "$SRC/kslab.ko" "$OUT/initramfs/"
KTAP=0
# rsync keeps excluded files: a kslab_kunit.ko of an earlier build is not
# this build's unless modules.order names it (kslab_kunit.o on 6.12 and 7.3,
# kslab_kunit.ko on 6.1).
if grep -qE '(^|/)kslab_kunit\.k?o$' "$SRC/modules.order"; then
	cp "$SRC/kslab_kunit.ko" "$OUT/initramfs/"
	KTAP=1
else
	echo "kslab: no kslab_kunit.ko: parity checks not run"
fi
(cd "$OUT/initramfs" && find . | cpio -o -H newc --quiet) >"$OUT/initramfs.cpio"

# ktap_ok <results> <kunit.py>: kslab_kunit.ko's KTAP through kunit.py
# parse. A KTAP without the top-level header and plan gets them, with the
# number of suites the repository defines (as console_ktap in lib.sh).
ktap_ok() {
	local f=$1 kunit=$2 nsuites st=0
	nsuites=$(sed -n 's/^\t\.name = "\(kslab_[a-z_]*\)",$/\1/p' \
		  "$REPO"/kunit/*_kunit.c | wc -l)
	if grep -q '^KTAP version' "$f"; then
		cp "$f" "$f.ktap"
	else
		printf 'KTAP version 1\n1..%s\n' "$nsuites" | cat - "$f" >"$f.ktap"
	fi
	echo "kslab: kunit.py parse of kslab_kunit.ko's KTAP (debugfs kslab_kunit/results)"
	$kunit parse "$f.ktap" >"$f.parse" 2>&1 || st=$?
	grep -E '\[(FAILED|CRASHED|ERROR)\]|Expected|Testing complete' "$f.parse" || true
	if [ "$st" != 0 ] || grep -qE 'errors:|failed:|crashed:' "$f.parse" ||
	   ! grep -q 'Testing complete' "$f.parse"; then
		echo "kslab: kunit.py parse of kslab_kunit.ko's KTAP failed ($f.parse)" >&2
		return 1
	fi
}

# suites_ok <dump dir> <kunit.py>: the per-suite files of debugfs kunit/
# (kslab_kunit.ko's on a kernel without KUnit, in KUnit's format) parse,
# one per suite that ran, with as many tests as the whole run.
suites_ok() {
	local d=$1 kunit=$2 f n sum=0 files=0 want whole
	want=$(grep -c '^\(not \)\?ok [0-9]* kslab_' "$d/kslab_kunit-results")
	whole=$(sed -n 's/.*Testing complete. Ran \([0-9]*\) tests.*/\1/p' \
		"$d/kslab_kunit-results.parse")
	for f in "$d"/kunit-*-results; do
		[ -f "$f" ] || continue
		files=$((files + 1))
		$kunit parse "$f" >"$f.parse" 2>&1 || true
		n=$(sed -n 's/.*Testing complete. Ran \([0-9]*\) tests.*/\1/p' "$f.parse")
		if [ -z "$n" ] || grep -qE 'errors:|failed:|crashed:' "$f.parse"; then
			echo "kslab: kunit.py parse of $f failed ($f.parse)" >&2
			return 1
		fi
		sum=$((sum + n))
	done
	echo "kslab: debugfs kunit/<suite>/results: $files files, $sum tests; the whole run: $want suites, $whole tests"
	[ "$files" = "$want" ] && [ "$sum" = "$whole" ] || {
		echo "kslab: the per-suite results disagree with the whole run" >&2
		return 1
	}
}

# boot <default|params>: one boot and its checks; returns non-zero on any
# failure.
boot() {
	local mode=$1 log rc=0 delta rows diffs t0=$SECONDS
	local dir="$OUT/$mode"
	local append="console=ttyS0 panic=-1 random.trust_cpu=on rdinit=/init"

	[ "$mode" = params ] && append="$append $PARAMS"
	rm -rf "$dir"
	mkdir -p "$dir/dump"
	log="$dir/console.log"
	echo "kslab: booting $release: qemu-system-x86_64 -smp 2 -m 2G -append \"$append\""
	# A boot that dies before init loads kslab says nothing about kslab
	# (seen once: Debian's 6.12-rt oopsed in sched_clock_cpu() under TCG
	# at 1.4 s, in cpu_latency_qos_init()); it gets two more tries, said
	# here. Anything from kslab's insmod on counts at once.
	for try in 1 2 3; do
		timeout --foreground 900 qemu-system-x86_64 -accel tcg -smp 2 -m 2G -nographic \
			-no-reboot -cpu qemu64,+rdrand -kernel "$VMLINUZ" \
			-initrd "$OUT/initramfs.cpio" -append "$append" \
			</dev/null >"$log" 2>&1 || true
		sed -i 's/\r$//' "$log"
		grep -q '^KSLAB-MARK round 1 insmod' "$log" && break
		[ "$try" = 3 ] && break
		echo "kslab: the $mode boot died before kslab was loaded (try $try of 3); its last lines:" >&2
		grep -E 'Kernel panic|RIP:|BUG:' "$log" | head -3 >&2
		mv "$log" "$log.try$try"
	done
	echo "kslab: the $mode boot took $((SECONDS - t0)) s"
	# KSLAB-FILE/KSLAB-EOF sections into files; a kernel line that
	# lands in one (timestamped) is left out.
	awk -v dir="$dir/dump" '
		/^KSLAB-FILE / { n = $2; gsub("/", "_", n); f = dir "/" n; next }
		/^KSLAB-EOF / { if (f != "") close(f); f = ""; next }
		f != "" && !/^\[ *[0-9]+\.[0-9]+\] / { print > f }' "$log"

	grep -q '^KSLAB-MARK end' "$log" ||
		{ echo "kslab: the $mode boot did not finish ($log)" >&2; rc=1; }
	console_clean "$log" || rc=1
	if grep -E 'BUG:|WARNING:|Oops|kslab: leak: [0-9]+ pages' "$dir/dump/dmesg" 2>/dev/null; then
		echo "kslab: kernel report or leak in the kernel log from kslab's insmod on" >&2
		rc=1
	fi
	grep -h 'kslab: unload: every page returned' "$dir/dump/dmesg" 2>/dev/null ||
		{ echo "kslab: no \"unload: every page returned\"" >&2; rc=1; }
	grep '^KSLAB-LEAK' "$log" || true
	# The second, warm cycle is checked; the first is reported.
	delta=$(sed -n 's/^KSLAB-LEAK round 2 free+pcp+slab pages .* delta \(-*[0-9]*\)$/\1/p' "$log")
	if [ -z "$delta" ] || [ "$delta" -lt "-$FREE_PAGES_TOLERANCE" ]; then
		echo "kslab: the second load/unload cycle lost more than $FREE_PAGES_TOLERANCE pages" >&2
		rc=1
	fi
	grep '^# kernel' "$dir/dump/geometry" 2>/dev/null || true
	if ! check_geometry "$dir/dump"; then
		rows=$(wc -l <"$dir/dump/sysfs-geometry" 2>/dev/null || echo 0)
		diffs=$(grep -v '^#' "$dir/dump/geometry" 2>/dev/null | tail -n +2 |
			diff - "$dir/dump/sysfs-geometry" 2>/dev/null | grep -c '^>' || true)
		echo "kslab: $mode: $diffs of $rows caches differ from /sys/kernel/slab," \
		     "$(grep -c MISMATCH "$dir/dump/compare" 2>/dev/null || true) compare MISMATCH lines" >&2
		rc=1
	fi
	if [ -f "$dir/dump/kslab_kunit-results" ]; then
		ktap_ok "$dir/dump/kslab_kunit-results" "$KUNIT" || rc=1
		suites_ok "$dir/dump" "$KUNIT" || rc=1
	elif [ "$KTAP" = 1 ]; then
		echo "kslab: kslab_kunit.ko was loaded but printed no results" >&2
		rc=1
	else
		echo "kslab: no kslab_kunit.ko: parity checks not run"
	fi
	echo "kslab: stock $KERNEL $mode boot exit status $rc"
	return "$rc"
}

rc=0
for mode in $MODES; do
	boot "$mode" || rc=1
done
echo "kslab: stock $KERNEL ($release) exit status $rc"
exit "$rc"
