/* api_body_object(): content type, size, depth and UTF-8 pre-scan, parsing, string caps;
 * api_problem() rendering. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "test.h"

struct body_case {
	struct arena arena;
	struct api_server srv;
	struct api_req r;
};

static void body_setup(struct body_case *bc, const char *ct, const char *body, size_t len)
{
	memset(bc, 0, sizeof(*bc));
	arena_init(&bc->arena);
	bc->srv.limits = (struct api_limits){ .max_body = 1 << 20, .max_json_depth = 32, .max_string = 16,
					      .max_list_limit = 200 };
	bc->r.arena = &bc->arena;
	bc->r.srv = &bc->srv;
	bc->r.method = "POST";
	bc->r.path = "/api/v1/customers";
	bc->r.content_type = ct;
	bc->r.body = body;
	bc->r.body_len = len;
	snprintf(bc->r.request_id, sizeof(bc->r.request_id), "req-1");
}

static void body_teardown(struct body_case *bc)
{
	api_req_release(&bc->r);
	arena_release(&bc->arena);
}

/* Parse the problem body; caller decrefs. */
static json_t *problem_of(struct body_case *bc)
{
	return json_loadb(bc->r.resp.body.ptr, bc->r.resp.body.len, 0, NULL);
}

static const char *detail_of(json_t *p)
{
	return json_string_value(json_object_get(p, "detail"));
}

TEST(api_body_accepts_object)
{
	struct body_case bc;
	const char *b = "{\"name\":\"Maija\",\"tags\":[\"a\",{\"x\":1}]}";
	body_setup(&bc, "application/json; charset=UTF-8", b, strlen(b));
	json_t *j = api_body_object(&bc.r);
	CHECK(j != NULL);
	CHECK_STR(json_string_value(json_object_get(j, "name")), "Maija");
	json_decref(j);
	body_teardown(&bc);
}

TEST(api_body_rejects_deep_nesting_cheaply)
{
	struct body_case bc;
	size_t n = 10000;
	char *b = malloc(2 * n + 1);
	memset(b, '[', n);
	memset(b + n, ']', n);
	b[2 * n] = '\0';
	body_setup(&bc, "application/json", b, 2 * n);
	CHECK(api_body_object(&bc.r) == NULL);
	CHECK_INT(bc.r.resp.status, 400);
	json_t *p = problem_of(&bc);
	CHECK(p && strstr(detail_of(p), "nesting") != NULL);
	json_decref(p);
	body_teardown(&bc);
	free(b);
}

TEST(api_body_depth_limit_is_exact)
{
	struct body_case bc;
	/* 32 levels pass, 33 fail; brackets inside strings do not count. */
	struct buf ok = BUF_INIT(200), bad = BUF_INIT(200);
	for (int i = 0; i < 32; i++)
		buf_adds(&ok, i == 0 ? "{\"a\":" : "[");
	buf_adds(&ok, "\"[[[[{{{{\"");
	for (int i = 31; i >= 0; i--)
		buf_adds(&ok, i == 0 ? "}" : "]");
	body_setup(&bc, "application/json", ok.ptr, ok.len);
	json_t *j = api_body_object(&bc.r);
	CHECK(j != NULL);
	json_decref(j);
	body_teardown(&bc);

	buf_adds(&bad, "{\"a\":");
	for (int i = 0; i < 32; i++)
		buf_adds(&bad, "[");
	for (int i = 0; i < 32; i++)
		buf_adds(&bad, "]");
	buf_adds(&bad, "}");
	body_setup(&bc, "application/json", bad.ptr, bad.len);
	CHECK(api_body_object(&bc.r) == NULL);
	CHECK_INT(bc.r.resp.status, 400);
	body_teardown(&bc);
	buf_release(&ok);
	buf_release(&bad);
}

TEST(api_body_rejects_invalid_utf8)
{
	static const char *const bad[] = {
		"{\"a\":\"\xff\"}",             /* never valid */
		"{\"a\":\"\xc0\xaf\"}",         /* overlong '/' */
		"{\"a\":\"\xed\xa0\x80\"}",     /* UTF-16 surrogate */
		"{\"a\":\"\xf4\x90\x80\x80\"}", /* above U+10FFFF */
		"{\"a\":\"\xc3\"}",             /* truncated */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct body_case bc;
		body_setup(&bc, "application/json", bad[i], strlen(bad[i]));
		CHECK(api_body_object(&bc.r) == NULL);
		CHECK_INT(bc.r.resp.status, 400);
		json_t *p = problem_of(&bc);
		CHECK(p != NULL);
		CHECK_STR(detail_of(p), "body is not valid UTF-8");
		json_decref(p);
		body_teardown(&bc);
	}
	struct body_case bc;
	const char *good = "{\"a\":\"\xc3\xa4\xe2\x82\xac\xf0\x9f\x98\x80\"}"; /* ä € 😀 */
	body_setup(&bc, "application/json", good, strlen(good));
	json_t *j = api_body_object(&bc.r);
	CHECK(j != NULL);
	json_decref(j);
	body_teardown(&bc);
}

