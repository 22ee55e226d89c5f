#include "domain/field.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/validate.h"

static const char *const field_types[] = {"text", "number", "date", "boolean", "choice", NULL};
static const char *const field_entities[] = {"customer", "organization", NULL};

json_t *field_def_json(const struct field_def *fd)
{
	return json_pack("{sI so so so so so sb sI so so}", "id", (json_int_t)fd->id, "entity",
	                 validate_str_json(fd->entity), "key", validate_str_json(fd->key), "label",
	                 validate_str_json(fd->label), "type", validate_str_json(fd->type), "choices",
	                 fd->choices_json ? validate_parse_json(fd->choices_json, 0) : json_null(), "required",
	                 fd->required, "version", (json_int_t)fd->version, "created_at",
	                 validate_time_json(fd->created_at), "updated_at", validate_time_json(fd->updated_at));
}

/* choices: 1..100 distinct non-empty strings of at most 200 characters, trimmed and with
 * inner spaces made one, as names are (" a " is the choice "a", and repeats it). */
static int check_choices(json_t *v, struct arena *a, const char **out, struct kp_err *err)
{
	if (!json_is_array(v) || json_array_size(v) < 1 || json_array_size(v) > FIELD_CHOICES_MAX)
		return kp_err_field(err, "choices", "must be an array of 1 to %d strings", FIELD_CHOICES_MAX);
	json_t *norm = json_array();
	size_t i, j;
	int rc = 0;
	for (i = 0; i < json_array_size(v) && !rc; i++) {
		json_t *s = json_array_get(v, i);
		char *fname = arena_printf(a, "choices[%zu]", i);
		if (!json_is_string(s) || json_string_length(s) == 0) {
			rc = kp_err_field(err, fname, "must be a non-empty string");
			break;
		}
		if (validate_text(fname, json_string_value(s), 0, 200, 1, err)) {
			rc = KP_EVALIDATION;
			break;
		}
		const char *t = validate_squeeze(a, validate_trim(a, json_string_value(s)));
		if (!*t) {
			rc = kp_err_field(err, fname, "must be a non-empty string");
			break;
		}
		for (j = 0; j < i; j++)
			if (!strcmp(t, json_string_value(json_array_get(norm, j))))
				rc = kp_err_field(err, fname, "repeats an earlier choice");
		json_array_append_new(norm, json_string(t));
	}
	char *dump = rc ? NULL : json_dumps(norm, JSON_COMPACT);
	json_decref(norm);
	if (rc)
		return rc;
	if (!dump)
		return kp_err_set(err, KP_ENOMEM, "out of memory");
	*out = arena_strdup(a, dump);
	free(dump);
	return 0;
}

