/*
 * Fuzz target for the SQLite search's reading of a query against one text without an index
 * (store/sqlite/fts.h sq_fts_text_matches: the query comes from GET /api/v1/search?q=, the
 * text is a masked message). Input: the query, a newline, the text. Never a crash, the answer
 * is 0 or 1, more text never loses a match (words are ANDed, wherever they stand), and a form
 * for the query's first word (the text's first word, if it is letters) never loses one either.
 *
 *     make fuzz && build/fuzz/fuzz_search -max_total_time=60 tests/fuzz/corpus/search
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store/sqlite/fts.h"
#include "store/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *nl = memchr(data, '\n', size);
	size_t qn = nl ? (size_t)(nl - (const char *)data) : size;
	if (qn > 1024)
		return 0; /* the API takes 200 characters; the store at most SQ_QUERY_MAX bytes */
	char *q = malloc(qn + 1);
	size_t tn = nl ? size - qn - 1 : 0;
	char *t = calloc(1, 2 * tn + 2);
	if (!q || !t)
		abort();
	memcpy(q, data, qn);
	q[qn] = 0;
	if (tn)
		memcpy(t, nl + 1, tn);
	int m = sq_fts_text_matches(q, NULL, t, tn);
	if (m != 0 && m != 1)
		abort();
	/* the text's first word as a form of the query's first word */
	size_t qs = strspn(q, " \t\r\n"), ql = strcspn(q + qs, " \t\r\n");
	size_t fl = 0;
	while (fl < tn && fl < 64 && ((t[fl] | 0x20) >= 'a' && (t[fl] | 0x20) <= 'z'))
		fl++;
	if (ql > 0 && fl > 0 && (fl == tn || t[fl] == ' ')) {
		char word[1025], form[65];
		memcpy(word, q + qs, ql);
		word[ql] = 0;
		memcpy(form, t, fl);
		form[fl] = 0;
		const char *forms[1] = {form};
		const struct search_word_forms wf = {word, 1, forms};
		const struct search_forms f = {1, &wf};
		int mf = sq_fts_text_matches(q, &f, t, tn);
		if ((mf != 0 && mf != 1) || (m == 1 && mf != 1))
			abort();
	}
	/* the same text twice, with a space between: still a match */
	t[tn] = ' ';
	if (tn)
		memcpy(t + tn + 1, nl + 1, tn);
	if (m == 1 && sq_fts_text_matches(q, NULL, t, 2 * tn + 1) != 1)
		abort();
	free(q);
	free(t);
	return 0;
}
