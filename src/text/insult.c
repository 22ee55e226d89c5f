/*
 * Constructions of abuse that no single word carries, for the lexicon analysis (analyze.c):
 * polite formulas that are no sentiment, sarcasm, name-calling ("mikä pelle sinä olet"),
 * contempt for a person, mockery of the mind ("onko sulla aivot?"), sexual remarks, a group
 * slandered or refused, menace and harm promised to the reader or the premises, and what keeps
 * a word from being an insult of the reader (the writer judging themself, a greeted name, a
 * street name, an everyday sense). Each returns where its construction is, or 0 / SIZE_MAX.
 */
#include <string.h>

#include "text/analyze_int.h"

/*
 * Mark a letter's greeting ("Hei Sari,", "Hyvä asiakaspalvelu,", "Good morning,", "Dear team,")
 * and its closing ("Ystävällisin terveisin Matti Virtanen", "Kind regards, Sarah", "Kiitos
 * etukäteen!", "Thanks in advance", "Best, Laura") TF_FORMULA: they are politeness formulas, not
 * the writer's feelings (a polite complaint read as positive counted as no complaint) nor what
 * the text is about (names and "regards" were complaint topics). A closing is one only with
 * nothing but punctuation and at most four capitalised words (a name) after it.
 */
void text_mark_formulas(struct text_analyzer *ta)
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
		       (text_name_like(ta, nm) || text_tok_in(ta, &ta->toks[nm], addressee)))
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
					only_names = text_name_like(ta, k) && names <= 4;
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

/* 1 if byte c is a lowercase ASCII letter in mask (bit 0 = 'a'): a first-byte test before a
 * word list is looked at, for the rules asked of every word of a sentence */
#define L(c) (1u << ((c) - 'a'))
static inline int first_in(unsigned char c, unsigned mask)
{
	return c >= 'a' && c <= 'z' && ((mask >> (c - 'a')) & 1);
}

static int close_negation(const struct text_analyzer *ta, size_t a, size_t j);

/* 1 if token j of sentence [a, b) is a verb that put a problem right, said as done by the
 * service ("korjasi", "vaihdoitte", "hyvitettiin", "selvitti", "löysi vian", "vaihto onnistui",
 * "fixed", "replaced", "refunded", "sorted"): not negated, asked, wished, promised or done by the
 * writer ("voisitteko vaihtaa", "please fix", "vaihdoin operaattoria"). Closed grammar, Finnish
 * by lemma, English by stem with a past or -ing ending. */
int text_resolution_at(const struct text_analyzer *ta, size_t a, size_t b, size_t j)
{
	static const char *const fi[] = {"korjata",   "korjaantua", "korjautua", "vaihtaa",   "hyvittää", "ratkaista",
	                                 "ratketa",   "selvittää",  "järjestää", "palauttaa", "korvata",  "korjattu",
	                                 "vaihdettu", "hyvitetty",  "ratkaistu", "hoitaa",    NULL};
	static const char *const fi_noun[] = {"vaihto", "korjaus", "hyvitys", "palautus", NULL};
	static const char *const fi_went[] = {"onnistua", "sujua", NULL};
	static const char *const en[] = {"fix",    "repair",  "replac", "refund",   "sort", "solv",
	                                 "resolv", "exchang", "swap",   "reimburs", NULL};
	static const char *const ask_en[] = {"to",  "will", "would", "please", "can",  "could", "i",      "pls",
	                                     "plz", "get",  "have",  "need",   "want", "must",  "should", NULL};
	const struct text_tok *t = &ta->toks[j];
	const struct text_word *w = t->w;
	/* (the cheap tests first: this is asked of every word of a sentence with a word of blame;
	 * every lemma above starts with one of the letters) */
	if (t->type != TT_WORD || !w || !w->lemma_len ||
	    !first_in(w->stem && ta->lang != TEXT_LANG_FI ? w->stem[0] : w->lemma[0],
	              ta->lang == TEXT_LANG_FI
	                  ? (L('k') | L('h') | L('j') | L('l') | L('o') | L('p') | L('r') | L('s') | L('v'))
	                  : (L('e') | L('f') | L('r') | L('s'))))
		return 0;
	if (ta->lang == TEXT_LANG_FI) {
		if (w->info.flags & (TI_COND | TI_QUEST | TI_FIRST))
			return 0;
		/* done: a past tense or a passive participle ("korjasi", "vaihdettiin", "on
		 * korjattu"); a present or an imperative asks for it ("korjatkaa se", "joku korjaa"),
		 * an infinitive is asked or promised ("lupasitte korjata") */
		int done = ((w->info.flags & TI_PAST) && !(w->info.flags & TI_NONFIN)) || norm_ends(ta, t, "ttu") ||
		           norm_ends(ta, t, "tty") || norm_ends(ta, t, "tiin");
		/* "vaihto onnistui heti", "korjaus sujui" */
		if (!done && (w->info.flags & TI_CONTENT) && text_lemma_in(w, fi_noun)) {
			for (size_t k = j + 1; k < b && k <= j + 2; k++)
				if (ta->toks[k].type == TT_WORD && ta->toks[k].w &&
				    text_lemma_in(ta->toks[k].w, fi_went) && !close_negation(ta, a, k) &&
				    !norm_ends(ta, &ta->toks[k + 1 < b ? k + 1 : k], "maan"))
					return 1;
			return 0;
		}
		if (!done || close_negation(ta, a, j))
			return 0;
		/* "löysi vian" (found the fault) */
		if (w->lemma_len == strlen("löytää") && !memcmp(w->lemma, "löytää", w->lemma_len))
			return j + 1 < b && ta->toks[j + 1].w && (ta->toks[j + 1].w->rule_class & RC_FAULT);
		return text_lemma_in(w, fi);
	}
	/* done: "fixed", "replaced"; or thanked for: "thanks for fixing" ("I don't want some guy
	 * fixing my car" is no fix) */
	if (!w->stem ||
	    !(norm_ends(ta, t, "ed") || (norm_ends(ta, t, "ing") && j > a && text_tok_is(ta, &ta->toks[j - 1], "for"))))
		return 0;
	if ((b < ta->ntoks && ta->toks[b].quest) || close_negation(ta, a, j)) /* "Why hasn't anyone fixed it?" */
		return 0;
	int hit = 0;
	for (int k = 0; en[k] && !hit; k++)
		hit = w->stem_len == strlen(en[k]) && !memcmp(w->stem, en[k], w->stem_len);
	if (!hit)
		return 0;
	for (size_t k = j, n = 0; k-- > a && n < 2; n++)
		if (ta->toks[k].type == TT_WORD && text_tok_in(ta, &ta->toks[k], ask_en))
			return 0;
	return 1;
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
		if (text_tok_in(ta, &ta->toks[j], done) && !text_negated_before(ta, j))
			return 1;
	return text_sent_resolution(ta, a, b) >= 0;
}

/* The last token of sentence [a, b) that puts a problem right (text_resolution_at()) when
 * nothing goes wrong after it ("korjasitte sen, mutta nyt se ei käynnisty ollenkaan" is broken
 * again; "I was worried but it's all sorted" is put right), or -1. */
