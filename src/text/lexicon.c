/*
 * The shared lexicon: the generated raw table (text_lex.h) indexed by normalised term, built
 * once per process under pthread_once and read-only afterwards (so analyzers in many threads
 * share it without locks).
 *
 * Keys are a language letter ('f'/'e') + the NFC+casefolded term. Entries from the npm lists
 * are surface forms, so they are also inserted under their lemma (voikko base forms for
 * Finnish, Snowball stem for English): the Finnish AFINN's "aseet" then matches "aseella".
 * The project's own lists are written in base form and inserted as written (+ English stem).
 * Per id and kind the first writer wins, and the own lists come first in the table, so they
 * override the npm lists.
 */
#include <libstemmer.h>
#include <libvoikko/voikko.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/text_int.h"

static struct text_lexicon g_lx;
static const struct text_lexicon *g_lx_ready;
static char g_lx_err[160];
static pthread_once_t g_lx_once = PTHREAD_ONCE_INIT;

struct builder {
	struct text_lexicon *lx;
	uint32_t *kinds_set; /* by id: bit per kind already written */
	struct VoikkoHandle *voikko;
	struct sb_stemmer *stem;
};

int32_t text_lexicon_id(const struct text_lexicon *lx, const char *key, size_t klen)
{
	uint32_t *v = text_map_get(&lx->terms, key, klen, text_hash(key, klen, 0));
	return v ? (int32_t)*v : -1;
}

static int32_t get_or_add(struct builder *b, const char *key, size_t klen)
{
	struct text_lexicon *lx = b->lx;
	int32_t id = text_lexicon_id(lx, key, klen);
	if (id >= 0)
		return id;
	if (lx->nterms == lx->capterms) {
		uint32_t nc = lx->capterms ? lx->capterms * 2 : 4096;
		struct text_info *ni = realloc(lx->info, nc * sizeof(*ni));
		if (!ni)
			return -1;
		lx->info = ni;
		uint32_t *nk = realloc(b->kinds_set, nc * sizeof(*nk));
		if (!nk)
			return -1;
		b->kinds_set = nk;
		lx->capterms = nc;
	}
	char *k = text_arena_strdup(&lx->arena, key, klen);
	if (!k)
		return -1;
	id = (int32_t)lx->nterms++;
	memset(&lx->info[id], 0, sizeof(lx->info[id]));
	b->kinds_set[id] = 0;
	if (text_map_put(&lx->terms, k, klen, text_hash(k, klen, 0), (uint32_t)id) < 0)
		return -1;
	return id;
}

static void apply_kind(struct text_info *in, int kind, float w)
{
	switch (kind) {
	case TEXT_LK_VALENCE: in->valence = w; in->flags |= TI_HASVAL; break;
	case TEXT_LK_INSULT: in->abuse[TA_INSULT] = w; break;
	case TEXT_LK_THREAT: in->abuse[TA_THREAT] = w; break;
	case TEXT_LK_OBSCENE: in->abuse[TA_OBSCENE] = w; break;
	case TEXT_LK_IDENTITY: in->abuse[TA_IDENTITY] = w; break;
	case TEXT_LK_IDGROUP: in->idgroup = w; break;
	case TEXT_LK_NEGATOR: in->flags |= TI_NEGATOR; break;
	case TEXT_LK_INTENSIFIER:
	case TEXT_LK_DOWNTONER: in->mult = w; break;
	case TEXT_LK_CONTRAST: in->flags |= TI_CONTRAST; break;
	case TEXT_LK_SECOND:
		if (w > 0)
			in->flags |= TI_SECOND | (w >= 2 ? TI_SING2 : 0); /* weight 2: singular ("oot") */
		break;
	case TEXT_LK_FIRST_FUTURE: in->flags |= TI_FIRST; break;
	case TEXT_LK_STOP: in->flags |= TI_STOP; break;
	case TEXT_LK_FUNC: in->flags |= TI_FUNC; break;
	case TEXT_LK_THANKS: in->flags |= TI_THANKS; break;
	case TEXT_LK_APOLOGY: in->flags |= TI_APOLOGY; break;
	case TEXT_LK_COPULA: in->flags |= TI_COPULA; break;
	case TEXT_LK_PERSON: in->flags |= TI_PERSON; break;
	case TEXT_LK_MODAL: in->flags |= TI_MODAL; break;
	case TEXT_LK_CONTEMPT: in->flags |= TI_CONTEMPT; break;
	case TEXT_LK_FIXED: in->flags |= TI_FIXED; break;
	default: break;
	}
}

