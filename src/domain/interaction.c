#include "domain/interaction.h"

#include <stdlib.h>
#include <string.h>

#include "domain/customer.h"
#include "domain/protect.h"
#include "domain/validate.h"
#include "util/jsoncanon.h"
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
	if (v && json_is_null(v)) {
		it->staff_id = 0;
		it->staff_none = creating;
	} else if (v && validate_id("staff_id", v, &it->staff_id, err))
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
		else if (ms == 0) /* 0 is "not given" in the record; and an export's placeholder */
			rc = kp_err_field(err, "occurred_at", "is the Unix epoch itself (1970-01-01T00:00:00Z), a "
			                                      "placeholder rather than a time: leave it out for now");
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
	/* The customer's own row only (live, organisation, flags, name): no contacts or tags. */
	int rc = store_customer_get_brief(c, it->customer_id, &cu, a, err);
	if (rc == KP_ENOTFOUND)
		return kp_err_set(err, KP_ENOTFOUND, "customer %lld does not exist", (long long)it->customer_id);
	if (rc)
		return rc;
	if (cu.merged_into)
		return kp_err_set(err, KP_ENOTFOUND, "customer %lld was merged into customer %lld",
		                  (long long)it->customer_id, (long long)cu.merged_into);
	it->org_id = cu.org_id;
	it->customer_name = cu.name; /* the search entry's context: no second read */
	if (!it->staff_id && !it->staff_none)
		it->staff_id = who ? who->staff_id : 0;
	else if (it->staff_id && (rc = check_staff(c, it->staff_id, a, err)))
		return rc;
	if (!it->occurred_at)
		it->occurred_at = time_now_ms();
	/* Text analysis of inbound text (issue 3): the API analyses on the loop thread and
	 * hands analysis_json / abusive in; anything not analysed yet is analysed here. Then
	 * the policy's routing for a flagged customer (only a flagged customer's interaction
	 * is routed: the customer just read says whether it is, so unflagged customers cost no
	 * second read). */
	if (!it->analysis_json && (rc = protect_interaction_analyze(it, a, err)))
		return rc;
	if (!(cu.flags & CUSTOMER_FLAG_ABUSIVE))
		return 0;
	return protect_interaction_route(c, it, a, err);
}

/* ---- rendering straight into a buffer -------------------------------------------------
 *
 * The bytes are what jansson gives for the json_t trees this file builds (interaction_json()
 * dumped with JSON_COMPACT; the create audit's validate_diff(NULL, view) dumped with
 * JSON_COMPACT | JSON_SORT_KEYS): the same key order, jansson's string escaping
 * (buf_add_json_str_min), null members left out of the diff. The analysis (a JSON object
 * text) is copied verbatim when the caller knows it is jansson's own compact dump (made by
 * protect_interaction_analyze / _route, whose reals are already in jansson's %.17g form,
 * so parse + dump gives the same bytes) or passes jsoncanon_ok; else parsed and dumped. */

static int dump_cb(const char *s, size_t n, void *arg)
{
	return buf_add(arg, s, n) < 0 ? -1 : 0;
}

static int render_str(struct buf *b, const char *s)
{
	return s ? buf_add_json_str_min(b, s, strlen(s)) : buf_add(b, "null", 4);
}

static int render_id(struct buf *b, int64_t id)
{
	return id ? buf_add_i64(b, id) : buf_add(b, "null", 4);
}

static int render_time(struct buf *b, int64_t ms)
{
	char t[40];
	if (!ms)
		return buf_add(b, "null", 4);
	time_format_ms(ms, t, sizeof t);
	return buf_add_json_str_min(b, t, strlen(t));
}

/* The analysis as interaction_json() embeds it (validate_parse_json(text, 0)): verbatim
 * when trusted or canonical; otherwise parsed (anything unparsable is null) and dumped. */
static int render_analysis(struct buf *b, const char *text, int trusted)
{
	if (!text)
		return buf_add(b, "null", 4);
	size_t n = strlen(text);
	if (trusted || jsoncanon_ok(text, n, 0))
		return buf_add(b, text, n);
	json_t *j = validate_parse_json(text, 0);
	int rc = json_dump_callback(j, dump_cb, b, JSON_COMPACT | JSON_ENCODE_ANY) ? -1 : 0;
	json_decref(j);
	return rc;
}

