/*
 * Tone check for replies staff are about to send: blaming, sarcastic and harsh wording (phrase
 * lists in data/lexicon/phrases.tsv, matched on forms and lemmas), second-person insults or
 * very negative words aimed at the customer, abuse, and - when answering a complaint - a
 * missing thanks or apology.
 */
#include <string.h>

#include "text/text_int.h"

static const struct {
	const char *name, *message;
} tone_info[TEXT_TONE_NCODES] = {
    [TEXT_TONE_HARSH] = {"harsh", "Harsh or dismissive wording towards the customer."},
    [TEXT_TONE_BLAMING] = {"blaming", "Wording that blames the customer; describe what happens next instead."},
    [TEXT_TONE_SARCASTIC] = {"sarcastic", "This may read as sarcastic."},
    [TEXT_TONE_MISSING_THANKS] = {"missing_thanks",
                                  "Replying to a complaint: thank the customer or apologise for the trouble."},
    [TEXT_TONE_ABUSE] = {"abuse", "Abusive or obscene language."},
};

static void add_issue(struct text_tone_report *rep, enum text_tone_code code, size_t start, size_t end)
{
	for (size_t i = 0; i < rep->nissues; i++)
		if (rep->issues[i].code == code && rep->issues[i].start == start)
			return;
	if (rep->nissues >= TEXT_TONE_MAX_ISSUES)
		return;
	struct text_tone_issue *t = &rep->issues[rep->nissues++];
	t->code = code;
	t->name = tone_info[code].name;
	t->message = tone_info[code].message;
	t->start = start;
	t->end = end;
}

/*
 * 1 if blame phrase m is no blame in its context (a red team of good replies): negated just
 * before ("This is not your fault", "Tämä ei todellakaan ole oma vikasi", "It was not user
 * error"), an offer ("You can read the manual online here"), "should have" + receiving ("You
 * should have received a confirmation", "Sinun olisi pitänyt saada vahvistus": what was due to
 * the customer), or the weak "if you had" without a past participle ("If you had any other
 * issues, just reply").
 */
static int blame_excused(const struct text_analyzer *ta, const struct text_match *m)
{
	size_t first = 0, last = 0;
	while (first < ta->ntoks && ta->toks[first].start < m->start)
		first++;
	last = first;
	while (last + 1 < ta->ntoks && ta->toks[last + 1].end <= m->end)
		last++;
	for (size_t j = first, seen = 0; j-- > 0 && seen < 3;) {
		const struct text_tok *p = &ta->toks[j];
		if (p->type == TT_END)
			break;
		if (p->type != TT_WORD || !p->w)
			continue;
		seen++;
		if ((p->w->info.flags & TI_NEGATOR) || (p->flags & TF_NT))
			return 1;
		if (seen == 1 &&
		    (text_tok_is(ta, p, "can") || text_tok_is(ta, p, "may") || text_tok_is(ta, p, "could")))
			return 1;
	}
	const struct text_tok *n = last + 1 < ta->ntoks ? &ta->toks[last + 1] : NULL;
	if (!n || n->type != TT_WORD || !n->w)
		return m->weight < 1; /* "if you had." ends nothing */
	static const char *const receiving[] = {"received", "receive", "gotten", "got", "saada",
	                                        "saanut",   "tulla",   "tullut", NULL};
	for (int k = 0; receiving[k]; k++)
		if (text_tok_is(ta, n, receiving[k]) ||
		    (n->w->lemma_len == strlen(receiving[k]) && !memcmp(n->w->lemma, receiving[k], n->w->lemma_len)))
			return 1;
	if (m->weight < 1) { /* "if you had listened", "if you'd bought": a past participle follows */
		static const char *const irregular[] = {
		    "bought", "paid",    "read",    "sent",   "made", "done", "kept",    "left",       "told",
		    "taken",  "brought", "written", "chosen", "put",  "set",  "thought", "understood", "found",
		    "sold",   "spent",   "lost",    "asked",  "gone", "been", NULL};
		const char *e = ta->scratch + n->norm_off + n->norm_len;
		if (text_tok_in(ta, n, irregular))
			return text_tok_is(ta, n, "been"); /* "if you'd been charged": wronged */
		return !(n->norm_len > 3 && ((e[-2] == 'e' && e[-1] == 'd') || (e[-2] == 'e' && e[-1] == 'n')));
	}
	return 0;
}

/*
 * "As I already said", "like I told you", "as previously stated", "kuten jo aiemmin sanoin",
 * "kuten edellisessä viestissäni totesin", "niinku mä jo sanoin": a reminder that the customer
 * did not listen (passive-aggressive, blaming). A start word, then within five words of its
 * sentence a verb of saying in the first person past or the passive past, with, for the
 * passive and for English, a word that says it was before ("jo", "already", "previously", or
 * "I"/"we"). The verb forms are closed grammar (voikko reads "sanoin" as the noun "sana").
 * Returns the index of the verb, or SIZE_MAX.
 */
