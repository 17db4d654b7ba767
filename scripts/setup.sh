#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# setup.sh - install what kslab's runs need and extract the kernel sources.
#
# Usage: scripts/setup.sh [6.12|6.1|7.3|all]   (default: all)
#
# Installs the missing Debian packages with apt-get when run as root, or
# prints the exact apt-get line and fails when not. Then extracts Debian's
# /usr/src/linux-source-<ver>.tar.xz once into $KSLAB_CACHE/src/ (default
# ~/.cache/kslab). It never writes into /usr/src or into the repository.
# Versions bookworm does not serve (7.3: trixie-backports) are fetched with
# apt-get download through a private apt configuration
# (scripts/apt-suite.sh) and their tarball taken out of the .deb with
# dpkg-deb, so nothing is installed and the system's sources stay as they
# are.
#
# Env: KSLAB_CACHE  cache root (sources and kernel build directories)
#      KSLAB_EXTRA_PKGS  more packages to install (used by later runners)
set -eu

CACHE=${KSLAB_CACHE:-$HOME/.cache/kslab}
WHICH=${1:-all}

case "$WHICH" in
6.12) VERS="6.12" ;;
6.1) VERS="6.1" ;;
7.3) VERS="7.3" ;;
all) VERS="6.12 6.1 7.3" ;;
*) echo "usage: $0 [6.12|6.1|7.3|all]" >&2; exit 2 ;;
esac

# The suite serving linux-source-<ver>, when bookworm does not.
other_suite() {
	case "$1" in
	7.3) echo trixie-backports ;;
	esac
}

# Build tools for kbuild/UML, a static busybox for the hostfs-root insmod
# run, python3 for kunit.py, perl for checkpatch.pl.
PKGS="build-essential flex bison bc libelf-dev libssl-dev cpio xz-utils
      busybox-static python3 perl kmod rsync ${KSLAB_EXTRA_PKGS:-}"
for v in $VERS; do
	[ -n "$(other_suite "$v")" ] || PKGS="$PKGS linux-source-$v"
done

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
	     grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done

if [ -n "$missing" ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "kslab: missing packages. Run as root:" >&2
		echo "  apt-get update && apt-get install -y --no-install-recommends$missing" >&2
		exit 1
	fi
	echo "kslab: installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q >/dev/null
	# shellcheck disable=SC2086
	apt-get install -y -q --no-install-recommends $missing >/dev/null
fi

# other_tarball <ver>: linux-source-<ver>'s tarball, from the .deb that
# apt-get download fetched into $CACHE/debs (kept, so a rerun is offline).
other_tarball() {
	local v=$1 deb out=$CACHE/debs/linux-source-$1
	deb=$(ls "$out"/linux-source-"$v"_*.deb 2>/dev/null | head -n1)
	if [ -z "$deb" ]; then
		echo "kslab: apt-get download linux-source-$v ($(other_suite "$v"), private apt configuration)" >&2
		"$(dirname "$0")/apt-suite.sh" "$(other_suite "$v")" download \
			"$out" "linux-source-$v" >&2
		deb=$(ls "$out"/linux-source-"$v"_*.deb | head -n1)
	fi
	if [ ! -f "$out/linux-source-$v.tar.xz" ] ||
	   [ "$deb" -nt "$out/linux-source-$v.tar.xz" ]; then
		dpkg-deb --fsys-tarfile "$deb" |
			tar -C "$out" -x --strip-components=3 \
			    "./usr/src/linux-source-$v.tar.xz"
	fi
	echo "$out/linux-source-$v.tar.xz"
}

mkdir -p "$CACHE/src"
for v in $VERS; do
	if [ -n "$(other_suite "$v")" ]; then
		tarball=$(other_tarball "$v")
	else
		tarball=$(ls /usr/src/linux-source-"$v".tar.* 2>/dev/null | head -n1)
	fi
	dst="$CACHE/src/linux-source-$v"
	stamp="$dst/.kslab-extracted"
	if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$(stat -c %Y "$tarball")" ]; then
		continue
	fi
	echo "kslab: extracting $tarball into $CACHE/src"
	rm -rf "$dst"
	tar -C "$CACHE/src" -xf "$tarball"
	stat -c %Y "$tarball" > "$stamp"
done
