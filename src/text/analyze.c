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
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "text/analyze_int.h"

#define SENT_ALPHA 15.0
#define SENT_NEUTRAL_BAND 0.05
#define NEG_LEAN (-0.6)
#define SENT_FI_POS_BAND 0.22
#define SENT_FI_NEG_BAND 0.15
/* shouting: a run of this many ALL-CAPS words in a negative Finnish text adds SHOUT_EV toxicity
 * evidence (3 words lowered half B; chosen on half A, docs/text-analysis.md) */
#define SHOUT_RUN 4
#define SHOUT_EV 0.8
/* a text with a threat present is at least this negative: -1.5 / sqrt(1.5^2 + SENT_ALPHA) = -0.36,
 * past both languages' negative bands */
#define THREAT_SENT_TOTAL (-1.5)
#define SPAN_WEAK_EV 0.1 /* a flagged text with no span: words with this much evidence get one */
/* "haista v***u": as the unmasked formula in data/lexicon/phrases.tsv ("haista home" 1.5) */
#define MASKED_HAISTA_EV 1.5
/* "mikä pelle sinä olet": as the reader's head in a negative sentence (0.9) */
#define NAME_CALLING_EV 0.9
/* insult evidence of "surkea ihminen" said of a third person (doubled when aimed, see
 * text_fi_contempt_person()) */
#define CONTEMPT_PERSON_EV 0.8
/* "onko sulla aivot?", "älykäs kuin kivi": as a listed idiom ("aivot narikassa" 1.2), present
 * alone (text_fi_mind_mockery()) */
#define MIND_MOCKERY_EV 1.2
/* "hajotan paikat", "tulen sinne pesäpallomailan kanssa": a threat to the reader's premises or an
 * armed arrival (text_menace_at()), as a listed threat phrase ("tulla perääsi" 2) less a margin */
#define MENACE_EV 1.5
/* "immigrants are lazy", "get me a man, not a woman": a group slandered or refused service
 * (text_en_group_attack()); 1 - exp(-1.2) = 0.70, a clear identity attack */
#define GROUP_ATTACK_EV 1.2
/* evidence of a death wish found by construction (text_death_wish()), as a severe phrase's 2 */
#define DEATH_WISH_EV 2.0
/* the sentiment sum, without the group nouns' own valence, above which a sentence about a group
 * is kind ("ovat tervetulleita") */
#define GROUP_KIND_SUM 1.5
/* the share of an insult's evidence left as insult when it is only told of ("He called me an
 * idiot": 0.3 x 1.1 of the word, the rest rudeness); a reported dismissal phrase keeps as much */
#define REPORTED_INSULT 0.33

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

/* with no Finnish evidence, the share of words English lexicon words must make (detect_lang) */
#define EN_ONLY_RATIO 0.15

