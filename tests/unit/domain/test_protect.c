/*
 * domain/protect: analysis at ingest, the stored analysis JSON, masking (per field, fail
 * closed), correction labels, and the shared learned model across threads.
 */
#include <jansson.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "domain/protect.h"
#include "util/buf.h"
#include "test.h"

static const char *const FI_ABUSE = "Olet täysi idiootti, senkin p.a.s.k.a";

TEST(protect_analyze_flags_abuse)
{
	struct kp_err err = KP_ERR_INIT;
	struct protect_result res;
	CHECK_INT(protect_analyze(FI_ABUSE, strlen(FI_ABUSE), TEXT_LANG_AUTO, &res, &err), 0);
	CHECK_INT(res.abusive, 1);
	CHECK(res.r.nspans >= 1);
	protect_result_release(&res);
	CHECK_INT(protect_analyze("Kiitos nopeasta avusta!", 23, TEXT_LANG_AUTO, &res, &err), 0);
	CHECK_INT(res.abusive, 0);
	protect_result_release(&res);
	/* invalid UTF-8 is a validation error, not a crash */
	CHECK_INT(protect_analyze("\xff\xfe", 2, TEXT_LANG_AUTO, &res, &err), KP_EVALIDATION);
	protect_result_release(&res);
}

/* Inbound and outbound texts alike (a reply quoting the customer is masked too); the
 * incident is the inbound message's alone. */
TEST(protect_interaction_both_directions)
{
	struct kp_err err = KP_ERR_INIT;
	struct arena a = ARENA_INIT;
	struct interaction it = {
	    .direction = "outbound", .summary = "Vastaus", .body = "Hei.\n\n> Olet täysi idiootti, senkin p.a.s.k.a"};
	CHECK_INT(protect_interaction_analyze(&it, &a, &err), 0);
	CHECK(it.analysis_json != NULL);
	CHECK_INT(it.abusive, 1);
	CHECK(it.search_body != NULL && strstr(it.search_body, "Hei.") && strstr(it.search_body, "*"));
	CHECK_INT(protect_interaction_incident(&it), 0);
	struct interaction shown = it;
	protect_mask_interaction(&shown, &a);
	CHECK(shown.body && strncmp(shown.body, "Hei.\n\n> ", 8) == 0 && strchr(shown.body, '*'));
	/* a note: its body alone, no summary or routing in its document */
	struct note n = {.body = "Asiakas sanoi: olet täysi idiootti, senkin p.a.s.k.a"};
	CHECK_INT(protect_note_analyze(&n, &a, &err), 0);
	CHECK_INT(n.abusive, 1);
	CHECK(n.search_body && strchr(n.search_body, '*'));
	json_t *nd = json_loads(n.analysis_json ? n.analysis_json : "", 0, NULL);
	CHECK(json_is_object(json_object_get(nd, "body")) && !json_object_get(nd, "summary") &&
	      !json_object_get(nd, "routed_to_team") && json_is_true(json_object_get(nd, "abusive")));
	json_decref(nd);
	struct note nshown = n;
	protect_mask_note(&nshown, &a);
	CHECK(nshown.body && strncmp(nshown.body, "Asiakas sanoi: ", 15) == 0 && strchr(nshown.body, '*'));
	CHECK(nshown.analysis_json && !strstr(nshown.analysis_json, "spans"));
	it.direction = "inbound";
	it.body = FI_ABUSE;
	it.summary = "Kysymys laskusta";
	CHECK_INT(protect_interaction_analyze(&it, &a, &err), 0);
	CHECK_INT(it.abusive, 1);
	CHECK(it.analysis_json != NULL);
	json_t *doc = json_loads(it.analysis_json ? it.analysis_json : "", 0, NULL);
	CHECK(json_is_object(doc));
	CHECK_INT(json_integer_value(json_object_get(doc, "v")), 1);
	CHECK(json_is_true(json_object_get(doc, "abusive")));
	CHECK(json_is_null(json_object_get(doc, "routed_to_team")));
	json_t *body = json_object_get(doc, "body"), *summary = json_object_get(doc, "summary");
	CHECK_INT(json_integer_value(json_object_get(body, "len")), (long long)strlen(FI_ABUSE));
	CHECK(json_array_size(json_object_get(json_object_get(body, "abuse"), "spans")) >= 1);
	CHECK(json_object_get(body, "topics") == NULL); /* would repeat the insult past the mask */
	CHECK(json_is_false(json_object_get(json_object_get(summary, "abuse"), "flagged")));
	json_decref(doc);
	arena_release(&a);
}

TEST(protect_mask_per_field)
{
	struct kp_err err = KP_ERR_INIT;
	struct arena a = ARENA_INIT;
	struct interaction it = {.direction = "inbound", .summary = "Olet idiootti", .body = FI_ABUSE};
	CHECK_INT(protect_interaction_analyze(&it, &a, &err), 0);
	CHECK_INT(it.abusive, 1);
	protect_mask_interaction(&it, &a);
	CHECK(strstr(it.body, "idiootti") == NULL);
	CHECK(strstr(it.body, "p.a.s.k.a") == NULL);
	CHECK(strncmp(it.body, "Olet täysi ", strlen("Olet täysi ")) == 0); /* the rest is kept */
	CHECK(strstr(it.body, "********") != NULL);
	CHECK(strstr(it.summary, "idiootti") == NULL);
	CHECK(strncmp(it.summary, "Olet ", 5) == 0);
	arena_release(&a);
}