static size_t reminder_at(const struct text_analyzer *ta, size_t i)
{
	static const char *const starts[] = {"kuten", "niinku", "niinkuin", "as", "like", NULL};
	static const char *const fi_first[] = {"sanoin",      "sanoimme",  "kerroin",   "kerroimme",  "mainitsin",
	                                       "mainitsimme", "totesin",   "totesimme", "kirjoitin",  "kirjoitimme",
	                                       "selitin",     "selitimme", "ilmoitin",  "ilmoitimme", NULL};
	static const char *const fi_passive[] = {"sanottu",    "kerrottu",   "mainittu",  "todettu",    "sanottiin",
	                                         "kerrottiin", "mainittiin", "todettiin", "ilmoitettu", NULL};
	static const char *const en_verbs[] = {"said",  "told",  "mentioned", "stated", "explained",
	                                       "wrote", "noted", "informed",  NULL};
	static const char *const before[] = {"jo",     "aiemmin", "aikaisemmin", "edellisessä", "already", "previously",
	                                     "before", "earlier", "i",           "we",          NULL};
	if (!text_tok_in(ta, &ta->toks[i], starts))
		return SIZE_MAX;
	int fi = !text_tok_is(ta, &ta->toks[i], "as") && !text_tok_is(ta, &ta->toks[i], "like"), was = 0;
	for (size_t j = i + 1, seen = 0; j < ta->ntoks && seen < 5; j++) {
		const struct text_tok *t = &ta->toks[j];
		if (t->type == TT_END)
			break;
		if (t->type != TT_WORD || !t->w)
			continue;
		seen++;
		was |= text_tok_in(ta, t, before);
		if ((fi && text_tok_in(ta, t, fi_first)) || (was && text_tok_in(ta, t, fi ? fi_passive : en_verbs)))
			return j;
	}
	return SIZE_MAX;
}

/* 1 if token t's normalised form starts with one of prefixes (NULL-terminated). */
static int tok_starts(const struct text_analyzer *ta, const struct text_tok *t, const char *const *prefixes)
{
	if (t->type != TT_WORD)
		return 0;
	for (int k = 0; prefixes[k]; k++) {
		size_t n = strlen(prefixes[k]);
		if (t->norm_len >= n && !memcmp(ta->scratch + t->norm_off, prefixes[k], n))
			return 1;
	}
	return 0;
}

/* The sentence [*a, *b) around token i (*b is its TT_END, or ntoks). */
static void sentence_of(const struct text_analyzer *ta, size_t i, size_t *a, size_t *b)
{
	size_t x = i, y = i;
	while (x > 0 && ta->toks[x - 1].type != TT_END)
		x--;
	while (y < ta->ntoks && ta->toks[y].type != TT_END)
		y++;
	*a = x;
	*b = y;
}

/* 1 if the sentence of token i holds an apology word ("sorry", "pahoittelen"). */
static int sentence_apologises(const struct text_analyzer *ta, size_t i)
{
	size_t a, b;
	sentence_of(ta, i, &a, &b);
	for (size_t j = a; j < b; j++)
		if (ta->toks[j].w && (ta->toks[j].w->info.flags & TI_APOLOGY))
			return 1;
	return 0;
}

/* 1 if the sentence ending at token b (TT_END or ntoks) is a question. */
static int is_question(const struct text_analyzer *ta, size_t b)
{
	return b < ta->ntoks && ta->toks[b].quest > 0;
}

/* 1 if a word before token i in its clause makes the clause a condition or an offer: "If you
 * forgot your password, ...", "Jos annoit väärän osoitteen, ...", "You can fill it in again",
 * "You may have entered ...". */
static int clause_conditional(const struct text_analyzer *ta, size_t i)
{
	static const char *const cond[] = {"if",    "case",     "unless",  "whether", "jos",   "mikäli",  "jollet",
	                                   "ellet", "jollette", "ellette", "can",     "could", "may",     "might",
	                                   "maybe", "perhaps",  "voit",    "voitte",  "ehkä",  "kenties", NULL};
	for (size_t j = i; j-- > 0;) {
		const struct text_tok *p = &ta->toks[j];
		if (p->type == TT_END || p->type == TT_CLAUSE)
			break;
		if (text_tok_in(ta, p, cond))
			return 1;
	}
	for (size_t j = i + 1, seen = 0; j < ta->ntoks && seen < 2; j++) {
		const struct text_tok *n = &ta->toks[j];
		if (n->type != TT_WORD)
			break;
		seen++;
		if (text_tok_in(ta, n, cond))
			return 1; /* "you may have", "sinä voit" */
	}
	return 0;
}

