#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench.sh - kslab against the real kmalloc in one boot: runs the
# kslab_bench suite (kunit/bench_kunit.c) and tabulates its timings. A
# benchmark, not a test: it fails only when the run or the table does,
# never on speed.
#
# Usage: scripts/bench.sh [uml|x86_64] [6.12|6.1]   (default: uml 6.12)
#
#   uml:    scripts/kunit.sh's kernel and build directory
#           ($KSLAB_CACHE/build/uml-<ver>): native speed, 1 CPU.
#   x86_64: scripts/kunit-qemu.sh x86_64's kernel and build directory
#           ($KSLAB_CACHE/build/qemu-x86_64-<ver>-kunit) with -smp 4.
#           TCG time is not CPU time: only the ratios mean something.
#
# Env: BENCH_ROUNDS  best of this many rounds (default 5)
#      BENCH_QUICK   1: a tenth of the loops, replacement up to 64k live
#                    objects (the smoke run of scripts/test.sh)
#      BENCH_KERNEL_ARGS  more kernel parameters, e.g. kslab.stats=0
#      KSLAB_CACHE   cache root, as for every runner
#
# Writes $KSLAB_CACHE/bench/bench-<target>-<ver>-<date>.{md,png,log} and
# copies the table and plot to latest-<target>.{md,png} (not for a quick
# run: its files end in -quick). Exits non-zero if
# kunit.py failed or a row of the table is missing.
set -eu
. "$(dirname "$0")/lib.sh"
kslab_lock "$@"

TARGET=${1:-uml}
KERNEL=${2:-6.12}
ROUNDS=${BENCH_ROUNDS:-5}
QUICK=${BENCH_QUICK:-0}
check_kernel "$KERNEL"
case "$TARGET" in
uml|um) TARGET=uml; BUILD="$CACHE/build/uml-$KERNEL" ;;
x86_64) BUILD="$CACHE/build/qemu-x86_64-$KERNEL-kunit" ;;
*) echo "kslab: unsupported bench target $TARGET (use uml or x86_64)" >&2; exit 2 ;;
esac
case "$ROUNDS" in ''|*[!0-9]*) echo "kslab: BENCH_ROUNDS=$ROUNDS is not a number" >&2; exit 2 ;; esac

KSLAB_EXTRA_PKGS="gnuplot-nox" "$REPO/scripts/setup.sh" "$KERNEL"
OUT="$CACHE/bench"
mkdir -p "$OUT"
STAMP=$(date +%Y%m%d-%H%M%S)
BASE="$OUT/bench-$TARGET-$KERNEL-$STAMP"
[ "$QUICK" = 1 ] && BASE="$BASE-quick"
export KSLAB_KUNIT_LOG="$BASE.log"

ARGS=(--kernel_args=kslab_kunit.bench=1
      --kernel_args=kslab_kunit.bench_rounds="$ROUNDS"
      --kernel_args=kslab_kunit.bench_quick="$QUICK")
for a in ${BENCH_KERNEL_ARGS:-}; do
	ARGS+=(--kernel_args="$a")
done
t0=$SECONDS
rc=0
if [ "$TARGET" = uml ]; then
	"$REPO/scripts/kunit.sh" "$KERNEL" "${ARGS[@]}" --timeout=1800 \
		kslab_bench || rc=$?
else
	KSLAB_QEMU_SMP=4 "$REPO/scripts/kunit-qemu.sh" x86_64 "$KERNEL" \
		"${ARGS[@]}" --timeout=3600 kslab_bench || rc=$?
fi
elapsed=$((SECONDS - t0))
if [ "$rc" != 0 ]; then
	echo "kslab: bench run failed (kunit.py status $rc); log $KSLAB_KUNIT_LOG" >&2
	exit "$rc"
fi

# kunit.py keeps the raw console in test.log; the suite prints
# "kslab-bench: <workload> key=value ..." lines (kunit_info).
tr -d '\r' <"$BUILD/test.log" | sed -n 's/.*kslab-bench: //p' >"$BASE.txt"

