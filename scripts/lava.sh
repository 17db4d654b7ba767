#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# lava.sh - kslab's KUnit suites as LAVA jobs for the RockPI 4A, and their
# QEMU twin run locally with lava-run. Builds no kernel: it takes the 6.12
# board kernel and initramfs of scripts/board.sh (running it first if they
# are missing) and adds the RK3399 dtb from the same build directory.
#
# Usage: scripts/lava.sh [build|qemu]
#
#   build (make lava): $KSLAB_CACHE/build/lava-6.12/ gets
#     artifacts/Image                   the arm64 board kernel (QEMU virt and RK3399)
#     artifacts/rk3399-rock-pi-4a.dtb
#     artifacts/initramfs.cpio          kslab.ko, kslab_kunit.ko, the static init
#     kslab-rockpi4.yaml                job for device type rk3399-rock-pi-4b
#     kslab-qemu.yaml                   the same job for device type qemu
#   rendered from scripts/lava/*.yaml.jinja2 with the artifacts' URLs:
#   $KSLAB_LAVA_URL/<file> (where the lab will fetch them), file:// URLs of
#   artifacts/ when unset.
#
#   qemu (make test): build; check the board job against lava_common's
#   schema and with `lava-run --validate` on a rock-pi-4b device dictionary;
#   run the QEMU job with lava-run (device dictionary rendered from
#   lava-server's qemu.jinja2); pass only if every KTAP case is a LAVA test
#   case with the same result and LAVA's count equals kunit.py parse's for
#   the same console. Output in lava-6.12/run/.
#
# lava-run's exit status says only that the job ran: the results are the
# "results" lines of its log. Device-type templates come from Debian's
# lava-server package, extracted (apt-get download, dpkg-deb -x), not
# installed.
set -eu
. "$(dirname "$0")/lib.sh"
kslab_lock "$@"

MODE=${1:-build}
case "$MODE" in
build) PKGS="python3-jinja2 python3-yaml" ;;
qemu) PKGS="python3-jinja2 python3-yaml lava-dispatcher tftpd-hpa u-boot-tools qemu-system-arm" ;;
*) echo "usage: $0 [build|qemu]" >&2; exit 2 ;;
esac
KERNEL=6.12
export KSLAB_EXTRA_PKGS="gcc-aarch64-linux-gnu $PKGS"
"$REPO/scripts/setup.sh" "$KERNEL"

SRC=$(kernel_src "$KERNEL")
BUILD="$CACHE/build/board-arm64-$KERNEL"
BOARD="$CACHE/build/board-$KERNEL"
OUT="$CACHE/build/lava-$KERNEL"
PY=/usr/bin/python3
RENDER="$PY $REPO/scripts/lava/render.py"
KUNIT="python3 $SRC/tools/testing/kunit/kunit.py"
DTB=rockchip/rk3399-rock-pi-4a.dtb

if [ ! -f "$BOARD/initramfs.cpio" ] || [ ! -f "$BUILD/arch/arm64/boot/Image" ] ||
   ! grep -q '^CONFIG_ARCH_ROCKCHIP=y' "$BUILD/.config"; then
	echo "kslab: no RockPI board kernel yet: scripts/board.sh $KERNEL"
	"$REPO/scripts/board.sh" "$KERNEL" ||
		echo "kslab: the board flow failed; taking its artifacts if built" >&2
fi
grep -q '^CONFIG_ARCH_ROCKCHIP=y' "$BUILD/.config" ||
	{ echo "kslab: $BUILD has no CONFIG_ARCH_ROCKCHIP" >&2; exit 1; }

echo "kslab: $DTB in $BUILD"
make -s -C "$SRC" O="$BUILD" ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- \
	"$DTB" >"$OUT.dtb.log" 2>&1 || { cat "$OUT.dtb.log"; exit 1; }
mkdir -p "$OUT/artifacts"
cp "$BUILD/arch/arm64/boot/Image" "$BUILD/arch/arm64/boot/dts/$DTB" \
	"$BOARD/initramfs.cpio" "$OUT/artifacts/"

