# SPDX-License-Identifier: GPL-2.0
# lib.sh - shared paths of kslab's runners; sourced, not run.
#
# KSLAB_CACHE (default ~/.cache/kslab) holds src/linux-source-<ver>/ and
# build/<target>/; nothing is written to /usr/src or into the repository.

REPO=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${KSLAB_CACHE:-$HOME/.cache/kslab}
JOBS=${JOBS:-$(nproc)}

# kslab_lock: one run per cache at a time. The runners re-point and
# rm -rf shared directories under $CACHE, so a second `make test`,
# `make stock` or `make board` on the same cache waits for nothing and
# stops here, naming the run that holds it. Scripts started by a runner
# that holds the lock inherit it (KSLAB_LOCK_HELD and fd 9). QEMU and
# UML run under `timeout --foreground`: in timeout's own process group a
# Ctrl-C would never reach them, and they would outlive the run.
kslab_lock() {
	[ -n "${KSLAB_LOCK_HELD:-}" ] && return 0
	mkdir -p "$CACHE"
	exec 9>>"$CACHE/.lock"
	if ! flock -n 9; then
		echo "kslab: another kslab run uses $CACHE ($(cat "$CACHE/.lock.who" 2>/dev/null || echo unknown)); wait for it to end, or give this run its own cache: KSLAB_CACHE=<dir>" >&2
		exit 1
	fi
	echo "pid $$: $(basename "$0") $*, since $(date -u +%H:%M:%SZ)" >"$CACHE/.lock.who"
	export KSLAB_LOCK_HELD=1
}

# QEMU exits normally on a Ctrl-C, so bash would go on to the next boot
# or step: every runner stops instead (its EXIT traps still run).
trap 'echo "kslab: interrupted ($(basename "$0"))" >&2; exit 130' INT TERM

# kernel_src <6.12|6.1>: path of the extracted Debian source tree.
kernel_src() {
	echo "$CACHE/src/linux-source-$1"
}

# uml_build <6.12|6.1>: the one UML build directory of that version
# (scripts/configs/uml.config), shared by kunit.sh, uml-insmod.sh and
# bench.sh. The two that earlier versions kept, uml-<ver>-kunit and
# uml-<ver>-mod, are removed with a note.
uml_build() {
	local old
	for old in "$CACHE/build/uml-$1-kunit" "$CACHE/build/uml-$1-mod"; do
		[ -d "$old" ] || continue
		echo "kslab: removing $old: one UML kernel per version now" >&2
		rm -rf "$old" "$old.build.log"
	done
	echo "$CACHE/build/uml-$1"
}

check_kernel() {
	case "$1" in
	6.12|6.1|7.3) ;;
	*) echo "kslab: unsupported KERNEL=$1 (use 7.3, 6.12 or 6.1)" >&2; exit 2 ;;
	esac
}

# kunit_run_ok <kunit.py run output> <kunit.py status>: kunit.py exits 0
# on a suite whose KTAP was cut short (a "[CRASHED]" suite, "errors:" in
# the total), so the total line is checked as well. Returns the status to
# use, after saying why.
kunit_run_ok() {
	local total
	total=$(grep 'Testing complete' "$1" | tail -1)
	if [ "$2" = 0 ] && { [ -z "$total" ] ||
	   echo "$total" | grep -qE 'errors:|failed:|crashed:'; }; then
		echo "kslab: kunit.py exited 0, but its result is: ${total:-no total line}" >&2
		return 1
	fi
	return "$2"
}

