/*
 * insights: /api/v1/insights - what customers talk about, for managers (issue 3). For now
 * GET /api/v1/insights/topics: the topics of complaints over a period. The counting is in
 * domain/insights.c; this file parses the query and renders the answer.
 */
#include <stdlib.h>

#include "api/handlers.h"
#include "api/render.h"
#include "domain/insights.h"
#include "domain/validate.h"

/* ?limit= for topics: 1..INSIGHTS_TOPICS_MAX (not the list limit), absent: 0 = default. */
static int q_topics_limit(struct api_req *r, int *limit, struct kp_err *err)
{
	const char *s = api_query(r, "limit");
	*limit = 0;
	if (!s)
		return 0;
	char *e;
	long v = strtol(s, &e, 10);
	if (!*s || *e || *s < '0' || *s > '9' || v < 1 || v > INSIGHTS_TOPICS_MAX) {
		kp_err_set(err, KP_EINVAL, "invalid query parameter limit");
		return kp_err_field(err, "limit", "must be an integer from 1 to %d", INSIGHTS_TOPICS_MAX);
	}
	*limit = (int)v;
	return 0;
}

/* The topics of api_insights_topics' query q, on a worker thread (api_offload). */
static int topics_run(struct api_req *r, void *ctx)
{
	struct kp_err err = KP_ERR_INIT;
	const struct insights_query *q = ctx;
	struct insights_topics res;
	struct store_conn *c = store_reader(r->srv->store, &err);
	if (!c)
		return api_fail_err(r, &err);
	if (insights_topics(c, q, &res, r->arena, &err))
		return api_fail_err(r, &err);
	json_t *topics = json_array();
	for (size_t i = 0; i < res.n; i++) {
		const struct insights_topic *t = &res.items[i];
		/* the score to 3 decimals, like the text analysis' own scores: more is noise */
		double score = (double)(long long)(t->score * 1000.0 + (t->score < 0 ? -0.5 : 0.5)) / 1000.0;
		json_array_append_new(topics, json_pack("{sssfsIsI}", "term", t->term, "score", score, "negative",
		                                        (json_int_t)t->negative, "all", (json_int_t)t->all));
	}
	json_t *out = json_pack("{sosososo sIsIsI sbso}", "from", api_q_time_json(r, "from", res.from), "to",
	                        api_q_time_json(r, "to", res.to), "organization_id", validate_id_json(q->org_id),
	                        "customer_id", validate_id_json(q->customer_id), "interactions", (json_int_t)res.total,
	                        "negative", (json_int_t)res.negative, "sample_size", (json_int_t)res.interactions,
	                        "truncated", res.truncated, "topics", topics);
	if (!out)
		return api_fail(r, KP_EINTERNAL, "could not render the topics");
	api_json_rounded(r, 200, out);
	json_decref(out);
	return API_DONE;
}

/* GET /api/v1/insights/topics?from=&to=&organization_id=&customer_id=&limit= answers
 * {"from", "to", "organization_id", "customer_id", "interactions" (in the period), "negative"
 *  (of the sample), "sample_size",
 *  "truncated", "topics": [{"term", "score", "negative", "all"}]}, best first. Up to
 * INSIGHTS_SAMPLE_MAX stored analyses are parsed (a third of a second): the parameters are
 * checked here, the counting runs on a worker thread (api_offload), not on the loop. */
int api_insights_topics(struct api_req *r)
{
	struct kp_err err = KP_ERR_INIT;
	struct insights_query *q = arena_calloc(r->arena, sizeof *q);
	/* `|`, not `||`: report every bad parameter at once */
	if (api_q_time(r, "from", API_TIME_GE_OR_LT, &q->from, &err) |
	    api_q_time(r, "to", API_TIME_GE_OR_LT, &q->to, &err) | api_q_id(r, "organization_id", &q->org_id, &err) |
	    api_q_id(r, "customer_id", &q->customer_id, &err) | q_topics_limit(r, &q->limit, &err))
		return api_fail_err(r, &err);
	q->has_from = api_query(r, "from") != NULL;
	q->has_to = api_query(r, "to") != NULL;
	int rc = api_customer_filter(r, q->customer_id);
	if (rc != -1)
		return rc;
	return api_offload(r, topics_run, q);
}
