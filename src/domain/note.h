/*
 * note: free-text notes on a customer or an organisation (exactly one), written by a staff
 * member (the author), at most 64 KiB. Writes run inside a store job and are audited. A
 * note often repeats what a customer said, so its body is analysed when written (on the
 * writer) and masked where shown as an outbound message's is (domain/protect.h); that is
 * never an incident. An edit that sends the masked body back unchanged keeps the original.
 * Strings written into a struct note come from the arena; json_t arguments are borrowed.
 */
#ifndef KP_DOMAIN_NOTE_H
#define KP_DOMAIN_NOTE_H

#include <jansson.h>

#include "domain/domain.h"
#include "util/arena.h"
#include "util/err.h"

/* Apply a body {"body": "..."}; body is required on create. Unknown keys are field errors. */
int note_apply(struct note *n, json_t *body, int creating, struct kp_err *err);
/* id, customer_id, organization_id, author_id, body, abusive, analysis, version, created_at,
 * updated_at (as stored: the caller masks, protect_mask_note()). */
json_t *note_json(const struct note *n);
/* Insert n (customer_id or org_id set, the target must exist and not be merged); the
 * author is the actor. */
int note_create(struct store_conn *c, const struct actor *who, struct note *n, struct arena *a, struct kp_err *err);
/* pre: If-Match / If-None-Match (NULL = unchecked; KP_EPRECONDITION when they fail, see
 * validate_precond_check()). Only the note's author, a manager or
 * an admin may update or delete it (KP_EFORBIDDEN for another agent). */
int note_update(struct store_conn *c, const struct actor *who, int64_t id, json_t *body,
                const struct validate_precond *pre, struct note *out, struct arena *a, struct kp_err *err);
int note_delete(struct store_conn *c, const struct actor *who, int64_t id, const struct validate_precond *pre,
                struct arena *a, struct kp_err *err);
/* The audit entry of note n deleted (its words included; with_customer: the customer whose
 * delete took it, else 0). */
int note_audit_deleted(struct store_conn *c, const struct actor *who, const struct note *n, int64_t with_customer,
                       struct kp_err *err);
/* Its changes as the entry stores them (malloc'd JSON text; NULL: none), for writers of many
 * entries at once (customer_delete). */
char *note_deleted_changes(const struct note *n, int64_t with_customer);

#endif
