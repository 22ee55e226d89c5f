/*
 * Search forms: the other inflected forms of a Finnish noun, adjective or name that a search
 * for it should also find, because Snowball's Finnish stem of them differs from the word's:
 * consonant gradation ("Helsinki" / "Helsingin", "aika" / "ajassa", "tunti" / "tunnin"), stem
 * changes ("puhelin" / "puhelimen", "käsi" / "kättä", "mies" / "miehen") and plural stems
 * ("asia" / "asioita"). The stores stem words with Snowball only; voikko is what knows that
 * these forms belong together, so the query side asks here (text_word_forms(), text.h).
 *
 * How: for each lemma of the word, candidate forms are generated from its stem variants
 * (the lemma, without its last vowel, with -nen/-s/-n/-si endings changed, each with the
 * consonant cluster before its last vowel swapped between the strong and the weak grade; the
 * consonant stem of -li/-ri/-ni/-mi words, "lunta"; a long diphthong shortened before the
 * plural i, "töitä") and
 * a small set of case endings in the lemma's vowel harmony. A candidate is kept only if voikko
 * reads it, and reads it as nothing but that lemma: "kuin" is also a form of "kuu" (moon),
 * but a search for "kuu" must not find every "kuin". The singular genitive ("tuen", also "I
 * support") and, while there is room, the lemma's core case forms are read more laxly (enum
 * forms_take), and an inflected word always gets its lemma. A candidate whose Snowball stem is
 * one already covered is not even looked up, so a lemma costs about 80 voikko lookups (0.4
 * ms); answers are cached per analyzer.
 *
 * Measured as the share of noun, adjective and name tokens whose stem a search by their lemma
 * reaches (docs/text-analysis.md, "Search forms"): 63.8% -> 92.0% on the half of the Finnish
 * sentiment set's lemmas that was never looked at while writing the rules, 63.3% -> 90.2% on
 * the Finnish abuse set. Most of the rest are forms voikko also reads as another word
 * ("kotiin", "liian"), which are left out on purpose, and comparatives ("parempi" of "hyvä").
 */
#include <libstemmer.h>
#include <libvoikko/voikko.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "text/text_int.h"

#define FORMS_WORD_MAX 48  /* bytes: longer words are not expanded (nor cached) */
#define FORMS_CAND_MAX 96  /* bytes of a candidate form */
#define FORMS_STEM_MAX 24  /* stems covered per word: the word's own and its forms' */
#define FORMS_CACHE_N  256 /* direct-mapped cache entries per analyzer */

struct forms_cache_ent {
	uint64_t hash;
	uint8_t wl;
	char w[FORMS_WORD_MAX];
	struct text_forms f;
};

/* The lemma being expanded and what the expansion found so far. */
struct forms_gen {
	struct text_analyzer *ta;
	const char *word;  /* the word asked about, folded */
	const char *lemma; /* folded */
	int back;          /* vowel harmony: a/o/u endings (else ä/ö/y) */
	char stems[FORMS_STEM_MAX][FORMS_CAND_MAX];
	int nstems;
	struct text_forms *out;
};

/* s[0..n) in lower case into out (at most cap-1 bytes and a NUL); -1 if it does not fit or is
 * not UTF-8. */
static int forms_fold(const char *s, size_t n, char *out, size_t cap)
{
	size_t o = 0;
	for (size_t i = 0; i < n;) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(n - i), &cp);
		utf8proc_uint8_t enc[4];
		if (k <= 0)
			return -1;
		utf8proc_ssize_t e = utf8proc_encode_char(utf8proc_tolower(cp), enc);
		if (o + (size_t)e + 1 > cap)
			return -1;
		memcpy(out + o, enc, (size_t)e);
		o += (size_t)e;
		i += (size_t)k;
	}
	out[o] = '\0';
	return (int)o;
}

