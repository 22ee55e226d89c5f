/*
 * Fuzz target for the API's request-body and query-string parsers (api/dispatch.c): the
 * byte pre-scan for nesting depth and UTF-8, jansson under our limits, the string-length
 * walk, problem rendering, and percent-decoding of the query. Any input must give either a
 * JSON object or a problem response with a 4xx status, never a crash or a leak.
 *
 *     make fuzz && build/fuzz/fuzz_body -max_total_time=60
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct api_server srv = {
		.limits = { .max_body = 64 * 1024, .max_json_depth = 32, .max_string = 1024, .max_list_limit = 200 },
	};
	struct arena a = ARENA_INIT;
	struct api_req r = { 0 };
	r.method = "POST";
	r.path = "/api/v1/fuzz";
	r.query = "";
	r.arena = &a;
	r.srv = &srv;
	r.content_type = "application/json";
	r.body = (const char *)data;
	r.body_len = size;
	buf_init(&r.resp.body, 1 << 20);

	json_t *j = api_body_object(&r);
	if (j) {
		if (!json_is_object(j))
			abort();
		json_decref(j);
	} else if (r.resp.status < 400 || r.resp.status > 499 || r.resp.body.len == 0) {
		abort();
	}

	/* The same bytes as a query string. */
	r.query = arena_strndup(&a, (const char *)data, strnlen((const char *)data, size));
	(void)api_query(&r, "q");
	(void)api_query(&r, "cursor");

	api_req_release(&r);
	arena_release(&a);
	return 0;
}
