/* JSON rendering of results and masking of abusive spans. */
#include <string.h>

#include "text/text_int.h"
#include "util/buf.h"

int text_result_to_json(const struct text_result *r, struct buf *out)
{
	int rc = 0;
	rc |= buf_addf(out, "{\"lang\":\"%s\",\"lang_conf\":%.2f,", text_lang_name(r->lang), r->lang_conf);
	rc |= buf_addf(out, "\"sentiment\":{\"label\":\"%s\",\"score\":%.3f},",
		       text_sentiment_name(r->sentiment_label), r->sentiment_score);
	rc |= buf_addf(out, "\"abuse\":{\"flagged\":%s,\"aimed_at_reader\":%s,\"severe\":%s,\"categories\":{",
		       r->abuse_flagged ? "true" : "false", r->aimed_at_reader ? "true" : "false",
		       r->severe ? "true" : "false");
	for (int k = 0; k < TEXT_ABUSE_NCAT; k++)
		rc |= buf_addf(out, "%s\"%s\":%.3f", k ? "," : "", text_abuse_cat_name((enum text_abuse_cat)k),
			       text_abuse_score_shown(r->abuse[k]));
	rc |= buf_adds(out, "},\"spans\":[");
	for (size_t i = 0; i < r->nspans; i++)
		rc |= buf_addf(out, "%s{\"start\":%zu,\"end\":%zu,\"category\":\"%s\"}", i ? "," : "",
			       r->spans[i].start, r->spans[i].end, text_abuse_cat_name(r->spans[i].cat));
	rc |= buf_adds(out, "]},\"topics\":[");
	for (size_t i = 0; i < r->ntopics; i++) {
		if (i)
			rc |= buf_addc(out, ',');
		rc |= buf_add_json_str(out, r->topics[i], strlen(r->topics[i]));
	}
	rc |= buf_adds(out, "]}");
	return rc ? -1 : 0;
}

int text_mask(const char *s, size_t len, const struct text_result *r, struct buf *out)
{
	size_t pos = 0;
	for (size_t i = 0; i < r->nspans; i++) {
		const struct text_span *sp = &r->spans[i];
		if (sp->start < pos || sp->end > len || sp->start > sp->end)
			return -1;
		if (buf_add(out, s + pos, sp->start - pos) < 0)
			return -1;
		for (size_t k = sp->start; k < sp->end; k++)
			if (((unsigned char)s[k] & 0xC0) != 0x80 && buf_addc(out, '*') < 0)
				return -1;
		pos = sp->end;
	}
	return buf_add(out, s + pos, len - pos);
}

int text_tone_report_to_json(const struct text_tone_report *rep, struct buf *out)
{
	int rc = buf_adds(out, "{\"issues\":[");
	for (size_t i = 0; i < rep->nissues; i++) {
		const struct text_tone_issue *t = &rep->issues[i];
		rc |= buf_addf(out, "%s{\"code\":\"%s\",\"message\":", i ? "," : "", t->name);
		rc |= buf_add_json_str(out, t->message, strlen(t->message));
		rc |= buf_addf(out, ",\"start\":%zu,\"end\":%zu}", t->start, t->end);
	}
	rc |= buf_addf(out, "],\"lang\":\"%s\"}", text_lang_name(rep->lang));
	return rc ? -1 : 0;
}