/*
 * The customer's own fault, said to them (blaming): the customer as the subject of a clause
 * that names what they did wrong or failed to do. From a second tone red team written blind
 * (ninth session of 2026-12-07; general Finnish and English):
 *  - a negated act the customer was to do: "Et ilmoittanut muutosta ajoissa", "Ette vastanneet
 *    puhelimeen", "Et ole lukenut ohjetta", "You didn't collect it in time", "you never
 *    replied", "you didn't bother to read";
 *  - the same act in the conditional perfect: "Olisit lukenut sopimusehdot";
 *  - forgetting: "Unohdit maksaa laskun", "You forgot to sign the form";
 *  - an act done wrong or late: "Annoit väärän osoitteen", "Olet täyttänyt lomakkeen väärin",
 *    "peruit ajan myöhässä", "You entered the wrong number", "you cancelled too late",
 *    "You were late".
 * Not when the customer is the one wronged ("Sait väärän tuotteen", "You were sent the wrong
 * size", "You received the wrong item"), not a condition or an offer (clause_conditional()),
 * not a question, not a quote, not "not yet" ("You haven't confirmed your booking yet" is a
 * status), and not an exoneration ("You didn't do anything wrong", "Et tehnyt mitään väärin").
 * Returns the index of the word that names the fault, or SIZE_MAX; *from is the customer's
 * word.
 */
