/* The API core against a real SQLite store: sign-in, cookies and CSRF, bearer tokens, the
 * role matrix of the staff and token routes, Idempotency-Key, rate limiting and audit. */
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/api.h"
#include "domain/auth.h"
#include "domain/staff.h"
#include "fixture_flow.h"
#include "test.h"
#include "util/timeutil.h"

static struct flow_resp call_if_match(struct flow *f, const char *path, const struct flow_opts *o, const char *etag)
{
	struct flow_opts c = *o;
	c.if_match = etag;
	return flow_call(f, "PATCH", path, &c);
}

static const char *jstr(json_t *j, const char *k)
{
	return json_string_value(json_object_get(j, k));
}

TEST(api_flow_signin_cookie_csrf_signout)
{
	struct flow f;
	if (flow_open(&f, "auth") != 0) {
		CHECK(!"store");
		return;
	}
	struct flow_opts bad = { .body = "{\"email\":\"Agent@Example.fi\",\"password\":\"wrong-password\"}" };
	struct flow_resp r = flow_call(&f, "POST", "/api/v1/session", &bad);
	CHECK_INT(r.status, 401);
	CHECK(r.set_cookie[0] == '\0');
	json_decref(r.body);

	struct flow_opts good = { .body = "{\"email\":\"Agent@Example.fi\",\"password\":\"oikea-salasana\"}" };
	r = flow_call(&f, "POST", "/api/v1/session", &good);
	CHECK_INT(r.status, 200);
	CHECK(!strncmp(r.set_cookie, "kp_session=", 11));
	CHECK(strstr(r.set_cookie, "HttpOnly") && strstr(r.set_cookie, "SameSite=Strict"));
	char cookie[64] = "", csrf[64] = "";
	sscanf(r.set_cookie, "kp_session=%63[^;]", cookie);
	snprintf(csrf, sizeof(csrf), "%s", jstr(r.body, "csrf_token") ? jstr(r.body, "csrf_token") : "");
	CHECK_STR(jstr(json_object_get(r.body, "staff"), "email"), "agent@example.fi");
	CHECK(json_object_get(json_object_get(r.body, "staff"), "pw_hash") == NULL);
	json_decref(r.body);

	struct flow_opts ck = { .cookie = cookie };
	r = flow_call(&f, "GET", "/api/v1/session", &ck);
	CHECK_INT(r.status, 200);
	CHECK_STR(jstr(r.body, "csrf_token"), csrf);
	json_decref(r.body);

	/* a state-changing request with the cookie but without the CSRF header */
	r = flow_call(&f, "DELETE", "/api/v1/session", &ck);
	CHECK_INT(r.status, 403);
	json_decref(r.body);
	struct flow_opts wrong = { .cookie = cookie, .csrf = "nope" };
	r = flow_call(&f, "DELETE", "/api/v1/session", &wrong);
	CHECK_INT(r.status, 403);
	json_decref(r.body);

	struct flow_opts ok = { .cookie = cookie, .csrf = csrf };
	r = flow_call(&f, "DELETE", "/api/v1/session", &ok);
	CHECK_INT(r.status, 204);
	CHECK(strstr(r.set_cookie, "Max-Age=0") != NULL);
	json_decref(r.body);
	r = flow_call(&f, "GET", "/api/v1/session", &ck);
	CHECK_INT(r.status, 401);
	json_decref(r.body);

	/* every attempt is audited, the failed one with the e-mail tried */
	struct kp_err err = KP_ERR_INIT;
	struct arena a = ARENA_INIT;
	struct audit_filter af = { .entity = "session", .limit = 50 };
	struct audit_list al;
	struct store_conn *c = store_reader(f.s, &err);
	CHECK(c && store_audit_list(c, &af, &al, &a, &err) == 0);
	int failed = 0, ok_in = 0, out = 0;
	for (size_t i = 0; c && i < al.n; i++) {
		failed += !strcmp(al.items[i].action, "signin_failed");
		ok_in += !strcmp(al.items[i].action, "signin");
		out += !strcmp(al.items[i].action, "signout");
		if (!strcmp(al.items[i].action, "signin_failed"))
			CHECK(al.items[i].changes_json && strstr(al.items[i].changes_json, "agent@example.fi") &&
			      !strstr(al.items[i].changes_json, "wrong-password"));
	}
	CHECK_INT(failed, 1);
	CHECK_INT(ok_in, 1);
	CHECK_INT(out, 1);
	arena_release(&a);
	flow_close(&f);
}