long text_sent_resolution(const struct text_analyzer *ta, size_t a, size_t b)
{
	long last = -1;
	for (size_t j = a; j < b; j++) {
		const struct text_tok *t = &ta->toks[j];
		if (t->type != TT_WORD || !t->w)
			continue;
		if (text_resolution_at(ta, a, b, j))
			last = (long)j;
		else if (last >= 0 &&
		         (((t->w->info.flags & TI_NEGATOR) && !text_tok_is(ta, t, "without") &&
		           !text_tok_is(ta, t, "ilman")) ||
		          (t->flags & TF_NT) ||
		          ((t->w->info.flags & TI_HASVAL) && t->w->info.valence <= -2 && j > (size_t)last + 3)))
			last = -2; /* gone wrong after it: a later one may put it right again */
	}
	return last >= 0 ? last : -1;
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

/* For the Finnish sarcasm rules: 1 if w is a verb of things working, whose negation is a failure
 * ("ei toimi", "ei onnistu", "ei tullut", "ette vastanneet"; closed grammar, with the participle
 * lemmas voikko gives the past forms: "tultu" for "tullut", "vastannut" for "vastanneet"). */
static int fi_works_verb(const struct text_word *w)
{
	static const char *const works[] = {"toimia",    "onnistua", "tulla",    "tultu",      "vastata",
	                                    "kuulua",    "auttaa",   "toiminut", "onnistunut", "tullut",
	                                    "vastannut", "kuulunut", "auttanut", "käynnistyä", NULL};
	for (int k = 0; works[k]; k++)
		if (w->lemma_len == strlen(works[k]) && !memcmp(w->lemma, works[k], w->lemma_len))
			return 1;
	return 0;
}

/* For the English sarcasm rules: 1 if w is a verb of things working, whose negation is a failure
 * ("doesn't work", "never arrived", "never showed up", "didn't help"; Snowball stems, closed
 * grammar). */
static int en_works_verb(const struct text_word *w)
{
	static const char *const works[] = {"work",  "arriv", "come",    "load", "respond", "answer", "help", "ship",
	                                    "deliv", "start", "connect", "open", "fix",     "show",   NULL};
	if (!w->stem)
		return 0;
	for (int k = 0; works[k]; k++)
		if (!strncmp(w->stem, works[k], strlen(works[k])))
			return 1;
	return 0;
}

/* For the sarcasm rules: 1 if sentence [a, b) opens with an exclamation of praise set off by a
 * comma, after at most two particles ("Great, ...", "Oh great, ...", "Just brilliant, ...",
 * "Mahtavaa, ...", "No loistavaa, ..."): a word of valence 2 or more that is no thanks ("Kiitos,
 * paketti tuli" thanks). What follows it in the sentence is what the praise is about. */
static int sarcasm_opening(const struct text_analyzer *ta, size_t a, size_t b)
{
	/* closed set: interjections and degree particles before the exclamation */
	static const char *const particles[] = {"oh",  "wow",   "well", "just", "yeah",    "yay",   "gee",
	                                        "ah",  "so",    "no",   "voi",  "ihan",    "aivan", "tosi",
	                                        "kyl", "kyllä", "niin", "vau",  "todella", NULL};
	for (size_t j = a, n = 0; j + 1 < b && n < 3; j++, n++) {
		const struct text_tok *t = &ta->toks[j];
		if (t->type != TT_WORD || !t->w)
			return 0;
		if ((t->w->info.flags & TI_HASVAL) && t->w->info.valence >= 2 && !(t->w->info.flags & TI_THANKS))
			return ta->toks[j + 1].type == TT_CLAUSE;
		if (!text_tok_in(ta, t, particles))
			return 0;
	}
	return 0;
}

/* For the sarcasm rules: 1 if token t marks a repeat ("again": "taas", "jälleen", "another",
 * "yet", "as usual", or an ordinal from the third: "kolmas kerta", "third time", "the fourth
 * wrong invoice"): a failure that happens again is a complaint whatever praise is around it. */
static int sarcasm_repeat(const struct text_analyzer *ta, size_t a, size_t j)
{
	/* closed grammar: adverbs of repetition and the ordinals (Finnish by lemma: "kolmatta") */
	static const char *const again[] = {"taas",    "taaskaan", "taaskin", "jälleen", "again",     "usual",
	                                    "another", "third",    "fourth",  "fifth",   "umpteenth", NULL};
	static const char *const ordinals_fi[] = {"kolmas", "neljäs", "viides", "kuudes", "monesko", "mones", NULL};
	const struct text_tok *t = &ta->toks[j];
	if (text_tok_in(ta, t, again) ||
	    (text_tok_is(ta, t, "always") && j > a && text_tok_is(ta, &ta->toks[j - 1], "as")))
		return 1;
	/* "joka kerta", "every time", "toista kertaa" (for the second time) */
	if (j > a && (text_tok_is(ta, t, "kerta") || text_tok_is(ta, t, "time") || text_tok_is(ta, t, "kertaa")) &&
	    (text_tok_is(ta, &ta->toks[j - 1], "joka") || text_tok_is(ta, &ta->toks[j - 1], "every") ||
	     text_tok_is(ta, &ta->toks[j - 1], "toista")))
		return 1;
	for (int k = 0; ordinals_fi[k]; k++) /* (the first byte first: this runs for every word) */
		if (t->w->lemma_len && t->w->lemma[0] == ordinals_fi[k][0] &&
		    t->w->lemma_len == strlen(ordinals_fi[k]) && !memcmp(t->w->lemma, ordinals_fi[k], t->w->lemma_len))
			return 1;
	return 0;
}

/* For the sarcasm rules: 1 if w is a verb of the service failing the customer, whose doing is a
 * complaint whatever praise is around it ("rikoitte koko laitteen", "puhelu katkaistiin",
 * "tilaus peruttiin", "you lost my parcel", "ignoring my emails", "hung up on me"). Closed
 * grammar, Finnish by lemma (with the participle lemmas voikko gives past forms), English by
 * Snowball stem. */
static int sarcasm_failure_verb(const struct text_analyzer *ta, const struct text_tok *t)
{
	/* "katosi" is also "katto" with a possessive (your roof), voikko's first reading */
	static const char *const lost_fi[] = {"katosi", "katosivat", "hävisi", "hävisivät", "katkes", "kaatu", NULL};
	const struct text_word *w = t->w;
	if (ta->lang == TEXT_LANG_FI && text_tok_in(ta, t, lost_fi))
		return 1;
	static const char *const fi[] = {"hukata",    "hukkua",    "kadota",    "hävittää", "rikkoa",
	                                 "hajota",    "rikkoutua", "katketa",   "kaatua",   "lakata",
	                                 "katkaista", "perua",     "unohtaa",   "sotkea",   "hukannut",
	                                 "rikkonut",  "unohtanut", "katkaistu", "peruttu",  NULL};
	static const char *const en[] = {"lose",   "lost",   "break", "broke",   "cancel", "ignor",
	                                 "forgot", "forget", "damag", "misplac", "hung",   "overcharg",
	                                 "drop",   "mess",   "delet", NULL};
	if (ta->lang == TEXT_LANG_FI)
		return text_lemma_in(w, fi) && !(w->info.flags & TI_NONFIN);
	/* (the verb, not its noun: "noise cancellation", "breakage") */
	if (!w->stem || norm_ends(ta, t, "tion") || norm_ends(ta, t, "age") || norm_ends(ta, t, "er") ||
	    norm_ends(ta, t, "ers"))
		return 0;
	for (int k = 0; en[k]; k++)
		if (w->stem_len == strlen(en[k]) && !memcmp(w->stem, en[k], w->stem_len))
			return 1;
	return 0;
}

/* For the sarcasm rules: how long the time word w is: 2 for an hour or more ("tunti", "viikko",
 * "kuukausi", "vuosi", "hours", "weeks", "forever"), 1 for a day ("päivä", "days"), 0 for
 * anything else (minutes are a quick answer: "odotin vain viisi minuuttia" thanks). */
static int sarcasm_time_unit(const struct text_analyzer *ta, const struct text_word *w)
{
	static const char *const fi[] = {"tunti", "viikko", "kuukausi", "vuosi", "ikuisuus", NULL};
	static const char *const day_fi[] = {"päivä", NULL};
	static const char *const en[] = {"hour", "week", "month", "year", "forev", NULL};
	/* (the first byte first: this runs for every word of a sentence it is asked of) */
	if (!w->lemma_len ||
	    !first_in(w->stem ? w->stem[0] : w->lemma[0], ta->lang == TEXT_LANG_FI
	                                                      ? (L('t') | L('v') | L('k') | L('i') | L('p'))
	                                                      : (L('h') | L('w') | L('m') | L('y') | L('f') | L('d'))))
		return 0;
	if (ta->lang == TEXT_LANG_FI)
		return text_lemma_in(w, fi) ? 2 : text_lemma_in(w, day_fi);
	if (!w->stem)
		return 0;
	for (int k = 0; en[k]; k++)
		if (w->stem_len == strlen(en[k]) && !memcmp(w->stem, en[k], w->stem_len))
			return 2;
	return w->stem_len == 3 && !memcmp(w->stem, "day", 3);
}

/* For the sarcasm rules: 1 if token t is an ironic limiter of a time ("vain", "only", "just",
 * "whole", "koko"). */
static int sarcasm_limiter(const struct text_analyzer *ta, const struct text_tok *t)
{
	static const char *const limiter[] = {"vain", "vaan", "ainoastaan", "only", "just", "whole", "koko", NULL};
	return text_tok_in(ta, t, limiter);
}

/* For the sarcasm rules: a long wait in sentence [a, b): a word of waiting ("odotin",
 * "jonotin", "waited", "on hold") with a time of a day or more, or an ironic limiter ("vain",
 * "only", "just", a whole: "koko") up to four words before a time of an hour or more ("vain kaksi
 * kuukautta meni", "only took you six weeks", "a whole month"). Returns 2 when the limiter is
 * there (the irony itself), 1 for a plain long wait, 0 for none ("odotin vain viisi minuuttia"). */
static int sarcasm_long_wait(const struct text_analyzer *ta, size_t a, size_t b)
{
	static const char *const wait_fi[] = {"odottaa", "jonottaa", "odotella", "odotuttaa", "odottanut", NULL};
	static const char *const wait_en[] = {"wait", "hold", "queu", NULL};
	/* the time it took: "took", "kesti", "meni", "tuli ... päästä", "to process" ("Only had
	 * this a month" is not a wait) */
	static const char *const took[] = {"took",  "takes",  "take", "taking", "later",  "after",     "to",
	                                   "kesti", "kestää", "meni", "menee",  "päästä", "myöhemmin", NULL};
	/* the time first (most sentences name none), then the words of waiting or taking */
	int wait = -1, took_time = 0, found = 0;
	for (size_t j = a; j < b; j++) {
		const struct text_tok *t = &ta->toks[j];
		if (t->type != TT_WORD || !t->w)
			continue;
		int unit = sarcasm_time_unit(ta, t->w);
		if (!unit)
			continue;
		if (wait < 0) {
			wait = 0;
			for (size_t k = a; k < b; k++) {
				const struct text_tok *q = &ta->toks[k];
				if (q->type != TT_WORD || !q->w)
					continue;
				wait |= ta->lang == TEXT_LANG_FI
				            ? text_lemma_in(q->w, wait_fi)
				            : q->w->stem && (text_tok_in(ta, q, wait_en) ||
				                             (q->w->stem_len == 4 && (!memcmp(q->w->stem, "wait", 4) ||
				                                                      !memcmp(q->w->stem, "hold", 4))));
				took_time |= text_tok_in(ta, q, took);
			}
		}
		for (size_t k = j, seen = 0; k-- > a && seen < 4;) {
			if (ta->toks[k].type == TT_CLAUSE || ta->toks[k].type == TT_END)
				break;
			seen++;
			/* with a verb of taking or waiting ("only took you six weeks"); right before
			 * the time alone ("only 6 weeks", "vain kaksi kuukautta hoitoa ja olen terve")
			 * it is a long wait only after a praising opening (the caller's) */
			if (unit == 2 && sarcasm_limiter(ta, &ta->toks[k])) {
				if (wait || took_time)
					return 2;
				if (seen <= 2)
					found = 1;
			}
		}
		if (wait)
			found = 1;
	}
	return found;
}

/* For the sarcasm rules: a count of two or more ("twice", "kahdesti", "five times", "kolme
 * kertaa") at token j: a thing done to the customer that often. */
static int sarcasm_count(const struct text_analyzer *ta, size_t a, size_t j)
{
	static const char *const once[] = {"twice", "thrice", "kahdesti", "kolmesti", "neljästi", NULL};
	static const char *const times[] = {"times", "kertaa", "kertaan", NULL};
	static const char *const num[] = {"two",     "three",  "four",  "five",     "six",      "seven", "eight",
	                                  "several", "many",   "kaksi", "kolme",    "neljä",    "viisi", "kuusi",
	                                  "monta",   "useita", "ten",   "multiple", "kymmenen", NULL};
	const struct text_tok *t = &ta->toks[j];
	if (text_tok_in(ta, t, once))
		return 1;
	if (!text_tok_in(ta, t, times) || j == a)
		return 0;
	const struct text_tok *p = &ta->toks[j - 1];
	return (p->type == TT_NUM && !(p->norm_len == 1 && ta->scratch[p->norm_off] == '1')) ||
	       (p->type == TT_WORD && text_tok_in(ta, p, num));
}

/* For the sarcasm rules: 1 if token j is "time"/"kertaa" after an ordinal from the second
 * ("for the fifth time", "viidettä kertaa", "5th time", "neljännen kerran"): the writer made to
 * do it again. */
static int sarcasm_nth_time(const struct text_analyzer *ta, size_t a, size_t j)
{
	static const char *const nth_en[] = {"second", "third", "fourth", "fifth",     "sixth",     "seventh", "eighth",
	                                     "ninth",  "tenth", "nth",    "umpteenth", "millionth", NULL};
	static const char *const time_fi[] = {"kertaa", "kerran", NULL};
	const struct text_tok *t = &ta->toks[j];
	if (j == a || t->type != TT_WORD)
		return 0;
	const struct text_tok *p = &ta->toks[j - 1];
	if (p->type != TT_WORD || !p->w)
		return 0;
	if (ta->lang == TEXT_LANG_FI)
		return text_tok_in(ta, t, time_fi) &&
		       (norm_ends(ta, p, "tta") || norm_ends(ta, p, "ttä") || norm_ends(ta, p, "nnen") ||
		        text_tok_is(ta, p, "toista") || text_tok_is(ta, p, "toisen"));
	return text_tok_is(ta, t, "time") &&
	       (text_tok_in(ta, p, nth_en) ||
	        (p->norm_len > 2 && ta->scratch[p->norm_off] >= '2' && ta->scratch[p->norm_off] <= '9' &&
	         (norm_ends(ta, p, "th") || norm_ends(ta, p, "rd"))));
}

/* For the sarcasm rules: 1 if sentence [a, b) holds a complaint formula of the phrase list (a
 * negative valence phrase: "maksettiin tuplasti", "jouduin odottamaan", "thanks for nothing"). */
static int sarcasm_formula(const struct text_analyzer *ta, size_t a, size_t b)
{
	for (size_t k = 0; k < ta->nmatches && a < b; k++)
		if (ta->matches[k].kind == TEXT_LK_VALENCE && ta->matches[k].weight < 0 &&
		    ta->matches[k].start >= ta->toks[a].start && ta->matches[k].end <= ta->toks[b - 1].end)
			return 1;
	return 0;
}

/* For the sarcasm rules: 1 if token t marks a state that goes on ("still", "yhä", "edelleen",
 * "vieläkin", "vieläkään" and its spoken "vieläkää"). */
static int sarcasm_still(const struct text_analyzer *ta, const struct text_tok *t)
{
	static const char *const still[] = {"still", "yhä", "edelleen", "vieläkin", "vieläkään", "vieläkää", NULL};
	return t->type == TT_WORD && text_tok_in(ta, t, still);
}

/* For the sarcasm rules: 1 if token t is a word of waiting ("odotan", "waiting", "on hold"). */
static int sarcasm_wait_word(const struct text_analyzer *ta, const struct text_tok *t)
{
	static const char *const wait_fi[] = {"odottaa", "jonottaa", "odotella", "odottanut", NULL};
	if (t->type != TT_WORD || !t->w)
		return 0;
	if (ta->lang == TEXT_LANG_FI)
		return text_lemma_in(t->w, wait_fi);
	return t->w->stem && t->w->stem_len == 4 && !memcmp(t->w->stem, "wait", 4);
}

/* For the sarcasm rules: 1 if token t names a point in time that a wait can run from: a month
 * or a weekday ("since March", "maaliskuusta asti", "since Monday"). Closed grammar, by lemma
 * (Finnish) or form (English). */
static int sarcasm_time_point(const struct text_analyzer *ta, const struct text_tok *t)
{
	static const char *const fi[] = {"tammikuu",  "helmikuu",  "maaliskuu", "huhtikuu",  "toukokuu",
	                                 "kesäkuu",   "heinäkuu",  "elokuu",    "syyskuu",   "lokakuu",
	                                 "marraskuu", "joulukuu",  "maanantai", "tiistai",   "keskiviikko",
	                                 "torstai",   "perjantai", "lauantai",  "sunnuntai", NULL};
	static const char *const en[] = {"january",  "february", "march",    "april",     "may",
	                                 "june",     "july",     "august",   "september", "october",
	                                 "november", "december", "monday",   "tuesday",   "wednesday",
	                                 "thursday", "friday",   "saturday", "sunday",    NULL};
	if (t->type != TT_WORD || !t->w)
		return 0;
	return ta->lang == TEXT_LANG_FI ? text_lemma_in(t->w, fi) : text_tok_in(ta, t, en);
}

/* For sarcasm_elapsed(): 1 if a number or a numeral is right before the time word at j. */
static int p_num(const struct text_analyzer *ta, size_t a, size_t j)
{
	return j > a &&
	       (ta->toks[j - 1].type == TT_NUM || (ta->toks[j - 1].w && (ta->toks[j - 1].w->info.flags & TI_NOMINAL) &&
	                                           !(ta->toks[j - 1].w->info.flags & TI_HASVAL)));
}

/* For sarcasm_elapsed(): 1 if the Finnish time word t is in a case of a time within or at
 * which a thing was done, not of a time gone by: the inessive ("kahdessa päivässä"), essive
 * ("seuraavana päivänä"), allative ("samalle päivälle"), adessive, ablative, elative,
 * translative. */
static int fi_time_within(const struct text_analyzer *ta, const struct text_tok *t)
{
	static const char *const ends[] = {"ssa", "ssä", "na",  "nä",  "lle", "lla", "llä",
	                                   "lta", "ltä", "sta", "stä", "ksi", NULL};
	for (int k = 0; ends[k]; k++)
		if (norm_ends(ta, t, ends[k]))
			return 1;
	return 0;
}

/* For sarcasm_elapsed(): 1 if the word of having or being at k goes on with a verb in -ing
 * ("been waiting", "has been processing"): a process, not ownership ("been a customer"). */
static int been_doing(const struct text_analyzer *ta, size_t k, size_t b)
{
	if (k + 2 < b && text_tok_is(ta, &ta->toks[k + 1], "been"))
		k++;
	return k + 1 < b && ta->toks[k + 1].type == TT_WORD && ta->toks[k + 1].norm_len > 4 &&
	       norm_ends(ta, &ta->toks[k + 1], "ing");
}

/* For the sarcasm rules: time that has gone by, stated as a fact, in sentence [a, b): a time of
 * a day or more marked as elapsed ("jo kolmatta viikkoa", "kuukausi sitten", "two weeks late",
 * "kolmen viikon päästä", "kaksi viikkoa juhlien jälkeen", "for eleven days", "since March",
 * "maaliskuusta asti"), or a bare count of days beside a state that goes on ("12 päivää ja
 * paketti on yhä teillä"). A time within which something was done is speed ("kahdessa
 * päivässä", "already two days later": "jo"/"already" before a "later" or "after"), and one
 * of having or using a thing is ownership ("had it for a year", "used it since March"). A time
 * after which something came is lateness when it is a week or more, or when it follows an
 * occasion the thing was for ("three days after the party"; "two days after I called" is
 * quick). Returns the token after the time expression, or 0 for none. */
static size_t sarcasm_elapsed(const struct text_analyzer *ta, size_t a, size_t b, int addressed)
{
	static const char *const after[] = {"after",   "later",    "late",      "päästä",
	                                    "jälkeen", "myöhässä", "myöhemmin", NULL};
	static const char *const ago[] = {"ago", "sitten", NULL};
	static const char *const already[] = {"jo", "already", "within", "just", "vain", "vaan", NULL};
	static const char *const span[] = {"for", "since", NULL};
	static const char *const until[] = {"asti", "lähtien", "saakka", "alkaen", NULL};
	static const char *const own[] = {"had", "have", "has", "use", "used", "using", "owned", "own", "been", NULL};
	/* occasions a thing was ordered for: after one of them it is late, whatever the time */
	static const char *const occasion_fi[] = {"juhla", "syntymäpäivä", "synttärit", "häät",
	                                          "joulu", "tapahtuma",    "eräpäivä",  "loma",
	                                          "matka", "juhannus",     NULL};
	static const char *const occasion_en[] = {"party",   "birthday", "wedding", "christmas", "event", "deadline",
	                                          "holiday", "holidays", "trip",    "funeral",   "date",  NULL};
	const int fi = ta->lang == TEXT_LANG_FI;
	int still = -1;
	for (size_t j = a; j < b; j++) {
		const struct text_tok *t = &ta->toks[j];
		if (t->type != TT_WORD || !t->w)
			continue;
		/* "since March", "maaliskuusta asti", "since last week" */
		/* (the word before or after first: every word of the sentence is asked) */
		int from = fi ? j + 1 < b && text_tok_in(ta, &ta->toks[j + 1], until) &&
		                    (norm_ends(ta, t, "sta") || norm_ends(ta, t, "stä"))
		              : j > a && text_tok_is(ta, &ta->toks[j - 1], "since");
		if (from && sarcasm_time_point(ta, t)) {
			{
				int owned = 0;
				for (size_t k = j, n = 0; k-- > a && n < 5 && !owned; n++)
					owned = text_tok_in(ta, &ta->toks[k], own) && !been_doing(ta, k, b);
				if (!owned)
					return j + 1;
			}
			continue;
		}
		int unit = sarcasm_time_unit(ta, t->w);
		if (!unit)
			continue;
		/* "kahdessa päivässä", "viikossa": within, a speed; "seuraavana päivänä": a day */
		if (fi && fi_time_within(ta, t))
			continue;
		int jo = 0, ordinal = 0, count = 0, forspan = 0, owned = 0;
		for (size_t k = j, n = 0; k-- > a && n < 4; n++) {
			const struct text_tok *p = &ta->toks[k];
			if (p->type == TT_CLAUSE || p->type == TT_END)
				break;
			if (p->type == TT_NUM) {
				count = 1;
				continue;
			}
			if (p->type != TT_WORD || !p->w)
				continue;
			jo |= text_tok_in(ta, p, already);
			forspan |= text_tok_in(ta, p, span);
			owned |= text_tok_in(ta, p, own) && !been_doing(ta, k, b);
			/* "kolmatta viikkoa", "toista viikkoa" (for the third week, over a week) */
			ordinal |= fi && (text_tok_is(ta, p, "toista") || sarcasm_repeat(ta, a, k));
			count |=
			    (p->w->info.flags & TI_NOMINAL) != 0 || text_tok_is(ta, p, "a") || text_tok_is(ta, p, "an");
		}
		size_t n = j + 1;
		const struct text_tok *q = n < b ? &ta->toks[n] : NULL;
		if (q && q->type == TT_WORD && text_tok_in(ta, q, ago) && !jo)
			return n + 1;
		if (q && q->type == TT_WORD && text_tok_in(ta, q, after) && !jo) {
			if (unit == 2 || text_tok_is(ta, q, "late") || text_tok_is(ta, q, "myöhässä"))
				return n + 1;
			for (size_t k = n + 1, m = 0; k < b && m < 3; k++, m++)
				if (ta->toks[k].type == TT_WORD && ta->toks[k].w &&
				    (fi ? text_lemma_in(ta->toks[k].w, occasion_fi)
				        : text_tok_in(ta, &ta->toks[k], occasion_en)))
					return n + 1;
		}
		/* Finnish puts what it is after first: "kaksi viikkoa tilauksen jälkeen", "juhlien
		 * jälkeen" */
		if (fi && q && q->type == TT_WORD && q->w && n + 1 < b && !jo &&
		    text_tok_in(ta, &ta->toks[n + 1], after) && (unit == 2 || text_lemma_in(q->w, occasion_fi)))
			return n + 2;
		if (fi && (jo || ordinal) && !(q && q->type == TT_WORD && text_tok_in(ta, q, after)))
			return n;
		if (!fi && forspan && !owned)
			return n;
		/* a bare count of days beside "yhä", "still", or after praise said to the reader
		 * ("kiitos et pidätte mut ajan tasalla, seuranta on näyttänyt 'matkalla' 12 päivää") */
		if (count && !owned && !jo && addressed && (p_num(ta, a, j) || unit == 2))
			return n;
		if (count && !owned) {
			if (still < 0) {
				still = 0;
				for (size_t k = a; k < b && !still; k++)
					still = sarcasm_still(ta, &ta->toks[k]);
			}
			if (still)
				return n;
		}
	}
	return 0;
}

/* For the sarcasm rules: 1 if w is a verb of the writer trying to reach the service ("soitin",
 * "kirjoitin", "kysyin", "selitin", "I called", "emailed", "explained", "asked", "chased"):
 * done a counted number of times, a failure to answer. Finnish by lemma, English by stem. */
static int sarcasm_contact_verb(const struct text_analyzer *ta, const struct text_tok *t)
{
	const struct text_word *w = t->w;
	static const char *const fi[] = {
	    "soittaa", "kirjoittaa",     "kysyä",   "selittää", "valittaa", "muistuttaa",  "pyytää",
	    "yrittää", "sähköpostittaa", "laittaa", "lähettää", "viestiä",  "tiedustella", NULL};
	static const char *const en[] = {"call",    "phone",    "email",  "e-mail", "write",   "wrote", "ask",
	                                 "explain", "complain", "remind", "chase",  "contact", "tri",   "rang",
	                                 "messag",  "sent",     "send",   "report", NULL};
	/* "soitin" is also a noun (an instrument), voikko's first reading */
	static const char *const fi_forms[] = {"soitin", "soitimme", NULL};
	if (ta->lang == TEXT_LANG_FI)
		return text_lemma_in(w, fi) || text_tok_in(ta, t, fi_forms);
	/* (a verb done, not its noun: "my next phone", "the call") */
	static const char *const done_en[] = {"rang", "wrote", "sent", NULL};
	if (!w->stem || !(norm_ends(ta, t, "ed") || norm_ends(ta, t, "ing") || text_tok_in(ta, t, done_en)))
		return 0;
	for (int k = 0; en[k]; k++)
		if (w->stem_len == strlen(en[k]) && !memcmp(w->stem, en[k], w->stem_len))
			return 1;
	return text_tok_in(ta, t, done_en);
}

/* For the sarcasm rules: 1 if token t says a thing came damaged, wrong or late ("rikki",
 * "väärä", "naarmuilla", "wrong", "broken", "in pieces", "damaged"). Closed grammar, Finnish by
 * lemma, English by form. */
static int sarcasm_damaged(const struct text_analyzer *ta, const struct text_tok *t)
{
	static const char *const fi[] = {"rikki",      "rikkinäinen", "väärä",     "viallinen", "naarmu",
	                                 "naarmuinen", "lommo",       "lommoinen", "myöhässä",  "särkynyt",
	                                 "haljennut",  "hajonnut",    "palasina",  "päreinä",   NULL};
	static const char *const en[] = {"broken", "wrong",  "damaged", "smashed",   "cracked",   "scratched",
	                                 "dented", "pieces", "faulty",  "defective", "shattered", NULL};
	if (t->type != TT_WORD || !t->w)
		return 0;
	return ta->lang == TEXT_LANG_FI ? text_lemma_in(t->w, fi) || text_tok_in(ta, t, fi) : text_tok_in(ta, t, en);
}

/* For the sarcasm rules: 1 if token t is a laugh ("lol", "haha"): irony, no praise. */
static int sarcasm_laugh(const struct text_analyzer *ta, const struct text_tok *t)
{
	static const char *const laugh[] = {"lol", "haha", "hah", "heh", "lmao", "xd", "hehe", "hahaha", NULL};
	return text_tok_in(ta, t, laugh);
}

/* For the sarcasm rules: 1 if "would", "will" or "'d" follows token j of [.., b) within four
 * words ("you said it would be here Monday", "told me the engineer would call"). */
static int en_would_after(const struct text_analyzer *ta, size_t j, size_t b)
{
	static const char *const would[] = {"would", "will", "wld", "gonna", NULL};
	for (size_t k = j + 1; k < b && k <= j + 4; k++)
		if (ta->toks[k].type == TT_WORD && text_tok_in(ta, &ta->toks[k], would))
			return 1;
	return 0;
}

/* For the sarcasm rules: a fact of failure the writer suffered, in sentence [a, b), of the kinds
 * a sincere word of praise does not sit beside: time gone by (sarcasm_elapsed()), a state that
 * goes on unfinished ("odotan vieläkin", "edelleen ei mitään", "still waiting"), a promise
 * broken ("lupasitte soittaa, eikä kukaan soittanut", "you said Monday and it's Thursday", "the
 * refund you promised a month ago"), a counted repetition of trying to reach the service
 * ("soitin viidettä kertaa", "emailed you four times"), nobody coming or doing it ("kukaan ei
 * tullut", "no one ever did"), a thing that came damaged or wrong ("saapui rikki", "arrived in
 * pieces"). Praise after the fact takes it back ("Thanks, I've been a customer since March and
 * love it"). 1 if found. */
static int sarcasm_suffered(const struct text_analyzer *ta, size_t a, size_t b, int damage, int addressed)
{
	static const char *const promise_fi[] = {"luvata", "lupaama", "luvattu", "lupaus", "sanoa", NULL};
	static const char *const nobody[] = {"nobody", "kukaan", "kenenkään", "kenestäkään", NULL};
	static const char *const nothing[] = {"nothing", "mitään", "mitää", "mittään", "mitn", NULL};
	const int fi = ta->lang == TEXT_LANG_FI;
	static const char *const must[] = {"joutua", "pitää", "täytyä", "have", "had", "has", "must", NULL};
	size_t fact = 0; /* the token after the fact, when one is found */
	size_t end = sarcasm_elapsed(ta, a, b, addressed);
	int guarded = end != 0; /* a fact praise after it can take back */
	if (end)
		fact = end;
	size_t promise = b, points = 0, first_point = b;
	int counted = 0, contact = 0;
	for (size_t j = a; j < b && !fact; j++) {
		const struct text_tok *t = &ta->toks[j];
		if (t->type != TT_WORD || !t->w)
			continue;
		/* a state that goes on: "still" and a negation, a wait or "nothing" in its clause */
		if (sarcasm_still(ta, t))
			for (size_t k = j > a + 3 ? j - 3 : a; k < b && k <= j + 3 && !fact; k++) {
				const struct text_tok *q = &ta->toks[k];
				if (q->type != TT_WORD || !q->w || k == j)
					continue;
				if ((q->w->info.flags & TI_NEGATOR) || (q->flags & TF_NT) || sarcasm_wait_word(ta, q) ||
				    text_tok_in(ta, q, nothing) || text_tok_is(ta, q, "no"))
					fact = (k > j ? k : j) + 1;
			}
		/* nobody came, nobody did it: "kukaan ei tullut", "no one ever did" */
		if (!fact && (text_tok_in(ta, t, nobody) ||
		              (text_tok_is(ta, t, "one") && j > a && text_tok_is(ta, &ta->toks[j - 1], "no")))) {
			for (size_t k = j + 1; k < b && k <= j + 3 && !fact; k++)
				if (ta->toks[k].type == TT_WORD && ta->toks[k].w &&
				    (fi ? (ta->toks[k].w->info.flags & TI_NEGATOR) != 0
				        : !(ta->toks[k].w->info.flags & TI_HASVAL) &&
				              !text_tok_is(ta, &ta->toks[k], "else")))
					fact = k + 1;
		}
		/* "heard nothing", "got nothing", "ei mitään" after a negation is handled above */
		if (!fact && !fi && text_tok_in(ta, t, nothing) && j > a && ta->toks[j - 1].type == TT_WORD &&
		    ta->toks[j - 1].w && !(ta->toks[j - 1].w->info.flags & TI_HASVAL))
			fact = j + 1;
		/* a thing that came damaged or wrong */
		if (!fact && damage && sarcasm_damaged(ta, t) && !close_negation(ta, a, j))
			fact = j + 1, guarded = 1;
		counted |= sarcasm_repeat(ta, a, j) || sarcasm_count(ta, a, j) || sarcasm_nth_time(ta, a, j);
		/* ... or made to: "joutui selittämään kolme kertaa", "have to log in 4 times" */
		contact |= (fi ? text_lemma_in(t->w, must)
		               : text_tok_in(ta, t, must) && j + 1 < b && text_tok_is(ta, &ta->toks[j + 1], "to"));
		contact |= sarcasm_contact_verb(ta, t) && !(ta->lang == TEXT_LANG_FI && (t->w->info.flags & TI_COND));
		if (counted && contact)
			fact = j + 1;
		/* a promise: "lupasitte", "you promised", "you said it would" */
		if (promise == b &&
		    (fi ? text_lemma_in(t->w, promise_fi) && (t->w->info.flags & (TI_PAST | TI_SECOND))
		        : (t->w->stem && !strncmp(t->w->stem, "promis", 6)) ||
		              ((text_tok_is(ta, t, "said") || text_tok_is(ta, t, "told")) && en_would_after(ta, j, b))))
			promise = j;
		if (promise < j && sarcasm_time_point(ta, t)) {
			if (!points || !(ta->toks[first_point].norm_len == t->norm_len &&
			                 !memcmp(ta->scratch + ta->toks[first_point].norm_off,
			                         ta->scratch + t->norm_off, t->norm_len)))
				points++;
			if (first_point == b)
				first_point = j;
		}
		/* a promise, then a negation, a state that goes on or a second day ("you said Monday
		 * and it's Thursday") */
		if (!fact && promise < j &&
		    ((t->w->info.flags & TI_NEGATOR) || (t->flags & TF_NT) || sarcasm_still(ta, t) || points >= 2))
			fact = j + 1;
	}
	if (!fact)
		return 0;
	if (!guarded)
		return 1;
	/* praise or thanks after it, or a "but": "... since March and love it", "meni väärään
	 * osoitteeseen mutta kuski toi sen illalla, iso kiitos" */
	for (size_t k = fact; k < b; k++)
		if (ta->toks[k].type == TT_WORD && ta->toks[k].w &&
		    (((ta->toks[k].w->info.flags & TI_HASVAL) && ta->toks[k].w->info.valence >= 2 &&
		      !sarcasm_laugh(ta, &ta->toks[k]) && !text_negated_before(ta, k)) ||
		     (ta->toks[k].w->info.flags & TI_CONTRAST)))
			return 0;
	return 1;
}

/* For the sarcasm rules: 1 if praise or thanks follows a "but" in sentence [a, b): the failure
 * before it is conceded and the praise is meant ("sovellus kaatui mut Jukka hoiti homman,
 * kiitos!"). */
static int praise_after_contrast(const struct text_analyzer *ta, size_t a, size_t b)
{
	int but = 0;
	for (size_t j = a; j < b; j++) {
		const struct text_tok *t = &ta->toks[j];
		if (t->type != TT_WORD || !t->w)
			continue;
		if (t->w->info.flags & TI_CONTRAST)
			but = 1;
		else if (but && (t->w->info.flags & TI_HASVAL) && t->w->info.valence >= 2 &&
		         !text_negated_before(ta, j))
			return 1;
	}
	return 0;
}

/* For the sarcasm rules: 1 if sentence [a, b) praises or thanks the reader for what it goes on
 * to tell: a thanks word ("kiitos et...", "thanks for...", "appreciate"), or a word of praise
 * with a clause or a manner after it ("ihana ku...", "hienoa että...", "kiva kun...", "love
 * how...", "amazing how you...", "so nice of you to...", "great job..."). */
static int sarcasm_addressed(const struct text_analyzer *ta, size_t a, size_t b)
{
	/* English "that" only after a verb of liking ("love that": "the best film that..." is no
	 * address), "of" only before "you" ("so nice of you") */
	static const char *const that_fi[] = {"että", "et", "kun", "ku", "siitä", NULL};
	static const char *const that_en[] = {"how", "job", NULL};
	static const char *const like[] = {"love", "loved", "like", "adore", "enjoy", NULL};
	for (size_t j = a; j < b; j++) {
		const struct text_tok *t = &ta->toks[j];
		if (t->type != TT_WORD || !t->w)
			continue;
		if ((t->w->info.flags & TI_THANKS) || (t->norm_len == 10 && text_tok_is(ta, t, "appreciate")))
			return 1;
		if (!(t->w->info.flags & TI_HASVAL) || t->w->info.valence <= 0)
			continue;
		for (size_t k = j + 1; k < b && k <= j + 2; k++) {
			const struct text_tok *q = &ta->toks[k];
			if (q->type != TT_WORD)
				break;
			if (ta->lang == TEXT_LANG_FI ? text_tok_in(ta, q, that_fi)
			                             : text_tok_in(ta, q, that_en) ||
			                                   (text_tok_is(ta, q, "that") && text_tok_in(ta, t, like)) ||
			                                   (text_tok_is(ta, q, "of") && k + 1 < b &&
			                                    text_tok_is(ta, &ta->toks[k + 1], "you")))
				return !text_negated_before(ta, j);
		}
	}
	return 0;
}

/* For the sarcasm rules: something plainly went wrong in sentence [a, b), beyond a word of
 * colour: a verb of things working negated ("ei vastannut", "never showed up", "still no
 * refund"), a verb of failing the customer not negated (sarcasm_failure_verb()) or a long wait
 * (sarcasm_long_wait()). A fact, not a feeling: "Mahtavaa palvelua, jonotin puolitoista tuntia"
 * is sarcasm where "Mahtavaa, vähän harmittaa" is mixed feelings. */
int text_sarcasm_fact(const struct text_analyzer *ta, size_t a, size_t b)
{
	if (sarcasm_long_wait(ta, a, b))
		return 1;
	for (size_t j = a; j < b; j++) {
		const struct text_tok *t = &ta->toks[j];
		if (t->type != TT_WORD || !t->w)
			continue;
		int neg = close_negation(ta, a, j);
		if (!neg && sarcasm_failure_verb(ta, t))
			return 1;
		if (neg && (ta->lang == TEXT_LANG_FI ? fi_works_verb(t->w) : en_works_verb(t->w)))
			return 1;
		/* "nobody has answered", "no one helped" */
		if (ta->lang == TEXT_LANG_EN && en_works_verb(t->w))
			for (size_t k = j, n = 0; k-- > a && n < 3; n++)
				if (text_tok_is(ta, &ta->toks[k], "nobody") ||
				    (text_tok_is(ta, &ta->toks[k], "one") && k > a &&
				     text_tok_is(ta, &ta->toks[k - 1], "no")))
					return 1;
		/* "Still no refund", "still not answered": a wait that goes on */
		if ((text_tok_is(ta, t, "still") || text_tok_is(ta, t, "vieläkään") || text_tok_is(ta, t, "yhä")) &&
		    j + 1 < b && ta->toks[j + 1].type == TT_WORD && ta->toks[j + 1].w &&
		    ((ta->toks[j + 1].w->info.flags & TI_NEGATOR) || (ta->toks[j + 1].flags & TF_NT) ||
		     text_tok_is(ta, &ta->toks[j + 1], "no")))
			return 1;
	}
	return sarcasm_suffered(ta, a, b, 0, 0);
}

/* text_sarcasm_fact()'s facts of a failure that goes on or was never done, without a thing
 * that came damaged (which a thanks before it can be sincere about: "Kiitos! Paketti oli
 * rikki."): time gone by, a wait that goes on, a promise broken, a counted repetition, nobody
 * coming. */
int text_sarcasm_undone(const struct text_analyzer *ta, size_t a, size_t b)
{
	return sarcasm_suffered(ta, a, b, 0, 0);
}

/* For the sarcasm rules: 1 if sentence [a, b) opens with a praising noun phrase set off by a
 * comma: a word of praise and at most two words of no colour ("Brilliant service, ...",
 * "Fantastic customer service, ...", "Hienoa työtä, ...", "Todella hyvää palvelua, ..."), or a
 * thanks with "vaan"/"a lot" ("Kiitti vaan, ...", "Thanks a lot, ..."), or "wow"/"vau" alone
 * ("Wau, mikä palvelu, ..."). */
static int sarcasm_praise_phrase(const struct text_analyzer *ta, size_t a, size_t b)
{
	static const char *const particles[] = {"oh",   "wow",  "well", "just", "really",  "so",  "ihan", "no", "aivan",
	                                        "tosi", "niin", "vau",  "wau",  "todella", "joo", "yeah", NULL};
	static const char *const thanks_tail[] = {"vaan", "vain", "lot", "a", "paljon", NULL};
	size_t j = a;
	while (j < b && j < a + 2 && ta->toks[j].type == TT_WORD && text_tok_in(ta, &ta->toks[j], particles) &&
	       !(j + 1 < b && ta->toks[j + 1].type == TT_CLAUSE))
		j++;
	if (j >= b || ta->toks[j].type != TT_WORD || !ta->toks[j].w)
		return 0;
	const struct text_word *w = ta->toks[j].w;
	static const char *const wow[] = {"wow", "vau", "wau", NULL};
	if (text_tok_in(ta, &ta->toks[j], wow))
		return j + 1 < b && ta->toks[j + 1].type == TT_CLAUSE && ta->toks[j + 1].comma;
	int thanks = (w->info.flags & TI_THANKS) != 0;
	if (!thanks && !((w->info.flags & TI_HASVAL) && w->info.valence >= 2))
		return 0;
	size_t k = j + 1, tail = 0;
	for (; k < b && k <= j + 2 && ta->toks[k].type == TT_WORD && ta->toks[k].w; k++) {
		const struct text_word *n = ta->toks[k].w;
		if (thanks ? !text_tok_in(ta, &ta->toks[k], thanks_tail)
		           : (((n->info.flags & TI_HASVAL) && n->info.valence < 0) ||
		              (n->info.flags & (TI_SECOND | TI_FIRST | TI_NEGATOR))))
			return 0;
		tail++;
	}
	return k < b && ta->toks[k].type == TT_CLAUSE && ta->toks[k].comma && (!thanks || tail > 0);
}

/* English: 1 if sentence [a, b) thanks or praises the reader for a failure: a thanks word or
 * "appreciate", or "great/nice/good job", "nice/great work", "well done", then within two words
 * a verb in -ing whose clause names a failure: a verb of failing the customer, or one of
 * negative colour done to the writer ("Thanks for ignoring my emails", "Great job cancelling my
 * booking", "Thank you for wasting my money", "Thanks a lot for charging me twice"), "keeping me waiting", a count of
 * two or more ("being transferred five times"). "Thanks for fixing the billing error" and "Thank you for replacing the
 * broken kettle" thank. */
static int en_thanks_failure(const struct text_analyzer *ta, size_t a, size_t b)
{
	static const char *const job[] = {"job", "work", "done", NULL};
	size_t j = a;
	for (; j < b; j++) {
		const struct text_tok *t = &ta->toks[j];
		if (t->type != TT_WORD || !t->w)
			continue;
		if ((t->w->info.flags & TI_THANKS) || text_tok_is(ta, t, "appreciate") ||
		    (text_tok_in(ta, t, job) && j > a && ta->toks[j - 1].w &&
		     (ta->toks[j - 1].w->info.flags & TI_HASVAL) && ta->toks[j - 1].w->info.valence > 0))
			break;
	}
	size_t g = j + 1, seen = 0;
	for (; g < b && seen < 4; g++, seen++) {
		const struct text_tok *t = &ta->toks[g];
		if (t->type != TT_WORD)
			return 0;
		if (t->norm_len > 4 && norm_ends(ta, t, "ing"))
			break;
	}
	if (g >= b || seen >= 4 || !ta->toks[g].w)
		return 0;
	/* the verb itself fails the customer or is one of blame ("ignoring", "charging"), or is
	 * a verb of working negated ("for not answering") */
	static const char *const me[] = {"me", "my", "us", "our", NULL};
	const struct text_word *v = ta->toks[g].w;
	int to_me = g + 1 < b && text_tok_in(ta, &ta->toks[g + 1], me); /* "wasting my money", "charging me" */
	if (close_negation(ta, j, g) ? en_works_verb(v)
	                             : sarcasm_failure_verb(ta, &ta->toks[g]) ||
	                                   (to_me && (v->info.flags & TI_HASVAL) && v->info.valence < 0))
		return 1;
	/* or its clause: "keeping me waiting", "being transferred five times" */
	for (size_t k = g + 1; k < b && ta->toks[k].type != TT_CLAUSE; k++)
		if (ta->toks[k].type == TT_WORD &&
		    (sarcasm_count(ta, g, k) || text_tok_is(ta, &ta->toks[k], "waiting")))
			return 1;
	return 0;
}

/* Finnish: 1 if sentence [a, b) thanks the reader for a failure: a thanks word, then "että" or
 * "kun" and a second-person verb whose clause has a negated verb of things working or an abessive
 * of a verb of informing ("Kiitos tosi paljon että peruitte mun ajan ilmoittamatta", "Kiitos kun
 * ette vastanneet"; "kiitos että kerroitte ajoissa", "Kiitos että hoiditte sen kysymättä turhia"
 * thank). */
static int fi_thanks_failure(const struct text_analyzer *ta, size_t a, size_t b)
{
	/* the verbs of informing whose abessive is a failure ("ilmoittamatta", "kertomatta",
	 * "varoittamatta": without telling); not every verb of speech: "kysymättä turhia",
	 * "pyytämättä" (without asking, unasked) praise the service. Voikko reads "kertomatta" as
	 * the noun "kertoma" (a factorial). */
	static const char *const inform[] = {"ilmoittaa", "kertoa",  "kertoma",    "varoittaa",
	                                     "tiedottaa", "mainita", "informoida", NULL};
	size_t j = a;
	while (j < b && !(ta->toks[j].type == TT_WORD && ta->toks[j].w && (ta->toks[j].w->info.flags & TI_THANKS)))
		j++;
	while (j < b && !tok_word_is(ta, j, "että") && !tok_word_is(ta, j, "kun") && !tok_word_is(ta, j, "ku") &&
	       !text_tok_in(ta, &ta->toks[j], neg_that_fi))
		j++;
	if (j >= b)
		return 0;
	int second = 0, failure = 0, negated_that = text_tok_in(ta, &ta->toks[j], neg_that_fi);
	for (size_t k = j + 1; k < b && ta->toks[k].type != TT_CLAUSE; k++) {
		const struct text_tok *t = &ta->toks[k];
		if (t->type != TT_WORD || !t->w)
			continue;
		second |= (t->w->info.flags & TI_SECOND) != 0;
		/* a verb of things working negated ("ette vastanneet"; "ette luovuttaneet", did not
		 * give up, is good news) */
		failure |= ((close_negation(ta, j, k) || negated_that) && fi_works_verb(t->w)) ||
		           ((norm_ends(ta, t, "matta") || norm_ends(ta, t, "mättä")) && text_lemma_in(t->w, inform)) ||
		           /* "Kiitos kun hukkasitte paperini", "kun pidätte odottamassa tunnin" */
		           (!close_negation(ta, j, k) && !negated_that &&
		            (sarcasm_failure_verb(ta, t) || sarcasm_count(ta, j, k)));
	}
	return second && (failure || sarcasm_long_wait(ta, j, b));
}

/*
 * Finnish: 1 if sentence [a, b) praises what went wrong, sarcastically: a failure together with
 * a repeat ("taas", "jälleen", "taaskaan", "kolmas kerta": "Ihan mahtavaa, taas ei toimi
 * mikään"), with an exclamative "-pa/-pä" copula ("onpa", "olipa": "Onpa kiva odottaa viikko
 * pakettia") or after an opening exclamation of praise ("Mahtavaa, paketti katosi"); or a thanks
 * for a failure of the reader (fi_thanks_failure()). A failure is a negative word that is not
 * negated ("ette ole pettäneet", "ettei sattunut" are good news) or a negated verb of things
 * working ("ei toimi", "ei onnistu", "ei tullut", "ei vastaa"), or a negative complaint formula
 * of the phrase list in it. The caller applies it only to a sentence whose sum is positive.
 */
int text_fi_sarcasm(const struct text_analyzer *ta, size_t a, size_t b)
{
	int again = 0, excl_cop = 0, bad = 0, thanks = 0;
	for (size_t j = a; j < b; j++) {
		const struct text_tok *t = &ta->toks[j];
		if (t->type != TT_WORD || !t->w)
			continue;
		again |= sarcasm_repeat(ta, a, j);
		excl_cop |= text_tok_is(ta, t, "onpa") || text_tok_is(ta, t, "olipa") || text_tok_is(ta, t, "onpas") ||
		            text_tok_is(ta, t, "olipas");
		thanks |= (t->w->info.flags & TI_THANKS) != 0;
		int negated = text_negated_before(ta, j);
		for (size_t k = j, seen = 0; k-- > a && seen < 3 && !negated; seen++)
			negated = text_tok_is(ta, &ta->toks[k], "ettei") || text_tok_is(ta, &ta->toks[k], "jottei") ||
				  text_tok_is(ta, &ta->toks[k], "ellei");
		/* a noun names a problem, it does not say one happened ("vika korjattiin") */
		int noun = (t->w->info.flags & TI_CONTENT) && !(t->w->info.flags & TI_ADJ);
		if ((t->w->info.flags & TI_HASVAL) && t->w->info.valence < 0 && !negated && !noun &&
		    !(t->w->rule_class & RC_FAULT))
			bad = 1;
		else if (close_negation(ta, a, j))
			bad = fi_works_verb(t->w);
	}
	/* or a complaint formula ("maksettiin tuplasti", "jouduin odottamaan") */
	bad |= sarcasm_formula(ta, a, b);
	/* praise with an ironic limit on a long time is sarcasm even when something got done
	 * ("Kiitos avusta, vain kaksi kuukautta meni", "Hienosti hoidettu, odotin vain neljä
	 * tuntia") */
	if (sarcasm_long_wait(ta, a, b) == 2)
		return 1;
	/* a plain fact of failure ("rikoitte laitteen", "kukaan ei vastannut", a long wait) after
	 * a praising opening ("Hienoa työtä, ...", "Mahtavaa palvelua, ..."); a word of colour
	 * alone there is mixed feelings ("Loistavaa, vähän harmittaa"). (The scans run only with a
	 * cue of sarcasm: most praise is meant.) */
	int phrase = sarcasm_praise_phrase(ta, a, b);
	int sarcastic = (bad && (again || excl_cop)) ||
	                ((phrase || again || excl_cop) && text_sarcasm_fact(ta, a, b)) ||
	                (thanks && fi_thanks_failure(ta, a, b));
	/* (without an address the cues above have asked text_sarcasm_fact(), which holds
	 * sarcasm_suffered() without a thing that came damaged) */
	if (!sarcastic && sarcasm_addressed(ta, a, b) && !praise_after_contrast(ta, a, b))
		sarcastic = sarcasm_suffered(ta, a, b, 1, 1) || text_sarcasm_fact(ta, a, b);
	return sarcastic && !sarcasm_resolved(ta, a, b);
}

/*
 * English: 1 if sentence [a, b) praises what went wrong, sarcastically: a failure together with
 * a repeat ("Nice, the app crashed again", "as always", "as usual", "another", "the third") or
 * after an opening exclamation of praise ("Fantastic, the replacement is broken too", "Oh great,
 * another delay", "Just brilliant, the third wrong invoice"). A failure is a negative word that is not negated ("not
 * bad" is praise) or a negated verb of things working ("doesn't work", "never arrived", "didn't help"). The caller
 * applies it only to a sentence whose sum is positive.
 */
int text_en_sarcasm(const struct text_analyzer *ta, size_t a, size_t b)
{
	static const char *const job[] = {"job", "work", "done", "appreciate", NULL};
	int again = 0, bad = 0, thanks = 0;
	/* "Fantastic, ...": a praise word, then a comma, as the sentence's opening */
	int opening = a + 1 < b && ta->toks[a].type == TT_WORD && ta->toks[a].w &&
		      (ta->toks[a].w->info.flags & TI_HASVAL) && ta->toks[a].w->info.valence > 0 &&
		      ta->toks[a + 1].type == TT_CLAUSE;
	opening |= sarcasm_opening(ta, a, b);
	for (size_t j = a; j < b; j++) {
		const struct text_tok *t = &ta->toks[j];
		if (t->type != TT_WORD || !t->w)
			continue;
		again |= sarcasm_repeat(ta, a, j);
		thanks |= (t->w->info.flags & TI_THANKS) || text_tok_in(ta, t, job);
		int negated = text_negated_before(ta, j) || (t->flags & TF_NT);
		if ((t->w->info.flags & TI_HASVAL) && t->w->info.valence < 0 && !negated && !(t->w->rule_class & RC_FAULT))
			bad = 1;
		else if (close_negation(ta, a, j) && en_works_verb(t->w))
			bad = 1;
	}
	/* "Superb, only took you six weeks to reply", "a whole month to process a return" */
	if (sarcasm_long_wait(ta, a, b) == 2)
		return 1;
	/* a complaint formula ("Wow, thanks for nothing"), a plain fact of failure ("you hung up
	 * on me twice", "on hold for two hours", "never showed up") */
	bad = bad || sarcasm_formula(ta, a, b);
	/* a longer praising opening ("Brilliant service, ...") with a plain fact of failure only:
	 * "Nice quality build, unlike some cheap junk" compares. (The scans run only with a cue
	 * of sarcasm: most praise is meant.) */
	int phrase = sarcasm_praise_phrase(ta, a, b);
	int sarcastic = (bad && (again || opening)) || ((again || opening || phrase) && text_sarcasm_fact(ta, a, b)) ||
	                (thanks && en_thanks_failure(ta, a, b));
	/* (without an address the cues above have asked text_sarcasm_fact(), which holds
	 * sarcasm_suffered() without a thing that came damaged) */
	if (!sarcastic && sarcasm_addressed(ta, a, b) && !praise_after_contrast(ta, a, b))
		sarcastic = sarcasm_suffered(ta, a, b, 1, 1) || text_sarcasm_fact(ta, a, b);
	return sarcastic && !sarcasm_resolved(ta, a, b);
}

/* 1 if token k of [a, b) starts a clause, or is a conjunction that starts one ("so",
 * "joten", "koska", "because", "but", "mutta"): the limits of a clause for
 * text_circumstance(). */
static int clause_edge(const struct text_analyzer *ta, size_t k)
{
	static const char *const conj[] = {"so", "joten", "koska", "because", "but", "mutta", "mut", "since", NULL};
	const struct text_tok *t = &ta->toks[k];
	return t->type == TT_CLAUSE || t->type == TT_END ||
	       (t->type == TT_WORD && t->norm_len &&
	        first_in(ta->scratch[t->norm_off], L('s') | L('j') | L('k') | L('b') | L('m')) &&
	        text_tok_in(ta, t, conj));
}

/* 1 if sentence [a, b) asks politely outside the tokens [ea, eb) (none when ea == eb): "please",
 * "if possible", a Finnish conditional question ("voisiko", "saisinko", "voisko") or a question
 * ("onko ... ?"), or an English clause opened by a modal with someone to do it ("could someone
 * call me", "can you resend", "how do I update", "is there"; "could it be any worse?" is
 * rhetorical). text_circumstance() asks it. (A modal is looked for only where a clause
 * starts: every word of the sentence is asked.) */
int text_polite_request(const struct text_analyzer *ta, size_t a, size_t b, size_t ea, size_t eb)
{
	static const char *const anywhere[] = {"please", "pls", "plz", "possible", "mahdollista", "mahdollisuus", NULL};
	static const char *const ask_fi[] = {"voisiko", "voisitteko", "voisitko", "voisinko", "saisinko",
	                                     "voinko",  "voisko",     "voiko",    "voitteko", NULL};
	static const char *const modal[] = {"could", "can", "would", "will", "how", "what", "do", NULL};
	static const char *const doer[] = {"you", "u", "someone", "somebody", "anyone", "ya", NULL};
	const int fi = ta->lang == TEXT_LANG_FI;
	for (size_t k = a; k < b; k++) {
		const struct text_tok *t = &ta->toks[k];
		if ((k >= ea && k < eb) || t->type != TT_WORD || !t->w || !t->norm_len)
			continue;
		if (fi && (t->w->info.flags & TI_QUEST) &&
		    ((t->w->info.flags & TI_COND) || (b < ta->ntoks && ta->toks[b].quest)))
			return 1;
		unsigned char c = (unsigned char)ta->scratch[t->norm_off];
		if ((c == 'p' || c == 'm') && text_tok_in(ta, t, anywhere))
			return 1;
		if (!(k == a || ta->toks[k - 1].type != TT_WORD || clause_edge(ta, k - 1)))
			continue;
		if (fi ? c == 'v' || c == 's' ? text_tok_in(ta, t, ask_fi) : 0
		       : first_in(c, L('c') | L('w') | L('h') | L('i') | L('d')) && k + 1 < b &&
		             ((text_tok_in(ta, t, modal) &&
		               (text_tok_in(ta, &ta->toks[k + 1], doer) ||
		                ((text_tok_is(ta, t, "how") || text_tok_is(ta, t, "what")) && k + 2 < b &&
		                 text_tok_is(ta, &ta->toks[k + 2], "i")))) ||
		              (text_tok_is(ta, t, "is") && text_tok_is(ta, &ta->toks[k + 1], "there"))))
			return 1;
	}
	return 0;
}

/*
 * 1 if the word at i, of negative colour, tells the writer's own circumstance beside a polite
 * request in sentence [a, b), not a complaint of the service: the request is a question or a
 * word of asking ("voisiko", "saisinko", "please", "could", "if possible"), and i sits in
 * another clause whose subject is the writer or the writer's own ("Olen kuuro", "poikani on
 * sairaana", "mulla on huono näkö", "I'm 70 and not great with computers", "my phone died",
 * "I have a broken leg"), with no word for the reader in it ("your app is terrible" is a
 * complaint). A feeling stays a feeling ("olen pettynyt", "I'm not happy"), and so does a
 * thing done to the writer ("the courier broke my phone": its subject is the courier).
 */
int text_circumstance(const struct text_analyzer *ta, size_t a, size_t b, size_t i)
{
	static const char *const ask[] = {
	    "please",   "pls",    "plz",    "possible", "voisiko",  "voisitteko",  "voisitko",     "voisinko",
	    "saisinko", "voinko", "voisko", "voiko",    "voitteko", "mahdollista", "mahdollisuus", NULL};
	static const char *const first_en[] = {"i",  "i'm", "im",    "i've", "ive", "i'd",
	                                       "my", "we",  "we're", "our",  "me",  NULL};
	static const char *const first_fi[] = {"minä", "mä",    "mää",    "mie",  "mulla", "minulla", "meillä", "me",
	                                       "mun",  "minun", "meidän", "olen", "oon",   "mul",     NULL};
	static const char *const lead[] = {"and", "also", "ja", "kun", "as", "myös", NULL};
	static const char *const condition[] = {"sairas", "kipeä", "väsynyt", "uupunut", "yksinäinen", NULL};
	static const char *const glad[] = {"happy", "satisfied", "pleased", "glad", "tyytyväinen", "iloinen", NULL};
	/* feelings voikko reads as a verb's participle ("pettynyt" is "pettyä") */
	static const char *const feel[] = {"pettyä",    "suuttua",     "turhautua", "ärsyyntyä",
	                                   "harmistua", "loukkaantua", "hermostua", "järkyttyä",
	                                   "kyllästyä", "raivostua",   NULL};
	const struct text_word *w = ta->toks[i].w;
	if (!w || w->info.valence < -3)
		return 0;
	size_t ca = i, cb = i + 1;
	while (ca > a && !clause_edge(ta, ca - 1))
		ca--;
	while (cb < b && !clause_edge(ta, cb))
		cb++;
	size_t s = ca;
	while (s < cb && (ta->toks[s].type != TT_WORD || text_tok_in(ta, &ta->toks[s], lead)))
		s++;
	if (s >= cb || !ta->toks[s].w)
		return 0;
	const struct text_tok *f = &ta->toks[s];
	int mine = ta->lang == TEXT_LANG_FI
	               ? text_tok_in(ta, f, first_fi) || (f->w->info.flags & TI_FIRST) ||
	                     ((f->w->info.flags & TI_CONTENT) && (norm_ends(ta, f, "ni") || norm_ends(ta, f, "mme")) &&
	                      !(f->w->lemma_len == f->norm_len))
	               : text_tok_in(ta, f, first_en);
	if (!mine || ((w->rule_class & RC_STATE) && !text_lemma_in(w, condition)) || text_lemma_in(w, glad) ||
	    text_lemma_in(w, feel) || text_tok_in(ta, &ta->toks[i], glad))
		return 0;
	for (size_t k = ca; k < cb; k++) {
		const struct text_tok *t = &ta->toks[k];
		if (t->type == TT_WORD && t->w &&
		    (((t->w->info.flags & TI_SECOND) && !(t->w->info.flags & TI_POSS2)) || text_tok_in(ta, t, ask)))
			return 0;
	}
	return text_polite_request(ta, a, b, ca, cb); /* in another clause */
}

/* Finnish: 1 if the second-person word at i only owns a thing: a possessive suffix on a noun
 * ("laskuissanne", "sovelluksesi") or a genitive pronoun before a content word ("teidän
 * laskuissa", "sun sovellus"); "sä", "olette", "teille" address the reader. */
int text_fi_possessive_you(const struct text_analyzer *ta, size_t b, size_t i)
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
int text_match_sends(const struct text_analyzer *ta, const struct text_match *m)
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
int text_en_everyday_violent(const struct text_analyzer *ta, size_t b, size_t i)
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
	/* "I could kill for a coffee": a craving */
	if (i + 1 < b && tok_word_is(ta, i + 1, "for") && i > 0 &&
	    (tok_word_is(ta, i - 1, "could") || tok_word_is(ta, i - 1, "would") || tok_word_is(ta, i - 1, "'d")))
		return 1;
	if (i + 2 >= b || ta->toks[i + 1].type != TT_WORD || ta->toks[i + 2].type != TT_WORD)
		return 0;
	if (text_tok_in(ta, &ta->toks[i + 1], pron) && text_tok_in(ta, &ta->toks[i + 2], art))
		return 1;
	/* an indefinite thing too: "murder a coffee", "shot a video of the damage", "shot some
	 * photos" (a person after it is none: "shoot a cashier") */
	if (!text_tok_in(ta, &ta->toks[i + 1], det) && !text_tok_in(ta, &ta->toks[i + 1], art))
		return 0;
	/* the object: a thing (also a hyphenated one, "the auto-renewal"), not a person; every word
	 * of the noun phrase up to a function word counts ("kill the whole staff" is a person) */
	for (size_t k = i + 2; k < b && ta->toks[k].type == TT_WORD; k++) {
		const struct text_tok *o = &ta->toks[k];
		if (k > i + 2 && o->w && (o->w->info.flags & (TI_FUNC | TI_STOP)))
			break;
		if (!o->w || (o->flags & TF_CAPITAL) || (o->w->rule_class & RC_PERSON_NOUN) ||
		    (o->w->info.flags & (TI_PERSON | TI_SECOND | TI_FIRST | TI_FUNC | TI_STOP | TI_COPULA)))
			return 0;
		for (int c = 0; c < TA_N; c++)
			if (o->w->info.abuse[c] > 0)
				return 0;
	}
	return 1;
}