static size_t customer_fault_at(const struct text_analyzer *ta, size_t i, size_t *from)
{
	/* verbs of what the customer was to do, as the forms after a negation begin */
	static const char *const fi_duty[] = {
	    "ilmoit",   "vastan",   "vastaa",    "maksan",      "maksa",     "lukenu",    "lukene",    "lue",
	    "noudat",   "tarkist",  "täyttän",   "täyttä",      "täytä",     "hakenu",    "hae",       "noutan",
	    "nouda",    "palautta", "palauta",   "tallenta",    "tallenna",  "perun",     "peruutta",  "varannu",
	    "varanne",  "kirjaut",  "päivittä",  "päivitä",     "liittäny",  "liittäne",  "liitä",     "muistanu",
	    "muistane", "muista",   "huolehti",  "allekirjoit", "lähettäny", "lähettäne", "lähetä",    "kertonu",
	    "kertone",  "kerro",    "soittanu",  "soittane",    "soita",     "ymmärtäny", "ymmärtäne", "ymmärrä",
	    "seurannu", "seuranne", "lukinnu",   "lukitse",     "sulkenu",   "sulje",     "ottanu",    "ottane",
	    "katsonu",  "katsone",  "kuunnellu", "kuuntele",    NULL};
	static const char *const en_duty[] = {
	    "notify",    "notified",  "tell",     "told",       "inform",   "informed",  "answer",     "answered",
	    "reply",     "replied",   "respond",  "responded",  "pay",      "paid",      "read",       "follow",
	    "followed",  "check",     "checked",  "fill",       "filled",   "complete",  "completed",  "collect",
	    "collected", "pick",      "picked",   "return",     "returned", "save",      "saved",      "cancel",
	    "cancelled", "canceled",  "book",     "booked",     "log",      "logged",    "update",     "updated",
	    "attach",    "attached",  "sign",     "signed",     "send",     "sent",      "register",   "registered",
	    "confirm",   "confirmed", "call",     "called",     "contact",  "contacted", "lock",       "locked",
	    "enter",     "entered",   "submit",   "submitted",  "keep",     "kept",      "understand", "understood",
	    "listen",    "listened",  "remember", "remembered", "bother",   "bothered",  "look",       "looked",
	    NULL};
	static const char *const forgot[] = {"forgot",    "forgotten",  "unohdit", "unohditte",
	                                     "unohtanut", "unohtaneet", NULL};
	static const char *const fi_wrong[] = {"väärin", "väärä", "myöhässä", "myöhään", "huolimattom", NULL};
	static const char *const en_wrong[] = {"wrong", "wrongly", "incorrectly", "late", NULL};
	static const char *const not_yet[] = {"yet", "vielä", "vieläkään", NULL};
	static const char *const fi_subject[] = {"sinä",  "sä",   "sää",    "te",     "olet",     "olette", "oot",
	                                         "ootte", "olit", "olitte", "olisit", "olisitte", "oisit",  NULL};
	/* the customer wronged or receiving: "sait", "jouduit", "you were sent", "you got" */
	static const char *const fi_receiving[] = {"saada", "joutua", "kokea", "tuntea", "tulla", NULL};
	static const char *const en_victim[] = {"were",    "was", "are",  "'re", "got",  "get", "received",
	                                        "receive", "had", "have", "'ve", "been", NULL};
	static const char *const participle_en[] = {"sent",   "given",     "told",   "sold",   "shown",   "charged",
	                                            "billed", "delivered", "issued", "quoted", "offered", NULL};
	const struct text_tok *t = &ta->toks[i];
	if (t->type != TT_WORD || !t->w || (t->flags & TF_QUOTED))
		return SIZE_MAX;
	int en = text_tok_is(ta, t, "you") || (t->w->lemma_len == 3 && !memcmp(t->w->lemma, "you", 3));
	uint32_t f = t->w->info.flags;
	int fi_verb = !en && (f & TI_SECOND) && !(f & TI_POSS2) && !(f & TI_QUEST) &&
	              ((f & (TI_SING2 | TI_PAST)) || (f & TI_NEGATOR) || text_tok_in(ta, t, fi_subject));
	if (!en && !fi_verb)
		return SIZE_MAX;
	if (!en && !(f & TI_NEGATOR) && !text_tok_in(ta, t, fi_subject) && text_lemma_in(t->w, fi_receiving))
		return SIZE_MAX;
	size_t a, b;
	sentence_of(ta, i, &a, &b);
	if (is_question(ta, b) || clause_conditional(ta, i))
		return SIZE_MAX;
	*from = i;
	int negated = (f & TI_NEGATOR) != 0,
	    cond_perfect =
	        !en && (text_tok_is(ta, t, "olisit") || text_tok_is(ta, t, "olisitte") || text_tok_is(ta, t, "oisit"));
	if (text_tok_in(ta, t, forgot))
		return i;
	size_t hit = SIZE_MAX;
	for (size_t j = i + 1, seen = 0; j < b && seen < 6; j++) {
		const struct text_tok *n = &ta->toks[j];
		if (n->type == TT_CLAUSE)
			break;
		if (n->type != TT_WORD || !n->w)
			continue;
		seen++;
		if (text_tok_in(ta, n, not_yet))
			return SIZE_MAX;
		if (en && seen == 1 && text_tok_in(ta, n, en_victim)) {
			/* "you were sent", "you've been given", "you got": wronged, not at fault */
			const struct text_tok *v = j + 1 < b ? &ta->toks[j + 1] : NULL;
			if (text_tok_in(ta, n, (const char *const[]){"got", "get", "received", "receive", "had", NULL}))
				return SIZE_MAX;
			if (v && v->type == TT_WORD &&
			    (text_tok_is(ta, v, "been") || text_tok_in(ta, v, participle_en)))
				return SIZE_MAX;
			if (v && v->type == TT_WORD && v->norm_len > 3) {
				const char *e = ta->scratch + v->norm_off + v->norm_len;
				if (e[-2] == 'e' && e[-1] == 'd')
					return SIZE_MAX;
			}
		}
		/* the customer receiving: "you didn't receive your order in time", and after a
		 * pronoun "Sinä sait väärän tuotteen", "Te saitte laskun myöhässä" (the verb is not
		 * the token i) */
		if (en ? text_tok_in(ta, n, (const char *const[]){"receive", "received", "get", "got", "gotten", NULL})
		       : text_lemma_in(n->w, fi_receiving))
			return SIZE_MAX;
		if (!en && (n->w->info.flags & TI_SECOND) == 0 && hit == SIZE_MAX && seen <= 2 &&
		    (text_tok_is(ta, t, "olet") || text_tok_is(ta, t, "olette") || cond_perfect ||
		     text_tok_in(ta, t, fi_subject))) {
			/* "olet saanut väärän": the perfect of receiving */
			if (tok_starts(ta, n,
			               (const char *const[]){"saanu", "saane", "joutunu", "joutune", "kokenu", "kokene",
			                                     NULL}))
				return SIZE_MAX;
		}
		if ((n->w->info.flags & TI_NEGATOR) || (n->flags & TF_NT) || text_tok_is(ta, n, "not") ||
		    text_tok_is(ta, n, "never")) {
			if (en && !negated && j > i + 1 + 1 && !text_tok_is(ta, &ta->toks[j - 1], "you"))
				break; /* a negation far on belongs to another verb */
			negated = 1;
			continue;
		}
		if (text_tok_in(ta, n, forgot))
			return j;
		if (negated || cond_perfect) {
			if (en ? text_tok_in(ta, n, en_duty) : tok_starts(ta, n, fi_duty))
				hit = j;
			/* "in time" only with an act the customer was to do before it ("et ilmoittanut
			 * ajoissa", "you didn't pay on time") */
			if ((text_tok_is(ta, n, "ajoissa") ||
			     (text_tok_is(ta, n, "time") && j > 0 &&
			      (text_tok_is(ta, &ta->toks[j - 1], "in") || text_tok_is(ta, &ta->toks[j - 1], "on")))) &&
			    negated && hit != SIZE_MAX)
				hit = j;
			if (en ? text_tok_in(ta, n, en_wrong) : tok_starts(ta, n, fi_wrong))
				return SIZE_MAX; /* "et tehnyt mitään väärin": exonerated */
		} else if (en ? text_tok_in(ta, n, en_wrong) : tok_starts(ta, n, fi_wrong)) {
			if (en && text_tok_is(ta, n, "late") && j + 1 < b && text_tok_is(ta, &ta->toks[j + 1], "fee"))
				continue;
			hit = j;
		}
	}
	if (hit != SIZE_MAX)
		for (size_t j = hit + 1; j < b; j++)
			if (text_tok_in(ta, &ta->toks[j], not_yet))
				return SIZE_MAX;
	return hit;
}

/*
 * 1 if the apology at token i is hedged into a non-apology: conditional ("Sorry if you were
 * offended", "Apologies if this has upset you", "Jos joku loukkaantui, niin pahoittelen"), or
 * sorry for the customer's view rather than for what happened ("We're sorry you feel you were
 * treated unfairly", "any inconvenience you may have experienced", "Pahoittelemme, että olet
 * tätä mieltä", "Olemme pahoillamme, että tunnet tulleesi kohdelluksi epäreilusti",
 * "Valitettavasti koit asian näin"). "Sorry you had to wait" and "Pahoittelen, että koit huonoa
 * palvelua" are apologies: the experience verb counts only with a word of manner after it.
 */
