/*
 * domain/insights: rebuilding a minimal text result from the analysis stored with an
 * interaction (as protect_interaction_analyze() writes it), counting it into topics, and
 * reading a period from a real store (pages, the sample cap, re-analysis when none is stored).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "domain/insights.h"
#include "domain/protect.h"
#include "test.h"

/* One field's ANALYSIS (trimmed to the members insights reads, plus "len"). */
#define FIELD(label, flagged, topics)                                                              \
	"{\"lang\":\"fi\",\"sentiment\":{\"label\":\"" label "\",\"score\":0.5},\"abuse\":{\"flagged\":" \
	flagged ",\"spans\":[]},\"topics\":" topics ",\"len\":10}"

TEST(insights_result_from_stored_analysis)
{
	struct arena a = ARENA_INIT;
	struct insights_result r;
	/* negative body, neutral summary: the interaction is negative; topics merged, distinct,
	 * the summary's first */
	const char *doc = "{\"v\":1,\"abusive\":false,\"routed_to_team\":null,\"summary\":" FIELD(
		"neutral", "false", "[\"lasku\"]") ",\"body\":" FIELD("negative", "false", "[\"lasku\",\"virhe\"]") "}";
	CHECK_INT(insights_result_from_analysis(doc, &r, &a), 0);
	CHECK_INT(r.sentiment_label, TEXT_SENT_NEGATIVE);
	CHECK_INT(r.abuse_flagged, 0);
	CHECK_INT(insights_result_negative(&r), 1);
	CHECK_INT(r.ntopics, 2);
	CHECK_STR(r.topics[0], "lasku");
	CHECK_STR(r.topics[1], "virhe");

	/* positive summary, no body */
	doc = "{\"v\":1,\"abusive\":false,\"summary\":" FIELD("positive", "false", "[\"toimitus\"]") ",\"body\":null}";
	CHECK_INT(insights_result_from_analysis(doc, &r, &a), 0);
	CHECK_INT(r.sentiment_label, TEXT_SENT_POSITIVE);
	CHECK_INT(insights_result_negative(&r), 0);
	CHECK_INT(r.ntopics, 1);

	/* abusive: an abusive field has no topics stored; the interaction counts as negative
	 * even when its sentiment was not */
	doc = "{\"v\":1,\"abusive\":true,\"summary\":" FIELD("neutral", "false", "[\"lasku\"]") ",\"body\":{\"sentiment\""
	      ":{\"label\":\"neutral\"},\"abuse\":{\"flagged\":true,\"spans\":[{\"start\":0,\"end\":4}]},\"len\":4}}";
	CHECK_INT(insights_result_from_analysis(doc, &r, &a), 0);
	CHECK_INT(r.abuse_flagged, 1);
	CHECK_INT(r.sentiment_label, TEXT_SENT_NEUTRAL);
	CHECK_INT(insights_result_negative(&r), 1);
	CHECK_INT(r.ntopics, 1);

	/* wrong types inside a field are ignored */
	doc = "{\"v\":1,\"abusive\":false,\"summary\":{\"sentiment\":\"bad\",\"topics\":[1,null,\"hinta\",\"\"]},"
	      "\"body\":[]}";
	CHECK_INT(insights_result_from_analysis(doc, &r, &a), 0);
	CHECK_INT(r.sentiment_label, TEXT_SENT_NEUTRAL);
	CHECK_INT(r.ntopics, 1);
	CHECK_STR(r.topics[0], "hinta");

	/* not a version-1 analysis: the caller must analyse the text instead */
	CHECK_INT(insights_result_from_analysis(NULL, &r, &a), KP_EINVAL);
	CHECK_INT(insights_result_from_analysis("", &r, &a), KP_EINVAL);
	CHECK_INT(insights_result_from_analysis("[1]", &r, &a), KP_EINVAL);
	CHECK_INT(insights_result_from_analysis("{\"v\":2,\"summary\":null}", &r, &a), KP_EINVAL);
	CHECK_INT(insights_result_from_analysis("{\"abusive\":true}", &r, &a), KP_EINVAL);
	CHECK_INT(r.ntopics, 0);
	arena_release(&a);
}

/* Summary and body together may carry more topics than one text_result holds: all are
 * kept, each counted once. */