TEST(api_flow_role_matrix)
{
	struct flow f;
	if (flow_open(&f, "auth") != 0) {
		CHECK(!"store");
		return;
	}
	/* route x role (none, agent, manager, admin) x expected status */
	struct {
		const char *method, *path, *body;
		int expect[4];
	} m[] = {
		{ "GET", "/api/v1/staff", NULL, { 401, 403, 200, 200 } },
		{ "GET", "/api/v1/staff/1", NULL, { 401, 403, 200, 200 } },
		{ "GET", "/api/v1/tokens", NULL, { 401, 200, 200, 200 } },
		{ "GET", "/api/v1/session", NULL, { 401, 200, 200, 200 } },
		{ "PATCH", "/api/v1/staff/1", "{\"team\":\"Tuki\"}", { 401, 403, 403, 200 } },
		{ "PATCH", "/api/v1/staff/1", "{\"email\":\"Uusi.Osoite@Example.FI\"}", { 401, 403, 403, 200 } },
		{ "POST", "/api/v1/staff", "{\"email\":\"x@example.fi\",\"name\":\"X\",\"role\":\"agent\"}",
		  { 401, 403, 403, 201 } },
		{ "GET", "/healthz", NULL, { 200, 200, 200, 200 } },
	};
	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
		for (int role = 0; role <= 3; role++) {
			struct flow_opts o = { .token = role ? f.token[role] : NULL, .body = m[i].body };
			struct flow_resp r = flow_call(&f, m[i].method, m[i].path, &o);
			if (r.status != m[i].expect[role])
				fprintf(stderr, "  %s %s as role %d: %d, expected %d\n", m[i].method, m[i].path, role,
					r.status, m[i].expect[role]);
			CHECK_INT(r.status, m[i].expect[role]);
			json_decref(r.body);
		}
	}
	/* tokens of others: only admins may list them */
	char q[32];
	snprintf(q, sizeof(q), "staff_id=%lld", (long long)f.staff_id[1]);
	struct flow_opts mo = { .token = f.token[2], .query = q }, ao = { .token = f.token[3], .query = q };
	struct flow_resp r = flow_call(&f, "GET", "/api/v1/tokens", &mo);
	CHECK_INT(r.status, 403);
	json_decref(r.body);
	r = flow_call(&f, "GET", "/api/v1/tokens", &ao);
	CHECK_INT(r.status, 200);
	CHECK_INT(json_array_size(json_object_get(r.body, "items")), 1);
	json_decref(r.body);
	flow_close(&f);
}

TEST(api_flow_tokens_and_revocation)
{
	struct flow f;
	if (flow_open(&f, "auth") != 0) {
		CHECK(!"store");
		return;
	}
	struct flow_opts o = { .token = f.token[1], .body = "{\"name\":\"CI\"}" };
	struct flow_resp r = flow_call(&f, "POST", "/api/v1/tokens", &o);
	CHECK_INT(r.status, 201);
	const char *tok = jstr(r.body, "token");
	CHECK(tok && !strncmp(tok, "kp_", 3));
	char newtok[AUTH_TOKEN_SIZE] = "";
	snprintf(newtok, sizeof(newtok), "%s", tok ? tok : "");
	long long id = (long long)json_integer_value(json_object_get(r.body, "id"));
	json_decref(r.body);

	struct flow_opts use = { .token = newtok };
	r = flow_call(&f, "GET", "/api/v1/session", &use);
	CHECK_INT(r.status, 200);
	json_decref(r.body);

	/* using a token records its last use (by a background write, so poll) */
	int64_t last_used = 0;
	for (int i = 0; i < 200 && !last_used; i++) {
		struct kp_err err = KP_ERR_INIT;
		struct arena a = ARENA_INIT;
		struct token_list tl;
		struct store_conn *c = store_reader(f.s, &err);
		if (c && store_token_list(c, f.staff_id[1], &tl, &a, &err) == 0)
			for (size_t k = 0; k < tl.n; k++)
				if (tl.items[k].id == id)
					last_used = tl.items[k].last_used_at;
		arena_release(&a);
		if (!last_used)
			usleep(10 * 1000);
	}
	CHECK(last_used > 0);

	char path[48];
	snprintf(path, sizeof(path), "/api/v1/tokens/%lld", id);
	struct flow_opts other = { .token = f.token[2] }; /* a manager cannot revoke an agent's token */
	r = flow_call(&f, "DELETE", path, &other);
	CHECK_INT(r.status, 404);
	json_decref(r.body);
	r = flow_call(&f, "DELETE", path, &use); /* revoke itself */
	CHECK_INT(r.status, 204);
	json_decref(r.body);
	r = flow_call(&f, "GET", "/api/v1/session", &use);
	CHECK_INT(r.status, 401);
	json_decref(r.body);

	/* an admin may revoke anyone's token */
	struct flow_opts mine = { .token = f.token[2] };
	r = flow_call(&f, "GET", "/api/v1/tokens", &mine);
	long long mid = (long long)json_integer_value(json_object_get(json_array_get(json_object_get(r.body, "items"), 0), "id"));
	json_decref(r.body);
	snprintf(path, sizeof(path), "/api/v1/tokens/%lld", mid);
	struct flow_opts admin = { .token = f.token[3] };
	r = flow_call(&f, "DELETE", path, &admin);
	CHECK_INT(r.status, 204);
	json_decref(r.body);
	r = flow_call(&f, "GET", "/api/v1/tokens", &mine);
	CHECK_INT(r.status, 401);
	json_decref(r.body);
	flow_close(&f);
}

