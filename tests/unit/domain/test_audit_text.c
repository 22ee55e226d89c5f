/* The audit texts written without a jansson tree against the tree they were made with before:
 * a message's delete entry (interaction_deleted_changes, its stored analysis copied with its
 * keys sorted by jsoncanon_sorted) and an erasure's redaction (erase_redact_changes, values
 * skipped through jsoncanon_members) - byte for byte the same, edge cases included (texts that
 * are not UTF-8, analyses not in jansson's form, reals, duplicate and escaped keys,
 * non-objects); and the copies are taken (no tree) for what the server stores. */
#include "test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/erase.h"
#include "domain/interaction.h"
#include "domain/validate.h"
#include "util/jsoncanon.h"

/* jansson's answer: parse (any value) and dump compact with sorted keys; NULL when it does
 * not parse. */
static char *sorted_ref(const char *s)
{
	json_t *j = json_loads(s, JSON_DECODE_ANY, NULL);
	char *d = j ? json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY) : NULL;
	json_decref(j);
	return d;
}

/* jsoncanon_sorted(s): 1 with jansson's bytes, or 0 with nothing appended; want_fast: 1 required */
static void sorted_case(const char *s, int want_fast)
{
	struct buf b = BUF_INIT(1 << 20);
	buf_adds(&b, "x");
	int rc = jsoncanon_sorted(s, strlen(s), &b);
	char *ref = sorted_ref(s);
	if (rc == 1) {
		CHECK(ref != NULL);
		if (ref && strcmp(b.ptr + 1, ref) != 0)
			test_fail(__FILE__, __LINE__, "sorted copy of %s: %s, jansson: %s", s, b.ptr + 1, ref);
	} else {
		CHECK_INT(rc, 0);
		CHECK_INT(b.len, 1);
	}
	if (want_fast && rc != 1)
		test_fail(__FILE__, __LINE__, "no sorted copy of %s", s);
	free(ref);
	buf_release(&b);
}

/* a random value as jansson would store it: keys in random order, reals, escapes, nesting */
static json_t *random_value(unsigned *seed, int depth)
{
	*seed = *seed * 1103515245u + 12345u;
	unsigned r = (*seed >> 8) % (depth > 3 ? 6 : 8);
	static const char *const words[] = {"a",  "b",     "lang", "\xc3\xa4iti", "sp\"an", "x\\y",
	                                    "\n", "\x01z", "",     "zz",          "Ab",     "\xe2\x82\xac"};
	switch (r) {
	case 0: return json_null();
	case 1: return json_boolean(*seed & 1);
	case 2: return json_integer((json_int_t)(*seed % 200001) - 100000);
	case 3: return json_real(((double)(*seed % 2000001) / 1000.0 - 1000.0) * ((*seed & 3) ? 1 : 1e-9));
	case 4: return json_string(words[*seed % 12]);
	case 5: return json_real((double)(*seed % 1001) / 1000.0);
	case 6: {
		json_t *a = json_array();
		for (unsigned i = 0, n = *seed % 4; i < n; i++)
			json_array_append_new(a, random_value(seed, depth + 1));
		return a;
	}
	default: {
		json_t *o = json_object();
		for (unsigned i = 0, n = *seed % 7; i < n; i++) {
			*seed = *seed * 1103515245u + 12345u;
			json_object_set_new(o, words[(*seed >> 4) % 12], random_value(seed, depth + 1));
		}
		return o;
	}
	}
}

/* a key anywhere in v that JSON writes with an escape (the copy leaves those to jansson) */
static int escaped_key(json_t *v)
{
	const char *k;
	json_t *m;
	size_t i;
	int any = 0;
	if (json_is_object(v))
		json_object_foreach(v, k, m) any |= strpbrk(k, "\"\\\n\x01") != NULL || escaped_key(m);
	else if (json_is_array(v))
		json_array_foreach(v, i, m) any |= escaped_key(m);
	return any;
}