static int add_key(struct builder *b, const char *key, size_t klen, int kind, float w, int src)
{
	int32_t id = get_or_add(b, key, klen);
	if (id < 0)
		return -1;
	if (kind == TEXT_LK_EXCLUDE) {
		b->lx->info[id].flags |= TI_EXCLUDED;
		return 0;
	}
	if (src != 0 && (b->lx->info[id].flags & TI_EXCLUDED))
		return 0; /* an npm entry for a word the project marked as too ambiguous */
	if (b->kinds_set[id] & (1u << kind))
		return 0;
	b->kinds_set[id] |= 1u << kind;
	apply_kind(&b->lx->info[id], kind, w);
	return 0;
}

/* Voikko base forms of a word (distinct, up to max) into out[] as "f"+lemma keys. */
static int fi_lemmas(struct VoikkoHandle *v, const char *word, char out[][128], int max)
{
	int n = 0;
	struct voikko_mor_analysis **an = voikkoAnalyzeWordCstr(v, word);
	/* skip potential-mood readings when the form has another reading (as lemma.c does) */
	int npot = 0, nall = 0;
	for (int i = 0; an && an[i]; i++, nall++) {
		char *m = voikko_mor_analysis_value_cstr(an[i], "MOOD");
		npot += m && !strcmp(m, "potential");
		if (m)
			voikko_free_mor_analysis_value_cstr(m);
	}
	for (int i = 0; an && an[i] && n < max; i++) {
		if (npot && npot < nall) {
			char *m = voikko_mor_analysis_value_cstr(an[i], "MOOD");
			int pot = m && !strcmp(m, "potential");
			if (m)
				voikko_free_mor_analysis_value_cstr(m);
			if (pot)
				continue;
		}
		char *bf = voikko_mor_analysis_value_cstr(an[i], "BASEFORM");
		if (!bf)
			continue;
		char tmp[128];
		int k = text_normalize(bf, strlen(bf), tmp + 1, sizeof tmp - 1);
		voikko_free_mor_analysis_value_cstr(bf);
		if (k <= 0)
			continue;
		tmp[0] = 'f';
		int dup = 0;
		for (int j = 0; j < n; j++)
			dup |= !strcmp(out[j], tmp);
		if (!dup)
			memcpy(out[n++], tmp, (size_t)k + 2);
	}
	if (an)
		voikko_free_mor_analysis(an);
	return n;
}

/* 1 if every reading voikko gives of word is a finite verb in the first or second person,
 * indicative or conditional ("tiedän", "tapan", "puhut", "saatte"); 0 otherwise (an
 * imperative, an infinitive, a noun, or a word voikko does not know). */
static int fi_personal_form(struct VoikkoHandle *v, const char *word)
{
	struct voikko_mor_analysis **an = voikkoAnalyzeWordCstr(v, word);
	int n = 0, personal = 0;
	for (int i = 0; an && an[i]; i++, n++) {
		char *mood = voikko_mor_analysis_value_cstr(an[i], "MOOD");
		char *person = voikko_mor_analysis_value_cstr(an[i], "PERSON");
		if (mood && person && (!strcmp(mood, "indicative") || !strcmp(mood, "conditional")) &&
		    (!strcmp(person, "1") || !strcmp(person, "2")))
			personal++;
		if (mood)
			voikko_free_mor_analysis_value_cstr(mood);
		if (person)
			voikko_free_mor_analysis_value_cstr(person);
	}
	if (an)
		voikko_free_mor_analysis(an);
	return n > 0 && personal == n;
}

static int is_function_kind(int kind)
{
	return kind == TEXT_LK_EXCLUDE || kind == TEXT_LK_NEGATOR || kind == TEXT_LK_INTENSIFIER || kind == TEXT_LK_DOWNTONER ||
	       kind == TEXT_LK_CONTRAST || kind == TEXT_LK_SECOND || kind == TEXT_LK_FIRST_FUTURE ||
	       kind == TEXT_LK_STOP || kind == TEXT_LK_FUNC || kind == TEXT_LK_COPULA || kind == TEXT_LK_PERSON || kind == TEXT_LK_MODAL ||
	       kind == TEXT_LK_CONTEMPT || kind == TEXT_LK_FIXED;
}

