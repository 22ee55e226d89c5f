/*
 * fields: /api/v1/fields - custom field definitions. Rules in domain/field.c, JSON from
 * field_def_json().
 */
#include <string.h>

#include "api/handlers.h"
#include "api/render.h"
#include "api/resource.h"
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

/* A new definition is checked on the loop thread; a patch only in the job, against the
 * stored definition. */
static int check_body(struct api_req *r, json_t *body, int create, int64_t parent_id, struct kp_err *err)
{
	struct field_def scratch = {0};
	return create ? field_def_apply(&scratch, body, 1, r->arena, err) : 0;
}

static int get_field(struct store_conn *c, struct api_req *r, int64_t id, struct kp_err *err)
{
	struct field_def fd;
	int rc = store_field_get(c, id, &fd, r->arena, err);
	if (!rc)
		api_render_record(r, 200, field_def_json(&fd), fd.version, NULL);
	return rc;
}

static int create_field(struct store_conn *c, struct api_req *r, const struct actor *who,
                        const struct api_write_ctx *w, json_t *body, struct kp_err *err)
{
	struct field_def *fd = arena_calloc(r->arena, sizeof *fd);
	int rc = field_def_apply(fd, body, 1, r->arena, err);
	if (!rc)
		rc = field_create(c, who, fd, err);
	if (!rc)
		api_render_record(r, 201, field_def_json(fd), fd->version, api_resource_location(r, w->res, fd->id));
	return rc;
}

static int update_field(struct store_conn *c, struct api_req *r, const struct actor *who,
                        const struct api_write_ctx *w, json_t *body, struct kp_err *err)
{
	struct field_def fd;
	int rc = field_update(c, who, w->id, body, &w->pre, &fd, r->arena, err);
	if (!rc)
		api_render_record(r, 200, field_def_json(&fd), fd.version, NULL);
	return rc;
}

static const struct api_resource field_resource = {
    .noun = "field",
    .path = "/api/v1/fields",
    .check = check_body,
    .get = get_field,
    .create = create_field,
    .update = update_field,
    .del = field_delete,
};

int api_fields_get(struct api_req *r)
{
	return api_resource_get(r, &field_resource);
}

int api_fields_create(struct api_req *r)
{
	return api_resource_create(r, &field_resource, 0, 0);
}

int api_fields_update(struct api_req *r)
{
	return api_resource_update(r, &field_resource);
}

int api_fields_delete(struct api_req *r)
{
	return api_resource_delete(r, &field_resource);
}