static int apology_hedged(const struct text_analyzer *ta, size_t i)
{
	static const char *const hedge[] = {"if",    "think", "thought", "perceive", "perceived", "may",
	                                    "might", "jos",   "mikäli",  "mieltä",   NULL};
	/* a feeling verb with a claim after it ("you feel you were treated unfairly", "you feel
	 * that way", "tunnet tulleesi kohdelluksi"), not with the feeling itself ("sorry you felt
	 * rushed"; Finnish "tunnet" then takes a participle or "että") */
	static const char *const feel[] = {"feel", "feels", "felt", "tunnet", "tunnette", "tunsit", "tunsitte", NULL};
	static const char *const claim[] = {"that", "you", "we",   "this", "it",   "so",
	                                    "like", "as",  "että", "näin", "noin", NULL};
	static const char *const experience[] = {"koit", "koitte", "koet", "koette", "experienced", NULL};
	static const char *const manner[] = {"näin",       "noin", "niin", "siten", "sellaisena",
	                                     "tällaisena", "way",  "like", NULL};
	size_t a, b;
	sentence_of(ta, i, &a, &b);
	for (size_t j = a; j < i; j++)
		if (text_tok_is(ta, &ta->toks[j], "if") || text_tok_is(ta, &ta->toks[j], "jos"))
			return 1;
	for (size_t j = i + 1, seen = 0; j < b && seen < 6; j++) {
		const struct text_tok *n = &ta->toks[j];
		/* (within the apology's clause: "Sorry, we think the parcel was lost" is sorry; the
		 * Finnish "Pahoittelemme, että..." goes on past its comma) */
		if (n->type == TT_CLAUSE && !(j + 1 < b && text_tok_in(ta, &ta->toks[j + 1],
									(const char *const[]){"että", "jos", "if", "that", NULL})))
			break;
		if (n->type != TT_WORD)
			continue;
		seen++;
		if (text_tok_is(ta, n, "and") || text_tok_is(ta, n, "ja") || text_tok_is(ta, n, "but") ||
		    text_tok_is(ta, n, "mutta"))
			break;
		if (text_tok_in(ta, n, hedge))
			return 1;
		if (text_tok_in(ta, n, feel) && j + 1 < b) {
			const struct text_tok *c = &ta->toks[j + 1];
			if (text_tok_in(ta, c, claim) || (c->w && (c->w->info.flags & TI_POSS3) == 0 &&
			                                  tok_starts(ta, c, (const char *const[]){"tullee", NULL})))
				return 1;
		}
		if (text_tok_in(ta, n, experience))
			for (size_t k = j + 1; k < b && k <= j + 3; k++)
				if (text_tok_in(ta, &ta->toks[k], manner))
					return 1;
	}
	/* "that's how you experienced it": the manner before */
	for (size_t j = a; j < b; j++)
		if (text_tok_in(ta, &ta->toks[j], experience) && j > a &&
		    (text_tok_is(ta, &ta->toks[j - 1], "how") ||
		     (j >= a + 2 && text_tok_is(ta, &ta->toks[j - 2], "how"))))
			return 1;
	return 0;
}

/*
 * Sarcasm in general constructions (the second tone red team): an interjection said twice
 * ("Surprise, surprise", "Yllätys yllätys", "Yeah, yeah", "Jaa jaa"), and a wait or a delay
 * made small with "a whole" and a number ("a whole five minutes", "kokonaista viisi minuuttia")
 * in a sentence that apologises for nothing ("Sorry you waited a whole 40 minutes" is an
 * apology). Returns the index of the construction's last word, or SIZE_MAX.
 */
static size_t sarcasm_at(const struct text_analyzer *ta, size_t i, int apology_in_sentence)
{
	static const char *const twice[] = {"surprise", "yllätys", "yeah", "sure", "jaa", "joo", NULL};
	static const char *const numbers[] = {
	    "one",   "two",       "three",     "four",     "five",     "six",         "seven",         "eight", "nine",
	    "ten",   "fifteen",   "twenty",    "thirty",   "yksi",     "kaksi",       "kolme",         "neljä", "viisi",
	    "kuusi", "seitsemän", "kahdeksan", "yhdeksän", "kymmenen", "viisitoista", "kaksikymmentä", NULL};
	const struct text_tok *t = &ta->toks[i];
	if (t->type != TT_WORD)
		return SIZE_MAX;
	if (text_tok_in(ta, t, twice)) {
		size_t j = i + 1;
		if (j < ta->ntoks && ta->toks[j].type == TT_CLAUSE)
			j++;
		if (j < ta->ntoks && ta->toks[j].type == TT_WORD && ta->toks[j].norm_len == t->norm_len &&
		    !memcmp(ta->scratch + ta->toks[j].norm_off, ta->scratch + t->norm_off, t->norm_len))
			return j;
		return SIZE_MAX;
	}
	if (apology_in_sentence)
		return SIZE_MAX;
	size_t j = SIZE_MAX;
	if (text_tok_is(ta, t, "whole") && i > 0 && text_tok_is(ta, &ta->toks[i - 1], "a"))
		j = i + 1;
	else if (text_tok_is(ta, t, "kokonaista") || text_tok_is(ta, t, "kokonaiset"))
		j = i + 1;
	if (j < ta->ntoks && (ta->toks[j].type == TT_NUM || text_tok_in(ta, &ta->toks[j], numbers)))
		return j;
	return SIZE_MAX;
}

