/*
 * customer: the customer record - a person, optionally in an organisation, with contact
 * points (e-mails, phones, addresses), tags, an owner, custom field values - and its
 * writes: create, partial update, delete and merge, each audited in the same store job.
 *
 * The api/ layer parses the body into a json_t and calls customer_apply() (pure
 * validation, no store) on the loop thread, then runs customer_create() / _update() /
 * _delete() / _merge() inside its store job, where the current row is re-read so that
 * If-Match and merges see the committed state.
 *
 * Ownership: strings and arrays written into a struct customer here come from the arena
 * passed in; json_t arguments are borrowed, returned json_t are new references.
 */
#ifndef KP_DOMAIN_CUSTOMER_H
#define KP_DOMAIN_CUSTOMER_H

#include <jansson.h>

#include "domain/domain.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/err.h"

/* Apply a JSON body (POST: the whole record; PATCH: only the keys given, null clears an
 * optional field) to cu. Unknown keys, wrong types and invalid values are field errors
 * (KP_EVALIDATION, all of them collected). The "custom" member is not applied here (it
 * needs the field definitions): *custom_patch is set to it (borrowed from body) or NULL. */
int customer_apply(struct customer *cu, json_t *body, int creating, struct arena *a, json_t **custom_patch,
                   struct kp_err *err);

/* The record as the API shows it: id, name, emails, phones, addresses, organization_id,
 * owner_id, tags, custom, version, created_at, updated_at (and merged_into on a tombstone,
 * flags on an abusive one), as compact JSON appended to b. 0; -1 when b's cap would be
 * exceeded, -2 when a stored string is not valid UTF-8 (b is left as it was either way).
 * This is the only renderer of a customer: customer_json() is its output parsed. */
int customer_render(const struct customer *cu, struct buf *b);
#define CUSTOMER_RENDER_MAX ((size_t)16 * 1024 * 1024)

/* customer_render()'s output as a json_t (new reference), or NULL when it failed. */
json_t *customer_json(const struct customer *cu);

/* Insert cu (already applied) with its custom values; checks the organisation and owner
 * exist (field errors otherwise) and audits. On success cu holds id, version, times. */
int customer_create(struct store_conn *c, const struct actor *who, struct customer *cu, json_t *custom_patch,
                    struct arena *a, struct kp_err *err);

/* Read customer `id`, check pre (If-Match / If-None-Match, NULL = unchecked; KP_EPRECONDITION
 * when they fail, see validate_precond_check()), apply
 * body, write and audit {"field": [old, new]}. *out is the stored record afterwards. A
 * merged record is KP_ENOTFOUND. A body that changes nothing writes nothing. */
int customer_update(struct store_conn *c, const struct actor *who, int64_t id, json_t *body,
                    const struct validate_precond *pre, struct customer *out, struct arena *a, struct kp_err *err);

/* Delete customer `id` (KP_ENOTFOUND for a tombstone; pre as for an update) with its notes
 * and interactions (each audited as deleted), and every tombstone merged into it: a record
 * merged away lives on only in its survivor, so the survivor's delete is its delete too, and
 * no tombstone is left pointing at a customer who is not there (which GET could not answer and
 * a backup refuses). Each tombstone's delete is audited ("deleted_with_customer": id) and
 * listed in id's own entry ("merged_deleted"); ids are never given out again. */
int customer_delete(struct store_conn *c, const struct actor *who, int64_t id, const struct validate_precond *pre,
                    struct arena *a, struct kp_err *err);
/* customer_delete, with *tombstones (may be NULL) set to the number of tombstones it took. */
int customer_delete_counted(struct store_conn *c, const struct actor *who, int64_t id,
                            const struct validate_precond *pre, int64_t *tombstones, struct arena *a,
                            struct kp_err *err);

/* Merge customer `from` into `into`: contacts (deduplicated by kind and value) and tags are
 * united, custom values of `into` win and `from` fills gaps, organisation and owner are
 * kept from `into` unless it has none; notes and interactions move and `from` becomes a
 * tombstone (merged_into). Both records are audited. Merging a record into itself is
 * KP_EVALIDATION; either side already merged is KP_ECONFLICT. pre is checked against `into` as for an update. *out is
 * the merged record. */
int customer_merge(struct store_conn *c, const struct actor *who, int64_t into, int64_t from,
                   const struct validate_precond *pre, struct customer *out, struct arena *a, struct kp_err *err);

/* At start (migrate, serve), for a database written before e-mail domains in their ASCII
 * spelling ("xn--") were stored in letters: each customer's such e-mail contact point, and
 * each organisation's such e-mail, is stored as validate_email() spells it now (a customer's
 * address that is then the same as another of theirs is kept once), audited as an edit is
 * ("update", {"emails": [old, new]} / {"email": [old, new]}, by the system), so that a list
 * filter, a search or a new record with the address in letters finds it. The store keeps
 * such rows in partial indexes (store_email_idn_ids()): a database without any costs one
 * index probe per table. Idempotent: a second run changes nothing. One transaction per page
 * of 100 records. *customers, *orgs (either may be NULL): records rewritten. */
int customer_email_backfill(struct store *s, long long *customers, long long *orgs, struct kp_err *err);

/* At start (migrate, serve), for a database written before a customer's delete took its
 * tombstones with it: each tombstone merged into a customer who is not there (deleted) is
 * deleted, audited by the system as customer_delete audits one ("deleted_with_customer": the
 * survivor's id), and one merged into a tombstone whose chain reaches a live customer (an
 * older version's) is pointed at that one ("update", {"merged_into": [old, new]}). Without
 * this, such a database can never be backed up (the backup checks refuse a merge into no
 * customer). Found through the store's index of tombstones (store_customer_tombstones with
 * into 0); idempotent; one transaction per page of 100. *deleted, *repointed (either may be
 * NULL): the tombstones changed. */
int customer_tombstone_repair(struct store *s, long long *deleted, long long *repointed, struct kp_err *err);

/* Read a customer that is not a tombstone: KP_ENOTFOUND otherwise, with *merged_into set
 * (when non-NULL) to the record it was merged into, and a message naming it. */
int customer_get_live(struct store_conn *c, int64_t id, struct customer *out, int64_t *merged_into, struct arena *a,
                      struct kp_err *err);

#endif
