/*
 * Severe abuse, for the lexicon analysis (analyze.c): death wished on anyone, harm wished,
 * suicide urged, people denied their life or called vermin, calls to kill or execute, and
 * sexual insults of the reader's family. text_severe_rules[] lists the constructions the
 * pipeline tries in every sentence; the rest tell a report, a condition, a joke or fiction
 * from the real thing.
 */
#include <string.h>

#include "text/analyze_int.h"

/*
 * A wish of death on the reader or someone of theirs, in other words than the listed phrases:
 * a wish word (class wish: "toivottavasti", "toivon", "hope"), a word of killing or dying, and
 * a second-person word in sentence [a, b), with no negation ("Toivottavasti koko sun perhe
 * kuolee", "I hope your whole family dies"; not "Toivottavasti isäsi ei kuole", "I hope your
 * dog didn't die"). A killing word a threat or severe phrase already covers is left to it.
 * Returns the killing word's token, or SIZE_MAX.
 */
size_t text_death_wish(const struct text_analyzer *ta, size_t a, size_t b)
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
	if (!wish || !you || kill == SIZE_MAX || text_fiction_setting(ta, a, b))
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
int text_people_in(const struct text_analyzer *ta, size_t a, size_t b, int ll)
{
	for (size_t j = a; j < b; j++) {
		const struct text_tok *p = &ta->toks[j];
		if (ll == TEXT_LL_EN
		        ? text_en_person_tok(p, j > a)
		        : p->type == TT_WORD && p->w &&
		              ((((p->w->info.flags & (TI_SECOND | TI_POSS2)) && !(p->w->info.flags & TI_IMPER))) ||
		               (p->w->info.flags & TI_PERSON) || person_shaped(p->w) || text_sing2_pronoun(ta, j)))
			return 1;
	}
	return 0;
}

/* 1 if sentence [a, b) names people by a word for them (a person noun, a name, a person
 * word that is not only a pronoun, nor a word for vermin): "Ne" alone may be rats, and
 * "russakka" is a cockroach as well as a slur. */
int text_person_word_in(const struct text_analyzer *ta, size_t a, size_t b, int ll)
{
	for (size_t j = a; j < b; j++) {
		const struct text_tok *p = &ta->toks[j];
		if (p->w && (p->w->rule_class & RC_VERMIN))
			continue;
		if (ll == TEXT_LL_EN ? text_en_person_tok(p, j > a) && !(p->w && (p->w->info.flags & TI_FUNC))
		                     : p->type == TT_WORD && p->w && !(p->w->info.flags & TI_FUNC) &&
		                           (person_shaped(p->w) || (p->w->info.flags & TI_PERSON)))
			return 1;
	}
	return 0;
}

/* 1 if sentence [a, b) has a word for a group of people that is not itself a word for vermin
 * ("russakka" is both a cockroach and a slur). */
int text_group_word_in(const struct text_analyzer *ta, size_t a, size_t b)
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
size_t text_vermin_called(const struct text_analyzer *ta, size_t a, size_t b)
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
size_t text_fi_execution_call(const struct text_analyzer *ta, size_t a, size_t b, int asks, float idgroup)
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
		if (t->type != TT_WORD || text_negated_before(ta, j))
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
int text_pests_only(const struct text_analyzer *ta, size_t a, size_t b, int ll)
{
	int animal = 0, you = 0;
	for (size_t j = a; j < b; j++) {
		animal |= ta->toks[j].w && (ta->toks[j].w->rule_class & (RC_ANIMAL | RC_VERMIN));
		you |= ta->toks[j].w && (ta->toks[j].w->info.flags & TI_SECOND); /* "put down like a dog" */
	}
	return animal && !you && !text_person_word_in(ta, a, b, ll) && !text_group_word_in(ta, a, b);
}

/* 1 if the word of killing or rape at token k (sentence ends before b) is done to a thing: the
 * word after it (past a demonstrative or an article) is a noun for a thing, in Finnish in the
 * nominative, the object's case here ("Teidän pitäis ampua se tuote alas", "shoot the product
 * down"; not "ampua rajalle", at the border). */
