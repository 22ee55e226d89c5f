/*
 * search: GET /api/v1/search?q=&limit= - full-text search over customers, organisations,
 * interactions and notes (the store understands Finnish inflection).
 */
#include "api/handlers.h"
#include "api/render.h"
#include "domain/protect.h"
#include "domain/validate.h"

#define SEARCH_Q_MAX 200 /* characters */

int api_search(struct api_req *r)
{
	struct kp_err err = KP_ERR_INIT;
	struct search_result res = {0};
	int limit;
	const char *q = api_query(r, "q");
	char *t = q ? validate_trim(r->arena, q) : NULL;
	if (!t || !*t || validate_utf8_chars(t) > SEARCH_Q_MAX) {
		kp_err_set(&err, KP_EINVAL, "invalid query parameter q");
		kp_err_field(&err, "q", "is required, 1 to %d characters", SEARCH_Q_MAX);
		return api_fail_err(r, &err);
	}
	if (validate_text("q", t, 0, 0, 1, &err)) {
		err.status = KP_EINVAL;
		return api_fail_err(r, &err);
	}
	if (api_q_limit(r, &limit, &err))
		return api_fail_err(r, &err);
	struct store_conn *c = store_reader(r->srv->store, &err);
	if (!c)
		return api_fail_err(r, &err);
	if (store_search(c, t, limit, &res, r->arena, &err))
		return api_fail_err(r, &err);
	json_t *items = json_array();
	for (size_t i = 0; i < res.n; i++) {
		struct search_hit *h = &res.items[i];
		protect_mask_search_hit(c, h, r->arena); /* abusive text stays masked here too */
		json_array_append_new(
		    items, json_pack("{so sI so so so}", "type", validate_str_json(h->entity), "id", (json_int_t)h->id,
		                     "customer_id", validate_id_json(h->customer_id), "title",
		                     validate_str_json(h->title), "snippet", validate_str_json(h->snippet)));
	}
	json_t *j = json_pack("{so}", "items", items);
	api_json(r, 200, j);
	json_decref(j);
	return API_DONE;
}