/* voikko's word classes (CLASS): the nominal ones, whose forms are worth a search (nouns,
 * adjectives, names), and the closed ones (conjunctions, pronouns, adverbs, adpositions,
 * numerals, interjections): a word with a closed reading is left as it is ("kuin" is "than",
 * not a form of "kuu"). NULL-terminated. */
static const char *const forms_nominal_classes[] = {"nimisana", "laatusana", "nimisana_laatusana", "nimi",
                                                    "etunimi",  "sukunimi",  "paikannimi",         NULL};
static const char *const forms_closed_classes[] = {"sidesana", "asemosana",     "seikkasana", "suhdesana",
                                                   "lukusana", "huudahdussana", "kieltosana", NULL};

static int forms_class_in(const char *cls, const char *const *classes)
{
	for (size_t i = 0; classes[i]; i++)
		if (strcmp(cls, classes[i]) == 0)
			return 1;
	return 0;
}

/* Finnish Snowball stem of w into out (NUL-terminated); 0 if it does not fit. */
static int forms_stem(struct text_analyzer *ta, const char *w, char *out, size_t cap)
{
	const sb_symbol *s = sb_stemmer_stem(ta->stem_fi, (const sb_symbol *)w, (int)strlen(w));
	int n = sb_stemmer_length(ta->stem_fi);
	if (!s || n < 0 || (size_t)n + 1 > cap)
		return 0;
	memcpy(out, s, (size_t)n);
	out[n] = '\0';
	return 1;
}

/* 1 if voikko reads w as lemma (folded) and, strict, as nothing else; not strict, as nothing
 * of a closed class and not as another word's base form ("kuin", than, and "kuulla", to hear,
 * stay out even of a lax reading). */
static int forms_reads_as(struct text_analyzer *ta, const char *w, const char *lemma, int strict)
{
	struct voikko_mor_analysis **a = voikkoAnalyzeWordCstr(ta->voikko, w);
	int ok = 0, other = 0, closed = 0;
	for (size_t i = 0; a && a[i]; i++) {
		char *b = voikko_mor_analysis_value_cstr(a[i], "BASEFORM");
		char *cls = voikko_mor_analysis_value_cstr(a[i], "CLASS");
		char fb[FORMS_CAND_MAX];
		int folded = b && forms_fold(b, strlen(b), fb, sizeof fb) >= 0;
		if (folded && strcmp(fb, lemma) == 0)
			ok = 1;
		else
			other = 1;
		/* a closed-class reading, or w the base form of another word ("kuulla", to hear, is
		 * also "on the moon") */
		closed |= !cls || forms_class_in(cls, forms_closed_classes) ||
		          (folded && strcmp(fb, lemma) != 0 && strcmp(fb, w) == 0);
		if (b)
			voikko_free_mor_analysis_value_cstr(b);
		if (cls)
			voikko_free_mor_analysis_value_cstr(cls);
	}
	if (a)
		voikko_free_mor_analysis(a);
	return ok && !closed && !(strict && other);
}

/* How forms_try() takes a candidate. */
enum forms_take {
	FORMS_NEW_STEM,     /* if its Snowball stem is new and voikko reads it as the lemma only */
	FORMS_NEW_STEM_LAX, /* if its stem is new and one reading is the lemma, none of a closed
	                     * class nor another word's base form */
	FORMS_CORE,         /* a core case form: also with a stem already covered (another
	                     * Snowball, PostgreSQL's, may stem it apart), if one reading is the lemma
	                     * and none of a closed class ("Porin" is also a case of "pora", drill) */
	FORMS_LEMMA,        /* the lemma itself, whatever else it may be read as: it is what an
	                     * inflected query word means ("puhelimen" -> "puhelin", also "I chatted") */
};

