/*
 * wellbeing: /api/v1/wellbeing - staff protection for managers (issue 3): incident
 * notifications (list, acknowledge), exposure of staff and teams to abusive messages over
 * time, customers with repeated incidents, and the policy. Rules in domain/protect.c.
 *
 * Also the audited reveal of an abusive interaction (api_protect_reveal), which the
 * interaction GET calls for ?reveal=1.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/cursor.h"
#include "api/handlers.h"
#include "api/render.h"
#include "domain/interaction.h"
#include "domain/protect.h"
#include "domain/validate.h"
#include "util/timeutil.h"

#define NOTIF_SORT "-id"
#define POLICY_THRESHOLD_MAX 1000
#define POLICY_PERIOD_MAX 3650
#define TEAM_MAX 100 /* characters */

static json_t *notification_json(const struct wellbeing_notification *n)
{
	return json_pack("{sI so so so so so so so so so}", "id", (json_int_t)n->id, "interaction_id",
	                 validate_id_json(n->interaction_id), "customer_id", validate_id_json(n->customer_id),
	                 "staff_id", validate_id_json(n->staff_id), "team", validate_str_json(n->team),
	                 "routed_to_team", validate_str_json(n->routed_to_team), "categories",
	                 validate_parse_json(n->categories_json ? n->categories_json : "[]", 0), "occurred_at",
	                 validate_time_json(n->occurred_at), "acknowledged_at",
	                 n->acked_at ? validate_time_json(n->acked_at) : json_null(), "acknowledged_by",
	                 validate_id_json(n->acked_by));
}

/* A yes/no query parameter: "1"/"true" or "0"/"false" (absent: *out unchanged). 0, or -1 with a
 * field error in err. */
static int q_flag(struct api_req *r, const char *name, int *out, struct kp_err *err)
{
	const char *s = api_query(r, name);
	if (!s)
		return 0;
	if (strcmp(s, "1") != 0 && strcmp(s, "0") != 0 && strcmp(s, "true") != 0 && strcmp(s, "false") != 0) {
		kp_err_set(err, KP_EINVAL, "invalid query parameter %s", name);
		kp_err_field(err, name, "must be 1 or 0");
		return -1;
	}
	*out = s[0] == '1' || s[0] == 't';
	api_scope_param(r, name, *out ? "1" : "0");
	return 0;
}

int api_wellbeing_notifications_list(struct api_req *r)
{
	struct kp_err err = KP_ERR_INIT;
	struct notification_filter f = {0};
	struct notification_list list = {0};
	struct store_page pg = {0};
	/* `|`, not `||`: check every parameter and report all that are bad at once; the cursor
	 * after them (its list is the filters as read, api_scope_param) */
	if (api_q_limit(r, &f.limit, &err) | api_q_id(r, "customer_id", &f.customer_id, &err) |
	    q_flag(r, "unacknowledged", &f.unacked_only, &err) | q_flag(r, "severe", &f.severe_only, &err) |
	    api_q_team(r, "team", &f.team, &err) | api_q_team(r, "routed_to_team", &f.routed_to_team, &err))
		return api_fail_err(r, &err);
	if (api_q_cursor(r, NOTIF_SORT, &pg, &err))
		return api_fail_err(r, &err);
	if (pg.has_after)
		f.before_id = pg.after_id;
	/* a customer merged away: a 404 naming the survivor, as its timeline and /interactions */
	int rc = api_customer_filter(r, f.customer_id);
	if (rc != -1)
		return rc;
	struct store_conn *c = store_reader(r->srv->store, &err);
	if (!c)
		return api_fail_err(r, &err);
	if (store_notification_list(c, &f, &list, r->arena, &err))
		return api_fail_err(r, &err);
	json_t *items = json_array();
	for (size_t i = 0; i < list.n; i++)
		json_array_append_new(items, notification_json(&list.items[i]));
	const char *next = NULL;
	if (list.more && list.n)
		next = api_cursor_next(r, NOTIF_SORT, "", list.items[list.n - 1].id);
	return api_render_page(r, items, next);
}

