/*
 * fts: the text side of SQLite full-text search that needs no SQLite - case folding and the
 * terms a word is indexed or queried under (Snowball Finnish and English stems, the -nen
 * surname rule). fts.c also registers the FTS5 tokenizer built from these (sq_int.h).
 */
#ifndef KP_STORE_SQLITE_FTS_H
#define KP_STORE_SQLITE_FTS_H

#include <stddef.h>

struct search_forms;
struct search_word_forms;

/* Fold s[0..n) to lower case (UTF-8) into out; at most outlen-1 bytes and a NUL. Returns
 * the length written. Invalid UTF-8 bytes are copied as they are. */
size_t sq_fold(const char *s, size_t n, char *out, size_t outlen);
/* The terms a word stands for: writes them NUL-separated into out (first the primary
 * term, then its alternatives) and returns how many, or -1 if the stemmers cannot be
 * created. mode: 0 = document, 1 = query, 2 = prefix query. */
int sq_fts_terms(const char *word, size_t n, int mode, char *out, size_t outlen);
/* Whether a document whose only text is text[0..n) would match the search query q with its
 * words' forms (store.h; NULL: none), as search.c's build_match passes them to FTS5: every
 * word found (or one of its forms), the last one as a prefix. Where the words stand is not
 * checked, so a word that splits into several ("lasku-123") matches when each part is found
 * anywhere. Returns 1, 0 (also for a query with no word in it), or -1 when the stemmers
 * cannot be created or memory runs out. */
int sq_fts_text_matches(const char *q, const struct search_forms *forms, const char *text, size_t n);
/* The forms in f for the query word w[0..wl), or NULL (none, or f NULL). */
const struct search_word_forms *sq_search_word_forms(const struct search_forms *f, const char *w, size_t wl);

#endif