/* Consider candidate form w (folded), as take says. */
static void forms_try_as(struct forms_gen *g, const char *w, enum forms_take take)
{
	char st[FORMS_CAND_MAX];
	int covered = 0;
	if (g->out->n == TEXT_FORMS_MAX || !forms_stem(g->ta, w, st, sizeof st))
		return;
	for (int i = 0; i < g->nstems; i++)
		covered |= strcmp(g->stems[i], st) == 0;
	if (covered && (take == FORMS_NEW_STEM || take == FORMS_NEW_STEM_LAX))
		return;
	for (size_t i = 0; i < g->out->n; i++)
		if (strcmp(g->out->form[i], w) == 0)
			return;
	if (take != FORMS_LEMMA && !forms_reads_as(g->ta, w, g->lemma, take == FORMS_NEW_STEM))
		return;
	size_t wl = strlen(w);
	if (g->out->used + wl + 1 > sizeof g->out->buf || (!covered && g->nstems == FORMS_STEM_MAX))
		return;
	if (!covered)
		memcpy(g->stems[g->nstems++], st, strlen(st) + 1);
	char *dst = g->out->buf + g->out->used;
	memcpy(dst, w, wl + 1);
	g->out->used += wl + 1;
	g->out->form[g->out->n++] = dst;
}

/* Singular and plural case endings; A/O/U are the harmony vowels. */
static const char *const forms_sg[] = {"n", "A", "tA", "ssA", "stA", "llA", "t", "nA", "lle", "hin", "seen", NULL};
static const char *const forms_pl[] = {"jA", "itA", "issA", "ihin", "iden", "jen", "ien", "ille", "in", NULL};
/* Endings on a consonant stem (meri -> mer-): the singular partitive and plural genitive. */
static const char *const forms_cons[] = {"tA", "ten", NULL};
/* Long-vowel diphthongs and what is left of them before the plural i (työ -> töi-). */
static const char *const forms_diphthongs[][2] = {{"uo", "o"}, {"ie", "e"}, {"y\xc3\xb6", "\xc3\xb6"}};

/* stem + each ending */
static void forms_endings(struct forms_gen *g, const char *stem, const char *const *endings)
{
	for (size_t e = 0; endings[e]; e++) {
		char w[FORMS_CAND_MAX];
		size_t n = strlen(stem);
		if (n + 2 * strlen(endings[e]) + 1 > sizeof w)
			continue;
		memcpy(w, stem, n);
		for (const char *p = endings[e]; *p; p++) {
			if (*p == 'A' && !g->back) {
				w[n++] = '\xc3';
				w[n++] = '\xa4'; /* ä */
			} else {
				w[n++] = *p == 'A' ? 'a' : *p;
			}
		}
		w[n] = '\0';
		/* the singular genitive is the commonest form and often also a verb's ("tuen": of
		 * support / I support, "ajan": of time / I drive): read laxly, still with a new stem */
		forms_try_as(g, w, strcmp(endings[e], "n") == 0 ? FORMS_NEW_STEM_LAX : FORMS_NEW_STEM);
	}
}

/* 1 if byte i of s is part of a vowel: a e i o u y, or a byte of a letter beyond ASCII (in
 * Finnish ä, ö, å) */
static int forms_vowel_byte(const char *s, size_t i)
{
	unsigned char c = (unsigned char)s[i];
	return c >= 0x80 || (c && strchr("aeiouy", c) != NULL);
}

/* Consonant gradation pairs, strong first: tried both ways on the cluster before the stem's
 * last vowels (longest match wins where two end alike: "nk" before "k"). */
static const char *const forms_grades[][2] = {
    {"kk", "k"},  {"pp", "p"},  {"tt", "t"},  {"nk", "ng"}, {"mp", "mm"}, {"lt", "ll"}, {"nt", "nn"}, {"rt", "rr"},
    {"ht", "hd"}, {"lk", "lj"}, {"rk", "rj"}, {"t", "d"},   {"p", "v"},   {"k", "j"},   {"k", "v"},   {"k", ""},
};

