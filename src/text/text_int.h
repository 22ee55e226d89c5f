/*
 * text_int: internals shared by the files of src/text/ (never included from outside).
 *
 * Pipeline of text_analyze(): validate UTF-8 -> tokenise (token.c: byte offsets into the
 * original, normalised+casefolded form in a scratch buffer) -> each word token is looked up in
 * the analyzer's word cache (lemma.c: voikko / Snowball + the lexicon, computed once per
 * distinct form and language) -> language id, sentiment, abuse, phrases (analyze.c) ->
 * optional learned adjustment (model.c).
 */
#ifndef KP_TEXT_INT_H
#define KP_TEXT_INT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "text/text.h"
#include "text/text_lex.h"

/* ---- arena: bump allocator in chunks; freed all at once ---- */
struct text_arena {
	struct text_arena_chunk *head;
	size_t used_total;
};
void *text_arena_alloc(struct text_arena *a, size_t n); /* 8-aligned; NULL on ENOMEM */
char *text_arena_strdup(struct text_arena *a, const char *s, size_t n); /* NUL-terminated */
void text_arena_release(struct text_arena *a);

/* ---- string -> uint32 map (open addressing); keys are not copied: caller keeps them alive ---- */
struct text_map_slot {
	uint64_t hash;
	const char *key;
	uint32_t klen;
	uint32_t val;
};
struct text_map {
	struct text_map_slot *slots;
	size_t cap, n; /* cap is a power of two, or 0 */
};
uint64_t text_hash(const void *p, size_t n, uint64_t seed);
/* Returns a pointer to the value, or NULL if absent. */
uint32_t *text_map_get(const struct text_map *m, const char *key, size_t klen, uint64_t h);
/* Insert (key must stay alive); returns 0 or -1 on ENOMEM. Replaces the value if present. */
int text_map_put(struct text_map *m, const char *key, size_t klen, uint64_t h, uint32_t val);
void text_map_release(struct text_map *m);
void text_map_clear(struct text_map *m);

/* ---- what the lexicon says about one term ---- */
enum {
	TI_NEGATOR = 1u << 0,
	TI_CONTRAST = 1u << 1,
	TI_SECOND = 1u << 2,   /* second-person marker (pronoun, verb form, possessive suffix) */
	TI_FIRST = 1u << 3,    /* first-person commitment ("tulen", "I'll", first-person verb) */
	TI_STOP = 1u << 4,
	TI_FUNC = 1u << 5,
	TI_THANKS = 1u << 6,
	TI_APOLOGY = 1u << 7,
	TI_KNOWN = 1u << 8,    /* recognised by voikko (fi) / by some English list (en) */
	TI_CONTENT = 1u << 9,  /* worth counting as a topic */
	TI_HASVAL = 1u << 10,
	TI_EXCLUDED = 1u << 11,
	TI_COPULA = 1u << 12,
	TI_PERSON = 1u << 13,
	TI_MODAL = 1u << 14,
	TI_POSS2 = 1u << 16, /* second person only through a possessive suffix ("katseesi") */
	TI_IMPER = 1u << 15, /* imperative or passive verb form ("tapetaan", "hirttäkää") */
	TI_CONTEMPT = 1u << 17, /* contemptuous determiner/vocative: "tuollainen", "senkin" */
	TI_QUEST = 1u << 18,    /* Finnish interrogative clitic -ko/-kö ("onko", "eikö") */
	TI_PLURAL = 1u << 19,   /* Finnish plural noun/pronoun (every reading): "maahanmuuttajat" */
	TI_ADJ = 1u << 20,      /* Finnish adjective (voikko laatusana, first reading): "sekaisin" */
	TI_FIXED = 1u << 21,    /* a form that is a fixed expression, none of its lemma's colour */
	TI_COMPAR = 1u << 22,   /* Finnish comparative (voikko, first reading): "onnellisempi" */
	TI_SING2 = 1u << 23,    /* second person singular verb: "olet", "oot", "oletko" (one reader) */
	TI_TRANSL = 1u << 24,   /* Finnish translative (every reading): "idiootiksi", "huoraks" */
	TI_FINITE = 1u << 25,   /* Finnish finite verb in the first or third person, not an
				 * imperative (voikko, first reading): "tuli", "on", "olen" */
	TI_NOMINAL = 1u << 26,  /* Finnish noun or adjective in the nominative (every reading):
				 * "pelle", "lurjus"; not "jälkeen", "vuoksi" */
	TI_PAST = 1u << 27,     /* Finnish verb in the past tense (voikko, first reading): "tappoi",
				 * "ammuin" - a report of something done, not a commitment */
	TI_COND = 1u << 28,     /* Finnish conditional verb (voikko, first reading): "tappaisin" */
	TI_POSS3 = 1u << 29,    /* Finnish third-person possessive suffix (every reading): "kalloonsa",
				 * "itsensä" - the subject's own head, not the reader's */
	TI_CONNEG = 1u << 30,   /* Finnish form that is also a connegative ("tarkoita", "tapa": voikko
				 * reads it as an imperative with NEGATIVE=both) */
	TI_NONFIN = 1u << 31,   /* Finnish MA- or E-infinitive or participle verb form (voikko, first
				 * reading): "ampumaan", "tappamalla", "tappaessa" - nobody's act */
};
enum { TA_INSULT, TA_THREAT, TA_OBSCENE, TA_IDENTITY, TA_N };