static int render_interaction(const struct interaction *it, int analysis_trusted, struct buf *b)
{
	int rc = 0;
	rc |= buf_adds(b, "{\"id\":") | buf_add_i64(b, it->id);
	rc |= buf_adds(b, ",\"customer_id\":") | render_id(b, it->customer_id);
	rc |= buf_adds(b, ",\"organization_id\":") | render_id(b, it->org_id);
	rc |= buf_adds(b, ",\"staff_id\":") | render_id(b, it->staff_id);
	rc |= buf_adds(b, ",\"kind\":") | render_str(b, it->kind);
	rc |= buf_adds(b, ",\"direction\":") | render_str(b, it->direction);
	rc |= buf_adds(b, ",\"channel\":") | render_str(b, it->channel);
	rc |= buf_adds(b, ",\"summary\":") | render_str(b, it->summary);
	rc |= buf_adds(b, ",\"body\":") | render_str(b, it->body);
	rc |= buf_adds(b, ",\"occurred_at\":") | render_time(b, it->occurred_at);
	rc |= buf_adds(b, it->abusive ? ",\"abusive\":true" : ",\"abusive\":false");
	rc |= buf_adds(b, ",\"analysis\":") | render_analysis(b, it->analysis_json, analysis_trusted);
	rc |= buf_adds(b, ",\"version\":") | buf_add_i64(b, it->version);
	rc |= buf_adds(b, ",\"created_at\":") | render_time(b, it->created_at);
	rc |= buf_adds(b, ",\"updated_at\":") | render_time(b, it->updated_at);
	rc |= buf_addc(b, '}');
	return rc ? -1 : 0;
}

int interaction_render(const struct interaction *it, struct buf *b)
{
	return render_interaction(it, 0, b);
}

int interaction_render_created(const struct interaction *it, struct buf *b)
{
	return render_interaction(it, 1, b);
}

/* One `"key":[null,value]` member of the create audit (keys in sorted order). */
static int diff_key(struct buf *b, int *first, const char *key)
{
	int rc = *first ? 0 : buf_addc(b, ',');
	*first = 0;
	rc |= buf_addc(b, '"') | buf_adds(b, key) | buf_adds(b, "\":[null,");
	return rc;
}

/* The create audit's changes: validate_diff(NULL, view) of interaction_json() without id,
 * version, created_at and updated_at, as JSON_COMPACT | JSON_SORT_KEYS text (malloc'd), or
 * NULL. analysis_sorted: the analysis dumped with JSON_SORT_KEYS (NULL: made here). */
static char *create_changes(const struct interaction *it, const char *analysis_sorted)
{
	struct buf b = BUF_INIT(64 << 20);
	char *owned = NULL;
	int rc = 0, first = 1;
	if (it->analysis_json && !analysis_sorted) {
		json_t *j = validate_parse_json(it->analysis_json, 0);
		if (j && !json_is_null(j))
			analysis_sorted = owned = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
		json_decref(j);
		if (!owned)
			return NULL; /* unparsable stored analysis: let the caller take the tree path */
	}
	rc |= buf_addc(&b, '{');
	rc |= diff_key(&b, &first, "abusive") | buf_adds(&b, it->abusive ? "true]" : "false]");
	if (analysis_sorted)
		rc |= diff_key(&b, &first, "analysis") | buf_adds(&b, analysis_sorted) | buf_addc(&b, ']');
	if (it->body)
		rc |= diff_key(&b, &first, "body") | render_str(&b, it->body) | buf_addc(&b, ']');
	if (it->channel)
		rc |= diff_key(&b, &first, "channel") | render_str(&b, it->channel) | buf_addc(&b, ']');
	if (it->customer_id)
		rc |= diff_key(&b, &first, "customer_id") | buf_add_i64(&b, it->customer_id) | buf_addc(&b, ']');
	if (it->direction)
		rc |= diff_key(&b, &first, "direction") | render_str(&b, it->direction) | buf_addc(&b, ']');
	if (it->kind)
		rc |= diff_key(&b, &first, "kind") | render_str(&b, it->kind) | buf_addc(&b, ']');
	if (it->occurred_at)
		rc |= diff_key(&b, &first, "occurred_at") | render_time(&b, it->occurred_at) | buf_addc(&b, ']');
	if (it->org_id)
		rc |= diff_key(&b, &first, "organization_id") | buf_add_i64(&b, it->org_id) | buf_addc(&b, ']');
	if (it->staff_id)
		rc |= diff_key(&b, &first, "staff_id") | buf_add_i64(&b, it->staff_id) | buf_addc(&b, ']');
	if (it->summary)
		rc |= diff_key(&b, &first, "summary") | render_str(&b, it->summary) | buf_addc(&b, ']');
	rc |= buf_addc(&b, '}');
	free(owned);
	if (rc) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b, NULL);
}

