/*
 * openapi: serves the API's OpenAPI 3.1 description. The text is docs/openapi.json,
 * embedded at build time by mk/openapi.mk as build/gen/openapi_json.c. The integration test
 * tests/integration/test_openapi.py keeps it true to the route table (api/routes.c).
 */
#include <stddef.h>

#include "api/handlers.h"

extern const char api_openapi_json[];
extern const size_t api_openapi_json_len;

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
