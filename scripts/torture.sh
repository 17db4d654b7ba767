#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# torture.sh - the kslab_torture suite (kunit/torture_kunit.c) alone on
# QEMU x86_64 with 4 CPUs, for a long run: OPS allocations and frees.
#
# Usage: scripts/torture.sh [OPS] [6.12|6.1]   (default: 2000000 6.12)
#
# Uses scripts/kunit-qemu.sh x86_64's kernel and build directory
# ($KSLAB_CACHE/build/qemu-x86_64-<ver>-kunit), booted with
# kslab_kunit.torture_ops=OPS. The suite cuts its rounds at 100 s each
# (KUnit's own timeout per case is 300 s) and runs rounds until OPS is
# reached; kunit.py's timeout grows with OPS (at least 500 operations a
# second assumed, which TCG beats by far). Prints the suite's figures at
# the end. Exits with kunit.py's status.
set -eu
. "$(dirname "$0")/lib.sh"
kslab_lock "$@"

OPS=${1:-2000000}
KERNEL=${2:-6.12}
check_kernel "$KERNEL"
case "$OPS" in ''|*[!0-9]*) echo "kslab: OPS=$OPS is not a number" >&2; exit 2 ;; esac

BUILD="$CACHE/build/qemu-x86_64-$KERNEL-kunit"
export KSLAB_KUNIT_LOG="${KSLAB_KUNIT_LOG:-$BUILD/kslab-torture.log}"
TIMEOUT=$((900 + OPS / 500))
echo "kslab: torture on QEMU x86_64 $KERNEL, 4 CPUs, $OPS operations (kunit.py timeout ${TIMEOUT}s)"
t0=$SECONDS
rc=0
KSLAB_QEMU_SMP=4 "$REPO/scripts/kunit-qemu.sh" x86_64 "$KERNEL" \
	--kernel_args=kslab_kunit.torture_ops="$OPS" --timeout="$TIMEOUT" \
	'kslab_torture*' || rc=$?
echo "kslab: torture figures (kunit.py's raw console $BUILD/test.log):"
tr -d '\r' <"$BUILD/test.log" 2>/dev/null | sed -n 's/.*\(kslab-torture: .*\)/\1/p' || true
echo "kslab: torture run took $((SECONDS - t0))s, kunit.py exit status $rc"
exit "$rc"
