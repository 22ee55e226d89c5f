/*
 * The analyzer and its word cache: for each distinct (language, normalised form) the
 * expensive work - evasion clean-up, voikko analysis or Snowball stemming, lexicon lookups
 * of the form, its lemmas and compound parts - is done once and kept in a text_word, so a
 * repeated word costs one hash lookup. Entries live in fixed chunks (stable pointers) and an
 * arena; when the cache passes TEXT_CACHE_MAX entries it is emptied between texts.
 */
#include <libstemmer.h>
#include <libvoikko/voikko.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/text_int.h"

#define CHUNK 4096
#define TEXT_CACHE_MAX (1u << 18) /* ~30 MB per analyzer at most */

struct text_analyzer *text_analyzer_new(char *err, size_t errlen)
{
	const struct text_lexicon *lx = text_lexicon_get(err, errlen);
	if (!lx)
		return NULL;
	struct text_analyzer *ta = calloc(1, sizeof(*ta));
	if (!ta) {
		if (err && errlen)
			snprintf(err, errlen, "out of memory");
		return NULL;
	}
	ta->lx = lx;
	const char *verr = NULL;
	ta->voikko = voikkoInit(&verr, "fi", NULL);
	if (!ta->voikko) {
		if (err && errlen)
			snprintf(err, errlen, "libvoikko: %s", verr ? verr : "init failed");
		free(ta);
		return NULL;
	}
	ta->stem_en = sb_stemmer_new("english", NULL);
	if (!ta->stem_en) {
		if (err && errlen)
			snprintf(err, errlen, "libstemmer: no English stemmer");
		voikkoTerminate(ta->voikko);
		free(ta);
		return NULL;
	}
	return ta;
}

void text_analyzer_cache_clear(struct text_analyzer *ta)
{
	for (size_t i = 0; i < ta->nchunks; i++)
		free(ta->chunks[i]);
	free(ta->chunks);
	ta->chunks = NULL;
	ta->nchunks = 0;
	ta->nwords = 0;
	ta->hits = ta->misses = 0;
	text_map_release(&ta->cache);
	text_arena_release(&ta->cache_arena);
}

void text_analyzer_free(struct text_analyzer *ta)
{
	if (!ta)
		return;
	text_analyzer_cache_clear(ta);
	text_forms_cache_free(ta);
	if (ta->voikko)
		voikkoTerminate(ta->voikko);
	if (ta->stem_en)
		sb_stemmer_delete(ta->stem_en);
	free(ta->toks);
	free(ta->scratch);
	free(ta->matches);
	free(ta);
}

void text_analyzer_set_model(struct text_analyzer *ta, const struct text_model *m) { ta->model = m; }

void text_analyzer_cache_stats(const struct text_analyzer *ta, size_t *entries, uint64_t *hits, uint64_t *misses)
{
	if (entries)
		*entries = ta->nwords;
	if (hits)
		*hits = ta->hits;
	if (misses)
		*misses = ta->misses;
}

/* ---- evasion clean-up ---- */

static int utf8_len1(unsigned char c) { return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4; }

/*
 * From a normalised form: drop separators when every segment is one character
 * ("p-a-s-k-a"), always drop '*' and apostrophes ("f*ck", "isn't" -> "isnt"), map digits/@/$ to
 * letters when the word mixes them ("p4ska", "sh1t"). Output NUL-terminated; returns length.
 */
static size_t clean_form(const char *in, size_t n, char *out, size_t cap)
{
	int seps = 0, multi = 0, letters = 0, digits = 0;
	size_t seg = 0;
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)in[i];
		int l = utf8_len1(c);
		if (c == '-' || c == '.' || c == '_') {
			seps++;
			seg = 0;
		} else if (c != '*' && c != '\'') {
			if (++seg > 1)
				multi = 1;
			if (c >= '0' && c <= '9')
				digits++;
			else
				letters++;
		}
		i += (size_t)l;
	}
	int strip_all = seps > 0 && !multi;
	int leet = letters > 0 && digits > 0;
	size_t o = 0;
	for (size_t i = 0; i < n && o + 4 < cap;) {
		unsigned char c = (unsigned char)in[i];
		int l = utf8_len1(c);
		if (c == '*' || c == '\'' || (strip_all && (c == '-' || c == '.' || c == '_'))) {
			i++;
			continue;
		}
		if (leet || c == '@' || c == '$') {
			static const char map[] = "oizeasgtbg";
			if (c >= '0' && c <= '9' && leet)
				c = (unsigned char)map[c - '0'];
			else if (c == '@')
				c = 'a';
			else if (c == '$')
				c = 's';
		}
		if (l == 1) {
			out[o++] = (char)c;
		} else {
			memcpy(out + o, in + i, (size_t)l);
			o += (size_t)l;
		}
		i += (size_t)l;
	}
	out[o] = 0;
	return o;
}

/* Collapse runs of >= 3 identical characters to `keep` (2 or 1). Returns 1 if anything changed. */
static int collapse(const char *in, char *out, size_t cap, int keep)
{
	int changed = 0;
	size_t o = 0;
	for (size_t i = 0; in[i] && o + 5 < cap;) {
		int l = utf8_len1((unsigned char)in[i]);
		size_t j = i + (size_t)l;
		int run = 1;
		while (in[j] && memcmp(in + j, in + i, (size_t)l) == 0) {
			j += (size_t)l;
			run++;
		}
		int emit = run >= 3 ? keep : run;
		if (run >= 3)
			changed = 1;
		for (int k = 0; k < emit && o + (size_t)l + 1 < cap; k++) {
			memcpy(out + o, in + i, (size_t)l);
			o += (size_t)l;
		}
		i = j;
	}
	out[o] = 0;
	return changed;
}

/* The letters of a word that mixes letters and digits ("helv4ettiin" -> "helvettiin"), with
 * the same clean-up as clean_form() (separators, '*', apostrophes dropped). Returns 1 if the
 * word had both and the result (NUL-terminated in out) is at least 3 bytes, else 0. */
static int strip_digits(const char *in, size_t n, char *out, size_t cap)
{
	int letters = 0, digits = 0;
	size_t o = 0;
	for (size_t i = 0; i < n && o + 1 < cap; i++) {
		unsigned char c = (unsigned char)in[i];
		if (c >= '0' && c <= '9') {
			digits++;
			continue;
		}
		if (c == '-' || c == '.' || c == '_' || c == '*' || c == '\'')
			continue;
		letters++;
		out[o++] = (char)c;
	}
	out[o] = 0;
	return letters > 0 && digits > 0 && o >= 3;
}

/*
 * Swear words whose writers mask letters with a separator or stars ("h-vetin", "v-ttu",
 * "p*rkele", "s-tana"): the common Finnish strong swear stems, longest first where one is a
 * prefix of another. unmask() rebuilds the word from one of them; voikko then analyses it.
 * Stays in C, not in word_classes.tsv: these are stems completed letter by letter from a
 * masked surface form, not lemmas, and their order decides between candidates.
 */
static const char *const masked_stems[] = { "helvet", "vittu", "vitu", "perkele", "perkeleen", "saatana",
					    "paska", "perse", "kusipää", "jumalauta", "huora", "mulkku",
					    "runkkari", "kyrpä", "pillu", "idiootti", "ääliö", NULL };
/* The English ones ("f-ck", "n*gger", "f*ggot", "c*nt"), completed the same way; a rebuilt word
 * counts only when the English lists know it (the abuse red team of the session after the
 * twentieth pass: "Go f-ck yourself" and a masked slur were not abuse). */
static const char *const masked_stems_en[] = { "fucking", "fucker", "fuck", "shit", "nigger", "nigga",
					       "faggot", "cunt", "bitch", "whore", "slut", "retard", "asshole",
					       "bastard", "dick", "cock", "pussy", NULL };

/*
 * "h-vetin" -> "helvetin": a form of one to three letters, one run of 1..3 mask characters
 * ('-', '*', '.', '_') and at least three more bytes, where the masked letters (one to three)
 * complete a stem of masked_stems[] and the rest continues it by at least two bytes. Writes the
 * rebuilt form to out (NUL-terminated) for each candidate in turn, calling ok() on it, and
 * returns 1 at the first one ok() accepts.
 */
static int is_mask(char c) { return c == '-' || c == '*' || c == '.' || c == '_'; }

static int unmask(const char *const *stems, size_t min_rest, const char *in, size_t n, char *out, size_t cap,
		  int (*ok)(void *, const char *), void *arg)
{
	size_t p = 0;
	while (p < n && !is_mask(in[p]))
		p++;
	size_t q = p;
	while (q < n && is_mask(in[q]))
		q++;
	if (p == 0 || p > 3 || q == p || q - p > 3 || n - q < min_rest || memchr(in + q, '-', n - q) ||
	    memchr(in + q, '*', n - q) || memchr(in + q, '.', n - q) || memchr(in + q, '_', n - q))
		return 0;
	const char *suf = in + q;
	size_t slen = n - q;
	for (int k = 0; stems[k]; k++) {
		const char *t = stems[k];
		size_t tl = strlen(t);
		if (tl <= p || memcmp(t, in, p))
			continue;
		/* g masked letters (bytes: "ä" is two) between the prefix and the rest */
		for (size_t g = 1; g <= 6 && p + g < tl; g++) {
			if ((((unsigned char)t[p + g]) & 0xC0) == 0x80)
				continue;
			size_t rest = tl - p - g, m = rest < slen ? rest : slen;
			if (m < 2 || memcmp(t + p + g, suf, m) || p + g + slen + 1 > cap)
				continue;
			memcpy(out, t, p + g);
			memcpy(out + p + g, suf, slen);
			out[p + g + slen] = 0;
			if (ok(arg, out))
				return 1;
		}
	}
	return 0;
}

static int voikko_knows(void *arg, const char *s)
{
	struct voikko_mor_analysis **an = voikkoAnalyzeWordCstr((struct VoikkoHandle *)arg, s);
	int r = an && an[0];
	if (an)
		voikko_free_mor_analysis(an);
	return r;
}

