#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# uml-insmod.sh - the board flow under UML: build kslab.ko and
# kslab_kunit.ko out of tree with M=, insmod them in a UML kernel booted on
# a hostfs root, parse each suite's debugfs KTAP with kunit.py parse, diff
# kslab's debugfs geometry against /sys/kernel/slab, rmmod, and load and
# unload kslab.ko a second time, with the example user module
# (examples/kslab_example.ko, built by `make example`) loaded and unloaded
# on it.
#
# Usage: scripts/uml-insmod.sh [6.12|6.1]
#
# The UML kernel (KUnit, modules, hostfs, debugfs, kmemleak) is kunit.sh's,
# built by kunit.py build without KSLAB_BUILTIN, so kslab is not in it, in
# the same directory, $KSLAB_CACHE/build/uml-<ver>. The
# modules are built from a copy of the sources in .../uml-<ver>-modsrc with
# W=1, and any compiler or modpost warning fails the run. Fails too on a
# parse failure, a failed test, an rmmod failure, a kernel BUG/WARNING, or
# an example module that does not load, leaves kslab objects, pages or
# findings behind, or does not say it freed everything.
set -eu
. "$(dirname "$0")/lib.sh"
kslab_lock "$@"

KERNEL=${1:-6.12}
check_kernel "$KERNEL"
"$REPO/scripts/setup.sh" "$KERNEL"

SRC=$(kernel_src "$KERNEL")
# The tree carries the graft of kunit.sh: point it at this checkout, or
# its Kconfig line names a checkout that may be gone.
"$REPO/scripts/graft.sh" "$SRC"
BUILD=$(uml_build "$KERNEL")
MODSRC="$CACHE/build/uml-$KERNEL-modsrc"
ROOT="$CACHE/build/uml-$KERNEL-root"
KUNIT="python3 $SRC/tools/testing/kunit/kunit.py"

echo "kslab: UML $KERNEL kernel for insmod ($BUILD)"
# The build log sits beside $BUILD: on a fresh cache its parent is new.
mkdir -p "$BUILD"
# The kunit kernel's own configuration (SMP on 7.3: lib.sh), so that the
# two flows keep sharing one build.
mapfile -t SMP_KCONFIG < <(uml_smp_kconfig "$KERNEL")
mapfile -t SMP_BOOT < <(uml_smp_boot "$KERNEL")
(cd "$SRC" && $KUNIT build --kunitconfig="$REPO/scripts/configs/uml.config" \
	"${SMP_KCONFIG[@]}" \
	--build_dir="$BUILD" --jobs="$JOBS" >"$BUILD.build.log" 2>&1) || {
	tail -40 "$BUILD.build.log"; exit 1; }

echo "kslab: building kslab.ko and kslab_kunit.ko with M= W=1"
mkdir -p "$MODSRC"
rsync -a --delete --exclude .git --exclude '*.o' --exclude '*.ko' \
	--exclude '.*.cmd' "$REPO/" "$MODSRC/src/"
make -s -C "$SRC" O="$BUILD" ARCH=um M="$MODSRC/src" W=1 -j"$JOBS" \
	KSLAB_LEAKPROBE=y modules \
	>"$MODSRC/build.log" 2>&1 || { cat "$MODSRC/build.log"; exit 1; }
if grep -E 'warning:|WARNING:' "$MODSRC/build.log"; then
	echo "kslab: the W=1 module build has warnings" >&2
	exit 1
fi
# The example user module, as its author would build it: `make example`,
# against kslab's Module.symvers. O=, ARCH= and W= reach kbuild through
# make's command-line variables.
echo "kslab: building examples/kslab_example.ko with make example W=1"
make -s -C "$MODSRC/src" example KDIR="$SRC" O="$BUILD" ARCH=um W=1 \
	-j"$JOBS" >"$MODSRC/example-build.log" 2>&1 ||
	{ cat "$MODSRC/example-build.log"; exit 1; }
if grep -E 'warning:|WARNING:' "$MODSRC/example-build.log"; then
	echo "kslab: the W=1 build of the example module has warnings" >&2
	exit 1
fi

rm -rf "$ROOT"
mkdir -p "$ROOT/bin" "$ROOT/proc" "$ROOT/sys" "$ROOT/out" "$ROOT/dev" "$ROOT/tmp"
cp /bin/busybox "$ROOT/bin/busybox"
for t in sh mount insmod rmmod cat echo poweroff ls grep tail cut sleep; do
	ln -s busybox "$ROOT/bin/$t"
