#include "util/punycode.h"

#include <string.h>

/* RFC 3492 section 5: the parameters of Punycode as IDNA uses it */
enum { BASE = 36, TMIN = 1, TMAX = 26, SKEW = 38, DAMP = 700, INITIAL_BIAS = 72, INITIAL_N = 128 };

/* The value of one digit (a-z / A-Z are 0..25, 0-9 are 26..35), or BASE for no digit. */
static uint32_t digit_value(unsigned char c)
{
	if (c >= 'a' && c <= 'z')
		return c - 'a';
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= '0' && c <= '9')
		return c - '0' + 26;
	return BASE;
}

/* RFC 3492 section 6.1: the bias after a delta, so that the next deltas' digits stay few. */
static uint32_t adapt(uint32_t delta, uint32_t numpoints, int first)
{
	delta = first ? delta / DAMP : delta / 2;
	delta += delta / numpoints;
	uint32_t k = 0;
	while (delta > ((BASE - TMIN) * TMAX) / 2) {
		delta /= BASE - TMIN;
		k += BASE;
	}
	return k + (BASE - TMIN + 1) * delta / (delta + SKEW);
}

int punycode_decode(const char *in, size_t n, uint32_t *out, size_t cap, size_t *nout)
{
	/* the basic (ASCII) code points come first, up to the last delimiter */
	size_t b = 0, len = 0;
	for (size_t j = 0; j < n; j++)
		if (in[j] == '-')
			b = j;
	for (size_t j = 0; j < b; j++) {
		if ((unsigned char)in[j] >= 0x80 || len == cap)
			return -1;
		out[len++] = (unsigned char)in[j];
	}
	uint32_t code = INITIAL_N, i = 0, bias = INITIAL_BIAS;
	/* then the deltas, each a generalised variable-length integer (section 6.2) */
	for (size_t p = b > 0 ? b + 1 : 0; p < n;) {
		uint32_t oldi = i, w = 1;
		for (uint32_t k = BASE;; k += BASE) {
			if (p >= n)
				return -1;
			uint32_t digit = digit_value((unsigned char)in[p++]);
			if (digit >= BASE || digit > (UINT32_MAX - i) / w)
				return -1;
			i += digit * w;
			uint32_t t = k <= bias ? TMIN : k >= bias + TMAX ? TMAX : k - bias;
			if (digit < t)
				break;
			if (w > UINT32_MAX / (BASE - t))
				return -1;
			w *= BASE - t;
		}
		if (len == cap)
			return -1;
		uint32_t count = (uint32_t)len + 1;
		bias = adapt(i - oldi, count, oldi == 0);
		if (i / count > UINT32_MAX - code)
			return -1;
		code += i / count;
		i %= count;
		if (code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF) || code < 0x80)
			return -1;
		memmove(out + i + 1, out + i, (len - i) * sizeof *out);
		out[i++] = code;
		len++;
	}
	*nout = len;
	return 0;
}
