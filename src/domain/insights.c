/*
 * insights: the topics of complaints over a period, counted from the analyses stored with
 * inbound interactions. See insights.h.
 */
#include "domain/insights.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "domain/protect.h"
#include "util/timeutil.h"

#define PAGE_ROWS 500 /* interactions per store read; each page has its own arena */
#define DAY_MS 86400000LL

/* ---- one stored analysis ------------------------------------------------------------------ */

static void add_topic(struct insights_result *r, const char *term, struct arena *a)
{
	if (!term || !*term || r->ntopics == INSIGHTS_RESULT_TOPICS)
		return;
	for (size_t i = 0; i < r->ntopics; i++)
		if (strcmp(r->topics[i], term) == 0)
			return;
	r->topics[r->ntopics++] = arena_strdup(a, term);
}

/* Merge one field's ANALYSIS object (or null) into r. */
static void add_field(struct insights_result *r, json_t *an, struct arena *a)
{
	if (!json_is_object(an))
		return;
	if (json_is_true(json_object_get(json_object_get(an, "abuse"), "flagged")))
		r->abuse_flagged = 1;
	json_t *topics = json_object_get(an, "topics"), *t;
	size_t i;
	json_array_foreach(topics, i, t) add_topic(r, json_string_value(t), a);
}

int insights_result_from_analysis(const char *analysis_json, struct insights_result *r, struct arena *a)
{
	int rc = 0;
	memset(r, 0, sizeof *r);
	json_t *doc = analysis_json ? json_loads(analysis_json, 0, NULL) : NULL;
	json_t *v = json_object_get(doc, "v");
	if (!json_is_object(doc) || !json_is_integer(v) || json_integer_value(v) != 1) {
		rc = KP_EINVAL;
		goto out;
	}
	r->abuse_flagged = json_is_true(json_object_get(doc, "abusive"));
	add_field(r, json_object_get(doc, "summary"), a);
	add_field(r, json_object_get(doc, "body"), a);
	r->sentiment_label = protect_analysis_sentiment(doc); /* a staff correction's, if any */
out:
	json_decref(doc);
	return rc;
}

int insights_result_negative(const struct insights_result *r)
{
	return r->sentiment_label == TEXT_SENT_NEGATIVE || r->abuse_flagged;
}

int insights_result_count(struct text_topics *t, const struct insights_result *r)
{
	size_t done = 0;
	do {
		/* A borrowed view: topics point into r, nothing here for text_result_release. */
		struct text_result view;
		memset(&view, 0, sizeof view);
		view.sentiment_label = r->sentiment_label;
		view.abuse_flagged = r->abuse_flagged;
		while (done < r->ntopics && view.ntopics < TEXT_MAX_TOPICS)
			view.topics[view.ntopics++] = r->topics[done++];
		if (text_topics_add(t, &view) != TEXT_OK)
			return KP_ENOMEM;
	} while (done < r->ntopics);
	return 0;
}

/* ---- the topics of complaints --------------------------------------------------------------- */

/* The minimal result of one stored interaction: from its analysis, or (none usable) from
 * analysing its texts now. *reanalysed is set when it was analysed now. */
static int interaction_result(const struct interaction *it, struct insights_result *r, int *reanalysed,
			      struct arena *a, struct kp_err *err)
{
	*reanalysed = 0;
	if (insights_result_from_analysis(it->analysis_json, r, a) == 0)
		return 0;
	struct interaction copy = *it;
	int rc = protect_interaction_analyze(&copy, a, err);
	if (rc == KP_EVALIDATION) {
		/* a stored text that is not UTF-8 has no topics; it still counts as read */
		kp_err_init(err);
		memset(r, 0, sizeof *r);
		return 0;
	}
	if (rc)
		return rc;
	*reanalysed = 1;
	if (insights_result_from_analysis(copy.analysis_json, r, a))
		return kp_err_set(err, KP_EINTERNAL, "interaction %" PRId64 ": the fresh analysis is unreadable", it->id);
	return 0;
}

