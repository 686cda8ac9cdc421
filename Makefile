# SPDX-License-Identifier: GPL-2.0
#
# rust-nic: Rust network drivers for QEMU's NICs, as out-of-tree modules.
#
#   make run [CMD='...']   boot the test guest with our modules loaded
#   make check             the test suite in the guest, then make kselftest
#   make kselftest         the kernel's driver selftests, ours beside C's
#   make bench             Rust against C on the same NIC (ROUNDS=, SECONDS=,
#                          ONLY="tcp_rx udp64_tx ...", NIC="e1000 virtio"):
#                          rates, then exact counts per packet
#                          (COUNTS=only: counts alone, COUNTS=no: rates
#                          alone)
#   make stress            the chaos soak, ours and C (at most 20 minutes;
#                          STRESS_SECONDS=, STRESS_SEED=, STRESS_DRIVERS=,
#                          STRESS_ACTIONS=)
#   make modules           build the modules (CLIPPY=1 runs clippy)
#   make modules KDIR=...  build them against your own kernel build tree
#   make modules_install   install them into /lib/modules (then depmod)
#   make rustfmt / rustfmtcheck
#
# Everything that is built or downloaded outside this tree lives in
# ~/.cache/rust-nic (override with RNIC_CACHE). KVARIANT=debug selects the
# debug kernel (scripts/configs/debug.config).

SHELL := /bin/bash
TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
export KVARIANT ?= base

# The modules `make run` loads, in this order, relative to the output
# directory of scripts/build-modules.sh.
MODULES := samples/net/rust_netpair.ko drivers/net/e1000/rust_e1000.ko \
	drivers/net/virtio/rust_virtio_net.ko

RUST_SOURCES = $(shell find $(TOP)/rust $(TOP)/samples $(TOP)/drivers -name '*.rs')

.PHONY: all setup kernel guest modules modules_install run check kselftest bench stress \
	rustfmt rustfmtcheck clean

all: modules

setup:
	@$(TOP)/scripts/setup.sh

kernel: setup
	@$(TOP)/scripts/build-kernel.sh >/dev/null

guest: setup
	@$(TOP)/scripts/build-guest.sh >/dev/null

# With KDIR, the modules build against that kernel build tree alone.
export KDIR
modules: $(if $(KDIR),,kernel)
	@$(TOP)/scripts/build-modules.sh $(if $(CLIPPY),CLIPPY=1) >/dev/null

modules_install: modules
	@$(TOP)/scripts/build-modules.sh modules_install >/dev/null

# CMD reaches the recipe unexpanded, through the environment, so that
# `$VAR` in it is left for the guest's shell.
export RUN_CMD := $(value CMD)

run: modules guest
	@out=$$($(TOP)/scripts/build-modules.sh); \
	$(TOP)/scripts/qemu-run.sh \
		$(foreach m,$(MODULES),--insmod "$${out#$(TOP)/}/$(m)") \
		$(if $(RUN_CMD),--cmd "$$RUN_CMD")

# check.sh runs set-up and every build itself, to time each phase.
check:
	@$(TOP)/tests/check.sh

kselftest: modules guest
	@$(TOP)/tests/kselftest.sh

bench: modules guest
	@BENCH_ONLY="$(ONLY)" BENCH_NIC="$(or $(NIC),e1000 virtio)" BENCH_COUNTS="$(or $(COUNTS),yes)" $(TOP)/tests/bench/run.sh $(ROUNDS) $(SECONDS)

stress: modules guest
	@STRESS_SECONDS="$(STRESS_SECONDS)" STRESS_SEED="$(STRESS_SEED)" \
		STRESS_DRIVERS="$(STRESS_DRIVERS)" STRESS_ACTIONS="$(STRESS_ACTIONS)" \
		$(TOP)/tests/stress.sh

rustfmt:
	@rustfmt --config-path $(TOP)/.rustfmt.toml $(RUST_SOURCES)

rustfmtcheck:
	@rustfmt --check --config-path $(TOP)/.rustfmt.toml $(RUST_SOURCES)

clean:
	rm -rf $(TOP)/out
