/*
 * customers: /api/v1/customers - list, create, get, update, delete, merge, and the
 * customer's timeline, interactions and notes. Parse and check the request here, decide in
 * domain/customer.c, render with customer_render() (straight into the response body) or,
 * where a json_t is needed, customer_json().
 */
#include <inttypes.h>
#include <string.h>

#include "api/cursor.h"
#include "api/handlers.h"
#include "api/render.h"
#include "api/resource.h"
#include "domain/customer.h"
#include "domain/erase.h"
#include "domain/protect.h"
#include "domain/validate.h"

static const char *const customer_sorts[] = {"id", "name", "created_at", "updated_at", NULL};
static const int customer_sort_col[] = {STORE_SORT_ID, STORE_SORT_NAME, STORE_SORT_CREATED, STORE_SORT_UPDATED};

/* customer_render for api_render_record_with / api_render_page_with */
static int render_customer(const void *cu, struct buf *b)
{
	return customer_render(cu, b);
}

int api_customers_list(struct api_req *r)
{
	struct kp_err err = KP_ERR_INIT;
	struct customer_filter f = {0};
	struct store_page pg = {0};
	struct customer_list list = {0};
	const char *sort_given, *s, *norm;
	int si;
	/* `|`, not `||`: check every parameter and report all that are bad at once */
	if (api_q_limit(r, &pg.limit, &err) | api_q_sort(r, customer_sorts, "id", &si, &pg.desc, &sort_given, &err) |
	    api_q_id(r, "organization_id", &f.org_id, &err) | api_q_id(r, "owner_id", &f.owner_id, &err) |
	    api_q_time(r, "updated_after", API_TIME_GT, &f.updated_after, &err))
		return api_fail_err(r, &err);
	pg.sort = customer_sort_col[si];
	if ((s = api_query(r, "tag"))) {
		if (validate_tag(r->arena, "tag", s, &norm, &err))
			goto bad;
		f.tag = norm;
		api_scope_param(r, "tag", norm);
	}
	if ((s = api_query(r, "email"))) {
		if (validate_email(r->arena, "email", s, &norm, &err))
			goto bad;
		f.email = norm;
		api_scope_param(r, "email", norm);
	}
	if ((s = api_query(r, "phone"))) {
		if (validate_phone(r->arena, "phone", s, &norm, &err))
			goto bad;
		f.phone = norm;
		api_scope_param(r, "phone", norm);
	}
	if (api_q_name_prefix(r, &f.name_prefix, &err))
		goto bad;
	/* ?flagged=true: the customers the staff-protection policy flagged (a routed team's list);
	 * false: those it did not */
	if ((s = api_query(r, "flagged"))) {
		if (!strcmp(s, "true") || !strcmp(s, "1")) {
			f.flags = CUSTOMER_FLAG_ABUSIVE;
		} else if (!strcmp(s, "false") || !strcmp(s, "0")) {
			f.flags_clear = CUSTOMER_FLAG_ABUSIVE;
		} else {
			kp_err_field(&err, "flagged", "must be true or false");
			goto bad;
		}
		api_scope_param(r, "flagged", f.flags ? "1" : "0");
	}
	if (api_q_cursor(r, sort_given, &pg, &err) || api_q_custom(r, "customer", &f.custom, &f.ncustom, &err))
		return api_fail_err(r, &err);

	struct store_conn *c = store_reader(r->srv->store, &err);
	if (!c)
		return api_fail_err(r, &err);
	if (store_customer_list(c, &f, &pg, &list, r->arena, &err))
		return api_fail_err(r, &err);
	const char *next = NULL;
	if (list.more && list.n) {
		const struct customer *last = &list.items[list.n - 1];
		next = api_cursor_next(
		    r, sort_given, api_sort_key(r, pg.sort, last->name, last->created_at, last->updated_at, last->id),
		    last->id);
	}
	return api_render_page_with(r, render_customer, list.items, sizeof *list.items, list.n, next);
bad:
	/* a filter value that cannot match anything well-formed: a 400 naming it */
	err.status = KP_EINVAL;
	return api_fail_err(r, &err);
}

/* Read customer id on the loop thread: -1 when it exists and is not merged (*cu filled),
 * else API_DONE with the problem rendered (a merged one's names its successor). */
