#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kunit.sh - run kslab's KUnit suites built into a UML kernel via kunit.py.
#
# Usage: scripts/kunit.sh [6.12|6.1|7.3] [extra kunit.py run arguments]
#
# Grafts the repository into the cached copy of the kernel tree as
# drivers/misc/kslab (scripts/graft.sh), then runs tools/testing/kunit/kunit.py run with
# scripts/configs/uml.config and make KSLAB_BUILTIN=y: the kernel of the
# UML insmod flow, with kslab built in (Documentation/testing.rst, "One
# UML kernel"). It boots with kmemleak=off. The build directory is $KSLAB_CACHE/build/uml-<ver>;
# a second run relinks vmlinux at most.
# kunit.py's output goes to $KSLAB_KUNIT_LOG (default kslab-kunit.log in
# the build directory; the raw console is kunit.py's test.log there).
# Exits with kunit.py's status: non-zero on any failed test.
set -eu
. "$(dirname "$0")/lib.sh"
kslab_lock "$@"

KERNEL=${1:-6.12}
shift || true
check_kernel "$KERNEL"
"$REPO/scripts/setup.sh" "$KERNEL"

# 7.3: SMP UML, 2 CPUs (lib.sh, uml_smp_kconfig).
mapfile -t UML_SMP < <(uml_smp_kconfig "$KERNEL"; uml_smp_boot "$KERNEL" |
			sed 's/^/--kernel_args=/')

SRC=$(kernel_src "$KERNEL")
BUILD=$(uml_build "$KERNEL")

"$REPO/scripts/graft.sh" "$SRC"

mkdir -p "$BUILD"
cd "$SRC"
echo "kslab: kunit.py run on UML $KERNEL (build dir $BUILD)"
set +e
python3 tools/testing/kunit/kunit.py run \
	--kunitconfig="$REPO/scripts/configs/uml.config" \
	--make_options=KSLAB_BUILTIN=y --kernel_args=kmemleak=off \
	--build_dir="$BUILD" --jobs="$JOBS" "${UML_SMP[@]}" "$@" 2>&1 |
	tee "${KSLAB_KUNIT_LOG:-$BUILD/kslab-kunit.log}"
rc=${PIPESTATUS[0]}
# --raw_output prints the KTAP unparsed, without the total line that
# kunit_run_ok reads: kunit.py's status is all there is then.
case " $* " in
*" --raw_output"*) ;;
*) kunit_run_ok "${KSLAB_KUNIT_LOG:-$BUILD/kslab-kunit.log}" "$rc" || rc=$? ;;
esac
set -e
echo "kslab: UML $KERNEL kunit.py exit status $rc"
exit "$rc"