/* The lexicon ids of the base forms voikko gives s (at most its first 4 readings; -1 for a base
 * form the lexicon lacks); returns how many readings there were (0: voikko does not know s). */
static int known_base_ids(struct text_analyzer *ta, const char *s, int32_t ids[4])
{
	struct voikko_mor_analysis **an = voikkoAnalyzeWordCstr(ta->voikko, s);
	int n = 0;
	for (; an && an[n] && n < 4; n++) {
		ids[n] = -1;
		char *bf = voikko_mor_analysis_value_cstr(an[n], "BASEFORM");
		if (!bf)
			continue;
		char key[130];
		int k = text_normalize(bf, strlen(bf), key + 1, sizeof key - 1);
		voikko_free_mor_analysis_value_cstr(bf);
		key[0] = 'f';
		ids[n] = k > 0 ? text_lexicon_id(ta->lx, key, (size_t)k + 1) : -1;
	}
	if (an)
		voikko_free_mor_analysis(an);
	return n;
}

/* 1 if voikko knows s and one of its base forms carries abuse in the lexicon (arg: the analyzer);
 * with only_insult, only insult or obscenity evidence counts. */
static int abusive_known_cat(void *arg, const char *s, int only_insult)
{
	struct text_analyzer *ta = arg;
	int32_t ids[4];
	int n = known_base_ids(ta, s, ids);
	for (int i = 0; i < n; i++)
		for (int c = 0; ids[i] >= 0 && c < TA_N; c++)
			if ((!only_insult || c == TA_INSULT || c == TA_OBSCENE) && ta->lx->info[ids[i]].abuse[c] > 0)
				return 1;
	return 0;
}

/* 1 if voikko knows s and one of its base forms has a valence in the lexicon (arg: the analyzer). */
static int valenced_known(struct text_analyzer *ta, const char *s)
{
	int32_t ids[4];
	int n = known_base_ids(ta, s, ids);
	for (int i = 0; i < n; i++)
		if (ids[i] >= 0 && (ta->lx->info[ids[i]].flags & TI_HASVAL))
			return 1;
	return 0;
}

/*
 * Spoken Finnish assimilates the vowel pairs of a word's last syllables: "kauhee", "vaikeeta",
 * "upee" (kauhea, vaikeata, upea), "hirvee", "pimeetä" (hirveä, pimeätä), and plural partitives
 * "ihanii", "mahtavii", "tyhmii" (ihania, mahtavia, tyhmiä). For a form voikko does not know, the
 * last "ee" is read as "ea"/"eä", or a final "ii" as "ia"/"iä" (the vowel by the word's harmony);
 * the reading is kept (written to out, 1) only when voikko knows it and a base form has a
 * valence, so a guess can colour a sentence but never makes an unknown word out of nothing else.
 */
static int spoken_vowels(struct text_analyzer *ta, const char *in, char *out, size_t cap)
{
	size_t n = strlen(in);
	if (n < 4 || n + 2 > cap)
		return 0;
	int back = 0; /* vowel harmony: a/o/u, else ä ("hirvee" has only neutral vowels: hirveä) */
	for (size_t i = 0; i < n; i++)
		back |= in[i] == 'a' || in[i] == 'o' || in[i] == 'u';
	const char *v = back ? "a" : "\xc3\xa4";
	size_t vl = strlen(v);
	/* the last "ee" (not the first letters: "eestiä" is a name) */
	for (size_t i = n - 2; i >= 2; i--) {
		if (in[i] == 'e' && in[i + 1] == 'e') {
			memcpy(out, in, i + 1);
			memcpy(out + i + 1, v, vl);
			strcpy(out + i + 1 + vl, in + i + 2);
			if (valenced_known(ta, out))
				return 1;
			break;
		}
	}
	/* a final "ii" */
	if (in[n - 1] == 'i' && in[n - 2] == 'i') {
		memcpy(out, in, n - 1);
		strcpy(out + n - 1, v);
		if (valenced_known(ta, out))
			return 1;
	}
	return 0;
}

static int abusive_known(void *arg, const char *s) { return abusive_known_cat(arg, s, 0); }
/* The same for name-calling and swearing only: a respelled vowel length is a guess, kept for
 * the evasions of insults ("idiotti") and not for violent verbs ("raiskaataan" is no evasion). */
static int insulting_known(void *arg, const char *s) { return abusive_known_cat(arg, s, 1); }

/*
 * Other spellings of a form voikko does not know, tried in turn until ok() accepts one (written to
 * out, NUL-terminated; returns 1): separators between syllables dropped ("ää-li-ö", "pas-ka");
 * 'a'/'o' read as 'ä'/'ö' when the form has neither (a keyboard or an evasion without them:
 * "aalio", "kusipaa", "tyhma"); one vowel lengthened or shortened, accepted by ok_length
 * ("idiotti", "id10tti"); the
 * digit 1 read as 'l' rather than 'i' ("mu1kku").
 */
static int respell(const char *in, size_t n, char *out, size_t cap, int (*ok)(void *, const char *),
		   int (*ok_length)(void *, const char *), void *arg)
{
	if (n + 1 > cap / 2 || n < 3)
		return 0;
	/* syllables split by separators */
	size_t o = 0;
	int seps = 0;
	for (size_t i = 0; i < n; i++) {
		if (in[i] == '-' || in[i] == '.' || in[i] == '_')
			seps++;
		else
			out[o++] = in[i];
	}
	out[o] = 0;
	if (seps && o >= 3 && ok(arg, out))
		return 1;
	/* a/o for ä/ö */
	int has_ao = 0, has_umlaut = 0;
	for (size_t i = 0; i + 1 < n; i++)
		has_umlaut |= (unsigned char)in[i] == 0xC3 && ((unsigned char)in[i + 1] == 0xA4 || (unsigned char)in[i + 1] == 0xB6);
	for (size_t i = 0; i < n; i++)
		has_ao |= in[i] == 'a' || in[i] == 'o';
	if (has_ao && !has_umlaut && n <= 24) {
		for (int v = 1; v <= 3; v++) { /* 1: a->ä, 2: o->ö, 3: both */
			o = 0;
			int changed = 0;
			for (size_t i = 0; i < n; i++) {
				if (in[i] == 'a' && (v & 1)) {
					out[o++] = (char)0xC3, out[o++] = (char)0xA4, changed = 1;
				} else if (in[i] == 'o' && (v & 2)) {
					out[o++] = (char)0xC3, out[o++] = (char)0xB6, changed = 1;
				} else if (in[i] != '-' && in[i] != '.' && in[i] != '_') {
					out[o++] = in[i];
				}
			}
			out[o] = 0;
			if (changed && ok(arg, out))
				return 1;
		}
	}
	/* vowel length, the commonest Finnish misspelling and what a digit for a letter loses
	 * ("idiotti", "id10tti" for "idiootti"): one vowel lengthened or one long vowel shortened */
	if (n <= 24) {
		char cl[64], base[64], tmp[72];
		clean_form(in, n, cl, sizeof cl);
		collapse(cl, base, sizeof base, 2); /* stretched letters first: "idiootttiiii" */
		size_t bl = strlen(base);
		for (size_t i = 0; i < bl && bl + 3 < sizeof tmp;) {
			size_t l = (size_t)utf8_len1((unsigned char)base[i]);
			int vowel = (l == 1 && strchr("aeiouy", base[i])) ||
				    (l == 2 && (unsigned char)base[i] == 0xC3 &&
				     ((unsigned char)base[i + 1] == 0xA4 || (unsigned char)base[i + 1] == 0xB6));
			size_t run = 1;
			while (i + run * l + l <= bl && !memcmp(base + i + run * l, base + i, l))
				run++;
			if (vowel && run <= 2) {
				size_t keep = run == 1 ? 2 : 1, t = 0;
				memcpy(tmp, base, i);
				t = i;
				for (size_t k = 0; k < keep; k++, t += l)
					memcpy(tmp + t, base + i, l);
				memcpy(tmp + t, base + i + run * l, bl - i - run * l);
				t += bl - i - run * l;
				tmp[t] = 0;
				if (t + 1 <= cap && ok_length(arg, tmp)) {
					memcpy(out, tmp, t + 1);
					return 1;
				}
			}
			i += run * l;
		}
	}
	/* 1 for l */
	if (memchr(in, '1', n)) {
		char tmp[128];
		if (n >= sizeof tmp)
			return 0;
		for (size_t i = 0; i < n; i++)
			tmp[i] = in[i] == '1' ? 'l' : in[i];
		clean_form(tmp, n, out, cap);
		if (ok(arg, out))
			return 1;
	}
	return 0;
}

/* ---- building a cache entry ---- */

enum { ID_SURFACE, ID_LEMMA, ID_PART };

struct fill {
	struct text_word *w;
	const struct text_lexicon *lx;
	char lang;
	float head_valence; /* valence of the last compound part seen */
	int group_part;     /* some compound part names a group of people */
	int abusive_part;   /* some compound part is an insult or a swear word */
	int privative;      /* the word ends in the derivation -ton/-tön ("without"): "kivuton", or
			     * starts with the prefix epä- ("epäsiisti") */
	int own_valence;    /* the form is listed as fixed and with a valence of its own */
	float valence;      /* ... that valence */
	float surface_insult; /* the insult weight of the entries matched on the form itself */
};