/*
 * 1 unless the thanks or apology at token i is denied or turned round: a negation just before
 * it in its clause ("Emme pahoittele mitään", "We are not sorry", "Ei kiitos"), English "no"
 * right before it ("No thanks"; Finnish "no" is "well": "No kiitos paljon"), or "for nothing" /
 * "tyhjästä" / "turhasta" after it ("Thank you for nothing", "Kiitos turhasta"). "We can't
 * thank you enough" ("tarpeeksi", "kylliksi") and "en voi kuin kiittää" (I can only thank) are
 * thanks.
 */
static int thanks_sincere(const struct text_analyzer *ta, size_t i, enum text_lang lang)
{
	static const char *const enough[] = {"enough", "tarpeeksi", "kylliksi", "riittävästi", NULL};
	static const char *const nothing[] = {"tyhjästä", "turhasta", NULL};
	int denied = 0;
	if (lang == TEXT_LANG_EN && i > 0 && text_tok_is(ta, &ta->toks[i - 1], "no"))
		return 0;
	for (size_t j = i, seen = 0; j-- > 0 && seen < 3;) {
		const struct text_tok *p = &ta->toks[j];
		if (p->type == TT_END || p->type == TT_CLAUSE)
			break;
		if (p->type != TT_WORD || !p->w)
			continue;
		seen++;
		if (text_tok_is(ta, p, "kuin") || text_tok_is(ta, p, "but"))
			break; /* "en voi kuin kiittää": only thanks */
		if (((p->w->info.flags & TI_NEGATOR) && !(p->w->info.flags & TI_QUEST) && !text_tok_is(ta, p, "no")) ||
		    (p->flags & TF_NT))
			denied = 1; /* "no" only right before it, above ("No worries and thank you") */
	}
	for (size_t j = i + 1; j < ta->ntoks && j <= i + 4 && ta->toks[j].type != TT_END; j++) {
		const struct text_tok *n = &ta->toks[j];
		if (denied && text_tok_in(ta, n, enough))
			return 1;
		if (text_tok_in(ta, n, nothing) ||
		    (text_tok_is(ta, n, "for") && j + 1 < ta->ntoks && text_tok_is(ta, &ta->toks[j + 1], "nothing")))
			return 0;
	}
	return !denied;
}

/*
 * Harsh in general constructions (the second tone red team): telling the customer that asking
 * or complaining is pointless or must stop - "turha" / "no point" / "stop" / "quit" / "lopeta"
 * with a verb of nagging within four words ("Turha tässä on jankuttaa", "turha kysellä",
 * "There's no point going on about it", "stop asking") - and a tautology that ends the
 * discussion ("The price is the price", "Hinta on hinta", "Business is business": a word, a
 * copula, the same lemma). Returns the index of the last word, or SIZE_MAX.
 */
static size_t dismissal_at(const struct text_analyzer *ta, size_t i)
{
	static const char *const starts[] = {"turha", "turhaa", "point", "stop", "quit", "lopeta", "lopettakaa", NULL};
	static const char *const nagging[] = {
	    "kysellä",     "kysyä",     "jankuttaa",   "jankata",       "jauhaa",       "valittaa",
	    "inistä",      "vinkua",    "marista",     "ruikuttaa",     "soitella",     "kirjoitella",
	    "vängätä",     "kysyminen", "kyseleminen", "jankuttaminen", "valittaminen", "asking",
	    "complaining", "arguing",   "nagging",     "whining",       "moaning",      "pestering",
	    "bothering",   "going",     "emailing",    "calling",       "writing",      "asking",
	    NULL};
	static const char *const copula[] = {"is", "are", "on", "ovat", NULL};
	const struct text_tok *t = &ta->toks[i];
	if (t->type != TT_WORD || !t->w)
		return SIZE_MAX;
	if (text_tok_in(ta, t, starts)) {
		if (text_tok_is(ta, t, "point") && !(i > 0 && text_tok_is(ta, &ta->toks[i - 1], "no")))
			return SIZE_MAX;
		/* "stop" / "quit" / "lopeta" as an order: first in its clause, or after "please" /
		 * "just" / "nyt" - not "We will stop emailing you as requested" */
		if (!text_tok_is(ta, t, "point") && !text_tok_is(ta, t, "turha") && !text_tok_is(ta, t, "turhaa") &&
		    i > 0 && ta->toks[i - 1].type == TT_WORD &&
		    !text_tok_in(ta, &ta->toks[i - 1], (const char *const[]){"please", "just", "nyt", "jo", NULL}))
			return SIZE_MAX;
		for (size_t j = i + 1, seen = 0; j < ta->ntoks && seen < 4; j++) {
			const struct text_tok *n = &ta->toks[j];
			if (n->type == TT_END || n->type == TT_CLAUSE)
				break;
			if (n->type != TT_WORD || !n->w)
				continue;
			seen++;
			if (text_tok_in(ta, n, nagging) || text_lemma_in(n->w, nagging))
				return j;
		}
		return SIZE_MAX;
	}
	/* the tautology: X is (the) X, X not a function word */
	if ((t->w->info.flags & (TI_FUNC | TI_STOP | TI_SECOND | TI_FIRST)) || t->norm_len < 3 || i + 2 >= ta->ntoks ||
	    !text_tok_in(ta, &ta->toks[i + 1], copula))
		return SIZE_MAX;
	size_t j = i + 2;
	if (text_tok_is(ta, &ta->toks[j], "the") && j + 1 < ta->ntoks)
		j++;
	const struct text_tok *u = &ta->toks[j];
	if (u->type == TT_WORD && u->w && u->w->lemma_len == t->w->lemma_len &&
	    !memcmp(u->w->lemma, t->w->lemma, u->w->lemma_len) &&
	    !(j + 1 < ta->ntoks && ta->toks[j + 1].type == TT_WORD))
		return j;
	return SIZE_MAX;
}

