/*
 * audit: GET /api/v1/audit - the audit log, newest first, filtered by entity, entity_id,
 * actor_id, action and since; paged with an opaque cursor over the entry id.
 */
#include <inttypes.h>
#include <string.h>

#include "api/cursor.h"
#include "api/handlers.h"
#include "api/render.h"
#include "domain/validate.h"

#define AUDIT_SORT "-id"

static json_t *audit_json(const struct audit_entry *e)
{
	json_t *changes = e->changes_json ? validate_parse_json(e->changes_json, 0) : json_null();
	return json_pack("{sI so so so so so so so so}", "id", (json_int_t)e->id, "at", validate_time_json(e->at),
	                 "actor_id", validate_id_json(e->actor_id), "actor", validate_str_json(e->actor), "action",
	                 validate_str_json(e->action), "entity", validate_str_json(e->entity), "entity_id",
	                 validate_id_json(e->entity_id), "request_id", validate_str_json(e->request_id), "changes",
	                 changes);
}

/* A short word: 1..64 of [a-z0-9_]. */
static int word_ok(const char *s)
{
	size_t n = strlen(s);
	if (n < 1 || n > 64)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return 0;
	return 1;
}

int api_audit_list(struct api_req *r)
{
	struct kp_err err = KP_ERR_INIT;
	struct audit_filter f = {0};
	struct audit_list list = {0};
	struct store_page pg = {0};
	/* `|`, not `||`: check every parameter and report all that are bad at once */
	if (api_q_limit(r, &f.limit, &err) | api_q_id(r, "entity_id", &f.entity_id, &err) |
	    api_q_id(r, "actor_id", &f.actor_id, &err) | api_q_time(r, "since", &f.since, &err))
		return api_fail_err(r, &err);
	static const char *const words[] = {"entity", "action"};
	for (int i = 0; i < 2; i++) {
		const char *s = api_query(r, words[i]);
		if (!s)
			continue;
		if (!word_ok(s)) {
			kp_err_set(&err, KP_EINVAL, "invalid query parameter %s", words[i]);
			kp_err_field(&err, words[i], "must be a word of a-z, 0-9 and _");
			return api_fail_err(r, &err);
		}
		if (i == 0)
			f.entity = s;
		else
			f.action = s;
	}
	if (api_q_cursor(r, AUDIT_SORT, &pg, &err))
		return api_fail_err(r, &err);
	if (pg.has_after)
		f.before_id = pg.after_id;
	struct store_conn *c = store_reader(r->srv->store, &err);
	if (!c)
		return api_fail_err(r, &err);
	if (store_audit_list(c, &f, &list, r->arena, &err))
		return api_fail_err(r, &err);
	json_t *items = json_array();
	for (size_t i = 0; i < list.n; i++)
		json_array_append_new(items, audit_json(&list.items[i]));
	const char *next = NULL;
	if (list.more && list.n)
		next = api_cursor_encode(r->arena, AUDIT_SORT, "", list.items[list.n - 1].id);
	return api_render_page(r, items, next);
}
