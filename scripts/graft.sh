#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# graft.sh - make kslab part of a cached kernel tree for kunit.py:
# drivers/misc/kslab -> this checkout, plus one line each in
# drivers/misc/Kconfig and drivers/misc/Makefile. Idempotent; repointed
# at this checkout on every run; moving it cleans kslab's stale objects.
#
# kslab is built in when CONFIG_KSLAB=y (the QEMU kunit.py runs) or when
# make is given KSLAB_BUILTIN=y with no CONFIG_KSLAB (the UML kernel,
# scripts/kunit.sh): then one .config serves kunit.py with kslab built in
# and, linked without it, the UML insmod flow (Documentation/testing.rst,
# "One UML kernel").
#
# Usage: scripts/graft.sh <kernel source tree under $KSLAB_CACHE>
set -eu
. "$(dirname "$0")/lib.sh"
kslab_lock "$@"

SRC=${1:?usage: $0 <kernel source tree>}
case "$SRC" in
"$CACHE"/*) ;;
*) echo "kslab: refusing to graft outside $CACHE: $SRC" >&2; exit 2 ;;
esac
# kbuild compares timestamps, so objects built from another checkout could
# pass for up to date: when the graft moves, drop kslab's objects from
# every build directory of this tree.
old=$(readlink "$SRC/drivers/misc/kslab" 2>/dev/null || true)
if [ "$old" != "$REPO" ]; then
	[ -n "$old" ] && echo "kslab: graft moves from $old to $REPO; cleaning kslab objects"
	rm -rf "$CACHE"/build/*/drivers/misc/kslab
fi
ln -sfn "$REPO" "$SRC/drivers/misc/kslab"
grep -q 'drivers/misc/kslab/Kconfig' "$SRC/drivers/misc/Kconfig" ||
	sed -i '$i source "drivers/misc/kslab/Kconfig"' "$SRC/drivers/misc/Kconfig"
# An older graft's line (obj-$(CONFIG_KSLAB)) is replaced.
line='obj-$(if $(filter y,$(KSLAB_BUILTIN)),y,$(CONFIG_KSLAB))	+= kslab/'
if ! grep -qxF "$line" "$SRC/drivers/misc/Makefile"; then
	sed -i '/+= kslab\/$/d' "$SRC/drivers/misc/Makefile"
	echo "$line" >>"$SRC/drivers/misc/Makefile"
fi
