/*
 * The "kumppani" FTS5 tokenizer: splits UTF-8 text into words (Unicode letters, digits and
 * combining marks), folds case with utf8proc, and stems with Snowball so that inflected
 * Finnish finds its base form ("laskut", "laskun", "laskua" -> "lasku").
 *
 * Terms per word (FTS5 colocated tokens, so they share one position):
 *   document: the Finnish stem, plus the folded word and the English stem when they
 *             differ ("invoices" is found by "invoice").
 *   query:    the Finnish stem, and the English stem as an alternative.
 *   prefix:   the folded word as typed (the query's last word: build_match also gives it
 *             whole, in query mode, as an alternative).
 * Words with digits are kept as they are (phone numbers, business ids). What Snowball cannot
 * join (consonant gradation: "Helsinki" / "Helsingin") the query brings as a word's forms
 * (store.h struct search_forms), each stemmed here like the word.
 *
 * The -nen rule: Finnish -nen words (most surnames: Virtanen, Nieminen, Korhonen) inflect
 * on an -s- stem (Virtasen, Virtaselle, Virtasta). Snowball leaves the nominative as
 * "virtan" but the inflected forms as "virtas", so for a word ending in -nen whose stem is
 * the word minus "en" we replace the stem's final n by s: all forms then meet at "virtas".
 */
#include <libstemmer.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "store/sqlite/fts.h"
#include "store/sqlite/sq_int.h"

#define SQ_WORD_MAX 128

/* Stemming is most of the tokenizer's cost and text repeats its words, so each tokenizer
 * keeps a direct-mapped cache of the document-mode terms of short words (allocated on
 * first use: read connections that only query never need it). */
#define SQ_CACHE_N 2048
#define SQ_CACHE_W 32

struct sq_cache_ent {
	uint32_t hash;
	uint8_t wl, n;
	uint8_t len[3];
	char w[SQ_CACHE_W];
	char t[3][SQ_CACHE_W];
};

struct sq_tokenizer {
	struct sb_stemmer *fi, *en;
	struct sq_cache_ent *cache;
	struct sq_fts_replay *replay; /* a bulk load's side connection only (see sq_fts_replay) */
};

static int sq_is_word_cp(utf8proc_int32_t cp)
{
	switch (utf8proc_category(cp)) {
	case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
	case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN:
	case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL:
	case UTF8PROC_CATEGORY_NO:
		return 1;
	default:
		return 0;
	}
}

size_t sq_fold(const char *s, size_t n, char *out, size_t outlen)
{
	size_t pos = 0, o = 0;

	if (!outlen)
		return 0;
	while (pos < n) {
		utf8proc_int32_t cp;
		utf8proc_uint8_t enc[4];
		utf8proc_ssize_t len = utf8proc_iterate((const utf8proc_uint8_t *)s + pos, (utf8proc_ssize_t)(n - pos), &cp);
		utf8proc_ssize_t elen;

		if (len <= 0) { /* invalid byte: keep it */
			if (o + 1 >= outlen)
				break;
			out[o++] = s[pos++];
			continue;
		}
		elen = utf8proc_encode_char(utf8proc_tolower(cp), enc);
		if (o + (size_t)elen >= outlen)
			break;
		memcpy(out + o, enc, (size_t)elen);
		o += (size_t)elen;
		pos += (size_t)len;
	}
	out[o] = '\0';
	return o;
}

/* ---- name sort keys (name_fold) ----
 * Names sort in Finnish alphabetical order by comparing keys as bytes: the name in lower case
 * with the letters that Finnish sorts as another letter replaced by it (é as e, ü as y, æ as ä,
 * ø as ö, ã as a...) and å, which Finnish sorts after z but before ä, as ã (U+00E3: its bytes
 * fall between z and ä; a real ã has become a by then). ä and ö stay: in UTF-8 they already
 * follow z, ä before ö. PostgreSQL's kp_name_key() (pg_migrations.c) maps the same letters. */