/* 1 if token i lies in a sentence that blames the customer (sentence ends in blamed[]). */
static int in_blamed(const struct text_analyzer *ta, size_t i, const size_t *blamed, int nblamed)
{
	size_t a, b;
	sentence_of(ta, i, &a, &b);
	for (int k = 0; k < nblamed; k++)
		if (blamed[k] == b)
			return 1;
	return 0;
}

/* 1 if the apology or thanks at token i (an apology if apology) counts as one: sincere, not
 * hedged, and not in a sentence that blames the customer ("Olen pahoillani, että et
 * ymmärtänyt laskua"). */
static int thanks_counts(const struct text_analyzer *ta, size_t i, enum text_lang lang, int apology,
                         const size_t *blamed, int nblamed)
{
	if (!thanks_sincere(ta, i, lang))
		return 0;
	return !apology || (!apology_hedged(ta, i) && !in_blamed(ta, i, blamed, nblamed));
}

/* 1 if the sentence [a, b) is one word of finality after an earlier sentence: "Ei onnistu.
 * Piste.", "No. Period.", "End of story." (harsh). */
static int final_word_sentence(const struct text_analyzer *ta, size_t a, size_t b)
{
	static const char *const one[] = {"piste", "period", NULL};
	if (a == 0)
		return 0;
	size_t words = 0, first = a;
	for (size_t j = a; j < b; j++)
		if (ta->toks[j].type == TT_WORD) {
			if (!words)
				first = j;
			words++;
		}
	if (words == 1)
		return text_tok_in(ta, &ta->toks[first], one);
	return words == 2 && text_tok_is(ta, &ta->toks[first], "full") && text_tok_is(ta, &ta->toks[first + 1], "stop");
}

