#include "domain/interaction.h"

#include "domain/customer.h"
#include "domain/protect.h"
#include "domain/validate.h"
#include "util/timeutil.h"

const char *const interaction_kinds[] = {"call",     "email", "meeting", "chat", "visit",
                                         "purchase", "sms",   "social",  "note", NULL};
const char *const interaction_directions[] = {"inbound", "outbound", NULL};

int interaction_apply(struct interaction *it, json_t *body, int creating, int with_customer_id, struct arena *a,
                      struct kp_err *err)
{
	static const char *const keys[] = {"customer_id", "kind", "direction",   "channel", "staff_id",
	                                   "summary",     "body", "occurred_at", NULL};
	if (!json_is_object(body))
		return kp_err_set(err, KP_EINVAL, "the body must be a JSON object");
	int rc = validate_known_keys(body, keys + (with_customer_id && creating ? 0 : 1), err);
	const char *s;
	int isnull;
	json_t *v;

	if (with_customer_id && creating) {
		v = json_object_get(body, "customer_id");
		if (!v || json_is_null(v))
			rc = kp_err_field(err, "customer_id", "is required");
		else if (validate_id("customer_id", v, &it->customer_id, err))
			rc = KP_EVALIDATION;
	}
	if (validate_get_str(body, "kind", &s, &isnull, err)) {
		rc = KP_EVALIDATION;
	} else if (s) {
		if (!validate_one_of(s, interaction_kinds))
			rc = kp_err_field(
			    err, "kind",
			    "must be one of call, email, meeting, chat, visit, purchase, sms, social, note");
		else
			it->kind = s;
	} else if (creating || isnull) {
		rc = kp_err_field(err, "kind", "is required");
	}
	if (validate_get_str(body, "direction", &s, &isnull, err)) {
		rc = KP_EVALIDATION;
	} else if (s) {
		if (!validate_one_of(s, interaction_directions))
			rc = kp_err_field(err, "direction", "must be inbound or outbound");
		else
			it->direction = s;
	} else if (creating || isnull) {
		rc = kp_err_field(err, "direction", "is required");
	}
	if (validate_get_str(body, "channel", &s, &isnull, err)) {
		rc = KP_EVALIDATION;
	} else if (s) {
		char *t = validate_trim(a, s);
		if (validate_text("channel", t, 0, INTERACTION_CHANNEL_MAX, 0, err))
			rc = KP_EVALIDATION;
		else
			it->channel = *t ? t : NULL;
	} else if (isnull) {
		it->channel = NULL;
	}
	if (validate_get_str(body, "summary", &s, &isnull, err))
		rc = KP_EVALIDATION;
	else if (s && validate_text("summary", s, 0, VALIDATE_SUMMARY_MAX, 0, err))
		rc = KP_EVALIDATION;
	else if (s || isnull)
		it->summary = s;
	if (validate_get_str(body, "body", &s, &isnull, err))
		rc = KP_EVALIDATION;
	else if (s && validate_text("body", s, VALIDATE_BODY_MAX, 0, 0, err))
		rc = KP_EVALIDATION;
	else if (s || isnull)
		it->body = s;
	v = json_object_get(body, "staff_id");
	if (v && json_is_null(v))
		it->staff_id = 0;
	else if (v && validate_id("staff_id", v, &it->staff_id, err))
		rc = KP_EVALIDATION;
	v = json_object_get(body, "occurred_at");
	if (v && json_is_null(v)) {
		if (!creating)
			rc = kp_err_field(err, "occurred_at", "cannot be removed");
	} else if (v) {
		int64_t ms;
		if (validate_time("occurred_at", v, &ms, err))
			rc = KP_EVALIDATION;
		else if (ms > time_now_ms() + INTERACTION_FUTURE_MS)
			rc = kp_err_field(err, "occurred_at", "is more than a day in the future");
		else
			it->occurred_at = ms;
	}
	return rc;
}

json_t *interaction_json(const struct interaction *it)
{
	return json_pack("{sI so so so so so so so so so sb so sI so so}", "id", (json_int_t)it->id, "customer_id",
	                 validate_id_json(it->customer_id), "organization_id", validate_id_json(it->org_id), "staff_id",
	                 validate_id_json(it->staff_id), "kind", validate_str_json(it->kind), "direction",
	                 validate_str_json(it->direction), "channel", validate_str_json(it->channel), "summary",
	                 validate_str_json(it->summary), "body", validate_str_json(it->body), "occurred_at",
	                 validate_time_json(it->occurred_at), "abusive", it->abusive, "analysis",
	                 it->analysis_json ? validate_parse_json(it->analysis_json, 0) : json_null(), "version",
	                 (json_int_t)it->version, "created_at", validate_time_json(it->created_at), "updated_at",
	                 validate_time_json(it->updated_at));
}

static int check_staff(struct store_conn *c, int64_t id, struct arena *a, struct kp_err *err)
{
	struct staff st;
	int rc = store_staff_get(c, id, &st, a, err);
	if (rc == KP_ENOTFOUND) {
		kp_err_init(err);
		return kp_err_field(err, "staff_id", "no staff member has id %lld", (long long)id);
	}
	return rc;
}

