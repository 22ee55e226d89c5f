/*
 * search: what the domain adds to a full-text query before the store runs it - the other
 * forms of its Finnish words that the stores' Snowball stems miss (text_word_forms(): the
 * gradation of "Helsinki" / "Helsingin", "puhelin" / "puhelimen", "asia" / "asioita"), so a
 * search by a word's base form finds its inflected forms and the other way round.
 */
#ifndef KP_DOMAIN_SEARCH_H
#define KP_DOMAIN_SEARCH_H

#include "store/store.h"

struct arena;

/* The forms of query q's words (store.h struct search_forms), for store_search() and
 * store_search_text_matches() with the same q. A word is looked up without the punctuation
 * around it ("“Helsinki”," is "Helsinki"); at most SEARCH_FORMS_WORDS words get forms, and only
 * forms the stores take (1 to 64 bytes, no space or quote). Never
 * fails: without the thread's analyzer or memory, *out has none (the search still runs on the
 * stems). Everything is allocated from a. */
#define SEARCH_FORMS_WORDS 8
void search_query_forms(const char *q, struct search_forms *out, struct arena *a);

#endif
