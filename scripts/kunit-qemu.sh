#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kunit-qemu.sh - run kslab's KUnit suites built into a QEMU kernel via
# kunit.py, where the zone and sleep rules are real.
#
# Usage: scripts/kunit-qemu.sh x86_64|arm64|arm64-16k|arm64-64k [6.12|6.1]
#                              [kunit.py run args]
#
#   x86_64: --arch=x86_64, SMP with -smp 4 (or $KSLAB_QEMU_SMP), a qemu64 CPU
#           with RDRAND (so the CRNG is seeded at boot), CONFIG_PREEMPT,
#           ZONE_DMA (the first 16 MiB), memcg kmem and random kmalloc
#           caches; hardened: KASAN (generic), PROVE_LOCKING (lockdep),
#           DEBUG_LIST, DEBUG_ATOMIC_SLEEP and init_on_free=1. KASAN changes
#           the real caches' layout, so the layout comparisons skip here
#           (KSLAB_TEST_SKIP_KASAN); UML, arm64 and the boards keep them.
#   arm64:  --cross_compile=aarch64-linux-gnu-, RockPI 4A-like QEMU
#           (scripts/qemu/arm64_rockpi.py: cortex-a72, -smp 6, 2 GiB, 4K
#           pages), SLAB_FREELIST_RANDOM, and PREEMPT_RT (6.12; 6.1 has
#           no PREEMPT_RT, so CONFIG_PREEMPT) with DEBUG_ATOMIC_SLEEP: the
#           RT run with 4K pages. The board flows keep the PREEMPT RockPI
#           kernel.
#   arm64-16k: the same RT run (PREEMPT_RT, DEBUG_ATOMIC_SLEEP,
#           SLAB_FREELIST_RANDOM, 6 CPUs, 2 GiB) with 16K pages on a
#           generic virt machine (scripts/qemu/arm64_virt.py) with a
#           cortex-a76, the Raspberry Pi 5's core, whose stock kernel
#           uses 16K pages (QEMU's cortex-a72 has no 16K granule).
#           KMALLOC_MAX_CACHE_SIZE 32K, MAX_PAGE_ORDER 11. `make test`
#           runs this one; the 4K RockPI geometry is the board flows'
#           (scripts/board.sh: the same suites, cortex-a72, 6 CPUs).
#   arm64-64k: 64K pages, a minimal config (the kunitconfig alone: no RT,
#           no SLAB_FREELIST_RANDOM, so kslab_dynamics also compares every
#           allocation's slab and offset), neoverse-n1 (a server core, where
#           64K pages are found), 2 CPUs (min_objects 12), 4 GiB: with
#           2 GiB no order-13 block (512 MiB, KMALLOC_MAX_SIZE) was free and
#           kslab_size skipped its two largest sizes. KMALLOC_MAX_CACHE_SIZE
#           128K, MAX_PAGE_ORDER 13.
#
# Uses the same tree graft as scripts/kunit.sh; the build directory is
# $KSLAB_CACHE/build/qemu-<arch>-<ver>-kunit (arch with its page-size
# suffix, so each variant keeps its kernel); kunit.py's output goes to
# $KSLAB_KUNIT_LOG (default kslab-kunit.log there). Exits with kunit.py's
# status.
set -eu
. "$(dirname "$0")/lib.sh"
kslab_lock "$@"

