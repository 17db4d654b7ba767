#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# board.sh - the RockPI 4A flow on an emulated board: an arm64 kernel with
# a RockPI-like config (4K pages, SLUB, SMP, modules, debugfs, KUnit built
# in), kslab.ko and kslab_kunit.ko cross-built out of tree with M= and
# W=1, an initramfs around a static C init (scripts/board/init.c), and
# qemu-system-aarch64 -M virt -cpu cortex-a72 -smp 6 -m 2G.
#
# Usage: scripts/board.sh [6.12|6.1|7.3]
#
# The init loads both modules, prints the KUnit results, every kslab
# debugfs file and the real caches' sysfs, checks kslab's counters, unloads
# both, loads and unloads them again and powers off. Fails on a failed
# test, a parse error, a geometry/compare mismatch, a leak (kslab's live
# objects, or free pages short by more than the tolerance) or a kernel
# WARNING/BUG/Oops in the console. Output in $KSLAB_CACHE/build/board-<ver>.
set -eu
. "$(dirname "$0")/lib.sh"
kslab_lock "$@"

KERNEL=${1:-6.12}
check_kernel "$KERNEL"
export KSLAB_EXTRA_PKGS="qemu-system-arm gcc-aarch64-linux-gnu libc6-dev-arm64-cross cpio gnuplot-nox"
"$REPO/scripts/setup.sh" "$KERNEL"

# Free pages drift: the real slab caches keep pages from the tests' real
# kmallocs (counted back in), per-CPU page lists hold some. kslab's own
# counters are exact; this catches page leaks per load/unload cycle.
FREE_PAGES_TOLERANCE=${FREE_PAGES_TOLERANCE:-512}
SRC=$(kernel_src "$KERNEL")
# The tree carries the graft of kunit.sh: point it at this checkout, or
# its Kconfig line names a checkout that may be gone.
"$REPO/scripts/graft.sh" "$SRC"
BUILD="$CACHE/build/board-arm64-$KERNEL"
OUT="$CACHE/build/board-$KERNEL"
KUNIT="python3 $SRC/tools/testing/kunit/kunit.py"
CROSS=aarch64-linux-gnu-
mkdir -p "$BUILD" "$OUT"
# 6.12's Image is also the LAVA jobs' (scripts/lava.sh): RK3399 drivers.
RK3399=""
[ "$KERNEL" = 6.12 ] && RK3399="--kunitconfig=$REPO/scripts/configs/board-rk3399.config"

echo "kslab: arm64 $KERNEL board kernel ($BUILD)"
# shellcheck disable=SC2086 # $RK3399: one word, or none on 6.1
(cd "$SRC" && $KUNIT build --arch=arm64 --cross_compile=$CROSS \
	--qemu_config="$REPO/scripts/qemu/arm64_rockpi.py" \
	--kunitconfig="$REPO/scripts/configs/board.config" $RK3399 \
	--build_dir="$BUILD" --jobs="$JOBS" >"$OUT/kernel-build.log" 2>&1) || {
	tail -40 "$OUT/kernel-build.log"; exit 1; }

echo "kslab: cross-building kslab.ko and kslab_kunit.ko with M= W=1"
rsync -a --delete --exclude .git --exclude '*.o' --exclude '*.ko' \
	--exclude '.*.cmd' "$REPO/" "$OUT/src/"
make -s -C "$SRC" O="$BUILD" ARCH=arm64 CROSS_COMPILE=$CROSS M="$OUT/src" \
	W=1 -j"$JOBS" modules >"$OUT/modules-build.log" 2>&1 || {
	cat "$OUT/modules-build.log"; exit 1; }
if grep -E 'warning:|WARNING:' "$OUT/modules-build.log"; then
	echo "kslab: the W=1 module build has warnings" >&2
	exit 1
fi

echo "kslab: initramfs with a static init"
rm -rf "$OUT/root"
mkdir -p "$OUT/root/dev" "$OUT/root/proc" "$OUT/root/sys"
${CROSS}gcc -static -O2 -Wall -Wextra -Werror -o "$OUT/root/init" \
	"$REPO/scripts/board/init.c"
cp "$OUT/src/kslab.ko" "$OUT/src/kslab_kunit.ko" "$OUT/root/"
(cd "$OUT/root" && find . | cpio -o -H newc --quiet) >"$OUT/initramfs.cpio"