/* stem + endings, and the same with each gradation swap of its last consonant cluster */
static void forms_graded(struct forms_gen *g, const char *stem, const char *const *endings)
{
	forms_endings(g, stem, endings);
	size_t n = strlen(stem);
	size_t ce = n, cs;
	while (ce > 0 && forms_vowel_byte(stem, ce - 1))
		ce--;
	cs = ce;
	while (cs > 0 && !forms_vowel_byte(stem, cs - 1))
		cs--;
	if (ce == cs || cs == 0)
		return; /* no consonant cluster between vowels */
	for (size_t s = 0; s < sizeof forms_grades / sizeof *forms_grades; s++) {
		for (int d = 0; d < 2; d++) {
			const char *from = forms_grades[s][d], *to = forms_grades[s][!d];
			size_t fl = strlen(from), tl = strlen(to), cl = ce - cs;
			if (!fl || cl < fl || memcmp(stem + ce - fl, from, fl) != 0)
				continue;
			char v[FORMS_CAND_MAX];
			if (n - fl + tl + 1 > sizeof v)
				continue;
			memcpy(v, stem, ce - fl);
			memcpy(v + ce - fl, to, tl);
			memcpy(v + ce - fl + tl, stem + ce, n - ce + 1);
			forms_endings(g, v, endings);
		}
	}
	/* a lone k after a diphthong in i becomes j with it: aika -> ajan, poika -> pojan */
	if (ce - cs == 1 && stem[cs] == 'k' && cs >= 2 && stem[cs - 1] == 'i' && forms_vowel_byte(stem, cs - 2)) {
		char v[FORMS_CAND_MAX];
		if (n + 1 > sizeof v)
			return;
		memcpy(v, stem, cs - 1);
		v[cs - 1] = 'j';
		memcpy(v + cs, stem + ce, n - ce + 1);
		forms_endings(g, v, endings);
	}
}

/* stem[0..n) + suffix, into buf */
static const char *forms_join(char *buf, size_t cap, const char *stem, size_t n, const char *suffix)
{
	size_t sl = strlen(suffix);
	if (n + sl + 1 > cap)
		return NULL;
	memcpy(buf, stem, n);
	memcpy(buf + n, suffix, sl + 1);
	return buf;
}

static int forms_ends(const char *s, size_t n, const char *suffix)
{
	size_t sl = strlen(suffix);
	return n > sl + 1 && memcmp(s + n - sl, suffix, sl) == 0;
}

