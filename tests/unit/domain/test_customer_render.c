/* customer_render() (the one renderer of a customer) against the jansson tree the record
 * was built as before it: byte for byte the same compact JSON, edge cases included (string
 * escaping, stored JSON columns that are not in jansson's form, reals, duplicate keys,
 * non-objects, times outside 1970-9999). */
#include "test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/customer.h"
#include "domain/validate.h"
#include "util/jsoncanon.h"
#include "util/timeutil.h"

/* The record as customer_json() built it before customer_render() existed. */
static json_t *reference_json(const struct customer *cu)
{
	json_t *emails = json_array(), *phones = json_array(), *addresses = json_array(), *tags = json_array();
	for (size_t i = 0; i < cu->ncontacts; i++) {
		const struct contact_point *cp = &cu->contacts[i];
		if (strcmp(cp->kind, "email") == 0)
			json_array_append_new(emails, json_string(cp->value));
		else if (strcmp(cp->kind, "phone") == 0)
			json_array_append_new(phones, json_string(cp->value));
		else if (strcmp(cp->kind, "address") == 0)
			json_array_append_new(addresses, validate_parse_json(cp->value, 1));
	}
	for (size_t i = 0; i < cu->ntags; i++)
		json_array_append_new(tags, json_string(cu->tags[i]));
	json_t *j = json_pack("{sI so so so so so so so so sI so so}", "id", (json_int_t)cu->id, "name",
	                      validate_str_json(cu->name), "emails", emails, "phones", phones, "addresses", addresses,
	                      "organization_id", validate_id_json(cu->org_id), "owner_id",
	                      validate_id_json(cu->owner_id), "tags", tags, "custom",
	                      validate_parse_json(cu->custom_json, 1), "version", (json_int_t)cu->version, "created_at",
	                      validate_time_json(cu->created_at), "updated_at", validate_time_json(cu->updated_at));
	if (j && cu->merged_into)
		json_object_set_new(j, "merged_into", json_integer((json_int_t)cu->merged_into));
	if (j && (cu->flags & CUSTOMER_FLAG_ABUSIVE))
		json_object_set_new(j, "flags", json_pack("[s]", "abusive"));
	return j;
}

static void check_same(const struct customer *cu, int line)
{
	json_t *ref = reference_json(cu);
	char *want = json_dumps(ref, JSON_COMPACT | JSON_ENCODE_ANY);
	struct buf b = BUF_INIT(1 << 20);
	int rc = customer_render(cu, &b);
	if (rc != 0 || !want || strcmp(b.ptr, want) != 0)
		test_fail(__FILE__, line, "render rc %d:\n  got  %s\n  want %s", rc, b.ptr, want ? want : "(null)");
	json_t *j = customer_json(cu);
	char *again = j ? json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
	if (!again || !want || strcmp(again, want) != 0)
		test_fail(__FILE__, line, "customer_json: %s", again ? again : "(null)");
	free(again);
	json_decref(j);
	free(want);
	json_decref(ref);
	buf_release(&b);
}

