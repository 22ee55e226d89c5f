/*
 * text: analysis of customer-written Finnish and English text - language, sentiment, abuse
 * aimed at staff (with the byte spans that carry it, for masking), complaint topics, a learned
 * layer trained from staff corrections, and a tone check for replies staff are about to send.
 *
 * Everything is lexicon + morphology based (libvoikko lemmas for Finnish, Snowball stems for
 * English, utf8proc normalisation) and runs in-process, no network, no model files needed.
 *
 *     char err[128];
 *     struct text_analyzer *ta = text_analyzer_new(err, sizeof err);   // one per thread
 *     struct text_result r;
 *     if (text_analyze(ta, s, len, TEXT_LANG_AUTO, &r) == 0) {
 *             struct buf js = BUF_INIT(64 * 1024);
 *             text_result_to_json(&r, &js);
 *             ...
 *             buf_release(&js);
 *             text_result_release(&r);
 *     }
 *     text_analyzer_free(ta);
 *
 * Threads: a text_analyzer holds a voikko handle and a lemma cache and is NOT thread-safe; use
 * one per thread. The word lists behind it are built once per process (thread-safe, shared,
 * read-only). text_model and text_topics objects are not thread-safe either.
 *
 * Input: UTF-8, at most TEXT_MAX_INPUT bytes. Invalid UTF-8 is rejected (TEXT_EUTF8), longer
 * input is rejected (TEXT_ETOOLONG) - callers that want to analyse a prefix cut it with
 * text_utf8_prefix(). Offsets in results are byte offsets into the caller's original bytes.
 */
#ifndef KP_TEXT_TEXT_H
#define KP_TEXT_TEXT_H

#include <stddef.h>
#include <stdint.h>

struct buf;

#define TEXT_MAX_INPUT (64 * 1024)

enum text_status {
	TEXT_OK = 0,
	TEXT_EUTF8 = -1,    /* input is not valid UTF-8 */
	TEXT_ETOOLONG = -2, /* input longer than TEXT_MAX_INPUT */
	TEXT_ENOMEM = -3,
	TEXT_EINVAL = -4, /* bad argument / malformed model bytes */
};
/* A static English message for a status. */
const char *text_strerror(int status);

enum text_lang { TEXT_LANG_AUTO = -1, TEXT_LANG_OTHER = 0, TEXT_LANG_FI = 1, TEXT_LANG_EN = 2 };
const char *text_lang_name(enum text_lang); /* "fi", "en", "other", "auto" */
/* "auto"/"fi"/"en"/"other" -> the enum; -2 if unknown. */
int text_lang_parse(const char *s);

enum text_abuse_cat {
	TEXT_ABUSE_INSULT,
	TEXT_ABUSE_THREAT,
	TEXT_ABUSE_OBSCENITY,
	TEXT_ABUSE_IDENTITY,
	TEXT_ABUSE_TOXICITY, /* overall */
	TEXT_ABUSE_NCAT
};
const char *text_abuse_cat_name(enum text_abuse_cat); /* "insult", ..., "toxicity" */

enum text_sentiment { TEXT_SENT_NEGATIVE = -1, TEXT_SENT_NEUTRAL = 0, TEXT_SENT_POSITIVE = 1 };
const char *text_sentiment_name(int label); /* "negative", "neutral", "positive" */

/* Score at or above which an abuse category counts as present. */
#define TEXT_ABUSE_PRESENT 0.5

/* Bytes [start, end) of the original input that carry abuse of category cat. */
struct text_span {
	size_t start, end;
	enum text_abuse_cat cat;
};

#define TEXT_MAX_TOPICS 16 /* up to TEXT_MAX_TOPIC_WORDS lemmas, the rest two-lemma phrases */
#define TEXT_MAX_TOPIC_WORDS 12

/*
 * The result of one analysis. Owned by the caller, who calls text_result_release() once
 * (also safe on a zeroed struct, and after a failed text_analyze()). spans and topics point
 * into memory owned by the result.
 */