static void forms_lemma(struct forms_gen *g)
{
	const char *l = g->lemma;
	size_t n = strlen(l);
	char b[FORMS_CAND_MAX];
	const char *v;

	g->back = 0; /* harmony: the last of a/o/u (back) or ä/ö/y (front) decides; none: front */
	for (size_t i = 0; i < n; i++) {
		if (l[i] == 'a' || l[i] == 'o' || l[i] == 'u')
			g->back = 1;
		else if (l[i] == 'y' || ((unsigned char)l[i] == 0xc3 && i + 1 < n &&
		                         ((unsigned char)l[i + 1] == 0xa4 || (unsigned char)l[i + 1] == 0xb6)))
			g->back = 0;
	}
	if (strcmp(l, g->word) != 0)
		forms_try_as(g, l, FORMS_LEMMA);
	forms_graded(g, l, forms_sg);
	if (forms_vowel_byte(l, n - 1)) {
		size_t cut = ((unsigned char)l[n - 1] & 0xc0) == 0x80 ? 2 : 1; /* ä, ö: two bytes */
		size_t sn = n - cut;
		if ((v = forms_join(b, sizeof b, l, sn, "e")))
			forms_graded(g, v, forms_sg); /* ovi -> oven, tunti -> tunnin */
		if (l[n - 1] == 'e' && (v = forms_join(b, sizeof b, l, n, "e")))
			forms_graded(g, v, forms_sg); /* lähde -> lähteen, sade -> sateen */
		if ((v = forms_join(b, sizeof b, l, sn, "")))
			forms_graded(g, v, forms_pl); /* lapsi -> lapsia, tunti -> tunteja */
		if ((v = forms_join(b, sizeof b, l, sn, g->back ? "o" : "\xc3\xb6")))
			forms_graded(g, v, forms_pl); /* asia -> asioita, kala -> kaloja */
		if (forms_ends(l, n, "si")) {
			if ((v = forms_join(b, sizeof b, l, n - 2, "de")))
				forms_endings(g, v, forms_sg); /* käsi -> käden, vuosi -> vuoden */
			if ((v = forms_join(b, sizeof b, l, n - 2, "t")))
				forms_endings(g, v, forms_sg); /* käsi -> kättä, kuukausi -> kuukautta */
		}
		/* the consonant stem of an -i word: meri -> merta, kieli -> kieltä, sieni -> sientä,
		 * lumi -> lunta */
		if (forms_ends(l, n, "li") || forms_ends(l, n, "ri") || forms_ends(l, n, "ni")) {
			if ((v = forms_join(b, sizeof b, l, n - 1, "")))
				forms_endings(g, v, forms_cons);
		} else if (forms_ends(l, n, "mi") && (v = forms_join(b, sizeof b, l, n - 2, "n"))) {
			forms_endings(g, v, forms_cons);
		}
		/* a diphthong shortens before the plural i: työ -> töitä, yö -> öitä, suo -> soilla */
		for (size_t i = 0; i < sizeof forms_diphthongs / sizeof *forms_diphthongs; i++) {
			size_t dl = strlen(forms_diphthongs[i][0]);
			if (n >= dl && strcmp(l + n - dl, forms_diphthongs[i][0]) == 0 &&
			    (v = forms_join(b, sizeof b, l, n - dl, forms_diphthongs[i][1])))
				forms_endings(g, v, forms_pl);
		}
		return;
	}
	if (forms_ends(l, n, "nen")) {
		if ((v = forms_join(b, sizeof b, l, n - 3, "se")))
			forms_endings(g, v, forms_sg); /* nainen -> naisen */
		if ((v = forms_join(b, sizeof b, l, n - 3, "s")))
			forms_endings(g, v, forms_sg); /* nainen -> naista */
	} else if (l[n - 1] == 'n') {
		if ((v = forms_join(b, sizeof b, l, n - 1, "me")))
			forms_graded(g, v, forms_sg); /* puhelin -> puhelimen, avain -> avaimet */
		if ((v = forms_join(b, sizeof b, l, n, "e")))
			forms_graded(g, v, forms_sg);
	} else if (l[n - 1] == 's') {
		if ((v = forms_join(b, sizeof b, l, n - 1, "kse")))
			forms_endings(g, v, forms_sg); /* tapaus -> tapauksen */
		if ((v = forms_join(b, sizeof b, l, n - 1, "he")))
			forms_endings(g, v, forms_sg); /* mies -> miehen */
		if ((v = forms_join(b, sizeof b, l, n - 1, "de")))
			forms_endings(g, v, forms_sg); /* rakkaus -> rakkauden */
		if ((v = forms_join(b, sizeof b, l, n - 1, g->back ? "a" : "\xc3\xa4")))
			forms_graded(g, v, forms_sg); /* rengas -> renkaan, hidas -> hitaan */
	} else if ((v = forms_join(b, sizeof b, l, n, "e"))) {
		forms_graded(g, v, forms_sg); /* kaunis -> ..., ien -> ikenen */
	}
}

/* The distinct lemmas of w's noun, adjective and name readings (folded), at most two; 0 if
 * it has none, a closed-class reading, a verb reading whose base form is w itself, or three
 * lemmas. Another verb reading is no obstacle ("puhelin" is also "I chatted"): the forms kept
 * are the lemma's only readings. */