/* text_lex_raw.src of the naughty-words (LDNOOBW) entries: the index of that name in
 * gen_lexicon.mjs SOURCES (0 is the project's own lists). */
enum { SRC_LDNOOBW = 4 };

/*
 * 1 if Snowball cut a derivational suffix to reach stem st (sl bytes) of word s (n bytes):
 * "useful" -> "use", "effective" -> "effect", "decisive" -> "decis", "defender" -> "defend".
 * The stem is then an everyday word of no sentiment ("used", "effects", "decision", "defend"),
 * so the entry is matched on its own forms only. Inflections keep the stem: "annoys",
 * "annoyed", "annoyingly" -> "annoy"; so does a stem that is no prefix ("happy" -> "happi").
 */
static int en_derivational_stem(const char *s, size_t n, const sb_symbol *st, int sl)
{
	if (sl <= 0 || (size_t)sl > n || memcmp(s, st, (size_t)sl) != 0)
		return 0;
	static const char *const inflections[] = { "", "s", "es", "ed", "d", "ing", "e", "ly", "ingly", "edly", NULL };
	const char *rest = s + sl;
	size_t rl = n - (size_t)sl;
	for (int i = 0; inflections[i]; i++)
		if (strlen(inflections[i]) == rl && !memcmp(rest, inflections[i], rl))
			return 0;
	return 1;
}

static int add_word(struct builder *b, int lang, const char *norm, size_t nlen, int kind, float w, int src)
{
	char key[260];
	if (nlen + 2 > sizeof key)
		return 0;
	key[0] = lang == TEXT_LL_FI ? 'f' : 'e';
	memcpy(key + 1, norm, nlen);
	key[nlen + 1] = 0;
	if (lang == TEXT_LL_FI && src != 0 && !is_function_kind(kind)) {
		char lem[3][128];
		int n = fi_lemmas(b->voikko, norm, lem, 3);
		for (int i = 0; i < n; i++) {
			int32_t id = text_lexicon_id(b->lx, lem[i], strlen(lem[i]));
			if (id >= 0 && (b->lx->info[id].flags & TI_EXCLUDED))
				return 0; /* "naiset" is dropped with its lemma "nainen" */
		}
	}
	if (add_key(b, key, nlen + 1, kind, w, src) < 0)
		return -1;
	if (is_function_kind(kind))
		return 0;
	if (lang == TEXT_LL_FI && src != 0) {
		char lem[3][128];
		int n = fi_lemmas(b->voikko, norm, lem, 3);
		for (int i = 0; i < n; i++)
			if (add_key(b, lem[i], strlen(lem[i]), kind, w, src) < 0)
				return -1;
	} else if (lang == TEXT_LL_EN && !(src == SRC_LDNOOBW && nlen > 5 && !memcmp(norm + nlen - 3, "ing", 3))) {
		/* (not the LDNOOBW -ing entries: they name sexual acts after everyday words,
		 * which their stems are: "throating" -> "throat", "rimming" -> "rim",
		 * "shrimping" -> "shrimp", "fingering" -> "finger"; the list has the base forms
		 * it means, such as "fuck") */
		const sb_symbol *st = sb_stemmer_stem(b->stem, (const sb_symbol *)norm, (int)nlen);
		int sl = sb_stemmer_length(b->stem);
		if (st && sl > 0 && (size_t)sl + 2 < sizeof key &&
		    !(kind == TEXT_LK_VALENCE && en_derivational_stem(norm, nlen, st, sl))) {
			memcpy(key + 1, st, (size_t)sl);
			if (add_key(b, key, (size_t)sl + 1, kind, w, src) < 0)
				return -1;
		}
	}
	return 0;
}