ARCH=${1:?usage: $0 x86_64|arm64|arm64-16k|arm64-64k [6.12|6.1]}
KERNEL=${2:-6.12}
check_kernel "$KERNEL"
shift $(($# < 2 ? $# : 2))

case "$ARCH" in
x86_64)
	export KSLAB_EXTRA_PKGS="qemu-system-x86"
	# -cpu qemu64,+rdrand: the default qemu64 has no RDRAND, so the
	# CRNG stayed unseeded for the whole run (no userspace, no virtio-rng)
	# and every get_random_*() took one global spinlock: the SMP torture
	# ran 10-20 times slower on 4 vCPUs than with RDRAND
	# (Documentation/results.rst).
	ARGS=(--arch=x86_64
	      --qemu_args="-smp ${KSLAB_QEMU_SMP:-4} -cpu qemu64,+rdrand"
	      --kernel_args=random.trust_cpu=on
	      --kconfig_add=CONFIG_SMP=y --kconfig_add=CONFIG_PREEMPT=y
	      --kconfig_add=CONFIG_DEBUG_KERNEL=y
	      --kconfig_add=CONFIG_DEBUG_ATOMIC_SLEEP=y
	      --kconfig_add=CONFIG_KASAN=y --kconfig_add=CONFIG_KASAN_GENERIC=y
	      --kconfig_add=CONFIG_PROVE_LOCKING=y
	      --kconfig_add=CONFIG_DEBUG_LIST=y
	      --kernel_args=init_on_free=1
	      --kconfig_add=CONFIG_ZONE_DMA=y
	      --kconfig_add=CONFIG_CGROUPS=y --kconfig_add=CONFIG_MEMCG=y)
	[ "$KERNEL" = 6.12 ] &&
		ARGS+=(--kconfig_add=CONFIG_RANDOM_KMALLOC_CACHES=y)
	;;
arm64|arm64-16k|arm64-64k)
	export KSLAB_EXTRA_PKGS="qemu-system-arm gcc-aarch64-linux-gnu libc6-dev-arm64-cross"
	ARGS=(--arch=arm64 --cross_compile=aarch64-linux-gnu-)
	case "$ARCH" in
	arm64)
		ARGS+=(--qemu_config="$REPO/scripts/qemu/arm64_rockpi.py") ;;
	arm64-16k)
		ARGS+=(--qemu_config="$REPO/scripts/qemu/arm64_virt.py"
		       --qemu_args="-cpu cortex-a76 -smp 6"
		       --kconfig_add=CONFIG_ARM64_16K_PAGES=y) ;;
	arm64-64k)
		ARGS+=(--qemu_config="$REPO/scripts/qemu/arm64_virt.py"
		       --qemu_args="-cpu neoverse-n1 -smp 2 -m 4096"
		       --kconfig_add=CONFIG_ARM64_64K_PAGES=y) ;;
	esac
	if [ "$ARCH" != arm64-64k ]; then
		ARGS+=(--kconfig_add=CONFIG_DEBUG_KERNEL=y
		       --kconfig_add=CONFIG_DEBUG_ATOMIC_SLEEP=y
		       --kconfig_add=CONFIG_SLAB_FREELIST_RANDOM=y)
		if [ "$KERNEL" = 6.12 ]; then
			ARGS+=(--kconfig_add=CONFIG_EXPERT=y
			       --kconfig_add=CONFIG_PREEMPT_RT=y)
		else
			ARGS+=(--kconfig_add=CONFIG_PREEMPT=y)
		fi
	fi
	;;
*)
	echo "kslab: unsupported ARCH=$ARCH (use x86_64, arm64, arm64-16k or arm64-64k)" >&2
	exit 2
	;;
esac

"$REPO/scripts/setup.sh" "$KERNEL"
SRC=$(kernel_src "$KERNEL")
BUILD="$CACHE/build/qemu-$ARCH-$KERNEL-kunit"
"$REPO/scripts/graft.sh" "$SRC"

mkdir -p "$BUILD"
cd "$SRC"
echo "kslab: kunit.py run on QEMU $ARCH $KERNEL (build dir $BUILD)"
set +e
python3 tools/testing/kunit/kunit.py run \
	--kunitconfig="$REPO/kunit/kslab.kunitconfig" "${ARGS[@]}" \
	--build_dir="$BUILD" --jobs="$JOBS" --timeout=900 "$@" 2>&1 |
	tee "${KSLAB_KUNIT_LOG:-$BUILD/kslab-kunit.log}"
rc=${PIPESTATUS[0]}
kunit_run_ok "${KSLAB_KUNIT_LOG:-$BUILD/kslab-kunit.log}" "$rc" || rc=$?
set -e
echo "kslab: QEMU $ARCH $KERNEL kunit.py exit status $rc"
# kunit.py judges the KTAP only: lockdep, DEBUG_LIST, the sleep checks and
# any WARN or BUG print to the console (test.log), and each fails the run.
if grep -E "BUG:|WARNING:|Oops|possible (recursive|circular) locking|inconsistent lock state|list_(add|del) corruption|sleeping function called" \
	"$BUILD/test.log"; then
	echo "kslab: kernel report in the console of QEMU $ARCH $KERNEL (above)" >&2
	[ "$rc" = 0 ] && rc=1
fi
exit "$rc"