static utf8proc_int32_t sq_name_letter(utf8proc_int32_t cp)
{
	switch (cp) {
	case 0xE0:
	case 0xE1:
	case 0xE2:
	case 0xE3: return 'a';  /* à á â ã */
	case 0xE5: return 0xE3; /* å: between z and ä */
	case 0xE6: return 0xE4; /* æ as ä */
	case 0xF8: return 0xF6; /* ø as ö */
	case 0xFC:
	case 0xFD:
	case 0xFF: return 'y'; /* ü ý ÿ */
	case 0xE8:
	case 0xE9:
	case 0xEA:
	case 0xEB: return 'e'; /* è é ê ë */
	case 0xEC:
	case 0xED:
	case 0xEE:
	case 0xEF: return 'i'; /* ì í î ï */
	case 0xF2:
	case 0xF3:
	case 0xF4:
	case 0xF5: return 'o'; /* ò ó ô õ */
	case 0xF9:
	case 0xFA:
	case 0xFB: return 'u';  /* ù ú û */
	case 0xE7: return 'c';  /* ç */
	case 0xF1: return 'n';  /* ñ */
	case 0x161: return 's'; /* š */
	case 0x17E: return 'z'; /* ž */
	default: return cp;
	}
}

char *sq_name_key(struct arena *a, const char *s)
{
	char *folded = sq_fold_dup(a, s);
	size_t n = strlen(folded), o = 0;
	char *out = arena_alloc(a, n + 1); /* a mapped letter never takes more bytes than its own */
	for (size_t pos = 0; pos < n;) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t len =
		    utf8proc_iterate((const utf8proc_uint8_t *)folded + pos, (utf8proc_ssize_t)(n - pos), &cp);
		if (len <= 0) { /* invalid byte: kept, as sq_fold keeps it */
			out[o++] = folded[pos++];
			continue;
		}
		utf8proc_int32_t m = sq_name_letter(cp);
		if (m == cp) {
			memcpy(out + o, folded + pos, (size_t)len);
			o += (size_t)len;
		} else {
			o += (size_t)utf8proc_encode_char(m, (utf8proc_uint8_t *)out + o);
		}
		pos += (size_t)len;
	}
	out[o] = '\0';
	return out;
}

/* SQL kp_name_key(name): sq_name_key(), for the migration that rewrote name_fold. */
static void sq_name_key_sql(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct arena a = ARENA_INIT;
	const char *s = (const char *)sqlite3_value_text(argv[0]);
	(void)argc;
	if (!s) {
		sqlite3_result_null(ctx);
		return;
	}
	const char *k = sq_name_key(&a, s);
	if (k)
		sqlite3_result_text(ctx, k, -1, SQLITE_TRANSIENT);
	else
		sqlite3_result_error_nomem(ctx);
	arena_release(&a);
}

int sq_name_key_register(sqlite3 *db)
{
	return sqlite3_create_function_v2(db, "kp_name_key", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
	                                  NULL, sq_name_key_sql, NULL, NULL, NULL);
}

char *sq_fold_dup(struct arena *a, const char *s)
{
	size_t n = strlen(s);
	size_t cap = n * 2 + 1; /* lower case never needs more than twice the bytes */
	char *out = arena_alloc(a, cap);

	sq_fold(s, n, out, cap);
	return out;
}

/* The stem of a folded word by stemmer sb (the word itself when it has none or it does not
 * fit); into out (NUL-terminated). */
static size_t sq_stem(struct sb_stemmer *sb, const char *w, size_t wl, char *out, size_t outlen)
{
	const sb_symbol *r = sb_stemmer_stem(sb, (const sb_symbol *)w, (int)wl);
	size_t rl = r ? (size_t)sb_stemmer_length(sb) : 0;

	if (!r || rl == 0 || rl >= outlen) {
		rl = wl < outlen ? wl : outlen - 1;
		memcpy(out, w, rl);
	} else {
		memcpy(out, r, rl);
	}
	out[rl] = '\0';
	return rl;
}

/* The Finnish stem of a folded word, with the -nen rule; into out (NUL-terminated). */
static size_t sq_stem_fi(struct sb_stemmer *fi, const char *w, size_t wl, char *out, size_t outlen)
{
	size_t rl = sq_stem(fi, w, wl, out, outlen);

	if (wl >= 6 && memcmp(w + wl - 3, "nen", 3) == 0 && rl == wl - 2 && memcmp(out, w, rl) == 0 &&
	    out[rl - 1] == 'n')
		out[rl - 1] = 's';
	return rl;
}