static int run_ack(struct store_conn *c, struct api_req *r, struct kp_err *err)
{
	struct api_write_ctx *w = r->write_ctx;
	struct actor who = api_actor(r);
	struct wellbeing_notification n;
	int acked_now = 0;
	int rc = store_notification_ack(c, w->id, who.staff_id, time_now_ms(), &acked_now, &n, r->arena, err);
	if (rc == KP_ENOTFOUND)
		return kp_err_set(err, KP_ENOTFOUND, "notification %" PRId64 " does not exist", w->id);
	if (rc)
		return rc;
	/* audited when this call acknowledged it (acknowledging again changes nothing) */
	if (acked_now && (rc = domain_audit(c, &who, "ack", "wellbeing_notification", n.id, NULL, err)))
		return rc;
	api_render_record(r, 200, notification_json(&n), 0, NULL);
	return 0;
}

/* The body is an empty JSON object ({}): nothing to set yet, but a body that is not one is
 * refused as on every other write. */
int api_wellbeing_notifications_ack(struct api_req *r)
{
	int64_t id = api_param_id(r, 0);
	if (!id)
		return api_fail(r, KP_ENOTFOUND, "no such notification");
	if (!api_body_empty(r))
		return API_DONE;
	struct api_write_ctx *w = api_write_ctx_new(r, NULL);
	w->id = id;
	return api_write_start(r, run_ack, w);
}

/* ---- exposure ---------------------------------------------------------------------------- */

/* Add count to the bucket list of group g ({"total": n, "buckets": [{"start", "count"}]}). */
static void group_add(json_t *g, const char *bucket, int64_t count)
{
	json_t *buckets = json_object_get(g, "buckets");
	size_t n = json_array_size(buckets);
	json_t *last = n ? json_array_get(buckets, n - 1) : NULL;
	if (last && strcmp(json_string_value(json_object_get(last, "start")), bucket) == 0)
		json_object_set_new(last, "count",
		                    json_integer(json_integer_value(json_object_get(last, "count")) + count));
	else
		json_array_append_new(buckets, json_pack("{sssI}", "start", bucket, "count", (json_int_t)count));
	json_object_set_new(g, "total", json_integer(json_integer_value(json_object_get(g, "total")) + count));
}

