#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# checkpatch.sh - checkpatch.pl --strict on every kslab source file, with
# the script of the extracted 6.12 linux-source tree. Only kslab/compat.h
# may test LINUX_VERSION_CODE. Then kernel-doc -Wall on the public header,
# include/kslab.h, and scripts/docs.sh check: the bad-input table of
# Documentation/testing.rst against kunit/misuse_kunit.c. Exits non-zero
# on any error, warning or check.
set -eu
. "$(dirname "$0")/lib.sh"

"$REPO/scripts/setup.sh" 6.12 >/dev/null
CP="perl $(kernel_src 6.12)/scripts/checkpatch.pl --no-tree --strict --terse -q"
cd "$REPO"
rc=0
for f in $(git ls-files '*.c' '*.h' 2>/dev/null || find . -name '*.[ch]'); do
	ignore=""
	[ "$f" = kslab/compat.h ] && ignore="--ignore LINUX_VERSION_CODE,MACRO_ARG_UNUSED"
	# Trace event macros are laid out as in include/trace/events/*.h.
	[ "$f" = kslab/check/trace.h ] && ignore="--ignore OPEN_ENDED_LINE,PARENTHESIS_ALIGNMENT"
	# KUnit's API without KUnit: the macros are laid out as
	# include/kunit/test.h's (arguments used twice, typeof() casts), and
	# the suite list is an X-macro.
	[ "$f" = kunit/ktap.h ] && ignore="--ignore MACRO_ARG_REUSE,SPACING"
	[ "$f" = kunit/ktap.c ] && ignore="--ignore COMPLEX_MACRO,TRAILING_SEMICOLON"
	# shellcheck disable=SC2086
	out=$($CP $ignore -f "$f" 2>&1 | grep -v '^total: 0 errors, 0 warnings, 0 checks') || true
	if [ -n "$out" ]; then
		echo "$out"
		rc=1
	fi
done
[ "$rc" = 0 ] && echo "kslab: checkpatch.pl --strict: clean"
out=$(perl "$(kernel_src 6.12)/scripts/kernel-doc" -none -Wall include/kslab.h 2>&1)
if [ -n "$out" ]; then
	echo "$out"
	echo "kslab: kernel-doc -Wall include/kslab.h: warnings above" >&2
	rc=1
else
	echo "kslab: kernel-doc -Wall include/kslab.h: clean"
fi
"$REPO/scripts/docs.sh" check || rc=1
exit "$rc"