TEST(insights_result_many_topics)
{
	struct arena a = ARENA_INIT;
	struct insights_result r;
	char doc[2048];
	snprintf(doc, sizeof doc,
		 "{\"v\":1,\"abusive\":false,\"summary\":" FIELD("negative", "false",
								  "[\"a1\",\"a2\",\"a3\",\"a4\",\"a5\",\"a6\",\"a7\",\"a8\"]") ","
		 "\"body\":" FIELD("neutral", "false", "[\"a1\",\"b2\",\"b3\",\"b4\",\"b5\",\"b6\",\"b7\",\"b8\"]") "}");
	CHECK_INT(insights_result_from_analysis(doc, &r, &a), 0);
	CHECK_INT(r.ntopics, 15);
	struct text_topics *t = text_topics_new();
	CHECK(t != NULL);
	CHECK_INT(insights_result_count(t, &r), 0);
	CHECK_INT(insights_result_count(t, &r), 0);
	struct text_topic top[20];
	size_t n = text_topics_top(t, 20, 2, top);
	CHECK_INT(n, 15);
	for (size_t i = 0; i < n; i++) {
		CHECK_INT(top[i].neg, 2);
		CHECK_INT(top[i].all, 2);
	}
	text_topics_free(t);
	arena_release(&a);
}

/* The real thing: analyses made at ingest, read back and ranked. */
TEST(insights_topics_from_ingest_analysis)
{
	static const char *const neg[] = {"Lasku oli väärin", "Laskussa virhe taas", "Laskutus on sekaisin",
					  "Lasku oli taas väärin ja toimitus myöhässä"};
	static const char *const pos[] = {"Kiitos nopeasta toimituksesta", "Toimitus tuli ajallaan, kiitos",
					  "Hyvä palvelu ja nopea toimitus"};
	struct kp_err err = KP_ERR_INIT;
	struct arena a = ARENA_INIT;
	struct text_topics *t = text_topics_new();
	size_t nneg = 0;
	CHECK(t != NULL);
	for (int k = 0; k < 2; k++) {
		const char *const *texts = k ? pos : neg;
		size_t n = k ? sizeof pos / sizeof pos[0] : sizeof neg / sizeof neg[0];
		for (size_t i = 0; i < n; i++) {
			struct interaction it = {.direction = "inbound", .body = texts[i]};
			struct insights_result r;
			CHECK_INT(protect_interaction_analyze(&it, &a, &err), 0);
			CHECK_INT(insights_result_from_analysis(it.analysis_json, &r, &a), 0);
			nneg += (size_t)insights_result_negative(&r);
			CHECK_INT(insights_result_count(t, &r), 0);
		}
	}
	CHECK_INT(nneg, 4);
	struct text_topic top[5];
	size_t n = text_topics_top(t, 5, INSIGHTS_MIN_NEGATIVE, top);
	CHECK(n >= 1);
	if (n >= 1) {
		CHECK_STR(top[0].term, "lasku");
		CHECK_INT(top[0].neg, 3);
	}
	text_topics_free(t);
	arena_release(&a);
}

/* ---- against a real store ----------------------------------------------------------------- */

#define SEED_ROWS 1203 /* more than two store pages */
#define SEED_BASE 1700000000000LL

static int seed_run(struct store_conn *c, void *arg, struct kp_err *err)
{
	static const char *const neg = "{\"v\":1,\"abusive\":false,\"summary\":null,\"body\":" FIELD(
		"negative", "false", "[\"lasku\"]") "}";
	static const char *const pos = "{\"v\":1,\"abusive\":false,\"summary\":null,\"body\":" FIELD(
		"positive", "false", "[\"toimitus\"]") "}";
	struct customer cu = {.name = "Insights Asiakas", .custom_json = "{}"};
	int rc = store_customer_insert(c, &cu, err);
	*(int64_t *)arg = cu.id;
	for (int i = 0; !rc && i < SEED_ROWS; i++) {
		struct interaction it = {.customer_id = cu.id, .kind = "email", .direction = "inbound",
					 .occurred_at = SEED_BASE + (int64_t)i * 1000};
		if (i < 3) { /* the oldest: recorded before analysis existed */
			it.body = "Lasku oli väärin";
		} else {
			it.body = "x";
			it.analysis_json = i % 3 == 0 ? neg : pos;
		}
		rc = store_interaction_insert(c, &it, err);
		if (!rc && i % 100 == 0) { /* outbound: never counted */
			struct interaction out = it;
			out.direction = "outbound";
			out.analysis_json = NULL;
			rc = store_interaction_insert(c, &out, err);
		}
	}
	return rc;
}

