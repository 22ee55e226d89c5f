/*
 * punycode: the decoding half of Punycode (RFC 3492), which writes an internationalised
 * domain label in ASCII ("xn--yhti-8qa" is "yhtiö"). An e-mail address may reach us in either
 * spelling; validate_email() turns "xn--" labels back into letters so that both are one
 * address (for lists, filters, merges and search alike).
 */
#ifndef KP_UTIL_PUNYCODE_H
#define KP_UTIL_PUNYCODE_H

#include <stddef.h>
#include <stdint.h>

#define PUNYCODE_MAX_OUT 63 /* code points: a DNS label is at most 63 bytes, so no more */

/* Decode the Punycode in[0..n) (the part after "xn--", ASCII) into at most `cap` code points
 * at out; *nout is how many. 0, or -1 when it is malformed (a character that is no digit, a
 * sequence cut short, an overflow, a code point past U+10FFFF or a surrogate, more than cap
 * code points). */
int punycode_decode(const char *in, size_t n, uint32_t *out, size_t cap, size_t *nout);

#endif
