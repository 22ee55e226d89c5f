/*
 * search: a query's word forms (search.h). The analyzer is the thread's own (protect.c), so
 * its voikko handle and its cache of forms are not shared between threads.
 */
#include <string.h>

#include "domain/protect.h"
#include "domain/search.h"
#include "text/text.h"
#include "util/arena.h"
#include "util/err.h"

static int search_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

/* 1 for the ASCII bytes around a word that are no part of it: punctuation, quotes, brackets */
static int search_edge(unsigned char ch)
{
	return ch < 0x80 && !((ch >= '0' && ch <= '9') || ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'z'));
}

void search_query_forms(const char *q, struct search_forms *out, struct arena *a)
{
	struct search_word_forms *words;
	struct kp_err err = KP_ERR_INIT;
	struct text_analyzer *ta;

	memset(out, 0, sizeof *out);
	if (!q || !(ta = protect_analyzer(&err)) || !(words = arena_calloc(a, SEARCH_FORMS_WORDS * sizeof *words)))
		return;
	for (const char *p = q; *p && out->n < SEARCH_FORMS_WORDS;) {
		while (search_space(*p))
			p++;
		const char *w = p;
		while (*p && !search_space(*p))
			p++;
		const char *s = w, *e = p;
		while (s < e && search_edge((unsigned char)*s))
			s++;
		while (e > s && search_edge((unsigned char)e[-1]))
			e--;
		struct text_forms tf;
		if (s == e || text_word_forms(ta, s, (size_t)(e - s), &tf) != TEXT_OK || tf.n == 0)
			continue;
		const char **form = arena_alloc(a, tf.n * sizeof *form);
		char *word = arena_strndup(a, w, (size_t)(p - w));
		if (!form || !word)
			return;
		for (size_t k = 0; k < tf.n; k++)
			if (!(form[k] = arena_strdup(a, tf.form[k])))
				return;
		words[out->n++] = (struct search_word_forms){.word = word, .n = tf.n, .form = form};
		out->words = words;
	}
}