struct sq_terms {
	int n;
	char t[3][SQ_WORD_MAX * 2];
	size_t len[3];
};

static void sq_terms_add(struct sq_terms *ts, const char *s, size_t n)
{
	if (n == 0 || ts->n == 3)
		return;
	for (int i = 0; i < ts->n; i++)
		if (ts->len[i] == n && memcmp(ts->t[i], s, n) == 0)
			return;
	memcpy(ts->t[ts->n], s, n);
	ts->t[ts->n][n] = '\0';
	ts->len[ts->n] = n;
	ts->n++;
}

static void sq_word_terms_uncached(struct sq_tokenizer *tk, const char *w, size_t wl, int mode, struct sq_terms *ts);

/* mode: 0 document, 1 query, 2 prefix query. w is folded. */
static void sq_word_terms(struct sq_tokenizer *tk, const char *w, size_t wl, int mode, struct sq_terms *ts)
{
	uint32_t h = 2166136261u;
	struct sq_cache_ent *e;

	if (mode != 0 || wl == 0 || wl > SQ_CACHE_W) {
		sq_word_terms_uncached(tk, w, wl, mode, ts);
		return;
	}
	if (!tk->cache) {
		tk->cache = calloc(SQ_CACHE_N, sizeof *tk->cache);
		if (!tk->cache) {
			sq_word_terms_uncached(tk, w, wl, mode, ts);
			return;
		}
	}
	for (size_t i = 0; i < wl; i++)
		h = (h ^ (unsigned char)w[i]) * 16777619u;
	e = &tk->cache[h & (SQ_CACHE_N - 1)];
	if (e->wl == wl && e->hash == h && memcmp(e->w, w, wl) == 0) {
		ts->n = e->n;
		for (int i = 0; i < e->n; i++) {
			memcpy(ts->t[i], e->t[i], e->len[i]);
			ts->t[i][e->len[i]] = '\0';
			ts->len[i] = e->len[i];
		}
		return;
	}
	sq_word_terms_uncached(tk, w, wl, mode, ts);
	for (int i = 0; i < ts->n; i++)
		if (ts->len[i] > SQ_CACHE_W)
			return; /* a term longer than the word: do not cache */
	e->hash = h;
	e->wl = (uint8_t)wl;
	memcpy(e->w, w, wl);
	e->n = (uint8_t)ts->n;
	for (int i = 0; i < ts->n; i++) {
		memcpy(e->t[i], ts->t[i], ts->len[i]);
		e->len[i] = (uint8_t)ts->len[i];
	}
}

/* 1 if stem st[0..sl) is one of the commonest Finnish words ("on", is; "ei", not; "ja",
 * and...) while the word w[0..wl) is another: Snowball reads a word's end as a possessive
 * suffix and cuts it down to one ("Onni" -> "on"), and a query for the name Onni would then
 * find every message with "on" in it. (PostgreSQL's finnish configuration indexes none of
 * these words.) */
static int sq_stem_is_function_word(const char *st, size_t sl, const char *w, size_t wl)
{
	static const char *const words[] = {"on", "ei", "en", "et", "se", "ne", "ja", "jo", "me", "te", "he", NULL};
	if (sl != 2 || (wl == sl && memcmp(st, w, sl) == 0))
		return 0;
	for (size_t i = 0; words[i]; i++)
		if (memcmp(st, words[i], 2) == 0)
			return 1;
	return 0;
}