static void add_id(struct fill *f, const char *s, size_t n, int how, float part_scale)
{
	char key[200];
	if (n == 0 || n + 2 > sizeof key)
		return;
	key[0] = f->lang;
	memcpy(key + 1, s, n);
	int32_t id = text_lexicon_id(f->lx, key, n + 1);
	if (id < 0)
		return;
	struct text_word *w = f->w;
	for (int i = 0; i < w->nids; i++)
		if (w->ids[i] == id) {
			if (how == ID_SURFACE)
				w->surface_mask |= (uint8_t)(1u << i);
			return;
		}
	if (w->nids < TEXT_WORD_MAXIDS) {
		if (how == ID_SURFACE)
			w->surface_mask |= (uint8_t)(1u << w->nids);
		w->ids[w->nids++] = id;
	}
	const struct text_info *in = &f->lx->info[id];
	struct text_info *o = &w->info;
	if (how == ID_SURFACE && (in->flags & TI_FIXED) && (in->flags & TI_HASVAL))
		f->own_valence = 1, f->valence = in->valence;
	if (how == ID_PART) {
		/* the last part of a compound is its head and carries its sentiment:
		 * "kuolemanpelko", "asiakaspalvelukokemus" (used only if the whole word has none) */
		if (in->flags & TI_HASVAL)
			f->head_valence = in->valence;
		/* a group noun inside a compound still names the group ("somalijengi", "homopari") */
		if (in->idgroup * 0.8f > o->idgroup)
			o->idgroup = in->idgroup * 0.8f;
		if (in->idgroup >= 0.8f || in->abuse[TA_IDENTITY] >= 0.3f)
			f->group_part = 1;
		if (in->abuse[TA_INSULT] >= 0.6f || in->abuse[TA_OBSCENE] >= 0.6f)
			f->abusive_part = 1;
		static const int cats[] = { TA_INSULT, TA_OBSCENE, TA_IDENTITY };
		for (int i = 0; i < 3; i++) {
			float v = in->abuse[cats[i]] * part_scale;
			if (in->abuse[cats[i]] >= 0.6f && v > o->abuse[cats[i]])
				o->abuse[cats[i]] = v;
		}
		return;
	}
	if ((in->flags & TI_HASVAL) && !(o->flags & TI_HASVAL)) {
		o->valence = in->valence;
		o->flags |= TI_HASVAL;
	}
	for (int i = 0; i < TA_N; i++)
		if (in->abuse[i] > o->abuse[i])
			o->abuse[i] = in->abuse[i];
	if (in->idgroup > o->idgroup)
		o->idgroup = in->idgroup;
	if (how == ID_SURFACE && in->abuse[TA_INSULT] > f->surface_insult)
		f->surface_insult = in->abuse[TA_INSULT];
	if (how == ID_SURFACE) {
		if (!o->mult)
			o->mult = in->mult;
		o->flags |= in->flags;
	} else {
		o->flags |= in->flags & (TI_NEGATOR | TI_SECOND | TI_SING2 | TI_THANKS | TI_APOLOGY | TI_STOP | TI_FUNC |
					 TI_COPULA | TI_PERSON | TI_MODAL | TI_CONTEMPT);
	}
	o->flags |= TI_KNOWN;
}

static int32_t lemma_id(struct fill *f, const char *s, size_t n)
{
	char key[200];
	if (n == 0 || n + 2 > sizeof key)
		return -1;
	key[0] = f->lang;
	memcpy(key + 1, s, n);
	return text_lexicon_id(f->lx, key, n + 1);
}

/*
 * 1 if s[p..n) is a Finnish inflectional ending after the loanword s[0..p): the ending itself,
 * possibly after a doubled last consonant ("bullshit|t|iä") or the vowel "i" that Finnish adds
 * to a word ending in a consonant ("fuck|i|a"). "negro|nin" is no ending: "negronin" is a
 * Negroni, not an inflected "negro".
 */
static int finnish_ending(const char *s, size_t p, size_t n)
{
	/* closed grammar: case and number endings (a/ä as written, both harmonies) */
	static const char *const endings[] = { "i", "ia", "iä", "in", "ii", "it", "ien", "ille", "ista", "istä",
					       "issa", "issä", "a", "ä", "n", "t", "sta", "stä", "ssa", "ssä",
					       "lla", "llä", "lle", "ksi", "eja", "ejä", "ja", "jä", NULL };
	size_t q = p;
	if (q < n && q > 0 && s[q] == s[q - 1]) /* a doubled consonant: "bullshit|t|iä" */
		q++;
	for (int k = 0; endings[k]; k++)
		if (strlen(endings[k]) == n - q && !memcmp(s + q, endings[k], n - q))
			return 1;
	return 0;
}

/*
 * Finnish writers swear and call names in English ("fuck you ja koko firma", "olet ihan idiot",
 * "tää on ihan bullshittiä"): a word voikko does not know takes the insult, obscenity and threat
 * evidence (not the valence) of the English lexicon entry for its surface form, or, inflected
 * with a Finnish ending after it (finnish_ending(), at most five bytes), of an English abuse word
 * of at least five bytes ("bullshit|tiä", "fucking|ii"). The id is not added: English phrases and valences
 * stay out of the Finnish analysis.
 */
static void english_profanity(struct fill *f, const char *s, size_t n)
{
	struct fill e = *f;
	e.lang = 'e';
	int32_t id = lemma_id(&e, s, n);
	for (size_t p = n; id < 0 && p-- > 5 && n - p <= 5;) {
		if (((unsigned char)s[p] & 0xC0) == 0x80 || !finnish_ending(s, p, n))
			continue;
		int32_t pid = lemma_id(&e, s, p);
		if (pid >= 0 && (f->lx->info[pid].abuse[TA_INSULT] >= 0.8f || f->lx->info[pid].abuse[TA_OBSCENE] >= 0.8f))
			id = pid;
	}
	if (id < 0)
		return;
	const struct text_info *in = &f->lx->info[id];
	static const int cats[] = { TA_INSULT, TA_OBSCENE, TA_THREAT };
	for (int i = 0; i < 3; i++) /* 0.9 as for a compound's part: a borrowed word, less certain */
		if (0.9f * in->abuse[cats[i]] > f->w->info.abuse[cats[i]])
			f->w->info.abuse[cats[i]] = 0.9f * in->abuse[cats[i]];
}

static int surface_abuse(struct fill *f, const char *s, size_t n)
{
	int32_t id = lemma_id(f, s, n);
	if (id < 0)
		return 0;
	for (int c = 0; c < TA_N; c++)
		if (f->lx->info[id].abuse[c] > 0)
			return 1;
	return 0;
}

static int surface_val(struct fill *f, const char *s, size_t n)
{
	int32_t id = lemma_id(f, s, n);
	return id >= 0 && (f->lx->info[id].flags & TI_HASVAL);
}

static int has_attr(struct voikko_mor_analysis *a, const char *key, const char *v1, const char *v2)
{
	char *v = voikko_mor_analysis_value_cstr(a, key);
	if (!v)
		return 0;
	int r = !strcmp(v, v1) || (v2 && !strcmp(v, v2));
	voikko_free_mor_analysis_value_cstr(v);
	return r;
}

/* 1 if the n bytes at s are a head of name-calling compounds, a person or a body part
 * ("kusiaivo", "paskanaama"): class insult_head of data/lexicon/word_classes.tsv. */
static int insult_head(const char *s, size_t n) { return (text_word_class_exact(s, n) & RC_INSULT_HEAD) != 0; }

/* 1 if s (NUL-terminated) starts with a head of name-calling compounds: each prefix is looked up
 * (a rare path: an unknown word after an abusive prefix). */
static int starts_with_insult_head(const char *s)
{
	size_t n = strlen(s);
	for (size_t k = 1; k <= n; k++)
		if (insult_head(s, k))
			return 1;
	return 0;
}

/* Is s a list entry with abuse evidence, or a group noun? */
static int abusive_lemma(struct fill *f, const char *s, size_t n)
{
	int32_t id = lemma_id(f, s, n);
	if (id < 0)
		return 0;
	const struct text_info *in = &f->lx->info[id];
	if (in->flags & TI_FIXED) /* "persaukinen": listed as carrying none */
		return 0;
	int abusive = in->idgroup > 0;
	for (int c = 0; c < TA_N; c++)
		abusive |= in->abuse[c] > 0;
	return abusive;
}

/*
 * Slang that voikko does not know is inflected like any noun ("suvakit", "suvakkeja",
 * "luusereita", "somput", "persuille"; spoken "tyhmii" for "tyhmiä"): strip one case or
 * plural ending, drop a plural i/e before it, and try the stem as it is, with a final vowel
 * back, and with the consonant before that vowel doubled (the strong grade: "suvaki-" ->
 * "suvakki", "sompu-" -> "somppu").
 * A candidate counts only when it is a list entry with abuse evidence or a group noun of at
 * least four bytes, so ordinary words voikko misses (typos) are not coloured by a stray
 * sentiment entry. Returns 1 when a lemma was found (its evidence is the word's).
 */
static int inflected_slang(struct fill *f, const char *s, size_t n)
{
	/* closed grammar (case and plural endings, stem vowels): stays in C */
	static const char *const endings[] = { "eitten", "itten", "iden", "ien", "jen", "eille", "eilla", "eillä",
					       "eista", "eistä", "eita", "eitä", "ille", "illa", "illä", "ilta",
					       "iltä", "issa", "issä", "ista", "istä", "ihin", "eja", "ejä",
					       "ita", "itä", "iin", "lla", "llä", "lle", "lta", "ltä", "ssa", "ssä",
					       "sta", "stä", "ksi", "ja", "jä", "na", "nä", "ta", "tä", "ii", "in", "t",
					       "n", "a", "ä", NULL };
	static const char *const vowels[] = { "", "i", "u", "a", "o", "e", "y", "ä", "ö", NULL };
	char cand[64];
	for (int e = 0; endings[e]; e++) {
		size_t el = strlen(endings[e]);
		if (n < el + 3 || memcmp(s + n - el, endings[e], el))
			continue;
		size_t base = n - el;
		/* the stem as written, and without a plural i/e ("luusere-ita", "suvakke-ja") */
		for (int drop = 0; drop < 2; drop++) {
			size_t bl = base - (size_t)drop;
			if (drop && s[bl] != 'i' && s[bl] != 'e')
				continue;
			if (bl < 3 || bl + 4 > sizeof cand)
				continue;
			/* an -nen word's stem ends in -se- or -s- ("mutiaise-t", "mutiais-ia" ->
			 * "mutiainen") */
			if (bl >= 4 && (s[bl - 1] == 's' || (s[bl - 1] == 'e' && s[bl - 2] == 's'))) {
				size_t sl = bl - (s[bl - 1] == 's' ? 1 : 2);
				memcpy(cand, s, sl);
				memcpy(cand + sl, "nen", 3);
				if (abusive_lemma(f, cand, sl + 3)) {
					add_id(f, cand, sl + 3, ID_LEMMA, 1);
					return 1;
				}
			}
			for (int v = 0; vowels[v]; v++) {
				size_t vl = strlen(vowels[v]);
				for (int strong = 0; strong < 2; strong++) {
					size_t cl = bl;
					memcpy(cand, s, bl);
					if (strong) {
						/* double the consonant before the final vowel: "suvaki" -> "suvakki" */
						if (!vl && cl >= 2) {
							char c = cand[cl - 2];
							if ((c != 'k' && c != 'p' && c != 't') || cand[cl - 3] == c)
								continue;
							memmove(cand + cl - 1, cand + cl - 2, 2);
							cl++;
						} else {
							continue;
						}
					}
					if (cl + vl + 1 > sizeof cand)
						continue;
					memcpy(cand + cl, vowels[v], vl);
					cl += vl;
					if (cl < 4)
						continue;
					if (!abusive_lemma(f, cand, cl))
						continue;
					add_id(f, cand, cl, ID_LEMMA, 1);
					return 1;
				}
			}
		}
	}
	return 0;
}