int field_def_apply(struct field_def *fd, json_t *body, int creating, struct arena *a, struct kp_err *err)
{
	static const char *const keys[] = {"entity", "key", "label", "type", "choices", "required", NULL};
	int rc = validate_known_keys(body, keys, err);
	const char *s;
	int isnull;
	/* entity, key, type: set on create, immutable afterwards */
	static const char *const fixed[] = {"entity", "key", "type"};
	for (int i = 0; i < 3; i++) {
		if (validate_get_str(body, fixed[i], &s, &isnull, err)) {
			rc = KP_EVALIDATION;
			continue;
		}
		const char **dst = i == 0 ? &fd->entity : i == 1 ? &fd->key : &fd->type;
		if (!creating) {
			if ((s || isnull) && (!*dst || !s || strcmp(*dst, s) != 0))
				rc = kp_err_field(err, fixed[i], "cannot be changed");
			continue;
		}
		if (!s) {
			if (i == 0) { /* entity defaults to customer */
				fd->entity = "customer";
				continue;
			}
			rc = kp_err_field(err, fixed[i], "is required");
			continue;
		}
		if (i == 0 && !validate_one_of(s, field_entities))
			rc = kp_err_field(err, "entity", "must be customer or organization");
		else if (i == 1 && !validate_field_key_ok(s))
			rc = kp_err_field(err, "key", "must match ^[a-z][a-z0-9_]{0,62}$");
		else if (i == 2 && !validate_one_of(s, field_types))
			rc = kp_err_field(err, "type", "must be one of text, number, date, boolean, choice");
		else
			*dst = arena_strdup(a, s);
	}
	if (validate_get_str(body, "label", &s, &isnull, err)) {
		rc = KP_EVALIDATION;
	} else if (s) {
		const char *lbl;
		if (validate_name(a, "label", s, &lbl, err))
			rc = KP_EVALIDATION;
		else
			fd->label = lbl;
	} else if (isnull || (creating && fd->key)) {
		fd->label = fd->key; /* the label defaults to the key */
	}
	json_t *req = json_object_get(body, "required");
	if (req && !json_is_boolean(req))
		rc = kp_err_field(err, "required", "must be true or false");
	else if (req)
		fd->required = json_is_true(req);
	json_t *ch = json_object_get(body, "choices");
	if (ch && !json_is_null(ch)) {
		const char *cj = NULL;
		if (check_choices(ch, a, &cj, err))
			rc = KP_EVALIDATION;
		else
			fd->choices_json = cj;
	} else if (ch) {
		fd->choices_json = NULL;
	}
	if (rc)
		return rc;
	if (fd->type && strcmp(fd->type, "choice") == 0 && !fd->choices_json)
		return kp_err_field(err, "choices", "is required for a choice field");
	if (fd->type && strcmp(fd->type, "choice") != 0 && fd->choices_json)
		return kp_err_field(err, "choices", "is only for choice fields");
	return 0;
}

int field_check_value(const struct field_def *fd, json_t *v, const char *fname, struct kp_err *err)
{
	const char *t = fd->type;
	if (strcmp(t, "text") == 0) {
		if (!json_is_string(v))
			return kp_err_field(err, fname, "must be a string");
		/* a required text field holds some text: "" or "  " would only satisfy the letter of it */
		if (fd->required && validate_blank(json_string_value(v)))
			return kp_err_field(err, fname, "is required and must not be empty or only white space");
		return validate_text(fname, json_string_value(v), 0, FIELD_TEXT_MAX, 0, err);
	}
	if (strcmp(t, "number") == 0) {
		if (!json_is_number(v))
			return kp_err_field(err, fname, "must be a number");
		if (json_is_real(v) && !isfinite(json_real_value(v)))
			return kp_err_field(err, fname, "must be a finite number");
		return 0;
	}
	if (strcmp(t, "date") == 0) {
		if (!json_is_string(v) || !validate_date_ok(json_string_value(v)))
			return kp_err_field(err, fname, "must be a date YYYY-MM-DD");
		return 0;
	}
	if (strcmp(t, "boolean") == 0) {
		if (!json_is_boolean(v))
			return kp_err_field(err, fname, "must be true or false");
		return 0;
	}
	if (strcmp(t, "choice") == 0) {
		if (!json_is_string(v))
			return kp_err_field(err, fname, "must be one of the field's choices");
		/* read as the choices are (trimmed, inner spaces one): "Gold  member", the string the
		 * client defined, is the choice "Gold member", and is stored so (v is set to it) */
		struct arena a = ARENA_INIT;
		const char *want = validate_utf8_ok(json_string_value(v))
		                       ? validate_squeeze(&a, validate_trim(&a, json_string_value(v)))
		                       : NULL;
		json_t *choices = validate_parse_json(fd->choices_json, 0);
		size_t i;
		json_t *c;
		int found = 0;
		json_array_foreach(choices, i, c)
		{
			if (json_equal(c, v))
				found = 1;
			else if (!found && want && json_is_string(c) && !strcmp(json_string_value(c), want)) {
				json_string_set(v, want);
				found = 1;
			}
		}
		json_decref(choices);
		arena_release(&a);
		if (!found)
			return kp_err_field(err, fname, "must be one of the field's choices");
		return 0;
	}
	return kp_err_set(err, KP_EINTERNAL, "field %s has unknown type %s", fd->key, t);
}