static int add_phrase(struct builder *b, int lang, const char *norm, int kind, float w)
{
	struct text_lexicon *lx = b->lx;
	if (lx->nphrases % 64 == 0) {
		struct text_phrase *np = realloc(lx->phrases, (lx->nphrases + 64) * sizeof(*np));
		if (!np)
			return -1;
		lx->phrases = np;
	}
	struct text_phrase *p = &lx->phrases[lx->nphrases];
	memset(p, 0, sizeof(*p));
	p->lang = (unsigned char)lang;
	p->kind = (unsigned char)kind;
	p->weight = w;
	const char *s = norm;
	int abuse_kind = kind == TEXT_LK_INSULT || kind == TEXT_LK_THREAT || kind == TEXT_LK_SEVERE ||
			 kind == TEXT_LK_IDENTITY || kind == TEXT_LK_OBSCENE;
	while (*s && p->n < TEXT_PHRASE_MAXW) {
		while (*s == ' ')
			s++;
		const char *e = s;
		while (*e && *e != ' ')
			e++;
		if (e == s)
			break;
		struct text_phrase_word *pw = &p->w[p->n];
		for (int i = 0; i < 4; i++)
			pw->ids[i] = -1;
		size_t n = (size_t)(e - s);
		if (s[n - 1] == '*' && p->n > 0) {
			pw->prefix = text_arena_strdup(&lx->arena, s, n - 1);
			pw->prefix_len = (uint32_t)(n - 1);
			if (!pw->prefix)
				return -1;
		} else {
			char key[130], word[128];
			/* "=älä": this exact form only, not its lemma ("älä huoli" comforts, "en huoli"
			 * does not) */
			int exact = s[0] == '=' && n > 1;
			if (exact)
				s++, n--;
			if (n + 2 > sizeof key)
				return 0;
			memcpy(word, s, n);
			word[n] = 0;
			key[0] = lang == TEXT_LL_FI ? 'f' : 'e';
			memcpy(key + 1, s, n);
			int k = 0;
			if ((pw->ids[k++] = get_or_add(b, key, n + 1)) < 0)
				return -1;
			if (exact) {
				/* surface form only; the analysis checks that the token has it as a form,
				 * since a token's ids hold its lemmas in the same key space */
				pw->exact = 1;
			} else if (lang == TEXT_LL_FI) {
				char lem[3][128];
				int nl = fi_lemmas(b->voikko, word, lem, 3);
				/* an abuse phrase that starts with a verb in the first or second
				 * person means that person: "tiedän missä asut" is the speaker's
				 * threat, not "kuljettaja tietää missä asutte"; "puhut huonoa suomea"
				 * mocks the reader, "puhun huonoa suomea" is a customer's request.
				 * Imperatives keep their lemma ("voit painua vittuun", "kannattaa
				 * varoa selustaas"), and so do sentiment and tone formulas. */
				if (p->n == 0 && abuse_kind && fi_personal_form(b->voikko, word))
					pw->exact = 1, nl = 0;
				for (int i = 0; i < nl && k < 4; i++)
					if ((pw->ids[k++] = get_or_add(b, lem[i], strlen(lem[i]))) < 0)
						return -1;
			} else {
				const sb_symbol *st = sb_stemmer_stem(b->stem, (const sb_symbol *)word, (int)n);
				int sl = sb_stemmer_length(b->stem);
				if (st && sl > 0 && sl < 120) {
					memcpy(key + 1, st, (size_t)sl);
					if ((pw->ids[k++] = get_or_add(b, key, (size_t)sl + 1)) < 0)
						return -1;
				}
			}
		}
		p->n++;
		s = e;
	}
	if (p->n > 0)
		lx->nphrases++;
	return 0;
}

static int build_heads(struct text_lexicon *lx)
{
	lx->head_first = malloc((lx->nterms + 1) * sizeof(int32_t));
	size_t cap = (size_t)lx->nphrases * 4 + 1;
	lx->head_next = malloc(cap * sizeof(int32_t));
	lx->head_phrase = malloc(cap * sizeof(int32_t));
	if (!lx->head_first || !lx->head_next || !lx->head_phrase)
		return -1;
	for (uint32_t i = 0; i < lx->nterms; i++)
		lx->head_first[i] = -1;
	for (uint32_t p = lx->nphrases; p-- > 0;) { /* reverse: lists come out in file order */
		for (int i = 0; i < 4; i++) {
			int32_t id = lx->phrases[p].w[0].ids[i];
			if (id < 0)
				continue;
			int dup = 0;
			for (int j = 0; j < i; j++)
				dup |= lx->phrases[p].w[0].ids[j] == id;
			if (dup)
				continue;
			lx->head_phrase[lx->nheads] = (int32_t)p;
			lx->head_next[lx->nheads] = lx->head_first[id];
			lx->head_first[id] = (int32_t)lx->nheads++;
		}
	}
	return 0;
}