int api_wellbeing_exposure(struct api_req *r)
{
	static const char *const periods[] = {"day", "week", "month", NULL};
	struct kp_err err = KP_ERR_INIT;
	struct exposure_filter f = {0};
	struct exposure_list list = {0};
	const char *s, *period = "week";
	if (api_q_time(r, "from", API_TIME_GE_OR_LT, &f.from, &err) |
	    api_q_time(r, "to", API_TIME_GE_OR_LT, &f.to, &err) | api_q_id(r, "staff_id", &f.staff_id, &err))
		return api_fail_err(r, &err);
	if ((s = api_query(r, "period"))) {
		if (!validate_one_of(s, periods)) {
			kp_err_set(&err, KP_EINVAL, "invalid query parameter period");
			kp_err_field(&err, "period", "must be day, week or month");
			return api_fail_err(r, &err);
		}
		period = s;
	}
	f.period = strcmp(period, "day") == 0 ? EXPOSURE_DAY : strcmp(period, "week") == 0 ? EXPOSURE_WEEK : EXPOSURE_MONTH;
	if (api_q_team(r, "team", &f.team, &err))
		return api_fail_err(r, &err);
	if (f.from && f.to && f.from > f.to) {
		kp_err_set(&err, KP_EINVAL, "invalid query parameters");
		kp_err_field(&err, "from", "must not be after to");
		return api_fail_err(r, &err);
	}
	/* An agent sees their own exposure only: asking for someone else's, or a team's, is a
	 * 403 rather than a silent answer about themselves. */
	if (r->who.role < ROLE_MANAGER) {
		if ((f.staff_id && f.staff_id != r->who.staff_id) || f.team)
			return api_fail(r, KP_EFORBIDDEN, "agents see their own exposure only");
		f.staff_id = r->who.staff_id;
	}
	struct store_conn *c = store_reader(r->srv->store, &err);
	if (!c)
		return api_fail_err(r, &err);
	if (store_exposure(c, &f, &list, r->arena, &err))
		return api_fail_err(r, &err);
	json_t *staff = json_object(), *teams = json_object();
	/* incidents in messages addressed to no staff member: nobody's and no team's exposure, but
	 * abuse received all the same, so counted in the total and shown as such */
	json_t *unassigned = json_pack("{sIs[]}", "total", (json_int_t)0, "buckets");
	int64_t total = 0;
	for (size_t i = 0; i < list.n; i++) {
		const struct exposure_row *e = &list.items[i];
		char key[32];
		total += e->count;
		if (!e->staff_id) {
			group_add(unassigned, e->bucket, e->count);
			continue;
		}
		snprintf(key, sizeof key, "%" PRId64, e->staff_id);
		json_t *g = json_object_get(staff, key);
		if (!g) {
			g = json_pack("{sosIs[]}", "staff_id", validate_id_json(e->staff_id), "total", (json_int_t)0,
			              "buckets");
			json_object_set_new(staff, key, g);
		}
		group_add(g, e->bucket, e->count);
		const char *tkey = e->team ? e->team : "";
		json_t *t = json_object_get(teams, tkey);
		if (!t) {
			t = json_pack("{sosIs[]}", "team", validate_str_json(e->team), "total", (json_int_t)0, "buckets");
			json_object_set_new(teams, tkey, t);
		}
		group_add(t, e->bucket, e->count);
	}
	/* Rows come ordered by bucket, so each group's buckets are in time order; rows of one
	 * bucket may reach a group twice (several teams of one person), group_add merges them. */
	json_t *staff_arr = json_array(), *team_arr = json_array(), *v;
	const char *k;
	json_object_foreach(staff, k, v) json_array_append(staff_arr, v);
	/* a team's figures are the whole team's: one member's share under the team's name would
	 * read as the team's total, so a query for one staff member lists no teams */
	if (!f.staff_id)
		json_object_foreach(teams, k, v)
		{
			json_array_append(team_arr, v);
		}
	json_decref(staff);
	json_decref(teams);
	json_t *out = json_pack("{sssssoso sI so so so sb}", "period", period, "timezone", time_zone(), "from",
	                        api_q_time_json(r, "from", f.from), "to", api_q_time_json(r, "to", f.to), "total",
	                        (json_int_t)total, "staff", staff_arr, "teams", team_arr, "unassigned", unassigned,
	                        "truncated", list.more);
	return api_render_record(r, 200, out, 0, NULL);
}

int api_wellbeing_customers(struct api_req *r)
{
	struct kp_err err = KP_ERR_INIT;
	struct incident_customer_list list = {0};
	int64_t since = 0, min = 2;
	int limit = 0;
	const char *s;
	if (api_q_time(r, "since", API_TIME_GE_OR_LT, &since, &err) | api_q_limit(r, &limit, &err))
		return api_fail_err(r, &err);
	if ((s = api_query(r, "min"))) {
		char *e;
		long v = strtol(s, &e, 10);
		if (!*s || *e || v < 1 || v > 1000000) {
			kp_err_set(&err, KP_EINVAL, "invalid query parameter min");
			kp_err_field(&err, "min", "must be an integer from 1 to 1000000");
			return api_fail_err(r, &err);
		}
		min = v;
	}
	api_scope_param(r, "min", arena_printf(r->arena, "%" PRId64, min));
	/* the cursor: the last customer's incident count and id, and the filters it was made for
	 * (key "count:min:since"), so a cursor never moves through another list */
	struct store_page pg = {0};
	int64_t after_k = 0;
	if (api_q_cursor(r, "incident_customers", &pg, &err))
		return api_fail_err(r, &err);
	if (pg.has_after) {
		long long k = 0, m = 0, sn = 0;
		if (sscanf(pg.after_key, "%lld:%lld:%lld", &k, &m, &sn) != 3 || k < 1 || m != min || sn != since) {
			kp_err_set(&err, KP_EINVAL, "invalid query parameter cursor");
			kp_err_field(&err, "cursor", "was made for other filters (pass next_cursor with the same since and min)");
			return api_fail_err(r, &err);
		}
		after_k = k;
	}
	struct store_conn *c = store_reader(r->srv->store, &err);
	if (!c)
		return api_fail_err(r, &err);
	if (store_incident_customers(c, since, min, limit ? limit : API_LIST_DEFAULT, after_k, pg.after_id, &list,
	                             r->arena, &err))
		return api_fail_err(r, &err);
	json_t *items = json_array();
	for (size_t i = 0; i < list.n; i++) {
		const struct incident_customer *ic = &list.items[i];
		json_array_append_new(items,
		                      json_pack("{sIsosIsosb}", "customer_id", (json_int_t)ic->customer_id, "name",
		                                validate_str_json(ic->name), "incidents", (json_int_t)ic->incidents,
		                                "last_incident_at", validate_time_json(ic->last_at), "flagged",
		                                (ic->flags & CUSTOMER_FLAG_ABUSIVE) != 0));
	}
	const char *next = NULL;
	if (list.more && list.n) {
		const struct incident_customer *last = &list.items[list.n - 1];
		next = api_cursor_next(
		    r, "incident_customers",
		    arena_printf(r->arena, "%" PRId64 ":%" PRId64 ":%" PRId64, last->incidents, min, since),
		    last->customer_id);
	}
	return api_render_page(r, items, next);
}

