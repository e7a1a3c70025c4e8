# nbdroot: static klibc client, its host sanitizer build, the initramfs and the lab.

# make ARCH=arm64 ...: the same targets for arm64, cross-built into build/arm64/ (mk/arm64.mk).
ifeq ($(ARCH),arm64)
include mk/arm64.mk
else ifneq ($(filter-out x86_64 amd64,$(ARCH)),)
$(error ARCH=$(ARCH): expected arm64, or x86_64 (the default))
else

WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wcast-qual -Wvla -Werror
KLCC ?= klcc
CC ?= cc
HOST_CFLAGS := -g -O1 -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=all -D_GNU_SOURCE $(WARN)

SRCS := $(wildcard nbdroot/*.c)
LIB_SRCS := $(filter-out nbdroot/main.c,$(SRCS))
HDRS := $(wildcard nbdroot/*.h)
HOST_OBJS := $(patsubst nbdroot/%.c,build/host/%.o,$(LIB_SRCS))
UNIT_SRCS := $(wildcard tests/unit/test-*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,build/tests/%,$(UNIT_SRCS))
FUZZ_SRCS := $(wildcard tests/fuzz/fuzz-*.c)
FUZZ_NAMES := $(patsubst tests/fuzz/fuzz-%.c,%,$(FUZZ_SRCS))
REPLAY_BINS := $(patsubst %,build/fuzz/replay-%,$(FUZZ_NAMES))
FUZZ_BINS := $(patsubst %,build/fuzz/fuzz-%,$(FUZZ_NAMES))
FUZZ_SECONDS ?= 60

.PHONY: all deps host unit replay fuzz protocol boot check initramfs install install-initramfs-tools demo bench bench-fleet dracut initramfs-tools check-long clean size demo-fleet deb deb-check

all: build/nbdroot size

# klibc's headers count as system headers, so warnings stay on for our
# code alone (its stdlib.h redefines abs(), which -Wshadow would flag).
KLIBC_INC := /usr/lib/klibc/include
KLIBC_SYSINC := -Wp,-isystem,$(KLIBC_INC)/arch/x86_64,-isystem,$(KLIBC_INC)/bits64,-isystem,$(KLIBC_INC)
# Size: one load segment (no page padding; the data segment aligned to 64
# bytes, not a page, in the file), no unwind tables, unused sections
# dropped, and link-time optimisation across the files (klcc compiles to
# LTO objects; gcc links them with klibc's crt0 and libc.a, as klcc's own ld
# call does, because klcc's ld runs without the LTO plugin).
KLCC_CFLAGS := -Oz -fno-jump-tables -ffunction-sections -fdata-sections \
	-fno-asynchronous-unwind-tables -fno-unwind-tables -flto \
	$(KLIBC_SYSINC) $(WARN)
KLIBC_LIB := /usr/lib/klibc/lib
# klcc's own code-generation flags (klcc -v shows them), for the LTO link;
# -fipa-pta (points-to analysis across the program) saves 128 bytes
KLCC_CODEGEN := -mno-sse -fno-stack-protector -fwrapv -fno-PIE -fno-builtin-bcmp \
	-fcommon -falign-functions=1 -falign-jumps=1 -falign-loops=1 -fomit-frame-pointer
KLCC_LDFLAGS := -Oz -fipa-pta -flto -static -nostdlib -nostartfiles -no-pie $(KLCC_CODEGEN) \
	-fno-jump-tables -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables \
	-Wl,-Ttext-segment=0x400000 -Wl,--gc-sections -Wl,-z,noseparate-code \
	-Wl,-z,common-page-size=64 -Wl,--build-id=none $(WARN) -Wno-maybe-uninitialized
# (the compile step and the sanitizer build keep -Wmaybe-uninitialized; across
# files LTO flags nbd_handshake's ex and bs, which every path that reads them sets)
KLCC_OBJS := $(patsubst nbdroot/%.c,build/klcc/%.o,$(SRCS))
build/klcc/%.o: nbdroot/%.c $(HDRS) Makefile
	@mkdir -p build/klcc
	@echo "klcc $<"; $(KLCC) $(KLCC_CFLAGS) -c -o $@ $<
build/nbdroot: $(KLCC_OBJS)
	gcc $(KLCC_LDFLAGS) -o $@.unstripped $(KLIBC_LIB)/crt0.o $(KLCC_OBJS) \
		$(KLIBC_LIB)/libc.a -lgcc
	strip --strip-all -R .comment -R '.note*' -o $@.tmp $@.unstripped
	python3 mk/sstrip.py $@.tmp
	mv $@.tmp $@

# mk/sstrip.py: what ELFkickers' sstrip does (the section headers cut off).

size: build/nbdroot
	@echo "nbdroot: stripped static size $$(stat -c %s build/nbdroot) bytes (limit 49152)"
	@test $$(stat -c %s build/nbdroot) -lt 49152
	@[ ! -f build/arm64/nbdroot ] || echo "nbdroot (arm64, as last built): $$(stat -c %s build/arm64/nbdroot) bytes (make ARCH=arm64 size checks it)"

build/host/%.o: nbdroot/%.c $(HDRS)
	@mkdir -p build/host
	$(CC) $(HOST_CFLAGS) -c -o $@ $<

host: build/host/nbdroot
build/host/nbdroot: $(HOST_OBJS) build/host/main.o
	$(CC) $(HOST_CFLAGS) -o $@ $^

build/tests/%: tests/unit/%.c $(HOST_OBJS) tests/unit/unit.h
	@mkdir -p build/tests
	$(CC) $(HOST_CFLAGS) -Inbdroot -o $@ $< $(HOST_OBJS)

# Each corpus replays under ASan+UBSan in make check; make fuzz explores with libFuzzer.
build/fuzz/replay-%: tests/fuzz/fuzz-%.c tests/fuzz/replay.c $(HOST_OBJS)
	@mkdir -p build/fuzz
	$(CC) $(HOST_CFLAGS) -Inbdroot -o $@ $< tests/fuzz/replay.c $(HOST_OBJS)

replay: $(REPLAY_BINS)
	@set -e; for n in $(FUZZ_NAMES); do echo "== replay $$n"; \
		./build/fuzz/replay-$$n tests/fuzz/corpus/$$n; done

build/fuzz/fuzz-%: tests/fuzz/fuzz-%.c $(LIB_SRCS) $(HDRS)
	@mkdir -p build/fuzz
	clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -Inbdroot \
		-o $@ $< $(LIB_SRCS)

# A crash stops the run with the fuzzer's report; its input is left in
# build/fuzz/ (crash-*) to be committed as a regression input in the corpus.
fuzz: $(FUZZ_BINS)
	@set -e; for n in $(FUZZ_NAMES); do echo "== fuzz $$n for $(FUZZ_SECONDS)s"; \
		mkdir -p build/fuzz/work-$$n; \
		rc=0; ./build/fuzz/fuzz-$$n -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
			-artifact_prefix=build/fuzz/ build/fuzz/work-$$n tests/fuzz/corpus/$$n \
			>build/fuzz/fuzz-$$n.log 2>&1 || rc=$$?; \
		if [ $$rc -ne 0 ]; then tail -n 40 build/fuzz/fuzz-$$n.log; \
			echo "fuzz: $$n failed (exit $$rc), log build/fuzz/fuzz-$$n.log"; exit 1; fi; \
		grep -E '^(#[0-9]+.*DONE|stat::number_of_executed_units|stat::peak_rss)|cov:' \
			build/fuzz/fuzz-$$n.log | tail -n 3; \
	done

deps:
	./qemu/deps.sh

unit: $(UNIT_BINS)
	@set -e; for t in $(UNIT_BINS); do echo "== $$t"; ./$$t; done

protocol: build/host/nbdroot
	./tests/protocol/run.sh

initramfs: build/nbdroot
	./initramfs/build.sh -o build/initramfs.cpio.gz

build/init: $(wildcard initramfs/*.c initramfs/*.h) initramfs/build.sh
	./initramfs/build.sh --compile-init $@

# Where a distribution package puts things: nbdroot for the running system,
# the builder (installed build.sh, pointed at LIBDIR/nbdroot) with the static
# init and nbdroot it packs, the dracut module(s) (their README.md is
# documentation, not part of the module), the man pages.
PREFIX ?= /usr
SBINDIR ?= $(PREFIX)/sbin
LIBDIR ?= $(PREFIX)/lib
MANDIR ?= $(PREFIX)/share/man
DRACUTDIR ?= $(LIBDIR)/dracut/modules.d
# initramfs-tools reads its hooks and scripts from this one place, whatever PREFIX is.
ITDIR := /usr/share/initramfs-tools
install: build/nbdroot build/init install-initramfs-tools
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(LIBDIR)/nbdroot \
		$(DESTDIR)$(MANDIR)/man7 $(DESTDIR)$(MANDIR)/man8
	install -m 755 build/nbdroot $(DESTDIR)$(SBINDIR)/nbdroot
	install -m 755 build/nbdroot build/init $(DESTDIR)$(LIBDIR)/nbdroot/
	sed 's|^libdir=$$|libdir=$(LIBDIR)/nbdroot|' initramfs/build.sh >$(DESTDIR)$(SBINDIR)/mkinitramfs-nbdroot
	chmod 755 $(DESTDIR)$(SBINDIR)/mkinitramfs-nbdroot
	@set -e; for d in modules.d/*/; do \
		m=$$(basename $$d); install -d $(DESTDIR)$(DRACUTDIR)/$$m; \
		for f in $$d*; do \
			case $$f in *.md) continue ;; esac; \
			if [ -x $$f ]; then mode=755; else mode=644; fi; \
			echo "install -m $$mode $$f $(DESTDIR)$(DRACUTDIR)/$$m/"; \
			install -m $$mode $$f $(DESTDIR)$(DRACUTDIR)/$$m/; \
		done; \
	done
	install -m 644 man/*.8 $(DESTDIR)$(MANDIR)/man8/
	install -m 644 man/*.7 $(DESTDIR)$(MANDIR)/man7/

# The initramfs-tools hook and boot scripts (initramfs-tools/), at the paths
# mkinitramfs reads; the hook packs $(SBINDIR)/nbdroot.
install-initramfs-tools:
	@set -e; cd initramfs-tools && for f in hooks/* scripts/*/*; do \
		echo "install -D -m 755 initramfs-tools/$$f $(DESTDIR)$(ITDIR)/$$f"; \
		install -D -m 755 $$f $(DESTDIR)$(ITDIR)/$$f; \
	done

