#include "api/cursor.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define US "\x1f"

uint64_t api_cursor_hash(const char *s, size_t n)
{
	uint64_t h = 14695981039346656037ULL;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

char *api_cursor_encode(struct arena *a, const char *sort, const char *key, int64_t id)
{
	char *body = arena_printf(a, "1" US "%s" US "%s" US "%" PRId64 US, sort, key ? key : "", id);
	char *payload = arena_printf(a, "%s%016" PRIx64, body, api_cursor_hash(body, strlen(body)));
	size_t n = strlen(payload);
	size_t outlen = sodium_base64_encoded_len(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	char *out = arena_alloc(a, outlen);
	sodium_bin2base64(out, outlen, (const unsigned char *)payload, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return out;
}

int api_cursor_decode(struct arena *a, const char *cursor, const char *sort, const char **key, int64_t *id)
{
	size_t clen = strlen(cursor);
	if (clen == 0 || clen > API_CURSOR_MAX)
		return -1;
	unsigned char *bin = arena_alloc(a, clen + 1);
	size_t n = 0;
	if (sodium_base642bin(bin, clen, cursor, clen, NULL, &n, NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
		return -1;
	bin[n] = '\0';
	char *p = (char *)bin;
	if (memchr(p, '\0', n) || n < 2 + 16 || strncmp(p, "1" US, 2) != 0)
		return -1;
	/* the check: the last 16 characters, hex of the hash of everything before */
	char *check = p + n - 16;
	char want[17];
	snprintf(want, sizeof want, "%016" PRIx64, api_cursor_hash(p, n - 16));
	if (memcmp(check, want, 16) != 0)
		return -1;
	*check = '\0';
	/* "1 US sort US key US id US" */
	char *s = p + 2;
	size_t sl = strlen(sort);
	if (strncmp(s, sort, sl) != 0 || s[sl] != '\x1f')
		return -1;
	char *k = s + sl + 1;
	char *end = check - 1; /* the US before the check */
	if (end < k || *end != '\x1f')
		return -1;
	*end = '\0';
	char *idsep = strrchr(k, '\x1f');
	if (!idsep)
		return -1;
	*idsep = '\0';
	char *ep;
	long long v = strtoll(idsep + 1, &ep, 10);
	if (*ep || ep == idsep + 1 || v < 0)
		return -1;
	*key = arena_strdup(a, k);
	*id = (int64_t)v;
	return 0;
}
