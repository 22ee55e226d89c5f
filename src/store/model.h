/*
 * model: the records the store keeps, as plain structs shared by the domain and the store
 * backends. The domain validates and normalises them; the store persists them as given.
 *
 * Ownership: on writes the caller owns every string and array it passes in (the store
 * copies what it keeps). On reads every string and array in a returned record is allocated
 * from the arena the caller passed, and lives until that arena is released.
 *
 * Times are int64 milliseconds since the Unix epoch, UTC (util/timeutil.h). An id of 0
 * means "none" (ids start at 1). `version` starts at 1 and grows by one on every update;
 * it is the ETag.
 */
#ifndef KP_STORE_MODEL_H
#define KP_STORE_MODEL_H

#include <stddef.h>
#include <stdint.h>

enum staff_role { ROLE_NONE = 0, ROLE_AGENT = 1, ROLE_MANAGER = 2, ROLE_ADMIN = 3 };

struct staff {
	int64_t id;
	const char *email; /* lower-cased, unique */
	const char *name;
	int role;          /* enum staff_role */
	const char *team;  /* may be NULL */
	const char *pw_hash; /* libsodium Argon2id string; NULL = cannot sign in with a password */
	int must_change_pw;  /* the password is the one-time one printed at first start: a session
	                      * signed in with it may only change it (api/dispatch.c) */
	int active;
	int64_t version, created_at, updated_at;
};

struct api_token {
	int64_t id, staff_id;
	const char *label;
	const char *token_hash; /* hex of a keyed hash of the secret; the secret is never stored */
	int64_t created_at, last_used_at, revoked_at; /* 0 = never */
};

struct session {
	const char *id_hash; /* hex hash of the cookie value */
	int64_t staff_id;
	const char *csrf;    /* CSRF token the browser echoes in X-CSRF-Token */
	int64_t created_at, expires_at;
};

/* A contact point of a customer: kind is "email", "phone" or "address". value is the
 * normalised form (lower-case e-mail, E.164 phone, or for an address a JSON object text
 * {"street":..,"postal_code":..,"city":..,"country":..}). label is free text or NULL. */
struct contact_point {
	int64_t id;
	const char *kind;
	const char *value;
	const char *label;
	int primary;
};

struct organization {
	int64_t id;
	const char *name;
	const char *business_id; /* Finnish Y-tunnus "1234567-1", validated; may be NULL */
	const char *website, *phone, *email; /* may be NULL */
	const char *address_json; /* may be NULL */
	int64_t owner_id;
	const char **tags;
	size_t ntags;
	const char *custom_json; /* object of custom field values, "{}" when none */
	int64_t version, created_at, updated_at;
};

struct customer {
	int64_t id;
	const char *name;
	int64_t org_id;   /* 0 = no organisation */
	int64_t owner_id; /* staff id, 0 = none */
	struct contact_point *contacts;
	size_t ncontacts;
	const char **tags; /* distinct, normalised */
	size_t ntags;
	const char *custom_json; /* object of custom field values, "{}" when none */
	int64_t merged_into;     /* non-zero: this record was merged into that one (tombstone) */
	int flags;               /* enum customer_flag bits */
	int64_t version, created_at, updated_at;
};

enum customer_flag {
	CUSTOMER_FLAG_ABUSIVE = 1, /* repeated abuse incidents: routed to the named team */
};

/* A custom field definition: entity is "customer" or "organization"; type is one of
 * "text", "number", "date", "boolean", "choice"; choices_json a JSON array of strings
 * (for "choice"), else NULL. key is unique per entity. */
struct field_def {
	int64_t id;
	const char *entity;
	const char *key;
	const char *label;
	const char *type;
	const char *choices_json;
	int required;
	int64_t version, created_at, updated_at;
};

/* A note is staff-authored, but often repeats what a customer said: its body is analysed as
 * an outbound interaction's text is (domain/protect.h), masked where shown, and indexed by
 * its masked text. analysis_json: {"v": 1, "abusive": bool, "body": ANALYSIS} (NULL: not
 * analysed yet, a note stored before notes were); abusive: the analysis flagged it;
 * search_body: what search indexes in place of body (the masked text; NULL: body itself). */
struct note {
	int64_t id;
	int64_t customer_id, org_id; /* exactly one is non-zero */
	int64_t author_id;
	const char *body;
	const char *analysis_json;
	int abusive;
	const char *search_body;
	int64_t version, created_at, updated_at;
};

/* One interaction on the timeline. kind: call, email, meeting, chat, visit, purchase, sms,
 * social, note. direction: inbound or outbound. analysis_json: the text analysis of its
 * texts, inbound (the customer's words) and outbound (staff's, which often quote them) alike
 * (NULL when not analysed: an outbound one stored before outbound texts were, or a bulk
 * load's); abusive: the analysis flagged it. */
