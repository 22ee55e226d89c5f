/*
 * What a word is said of, for the lexicon analysis (analyze.c): the writer ("minut pitäisi
 * ampua"), an animal, a thing ("the app is stupid"), a setting of fiction, or nobody present;
 * which phrase matches are negated, unaddressed, said of a third person or counted twice; calls
 * to remove a group; and the words a complaint is about (text_topic_word()). Predicates over one
 * analysed text's tokens.
 */
#include <string.h>

#include "text/analyze_int.h"

/* Words that call for a group to be removed; with a group noun they make an identity attack.
 * Deporting ("karkottaa", "karkotettava", "häätää") always; "ulos", "pois" only in a verbless
 * call of at most three words ("Mamut ulos!", "Somalit pois Suomesta"), since "pääsivät pois
 * leiriltä" is no call. Returns 2 for the deporting verbs, 1 for the short-call adverbs. */
int text_exclusion_word(const struct text_word *w)
{
	if (w->rule_class & RC_DEPORT) /* lemma prefixes "karkot", "karkoit", "häätä" */
		return 2;
	if ((w->lemma_len == 4 && (!memcmp(w->lemma, "ulos", 4) || !memcmp(w->lemma, "pois", 4))))
		return 1;
	return 0;
}

/* Finnish: 1 if token i is a verb of throwing someone out with where to among the two words
 * after it ("heittää maasta", "potkia ulos", "ajaa pois maasta", "passittaa takaisin"), not a
 * past report ("heittivät hänet ulos baarista"): with a group noun a call to remove the group,
 * as "karkottaa" is. Closed set of verbs and directions, by lemma and surface form. */
int text_fi_expulsion_at(const struct text_analyzer *ta, size_t b, size_t i)
{
	static const char *const verbs[] = {"heittää", "potkia", "potkaista", "ajaa", "passittaa", "viskata", NULL};
	static const char *const out[] = {"maasta", "ulos", "pois", "takaisin", "kotiin", "pihalle", NULL};
	const struct text_tok *t = &ta->toks[i];
	if (t->type != TT_WORD || !t->w || (t->w->info.flags & TI_PAST))
		return 0;
	int verb = 0;
	for (int k = 0; verbs[k] && !verb; k++)
		verb = t->w->lemma_len == strlen(verbs[k]) && !memcmp(t->w->lemma, verbs[k], t->w->lemma_len);
	for (size_t j = i + 1, seen = 0; verb && j < b && seen < 2; j++) {
		if (ta->toks[j].type == TT_CLAUSE)
			break;
		if (ta->toks[j].type != TT_WORD)
			continue;
		seen++;
		if (text_tok_in(ta, &ta->toks[j], out))
			return 1;
	}
	return 0;
}

/* A negator (not a question: "etkö") among the three words before token i in its clause
 * ("en tapa", "en aio lyödä"). */