struct text_result {
	enum text_lang lang;    /* detected (or forced) language */
	double lang_conf;       /* 0..1 */
	int sentiment_label;    /* enum text_sentiment */
	double sentiment_score; /* -1..1 */
	int abuse_flagged;      /* some category >= TEXT_ABUSE_PRESENT */
	int aimed_at_reader;    /* the abuse addresses the reader (second person, vocative) */
	int abuse_tone_only;    /* flagged only for the tone of the whole (a shouted Finnish
				 * complaint, "MIKSI KUKAAN EI VASTAA"): toxicity, but no word of abuse
				 * to mask and no one abused (domain/protect.h does not mask it) */
	int severe;             /* severe abuse (only when abuse_flagged): incitement to suicide,
				 * a wish of death or disease, denial of worth or humanity, a threat
				 * to kill, an armed threat, a sexual insult of the reader's family */
	double abuse[TEXT_ABUSE_NCAT]; /* 0..1 per category */
	struct text_span *spans;       /* sorted by start, non-overlapping */
	size_t nspans;
	const char *topics[TEXT_MAX_TOPICS]; /* content lemmas of the text, then phrases of two
					      * adjacent ones ("credit card", "tilaus peruutus") */
	size_t ntopics;
	size_t ntokens;      /* word-like tokens seen */
	int model_applied;   /* a learned model adjusted this result */
	double lex_sentiment_score; /* lexicon-only figures, before the learned layer */
	int lex_sentiment_label;
	double lex_toxicity;
	void *mem_; /* private */
};

struct text_analyzer;
struct text_model;

/*
 * Allocates an analyzer (voikko handle + lemma cache). The first call in a process also builds
 * the shared word-list index (about 0.1-0.3 s). Returns NULL on failure with a message in
 * err (if err is not NULL and errlen > 0).
 */
struct text_analyzer *text_analyzer_new(char *err, size_t errlen);
void text_analyzer_free(struct text_analyzer *ta); /* NULL ok */

/*
 * Use `model` (may be NULL = lexicon only) to adjust later results. The analyzer borrows the
 * model: the caller keeps ownership and must not free or train it while the analyzer may
 * use it from another thread.
 */
void text_analyzer_set_model(struct text_analyzer *ta, const struct text_model *model);

/* Lemma-cache statistics since the last clear, and a way to empty the cache (for cold-cache
 * benchmarks; also resets the counters). */
void text_analyzer_cache_stats(const struct text_analyzer *ta, size_t *entries, uint64_t *hits,
			       uint64_t *misses);
void text_analyzer_cache_clear(struct text_analyzer *ta);

/*
 * Analyse len bytes of UTF-8 (need not be NUL-terminated). lang: TEXT_LANG_AUTO to detect,
 * or a forced language. Fills *out (always initialised, even on error) and returns TEXT_OK or
 * a negative enum text_status.
 */
int text_analyze(struct text_analyzer *ta, const char *utf8, size_t len, enum text_lang lang,
		 struct text_result *out);
void text_result_release(struct text_result *r);

/*
 * Append r as one JSON object (no newline) to out:
 * {"lang":"fi","lang_conf":..,"sentiment":{"label":..,"score":..},"abuse":{"flagged":..,
 *  "aimed_at_reader":..,"categories":{...},"spans":[{"start":..,"end":..,"category":..}]},
 *  "topics":[...]}. Returns 0, or -1 if out's cap was reached.
 */
int text_result_to_json(const struct text_result *r, struct buf *out);

/*
 * Append utf8 to out with every span of r replaced by one '*' per character (code point), so
 * the masked text keeps its visual length. r must come from analysing exactly these bytes.
 * Returns 0, or -1 (cap reached, or a span out of range).
 */
int text_mask(const char *utf8, size_t len, const struct text_result *r, struct buf *out);

/* An abuse score as output shows it, with three decimals: a score just under
 * TEXT_ABUSE_PRESENT (0.4996) is shown as 0.499, not rounded to 0.500, so no reader of the
 * output counts a category present that the result does not. */
double text_abuse_score_shown(double v);

/* Length of the longest prefix of s[0..len) that is <= max bytes and ends on a code point
 * boundary (for callers that want to analyse the start of an over-long text). */
size_t text_utf8_prefix(const char *s, size_t len, size_t max);
/* 1 if s[0..len) is valid UTF-8 (no overlongs, no surrogates), else 0. */
int text_utf8_valid(const char *s, size_t len);

/* ---- topics: what negative texts talk about -------------------------------------------- */

struct text_topics;
struct text_topic {
	const char *term; /* owned by the text_topics object, valid until it is freed/added to */
	double score;     /* log-odds z-score of being over-represented in negative texts */
	uint32_t neg, all;
};
struct text_topics *text_topics_new(void); /* allocates; NULL on ENOMEM */
void text_topics_free(struct text_topics *t);
/* Count r's topic lemmas (a text is "negative" when its sentiment is negative or it is
 * flagged as abusive). Returns 0 or TEXT_ENOMEM. */
int text_topics_add(struct text_topics *t, const struct text_result *r);
/* Up to k terms with the highest score, best first, into out[]; returns how many. Terms seen
 * in fewer than min_count negative texts are skipped. */
size_t text_topics_top(struct text_topics *t, size_t k, uint32_t min_count, struct text_topic *out);

/* ---- learned layer: trained from labelled examples (staff corrections) ------------------ */

