#include "domain/org.h"

#include <string.h>
#include <strings.h>

#include "domain/field.h"
#include "domain/staff.h"
#include "domain/validate.h"

/* A website is an http(s) URL or a bare host name ("example.fi/yhteystiedot"): any other
 * scheme ("javascript:", "data:", "file:") is refused, as the address is shown as a link. */
static int website_ok(const char *t)
{
	if (!strncasecmp(t, "http://", 7) || !strncasecmp(t, "https://", 8))
		return 1;
	const char *colon = strchr(t, ':'), *slash = strchr(t, '/');
	/* no scheme: a colon may only be a port after the host ("example.fi:8080/") */
	if (!colon)
		return 1;
	if (slash && slash < colon)
		return 1;
	for (const char *p = colon + 1; *p && *p != '/'; p++)
		if (*p < '0' || *p > '9')
			return 0;
	return colon[1] >= '0' && colon[1] <= '9';
}

static const char *const org_keys[] = {"name",    "business_id", "website", "phone",  "email",
                                       "address", "owner_id",    "tags",    "custom", NULL};

int org_apply(struct organization *o, json_t *body, int creating, struct arena *a, json_t **custom_patch,
              struct kp_err *err)
{
	int rc = 0;
	*custom_patch = NULL;
	if (!json_is_object(body))
		return kp_err_set(err, KP_EINVAL, "the body must be a JSON object");
	if (validate_known_keys(body, org_keys, err))
		rc = KP_EVALIDATION;

	json_t *v;
	const char *s, *norm;
	int isnull;
	if (validate_apply_name(body, creating, a, &o->name, err))
		rc = KP_EVALIDATION;

	if (validate_get_str(body, "business_id", &s, &isnull, err)) {
		rc = KP_EVALIDATION;
	} else if (s) {
		if (validate_business_id(a, "business_id", s, &norm, err))
			rc = KP_EVALIDATION;
		else
			o->business_id = norm;
	} else if (isnull) {
		o->business_id = NULL;
	}

	if (validate_get_str(body, "website", &s, &isnull, err)) {
		rc = KP_EVALIDATION;
	} else if (s) {
		char *t = validate_trim(a, s);
		if (!*t || strpbrk(t, " \t") || validate_text("website", t, 0, 500, 1, err))
			rc = kp_err_field(err, "website", "must be an address without spaces, at most 500 characters");
		else if (!website_ok(t)) /* shown as a link: no "javascript:" or "data:" */
			rc = kp_err_field(err, "website", "must be an http or https address, or a host name");
		else
			o->website = t;
	} else if (isnull) {
		o->website = NULL;
	}

	if (validate_get_str(body, "phone", &s, &isnull, err))
		rc = KP_EVALIDATION;
	else if (s && validate_phone(a, "phone", s, &norm, err))
		rc = KP_EVALIDATION;
	else if (s)
		o->phone = norm;
	else if (isnull)
		o->phone = NULL;

	if (validate_get_str(body, "email", &s, &isnull, err))
		rc = KP_EVALIDATION;
	else if (s && validate_email(a, "email", s, &norm, err))
		rc = KP_EVALIDATION;
	else if (s)
		o->email = norm;
	else if (isnull)
		o->email = NULL;

	/* An update merges into the address there is, as "custom" does (RFC 7396): {"city":
	 * "Vantaa"} moves the city and keeps the street, postal code and country; a part given as
	 * null is removed; "address": null removes the whole address. */
	v = json_object_get(body, "address");
	if (v && json_is_null(v)) {
		o->address_json = NULL;
	} else if (v) {
		json_t *merged = NULL;
		if (!creating && o->address_json && json_is_object(v) &&
		    (merged = validate_parse_json(o->address_json, 1)) && json_is_object(merged))
			json_object_update(merged, v);
		else {
			json_decref(merged);
			merged = json_incref(v);
		}
		if (validate_address(a, "address", merged, &norm, err))
			rc = KP_EVALIDATION;
		else
			o->address_json = norm;
		json_decref(merged);
	}

	v = json_object_get(body, "owner_id");
	if (v) {
		int64_t id = 0;
		if (!json_is_null(v) && validate_id("owner_id", v, &id, err))
			rc = KP_EVALIDATION;
		else
			o->owner_id = id;
	}

