/* If-Match and If-None-Match as the api reads them (api_etags_parse(), api_precond(),
 * api_if_none_match()): RFC 9110 13.1.1/13.1.2 lists of entity tags, "*", weak and strong
 * comparison, malformed values, the cap; and the domain's check of a parsed list against a
 * record's version (validate_precond_check()). */
#include "test.h"

#include <stdio.h>
#include <string.h>

#include "api/render.h"

/* "1,5" for a parsed list holding 1 and 5 (sorted), "*" for any, "-" when absent, "" for
 * none */
static const char *shown(const struct validate_etags *e, char *out, size_t size)
{
	if (!e->present)
		return "-";
	if (e->any)
		return "*";
	int64_t v[VALIDATE_ETAGS_MAX];
	size_t n = e->n;
	memcpy(v, e->v, n * sizeof v[0]);
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && v[j - 1] > v[j]; j--) {
			int64_t t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	size_t len = 0;
	out[0] = '\0';
	for (size_t i = 0; i < n && len < size; i++)
		len += (size_t)snprintf(out + len, size - len, "%s%lld", i ? "," : "", (long long)v[i]);
	return out;
}

TEST(etags_parse_lists)
{
	static const struct {
		const char *value;
		const char *strong, *weak; /* the versions named, as shown() */
	} cases[] = {
	    {"\"5\"", "5", "5"},
	    {"\"5\", \"9\"", "5,9", "5,9"},
	    {"\"9\",\"5\"", "5,9", "5,9"},
	    {" \t\"5\" ,\t\"9\" ", "5,9", "5,9"},
	    {"\"5\", \"5\", \"5\"", "5", "5"},           /* repeats count once */
	    {"\"5\", , ,\"6\",", "5,6", "5,6"},          /* empty elements are skipped */
	    {"*", "*", "*"},
	    {"  *  ", "*", "*"},
	    {"W/\"5\"", "", "5"},                          /* If-Match compares strongly */
	    {"W/\"5\", \"7\"", "7", "5,7"},
	    {"\"abc\", \"5\"", "5", "5"},                 /* another server's tag names nothing */
	    {"\"a,b\", \"5\"", "5", "5"},                 /* a comma inside a tag is the tag's */
	    {"\"05\", \"+5\", \"5.0\", \"-5\", \"0\"", "", ""}, /* not as the server writes 5 */
	    {"\"9223372036854775807\"", "9223372036854775807", "9223372036854775807"},
	    {"\"9223372036854775808\", \"99999999999999999999\"", "", ""}, /* past int64 */
	    {"\"\"", "", ""},
	    {"", "", ""},                                   /* present, an empty list */
	    {" , ", "", ""},
	    /* malformed: nothing of it is read, not even a good tag before the fault */
	    {"5", "", ""},
	    {"\"5\", 6", "", ""},
	    {"\"5\", *", "", ""},
	    {"*, \"5\"", "", ""},
	    {"\"5", "", ""},
	    {"\"5\"\"6\"", "", ""},
	    {"\"5\" x", "", ""},
	    {"w/\"5\"", "", ""},
	    {"W/ \"5\"", "", ""},
	    {"\"5 6\"", "", ""},
	    {"\"5\x7f\"", "", ""},
	    {"\"5\", \"\xc3\xa4\"", "5", "5"}, /* obs-text is allowed in a tag */
	};
	char buf[256];
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct validate_etags e;
		CHECK_INT(api_etags_parse(cases[i].value, 0, &e), 0);
		if (strcmp(shown(&e, buf, sizeof buf), cases[i].strong) != 0)
			test_fail(__FILE__, __LINE__, "If-Match: %s names {%s}, expected {%s}", cases[i].value, buf,
			          cases[i].strong);
		CHECK_INT(e.present, 1);
		CHECK_INT(api_etags_parse(cases[i].value, 1, &e), 0);
		if (strcmp(shown(&e, buf, sizeof buf), cases[i].weak) != 0)
			test_fail(__FILE__, __LINE__, "If-None-Match: %s names {%s}, expected {%s}", cases[i].value, buf,
			          cases[i].weak);
	}
	struct validate_etags e;
	memset(&e, 0xff, sizeof e);
	CHECK_INT(api_etags_parse(NULL, 0, &e), 0);
	CHECK_INT(e.present, 0);
	CHECK_INT(e.any, 0);
	CHECK_INT(e.n, 0);
}