/* How many word bases a reading joins: 2 or more is a compound. Derivational pieces
 * ("+loista(loistaa)+v+a(+a)") are not bases. */
static int reading_bases(struct voikko_mor_analysis *a)
{
	char *wb = voikko_mor_analysis_value_cstr(a, "WORDBASES");
	if (!wb)
		return 1;
	int bases = 0;
	for (const char *p = wb; (p = strchr(p, '(')) != NULL;) {
		const char *e = strchr(++p, ')');
		if (!e)
			break;
		bases += *p != '+';
		p = e;
	}
	voikko_free_mor_analysis_value_cstr(wb);
	return bases;
}

/* Compound parts from WORDBASES "+paska(paska)+firma(firma)": the bases in parentheses. */
static void add_parts(struct fill *f, struct voikko_mor_analysis *a)
{
	char *wb = voikko_mor_analysis_value_cstr(a, "WORDBASES");
	if (!wb)
		return;
	int nparts = 0;
	for (const char *p = wb; *p; p++)
		nparts += *p == '+';
	/* the negating prefix "epä-" ("+epä+siisti(siisti)") says what "-ton" says: without a
	 * good thing is bad ("epäsiisti", "epäluotettava", "epäonni") */
	if (!strncmp(wb, "+ep\xc3\xa4+", 6))
		f->privative = 1;
	if (nparts >= 2) {
		/* name-calling compounds: an abusive first part + a head naming a person or a body
		 * part ("kusiaivo", "paskanaama", "vittupää", "perseennuolija") */
		const char *last = strrchr(wb, '(');
		const char *lend = last ? strchr(last, ')') : NULL;
		int person_head = 0, head_abusive = 0, head_thing = 0;
		if (last && lend) {
			person_head = insult_head(last + 1, (size_t)(lend - last - 1));
			char key[128];
			int k = text_normalize(last + 1, (size_t)(lend - last - 1), key + 1, sizeof key - 1);
			key[0] = f->lang;
			int32_t id = k > 0 ? text_lexicon_id(f->lx, key, (size_t)k + 1) : -1;
			head_abusive = id >= 0 && (f->lx->info[id].abuse[TA_INSULT] > 0 || f->lx->info[id].abuse[TA_OBSCENE] > 0);
		}
		/* the compound's last base ("+tuholais(tuholainen)+torju(torjua)+n+ta(+ta)": torjua),
		 * after at least one other: a thing named with an animal, unless the base is a person,
		 * a crowd or a name-calling head ("sikalauma", "apinajengi", "pässinpäinen": people
		 * are called animals); one base and
		 * a derivation is an adjective of the animal ("+sika(sika)+mai+nen(+nen)") */
		{
			int bases = 0;
			const char *hb = NULL, *he = NULL;
			for (const char *p = wb; (p = strchr(p, '(')) != NULL;) {
				const char *e = strchr(++p, ')');
				if (!e)
					break;
				if (*p != '+')
					bases++, hb = p, he = e;
				p = e;
			}
			char nb[128];
			int k = hb ? text_normalize(hb, (size_t)(he - hb), nb, sizeof nb) : 0;
			head_thing = bases >= 2 && k > 0 && !insult_head(nb, (size_t)k) &&
				     !(text_word_class_exact(nb, (size_t)k) & (RC_PERSON_NOUN | RC_CROWD));
		}
		float before_ins = f->w->info.abuse[TA_INSULT];
		float before_obs = f->w->info.abuse[TA_OBSCENE];
		int other_insult = 0; /* a part other than an animal added insult evidence */
		for (const char *p = wb; (p = strchr(p, '(')) != NULL;) {
			const char *e = strchr(++p, ')');
			if (!e)
				break;
			/* the privative derivation "+ton"/"+tön" (voikko: "+kivu(kipu)+ton(+ton)") */
			if (!strncmp(p, "+ton)", 5) || !strncmp(p, "+t\xc3\xb6n)", 7))
				f->privative = 1;
			/* a new word part: a positive first part does not make the compound positive
			 * ("kultakala", "tiukkapipo"); a negative one evaluates it ("rikollisjengi",
			 * "roskaruoka"); derivational suffixes ("+us", "+ton") keep their base's */
			if (*p != '+' && f->head_valence > 0)
				f->head_valence = 0;
			if (e - p >= 4) {
				char nb[128];
				int k = text_normalize(p, (size_t)(e - p), nb, sizeof nb);
				float ins = f->w->info.abuse[TA_INSULT];
				if (k > 0)
					add_id(f, nb, (size_t)k, ID_PART, 0.9f);
				if (f->w->info.abuse[TA_INSULT] > ins && !(text_word_class_exact(nb, (size_t)k) & RC_ANIMAL))
					other_insult = 1;
			}
			p = e;
		}
		struct text_info *o = &f->w->info;
		/* an animal that is also name-calling, as a part of a thing, is the animal
		 * ("apinateline", "tuholaistorjunta", "pässinliha"); of a person, a crowd or a body
		 * part, or in a derivation, it still calls names ("apinanaama", "sikalauma",
		 * "sikamainen") */
		if (head_thing && !person_head && !head_abusive && !other_insult && o->abuse[TA_INSULT] > before_ins)
			o->abuse[TA_INSULT] = before_ins;
		/* a group noun joined to an insult or a swear word is a slur on the group
		 * ("neekerihuora", "homopaska", "ryssänpaska") */
		if (f->group_part && f->abusive_part && o->abuse[TA_IDENTITY] < 1.0f)
			o->abuse[TA_IDENTITY] = 1.0f;
		if (person_head && (o->abuse[TA_OBSCENE] > before_obs || o->abuse[TA_INSULT] > before_ins) &&
		    o->abuse[TA_INSULT] < 1.0f)
			o->abuse[TA_INSULT] = 1.0f;
		/* an insult as the first part of a thing ("idioottisääntö", "pellefirma") judges the
		 * thing (analyze.c reads it as rude unless a person is in the sentence) */
		f->w->insult_modifier = !person_head && !head_abusive && before_ins == 0 && o->abuse[TA_INSULT] > 0;
		/* "-päinen" adjectives of name-calling "-pää" nouns: "sekopäinen", "puupäinen" say
		 * what "sekopää", "puupää" say ("+seko(seko)+pä(pää)+inen(+inen)") */
		static const char tail[] = "(p\xc3\xa4\xc3\xa4)+inen(+inen)";
		size_t wl = strlen(wb), tl = sizeof tail - 1;
		if (wl > tl && !strcmp(wb + wl - tl, tail)) {
			char key[128];
			size_t k = 0;
			int ok = 1;
			for (const char *p = wb; ok && (p = strchr(p, '(')) != NULL && p < wb + wl - tl;) {
				const char *e = strchr(++p, ')');
				if (!e || *p == '+' || k + (size_t)(e - p) >= sizeof key - 8)
					ok = 0;
				else
					memcpy(key + k, p, (size_t)(e - p)), k += (size_t)(e - p);
				p = e;
			}
			if (ok && k > 0) {
				memcpy(key + k, "p\xc3\xa4\xc3\xa4", 5);
				char nk[128];
				int n = text_normalize(key, k + 5, nk, sizeof nk);
				if (n > 0)
					add_id(f, nk, (size_t)n, ID_LEMMA, 1);
			}
		}
	}
	voikko_free_mor_analysis_value_cstr(wb);
}

static const char *keep_str(struct text_analyzer *ta, const char *s, size_t n)
{
	return text_arena_strdup(&ta->cache_arena, s, n);
}

/* A word listed as `fixed` (TI_FIXED) loses the valence and abuse its lemma, stem or compound
 * parts gave it, and keeps a valence listed for the form itself ("hulluna": crazy about a
 * thing is no name-calling, mad still sounds negative). Returns 1 if it was fixed. */
static int clear_if_fixed(struct fill *f)
{
	struct text_word *w = f->w;
	if (!(w->info.flags & TI_FIXED))
		return 0;
	memset(w->info.abuse, 0, sizeof w->info.abuse);
	w->info.valence = f->own_valence ? f->valence : 0;
	if (!f->own_valence)
		w->info.flags &= ~(uint32_t)TI_HASVAL;
	return 1;
}

/* Finnish case forms that work as adverbs or adpositions though voikko reads only a noun:
 * "etukäteen" (in advance, not "etukäsi"), "kunnolla" (properly, not "kunto"), "yhteydessä"
 * (in connection with / in touch, not the connection that fails). Not topics. */
