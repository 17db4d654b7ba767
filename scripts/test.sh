#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# test.sh - the whole matrix, run by `make test` and .ci/run:
#   1. KUnit parity suites under UML via kunit.py, on 6.12, 6.1 and 7.3
#      (SMP, 2 CPUs: sheaves);
#   2. the same suites via kunit.py on QEMU, 6.12: x86_64 (4 CPUs,
#      PREEMPT, ZONE_DMA; hardened: KASAN, lockdep, DEBUG_LIST,
#      DEBUG_ATOMIC_SLEEP, init_on_free=1); arm64 with 16K pages
#      (PREEMPT_RT, DEBUG_ATOMIC_SLEEP, SLAB_FREELIST_RANDOM, cortex-a76,
#      6 CPUs: size classes to 32K, MAX_PAGE_ORDER 11); arm64 with 64K
#      pages (minimal config, neoverse-n1, 2 CPUs: classes to 128K,
#      MAX_PAGE_ORDER 13). arm64 with 4K pages is the board flows' (4);
#      a kernel report in the console fails the step;
#   3. the out-of-tree kslab.ko/kslab_kunit.ko insmod flow under UML,
#      on 6.12 and 6.1, with kunit.py parse, kmemleak, a slub_debug boot
#      and 100 insmod/rmmod cycles; on step 1's kernel build, relinked
#      without kslab (Documentation/testing.rst, "One UML kernel");
#   4. the RockPI 4A board flow on QEMU arm64 (scripts/board.sh), 6.12
#      and 7.3: 4K pages, cortex-a72, 6 CPUs; cross-built modules (every
#      suite), initramfs, insmod twice, debugfs, leak checks, the stats
#      reader;
#   5. the same board kernel and initramfs as a LAVA job (scripts/lava.sh
#      qemu): the RockPI job validated, its QEMU twin run with lava-run,
#      LAVA's per-case results against kunit.py parse;
#   6. Debian's stock amd64 kernels (6.12, 6.12-rt, 6.1, and 7.3, 7.3-rt
#      from trixie-backports) on QEMU x86_64 (scripts/stock.sh): kslab.ko
#      built against their linux-headers packages (7.3: in a trixie root,
#      scripts/trixie-root.sh), loaded without parameters, once on a plain
#      boot and once on a boot with SLUB parameters; geometry, compare,
#      the KTAP parity suites, leaks;
#   7. checkpatch.pl --strict;
#   8. `make bench` runs (UML 6.12, one quick round): the table has every
#      row. Speed is never judged.
# Every step runs; the exit status is non-zero if any failed, and a
# summary names them, ending in "N passed, N failed, N skipped" and a
# summary.json beside the steps' logs.
set -u
. "$(dirname "$0")/lib.sh"
kslab_lock "$@"

# Every package a step installs, up front: the stock prefetch below runs
# beside the steps, and two apt-get installs at once would fight over
# dpkg's lock. (lava.sh installs its own, long after the prefetch ends.)
KSLAB_EXTRA_PKGS="qemu-system-x86 qemu-system-arm gcc-aarch64-linux-gnu
	libc6-dev-arm64-cross dwarves debootstrap gnuplot-nox" \
	"$REPO/scripts/setup.sh" all || exit 1

# The stock kernels' packages and the trixie root come over the network
# and through dpkg, not the CPU: fetched beside the kernel builds of the
# first steps (scripts/stock.sh <kernel> fetch), the stock steps find
# them ready. A failed fetch is said here; its step fetches again.
STOCK_KERNELS="6.12 6.12-rt 6.1 7.3 7.3-rt"
mkdir -p "$CACHE/stock"
PREFETCH_LOG=$CACHE/stock/prefetch.log
for k in $STOCK_KERNELS; do
	"$REPO/scripts/stock.sh" "$k" fetch ||
		echo "kslab: prefetch of stock $k failed; its step fetches again"