struct text_info {
	float valence;      /* AFINN scale, 0 = none */
	float abuse[TA_N];  /* evidence per category */
	float idgroup;      /* group noun strength */
	float mult;         /* intensifier/downtoner multiplier; 0 = none */
	float bval;         /* a booster's own valence, used when it modifies nothing ("on hyvin") */
	uint32_t flags;     /* TI_* */
};

/* ---- the shared, read-only lexicon (built once per process) ---- */
#define TEXT_PHRASE_MAXW 6
#define TEXT_WORD_MAXIDS 8
struct text_phrase_word {
	int32_t ids[4];      /* term ids that match (surface form and lemmas); -1 unused */
	const char *prefix;  /* non-NULL: match any token whose form or lemma starts with this */
	uint32_t prefix_len;
	uint8_t exact;       /* "=ala": only a token with this surface form matches (ids[0], the
			      * form's term id, among the token's surface_mask ids), not one whose
			      * lemma it is ("aloin", "alan" have the lemma "ala") */
};
struct text_phrase {
	unsigned char lang; /* TEXT_LL_* */
	unsigned char kind; /* TEXT_LK_* */
	unsigned char n;
	float weight;
	struct text_phrase_word w[TEXT_PHRASE_MAXW];
};
struct text_lexicon {
	struct text_map terms; /* "f"/"e" + normalised term -> id */
	struct text_info *info; /* by id */
	uint32_t nterms, capterms;
	struct text_phrase *phrases;
	uint32_t nphrases;
	int32_t *head_first; /* by id: first index into head_next/head_phrase, -1 none */
	int32_t *head_next;
	int32_t *head_phrase;
	uint32_t nheads;
	struct text_arena arena;
};
/* The process-wide lexicon; builds it on first use (thread-safe). NULL + err on failure. */
const struct text_lexicon *text_lexicon_get(char *err, size_t errlen);
/* Term id of a key ("f"/"e" + normalised form), or -1. */
int32_t text_lexicon_id(const struct text_lexicon *lx, const char *key, size_t klen);

/* ---- per-analyzer cache entry: one distinct normalised form in one language ---- */
struct text_word {
	struct text_info info; /* merged over the ids below (and compound parts) */
	int32_t ids[TEXT_WORD_MAXIDS];
	uint8_t nids;
	uint8_t surface_mask;  /* bit k: ids[k] is a spelling of the form itself (as written, with
				* stretched letters collapsed, digits read as letters...), not a lemma */
	uint16_t lemma_len;
	const char *lemma;     /* base form (fi) / cleaned surface (en), arena */
	const char *stem;      /* en: Snowball stem; fi: == lemma */
	uint16_t stem_len;
	uint64_t feat_hash;    /* hash of lang + lemma/stem, for the learned layer */
	uint8_t elative;       /* fi: every voikko reading is in the elative case ("sinusta", "tästä"):
				* the object of "pitää" = to like */
	uint8_t partitive_adj; /* fi: every voikko reading is a singular partitive and one is an
				* adjective ("noloa", "tyhmää"): alone it describes a situation */
	uint8_t poss1;         /* fi: a first-person possessive suffix on every reading ("toimistoni") */
	uint8_t proper_name;   /* fi: every voikko reading is a first name or a surname ("Pekka",
				* "Halosen"): a person ("Pekka on tyhmä" judges someone) */
	uint8_t insult_modifier; /* fi: the insult comes from a compound's first part and the head is
				  * no person, body part or insult ("idioottisääntö", "pellefirma") */
	uint64_t rule_class;   /* the analysis rules' small word classes, set by text_word_classify() */
	const char *topic;     /* the form counted as a complaint topic (a noun's lemma, "kirjautuminen"
	                        * for "kirjautumisessa", "delivery" for "deliveries"); NULL: none */
	uint16_t topic_len;
	uint8_t name_reading; /* fi: one voikko reading is a first name or a surname ("Sari") */
	uint8_t adj_reading;  /* fi: the first voikko reading is an adjective, or a noun-adjective
	                       * (voikko's nimisana_laatusana: "huono", "paha", "tyhmä", which
	                       * TI_ADJ leaves out): a negation denies it ("ei ollut huono") */
};