static int frozen_case_form(const char *s)
{
	static const char *const forms[] = {"etuk\xc3\xa4teen",
	                                    "sis\xc3\xa4\xc3\xa4n",
	                                    "sis\xc3\xa4ll\xc3\xa4",
	                                    "kunnolla",
	                                    "yhteydess\xc3\xa4",
	                                    "lis\xc3\xa4ksi",
	                                    "aikaan",
	                                    "aikana",
	                                    "avulla",
	                                    "puolesta",
	                                    "osalta",
	                                    "kerralla",
	                                    "lopulta",
	                                    "tarpeeksi",
	                                    "ajoissa",
	                                    "ajallaan",
	                                    "paikalla",
	                                    "paikalle",
	                                    "perille",
	                                    "kotiin",
	                                    "kotona",
	                                    "kunnossa",
	                                    NULL};
	for (int k = 0; forms[k]; k++)
		if (!strcmp(s, forms[k]))
			return 1;
	return 0;
}

/* The nominative "-minen" noun of an inflected one, from its surface form: the part up to its
 * last "mi" before "nen" or "s" ("kirjautumisessa" -> "kirjautuminen", "tekemisen" ->
 * "tekeminen"). 0 when the form has none. */
static size_t minen_noun(const char *s, char *out, size_t cap)
{
	size_t n = strlen(s), at = 0;
	for (size_t p = 1; p + 2 < n; p++)
		if (s[p] == 'm' && s[p + 1] == 'i' && (s[p + 2] == 's' || !strncmp(s + p + 2, "nen", 3)))
			at = p + 2;
	if (!at || at + 4 > cap)
		return 0;
	memcpy(out, s, at);
	memcpy(out + at, "nen", 4);
	return at + 3;
}

/* The spellings fill_fi() tries for a Finnish form, and the one voikko knows (surface, into
 * one of the buffers). */
struct fi_spelling {
	char clean[256], a2[256], a1[256], nodig[256], um[256], rs[256], spoken[256], sv[256];
	const char *surface;
	int spoken2; /* a spoken glued "sä" was read off the end: the reading is second singular */
	int degree;  /* a prefix of degree was read off the start ("sikahyvä"): the word intensified */
};

/* voikko's readings of the Finnish form norm (NULL or an empty list: none), trying, while it
 * knows none, the spellings evasion and speech make of a word: stretched letters, a digit put
 * in, letters masked by a separator or stars, other abusive spellings, a glued pronoun or a
 * shortened translative or a doubled clitic, spoken vowels. Each spelling tried is added to f
 * as a surface id; spl->surface is the one the readings are of. The caller frees the list. */
static struct voikko_mor_analysis **fi_readings(struct text_analyzer *ta, struct fill *f, const char *norm, size_t nlen,
                                                struct fi_spelling *spl)
{
	clean_form(norm, nlen, spl->clean, sizeof spl->clean);
	int stretched = collapse(spl->clean, spl->a2, sizeof spl->a2, 2);
	collapse(spl->clean, spl->a1, sizeof spl->a1, 1);
	add_id(f, norm, nlen, ID_SURFACE, 1);
	add_id(f, spl->a2, strlen(spl->a2), ID_SURFACE, 1);
	spl->surface = spl->a2;
	spl->spoken2 = 0;
	struct voikko_mor_analysis **an = spl->a2[0] ? voikkoAnalyzeWordCstr(ta->voikko, spl->a2) : NULL;
	if ((!an || !an[0]) && stretched) {
		if (an)
			voikko_free_mor_analysis(an);
		an = voikkoAnalyzeWordCstr(ta->voikko, spl->a1);
		spl->surface = spl->a1;
		add_id(f, spl->a1, strlen(spl->a1), ID_SURFACE, 1);
	}
	/* a digit inserted rather than substituted ("helv4ettiin", "pa5ka" is substituted): when
	 * the letters-for-digits reading is unknown, try the letters alone */
	if ((!an || !an[0]) && strip_digits(norm, nlen, spl->nodig, sizeof spl->nodig)) {
		struct voikko_mor_analysis **an2 = voikkoAnalyzeWordCstr(ta->voikko, spl->nodig);
		if (an2 && an2[0]) {
			if (an)
				voikko_free_mor_analysis(an);
			an = an2;
			spl->surface = spl->nodig;
			add_id(f, spl->nodig, strlen(spl->nodig), ID_SURFACE, 1);
		} else if (an2) {
			voikko_free_mor_analysis(an2);
		}
	}
	/* letters masked by a separator or stars: "h-vetin", "v-ttu", "p*rkele" */
	if ((!an || !an[0]) && unmask(masked_stems, 3, norm, nlen, spl->um, sizeof spl->um, voikko_knows, ta->voikko)) {
		if (an)
			voikko_free_mor_analysis(an);
		an = voikkoAnalyzeWordCstr(ta->voikko, spl->um);
		spl->surface = spl->um;
		add_id(f, spl->um, strlen(spl->um), ID_SURFACE, 1);
	}
	/* other spellings that make an abusive word: "ää-li-ö", "aalio", "mu1kku" ("muikku", a
	 * fish, is the digits-for-letters reading voikko knows) */
	if (((!an || !an[0]) || (memchr(norm, '1', nlen) && !abusive_known(ta, spl->surface))) &&
	    respell(norm, nlen, spl->rs, sizeof spl->rs, abusive_known, insulting_known, ta)) {
		if (an)
			voikko_free_mor_analysis(an);
		an = voikkoAnalyzeWordCstr(ta->voikko, spl->rs);
		spl->surface = spl->rs;
		add_id(f, spl->rs, strlen(spl->rs), ID_SURFACE, 1);
	}
	/* spoken Finnish glues the pronoun, shortens the translative or doubles a clitic:
	 * "ootsä", "haukuitsä" (= oot sä, haukuit sä: second person), "huoraks" (= huoraksi),
	 * "imeppä" (= imepä) */
	size_t slen = strlen(spl->surface);
	if ((!an || !an[0]) && slen >= 5 && slen < sizeof spl->spoken - 2) {
		size_t cut = 0;
		int glued = 0;
		const char *add = "";
		if (!memcmp(spl->surface + slen - 3, "s\xc3\xa4", 3))
			cut = 3, glued = 1;
		else if (slen >= 6 && !memcmp(spl->surface + slen - 5, "s\xc3\xa4\xc3\xa4", 5))
			cut = 5, glued = 1;
		else if (!memcmp(spl->surface + slen - 2, "ks", 2))
			cut = 0, add = "i";
		/* the clitic -pa/-pä doubled in speech: "imeppä" (= imepä), "katoppa" */
		else if (slen >= 6 && !memcmp(spl->surface + slen - 4, "pp\xc3\xa4", 4))
			cut = 4, add = "p\xc3\xa4";
		else if (!memcmp(spl->surface + slen - 3, "ppa", 3))
			cut = 3, add = "pa";
		if (cut || *add) {
			memcpy(spl->spoken, spl->surface, slen - cut);
			strcpy(spl->spoken + slen - cut, add);
			struct voikko_mor_analysis **an2 = voikkoAnalyzeWordCstr(ta->voikko, spl->spoken);
			if (an2 && an2[0]) {
				if (an)
					voikko_free_mor_analysis(an);
				an = an2;
				spl->surface = spl->spoken;
				spl->spoken2 = glued;
				add_id(f, spl->spoken, strlen(spl->spoken), ID_SURFACE, 1);
			} else if (an2) {
				voikko_free_mor_analysis(an2);
			}
		}
	}
	/* spoken vowels: "kauhee", "upeeta", "ihanii" (a valence word only) */
	if ((!an || !an[0]) && spoken_vowels(ta, spl->surface, spl->sv, sizeof spl->sv)) {
		if (an)
			voikko_free_mor_analysis(an);
		an = voikkoAnalyzeWordCstr(ta->voikko, spl->sv);
		spl->surface = spl->sv;
		add_id(f, spl->sv, strlen(spl->sv), ID_SURFACE, 1);
	}
	/* a prefix of degree on an adjective or an adverb voikko does not know as one word:
	 * "sikahyvä", "sikasiisti", "sikahyvin", "sikakallis" (very good, neat, well, dear) are the
	 * adjective intensified (fill_fi() scales its valence); "sika" (a pig) calls no one names
	 * there. "sikamainen", "sikalauma" are words of voikko's and keep their reading. */
	spl->degree = 0;
	if (!an || !an[0]) {
		static const char *const degree_prefix[] = {"sika", "hirmu", "mega", NULL};
		slen = strlen(spl->surface);
		for (int k = 0; degree_prefix[k]; k++) {
			size_t pl = strlen(degree_prefix[k]);
			if (slen < pl + 3 || memcmp(spl->surface, degree_prefix[k], pl))
				continue;
			struct voikko_mor_analysis **an2 = voikkoAnalyzeWordCstr(ta->voikko, spl->surface + pl);
			int adj = 0; /* a reading of one ("siisti" is also a verb's past) */
			for (int i = 0; an2 && an2[i] && !adj; i++)
				adj = has_attr(an2[i], "CLASS", "laatusana", "nimisana_laatusana") ||
				      has_attr(an2[i], "CLASS", "seikkasana", NULL);
			if (adj) {
				if (an)
					voikko_free_mor_analysis(an);
				an = an2;
				spl->surface += pl;
				spl->degree = 1;
				add_id(f, spl->surface, strlen(spl->surface), ID_SURFACE, 1);
				break;
			}
			if (an2)
				voikko_free_mor_analysis(an2);
		}
	}
	return an;
}

