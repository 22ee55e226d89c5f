/*
 * framing: the request-framing checks of RFC 9112 that h2o 2.2 leaves out, on the raw bytes of
 * an HTTP/1 request. h2o reads a body by the first Content-Length it meets (or by chunked when
 * both are sent), and runs what follows the body as the next request; a proxy in front that
 * went by the other header sees those bytes as body. That is request smuggling, so a request
 * whose framing is ambiguous is refused and its connection closed:
 *   - Content-Length headers that differ (6.3: identical repeats are one length);
 *   - Transfer-Encoding together with Content-Length (6.1);
 *   - Transfer-Encoding on HTTP/1.0 (6.1);
 *   - a header line folded onto the next (obs-fold, 5.2), which h2o would drop;
 *   - any Transfer-Encoding at all (411 Length Required, RFC 9110 15.5.12): h2o 2.2 reads a
 *     chunk size up to its first non-hex byte ("0x40" is 0) and drops what follows, where a
 *     proxy may read 64; a JSON body of at most 1 MiB needs no chunks.
 * An HTTP request must also carry at most one Host, holding one host, and HTTP/1.1 exactly one
 * (RFC 9112 3.2), a host name or address with an optional port, which does not need the close.
 * No library is included here: the parser is fuzzed alone (tests/fuzz/fuzz_framing.c).
 */
#ifndef KP_HTTP_FRAMING_H
#define KP_HTTP_FRAMING_H

#include <stddef.h>

/* raw[0..n): the bytes from the start of a request (blank lines before its request line are
 * skipped), method[0..mlen) its method as parsed, http11 whether it is HTTP/1.1. Returns NULL
 * when the framing is sound, or when raw does not start with the method or holds no whole
 * header block (nothing to judge); else the problem's detail (a static string), with *status
 * the answer's status (400 or 411) and *close set when the connection must be closed after
 * it. */
const char *http_framing_check(const char *raw, size_t n, const char *method, size_t mlen, int http11, int *close,
                               int *status);

#endif
