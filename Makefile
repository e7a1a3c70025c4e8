# nbdroot: static klibc client, its host sanitizer build, the initramfs and the lab.

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

.PHONY: all deps host unit protocol boot check initramfs demo clean size

all: build/nbdroot size

build/nbdroot: $(SRCS) $(HDRS)
	@mkdir -p build
	$(KLCC) -static -Os $(WARN) -o $@.unstripped $(SRCS)
	strip -o $@ $@.unstripped

size: build/nbdroot
	@echo "nbdroot: stripped static size $$(stat -c %s build/nbdroot) bytes (limit 49152)"
	@test $$(stat -c %s build/nbdroot) -lt 49152

build/host/%.o: nbdroot/%.c $(HDRS)
	@mkdir -p build/host
	$(CC) $(HOST_CFLAGS) -c -o $@ $<

host: build/host/nbdroot
build/host/nbdroot: $(HOST_OBJS) build/host/main.o
	$(CC) $(HOST_CFLAGS) -o $@ $^

build/tests/%: tests/unit/%.c $(HOST_OBJS) tests/unit/unit.h
	@mkdir -p build/tests
	$(CC) $(HOST_CFLAGS) -Inbdroot -o $@ $< $(HOST_OBJS)

deps:
	./qemu/deps.sh

unit: $(UNIT_BINS)
	@set -e; for t in $(UNIT_BINS); do echo "== $$t"; ./$$t; done

protocol: build/host/nbdroot
	./tests/protocol/run.sh

initramfs: build/nbdroot
	./initramfs/build.sh -o build/initramfs.cpio.gz

boot: build/nbdroot
	./tests/boot/run.sh

check: deps
	$(MAKE) all
	$(MAKE) unit
	$(MAKE) protocol
	$(MAKE) boot

demo: deps
	$(MAKE) all
	./qemu/demo.sh

clean:
	rm -rf build
