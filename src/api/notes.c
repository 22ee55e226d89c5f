/*
 * notes: /api/v1/notes/{id} and the note lists and creates of customers and
 * organisations. Rules in domain/note.c, JSON from note_json().
 */
#include <inttypes.h>

#include "api/cursor.h"
#include "api/handlers.h"
#include "api/render.h"
#include "domain/note.h"

#define NOTES_SORT "-created_at"

int api_notes_page(struct api_req *r, int64_t customer_id, int64_t org_id)
{
	struct kp_err err = KP_ERR_INIT;
	struct store_page pg = {.sort = STORE_SORT_CREATED, .desc = 1};
	struct note_list list = {0};
	if (api_q_limit(r, &pg.limit, &err) || api_q_cursor(r, NOTES_SORT, &pg, &err))
		return api_fail_err(r, &err);
	struct store_conn *c = store_reader(r->srv->store, &err);
	if (!c)
		return api_fail_err(r, &err);
	if (store_note_list(c, customer_id, org_id, &pg, &list, r->arena, &err))
		return api_fail_err(r, &err);
	json_t *items = json_array();
	for (size_t i = 0; i < list.n; i++)
		json_array_append_new(items, note_json(&list.items[i]));
	const char *next = NULL;
	if (list.more && list.n) {
		const struct note *last = &list.items[list.n - 1];
		next = api_cursor_encode(r->arena, NOTES_SORT, arena_printf(r->arena, "%" PRId64, last->created_at),
		                         last->id);
	}
	return api_render_page(r, items, next);
}

static int run_create(struct store_conn *c, struct api_req *r, struct kp_err *err)
{
	struct api_write_ctx *w = r->write_ctx;
	struct actor who = api_actor(r);
	struct note *n = arena_calloc(r->arena, sizeof *n);
	json_t *body = api_write_ctx_body(w);
	n->customer_id = w->id;
	n->org_id = w->id2;
	int rc = note_apply(n, body, 1, err);
	if (!rc)
		rc = note_create(c, &who, n, r->arena, err);
	if (!rc)
		api_render_record(r, 201, note_json(n), n->version,
		                  arena_printf(r->arena, "/api/v1/notes/%" PRId64, n->id));
	json_decref(body);
	return rc;
}

int api_notes_create_for(struct api_req *r, int64_t customer_id, int64_t org_id)
{
	struct kp_err err = KP_ERR_INIT;
	json_t *body = api_body_object(r);
	if (!body)
		return API_DONE;
	struct note scratch = {0};
	if (note_apply(&scratch, body, 1, &err)) {
		json_decref(body);
		return api_fail_err(r, &err);
	}
	struct api_write_ctx *w = api_write_ctx_new(r, body);
	w->id = customer_id;
	w->id2 = org_id;
	return api_write_start(r, run_create, w);
}

int api_notes_get(struct api_req *r)
{
	struct kp_err err = KP_ERR_INIT;
	struct note n;
	int64_t id = api_param_id(r, 0);
	if (!id)
		return api_fail(r, KP_ENOTFOUND, "no such note");
	struct store_conn *c = store_reader(r->srv->store, &err);
	if (!c)
		return api_fail_err(r, &err);
	int rc = store_note_get(c, id, &n, r->arena, &err);
	if (rc == KP_ENOTFOUND)
		return api_fail(r, KP_ENOTFOUND, "note %" PRId64 " does not exist", id);
	if (rc)
		return api_fail_err(r, &err);
	return api_render_record(r, 200, note_json(&n), n.version, NULL);
}

static int run_update(struct store_conn *c, struct api_req *r, struct kp_err *err)
{
	struct api_write_ctx *w = r->write_ctx;
	struct actor who = api_actor(r);
	struct note n;
	json_t *body = api_write_ctx_body(w);
	int rc = note_update(c, &who, w->id, body, w->if_version, &n, r->arena, err);
	if (!rc)
		api_render_record(r, 200, note_json(&n), n.version, NULL);
	json_decref(body);
	return rc;
}

int api_notes_update(struct api_req *r)
{
	struct kp_err err = KP_ERR_INIT;
	int64_t id = api_param_id(r, 0);
	if (!id)
		return api_fail(r, KP_ENOTFOUND, "no such note");
	json_t *body = api_body_object(r);
	if (!body)
		return API_DONE;
	struct note scratch = {0};
	if (note_apply(&scratch, body, 0, &err)) {
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
	int rc = note_delete(c, &who, w->id, w->if_version, r->arena, err);
	if (!rc)
		api_render_empty(r);
	return rc;
}

int api_notes_delete(struct api_req *r)
{
	int64_t id = api_param_id(r, 0);
	if (!id)
		return api_fail(r, KP_ENOTFOUND, "no such note");
	struct api_write_ctx *w = api_write_ctx_new(r, NULL);
	w->id = id;
	w->if_version = api_if_match(r);
	return api_write_start(r, run_delete, w);
}
