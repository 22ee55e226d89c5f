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

/* 1 if form is one the stores take (store_ops.c): 1 to 64 bytes, no white space or quote. */
static int search_form_ok(const char *form)
{
	size_t n = strlen(form);
	return n >= 1 && n <= 64 && !strpbrk(form, " \t\r\n\"'");
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
		struct text_forms tf;
		/* text_word_forms() looks past the punctuation around the word ("“Helsinki”,") */
		if (p == w || text_word_forms(ta, w, (size_t)(p - w), &tf) != TEXT_OK || tf.n == 0)
			continue;
		const char **form = arena_alloc(a, tf.n * sizeof *form);
		char *word = arena_strndup(a, w, (size_t)(p - w));
		size_t n = 0;
		if (!form || !word)
			return;
		for (size_t k = 0; k < tf.n; k++)
			if (search_form_ok(tf.form[k]) && !(form[n++] = arena_strdup(a, tf.form[k])))
				return;
		if (n)
			words[out->n++] = (struct search_word_forms){.word = word, .n = n, .form = form};
		out->words = words;
	}
}
