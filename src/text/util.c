/* Small helpers private to src/text/: arena, string map, hashing, UTF-8 checks, names. */
#include <stdlib.h>
#include <string.h>

#include "text/text_int.h"

struct text_arena_chunk {
	struct text_arena_chunk *next;
	size_t used, cap;
	_Alignas(8) unsigned char data[];
};

void *text_arena_alloc(struct text_arena *a, size_t n)
{
	n = (n + 7) & ~(size_t)7;
	struct text_arena_chunk *c = a->head;
	if (!c || c->cap - c->used < n) {
		size_t cap = n > 60000 ? n : 64 * 1024 - sizeof(*c);
		c = malloc(sizeof(*c) + cap);
		if (!c)
			return NULL;
		c->next = a->head;
		c->used = 0;
		c->cap = cap;
		a->head = c;
	}
	void *p = c->data + c->used;
	c->used += n;
	a->used_total += n;
	return p;
}

char *text_arena_strdup(struct text_arena *a, const char *s, size_t n)
{
	char *p = text_arena_alloc(a, n + 1);
	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

void text_arena_release(struct text_arena *a)
{
	struct text_arena_chunk *c = a->head;
	while (c) {
		struct text_arena_chunk *next = c->next;
		free(c);
		c = next;
	}
	a->head = NULL;
	a->used_total = 0;
}

/* FNV-1a 64 with a final avalanche: short keys, fast enough, good spread for linear probing. */
uint64_t text_hash(const void *p, size_t n, uint64_t seed)
{
	const unsigned char *s = p;
	uint64_t h = 1469598103934665603ULL ^ seed;
	for (size_t i = 0; i < n; i++) {
		h ^= s[i];
		h *= 1099511628211ULL;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

uint32_t *text_map_get(const struct text_map *m, const char *key, size_t klen, uint64_t h)
{
	if (!m->cap)
		return NULL;
	size_t mask = m->cap - 1;
	for (size_t i = h & mask;; i = (i + 1) & mask) {
		struct text_map_slot *s = &m->slots[i];
		if (!s->key)
			return NULL;
		if (s->hash == h && s->klen == klen && memcmp(s->key, key, klen) == 0)
			return &s->val;
	}
}

static int map_grow(struct text_map *m)
{
	size_t ncap = m->cap ? m->cap * 2 : 256;
	struct text_map_slot *ns = calloc(ncap, sizeof(*ns));
	if (!ns)
		return -1;
	for (size_t i = 0; i < m->cap; i++) {
		struct text_map_slot *s = &m->slots[i];
		if (!s->key)
			continue;
		size_t j = s->hash & (ncap - 1);
		while (ns[j].key)
			j = (j + 1) & (ncap - 1);
		ns[j] = *s;
	}
	free(m->slots);
	m->slots = ns;
	m->cap = ncap;
	return 0;
}

int text_map_put(struct text_map *m, const char *key, size_t klen, uint64_t h, uint32_t val)
{
	uint32_t *v = text_map_get(m, key, klen, h);
	if (v) {
		*v = val;
		return 0;
	}
	if ((m->n + 1) * 2 > m->cap && map_grow(m) < 0) /* load factor <= 1/2 */
		return -1;
	size_t mask = m->cap - 1, i = h & mask;
	while (m->slots[i].key)
		i = (i + 1) & mask;
	m->slots[i] = (struct text_map_slot){ h, key, (uint32_t)klen, val };
	m->n++;
	return 0;
}

void text_map_clear(struct text_map *m)
{
	if (m->cap)
		memset(m->slots, 0, m->cap * sizeof(*m->slots));
	m->n = 0;
}

void text_map_release(struct text_map *m)
{
	free(m->slots);
	*m = (struct text_map){ 0 };
}

int text_utf8_valid(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	while (i < len) {
		unsigned char c = s[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		size_t n;
		uint32_t cp;
		if (c >= 0xC2 && c <= 0xDF) {
			n = 2;
			cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			n = 3;
			cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			n = 4;
			cp = c & 0x07;
		} else {
			return 0;
		}
		if (len - i < n)
			return 0;
		for (size_t k = 1; k < n; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		i += n;
	}
	return 1;
}

double text_abuse_score_shown(double v)
{
	if (v < TEXT_ABUSE_PRESENT && v >= TEXT_ABUSE_PRESENT - 0.0005)
		return TEXT_ABUSE_PRESENT - 0.001;
	return v;
}

size_t text_utf8_prefix(const char *s, size_t len, size_t max)
{
	if (len <= max)
		return len;
	size_t n = max;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	return n;
}

const char *text_strerror(int status)
{
	switch (status) {
	case TEXT_OK: return "ok";
	case TEXT_EUTF8: return "input is not valid UTF-8";
	case TEXT_ETOOLONG: return "input is longer than 65536 bytes";
	case TEXT_ENOMEM: return "out of memory";
	case TEXT_EINVAL: return "invalid argument or data";
	}
	return "unknown error";
}

const char *text_lang_name(enum text_lang l)
{
	switch (l) {
	case TEXT_LANG_FI: return "fi";
	case TEXT_LANG_EN: return "en";
	case TEXT_LANG_AUTO: return "auto";
	default: return "other";
	}
}

int text_lang_parse(const char *s)
{
	if (!s)
		return -2;
	if (!strcmp(s, "auto"))
		return TEXT_LANG_AUTO;
	if (!strcmp(s, "fi"))
		return TEXT_LANG_FI;
	if (!strcmp(s, "en"))
		return TEXT_LANG_EN;
	if (!strcmp(s, "other"))
		return TEXT_LANG_OTHER;
	return -2;
}

const char *text_abuse_cat_name(enum text_abuse_cat c)
{
	static const char *const names[] = { "insult", "threat", "obscenity", "identity_attack",
					     "toxicity" };
	return (unsigned)c < TEXT_ABUSE_NCAT ? names[c] : "unknown";
}

const char *text_sentiment_name(int label)
{
	return label < 0 ? "negative" : label > 0 ? "positive" : "neutral";
}