/* English: 1 if the word at i inside sentence [a, b) is a name, not a swear word: capitalised
 * and introduced as one ("this is Dick from accounts payable", "my name is Dick", "ask for
 * Dick"). A capitalised word before another ("Dick Johnson") is not enough: tweets capitalise
 * words, and that rule lowered OLID half B by 0.0008. */
int text_en_name(const struct text_analyzer *ta, size_t a, size_t b, size_t i)
{
	const struct text_tok *t = &ta->toks[i];
	if (i == a || !(t->flags & TF_CAPITAL))
		return 0;
	/* a given name mid-sentence, after a word in lower case, before a capitalised surname that
	 * is no abusive word, with no capitalised word after that ("send the invoice to Dick
	 * Johnson, our finance manager"; not a tweet's Title Case "You Dick Head") */
	if ((t->flags & (TF_CAPITAL | TF_ALLCAPS)) == TF_CAPITAL && t->w && (t->w->rule_class & RC_GIVEN_NAME) &&
	    i + 1 < b && ta->toks[i - 1].type == TT_WORD && !(ta->toks[i - 1].flags & (TF_CAPITAL | TF_ALLCAPS))) {
		const struct text_tok *n = &ta->toks[i + 1];
		int clean = n->type == TT_WORD && (n->flags & (TF_CAPITAL | TF_ALLCAPS)) == TF_CAPITAL && n->w &&
		            !(n->w->info.flags & TI_HASVAL);
		for (int c = 0; clean && c < TA_N; c++)
			clean = n->w->info.abuse[c] == 0;
		if (clean && (i + 2 >= b || ta->toks[i + 2].type != TT_WORD || !(ta->toks[i + 2].flags & TF_CAPITAL)))
			return 1;
	}
	static const char *const intro[] = { "is", "named", "called", "for", NULL };
	return i >= a + 2 && text_tok_in(ta, &ta->toks[i - 1], intro) &&
	       (text_tok_is(ta, &ta->toks[i - 2], "this") || text_tok_is(ta, &ta->toks[i - 2], "name") ||
		text_tok_is(ta, &ta->toks[i - 2], "ask") || text_tok_is(ta, &ta->toks[i - 2], "guy"));
}