/* ---- tokens ---- */
enum text_tok_type {
	TT_WORD,
	TT_NUM,
	TT_URL,
	TT_EMAIL,
	TT_MENTION,
	TT_EMOJI,
	TT_EMOTICON,
	TT_END,    /* sentence end: . ! ? (count of '!' in `excl`, '?' in `quest`) */
	TT_CLAUSE, /* , ; : ( ) and dashes */
};
enum {
	TF_ALLCAPS = 1,
	TF_ELLIPSIS = 2,
	TF_NT = 4,        /* ends in n't */
	TF_CAPITAL = 8,   /* Name-like */
	TF_QUOTED = 16,   /* analyze.c: an odd number of quotation marks before it (inside a quote) */
	TF_SYNTH = 32,    /* token.c: a zero-width sentence end cutting a very long sentence */
	TF_POS_SENT = 64, /* analyze.c: in a sentence whose sentiment is positive */
	TF_FORMULA = 128, /* analyze.c: in a letter's greeting or closing formula ("Hei Sari,",
	                   * "Ystävällisin terveisin", "Kind regards"): no sentiment, no topic */
};
struct text_tok {
	uint32_t start, end;   /* bytes in the original input */
	uint32_t norm_off;     /* into analyzer scratch */
	uint16_t norm_len;
	uint8_t type;
	uint8_t flags;
	uint8_t excl, quest;
	uint8_t ev_cat;              /* analyze.c: the category of ev */
	uint8_t comma;               /* TT_CLAUSE: it is (or opens with) a comma, not a colon, a dash or a
	                              * bracket (a vocative is set off by commas: "Fix it, idiot.") */
	float ev;                    /* analyze.c: the abuse evidence this word carried (0: none) */
	const struct text_word *w;   /* word in the analysis language (NULL for non-words) */
	const struct text_word *wfi, *wen;
};

/* A phrase match found during analysis (for tone check). */
struct text_match {
	uint32_t start, end;
	uint8_t kind;
	float weight;
};

struct VoikkoHandle;
struct sb_stemmer;
struct text_analyzer {
	const struct text_lexicon *lx;
	struct VoikkoHandle *voikko;
	struct sb_stemmer *stem_en;
	/* word cache: key = lang char + normalised form */
	struct text_map cache;
	struct text_word *words; /* chunked: stable pointers */
	struct text_word **chunks;
	size_t nchunks, nwords;
	struct text_arena cache_arena;
	uint64_t hits, misses;
	/* per-text scratch, reused */
	struct text_tok *toks;
	size_t ntoks, captoks;
	int glued; /* token.c: a word has an emoji or a symbol right after it (text_join_glued()) */
	char *scratch;
	size_t scratch_len, scratch_cap;
	struct text_match *matches;
	size_t nmatches, capmatches;
	/* analyze.c: fi_person_in() of the sentence [pin_a, pin_b) being analysed (pin_val -1:
	 * none known), so the per-word rules that ask it cost no pass over the sentence each */
	size_t pin_a, pin_b;
	int pin_val;
	/* analyze.c: the first two speech verbs from token rq_a to the second sentence end after
	 * it (SIZE_MAX: none), for reported_quote() in the sentence being analysed (rq_ok) */
	size_t rq_a, rq_v[2];
	int rq_ok;
	enum text_lang lang; /* of the last analysis */
	const struct text_model *model;
	/* forms.c: the Finnish stemmer and the answers of text_word_forms(), made on first use */
	struct sb_stemmer *stem_fi;
	struct forms_cache_ent *forms_cache;
};