/* the round trip: what api_set_etag() sends is what api_etags_parse() reads */
TEST(etags_round_trip)
{
	static const int64_t versions[] = {1, 9, 10, 12345, 9223372036854775807LL};
	struct arena a = ARENA_INIT;
	struct api_req r;
	for (size_t i = 0; i < sizeof versions / sizeof versions[0]; i++) {
		memset(&r, 0, sizeof r);
		r.arena = &a; /* api_header() copies the value there */
		api_set_etag(&r, versions[i]);
		CHECK_INT(r.resp.nheaders, 1);
		CHECK_STR(r.resp.headers[0].name, "ETag");
		struct validate_etags e;
		CHECK_INT(api_etags_parse(r.resp.headers[0].value, 0, &e), 0);
		CHECK_INT(e.n, 1);
		CHECK_INT(e.v[0], versions[i]);
		CHECK(!e.any);
	}
	arena_release(&a);
}

/* more distinct versions than the cap: refused whole (api_precond(): 400), never read in
 * part; repeats and tags that name nothing do not count */
TEST(etags_cap)
{
	char v[4096];
	size_t len = 0;
	for (int i = 1; i <= VALIDATE_ETAGS_MAX; i++)
		len += (size_t)snprintf(v + len, sizeof v - len, "%s\"%d\", W/\"%d\", \"x%d\", \"1\"", i > 1 ? ", " : "",
		                        i, i + 1000, i);
	struct validate_etags e;
	CHECK_INT(api_etags_parse(v, 0, &e), 0);
	CHECK_INT(e.n, VALIDATE_ETAGS_MAX);
	struct api_req r;
	memset(&r, 0, sizeof r);
	r.if_match = v;
	struct validate_precond pre;
	struct kp_err err = KP_ERR_INIT;
	CHECK_INT(api_precond(&r, &pre, &err), 0);
	CHECK_INT(pre.if_match.n, VALIDATE_ETAGS_MAX);
	CHECK_INT(pre.if_none_match.present, 0);
	/* one more distinct version */
	snprintf(v + len, sizeof v - len, ", \"%d\"", VALIDATE_ETAGS_MAX + 1);
	CHECK_INT(api_etags_parse(v, 0, &e), -1);
	CHECK_INT(api_precond(&r, &pre, &err), KP_EINVAL);
	CHECK(strstr(err.msg, "If-Match") != NULL);
	/* as If-None-Match: the weak tags count there */
	snprintf(v + len, sizeof v - len, " ");
	r.if_match = NULL;
	r.if_none_match = v;
	kp_err_init(&err);
	CHECK_INT(api_precond(&r, &pre, &err), KP_EINVAL);
	CHECK(strstr(err.msg, "If-None-Match") != NULL);
	/* a malformed list over the cap names nothing and is no 400 */
	snprintf(v + len, sizeof v - len, ", 7");
	r.if_match = v;
	r.if_none_match = NULL;
	kp_err_init(&err);
	CHECK_INT(api_precond(&r, &pre, &err), 0);
	CHECK_INT(pre.if_match.present, 1);
	CHECK_INT(pre.if_match.n, 0);
}