TEST(protect_mask_fails_closed)
{
	struct arena a = ARENA_INIT;
	/* the text changed after the analysis: its length no longer matches, mask it all */
	struct interaction it = {
		.direction = "inbound",
		.abusive = 1,
		.summary = "ok",
		.body = "äbc idiootti",
		.analysis_json = "{\"v\":1,\"abusive\":true,\"summary\":null,"
				 "\"body\":{\"len\":3,\"abuse\":{\"spans\":[{\"start\":0,\"end\":3}]}}}",
	};
	protect_mask_interaction(&it, &a);
	CHECK_STR(it.body, "************");
	CHECK_STR(it.summary, "ok"); /* not analysed: nothing known to hide */
	/* flagged with an unreadable analysis: everything masked */
	struct interaction it2 = {.abusive = 1, .summary = "ab", .body = "cd", .analysis_json = "not json"};
	protect_mask_interaction(&it2, &a);
	CHECK_STR(it2.summary, "**");
	CHECK_STR(it2.body, "**");
	/* not abusive: untouched */
	struct interaction it3 = {.abusive = 0, .body = "idiootti"};
	protect_mask_interaction(&it3, &a);
	CHECK_STR(it3.body, "idiootti");
	arena_release(&a);
}

TEST(protect_mask_merge_hides_what_either_hides)
{
	struct arena a = ARENA_INIT;
	/* characters line up across multibyte letters and the text's own asterisks */
	CHECK_STR(protect_mask_merge("äö **x** yz", "** **x** yz", "äö **x** **", &a), "** **x** **");
	CHECK_STR(protect_mask_merge("äö", "äö", "äö", &a), "äö");
	CHECK_STR(protect_mask_merge("a**b", "****", "a**b", &a), "****");
	/* masks that are not of the text: all of it hidden */
	CHECK_STR(protect_mask_merge("äbc", "äb", "äbc", &a), "***");
	CHECK_STR(protect_mask_merge("äbc", "xbc", "äbc", &a), "***");
	CHECK_STR(protect_mask_merge("abc", "abcd", "abc", &a), "***");
	CHECK(protect_mask_merge(NULL, NULL, NULL, &a) == NULL);
	arena_release(&a);
}

TEST(protect_correction_labels)
{
	struct kp_err err = KP_ERR_INIT;
	enum text_task task;
	int v = 99;
	CHECK_INT(protect_correction_parse("abuse", "not_abusive", &task, &v, &err), 0);
	CHECK_INT(task, TEXT_TASK_ABUSE);
	CHECK_INT(v, 0);
	CHECK_INT(protect_correction_parse("sentiment", "negative", &task, &v, &err), 0);
	CHECK_INT(task, TEXT_TASK_SENTIMENT);
	CHECK_INT(v, TEXT_SENT_NEGATIVE);
	kp_err_init(&err);
	CHECK_INT(protect_correction_parse("abuse", "positive", &task, &v, &err), KP_EVALIDATION);
	CHECK_STR(err.fields[0].field, "label");
	kp_err_init(&err);
	CHECK_INT(protect_correction_parse("tone", "abusive", &task, &v, &err), KP_EVALIDATION);
	CHECK_STR(err.fields[0].field, "kind");
}

/* Another thread analyses while the model is replaced under it. */
static void *analyse_loop(void *arg)
{
	int *ok = arg;
	for (int i = 0; i < 50; i++) {
		struct kp_err err = KP_ERR_INIT;
		struct protect_result res;
		if (protect_analyze(FI_ABUSE, strlen(FI_ABUSE), TEXT_LANG_AUTO, &res, &err) != 0 || !res.abusive)
			*ok = 0;
		protect_result_release(&res);
	}
	protect_thread_release();
	return NULL;
}

TEST(protect_model_swap_across_threads)
{
	struct kp_err err = KP_ERR_INIT;
	struct text_analyzer *ta = protect_analyzer(&err);
	CHECK(ta != NULL);
	if (!ta)
		return;
	uint64_t g0 = protect_model_generation();
	int ok = 1;
	pthread_t th;
	CHECK_INT(pthread_create(&th, NULL, analyse_loop, &ok), 0);
	for (int i = 0; i < 5; i++) {
		struct text_model *m = text_model_new();
		CHECK(m != NULL);
		const char *t = "ihan tavallinen viesti";
		if (m)
			CHECK_INT(text_model_train(m, ta, TEXT_TASK_ABUSE, t, strlen(t), TEXT_LANG_AUTO, 0), 0);
		protect_model_publish(m);
	}
	pthread_join(th, NULL);
	CHECK_INT(ok, 1);
	CHECK_INT(protect_model_generation(), g0 + 5);
	uint64_t ab = 0, se = 0;
	protect_model_examples(&ab, &se);
	CHECK_INT(ab, 1);
	CHECK_INT(se, 0);
	/* this thread moves to the newest model on its next analysis */
	struct protect_result res;
	CHECK_INT(protect_analyze(FI_ABUSE, strlen(FI_ABUSE), TEXT_LANG_AUTO, &res, &err), 0);
	protect_result_release(&res);
	protect_model_publish(NULL); /* back to lexicon only for later tests */
	protect_thread_release();
}