/* The token where match m starts (*k) and its sentence [*a, *b); 0 if no token starts there. */
int text_match_sentence(const struct text_analyzer *ta, const struct text_match *m, size_t *k, size_t *a, size_t *b)
{
	size_t i = text_tok_from(ta, m->start);
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
int text_fi_at_your_end(const struct text_analyzer *ta, size_t mind, long fault)
{
	const struct text_tok *t = &ta->toks[mind];
	static const char iness[] = "päässä";
	return fault >= 0 && (size_t)fault < mind && t->norm_len > sizeof iness - 1 &&
	       !memcmp(ta->scratch + t->norm_off, iness, sizeof iness - 1);
}

/* Among the three words before i (not before a): 1 if one carries every flag in `all` and
 * none in `none`. The scan gives up (0) after a word carrying a flag in `stop`, and at a
 * clause boundary when `clause` is set. */
int text_flags_before(const struct text_analyzer *ta, size_t a, size_t i, uint32_t all, uint32_t none, uint32_t stop,
                      int clause)
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
int text_denied_to_reader(const struct text_analyzer *ta, size_t a, size_t i)
{
	if (text_flags_before(ta, a, i, TI_NEGATOR | TI_SECOND, TI_QUEST, 0, 1))
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

/* Insult word i of sentence [a, b) denied of what it is said of: a negator in its clause with
 * nothing between them but a copula, an article, a Finnish pronoun subject or a word of degree
 * ("Ei hullumpi.", "Ei tyhmä idea.", "ei se ole tyhmä", "Not a stupid question at all.", "it
 * wasn't that stupid", "ei ollut mikään idiootti"). The word then says what the thing or person
 * is not (text_denied_to_reader() reads the reader's "et ole tyhmä"). In English only "not"
 * (not after an auxiliary: "did not hate" denies a verb) and a copula's "-n't" ("isn't",
 * "wasn't") deny, and "no" right after a copula ("he is no idiot"): "no shame" has none. Not an order ("älä ole tyhmä",
 * "don't be an idiot": "be" stops it), a question ("Eikö hän ole tyhmä?", "Isn't he an idiot?", asks), a limit
 * ("not just stupid", "ei vain tyhmä": no such word is allowed between), a quantifier ("ei
 * kaikki ole idiootteja", "not all idiots": some are), a comparison ("ei ole tyhmempää ihmistä
 * kuin sinä", "not a coward like you"), a Finnish subject of a negated verb after it ("ei
 * se idiootti tajua mitään": the verb is denied, not the word), or the word given to another
 * after all ("I'm not the idiot here, you are"). */
int text_insult_denied(const struct text_analyzer *ta, size_t a, size_t b, size_t i, int asks)
{
	/* closed grammar on the surface form: the pronoun subjects a Finnish negation takes
	 * before its copula, and the words of degree or "any" a denial carries */
	static const char *const between[] = {"se", "tämä", "tää", "tuo", "toi", "hän", "ne", "nämä", "mikään",
	                                      "mitään", "yhtään", "kovin", "ollenkaan", "lainkaan", "a", "an", "the",
	                                      "that", "so", "too", "really", "exactly", "even",
	                                      /* the copula's past participle, which voikko reads only as an adjective
	                                       * ("ei ollut tyhmä") */
	                                      "ollut", "olleet", "ollu", NULL};
	static const char *const order[] = {"älä", "älkää", "älköön", "älkööt", NULL};
	static const char *const compare[] = {"kuin", "than", "like", "as", NULL};
	/* English: a copula denies its predicate; an auxiliary's "not" denies a verb ("didn't
	 * hate", "do not suck") */
	static const char *const be_not[] = {"isn't",   "isnt",   "wasn't", "wasnt", "aren't", "arent",
	                                     "weren't", "werent", "ain't",  "aint",  NULL};
	static const char *const aux[] = {"do",    "does",   "did", "will",  "would", "can",
	                                  "could", "should", "may", "might", "must",  NULL};
	if (asks)
		return 0;
	/* the insult given to someone else after all: "I'm not the idiot here, you are", "En minä
	 * ole tyhmä vaan sinä" (the sentence ends in a copula, or in "vaan"/"but" and a "you") */
	size_t last = b, prev = b;
	for (size_t j = i + 1; j < b; j++)
		if (ta->toks[j].type == TT_WORD && ta->toks[j].w) {
			prev = last;
			last = j;
		}
	if (last < b && ((ta->toks[last].w->info.flags & TI_COPULA) ||
	                 ((ta->toks[last].w->info.flags & TI_SECOND) && prev < b &&
	                  (text_tok_is(ta, &ta->toks[prev], "vaan") || text_tok_is(ta, &ta->toks[prev], "but")))))
		return 0;
	for (size_t j = i + 1, clause = 1; j < b; j++) {
		const struct text_tok *p = &ta->toks[j];
		clause &= p->type != TT_CLAUSE;
		if (p->type != TT_WORD || !p->w)
			continue;
		if (text_tok_in(ta, p, compare))
			return 0;
		if (clause && ta->lang == TEXT_LANG_FI && (p->w->info.flags & TI_CONNEG) &&
		    !(p->w->info.flags & TI_COPULA))
			return 0;
	}
	for (size_t j = i, seen = 0; j-- > a && seen < 4;) {
		const struct text_tok *p = &ta->toks[j];
		if (p->type == TT_CLAUSE || p->type == TT_END)
			return 0;
		if (p->type != TT_WORD || !p->w)
			continue;
		seen++;
		uint32_t f = p->w->info.flags;
		if (ta->lang == TEXT_LANG_FI && (f & TI_NEGATOR) && !(f & TI_QUEST))
			return !text_tok_in(ta, p, order);
		if (ta->lang == TEXT_LANG_EN && (text_tok_is(ta, p, "not") || (p->flags & TF_NT)))
			return text_tok_in(ta, p, be_not) ||
			       (text_tok_is(ta, p, "not") && !(j > a && text_tok_in(ta, &ta->toks[j - 1], aux)));
		/* "He is no idiot", "The plumber was no fool": "no" right after a copula denies the
		 * predicate as "not a" does (elsewhere it is a quantifier: "no shame") */
		if (ta->lang == TEXT_LANG_EN && text_tok_is(ta, p, "no"))
			return j > a && ta->toks[j - 1].type == TT_WORD && ta->toks[j - 1].w &&
			       (ta->toks[j - 1].w->info.flags & TI_COPULA) && !text_tok_is(ta, &ta->toks[j - 1], "be");
		if (text_tok_is(ta, p, "be"))
			return 0;
		if (!(f & TI_COPULA) && !text_tok_in(ta, p, between))
			return 0;
	}
	return 0;
}

/* A first-person copula ("olen", "olin", "olemme"; "I am") among the three words before i;
 * in Finnish also a denied one, whose copula voikko reads as the imperative "ole!" ("en ole
 * idiootti", "enkä ole mikään idiootti"). */
int text_first_copula(const struct text_analyzer *ta, size_t a, size_t i)
{
	if (text_flags_before(ta, a, i, TI_COPULA | TI_FIRST, 0, 0, 0))
		return 1;
	for (size_t j = i, seen = 0; j-- > a && seen < 3;) {
		const struct text_tok *p = &ta->toks[j];
		if (p->type != TT_WORD || !p->w)
			continue;
		seen++;
		if ((p->w->info.flags & TI_COPULA) && text_fi_conneg_after_first(ta, a, j))
			return 1;
	}
	return 0;
}

/* Words that open a Finnish letter text_signature: "t.", "terv.", "terveisin", "terkuin". */
int text_signoff_word(const struct text_analyzer *ta, const struct text_tok *t)
{
	/* closed: the formulas and their abbreviations, on the surface form ("t", "terv") */
	static const char *const words[] = { "t", "terv", "terveisin", "terkuin", "terkuil", NULL };
	for (int k = 0; words[k]; k++)
		if (text_tok_is(ta, t, words[k]))
			return 1;
	return 0;
}

/* Sentence [a, b) is the writer's text_signature: the last sentence of a Finnish text, opened by a
 * sign-off word or following a sentence that is only one ("Kiitos avusta. T. Läskit",
 * "Terveisin Idiootti"). A name-calling word there is the writer's own nickname. */
int text_signature(const struct text_analyzer *ta, size_t a, size_t b, int prev_signoff, size_t last_word)
{
	/* last_word: the text's last word token (ntoks if none), found once per text: a text of
	 * thousands of empty sentences (". . . .") made a scan per sentence quadratic */
	if (last_word != ta->ntoks && last_word >= b)
		return 0;
	if (prev_signoff)
		return 1;
	for (size_t j = a; j < b; j++)
		if (ta->toks[j].type == TT_WORD)
			return text_signoff_word(ta, &ta->toks[j]);
	return 0;
}

/* "haista v***u", "haista p.....a", "haistakaa p...": the Finnish imperative "haista" (smell!)
 * before a self-censored word (mask characters inside it, or one or two letters cut off by dots)
 * is the formula "haista vittu/paska" whose writer masked the swear word. Returns the index of
 * the masked word's last token, or 0 when token i does not start one. */
size_t text_masked_haista(const struct text_analyzer *ta, size_t i)
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
int text_agent_noun(const struct text_word *w)
{
	size_t n = ends_with(w, "ja") ? 2 : ends_with(w, "jä") ? 3 : 0;
	if (w->lemma_len >= 7 && n) {
		/* a vowel before the ending ("ä" and "ö" end in 0xa4, 0xb6) */
		unsigned char v = (unsigned char)w->lemma[w->lemma_len - n - 1];
		return (v && strchr("aeiouy", v) != NULL) || v == 0xa4 || v == 0xb6;
	}
	return 0;
}

/*
 * A Finnish adjective of contempt right before a noun for a person: "surkea ihminen",
 * "säälittävä ukko", "inhottava akka", "olette surkeita ihmisiä". These adjectives also judge
 * things ("surkea palvelu"), so they are no insult words; said of a person they are. Returns the
 * index of the person noun, or 0 when word i does not open one (not after a negation: "ei mikään
 * surkea ihminen"; an adjective that is itself an insult word counts already).
 */
size_t text_fi_contempt_person(const struct text_analyzer *ta, size_t b, size_t i)
{
	const struct text_tok *t = &ta->toks[i];
	if (t->type != TT_WORD || !t->w || t->w->info.abuse[TA_INSULT] > 0 || i + 1 >= b ||
	    !(t->w->rule_class & RC_CONTEMPT_ADJ))
		return 0;
	const struct text_tok *n = &ta->toks[i + 1];
	if (n->type != TT_WORD || !n->w || (n->w->info.flags & (TI_FUNC | TI_STOP)) || !person_shaped(n->w) ||
	    text_negated_before(ta, i))
		return 0;
	return i + 1;
}

/* The demonstrative "tuo" (spoken "toi"; any of the forms the lists mark contempt) among the
 * two words before i: "tuo", "tuon", "tuota", "toi", "ton", "tota". */
int text_demonstrative_before(const struct text_analyzer *ta, size_t a, size_t i)
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
 * text_fi_mind_mockery() finds nothing, so the caller skips its scan. */
int text_has_kuin(const struct text_analyzer *ta, size_t a, size_t b)
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
int text_sing2_pronoun(const struct text_analyzer *ta, size_t j)
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
int text_fi_person_in(const struct text_analyzer *ta, size_t a, size_t b)
{
	if (ta->pin_val >= 0 && a == ta->pin_a && b == ta->pin_b)
		return ta->pin_val;
	for (size_t j = a; j < b; j++) {
		const struct text_tok *p = &ta->toks[j];
		if (p->type == TT_WORD && p->w &&
		    ((p->w->info.flags & (TI_SECOND | TI_POSS2 | TI_PERSON)) || person_shaped(p->w) ||
		     text_sing2_pronoun(ta, j)))
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
size_t text_fi_sexual_remark(const struct text_analyzer *ta, size_t a, size_t b)
{
	size_t body = SIZE_MAX;
	for (size_t j = a; j < b && body == SIZE_MAX; j++) { /* a bit test per word first */
		const struct text_tok *t = &ta->toks[j];
		if (t->type != TT_WORD || !t->w || !(t->w->rule_class & RC_SEXUAL) || text_negated_before(ta, j))
			continue;
		/* "olemme rinnallasi", "rinnalleen", "rinnalta": the postposition "beside", which
		 * voikko also reads as a case of "rinta" */
		if (t->norm_len >= 6 && !memcmp(ta->scratch + t->norm_off, "rinnal", 6))
			continue;
		int strict = (t->w->lemma_len == 4 && !memcmp(t->w->lemma, "muna", 4)) ||
			     (t->w->lemma_len == 5 && !memcmp(t->w->lemma, "perse", 5));
		if (!strict || (t->w->info.flags & TI_POSS2) || (j > a && text_sing2_pronoun(ta, j - 1)))
			body = j;
	}
	if (body == SIZE_MAX)
		return SIZE_MAX;
	/* someone else's ("vauvan pylly", "koiran peppu"): a genitive noun right before it */
	const struct text_tok *prev = body > a ? &ta->toks[body - 1] : NULL;
	if (prev && prev->type == TT_WORD && prev->w && !text_sing2_pronoun(ta, body - 1) &&
	    (prev->w->info.flags & TI_CONTENT) && prev->norm_len > 1 &&
	    ta->scratch[prev->norm_off + prev->norm_len - 1] == 'n')
		return SIZE_MAX;
	if (ta->toks[body].w->info.flags & TI_POSS2)
		return body;
	/* the reader near it: four words before ("sulla on varmaan kivat tissit") or two after */
	for (size_t j = body > a + 4 ? body - 4 : a; j < b && j <= body + 2; j++) {
		const struct text_tok *t = &ta->toks[j];
		if (t->type == TT_WORD && t->w &&
		    (text_sing2_pronoun(ta, j) || (t->w->info.flags & TI_POSS2) ||
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
int text_fi_situation_adj(const struct text_analyzer *ta, size_t b, size_t i)
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
int text_fi_quality_noun(const struct text_analyzer *ta, size_t a, size_t b, size_t i)
{
	const struct text_word *w = ta->toks[i].w;
	if (ta->toks[i].type != TT_WORD || !w || w->lemma_len < 5 || text_fi_person_in(ta, a, b))
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
		if (text_sing2_pronoun(ta, k))
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
size_t text_fi_mind_mockery(const struct text_analyzer *ta, size_t a, size_t b, int asks, size_t *z)
{
	int sing2 = 0, skill_q = 0, osata = 0, ext = 0;
	size_t brain = SIZE_MAX, last = SIZE_MAX, head = SIZE_MAX;
	for (size_t j = a; j < b; j++) {
		const struct text_tok *t = &ta->toks[j];
		if (t->type != TT_WORD || !t->w)
			continue;
		uint32_t f = t->w->info.flags;
		int own = text_sing2_pronoun(ta, j);
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
		if ((f & TI_SING2) && (t->w->rule_class & RC_RAVING) && !text_negated_before(ta, j)) {
			*z = j;
			return j;
		}
		/* "sun älykkyysosamäärä", "ÄO:si" */
		if (((t->w->rule_class & RC_IQ) || text_tok_is(ta, t, "äo") || text_tok_is(ta, t, "äo:si")) &&
		    ((f & TI_POSS2) || (j > a && text_sing2_pronoun(ta, j - 1)))) {
			*z = j;
			return j > a && text_sing2_pronoun(ta, j - 1) ? j - 1 : j;
		}
		/* "älykäs kuin kivi", "yhtä fiksu kuin vanha lapanen" */
		if ((t->w->rule_class & RC_SMART) && j + 2 < b && text_tok_is(ta, &ta->toks[j + 1], "kuin")) {
			size_t k = j + 2;
			if (!tok_class(ta, k, RC_DULL) && k + 1 < b) /* "kuin vanha lapanen" */
				k++;
			if (tok_class(ta, k, RC_DULL) && !text_negated_before(ta, j)) {
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
size_t text_name_calling(const struct text_analyzer *ta, size_t b, size_t i)
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
size_t text_next_word(const struct text_analyzer *ta, size_t i, size_t b)
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
	static const char *const out_v[] = {"thrown", "kicked", "throw", "kick", "thrown", NULL};
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
		/* "X should be thrown out (of the country)", "X must be kicked out", "X should be
		 * deported"; not "the muslims were thrown out of the bar" (a report, no modal) */
		if (modal &&
		    (text_tok_is(ta, p, "deported") || (text_tok_in(ta, p, out_v) && text_next_word(ta, j, b) < b &&
		                                        text_tok_is(ta, &ta->toks[text_next_word(ta, j, b)], "out"))))
			return j;
		copula |= text_tok_in(ta, p, cop);
		modal |= text_tok_in(ta, p, must);
		/* "X should go back", "X must be sent home"; not "Muslims go back home for Eid" */
		going |= modal && text_tok_in(ta, p, go);
		/* "X don't belong here", "X shouldn't be allowed to..."; not "X belong to the union",
		 * "X are not allowed to vote" (a rule, said without a modal) */
		size_t nx = text_next_word(ta, j, b);
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
	static const char *const ask[] = {"get",   "put",      "transfer", "talk", "talking",
	                                  "speak", "speaking", "served",   "deal", "connect",
	                                  "want",  "send",     "hire",     "let",  NULL};
	static const char *const det[] = { "a", "an", "some", "real", NULL };
	for (size_t v = a; v < b; v++) {
		const struct text_tok *t = &ta->toks[v];
		if (t->type != TT_WORD || !t->w || !text_tok_in(ta, t, ask))
			continue;
		/* "get me a man", not "I get a woman's point" */
		size_t n = text_next_word(ta, v, b);
		if (text_tok_is(ta, t, "get") && (n >= b || !text_tok_is(ta, &ta->toks[n], "me")))
			continue;
		int refused = en_negated(ta, a, v);
		for (size_t j = next_clause_word(ta, v, b), k = 0; j < b && k < 5; j = next_clause_word(ta, j, b), k++) {
			const struct text_tok *p = &ta->toks[j];
			if (!(p->w->rule_class & RC_GROUP_MEMBER) || !text_tok_in(ta, &ta->toks[j - 1], det))
				continue;
			size_t m = text_next_word(ta, j, b);
			int marked = text_tok_is(ta, &ta->toks[j - 1], "real") ||
				     (m < b && (ta->toks[m].w->rule_class & RC_GROUP_MEMBER));
			if (marked || refused)
				return j;
		}
		/* "..., not some immigrant", "someone who is not a foreigner": refused later on */
		static const char *const these[] = {"these", "those", "the", "all", "any", NULL};
		for (size_t j = v + 2; j < b; j++)
			if (ta->toks[j].type == TT_WORD && ta->toks[j].w &&
			    (ta->toks[j].w->rule_class & RC_GROUP_MEMBER) &&
			    ((text_tok_in(ta, &ta->toks[j - 1], det) && text_tok_is(ta, &ta->toks[j - 2], "not")) ||
			     /* "hire real Finns instead of these immigrants" */
			     (j >= v + 3 && text_tok_in(ta, &ta->toks[j - 1], these) &&
			      text_tok_is(ta, &ta->toks[j - 2], "of") && text_tok_is(ta, &ta->toks[j - 3], "instead"))))
				return j;
	}
	return SIZE_MAX;
}

/* 1 if a word of sentence [a, b) is in rule class cls. */
int text_class_in(const struct text_analyzer *ta, size_t a, size_t b, uint64_t cls)
{
	for (size_t i = a; i < b; i++)
		if (ta->toks[i].type == TT_WORD && ta->toks[i].w && (ta->toks[i].w->rule_class & cls))
			return 1;
	return 0;
}

/* 1 if token i is a word for women or men as a sex (closed set: "naiset", "akat", "miehet";
 * "women", "girls", "men"), the groups of the stock slanders of ability. */
static int sex_group_word(const struct text_analyzer *ta, size_t i, int ll)
{
	static const char *const en[] = {"women", "woman", "girls", "ladies", "females", "men", "guys", NULL};
	static const char *const fi[] = {"nainen", "mies", "akka", "ämmä", "muija", "tyttö", "äijä", NULL};
	const struct text_tok *t = &ta->toks[i];
	if (t->type != TT_WORD || !t->w)
		return 0;
	if (ll == TEXT_LL_EN)
		return text_tok_in(ta, t, en);
	for (int k = 0; fi[k]; k++) /* (the first byte first: this runs for every Finnish word) */
		if (t->w->lemma_len && t->w->lemma[0] == fi[k][0] && t->w->lemma_len == strlen(fi[k]) &&
		    !memcmp(t->w->lemma, fi[k], t->w->lemma_len))
			return (t->w->info.flags & TI_PLURAL) != 0; /* "naiset", not "se nainen" */
	return 0;
}

/*
 * The token of a stock slander of a sex's ability, or SIZE_MAX: women or men as a bare group
 * subject opening the clause ("Women can't drive.", "Naiset ei osaa korjata autoja.") and then
 * a denied ability: English "can't"/"cannot" and a verb with at most a bare object ("Women can't
 * use the men's sauna" is a rule: a determiner after the verb), Finnish a negator and "osata"
 * (know how to). "My wife can't drive" is about one person; "women can't believe it" is not
 * said of the group's ability (a verb of thinking: "believe", "wait", "stop").
 */
size_t text_sex_ability_slander(const struct text_analyzer *ta, size_t a, size_t b, int ll)
{
	static const char *const cant[] = {"can't", "cant", "cannot", NULL};
	static const char *const feel[] = {"believe", "wait", "stop", "help", "stand", "resist", NULL};
	for (size_t g = a; g < b; g++) {
		if (!sex_group_word(ta, g, ll))
			continue;
		/* the clause's first word: "Women can't", "Honestly, women can't" */
		if (g > a && ta->toks[g - 1].type == TT_WORD)
			continue;
		size_t n = text_next_word(ta, g, b), v = n < b ? text_next_word(ta, n, b) : b;
		if (v >= b)
			continue;
		if (ll == TEXT_LL_EN) {
			if (!text_tok_in(ta, &ta->toks[n], cant) || text_tok_in(ta, &ta->toks[v], feel))
				continue;
			int after = 0, bare = 1;
			for (size_t j = v + 1; j < b && ta->toks[j].type != TT_CLAUSE; j++)
				if (ta->toks[j].type == TT_WORD && ta->toks[j].w) {
					bare &= !is_article(ta->toks[j].w) && !(ta->toks[j].w->info.flags & TI_FUNC);
					after++;
				}
			if (bare && after <= 2)
				return g;
			continue;
		}
		const struct text_word *nw = ta->toks[n].w, *vw = ta->toks[v].w;
		if ((nw->info.flags & TI_NEGATOR) && !(nw->info.flags & TI_QUEST) && vw->lemma_len == 5 &&
		    !memcmp(vw->lemma, "osata", 5))
			return g;
	}
	return SIZE_MAX;
}

/* English: the token of a call to send the reader back to a place by name ("People like you
 * should go back to Africa", "Go back to Somalia"), or SIZE_MAX: "go/get/be sent back to" and a
 * capitalised place, opening the sentence or after a modal, in a sentence with a second person
 * ("I should go back to London" is the writer's plan; "you can go back to the store" names no
 * country; "Go back to Settings and tap Save" is an instruction). */
static size_t en_sent_back(const struct text_analyzer *ta, size_t a, size_t b)
{
	static const char *const go[] = {"go", "get", "sent", "send", "shipped", NULL};
	static const char *const must[] = {"should", "must", "need", "needs", "gotta", "ought", "can", NULL};
	int second = 0, modal = 0, back = 0;
	/* (most sentences have no "back": one look each first, as this runs for every sentence) */
	for (size_t j = a; j < b && !back; j++)
		back = text_tok_is(ta, &ta->toks[j], "back");
	if (!back)
		return SIZE_MAX;
	for (size_t j = a; j < b; j++) {
		const struct text_tok *t = &ta->toks[j];
		if (t->type != TT_WORD || !t->w)
			continue;
		second |= (t->w->info.flags & TI_SECOND) != 0;
		modal |= text_tok_in(ta, t, must);
		size_t k = text_next_word(ta, j, b), to = k < b ? text_next_word(ta, k, b) : b,
		       place = to < b ? text_next_word(ta, to, b) : b;
		/* "Go back to Africa." as a whole sentence; "Go back to Settings and tap Save" is an
		 * instruction */
		if (place < b && text_tok_in(ta, t, go) && (modal || j == a) && text_tok_is(ta, &ta->toks[k], "back") &&
		    text_tok_is(ta, &ta->toks[to], "to") && (ta->toks[place].flags & TF_CAPITAL) &&
		    (second || text_next_word(ta, place, b) >= b))
			return place;
	}
	return SIZE_MAX;
}

/* The token of an English identity attack by construction in the sentence [a, b), or SIZE_MAX. */
size_t text_en_group_attack(const struct text_analyzer *ta, size_t a, size_t b)
{
	size_t z = text_sex_ability_slander(ta, a, b, TEXT_LL_EN);
	if (z != SIZE_MAX || (z = en_sent_back(ta, a, b)) != SIZE_MAX)
		return z;
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
		/* a weak group adjective ("disabled", "handicapped", "elderly": -ed and -ly forms)
		 * before a content word that is no person describes a thing: "the disabled toilet was
		 * filthy"; "disabled people" are people ("women belong" has a verb after a noun) */
		size_t n = next_clause_word(ta, g, b);
		if (t->w->info.idgroup < 0.8f && (norm_ends(ta, t, "ed") || norm_ends(ta, t, "ly")) && n < b &&
		    (ta->toks[n].w->info.flags & TI_CONTENT) &&
		    !(ta->toks[n].w->info.flags & (TI_FUNC | TI_MODAL | TI_COPULA | TI_NEGATOR)) &&
		    !(ta->toks[n].flags & TF_NT) && !text_en_person_tok(&ta->toks[n], 1) &&
		    ta->toks[n].w->info.idgroup <= 0)
			continue;
		if ((z = en_group_slander(ta, a, b, g)) != SIZE_MAX)
			return z;
	}
	return member ? en_group_demand(ta, a, b) : SIZE_MAX;
}

/* text25: identity attacks with no slur, by who is named and what is said of them. */

/* 1 if token i is a word token whose lemma is one of lemmas (NULL-terminated). */
static int lemma_in(const struct text_analyzer *ta, size_t i, const char *const *lemmas)
{
	for (int k = 0; lemmas[k]; k++)
		if (lemma_is(&ta->toks[i], lemmas[k], strlen(lemmas[k])))
			return 1;
	return 0;
}

/* 1 if token i is a word of the sentence with a second-person marker (not only a suffix on a
 * noun of the writer's own: "sun", "teidän", "kaltaisesi") */
static int second_at(const struct text_analyzer *ta, size_t i)
{
	const struct text_tok *t = &ta->toks[i];
	return t->type == TT_WORD && t->w && (t->w->info.flags & (TI_SECOND | TI_POSS2));
}

/*
 * The reader named as one of a kind, or SIZE_MAX: the token after which what is said of the
 * kind follows. English "people/someone/women like you", "the likes of you", "your kind/type/
 * sort/lot" before a verb ("your kind words" is a noun phrase), "you people", "a woman/someone
 * your age"; Finnish "sun/teidän kaltaiset", "kaltaisesi", "sinunlaiset", "teikäläiset",
 * "tollaset kuin sä", "sun ikäisesi", "te" + a plural group word ("te venäläiset"). The
 * writer's own kind ("people like me", "kaltaiseni", "meidän kaltaiset") is no one here.
 */
static size_t reader_kind_at(const struct text_analyzer *ta, size_t b, size_t i, int ll)
{
	const struct text_tok *t = &ta->toks[i];
	if (t->type != TT_WORD || !t->w)
		return SIZE_MAX;
	size_t n = text_next_word(ta, i, b);
	if (ll == TEXT_LL_EN) {
		static const char *const kind[] = {"kind", "type", "sort", "lot", NULL};
		static const char *const who[] = {"people", "folks", "person", "someone", "somebody",
		                                  "anyone", "guys",  "ones",   "likes",   NULL};
		static const char *const age[] = {"age", NULL};
		if (n >= b)
			return SIZE_MAX;
		const struct text_tok *x = &ta->toks[n];
		/* "people like you", "the likes of you", "women like you" */
		if ((text_tok_in(ta, t, who) || (t->w->rule_class & RC_GROUP_MEMBER) || t->w->info.idgroup > 0) &&
		    (text_tok_is(ta, x, "like") || text_tok_is(ta, x, "of"))) {
			size_t y = text_next_word(ta, n, b);
			if (y < b && (text_tok_is(ta, &ta->toks[y], "you") || text_tok_is(ta, &ta->toks[y], "u")) &&
			    (text_tok_is(ta, x, "like") || text_tok_is(ta, t, "likes")))
				return y;
		}
		/* "your kind are...", "your type can't..."; not "your kind words" */
		if (text_tok_is(ta, t, "your") && text_tok_in(ta, x, kind)) {
			size_t y = text_next_word(ta, n, b);
			if (y >= b || (ta->toks[y].w->info.flags & (TI_MODAL | TI_COPULA | TI_NEGATOR)) ||
			    (ta->toks[y].flags & TF_NT) || !(ta->toks[y].w->info.flags & TI_CONTENT) ||
			    norm_ends(ta, &ta->toks[y], "ing"))
				return n;
		}
		/* "you people ..." (not "you guys", friendly) */
		if (text_tok_is(ta, t, "you") && text_tok_is(ta, x, "people"))
			return n;
		/* "a woman your age", "someone your age" */
		if ((text_tok_in(ta, t, who) || (t->w->rule_class & RC_GROUP_MEMBER)) && text_tok_is(ta, x, "your")) {
			size_t y = text_next_word(ta, n, b);
			if (y < b && text_tok_in(ta, &ta->toks[y], age))
				return y;
		}
		return SIZE_MAX;
	}
	static const char *const kind_fi[] = {"kaltainen", "sinunlainen", "teidänlainen", "teikäläinen", "sunlainen",
	                                      "ikäinen",   NULL};
	static const char *const such[] = {"tollaset", "tollaiset", "tuollaiset", "tämmöset",
	                                   "tommoset", "sellaiset", "semmoset",   NULL};
	static const char *const you[] = {"sä", "sinä", "te", "sie", "työ", NULL};
	/* "sun kaltaiset", "kaltaisesi", "sinunlaiset", "teikäläiset", "sun ikäisesi" */
	if (lemma_in(ta, i, kind_fi)) {
		int own = LEMMA_IS(t, "sinunlainen") || LEMMA_IS(t, "teidänlainen") || LEMMA_IS(t, "teikäläinen") ||
		          LEMMA_IS(t, "sunlainen");
		if (own || second_at(ta, i) || (i > 0 && second_at(ta, i - 1)))
			return i;
		return SIZE_MAX;
	}
	/* "tollaset kuin sä" */
	if (text_tok_in(ta, t, such) && n < b && text_tok_is(ta, &ta->toks[n], "kuin")) {
		size_t y = text_next_word(ta, n, b);
		if (y < b && text_tok_in(ta, &ta->toks[y], you))
			return y;
	}
	/* "te venäläiset", "te maahanmuuttajat" */
	if ((text_tok_is(ta, t, "te") || text_tok_is(ta, t, "työ")) && n < b && ta->toks[n].w->info.idgroup >= 0.8f &&
	    (ta->toks[n].w->info.flags & TI_PLURAL))
		return n;
	return SIZE_MAX;
}

/* 1 if word token p says something hostile of the reader's kind as a kind ("are ruining this
 * country", "pilaa tämän maan"): a valence of -2 or lower that is no name called ("You people
 * are all morons" is an insult) and no violent verb ("Sun kaltaiset pitäis ampua" is a threat) */
static int hostile_verdict(const struct text_tok *p)
{
	return p->w->info.valence <= -2 && p->w->info.abuse[TA_INSULT] <= 0 && p->w->info.abuse[TA_THREAT] <= 0 &&
	       p->w->info.abuse[TA_IDENTITY] <= 0 && p->w->info.abuse[TA_OBSCENE] <= 0;
}

/*
 * English: the token of a verdict that shuts a kind of people out, or SIZE_MAX, among the words
 * of the clause after token g: a negated modal before a verb of being let in, hired or working
 * there ("shouldn't be allowed/hired/teaching", "should never have been hired"; not "shouldn't
 * have to wait", sympathy), a negated "belong" ("don't belong in this job"), "go back" or "be
 * sent back/home" after a modal; and, for the reader's kind only (reader), what is said of them
 * as a kind: "are all the same", "can't be trusted", a hostile word (valence -2 or lower or a
 * group slander: "are ruining everything"), "should be at home/retired".
 */
static size_t en_shut_out(const struct text_analyzer *ta, size_t g, size_t b, int reader)
{
	static const char *const let_in[] = {"allowed", "hired",   "employed", "teaching", "teach", "working",
	                                     "work",    "serving", "serve",    "let",      "here",  "near",
	                                     "around",  "touch",   "touching", "handling", NULL};
	static const char *const must[] = {"should", "shouldn't", "shouldnt", "must",  "mustn't",
	                                   "can't",  "cant",      "cannot",   "ought", NULL};
	static const char *const home[] = {"home", "retired", "kitchen", NULL};
	int modal = 0, neg = 0, n = 0;
	for (size_t j = next_clause_word(ta, g, b); j < b && n < 7; j = next_clause_word(ta, j, b), n++) {
		const struct text_tok *p = &ta->toks[j];
		int is_neg = (p->w->info.flags & TI_NEGATOR) || (p->flags & TF_NT) ||
		             text_tok_in(ta, p,
		                         (const char *const[]){"shouldn't", "shouldnt", "mustn't", "can't", "cant",
		                                               "cannot", NULL});
		if (text_tok_in(ta, p, must))
			modal = 1;
		neg |= is_neg;
		/* "shouldn't have to", "can't wait": sympathy and eagerness */
		if (text_tok_is(ta, p, "to") || text_tok_is(ta, p, "wait"))
			return SIZE_MAX;
		if (modal && neg && text_tok_in(ta, p, let_in) &&
		    (reader || !text_tok_in(ta, p, (const char *const[]){"work", "here", "near", "around", NULL})))
			return j;
		/* "don't belong in this job"; not "don't belong to any union" */
		if (neg && text_tok_is(ta, p, "belong") &&
		    !(text_next_word(ta, j, b) < b && text_tok_is(ta, &ta->toks[text_next_word(ta, j, b)], "to")))
			return j;
		if (modal && !neg && (text_tok_is(ta, p, "back") || (reader && text_tok_in(ta, p, home))))
			return j;
		if (!reader)
			continue;
		if (text_tok_is(ta, p, "same") || (neg && text_tok_is(ta, p, "trusted")) ||
		    (p->w->rule_class & RC_GROUP_SLUR) || (!neg && hostile_verdict(p)))
			return j;
	}
	return SIZE_MAX;
}

/*
 * Finnish: the token of a verdict that shuts a kind of people out, or SIZE_MAX, in the sentence
 * [a, b) whose group word is at g: a negated modal or permission ("ei pitäisi", "ei saa") before
 * a verb of letting in, hiring or working ("päästää", "palkata", "olla töissä", "tehdä tätä
 * työtä"; not "ei pitäisi joutua jonottamaan", sympathy), "ei kuulu tänne", a modal with sending
 * back ("pitäisi lähettää takaisin kotimaahan"); for the reader's kind (reader) also "(kaikki)
 * samanlaisia", "ei osaa mitään", "pitäisi olla kotona/eläkkeellä" and a hostile word.
 */
static size_t fi_shut_out(const struct text_analyzer *ta, size_t a, size_t b, size_t g, int reader)
{
	static const char *const must[] = {"pitää", "saada", "kuulua", "voida", NULL};
	static const char *const let_in[] = {"päästää",      "antaa",   "palkata", "olla",   "tehdä",
	                                     "työskennellä", "opettaa", "koskea",  "hoitaa", "palvella",
	                                     "ottaa",        "saada",   NULL};
	static const char *const belong_to[] = {"tänne", "tähän", "suomeen", "töihin", "meille", "joukkoon", NULL};
	static const char *const send[] = {"lähettää", "palauttaa", "passittaa", "heittää", "potkia", "ajaa", NULL};
	static const char *const back[] = {"takaisin",     "takas",      "takasin", "kotimaahan", "kotimaahansa",
	                                   "kotimaahanne", "kotimaahas", "maasta",  "pois",       NULL};
	static const char *const home[] = {"kotona", "eläkkeellä", "kotiin", NULL};
	static const char *const same[] = {"samanlaisia", "samanlaisii", "samanlaiset", "samaa", NULL};
	int neg = 0, modal = 0;
	for (size_t j = a; j < b; j++) {
		const struct text_tok *p = &ta->toks[j];
		if (p->type == TT_CLAUSE && j > g)
			break; /* the verdict is said in the group word's clause */
		if (p->type == TT_CLAUSE) {
			neg = modal = 0;
			continue;
		}
		if (p->type != TT_WORD || !p->w || j == g)
			continue;
		uint32_t f = p->w->info.flags;
		if ((f & TI_NEGATOR) && !(f & TI_QUEST)) {
			neg = 1;
			continue;
		}
		if (lemma_in(ta, j, must) ||
		    text_tok_in(ta, p, (const char *const[]){"pitäis", "pitäs", "kuulu", NULL})) {
			/* "ei kuulu tänne", "ei kuulu asiakaspalveluun" */
			size_t n = text_next_word(ta, j, b);
			if (neg && (LEMMA_IS(p, "kuulua") || text_tok_is(ta, p, "kuulu")) && n < b &&
			    (text_tok_in(ta, &ta->toks[n], belong_to) || norm_ends(ta, &ta->toks[n], "palveluun")))
				return j;
			modal = !LEMMA_IS(p, "kuulua") && !text_tok_is(ta, p, "kuulu");
			continue;
		}
		if (j < g && !reader)
			continue; /* the verb of exclusion follows the group or the modal */
		/* "ei pitäisi päästää", "ei saa koskea"; not "ei pitäisi joutua odottamaan" */
		if (modal && neg && lemma_in(ta, j, let_in))
			return j;
		/* "pitäisi lähettää takaisin", "pitäis heittää maasta" */
		if (modal && !neg && lemma_in(ta, j, send)) {
			for (size_t k = j + 1, seen = 0; k < b && seen < 3; k++)
				if (ta->toks[k].type == TT_WORD && ++seen && text_tok_in(ta, &ta->toks[k], back))
					return j;
		}
		if (!reader)
			continue;
		if ((modal && !neg && text_tok_in(ta, p, home)) || text_tok_in(ta, p, same) ||
		    (neg && LEMMA_IS(p, "osata")) || (!neg && hostile_verdict(p)))
			return j;
	}
	return SIZE_MAX;
}

/*
 * A Finnish refusal of someone for their origin or faith, or SIZE_MAX: "en halua" with a group
 * word of weight 0.8 or more after it in its sentence ("en halua puhua ulkomaalaisen kanssa",
 * "en halua että joku maahanmuuttaja tulee kotiin"), or an order to send or hire with "eikä"
 * before a group word or a demonstrative plural ("palkatkaa suomalaisia eikä maahanmuuttajia",
 * "lähettäkää oikea asentaja eikä noita"). A wish for a woman or a man (a doctor, for a
 * medical reason) names no such group: the sex words weigh less.
 */
static size_t fi_refused_member(const struct text_analyzer *ta, size_t a, size_t b)
{
	static const char *const order[] = {"palkata", "lähettää", "valita", "ottaa", "antaa", "laittaa", NULL};
	static const char *const those[] = {"noita", "niitä", "näitä", "tollasia", "tollaisia", "tuollaisia", NULL};
	int refuse = 0, ordered = 0;
	for (size_t j = a; j < b; j++) {
		const struct text_tok *p = &ta->toks[j];
		if (p->type != TT_WORD || !p->w)
			continue;
		uint32_t f = p->w->info.flags;
		if (text_tok_is(ta, p, "en")) {
			size_t n = text_next_word(ta, j, b);
			refuse |= n < b && LEMMA_IS(&ta->toks[n], "haluta");
		}
		ordered |= (f & TI_IMPER) && !(f & TI_PAST) && lemma_in(ta, j, order);
		if (p->w->info.idgroup >= 0.8f && !(p->w->rule_class & RC_VERMIN) && refuse)
			return j;
		if (ordered && text_tok_is(ta, p, "eikä") && j + 1 < b) {
			/* "eikä maahanmuuttajia", "eikä mitään ulkomaalaista" */
			for (size_t n = text_next_word(ta, j, b), k = 0; n < b && k < 2;
			     n = text_next_word(ta, n, b), k++)
				if (ta->toks[n].w->info.idgroup >= 0.8f || text_tok_in(ta, &ta->toks[n], those))
					return n;
		}
	}
	return SIZE_MAX;
}

/*
 * The token of an identity attack by who is named and what is said of them (text25), or
 * SIZE_MAX; *reader is set when the reader is named as one of the kind. A group word (weight 0.8
 * or more, an English group_member, a sex word) or the reader's kind (reader_kind_at()) with a
 * verdict that shuts them out (en_shut_out(), fi_shut_out()), and the Finnish refusals
 * (fi_refused_member()). Said of the writer's own kind or told of ("the guard said people like
 * me don't belong here") it is none: the caller skips reported sentences.
 */
size_t text_group_shut_out(const struct text_analyzer *ta, size_t a, size_t b, int ll, int *reader)
{
	*reader = 0;
	for (size_t g = a; g < b; g++) {
		const struct text_tok *t = &ta->toks[g];
		if (t->type != TT_WORD || !t->w)
			continue;
		size_t k = reader_kind_at(ta, b, g, ll), z;
		if (k != SIZE_MAX) {
			z = ll == TEXT_LL_EN ? en_shut_out(ta, k, b, 1) : fi_shut_out(ta, a, b, k, 1);
			if (z != SIZE_MAX) {
				*reader = 1;
				return k;
			}
			continue;
		}
		int group = (t->w->info.idgroup >= 0.8f && !(t->w->rule_class & RC_VERMIN)) ||
		            (t->w->rule_class & RC_GROUP_MEMBER) || sex_group_word(ta, g, ll);
		if (!group)
			continue;
		z = ll == TEXT_LL_EN ? en_shut_out(ta, g, b, 0) : fi_shut_out(ta, a, b, g, 0);
		if (z != SIZE_MAX)
			return g;
	}
	return ll == TEXT_LL_FI ? fi_refused_member(ta, a, b) : SIZE_MAX;
}

/* text25b: a group generalised against, the reader put down for their group, a group likened to
 * vermin or disease, with no slur. */

/* 1 if token i is a Finnish word for women or men as a sex, in either number ("nainen",
 * "naiset"): "tyypillinen nainen" generalises as "naiset" does. */
static int fi_sex_lemma(const struct text_tok *t)
{
	static const char *const fi[] = {"nainen", "mies", "akka", "ämmä", "muija", "äijä", NULL};
	if (t->type != TT_WORD || !t->w || !t->w->lemma_len)
		return 0;
	/* (length and first byte first: this runs for every Finnish word) */
	size_t n = t->w->lemma_len;
	char c = t->w->lemma[0];
	return n >= 4 && n <= 6 && (c == 'n' || c == 'm' || c == 'a' || c == '\xc3') && text_lemma_in(t->w, fi);
}

/* 1 if token t is an English word for people that a group adjective may qualify: "people",
 * "folks", a person noun or a staff noun ("Somali drivers", "old people", "Indian staff"). */
static int en_people_word(const struct text_analyzer *ta, const struct text_tok *t)
{
	static const char *const folk[] = {"people", "folks",   "folk",  "guys", "men",  "women", "ladies",
	                                   "staff",  "workers", "girls", "boys", "lads", "kids",  NULL};
	return t->type == TT_WORD && t->w &&
	       (text_tok_in(ta, t, folk) || (t->w->rule_class & (RC_PERSON_NOUN | RC_STAFF)) ||
	        (norm_ends(ta, t, "ers") && (t->w->info.flags & TI_CONTENT)));
}

/*
 * 1 if token i names a group of people by who they are: a group noun of weight 0.8 or more (not
 * vermin), a group_member word (origins, faiths, ages, disabilities), a word for women or men as
 * a sex; English "old"/"older" and a capitalised "Polish" before a word for people ("old folks",
 * "Polish workers"); Finnish "vanhat ihmiset".
 */
static int group_word_at(const struct text_analyzer *ta, size_t i, size_t b, int ll)
{
	const struct text_tok *t = &ta->toks[i];
	if (t->type != TT_WORD || !t->w)
		return 0;
	if ((t->w->info.idgroup >= 0.8f && !(t->w->rule_class & RC_VERMIN)) || (t->w->rule_class & RC_GROUP_MEMBER))
		return 1;
	if (ll == TEXT_LL_FI) {
		if (fi_sex_lemma(t))
			return 1;
		if (!LEMMA_IS(t, "vanha") || !(t->w->info.flags & TI_PLURAL))
			return 0;
		size_t n = text_next_word(ta, i, b);
		return (n < b && (LEMMA_IS(&ta->toks[n], "ihminen") || LEMMA_IS(&ta->toks[n], "ukko") ||
		                  LEMMA_IS(&ta->toks[n], "mummo")));
	}
	if (sex_group_word(ta, i, ll))
		return 1;
	if (!text_tok_is(ta, t, "old") && !text_tok_is(ta, t, "older") &&
	    !(text_tok_is(ta, t, "polish") && (t->flags & TF_CAPITAL)))
		return 0;
	size_t n = text_next_word(ta, i, b);
	return n < b && en_people_word(ta, &ta->toks[n]);
}

/* 1 if token t generalises: "all", "always", "never", "every", "typical"; "kaikki", "aina",
 * "ikinä", "koskaan", "jokainen", "tyypillinen", "yksikään". */
static int generic_marker(const struct text_analyzer *ta, const struct text_tok *t, int ll)
{
	static const char *const en[] = {"all", "always", "never", "every", "typical", "any", NULL};
	static const char *const fi[] = {"kaikki",   "aina",        "ikinä",    "koskaan",
	                                 "jokainen", "tyypillinen", "yksikään", NULL};
	return t->type == TT_WORD && t->w && (ll == TEXT_LL_EN ? text_tok_in(ta, t, en) : text_lemma_in(t->w, fi));
}

/*
 * The last token of the noun phrase of a group named as a whole at g ("Immigrants", "A Muslim",
 * "every foreigner", "Somali drivers", "your Indian call centre staff", "Naiset", "Virolaiset
 * rakentajat", "ulkomaalainen siivooja" with a generalising word), or SIZE_MAX: one person ("my
 * Polish husband", "the Muslim guy", "mun vaimo") is no group. English: a plural, or a singular
 * after "a", "an", "every", "any", "typical"; a group adjective takes the word for people after
 * it (up to two words between). Finnish: a plural, or a singular with a generalising word in its
 * clause (*marker is set when the clause has one).
 */
static size_t group_phrase_end(const struct text_analyzer *ta, size_t a, size_t b, size_t g, int ll, int marker)
{
	static const char *const own_en[] = {"my", "our", "his", "her", "me", "this", "that", "the", NULL};
	static const char *const own_fi[] = {"mun", "minun", "meidän", "mein", "hänen", "sen", "tää", "tämä", NULL};
	static const char *const det_en[] = {"a", "an", "every", "any", "typical", NULL};
	const struct text_tok *t = &ta->toks[g];
	const struct text_tok *p = g > a && ta->toks[g - 1].type == TT_WORD ? &ta->toks[g - 1] : NULL;
	if (ll == TEXT_LL_FI) {
		if (p && text_tok_in(ta, p, own_fi))
			return SIZE_MAX;
		size_t h = g, n = next_clause_word(ta, g, b);
		/* "Virolaiset rakentajat", "ulkomaalainen siivooja": the noun after a group word */
		if (n < b && (ta->toks[n].w->info.flags & TI_NOMINAL) && !(ta->toks[n].w->info.flags & TI_ADJ) &&
		    ((ta->toks[n].w->rule_class & (RC_PERSON_NOUN | RC_STAFF)) || person_shaped(ta->toks[n].w) ||
		     LEMMA_IS(&ta->toks[n], "ihminen")))
			h = n;
		if ((ta->toks[h].w->info.flags & TI_PLURAL) || marker)
			return h;
		return SIZE_MAX;
	}
	if (p && text_tok_in(ta, p, own_en) && !(text_tok_is(ta, p, "the") && norm_ends(ta, t, "s")))
		return SIZE_MAX;
	size_t h = g;
	for (size_t j = next_clause_word(ta, g, b), k = 0; j < b && k < 3; j = next_clause_word(ta, j, b), k++) {
		if (en_people_word(ta, &ta->toks[j])) {
			h = j;
			break;
		}
		if (!(ta->toks[j].w->info.flags & TI_CONTENT) || (ta->toks[j].w->info.flags & (TI_FUNC | TI_MODAL)) ||
		    ta->toks[j].w->info.valence != 0)
			break;
	}
	const struct text_tok *ht = &ta->toks[h];
	int plural = (norm_ends(ta, ht, "s") && !norm_ends(ta, ht, "ss")) || text_tok_is(ta, ht, "people") ||
	             text_tok_is(ta, ht, "men") || text_tok_is(ta, ht, "women") || text_tok_is(ta, ht, "staff") ||
	             text_tok_is(ta, ht, "folk") || text_tok_is(ta, ht, "chinese") || text_tok_is(ta, ht, "roma");
	if (plural || (p && text_tok_in(ta, p, det_en)) || marker)
		return h;
	return SIZE_MAX;
}

/* 1 if token t is a verb of what befalls the subject, not what they do: "suffer", "face", "get",
 * "struggle", "have to", "need", "deserve"; "kärsiä", "kohdata", "joutua", "saada", "kokea",
 * "tarvita", "ansaita": "Immigrants face racism", "Vanhukset joutuvat odottamaan". */
static int befalls_verb(const struct text_analyzer *ta, const struct text_tok *t, int ll)
{
	static const char *const en[] = {
	    "suffer",     "suffers", "suffered", "suffering", "face",       "faced", "facing", "get",     "gets",
	    "got",        "getting", "receive",  "struggle",  "struggling", "need",  "needs",  "deserve", "have",
	    "experience", "feel",    "feels",    "felt",      "find",       "fear",  NULL};
	static const char *const fi[] = {"kärsiä",  "kohdata", "joutua", "saada",      "kokea", "tarvita",
	                                 "ansaita", "pelätä",  "tuntea", "kamppailla", NULL};
	return t->type == TT_WORD && t->w && (ll == TEXT_LL_EN ? text_tok_in(ta, t, en) : text_lemma_in(t->w, fi));
}

/*
 * The token of what is said against a group named as a whole, or SIZE_MAX, among the words of
 * the clause after its noun phrase [g, h]: a stock slander (a group_slur word: "are lazy",
 * "varastaa", "laiskoja"); trust denied ("cannot be trusted", "ei voi luottaa" with the group as
 * the one trusted); an excess after a copula ("are too emotional to", "on liian tunteellisia");
 * a duty never done ("never pay their bills", "ei ikinä maksa"); an ability denied even so
 * ("can't even park", "ei osaa edes"); and, with a generalising word ("all", "always", "aina",
 * "kaikki"), any word of valence -2 or lower, an insult or a swear word ("Romanians always steal",
 * "Muslimit valehtelee aina"). Not after a verb of what befalls them ("Immigrants face
 * racism"), a passive ("are ignored", "syrjitään"), or a negation of a slander ("are not lazy").
 */
static size_t group_slander_said(const struct text_analyzer *ta, size_t a, size_t b, size_t g, size_t h, int ll,
                                 int marker)
{
	static const char *const duty_en[] = {"pay",    "work",  "wash",    "shower", "clean", "learn",     "tip",
	                                      "listen", "speak", "respect", "follow", "obey",  "integrate", NULL};
	static const char *const duty_fi[] = {"maksaa",   "tehdä",   "työskennellä", "pestä",       "peseytyä",
	                                      "siivota",  "oppia",   "kuunnella",    "kunnioittaa", "noudattaa",
	                                      "sopeutua", "totella", "kotoutua",     "puhua",       NULL};
	static const char *const spans[] = {"much",    "many",  "often",   "few",      "little",    "late",   "early",
	                                    "long",    "far",   "soon",    "busy",     "kauan",     "paljon", "vähän",
	                                    "myöhään", "usein", "pitkään", "aikaisin", "kiireisiä", NULL};
	int neg = 0, copula = 0, never = 0, n = 0;
	for (size_t j = next_clause_word(ta, h, b); j < b && n < 8; j = next_clause_word(ta, j, b), n++) {
		const struct text_tok *p = &ta->toks[j];
		const struct text_info *in = &p->w->info;
		/* trust denied, the group the one trusted: "Russians cannot be trusted" */
		if (neg && (ll == TEXT_LL_EN ? text_tok_is(ta, p, "trusted") : LEMMA_IS(p, "luottaa")) &&
		    (ll == TEXT_LL_EN || norm_ends(ta, &ta->toks[g], "in") || norm_ends(ta, &ta->toks[g], "en")))
			return j;
		if (befalls_verb(ta, p, ll) ||
		    (ll == TEXT_LL_FI && (in->flags & TI_IMPER) && !(in->flags & TI_NEGATOR)) ||
		    (ll == TEXT_LL_EN && copula && norm_ends(ta, p, "ed")))
			return SIZE_MAX;
		int is_neg = ((in->flags & TI_NEGATOR) && !(in->flags & TI_QUEST)) || (p->flags & TF_NT) ||
		             text_tok_is(ta, p, "cannot");
		if (is_neg || text_tok_is(ta, p, "never")) {
			neg = 1;
			never |= text_tok_is(ta, p, "never");
			continue;
		}
		never |= neg && (text_tok_is(ta, p, "ikinä") || text_tok_is(ta, p, "koskaan"));
		if (in->flags & TI_COPULA) {
			copula = 1;
			continue;
		}
		/* "are too emotional to run a store", "on liian tunteellisia" */
		if (copula && (text_tok_is(ta, p, "too") || text_tok_is(ta, p, "liian"))) {
			size_t q = next_clause_word(ta, j, b);
			if (q < b && !text_tok_in(ta, &ta->toks[q], spans) &&
			    (ta->toks[q].w->info.valence >= -1 || ta->toks[q].w->info.abuse[TA_INSULT] > 0) &&
			    !(ta->toks[q].w->info.flags & TI_FUNC))
				return q;
		}
		/* "never pay their bills", "ei ikinä maksa laskujaan" */
		if (never && (ll == TEXT_LL_EN ? text_tok_in(ta, p, duty_en)
		                               : text_lemma_in(p->w, duty_fi) || text_tok_is(ta, p, "maksa")))
			return j;
		/* "can't even park", "ei osaa edes parkkeerata" */
		if (neg && (text_tok_is(ta, p, "even") || text_tok_is(ta, p, "edes")))
			return j;
		if (neg)
			continue; /* "are not lazy", "eivät ole rikollisia" */
		if ((p->w->rule_class & RC_GROUP_SLUR) && !generic_marker(ta, p, ll))
			return j;
		if (marker && (in->valence <= -2 || in->abuse[TA_INSULT] >= 0.5f || in->abuse[TA_OBSCENE] >= 0.5f))
			return j;
	}
	(void)a;
	return SIZE_MAX;
}

/*
 * The token of a group generalised against (text25b), or SIZE_MAX: a group named as a whole
 * (group_phrase_end()) with a slander said of it (group_slander_said()); a generalising word
 * before the group in its clause ("All these Arabs...", "Kaikki maahanmuuttajat...") counts as
 * one after it. A Finnish "tyypillinen" before a group word at its clause's end is a verdict by
 * itself ("Tyypillinen nainen, ..."), as English "typical woman," is (en_group_slander()). Not
 * said against the group: "Not all immigrants...", a stereotype named as one ("the myth that
 * ...", "on rasismia").
 */
static size_t group_generalised(const struct text_analyzer *ta, size_t a, size_t b, int ll)
{
	static const char *const myth[] = {
	    "myth",        "stereotype",   "stereotypes", "prejudice",  "racist", "racism",      "myytti",
	    "stereotypia", "ennakkoluulo", "rasismi",     "rasistinen", "sexist", "seksistinen", NULL};
	size_t z = SIZE_MAX;
	int marker = 0, neg_before = 0;
	for (size_t g = a; g < b; g++) {
		const struct text_tok *t = &ta->toks[g];
		if (t->type == TT_CLAUSE) {
			marker = neg_before = 0;
			continue;
		}
		if (t->type != TT_WORD || !t->w)
			continue;
		if (generic_marker(ta, t, ll))
			marker = 1;
		if (!group_word_at(ta, g, b, ll)) {
			neg_before |=
			    (t->w->info.flags & TI_NEGATOR) || (t->flags & TF_NT) || text_tok_is(ta, t, "not");
			continue;
		}

		/* "Tyypillinen nainen, ..." */
		if (ll == TEXT_LL_FI && g > a && LEMMA_IS(&ta->toks[g - 1], "tyypillinen") &&
		    (g + 1 >= b || ta->toks[g + 1].type != TT_WORD)) {
			z = g;
			break;
		}
		/* "you can't trust an Arab", "never trust a foreigner": the group the one trusted */
		for (size_t j = g, seen = 0; ll == TEXT_LL_EN && j-- > a && seen < 3 && ta->toks[j].type == TT_WORD;
		     seen++)
			if (text_tok_is(ta, &ta->toks[j], "trust") && j > a &&
			    ((ta->toks[j - 1].flags & TF_NT) ||
			     text_tok_in(ta, &ta->toks[j - 1],
			                 (const char *const[]){"never", "cannot", "cant", "dont", NULL})))
				z = j;
		if (z != SIZE_MAX)
			break;
		/* "Not all immigrants...", "Ei kaikki ulkomaalaiset..." */
		if (neg_before)
			continue;
		int m = marker;
		for (size_t j = next_clause_word(ta, g, b); j < b && !m; j = next_clause_word(ta, j, b))
			m = generic_marker(ta, &ta->toks[j], ll);
		size_t h = group_phrase_end(ta, a, b, g, ll, m);
		if (h == SIZE_MAX)
			continue;
		if ((z = group_slander_said(ta, a, b, g, h, ll, m)) != SIZE_MAX)
			break;
	}
	/* (asked only of a verdict found: "the myth that immigrants are lazy") */
	for (size_t j = a; z != SIZE_MAX && j < b; j++)
		if (ta->toks[j].type == TT_WORD && ta->toks[j].w &&
		    (ll == TEXT_LL_EN ? text_tok_in(ta, &ta->toks[j], myth) : text_lemma_in(ta->toks[j].w, myth)))
			return SIZE_MAX;
	return z;
}

/* 1 if Finnish word token t is its own lemma, a nominative singular ("venäläinen", "nainen"). */
static int nominative_sg(const struct text_analyzer *ta, const struct text_tok *t)
{
	return t->w->lemma_len == t->norm_len && !memcmp(t->w->lemma, ta->scratch + t->norm_off, t->norm_len);
}

/*
 * The token that names the reader (or, with *third, someone else: "se on ulkomaalainen", "he's a
 * foreigner") as one of a group, or SIZE_MAX: English "you're (a) X", "you are (a) X", "as a X" or
 * "being (a) X" with a "you" in the sentence, "(at) your age", "your accent"; Finnish a second-
 * person copula before a group word ("oot nainen", "koska olet ulkomaalainen"), a group word in
 * the essive with a second person in the sentence ("Naisena sä..."), "sun ikäisenä",
 * "ikäisesi", "sun aksentti". With third, also a third person's copula before a group word.
 */
static size_t member_named(const struct text_analyzer *ta, size_t a, size_t b, int ll, int *third)
{
	static const char *const you_are[] = {"you're", "youre", "your're", NULL};
	static const char *const he_is[] = {"he's", "she's", "hes", "shes", "they're", "theyre", NULL};
	static const char *const filler[] = {"a", "an", "so", "just", "only", "obviously", "clearly", "one", NULL};
	static const char *const as[] = {"as", "being", NULL};
	static const char *const mark_en[] = {"age", "accent", NULL};
	static const char *const mark_fi[] = {"ikäinen", "aksentti", "korostus", NULL};
	static const char *const your_fi[] = {"sun", "sinun", "teidän", "sun", NULL};
	int you = 0;
	for (size_t j = a; j < b; j++)
		you |= ta->toks[j].type == TT_WORD && ta->toks[j].w && (ta->toks[j].w->info.flags & TI_SECOND) &&
		       !(ll == TEXT_LL_FI && (text_fi_conneg_after_first(ta, a, j) || conneg_after_negator(ta, a, j)));
	*third = 0;
	for (size_t j = a; j < b; j++) {
		const struct text_tok *t = &ta->toks[j];
		if (t->type != TT_WORD || !t->w)
			continue;
		size_t n = text_next_word(ta, j, b);
		if (ll == TEXT_LL_EN) {
			/* "you're", "you are", "ur a" */
			int cop = text_tok_in(ta, t, you_are) ||
			          (text_tok_is(ta, t, "you") && n < b && text_tok_is(ta, &ta->toks[n], "are")) ||
			          (text_tok_is(ta, t, "ur") && n < b && is_article(ta->toks[n].w));
			int cop3 =
			    text_tok_in(ta, t, he_is) || ((text_tok_is(ta, t, "he") || text_tok_is(ta, t, "she")) &&
			                                  n < b && text_tok_is(ta, &ta->toks[n], "is"));
			int as_a = you && text_tok_in(ta, t, as);
			if (cop || cop3 || as_a) {
				size_t k =
				    text_tok_is(ta, t, "you") || text_tok_is(ta, t, "he") || text_tok_is(ta, t, "she")
				        ? text_next_word(ta, n, b)
				        : n;
				for (int skip = 0; k < b && skip < 2 && text_tok_in(ta, &ta->toks[k], filler); skip++)
					k = text_next_word(ta, k, b);
				/* "you're Polish" (capitalised: not the verb) */
				if (k < b && (group_word_at(ta, k, b, ll) || (text_tok_is(ta, &ta->toks[k], "polish") &&
				                                              (ta->toks[k].flags & TF_CAPITAL)))) {
					*third = cop3 && !cop && !as_a;
					return k;
				}
			}
			if (text_tok_is(ta, t, "your") && n < b && text_tok_in(ta, &ta->toks[n], mark_en))
				return n;
			if (reader_kind_at(ta, b, j, ll) != SIZE_MAX)
				return j;
			continue;
		}
		uint32_t f = t->w->info.flags;
		/* "sun kaltainen maahanmuuttaja" */
		if (reader_kind_at(ta, b, j, ll) != SIZE_MAX)
			return j;
		/* "oot nainen", "olet ulkomaalainen", "se on ulkomaalainen" */
		if (((f & TI_COPULA) || text_tok_is(ta, t, "oot") || text_tok_is(ta, t, "ootte")) &&
		    !(f & TI_NEGATOR)) {
			for (size_t k = n, seen = 0; k < b && seen < 2; k = text_next_word(ta, k, b), seen++)
				if (group_word_at(ta, k, b, ll) && nominative_sg(ta, &ta->toks[k])) {
					if (f & TI_SECOND)
						return k;
					if (j > a && (text_tok_is(ta, &ta->toks[j - 1], "se") ||
					              text_tok_is(ta, &ta->toks[j - 1], "hän") ||
					              text_tok_is(ta, &ta->toks[j - 1], "ne"))) {
						*third = 1;
						return k;
					}
				}
			continue;
		}
		/* "Naisena sä et...": the essive of a group word beside a second person */
		if (you && group_word_at(ta, j, b, ll) && (norm_ends(ta, t, "na") || norm_ends(ta, t, "nä")) &&
		    !(f & TI_NOMINAL))
			return j;
		/* "sun ikäisenä", "ikäisesi", "sun aksentista" */
		if (text_lemma_in(t->w, mark_fi) &&
		    ((f & TI_POSS2) || (j > a && text_tok_in(ta, &ta->toks[j - 1], your_fi))))
			return j;
	}
	return SIZE_MAX;
}

/*
 * The token of a put-down in sentence [a, b) of one named as one of a group (member_named()),
 * or SIZE_MAX: an ability or understanding denied or doubted ("you wouldn't understand", "can't
 * follow", "I doubt you get it", "tuskin tajuat", "et varmaan osaa"), a word of valence -2 or
 * lower that calls no name and threatens nothing, or a stock slander ("your accent is awful"), or, with a
 * third person, any failure the group is given as the reason of ("no surprise the cleaner stole
 * my ring, he's a foreigner": "no wonder", "of course", "ei ihme", "tietysti" with a negative
 * word). The writer's own group ("As a woman I felt...") names no one else here.
 */
static size_t member_put_down(const struct text_analyzer *ta, size_t a, size_t b, int ll, int third)
{
	static const char *const able_en[] = {"understand", "get",  "know",  "follow", "keep",   "handle", "learn",
	                                      "speak",      "read", "drive", "cope",   "manage", "grasp",  "do",
	                                      "fix",        "use",  "think", "figure", NULL};
	static const char *const able_fi[] = {"ymmärtää", "tajuta",  "osata",   "pystyä",  "kyetä",
	                                      "oppia",    "tietää",  "hallita", "hoksata", "käsittää",
	                                      "korjata",  "selvitä", NULL};
	static const char *const doubt[] = {"doubt", "hardly", "tuskin", "tuskinpa", "tuskimpa", NULL};
	static const char *const wonder_en[] = {"wonder", "surprise", "course", "typical", "figures", NULL};
	static const char *const wonder_fi[] = {"ihme",   "tietysti",    "tietenkin", "tottakai",
	                                        "arvata", "tyypillinen", NULL};
	int neg = 0, wonder = 0, bad = 0;
	size_t z = SIZE_MAX;
	for (size_t j = a; j < b; j++) {
		const struct text_tok *p = &ta->toks[j];
		if (p->type != TT_WORD || !p->w)
			continue;
		const struct text_info *in = &p->w->info;
		if (((in->flags & TI_NEGATOR) && !(in->flags & TI_QUEST)) || (p->flags & TF_NT) ||
		    text_tok_is(ta, p, "cannot") || text_tok_is(ta, p, "never") || text_tok_in(ta, p, doubt)) {
			neg = 1;
			bad = 1;
			continue;
		}
		wonder |= ll == TEXT_LL_EN ? text_tok_in(ta, p, wonder_en) : text_lemma_in(p->w, wonder_fi);
		if (!third && neg && (ll == TEXT_LL_EN ? text_tok_in(ta, p, able_en) : text_lemma_in(p->w, able_fi)))
			return j;
		/* (a name called or a threat is that, not this: "You people are all morons", "Sun
		 * kaltaiset pitäis ampua") */
		if ((hostile_verdict(p) || (p->w->rule_class & RC_GROUP_SLUR)) && !(in->flags & TI_NEGATOR)) {
			if (!third && !neg)
				return j;
			z = j;
		}
		bad |= in->valence <= -1;
	}
	if (wonder && bad)
		return z != SIZE_MAX ? z : a;
	return SIZE_MAX;
}

/*
 * The token of an order to learn a language properly, said to the reader ("learn proper
 * English", "Opettele puhumaan kunnon suomea"), or SIZE_MAX: their speech held against them, an
 * identity attack on its own. "I want to learn Finnish" is no order.
 */
static size_t learn_language(const struct text_analyzer *ta, size_t a, size_t b, int ll)
{
	static const char *const lang_en[] = {"english", "finnish", "swedish", NULL};
	static const char *const lang_fi[] = {"suomi", "englanti", "ruotsi", "suomenkieli", NULL};
	for (size_t j = a; j < b; j++) {
		const struct text_tok *t = &ta->toks[j];
		if (t->type != TT_WORD || !t->w)
			continue;
		int order =
		    ll == TEXT_LL_EN
		        ? text_tok_is(ta, t, "learn") &&
		              (j == a || ta->toks[j - 1].type != TT_WORD || text_tok_is(ta, &ta->toks[j - 1], "go") ||
		               text_tok_is(ta, &ta->toks[j - 1], "just") || text_tok_is(ta, &ta->toks[j - 1], "and"))
		        : (LEMMA_IS(t, "opetella") || LEMMA_IS(t, "oppia")) &&
		              (t->w->info.flags & (TI_IMPER | TI_COND)) && (t->w->info.flags & TI_SECOND);
		if (!order)
			continue;
		for (size_t k = text_next_word(ta, j, b), seen = 0; k < b && seen < 3;
		     k = text_next_word(ta, k, b), seen++)
			if (ll == TEXT_LL_EN ? text_tok_in(ta, &ta->toks[k], lang_en)
			                     : text_lemma_in(ta->toks[k].w, lang_fi))
				return k;
	}
	return SIZE_MAX;
}

/* 1 if token t is a word that denies a person's humanity when someone is likened to it: vermin,
 * a plague or a disease, and of the animals the generic "eläin"/"animal(s)"/"beasts" and those
 * that call names ("rotta", "apina", "sika"): "like animals", "kuin rotat", "kuin syöpä". */
static int dehumanising_word(const struct text_analyzer *ta, const struct text_tok *t)
{
	static const char *const generic[] = {"eläin",    "elukka",      "peto",    "animal", "animals",
	                                      "beast",    "beasts",      "disease", "tauti",  "vitsaus",
	                                      "epidemic", "infestation", NULL};
	if (t->type != TT_WORD || !t->w)
		return 0;
	uint64_t c = t->w->rule_class;
	return (c & (RC_VERMIN | RC_AFFLICTION)) || text_tok_in(ta, t, generic) || text_lemma_in(t->w, generic) ||
	       ((c & RC_ANIMAL) && t->w->info.abuse[TA_INSULT] > 0);
}

/*
 * The token of a group likened to vermin, beasts or a disease (text25b), or SIZE_MAX: in a
 * sentence that names a group or the reader, a comparison ("like", "kuin" with the nominative:
 * the subject is the one compared) with such a word up to three words after it ("breed like
 * rats", "live like animals", "elää kuin eläimet", "kuin syöpä tälle maalle"), or a copula before
 * a plague or a disease ("are a disease in this country", "on syöpä"). Not how they are treated
 * ("are treated like animals", "kohdeltiin kuin eläimiä": the partitive, the passive), nor "like"
 * as a verb ("Muslims like cats").
 */
static size_t group_likened(const struct text_analyzer *ta, size_t a, size_t b, int ll)
{
	static const char *const treat_en[] = {"treated", "treat",  "treating", "handled", "herded",
	                                       "kept",    "caged",  "packed",   "hunted",  "slaughtered",
	                                       "used",    "killed", "shipped",  NULL};
	static const char *const treat_fi[] = {"kohdella",  "pitää",     "paimentaa", "ahtaa",
	                                       "teurastaa", "kuljettaa", NULL};
	static const char *const not_verb[] = {"i",     "we",   "they",   "you", "would", "really", "also", "do",
	                                       "don't", "dont", "didn't", "who", "that",  "just",   "d",    NULL};
	int treated = 0, copula = 0, group = 0;
	/* the group may follow: "They behave like animals, these Somalis." */
	for (size_t j = a; j < b && !group; j++)
		group = group_word_at(ta, j, b, ll) || reader_kind_at(ta, b, j, ll) != SIZE_MAX;
	if (!group)
		return SIZE_MAX;
	for (size_t j = a; j < b; j++) {
		const struct text_tok *t = &ta->toks[j];
		if (t->type != TT_WORD || !t->w)
			continue;
		uint32_t f = t->w->info.flags;
		treated |= ll == TEXT_LL_EN ? text_tok_in(ta, t, treat_en)
		                            : text_lemma_in(t->w, treat_fi) || ((f & TI_IMPER) && !(f & TI_NEGATOR));
		if ((f & TI_NEGATOR) || (t->flags & TF_NT))
			return SIZE_MAX;
		if (f & TI_COPULA) {
			copula = 1;
			continue;
		}
		int like = ll == TEXT_LL_EN
		               ? text_tok_is(ta, t, "like") && j > a && ta->toks[j - 1].type == TT_WORD &&
		                     !group_word_at(ta, j - 1, b, ll) && !text_tok_in(ta, &ta->toks[j - 1], not_verb)
		               : text_tok_is(ta, t, "kuin");
		if (like && !treated) {
			for (size_t k = text_next_word(ta, j, b), seen = 0; k < b && seen < 3;
			     k = text_next_word(ta, k, b), seen++)
				if (dehumanising_word(ta, &ta->toks[k]) &&
				    (ll == TEXT_LL_EN || (ta->toks[k].w->info.flags & TI_NOMINAL)))
					return k;
			continue;
		}
		/* "are a disease", "on syöpä tälle maalle" */
		if (copula && !treated && !(t->w->rule_class & RC_ANIMAL) && dehumanising_word(ta, t) &&
		    !befalls_verb(ta, t, ll))
			return j;
	}
	return SIZE_MAX;
}

/*
 * The token of an identity attack by what is said of a group or of the reader as one of it
 * (text25b), or SIZE_MAX: a group likened to vermin, beasts or a disease (*severe set), a group
 * generalised against (group_generalised()), the reader put down for their group or a failure
 * put down to someone's group (member_named(), member_put_down()), an order to learn a language
 * properly. *reader is set when the reader is the one named. The caller skips questions and
 * what is told of.
 */
size_t text_group_slander(const struct text_analyzer *ta, size_t a, size_t b, int ll, int *reader, int *severe)
{
	*reader = *severe = 0;
	/* (one cheap look first: most sentences name no group and no reader) */
	int group = 0, second = 0, cue = ll == TEXT_LL_EN;
	for (size_t j = a; j < b && !group; j++) {
		const struct text_tok *t = &ta->toks[j];
		if (t->type != TT_WORD || !t->w)
			continue;
		second |= (t->w->info.flags & (TI_SECOND | TI_POSS2)) != 0;
		group = group_word_at(ta, j, b, ll);
		/* with no group word, a Finnish reader is named only by a kind or an age ("kaltainen",
		 * "ikäinen": "-inen"), "tollaset kuin sä", an accent, or told to learn a language */
		size_t n = t->w->lemma_len;
		cue = cue ||
		      (n >= 7 && !memcmp(t->w->lemma + n - 4, "inen", 4) && reader_kind_at(ta, b, j, ll) != SIZE_MAX) ||
		      LEMMA_IS(t, "aksentti") || LEMMA_IS(t, "korostus") || LEMMA_IS(t, "opetella") ||
		      LEMMA_IS(t, "oppia") ||
		      (text_tok_is(ta, t, "kuin") && j > a && reader_kind_at(ta, b, j - 1, ll) != SIZE_MAX);
	}
	if (!group && !(second && cue))
		return SIZE_MAX;
	size_t z = group_likened(ta, a, b, ll);
	if (z != SIZE_MAX) {
		*severe = 1;
		return z;
	}
	int third = 0;
	size_t k = member_named(ta, a, b, ll, &third);
	if (k != SIZE_MAX && member_put_down(ta, a, b, ll, third) != SIZE_MAX) {
		*reader = !third;
		return k;
	}
	if (group && (z = group_generalised(ta, a, b, ll)) != SIZE_MAX)
		return z;
	if (second && (z = learn_language(ta, a, b, ll)) != SIZE_MAX) {
		*reader = 1;
		return z;
	}
	return SIZE_MAX;
}

/*
 * 1 if an English speaker commits to the verb at token i: "I'll", "I will", "I'm gonna", "we're
 * going to", "gonna" among the four words before it in its clause, with no second person, no
 * negation ("I won't", "I will never") and nothing but "come (over/there) and" after the
 * speaker's own verb between. A bare "I smash" is no commitment either: English lemmas are
 * surfaces, so a report in the past ("I smashed") never reaches here.
 */
int text_en_speaker_commits(const struct text_analyzer *ta, size_t a, size_t i)
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
		return (text_tok_is(ta, t, "come") || text_tok_is(ta, t, "coming")) &&
		       text_en_speaker_commits(ta, a, i);
	/* "tuun", "tuumme": spoken forms voikko does not know */
	int tulla = t->w->lemma_len == 5 && !memcmp(t->w->lemma, "tulla", 5) && (t->w->info.flags & TI_FIRST) &&
		    !(t->w->info.flags & (TI_PAST | TI_COND | TI_QUEST));
	return (tulla || text_tok_is(ta, t, "tuun") || text_tok_is(ta, t, "tuumme")) && !text_negated_before(ta, i);
}

/* 1 if wreck verb v is the speaker's act: first person present, or a passive call in a main
 * clause ("rikotaan ikkunat"), not denied; English: committed to (text_en_speaker_commits()). */
int text_speaker_wrecks(const struct text_analyzer *ta, size_t a, size_t v, int ll)
{
	const struct text_word *w = ta->toks[v].w;
	if (ll == TEXT_LL_EN)
		return text_en_speaker_commits(ta, a, v);
	uint32_t f = w->info.flags;
	if (f & (TI_PAST | TI_COND | TI_QUEST | TI_SECOND | TI_NONFIN))
		return 0;
	int passive = (f & TI_IMPER) && !text_subordinate_clause(ta, v);
	return ((f & TI_FIRST) || passive) && !text_negated_before(ta, v);
}

/* The premises word a wreck verb v is done to, within three words after it or two before it in
 * its clause ("hajotan paikat", "koko firman räjäytän", "burn your office down"), or SIZE_MAX. A
 * thing of the everyday sense ("polttaa kynttilä") or the speaker's own ("toimistoni") is none. */
static size_t wrecked_premises(const struct text_analyzer *ta, size_t v)
{
	size_t j = thing_target(ta, v) ? SIZE_MAX : text_class_near(ta, v, RC_PREMISES);
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

/* 1 if token v is a harm or wreck verb the speaker commits to (text_speaker_wrecks()): the verb
 * text_harm_to_body() and text_harm_to_reader() look for their object after. */
static int speaker_harms(const struct text_analyzer *ta, size_t a, size_t v, int ll)
{
	const struct text_tok *t = &ta->toks[v];
	return t->type == TT_WORD && t->w && (t->w->rule_class & (RC_HARM | RC_WRECK)) &&
	       text_speaker_wrecks(ta, a, v, ll);
}

/*
 * The harm verb of a threat to hurt the reader's body in sentence [a, b), or SIZE_MAX; *z is the
 * body part. A harm or wreck verb the speaker commits to (text_speaker_wrecks(): first person or a
 * main-clause passive, not past, not denied; English "I'll", "gonna") with a body part near it
 * that is the reader's: a second-person possessive on it ("naamasi"), "sun"/"sinun"/"your"
 * right before it, or "sulta"/"sinulta" (from you) in the clause: "katkaisen sulta sormet",
 * "rikon sun naaman", "I'll smash your teeth in". "Katkaisin sormeni" and "I'll cut my hair"
 * match nothing.
 */
size_t text_harm_to_body(const struct text_analyzer *ta, size_t a, size_t b, int ll, int asks, size_t *z)
{
	/* closed grammar: the reader as owner or source */
	static const char *const yours[] = { "sun", "sinun", "your", "ur", "yer", NULL };
	static const char *const from_you[] = { "sulta", "sinulta", "sult", NULL };
	if (asks || (ll != TEXT_LL_FI && ll != TEXT_LL_EN))
		return SIZE_MAX;
	for (size_t v = a; v < b; v++) {
		if (!speaker_harms(ta, a, v, ll))
			continue;
		size_t j = text_class_near(ta, v, RC_BODY);
		if (j == SIZE_MAX || ta->toks[j].w->poss1)
			continue;
		int reader = (ta->toks[j].w->info.flags & TI_POSS2) || (j > a && text_tok_in(ta, &ta->toks[j - 1], yours));
		size_t ca, cb;
		text_clause_of(ta, v, &ca, &cb);
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
 * pronoun. A harm or wreck verb the speaker commits to (text_speaker_wrecks()) with the reader as its
 * object right after it, or after one particle: "mätkin sua", "tönäisen sut portaista alas",
 * "tyrmään sut", "I'll smash you", "I'll knock you out", "I'll batter you". "Tyrmään sen
 * ehdotuksen", "I'll smash the old phone" and "I'll burn you a CD" (a second object, an errand)
 * match none; text_harm_to_body() has the reader's body parts.
 */
size_t text_harm_to_reader(const struct text_analyzer *ta, size_t a, size_t b, int ll, int asks, size_t *z)
{
	/* closed grammar: the reader as an object */
	static const char *const you_obj[] = { "sut", "sinut", "sua", "sinua", "teidät", "teitä", "you", "ya", "u", NULL };
	static const char *const particle[] = { "vielä", "kyllä", "vaan", "vain", "just", "really", "totally", NULL };
	/* "I'll smash you at tennis", "pelissä mä tyrmään sut": a game */
	if (asks || text_fiction_setting(ta, a, b))
		return SIZE_MAX;
	for (size_t v = a; v < b; v++) {
		if (!speaker_harms(ta, a, v, ll))
			continue;
		size_t j = text_next_word(ta, v, b);
		if (j < b && text_tok_in(ta, &ta->toks[j], particle))
			j = text_next_word(ta, j, b);
		if (j >= b || !text_tok_in(ta, &ta->toks[j], you_obj))
			continue;
		/* "I'll burn you a CD", "smash you a deal": a second object sends something */
		size_t n = text_next_word(ta, j, b);
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
size_t text_menace_at(const struct text_analyzer *ta, size_t a, size_t b, int ll, int asks, size_t *z)
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
		if (t->type != TT_WORD || !t->w || !(t->w->rule_class & RC_WRECK) ||
		    !text_speaker_wrecks(ta, a, v, ll) ||
		    (ll == TEXT_LL_FI && text_violent_idiom(ta, b, v))) /* "poltan tupakkaa toimiston edessä" */
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
		size_t n = text_next_word(ta, j, b);
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
			for (size_t k = n, seen = 0; k < b && seen < 2; k = text_next_word(ta, k, b), seen++) {
				const struct text_word *w = ta->toks[k].w;
				if ((w->info.flags & (TI_PAST | TI_COND | TI_NONFIN)) || thing_target(ta, k))
					continue;
				/* a wreck verb wrecks the place, everything, or is said alone ("ja sit
				 * rytisee"); "poltetaan saunassa" (smoke) is none */
				size_t after = k + 1, ca, cb;
				text_clause_of(ta, k, &ca, &cb);
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
int text_fi_hortative(const struct text_analyzer *ta, size_t a, size_t b)
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

/* Eighteenth pass: English customer-service messages. */

/*
 * English: 1 if word i is said of the speaker: "I'm (not|so|such a|really) stupid", "I am not an
 * idiot", "I was so dumb", "I feel stupid" - within four words back in its clause, the speaker and
 * a copula or "feel". text_first_copula() knows no English first-person forms. Calling oneself names
 * ("I'm an idiot, I typed the wrong address") is no abuse of the reader, as Finnish "olen
 * idiootti" is not (reading it so cost OLID one row on each half: kept, it masked and counted a
 * customer's self-deprecation). The caller checks that no second-person word is in the sentence
 * ("I'm not the idiot here, you are").
 */
int text_en_speaker_self_judged(const struct text_analyzer *ta, size_t a, size_t i)
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

/* Finnish: 1 if group word i is in the essive ("homoparina", "muslimina": as a gay couple, as a
 * Muslim) in a sentence that names the writer ("meitä", "me", "minua", a first-person verb):
 * "Homoparina meitä kohdeltiin hyvin" says who the writers are, as "Olemme homopari" does. */
static int fi_essive_self(const struct text_analyzer *ta, size_t a, size_t i)
{
	/* closed grammar: the first-person pronouns that voikko does not mark as a person */
	static const char *const us[] = {"me",    "meitä",   "meidät", "meille", "meidän", "meistä", "minua",
	                                 "minut", "minulle", "minun",  "mua",    "mulle",  "mun",    NULL};
	const struct text_tok *t = &ta->toks[i];
	if (!(norm_ends(ta, t, "na") || norm_ends(ta, t, "n\xc3\xa4")) ||
	    (t->norm_len == t->w->lemma_len && !memcmp(ta->scratch + t->norm_off, t->w->lemma, t->norm_len)))
		return 0;
	for (size_t j = a; j < ta->ntoks && ta->toks[j].type != TT_END; j++) {
		const struct text_tok *p = &ta->toks[j];
		if (j != i && p->type == TT_WORD && p->w && ((p->w->info.flags & TI_FIRST) || text_tok_in(ta, p, us)))
			return 1;
	}
	return 0;
}

int text_self_identified(const struct text_analyzer *ta, size_t a, size_t i)
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
		return text_en_speaker_self_judged(ta, a, i) || own_family_copula(ta, a, i);
	return (text_first_copula(ta, a, i) && !text_flags_before(ta, a, i, TI_NEGATOR | TI_SECOND, 0, 0, 1)) ||
	       own_family_copula(ta, a, i) || fi_essive_self(ta, a, i);
}

/*
 * English: 1 if obscene word i intensifies the speaker's own state: "I'm so fucking tired of
 * calling you", "I am really fucking done with this" - "so", "too" or "really" right before it,
 * the speaker before that in its clause (text_en_speaker_self_judged()), and the next word no abuse
 * word and no "you". The "you" later in the sentence is then no one being sworn at.
 */
int text_en_self_intensifier(const struct text_analyzer *ta, size_t a, size_t b, size_t i)
{
	static const char *const degree[] = { "so", "too", "really", NULL };
	if (i <= a + 1 || !text_tok_in(ta, &ta->toks[i - 1], degree))
		return 0;
	size_t n = text_next_word(ta, i, b);
	if (n < b && ta->toks[n].w) {
		const float *ab = ta->toks[n].w->info.abuse;
		if (ab[TA_INSULT] > 0 || ab[TA_OBSCENE] > 0 || ab[TA_THREAT] > 0 || ab[TA_IDENTITY] > 0 ||
		    (ta->toks[n].w->info.flags & TI_SECOND))
			return 0;
	}
	return text_en_speaker_self_judged(ta, a, i - 1);
}

/* 1 if word i of sentence [a, b) can be the name someone is called: an insult word, or a slur
 * (not a plural, which opens a list: "Homot, lesbot ja bit ..."). */
static int vocative_word(const struct text_analyzer *ta, size_t i)
{
	const struct text_info *in = &ta->toks[i].w->info;
	return in->abuse[TA_INSULT] >= 0.5f || (in->abuse[TA_IDENTITY] >= 0.3f && !(in->flags & TI_PLURAL));
}

/* 1 if token k is a clause mark that is a comma (not a colon, a dash or a bracket: "Huom:
 * idiootti", "(stupid)"). */
static int comma_at(const struct text_analyzer *ta, size_t k)
{
	return ta->toks[k].type == TT_CLAUSE && ta->toks[k].comma;
}

/*
 * The token of a word by which sentence [a, b) calls the reader a name, or SIZE_MAX: an insult
 * word (or a slur) set off as an address -
 * - first in the sentence, or after an interjection ("voi", "hei", "kuule", "hey", "oi",
 *   "listen", with or without a comma), followed by a comma ("Voi tollo, mä kysyin ihan eri
 *   asiaa", "Hei hölmö, sanoin jo", "Hey idiot, read my email", "Listen, idiot, I want my money
 *   back", "Homo, en halua että...");
 * - alone after a comma at the end of the sentence ("Fix my order, dumbass.", "Painu kotiin,
 *   neekeri."), or alone between two commas ("Just refund me, idiot, before I lose my
 *   patience").
 * A vocative needs no "you" of its own, like the bare "Idiootti!" of three words or fewer. A
 * word with an article or another word beside it between the commas is no address ("my
 * neighbour, a total idiot, called").
 */
size_t text_vocative_at(const struct text_analyzer *ta, size_t a, size_t b)
{
	static const char *const interj[] = { "voi", "hei", "kuule", "kuulkaa", "hey", "oi", "oy", "listen", NULL };
	size_t i = a;
	while (i < b && ta->toks[i].type != TT_WORD)
		i++;
	if (i < b && ta->toks[i].w && text_tok_in(ta, &ta->toks[i], interj)) {
		i++;
		if (i < b && ta->toks[i].type == TT_CLAUSE)
			i++;
	}
	if (i + 1 < b && ta->toks[i].type == TT_WORD && ta->toks[i].w && vocative_word(ta, i) &&
	    ta->toks[i + 1].type == TT_CLAUSE)
		return i;
	/* a word alone after a comma, before another comma or the sentence's end */
	for (size_t j = a + 1; j + 1 <= b; j++) {
		if (!comma_at(ta, j - 1) || ta->toks[j].type != TT_WORD || !ta->toks[j].w)
			continue;
		size_t n = j + 1;
		while (n < b && ta->toks[n].type != TT_WORD && ta->toks[n].type != TT_CLAUSE)
			n++; /* (an emoji or a quotation mark) */
		if ((n == b || comma_at(ta, n)) && vocative_word(ta, j))
			return j;
	}
	return SIZE_MAX;
}

/* 1 if sentence [a, b) calls the reader a name as an address (text_vocative_at()). */
int text_vocative_insult(const struct text_analyzer *ta, size_t a, size_t b)
{
	return text_vocative_at(ta, a, b) != SIZE_MAX;
}

/* English: 1 if token i is the -ly adverb of a negative or insulting word used as a degree
 * word before a positive word ("insanely good", "ridiculously tasty"): for the sentiment it
 * boosts that word and is not negative itself. (The abuse rules still count its insult
 * evidence: skipping it there cost OLID half B a tweet.) */
int text_en_degree_adverb(const struct text_analyzer *ta, size_t b, size_t i)
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

/* Finnish: 1 if token i is an adverb of degree made of a genitive adjective of excess before a
 * word of praise: the privative "-ttömän"/"-ttoman" ("järjettömän hyvä", "älyttömän kiva",
 * "käsittämättömän hieno") or "törkeän" ("törkeän hyvä"). For the sentiment it boosts the
 * praise and is not negative itself; before a word of blame ("järjettömän huono") it keeps its
 * own colour. */
int text_fi_degree_adverb(const struct text_analyzer *ta, size_t b, size_t i)
{
	const struct text_tok *t = &ta->toks[i];
	if (ta->lang != TEXT_LANG_FI || t->type != TT_WORD || !t->w || t->norm_len < 7 || i + 1 >= b)
		return 0;
	const struct text_tok *q = &ta->toks[i + 1];
	if (q->type != TT_WORD || !q->w || !(q->w->info.flags & TI_HASVAL) || q->w->info.valence <= 0 ||
	    !q->w->adj_reading || q->w->info.abuse[TA_INSULT] > 0 || q->w->info.abuse[TA_OBSCENE] > 0)
		return 0;
	/* (spoken "törkeen"; "tappavan hyvä", killingly good) */
	return norm_ends(ta, t, "tt\xc3\xb6m\xc3\xa4n") || norm_ends(ta, t, "ttoman") ||
	       text_tok_is(ta, t, "t\xc3\xb6rke\xc3\xa4n") || text_tok_is(ta, t, "t\xc3\xb6rkeen") ||
	       text_tok_is(ta, t, "tappavan");
}

/* 1 if token i is a swear word used as a degree word before a word of praise ("Vitun hyvää
 * ruokaa!", "Helvetin hieno paikka", "Saatanan hyvä pizza", "fucking awesome", "Fucking
 * brilliant service"), or the swear word of the interjection "holy shit" / "holy crap" ("Holy
 * shit, best burger ever!"): for the sentiment it boosts the praise (or is only surprise) and
 * is not negative itself. Its obscenity stays: it is still masked. */
int text_swear_booster(const struct text_analyzer *ta, size_t b, size_t i)
{
	const struct text_tok *t = &ta->toks[i];
	if (t->type != TT_WORD || !t->w || t->w->info.abuse[TA_OBSCENE] < 0.5f || t->w->info.abuse[TA_INSULT] >= 0.5f ||
	    t->w->info.abuse[TA_IDENTITY] > 0 || t->w->info.abuse[TA_THREAT] > 0)
		return 0;
	if (i > 0 && tok_word_is(ta, i - 1, "holy"))
		return 1;
	if (i + 1 >= b)
		return 0;
	const struct text_tok *q = &ta->toks[i + 1];
	/* (Finnish: an adjective or an adverb: "vittu kiitos" is no degree of thanks) */
	return q->type == TT_WORD && q->w && (q->w->info.flags & TI_HASVAL) && q->w->info.valence > 0 &&
	       q->w->info.abuse[TA_OBSCENE] == 0 && q->w->info.abuse[TA_INSULT] == 0 &&
	       (ta->lang != TEXT_LANG_FI || q->w->adj_reading);
}

/* English: 1 if token i is a clinical word for a sexual body part that the writer says is their
 * own ("my penis", "my vagina hurts"): a patient describing a symptom, not obscenity. Other
 * possessives keep it ("your penis"; tweets use it as an insult). */
int text_en_own_body(const struct text_analyzer *ta, size_t a, size_t i)
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
 * greetings and titles are a closed set, matched as written. A capitalised possessive before a
 * capitalised word is a name too, whatever the word ("Dick's Sporting Goods", "Butt's Bakery": a
 * shop or a brand named for its owner); "Dick's a jerk", "FUCK'S SAKE" (all capitals) are not. */
int text_greeted_name(const struct text_analyzer *ta, size_t i)
{
	static const char *const before[] = { "hi", "hello", "hey", "dear", "dr", "mr", "mrs", "ms", "miss", "hei",
					      "moi", "moikka", "terve", "herra", "rouva", "tohtori", NULL };
	const struct text_tok *t = &ta->toks[i];
	if ((t->flags & (TF_CAPITAL | TF_ALLCAPS)) == TF_CAPITAL && t->norm_len > 3 && i + 1 < ta->ntoks &&
	    !memcmp(ta->scratch + t->norm_off + t->norm_len - 2, "'s", 2)) {
		const struct text_tok *n = &ta->toks[i + 1];
		if (n->type == TT_WORD && (n->flags & (TF_CAPITAL | TF_ALLCAPS)) == TF_CAPITAL)
			return 1;
	}
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

/* Finnish: 1 if the capitalised token t is a place name of a swear word and the place suffix
 * "-la"/"-lä" with at most a case ending after it ("Vittula", "Asun Vittulan kylässä": a
 * village), a word voikko does not know, so the swear word was read as its prefix. Not in all
 * capitals ("VITTULA!" shouts). */
static int fi_place_name(const struct text_analyzer *ta, const struct text_tok *t)
{
	if (ta->lang != TEXT_LANG_FI || (t->flags & TF_ALLCAPS) || !t->w || t->w->info.abuse[TA_OBSCENE] == 0 ||
	    t->norm_len < 6 || t->norm_len > 40)
		return 0;
	const char *n = ta->scratch + t->norm_off;
	size_t len = t->norm_len;
	for (size_t p = 4; p + 2 <= len; p++) {
		if (n[p] != 'l')
			continue;
		size_t q = n[p + 1] == 'a' ? p + 2 : p + 3 <= len && !memcmp(n + p + 1, "\xc3\xa4", 2) ? p + 3 : 0;
		/* (or the first part of a compound: "Vittula-kirja", "Vittula-elokuvaa") */
		if (!q || (len - q > 4 && n[q] != '-'))
			continue;
		char key[48];
		key[0] = 'f';
		memcpy(key + 1, n, p);
		int32_t id = text_lexicon_id(ta->lx, key, p + 1);
		if (id >= 0 && ta->lx->info[id].abuse[TA_OBSCENE] > 0)
			return 1;
	}
	return 0;
}

/* 1 if token i is a capitalised word that names a street or a road with the next word
 * ("Cumming Street", "Cox Road", "Kusikatu" is one word and not this): an address, no abuse;
 * or a Finnish place name of a swear word (fi_place_name(): "Vittula"). */
int text_street_name(const struct text_analyzer *ta, size_t i)
{
	static const char *const street[] = { "street", "st", "road", "rd", "avenue", "ave", "lane", "drive", "close",
					      "way", "square", "katu", "tie", "kuja", "polku", "raitti", NULL };
	const struct text_tok *t = &ta->toks[i];
	if (!(t->flags & TF_CAPITAL))
		return 0;
	if (fi_place_name(ta, t))
		return 1;
	if (i + 1 >= ta->ntoks)
		return 0;
	const struct text_tok *n = &ta->toks[i + 1];
	return n->type == TT_WORD && (n->flags & TF_CAPITAL) && text_tok_in(ta, n, street);
}

int text_everyday_sense(const struct text_analyzer *ta, size_t a, size_t b, size_t i)
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
int text_fi_et_that(const struct text_analyzer *ta, size_t a, size_t i)
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
