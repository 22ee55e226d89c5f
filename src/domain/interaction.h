/*
 * interaction: one entry on a customer's timeline - a call, e-mail, meeting, chat, visit,
 * purchase, sms, social post or note, inbound or outbound, on a channel, by a staff member,
 * with a summary and a body, at occurred_at.
 *
 * interaction_apply() validates a JSON body (loop thread); interaction_build() completes
 * the record inside the store job just before the insert (organisation from the customer,
 * staff and time defaults) and is the one place where ingest-time text analysis (issue 3:
 * analysis_json, abusive: inbound and outbound texts alike, masked where shown; only an
 * inbound one is an incident) belongs; interaction_create() = build + insert + audit.
 * Strings written into a struct interaction come from the arena or are borrowed from the
 * JSON body, which must outlive the write; json_t arguments are borrowed.
 */
#ifndef KP_DOMAIN_INTERACTION_H
#define KP_DOMAIN_INTERACTION_H

#include <jansson.h>

#include "domain/domain.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/err.h"

#define INTERACTION_CHANNEL_MAX 50                   /* characters */
#define INTERACTION_FUTURE_MS   (24 * 3600 * 1000LL) /* occurred_at at most a day ahead */

extern const char *const interaction_kinds[];      /* NULL-terminated */
extern const char *const interaction_directions[]; /* NULL-terminated */

/* Apply a body: kind and direction required on create; channel, staff_id, summary, body,
 * occurred_at optional; customer_id required on create when with_customer_id (POST
 * /interactions), never accepted otherwise (it comes from the path or cannot change). */
int interaction_apply(struct interaction *it, json_t *body, int creating, int with_customer_id, struct arena *a,
                      struct kp_err *err);
/* id, customer_id, organization_id, staff_id, kind, direction, channel, summary, body,
 * occurred_at, abusive, analysis, version, created_at, updated_at. */
json_t *interaction_json(const struct interaction *it);
/* Complete it before insert: the customer must exist and not be merged (KP_ENOTFOUND),
 * org_id from the customer, staff_id defaults to the actor (and must exist), occurred_at
 * defaults to now and may not be more than a day ahead. */
int interaction_build(struct store_conn *c, const struct actor *who, struct interaction *it, struct arena *a,
                      struct kp_err *err);
int interaction_create(struct store_conn *c, const struct actor *who, struct interaction *it, struct arena *a,
                       struct kp_err *err);

/*
 * The create path split between the threads (POST .../interactions):
 *   loop thread  interaction_prepare()          parse result checked (interaction_apply),
 *                                               strings copied into the arena, text analysis
 *                                               (protect_interaction_analyze_sorted: the stored
 *                                               analysis and its sorted-key form for the
 *                                               audit, both written without a jansson tree)
 *   writer (job) interaction_create_prepared()  interaction_build (the customer's own row:
 *                                               live, organisation, flags, name; staff,
 *                                               defaults, routing), insert (the search entry
 *                                               takes the name just read), incident, audit
 *                                               (changes rendered into a buffer, no tree)
 *   writer       interaction_render_created()   the answer, straight into the response body
 * Nothing in the prep refers to the JSON body or to anything but the arena, which lives
 * as long as the request (parked while its job runs), so the writer may read it freely.
 */
struct interaction_prep {
	struct interaction it;       /* customer_id 0 until the caller sets it (path id) */
	const char *analysis_sorted; /* it.analysis_json dumped with JSON_SORT_KEYS, or NULL */
};
int interaction_prepare(struct interaction_prep *p, json_t *body, int with_customer_id, struct arena *a,
                        struct kp_err *err);
int interaction_create_prepared(struct store_conn *c, const struct actor *who, struct interaction_prep *p,
                                struct arena *a, struct kp_err *err);
/* json_dumps(interaction_json(it), JSON_COMPACT) appended to b, without the tree: 0, or -1
 * when too large. _created: for a record made by interaction_create*, whose analysis_json
 * is known to be jansson's compact dump (copied verbatim). */
int interaction_render(const struct interaction *it, struct buf *b);
int interaction_render_created(const struct interaction *it, struct buf *b);
/* pre: If-Match / If-None-Match (NULL = unchecked; KP_EPRECONDITION when they fail, see
 * validate_precond_check()). */
int interaction_update(struct store_conn *c, const struct actor *who, int64_t id, json_t *body,
                       const struct validate_precond *pre, struct interaction *out, struct arena *a,
                       struct kp_err *err);
int interaction_delete(struct store_conn *c, const struct actor *who, int64_t id, const struct validate_precond *pre,
                       struct arena *a, struct kp_err *err);
/* The audit entry of interaction it deleted (its words included; with_customer: the
 * customer whose delete took it, else 0). */
/* Its changes as the entry stores them (JSON_COMPACT | JSON_SORT_KEYS text, malloc'd; NULL:
 * none, as when the tree could not be made): for writers of many entries at once
 * (customer_delete, through store_audit_insert_set). */
char *interaction_deleted_changes(const struct interaction *it, int64_t with_customer);
int interaction_audit_deleted(struct store_conn *c, const struct actor *who, const struct interaction *it,
                              int64_t with_customer, struct kp_err *err);

#endif
