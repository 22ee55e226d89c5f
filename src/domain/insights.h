/*
 * insights: what customers talk about, over many interactions (issue 3). For now one
 * question: the topics of complaints - the lemmas over-represented in negative inbound texts
 * compared with all inbound texts in a period (text_topics_*, a log-odds z-score).
 *
 *     struct insights_query q = {.to = now, .has_to = 1, .limit = 20};
 *     struct insights_topics res;
 *     if (insights_topics(c, &q, &res, arena, &err) == 0)
 *             ... res.items[0..res.n) best first, strings in arena ...
 *
 * No text is analysed on the request path when it need not be: each inbound interaction
 * already carries its analysis (interactions.analysis_json, see domain/protect.h), and only
 * the parts topic counting needs are read back from it (insights_result_from_analysis).
 * Interactions without a usable stored analysis (recorded before analysis existed, or an
 * unknown "v") are analysed on this thread's analyzer instead.
 *
 * Reads only (through the caller's read connection); no HTTP, no SQL.
 */
#ifndef KP_DOMAIN_INSIGHTS_H
#define KP_DOMAIN_INSIGHTS_H

#include <stddef.h>
#include <stdint.h>

#include "domain/domain.h"
#include "text/text.h"
#include "util/arena.h"
#include "util/err.h"

#define INSIGHTS_SAMPLE_MAX 20000          /* newest inbound interactions read at most */
#define INSIGHTS_TOTAL_MAX           10000000       /* a truncated period's total is counted up to this */
#define INSIGHTS_PERIOD_DEFAULT_DAYS 90    /* from = to - this, when from is not given */
#define INSIGHTS_TOPICS_DEFAULT 20
#define INSIGHTS_TOPICS_MAX 100
#define INSIGHTS_MIN_NEGATIVE 2            /* a term must occur in this many negative texts */
#define INSIGHTS_RESULT_TOPICS (2 * TEXT_MAX_TOPICS) /* summary's and body's, merged */

/*
 * The part of one interaction's stored analysis that topic counting needs: a minimal text
 * result for the interaction as a whole (summary and body together).
 * Invariants: topics[0..ntopics) are distinct, the summary's first, then the body's new ones.
 */
struct insights_result {
	int sentiment_label; /* enum text_sentiment: negative if either field is, else positive
			      * if either is, else neutral */
	int abuse_flagged;   /* the interaction (or either field) was flagged abusive */
	const char *topics[INSIGHTS_RESULT_TOPICS]; /* arena strings */
	size_t ntopics;
};

/*
 * Rebuild r from analysis_json as protect_interaction_analyze() stores it ({"v": 1,
 * "abusive", "summary": ANALYSIS|null, "body": ANALYSIS|null}). Topic strings are copied
 * into a. Returns 0, or KP_EINVAL (r zeroed) when the text is not a version-1 analysis
 * object (NULL, malformed, another "v"): the caller should analyse the texts instead.
 * Members of the wrong type inside a field are ignored, not fatal.
 */
int insights_result_from_analysis(const char *analysis_json, struct insights_result *r, struct arena *a);

/* Does r count as negative for topics (negative sentiment or abusive, as text_topics_add)? */
int insights_result_negative(const struct insights_result *r);

/* Count r's topics into t (text_topics_add, in pieces of at most TEXT_MAX_TOPICS). Returns
 * 0 or KP_ENOMEM. */
int insights_result_count(struct text_topics *t, const struct insights_result *r);

/* ---- the topics of complaints over a period ---------------------------------------------- */

struct insights_query {
	int64_t from, to;         /* occurred_at in [from, to), ms since the epoch */
	int has_from, has_to;     /* 0: to = now, from = to - INSIGHTS_PERIOD_DEFAULT_DAYS */
	int64_t org_id, customer_id; /* 0 = any */
	int limit;                /* topics to return, 1..INSIGHTS_TOPICS_MAX; 0 = default */
	size_t sample_max;        /* interactions to read at most; 0 = INSIGHTS_SAMPLE_MAX */
};

struct insights_topic {
	const char *term; /* arena */
	double score;     /* log-odds z-score: > 0 over-represented in negative texts */
	uint32_t negative, all; /* negative interactions / all interactions with the term */
};

struct insights_topics {
	int64_t from, to;            /* the period used (defaults filled in) */
	size_t interactions;         /* inbound interactions counted (the sample) */
	size_t negative;             /* of those, negative or abusive */
	size_t reanalysed;           /* of those, analysed now (no usable stored analysis) */
	int truncated;               /* the period held more than sample_max: the newest counted */
	int64_t total;               /* inbound interactions in the period: == interactions, or when
	                              * truncated counted apart, up to INSIGHTS_TOTAL_MAX */
	struct insights_topic *items; /* best first, arena */
	size_t n;
};

/*
 * The complaint topics of the inbound interactions in q's period (optionally of one
 * organisation or customer), newest first up to the sample cap. Reads through c (a read
 * connection); everything in *out lives in a. Returns 0, KP_EINVAL with a field error
 * ("from" after "to", "limit" out of range), or a store / analysis status with err set.
 */
int insights_topics(struct store_conn *c, const struct insights_query *q, struct insights_topics *out,
		    struct arena *a, struct kp_err *err);

#endif