static int fill_fi(struct text_analyzer *ta, struct text_word *w, const char *norm, size_t nlen)
{
	struct fill f = {w, ta->lx, 'f', 0, 0, 0, 0, 0, 0, 0};
	struct fi_spelling spell;
	struct voikko_mor_analysis **an = fi_readings(ta, &f, norm, nlen, &spell);
	const char *surface = spell.surface, *a2 = spell.a2;
	int spoken2 = spell.spoken2;
	char lemma[128];
	size_t llen = 0;
	int nsecond = 0, nread = 0, nverb2 = 0, nsing2 = 0, nabusive = 0, nimper = 0, rv_has = 0, nquest = 0, nplural = 0,
	    ntransl = 0, nelat = 0, nname = 0, nnominal = 0, nposs3 = 0, nposs1 = 0, npart_sg = 0, nadj = 0, nfirst = 0, nfirst_ind = 0,
	    npresent = 0;
	int nnonnoun = 0, minen = 0; /* for the topic form: readings no noun, a "-minen" noun */
	int nparticiple = 0, nplain_noun = 0; /* participle readings; noun readings that are none */
	float rv_sum = 0;
	if (an && an[0]) {
		w->info.flags |= TI_KNOWN;
		/* the potential mood is rare in today's Finnish: when a form has another reading, the
		 * potential one is a lemma collision ("nainen" = a woman, not "naida" 1st person) */
		/* likewise a compound reading beside a word of one base is voikko splitting a word
		 * that needs no splitting ("loistavat" = excellent, not "lois+tavat" parasite ways) */
		int npot = 0, ncomp = 0, nall = 0;
		for (int i = 0; an[i] && i < 4; i++, nall++) {
			npot += has_attr(an[i], "MOOD", "potential", NULL);
			ncomp += reading_bases(an[i]) >= 2;
		}
		int first_kept = -1;
		for (int i = 0; an[i] && i < 4; i++) {
			if (npot && npot < nall && has_attr(an[i], "MOOD", "potential", NULL))
				continue;
			if (ncomp && ncomp < nall && reading_bases(an[i]) >= 2)
				continue;
			if (first_kept < 0)
				first_kept = i;
			char *bf = voikko_mor_analysis_value_cstr(an[i], "BASEFORM");
			if (bf) {
				char nb[128];
				int k = text_normalize(bf, strlen(bf), nb, sizeof nb);
				voikko_free_mor_analysis_value_cstr(bf);
				if (k > 0) {
					add_id(&f, nb, (size_t)k, ID_LEMMA, 1);
					/* which readings carry abuse: an ambiguous form ("tapa" = a way /
					 * kill!) only counts half */
					int has = 0;
					int32_t id = lemma_id(&f, nb, (size_t)k);
					if (id >= 0) {
						for (int c = 0; c < TA_N; c++)
							has |= ta->lx->info[id].abuse[c] > 0;
						if (ta->lx->info[id].flags & TI_HASVAL) {
							rv_sum += ta->lx->info[id].valence;
							rv_has++;
						}
					}
					nabusive += has;
					if (i == first_kept) {
						memcpy(lemma, nb, (size_t)k + 1);
						llen = (size_t)k;
					}
				}
			}
			if (has_attr(an[i], "PERSON", "2", NULL)) {
				nsecond++, nverb2++;
				nsing2 += has_attr(an[i], "NUMBER", "singular", NULL);
			} else if (has_attr(an[i], "POSSESSIVE", "2s", "2p")) {
				nsecond++;
			}
			nread++;
			if (has_attr(an[i], "PERSON", "1", NULL) && has_attr(an[i], "CLASS", "teonsana", NULL)) {
				nfirst++;
				nfirst_ind += has_attr(an[i], "MOOD", "indicative", NULL);
			}
			if (has_attr(an[i], "MOOD", "imperative", NULL) || has_attr(an[i], "PERSON", "4", NULL))
				nimper++;
			nnominal += (has_attr(an[i], "CLASS", "nimisana", "laatusana") ||
				     has_attr(an[i], "CLASS", "nimisana_laatusana", NULL)) &&
				    has_attr(an[i], "SIJAMUOTO", "nimento", NULL);
			nquest += has_attr(an[i], "KYSYMYSLIITE", "true", NULL);
			ntransl += has_attr(an[i], "SIJAMUOTO", "tulento", NULL);
			nelat += has_attr(an[i], "SIJAMUOTO", "sisaeronto", NULL);
			npart_sg += has_attr(an[i], "SIJAMUOTO", "osanto", NULL) && has_attr(an[i], "NUMBER", "singular", NULL);
			nadj += has_attr(an[i], "CLASS", "laatusana", "nimisana_laatusana");
			nname += has_attr(an[i], "CLASS", "etunimi", "sukunimi");
			nplural += has_attr(an[i], "NUMBER", "plural", NULL) &&
				   !has_attr(an[i], "CLASS", "teonsana", NULL);
			if (i == first_kept && has_attr(an[i], "CLASS", "nimisana", NULL))
				w->info.flags |= TI_CONTENT;
			/* an adverb, an adposition or a verb form beside a noun reading: "ilman" (without /
			 * of air), "maksaa" (pays / liver): not a thing the text is about */
			nnonnoun += has_attr(an[i], "CLASS", "seikkasana", "suhdesana") ||
			            (has_attr(an[i], "CLASS", "teonsana", NULL) &&
			             !has_attr(an[i], "MOOD", "imperative", "MINEN-infinitive"));
			/* a participle: "tilaamani tuote" is the product, not "tilaama"; but a noun that
			 * is one too ("liittymä", "näkymä") stays a noun */
			int participle = has_attr(an[i], "PARTICIPLE", "agent", "past_active") ||
			                 has_attr(an[i], "PARTICIPLE", "past_passive", "present_active") ||
			                 has_attr(an[i], "PARTICIPLE", "present_passive", "negation");
			nparticiple += participle;
			nplain_noun += !participle && has_attr(an[i], "CLASS", "nimisana", NULL);
			if (i == first_kept && has_attr(an[i], "MOOD", "MINEN-infinitive", NULL))
				minen = 1;
			if (i == first_kept && has_attr(an[i], "CLASS", "laatusana", NULL))
				w->info.flags |= TI_ADJ;
			/* (not a participle, which voikko also classes as an adjective: "ette ole
			 * auttaneet" denies an act, not a quality) */
			if (i == first_kept && has_attr(an[i], "CLASS", "laatusana", "nimisana_laatusana") &&
			    !participle)
				w->adj_reading = 1;
			if (i == first_kept && has_attr(an[i], "CLASS", "teonsana", NULL) &&
			    has_attr(an[i], "PERSON", "1", "3") && !has_attr(an[i], "MOOD", "imperative", NULL))
				w->info.flags |= TI_FINITE;
			if (i == first_kept && has_attr(an[i], "COMPARISON", "comparative", NULL))
				w->info.flags |= TI_COMPAR;
			if (i == first_kept && has_attr(an[i], "CLASS", "teonsana", NULL) &&
			    has_attr(an[i], "TENSE", "past_imperfective", NULL))
				w->info.flags |= TI_PAST;
			npresent += has_attr(an[i], "CLASS", "teonsana", NULL) &&
				    has_attr(an[i], "TENSE", "present_simple", NULL) &&
				    has_attr(an[i], "MOOD", "indicative", NULL);
			if (i == first_kept && has_attr(an[i], "MOOD", "conditional", NULL))
				w->info.flags |= TI_COND;
			if (i == first_kept && has_attr(an[i], "CLASS", "teonsana", NULL) &&
			    has_attr(an[i], "MOOD", "MA-infinitive", "E-infinitive"))
				w->info.flags |= TI_NONFIN;
			nposs3 += has_attr(an[i], "POSSESSIVE", "3", NULL);
			nposs1 += has_attr(an[i], "POSSESSIVE", "1s", "1p");
			if (has_attr(an[i], "MOOD", "imperative", NULL) && has_attr(an[i], "NEGATIVE", "both", NULL))
				w->info.flags |= TI_CONNEG;
			if (i == first_kept)
				add_parts(&f, an[i]);
		}
		/* past only when no reading is present: "potkin", "revin", "listin" (-iä verbs) are
		 * both, and a threat says what will happen */
		if (npresent)
			w->info.flags &= ~TI_PAST;
		/* second person only when every reading is: "voi" (butter / can / imperative) is not */
		/* surface forms in the lists (e.g. "idiootit") are not ambiguous */
		if (nabusive && nabusive < nread && !surface_abuse(&f, norm, nlen))
			for (int c = 0; c < TA_N; c++)
				w->info.abuse[c] *= 0.5f;
		/* readings that disagree on sentiment get the mean ("tapa": a way 0, kill! -3) */
		if (rv_has && rv_has < nread && !surface_val(&f, norm, nlen) && !surface_val(&f, a2, strlen(a2)))
			w->info.valence = rv_sum / (float)nread;
		/* imperative/passive only when every reading is ("tapa" is also a noun) */
		if (nimper && nimper == nread)
			w->info.flags |= TI_IMPER;
		if (nsecond && nsecond == nread)
			w->info.flags |= TI_SECOND | (nverb2 ? 0 : TI_POSS2);
		if (nsing2 && nsing2 == nread)
			w->info.flags |= TI_SING2;
		if (spoken2) /* a glued "sä" is singular */
			w->info.flags |= TI_SECOND | TI_SING2;
		if (nquest && nquest == nread)
			w->info.flags |= TI_QUEST;
		if (nplural && nplural == nread)
			w->info.flags |= TI_PLURAL;
		if (ntransl && ntransl == nread)
			w->info.flags |= TI_TRANSL;
		w->elative = nelat && nelat == nread;
		w->partitive_adj = nadj && npart_sg && npart_sg == nread;
		w->proper_name = nname && nname == nread;
		if (nnominal && nnominal == nread)
			w->info.flags |= TI_NOMINAL;
		w->poss1 = nposs1 && nposs1 == nread;
		if (nposs3 && nposs3 == nread)
			w->info.flags |= TI_POSS3;
		/* a first-person verb: an indicative reading ("tapan", "ammun" beside the noun "ammu",
		 * "tulen" beside "tuli"), or every reading; a conditional reading beside other words is a
		 * collision ("takaisin" = back, not "taata" "I would guarantee") */
		if (nfirst_ind || (nfirst && nfirst == nread))
			w->info.flags |= TI_FIRST;
	} else {
		/* Unknown to voikko (slang, typo, new compound): try strong abuse words as prefixes,
		 * longest first ("vitunmoinen", "paskaduuni"); an inflected form of a listed slang
		 * word ("suvakit") takes that word's evidence as well. */
		size_t n = strlen(surface);
		int slang = inflected_slang(&f, surface, n);
		for (size_t p = n > 40 ? 40 : n - (n > 0); p >= 4; p--) {
			if (((unsigned char)surface[p] & 0xC0) == 0x80)
				continue;
			size_t before = w->nids;
			float before_ins = w->info.abuse[TA_INSULT];
			add_id(&f, surface, p, ID_PART, 0.9f);
			if (w->nids != before) {
				/* "vittupää", "paskanaamat": abusive prefix + a name-calling head */
				if (starts_with_insult_head(surface + p) && w->info.abuse[TA_INSULT] < 1.0f &&
				    (w->info.abuse[TA_OBSCENE] > 0 || w->info.abuse[TA_INSULT] > before_ins))
					w->info.abuse[TA_INSULT] = 1.0f;
				break;
			}
		}
		/* ... and a name-calling word as the head of an unknown compound
		 * ("salaliittohörhö", "natsiurpo"): longest head first, at least five bytes */
		if (!slang && w->info.abuse[TA_INSULT] == 0 && w->info.abuse[TA_OBSCENE] == 0)
			for (size_t p = 3; p + 5 <= n; p++) {
				if (((unsigned char)surface[p] & 0xC0) == 0x80)
					continue;
				int32_t id = lemma_id(&f, surface + p, n - p);
				if (id >= 0 && f.lx->info[id].abuse[TA_INSULT] >= 0.6f) {
					add_id(&f, surface + p, n - p, ID_PART, 0.9f);
					break;
				}
			}
		if (w->info.abuse[TA_INSULT] == 0 && w->info.abuse[TA_OBSCENE] == 0)
			english_profanity(&f, surface, n);
		if (n >= 3)
			w->info.flags |= TI_CONTENT;
	}
	if (an)
		voikko_free_mor_analysis(an);
	/* a fixed expression ("naimisiin" = married) keeps none of its lemma's ("naida") colour */
	if (clear_if_fixed(&f))
		f.head_valence = 0;
	/* "without" a good thing is bad ("hyödytön", "arvoton", "tunteeton"); without a bad thing
	 * it is mixed ("kivuton", "huoleton" are good, "häpeämätön" is not): no valence */
	int priv_mixed = f.privative && f.head_valence < 0 && !(w->info.flags & TI_HASVAL);
	if (!(w->info.flags & TI_HASVAL) && f.head_valence != 0 && !priv_mixed) {
		w->info.valence = (f.privative ? -0.8f : 0.8f) * f.head_valence;
		w->info.flags |= TI_HASVAL;
	}
	if (spell.degree) /* "sikahyvä": as "tosi hyvä" (a booster's 1.3) */
		w->info.valence *= 1.3f;
	if (!llen) {
		llen = strlen(surface);
		if (llen >= sizeof lemma)
			llen = sizeof lemma - 1;
		memcpy(lemma, surface, llen);
		lemma[llen] = 0;
	}
	/* privative adjectives ("toivoton", "hyödytön", "arvottomasti") negate their stem: a
	 * mild negative when no list knows the word */
	if (!(w->info.flags & TI_HASVAL) && !priv_mixed && llen > 6 &&
	    (!strcmp(lemma + llen - 3, "ton") || !strcmp(lemma + llen - 4, "t\xc3\xb6n"))) {
		w->info.valence = -1.5f;
		w->info.flags |= TI_HASVAL;
	}
	if (w->info.flags & (TI_STOP | TI_FUNC | TI_SECOND | TI_FIRST) || llen < 3)
		w->info.flags &= ~(uint32_t)TI_CONTENT;
	if (!(w->lemma = keep_str(ta, lemma, llen)))
		return -1;
	w->lemma_len = (uint16_t)llen;
	w->stem = w->lemma;
	w->stem_len = w->lemma_len;
	w->feat_hash = text_hash(lemma, llen, 'f');
	w->name_reading = nname > 0;
	/* the topic form: a noun's lemma, or the "-minen" noun of a verb ("kirjautumisessa" ->
	 * "kirjautuminen": voikko gives the verb "kirjautua"); not a frozen case form */
	if (!nnonnoun && (!nparticiple || nplain_noun) &&
	    !(w->info.flags & (TI_STOP | TI_FUNC | TI_SECOND | TI_FIRST)) && !frozen_case_form(surface)) {
		if (w->info.flags & TI_CONTENT) {
			w->topic = w->lemma;
			w->topic_len = w->lemma_len;
		} else if (minen) {
			char mn[160];
			size_t k = minen_noun(surface, mn, sizeof mn);
			if (k && !(w->topic = keep_str(ta, mn, k)))
				return -1;
			w->topic_len = (uint16_t)k;
		}
	}
	return 0;
}

