/*
 * domain: business rules of Kumppani, free of HTTP and of any particular database. The
 * api/ layer parses and renders; the domain validates, decides and calls the store.
 *
 * Every write in the domain runs inside a store job (on the writer connection `c`) and is
 * audited with domain_audit() in the same transaction, so a write and its audit entry are
 * committed together or not at all.
 */
#ifndef KP_DOMAIN_DOMAIN_H
#define KP_DOMAIN_DOMAIN_H

#include <jansson.h>
#include <stdint.h>

#include "store/store.h"

/* Who is acting: a signed-in staff member, a token, or the system (staff_id 0). */
struct actor {
	int64_t staff_id;
	int role;               /* enum staff_role */
	const char *email;      /* "system" for the CLI and the server itself */
	const char *request_id; /* may be NULL */
};

/* A write's If-Match / If-None-Match (domain/validate.h), taken by the record writers. */
struct validate_precond;

/* The entities and the actions an audit entry may name (NULL-terminated): every one the
 * server writes, and no other (GET /audit?entity=&action= refuses the rest, and
 * docs/openapi.json lists them as its enums). A writer of a new kind of entry adds it here
 * and there; domain_audit() asserts it. */
extern const char *const domain_audit_entities[];
extern const char *const domain_audit_actions[];

/* Append an audit entry. changes is borrowed (may be NULL): a JSON object describing what
 * changed, e.g. {"name": ["old", "new"]}; it is serialised, never stored by reference. */
int domain_audit(struct store_conn *c, const struct actor *who, const char *action, const char *entity,
		 int64_t entity_id, json_t *changes, struct kp_err *err);
/* domain_audit with the changes already serialised (borrowed; may be NULL): the same text
 * json_dumps(changes, JSON_COMPACT | JSON_SORT_KEYS) would give, for writers that render
 * it straight into a buffer. */
int domain_audit_text(struct store_conn *c, const struct actor *who, const char *action, const char *entity,
		      int64_t entity_id, const char *changes_json, struct kp_err *err);
/* An entry as domain_audit_text() writes it, filled in *e but not written: for writers of
 * many at once (store_audit_insert_set). changes_json is borrowed; "at" is now. */
void domain_audit_entry(struct audit_entry *e, const struct actor *who, const char *action, const char *entity,
                        int64_t entity_id, const char *changes_json);

#endif
