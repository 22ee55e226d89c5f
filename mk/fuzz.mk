# Fuzz targets for every parser of outside input (tests/fuzz/fuzz_*.c).
#
# Two builds of each target:
#   build/check/fuzz-NAME   gcc + ASan/UBSan with tests/fuzz/driver.c: replays the corpus in
#                           tests/fuzz/corpus/NAME plus deterministic mutations; `make check`
#                           runs these (no clang needed)
#   build/fuzz/fuzz_NAME    clang libFuzzer, for real fuzzing sessions:
#                           make fuzz && build/fuzz/fuzz_body -max_total_time=300 tests/fuzz/corpus/body
# (fuzz_text's libFuzzer build is in mk/text.mk.)

FUZZ_NAMES := body fields text search framing
FUZZ_CHECK_BINS := $(addprefix build/check/fuzz-,$(FUZZ_NAMES))

build/check/fuzz-%: build/check/tests/fuzz/fuzz_%.o build/check/tests/fuzz/driver.o build/check/libkumppani.a
	$(CC) $(CHK_LDFLAGS) -o $@ $^ $(PKG_LIBS)

# -Werror is enforced by the gcc builds; clang may warn about other things here.
LIBFUZZER_CFLAGS := $(filter-out -Werror,$(CPPFLAGS_BASE)) -g -O1 -fsanitize=fuzzer-no-link,address,undefined
FUZZ_LIB_OBJS = $(patsubst %.c,build/fuzz/%.o,$(SRCS) $(GEN_SRCS))

build/fuzz/%.o: %.c
	@mkdir -p $(dir $@)
	@echo '  CC      $< (fuzz)'
	@clang $(LIBFUZZER_CFLAGS) $(PKG_CFLAGS) -c $< -o $@

# Deferred expansion (.SECONDEXPANSION) so GEN_SRCS from later mk files is included.
.SECONDEXPANSION:
build/fuzz/libkumppani.a: $$(FUZZ_LIB_OBJS)
	@rm -f $@; ar rcs $@ $^

build/fuzz/fuzz_body build/fuzz/fuzz_fields build/fuzz/fuzz_search build/fuzz/fuzz_framing: build/fuzz/fuzz_%: build/fuzz/tests/fuzz/fuzz_%.o build/fuzz/libkumppani.a
	clang -fsanitize=fuzzer,address,undefined -o $@ $^ $(PKG_LIBS)

.PHONY: fuzz fuzz-build
# clang and libFuzzer first (scripts/install-deps --dev), then the targets
fuzz:
	@scripts/install-deps --dev
	@$(MAKE) --no-print-directory fuzz-build
	@echo "run e.g.: build/fuzz/fuzz_body -max_total_time=300 tests/fuzz/corpus/body"
fuzz-build: build/fuzz/fuzz_body build/fuzz/fuzz_fields build/fuzz/fuzz_text build/fuzz/fuzz_search build/fuzz/fuzz_framing