TEST(api_flow_idempotency_key)
{
	struct flow f;
	if (flow_open(&f, "auth") != 0) {
		CHECK(!"store");
		return;
	}
	const char *b1 = "{\"name\":\"Idem Potentti\"}";
	struct flow_opts o = { .token = f.token[3], .body = b1, .idem = "key-1" };
	struct flow_resp r1 = flow_call(&f, "POST", "/api/v1/customers", &o);
	CHECK_INT(r1.status, 201);
	struct flow_resp r2 = flow_call(&f, "POST", "/api/v1/customers", &o);
	CHECK_INT(r2.status, 201);
	CHECK_STR(r2.replayed, "true");
	CHECK_INT(json_integer_value(json_object_get(r1.body, "id")), json_integer_value(json_object_get(r2.body, "id")));
	json_decref(r1.body);
	json_decref(r2.body);

	struct flow_opts d = { .token = f.token[3], .idem = "key-1", .body = "{\"name\":\"Toinen\"}" };
	struct flow_resp r3 = flow_call(&f, "POST", "/api/v1/customers", &d);
	CHECK_INT(r3.status, 422);
	CHECK(strstr(json_string_value(json_object_get(r3.body, "detail")), "Idempotency-Key") != NULL);
	json_decref(r3.body);

	struct flow_opts bad = { .token = f.token[3], .idem = "has space", .body = b1 };
	struct flow_resp r4 = flow_call(&f, "POST", "/api/v1/customers", &bad);
	CHECK_INT(r4.status, 400);
	json_decref(r4.body);

	/* a body with a password keeps no fingerprint of it: staff create ignores the key, and
	 * the retry meets the e-mail address taken */
	const char *sb = "{\"email\":\"idem@example.fi\",\"name\":\"Idem\",\"role\":\"agent\"}";
	struct flow_opts so = { .token = f.token[3], .body = sb, .idem = "key-2" };
	struct flow_resp r5 = flow_call(&f, "POST", "/api/v1/staff", &so);
	CHECK_INT(r5.status, 201);
	json_decref(r5.body);
	struct flow_resp r6 = flow_call(&f, "POST", "/api/v1/staff", &so);
	CHECK_INT(r6.status, 409);
	json_decref(r6.body);
	flow_close(&f);
}

/* The fingerprint a version before the JSON value was fingerprinted stored: BLAKE2b of
 * method, path, query and the body's bytes as sent, each behind its length (api/dispatch.c). */
static void bytes_fingerprint(const char *method, const char *path, const char *body, char out[65])
{
	crypto_generichash_state st;
	unsigned char h[32];
	const char *parts[4] = {method, path, "", body};
	crypto_generichash_init(&st, NULL, 0, sizeof(h));
	for (int i = 0; i < 4; i++) {
		uint64_t len = strlen(parts[i]);
		crypto_generichash_update(&st, (const unsigned char *)&len, sizeof(len));
		crypto_generichash_update(&st, (const unsigned char *)parts[i], len);
	}
	crypto_generichash_final(&st, h, sizeof(h));
	sodium_bin2hex(out, 65, h, sizeof(h));
}

static int idem_put_run(struct store_conn *c, void *arg, struct kp_err *err)
{
	return store_idem_put(c, arg, err);
}