# render_jobs <dir> <base url>: both job definitions into <dir>.
render_jobs() {
	local dir=$1 url=$2
	mkdir -p "$dir"
	$RENDER job "$REPO/scripts/lava/kslab-rockpi4.yaml.jinja2" \
		kernel_url="$url/Image" dtb_url="$url/rk3399-rock-pi-4a.dtb" \
		ramdisk_url="$url/initramfs.cpio" >"$dir/kslab-rockpi4.yaml"
	$RENDER job "$REPO/scripts/lava/kslab-qemu.yaml.jinja2" \
		kernel_url="$url/Image" ramdisk_url="$url/initramfs.cpio" \
		>"$dir/kslab-qemu.yaml"
}
render_jobs "$OUT" "${KSLAB_LAVA_URL:-file://$OUT/artifacts}"
(cd "$OUT/artifacts" && sha256sum Image rk3399-rock-pi-4a.dtb initramfs.cpio >SHA256SUMS)
echo "kslab: LAVA artifacts and jobs in $OUT:"
ls -l "$OUT"/artifacts/* "$OUT"/*.yaml
[ "$MODE" = build ] && exit 0

# lava-server's device types, from the Debian package, once.
TYPES="$CACHE/lava-server/usr/share/lava-server/device-types"
if [ ! -f "$TYPES/qemu.jinja2" ]; then
	tmp=$(mktemp -d)
	chmod 755 "$tmp"
	(cd "$tmp" && apt-get download -q lava-server >/dev/null 2>&1)
	dpkg-deb -x "$tmp"/lava-server_*.deb "$CACHE/lava-server"
	rm -rf "$tmp"
fi

RUN="$OUT/run"
rm -rf "$RUN"
render_jobs "$RUN" "file://$OUT/artifacts"
rc=0

echo "kslab: validating the board job (device type rk3399-rock-pi-4b)"
$RENDER schema "$RUN/kslab-rockpi4.yaml" || rc=1
$RENDER device "$TYPES" "$REPO/scripts/lava/rockpi4-device.jinja2" \
	"$RUN/kslab-rockpi4.yaml" >"$RUN/rockpi4-device.yaml"
if lava-run --validate --job-id kslab-validate --output-dir "$RUN/validate-rockpi4" \
	--device "$RUN/rockpi4-device.yaml" "$RUN/kslab-rockpi4.yaml" \
	>"$RUN/validate-rockpi4.log" 2>&1; then
	echo "kslab: lava-run --validate: the board job is valid"
else
	grep -E '"?lvl"?: (error|exception)' "$RUN/validate-rockpi4.log" | tail -5
	echo "kslab: lava-run --validate rejected the board job" >&2
	rc=1
fi
# --validate leaves its empty tftp directory behind.
tftp=$(sed -n 's/^TFTP_DIRECTORY="\(.*\)"$/\1/p' /etc/default/tftpd-hpa)
[ -n "$tftp" ] && rm -rf "$tftp/kslab-validate"

echo "kslab: lava-run of the QEMU job (device type qemu, arch aarch64)"
$RENDER schema "$RUN/kslab-qemu.yaml" || rc=1
$RENDER device "$TYPES" "$REPO/scripts/lava/qemu-device.jinja2" \
	"$RUN/kslab-qemu.yaml" >"$RUN/qemu-device.yaml"
t0=$SECONDS
timeout --foreground 2400 lava-run --job-id kslab-qemu --output-dir "$RUN/qemu" \
	--device "$RUN/qemu-device.yaml" "$RUN/kslab-qemu.yaml" \
	>"$RUN/lava-qemu.log" 2>&1 || true
echo "kslab: lava-run took $((SECONDS - t0))s; log $RUN/lava-qemu.log"

# LAVA's results, and the console it logged, through kunit.py parse.
$RENDER results "$RUN/lava-qemu.log" kslab-kunit >"$RUN/results" 3>"$RUN/console.log"
grep -q '^JOB pass$' "$RUN/results" ||
	{ echo "kslab: the LAVA job did not finish" >&2; rc=1; }
lava_pass=$(grep -c '^pass ' "$RUN/results" || true)
lava_skip=$(grep -c '^skip ' "$RUN/results" || true)
lava_other=$(grep -vcE '^(pass|skip|JOB) ' "$RUN/results" || true)
lava_total=$((lava_pass + lava_skip + lava_other))
grep -vE '^(pass|skip|JOB) ' "$RUN/results" || true
console_ktap "$RUN/console.log" "$RUN/kslab" "$KUNIT" || rc=1
ran=$(sed -n 's/.*Testing complete. Ran \([0-9]*\) tests.*/\1/p' "$RUN/kslab.parse")
kpass=$(sed -n 's/.*Testing complete.* passed: \([0-9]*\).*/\1/p' "$RUN/kslab.parse")
kskip=$(sed -n 's/.*Testing complete.* skipped: \([0-9]*\).*/\1/p' "$RUN/kslab.parse")
echo "kslab: LAVA test cases: $lava_total (pass $lava_pass, skip $lava_skip, other $lava_other);" \
	"kunit.py parse: ${ran:-?} (passed ${kpass:-0}, skipped ${kskip:-0})"
if [ -z "$ran" ] || [ "$lava_total" != "$ran" ] || [ "$lava_other" != 0 ] ||
   [ "$lava_pass" != "${kpass:-0}" ] || [ "$lava_skip" != "${kskip:-0}" ]; then
	echo "kslab: a LAVA test case did not pass, or LAVA and kunit.py parse disagree" >&2
	rc=1
fi
echo "kslab: lava qemu arm64 exit status $rc"
exit "$rc"