# console_ktap <console log> <out prefix> <kunit.py>: parse the module's
# KTAP printed between the round-1 insmod markers. 6.1 prints no top-level
# header and plan for a module's suites (6.12 does), so they are supplied
# with the number of suites the repository defines: a missing suite is a
# parse error, not a silent pass. Returns non-zero on any failure.
console_ktap() {
	local log=$1 out=$2 kunit=$3 suites nsuites st=0
	suites=$(sed -n 's/^\t\.name = "\(kslab_[a-z_]*\)",$/\1/p' "$REPO"/kunit/*_kunit.c)
	nsuites=$(echo "$suites" | wc -w)
	sed -n '/KSLAB-MARK round 1 insmod/,/KSLAB-MARK round 1 tests done/p' "$log" |
		grep -v KSLAB-MARK | sed 's/\r$//' >"$out.console"
	if grep -q '^KTAP version' "$out.console"; then
		cp "$out.console" "$out.ktap"
	else
		printf 'KTAP version 1\n1..%s\n' "$nsuites" | cat - "$out.console" >"$out.ktap"
	fi
	echo "kslab: kunit.py parse of the module's KTAP ($nsuites suites: $(echo $suites))"
	$kunit parse "$out.ktap" >"$out.parse" 2>&1 || st=$?
	grep -E '\[(FAILED|CRASHED|ERROR)\]|Expected|Testing complete' "$out.parse"
	if [ "$st" != 0 ] || grep -qE 'errors:|failed:|crashed:' "$out.parse" ||
	   ! grep -q 'Testing complete' "$out.parse"; then
		return 1
	fi
}

# console_clean <console log>: fail on kslab failures, kernel warnings,
# BUGs and oopses from kslab's first insmod on (the kernel's own boot may
# warn about unrelated hardware).
console_clean() {
	if sed -n '/KSLAB-MARK round 1 insmod/,$p' "$1" |
		grep -E "KSLAB-FAIL|BUG:|WARNING:|Oops|kslab: leak: [0-9]+ pages"; then
		echo "kslab: failure, kernel warning or leak in the console" >&2
		return 1
	fi
}

# check_geometry <dir>: <dir>/geometry (kslab's debugfs) must equal
# <dir>/sysfs-geometry (the same columns read from /sys/kernel/slab), and
# <dir>/compare must have no MISMATCH line. Returns non-zero otherwise.
check_geometry() {
	local dir=$1 rc=0
	echo "kslab: diff of debugfs geometry against /sys/kernel/slab/kmalloc-*:"
	if grep -v '^#' "$dir/geometry" | tail -n +2 | diff - "$dir/sysfs-geometry"; then
		echo "kslab: (empty diff: geometry matches the real caches)"
	else
		rc=1
	fi
	if grep MISMATCH "$dir/compare" || [ ! -s "$dir/compare" ]; then
		echo "kslab: debugfs compare has a MISMATCH or is missing" >&2
		rc=1
	fi
	return "$rc"
}

# check_kmemleak FILE: the kmemleak report taken after kslab_leakprobe.ko
# was loaded must hold exactly one object of the kslab run, the probe's
# deliberate leak (its hex dump shows its name). An object of the run is
# one whose backtrace names kslab or whose allocating task is a KUnit case,
# insmod or rmmod: UML's kmemleak prints empty backtraces, so the task is
# what attributes a leak there. Any other such report is a leak of kslab's
# or its suites', or a false positive; either fails.
check_kmemleak() {
	local f=$1
	[ -f "$f" ] || { echo "kslab: no kmemleak report (kernel without CONFIG_DEBUG_KMEMLEAK?)" >&2; return 1; }
	awk '
		/^unreferenced object/ { flush(); e = $0; next }
		{ e = e "\n" $0 }
		function flush() {
			if (e ~ /kslab/ || e ~ /comm "(kunit_try_catch|insmod|rmmod)"/) {
				n++
				if (e ~ /kslab-leak-probe/ || e ~ /leak_one/) probe++
				else { bad++; print "kslab: kmemleak report of the kslab run:\n" e > "/dev/stderr" }
			}
			e = ""
		}
		END {
			flush()
			printf "kslab: kmemleak after the suites: %d report(s) of the kslab run, %d the deliberate leak, %d other(s)\n", n, probe, bad
			exit !(probe == 1 && bad == 0)
		}' "$f"
}

# The Debian mirror the system's sources name (their first URIs:/deb
# line), so that other suites come from the same host.
debian_mirror() {
	local m
	m=$(sed -n 's/^URIs: *\(http[^ ]*debian\)$/\1/p' \
		/etc/apt/sources.list.d/*.sources 2>/dev/null | head -n1)
	[ -n "$m" ] || m=$(sed -n 's/^deb \(\[[^]]*\] \)\?\(http[^ ]*\) .*/\2/p' \
		/etc/apt/sources.list 2>/dev/null | head -n1)
	echo "${m:-http://deb.debian.org/debian}"
}

# UML runs SMP from v7.0 on, with seccomp userspace (arch/um/Kconfig:89-111,
# arch/um/os-Linux/start_up.c:485): the 7.3 UML kernel has 2 CPUs, so the
# multi-CPU dynamics traces run at native speed (Documentation/dynamics.rst,
# "Linux 7.3").
# uml_smp_kconfig <kernel>: its kunit.py --kconfig_add options, one per
# line; uml_smp_boot <kernel>: its boot arguments. Both empty before 7.x.
uml_smp_kconfig() {
	case "$1" in
	7.*) printf '%s\n' --kconfig_add=CONFIG_SMP=y --kconfig_add=CONFIG_NR_CPUS=4 ;;
	esac
}
uml_smp_boot() {
	case "$1" in
	7.*) printf '%s\n' ncpus=2 seccomp=on ;;
	esac
}