/* The reference form of the stored analysis: each field's text_result_to_json() parsed by
 * jansson, "len" added, "topics" dropped when abusive, the document packed and dumped. */
static char *reference_analysis(const char *summary, const char *body, int sort_keys)
{
	const char *fields[2] = {summary, body};
	json_t *f[2] = {NULL, NULL};
	int abusive = 0;
	for (int i = 0; i < 2; i++) {
		struct kp_err err = KP_ERR_INIT;
		struct protect_result res;
		struct buf js = BUF_INIT(1 << 20);
		if (!fields[i] || !*fields[i])
			continue;
		if (protect_analyze(fields[i], strlen(fields[i]), TEXT_LANG_AUTO, &res, &err) == 0 &&
		    text_result_to_json(&res.r, &js) == 0) {
			f[i] = json_loadb(js.ptr, js.len, 0, NULL);
			json_object_set_new(f[i], "len", json_integer((json_int_t)strlen(fields[i])));
			if (res.abusive) {
				json_object_del(f[i], "topics");
				abusive = 1;
			}
		}
		buf_release(&js);
		protect_result_release(&res);
	}
	json_t *doc = json_pack("{sisbsnsoso}", "v", 1, "abusive", abusive, "routed_to_team", "summary",
				f[0] ? f[0] : json_null(), "body", f[1] ? f[1] : json_null());
	char *text = json_dumps(doc, JSON_COMPACT | (sort_keys ? JSON_SORT_KEYS : 0));
	json_decref(doc);
	return text;
}

/* The analysis is written without a jansson tree: byte for byte what the tree gave (the
 * stored text, and the sorted text the create audit embeds), over abusive, negative,
 * positive, English, empty and escaped texts. */
TEST(protect_analysis_text_matches_jansson)
{
	static const char *const texts[][2] = {
		{"Kysymys laskusta", "Asiakas soitti laskusta ja kysyi eräpäivän siirrosta."},
		{"Olet idiootti", FI_ABUSE},
		{NULL, "Tämä on aivan surkeaa palvelua, olen todella pettynyt ja vihainen!"},
		{"Kiitos!", "Kiitos nopeasta ja ystävällisestä avusta, olen erittäin tyytyväinen."},
		{"Invoice question", "You are an idiot and your service is absolutely terrible, I hate this."},
		{"", ""},
		{"\"lainaus\" \\ ja\tsarkain", "rivi 1\nrivi 2 / <b>&amp;</b> \x01 ääkköset €"},
		{"I will find you and hurt you", "Great help, thank you so much, wonderful people!"},
	};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		struct kp_err err = KP_ERR_INIT;
		struct arena a = ARENA_INIT;
		struct interaction it = {.direction = "inbound", .summary = texts[i][0], .body = texts[i][1]};
		const char *sorted = NULL;
		char *want = reference_analysis(texts[i][0], texts[i][1], 0);
		char *want_sorted = reference_analysis(texts[i][0], texts[i][1], 1);
		CHECK_INT(protect_interaction_analyze_sorted(&it, &sorted, &a, &err), 0);
		CHECK_STR(it.analysis_json, want);
		CHECK_STR(sorted, want_sorted);
		CHECK_INT(it.abusive, strstr(want, "\"abusive\":true") != NULL);
		/* and the plain entry point stores the same text */
		struct interaction it2 = {.direction = "inbound", .summary = texts[i][0], .body = texts[i][1]};
		CHECK_INT(protect_interaction_analyze(&it2, &a, &err), 0);
		CHECK_STR(it2.analysis_json, want);
		free(want);
		free(want_sorted);
		arena_release(&a);
	}
	/* outbound: analysed alike, sorted text too */
	struct kp_err err = KP_ERR_INIT;
	struct arena a = ARENA_INIT;
	struct interaction out = {.direction = "outbound", .body = FI_ABUSE};
	const char *sorted = "stale";
	CHECK_INT(protect_interaction_analyze_sorted(&out, &sorted, &a, &err), 0);
	CHECK(out.analysis_json != NULL && out.abusive);
	CHECK(sorted != NULL && sorted[0] == '{');
	/* invalid UTF-8 is still a validation error */
	struct interaction bad = {.direction = "inbound", .body = "\xff\xfe"};
	CHECK_INT(protect_interaction_analyze_sorted(&bad, &sorted, &a, &err), KP_EVALIDATION);
	arena_release(&a);
}
