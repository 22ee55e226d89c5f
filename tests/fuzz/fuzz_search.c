/*
 * Fuzz target for the SQLite search's reading of a query against one text without an index
 * (store/sqlite/fts.h sq_fts_text_matches: the query comes from GET /api/v1/search?q=, the
 * text is a masked message). Input: the query, a newline, the text. Never a crash, the answer
 * is 0 or 1, and more text never loses a match (words are ANDed, wherever they stand).
 *
 *     make fuzz && build/fuzz/fuzz_search -max_total_time=60 tests/fuzz/corpus/search
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store/sqlite/fts.h"

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
	int m = sq_fts_text_matches(q, t, tn);
	if (m != 0 && m != 1)
		abort();
	/* the same text twice, with a space between: still a match */
	t[tn] = ' ';
	if (tn)
		memcpy(t + tn + 1, nl + 1, tn);
	if (m == 1 && sq_fts_text_matches(q, t, 2 * tn + 1) != 1)
		abort();
	free(q);
	free(t);
	return 0;
}
