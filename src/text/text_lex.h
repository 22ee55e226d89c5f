/*
 * text_lex: the raw word-list table generated at build time (build/gen/text_lexicon_data.c by
 * src/text/gen/gen_lexicon.mjs from npm lists + the data/lexicon TSV files). Private to src/text/.
 * lexicon.c lemmatises and indexes these entries once per process.
 */
#ifndef KP_TEXT_LEX_H
#define KP_TEXT_LEX_H

#include <stddef.h>
#include <stdint.h>

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
	TEXT_LK_SEVERE,   /* a phrase of severe abuse: incitement to suicide, a wish of death or
			   * disease, denial of the reader's worth or humanity (insult evidence,
			   * aimed, and text_result.severe) */
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

/*
 * Word classes of the analysis rules, kept in struct text_word.rule_class. The rules ask "is
 * this word one of these few lemmas?" for most words of a sentence; text_word_classify()
 * (analyze.c) answers it once per distinct word, when the word enters the analyzer's cache, so
 * a rule tests a bit. All but RC_PERSON_SHAPED are read from data/lexicon/word_classes.tsv
 * (the class names there are in gen_lexicon.mjs; the file says which rule uses each).
 */
enum rule_class {
	RC_PERSON_SHAPED = 1u << 0, /* computed: person_shaped_word() in analyze.c */
	RC_MIND_NOUN = 1u << 1,     /* mind_noun */
	RC_CONTEMPT_ADJ = 1u << 2,  /* contempt_adj */
	RC_BRAIN = 1u << 3,         /* mm_brain ... mm_iq: fi_mind_mockery() */
	RC_SKILL = 1u << 4,
	RC_EXTENT = 1u << 5,
	RC_RAVING = 1u << 6,
	RC_SMART = 1u << 7,
	RC_DULL = 1u << 8,
	RC_EMPTY = 1u << 9,
	RC_IQ = 1u << 10,
	RC_PERSON_NOUN = 1u << 11, /* person_noun */
	RC_PERSON_HEAD = 1u << 12, /* person_head (a suffix) */
	RC_ANSWER = 1u << 13,      /* answer */
	RC_CALLING = 1u << 14,     /* calling_verb */
	RC_SPEECH = 1u << 15,      /* speech_verb */
	RC_DEPORT = 1u << 16,      /* deport (a prefix) */
	RC_ANIMAL = 1u << 17,      /* animal */
	RC_THING = 1u << 18,       /* thing */
	RC_FICTION = 1u << 19,     /* fiction */
	RC_DYING = 1u << 20,       /* dying */
	RC_WAIT = 1u << 21,        /* wait */
	RC_INSULT_HEAD = 1u << 22, /* insult_head (lemma.c tests compound parts with it) */
	RC_FAULT = 1u << 23,       /* fault_noun */
	RC_WEAPON = 1u << 24,      /* weapon: menace_at() */
	RC_WRECK = 1u << 25,       /* wreck */
	RC_PREMISES = 1u << 26,    /* premises */
	RC_SEXUAL = 1u << 27,      /* sexual_body: fi_sexual_remark() */
	RC_GROUP_SLUR = 1u << 28,  /* group_slur: en_group_attack() */
	RC_GROUP_MEMBER = 1u << 29, /* group_member: en_group_attack() */
	RC_FAMILY = 1u << 30,       /* family: severe_family() */
};
/* Classes past bit 30 are macros, not enumerators: a C17 enumerator must fit an int.
 * killing: a threat to kill the reader is severe. state_adj: how the reader feels, not what
 * they are ("olet pettynyt"). */
