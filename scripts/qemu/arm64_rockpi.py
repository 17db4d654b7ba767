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
			   # kunit.py appends kunit_shutdown=reboot; the '--'
			   # hands it to init instead. kernel_restart() does not
			   # flush printk, and on PREEMPT_RT the console is
			   # written by a kthread that may lag, so a reboot can cut
			   # the last KTAP lines; kernel_power_off() waits for them
			   # (pr_flush()), and QEMU's PSCI off ends the run alike.
			   kernel_command_line='console=ttyAMA0 kunit_shutdown=poweroff --',
			   extra_qemu_params=['-machine', 'virt', '-cpu', 'cortex-a72',
					      '-smp', '6', '-m', '2048'])
