# SPDX-License-Identifier: GPL-2.0
# memacct: top-level Makefile. See README for the targets.

KDIR ?= /lib/modules/$(shell uname -r)/build
TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
CACHE ?= $(TOP)/.cache
VERSION := $(shell sed -n 's/^\#define MEMACCT_VERSION "\(.*\)"/\1/p' $(TOP)/module/memacct.h)
KVERS = $(shell $(TOP)/scripts/kversions.sh)
# the kernels whose modules are built on this machine (not in a chroot)
HOST_KVERS = $(shell $(TOP)/scripts/kversions.sh --build host)

PREFIX ?= /usr/local
KVER ?= $(shell $(MAKE) -s -C $(KDIR) kernelrelease 2>/dev/null)
DOCS_OUT ?= $(CACHE)/docs

.PHONY: all modules clean deps modules-all selftests tools tools-test check lint demo vm \
	docs docs-deps install uninstall dist packaging-test bench check-debug btf-test deb deb-test

all: modules

modules:
	$(MAKE) -C $(KDIR) M=$(TOP) modules

deps:
	@$(TOP)/scripts/deps.sh

# The module for each supported kernel, each in its own copy of the tree.
modules-all: deps
	@for v in $(KVERS); do \
		b=$(CACHE)/build/$$v; mkdir -p $$b; \
		rm -rf $$b/module; cp -a $(TOP)/Kbuild $(TOP)/module $$b/ && \
		$(TOP)/scripts/kbuild.sh $$v $$b -s modules W=1 2>&1 | tee $$b/build.log; \
		test -e $$b/module/memacct.ko || exit 1; \
		if grep -q 'warning:' $$b/build.log; then echo "warnings building for $$v"; exit 1; fi; \
		rm -rf $$b/kmod; cp -a $(TOP)/selftests/kmod $$b/kmod && \
		$(TOP)/scripts/kbuild.sh $$v $$b/kmod -s modules 2>&1 | grep -v 'Skipping BTF'; \
		mkdir -p $$b/selftests && cp $$b/kmod/*.ko $$b/selftests/ || exit 1; \
	done

selftests: deps
	$(MAKE) -C $(TOP)/selftests OUT=$(CACHE)/build/selftests \
		KSFT=$(CACHE)/src/tools/testing/selftests

# The reader: a normal build, and a static copy for the VM's initramfs.
tools: deps
	$(MAKE) -C $(TOP)/tools/memacct OUT=$(CACHE)/build/tools
	$(MAKE) -C $(TOP)/tools/memacct OUT=$(CACHE)/build/tools-static STATIC=1

# Host tests of the reader (no VM), against captured fixture trees.
tools-test: tools
	$(MAKE) -C $(TOP)/tools/memacct OUT=$(CACHE)/build/tools test

# Host test of the module's BTF parser (no VM): the host's BTF and each
# supported kernel's (taken from its image), and truncated/corrupted
# copies, under ASan and UBSan; what it resolves compared with pahole.
btf-test: deps
	@for v in $(KVERS); do \
		$(TOP)/selftests/btf/extract-btf.sh $(CACHE)/kernels/$$v/vmlinuz $(CACHE)/btf/$$v.btf || exit 1; \
	done
	$(MAKE) -C $(TOP)/selftests/btf OUT=$(CACHE)/build/btf test \
		BTF="/sys/kernel/btf/vmlinux $(foreach v,$(KVERS),$(CACHE)/btf/$(v).btf)"

# Benchmarks (tools/bench/) against smem, smemstat, smaps_rollup, pmap, slabtop in a
# Debian VM per kernel; results in .cache/bench/results (not part of check).
bench: deps
	$(TOP)/scripts/bench.sh

# The selftests on a debug build of 6.12 (lockdep, KASAN, DEBUG_VM...),
# built once into .cache/debug-kernel (~30 min on 2 cores); not in check.
check-debug: deps
	$(TOP)/scripts/check-debug.sh

# Documentation: HTML and the man page, Sphinx warnings are errors.
# docs-deps installs Sphinx alone (not the kernels make deps fetches).
docs-deps:
	@dpkg-query -W -f='$${Status}' python3-sphinx 2>/dev/null | grep -q "ok installed" || \
		{ echo "docs: installing python3-sphinx"; \
		  $(if $(filter 0,$(shell id -u)),,sudo) apt-get install -y -qq --no-install-recommends python3-sphinx >/dev/null || \
		  { $(if $(filter 0,$(shell id -u)),,sudo) apt-get update -qq && \
		    $(if $(filter 0,$(shell id -u)),,sudo) apt-get install -y -qq --no-install-recommends python3-sphinx >/dev/null; }; }

docs: docs-deps
	sphinx-build -W -q -b html $(TOP)/Documentation $(DOCS_OUT)/html
	sphinx-build -W -q -b man $(TOP)/Documentation $(DOCS_OUT)/man

# The module for KDIR, the reader and its man page; DESTDIR stages them.
install: modules docs
	$(MAKE) -C $(TOP)/tools/memacct OUT=$(CACHE)/build/tools-install
	install -D -m 0644 $(TOP)/module/memacct.ko $(DESTDIR)/lib/modules/$(KVER)/updates/memacct.ko
	install -D -m 0755 $(CACHE)/build/tools-install/memacct $(DESTDIR)$(PREFIX)/bin/memacct
	install -D -m 0644 $(DOCS_OUT)/man/memacct.1 $(DESTDIR)$(PREFIX)/share/man/man1/memacct.1
	depmod $(if $(DESTDIR),-b $(DESTDIR)) $(KVER)

uninstall:
	rm -f $(DESTDIR)/lib/modules/$(KVER)/updates/memacct.ko \
		$(DESTDIR)$(PREFIX)/bin/memacct $(DESTDIR)$(PREFIX)/share/man/man1/memacct.1
	depmod $(if $(DESTDIR),-b $(DESTDIR)) $(KVER)

# A versioned source tarball of the tracked files (what DKMS consumes).
dist:
	mkdir -p $(CACHE)/dist
	cd $(TOP) && git ls-files -z | tar --null -T - --transform 's,^,memacct-$(VERSION)/,' \
		-czf $(CACHE)/dist/memacct-$(VERSION).tar.gz
	@echo $(CACHE)/dist/memacct-$(VERSION).tar.gz

# dkms builds from the tarball for the kernels built on this machine;
# make install/uninstall
# into a staging tree; the docs render without warnings.
packaging-test: deps docs dist
	$(TOP)/scripts/packaging-test.sh $(VERSION) $(CACHE)/dist/memacct-$(VERSION).tar.gz $(HOST_KVERS)

# Debian packages memacct-dkms and memacct from the dist tarball, built in
# the bullseye chroot (scripts/deb/ is their debian/), into .cache/deb/;
# lintian on both.
deb: deps dist
	$(TOP)/scripts/deb-build.sh $(VERSION) $(CACHE)/dist/memacct-$(VERSION).tar.gz

# Both packages installed with apt in a throwaway chroot of each suite of
# kernels.list (DKMS builds the module for its kernels), one VM boot per
# kernel with its DKMS-built module, the packaged reader and the allocator
# tests, then purged.
deb-test: deb modules-all selftests
	$(TOP)/scripts/deb-test.sh $(CACHE)/deb

check: btf-test modules-all selftests tools-test packaging-test deb-test
	$(TOP)/scripts/run-selftests.sh $(KVERS)

vm: modules-all selftests tools
	$(TOP)/scripts/vm.sh -i $(or $(KVER),$(lastword $(KVERS))) $(CMD)

demo: modules-all selftests tools
	@for v in $(KVERS); do $(TOP)/scripts/vm.sh $$v /selftests/demo.sh || exit 1; done

lint: deps
	$(TOP)/scripts/lint.sh

# kbuild's clean of M=DIR deletes every *.ko below DIR: never run it on the
# repository root, whose .cache/ holds the unpacked kernels' modules.
clean:
	$(MAKE) -C $(KDIR) M=$(TOP)/module clean 2>/dev/null || true
	rm -rf $(CACHE)/build