#define RC_KILLING (UINT64_C(1) << 31)
#define RC_STATE (UINT64_C(1) << 32)
#define RC_CLINICAL (UINT64_C(1) << 33) /* clinical_body: en_own_body() */
#define RC_DUAL_SENSE (UINT64_C(1) << 34)    /* dual_sense: everyday_sense() */
#define RC_SENSE_CONTEXT (UINT64_C(1) << 35) /* sense_context: everyday_sense() */
#define RC_PET_NAME (UINT64_C(1) << 36)      /* pet_name: tone.c, a condescending opening */
#define RC_WISH (UINT64_C(1) << 37)          /* wish: death_wish() */
#define RC_HARM (UINT64_C(1) << 38)          /* harm: harm_to_body() */
#define RC_BODY (UINT64_C(1) << 39)          /* body_part: harm_to_body() */
#define RC_CROWD (UINT64_C(1) << 40)         /* crowd: lemma.c add_parts() */
#define RC_KIN (UINT64_C(1) << 41)           /* kin: own_family_copula() */
#define RC_GIVEN_NAME (UINT64_C(1) << 42)    /* given_name: greeted_name() */
#define RC_VERMIN (UINT64_C(1) << 43)        /* vermin: people called vermin (severe) */
#define RC_AFFLICTION (UINT64_C(1) << 44)    /* affliction: a deadly disease, harm_wish() */
#define RC_VEHICLE (UINT64_C(1) << 45)       /* vehicle: suicide_urged(), a cue only */
#define RC_LIFE_CUE (UINT64_C(1) << 46)      /* life_cue: denied_life(), a cue only */
/* veiled threats: watched(), pity_if(), waits_off_duty(), recourse_ruled_out(), third_party_harm(),
 * third_party_formula() in analyze.c */
#define RC_PRIVATE (UINT64_C(1) << 47)     /* private: the reader's home, car, family */
#define RC_ROUTINE (UINT64_C(1) << 48)     /* routine: live, park, walk (where you ...) */
#define RC_KNOWING (UINT64_C(1) << 49)     /* knowing: know, see, find out */
#define RC_MISHAP (UINT64_C(1) << 50)      /* mishap: happen, catch fire, break */
#define RC_RECOURSE (UINT64_C(1) << 51)    /* recourse: complaint, lawyer, money */
#define RC_CONSEQUENCE (UINT64_C(1) << 52) /* consequence: follow, regret, pay */
#define RC_OFF_DUTY (UINT64_C(1) << 53)    /* off_duty: shift, back door, closing */
#define RC_DEAR (UINT64_C(1) << 54)        /* dear: the reader's people and pets */
#define RC_STAFF (UINT64_C(1) << 55)       /* staff: service jobs (the cashier, the guard) */
#define RC_PITY (UINT64_C(1) << 56)        /* pity: sääli, shame, would hate */
/* complaint topics: lemma.c topic_filter() */
#define RC_NOT_TOPIC  (UINT64_C(1) << 57) /* not_topic: time words, greetings, "problem" */
#define RC_TOPIC_WORD (UINT64_C(1) << 58) /* topic_word: problem words with a valence ("delayed") */
#define RC_SHOT       (UINT64_C(1) << 59) /* shot: a bullet, severe.c text_shot_aim() */
/* a polite request: insult.c text_polite_request(), a gate only */
#define RC_REQUEST (UINT64_C(1) << 60) /* request: please, could, someone, voida, joku */
/* a problem put right: insult.c text_sent_resolution(), a gate only */
#define RC_RESOLUTION (UINT64_C(1) << 61) /* resolution: korjata, vaihto, fixed, refunded */

/* How a word-class entry matches a lemma: all of it, its start, or its end. */
enum text_wc_match { TEXT_WM_EXACT, TEXT_WM_PREFIX, TEXT_WM_SUFFIX };

struct text_wc_entry {
	const char *lemma; /* UTF-8, normalised like a lemma */
	uint16_t len;      /* bytes */
	uint8_t match;     /* enum text_wc_match */
	uint64_t cls;      /* enum rule_class bits and the RC_ macros after it */
};

/* The exact lemmas, sorted by bytes (memcmp, then the shorter first) and unique; the affix
 * entries (a few, scanned). */
extern const struct text_wc_entry text_wc_exact[];
extern const size_t text_wc_exact_count;
extern const struct text_wc_entry text_wc_affix[];
extern const size_t text_wc_affix_count;

#endif