int text_killing_of_thing(const struct text_analyzer *ta, size_t k, size_t b, int ll)
{
	static const char *const dets[] = { "se", "tämä", "tuo", "toi", "tää", "ne", "nämä", "noi", "nää", "the",
					    "this", "that", "these", "those", "a", "an", "your", NULL };
	size_t j = k + 1;
	if (j < b && text_tok_in(ta, &ta->toks[j], dets))
		j++;
	const struct text_tok *o = j < b ? &ta->toks[j] : NULL;
	return o && o->type == TT_WORD && o->w &&
	       (ll == TEXT_LL_EN ? text_en_thing_word(ta, o)
	                         : (o->w->info.flags & (TI_CONTENT | TI_NOMINAL)) == (TI_CONTENT | TI_NOMINAL) &&
	                               !(o->w->info.flags & (TI_PERSON | TI_ADJ | TI_FUNC)) && !person_shaped(o->w) &&
	                               o->w->info.idgroup <= 0 && o->w->info.abuse[TA_INSULT] <= 0);
}

/* 1 if a word of killing or rape in sentence [a, b) is not done to a thing. */
int text_killing_of_people(const struct text_analyzer *ta, size_t a, size_t b, int ll)
{
	for (size_t k = a; k < b; k++) {
		const struct text_tok *t = &ta->toks[k];
		if (t->type == TT_WORD && t->w && (t->w->rule_class & RC_KILLING) &&
		    !text_killing_of_thing(ta, k, b, ll))
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
size_t text_fi_death_call(const struct text_analyzer *ta, size_t a, size_t b, int asks)
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
	if (asks || text_fiction_setting(ta, a, b))
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
		    (t->w->info.flags & (TI_IMPER | TI_COND)) && !text_negated_before(ta, i) && !own_say && !cond) {
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
		if ((!dying && !dead) || text_negated_before(ta, i) || conneg_after_negator(ta, a, i) ||
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
				return text_negated_before(ta, j - 1) || own_say ? SIZE_MAX : i;
			if (text_tok_in(ta, p, could) && !cond && !own_say) {
				for (size_t k = i + 1; k < b; k++)
					if (text_tok_is(ta, &ta->toks[k], "pois"))
						return text_negated_before(ta, j - 1) ? SIZE_MAX : i;
				break;
			}
			if (!text_tok_in(ta, p, particles))
				break;
			j--;
		}
	}
	return SIZE_MAX;
}

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
	return ll == TEXT_LL_EN ? text_en_person_tok(t, not_first) : person_shaped(w);
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
 * A wish of death or grave harm on people, beyond text_death_wish() (a "you" and a word of killing):
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
		if ((((t->w->info.flags & TI_NEGATOR) || (t->flags & TF_NT)) &&
		     !(ll == TEXT_LL_FI && text_fi_et_that(ta, a, i))) ||
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
	if (!wish || text_fiction_setting(ta, a, b))
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
int text_en_thing_kills(const struct text_analyzer *ta, const struct text_match *m)
{
	static const char *const skip[] = { "literally", "really", "actually", "slowly", "eventually", "will", "can",
					    "could", "would", "might", "may", "just", "basically", NULL };
	static const char *const it[] = { "it", "this", "that", "which", "it'll", "that'll", "this'll", "smoking",
					  "drinking", "stress", NULL };
	size_t k, sa, sb;
	if (!text_match_sentence(ta, m, &k, &sa, &sb) || !ta->toks[k].w || !(ta->toks[k].w->rule_class & RC_KILLING))
		return 0;
	for (size_t j = k, seen = 0; j-- > sa && seen < 4; seen++) {
		const struct text_tok *p = &ta->toks[j];
		if (p->type != TT_WORD || !p->w)
			return 0;
		if (text_tok_in(ta, p, skip))
			continue;
		return text_tok_in(ta, p, it) || text_en_thing_word(ta, p);
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
int text_en_passive_not_violence(const struct text_analyzer *ta, const struct text_match *m)
{
	static const char *const camera[] = { "from", "outdoors", "indoors", "with", "for", "on", "against", NULL };
	size_t k, sa, sb;
	if (!text_match_sentence(ta, m, &k, &sa, &sb) || !text_tok_is(ta, &ta->toks[k], "should"))
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
		if (text_en_person_tok(p, j > sa) ||
		    (p->w && (p->w->info.idgroup > 0 || (p->w->info.flags & TI_SECOND))))
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
	return ll == TEXT_LL_EN ? text_en_person_tok(p, i > a) : person_shaped(p->w) || (p->w->info.flags & TI_PERSON);
}

/* A negator anywhere in [a, i): "Se ei tarkoita että minä tapan heidät" commits to nothing. */
int text_negator_in(const struct text_analyzer *ta, size_t a, size_t i)
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
int text_fi_person_object(const struct text_analyzer *ta, size_t a, size_t b, size_t i)
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
				    ((ta->toks[k].w->rule_class & (RC_PERSON_NOUN | RC_KIN | RC_FAMILY | RC_STAFF)) ||
				     text_agent_noun(ta->toks[k].w)))
					return 1;
			return 0;
		}
		/* a person noun of the lists or an agent noun, not a compound that merely ends in
		 * a person word ("taulukko") */
		if (!(t->w->info.flags & (TI_NOMINAL | TI_SECOND | TI_FUNC)) &&
		    !(t->w->rule_class & (RC_VERMIN | RC_ANIMAL)) &&
		    ((t->w->rule_class & (RC_PERSON_NOUN | RC_KIN | RC_FAMILY | RC_STAFF | RC_GIVEN_NAME)) ||
		     text_agent_noun(t->w)))
			return 1;
	}
	return 0;
}