static int read_customer(struct api_req *r, int64_t id, struct customer *cu)
{
	struct kp_err err = KP_ERR_INIT;
	int64_t merged = 0;
	if (!id)
		return api_fail(r, KP_ENOTFOUND, "no such customer");
	struct store_conn *c = store_reader(r->srv->store, &err);
	if (!c)
		return api_fail_err(r, &err);
	if (customer_get_live(c, id, cu, &merged, r->arena, &err))
		return merged ? api_fail_merged(r, &err, merged) : api_fail_err(r, &err);
	return -1;
}

int api_customers_get(struct api_req *r)
{
	struct customer cu;
	int rc = read_customer(r, api_param_id(r, 0), &cu);
	if (rc != -1)
		return rc;
	if (cu.flags & CUSTOMER_FLAG_ABUSIVE) { /* issue 3: decorated with the routing team */
		struct kp_err err = KP_ERR_INIT;
		json_t *j = customer_json(&cu);
		protect_customer_decorate(store_reader(r->srv->store, &err), &cu, j, r->arena);
		return api_render_record(r, 200, j, cu.version, NULL);
	}
	/* the common case: rendered straight into the response body */
	return api_render_record_with(r, 200, render_customer, &cu, cu.version, NULL);
}

/* The request's own shape, on the loop thread; the job applies it again (to the row it
 * reads, for an update). */
static int check_body(struct api_req *r, json_t *body, int create, int64_t parent_id, struct kp_err *err)
{
	struct customer scratch = {.name = create ? NULL : "x"};
	json_t *patch;
	return customer_apply(&scratch, body, create, r->arena, &patch, err);
}

static int create_customer(struct store_conn *c, struct api_req *r, const struct actor *who,
                           const struct api_write_ctx *w, json_t *body, struct kp_err *err)
{
	struct customer *cu = arena_calloc(r->arena, sizeof *cu);
	json_t *patch;
	int rc = customer_apply(cu, body, 1, r->arena, &patch, err);
	if (!rc)
		rc = customer_create(c, who, cu, patch, r->arena, err);
	if (!rc)
		api_render_record_with(r, 201, render_customer, cu, cu->version, api_resource_location(r, w->res, cu->id));
	return rc;
}

static int update_customer(struct store_conn *c, struct api_req *r, const struct actor *who,
                           const struct api_write_ctx *w, json_t *body, struct kp_err *err)
{
	struct customer cu;
	int rc = customer_update(c, who, w->id, body, &w->pre, &cu, r->arena, err);
	if (!rc)
		api_render_record_with(r, 200, render_customer, &cu, cu.version, NULL);
	return rc;
}

static const struct api_resource customer_resource = {
    .noun = "customer",
    .path = "/api/v1/customers",
    .check = check_body,
    .create = create_customer,
    .update = update_customer,
    .del = customer_delete,
};

int api_customers_create(struct api_req *r)
{
	return api_resource_create(r, &customer_resource, 0, 0);
}

int api_customers_update(struct api_req *r)
{
	return api_resource_update(r, &customer_resource);
}

int api_customers_delete(struct api_req *r)
{
	return api_resource_delete(r, &customer_resource);
}

static int run_merge(struct store_conn *c, struct api_req *r, struct kp_err *err)
{
	struct api_write_ctx *w = r->write_ctx;
	struct actor who = api_actor(r);
	struct customer cu;
	int rc = customer_merge(c, &who, w->id, w->id2, &w->pre, &cu, r->arena, err);
	if (!rc) {
		api_render_record_with(r, 200, render_customer, &cu, cu.version, NULL);
		r->idem_subject = arena_printf(r->arena, "/api/v1/customers/%" PRId64, cu.id);
	}
	return rc;
}

int api_customers_merge(struct api_req *r)
{
	static const char *const keys[] = {"from", NULL};
	struct kp_err err = KP_ERR_INIT;
	int64_t id = api_param_id(r, 0), from = 0;
	if (!id)
		return api_fail(r, KP_ENOTFOUND, "no such customer");
	json_t *body = api_body_object(r);
	if (!body)
		return API_DONE;
	int rc = validate_known_keys(body, keys, &err);
	json_t *v = json_object_get(body, "from");
	if (!v)
		rc = kp_err_field(&err, "from", "is required");
	else if (validate_id("from", v, &from, &err))
		rc = KP_EVALIDATION;
	json_decref(body);
	if (rc)
		return api_fail_err(r, &err);
	struct api_write_ctx *w = api_resource_ctx(r, NULL, id);
	if (!w)
		return API_DONE;
	w->id2 = from;
	return api_write_start(r, run_merge, w);
}

