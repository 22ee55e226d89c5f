/*
 * session: browser sign-in, who-am-I, sign-out and password change.
 *
 * Sign-in verifies the Argon2id hash on the loop thread (tens of milliseconds; the store
 * writer must not wait for it), rate-limits failures (api/ratelimit.h), and audits every
 * attempt - "signin" or "signin_failed" with the e-mail tried - through api_write so the
 * audit row is durable before the answer. An unknown e-mail costs the same hashing time
 * as a wrong password and gets the same answer.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "api/handlers.h"
#include "api/ratelimit.h"
#include "domain/auth.h"
#include "domain/staff.h"
#include "domain/validate.h"
#include "util/timeutil.h"

#define SESSION_DEFAULT_TTL_MS ((int64_t)12 * 3600 * 1000)

static struct actor actor_of(const struct api_req *r)
{
	struct actor a = { r->who.staff_id, r->who.role, r->who.email, r->request_id };
	return a;
}

/* Only `allowed` keys; each a string when present. Adds field errors to err. */
static void check_keys(json_t *body, const char *const *allowed, struct kp_err *err)
{
	const char *k;
	json_t *v;
	json_object_foreach(body, k, v)
	{
		int ok = 0;
		for (const char *const *a = allowed; *a; a++)
			ok |= !strcmp(*a, k);
		if (!ok)
			kp_err_field(err, k, "is not a known field");
		else if (!json_is_string(v))
			kp_err_field(err, k, "must be a string");
	}
}

static const char *str_field(json_t *body, const char *key)
{
	return json_string_value(json_object_get(body, key));
}

static int64_t session_ttl(const struct api_req *r)
{
	return r->srv && r->srv->session_ttl_ms > 0 ? r->srv->session_ttl_ms : SESSION_DEFAULT_TTL_MS;
}

static void set_cookie(struct api_req *r, const char *value, int64_t max_age_s)
{
	char *c = arena_printf(r->arena, "%s=%s; HttpOnly; SameSite=Strict; Path=/; Max-Age=%" PRId64 "%s",
			       AUTH_COOKIE_NAME, value, max_age_s, r->srv && r->srv->cookie_secure ? "; Secure" : "");
	api_header(r, "Set-Cookie", c);
}

/* ---- POST /api/v1/session ---------------------------------------------------------------- */

struct signin_ctx {
	const char *email;  /* normalised, as tried */
	const char *reason; /* failure: "password", "inactive", "rate_limited" */
	int retry_after;
	struct staff st;
	struct domain_auth_session ns;
};

static int signin_failed_run(struct store_conn *c, struct api_req *r, struct kp_err *err)
{
	struct signin_ctx *sc = r->write_ctx;
	int rc = domain_auth_signin_failed(c, sc->email, sc->reason, r->remote_addr, r->request_id, err);
	if (rc != 0)
		return rc;
	struct kp_err e = KP_ERR_INIT;
	if (sc->retry_after > 0) {
		char ra[16];
		snprintf(ra, sizeof(ra), "%d", sc->retry_after);
		api_header(r, "Retry-After", ra);
		kp_err_set(&e, KP_ERATE, "too many failed sign-ins; try again in %d seconds", sc->retry_after);
	} else {
		kp_err_set(&e, KP_EUNAUTH, "wrong e-mail or password");
	}
	api_problem(r, &e);
	return 0;
}

static int signin_ok_run(struct store_conn *c, struct api_req *r, struct kp_err *err)
{
	struct signin_ctx *sc = r->write_ctx;
	struct actor who = { sc->st.id, sc->st.role, sc->st.email, r->request_id };
	int rc = domain_auth_session_insert(c, &who, sc->st.id, &sc->ns, r->remote_addr, err);
	if (rc != 0)
		return rc;
	char exp[40];
	time_format_ms(sc->ns.expires_at, exp, sizeof(exp));
	json_t *j = json_pack("{s:o, s:s, s:s}", "staff", domain_staff_to_json(&sc->st), "csrf_token", sc->ns.csrf,
			      "expires_at", exp);
	api_json(r, 200, j);
	json_decref(j);
	set_cookie(r, sc->ns.secret, session_ttl(r) / 1000);
	api_header(r, "Cache-Control", "no-store");
	return 0;
}