	if (validate_apply_tags(body, a, &o->tags, &o->ntags, err))
		rc = KP_EVALIDATION;
	if (validate_apply_custom(body, custom_patch, err))
		rc = KP_EVALIDATION;
	if (creating && !o->custom_json)
		o->custom_json = "{}";
	return rc;
}

json_t *org_json(const struct organization *o)
{
	json_t *tags = json_array();
	for (size_t i = 0; i < o->ntags; i++)
		json_array_append_new(tags, json_string(o->tags[i]));
	return json_pack("{sI so so so so so so so so so sI so so}", "id", (json_int_t)o->id, "name",
	                 validate_str_json(o->name), "business_id", validate_str_json(o->business_id), "website",
	                 validate_str_json(o->website), "phone", validate_str_json(o->phone), "email",
	                 validate_str_json(o->email), "address",
	                 o->address_json ? validate_parse_json(o->address_json, 1) : json_null(), "owner_id",
	                 validate_id_json(o->owner_id), "tags", tags, "custom", validate_parse_json(o->custom_json, 1),
	                 "version", (json_int_t)o->version, "created_at", validate_time_json(o->created_at),
	                 "updated_at", validate_time_json(o->updated_at));
}

static json_t *audit_view(const struct organization *o)
{
	return validate_audit_view(org_json(o));
}

/* A Y-tunnus names one legal entity, so a second organisation with it is a duplicate of the
 * first: 409 naming the one that has it. Checked in the writer's transaction, so two creates
 * cannot both pass. Organisations that shared a business id before this check existed keep it
 * (an edit that leaves business_id alone is not refused); self_id is the organisation being
 * updated (0 on create). */
static int check_business_id_free(struct store_conn *c, const char *business_id, int64_t self_id, struct arena *a,
                                  struct kp_err *err)
{
	if (!business_id)
		return 0;
	struct org_filter f = {.business_id = business_id};
	struct store_page pg = {.limit = 2, .sort = STORE_SORT_ID};
	struct org_list l = {0};
	int rc = store_org_list(c, &f, &pg, &l, a, err);
	if (rc)
		return rc;
	for (size_t i = 0; i < l.n; i++)
		if (l.items[i].id != self_id)
			return kp_err_set(err, KP_ECONFLICT, "organization %lld already has business_id %s",
			                  (long long)l.items[i].id, business_id);
	return 0;
}

int org_create(struct store_conn *c, const struct actor *who, struct organization *o, json_t *custom_patch,
               struct arena *a, struct kp_err *err)
{
	json_t *view = NULL, *changes = NULL;
	int rc = field_merge_stored(c, "organization", "{}", custom_patch, 1, a, &o->custom_json, err);
	if (rc)
		goto out;
	if ((rc = domain_staff_check_owner(c, "owner_id", o->owner_id, a, err)))
		goto out;
	if ((rc = check_business_id_free(c, o->business_id, 0, a, err)))
		goto out;
	rc = store_org_insert(c, o, err);
	if (rc == KP_ECONFLICT) {
		kp_err_init(err);
		rc = kp_err_set(err, KP_ECONFLICT, "an organization with business_id %s exists",
		                o->business_id ? o->business_id : "(none)");
	}
	if (rc)
		goto out;
	view = audit_view(o);
	changes = validate_diff(NULL, view);
	rc = domain_audit(c, who, "create", "organization", o->id, changes, err);
out:
	json_decref(view);
	json_decref(changes);
	return rc;
}

static int get_checked(struct store_conn *c, int64_t id, const struct validate_precond *pre, struct organization *out,
                       struct arena *a, struct kp_err *err)
{
	int rc = store_org_get(c, id, out, a, err);
	if (rc == KP_ENOTFOUND)
		return kp_err_set(err, KP_ENOTFOUND, "organization %lld does not exist", (long long)id);
	if (rc)
		return rc;
	return validate_precond_check("organization", id, out->version, pre, err);
}