/* 1 if token t is a word whose normalised form is w (analyze.c, tone.c). The first byte first:
 * callers loop over lists of forms, and strlen() of a list entry is not folded away as it is for
 * a literal. */
static inline __attribute__((always_inline)) int text_tok_is(const struct text_analyzer *ta, const struct text_tok *t,
							   const char *w)
{
	return t->type == TT_WORD && ta->scratch[t->norm_off] == w[0] && t->norm_len == strlen(w) &&
	       !memcmp(ta->scratch + t->norm_off, w, t->norm_len);
}

/* 1 if token t is a word whose normalised form is one of forms (NULL-terminated). */
static inline int text_tok_in(const struct text_analyzer *ta, const struct text_tok *t, const char *const *forms)
{
	for (int k = 0; forms[k]; k++)
		if (text_tok_is(ta, t, forms[k]))
			return 1;
	return 0;
}

/* 1 if word w's lemma is one of lemmas (NULL-terminated) (analyze.c, tone.c). */
static inline int text_lemma_in(const struct text_word *w, const char *const *lemmas)
{
	for (int k = 0; lemmas[k]; k++)
		if (w->lemma_len == strlen(lemmas[k]) && !memcmp(w->lemma, lemmas[k], w->lemma_len))
			return 1;
	return 0;
}

/* forms.c: free what text_word_forms() made (text_analyzer_free) */
void text_forms_cache_free(struct text_analyzer *ta);
/* token.c: fill ta->toks / ta->scratch from valid UTF-8. 0 or TEXT_ENOMEM. */
int text_tokenize(struct text_analyzer *ta, const char *s, size_t len);
/* token.c: words written with an emoji or another symbol between their letters, no space
 * ("id😀iootti", "i👍d👍i👍o👍t"): the pieces glued by symbols are one word when joined they
 * read as an insult or a swear word in a needed language and no piece alone is one (so
 * "hyvä👍palvelu" and "idiot😀idiot" stay two words); the word spans the symbols. Needs the
 * word cache (after text_tokenize). TEXT_OK or TEXT_ENOMEM. */
int text_join_glued(struct text_analyzer *ta, const char *s, int need_fi, int need_en);
/* token.c: widen the n spans v (sorted, not overlapping) of valid UTF-8 s[0..len) to whole
 * grapheme clusters (an emoji with its modifiers and joiners, a letter with its marks); spans
 * that then overlap are the caller's to merge. */
void text_spans_align(const char *s, size_t len, struct text_span *v, size_t n);
/* Normalise (NFC + casefold, ’ -> ') s into dst (cap bytes); returns length, or -1 if it
 * does not fit. */
/* Sets w->rule_class (enum rule_class, text_lex.h) from w's lemma and info. text_word_get()
 * calls it once, when a word enters the cache and its info is final. */
void text_word_classify(struct text_word *w);
/* lexicon.c: the word classes (enum rule_class bits) of data/lexicon/word_classes.tsv for a
 * lemma of len bytes: _exact() only the whole-lemma entries (a binary search of the generated
 * table), _of() also the prefix and suffix entries. 0 when none. Language-blind: the rules
 * ask about lemmas whatever the word's language, as the C lists they replace did. */
uint64_t text_word_class_exact(const char *lemma, size_t len);
uint64_t text_word_class_of(const char *lemma, size_t len);

int text_normalize(const char *s, size_t len, char *dst, size_t cap);

/* lemma.c: the cache entry for a normalised form in lang (TEXT_LL_FI/EN); NULL on ENOMEM. */
const struct text_word *text_word_get(struct text_analyzer *ta, int lang, const char *norm,
				      size_t len);

/* lemma.c: empty the cache if it grew past its cap (between texts only). */
void text_cache_maybe_trim(struct text_analyzer *ta);

/* analyze.c: lexicon-only analysis (no model), leaves tokens/matches in ta. */
int text_analyze_lex(struct text_analyzer *ta, const char *s, size_t len, enum text_lang lang,
		     struct text_result *out);

/* model.c: adjust r using the model and the tokens left in ta by text_analyze_lex(). */
void text_model_apply(const struct text_model *m, struct text_analyzer *ta, struct text_result *r);

#endif
