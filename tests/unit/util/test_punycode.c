/* util/punycode: RFC 3492 decoding of international domain labels ("xn--..." without the
 * prefix), checked against labels Python's IDNA codec writes. */
#include "test.h"

#include <string.h>

#include "util/punycode.h"

/* in decoded, as UTF-8 of code points below 0x800 or as given code points. */
static int decodes_to(const char *in, const uint32_t *want, size_t nwant)
{
	uint32_t out[PUNYCODE_MAX_OUT];
	size_t n = 99;
	if (punycode_decode(in, strlen(in), out, PUNYCODE_MAX_OUT, &n) != 0 || n != nwant)
		return 0;
	return memcmp(out, want, n * sizeof *out) == 0;
}

TEST(punycode_decodes_labels)
{
	static const uint32_t yhtio[] = {'y', 'h', 't', 'i', 0xF6};
	CHECK(decodes_to("yhti-8qa", yhtio, 5));
	/* the digits are case-insensitive; the basic letters keep their case */
	static const uint32_t yhtio_up[] = {'Y', 'H', 'T', 'I', 0xF6};
	CHECK(decodes_to("YHTI-8QA", yhtio_up, 5));
	static const uint32_t bucher[] = {'b', 0xFC, 'c', 'h', 'e', 'r'};
	CHECK(decodes_to("bcher-kva", bucher, 6));
	static const uint32_t aoa[] = {0xE4, 0xF6, 0xE5}; /* no basic code points: no delimiter */
	CHECK(decodes_to("4cac4c", aoa, 3));
	static const uint32_t rei[] = {0x4F8B, 0x3048};
	CHECK(decodes_to("r8jz45g", rei, 2));
	static const uint32_t primer[] = {0x43F, 0x440, 0x438, 0x43C, 0x435, 0x440};
	CHECK(decodes_to("e1afmkfd", primer, 6));
	static const uint32_t enye[] = {0xF1};
	CHECK(decodes_to("ida", enye, 1));
}

TEST(punycode_refuses_malformed)
{
	uint32_t out[PUNYCODE_MAX_OUT];
	size_t n;
	CHECK(punycode_decode("yhti-8", 6, out, PUNYCODE_MAX_OUT, &n) == -1);       /* a delta cut short */
	CHECK(punycode_decode("yhti-8q!", 8, out, PUNYCODE_MAX_OUT, &n) == -1);     /* no digit */
	CHECK(punycode_decode("99999999999", 11, out, PUNYCODE_MAX_OUT, &n) == -1); /* overflow */
	CHECK(punycode_decode("yhti-8qa", 8, out, 4, &n) == -1);                    /* more than cap */
	CHECK(punycode_decode("\xc3\xa4-8qa", 6, out, PUNYCODE_MAX_OUT, &n) == -1); /* non-ASCII basic */
	CHECK(punycode_decode("", 0, out, PUNYCODE_MAX_OUT, &n) == 0 && n == 0);
}