TEST(api_body_content_type_and_size)
{
	struct body_case bc;
	const char *b = "{}";
	body_setup(&bc, "text/plain", b, 2);
	CHECK(api_body_object(&bc.r) == NULL);
	CHECK_INT(bc.r.resp.status, 415);
	body_teardown(&bc);

	body_setup(&bc, "application/json; charset=latin1", b, 2);
	CHECK(api_body_object(&bc.r) == NULL);
	CHECK_INT(bc.r.resp.status, 415);
	body_teardown(&bc);

	body_setup(&bc, NULL, b, 2);
	CHECK(api_body_object(&bc.r) == NULL);
	CHECK_INT(bc.r.resp.status, 415);
	body_teardown(&bc);

	body_setup(&bc, "application/json", "", 0);
	CHECK(api_body_object(&bc.r) == NULL);
	CHECK_INT(bc.r.resp.status, 400);
	body_teardown(&bc);

	body_setup(&bc, "application/json", "{\"a\":1}", 7);
	bc.srv.limits.max_body = 6;
	CHECK(api_body_object(&bc.r) == NULL);
	CHECK_INT(bc.r.resp.status, 413);
	body_teardown(&bc);
}

TEST(api_body_rejects_bad_json)
{
	static const char *const bad[] = { "{\"a\":1,\"a\":2}", "[1,2]", "\"x\"", "{\"a\":}", "{\"a\":1} x",
					   "{\"a\":123456789012345678901234567890}" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct body_case bc;
		body_setup(&bc, "application/json", bad[i], strlen(bad[i]));
		CHECK(api_body_object(&bc.r) == NULL);
		CHECK_INT(bc.r.resp.status, 400);
		CHECK_STR(bc.r.resp.content_type, "application/problem+json");
		body_teardown(&bc);
	}
}

TEST(api_body_long_string_names_field)
{
	struct body_case bc;
	const char *b = "{\"ok\":\"short\",\"address\":{\"street\":\"this is far too long for sixteen\"}}";
	body_setup(&bc, "application/json", b, strlen(b));
	CHECK(api_body_object(&bc.r) == NULL);
	CHECK_INT(bc.r.resp.status, 422);
	json_t *p = problem_of(&bc);
	json_t *e0 = json_array_get(json_object_get(p, "errors"), 0);
	CHECK_STR(json_string_value(json_object_get(e0, "field")), "address.street");
	json_decref(p);
	body_teardown(&bc);
}

TEST(api_problem_renders_rfc9457)
{
	struct body_case bc;
	body_setup(&bc, NULL, NULL, 0);
	struct kp_err err = KP_ERR_INIT;
	kp_err_field(&err, "name", "is required");
	kp_err_field(&err, "emails[0]", "is not valid");
	api_problem(&bc.r, &err);
	CHECK_INT(bc.r.resp.status, 422);
	CHECK_STR(bc.r.resp.content_type, "application/problem+json");
	json_t *p = problem_of(&bc);
	CHECK_STR(json_string_value(json_object_get(p, "type")), "https://kumppani.dev/problems/validation");
	CHECK_INT(json_integer_value(json_object_get(p, "status")), 422);
	CHECK_STR(json_string_value(json_object_get(p, "instance")), "/api/v1/customers");
	CHECK_STR(json_string_value(json_object_get(p, "request_id")), "req-1");
	CHECK_INT(json_array_size(json_object_get(p, "errors")), 2);
	json_t *e1 = json_array_get(json_object_get(p, "errors"), 1);
	CHECK_STR(json_string_value(json_object_get(e1, "field")), "emails[0]");
	json_decref(p);
	body_teardown(&bc);
}

TEST(api_problem_hides_internal_detail)
{
	struct body_case bc;
	body_setup(&bc, NULL, NULL, 0);
	struct kp_err err = KP_ERR_INIT;
	kp_err_set(&err, KP_ESTORE, "SELECT secret FROM t: disk I/O error");
	api_problem(&bc.r, &err);
	CHECK_INT(bc.r.resp.status, 500);
	CHECK(strstr(bc.r.resp.body.ptr, "SELECT") == NULL);
	CHECK(strstr(bc.r.resp.body.ptr, "req-1") != NULL);
	body_teardown(&bc);
}

TEST(api_problem_401_has_www_authenticate)
{
	struct body_case bc;
	body_setup(&bc, NULL, NULL, 0);
	CHECK_INT(api_fail(&bc.r, KP_EUNAUTH, "sign in"), API_DONE);
	CHECK_INT(bc.r.resp.status, 401);
	int found = 0;
	for (int i = 0; i < bc.r.resp.nheaders; i++)
		found |= !strcmp(bc.r.resp.headers[i].name, "WWW-Authenticate");
	CHECK(found);
	body_teardown(&bc);
}

TEST(api_http_status_map)
{
	CHECK_INT(api_http_status(KP_EINVAL), 400);
	CHECK_INT(api_http_status(KP_EVALIDATION), 422);
	CHECK_INT(api_http_status(KP_EUNAUTH), 401);
	CHECK_INT(api_http_status(KP_EFORBIDDEN), 403);
	CHECK_INT(api_http_status(KP_ENOTFOUND), 404);
	CHECK_INT(api_http_status(KP_EMETHOD), 405);
	CHECK_INT(api_http_status(KP_ECONFLICT), 409);
	CHECK_INT(api_http_status(KP_EPRECONDITION), 412);
	CHECK_INT(api_http_status(KP_ETOOLARGE), 413);
	CHECK_INT(api_http_status(KP_EMEDIA), 415);
	CHECK_INT(api_http_status(KP_ERATE), 429);
	CHECK_INT(api_http_status(KP_EUNAVAILABLE), 503);
	CHECK_INT(api_http_status(KP_ESTORE), 500);
	CHECK_INT(api_http_status(KP_EINTERNAL), 500);
}
