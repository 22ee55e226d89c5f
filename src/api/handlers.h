/*
 * handlers: the route handlers named in api/routes.c. Each takes the request, answers in
 * r->resp and returns API_DONE, or hands a write to api_write() and returns API_DEFERRED.
 */
#ifndef KP_API_HANDLERS_H
#define KP_API_HANDLERS_H

#include "api/api.h"

api_handler_fn api_health_live;
api_handler_fn api_health_ready;
api_handler_fn api_metrics;
api_handler_fn api_openapi;
api_handler_fn api_session_create;
api_handler_fn api_session_get;
api_handler_fn api_session_delete;
api_handler_fn api_session_password;
api_handler_fn api_staff_list;
api_handler_fn api_staff_create;
api_handler_fn api_staff_get;
api_handler_fn api_staff_update;
api_handler_fn api_tokens_list;
api_handler_fn api_tokens_create;
api_handler_fn api_tokens_revoke;
api_handler_fn api_orgs_list;
api_handler_fn api_orgs_create;
api_handler_fn api_orgs_get;
api_handler_fn api_orgs_update;
api_handler_fn api_orgs_delete;
api_handler_fn api_orgs_timeline;
api_handler_fn api_orgs_notes_list;
api_handler_fn api_orgs_notes_create;
api_handler_fn api_customers_list;
api_handler_fn api_customers_create;
api_handler_fn api_customers_get;
api_handler_fn api_customers_update;
api_handler_fn api_customers_delete;
api_handler_fn api_customers_merge;
api_handler_fn api_customers_erase;
api_handler_fn api_customers_timeline;
api_handler_fn api_customers_interactions_create;
api_handler_fn api_customers_notes_list;
api_handler_fn api_customers_notes_create;
api_handler_fn api_notes_get;
api_handler_fn api_notes_update;
api_handler_fn api_notes_delete;
api_handler_fn api_interactions_list;
api_handler_fn api_interactions_create;
api_handler_fn api_interactions_get;
api_handler_fn api_interactions_update;
api_handler_fn api_interactions_delete;
api_handler_fn api_fields_list;
api_handler_fn api_fields_create;
api_handler_fn api_fields_get;
api_handler_fn api_fields_update;
api_handler_fn api_fields_delete;
api_handler_fn api_search;
api_handler_fn api_audit_list;

/* staff protection and text analysis (api/wellbeing.c, api/text.c; issue 3) */
api_handler_fn api_wellbeing_notifications_list;
api_handler_fn api_wellbeing_notifications_ack;
api_handler_fn api_wellbeing_exposure;
api_handler_fn api_wellbeing_customers;
api_handler_fn api_wellbeing_customers_unflag;
api_handler_fn api_wellbeing_policy_get;
api_handler_fn api_wellbeing_policy_put;
api_handler_fn api_text_analyze;
api_handler_fn api_text_tone_check;
api_handler_fn api_text_corrections_create;
api_handler_fn api_text_corrections_list;
/* insights (api/insights.c; issue 3) */
api_handler_fn api_insights_topics;
/* For GET /api/v1/interactions/{id}: does the request ask for ?reveal=1 (1 for "1" / "true",
 * 0 when absent, "0" or "false", -1 for any other value: a 400), and the audited answer with
 * the interaction unmasked (a write: the audit entry is durable first). */
int api_protect_wants_reveal(struct api_req *r);
int api_protect_reveal(struct api_req *r, int64_t id);
/* A list whose hidden words ?reveal=1 shows (the audit log, the corrections): page(c, r,
 * reveal, err) renders one page and, when reveal, audits each entry it uncovers. With
 * ?reveal=1 it runs as a write on the writer (the audit entries are durable before the
 * answer), else on a reader. The caller checks the query first. Returns API_DONE or a write
 * started. */
typedef int api_reveal_page_fn(struct store_conn *c, struct api_req *r, int reveal, struct kp_err *err);
int api_protect_list(struct api_req *r, api_reveal_page_fn *page);

#endif
