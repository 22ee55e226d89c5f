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
		if (t->w->info.flags & (TI_THANKS | TI_APOLOGY))
			thanks = 1;
		if ((t->w->info.flags & TI_HASVAL) && t->w->info.valence <= -2)
			negative_words++;
	}
	for (size_t i = 0; i < ta->nmatches; i++) {
		const struct text_match *m = &ta->matches[i];
		switch (m->kind) {
		case TEXT_LK_BLAME:
			add_issue(out, TEXT_TONE_BLAMING, m->start, m->end);
			break;
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
	/* harsh: very negative words or insults in a sentence addressing the customer. In a
	 * sentence that apologises or thanks, a very negative word names the trouble ("Sorry you
	 * had a terrible experience"), and a word of how the customer feels ("olet vihainen", "how
	 * angry you are": word class state_adj) is empathy; neither is harsh. */
	for (size_t a = 0; a < ta->ntoks;) {
		size_t b = a;
		int second = 0, kind = 0;
		while (b < ta->ntoks && ta->toks[b].type != TT_END) {
			if (ta->toks[b].w && (ta->toks[b].w->info.flags & TI_SECOND))
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
