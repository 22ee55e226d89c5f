/*
 * orgs: /api/v1/organizations - list, create, get, update, delete, the organisation's
 * timeline and notes. Rules in domain/org.c, JSON from org_json().
 */
#include <inttypes.h>
#include <string.h>

#include "api/cursor.h"
#include "api/handlers.h"
#include "api/render.h"
#include "api/resource.h"
#include "domain/org.h"
#include "domain/validate.h"

static const char *const org_sorts[] = {"id", "name", "created_at", "updated_at", NULL};
static const int org_sort_col[] = {STORE_SORT_ID, STORE_SORT_NAME, STORE_SORT_CREATED, STORE_SORT_UPDATED};

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
	    api_q_id(r, "owner_id", &f.owner_id, &err) |
	    api_q_time(r, "updated_after", API_TIME_GT, &f.updated_after, &err))
		return api_fail_err(r, &err);
	pg.sort = org_sort_col[si];
	if ((s = api_query(r, "tag"))) {
		if (validate_tag(r->arena, "tag", s, &norm, &err))
			goto bad;
		f.tag = norm;
		api_scope_param(r, "tag", norm);
	}
	if ((s = api_query(r, "business_id"))) {
		if (validate_business_id(r->arena, "business_id", s, &norm, &err))
			goto bad;
		f.business_id = norm;
		api_scope_param(r, "business_id", norm);
	}
	if (api_q_name_prefix(r, &f.name_prefix, &err))
		goto bad;
	if (api_q_cursor(r, sort_given, &pg, &err) || api_q_custom(r, "organization", &f.custom, &f.ncustom, &err))
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
		next = api_cursor_next(
		    r, sort_given, api_sort_key(r, pg.sort, last->name, last->created_at, last->updated_at, last->id),
		    last->id);
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

/* The request's own shape, on the loop thread; the job applies it again. */
static int check_body(struct api_req *r, json_t *body, int create, int64_t parent_id, struct kp_err *err)
{
	struct organization scratch = {.name = create ? NULL : "x"};
	json_t *patch;
	/* an update's address merges into the stored one (its country decides the postal code's
	 * form): only the job, which has it, can check it */
	json_t *shape = body;
	if (!create && json_is_object(body) && json_is_object(json_object_get(body, "address"))) {
		if (!(shape = json_copy(body)))
			return kp_err_set(err, KP_ENOMEM, "out of memory");
		json_object_del(shape, "address");
	}
	int rc = org_apply(&scratch, shape, create, r->arena, &patch, err);
	if (shape != body)
		json_decref(shape);
	return rc;
}

static int create_org(struct store_conn *c, struct api_req *r, const struct actor *who, const struct api_write_ctx *w,
                      json_t *body, struct kp_err *err)
{
	struct organization *o = arena_calloc(r->arena, sizeof *o);
	json_t *patch;
	int rc = org_apply(o, body, 1, r->arena, &patch, err);
	if (!rc)
		rc = org_create(c, who, o, patch, r->arena, err);
	if (!rc)
		api_render_record(r, 201, org_json(o), o->version, api_resource_location(r, w->res, o->id));
	return rc;
}

static int update_org(struct store_conn *c, struct api_req *r, const struct actor *who, const struct api_write_ctx *w,
                      json_t *body, struct kp_err *err)
{
	struct organization o;
	int rc = org_update(c, who, w->id, body, &w->pre, &o, r->arena, err);
	if (!rc)
		api_render_record(r, 200, org_json(&o), o.version, NULL);
	return rc;
}

static const struct api_resource org_resource = {
    .noun = "organization",
    .path = "/api/v1/organizations",
    .check = check_body,
    .create = create_org,
    .update = update_org,
    .del = org_delete,
};

int api_orgs_create(struct api_req *r)
{
	return api_resource_create(r, &org_resource, 0, 0);
}

int api_orgs_update(struct api_req *r)
{
	return api_resource_update(r, &org_resource);
}

int api_orgs_delete(struct api_req *r)
{
	return api_resource_delete(r, &org_resource);
}

int api_orgs_timeline(struct api_req *r)
{
	struct organization o;
	int64_t id = api_param_id(r, 0);
	if (read_org(r, id, &o))
		return API_DONE;
	struct interaction_filter f = {.org_id = id};
	return api_interactions_page(r, &f, 0);
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
