/*
 * orgs: /api/v1/organizations - list, create, get, update, delete, the organisation's
 * timeline and notes. Rules in domain/org.c, JSON from org_json().
 */
#include <inttypes.h>
#include <string.h>

#include "api/cursor.h"
#include "api/handlers.h"
#include "api/render.h"
#include "domain/org.h"
#include "domain/validate.h"

static const char *const org_sorts[] = {"id", "name", "created_at", "updated_at", NULL};
static const int org_sort_col[] = {STORE_SORT_ID, STORE_SORT_NAME, STORE_SORT_CREATED, STORE_SORT_UPDATED};

static const char *sort_key(struct api_req *r, const struct organization *o, int sort)
{
	switch (sort) {
	case STORE_SORT_NAME: return o->name;
	case STORE_SORT_CREATED: return arena_printf(r->arena, "%" PRId64, o->created_at);
	case STORE_SORT_UPDATED: return arena_printf(r->arena, "%" PRId64, o->updated_at);
	default: return arena_printf(r->arena, "%" PRId64, o->id);
	}
}

int api_orgs_list(struct api_req *r)
{
	struct kp_err err = KP_ERR_INIT;
	struct org_filter f = {0};
	struct store_page pg = {0};
	struct org_list list = {0};
	const char *sort_given, *s, *norm;
	int si;
	/* `|`, not `||`: check every parameter and report all that are bad at once */
	if (api_q_limit(r, &pg.limit, &err) | api_q_sort(r, org_sorts, "id", &si, &pg.desc, &sort_given, &err) |
	    api_q_id(r, "owner_id", &f.owner_id, &err))
		return api_fail_err(r, &err);
	pg.sort = org_sort_col[si];
	if ((s = api_query(r, "tag"))) {
		if (validate_tag(r->arena, "tag", s, &norm, &err))
			goto bad;
		f.tag = norm;
	}
	if ((s = api_query(r, "business_id"))) {
		if (validate_business_id("business_id", s, &err))
			goto bad;
		f.business_id = s;
	}
	if ((s = api_query(r, "q"))) {
		char *t = validate_trim(r->arena, s);
		if (!*t || validate_utf8_chars(t) > VALIDATE_NAME_MAX) {
			kp_err_field(&err, "q", "must be 1 to %d characters", VALIDATE_NAME_MAX);
			goto bad;
		}
		f.name_prefix = t;
	}
	if (api_q_cursor(r, sort_given, &pg, &err))
		return api_fail_err(r, &err);
	struct store_conn *c = store_reader(r->srv->store, &err);
	if (!c)
		return api_fail_err(r, &err);
	if (store_org_list(c, &f, &pg, &list, r->arena, &err))
		return api_fail_err(r, &err);
	json_t *items = json_array();
	for (size_t i = 0; i < list.n; i++)
		json_array_append_new(items, org_json(&list.items[i]));
	const char *next = NULL;
	if (list.more && list.n) {
		const struct organization *last = &list.items[list.n - 1];
		next = api_cursor_encode(r->arena, sort_given, sort_key(r, last, pg.sort), last->id);
	}
	return api_render_page(r, items, next);
bad:
	err.status = KP_EINVAL;
	return api_fail_err(r, &err);
}

/* Read organisation id on the loop thread; API_DONE with a problem rendered, or 0. */
static int read_org(struct api_req *r, int64_t id, struct organization *o)
{
	struct kp_err err = KP_ERR_INIT;
	if (!id) {
		api_fail(r, KP_ENOTFOUND, "no such organization");
		return -1;
	}
	struct store_conn *c = store_reader(r->srv->store, &err);
	int rc = c ? store_org_get(c, id, o, r->arena, &err) : err.status;
	if (rc == KP_ENOTFOUND) {
		api_fail(r, KP_ENOTFOUND, "organization %" PRId64 " does not exist", id);
		return -1;
	}
	if (rc) {
		api_problem(r, &err);
		return -1;
	}
	return 0;
}