enum text_task { TEXT_TASK_SENTIMENT = 0, TEXT_TASK_ABUSE = 1 };

/*
 * A residual logistic-regression model over hashed lemma/stem unigram+bigram features and the
 * lexicon's own scores: with no training it reproduces the lexicon result; each labelled
 * example is one incremental (AdaGrad) step, and predictions use the weights averaged over all
 * steps. Per task, the model is applied only while it predicts the corrections it is given
 * better than the lexicon did (balanced accuracy, measured before each step), so a model that
 * has not yet shown it helps leaves results as the lexicon made them (model_applied 0).
 * Allocates (~12 MB); NULL on ENOMEM.
 */
struct text_model *text_model_new(void);
void text_model_free(struct text_model *m);
/*
 * One online training step on a text with a corrected label: for TEXT_TASK_SENTIMENT label is
 * an enum text_sentiment (-1/0/1), for TEXT_TASK_ABUSE 1 = abusive, 0 = not. The analyzer
 * provides the features (its own model, if any, is ignored for this). Returns 0 or a status.
 */
int text_model_train(struct text_model *m, struct text_analyzer *ta, enum text_task task,
		     const char *utf8, size_t len, enum text_lang lang, int label);
/* Number of examples the model has been trained on, per task. */
uint64_t text_model_examples(const struct text_model *m, enum text_task task);
/* Serialise to out (binary, version 2, little-endian, ~12 MB): everything training needs, so a
 * loaded model continues exactly. 0 or -1 (cap). */
int text_model_save(const struct text_model *m, struct buf *out);
/* Parse bytes written by text_model_save(); allocates. Version 1 (plain weights) loads with
 * those weights and its gate closed until new corrections open it; other versions, sizes or
 * hash widths are TEXT_EINVAL. NULL + *status on error. */
struct text_model *text_model_load(const void *data, size_t len, int *status);

/* ---- tone check for replies staff are about to send ------------------------------------- */

enum text_tone_code {
	TEXT_TONE_HARSH,
	TEXT_TONE_BLAMING,
	TEXT_TONE_SARCASTIC,
	TEXT_TONE_MISSING_THANKS,  /* replying to a complaint without thanks or apology */
	TEXT_TONE_ABUSE,
	TEXT_TONE_NCODES
};
#define TEXT_TONE_REPLY_TO_COMPLAINT 1u /* flag for text_tone_check() */

struct text_tone_issue {
	enum text_tone_code code;
	const char *name;    /* static: "harsh", "blaming", "sarcastic", "missing_thanks", "abuse" */
	const char *message; /* static English explanation for the UI */
	size_t start, end;   /* byte span in the reply; 0,0 for whole-text issues */
};
#define TEXT_TONE_MAX_ISSUES 16

struct text_tone_report {
	struct text_tone_issue issues[TEXT_TONE_MAX_ISSUES];
	size_t nissues;
	enum text_lang lang;
};

/* Check a reply (flags: TEXT_TONE_REPLY_TO_COMPLAINT). Fills *out (no allocation); returns
 * TEXT_OK or a negative status. */
int text_tone_check(struct text_analyzer *ta, const char *utf8, size_t len, enum text_lang lang,
		    unsigned flags, struct text_tone_report *out);
/* {"issues":[{"code":"blaming","message":..,"start":..,"end":..}],"lang":"fi"}; 0 or -1. */
int text_tone_report_to_json(const struct text_tone_report *rep, struct buf *out);

/* ---- search forms (forms.c) ----
 * Other forms of a Finnish noun, adjective or name that a search for it should also find
 * because their Snowball stem is another: "Helsinki" -> "helsingin", "aika" -> "ajassa",
 * "puhelin" -> "puhelimen", "asia" -> "asioita"; for an inflected word the lemma too
 * ("Helsingissä" -> "helsinki"). Each form is a word voikko reads as that lemma and as nothing
 * else, in lower case, with a stem of its own; then, while there is room, the lemma's core
 * case forms (genitive, partitive...) that voikko reads as it among other words, since
 * another Snowball (PostgreSQL's) may stem them apart. Punctuation and symbols around the
 * word are left out ("“Helsinki”,"). A word with a reading that is no noun,
 * adjective or name (a verb, a conjunction), with digits or other marks, or unknown to voikko
 * has none. out->form[i] point into out->buf (the caller's struct owns them). Returns TEXT_OK
 * (out->n may be 0), TEXT_EUTF8 or TEXT_ENOMEM. */
#define TEXT_FORMS_MAX 12
struct text_forms {
	size_t n, used;
	const char *form[TEXT_FORMS_MAX];
	char buf[384];
};
int text_word_forms(struct text_analyzer *ta, const char *word, size_t len, struct text_forms *out);

#endif
