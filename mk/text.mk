# src/text: word lists from npm -> generated C table; eval, bench and fuzz targets.
#
#   make eval          quality figures on ../shared/data/text (or $KUMPPANI_TEXT_DATA)
#   make text-bench    texts/second, lemma cache cold vs warm
#   make fuzz-text     libFuzzer build (clang); run: build/fuzz/fuzz_text -max_total_time=60
#
# node_modules lives at the repo root (gitignored), pinned by package.json + package-lock.json.

TEXT_LEXICON_C := build/gen/text_lexicon_data.c
GEN_SRCS += $(TEXT_LEXICON_C)
TEXT_DATA ?= $(or $(KUMPPANI_TEXT_DATA),../shared/data/text)

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	@touch $@

$(TEXT_LEXICON_C): src/text/gen/gen_lexicon.mjs $(wildcard data/lexicon/*.tsv) node_modules/.package-lock.json
	@mkdir -p $(dir $@)
	node src/text/gen/gen_lexicon.mjs node_modules data/lexicon $@

build/release/tests/eval/eval: tests/eval/eval.c build/release/libkumppani.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS_BASE) $(REL_CFLAGS) $(PKG_CFLAGS) -o $@ $< build/release/libkumppani.a $(PKG_LIBS)

build/release/bench/text_bench: bench/text_bench.c build/release/libkumppani.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS_BASE) $(REL_CFLAGS) $(PKG_CFLAGS) -o $@ $< build/release/libkumppani.a $(PKG_LIBS)

.PHONY: eval eval-outside text-bench fuzz-text text-lexicon
text-lexicon: $(TEXT_LEXICON_C)

eval: build/release/tests/eval/eval build/release/kumppani
	@test -d "$(TEXT_DATA)" || { echo "make eval: no labelled sets in $(TEXT_DATA): they are not kept in the" \
	  "repository; set KUMPPANI_TEXT_DATA to the folder that holds them (the *_dev.tsv files)" >&2; exit 1; }
	build/release/tests/eval/eval $(TEXT_DATA)
	@echo; echo '== outside the repository (test only; make eval-outside)'
	-@tests/eval/outside.py build/release/kumppani

# English sentiment on the UCI IMDB sentences, fetched from npm once (tests/eval/outside.py).
eval-outside: build/release/kumppani
	tests/eval/outside.py build/release/kumppani

text-bench: build/release/bench/text_bench
	build/release/bench/text_bench $(TEXT_DATA)

TEXT_SRCS := $(wildcard src/text/*.c)
FUZZ_CFLAGS := -std=c17 -D_GNU_SOURCE -Isrc -Ibuild/gen -g -O1 -fsanitize=fuzzer,address,undefined
build/fuzz/fuzz_text: tests/fuzz/fuzz_text.c $(TEXT_SRCS) $(TEXT_LEXICON_C) src/util/buf.c
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) $(PKG_CFLAGS) -o $@ $^ $(PKG_LIBS)

fuzz-text: build/fuzz/fuzz_text
	@echo "run: build/fuzz/fuzz_text -max_total_time=60 -max_len=4096"
