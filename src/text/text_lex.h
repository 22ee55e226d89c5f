/*
 * text_lex: the raw word-list table generated at build time (build/gen/text_lexicon_data.c by
 * src/text/gen/gen_lexicon.mjs from npm lists + the data/lexicon TSV files). Private to src/text/.
 * lexicon.c lemmatises and indexes these entries once per process.
 */
#ifndef KP_TEXT_LEX_H
#define KP_TEXT_LEX_H

#include <stddef.h>

enum text_lex_lang { TEXT_LL_FI = 1, TEXT_LL_EN = 2, TEXT_LL_ANY = 3 }; /* a bit set */

enum text_lex_kind {
	TEXT_LK_VALENCE,
	TEXT_LK_INSULT,
	TEXT_LK_THREAT,
	TEXT_LK_OBSCENE,
	TEXT_LK_IDENTITY,
	TEXT_LK_IDGROUP,
	TEXT_LK_NEGATOR,
	TEXT_LK_INTENSIFIER,
	TEXT_LK_DOWNTONER,
	TEXT_LK_CONTRAST,
	TEXT_LK_SECOND,
	TEXT_LK_FIRST_FUTURE,
	TEXT_LK_STOP,
	TEXT_LK_FUNC,
	TEXT_LK_THANKS,
	TEXT_LK_APOLOGY,
	TEXT_LK_BLAME,
	TEXT_LK_SARCASM,
	TEXT_LK_HARSH,
	TEXT_LK_EXCLUDE,
	TEXT_LK_COPULA, /* is/are/olla: "he is a liar" */
	TEXT_LK_PERSON, /* a pronoun for a person: he, she, they, hän, sä */
	TEXT_LK_MODAL,  /* obligation: should, pitäisi ("X pitäisi tappaa") */
	TEXT_LK_CONTEMPT, /* contemptuous determiner: "tuollainen", "senkin" (+ an insult) */
	TEXT_LK_FIXED,    /* an inflected form that is a fixed expression with none of its lemma's
			   * valence or abuse: "naimisiin" (married), not "naida" */
	TEXT_LK_NKINDS
};

struct text_lex_raw {
	const char *term;   /* UTF-8; a space makes it a phrase */
	unsigned char lang; /* enum text_lex_lang */
	unsigned char kind; /* enum text_lex_kind */
	unsigned char src;  /* index into text_lex_sources */
	float weight;
};

extern const struct text_lex_raw text_lex_raw[];
extern const size_t text_lex_raw_count;
extern const char *const text_lex_sources[];

#endif