/* a GET's If-None-Match: weak comparison, any tag of a list of any length, "*" */
TEST(etags_if_none_match_on_read)
{
	static const struct {
		const char *value;
		int64_t version;
		int match;
	} cases[] = {
	    {"\"5\"", 5, 1},
	    {"\"4\", \"5\"", 5, 1},
	    {"\"5\", \"6\"", 5, 1},
	    {"W/\"5\"", 5, 1},
	    {"\"4\", W/\"5\"", 5, 1},
	    {"\"4\", \"6\"", 5, 0},
	    {"*", 5, 1},
	    {"", 5, 0},
	    {"\"05\"", 5, 0},
	    {"\"5\", garbage", 5, 0}, /* malformed: no match, a full answer */
	    {"*, \"4\"", 5, 0},
	};
	struct api_req r;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		memset(&r, 0, sizeof r);
		r.if_none_match = cases[i].value;
		if (api_if_none_match(&r, cases[i].version) != cases[i].match)
			test_fail(__FILE__, __LINE__, "If-None-Match: %s on version %lld: expected %s", cases[i].value,
			          (long long)cases[i].version, cases[i].match ? "a match" : "none");
	}
	memset(&r, 0, sizeof r);
	CHECK_INT(api_if_none_match(&r, 5), 0);
	/* past the cap of a write's list: each tag is still compared */
	char v[4096];
	size_t len = 0;
	for (int i = 1; i <= 3 * VALIDATE_ETAGS_MAX; i++)
		len += (size_t)snprintf(v + len, sizeof v - len, "%s\"%d\"", i > 1 ? ", " : "", i);
	r.if_none_match = v;
	CHECK_INT(api_if_none_match(&r, 3 * VALIDATE_ETAGS_MAX), 1);
	CHECK_INT(api_if_none_match(&r, 3 * VALIDATE_ETAGS_MAX + 1), 0);
}

/* the domain's check on the writer, against the version it read */
TEST(precond_check)
{
	struct kp_err err = KP_ERR_INIT;
	struct validate_precond pre;
	memset(&pre, 0, sizeof pre);
	CHECK_INT(validate_precond_check("customer", 7, 5, NULL, &err), 0);
	CHECK_INT(validate_precond_check("customer", 7, 5, &pre, &err), 0);
	/* If-Match: any of the list */
	pre.if_match = (struct validate_etags){.present = 1, .n = 2, .v = {5, 9}};
	CHECK_INT(validate_precond_check("customer", 7, 5, &pre, &err), 0);
	CHECK_INT(validate_precond_check("customer", 7, 9, &pre, &err), 0);
	CHECK_INT(validate_precond_check("customer", 7, 6, &pre, &err), KP_EPRECONDITION);
	CHECK_STR(err.msg, "customer 7: If-Match does not match its current ETag \"6\"");
	/* present and empty (an empty or malformed field): nothing matches */
	pre.if_match = (struct validate_etags){.present = 1};
	kp_err_init(&err);
	CHECK_INT(validate_precond_check("note", 3, 1, &pre, &err), KP_EPRECONDITION);
	pre.if_match = (struct validate_etags){.present = 1, .any = 1};
	CHECK_INT(validate_precond_check("note", 3, 1, &pre, &err), 0);
	/* If-None-Match: fails when it names the version, or is "*" */
	pre.if_match = (struct validate_etags){0};
	pre.if_none_match = (struct validate_etags){.present = 1, .n = 2, .v = {2, 4}};
	CHECK_INT(validate_precond_check("note", 3, 1, &pre, &err), 0);
	kp_err_init(&err);
	CHECK_INT(validate_precond_check("note", 3, 4, &pre, &err), KP_EPRECONDITION);
	CHECK_STR(err.msg, "note 3: If-None-Match matches its current ETag \"4\"");
	pre.if_none_match = (struct validate_etags){.present = 1, .any = 1};
	CHECK_INT(validate_precond_check("note", 3, 1, &pre, &err), KP_EPRECONDITION);
	pre.if_none_match = (struct validate_etags){.present = 1};
	CHECK_INT(validate_precond_check("note", 3, 1, &pre, &err), 0);
	/* both: If-Match is evaluated first (RFC 9110 13.2.2) */
	pre.if_match = (struct validate_etags){.present = 1, .n = 1, .v = {8}};
	pre.if_none_match = (struct validate_etags){.present = 1, .n = 1, .v = {1}};
	kp_err_init(&err);
	CHECK_INT(validate_precond_check("note", 3, 1, &pre, &err), KP_EPRECONDITION);
	CHECK(strstr(err.msg, "If-Match does not match") != NULL);
}