/* The create audit through the jansson tree (the reference form of create_changes()). */
static int audit_create_tree(struct store_conn *c, const struct actor *who, const struct interaction *it,
                             struct kp_err *err)
{
	json_t *view = interaction_json(it);
	json_object_del(view, "id");
	json_object_del(view, "version");
	json_object_del(view, "created_at");
	json_object_del(view, "updated_at");
	json_t *changes = validate_diff(NULL, view);
	int rc = domain_audit(c, who, "create", "interaction", it->id, changes, err);
	json_decref(changes);
	json_decref(view);
	return rc;
}

static int create(struct store_conn *c, const struct actor *who, struct interaction *it, const char *analysis_sorted,
                  struct arena *a, struct kp_err *err)
{
	const char *analysed = it->analysis_json;
	int rc = interaction_build(c, who, it, a, err);
	if (rc)
		return rc;
	if (it->analysis_json != analysed)
		analysis_sorted = NULL; /* routed_to_team was added on the writer */
	if ((rc = store_interaction_insert(c, it, err)))
		return rc;
	if ((rc = protect_interaction_recorded(c, who, it, 0, a, err)))
		return rc;
	/* the audit keeps the words as received (evidence); its list masks them as every other
	 * read does (api/audit.c) */
	char *changes = create_changes(it, analysis_sorted);
	if (!changes)
		return audit_create_tree(c, who, it, err);
	rc = domain_audit_text(c, who, "create", "interaction", it->id, changes, err);
	free(changes);
	return rc;
}

int interaction_create(struct store_conn *c, const struct actor *who, struct interaction *it, struct arena *a,
                       struct kp_err *err)
{
	return create(c, who, it, NULL, a, err);
}

/* A string borrowed from the body, copied into the arena (the body is released before the
 * job runs); kind and direction point at the static tables instead. */
static const char *from_table(const char *s, const char *const *table)
{
	for (size_t i = 0; s && table[i]; i++)
		if (!strcmp(s, table[i]))
			return table[i];
	return s;
}

int interaction_prepare(struct interaction_prep *p, json_t *body, int with_customer_id, struct arena *a,
                        struct kp_err *err)
{
	struct interaction *it = &p->it;
	memset(p, 0, sizeof *p);
	int rc = interaction_apply(it, body, 1, with_customer_id, a, err);
	if (rc)
		return rc;
	it->kind = from_table(it->kind, interaction_kinds);
	it->direction = from_table(it->direction, interaction_directions);
	if (it->summary)
		it->summary = arena_strdup(a, it->summary);
	if (it->body)
		it->body = arena_strdup(a, it->body);
	return protect_interaction_analyze_sorted(it, &p->analysis_sorted, a, err);
}

int interaction_create_prepared(struct store_conn *c, const struct actor *who, struct interaction_prep *p,
                                struct arena *a, struct kp_err *err)
{
	return create(c, who, &p->it, p->analysis_sorted, a, err);
}

static int get_checked(struct store_conn *c, int64_t id, const struct validate_precond *pre, struct interaction *out,
                       struct arena *a, struct kp_err *err)
{
	int rc = store_interaction_get(c, id, out, a, err);
	if (rc == KP_ENOTFOUND)
		return kp_err_set(err, KP_ENOTFOUND, "interaction %lld does not exist", (long long)id);
	if (rc)
		return rc;
	return validate_precond_check("interaction", id, out->version, pre, err);
}

/* 1 if two optional strings differ. */
static int str_changed(const char *a, const char *b)
{
	return (a == NULL) != (b == NULL) || (a && strcmp(a, b) != 0);
}