struct interaction {
	int64_t id;
	int64_t customer_id;
	int64_t org_id; /* the customer's organisation when recorded, 0 if none */
	int64_t staff_id;
	const char *kind, *direction, *channel, *summary, *body;
	const char *analysis_json;
	int abusive;
	/* What search indexes and shows in place of summary / body: the masked text of an abusive
	 * message, so a search can neither find it by its hidden words nor rank it by them (NULL:
	 * the text itself). Set with the analysis (domain/protect.c). */
	const char *search_summary, *search_body;
	int64_t occurred_at, version, created_at, updated_at;
	/* Not stored: the customer's name when the writer has just read it (interaction_build),
	 * so an insert or update need not read it again for the search index; NULL: the
	 * backend reads it. */
	const char *customer_name;
	/* Not stored: on create, "staff_id": null was given (an import, an automatic message: no
	 * staff member), where a staff_id left out means the caller. */
	int staff_none;
};

struct audit_entry {
	int64_t id, at;
	int64_t actor_id;       /* staff id, 0 = system / CLI */
	const char *actor;      /* e-mail or "system" */
	const char *action;     /* "create", "update", "delete", "merge", "signin", "signin_failed", ... */
	const char *entity;     /* "customer", "staff", "session", ... */
	int64_t entity_id;
	const char *request_id; /* may be NULL */
	const char *changes_json; /* JSON object: what changed, or NULL */
	/* When the entry's values were redacted by an erasure (store_audit_redact_set), 0 = never.
	 * The only change an entry ever undergoes: once, and only changes_json. */
	int64_t redacted_at;
};

/* A stored answer to a POST that carried an Idempotency-Key. fingerprint is a hash of
 * method, path and body: the same key with another request is a 409/422, not a replay. */
struct idem_entry {
	const char *key;
	int64_t staff_id;
	const char *fingerprint;
	int status;
	const char *location; /* may be NULL */
	/* The record the answer shows when it has no Location (a merge answers with the customer
	 * merged into, "/api/v1/customers/7"); NULL: none. An erasure forgets the answers whose
	 * location or subject names what it erases (store_idem_forget). Not read back. */
	const char *subject;
	const char *body;
	int64_t created_at;
};

struct search_hit {
	const char *entity; /* "customer", "organization", "interaction", "note" */
	int64_t id;
	int64_t customer_id; /* for interactions and notes; 0 otherwise */
	int64_t org_id;      /* for a note on an organisation; 0 otherwise */
	const char *title;
	const char *snippet;
	double rank; /* lower is better */
	int abusive; /* an interaction or note stored as abusive (indexed and titled by its masked text) */
};

/* ---- staff protection (issue 3; domain/protect.h) -------------------------------------- */

/* An incident: an abusive inbound interaction, for managers to see and acknowledge.
 * staff_id / team: who received it (the interaction's staff member and their team at the
 * time, either may be 0 / NULL); routed_to_team: the policy's team when the customer was
 * already flagged (NULL otherwise); categories_json: the abuse categories present, a JSON
 * array of strings. acked_at / acked_by: 0 until acknowledged. */
struct wellbeing_notification {
	int64_t id;
	int64_t interaction_id, customer_id, staff_id;
	const char *team;
	const char *routed_to_team;
	const char *categories_json;
	int64_t occurred_at, created_at;
	int64_t acked_at, acked_by;
};

/* A staff correction of an analysis result. kind: "abuse" or "sentiment"; label: for abuse
 * "abusive" / "not_abusive", for sentiment "positive" / "negative" / "neutral". text is the
 * text the correction is about (copied from the interaction when interaction_id is set). */
struct text_correction {
	int64_t id;
	int64_t interaction_id; /* 0 = a free text */
	const char *text;
	const char *kind, *label;
	int64_t staff_id;
	int64_t created_at;
};

/* The one staff-protection policy: a customer with incident_threshold incidents within
 * period_days gets CUSTOMER_FLAG_ABUSIVE and their new inbound interactions are routed to
 * route_to_team (NULL = no routing). incident_threshold 0 = never flag. */
struct wellbeing_policy {
	int incident_threshold;
	int period_days;
	const char *route_to_team;
	int64_t updated_by, updated_at;
};

/* One exposure count: abusive messages received by staff_id (team: their team when it
 * arrived) in the time bucket starting on `bucket` ("YYYY-MM-DD", UTC; weeks start on
 * Monday, months on the 1st). */
struct exposure_row {
	const char *bucket;
	int64_t staff_id;
	const char *team;
	int64_t count;
};

/* A customer with repeated incidents. */
struct incident_customer {
	int64_t customer_id;
	const char *name;
	int flags;
	int64_t incidents, last_at;
};

#endif