int interaction_build(struct store_conn *c, const struct actor *who, struct interaction *it, struct arena *a,
                      struct kp_err *err)
{
	struct customer cu;
	int rc = customer_get_live(c, it->customer_id, &cu, NULL, a, err);
	if (rc)
		return rc;
	it->org_id = cu.org_id;
	if (!it->staff_id)
		it->staff_id = who ? who->staff_id : 0;
	else if ((rc = check_staff(c, it->staff_id, a, err)))
		return rc;
	if (!it->occurred_at)
		it->occurred_at = time_now_ms();
	/* Text analysis of inbound text (issue 3): the API analyses on the loop thread and
	 * hands analysis_json / abusive in; anything not analysed yet is analysed here. Then
	 * the policy's routing for a flagged customer. */
	if (!it->analysis_json && (rc = protect_interaction_analyze(it, a, err)))
		return rc;
	return protect_interaction_route(c, it, a, err);
}

int interaction_create(struct store_conn *c, const struct actor *who, struct interaction *it, struct arena *a,
                       struct kp_err *err)
{
	int rc = interaction_build(c, who, it, a, err);
	if (rc)
		return rc;
	if ((rc = store_interaction_insert(c, it, err)))
		return rc;
	if ((rc = protect_interaction_recorded(c, who, it, 0, a, err)))
		return rc;
	json_t *view = interaction_json(it);
	json_object_del(view, "id");
	json_object_del(view, "version");
	json_object_del(view, "created_at");
	json_object_del(view, "updated_at");
	json_t *changes = validate_diff(NULL, view);
	rc = domain_audit(c, who, "create", "interaction", it->id, changes, err);
	json_decref(changes);
	json_decref(view);
	return rc;
}

static int get_checked(struct store_conn *c, int64_t id, int64_t if_version, struct interaction *out, struct arena *a,
                       struct kp_err *err)
{
	int rc = store_interaction_get(c, id, out, a, err);
	if (rc == KP_ENOTFOUND)
		return kp_err_set(err, KP_ENOTFOUND, "interaction %lld does not exist", (long long)id);
	if (rc)
		return rc;
	if (if_version && out->version != if_version)
		return kp_err_set(err, KP_EPRECONDITION,
		                  "interaction %lld: If-Match does not match its current ETag \"%lld\"", (long long)id,
		                  (long long)out->version);
	return 0;
}

int interaction_update(struct store_conn *c, const struct actor *who, int64_t id, json_t *body, int64_t if_version,
                       struct interaction *out, struct arena *a, struct kp_err *err)
{
	json_t *before = NULL, *after = NULL, *changes = NULL;
	int rc = get_checked(c, id, if_version, out, a, err);
	if (rc)
		goto out;
	int64_t version = out->version, staff = out->staff_id;
	/* issue 3: re-analyse when the text or the direction changed (here on the writer: the
	 * merged record is only known here) */
	const char *old_summary = out->summary, *old_body = out->body, *old_dir = out->direction;
	int was_abusive = out->abusive;
	before = interaction_json(out);
	if ((rc = interaction_apply(out, body, 0, 0, a, err)))
		goto out;
	if ((old_summary != out->summary || old_body != out->body || old_dir != out->direction) &&
	    (rc = protect_interaction_analyze(out, a, err)))
		goto out;
	if (out->staff_id != staff) {
		if (!out->staff_id)
			out->staff_id = who ? who->staff_id : 0;
		else if ((rc = check_staff(c, out->staff_id, a, err)))
			goto out;
	}
	after = interaction_json(out);
	static const char *const skip[] = {"id", "version", "created_at", "updated_at"};
	for (int i = 0; i < 4; i++) {
		json_object_del(before, skip[i]);
		json_object_del(after, skip[i]);
	}
	changes = validate_diff(before, after);
	if (json_object_size(changes) == 0)
		goto out;
	if ((rc = store_interaction_update(c, out, version, err)))
		goto out;
	if ((rc = protect_interaction_recorded(c, who, out, was_abusive, a, err)))
		goto out;
	rc = domain_audit(c, who, "update", "interaction", id, changes, err);
out:
	json_decref(before);
	json_decref(after);
	json_decref(changes);
	return rc;
}

int interaction_delete(struct store_conn *c, const struct actor *who, int64_t id, int64_t if_version, struct arena *a,
                       struct kp_err *err)
{
	struct interaction it;
	int rc = get_checked(c, id, if_version, &it, a, err);
	if (rc)
		return rc;
	if ((rc = store_interaction_delete(c, id, it.version, err)))
		return rc;
	json_t *changes = json_pack("{s[In]s[sn]s[on]}", "customer_id", (json_int_t)it.customer_id, "kind", it.kind,
	                            "summary", validate_str_json(it.summary));
	rc = domain_audit(c, who, "delete", "interaction", id, changes, err);
	json_decref(changes);
	return rc;
}
