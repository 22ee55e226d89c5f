/*
 * Veiled and third-party threats, for the lexicon analysis (analyze.c): the reader's private
 * life watched, a mishap wished "as a pity", waiting off duty, the lawful way ruled out, harm
 * promised to staff in words to someone else, and relayed messages; and what makes such words
 * harmless (a business regret with a recourse, a hazard warned of).
 */
#include <string.h>

#include "text/analyze_int.h"

/*
 * A threat to staff need not name any violence ("I know which car is yours", "olisi sääli jos
 * kahvilanne syttyisi tuleen", "odotan sua takaovella kun vuoro loppuu"), and need not be said
 * to its target ("sille kuljettajalle käy vielä huonosti", "I hope someone beats up that
 * guard"). Each construction below has an ordinary twin it must leave alone; the word classes
 * are in data/lexicon/word_classes.tsv (private, dear, routine, knowing, mishap, recourse,
 * consequence, off_duty, staff) and the unit test text_veiled_and_third_party_threats
 * (tests/unit/text/test_text.c) pairs each. sent_constructions() (analyze.c) asks text_watched(),
 * text_pity_if(), text_waits_off_duty(), text_recourse_ruled_out(), text_third_party_harm() and
 * text_third_party_formula() in turn. Token indices passed to the helpers are < ta->ntoks.
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
int text_relayed(const struct text_analyzer *ta, size_t a, size_t b, int ll)
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
 * order), or in a text_relayed message (text_relayed()) a third-person pronoun. */
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

/* 1 if word j (vword()) is one of the reader's staff right after the owner: "your installer",
 * "ur driver", "teidän asentaja" ("where your installer lives" watches staff as "where you live"
 * watches the reader). */
static int readers_staff(const struct text_analyzer *ta, size_t j, int ll)
{
	static const char *const owner[] = {"your", "ur", "yer", "teidän", "teiän", NULL};
	const struct text_word *w = ta->toks[j].w;
	if (j == 0 || !vword(ta, j - 1) || !text_tok_in(ta, &ta->toks[j - 1], owner))
		return 0;
	return (w->rule_class & (RC_STAFF | RC_PERSON_NOUN)) || (w->info.flags & TI_PERSON) ||
	       (ll == TEXT_LL_FI && text_agent_noun(w));
}

/* 1 if word j is the reader as a subject pronoun: "you", "sä", "te" (not the owner "sun",
 * "teidän", "your": "missä teidän auto on" may be the company's van); "she" / "he" in a text_relayed
 * message. */
static int reader_subject(const struct text_analyzer *ta, size_t j, int ll, int relay)
{
	static const char *const en_you[] = { "you", "u", "you're", "youre", NULL };
	static const char *const en_them[] = { "she", "he", "she's", "he's", NULL };
	static const char *const fi_owner[] = { "sun", "sinun", "teidän", "teiän", NULL };
	if (!vword(ta, j))
		return 0;
	const struct text_tok *t = &ta->toks[j];
	if (ll == TEXT_LL_EN ? text_tok_in(ta, t, en_you) || (relay && text_tok_in(ta, t, en_them))
	                     : reader_word(ta, j, ll, relay) && !(t->w->info.flags & TI_POSS2) &&
	                           !text_tok_in(ta, t, fi_owner) && !text_tok_is(ta, t, "hänen"))
		return 1;
	return readers_staff(ta, j, ll);
}

/* 1 if word j (vword()) is the reader's: a second-person possessive suffix ("autosi"), or the
 * owner right before it or before one word more ("sun sininen Golf", "your lovely home"); "her"
 * / "his" / "hänen" / "sen" in a text_relayed message. Finnish "teidän" is also the company's
 * ("teidän auto" is a van): only for homes (koti...) and people. text_harm_to_body() keeps its own,
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
		return mine && !text_negated_before(ta, k);
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
 *    mistä sä nouset bussiin", "I know where you park", "which bus she takes home" in a text_relayed
 *    message reads "takes" as no routine: left alone), or the reader's people or things in it
 *    ("mistä sun tytär nousee bussiin", "kumpi noista autoista on sun").
 * "Tiedän missä teidän toimisto on", "I know where you went wrong", "I know your family runs
 * this shop" and "I saw your van on my street" match none. Returns the verb, *z the last token.
 */
