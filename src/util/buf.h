/*
 * buf: a growable byte buffer with a mandatory size cap (git's strbuf, curl's dynbuf).
 *
 * Invariants: ptr is never NULL and always NUL-terminated (an empty buffer points at a
 * shared static ""), len < cap when allocated, len <= max. Appending past `max` fails
 * cleanly (returns -1, the buffer is left as it was) - that cap is the defence against
 * oversized input. The buffer owns ptr; buf_release() frees it, buf_detach() hands it
 * to the caller (who then frees it with free()).
 *
 *     struct buf b = BUF_INIT(64 * 1024);
 *     if (buf_addf(&b, "%d items", n) < 0) goto too_big;
 *     use(b.ptr, b.len);
 *     buf_release(&b);
 */
#ifndef KP_UTIL_BUF_H
#define KP_UTIL_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

extern char buf_empty[];

struct buf {
	char *ptr;
	size_t len;
	size_t cap; /* 0 while ptr == buf_empty */
	size_t max; /* largest len allowed */
};

#define BUF_INIT(maxlen) { buf_empty, 0, 0, (maxlen) }

void buf_init(struct buf *b, size_t max);
/* Append; 0 on success, -1 when the cap would be exceeded or memory ran out. */
int buf_add(struct buf *b, const void *data, size_t len);
int buf_adds(struct buf *b, const char *s);
int buf_addc(struct buf *b, char c);
int buf_addf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int buf_vaddf(struct buf *b, const char *fmt, va_list ap);
/* Append s as a JSON string literal (with quotes), escaping as RFC 8259 requires. */
int buf_add_json_str(struct buf *b, const char *s, size_t len);
/* Append s as a JSON string literal escaped the way jansson's compact dump does it: only
 * '"', '\\' and control characters (\b \f \n \r \t, the others as \u00XX, upper-case hex);
 * '/', '<', '>', '&' and non-ASCII stay as they are. s must be valid UTF-8: -2 (nothing
 * useful appended) when it is not, -1 when the cap would be exceeded. */
int buf_add_json_str_min(struct buf *b, const char *s, size_t len);
/* Append v in decimal. */
int buf_add_i64(struct buf *b, int64_t v);
/* Make room for `extra` more bytes without changing len. */
int buf_grow(struct buf *b, size_t extra);
void buf_setlen(struct buf *b, size_t len);
void buf_reset(struct buf *b);   /* len = 0, keeps memory */
void buf_release(struct buf *b); /* frees, back to BUF_INIT state (max kept) */
/* Hand the bytes to the caller (malloc'd, NUL-terminated, never NULL); buffer is reset. */
char *buf_detach(struct buf *b, size_t *len);

#endif
