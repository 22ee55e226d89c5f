/*
 * interactions: /api/v1/interactions - the timeline entries: list with filters, create,
 * get, update, delete; plus the shared timeline page and create used by the customer and
 * organisation routes. Rules in domain/interaction.c, JSON from interaction_json().
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "api/cursor.h"
#include "api/handlers.h"
#include "api/render.h"
#include "api/resource.h"
#include "domain/interaction.h"
#include "domain/protect.h"
#include "domain/validate.h"

#define TIMELINE_SORT "-occurred_at"

/* GET /interactions?sort=: the timeline's order by default, or by the time of the last change
 * (an incremental sync with updated_after), of the record, or by id */
static const char *const interaction_sorts[] = {"occurred_at", "updated_at", "created_at", "id", NULL};
static const int interaction_sort_col[] = {STORE_SORT_OCCURRED, STORE_SORT_UPDATED, STORE_SORT_CREATED, STORE_SORT_ID};

static char *location_of(struct api_req *r, int64_t id)
{
	return arena_printf(r->arena, "/api/v1/interactions/%" PRId64, id);
}

/* An interaction as staff see it: abusive spans masked (issue 3; ?reveal=1 on a single GET
 * shows the original, audited). */
static json_t *masked_json(const struct interaction *it, struct arena *a)
{
	struct interaction view = *it;
	protect_mask_interaction(&view, a);
	return interaction_json(&view);
}

/* Newest first by occurred_at, then id, or (sortable) as ?sort= says; the cursor carries the
 * sort key and id. */
int api_interactions_page(struct api_req *r, struct interaction_filter *f, int sortable)
{
	struct kp_err err = KP_ERR_INIT;
	struct store_page pg = {.sort = STORE_SORT_OCCURRED, .desc = 1};
	struct interaction_list list = {0};
	const char *sort = TIMELINE_SORT;
	int si = 0;
	/* `|`, not `||`: check every parameter and report all that are bad at once */
	if (api_q_limit(r, &pg.limit, &err) |
	    (sortable ? api_q_sort(r, interaction_sorts, TIMELINE_SORT, &si, &pg.desc, &sort, &err) : 0))
		return api_fail_err(r, &err);
	pg.sort = interaction_sort_col[si];
	if (api_q_cursor(r, sort, &pg, &err))
		return api_fail_err(r, &err);
	struct store_conn *c = store_reader(r->srv->store, &err);
	if (!c)
		return api_fail_err(r, &err);
	if (store_interaction_list(c, f, &pg, &list, r->arena, &err))
		return api_fail_err(r, &err);
	json_t *items = json_array();
	for (size_t i = 0; i < list.n; i++)
		json_array_append_new(items, masked_json(&list.items[i], r->arena));
	const char *next = NULL;
	if (list.more && list.n) {
		const struct interaction *last = &list.items[list.n - 1];
		int64_t key = pg.sort == STORE_SORT_OCCURRED  ? last->occurred_at
		              : pg.sort == STORE_SORT_UPDATED ? last->updated_at
		              : pg.sort == STORE_SORT_CREATED ? last->created_at
		                                              : last->id;
		next = api_cursor_next(r, sort, arena_printf(r->arena, "%" PRId64, key), last->id);
	}
	return api_render_page(r, items, next);
}

int api_interactions_list(struct api_req *r)
{
	struct kp_err err = KP_ERR_INIT;
	struct interaction_filter f = {0};
	const char *s;
	/* `|`, not `||`: check every parameter and report all that are bad at once */
	if (api_q_id(r, "customer_id", &f.customer_id, &err) | api_q_id(r, "organization_id", &f.org_id, &err) |
	    api_q_id(r, "staff_id", &f.staff_id, &err) | api_q_time(r, "from", API_TIME_GE_OR_LT, &f.from, &err) |
	    api_q_time(r, "to", API_TIME_GE_OR_LT, &f.to, &err) |
	    api_q_time(r, "updated_after", API_TIME_GT, &f.updated_after, &err))
		return api_fail_err(r, &err);
	if ((s = api_query(r, "kind"))) {
		if (!validate_one_of(s, interaction_kinds)) {
			kp_err_set(&err, KP_EINVAL, "invalid query parameter kind");
			kp_err_field(&err, "kind",
			             "must be one of call, email, meeting, chat, visit, purchase, sms, social, note");
			return api_fail_err(r, &err);
		}
		f.kind = s;
	}
	if ((s = api_query(r, "direction"))) {
		if (!validate_one_of(s, interaction_directions)) {
			kp_err_set(&err, KP_EINVAL, "invalid query parameter direction");
			kp_err_field(&err, "direction", "must be inbound or outbound");
			return api_fail_err(r, &err);
		}
		f.direction = s;
	}
	/* a team's queue: the messages the staff-protection policy routed to it */
	if (api_q_team(r, "routed_to_team", &f.routed_to_team, &err))
		return api_fail_err(r, &err);
	if (f.from && f.to && f.from > f.to) {
		kp_err_set(&err, KP_EINVAL, "invalid query parameters");
		kp_err_field(&err, "from", "must not be after to");
		return api_fail_err(r, &err);
	}
	int rc = api_customer_filter(r, f.customer_id);
	if (rc != -1)
		return rc;
	return api_interactions_page(r, &f, 1);
}