static int forms_lemmas(struct text_analyzer *ta, const char *w, char lemmas[2][FORMS_CAND_MAX])
{
	struct voikko_mor_analysis **a = voikkoAnalyzeWordCstr(ta->voikko, w);
	int n = 0, ok = a && a[0];
	for (size_t i = 0; ok && a[i]; i++) {
		char *cls = voikko_mor_analysis_value_cstr(a[i], "CLASS");
		char *b = voikko_mor_analysis_value_cstr(a[i], "BASEFORM");
		char fb[FORMS_CAND_MAX];
		if (!cls || !b || forms_class_in(cls, forms_closed_classes)) {
			ok = 0;
		} else if (!forms_class_in(cls, forms_nominal_classes) &&
		           forms_fold(b, strlen(b), fb, sizeof fb) >= 0 && strcmp(fb, w) == 0) {
			ok = 0; /* the word is a verb's own base form: "kuulla" (to hear) is no "kuu" (moon) */
		} else if (!forms_class_in(cls, forms_nominal_classes) || forms_fold(b, strlen(b), fb, sizeof fb) < 3) {
			/* a verb reading, or a lemma too short to widen */
		} else if (!(n >= 1 && strcmp(lemmas[0], fb) == 0) && !(n == 2 && strcmp(lemmas[1], fb) == 0)) {
			if (n == 2)
				ok = 0; /* three different words: too ambiguous to widen */
			else
				memcpy(lemmas[n++], fb, strlen(fb) + 1);
		}
		if (cls)
			voikko_free_mor_analysis_value_cstr(cls);
		if (b)
			voikko_free_mor_analysis_value_cstr(b);
	}
	if (a)
		voikko_free_mor_analysis(a);
	return ok ? n : 0;
}

/* The lemma's core case forms (genitive, partitive, inessive, adessive, plural nominative)
 * made from the lemma itself, kept while there is room even when Snowball stems them like a
 * form already kept: another Snowball (PostgreSQL's) may not ("Pori": "Porissa"). */
static void forms_core(struct forms_gen *g)
{
	static const char *const core[] = {"n", "ssA", "A", "tA", "llA", "t", NULL};
	for (size_t e = 0; core[e] && g->out->n < TEXT_FORMS_MAX; e++) {
		char w[FORMS_CAND_MAX];
		size_t n = strlen(g->lemma), k = 0;
		if (n + 8 > sizeof w)
			return;
		memcpy(w, g->lemma, n);
		for (const char *p = core[e]; *p; p++) {
			if (*p == 'A' && !g->back) {
				w[n + k++] = '\xc3';
				w[n + k++] = '\xa4';
			} else {
				w[n + k++] = *p == 'A' ? 'a' : *p;
			}
		}
		w[n + k] = '\0';
		forms_try_as(g, w, FORMS_CORE);
	}
}

static void forms_compute(struct text_analyzer *ta, const char *w, struct text_forms *out)
{
	char lemmas[2][FORMS_CAND_MAX];
	int nl = forms_lemmas(ta, w, lemmas);
	struct forms_gen g = {.ta = ta, .out = out, .word = w};
	/* the word's own stem is covered by the word itself */
	if (nl == 0 || !forms_stem(ta, w, g.stems[0], sizeof g.stems[0]))
		return;
	g.nstems = 1;
	for (int i = 0; i < nl; i++) {
		g.lemma = lemmas[i];
		forms_lemma(&g);
	}
	for (int i = 0; i < nl; i++) {
		g.lemma = lemmas[i];
		forms_core(&g);
	}
}

/* 1 for punctuation and symbols, which may stand around a word ("“Helsinki”", «Helsinki») */
static int forms_edge_cp(utf8proc_int32_t cp)
{
	switch (utf8proc_category(cp)) {
	case UTF8PROC_CATEGORY_PC:
	case UTF8PROC_CATEGORY_PD:
	case UTF8PROC_CATEGORY_PS:
	case UTF8PROC_CATEGORY_PE:
	case UTF8PROC_CATEGORY_PI:
	case UTF8PROC_CATEGORY_PF:
	case UTF8PROC_CATEGORY_PO:
	case UTF8PROC_CATEGORY_SM:
	case UTF8PROC_CATEGORY_SC:
	case UTF8PROC_CATEGORY_SK:
	case UTF8PROC_CATEGORY_SO: return 1;
	default: return 0;
	}
}