static void sq_word_terms_uncached(struct sq_tokenizer *tk, const char *w, size_t wl, int mode, struct sq_terms *ts)
{
	char st[SQ_WORD_MAX * 2];
	size_t sl;
	int digits = 0;

	ts->n = 0;
	for (size_t i = 0; i < wl; i++)
		if (w[i] >= '0' && w[i] <= '9')
			digits = 1;
	if (digits) {
		sq_terms_add(ts, w, wl);
		return;
	}
	if (mode == 2) {
		/* the word as typed, as a prefix: a stem as a prefix reaches too far ("Minna" ->
		 * "min"* found every "minulle"); the query gives the word once more, whole, for its
		 * stems (search.c build_match) */
		sq_terms_add(ts, w, wl);
		return;
	}
	sl = sq_stem_fi(tk->fi, w, wl, st, sizeof st);
	if (mode == 0 || !sq_stem_is_function_word(st, sl, w, wl))
		sq_terms_add(ts, st, sl); /* a query word is not cut down to "on" (see above) */
	if (mode == 0)
		sq_terms_add(ts, w, wl);
	sl = sq_stem(tk->en, w, wl, st, sizeof st);
	sq_terms_add(ts, st, sl);
}

static int sq_tok_create(void *ctx, const char **argv, int argc, Fts5Tokenizer **out)
{
	struct sq_tokenizer *tk = calloc(1, sizeof *tk);

	if (!tk)
		return SQLITE_NOMEM;
	tk->replay = ctx;
	tk->fi = sb_stemmer_new("finnish", NULL);
	tk->en = sb_stemmer_new("english", NULL);
	if (!tk->fi || !tk->en) {
		if (tk->fi)
			sb_stemmer_delete(tk->fi);
		if (tk->en)
			sb_stemmer_delete(tk->en);
		free(tk);
		return SQLITE_ERROR;
	}
	*out = (Fts5Tokenizer *)tk;
	return SQLITE_OK;
}

static void sq_tok_delete(Fts5Tokenizer *p)
{
	struct sq_tokenizer *tk = (struct sq_tokenizer *)p;

	if (tk) {
		sb_stemmer_delete(tk->fi);
		sb_stemmer_delete(tk->en);
		free(tk->cache);
		free(tk);
	}
}

static int sq_tok_tokenize(Fts5Tokenizer *p, void *ctx, int flags, const char *text, int ntext,
			   int (*xToken)(void *, int, const char *, int, int, int))
{
	struct sq_tokenizer *tk = (struct sq_tokenizer *)p;
	int mode = (flags & FTS5_TOKENIZE_DOCUMENT) ? 0 : (flags & FTS5_TOKENIZE_PREFIX) ? 2 : 1;
	char w[SQ_WORD_MAX + 8];
	size_t wl = 0;
	int start = -1, pos = 0;
	struct sq_terms ts;

	if (!(flags & (FTS5_TOKENIZE_DOCUMENT | FTS5_TOKENIZE_QUERY | FTS5_TOKENIZE_PREFIX)))
		mode = 0; /* FTS5_TOKENIZE_AUX: highlight()/snippet() re-tokenise the document */
	if (tk->replay && tk->replay->n && (flags & FTS5_TOKENIZE_DOCUMENT)) {
		int rc = sq_fts_replay_run(tk->replay, text, ntext, ctx, xToken);
		if (rc >= 0)
			return rc;
	}
	while (pos <= ntext) {
		utf8proc_int32_t cp = -1;
		utf8proc_ssize_t len = 1;
		int is_word = 0;

		if (pos < ntext && (unsigned char)text[pos] < 0x80) { /* ASCII: no table lookups */
			unsigned char ch = (unsigned char)text[pos];
			is_word = (ch >= '0' && ch <= '9') || ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'z');
			cp = (ch >= 'A' && ch <= 'Z') ? ch + 32 : ch;
		} else if (pos < ntext) {
			len = utf8proc_iterate((const utf8proc_uint8_t *)text + pos, ntext - pos, &cp);
			if (len <= 0) {
				len = 1;
				cp = -1;
			}
			is_word = cp >= 0 && sq_is_word_cp(cp);
			if (is_word)
				cp = utf8proc_tolower(cp);
		}
		if (is_word) {
			utf8proc_uint8_t enc[4];
			utf8proc_ssize_t elen = 1;
			if (cp < 0x80)
				enc[0] = (utf8proc_uint8_t)cp;
			else
				elen = utf8proc_encode_char(cp, enc);
			if (start < 0) {
				start = pos;
				wl = 0;
			}
			if (wl + (size_t)elen <= SQ_WORD_MAX) {
				memcpy(w + wl, enc, (size_t)elen);
				wl += (size_t)elen;
			}
		} else if (start >= 0) {
			w[wl] = '\0';
			sq_word_terms(tk, w, wl, mode, &ts);
			for (int i = 0; i < ts.n; i++) {
				int rc = xToken(ctx, i ? FTS5_TOKEN_COLOCATED : 0, ts.t[i], (int)ts.len[i], start, pos);
				if (rc != SQLITE_OK)
					return rc;
			}
			start = -1;
		}
		pos += (int)len;
	}
	return SQLITE_OK;
}