size_t text_watched(const struct text_analyzer *ta, size_t a, size_t b, int ll, int relay, size_t *z)
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
size_t text_pity_if(struct text_analyzer *ta, size_t pa, size_t a, size_t b, int ll, int asks, size_t *z)
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
				const struct text_word *full = text_fi_word_spoken_poss(
				    ta, ta->scratch + ta->toks[j].norm_off, ta->toks[j].norm_len);
				if (full)
					w = full;
			}
			if ((w->rule_class & RC_MISHAP) && !text_negated_before(ta, j))
				mis = j;
			/* "jos sun kissa ei tulis (jonain iltana) kotiin", "if your dog didn't come home":
			 * gone */
			if ((w->lemma_len == 5 && !memcmp(w->lemma, "tulla", 5)) || text_tok_is(ta, &ta->toks[j], "come"))
				for (size_t n = text_next_word(ta, j, b), seen = 0;
				     n < b && seen < 3 && text_negated_before(ta, j);
				     n = text_next_word(ta, n, b), seen++)
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
size_t text_waits_off_duty(const struct text_analyzer *ta, size_t a, size_t b, int ll, int asks, size_t *z)
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
			verb = text_tok_in(ta, t, en_wait) && !text_negated_before(ta, k) &&
			       (text_en_speaker_commits(ta, a, k) || (k == first && text_tok_is(ta, t, "see")) ||
			        (k > a && vword(ta, k - 1) && text_tok_is(ta, &ta->toks[k - 1], "let's")));
		else
			verb = ((LEMMA_IS(t, "odottaa") && (t->w->info.flags & TI_FIRST) &&
			         !(t->w->info.flags & (TI_COND | TI_PAST | TI_QUEST))) ||
			        text_tok_in(ta, t, fi_meet)) &&
			       !text_negated_before(ta, k);
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
size_t text_recourse_ruled_out(const struct text_analyzer *ta, size_t a, size_t b, int ll, int *strong, size_t *neg_at)
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
 * or SIZE_MAX: text_recourse_ruled_out()'s other half, which must come after it. */
size_t text_consequence(const struct text_analyzer *ta)
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
		     text_negated_before(ta, j - 1)))
			return j;
	}
	return SIZE_MAX;
}

/* 1 if word k (vword()) tells of a fall or a mishap: "kaatuu", "liukastuu", "slip", "trip",
 * the mishap class ("fall", "happen"). A broken leg after one is an accident
 * (text_third_party_harm(), text_en_match_safety()). */
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
int text_en_match_safety(const struct text_analyzer *ta, const struct text_match *m)
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
int text_match_regret(const struct text_analyzer *ta, const struct text_match *m)
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
int text_recourse(const struct text_analyzer *ta)
{
	/* money and rights are what a customer wants back, not a way to get it: "I want my money
	 * back" leaves "that driver is going to regret this" a threat */
	static const char *const wanted[] = { "raha", "oikeus", "money", "financial", "financially", NULL };
	for (size_t j = 0; j < ta->ntoks; j++)
		if (vword(ta, j) && (ta->toks[j].w->rule_class & RC_RECOURSE) &&
		    !text_lemma_in(ta->toks[j].w, wanted) && !text_negated_before(ta, j))
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
		return text_tok_in(ta, t, en_3) || (w->rule_class & RC_STAFF) || text_en_person_tok(t, j > a);
	return text_tok_in(ta, t, fi_3) || (w->rule_class & (RC_PERSON_NOUN | RC_KIN | RC_STAFF | RC_GIVEN_NAME)) ||
	       text_agent_noun(w) || person_shaped(w);
}