int interaction_update(struct store_conn *c, const struct actor *who, int64_t id, json_t *body,
                       const struct validate_precond *pre, struct interaction *out, struct arena *a, struct kp_err *err)
{
	json_t *before = NULL, *after = NULL, *changes = NULL;
	int rc = get_checked(c, id, pre, out, a, err);
	if (rc)
		goto out;
	int64_t version = out->version, staff = out->staff_id, occurred = out->occurred_at;
	const char *old_analysis = out->analysis_json;
	int old_severe = protect_analysis_severe(old_analysis);
	/* issue 3: re-analyse when the text or the direction changed (here on the writer: the
	 * merged record is only known here) */
	const char *old_summary = out->summary, *old_body = out->body, *old_dir = out->direction;
	int was_abusive = out->abusive, was_incident = protect_interaction_incident(out), typed_hidden = 0;
	struct interaction masked_before = *out;
	protect_mask_interaction(&masked_before, a);
	before = interaction_json(out);
	if ((rc = interaction_apply(out, body, 0, 0, a, err)))
		goto out;
	if (was_abusive) {
		/* A client that read the record got the text masked and may send it back with
		 * another field changed (GET, modify, PATCH): the masked text is what we showed,
		 * not new content, and must not overwrite the customer's words (nor a reply's
		 * quote of them: outbound text is masked alike). */
		if (out->summary && old_summary && out->summary != old_summary && masked_before.summary)
			rc |= protect_masked_edit(old_summary, masked_before.summary, &out->summary, "summary",
			                          &typed_hidden, err);
		if (out->body && old_body && out->body != old_body && masked_before.body)
			rc |= protect_masked_edit(old_body, masked_before.body, &out->body, "body", &typed_hidden, err);
		if (rc)
			goto out;
		/* An abusive message received stays received: as outbound it would leave its
		 * incident behind (outbound text is masked too, but never an incident). */
		if (old_dir && out->direction && strcmp(old_dir, out->direction) != 0 && !strcmp(old_dir, "inbound")) {
			rc = kp_err_field(err, "direction",
			                  "cannot change: this inbound message is abusive (masked and counted); record "
			                  "a reply as a new outbound interaction");
			goto out;
		}
	}
	/* A message that made an incident for a staff member: what the incident rests on (its words,
	 * its direction, its recipient, its day) is the recipient's or a manager's to change, as a
	 * not_abusive correction is (api/text.c): another agent editing the words clean, or making
	 * themself the recipient, would take the protection away */
	if (was_incident && who->role < ROLE_MANAGER && who->staff_id != staff &&
	    (str_changed(old_summary, out->summary) || str_changed(old_body, out->body) ||
	     str_changed(old_dir, out->direction) || out->staff_id != staff || out->occurred_at != occurred)) {
		rc = kp_err_set(err, KP_EFORBIDDEN,
		                "this message made an incident for another staff member: only they, or a manager, may"
		                " change its words, direction, recipient or time");
		goto out;
	}
	int reanalysed = old_summary != out->summary || old_body != out->body || old_dir != out->direction;
	/* a staff correction of an unchanged text stands (protect_interaction_reanalyse) */
	if (reanalysed && ((rc = protect_interaction_reanalyse(out, old_summary, old_body, old_analysis, a, err)) ||
	                   (rc = protect_interaction_reanalysed(c, out, old_analysis, a, err))))
		goto out;
	/* "staff_id": null clears it (on create it means no staff member; left out, the caller) */
	if (out->staff_id != staff && out->staff_id && (rc = check_staff(c, out->staff_id, a, err)))
		goto out;
	after = interaction_json(out);
	static const char *const skip[] = {"id", "version", "created_at", "updated_at"};
	for (int i = 0; i < 4; i++) {
		json_object_del(before, skip[i]);
		json_object_del(after, skip[i]);
	}
	changes = validate_diff(before, after);
	/* An edit that types a masked field's hidden words exactly changes nothing, yet is written
	 * as a new version like any other edit: answered as a no-op, it would confirm a guess of
	 * words the client was never shown. */
	if (json_object_size(changes) == 0 && !typed_hidden)
		goto out;
	if ((rc = store_interaction_update(c, out, version, err)))
		goto out;
	int is_incident = protect_interaction_incident(out);
	/* still an incident, but of other words, another recipient or another day: the incident is
	 * recorded again as it is now (its categories and "severe", the staff member and team
	 * exposure counts, the day the policy counts), and the policy applied to it */
	int rerecorded =
	    was_incident && is_incident && (reanalysed || out->staff_id != staff || out->occurred_at != occurred);
	if (rerecorded && (rc = store_notification_withdraw(c, id, NULL, err)))
		goto out;
	if ((rc = protect_interaction_recorded(c, who, out, was_incident && !rerecorded, a, err)))
		goto out;
	/* (a severe threat edited into a plain insult no longer holds a flag it brought) */
	if (rerecorded && old_severe && !protect_analysis_severe(out->analysis_json) &&
	    (rc = protect_policy_withdrawn(c, who, out->customer_id, occurred, 1, a, err)))
		goto out;
	/* edited into no incident (a wrong paste corrected, say): its incident is withdrawn from
	 * the notifications, exposure and the policy's counts, and a flag it brought is cleared
	 * when no longer due; an edit back records a new one, so a message has at most one
	 * incident (the edits themselves are audited) */
	if (was_incident && !is_incident &&
	    ((rc = store_notification_withdraw(c, id, NULL, err)) ||
	     (rc = protect_policy_withdrawn(c, who, out->customer_id, occurred, old_severe, a, err))))
		goto out;
	/* the old and new words as they were (the audit's list masks them): an edit never
	 * leaves the customer's original words stored nowhere */
	rc = domain_audit(c, who, "update", "interaction", id, changes, err);
out:
	json_decref(before);
	json_decref(after);
	json_decref(changes);
	return rc;
}