/* ---- recorded token streams (a bulk load's side index, search_side.c) ----
 * A recorded stream is what sq_tok_tokenize() passes to xToken for a text in document
 * mode, token by token: flags (1 byte), start and end (4 bytes each, host order), the term's
 * length (2 bytes) and its bytes. Replaying it is the same as tokenising the same text. */

struct sq_fts_recorder {
	struct sq_tokenizer *tk;
	int (*emit)(void *arg, const void *bytes, size_t n);
	void *arg;
};

static int sq_record_token(void *ctx, int tflags, const char *tok, int ntok, int start, int end)
{
	struct sq_fts_recorder *r = ctx;
	unsigned char hdr[11];
	uint32_t s32 = (uint32_t)start, e32 = (uint32_t)end;
	uint16_t n16 = (uint16_t)ntok;

	hdr[0] = (unsigned char)tflags;
	memcpy(hdr + 1, &s32, 4);
	memcpy(hdr + 5, &e32, 4);
	memcpy(hdr + 9, &n16, 2);
	if (r->emit(r->arg, hdr, sizeof hdr) || r->emit(r->arg, tok, (size_t)ntok))
		return SQLITE_NOMEM;
	return SQLITE_OK;
}

struct sq_fts_recorder *sq_fts_recorder_new(void)
{
	struct sq_fts_recorder *r = calloc(1, sizeof *r);

	if (r && sq_tok_create(NULL, NULL, 0, (Fts5Tokenizer **)&r->tk) != SQLITE_OK) {
		free(r);
		r = NULL;
	}
	return r;
}

void sq_fts_recorder_free(struct sq_fts_recorder *r)
{
	if (r) {
		sq_tok_delete((Fts5Tokenizer *)r->tk);
		free(r);
	}
}

int sq_fts_record(struct sq_fts_recorder *r, const char *text, size_t n, int (*emit)(void *arg, const void *bytes, size_t n),
		  void *arg)
{
	r->emit = emit;
	r->arg = arg;
	return sq_tok_tokenize((Fts5Tokenizer *)r->tk, r, FTS5_TOKENIZE_DOCUMENT, text, (int)n, sq_record_token) == SQLITE_OK
		       ? 0
		       : -1;
}

/* Replay the recorded stream of the column whose text equals text[0..ntext), if one is
 * set and not used yet: its xToken status, or -1 (no such column: tokenise). */
int sq_fts_replay_run(struct sq_fts_replay *rp, const char *text, int ntext, void *ctx,
		      int (*xToken)(void *, int, const char *, int, int, int))
{
	for (int i = 0; i < rp->n; i++) {
		struct sq_fts_replay_col *col = &rp->col[i];
		const unsigned char *p, *end;
		if (col->used || col->ntext != (size_t)ntext || (ntext && memcmp(col->text, text, (size_t)ntext) != 0))
			continue;
		col->used = 1;
		for (p = col->toks, end = col->toks + col->ntoks; p + 11 <= end;) {
			uint32_t s32, e32;
			uint16_t n16;
			int rc;
			memcpy(&s32, p + 1, 4);
			memcpy(&e32, p + 5, 4);
			memcpy(&n16, p + 9, 2);
			rc = xToken(ctx, p[0], (const char *)p + 11, n16, (int)s32, (int)e32);
			if (rc != SQLITE_OK)
				return rc;
			p += 11 + n16;
		}
		return SQLITE_OK;
	}
	return -1;
}

