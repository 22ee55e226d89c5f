# The store contract suite: one program, run against a fresh database of each backend.
#   build/check/store-contract sqlite:/tmp/x/kumppani.db
#   make check-store-sqlite     (a throwaway SQLite database under a temporary directory)
STORE_TEST_SRCS := $(sort $(wildcard tests/store/*.c))
STORE_TEST_OBJS := $(patsubst %.c,build/check/%.o,$(STORE_TEST_SRCS))

build/check/store-contract: $(STORE_TEST_OBJS) build/check/libkumppani.a
	$(CC) $(CHK_LDFLAGS) -o $@ $(STORE_TEST_OBJS) build/check/libkumppani.a $(PKG_LIBS)

.PHONY: check-store-sqlite
check-store-sqlite: build/check/store-contract
	@d=$$(mktemp -d) && trap 'rm -rf "$$d"' EXIT && build/check/store-contract "sqlite:$$d/contract.db"