static const struct field_def *find_def(const struct field_def_list *defs, const char *entity, const char *key)
{
	for (size_t i = 0; defs && i < defs->n; i++)
		if (strcmp(defs->items[i].entity, entity) == 0 && strcmp(defs->items[i].key, key) == 0)
			return &defs->items[i];
	return NULL;
}

int field_match_parse(const struct field_def_list *defs, const char *entity, const char *key, const char *value,
                      struct custom_match *out, struct arena *a, struct kp_err *err)
{
	/* a key longer than a field key can be is named short (an error's field name holds 79
	 * bytes, "custom[" + 63 + "]" with room to spare) */
	const char *fname = strlen(key) <= 63 ? arena_printf(a, "custom[%s]", key) : "custom";
	const struct field_def *fd = find_def(defs, entity, key);
	memset(out, 0, sizeof *out);
	if (!fd)
		return kp_err_field(err, fname, "names no custom field of %s (GET /api/v1/fields lists them)",
		                    strcmp(entity, "customer") == 0 ? "customers" : "organisations");
	out->key = fd->key;
	if (!value) {
		out->type = CUSTOM_MATCH_PRESENT;
		return 0;
	}
	if (strcmp(fd->type, "number") == 0) {
		char *end;
		int ok = *value != '\0' && strspn(value, "+-0123456789.eE") == strlen(value);
		errno = 0;
		double d = ok ? strtod(value, &end) : 0;
		if (!ok || *end || !isfinite(d) || errno == ERANGE)
			return kp_err_field(err, fname, "must be a number");
		out->type = CUSTOM_MATCH_NUMBER;
		out->num = d;
		return 0;
	}
	if (strcmp(fd->type, "boolean") == 0) {
		if (strcmp(value, "true") != 0 && strcmp(value, "false") != 0)
			return kp_err_field(err, fname, "must be true or false");
		out->type = CUSTOM_MATCH_BOOL;
		out->yes = value[0] == 't';
		return 0;
	}
	/* text and date values are strings checked as a value of the field would be (a text filter
	 * may be empty or blank even where the field is required); a choice filter is any short
	 * text: records may hold a choice the field has since dropped */
	struct field_def loose = *fd;
	loose.required = 0;
	if (strcmp(fd->type, "choice") == 0)
		loose.type = "text";
	json_t *v = json_string(value);
	int rc = v ? field_check_value(&loose, v, fname, err) : kp_err_field(err, fname, "must be UTF-8 text");
	json_decref(v);
	if (rc)
		return rc;
	if (strcmp(fd->type, "choice") == 0 && validate_utf8_chars(value) > 200)
		return kp_err_field(err, fname, "must be at most 200 characters (a choice)");
	out->type = CUSTOM_MATCH_STRING;
	out->str = value;
	return 0;
}