/* unmask()'s test for English: the lists know the rebuilt word. */
static int en_listed(void *arg, const char *s)
{
	const struct text_lexicon *lx = arg;
	char key[64];
	size_t n = strlen(s);
	if (n + 2 > sizeof key)
		return 0;
	key[0] = 'e';
	memcpy(key + 1, s, n + 1);
	return text_lexicon_id(lx, key, n + 1) >= 0;
}

/*
 * English clitics: "i'll", "he'll", "we'd", "you're", "they've", "i'm" are their host word
 * ("i", "he", "you"...) for the lexicon, not the letters left when the apostrophe goes: those
 * are other words ("ill", "hell", "well", "were", "shell"), and "I'll be there" read as "ill be
 * there" was negative, "He'll call you" obscene. The whole form stays a surface id, so phrase
 * entries written with it ("i'll cut you", "you'll regret this") still match. Returns the host's
 * length, or 0. ("'s" is left alone: it is also the possessive, "John's".)
 */
static size_t en_clitic_host(const char *norm, size_t nlen)
{
	static const char *const clitics[] = { "'ll", "'d", "'re", "'ve", "'m" };
	for (size_t k = 0; k < sizeof clitics / sizeof clitics[0]; k++) {
		size_t cl = strlen(clitics[k]);
		if (nlen <= cl || memcmp(norm + nlen - cl, clitics[k], cl) != 0)
			continue;
		size_t h = nlen - cl;
		for (size_t i = 0; i < h; i++)
			if (norm[i] < 'a' || norm[i] > 'z')
				return 0;
		return h;
	}
	return 0;
}

/* The singular of English plural s (n bytes, whose Snowball stem is stem): "deliveries" ->
 * "delivery", "drivers" -> "driver", "boxes" -> "box", in out; 0 when s is no plural the stem
 * confirms ("news", "bus", "analysis": the singular would stem otherwise). */
static size_t en_singular(struct text_analyzer *ta, const char *s, size_t n, const char *stem, size_t sl, char *out,
                          size_t cap)
{
	if (n < 4 || n + 1 > cap || s[n - 1] != 's' || s[n - 2] == 's' || s[n - 2] == 'u' || s[n - 2] == 'i')
		return 0;
	/* singulars that end in -s ("series", "lens"): no plural; and "-uses" plurals of "-us"
	 * nouns, which the stem check cannot tell from "houses" */
	static const char *const no_plural[] = {"series", "species", "lens",  "canvas", "alias", "atlas",
	                                        "bias",   "chaos",   "kudos", "means",  "news",  NULL};
	for (int k = 0; no_plural[k]; k++)
		if (n == strlen(no_plural[k]) && !memcmp(s, no_plural[k], n))
			return 0;
	static const char *const us_plural[] = {"buses", "bonuses", "viruses", "statuses", "campuses", NULL};
	for (int k = 0; us_plural[k]; k++)
		if (n == strlen(us_plural[k]) && !memcmp(s, us_plural[k], n)) {
			memcpy(out, s, n - 2);
			out[n - 2] = 0;
			return n - 2;
		}
	size_t cand[2][2] = {{n - 1, 0}, {n - 2, 0}}; /* bytes kept, then "y" added or not */
	int nc = 2;
	if (n > 4 && !memcmp(s + n - 3, "ies", 3)) {
		cand[0][0] = n - 3, cand[0][1] = 1;
		nc = 1;
	} else if (n > 4 && (!memcmp(s + n - 3, "xes", 3) || !memcmp(s + n - 4, "ches", 4) ||
	                     !memcmp(s + n - 4, "shes", 4) || !memcmp(s + n - 4, "sses", 4))) {
		cand[0][0] = n - 2, cand[1][0] = n - 1; /* "boxes" -> "box" before "boxe" */
	} else {
		nc = 1;
	}
	for (int c = 0; c < nc; c++) {
		size_t k = cand[c][0];
		memcpy(out, s, k);
		if (cand[c][1])
			out[k++] = 'y';
		const sb_symbol *st = sb_stemmer_stem(ta->stem_en, (const sb_symbol *)out, (int)k);
		if (st && (size_t)sb_stemmer_length(ta->stem_en) == sl && !memcmp(st, stem, sl)) {
			out[k] = 0;
			return k;
		}
	}
	return 0;
}

