# qemu-composer: the user's whole interface.
#
#   make          build qemu-system-arm and qemu-system-aarch64 (build/)
#   make check    build if needed, then run every test suite
#   make demo     build if needed, then run a shipped composed board
#   make fuzz     run the fuzzers (description loader, MCTP over I2C)
#   make check-sanitizers  every test again on an ASan+UBSan build
#   make bench    run the benchmarks in bench/
#   make guest    build the Linux test guest (build/guest, cached)
#   make diagram DESC=FILE OUT=FILE.svg   draw the machine FILE builds
#
# Dependencies are installed with apt (as root, or with sudo) and QEMU's
# source is fetched from Debian on first use; see README.md.

SHELL := /bin/bash

.PHONY: all build check check-sanitizers demo fuzz bench guest diagram clean \
	distclean

all build:
	@bash build-aux/build.sh >/dev/null

check: build
	@bash build-aux/check.sh

check-sanitizers: build
	@bash build-aux/check-sanitizers.sh

demo: build
	@bash build-aux/demo.sh

fuzz: build
	@bash build-aux/run-dir.sh fuzz tests/fuzz

bench: build
	@bash build-aux/run-dir.sh bench bench

guest:
	@bash tests/guest/build-guest.sh

# ARGS: more QEMU options (-kernel ...), and ",param.NAME=VALUE"
diagram: build
	@bash build-aux/diagram.sh "$(DESC)" "$(OUT)" $(ARGS)

# Drop the QEMU build but keep the fetched source and ccache.
clean:
	rm -rf build/qemu-*/build build/qemu-*/build-san build/qemu-system-*

# Drop everything fetched and built.
distclean:
	rm -rf build