static fts5_api *sq_fts5_api(sqlite3 *db)
{
	fts5_api *api = NULL;
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
	sqlite3_step(st);
	sqlite3_finalize(st);
	return api;
}

int sq_fts_register_replay(sqlite3 *db, struct sq_fts_replay *rp)
{
	fts5_api *api = sq_fts5_api(db);
	fts5_tokenizer tok = { sq_tok_create, sq_tok_delete, sq_tok_tokenize };

	if (!api)
		return SQLITE_ERROR;
	return api->xCreateTokenizer(api, "kumppani", rp, &tok, NULL);
}

int sq_fts_register(sqlite3 *db)
{
	return sq_fts_register_replay(db, NULL);
}

int sq_fts_terms(const char *word, size_t n, int mode, char *out, size_t outlen)
{
	struct sq_tokenizer *tk = NULL;
	char w[SQ_WORD_MAX + 8];
	size_t wl, o = 0;
	struct sq_terms ts;
	int k = 0;

	if (sq_tok_create(NULL, NULL, 0, (Fts5Tokenizer **)&tk) != SQLITE_OK)
		return -1;
	wl = sq_fold(word, n, w, sizeof w);
	sq_word_terms(tk, w, wl, mode, &ts);
	for (int i = 0; i < ts.n; i++) {
		if (o + ts.len[i] + 1 > outlen)
			break;
		memcpy(out + o, ts.t[i], ts.len[i] + 1);
		o += ts.len[i] + 1;
		k++;
	}
	sq_tok_delete((Fts5Tokenizer *)tk);
	return k;
}

/* ---- one text against a query, without an index (sq_fts_text_matches) ----
 * The query's words become groups of alternative terms (a word that tokenises into several
 * words gives several groups, all needed); a word's forms (store.h) are alternatives to the
 * word as a whole. The text is tokenised in document mode and each of its terms marks the
 * groups it satisfies; tokenising stops as soon as every word is found. */

struct sq_qgroup {
	struct sq_terms ts;
	int prefix; /* the query's last word: its terms match as prefixes */
	int found;
	int word, alt; /* the query word it is for; 0: the word itself, k: its form k */
};

struct sq_qmatch {
	struct sq_qgroup *g;
	int n, cap;
	int word, alt, nwords; /* the groups being collected are for word, alt */
};

const struct search_word_forms *sq_search_word_forms(const struct search_forms *f, const char *w, size_t wl)
{
	for (size_t i = 0; f && i < f->n; i++)
		if (f->words[i].n && strlen(f->words[i].word) == wl && memcmp(f->words[i].word, w, wl) == 0)
			return &f->words[i];
	return NULL;
}

static int sq_qmatch_collect(void *ctx, int flags, const char *t, int nt, int start, int end)
{
	struct sq_qmatch *m = ctx;
	(void)start;
	(void)end;
	if (!(flags & FTS5_TOKEN_COLOCATED) || m->n == 0 || m->g[m->n - 1].word != m->word ||
	    m->g[m->n - 1].alt != m->alt) {
		if (m->n == m->cap) {
			int cap = m->cap ? m->cap * 2 : 8;
			struct sq_qgroup *g = realloc(m->g, (size_t)cap * sizeof *g);
			if (!g)
				return SQLITE_NOMEM;
			m->g = g;
			m->cap = cap;
		}
		memset(&m->g[m->n], 0, sizeof m->g[m->n]);
		m->g[m->n].word = m->word;
		m->g[m->n].alt = m->alt;
		m->n++;
	}
	sq_terms_add(&m->g[m->n - 1].ts, t, (size_t)nt);
	return SQLITE_OK;
}

/* 1 if every query word is found: for each word, every group of one of its alternatives.
 * Groups come ordered by word, then alternative. */
static int sq_qmatch_done(const struct sq_qmatch *m)
{
	int i = 0;
	while (i < m->n) {
		int word = m->g[i].word, word_found = 0;
		while (i < m->n && m->g[i].word == word) {
			int alt = m->g[i].alt, all = 1;
			for (; i < m->n && m->g[i].word == word && m->g[i].alt == alt; i++)
				all &= m->g[i].found;
			word_found |= all;
		}
		if (!word_found)
			return 0;
	}
	return m->n > 0;
}