int text_negated_before(const struct text_analyzer *ta, size_t i)
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
int text_violent_idiom(const struct text_analyzer *ta, size_t b, size_t i)
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
	/* a state as the one that kills: "nälkä tappaa", "tylsyys tappaa", "kuumuus tappaa mut"
	 * (hyperbole: a complaint of the state, no violence) */
	static const char *const state[] = {"nälkä",   "jano",    "tylsyys", "kuumuus", "helle",
	                                    "väsymys", "kylmyys", "odotus",  NULL};
	if (i > 0 && w->lemma_len == 6 && !memcmp(w->lemma, "tappaa", 6) && ta->toks[i - 1].type == TT_WORD &&
	    text_tok_in(ta, &ta->toks[i - 1], state))
		return 1;
	/* slang praise: "myyjä on ihan tappava", "se oli tosi tappava" (a copula and a degree word
	 * before it; "tappava tauti" is deadly) */
	static const char *const degree[] = {"ihan", "tosi", "aivan", "niin", "täysin", NULL};
	if (i >= 2 && text_tok_is(ta, &ta->toks[i], "tappava") && text_tok_in(ta, &ta->toks[i - 1], degree) &&
	    ta->toks[i - 2].type == TT_WORD && ta->toks[i - 2].w && (ta->toks[i - 2].w->info.flags & TI_COPULA))
		return 1;
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
void text_clause_of(const struct text_analyzer *ta, size_t i, size_t *ca, size_t *cb)
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
int text_self_target(const struct text_analyzer *ta, size_t i)
{
	/* closed grammar: first-person pronoun forms, on the surface form */
	static const char *const forms[] = {
		"minut", "minua", "mut", "mua", "meidät", "meitä", "meit", "itseni", "itseäni",
		"itteni", "itteäni", "ittiäni", "itsemme", "itseämme", NULL
	};
	size_t ca, cb;
	text_clause_of(ta, i, &ca, &cb);
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
int text_animal_target(const struct text_analyzer *ta, size_t i)
{
	size_t ca, cb;
	text_clause_of(ta, i, &ca, &cb);
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
size_t text_class_near(const struct text_analyzer *ta, size_t i, uint64_t cls)
{
	size_t ca, cb;
	text_clause_of(ta, i, &ca, &cb);
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
 * 1 if the clause of token i opens with a subordinating conjunction or a relative pronoun (within
 * its first two words): "kun ihmisiä tapetaan, ...", "jos joku ammutaan", "ne, joita hakataan".
 * The hortative passive ("tapetaan ne!") is a main-clause construction; in a subordinate clause
 * a passive describes a situation, it calls for nothing.
 */
int text_subordinate_clause(const struct text_analyzer *ta, size_t i)
{
	/* closed grammar: conjunctions and relative pronoun forms, on the surface form */
	static const char *const forms[] = {
		"kun", "jos", "että", "koska", "kunnes", "jotta", "vaikka", "mikäli", "joka", "jota",
		"jossa", "jonka", "joita", "jotka", "joissa", "missä", "jolloin", "ettei", "jollei",
		"kuin", NULL
	};
	size_t ca, cb;
	text_clause_of(ta, i, &ca, &cb);
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
int text_fiction_setting(const struct text_analyzer *ta, size_t a, size_t b)
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
size_t text_tok_from(const struct text_analyzer *ta, uint32_t start)
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

/* text_self_target() or text_animal_target() for the first word of phrase match m, with no reader in its
 * sentence: "laitan itseni hirteen", "vanha koira pitäisi viedä saunan taakse"; or a phrase of
 * dying with the speaker in its sentence: "haluan kuolla pois"; or a bullet taken by the writer
 * or given to an animal (text_shot_aim()) */
int text_match_self_target(const struct text_analyzer *ta, const struct text_match *m)
{
	size_t i = match_first_tok(ta, m);
	if (i == ta->ntoks)
		return 0;
	/* "ottaisin kuulan kalloon tän laskun takia": a bullet the writer takes, or an animal gets */
	int shot = text_match_shot_aim(ta, m);
	if (shot == SHOT_SELF || shot == SHOT_THING)
		return 1;
	for (size_t j = i; j-- > 0 && ta->toks[j].type != TT_END;)
		if (ta->toks[j].w && (ta->toks[j].w->info.flags & TI_SECOND))
			return 0;
	for (size_t j = i; j < ta->ntoks && ta->toks[j].type != TT_END; j++)
		if (ta->toks[j].w && (ta->toks[j].w->info.flags & TI_SECOND))
			return 0;
	if (text_self_target(ta, i) || text_animal_target(ta, i))
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
int text_match_unaddressed(const struct text_analyzer *ta, const struct text_match *m)
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
int text_third_subject_at(const struct text_analyzer *ta, size_t i, int imper)
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
int text_fi_match_no_order(const struct text_analyzer *ta, const struct text_match *m)
{
	size_t i = match_first_tok(ta, m);
	if (i == ta->ntoks || !ta->toks[i].w)
		return 0;
	if (i > 0 && ta->toks[i - 1].type == TT_WORD && ta->toks[i - 1].w &&
	    (ta->toks[i - 1].w->info.flags & TI_ADJ) && !(ta->toks[i - 1].w->info.flags & TI_SECOND))
		return 1;
	return text_third_subject_at(ta, i, 1);
}

/*
 * 1 if phrase match m ends in an everyday idiom with the word after it: English "you're dead
 * right", "drop dead gorgeous", "should die down", "a bullet point", "should be put down by
 * Friday", a bullet put into a thing or the writer's own head ("put a bullet in this printer");
 * Finnish "et ansaitse elää pelossa" (to live in fear: "elää" with a place or state in the
 * inessive). The phrase's own words name no harm there.
 */
int text_match_idiom_tail(const struct text_analyzer *ta, const struct text_match *m, int ll)
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
	if (text_tok_is(ta, last, "bullet")) { /* "put a bullet in this printer / in my head" */
		int shot = text_match_shot_aim(ta, m);
		return text_tok_in(ta, next, bullet_next) || shot == SHOT_SELF || shot == SHOT_THING;
	}
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
int text_en_match_negated(const struct text_analyzer *ta, const struct text_match *m)
{
	size_t i = match_first_tok(ta, m);
	if (i == 0 || i >= ta->ntoks)
		return 0;
	const struct text_tok *p = &ta->toks[i - 1];
	return p->type == TT_WORD && ((p->flags & TF_NT) || (p->w && (p->w->info.flags & TI_NEGATOR)));
}

/* 1 if another phrase match of the same kind covers exactly the same words as match i and
 * weighs more (or as much and comes first): two listed inflections of one phrase ("kuula
 * kalloon", "kuulaa kalloon") both match one lemmatised text and must count once. */
int text_same_span_stronger(const struct text_analyzer *ta, size_t i)
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

/* English "SUBJECT COPULA a/an/the WORD" ending at word i of the sentence starting at a: 2 when
 * the subject is the reader ("you are a", "ur a", "you're the"), 1 when it is a third person
 * ("he is a", "she's the", a name: "Carrey is a"), else 0. The caller checks that WORD is
 * negative: a predicate noun with an article names what someone is, so "he is a disgrace"
 * calls him one while "he is disgraced" or "the plan is a disaster" (a thing as the subject)
 * do not. */
int text_en_article_predicate(const struct text_analyzer *ta, size_t a, size_t i)
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
double text_like_verb_valence(const struct text_analyzer *ta, size_t i, size_t b)
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
int text_en_thing_word(const struct text_analyzer *ta, const struct text_tok *t)
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
int text_en_person_tok(const struct text_tok *t, int not_first)
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
int text_en_said_of_thing(const struct text_analyzer *ta, size_t a, size_t b, size_t i, int phrase)
{
	if (!phrase && i + 1 < b && text_en_thing_word(ta, &ta->toks[i + 1]))
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
				if (text_en_person_tok(&ta->toks[k], k > a))
					return 0;
			const struct text_tok *subj = &ta->toks[j - 1];
			return text_en_thing_word(ta, subj) || text_tok_is(ta, subj, "it") ||
			       text_tok_is(ta, subj, "this") || text_tok_is(ta, subj, "that");
		}
		if (!(p->w->info.flags & (TI_FUNC | TI_STOP)) && p->w->info.mult == 0)
			break;
	}
	int thing = 0;
	for (size_t j = a; j < b; j++) {
		const struct text_tok *p = &ta->toks[j];
		if (text_en_person_tok(p, j > a) ||
		    (p->type == TT_WORD && p->w && (p->w->info.flags & (TI_SECOND | TI_FIRST))))
			return 0;
		thing |= j < i && text_en_thing_word(ta, p);
	}
	return thing;
}

/*
 * Finnish: 1 if the insult adjective at i modifies the next word and that word names a thing:
 * "idioottimainen järjestelmä", "säälittävää toimintaa", "tyhmä sovellus" judge a system or
 * conduct (a complaint, rude), not a person ("tyhmä ihminen", "säälittävä mies", "tyhmä
 * Matti", "tyhmä ääliö" stay insults). b: the end of the sentence.
 */
int text_fi_thing_modifier(const struct text_analyzer *ta, size_t b, size_t i)
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
const struct text_word *text_topic_word(const struct text_analyzer *ta, size_t i, int ll, int neg_text)
{
	const struct text_tok *t = &ta->toks[i];
	if (t->type != TT_WORD || !t->w || !t->w->topic || (t->flags & TF_FORMULA) ||
	    (neg_text && (t->flags & TF_POS_SENT)))
		return NULL;
	/* a word with digits is a code ("T-588867", "A4"), not a subject; read as letters (the
	 * evasion clean-up's "5" as "s") it made topics such as "t-sbgt" */
	for (uint16_t k = 0; k < t->norm_len; k++)
		if ((unsigned char)(ta->scratch[t->norm_off + k] - '0') < 10)
			return NULL;
	if ((t->flags & TF_CAPITAL) &&
	    (t->w->name_reading || (ll == TEXT_LL_EN && i > 0 && ta->toks[i - 1].type == TT_WORD)))
		return NULL; /* (after ":" or "(" a capital starts a list item, not a name) */
	return t->w;
}

/* 1 if Finnish token i is an adjective of a negative valence (no abuse, no formula, not in a
 * positive sentence of a negative text) right before a topic word: it opens a phrase. */
int text_topic_modifier(const struct text_analyzer *ta, size_t i, int neg_text)
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
	return text_topic_word(ta, i + 1, TEXT_LL_FI, neg_text) != NULL;
}

/* 1 if token i can be (part of) a person's name in a greeting or a text_signature: capitalised
 * ("Sari", not "SARI" in a shouted text: "THANKS, YOUR SERVICE IS TERRIBLE"), and no word of
 * feeling, abuse or grammar ("Regards, Furious Customer", "Hei Tilaukseni Ei...").
 * A lone initial ("J") or an all-caps one ("BR") counts. */
int text_name_like(const struct text_analyzer *ta, size_t i)
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
