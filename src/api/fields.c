/*
 * fields: /api/v1/fields - custom field definitions. Rules in domain/field.c, JSON from
 * field_def_json().
 */
#include <inttypes.h>
#include <string.h>

#include "api/handlers.h"
#include "api/render.h"
#include "domain/field.h"

int api_fields_list(struct api_req *r)
{
	struct kp_err err = KP_ERR_INIT;
	struct field_def_list list = {0};
	const char *entity = api_query(r, "entity");
	if (entity && strcmp(entity, "customer") != 0 && strcmp(entity, "organization") != 0) {
		kp_err_set(&err, KP_EINVAL, "invalid query parameter entity");
		kp_err_field(&err, "entity", "must be customer or organization");
		return api_fail_err(r, &err);
	}
	struct store_conn *c = store_reader(r->srv->store, &err);
	if (!c)
		return api_fail_err(r, &err);
	if (store_field_list(c, entity, &list, r->arena, &err))
		return api_fail_err(r, &err);
	json_t *items = json_array();
	for (size_t i = 0; i < list.n; i++)
		json_array_append_new(items, field_def_json(&list.items[i]));
	return api_render_page(r, items, NULL);
}

int api_fields_get(struct api_req *r)
{
	struct kp_err err = KP_ERR_INIT;
	struct field_def fd;
	int64_t id = api_param_id(r, 0);
	if (!id)
		return api_fail(r, KP_ENOTFOUND, "no such field");
	struct store_conn *c = store_reader(r->srv->store, &err);
	if (!c)
		return api_fail_err(r, &err);
	int rc = store_field_get(c, id, &fd, r->arena, &err);
	if (rc == KP_ENOTFOUND)
		return api_fail(r, KP_ENOTFOUND, "field %" PRId64 " does not exist", id);
	if (rc)
		return api_fail_err(r, &err);
	return api_render_record(r, 200, field_def_json(&fd), fd.version, NULL);
}

static int run_create(struct store_conn *c, struct api_req *r, struct kp_err *err)
{
	struct api_write_ctx *w = r->write_ctx;
	struct actor who = api_actor(r);
	struct field_def *fd = arena_calloc(r->arena, sizeof *fd);
	json_t *body = api_write_ctx_body(w);
	int rc = field_def_apply(fd, body, 1, r->arena, err);
	if (!rc)
		rc = field_create(c, &who, fd, err);
	if (!rc)
		api_render_record(r, 201, field_def_json(fd), fd->version,
		                  arena_printf(r->arena, "/api/v1/fields/%" PRId64, fd->id));
	json_decref(body);
	return rc;
}

int api_fields_create(struct api_req *r)
{
	struct kp_err err = KP_ERR_INIT;
	json_t *body = api_body_object(r);
	if (!body)
		return API_DONE;
	struct field_def scratch = {0};
	if (field_def_apply(&scratch, body, 1, r->arena, &err)) {
		json_decref(body);
		return api_fail_err(r, &err);
	}
	return api_write_start(r, run_create, api_write_ctx_new(r, body));
}

static int run_update(struct store_conn *c, struct api_req *r, struct kp_err *err)
{
	struct api_write_ctx *w = r->write_ctx;
	struct actor who = api_actor(r);
	struct field_def fd;
	json_t *body = api_write_ctx_body(w);
	int rc = field_update(c, &who, w->id, body, w->if_version, &fd, r->arena, err);
	if (!rc)
		api_render_record(r, 200, field_def_json(&fd), fd.version, NULL);
	json_decref(body);
	return rc;
}

int api_fields_update(struct api_req *r)
{
	int64_t id = api_param_id(r, 0);
	if (!id)
		return api_fail(r, KP_ENOTFOUND, "no such field");
	json_t *body = api_body_object(r);
	if (!body)
		return API_DONE;
	struct api_write_ctx *w = api_write_ctx_new(r, body);
	w->id = id;
	w->if_version = api_if_match(r);
	return api_write_start(r, run_update, w);
}

static int run_delete(struct store_conn *c, struct api_req *r, struct kp_err *err)
{
	struct api_write_ctx *w = r->write_ctx;
	struct actor who = api_actor(r);
	int rc = field_delete(c, &who, w->id, w->if_version, r->arena, err);
	if (!rc)
		api_render_empty(r);
	return rc;
}

int api_fields_delete(struct api_req *r)
{
	int64_t id = api_param_id(r, 0);
	if (!id)
		return api_fail(r, KP_ENOTFOUND, "no such field");
	struct api_write_ctx *w = api_write_ctx_new(r, NULL);
	w->id = id;
	w->if_version = api_if_match(r);
	return api_write_start(r, run_delete, w);
}