done >"$PREFETCH_LOG" 2>&1 &
PREFETCH=$!
trap 'kill "$PREFETCH" 2>/dev/null' EXIT

# Each step's output also goes to its own log under $LOGS; the header
# says which step of how many it is, and what it took last time
# ($CACHE/logs/durations, written at the end of every run).
NSTEPS=$(grep -c '^step "' "$0")
LOGS=$CACHE/logs/test-$(date +%Y%m%d-%H%M%S)
DURATIONS=$CACHE/logs/durations
mkdir -p "$LOGS"
# The last five runs' logs are kept.
find "$CACHE/logs" -maxdepth 1 -name 'test-*' -type d | sort | head -n -5 |
	xargs -r rm -rf
declare -a names=() results=() logs=()
step() {
	local name=$1 n=$(( ${#names[@]} + 1 )) last log
	shift
	log=$LOGS/$(printf '%02d' "$n")-$(echo "$name" | tr -c 'A-Za-z0-9.\n' - | tr -s -).log
	last=$(awk -F'\t' -v n="$name" '$1 == n { print " ~" $2 " s last run;" }' \
		"$DURATIONS" 2>/dev/null)
	echo "=== kslab: [$n/$NSTEPS] $name ($((SECONDS / 60)) min in;$last log: $log)"
	local t0=$SECONDS
	"$@" 2>&1 | tee "$log"
	local rc=${PIPESTATUS[0]}
	names+=("$name")
	results+=("$rc $((SECONDS - t0))")
	logs+=("$log")
}

# The bounded torture count (2,000,000 operations) runs on UML (one CPU,
# about a second) and on the hardened QEMU x86_64 kernel (4 CPUs, about
# 90 s under TCG); the arm64 kernel runs the default count (see
# Documentation/testing.rst, "SMP torture").
step "kunit UML 6.12" "$REPO/scripts/kunit.sh" 6.12 \
	--kernel_args=kslab_kunit.torture_ops=2000000
# UML 6.1 boots with SLUB boot parameters, which kslab reads from the
# command line: every parity suite then runs against a non-default kernel.
# kmalloc-64 is poisoned under init_on_alloc, which then leaves it
# unzeroed (slab_want_init_on_alloc()): test_init_on_alloc_matches.
step "kunit UML 6.1 +params" "$REPO/scripts/kunit.sh" 6.1 \
	--kernel_args=slub_min_objects=24 --kernel_args=slub_max_order=2 \
	'--kernel_args=slub_debug=ZP,kmalloc-64,kmalloc-rcl-*' \
	--kernel_args=init_on_alloc=1
# UML 7.3 runs SMP (2 CPUs): sheaves and the barn, with the remote
# phases of kslab_dynamics on the second CPU (Documentation/dynamics.rst,
# "Linux 7.3"). Its boot parameters are ones that 7.3's kstrtouint() parses differently
# from 6.x's get_option(): the kernel rejects 2abc (max order stays 3)
# and takes +20, and every geometry suite checks kslab read them alike.
# kmalloc-64 is a debug cache: UML has no cmpxchg16b, so kmalloc_nolock()
# serves debug caches only, and test_nolock sees both answers; poisoned
# under init_on_alloc, as on 6.1.
step "kunit UML 7.3 SMP +params" "$REPO/scripts/kunit.sh" 7.3 \
	--kernel_args=slub_max_order=2abc --kernel_args=slub_min_objects=+20 \
	--kernel_args=slub_debug=ZP,kmalloc-64 --kernel_args=init_on_alloc=1
step "kunit QEMU x86_64 6.12" "$REPO/scripts/kunit-qemu.sh" x86_64 6.12 \
	--kernel_args=kslab_kunit.torture_ops=2000000
step "kunit QEMU arm64 16K 6.12" "$REPO/scripts/kunit-qemu.sh" arm64-16k 6.12
step "kunit QEMU arm64 64K 6.12" "$REPO/scripts/kunit-qemu.sh" arm64-64k 6.12
step "insmod UML 6.12" "$REPO/scripts/uml-insmod.sh" 6.12
step "insmod UML 6.1" "$REPO/scripts/uml-insmod.sh" 6.1
# 7.3 (2 CPUs) on step 1's UML 7.3 kernel: also where UML 6.x cannot run
# userspace on the host (SKIP above, AVX-512/AMX XSAVE areas).
step "insmod UML 7.3 SMP" "$REPO/scripts/uml-insmod.sh" 7.3
step "board arm64 6.12" "$REPO/scripts/board.sh" 6.12
step "lava qemu arm64" "$REPO/scripts/lava.sh" qemu
# Today's SLUB on the board: sheaves on 6 CPUs, arm64 4K. It replaces
# the 6.1 board for the cold budget: one arm64 kernel build less; 6.1
# keeps its UML and stock steps, and `make board KERNEL=6.1` still runs
# (arm64 6.1's KMALLOC_MIN_SIZE of 128, before v6.5's dynamic minalign).
step "board arm64 7.3" "$REPO/scripts/board.sh" 7.3
t0=$SECONDS
wait "$PREFETCH"
echo "=== kslab: stock packages prefetched beside the steps (waited $((SECONDS - t0)) s; $PREFETCH_LOG)"
grep 'prefetch of' "$PREFETCH_LOG" || true
step "stock 6.12" "$REPO/scripts/stock.sh" 6.12
step "stock 6.12-rt" "$REPO/scripts/stock.sh" 6.12-rt
step "stock 6.1" "$REPO/scripts/stock.sh" 6.1
# 7.3 from trixie-backports, built in a trixie root with gcc-14.
step "stock 7.3" "$REPO/scripts/stock.sh" 7.3
step "stock 7.3-rt" "$REPO/scripts/stock.sh" 7.3-rt
step "checkpatch --strict" "$REPO/scripts/checkpatch.sh"
step "bench UML 6.12" env BENCH_ROUNDS=1 BENCH_QUICK=1 "$REPO/scripts/bench.sh" uml 6.12

echo "=== kslab: summary"
fail=0 npass=0 nfail=0 nskip=0
json=$LOGS/summary.json
{
	echo '{'
	echo "  \"commit\": \"$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null)\","
	echo "  \"seconds\": $SECONDS,"
	echo '  "steps": ['
} >"$json"
: >"$DURATIONS.new"
for i in "${!names[@]}"; do
	set -- ${results[$i]}
	# 77: the step cannot run on this host (it says why), as in automake.
	if [ "$1" = 0 ]; then st=PASS; npass=$((npass + 1))
	elif [ "$1" = 77 ]; then st=SKIP; nskip=$((nskip + 1))
	else st="FAIL($1)"; fail=1; nfail=$((nfail + 1)); fi
	printf '%-26s %-8s %ss\n' "${names[$i]}" "$st" "$2"
	printf '%s\t%s\n' "${names[$i]}" "$2" >>"$DURATIONS.new"
	sep=,
	[ "$i" = $(( ${#names[@]} - 1 )) ] && sep=
	printf '    {"name": "%s", "status": "%s", "exit": %s, "seconds": %s, "log": "%s"}%s\n' \
		"${names[$i]}" "${st%%(*}" "$1" "$2" "${logs[$i]}" "$sep" >>"$json"
done
printf '  ],\n  "passed": %s, "failed": %s, "skipped": %s\n}\n' \
	"$npass" "$nfail" "$nskip" >>"$json"
mv "$DURATIONS.new" "$DURATIONS"
echo "kslab: $npass passed, $nfail failed, $nskip skipped of $NSTEPS steps in $((SECONDS / 60)) min $((SECONDS % 60)) s (logs and summary.json: $LOGS)"
exit "$fail"
