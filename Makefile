# SPDX-License-Identifier: GPL-2.0
#
# Wrapper only; kbuild reads Kbuild.
#   make [KDIR=...]            build kslab.ko (and kslab_kunit.ko with KUnit)
#   make example [KDIR=...]    that, then the example user module
#                              examples/kslab_example.ko against kslab's
#                              Module.symvers (examples/Makefile)
#   make kunit [KERNEL=6.1|7.3] KUnit suites under UML via kunit.py
#   make test                  the whole matrix (scripts/test.sh)
#   make check                 checkpatch.pl --strict
#   make lava                  LAVA artifacts and jobs for the RockPI 4A
#                              (scripts/lava.sh; KSLAB_LAVA_URL= the URL
#                              the lab fetches them from)
#   make bench [ARCH=x86_64] [BENCH_ROUNDS=5]
#                              kslab against kmalloc timings (scripts/bench.sh):
#                              UML by default, QEMU x86_64 with 4 CPUs
#   make torture [OPS=2000000] the kslab_torture suite alone on QEMU x86_64,
#                              4 CPUs, OPS allocations and frees
#                              (scripts/torture.sh)
#   make stock [KERNEL=6.12|6.12-rt|6.1|7.3|7.3-rt] [MODE=default|params]
#                              kslab.ko on Debian's stock amd64 kernel under
#                              QEMU (scripts/stock.sh); both boots by default
#   make board [KERNEL=6.12|6.1|7.3]
#                              the RockPI 4A flow on QEMU arm64
#                              (scripts/board.sh)

KDIR ?= /lib/modules/$(shell uname -r)/build
KERNEL ?= 6.12
BENCH_ROUNDS ?= 5
OPS ?= 2000000

all: modules

modules clean modules_install:
	$(MAKE) -C $(KDIR) M=$(CURDIR) $@

example: modules
	$(MAKE) -C examples KDIR=$(KDIR) KSLAB_SYMVERS=$(CURDIR)/Module.symvers

kunit:
	scripts/kunit.sh $(KERNEL)

test:
	scripts/test.sh

check:
	scripts/checkpatch.sh

lava:
	scripts/lava.sh build

bench:
	BENCH_ROUNDS=$(BENCH_ROUNDS) scripts/bench.sh $(or $(ARCH),uml) $(KERNEL)

torture:
	scripts/torture.sh $(OPS) $(KERNEL)

stock:
	scripts/stock.sh $(KERNEL) $(MODE)

board:
	scripts/board.sh $(KERNEL)

.PHONY: all modules clean modules_install example kunit test check lava bench torture stock board
