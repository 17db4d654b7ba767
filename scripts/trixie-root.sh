#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# trixie-root.sh - a Debian 13 (trixie) root with trixie-backports, made
# by debootstrap from Debian's packages and cached in
# $KSLAB_CACHE/roots/trixie: the build environment of a Debian 13 user,
# for modules against Debian's 7.x linux-headers packages. Those need
# trixie's gcc-14 (-fmin-function-alignment=) and their kbuild binaries
# (modpost, objtool) glibc 2.38, which Debian 12 has neither of
# (Documentation/testing.rst, "Debian's stock kernels").
#
# Usage: scripts/trixie-root.sh install <package>...
#        scripts/trixie-root.sh run <command> [<argument>...]
#
# install: installs the packages with apt-get inside the root,
# trixie-backports preferred (linux-headers-7.* are only there), and
# prints the root's path on stdout. run: runs the command in the root
# with an empty environment but PATH and the locale (objtool reads
# /proc). The host's apt sources and state are not touched; the root's
# own apt runs inside the chroot, and /proc is mounted there for the time
# of the call only.
set -eu
. "$(dirname "$0")/lib.sh"

usage() {
	echo "usage: $0 install <package>... | run <command> [<argument>...]" >&2
	exit 2
}
[ "$#" -gt 1 ] || usage
VERB=$1
shift
case "$VERB" in
install|run) ;;
*) usage ;;
esac
if [ "$(id -u)" -ne 0 ]; then
	echo "kslab: a trixie root needs debootstrap and chroot: run as root" >&2
	exit 1
fi
R=$CACHE/roots/trixie
MIRROR=$(debian_mirror)

# Every mount under the root goes before the script ends, on any exit.
cleanup() {
	mountpoint -q "$R/proc" && umount "$R/proc"
	return 0
}
trap cleanup EXIT

in_root() {
	chroot "$R" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 "$@"
}

if [ "$VERB" = run ]; then
	[ -f "$R/.kslab-root" ] || { echo "kslab: no trixie root yet: $0 install first" >&2; exit 1; }
	mountpoint -q "$R/proc" || mount -t proc proc "$R/proc"
	st=0
	in_root "$@" || st=$?
	exit "$st"
fi

KSLAB_EXTRA_PKGS="debootstrap ${KSLAB_EXTRA_PKGS:-}" \
	"$REPO/scripts/setup.sh" 6.12 >&2
if [ "$(cat "$R/.kslab-root" 2>/dev/null)" != "trixie $MIRROR" ]; then
	echo "kslab: debootstrap --variant=minbase trixie $R $MIRROR" >&2
	cleanup
	rm -rf "$R"
	mkdir -p "$R"
	debootstrap --variant=minbase trixie "$R" "$MIRROR" \
		>"$CACHE/roots/trixie-debootstrap.log" 2>&1 || {
		tail -n 20 "$CACHE/roots/trixie-debootstrap.log" >&2
		echo "kslab: debootstrap failed ($CACHE/roots/trixie-debootstrap.log)" >&2
		exit 1
	}
	echo "deb $MIRROR trixie-backports main" \
		>"$R/etc/apt/sources.list.d/backports.list"
	echo "trixie $MIRROR" >"$R/.kslab-root"
	rm -f "$R/.kslab-lists"
fi
cp /etc/resolv.conf "$R/etc/resolv.conf"
mountpoint -q "$R/proc" || mount -t proc proc "$R/proc"

# Lists older than a day are fetched again, as apt-suite.sh does.
if [ -z "$(find "$R/.kslab-lists" -mmin -1440 2>/dev/null)" ]; then
	echo "kslab: apt-get update in the trixie root" >&2
	in_root apt-get -q update >"$R/.kslab-update.log" 2>&1 || {
		cat "$R/.kslab-update.log" >&2
		exit 1
	}
	touch "$R/.kslab-lists"
fi
missing=""
for p in "$@"; do
	in_root dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
		grep -q 'ok installed' || missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "kslab: apt-get install in the trixie root:$missing" >&2
	# shellcheck disable=SC2086 # one word per package
	in_root apt-get -q -y --no-install-recommends -t trixie-backports \
		install $missing >"$R/.kslab-install.log" 2>&1 || {
		tail -n 30 "$R/.kslab-install.log" >&2
		echo "kslab: apt-get install in the trixie root failed" >&2
		exit 1
	}
fi
echo "$R"