int org_update(struct store_conn *c, const struct actor *who, int64_t id, json_t *body,
               const struct validate_precond *pre, struct organization *out, struct arena *a, struct kp_err *err)
{
	json_t *before = NULL, *after = NULL, *changes = NULL, *patch = NULL;
	int rc = get_checked(c, id, pre, out, a, err);
	if (rc)
		goto out;
	struct organization old = *out;
	before = audit_view(out);
	if ((rc = org_apply(out, body, 0, a, &patch, err)))
		goto out;
	if (patch &&
	    (rc = field_merge_stored(c, "organization", old.custom_json, patch, 0, a, &out->custom_json, err)))
		goto out;
	if (out->owner_id != old.owner_id && (rc = domain_staff_check_owner(c, "owner_id", out->owner_id, a, err)))
		goto out;
	if (out->business_id && (!old.business_id || strcmp(out->business_id, old.business_id)) &&
	    (rc = check_business_id_free(c, out->business_id, id, a, err)))
		goto out;
	after = audit_view(out);
	if (!before || !after) { /* not "nothing changed" */
		rc = kp_err_set(err, KP_ENOMEM, "could not compare the record with its stored version");
		goto out;
	}
	changes = validate_diff(before, after);
	if (json_object_size(changes) == 0)
		goto out;
	rc = store_org_update(c, out, old.version, err);
	if (rc == KP_ECONFLICT) {
		kp_err_init(err);
		rc = kp_err_set(err, KP_ECONFLICT, "an organization with business_id %s exists",
		                out->business_id ? out->business_id : "(none)");
	}
	if (rc)
		goto out;
	rc = domain_audit(c, who, "update", "organization", id, changes, err);
out:
	json_decref(before);
	json_decref(after);
	json_decref(changes);
	return rc;
}

int org_email_respell(struct store_conn *c, const struct actor *who, int64_t id, int *changed, struct kp_err *err)
{
	struct arena a = ARENA_INIT;
	struct organization o;
	json_t *before = NULL, *after = NULL, *changes = NULL;
	const char *norm;
	struct kp_err verr = KP_ERR_INIT;
	*changed = 0;
	int rc = store_org_get(c, id, &o, &a, err);
	if (rc == KP_ENOTFOUND) {
		kp_err_init(err);
		rc = 0;
		goto out;
	}
	if (rc || !o.email || !strstr(o.email, "xn--") || validate_email(&a, "email", o.email, &norm, &verr) != 0 ||
	    !strcmp(norm, o.email))
		goto out;
	before = audit_view(&o);
	int64_t version = o.version;
	o.email = norm;
	after = audit_view(&o);
	if (!before || !after) {
		rc = kp_err_set(err, KP_ENOMEM, "could not compare the record with its stored version");
		goto out;
	}
	changes = validate_diff(before, after);
	if ((rc = store_org_update(c, &o, version, err)) == 0 &&
	    (rc = domain_audit(c, who, "update", "organization", id, changes, err)) == 0)
		*changed = 1;
out:
	json_decref(before);
	json_decref(after);
	json_decref(changes);
	arena_release(&a);
	return rc;
}

int org_delete(struct store_conn *c, const struct actor *who, int64_t id, const struct validate_precond *pre,
               struct arena *a, struct kp_err *err)
{
	struct organization o;
	int rc = get_checked(c, id, pre, &o, a, err);
	if (rc)
		return rc;
	/* the notes go with the organisation (as a customer's go with the customer); the audit
	 * entry names them, so what was deleted can be found */
	json_t *notes = json_array();
	struct store_page pg = {.limit = 200, .sort = STORE_SORT_ID};
	for (;;) {
		struct note_list nl = {0};
		if ((rc = store_note_list(c, 0, id, &pg, &nl, a, err))) {
			json_decref(notes);
			return rc;
		}
		for (size_t i = 0; i < nl.n; i++)
			json_array_append_new(notes, json_integer(nl.items[i].id));
		if (!nl.more || !nl.n)
			break;
		pg.has_after = 1;
		pg.after_id = nl.items[nl.n - 1].id;
	}
	rc = store_org_delete(c, id, o.version, err);
	if (rc == KP_ECONFLICT) {
		kp_err_init(err);
		json_decref(notes);
		return kp_err_set(err, KP_ECONFLICT, "organization %lld still has customers", (long long)id);
	}
	if (rc) {
		json_decref(notes);
		return rc;
	}
	/* the whole record, as a customer's delete records it */
	json_t *view = audit_view(&o), *changes = json_object(), *v;
	const char *k;
	json_object_foreach(view, k, v)
	{
		json_object_set_new(changes, k, json_pack("[On]", v));
	}
	if (json_array_size(notes))
		json_object_set_new(changes, "notes_deleted", notes);
	else
		json_decref(notes);
	rc = domain_audit(c, who, "delete", "organization", id, changes, err);
	json_decref(view);
	json_decref(changes);
	return rc;
}