int interaction_delete(struct store_conn *c, const struct actor *who, int64_t id, const struct validate_precond *pre,
                       struct arena *a, struct kp_err *err)
{
	struct interaction it;
	int rc = get_checked(c, id, pre, &it, a, err);
	if (rc)
		return rc;
	if ((rc = store_interaction_delete(c, id, it.version, err)))
		return rc;
	return interaction_audit_deleted(c, who, &it, 0, err);
}

/* The delete entry's changes through the jansson tree: the reference form of
 * interaction_deleted_changes(), which it falls back to. */
static char *deleted_changes_tree(const struct interaction *it, int64_t with_customer)
{
	/* what was deleted, words included (the audit's list masks them): deleting a message
	 * does not erase what a customer wrote to staff; with whether it was abusive and its
	 * analysis, so the list masks its words as they were masked (a staff correction included)
	 * once the message is gone */
	json_t *changes = json_pack("{s[In]s[sn]s[sn]s[on]s[on]}", "customer_id", (json_int_t)it->customer_id, "kind",
	                            it->kind, "direction", it->direction ? it->direction : "", "summary",
	                            validate_str_json(it->summary), "body", validate_str_json(it->body));
	if (changes && it->analysis_json) {
		json_object_set_new(changes, "abusive", json_pack("[bn]", it->abusive));
		json_object_set_new(changes, "analysis", json_pack("[on]", validate_parse_json(it->analysis_json, 0)));
	}
	if (changes && with_customer)
		json_object_set_new(changes, "deleted_with_customer", json_integer(with_customer));
	char *s = changes ? json_dumps(changes, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(changes);
	return s;
}

char *interaction_deleted_changes(const struct interaction *it, int64_t with_customer)
{
	/* The tree's bytes written straight: its members in key order, the stored analysis
	 * copied with its keys sorted (jsoncanon_sorted) rather than parsed and dumped again,
	 * which was 43% of a customer's DELETE (docs/performance.md). Anything the copy cannot
	 * vouch for (a text that is not UTF-8, no kind, an analysis not in jansson's form) takes
	 * the tree. */
	struct buf b = BUF_INIT(64 << 20);
	int rc = 0;
	if (!it->kind)
		return deleted_changes_tree(it, with_customer);
	rc |= buf_addc(&b, '{');
	if (it->analysis_json) {
		rc |= buf_adds(&b, it->abusive ? "\"abusive\":[true,null],\"analysis\":["
		                               : "\"abusive\":[false,null],\"analysis\":[");
		if (rc == 0 && jsoncanon_sorted(it->analysis_json, strlen(it->analysis_json), &b) != 1)
			rc = -1;
		rc |= buf_adds(&b, ",null],");
	}
	rc |= buf_adds(&b, "\"body\":[") | render_str(&b, it->body);
	rc |= buf_adds(&b, ",null],\"customer_id\":[") | buf_add_i64(&b, it->customer_id) | buf_adds(&b, ",null]");
	if (with_customer)
		rc |= buf_adds(&b, ",\"deleted_with_customer\":") | buf_add_i64(&b, with_customer);
	rc |= buf_adds(&b, ",\"direction\":[") | render_str(&b, it->direction ? it->direction : "");
	rc |= buf_adds(&b, ",null],\"kind\":[") | render_str(&b, it->kind);
	rc |= buf_adds(&b, ",null],\"summary\":[") | render_str(&b, it->summary) | buf_adds(&b, ",null]}");
	if (rc) {
		buf_release(&b);
		return deleted_changes_tree(it, with_customer);
	}
	return buf_detach(&b, NULL);
}

int interaction_audit_deleted(struct store_conn *c, const struct actor *who, const struct interaction *it,
                              int64_t with_customer, struct kp_err *err)
{
	char *changes = interaction_deleted_changes(it, with_customer);
	int rc = domain_audit_text(c, who, "delete", "interaction", it->id, changes, err);
	free(changes);
	return rc;
}
