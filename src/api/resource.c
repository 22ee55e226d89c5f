#include "api/resource.h"

#include <inttypes.h>

/* The store jobs: the actor and the body (a new reference, released here) around the
 * resource's create or update hook. */
static int run_with_body(struct store_conn *c, struct api_req *r, int create, struct kp_err *err)
{
	const struct api_write_ctx *w = r->write_ctx;
	struct actor who = api_actor(r);
	json_t *body = api_write_ctx_body(w);
	int rc = (create ? w->res->create : w->res->update)(c, r, &who, w, body, err);
	json_decref(body);
	return rc;
}

static int run_create(struct store_conn *c, struct api_req *r, struct kp_err *err)
{
	return run_with_body(c, r, 1, err);
}

static int run_update(struct store_conn *c, struct api_req *r, struct kp_err *err)
{
	return run_with_body(c, r, 0, err);
}

static int run_delete(struct store_conn *c, struct api_req *r, struct kp_err *err)
{
	const struct api_write_ctx *w = r->write_ctx;
	struct actor who = api_actor(r);
	int rc = w->res->del(c, &who, w->id, &w->pre, r->arena, err);
	if (!rc)
		api_render_empty(r);
	return rc;
}

/* The request body, checked by res->check; NULL with the problem rendered. */
static json_t *checked_body(struct api_req *r, const struct api_resource *res, int create, int64_t parent_id)
{
	struct kp_err err = KP_ERR_INIT;
	json_t *body = api_body_object(r);
	if (body && res->check && res->check(r, body, create, parent_id, &err)) {
		json_decref(body);
		api_fail_err(r, &err);
		return NULL;
	}
	return body;
}

struct api_write_ctx *api_resource_ctx(struct api_req *r, json_t *body, int64_t id)
{
	struct kp_err err = KP_ERR_INIT;
	struct validate_precond pre;
	if (api_precond(r, &pre, &err)) {
		json_decref(body);
		api_fail_err(r, &err);
		return NULL;
	}
	struct api_write_ctx *w = api_write_ctx_new(r, body);
	w->id = id;
	w->pre = pre;
	return w;
}

char *api_resource_location(struct api_req *r, const struct api_resource *res, int64_t id)
{
	return arena_printf(r->arena, "%s/%" PRId64, res->path, id);
}

int api_resource_get(struct api_req *r, const struct api_resource *res)
{
	struct kp_err err = KP_ERR_INIT;
	int64_t id = api_param_id(r, 0);
	if (!id)
		return api_fail(r, KP_ENOTFOUND, "no such %s", res->noun);
	struct store_conn *c = store_reader(r->srv->store, &err);
	if (!c)
		return api_fail_err(r, &err);
	int rc = res->get(c, r, id, &err);
	if (rc == KP_ENOTFOUND)
		return api_fail(r, KP_ENOTFOUND, "%s %" PRId64 " does not exist", res->noun, id);
	if (rc)
		return api_fail_err(r, &err);
	return API_DONE;
}

int api_resource_create(struct api_req *r, const struct api_resource *res, int64_t parent_id, int64_t parent2_id)
{
	json_t *body = checked_body(r, res, 1, parent_id);
	if (!body)
		return API_DONE;
	struct api_write_ctx *w = api_write_ctx_new(r, body);
	w->id = parent_id;
	w->id2 = parent2_id;
	w->res = res;
	return api_write_start(r, run_create, w);
}

int api_resource_update(struct api_req *r, const struct api_resource *res)
{
	int64_t id = api_param_id(r, 0);
	if (!id)
		return api_fail(r, KP_ENOTFOUND, "no such %s", res->noun);
	json_t *body = checked_body(r, res, 0, 0);
	if (!body)
		return API_DONE;
	struct api_write_ctx *w = api_resource_ctx(r, body, id);
	if (!w)
		return API_DONE;
	w->res = res;
	return api_write_start(r, run_update, w);
}

int api_resource_delete(struct api_req *r, const struct api_resource *res)
{
	int64_t id = api_param_id(r, 0);
	if (!id)
		return api_fail(r, KP_ENOTFOUND, "no such %s", res->noun);
	struct api_write_ctx *w = api_resource_ctx(r, NULL, id);
	if (!w)
		return API_DONE;
	w->res = res;
	return api_write_start(r, run_delete, w);
}