static int run_erase(struct store_conn *c, struct api_req *r, struct kp_err *err)
{
	struct api_write_ctx *w = r->write_ctx;
	struct actor who = api_actor(r);
	struct erase_report e;
	int rc = customer_erase(c, &who, w->id, &e, r->arena, err);
	if (rc)
		return rc;
	r->model_changed = e.corrections_erased > 0; /* retrained once committed (erase.h) */
	json_t *j = json_pack("{sI sb sb sI sI sI sI s{sI sI sI}}", "customer_id", (json_int_t)e.customer_id, "changed",
	                      e.changed, "deleted", e.deleted, "audit_entries_redacted", (json_int_t)e.entries_redacted,
	                      "tombstones_erased", (json_int_t)e.tombstones_erased, "incidents_detached",
	                      (json_int_t)e.notifications_detached, "corrections_erased",
	                      (json_int_t)e.corrections_erased, "covered", "customers", (json_int_t)e.ncustomers,
	                      "notes", (json_int_t)e.nnotes, "interactions", (json_int_t)e.ninteractions);
	if (!j)
		return kp_err_set(err, KP_ENOMEM, "out of memory");
	api_render_record(r, 200, j, 0, NULL);
	return 0;
}

/* POST /customers/{id}/erase with an empty JSON object ({}): an action on the customer as a
 * merge is (a DELETE would answer 404 for a customer deleted earlier, whose audit entries are
 * what is left to erase, and its role is a manager's). It takes no If-Match or If-None-Match
 * (400). */
int api_customers_erase(struct api_req *r)
{
	int64_t id = api_param_id(r, 0);
	if (!id)
		return api_fail(r, KP_ENOTFOUND, "no such customer");
	if (!api_body_empty(r))
		return API_DONE;
	/* An erasure removes whatever is stored of the customer, deleted or not, so there is no
	 * version to compare: a precondition is refused rather than ignored. */
	if (r->if_match || r->if_none_match)
		return api_fail(r, KP_EINVAL,
		                "erase takes no If-Match or If-None-Match: it erases the customer "
		                "whatever its version, and also once deleted");
	struct api_write_ctx *w = api_write_ctx_new(r, NULL);
	w->id = id;
	return api_write_start(r, run_erase, w);
}

int api_customer_filter(struct api_req *r, int64_t id)
{
	struct kp_err err = KP_ERR_INIT;
	struct customer cu;
	int64_t merged = 0;
	if (!id)
		return -1;
	struct store_conn *c = store_reader(r->srv->store, &err);
	if (!c)
		return api_fail_err(r, &err);
	int rc = customer_get_live(c, id, &cu, &merged, r->arena, &err);
	if (rc && merged)
		return api_fail_merged(r, &err, merged);
	if (rc && rc != KP_ENOTFOUND)
		return api_fail_err(r, &err);
	return -1;
}

/* The customer must exist (and not be merged) for its sub-resources: -1 when it does. */
static int require_customer(struct api_req *r, int64_t id)
{
	struct customer cu;
	return read_customer(r, id, &cu);
}

int api_customers_timeline(struct api_req *r)
{
	int64_t id = api_param_id(r, 0);
	int rc = require_customer(r, id);
	if (rc != -1)
		return rc;
	struct interaction_filter f = {.customer_id = id};
	return api_interactions_page(r, &f, 0);
}

int api_customers_interactions_create(struct api_req *r)
{
	int64_t id = api_param_id(r, 0);
	if (!id)
		return api_fail(r, KP_ENOTFOUND, "no such customer");
	return api_interactions_create_for(r, id);
}

int api_customers_notes_list(struct api_req *r)
{
	int64_t id = api_param_id(r, 0);
	int rc = require_customer(r, id);
	if (rc != -1)
		return rc;
	return api_notes_page(r, id, 0);
}

int api_customers_notes_create(struct api_req *r)
{
	int64_t id = api_param_id(r, 0);
	if (!id)
		return api_fail(r, KP_ENOTFOUND, "no such customer");
	return api_notes_create_for(r, id, 0);
}
