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
	[TEXT_TONE_HARSH] = { "harsh", "Harsh or dismissive wording towards the customer." },
	[TEXT_TONE_BLAMING] = { "blaming", "Wording that blames the customer; describe what happens next instead." },
	[TEXT_TONE_SARCASTIC] = { "sarcastic", "This may read as sarcastic." },
	[TEXT_TONE_MISSING_THANKS] = { "missing_thanks",
				       "Replying to a complaint: thank the customer or apologise for the trouble." },
	[TEXT_TONE_ABUSE] = { "abuse", "Abusive or obscene language." },
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
		if (seen == 1 && (text_tok_is(ta, p, "can") || text_tok_is(ta, p, "may") || text_tok_is(ta, p, "could")))
			return 1;
	}
	const struct text_tok *n = last + 1 < ta->ntoks ? &ta->toks[last + 1] : NULL;
	if (!n || n->type != TT_WORD || !n->w)
		return m->weight < 1; /* "if you had." ends nothing */
	static const char *const receiving[] = { "received", "receive", "gotten", "got", "saada", "saanut",
						 "tulla", "tullut", NULL };
	for (int k = 0; receiving[k]; k++)
		if (text_tok_is(ta, n, receiving[k]) ||
		    (n->w->lemma_len == strlen(receiving[k]) && !memcmp(n->w->lemma, receiving[k], n->w->lemma_len)))
			return 1;
	if (m->weight < 1) { /* "if you had listened": a past participle follows */
		const char *e = ta->scratch + n->norm_off + n->norm_len;
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
	static const char *const starts[] = { "kuten", "niinku", "niinkuin", "as", "like", NULL };
	static const char *const fi_first[] = { "sanoin", "sanoimme", "kerroin", "kerroimme", "mainitsin",
						"mainitsimme", "totesin", "totesimme", "kirjoitin", "kirjoitimme",
						"selitin", "selitimme", "ilmoitin", "ilmoitimme", NULL };
	static const char *const fi_passive[] = { "sanottu", "kerrottu", "mainittu", "todettu", "sanottiin",
						  "kerrottiin", "mainittiin", "todettiin", "ilmoitettu", NULL };
	static const char *const en_verbs[] = { "said", "told", "mentioned", "stated", "explained", "wrote",
						"noted", "informed", NULL };
	static const char *const before[] = { "jo", "aiemmin", "aikaisemmin", "edellisessä", "already",
					      "previously", "before", "earlier", "i", "we", NULL };
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
		if ((fi && text_tok_in(ta, t, fi_first)) ||
		    (was && text_tok_in(ta, t, fi ? fi_passive : en_verbs)))
			return j;
	}
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
	static const char *const enough[] = { "enough", "tarpeeksi", "kylliksi", "riittävästi", NULL };
	static const char *const nothing[] = { "tyhjästä", "turhasta", NULL };
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

int text_tone_check(struct text_analyzer *ta, const char *s, size_t len, enum text_lang lang,
		    unsigned flags, struct text_tone_report *out)
{
	memset(out, 0, sizeof(*out));
	struct text_result r;
	int rc = text_analyze_lex(ta, s, len, lang, &r);
	if (rc)
		return rc;
	out->lang = r.lang;
	int negative_words = 0, ellipsis = 0, thanks = 0;
	for (size_t i = 0; i < ta->ntoks; i++) {
		const struct text_tok *t = &ta->toks[i];
		if (t->flags & TF_ELLIPSIS)
			ellipsis = 1;
		if (!t->w)
			continue;
		if ((t->w->info.flags & (TI_THANKS | TI_APOLOGY)) && thanks_sincere(ta, i, r.lang))
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
			if (k < ta->ntoks && thanks_sincere(ta, k, r.lang))
				thanks = 1;
			break;
		}
		case TEXT_LK_HARSH:
			add_issue(out, TEXT_TONE_HARSH, m->start, m->end);
			break;
		case TEXT_LK_SARCASM:
			/* weak patterns ("great job") only count with a negative or trailing-off context */
			if (m->weight >= 1 || negative_words || ellipsis || r.sentiment_label < 0)
				add_issue(out, TEXT_TONE_SARCASTIC, m->start, m->end);
			break;
		default:
			break;
		}
	}
	for (size_t i = 0; i < ta->ntoks; i++) {
		size_t z = reminder_at(ta, i);
		if (z != SIZE_MAX)
			add_issue(out, TEXT_TONE_BLAMING, ta->toks[i].start, ta->toks[z].end);
		/* "Honey, ...", "Kultaseni, ...": a pet name opening a sentence talks down to the
		 * customer (word class pet_name) */
		const struct text_tok *t = &ta->toks[i];
		if (t->type == TT_WORD && t->w && (t->w->rule_class & RC_PET_NAME) &&
		    (i == 0 || ta->toks[i - 1].type == TT_END) && i + 1 < ta->ntoks && ta->toks[i + 1].type == TT_CLAUSE)
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
			if (!t->w)
				continue;
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
