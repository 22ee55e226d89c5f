/*
 * Who says what to whom, for the lexicon analysis (analyze.c): a negator and its connegative
 * verb, the first- and second-person words around a word (text_scan_near()), and what is only
 * reported: a passive report, a calling verb ("kutsui minua idiootiksi"), reported speech
 * ("sanoi että..."), a quotation, a word mentioned as a word ("the word LOSER"), a denial said to
 * the reader ("I never said you were a scammer"). Predicates over one analysed text's tokens.
 */
#include <ctype.h>
#include <string.h>

#include "text/analyze_int.h"

/* The negator a connegative token j follows, with up to two words between them in its clause,
 * or SIZE_MAX (j is no connegative, or no negator is there). */
size_t text_negator_of_conneg(const struct text_analyzer *ta, size_t a, size_t j)
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

/* Finnish: 1 if token j is a connegative after a first-person negator ("en pääse", "enkä
 * ymmärrä", "emme saa") or after "ei" with a third-person subject right before it ("hän ei
 * pääse"): the speaker's or that person's verb, not an imperative to the reader. (Every "ei"
 * was tried: "se ei ole vakavaa" lines cost half B.) */
int text_fi_conneg_after_first(const struct text_analyzer *ta, size_t a, size_t j)
{
	static const char *const first_neg[] = { "en", "enk\xc3\xa4", "enk\xc3\xb6", "emme", "emmek\xc3\xa4",
						 "emmek\xc3\xb6", NULL };
	static const char *const third_subj[] = { "h\xc3\xa4n", "se", "t\xc3\xa4m\xc3\xa4", "tuo", "joka", "mik\xc3\xa4", NULL };
	size_t k = ta->lang == TEXT_LANG_FI ? text_negator_of_conneg(ta, a, j) : SIZE_MAX;
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
int text_fi_weather(const struct text_analyzer *ta, size_t a, size_t j)
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
void text_scan_near(const struct text_analyzer *ta, size_t a, size_t b, size_t i, int *first, int *second,
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
		if ((f & TI_SECOND) && !conneg_after_negator(ta, a, j) && !text_fi_weather(ta, a, j))
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
		if ((p->w->info.flags & TI_SECOND) && !conneg_after_negator(ta, a, j) && !text_fi_weather(ta, a, j))
			*second = 1;
	}
}

/* 1 if the Finnish passive violent verb i (present, "-aan"/"-ään") has a locative or elative
 * word before it in its clause: said of a place or a setting ("Syyriassa tapetaan lapsia",
 * "kaduilla hakataan ihmisiä") it reports; "tapetaan ne kaikki" stays a call. */
int text_passive_report(const struct text_analyzer *ta, size_t a, size_t i)
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

int text_reported_calling(const struct text_analyzer *ta, size_t a, size_t b, size_t i)
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
int text_unsaid_that(const struct text_analyzer *ta, size_t a, size_t i)
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
 * hölmö" is not this (the copula before is text_first_copula()). */
int text_self_named_after(const struct text_analyzer *ta, size_t a, size_t b, size_t i, int ll)
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
int text_word_mentioned(const struct text_analyzer *ta, size_t a, size_t i)
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
int text_swear_not_at_reader(const struct text_analyzer *ta, size_t a, size_t b, size_t i)
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
 * not a liar" (the Finnish "et ole tyhmä" is text_denied_to_reader()). */
int text_en_denied_to_reader(const struct text_analyzer *ta, size_t a, size_t i)
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
int text_en_reported(const struct text_analyzer *ta, size_t a, size_t b, size_t i)
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
void text_speech_verbs_from(struct text_analyzer *ta, size_t a)
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
 * them), in one pass over the text: text_reported_quote() asks it of many words. */
void text_mark_quoted(struct text_analyzer *ta, const char *s, size_t len)
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
int text_en_first_subject(const struct text_analyzer *ta, size_t a, size_t k)
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
int text_reported_speech(const struct text_analyzer *ta, size_t a, size_t b)
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

/* The index of the verb if sentence [a, b) tells what a third person said (as text_reported_speech()
 * reads it, with the verb in a form that reports; what follows it is what was said), and does
 * not endorse it, else SIZE_MAX: "Työntekijänne sanoi, että kaikki
 * muslimit ovat terroristeja", "Your driver said that all immigrants are criminals" (a customer
 * telling of discrimination); not "Kuten X sanoi, ...", "As X said, ...", which the writer takes
 * as their own. */
size_t text_speech_told(const struct text_analyzer *ta, size_t a, size_t b)
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
		/* what was said to the reader is text_relayed to them ("hän sanoi että olet tyhmä"),
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
 * text_mark_quoted() marked it TF_QUOTED. */
int text_reported_quote(const struct text_analyzer *ta, size_t a, size_t i)
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