TEST(customer_render_matches_jansson)
{
	static const char *const stored[] = {
	    "{}",
	    "{\"street\":\"Aleksanterinkatu 1 A 14\",\"postal_code\":\"01460\",\"city\":\"Vantaa\",\"country\":\"FI\"}",
	    "{\"a\": 1}",                       /* whitespace */
	    "{\"a\":1.5,\"b\":[1e3,-0.0,2.50]}", /* reals */
	    "{\"a\":\"\\u00e9\\/x\"}",           /* escapes jansson does not write */
	    "{\"a\":\"\\u001f\\u0001\\b\\f\\n\\r\\t\\\"\\\\ ÄÖ € 😀 </>&\"}",
	    "{\"a\":\"\\u001F\\u0001\"}",
	    "{\"a\":1,\"a\":2,\"b\":3}", /* duplicate key */
	    "{\"a\":-0,\"b\":007}",
	    "{\"a\":-0}",
	    "{\"n\":123456789012345678,\"m\":-1234567890123456789,\"t\":true,\"f\":false,\"z\":null}",
	    "{\"deep\":[[[[{\"x\":[]}]]]],\"e\":{}}",
	    "[1,2]", /* not an object */
	    "\"str\"",
	    "{\"a\":1}x", /* trailing garbage */
	    "{\"a\":",
	    "",
	    "{\"bad\":\"\xff\"}",
	    NULL,
	};
	static const char *const names[] = {"Maija Virtanen", "Quote \" back\\slash /slash <b>&amp;</b>",
	                                    "ctl \x01\x1f\b\f\n\r\t del\x7f", "Åsa Ölund 😀 €", NULL};
	static const int64_t times[] = {0, 1, 1763915000123, 951782400000 /* 2000-02-29 */, 4102444800000,
	                                253402300799999, 253402300800000, -1, -86400001};
	size_t nstored = sizeof stored / sizeof *stored;
	for (size_t i = 0; i < nstored; i++) {
		for (size_t k = 0; k < sizeof names / sizeof *names; k++) {
			struct contact_point cps[] = {
			    {.kind = "email", .value = "a@example.fi"},
			    {.kind = "address", .value = stored[i]},
			    {.kind = "phone", .value = "+358401234567"},
			    {.kind = "email", .value = names[k] ? names[k] : "x/y@example.fi"},
			    {.kind = "address", .value = stored[(i + 1) % nstored]},
			    {.kind = "other", .value = "ignored"},
			};
			const char *tags[] = {"vip", "uutiskirje", names[k] ? names[k] : "t"};
			struct customer cu = {
			    .id = (int64_t)(i * 1000 + k + 1),
			    .name = names[k],
			    .org_id = k % 2 ? 0 : 42,
			    .owner_id = k % 3 ? 7 : 0,
			    .contacts = cps,
			    .ncontacts = k == 3 ? 0 : sizeof cps / sizeof *cps,
			    .tags = tags,
			    .ntags = k == 2 ? 0 : 3,
			    .custom_json = stored[i],
			    .merged_into = k == 1 ? 99 : 0,
			    .flags = k == 2 ? CUSTOMER_FLAG_ABUSIVE : 0,
			    .version = (int64_t)i + 1,
			    .created_at = times[i % (sizeof times / sizeof *times)],
			    .updated_at = times[(i + k) % (sizeof times / sizeof *times)],
			};
			check_same(&cu, __LINE__);
		}
	}
}

TEST(customer_render_invalid_utf8_fails)
{
	struct customer cu = {.id = 1, .name = "bad \xc3\x28", .custom_json = "{}", .version = 1};
	struct buf b = BUF_INIT(1 << 20);
	CHECK(customer_render(&cu, &b) < 0);
	CHECK_INT(b.len, 0);
	CHECK(customer_json(&cu) == NULL);
	buf_release(&b);
}

TEST(jsoncanon_cases)
{
	CHECK(jsoncanon_ok("{}", 2, 1));
	CHECK(jsoncanon_ok("{\"a\":[1,\"x\",{\"b\":null}]}", 24, 1));
	CHECK(!jsoncanon_ok("[1]", 3, 1));
	CHECK(jsoncanon_ok("[1]", 3, 0));
	CHECK(!jsoncanon_ok("{\"a\":1.0}", 9, 1));
	CHECK(!jsoncanon_ok("{\"a\":\"\\u0000\"}", 14, 1));
	CHECK(!jsoncanon_ok("{\"a\":\"\\u000a\"}", 14, 1));
	CHECK(jsoncanon_ok("{\"a\":\"\\u001B\"}", 14, 1));
	CHECK(!jsoncanon_ok("{\"a\":\"\\u001b\"}", 14, 1));
	CHECK(!jsoncanon_ok("{\"a\":1,\"a\":1}", 13, 1));
}

TEST(time_format_ms_matches_gmtime)
{
	uint64_t x = 88172645463325252ULL;
	for (int i = 0; i < 200000; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		int64_t ms = (int64_t)(x % 253402300800000ULL);
		if (i < 1000)
			ms = (int64_t)i * 86399999 + (i % 2 ? 253402300800000LL - 86400000LL * 400 : 0);
		char got[40], want[40];
		time_format_ms(ms, got, sizeof got);
		time_t sec = (time_t)(ms / 1000);
		struct tm tm;
		gmtime_r(&sec, &tm);
		snprintf(want, sizeof want, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
		         tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(ms % 1000));
		if (strcmp(got, want) != 0) {
			test_fail(__FILE__, __LINE__, "%lld: %s, expected %s", (long long)ms, got, want);
			break;
		}
	}
}
