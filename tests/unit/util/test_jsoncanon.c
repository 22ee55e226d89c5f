/* util/jsoncanon: reals in a JSON answer in their shortest form, nothing else touched. */
#include "test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/jsoncanon.h"

static void shortens_to(const char *in, const char *want)
{
	char buf[512];
	size_t n = strlen(in);
	memcpy(buf, in, n + 1);
	n = jsoncanon_shorten_reals(buf, n);
	buf[n] = '\0';
	CHECK_STR(buf, want);
}

TEST(jsoncanon_reals_read_as_entered)
{
	/* jansson's %.17g of what was entered as 0.1, 0.9 and -0.915 */
	shortens_to("{\"score\":0.10000000000000001}", "{\"score\":0.1}");
	shortens_to("[0.90000000000000002,-0.91500000000000004,0.96099999999999997]", "[0.9,-0.915,0.961]");
	/* the digits on both sides of the point count */
	shortens_to("{\"n\":1234567.8910000001,\"m\":98765.432100000005}", "{\"n\":1234567.891,\"m\":98765.4321}");
	/* still a real, and exponents kept valid */
	shortens_to("[5.0000000000000000,1.0000000000000001e+300,-2.5000000000000001e-10]", "[5.0,1e+300,-2.5e-10]");
	/* a double that needs 17 digits keeps them; short reals and integers are left alone */
	shortens_to("[0.30000000000000004,0.25,12345678901234567,1e5]", "[0.30000000000000004,0.25,12345678901234567,1e5]");
	/* numbers inside strings (and escaped quotes before them) are text */
	shortens_to("{\"a\":\"0.10000000000000001\",\"b\\\"\":\"x\\\"0.10000000000000001\"}",
	            "{\"a\":\"0.10000000000000001\",\"b\\\"\":\"x\\\"0.10000000000000001\"}");
	shortens_to("", "");
}

TEST(jsoncanon_shortened_reals_are_the_same_doubles)
{
	/* every double jansson writes reads back equal after shortening */
	unsigned seed = 12345;
	for (int i = 0; i < 20000; i++) {
		seed = seed * 1103515245u + 12345u;
		double d = (double)(seed % 2000001) / 1000.0 - 1000.0;
		if (i % 3 == 0)
			d = d * 1e-7;
		char buf[64], orig[64];
		snprintf(buf, sizeof buf, "%.17g", d);
		if (!strpbrk(buf, ".e"))
			strcat(buf, ".0");
		memcpy(orig, buf, sizeof orig);
		size_t n = jsoncanon_shorten_reals(buf, strlen(buf));
		buf[n] = '\0';
		CHECK(n <= strlen(orig));
		CHECK(strtod(buf, NULL) == d);
	}
}
