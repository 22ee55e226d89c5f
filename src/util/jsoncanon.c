#include "util/jsoncanon.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What a read accepts beyond jsoncanon_ok's form. */
enum jc_reals {
	JC_REALS_NO,      /* no real (jsoncanon_ok) */
	JC_REALS_VALID,   /* any real jansson reads (its value is never copied) */
	JC_REALS_JANSSON, /* only a real in the exact form jansson's dump gives it */
};

struct jc {
	const unsigned char *p, *end;
	enum jc_reals reals;
	int plain_keys; /* no escape in a key: raw bytes order as jansson's sort does */
};

static int jc_value(struct jc *j, int depth);

/* A string at j->p (the opening quote); on success j->p is past the closing quote and
 * *start / *len span its raw body (for duplicate-key checks). */
static int jc_string(struct jc *j, const unsigned char **start, size_t *len)
{
	const unsigned char *p = j->p + 1, *end = j->end;
	*start = p;
	while (p < end) {
		unsigned c = *p;
		if (c == '"') {
			*len = (size_t)(p - *start);
			j->p = p + 1;
			return 1;
		}
		if (c < 0x20)
			return 0;
		if (c == '\\') {
			if (p + 1 >= end)
				return 0;
			switch (p[1]) {
			case '"': case '\\': case 'b': case 'f': case 'n': case 'r': case 't':
				p += 2;
				continue;
			case 'u':
				/* only \u0001-\u001F without a short form, upper-case hex */
				if (end - p < 6 || p[2] != '0' || p[3] != '0' || (p[4] != '0' && p[4] != '1'))
					return 0;
				{
					unsigned lo = p[5], v;
					if (lo >= '0' && lo <= '9')
						v = lo - '0';
					else if (lo >= 'A' && lo <= 'F')
						v = lo - 'A' + 10;
					else
						return 0;
					v += (p[4] - '0') * 16u;
					if (v == 0 || v == '\b' || v == '\f' || v == '\n' || v == '\r' || v == '\t')
						return 0;
				}
				p += 6;
				continue;
			default:
				return 0;
			}
		}
		if (c < 0x80) {
			p++;
			continue;
		}
		/* UTF-8: no overlongs, surrogates or code points above U+10FFFF */
		size_t ulen;
		uint32_t cp;
		if (c >= 0xC2 && c <= 0xDF)
			ulen = 2, cp = c & 0x1F;
		else if (c >= 0xE0 && c <= 0xEF)
			ulen = 3, cp = c & 0x0F;
		else if (c >= 0xF0 && c <= 0xF4)
			ulen = 4, cp = c & 0x07;
		else
			return 0;
		if ((size_t)(end - p) < ulen)
			return 0;
		for (size_t i = 1; i < ulen; i++) {
			if ((p[i] & 0xC0) != 0x80)
				return 0;
			cp = (cp << 6) | (p[i] & 0x3Fu);
		}
		if ((ulen == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
		    (ulen == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
			return 0;
		p += ulen;
	}
	return 0;
}

static int jc_lit(struct jc *j, const char *lit, size_t n)
{
	if ((size_t)(j->end - j->p) < n || memcmp(j->p, lit, n) != 0)
		return 0;
	j->p += n;
	return 1;
}

/* Does jansson read the real token t[0..len) (with an exponent: it refuses one that
 * overflows a double)? One that is too long to check here is taken as "no". */
static int jc_real_jansson_reads(const unsigned char *t, size_t len)
{
	char tok[64];
	if (len >= sizeof tok)
		return 0;
	memcpy(tok, t, len);
	tok[len] = '\0';
	errno = 0;
	double d = strtod(tok, NULL);
	return !(errno == ERANGE && fabs(d) == HUGE_VAL);
}

/* Is the real token t[0..len) what jansson's dump writes for the double it reads as (its
 * jsonp_dtostr: "%.17g", ".0" added when neither a point nor an exponent is there, the
 * exponent's '+' and leading zeros dropped)? A token jansson's reader refuses (overflow) is
 * not. */
static int jc_real_jansson_check(const unsigned char *t, size_t len)
{
	char tok[40], out[48];
	if (len >= sizeof tok)
		return 0;
	memcpy(tok, t, len);
	tok[len] = '\0';
	errno = 0;
	double d = strtod(tok, NULL);
	if (!isfinite(d) || (errno == ERANGE && fabs(d) == HUGE_VAL))
		return 0;
	int k = snprintf(out, sizeof out, "%.17g", d);
	if (k <= 0 || (size_t)k + 3 >= sizeof out)
		return 0;
	if (!strchr(out, '.') && !strchr(out, 'e')) {
		memcpy(out + k, ".0", 3);
		k += 2;
	}
	char *e = strchr(out, 'e');
	if (e) {
		char *start = e + 1, *stop = start + 1;
		if (*start == '-')
			start++;
		while (*stop == '0')
			stop++;
		if (stop != start) {
			memmove(start, stop, strlen(stop) + 1);
			k -= (int)(stop - start);
		}
	}
	return (size_t)k == len && memcmp(out, t, len) == 0;
}

/* jc_real_jansson_check() with the tokens found canonical remembered, per thread: the reals
 * of stored analyses are a few thousand strings ("0.0", "0.80000000000000004", ...), and a
 * strtod and a printf of each was a third of the copy's time. */
#define JC_REAL_SLOTS 512
struct jc_real_slot {
	unsigned char len;
	char tok[31];
};
static _Thread_local struct jc_real_slot jc_real_seen[JC_REAL_SLOTS];

static int jc_real_jansson(const unsigned char *t, size_t len)
{
	if (len >= sizeof jc_real_seen[0].tok)
		return jc_real_jansson_check(t, len);
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < len; i++)
		h = (h ^ t[i]) * 16777619u;
	struct jc_real_slot *slot = &jc_real_seen[h % JC_REAL_SLOTS];
	if (slot->len == len && memcmp(slot->tok, t, len) == 0)
		return 1;
	if (!jc_real_jansson_check(t, len))
		return 0;
	slot->len = (unsigned char)len;
	memcpy(slot->tok, t, len);
	return 1;
}

static int jc_number(struct jc *j)
{
	const unsigned char *p = j->p, *end = j->end;
	int neg = 0;
	if (p < end && *p == '-')
		neg = 1, p++;
	const unsigned char *d = p;
	while (p < end && *p >= '0' && *p <= '9')
		p++;
	size_t nd = (size_t)(p - d);
	if (nd == 0 || (nd > 1 && d[0] == '0'))
		return 0;
	if (p < end && (*p == '.' || *p == 'e' || *p == 'E')) {
		/* a real: -?int(.digits)?([eE][+-]?digits)? */
		int exp = 0;
		if (j->reals == JC_REALS_NO)
			return 0;
		if (*p == '.') {
			const unsigned char *f = ++p;
			while (p < end && *p >= '0' && *p <= '9')
				p++;
			if (p == f)
				return 0;
		}
		if (p < end && (*p == 'e' || *p == 'E')) {
			exp = 1;
			p++;
			if (p < end && (*p == '+' || *p == '-'))
				p++;
			const unsigned char *x = p;
			while (p < end && *p >= '0' && *p <= '9')
				p++;
			if (p == x)
				return 0;
		}
		if (j->reals == JC_REALS_JANSSON
		        ? !jc_real_jansson(j->p, (size_t)(p - j->p))
		        : (exp || p - j->p >= 64) && !jc_real_jansson_reads(j->p, (size_t)(p - j->p)))
			return 0;
		j->p = p;
		return 1;
	}
	if (nd > 18 || (neg && nd == 1 && d[0] == '0'))
		return 0;
	j->p = p;
	return 1;
}

static int jc_object(struct jc *j, int depth)
{
	struct {
		const unsigned char *s;
		size_t n;
	} keys[JSONCANON_KEYS];
	size_t nkeys = 0;
	j->p++;
	if (j->p < j->end && *j->p == '}') {
		j->p++;
		return 1;
	}
	for (;;) {
		const unsigned char *ks;
		size_t kn;
		if (j->p >= j->end || *j->p != '"' || !jc_string(j, &ks, &kn))
			return 0;
		if (nkeys == JSONCANON_KEYS || (j->plain_keys && memchr(ks, '\\', kn)))
			return 0;
		for (size_t i = 0; i < nkeys; i++)
			if (keys[i].n == kn && memcmp(keys[i].s, ks, kn) == 0)
				return 0; /* jansson keeps the last value of a duplicate key */
		keys[nkeys].s = ks;
		keys[nkeys].n = kn;
		nkeys++;
		if (j->p >= j->end || *j->p != ':')
			return 0;
		j->p++;
		if (!jc_value(j, depth + 1))
			return 0;
		if (j->p >= j->end)
			return 0;
		if (*j->p == '}') {
			j->p++;
			return 1;
		}
		if (*j->p != ',')
			return 0;
		j->p++;
	}
}

static int jc_array(struct jc *j, int depth)
{
	j->p++;
	if (j->p < j->end && *j->p == ']') {
		j->p++;
		return 1;
	}
	for (;;) {
		if (!jc_value(j, depth + 1) || j->p >= j->end)
			return 0;
		if (*j->p == ']') {
			j->p++;
			return 1;
		}
		if (*j->p != ',')
			return 0;
		j->p++;
	}
}

static int jc_value(struct jc *j, int depth)
{
	const unsigned char *s;
	size_t n;
	if (j->p >= j->end || depth > JSONCANON_DEPTH)
		return 0;
	switch (*j->p) {
	case '{': return jc_object(j, depth);
	case '[': return jc_array(j, depth);
	case '"': return jc_string(j, &s, &n);
	case 't': return jc_lit(j, "true", 4);
	case 'f': return jc_lit(j, "false", 5);
	case 'n': return jc_lit(j, "null", 4);
	default: return jc_number(j);
	}
}

int jsoncanon_ok(const char *s, size_t n, int want_object)
{
	struct jc j = {(const unsigned char *)s, (const unsigned char *)s + n, JC_REALS_NO, 0};
	if (!s || !n || (want_object && s[0] != '{'))
		return 0;
	return jc_value(&j, 1) && j.p == j.end;
}

/* ---- copies in key order --------------------------------------------------------------- */

/* Past the value at p of a text jc_value has accepted (so no check here). */
static const char *jc_skip(const char *p)
{
	int depth = 0;
	do {
		switch (*p) {
		case '"':
			for (p++; *p != '"'; p++)
				if (*p == '\\')
					p++;
			p++;
			break;
		case '{':
		case '[':
			depth++;
			p++;
			break;
		case '}':
		case ']':
			depth--;
			p++;
			break;
		case ',':
		case ':': p++; break;
		default: /* a number or a literal */
			while (*p != ',' && *p != '}' && *p != ']' && *p != ':' && *p != '\0')
				p++;
		}
	} while (depth > 0);
	return p;
}

/* The members of the object at p (accepted by jc_value), at most JSONCANON_KEYS: each key's
 * text between its quotes and its value's; returns the count and sets *after past the '}'. */
static size_t jc_split(const char *p, const char *end, struct jsoncanon_member *m, const char **after)
{
	size_t n = 0;
	p++; /* '{' */
	while (p < end && *p != '}') {
		const char *k = p + 1, *q = k;
		while (*q != '"') /* a key without escapes (plain_keys) */
			q++;
		m[n].key = k;
		m[n].key_len = (size_t)(q - k);
		m[n].val = q + 2;
		p = jc_skip(q + 2);
		m[n].val_len = (size_t)(p - m[n].val);
		n++;
		if (*p == ',')
			p++;
	}
	*after = p + 1;
	return n;
}

static int jc_member_cmp(const void *a, const void *b)
{
	const struct jsoncanon_member *x = a, *y = b;
	size_t n = x->key_len < y->key_len ? x->key_len : y->key_len;
	int c = memcmp(x->key, y->key, n);
	return c ? c : (x->key_len > y->key_len) - (x->key_len < y->key_len);
}

/* Append the value s[0..n) (accepted by jc_value with plain_keys) with each object's members
 * in key order; 0 or -1 (out's cap). */
static int jc_emit_sorted(const char *s, size_t n, struct buf *out)
{
	const char *end = s + n;
	if (*s == '[') {
		const char *p = s + 1;
		int rc = buf_addc(out, '[');
		while (rc == 0 && *p != ']') {
			const char *v = jc_skip(p);
			rc |= jc_emit_sorted(p, (size_t)(v - p), out);
			if (*v == ',')
				rc |= buf_addc(out, ','), v++;
			p = v;
		}
		return rc | buf_addc(out, ']');
	}
	if (*s != '{')
		return buf_add(out, s, n);
	struct jsoncanon_member m[JSONCANON_KEYS];
	const char *after;
	size_t k = jc_split(s, end, m, &after);
	int sorted = 1;
	for (size_t i = 1; i < k && sorted; i++)
		sorted = jc_member_cmp(&m[i - 1], &m[i]) < 0;
	if (!sorted)
		qsort(m, k, sizeof *m, jc_member_cmp);
	int rc = buf_addc(out, '{');
	for (size_t i = 0; i < k && rc == 0; i++) {
		rc |= (i ? buf_addc(out, ',') : 0) | buf_addc(out, '"') | buf_add(out, m[i].key, m[i].key_len) |
		      buf_add(out, "\":", 2);
		rc |= jc_emit_sorted(m[i].val, m[i].val_len, out);
	}
	return rc | buf_addc(out, '}');
}

int jsoncanon_sorted(const char *s, size_t n, struct buf *out)
{
	struct jc j = {(const unsigned char *)s, (const unsigned char *)s + n, JC_REALS_JANSSON, 1};
	if (!s || !n || !jc_value(&j, 1) || j.p != j.end)
		return 0;
	size_t len = out->len;
	if (jc_emit_sorted(s, n, out)) {
		buf_setlen(out, len);
		return -1;
	}
	return 1;
}

int jsoncanon_members(const char *s, size_t n, struct jsoncanon_member *m, size_t max)
{
	struct jc j = {(const unsigned char *)s, (const unsigned char *)s + n, JC_REALS_VALID, 1};
	struct jsoncanon_member all[JSONCANON_KEYS];
	const char *after;
	if (!s || !n || s[0] != '{' || !jc_value(&j, 1) || j.p != j.end)
		return -1;
	size_t k = jc_split(s, s + n, all, &after);
	if (k > max)
		return -1;
	qsort(all, k, sizeof *all, jc_member_cmp);
	memcpy(m, all, k * sizeof *m);
	return (int)k;
}

/* The shortest of %.15g, %.16g and %.17g of the real token t[0..len) that reads back as the
 * same double, into out (a real still: ".0" added to what looks whole); its length, or 0 to
 * keep the token (no shorter form, or one that would not fit). */
static size_t jc_short_real(const char *t, size_t len, char *out, size_t cap)
{
	char tok[40];
	if (len >= sizeof tok)
		return 0;
	memcpy(tok, t, len);
	tok[len] = '\0';
	double d = strtod(tok, NULL);
	for (int prec = 15; prec <= 16; prec++) {
		int k = snprintf(out, cap, "%.*g", prec, d);
		if (k <= 0 || (size_t)k >= cap || strtod(out, NULL) != d)
			continue;
		if (!strpbrk(out, ".eEni")) {
			if ((size_t)k + 2 >= cap)
				return 0;
			memcpy(out + k, ".0", 3);
			k += 2;
		}
		return (size_t)k < len ? (size_t)k : 0;
	}
	return 0;
}

size_t jsoncanon_shorten_reals(char *s, size_t n)
{
	/* every answer passes here: most hold no real of 16 digits or more, which has a run of 15
	 * digits at least (a point inside it does not end it: "123456789.12345679"), so look for
	 * such a run first (a tight read-only loop) */
	size_t run = 0, r = 0, w = 0;
	while (r < n && run < 15) {
		unsigned char c = (unsigned char)s[r++];
		run = (unsigned char)(c - '0') < 10 ? run + 1 : c == '.' ? run : 0;
	}
	if (run < 15)
		return n;
	r = 0;
	int in_str = 0;
	while (r < n) {
		char c = s[r];
		if (in_str) {
			s[w++] = s[r++];
			if (c == '\\' && r < n)
				s[w++] = s[r++];
			else if (c == '"')
				in_str = 0;
			continue;
		}
		if (c == '"') {
			in_str = 1;
			s[w++] = s[r++];
			continue;
		}
		if (c != '-' && (c < '0' || c > '9')) {
			s[w++] = s[r++];
			continue;
		}
		/* a number: [-]digits[.digits][e[+-]digits]; only a real with 16 or more digits can
		 * be shorter */
		size_t b = r, digits = 0;
		int real = 0;
		while (r < n && (s[r] == '-' || s[r] == '+' || s[r] == '.' || s[r] == 'e' || s[r] == 'E' ||
		                 (s[r] >= '0' && s[r] <= '9'))) {
			if (s[r] == '.' || s[r] == 'e' || s[r] == 'E')
				real = 1;
			else if (s[r] >= '0' && s[r] <= '9')
				digits++;
			r++;
		}
		char out[40];
		size_t k = real && digits >= 16 ? jc_short_real(s + b, r - b, out, sizeof out) : 0;
		if (k) {
			memcpy(s + w, out, k);
			w += k;
		} else {
			memmove(s + w, s + b, r - b);
			w += r - b;
		}
	}
	return w;
}
