/*
 * resource: the one shape the versioned-record routes share (customers, organisations,
 * notes, interactions, fields): GET /{id} with ETag, POST with a loop-thread check of the
 * body, PATCH /{id} and DELETE /{id} with If-Match, each write run in a store job.
 *
 * A resource describes itself once, in a const struct api_resource in its own file
 * (api/<resource>.c); the hooks are the only record-typed code, and the handlers become
 * calls of api_resource_get / _create / _update / _delete with that table. A NULL hook
 * means the resource does not take that path through here (customers and organisations
 * read their records their own way: merged customers, organisation sub-resources).
 *
 * Write hooks run on the store writer inside the job's savepoint. On success they render
 * the answer into r->resp (api_render_record); on error they return the domain's status
 * with err set and render nothing (api_write() renders the problem).
 */
#ifndef KP_API_RESOURCE_H
#define KP_API_RESOURCE_H

#include <jansson.h>
#include <stdint.h>

#include "api/render.h"

struct api_resource {
	const char *noun; /* "customer": 404s say "no such customer", "customer 7 does not exist" */
	const char *path; /* "/api/v1/customers": a created record's Location is path/id */

	/* Loop thread: check the body's own shape before a write is queued (create = 1 for a
	 * POST, 0 for a PATCH; parent_id: the POST's path id, 0 otherwise). 0, or a status
	 * with err set. body is borrowed. NULL: nothing to check before the job. */
	int (*check)(struct api_req *r, json_t *body, int create, int64_t parent_id, struct kp_err *err);
	/* Loop thread, GET: read record id from c and render it (200). 0, or the store's status
	 * with err set and nothing rendered (KP_ENOTFOUND becomes "<noun> <id> does not exist"). */
	int (*get)(struct store_conn *c, struct api_req *r, int64_t id, struct kp_err *err);
	/* Writer, POST: apply body to a new record (parents w->id, w->id2), create it, render
	 * 201 with api_resource_location. body is borrowed. */
	int (*create)(struct store_conn *c, struct api_req *r, const struct actor *who, const struct api_write_ctx *w,
	              json_t *body, struct kp_err *err);
	/* Writer, PATCH: apply body to record w->id under w->pre, render 200. body is
	 * borrowed. */
	int (*update)(struct store_conn *c, struct api_req *r, const struct actor *who, const struct api_write_ctx *w,
	              json_t *body, struct kp_err *err);
	/* Writer, DELETE: the domain's delete (customer_delete and its siblings). */
	int (*del)(struct store_conn *c, const struct actor *who, int64_t id, const struct validate_precond *pre,
	           struct arena *a, struct kp_err *err);
};

/* GET /{id}: a malformed id is "no such <noun>"; reads on the thread's reader through
 * res->get. Returns API_DONE. */
int api_resource_get(struct api_req *r, const struct api_resource *res);
/* POST: the body must be a JSON object passing res->check (create = 1, parent_id); then
 * a store job runs res->create with w->id = parent_id, w->id2 = parent2_id. Returns
 * API_DONE (answered: a bad body) or what api_write() returns. */
int api_resource_create(struct api_req *r, const struct api_resource *res, int64_t parent_id, int64_t parent2_id);
/* PATCH /{id}: id as in GET, body as in POST (create = 0), If-Match and If-None-Match as
 * w->pre (api_precond()); a store job runs res->update. */
int api_resource_update(struct api_req *r, const struct api_resource *res);
/* DELETE /{id}: id as in GET, If-Match and If-None-Match as w->pre; a store job runs
 * res->del and answers 204. */
int api_resource_delete(struct api_req *r, const struct api_resource *res);

/* A write context for record id carrying the request's If-Match and If-None-Match in
 * w->pre (api_precond()), for resource-specific writes (merge); body as api_write_ctx_new
 * (stolen, may be NULL). NULL when the preconditions are refused (400 answered, body
 * released): the handler returns API_DONE. */
struct api_write_ctx *api_resource_ctx(struct api_req *r, json_t *body, int64_t id);
/* res->path/id in the request arena: the Location of a created record. */
char *api_resource_location(struct api_req *r, const struct api_resource *res, int64_t id);

#endif
