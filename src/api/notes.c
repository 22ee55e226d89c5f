/*
 * notes: /api/v1/notes/{id} and the note lists and creates of customers and
 * organisations. Rules in domain/note.c, JSON from note_json(). A note is shown as staff see
 * an outbound message: its abusive spans masked (a note that repeats a customer's abuse),
 * ?reveal=1 on a single GET showing the original, audited.
 */
#include <inttypes.h>
#include <string.h>

#include "api/cursor.h"
#include "api/handlers.h"
#include "api/render.h"
#include "api/resource.h"
#include "domain/note.h"
#include "domain/protect.h"

#define NOTES_SORT "-created_at"

/* A note as staff see it: abusive spans masked, the analysis beside them reduced. */
static json_t *masked_json(const struct note *n, struct arena *a)
{
	struct note view = *n;
	protect_mask_note(&view, a);
	return note_json(&view);
}

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
		json_array_append_new(items, masked_json(&list.items[i], r->arena));
	const char *next = NULL;
	if (list.more && list.n) {
		const struct note *last = &list.items[list.n - 1];
		next = api_cursor_next(r, NOTES_SORT, arena_printf(r->arena, "%" PRId64, last->created_at), last->id);
	}
	return api_render_page(r, items, next);
}

static int check_body(struct api_req *r, json_t *body, int create, int64_t parent_id, struct kp_err *err)
{
	struct note scratch = {0};
	return note_apply(&scratch, body, create, err);
}

static int get_note(struct store_conn *c, struct api_req *r, int64_t id, struct kp_err *err)
{
	struct note n;
	int rc = store_note_get(c, id, &n, r->arena, err);
	if (!rc)
		api_render_record(r, 200, masked_json(&n, r->arena), n.version, NULL);
	return rc;
}

/* On the customer w->id or the organisation w->id2. */
static int create_note(struct store_conn *c, struct api_req *r, const struct actor *who, const struct api_write_ctx *w,
                       json_t *body, struct kp_err *err)
{
	struct note *n = arena_calloc(r->arena, sizeof *n);
	n->customer_id = w->id;
	n->org_id = w->id2;
	int rc = note_apply(n, body, 1, err);
	if (!rc)
		rc = note_create(c, who, n, r->arena, err);
	if (!rc)
		api_render_record(r, 201, masked_json(n, r->arena), n->version,
		                  api_resource_location(r, w->res, n->id));
	return rc;
}

static int update_note(struct store_conn *c, struct api_req *r, const struct actor *who, const struct api_write_ctx *w,
                       json_t *body, struct kp_err *err)
{
	struct note n;
	int rc = note_update(c, who, w->id, body, &w->pre, &n, r->arena, err);
	if (!rc)
		api_render_record(r, 200, masked_json(&n, r->arena), n.version, NULL);
	return rc;
}

static const struct api_resource note_resource = {
    .noun = "note",
    .path = "/api/v1/notes",
    .check = check_body,
    .get = get_note,
    .create = create_note,
    .update = update_note,
    .del = note_delete,
};

int api_notes_create_for(struct api_req *r, int64_t customer_id, int64_t org_id)
{
	return api_resource_create(r, &note_resource, customer_id, org_id);
}

/* GET ?reveal=1: the note as written, on the writer, its reveal audited as an interaction's is
 * (api_protect_reveal) when something was hidden. */
static int run_reveal(struct store_conn *c, struct api_req *r, struct kp_err *err)
{
	struct api_write_ctx *w = r->write_ctx;
	struct actor who = api_actor(r);
	struct note n;
	int rc = store_note_get(c, w->id, &n, r->arena, err);
	if (rc == KP_ENOTFOUND)
		return kp_err_set(err, KP_ENOTFOUND, "note %" PRId64 " does not exist", w->id);
	if (rc)
		return rc;
	if (n.abusive && strcmp(r->method, "HEAD") != 0) {
		json_t *changes = json_pack("{sb}", "abusive", 1);
		rc = domain_audit(c, &who, "reveal", "note", n.id, changes, err);
		json_decref(changes);
		if (rc)
			return rc;
	}
	/* no ETag: another representation than the masked one (see api_protect_reveal) */
	api_render_record(r, 200, note_json(&n), 0, NULL);
	return 0;
}

int api_notes_get(struct api_req *r)
{
	int reveal = api_protect_wants_reveal(r);
	if (reveal < 0)
		return api_fail(r, KP_EINVAL, "reveal must be 1, true, 0 or false");
	if (reveal) {
		int64_t id = api_param_id(r, 0);
		if (!id)
			return api_fail(r, KP_ENOTFOUND, "no such note");
		struct api_write_ctx *w = api_write_ctx_new(r, NULL);
		w->id = id;
		return api_write_start(r, run_reveal, w);
	}
	return api_resource_get(r, &note_resource);
}

int api_notes_update(struct api_req *r)
{
	return api_resource_update(r, &note_resource);
}

int api_notes_delete(struct api_req *r)
{
	return api_resource_delete(r, &note_resource);
}