int field_merge_custom(const struct field_def_list *defs, const char *entity, const char *old_json, json_t *patch,
                       int creating, struct arena *a, const char **out_json, struct kp_err *err)
{
	int rc = 0;
	json_t *cur = validate_parse_json(old_json, 1);
	if (patch && json_is_null(patch)) { /* "custom": null removes every value */
		for (size_t i = 0; defs && i < defs->n && !creating; i++) {
			const struct field_def *fd = &defs->items[i];
			if (fd->required && strcmp(fd->entity, entity) == 0 && json_object_get(cur, fd->key))
				rc = kp_err_field(err, arena_printf(a, "custom.%s", fd->key),
				                  "is required and cannot be removed");
		}
		json_object_clear(cur);
		patch = NULL;
		if (rc)
			goto out;
	} else if (patch && !json_is_object(patch)) {
		rc = kp_err_field(err, "custom", "must be an object of custom field values");
		goto out;
	}
	const char *k;
	json_t *v;
	if (patch) {
		json_object_foreach(patch, k, v)
		{
			char *fname = arena_printf(a, "custom.%s", k);
			const struct field_def *fd = find_def(defs, entity, k);
			/* null removes a value even when its definition has been deleted since: the
			 * record keeps such values (deleting a definition loses no data) and this is
			 * how they are cleaned up */
			if (!fd && !(json_is_null(v) && json_object_get(cur, k))) {
				rc = kp_err_field(err, fname, "is not a defined custom field");
				continue;
			}
			if (json_is_null(v)) {
				if (fd && fd->required && !creating)
					rc = kp_err_field(err, fname, "is required and cannot be removed");
				json_object_del(cur, k);
				continue;
			}
			/* a stored value sent back unchanged is kept, though a later change of its
			 * definition (fewer choices) would refuse it as new: a client that writes
			 * back the record it read must not fail on a value it did not touch */
			json_t *stored = json_object_get(cur, k);
			if (!(stored && json_equal(stored, v)) && field_check_value(fd, v, fname, err)) {
				rc = KP_EVALIDATION;
				continue;
			}
			json_object_set(cur, k, v);
		}
	}
	/* required values: on create, and on every write of custom values (a field made
	 * required later is enforced as soon as the record's custom values are edited) */
	if (creating || patch) {
		for (size_t i = 0; defs && i < defs->n; i++) {
			const struct field_def *fd = &defs->items[i];
			if (fd->required && strcmp(fd->entity, entity) == 0 && !json_object_get(cur, fd->key) &&
			    !(patch && json_is_null(json_object_get(patch, fd->key)) && !creating))
				rc = kp_err_field(err, arena_printf(a, "custom.%s", fd->key), "is required");
		}
	}
	if (rc)
		goto out;
	char *dump = json_dumps(cur, JSON_COMPACT | JSON_SORT_KEYS);
	if (!dump) {
		rc = kp_err_set(err, KP_ENOMEM, "out of memory");
		goto out;
	}
	if (strlen(dump) > FIELD_CUSTOM_MAX) {
		free(dump);
		rc = kp_err_field(err, "custom", "the custom values would take more than %d KiB",
		                  (int)(FIELD_CUSTOM_MAX / 1024));
		goto out;
	}
	*out_json = arena_strdup(a, dump);
	free(dump);
out:
	json_decref(cur);
	return rc;
}

