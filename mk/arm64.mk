# mk/arm64.mk: make ARCH=arm64: the same client, init, initramfs and tests for arm64, cross-built on
# x86-64 into build/arm64/ (the x86 build/ files are not touched). Debian's arm64 klibc, busybox and
# kernel come unpacked into $(NBDROOT_CACHE)/arm64 (qemu/deps-arm64.sh, run by qemu/deps.sh); the unit
# tests and the corpus replay run under qemu-user (qemu-aarch64-static), the boots under
# qemu-system-aarch64 -M virt (TCG).

WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wcast-qual -Wvla -Werror
CROSS := aarch64-linux-gnu-
B := build/arm64
A64 := $(or $(NBDROOT_CACHE),$(CURDIR)/.cache)/arm64
KLCC := $(A64)/klcc
KLIBC := $(A64)/root/usr/lib/klibc
KLIBC_INC := $(KLIBC)/include
# LeakSanitizer stops with a fatal error under qemu-user (it uses ptrace-like thread suspension):
# ASan and UBSan stay on, leak checking is the x86 run's.
QEMU_USER := env ASAN_OPTIONS=detect_leaks=0 qemu-aarch64-static -L /usr/aarch64-linux-gnu

SRCS := $(wildcard nbdroot/*.c)
LIB_SRCS := $(filter-out nbdroot/main.c,$(SRCS))
HDRS := $(wildcard nbdroot/*.h)

.PHONY: all deps size initramfs unit replay boot check check-long demo host

all: $(B)/nbdroot size $(B)/init

deps:
	./qemu/deps.sh

$(KLCC):
	@echo "make ARCH=arm64: no arm64 klibc at $(A64): run ./qemu/deps.sh (make deps)" >&2; exit 1

# As the x86 build (Makefile): LTO objects from klcc, linked by the cross gcc with klibc's crt0 and
# libc.a; klcc's arm64 code-generation flags (klcc -v) in place of x86's -mno-sse. For size as well:
# -mcmodel=tiny (the program is far under 1 MiB: one adr for an address, not adrp + add; 2.8 KB),
# -fno-unwind-tables at the link too and no .eh_frame from Debian's arm64 libc.a (4.7 KB and 0.8 KB:
# aarch64 gcc emits unwind tables by default; nothing here unwinds), -z norelro (a RELRO page
# boundary put 8 KB of padding before the data).
KLCC_CFLAGS := -Oz -fno-jump-tables -ffunction-sections -fdata-sections \
	-fno-asynchronous-unwind-tables -fno-unwind-tables -flto -mcmodel=tiny \
	-Wp,-isystem,$(KLIBC_INC)/arch/arm64,-isystem,$(KLIBC_INC)/bits64,-isystem,$(KLIBC_INC) $(WARN)
KLCC_CODEGEN := -mgeneral-regs-only -march=armv8-a -fno-stack-protector -fwrapv -fno-PIE \
	-fno-builtin-bcmp -fcommon -fno-exceptions -falign-functions=1 -falign-jumps=1 -falign-loops=1 \
	-fomit-frame-pointer -mcmodel=tiny
KLCC_LDFLAGS := -Oz -fipa-pta -flto -static -nostdlib -nostartfiles -no-pie $(KLCC_CODEGEN) \
	-fno-jump-tables -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables -fno-unwind-tables \
	-Wl,-Ttext-segment=0x400000 -Wl,--gc-sections -Wl,-z,noseparate-code \
	-Wl,-z,common-page-size=64 -Wl,-z,norelro -Wl,--build-id=none $(WARN) -Wno-maybe-uninitialized
KLCC_OBJS := $(patsubst nbdroot/%.c,$(B)/klcc/%.o,$(SRCS))
$(B)/klcc/%.o: nbdroot/%.c $(HDRS) mk/arm64.mk | $(KLCC)
	@mkdir -p $(B)/klcc
	@echo "klcc(arm64) $<"; $(KLCC) $(KLCC_CFLAGS) -c -o $@ $<
$(B)/libc.a: $(KLIBC)/lib/libc.a
	@mkdir -p $(B)
	$(CROSS)objcopy --remove-section=.eh_frame $< $@
$(B)/nbdroot: $(KLCC_OBJS) $(B)/libc.a
	$(CROSS)gcc $(KLCC_LDFLAGS) -o $@.unstripped $(KLIBC)/lib/crt0.o $(KLCC_OBJS) \
		$(B)/libc.a -lgcc
	$(CROSS)strip --strip-all -R .comment -R '.note*' -o $@.tmp $@.unstripped
	python3 mk/sstrip.py $@.tmp
	mv $@.tmp $@

size: $(B)/nbdroot
	@echo "nbdroot (arm64): stripped static size $$(stat -c %s $(B)/nbdroot) bytes (limit 49152)"
	@test $$(stat -c %s $(B)/nbdroot) -lt 49152

# initramfs/build.sh compiles init with the klcc, headers and strip it is given.
$(B)/init: $(wildcard initramfs/*.c initramfs/*.h) initramfs/build.sh | $(KLCC)
	@mkdir -p $(B)
	KLCC=$(KLCC) KLIBC_INC=$(KLIBC_INC) KLIBC_ARCH=arm64 STRIP=$(CROSS)strip \
		./initramfs/build.sh --compile-init $@

# The lab's image: the arm64 kernel's modules, arm64 klibc-utils for the rescue shell.
initramfs: $(B)/nbdroot $(B)/init
	./initramfs/build.sh -o $(B)/initramfs.cpio.gz --nbdroot $(B)/nbdroot --init $(B)/init \
		-k $(A64)/kernel/root/lib/modules/$$(cat $(A64)/kernel/version) --klibc-root $(A64)/root

# Unit tests and the corpus replay: the cross gcc with UBSan and ASan (Debian's arm64-cross runtime
# libraries), run by qemu-user against the cross glibc.
HOST_CFLAGS := -g -O1 -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=all -D_GNU_SOURCE $(WARN)
HOST_OBJS := $(patsubst nbdroot/%.c,$(B)/host/%.o,$(LIB_SRCS))
UNIT_BINS := $(patsubst tests/unit/%.c,$(B)/tests/%,$(wildcard tests/unit/test-*.c))
FUZZ_NAMES := $(patsubst tests/fuzz/fuzz-%.c,%,$(wildcard tests/fuzz/fuzz-*.c))
REPLAY_BINS := $(patsubst %,$(B)/fuzz/replay-%,$(FUZZ_NAMES))
$(B)/host/%.o: nbdroot/%.c $(HDRS)
	@mkdir -p $(B)/host
	$(CROSS)gcc $(HOST_CFLAGS) -c -o $@ $<
$(B)/tests/%: tests/unit/%.c $(HOST_OBJS) tests/unit/unit.h
	@mkdir -p $(B)/tests
	$(CROSS)gcc $(HOST_CFLAGS) -Inbdroot -o $@ $< $(HOST_OBJS)
$(B)/fuzz/replay-%: tests/fuzz/fuzz-%.c tests/fuzz/replay.c $(HOST_OBJS)
	@mkdir -p $(B)/fuzz
	$(CROSS)gcc $(HOST_CFLAGS) -Inbdroot -o $@ $< tests/fuzz/replay.c $(HOST_OBJS)
host: $(B)/host/nbdroot
$(B)/host/nbdroot: $(HOST_OBJS) $(B)/host/main.o
	$(CROSS)gcc $(HOST_CFLAGS) -o $@ $^

unit: $(UNIT_BINS)
	@set -e; for t in $(UNIT_BINS); do echo "== $$t (qemu-aarch64)"; \
		file -b $$t | grep -q 'ARM aarch64' || { echo "unit: $$t is not an arm64 program"; exit 1; }; \
		$(QEMU_USER) ./$$t; done

replay: $(REPLAY_BINS)
	@set -e; for n in $(FUZZ_NAMES); do echo "== replay $$n (arm64, qemu-aarch64)"; \
		$(QEMU_USER) ./$(B)/fuzz/replay-$$n tests/fuzz/corpus/$$n; done

# The arm64 boot cases (tests/arm64/), the same lab as x86's with qemu/lab.sh --arch arm64.
boot: all initramfs
	./tests/arm64/run.sh

check-long: all initramfs
	./tests/arm64/run.sh --long

# What make check runs for arm64 (the x86 Makefile's check calls it).
check: all unit replay boot

# qemu/demo.sh --arch arm64 builds what it boots (make ARCH=arm64 all initramfs).
demo: deps
	./qemu/demo.sh --arch arm64
