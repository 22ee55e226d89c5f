/*
 * staff: /api/v1/staff - list and read (managers), create and change (admins). Passwords
 * are hashed here on the loop thread before the write is queued (see domain/staff.h).
 * Deactivating an account or setting its password ends its sessions. ETag is the
 * record's version ("\"3\""); PATCH honours If-Match and If-None-Match (412 when they fail).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/render.h"
#include "domain/staff.h"

static struct actor actor_of(const struct api_req *r)
{
	struct actor a = { r->who.staff_id, r->who.role, r->who.email, r->request_id };
	return a;
}

/* Answer status with the staff member's JSON, Location (location non-NULL) and ETag (a GET
 * with a matching If-None-Match is a 304, as for every record). */
static void render_staff(struct api_req *r, int status, const struct staff *st, const char *location)
{
	api_render_record(r, status, domain_staff_to_json(st), st->version, location);
}

/* Fill in from body: strings for email, name, role, password; team string or null;
 * active boolean. Unknown keys and wrong types are field errors. */
static void read_input(json_t *body, const char *const *allowed, struct domain_staff_input *in, struct kp_err *err)
{
	memset(in, 0, sizeof(*in));
	in->active = -1;
	const char *k;
	json_t *v;
	json_object_foreach(body, k, v)
	{
		int ok = 0;
		for (const char *const *a = allowed; *a; a++)
			ok |= !strcmp(*a, k);
		if (!ok) {
			kp_err_field(err, k, "is not a known field");
		} else if (!strcmp(k, "active")) {
			if (!json_is_boolean(v))
				kp_err_field(err, k, "must be true or false");
			else
				in->active = json_is_true(v);
		} else if (!strcmp(k, "team") && json_is_null(v)) {
			in->team_null = 1;
		} else if (!json_is_string(v)) {
			kp_err_field(err, k, "must be a string");
		} else {
			const char *s = json_string_value(v);
			if (!strcmp(k, "email"))
				in->email = s;
			else if (!strcmp(k, "name"))
				in->name = s;
			else if (!strcmp(k, "role"))
				in->role = s;
			else if (!strcmp(k, "team"))
				in->team = s;
			else if (!strcmp(k, "password"))
				in->password = s;
		}
	}
}

/* ---- GET /api/v1/staff ---------------------------------------------------------------------- */

static const char *const staff_sorts[] = {"id", "name", "created_at", "updated_at", NULL};
static const int staff_sort_col[] = {STORE_SORT_ID, STORE_SORT_NAME, STORE_SORT_CREATED, STORE_SORT_UPDATED};

/* As every list: limit, sort, updated_after (an incremental sync) and the opaque cursor of
 * api/cursor.h, problems with the bad parameters named in errors[] */
int api_staff_list(struct api_req *r)
{
	struct kp_err err = KP_ERR_INIT;
	struct staff_filter f = {0};
	struct store_page pg = {0};
	struct staff_list list = {0};
	const char *sort_given;
	int si;
	/* `|`, not `||`: check every parameter and report all that are bad at once */
	if (api_q_limit(r, &pg.limit, &err) | api_q_sort(r, staff_sorts, "id", &si, &pg.desc, &sort_given, &err) |
	    api_q_time(r, "updated_after", API_TIME_GT, &f.updated_after, &err))
		return api_fail_err(r, &err);
	pg.sort = staff_sort_col[si];
	if (api_q_cursor(r, sort_given, &pg, &err))
		return api_fail_err(r, &err);
	struct store_conn *c = store_reader(r->srv->store, &err);
	if (!c || store_staff_list(c, &f, &pg, &list, r->arena, &err) != 0)
		return api_fail_err(r, &err);
	json_t *items = json_array();
	for (size_t i = 0; i < list.n; i++)
		json_array_append_new(items, domain_staff_to_json(&list.items[i]));
	const char *next = NULL;
	if (list.more && list.n) {
		const struct staff *last = &list.items[list.n - 1];
		next = api_cursor_next(
		    r, sort_given, api_sort_key(r, pg.sort, last->name, last->created_at, last->updated_at, last->id),
		    last->id);
	}
	return api_render_page(r, items, next);
}

