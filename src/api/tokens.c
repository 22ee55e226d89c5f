/*
 * tokens: /api/v1/tokens - a staff member's API tokens for integrations. The secret is
 * shown once, in the answer to POST; only its hash is stored. Admins may list another
 * member's tokens (?staff_id=) and revoke any token; others see and revoke their own
 * (someone else's token id is a 404).
 *
 * POST ignores Idempotency-Key on purpose: replaying the answer would mean storing the
 * token secret in the idempotency table.
 */
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/render.h"
#include "domain/auth.h"
#include "util/timeutil.h"

static json_t *token_json(const struct api_token *t)
{
	/* a label stored before labels were checked for UTF-8 is shown as such, not dropped */
	json_t *name = json_string(t->label ? t->label : "");
	if (!name)
		name = json_string("(label is not valid UTF-8)");
	json_t *j = json_pack("{s:I, s:I, s:o}", "id", (json_int_t)t->id, "staff_id", (json_int_t)t->staff_id, "name", name);
	const char *names[3] = { "created_at", "last_used_at", "revoked_at" };
	int64_t vals[3] = { t->created_at, t->last_used_at, t->revoked_at };
	for (int i = 0; i < 3; i++) {
		char ts[40];
		if (vals[i]) {
			time_format_ms(vals[i], ts, sizeof(ts));
			json_object_set_new(j, names[i], json_string(ts));
		} else {
			json_object_set_new(j, names[i], json_null());
		}
	}
	return j;
}

int api_tokens_list(struct api_req *r)
{
	struct kp_err err = KP_ERR_INIT;
	int64_t staff_id = r->who.staff_id, v;
	if (api_q_id(r, "staff_id", &v, &err) != 0)
		return api_fail_err(r, &err);
	if (v) {
		if (v != staff_id && r->who.role < ROLE_ADMIN)
			return api_fail(r, KP_EFORBIDDEN, "only admins may list other staff members' tokens");
		staff_id = v;
	}
	struct store_conn *c = store_reader(r->srv->store, &err);
	struct token_list list = { 0 };
	if (!c || store_token_list(c, staff_id, &list, r->arena, &err) != 0) {
		api_problem(r, &err);
		return API_DONE;
	}
	json_t *items = json_array();
	for (size_t i = 0; i < list.n; i++)
		json_array_append_new(items, token_json(&list.items[i]));
	/* every token of one staff member, so no page follows: next_cursor as in every list */
	json_t *j = json_pack("{s:o, s:n}", "items", items, "next_cursor");
	api_json(r, 200, j);
	json_decref(j);
	return API_DONE;
}

static int create_run(struct store_conn *c, struct api_req *r, struct kp_err *err)
{
	const char *label = r->write_ctx;
	struct actor who = { r->who.staff_id, r->who.role, r->who.email, r->request_id };
	char token[AUTH_TOKEN_SIZE];
	struct api_token t;
	int rc = domain_auth_token_create(c, &who, r->who.staff_id, label, token, &t, err);
	if (rc != 0)
		return rc;
	json_t *j = token_json(&t);
	json_object_set_new(j, "token", json_string(token));
	api_json(r, 201, j);
	json_decref(j);
	sodium_memzero(token, sizeof(token));
	api_header(r, "Location", arena_printf(r->arena, "/api/v1/tokens/%" PRId64, t.id));
	api_header(r, "Cache-Control", "no-store");
	return 0;
}

int api_tokens_create(struct api_req *r)
{
	struct kp_err err = KP_ERR_INIT;
	json_t *body = api_body_object(r);
	if (!body)
		return API_DONE;
	int res = API_DONE;
	const char *k;
	json_t *v;
	json_object_foreach(body, k, v)
	{
		if (strcmp(k, "name") != 0)
			kp_err_field(&err, k, "is not a known field");
		else if (!json_is_string(v))
			kp_err_field(&err, k, "must be a string");
	}
	const char *label = json_string_value(json_object_get(body, "name"));
	if (!json_object_get(body, "name"))
		kp_err_field(&err, "name", "is required");
	else if (label)
		domain_auth_token_label_check(label, &err);
	if (err.status != 0) {
		api_problem(r, &err);
		goto out;
	}
	r->idempotency_key = NULL; /* see the top of this file */
	res = api_write(r, create_run, arena_strdup(r->arena, label));
out:
	json_decref(body);
	return res;
}

static int revoke_run(struct store_conn *c, struct api_req *r, struct kp_err *err)
{
	api_auth_changed(r); /* cached principals: see api.h */
	int64_t id = api_param_id(r, 0);
	int64_t owner = r->who.role >= ROLE_ADMIN ? 0 : r->who.staff_id;
	int rc = store_token_revoke(c, id, owner, err);
	if (rc == KP_ENOTFOUND)
		snprintf(err->msg, sizeof(err->msg), "no token %" PRId64, id);
	if (rc != 0)
		return rc;
	struct actor who = { r->who.staff_id, r->who.role, r->who.email, r->request_id };
	if ((rc = domain_audit(c, &who, "revoke", "token", id, NULL, err)) != 0)
		return rc;
	r->resp.status = 204;
	return 0;
}

int api_tokens_revoke(struct api_req *r)
{
	return api_write(r, revoke_run, NULL);
}
