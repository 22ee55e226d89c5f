#include "http/framing.h"

#include <ctype.h>
#include <string.h>

/* Whether a[0..n) is lc (lower case), ignoring the case of ASCII letters. */
static int framing_lc_eq(const char *a, const char *lc, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = a[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != lc[i])
			return 0;
	}
	return 1;
}

/* Whether line[0..n) is header `name` (lower case, nlen bytes) followed by a colon; *v and *vl
 * are then its value, white space trimmed. */
static int framing_header_is(const char *line, size_t n, const char *name, size_t nlen, const char **v, size_t *vl)
{
	if (n <= nlen || line[nlen] != ':' || !framing_lc_eq(line, name, nlen))
		return 0;
	const char *b = line + nlen + 1, *e = line + n;
	while (b < e && (*b == ' ' || *b == '\t'))
		b++;
	while (e > b && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		e--;
	*v = b;
	*vl = (size_t)(e - b);
	return 1;
}

/* Whether v[0..n) can be a Host value: uri-host [":" port] of RFC 3986, reg-name or IP
 * literal (a list is caught apart); HTTP/1.0 may send it empty. No space, '/', '@', '?', '#',
 * '"', '<', '\\', control or byte past ASCII. */
static int framing_host_ok(const char *v, size_t n)
{
	/* the host: an IP literal "[...]" of hex digits, colons and dots, or a reg-name (no ':'
	 * or brackets); then at most ":" and a port of up to five digits, at most 65535 */
	size_t h = 0;
	if (n && v[0] == '[') {
		const char *close = memchr(v, ']', n);
		if (!close || close == v + 1)
			return 0;
		for (const char *q = v + 1; q < close; q++)
			if (!isxdigit((unsigned char)*q) && *q != ':' && *q != '.')
				return 0;
		h = (size_t)(close - v) + 1;
	} else {
		for (; h < n && v[h] != ':'; h++) {
			unsigned char c = (unsigned char)v[h];
			if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			      strchr("-._~%!$&'()*+,;=", c)) ||
			    c == '\0')
				return 0;
		}
	}
	if (h == n)
		return 1;
	if (v[h] != ':')
		return 0;
	size_t digits = n - h - 1;
	unsigned long port = 0;
	if (digits > 5)
		return 0;
	for (size_t i = h + 1; i < n; i++) {
		if (v[i] < '0' || v[i] > '9')
			return 0;
		port = port * 10 + (unsigned long)(v[i] - '0');
	}
	return port <= 65535; /* an empty port is allowed (RFC 3986: port = *DIGIT) */
}

const char *http_framing_check(const char *raw, size_t n, const char *method, size_t mlen, int http11, int *close,
                               int *status)
{
	const char *p = raw, *end = raw + n;
	*close = 0;
	*status = 400;
	while (p < end && (*p == '\r' || *p == '\n')) /* blank lines before the request line */
		p++;
	if ((size_t)(end - p) < mlen || memcmp(p, method, mlen) != 0)
		return NULL;
	int hosts = 0, host_list = 0, host_bad = 0, lengths = 0, te = 0, lengths_differ = 0, folded = 0;
	const char *first = NULL;
	size_t first_len = 0;
	const char *nl = memchr(p, '\n', (size_t)(end - p)); /* past the request line */
	for (;;) {
		if (!nl || (p = nl + 1) >= end)
			return NULL; /* no end of the header block in sight */
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			return NULL;
		size_t len = (size_t)(nl - p);
		if (len == 0 || (len == 1 && p[0] == '\r'))
			break; /* the blank line that ends the headers */
		const char *v;
		size_t vl;
		if (p[0] == ' ' || p[0] == '\t') {
			folded = 1; /* obs-fold: h2o drops the line ("Content-Length: 0" + " 63" is 0) */
		} else if (framing_header_is(p, len, "host", 4, &v, &vl)) {
			hosts++;
			host_list |= memchr(v, ',', vl) != NULL;
			host_bad |= !framing_host_ok(v, vl);
		} else if (framing_header_is(p, len, "content-length", 14, &v, &vl)) {
			if (lengths++ == 0) {
				first = v;
				first_len = vl;
			} else if (vl != first_len || memcmp(v, first, vl) != 0) {
				lengths_differ = 1;
			}
		} else if (framing_header_is(p, len, "transfer-encoding", 17, &v, &vl)) {
			te = 1;
		}
	}
	*close = 1;
	if (folded)
		return "a header line folded onto the next one (obs-fold) is not accepted";
	if (lengths_differ)
		return "the request has Content-Length headers that differ";
	if (te && lengths)
		return "the request has both Transfer-Encoding and Content-Length";
	if (te && !http11)
		return "an HTTP/1.0 request cannot use Transfer-Encoding";
	if (te) {
		*status = 411;
		return "send the body with a Content-Length: a request body in chunks is not accepted";
	}
	*close = 0;
	if (hosts > 1)
		return "the request has more than one Host header";
	if (host_list)
		return "the Host header holds more than one host";
	if (host_bad)
		return "the Host header is not a host name or address with an optional port (RFC 9112 3.2)";
	if (http11 && !hosts)
		return "an HTTP/1.1 request needs a Host header";
	return NULL;
}
