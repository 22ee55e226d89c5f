/*
 * openapi: serves the API's OpenAPI 3.1 description, and tells dispatch which query
 * parameters each route takes (the description is the one list of them, so an unknown or
 * misspelt filter is refused instead of ignored). The text is docs/openapi.json, embedded at
 * build time by mk/openapi.mk as build/gen/openapi_json.c. The integration test
 * tests/integration/test_openapi.py keeps it true to the route table (api/routes.c).
 */
#include <jansson.h>
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"

extern const char api_openapi_json[];
extern const size_t api_openapi_json_len;

/* ---- the query parameters each route takes, read from the same document ---------------- */

/* By route index: a NULL-terminated list of the query parameter names the description gives
 * the operation (its own and its path's), or NULL when the description has no such
 * operation (then every parameter passes; test_openapi.py keeps that from happening). Built
 * once, never freed (process lifetime). */
static const char *const **query_params;
static pthread_once_t query_once = PTHREAD_ONCE_INIT;

/* Append the query parameter names of a "parameters" array (entries or $refs into
 * #/components/parameters) to names[*n]. */
static void collect_query(json_t *doc, json_t *params, const char **names, size_t *n, size_t cap)
{
	size_t i;
	json_t *p;
	json_array_foreach(params, i, p)
	{
		const char *ref = json_string_value(json_object_get(p, "$ref"));
		static const char prefix[] = "#/components/parameters/";
		if (ref && !strncmp(ref, prefix, sizeof prefix - 1))
			p = json_object_get(json_object_get(json_object_get(doc, "components"), "parameters"),
			                    ref + sizeof prefix - 1);
		const char *in = json_string_value(json_object_get(p, "in"));
		const char *name = json_string_value(json_object_get(p, "name"));
		const char *style = json_string_value(json_object_get(p, "style"));
		if (in && name && !strcmp(in, "query") && *n < cap) {
			/* a deepObject parameter "custom" is given as custom[KEY]=...: listed "custom[]" */
			size_t len = strlen(name);
			char *copy = malloc(len + 3);
			if (!copy)
				continue;
			memcpy(copy, name, len + 1);
			if (style && !strcmp(style, "deepObject"))
				memcpy(copy + len, "[]", 3);
			names[(*n)++] = copy;
		}
	}
}

static void query_params_build(void)
{
	query_params = calloc(api_nroutes, sizeof *query_params);
	json_t *doc = json_loadb(api_openapi_json, api_openapi_json_len, 0, NULL);
	if (!query_params || !doc) {
		json_decref(doc);
		return;
	}
	json_t *paths = json_object_get(doc, "paths");
	for (size_t k = 0; k < api_nroutes; k++) {
		json_t *item = json_object_get(paths, api_routes[k].pattern);
		char method[16];
		size_t m = 0;
		for (; api_routes[k].method[m] && m + 1 < sizeof method; m++)
			method[m] = (char)(api_routes[k].method[m] | 0x20);
		method[m] = '\0';
		json_t *op = json_object_get(item, method);
		if (!op)
			continue;
		enum { CAP = 64 };
		const char **names = calloc(CAP + 1, sizeof *names);
		if (!names)
			continue;
		size_t n = 0;
		collect_query(doc, json_object_get(item, "parameters"), names, &n, CAP);
		collect_query(doc, json_object_get(op, "parameters"), names, &n, CAP);
		query_params[k] = names;
	}
	json_decref(doc);
}

const char *const *api_openapi_query_params(const struct api_route *route)
{
	pthread_once(&query_once, query_params_build);
	if (!query_params || route < api_routes || route >= api_routes + api_nroutes)
		return NULL;
	return query_params[route - api_routes];
}

int api_openapi(struct api_req *r)
{
	/* The body buffer is empty when a handler starts; size its cap for this document. */
	buf_release(&r->resp.body);
	buf_init(&r->resp.body, api_openapi_json_len + 1);
	if (buf_add(&r->resp.body, api_openapi_json, api_openapi_json_len) < 0)
		return api_fail(r, KP_ENOMEM, "cannot render the API description");
	r->resp.status = 200;
	r->resp.content_type = "application/json";
	return API_DONE;
}
