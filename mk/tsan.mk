# ThreadSanitizer flavour, for hunting data races between the loop threads and the store
# writer (not part of `make check`: TSan and ASan cannot share a binary).
#   make tsan                    builds build/tsan/kumppani
#   TSAN_OPTIONS=halt_on_error=1 build/tsan/kumppani serve ...
# libh2o, SQLite and the other libraries are not instrumented; their mutexes still count as
# synchronisation, so races in our own code are reported.
# A hunting build: warnings do not stop it (-Werror is enforced by the release and check builds).
TSAN_CFLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=thread
TSAN_OBJS = $(patsubst %.c,build/tsan/%.o,$(SRCS) $(GEN_SRCS))

build/tsan/%.o: %.c
	@mkdir -p $(dir $@)
	@echo '  CC      $< (tsan)'
	@$(CC) $(filter-out -Werror,$(CPPFLAGS_BASE)) $(TSAN_CFLAGS) $(PKG_CFLAGS) -MMD -MP -c $< -o $@

build/tsan/libkumppani.a: $(TSAN_OBJS)
	@rm -f $@; ar rcs $@ $^

build/tsan/kumppani: build/tsan/src/main.o build/tsan/libkumppani.a
	$(CC) -fsanitize=thread -o $@ $^ $(PKG_LIBS)

.PHONY: tsan
tsan: build/tsan/kumppani