/* ---- clearing a customer's flag -------------------------------------------------------------- */

#define UNFLAG_REASON_MAX 500 /* characters */

static int run_unflag(struct store_conn *c, struct api_req *r, struct kp_err *err)
{
	struct api_write_ctx *w = r->write_ctx;
	struct actor who = api_actor(r);
	struct customer cu;
	json_t *body = api_write_ctx_body(w);
	const char *reason = json_string_value(json_object_get(body, "reason"));
	int rc = protect_customer_unflag(c, &who, w->id, reason, &cu, r->arena, err);
	json_decref(body);
	if (rc)
		return rc;
	api_render_record(r, 200,
	                  json_pack("{sIsosb}", "customer_id", (json_int_t)cu.id, "name", validate_str_json(cu.name),
	                            "flagged", (cu.flags & CUSTOMER_FLAG_ABUSIVE) != 0),
	                  0, NULL);
	r->idem_subject = arena_printf(r->arena, "/api/v1/customers/%" PRId64, cu.id); /* it shows the name */
	return 0;
}

int api_wellbeing_customers_unflag(struct api_req *r)
{
	static const char *const keys[] = {"reason", NULL};
	struct kp_err err = KP_ERR_INIT;
	int64_t id = api_param_id(r, 0);
	const char *reason;
	if (!id)
		return api_fail(r, KP_ENOTFOUND, "no such customer");
	json_t *body = api_body_object(r);
	if (!body)
		return API_DONE;
	int rc = validate_known_keys(body, keys, &err);
	if (validate_get_str(body, "reason", &reason, NULL, &err))
		rc = KP_EVALIDATION;
	else if (reason && validate_text("reason", reason, 0, UNFLAG_REASON_MAX, 0, &err))
		rc = KP_EVALIDATION;
	if (rc) {
		json_decref(body);
		return api_fail_err(r, &err);
	}
	struct api_write_ctx *w = api_write_ctx_new(r, body);
	w->id = id;
	return api_write_start(r, run_unflag, w);
}

/* ---- policy -------------------------------------------------------------------------------- */

static json_t *policy_json(const struct wellbeing_policy *p)
{
	return json_pack("{sisisososo}", "incident_threshold", p->incident_threshold, "period_days", p->period_days,
	                 "route_to_team", validate_str_json(p->route_to_team), "updated_by",
	                 validate_id_json(p->updated_by), "updated_at",
	                 p->updated_at ? validate_time_json(p->updated_at) : json_null());
}

int api_wellbeing_policy_get(struct api_req *r)
{
	struct kp_err err = KP_ERR_INIT;
	struct wellbeing_policy p;
	struct store_conn *c = store_reader(r->srv->store, &err);
	if (!c)
		return api_fail_err(r, &err);
	if (store_policy_get(c, &p, r->arena, &err))
		return api_fail_err(r, &err);
	return api_render_record(r, 200, policy_json(&p), 0, NULL);
}

