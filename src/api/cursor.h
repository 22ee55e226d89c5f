/*
 * cursor: the opaque ?cursor= of list endpoints. It carries the sort it was made for, the
 * sort key of the last item returned and that item's id (keyset pagination), as base64url
 * of "1<US>sort<US>key<US>id<US>check" where check is a 64-bit FNV-1a hash of the rest:
 * a cursor that was cut, edited or made for another sort does not decode.
 *
 * Not a secret or a capability: a well-formed cursor only moves a client within a list it
 * may read anyway; the check exists to turn accidents into a clear 400.
 */
#ifndef KP_API_CURSOR_H
#define KP_API_CURSOR_H

#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"

#define API_CURSOR_MAX 1024 /* longest cursor accepted, in characters */

/* Encode (result in the arena). sort is the list's sort parameter as given ("-name"); key
 * must not contain the byte 0x1f. */
char *api_cursor_encode(struct arena *a, const char *sort, const char *key, int64_t id);
/* Decode a cursor made for `sort`; 0 with *key (arena) and *id, or -1 when malformed,
 * tampered with or made for another sort. */
int api_cursor_decode(struct arena *a, const char *cursor, const char *sort, const char **key, int64_t *id);
/* The cursor's 64-bit FNV-1a check of s[0..n): also for a key that must name its list
 * without spelling it out (search keys its cursors with the query's hash). */
uint64_t api_cursor_hash(const char *s, size_t n);

#endif