static int sq_qmatch_doc(void *ctx, int flags, const char *t, int nt, int start, int end)
{
	struct sq_qmatch *m = ctx;
	int newly = 0;
	(void)flags;
	(void)start;
	(void)end;
	for (int i = 0; i < m->n; i++) {
		struct sq_qgroup *g = &m->g[i];
		for (int k = 0; !g->found && k < g->ts.n; k++) {
			size_t l = g->ts.len[k];
			if ((g->prefix ? (size_t)nt >= l : (size_t)nt == l) && memcmp(t, g->ts.t[k], l) == 0)
				g->found = newly = 1;
		}
	}
	return newly && sq_qmatch_done(m) ? SQLITE_DONE : SQLITE_OK; /* all found: stop reading */
}

static int sq_is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

/* The next white-space separated word of *p (advanced past it); NULL at the end. */
static const char *sq_next_word(const char **p, size_t *wl)
{
	const char *w;
	while (sq_is_space(**p))
		(*p)++;
	for (w = *p; **p && !sq_is_space(**p); (*p)++)
		;
	*wl = (size_t)(*p - w);
	return *p == w ? NULL : w;
}

int sq_fts_text_matches(const char *q, const struct search_forms *forms, const char *text, size_t n)
{
	struct sq_tokenizer *tk = NULL;
	struct sq_qmatch m = {0};
	const char *p = q, *w, *last = NULL;
	size_t wl;
	int rc = SQLITE_OK, ret;

	if (sq_tok_create(NULL, NULL, 0, (Fts5Tokenizer **)&tk) != SQLITE_OK)
		return -1;
	/* the query's words as search.c's build_match quotes them; its last word with any word
	 * in it is the prefix (found by tokenising each word in query mode first) */
	while (rc == SQLITE_OK && (w = sq_next_word(&p, &wl))) {
		rc = sq_tok_tokenize((Fts5Tokenizer *)tk, &m, FTS5_TOKENIZE_QUERY, w, (int)wl, sq_qmatch_collect);
		if (m.n > 0)
			last = w;
		m.n = 0;
	}
	for (p = q; rc == SQLITE_OK && (w = sq_next_word(&p, &wl)); m.word++) {
		int before = m.n, flags = FTS5_TOKENIZE_QUERY | (w == last ? FTS5_TOKENIZE_PREFIX : 0);
		m.alt = 0;
		rc = sq_tok_tokenize((Fts5Tokenizer *)tk, &m, flags, w, (int)wl, sq_qmatch_collect);
		if (m.n == before)
			continue; /* no word in it: not searched for */
		int alt = 1;
		if (w == last) {
			m.g[m.n - 1].prefix = 1; /* FTS5 takes only a phrase's last word as a prefix */
			m.alt = alt++;           /* and the whole word, for its stems */
			rc = sq_tok_tokenize((Fts5Tokenizer *)tk, &m, FTS5_TOKENIZE_QUERY, w, (int)wl,
			                     sq_qmatch_collect);
		}
		const struct search_word_forms *wf = sq_search_word_forms(forms, w, wl);
		for (size_t k = 0; rc == SQLITE_OK && wf && k < wf->n; k++) {
			m.alt = alt++;
			rc = sq_tok_tokenize((Fts5Tokenizer *)tk, &m, FTS5_TOKENIZE_QUERY, wf->form[k],
			                     (int)strlen(wf->form[k]), sq_qmatch_collect);
		}
	}
	if (rc == SQLITE_OK && m.n > 0 && text && n <= INT_MAX)
		rc = sq_tok_tokenize((Fts5Tokenizer *)tk, &m, FTS5_TOKENIZE_DOCUMENT, text, (int)n, sq_qmatch_doc);
	if (rc != SQLITE_OK && rc != SQLITE_DONE)
		ret = -1;
	else
		ret = sq_qmatch_done(&m);
	free(m.g);
	sq_tok_delete((Fts5Tokenizer *)tk);
	return ret;
}