/* A key stored by a version that fingerprinted the body's bytes, before an upgrade: the
 * same request sent again gets the stored answer, whatever its spacing, key order and escapes
 * (those versions stored them as sent); another request under the key is still a 422. */
TEST(api_flow_idempotency_key_stored_before_upgrade)
{
	struct flow f;
	if (flow_open(&f, "idemold") != 0) {
		CHECK(!"store");
		return;
	}
	static const char *const bodies[] = {"{\"name\": \"Spaced\"}", "{\"name\":\"Esc\\u00e4pe\"}",
	                                     "{\"name\":\"Mail\",\"emails\":[\"A@Example.fi\"]}",
	                                     "{\"name\":\"Cust\",\"custom\":{}}", "{\"name\":\"Plain\"}"};
	struct kp_err err = KP_ERR_INIT;
	for (int i = 0; i < (int)(sizeof bodies / sizeof bodies[0]); i++) {
		char key[16], fp[65], loc[40], answer[80];
		snprintf(key, sizeof key, "old-%d", i);
		bytes_fingerprint("POST", "/api/v1/customers", bodies[i], fp);
		snprintf(loc, sizeof loc, "/api/v1/customers/%d", 900 + i);
		snprintf(answer, sizeof answer, "{\"id\":%d,\"version\":1}", 900 + i);
		struct idem_entry e = {.key = key,
		                       .staff_id = f.staff_id[3],
		                       .fingerprint = fp,
		                       .status = 201,
		                       .location = loc,
		                       .body = answer,
		                       .created_at = time_now_ms()};
		CHECK_INT(store_exec(f.s, idem_put_run, &e, &err), 0);
		struct flow_opts o = {.token = f.token[3], .body = bodies[i], .idem = key};
		struct flow_resp r = flow_call(&f, "POST", "/api/v1/customers", &o);
		CHECK_INT(r.status, 201);
		CHECK_STR(r.replayed, "true");
		CHECK_INT(json_integer_value(json_object_get(r.body, "id")), 900 + i);
		json_decref(r.body);
		/* another request under the old key is no replay */
		struct flow_opts other = {.token = f.token[3], .body = "{\"name\": \"Toinen\"}", .idem = key};
		r = flow_call(&f, "POST", "/api/v1/customers", &other);
		CHECK_INT(r.status, 422);
		json_decref(r.body);
	}
	/* a key stored today is not loosened: the bytes of one request, sent under a key that
	 * holds another request's canonical fingerprint, are refused */
	struct flow_opts n1 = {.token = f.token[3], .body = "{\"name\":\"Uusi\"}", .idem = "new-1"};
	struct flow_resp r = flow_call(&f, "POST", "/api/v1/customers", &n1);
	CHECK_INT(r.status, 201);
	json_decref(r.body);
	struct flow_opts n2 = {.token = f.token[3], .body = "{\"name\": \"Uusi\", \"tags\": []}", .idem = "new-1"};
	r = flow_call(&f, "POST", "/api/v1/customers", &n2);
	CHECK_INT(r.status, 422);
	json_decref(r.body);
	struct flow_opts n3 = {.token = f.token[3], .body = "{ \"name\" : \"Uusi\" }", .idem = "new-1"};
	r = flow_call(&f, "POST", "/api/v1/customers", &n3);
	CHECK_INT(r.status, 201);
	CHECK_STR(r.replayed, "true");
	json_decref(r.body);
	flow_close(&f);
}

TEST(api_flow_signin_rate_limit)
{
	struct flow f;
	if (flow_open(&f, "auth") != 0) {
		CHECK(!"store");
		return;
	}
	struct flow_opts bad = { .body = "{\"email\":\"manager@example.fi\",\"password\":\"wrong-password\"}" };
	for (int i = 0; i < 5; i++) {
		struct flow_resp r = flow_call(&f, "POST", "/api/v1/session", &bad);
		CHECK_INT(r.status, 401);
		json_decref(r.body);
	}
	struct flow_opts good = { .body = "{\"email\":\"manager@example.fi\",\"password\":\"oikea-salasana\"}" };
	struct flow_resp r = flow_call(&f, "POST", "/api/v1/session", &good);
	CHECK_INT(r.status, 429);
	CHECK(atoi(r.retry_after) > 0);
	json_decref(r.body);
	/* another account from the same address is not locked out */
	struct flow_opts other = { .body = "{\"email\":\"admin@example.fi\",\"password\":\"oikea-salasana\"}" };
	r = flow_call(&f, "POST", "/api/v1/session", &other);
	CHECK_INT(r.status, 200);
	json_decref(r.body);
	flow_close(&f);
}