/* Language identification of the tokens of text s from function words, voikko recognition and ä/ö. */
static void detect_lang(struct text_analyzer *ta, const char *s, enum text_lang *lang, double *conf)
{
	double fi = 0, en = 0;
	size_t nw = 0;
	int nonascii = 0; /* a word with a letter English does not write ("journée", "für") */
	for (size_t i = 0; i < ta->ntoks; i++) {
		struct text_tok *t = &ta->toks[i];
		if (t->type != TT_WORD || !t->wfi || !t->wen)
			continue;
		nw++;
		for (size_t k = t->start; k < t->end && !nonascii; k++) {
			if (k + 2 < t->end && !memcmp(s + k, "\xe2\x80\x99", 3)) /* a typographic apostrophe */
				k += 2;
			else
				nonascii = (unsigned char)s[k] >= 0x80;
		}
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
	/* short English reviews are mostly content words no English list knows ("Smooth checkout,
	 * fast delivery", "Pretty decent overall"): with no Finnish evidence at all (voikko knows no
	 * word, no ä or ö) and no letter outside English's, a few English lexicon words are enough,
	 * at a low confidence */
	if (ratio < 0.35 && fi == 0 && en > 0 && !nonascii && ratio >= EN_ONLY_RATIO) {
		*lang = TEXT_LANG_EN;
		*conf = 0.5 * ratio / 0.35;
		return;
	}
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

/* Phrase matches into ta->matches, in the order of their first word (text_same_span_stronger()
 * relies on it). */
/* Finnish emphatic particles a formula may take after its first word (closed grammar): "vielä"
 * too ("tulet vielä katumaan tätä", as "tulet katumaan"). */
static const char *const fi_emphatic[] = {"vaan",   "vain", "nyt",   "kyllä", "kyl",
                                          "sitten", "sit",  "vielä", "viel",  NULL};

/* threat evidence of the warning "pidä varasi" said as a sentence of its own */
#define WARNING_ALONE_EV 1.5

/* 1 if the threat phrase match m is the warning formula of "pitää" ("pidä varasi", "pitäkää
 * varanne") and its sentence has no other word: said to the reader with nothing else, a
 * warning; "pidä varasi liukkaalla kelillä" names the danger. */
static int fi_warning_alone(const struct text_analyzer *ta, const struct text_match *m)
{
	size_t k, sa, sb;
	if (!text_match_sentence(ta, m, &k, &sa, &sb) || !LEMMA_IS(&ta->toks[k], "pitää"))
		return 0;
	for (size_t j = sa; j < sb; j++)
		if (ta->toks[j].type == TT_WORD && (ta->toks[j].start < m->start || ta->toks[j].end > m->end))
			return 0;
	return 1;
}

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
					/* a Finnish threat formula takes an emphatic particle after its
					 * first word: "varo vaan selustaasi", "tapan kyllä sut" */
					if (!ok && wi == 1 && ll == TEXT_LL_FI && p->kind == TEXT_LK_THREAT &&
					    j + 1 < ta->ntoks && text_tok_in(ta, &ta->toks[j], fi_emphatic)) {
						j++;
						ok = ta->toks[j].type == TT_WORD &&
						     word_matches(&ta->toks[j], &p->w[wi]);
					}
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

/* What the analysis of one text carries from sentence to sentence and into its result
 * (text_analyze_lex(), lex_sentence(), lex_matches()). */
struct lex_run {
	int ll;           /* TEXT_LL_FI or TEXT_LL_EN */
	int allcaps_text; /* every word is in capitals */
	double total;     /* the sentiment sum */
	double e[TA_N];   /* abuse evidence per category */
	/* English insult adjectives said of a thing: toxicity, not insult */
	double rude;
	/* insult evidence of slurs: not counted again in toxicity */
	double slur_ins;
	/* identity evidence of a group shut out by construction (text_group_shut_out()): also
	 * against the sentiment, which no word of such a sentence need carry */
	double shut_out;
	/* an identity attack by what is said of a group (text_group_slander()): negative whatever
	 * kind word it holds, as a threat is */
	int slander;
	int aimed; /* aimed at the reader */
	/* text_result.severe, before the check that the text is flagged */
	int severe;
	/* the previous sentence was only a sign-off word ("T.") */
	int prev_signoff;
	/* struct severe_cx's caches: -1 not yet known */
	int text_fiction_seen, text_playful_seen;
	/* text_consequence(), asked once (when consequence_known) */
	size_t consequence_at;
	int consequence_known;
	int recourse_seen; /* text_recourse(), asked once: -1 not yet */
	/* the previous sentence's first token (text_pity_if() reads it) */
	size_t prev_a;
	/* the previous sentence's sentiment sum (a trailing "... not." or "🙄" turns it) */
	double prev_sum;
	/* the previous sentence [prev_sa, prev_sb) was only praise ("Great, just great."), or
	 * sarcasm: praise alone beside a complaint of a plain failure turns ("Still no refund.") */
	int prev_bare_praise, prev_sarcastic;
	/* the previous sentence was only a thanks ("Kiitos paljon!", "Thanks so much.") */
	int prev_thanks;
	size_t prev_sa, prev_sb;
	/* threat evidence of violent words in an everyday sense ("kill for a coffee", "shot a
	 * video"): kept as weak evidence, but no violence felt in the sentiment */
	double everyday_threat;
	size_t last_word;  /* the text's last word token (ntoks if none) */
	struct spanbuf sb; /* the spans found */
	/* the spans of abusive words someone else said (text26: a quotation or a report lowers
	 * their evidence): added to sb after the fallback of a flagged text with no span, so a
	 * report keeps every span the text had without it */
	struct spanbuf said;
};

/* What the rules learn of one sentence [a, b) of the text (lex_sentence()): sent_cues() reads
 * its words, sent_sentiment() decides asks and kind_group, and the abuse rules read them all. */
struct sentence {
	size_t a, b;          /* its tokens; ta->toks[b] is its end punctuation if b < ntoks */
	double threat_before; /* st->e[TA_THREAT] before it: this sentence's threat is the difference */
	int severe_before;    /* st->severe before it: a reported or fictional sentence adds none */
	int nwords;           /* its words */
	int second;           /* a second-person word ("sinä", "olet", "your", an imperative) */
	int addressed;        /* a second-person word other than an imperative verb */
	int second_owner;     /* a second person that is not only a possessive on a noun */
	int imper;            /* an imperative verb */
	int finite;           /* a first- or third-person finite verb: "Se on persu" is no address */
	int aimed_sent;       /* said to the reader: a second person, or a bare vocative ("Idiootti!") */
	int sig;              /* a Finnish letter signature ("t. Matti"): no words of it are aimed */
	int excl;             /* its '!' marks (the end token's count) */
	int asks;             /* it asks (a '?' or a question clitic; not rhetorical, not exclaimed) */
	int formula;          /* thanks/apology words */
	int emo;              /* an emoji or emoticon with a valence */
	int negcue;           /* a negation or a negative word */
	int hostile;          /* hostile words (abusive, or of valence -2 or below) */
	int hostile_grp;      /* of hostile: group nouns hostile only by their own valence */
	int kind_group;       /* a sentence about a group that is kind apart from the group nouns */
	float idgroup;        /* the strongest group-noun weight of its words */
	double grp_val;       /* the group nouns' own valence ("homo" -3, "lesbo" -0.6) */
	int grp_quoted;       /* group nouns inside a reported quotation... */
	int grp_free;         /* ... and outside one */
	int told_grp;         /* a slur in the sentence is quoted by someone telling of it */
	int removal;          /* strongest text_exclusion_word() kind in the sentence */
	long mind;            /* a "your head/brain" word: "päässäsi", "aivosi", "järkesi" (-1: none) */
	long fault;           /* the first fault noun: "vika", "virhe", "ongelma" (-1: none) */
	long contrast;        /* the first contrast word after its start ("mutta", "but"; -1: none) */
	/* the first contrast conjunction that starts a clause of its own ("mutta", ", mut", "but";
	 * -1: none), and whether the reader is named before it ([0]) or after it ([1]): an insult
	 * is aimed by a "you" in its own clause ("My neighbour is a moron, but your guys were
	 * great"); with no such conjunction [0] is the whole sentence */
	long split;
	int second_in[2], addressed_in[2];
	int vocative; /* a bare vocative ("Idiootti!", "Painu pois, urpo") */
	/* the veiled-threat rules' gates: the word classes, a negation, a violent word, a name */
	uint64_t cls_union;
	int negated_s, threatish, persony;
};

/* 1 if word i is a contrast conjunction that opens a clause of its own: "mutta", "but" (not
 * "nothing but", only), and the spoken "mut" after a comma (without one it is also "minut",
 * me). Adverbs of contrast ("kuitenkin", "silti", "though") may stand inside the clause they
 * qualify. */
static int clause_contrast(const struct text_analyzer *ta, size_t i)
{
	const struct text_tok *t = &ta->toks[i];
	static const char *const only_before[] = {"nothing", "anything", "all", "none", NULL};
	if (t->w->info.flags & TI_CONTRAST)
		return text_tok_is(ta, t, "mutta") ||
		       (text_tok_is(ta, t, "but") && !text_tok_in(ta, &ta->toks[i - 1], only_before));
	return t->norm_len == 3 && ta->toks[i - 1].type == TT_CLAUSE && ta->toks[i - 1].comma &&
	       text_tok_is(ta, t, "mut");
}

/* 1 if the second-person word i is the standard of a comparison: "verrattuna teihin", "teihin
 * verrattuna", "compared to you", "compared with you". */
static int compared_to(const struct text_analyzer *ta, size_t a, size_t b, size_t i)
{
	if (ta->lang == TEXT_LANG_FI)
		return (i > a && tok_word_is(ta, i - 1, "verrattuna")) ||
		       (i + 1 < b && tok_word_is(ta, i + 1, "verrattuna"));
	return i >= a + 2 && (tok_word_is(ta, i - 1, "to") || tok_word_is(ta, i - 1, "with")) &&
	       tok_word_is(ta, i - 2, "compared");
}

/* What sentence [a, b) says of its words before anything is scored: who is addressed
 * (second person, a vocative), group nouns and their valence, negation, formulas, the word
 * classes present, a signature. Fills s; of st it sets only prev_signoff, for the next sentence. */
static void sent_cues(struct text_analyzer *ta, struct lex_run *st, struct sentence *s)
{
	const size_t a = s->a, b = s->b;
	const int ll = st->ll;
	if (ll == TEXT_LL_FI) {
		ta->pin_val = -1;
		ta->pin_val = text_fi_person_in(ta, a, b);
		ta->pin_a = a;
		ta->pin_b = b;
	}
	text_speech_verbs_from(ta, a);
	s->threat_before = st->e[TA_THREAT];
	s->severe_before = st->severe;
	int insult_words = 0;
	for (size_t i = a; i < b; i++) {
		const struct text_tok *t = &ta->toks[i];
		if ((t->type == TT_EMOJI || t->type == TT_EMOTICON) && t->w && (t->w->info.flags & TI_HASVAL))
			s->emo = 1;
		if (t->type != TT_WORD || !t->w)
			continue;
		const struct text_info *in = &t->w->info;
		s->nwords++;
		s->cls_union |= t->w->rule_class;
		s->persony |= (t->flags & TF_CAPITAL) || text_tok_is(ta, t, "sille");
		s->negated_s |= (in->flags & TI_NEGATOR) || (t->flags & TF_NT);
		s->threatish |= in->abuse[TA_THREAT] > 0;
		s->formula += (in->flags & (TI_THANKS | TI_APOLOGY)) != 0;
		/* not "surkea sää"; not a connegative after a first-person "en": "olen sairas
		 * enkä pääse" (a "you" only by its imperative reading) */
		int you =
		    (in->flags & TI_SECOND) && !text_fi_weather(ta, a, i) && !text_fi_conneg_after_first(ta, a, i);
		s->second |= you;
		/* "teidän laskuissa", "sovelluksenne": a possessive names the reader's thing, it does
		 * not address the reader ("vittu mikä sekasotku teidän laskuissa") */
		s->addressed |=
		    you && !(in->flags & TI_IMPER) && !(ll == TEXT_LL_FI && text_fi_possessive_you(ta, b, i));
		s->second_owner |= you && !(in->flags & TI_POSS2);
		if ((in->flags & TI_CONTRAST) && s->contrast < 0 && i > a)
			s->contrast = (long)i;
		if (s->split < 0 && i > a && clause_contrast(ta, i))
			s->split = (long)i;
		/* "pellejä verrattuna teihin", "idiots compared to you": the reader is the standard
		 * of a comparison, not the one the words are said of */
		if (you && !compared_to(ta, a, b, i)) {
			int side = s->split >= 0;
			s->second_in[side] = 1;
			s->addressed_in[side] |=
			    !(in->flags & TI_IMPER) && !(ll == TEXT_LL_FI && text_fi_possessive_you(ta, b, i));
		}
		/* "Olen homo ja mieheni kanssa...", "I'm gay": the writer says who they are */
		if (in->idgroup > 0 && text_self_identified(ta, a, i))
			continue;
		if (in->abuse[TA_INSULT] >= 0.5f || in->abuse[TA_OBSCENE] >= 0.5f || in->abuse[TA_IDENTITY] >= 0.5f ||
		    in->valence <= -2) {
			s->hostile++;
			if (in->idgroup > 0 && in->abuse[TA_INSULT] < 0.5f && in->abuse[TA_OBSCENE] < 0.5f &&
			    in->abuse[TA_IDENTITY] < 0.5f)
				s->hostile_grp++;
		}
		if (in->idgroup > 0)
			s->grp_val += in->valence;
		else if (ll == TEXT_LL_FI && text_exclusion_word(t->w) > s->removal)
			s->removal = text_exclusion_word(t->w);
		else if (ll == TEXT_LL_FI && text_fi_expulsion_at(ta, b, i)) /* "pitäisi heittää maasta" */
			s->removal = 2;
		if (in->abuse[TA_INSULT] > 0)
			insult_words++;
		if (in->idgroup > s->idgroup)
			s->idgroup = in->idgroup;
		/* the group named inside a quotation the writer reports ("vartija sanoi minulle 'te
		 * romanit varastatte aina'", "the teacher told the class that 'Muslims are
		 * terrorists'"): a customer telling of discrimination, no attack by them */
		if (in->idgroup > 0) {
			if (((t->flags & TF_QUOTED) &&
			     (ll == TEXT_LL_FI ? text_reported_quote(ta, a, i) : text_en_reported(ta, a, b, i))) ||
			    (ll == TEXT_LL_FI && text_reported_calling(ta, a, b, i)) ||
			    (ll == TEXT_LL_EN && text_en_reported(ta, a, b, i)) || text_speech_told(ta, a, b) < i)
				s->grp_quoted = 1;
			else
				s->grp_free = 1;
		}
		if (in->flags & TI_IMPER)
			s->imper = 1;
		s->finite |= (in->flags & TI_FINITE) != 0;
		/* an English third-person copula is a finite verb too ("Politicians are idiots.",
		 * "Cats are stupid.": said of someone, as "Se on persu" is); not "be", an order */
		s->finite |= ll == TEXT_LL_EN && (in->flags & TI_COPULA) && !(in->flags & TI_SECOND) &&
		             !text_tok_is(ta, t, "be") && !text_tok_is(ta, t, "being");
		/* (not one thanked for: "kiitämme ymmärryksestänne", "kiitos kärsivällisyydestäsi",
		 * the elative after a thanks word, is the politest sign-off there is) */
		if (ll == TEXT_LL_FI && (in->flags & TI_POSS2) && is_mind_noun(t->w) && s->mind < 0 &&
		    !(t->w->elative && text_flags_before(ta, a, i, TI_THANKS, 0, 0, 1)))
			s->mind = (long)i;
		if ((t->w->rule_class & RC_FAULT) && s->fault < 0)
			s->fault = (long)i;
		if (((in->flags & TI_NEGATOR) && !(in->flags & TI_QUEST)) || in->valence <= -1)
			s->negcue = 1;
	}
	s->excl = b < ta->ntoks ? ta->toks[b].excl : 0;
	/* a bare vocative ("Idiootti!", "Senkin hölmö!", "Painu pois, urpo") has no verb of
	 * its own; "Se on persu", "Tuli typerä olo" say something of someone or something */
	s->vocative = (insult_words > 0 && s->nwords <= 3 && !s->finite) || text_vocative_insult(ta, a, b);
	s->aimed_sent = s->second || s->vocative;
	s->sig = ll == TEXT_LL_FI && text_signature(ta, a, b, st->prev_signoff, st->last_word);
	if (s->sig)
		s->aimed_sent = s->vocative = 0;
	st->prev_signoff = s->nwords == 1 && text_signoff_word(ta, &ta->toks[a]);
}

/* 1 if token t is an emoji of sarcasm: the eye-roll 🙄 (U+1F644) or the upside-down face 🙃
 * (U+1F643), which say the praise around them is not meant ("amazing service 🙄"). */
static int sarcasm_emoji(const struct text_analyzer *ta, const struct text_tok *t)
{
	const char *n = ta->scratch + t->norm_off;
	return t->type == TT_EMOJI && t->norm_len >= 4 &&
	       (!memcmp(n, "\xF0\x9F\x99\x84", 4) || !memcmp(n, "\xF0\x9F\x99\x83", 4));
}

/* 1 if the two-word sentence [a, b) opens with a bare negation before its thanks word: "Ei
 * kiitos", "En kiitos", "No thanks" (Finnish "No kiitos" is "well, thanks"). */
static int fi_en_refusal(const struct text_analyzer *ta, size_t a, size_t b)
{
	size_t j = a;
	while (j < b && ta->toks[j].type != TT_WORD)
		j++;
	if (j >= b || !ta->toks[j].w || (ta->toks[j].w->info.flags & (TI_THANKS | TI_QUEST)))
		return 0;
	return ta->lang == TEXT_LANG_FI ? (ta->toks[j].w->info.flags & TI_NEGATOR) != 0 : tok_word_is(ta, j, "no");
}

/* English: 1 if sentence [a, b) ends in a "not" that takes back what came before it: "Great
 * service... not." (the previous sentence ended in an ellipsis and this one is only "not"), or
 * "Best purchase ever, NOT!" (after a comma). */
static int en_trailing_not(const struct text_analyzer *ta, size_t a, size_t b)
{
	if (b <= a || !tok_word_is(ta, b - 1, "not"))
		return 0;
	if (b - 1 == a)
		return a > 0 && ta->toks[a - 1].type == TT_END && (ta->toks[a - 1].flags & TF_ELLIPSIS);
	return ta->toks[b - 2].type == TT_CLAUSE && ta->toks[b - 2].comma;
}

/* 1 if token i of sentence [.., b) is an insult word that judges the quality or taste of a thing
 * as readily as a person ("pathetic", "disgusting", "säälittävä", "ällöttävä": closed list, by
 * Snowball stem / lemma) right before a noun it describes: a word of no colour or abuse, no
 * person, not a hashtag ("Disgusting food", "Pathetic delivery times", "Säälittävä palvelu"). */
static int quality_attributive(const struct text_analyzer *ta, size_t b, size_t i)
{
	static const char *const words[] = {"pathet",    "disgust",   "revolt",    "worthless", "säälittävä",
	                                    "ällöttävä", "kuvottava", "inhottava", "surkea",    NULL};
	const struct text_word *w = ta->toks[i].w;
	const char *st = w->stem ? w->stem : w->lemma;
	size_t n = w->stem ? w->stem_len : w->lemma_len;
	int listed = 0;
	for (int k = 0; words[k] && !listed; k++)
		listed = n == strlen(words[k]) && !memcmp(st, words[k], n);
	if (!listed || i + 1 >= b)
		return 0;
	const struct text_tok *q = &ta->toks[i + 1];
	/* (one space between: a hashtag's '#' is outside its token, "pathetic #appeasement") */
	if (q->type != TT_WORD || !q->w || q->start != ta->toks[i].end + 1 ||
	    (q->w->info.flags & (TI_HASVAL | TI_PERSON | TI_SECOND | TI_FIRST | TI_FUNC | TI_STOP)) ||
	    (q->w->rule_class & (RC_PERSON_NOUN | RC_STAFF)))
		return 0;
	for (int c = 0; c < TA_N; c++)
		if (q->w->info.abuse[c] > 0)
			return 0;
	return 1;
}

/* 1 if sentence [a, b) is a thanks and words of degree only ("Kiitos paljon!", "Thanks so
 * much.", "Iso kiitos!"). */
static int en_fi_bare_thanks(const struct text_analyzer *ta, size_t a, size_t b)
{
	static const char *const degree[] = {"so",  "much",  "very",    "a",       "lot",  "paljon", "tosi",
	                                     "iso", "suuri", "kovasti", "todella", "many", NULL};
	int thanks = 0;
	for (size_t i = a; i < b; i++) {
		const struct text_tok *t = &ta->toks[i];
		if (t->type != TT_WORD)
			continue;
		if (!t->w)
			return 0;
		if (t->w->info.flags & TI_THANKS)
			thanks = 1;
		else if (!text_tok_in(ta, t, degree))
			return 0;
	}
	return thanks;
}

/* 1 if every word of sentence [a, b) is a word of praise (not a thanks) or a particle of degree
 * or exclamation: "Great, just great.", "Impressive.", "Ihan mahtavaa!", "Oh wonderful." */
static int en_fi_bare_praise(const struct text_analyzer *ta, size_t a, size_t b)
{
	static const char *const particles[] = {"just", "so",   "oh",    "how", "really", "very", "wow",  "ihan",
	                                        "tosi", "niin", "aivan", "vau", "kyllä",  "no",   "just", NULL};
	for (size_t i = a; i < b; i++) {
		const struct text_tok *t = &ta->toks[i];
		if (t->type != TT_WORD)
			continue;
		if (!t->w || (t->w->info.flags & TI_THANKS))
			return 0;
		if (!((t->w->info.flags & TI_HASVAL) && t->w->info.valence > 0) && !text_tok_in(ta, t, particles))
			return 0;
	}
	return 1;
}

/* text_polite_request() of sentence s, asked once into *known (-1: not yet): only of a sentence
 * with a word of asking (word class request) or a question mark, a cheap gate before the
 * rule reads the words. */
static int sent_request(const struct text_analyzer *ta, const struct sentence *s, int *known)
{
	if (*known < 0)
		*known = ((s->cls_union & RC_REQUEST) || (s->b < ta->ntoks && ta->toks[s->b].quest)) &&
		         text_polite_request(ta, s->a, s->b, s->b, s->b);
	return *known;
}

/* The sentiment of sentence s into st->total: valence words scaled, negated and contrasted,
 * sarcasm, exclamation, questions, formulas (the recipe is in the file's opening comment). */
static void sent_sentiment(struct text_analyzer *ta, struct lex_run *st, struct sentence *s)
{
	const size_t a = s->a, b = s->b;
	const int ll = st->ll;

	/* the past participle of "olla", which voikko reads only as an adjective ("ollut") */
	static const char *const fi_been[] = {"ollut", "ollu", "olleet", "olleen", NULL};
	/* (7 or 8 bytes each: the length is tested first) */
	static const char *const fi_litotes_any[] = {"mikään", "mikkää", "yhtään", "yhtää", NULL};
	/* Finnish particles of emphasis and extent that stand between a negation and the word it
	 * denies without moving its scope ("Ei ole kyllä yhtään järkeä", spoken "Ei oo kyl ny
	 * mittää järkee"): they are not counted among the three words a negation reaches. Normalised
	 * forms (the spoken ones are no voikko words). */
	static const char *const fi_scope_particle[] = {"kyllä",     "kyl",      "nyt",      "ny",   "yhtään",  "yhtää",
	                                                "ollenkaan", "ollenkaa", "lainkaan", "enää", "tosiaan", NULL};
	/* English: a plain service question, asked with an auxiliary or a question word other
	 * than "why" ("Can I get a refund?", "Do you charge for delivery?", "How long?", "Is the
	 * discount code still valid?"), asks about the service: its words of mild colour ("pay",
	 * "refund", "cancel", "discount", "charge", and "long", which Snowball stems as "longing")
	 * say nothing of how the writer feels. "Why was I charged twice?" complains, and a strong
	 * word (-3 or below) keeps its colour ("Is your service always this terrible?"). */
	static const char *const en_ask[] = {"can",   "could", "may",  "do",   "does",  "is",    "are", "will",
	                                     "would", "how",   "what", "when", "where", "which", NULL};
	int service_q = 0;
	if (ll == TEXT_LL_EN && b < ta->ntoks && ta->toks[b].quest && !ta->toks[b].excl)
		for (size_t i = a; i < b; i++)
			if (ta->toks[i].type == TT_WORD) {
				service_q = text_tok_in(ta, &ta->toks[i], en_ask);
				break;
			}
	int trail_not = ll == TEXT_LL_EN && en_trailing_not(ta, a, b), roll = 0, words = 0;
	for (size_t i = a; i < b; i++) {
		roll |= sarcasm_emoji(ta, &ta->toks[i]);
		words += ta->toks[i].type == TT_WORD;
	}
	double sum = 0, praise = 0; /* praise: the positive words' part of sum */
	long resolved = -2;         /* text_sent_resolution(), asked once: -2 not yet */
	int request = -1;           /* text_polite_request(), asked once: -1 not yet */

	for (size_t i = a; i < b; i++) {
		struct text_tok *t = &ta->toks[i];
		double like = ll == TEXT_LL_FI ? text_like_verb_valence(ta, i, b) : 0;
		if (!t->w || (!(t->w->info.flags & TI_HASVAL) && like == 0) || (t->flags & TF_FORMULA))
			continue;
		if (ll == TEXT_LL_FI && like == 0 && fi_wait_request(t->w))
			continue;
		/* "insanely good", "vitun hyvää", "fucking awesome": boosts, below */
		if (text_en_degree_adverb(ta, b, i) || text_swear_booster(ta, b, i) || text_fi_degree_adverb(ta, b, i))
			continue;
		if (text_everyday_sense(ta, a, b, i) || text_greeted_name(ta, i) || text_street_name(ta, i) ||
		    (ll == TEXT_LL_EN && text_en_name(ta, a, b, i))) /* "meidän narttu pentui", "Hi Dick," */
			continue;
		/* "tappaa aikaa", "lyödä lukkoon", "polttaa tupakkaa": an idiom, no violence felt */
		if (ll == TEXT_LL_FI && like == 0 && t->w->info.valence < 0 && text_violent_idiom(ta, b, i))
			continue;
		/* "I'll kill the process and restart", "shoot me an email": a violent verb done to a
		 * thing or sending something is everyday work (as for threats, text_en_everyday_violent) */
		if (ll == TEXT_LL_EN && t->w->info.valence < 0 && t->w->info.abuse[TA_THREAT] > 0 &&
		    text_en_everyday_violent(ta, b, i))
			continue;
		double v = like != 0 ? like : t->w->info.valence, m = 1;
		if (service_q && v < 0 && v >= -2)
			continue;
		int neg = 0, seen = 0, copula = 0;
		for (size_t j = i; j-- > a && seen < 3;) {
			const struct text_tok *p = &ta->toks[j];
			if (p->type == TT_CLAUSE)
				break;
			if (p->type != TT_WORD || !p->w)
				continue;
			seen += !(ll == TEXT_LL_FI && text_tok_in(ta, p, fi_scope_particle));
			/* "En voi kuin kehua", "ei muuta kuin hyvää": a negation with "kuin" (than)
			 * limits, what follows is all there is ("can only praise") */
			if (ll == TEXT_LL_FI && text_tok_is(ta, p, "kuin"))
				break;
			/* "eikö olekin ihanaa?" asserts (a rhetorical question), it does not negate;
			 * "far from good" denies as "not" does */
			/* "ei mikään huono", "ei yhtään huono hinta": the nominative indefinite of a
			 * negation before an adjective denies it as a copula does (litotes, below);
			 * the partitive "ei mitään pahaa" names something bad */
			if (ll == TEXT_LL_FI && !neg && p->norm_len >= 7 && p->norm_len <= 8 &&
			    text_tok_in(ta, p, fi_litotes_any))
				copula = 1;
			if (((p->w->info.flags & TI_NEGATOR) && !(p->w->info.flags & TI_QUEST)) || (p->flags & TF_NT) ||
			    (ll == TEXT_LL_EN && text_tok_is(ta, p, "from") && j > a && tok_word_is(ta, j - 1, "far")))
				neg = 1;
			else if (!neg && ((p->w->info.flags & TI_COPULA) || text_tok_in(ta, p, fi_been)))
				copula = 1;
			if (p->w->info.mult && seen <= 2)
				m *= p->w->info.mult;
			else if (seen == 1 && (text_en_degree_adverb(ta, b, j) || text_swear_booster(ta, b, j) ||
			                       text_fi_degree_adverb(ta, b, j)))
				m *= 1.4;
		}
		if ((t->flags & TF_ALLCAPS) && !st->allcaps_text)
			m *= 1.3;
		v *= m;
		/* "en ole koskaan ollut onnellisempi", "mikään ei ole parempaa": a negated
		 * comparative praises (or blames) by comparison, it does not flip; an insult word's
		 * does ("ei hullumpi", not bad at all: a denied judgement, below) */
		if (neg && ll == TEXT_LL_FI && (t->w->info.flags & TI_COMPAR) && !(t->w->info.abuse[TA_INSULT] > 0))
			neg = 0;
		if (neg)
			/* "ei huono", "not bad" (litotes) are at most mildly positive, and so is an
			 * insult word denied ("ei tyhmä", "ei hullu": a judgement, like an
			 * adjective, whatever voikko's class); a negated Finnish emotion or event
			 * word keeps half its colour: "en pelkää", "ei sattunut" still speak of fear
			 * and pain */
			v *= v >= 0 ? -0.6
			     : (ll != TEXT_LL_FI || (t->w->info.flags & TI_ADJ) || (copula && t->w->adj_reading) ||
			        t->w->info.abuse[TA_INSULT] > 0)
			         ? -0.3
			         : 0.5;
		/* a problem put right is no complaint ("asentaja löysi vian", "vaihto onnistui
		 * heti", "you replaced the broken kettle"): its words before the verb of putting it
		 * right, and its object, have no colour; and a polite request's circumstance
		 * ("poikani on sairaana, voisiko...") is none either */
		if (v < 0 && t->w->info.valence >= -3) {
			if (resolved == -2)
				resolved = (s->cls_union & RC_RESOLUTION) ? text_sent_resolution(ta, a, b) : -1;
			if ((resolved >= 0 && (i < (size_t)resolved || i <= (size_t)resolved + 3)) ||
			    (sent_request(ta, s, &request) && text_circumstance(ta, a, b, i)))
				continue;
		}
		if (s->contrast >= 0)
			v *= (long)i > s->contrast ? 1.5 : 0.5;
		sum += v;
		if (v > 0)
			praise += v;
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
		if (trail_not && i == b - 1) /* "Great service... not.": turns the praise, below */
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
			/* "en voi kuin kehua": the negation limits ("only"), it leans nowhere */
			used = (q->w->info.flags & TI_HASVAL) || (ll == TEXT_LL_FI && text_tok_is(ta, q, "kuin"));
		}
		if (seen > 0 && indef == seen) /* "Ei mitään.", "En oikeastaan.", "Ei kukaan." */
			seen = 0;
		/* "netti ei toiminut, mutta korjasitte sen", "enkä osaa käyttää sovelluksia,
		 * voisiko..." (above) */
		if (!used && seen > 0) {
			if (resolved == -2)
				resolved = (s->cls_union & RC_RESOLUTION) ? text_sent_resolution(ta, a, b) : -1;
			if ((resolved >= 0 && i < (size_t)resolved) ||
			    (sent_request(ta, s, &request) && text_circumstance(ta, a, b, i)))
				continue;
		}
		/* Finnish answers "no" with the bare negation verb ("Tuletko?" "En."; "Ei,
		 * kiitos"): with nothing after it in its clause it is an answer, not a complaint */
		if (!used && (seen > 0 || ll != TEXT_LL_FI))
			sum += NEG_LEAN;
	}
	/* praise with something gone wrong again is sarcasm ("Ihan mahtavaa, taas ei toimi
	 * mikään", "Onpa kiva odottaa viikko pakettia") */
	int sarcastic = 0;
	if (sum > 0 && (ll == TEXT_LL_FI ? text_fi_sarcasm(ta, a, b) : text_en_sarcasm(ta, a, b))) {
		sum = -sum;
		sarcastic = 1;
	}
	/* ... and so is praise that a word of blame cancelled ("Hienoa työtä, rikoitte koko
	 * laitteen", "Thanks for ignoring my emails"): the praise turns to blame too */
	else if (sum <= 0 && praise > 0 && (ll == TEXT_LL_FI ? text_fi_sarcasm(ta, a, b) : text_en_sarcasm(ta, a, b))) {
		sum -= praise;
		sarcastic = 1;
	}
	/* praise alone as a sentence beside a complaint of a plain failure takes itself back:
	 * "Great, just great. Still no refund.", "Wow, a whole month to process a return.
	 * Impressive." (a thanks is politeness: "Kiitos! Paketti oli rikki." stays) */
	/* (the fact of failure is looked for only beside such praise: it scans the sentence) */
	int bare_praise = sum > 0 && praise == sum && s->nwords <= 3 && en_fi_bare_praise(ta, a, b);
	if (bare_praise &&
	    (st->prev_sarcastic || (st->prev_sum < 0 && text_sarcasm_fact(ta, st->prev_sa, st->prev_sb))))
		sum = -sum;
	else if (st->prev_bare_praise && st->prev_sum > 0 && (sarcastic || (sum < 0 && text_sarcasm_fact(ta, a, b))))
		sum -= 2 * st->prev_sum;
	/* ... and so does a thanks alone before a failure that goes on or was never done
	 * ("Kiitos paljon! Odotan edelleen lupaamaanne soittoa."); before a thing that came
	 * broken it is politeness ("Kiitos! Paketti oli rikki.") */
	else if (st->prev_thanks && st->prev_sum > 0 && sum <= 0 && text_sarcasm_undone(ta, a, b))
		sum -= 2 * st->prev_sum;
	st->prev_thanks = sum > 0 && s->nwords <= 4 && en_fi_bare_thanks(ta, a, b);
	st->prev_bare_praise = bare_praise;
	st->prev_sarcastic = sarcastic;
	st->prev_sa = a;
	st->prev_sb = b;
	/* praise taken back: "Great service, not!", "amazing service 🙄"; a "not" or an eye-roll
	 * on its own after the praise takes back the sentence before ("Great service... not.",
	 * "Loistavaa palvelua. 🙄") */
	if (sum > 0 && (trail_not || roll))
		sum = -sum;
	else if (sum == 0 && ((trail_not && b - a == 1) || (roll && words == 0)) && st->prev_sum > 0)
		sum = -2 * st->prev_sum;
	if (s->excl && sum != 0)
		sum *= 1 + 0.15 * (s->excl > 4 ? 4 : s->excl);
	/* a question asks, it does not assert: "Piditkö näytöksestä?" is not praise */
	int qclitic = 0, rhet = 0;
	if (ll == TEXT_LL_FI) /* "onko tämä hyvä" asks, even without '?' */
		for (size_t i = a; i < b; i++)
			if (ta->toks[i].type == TT_WORD && ta->toks[i].w && (ta->toks[i].w->info.flags & TI_QUEST)) {
				qclitic = 1;
				/* "eikö olekin ihanaa?", "eikö se ole hyvä?" expect a yes */
				rhet |= (ta->toks[i].w->info.flags & TI_NEGATOR) != 0;
			}
	s->asks = ((b < ta->ntoks && ta->toks[b].quest) || qclitic) && !s->excl && !rhet;
	if (s->asks)
		sum *= sum > 0 ? 0.3 : 0.8;
	/* a bare thanks or apology ("Kiitos.", "Anteeksi.", "Thanks.") is a politeness formula,
	 * not an emotion; exclaimed, with an emoji or with other words it keeps its valence */
	if (!s->excl && !s->emo && s->nwords > 0 && s->formula == s->nwords)
		sum = 0;
	/* ... and so is a polite refusal, a negation and a thanks ("Ei kiitos.", "Ei, kiitos.",
	 * "No thanks."): an answer (the negation negates no thanks) */
	if (!s->excl && !s->emo && s->nwords == 2 && s->formula == 1 && fi_en_refusal(ta, a, b))
		sum = 0;
	/* an exclaimed command or address with no sentiment words reads as anger ("Pois!",
	 * "Menkää!", "Lopeta jo!") */
	if (s->excl && sum == 0 && s->nwords >= 1 && (s->imper || s->second) &&
	    !(ll == TEXT_LL_FI && text_fi_hortative(ta, a, b)))
		sum = -0.6;
	st->total += sum;
	st->prev_sum = sum;
	if (sum > 0) /* for the topics: praise in a complaint names no complaint */
		for (size_t i = a; i < b; i++)
			ta->toks[i].flags |= TF_POS_SENT;

	/* a group noun's own valence is no hostility when the rest of its sentence is kind, and
	 * its own weak identity evidence no attack: the Finnish AFINN has "homo" at -3, which
	 * made "Homot ja lesbot ovat tervetulleita" an identity attack (in the dev file's
	 * comments the word with nothing kind around it mostly is one) */
	s->kind_group = s->hostile_grp && sum - s->grp_val > GROUP_KIND_SUM;
}

/* The abuse evidence of each word of sentence s into st (per category, with spans): insults and
 * swearing aimed or not, threats, obscenity, slurs and group nouns, each word read in its
 * context (quoted, reported, negated, said of a thing or of the writer). 0, or -1 when out of
 * memory. */
static int sent_word_abuse(struct text_analyzer *ta, struct lex_run *st, struct sentence *s)
{
	const size_t a = s->a, b = s->b;
	const int ll = st->ll;
	static const char *const en_reflexive2[] = {"yourself", "urself", "yourselves", NULL};
	/* abuse */
	for (size_t i = a; i < b; i++) {
		struct text_tok *t = &ta->toks[i];
		if ((t->type != TT_WORD && t->type != TT_EMOJI) || !t->w)
			continue;
		if (ll == TEXT_LL_EN && (text_en_name(ta, a, b, i) || /* "Dick Johnson", "this is Dick" */
		                         text_en_own_body(ta, a, i))) /* "a rash on my penis" */
			continue;
		if (text_everyday_sense(ta, a, b, i) || text_greeted_name(ta, i) ||
		    text_street_name(ta, i)) /* "meidän narttu pentui", "Hi Dick," */
			continue;
		const float *ab = t->w->info.abuse;
		double c[TA_N] = {0};
		int near_first = 0, near_second = 0, about_person = 0, person_second = 0, modal = 0, group = 0;
		/* the word's own clause: with a contrast conjunction, the side of it the word is on */
		const int side = s->split >= 0 && i > (size_t)s->split;
		const size_t wa = side ? (size_t)s->split + 1 : a, wb = s->split >= 0 && !side ? (size_t)s->split : b;
		const int aimed_here = !s->sig && (s->second_in[side] || s->vocative);
		/* a negative evaluation of a group: "maahanmuuttajat ovat laiskoja" */
		/* (not a feeling: "olet pettynyt" is how the reader is, not what) */
		int neg_pred = ll == TEXT_LL_FI && t->type == TT_WORD && ab[TA_INSULT] == 0 && ab[TA_THREAT] == 0 &&
		               t->w->info.valence <= -2 && !(t->w->rule_class & RC_STATE);
		if (ab[TA_THREAT] > 0 || ab[TA_INSULT] > 0 || neg_pred) {
			near_first = (t->w->info.flags & TI_FIRST) != 0;
			text_scan_near(ta, wa, wb, i, &near_first, &near_second, &about_person, &person_second, &modal,
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
		if (contempt && ll == TEXT_LL_FI && text_demonstrative_before(ta, a, i) && i + 1 < b &&
		    ta->toks[i + 1].type == TT_WORD && ta->toks[i + 1].w &&
		    (ta->toks[i + 1].w->info.flags & TI_CONTENT) && !(ta->toks[i + 1].w->info.flags & TI_PERSON) &&
		    !person_shaped(ta->toks[i + 1].w) && ta->toks[i + 1].w->info.abuse[TA_INSULT] == 0)
			contempt = 0;
		/* "you are a disgrace", "ur a joke", "you are the worst": a noun predicate with an
		 * article calls the reader something; "he is a disgrace", "she's the worst" call
		 * a third person the same */
		if (ll == TEXT_LL_EN && ab[TA_INSULT] == 0 && t->w->info.valence <= -2) {
			int who = text_en_article_predicate(ta, a, i);
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
		int of_thing =
		    ab[TA_INSULT] > 0 && !about_person &&
		    (ll == TEXT_LL_EN ? ab[TA_INSULT] < 1 && text_en_said_of_thing(ta, a, b, i, 0)
		                      : text_fi_thing_modifier(ta, b, i) || text_fi_quality_noun(ta, a, b, i) ||
		                            text_fi_situation_adj(ta, b, i) ||
		                            (t->w->insult_modifier && !text_fi_person_in(ta, a, b)));
		/* likewise a weak Finnish one when the only word for the reader is a possessive on
		 * a noun: "asiakaspalvelijanne oli tietämätön", "tuotteenne on nolo" judge the
		 * reader's staff or thing (not "tyhmyytesi", the reader's own) */
		if (ll == TEXT_LL_FI && ab[TA_INSULT] < 0.5f && !about_person && s->second && !s->second_owner &&
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
		                           : ab[TA_INSULT] * (s->aimed_sent && !weak_en ? 2.5
		                                              : ll == TEXT_LL_EN        ? 1.2
		                                                                        : 1.1);
		/* someone else's words: a Finnish quotation reported by a speech verb or a calling
		 * verb with the translative, or the word mentioned as a word ("the word LOSER") */
		int quoted_ins =
		    ab[TA_INSULT] > 0 &&
		    ((ll == TEXT_LL_FI && (text_reported_calling(ta, a, b, i) || text_reported_quote(ta, a, i))) ||
		     text_word_mentioned(ta, a, i));
		/* "olin niin typerä", "olen idiootti": the speaker calls themself names */
		int self_named =
		    ab[TA_INSULT] > 0 && ((!s->second && text_first_copula(ta, a, i)) ||
		                          (ll == TEXT_LL_EN && !s->second && text_en_speaker_self_judged(ta, a, i)) ||
		                          text_self_named_after(ta, a, b, i, ll));
		/* ... or someone else named them so: "She said I was a fucking idiot", "Hän sanoi,
		 * että olen idiootti" */
		if (self_named && text_speech_told(ta, a, b) < i)
			quoted_ins = 1;
		/* "et ole tyhmä", "etkä oo lihava": the reader is told they are not, "Ei tyhmä idea",
		 * "not a stupid question" deny it of a thing or a third person; "T. Läskit" signs the
		 * text. None is aimed. */
		int not_aimed = ab[TA_INSULT] > 0 && (quoted_ins || self_named || s->sig ||
		                                      text_denied_to_reader(ta, a, i) || text_unsaid_that(ta, a, i) ||
		                                      (ll == TEXT_LL_EN && text_en_denied_to_reader(ta, a, i)) ||
		                                      text_insult_denied(ta, a, b, i, s->asks));
		/* an English customer telling of abuse they met ("your employee called my son a
		 * retard"): no name-calling of the reader, but the word is as rude as said */
		int told_of = !not_aimed && ab[TA_INSULT] > 0 &&
		              ((ll == TEXT_LL_EN && text_en_reported(ta, a, b, i)) || text_speech_told(ta, a, b) < i);
		/* what the word would carry said by the writer, when someone else's words lower it
		 * (text26): a report changes who is abused, not whether the word is abusive, and it
		 * is masked all the same ("Asiakas kirjoitti \"olet vitun idiootti\"") */
		double said[TA_N] = {0};
		if ((quoted_ins || told_of) && !group_named) {
			said[TA_INSULT] = c[TA_INSULT];
			/* (unless said, it would be criticism of a thing: "Disgusting food") */
			if (of_thing && !s->aimed_sent && quality_attributive(ta, b, i))
				said[TA_INSULT] = fmin(said[TA_INSULT], ab[TA_INSULT] * 1.2 * 0.4);
		}
		/* (a group named is no insult at all: nothing to lower, nor to move to rudeness) */
		if ((not_aimed || told_of) && !group_named) {
			/* not aimed: no second-person boost either ("haukuitsä sitä huoraks") */
			double was = c[TA_INSULT];
			c[TA_INSULT] = ab[TA_INSULT] * 1.1 * 0.3;
			about_person = person_second = 0;
			if (told_of) {
				st->rude += was - c[TA_INSULT];
				not_aimed = 1;
			}
		}
		/* ... and rude: what it loses as an insult still counts for toxicity (and for the
		 * sentiment), so "this stupid app" is flagged as rude, not as name-calling */
		double rude_here = 0;
		if (of_thing && c[TA_INSULT] > ab[TA_INSULT] * 1.2 * 0.4) {
			rude_here = c[TA_INSULT] - ab[TA_INSULT] * 1.2 * 0.4;
			c[TA_INSULT] -= rude_here;
			/* a word of quality or taste before the thing it judges is criticism, not
			 * rudeness ("Disgusting food", "Pathetic response time", "säälittävä palvelu"):
			 * it keeps its weak part (and its sentiment) but no more; a word of the mind
			 * said of a thing is rude ("This stupid app"), and so is one said alone or as a
			 * predicate ("#Pathetic", "Her behaviour was disgusting": tweets judge people) */
			if (!s->aimed_sent && quality_attributive(ta, b, i))
				rude_here = 0;
			st->rude += rude_here;
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
		int sworn_at = s->addressed_in[side] && !not_aimed && ab[TA_OBSCENE] >= 0.8f &&
		               !(ll == TEXT_LL_EN && text_en_self_intensifier(ta, a, b, i)) &&
		               !text_swear_not_at_reader(ta, a, b, i);
		if (sworn_at)
			c[TA_INSULT] += 0.75 * ab[TA_OBSCENE];
		/* a violent verb is a threat when a speaker commits to it against the reader */
		/* ... or calls for it: "X pitäisi tappaa", "tapetaan kaikki", "should be shot" */
		int call = modal || (t->w->info.flags & TI_IMPER);
		/* "Syyriassa tapetaan lapsia": a passive said of a place reports */
		if (ll == TEXT_LL_FI && ab[TA_THREAT] > 0 && (t->w->info.flags & TI_IMPER) && !modal &&
		    text_passive_report(ta, a, i))
			call = 0;
		/* "kun ihmisiä tapetaan, ...", "jos joku ammutaan": a passive in a subordinate
		 * clause describes; only a main clause calls ("tapetaan ne") */
		if (ll == TEXT_LL_FI && ab[TA_THREAT] > 0 && (t->w->info.flags & TI_IMPER) && !modal &&
		    text_subordinate_clause(ta, i))
			call = 0;
		c[TA_THREAT] = ab[TA_THREAT] * (near_first && near_second   ? 3.5
		                                : call                      ? 2.5
		                                : near_first || near_second ? 0.8
		                                                            : 0.3);
		/* "Tapan sen myyjän", "puukotan hänet": the writer commits to harm a person named
		 * as the object (the reader's staff, most often), a threat as much as "tapan sut" */
		/* (a threat to that third person, not to the reader: not aimed) */
		int third_object = 0;
		if (ll == TEXT_LL_FI && ab[TA_THREAT] > 0 && near_first && !near_second && !call &&
		    !text_negator_in(ta, a, i) && text_fi_person_object(ta, a, b, i)) {
			c[TA_THREAT] = ab[TA_THREAT] * 2.5;
			third_object = 1;
		}
		/* "I'll stab him", "I'm going to kill the driver": the same in English */
		if (ll == TEXT_LL_EN && ab[TA_THREAT] > 0 && !near_second && !call && !s->asks &&
		    text_en_person_object(ta, wa, b, i)) {
			c[TA_THREAT] = ab[TA_THREAT] * 2.5;
			third_object = 1;
		}
		/* "en tapa sinua", "en aio lyödä": a denied act is no threat (Finnish only: in
		 * English tweets "won't ... " lowered OLID) */
		if (ll == TEXT_LL_FI && ab[TA_THREAT] > 0 && text_negated_before(ta, i))
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
		if (ll == TEXT_LL_FI && ab[TA_THREAT] > 0 && s->asks)
			c[TA_THREAT] = ab[TA_THREAT] * 0.3;
		/* "tupakka tappaa sinut": a thing or a third party acts, the speaker threatens nobody */
		if (ll == TEXT_LL_FI && ab[TA_THREAT] > 0 && !call && text_third_subject_at(ta, i, 0))
			c[TA_THREAT] = ab[TA_THREAT] * 0.3;
		if (ll == TEXT_LL_FI && ab[TA_THREAT] > 0 && text_violent_idiom(ta, b, i)) /* "lyön vetoa" */
			c[TA_THREAT] = 0;
		/* 'poika sanoi kiusaajalle "mä tapan sut"': a reported quote threatens nobody here */
		if (ab[TA_THREAT] > 0 && text_reported_quote(ta, a, i)) {
			said[TA_THREAT] = c[TA_THREAT];
			c[TA_THREAT] = fmin(c[TA_THREAT], ab[TA_THREAT] * 0.3);
		}
		if (ll == TEXT_LL_FI && ab[TA_THREAT] > 0 && (t->w->info.flags & TI_PAST))
			c[TA_THREAT] = ab[TA_THREAT] * 0.15;
		/* "itse tappaisin heitä", "jos ampuisi": a hypothetical act with no call and no
		 * reader as its target ("tappaisin sinut" stays a threat) */
		if (ll == TEXT_LL_FI && ab[TA_THREAT] > 0 && (t->w->info.flags & TI_COND) && !modal && !near_second)
			c[TA_THREAT] = ab[TA_THREAT] * 0.3;
		/* "minut pitäisi ampua", "hiiret pitää tappaa", "pelissä tapetaan": the speaker,
		 * an animal or a story is the target, not a person the text threatens */
		if (ll == TEXT_LL_FI && ab[TA_THREAT] > 0 && !near_second &&
		    (text_self_target(ta, i) || text_animal_target(ta, i) || text_fiction_setting(ta, a, b)))
			c[TA_THREAT] = fmin(c[TA_THREAT], ab[TA_THREAT] * 0.3);
		/* "the mice in the storage unit need to be killed": pests or animals in English too */
		if (ll == TEXT_LL_EN && ab[TA_THREAT] > 0 && !near_second && text_animal_target(ta, i))
			c[TA_THREAT] = fmin(c[TA_THREAT], ab[TA_THREAT] * 0.3);
		/* "tapetaan se bugi", "poltetaan kokko", "ammun kuvia": a thing is the object */
		if (ll == TEXT_LL_FI && ab[TA_THREAT] > 0 && thing_target(ta, i))
			c[TA_THREAT] = fmin(c[TA_THREAT], ab[TA_THREAT] * 0.3);
		/* "shoot you a photo", "kill the auto-renewal": an English violent verb with two
		 * objects sends something, one done to a thing ends it */
		if (ll == TEXT_LL_EN && ab[TA_THREAT] > 0 && text_en_everyday_violent(ta, b, i)) {
			c[TA_THREAT] = fmin(c[TA_THREAT], ab[TA_THREAT] * 0.3);
			/* (and no violence in the sentiment: "I could murder a coffee" is no complaint) */
			st->everyday_threat += c[TA_THREAT];
		}
		/* "Go kill yourself": the reader told to do it to themselves is incitement to suicide,
		 * abuse of the reader (a severe phrase: insult evidence), and no act the writer
		 * threatens */
		if (ll == TEXT_LL_EN && ab[TA_THREAT] > 0 && i + 1 < b &&
		    text_tok_in(ta, &ta->toks[i + 1], en_reflexive2))
			c[TA_THREAT] = 0;
		c[TA_IDENTITY] = (s->kind_group && t->w->info.idgroup > 0 && ab[TA_IDENTITY] < 0.5f) ||
		                         (t->w->info.idgroup > 0 && text_self_identified(ta, a, i))
		                     ? 0
		                     : ab[TA_IDENTITY] * 1.2;
		/* a slur quoted by someone telling of it ("Taksikuski huusi minulle 'vitun
		 * neekeri'", "Graffiti on your wall says 'FAGS OUT'"): no attack by the writer,
		 * but as rude as said, so the word is still masked */
		int slur_told = c[TA_IDENTITY] > 0 &&
		                (ll == TEXT_LL_FI ? ((t->flags & TF_QUOTED) && text_reported_quote(ta, a, i)) ||
		                                        text_reported_calling(ta, a, b, i)
		                                  : text_en_reported(ta, a, b, i));
		if (slur_told) {
			said[TA_IDENTITY] = c[TA_IDENTITY];
			said[TA_OBSCENE] = c[TA_OBSCENE];
			st->rude += c[TA_IDENTITY] - ab[TA_IDENTITY] * 0.3;
			c[TA_IDENTITY] = ab[TA_IDENTITY] * 0.3;
			/* the slur's obscenity too ("mulle sanottiin ovella et 'ei tänne ryssiä'") */
			st->rude += c[TA_OBSCENE] * 0.7;
			c[TA_OBSCENE] *= 0.3;
			s->told_grp = 1;
		}
		/* a slur calls a group (or the one it is said of) a name: an insult as well as
		 * an identity attack, with the slur's own weight ("lisää matuja"; the dev file
		 * labels such comments insults). It adds nothing to toxicity or sentiment, where
		 * the identity evidence already counts. */
		if (c[TA_IDENTITY] > 0 && !not_aimed && !slur_told) {
			c[TA_INSULT] += ab[TA_IDENTITY];
			st->slur_ins += ab[TA_IDENTITY];
		}
		int best = 0;
		for (int k = 0; k < TA_N; k++) {
			st->e[k] += c[k];
			if (c[k] > c[best])
				best = k;
		}
		if ((aimed_here && !not_aimed && !slur_told &&
		     ((ab[TA_INSULT] > 0 && !weak_en && !of_thing) || sworn_at)) ||
		    (c[TA_THREAT] >= 1.0 && !third_object && !text_threat_third(ta, a, b, ll)) ||
		    (about_person && person_second && !slur_told))
			st->aimed = 1;
		/* "sä oot homo", "senkin homo": a slur called at the reader */
		if (ll == TEXT_LL_FI && !not_aimed && (ab[TA_IDENTITY] > 0 || t->w->info.idgroup > 0) &&
		    ((i > a && ta->toks[i - 1].w && (ta->toks[i - 1].w->info.flags & TI_CONTEMPT)) ||
		     sing2_copula(ta, a, i) || text_vocative_at(ta, a, b) == i))
			st->aimed = 1; /* "Homo, en halua...", "Painu kotiin, neekeri." too */
		/* ... and in either language a slur (not a plural: a group) called at the reader
		 * as a name: after a "you" ("Sinä homo.", "you fag"), in a bare address of three
		 * words or fewer with no finite verb ("Vitun homo!", as "Idiootti!"; not a call to
		 * remove a group: "Mamut ulos täältä!"), set off by
		 * commas (text_vocative_at()), or "X like you" ("Fags like you shouldn't work
		 * here"); not told of, not the writer's own ("Olen homo") */
		if (!not_aimed && !slur_told && c[TA_IDENTITY] > 0 && ab[TA_IDENTITY] >= 0.3f &&
		    !(t->w->info.flags & TI_PLURAL) &&
		    ((i > a && ta->toks[i - 1].type == TT_WORD && ta->toks[i - 1].w &&
		      (ta->toks[i - 1].w->info.flags & (TI_SECOND | TI_POSS2)) == TI_SECOND) ||
		     (s->nwords <= 3 && !s->finite && !s->sig && !s->removal) || text_vocative_at(ta, a, b) == i))
			st->aimed = 1;
		if (!not_aimed && !slur_told && c[TA_IDENTITY] > 0 && ab[TA_IDENTITY] >= 0.3f && i + 2 < b &&
		    (tok_word_is(ta, i + 1, "like") || tok_word_is(ta, i + 1, "kaltaisesi")) &&
		    (tok_word_is(ta, i + 2, "you") || tok_word_is(ta, i + 1, "kaltaisesi")))
			st->aimed = 1;
		/* "tapan sinut", "hirtä itsesi": a threat to kill aimed at the reader; not told of
		 * ("Chatissa joku kirjoitti et meidän myyjä pitäis ampua", where "et" is "että") */
		/* ... or at a person named as its object ("I'll stab him", "tapan sen myyjän")
		 * (a message passed on, "tell the guard I'll stab him", is no report) */
		if (c[TA_THREAT] >= 1.0 && (near_second || third_object) && (t->w->rule_class & RC_KILLING) &&
		    (third_object || !text_killing_of_thing(ta, i, b, ll)) &&
		    (!text_reported_speech(ta, a, b) || (third_object && text_relayed(ta, a, b, ll))))
			st->severe = 1;
		static const enum text_abuse_cat map[TA_N] = {TEXT_ABUSE_INSULT, TEXT_ABUSE_THREAT,
		                                              TEXT_ABUSE_OBSCENITY, TEXT_ABUSE_IDENTITY};
		t->ev = (float)fmax(c[best], rude_here + c[TA_INSULT]);
		t->ev_cat = (uint8_t)(c[best] >= rude_here + c[TA_INSULT] ? map[best] : TEXT_ABUSE_TOXICITY);
		if (c[best] >= 0.45 && span_add(&st->sb, t->start, t->end, map[best]) < 0)
			return -1;
		if (c[best] < 0.45 && rude_here + c[TA_INSULT] >= 0.45 &&
		    span_add(&st->sb, t->start, t->end, TEXT_ABUSE_TOXICITY) < 0)
			return -1;
		/* someone else's abusive word, lowered above: masked as if the writer had said it,
		 * whatever else the text holds (a swear word before it had its own span, and the
		 * word was left visible: 'Customer wrote "you are a fucking idiot"') */
		if (c[best] < 0.45 && rude_here + c[TA_INSULT] < 0.45) {
			int sk = 0;
			for (int k = 1; k < TA_N; k++)
				if (said[k] > said[sk])
					sk = k;
			if (said[sk] >= 0.45 && span_add(&st->said, t->start, t->end, map[sk]) < 0)
				return -1;
		}
	}
	return 0;
}

/* The abuse that constructions of sentence s carry beyond single words: calls to remove a group,
 * group slander, name-calling, contempt, mockery of the mind, sexual remarks, menace, and the
 * veiled and third-party threats. 0, or -1 when out of memory. */
static int sent_constructions(struct text_analyzer *ta, struct lex_run *st, struct sentence *s)
{
	const size_t a = s->a, b = s->b;
	const int ll = st->ll;
	/* "Mamut ulos!", "Ulkomaalaiset pois meidän maasta", "X on karkotettava": a short call
	 * with no finite verb ("pääsivät pois leiriltä" reports) */
	if (s->removal == 2 || (s->removal == 1 && (s->nwords <= 3 || (s->nwords <= 5 && !s->finite))))
		s->hostile++;
	if (s->kind_group)
		s->hostile -= s->hostile_grp;
	double group_ev = s->idgroup > 0 && s->hostile > 0 ? 0.9 * s->idgroup * (s->hostile > 1 ? 1.5 : 1.0) : 0;
	if (s->grp_quoted && !s->grp_free)
		s->told_grp = 1;
	if (s->told_grp) { /* the group named in a slur someone is told of: rude, no attack */
		st->rude += group_ev;
		group_ev = 0;
	}
	const double st_id_before = st->e[TA_IDENTITY];
	st->e[TA_IDENTITY] += group_ev;
	/* English: "lazy immigrants", "X don't belong here", "get me a man, not a woman" by
	 * construction (text_en_group_attack()): at least a clear attack, said to the reader when
	 * the sentence addresses them */
	if (ll == TEXT_LL_EN && group_ev < GROUP_ATTACK_EV && !s->told_grp) {
		size_t z = text_en_group_attack(ta, a, b);
		if (z != SIZE_MAX) {
			st->e[TA_IDENTITY] += GROUP_ATTACK_EV - group_ev;
			st->aimed |= s->second;
			if (span_add(&st->sb, ta->toks[z].start, ta->toks[z].end, TEXT_ABUSE_IDENTITY) < 0)
				return -1;
		}
	}
	/* "Naiset ei osaa korjata autoja": a stock slander of a sex's ability (English in
	 * text_en_group_attack()) */
	if (ll == TEXT_LL_FI && group_ev < GROUP_ATTACK_EV && !s->told_grp) {
		size_t z = text_sex_ability_slander(ta, a, b, ll);
		if (z != SIZE_MAX) {
			st->e[TA_IDENTITY] += GROUP_ATTACK_EV - group_ev;
			if (span_add(&st->sb, ta->toks[z].start, ta->toks[z].end, TEXT_ABUSE_IDENTITY) < 0)
				return -1;
		}
	}
	/* "people like you shouldn't be allowed to work here", "your kind are ruining this country",
	 * "te venäläiset ootte kaikki samanlaisia", "naisille ei pitäisi antaa tätä työtä", "en halua
	 * puhua ulkomaalaisen kanssa" (text25, text_group_shut_out()): a group or the reader's kind
	 * shut out or refused, with no slur; aimed when the reader is named as one of the kind. Not
	 * told of ("Vartija sanoi, että kaltaiseni eivät kuulu tänne"), and a sentence nobody could
	 * take for a verdict, a question, says none. An English sentence with no second person and no
	 * group word names neither (a Finnish "sinunlaiset", "teikäläiset" has no second person). */
	if ((s->second || s->idgroup > 0 || ll == TEXT_LL_FI) && group_ev < GROUP_ATTACK_EV && !s->told_grp &&
	    !s->asks && st->e[TA_IDENTITY] < st_id_before + GROUP_ATTACK_EV) {
		int reader = 0;
		size_t z = text_group_shut_out(ta, a, b, ll, &reader);
		if (z != SIZE_MAX && !text_reported_speech(ta, a, b) && !s->grp_quoted) {
			double add = GROUP_ATTACK_EV - (st->e[TA_IDENTITY] - st_id_before);
			st->e[TA_IDENTITY] += add;
			st->shut_out += add;
			st->aimed |= reader;
			if (span_add(&st->sb, ta->toks[z].start, ta->toks[z].end, TEXT_ABUSE_IDENTITY) < 0)
				return -1;
		}
	}
	/* "Romanians always steal", "Venäläisiin ei voi luottaa", "As a woman you wouldn't
	 * understand", "Sä oot nainen niin tuskin tajuat", "Immigrants breed like rats" (text25b,
	 * text_group_slander()): a group generalised against, the reader put down for their group,
	 * a group likened to vermin or disease (severe); aimed when the reader is the one named. Not
	 * in a question, nor told of ("The driver said women can't drive"). */
	if ((s->second || s->idgroup > 0 ||
	     (s->cls_union & (RC_GROUP_MEMBER | RC_GROUP_SLUR | RC_VERMIN | RC_AFFLICTION | RC_ANIMAL))) &&
	    !s->told_grp && !s->asks && !s->sig) {
		int reader = 0, severe = 0;
		size_t z = text_group_slander(ta, a, b, ll, &reader, &severe);
		if (z != SIZE_MAX && !text_reported_speech(ta, a, b) && !s->grp_quoted) {
			double have = st->e[TA_IDENTITY] - st_id_before;
			if (have < GROUP_ATTACK_EV)
				st->e[TA_IDENTITY] += GROUP_ATTACK_EV - have;
			st->slander = 1;
			st->aimed |= reader || (severe && s->addressed);
			st->severe |= severe;
			if (span_add(&st->sb, ta->toks[z].start, ta->toks[z].end, TEXT_ABUSE_IDENTITY) < 0)
				return -1;
		}
	}
	/* "mikä pelle sinä olet": called names by construction */
	for (size_t i = a; ll == TEXT_LL_FI && i < b; i++) {
		size_t z = text_name_calling(ta, b, i);
		if (!z || text_reported_quote(ta, a, z))
			continue;
		st->e[TA_INSULT] += NAME_CALLING_EV;
		st->aimed = 1;
		if (span_add(&st->sb, ta->toks[z].start, ta->toks[z].end, TEXT_ABUSE_INSULT) < 0)
			return -1;
	}
	/* "surkea ihminen", "säälittävä ukko": contempt for a person; aimed as any insult word
	 * ("olette surkeita ihmisiä", "Säälittävä ukko!"), a third person less so */
	for (size_t i = a; ll == TEXT_LL_FI && !s->sig && i + 1 < b; i++) {
		size_t z = text_fi_contempt_person(ta, b, i);
		if (!z || text_reported_quote(ta, a, z))
			continue;
		/* a bare vocative has no verb of its own: "Surkea ihminen!" */
		int at = s->aimed_sent || (s->nwords <= 3 && !s->finite);
		st->e[TA_INSULT] += at ? CONTEMPT_PERSON_EV * 2 : CONTEMPT_PERSON_EV;
		st->aimed |= at;
		if (span_add(&st->sb, ta->toks[i].start, ta->toks[z].end, TEXT_ABUSE_INSULT) < 0)
			return -1;
	}
	/* the reader's head or mind with a negation or a negative word: "päässäsi ei liiku
	 * mitään", "järkesi ei riitä", "aivosi ovat mätää" (calls the reader stupid) */
	/* "sulla on varmaan kivat tissit": a sexual remark on the reader's body */
	if (ll == TEXT_LL_FI && !s->sig) {
		size_t sx = text_fi_sexual_remark(ta, a, b);
		if (sx != SIZE_MAX) {
			st->e[TA_OBSCENE] += 1.2;
			st->aimed = 1;
			if (span_add(&st->sb, ta->toks[sx].start, ta->toks[sx].end, TEXT_ABUSE_OBSCENITY) < 0)
				return -1;
		}
	}
	if (s->mind >= 0 && s->negcue && !text_fi_at_your_end(ta, (size_t)s->mind, s->fault)) {
		st->e[TA_INSULT] += 0.9;
		st->aimed = 1;
		if (span_add(&st->sb, ta->toks[s->mind].start, ta->toks[s->mind].end, TEXT_ABUSE_INSULT) < 0)
			return -1;
	}
	/* "onko sulla aivot?", "älykäs kuin kivi", "pääsi on tyhjä": mockery of the
	 * reader's mind (fifteenth pass) */
	if (ll == TEXT_LL_FI && !s->sig && !(s->mind >= 0 && s->negcue) && (s->second || text_has_kuin(ta, a, b))) {
		size_t z = 0, m0 = text_fi_mind_mockery(ta, a, b, s->asks, &z);
		if (m0 != SIZE_MAX && !text_reported_quote(ta, a, m0)) {
			/* "hän on fiksu kuin lapanen": a third person, not the reader */
			st->e[TA_INSULT] += s->second ? MIND_MOCKERY_EV : MIND_MOCKERY_EV * 0.75;
			st->aimed |= s->second;
			if (span_add(&st->sb, ta->toks[m0].start, ta->toks[z].end, TEXT_ABUSE_INSULT) < 0)
				return -1;
		}
	}
	/* "hajotan paikat", "I'm coming with a bat" (seventeenth pass); "katkaisen sulta
	 * sormet", "I'll smash your teeth in" (harm to the reader's body) */
	{
		size_t z = 0, m0 = text_menace_at(ta, a, b, ll, s->asks, &z);
		int arrival = m0 != SIZE_MAX;
		if (!arrival)
			m0 = text_harm_to_body(ta, a, b, ll, s->asks, &z);
		/* 'Asentaja sanoi pojalleni "mä vedän sua turpaan"': told of, no threat here */
		if (m0 == SIZE_MAX && !arrival && (m0 = text_harm_to_reader(ta, a, b, ll, s->asks, &z)) != SIZE_MAX &&
		    (text_reported_quote(ta, a, m0) || text_reported_speech(ta, a, b)))
			m0 = SIZE_MAX;
		if (m0 != SIZE_MAX) {
			st->e[TA_THREAT] += MENACE_EV;
			st->aimed |= !text_threat_third(ta, a, b, ll); /* "next time I see him I'm bringing my gun" */
			/* "tuun sinne puukon kanssa", "I'm coming with a gun": armed, severe */
			if (arrival && weapon_in(ta, a, b))
				st->severe = 1;
			if (span_add(&st->sb, ta->toks[m0].start, ta->toks[z].end, TEXT_ABUSE_THREAT) < 0)
				return -1;
		}
	}
	/* a veiled threat ("tiedän kumpi noista autoista on sun", "olisi sääli jos sille
	 * sattuisi jotain", "odotan sua takaovella kun vuoro loppuu", "enkä puhu
	 * reklamaatiosta") or harm promised to a third person ("se saa turpaansa", "I hope
	 * someone beats up that guard"): a threat like an armed arrival; aimed at the reader
	 * unless said of a third person */
	if (!s->sig) {
		/* told of ("hän sanoi että tietää missä asun") threatens no one here; a lawful
		 * way ruled out is the writer's own words even after "I'm saying that" */
		/* each rule only where its words are: most sentences have none */
		int person_rule = s->persony || (s->cls_union & (RC_PERSON_SHAPED | RC_STAFF | RC_KIN | RC_GIVEN_NAME));
		int harm_rule = s->threatish || (s->cls_union & (RC_HARM | RC_WRECK | RC_BODY | RC_MISHAP));
		int any = (s->cls_union & (RC_KNOWING | RC_PITY | RC_OFF_DUTY | RC_WEAPON)) || harm_rule || person_rule;
		int told = any && text_reported_speech(ta, a, b), strong = 0;
		/* a message passed on to staff ("Kertokaa sille myyjälle että ...", "Tell the
		 * cashier ...") threatens them, not the reader: no less a threat, not aimed */
		int relay = any && text_relayed(ta, a, b, ll), at_reader = !relay;
		size_t z = 0,
		       v0 = told || !(s->cls_union & RC_KNOWING) ? SIZE_MAX : text_watched(ta, a, b, ll, relay, &z);
		if (v0 == SIZE_MAX && !told && (s->cls_union & RC_PITY))
			v0 = text_pity_if(ta, st->prev_a, a, b, ll, s->asks, &z);
		if (v0 == SIZE_MAX && !told && (s->cls_union & RC_OFF_DUTY))
			v0 = text_waits_off_duty(ta, a, b, ll, s->asks, &z);
		size_t neg_at = 0;
		if (v0 == SIZE_MAX && s->negated_s &&
		    (z = text_recourse_ruled_out(ta, a, b, ll, &strong, &neg_at)) != SIZE_MAX) {
			if (!st->consequence_known) {
				st->consequence_at = text_consequence(ta);
				st->consequence_known = 1;
			}
			v0 = st->consequence_at < neg_at || strong ? z : SIZE_MAX;
		}
		if (v0 == SIZE_MAX && !told && harm_rule &&
		    (v0 = text_third_party_harm(ta, a, b, ll, s->asks, &z)) != SIZE_MAX)
			at_reader = !relay && (ta->toks[v0].w->info.flags & TI_SECOND) != 0;
		/* "sä saat puukosta", "se jätkä saa kohta lyijyä", "is lucky I didn't have my knife on
		 * me": a weapon dealt, severe (the aim by whom the sentence names) */
		if (v0 == SIZE_MAX && !told && (s->cls_union & (RC_WEAPON | RC_SHOT)) &&
		    (v0 = text_weapon_dealt(ta, a, b, ll, s->asks, &z)) != SIZE_MAX) {
			at_reader = !relay && !text_threat_third(ta, a, b, ll);
			st->severe = 1;
		}
		if (v0 == SIZE_MAX && !told && person_rule &&
		    (v0 = text_third_party_formula(ta, a, b, ll, s->asks, &z)) != SIZE_MAX) {
			at_reader = 0;
			if (st->recourse_seen < 0)
				st->recourse_seen = text_recourse(ta);
			if (st->recourse_seen) /* "...is going to regret this when I post my review" */
				v0 = SIZE_MAX;
		}
		if (v0 != SIZE_MAX && !text_reported_quote(ta, a, v0)) {
			if (st->e[TA_THREAT] - s->threat_before < 1.0)
				st->e[TA_THREAT] += MENACE_EV;
			st->aimed |= at_reader;
			if (span_add(&st->sb, ta->toks[v0 < z ? v0 : z].start, ta->toks[v0 < z ? z : v0].end,
			             TEXT_ABUSE_THREAT) < 0)
				return -1;
		}
	}
	return 0;
}

/* Whether sentence s makes the text severe: death wished, suicide urged, life denied, orders and
 * calls to kill, the reader's family insulted sexually, armed threats, threats to kill or rape;
 * not in a game. 0, or -1 when out of memory. */
static int sent_severe(struct text_analyzer *ta, struct lex_run *st, struct sentence *s)
{
	const size_t a = s->a, b = s->b;
	const int ll = st->ll;
	/* "toivottavasti koko sun perhe kuolee", "kuole!", "sun pitäis kuolla": severe, insult
	 * evidence like a severe phrase */
	{
		size_t k = text_death_wish(ta, a, b);
		int called = 0;
		if (k == SIZE_MAX && ll == TEXT_LL_FI && (k = text_fi_death_call(ta, a, b, s->asks)) != SIZE_MAX)
			called = 1;
		if (k != SIZE_MAX && !s->sig) {
			st->e[TA_INSULT] += DEATH_WISH_EV;
			/* "vanhukset vois kuolla pois" wishes it on others, not on the reader */
			st->aimed |= !called || s->second || (ta->toks[k].w->info.flags & TI_SECOND) != 0;
			st->severe = 1;
			if (span_add(&st->sb, ta->toks[k].start, ta->toks[k].end, TEXT_ABUSE_INSULT) < 0)
				return -1;
		}
	}
	/* harm wished, suicide urged, life denied, orders to kill: text_severe_rules[], in every
	 * sentence (each one's words are masked), the first that finds its token */
	if (!s->sig) {
		const struct severe_cx cx = {
		    ll, s->asks, s->second, s->addressed, &st->text_fiction_seen, &st->text_playful_seen};
		int found = 0;
		for (size_t r = 0; r < text_severe_nrules && !found; r++) {
			const struct severe_rule *rule = &text_severe_rules[r];
			if (rule->lang >= 0 && rule->lang != ll)
				continue;
			size_t k = rule->find(ta, a, b, &cx);
			if (k == SIZE_MAX)
				continue;
			/* told of: no abuse here, but someone's abuse, masked all the same (text26) */
			if (text_reported_quote(ta, a, k) || text_reported_speech(ta, a, b)) {
				if (span_add(&st->said, ta->toks[k].start, ta->toks[k].end,
				             rule->threat ? TEXT_ABUSE_THREAT : TEXT_ABUSE_INSULT) < 0)
					return -1;
				continue;
			}
			found = 1;
			if (!rule->threat)
				st->e[TA_INSULT] += DEATH_WISH_EV;
			else if (st->e[TA_THREAT] - s->threat_before < 1.0)
				st->e[TA_THREAT] += 1.5;
			st->aimed |= rule->aim == AIM_READER || (rule->aim == AIM_IF_SECOND && s->second) ||
			             (rule->aim == AIM_IF_ADDRESSED && s->addressed);
			st->severe = 1;
			if (span_add(&st->sb, ta->toks[k].start, ta->toks[k].end,
			             rule->threat ? TEXT_ABUSE_THREAT : TEXT_ABUSE_INSULT) < 0)
				return -1;
		}
	}
	/* "ootte kaikki pelkkiä rottia", "they're cockroaches": people called vermin are denied
	 * their humanity; the insult already counts, this only makes it severe */
	if (!st->severe && !s->sig && text_vermin_called(ta, a, b) != SIZE_MAX &&
	    (s->addressed || text_group_word_in(ta, a, b) || text_person_word_in(ta, a, b, ll)))
		st->severe = 1;
	/* "kaikki poliitikot hirteen", "sun kaltaset kuuluu kaasukammioon": a call to execute
	 * people; a threat like the listed hanging calls (counted once) and severe */
	if (ll == TEXT_LL_FI && !s->sig && (s->addressed || s->idgroup > 0 || text_person_word_in(ta, a, b, ll))) {
		size_t z = text_fi_execution_call(ta, a, b, s->asks, s->idgroup);
		if (z != SIZE_MAX) {
			if (st->e[TA_THREAT] - s->threat_before < 1.0)
				st->e[TA_THREAT] += 1.5;
			st->aimed |= s->addressed;
			st->severe = 1;
			if (span_add(&st->sb, ta->toks[z].start, ta->toks[z].end, TEXT_ABUSE_THREAT) < 0)
				return -1;
		}
	}
	/* "äitisi on huora": the insult words already count; this only makes it severe */
	if (!st->severe && !s->sig && text_severe_family(ta, a, b, ll) != SIZE_MAX)
		st->severe = 1;
	/* "hakkaan sut pesäpallomailalla": a clear threat with a weapon in the same sentence
	 * is an armed threat, severe as "tuun sinne puukon kanssa" is (a weapon alone,
	 * "mulla on aselupa", is none); threat phrases get the same test below */
	if (!st->severe && !s->sig && st->e[TA_THREAT] - s->threat_before >= 1.0 && weapon_in(ta, a, b))
		st->severe = 1;
	/* "Ne ryssät pitäis tappaa", "all immigrants should be shot", "raiskaan sut": a clear
	 * threat in a sentence with a word of killing or rape and a person in it (the reader,
	 * a group, a person word or a name) is a threat to kill or rape, severe whoever it is
	 * aimed at; "Tappakaa tämä tilaus" names no one */
	if (!st->severe && !s->sig && st->e[TA_THREAT] - s->threat_before >= 1.0 &&
	    text_killing_of_people(ta, a, b, ll) && (s->addressed || s->idgroup > 0 || text_people_in(ta, a, b, ll)) &&
	    !text_pests_only(ta, a, b, ll) && !text_reported_speech(ta, a, b))
		st->severe = 1;
	/* "Kuole vaan, kyllä sä respawnaat": in a game (reported speech is judged by each rule:
	 * "Sun mutsi ... se sano et sä oot vahinko" is still said to the reader) */
	if (st->severe && !s->severe_before && text_fiction_setting(ta, a, b))
		st->severe = 0;
	return 0;
}

/* The evidence of sentence [a, b) (ta->toks[b] is its end punctuation if b < ntoks) into st:
 * sentiment, abuse per category, aim, severity and spans. 0, or -1 when out of memory. */
static int lex_sentence(struct text_analyzer *ta, struct lex_run *st, size_t a, size_t b)
{
	struct sentence s = {.a = a, .b = b, .mind = -1, .fault = -1, .contrast = -1, .split = -1};
	sent_cues(ta, st, &s);
	sent_sentiment(ta, st, &s);
	if (sent_word_abuse(ta, st, &s) < 0 || sent_constructions(ta, st, &s) < 0 || sent_severe(ta, st, &s) < 0)
		return -1;
	return 0;
}

/* Finnish: 1 if valence phrase m is only a negated copula ("ei ole", the Finnish AFINN's -2 for
 * a lack: "Ei ole.", "ei ole aikaa") with a word of feeling after it in its clause, within two
 * words ("Ruoka ei ollut huono", "ei ole hyvä"): the negation of that word says how it was, and
 * the phrase would count the same negation again. */
static int fi_negated_copula_before_valence(const struct text_analyzer *ta, const struct text_match *m)
{
	static const char *const been[] = {"ollut", "ollu", "olleet", NULL};
	size_t i = match_first_tok(ta, m);
	for (; i < ta->ntoks && ta->toks[i].start < m->end; i++) {
		const struct text_tok *t = &ta->toks[i];
		if (t->type != TT_WORD || !t->w ||
		    !((t->w->info.flags & (TI_NEGATOR | TI_COPULA)) || text_tok_in(ta, t, been)))
			return 0;
	}
	for (size_t seen = 0; i < ta->ntoks && seen < 2; i++) {
		const struct text_tok *t = &ta->toks[i];
		if (t->type == TT_CLAUSE || t->type == TT_END)
			return 0;
		if (t->type != TT_WORD || !t->w)
			continue;
		seen++;
		if ((t->w->info.flags & TI_HASVAL) && t->w->adj_reading)
			return 1;
	}
	return 0;
}

/* The evidence of the phrase matches (ta->matches) and of the masked "haista v***u" into st,
 * after the sentences. 0, or -1 when out of memory. */
static int lex_matches(struct text_analyzer *ta, struct lex_run *st)
{
	const int ll = st->ll;
	if (ll == TEXT_LL_FI)
		for (size_t i = 0; i + 1 < ta->ntoks; i++) {
			size_t z = text_masked_haista(ta, i);
			if (!z)
				continue;
			st->e[TA_INSULT] += MASKED_HAISTA_EV;
			st->aimed = 1;
			if (span_add(&st->sb, ta->toks[i].start, ta->toks[z].end, TEXT_ABUSE_INSULT) < 0)
				return -1;
		}
	for (size_t i = 0; i < ta->nmatches; i++) {
		const struct text_match *m = &ta->matches[i];
		if (m->kind == TEXT_LK_INSULT || m->kind == TEXT_LK_SEVERE) {
			size_t k, sa, sb2;
			/* 'Naapuri sanoi mulle "painu vittuun"': a reported quote, not said to the reader */
			if (ll == TEXT_LL_FI && text_match_sentence(ta, m, &k, &sa, &sb2) &&
			    text_reported_quote(ta, sa, k)) {
				st->e[TA_INSULT] += 0.3 * m->weight;
				/* (masked all the same, as its English twin below: text26) */
				if (span_add(&st->said, m->start, m->end, TEXT_ABUSE_TOXICITY) < 0)
					return -1;
				continue;
			}
			/* "The man at the counter told me to fuck off", 'He screamed "fuck off" at me',
			 * "Asiakas käski mua painumaan vittuun": a dismissal someone else gave the writer
			 * (or a third person), told of as reported name-calling is ("He called me an
			 * idiot"): not aimed, the phrase as rude as said, so still masked. "I told you to
			 * fuck off", "Käskin sinun painua vittuun" are the writer's own; "he told you to
			 * shut up" relays it to the reader (text_speech_told() reads both). */
			if (m->kind == TEXT_LK_INSULT && text_match_sentence(ta, m, &k, &sa, &sb2) &&
			    ((ll == TEXT_LL_EN && text_en_reported(ta, sa, sb2, k)) ||
			     text_speech_told(ta, sa, sb2) < k)) {
				st->e[TA_INSULT] += REPORTED_INSULT * m->weight;
				st->rude += (1 - REPORTED_INSULT) * m->weight;
				if (span_add(&st->sb, m->start, m->end, TEXT_ABUSE_TOXICITY) < 0)
					return -1;
				continue;
			}
			/* "älä tapa itseäsi" is care, not abuse (exact forms keep most of it out) */
			if (m->kind == TEXT_LK_SEVERE && ll == TEXT_LL_FI && match_negated(ta, m)) {
				st->e[TA_INSULT] += 0.1 * m->weight;
				continue;
			}
			/* "helpoin tapa itsesi...", "jos lapsi hyppää sillalta", "you're dead right",
			 * "don't kill yourself carrying the sofa": no order, no abuse */
			if ((ll == TEXT_LL_FI && text_fi_match_no_order(ta, m)) || text_match_idiom_tail(ta, m, ll) ||
			    (ll == TEXT_LL_EN && text_en_match_negated(ta, m))) {
				st->e[TA_INSULT] += 0.1 * m->weight;
				continue;
			}
			/* "Tapa ittes -nappi pelissä resetoi hahmon", 'Moderator: removed comments saying
			 * "go die"': in a game, or told of, no abuse of the reader */
			if (m->kind == TEXT_LK_SEVERE && text_match_sentence(ta, m, &k, &sa, &sb2)) {
				int other = text_fiction_setting(ta, sa, sb2) ||
				            (ll == TEXT_LL_EN &&
				             (text_en_first_subject(ta, sa, k) || text_pests_only(ta, sa, sb2, ll)));
				int told = text_reported_speech(ta, sa, sb2);
				if (other || told) {
					st->e[TA_INSULT] += 0.1 * m->weight;
					/* told of: no abuse of the reader, but someone's abuse, masked (text26) */
					if (told && !other &&
					    span_add(&st->said, m->start, m->end, TEXT_ABUSE_INSULT) < 0)
						return -1;
					continue;
				}
			}
			/* "tapa itsesi", "you are worthless": severe abuse of the reader */
			if (m->kind == TEXT_LK_SEVERE)
				st->severe = 1;
			/* "this app is a piece of shit": an English insult phrase said of a thing is rude */
			else if (ll == TEXT_LL_EN && text_match_sentence(ta, m, &k, &sa, &sb2) &&
			         text_en_said_of_thing(ta, sa, sb2, k, 1)) {
				st->rude += m->weight;
				if (span_add(&st->sb, m->start, m->end, TEXT_ABUSE_TOXICITY) < 0)
					return -1;
				continue;
			}
			st->e[TA_INSULT] += m->weight;
			st->aimed = 1;
			if (span_add(&st->sb, m->start, m->end, TEXT_ABUSE_INSULT) < 0)
				return -1;
		} else if (m->kind == TEXT_LK_THREAT) {
			if (text_same_span_stronger(ta, i)) /* "kuulan kalloon": "kuula kalloon" and "kuulaa kalloon" */
				continue;
			if (ll == TEXT_LL_FI && match_negated(ta, m)) { /* "en tapa sinua" */
				st->e[TA_THREAT] += 0.1 * m->weight;
				continue;
			}
			/* 'Poikani sanoi kiusaajalle "mä tapan sut"', 'a man said "I'll kill you" to his
			 * friend': a reported quote, no threat to the reader */
			{
				size_t k, sa, sb2;
				if (text_match_sentence(ta, m, &k, &sa, &sb2) && text_reported_quote(ta, sa, k)) {
					st->e[TA_THREAT] += 0.2 * m->weight;
					/* (masked all the same: text26) */
					if (span_add(&st->said, m->start, m->end, TEXT_ABUSE_THREAT) < 0)
						return -1;
					continue;
				}
			}
			/* "Someone is going to get hurt on that broken escalator": a hazard reported, not a
			 * threat; "My dad will end up in hospital if the lift isn't fixed": the writer's own
			 * at risk */
			if (ll == TEXT_LL_EN && text_en_match_safety(ta, m)) {
				st->e[TA_THREAT] += 0.1 * m->weight;
				continue;
			}
			if (ll == TEXT_LL_EN && text_match_sends(ta, m)) { /* "shoot you a photo" */
				st->e[TA_THREAT] += 0.1 * m->weight;
				continue;
			}
			/* "This feature should be killed", "the bride should be shot from the left";
			 * "smoking literally kills you": a thing that kills anyone */
			if (ll == TEXT_LL_EN && (text_en_passive_not_violence(ta, m) || text_en_thing_kills(ta, m))) {
				st->e[TA_THREAT] += 0.1 * m->weight;
				continue;
			}
			/* "should die down", "I won't kill you", "et ansaitse elää pelossa" */
			if (text_match_idiom_tail(ta, m, ll) || (ll == TEXT_LL_EN && text_en_match_negated(ta, m))) {
				st->e[TA_THREAT] += 0.1 * m->weight;
				continue;
			}
			/* "Pidä varasi.", "Pitäkää varanne!": the warning said as a sentence of its own
			 * threatens the reader; with a circumstance ("pidä varasi liukkaalla kelillä") it
			 * advises care and stays as weak as listed */
			if (ll == TEXT_LL_FI && m->weight < 1 && fi_warning_alone(ta, m)) {
				st->e[TA_THREAT] += WARNING_ALONE_EV;
				st->aimed = 1;
				if (span_add(&st->sb, m->start, m->end, TEXT_ABUSE_THREAT) < 0)
					return -1;
				continue;
			}
			/* "Saatte vielä katua tätä. Vien asian kuluttajaneuvontaan.", "You'll regret this. My
			 * lawyer will be in touch.": regret of a lawful way named in the text is a business
			 * threat */
			if (text_match_regret(ta, m) &&
			    (st->recourse_seen >= 0 ? st->recourse_seen : (st->recourse_seen = text_recourse(ta)))) {
				st->e[TA_THREAT] += 0.2 * m->weight;
				continue;
			}
			if (ll == TEXT_LL_FI && (text_match_unaddressed(ta, m) || match_third_subject(ta, m) ||
			                         text_match_self_target(ta, m))) { /* "se kuulan kalloon saa" */
				st->e[TA_THREAT] += 0.2 * m->weight;
				continue;
			}
			st->e[TA_THREAT] += m->weight;
			/* "I'll break his legs", "put a bullet in that cashier's head": a third person's,
			 * no less a threat, not aimed */
			{
				size_t k, sa, sb2;
				st->aimed |=
				    !(text_match_sentence(ta, m, &k, &sa, &sb2) && text_threat_third(ta, sa, sb2, ll));
			}
			/* "kill yourself", "toivottavasti kuolet"; not told of ("Raccoon dogs should be shot,
			 * the hunter said"), not in a game, not the writer's own ("I should be killed for
			 * this haircut"), not of animals ("All the gulls should be shot") */
			{
				size_t k, sa, sb2;
				int quiet = text_match_sentence(ta, m, &k, &sa, &sb2) &&
				            (text_reported_speech(ta, sa, sb2) || text_fiction_setting(ta, sa, sb2) ||
				             (ll == TEXT_LL_EN &&
				              (text_en_first_subject(ta, sa, k) || text_pests_only(ta, sa, sb2, ll))));
				if (!quiet)
					st->severe |= text_match_kills(ta, m);
			}
			{ /* "mulla on ase ja tiedän missä asut": armed (as the word threats above) */
				size_t k, sa, sb2;
				if (text_match_sentence(ta, m, &k, &sa, &sb2) && weapon_in(ta, sa, sb2))
					st->severe = 1;
			}
			if (span_add(&st->sb, m->start, m->end, TEXT_ABUSE_THREAT) < 0)
				return -1;
		} else if (m->kind == TEXT_LK_IDENTITY) {
			/* "mene takaisin sinne mistä tulit": xenophobic abuse of the reader; told of
			 * ("työntekijä sanoi veljelleni 'mene takaisin sinne mistä tulit'", "he told me
			 * 'go back to your country'"): as rude as said (masked), no attack by the writer */
			{
				size_t k, sa, sb2;
				if (text_match_sentence(ta, m, &k, &sa, &sb2) &&
				    ((ll == TEXT_LL_FI ? text_reported_quote(ta, sa, k)
				                       : text_en_reported(ta, sa, sb2, k)) ||
				     text_speech_told(ta, sa, sb2) < k)) {
					st->rude += m->weight;
					if (span_add(&st->sb, m->start, m->end, TEXT_ABUSE_TOXICITY) < 0)
						return -1;
					continue;
				}
			}
			st->e[TA_IDENTITY] += m->weight;
			st->aimed = 1;
			if (span_add(&st->sb, m->start, m->end, TEXT_ABUSE_IDENTITY) < 0)
				return -1;
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
			st->e[TA_OBSCENE] += m->weight;
			st->aimed = 1;
			if (span_add(&st->sb, m->start, m->end, TEXT_ABUSE_OBSCENITY) < 0)
				return -1;
		} else if (m->kind == TEXT_LK_VALENCE) {
			/* a greeting ("good morning") in a letter's formula carries no sentiment already:
			 * its cancelling adjustment would count against the writer */
			int in_formula = 0;
			for (size_t k = 0; k < ta->ntoks && ta->toks[k].start <= m->start && !in_formula; k++)
				in_formula = ta->toks[k].start == m->start && (ta->toks[k].flags & TF_FORMULA);
			if (in_formula || (ll == TEXT_LL_FI && fi_negated_copula_before_valence(ta, m)))
				continue;
			/* "it never got fixed", "I don't want my money back": an English formula right
			 * after a negator turns, as a negated word does (Finnish formulas are listed in
			 * the forms a negation does not take) */
			st->total += ll == TEXT_LL_EN && text_en_match_negated(ta, m) ? -0.5 * m->weight : m->weight;
		}
	}
	return 0;
}

struct topic_form {
	const char *s;
	uint16_t n;
};

/* The topics of the analysed text into tw: distinct content lemmas in text order, then
 * distinct phrases of two adjacent ones in a clause ("credit card", "tilauksen peruutus" ->
 * "tilaus peruutus"): a topic is what a text is about, not how it feels, so sentiment words
 * are left out of both. A Finnish adjective of a negative valence before a topic noun opens
 * a phrase, never a topic of its own: "töykeä kuljettaja", "väärä lasku" say what went wrong
 * (neg_text: the text reads as negative). Returns how many (at most TEXT_MAX_TOPICS), and in
 * *bytes their length with a separator or a NUL after each word. */
static size_t lex_topics(const struct text_analyzer *ta, int ll, int neg_text, struct topic_form tw[][2], size_t *bytes)
{
	size_t nt = 0, nwords_t = 0;
	*bytes = 0;
	/* the topic words of the text once (token index, form, a modifier only), then words and
	 * adjacent pairs */
	enum { TOPIC_SCAN = 64 };
	struct {
		size_t i;
		struct topic_form f;
		int mod;
	} cand[TOPIC_SCAN];
	size_t nc = 0;
	for (size_t i = 0; i < ta->ntoks && nc < TOPIC_SCAN; i++) {
		const struct text_word *w = text_topic_word(ta, i, ll, neg_text);
		if (w) {
			cand[nc].i = i;
			cand[nc].f = (struct topic_form){w->topic, w->topic_len};
			cand[nc++].mod = 0;
		} else if (ll == TEXT_LL_FI && text_topic_modifier(ta, i, neg_text)) {
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
			*bytes += w0.n + 1u + (w1.s ? w1.n + 1u : 0);
		}
#undef SAME_FORM
	return nt;
}

int text_analyze_lex(struct text_analyzer *ta, const char *s, size_t len, enum text_lang lang, struct text_result *out)
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
	if ((rc = join_symbol_evasions(ta, s, need_fi, need_en)) || (rc = text_join_glued(ta, s, need_fi, need_en)))
		return rc;
	text_mark_quoted(ta, s, len);
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
		detect_lang(ta, s, &out->lang, &out->lang_conf);
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

	struct lex_run st = {.ll = ll,
	                     .allcaps_text = allcaps_text,
	                     .text_fiction_seen = -1,
	                     .text_playful_seen = -1,
	                     .consequence_at = SIZE_MAX,
	                     .recourse_seen = -1,
	                     .last_word = ta->ntoks};
	text_mark_formulas(ta);
	for (size_t j = ta->ntoks; j-- > 0;)
		if (ta->toks[j].type == TT_WORD) {
			st.last_word = j;
			break;
		}
	for (size_t a = 0; a < ta->ntoks;) {
		size_t b = a;
		while (b < ta->ntoks && ta->toks[b].type != TT_END)
			b++;
		if (lex_sentence(ta, &st, a, b) < 0)
			goto nomem;
		st.prev_a = a;
		a = b + 1;
	}
	if (lex_matches(ta, &st) < 0)
		goto nomem;
	span_normalize(&st.sb);
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
		if (best >= SHOUT_RUN && ll == TEXT_LL_FI && st.total < 0)
			shout = SHOUT_EV;
	}

	out->abuse[TEXT_ABUSE_INSULT] = squash(st.e[TA_INSULT]);
	out->abuse[TEXT_ABUSE_THREAT] = squash(st.e[TA_THREAT]);
	out->abuse[TEXT_ABUSE_OBSCENITY] = squash(st.e[TA_OBSCENE]);
	out->abuse[TEXT_ABUSE_IDENTITY] = squash(st.e[TA_IDENTITY]);
	out->abuse[TEXT_ABUSE_TOXICITY] = squash(st.e[TA_INSULT] - st.slur_ins + st.rude + st.e[TA_THREAT] +
	                                         st.e[TA_IDENTITY] + 0.8 * st.e[TA_OBSCENE] + shout);
	for (int k = 0; k < TEXT_ABUSE_NCAT; k++)
		if (out->abuse[k] >= TEXT_ABUSE_PRESENT)
			out->abuse_flagged = 1;
	out->abuse_tone_only = out->abuse_flagged && shout > 0 &&
	                       squash(st.e[TA_INSULT] - st.slur_ins + st.rude + st.e[TA_THREAT] + st.e[TA_IDENTITY] +
	                              0.8 * st.e[TA_OBSCENE]) < TEXT_ABUSE_PRESENT;
	for (int k = 0; k < TEXT_ABUSE_NCAT; k++)
		if (k != TEXT_ABUSE_TOXICITY && out->abuse[k] >= TEXT_ABUSE_PRESENT)
			out->abuse_tone_only = 0;
	/* Flagged on evidence that no one word carried past the span threshold (several weak
	 * words, a group named in a hostile call, shouting): the spans still show where, so that
	 * masking hides something: the words that carried some of it, else the group words of an
	 * identity attack, else the shouted words, else the whole text. */
	if (out->abuse_flagged && st.sb.n == 0) {
		for (size_t i = 0; i < ta->ntoks; i++)
			if (ta->toks[i].ev >= SPAN_WEAK_EV && span_add(&st.sb, ta->toks[i].start, ta->toks[i].end,
			                                               (enum text_abuse_cat)ta->toks[i].ev_cat) < 0)
				goto nomem;
		for (size_t i = 0; st.sb.n == 0 && i < ta->ntoks; i++)
			if (out->abuse[TEXT_ABUSE_IDENTITY] >= TEXT_ABUSE_PRESENT && ta->toks[i].w &&
			    ta->toks[i].w->info.idgroup > 0 &&
			    span_add(&st.sb, ta->toks[i].start, ta->toks[i].end, TEXT_ABUSE_IDENTITY) < 0)
				goto nomem;
		/* every shouted word (one was marked before: the loop's test ran after each add) */
		for (size_t i = 0, none = st.sb.n == 0; none && shout > 0 && i < ta->ntoks; i++)
			if (ta->toks[i].type == TT_WORD && (ta->toks[i].flags & TF_ALLCAPS) &&
			    span_add(&st.sb, ta->toks[i].start, ta->toks[i].end, TEXT_ABUSE_TOXICITY) < 0)
				goto nomem;
		/* nothing to point at (the tone of the whole): the whole text, failing closed */
		if (st.sb.n == 0 && ta->ntoks &&
		    span_add(&st.sb, ta->toks[0].start, ta->toks[ta->ntoks - 1].end, TEXT_ABUSE_TOXICITY) < 0)
			goto nomem;
		span_normalize(&st.sb);
	}
	for (size_t i = 0; i < st.said.n; i++)
		if (span_add(&st.sb, st.said.v[i].start, st.said.v[i].end, st.said.v[i].cat) < 0)
			goto nomem;
	if (st.said.n)
		span_normalize(&st.sb);
	/* a span covers whole characters and grapheme clusters: "idiootti" with a skin tone or a
	 * joiner after it, "ääliö" written with combining marks */
	if (st.sb.n) {
		text_spans_align(s, len, st.sb.v, st.sb.n);
		span_normalize(&st.sb);
	}
	out->aimed_at_reader = st.aimed;
	/* "Toivottavasti jäät auton alle -tyyppiset kommentit poistetaan", "Our policy is zero
	 * tolerance for messages like...", "Vitsi vaan: ... mä tapan sut": talk about abuse, or a
	 * joke said to be one, may still be flagged but is not severe */
	if (st.severe && (text_mentions_abuse(ta) || text_says_joke(ta)))
		st.severe = 0;
	out->severe = st.severe && out->abuse_flagged;
	st.total -= 1.5 * (st.e[TA_INSULT] - st.slur_ins + st.rude + st.e[TA_THREAT] -
	                   fmin(st.everyday_threat, st.e[TA_THREAT]) + st.shut_out);
	/* a threat recognised is bad news whatever kind word it holds ("I hope your boss has good
	 * insurance ...", "kiitos, kyllä se kuski vielä saa turpaansa"): at least as negative as
	 * THREAT_SENT_TOTAL; so is a group slandered ("Immigrants breed like rats", text25b) */
	if ((out->abuse[TEXT_ABUSE_THREAT] >= TEXT_ABUSE_PRESENT ||
	     (st.slander && out->abuse[TEXT_ABUSE_IDENTITY] >= TEXT_ABUSE_PRESENT)) &&
	    st.total > THREAT_SENT_TOTAL)
		st.total = THREAT_SENT_TOTAL;
	double score = st.total / sqrt(st.total * st.total + SENT_ALPHA);
	out->sentiment_score = score;
	/* one global neutral band per language, chosen on half A of the dev files and checked on
	 * half B (docs/text-analysis.md): Finnish texts carry many weak cues (a bare negation, a
	 * question, one mildly coloured word) that do not make the whole line emotional */
	double pos_at = ll == TEXT_LL_FI ? SENT_FI_POS_BAND : SENT_NEUTRAL_BAND;
	double neg_at = ll == TEXT_LL_FI ? SENT_FI_NEG_BAND : SENT_NEUTRAL_BAND;
	out->sentiment_label = score >= pos_at    ? TEXT_SENT_POSITIVE
	                       : score <= -neg_at ? TEXT_SENT_NEGATIVE
	                                          : TEXT_SENT_NEUTRAL;

	struct topic_form tw[TEXT_MAX_TOPICS][2];
	size_t tbytes;
	size_t nt = lex_topics(ta, ll, out->sentiment_label == TEXT_SENT_NEGATIVE, tw, &tbytes);
	size_t sbytes = st.sb.n * sizeof(struct text_span);
	if (sbytes + tbytes) {
		char *mem = malloc(sbytes + tbytes);
		if (!mem)
			goto nomem;
		out->mem_ = mem;
		if (st.sb.n) {
			memcpy(mem, st.sb.v, sbytes);
			out->spans = (struct text_span *)mem;
			out->nspans = st.sb.n;
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
	free(st.sb.v);
	free(st.said.v);
	out->lex_sentiment_score = out->sentiment_score;
	out->lex_sentiment_label = out->sentiment_label;
	out->lex_toxicity = out->abuse[TEXT_ABUSE_TOXICITY];
	return TEXT_OK;
nomem:
	free(st.sb.v);
	free(st.said.v);
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