TEST(jsoncanon_sorted_matches_jansson)
{
	/* what the server stores (jansson's compact dump, insertion order): always copied */
	unsigned seed = 2024;
	for (int i = 0; i < 3000; i++) {
		json_t *v = random_value(&seed, 0);
		char *d = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		sorted_case(d, !escaped_key(v));
		free(d);
		json_decref(v);
	}
	sorted_case("{\"v\":1,\"abusive\":false,\"routed_to_team\":null,\"summary\":null,\"body\":{\"lang\":\"fi\","
	            "\"lang_conf\":0.80000000000000004,\"sentiment\":{\"label\":\"neutral\",\"score\":0.0},\"abuse\":"
	            "{\"flagged\":false,\"categories\":{\"insult\":-0.0,\"threat\":1.0000000000000001e-5},\"spans\":[{"
	            "\"start\":0,"
	            "\"end\":4,\"category\":\"insult\"}]},\"topics\":[\"lasku\"],\"len\":23}}",
	            1);
	sorted_case("null", 1);
	sorted_case("[]", 1);
	sorted_case("{}", 1);
	sorted_case("[{\"b\":1,\"a\":[{\"d\":2,\"c\":3}]},\"s\"]", 1);
	/* not jansson's form: nothing copied, whatever jansson makes of it */
	sorted_case("{\"a\": 1}", 0);
	sorted_case("{\"a\":0.1}", 0);   /* jansson writes 0.10000000000000001 */
	sorted_case("{\"a\":1E5}", 0);   /* 100000.0 */
	sorted_case("{\"a\":1e+05}", 0); /* 1e5 */
	sorted_case("{\"a\":1e999}", 0); /* jansson refuses it */
	sorted_case("{\"a\":1,\"a\":2}", 0);
	sorted_case("{\"b\\u0061\":1,\"a\":2}", 0);
	sorted_case("{\"a\":-0}", 0);
	sorted_case("{\"a\":12345678901234567890}", 0);
	sorted_case("{\"a\":\"\\u0000\"}", 0);
	sorted_case("{\"a\":\"\xff\"}", 0);
	sorted_case("{\"a\":1", 0);
	sorted_case("{\"a\":1}x", 0);
	sorted_case("{\"a\":01}", 0);
	sorted_case("{\"a\":1.}", 0);
	sorted_case("{\"a\":.5}", 0);
	sorted_case("", 0);
}

