/* api_handle() routing (404, 405 with Allow, {id} matching, 401 before any handler) and
 * api_query() decoding. */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "test.h"

struct disp_case {
	struct arena arena;
	struct api_server srv;
	struct api_req r;
};

static void disp_setup(struct disp_case *dc, const char *method, const char *path, const char *query)
{
	memset(dc, 0, sizeof(*dc));
	arena_init(&dc->arena);
	dc->srv.limits = (struct api_limits){ .max_body = 1 << 20, .max_json_depth = 32, .max_string = 1 << 16,
					      .max_list_limit = 200 };
	dc->srv.version = "test";
	dc->r.arena = &dc->arena;
	dc->r.srv = &dc->srv;
	dc->r.method = method;
	dc->r.path = path;
	dc->r.query = query;
	snprintf(dc->r.request_id, sizeof(dc->r.request_id), "t");
}

static void disp_teardown(struct disp_case *dc)
{
	api_req_release(&dc->r);
	arena_release(&dc->arena);
}

static const char *header_of(const struct api_req *r, const char *name)
{
	for (int i = 0; i < r->resp.nheaders; i++)
		if (!strcmp(r->resp.headers[i].name, name))
			return r->resp.headers[i].value;
	return NULL;
}

TEST(api_route_unknown_is_404)
{
	static const char *const paths[] = { "/nope", "/api/v1/customers/", "/api/v1/customers/0",
					     "/api/v1/customers/abc", "/api/v1/customers/012",
					     "/api/v1/customers/99999999999999999999", "/api/v1/customers/1/x", "" };
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		struct disp_case dc;
		disp_setup(&dc, "GET", paths[i], NULL);
		CHECK_INT(api_handle(&dc.r), API_DONE);
		if (dc.r.resp.status != 404)
			fprintf(stderr, "  path %s\n", paths[i]);
		CHECK_INT(dc.r.resp.status, 404);
		CHECK_STR(dc.r.resp.content_type, "application/problem+json");
		disp_teardown(&dc);
	}
}

TEST(api_route_wrong_method_is_405_with_allow)
{
	struct disp_case dc;
	disp_setup(&dc, "PUT", "/api/v1/customers", NULL);
	CHECK_INT(api_handle(&dc.r), API_DONE);
	CHECK_INT(dc.r.resp.status, 405);
	CHECK_STR(header_of(&dc.r, "Allow"), "GET, HEAD, POST");
	disp_teardown(&dc);

	disp_setup(&dc, "POST", "/api/v1/customers/42", NULL);
	api_handle(&dc.r);
	CHECK_INT(dc.r.resp.status, 405);
	CHECK_STR(header_of(&dc.r, "Allow"), "GET, HEAD, PATCH, DELETE");
	disp_teardown(&dc);

	disp_setup(&dc, "DELETE", "/healthz", NULL);
	api_handle(&dc.r);
	CHECK_INT(dc.r.resp.status, 405);
	CHECK_STR(header_of(&dc.r, "Allow"), "GET, HEAD");
	disp_teardown(&dc);
}

TEST(api_route_needs_credentials)
{
	struct disp_case dc;
	disp_setup(&dc, "GET", "/api/v1/staff/123", NULL);
	CHECK_INT(api_handle(&dc.r), API_DONE);
	CHECK_INT(dc.r.resp.status, 401);
	CHECK(header_of(&dc.r, "WWW-Authenticate") != NULL);
	/* the route matched and its parameter was taken */
	CHECK_INT(dc.r.nparams, 1);
	CHECK_INT(api_param_id(&dc.r, 0), 123);
	CHECK_INT(api_param_id(&dc.r, 1), 0);
	disp_teardown(&dc);

	disp_setup(&dc, "GET", "/api/v1/customers", NULL);
	dc.r.authorization = "Basic dXNlcjpwdw==";
	api_handle(&dc.r);
	CHECK_INT(dc.r.resp.status, 401);
	disp_teardown(&dc);
}

TEST(api_route_public_health)
{
	struct disp_case dc;
	disp_setup(&dc, "GET", "/healthz", NULL);
	dc.r.authorization = "Bearer kp_whatever"; /* ignored on public routes */
	CHECK_INT(api_handle(&dc.r), API_DONE);
	CHECK_INT(dc.r.resp.status, 200);
	CHECK(strstr(dc.r.resp.body.ptr, "\"status\":\"ok\"") != NULL);
	CHECK(dc.r.resp.content_type == NULL);
	disp_teardown(&dc);
}

TEST(api_query_decodes)
{
	struct disp_case dc;
	disp_setup(&dc, "GET", "/x", "a=1&b=hello+world&c=%C3%A4iti&d=%zz&e&f=%00&g=%E2%82&h=50%25&a=2&%6B=k&i=");
	CHECK_STR(api_query(&dc.r, "a"), "1"); /* first occurrence */
	CHECK_STR(api_query(&dc.r, "b"), "hello world");
	CHECK_STR(api_query(&dc.r, "c"), "\xc3\xa4iti");
	CHECK(api_query(&dc.r, "d") == NULL); /* malformed escape: absent */
	CHECK_STR(api_query(&dc.r, "e"), "");
	CHECK(api_query(&dc.r, "f") == NULL); /* NUL: absent */
	CHECK(api_query(&dc.r, "g") == NULL); /* truncated UTF-8: absent */
	CHECK_STR(api_query(&dc.r, "h"), "50%");
	CHECK_STR(api_query(&dc.r, "k"), "k");
	CHECK_STR(api_query(&dc.r, "i"), "");
	CHECK(api_query(&dc.r, "zz") == NULL);
	disp_teardown(&dc);

	disp_setup(&dc, "GET", "/x", NULL);
	CHECK(api_query(&dc.r, "a") == NULL);
	disp_teardown(&dc);

	disp_setup(&dc, "GET", "/x", "q=%4");
	CHECK(api_query(&dc.r, "q") == NULL);
	disp_teardown(&dc);
}
