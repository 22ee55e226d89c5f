/*
 * jsoncanon: is a JSON text already in the exact form jansson's compact dump (JSON_COMPACT,
 * no other flags) gives it after parsing? Then it can be copied into a response as it is,
 * byte for byte what parse + dump would have produced, without building a tree; or copied
 * with its keys sorted (jsoncanon_sorted: JSON_SORT_KEYS, as audit entries are written), or
 * split into its members (jsoncanon_members: an erasure's redaction).
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

#include "util/buf.h"

#define JSONCANON_DEPTH 32
#define JSONCANON_KEYS  64

/* 1 when s[0..n) is one canonical compact JSON value (an object when want_object), else 0. */
int jsoncanon_ok(const char *s, size_t n, int want_object);

/* Append to out the bytes json_dumps(json_loads(s, JSON_DECODE_ANY), JSON_COMPACT |
 * JSON_SORT_KEYS | JSON_ENCODE_ANY) gives for the JSON text s[0..n), without a tree: each
 * object's members in key order, everything else copied. For a text in jsoncanon_ok's form,
 * with reals allowed where each is already the form jansson's dump gives its double ("%.17g"
 * with jansson's fix-ups: what a stored analysis holds), and no escape in a key. Returns 1;
 * 0 (nothing appended) when the text is not in that form: the caller parses and dumps;
 * -1 (nothing appended) when out's cap would be passed. */
int jsoncanon_sorted(const char *s, size_t n, struct buf *out);

/* One member of a JSON object: its key's text between the quotes, its value's text. */
struct jsoncanon_member {
	const char *key, *val;
	size_t key_len, val_len;
};
/* Split s[0..n), a JSON object in jsoncanon_ok's form (reals allowed, any jansson reads; keys
 * without escapes), into its members in key order (as JSON_SORT_KEYS orders them) into
 * m[0..max): their count, or -1 when s is not such an object or has more than max members
 * (the caller then parses it). A member's value text is what jansson's compact dump writes
 * for it unless it holds a real. */
int jsoncanon_members(const char *s, size_t n, struct jsoncanon_member *m, size_t max);

/* Rewrite, in place, each real number of the JSON text s[0..n) (outside strings) that jansson
 * wrote with 17 significant digits ("0.10000000000000001") as the shortest form that reads
 * back as the same double ("0.1"), keeping it a real ("5.0", not "5"). Returns the new
 * length (never more than n). Text that is not JSON is left as it is, number by number. */
size_t jsoncanon_shorten_reals(char *s, size_t n);

#endif