/* ---- POST /api/v1/staff ----------------------------------------------------------------------- */

static int create_run(struct store_conn *c, struct api_req *r, struct kp_err *err)
{
	struct staff *st = r->write_ctx;
	struct actor who = actor_of(r);
	int rc = domain_staff_insert(c, &who, st, err);
	if (rc != 0)
		return rc;
	render_staff(r, 201, st, arena_printf(r->arena, "/api/v1/staff/%" PRId64, st->id));
	return 0;
}

int api_staff_create(struct api_req *r)
{
	struct kp_err err = KP_ERR_INIT;
	json_t *body = api_body_object(r);
	if (!body)
		return API_DONE;
	int res = API_DONE;
	static const char *const keys[] = { "email", "name", "role", "team", "password", "active", NULL };
	struct domain_staff_input in;
	read_input(body, keys, &in, &err);
	if (in.team_null)
		in.team = NULL;
	struct staff *st = arena_calloc(r->arena, sizeof(*st));
	/* Type errors first; only then validate (and hash, which is slow). */
	if (err.status != 0 || domain_staff_prepare(&in, st, r->arena, &err) != 0) {
		api_problem(r, &err);
		goto out;
	}
	/* no Idempotency-Key: its fingerprint would be a fast hash of the password (a retry
	 * meets the e-mail address taken: 409) */
	r->idempotency_key = NULL;
	res = api_write(r, create_run, st);
out:
	json_decref(body);
	return res;
}

/* ---- GET /api/v1/staff/{id} ------------------------------------------------------------------- */

int api_staff_get(struct api_req *r)
{
	struct kp_err err = KP_ERR_INIT;
	int64_t id = api_param_id(r, 0);
	struct store_conn *c = store_reader(r->srv->store, &err);
	struct staff st;
	if (!c || store_staff_get(c, id, &st, r->arena, &err) != 0) {
		if (err.status == KP_ENOTFOUND)
			snprintf(err.msg, sizeof(err.msg), "no staff member %" PRId64, id);
		api_problem(r, &err);
		return API_DONE;
	}
	render_staff(r, 200, &st, NULL);
	return API_DONE;
}

/* ---- PATCH /api/v1/staff/{id} ----------------------------------------------------------------- */

struct update_ctx {
	int64_t id;
	struct validate_precond pre; /* If-Match, If-None-Match */
	struct domain_staff_change ch;
};

static int update_run(struct store_conn *c, struct api_req *r, struct kp_err *err)
{
	api_auth_changed(r); /* role, active, e-mail, password...: cached principals, see api.h */
	struct update_ctx *u = r->write_ctx;
	struct actor who = actor_of(r);
	struct staff st;
	int rc = domain_staff_apply(c, &who, u->id, &u->ch, &u->pre, &st, r->arena, err);
	if (rc == KP_ENOTFOUND)
		snprintf(err->msg, sizeof(err->msg), "no staff member %" PRId64, u->id);
	if (rc != 0)
		return rc;
	render_staff(r, 200, &st, NULL);
	return 0;
}

int api_staff_update(struct api_req *r)
{
	struct kp_err err = KP_ERR_INIT;
	struct validate_precond pre;
	if (api_precond(r, &pre, &err))
		return api_fail_err(r, &err);
	json_t *body = api_body_object(r);
	if (!body)
		return API_DONE;
	int res = API_DONE;
	static const char *const keys[] = { "name", "role", "team", "active", "password", "email", NULL };
	struct domain_staff_input in;
	read_input(body, keys, &in, &err);
	struct update_ctx *u = arena_calloc(r->arena, sizeof(*u));
	u->id = api_param_id(r, 0);
	u->pre = pre;
	if (err.status != 0 || domain_staff_change_prepare(&in, &u->ch, r->arena, &err) != 0) {
		api_problem(r, &err);
		goto out;
	}
	res = api_write(r, update_run, u);
out:
	json_decref(body);
	return res;
}
