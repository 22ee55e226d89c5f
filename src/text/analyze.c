/*
 * Lexicon-level analysis of one text: language id, sentiment, abuse per category with spans,
 * phrase patterns (threats, aimed insults, tone-check wording) and topic lemmas.
 *
 * Sentiment follows the VADER recipe adapted to lemmas: per sentence, each valence word is
 * scaled by intensifiers/downtoners and flipped (x -0.6) by a negator up to three words
 * before it (a negated negative: English words and adjectives x -0.3, other Finnish words
 * keep half; comparatives and rhetorical "eikö" do not flip); inside a sentence with a
 * contrast word ("mutta", "but") words before it weigh 0.5 and after it 1.5; '!' amplifies
 * the sentence; a bare thanks or apology is a formula (0); the sum s maps to
 * s / sqrt(s^2 + 15).
 *
 * Abuse is evidence per category, turned into 0..1 by 1 - exp(-e). What makes swearing an
 * insult is who it is aimed at: a second-person marker in the sentence (pronoun, second-person
 * verb or possessive suffix from voikko, "you"/"your"/"u") or a bare vocative ("Idiootti!").
 * Swearing with no addressee ("voi vittu kun taas myöhässä") is obscenity only; violent verbs
 * become threats only with an addressee or a first-person speaker ("tapan", "I'll").
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "text/text_int.h"

#define SENT_ALPHA 15.0
#define SENT_NEUTRAL_BAND 0.05
#define NEG_LEAN (-0.6)
#define SENT_FI_POS_BAND 0.22
#define SENT_FI_NEG_BAND 0.15
/* shouting: a run of this many ALL-CAPS words in a negative Finnish text adds SHOUT_EV toxicity
 * evidence (3 words lowered half B; chosen on half A, docs/text-analysis.md) */
#define SHOUT_RUN 4
#define SHOUT_EV 0.8
#define SPAN_WEAK_EV 0.1 /* a flagged text with no span: words with this much evidence get one */
/* "haista v***u": as the unmasked formula in data/lexicon/phrases.tsv ("haista home" 1.5) */
#define MASKED_HAISTA_EV 1.5
/* "mikä pelle sinä olet": as the reader's head in a negative sentence (0.9) */
#define NAME_CALLING_EV 0.9
/* insult evidence of "surkea ihminen" said of a third person (doubled when aimed, see
 * fi_contempt_person()) */
#define CONTEMPT_PERSON_EV 0.8
/* "onko sulla aivot?", "älykäs kuin kivi": as a listed idiom ("aivot narikassa" 1.2), present
 * alone (fi_mind_mockery()) */
#define MIND_MOCKERY_EV 1.2
/* "hajotan paikat", "tulen sinne pesäpallomailan kanssa": a threat to the reader's premises or an
 * armed arrival (menace_at()), as a listed threat phrase ("tulla perääsi" 2) less a margin */
#define MENACE_EV 1.5
/* "immigrants are lazy", "get me a man, not a woman": a group slandered or refused service
 * (en_group_attack()); 1 - exp(-1.2) = 0.70, a clear identity attack */
#define GROUP_ATTACK_EV 1.2
/* evidence of a death wish found by construction (death_wish()), as a severe phrase's 2 */
#define DEATH_WISH_EV 2.0
/* the sentiment sum, without the group nouns' own valence, above which a sentence about a group
 * is kind ("ovat tervetulleita") */
#define GROUP_KIND_SUM 1.5

static const struct text_word *tok_word(struct text_analyzer *ta, struct text_tok *t, int lang)
{
	return text_word_get(ta, lang, ta->scratch + t->norm_off, t->norm_len);
}

/* 1 if the word carries abuse evidence of an insult or a swear word. */
static int insult_or_swear(const struct text_word *w)
{
	return w->info.abuse[TA_INSULT] > 0 || w->info.abuse[TA_OBSCENE] > 0;
}

/* Append n bytes (then NUL) to the analyzer scratch; the offset, or -1 when out of memory. */
static long scratch_put(struct text_analyzer *ta, const char *a, size_t n)
{
	if (ta->scratch_len + n + 1 > ta->scratch_cap) {
		size_t cap = ta->scratch_cap * 2 + n + 1;
		char *p = realloc(ta->scratch, cap);
		if (!p)
			return -1;
		ta->scratch = p;
		ta->scratch_cap = cap;
	}
	long off = (long)ta->scratch_len;
	memcpy(ta->scratch + ta->scratch_len, a, n);
	ta->scratch_len += n;
	ta->scratch[ta->scratch_len++] = 0;
	return off;
}

/*
 * Evasions the tokeniser cannot keep in one word because the symbol also ends a sentence or
 * starts a mention: '!' for 'i' between letters with no space ("id!ootti") and '@' for 'a' at
 * the start ("@pina"). The joined reading replaces the pieces only when it is an insult or a
 * swear word in a needed language and, for '!', neither piece is one ("sanotaan!et" is a
 * missing space and stays two words). Returns TEXT_OK or TEXT_ENOMEM.
 */
static int join_symbol_evasions(struct text_analyzer *ta, const char *s, int need_fi, int need_en)
{
	size_t w = 0;
	for (size_t i = 0; i < ta->ntoks; i++) {
		struct text_tok *t = &ta->toks[i];
		char buf[128];
		size_t n = 0, last = i;
		if (t->type == TT_WORD && i + 2 < ta->ntoks && t[1].type == TT_END && t[1].end == t[1].start + 1 &&
		    s[t[1].start] == '!' && t[0].end == t[1].start && t[1].end == t[2].start && t[2].type == TT_WORD &&
		    (size_t)t[0].norm_len + t[2].norm_len + 1 < sizeof buf) {
			memcpy(buf, ta->scratch + t[0].norm_off, t[0].norm_len);
			n = t[0].norm_len;
			buf[n++] = 'i';
			memcpy(buf + n, ta->scratch + t[2].norm_off, t[2].norm_len);
			n += t[2].norm_len;
			last = i + 2;
		} else if (t->type == TT_MENTION && t->end - t->start >= 4 && t->end - t->start < sizeof buf) {
			buf[n++] = 'a';
			for (size_t k = t->start + 1; k < t->end; k++) {
				char c = s[k];
				buf[n++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
			}
			last = i;
		}
		int hit = 0;
		for (int ll = TEXT_LL_FI; n && ll <= TEXT_LL_EN && !hit; ll++) {
			if (!(ll == TEXT_LL_FI ? need_fi : need_en))
				continue;
			const struct text_word *jw = text_word_get(ta, ll, buf, n);
			if (!jw)
				return TEXT_ENOMEM;
			if (!insult_or_swear(jw))
				continue;
			hit = 1;
			for (size_t k = i; k <= last && hit && last > i; k += 2) {
				const struct text_word *pw = tok_word(ta, &ta->toks[k], ll);
				if (!pw)
					return TEXT_ENOMEM;
				if (insult_or_swear(pw))
					hit = 0;
			}
		}
		if (hit) {
			long off = scratch_put(ta, buf, n);
			if (off < 0)
				return TEXT_ENOMEM;
			struct text_tok j = *t;
			j.type = TT_WORD;
			j.norm_off = (uint32_t)off;
			j.norm_len = (uint16_t)n;
			j.end = ta->toks[last].end;
			j.flags = 0;
			j.excl = j.quest = 0;
			ta->toks[w++] = j;
			i = last;
			continue;
		}
		ta->toks[w++] = *t;
	}
	ta->ntoks = w;
	return TEXT_OK;
}

static int has_fi_letters(const char *s, size_t n)
{
	for (size_t i = 0; i + 1 < n; i++)
		if ((unsigned char)s[i] == 0xC3 &&
		    ((unsigned char)s[i + 1] == 0xA4 || (unsigned char)s[i + 1] == 0xB6))
			return 1;
	return 0;
}

/* Language identification from function words, voikko recognition and ä/ö. */
static void detect_lang(struct text_analyzer *ta, enum text_lang *lang, double *conf)
{
	double fi = 0, en = 0;
	size_t nw = 0;
	for (size_t i = 0; i < ta->ntoks; i++) {
		struct text_tok *t = &ta->toks[i];
		if (t->type != TT_WORD || !t->wfi || !t->wen)
			continue;
		nw++;
		uint32_t ff = t->wfi->info.flags, ef = t->wen->info.flags;
		fi += (ff & TI_FUNC) ? 1.5 : (ff & TI_KNOWN) ? 1.0 : 0;
		en += (ef & TI_FUNC) ? 1.5 : (ef & TI_KNOWN) ? 0.8 : 0;
		if (has_fi_letters(ta->scratch + t->norm_off, t->norm_len))
			fi += 1.0;
	}
	if (nw == 0) {
		*lang = TEXT_LANG_OTHER;
		*conf = 0;
		return;
	}
	double best = fi >= en ? fi : en;
	double ratio = best / (double)nw;
	if (ratio < 0.35) {
		*lang = TEXT_LANG_OTHER;
		*conf = 1.0 - ratio / 0.35 * 0.5;
		return;
	}
	*lang = fi >= en ? TEXT_LANG_FI : TEXT_LANG_EN;
	double c = best / (fi + en + 0.5);
	if (ratio < 1)
		c *= 0.5 + 0.5 * ratio;
	*conf = c > 1 ? 1 : c;
}

/* ---- phrase matching ---- */

/* 1 if term id is a spelling of w's form itself, not only one of its lemmas */
static int word_has_form(const struct text_word *w, int32_t id)
{
	for (int j = 0; j < w->nids; j++)
		if (w->ids[j] == id && (w->surface_mask & (1u << j)))
			return 1;
	return 0;
}

static int word_matches(const struct text_tok *t, const struct text_phrase_word *pw)
{
	const struct text_word *w = t->w;
	if (!w)
		return 0;
	if (pw->exact)
		return word_has_form(w, pw->ids[0]);
	if (pw->prefix) {
		return (w->lemma_len >= pw->prefix_len && memcmp(w->lemma, pw->prefix, pw->prefix_len) == 0);
	}
	for (int i = 0; i < 4 && pw->ids[i] >= 0; i++)
		for (int j = 0; j < w->nids; j++)
			if (w->ids[j] == pw->ids[i])
				return 1;
	return 0;
}

static int push_match(struct text_analyzer *ta, uint32_t start, uint32_t end, int kind, float w)
{
	if (ta->nmatches == ta->capmatches) {
		size_t nc = ta->capmatches ? ta->capmatches * 2 : 16;
		struct text_match *m = realloc(ta->matches, nc * sizeof(*m));
		if (!m)
			return -1;
		ta->matches = m;
		ta->capmatches = nc;
	}
	ta->matches[ta->nmatches++] = (struct text_match){ start, end, (uint8_t)kind, w };
	return 0;
}

/*
 * English: 1 if a word of phrase p matched from token i on is a past form ("-ed") that the
 * phrase does not have: the stem made "my battery just died" match "just die", and "I'm pissed
 * off that nobody told me" (the speaker's anger) match the order "piss off" ("fucked off",
 * "screwed you over" likewise report); a past reports what happened, it wishes, orders or
 * threatens nothing. (Which words the phrase writes in the past, "you're finished", is seen
 * from its own form's id among the token's spellings.) The caller leaves obscene phrases out:
 * "you looked so sexy" harasses as "you look so sexy" does.
 */
static int en_match_past(const struct text_analyzer *ta, const struct text_phrase *p, size_t i)
{
	for (int wi = 0; wi < p->n; wi++) {
		const struct text_tok *t = &ta->toks[i + (size_t)wi];
		const struct text_phrase_word *pw = &p->w[wi];
		if (pw->prefix || pw->exact || t->norm_len < 4 || !t->w)
			continue;
		const char *e = ta->scratch + t->norm_off + t->norm_len - 2;
		if (e[0] != 'e' || e[1] != 'd')
			continue;
		if (!word_has_form(t->w, pw->ids[0]))
			return 1;
	}
	return 0;
}

/* Phrase matches into ta->matches, in the order of their first word (same_span_stronger()
 * relies on it). */
static int find_phrases(struct text_analyzer *ta, int ll)
{
	const struct text_lexicon *lx = ta->lx;
	ta->nmatches = 0;
	for (size_t i = 0; i < ta->ntoks; i++) {
		struct text_tok *t = &ta->toks[i];
		if (t->type != TT_WORD || !t->w)
			continue;
		int32_t seen[8];
		int nseen = 0;
		for (int k = 0; k < t->w->nids; k++) {
			for (int32_t h = lx->head_first[t->w->ids[k]]; h >= 0; h = lx->head_next[h]) {
				int32_t pi = lx->head_phrase[h];
				const struct text_phrase *p = &lx->phrases[pi];
				if (!(p->lang & ll))
					continue;
				int dup = 0;
				for (int q = 0; q < nseen; q++)
					dup |= seen[q] == pi;
				if (dup || (p->w[0].exact && !word_matches(t, &p->w[0])))
					continue;
				size_t j = i;
				int ok = 1;
				for (int wi = 1; wi < p->n && ok; wi++) {
					j++;
					/* a cut of a very long sentence (token.c) does not split a phrase:
					 * padding must not hide "tapan sut" */
					while (j < ta->ntoks && (ta->toks[j].flags & TF_SYNTH))
						j++;
					ok = j < ta->ntoks && ta->toks[j].type == TT_WORD && word_matches(&ta->toks[j], &p->w[wi]);
				}
				if (!ok || (ll == TEXT_LL_EN && p->kind != TEXT_LK_OBSCENE && en_match_past(ta, p, i)))
					continue;
				if (nseen < 8)
					seen[nseen++] = pi;
				if (push_match(ta, t->start, ta->toks[j].end, p->kind, p->weight) < 0)
					return -1;
			}
		}
	}
	return 0;
}

/* ---- spans ---- */

struct spanbuf {
	struct text_span *v;
	size_t n, cap;
};

static int span_add(struct spanbuf *sb, size_t start, size_t end, enum text_abuse_cat cat)
{
	if (sb->n == sb->cap) {
		size_t nc = sb->cap ? sb->cap * 2 : 8;
		struct text_span *v = realloc(sb->v, nc * sizeof(*v));
		if (!v)
			return -1;
		sb->v = v;
		sb->cap = nc;
	}
	sb->v[sb->n++] = (struct text_span){ start, end, cat };
	return 0;
}

static int cat_rank(enum text_abuse_cat c)
{
	switch (c) {
	case TEXT_ABUSE_THREAT: return 4;
	case TEXT_ABUSE_IDENTITY: return 3;
	case TEXT_ABUSE_INSULT: return 2;
	default: return 1;
	}
}

static int span_cmp(const void *a, const void *b)
{
	const struct text_span *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start ? 1 : 0;
}

/* Sort and merge overlapping spans (the stronger category wins). */
static void span_normalize(struct spanbuf *sb)
{
	if (sb->n < 2)
		return;
	qsort(sb->v, sb->n, sizeof(*sb->v), span_cmp);
	size_t w = 0;
	for (size_t i = 1; i < sb->n; i++) {
		struct text_span *cur = &sb->v[w], *nx = &sb->v[i];
		if (nx->start < cur->end) {
			if (nx->end > cur->end)
				cur->end = nx->end;
			if (cat_rank(nx->cat) > cat_rank(cur->cat))
				cur->cat = nx->cat;
		} else {
			sb->v[++w] = *nx;
		}
	}
	sb->n = w + 1;
}

/* ---- the analysis ---- */

/* The negator a connegative token j follows, with up to two words between them in its clause,
 * or SIZE_MAX (j is no connegative, or no negator is there). */
static size_t negator_of_conneg(const struct text_analyzer *ta, size_t a, size_t j)
{
	const struct text_tok *p = &ta->toks[j];
	if (!p->w || !(p->w->info.flags & TI_CONNEG) || j <= a)
		return SIZE_MAX;
	for (size_t k = j, seen = 0; k-- > a && seen < 3;) {
		const struct text_tok *q = &ta->toks[k];
		if (q->type != TT_WORD || !q->w)
			return SIZE_MAX;
		seen++;
		if (q->w->info.flags & TI_NEGATOR)
			return k;
	}
	return SIZE_MAX;
}

/* 1 if token j is a connegative after a negator that is not itself second person: "ei
 * tarkoita", "en tiedä", and with up to two words between them in its clause ("ei kai teillä
 * ole", "en minä ole", "ei väistämistä ole"): voikko also reads the form as the imperative
 * "tarkoita!", a second person that is not there. "et tiedä", "älä tapa" keep their second
 * person (the negator's). */
static int conneg_after_negator(const struct text_analyzer *ta, size_t a, size_t j)
{
	size_t k = negator_of_conneg(ta, a, j);
	return k != SIZE_MAX && !(ta->toks[k].w->info.flags & TI_SECOND);
}

/* Finnish: 1 if token j is a connegative after a first-person negator ("en pääse", "enkä
 * ymmärrä", "emme saa") or after "ei" with a third-person subject right before it ("hän ei
 * pääse"): the speaker's or that person's verb, not an imperative to the reader. (Every "ei"
 * was tried: "se ei ole vakavaa" lines cost half B.) */
static int fi_conneg_after_first(const struct text_analyzer *ta, size_t a, size_t j)
{
	static const char *const first_neg[] = { "en", "enk\xc3\xa4", "enk\xc3\xb6", "emme", "emmek\xc3\xa4",
						 "emmek\xc3\xb6", NULL };
	static const char *const third_subj[] = { "h\xc3\xa4n", "se", "t\xc3\xa4m\xc3\xa4", "tuo", "joka", "mik\xc3\xa4", NULL };
	size_t k = ta->lang == TEXT_LANG_FI ? negator_of_conneg(ta, a, j) : SIZE_MAX;
	if (k == SIZE_MAX)
		return 0;
	const struct text_tok *q = &ta->toks[k];
	return text_tok_in(ta, q, first_neg) ||
	       (text_tok_is(ta, q, "ei") && k > a && text_tok_in(ta, &ta->toks[k - 1], third_subj));
}

/* 1 if token t is one of the NULL-terminated surface forms. */

/* Finnish: 1 if token j is "sää" the weather, not the dialect "sää" (you) the lists read it as:
 * after an adjective, a coloured word or "mikä" ("vitun surkee sää", "kaunis sää", "mikä sää")
 * or before a third person verb ("sää on kylmä", "sää ei parane"). Situation swearing about the
 * weather is then no abuse aimed at the reader, as the issue asks. */
static int fi_weather(const struct text_analyzer *ta, size_t a, size_t j)
{
	const struct text_tok *t = &ta->toks[j];
	if (ta->lang != TEXT_LANG_FI || !text_tok_is(ta, t, "s\xc3\xa4\xc3\xa4")) /* "sää" */
		return 0;
	if (j > a && ta->toks[j - 1].type == TT_WORD && ta->toks[j - 1].w &&
	    ((ta->toks[j - 1].w->info.flags & (TI_ADJ | TI_HASVAL)) || text_tok_is(ta, &ta->toks[j - 1], "mik\xc3\xa4")))
		return 1; /* "surkee sää", "mikä sää" */
	const struct text_tok *n = j + 1 < ta->ntoks ? &ta->toks[j + 1] : NULL;
	return n && n->type == TT_WORD && n->w && (n->w->info.flags & (TI_FINITE | TI_NEGATOR)) &&
	       !(n->w->info.flags & TI_SECOND);
}

/*
 * Word lists. The open-vocabulary lemma lists of the rules (nouns, adjectives, verbs: person
 * nouns, mind nouns, animals, things, verbs of speech...) are word classes read from
 * data/lexicon/word_classes.tsv (enum rule_class in text_lex.h): text_word_classify() sets a
 * word's bits once, when it enters the cache, and a rule tests a bit. The lists left in this
 * file are closed grammar (pronoun and demonstrative forms, conjunctions, case endings, the
 * sign-off formulas) matched on the surface form, or pairs (violent_idiom()).
 */

static int person_shaped(const struct text_word *w) { return (w->rule_class & RC_PERSON_SHAPED) != 0; }

/* Finnish "that not" contractions, which voikko does not read as negations: "Toivon ettei
 * isoisä kuole yksin" wishes the opposite of a death. */
static const char *const neg_that_fi[] = { "ettei", "ettet", "ettette", "jottei", "jottet", "ettemme", NULL };

/* 1 if token t's lemma is the n-byte lemma l. */
static int lemma_is(const struct text_tok *t, const char *l, size_t n)
{
	return t->type == TT_WORD && t->w && t->w->lemma_len == n && !memcmp(t->w->lemma, l, n);
}
/* lemma_is() with a string literal, its length counted by the compiler (UTF-8 bytes: "jättää"
 * is 9) */
#define LEMMA_IS(t, lit) lemma_is((t), "" lit "", sizeof(lit) - 1)

/* Finnish plural people as a subject the lists do not mark: a plural of an everyday person noun
 * ("veljet", "ihmiset", "pojat") or a spoken plural demonstrative ("noi", "nää"). With a copula
 * they make a group subject like "maahanmuuttajat ovat ...": "noi on ihan pellejä". */
static int fi_plural_people(const struct text_analyzer *ta, const struct text_tok *p)
{
	if (ta->lang != TEXT_LANG_FI || !p->w)
		return 0;
	if (text_tok_is(ta, p, "noi") || text_tok_is(ta, p, "nää") || text_tok_is(ta, p, "nuo") || text_tok_is(ta, p, "nämä"))
		return 1;
	return (p->w->info.flags & TI_PLURAL) && person_shaped(p->w);
}

/*
 * Context of word i within its sentence [a, b): a first-person speaker or second-person target
 * within four words (threats), and "PERSON COPULA (x) i" before it (an insult about someone:
 * "he is a liar", "sä oot ihan surkea").
 */
static void scan_near(const struct text_analyzer *ta, size_t a, size_t b, size_t i, int *first, int *second,
		      int *about_person, int *person_second, int *modal, int *group)
{
	int seen = 0, copula = 0;
	for (size_t j = i; j-- > a && seen < 4;) {
		const struct text_tok *p = &ta->toks[j];
		if (p->type != TT_WORD || !p->w)
			continue;
		seen++;
		uint32_t f = p->w->info.flags;
		if (f & TI_FIRST)
			*first = 1;
		if ((f & TI_SECOND) && !conneg_after_negator(ta, a, j) && !fi_weather(ta, a, j))
			*second = 1;
		/* "poliisin piti ampua koira": an obligation in the past reports, it calls for nothing */
		if ((f & TI_MODAL) && !(ta->lang == TEXT_LANG_FI && (f & TI_PAST)))
			*modal = 1;
		if ((f & TI_COPULA) && seen <= 3)
			copula = 1;
		/* a capitalised word that is not sentence-initial is most likely a name: "Carrey is a pig" */
		int name = (p->flags & TF_CAPITAL) && j > a && !(f & (TI_FUNC | TI_STOP));
		/* a group as the subject: "maahanmuuttajat ovat ...", "noi on ..." */
		int grp = copula && !(f & TI_NEGATOR) &&
			  (p->w->info.idgroup > 0 || (f & (TI_PLURAL | TI_PERSON)) == (TI_PLURAL | TI_PERSON) ||
			   fi_plural_people(ta, p));
		if (grp)
			*group = 1;
		/* "your prices are a joke": an English possessive names the reader's thing, not the
		 * reader, as the subject */
		int poss = ta->lang == TEXT_LANG_EN && text_tok_is(ta, p, "your");
		/* a Finnish person noun or name as the subject of a clear insult word: "veli on
		 * tyhmä", "Pekka on idiootti" (not a weak one: "kaverini on sairas" is ill) */
		int fi_person = ta->lang == TEXT_LANG_FI && person_shaped(p->w) && !p->w->poss1 &&
				ta->toks[i].w && ta->toks[i].w->info.abuse[TA_INSULT] >= 0.5f;
		if (copula && !poss && ((f & TI_PERSON) || name || grp || fi_person || (f & (TI_SECOND | TI_POSS2)) == TI_SECOND) &&
		    !(f & TI_NEGATOR)) {
			*about_person = 1;
			if (f & TI_SECOND)
				*person_second = 1;
		}
		if (f & TI_NEGATOR) /* "he is not an idiot" */
			break;
	}
	/* a second-person verb is its own subject: "olet surkea" */
	seen = 0;
	for (size_t j = i; j-- > a && seen < 3;) {
		const struct text_tok *p = &ta->toks[j];
		if (p->type != TT_WORD || !p->w)
			continue;
		seen++;
		if ((p->w->info.flags & (TI_SECOND | TI_COPULA)) == (TI_SECOND | TI_COPULA) &&
		    !conneg_after_negator(ta, a, j)) { /* not "se ei ole vakavaa", "en ole mokannut" */
			*about_person = *person_second = 1;
			break;
		}
	}
	seen = 0;
	for (size_t j = i + 1; j < b && seen < 4; j++) {
		const struct text_tok *p = &ta->toks[j];
		if (p->type != TT_WORD || !p->w)
			continue;
		seen++;
		if ((p->w->info.flags & TI_SECOND) && !conneg_after_negator(ta, a, j) && !fi_weather(ta, a, j))
			*second = 1;
	}
}

static double squash(double e) { return 1.0 - exp(-e); }

/* 1 if the token's normalised form ends in suffix. */
static int norm_ends(const struct text_analyzer *ta, const struct text_tok *t, const char *suffix)
{
	size_t n = strlen(suffix);
	return t->norm_len > n && !memcmp(ta->scratch + t->norm_off + t->norm_len - n, suffix, n);
}

/* 1 if the Finnish passive violent verb i (present, "-aan"/"-ään") has a locative or elative
 * word before it in its clause: said of a place or a setting ("Syyriassa tapetaan lapsia",
 * "kaduilla hakataan ihmisiä") it reports; "tapetaan ne kaikki" stays a call. */
static int passive_report(const struct text_analyzer *ta, size_t a, size_t i)
{
	if (!norm_ends(ta, &ta->toks[i], "aan") && !norm_ends(ta, &ta->toks[i], "ään"))
		return 0;
	/* closed grammar: the locative and elative case endings, on the surface form */
	static const char *const ends[] = { "ssa", "ssä", "lla", "llä", "sta", "stä", NULL };
	for (size_t j = i; j-- > a;) {
		const struct text_tok *p = &ta->toks[j];
		if (p->type == TT_CLAUSE)
			break;
		if (p->type != TT_WORD || !p->w || (p->w->info.flags & (TI_STOP | TI_FUNC)))
			continue;
		for (int k = 0; ends[k]; k++)
			if (norm_ends(ta, p, ends[k]))
				return 1;
	}
	return 0;
}

/* Indefinite pronouns and hedges that make a bare negation a short answer: "Ei mitään", "Ei
 * oikeastaan", "Ei kukaan". */
static int is_answer_word(const struct text_word *w) { return (w->rule_class & RC_ANSWER) != 0; }

/* Verbs of calling someone something ("haukkua", "kutsua", "nimittää", "sanoa"): with an insult
 * in the translative they report name-calling ("haukkui minua idiootiksi"). */
static int calling_verb(const struct text_word *w) { return (w->rule_class & RC_CALLING) != 0; }

/* Verbs that report speech ("sanoa", "huutaa", "kysyä"...) or calling someone something. */
static int speech_verb(const struct text_word *w) { return (w->rule_class & (RC_CALLING | RC_SPEECH)) != 0; }

/* An insult in the translative reported as what someone was called ("haukuitsä sitä huoraks",
 * "hän kutsui minua idiootiksi"): a calling verb in the sentence that is not the speaker's own
 * ("kutsun sinua idiootiksi" is an insult) and no other word for the reader, who would be the
 * one called ("sinua kutsutaan idiootiksi" is an insult). */
/* 1 if tokens i and j are in the same clause (no clause mark or sentence end between). */
static int same_clause(const struct text_analyzer *ta, size_t i, size_t j)
{
	size_t lo = i < j ? i : j, hi = i < j ? j : i;
	for (size_t k = lo; k < hi; k++)
		if (ta->toks[k].type == TT_CLAUSE || ta->toks[k].type == TT_END)
			return 0;
	return 1;
}

static int reported_calling(const struct text_analyzer *ta, size_t a, size_t b, size_t i)
{
	/* the reader as the owner of someone named next ("Teidän kuljettaja kutsui minua
	 * ääliöksi"): the one who called, not the one called */
	static const char *const owner[] = { "teidän", "teiän", "teijän", "sinun", NULL };
	/* the translative; for a word voikko does not know (a slang slur: "mamuksi"), its ending */
	const struct text_tok *ti = &ta->toks[i];
	if (!(ti->w->info.flags & TI_TRANSL) && !(ti->w->lemma_len == ti->norm_len && ti->norm_len > 4 &&
	                                          !memcmp(ta->scratch + ti->norm_off + ti->norm_len - 3, "ksi", 3)))
		return 0;
	int calling = 0, reader = 0;
	for (size_t j = a; j < b; j++) {
		const struct text_tok *t = &ta->toks[j];
		if (j == i || t->type != TT_WORD || !t->w)
			continue;
		if (calling_verb(t->w)) {
			if (t->w->info.flags & TI_FIRST)
				return 0;
			calling = 1;
		} else if ((t->w->info.flags & TI_SECOND) && !(t->w->info.flags & TI_POSS2) && same_clause(ta, i, j) &&
		           !(text_tok_in(ta, t, owner) && j + 1 < b && ta->toks[j + 1].type == TT_WORD &&
		             ta->toks[j + 1].w && !calling_verb(ta->toks[j + 1].w) &&
		             (ta->toks[j + 1].w->info.flags & (TI_SECOND | TI_POSS2)) != TI_SECOND)) {
			/* ("teidän kaupassanne": the reader's shop, where it happened) */
			/* a "you" in another clause ("..., laitoin linkin että näette") or a possessive on a
			 * noun ("vartijanne nauroi") is not the one called */
			reader = 1;
		}
	}
	return calling && !reader;
}

/* The writer denies saying or meaning what insult i says, which follows "että" / "that" in its
 * sentence: "en sanonut että olet tyhmä", "En tarkoittanut että te olisitte idiootteja", "I'm
 * not saying you're stupid", "I didn't mean that you were an idiot", "I never said you were a
 * scammer", "I would never call your staff idiots". The clause is no claim about anyone. Only
 * the writer's own denial ("en", "I ... not / never"): "hän ei sanonut että olet tyhmä" still
 * tells the reader they are. */
static int unsaid_that(const struct text_analyzer *ta, size_t a, size_t i)
{
	/* the forms after a negator: the connegative ("en sano") and the past participle ("en
	 * sanonut"), spoken ones too */
	static const char *const mean[] = { "sano", "sanonut", "sanonu", "tarkoita", "tarkoittanut", "tarkottanu",
					    "tarkoittanu", "väitä", "väittänyt", "väittäny", "meinaa", "meinannut",
					    "meinannu", "mean", "meant", "saying", "say", "said", "implying", "imply",
					    "suggesting", "claiming", "call", "called", "calling", NULL };
	static const char *const neg_fi[] = { "en", "emme", "enkä", NULL };
	static const char *const me_en[] = { "i", "i'm", "im", "i'd", "we", "we're", NULL };
	for (size_t j = i, seen = 0; j-- > a && seen < 8;) {
		const struct text_tok *t = &ta->toks[j];
		if (t->type != TT_WORD)
			continue;
		seen++;
		int that = text_tok_is(ta, t, "että") || text_tok_is(ta, t, "that");
		/* English may leave "that" out: the verb of meaning comes straight before the clause,
		 * and is then itself among the words looked at */
		if (!that && !(ta->lang == TEXT_LANG_EN && text_tok_in(ta, t, mean)))
			continue;
		size_t v = that ? j : j + 1;
		/* the verb of meaning and the writer's negator within four words before: "en", or
		 * "not" / "never" / "-n't" with "I" or "we" one or two words before it ("I'm not
		 * saying", "I didn't mean", "I would never call"), or "not" opening the sentence
		 * ("Not saying you're thick") */
		int verb = 0, neg = 0;
		for (size_t k = v, n = 0; k-- > a && n < 4;) {
			const struct text_tok *p = &ta->toks[k];
			if (p->type != TT_WORD)
				continue;
			n++;
			verb |= text_tok_in(ta, p, mean);
			int negator = text_tok_is(ta, p, "not") || text_tok_is(ta, p, "never") || (p->flags & TF_NT);
			neg |= text_tok_in(ta, p, neg_fi) || (negator && k == a && text_tok_is(ta, p, "not")) ||
			       (negator && ((k > a && text_tok_in(ta, &ta->toks[k - 1], me_en)) ||
					    (k > a + 1 && text_tok_in(ta, &ta->toks[k - 2], me_en))));
		}
		return verb && neg;
	}
	return 0;
}

/* The writer names themself with insult i, the self after it: "Stupid me, I ordered the wrong
 * size", "Silly me", "a dumbass move on my part", "Mikä dille minä oon", "ootpa mä
 * hölmö" is not this (the copula before is first_copula()). */
static int self_named_after(const struct text_analyzer *ta, size_t a, size_t b, size_t i, int ll)
{
	static const char *const me_fi[] = { "minä", "mä", "mie", "ma", NULL };
	static const char *const be_fi[] = { "oon", "olen", "olin", "oli", "ole", NULL };
	if (ll == TEXT_LL_EN) {
		/* "stupid me" opening its sentence or clause */
		if (i + 1 < b && text_tok_is(ta, &ta->toks[i + 1], "me") &&
		    (i == a || ta->toks[i - 1].type == TT_CLAUSE || text_tok_is(ta, &ta->toks[i - 1], "oh")))
			return 1;
		for (size_t j = i + 1; j + 2 < b && j < i + 6; j++)
			if (text_tok_is(ta, &ta->toks[j], "on") && text_tok_is(ta, &ta->toks[j + 1], "my") &&
			    text_tok_is(ta, &ta->toks[j + 2], "part"))
				return 1;
		return 0;
	}
	for (size_t j = i + 1; j + 1 < b && j < i + 3; j++)
		if (text_tok_in(ta, &ta->toks[j], me_fi) && text_tok_in(ta, &ta->toks[j + 1], be_fi))
			return 1;
	return 0;
}

/* Insult i mentioned as a word, not called at anyone: "the word LOSER", "sanan LUUSERI",
 * "words like idiot". */
static int word_mentioned(const struct text_analyzer *ta, size_t a, size_t i)
{
	static const char *const word[] = { "word", "words", "term", "sana", "sanan", "sanaa", "sanat", "sanoja",
					    "sanalla", "ilmaus", "ilmauksen", NULL };
	for (size_t j = i, seen = 0; j-- > a && seen < 2;) {
		const struct text_tok *t = &ta->toks[j];
		if (t->type == TT_CLAUSE || t->type == TT_END)
			return 0;
		if (t->type != TT_WORD)
			continue; /* a quotation mark */
		seen++;
		if (text_tok_in(ta, t, word))
			return 1;
		if (!text_tok_is(ta, t, "like") && !text_tok_is(ta, t, "kuten") && !text_tok_is(ta, t, "the"))
			return 0;
	}
	return 0;
}

/* A swear word that is no swearing at the reader though the sentence addresses them: an
 * interjection opening the sentence before a comma ("Shit, I forgot my account number, can you
 * look me up?"), or an intensifier of the word of praise right after it, with no word of abuse
 * elsewhere in the sentence ("Fucking brilliant service, thank you", "your team is fucking
 * awesome", "vitun hyvää palvelua"). */
static int swear_not_at_reader(const struct text_analyzer *ta, size_t a, size_t b, size_t i)
{
	size_t first = a;
	while (first < b && ta->toks[first].type != TT_WORD)
		first++;
	if (i == first && i + 1 < b && ta->toks[i + 1].type == TT_CLAUSE)
		return 1;
	size_t n = i + 1;
	if (n >= b || ta->toks[n].type != TT_WORD || !ta->toks[n].w || ta->toks[n].w->info.valence < 2)
		return 0;
	for (size_t j = a; j < b; j++) {
		const struct text_tok *t = &ta->toks[j];
		if (j == i || t->type != TT_WORD || !t->w)
			continue;
		const float *ab = t->w->info.abuse;
		if (ab[TA_INSULT] > 0 || ab[TA_THREAT] > 0 || ab[TA_IDENTITY] > 0 || ab[TA_OBSCENE] > 0)
			return 0;
	}
	return 1;
}

/* English: the reader told they are not what insult i says, the insult right after the
 * denial: "You're not the idiot here, the system is", "I know you're not stupid", "you are
 * not a liar" (the Finnish "et ole tyhmä" is denied_to_reader()). */
static int en_denied_to_reader(const struct text_analyzer *ta, size_t a, size_t i)
{
	static const char *const you_are[] = { "you're", "youre", "you", "ur", "u", NULL };
	static const char *const article[] = { "a", "an", "the", NULL };
	size_t j = i;
	/* back over an article: "not the idiot", "not a liar" */
	if (j > a && text_tok_in(ta, &ta->toks[j - 1], article))
		j--;
	if (j <= a || !text_tok_is(ta, &ta->toks[j - 1], "not"))
		return 0;
	j--;
	if (j > a && text_tok_is(ta, &ta->toks[j - 1], "are"))
		j--;
	return j > a && text_tok_in(ta, &ta->toks[j - 1], you_are);
}

/* English: the writer (or their "we") as the subject just before token v. */
static int en_writer_before(const struct text_analyzer *ta, size_t a, size_t v)
{
	static const char *const me[] = { "i", "we", "i'll", "i'd", "i've", "we'll", "we've", NULL };
	return v > a && text_tok_in(ta, &ta->toks[v - 1], me);
}

/* English name-calling or a quotation reported by someone else (a customer telling of abuse
 * they met): "One of your employees called my son a retard", "My neighbour keeps shouting
 * 'stupid bitch'", "Someone wrote 'you idiot' on the review". Insult i is either within five
 * words after "called"/"calls"/"calling", or inside a quotation with a speech verb in its
 * sentence or the next; the verb is not the writer's own ("I called him an idiot", "I said
 * 'idiot'"). */
static int en_reported(const struct text_analyzer *ta, size_t a, size_t b, size_t i)
{
	static const char *const calling[] = { "called", "calls", "calling", NULL };
	int seen = 0;
	for (size_t j = i; j-- > a && seen < 5;) {
		const struct text_tok *p = &ta->toks[j];
		if (p->type == TT_CLAUSE)
			break;
		if (p->type != TT_WORD)
			continue;
		seen++;
		if (text_tok_in(ta, p, calling))
			return !en_writer_before(ta, a, j);
	}
	if (!(ta->toks[i].flags & TF_QUOTED))
		return 0;
	int ends = 0;
	for (size_t j = a; j < ta->ntoks && ends < 2; j++) {
		const struct text_tok *t = &ta->toks[j];
		if (t->type == TT_END)
			ends++;
		else if (j != i && t->type == TT_WORD && !(t->flags & TF_QUOTED) && t->w && speech_verb(t->w))
			return !en_writer_before(ta, a, j);
	}
	(void)b;
	return 0;
}


/* The length of the quotation mark at s[k] (s has len bytes), or 0: " “ ” „ « », and a
 * single quote that opens or closes a quotation, not an apostrophe inside a word ("sanoi 'mä
 * tapan sut'", not "I'll"). */
static size_t quote_mark_at(const char *s, size_t len, size_t k)
{
	unsigned char c = (unsigned char)s[k];
	if (c == '"')
		return 1;
	if (c == 0xE2 && k + 2 < len && s[k + 1] == (char)0x80 &&
	    (s[k + 2] == (char)0x9C || s[k + 2] == (char)0x9D || s[k + 2] == (char)0x9E))
		return 3;
	if (c == 0xC2 && k + 1 < len && (s[k + 1] == (char)0xAB || s[k + 1] == (char)0xBB))
		return 2;
	if (c == '\'' && !(k > 0 && k + 1 < len && isalnum((unsigned char)s[k - 1]) && isalnum((unsigned char)s[k + 1])))
		return 1;
	return 0;
}

/* Fill ta->rq_* for a sentence starting at token a (see text_int.h). */
static void speech_verbs_from(struct text_analyzer *ta, size_t a)
{
	int ends = 0, n = 0;
	ta->rq_a = a;
	ta->rq_v[0] = ta->rq_v[1] = SIZE_MAX;
	for (size_t j = a; j < ta->ntoks && ends < 2 && n < 2; j++) {
		const struct text_tok *t = &ta->toks[j];
		if (t->type == TT_END)
			ends++;
		else if (t->type == TT_WORD && t->w && speech_verb(t->w))
			ta->rq_v[n++] = j;
	}
	ta->rq_ok = 1;
}

/* Mark the tokens inside a quotation (TF_QUOTED: an odd number of quotation marks before
 * them), in one pass over the text: reported_quote() asks it of many words. */
static void mark_quoted(struct text_analyzer *ta, const char *s, size_t len)
{
	size_t k = 0, q = 0;
	for (size_t i = 0; i < ta->ntoks; i++) {
		struct text_tok *t = &ta->toks[i];
		while (k < t->start && k < len) {
			size_t m = quote_mark_at(s, len, k);
			q += m != 0;
			k += m ? m : 1;
		}
		if (q & 1)
			t->flags |= TF_QUOTED;
		else
			t->flags &= (uint8_t)~TF_QUOTED;
	}
}

/* English: 1 if a match opening with a modal at token k is said of the writer, "I" or "we"
 * just before it ("I should be killed for this haircut", "I deserve to die for eating the whole
 * cake"). */
static int en_first_subject(const struct text_analyzer *ta, size_t a, size_t k)
{
	static const char *const me[] = { "i", "we", "i'd", "i'll", "i'm", NULL };
	static const char *const modal[] = { "should", "must", "deserve", "deserves", "ought", "could", "would", NULL };
	/* only a match that opens with the modal: in "I hope you die" and "I'll put a bullet in your
	 * head" the writer is the one who wishes or threatens */
	return k > a && text_tok_in(ta, &ta->toks[k], modal) && text_tok_in(ta, &ta->toks[k - 1], me);
}

/* Said by someone else and reported without quotation marks: a speech verb not in the first
 * person in sentence [a, b) ("Asiakas sanoi mulle että mee junan eteen", "My customer told me
 * to go step in front of a train", "Toivon että saat kuolla kotona, sanoi saattohoitaja");
 * "sanon sinulle" and "I told you" are the writer's own. */
static int reported_speech(const struct text_analyzer *ta, size_t a, size_t b)
{
	/* the writer's own, or a relative clause about the one targeted ("Whoever wrote this
	 * feature should be shot") */
	static const char *const own[] = { "i", "we", "minä", "mä", "me", "whoever", "who", "joka", "kuka", NULL };
	for (size_t j = a; j < b; j++) {
		const struct text_tok *t = &ta->toks[j];
		if (t->type == TT_WORD && t->w && (t->w->rule_class & RC_SPEECH) &&
		    !(t->w->info.flags & (TI_FIRST | TI_SECOND)) && /* "jos vielä kerran sanot ei": the reader's */
		    !(j > a && text_tok_in(ta, &ta->toks[j - 1], own)))
			return 1;
	}
	return 0;
}

/* The index of the verb if sentence [a, b) tells what a third person said (as reported_speech()
 * reads it, with the verb in a form that reports; what follows it is what was said), and does
 * not endorse it, else SIZE_MAX: "Työntekijänne sanoi, että kaikki
 * muslimit ovat terroristeja", "Your driver said that all immigrants are criminals" (a customer
 * telling of discrimination); not "Kuten X sanoi, ...", "As X said, ...", which the writer takes
 * as their own. */
static size_t speech_told(const struct text_analyzer *ta, size_t a, size_t b)
{
	static const char *const endorse[] = {"kuten", "niinkuin", "niinku", "as", "like", NULL};
	static const char *const own[] = {"i", "we", "minä", "mä", "me", "whoever", "who", "joka", "kuka", NULL};
	static const char *const en_told[] = {"said", "told", "says", "tells", "wrote", "writes", "spoke", NULL};
	/* the writer as the one spoken to: a "you" in what was said is then the writer */
	static const char *const to_me[] = {"minulle", "mulle", "meille", "mulle", "minua", "mua", "me", "us", NULL};
	for (size_t j = a; j < b; j++)
		if (text_tok_in(ta, &ta->toks[j], endorse))
			return SIZE_MAX;
	for (size_t j = a; j < b; j++) {
		const struct text_tok *t = &ta->toks[j];
		if (t->type != TT_WORD || !t->w || !(t->w->rule_class & RC_SPEECH) ||
		    (t->w->info.flags & (TI_FIRST | TI_SECOND)) || (j > a && text_tok_in(ta, &ta->toks[j - 1], own)))
			continue;
		/* (a present form with nothing before it in its clause may be an order read as a
		 * statement: "Huora, vastaa jo!") */
		int subject = j > a && ta->toks[j - 1].type == TT_WORD;
		/* (nor a negated one, which tells what was not said: "et ikinä vastaa") */
		int denied = 0;
		for (size_t k = j, seen = 0; k-- > a && seen < 3;)
			if (ta->toks[k].type == TT_WORD && ta->toks[k].w) {
				seen++;
				denied |= (ta->toks[k].w->info.flags & TI_NEGATOR) || (ta->toks[k].flags & TF_NT);
			}
		if (denied)
			continue;
		/* a report: a finite or past form ("sanoi", "mulle sanottiin", "said", "shouted");
		 * not an order to speak ("Huora, vastaa jo!", "Tell your boss ...") */
		if (!(ta->lang == TEXT_LANG_FI
		          ? (t->w->info.flags & TI_PAST) || ((t->w->info.flags & TI_FINITE) && subject)
		          : text_tok_in(ta, t, en_told) ||
		                (t->norm_len > 3 && !memcmp(ta->scratch + t->norm_off + t->norm_len - 2, "ed", 2))))
			continue;
		/* what was said to the reader is relayed to them ("hän sanoi että olet tyhmä"),
		 * unless it was said to the writer ("kassa huusi minulle, että painu takaisin
		 * kotimaahasi", "he told me you people are ...") */
		int told_me = 0;
		for (size_t k = j + 1, seen = 0; k < b && seen < 2; k++)
			if (ta->toks[k].type == TT_WORD) {
				seen++;
				told_me |= text_tok_in(ta, &ta->toks[k], to_me);
			}
		for (size_t k = j + 1; k < b && !told_me; k++)
			if (ta->toks[k].type == TT_WORD && ta->toks[k].w &&
			    (ta->toks[k].w->info.flags & (TI_SECOND | TI_POSS2)) == TI_SECOND)
				return SIZE_MAX;
		return j;
	}
	return SIZE_MAX;
}

/* Quoted name-calling reported by a speech verb in its sentence or the next one ("\"senkin
 * hölmö\" hän sanoi"): a mention, not the writer's own insult (not when the writer is the
 * one who says it: "sanon sinulle \"idiootti\""). Token i is inside a quotation when
 * mark_quoted() marked it TF_QUOTED. */
static int reported_quote(const struct text_analyzer *ta, size_t a, size_t i)
{
	if (!(ta->toks[i].flags & TF_QUOTED))
		return 0;
	if (ta->rq_ok && a == ta->rq_a) {
		size_t v = ta->rq_v[0] != i ? ta->rq_v[0] : ta->rq_v[1];
		return v != SIZE_MAX && !(ta->toks[v].w->info.flags & TI_FIRST);
	}
	int ends = 0;
	for (size_t j = a; j < ta->ntoks && ends < 2; j++) {
		const struct text_tok *t = &ta->toks[j];
		if (t->type == TT_END)
			ends++;
		else if (j != i && t->type == TT_WORD && t->w && speech_verb(t->w))
			return !(t->w->info.flags & TI_FIRST);
	}
	return 0;
}

/* Words that call for a group to be removed; with a group noun they make an identity attack.
 * Deporting ("karkottaa", "karkotettava", "häätää") always; "ulos", "pois" only in a verbless
 * call of at most three words ("Mamut ulos!", "Somalit pois Suomesta"), since "pääsivät pois
 * leiriltä" is no call. Returns 2 for the deporting verbs, 1 for the short-call adverbs. */
static int exclusion_word(const struct text_word *w)
{
	if (w->rule_class & RC_DEPORT) /* lemma prefixes "karkot", "karkoit", "häätä" */
		return 2;
	if ((w->lemma_len == 4 && (!memcmp(w->lemma, "ulos", 4) || !memcmp(w->lemma, "pois", 4))))
		return 1;
	return 0;
}

/* A negator (not a question: "etkö") among the three words before token i in its clause
 * ("en tapa", "en aio lyödä"). */
static int negated_before(const struct text_analyzer *ta, size_t i)
{
	int seen = 0;
	for (size_t j = i; j-- > 0 && seen < 3;) {
		const struct text_tok *p = &ta->toks[j];
		if (p->type == TT_CLAUSE || p->type == TT_END)
			break;
		if (p->type != TT_WORD || !p->w)
			continue;
		seen++;
		if (((p->w->info.flags & TI_NEGATOR) && !(p->w->info.flags & TI_QUEST)) || (p->flags & TF_NT))
			return 1;
	}
	return 0;
}

/*
 * 1 if the Finnish violent verb i of sentence [i, b) is part of an everyday idiom with one of the
 * next two words: "lyön vetoa" (I bet), "lyödä laimin" (neglect), "tappaa aikaa" (kill time),
 * "ampua alas" (shoot an idea down), "polttaa tupakkaa" (smoke), "polttaa päreensä" (lose one's
 * temper), "hakata puita" (chop wood). The verb names no act against anyone there.
 */
static int violent_idiom(const struct text_analyzer *ta, size_t b, size_t i)
{
	/* stays here: a pair (the verb's lemma + the exact form of a next word) is no word class,
	 * and phrases.tsv matches every word on form or lemma, which would widen these */
	static const char *const pairs[][2] = {
		{ "lyödä", "vetoa" },	  { "lyödä", "laimin" },    { "lyödä", "rahoiksi" },   { "lyödä", "lukkoon" },
		{ "lyödä", "läpi" },	  { "lyödä", "kättä" },	    { "lyödä", "ällikällä" },  { "lyödä", "leiville" },
		{ "lyödä", "hynttyyt" },  { "tappaa", "aikaa" },    { "ampua", "alas" },       { "ampua", "yli" },
		{ "ampua", "ohi" },	  { "ampua", "jalkaan" },   { "polttaa", "tupakkaa" }, { "polttaa", "tupakan" },
		{ "polttaa", "tupakkia" }, { "polttaa", "röökiä" }, { "polttaa", "päreensä" }, { "polttaa", "päreet" },
		{ "polttaa", "sillat" },  { "polttaa", "siltansa" }, { "polttaa", "sormensa" }, { "polttaa", "kynttilää" },
		{ "polttaa", "kaloreita" }, { "hakata", "puita" },  { "hakata", "halkoja" },   { "hakata", "päätä" },
	};
	const struct text_word *w = ta->toks[i].w;
	for (size_t j = i + 1, seen = 0; j < b && seen < 2; j++) {
		const struct text_tok *p = &ta->toks[j];
		if (p->type == TT_CLAUSE)
			break;
		if (p->type != TT_WORD)
			continue;
		seen++;
		for (size_t k = 0; k < sizeof pairs / sizeof pairs[0]; k++)
			if (w->lemma_len == strlen(pairs[k][0]) && !memcmp(w->lemma, pairs[k][0], w->lemma_len) &&
			    text_tok_is(ta, p, pairs[k][1]))
				return 1;
	}
	return 0;
}

/* Fourteenth pass (b), threat: who or what a Finnish violent verb is done to, and where. */

/* The clause of token i: [*ca, *cb), bounded by clause punctuation and sentence ends. */
static void clause_of(const struct text_analyzer *ta, size_t i, size_t *ca, size_t *cb)
{
	size_t x = i, y = i + 1;
	while (x > 0 && ta->toks[x - 1].type != TT_CLAUSE && ta->toks[x - 1].type != TT_END)
		x--;
	while (y < ta->ntoks && ta->toks[y].type != TT_CLAUSE && ta->toks[y].type != TT_END)
		y++;
	*ca = x;
	*cb = y;
}

/*
 * 1 if the clause of violent verb i names the speaker as the one it is done to: "minut pitäisi
 * ampua", "mua pitäis lyödä", "tapan itseni jos..." (self-reproach or hyperbole, a threat to no
 * one else). The caller checks that no reader is the target.
 */
static int self_target(const struct text_analyzer *ta, size_t i)
{
	/* closed grammar: first-person pronoun forms, on the surface form */
	static const char *const forms[] = {
		"minut", "minua", "mut", "mua", "meidät", "meitä", "meit", "itseni", "itseäni",
		"itteni", "itteäni", "ittiäni", "itsemme", "itseämme", NULL
	};
	size_t ca, cb;
	clause_of(ta, i, &ca, &cb);
	for (size_t j = ca; j < cb; j++)
		for (int k = 0; forms[k]; k++)
			if (text_tok_is(ta, &ta->toks[j], forms[k]))
				return 1;
	return 0;
}

/*
 * 1 if the clause of violent verb i is about animals or pests: "hiiret pitää tappaa", "ammutaan
 * susi", "vanha koira viedään saunan taakse" (pest control, hunting, putting down a pet: not
 * violence against people). A word the lists also use as name-calling ("sika", "rotta", "lehmä"
 * carry insult evidence) does not count, so "ne rotat pitäisi tappaa" said of people is judged as
 * before.
 */
static int animal_target(const struct text_analyzer *ta, size_t i)
{
	size_t ca, cb;
	clause_of(ta, i, &ca, &cb);
	for (size_t j = ca; j < cb; j++) {
		const struct text_tok *p = &ta->toks[j];
		if (j == i || p->type != TT_WORD || !p->w || p->w->info.abuse[TA_INSULT] > 0)
			continue;
		if (p->w->rule_class & RC_ANIMAL)
			return 1;
	}
	return 0;
}

/* The first word of class cls (enum rule_class) among the three words after verb i or the two
 * before it in its clause; SIZE_MAX if there is none. This is where a verb's object or target
 * stands ("tappaa prosessi", "koko firman räjäytän"). */
static size_t class_near(const struct text_analyzer *ta, size_t i, uint64_t cls)
{
	size_t ca, cb;
	clause_of(ta, i, &ca, &cb);
	for (size_t j = i + 1, seen = 0; j < cb && seen < 3; j++) {
		const struct text_tok *p = &ta->toks[j];
		if (p->type != TT_WORD || !p->w)
			continue;
		seen++;
		if (p->w->rule_class & cls)
			return j;
	}
	for (size_t j = i, seen = 0; j-- > ca && seen < 2;) {
		const struct text_tok *p = &ta->toks[j];
		if (p->type != TT_WORD || !p->w)
			continue;
		seen++;
		if (p->w->rule_class & cls)
			return j;
	}
	return SIZE_MAX;
}

/*
 * 1 if violent verb i has a thing as its object in an everyday sense, among the three words after
 * it or the two before it in its clause: "tappaa prosessi" (end a program), "tapetaan se bugi",
 * "polttaa kokko / kirjeet / levy" (burn a bonfire, letters, a disc), "ampua kuvia" (shoot
 * photos), "ampua pallo maaliin". The verb names no act against anyone there.
 */
static int thing_target(const struct text_analyzer *ta, size_t i)
{
	return class_near(ta, i, RC_THING) != SIZE_MAX;
}

/*
 * 1 if the clause of token i opens with a subordinating conjunction or a relative pronoun (within
 * its first two words): "kun ihmisiä tapetaan, ...", "jos joku ammutaan", "ne, joita hakataan".
 * The hortative passive ("tapetaan ne!") is a main-clause construction; in a subordinate clause
 * a passive describes a situation, it calls for nothing.
 */
static int subordinate_clause(const struct text_analyzer *ta, size_t i)
{
	/* closed grammar: conjunctions and relative pronoun forms, on the surface form */
	static const char *const forms[] = {
		"kun", "jos", "että", "koska", "kunnes", "jotta", "vaikka", "mikäli", "joka", "jota",
		"jossa", "jonka", "joita", "jotka", "joissa", "missä", "jolloin", "ettei", "jollei",
		"kuin", NULL
	};
	size_t ca, cb;
	clause_of(ta, i, &ca, &cb);
	int seen = 0;
	for (size_t j = ca; j < i && seen < 2; j++) {
		const struct text_tok *p = &ta->toks[j];
		if (p->type != TT_WORD)
			continue;
		seen++;
		for (int k = 0; forms[k]; k++)
			if (text_tok_is(ta, p, forms[k]))
				return 1;
	}
	return 0;
}

/*
 * 1 if the sentence [a, b) sets violence in a game, a story, a film or a hunt: "pelissä pitää
 * tappaa kaikki viholliset", "elokuvassa ammutaan koko ajan", "metsästäjät ampuvat hirviä".
 */
static int fiction_setting(const struct text_analyzer *ta, size_t a, size_t b)
{
	for (size_t j = a; j < b; j++) {
		const struct text_tok *p = &ta->toks[j];
		if (p->type == TT_WORD && p->w && (p->w->rule_class & RC_FICTION))
			return 1;
	}
	return 0;
}

/* The first token that starts at or after byte `start` (ta->ntoks if none), past the zero-width
 * sentence end a very long sentence gets before it (token.c): tokens are in text order, so a
 * binary search (the phrase rules ask it once per match). */
static size_t tok_from(const struct text_analyzer *ta, uint32_t start)
{
	size_t lo = 0, hi = ta->ntoks;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ta->toks[mid].start < start)
			lo = mid + 1;
		else
			hi = mid;
	}
	while (lo < ta->ntoks && ta->toks[lo].type == TT_END && ta->toks[lo].start == ta->toks[lo].end)
		lo++;
	return lo;
}

/* The index of the token phrase match m starts at, or ta->ntoks if none does. */
static size_t match_first_tok(const struct text_analyzer *ta, const struct text_match *m)
{
	size_t i = tok_from(ta, m->start);
	return i < ta->ntoks && ta->toks[i].start == m->start ? i : ta->ntoks;
}

/* self_target() or animal_target() for the first word of phrase match m, with no reader in its
 * sentence: "laitan itseni hirteen", "vanha koira pitäisi viedä saunan taakse"; or a phrase of
 * dying with the speaker in its sentence: "haluan kuolla pois" */
static int match_self_target(const struct text_analyzer *ta, const struct text_match *m)
{
	size_t i = match_first_tok(ta, m);
	if (i == ta->ntoks)
		return 0;
	for (size_t j = i; j-- > 0 && ta->toks[j].type != TT_END;)
		if (ta->toks[j].w && (ta->toks[j].w->info.flags & TI_SECOND))
			return 0;
	for (size_t j = i; j < ta->ntoks && ta->toks[j].type != TT_END; j++)
		if (ta->toks[j].w && (ta->toks[j].w->info.flags & TI_SECOND))
			return 0;
	if (self_target(ta, i) || animal_target(ta, i))
		return 1;
	/* "haluan kuolla pois", "voisin kuolla pois": the speaker's own death */
	int dying = 0, first = 0;
	for (size_t j = i; j < ta->ntoks && ta->toks[j].end <= m->end; j++)
		dying |= ta->toks[j].w && (ta->toks[j].w->rule_class & RC_DYING);
	for (size_t j = i; j-- > 0 && ta->toks[j].type != TT_END;)
		first |= ta->toks[j].w && (ta->toks[j].w->info.flags & TI_FIRST);
	for (size_t j = i; j < ta->ntoks && ta->toks[j].type != TT_END; j++)
		first |= ta->toks[j].w && (ta->toks[j].w->info.flags & TI_FIRST);
	return dying && first;
}

/* 1 if the phrase match m starts right after a negator ("en tapa sinua"). */
static int match_negated(const struct text_analyzer *ta, const struct text_match *m)
{
	size_t i = match_first_tok(ta, m);
	return i < ta->ntoks && negated_before(ta, i);
}

/*
 * 1 if the Finnish threat phrase m is not said to anyone: its target is the subject's own
 * ("ampuis kuulan kalloonsa": a third-person possessive), its verb is in the past tense (a
 * report: "mummo kuoli pois", "veti turpaan"), or its sentence has a finite verb of
 * its own outside the phrase and nobody who commits or calls for it - no first or second
 * person, no modal, no imperative ("se kuulan kalloon saa", "...on vetää kuula kalloon": a
 * description, not a threat). A verbless phrase is a call ("Uusnatseille kuula kalloon vaan"),
 * and the phrase's own words count as its context ("kohta sattuu", "vedän turpaan"). A
 * question asks ("saako sitä vetää turpaan?"), it does not threaten.
 */
static int match_unaddressed(const struct text_analyzer *ta, const struct text_match *m)
{
	size_t i = match_first_tok(ta, m);
	if (i == ta->ntoks)
		return 0;
	size_t a = i, b = i;
	while (a > 0 && ta->toks[a - 1].type != TT_END)
		a--;
	while (b < ta->ntoks && ta->toks[b].type != TT_END)
		b++;
	for (size_t j = i; j < b && ta->toks[j].end <= m->end; j++)
		if (ta->toks[j].type == TT_WORD && ta->toks[j].w && (ta->toks[j].w->info.flags & (TI_POSS3 | TI_PAST)))
			return 1;
	int finite = 0, person = 0, ask = b < ta->ntoks && ta->toks[b].quest && !ta->toks[b].excl;
	for (size_t j = a; j < b; j++) {
		const struct text_tok *p = &ta->toks[j];
		if (p->type != TT_WORD || !p->w)
			continue;
		uint32_t f = p->w->info.flags;
		int inside = p->start >= m->start && p->end <= m->end;
		/* a past passive or modal reports ("kissa vietiin saunan taakse"), it calls for nothing */
		if (((f & TI_SECOND) && !conneg_after_negator(ta, a, j)) ||
		    ((f & (TI_FIRST | TI_MODAL | TI_IMPER)) && !(f & TI_PAST)))
			person = 1;
		/* a form that is also an imperative has a finite reading too: "saa", "tekee" */
		if (!inside && (f & (TI_FINITE | TI_PAST | TI_COND | TI_CONNEG)))
			finite = 1;
		if ((f & (TI_QUEST | TI_NEGATOR)) == TI_QUEST) /* "eikö" is rhetorical, it asserts */
			ask = 1;
	}
	return ask || (finite && !person);
}

/*
 * 1 if token i is a Finnish third-person verb whose subject is a noun before it in its clause,
 * with no first- or second-person word, modal or other verb between: "tupakka tappaa sinut",
 * "alkoholi tappaa sinut hitaasti" (a thing or a third party does it; the speaker commits to
 * nothing). "mä tuun tappaa sut" (an infinitive after the speaker's verb) and "tapan sut" are not.
 * imper: also a form that can be an imperative ("lapsi hyppää sillalta"; "hyppää" alone orders).
 */
static int third_subject_at(const struct text_analyzer *ta, size_t i, int imper)
{
	if (!ta->toks[i].w)
		return 0;
	uint32_t f = ta->toks[i].w->info.flags;
	if (!(f & TI_FINITE) || (f & (TI_FIRST | TI_SECOND)) || (!imper && (f & TI_IMPER)))
		return 0;
	for (size_t j = i; j-- > 0;) {
		const struct text_tok *p = &ta->toks[j];
		if (p->type == TT_CLAUSE || p->type == TT_END)
			break;
		if (p->type != TT_WORD || !p->w)
			continue;
		uint32_t g = p->w->info.flags;
		/* "yliannostus voi tappaa sinut": a third-person "voida" or "saattaa" passes the
		 * verb on to the subject before it */
		if ((g & TI_FINITE) && !(g & (TI_FIRST | TI_SECOND)) &&
		    ((p->w->lemma_len == 5 && !memcmp(p->w->lemma, "voida", 5)) ||
		     (p->w->lemma_len == 7 && !memcmp(p->w->lemma, "saattaa", 7))))
			continue;
		if (g & (TI_FIRST | TI_SECOND | TI_MODAL | TI_FINITE | TI_IMPER | TI_COND | TI_PAST))
			return 0;
		if (g & TI_CONTENT)
			return 1;
	}
	return 0;
}

/*
 * Finnish: 1 if the insult or severe phrase m does not give the reader an order: its first word
 * is a noun after an adjective ("helpoin tapa itsesi tunnistamiseen": "tapa" is a way), or a
 * present form that is also an imperative with a noun subject before it in its clause ("jos
 * lapsi hyppää sillalta"). "Hyppää sillalta", "mene ja tapa itsesi" stay orders.
 */
static int fi_match_no_order(const struct text_analyzer *ta, const struct text_match *m)
{
	size_t i = match_first_tok(ta, m);
	if (i == ta->ntoks || !ta->toks[i].w)
		return 0;
	if (i > 0 && ta->toks[i - 1].type == TT_WORD && ta->toks[i - 1].w &&
	    (ta->toks[i - 1].w->info.flags & TI_ADJ) && !(ta->toks[i - 1].w->info.flags & TI_SECOND))
		return 1;
	return third_subject_at(ta, i, 1);
}

/*
 * 1 if phrase match m ends in an everyday idiom with the word after it: English "you're dead
 * right", "drop dead gorgeous", "should die down", "a bullet point", "should be put down by
 * Friday"; Finnish "et ansaitse elää pelossa" (to live in fear: "elää" with a place or state
 * in the inessive). The phrase's own words name no harm there.
 */
static int match_idiom_tail(const struct text_analyzer *ta, const struct text_match *m, int ll)
{
	static const char *const dead_next[] = { "right", "wrong", "serious", "set", "tired", "sure", "certain",
						 "easy", "simple", "cheap", "quiet", "on", "last", "centre", "center",
						 "end", "gorgeous", "beautiful", "slow", "ahead", "straight", "funny",
						 "good", "accurate", NULL };
	static const char *const die_next[] = { "down", "out", "off", "away", "hard", "laughing", "old", "happy",
						"peacefully", NULL };
	static const char *const bullet_next[] = { "point", "points", "list", "lists", "train", "proof", NULL };
	static const char *const down_next[] = { "by", "before", "for", "as", "on", "at", "in", "today", "tomorrow", NULL };
	size_t k = 0;
	while (k < ta->ntoks && ta->toks[k].end != m->end)
		k++;
	if (k + 1 >= ta->ntoks || ta->toks[k + 1].type != TT_WORD || !ta->toks[k].w)
		return 0;
	const struct text_tok *last = &ta->toks[k], *next = &ta->toks[k + 1];
	if (ll == TEXT_LL_FI) {
		/* "toivottavasti kuolet nauruun / vanhana ja onnellisena" */
		static const char *const calm_fi[] = { "nauruun", "vanhana", "onnellisena", "kivuttomasti", "rauhassa",
						       "unissaan", NULL };
		if (LEMMA_IS(last, "kuolla") && text_tok_in(ta, next, calm_fi))
			return 1;
		const char *n = ta->scratch + next->norm_off;
		size_t nl = next->norm_len;
		return last->w->lemma_len == 6 && !memcmp(last->w->lemma, "elää", 6) && nl > 4 &&
		       (!memcmp(n + nl - 3, "ssa", 3) || !memcmp(n + nl - 4, "ss\xc3\xa4", 4));
	}
	if (text_tok_is(ta, last, "dead"))
		return text_tok_in(ta, next, dead_next);
	static const char *const die[] = { "die", "died", "dies", "dying", NULL };
	/* "you'll die of laughter / boredom": a feeling; "die of cancer" stays a wish of death */
	static const char *const of_feeling[] = { "laughter", "boredom", "shame", "envy", "embarrassment", "excitement",
						  "jealousy", "happiness", "cuteness", NULL };
	if (text_tok_in(ta, last, die))
		return text_tok_in(ta, next, die_next) ||
		       (text_tok_is(ta, next, "of") && k + 2 < ta->ntoks && text_tok_in(ta, &ta->toks[k + 2], of_feeling));
	if (text_tok_is(ta, last, "bullet"))
		return text_tok_in(ta, next, bullet_next);
	/* "shoot yourself in the foot", "you'll kill yourself laughing / trying / working" */
	static const char *const self_next[] = { "in", "laughing", "trying", "working", NULL };
	if (text_tok_is(ta, last, "yourself"))
		return text_tok_in(ta, next, self_next);
	if (text_tok_is(ta, last, "down"))
		return text_tok_in(ta, next, down_next);
	return 0;
}

/* English: 1 if phrase match m comes right after a negation, a word listed as a negator or one
 * ending in n't ("don't kill yourself carrying the sofa", "I won't kill you", "it never got
 * fixed", "it wasn't delivered on time"). Only the word before: "don't make me kill you"
 * threatens. */
static int en_match_negated(const struct text_analyzer *ta, const struct text_match *m)
{
	size_t i = match_first_tok(ta, m);
	if (i == 0 || i >= ta->ntoks)
		return 0;
	const struct text_tok *p = &ta->toks[i - 1];
	return p->type == TT_WORD && ((p->flags & TF_NT) || (p->w && (p->w->info.flags & TI_NEGATOR)));
}

/* third_subject_at() for the first word of phrase match m */
static int match_third_subject(const struct text_analyzer *ta, const struct text_match *m)
{
	size_t i = match_first_tok(ta, m);
	return i < ta->ntoks && third_subject_at(ta, i, 0);
}

/* 1 if another phrase match of the same kind covers exactly the same words as match i and
 * weighs more (or as much and comes first): two listed inflections of one phrase ("kuula
 * kalloon", "kuulaa kalloon") both match one lemmatised text and must count once. */
static int same_span_stronger(const struct text_analyzer *ta, size_t i)
{
	const struct text_match *m = &ta->matches[i];
	/* find_phrases() adds matches in the order of their first word: those that start where
	 * m does are m's neighbours (a text of thousands of threats costs no square) */
	size_t from = i, to = i + 1;
	while (from > 0 && ta->matches[from - 1].start == m->start)
		from--;
	while (to < ta->nmatches && ta->matches[to].start == m->start)
		to++;
	for (size_t k = from; k < to; k++) {
		const struct text_match *o = &ta->matches[k];
		if (k != i && o->kind == m->kind && o->start == m->start && o->end == m->end &&
		    (o->weight > m->weight || (o->weight == m->weight && k < i)))
			return 1;
	}
	return 0;
}

/* An English article before a predicate noun: "you are a joke", "you are the worst". */
static int is_article(const struct text_word *w)
{
	return (w->lemma_len == 1 && w->lemma[0] == 'a') || (w->lemma_len == 2 && !memcmp(w->lemma, "an", 2)) ||
	       (w->lemma_len == 3 && !memcmp(w->lemma, "the", 3));
}

/* English "SUBJECT COPULA a/an/the WORD" ending at word i of the sentence starting at a: 2 when
 * the subject is the reader ("you are a", "ur a", "you're the"), 1 when it is a third person
 * ("he is a", "she's the", a name: "Carrey is a"), else 0. The caller checks that WORD is
 * negative: a predicate noun with an article names what someone is, so "he is a disgrace"
 * calls him one while "he is disgraced" or "the plan is a disaster" (a thing as the subject)
 * do not. */
static int en_article_predicate(const struct text_analyzer *ta, size_t a, size_t i)
{
	if (i < a + 2)
		return 0;
	const struct text_tok *art = &ta->toks[i - 1], *cop = &ta->toks[i - 2];
	if (art->type != TT_WORD || !art->w || !is_article(art->w) || cop->type != TT_WORD || !cop->w ||
	    !(cop->w->info.flags & TI_COPULA))
		return 0;
	const struct text_tok *subj = i >= a + 3 ? &ta->toks[i - 3] : NULL;
	if (subj && (subj->type != TT_WORD || !subj->w))
		subj = NULL;
	if ((cop->w->info.flags & TI_SECOND) || (subj && (subj->w->info.flags & TI_SECOND)))
		return 2;
	/* "he's", "she's" are subject and copula in one word */
	if (cop->w->info.flags & TI_PERSON)
		return 1;
	if (!subj)
		return 0;
	uint32_t f = subj->w->info.flags;
	int name = (subj->flags & TF_CAPITAL) && subj != &ta->toks[a] && !(f & (TI_FUNC | TI_STOP));
	return (f & TI_PERSON) || name ? 1 : 0;
}

/* Finnish "pitää" with an elative object is "to like" ("pidän sinusta", "en pidä siitä",
 * "pidätkö tästä?"), while the same verb with an infinitive or a partitive is "must", "keep" or
 * "hold" ("pitää lähteä", "pitää huolta"), so the lists give the lemma no valence. Token i of
 * the sentence ending before b is that verb, not an imperative ("pidä kiinni tästä" is a
 * command; a connegative after a negator is not one), followed by an elative word, with at most two boosters between ("pidän todella
 * paljon sinusta"). Returns the valence of "tykätä" (2) then, else 0. */
static double like_verb_valence(const struct text_analyzer *ta, size_t i, size_t b)
{
	const struct text_word *w = ta->toks[i].w;
	if (!w || w->lemma_len != 7 || memcmp(w->lemma, "pit\xc3\xa4\xc3\xa4", 7) != 0)
		return 0;
	/* "en pidä siitä": the connegative reads as an imperative too */
	const struct text_tok *p = i > 0 ? &ta->toks[i - 1] : NULL;
	if ((w->info.flags & TI_IMPER) &&
	    !(p && p->type == TT_WORD && p->w && (p->w->info.flags & TI_NEGATOR) && !(p->w->info.flags & TI_IMPER)))
		return 0;
	int between = 0;
	for (size_t j = i + 1; j < b; j++) {
		const struct text_tok *q = &ta->toks[j];
		if (q->type != TT_WORD || !q->w)
			return 0;
		if (q->w->elative)
			return 2;
		if (q->w->info.mult == 0 || ++between > 2)
			return 0;
	}
	return 0;
}

/* Nouns for the head and the mind ("pää", "aivot", "järki"), said of the reader as an insult. */
/*
 * English: 1 if token t can be a thing an insult adjective judges: a content word that names
 * no person (not a person word or class, not "you"/"I", not a name, not "-ist"/"-ian", no
 * abuse of its own): "app", "service", "price", "update".
 */
static int en_thing_word(const struct text_analyzer *ta, const struct text_tok *t)
{
	if (t->type != TT_WORD || !t->w || (t->flags & TF_CAPITAL) || !(t->w->info.flags & TI_CONTENT))
		return 0;
	const struct text_word *w = t->w;
	if ((w->info.flags & (TI_PERSON | TI_SECOND | TI_FIRST | TI_FUNC | TI_STOP | TI_COPULA)) ||
	    (w->rule_class & RC_PERSON_NOUN))
		return 0;
	for (int c = 0; c < TA_N; c++)
		if (w->info.abuse[c] > 0)
			return 0;
	static const char *const person_ends[] = { "ist", "ists", "ian", "ians", NULL };
	for (int k = 0; person_ends[k]; k++) {
		size_t n = strlen(person_ends[k]);
		if (t->norm_len > n + 2 && !memcmp(ta->scratch + t->norm_off + t->norm_len - n, person_ends[k], n))
			return 0;
	}
	return 1;
}

/* English: 1 if token t names a person: an @mention, a person word or class, or a capitalised
 * name (not_first: t is not the first word of its sentence, where any word is capitalised). */
static int en_person_tok(const struct text_tok *t, int not_first)
{
	if (t->type == TT_MENTION)
		return 1;
	if (t->type != TT_WORD || !t->w)
		return 0;
	return (t->w->info.flags & TI_PERSON) || (t->w->rule_class & RC_PERSON_NOUN) ||
	       ((t->flags & TF_CAPITAL) && not_first);
}

/*
 * English: 1 if the insult adjective at i judges a thing, a complaint rather than name-calling:
 * it modifies a thing ("this stupid app", "pathetic service", "what a dumb policy"), or is said
 * of one ("the food was disgusting", "your support is incompetent", "it is pathetic"), or its
 * sentence names no person at all but a thing ("the price went up without notice, pretty
 * shameless"). A person, a name or an @mention keeps it an insult ("stupid man", "you are
 * pathetic", "@USER pathetic"). For an insult phrase starting at i (phrase: 1), only the last two
 * ("this app is a piece of shit"; "fk off" modifies nothing).
 */
static int en_said_of_thing(const struct text_analyzer *ta, size_t a, size_t b, size_t i, int phrase)
{
	if (!phrase && i + 1 < b && en_thing_word(ta, &ta->toks[i + 1]))
		return 1;
	/* "X is (so / a / really) pathetic": the subject right before the copula */
	for (size_t j = i, seen = 0; j-- > a && seen < 3; seen++) {
		const struct text_tok *p = &ta->toks[j];
		if (p->type != TT_WORD || !p->w)
			break;
		if (p->w->info.flags & TI_COPULA) {
			if (j == a)
				break;
			/* the word before the copula names a thing, and no word before it a person
			 * ("every senator in that room is a snowflake") */
			for (size_t k = a; k < j; k++)
				if (en_person_tok(&ta->toks[k], k > a))
					return 0;
			const struct text_tok *subj = &ta->toks[j - 1];
			return en_thing_word(ta, subj) || text_tok_is(ta, subj, "it") || text_tok_is(ta, subj, "this") ||
			       text_tok_is(ta, subj, "that");
		}
		if (!(p->w->info.flags & (TI_FUNC | TI_STOP)) && p->w->info.mult == 0)
			break;
	}
	int thing = 0;
	for (size_t j = a; j < b; j++) {
		const struct text_tok *p = &ta->toks[j];
		if (en_person_tok(p, j > a) || (p->type == TT_WORD && p->w && (p->w->info.flags & (TI_SECOND | TI_FIRST))))
			return 0;
		thing |= j < i && en_thing_word(ta, p);
	}
	return thing;
}

/*
 * Finnish: 1 if the insult adjective at i modifies the next word and that word names a thing:
 * "idioottimainen järjestelmä", "säälittävää toimintaa", "tyhmä sovellus" judge a system or
 * conduct (a complaint, rude), not a person ("tyhmä ihminen", "säälittävä mies", "tyhmä
 * Matti", "tyhmä ääliö" stay insults). b: the end of the sentence.
 */
static int fi_thing_modifier(const struct text_analyzer *ta, size_t b, size_t i)
{
	const struct text_tok *t = &ta->toks[i], *n;
	if (t->type != TT_WORD || !t->w || !(t->w->info.flags & TI_ADJ) || i + 1 >= b)
		return 0; /* any weight: an adjective ("ääliömäinen päätös") is no noun calling someone */
	n = &ta->toks[i + 1];
	if (n->type != TT_WORD || !n->w || (n->flags & TF_CAPITAL) || !(n->w->info.flags & TI_CONTENT) ||
	    (n->w->info.flags & (TI_PERSON | TI_SECOND | TI_FIRST | TI_FUNC | TI_STOP | TI_ADJ)) ||
	    person_shaped(n->w))
		return 0;
	for (int c = 0; c < TA_N; c++)
		if (n->w->info.abuse[c] > 0 || n->w->info.idgroup > 0)
			return 0;
	return 1;
}

/* The word of token i if it can be (part of) a topic (its form is w->topic, lemma.c): not in a
 * greeting or a sign-off, not a capitalised name (a first name or surname reading, or an English
 * word capitalised inside a sentence: "Regards, Sarah Johnson", "the driver Mike"), and in a text
 * read as negative, not in one of its positive sentences ("Great app, but the invoice was
 * wrong": the complaint is the invoice). */
static const struct text_word *topic_word(const struct text_analyzer *ta, size_t i, int ll, int neg_text)
{
	const struct text_tok *t = &ta->toks[i];
	if (t->type != TT_WORD || !t->w || !t->w->topic || (t->flags & TF_FORMULA) ||
	    (neg_text && (t->flags & TF_POS_SENT)))
		return NULL;
	if ((t->flags & TF_CAPITAL) &&
	    (t->w->name_reading || (ll == TEXT_LL_EN && i > 0 && ta->toks[i - 1].type == TT_WORD)))
		return NULL; /* (after ":" or "(" a capital starts a list item, not a name) */
	return t->w;
}

/* 1 if Finnish token i is an adjective of a negative valence (no abuse, no formula, not in a
 * positive sentence of a negative text) right before a topic word: it opens a phrase. */
static int topic_modifier(const struct text_analyzer *ta, size_t i, int neg_text)
{
	const struct text_tok *t = &ta->toks[i];
	if (t->type != TT_WORD || !t->w || !(t->w->info.flags & TI_ADJ) || !(t->w->info.flags & TI_HASVAL) ||
	    t->w->info.valence >= 0 || (t->flags & TF_FORMULA) || (neg_text && (t->flags & TF_POS_SENT)) ||
	    i + 1 >= ta->ntoks)
		return 0;
	/* "-sti" is an adverb voikko reads as its adjective: "harkitsen vakavasti vaihtamista" */
	if (t->norm_len > 4 && !memcmp(ta->scratch + t->norm_off + t->norm_len - 3, "sti", 3))
		return 0;
	for (int c = 0; c < TA_N; c++)
		if (t->w->info.abuse[c] > 0)
			return 0;
	return topic_word(ta, i + 1, TEXT_LL_FI, neg_text) != NULL;
}

/* 1 if token i can be (part of) a person's name in a greeting or a signature: capitalised
 * ("Sari", not "SARI" in a shouted text: "THANKS, YOUR SERVICE IS TERRIBLE"), and no word of
 * feeling, abuse or grammar ("Regards, Furious Customer", "Hei Tilaukseni Ei...").
 * A lone initial ("J") or an all-caps one ("BR") counts. */
static int name_like(const struct text_analyzer *ta, size_t i)
{
	const struct text_tok *t = &ta->toks[i];
	if (t->type != TT_WORD || !t->w)
		return 0;
	if (!(t->flags & TF_CAPITAL) && t->norm_len != 1 && !(t->norm_len == 2 && (t->flags & TF_ALLCAPS)))
		return 0;
	const struct text_info *in = &t->w->info;
	for (int c = 0; c < TA_N; c++)
		if (in->abuse[c] > 0)
			return 0;
	/* voikko knows it as a first name or a surname: "Anna" (also give!), "Onni" (luck) */
	if (t->w->name_reading && (t->flags & TF_CAPITAL))
		return 1;
	return !(in->flags & (TI_FUNC | TI_STOP | TI_NEGATOR | TI_SECOND | TI_FIRST)) &&
	       !((in->flags & TI_HASVAL) && in->valence != 0) && in->idgroup <= 0;
}

/* 1 if token i is word tok_word (surface form) */
static int tok_word_is(const struct text_analyzer *ta, size_t i, const char *word)
{
	return i < ta->ntoks && ta->toks[i].type == TT_WORD && text_tok_is(ta, &ta->toks[i], word);
}

/*
 * Mark a letter's greeting ("Hei Sari,", "Hyvä asiakaspalvelu,", "Good morning,", "Dear team,")
 * and its closing ("Ystävällisin terveisin Matti Virtanen", "Kind regards, Sarah", "Kiitos
 * etukäteen!", "Thanks in advance", "Best, Laura") TF_FORMULA: they are politeness formulas, not
 * the writer's feelings (a polite complaint read as positive counted as no complaint) nor what
 * the text is about (names and "regards" were complaint topics). A closing is one only with
 * nothing but punctuation and at most four capitalised words (a name) after it.
 */
static void mark_formulas(struct text_analyzer *ta)
{
	/* closed sets, matched as written */
	static const char *const greet[] = {"hei",    "hey",  "hi",    "hello",    "moi",       "moikka",
	                                    "heippa", "moro", "terve", "huomenta", "greetings", NULL};
	static const char *const titled[] = {"dear", "hyv\xc3\xa4", "arvoisa", NULL};
	static const char *const addressee[] = {"asiakaspalvelu",
	                                        "asiakaspalvelija",
	                                        "vastaanottaja",
	                                        "henkil\xc3\xb6kunta",
	                                        "tiimi",
	                                        "team",
	                                        "customer",
	                                        "sir",
	                                        "madam",
	                                        "herra",
	                                        "rouva",
	                                        "support",
	                                        "all",
	                                        NULL};
	static const char *const day_greet[] = {"morning",
	                                        "afternoon",
	                                        "evening",
	                                        "day",
	                                        "p\xc3\xa4iv\xc3\xa4\xc3\xa4",
	                                        "iltaa",
	                                        "huomenta",
	                                        "iltap\xc3\xa4iv\xc3\xa4\xc3\xa4",
	                                        NULL};
	size_t f = 0;
	while (f < ta->ntoks && ta->toks[f].type != TT_WORD)
		f++;
	size_t end = 0;
	if (f + 1 < ta->ntoks) {
		const struct text_tok *n = &ta->toks[f + 1];
		size_t j = 0; /* past the greeting's own words */
		if (text_tok_in(ta, &ta->toks[f], greet))
			j = f + 1;
		else if (n->type == TT_WORD && text_tok_in(ta, &ta->toks[f], titled) &&
		         ((n->flags & TF_CAPITAL) || text_tok_in(ta, n, addressee)))
			j = f + 2;
		else if (n->type == TT_WORD &&
		         (tok_word_is(ta, f, "good") || tok_word_is(ta, f, "hyv\xc3\xa4\xc3\xa4")) &&
		         text_tok_in(ta, n, day_greet))
			j = f + 2;
		/* then the names or the addressee ("Hei Sari Virtanen,", "Hello support team,") up to
		 * the comma or stop after them; without one, the greeting word alone ("Hei
		 * Tilaukseni ei ole tullut" names no one) */
		size_t nm = j;
		while (nm && nm < ta->ntoks && nm < f + 5 && ta->toks[nm].type == TT_WORD &&
		       (name_like(ta, nm) || text_tok_in(ta, &ta->toks[nm], addressee)))
			nm++;
		if (nm && nm < ta->ntoks && (ta->toks[nm].type == TT_CLAUSE || ta->toks[nm].type == TT_END))
			j = nm + 1;
		/* a greeting opens a letter: at least two words of one after it ("Hei kultaseni." and
		 * "Terve Case." are the whole message) */
		size_t body = 0;
		for (size_t k = j; j && k < ta->ntoks && body < 2; k++)
			body += ta->toks[k].type == TT_WORD;
		if (body >= 2)
			end = j;
	}
	for (size_t i = f; i < end && i < ta->ntoks; i++)
		ta->toks[i].flags |= TF_FORMULA;

	/* the closing: the earliest formula among the last words with only a name after it */
	static const char *const close1[] = {"terveisin",
	                                     "terv",
	                                     "terkuin",
	                                     "kiitt\xc3\xa4"
	                                     "en",
	                                     "regards",
	                                     "sincerely",
	                                     "cheers",
	                                     "yst",
	                                     "br",
	                                     "t",
	                                     NULL};
	static const char *const close_adj[] = {"yst\xc3\xa4v\xc3\xa4llisin",
	                                        "parhain",
	                                        "l\xc3\xa4mpimin",
	                                        "kind",
	                                        "best",
	                                        "warm",
	                                        "warmest",
	                                        "many",
	                                        "yours",
	                                        NULL};
	static const char *const close_noun[] = {"terveisin", "regards",    "wishes", "sincerely",
	                                         "truly",     "faithfully", NULL};
	static const char *const thanks[] = {"kiitos", "thanks", "best", "cheers", "kiitoksin", NULL};
	size_t from = ta->ntoks; /* the earliest closing found, scanning back */
	size_t between = 0;      /* words between token i and `from` */
	for (size_t i = ta->ntoks; i-- > end && between <= 6;) {
		const struct text_tok *t = &ta->toks[i];
		if (t->type != TT_WORD)
			continue;
		const struct text_tok *n = i + 1 < ta->ntoks ? &ta->toks[i + 1] : NULL;
		size_t len = 0; /* tokens of the formula at i */
		if (text_tok_in(ta, t, close1))
			len = 1;
		else if (n && n->type == TT_WORD && text_tok_in(ta, t, close_adj) && text_tok_in(ta, n, close_noun))
			len = 2;
		else if (n && n->type == TT_WORD && tok_word_is(ta, i + 1, "etuk\xc3\xa4teen") &&
		         text_tok_in(ta, t, thanks))
			len = 2; /* "Kiitos etukäteen" */
		else if (tok_word_is(ta, i, "etuk\xc3\xa4teen") && tok_word_is(ta, i + 1,
		                                                               "kiitt\xc3\xa4"
		                                                               "en"))
			len = 2;
		else if (tok_word_is(ta, i, "thanks") && tok_word_is(ta, i + 1, "in") &&
		         tok_word_is(ta, i + 2, "advance"))
			len = 3;
		else if (tok_word_is(ta, i, "thank") && tok_word_is(ta, i + 1, "you") && tok_word_is(ta, i + 2, "in") &&
		         tok_word_is(ta, i + 3, "advance"))
			len = 4;
		else if (n && n->type == TT_CLAUSE && text_tok_in(ta, t, thanks) &&
		         (i == 0 || ta->toks[i - 1].type == TT_END || ta->toks[i - 1].type == TT_CLAUSE))
			len = 1; /* "Thanks, Mike" / "Best, Laura" at the end */
		if (len) {
			/* only a name between it and the closing after it (or the end) */
			size_t names = 0;
			int only_names = 1;
			for (size_t k = i + len; k < from && only_names; k++)
				if (ta->toks[k].type == TT_WORD) {
					names++;
					only_names = name_like(ta, k) && names <= 4;
				}
			if (only_names) {
				from = i;
				between = 0;
				continue;
			}
		}
		between++;
	}
	/* a closing closes a letter: three words of one before it ("Kiitos, Brock." thanks) */
	size_t before = 0;
	for (size_t k = end; k < from && before < 3; k++)
		before += ta->toks[k].type == TT_WORD && !(ta->toks[k].flags & TF_FORMULA);
	if (before < 3)
		return;
	for (size_t i = from; i < ta->ntoks; i++)
		ta->toks[i].flags |= TF_FORMULA;
}

/* For the sarcasm rules: 1 if sentence [a, b) says a problem was solved ("fixed", "korjattiin"):
 * then praise with a problem word is thanks, not sarcasm ("Thanks, the problem is solved"). Asked
 * only of a sentence that looks sarcastic otherwise. */
static int sarcasm_resolved(const struct text_analyzer *ta, size_t a, size_t b)
{
	/* closed set of resolution words, surface forms */
	static const char *const done[] = { "solved", "fixed", "resolved", "sorted", "gone", "working", "korjattu",
					    "korjattiin", "korjaantui", "ratkesi", "ratkaistu", "ratkaistiin",
					    "hoidettu", "hoidettiin", "kunnossa", "toimii", NULL };
	for (size_t j = a; j < b; j++) /* "still not fixed" says the opposite */
		if (text_tok_in(ta, &ta->toks[j], done) && !negated_before(ta, j))
			return 1;
	return 0;
}

/* For the sarcasm rules: 1 if token j of sentence [a, ...) is negated right before it (itself a
 * "n't" form, or a negator one or two words before: "ei toimi", "ei taaskaan tullut", "doesn't
 * even start"); "no need to respond" negates the need, not the responding. */
static int close_negation(const struct text_analyzer *ta, size_t a, size_t j)
{
	if (ta->toks[j].flags & TF_NT)
		return 1;
	for (size_t k = j, seen = 0; k-- > a && seen < 2; seen++) {
		const struct text_tok *p = &ta->toks[k];
		if (p->type != TT_WORD || !p->w)
			return 0;
		if ((p->w->info.flags & TI_NEGATOR) || (p->flags & TF_NT))
			return 1;
	}
	return 0;
}

/*
 * Finnish: 1 if sentence [a, b) praises what went wrong, sarcastically: a failure together with
 * "again" ("taas", "jälleen", "taaskaan": "Ihan mahtavaa, taas ei toimi mikään") or with an
 * exclamative "-pa/-pä" copula ("onpa", "olipa": "Onpa kiva odottaa viikko pakettia"). A
 * failure is a negative word that is not negated ("ette ole pettäneet", "ettei sattunut" are
 * good news) or a negated verb of things working ("ei toimi", "ei onnistu", "ei tullut", "ei
 * vastaa"), or a negative complaint formula of the phrase list in it. The caller applies it
 * only to a sentence whose sum is positive.
 */
static int fi_sarcasm(const struct text_analyzer *ta, size_t a, size_t b)
{
	int again = 0, excl_cop = 0, bad = 0;
	for (size_t j = a; j < b; j++) {
		const struct text_tok *t = &ta->toks[j];
		if (t->type != TT_WORD || !t->w)
			continue;
		again |= text_tok_is(ta, t, "taas") || text_tok_is(ta, t, "taaskaan") || text_tok_is(ta, t, "taaskin") ||
			 text_tok_is(ta, t, "jälleen");
		excl_cop |= text_tok_is(ta, t, "onpa") || text_tok_is(ta, t, "olipa") || text_tok_is(ta, t, "onpas") ||
			    text_tok_is(ta, t, "olipas");
		/* closed grammar: verbs of things working (and "tultu", the lemma voikko gives "tullut"),
		 * and the negating conjunctions */
		static const char *const works[] = { "toimia", "onnistua", "tulla", "tultu", "vastata", "kuulua",
						     "auttaa", NULL };
		int negated = negated_before(ta, j);
		for (size_t k = j, seen = 0; k-- > a && seen < 3 && !negated; seen++)
			negated = text_tok_is(ta, &ta->toks[k], "ettei") || text_tok_is(ta, &ta->toks[k], "jottei") ||
				  text_tok_is(ta, &ta->toks[k], "ellei");
		/* a noun names a problem, it does not say one happened ("vika korjattiin") */
		int noun = (t->w->info.flags & TI_CONTENT) && !(t->w->info.flags & TI_ADJ);
		if ((t->w->info.flags & TI_HASVAL) && t->w->info.valence < 0 && !negated && !noun &&
		    !(t->w->rule_class & RC_FAULT))
			bad = 1;
		else if (close_negation(ta, a, j))
			for (int k = 0; works[k] && !bad; k++)
				bad = t->w->lemma_len == strlen(works[k]) && !memcmp(t->w->lemma, works[k], t->w->lemma_len);
	}
	/* or a complaint formula ("maksettiin tuplasti", "jouduin odottamaan") */
	for (size_t k = 0; !bad && k < ta->nmatches && a < b; k++)
		bad = ta->matches[k].kind == TEXT_LK_VALENCE && ta->matches[k].weight < 0 &&
		      ta->matches[k].start >= ta->toks[a].start && ta->matches[k].end <= ta->toks[b - 1].end;
	return bad && (again || excl_cop) && !sarcasm_resolved(ta, a, b);
}

/*
 * English: 1 if sentence [a, b) praises what went wrong, sarcastically: a failure together with
 * "again" ("Nice, the app crashed again", "as always", "as usual") or after an opening word of
 * praise set off by a comma ("Fantastic, the replacement is broken too", "Great, now it doesn't
 * even start"). A failure is a negative word that is not negated ("not bad" is praise) or a
 * negated verb of things working ("doesn't work", "never arrived", "didn't help"). The caller
 * applies it only to a sentence whose sum is positive.
 */
static int en_sarcasm(const struct text_analyzer *ta, size_t a, size_t b)
{
	/* closed grammar: "again" words and verbs of things working (surface forms and stems) */
	static const char *const works[] = { "work", "arriv", "come", "load", "respond", "answer", "help",
					     "ship", "deliv", "start", "connect", "open", "fix", NULL };
	int again = 0, bad = 0;
	/* "Fantastic, ...": a praise word, then a comma, as the sentence's opening */
	int opening = a + 1 < b && ta->toks[a].type == TT_WORD && ta->toks[a].w &&
		      (ta->toks[a].w->info.flags & TI_HASVAL) && ta->toks[a].w->info.valence > 0 &&
		      ta->toks[a + 1].type == TT_CLAUSE;
	for (size_t j = a; j < b; j++) {
		const struct text_tok *t = &ta->toks[j];
		if (t->type != TT_WORD || !t->w)
			continue;
		again |= text_tok_is(ta, t, "again") || text_tok_is(ta, t, "usual") ||
			 (text_tok_is(ta, t, "always") && j > a && text_tok_is(ta, &ta->toks[j - 1], "as"));
		int negated = negated_before(ta, j) || (t->flags & TF_NT);
		if ((t->w->info.flags & TI_HASVAL) && t->w->info.valence < 0 && !negated && !(t->w->rule_class & RC_FAULT))
			bad = 1;
		else if (close_negation(ta, a, j) && t->w->stem)
			for (int k = 0; works[k] && !bad; k++)
				bad = !strncmp(t->w->stem, works[k], strlen(works[k]));
	}
	return bad && (again || opening) && !sarcasm_resolved(ta, a, b);
}

/* Finnish: 1 if the second-person word at i only owns a thing: a possessive suffix on a noun
 * ("laskuissanne", "sovelluksesi") or a genitive pronoun before a content word ("teidän
 * laskuissa", "sun sovellus"); "sä", "olette", "teille" address the reader. */
static int fi_possessive_you(const struct text_analyzer *ta, size_t b, size_t i)
{
	const struct text_word *w = ta->toks[i].w;
	if ((w->info.flags & TI_POSS2) && (w->info.flags & TI_CONTENT))
		return 1;
	static const char *const gen[] = { "teidän", "sinun", "sun", "teiän", NULL };
	if (!text_tok_in(ta, &ta->toks[i], gen) || i + 1 >= b)
		return 0;
	const struct text_tok *n = &ta->toks[i + 1];
	return n->type == TT_WORD && n->w && (n->w->info.flags & TI_CONTENT) && !(n->w->info.flags & TI_SECOND);
}

/* English: 1 if threat phrase m ("shoot you") is followed by an article: a second object makes
 * it sending something ("shoot you a photo", "shoot you an email"). */
static int match_sends(const struct text_analyzer *ta, const struct text_match *m)
{
	static const char *const art[] = { "a", "an", "some", NULL };
	for (size_t k = 0; k + 1 < ta->ntoks; k++)
		if (ta->toks[k].end == m->end)
			return ta->toks[k + 1].type == TT_WORD && text_tok_in(ta, &ta->toks[k + 1], art);
	return 0;
}

/* English: 1 if violent verb i is used in an everyday sense: with two objects ("shoot you a
 * photo", "shoot me an email": pronoun + article) or with a thing as its object after a
 * determiner ("kill the auto-renewal", "kill this process", "shoot the breeze"). */
static int en_everyday_violent(const struct text_analyzer *ta, size_t b, size_t i)
{
	static const char *const pron[] = { "you", "me", "us", "him", "her", "them", NULL };
	static const char *const art[] = { "a", "an", "some", NULL };
	static const char *const det[] = { "the", "this", "that", "my", "our", "your", "its", NULL };
	/* "execute it as admin", "kill it": "it" is a thing, unless the reader comes up after it
	 * ("I'll stab it into your neck", "kill it and then you") */
	if (i + 1 < b && ta->toks[i + 1].type == TT_WORD && text_tok_is(ta, &ta->toks[i + 1], "it")) {
		static const char *const reader[] = { "you", "your", "yours", "yourself", "u", "ur", NULL };
		for (size_t k = i + 2; k < b; k++)
			if (ta->toks[k].type == TT_WORD && text_tok_in(ta, &ta->toks[k], reader))
				return 0;
		return 1;
	}
	if (i + 2 >= b || ta->toks[i + 1].type != TT_WORD || ta->toks[i + 2].type != TT_WORD)
		return 0;
	if (text_tok_in(ta, &ta->toks[i + 1], pron) && text_tok_in(ta, &ta->toks[i + 2], art))
		return 1;
	if (!text_tok_in(ta, &ta->toks[i + 1], det))
		return 0;
	/* the object: a thing (also a hyphenated one, "the auto-renewal"), not a person */
	const struct text_tok *o = &ta->toks[i + 2];
	if (!o->w || (o->flags & TF_CAPITAL) || (o->w->rule_class & RC_PERSON_NOUN) ||
	    (o->w->info.flags & (TI_PERSON | TI_SECOND | TI_FIRST | TI_FUNC | TI_STOP | TI_COPULA)))
		return 0;
	for (int c = 0; c < TA_N; c++)
		if (o->w->info.abuse[c] > 0)
			return 0;
	return 1;
}

/* English: 1 if the word at i inside sentence [a, b) is a name, not a swear word: capitalised
 * and introduced as one ("this is Dick from accounts payable", "my name is Dick", "ask for
 * Dick"). A capitalised word before another ("Dick Johnson") is not enough: tweets capitalise
 * words, and that rule lowered OLID half B by 0.0008. */
static int en_name(const struct text_analyzer *ta, size_t a, size_t b, size_t i)
{
	const struct text_tok *t = &ta->toks[i];
	if (i == a || !(t->flags & TF_CAPITAL))
		return 0;
	static const char *const intro[] = { "is", "named", "called", "for", NULL };
	return i >= a + 2 && text_tok_in(ta, &ta->toks[i - 1], intro) &&
	       (text_tok_is(ta, &ta->toks[i - 2], "this") || text_tok_is(ta, &ta->toks[i - 2], "name") ||
		text_tok_is(ta, &ta->toks[i - 2], "ask") || text_tok_is(ta, &ta->toks[i - 2], "guy"));
}

/* The token where match m starts (*k) and its sentence [*a, *b); 0 if no token starts there. */
static int match_sentence(const struct text_analyzer *ta, const struct text_match *m, size_t *k, size_t *a,
			  size_t *b)
{
	size_t i = tok_from(ta, m->start);
	if (i >= ta->ntoks || ta->toks[i].start != m->start)
		return 0;
	size_t x = i, y = i + 1;
	while (x > 0 && ta->toks[x - 1].type != TT_END)
		x--;
	while (y < ta->ntoks && ta->toks[y].type != TT_END)
		y++;
	*k = i;
	*a = x;
	*b = y;
	return 1;
}

/* "Vika on teidän päässänne", "näkyykö virhe sinun päässäsi?": "pää" in the inessive with a
 * second person possessive after a fault noun is "at your end" (of the line, of the connection),
 * a customer's everyday complaint, not the reader's head; "sinun päässäsi on vika" (something
 * wrong in your head) has the fault after it. mind: the head token, fault: the sentence's first
 * fault noun or -1. */
static int fi_at_your_end(const struct text_analyzer *ta, size_t mind, long fault)
{
	const struct text_tok *t = &ta->toks[mind];
	static const char iness[] = "päässä";
	return fault >= 0 && (size_t)fault < mind && t->norm_len > sizeof iness - 1 &&
	       !memcmp(ta->scratch + t->norm_off, iness, sizeof iness - 1);
}

static int is_mind_noun(const struct text_word *w) { return (w->rule_class & RC_MIND_NOUN) != 0; }

/* Among the three words before i (not before a): 1 if one carries every flag in `all` and
 * none in `none`. The scan gives up (0) after a word carrying a flag in `stop`, and at a
 * clause boundary when `clause` is set. */
static int flags_before(const struct text_analyzer *ta, size_t a, size_t i, uint32_t all, uint32_t none,
			uint32_t stop, int clause)
{
	int seen = 0;
	for (size_t j = i; j-- > a && seen < 3;) {
		const struct text_tok *p = &ta->toks[j];
		if (clause && p->type == TT_CLAUSE)
			break;
		if (p->type != TT_WORD || !p->w)
			continue;
		seen++;
		uint32_t f = p->w->info.flags;
		if ((f & all) == all && !(f & none))
			return 1;
		if (f & stop)
			return 0;
	}
	return 0;
}

/* A second-person negation verb ("et", "etkä", "ette") among the three words before i, or
 * further back in its clause with the copula between ("Et sinä oo tässä se idiootti, vaan
 * järjestelmä", "Et sinä ole se hyödytön"); not without one ("et ikinä vastaa senkin
 * idiootti" calls the reader it). */
static int denied_to_reader(const struct text_analyzer *ta, size_t a, size_t i)
{
	if (flags_before(ta, a, i, TI_NEGATOR | TI_SECOND, TI_QUEST, 0, 1))
		return 1;
	int copula = 0, seen = 0;
	for (size_t j = i; j-- > a && seen < 6;) {
		const struct text_tok *p = &ta->toks[j];
		if (p->type == TT_CLAUSE || p->type == TT_END)
			return 0;
		if (p->type != TT_WORD || !p->w)
			continue;
		seen++;
		uint32_t f = p->w->info.flags;
		if (f & TI_COPULA)
			copula = 1;
		else if ((f & (TI_NEGATOR | TI_SECOND)) == (TI_NEGATOR | TI_SECOND) && !(f & TI_QUEST))
			return copula;
	}
	return 0;
}

/* A first-person copula ("olen", "olin", "olemme"; "I am") among the three words before i;
 * in Finnish also a denied one, whose copula voikko reads as the imperative "ole!" ("en ole
 * idiootti", "enkä ole mikään idiootti"). */
static int first_copula(const struct text_analyzer *ta, size_t a, size_t i)
{
	if (flags_before(ta, a, i, TI_COPULA | TI_FIRST, 0, 0, 0))
		return 1;
	for (size_t j = i, seen = 0; j-- > a && seen < 3;) {
		const struct text_tok *p = &ta->toks[j];
		if (p->type != TT_WORD || !p->w)
			continue;
		seen++;
		if ((p->w->info.flags & TI_COPULA) && fi_conneg_after_first(ta, a, j))
			return 1;
	}
	return 0;
}

/* A second person singular copula ("olet", "oot", "oletko") among the three words before i,
 * not behind a negation ("et ole tyhmä"). */
static int sing2_copula(const struct text_analyzer *ta, size_t a, size_t i)
{
	return flags_before(ta, a, i, TI_COPULA | TI_SING2, 0, TI_NEGATOR, 0);
}

/* Words that open a Finnish letter signature: "t.", "terv.", "terveisin", "terkuin". */
static int signoff_word(const struct text_analyzer *ta, const struct text_tok *t)
{
	/* closed: the formulas and their abbreviations, on the surface form ("t", "terv") */
	static const char *const words[] = { "t", "terv", "terveisin", "terkuin", "terkuil", NULL };
	for (int k = 0; words[k]; k++)
		if (text_tok_is(ta, t, words[k]))
			return 1;
	return 0;
}

/* Sentence [a, b) is the writer's signature: the last sentence of a Finnish text, opened by a
 * sign-off word or following a sentence that is only one ("Kiitos avusta. T. Läskit",
 * "Terveisin Idiootti"). A name-calling word there is the writer's own nickname. */
static int signature(const struct text_analyzer *ta, size_t a, size_t b, int prev_signoff, size_t last_word)
{
	/* last_word: the text's last word token (ntoks if none), found once per text: a text of
	 * thousands of empty sentences (". . . .") made a scan per sentence quadratic */
	if (last_word != ta->ntoks && last_word >= b)
		return 0;
	if (prev_signoff)
		return 1;
	for (size_t j = a; j < b; j++)
		if (ta->toks[j].type == TT_WORD)
			return signoff_word(ta, &ta->toks[j]);
	return 0;
}

/* "haista v***u", "haista p.....a", "haistakaa p...": the Finnish imperative "haista" (smell!)
 * before a self-censored word (mask characters inside it, or one or two letters cut off by dots)
 * is the formula "haista vittu/paska" whose writer masked the swear word. Returns the index of
 * the masked word's last token, or 0 when token i does not start one. */
static size_t masked_haista(const struct text_analyzer *ta, size_t i)
{
	const struct text_tok *t = &ta->toks[i];
	const char *f = ta->scratch + t->norm_off;
	if (t->type != TT_WORD || !((t->norm_len == 6 && !memcmp(f, "haista", 6)) ||
				    (t->norm_len == 9 && !memcmp(f, "haistakaa", 9))))
		return 0;
	if (i + 1 >= ta->ntoks || ta->toks[i + 1].type != TT_WORD)
		return 0;
	const struct text_tok *m = &ta->toks[i + 1];
	const char *mf = ta->scratch + m->norm_off;
	size_t masks = 0; /* "v***u", "p-ska"; not an abbreviation "p.s." */
	for (size_t k = 1; k + 1 < m->norm_len; k++)
		masks += mf[k] == '*' || mf[k] == '-' || mf[k] == '.' || mf[k] == '_';
	if (masks >= 2 || (masks == 1 && m->norm_len >= 4))
		return i + 1;
	if (m->norm_len <= 2 && i + 2 < ta->ntoks && ta->toks[i + 2].type == TT_END &&
	    (ta->toks[i + 2].flags & TF_ELLIPSIS) && ta->toks[i + 2].start == m->end) {
		/* "p.....a": the last letter after the dots belongs to the word */
		if (i + 3 < ta->ntoks && ta->toks[i + 3].type == TT_WORD && ta->toks[i + 3].norm_len <= 2 &&
		    ta->toks[i + 3].start == ta->toks[i + 2].end)
			return i + 3;
		return i + 2;
	}
	return 0;
}


/* Fifteenth pass (a): a noun for a person by its shape, when neither list knows it. */
static int ends_with(const struct text_word *w, const char *suffix)
{
	size_t n = strlen(suffix);
	return w->lemma_len >= n && !memcmp(w->lemma + w->lemma_len - n, suffix, n);
}

/*
 * 1 if w is a Finnish noun for a person: an everyday person noun (class person_noun: "tuo hölmö
 * ihminen", "toi tyhmä ukko" point at someone), a `person` list word, or a noun for a person
 * by its shape: a person compound or a profession or ideology (class person_head, a suffix:
 * "-mies", "-akka", "-isti", "-ologi": "kaupparatsumies", "toimistoakka", "journalisti"), or
 * an agent noun of at least seven bytes ("-ja"/"-jä" after a vowel: "toimittaja",
 * "kirjoittaja", "hoitaja"; short ones are mostly things: "kirja", "raja", "kuja"). Used where
 * the lists' person words decide whether an insult judges a person or a thing ("tuo tyhmä
 * toimittaja" vs "tuo tyhmä päivitys").
 */
/* A Finnish agent noun of seven letters or more: "-aja", "-ijä", "-yjä" ("asentaja",
 * "myyjä"). */
static int agent_noun(const struct text_word *w)
{
	size_t n = ends_with(w, "ja") ? 2 : ends_with(w, "jä") ? 3 : 0;
	if (w->lemma_len >= 7 && n) {
		/* a vowel before the ending ("ä" and "ö" end in 0xa4, 0xb6) */
		unsigned char v = (unsigned char)w->lemma[w->lemma_len - n - 1];
		return (v && strchr("aeiouy", v) != NULL) || v == 0xa4 || v == 0xb6;
	}
	return 0;
}

static int person_shaped_word(const struct text_word *w)
{
	if ((w->rule_class & (RC_PERSON_NOUN | RC_PERSON_HEAD)) || (w->info.flags & TI_PERSON) || w->proper_name)
		return 1;
	return agent_noun(w);
}

/*
 * A Finnish adjective of contempt right before a noun for a person: "surkea ihminen",
 * "säälittävä ukko", "inhottava akka", "olette surkeita ihmisiä". These adjectives also judge
 * things ("surkea palvelu"), so they are no insult words; said of a person they are. Returns the
 * index of the person noun, or 0 when word i does not open one (not after a negation: "ei mikään
 * surkea ihminen"; an adjective that is itself an insult word counts already).
 */
static size_t fi_contempt_person(const struct text_analyzer *ta, size_t b, size_t i)
{
	const struct text_tok *t = &ta->toks[i];
	if (t->type != TT_WORD || !t->w || t->w->info.abuse[TA_INSULT] > 0 || i + 1 >= b ||
	    !(t->w->rule_class & RC_CONTEMPT_ADJ))
		return 0;
	const struct text_tok *n = &ta->toks[i + 1];
	if (n->type != TT_WORD || !n->w || (n->w->info.flags & (TI_FUNC | TI_STOP)) ||
	    !person_shaped(n->w) || negated_before(ta, i))
		return 0;
	return i + 1;
}

/* The demonstrative "tuo" (spoken "toi"; any of the forms the lists mark contempt) among the
 * two words before i: "tuo", "tuon", "tuota", "toi", "ton", "tota". */
static int demonstrative_before(const struct text_analyzer *ta, size_t a, size_t i)
{
	/* closed grammar: demonstrative forms, on the surface form */
	static const char *const forms[] = { "tuo", "tuon", "tuota", "toi", "ton", "tota", NULL };
	for (size_t j = i, seen = 0; j-- > a && seen < 2; seen++)
		for (int k = 0; forms[k]; k++)
			if (text_tok_is(ta, &ta->toks[j], forms[k]))
				return 1;
	return 0;
}

/* A word that can be what someone is called: a Finnish noun or adjective in the nominative, or a
 * word voikko does not know (name-calling is often a new compound), with no positive valence. */
static int callable(const struct text_tok *t)
{
	if (t->type != TT_WORD || !t->w || (t->w->info.flags & (TI_FUNC | TI_STOP | TI_SECOND | TI_FIRST)))
		return 0;
	if ((t->w->info.flags & TI_HASVAL) && t->w->info.valence > 0)
		return 0;
	return (t->w->info.flags & TI_NOMINAL) || !(t->w->info.flags & TI_KNOWN);
}

/* Fifteenth pass (a), insult: mockery of the reader's mind that uses no insult word. */

/* 1 if sentence [a, b) has the word "kuin" (a comparison) or "pääsi"/"pääs" (which voikko also
 * reads as "got to", no second person): without one of them or a second person
 * fi_mind_mockery() finds nothing, so the caller skips its scan. */
static int has_kuin(const struct text_analyzer *ta, size_t a, size_t b)
{
	for (size_t j = a; j < b; j++)
		if (text_tok_is(ta, &ta->toks[j], "kuin") || text_tok_is(ta, &ta->toks[j], "pääsi") ||
		    text_tok_is(ta, &ta->toks[j], "pääs"))
			return 1;
	return 0;
}

/* 1 if token j is a word of the classes in `cls` (enum rule_class). */
static int tok_class(const struct text_analyzer *ta, size_t j, uint64_t cls)
{
	const struct text_tok *t = &ta->toks[j];
	return t->type == TT_WORD && t->w && (t->w->rule_class & cls);
}

/* A second person singular pronoun form (not a verb, not a possessive suffix): "sä", "sulla",
 * "sinulla", "sun", "sinun"; plural "te", "teillä" is usually the company. */
static int sing2_pronoun(const struct text_analyzer *ta, size_t j)
{
	/* closed grammar: pronoun forms, on the surface form */
	static const char *const forms[] = { "sä", "sää", "sinä", "sun", "sinun", "sulla", "sinulla", "sul",
					     "sulta", "sinulta", NULL };
	for (int k = 0; forms[k]; k++)
		if (text_tok_is(ta, &ta->toks[j], forms[k]))
			return 1;
	return 0;
}

/* Finnish: 1 if sentence [a, b) has a word for a person or for the reader ("sinä", "olet",
 * "-si", "ihminen", "toimittaja", "he"). */
static int fi_person_in(const struct text_analyzer *ta, size_t a, size_t b)
{
	if (ta->pin_val >= 0 && a == ta->pin_a && b == ta->pin_b)
		return ta->pin_val;
	for (size_t j = a; j < b; j++) {
		const struct text_tok *p = &ta->toks[j];
		if (p->type == TT_WORD && p->w &&
		    ((p->w->info.flags & (TI_SECOND | TI_POSS2 | TI_PERSON)) || person_shaped(p->w) ||
		     sing2_pronoun(ta, j)))
			return 1;
	}
	return 0;
}

/* Finnish: the sexual body word of a remark on the reader's body in sentence [a, b) ("sulla on
 * varmaan kivat tissit", "sun perse on hyvä"), or SIZE_MAX: a word of the
 * sexual_body class with a singular "you" (pronoun, verb or possessive) in the sentence and no
 * negation before it (an imperative is no "you" here: "pese vauvan pylly"), near the word,
 * and no genitive owner right before it ("Vauvan pylly on punainen, mitä suosittelet?"). "Muna" (an egg, too) and "perse" (swearing: "ihan perseestä") count only
 * with the reader's possessive or right after a singular "you" pronoun ("sun perse"). */
static size_t fi_sexual_remark(const struct text_analyzer *ta, size_t a, size_t b)
{
	size_t body = SIZE_MAX;
	for (size_t j = a; j < b && body == SIZE_MAX; j++) { /* a bit test per word first */
		const struct text_tok *t = &ta->toks[j];
		if (t->type != TT_WORD || !t->w || !(t->w->rule_class & RC_SEXUAL) || negated_before(ta, j))
			continue;
		/* "olemme rinnallasi", "rinnalleen", "rinnalta": the postposition "beside", which
		 * voikko also reads as a case of "rinta" */
		if (t->norm_len >= 6 && !memcmp(ta->scratch + t->norm_off, "rinnal", 6))
			continue;
		int strict = (t->w->lemma_len == 4 && !memcmp(t->w->lemma, "muna", 4)) ||
			     (t->w->lemma_len == 5 && !memcmp(t->w->lemma, "perse", 5));
		if (!strict || (t->w->info.flags & TI_POSS2) || (j > a && sing2_pronoun(ta, j - 1)))
			body = j;
	}
	if (body == SIZE_MAX)
		return SIZE_MAX;
	/* someone else's ("vauvan pylly", "koiran peppu"): a genitive noun right before it */
	const struct text_tok *prev = body > a ? &ta->toks[body - 1] : NULL;
	if (prev && prev->type == TT_WORD && prev->w && !sing2_pronoun(ta, body - 1) &&
	    (prev->w->info.flags & TI_CONTENT) && prev->norm_len > 1 && ta->scratch[prev->norm_off + prev->norm_len - 1] == 'n')
		return SIZE_MAX;
	if (ta->toks[body].w->info.flags & TI_POSS2)
		return body;
	/* the reader near it: four words before ("sulla on varmaan kivat tissit") or two after */
	for (size_t j = body > a + 4 ? body - 4 : a; j < b && j <= body + 2; j++) {
		const struct text_tok *t = &ta->toks[j];
		if (t->type == TT_WORD && t->w &&
		    (sing2_pronoun(ta, j) || (t->w->info.flags & TI_POSS2) ||
		     ((t->w->info.flags & TI_SING2) && !(t->w->info.flags & TI_IMPER)) || text_tok_is(ta, t, "sua") ||
		     text_tok_is(ta, t, "sinua")))
			return body;
	}
	return SIZE_MAX;
}

/* Finnish: 1 if the insult word at i is an adjective in the singular partitive standing alone
 * (no content word after it), which describes an act or a situation ("Tosi noloa.", "aika
 * hölmöä", "kiusaaminen on aina tyhmää"): a person is called one in the nominative ("olet
 * tyhmä"), the plural ("olette tyhmiä") or with a noun ("noin tyhmää ihmistä"). */
static int fi_situation_adj(const struct text_analyzer *ta, size_t b, size_t i)
{
	const struct text_tok *t = &ta->toks[i];
	if (t->type != TT_WORD || !t->w || !t->w->partitive_adj)
		return 0;
	return !(i + 1 < b && ta->toks[i + 1].type == TT_WORD && ta->toks[i + 1].w &&
		 !(ta->toks[i + 1].w->info.flags & (TI_FUNC | TI_STOP)));
}

/* Finnish: 1 if the insult word at i is a quality noun ("-(U)Us": "tyhmyys", "hölmöys",
 * "idioottimaisuus") that is nobody's: "Mikä hölmöys!", "tyhmyyttä koko touhu" judge an act,
 * not a person. With a person in its sentence [a, b) it is theirs and stays an insult:
 * "tyhmyytesi", "sun tyhmyys", "tupakoitsijoiden ääliömäisyys", "teidät pitäisi aidata, että
 * tyhmyys pysyy kiinni". */
static int fi_quality_noun(const struct text_analyzer *ta, size_t a, size_t b, size_t i)
{
	const struct text_word *w = ta->toks[i].w;
	if (ta->toks[i].type != TT_WORD || !w || w->lemma_len < 5 || fi_person_in(ta, a, b))
		return 0;
	/* the quality suffix "-(U)Us" follows a vowel ("tyhmyys", "hölmöys"; ö is C3 B6); a
	 * consonant before "-us"/"-ys" makes a person noun ("typerys", "lurjus", "vätys") */
	const unsigned char *e = (const unsigned char *)w->lemma + w->lemma_len - 3;
	return e[2] == 's' && (e[1] == 'u' || e[1] == 'y') &&
	       (strchr("aeiouy", e[0]) != NULL || e[0] == 0xa4 || e[0] == 0xb6);
}

/* A second person singular pronoun form among the three words before j: "sun pää", "sulla on
 * pää tyhjä". */
static int sing2_before(const struct text_analyzer *ta, size_t a, size_t j)
{
	for (size_t k = j, seen = 0; k-- > a && seen < 3; seen++)
		if (sing2_pronoun(ta, k))
			return 1;
	return 0;
}

/*
 * Sentence [a, b) mocks the reader's mind without an insult word; returns the token where the
 * mockery is anchored (for the span) and sets *z to its last token, or returns SIZE_MAX:
 * - a rhetorical question about the reader's brain or skills: "onko sulla aivot?", "onko
 *   sinulla ollenkaan järkeä?" (a singular "you" that has it; "onko sulla pää kipeä?" asks
 *   about a head, so "pää" does not count), "osaatko lukea?", "osaatsä ees lukea?", "ootko
 *   ikinä ajatellut?", "ajatteletko koskaan?" (reading or thinking as the last thing asked;
 *   "osaatko lukea nuotteja?", "oletko ikinä ajatellut muuttaa?" ask something);
 * - the reader behaving crazily (a second person singular verb of raving): "mitä sä oikein
 *   sekoilet?", "mitä höpötät" ("sovelluksenne sekoilee" is a complaint about a thing);
 * - an ironic comparison of a mind adjective with a dull thing: "älykäs kuin kivi", "fiksu
 *   kuin lapanen", "terävä kuin pallo" ("kova kuin kivi" is about bread; "viisas kuin pöllö"
 *   praises);
 * - the reader's head or brain with an empty or absent predicate: "pääsi on tyhjä", "aivosi
 *   ovat narikassa", "sun pää on ontto" ("pääni on tyhjä" is the speaker's own);
 * - the reader's IQ: "sun älykkyysosamäärä", "ÄO:si" (mentioned only to mock).
 */
static size_t fi_mind_mockery(const struct text_analyzer *ta, size_t a, size_t b, int asks, size_t *z)
{
	int sing2 = 0, skill_q = 0, osata = 0, ext = 0;
	size_t brain = SIZE_MAX, last = SIZE_MAX, head = SIZE_MAX;
	for (size_t j = a; j < b; j++) {
		const struct text_tok *t = &ta->toks[j];
		if (t->type != TT_WORD || !t->w)
			continue;
		uint32_t f = t->w->info.flags;
		int own = sing2_pronoun(ta, j);
		sing2 |= own || (f & TI_SING2) || ((f & TI_POSS2) && !(f & TI_PLURAL));
		if ((t->w->rule_class & RC_EXTENT))
			ext = 1;
		else
			last = j;
		if ((f & TI_SING2) && t->w->lemma_len == 5 && !memcmp(t->w->lemma, "osata", 5))
			osata = 1;
		if ((t->w->rule_class & RC_BRAIN) && brain == SIZE_MAX)
			brain = j;
		/* "sun pää", "sinun aivosi", "aivosi", "sulla on pää tyhjä": the reader's own head;
		 * "pääsi on" (voikko also reads "pääsi" as "got to", the past of "päästä") */
		if (head == SIZE_MAX && ((is_mind_noun(t->w) && ((f & TI_POSS2) || sing2_before(ta, a, j))) ||
					 ((text_tok_is(ta, t, "pääsi") || text_tok_is(ta, t, "pääs")) && j + 1 < b &&
					  text_tok_is(ta, &ta->toks[j + 1], "on"))))
			head = j;
		/* "mitä sä oikein sekoilet" */
		if ((f & TI_SING2) && (t->w->rule_class & RC_RAVING) && !negated_before(ta, j)) {
			*z = j;
			return j;
		}
		/* "sun älykkyysosamäärä", "ÄO:si" */
		if (((t->w->rule_class & RC_IQ) || text_tok_is(ta, t, "äo") || text_tok_is(ta, t, "äo:si")) &&
		    ((f & TI_POSS2) || (j > a && sing2_pronoun(ta, j - 1)))) {
			*z = j;
			return j > a && sing2_pronoun(ta, j - 1) ? j - 1 : j;
		}
		/* "älykäs kuin kivi", "yhtä fiksu kuin vanha lapanen" */
		if ((t->w->rule_class & RC_SMART) && j + 2 < b && text_tok_is(ta, &ta->toks[j + 1], "kuin")) {
			size_t k = j + 2;
			if (!tok_class(ta, k, RC_DULL) && k + 1 < b) /* "kuin vanha lapanen" */
				k++;
			if (tok_class(ta, k, RC_DULL) && !negated_before(ta, j)) {
				*z = k;
				return j;
			}
		}
	}
	if (last != SIZE_MAX && tok_class(ta, last, RC_SKILL) && (osata || ext))
		skill_q = 1;
	if (asks && sing2 && skill_q) { /* "osaatko lukea?", "ootko ikinä ajatellut?" */
		*z = last;
		return last;
	}
	/* "onko sulla aivot?", "onko sinulla ollenkaan järkeä?" */
	if (asks && brain != SIZE_MAX) {
		for (size_t j = a; j < b; j++)
			if (text_tok_is(ta, &ta->toks[j], "sulla") || text_tok_is(ta, &ta->toks[j], "sinulla") ||
			    text_tok_is(ta, &ta->toks[j], "sul")) {
				*z = brain;
				return brain;
			}
	}
	/* "pääsi on tyhjä", "aivosi ovat narikassa", "sun pää on ontto" */
	if (head != SIZE_MAX)
		for (size_t j = head + 1; j < b && j <= head + 4; j++)
			if (tok_class(ta, j, RC_EMPTY) || text_tok_is(ta, &ta->toks[j], "narikassa") ||
			    text_tok_is(ta, &ta->toks[j], "hukassa")) {
				*z = j;
				return head;
			}
	return SIZE_MAX;
}

/*
 * Finnish exclamative name-calling whose noun need not be an insult word: "mikä X sinä olet",
 * "mikä X sä oot" (not a question: "Mikä horoskooppi sinä olet?"; nothing positive: "mikä
 * ihana ihminen sinä olet"; "mikä sinä olet sanomaan" has no noun). Returns the index of the
 * word the reader is called, or 0. ("senkin X" with any nominative X was tried as well: it
 * lowered sentiment_fi on half B, docs/text-analysis.md; a negative X is name-calling.)
 */
static size_t name_calling(const struct text_analyzer *ta, size_t b, size_t i)
{
	const struct text_tok *t = &ta->toks[i];
	/* "Senkin surkea!", "senki naurettava": the vocative particle with a negative word in the
	 * nominative ("senkin huonon kokemuksen jälkeen" is "even after that bad experience") */
	if ((text_tok_is(ta, t, "senkin") || text_tok_is(ta, t, "senki")) && i + 1 < b) {
		const struct text_tok *x = &ta->toks[i + 1];
		if (x->type == TT_WORD && x->w && (x->w->info.flags & TI_NOMINAL) && x->w->info.abuse[TA_INSULT] <= 0 &&
		    x->w->info.valence <= -1)
			return i + 1;
	}
	if (!text_tok_is(ta, t, "mikä") || (b < ta->ntoks && ta->toks[b].quest))
		return 0;
	size_t noun = 0;
	for (size_t j = i + 1; j < b && j <= i + 4; j++) {
		const struct text_tok *p = &ta->toks[j];
		if (p->type != TT_WORD || !p->w)
			return 0;
		uint32_t f = p->w->info.flags;
		if (f & TI_QUEST)
			return 0;
		if ((f & (TI_SECOND | TI_COPULA)) == (TI_SECOND | TI_COPULA))
			return (f & TI_SING2) ? noun : 0; /* "mikä surkea firma te olette": the company */
		if (f & TI_SECOND) /* "sinä", "sä" before the copula */
			continue;
		if (!callable(p))
			return 0;
		noun = j;
	}
	return 0;
}

/* Seventeenth pass: threats against staff and premises. */

/* The next word token of the sentence ending before b after token i, or b. */
static size_t next_word(const struct text_analyzer *ta, size_t i, size_t b)
{
	for (size_t j = i + 1; j < b; j++)
		if (ta->toks[j].type == TT_WORD && ta->toks[j].w)
			return j;
	return b;
}

/* The next word token after i in its clause (before b and before clause punctuation), or b. */
static size_t next_clause_word(const struct text_analyzer *ta, size_t i, size_t b)
{
	for (size_t j = i + 1; j < b; j++) {
		if (ta->toks[j].type == TT_CLAUSE)
			return b;
		if (ta->toks[j].type == TT_WORD && ta->toks[j].w)
			return j;
	}
	return b;
}

/* Nineteenth pass: English identity attacks on staff. */

/* 1 if the sentence [a, b) has a negation: "don't", "not", "never". */
static int en_negated(const struct text_analyzer *ta, size_t a, size_t b)
{
	for (size_t j = a; j < b; j++) {
		const struct text_tok *p = &ta->toks[j];
		if (p->type == TT_WORD && p->w && ((p->w->info.flags & TI_NEGATOR) || (p->flags & TF_NT)))
			return 1;
	}
	return 0;
}

/*
 * The token of a slander said of the group noun at g, or SIZE_MAX: a group_slur word up to two
 * words before it in its clause ("lazy immigrants", "typical woman"), or after it a copula and
 * then one ("immigrants are (all) lazy"); a negated "belong" or "belong in the kitchen" ("women
 * belong in the kitchen", "foreigners don't belong here"); a going or sending "back"/"home"
 * ("X should go back", "be sent home", "send these foreigners back home"). Mild words
 * ("lazy", "typical", "animals") only count here, said of a group: "the delivery guy was lazy".
 */
static size_t en_group_slander(const struct text_analyzer *ta, size_t a, size_t b, size_t g)
{
	/* closed grammar, on the surface form */
	static const char *const cop[] = { "are", "is", "were", "was", "be", "r", NULL };
	static const char *const go[] = { "go", "goes", "going", "sent", "send", "shipped", "deported", NULL };
	static const char *const back[] = { "back", "home", NULL };
	static const char *const send[] = { "send", "ship", "kick", "throw", NULL };
	static const char *const must[] = { "should", "shouldn't", "shouldnt", "must", "need", "needs", "gotta",
					    "ought", NULL };
	int seen = 0, copula = 0, going = 0, belong = 0, modal = 0;
	for (size_t j = g; j-- > a && seen < 2;) {
		const struct text_tok *p = &ta->toks[j];
		if (p->type == TT_CLAUSE || p->type != TT_WORD || !p->w)
			break;
		seen++;
		/* "typical woman, ..." calls her a type; "typical immigrant success story" does not */
		if ((p->w->rule_class & RC_GROUP_SLUR) &&
		    (!text_tok_is(ta, p, "typical") || g + 1 >= b || ta->toks[g + 1].type != TT_WORD))
			return j;
		/* "send these foreigners back": an order, the verb opens its sentence */
		if (seen == 2 && j == a && text_tok_in(ta, p, send))
			going = 1;
	}
	for (size_t j = next_clause_word(ta, g, b), n = 0; j < b && n < 5; j = next_clause_word(ta, j, b), n++) {
		const struct text_tok *p = &ta->toks[j];
		/* "immigrants are (all) lazy"; not "immigrants are not lazy", "I never said women are..." */
		if (copula && (p->w->rule_class & RC_GROUP_SLUR))
			return en_negated(ta, a, j) ? SIZE_MAX : j;
		if (going && text_tok_in(ta, p, back))
			return g;
		copula |= text_tok_in(ta, p, cop);
		modal |= text_tok_in(ta, p, must);
		/* "X should go back", "X must be sent home"; not "Muslims go back home for Eid" */
		going |= modal && text_tok_in(ta, p, go);
		/* "X don't belong here", "X shouldn't be allowed to..."; not "X belong to the union",
		 * "X are not allowed to vote" (a rule, said without a modal) */
		size_t nx = next_word(ta, j, b);
		if ((text_tok_is(ta, p, "belong") && !(nx < b && text_tok_is(ta, &ta->toks[nx], "to"))) ||
		    (modal && text_tok_is(ta, p, "allowed"))) {
			if (en_negated(ta, g, j))
				return j;
			belong = 1;
		}
		/* "women belong in the kitchen"; not "I never said that women belong in the kitchen" */
		if (belong && text_tok_is(ta, p, "kitchen"))
			return en_negated(ta, a, g) ? SIZE_MAX : j;
	}
	return SIZE_MAX;
}

/*
 * The token of a demand to be served by someone of another sex or origin, or SIZE_MAX: after a
 * verb of asking for someone ("get me", "talk to", "transfer me to", "served by") a group_member
 * word after "a"/"an"/"some"/"real" that is refused (a negation in the sentence: "I don't want to
 * talk to a woman", "not some foreigner") or marked by a second member word or "real" ("a white
 * guy", "a real Finn"). "Can I speak to someone in English please?", "I want to talk to a real
 * person" name no such group; "Can a woman technician come?" asks for no one to talk to.
 */
static size_t en_group_demand(const struct text_analyzer *ta, size_t a, size_t b)
{
	static const char *const ask[] = { "get", "put", "transfer", "talk", "talking", "speak", "speaking",
					   "served", "deal", "connect", "want", NULL };
	static const char *const det[] = { "a", "an", "some", "real", NULL };
	for (size_t v = a; v < b; v++) {
		const struct text_tok *t = &ta->toks[v];
		if (t->type != TT_WORD || !t->w || !text_tok_in(ta, t, ask))
			continue;
		/* "get me a man", not "I get a woman's point" */
		size_t n = next_word(ta, v, b);
		if (text_tok_is(ta, t, "get") && (n >= b || !text_tok_is(ta, &ta->toks[n], "me")))
			continue;
		int refused = en_negated(ta, a, v);
		for (size_t j = next_clause_word(ta, v, b), k = 0; j < b && k < 5; j = next_clause_word(ta, j, b), k++) {
			const struct text_tok *p = &ta->toks[j];
			if (!(p->w->rule_class & RC_GROUP_MEMBER) || !text_tok_in(ta, &ta->toks[j - 1], det))
				continue;
			size_t m = next_word(ta, j, b);
			int marked = text_tok_is(ta, &ta->toks[j - 1], "real") ||
				     (m < b && (ta->toks[m].w->rule_class & RC_GROUP_MEMBER));
			if (marked || refused)
				return j;
		}
		/* "..., not some immigrant", "someone who is not a foreigner": refused later on */
		for (size_t j = v + 2; j < b; j++)
			if (ta->toks[j].type == TT_WORD && ta->toks[j].w &&
			    (ta->toks[j].w->rule_class & RC_GROUP_MEMBER) && text_tok_in(ta, &ta->toks[j - 1], det) &&
			    text_tok_is(ta, &ta->toks[j - 2], "not"))
				return j;
	}
	return SIZE_MAX;
}

/* 1 if a word of sentence [a, b) is in rule class cls. */
static int class_in(const struct text_analyzer *ta, size_t a, size_t b, uint64_t cls)
{
	for (size_t i = a; i < b; i++)
		if (ta->toks[i].type == TT_WORD && ta->toks[i].w && (ta->toks[i].w->rule_class & cls))
			return 1;
	return 0;
}

/* 1 if the sentence [a, b) names a weapon ("ase", "puukko", "gun", "bat"): with a threat in
 * the same sentence, an armed threat. */
static int weapon_in(const struct text_analyzer *ta, size_t a, size_t b)
{
	return class_in(ta, a, b, RC_WEAPON);
}

/* The token of an English identity attack by construction in the sentence [a, b), or SIZE_MAX. */
static size_t en_group_attack(const struct text_analyzer *ta, size_t a, size_t b)
{
	int member = 0; /* en_group_demand() compares surface forms: only with a member word */
	for (size_t g = a; g < b; g++) {
		const struct text_tok *t = &ta->toks[g];
		if (t->type == TT_WORD && t->w && (t->w->rule_class & RC_GROUP_MEMBER))
			member = 1;
		/* not a weak group (< 0.8: "liberals", "democrats", "black"): tweets call political
		 * camps lazy and useless, which OLID half B does not count as offensive */
		if (t->type != TT_WORD || !t->w || t->w->info.idgroup <= 0 ||
		    (t->w->info.idgroup < 0.8f && !(t->w->rule_class & RC_GROUP_MEMBER)))
			continue;
		size_t z = en_group_slander(ta, a, b, g);
		if (z != SIZE_MAX)
			return z;
	}
	return member ? en_group_demand(ta, a, b) : SIZE_MAX;
}

/*
 * 1 if an English speaker commits to the verb at token i: "I'll", "I will", "I'm gonna", "we're
 * going to", "gonna" among the four words before it in its clause, with no second person, no
 * negation ("I won't", "I will never") and nothing but "come (over/there) and" after the
 * speaker's own verb between. A bare "I smash" is no commitment either: English lemmas are
 * surfaces, so a report in the past ("I smashed") never reaches here.
 */
static int en_speaker_commits(const struct text_analyzer *ta, size_t a, size_t i)
{
	/* closed grammar: first-person future and progressive markers, on the surface form */
	static const char *const marks[] = { "i'll", "ill", "i'm", "im", "we'll", "we're", "gonna", "will", NULL };
	static const char *const subj[] = { "i", "we", NULL };
	int seen = 0;
	for (size_t j = i; j-- > a && seen < 6;) {
		const struct text_tok *p = &ta->toks[j];
		if (p->type == TT_CLAUSE)
			return 0;
		if (p->type != TT_WORD || !p->w)
			continue;
		seen++;
		if ((p->w->info.flags & (TI_NEGATOR | TI_SECOND)) || (p->flags & TF_NT))
			return 0;
		if (text_tok_in(ta, p, marks)) {
			/* "will" needs "I"/"we" before it: "you will smash" is no commitment */
			if (!text_tok_is(ta, p, "will"))
				return 1;
			size_t k = j;
			while (k-- > a && (ta->toks[k].type != TT_WORD || !ta->toks[k].w))
				;
			return k < j && text_tok_in(ta, &ta->toks[k], subj);
		}
	}
	return 0;
}

/* 1 if token i is the speaker's own arrival: Finnish "tulen", "tuun", "tullaan" (present, not
 * denied, not asked about), English "come"/"coming" the speaker commits to ("I'm coming",
 * "I'll come"). */
static int speaker_arrives(const struct text_analyzer *ta, size_t a, size_t i, int ll)
{
	const struct text_tok *t = &ta->toks[i];
	if (t->type != TT_WORD || !t->w)
		return 0;
	if (ll == TEXT_LL_EN)
		return (text_tok_is(ta, t, "come") || text_tok_is(ta, t, "coming")) && en_speaker_commits(ta, a, i);
	/* "tuun", "tuumme": spoken forms voikko does not know */
	int tulla = t->w->lemma_len == 5 && !memcmp(t->w->lemma, "tulla", 5) && (t->w->info.flags & TI_FIRST) &&
		    !(t->w->info.flags & (TI_PAST | TI_COND | TI_QUEST));
	return (tulla || text_tok_is(ta, t, "tuun") || text_tok_is(ta, t, "tuumme")) && !negated_before(ta, i);
}

/* 1 if wreck verb v is the speaker's act: first person present, or a passive call in a main
 * clause ("rikotaan ikkunat"), not denied; English: committed to (en_speaker_commits()). */
static int speaker_wrecks(const struct text_analyzer *ta, size_t a, size_t v, int ll)
{
	const struct text_word *w = ta->toks[v].w;
	if (ll == TEXT_LL_EN)
		return en_speaker_commits(ta, a, v);
	uint32_t f = w->info.flags;
	if (f & (TI_PAST | TI_COND | TI_QUEST | TI_SECOND | TI_NONFIN))
		return 0;
	int passive = (f & TI_IMPER) && !subordinate_clause(ta, v);
	return ((f & TI_FIRST) || passive) && !negated_before(ta, v);
}

/* The premises word a wreck verb v is done to, within three words after it or two before it in
 * its clause ("hajotan paikat", "koko firman räjäytän", "burn your office down"), or SIZE_MAX. A
 * thing of the everyday sense ("polttaa kynttilä") or the speaker's own ("toimistoni") is none. */
static size_t wrecked_premises(const struct text_analyzer *ta, size_t v)
{
	size_t j = thing_target(ta, v) ? SIZE_MAX : class_near(ta, v, RC_PREMISES);
	if (j == SIZE_MAX)
		return j;
	/* the speaker's own ("hajotan toimistoni", "I'll smash my office"), or a place named by a
	 * genitive before a postposition ("toimiston edessä": in front of the office) */
	static const char *const own[] = { "my", "our", "minun", "mun", "meidän", NULL };
	static const char *const post[] = { "edessä", "takana", "vieressä", "luona", "pihalla", "ulkopuolella",
					    "sisällä", "lähellä", "edestä", "takaa", "kautta", NULL };
	if (ta->toks[j].w->poss1 || (j > 0 && text_tok_in(ta, &ta->toks[j - 1], own)))
		return SIZE_MAX;
	if (j + 1 < ta->ntoks && text_tok_in(ta, &ta->toks[j + 1], post))
		return SIZE_MAX;
	return j;
}

/* 1 if token v is a harm or wreck verb the speaker commits to (speaker_wrecks()): the verb
 * harm_to_body() and harm_to_reader() look for their object after. */
static int speaker_harms(const struct text_analyzer *ta, size_t a, size_t v, int ll)
{
	const struct text_tok *t = &ta->toks[v];
	return t->type == TT_WORD && t->w && (t->w->rule_class & (RC_HARM | RC_WRECK)) && speaker_wrecks(ta, a, v, ll);
}

/*
 * The harm verb of a threat to hurt the reader's body in sentence [a, b), or SIZE_MAX; *z is the
 * body part. A harm or wreck verb the speaker commits to (speaker_wrecks(): first person or a
 * main-clause passive, not past, not denied; English "I'll", "gonna") with a body part near it
 * that is the reader's: a second-person possessive on it ("naamasi"), "sun"/"sinun"/"your"
 * right before it, or "sulta"/"sinulta" (from you) in the clause: "katkaisen sulta sormet",
 * "rikon sun naaman", "I'll smash your teeth in". "Katkaisin sormeni" and "I'll cut my hair"
 * match nothing.
 */
static size_t harm_to_body(const struct text_analyzer *ta, size_t a, size_t b, int ll, int asks, size_t *z)
{
	/* closed grammar: the reader as owner or source */
	static const char *const yours[] = { "sun", "sinun", "your", "ur", "yer", NULL };
	static const char *const from_you[] = { "sulta", "sinulta", "sult", NULL };
	if (asks || (ll != TEXT_LL_FI && ll != TEXT_LL_EN))
		return SIZE_MAX;
	for (size_t v = a; v < b; v++) {
		if (!speaker_harms(ta, a, v, ll))
			continue;
		size_t j = class_near(ta, v, RC_BODY);
		if (j == SIZE_MAX || ta->toks[j].w->poss1)
			continue;
		int reader = (ta->toks[j].w->info.flags & TI_POSS2) || (j > a && text_tok_in(ta, &ta->toks[j - 1], yours));
		size_t ca, cb;
		clause_of(ta, v, &ca, &cb);
		for (size_t k = ca; k < cb && !reader; k++)
			reader = ta->toks[k].type == TT_WORD && text_tok_in(ta, &ta->toks[k], from_you);
		if (reader) {
			*z = j > v ? j : v;
			return j > v ? v : j;
		}
	}
	return SIZE_MAX;
}

/*
 * The harm verb of a threat to hurt the reader, sentence [a, b), or SIZE_MAX; *z is the reader's
 * pronoun. A harm or wreck verb the speaker commits to (speaker_wrecks()) with the reader as its
 * object right after it, or after one particle: "mätkin sua", "tönäisen sut portaista alas",
 * "tyrmään sut", "I'll smash you", "I'll knock you out", "I'll batter you". "Tyrmään sen
 * ehdotuksen", "I'll smash the old phone" and "I'll burn you a CD" (a second object, an errand)
 * match none; harm_to_body() has the reader's body parts.
 */
static size_t harm_to_reader(const struct text_analyzer *ta, size_t a, size_t b, int ll, int asks, size_t *z)
{
	/* closed grammar: the reader as an object */
	static const char *const you_obj[] = { "sut", "sinut", "sua", "sinua", "teidät", "teitä", "you", "ya", "u", NULL };
	static const char *const particle[] = { "vielä", "kyllä", "vaan", "vain", "just", "really", "totally", NULL };
	/* "I'll smash you at tennis", "pelissä mä tyrmään sut": a game */
	if (asks || fiction_setting(ta, a, b))
		return SIZE_MAX;
	for (size_t v = a; v < b; v++) {
		if (!speaker_harms(ta, a, v, ll))
			continue;
		size_t j = next_word(ta, v, b);
		if (j < b && text_tok_in(ta, &ta->toks[j], particle))
			j = next_word(ta, j, b);
		if (j >= b || !text_tok_in(ta, &ta->toks[j], you_obj))
			continue;
		/* "I'll burn you a CD", "smash you a deal": a second object sends something */
		size_t n = next_word(ta, j, b);
		if (ll == TEXT_LL_EN && n < b && is_article(ta->toks[n].w))
			continue;
		*z = j;
		return v;
	}
	return SIZE_MAX;
}

/*
 * The first token of a threat to wreck the reader's premises or to arrive armed in the sentence
 * [a, b) (not a question), or SIZE_MAX; *z is its last token. Two patterns:
 *  - the speaker wrecks premises: a wreck verb the speaker commits to, done to a premises word
 *    ("hajotan paikat", "räjäytän koko firman", "poltetaan koko kauppa", "I'll smash your office");
 *  - the speaker's arrival with menace: "tulen / tuun / I'm coming" and a weapon next to "kanssa",
 *    "mukana" or "with" ("tulen sinne pesäpallomailan kanssa", "I'm coming with a bat"), or "ja" /
 *    "and" and then a wreck or violent verb ("tuun sinne ja hajotan", "tuun käymään ja sit
 *    rytisee", "I'll come there and smash everything"), or "odota vaan" / "saatte nähdä" in the
 *    sentence ("odota vaan kun tuun sinne").
 * "Tulen käymään huomenna klo 10", "I'm coming to your office to pick up my order", "hajotin
 * puhelimen vahingossa", "the update broke everything" match neither.
 */
static size_t menace_at(const struct text_analyzer *ta, size_t a, size_t b, int ll, int asks, size_t *z)
{
	/* closed grammar: "with", "and", the comitative postpositions and the waiting words */
	static const char *const along[] = { "kanssa", "mukana", "mukanani", "mukaan", "with", NULL };
	static const char *const and_w[] = { "ja", "and", NULL };
	static const char *const just[] = { "vaan", "vain", "vaa", NULL };
	static const char *const see[] = { "saatte", "saat", NULL };
	static const char *const whole[] = { "kaikki", "kaiken", "koko", "all", "it", NULL };
	if (asks || (ll != TEXT_LL_FI && ll != TEXT_LL_EN))
		return SIZE_MAX;
	for (size_t v = a; v < b; v++) {
		const struct text_tok *t = &ta->toks[v];
		if (t->type != TT_WORD || !t->w || !(t->w->rule_class & RC_WRECK) || !speaker_wrecks(ta, a, v, ll) ||
		    (ll == TEXT_LL_FI && violent_idiom(ta, b, v))) /* "poltan tupakkaa toimiston edessä" */
			continue;
		size_t p = wrecked_premises(ta, v);
		if (p != SIZE_MAX) {
			*z = p > v ? p : v;
			return p > v ? v : p;
		}
	}
	size_t arr = SIZE_MAX;
	for (size_t i = a; i < b && arr == SIZE_MAX; i++)
		if (speaker_arrives(ta, a, i, ll))
			arr = i;
	if (arr == SIZE_MAX)
		return SIZE_MAX;
	int waiting = 0;
	for (size_t j = a; j < b; j++) {
		const struct text_tok *p = &ta->toks[j];
		if (p->type != TT_WORD || !p->w)
			continue;
		size_t n = next_word(ta, j, b);
		int wait_just = (p->w->rule_class & RC_WAIT) && (p->w->info.flags & TI_IMPER) && n < b &&
				text_tok_in(ta, &ta->toks[n], just);
		if (wait_just || (n < b && text_tok_in(ta, p, see) && text_tok_is(ta, &ta->toks[n], "nähdä")))
			waiting = 1;
		if (j <= arr)
			continue;
		/* a weapon brought along: "mailan kanssa", "mukana puukko", "with a bat" */
		if (p->w->rule_class & RC_WEAPON) {
			int with = n < b && text_tok_in(ta, &ta->toks[n], along);
			for (size_t k = j, seen = 0; k-- > arr && seen < 3 && !with;) {
				if (ta->toks[k].type != TT_WORD || !ta->toks[k].w)
					continue;
				seen++;
				with = text_tok_in(ta, &ta->toks[k], along);
			}
			if (with) {
				*z = j;
				return arr;
			}
		}
		/* "ja (sit) hajotan", "and smash": a wreck or violent verb within two words after "ja" */
		if (text_tok_in(ta, p, and_w))
			for (size_t k = n, seen = 0; k < b && seen < 2; k = next_word(ta, k, b), seen++) {
				const struct text_word *w = ta->toks[k].w;
				if ((w->info.flags & (TI_PAST | TI_COND | TI_NONFIN)) || thing_target(ta, k))
					continue;
				/* a wreck verb wrecks the place, everything, or is said alone ("ja sit
				 * rytisee"); "poltetaan saunassa" (smoke) is none */
				size_t after = k + 1, ca, cb;
				clause_of(ta, k, &ca, &cb);
				while (after < cb && (ta->toks[after].type != TT_WORD || !ta->toks[after].w))
					after++;
				int wreck = (w->rule_class & RC_WRECK) &&
					    (wrecked_premises(ta, k) != SIZE_MAX || after >= cb ||
					     text_tok_in(ta, &ta->toks[after], whole));
				if (wreck || (!(w->rule_class & RC_WRECK) && w->info.abuse[TA_THREAT] > 0)) {
					*z = k;
					return arr;
				}
			}
	}
	if (waiting) {
		*z = arr;
		return arr;
	}
	return SIZE_MAX;
}

/* Sixteenth pass (b), Finnish sentiment. */

/* 1 if the Finnish sentence [a, b) exhorts with the passive and addresses nobody: "Mennään!",
 * "Nähdään!", "Aloitetaan!" ("let's go", "see you") are the speaker's own plans, not an angry
 * command (voikko's passive is TI_IMPER without TI_SECOND; "Menkää!", "Lopeta!" are second
 * person). */
static int fi_hortative(const struct text_analyzer *ta, size_t a, size_t b)
{
	int hort = 0;
	for (size_t i = a; i < b; i++) {
		const struct text_tok *t = &ta->toks[i];
		if (t->type != TT_WORD || !t->w)
			continue;
		if (t->w->info.flags & TI_SECOND)
			return 0;
		hort |= (t->w->info.flags & TI_IMPER) != 0;
	}
	return hort;
}

/* 1 if w is an imperative of "odottaa" addressed to the reader ("Odota!", "Odottakaa hetki",
 * "odotas"): a request to wait, not the complaint "olen odottanut viikon" the word's valence is
 * for. */
static int fi_wait_request(const struct text_word *w)
{
	return (w->info.flags & (TI_IMPER | TI_SECOND)) == (TI_IMPER | TI_SECOND) && (w->rule_class & RC_WAIT);
}

/* Eighteenth pass: English customer-service messages. */

/*
 * English: 1 if word i is said of the speaker: "I'm (not|so|such a|really) stupid", "I am not an
 * idiot", "I was so dumb", "I feel stupid" - within four words back in its clause, the speaker and
 * a copula or "feel". first_copula() knows no English first-person forms. Calling oneself names
 * ("I'm an idiot, I typed the wrong address") is no abuse of the reader, as Finnish "olen
 * idiootti" is not (reading it so cost OLID one row on each half: kept, it masked and counted a
 * customer's self-deprecation). The caller checks that no second-person word is in the sentence
 * ("I'm not the idiot here, you are").
 */
static int en_speaker_self_judged(const struct text_analyzer *ta, size_t a, size_t i)
{
	static const char *const fused[] = { "i'm", "im", NULL }; /* text_normalize() makes ’ a ' */
	static const char *const verbs[] = { "am", "was", "feel", "felt", NULL };
	int seen = 0;
	for (size_t j = i; j-- > a && seen < 4;) {
		const struct text_tok *p = &ta->toks[j];
		if (p->type == TT_CLAUSE)
			return 0;
		if (p->type != TT_WORD)
			continue;
		seen++;
		if (text_tok_in(ta, p, fused) || (text_tok_in(ta, p, verbs) && j > a && text_tok_is(ta, &ta->toks[j - 1], "i")))
			return 1;
	}
	return 0;
}

/* 1 if group word i follows the writer's own copula with nothing of abuse between them:
 * "olen homo", "oon muslimi", "I'm gay", "I am a lesbian" - the writer says who they are, it
 * is no attack on anyone. */
/* 1 if group word i follows a copula whose subject is one of the writer's own family (class
 * kin or family: "Poikani on kehitysvammainen", "Mun tytär on homo", "My son is autistic",
 * "Our daughter is gay"): the writer says who their own are, as "olen homo" says who they
 * are. "Meidän myyjä on homo" is no kin. */
static int own_family_copula(const struct text_analyzer *ta, size_t a, size_t i)
{
	static const char *const mine[] = { "mun", "minun", "meidän", "mein", "my", "our", NULL };
	size_t j = i;
	for (int seen = 0; j-- > a && seen < 2;) { /* the copula, at most one word before i */
		const struct text_tok *p = &ta->toks[j];
		if (p->type != TT_WORD || !p->w)
			return 0;
		seen++;
		if (p->w->info.flags & TI_COPULA)
			break;
		if (seen == 2)
			return 0;
	}
	if (j <= a || j == SIZE_MAX || !(ta->toks[j].w && (ta->toks[j].w->info.flags & TI_COPULA)))
		return 0;
	const struct text_tok *subj = &ta->toks[j - 1];
	if (subj->type != TT_WORD || !subj->w)
		return 0;
	if (!(subj->w->rule_class & (RC_KIN | RC_FAMILY))) /* not "meidän myyjä on homo" */
		return 0;
	if (subj->w->poss1)
		return 1; /* "poikani" */
	return j - 1 > a && text_tok_in(ta, &ta->toks[j - 2], mine);
}

static int self_identified(const struct text_analyzer *ta, size_t a, size_t i)
{
	const struct text_info *in = &ta->toks[i].w->info;
	if (in->abuse[TA_INSULT] >= 0.5f || in->abuse[TA_OBSCENE] >= 0.5f)
		return 0;
	/* not in a text with abuse words of its own: "olen homo toivo turusta" in a text full of
	 * insults mocks by impersonation */
	for (size_t j = 0; j < ta->ntoks; j++) {
		const struct text_word *w = ta->toks[j].w;
		if (ta->toks[j].type == TT_WORD && w && w->info.idgroup == 0 &&
		    (w->info.abuse[TA_INSULT] >= 0.5f || w->info.abuse[TA_OBSCENE] >= 0.5f || w->info.abuse[TA_THREAT] >= 0.5f))
			return 0;
	}
	if (ta->lang == TEXT_LANG_EN)
		return en_speaker_self_judged(ta, a, i) || own_family_copula(ta, a, i);
	return (first_copula(ta, a, i) && !flags_before(ta, a, i, TI_NEGATOR | TI_SECOND, 0, 0, 1)) ||
	       own_family_copula(ta, a, i);
}

/*
 * English: 1 if obscene word i intensifies the speaker's own state: "I'm so fucking tired of
 * calling you", "I am really fucking done with this" - "so", "too" or "really" right before it,
 * the speaker before that in its clause (en_speaker_self_judged()), and the next word no abuse
 * word and no "you". The "you" later in the sentence is then no one being sworn at.
 */
static int en_self_intensifier(const struct text_analyzer *ta, size_t a, size_t b, size_t i)
{
	static const char *const degree[] = { "so", "too", "really", NULL };
	if (i <= a + 1 || !text_tok_in(ta, &ta->toks[i - 1], degree))
		return 0;
	size_t n = next_word(ta, i, b);
	if (n < b && ta->toks[n].w) {
		const float *ab = ta->toks[n].w->info.abuse;
		if (ab[TA_INSULT] > 0 || ab[TA_OBSCENE] > 0 || ab[TA_THREAT] > 0 || ab[TA_IDENTITY] > 0 ||
		    (ta->toks[n].w->info.flags & TI_SECOND))
			return 0;
	}
	return en_speaker_self_judged(ta, a, i - 1);
}

/*
 * 1 if sentence [a, b) opens by calling the reader a name: an insult word first in it, or after
 * an interjection ("voi", "hei", "kuule", "hey", "oi", "listen"), followed by a comma ("Voi
 * tollo, mä kysyin ihan eri asiaa", "Hei hölmö, sanoin jo", "Hey idiot, read my email"). A
 * vocative needs no "you" of its own, like the bare "Idiootti!" of three words or fewer.
 */
static int vocative_insult(const struct text_analyzer *ta, size_t a, size_t b)
{
	static const char *const interj[] = { "voi", "hei", "kuule", "kuulkaa", "hey", "oi", "oy", "listen", NULL };
	size_t i = a;
	while (i < b && ta->toks[i].type != TT_WORD)
		i++;
	if (i < b && ta->toks[i].w && text_tok_in(ta, &ta->toks[i], interj))
		i++;
	if (i >= b || i + 1 >= b || ta->toks[i].type != TT_WORD || !ta->toks[i].w)
		return 0;
	const struct text_info *in = &ta->toks[i].w->info;
	/* a slur as the address too: "Homo, en halua että sä käsittelet mun asiaa" */
	return (in->abuse[TA_INSULT] >= 0.5f || (in->abuse[TA_IDENTITY] >= 0.3f && !(in->flags & TI_PLURAL))) &&
	       ta->toks[i + 1].type == TT_CLAUSE; /* (a plural opens a list: "Homot, lesbot ja bit ...") */
}

/* English: 1 if token i is the -ly adverb of a negative or insulting word used as a degree
 * word before a positive word ("insanely good", "ridiculously tasty"): for the sentiment it
 * boosts that word and is not negative itself. (The abuse rules still count its insult
 * evidence: skipping it there cost OLID half B a tweet.) */
static int en_degree_adverb(const struct text_analyzer *ta, size_t b, size_t i)
{
	const struct text_tok *t = &ta->toks[i];
	if (ta->lang != TEXT_LANG_EN || t->type != TT_WORD || !t->w || t->norm_len < 5 || i + 1 >= b)
		return 0;
	const char *n = ta->scratch + t->norm_off;
	if (n[t->norm_len - 2] != 'l' || n[t->norm_len - 1] != 'y')
		return 0;
	if (!(t->w->info.valence < 0 || t->w->info.abuse[TA_INSULT] > 0))
		return 0;
	const struct text_tok *q = &ta->toks[i + 1];
	return q->type == TT_WORD && q->w && (q->w->info.flags & TI_HASVAL) && q->w->info.valence > 0;
}

/* English: 1 if token i is a clinical word for a sexual body part that the writer says is their
 * own ("my penis", "my vagina hurts"): a patient describing a symptom, not obscenity. Other
 * possessives keep it ("your penis"; tweets use it as an insult). */
static int en_own_body(const struct text_analyzer *ta, size_t a, size_t i)
{
	const struct text_tok *t = &ta->toks[i];
	if (ta->lang != TEXT_LANG_EN || !t->w || !(t->w->rule_class & RC_CLINICAL) || i == a)
		return 0;
	const struct text_tok *p = &ta->toks[i - 1];
	return p->type == TT_WORD && p->w && text_tok_is(ta, p, "my");
}

/* 1 if token i is a word with an everyday sense beside its abusive one (class dual_sense: the
 * breeder's "narttu" and "bitch", the rooster, the cat, the bird, a dish) in sentence [a, b)
 * that has a word of that everyday world (class sense_context: "pentui", "spay", "chickens",
 * "cat", "feeder", "peas"): "Meidän narttu pentui eilen", "Should we vaccinate the cock if we
 * keep chickens?". It is then no insult, obscenity or slur. The context is the sentence's
 * words, not the sense of each: "Olet narttu" and "You are a bitch" have none. */
/* 1 if token i is a capitalised name that is also an abusive word (class given_name: "Dick",
 * "Fanny", "Butt") after a greeting or a title: "Hi Dick, thanks for the quote", "Is Dr. Butt
 * in on Tuesday?". "Hey Idiot," is no name; "hi dick" in lower case is not one either. The
 * greetings and titles are a closed set, matched as written. */
static int greeted_name(const struct text_analyzer *ta, size_t i)
{
	static const char *const before[] = { "hi", "hello", "hey", "dear", "dr", "mr", "mrs", "ms", "miss", "hei",
					      "moi", "moikka", "terve", "herra", "rouva", "tohtori", NULL };
	const struct text_tok *t = &ta->toks[i];
	if (!(t->flags & TF_CAPITAL) || !t->w || !(t->w->rule_class & RC_GIVEN_NAME))
		return 0;
	/* a Finnish surname next: "tässä Urpo Virtanen" (the -nen of most surnames) */
	if (i + 1 < ta->ntoks && (ta->toks[i + 1].flags & TF_CAPITAL) && ta->toks[i + 1].type == TT_WORD &&
	    ta->toks[i + 1].norm_len > 4 &&
	    !memcmp(ta->scratch + ta->toks[i + 1].norm_off + ta->toks[i + 1].norm_len - 3, "nen", 3))
		return 1;
	/* back over at most two non-words, past the sentence: "Dr." ends one */
	size_t j = i;
	while (j > 0 && i - j < 2 && ta->toks[j - 1].type != TT_WORD)
		j--;
	return j > 0 && text_tok_in(ta, &ta->toks[j - 1], before);
}

/* 1 if token i is a capitalised word that names a street or a road with the next word
 * ("Cumming Street", "Cox Road", "Kusikatu" is one word and not this): an address, no abuse. */
static int street_name(const struct text_analyzer *ta, size_t i)
{
	static const char *const street[] = { "street", "st", "road", "rd", "avenue", "ave", "lane", "drive", "close",
					      "way", "square", "katu", "tie", "kuja", "polku", "raitti", NULL };
	const struct text_tok *t = &ta->toks[i];
	if (!(t->flags & TF_CAPITAL) || i + 1 >= ta->ntoks)
		return 0;
	const struct text_tok *n = &ta->toks[i + 1];
	return n->type == TT_WORD && (n->flags & TF_CAPITAL) && text_tok_in(ta, n, street);
}

static int everyday_sense(const struct text_analyzer *ta, size_t a, size_t b, size_t i)
{
	const struct text_tok *t = &ta->toks[i];
	if (!t->w || !(t->w->rule_class & RC_DUAL_SENSE))
		return 0;
	for (size_t j = a; j < b; j++)
		if (ta->toks[j].type == TT_WORD && ta->toks[j].w && (ta->toks[j].w->rule_class & RC_SENSE_CONTEXT))
			return 1;
	return 0;
}


/* Finnish: 1 if token i is the spoken "et" for "että" after a verb of wishing or saying
 * ("toivon et saat", "sanoin et") or after "niin" and a word ("niin surkee et"), not the
 * negation "et" ("toivottavasti et kuole"). */
static int fi_et_that(const struct text_analyzer *ta, size_t a, size_t i)
{
	if (i == a || !text_tok_is(ta, &ta->toks[i], "et"))
		return 0;
	/* "toivon et kuole siihen": the connegative after it makes it the negation */
	const struct text_tok *n = i + 1 < ta->ntoks && ta->toks[i + 1].type == TT_WORD ? &ta->toks[i + 1] : NULL;
	if (n && n->w && (n->w->info.flags & TI_CONNEG))
		return 0;
	const struct text_tok *p = &ta->toks[i - 1];
	/* "oot niin surkee et kannattais...": "so bad that" */
	if (i >= a + 2 && (text_tok_is(ta, &ta->toks[i - 2], "niin") || text_tok_is(ta, &ta->toks[i - 2], "nii")))
		return 1;
	return p->type == TT_WORD && p->w && (LEMMA_IS(p, "toivoa") || (p->w->rule_class & RC_SPEECH));
}

/*
 * A wish of death on the reader or someone of theirs, in other words than the listed phrases:
 * a wish word (class wish: "toivottavasti", "toivon", "hope"), a word of killing or dying, and
 * a second-person word in sentence [a, b), with no negation ("Toivottavasti koko sun perhe
 * kuolee", "I hope your whole family dies"; not "Toivottavasti isäsi ei kuole", "I hope your
 * dog didn't die"). A killing word a threat or severe phrase already covers is left to it.
 * Returns the killing word's token, or SIZE_MAX.
 */
static size_t death_wish(const struct text_analyzer *ta, size_t a, size_t b)
{
	int wish = 0, you = 0;
	size_t kill = SIZE_MAX;
	for (size_t i = a; i < b; i++) {
		const struct text_tok *t = &ta->toks[i];
		if (t->type != TT_WORD || !t->w)
			continue;
		if ((t->w->info.flags & TI_NEGATOR) || (t->flags & TF_NT) || text_tok_in(ta, t, neg_that_fi))
			return SIZE_MAX;
		wish |= (t->w->rule_class & RC_WISH) != 0;
		you |= (t->w->info.flags & TI_SECOND) != 0;
		if ((t->w->rule_class & RC_KILLING) && kill == SIZE_MAX)
			kill = i;
	}
	if (!wish || !you || kill == SIZE_MAX || fiction_setting(ta, a, b))
		return SIZE_MAX;
	/* "I hope you die laughing", "...kuolet nauruun"; "your cancer treatment", "the flu shot":
	 * the word a noun before another, or after one */
	{
		static const char *const calm[] = { "laughing", "old", "happy", "peacefully", "nauruun", "vanhana",
						    "onnellisena", "kivuttomasti", "rauhassa", "rauhallisesti", "unissaan",
						    "kotona", NULL };
		const struct text_tok *nx = kill + 1 < b ? &ta->toks[kill + 1] : NULL;
		const struct text_tok *pv = kill > a ? &ta->toks[kill - 1] : NULL;
		if (nx && (text_tok_in(ta, nx, calm) ||
			   ((ta->toks[kill].w->rule_class & RC_AFFLICTION) && nx->type == TT_WORD && nx->w &&
			    (nx->w->info.flags & TI_CONTENT))))
			return SIZE_MAX;
		if (pv && pv->w && text_tok_is(ta, &ta->toks[kill], "shot") && (pv->w->info.flags & TI_CONTENT) &&
		    !(pv->w->info.flags & (TI_SECOND | TI_PERSON)))
			return SIZE_MAX;
		/* "sun koira saa kuolla kivuttomasti": allowed to die, or an animal dying */
		if (pv && (LEMMA_IS(pv, "saada") || (pv->w && (pv->w->rule_class & (RC_ANIMAL | RC_VERMIN)))))
			return SIZE_MAX;
		for (size_t j = a; j < kill; j++)
			if (ta->toks[j].w && (ta->toks[j].w->rule_class & (RC_ANIMAL | RC_VERMIN)))
				return SIZE_MAX;
	}
	for (size_t k = 0; k < ta->nmatches; k++) {
		const struct text_match *m = &ta->matches[k];
		if ((m->kind == TEXT_LK_THREAT || m->kind == TEXT_LK_SEVERE) && m->start <= ta->toks[kill].start &&
		    ta->toks[kill].end <= m->end)
			return SIZE_MAX;
	}
	return kill;
}

/* 1 if sentence [a, b) names a person or people: a person word or a name; in Finnish also a
 * second-person word that is not the imperative giving the order ("Tappakaa tämä tilaus"
 * names no one). */
static int people_in(const struct text_analyzer *ta, size_t a, size_t b, int ll)
{
	for (size_t j = a; j < b; j++) {
		const struct text_tok *p = &ta->toks[j];
		if (ll == TEXT_LL_EN ? en_person_tok(p, j > a)
				     : p->type == TT_WORD && p->w &&
					       ((((p->w->info.flags & (TI_SECOND | TI_POSS2)) &&
						  !(p->w->info.flags & TI_IMPER))) ||
						(p->w->info.flags & TI_PERSON) || person_shaped(p->w) || sing2_pronoun(ta, j)))
			return 1;
	}
	return 0;
}

/* 1 if sentence [a, b) names people by a word for them (a person noun, a name, a person
 * word that is not only a pronoun, nor a word for vermin): "Ne" alone may be rats, and
 * "russakka" is a cockroach as well as a slur. */
static int person_word_in(const struct text_analyzer *ta, size_t a, size_t b, int ll)
{
	for (size_t j = a; j < b; j++) {
		const struct text_tok *p = &ta->toks[j];
		if (p->w && (p->w->rule_class & RC_VERMIN))
			continue;
		if (ll == TEXT_LL_EN ? en_person_tok(p, j > a) && !(p->w && (p->w->info.flags & TI_FUNC))
				     : p->type == TT_WORD && p->w && !(p->w->info.flags & TI_FUNC) &&
					       (person_shaped(p->w) || (p->w->info.flags & TI_PERSON)))
			return 1;
	}
	return 0;
}

/* 1 if sentence [a, b) has a word for a group of people that is not itself a word for vermin
 * ("russakka" is both a cockroach and a slur). */
static int group_word_in(const struct text_analyzer *ta, size_t a, size_t b)
{
	for (size_t j = a; j < b; j++) {
		const struct text_word *w = ta->toks[j].w;
		if (ta->toks[j].type == TT_WORD && w && w->info.idgroup > 0 && !(w->rule_class & RC_VERMIN))
			return 1;
	}
	return 0;
}

/* A word of class vermin in sentence [a, b) that carried insult evidence, said of someone by
 * a copula ("ootte kaikki pelkkiä rottia", "they're cockroaches") or as a short call ("Senkin
 * syöpäläinen!"), or SIZE_MAX. "Loiset voivat levitä ihmiseen" says nothing of anyone. */
static size_t vermin_called(const struct text_analyzer *ta, size_t a, size_t b)
{
	int copula = 0, words = 0;
	for (size_t j = a; j < b; j++)
		if (ta->toks[j].type == TT_WORD && ta->toks[j].w) {
			words++;
			copula |= (ta->toks[j].w->info.flags & TI_COPULA) != 0;
		}
	if (!copula && words > 3)
		return SIZE_MAX;
	for (size_t j = a; j < b; j++) {
		const struct text_tok *t = &ta->toks[j];
		if (t->type == TT_WORD && t->w && (t->w->rule_class & RC_VERMIN) && t->ev >= 0.45f &&
		    (t->ev_cat == TEXT_ABUSE_INSULT || t->ev_cat == TEXT_ABUSE_IDENTITY))
			return j;
	}
	return SIZE_MAX;
}

/*
 * Finnish: a call to execute people without a verb, by the place it sends them to: "kaikki
 * poliitikot hirteen", "sun kaltaset kuuluu kaasukammioon", "Juutalaiset uuniin" (the oven only
 * with a group word: "kakku uuniin"), "pitäis roikkua lyhtypylväässä", "kuuluu mullan alle", in a
 * sentence that is not asked or denied. Returns the
 * place's token, or SIZE_MAX; the caller checks that people are named.
 */
static size_t fi_execution_call(const struct text_analyzer *ta, size_t a, size_t b, int asks, float idgroup)
{
	static const char *const places[] = { "hirteen", "kaasukammioon", "kaasukammioihin", "roviolle",
					      "hirsipuuhun", "lyhtypylvääseen", "lyhtypylväisiin", "lyhtypylväässä",
					      "hirressä", NULL };
	static const char *const funerals[] = { "vainaja", "tuhka", "arkku", "uurna", "siunaus", "hauta", "ruumis",
						"kukkasipuli", "sipuli", "siemen", "taimi", NULL };
	if (asks)
		return SIZE_MAX;
	int funeral = 0;
	for (size_t j = a; j < b; j++) {
		const struct text_tok *t = &ta->toks[j];
		for (int f = 0; t->w && funerals[f]; f++)
			funeral |= lemma_is(t, funerals[f], strlen(funerals[f]));
	}
	for (size_t j = a; j < b; j++) {
		const struct text_tok *t = &ta->toks[j];
		if (t->type != TT_WORD || negated_before(ta, j))
			continue;
		/* "vangit roikkuivat hirressä": a past verb just before, history, not a call ("Toi
		 * Marinin pitäis roikkua", where "toi" also reads as the past of "tuoda", is one) */
		int past = 0;
		for (size_t k = (j > a + 2 ? j - 2 : a); k < j; k++)
			past |= ta->toks[k].w && (ta->toks[k].w->info.flags & TI_PAST);
		if (text_tok_in(ta, t, places) || (idgroup > 0 && text_tok_is(ta, t, "uuniin")))
			return past ? SIZE_MAX : j;
		/* "hallituksen jäsenet kuuluu mullan alle": buried ("kukkasipulit kuuluu mullan alle"
		 * names no people, the caller checks; "vainaja kuuluu mullan alle" is a funeral) */
		if (j > a && text_tok_is(ta, t, "alle") && text_tok_is(ta, &ta->toks[j - 1], "mullan"))
			return past || funeral ? SIZE_MAX : j;
	}
	return SIZE_MAX;
}

/* 1 if sentence [a, b) speaks of animals or pests and names no people but by third-person
 * pronouns ("Rotat pitää tappaa ennen kuin ne pääsevät sisälle", "Torakat pitäisi tappaa
 * myrkyllä"; not "You should be put down like a dog"). */
static int pests_only(const struct text_analyzer *ta, size_t a, size_t b, int ll)
{
	int animal = 0, you = 0;
	for (size_t j = a; j < b; j++) {
		animal |= ta->toks[j].w && (ta->toks[j].w->rule_class & (RC_ANIMAL | RC_VERMIN));
		you |= ta->toks[j].w && (ta->toks[j].w->info.flags & TI_SECOND); /* "put down like a dog" */
	}
	return animal && !you && !person_word_in(ta, a, b, ll) && !group_word_in(ta, a, b);
}

/* 1 if the word of killing or rape at token k (sentence ends before b) is done to a thing: the
 * word after it (past a demonstrative or an article) is a noun for a thing, in Finnish in the
 * nominative, the object's case here ("Teidän pitäis ampua se tuote alas", "shoot the product
 * down"; not "ampua rajalle", at the border). */
static int killing_of_thing(const struct text_analyzer *ta, size_t k, size_t b, int ll)
{
	static const char *const dets[] = { "se", "tämä", "tuo", "toi", "tää", "ne", "nämä", "noi", "nää", "the",
					    "this", "that", "these", "those", "a", "an", "your", NULL };
	size_t j = k + 1;
	if (j < b && text_tok_in(ta, &ta->toks[j], dets))
		j++;
	const struct text_tok *o = j < b ? &ta->toks[j] : NULL;
	return o && o->type == TT_WORD && o->w &&
	       (ll == TEXT_LL_EN ? en_thing_word(ta, o)
				 : (o->w->info.flags & (TI_CONTENT | TI_NOMINAL)) == (TI_CONTENT | TI_NOMINAL) &&
					   !(o->w->info.flags & (TI_PERSON | TI_ADJ | TI_FUNC)) &&
					   !person_shaped(o->w) && o->w->info.idgroup <= 0 && o->w->info.abuse[TA_INSULT] <= 0);
}

/* 1 if a word of killing or rape in sentence [a, b) is not done to a thing. */
static int killing_of_people(const struct text_analyzer *ta, size_t a, size_t b, int ll)
{
	for (size_t k = a; k < b; k++) {
		const struct text_tok *t = &ta->toks[k];
		if (t->type == TT_WORD && t->w && (t->w->rule_class & RC_KILLING) && !killing_of_thing(ta, k, b, ll))
			return 1;
	}
	return 0;
}


/*
 * Finnish: dying wished on someone by the verb's own form, in a sentence [a, b) that asks
 * nothing and where the verb is not denied (red team 10, "kuolla" in the forms other than a
 * plain statement):
 * - an order: "Kuole!", "kuolkaa kaikki" (the second-person imperative; not the passive);
 * - a second-person conditional: "kuolisit vaan pois", "saisitte kuolla" is below;
 * - an optative past: "olisitpa kuollut synnytyksessä";
 * - the infinitive after a verb of ought or desert, with at most two particles between: "sun
 *   pitäis vaan kuolla", "ansaitset kuolla", "saisitte kuolla tuskissanne"; after "vois(i)"
 *   only with "pois" (dying off, wished: "vanhukset vois kuolla pois"), since "joku voisi
 *   kuolla tämän takia" is a complaint about danger.
 * Returns the verb's token, or SIZE_MAX.
 */
static size_t fi_death_call(const struct text_analyzer *ta, size_t a, size_t b, int asks)
{
	static const char *const ought[] = { "pitäis", "pitäisi", "pitäs", "pitäisit", "kuuluis", "kuuluisi",
					     "saisit", "saisitte", "ansaitset", "ansaitsette", "ansaitsisit",
					     "ansaitsisitte", "ansaitsee", "ansaitsis", "ansaitsisi", NULL };
	static const char *const could[] = { "vois", "voisi", "voisit", "voisitte", "voisivat", NULL };
	static const char *const particles[] = { "vaan", "vain", "jo", "nyt", "kaikki", "vihdoin", "pian",
						 "kerrankin", "ihan", "vihdoinkin", NULL };
	static const char *const optative[] = { "olisitpa", "olisitte", "olisitpas", "oisitpa", "olisit", NULL };
	static const char *const own[] = { "mun", "minun", "mä", "minä", "mää", "mie", "meidän", "meiän", "me", NULL };
	static const char *const ifs[] = { "jos", "jollei", "ellei", "kun", "koska", "mikäli", NULL };
	/* dying of laughter, boredom, shame, envy: hyperbole, not a wish ("kuole kateudesta") */
	static const char *const of_what[] = { "nauruun", "tylsyyteen", "häpeään", "häpeästä", "kateudesta",
					       "kateuteen", "ikävään", "uteliaisuuteen", "jännitykseen", "onnellisena",
					       "vanhana", "nuorena", NULL };
	/* "Tee tai kuole", "Kuole ja synny uudestaan, sanoo pelin ohje" */
	if (asks || fiction_setting(ta, a, b))
		return SIZE_MAX;
	int own_say = 0, cond = 0; /* "mun pitäis kuolla", "jos lämmitys ei toimi" */
	for (size_t k = a; k < b; k++) {
		own_say |= text_tok_in(ta, &ta->toks[k], own);
		cond |= text_tok_in(ta, &ta->toks[k], ifs);
	}
	for (size_t i = a; i < b; i++) {
		const struct text_tok *t = &ta->toks[i];
		int dying = LEMMA_IS(t, "kuolla"), dead = LEMMA_IS(t, "kuoltu");
		/* "Hukkuisit omaan oksennukseesi", "tukehdu!": dying by drowning or choking, wished */
		if ((LEMMA_IS(t, "hukkua") || LEMMA_IS(t, "tukehtua")) && (t->w->info.flags & TI_SECOND) &&
		    (t->w->info.flags & (TI_IMPER | TI_COND)) && !negated_before(ta, i) && !own_say && !cond) {
			/* in one's own vomit or blood, or beside a curse; not "tuossa savussa
			 * tukehtuisit", not "tukehdu vaikka kakkuun, hyvää synttäriä" */
			int curse = i + 1 < b && (text_tok_is(ta, &ta->toks[i + 1], "omaan") ||
						  text_tok_is(ta, &ta->toks[i + 1], "omaas"));
			for (size_t k = a; k < b && !curse; k++)
				curse = ta->toks[k].ev > 0 && (ta->toks[k].ev_cat == TEXT_ABUSE_INSULT ||
							       ta->toks[k].ev_cat == TEXT_ABUSE_OBSCENITY);
			if (curse)
				return i;
		}
		if ((!dying && !dead) || negated_before(ta, i) || conneg_after_negator(ta, a, i) ||
		    (i + 1 < b && text_tok_in(ta, &ta->toks[i + 1], of_what)) ||
		    (i > a && text_tok_is(ta, &ta->toks[i - 1], "tai")))
			continue;
		/* "Toivon ettei isoisä kuole yksin": "ettei" negates the connegative after it */
		int neg_that = 0;
		for (size_t k = (i > a + 3 ? i - 3 : a); k < i; k++)
			neg_that |= text_tok_in(ta, &ta->toks[k], neg_that_fi);
		if (neg_that)
			continue;
		uint32_t f = t->w->info.flags;
		if (dying && (f & TI_SECOND) && (f & (TI_IMPER | TI_COND)))
			return i;
		if (dead && i > a && text_tok_in(ta, &ta->toks[i - 1], optative))
			return i;
		if (!dying || !text_tok_is(ta, t, "kuolla"))
			continue;
		size_t j = i;
		for (int skipped = 0; j > a && skipped <= 2; skipped++) {
			const struct text_tok *p = &ta->toks[j - 1];
			if (text_tok_in(ta, p, ought))
				return negated_before(ta, j - 1) || own_say ? SIZE_MAX : i;
			if (text_tok_in(ta, p, could) && !cond && !own_say) {
				for (size_t k = i + 1; k < b; k++)
					if (text_tok_is(ta, &ta->toks[k], "pois"))
						return negated_before(ta, j - 1) ? SIZE_MAX : i;
				break;
			}
			if (!text_tok_in(ta, p, particles))
				break;
			j--;
		}
	}
	return SIZE_MAX;
}

/* What the severe constructions below (severe_rules[]) are told of their sentence. */
struct severe_cx {
	int ll;        /* TEXT_LL_FI or TEXT_LL_EN */
	int asks;      /* the sentence asks */
	int second;    /* a second-person word */
	int addressed; /* a second-person word other than an imperative verb */
	/* facts of the whole text, found at most once per analysis (a rule that asked them of
	 * every sentence made 2,600 "Why are you still alive?" quadratic): -1 not yet known */
	int *text_fiction, *text_playful;
};

/* 1 if sentence [a, i) has a word that makes what follows a condition or a time, not a wish:
 * "jos isä kuolee", "ennen kuin hän kuolee", "if my husband dies", "before anyone dies". */
static int condition_before(const struct text_analyzer *ta, size_t a, size_t i)
{
	static const char *const cond[] = { "jos", "kun", "ennen", "mikäli", "kunnes", "jollei", "ellei", "if",
					    "before", "when", "once", "until", "unless", "after", "whether", NULL };
	for (size_t j = a; j < i; j++)
		if (text_tok_in(ta, &ta->toks[j], cond))
			return 1;
	return 0;
}

/* 1 if token t names a person: the reader, a person word or a name, a word of family or kin,
 * or a word of abuse ("se pedofiilipappi"). */
static int person_ish(const struct text_tok *t, int not_first, int ll)
{
	if (t->type != TT_WORD || !t->w)
		return ll == TEXT_LL_EN && t->type == TT_MENTION;
	const struct text_word *w = t->w;
	/* "Toivottavasti luteet kuolee", "I hope the rats die": pests, though their names insult */
	if (w->rule_class & (RC_VERMIN | RC_ANIMAL))
		return 0;
	if ((w->info.flags & (TI_SECOND | TI_PERSON)) || (w->rule_class & (RC_FAMILY | RC_KIN | RC_PERSON_NOUN)) ||
	    (w->info.abuse[TA_INSULT] > 0 && t->ev > 0) || w->info.idgroup > 0)
		return 1;
	return ll == TEXT_LL_EN ? en_person_tok(t, not_first) : person_shaped(w);
}

/* 1 if the verb at token i is said of a person: itself in the second person ("kuolet"), or the
 * nearest word before it, past particles, adverbs, auxiliaries and function words, names one
 * ("se pedofiilipappi kuolee", "the senator dies", "he gets shot"); "the wind dies down", "the
 * battery dies" and "sun hahmo kuolee" (a game character) are not. */
static int said_of_person(const struct text_analyzer *ta, size_t a, size_t i, int ll)
{
	static const char *const skip[] = { "vaan", "vain", "jo", "pian", "vihdoin", "vihdoinkin", "nyt", "kerrankin",
					    "vielä", "ihan", "koko", "just", "finally", "slowly", "already", "really",
					    "gets", "get", "got", "will", "would", "could", "ja", "and", NULL };
	static const char *const pronoun[] = { "se", "hän", "ne", "he", "she", "they", "him", "her", "them", NULL };
	if (ta->toks[i].w && (ta->toks[i].w->info.flags & TI_SECOND))
		return 1;
	for (size_t j = i, seen = 0; j-- > a && seen < 4;) {
		const struct text_tok *t = &ta->toks[j];
		if (t->type != TT_WORD || !t->w)
			continue;
		seen++;
		if (text_tok_in(ta, t, skip))
			continue;
		/* "Jari on valehteleva kusipää ja toivon et se kuolee": a pronoun for someone named
		 * before it in the sentence ("toivottavasti ne kuolee pakkasessa" may be pests) */
		if (text_tok_in(ta, t, pronoun)) {
			for (size_t k = a; k < j; k++)
				if (person_ish(&ta->toks[k], k > a, ll) && !text_tok_in(ta, &ta->toks[k], pronoun))
					return 1;
			return 0;
		}
		if (person_ish(t, j > a, ll))
			return 1;
		/* a finite verb before ("saa syövän ja kuolee"): its subject is this one's too */
		if (ll == TEXT_LL_FI && (t->w->info.flags & TI_FINITE))
			continue;
		return 0;
	}
	return 0;
}

/*
 * A wish of death or grave harm on people, beyond death_wish() (a "you" and a word of killing):
 * in sentence [a, b) that asks nothing, with a wish word (class wish: "toivottavasti", "kunpa",
 * "hope"; "haluun nähdä", "I'd love to watch") and no negation, one of these said of a person
 * (said_of_person()) and not as a condition or a time (condition_before()):
 * - dying, present or conditional, not the writer's own and not allowed ("saa kuolla kotona"),
 *   not in peace: "toivottavasti se pedofiilipappi kuolee syöpään", "kunpa Haavisto kuolis
 *   pian", "I hope the senator dies a slow painful death" (not "the wind dies down");
 * - a deadly disease (class affliction) caught and nothing after it ("Riikka saa syövän",
 *   "hope the boss gets cancer"; not "saat syövän hoidon ajoissa", "gets cancer treatment",
 *   "saavat syövän kuriin"), or wished outright on the reader ("toivon pelkkää syöpää"; not
 *   "toivon sulle paranemista syövästä");
 * - run over by a vehicle ("jäät auton alle", "get hit by a truck"; not "jäät sateenvarjon
 *   alle"), burnt ("talos palaa ja sä oot sisällä", "joku sytyttää sut tuleen", "polttaa sut
 *   elävältä"), raped ("joutuu raiskatuksi"), choked or drowned in one's own vomit or blood,
 *   killed ("hope that pedo gets stabbed"; not "the bill gets killed", not "shot by a
 *   photographer"), or something very bad befalling the reader.
 * Returns the harm's token, or SIZE_MAX.
 */
static size_t harm_wish(struct text_analyzer *ta, size_t a, size_t b, const struct severe_cx *cx)
{
	int ll = cx->ll, asks = cx->asks;
	static const char *const get_en[] = { "get", "gets", "catch", "catches", "contract", "contracts", NULL };
	static const char *const die_en[] = { "die", "dies", NULL };
	static const char *const down_en[] = { "down", "out", "off", "in", "peacefully", "painlessly", "laughing",
					      "of", "happy", "old", "at", "with", "surrounded", NULL };
	static const char *const vehicle_en[] = { "truck", "car", "bus", "train", "lorry", "tram", NULL };
	static const char *const sport_en[] = { "by", "off", "tonight", "today", "tomorrow", NULL };
	static const char *const calm_fi[] = { "rauhassa", "rauhallisesti", "kivuttomasti", "nauruun", "kateudesta",
					       "tylsyyteen", "häpeään", "unissaan", "kotona", "vanhuuteen", "vanhana",
					       "onnellisena", NULL };
	static const char *const own_en[] = { "i", "we", "i'll", "i'd", "myself", NULL };
	static const char *const bad_fi[] = { "pahaa", "kamalaa", "kauheaa", "kauheeta", "hirveää", NULL };
	/* after a disease caught: only the end, "and", "or" ("saa syövän ja kuolee") */
	static const char *const then[] = { "ja", "tai", "and", "or", "soon", "already", "from", NULL };
	static const char *const comfort_fi[] = { "paranemista", "voimia", "tsemppiä", "jaksamista", "parannusta",
						  "pikaista", "toipumista", NULL };
	static const char *const liquid_en[] = { "vomit", "blood", "own", "puke", "piss", NULL };
	static const char *const copula_fi[] = { "oot", "olet", "ootte", "olette", "on", "ovat", NULL };
	/* spoken conditionals voikko does not know; the participle seen ("nähdä sut kuolevan") */
	static const char *const dying_fi[] = { "kuolis", "kuolisit", "kuolsit", "kuolsi", "kuolisivat", "kuolevan", NULL };
	static const char *const want_fi[] = { "haluan", "haluun", "haluaisin", "haluisin", NULL };
	static const char *const optative_fi[] = { "saisitpa", "saisitpas", "jäisitpä", "kuolisitpa", "kuolisitpas",
						   "sairastuisitpa", NULL };
	static const char *const want_en[] = { "love", "like", "want", "wanna", NULL };
	static const char *const see_en[] = { "watch", "see", NULL };
	if (asks)
		return SIZE_MAX;
	int wish = 0, you = 0;
	for (size_t i = a; i < b; i++) {
		const struct text_tok *t = &ta->toks[i];
		if (t->type != TT_WORD || !t->w)
			continue;
		if ((((t->w->info.flags & TI_NEGATOR) || (t->flags & TF_NT)) && !(ll == TEXT_LL_FI && fi_et_that(ta, a, i))) ||
		    (ll == TEXT_LL_FI && text_tok_in(ta, t, neg_that_fi)))
			return SIZE_MAX;
		/* "asiakas toivoi hänen kuolevan": a wish told of, in the past, is a report */
		wish |= (t->w->rule_class & RC_WISH) && !(t->w->info.flags & TI_PAST);
		/* the optative "saisitpa", "jäisitpä" and "May you ..." wish by their form */
		wish |= ll == TEXT_LL_FI && text_tok_in(ta, t, optative_fi);
		wish |= ll == TEXT_LL_EN && i == a && text_tok_is(ta, t, "may") && i + 1 < b &&
			text_tok_is(ta, &ta->toks[i + 1], "you");
		/* "haluun nähdä sut kuolevan", "I'd love to watch you burn alive" */
		wish |= ll == TEXT_LL_FI ? i + 1 < b && LEMMA_IS(&ta->toks[i + 1], "nähdä") && text_tok_in(ta, t, want_fi)
					 : i + 2 < b && text_tok_is(ta, &ta->toks[i + 1], "to") &&
						   text_tok_in(ta, &ta->toks[i + 2], see_en) && text_tok_in(ta, t, want_en);
		you |= (t->w->info.flags & TI_SECOND) != 0;
	}
	/* "Toivottavasti Pekka kuolee pelissä", "kill them in level 3": a game or a story */
	if (!wish || fiction_setting(ta, a, b))
		return SIZE_MAX;
	/* nothing from a condition or a time on: "jos isä kuolee", "before anyone dies" */
	size_t stop = a;
	while (stop < b && !condition_before(ta, stop, stop + 1))
		stop++;
	for (size_t i = a; i < stop; i++) {
		const struct text_tok *t = &ta->toks[i];
		if (t->type != TT_WORD || !t->w)
			continue;
		const struct text_tok *next = i + 1 < b ? &ta->toks[i + 1] : NULL;
		int ends = !next || next->type != TT_WORD || text_tok_in(ta, next, then);
		/* in peace, of old age, at home: within the three words after ("kuolee pian ja
		 * kivuttomasti", "dies at home surrounded by family") */
		int calm = 0;
		for (size_t k = i + 1; k < b && k <= i + 3; k++)
			calm |= text_tok_in(ta, &ta->toks[k], ll == TEXT_LL_FI ? calm_fi : down_en);
		if (ll == TEXT_LL_FI) {
			uint32_t f = t->w->info.flags;
			/* dying: not the writer's, not past, not allowed ("saa kuolla"), not in peace */
			if ((LEMMA_IS(t, "kuolla") || text_tok_in(ta, t, dying_fi)) && !(f & (TI_FIRST | TI_PAST)) && !calm &&
			    !(i > a && LEMMA_IS(&ta->toks[i - 1], "saada")) &&
			    said_of_person(ta, a, i, ll))
				return i;
			if (t->w->rule_class & RC_AFFLICTION) {
				/* "toivon pelkkää syöpää": right after the wish, nothing after it, no comfort */
				int comfort = 0;
				for (size_t k = a; k < b; k++)
					comfort |= text_tok_in(ta, &ta->toks[k], comfort_fi);
				if (you && ends && !comfort)
					for (size_t k = (i > a + 2 ? i - 2 : a); k < i; k++)
						if (LEMMA_IS(&ta->toks[k], "toivoa"))
							return i;
				/* "saat aidsin", "Riikka saa syövän", "sairastut syöpään" */
				for (size_t k = (i > a + 2 ? i - 2 : a); k < i && ends; k++)
					if ((LEMMA_IS(&ta->toks[k], "saada") || LEMMA_IS(&ta->toks[k], "sairastua")) &&
					    !(ta->toks[k].w->info.flags & TI_PAST) && said_of_person(ta, a, k, ll))
						return i;
			}
			/* "jäät auton alle": a vehicle, not an umbrella */
			if (LEMMA_IS(t, "jäädä") && !(f & (TI_FIRST | TI_PAST)))
				for (size_t k = i + 2; k < b && k <= i + 3; k++)
					if (text_tok_is(ta, &ta->toks[k], "alle") && ta->toks[k - 1].w &&
					    (ta->toks[k - 1].w->rule_class & RC_VEHICLE))
						return i;
			/* burnt: "talos palaa ja sä oot sisällä" (not "valo palaa sisällä"), "joku
			 * polttaa sut elävältä", "joku sytyttää sut tuleen" (not "sytyttää kokon tuleen") */
			if (you && (LEMMA_IS(t, "palaa") || text_tok_is(ta, t, "palaa")))
				for (size_t k = i + 1; k + 1 < b; k++)
					if (text_tok_in(ta, &ta->toks[k], copula_fi) &&
					    text_tok_is(ta, &ta->toks[k + 1], "sisällä"))
						return i;
			/* "toivottavasti joku ajaa sun yli" */
			if (LEMMA_IS(t, "ajaa") && you && !(f & TI_PAST))
				for (size_t k = i + 1; k < b && k <= i + 3; k++)
					if (text_tok_is(ta, &ta->toks[k], "yli") && ta->toks[k - 1].w &&
					    (ta->toks[k - 1].w->info.flags & TI_SECOND))
						return i;
			if ((LEMMA_IS(t, "polttaa") || LEMMA_IS(t, "sytyttää") || LEMMA_IS(t, "palaa")) && you && !(f & TI_PAST))
				for (size_t k = i + 1; k < b && k <= i + 3; k++)
					if ((text_tok_is(ta, &ta->toks[k], "elävältä") || text_tok_is(ta, &ta->toks[k], "tuleen")) &&
					    (k == i + 1 || (ta->toks[k - 1].w && (ta->toks[k - 1].w->info.flags & TI_SECOND))) &&
					    (!LEMMA_IS(t, "palaa") || (f & TI_SECOND))) /* "palat elävältä" */
						return i;
			/* "sairastuu johonki parantumattomaan" */
			if (LEMMA_IS(t, "sairastua") && said_of_person(ta, a, i, ll))
				for (size_t k = i + 1; k < b && k <= i + 3; k++)
					if (ta->toks[k].w && LEMMA_IS(&ta->toks[k], "parantumaton"))
						return i;
			/* "sun tyttäres joutuu raiskatuksi": killing or rape befalling them (the passive
			 * participle; "joutuu ampumaan" is their own act) */
			if ((t->w->rule_class & RC_KILLING) && (f & TI_TRANSL) && i > a && LEMMA_IS(&ta->toks[i - 1], "joutua"))
				return i;
			/* "sulle sattuu jotain pahaa" (the reader's misfortune only) */
			if (you && (LEMMA_IS(t, "sattua") || LEMMA_IS(t, "tapahtua")))
				for (size_t k = i + 1; k < b && k <= i + 4; k++)
					if (text_tok_in(ta, &ta->toks[k], bad_fi))
						return i;
		} else {
			int after_get = i > a && text_tok_in(ta, &ta->toks[i - 1], get_en);
			if (text_tok_in(ta, t, die_en) && !(i > a && text_tok_in(ta, &ta->toks[i - 1], own_en)) && !calm &&
			    said_of_person(ta, a, i, ll))
				return i;
			/* "hope the boss gets cancer" and nothing after it */
			if ((t->w->rule_class & RC_AFFLICTION) && after_get && ends && said_of_person(ta, a, i - 1, ll))
				return i;
			/* "watch you burn alive", "your house burns down with you inside" */
			if (text_tok_is(ta, t, "burn") && next && text_tok_is(ta, next, "alive") && you)
				return i;
			if ((text_tok_is(ta, t, "burn") || text_tok_is(ta, t, "burns")) && you)
				for (size_t k = i + 1; k + 1 < b && k <= i + 5; k++)
					if (text_tok_is(ta, &ta->toks[k], "you") && text_tok_is(ta, &ta->toks[k + 1], "inside"))
						return i;
			/* "hope a truck runs you over", "I hope someone runs you over" */
			if ((text_tok_is(ta, t, "runs") || text_tok_is(ta, t, "run")) && i + 2 < b &&
			    text_tok_is(ta, &ta->toks[i + 1], "you") && text_tok_is(ta, &ta->toks[i + 2], "over"))
				return i;
			/* "hope u choke on ur own vomit"; not "drown in gifts" */
			if ((text_tok_is(ta, t, "choke") || text_tok_is(ta, t, "drown")) && you &&
			    !(i > a && text_tok_in(ta, &ta->toks[i - 1], own_en)))
				for (size_t k = i + 1; k < b && k <= i + 4; k++)
					if (text_tok_in(ta, &ta->toks[k], liquid_en))
						return i;
			/* "hope that pedo gets stabbed in prison"; not "shot by a photographer", not
			 * "the Lakers get killed tonight" (a game) */
			if ((t->w->rule_class & RC_KILLING) && !(t->w->rule_class & RC_AFFLICTION) && after_get &&
			    !(next && text_tok_in(ta, next, sport_en)) &&
			    said_of_person(ta, a, i - 1, ll))
				return i;
			/* "get hit by a truck", "gets run over" */
			if ((text_tok_is(ta, t, "hit") || text_tok_is(ta, t, "run")) && after_get &&
			    said_of_person(ta, a, i - 1, ll)) {
				if (text_tok_is(ta, t, "run") && next && text_tok_is(ta, next, "over"))
					return i;
				/* "hit by a truck"; not "hit with a truck load of presents" */
				for (size_t k = i + 2; next && text_tok_is(ta, next, "by") && k < b && k <= i + 4; k++)
					if (text_tok_in(ta, &ta->toks[k], vehicle_en))
						return i;
			}
		}
	}
	return SIZE_MAX;
}

static const struct text_word *readers_family(struct text_analyzer *ta, size_t a, size_t i, int ll);

/*
 * English: 1 if threat phrase m starting with a word of killing ("kill you") has a thing for
 * its subject, the word before it past adverbs and modals: "Quitting smoking because it
 * literally kills you", "this diet will kill you", "the heat kills you"; "he'll kill you", "I
 * will kill you" and "gonna kill you" keep the threat.
 */
static int en_thing_kills(const struct text_analyzer *ta, const struct text_match *m)
{
	static const char *const skip[] = { "literally", "really", "actually", "slowly", "eventually", "will", "can",
					    "could", "would", "might", "may", "just", "basically", NULL };
	static const char *const it[] = { "it", "this", "that", "which", "it'll", "that'll", "this'll", "smoking",
					  "drinking", "stress", NULL };
	size_t k, sa, sb;
	if (!match_sentence(ta, m, &k, &sa, &sb) || !ta->toks[k].w || !(ta->toks[k].w->rule_class & RC_KILLING))
		return 0;
	for (size_t j = k, seen = 0; j-- > sa && seen < 4; seen++) {
		const struct text_tok *p = &ta->toks[j];
		if (p->type != TT_WORD || !p->w)
			return 0;
		if (text_tok_in(ta, p, skip))
			continue;
		return text_tok_in(ta, p, it) || en_thing_word(ta, p);
	}
	return 0;
}

/*
 * English: 1 if threat phrase m, a "should be shot / killed / hanged" ending in a word of
 * killing, is said of a thing or of a photograph: the words of its sentence before it name no
 * person and end in a word of class thing ("This feature should be killed", "the old process
 * should be killed"), or "shot" is followed by where or how a picture is taken ("the bride
 * should be shot from the left"). "All immigrants should be shot" stays a threat.
 */
static int en_passive_not_violence(const struct text_analyzer *ta, const struct text_match *m)
{
	static const char *const camera[] = { "from", "outdoors", "indoors", "with", "for", "on", "against", NULL };
	size_t k, sa, sb;
	if (!match_sentence(ta, m, &k, &sa, &sb) || !text_tok_is(ta, &ta->toks[k], "should"))
		return 0;
	size_t last = k;
	while (last + 1 < sb && ta->toks[last + 1].start < m->end)
		last++;
	if (!ta->toks[last].w || !(ta->toks[last].w->rule_class & RC_KILLING))
		return 0;
	if (text_tok_is(ta, &ta->toks[last], "shot") && last + 1 < sb && text_tok_in(ta, &ta->toks[last + 1], camera))
		return 1;
	for (size_t j = sa; j < k; j++) {
		const struct text_tok *p = &ta->toks[j];
		if (en_person_tok(p, j > sa) || (p->w && (p->w->info.idgroup > 0 || (p->w->info.flags & TI_SECOND))))
			return 0;
	}
	/* the subject's head, right before "should": a word of class thing ("feature", "process");
	 * "Every illegal should be shot" is no thing; or an animal in the subject ("All the gulls at
	 * the market should be shot") */
	const struct text_tok *head = k > sa ? &ta->toks[k - 1] : NULL;
	if (head && head->w && (head->w->rule_class & (RC_THING | RC_ANIMAL | RC_VERMIN)))
		return 1;
	for (size_t j = sa; j < k; j++)
		if (ta->toks[j].w && (ta->toks[j].w->rule_class & (RC_ANIMAL | RC_VERMIN)))
			return 1;
	return 0;
}


/* 1 if token i is a word for people in sentence [a, b) other than a pronoun: a person noun,
 * a name, a group word, a word of abuse ("se pedofiilipappi"). */
static int people_word_at(const struct text_analyzer *ta, size_t a, size_t i, int ll)
{
	const struct text_tok *p = &ta->toks[i];
	if (p->type != TT_WORD || !p->w || (p->w->info.flags & TI_FUNC))
		return 0;
	if (p->w->info.idgroup > 0 || (p->w->info.abuse[TA_INSULT] > 0 && p->ev > 0))
		return 1;
	return ll == TEXT_LL_EN ? en_person_tok(p, i > a) : person_shaped(p->w) || (p->w->info.flags & TI_PERSON);
}

/* A negator anywhere in [a, i): "Se ei tarkoita että minä tapan heidät" commits to nothing. */
static int negator_in(const struct text_analyzer *ta, size_t a, size_t i)
{
	for (size_t j = a; j < i; j++)
		if (ta->toks[j].type == TT_WORD && ta->toks[j].w &&
		    ((ta->toks[j].w->info.flags & TI_NEGATOR) || (ta->toks[j].flags & TF_NT)))
			return 1;
	return 0;
}

/* Finnish: a person as the object of the verb at token i within the next three words of its
 * clause in sentence [a, b): a person noun not in the nominative ("tapan sen myyjän", "lyön
 * sitä asentajaa"), "hänet" / "heidät", or "sen" / "sitä" for a person named before the verb.
 * "Tapan sen kärpäsen" names no person. */
static int fi_person_object(const struct text_analyzer *ta, size_t a, size_t b, size_t i)
{
	static const char *const them[] = { "hänet", "heidät", "hänt", NULL };
	static const char *const it[] = { "sen", "sitä", "ne", "niitä", NULL };
	for (size_t j = i + 1, seen = 0; j < b && seen < 3; j++) {
		const struct text_tok *t = &ta->toks[j];
		if (t->type == TT_CLAUSE)
			return 0;
		if (t->type != TT_WORD || !t->w)
			continue;
		seen++;
		if (text_tok_in(ta, t, them))
			return 1;
		/* "Jos se myyjä tulee vielä lähelle niin puukotan sen": the spoken "se" for a person
		 * named earlier in the sentence */
		if (text_tok_in(ta, t, it)) {
			/* a pronoun, not the determiner of a noun after it ("tapan sen bugin") */
			if (j + 1 < b && ta->toks[j + 1].type == TT_WORD && ta->toks[j + 1].w &&
			    (ta->toks[j + 1].w->info.flags & TI_CONTENT))
				continue; /* the noun decides */
			for (size_t k = a; k < i; k++)
				if (ta->toks[k].type == TT_WORD && ta->toks[k].w &&
				    !(ta->toks[k].w->rule_class & (RC_VERMIN | RC_ANIMAL)) &&
				    ((ta->toks[k].w->rule_class & (RC_PERSON_NOUN | RC_KIN | RC_FAMILY)) || agent_noun(ta->toks[k].w)))
					return 1;
			return 0;
		}
		/* a person noun of the lists or an agent noun, not a compound that merely ends in
		 * a person word ("taulukko") */
		if (!(t->w->info.flags & (TI_NOMINAL | TI_SECOND | TI_FUNC)) && !(t->w->rule_class & (RC_VERMIN | RC_ANIMAL)) &&
		    ((t->w->rule_class & (RC_PERSON_NOUN | RC_KIN | RC_FAMILY)) || agent_noun(t->w)))
			return 1;
	}
	return 0;
}

/* Finnish: the genitive subject of the modal at token i ("sun pitäis", "teiän kaikkien
 * pitäis", "sun ei pitäis"): the token, or SIZE_MAX when there is none before it. */
static size_t fi_modal_subject(const struct text_analyzer *ta, size_t a, size_t i)
{
	size_t j = i;
	while (j > a && (text_tok_is(ta, &ta->toks[j - 1], "ei") || text_tok_is(ta, &ta->toks[j - 1], "kaikkien") ||
			 text_tok_is(ta, &ta->toks[j - 1], "vaan")))
		j--;
	return j > a && ta->toks[j - 1].type == TT_WORD ? j - 1 : SIZE_MAX;
}

/*
 * Life denied to people without a verb of killing (red team 10: "should be dead", "should never
 * have been born", "not human"), in sentence [a, b) that asks nothing and is set in no game or
 * story:
 * - Finnish: ought + "olla" + dead said of the reader, or of someone called names ("Teiän
 *   kaikkien pitäis olla kuolleita", "sen ämmän pitäis olla kuollut"; not "luteiden pitäis
 *   olla kuolleita", not "koronapotilaan pitäisi olla kuollut jo"); existence denied to the
 *   reader ("ei sun pitäis olla olemassa"; not "teillä ei pitäisi olla olemassa avoimia
 *   laskuja"); harm deserved ("ansaitsisit tulla raiskatuksi"); people left to die ("Ne
 *   pakolaiset ois pitäny jättää hukkumaan"); an abortion or sterilisation wished after the fact
 *   on a person ("Se pomo ois pitäny abortoida", "sun mutsis ois pitäny tehä abortti"; not
 *   "välineet olisi pitänyt steriloida", not the cat, not "sun siskon olisi pitänyt päästä
 *   aborttiin");
 * - both: people called animals and denied being human, the people the subject ("ne on eläimiä
 *   eikä ihmisiä", "Those people are animals, not humans"; not "Koira ei ole ihminen", not "Et ole
 *   ihminen vaan botti"); the reader's own death as a gain ("Everyone would be happier if you
 *   were dead"; not "jos et kuolisi", not life insurance);
 * - English: people who "should be" or "deserve to be" killed, the word of killing right after
 *   "be" or past "taken out back and" ("gays should be burned alive", "You deserve to be beaten
 *   to death", "should've been left to drown"; not "the bride should be shot from the left", not
 *   "children must be watched so they don't drown", not "the battery must be dead").
 * Returns the token that carries it, or SIZE_MAX.
 */
static size_t denied_life(struct text_analyzer *ta, size_t a, size_t b, const struct severe_cx *cx)
{
	int ll = cx->ll, asks = cx->asks, addressed = cx->addressed;
	static const char *const ought_fi[] = { "pitäis", "pitäisi", "pitäs", "kuuluis", "kuuluisi", "kuuluu", NULL };
	static const char *const ought_past_fi[] = { "pitänyt", "pitäny", "pitäneet", NULL };
	static const char *const would_fi[] = { "olisi", "ois", "olis", NULL };
	static const char *const gen_you[] = { "sun", "sinun", "teidän", "teiän", "teijän", NULL };
	static const char *const mother[] = { "äiti", "mutsi", "äiskä", "äitee", "muija", NULL };
	static const char *const human[] = { "ihminen", "human", "humans", "person", "people", NULL };
	static const char *const ought_en[] = { "should", "must", "deserve", "deserves", "needs", "ought", "should've",
						"shouldve", NULL };
	/* words between "be" and the act: "taken out back and shot", "left to drown", "lined up
	 * against a wall and shot", "dragged into the street and lynched" */
	static const char *const bridge_en[] = { "taken", "out", "back", "and", "left", "to", "dragged", "into", "the",
						 "street", "lined", "up", "against", "a", "wall", "publicly", "all",
						 "beaten", "burned", "burnt", NULL };
	static const char *const camera_en[] = { "from", "outdoors", "indoors", NULL };
	static const char *const whoever[] = { "whoever", "anyone", "anybody", "someone", "somebody", NULL };
	static const char *const insure[] = { "vakuutus", "henkivakuutus", "vakuutettu", "testamentti", "insurance",
					      "insured", "policy", "will", "protected", NULL };
	if (asks)
		return SIZE_MAX;
	/* first, cheaply, whether the sentence has any word these look for: this runs on every
	 * sentence, and nearly all have none */
	int cue = 0;
	for (size_t i = a; i < b && !cue; i++) {
		const struct text_tok *t = &ta->toks[i];
		if (t->type != TT_WORD || !t->w)
			continue;
		cue = (t->w->rule_class & RC_LIFE_CUE) || (t->w->info.flags & TI_MODAL) ||
		      text_tok_is(ta, t, ll == TEXT_LL_FI ? "jos" : "if");
	}
	if (!cue || fiction_setting(ta, a, b))
		return SIZE_MAX;
	int people = addressed, you = 0;
	for (size_t i = a; i < b; i++) {
		people |= ll == TEXT_LL_EN && text_tok_in(ta, &ta->toks[i], whoever);
		people |= people_word_at(ta, a, i, ll);
		you |= ta->toks[i].type == TT_WORD && ta->toks[i].w && (ta->toks[i].w->info.flags & TI_SECOND);
	}
	/* "Everyone would be happier if you were dead", "olis parempi jos sä kuolisit": the reader's
	 * own death, not denied, as a gain; not "jos kuolisit huomenna, pärjäisikö perheesi" (asks,
	 * no gain), not "jos et kuolisi", not insurance */
	if (you) {
		static const char *const gain[] = { "happier", "better", "parempi", "parempaa", "onnellisempi",
						    "onnellisempia", "helpompaa", "helpotus", "relief", NULL };
		static const char *const ifs[] = { "if", "jos", NULL };
		static const char *const you_en[] = { "you", "you'd", "youd", "u", NULL };
		int has_if = 0, has_gain = 0, dead = 0, insured = 0;
		for (size_t i = a; i < b; i++) {
			const struct text_tok *t = &ta->toks[i];
			has_if |= text_tok_in(ta, t, ifs);
			has_gain |= text_tok_in(ta, t, gain);
			insured |= t->w && (text_tok_in(ta, t, insure) || LEMMA_IS(t, "henkivakuutus") ||
					    LEMMA_IS(t, "vakuutus"));
			/* the reader's: a second-person verb, or "you" just before */
			dead |= has_if && t->w && !negated_before(ta, i) &&
				(((LEMMA_IS(t, "kuolla") || LEMMA_IS(t, "kuoltu")) && (t->w->info.flags & TI_SECOND)) ||
				 ((text_tok_is(ta, t, "dead") || text_tok_is(ta, t, "died")) && i > a + 1 &&
				  (text_tok_in(ta, &ta->toks[i - 1], you_en) || text_tok_in(ta, &ta->toks[i - 2], you_en))));
		}
		if (has_if && has_gain && dead && !insured)
			for (size_t i = a; i < b; i++)
				if (text_tok_in(ta, &ta->toks[i], gain))
					return i;
	}
	/* "Sinun ei olisi pitänyt syntyä", "Olisitpa jäänyt syntymättä", "You should never have
	 * been born", "You should have died at birth": the reader's birth regretted */
	if (you) {
		int neg = 0, born = 0, ought = 0;
		size_t at = SIZE_MAX;
		for (size_t i = a; i < b; i++) {
			const struct text_tok *t = &ta->toks[i];
			if (t->type != TT_WORD || !t->w)
				continue;
			neg |= (t->w->info.flags & TI_NEGATOR) || (t->flags & TF_NT) || text_tok_is(ta, t, "never");
			ought |= text_tok_in(ta, t, ought_past_fi) || text_tok_is(ta, t, "saanut") ||
				 text_tok_is(ta, t, "parempi") || text_tok_is(ta, t, "olisitpa") ||
				 text_tok_in(ta, t, ought_en);
			/* voikko may read "syntyä" as the noun "synty" */
			if (LEMMA_IS(t, "syntyä") || text_tok_is(ta, t, "syntyä") || text_tok_is(ta, t, "syntymättä") ||
			    (text_tok_is(ta, t, "born") && i > a && text_tok_is(ta, &ta->toks[i - 1], "been"))) {
				born = 1;
				at = i;
				neg |= text_tok_is(ta, t, "syntymättä");
			}
			/* "should have died at birth" */
			if (ll == TEXT_LL_EN && text_tok_is(ta, t, "died") && i > a + 1 && text_tok_is(ta, &ta->toks[i - 1], "have") &&
			    text_tok_in(ta, &ta->toks[i - 2], ought_en) && i > a + 2 && text_tok_is(ta, &ta->toks[i - 3], "you"))
				return i;
			if (ll == TEXT_LL_EN && (text_tok_is(ta, t, "died") || text_tok_is(ta, t, "dead")) && i > a &&
			    (text_tok_is(ta, &ta->toks[i - 1], "should've") || text_tok_is(ta, &ta->toks[i - 1], "shouldve")) &&
			    i > a + 1 && text_tok_is(ta, &ta->toks[i - 2], "you"))
				return i;
		}
		if (born && neg && ought)
			return at;
	}
	for (size_t i = a; i < b; i++) {
		const struct text_tok *t = &ta->toks[i];
		if (t->type != TT_WORD || !t->w)
			continue;
		/* "Your mom should've had an abortion": the reader's mother */
		if (ll == TEXT_LL_EN && text_tok_is(ta, t, "abortion") && i > a + 2 && text_tok_is(ta, &ta->toks[i - 1], "an") &&
		    text_tok_is(ta, &ta->toks[i - 2], "had"))
			for (size_t k = a; k < i; k++)
				if (readers_family(ta, a, k, ll))
					return i;
		/* "ne on pelkkiä eläimiä eikä ihmisiä": people, the subject before the copula, denied
		 * being human beside an animal or a word of abuse after it */
		if ((LEMMA_IS(t, "ihminen") || (ll == TEXT_LL_EN && text_tok_in(ta, t, human))) && i > a &&
		    negated_before(ta, i)) {
			size_t cop = a;
			while (cop < i && !(ta->toks[cop].w && (ta->toks[cop].w->info.flags & (TI_COPULA | TI_NEGATOR))))
				cop++;
			int named = 0, beast = 0, animal_subject = 0;
			for (size_t k = a; k < b; k++) {
				const struct text_tok *q = &ta->toks[k];
				if (k == i || q->type != TT_WORD || !q->w)
					continue;
				/* a group word names people even when it is abusive ("mamut") */
				int animal = (q->w->rule_class & (RC_ANIMAL | RC_VERMIN)) ||
					     (q->w->info.abuse[TA_INSULT] > 0 && q->ev > 0 && q->w->info.idgroup <= 0);
				if (k < cop) {
					animal_subject |= animal;
					named |= (q->w->info.flags & TI_SECOND) ||
						 (!animal && !(ll == TEXT_LL_FI && (q->w->info.flags & TI_FUNC)) &&
						  people_word_at(ta, a, k, ll));
				} else {
					beast |= animal;
				}
			}
			/* "et oo ihminen vaan pelkkä apina": the reader, the subject in the verb */
			named |= cop < i && ta->toks[cop].w && (ta->toks[cop].w->info.flags & TI_SECOND);
			/* "My kids are animals, not humans, at bath time": the writer's own */
			int own = 0;
			for (size_t k = a; k < cop; k++)
				own |= text_tok_is(ta, &ta->toks[k], "my") || text_tok_is(ta, &ta->toks[k], "our") ||
				       (ta->toks[k].w && (ta->toks[k].w->info.flags & TI_FIRST));
			if (beast && named && !animal_subject && !own)
				return i;
		}
		if (ll == TEXT_LL_FI) {
			size_t subj = text_tok_in(ta, t, ought_fi) ? fi_modal_subject(ta, a, i) : SIZE_MAX;
			const struct text_tok *st = subj != SIZE_MAX ? &ta->toks[subj] : NULL;
			/* ought + "olla" + dead, said of the reader or of someone called names */
			/* ... ending the sentence: not "pitäisi olla kuollut väsymyksestä", not "...
			 * kuollut sen putoamisen jälkeen, sanoi ensihoitaja" */
			size_t d = i + 2;
			if (st && st->w && !negated_before(ta, i) && d < b && LEMMA_IS(&ta->toks[i + 1], "olla") &&
			    (LEMMA_IS(&ta->toks[d], "kuollut") || LEMMA_IS(&ta->toks[d], "kuoltu") ||
			     text_tok_is(ta, &ta->toks[d], "kuollu") || text_tok_is(ta, &ta->toks[d], "haudassa")) &&
			    (d + 1 == b || (d + 2 == b && text_tok_is(ta, &ta->toks[d + 1], "jo"))) &&
			    (text_tok_in(ta, st, gen_you) || (st->w->info.abuse[TA_INSULT] > 0 && st->ev > 0) ||
			     st->w->info.idgroup > 0) &&
			    !(st->w->rule_class & (RC_ANIMAL | RC_VERMIN))) /* "luteiden pitäis olla kuolleita" */
				return i + 2;
			/* "ei sun pitäis olla olemassa": the reader's existence, denied, ending the clause */
			if (st && text_tok_in(ta, st, gen_you) && i + 2 < b && LEMMA_IS(&ta->toks[i + 1], "olla") &&
			    text_tok_is(ta, &ta->toks[i + 2], "olemassa") &&
			    (i + 3 == b || ta->toks[i + 3].type != TT_WORD) &&
			    (negated_before(ta, i) || (subj > a && negated_before(ta, subj))))
				return i + 2;
			/* "ansaitsisit tulla raiskatuksi", "sä ansaitset tulla hakatuks": harm deserved */
			if (LEMMA_IS(t, "ansaita") && !negated_before(ta, i) && (people || you) && i + 2 < b &&
			    LEMMA_IS(&ta->toks[i + 1], "tulla")) {
				static const char *const done_to[] = { "raiskattu", "hakattu", "tapettu", "ammuttu",
								       "hirtetty", "teloitettu", "puukotettu",
								       "pahoinpidelty", "joukkoraiskattu", NULL };
				const struct text_tok *q = &ta->toks[i + 2];
				for (int n = 0; q->w && done_to[n]; n++)
					if (lemma_is(q, done_to[n], strlen(done_to[n])))
						return i + 2;
			}
			/* "Ne pakolaiset ois pitäny jättää hukkumaan mereen": left to die, wished after
			 * the fact */
			if (LEMMA_IS(t, "jättää") && people && i + 1 < b && i > a + 1 &&
			    text_tok_in(ta, &ta->toks[i - 1], ought_past_fi) && text_tok_in(ta, &ta->toks[i - 2], would_fi) &&
			    (text_tok_is(ta, &ta->toks[i + 1], "hukkumaan") || text_tok_is(ta, &ta->toks[i + 1], "kuolemaan")))
				return i + 1;
			/* an abortion or sterilisation wished after the fact: "olisi pitänyt" before it;
			 * sterilisation also now, of people like the reader ("Sun kaltaiset pitäis
			 * steriloida") */
			if (LEMMA_IS(t, "abortoida") || LEMMA_IS(t, "abortti") || LEMMA_IS(t, "steriloida")) {
				static const char *const like_you[] = { "kaltaiset", "kaltaisesi", "kaltaisenne", "kaltaset",
									"tuollaiset", "tollaset", "sellaiset", "sellaset", NULL };
				int past = 0, person = 0, animal = 0;
				for (size_t k = a; k < i; k++) {
					const struct text_tok *q = &ta->toks[k];
					past |= k > a && text_tok_in(ta, q, ought_past_fi) && text_tok_in(ta, &ta->toks[k - 1], would_fi);
					/* now, only of people like the reader ("Kaikki kulkukoirat pitäisi steriloida") */
					if (LEMMA_IS(t, "steriloida") && text_tok_in(ta, q, ought_fi) && i == k + 1)
						for (size_t m = a; m < k; m++)
							past |= text_tok_in(ta, &ta->toks[m], like_you) ||
								(ta->toks[m].w && (ta->toks[m].w->info.flags & TI_SECOND));
					person |= person_ish(q, k > a, ll) || text_tok_in(ta, q, like_you);
				}
				for (size_t k = a; k < b; k++)
					animal |= ta->toks[k].w && (ta->toks[k].w->rule_class & RC_ANIMAL);
				if (!past || negated_before(ta, i) || animal)
					continue;
				if (LEMMA_IS(t, "abortti")) {
					/* "sun mutsis ois pitäny tehä abortti": the reader's mother, an abortion made */
					if (!(i > a && (LEMMA_IS(&ta->toks[i - 1], "tehdä") || text_tok_is(ta, &ta->toks[i - 1], "tehä"))))
						continue;
					for (size_t k = a; k < i; k++) {
						const struct text_word *fw = readers_family(ta, a, k, ll);
						for (int m = 0; fw && mother[m]; m++)
							if (fw->lemma_len == strlen(mother[m]) &&
							    !memcmp(fw->lemma, mother[m], fw->lemma_len))
								return i;
					}
				} else if (person && !(i + 1 < b && ta->toks[i + 1].w &&
							 (ta->toks[i + 1].w->info.flags & TI_CONTENT) &&
							 !(ta->toks[i + 1].w->info.flags & TI_SECOND))) {
					/* a person before it, and no thing after it ("steriloida tuttipullot") */
					return i;
				}
			}
		} else if (text_tok_in(ta, t, ought_en) && !negated_before(ta, i) && !(t->flags & TF_NT) && people) {
			/* "should be (taken out back and) shot", "deserve to be beaten to death" */
			size_t k = i + 1;
			if (k < b && (text_tok_is(ta, &ta->toks[k], "to") || text_tok_is(ta, &ta->toks[k], "have")))
				k++;
			/* "deserves to be / to get raped", "should've been left to drown" */
			if (k >= b || !(text_tok_is(ta, &ta->toks[k], "be") || text_tok_is(ta, &ta->toks[k], "get") ||
					text_tok_is(ta, &ta->toks[k], "been")))
				continue;
			for (size_t j = k + 1; j < b && j <= k + 7; j++) {
				const struct text_tok *q = &ta->toks[j];
				const struct text_tok *nx = j + 1 < b ? &ta->toks[j + 1] : NULL;
				if (q->type != TT_WORD || !q->w)
					break;
				int first = j == k + 1;
				/* "You should be dead": the reader's, ending the sentence; not "your phone
				 * battery must be dead", not "dead tired", not "dead, the paramedic said" */
				if (text_tok_is(ta, q, "dead")) {
					if (first && j + 1 == b && i > a &&
					    (text_tok_is(ta, &ta->toks[i - 1], "you") || text_tok_is(ta, &ta->toks[i - 1], "u")))
						return j;
					break;
				}
				if ((q->w->rule_class & RC_KILLING) && !(q->w->rule_class & RC_AFFLICTION) &&
				    !(nx && text_tok_in(ta, nx, camera_en)))
					return j;
				/* "You should've been aborted", "People like you should be sterilised" */
				if (first && you && (text_tok_is(ta, q, "aborted") || text_tok_is(ta, q, "sterilised") ||
						     text_tok_is(ta, q, "sterilized")))
					return j;
				if ((text_tok_is(ta, q, "drown") || text_tok_is(ta, q, "drowned")) &&
				    text_tok_is(ta, &ta->toks[j - 1], "to") && text_tok_is(ta, &ta->toks[j - 2], "left"))
					return j;
				/* "Muslims are a cancer that needs to be cut out": harm done to a group ("the
				 * staff need to be cut" names no group) */
				if (first && (q->w->rule_class & RC_HARM) && group_word_in(ta, a, b))
					return j;
				if (text_tok_is(ta, q, "death") && text_tok_is(ta, &ta->toks[j - 1], "to"))
					return j;
				if ((text_tok_is(ta, q, "burned") || text_tok_is(ta, q, "burnt")) &&
				    ((nx && (text_tok_is(ta, nx, "alive") || text_tok_is(ta, nx, "at"))) || group_word_in(ta, a, b)))
					return j;
				if (!text_tok_in(ta, q, bridge_en))
					break;
			}
		}
	}
	return SIZE_MAX;
}

/* 1 if the text talks about abusive messages rather than sending one: moderation and policy
 * words ("kommentit poistetaan", "zero tolerance for messages like", "is the name of a song"). */
static int text_mentions_abuse(const struct text_analyzer *ta)
{
	static const char *const meta[] = { "kommentit", "kommentteja", "kommentti", "moderointi", "moderoinnissa",
					    "moderaattori", "poistetaan", "poistettiin", "viestit", "-tyyppiset",
					    "-tyyliset", "tyyppiset", "tyyliset", "comments", "comment", "moderator",
					    "moderation", "policy", "tolerance", "removed", "messages", "song", "lyrics",
					    "laulu", "kappale", NULL };
	for (size_t j = 0; j < ta->ntoks; j++)
		if (text_tok_in(ta, &ta->toks[j], meta))
			return 1;
	return 0;
}

/* 1 if the text says in words that it jokes ("Vitsi vaan", "sano mun veli vitsillä", "just
 * kidding", "joked the usher"); a smiley alone does not ("Kill yourself :D"). */
static int text_says_joke(const struct text_analyzer *ta)
{
	static const char *const joke[] = { "kidding", "jokingly", "joking", "joked", "jk", "vitsi", "vitsinä",
					    "vitsillä", "vitsaili", "vitsailen", "läpällä", "leikillään", NULL };
	for (size_t j = 0; j < ta->ntoks; j++)
		if (text_tok_in(ta, &ta->toks[j], joke))
			return 1;
	return 0;
}

/* 1 if the text is playful or a title: it says it jokes (text_says_joke()), laughs, smiles, or
 * names a title ("Why are you still alive. Just kidding, happy 90th birthday grandpa!", "... pidä
 * henkeä :D", "... is the title of a documentary"). Cached in *cx->text_playful. */
static int text_playful(const struct text_analyzer *ta, const struct severe_cx *cx)
{
	static const char *const play[] = { "lol", "haha", "hahaha", "hehe", "title", "podcast", "documentary",
					    "dokumentti", "otsikko", NULL };
	if (*cx->text_playful < 0) {
		*cx->text_playful = text_says_joke(ta);
		for (size_t j = 0; j < ta->ntoks && !*cx->text_playful; j++) {
			const struct text_tok *t = &ta->toks[j];
			*cx->text_playful = text_tok_in(ta, t, play) ||
					    ((t->type == TT_EMOTICON || t->type == TT_EMOJI) && t->w && t->w->info.valence > 0);
		}
	}
	return *cx->text_playful;
}

/* 1 if a game or a story is named anywhere in the text (fiction_setting() of all of it), cached
 * in *cx->text_fiction. */
static int text_fiction(const struct text_analyzer *ta, const struct severe_cx *cx)
{
	if (*cx->text_fiction < 0)
		*cx->text_fiction = fiction_setting(ta, 0, ta->ntoks);
	return *cx->text_fiction;
}

/* negated_before(), with the spoken "et" for "että" not a negation ("niin surkee et kannattais") */
static int negated_before_that(const struct text_analyzer *ta, size_t a, size_t i)
{
	if (!negated_before(ta, i))
		return 0;
	for (size_t j = i, seen = 0; j-- > a && seen < 3; seen++)
		if (text_tok_is(ta, &ta->toks[j], "et"))
			return !fi_et_that(ta, a, j);
	return 1;
}

/* Finnish: 1 if token k is a verb form of purpose or manner after a place ("mennä auton alle
 * tarkistamaan", "hypätä bussin eteen ottamaan kuvan", "mennä auton eteen ottaa kuva"). */
static int fi_purpose_at(const struct text_analyzer *ta, size_t k, size_t b)
{
	if (k >= b || ta->toks[k].type != TT_WORD || !ta->toks[k].w)
		return 0;
	const struct text_tok *t = &ta->toks[k];
	static const char *const ends[] = { "maan", "mään", "massa", "mässä", NULL };
	const char *n = ta->scratch + t->norm_off;
	for (int e = 0; ends[e]; e++) {
		size_t el = strlen(ends[e]);
		if (t->norm_len > el && !memcmp(n + t->norm_len - el, ends[e], el))
			return 1;
	}
	return (t->w->info.flags & TI_NONFIN) != 0;
}

/*
 * Suicide urged on the reader in other words than the listed phrases, in sentence [a, b):
 * - Finnish: a verb of killing (tappaa, hirttää, ampua) with the reader's own self right after
 *   it, ordered ("Hirtä ittes"), after a verb of going or advice ("Mee hirttää ittes", "voisit
 *   tappaa ittes"), or wished ("kaverit toivoo et sä tappaisit ittes"); not a statement ("Sä
 *   tapat ittes vielä ton treenin kanssa"), not the foot ("ammut itsesi jalkaan"), not by
 *   accident, not the noun "tapa" ("Tapa suojata itsesi");
 * - both: stepping in front of a vehicle or under a train, ordered or advised, with no purpose
 *   or care after it ("kävele junan eteen", "kannattais heittäytyä rekan alle", "Go jump in front
 *   of a train"; not "mene auton alle tarkistamaan pakoputki", not "astu bussin eteen vasta kun
 *   se on pysähtynyt", not "walk in front of the bus, never behind it");
 * - both: asking why the reader is still alive, the verb of living the reader's and last ("Miks
 *   sä ees elät?", "Why are you still alive?"; not "miksi elät vielä vanhassa asunnossa", not
 *   "why do you still believe unicorns exist", not in a text about a game or a show).
 * Returns the token that carries it, or SIZE_MAX.
 */
static size_t suicide_urged(struct text_analyzer *ta, size_t a, size_t b, const struct severe_cx *cx)
{
	int ll = cx->ll, asks = cx->asks;
	static const char *const self_fi[] = { "itsesi", "itses", "ittes", "ittesi", "itsenne", "ittenne", NULL };
	static const char *const go_advise_fi[] = { "mee", "mene", "menkää", "käy", "voisit", "voisitte", "pitäis",
						    "pitäisi", "kannattais", "kannattaisi", "saisit", NULL };
	static const char *const kill_fi[] = { "tappaa", "hirttää", "ampua", NULL };
	static const char *const accident[] = { "vahingossa", "helposti", "jalkaan", "melkein", NULL };
	static const char *const vehicle[] = { "junan", "rekan", "auton", "bussin", "ratikan", "metron", "jyrän", "train",
					       "truck", "bus", "car", "lorry", "tram", NULL };
	static const char *const under_ok[] = { "junan", "rekan", "bussin", "metron", "ratikan", "jyrän", NULL };
	static const char *const place_fi[] = { "eteen", "alle", NULL };
	static const char *const go_fi[] = { "kävellä", "hypätä", "heittäytyä", "mennä", "astua", "juosta", "maata", NULL };
	static const char *const go_imper_fi[] = { "hyppää", "hypätkää", "kävele", "kävelkää", "mene", "mee", "heittäydy",
						   "astu", "juokse", NULL };
	static const char *const advise_fi[] = { "kannattais", "kannattaisi", "pitäis", "pitäisi", "voisit", "voisitte", NULL };
	static const char *const care_fi[] = { "vasta", "niin", "kun", "jotta", "ettei", "nouse", "vaunuun",
					       "laiturille", "odota", NULL };
	static const char *const go_en[] = { "walk", "jump", "step", "throw", "lie", "run", NULL };
	static const char *const care_en[] = { "behind", "so", "check", "game", "driver", "safely", "sees", "when",
					       "board", "carriage", "platform", "wait", NULL };
	static const char *const why[] = { "miks", "miksi", "why", NULL };
	static const char *const go_die_fi[] = { "mene", "mee", "menkää", "painu", "painukaa", NULL };
	static const char *const still[] = { "ees", "edes", "vielä", "yhä", "ylipäätään", "still", "even", NULL };
	static const char *const alive_fi[] = { "elät", "elätte", "hengität", "hengitätte", "elossa", "hengissä", NULL };
	static const char *const alive_en[] = { "alive", "exist", "living", "breathing", NULL };
	static const char *const you_en[] = { "you", "u", "ya", NULL };
	static const char *const sub[] = { "missä", "jossa", "että", "et", "jos", "kun", "that", "if", NULL };
	/* why alive: the sentence asks it, from its first word, and the word of living, the
	 * reader's, ends it but for a name-calling or an emoji after it ("Miks sä vielä elät,
	 * luuseri?", "why r u still alive"); looked at first: most sentences end in none of these */
	size_t last = a < b && text_tok_in(ta, &ta->toks[a], why) ? b : a;
	while (last > a && (ta->toks[last - 1].type != TT_WORD ||
			    (ta->toks[last - 1].w && ta->toks[last - 1].ev > 0 && ta->toks[last - 1].ev_cat == TEXT_ABUSE_INSULT) ||
			    text_tok_in(ta, &ta->toks[last - 1], you_en) || text_tok_is(ta, &ta->toks[last - 1], "senkin")))
		last--;
	if (last >= a + 3 && ta->toks[last - 1].w && text_tok_in(ta, &ta->toks[a], why) &&
	    !text_fiction(ta, cx) && !text_playful(ta, cx)) {
		const struct text_tok *lw = &ta->toks[last - 1];
		int sub_clause = 0, has_still = 0;
		for (size_t i = a + 1; i + 1 < last; i++) {
			sub_clause |= text_tok_in(ta, &ta->toks[i], sub);
			has_still |= text_tok_in(ta, &ta->toks[i], still);
		}
		/* English: "you", then one or two of "still" / "even", then the word of living */
		int you_still = 0;
		for (size_t k = last - 1; ll == TEXT_LL_EN && k > a + 1 && text_tok_in(ta, &ta->toks[k - 1], still); k--)
			you_still |= text_tok_in(ta, &ta->toks[k - 2], you_en);
		if (!sub_clause && has_still &&
		    (ll == TEXT_LL_FI ? text_tok_in(ta, lw, alive_fi) : text_tok_in(ta, lw, alive_en) && you_still))
			return last - 1;
	}
	if (asks || fiction_setting(ta, a, b))
		return SIZE_MAX;
	/* "KYS" (kill yourself), "Hirttäydy!", "Mee kuolemaan": one word, or going to die */
	for (size_t i = a; i < b; i++) {
		const struct text_tok *t = &ta->toks[i];
		if (t->type != TT_WORD || !t->w)
			continue;
		if ((ll == TEXT_LL_EN ? text_tok_is(ta, t, "kys")
				      : text_tok_is(ta, t, "hirttäydy") || text_tok_is(ta, t, "hirttäytykää") ||
						(text_tok_is(ta, t, "kuolemaan") && i > a && text_tok_in(ta, &ta->toks[i - 1], go_die_fi))) &&
		    !negated_before(ta, i))
			return i;
	}
	int wish = 0, looked = 0;
	for (size_t i = a; i < b; i++) {
		const struct text_tok *t = &ta->toks[i];
		if (t->type != TT_WORD || !t->w)
			continue;
		/* the candidates first, by their word-class bits, and the rest only for them: this
		 * runs on every sentence */
		int self = ll == TEXT_LL_FI && (t->w->rule_class & RC_KILLING) && i + 1 < b &&
			   text_tok_in(ta, &ta->toks[i + 1], self_fi);
		if (!self && !((t->w->rule_class & RC_VEHICLE) && text_tok_in(ta, t, vehicle)))
			continue;
		if (!looked) {
			int careful = fiction_setting(ta, a, b);
			for (size_t k = a; k < b && !careful; k++) {
				wish |= ta->toks[k].w && (ta->toks[k].w->rule_class & RC_WISH);
				careful = text_tok_in(ta, &ta->toks[k], accident);
			}
			if (careful)
				return SIZE_MAX;
			looked = 1;
		}
		if (negated_before_that(ta, a, i))
			continue;
		if (self) {
			int kill = 0;
			for (int k = 0; kill_fi[k]; k++)
				kill |= lemma_is(t, kill_fi[k], strlen(kill_fi[k]));
			uint32_t f = t->w->info.flags;
			int ordered = (f & TI_IMPER) && (f & TI_SECOND);
			int advised = i > a && text_tok_in(ta, &ta->toks[i - 1], go_advise_fi);
			int wished = wish && (f & TI_SECOND) && (f & TI_COND);
			if (kill && (ordered || advised || wished))
				return i;
		}
		/* in front of or under a vehicle, with no care after it ("astu bussin eteen vasta kun
		 * se on pysähtynyt", "walk in front of the bus, never behind it") */
		if (!text_tok_in(ta, t, vehicle))
			continue;
		int care = 0;
		for (size_t k = i + 1; k < b; k++)
			care |= text_tok_in(ta, &ta->toks[k], ll == TEXT_LL_FI ? care_fi : care_en);
		if (care)
			continue;
		/* the place ends the clause: "kävele junan eteen, ...", not "mennä auton eteen ottaa kuva" */
		if (ll == TEXT_LL_FI && i + 1 < b && text_tok_in(ta, &ta->toks[i + 1], place_fi) &&
		    !fi_purpose_at(ta, i + 2, b) &&
		    (i + 2 >= b || ta->toks[i + 2].type != TT_WORD) &&
		    (text_tok_is(ta, &ta->toks[i + 1], "eteen") || text_tok_in(ta, t, under_ok))) {
			for (size_t k = (i > a + 3 ? i - 3 : a); k < i; k++) {
				const struct text_tok *v = &ta->toks[k];
				if (!v->w || negated_before_that(ta, a, k))
					continue;
				if (text_tok_in(ta, v, go_imper_fi))
					return i;
				int go = 0;
				for (int g = 0; go_fi[g]; g++)
					go |= lemma_is(v, go_fi[g], strlen(go_fi[g]));
				if (go && (((v->w->info.flags & TI_IMPER) && (v->w->info.flags & TI_SECOND)) ||
					   (k > a && text_tok_in(ta, &ta->toks[k - 1], advise_fi))))
					return i;
			}
		} else if (ll == TEXT_LL_EN && i >= a + 3) {
			/* "walk in front of a train", ordered: the verb first, or after "go" / "just" */
			size_t k = i - 1;
			if (text_tok_is(ta, &ta->toks[k], "a") || text_tok_is(ta, &ta->toks[k], "the"))
				k--;
			int front = k >= a + 2 && text_tok_is(ta, &ta->toks[k], "of") &&
				    text_tok_is(ta, &ta->toks[k - 1], "front") && text_tok_is(ta, &ta->toks[k - 2], "in");
			for (size_t j = a; front && j + 2 < k; j++)
				if (text_tok_in(ta, &ta->toks[j], go_en) &&
				    (j == a || text_tok_is(ta, &ta->toks[j - 1], "go") || text_tok_is(ta, &ta->toks[j - 1], "just") ||
				     (text_tok_is(ta, &ta->toks[j - 1], "should") && j > a + 1 &&
				      text_tok_is(ta, &ta->toks[j - 2], "you"))))
					return i;
		}
	}
	return SIZE_MAX;
}

/*
 * English: death wished at the end of a curse, "... and die" ending a sentence that curses (a
 * word of abuse or obscenity, or "hell"): "You and your whole useless company can burn in hell
 * and die", "go fuck yourself and die", "fuck off and die"; not "You will grow old and die", not
 * "Go see Naples and die", not "live and die by it", not "when you die". Returns the token of
 * "die", or SIZE_MAX.
 */
static size_t en_and_die(struct text_analyzer *ta, size_t a, size_t b, const struct severe_cx *cx)
{
	static const char *const when[] = { "when", "if", "until", "till", "before", "once", "will", "has", "have",
					    "gonna", NULL };
	static const char *const curse_word[] = { "hell", "shut", "hole", NULL };
	/* past a name-calling or an emoji after it: "Fuck off and die, idiot", "... and die 💀" */
	size_t e = b;
	while (e > a && (ta->toks[e - 1].type != TT_WORD ||
			 (ta->toks[e - 1].ev > 0 && ta->toks[e - 1].ev_cat == TEXT_ABUSE_INSULT)))
		e--;
	if (cx->asks || e < a + 3 || !text_tok_is(ta, &ta->toks[e - 1], "die") ||
	    !text_tok_is(ta, &ta->toks[e - 2], "and") || text_tok_is(ta, &ta->toks[e - 3], "live"))
		return SIZE_MAX;
	b = e;
	int curse = 0;
	for (size_t j = a; j < b - 2; j++) {
		const struct text_tok *t = &ta->toks[j];
		if (text_tok_in(ta, t, when) || (t->w && (t->w->info.flags & TI_FIRST)))
			return SIZE_MAX;
		curse |= text_tok_in(ta, t, curse_word) ||
			 (t->ev > 0 && (t->ev_cat == TEXT_ABUSE_INSULT || t->ev_cat == TEXT_ABUSE_OBSCENITY));
	}
	return curse ? b - 1 : SIZE_MAX;
}

/* English: "Die" as the order that opens a sentence ("Die of AIDS", "die you fucking cunt"), not
 * a name ("Die Hard", "Die Zeit"), not in peace, not in a game or a story. Returns its token, or
 * SIZE_MAX. */
static size_t en_die_order(struct text_analyzer *ta, size_t a, size_t b, const struct severe_cx *cx)
{
	static const char *const not_order[] = { "hard", "peacefully", "happy", "young", "old", "laughing", "trying",
						 "cast", "casting", NULL };
	if (cx->asks || !text_tok_is(ta, &ta->toks[a], "die") ||
	    (a + 1 < b && (text_tok_in(ta, &ta->toks[a + 1], not_order) || (ta->toks[a + 1].flags & TF_CAPITAL))) ||
	    text_fiction(ta, cx) || pests_only(ta, a, b, TEXT_LL_EN)) /* "Die, mosquitoes, die!" */
		return SIZE_MAX;
	return a;
}

/*
 * English: an order to kill or beat people, the sentence's first word a verb of killing or
 * harm and its object a word for people ("Kill all the immigrants", "Hang the gays from
 * lampposts", "Shoot every immigrant you see", "Go out and beat every Somali you see"), or
 * "every last one of them" said of people named ("Kill every last one of them, kids included").
 * Not a question, not in a game ("Kill the boss in level 3"), not a photograph ("Shoot the kids
 * in natural light"), not the people's thing ("Execute the customer refund", "Just shoot the
 * customer an email"); "Kill the lights, the kids are sleeping" orders nothing done to them.
 * Returns the verb's token, or SIZE_MAX.
 */
static size_t en_kill_order(struct text_analyzer *ta, size_t a, size_t b, const struct severe_cx *cx)
{
	static const char *const verbs[] = { "kill", "hang", "shoot", "burn", "gas", "lynch", "exterminate", "behead",
					     "beat", "stab", "murder", "slaughter", "execute", NULL };
	static const char *const lead[] = { "go", "out", "and", "just", "honestly", "i", "say", "let's", "lets",
					    "we", "should", NULL };
	static const char *const det[] = { "the", "all", "every", "those", "these", "of", "them", "last", "one", "each",
					   NULL };
	/* what may follow the people: the end, a place, a manner, more of them */
	static const char *const after[] = { "from", "in", "on", "at", "and", "or", "you", "who", "like", "with",
					     "before", "now", "already", "again", "first", "too", "all", NULL };
	static const char *const camera[] = { "light", "flash", "camera", "photo", "photos", "background", "backdrop",
					      "studio", "angle", "portrait", NULL };
	if (cx->asks || fiction_setting(ta, a, b))
		return SIZE_MAX;
	size_t v = a;
	while (v < b && v < a + 4 && (ta->toks[v].type != TT_WORD || text_tok_in(ta, &ta->toks[v], lead)))
		v++;
	if (v >= b || !text_tok_in(ta, &ta->toks[v], verbs))
		return SIZE_MAX;
	if (text_tok_is(ta, &ta->toks[v], "shoot"))
		for (size_t j = v + 1; j < b; j++)
			if (text_tok_in(ta, &ta->toks[j], camera))
				return SIZE_MAX;
	/* verbs with everyday senses need an article or "all" before the people ("gas bro" is
	 * praise, "Gas the Jews" is not) */
	static const char *const loose[] = { "gas", "burn", "beat", "execute", "hang", NULL };
	if (text_tok_in(ta, &ta->toks[v], loose) && !(v + 1 < b && text_tok_in(ta, &ta->toks[v + 1], det)))
		return SIZE_MAX;
	size_t o = v + 1;
	int every = 0, them = 0;
	while (o < b && text_tok_in(ta, &ta->toks[o], det)) {
		every |= text_tok_is(ta, &ta->toks[o], "every") || text_tok_is(ta, &ta->toks[o], "all");
		them |= text_tok_is(ta, &ta->toks[o], "them");
		o++;
	}
	/* one word before the people: "all the fucking immigrants", "all the trans people" */
	if (o + 1 < b && ta->toks[o].w && ta->toks[o + 1].w &&
	    ((ta->toks[o].ev > 0 && ta->toks[o].ev_cat == TEXT_ABUSE_OBSCENITY) ||
	     text_tok_is(ta, &ta->toks[o + 1], "people")))
		o++;
	const struct text_tok *t = o < b ? &ta->toks[o] : NULL;
	const struct text_tok *nx = o + 1 < b ? &ta->toks[o + 1] : NULL;
	/* the object: a word for people, not a pronoun ("Shoot me an email"), nothing of theirs
	 * after it ("the customer refund") */
	/* ... or the name of a people, capitalised and plural ("Kill all the Germans") */
	int peoples = t && (t->flags & TF_CAPITAL) && t->norm_len > 3 && ta->scratch[t->norm_off + t->norm_len - 1] == 's' &&
		      every;
	if (t && t->w &&
	    (t->w->info.idgroup > 0 || (t->w->rule_class & RC_PERSON_NOUN) || peoples ||
	     ((t->w->info.flags & TI_PERSON) && !(t->w->info.flags & (TI_FUNC | TI_SECOND)))) &&
	    (!nx || nx->type != TT_WORD || text_tok_in(ta, nx, after)))
		return v;
	/* "every last one of them, kids included": all of some people, and people named */
	if (every && them && people_in(ta, a, b, TEXT_LL_EN))
		return v;
	return SIZE_MAX;
}

enum severe_aim { AIM_NONE, AIM_READER, AIM_IF_SECOND, AIM_IF_ADDRESSED };

/*
 * The constructions that make a sentence severe on their own, tried in every sentence in this
 * order until one finds its token (which is masked). Each adds a death wish's insult evidence,
 * or for an order to kill a threat's; aim says when the sentence is then aimed at the reader.
 * A reported quote ('asiakas huusi hänelle "mene hirttämään itsesi"') or reported speech
 * (reported_speech(): "Asiakas sanoi mulle että mee junan eteen") is not said to the reader and
 * counts none. At the end of the analysis a text that talks about abusive messages, or says it
 * jokes, loses its severity but not its flag (text_mentions_abuse(), text_says_joke()).
 */
static const struct severe_rule {
	size_t (*find)(struct text_analyzer *ta, size_t a, size_t b, const struct severe_cx *cx);
	int lang;   /* TEXT_LL_EN: English only; -1: both */
	int aim;    /* enum severe_aim */
	int threat; /* 1: threat evidence, 0: insult evidence */
} severe_rules[] = {
	{ harm_wish, -1, AIM_IF_SECOND, 0 },       /* "toivottavasti se pedofiilipappi kuolee syöpään" */
	{ suicide_urged, -1, AIM_READER, 0 },      /* "Mee hirttää ittes", "kävele junan eteen" */
	{ en_and_die, TEXT_LL_EN, AIM_READER, 0 }, /* "fuck off and die" */
	{ en_die_order, TEXT_LL_EN, AIM_READER, 0 }, /* "Die of AIDS" */
	{ en_kill_order, TEXT_LL_EN, AIM_NONE, 1 }, /* "Kill every last one of them" */
	{ denied_life, -1, AIM_IF_ADDRESSED, 0 },  /* "Teiän kaikkien pitäis olla kuolleita" */
};

/* 1 if phrase match m has a word of killing or dying in it ("tapan sut", "kill yourself",
 * "toivottavasti kuolet"). */
static int match_kills(const struct text_analyzer *ta, const struct text_match *m)
{
	for (size_t k = match_first_tok(ta, m); k < ta->ntoks && ta->toks[k].start < m->end; k++)
		if (ta->toks[k].w && (ta->toks[k].w->rule_class & RC_KILLING))
			return 1;
	return 0;
}

/* The Finnish word of n normalised bytes at norm, with a spoken final "-s" read as "-si" when
 * voikko does not know the form: the possessive ("äitis", "mutsis") and the conditional
 * ("sattuis", "syttyis": pity_if()). NULL when out of memory. */
static const struct text_word *fi_word_spoken_poss(struct text_analyzer *ta, const char *norm, size_t n)
{
	const struct text_word *w = text_word_get(ta, TEXT_LL_FI, norm, n);
	char buf[64];
	if (!w || (w->info.flags & TI_KNOWN) || n < 3 || n + 1 > sizeof buf || norm[n - 1] != 's')
		return w;
	memcpy(buf, norm, n);
	buf[n] = 'i';
	return text_word_get(ta, TEXT_LL_FI, buf, n + 1);
}

/* The word of token i as the reader's family member: "äitisi", "äitis", "sun äiti", "your
 * mom", or the last part of a hyphenated compound ("huora-äitisi"). NULL if it is none. */
static const struct text_word *readers_family(struct text_analyzer *ta, size_t a, size_t i, int ll)
{
	const struct text_tok *t = &ta->toks[i];
	const struct text_word *w = t->w;
	if (t->type != TT_WORD || !w)
		return NULL;
	if (ll == TEXT_LL_FI && !(w->rule_class & RC_FAMILY) && t->norm_len > 2) {
		/* "huora-äitisi", "äitis": the part after the last hyphen, spoken forms read */
		const char *n = ta->scratch + t->norm_off;
		size_t from = 0;
		for (size_t k = 1; k + 1 < t->norm_len; k++)
			if (n[k] == '-')
				from = k + 1;
		if (!from && (w->info.flags & TI_KNOWN))
			return NULL;
		w = fi_word_spoken_poss(ta, n + from, t->norm_len - from);
		return w && (w->rule_class & RC_FAMILY) && (w->info.flags & TI_SECOND) ? w : NULL;
	}
	if (!(w->rule_class & RC_FAMILY))
		return NULL;
	if (ll == TEXT_LL_FI && (w->info.flags & TI_SECOND))
		return w;
	if (i == a || ta->toks[i - 1].type != TT_WORD || !ta->toks[i - 1].w)
		return NULL;
	const struct text_tok *p = &ta->toks[i - 1];
	if (ll == TEXT_LL_EN)
		return text_tok_is(ta, p, "your") || text_tok_is(ta, p, "ur") || text_tok_is(ta, p, "yo") ? w : NULL;
	/* "sun äiti", "teidän äitinne": a second-person pronoun, not a verb ("olet äiti") */
	return (p->w->info.flags & TI_SECOND) && !(p->w->info.flags & (TI_SING2 | TI_IMPER | TI_COPULA)) ? w : NULL;
}

/*
 * A sexual or degrading insult of the reader's family, severe abuse: the reader's mother,
 * sister, wife or daughter (readers_family()) in sentence [a, b) with a strong insult or
 * obscene word ("äitisi on huora", "sun mutsi on lutka", "your mom is a whore"). A family
 * member named beside no such word ("kysy äidiltäsi", "tell your mom I said hi") is not.
 * Returns the family word's token, or SIZE_MAX.
 */
static size_t severe_family(struct text_analyzer *ta, size_t a, size_t b, int ll)
{
	int strong = 0;
	for (size_t i = a; i < b && !strong; i++) {
		const struct text_word *w = ta->toks[i].w;
		strong = ta->toks[i].type == TT_WORD && w &&
			 (w->info.abuse[TA_INSULT] >= 0.7f || w->info.abuse[TA_OBSCENE] >= 0.7f);
	}
	/* most sentences have no such word: the family lookups (maybe a cache entry) run rarely */
	for (size_t i = a; strong && i < b; i++)
		if (readers_family(ta, a, i, ll))
			return i;
	return SIZE_MAX;
}

/* ---- veiled and third-party threats (eighth session of 2026-12-07) --------------------------- */

/*
 * A threat to staff need not name any violence ("I know which car is yours", "olisi sääli jos
 * kahvilanne syttyisi tuleen", "odotan sua takaovella kun vuoro loppuu"), and need not be said
 * to its target ("sille kuljettajalle käy vielä huonosti", "I hope someone beats up that
 * guard"). Each construction below has an ordinary twin it must leave alone; the word classes
 * are in data/lexicon/word_classes.tsv (private, dear, routine, knowing, mishap, recourse,
 * consequence, off_duty, staff) and the unit test text_veiled_and_third_party_threats
 * (tests/unit/text/test_text.c) pairs each. The hook in text_analyze_lex() asks watched(),
 * pity_if(), waits_off_duty(), recourse_ruled_out(), third_party_harm() and
 * third_party_formula() in turn. Token indices passed to the helpers are < ta->ntoks.
 */

/* 1 if token j (j < ta->ntoks) is a word with its analysis; the helpers below read ->w of such
 * tokens only. */
static int vword(const struct text_analyzer *ta, size_t j) { return ta->toks[j].type == TT_WORD && ta->toks[j].w; }

/*
 * 1 if sentence [a, b) asks the reader to pass a message on to a person: "Kertokaa sille
 * kassalle että ...", "Sanokaa sille neuvojalle ...", "Tell that cashier she'd better ...",
 * "Warn the girl at the desk that ...", "Let the cleaner know ...". In such a sentence "she",
 * "hänen", "sen" is the one the message is for, as "you" is in a message said to her.
 */
static int relayed(const struct text_analyzer *ta, size_t a, size_t b, int ll)
{
	/* closed grammar: English verbs of passing a message on, as the sentence's first word */
	static const char *const en_tell[] = { "tell", "warn", "remind", "let", "inform", NULL };
	for (size_t j = a, seen = 0; j < b && seen < 3; j++) {
		if (!vword(ta, j))
			continue;
		seen++;
		const struct text_tok *t = &ta->toks[j];
		if (ll == TEXT_LL_EN) {
			if (text_tok_is(ta, t, "please"))
				continue;
			return text_tok_in(ta, t, en_tell);
		}
		if ((t->w->rule_class & (RC_SPEECH | RC_CALLING)) && (t->w->info.flags & TI_IMPER) &&
		    (t->w->info.flags & TI_SECOND))
			return 1;
	}
	return 0;
}

/* 1 if token j names the reader: a second-person word (not the imperative that gives an
 * order), or in a relayed message (relayed()) a third-person pronoun. */
static int reader_word(const struct text_analyzer *ta, size_t j, int ll, int relay)
{
	/* closed grammar: pronouns */
	static const char *const en_you[] = { "you", "your", "yours", "ur", "u", "ya", "you're", "you'll",
					      "you've", "youre", "yourself", NULL };
	static const char *const en_them[] = { "she", "he", "her", "him", "his", "she's", "he's", "she'll",
					       "he'll", "she'd", "he'd", "himself", "herself", NULL };
	static const char *const fi_them[] = { "hän", "hänen", "hänet", "häntä", "hänelle", "hänellä", "sille", NULL };
	if (!vword(ta, j))
		return 0;
	const struct text_tok *t = &ta->toks[j];
	if (ll == TEXT_LL_EN)
		return text_tok_in(ta, t, en_you) || (relay && text_tok_in(ta, t, en_them));
	return ((t->w->info.flags & TI_SECOND) && !(t->w->info.flags & TI_IMPER)) || (relay && text_tok_in(ta, t, fi_them));
}

/* 1 if word j is the reader as a subject pronoun: "you", "sä", "te" (not the owner "sun",
 * "teidän", "your": "missä teidän auto on" may be the company's van); "she" / "he" in a relayed
 * message. */
static int reader_subject(const struct text_analyzer *ta, size_t j, int ll, int relay)
{
	static const char *const en_you[] = { "you", "u", "you're", "youre", NULL };
	static const char *const en_them[] = { "she", "he", "she's", "he's", NULL };
	static const char *const fi_owner[] = { "sun", "sinun", "teidän", "teiän", NULL };
	if (!vword(ta, j))
		return 0;
	const struct text_tok *t = &ta->toks[j];
	if (ll == TEXT_LL_EN)
		return text_tok_in(ta, t, en_you) || (relay && text_tok_in(ta, t, en_them));
	return reader_word(ta, j, ll, relay) && !(t->w->info.flags & TI_POSS2) && !text_tok_in(ta, t, fi_owner) &&
	       !text_tok_is(ta, t, "hänen");
}

/* 1 if word j (vword()) is the reader's: a second-person possessive suffix ("autosi"), or the
 * owner right before it or before one word more ("sun sininen Golf", "your lovely home"); "her"
 * / "his" / "hänen" / "sen" in a relayed message. Finnish "teidän" is also the company's
 * ("teidän auto" is a van): only for homes (koti...) and people. harm_to_body() keeps its own,
 * narrower test (the owner right before a body part, any plural). */
static int readers_own(const struct text_analyzer *ta, size_t a, size_t j, int ll, int relay)
{
	static const char *const fi_sing[] = { "sun", "sinun", "sinunkin", NULL };
	static const char *const fi_pl[] = { "teidän", "teiän", NULL };
	static const char *const fi_3[] = { "hänen", "sen", NULL };
	static const char *const en_gen[] = { "your", "ur", "yer", NULL };
	static const char *const en_3[] = { "her", "his", NULL };
	const struct text_word *w = ta->toks[j].w;
	int homely = (w->rule_class & (RC_DEAR | RC_FAMILY)) || (w->lemma_len >= 4 && !memcmp(w->lemma, "koti", 4));
	if (ll == TEXT_LL_FI && (w->info.flags & TI_POSS2) && (homely || !(w->info.flags & TI_PLURAL)))
		return 1;
	for (size_t k = j, seen = 0; k-- > a && seen < 2;) {
		if (ta->toks[k].type == TT_CLAUSE)
			return 0;
		if (!vword(ta, k))
			continue;
		seen++;
		const struct text_tok *p = &ta->toks[k];
		if (ll == TEXT_LL_EN ? text_tok_in(ta, p, en_gen) || (relay && text_tok_in(ta, p, en_3))
				     : text_tok_in(ta, p, fi_sing) || (homely && text_tok_in(ta, p, fi_pl)) ||
					       (relay && text_tok_in(ta, p, fi_3)))
			return 1;
	}
	return 0;
}

/* 1 if token k is a verb of knowing or seeing the speaker commits to: Finnish first person, not
 * conditional, not asked, not denied ("tiedän", "selvitin", "näen"); English with "I" / "we"
 * just before it and no negation ("I know", "I've seen"), or opening the sentence ("Saw you at
 * the bus stop"). */
static int speaker_knows(const struct text_analyzer *ta, size_t a, size_t k, int ll)
{
	static const char *const fi_spoken[] = { "tiiän", "nään", NULL };
	static const char *const en_i[] = { "i", "i've", "ive", "we", "we've", "i'd", NULL };
	const struct text_tok *t = &ta->toks[k];
	if (!vword(ta, k))
		return 0;
	if (ll == TEXT_LL_FI) {
		uint32_t f = t->w->info.flags;
		int mine = ((t->w->rule_class & RC_KNOWING) && (f & TI_FIRST) && !(f & (TI_COND | TI_QUEST))) ||
			   text_tok_in(ta, t, fi_spoken);
		return mine && !negated_before(ta, k);
	}
	if (!(t->w->rule_class & RC_KNOWING))
		return 0;
	size_t first = a;
	while (first < k && !vword(ta, first))
		first++;
	if (first == k)
		return 1;
	for (size_t j = k, seen = 0; j-- > a && seen < 3;) {
		if (!vword(ta, j))
			continue;
		seen++;
		const struct text_tok *p = &ta->toks[j];
		if ((p->w->info.flags & TI_NEGATOR) || (p->flags & TF_NT))
			return 0;
		if (text_tok_in(ta, p, en_i))
			return 1;
	}
	return 0;
}

/*
 * The speaker watches the reader's private life, sentence [a, b): a verb of knowing or seeing
 * the speaker commits to (speaker_knows()), then within 14 tokens
 *  - a private place or thing of the reader's ("tiedän sun kotiosoitteen", "I've seen your
 *    house", "mä näen sun keittiön ikkunan" reads as ikkuna: not private, left alone), or
 *  - a where- or which-clause of the reader's daily life: a routine verb of the reader ("tiedän
 *    mistä sä nouset bussiin", "I know where you park", "which bus she takes home" in a relayed
 *    message reads "takes" as no routine: left alone), or the reader's people or things in it
 *    ("mistä sun tytär nousee bussiin", "kumpi noista autoista on sun").
 * "Tiedän missä teidän toimisto on", "I know where you went wrong", "I know your family runs
 * this shop" and "I saw your van on my street" match none. Returns the verb, *z the last token.
 */
static size_t watched(const struct text_analyzer *ta, size_t a, size_t b, int ll, int relay, size_t *z)
{
	/* closed grammar: interrogatives that open a where- or which-clause */
	static const char *const where_fi[] = { "missä", "mistä", "minne", "mihin", "milloin", "kumpi", "mis", "mist",
						"monelta", "mikä", NULL };
	static const char *const where_en[] = { "where", "which", "when", NULL };
	static const char *const yours[] = { "sun", "sinun", "yours", NULL };
	/* closed list: the heads of English compounds of home words (a company's page, wine, rules) */
	static const char *const en_heads[] = { "page", "pages", "delivery", "insurance", "wine", "rules", "number",
						"phone", "screen", "office", "button", "improvement", "care", "visit",
						"visits", "service", "made", "brand", "style", "specialty", NULL };
	/* English "your" is the company's as often: "I saw your car on my street" is a van */
	static const char *const company_too[] = { "car", "cars", "plate", "address", NULL };
	for (size_t k = a; k < b; k++) {
		if (!speaker_knows(ta, a, k, ll))
			continue;
		size_t end = k + 14 < b ? k + 14 : b;
		for (size_t j = k + 1; j < end; j++) {
			if (!vword(ta, j))
				continue;
			const struct text_word *w = ta->toks[j].w;
			/* English nouns make compounds: "your home page", "your house wine" */
			int compound = ll == TEXT_LL_EN && j + 1 < b && vword(ta, j + 1) &&
				       text_tok_in(ta, &ta->toks[j + 1], en_heads);
			if ((w->rule_class & RC_PRIVATE) && readers_own(ta, a, j, ll, relay) && !compound &&
			    !(ll == TEXT_LL_EN && text_tok_in(ta, &ta->toks[j], company_too))) {
				*z = j;
				return k;
			}
			if (!text_tok_in(ta, &ta->toks[j], ll == TEXT_LL_EN ? where_en : where_fi))
				continue;
			/* the clause's first seven tokens; the reader as its subject ("where you park",
			 * "which gym you go to", "mistä sä nouset"), or owning what it names */
			int subj = 0;
			size_t cend = j + 7 < b ? j + 7 : b;
			for (size_t m = j + 1; m < cend; m++) {
				if (ta->toks[m].type == TT_CLAUSE && m > j + 1)
					break;
				if (!vword(ta, m))
					continue;
				const struct text_word *v = ta->toks[m].w;
				subj |= reader_subject(ta, m, ll, relay);
				if ((v->rule_class & RC_ROUTINE) && (subj || (ll == TEXT_LL_FI && (v->info.flags & TI_SECOND)))) {
					*z = m;
					return k;
				}
				int company = ll == TEXT_LL_EN && text_tok_in(ta, &ta->toks[m], company_too);
				if ((v->rule_class & (RC_PRIVATE | RC_DEAR | RC_FAMILY)) && !company &&
				    readers_own(ta, a, m, ll, relay)) {
					*z = m;
					return k;
				}
				if (!(v->rule_class & RC_PRIVATE) || company)
					continue;
				if (subj) {
					*z = m;
					return k;
				}
				/* "which gym you go to"; "kumpi noista autoista on sun", "which house is
				 * yours" ("kumpi auto on teidän" may be the company's) */
				for (size_t n = m + 1; n < cend; n++)
					if (vword(ta, n) && (reader_subject(ta, n, ll, relay) || text_tok_in(ta, &ta->toks[n], yours))) {
						*z = n;
						return k;
					}
			}
		}
	}
	return SIZE_MAX;
}

/*
 * A mishap wished on the reader as a pity, sentence [a, b) (what it befalls may be named in the
 * sentence before, [pa, a)): "olisi sääli jos sille sattuisi jotain" after "Sun Golf oli
 * pihalla", "olisi ikävää jos kahvilanne syttyisi tuleen", "be a real shame if your tyres went
 * flat", "wouldn't want you to have a fall". A word of pity ("sääli", "harmi", "ikävä",
 * "shame", "pity", "would hate", "wouldn't want"), then "jos" / "if" / "you", then a mishap,
 * and the reader or theirs. "Olisi harmi jos tarjous loppuisi", "it would be a shame if the
 * parcel got lost" and "olisi ikävää jos tilaukselle sattuisi jotain" match none. Returns the
 * pity word, *z the mishap.
 */
static size_t pity_if(struct text_analyzer *ta, size_t pa, size_t a, size_t b, int ll, int asks, size_t *z)
{
	static const char *const pity_fi[] = { "sääli", "harmi", "ikävä", "ikävää", "harmillista", NULL };
	static const char *const pity_en[] = { "shame", "pity", "hate", "want", NULL };
	static const char *const would[] = { "i'd", "would", "wouldn't", "wouldnt", "id", NULL };
	static const char *const cond[] = { "jos", "if", "you", "ur", "for", NULL };
	static const char *const home[] = { "kotiin", "home", NULL };
	static const char *const it[] = { "sille", "se", "sen", "siihen", "sitä", "niille", "ne", "niitä", "niihin", "it",
					  "its", "them", "they", NULL };
	if (asks)
		return SIZE_MAX;
	for (size_t k = a; k < b; k++) {
		if (!vword(ta, k))
			continue;
		const struct text_tok *t = &ta->toks[k];
		if (ll == TEXT_LL_EN) {
			if (!text_tok_in(ta, t, pity_en))
				continue;
			/* "I'd hate", "wouldn't want": the conditional makes it a pity, not a dislike */
			if ((text_tok_is(ta, t, "hate") || text_tok_is(ta, t, "want")) &&
			    !(k > a && vword(ta, k - 1) && text_tok_in(ta, &ta->toks[k - 1], would)))
				continue;
		} else if (!text_tok_in(ta, t, pity_fi) && !LEMMA_IS(t, "sääli") && !LEMMA_IS(t, "harmi"))
			continue;
		size_t c = SIZE_MAX;
		for (size_t j = k + 1, seen = 0; j < b && seen < 3 && c == SIZE_MAX; j++)
			if (vword(ta, j) && (seen++, text_tok_in(ta, &ta->toks[j], cond)))
				c = j;
		if (c == SIZE_MAX)
			continue;
		size_t mis = SIZE_MAX;
		for (size_t j = c + 1; j < b && j < c + 10 && mis == SIZE_MAX; j++) {
			if (!vword(ta, j))
				continue;
			const struct text_word *w = ta->toks[j].w;
			/* the spoken conditional ("sattuis", "syttyis") read as the written one: the
			 * spoken-possessive lookup adds the same "i" */
			if (ll == TEXT_LL_FI && !(w->info.flags & TI_KNOWN)) {
				const struct text_word *full = fi_word_spoken_poss(ta, ta->scratch + ta->toks[j].norm_off,
										   ta->toks[j].norm_len);
				if (full)
					w = full;
			}
			if ((w->rule_class & RC_MISHAP) && !negated_before(ta, j))
				mis = j;
			/* "jos sun kissa ei tulis (jonain iltana) kotiin", "if your dog didn't come home":
			 * gone */
			if ((w->lemma_len == 5 && !memcmp(w->lemma, "tulla", 5)) || text_tok_is(ta, &ta->toks[j], "come"))
				for (size_t n = next_word(ta, j, b), seen = 0; n < b && seen < 3 && negated_before(ta, j);
				     n = next_word(ta, n, b), seen++)
					if (text_tok_in(ta, &ta->toks[n], home))
						mis = n;
		}
		if (mis == SIZE_MAX)
			continue;
		/* what the mishap befalls, between "if" and the mishap: the reader or theirs ("jos
		 * sun autolle", "if your house"), or a pronoun for something of theirs named in the
		 * sentence before ("Kiva mökki sulla. Olis sääli jos sille sattuis jotain") */
		int anaphor = 0;
		for (size_t j = c; j <= mis; j++) {
			if (!vword(ta, j))
				continue;
			if (reader_word(ta, j, ll, 0) || ((ta->toks[j].w->rule_class & (RC_PRIVATE | RC_DEAR | RC_PREMISES)) &&
							   readers_own(ta, c, j, ll, 0))) {
				*z = mis;
				return k;
			}
			anaphor |= text_tok_in(ta, &ta->toks[j], it);
		}
		for (size_t j = pa; anaphor && j < a; j++)
			if (reader_word(ta, j, ll, 0)) {
				*z = mis;
				return k;
			}
	}
	return SIZE_MAX;
}

/*
 * The speaker waits for the reader off duty, sentence [a, b): "odotan sua takaovella kun
 * tupakkatauko alkaa", "odotan sinua parkkipaikalla kun vuoro loppuu", "see you after your
 * shift", "I'll wait for you by the back door at closing". A first-person (or passive) wait or
 * meeting with the reader as its object, and a word of the reader's time or place off duty in
 * the sentence; a purpose ("to pick up the keys", "hakemaan avaimet") makes it an errand.
 * "Odotan teitä ulkona klo 10, ovikoodi puuttuu" and "see you after your shift ends to collect
 * the keys" match none. Returns the verb, *z the off-duty word.
 */
static size_t waits_off_duty(const struct text_analyzer *ta, size_t a, size_t b, int ll, int asks, size_t *z)
{
	static const char *const en_wait[] = { "wait", "waiting", "see", "meet", "meeting", NULL };
	static const char *const en_errand[] = { "pick", "collect", "return", "drop", "sign", "hand", "bring",
						 "discuss", "sort", "fix", "thank", NULL };
	static const char *const fi_meet[] = { "nähdään", "nähään", "tavataan", "odotetaan", NULL };
	/* verbs of an errand: bringing, giving back, fetching, signing */
	static const char *const fi_errand[] = { "tuoda", "antaa", "palauttaa", "hakea", "noutaa", "viedä", "toimittaa",
						 "allekirjoittaa", "luovuttaa", NULL };
	if (asks)
		return SIZE_MAX;
	static const char *const closes[] = { "menee", "mennään", "laitetaan", NULL };
	static const char *const asking[] = { "mitä", "mikä", "what", NULL };
	size_t cue = SIZE_MAX;
	int what_happens = 0;
	for (size_t j = a; j < b; j++) {
		if (!vword(ta, j))
			continue;
		const struct text_tok *t = &ta->toks[j];
		/* "kun kauppa menee kiinni" (closes), not "ovi on kiinni" (is closed) */
		if (cue == SIZE_MAX && (t->w->rule_class & RC_OFF_DUTY) &&
		    (!text_tok_is(ta, t, "kiinni") || (j > a && vword(ta, j - 1) && text_tok_in(ta, &ta->toks[j - 1], closes))))
			cue = j;
		what_happens |= (t->w->rule_class & RC_CONSEQUENCE) && !(t->w->info.flags & (TI_PAST | TI_FIRST));
	}
	if (cue == SIZE_MAX)
		return SIZE_MAX;
	/* "see you before closing", "ennen vuoroa": before work is no ambush */
	for (size_t j = cue, seen = 0; j-- > a && seen < 2;)
		if (vword(ta, j) && (seen++, text_tok_is(ta, &ta->toks[j], "before") || text_tok_is(ta, &ta->toks[j], "ennen")))
			return SIZE_MAX;
	size_t first = a;
	while (first < b && !vword(ta, first))
		first++;
	/* "Katsotaan sitten mitä tapahtuu, kun vuoronne loppuu": what happens, at the reader's
	 * shift's end; not asked ("Mitä tapahtuu tilaukselleni kun vuorosi loppuu") or asked for
	 * ("Kerro mitä tapahtuu...") */
	if (what_happens && (ta->toks[cue].w->info.flags & TI_SECOND) && first < b &&
	    !text_tok_in(ta, &ta->toks[first], asking) &&
	    !((ta->toks[first].w->info.flags & TI_IMPER) && (ta->toks[first].w->info.flags & TI_SECOND))) {
		*z = cue;
		return cue;
	}
	for (size_t j = a; j < b; j++) {
		if (!vword(ta, j))
			continue;
		const struct text_tok *t = &ta->toks[j];
		/* "hakemaan avaimet", "tuon ne avaimet sulle", "annan kuitin" */
		int errand = ll == TEXT_LL_EN ? text_tok_in(ta, t, en_errand)
					      : ((t->w->info.flags & TI_NONFIN) && (norm_ends(ta, t, "maan") || norm_ends(ta, t, "mään"))) ||
						text_lemma_in(t->w, fi_errand);
		if (errand)
			return SIZE_MAX;
	}
	for (size_t k = a; k < b; k++) {
		if (!vword(ta, k))
			continue;
		const struct text_tok *t = &ta->toks[k];
		int verb;
		if (ll == TEXT_LL_EN) /* "I'll be waiting", "see you" opening the sentence, "let's see" */
			verb = text_tok_in(ta, t, en_wait) && !negated_before(ta, k) &&
			       (en_speaker_commits(ta, a, k) || (k == first && text_tok_is(ta, t, "see")) ||
				(k > a && vword(ta, k - 1) && text_tok_is(ta, &ta->toks[k - 1], "let's")));
		else
			verb = ((LEMMA_IS(t, "odottaa") && (t->w->info.flags & TI_FIRST) &&
				 !(t->w->info.flags & (TI_COND | TI_PAST | TI_QUEST))) ||
				text_tok_in(ta, t, fi_meet)) &&
			       !negated_before(ta, k);
		if (!verb)
			continue;
		/* the reader as its object, within the next three words ("odotan sua", "wait for
		 * you", "see you"); after your shift names the reader too */
		for (size_t j = k + 1, seen = 0; j < b && seen < 3; j++) {
			if (!vword(ta, j))
				continue;
			seen++;
			if (reader_word(ta, j, ll, 0)) {
				*z = cue;
				return k;
			}
		}
		if (readers_own(ta, a, cue, ll, 0)) {
			*z = cue;
			return k;
		}
	}
	return SIZE_MAX;
}

/*
 * A lawful way ruled out, sentence [a, b): a negation and within four words a word of recourse,
 * with only a verb of meaning or speaking between them, or none ("Enkä puhu reklamaatiosta",
 * "Ja se ei tarkota mitään valitusta", "Eikä pelkästään rahalla", "and I don't mean a
 * complaint", "and not in a financial way"), and no "but" / "vaan" / "just" after it ("en
 * tarkoita valitusta vaan palautetta", "I don't mean a complaint, just feedback"). With a
 * consequence elsewhere in the text ("Saatte nähdä mitä tästä seuraa", "you'll regret it"), the
 * consequence is not the lawful one. Returns the recourse word, or SIZE_MAX.
 */
static size_t recourse_ruled_out(const struct text_analyzer *ta, size_t a, size_t b, int ll, int *strong,
				 size_t *neg_at)
{
	/* closed grammar: a sentence that adds to the one before ("Ja se ei tarkota...", "And I
	 * don't mean...", "Enkä puhu...") */
	static const char *const adds[] = { "ja", "and", "enkä", "eikä", NULL };
	/* voikko reads "valitusta" as "valittu" (chosen) first */
	static const char *const complaint_fi[] = { "valitusta", "valituksesta", "valitukseen", "valituksia", NULL };
	static const char *const neg_fi[] = { "enkä", "eikä", "ei", "en", NULL };
	static const char *const mean[] = { "tarkoittaa", "puhua", "mean", "talk", "talking", "meaning", NULL };
	/* what the customer wants instead: "vaan palautetta", "just feedback", "haluan vain rahat" */
	static const char *const but[] = { "vaan", "mutta", "but", "just", "only", "rather", "instead", "vain", "haluan",
					   "want", "mean", NULL };
	/* a fragment: "Eikä pelkästään rahalla", "and not in a financial way" */
	static const char *const only[] = { "pelkästään", "pelkkä", "only", "just", "purely", "simply", NULL };
	static const char *const and_w[] = { "and", "ja", NULL };
	static const char *const cop_not[] = { "isn't", "isnt", "wasn't", "aren't", "ain't", NULL };
	for (size_t k = a; k < b; k++) {
		if (!vword(ta, k))
			continue;
		const struct text_tok *t = &ta->toks[k];
		int neg = ll == TEXT_LL_EN ? (t->w->info.flags & TI_NEGATOR) || (t->flags & TF_NT)
					   : text_tok_in(ta, t, neg_fi);
		if (!neg)
			continue;
		/* "No complaints", "Ei valitusta tuotteesta" only say all was well: without a verb of
		 * meaning the negation must add to what went before ("and not ...", "eikä ...") */
		int fragment = text_tok_is(ta, t, "eikä") || text_tok_is(ta, t, "enkä") ||
			       (k > a && vword(ta, k - 1) && text_tok_in(ta, &ta->toks[k - 1], and_w));
		/* "This isn't a complaint", "this is not a complaint": the copula is in the negation or
		 * right before it */
		int meant = (t->w->info.flags & TI_COPULA) || text_tok_in(ta, t, cop_not) ||
			    (k > a && vword(ta, k - 1) && (ta->toks[k - 1].w->info.flags & TI_COPULA));
		for (size_t j = k + 1, seen = 0; j < b && seen < 4; j++) {
			if (!vword(ta, j))
				continue;
			seen++;
			const struct text_tok *p = &ta->toks[j];
			if ((p->w->rule_class & RC_RECOURSE) || text_tok_in(ta, p, complaint_fi)) {
				if (!meant && !fragment)
					break;
				for (size_t m = j + 1; m < b; m++)
					if (vword(ta, m) && text_tok_in(ta, &ta->toks[m], but))
						return SIZE_MAX;
				/* added to what went before and said with a verb of meaning, it needs no
				 * consequence named: "And I don't mean a complaint." */
				size_t first = a;
				while (first < b && !vword(ta, first))
					first++;
				*strong = meant && first < b && text_tok_in(ta, &ta->toks[first], adds);
				*neg_at = k;
				return j;
			}
			/* a finite verb other than one of meaning: "en halua rahaa" wants, it rules
			 * nothing out */
			/* "tää ei ole valitus", "this isn't a complaint": a copula says what it means too */
			int meaning = text_tok_in(ta, p, mean) || LEMMA_IS(p, "tarkoittaa") || LEMMA_IS(p, "puhua") ||
				      text_tok_is(ta, p, "tarkota") || (p->w->info.flags & TI_COPULA);
			meant |= meaning;
			if (!meaning && !text_tok_in(ta, p, only) &&
			    (ll == TEXT_LL_EN ? !(p->w->info.flags & (TI_FUNC | TI_STOP))
					      : (p->w->info.flags & (TI_FINITE | TI_CONNEG)) != 0))
				break;
		}
	}
	return SIZE_MAX;
}

/* The first token of a consequence for someone in the text, not the speaker's own past act
 * ("mitä tästä seuraa", "saatte katua", "you'll regret it", "tää ei jää tähän"; not "maksoin"),
 * or SIZE_MAX: recourse_ruled_out()'s other half, which must come after it. */
static size_t text_consequence(const struct text_analyzer *ta)
{
	/* voikko reads "seuraa" as "seura" (company) and "katua" as "katu" (street) first */
	static const char *const forms[] = { "seuraa", "seuraisi", "seuraukset", "katua", "katumaan", "maksamaan",
					     "maksat", "maksatte", NULL };
	/* "tää ei jää tähän", "this isn't over", "it won't end here" */
	static const char *const here[] = { "tähän", "over", "here", NULL };
	static const char *const stay[] = { "jää", "jäänyt", "isn't", "end", "ain't", "not", NULL };
	for (size_t j = 0; j < ta->ntoks; j++) {
		if (!vword(ta, j))
			continue;
		if (((ta->toks[j].w->rule_class & RC_CONSEQUENCE) || text_tok_in(ta, &ta->toks[j], forms)) &&
		    !(ta->toks[j].w->info.flags & (TI_PAST | TI_FIRST)))
			return j;
		if (text_tok_in(ta, &ta->toks[j], here) && j > 0 && vword(ta, j - 1) &&
		    text_tok_in(ta, &ta->toks[j - 1], stay) &&
		    ((ta->toks[j - 1].flags & TF_NT) || (ta->toks[j - 1].w->info.flags & TI_NEGATOR) ||
		     negated_before(ta, j - 1)))
			return j;
	}
	return SIZE_MAX;
}

/* 1 if word k (vword()) tells of a fall or a mishap: "kaatuu", "liukastuu", "slip", "trip",
 * the mishap class ("fall", "happen"). A broken leg after one is an accident
 * (third_party_harm(), en_match_safety()). */
static int fall_word(const struct text_analyzer *ta, size_t k)
{
	static const char *const slip[] = { "slip", "slips", "trip", "trips", "liukastuu", "kompastuu", NULL };
	return (ta->toks[k].w->rule_class & RC_MISHAP) || text_tok_in(ta, &ta->toks[k], slip);
}

/* 1 if word k is the writer's own: "my" / "our" / "mun" / "minun" / "meidän" right before it, or a
 * first-person possessive suffix ("poikani") */
static int writers_own(const struct text_analyzer *ta, size_t a, size_t k)
{
	static const char *const mine[] = { "my", "our", "mun", "minun", "meidän", "meiän", NULL };
	return ta->toks[k].w->poss1 || (k > a && vword(ta, k - 1) && text_tok_in(ta, &ta->toks[k - 1], mine));
}

/*
 * English: 1 if threat phrase m, with no "you" in it, tells of a hazard or of the writer's own at
 * risk: "someone will get hurt" followed by "on" / "by" / "from" / "with" and what hurts ("on
 * that broken escalator", "by the loose cable"), or "end up in hospital" said of the writer or
 * theirs ("my dad will", "I'll"). "Refund me or someone will get hurt" and "you'll end up in
 * hospital" stay threats. A fall or slip just before any such phrase makes it an accident
 * ("someone will slip and break his leg on those stairs").
 */
static int en_match_safety(const struct text_analyzer *ta, const struct text_match *m)
{
	static const char *const you[] = { "you", "your", "u", "ya", "you'll", "you're", NULL };
	static const char *const cause[] = { "on", "by", "from", "with", "using", NULL };
	static const char *const self[] = { "i", "i'll", "i'm", "we", "we'll", NULL };
	static const char *const harm[] = { "hurt", "hospital", NULL };
	size_t first = match_first_tok(ta, m), last = first;
	int harmed = 0;
	for (size_t k = first; k < ta->ntoks && ta->toks[k].start < m->end; k++) {
		if (vword(ta, k) && text_tok_in(ta, &ta->toks[k], you))
			return 0;
		harmed |= vword(ta, k) && text_tok_in(ta, &ta->toks[k], harm);
		last = k;
	}
	/* "someone will slip and break his leg": a fall before the phrase makes it an accident */
	for (size_t k = first, seen = 0; k-- > 0 && seen < 6;) {
		if (ta->toks[k].type == TT_END)
			break;
		if (!vword(ta, k))
			continue;
		seen++;
		if (fall_word(ta, k))
			return 1;
	}
	if (!harmed) /* only these phrases: "I'll find you", "I hope you die" are the writer's threats */
		return 0;
	if (text_tok_is(ta, &ta->toks[last], "hurt") && last + 1 < ta->ntoks && vword(ta, last + 1) &&
	    text_tok_in(ta, &ta->toks[last + 1], cause))
		return 1;
	/* the subject within the three words before the phrase */
	for (size_t k = first, seen = 0; k-- > 0 && seen < 3;) {
		if (ta->toks[k].type == TT_END || ta->toks[k].type == TT_CLAUSE)
			break;
		if (!vword(ta, k))
			continue;
		seen++;
		if (text_tok_in(ta, &ta->toks[k], self) || writers_own(ta, 0, k))
			return 1;
	}
	return 0;
}

/* 1 if match m has a word of consequence in it ("saatte vielä katua") */
static int match_regret(const struct text_analyzer *ta, const struct text_match *m)
{
	/* voikko reads "katua" as "katu" (street) first */
	static const char *const regret_forms[] = { "katua", "katumaan", NULL };
	for (size_t k = match_first_tok(ta, m); k < ta->ntoks && ta->toks[k].start < m->end; k++)
		if (vword(ta, k) && ((ta->toks[k].w->rule_class & RC_CONSEQUENCE) ||
				     text_tok_in(ta, &ta->toks[k], regret_forms)))
			return 1;
	return 0;
}

/* 1 if the text names a lawful recourse, not ruled out: "Vien asian kuluttajaneuvontaan",
 * "vaihdan operaattoria": a "saatte vielä katua" in it is a business threat. */
static int text_recourse(const struct text_analyzer *ta)
{
	/* money and rights are what a customer wants back, not a way to get it: "I want my money
	 * back" leaves "that driver is going to regret this" a threat */
	static const char *const wanted[] = { "raha", "oikeus", "money", "financial", "financially", NULL };
	for (size_t j = 0; j < ta->ntoks; j++)
		if (vword(ta, j) && (ta->toks[j].w->rule_class & RC_RECOURSE) && !text_lemma_in(ta->toks[j].w, wanted) &&
		    !negated_before(ta, j))
			return 1;
	return 0;
}

/* 1 if token j is a person word for a third-party threat: a person noun or an agent noun
 * ("vartija", "kassatyttö", "lipuntarkastaja", "the driver", "that nurse"), a name, or a
 * third-person pronoun. */
static int third_person_at(const struct text_analyzer *ta, size_t a, size_t j, int ll)
{
	static const char *const en_3[] = { "he", "she", "him", "her", "he's", "she's", "he'll", "she'll", NULL };
	static const char *const fi_3[] = { "hän", "hänet", "häntä", "hänelle", NULL };
	if (!vword(ta, j))
		return 0;
	const struct text_tok *t = &ta->toks[j];
	const struct text_word *w = t->w;
	if (w->rule_class & (RC_VERMIN | RC_ANIMAL))
		return 0;
	if (ll == TEXT_LL_EN)
		return text_tok_in(ta, t, en_3) || (w->rule_class & RC_STAFF) || en_person_tok(t, j > a);
	return text_tok_in(ta, t, fi_3) || (w->rule_class & (RC_PERSON_NOUN | RC_KIN | RC_STAFF | RC_GIVEN_NAME)) ||
	       agent_noun(w) || person_shaped(w);
}

/* 1 if body part j, near harm verb k, is a third person's: right before it "hänen" / "sen" /
 * "his" / "her" / a person's genitive ("that guard's face"), or a person as the verb's object
 * ("lyön sitä myyjää naamaan", "kick him in the head"; not with owner_only, for a thing: "burn
 * his car", not "burn him a CD"). The speaker's own ("my", "-ni") and the reader's
 * (harm_to_body()) are not. */
static int third_body(const struct text_analyzer *ta, size_t a, size_t b, size_t k, size_t j, int ll, int owner_only)
{
	static const char *const owner_fi[] = { "hänen", "sen", NULL };
	static const char *const owner_en[] = { "his", "her", "their", NULL };
	static const char *const obj_en[] = { "him", "her", "them", NULL };
	const struct text_word *w = ta->toks[j].w;
	/* a Finnish third-person suffix alone is the subject's own: "joku kaatuu ja murtaa jalkansa" */
	if (w->poss1 || (w->info.flags & TI_POSS2))
		return 0;
	if (j > a && vword(ta, j - 1)) {
		const struct text_tok *p = &ta->toks[j - 1];
		if (text_tok_in(ta, p, ll == TEXT_LL_EN ? owner_en : owner_fi) ||
		    (ll == TEXT_LL_EN && norm_ends(ta, p, "'s") && third_person_at(ta, a, j - 1, ll)))
			return 1;
	}
	if (owner_only)
		return 0;
	if (ll == TEXT_LL_FI)
		return fi_person_object(ta, a, b, k);
	for (size_t m = k + 1; m < j; m++)
		if (vword(ta, m) && (text_tok_in(ta, &ta->toks[m], obj_en) || third_person_at(ta, a, m, ll)))
			return 1;
	return 0;
}

/* Finnish: 1 if word j (vword()) is a beating, a body part of blows in the illative ("turpaan",
 * "turpiin", "turpaansa", "selkääsi", "köniin"): "saada turpaan" is to be beaten, "vetää
 * turpiin" to beat. */
static int beating_word(const struct text_analyzer *ta, size_t j)
{
	static const char *const beating[] = { "turpa", "selkä", "kuono", "köni", "lätty", "nokka", "pata", NULL };
	/* the illative, singular or plural, with or without a possessive suffix */
	static const char *const ill[] = { "aan", "ään", "oon", "iin", "uun", "een", "aansa", "äänsä", "oonsa",
					   "iinsa", "eensa", "aasi", "ääsi", "oosi", "iisi", NULL };
	const struct text_tok *p = &ta->toks[j];
	int form = 0;
	for (int m = 0; ill[m] && !form; m++)
		form = norm_ends(ta, p, ill[m]);
	return form && text_lemma_in(p->w, beating);
}

/*
 * Harm promised to a third person, sentence [a, b): the threats of staff said to someone else.
 * Returns the verb (or formula), *z its last token, or SIZE_MAX.
 *  - Finnish "saada turpaansa / selkäänsä / köniin" (to get a beating), not the speaker's, not
 *    past, denied or asked, of the reader or of a person the sentence names: "jos se vartija
 *    tulee vastaan, se saa turpaansa", "saat vielä selkääsi" (the reader: aimed); "jos eivät
 *    noudata, saavat turpaan" (a group, a policy) is none.
 *  - A violent verb with a person as its object and someone to do it: "joku" / "someone" as its
 *    subject, or a wish before it ("toivon että joku hakkaa sen tädin", "joku vielä vetää sitä
 *    portsaria turpiin", "I hope someone beats up that guard").
 *  - "X needs / deserves a good kicking", of a person.
 * "Joku hakkasi auton ikkunan", "toivottavasti joku korjaa sen", "the carpet needs a good
 * beating" and "Pekka sai turpaansa eilen" match none.
 */
static size_t third_party_harm(const struct text_analyzer *ta, size_t a, size_t b, int ll, int asks, size_t *z)
{
	static const char *const someone[] = { "joku", "jonkun", "someone", "somebody", "someone's", "somebody's",
						"anyone", NULL };
	static const char *const en_beating[] = { "kicking", "beating", "hiding", "thrashing", "slap", "smack", NULL };
	static const char *const needs[] = { "needs", "deserves", "need", "deserve", NULL };
	static const char *const hospital_fi[] = { "sairaalakuntoon", "sairaalaan", "teholle", NULL };
	static const char *const obj_en[] = { "him", "her", "them", NULL };
	static const char *const obj_fi[] = { "sille", "hänelle", "sen", "hänet", "sitä", "häntä", NULL };
	/* voikko reads "annan" as the name Anna first */
	static const char *const give_fi[] = { "annan", "annetaan", NULL };
	if (asks)
		return SIZE_MAX;
	int wish = 0, subj = 0, persons = -1; /* persons: third_person_at() words, counted once */
	/* a fall in the sentence makes a broken leg an accident: "joku kaatuu ja murtaa jalkansa",
	 * "someone will slip and break his leg" */
	int accident = 0;
	for (size_t k = a; k < b && !accident; k++)
		accident = vword(ta, k) && fall_word(ta, k);
	for (size_t k = a; k < b; k++) {
		if (!vword(ta, k))
			continue;
		const struct text_tok *t = &ta->toks[k];
		const struct text_word *w = t->w;
		if ((w->rule_class & RC_WISH) || LEMMA_IS(t, "toivoa") || text_tok_is(ta, t, "hope"))
			wish = 1;
		if (text_tok_in(ta, t, someone))
			subj = 1;
		/* one person, not a group: "jos eivät noudata, saavat turpaan" states a policy */
		if (ll == TEXT_LL_FI && LEMMA_IS(t, "saada") && !(w->info.flags & (TI_FIRST | TI_PAST | TI_QUEST)) &&
		    !norm_ends(ta, t, "vat") && !norm_ends(ta, t, "vät") && !negated_before(ta, k)) {
			/* said of the reader ("saat turpaan") or of a person the sentence names ("jos nään
			 * sen vartijan, se saa turpaansa"); "kuka tahansa saa turpaan siellä" is a place */
			if (persons < 0) {
				persons = 0;
				for (size_t j = a; j < b; j++)
					persons += third_person_at(ta, a, j, ll);
			}
			int named = (w->info.flags & TI_SECOND) || persons > third_person_at(ta, a, k, ll);
			/* the beating in the illative, with or without a possessive suffix */
			for (size_t j = k + 1, seen = 0; j < b && seen < 2 && named; j++) {
				if (!vword(ta, j))
					continue;
				seen++;
				if (beating_word(ta, j)) {
					*z = j;
					return k;
				}
			}
		}
		/* a violent verb with a person object and someone to do it ("vetää sitä portsaria
		 * turpiin": a verb with the beating after it) */
		int beats = w->info.abuse[TA_THREAT] > 0;
		if (!beats && ll == TEXT_LL_FI && (w->info.flags & TI_FINITE) && (subj || wish))
			for (size_t j = k + 1, seen = 0; j < b && seen < 5 && !beats; j++)
				if (vword(ta, j) && (seen++, 1))
					beats = beating_word(ta, j);
		if (beats && (subj || wish) &&
		    !(w->info.flags & (TI_PAST | TI_FIRST)) && !negated_before(ta, k) && !thing_target(ta, k)) {
			/* the person within the next eight words of the clause, in Finnish not in the
			 * nominative ("hakkaa sen tiskin takana istuvan tädin") */
			int person = ll == TEXT_LL_FI && fi_person_object(ta, a, b, k);
			for (size_t j = k + 1, seen = 0; j < b && seen < 8 && !person; j++) {
				if (ta->toks[j].type == TT_CLAUSE)
					break;
				if (vword(ta, j) && (seen++, 1))
					person = third_person_at(ta, a, j, ll) &&
						 !(ll == TEXT_LL_FI && (ta->toks[j].w->info.flags & TI_NOMINAL));
			}
			if (person) {
				*z = k;
				return k;
			}
		}
		/* a blow to a third person's body: "I hope someone smashes that guard's face in", "I'll
		 * break his legs", "lyön sitä myyjää naamaan", "potkin sen päähän" */
		/* ... or to their home or car: "someone should torch his car", "set that manager's car on
		 * fire", "poltan sen auton" */
		int set_fire = 0;
		if (ll == TEXT_LL_EN && text_tok_is(ta, t, "set"))
			for (size_t j = k + 1, seen = 0; j < b && seen < 6 && !set_fire; j++)
				if (vword(ta, j) && (seen++, 1))
					set_fire = text_tok_is(ta, &ta->toks[j], "fire") || text_tok_is(ta, &ta->toks[j], "alight");
		if (((w->rule_class & (RC_HARM | RC_WRECK)) || set_fire) && !(w->info.flags & TI_PAST) &&
		    !negated_before(ta, k) &&
		    (subj || wish || (ll == TEXT_LL_EN ? en_speaker_commits(ta, a, k) : speaker_wrecks(ta, a, k, ll)))) {
			size_t j = accident ? SIZE_MAX : class_near(ta, k, RC_BODY);
			int thing = 0;
			if (j == SIZE_MAX && ((w->rule_class & RC_WRECK) || set_fire)) {
				/* the thing within five words ("set that property manager's car on fire") */
				for (size_t m = k + 1, seen = 0; m < b && seen < 5 && j == SIZE_MAX; m++) {
					if (ta->toks[m].type == TT_CLAUSE)
						break;
					if (vword(ta, m) && (seen++, ta->toks[m].w->rule_class & RC_PRIVATE))
						j = m;
				}
				thing = 1;
			}
			if (j != SIZE_MAX && third_body(ta, a, b, k, j, ll, thing)) {
				*z = j > k ? j : k;
				return j > k ? k : j;
			}
		}
		/* "I'll give him a good kicking", "someone should put that bouncer in hospital", "annan
		 * sille turpaan", "hakkaan sen sairaalakuntoon": the act by its result, with a person
		 * as the one it is done to */
		if ((subj || wish || (ll == TEXT_LL_EN ? en_speaker_commits(ta, a, k)
						       : ((w->info.flags & TI_FIRST) && !(w->info.flags & (TI_PAST | TI_COND))))) &&
		    !negated_before(ta, k) && !(w->info.flags & TI_PAST)) {
			size_t res = SIZE_MAX;
			int given = ll == TEXT_LL_EN ? text_tok_is(ta, t, "give") || text_tok_is(ta, t, "put")
						     : LEMMA_IS(t, "antaa") || text_tok_in(ta, t, give_fi) || (w->rule_class & RC_HARM) != 0;
			for (size_t j = k + 1, seen = 0; given && j < b && seen < 5 && res == SIZE_MAX; j++) {
				if (ta->toks[j].type == TT_CLAUSE)
					break;
				if (!vword(ta, j))
					continue;
				seen++;
				if (ll == TEXT_LL_EN ? (text_tok_is(ta, t, "give") && text_tok_in(ta, &ta->toks[j], en_beating)) ||
							       (text_tok_is(ta, t, "put") && text_tok_is(ta, &ta->toks[j], "hospital"))
						     : ((LEMMA_IS(t, "antaa") || text_tok_in(ta, t, give_fi)) && beating_word(ta, j)) ||
							       text_tok_in(ta, &ta->toks[j], hospital_fi))
					res = j;
			}
			if (res != SIZE_MAX) {
				int person = 0;
				for (size_t j = k + 1; j < res && !person; j++)
					person = third_person_at(ta, a, j, ll) || (ll == TEXT_LL_EN ? text_tok_in(ta, &ta->toks[j], obj_en)
											     : text_tok_in(ta, &ta->toks[j], obj_fi));
				if (person) {
					*z = res;
					return k;
				}
			}
		}
		if (ll == TEXT_LL_EN && text_tok_in(ta, t, en_beating) && k > a + 1) {
			size_t n = SIZE_MAX;
			for (size_t j = k, seen = 0; j-- > a && seen < 3;)
				if (vword(ta, j) && (seen++, text_tok_in(ta, &ta->toks[j], needs)))
					n = j;
			if (n != SIZE_MAX)
				for (size_t j = a; j < n; j++)
					if (third_person_at(ta, a, j, ll)) {
						*z = k;
						return n;
					}
		}
	}
	return SIZE_MAX;
}

/*
 * A threat formula said of a third person (not the writer's own, not a customer), sentence
 * [a, b): the formulas of "you'll regret it" with a person as the one who will ("Sille
 * kuljettajalle käy vielä huonosti", "sille tullaan vielä käymään", "se kassatyttö saa vielä
 * katua / saa nähdä mitä tapahtuu", "se kuski saa vielä pataansa" is third_party_harm()'s,
 * "that driver is going to regret this", "the checkout girl will be sorry", "will pay for
 * this", "that receptionist is going to get what's coming to her", "the chef had better watch
 * himself / his back"). Said to the reader these are
 * phrases (data/lexicon/phrases.tsv); of a company or a thing ("your company will regret
 * this") they are business talk, and a text naming a lawful recourse ("...when I post my
 * review") makes them so too. Returns the formula's first token, *z its last.
 */
static size_t third_party_formula(const struct text_analyzer *ta, size_t a, size_t b, int ll, int asks, size_t *z)
{
	static const char *const badly[] = { "huonosti", "köpelösti", "kalpaten", NULL };
	static const char *const regret_fi[] = { "katua", "katumaan", NULL };
	static const char *const allative[] = { "sille", "hänelle", NULL };
	static const char *const en_will[] = { "going", "gonna", "will", "he'll", "she'll", "they'll", NULL };
	static const char *const en_self[] = { "himself", "herself", NULL };
	static const char *const en_poss3[] = { "his", "her", NULL };
	static const char *const customers[] = { "asiakas", "customer", "customers", NULL };
	/* closed list: the formulas' key words; most sentences have none, and the person tests
	 * below are the cost */
	static const char *const keys_fi[] = { "käy", "tullaan", "saa", NULL };
	static const char *const keys_en[] = { "regret", "sorry", "coming", "watch", "pay", NULL };
	if (asks || negator_in(ta, a, b))
		return SIZE_MAX;
	int key = 0;
	for (size_t k = a; k < b && !key; k++)
		key = vword(ta, k) && text_tok_in(ta, &ta->toks[k], ll == TEXT_LL_EN ? keys_en : keys_fi);
	if (!key)
		return SIZE_MAX;
	int person = 0, to_person = 0;
	for (size_t k = a; k < b; k++) {
		if (!vword(ta, k))
			continue;
		const struct text_tok *t = &ta->toks[k];
		const struct text_word *w = t->w;
		/* the writer's own ("my wife is going to regret this purchase", "mun poika"), and
		 * customers, of whom the company is told ("jos toimitus myöhästyy, sille asiakkaalle
		 * käy huonosti") */
		if (writers_own(ta, a, k) || text_lemma_in(w, customers))
			continue;
		if (ll == TEXT_LL_FI) {
			/* a person named, or one to whom it will happen ("sille kuljettajalle") */
			/* "sille" alone, or before a person noun that decides ("sille asiakkaalle" is skipped
			 * above) */
			size_t nx = next_word(ta, k, b);
			int noun_next = nx < b && (ta->toks[nx].w->info.flags & TI_CONTENT) && norm_ends(ta, &ta->toks[nx], "lle");
			to_person |= (text_tok_in(ta, t, allative) && !noun_next) ||
				     (third_person_at(ta, a, k, ll) && norm_ends(ta, t, "lle"));
			person |= third_person_at(ta, a, k, ll);
			size_t n = next_word(ta, k, b);
			if (n >= b)
				continue;
			const struct text_tok *nt = &ta->toks[n];
			size_t n2 = next_word(ta, n, b);
			/* "käy (vielä) huonosti" */
			if (LEMMA_IS(t, "käydä") && !(w->info.flags & (TI_PAST | TI_FIRST | TI_COND)) && to_person &&
			    !subordinate_clause(ta, k) &&
			    (text_tok_in(ta, nt, badly) || (n2 < b && text_tok_in(ta, &ta->toks[n2], badly)))) {
				*z = text_tok_in(ta, nt, badly) ? n : n2;
				return k;
			}
			/* "tullaan (vielä) käymään" */
			if (text_tok_is(ta, t, "tullaan") && to_person &&
			    (text_tok_is(ta, nt, "käymään") || (n2 < b && text_tok_is(ta, &ta->toks[n2], "käymään")))) {
				*z = text_tok_is(ta, nt, "käymään") ? n : n2;
				return k;
			}
			/* "X saa (vielä) katua", "X saa nähdä mitä tapahtuu" */
			if (LEMMA_IS(t, "saada") && person && !(w->info.flags & (TI_PAST | TI_FIRST | TI_SECOND | TI_QUEST))) {
				size_t v = text_tok_is(ta, nt, "vielä") && n2 < b ? n2 : n;
				const struct text_tok *vt = &ta->toks[v];
				size_t v2 = next_word(ta, v, b);
				if (text_tok_in(ta, vt, regret_fi) ||
				    (text_tok_is(ta, vt, "nähdä") && v2 < b && text_tok_is(ta, &ta->toks[v2], "mitä"))) {
					*z = v;
					return k;
				}
			}
			continue;
		}
		person |= third_person_at(ta, a, k, ll) && !text_tok_is(ta, t, "her") && !text_tok_is(ta, t, "him");
		if (!person)
			continue;
		size_t p1 = k, seen = 0;
		int will = 0;
		for (size_t j = k; j-- > a && seen < 3;)
			if (vword(ta, j) && (seen++, 1) && text_tok_in(ta, &ta->toks[j], en_will))
				will = 1, p1 = j;
		/* "is going to regret", "will be sorry", "get what's coming" */
		int for_this = k + 2 < b && text_tok_is(ta, &ta->toks[k + 1], "for") &&
			       (text_tok_is(ta, &ta->toks[k + 2], "this") || text_tok_is(ta, &ta->toks[k + 2], "that"));
		if ((text_tok_is(ta, t, "regret") && will) || (text_tok_is(ta, t, "sorry") && will) ||
		    (text_tok_is(ta, t, "pay") && will && for_this) ||
		    (text_tok_is(ta, t, "coming") && k > a && vword(ta, k - 1) && text_tok_is(ta, &ta->toks[k - 1], "what's"))) {
			*z = k;
			return p1;
		}
		/* "had better watch himself / his back" */
		if (text_tok_is(ta, t, "watch") && k + 1 < b && vword(ta, k + 1) &&
		    (text_tok_in(ta, &ta->toks[k + 1], en_self) ||
		     (text_tok_in(ta, &ta->toks[k + 1], en_poss3) && k + 2 < b && text_tok_is(ta, &ta->toks[k + 2], "back")))) {
			*z = text_tok_in(ta, &ta->toks[k + 1], en_self) ? k + 1 : k + 2;
			return k;
		}
	}
	return SIZE_MAX;
}

int text_analyze_lex(struct text_analyzer *ta, const char *s, size_t len, enum text_lang lang,
		     struct text_result *out)
{
	memset(out, 0, sizeof(*out));
	ta->ntoks = 0;
	ta->nmatches = 0;
	if (!s && len)
		return TEXT_EINVAL;
	if (len > TEXT_MAX_INPUT)
		return TEXT_ETOOLONG;
	if (!text_utf8_valid(s, len))
		return TEXT_EUTF8;
	text_cache_maybe_trim(ta);
	int rc = text_tokenize(ta, s, len);
	if (rc)
		return rc;

	/* words in both languages when detecting, else only the forced one */
	int need_fi = lang == TEXT_LANG_AUTO || lang == TEXT_LANG_FI || lang == TEXT_LANG_OTHER;
	int need_en = lang == TEXT_LANG_AUTO || lang == TEXT_LANG_EN || lang == TEXT_LANG_OTHER;
	if ((rc = join_symbol_evasions(ta, s, need_fi, need_en)))
		return rc;
	mark_quoted(ta, s, len);
	ta->pin_val = -1;
	ta->rq_ok = 0;
	for (size_t i = 0; i < ta->ntoks; i++) {
		struct text_tok *t = &ta->toks[i];
		if (t->type != TT_WORD)
			continue;
		if (need_fi && !(t->wfi = tok_word(ta, t, TEXT_LL_FI)))
			return TEXT_ENOMEM;
		if (need_en && !(t->wen = tok_word(ta, t, TEXT_LL_EN)))
			return TEXT_ENOMEM;
	}
	enum text_lang use;
	if (lang == TEXT_LANG_AUTO || lang == TEXT_LANG_OTHER) {
		detect_lang(ta, &out->lang, &out->lang_conf);
		if (lang == TEXT_LANG_OTHER)
			out->lang = TEXT_LANG_OTHER;
		use = out->lang;
		if (use == TEXT_LANG_OTHER) {
			/* still analyse with the closer of the two lexicons */
			double fi = 0, en = 0;
			for (size_t i = 0; i < ta->ntoks; i++)
				if (ta->toks[i].type == TT_WORD) {
					fi += (ta->toks[i].wfi->info.flags & TI_KNOWN) != 0;
					en += (ta->toks[i].wen->info.flags & TI_KNOWN) != 0;
				}
			use = en > fi ? TEXT_LANG_EN : TEXT_LANG_FI;
		}
	} else {
		out->lang = lang;
		out->lang_conf = 1.0;
		use = lang;
	}
	ta->lang = use;
	int ll = use == TEXT_LANG_EN ? TEXT_LL_EN : TEXT_LL_FI;
	int allcaps_text = 1;
	for (size_t i = 0; i < ta->ntoks; i++) {
		struct text_tok *t = &ta->toks[i];
		if (t->type == TT_WORD) {
			t->w = ll == TEXT_LL_FI ? t->wfi : t->wen;
			/* a Finnish swear word or insult in an English text ("the service was paska and
			 * you are an ääliö"): a word English does not know and Finnish knows as strong
			 * abuse is read as the Finnish word (English words in a Finnish text are already
			 * in the Finnish lists, from the loanwords of Finnish slang) */
			if (ll == TEXT_LL_EN && t->wfi && t->wen && !(t->wen->info.flags & TI_KNOWN) &&
			    (t->wfi->info.flags & TI_KNOWN) && !(t->flags & TF_CAPITAL) &&
			    fmaxf(t->wfi->info.abuse[TA_INSULT], t->wfi->info.abuse[TA_OBSCENE]) >= 0.8f)
				t->w = t->wfi;
			out->ntokens++;
			if (!(t->flags & TF_ALLCAPS))
				allcaps_text = 0;
		} else if (t->type == TT_EMOJI || t->type == TT_EMOTICON) {
			if (!(t->w = tok_word(ta, t, ll)))
				return TEXT_ENOMEM;
		}
	}
	if (find_phrases(ta, ll) < 0)
		return TEXT_ENOMEM;

	double total = 0, e[TA_N] = { 0 };
	double rude = 0; /* English insult adjectives said of a thing: toxicity, not insult */
	double slur_ins = 0; /* insult evidence of slurs: not counted again in toxicity */
	int aimed = 0;
	int severe = 0; /* text_result.severe, before the check that the text is flagged */
	int prev_signoff = 0; /* the previous sentence was only a sign-off word ("T.") */
	int text_fiction_seen = -1, text_playful_seen = -1; /* struct severe_cx's caches */
	size_t consequence_at = SIZE_MAX; /* text_consequence(), asked once (consequence_known) */
	int consequence_known = 0;
	int recourse_seen = -1; /* text_recourse(), asked once */
	size_t prev_a = 0; /* the previous sentence's first token (pity_if() reads it) */
	mark_formulas(ta);
	size_t last_word = ta->ntoks;
	for (size_t j = ta->ntoks; j-- > 0;)
		if (ta->toks[j].type == TT_WORD) {
			last_word = j;
			break;
		}
	struct spanbuf sb = { 0 };
	for (size_t a = 0; a < ta->ntoks;) {
		size_t b = a;
		while (b < ta->ntoks && ta->toks[b].type != TT_END)
			b++;
		/* sentence [a, b); ta->toks[b] is its end punctuation if b < ntoks */
		if (ll == TEXT_LL_FI) {
			ta->pin_val = -1;
			ta->pin_val = fi_person_in(ta, a, b);
			ta->pin_a = a;
			ta->pin_b = b;
		}
		speech_verbs_from(ta, a);
		const double threat_before = e[TA_THREAT]; /* this sentence's threat: the difference */
		const int severe_before = severe; /* a reported or fictional sentence adds no severity */
		int second = 0, first = 0, nwords = 0, hostile = 0, insult_words = 0, imper = 0;
		int hostile_grp = 0; /* of hostile: group nouns hostile only by their own valence */
		int told_grp = 0;    /* a slur in the sentence is quoted by someone telling of it */
		int grp_quoted = 0, grp_free = 0; /* group nouns inside a reported quotation, and not */
		double grp_val = 0;  /* the group nouns' own valence ("homo" -3, "lesbo" -0.6) */
		int second_owner = 0; /* a second person that is not only a possessive on a noun */
		int addressed = 0; /* a second-person word other than an imperative verb */
		int formula = 0;  /* thanks/apology words */
		int finite = 0;   /* a first- or third-person finite verb: "Se on persu" is no address */
		int negcue = 0;   /* a negation or a negative word */
		int emo = 0;      /* an emoji or emoticon with a valence */
		int removal = 0;  /* strongest exclusion_word() kind in the sentence */
		long mind = -1;   /* a "your head/brain" word: "päässäsi", "aivosi", "järkesi" */
		long fault = -1;  /* the first fault noun: "vika", "virhe", "ongelma" */
		long contrast = -1;
		float idgroup = 0;
		/* the veiled-threat rules' gates: the word classes, a negation, a violent word */
		uint64_t cls_union = 0;
		int negated_s = 0, threatish = 0, persony = 0;
		for (size_t i = a; i < b; i++) {
			const struct text_tok *t = &ta->toks[i];
			if ((t->type == TT_EMOJI || t->type == TT_EMOTICON) && t->w && (t->w->info.flags & TI_HASVAL))
				emo = 1;
			if (t->type != TT_WORD || !t->w)
				continue;
			const struct text_info *in = &t->w->info;
			nwords++;
			cls_union |= t->w->rule_class;
			persony |= (t->flags & TF_CAPITAL) || text_tok_is(ta, t, "sille");
			negated_s |= (in->flags & TI_NEGATOR) || (t->flags & TF_NT);
			threatish |= in->abuse[TA_THREAT] > 0;
			formula += (in->flags & (TI_THANKS | TI_APOLOGY)) != 0;
			/* not "surkea sää"; not a connegative after a first-person "en": "olen sairas
			 * enkä pääse" (a "you" only by its imperative reading) */
			int you = (in->flags & TI_SECOND) && !fi_weather(ta, a, i) && !fi_conneg_after_first(ta, a, i);
			second |= you;
			/* "teidän laskuissa", "sovelluksenne": a possessive names the reader's thing, it does
			 * not address the reader ("vittu mikä sekasotku teidän laskuissa") */
			addressed |= you && !(in->flags & TI_IMPER) &&
				     !(ll == TEXT_LL_FI && fi_possessive_you(ta, b, i));
			second_owner |= you && !(in->flags & TI_POSS2);
			first |= (in->flags & TI_FIRST) != 0;
			if ((in->flags & TI_CONTRAST) && contrast < 0 && i > a)
				contrast = (long)i;
			/* "Olen homo ja mieheni kanssa...", "I'm gay": the writer says who they are */
			if (in->idgroup > 0 && self_identified(ta, a, i))
				continue;
			if (in->abuse[TA_INSULT] >= 0.5f || in->abuse[TA_OBSCENE] >= 0.5f || in->abuse[TA_IDENTITY] >= 0.5f ||
			    in->valence <= -2) {
				hostile++;
				if (in->idgroup > 0 && in->abuse[TA_INSULT] < 0.5f && in->abuse[TA_OBSCENE] < 0.5f &&
				    in->abuse[TA_IDENTITY] < 0.5f)
					hostile_grp++;
			}
			if (in->idgroup > 0)
				grp_val += in->valence;
			else if (ll == TEXT_LL_FI && exclusion_word(t->w) > removal)
				removal = exclusion_word(t->w);
			if (in->abuse[TA_INSULT] > 0)
				insult_words++;
			if (in->idgroup > idgroup)
				idgroup = in->idgroup;
			/* the group named inside a quotation the writer reports ("vartija sanoi minulle 'te
			 * romanit varastatte aina'", "the teacher told the class that 'Muslims are
			 * terrorists'"): a customer telling of discrimination, no attack by them */
			if (in->idgroup > 0) {
				if (((t->flags & TF_QUOTED) &&
				     (ll == TEXT_LL_FI ? reported_quote(ta, a, i) : en_reported(ta, a, b, i))) ||
				    (ll == TEXT_LL_FI && reported_calling(ta, a, b, i)) ||
				    (ll == TEXT_LL_EN && en_reported(ta, a, b, i)) || speech_told(ta, a, b) < i)
					grp_quoted = 1;
				else
					grp_free = 1;
			}
			if (in->flags & TI_IMPER)
				imper = 1;
			finite |= (in->flags & TI_FINITE) != 0;
			/* (not one thanked for: "kiitämme ymmärryksestänne", "kiitos kärsivällisyydestäsi",
			 * the elative after a thanks word, is the politest sign-off there is) */
			if (ll == TEXT_LL_FI && (in->flags & TI_POSS2) && is_mind_noun(t->w) && mind < 0 &&
			    !(t->w->elative && flags_before(ta, a, i, TI_THANKS, 0, 0, 1)))
				mind = (long)i;
			if ((t->w->rule_class & RC_FAULT) && fault < 0)
				fault = (long)i;
			if (((in->flags & TI_NEGATOR) && !(in->flags & TI_QUEST)) || in->valence <= -1)
				negcue = 1;
		}
		int excl = b < ta->ntoks ? ta->toks[b].excl : 0;
		/* a bare vocative ("Idiootti!", "Senkin hölmö!", "Painu pois, urpo") has no verb of
		 * its own; "Se on persu", "Tuli typerä olo" say something of someone or something */
		int aimed_sent = second || (insult_words > 0 && nwords <= 3 && !finite) || vocative_insult(ta, a, b);
		int sig = ll == TEXT_LL_FI && signature(ta, a, b, prev_signoff, last_word);
		if (sig)
			aimed_sent = 0;
		prev_signoff = nwords == 1 && signoff_word(ta, &ta->toks[a]);

		double sum = 0;
		for (size_t i = a; i < b; i++) {
			struct text_tok *t = &ta->toks[i];
			double like = ll == TEXT_LL_FI ? like_verb_valence(ta, i, b) : 0;
			if (!t->w || (!(t->w->info.flags & TI_HASVAL) && like == 0) || (t->flags & TF_FORMULA))
				continue;
			if (ll == TEXT_LL_FI && like == 0 && fi_wait_request(t->w))
				continue;
			if (en_degree_adverb(ta, b, i)) /* "insanely good": boosts, below */
				continue;
			if (everyday_sense(ta, a, b, i) || greeted_name(ta, i) || street_name(ta, i)) /* "meidän narttu pentui", "Hi Dick," */
				continue;
			/* "tappaa aikaa", "lyödä lukkoon", "polttaa tupakkaa": an idiom, no violence felt */
			if (ll == TEXT_LL_FI && like == 0 && t->w->info.valence < 0 && violent_idiom(ta, b, i))
				continue;
			double v = like != 0 ? like : t->w->info.valence, m = 1;
			int neg = 0, seen = 0;
			for (size_t j = i; j-- > a && seen < 3;) {
				const struct text_tok *p = &ta->toks[j];
				if (p->type == TT_CLAUSE)
					break;
				if (p->type != TT_WORD || !p->w)
					continue;
				seen++;
				/* "eikö olekin ihanaa?" asserts (a rhetorical question), it does not negate */
				if (((p->w->info.flags & TI_NEGATOR) && !(p->w->info.flags & TI_QUEST)) || (p->flags & TF_NT))
					neg = 1;
				if (p->w->info.mult && seen <= 2)
					m *= p->w->info.mult;
				else if (seen == 1 && en_degree_adverb(ta, b, j))
					m *= 1.4;
			}
			if ((t->flags & TF_ALLCAPS) && !allcaps_text)
				m *= 1.3;
			v *= m;
			/* "en ole koskaan ollut onnellisempi", "mikään ei ole parempaa": a negated
			 * comparative praises (or blames) by comparison, it does not flip */
			if (neg && ll == TEXT_LL_FI && (t->w->info.flags & TI_COMPAR))
				neg = 0;
			if (neg)
				/* "ei huono", "not bad" (litotes) are at most mildly positive; a negated
				 * Finnish emotion or event word keeps half its colour: "en pelkää",
				 * "ei sattunut" still speak of fear and pain */
				v *= v >= 0 ? -0.6 : (ll != TEXT_LL_FI || (t->w->info.flags & TI_ADJ)) ? -0.3 : 0.5;
			if (contrast >= 0)
				v *= (long)i > contrast ? 1.5 : 0.5;
			sum += v;
		}
		/* Finnish: a booster with a valence of its own that modifies no sentiment word keeps it:
		 * "kaikki on hyvin" (all is well) vs "hyvin kaunis" (very beautiful) */
		for (size_t i = a; i < b; i++) {
			const struct text_tok *t = &ta->toks[i];
			if (ll != TEXT_LL_FI || t->type != TT_WORD || !t->w || t->w->info.bval == 0 ||
			    (t->w->info.flags & TI_HASVAL) || (t->flags & TF_FORMULA))
				continue;
			int used = 0, seen = 0;
			for (size_t j = i + 1; j < b && seen < 2 && !used; j++) {
				const struct text_tok *q = &ta->toks[j];
				if (q->type == TT_CLAUSE)
					break;
				if (q->type != TT_WORD || !q->w)
					continue;
				seen++;
				used = (q->w->info.flags & TI_HASVAL) || q->w->info.mult != 0;
			}
			if (!used)
				sum += t->w->info.bval;
		}
		/* a negation that modifies no sentiment word still leans negative ("never worked once",
		 * "ei toimi") */
		for (size_t i = a; i < b; i++) {
			const struct text_tok *t = &ta->toks[i];
			if (t->type != TT_WORD || !t->w || !((t->w->info.flags & TI_NEGATOR) || (t->flags & TF_NT)))
				continue;
			if (t->w->info.flags & TI_QUEST) /* "eikö?", "etkö tule?": asks, see rhet below */
				continue;
			int used = 0, seen = 0, indef = 0;
			for (size_t j = i + 1; j < b && seen < 3 && !used; j++) {
				const struct text_tok *q = &ta->toks[j];
				if (q->type == TT_CLAUSE)
					break;
				if (q->type != TT_WORD || !q->w)
					continue;
				seen++;
				indef += is_answer_word(q->w);
				used = (q->w->info.flags & TI_HASVAL) != 0;
			}
			if (seen > 0 && indef == seen) /* "Ei mitään.", "En oikeastaan.", "Ei kukaan." */
				seen = 0;
			/* Finnish answers "no" with the bare negation verb ("Tuletko?" "En."; "Ei,
			 * kiitos"): with nothing after it in its clause it is an answer, not a complaint */
			if (!used && (seen > 0 || ll != TEXT_LL_FI))
				sum += NEG_LEAN;
		}
		/* praise with something gone wrong again is sarcasm ("Ihan mahtavaa, taas ei toimi
		 * mikään", "Onpa kiva odottaa viikko pakettia") */
		if (sum > 0 && (ll == TEXT_LL_FI ? fi_sarcasm(ta, a, b) : en_sarcasm(ta, a, b)))
			sum = -sum;
		if (excl && sum != 0)
			sum *= 1 + 0.15 * (excl > 4 ? 4 : excl);
		/* a question asks, it does not assert: "Piditkö näytöksestä?" is not praise */
		int qclitic = 0, rhet = 0;
		if (ll == TEXT_LL_FI) /* "onko tämä hyvä" asks, even without '?' */
			for (size_t i = a; i < b; i++)
				if (ta->toks[i].type == TT_WORD && ta->toks[i].w && (ta->toks[i].w->info.flags & TI_QUEST)) {
					qclitic = 1;
					/* "eikö olekin ihanaa?", "eikö se ole hyvä?" expect a yes */
					rhet |= (ta->toks[i].w->info.flags & TI_NEGATOR) != 0;
				}
		int asks = ((b < ta->ntoks && ta->toks[b].quest) || qclitic) && !excl && !rhet;
		if (asks)
			sum *= sum > 0 ? 0.3 : 0.8;
		/* a bare thanks or apology ("Kiitos.", "Anteeksi.", "Thanks.") is a politeness formula,
		 * not an emotion; exclaimed, with an emoji or with other words it keeps its valence */
		if (!excl && !emo && nwords > 0 && formula == nwords)
			sum = 0;
		/* an exclaimed command or address with no sentiment words reads as anger ("Pois!",
		 * "Menkää!", "Lopeta jo!") */
		if (excl && sum == 0 && nwords >= 1 && (imper || second) &&
		    !(ll == TEXT_LL_FI && fi_hortative(ta, a, b)))
			sum = -0.6;
		total += sum;
		if (sum > 0) /* for the topics: praise in a complaint names no complaint */
			for (size_t i = a; i < b; i++)
				ta->toks[i].flags |= TF_POS_SENT;

		/* a group noun's own valence is no hostility when the rest of its sentence is kind, and
		 * its own weak identity evidence no attack: the Finnish AFINN has "homo" at -3, which
		 * made "Homot ja lesbot ovat tervetulleita" an identity attack (in the dev file's
		 * comments the word with nothing kind around it mostly is one) */
		int kind_group = hostile_grp && sum - grp_val > GROUP_KIND_SUM;

		/* abuse */
		for (size_t i = a; i < b; i++) {
			struct text_tok *t = &ta->toks[i];
			if ((t->type != TT_WORD && t->type != TT_EMOJI) || !t->w)
				continue;
			if (ll == TEXT_LL_EN && (en_name(ta, a, b, i) || /* "Dick Johnson", "this is Dick" */
						 en_own_body(ta, a, i)))      /* "a rash on my penis" */
				continue;
			if (everyday_sense(ta, a, b, i) || greeted_name(ta, i) || street_name(ta, i)) /* "meidän narttu pentui", "Hi Dick," */
				continue;
			const float *ab = t->w->info.abuse;
			double c[TA_N] = { 0 };
			int near_first = 0, near_second = 0, about_person = 0, person_second = 0, modal = 0, group = 0;
			/* a negative evaluation of a group: "maahanmuuttajat ovat laiskoja" */
			/* (not a feeling: "olet pettynyt" is how the reader is, not what) */
			int neg_pred = ll == TEXT_LL_FI && t->type == TT_WORD && ab[TA_INSULT] == 0 && ab[TA_THREAT] == 0 &&
				       t->w->info.valence <= -2 && !(t->w->rule_class & RC_STATE);
			if (ab[TA_THREAT] > 0 || ab[TA_INSULT] > 0 || neg_pred) {
				near_first = (t->w->info.flags & TI_FIRST) != 0;
				scan_near(ta, a, b, i, &near_first, &near_second, &about_person, &person_second, &modal,
					  &group);
			}
			/* ... or of the one reader, with an adjective: "olet täysin sekaisin", "ootko ihan
			 * pimeä?" (a singular "you": plural "olette hitaita" is usually the company) */
			if (neg_pred && !group && !(person_second && (t->w->info.flags & TI_ADJ) && sing2_copula(ta, a, i)))
				about_person = person_second = 0;
			/* "te olette huono yritys", "te ootte hitaita": a plural "you" with a negative word
			 * that is no insult is the company, as "olette hitaita" is (not a group of readers
			 * called names: "te olette idiootteja" has an insult word) */
			if (neg_pred && group && person_second && !sing2_copula(ta, a, i))
				about_person = person_second = 0;
			int contempt = 0, named = 0;
			if (ab[TA_INSULT] > 0)
				for (size_t j = i, seen = 0; j-- > a && seen < 2;) {
					const struct text_tok *p = &ta->toks[j];
					if (p->type != TT_WORD || !p->w)
						break;
					seen++;
					contempt |= (p->w->info.flags & TI_CONTEMPT) != 0;
				}
			/* the demonstrative "tuo"/"toi" points at a person ("tuo idiootti", "toi tyhmä
			 * ministeri"), not at a thing the insult word describes ("tuo tyhmä päivitys") */
			if (contempt && ll == TEXT_LL_FI && demonstrative_before(ta, a, i) &&
			    i + 1 < b && ta->toks[i + 1].type == TT_WORD && ta->toks[i + 1].w &&
			    (ta->toks[i + 1].w->info.flags & TI_CONTENT) && !(ta->toks[i + 1].w->info.flags & TI_PERSON) &&
			    !person_shaped(ta->toks[i + 1].w) &&
			    ta->toks[i + 1].w->info.abuse[TA_INSULT] == 0)
				contempt = 0;
			/* "you are a disgrace", "ur a joke", "you are the worst": a noun predicate with an
			 * article calls the reader something; "he is a disgrace", "she's the worst" call
			 * a third person the same */
			if (ll == TEXT_LL_EN && ab[TA_INSULT] == 0 && t->w->info.valence <= -2) {
				int who = en_article_predicate(ta, a, i);
				if (who)
					about_person = 1;
				if (who == 2)
					person_second = 1;
				named = who == 1;
			}
			if (!(ab[0] > 0 || ab[1] > 0 || ab[2] > 0 || ab[3] > 0) && !about_person)
				continue;
			/* a weak English insult word ("joke", "nonsense", "ridiculous") mostly judges a
			 * thing: "your prices are a joke" is a complaint; it is aimed only when said of
			 * a person ("you are a joke") */
			int weak_en = ll == TEXT_LL_EN && ab[TA_INSULT] < 0.5f && !about_person;
			/* an English insult adjective said of a thing is a complaint ("this stupid app",
			 * "the food was disgusting"): it counts less and is not aimed */
			int of_thing = ab[TA_INSULT] > 0 && !about_person &&
				       (ll == TEXT_LL_EN ? ab[TA_INSULT] < 1 && en_said_of_thing(ta, a, b, i, 0) :
							   fi_thing_modifier(ta, b, i) || fi_quality_noun(ta, a, b, i) || fi_situation_adj(ta, b, i) ||
							   (t->w->insult_modifier && !fi_person_in(ta, a, b)));
			/* likewise a weak Finnish one when the only word for the reader is a possessive on
			 * a noun: "asiakaspalvelijanne oli tietämätön", "tuotteenne on nolo" judge the
			 * reader's staff or thing (not "tyhmyytesi", the reader's own) */
			if (ll == TEXT_LL_FI && ab[TA_INSULT] < 0.5f && !about_person && second && !second_owner &&
			    !(t->w->info.flags & TI_POSS2))
				weak_en = 1;
			/* a group noun that is only weakly an insult ("vammainen") in a case other than the
			 * nominative names the group, it calls nobody a name: "Onko teillä esteetön
			 * sisäänkäynti vammaisille?", "vammaisten palvelut" ("olet vammainen", "senkin
			 * vammainen" still do) */
			int group_named = ll == TEXT_LL_FI && ab[TA_INSULT] > 0 && ab[TA_INSULT] < 0.5f &&
			                  t->w->info.idgroup > 0 && !(t->w->info.flags & TI_NOMINAL) && !contempt;
			if (group_named)
				weak_en = 1;
			c[TA_INSULT] = group_named ? 0
			                           : ab[TA_INSULT] * (aimed_sent && !weak_en ? 2.5
			                                              : ll == TEXT_LL_EN     ? 1.2
			                                                                     : 1.1);
			/* "olin niin typerä", "olen idiootti": the speaker calls themself names; "et ole
			 * tyhmä", "etkä oo lihava": the reader is told they are not; "T. Läskit" signs
			 * the text. None is aimed. */
			int not_aimed = ab[TA_INSULT] > 0 &&
					(sig || (!second && first_copula(ta, a, i)) || denied_to_reader(ta, a, i) ||
					 (ll == TEXT_LL_EN && !second && en_speaker_self_judged(ta, a, i)) ||
					 (ll == TEXT_LL_FI && (reported_calling(ta, a, b, i) || reported_quote(ta, a, i))) ||
					 unsaid_that(ta, a, i) || self_named_after(ta, a, b, i, ll) || word_mentioned(ta, a, i) ||
					 (ll == TEXT_LL_EN && en_denied_to_reader(ta, a, i)));
			/* an English customer telling of abuse they met ("your employee called my son a
			 * retard"): no name-calling of the reader, but the word is as rude as said */
			int told_of = !not_aimed && ab[TA_INSULT] > 0 &&
			              ((ll == TEXT_LL_EN && en_reported(ta, a, b, i)) || speech_told(ta, a, b) < i);
			/* (a group named is no insult at all: nothing to lower, nor to move to rudeness) */
			if ((not_aimed || told_of) && !group_named) {
				/* not aimed: no second-person boost either ("haukuitsä sitä huoraks") */
				double was = c[TA_INSULT];
				c[TA_INSULT] = ab[TA_INSULT] * 1.1 * 0.3;
				about_person = person_second = 0;
				if (told_of) {
					rude += was - c[TA_INSULT];
					not_aimed = 1;
				}
			}
			/* ... and rude: what it loses as an insult still counts for toxicity (and for the
			 * sentiment), so "this stupid app" is flagged as rude, not as name-calling */
			double rude_here = 0;
			if (of_thing && c[TA_INSULT] > ab[TA_INSULT] * 1.2 * 0.4) {
				rude_here = c[TA_INSULT] - ab[TA_INSULT] * 1.2 * 0.4;
				c[TA_INSULT] -= rude_here;
				rude += rude_here;
			}
			/* "he is a liar", "olet surkea"; a state word said of a third person describes
			 * them ("hän on sairas" is ill, "olet sairas" is name-calling) */
			if (about_person && !(ll == TEXT_LL_FI && (t->w->rule_class & RC_STATE) && !person_second))
				c[TA_INSULT] += (ab[TA_INSULT] > 0 ? 0.5 : 0.6) * (person_second || named ? 1.5 : 1.0);
			if (contempt && !not_aimed) /* "tuollainen idiootti", "senkin hölmö" */
				c[TA_INSULT] += 0.6;
			c[TA_OBSCENE] = ab[TA_OBSCENE] * 1.2;
			/* "vittu sä oot...": swearing at the reader; an imperative alone gives an order
			 * about something ("poista koko paska"), it does not call the reader it */
			int sworn_at = addressed && !not_aimed && ab[TA_OBSCENE] >= 0.8f &&
				       !(ll == TEXT_LL_EN && en_self_intensifier(ta, a, b, i)) && !swear_not_at_reader(ta, a, b, i);
			if (sworn_at)
				c[TA_INSULT] += 0.75 * ab[TA_OBSCENE];
			/* a violent verb is a threat when a speaker commits to it against the reader */
			/* ... or calls for it: "X pitäisi tappaa", "tapetaan kaikki", "should be shot" */
			int call = modal || (t->w->info.flags & TI_IMPER);
			/* "Syyriassa tapetaan lapsia": a passive said of a place reports */
			if (ll == TEXT_LL_FI && ab[TA_THREAT] > 0 && (t->w->info.flags & TI_IMPER) && !modal &&
			    passive_report(ta, a, i))
				call = 0;
			/* "kun ihmisiä tapetaan, ...", "jos joku ammutaan": a passive in a subordinate
			 * clause describes; only a main clause calls ("tapetaan ne") */
			if (ll == TEXT_LL_FI && ab[TA_THREAT] > 0 && (t->w->info.flags & TI_IMPER) && !modal &&
			    subordinate_clause(ta, i))
				call = 0;
			c[TA_THREAT] = ab[TA_THREAT] * (near_first && near_second ? 3.5 : call ? 2.5 :
							near_first || near_second ? 0.8 : 0.3);
			/* "Tapan sen myyjän", "puukotan hänet": the writer commits to harm a person named
			 * as the object (the reader's staff, most often), a threat as much as "tapan sut" */
			if (ll == TEXT_LL_FI && ab[TA_THREAT] > 0 && near_first && !near_second && !call &&
			    !negator_in(ta, a, i) && fi_person_object(ta, a, b, i))
				c[TA_THREAT] = ab[TA_THREAT] * 2.5;
			/* "en tapa sinua", "en aio lyödä": a denied act is no threat (Finnish only: in
			 * English tweets "won't ... " lowered OLID) */
			if (ll == TEXT_LL_FI && ab[TA_THREAT] > 0 && negated_before(ta, i))
				c[TA_THREAT] = ab[TA_THREAT] * 0.3;
			/* "kolmas tappoi lapsen", "ammuin sen eilen": a past act is a report, not a
			 * commitment to harm anyone */
			/* "valmis ampumaan", "käskee tuhoamaan": an infinitive names an act; only a
			 * speaker with the reader as target ("tulen tappamaan sinut") or a call makes it
			 * a threat */
			if (ll == TEXT_LL_FI && ab[TA_THREAT] > 0 && (t->w->info.flags & TI_NONFIN) && !modal &&
			    !(near_first && near_second))
				c[TA_THREAT] = ab[TA_THREAT] * 0.3;
			/* "miksi haluat tappaa lapsesi?", "ammutaanko ne?": a question asks, it does not
			 * commit or call */
			if (ll == TEXT_LL_FI && ab[TA_THREAT] > 0 && asks)
				c[TA_THREAT] = ab[TA_THREAT] * 0.3;
			/* "tupakka tappaa sinut": a thing or a third party acts, the speaker threatens nobody */
			if (ll == TEXT_LL_FI && ab[TA_THREAT] > 0 && !call && third_subject_at(ta, i, 0))
				c[TA_THREAT] = ab[TA_THREAT] * 0.3;
			if (ll == TEXT_LL_FI && ab[TA_THREAT] > 0 && violent_idiom(ta, b, i)) /* "lyön vetoa" */
				c[TA_THREAT] = 0;
			/* 'poika sanoi kiusaajalle "mä tapan sut"': a reported quote threatens nobody here */
			if (ab[TA_THREAT] > 0 && reported_quote(ta, a, i))
				c[TA_THREAT] = fmin(c[TA_THREAT], ab[TA_THREAT] * 0.3);
			if (ll == TEXT_LL_FI && ab[TA_THREAT] > 0 && (t->w->info.flags & TI_PAST))
				c[TA_THREAT] = ab[TA_THREAT] * 0.15;
			/* "itse tappaisin heitä", "jos ampuisi": a hypothetical act with no call and no
			 * reader as its target ("tappaisin sinut" stays a threat) */
			if (ll == TEXT_LL_FI && ab[TA_THREAT] > 0 && (t->w->info.flags & TI_COND) && !modal && !near_second)
				c[TA_THREAT] = ab[TA_THREAT] * 0.3;
			/* "minut pitäisi ampua", "hiiret pitää tappaa", "pelissä tapetaan": the speaker,
			 * an animal or a story is the target, not a person the text threatens */
			if (ll == TEXT_LL_FI && ab[TA_THREAT] > 0 && !near_second &&
			    (self_target(ta, i) || animal_target(ta, i) || fiction_setting(ta, a, b)))
				c[TA_THREAT] = fmin(c[TA_THREAT], ab[TA_THREAT] * 0.3);
			/* "the mice in the storage unit need to be killed": pests or animals in English too */
			if (ll == TEXT_LL_EN && ab[TA_THREAT] > 0 && !near_second && animal_target(ta, i))
				c[TA_THREAT] = fmin(c[TA_THREAT], ab[TA_THREAT] * 0.3);
			/* "tapetaan se bugi", "poltetaan kokko", "ammun kuvia": a thing is the object */
			if (ll == TEXT_LL_FI && ab[TA_THREAT] > 0 && thing_target(ta, i))
				c[TA_THREAT] = fmin(c[TA_THREAT], ab[TA_THREAT] * 0.3);
			/* "shoot you a photo", "kill the auto-renewal": an English violent verb with two
			 * objects sends something, one done to a thing ends it */
			if (ll == TEXT_LL_EN && ab[TA_THREAT] > 0 && en_everyday_violent(ta, b, i))
				c[TA_THREAT] = fmin(c[TA_THREAT], ab[TA_THREAT] * 0.3);
			c[TA_IDENTITY] = (kind_group && t->w->info.idgroup > 0 && ab[TA_IDENTITY] < 0.5f) ||
						 (t->w->info.idgroup > 0 && self_identified(ta, a, i)) ? 0 : ab[TA_IDENTITY] * 1.2;
			/* a slur quoted by someone telling of it ("Taksikuski huusi minulle 'vitun
			 * neekeri'", "Graffiti on your wall says 'FAGS OUT'"): no attack by the writer,
			 * but as rude as said, so the word is still masked */
			int slur_told = c[TA_IDENTITY] > 0 &&
			                (ll == TEXT_LL_FI ? ((t->flags & TF_QUOTED) && reported_quote(ta, a, i)) ||
			                                        reported_calling(ta, a, b, i)
			                                  : en_reported(ta, a, b, i));
			if (slur_told) {
				rude += c[TA_IDENTITY] - ab[TA_IDENTITY] * 0.3;
				c[TA_IDENTITY] = ab[TA_IDENTITY] * 0.3;
				/* the slur's obscenity too ("mulle sanottiin ovella et 'ei tänne ryssiä'") */
				rude += c[TA_OBSCENE] * 0.7;
				c[TA_OBSCENE] *= 0.3;
				told_grp = 1;
			}
			/* a slur calls a group (or the one it is said of) a name: an insult as well as
			 * an identity attack, with the slur's own weight ("lisää matuja"; the dev file
			 * labels such comments insults). It adds nothing to toxicity or sentiment, where
			 * the identity evidence already counts. */
			if (c[TA_IDENTITY] > 0 && !not_aimed && !slur_told) {
				c[TA_INSULT] += ab[TA_IDENTITY];
				slur_ins += ab[TA_IDENTITY];
			}
			int best = 0;
			for (int k = 0; k < TA_N; k++) {
				e[k] += c[k];
				if (c[k] > c[best])
					best = k;
			}
			if ((aimed_sent && !not_aimed && !slur_told &&
			     ((ab[TA_INSULT] > 0 && !weak_en && !of_thing) || sworn_at)) ||
			    c[TA_THREAT] >= 1.0 || (about_person && person_second && !slur_told))
				aimed = 1;
			/* "sä oot homo", "senkin homo": a slur called at the reader */
			if (ll == TEXT_LL_FI && !not_aimed && (ab[TA_IDENTITY] > 0 || t->w->info.idgroup > 0) &&
			    ((i > a && ta->toks[i - 1].w && (ta->toks[i - 1].w->info.flags & TI_CONTEMPT)) ||
			     sing2_copula(ta, a, i) ||
			     (i + 1 < b && ta->toks[i + 1].type == TT_CLAUSE && vocative_insult(ta, a, b))))
				aimed = 1; /* "Homo, en halua..." too */
			/* "tapan sinut", "hirtä itsesi": a threat to kill aimed at the reader; not told of
			 * ("Chatissa joku kirjoitti et meidän myyjä pitäis ampua", where "et" is "että") */
			if (c[TA_THREAT] >= 1.0 && near_second && (t->w->rule_class & RC_KILLING) &&
			    !killing_of_thing(ta, i, b, ll) && !reported_speech(ta, a, b))
				severe = 1;
			static const enum text_abuse_cat map[TA_N] = { TEXT_ABUSE_INSULT, TEXT_ABUSE_THREAT,
								      TEXT_ABUSE_OBSCENITY, TEXT_ABUSE_IDENTITY };
			t->ev = (float)fmax(c[best], rude_here + c[TA_INSULT]);
			t->ev_cat = (uint8_t)(c[best] >= rude_here + c[TA_INSULT] ? map[best] : TEXT_ABUSE_TOXICITY);
			if (c[best] >= 0.45 && span_add(&sb, t->start, t->end, map[best]) < 0)
				goto nomem;
			if (c[best] < 0.45 && rude_here + c[TA_INSULT] >= 0.45 &&
			    span_add(&sb, t->start, t->end, TEXT_ABUSE_TOXICITY) < 0)
				goto nomem;
		}
		/* "Mamut ulos!", "Ulkomaalaiset pois meidän maasta", "X on karkotettava": a short call
		 * with no finite verb ("pääsivät pois leiriltä" reports) */
		if (removal == 2 || (removal == 1 && (nwords <= 3 || (nwords <= 5 && !finite))))
			hostile++;
		if (kind_group)
			hostile -= hostile_grp;
		double group_ev = idgroup > 0 && hostile > 0 ? 0.9 * idgroup * (hostile > 1 ? 1.5 : 1.0) : 0;
		if (grp_quoted && !grp_free)
			told_grp = 1;
		if (told_grp) { /* the group named in a slur someone is told of: rude, no attack */
			rude += group_ev;
			group_ev = 0;
		}
		e[TA_IDENTITY] += group_ev;
		/* English: "lazy immigrants", "X don't belong here", "get me a man, not a woman" by
		 * construction (en_group_attack()): at least a clear attack, said to the reader when
		 * the sentence addresses them */
		if (ll == TEXT_LL_EN && group_ev < GROUP_ATTACK_EV && !told_grp) {
			size_t z = en_group_attack(ta, a, b);
			if (z != SIZE_MAX) {
				e[TA_IDENTITY] += GROUP_ATTACK_EV - group_ev;
				aimed |= second;
				if (span_add(&sb, ta->toks[z].start, ta->toks[z].end, TEXT_ABUSE_IDENTITY) < 0)
					goto nomem;
			}
		}
		/* "mikä pelle sinä olet": called names by construction */
		for (size_t i = a; ll == TEXT_LL_FI && i < b; i++) {
			size_t z = name_calling(ta, b, i);
			if (!z || reported_quote(ta, a, z))
				continue;
			e[TA_INSULT] += NAME_CALLING_EV;
			aimed = 1;
			if (span_add(&sb, ta->toks[z].start, ta->toks[z].end, TEXT_ABUSE_INSULT) < 0)
				goto nomem;
		}
		/* "surkea ihminen", "säälittävä ukko": contempt for a person; aimed as any insult word
		 * ("olette surkeita ihmisiä", "Säälittävä ukko!"), a third person less so */
		for (size_t i = a; ll == TEXT_LL_FI && !sig && i + 1 < b; i++) {
			size_t z = fi_contempt_person(ta, b, i);
			if (!z || reported_quote(ta, a, z))
				continue;
			/* a bare vocative has no verb of its own: "Surkea ihminen!" */
			int at = aimed_sent || (nwords <= 3 && !finite);
			e[TA_INSULT] += at ? CONTEMPT_PERSON_EV * 2 : CONTEMPT_PERSON_EV;
			aimed |= at;
			if (span_add(&sb, ta->toks[i].start, ta->toks[z].end, TEXT_ABUSE_INSULT) < 0)
				goto nomem;
		}
		/* the reader's head or mind with a negation or a negative word: "päässäsi ei liiku
		 * mitään", "järkesi ei riitä", "aivosi ovat mätää" (calls the reader stupid) */
		/* "sulla on varmaan kivat tissit": a sexual remark on the reader's body */
		if (ll == TEXT_LL_FI && !sig) {
			size_t sx = fi_sexual_remark(ta, a, b);
			if (sx != SIZE_MAX) {
				e[TA_OBSCENE] += 1.2;
				aimed = 1;
				if (span_add(&sb, ta->toks[sx].start, ta->toks[sx].end, TEXT_ABUSE_OBSCENITY) < 0)
					goto nomem;
			}
		}
		if (mind >= 0 && negcue && !fi_at_your_end(ta, (size_t)mind, fault)) {
			e[TA_INSULT] += 0.9;
			aimed = 1;
			if (span_add(&sb, ta->toks[mind].start, ta->toks[mind].end, TEXT_ABUSE_INSULT) < 0)
				goto nomem;
		}
		/* "onko sulla aivot?", "älykäs kuin kivi", "pääsi on tyhjä": mockery of the
		 * reader's mind (fifteenth pass) */
		if (ll == TEXT_LL_FI && !sig && !(mind >= 0 && negcue) && (second || has_kuin(ta, a, b))) {
			size_t z = 0, m0 = fi_mind_mockery(ta, a, b, asks, &z);
			if (m0 != SIZE_MAX && !reported_quote(ta, a, m0)) {
				/* "hän on fiksu kuin lapanen": a third person, not the reader */
				e[TA_INSULT] += second ? MIND_MOCKERY_EV : MIND_MOCKERY_EV * 0.75;
				aimed |= second;
				if (span_add(&sb, ta->toks[m0].start, ta->toks[z].end, TEXT_ABUSE_INSULT) < 0)
					goto nomem;
			}
		}
		/* "hajotan paikat", "I'm coming with a bat" (seventeenth pass); "katkaisen sulta
		 * sormet", "I'll smash your teeth in" (harm to the reader's body) */
		{
			size_t z = 0, m0 = menace_at(ta, a, b, ll, asks, &z);
			int arrival = m0 != SIZE_MAX;
			if (!arrival)
				m0 = harm_to_body(ta, a, b, ll, asks, &z);
			/* 'Asentaja sanoi pojalleni "mä vedän sua turpaan"': told of, no threat here */
			if (m0 == SIZE_MAX && !arrival && (m0 = harm_to_reader(ta, a, b, ll, asks, &z)) != SIZE_MAX &&
			    (reported_quote(ta, a, m0) || reported_speech(ta, a, b)))
				m0 = SIZE_MAX;
			if (m0 != SIZE_MAX) {
				e[TA_THREAT] += MENACE_EV;
				aimed = 1;
				/* "tuun sinne puukon kanssa", "I'm coming with a gun": armed, severe */
				if (arrival && weapon_in(ta, a, b))
					severe = 1;
				if (span_add(&sb, ta->toks[m0].start, ta->toks[z].end, TEXT_ABUSE_THREAT) < 0)
					goto nomem;
			}
		}
		/* a veiled threat ("tiedän kumpi noista autoista on sun", "olisi sääli jos sille
		 * sattuisi jotain", "odotan sua takaovella kun vuoro loppuu", "enkä puhu
		 * reklamaatiosta") or harm promised to a third person ("se saa turpaansa", "I hope
		 * someone beats up that guard"): a threat like an armed arrival; aimed at the reader
		 * unless said of a third person */
		if (!sig) {
			/* told of ("hän sanoi että tietää missä asun") threatens no one here; a lawful
			 * way ruled out is the writer's own words even after "I'm saying that" */
			/* each rule only where its words are: most sentences have none */
			int person_rule = persony || (cls_union & (RC_PERSON_SHAPED | RC_STAFF | RC_KIN | RC_GIVEN_NAME));
			int harm_rule = threatish || (cls_union & (RC_HARM | RC_WRECK | RC_BODY | RC_MISHAP));
			int any = (cls_union & (RC_KNOWING | RC_PITY | RC_OFF_DUTY)) || harm_rule || person_rule;
			int told = any && reported_speech(ta, a, b), strong = 0;
			int relay = any && relayed(ta, a, b, ll), at_reader = 1;
			size_t z = 0, v0 = told || !(cls_union & RC_KNOWING) ? SIZE_MAX : watched(ta, a, b, ll, relay, &z);
			if (v0 == SIZE_MAX && !told && (cls_union & RC_PITY))
				v0 = pity_if(ta, prev_a, a, b, ll, asks, &z);
			if (v0 == SIZE_MAX && !told && (cls_union & RC_OFF_DUTY))
				v0 = waits_off_duty(ta, a, b, ll, asks, &z);
			size_t neg_at = 0;
			if (v0 == SIZE_MAX && negated_s &&
			    (z = recourse_ruled_out(ta, a, b, ll, &strong, &neg_at)) != SIZE_MAX) {
				if (!consequence_known) {
					consequence_at = text_consequence(ta);
					consequence_known = 1;
				}
				v0 = consequence_at < neg_at || strong ? z : SIZE_MAX;
			}
			if (v0 == SIZE_MAX && !told && harm_rule && (v0 = third_party_harm(ta, a, b, ll, asks, &z)) != SIZE_MAX)
				at_reader = relay || (ta->toks[v0].w->info.flags & TI_SECOND) != 0;
			if (v0 == SIZE_MAX && !told && person_rule &&
			    (v0 = third_party_formula(ta, a, b, ll, asks, &z)) != SIZE_MAX) {
				at_reader = relay;
				if (recourse_seen < 0)
					recourse_seen = text_recourse(ta);
				if (recourse_seen) /* "...is going to regret this when I post my review" */
					v0 = SIZE_MAX;
			}
			if (v0 != SIZE_MAX && !reported_quote(ta, a, v0)) {
				if (e[TA_THREAT] - threat_before < 1.0)
					e[TA_THREAT] += MENACE_EV;
				aimed |= at_reader;
				if (span_add(&sb, ta->toks[v0 < z ? v0 : z].start, ta->toks[v0 < z ? z : v0].end,
					     TEXT_ABUSE_THREAT) < 0)
					goto nomem;
			}
		}
		/* "toivottavasti koko sun perhe kuolee", "kuole!", "sun pitäis kuolla": severe, insult
		 * evidence like a severe phrase */
		{
			size_t k = death_wish(ta, a, b);
			int called = 0;
			if (k == SIZE_MAX && ll == TEXT_LL_FI && (k = fi_death_call(ta, a, b, asks)) != SIZE_MAX)
				called = 1;
			if (k != SIZE_MAX && !sig) {
				e[TA_INSULT] += DEATH_WISH_EV;
				/* "vanhukset vois kuolla pois" wishes it on others, not on the reader */
				aimed |= !called || second || (ta->toks[k].w->info.flags & TI_SECOND) != 0;
				severe = 1;
				if (span_add(&sb, ta->toks[k].start, ta->toks[k].end, TEXT_ABUSE_INSULT) < 0)
					goto nomem;
			}
		}
		/* harm wished, suicide urged, life denied, orders to kill: severe_rules[], in every
		 * sentence (each one's words are masked), the first that finds its token */
		if (!sig) {
			const struct severe_cx cx = { ll, asks, second, addressed, &text_fiction_seen, &text_playful_seen };
			int found = 0;
			for (size_t r = 0; r < sizeof severe_rules / sizeof *severe_rules && !found; r++) {
				const struct severe_rule *rule = &severe_rules[r];
				if (rule->lang >= 0 && rule->lang != ll)
					continue;
				size_t k = rule->find(ta, a, b, &cx);
				if (k == SIZE_MAX || reported_quote(ta, a, k) || reported_speech(ta, a, b))
					continue;
				found = 1;
				if (!rule->threat)
					e[TA_INSULT] += DEATH_WISH_EV;
				else if (e[TA_THREAT] - threat_before < 1.0)
					e[TA_THREAT] += 1.5;
				aimed |= rule->aim == AIM_READER || (rule->aim == AIM_IF_SECOND && second) ||
					 (rule->aim == AIM_IF_ADDRESSED && addressed);
				severe = 1;
				if (span_add(&sb, ta->toks[k].start, ta->toks[k].end,
					     rule->threat ? TEXT_ABUSE_THREAT : TEXT_ABUSE_INSULT) < 0)
					goto nomem;
			}
		}
		/* "ootte kaikki pelkkiä rottia", "they're cockroaches": people called vermin are denied
		 * their humanity; the insult already counts, this only makes it severe */
		if (!severe && !sig && vermin_called(ta, a, b) != SIZE_MAX &&
		    (addressed || group_word_in(ta, a, b) || person_word_in(ta, a, b, ll)))
			severe = 1;
		/* "kaikki poliitikot hirteen", "sun kaltaset kuuluu kaasukammioon": a call to execute
		 * people; a threat like the listed hanging calls (counted once) and severe */
		if (ll == TEXT_LL_FI && !sig && (addressed || idgroup > 0 || person_word_in(ta, a, b, ll))) {
			size_t z = fi_execution_call(ta, a, b, asks, idgroup);
			if (z != SIZE_MAX) {
				if (e[TA_THREAT] - threat_before < 1.0)
					e[TA_THREAT] += 1.5;
				aimed |= addressed;
				severe = 1;
				if (span_add(&sb, ta->toks[z].start, ta->toks[z].end, TEXT_ABUSE_THREAT) < 0)
					goto nomem;
			}
		}
		/* "äitisi on huora": the insult words already count; this only makes it severe */
		if (!severe && !sig && severe_family(ta, a, b, ll) != SIZE_MAX)
			severe = 1;
		/* "hakkaan sut pesäpallomailalla": a clear threat with a weapon in the same sentence
		 * is an armed threat, severe as "tuun sinne puukon kanssa" is (a weapon alone,
		 * "mulla on aselupa", is none); threat phrases get the same test below */
		if (!severe && !sig && e[TA_THREAT] - threat_before >= 1.0 && weapon_in(ta, a, b))
			severe = 1;
		/* "Ne ryssät pitäis tappaa", "all immigrants should be shot", "raiskaan sut": a clear
		 * threat in a sentence with a word of killing or rape and a person in it (the reader,
		 * a group, a person word or a name) is a threat to kill or rape, severe whoever it is
		 * aimed at; "Tappakaa tämä tilaus" names no one */
		if (!severe && !sig && e[TA_THREAT] - threat_before >= 1.0 && killing_of_people(ta, a, b, ll) &&
		    (addressed || idgroup > 0 || people_in(ta, a, b, ll)) && !pests_only(ta, a, b, ll) &&
		    !reported_speech(ta, a, b))
			severe = 1;
		/* "Kuole vaan, kyllä sä respawnaat": in a game (reported speech is judged by each rule:
		 * "Sun mutsi ... se sano et sä oot vahinko" is still said to the reader) */
		if (severe && !severe_before && fiction_setting(ta, a, b))
			severe = 0;
		prev_a = a;
		a = b + 1;
	}
	if (ll == TEXT_LL_FI)
		for (size_t i = 0; i + 1 < ta->ntoks; i++) {
			size_t z = masked_haista(ta, i);
			if (!z)
				continue;
			e[TA_INSULT] += MASKED_HAISTA_EV;
			aimed = 1;
			if (span_add(&sb, ta->toks[i].start, ta->toks[z].end, TEXT_ABUSE_INSULT) < 0)
				goto nomem;
		}
	for (size_t i = 0; i < ta->nmatches; i++) {
		const struct text_match *m = &ta->matches[i];
		if (m->kind == TEXT_LK_INSULT || m->kind == TEXT_LK_SEVERE) {
			size_t k, sa, sb2;
			/* 'Naapuri sanoi mulle "painu vittuun"': a reported quote, not said to the reader */
			if (ll == TEXT_LL_FI && match_sentence(ta, m, &k, &sa, &sb2) && reported_quote(ta, sa, k)) {
				e[TA_INSULT] += 0.3 * m->weight;
				continue;
			}
			/* "älä tapa itseäsi" is care, not abuse (exact forms keep most of it out) */
			if (m->kind == TEXT_LK_SEVERE && ll == TEXT_LL_FI && match_negated(ta, m)) {
				e[TA_INSULT] += 0.1 * m->weight;
				continue;
			}
			/* "helpoin tapa itsesi...", "jos lapsi hyppää sillalta", "you're dead right",
			 * "don't kill yourself carrying the sofa": no order, no abuse */
			if ((ll == TEXT_LL_FI && fi_match_no_order(ta, m)) || match_idiom_tail(ta, m, ll) ||
			    (ll == TEXT_LL_EN && en_match_negated(ta, m))) {
				e[TA_INSULT] += 0.1 * m->weight;
				continue;
			}
			/* "Tapa ittes -nappi pelissä resetoi hahmon", 'Moderator: removed comments saying
			 * "go die"': in a game, or told of, no abuse of the reader */
			if (m->kind == TEXT_LK_SEVERE && match_sentence(ta, m, &k, &sa, &sb2) &&
			    (fiction_setting(ta, sa, sb2) || reported_speech(ta, sa, sb2) ||
			     (ll == TEXT_LL_EN && (en_first_subject(ta, sa, k) || pests_only(ta, sa, sb2, ll))))) {
				e[TA_INSULT] += 0.1 * m->weight;
				continue;
			}
			/* "tapa itsesi", "you are worthless": severe abuse of the reader */
			if (m->kind == TEXT_LK_SEVERE)
				severe = 1;
			/* "this app is a piece of shit": an English insult phrase said of a thing is rude */
			else if (ll == TEXT_LL_EN && match_sentence(ta, m, &k, &sa, &sb2) &&
				 en_said_of_thing(ta, sa, sb2, k, 1)) {
				rude += m->weight;
				if (span_add(&sb, m->start, m->end, TEXT_ABUSE_TOXICITY) < 0)
					goto nomem;
				continue;
			}
			e[TA_INSULT] += m->weight;
			aimed = 1;
			if (span_add(&sb, m->start, m->end, TEXT_ABUSE_INSULT) < 0)
				goto nomem;
		} else if (m->kind == TEXT_LK_THREAT) {
			if (same_span_stronger(ta, i)) /* "kuulan kalloon": "kuula kalloon" and "kuulaa kalloon" */
				continue;
			if (ll == TEXT_LL_FI && match_negated(ta, m)) { /* "en tapa sinua" */
				e[TA_THREAT] += 0.1 * m->weight;
				continue;
			}
			/* 'Poikani sanoi kiusaajalle "mä tapan sut"', 'a man said "I'll kill you" to his
			 * friend': a reported quote, no threat to the reader */
			{
				size_t k, sa, sb2;
				if (match_sentence(ta, m, &k, &sa, &sb2) && reported_quote(ta, sa, k)) {
					e[TA_THREAT] += 0.2 * m->weight;
					continue;
				}
			}
			/* "Someone is going to get hurt on that broken escalator": a hazard reported, not a
			 * threat; "My dad will end up in hospital if the lift isn't fixed": the writer's own
			 * at risk */
			if (ll == TEXT_LL_EN && en_match_safety(ta, m)) {
				e[TA_THREAT] += 0.1 * m->weight;
				continue;
			}
			if (ll == TEXT_LL_EN && match_sends(ta, m)) { /* "shoot you a photo" */
				e[TA_THREAT] += 0.1 * m->weight;
				continue;
			}
			/* "This feature should be killed", "the bride should be shot from the left";
			 * "smoking literally kills you": a thing that kills anyone */
			if (ll == TEXT_LL_EN && (en_passive_not_violence(ta, m) || en_thing_kills(ta, m))) {
				e[TA_THREAT] += 0.1 * m->weight;
				continue;
			}
			/* "should die down", "I won't kill you", "et ansaitse elää pelossa" */
			if (match_idiom_tail(ta, m, ll) || (ll == TEXT_LL_EN && en_match_negated(ta, m))) {
				e[TA_THREAT] += 0.1 * m->weight;
				continue;
			}
			/* "Saatte vielä katua tätä. Vien asian kuluttajaneuvontaan.", "You'll regret this. My
			 * lawyer will be in touch.": regret of a lawful way named in the text is a business
			 * threat */
			if (match_regret(ta, m) && (recourse_seen >= 0 ? recourse_seen : (recourse_seen = text_recourse(ta)))) {
				e[TA_THREAT] += 0.2 * m->weight;
				continue;
			}
			if (ll == TEXT_LL_FI && (match_unaddressed(ta, m) || match_third_subject(ta, m) ||
						 match_self_target(ta, m))) { /* "se kuulan kalloon saa" */
				e[TA_THREAT] += 0.2 * m->weight;
				continue;
			}
			e[TA_THREAT] += m->weight;
			aimed = 1;
			/* "kill yourself", "toivottavasti kuolet"; not told of ("Raccoon dogs should be shot,
			 * the hunter said"), not in a game, not the writer's own ("I should be killed for
			 * this haircut"), not of animals ("All the gulls should be shot") */
			{
				size_t k, sa, sb2;
				int quiet = match_sentence(ta, m, &k, &sa, &sb2) &&
					    (reported_speech(ta, sa, sb2) || fiction_setting(ta, sa, sb2) ||
					     (ll == TEXT_LL_EN && (en_first_subject(ta, sa, k) || pests_only(ta, sa, sb2, ll))));
				if (!quiet)
					severe |= match_kills(ta, m);
			}
			{ /* "mulla on ase ja tiedän missä asut": armed (as the word threats above) */
				size_t k, sa, sb2;
				if (match_sentence(ta, m, &k, &sa, &sb2) && weapon_in(ta, sa, sb2))
					severe = 1;
			}
			if (span_add(&sb, m->start, m->end, TEXT_ABUSE_THREAT) < 0)
				goto nomem;
		} else if (m->kind == TEXT_LK_IDENTITY) {
			/* "mene takaisin sinne mistä tulit": xenophobic abuse of the reader; told of
			 * ("työntekijä sanoi veljelleni 'mene takaisin sinne mistä tulit'", "he told me
			 * 'go back to your country'"): as rude as said (masked), no attack by the writer */
			{
				size_t k, sa, sb2;
				if (match_sentence(ta, m, &k, &sa, &sb2) &&
				    ((ll == TEXT_LL_FI ? reported_quote(ta, sa, k) : en_reported(ta, sa, sb2, k)) ||
				     speech_told(ta, sa, sb2) < k)) {
					rude += m->weight;
					if (span_add(&sb, m->start, m->end, TEXT_ABUSE_TOXICITY) < 0)
						goto nomem;
					continue;
				}
			}
			e[TA_IDENTITY] += m->weight;
			aimed = 1;
			if (span_add(&sb, m->start, m->end, TEXT_ABUSE_IDENTITY) < 0)
				goto nomem;
		} else if (m->kind == TEXT_LK_OBSCENE) {
			/* an obscene phrase with "you" in it is sexual harassment of the reader ("panna
			 * sua", "mitä sulla on päällä"). The npm lists' multi-word entries without one
			 * ("big black", "girl on") are left to their words: as phrases they would flag
			 * "the girl on the bus". */
			/* "send me nudes", "istu mun naamalle": asked of the reader too */
			static const char *const me[] = { "me", "my", "myself", "mulle", "minulle", "mun", "minun", "mua", "minua", NULL };
			/* "näytä tissit": a Finnish imperative is said to the reader as well */
			int you = 0;
			for (size_t k = 0; k < ta->ntoks && ta->toks[k].start < m->end; k++)
				if (ta->toks[k].start >= m->start && ta->toks[k].w &&
				    ((ta->toks[k].w->info.flags & (TI_SECOND | TI_IMPER)) || text_tok_in(ta, &ta->toks[k], me)))
					you = 1;
			if (!you)
				continue;
			e[TA_OBSCENE] += m->weight;
			aimed = 1;
			if (span_add(&sb, m->start, m->end, TEXT_ABUSE_OBSCENITY) < 0)
				goto nomem;
		} else if (m->kind == TEXT_LK_VALENCE) {
			/* a greeting ("good morning") in a letter's formula carries no sentiment already:
			 * its cancelling adjustment would count against the writer */
			int in_formula = 0;
			for (size_t k = 0; k < ta->ntoks && ta->toks[k].start <= m->start && !in_formula; k++)
				in_formula = ta->toks[k].start == m->start && (ta->toks[k].flags & TF_FORMULA);
			if (in_formula)
				continue;
			/* "it never got fixed", "I don't want my money back": an English formula right
			 * after a negator turns, as a negated word does (Finnish formulas are listed in
			 * the forms a negation does not take) */
			total += ll == TEXT_LL_EN && en_match_negated(ta, m) ? -0.5 * m->weight : m->weight;
		}
	}
	span_normalize(&sb);
	/* shouting: a run of SHOUT_RUN or more ALL-CAPS words (two or more capitals each) is rude in
	 * itself (toxicity only; "EI TODELLAKAAN, KUTEN TIEDÄTTE KAIKKI") */
	double shout = 0;
	{
		int run = 0, best = 0;
		for (size_t i = 0; i < ta->ntoks; i++) {
			const struct text_tok *t = &ta->toks[i];
			if (t->type != TT_WORD)
				continue;
			run = (t->flags & TF_ALLCAPS) ? run + 1 : 0;
			if (run > best)
				best = run;
		}
		if (best >= SHOUT_RUN && ll == TEXT_LL_FI && total < 0)
			shout = SHOUT_EV;
	}

	out->abuse[TEXT_ABUSE_INSULT] = squash(e[TA_INSULT]);
	out->abuse[TEXT_ABUSE_THREAT] = squash(e[TA_THREAT]);
	out->abuse[TEXT_ABUSE_OBSCENITY] = squash(e[TA_OBSCENE]);
	out->abuse[TEXT_ABUSE_IDENTITY] = squash(e[TA_IDENTITY]);
	out->abuse[TEXT_ABUSE_TOXICITY] =
		squash(e[TA_INSULT] - slur_ins + rude + e[TA_THREAT] + e[TA_IDENTITY] + 0.8 * e[TA_OBSCENE] + shout);
	for (int k = 0; k < TEXT_ABUSE_NCAT; k++)
		if (out->abuse[k] >= TEXT_ABUSE_PRESENT)
			out->abuse_flagged = 1;
	out->abuse_tone_only =
		out->abuse_flagged && shout > 0 &&
		squash(e[TA_INSULT] - slur_ins + rude + e[TA_THREAT] + e[TA_IDENTITY] + 0.8 * e[TA_OBSCENE]) < TEXT_ABUSE_PRESENT;
	for (int k = 0; k < TEXT_ABUSE_NCAT; k++)
		if (k != TEXT_ABUSE_TOXICITY && out->abuse[k] >= TEXT_ABUSE_PRESENT)
			out->abuse_tone_only = 0;
	/* Flagged on evidence that no one word carried past the span threshold (several weak
	 * words, a group named in a hostile call, shouting): the spans still show where, so that
	 * masking hides something: the words that carried some of it, else the group words of an
	 * identity attack, else the shouted words, else the whole text. */
	if (out->abuse_flagged && sb.n == 0) {
		for (size_t i = 0; i < ta->ntoks; i++)
			if (ta->toks[i].ev >= SPAN_WEAK_EV &&
			    span_add(&sb, ta->toks[i].start, ta->toks[i].end, (enum text_abuse_cat)ta->toks[i].ev_cat) < 0)
				goto nomem;
		for (size_t i = 0; sb.n == 0 && i < ta->ntoks; i++)
			if (out->abuse[TEXT_ABUSE_IDENTITY] >= TEXT_ABUSE_PRESENT && ta->toks[i].w &&
			    ta->toks[i].w->info.idgroup > 0 &&
			    span_add(&sb, ta->toks[i].start, ta->toks[i].end, TEXT_ABUSE_IDENTITY) < 0)
				goto nomem;
		/* every shouted word (one was marked before: the loop's test ran after each add) */
		for (size_t i = 0, none = sb.n == 0; none && shout > 0 && i < ta->ntoks; i++)
			if (ta->toks[i].type == TT_WORD && (ta->toks[i].flags & TF_ALLCAPS) &&
			    span_add(&sb, ta->toks[i].start, ta->toks[i].end, TEXT_ABUSE_TOXICITY) < 0)
				goto nomem;
		/* nothing to point at (the tone of the whole): the whole text, failing closed */
		if (sb.n == 0 && ta->ntoks &&
		    span_add(&sb, ta->toks[0].start, ta->toks[ta->ntoks - 1].end, TEXT_ABUSE_TOXICITY) < 0)
			goto nomem;
		span_normalize(&sb);
	}
	out->aimed_at_reader = aimed;
	/* "Toivottavasti jäät auton alle -tyyppiset kommentit poistetaan", "Our policy is zero
	 * tolerance for messages like...", "Vitsi vaan: ... mä tapan sut": talk about abuse, or a
	 * joke said to be one, may still be flagged but is not severe */
	if (severe && (text_mentions_abuse(ta) || text_says_joke(ta)))
		severe = 0;
	out->severe = severe && out->abuse_flagged;
	total -= 1.5 * (e[TA_INSULT] - slur_ins + rude + e[TA_THREAT]);
	double score = total / sqrt(total * total + SENT_ALPHA);
	out->sentiment_score = score;
	/* one global neutral band per language, chosen on half A of the dev files and checked on
	 * half B (docs/text-analysis.md): Finnish texts carry many weak cues (a bare negation, a
	 * question, one mildly coloured word) that do not make the whole line emotional */
	double pos_at = ll == TEXT_LL_FI ? SENT_FI_POS_BAND : SENT_NEUTRAL_BAND;
	double neg_at = ll == TEXT_LL_FI ? SENT_FI_NEG_BAND : SENT_NEUTRAL_BAND;
	out->sentiment_label = score >= pos_at ? TEXT_SENT_POSITIVE :
			       score <= -neg_at ? TEXT_SENT_NEGATIVE : TEXT_SENT_NEUTRAL;

	/* topics: distinct content lemmas in text order, then distinct phrases of two adjacent
	 * ones in a clause ("credit card", "tilauksen peruutus" -> "tilaus peruutus"): a topic is
	 * what a text is about, not how it feels, so sentiment words are left out of both. A
	 * Finnish adjective of a negative valence before a topic noun opens a phrase, never a
	 * topic of its own: "töykeä kuljettaja", "väärä lasku" say what went wrong. */
	struct topic_form {
		const char *s;
		uint16_t n;
	} tw[TEXT_MAX_TOPICS][2];
	size_t nt = 0, nwords_t = 0, tbytes = 0;
	/* the topic words of the text once (token index, form, a modifier only), then words and
	 * adjacent pairs */
	enum { TOPIC_SCAN = 64 };
	struct {
		size_t i;
		struct topic_form f;
		int mod;
	} cand[TOPIC_SCAN];
	size_t nc = 0;
	int neg_text = out->sentiment_label == TEXT_SENT_NEGATIVE;
	for (size_t i = 0; i < ta->ntoks && nc < TOPIC_SCAN; i++) {
		const struct text_word *w = topic_word(ta, i, ll, neg_text);
		if (w) {
			cand[nc].i = i;
			cand[nc].f = (struct topic_form){w->topic, w->topic_len};
			cand[nc++].mod = 0;
		} else if (ll == TEXT_LL_FI && topic_modifier(ta, i, neg_text)) {
			cand[nc].i = i;
			cand[nc].f = (struct topic_form){ta->toks[i].w->lemma, ta->toks[i].w->lemma_len};
			cand[nc++].mod = 1;
		}
	}
#define SAME_FORM(x, y) ((x).n == (y).n && !memcmp((x).s, (y).s, (x).n))
	for (int pass = 0; pass < 2; pass++)
		for (size_t c = 0; c + (size_t)pass < nc && nt < (pass ? TEXT_MAX_TOPICS : TEXT_MAX_TOPIC_WORDS); c++) {
			struct topic_form w0 = cand[c].f, w1 = {NULL, 0};
			if (!pass && cand[c].mod)
				continue;
			if (pass) {
				if (cand[c + 1].i != cand[c].i + 1 || cand[c + 1].mod || SAME_FORM(w0, cand[c + 1].f))
					continue;
				w1 = cand[c + 1].f;
				/* a phrase counts no text its words do not: both are among the words kept */
				int have0 = cand[c].mod, have1 = 0;
				for (size_t k = 0; k < nwords_t; k++) {
					have0 |= SAME_FORM(tw[k][0], w0);
					have1 |= SAME_FORM(tw[k][0], w1);
				}
				if (!have0 || !have1)
					continue;
			}
			int dup = 0;
			for (size_t k = 0; k < nt && !dup; k++)
				dup = (tw[k][1].s != NULL) == (w1.s != NULL) && SAME_FORM(tw[k][0], w0) &&
				      (!w1.s || SAME_FORM(tw[k][1], w1));
			if (dup)
				continue;
			tw[nt][0] = w0;
			tw[nt++][1] = w1;
			if (!pass)
				nwords_t = nt;
			tbytes += w0.n + 1u + (w1.s ? w1.n + 1u : 0);
		}
#undef SAME_FORM
	size_t sbytes = sb.n * sizeof(struct text_span);
	if (sbytes + tbytes) {
		char *mem = malloc(sbytes + tbytes);
		if (!mem)
			goto nomem;
		out->mem_ = mem;
		if (sb.n) {
			memcpy(mem, sb.v, sbytes);
			out->spans = (struct text_span *)mem;
			out->nspans = sb.n;
		}
		char *p = mem + sbytes;
		for (size_t k = 0; k < nt; k++) {
			out->topics[k] = p;
			memcpy(p, tw[k][0].s, tw[k][0].n);
			p += tw[k][0].n;
			if (tw[k][1].s) {
				*p++ = ' ';
				memcpy(p, tw[k][1].s, tw[k][1].n);
				p += tw[k][1].n;
			}
			*p++ = 0;
		}
		out->ntopics = nt;
	}
	free(sb.v);
	out->lex_sentiment_score = out->sentiment_score;
	out->lex_sentiment_label = out->sentiment_label;
	out->lex_toxicity = out->abuse[TEXT_ABUSE_TOXICITY];
	return TEXT_OK;
nomem:
	free(sb.v);
	return TEXT_ENOMEM;
}

int text_analyze(struct text_analyzer *ta, const char *s, size_t len, enum text_lang lang,
		 struct text_result *out)
{
	int rc = text_analyze_lex(ta, s, len, lang, out);
	if (rc) {
		text_result_release(out);
		return rc;
	}
	if (ta->model)
		text_model_apply(ta->model, ta, out);
	return TEXT_OK;
}

void text_result_release(struct text_result *r)
{
	if (!r)
		return;
	free(r->mem_);
	memset(r, 0, sizeof(*r));
}

void text_word_classify(struct text_word *w)
{
	w->rule_class = text_word_class_of(w->lemma, w->lemma_len);
	/* person_shaped_word() reads the person_noun and person_head bits just set */
	if (person_shaped_word(w))
		w->rule_class |= RC_PERSON_SHAPED;
}