int api_orgs_get(struct api_req *r)
{
	struct organization o;
	if (read_org(r, api_param_id(r, 0), &o))
		return API_DONE;
	return api_render_record(r, 200, org_json(&o), o.version, NULL);
}

static int run_create(struct store_conn *c, struct api_req *r, struct kp_err *err)
{
	struct api_write_ctx *w = r->write_ctx;
	struct actor who = api_actor(r);
	struct organization *o = arena_calloc(r->arena, sizeof *o);
	json_t *body = api_write_ctx_body(w), *patch;
	int rc = org_apply(o, body, 1, r->arena, &patch, err);
	if (!rc)
		rc = org_create(c, &who, o, patch, r->arena, err);
	if (!rc)
		api_render_record(r, 201, org_json(o), o->version,
		                  arena_printf(r->arena, "/api/v1/organizations/%" PRId64, o->id));
	json_decref(body);
	return rc;
}

int api_orgs_create(struct api_req *r)
{
	struct kp_err err = KP_ERR_INIT;
	json_t *body = api_body_object(r), *patch;
	if (!body)
		return API_DONE;
	struct organization scratch = {0};
	if (org_apply(&scratch, body, 1, r->arena, &patch, &err)) {
		json_decref(body);
		return api_fail_err(r, &err);
	}
	return api_write_start(r, run_create, api_write_ctx_new(r, body));
}

static int run_update(struct store_conn *c, struct api_req *r, struct kp_err *err)
{
	struct api_write_ctx *w = r->write_ctx;
	struct actor who = api_actor(r);
	struct organization o;
	json_t *body = api_write_ctx_body(w);
	int rc = org_update(c, &who, w->id, body, w->if_version, &o, r->arena, err);
	if (!rc)
		api_render_record(r, 200, org_json(&o), o.version, NULL);
	json_decref(body);
	return rc;
}

int api_orgs_update(struct api_req *r)
{
	struct kp_err err = KP_ERR_INIT;
	int64_t id = api_param_id(r, 0);
	if (!id)
		return api_fail(r, KP_ENOTFOUND, "no such organization");
	json_t *body = api_body_object(r);
	if (!body)
		return API_DONE;
	struct organization scratch = {.name = "x"};
	json_t *patch;
	if (org_apply(&scratch, body, 0, r->arena, &patch, &err)) {
		json_decref(body);
		return api_fail_err(r, &err);
	}
	struct api_write_ctx *w = api_write_ctx_new(r, body);
	w->id = id;
	w->if_version = api_if_match(r);
	return api_write_start(r, run_update, w);
}

static int run_delete(struct store_conn *c, struct api_req *r, struct kp_err *err)
{
	struct api_write_ctx *w = r->write_ctx;
	struct actor who = api_actor(r);
	int rc = org_delete(c, &who, w->id, w->if_version, r->arena, err);
	if (!rc)
		api_render_empty(r);
	return rc;
}

int api_orgs_delete(struct api_req *r)
{
	int64_t id = api_param_id(r, 0);
	if (!id)
		return api_fail(r, KP_ENOTFOUND, "no such organization");
	struct api_write_ctx *w = api_write_ctx_new(r, NULL);
	w->id = id;
	w->if_version = api_if_match(r);
	return api_write_start(r, run_delete, w);
}

int api_orgs_timeline(struct api_req *r)
{
	struct organization o;
	int64_t id = api_param_id(r, 0);
	if (read_org(r, id, &o))
		return API_DONE;
	struct interaction_filter f = {.org_id = id};
	return api_interactions_page(r, &f);
}

int api_orgs_notes_list(struct api_req *r)
{
	struct organization o;
	int64_t id = api_param_id(r, 0);
	if (read_org(r, id, &o))
		return API_DONE;
	return api_notes_page(r, 0, id);
}

int api_orgs_notes_create(struct api_req *r)
{
	int64_t id = api_param_id(r, 0);
	if (!id)
		return api_fail(r, KP_ENOTFOUND, "no such organization");
	return api_notes_create_for(r, 0, id);
}
