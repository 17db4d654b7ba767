# SPDX-License-Identifier: GPL-2.0
#
# kunit.py --qemu_config for a RockPI 4A-like board (RK3399): arm64, 4K
# pages, Cortex-A72, 6 CPUs, 2 GiB. Same shape as kunit's own
# qemu_configs/arm64.py; kunit.py loads it as one of its own configs.
from ..qemu_config import QemuArchParams

QEMU_ARCH = QemuArchParams(linux_arch='arm64',
			   kconfig='''
CONFIG_SERIAL_AMBA_PL010=y
CONFIG_SERIAL_AMBA_PL010_CONSOLE=y
CONFIG_SERIAL_AMBA_PL011=y
CONFIG_SERIAL_AMBA_PL011_CONSOLE=y
CONFIG_ARM64_4K_PAGES=y
CONFIG_SMP=y''',
			   qemu_arch='aarch64',
			   kernel_path='arch/arm64/boot/Image.gz',
			   kernel_command_line='console=ttyAMA0',
			   extra_qemu_params=['-machine', 'virt', '-cpu', 'cortex-a72',
					      '-smp', '6', '-m', '2048'])