/* interaction_render_created for api_render_record_with */
static int render_created(const void *it, struct buf *b)
{
	return interaction_render_created(it, b);
}

/* Writer: only what needs the writer's connection (interaction_create_prepared: customer
 * live, staff, routing, insert, incident, audit) and the answer rendered into the body. */
static int run_create(struct store_conn *c, struct api_req *r, struct kp_err *err)
{
	struct api_write_ctx *w = r->write_ctx;
	struct interaction_prep *p = w->rec;
	struct actor who = api_actor(r);
	int rc = interaction_create_prepared(c, &who, p, r->arena, err);
	if (rc == KP_ENOTFOUND && !w->id) {
		/* POST /interactions names its customer in the body: a bad reference there is the
		 * body's error (422 on customer_id), as an unknown organization_id is a customer's;
		 * the path's customer (POST /customers/{id}/interactions) stays a 404 */
		char msg[sizeof err->msg];
		snprintf(msg, sizeof msg, "%s", err->msg);
		kp_err_init(err);
		rc = kp_err_field(err, "customer_id", "%s", msg);
	}
	if (!rc) {
		struct interaction view = p->it;
		protect_mask_interaction(&view, r->arena);
		api_render_record_with(r, 201, render_created, &view, view.version, location_of(r, p->it.id));
	}
	return rc;
}

/* Create on customer_id (0: the body names it). The body is parsed, checked and analysed
 * here, on the loop thread, into an interaction_prep in the request arena; the job gets
 * only that. */
int api_interactions_create_for(struct api_req *r, int64_t customer_id)
{
	struct kp_err err = KP_ERR_INIT;
	json_t *body = api_body_object(r);
	if (!body)
		return API_DONE;
	struct interaction_prep *p = arena_calloc(r->arena, sizeof *p);
	protect_model_ensure(r->srv->store);
	int rc = interaction_prepare(p, body, customer_id == 0, r->arena, &err);
	json_decref(body);
	if (rc)
		return api_fail_err(r, &err);
	if (customer_id)
		p->it.customer_id = customer_id;
	struct api_write_ctx *w = api_write_ctx_new(r, NULL);
	w->id = customer_id;
	w->rec = p;
	w->analysis_json = p->it.analysis_json;
	w->abusive = p->it.abusive;
	w->analysed = 1;
	return api_write_start(r, run_create, w);
}

int api_interactions_create(struct api_req *r)
{
	return api_interactions_create_for(r, 0);
}

int api_interactions_get(struct api_req *r)
{
	struct kp_err err = KP_ERR_INIT;
	struct interaction it;
	int64_t id = api_param_id(r, 0);
	if (!id)
		return api_fail(r, KP_ENOTFOUND, "no such interaction");
	int reveal = api_protect_wants_reveal(r);
	if (reveal < 0)
		return api_fail(r, KP_EINVAL, "reveal must be 1, true, 0 or false");
	if (reveal)
		return api_protect_reveal(r, id);
	struct store_conn *c = store_reader(r->srv->store, &err);
	if (!c)
		return api_fail_err(r, &err);
	int rc = store_interaction_get(c, id, &it, r->arena, &err);
	if (rc == KP_ENOTFOUND)
		return api_fail(r, KP_ENOTFOUND, "interaction %" PRId64 " does not exist", id);
	if (rc)
		return api_fail_err(r, &err);
	return api_render_record(r, 200, masked_json(&it, r->arena), it.version, NULL);
}

/* A patch's own shape, on the loop thread; the job applies it again to the stored row.
 * (Creates are checked and analysed in api_interactions_create_for.) */
static int check_patch(struct api_req *r, json_t *body, int create, int64_t parent_id, struct kp_err *err)
{
	struct interaction scratch = {.kind = "note", .direction = "inbound"};
	return interaction_apply(&scratch, body, 0, 0, r->arena, err);
}

static int update_interaction(struct store_conn *c, struct api_req *r, const struct actor *who,
                              const struct api_write_ctx *w, json_t *body, struct kp_err *err)
{
	struct interaction it;
	int rc = interaction_update(c, who, w->id, body, &w->pre, &it, r->arena, err);
	if (!rc)
		api_render_record(r, 200, masked_json(&it, r->arena), it.version, NULL);
	return rc;
}

/* Only PATCH and DELETE go through the shared path; GET (reveal) and POST (analysis) are
 * above. */
static const struct api_resource interaction_resource = {
    .noun = "interaction",
    .path = "/api/v1/interactions",
    .check = check_patch,
    .update = update_interaction,
    .del = interaction_delete,
};

int api_interactions_update(struct api_req *r)
{
	return api_resource_update(r, &interaction_resource);
}

int api_interactions_delete(struct api_req *r)
{
	return api_resource_delete(r, &interaction_resource);
}
