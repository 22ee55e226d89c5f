/*
 * org: organisations (companies, associations) that customers may belong to: name,
 * Finnish business id (Y-tunnus, validated), website, phone, e-mail, address, owner,
 * tags and custom field values; and their audited writes.
 *
 * Same shape as domain/customer.h: org_apply() validates a JSON body on the loop thread,
 * org_create() / _update() / _delete() run inside a store job and audit. Strings written
 * into a struct organization come from the arena; json_t arguments are borrowed.
 */
#ifndef KP_DOMAIN_ORG_H
#define KP_DOMAIN_ORG_H

#include <jansson.h>

#include "domain/domain.h"
#include "util/arena.h"
#include "util/err.h"

/* Apply a body (POST: whole record, name required; PATCH: keys given, null clears). The
 * "custom" member is returned in *custom_patch (borrowed) for org_create/org_update. */
int org_apply(struct organization *o, json_t *body, int creating, struct arena *a, json_t **custom_patch,
              struct kp_err *err);

/* id, name, business_id, website, phone, email, address, owner_id, tags, custom, version,
 * created_at, updated_at. New reference. */
json_t *org_json(const struct organization *o);

/* org_create / org_update: KP_ECONFLICT when another organisation already has the
 * business_id being set (an update that keeps the stored business_id is not checked). */
int org_create(struct store_conn *c, const struct actor *who, struct organization *o, json_t *custom_patch,
               struct arena *a, struct kp_err *err);
/* pre: If-Match / If-None-Match (NULL = unchecked; KP_EPRECONDITION when they fail, see
 * validate_precond_check()). A body that changes nothing writes
 * nothing. */
int org_update(struct store_conn *c, const struct actor *who, int64_t id, json_t *body,
               const struct validate_precond *pre, struct organization *out, struct arena *a, struct kp_err *err);
/* KP_ECONFLICT while customers belong to the organisation. */
/* Organisation id's e-mail, stored in its ASCII spelling ("xn--") before such domains were
 * read as letters, stored as validate_email() spells it now, audited ("update", as an edit
 * is) as who; *changed: 1 if it was rewritten, 0 if it was already so spelt, cannot be read
 * or the organisation is gone. On the writer (customer_email_backfill() runs it). */
int org_email_respell(struct store_conn *c, const struct actor *who, int64_t id, int *changed, struct kp_err *err);

int org_delete(struct store_conn *c, const struct actor *who, int64_t id, const struct validate_precond *pre,
               struct arena *a, struct kp_err *err);

#endif
