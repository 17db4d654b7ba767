# SPDX-License-Identifier: GPL-2.0
#
# Wrapper only; kbuild reads Kbuild.
#   make [KDIR=...]            build kslab.ko (and kslab_kunit.ko with KUnit)
#   make example [KDIR=...]    that, then the example user module
#                              examples/kslab_example.ko against kslab's
#                              Module.symvers (examples/Makefile)
#   make help                  this list
#   make kunit [KERNEL=6.1|7.3] [ARGS='kslab_cache* --raw_output']
#                              KUnit suites under UML via kunit.py; ARGS
#                              go to kunit.py run as they are (a suite glob,
#                              --raw_output, --json)
#   make test                  the whole matrix (scripts/test.sh)
#   make check                 checkpatch.pl --strict
#   make lava                  LAVA artifacts and jobs for the RockPI 4A
#                              (scripts/lava.sh; KSLAB_LAVA_URL= the URL
#                              the lab fetches them from)
#   make bench [BENCH_TARGET=x86_64] [BENCH_ROUNDS=5]
#                              kslab against kmalloc timings (scripts/bench.sh):
#                              UML by default, QEMU x86_64 with 4 CPUs (not
#                              ARCH, which a cross build exports)
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
BENCH_TARGET ?= uml
ARGS ?=
OPS ?= 2000000

all: modules

modules clean modules_install:
	$(MAKE) -C $(KDIR) M=$(CURDIR) $@

example: modules
	$(MAKE) -C examples KDIR=$(KDIR) KSLAB_SYMVERS=$(CURDIR)/Module.symvers

help:
	@sed -n 's/^#   //p; s/^#  //p' Makefile

kunit:
	scripts/kunit.sh $(KERNEL) $(ARGS)

test:
	scripts/test.sh

check:
	scripts/checkpatch.sh

lava:
	scripts/lava.sh build

bench:
	BENCH_ROUNDS=$(BENCH_ROUNDS) scripts/bench.sh $(BENCH_TARGET) $(KERNEL)

torture:
	scripts/torture.sh $(OPS) $(KERNEL)

stock:
	scripts/stock.sh $(KERNEL) $(MODE)

board:
	scripts/board.sh $(KERNEL)

.PHONY: all help modules clean modules_install example kunit test check lava bench torture stock board