static int check_query(const struct insights_query *q, struct insights_query *eff, struct kp_err *err)
{
	*eff = *q;
	if (!eff->has_to)
		eff->to = time_now_ms() + 1; /* [from, to): include what happened this millisecond */
	if (!eff->has_from)
		eff->from = eff->to - INSIGHTS_PERIOD_DEFAULT_DAYS * DAY_MS;
	if (!eff->limit)
		eff->limit = INSIGHTS_TOPICS_DEFAULT;
	if (!eff->sample_max)
		eff->sample_max = INSIGHTS_SAMPLE_MAX;
	int rc = 0;
	if (eff->from > eff->to) {
		rc = kp_err_set(err, KP_EINVAL, "invalid query parameters");
		kp_err_field(err, "from", "must not be after to");
	}
	if (eff->limit < 1 || eff->limit > INSIGHTS_TOPICS_MAX) {
		rc = kp_err_set(err, KP_EINVAL, "invalid query parameters");
		kp_err_field(err, "limit", "must be an integer from 1 to %d", INSIGHTS_TOPICS_MAX);
	}
	return rc;
}

int insights_topics(struct store_conn *c, const struct insights_query *q, struct insights_topics *out,
		    struct arena *a, struct kp_err *err)
{
	struct insights_query eq;
	struct interaction_filter f = {0};
	struct store_page pg = {.sort = STORE_SORT_OCCURRED, .desc = 1};
	struct arena page = ARENA_INIT; /* one page of interactions at a time */
	struct text_topics *t = NULL;
	struct text_topic *top = NULL;
	char after_key[32];
	int rc;

	memset(out, 0, sizeof *out);
	if ((rc = check_query(q, &eq, err)))
		return rc;
	out->from = eq.from;
	out->to = eq.to;
	if (!(t = text_topics_new()))
		return kp_err_set(err, KP_ENOMEM, "out of memory");
	f.direction = "inbound";
	f.customer_id = eq.customer_id;
	f.org_id = eq.org_id;
	f.from = eq.from;
	f.to = eq.to;
	/* An empty period ([x, x)) reads nothing; so does one ending at the epoch, which the
	 * filter would read as "open" (0). A period from the epoch is open in the filter too. */
	if (f.to <= f.from || f.to == 0)
		goto rank;
	for (;;) {
		struct interaction_list list;
		size_t want = eq.sample_max - out->interactions;
		pg.limit = want < PAGE_ROWS ? (int)want : PAGE_ROWS;
		if ((rc = store_interaction_list(c, &f, &pg, &list, &page, err)))
			goto out;
		for (size_t i = 0; i < list.n; i++) {
			struct insights_result r;
			int again;
			if ((rc = interaction_result(&list.items[i], &r, &again, &page, err)))
				goto out;
			if ((rc = insights_result_count(t, &r)))
				goto out_nomem;
			out->interactions++;
			out->negative += insights_result_negative(&r) ? 1 : 0;
			out->reanalysed += again ? 1 : 0;
		}
		if (!list.more || list.n == 0)
			break;
		if (out->interactions >= eq.sample_max) {
			out->truncated = 1;
			/* how many the sample was taken from: counted, not read (an index range) */
			if ((rc = store_interaction_count(c, &f, INSIGHTS_TOTAL_MAX, &out->total, err)))
				goto out;
			break;
		}
		const struct interaction *last = &list.items[list.n - 1];
		snprintf(after_key, sizeof after_key, "%" PRId64, last->occurred_at);
		pg.has_after = 1;
		pg.after_key = after_key;
		pg.after_id = last->id;
		arena_release(&page);
	}
rank:
	if (!out->truncated)
		out->total = (int64_t)out->interactions;
	top = arena_calloc(a, (size_t)eq.limit * sizeof *top);
	out->n = text_topics_top(t, (size_t)eq.limit, INSIGHTS_MIN_NEGATIVE, top);
	out->items = arena_calloc(a, (out->n ? out->n : 1) * sizeof *out->items);
	for (size_t i = 0; i < out->n; i++)
		out->items[i] = (struct insights_topic){arena_strdup(a, top[i].term), top[i].score, top[i].neg, top[i].all};
	rc = 0;
	goto out;
out_nomem:
	rc = kp_err_set(err, KP_ENOMEM, "out of memory counting topics");
out:
	text_topics_free(t);
	arena_release(&page);
	return rc;
}
