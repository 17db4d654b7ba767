#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# apt-suite.sh - apt-get on another Debian suite through a private apt
# configuration under $KSLAB_CACHE/apt/<suite>, never the system's sources.
#
# Usage: scripts/apt-suite.sh <suite> update
#        scripts/apt-suite.sh <suite> download <dir> <pkg>...
#        scripts/apt-suite.sh <suite> <apt-cache verb> <args>...
#
# <suite> is trixie, trixie-backports, sid or bullseye (or any suite the
# mirror serves). The mirror is the one the system's sources name (its
# first URIs:/deb line), so the private lists come from the same host.
# The private configuration is a sources.list and its own lists, cache and
# status directories, passed with -o Dir::Etc::sourcelist= and friends;
# /etc/apt and /var/lib/apt are only read (the keyring).
set -eu
. "$(dirname "$0")/lib.sh"

SUITE=${1:?usage: $0 <suite> update|download|<apt-cache verb> ...}
VERB=${2:?usage: $0 <suite> update|download|<apt-cache verb> ...}
shift 2
D=$CACHE/apt/$SUITE

OPTS=(-o "Dir::Etc::sourcelist=$D/sources.list" -o "Dir::Etc::sourceparts=-"
      -o "Dir::State::Lists=$D/lists" -o "Dir::Cache=$D/cache"
      -o "Dir::State::status=$D/status" -o "APT::Get::List-Cleanup=0"
      -o "Debug::NoLocking=1" -o "APT::Sandbox::User=root")
# bullseye's Release is signed by the bullseye keys, in Debian 12's
# debian-archive-keyring as well.
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

setup() {
	mkdir -p "$D/lists/partial" "$D/cache/archives/partial"
	[ -f "$D/status" ] || : >"$D/status"
	echo "deb [signed-by=$KEYRING] $(debian_mirror) $SUITE main" >"$D/sources.list.new"
	if ! cmp -s "$D/sources.list.new" "$D/sources.list" 2>/dev/null; then
		mv "$D/sources.list.new" "$D/sources.list"
		rm -f "$D/lists.stamp"
	else
		rm -f "$D/sources.list.new"
	fi
}

update() {
	setup
	# Lists older than a day are fetched again.
	if [ -f "$D/lists.stamp" ] &&
	   [ -n "$(find "$D/lists.stamp" -mmin -1440 2>/dev/null)" ]; then
		return 0
	fi
	echo "kslab: apt-get update of $SUITE (private lists in $D)" >&2
	apt-get "${OPTS[@]}" -q update >"$D/update.log" 2>&1 || {
		cat "$D/update.log" >&2
		echo "kslab: apt-get update of $SUITE failed (log $D/update.log)" >&2
		return 1
	}
	touch "$D/lists.stamp"
}

case "$VERB" in
update) update ;;
download)
	dir=${1:?download needs a directory}
	shift
	update
	mkdir -p "$dir"
	(cd "$dir" && apt-get "${OPTS[@]}" -q download "$@")
	;;
*)
	update
	apt-cache "${OPTS[@]}" "$VERB" "$@"
	;;
esac
