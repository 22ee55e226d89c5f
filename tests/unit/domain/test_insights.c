/*
 * domain/insights: rebuilding a minimal text result from the analysis stored with an
 * interaction (as protect_interaction_analyze() writes it), and counting it into topics.
 */
#include <stdio.h>
#include <string.h>

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