/* Apply body to p (fields absent keep their value). */
static int policy_apply(struct wellbeing_policy *p, json_t *body, struct arena *a, struct kp_err *err)
{
	/* updated_by and updated_at are read-only: accepted (and ignored) so that what GET gave
	 * can be PUT back with one value changed */
	static const char *const keys[] = {"incident_threshold", "period_days", "route_to_team", "updated_by",
	                                   "updated_at", NULL};
	int rc = validate_known_keys(body, keys, err);
	json_t *v;
	const char *s;
	int isnull;
	if ((v = json_object_get(body, "incident_threshold"))) {
		if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > POLICY_THRESHOLD_MAX)
			rc = kp_err_field(err, "incident_threshold", "must be an integer from 0 (never) to %d",
			                  POLICY_THRESHOLD_MAX);
		else
			p->incident_threshold = (int)json_integer_value(v);
	}
	if ((v = json_object_get(body, "period_days"))) {
		if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > POLICY_PERIOD_MAX)
			rc = kp_err_field(err, "period_days", "must be an integer from 1 to %d", POLICY_PERIOD_MAX);
		else
			p->period_days = (int)json_integer_value(v);
	}
	if (validate_get_str(body, "route_to_team", &s, &isnull, err)) {
		rc = KP_EVALIDATION;
	} else if (s) {
		char *t = validate_trim(a, s);
		if (validate_text("route_to_team", t, 0, TEAM_MAX, 1, err))
			rc = KP_EVALIDATION;
		else if (strpbrk(t, "\t\r\n"))
			rc = kp_err_field(err, "route_to_team", "must be a single line (a team name)");
		else
			p->route_to_team = *t ? t : NULL;
	} else if (isnull) {
		p->route_to_team = NULL;
	}
	/* the read-only values are ignored, but only as GET gives them: an id and a time */
	if ((v = json_object_get(body, "updated_by")) && !json_is_null(v) &&
	    (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > VALIDATE_ID_MAX))
		rc = kp_err_field(err, "updated_by", "is read-only; if given, it must be a staff id or null");
	int64_t ms;
	if ((v = json_object_get(body, "updated_at")) && !json_is_null(v) && validate_time("updated_at", v, &ms, err))
		rc = KP_EVALIDATION;
	return rc;
}

/* 0 if some staff member is in team (exactly as written: teams are names staff records
 * carry), else a field error: routing to a team nobody is in would send a flagged customer's
 * messages nowhere. Staff lists are short; the pages are read on the writer. */
static int team_exists(struct store_conn *c, const char *team, struct arena *a, struct kp_err *err)
{
	struct store_page pg = { .limit = 200 };
	struct staff_list list;
	for (;;) {
		int rc = store_staff_list(c, NULL, &pg, &list, a, err);
		if (rc)
			return rc;
		for (size_t i = 0; i < list.n; i++)
			if (list.items[i].team && strcmp(list.items[i].team, team) == 0)
				return 0;
		if (!list.more || !list.n)
			break;
		pg.has_after = 1;
		pg.after_id = list.items[list.n - 1].id;
	}
	return kp_err_field(err, "route_to_team", "no staff member is in team \"%s\" (team names are matched exactly)",
	                    team);
}