/* word[0..*len) without the punctuation and symbols at its ends: the new start, *len cut. */
static const char *forms_trim_edges(const char *word, size_t *len)
{
	size_t s = 0, e = *len;
	while (s < e) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k =
		    utf8proc_iterate((const utf8proc_uint8_t *)word + s, (utf8proc_ssize_t)(e - s), &cp);
		if (k <= 0 || !forms_edge_cp(cp))
			break;
		s += (size_t)k;
	}
	while (e > s) {
		size_t b = e - 1; /* the start of the last character */
		while (b > s && ((unsigned char)word[b] & 0xc0) == 0x80)
			b--;
		utf8proc_int32_t cp;
		utf8proc_ssize_t k =
		    utf8proc_iterate((const utf8proc_uint8_t *)word + b, (utf8proc_ssize_t)(e - b), &cp);
		if (k <= 0 || (size_t)k != e - b || !forms_edge_cp(cp))
			break;
		e = b;
	}
	*len = e - s;
	return word + s;
}

int text_word_forms(struct text_analyzer *ta, const char *word, size_t len, struct text_forms *out)
{
	char w[FORMS_WORD_MAX];
	memset(out, 0, sizeof *out);
	word = forms_trim_edges(word, &len);
	if (len == 0 || len >= sizeof w)
		return TEXT_OK;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)word[i];
		if (c < 0x80 && !((c | 0x20) >= 'a' && (c | 0x20) <= 'z'))
			return TEXT_OK; /* digits, hyphens, punctuation: not one Finnish word */
	}
	int wl = forms_fold(word, len, w, sizeof w);
	if (wl < 0)
		return TEXT_EUTF8;
	for (int i = 0; i < wl;) { /* letters only, also beyond ASCII */
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)w + i, wl - i, &cp);
		utf8proc_category_t c = utf8proc_category(cp);
		if (k <= 0 || (c != UTF8PROC_CATEGORY_LL && c != UTF8PROC_CATEGORY_LU && c != UTF8PROC_CATEGORY_LO))
			return TEXT_OK;
		i += (int)k;
	}
	if (!ta->stem_fi && !(ta->stem_fi = sb_stemmer_new("finnish", NULL)))
		return TEXT_ENOMEM;
	if (!ta->forms_cache && !(ta->forms_cache = calloc(FORMS_CACHE_N, sizeof *ta->forms_cache)))
		return TEXT_ENOMEM;
	uint64_t h = 1469598103934665603ull;
	for (int i = 0; i < wl; i++)
		h = (h ^ (unsigned char)w[i]) * 1099511628211ull;
	struct forms_cache_ent *e = &ta->forms_cache[h & (FORMS_CACHE_N - 1)];
	if (e->wl != wl || e->hash != h || memcmp(e->w, w, (size_t)wl) != 0) {
		memset(e, 0, sizeof *e);
		forms_compute(ta, w, &e->f);
		e->hash = h;
		e->wl = (uint8_t)wl;
		memcpy(e->w, w, (size_t)wl);
	}
	/* the copy's pointers point into its own buffer */
	out->n = e->f.n;
	out->used = e->f.used;
	memcpy(out->buf, e->f.buf, e->f.used);
	for (size_t i = 0; i < e->f.n; i++)
		out->form[i] = out->buf + (e->f.form[i] - e->f.buf);
	return TEXT_OK;
}

void text_forms_cache_free(struct text_analyzer *ta)
{
	free(ta->forms_cache);
	ta->forms_cache = NULL;
	if (ta->stem_fi)
		sb_stemmer_delete(ta->stem_fi);
	ta->stem_fi = NULL;
}
