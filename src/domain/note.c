#include "domain/note.h"

#include <stdlib.h>
#include <string.h>

#include "domain/customer.h"
#include "domain/protect.h"
#include "domain/validate.h"

int note_apply(struct note *n, json_t *body, int creating, struct kp_err *err)
{
	static const char *const keys[] = {"body", NULL};
	if (!json_is_object(body))
		return kp_err_set(err, KP_EINVAL, "the body must be a JSON object");
	int rc = validate_known_keys(body, keys, err);
	json_t *v = json_object_get(body, "body");
	if (!v) {
		if (creating)
			rc = kp_err_field(err, "body", "is required");
	} else if (!json_is_string(v)) {
		rc = kp_err_field(err, "body", json_is_null(v) ? "is required" : "must be a string");
	} else if (validate_text("body", json_string_value(v), VALIDATE_BODY_MAX, 0, 1, err)) {
		rc = KP_EVALIDATION;
	} else if (validate_blank(json_string_value(v))) { /* an empty note by another name */
		rc = kp_err_field(err, "body", "must not be only white space");
	} else {
		n->body = json_string_value(v);
	}
	return rc;
}

json_t *note_json(const struct note *n)
{
	return json_pack("{sI so so so so sb so sI so so}", "id", (json_int_t)n->id, "customer_id",
	                 validate_id_json(n->customer_id), "organization_id", validate_id_json(n->org_id), "author_id",
	                 validate_id_json(n->author_id), "body", validate_str_json(n->body), "abusive", n->abusive,
	                 "analysis", n->analysis_json ? validate_parse_json(n->analysis_json, 0) : json_null(),
	                 "version", (json_int_t)n->version, "created_at", validate_time_json(n->created_at),
	                 "updated_at", validate_time_json(n->updated_at));
}

/* Whether the note is abusive and its analysis, added to an audit entry's changes (each a
 * [before, after] pair; NULL: that side has none) when either side is abusive: the audit's
 * list then masks the words as they were masked when written (api/audit.c). */
static void audit_analysis(json_t *changes, const struct note *before, const struct note *after)
{
	if (!changes || !((before && before->abusive) || (after && after->abusive)))
		return;
	const struct note *side[2] = {before, after};
	json_t *ab = json_array(), *an = json_array();
	for (int k = 0; k < 2; k++) {
		json_array_append_new(ab, side[k] ? json_boolean(side[k]->abusive) : json_null());
		json_array_append_new(an, side[k] && side[k]->analysis_json
		                              ? validate_parse_json(side[k]->analysis_json, 0)
		                              : json_null());
	}
	json_object_set_new(changes, "abusive", ab);
	json_object_set_new(changes, "analysis", an);
}

int note_create(struct store_conn *c, const struct actor *who, struct note *n, struct arena *a, struct kp_err *err)
{
	int rc;
	if (n->customer_id) {
		struct customer cu;
		rc = customer_get_live(c, n->customer_id, &cu, NULL, a, err);
	} else {
		struct organization o;
		rc = store_org_get(c, n->org_id, &o, a, err);
		if (rc == KP_ENOTFOUND)
			rc = kp_err_set(err, KP_ENOTFOUND, "organization %lld does not exist", (long long)n->org_id);
	}
	if (rc)
		return rc;
	n->author_id = who ? who->staff_id : 0;
	/* staff wrote it, but it may repeat a customer's abuse: masked where shown, no incident */
	if ((rc = protect_note_analyze(n, a, err)))
		return rc;
	if ((rc = store_note_insert(c, n, err)))
		return rc;
	json_t *changes = json_pack("{s[no]s[no]s[ns]}", "customer_id", validate_id_json(n->customer_id),
	                            "organization_id", validate_id_json(n->org_id), "body", n->body);
	audit_analysis(changes, NULL, n);
	rc = domain_audit(c, who, "create", "note", n->id, changes, err);
	json_decref(changes);
	return rc;
}

/* Note id as it is, for a change by who: a note speaks in its author's name (it shows
 * author_id), so another agent may read it but not rewrite or remove it; a manager or admin
 * may (a note without an author, from an import, is theirs to change). */
static int get_checked(struct store_conn *c, const struct actor *who, int64_t id, const struct validate_precond *pre,
                       struct note *out, struct arena *a, struct kp_err *err)
{
	int rc = store_note_get(c, id, out, a, err);
	if (rc == KP_ENOTFOUND)
		return kp_err_set(err, KP_ENOTFOUND, "note %lld does not exist", (long long)id);
	if (rc)
		return rc;
	if (who && who->role < ROLE_MANAGER && out->author_id != who->staff_id)
		return kp_err_set(err, KP_EFORBIDDEN,
		                  "note %lld is another staff member's: only its author or a manager may change or "
		                  "delete it",
		                  (long long)id);
	return validate_precond_check("note", id, out->version, pre, err);
}

int note_update(struct store_conn *c, const struct actor *who, int64_t id, json_t *body,
                const struct validate_precond *pre, struct note *out, struct arena *a, struct kp_err *err)
{
	int rc = get_checked(c, who, id, pre, out, a, err);
	if (rc)
		return rc;
	const char *old = out->body;
	struct note was = *out, shown = *out;
	int64_t version = out->version;
	int typed_hidden = 0;
	protect_mask_note(&shown, a);
	if ((rc = note_apply(out, body, 0, err)))
		return rc;
	/* as for an interaction: the masked body sent back unchanged (GET, modify, PUT) keeps the
	 * original words; an edit of the masked text is refused; the hidden words typed in are
	 * answered as a change */
	if (was.abusive && old && out->body && out->body != old &&
	    (rc = protect_masked_edit(old, shown.body, &out->body, "body", &typed_hidden, err)))
		return rc;
	if (old && out->body && strcmp(old, out->body) == 0 && !typed_hidden)
		return 0;
	if (out->body != old && (!old || strcmp(old, out->body) != 0) && (rc = protect_note_analyze(out, a, err)))
		return rc;
	if ((rc = store_note_update(c, out, version, err)))
		return rc;
	json_t *changes = strcmp(old ? old : "", out->body) == 0
	                      ? json_object()
	                      : json_pack("{s[ss]}", "body", old ? old : "", out->body);
	if (json_object_size(changes))
		audit_analysis(changes, &was, out);
	rc = domain_audit(c, who, "update", "note", id, changes, err);
	json_decref(changes);
	return rc;
}

int note_delete(struct store_conn *c, const struct actor *who, int64_t id, const struct validate_precond *pre,
                struct arena *a, struct kp_err *err)
{
	struct note n;
	int rc = get_checked(c, who, id, pre, &n, a, err);
	if (rc)
		return rc;
	if ((rc = store_note_delete(c, id, n.version, err)))
		return rc;
	return note_audit_deleted(c, who, &n, 0, err);
}

char *note_deleted_changes(const struct note *n, int64_t with_customer)
{
	json_t *changes = json_pack("{s[on]s[on]s[sn]}", "customer_id", validate_id_json(n->customer_id),
	                            "organization_id", validate_id_json(n->org_id), "body", n->body ? n->body : "");
	audit_analysis(changes, n, NULL);
	if (changes && with_customer)
		json_object_set_new(changes, "deleted_with_customer", json_integer(with_customer));
	char *s = changes ? json_dumps(changes, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(changes);
	return s;
}

int note_audit_deleted(struct store_conn *c, const struct actor *who, const struct note *n, int64_t with_customer,
                       struct kp_err *err)
{
	char *changes = note_deleted_changes(n, with_customer);
	int rc = domain_audit_text(c, who, "delete", "note", n->id, changes, err);
	free(changes);
	return rc;
}
