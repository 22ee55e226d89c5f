/*
 * jsoncanon: is a JSON text already in the exact form jansson's compact dump (JSON_COMPACT,
 * no other flags) gives it after parsing? Then it can be copied into a response as it is,
 * byte for byte what parse + dump would have produced, without building a tree.
 *
 * The check is strict and conservative: no whitespace outside strings; strings valid UTF-8
 * with only the escapes jansson writes (\" \\ \b \f \n \r \t, other controls as \u00XX in
 * upper-case hex, no \u0000); integers without a sign on zero, leading zeros or more than
 * 18 digits; no duplicate keys in an object of up to JSONCANON_KEYS keys; nesting up to
 * JSONCANON_DEPTH. Anything else (reals among them: their canonical form is printf's %.17g)
 * is "no", and the caller takes the slow path (parse and dump). A "no" never means invalid.
 */
#ifndef KP_UTIL_JSONCANON_H
#define KP_UTIL_JSONCANON_H

#include <stddef.h>

#define JSONCANON_DEPTH 32
#define JSONCANON_KEYS  64

/* 1 when s[0..n) is one canonical compact JSON value (an object when want_object), else 0. */
int jsoncanon_ok(const char *s, size_t n, int want_object);

/* Rewrite, in place, each real number of the JSON text s[0..n) (outside strings) that jansson
 * wrote with 17 significant digits ("0.10000000000000001") as the shortest form that reads
 * back as the same double ("0.1"), keeping it a real ("5.0", not "5"). Returns the new
 * length (never more than n). Text that is not JSON is left as it is, number by number. */
size_t jsoncanon_shorten_reals(char *s, size_t n);

#endif