int text_tone_check(struct text_analyzer *ta, const char *s, size_t len, enum text_lang lang, unsigned flags,
                    struct text_tone_report *out)
{
	memset(out, 0, sizeof(*out));
	struct text_result r;
	int rc = text_analyze_lex(ta, s, len, lang, &r);
	if (rc)
		return rc;
	out->lang = r.lang;
	/* the customer's own fault first: an apology in the same sentence is no apology */
	size_t blamed[64];
	int nblamed = 0;
	for (size_t i = 0; i < ta->ntoks; i++) {
		size_t from = i, z = customer_fault_at(ta, i, &from);
		if (z == SIZE_MAX)
			continue;
		add_issue(out, TEXT_TONE_BLAMING, ta->toks[from < z ? from : z].start, ta->toks[z].end);
		size_t a, b;
		sentence_of(ta, i, &a, &b);
		if (nblamed < 64)
			blamed[nblamed++] = b;
		i = b; /* one per sentence */
	}
	int negative_words = 0, ellipsis = 0, thanks = 0;
	for (size_t i = 0; i < ta->ntoks; i++) {
		const struct text_tok *t = &ta->toks[i];
		if (t->flags & TF_ELLIPSIS)
			ellipsis = 1;
		if (!t->w)
			continue;
		if ((t->w->info.flags & (TI_THANKS | TI_APOLOGY)) &&
		    thanks_counts(ta, i, r.lang, (t->w->info.flags & TI_APOLOGY) != 0, blamed, nblamed))
			thanks = 1;
		if ((t->w->info.flags & TI_HASVAL) && t->w->info.valence <= -2)
			negative_words++;
	}
	for (size_t i = 0; i < ta->nmatches; i++) {
		const struct text_match *m = &ta->matches[i];
		switch (m->kind) {
		case TEXT_LK_BLAME:
			if (!blame_excused(ta, m))
				add_issue(out, TEXT_TONE_BLAMING, m->start, m->end);
			break;
		case TEXT_LK_APOLOGY: /* "ikävä kuulla", "my bad" */
		case TEXT_LK_THANKS: {
			size_t k = 0;
			while (k < ta->ntoks && ta->toks[k].start < m->start)
				k++;
			if (k < ta->ntoks && thanks_counts(ta, k, r.lang, m->kind == TEXT_LK_APOLOGY, blamed, nblamed))
				thanks = 1;
			break;
		}
		case TEXT_LK_HARSH: add_issue(out, TEXT_TONE_HARSH, m->start, m->end); break;
		case TEXT_LK_SARCASM: {
			/* weak patterns ("great job") only count with a negative or trailing-off
			 * context; a pattern that counts, not when its sentence apologises
			 * ("Sorry you had to ask for the third time") */
			size_t k = 0;
			while (k < ta->ntoks && ta->toks[k].start < m->start)
				k++;
			if ((m->weight >= 1 || negative_words || ellipsis || r.sentiment_label < 0) &&
			    !(k < ta->ntoks && sentence_apologises(ta, k)))
				add_issue(out, TEXT_TONE_SARCASTIC, m->start, m->end);
			break;
		}
		default: break;
		}
	}
	for (size_t i = 0; i < ta->ntoks; i++) {
		size_t z = reminder_at(ta, i);
		if (z != SIZE_MAX)
			add_issue(out, TEXT_TONE_BLAMING, ta->toks[i].start, ta->toks[z].end);
		z = dismissal_at(ta, i);
		if (z != SIZE_MAX)
			add_issue(out, TEXT_TONE_HARSH, ta->toks[i].start, ta->toks[z].end);
		z = sarcasm_at(ta, i, sentence_apologises(ta, i));
		if (z != SIZE_MAX)
			add_issue(out, TEXT_TONE_SARCASTIC, ta->toks[i].start, ta->toks[z].end);
		if (i == 0 || ta->toks[i - 1].type == TT_END) {
			size_t a, b;
			sentence_of(ta, i, &a, &b);
			if (final_word_sentence(ta, a, b))
				add_issue(out, TEXT_TONE_HARSH, ta->toks[a].start, ta->toks[b > a ? b - 1 : a].end);
		}
		/* "Honey, ...", "Kultaseni, ...": a pet name opening a sentence talks down to the
		 * customer (word class pet_name) */
		const struct text_tok *t = &ta->toks[i];
		if (t->type == TT_WORD && t->w && (t->w->rule_class & RC_PET_NAME) &&
		    (i == 0 || ta->toks[i - 1].type == TT_END) && i + 1 < ta->ntoks &&
		    ta->toks[i + 1].type == TT_CLAUSE)
			add_issue(out, TEXT_TONE_HARSH, t->start, t->end);
	}
	/* harsh: very negative words or insults in a sentence addressing the customer. In a
	 * sentence that apologises or thanks, a very negative word names the trouble ("Sorry you
	 * had a terrible experience"), and a word of how the customer feels ("olet vihainen", "how
	 * angry you are": word class state_adj) is empathy; neither is harsh. */
	for (size_t a = 0; a < ta->ntoks;) {
		size_t b = a;
		int second = 0, kind = 0;
		while (b < ta->ntoks && ta->toks[b].type != TT_END) {
			/* the customer addressed, not only their thing ("tilisi", "tilauksesi": billing
			 * replies name "virheellisesti veloitettu" next to them) */
			if (ta->toks[b].w && (ta->toks[b].w->info.flags & (TI_SECOND | TI_POSS2)) == TI_SECOND)
				second = 1;
			if (ta->toks[b].w && (ta->toks[b].w->info.flags & (TI_APOLOGY | TI_THANKS)))
				kind = 1;
			b++;
		}
		for (size_t i = a; i < b && second; i++) {
			const struct text_tok *t = &ta->toks[i];
			if (!t->w || (t->flags & TF_QUOTED))
				continue; /* the customer's own words quoted: "You described our staff as \"rude\"" */
			int very_negative = (t->w->info.flags & TI_HASVAL) && t->w->info.valence <= -3 && !kind &&
			                    !(t->w->rule_class & RC_STATE);
			if (t->w->info.abuse[TA_INSULT] >= 0.5f || very_negative)
				add_issue(out, TEXT_TONE_HARSH, t->start, t->end);
		}
		a = b + 1;
	}
	if (r.abuse_flagged) {
		if (r.nspans)
			for (size_t i = 0; i < r.nspans; i++)
				add_issue(out, TEXT_TONE_ABUSE, r.spans[i].start, r.spans[i].end);
		else
			add_issue(out, TEXT_TONE_ABUSE, 0, len);
	}
	if ((flags & TEXT_TONE_REPLY_TO_COMPLAINT) && !thanks)
		add_issue(out, TEXT_TONE_MISSING_THANKS, 0, 0);
	text_result_release(&r);
	return TEXT_OK;
}