done
cp "$MODSRC/src/kslab.ko" "$MODSRC/src/kslab_kunit.ko" \
	"$MODSRC/src/kslab_leakprobe.ko" "$MODSRC/src/examples/kslab_example.ko" \
	"$ROOT/"
cat >"$ROOT/init" <<'INIT'
#!/bin/sh
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t debugfs debugfs /sys/kernel/debug
# What kslab holds for its users: live objects per cache, objects and
# pages of the large path, and the findings counters. (Not a cache's
# pages: empty slabs stay cached, as in SLUB; kslab's unload checks them.)
kslab_held() {
	grep -H '^active_objects ' /sys/kernel/debug/kslab/caches/*/stats
	grep -HE '^(active_objects|pages) ' /sys/kernel/debug/kslab/large
	grep '^# counters' /sys/kernel/debug/kslab/violations
}
for round in 1 2; do
	echo "KSLAB-MARK round $round insmod"
	insmod /kslab.ko || echo "KSLAB-FAIL insmod kslab"
	[ "$round" = 1 ] && { insmod /kslab_kunit.ko || echo "KSLAB-FAIL insmod kslab_kunit"; }
	echo "KSLAB-MARK round $round tests done"
	if [ "$round" = 1 ]; then
		for d in /sys/kernel/debug/kunit/kslab_*; do
			cat "$d/results" >"/out/$(basename "$d").ktap"
		done
		cat /sys/kernel/debug/kslab/geometry >/out/geometry
		# The same table from the real caches, for the host to diff.
		for n in $(grep -v '^#' /out/geometry | tail -n +2 | cut -d' ' -f1); do
			r=/sys/kernel/slab/kmalloc-${n#kslab-}
			echo "$n $(cat $r/object_size) $(cat $r/slab_size) $(cat $r/align) $(cat $r/order) $(cat $r/objs_per_slab)"
		done >/out/sysfs-geometry
		cat /sys/kernel/debug/kslab/slabinfo >/out/slabinfo
		for f in gfp large violations compare; do
			cat /sys/kernel/debug/kslab/$f >/out/$f
		done
		cat /sys/kernel/debug/kslab/caches/kslab-64/stats >/out/stats-kslab-64
		echo garbage >/sys/kernel/debug/kslab/violations 2>/dev/null &&
			echo "KSLAB-FAIL violations accepted garbage"
		echo clear >/sys/kernel/debug/kslab/violations ||
			echo "KSLAB-FAIL violations clear"
		rmmod kslab_kunit || echo "KSLAB-FAIL rmmod kslab_kunit"
		# kmemleak: reachable kslab objects unreported, one leak found.
		if [ -e /sys/kernel/debug/kmemleak ]; then
			insmod /kslab_leakprobe.ko ||
				echo "KSLAB-FAIL insmod kslab_leakprobe"
			# kmemleak reports objects older than 5 s, and only
			# from the second scan that finds them unchanged. A
			# loaded host delays UML's clock: scan until the
			# deliberate leak shows, for at most 60 s.
			sleep 5
			n=0
			while [ $n -lt 30 ]; do
				echo scan >/sys/kernel/debug/kmemleak
				cat /sys/kernel/debug/kmemleak >/out/kmemleak
				grep -q kslab-leak-probe /out/kmemleak && break
				sleep 2
				n=$((n + 1))
			done
			echo "KSLAB-MARK kmemleak scans $((n + 1))"
			rmmod kslab_leakprobe ||
				echo "KSLAB-FAIL rmmod kslab_leakprobe"
		fi
	fi
	if [ "$round" = 2 ]; then
		# The example user module must give back all it took.
		kslab_held >/out/example-before
		insmod /kslab_example.ko || echo "KSLAB-FAIL insmod kslab_example"
		grep -q '^kslab_example ' /proc/modules ||
			echo "KSLAB-FAIL kslab_example is not loaded"
		cat /sys/kernel/debug/kslab/lookaside >/out/example-lookaside
		rmmod kslab_example || echo "KSLAB-FAIL rmmod kslab_example"
		kslab_held >/out/example-after
	fi
	rmmod kslab || echo "KSLAB-FAIL rmmod kslab"
done
echo "KSLAB-MARK end"
poweroff -f
INIT
chmod +x "$ROOT/init"

# boot_uml <init> <log> [kernel arguments]: boot UML on the hostfs root.
# A boot whose console stays silent for STALL seconds is stopped then,
# not at the 600 s timeout: the UML 6.1 stall (below) prints nothing,
# while the longest quiet stretch of a working boot, the kmemleak scans
# after the suites, lasts about a minute. The cycles boot prints every
# cycle and is given 60 s.
STALL=180
boot_uml() {
	local init=$1 log=$2 pid size last=-1 quiet=0
	shift 2
	timeout --foreground -k 10 600 "$BUILD/linux" mem=512M root=/dev/root \
		rootflags="$ROOT" rootfstype=hostfs rw init="$init" con=null \
		con0=fd:0,fd:1 "${SMP_BOOT[@]}" "$@" </dev/null >"$log" 2>&1 &
	pid=$!
	while kill -0 "$pid" 2>/dev/null; do
		sleep 2
		size=$(stat -c %s "$log")
		if [ "$size" != "$last" ]; then
			last=$size
			quiet=0
		elif [ $((quiet += 2)) -ge "$STALL" ]; then
			echo "kslab: no console output for ${STALL}s: stopping this boot" >&2
			kill "$pid" 2>/dev/null
			break
		fi
	done
	wait "$pid" || true
}

# Second boot: the kernel with SLUB boot parameters (BOOT_PARAMS) and
# kslab with no module parameter: kslab reads them from /proc/cmdline
# (kslab/core/boot.c). The debug flags give the listed kmalloc caches
# SLUB's debug layout (red zones, tracks, orig_size: 4 bytes on 6.1, 8 on
# 6.12), the others keep the global flags; min_objects and max_order move
# the orders; kslab's geometry must still equal /sys/kernel/slab.
cat >"$ROOT/init-debug" <<'INIT'
#!/bin/sh
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t debugfs debugfs /sys/kernel/debug
echo "KSLAB-MARK debug insmod"
insmod /kslab.ko || echo "KSLAB-FAIL insmod kslab (boot parameters)"
cat /sys/kernel/debug/kslab/boot >/out/debug/boot
cat /sys/kernel/debug/kslab/geometry >/out/debug/geometry
for n in $(grep -v '^#' /out/debug/geometry | tail -n +2 | cut -d' ' -f1); do
	r=/sys/kernel/slab/kmalloc-${n#kslab-}
	echo "$n $(cat $r/object_size) $(cat $r/slab_size) $(cat $r/align) $(cat $r/order) $(cat $r/objs_per_slab)"
done >/out/debug/sysfs-geometry
cat /sys/kernel/debug/kslab/compare >/out/debug/compare
rmmod kslab || echo "KSLAB-FAIL rmmod kslab"
echo "KSLAB-MARK debug end"
poweroff -f
INIT
chmod +x "$ROOT/init-debug"
mkdir -p "$ROOT/out/debug"

# Third boot: $CYCLES insmod/rmmod cycles, each with a short workload (the
# compare file allocates from every size class; kslab_leakprobe keep=1
# leaves live objects and an undestroyed cache for kslab's unload to
# report and free). Then: no debugfs left, the kernel's free memory back
# (MemFree within 2 MiB after a warm-up cycle), kmemleak silent.
cat >"$ROOT/init-cycles" <<'INIT'
#!/bin/sh
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t debugfs debugfs /sys/kernel/debug
cycle() {
	insmod /kslab.ko || echo "KSLAB-FAIL cycle $1: insmod kslab"
	cat /sys/kernel/debug/kslab/compare >/dev/null
	insmod /kslab_leakprobe.ko keep=1 ||
		echo "KSLAB-FAIL cycle $1: insmod kslab_leakprobe"
	rmmod kslab_leakprobe || echo "KSLAB-FAIL cycle $1: rmmod kslab_leakprobe"
	rmmod kslab || echo "KSLAB-FAIL cycle $1: rmmod kslab"
	[ -e /sys/kernel/debug/kslab ] && echo "KSLAB-FAIL cycle $1: debugfs left"
}
memfree() { grep MemFree /proc/meminfo | tr -s ' ' | cut -d' ' -f2; }
echo "KSLAB-MARK cycles start"
cycle 0
echo scan >/sys/kernel/debug/kmemleak
free0=$(memfree)
i=1
while [ $i -le ${CYCLES:-100} ]; do
	cycle $i
	i=$((i + 1))
done
free1=$(memfree)
echo "KSLAB-MARK cycles $((i - 1)) MemFree before ${free0} kB after ${free1} kB"
[ $((free0 - free1)) -gt 2048 ] && echo "KSLAB-FAIL cycles lost $((free0 - free1)) kB"
sleep 5
n=0
while [ $n -lt 3 ]; do
	echo scan >/sys/kernel/debug/kmemleak
	sleep 1
	n=$((n + 1))
done
cat /sys/kernel/debug/kmemleak >/out/cycles-kmemleak
echo "KSLAB-MARK cycles end"
poweroff -f
INIT
chmod +x "$ROOT/init-cycles"

# SLUB boot parameters of the second boot, in the spellings this kernel
# takes (6.12 also slab_*): lists and a glob in slub_debug, and orders.
BOOT_PARAMS=("slub_debug=Z,kmalloc-64,kmalloc-1k;FZPU,kmalloc-rcl-*"
	     slub_min_objects=24 slub_max_order=2)
[ "$KERNEL" != 6.1 ] && BOOT_PARAMS+=(slab_min_order=1)
LOG="$BUILD/kslab-insmod.log"
echo "kslab: booting UML $KERNEL with a hostfs root"
boot_uml /init "$LOG"
# UML before v6.13 hands the host a fixed-size XSAVE buffer
# (arch/x86/um/os-Linux/registers.c: FP_SIZE); a host whose XSAVE area is
# larger (AVX-512, AMX) refuses it with EFAULT (PTRACE_SETREGSET wants
# exactly fpu_user_cfg.max_size), and UML kills init at its first
# instruction. 7.3's UML asks the host for the size (host_fp_size). No
# UML userspace can run here, so the flow cannot either: exit 77, which
# make test shows as SKIP with this reason.
if grep -q 'userspace - ptrace set fp regs failed, errno = 14' "$LOG"; then
	echo "kslab: SKIP: UML $KERNEL cannot run userspace on this host: the host's XSAVE area (with $(grep -o -w 'amx_tile\|avx512f' /proc/cpuinfo | sort -u | tr '\n' ' ')state) exceeds UML $KERNEL's fixed FP buffer (\"ptrace set fp regs failed, errno = 14\"); 7.3's UML sizes it from the host (host_fp_size)" >&2
	exit 77
fi
echo "kslab: booting UML $KERNEL again with ${BOOT_PARAMS[*]}"
boot_uml /init-debug "$LOG.debug" "${BOOT_PARAMS[@]}"
echo "kslab: booting UML $KERNEL for ${KSLAB_CYCLES:-100} insmod/rmmod cycles"
STALL=60 boot_uml /init-cycles "$LOG.cycles" CYCLES="${KSLAB_CYCLES:-100}"
# Once, under heavy host load, UML 6.1 spun for the whole timeout inside
# rmmod's vunmap (__purge_vmap_area_lazy -> flush_tlb_kernel_range_common
# -> host munmap), at cycle 26 of 100; the same flow passed at once on the
# next run. A boot that stops short gets more tries, said here, so a
# real hang (it would stop again) still fails the step.
# On a loaded host UML 6.1 stalls more often (a helper saw the base commit
# stop in 4 of 5 cycle boots, after 2 to 51 unloads; an idle host saw it
# in 2 of 2, after 34 and 56): two more tries, each announced; three stops in a row
# still fail the step. boot_uml ends a stopped boot after STALL seconds of
# silence, so a try costs minutes, not the 600 s timeout.
for try in 2 3; do
	grep -q "KSLAB-MARK cycles end" "$LOG.cycles" && break
	echo "kslab: the cycles boot stopped after $(grep -c 'kslab: unload: every page returned' "$LOG.cycles") unloads; its last lines:" >&2
	tail -3 "$LOG.cycles" >&2
	echo "kslab: booting the cycles again (try $try of 3)" >&2
	mv "$LOG.cycles" "$LOG.cycles.try$((try - 1))"
	STALL=60 boot_uml /init-cycles "$LOG.cycles" CYCLES="${KSLAB_CYCLES:-100}"
done

rc=0
grep -q "KSLAB-MARK end" "$LOG" || { echo "kslab: UML run did not finish" >&2; rc=1; }
console_clean "$LOG" || rc=1
console_ktap "$LOG" "$BUILD/kslab-insmod" "$KUNIT" || rc=1
suites=$(sed -n 's/^\t\.name = "\(kslab_[a-z_]*\)",$/\1/p' "$REPO"/kunit/*_kunit.c)
for suite in $suites; do
	[ -s "$ROOT/out/$suite.ktap" ] || { echo "kslab: no debugfs results for $suite" >&2; rc=1; }
done
echo "kslab: the example user module on UML $KERNEL:"
grep -oE 'kslab_example: (loaded|unload).*' "$LOG"
grep -h 'kslab_example_request' "$ROOT/out/example-lookaside" 2>/dev/null
grep -q 'kslab_example: loaded: ' "$LOG" ||
	{ echo "kslab: kslab_example did not load" >&2; rc=1; }
grep -q 'kslab_example: unload: .* freed, cache destroyed, no kslab findings' "$LOG" ||
	{ echo "kslab: kslab_example did not free everything at unload" >&2; rc=1; }
if [ ! -s "$ROOT/out/example-before" ]; then
	echo "kslab: no record of what kslab held around kslab_example" >&2
	rc=1
elif diff "$ROOT/out/example-before" "$ROOT/out/example-after"; then
	echo "kslab: after kslab_example, kslab holds what it held before: live objects, large pages, findings ($(grep -c . "$ROOT/out/example-before") lines compared)"
else
	echo "kslab: kslab_example left objects, large pages or findings behind (diff above)" >&2
	rc=1
fi
echo "kslab: debugfs geometry on UML $KERNEL:"
cat "$ROOT/out/geometry" 2>/dev/null || rc=1
check_geometry "$ROOT/out" || rc=1
if grep -q "kmemleak: Kernel memory leak detector disabled" "$LOG"; then
	grep "kmemleak:" "$LOG" | head -5 >&2
	echo "kslab: kmemleak disabled itself (above): its report cannot be trusted" >&2
	rc=1
fi
check_kmemleak "$ROOT/out/kmemleak" || rc=1
grep -q "KSLAB-MARK debug end" "$LOG.debug" ||
	{ echo "kslab: the boot-parameter boot did not finish" >&2; rc=1; }
sed -n '/KSLAB-MARK debug insmod/,$p' "$LOG.debug" |
	grep -E "KSLAB-FAIL|BUG:|WARNING:|Oops" && rc=1
grep -q "KSLAB-MARK cycles end" "$LOG.cycles" ||
	{ echo "kslab: the insmod/rmmod cycles boot did not finish" >&2; rc=1; }
grep "KSLAB-MARK cycles [0-9]" "$LOG.cycles"
sed -n '/KSLAB-MARK cycles start/,$p' "$LOG.cycles" |
	grep -E "KSLAB-FAIL|BUG:|WARNING:|Oops|kslab: leak: [0-9]+ pages" && rc=1
unloads=$(grep -c "kslab: unload: every page returned" "$LOG.cycles")
echo "kslab: $unloads unloads returned every page"
[ "$unloads" -ge "${KSLAB_CYCLES:-100}" ] || rc=1
if [ -s "$ROOT/out/cycles-kmemleak" ]; then
	echo "kslab: kmemleak after the cycles:" >&2
	head -40 "$ROOT/out/cycles-kmemleak" >&2
	rc=1
fi
echo "kslab: boot parameters kslab read on UML $KERNEL (${BOOT_PARAMS[*]}):"
cat "$ROOT/out/debug/boot" 2>/dev/null
if ! grep -q '^slub_min_objects 24 cmdline' "$ROOT/out/debug/boot" 2>/dev/null; then
	echo "kslab: kslab did not take slub_min_objects=24 from the command line" >&2
	rc=1
fi
echo "kslab: geometry under those parameters (kernel and kslab) on UML $KERNEL:"
grep -E '^(# kernel|kslab-(96|192|8|64|1k|8k) )' "$ROOT/out/debug/geometry" 2>/dev/null
check_geometry "$ROOT/out/debug" || rc=1
echo "kslab: debugfs compare on UML $KERNEL:"
cat "$ROOT/out/compare" 2>/dev/null
echo "kslab: UML $KERNEL insmod flow exit status $rc"
exit "$rc"
