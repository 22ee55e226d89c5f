/*
 * render: what the record handlers (customers, organisations, notes, interactions, fields,
 * search, audit) share between the request and the domain: the actor of a request,
 * ETag / If-Match / If-None-Match, query parameters for lists (limit, sort, ids, times,
 * cursors), answering with one record or a page of records, and the write context handed
 * to api_write().
 *
 * Each record type's JSON form is made by exactly one function in the domain
 * (customer_json, org_json, note_json, interaction_json, field_def_json), used for single
 * records, lists and write answers alike.
 *
 * JSON ownership: api_render_record and api_render_page take (steal) the reference they
 * are given.
 */
#ifndef KP_API_RENDER_H
#define KP_API_RENDER_H

#include <jansson.h>
#include <stdint.h>

#include "api/api.h"
#include "domain/domain.h"
#include "domain/validate.h"

#define API_LIST_DEFAULT 50
#define API_LIST_MAX     200

struct api_resource; /* api/resource.h */

/* What a write handler hands to its run function through api_write(). Lives in the
 * request arena and holds no references: the run function parses body_text again
 * (api_write_ctx_body), so nothing leaks when api_write() answers without running it
 * (an Idempotency-Key replay, a closing store). */
struct api_write_ctx {
	const char *body_text; /* the request body as compact JSON (arena), or NULL */
	int64_t id, id2;       /* path id; a second id (merge source, note's customer...) */
	struct validate_precond pre;    /* If-Match and If-None-Match (api_resource_ctx()); zeroed = none */
	const struct api_resource *res; /* the resource of an api_resource_* write, or NULL */
	/* issue 3: an inbound interaction's text analysis, made on the loop thread before the
	 * write is queued (domain/protect.h); analysed = 0 when none was made. */
	const char *analysis_json; /* arena, or NULL */
	int abusive, analysed;
	/* A record checked (and analysed) on the loop thread for the run function, in the
	 * request arena, or NULL (e.g. struct interaction_prep for an interaction's create).
	 * Safe to read on the writer: the request is parked until the job's done(). */
	void *rec;
};

/* The actor of a request (for domain writes and the audit). */
struct actor api_actor(struct api_req *r);

/* An If-Match or If-None-Match field value (NULL: absent) as the versions of ours it names,
 * into *out (RFC 9110 13.1.1, 13.1.2). "*" alone names any version. Otherwise the value is a
 * list of entity tags, "N" naming version N as api_set_etag() writes it (no sign, no leading
 * zero), and with weak set (If-None-Match compares weakly) W/"N" too; a weak tag when weak is
 * 0 (If-Match compares strongly) or another server's tag names nothing. Empty elements are
 * skipped, so an empty value is present and names nothing (an If-Match of it fails: 412).
 * A value that is not "*" or such a list (a bare 5, "*" inside a list, an unclosed quote)
 * names nothing at all: no part of malformed input is read as a tag. Returns 0, or -1 when
 * the list names more than VALIDATE_ETAGS_MAX distinct versions (*out is then incomplete:
 * the caller must refuse the request, as api_precond() does). */
int api_etags_parse(const char *value, int weak, struct validate_etags *out);
/* A write's If-Match and If-None-Match, parsed into *pre (api_etags_parse()) for the domain
 * to check on the writer against the record it reads there. 0, or KP_EINVAL (400) in err
 * naming the field when a list is over the cap (refused rather than read in part). */
int api_precond(struct api_req *r, struct validate_precond *pre, struct kp_err *err);
/* Does If-None-Match name this version (or "*")? Weak comparison, every tag of the list
 * compared (no cap: nothing is carried). Malformed: no. */
int api_if_none_match(struct api_req *r, int64_t version);
void api_set_etag(struct api_req *r, int64_t version);

/* Render a problem from err and return API_DONE. */
int api_fail_err(struct api_req *r, const struct kp_err *err);
/* A 404 for a merged customer: the problem with "merged_into": id added. */
int api_fail_merged(struct api_req *r, const struct kp_err *err, int64_t merged_into);

/* Answer one record: status, ETag (version > 0), Location (location non-NULL), body j
 * (stolen). On a GET or HEAD of a record with an ETag (status 200, version > 0): 412 when
 * If-Match names another version, else 304 without a body when If-None-Match names this one.
 * Returns API_DONE. */
int api_render_record(struct api_req *r, int status, json_t *j, int64_t version, const char *location);
/* api_render_record for a record rendered straight into the response body (no json_t):
 * render(rec, body) appends its JSON and returns 0, -1 when too large or another negative
 * value when it cannot render it (a 500 either way). */
int api_render_record_with(struct api_req *r, int status, int (*render)(const void *rec, struct buf *b),
                           const void *rec, int64_t version, const char *location);
/* Answer {"items": items, "next_cursor": cursor or null}; items is stolen. */
int api_render_page(struct api_req *r, json_t *items, const char *next_cursor);
/* api_render_page for n records of `size` bytes each at recs, each rendered straight into
 * the response body by render() (as for api_render_record_with). */
int api_render_page_with(struct api_req *r, int (*render)(const void *rec, struct buf *b), const void *recs,
                         size_t size, size_t n, const char *next_cursor);
/* 204 No Content. */
int api_render_empty(struct api_req *r);

