/* Runs every registered TEST (or those whose name contains argv[1]). */
#include "test.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

struct test_case {
	const char *name, *file;
	void (*fn)(void);
};

static struct test_case *cases;
static size_t ncases, capcases;
static int current_failed;

void test_register(const char *name, const char *file, void (*fn)(void))
{
	if (ncases == capcases) {
		capcases = capcases ? capcases * 2 : 64;
		cases = realloc(cases, capcases * sizeof(*cases));
		if (!cases)
			abort();
	}
	cases[ncases++] = (struct test_case){ name, file, fn };
}

void test_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "  %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	current_failed = 1;
}

int main(int argc, char **argv)
{
	int passed = 0, failed = 0;
	for (size_t i = 0; i < ncases; i++) {
		if (argc > 1 && !strstr(cases[i].name, argv[1]))
			continue;
		current_failed = 0;
		cases[i].fn();
		if (current_failed) {
			failed++;
			fprintf(stderr, "FAIL %s (%s)\n", cases[i].name, cases[i].file);
		} else {
			passed++;
		}
	}
	printf("unit: %d passed, %d failed\n", passed, failed);
	free(cases);
	return failed ? 1 : 0;
}