boot: build/nbdroot
	./tests/boot/run.sh

dracut: build/nbdroot
	./tests/dracut/run.sh

initramfs-tools: build/nbdroot
	./tests/initramfs-tools/run.sh

# The Debian packages (debian/), built from a clean copy of the tree into
# build/deb/; deb-check also runs lintian, installs them into a clean bookworm
# chroot and boots the images built there (tests/debian/run.sh).
deb:
	./tests/debian/build-debs.sh build/deb

deb-check:
	./tests/debian/run.sh

# Cases that take minutes each (lease periods, long outages), two at a time.
check-long: build/nbdroot
	./tests/long.sh
	$(MAKE) ARCH=arm64 check-long

check: deps
	$(MAKE) all
	$(MAKE) unit
	$(MAKE) replay
	$(MAKE) protocol
	$(MAKE) boot
	$(MAKE) ARCH=arm64 check
	$(MAKE) dracut
	$(MAKE) initramfs-tools
	$(MAKE) deb-check
	$(MAKE) check-long

bench: deps
	$(MAKE) all
	./bench/run.sh

# The fleet benchmark alone (make bench runs it too): its results go to bench/results/fleet.md.
bench-fleet: deps
	$(MAKE) all
	./bench/run.sh bench-fleet

# bench-fleet's load generator, built for the host from nbdroot's own handshake and reply parsers.
REPLAY_SRCS := bench/nbd-replay.c $(addprefix nbdroot/,handshake.c handshake_parse.c net.c clock.c \
	fingerprint.c errtext.c addr.c)
build/nbd-replay: $(REPLAY_SRCS) $(HDRS)
	@mkdir -p build
	$(CC) -O2 -D_GNU_SOURCE -pthread $(WARN) -Inbdroot -o $@ $(REPLAY_SRCS)

demo: deps
	$(MAKE) all
	./qemu/demo.sh

# N guests at once from one read-only export, each with its RAM overlay: a table.
N ?= 4
demo-fleet: deps
	$(MAKE) all
	./qemu/demo-fleet.sh --guests $(N)

clean:
	rm -rf build
endif # ARCH