/* Query parameters. Each returns 0, or a negative status with a field error in err
 * (status KP_EINVAL: a bad query is a 400 with the parameter named). */
int api_q_limit(struct api_req *r, int *limit, struct kp_err *err);
int api_q_id(struct api_req *r, const char *name, int64_t *id, struct kp_err *err);   /* absent: 0 */
/* How a time parameter bounds the times it filters: API_TIME_GE_OR_LT takes times at or after it
 * (from, since) or before it (to: an exclusive upper bound); API_TIME_GT takes times after
 * it (updated_after). */
enum api_time_bound { API_TIME_GE_OR_LT, API_TIME_GT };
/* An RFC 3339 time, or a plain date YYYY-MM-DD as the first instant of that day in the server's
 * time zone (time_zone()), as the millisecond that selects exactly the stored times (whole
 * milliseconds) the time itself selects: a fraction finer than a millisecond rounds up for
 * API_TIME_GE_OR_LT (">= 10:00:00.0001" and "< 10:00:00.0001" are ">= .001" and "< .001") and
 * down for API_TIME_GT ("> 10:00:00.0009" is "> .000"). Absent: 0. Recorded for the
 * list's scope (api_scope_param) as that millisecond. */
int api_q_time(struct api_req *r, const char *name, enum api_time_bound bound, int64_t *ms, struct kp_err *err);
/* The bound ms of time filter name as an answer echoes it (RFC 3339, null for 0): the epoch
 * asked for is held as 1 (0 is "absent", see api_q_time()) and shown as the epoch again, not as
 * .001Z. The caller owns the new reference. */
json_t *api_q_time_json(struct api_req *r, const char *name, int64_t ms);
/* ?sort= among allowed names (each also with a leading '-'); absent: def. Sets *sort to the
 * index in names and *desc. */
int api_q_sort(struct api_req *r, const char *const *names, const char *def, int *sort, int *desc, const char **given,
               struct kp_err *err);
/* ?cursor= for `sort`: has_after 0 when absent; a bad cursor is KP_EINVAL. */
int api_q_cursor(struct api_req *r, const char *sort, struct store_page *pg, struct kp_err *err);
/* The next_cursor of r's list after the item with sort key `key` and id (arena), bound to the
 * list's sort and scope (api_list_scope()): api_q_cursor() takes it back only on the same
 * list. */
char *api_cursor_next(struct api_req *r, const char *sort, const char *key, int64_t id);
/* ?q= as a name prefix (customers, organisations): trimmed into *prefix (arena); absent:
 * *prefix untouched. Not 1 to VALIDATE_NAME_MAX characters: KP_EVALIDATION with a field
 * error on "q" only (the caller decides the status: a filter that can match nothing is a
 * 400). */
int api_q_name_prefix(struct api_req *r, const char **prefix, struct kp_err *err);
/* ?NAME= as a team name (trimmed, 1 to 100 characters, one line; arena); absent: *team
 * untouched. A bad one is KP_EINVAL with a field error naming NAME. */
int api_q_team(struct api_req *r, const char *name, const char **team, struct kp_err *err);
/* ?custom[KEY]=VALUE filters of a list of entity's records ("customer", "organization"):
 * read against the entity's field definitions (field_match_parse()) into *out (arena; *n of
 * them, at most STORE_CUSTOM_MATCH_MAX). None given: *n = 0 and no store read. A bad one is
 * KP_EINVAL with a field error naming it; a store failure its own status. */
int api_q_custom(struct api_req *r, const char *entity, const struct custom_match **out, size_t *n, struct kp_err *err);
/* The keyset value a cursor carries for a record listed by sort (STORE_SORT_NAME, _CREATED,
 * _UPDATED; anything else sorts by id): the name, or the time or id in decimal (arena). */
const char *api_sort_key(struct api_req *r, int sort, const char *name, int64_t created_at, int64_t updated_at,
                         int64_t id);
/* Start a write: set r->write_ctx and call api_write(). */
int api_write_start(struct api_req *r, int (*run)(struct store_conn *c, struct api_req *r, struct kp_err *err),
                    struct api_write_ctx *ctx);
/* A new write context in the request arena; body (may be NULL) is serialised into it and
 * its reference released (stolen). */
struct api_write_ctx *api_write_ctx_new(struct api_req *r, json_t *body);
/* The body again as a new reference (an empty object when there was none); the caller
 * releases it with json_decref. */
json_t *api_write_ctx_body(const struct api_write_ctx *w);

/* Shared list and create code of the timeline and of notes (api/interactions.c and
 * api/notes.c), used by the customer and organisation routes. */
/* sortable: ?sort= is read (GET /interactions); else the timeline's order, newest first. */
int api_interactions_page(struct api_req *r, struct interaction_filter *f, int sortable);
/* A list filtered by ?customer_id=id (0: none): -1 to go on, or API_DONE with a 404 naming
 * the survivor when id was merged into another customer (as its timeline answers); an id no
 * customer has goes on, to list nothing, as any filter that matches nothing. */
int api_customer_filter(struct api_req *r, int64_t id);
int api_interactions_create_for(struct api_req *r, int64_t customer_id);
int api_notes_page(struct api_req *r, int64_t customer_id, int64_t org_id);
int api_notes_create_for(struct api_req *r, int64_t customer_id, int64_t org_id);

#endif
