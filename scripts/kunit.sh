#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kunit.sh - run kslab's KUnit suites built into a UML kernel via kunit.py.
#
# Usage: scripts/kunit.sh [6.12|6.1] [extra kunit.py run arguments]
#
# Grafts the repository into the cached copy of the kernel tree as
# drivers/misc/kslab (a symlink plus one line in drivers/misc/Kconfig and
# Makefile), then runs tools/testing/kunit/kunit.py run with
# kunit/kslab.kunitconfig. The build directory is
# $KSLAB_CACHE/build/uml-<ver>-kunit, so a second run is incremental.
# Exits with kunit.py's status: non-zero on any failed test.
set -eu
. "$(dirname "$0")/lib.sh"

KERNEL=${1:-6.12}
shift || true
check_kernel "$KERNEL"
"$REPO/scripts/setup.sh" "$KERNEL"

SRC=$(kernel_src "$KERNEL")
BUILD="$CACHE/build/uml-$KERNEL-kunit"

# The graft: idempotent, repointed at this checkout on every run.
ln -sfn "$REPO" "$SRC/drivers/misc/kslab"
grep -q 'drivers/misc/kslab/Kconfig' "$SRC/drivers/misc/Kconfig" ||
	sed -i '$i source "drivers/misc/kslab/Kconfig"' "$SRC/drivers/misc/Kconfig"
grep -q 'CONFIG_KSLAB)' "$SRC/drivers/misc/Makefile" ||
	echo 'obj-$(CONFIG_KSLAB)		+= kslab/' >> "$SRC/drivers/misc/Makefile"

mkdir -p "$BUILD"
cd "$SRC"
echo "kslab: kunit.py run on UML $KERNEL (build dir $BUILD)"
set +e
python3 tools/testing/kunit/kunit.py run \
	--kunitconfig="$REPO/kunit/kslab.kunitconfig" \
	--build_dir="$BUILD" --jobs="$JOBS" "$@" 2>&1 | tee "$BUILD/kslab-kunit.log"
rc=${PIPESTATUS[0]}
set -e
echo "kslab: UML $KERNEL kunit.py exit status $rc"
exit "$rc"