static int is_emoticon_term(const char *t)
{
	int alpha = 0, other = 0;
	for (const unsigned char *p = (const unsigned char *)t; *p; p++) {
		if (*p >= 0x80)
			return 0;
		if ((*p | 32) >= 'a' && (*p | 32) <= 'z')
			alpha++;
		else
			other++;
	}
	return other > 0 || alpha == 0;
}

static void build(void)
{
	struct builder b = { .lx = &g_lx };
	const char *verr = NULL;
	b.voikko = voikkoInit(&verr, "fi", NULL);
	if (!b.voikko) {
		snprintf(g_lx_err, sizeof g_lx_err, "libvoikko: %s (is voikko-fi installed?)", verr ? verr : "init failed");
		return;
	}
	b.stem = sb_stemmer_new("english", NULL);
	if (!b.stem) {
		snprintf(g_lx_err, sizeof g_lx_err, "libstemmer: no English stemmer");
		voikkoTerminate(b.voikko);
		return;
	}
	int rc = 0;
	for (size_t i = 0; i < text_lex_raw_count && rc == 0; i++) {
		const struct text_lex_raw *r = &text_lex_raw[i];
		char norm[256];
		int n;
		if (r->lang == TEXT_LL_ANY && is_emoticon_term(r->term)) {
			n = (int)strlen(r->term);
			if (n >= (int)sizeof norm)
				continue;
			memcpy(norm, r->term, (size_t)n + 1);
		} else {
			n = text_normalize(r->term, strlen(r->term), norm, sizeof norm);
		}
		if (n <= 0)
			continue;
		int phrase = memchr(norm, ' ', (size_t)n) != NULL || r->kind == TEXT_LK_BLAME ||
			     r->kind == TEXT_LK_SARCASM || r->kind == TEXT_LK_HARSH;
		for (int lang = TEXT_LL_FI; lang <= TEXT_LL_EN && rc == 0; lang++) {
			if (!(r->lang & lang))
				continue;
			if (phrase)
				rc = add_phrase(&b, lang, norm, r->kind, r->weight);
			else
				rc = add_word(&b, lang, norm, (size_t)n, r->kind, r->weight, r->src);
		}
	}
	if (rc == 0)
		rc = build_heads(&g_lx);
	free(b.kinds_set);
	sb_stemmer_delete(b.stem);
	voikkoTerminate(b.voikko);
	if (rc != 0) {
		snprintf(g_lx_err, sizeof g_lx_err, "out of memory building the lexicon");
		return;
	}
	g_lx_ready = &g_lx;
}

const struct text_lexicon *text_lexicon_get(char *err, size_t errlen)
{
	pthread_once(&g_lx_once, build);
	if (!g_lx_ready && err && errlen)
		snprintf(err, errlen, "%s", g_lx_err);
	return g_lx_ready;
}

/* Byte order of the generated word-class table: memcmp on the common length, then the shorter
 * first (gen_lexicon.mjs sorts with Buffer.compare, the same order). */
static int wc_cmp(const struct text_wc_entry *e, const char *s, size_t n)
{
	int c = memcmp(e->lemma, s, e->len < n ? e->len : n);
	return c ? c : (e->len > n) - (e->len < n);
}

uint64_t text_word_class_exact(const char *lemma, size_t len)
{
	size_t lo = 0, hi = text_wc_exact_count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = wc_cmp(&text_wc_exact[mid], lemma, len);
		if (c == 0)
			return text_wc_exact[mid].cls;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

uint64_t text_word_class_of(const char *lemma, size_t len)
{
	uint64_t cls = text_word_class_exact(lemma, len);
	for (size_t k = 0; k < text_wc_affix_count; k++) {
		const struct text_wc_entry *e = &text_wc_affix[k];
		if (len < e->len || (cls & e->cls) == e->cls)
			continue;
		const char *at = e->match == TEXT_WM_PREFIX ? lemma : lemma + len - e->len;
		if (!memcmp(at, e->lemma, e->len))
			cls |= e->cls;
	}
	return cls;
}