LOG="$OUT/console.log"
echo "kslab: booting qemu-system-aarch64 -M virt -cpu cortex-a72 -smp 6 -m 2G"
timeout --foreground 900 qemu-system-aarch64 -M virt -cpu cortex-a72 -smp 6 -m 2G \
	-nographic -no-reboot -kernel "$BUILD/arch/arm64/boot/Image.gz" \
	-initrd "$OUT/initramfs.cpio" -append "console=ttyAMA0 rdinit=/init" \
	</dev/null >"$LOG" 2>&1 || true
sed -i 's/\r$//' "$LOG"

# Split the KSLAB-FILE/KSLAB-EOF sections into files under $OUT/dump/.
rm -rf "$OUT/dump"
mkdir -p "$OUT/dump"
awk -v dir="$OUT/dump" '
	/^KSLAB-FILE / { f = dir "/" $2; gsub("/", "_", $2); f = dir "/" $2; next }
	/^KSLAB-EOF / { close(f); f = ""; next }
	f != "" { print > f }' "$LOG"

rc=0
grep -q "KSLAB-MARK end" "$LOG" || { echo "kslab: the board did not finish" >&2; rc=1; }
console_clean "$LOG" || rc=1
console_ktap "$LOG" "$OUT/kslab" "$KUNIT" || rc=1
# Each suite's /sys/kernel/debug/kunit/<suite>/results through kunit.py
# parse too. 6.1 logs only the last parameter of a parameterised case
# there, which the parser rejects, so on 6.1 the console KTAP above is
# the record.
for f in "$OUT"/dump/kunit_kslab_*; do
	[ "$KERNEL" = 6.1 ] && break
	st=0
	$KUNIT parse "$f" >"$f.parse" 2>&1 || st=$?
	echo "kslab: debugfs results of ${f##*/kunit_}: $(grep -o 'Ran .*' "$f.parse")"
	# kunit.py parse exits 1 on a suite whose cases all skipped (the
	# bench, unless asked for): that is not a failure.
	if [ "$st" != 0 ] && grep -qE 'Ran ([0-9]+) tests: skipped: \1$' "$f.parse"; then
		st=0
	fi
	if [ "$st" != 0 ] || grep -qE 'errors:|failed:|crashed:' "$f.parse"; then
		rc=1
	fi
done
[ "$(ls "$OUT"/dump/kunit_kslab_* 2>/dev/null | grep -vc parse)" -ge 5 ] ||
	{ echo "kslab: missing /sys/kernel/debug/kunit results" >&2; rc=1; }
[ "$(grep -c 'KSLAB-MARK round . tests done' "$LOG")" = 2 ] ||
	{ echo "kslab: the modules were not loaded twice" >&2; rc=1; }
grep '^KSLAB-LEAK' "$LOG"
[ "$(grep -c 'kslab: unload: every page returned' "$LOG")" = 2 ] ||
	{ echo "kslab: kslab did not return every page at both unloads" >&2; rc=1; }
# Each load/unload cycle must give back what it took, within the noise
# of the real slab caches and per-CPU lists (about +-200 pages seen).
for round in 1 2; do
	delta=$(sed -n "s/^KSLAB-LEAK round $round free+pcp+slab pages .* delta \(-*[0-9]*\)\$/\1/p" "$LOG")
	if [ -z "$delta" ] || [ "$delta" -lt "-$FREE_PAGES_TOLERANCE" ]; then
		echo "kslab: load/unload cycle $round lost more than $FREE_PAGES_TOLERANCE pages" >&2
		rc=1
	fi
done
echo "kslab: the board has 6 CPUs (min_objects 16)"
check_geometry "$OUT/dump" || rc=1
grep -q '^invalid-free ' "$OUT/dump/violations" ||
	{ echo "kslab: the test's foreign free is not in violations" >&2; rc=1; }
if [ -x "$REPO/scripts/kslab-stats" ]; then
	"$REPO/scripts/kslab-stats" --dump "$OUT/dump" --once --top 8 || rc=1
	"$REPO/scripts/kslab-stats" --dump "$OUT/dump" --plot "$OUT/waste.png" || rc=1
fi
echo "kslab: arm64 $KERNEL board flow exit status $rc"
exit "$rc"
