# SPDX-License-Identifier: GPL-2.0
# lib.sh - shared paths of kslab's runners; sourced, not run.
#
# KSLAB_CACHE (default ~/.cache/kslab) holds src/linux-source-<ver>/ and
# build/<target>/; nothing is written to /usr/src or into the repository.

REPO=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${KSLAB_CACHE:-$HOME/.cache/kslab}
JOBS=${JOBS:-$(nproc)}

# kernel_src <6.12|6.1>: path of the extracted Debian source tree.
kernel_src() {
	echo "$CACHE/src/linux-source-$1"
}

check_kernel() {
	case "$1" in
	6.12|6.1) ;;
	*) echo "kslab: unsupported KERNEL=$1 (use 6.12 or 6.1)" >&2; exit 2 ;;
	esac
}