/* the delete entry as interaction_audit_deleted() made it before (the reference form) */
static char *deleted_ref(const struct interaction *it, int64_t with_customer)
{
	json_t *changes = json_pack("{s[In]s[sn]s[sn]s[on]s[on]}", "customer_id", (json_int_t)it->customer_id, "kind",
	                            it->kind, "direction", it->direction ? it->direction : "", "summary",
	                            validate_str_json(it->summary), "body", validate_str_json(it->body));
	if (changes && it->analysis_json) {
		json_object_set_new(changes, "abusive", json_pack("[bn]", it->abusive));
		json_object_set_new(changes, "analysis", json_pack("[on]", validate_parse_json(it->analysis_json, 0)));
	}
	if (changes && with_customer)
		json_object_set_new(changes, "deleted_with_customer", json_integer(with_customer));
	char *s = changes ? json_dumps(changes, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(changes);
	return s;
}

static void deleted_case(const struct interaction *it, int64_t with_customer)
{
	char *got = interaction_deleted_changes(it, with_customer), *want = deleted_ref(it, with_customer);
	if (!got != !want || (got && strcmp(got, want) != 0))
		test_fail(__FILE__, __LINE__, "delete entry of message %lld: %s, the tree: %s", (long long)it->id,
		          got ? got : "(null)", want ? want : "(null)");
	free(got);
	free(want);
}

TEST(interaction_deleted_changes_matches_tree)
{
	static const char *const analyses[] = {
	    NULL,
	    "{\"v\":1,\"abusive\":true,\"routed_to_team\":null,\"summary\":null,\"body\":{\"lang\":\"fi\",\"lang_"
	    "conf\":"
	    "0.90000000000000002,\"sentiment\":{\"label\":\"negative\",\"score\":-0.41199999999999998},\"abuse\":{"
	    "\"flagged\":true,\"aimed_at_reader\":true,\"severe\":false,\"categories\":{\"insult\":0.81999999999999995,"
	    "\"threat\":0.0},\"spans\":[{\"start\":5,\"end\":11,\"category\":\"insult\"}]},\"len\":40}}",
	    "{ \"v\" : 1 }",
	    "{\"v\":1,\"x\":0.1}",
	    "not json",
	    "null",
	    "[1,{\"b\":2,\"a\":1}]",
	    "{\"a\":1,\"a\":2}",
	};
	static const char *const texts[] = {
	    NULL, "Hei, laskussa on virhe.", "\"lainaus\" \\ / <a>&\n\t\x01", "\xc3\xa4\xe2\x82\xac", "", "\xff\xfe"};
	int64_t id = 1;
	for (size_t a = 0; a < sizeof analyses / sizeof *analyses; a++)
		for (size_t t = 0; t < sizeof texts / sizeof *texts; t++) {
			struct interaction it = {.id = id++,
			                         .customer_id = (int64_t)t * 1000 + 7,
			                         .kind = t == 4 ? NULL : "email",
			                         .direction = t == 3 ? NULL : (t % 2 ? "outbound" : "inbound"),
			                         .summary = texts[t],
			                         .body = texts[(t + 1) % 6],
			                         .analysis_json = analyses[a],
			                         .abusive = (int)(a % 2)};
			deleted_case(&it, 0);
			deleted_case(&it, 42);
		}
	/* what the server stores is copied, not parsed: the analysis of a real message */
	struct interaction it = {.id = 9,
	                         .customer_id = 3,
	                         .kind = "email",
	                         .direction = "inbound",
	                         .summary = "Lasku",
	                         .body = "Hei",
	                         .analysis_json = analyses[1],
	                         .abusive = 1};
	struct buf b = BUF_INIT(1 << 20);
	CHECK_INT(jsoncanon_sorted(it.analysis_json, strlen(it.analysis_json), &b), 1);
	buf_release(&b);
}

/* erase_redact_changes() as it was: the tree */
static const char *const keep[] = {"author_id",
                                   "correction_id",
                                   "customer_id",
                                   "deleted_with_customer",
                                   "from",
                                   "interaction_id",
                                   "interactions_deleted",
                                   "interactions_moved",
                                   "into",
                                   "merged_from",
                                   "merged_into",
                                   "notes_deleted",
                                   "notes_moved",
                                   "organization_id",
                                   "owner_id",
                                   "staff_id",
                                   NULL};

static int ids_only(json_t *v)
{
	if (json_is_integer(v) || json_is_null(v))
		return 1;
	if (!json_is_array(v))
		return 0;
	size_t i;
	json_t *x;
	json_array_foreach(v, i, x) if (!json_is_integer(x) && !json_is_null(x)) return 0;
	return 1;
}

static char *redact_ref(const char *changes_json)
{
	json_t *doc = json_loads(changes_json, JSON_DECODE_ANY, NULL), *out;
	if (json_is_object(doc)) {
		out = json_object();
		const char *k;
		json_t *v;
		json_object_foreach(doc, k, v)
		{
			int kept = 0;
			for (size_t i = 0; keep[i]; i++)
				kept |= !strcmp(keep[i], k);
			json_object_set_new(out, k, kept && ids_only(v) ? json_incref(v) : json_string(ERASE_MARKER));
		}
	} else {
		out = json_string(ERASE_MARKER);
	}
	char *s = json_dumps(out, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
	json_decref(out);
	json_decref(doc);
	return s;
}

static void redact_case(const char *s)
{
	char *got = erase_redact_changes(s), *want = redact_ref(s);
	if (!got || strcmp(got, want) != 0)
		test_fail(__FILE__, __LINE__, "redaction of %s: %s, the tree: %s", s, got ? got : "(null)", want);
	free(got);
	free(want);
}

TEST(erase_redact_changes_matches_tree)
{
	static const char *const cases[] = {
	    "{\"abusive\":[true,null],\"analysis\":[{\"v\":1,\"x\":0.80000000000000004,\"y\":0.1,\"z\":1e999},null],"
	    "\"body\":[\"Hei \\\"x\\\"\",null],\"customer_id\":[5,null],\"deleted_with_customer\":5}",
	    "{\"into\":3,\"from\":4,\"notes_moved\":[1,2,null],\"interactions_moved\":[],\"contacts_added\":[]}",
	    "{\"customer_id\":[null,-7],\"owner_id\":[1.5,null],\"staff_id\":\"9\",\"merged_into\":[[1]],"
	    "\"author_id\":true,\"notes_deleted\":[1,\"2\"],\"organization_id\":{\"a\":1},\"into\":[1.0]}",
	    "{\"b\":1,\"a\":2,\"customer_id\":1}",
	    "{}",
	    "{\"a\": 1}",
	    "{\"a\":1,\"a\":2}",
	    "{\"customer_id\":1,\"customer_id\":\"x\"}",
	    "{\"cust\\u006fmer_id\":1}",
	    "{\"customer_id\":-0}",
	    "{\"customer_id\":123456789012345678901}",
	    "{\"x\":1e999}",
	    "{\"x\":\"\\u0000\"}",
	    "\"[redacted]\"",
	    "[1,2]",
	    "null",
	    "not json",
	    "{\"a\":1",
	    "",
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		redact_case(cases[i]);
	/* a long history's delete entries: every one redacted as the tree does */
	unsigned seed = 77;
	for (int i = 0; i < 500; i++) {
		json_t *v = random_value(&seed, 0);
		json_t *o = json_is_object(v)
		                ? json_incref(v)
		                : json_pack("{sOsIs[In]}", "x", v, "into", (json_int_t)i, "customer_id", (json_int_t)i);
		char *d = json_dumps(o, JSON_COMPACT);
		redact_case(d);
		free(d);
		json_decref(o);
		json_decref(v);
	}
}
