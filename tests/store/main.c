/*
 * store-contract URL [NAME]: open a fresh database at URL and run every contract case (or
 * those whose name contains NAME). Prints each failure and ends with
 * "store-contract(<backend>): N passed, N failed"; exits 1 on failure, 2 on usage or when
 * the database is not fresh.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "store/store.h"
#include "util/log.h"
#include "contract.h"

const char *ct_url;
static int ct_failed_now;
static const char *ct_current;

void ct_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "  [%s] %s:%d: ", ct_current, file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	ct_failed_now = 1;
}

int main(int argc, char **argv)
{
	struct kp_err err = KP_ERR_INIT;
	struct store *s = NULL;
	struct store_conn *c;
	int64_t nstaff = -1, ncust = -1;
	int passed = 0, failed = 0;
	const char *backend;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: %s URL [CASE]\n", argv[0]);
		return 2;
	}
	log_set_quiet(1);
	ct_url = argv[1];
	if (store_open(ct_url, NULL, &s, &err) != 0) {
		fprintf(stderr, "store-contract: cannot open %s: %s\n", ct_url, err.msg);
		return 2;
	}
	backend = store_backend_name(s);
	c = store_reader(s, &err);
	if (!c || store_staff_count(c, &nstaff, &err) != 0 || store_customer_count(c, &ncust, &err) != 0 ||
	    nstaff != 0 || ncust != 0) {
		fprintf(stderr, "store-contract: %s is not a fresh database (%s)\n", ct_url, err.msg);
		store_close(s);
		return 2;
	}
	for (size_t i = 0; i < ct_ncases; i++) {
		if (argc == 3 && !strstr(ct_cases[i].name, argv[2]))
			continue;
		ct_current = ct_cases[i].name;
		ct_failed_now = 0;
		ct_cases[i].fn(s);
		if (ct_failed_now) {
			failed++;
			fprintf(stderr, "FAIL %s\n", ct_cases[i].name);
		} else {
			passed++;
		}
	}
	store_close(s);
	printf("store-contract(%s): %d passed, %d failed\n", backend, passed, failed);
	return failed ? 1 : 0;
}