# Rows the suite must have printed: from its parameter arrays.
array() {
	sed -n "/^static const unsigned [a-z]* $1\[\] = {/,/^};/p" \
		"$REPO/kunit/bench_kunit.c" | tail -n +2 | grep -o '[0-9]\+'
}
cpus=$(sed -n 's/^info cpus=\([0-9]*\) .*/\1/p' "$BASE.txt")
nsizes=$(array bench_sizes | wc -l)
expected=$((1 + 3 * nsizes))				# info; pair, batch, bulk
for live in $(array bench_live); do
	[ "$QUICK" = 1 ] && [ "$live" -gt 65536 ] && continue
	expected=$((expected + 1))
done
expected=$((expected + 1))				# threads=1
[ "${cpus:-1}" -gt 1 ] && expected=$((expected + 2))	# cross, threads=N
got=$(wc -l <"$BASE.txt")

# The markdown table.
release=$(sed -n 's/^info .*kernel=\([^ ]*\).*/\1/p' "$BASE.txt")
{
	echo "# kslab bench: $TARGET, kernel $release, $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo
	echo "\`$(grep '^info ' "$BASE.txt")\`"
	echo
	echo "ns per object allocated and freed, best of $ROUNDS rounds;" \
	     "ratio = kslab / kmalloc (below 1: kslab faster)."
	[ "$TARGET" = x86_64 ] &&
		echo "QEMU TCG: the times are emulation time, not CPU time; only the ratios count."
	echo
	echo "| workload | size | parameter | kslab ns | kmalloc ns | ratio |"
	echo "|---|---:|---|---:|---:|---:|"
	awk '$1 != "info" {
		delete kv; param = ""
		for (i = 2; i <= NF; i++) {
			split($i, f, "="); kv[f[1]] = f[2]
			if (f[1] != "size" && f[1] !~ /_ns$/ && f[1] != "ratio")
				param = param (param == "" ? "" : " ") $i
		}
		printf "| %s | %s | %s | %s | %s | %s |\n", $1, kv["size"],
		       param, kv["kslab_ns"], kv["kmalloc_ns"], kv["ratio"]
	}' "$BASE.txt"
	echo
	echo "$got of $expected expected lines; kunit.py run took ${elapsed}s."
} >"$BASE.md"

# The plot: ratio per size class for pair, batch and bulk.
awk '$1 == "pair" || $1 == "batch" || $1 == "bulk" {
	split($2, s, "="); n = split($NF, r, "=")
	v[s[2], $1] = r[2]; if (!(s[2] in seen)) { seen[s[2]] = 1; order[++k] = s[2] }
} END {
	for (i = 1; i <= k; i++)
		print order[i], v[order[i], "pair"], v[order[i], "batch"], v[order[i], "bulk"]
}' "$BASE.txt" >"$BASE.dat"
note=""
[ "$TARGET" = x86_64 ] && note=" (QEMU TCG: only ratios count)"
xtics=$(awk '{ printf "%s%s", (NR > 1 ? ", " : ""), $1 }' "$BASE.dat")
gnuplot <<EOF
set terminal png size 1000,520 noenhanced
set output '$BASE.png'
set title 'kslab / kmalloc time per object, $TARGET $release$note'
set logscale x 2
set xtics ($xtics) rotate by -45
set xlabel 'object size (bytes)'
set ylabel 'ratio kslab / kmalloc'
set xrange [6:11000]
set yrange [0:*]
set grid
set key top right
plot '$BASE.dat' using 1:2 with linespoints title 'pair (alloc+free)', \
     '' using 1:3 with linespoints title 'batch of 1024', \
     '' using 1:4 with linespoints title 'bulk API, 1024', \
     1 with lines dashtype 2 notitle
EOF
cat "$BASE.md"
if [ "$QUICK" = 1 ]; then
	echo "kslab: wrote $BASE.md, $BASE.png (a quick run: latest-$TARGET.* left as they were)"
else
	cp "$BASE.md" "$OUT/latest-$TARGET.md"
	cp "$BASE.png" "$OUT/latest-$TARGET.png"
	echo "kslab: wrote $BASE.md, $BASE.png (and latest-$TARGET.{md,png})"
fi
[ "$TARGET" = x86_64 ] &&
	echo "kslab: QEMU TCG timings are emulation time, not CPU time: only the ratios count"
if [ "$got" != "$expected" ]; then
	echo "kslab: bench table has $got lines, expected $expected" >&2
	exit 1
fi