int api_session_create(struct api_req *r)
{
	struct kp_err err = KP_ERR_INIT;
	json_t *body = api_body_object(r);
	if (!body)
		return API_DONE;
	int res = API_DONE;
	static const char *const keys[] = { "email", "password", NULL };
	check_keys(body, keys, &err);
	const char *email_in = str_field(body, "email"), *pw = str_field(body, "password");
	if (!email_in && !json_object_get(body, "email"))
		kp_err_field(&err, "email", "is required");
	if (!pw && !json_object_get(body, "password"))
		kp_err_field(&err, "password", "is required");
	else if (pw)
		domain_staff_signin_password_check("password", pw, &err);
	struct signin_ctx *sc = arena_calloc(r->arena, sizeof(*sc));
	if (email_in && err.status == 0)
		validate_email(r->arena, "email", email_in, &sc->email, &err);
	if (err.status != 0) {
		api_problem(r, &err);
		goto out;
	}

	struct api_ratelimit *rl = r->srv ? r->srv->signin_limiter : NULL;
	int64_t now = time_now_ms();
	int retry = 0;
	if (rl && api_ratelimit_begin(rl, sc->email, r->remote_addr, now, &retry) != 0) {
		sc->reason = "rate_limited";
		sc->retry_after = retry;
		/* the first refusal of a block is audited; the rest are answered as it was, with no
		 * durable row each (a flood would grow the audit log for free) */
		if (api_ratelimit_first_refusal(rl, sc->email, r->remote_addr, now, retry)) {
			res = api_write(r, signin_failed_run, sc);
		} else {
			char ra[16];
			snprintf(ra, sizeof(ra), "%d", retry);
			api_header(r, "Retry-After", ra);
			res = api_fail(r, KP_ERATE, "too many failed sign-ins; try again in %d seconds", retry);
		}
		goto out;
	}

	/* from here the attempt counts as failed (api_ratelimit_begin) unless it succeeds or
	 * is never decided */
	struct store_conn *c = r->srv && r->srv->store ? store_reader(r->srv->store, &err) : NULL;
	if (!c) {
		if (!err.status)
			kp_err_set(&err, KP_EUNAVAILABLE, "no store");
		if (rl)
			api_ratelimit_undo(rl, sc->email, r->remote_addr);
		api_problem(r, &err);
		goto out;
	}
	/* the spelling typed first: of two accounts whose addresses differ only by an "xn--"
	 * domain (an older version stored both), each signs in with its own (domain/staff.h) */
	int rc = domain_staff_find_by_email(c, email_in, &sc->st, r->arena, &err);
	int ok = 0;
	if (rc == KP_ENOTFOUND) {
		domain_staff_verify_dummy(pw);
		sc->reason = "password";
	} else if (rc != 0) {
		if (rl)
			api_ratelimit_undo(rl, sc->email, r->remote_addr);
		api_problem(r, &err);
		goto out;
	} else {
		ok = domain_staff_verify_password(sc->st.pw_hash, pw);
		if (!sc->st.pw_hash)
			domain_staff_verify_dummy(pw);
		if (ok && !sc->st.active) {
			ok = 0;
			sc->reason = "inactive";
		} else if (!ok) {
			sc->reason = "password";
		}
	}
	if (!ok) {
		res = api_write(r, signin_failed_run, sc);
		goto out;
	}
	if (rl)
		api_ratelimit_success(rl, sc->email, r->remote_addr);
	domain_auth_session_prepare(&sc->ns, session_ttl(r));
	res = api_write(r, signin_ok_run, sc);
out:
	json_decref(body);
	return res;
}

/* ---- GET /api/v1/session ------------------------------------------------------------------- */

int api_session_get(struct api_req *r)
{
	struct kp_err err = KP_ERR_INIT;
	struct store_conn *c = store_reader(r->srv->store, &err);
	if (!c)
		goto fail;
	struct staff st;
	if (store_staff_get(c, r->who.staff_id, &st, r->arena, &err) != 0)
		goto fail;
	json_t *j = json_pack("{s:o, s:s}", "staff", domain_staff_to_json(&st), "via",
			      r->who.via == API_AUTH_COOKIE ? "cookie" : "token");
	if (r->who.via == API_AUTH_COOKIE) {
		struct session se;
		if (store_session_get(c, r->who.session_hash, &se, r->arena, &err) != 0) {
			json_decref(j);
			goto fail;
		}
		char exp[40];
		time_format_ms(se.expires_at, exp, sizeof(exp));
		json_object_set_new(j, "csrf_token", json_string(se.csrf));
		json_object_set_new(j, "expires_at", json_string(exp));
	} else {
		json_object_set_new(j, "csrf_token", json_null());
		json_object_set_new(j, "token_id", json_integer(r->who.token_id));
	}
	api_json(r, 200, j);
	json_decref(j);
	api_header(r, "Cache-Control", "no-store");
	return API_DONE;
fail:
	if (err.status == KP_ENOTFOUND)
		err.status = KP_EUNAUTH; /* signed out between authentication and now */
	api_problem(r, &err);
	return API_DONE;
}

