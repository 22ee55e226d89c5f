/*
 * libFuzzer target for the text analyser's input: analyse (auto and forced languages), mask,
 * render JSON and run the tone check on arbitrary bytes, and take the first 64 bytes as a
 * search word (text_word_forms). Invalid UTF-8 must come back as TEXT_EUTF8, never a crash;
 * valid input must give spans inside the text on grapheme cluster boundaries (never a part of a
 * character or of an emoji sequence), and forms that are words of their own.
 *
 *     make fuzz-text && build/fuzz/fuzz_text -max_total_time=60 -max_len=4096
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "text/text.h"
#include "util/buf.h"

static struct text_analyzer *ta;

/* 1 if byte offset at of valid UTF-8 s[0..n) is a grapheme cluster boundary. */
static int grapheme_boundary(const uint8_t *s, size_t n, size_t at)
{
	if (at == 0 || at == n)
		return 1;
	utf8proc_int32_t state = 0, prev = -1, cp;
	for (size_t i = 0; i < n;) {
		utf8proc_ssize_t k = utf8proc_iterate(s + i, (utf8proc_ssize_t)(n - i), &cp);
		if (k <= 0)
			return 0;
		int brk = prev < 0 || utf8proc_grapheme_break_stateful(prev, cp, &state);
		if (i == at)
			return brk;
		if (i > at)
			return 0;
		prev = cp;
		i += (size_t)k;
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!ta) {
		char err[256];
		ta = text_analyzer_new(err, sizeof err);
		if (!ta)
			abort();
	}
	const char *s = (const char *)data;
	enum text_lang lang = size ? (enum text_lang)((data[0] % 4) - 1) : TEXT_LANG_AUTO;
	struct text_result r;
	int rc = text_analyze(ta, s, size, lang, &r);
	if (rc == TEXT_OK) {
		for (size_t i = 0; i < r.nspans; i++)
			if (r.spans[i].start >= r.spans[i].end || r.spans[i].end > size ||
			    (i && r.spans[i].start < r.spans[i - 1].end) ||
			    !grapheme_boundary(data, size, r.spans[i].start) ||
			    !grapheme_boundary(data, size, r.spans[i].end))
				abort();
		for (int k = 0; k < TEXT_ABUSE_NCAT; k++)
			if (!(r.abuse[k] >= 0 && r.abuse[k] <= 1))
				abort();
		if (!(r.sentiment_score >= -1 && r.sentiment_score <= 1))
			abort();
		struct buf m = BUF_INIT(4 * size + 16);
		if (text_mask(s, size, &r, &m) != 0)
			abort();
		buf_release(&m);
		struct buf j = BUF_INIT(1u << 20);
		if (text_result_to_json(&r, &j) != 0)
			abort();
		buf_release(&j);
	} else if (rc == TEXT_EUTF8) {
		if (text_utf8_valid(s, size))
			abort();
	} else if (rc != TEXT_ETOOLONG) {
		abort();
	}
	text_result_release(&r);
	struct text_tone_report rep;
	text_tone_check(ta, s, size, TEXT_LANG_AUTO, TEXT_TONE_REPLY_TO_COMPLAINT, &rep);
	struct text_forms f;
	size_t wl = size < 64 ? size : 64;
	rc = text_word_forms(ta, s, wl, &f);
	if (rc != TEXT_OK && rc != TEXT_EUTF8 && rc != TEXT_ENOMEM)
		abort();
	if (rc == TEXT_OK) {
		if (f.n > TEXT_FORMS_MAX)
			abort();
		for (size_t i = 0; i < f.n; i++)
			if (f.form[i] < f.buf || f.form[i] >= f.buf + sizeof f.buf || !*f.form[i] ||
			    strpbrk(f.form[i], " \t\r\n\"'") || !text_utf8_valid(f.form[i], strlen(f.form[i])))
				abort();
	}
	return 0;
}