/* 1 if body part j, near harm verb k, is a third person's: right before it "hänen" / "sen" /
 * "his" / "her" / a person's genitive ("that guard's face"), or a person as the verb's object
 * ("lyön sitä myyjää naamaan", "kick him in the head"; not with owner_only, for a thing: "burn
 * his car", not "burn him a CD"). The speaker's own ("my", "-ni") and the reader's
 * (text_harm_to_body()) are not. */
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
		return text_fi_person_object(ta, a, b, k);
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
size_t text_third_party_harm(const struct text_analyzer *ta, size_t a, size_t b, int ll, int asks, size_t *z)
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
		    !norm_ends(ta, t, "vat") && !norm_ends(ta, t, "vät") && !text_negated_before(ta, k)) {
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
		if (beats && (subj || wish) && !(w->info.flags & (TI_PAST | TI_FIRST)) && !text_negated_before(ta, k) &&
		    !thing_target(ta, k)) {
			/* the person within the next eight words of the clause, in Finnish not in the
			 * nominative ("hakkaa sen tiskin takana istuvan tädin") */
			int person = ll == TEXT_LL_FI && text_fi_person_object(ta, a, b, k);
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
		    !text_negated_before(ta, k) &&
		    (subj || wish ||
		     (ll == TEXT_LL_EN ? text_en_speaker_commits(ta, a, k) : text_speaker_wrecks(ta, a, k, ll)))) {
			size_t j = accident ? SIZE_MAX : text_class_near(ta, k, RC_BODY);
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
		if ((subj || wish ||
		     (ll == TEXT_LL_EN ? text_en_speaker_commits(ta, a, k)
		                       : ((w->info.flags & TI_FIRST) && !(w->info.flags & (TI_PAST | TI_COND))))) &&
		    !text_negated_before(ta, k) && !(w->info.flags & TI_PAST)) {
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
 * katua / saa nähdä mitä tapahtuu", "se kuski saa vielä pataansa" is text_third_party_harm()'s,
 * "that driver is going to regret this", "the checkout girl will be sorry", "will pay for
 * this", "that receptionist is going to get what's coming to her", "the chef had better watch
 * himself / his back"). Said to the reader these are
 * phrases (data/lexicon/phrases.tsv); of a company or a thing ("your company will regret
 * this") they are business talk, and a text naming a lawful recourse ("...when I post my
 * review") makes them so too. Returns the formula's first token, *z its last.
 */
size_t text_third_party_formula(const struct text_analyzer *ta, size_t a, size_t b, int ll, int asks, size_t *z)
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
	if (asks || text_negator_in(ta, a, b))
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
			size_t nx = text_next_word(ta, k, b);
			int noun_next = nx < b && (ta->toks[nx].w->info.flags & TI_CONTENT) && norm_ends(ta, &ta->toks[nx], "lle");
			to_person |= (text_tok_in(ta, t, allative) && !noun_next) ||
				     (third_person_at(ta, a, k, ll) && norm_ends(ta, t, "lle"));
			person |= third_person_at(ta, a, k, ll);
			size_t n = text_next_word(ta, k, b);
			if (n >= b)
				continue;
			const struct text_tok *nt = &ta->toks[n];
			size_t n2 = text_next_word(ta, n, b);
			/* "käy (vielä) huonosti" */
			if (LEMMA_IS(t, "käydä") && !(w->info.flags & (TI_PAST | TI_FIRST | TI_COND)) && to_person &&
			    !text_subordinate_clause(ta, k) &&
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
				size_t v2 = text_next_word(ta, v, b);
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

/* 1 if token j is a second-person possessive before a person of the reader's side who is not
 * the reader: "your supervisor", "ur driver", "teidän asentaja", "sun kaveri" (within two
 * words: "your new installer"). The reader's family ("your mother", "sun äiti") is the
 * reader's own: a threat to them is one to the reader. */
static int readers_person(const struct text_analyzer *ta, size_t j, size_t b, int ll)
{
	static const char *const poss_en[] = {"your", "ur", "yer", "ya", NULL};
	static const char *const poss_fi[] = {"teidän", "teiän", "sun", "sinun", "teijän", NULL};
	if (!text_tok_in(ta, &ta->toks[j], ll == TEXT_LL_EN ? poss_en : poss_fi))
		return 0;
	for (size_t k = j + 1, seen = 0; k < b && seen < 2; k++) {
		if (!vword(ta, k))
			return 0;
		seen++;
		const struct text_word *w = ta->toks[k].w;
		if (w->rule_class & (RC_KIN | RC_FAMILY))
			return 0;
		if ((w->rule_class & (RC_STAFF | RC_PERSON_NOUN)) || text_agent_noun(w) ||
		    (ll == TEXT_LL_EN && text_en_person_tok(&ta->toks[k], 1)))
			return 1;
	}
	return 0;
}

/*
 * Who a threat in sentence [a, b) is aimed at: 1 if it names a third person and not the
 * reader ("I'll break his legs", "tell the driver I'll break both his arms", "I'm going to
 * torch your supervisor's house", "mä tapan sen jätkän", "Kerro sille Jussille että se saa
 * kuulan kalloonsa"), 0 if the reader is named ("I'll break your legs", "tapan sut") or no one
 * is. The reader counts by a second-person word that is not an imperative ("Sano sille
 * kuskille", a request to pass it on), not the owner of a person of theirs ("your supervisor")
 * and not the one a promise is made to ("I promise you", "lupaan sulle"). A third person: "he"
 * / "him" / "his", "hän" and its forms, a person or staff noun, a name; "se" / "sen" / "siltä"
 * when the text names a person before it. Not the writer's own ("my boss", "mun pomo").
 */
int text_threat_third(const struct text_analyzer *ta, size_t a, size_t b, int ll)
{
	static const char *const en_3[] = {"he",    "she",    "him",  "her",   "his",     "them",    "their",
	                                   "he'll", "she'll", "he's", "she's", "himself", "herself", NULL};
	static const char *const fi_3[] = {"hän",     "hänet",  "häntä", "hänelle", "hänen",
	                                   "häneltä", "heidät", "heitä", "heille",  NULL};
	static const char *const fi_se[] = {"se", "sen", "sitä", "siltä", "sille", "sillä", "siitä", NULL};
	static const char *const promise[] = {"promise", "swear", "tell",   "assure", "lupaan",
	                                      "vannon",  "sanon", "kerron", NULL};
	int third = 0;
	for (size_t k = a; k < b; k++) {
		if (!vword(ta, k))
			continue;
		const struct text_tok *t = &ta->toks[k];
		const struct text_word *w = t->w;
		if (readers_person(ta, k, b, ll)) {
			third = 1;
			k++; /* the person noun after it is the reader's staff */
			continue;
		}
		/* "that plumber of yours" */
		if (ll == TEXT_LL_EN && text_tok_is(ta, t, "yours") && k > a && tok_word_is(ta, k - 1, "of") &&
		    k > a + 1 && third_person_at(ta, a, k - 2, ll)) {
			third = 1;
			continue;
		}
		if ((w->info.flags & TI_SECOND) && !(w->info.flags & TI_IMPER)) {
			size_t p = k;
			while (p > a && !vword(ta, p - 1) && ta->toks[p - 1].type != TT_CLAUSE)
				p--;
			if (p > a && vword(ta, p - 1) && text_tok_in(ta, &ta->toks[p - 1], promise))
				continue;
			return 0;
		}
		if (writers_own(ta, a, k))
			continue;
		if (ll == TEXT_LL_EN ? text_tok_in(ta, t, en_3) : text_tok_in(ta, t, fi_3)) {
			third = 1;
			continue;
		}
		if (ll == TEXT_LL_FI && text_tok_in(ta, t, fi_se)) {
			/* the spoken "se" of a person the text named before it */
			for (size_t q = 0; q < k && !third; q++)
				third = vword(ta, q) && !(ta->toks[q].w->rule_class & (RC_VERMIN | RC_ANIMAL)) &&
				        ((ta->toks[q].w->rule_class & (RC_PERSON_NOUN | RC_STAFF | RC_GIVEN_NAME)) ||
				         text_agent_noun(ta->toks[q].w));
			continue;
		}
		/* a person word, not a verb or a quantifier ("kaikille", "everyone") */
		if (!(w->info.flags & (TI_FIRST | TI_SECOND | TI_FUNC | TI_STOP | TI_FINITE | TI_NONFIN | TI_IMPER |
		                       TI_COND | TI_PAST)) &&
		    !(w->rule_class & RC_WEAPON) && third_person_at(ta, a, k, ll) &&
		    !(ll == TEXT_LL_EN && text_tok_in(ta, t, en_3)))
			third = 1;
	}
	return third;
}

/* 1 if sentence [a, b) names a person a threat could be aimed at: the reader (a second-person
 * word that is not an imperative) or a third person (text_threat_third()). */
static int person_targeted(const struct text_analyzer *ta, size_t a, size_t b, int ll)
{
	for (size_t k = a; k < b; k++)
		if (vword(ta, k) && (ta->toks[k].w->info.flags & (TI_SECOND | TI_IMPER)) == TI_SECOND)
			return 1;
	return text_threat_third(ta, a, b, ll);
}

/*
 * A weapon dealt to a person, sentence [a, b): a threat to shoot or stab said by what the victim
 * gets, in either person ("sä saat puukosta", "se jätkä saa kohta lyijyä", "saa kuulan
 * kalloonsa", "you'll get a bullet", "he's going to catch a knife in the ribs", "someone should
 * give your installer a taste of buckshot"), or the writer's own weapon in a warning ("is lucky
 * I didn't have my knife on me", "had better hope I don't bring my shotgun", "kannattaa pysyä
 * kaukana, mulla on puukko mukana", "I'm bringing a knife for the woman at the desk").
 * The victim is who the sentence names (text_threat_third() decides the aim). Finnish needs the
 * weapon in the elative ("puukosta": stabbed; "saat puukon kaupan päälle" is a gift) or a word of
 * ammunition; English a word of ammunition, "catch" or "taste of" a weapon, or a weapon "in the"
 * body. Not asked, not past ("sain lyijyä"), not the writer's receiving ("saan puukon"), not in a
 * game or a film, and not the writer afraid ("I was afraid he had a knife"). Returns the weapon's
 * token, *z the same, or SIZE_MAX.
 */
size_t text_weapon_dealt(const struct text_analyzer *ta, size_t a, size_t b, int ll, int asks, size_t *z)
{
	static const char *const ammo[] = {"lyijy", "kuula", "luoti", "hauli", "bullet", "bullets", "buckshot", NULL};
	static const char *const get_en[] = {"get",      "gets", "getting", "catch",  "catches",
	                                     "catching", "give", "gives",   "giving", "put",
	                                     "putting",  "take", "takes",   "pump",   NULL};
	static const char *const deal_fi[] = {"saada", "antaa", NULL};
	static const char *const give_en[] = {"give", "gives", "giving", "put", "putting", "pump", NULL};
	static const char *const self_rcv[] = {"i",  "i'd", "id",   "i'll",  "ill", "i'm",
	                                       "im", "we",  "we'd", "we'll", NULL};
	static const char *const mine_en[] = {"my", "me", NULL};
	static const char *const mine_fi[] = {"mulla", "minulla", "mun", "minun", "mul", NULL};
	static const char *const bring_en[] = {"bring", "bringing", "brought",  "have", "had",
	                                       "got",   "carry",    "carrying", NULL};
	static const char *const self_en[] = {"i'm", "im", "i'll", "ill", "i", "gonna", NULL};
	static const char *const warn_en[] = {"lucky", "better", "next", "hope", "careful", NULL};
	static const char *const warn_fi[] = {"onni",    "onnekas", "tuuri",    "kannattaa", "varoa",
	                                      "kaukana", "ensi",    "seuraava", "parempi",   NULL};
	static const char *const afraid[] = {"afraid",    "scared",  "feared",   "pelätä",    "pelottaa",
	                                     "säikähtää", "hunting", "metsällä", "metsästää", "film",
	                                     "movie",     "elokuva", "news",     "uutinen",   NULL};
	if (asks)
		return SIZE_MAX;
	size_t wk = SIZE_MAX;
	for (size_t k = a; k < b && wk == SIZE_MAX; k++)
		if (vword(ta, k) && ((ta->toks[k].w->rule_class & (RC_WEAPON | RC_SHOT)) ||
		                     text_lemma_in(ta->toks[k].w, ammo) || text_tok_in(ta, &ta->toks[k], ammo)))
			wk = k;
	if (wk == SIZE_MAX)
		return SIZE_MAX;
	for (size_t k = a; k < b; k++)
		if (vword(ta, k) && (text_lemma_in(ta->toks[k].w, afraid) || text_tok_in(ta, &ta->toks[k], afraid)))
			return SIZE_MAX;
	if (text_fiction_setting(ta, a, b) || !person_targeted(ta, a, b, ll))
		return SIZE_MAX;
	const struct text_tok *wt = &ta->toks[wk];
	int is_ammo = text_lemma_in(wt->w, ammo) || text_tok_in(ta, wt, ammo);
	/* dealt: a verb of getting or giving within four words before the weapon, in its clause */
	for (size_t k = wk, seen = 0; k-- > a && seen < 4;) {
		if (ta->toks[k].type == TT_CLAUSE || ta->toks[k].type == TT_END)
			break;
		if (!vword(ta, k))
			continue;
		seen++;
		const struct text_tok *t = &ta->toks[k];
		if (ll == TEXT_LL_FI) {
			if (!text_lemma_in(t->w, deal_fi) || (t->w->info.flags & (TI_PAST | TI_FIRST | TI_NEGATOR)) ||
			    text_negated_before(ta, k))
				continue;
			if (is_ammo || norm_ends(ta, wt, "sta") || norm_ends(ta, wt, "stä")) {
				*z = wk;
				return wk;
			}
			continue;
		}
		if (!text_tok_in(ta, t, get_en) || text_negator_in(ta, a, wk))
			continue;
		/* the writer receiving it is no threat ("I'd take a bullet for you", "I nearly got a
		 * bullet"): a verb of receiving right after "I" / "we" */
		if (!text_tok_in(ta, t, give_en)) {
			int self = 0;
			for (size_t q = k, back = 0; q-- > a && back < 2 && !self; back++)
				self = vword(ta, q) && text_tok_in(ta, &ta->toks[q], self_rcv);
			if (self)
				continue;
		}
		size_t n = text_next_word(ta, wk, b);
		int in_body = n < b && tok_word_is(ta, n, "in");
		int taste = wk > a + 1 && tok_word_is(ta, wk - 1, "of") &&
		            (tok_word_is(ta, wk - 2, "taste") || tok_word_is(ta, wk - 2, "full"));
		int caught =
		    text_tok_is(ta, t, "catch") || text_tok_is(ta, t, "catches") || text_tok_is(ta, t, "catching");
		if (is_ammo || in_body || taste || caught) {
			*z = wk;
			return wk;
		}
	}
	/* the writer's own weapon in a warning */
	int mine = 0, warn = 0;
	for (size_t k = a; k < b; k++) {
		if (!vword(ta, k))
			continue;
		const struct text_tok *t = &ta->toks[k];
		if (ll == TEXT_LL_EN) {
			warn |= text_tok_in(ta, t, warn_en);
			mine |= k + 1 == wk && text_tok_in(ta, t, mine_en);
			/* "I'm bringing a knife for ...", "I'll bring my gun" */
			if (k < wk && k + 3 >= wk && text_tok_in(ta, t, bring_en) &&
			    ((k > a && tok_word_is(ta, k - 1, "i")) ||
			     (k > a && text_tok_in(ta, &ta->toks[k - 1], self_en)) ||
			     (k > a + 1 && text_tok_in(ta, &ta->toks[k - 2], self_en)))) {
				mine = 1;
				size_t n = text_next_word(ta, wk, b);
				warn |= n < b && tok_word_is(ta, n, "for");
			}
		} else {
			warn |= text_lemma_in(t->w, warn_fi) || text_tok_in(ta, t, warn_fi);
			mine |= k + 3 >= wk && k < wk && text_tok_in(ta, t, mine_fi);
		}
	}
	if (mine && warn) {
		*z = wk;
		return wk;
	}
	return SIZE_MAX;
}