TEST(api_flow_password_change_and_deactivation)
{
	struct flow f;
	if (flow_open(&f, "auth") != 0) {
		CHECK(!"store");
		return;
	}
	struct flow_opts si = { .body = "{\"email\":\"agent@example.fi\",\"password\":\"oikea-salasana\"}" };
	char ck[2][64], csrf[2][64];
	for (int i = 0; i < 2; i++) {
		struct flow_resp r = flow_call(&f, "POST", "/api/v1/session", &si);
		CHECK_INT(r.status, 200);
		ck[i][0] = '\0';
		sscanf(r.set_cookie, "kp_session=%63[^;]", ck[i]);
		snprintf(csrf[i], sizeof(csrf[i]), "%s", jstr(r.body, "csrf_token") ? jstr(r.body, "csrf_token") : "");
		json_decref(r.body);
	}
	struct flow_opts wrong = { .cookie = ck[0], .csrf = csrf[0],
				  .body = "{\"current_password\":\"nope-nope\",\"new_password\":\"uusi-salasana\"}" };
	struct flow_resp r = flow_call(&f, "POST", "/api/v1/session/password", &wrong);
	CHECK_INT(r.status, 422);
	json_decref(r.body);
	struct flow_opts pw = { .cookie = ck[0], .csrf = csrf[0],
			       .body = "{\"current_password\":\"oikea-salasana\",\"new_password\":\"uusi-salasana\"}" };
	r = flow_call(&f, "POST", "/api/v1/session/password", &pw);
	CHECK_INT(r.status, 204);
	json_decref(r.body);
	struct flow_opts s0 = { .cookie = ck[0] }, s1 = { .cookie = ck[1] };
	r = flow_call(&f, "GET", "/api/v1/session", &s0); /* this session stays */
	CHECK_INT(r.status, 200);
	json_decref(r.body);
	r = flow_call(&f, "GET", "/api/v1/session", &s1); /* the other one ended */
	CHECK_INT(r.status, 401);
	json_decref(r.body);

	/* an admin deactivates the agent: the session and the token stop working */
	char path[48];
	snprintf(path, sizeof(path), "/api/v1/staff/%lld", (long long)f.staff_id[1]);
	struct flow_opts de = { .token = f.token[3], .body = "{\"active\":false}" };
	r = call_if_match(&f, path, &de, "\"99\""); /* stale version */
	CHECK_INT(r.status, 412);
	json_decref(r.body);
	r = flow_call(&f, "PATCH", path, &de);
	CHECK_INT(r.status, 200);
	json_decref(r.body);
	r = flow_call(&f, "GET", "/api/v1/session", &s0);
	CHECK_INT(r.status, 401);
	json_decref(r.body);
	struct flow_opts tk = { .token = f.token[1] };
	r = flow_call(&f, "GET", "/api/v1/tokens", &tk);
	CHECK_INT(r.status, 401);
	json_decref(r.body);
	/* and an admin cannot deactivate themself */
	snprintf(path, sizeof(path), "/api/v1/staff/%lld", (long long)f.staff_id[3]);
	r = flow_call(&f, "PATCH", path, &de);
	CHECK_INT(r.status, 409);
	json_decref(r.body);
	flow_close(&f);
}

TEST(api_flow_session_expires)
{
	struct flow f;
	if (flow_open(&f, "auth") != 0) {
		CHECK(!"store");
		return;
	}
	f.srv.session_ttl_ms = 1;
	struct flow_opts si = { .body = "{\"email\":\"admin@example.fi\",\"password\":\"oikea-salasana\"}" };
	struct flow_resp r = flow_call(&f, "POST", "/api/v1/session", &si);
	CHECK_INT(r.status, 200);
	char ck[64] = "";
	sscanf(r.set_cookie, "kp_session=%63[^;]", ck);
	json_decref(r.body);
	usleep(20 * 1000);
	struct flow_opts o = { .cookie = ck };
	r = flow_call(&f, "GET", "/api/v1/session", &o);
	CHECK_INT(r.status, 401);
	json_decref(r.body);
	/* a token-authenticated DELETE /session is a client error, not a sign-out */
	struct flow_opts t = { .token = f.token[3] };
	r = flow_call(&f, "DELETE", "/api/v1/session", &t);
	CHECK_INT(r.status, 400);
	json_decref(r.body);
	flow_close(&f);
}
