/*
 * field: custom field definitions (per entity "customer" or "organization") and the
 * validation of a record's custom values against them.
 *
 * A definition has a key (^[a-z][a-z0-9_]{0,62}$, unique per entity), a label, a type
 * (text, number, date, boolean, choice), for "choice" 1..100 distinct strings, and a
 * required flag. A record keeps its values as one JSON object (custom_json).
 *
 * JSON ownership: json_t arguments are borrowed; nothing here keeps a reference.
 */
#ifndef KP_DOMAIN_FIELD_H
#define KP_DOMAIN_FIELD_H

#include <jansson.h>

#include "domain/domain.h"
#include "util/arena.h"
#include "util/err.h"

#define FIELD_TEXT_MAX    10000 /* characters in a text value */
#define FIELD_CHOICES_MAX 100
/* bytes of one record's custom values as stored JSON: a list page of 200 records stays far
 * under the response cap, and one record under the renderer's */
#define FIELD_CUSTOM_MAX (256 * 1024)

/* Apply a request body to fd. creating: entity, key and type are required; on update
 * they may be given only unchanged. Strings in fd point into the arena. */
int field_def_apply(struct field_def *fd, json_t *body, int creating, struct arena *a, struct kp_err *err);

/* Check one value against its definition; fname is the error field ("custom.size"). */
int field_check_value(const struct field_def *fd, json_t *v, const char *fname, struct kp_err *err);

/* New custom values for a record of `entity`: old_json (the stored object, NULL = "{}")
 * with `patch` applied (a key set to null is removed; patch JSON null removes every value;
 * patch NULL = no change). Every key must be defined for the entity (else "custom.<key>"
 * field error), except that null may remove a stored value whose definition was deleted;
 * every new value valid (a stored value sent back unchanged is kept even if its definition
 * has since narrowed); every required field present on create and whenever patch edits
 * values, and none removed; at most FIELD_CUSTOM_MAX bytes in all. *out_json is compact
 * JSON text in the arena. */
int field_merge_custom(const struct field_def_list *defs, const char *entity, const char *old_json, json_t *patch,
                       int creating, struct arena *a, const char **out_json, struct kp_err *err);
/* field_merge_custom against the entity's definitions as stored now (read from c, inside
 * the write's job): what a create (old_json "{}", creating 1) or an update of a customer or
 * an organisation runs. 0, or the store's or the merge's status with err set. */
int field_merge_stored(struct store_conn *c, const char *entity, const char *old_json, json_t *patch, int creating,
                       struct arena *a, const char **out_json, struct kp_err *err);

/* A list filter on custom field key (GET /customers?custom[tier]=gold) as the store matches it
 * (store.h struct custom_match): key must be a field of entity in defs; value is read as that
 * field's type - text as given, a choice any text of up to 200 characters (a value of a choice
 * since removed is still found), a date YYYY-MM-DD, a number a finite decimal ("3", "-2.5",
 * "1e3"; not one that rounds to 0 or infinity), a boolean true or false; value NULL
 * ("custom[tier]" with no "=") asks for any value. Errors are field errors named "custom[key]"
 * (KP_EINVAL). Strings in *out point into value or the arena. */
int field_match_parse(const struct field_def_list *defs, const char *entity, const char *key, const char *value,
                      struct custom_match *out, struct arena *a, struct kp_err *err);

/* A record's stored custom values without key: compact JSON with sorted keys, as
 * field_merge_custom() writes them (arena); NULL when out of memory. */
const char *field_custom_without(const char *custom_json, const char *key, struct arena *a);

/* Writes (inside a store job), audited. create sets fd->id and version; a value that a
 * deleted definition left under the same key on a record and that fd does not take (another
 * type, a choice it lacks) is removed from the record then (store_custom_set(), audited), so the
 * new field never shows the old one's values; values it takes stay (re-creating a deleted
 * field gives them back). update/delete take the request's If-Match / If-None-Match (NULL =
 * unchecked; KP_EPRECONDITION when they fail, see validate_precond_check()). */
int field_create(struct store_conn *c, const struct actor *who, struct field_def *fd, struct kp_err *err);
int field_update(struct store_conn *c, const struct actor *who, int64_t id, json_t *body,
                 const struct validate_precond *pre, struct field_def *out, struct arena *a, struct kp_err *err);
int field_delete(struct store_conn *c, const struct actor *who, int64_t id, const struct validate_precond *pre,
                 struct arena *a, struct kp_err *err);

/* The JSON form of a definition (new reference). */
json_t *field_def_json(const struct field_def *fd);

#endif