static int run_policy_put(struct store_conn *c, struct api_req *r, struct kp_err *err)
{
	struct api_write_ctx *w = r->write_ctx;
	struct actor who = api_actor(r);
	struct wellbeing_policy p;
	json_t *body = api_write_ctx_body(w), *before = NULL, *after = NULL, *changes = NULL;
	int rc = store_policy_get(c, &p, r->arena, err);
	if (rc)
		goto out;
	before = policy_json(&p);
	const char *old_team = p.route_to_team;
	if ((rc = policy_apply(&p, body, r->arena, err)))
		goto out;
	if (p.route_to_team && (!old_team || strcmp(old_team, p.route_to_team) != 0) &&
	    (rc = team_exists(c, p.route_to_team, r->arena, err)))
		goto out;
	p.updated_by = who.staff_id;
	p.updated_at = time_now_ms();
	if ((rc = store_policy_put(c, &p, err)))
		goto out;
	after = policy_json(&p);
	json_object_del(before, "updated_at");
	json_object_del(before, "updated_by");
	json_object_del(after, "updated_at");
	json_object_del(after, "updated_by");
	changes = validate_diff(before, after);
	if ((rc = domain_audit(c, &who, "update", "wellbeing_policy", 1, changes, err)))
		goto out;
	api_render_record(r, 200, policy_json(&p), 0, NULL);
out:
	json_decref(body);
	json_decref(before);
	json_decref(after);
	json_decref(changes);
	return rc;
}

int api_wellbeing_policy_put(struct api_req *r)
{
	struct kp_err err = KP_ERR_INIT;
	struct wellbeing_policy scratch = {.incident_threshold = 3, .period_days = 30};
	json_t *body = api_body_object(r);
	if (!body)
		return API_DONE;
	if (policy_apply(&scratch, body, r->arena, &err)) {
		json_decref(body);
		return api_fail_err(r, &err);
	}
	return api_write_start(r, run_policy_put, api_write_ctx_new(r, body));
}

/* ---- reveal --------------------------------------------------------------------------------- */

static int run_reveal(struct store_conn *c, struct api_req *r, struct kp_err *err)
{
	struct api_write_ctx *w = r->write_ctx;
	struct actor who = api_actor(r);
	struct interaction it;
	int rc = store_interaction_get(c, w->id, &it, r->arena, err);
	if (rc == KP_ENOTFOUND)
		return kp_err_set(err, KP_ENOTFOUND, "interaction %" PRId64 " does not exist", w->id);
	if (rc)
		return rc;
	/* Only revealing something hidden is worth an audit entry; a HEAD shows no text. */
	if (it.abusive && strcmp(r->method, "HEAD") != 0) {
		json_t *changes = json_pack("{sb}", "abusive", 1);
		rc = domain_audit(c, &who, "reveal", "interaction", it.id, changes, err);
		json_decref(changes);
		if (rc)
			return rc;
	}
	/* no ETag: the revealed text is another representation than the masked one, whose ETag
	 * must not answer it with a 304 (nor a 304 pass for an audited reveal) */
	api_render_record(r, 200, interaction_json(&it), 0, NULL);
	return 0;
}

int api_protect_reveal(struct api_req *r, int64_t id)
{
	struct api_write_ctx *w = api_write_ctx_new(r, NULL);
	w->id = id;
	return api_write_start(r, run_reveal, w);
}

struct reveal_page {
	api_reveal_page_fn *page;
};

static int run_reveal_page(struct store_conn *c, struct api_req *r, struct kp_err *err)
{
	const struct api_write_ctx *w = r->write_ctx;
	const struct reveal_page *rp = w->rec;
	return rp->page(c, r, 1, err);
}

int api_protect_list(struct api_req *r, api_reveal_page_fn *page)
{
	struct kp_err err = KP_ERR_INIT;
	int reveal = api_protect_wants_reveal(r);
	if (reveal < 0)
		return api_fail(r, KP_EINVAL, "reveal must be 1, true, 0 or false");
	if (reveal) {
		struct api_write_ctx *w = api_write_ctx_new(r, NULL);
		struct reveal_page *rp = arena_alloc(r->arena, sizeof *rp);
		rp->page = page;
		w->rec = rp;
		return api_write_start(r, run_reveal_page, w);
	}
	struct store_conn *c = store_reader(r->srv->store, &err);
	if (!c || page(c, r, 0, &err))
		return api_fail_err(r, &err);
	return API_DONE;
}

int api_protect_wants_reveal(struct api_req *r)
{
	const char *s = api_query(r, "reveal");
	if (!s || !strcmp(s, "0") || !strcmp(s, "false"))
		return 0;
	if (!strcmp(s, "1") || !strcmp(s, "true"))
		return 1;
	return -1; /* "reveal=yes": said, but not understood */
}