/* ---- DELETE /api/v1/session ------------------------------------------------------------------ */

static int signout_run(struct store_conn *c, struct api_req *r, struct kp_err *err)
{
	api_auth_changed(r); /* the session ends: cached principals, see api.h */
	int rc = store_session_delete(c, r->who.session_hash, err);
	if (rc == KP_ENOTFOUND) {
		kp_err_init(err);
		rc = 0; /* signed out concurrently: the outcome is the same */
	}
	if (rc != 0)
		return rc;
	struct actor who = actor_of(r);
	if ((rc = domain_audit(c, &who, "signout", "session", r->who.staff_id, NULL, err)) != 0)
		return rc;
	r->resp.status = 204;
	set_cookie(r, "", 0);
	return 0;
}

int api_session_delete(struct api_req *r)
{
	if (r->who.via != API_AUTH_COOKIE)
		return api_fail(r, KP_EINVAL,
				"this request is authenticated with an API token, not a session; revoke tokens with "
				"DELETE /api/v1/tokens/{id}");
	return api_write(r, signout_run, NULL);
}

/* ---- POST /api/v1/session/password ------------------------------------------------------------- */

/* The hashes a password change takes to the writer. */
struct password_change {
	const char *new_hash, *was_hash;
};

static int password_run(struct store_conn *c, struct api_req *r, struct kp_err *err)
{
	api_auth_changed(r); /* other sessions end: cached principals, see api.h */
	struct actor who = actor_of(r);
	const struct password_change *pc = r->write_ctx;
	int rc = domain_staff_set_password(c, &who, r->who.staff_id, pc->new_hash, pc->was_hash,
	                                   r->who.via == API_AUTH_COOKIE ? r->who.session_hash : NULL, err);
	if (rc == 0)
		r->resp.status = 204;
	return rc;
}

int api_session_password(struct api_req *r)
{
	struct kp_err err = KP_ERR_INIT;
	json_t *body = api_body_object(r);
	if (!body)
		return API_DONE;
	int res = API_DONE;
	static const char *const keys[] = { "current_password", "new_password", NULL };
	check_keys(body, keys, &err);
	const char *cur = str_field(body, "current_password"), *np = str_field(body, "new_password");
	if (!json_object_get(body, "current_password"))
		kp_err_field(&err, "current_password", "is required");
	if (!json_object_get(body, "new_password"))
		kp_err_field(&err, "new_password", "is required");
	else if (np)
		domain_staff_password_check("new_password", np, &err);
	if (cur && np && !strcmp(cur, np)) /* a one-time password "changed" to itself stays known */
		kp_err_field(&err, "new_password", "must differ from the current password");
	if (err.status != 0) {
		api_problem(r, &err);
		goto out;
	}

	struct api_ratelimit *rl = r->srv->signin_limiter;
	int64_t now = time_now_ms();
	int retry = 0;
	if (rl && api_ratelimit_begin(rl, r->who.email, r->remote_addr, now, &retry) != 0) {
		char ra[16];
		snprintf(ra, sizeof(ra), "%d", retry);
		api_header(r, "Retry-After", ra);
		res = api_fail(r, KP_ERATE, "too many failed attempts; try again in %d seconds", retry);
		goto out;
	}
	struct store_conn *c = store_reader(r->srv->store, &err);
	struct staff st;
	if (!c || store_staff_get(c, r->who.staff_id, &st, r->arena, &err) != 0) {
		if (rl)
			api_ratelimit_undo(rl, r->who.email, r->remote_addr);
		api_problem(r, &err);
		goto out;
	}
	if (!domain_staff_verify_password(st.pw_hash, cur)) { /* counted by api_ratelimit_begin */
		kp_err_field(&err, "current_password", "is not correct");
		api_problem(r, &err);
		goto out;
	}
	if (rl)
		api_ratelimit_success(rl, r->who.email, r->remote_addr);
	struct password_change *pc = arena_calloc(r->arena, sizeof *pc);
	char *hash = arena_alloc(r->arena, STAFF_PW_HASH_SIZE);
	if (domain_staff_hash_password(np, hash, &err) != 0) {
		api_problem(r, &err);
		goto out;
	}
	pc->new_hash = hash;
	pc->was_hash = st.pw_hash;
	r->idempotency_key = NULL; /* its fingerprint would be a fast hash of both passwords */
	res = api_write(r, password_run, pc);
out:
	json_decref(body);
	return res;
}