TEST(insights_topics_pages_cap_and_reanalysis)
{
	struct kp_err err = KP_ERR_INIT;
	struct arena a = ARENA_INIT;
	struct store *s = NULL;
	struct insights_topics res;
	char dir[64] = "/tmp/kp-test-insights.XXXXXX", url[128], path[128];
	int64_t cust = 0;
	if (!mkdtemp(dir)) {
		CHECK(!"mkdtemp");
		return;
	}
	snprintf(url, sizeof url, "sqlite:%s/k.db", dir);
	if (store_open(url, NULL, &s, &err) || store_exec(s, seed_run, &cust, &err)) {
		test_fail(__FILE__, __LINE__, "store: %s", err.msg);
		goto out;
	}
	struct store_conn *c = store_reader(s, &err);
	CHECK(c != NULL);
	if (!c)
		goto out;

	/* the whole period: every page, the three without a stored analysis analysed now */
	struct insights_query q = {.from = SEED_BASE, .to = SEED_BASE + SEED_ROWS * 1000LL, .has_from = 1,
				   .has_to = 1, .customer_id = cust, .limit = 5};
	CHECK_INT(insights_topics(c, &q, &res, &a, &err), 0);
	CHECK_INT(res.interactions, SEED_ROWS);
	CHECK_INT(res.total, SEED_ROWS);
	CHECK_INT(res.truncated, 0);
	CHECK_INT(res.reanalysed, 3);
	CHECK_INT(res.negative, 400 + 3); /* i % 3 == 0 for i in 3..1202, and the three */
	CHECK(res.n >= 1);
	if (res.n >= 1) {
		CHECK_STR(res.items[0].term, "lasku");
		CHECK_INT(res.items[0].negative, 403);
		CHECK_INT(res.items[0].all, 403);
		CHECK(res.items[0].score > 0);
	}

	/* capped: the newest 1100 only, and it says so */
	q.sample_max = 1100;
	CHECK_INT(insights_topics(c, &q, &res, &a, &err), 0);
	CHECK_INT(res.interactions, 1100);
	CHECK_INT(res.truncated, 1);
	CHECK_INT(res.total, SEED_ROWS); /* how many the sample was taken from */
	CHECK_INT(res.reanalysed, 0);
	/* exactly the cap: not truncated */
	q.sample_max = SEED_ROWS;
	CHECK_INT(insights_topics(c, &q, &res, &a, &err), 0);
	CHECK_INT(res.interactions, SEED_ROWS);
	CHECK_INT(res.truncated, 0);

	/* [from, to): the last row is at to - 1000 */
	q.sample_max = 0;
	q.from = SEED_BASE + (SEED_ROWS - 2) * 1000LL;
	CHECK_INT(insights_topics(c, &q, &res, &a, &err), 0);
	CHECK_INT(res.interactions, 2);
	q.to = q.from;
	CHECK_INT(insights_topics(c, &q, &res, &a, &err), 0);
	CHECK_INT(res.interactions, 0);
	CHECK_INT(res.n, 0);

	/* the query's own checks */
	q.to = q.from - 1;
	kp_err_init(&err);
	CHECK_INT(insights_topics(c, &q, &res, &a, &err), KP_EINVAL);
	CHECK_STR(err.fields[0].field, "from");
	q.to = q.from;
	q.limit = INSIGHTS_TOPICS_MAX + 1;
	kp_err_init(&err);
	CHECK_INT(insights_topics(c, &q, &res, &a, &err), KP_EINVAL);
	CHECK_STR(err.fields[0].field, "limit");

	/* defaults: the last 90 days up to now hold none of these (they are from 2023) */
	struct insights_query d = {.customer_id = cust};
	CHECK_INT(insights_topics(c, &d, &res, &a, &err), 0);
	CHECK_INT(res.interactions, 0);
	CHECK_INT(res.to - res.from, INSIGHTS_PERIOD_DEFAULT_DAYS * 86400000LL);
out:
	if (s)
		store_close(s);
	static const char *const files[] = {"k.db", "k.db-wal", "k.db-shm"};
	for (int i = 0; i < 3; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, files[i]);
		unlink(path);
	}
	rmdir(dir);
	arena_release(&a);
}
