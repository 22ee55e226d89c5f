/*
 * routes: every HTTP route of the server, in one greppable table (fossil's JsonPageDefs,
 * git's commands[]). The same table drives dispatch (api/dispatch.c), the role matrix test
 * and the OpenAPI check (tests/integration). Keep it grouped by resource.
 */
#include "api/handlers.h"
#include "store/model.h"

#define R(m, p, h, role, s) { m, p, h, role, s }

const struct api_route api_routes[] = {
	R("GET", "/healthz", api_health_live, ROLE_NONE, "Liveness: the process answers"),
	R("GET", "/readyz", api_health_ready, ROLE_NONE, "Readiness: the store is reachable"),
	R("GET", "/metrics", api_metrics, ROLE_NONE, "Prometheus metrics"),
	R("GET", "/api/v1/openapi.json", api_openapi, ROLE_NONE, "This API's OpenAPI 3.1 description"),
	R("POST", "/api/v1/session", api_session_create, ROLE_NONE, "Sign in with e-mail and password (sets the session cookie)"),
	R("GET", "/api/v1/session", api_session_get, ROLE_AGENT, "The signed-in staff member and the CSRF token"),
	R("DELETE", "/api/v1/session", api_session_delete, ROLE_AGENT, "Sign out (ends this session)"),
	R("POST", "/api/v1/session/password", api_session_password, ROLE_AGENT, "Change own password (ends other sessions)"),
	R("GET", "/api/v1/staff", api_staff_list, ROLE_MANAGER, "List staff"),
	R("POST", "/api/v1/staff", api_staff_create, ROLE_ADMIN, "Create a staff account"),
	R("GET", "/api/v1/staff/{id}", api_staff_get, ROLE_MANAGER, "One staff member"),
	R("PATCH", "/api/v1/staff/{id}", api_staff_update, ROLE_ADMIN, "Change e-mail, name, role, team, active, password"),
	R("GET", "/api/v1/tokens", api_tokens_list, ROLE_AGENT, "Own API tokens (admins: ?staff_id=)"),
	R("POST", "/api/v1/tokens", api_tokens_create, ROLE_AGENT, "Create an API token (shown once)"),
	R("DELETE", "/api/v1/tokens/{id}", api_tokens_revoke, ROLE_AGENT, "Revoke an API token"),
	R("GET", "/api/v1/organizations", api_orgs_list, ROLE_AGENT, "List organisations"),
	R("POST", "/api/v1/organizations", api_orgs_create, ROLE_AGENT, "Create an organisation"),
	R("GET", "/api/v1/organizations/{id}", api_orgs_get, ROLE_AGENT, "One organisation"),
	R("PATCH", "/api/v1/organizations/{id}", api_orgs_update, ROLE_AGENT, "Update an organisation (If-Match)"),
	R("DELETE", "/api/v1/organizations/{id}", api_orgs_delete, ROLE_MANAGER, "Delete an organisation without customers"),
	R("GET", "/api/v1/organizations/{id}/timeline", api_orgs_timeline, ROLE_AGENT, "Interactions of the organisation's customers, newest first"),
	R("GET", "/api/v1/organizations/{id}/notes", api_orgs_notes_list, ROLE_AGENT, "Notes on an organisation"),
	R("POST", "/api/v1/organizations/{id}/notes", api_orgs_notes_create, ROLE_AGENT, "Add a note to an organisation"),
	R("GET", "/api/v1/customers", api_customers_list, ROLE_AGENT, "List customers (filter, sort, cursor)"),
	R("POST", "/api/v1/customers", api_customers_create, ROLE_AGENT, "Create a customer"),
	R("GET", "/api/v1/customers/{id}", api_customers_get, ROLE_AGENT, "One customer"),
	R("PATCH", "/api/v1/customers/{id}", api_customers_update, ROLE_AGENT, "Update a customer (If-Match)"),
	R("DELETE", "/api/v1/customers/{id}", api_customers_delete, ROLE_MANAGER, "Delete a customer and its history"),
	R("POST", "/api/v1/customers/{id}/merge", api_customers_merge, ROLE_MANAGER, "Merge another customer into this one"),
	R("POST", "/api/v1/customers/{id}/erase", api_customers_erase, ROLE_ADMIN, "Erase a customer's personal data (GDPR art. 17), also once deleted"),
	R("GET", "/api/v1/customers/{id}/timeline", api_customers_timeline, ROLE_AGENT, "The customer's interactions, newest first"),
	R("POST", "/api/v1/customers/{id}/interactions", api_customers_interactions_create, ROLE_AGENT, "Record an interaction on the customer's timeline"),
	R("GET", "/api/v1/customers/{id}/notes", api_customers_notes_list, ROLE_AGENT, "Notes on a customer"),
	R("POST", "/api/v1/customers/{id}/notes", api_customers_notes_create, ROLE_AGENT, "Add a note to a customer"),
	R("GET", "/api/v1/notes/{id}", api_notes_get, ROLE_AGENT, "One note"),
	R("PATCH", "/api/v1/notes/{id}", api_notes_update, ROLE_AGENT, "Edit a note (If-Match)"),
	R("DELETE", "/api/v1/notes/{id}", api_notes_delete, ROLE_AGENT, "Delete a note"),
	R("GET", "/api/v1/interactions", api_interactions_list, ROLE_AGENT, "List interactions (filter by customer, staff, kind, time)"),
	R("POST", "/api/v1/interactions", api_interactions_create, ROLE_AGENT, "Record an interaction"),
	R("GET", "/api/v1/interactions/{id}", api_interactions_get, ROLE_AGENT, "One interaction"),
	R("PATCH", "/api/v1/interactions/{id}", api_interactions_update, ROLE_AGENT, "Update an interaction (If-Match)"),
	R("DELETE", "/api/v1/interactions/{id}", api_interactions_delete, ROLE_MANAGER, "Delete an interaction"),
	R("GET", "/api/v1/fields", api_fields_list, ROLE_AGENT, "Custom field definitions"),
	R("POST", "/api/v1/fields", api_fields_create, ROLE_ADMIN, "Define a custom field"),
	R("GET", "/api/v1/fields/{id}", api_fields_get, ROLE_AGENT, "One custom field definition"),
	R("PATCH", "/api/v1/fields/{id}", api_fields_update, ROLE_ADMIN, "Change a custom field definition (If-Match)"),
	R("DELETE", "/api/v1/fields/{id}", api_fields_delete, ROLE_ADMIN, "Delete a custom field definition"),
	R("GET", "/api/v1/search", api_search, ROLE_AGENT, "Full-text search over customers, organisations, interactions and notes"),
	R("GET", "/api/v1/audit", api_audit_list, ROLE_MANAGER, "The audit log, newest first"),
	/* wellbeing: staff protection (issue 3) */
	R("GET", "/api/v1/wellbeing/notifications", api_wellbeing_notifications_list, ROLE_MANAGER, "Abuse incident notifications, newest first"),
	R("POST", "/api/v1/wellbeing/notifications/{id}/ack", api_wellbeing_notifications_ack, ROLE_MANAGER, "Acknowledge an incident notification"),
	R("GET", "/api/v1/wellbeing/exposure", api_wellbeing_exposure, ROLE_AGENT, "Abusive messages received per staff member and team over time (agents: their own)"),
	R("GET", "/api/v1/wellbeing/customers", api_wellbeing_customers, ROLE_MANAGER, "Customers with repeated abuse incidents"),
	R("POST", "/api/v1/wellbeing/customers/{id}/unflag", api_wellbeing_customers_unflag, ROLE_MANAGER, "Clear a customer's abusive flag (audited)"),
	R("GET", "/api/v1/wellbeing/policy", api_wellbeing_policy_get, ROLE_MANAGER, "The staff-protection policy"),
	R("PUT", "/api/v1/wellbeing/policy", api_wellbeing_policy_put, ROLE_ADMIN, "Change the staff-protection policy"),
	/* insights: what customers talk about (issue 3) */
	R("GET", "/api/v1/insights/topics", api_insights_topics, ROLE_MANAGER, "Topics of complaints: terms over-represented in negative inbound texts"),
	/* text: analysis for staff (issue 3) */
	R("POST", "/api/v1/text/analyze", api_text_analyze, ROLE_AGENT, "Analyse a text: language, sentiment, abuse with spans, topics"),
	R("POST", "/api/v1/text/tone-check", api_text_tone_check, ROLE_AGENT, "Check the tone of a reply before sending it"),
	R("POST", "/api/v1/text/corrections", api_text_corrections_create, ROLE_AGENT, "Correct an analysis result (retrains the learned layer)"),
	R("GET", "/api/v1/text/corrections", api_text_corrections_list, ROLE_MANAGER, "Analysis corrections, oldest first"),
};

const size_t api_nroutes = sizeof(api_routes) / sizeof(api_routes[0]);
