#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# setup.sh - install what kslab's runs need and extract the kernel sources.
#
# Usage: scripts/setup.sh [6.12|6.1|all]   (default: all)
#
# Installs the missing Debian packages with apt-get when run as root, or
# prints the exact apt-get line and fails when not. Then extracts Debian's
# /usr/src/linux-source-<ver>.tar.xz once into $KSLAB_CACHE/src/ (default
# ~/.cache/kslab). It never writes into /usr/src or into the repository.
#
# Env: KSLAB_CACHE  cache root (sources and kernel build directories)
#      KSLAB_EXTRA_PKGS  more packages to install (used by later runners)
set -eu

CACHE=${KSLAB_CACHE:-$HOME/.cache/kslab}
WHICH=${1:-all}

case "$WHICH" in
6.12) VERS="6.12" ;;
6.1) VERS="6.1" ;;
all) VERS="6.12 6.1" ;;
*) echo "usage: $0 [6.12|6.1|all]" >&2; exit 2 ;;
esac

# Build tools for kbuild/UML, a static busybox for the hostfs-root insmod
# run, python3 for kunit.py, perl for checkpatch.pl.
PKGS="build-essential flex bison bc libelf-dev libssl-dev cpio xz-utils
      busybox-static python3 perl kmod rsync ${KSLAB_EXTRA_PKGS:-}"
for v in $VERS; do
	PKGS="$PKGS linux-source-$v"
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

mkdir -p "$CACHE/src"
for v in $VERS; do
	tarball=$(ls /usr/src/linux-source-"$v".tar.* 2>/dev/null | head -n1)
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
