# SPDX-License-Identifier: GPL-2.0
#
# kunit.py --qemu_config for a generic arm64 QEMU virt machine, 2 GiB. The
# page size and the CPU are the runner's (scripts/kunit-qemu.sh arm64-16k,
# arm64-64k): --kconfig_add=CONFIG_ARM64_{16K,64K}_PAGES=y and
# --qemu_args="-cpu ... -smp ...". QEMU's cortex-a72 (the RockPI profile,
# arm64_rockpi.py) has no 16K granule; cortex-a76 and neoverse-n1 have
# all three.
from ..qemu_config import QemuArchParams

QEMU_ARCH = QemuArchParams(linux_arch='arm64',
			   kconfig='''
CONFIG_SERIAL_AMBA_PL010=y
CONFIG_SERIAL_AMBA_PL010_CONSOLE=y
CONFIG_SERIAL_AMBA_PL011=y
CONFIG_SERIAL_AMBA_PL011_CONSOLE=y
CONFIG_SMP=y''',
			   qemu_arch='aarch64',
			   kernel_path='arch/arm64/boot/Image.gz',
			   # As arm64_rockpi.py: the '--' hands kunit.py's
			   # kunit_shutdown=reboot to init, and a power-off
			   # flushes PREEMPT_RT's console kthread (pr_flush()).
			   kernel_command_line='console=ttyAMA0 kunit_shutdown=poweroff --',
			   extra_qemu_params=['-machine', 'virt', '-m', '2048'])