/*
 * English: 1 if the writer commits to the violent verb at token i of sentence [a, b) against a
 * third person: "I" or "we" among the six words before it in its clause (text_en_speaker_commits():
 * "I'll", "I'm going to", "gonna"; not "my boss is gonna kill me"), and as its object "him" /
 * "her", or a determiner ("the", "that", "your") and within three words a person ("kill the
 * driver", "stab that guard", "shoot the manager who"). Not "kill the process", "kill me".
 */
int text_en_person_object(const struct text_analyzer *ta, size_t a, size_t b, size_t i)
{
	static const char *const self[] = {"i", "i'll", "ill", "i'm", "im", "we", "we'll", "we're", NULL};
	static const char *const him[] = {"him", "her", NULL};
	static const char *const det[] = {"the", "that", "this", "your", "ur", "yer", "ya", NULL};
	if (!text_en_speaker_commits(ta, a, i))
		return 0;
	int subject = 0;
	for (size_t j = i, seen = 0; j-- > a && seen < 6 && !subject;) {
		const struct text_tok *p = &ta->toks[j];
		if (p->type == TT_CLAUSE)
			break;
		if (p->type != TT_WORD || !p->w)
			continue;
		seen++;
		subject = text_tok_in(ta, p, self);
	}
	if (!subject || i + 1 >= b || ta->toks[i + 1].type != TT_WORD || !ta->toks[i + 1].w)
		return 0;
	if (text_tok_in(ta, &ta->toks[i + 1], him))
		return 1;
	if (!text_tok_in(ta, &ta->toks[i + 1], det))
		return 0;
	for (size_t j = i + 2, seen = 0; j < b && seen < 3; j++) {
		const struct text_tok *t = &ta->toks[j];
		if (t->type != TT_WORD || !t->w)
			return 0;
		seen++;
		if ((t->w->rule_class & (RC_STAFF | RC_KIN | RC_FAMILY | RC_PERSON_NOUN)) ||
		    (t->w->info.flags & TI_PERSON))
			return 1;
		if (t->w->info.flags & TI_FUNC)
			return 0;
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
 *   "children must be text_watched so they don't drown", not "the battery must be dead").
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
	if (!cue || text_fiction_setting(ta, a, b))
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
			dead |= has_if && t->w && !text_negated_before(ta, i) &&
			        (((LEMMA_IS(t, "kuolla") || LEMMA_IS(t, "kuoltu")) && (t->w->info.flags & TI_SECOND)) ||
			         ((text_tok_is(ta, t, "dead") || text_tok_is(ta, t, "died")) && i > a + 1 &&
			          (text_tok_in(ta, &ta->toks[i - 1], you_en) ||
			           text_tok_in(ta, &ta->toks[i - 2], you_en))));
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
		    text_negated_before(ta, i)) {
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
			if (st && st->w && !text_negated_before(ta, i) && d < b && LEMMA_IS(&ta->toks[i + 1], "olla") &&
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
			    (text_negated_before(ta, i) || (subj > a && text_negated_before(ta, subj))))
				return i + 2;
			/* "ansaitsisit tulla raiskatuksi", "sä ansaitset tulla hakatuks": harm deserved */
			if (LEMMA_IS(t, "ansaita") && !text_negated_before(ta, i) && (people || you) && i + 2 < b &&
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
				if (!past || text_negated_before(ta, i) || animal)
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
		} else if (text_tok_in(ta, t, ought_en) && !text_negated_before(ta, i) && !(t->flags & TF_NT) &&
		           people) {
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
				if (first && (q->w->rule_class & RC_HARM) && text_group_word_in(ta, a, b))
					return j;
				if (text_tok_is(ta, q, "death") && text_tok_is(ta, &ta->toks[j - 1], "to"))
					return j;
				if ((text_tok_is(ta, q, "burned") || text_tok_is(ta, q, "burnt")) &&
				    ((nx && (text_tok_is(ta, nx, "alive") || text_tok_is(ta, nx, "at"))) ||
				     text_group_word_in(ta, a, b)))
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
int text_mentions_abuse(const struct text_analyzer *ta)
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
int text_says_joke(const struct text_analyzer *ta)
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
int text_playful(const struct text_analyzer *ta, const struct severe_cx *cx)
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

/* text_negated_before(), with the spoken "et" for "että" not a negation ("niin surkee et kannattais") */
static int negated_before_that(const struct text_analyzer *ta, size_t a, size_t i)
{
	if (!text_negated_before(ta, i))
		return 0;
	for (size_t j = i, seen = 0; j-- > a && seen < 3; seen++)
		if (text_tok_is(ta, &ta->toks[j], "et"))
			return !text_fi_et_that(ta, a, j);
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
	if (asks || text_fiction_setting(ta, a, b))
		return SIZE_MAX;
	/* "KYS" (kill yourself), "Hirttäydy!", "Mee kuolemaan": one word, or going to die */
	for (size_t i = a; i < b; i++) {
		const struct text_tok *t = &ta->toks[i];
		if (t->type != TT_WORD || !t->w)
			continue;
		if ((ll == TEXT_LL_EN ? text_tok_is(ta, t, "kys")
		                      : text_tok_is(ta, t, "hirttäydy") || text_tok_is(ta, t, "hirttäytykää") ||
		                            (text_tok_is(ta, t, "kuolemaan") && i > a &&
		                             text_tok_in(ta, &ta->toks[i - 1], go_die_fi))) &&
		    !text_negated_before(ta, i))
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
			int careful = text_fiction_setting(ta, a, b);
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
	    text_fiction(ta, cx) || text_pests_only(ta, a, b, TEXT_LL_EN)) /* "Die, mosquitoes, die!" */
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
	if (cx->asks || text_fiction_setting(ta, a, b))
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
	if (every && them && text_people_in(ta, a, b, TEXT_LL_EN))
		return v;
	return SIZE_MAX;
}

/*
 * Where a shot to the head is aimed: the death-threat idioms of a bullet ("kuula kalloon",
 * "luoti otsaan", "put a bullet in you", "a bullet in your head", "bullet between your eyes"),
 * around the bullet word at token k of sentence [a, b) (class shot), in its clause:
 * - English: the words after "in" / "into" / "through" / "between" / "to" / "at" right after
 *   it: the reader ("you", "your"), the writer ("my head", "me"), a person ("him", "his", "that
 *   manager"; "his" after "he" is his own), a thing ("this printer", "the top corner"); else a
 *   "you" elsewhere in the clause, not "for you" ("I'd take a bullet for you");
 * - Finnish: a possessive suffix on the body part after it ("kalloosi" the reader, "kalloni"
 *   the writer, "kalloonsa" the subject's own), else in the clause a second-person word (the
 *   reader: "ansaitset kuulan kalloon", "Kuula kalloon sulle"), the verb "ottaa" (taking one
 *   oneself: "ottaisin kuulan kalloon tän laskun takia", "tekis mieli ottaa kuula kalloon"),
 *   a word for people or a group ("sille kuskille", "uusnatseille", "kaikille"), an animal
 *   ("sika saa kuulan kalloon").
 */
int text_shot_aim(const struct text_analyzer *ta, size_t a, size_t b, size_t k, int ll)
{
	size_t ca = k, cb = k + 1;
	while (ca > a && ta->toks[ca - 1].type != TT_CLAUSE)
		ca--;
	while (cb < b && ta->toks[cb].type != TT_CLAUSE)
		cb++;
	if (ll == TEXT_LL_EN) {
		static const char *const preps[] = {"in", "into", "through", "between", "to", "at", NULL};
		static const char *const reader[] = {"you", "your",     "ya",     "yer",   "ur",
		                                     "u",   "yourself", "you're", "youre", NULL};
		static const char *const self[] = {"my", "me", "myself", "our", "us", NULL};
		static const char *const third[] = {"him", "her", "his", "them", "their", NULL};
		static const char *const own[] = {"his", "her", "their", NULL};
		static const char *const subj[] = {"he", "she", "they", "he's", "she's", "they're", NULL};
		if (k + 1 < cb && text_tok_in(ta, &ta->toks[k + 1], preps)) {
			for (size_t j = k + 2, seen = 0; j < cb && seen < 5; j++) {
				const struct text_tok *t = &ta->toks[j];
				if (t->type != TT_WORD || !t->w)
					continue;
				seen++;
				if (text_tok_in(ta, t, reader))
					return SHOT_READER;
				if (text_tok_in(ta, t, self))
					return SHOT_SELF;
				if (text_tok_in(ta, t, third)) {
					for (size_t i = ca; i < k && text_tok_in(ta, t, own); i++)
						if (text_tok_in(ta, &ta->toks[i], subj))
							return SHOT_SELF;
					return SHOT_PERSON;
				}
				if (t->w->rule_class & RC_BODY)
					continue;
				if ((t->w->rule_class & (RC_STAFF | RC_KIN | RC_FAMILY | RC_PERSON_NOUN)) ||
				    (t->w->info.flags & TI_PERSON) || t->w->info.idgroup > 0)
					return SHOT_PERSON;
				if (t->w->rule_class & (RC_ANIMAL | RC_THING))
					return SHOT_THING;
				if ((t->w->info.flags & TI_CONTENT) && !(t->w->info.flags & TI_FUNC))
					return text_en_thing_word(ta, t) || !(t->flags & TF_CAPITAL) ? SHOT_THING
					                                                             : SHOT_PERSON;
			}
		}
		for (size_t j = ca; j < cb; j++)
			if (j != k && text_tok_in(ta, &ta->toks[j], reader) &&
			    !(j > ca && text_tok_is(ta, &ta->toks[j - 1], "for")))
				return SHOT_READER;
		return SHOT_NONE;
	}
	for (size_t j = k + 1; j < cb && j <= k + 2; j++) {
		const struct text_tok *h = &ta->toks[j];
		if (h->type != TT_WORD || !h->w || !(h->w->rule_class & RC_BODY))
			continue;
		const char *n = ta->scratch + h->norm_off;
		if (h->w->info.flags & TI_POSS2)
			return SHOT_READER;
		if (h->w->info.flags & TI_POSS3)
			return SHOT_SELF;
		if (h->norm_len > 4 && !memcmp(n + h->norm_len - 2, "ni", 2) && h->w->lemma_len + 1 < h->norm_len)
			return SHOT_SELF; /* "kalloni", "otsaani" */
	}
	int second = 0, take = 0, person = 0, animal = 0;
	for (size_t j = ca; j < cb; j++) {
		const struct text_tok *t = &ta->toks[j];
		if (j == k || t->type != TT_WORD || !t->w)
			continue;
		uint32_t f = t->w->info.flags;
		if ((f & (TI_SECOND | TI_POSS2)) && !conneg_after_negator(ta, ca, j))
			second = 1;
		take |= LEMMA_IS(t, "ottaa");
		if (!(f & TI_FIRST) && ((f & TI_PERSON) || person_shaped(t->w) || t->w->info.idgroup > 0 ||
		                        (t->w->rule_class & (RC_STAFF | RC_KIN | RC_FAMILY)) || LEMMA_IS(t, "kaikki") ||
		                        LEMMA_IS(t, "jokainen")))
			person = 1;
		animal |= (t->w->rule_class & (RC_ANIMAL | RC_VERMIN)) != 0;
	}
	return second ? SHOT_READER : take ? SHOT_SELF : person ? SHOT_PERSON : animal ? SHOT_THING : SHOT_NONE;
}

/* The bullet word (class shot) of phrase match m, or SIZE_MAX. */
static size_t match_shot(const struct text_analyzer *ta, const struct text_match *m)
{
	for (size_t k = match_first_tok(ta, m); k < ta->ntoks && ta->toks[k].start < m->end; k++)
		if (ta->toks[k].w && (ta->toks[k].w->rule_class & RC_SHOT))
			return k;
	return SIZE_MAX;
}

/* text_shot_aim() of the bullet in threat phrase match m, or SHOT_NONE when it has none. */
int text_match_shot_aim(const struct text_analyzer *ta, const struct text_match *m)
{
	size_t k = match_shot(ta, m), i, sa, sb;
	if (k == SIZE_MAX || !text_match_sentence(ta, m, &i, &sa, &sb))
		return SHOT_NONE;
	return text_shot_aim(ta, sa, sb, k, ta->lang == TEXT_LANG_EN ? TEXT_LL_EN : TEXT_LL_FI);
}

/*
 * A shot to the head or body of the reader or a person in other words than the listed phrases
 * ("You deserve a bullet in the head", "a bullet between your eyes", "luoti päähän sille
 * kuskille"): a bullet word (not "bullet point", "bullet train") with a body part after it in
 * its clause (within five words in English, two in Finnish), aimed (text_shot_aim()) at the
 * reader or a person, in a sentence that does not ask, deny or report it (a Finnish past verb in
 * the clause); a person other than the reader only with someone who commits or calls for it
 * (an English speaker's "I'll", a modal or an order). A bullet a listed threat phrase covers is
 * left to it (text_match_kills()).
 */
static size_t shot_at_person(struct text_analyzer *ta, size_t a, size_t b, const struct severe_cx *cx)
{
	static const char *const not_shot[] = {"point", "points", "list", "lists", "train", "proof", "journal", NULL};
	if (cx->asks)
		return SIZE_MAX;
	for (size_t k = a; k < b; k++) {
		const struct text_tok *t = &ta->toks[k];
		if (t->type != TT_WORD || !t->w || !(t->w->rule_class & RC_SHOT) ||
		    (k + 1 < b && text_tok_in(ta, &ta->toks[k + 1], not_shot)))
			continue;
		int body = 0, call = 0, past = 0, neg = 0;
		size_t reach = cx->ll == TEXT_LL_EN ? 6 : 2;
		for (size_t j = k + 1; j < b && j <= k + reach && ta->toks[j].type != TT_CLAUSE; j++)
			body |= ta->toks[j].w && (ta->toks[j].w->rule_class & RC_BODY);
		for (size_t j = a; j < b; j++) {
			const struct text_tok *p = &ta->toks[j];
			if (p->type != TT_WORD || !p->w)
				continue;
			uint32_t f = p->w->info.flags;
			neg |= (f & TI_NEGATOR) || (p->flags & TF_NT);
			past |= cx->ll == TEXT_LL_FI && (f & TI_PAST);
			call |= (f & (TI_MODAL | TI_IMPER)) || (cx->ll == TEXT_LL_FI && (f & TI_FIRST));
		}
		if (!body || neg || past)
			continue;
		int covered = 0;
		for (size_t m = 0; m < ta->nmatches && !covered; m++)
			covered = (ta->matches[m].kind == TEXT_LK_THREAT || ta->matches[m].kind == TEXT_LK_SEVERE) &&
			          ta->matches[m].start <= t->start && t->end <= ta->matches[m].end;
		if (covered)
			continue;
		int aim = text_shot_aim(ta, a, b, k, cx->ll);
		if (aim == SHOT_READER ||
		    (aim == SHOT_PERSON && (call || (cx->ll == TEXT_LL_EN && text_en_speaker_commits(ta, a, k)))))
			return k;
	}
	return SIZE_MAX;
}

/*
 * The constructions that make a sentence severe on their own, tried in every sentence in this
 * order until one finds its token (which is masked). Each adds a death wish's insult evidence,
 * or for an order to kill a threat's; aim says when the sentence is then aimed at the reader.
 * A reported quote ('asiakas huusi hänelle "mene hirttämään itsesi"') or reported speech
 * (text_reported_speech(): "Asiakas sanoi mulle että mee junan eteen") is not said to the reader and
 * counts none. At the end of the analysis a text that talks about abusive messages, or says it
 * jokes, loses its severity but not its flag (text_mentions_abuse(), text_says_joke()).
 */
const struct severe_rule text_severe_rules[] = {
    {harm_wish, -1, AIM_IF_SECOND, 0},         /* "toivottavasti se pedofiilipappi kuolee syöpään" */
    {suicide_urged, -1, AIM_READER, 0},        /* "Mee hirttää ittes", "kävele junan eteen" */
    {en_and_die, TEXT_LL_EN, AIM_READER, 0},   /* "fuck off and die" */
    {en_die_order, TEXT_LL_EN, AIM_READER, 0}, /* "Die of AIDS" */
    {en_kill_order, TEXT_LL_EN, AIM_NONE, 1},  /* "Kill every last one of them" */
    {denied_life, -1, AIM_IF_ADDRESSED, 0},    /* "Teiän kaikkien pitäis olla kuolleita" */
    {shot_at_person, -1, AIM_IF_SECOND, 1},    /* "You deserve a bullet in the head" */
};
const size_t text_severe_nrules = sizeof text_severe_rules / sizeof *text_severe_rules;

/* 1 if phrase match m has a word of killing or dying in it ("tapan sut", "kill yourself",
 * "toivottavasti kuolet"), or a bullet aimed at the reader or a person (text_shot_aim(): "kuula
 * kalloon sinulle", "put a bullet in you"; not "put a bullet in this printer", "ottaisin kuulan
 * kalloon"). */
int text_match_kills(const struct text_analyzer *ta, const struct text_match *m)
{
	int aim = text_match_shot_aim(ta, m);
	if (aim == SHOT_READER || aim == SHOT_PERSON)
		return 1;
	for (size_t k = match_first_tok(ta, m); k < ta->ntoks && ta->toks[k].start < m->end; k++)
		if (ta->toks[k].w && (ta->toks[k].w->rule_class & RC_KILLING))
			return 1;
	return 0;
}

/* The Finnish word of n normalised bytes at norm, with a spoken final "-s" read as "-si" when
 * voikko does not know the form: the possessive ("äitis", "mutsis") and the conditional
 * ("sattuis", "syttyis": text_pity_if()). NULL when out of memory. */
const struct text_word *text_fi_word_spoken_poss(struct text_analyzer *ta, const char *norm, size_t n)
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
		w = text_fi_word_spoken_poss(ta, n + from, t->norm_len - from);
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
size_t text_severe_family(struct text_analyzer *ta, size_t a, size_t b, int ll)
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
