# The PostgreSQL backend (src/store/postgres/) against a throwaway server.
#   make check-store-postgres   initdb a PostgreSQL 15 cluster into a temporary directory
#                               (scripts/pg-test-server), run the store contract suite on
#                               it, stop the server and remove the directory
#   make pg-shell               the same throwaway server, with psql on its database (for
#                               poking at the schema; the server goes when psql exits)
# scripts/run-tests does the same for `make check`.

.PHONY: check-store-postgres pg-shell
check-store-postgres: build/check/store-contract
	@d=$$(mktemp -d /tmp/kumppani-pg.XXXXXX) && chmod 755 "$$d" && \
	trap 'scripts/pg-test-server stop "$$d/pg" >/dev/null 2>&1; rm -rf "$$d"' EXIT && \
	url=$$(scripts/pg-test-server start "$$d/pg") && build/check/store-contract "$$url"

pg-shell: build/check/kumppani
	@d=$$(mktemp -d /tmp/kumppani-pg.XXXXXX) && chmod 755 "$$d" && \
	trap 'scripts/pg-test-server stop "$$d/pg" >/dev/null 2>&1; rm -rf "$$d"' EXIT && \
	url=$$(scripts/pg-test-server start "$$d/pg") && build/check/kumppani migrate --db "$$url" && \
	echo "$$url" && psql "$$url"