const char *field_custom_without(const char *custom_json, const char *key, struct arena *a)
{
	json_t *cur = validate_parse_json(custom_json, 1);
	if (!cur)
		return NULL;
	json_object_del(cur, key);
	char *dump = json_dumps(cur, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(cur);
	const char *out = dump ? arena_strdup(a, dump) : NULL;
	free(dump);
	return out;
}

/* 1 if the stored custom values hold a value under fd's key that fd does not take. */
static int orphan_misfits(const struct field_def *fd, const char *custom_json)
{
	json_t *cur = validate_parse_json(custom_json, 1);
	json_t *v = json_object_get(cur, fd->key);
	struct field_def loose = *fd;
	struct kp_err ignore = KP_ERR_INIT;
	loose.required = 0;
	int misfit = v && field_check_value(&loose, v, fd->key, &ignore) != 0;
	json_decref(cur);
	return misfit;
}

/* Whether a definition of key for entity was ever deleted (the audit log keeps every field
 * delete, with its entity and key): only then can records hold values under the key without a
 * definition (the API takes no value for an undefined key), so only then need a create look. */
static int key_was_deleted(struct store_conn *c, const struct field_def *fd, int *yes, struct kp_err *err)
{
	struct audit_filter f = {.entity = "field", .action = "delete", .limit = 200};
	int rc = 0, more = 1;
	*yes = 0;
	while (rc == 0 && more && !*yes) {
		struct arena a = ARENA_INIT;
		struct audit_list l = {0};
		rc = store_audit_list(c, &f, &l, &a, err);
		for (size_t i = 0; rc == 0 && i < l.n && !*yes; i++) {
			json_t *ch = validate_parse_json(l.items[i].changes_json, 1);
			const char *e = json_string_value(json_array_get(json_object_get(ch, "entity"), 0));
			const char *k = json_string_value(json_array_get(json_object_get(ch, "key"), 0));
			*yes = e && k && strcmp(e, fd->entity) == 0 && strcmp(k, fd->key) == 0;
			json_decref(ch);
			f.before_id = l.items[i].id;
		}
		more = rc == 0 && l.more && l.n;
		arena_release(&a);
	}
	return rc;
}

/* Remove the value under fd's key from record id of fd's entity (its stored custom values
 * custom_json at version): only the custom values are written (store_custom_set), a new
 * version, audited as an update of the record. */
static int custom_drop(struct store_conn *c, const struct actor *who, const struct field_def *fd, int64_t id,
                       int64_t version, const char *custom_json, struct arena *a, struct kp_err *err)
{
	const char *without = field_custom_without(custom_json, fd->key, a);
	int64_t v, at;
	if (!without)
		return kp_err_set(err, KP_ENOMEM, "out of memory");
	int rc = store_custom_set(c, fd->entity, id, without, version, &v, &at, err);
	if (rc)
		return rc;
	json_t *changes =
	    json_pack("{s[oo]}", "custom", validate_parse_json(custom_json, 1), validate_parse_json(without, 1));
	rc = changes ? domain_audit(c, who, "update", fd->entity, id, changes, err)
	             : kp_err_set(err, KP_ENOMEM, "out of memory");
	json_decref(changes);
	return rc;
}

/* One listed record: its value under fd's key dropped if fd does not take it (counted). */
static int orphan_settle(struct store_conn *c, const struct actor *who, const struct field_def *fd, int64_t id,
                         int64_t version, const char *custom_json, struct arena *a, int64_t *dropped,
                         struct kp_err *err)
{
	if (!orphan_misfits(fd, custom_json))
		return 0;
	int rc = custom_drop(c, who, fd, id, version, custom_json, a, err);
	if (rc == 0)
		(*dropped)++;
	return rc;
}

/* See field.h (field_create): drop the values under fd's key that fd does not take, from the
 * records of fd's entity that hold one (listed in pages of 200 by id; merged tombstones are
 * left as they are, nothing shows them). *dropped counts them. Looks only when a definition
 * of the key was deleted before: otherwise no record can hold a value under it. */
static int orphans_drop(struct store_conn *c, const struct actor *who, const struct field_def *fd, int64_t *dropped,
                        struct kp_err *err)
{
	const struct custom_match has = {.key = fd->key, .type = CUSTOM_MATCH_PRESENT};
	struct store_page pg = {.limit = 200, .sort = STORE_SORT_ID};
	int customers = strcmp(fd->entity, "customer") == 0, rc = 0, more = 1;
	char after[24];
	*dropped = 0;
	if ((rc = key_was_deleted(c, fd, &more, err)))
		return rc;
	while (rc == 0 && more) {
		struct arena a = ARENA_INIT;
		int64_t last = 0;
		if (customers) {
			struct customer_filter f = {.custom = &has, .ncustom = 1};
			struct customer_list l = {0};
			rc = store_customer_list(c, &f, &pg, &l, &a, err);
			for (size_t i = 0; rc == 0 && i < l.n; i++) {
				last = l.items[i].id;
				rc = orphan_settle(c, who, fd, last, l.items[i].version, l.items[i].custom_json, &a,
				                   dropped, err);
			}
			more = rc == 0 && l.more && l.n;
		} else {
			struct org_filter f = {.custom = &has, .ncustom = 1};
			struct org_list l = {0};
			rc = store_org_list(c, &f, &pg, &l, &a, err);
			for (size_t i = 0; rc == 0 && i < l.n; i++) {
				last = l.items[i].id;
				rc = orphan_settle(c, who, fd, last, l.items[i].version, l.items[i].custom_json, &a,
				                   dropped, err);
			}
			more = rc == 0 && l.more && l.n;
		}
		snprintf(after, sizeof after, "%lld", (long long)last);
		pg.has_after = 1;
		pg.after_key = after;
		pg.after_id = last;
		arena_release(&a);
	}
	return rc;
}

int field_create(struct store_conn *c, const struct actor *who, struct field_def *fd, struct kp_err *err)
{
	int64_t dropped = 0;
	int rc = store_field_insert(c, fd, err);
	if (rc == KP_ECONFLICT) {
		kp_err_init(err);
		kp_err_set(err, KP_ECONFLICT, "a %s field with key %s exists", fd->entity, fd->key);
		kp_err_field(err, "key", "is already defined for %s", fd->entity);
		return KP_ECONFLICT;
	}
	if (rc || (rc = orphans_drop(c, who, fd, &dropped, err)))
		return rc;
	json_t *view = field_def_json(fd);
	json_t *changes = validate_diff(NULL, view);
	if (dropped) /* how many records lost a deleted field's value under this key */
		json_object_set_new(changes, "values_dropped", json_pack("[nI]", (json_int_t)dropped));
	rc = domain_audit(c, who, "create", "field", fd->id, changes, err);
	json_decref(changes);
	json_decref(view);
	return rc;
}

int field_merge_stored(struct store_conn *c, const char *entity, const char *old_json, json_t *patch, int creating,
                       struct arena *a, const char **out_json, struct kp_err *err)
{
	struct field_def_list defs = {0};
	int rc = store_field_list(c, entity, &defs, a, err);
	return rc ? rc : field_merge_custom(&defs, entity, old_json, patch, creating, a, out_json, err);
}

int field_update(struct store_conn *c, const struct actor *who, int64_t id, json_t *body,
                 const struct validate_precond *pre, struct field_def *out, struct arena *a, struct kp_err *err)
{
	json_t *before = NULL, *after = NULL, *changes = NULL;
	int rc = store_field_get(c, id, out, a, err);
	if (rc)
		goto out;
	if ((rc = validate_precond_check("field", id, out->version, pre, err)))
		goto out;
	before = field_def_json(out);
	json_object_del(before, "version");
	json_object_del(before, "updated_at");
	if ((rc = field_def_apply(out, body, 0, a, err)))
		goto out;
	after = field_def_json(out);
	json_object_del(after, "version");
	json_object_del(after, "updated_at");
	/* a PATCH that changes nothing keeps the version (no needless 412 for other clients)
	 * and writes no audit entry, as every other record does */
	if (json_equal(before, after))
		goto out;
	if ((rc = store_field_update(c, out, out->version, err)))
		goto out;
	changes = validate_diff(before, after);
	rc = domain_audit(c, who, "update", "field", id, changes, err);
out:
	json_decref(before);
	json_decref(after);
	json_decref(changes);
	return rc;
}

int field_delete(struct store_conn *c, const struct actor *who, int64_t id, const struct validate_precond *pre,
                 struct arena *a, struct kp_err *err)
{
	struct field_def fd;
	int rc = store_field_get(c, id, &fd, a, err);
	if (rc)
		return rc;
	if ((rc = validate_precond_check("field", id, fd.version, pre, err)))
		return rc;
	if ((rc = store_field_delete(c, id, fd.version, err)))
		return rc;
	json_t *changes = json_pack("{s[sn]s[sn]}", "entity", fd.entity, "key", fd.key);
	rc = domain_audit(c, who, "delete", "field", id, changes, err);
	json_decref(changes);
	return rc;
}