static int fill_en(struct text_analyzer *ta, struct text_word *w, const char *norm, size_t nlen)
{
	struct fill f = { w, ta->lx, 'e', 0, 0, 0, 0, 0, 0, 0 };
	char clean[256], a2[256], a1[256];
	size_t host = en_clitic_host(norm, nlen);
	if (host) {
		add_id(&f, norm, nlen, ID_SURFACE, 1);
		nlen = host;
	}
	clean_form(norm, nlen, clean, sizeof clean);
	int stretched = collapse(clean, a2, sizeof a2, 2);
	collapse(clean, a1, sizeof a1, 1);
	add_id(&f, norm, nlen, ID_SURFACE, 1);
	add_id(&f, a2, strlen(a2), ID_SURFACE, 1);
	if (stretched)
		add_id(&f, a1, strlen(a1), ID_SURFACE, 1);
	const sb_symbol *st = sb_stemmer_stem(ta->stem_en, (const sb_symbol *)a2, (int)strlen(a2));
	int sl = st ? sb_stemmer_length(ta->stem_en) : 0;
	char stem[256];
	if (sl <= 0 || sl >= (int)sizeof stem) {
		sl = (int)strlen(a2);
		memcpy(stem, a2, (size_t)sl);
	} else {
		memcpy(stem, st, (size_t)sl);
	}
	stem[sl] = 0;
	add_id(&f, stem, (size_t)sl, ID_LEMMA, 1);
	/* letters masked by a separator or stars: "f-ck", "n*gger" */
	char um[64];
	if (w->nids == 0 && unmask(masked_stems_en, 2, norm, nlen, um, sizeof um, en_listed, (void *)ta->lx)) {
		add_id(&f, um, strlen(um), ID_SURFACE, 1);
		st = sb_stemmer_stem(ta->stem_en, (const sb_symbol *)um, (int)strlen(um));
		if (st)
			add_id(&f, (const char *)st, (size_t)sb_stemmer_length(ta->stem_en), ID_LEMMA, 1);
	}
	if (stretched) {
		st = sb_stemmer_stem(ta->stem_en, (const sb_symbol *)a1, (int)strlen(a1));
		if (st)
			add_id(&f, (const char *)st, (size_t)sb_stemmer_length(ta->stem_en), ID_LEMMA, 1);
	}
	/* glued profanity no list knows ("fuckass", "fuckoff", "bitchass"): an unambiguous swear
	 * stem at the start of a longer word */
	if (w->nids == 0) {
		/* stems matched on the surface form of an unknown word, not lemmas: stays in C */
		static const char *const stems[] = { "fuck", "shit", "bitch", "cunt", "motherf", NULL };
		for (int k = 0; stems[k]; k++)
			if (strlen(a1) > strlen(stems[k]) && !strncmp(a1, stems[k], strlen(stems[k]))) {
				w->info.abuse[TA_OBSCENE] = 0.8f;
				/* "fuckyou", "fucku", and "F u c k  y o u" merged by the tokeniser: sworn
				 * at the reader, as the phrase "fuck you" is */
				const char *rest = a1 + strlen(stems[k]);
				if (!strcmp(rest, "you") || !strcmp(rest, "u") || !strcmp(rest, "ya")) {
					w->info.abuse[TA_INSULT] = 1.0f;
					w->info.flags |= TI_SECOND;
				}
				break;
			}
	}
	/* An insult noun or adjective shares its stem with an everyday verb: "creep" ("prices keep
	 * creeping up"), "jerk" ("the car jerked"), "trash" ("we trashed the boxes"), "fool"
	 * ("fooling around"), "ignorant" ("he was ignored"). A verb form (-ing, -ed) calls nobody
	 * names unless the form itself is listed ("retarded", "brainwashed", "disgusting"). */
	{
		size_t al = strlen(a2);
		int verb_form = (al > 5 && !strcmp(a2 + al - 3, "ing")) || (al > 4 && !strcmp(a2 + al - 2, "ed"));
		if (verb_form && w->info.abuse[TA_INSULT] > f.surface_insult)
			w->info.abuse[TA_INSULT] = f.surface_insult;
	}
	/* a fixed form ("retardant", which stems to "retard") keeps none of its stem's colour */
	clear_if_fixed(&f);
	size_t llen = strlen(stretched && w->nids ? a2 : a2);
	int alpha = llen >= 3;
	for (size_t i = 0; i < llen && alpha; i++)
		alpha = a2[i] >= 'a' && a2[i] <= 'z';
	if (alpha && !(w->info.flags & (TI_STOP | TI_FUNC | TI_SECOND | TI_FIRST)))
		w->info.flags |= TI_CONTENT;
	if (!(w->lemma = keep_str(ta, a2, llen)) || !(w->stem = keep_str(ta, stem, (size_t)sl)))
		return -1;
	w->lemma_len = (uint16_t)llen;
	w->stem_len = (uint16_t)sl;
	w->feat_hash = text_hash(stem, (size_t)sl, 'e');
	/* the topic form: the singular of a plural noun, so "deliveries" and "delivery" are one
	 * topic and read as a word (the stem "deliveri" would not) */
	if (w->info.flags & TI_CONTENT) {
		char sg[256];
		size_t k = en_singular(ta, a2, llen, stem, (size_t)sl, sg, sizeof sg);
		if (!k) {
			w->topic = w->lemma;
			w->topic_len = w->lemma_len;
		} else if (!(w->topic = keep_str(ta, sg, k))) {
			return -1;
		} else {
			w->topic_len = (uint16_t)k;
		}
	}
	return 0;
}

/*
 * Booster words carry no valence of their own ("kauhean hyvä" is very good, not awful), and
 * abusive words that no sentiment list covers still count as negative.
 */
static void finish_info(struct text_info *in)
{
	if (in->mult != 0 || (in->flags & TI_NEGATOR)) {
		if (in->mult != 0 && !(in->flags & TI_NEGATOR) && (in->flags & TI_HASVAL))
			in->bval = in->valence;
		in->valence = 0;
		in->flags &= ~(uint32_t)TI_HASVAL;
	}
	if (!(in->flags & TI_HASVAL)) {
		float neg = in->abuse[TA_INSULT] * 2.0f;
		if (in->abuse[TA_OBSCENE] * 1.5f > neg)
			neg = in->abuse[TA_OBSCENE] * 1.5f;
		if (in->abuse[TA_IDENTITY] * 2.0f > neg)
			neg = in->abuse[TA_IDENTITY] * 2.0f;
		if (in->abuse[TA_THREAT] >= 0.5f && neg < 1.5f)
			neg = 1.5f;
		if (neg >= 0.5f) {
			in->valence = -neg;
			in->flags |= TI_HASVAL;
		}
	}
}

/* A self-censored word ("s***", "a**hole", "f*cking", "v***u") is a swear word its writer
 * chose to mask: a letter first, then either two or more '*' or a '*' followed by a letter. A
 * word the lists already know keeps its own evidence. */
static void masked_swear(struct text_word *w, const char *s, size_t n)
{
	if (n < 2 || !(((unsigned char)s[0] | 0x20) >= 'a' && ((unsigned char)s[0] | 0x20) <= 'z'))
		return;
	size_t stars = 0, lead = 0;
	int inner = 0;
	for (size_t i = 1; i < n; i++)
		if (s[i] == '*') {
			stars++;
			inner |= i + 1 < n && s[i + 1] != '*';
		} else if (!stars) {
			lead = i;
		}
	/* trailing stars only after one or two letters ("s***", "sh**"), not "bold**" */
	if (!stars || n > 16 || (!inner && (stars < 2 || lead > 1)))
		return;
	for (int c = 0; c < TA_N; c++)
		if (w->info.abuse[c] > 0)
			return;
	w->info.abuse[TA_OBSCENE] = 0.8f;
}

/* A topic names what a text is about, not how it feels: no word that carries abuse or a
 * group, none of the not_topic class (time words, greetings, generic "problem"), and no word
 * with a sentiment of its own, except a problem word (class topic_word: "delayed", "outage")
 * and a Finnish noun of a mild negative one ("viive", "veloitus", "katko": what went wrong). */
static void topic_filter(struct text_word *w, int lang)
{
	int drop = (w->rule_class & RC_NOT_TOPIC) || w->info.idgroup > 0;
	for (int c = 0; c < TA_N && !drop; c++)
		drop = w->info.abuse[c] > 0;
	float v = w->info.valence;
	if (!drop && (w->info.flags & TI_HASVAL) && v != 0 && !(w->rule_class & RC_TOPIC_WORD))
		drop = !(lang == TEXT_LL_FI && v < 0 && v > -3);
	if (drop) {
		w->topic = NULL;
		w->topic_len = 0;
	}
}

const struct text_word *text_word_get(struct text_analyzer *ta, int lang, const char *norm, size_t len)
{
	char key[260];
	if (len > 200)
		len = text_utf8_prefix(norm, len, 200);
	key[0] = lang == TEXT_LL_FI ? 'f' : 'e';
	memcpy(key + 1, norm, len);
	uint64_t h = text_hash(key, len + 1, 1);
	uint32_t *v = text_map_get(&ta->cache, key, len + 1, h);
	if (v) {
		ta->hits++;
		return &ta->chunks[*v / CHUNK][*v % CHUNK];
	}
	ta->misses++;
	if (ta->nwords % CHUNK == 0) {
		struct text_word **nc = realloc(ta->chunks, (ta->nchunks + 1) * sizeof(*nc));
		if (!nc)
			return NULL;
		ta->chunks = nc;
		if (!(ta->chunks[ta->nchunks] = malloc(CHUNK * sizeof(struct text_word))))
			return NULL;
		ta->nchunks++;
	}
	struct text_word *w = &ta->chunks[ta->nwords / CHUNK][ta->nwords % CHUNK];
	memset(w, 0, sizeof(*w));
	char *normz = text_arena_strdup(&ta->cache_arena, norm, len);
	const char *k = text_arena_strdup(&ta->cache_arena, key, len + 1);
	if (!normz || !k)
		return NULL;
	if ((lang == TEXT_LL_FI ? fill_fi(ta, w, normz, len) : fill_en(ta, w, normz, len)) < 0)
		return NULL;
	masked_swear(w, normz, len);
	finish_info(&w->info);
	text_word_classify(w);
	topic_filter(w, lang);
	if (text_map_put(&ta->cache, k, len + 1, h, (uint32_t)ta->nwords) < 0)
		return NULL;
	ta->nwords++;
	return w;
}

/* Called at the start of each analysis: keeps memory bounded on long-running servers. */
void text_cache_maybe_trim(struct text_analyzer *ta)
{
	if (ta->nwords >= TEXT_CACHE_MAX)
		text_analyzer_cache_clear(ta);
}
