/* The API core against a real SQLite store: sign-in, cookies and CSRF, bearer tokens, the
 * role matrix of the staff and token routes, Idempotency-Key, rate limiting and audit. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/api.h"
#include "api/ratelimit.h"
#include "domain/auth.h"
#include "domain/staff.h"
#include "test.h"
#include "util/log.h"

struct flow {
	char path[64];
	struct store *s;
	struct api_server srv;
	char token[4][AUTH_TOKEN_SIZE]; /* by role */
	int64_t staff_id[4];
};

struct waiter {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int done;
};

static void flow_finish(struct api_req *r)
{
	struct waiter *w = r->transport;
	pthread_mutex_lock(&w->mu);
	w->done = 1;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

struct resp {
	int status;
	json_t *body;
	char set_cookie[200], allow[64], retry_after[16], replayed[8];
};

struct req_opts {
	const char *token, *cookie, *csrf, *body, *idem, *query, *if_match;
};

/* Run one request to the end (waiting for a deferred write) and keep what tests look at. */
static struct resp call(struct flow *f, const char *method, const char *path, const struct req_opts *o)
{
	struct arena a = ARENA_INIT;
	struct api_req r;
	struct waiter w = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0 };
	struct resp out;
	memset(&r, 0, sizeof(r));
	memset(&out, 0, sizeof(out));
	r.method = method;
	r.path = path;
	r.arena = &a;
	r.srv = &f->srv;
	r.finish = flow_finish;
	r.transport = &w;
	r.remote_addr = "127.0.0.1";
	snprintf(r.request_id, sizeof(r.request_id), "flow-%s", method);
	if (o) {
		r.query = o->query;
		if (o->token)
			r.authorization = arena_printf(&a, "Bearer %s", o->token);
		if (o->cookie)
			r.cookie = arena_printf(&a, "theme=dark; kp_session=%s", o->cookie);
		r.csrf_token = o->csrf;
		r.idempotency_key = o->idem;
		r.if_match = o->if_match;
		if (o->body) {
			r.body = o->body;
			r.body_len = strlen(o->body);
			r.content_type = "application/json";
		}
	}
	if (api_handle(&r) == API_DEFERRED) {
		pthread_mutex_lock(&w.mu);
		while (!w.done)
			pthread_cond_wait(&w.cv, &w.mu);
		pthread_mutex_unlock(&w.mu);
	}
	out.status = r.resp.status;
	out.body = r.resp.body.len ? json_loadb(r.resp.body.ptr, r.resp.body.len, 0, NULL) : NULL;
	for (int i = 0; i < r.resp.nheaders; i++) {
		const char *n = r.resp.headers[i].name, *v = r.resp.headers[i].value;
		if (!strcmp(n, "Set-Cookie"))
			snprintf(out.set_cookie, sizeof(out.set_cookie), "%s", v);
		else if (!strcmp(n, "Allow"))
			snprintf(out.allow, sizeof(out.allow), "%s", v);
		else if (!strcmp(n, "Retry-After"))
			snprintf(out.retry_after, sizeof(out.retry_after), "%s", v);
		else if (!strcmp(n, "Idempotent-Replayed"))
			snprintf(out.replayed, sizeof(out.replayed), "%s", v);
	}
	api_req_release(&r);
	arena_release(&a);
	return out;
}

/* PATCH with an If-Match header. */
static struct resp call_if_match(struct flow *f, const char *path, const struct req_opts *o, const char *etag);

struct seed {
	struct staff st;
	int64_t staff_id;
	const char *label;
	char token[AUTH_TOKEN_SIZE];
	struct api_token t;
};

static int seed_run(struct store_conn *c, void *arg, struct kp_err *err)
{
	struct seed *sd = arg;
	struct actor sys = { 0, ROLE_ADMIN, "system", NULL };
	int rc = domain_staff_insert(c, &sys, &sd->st, err);
	if (rc == 0)
		rc = domain_auth_token_create(c, &sys, sd->st.id, "unit", sd->token, &sd->t, err);
	return rc;
}

static int flow_open(struct flow *f)
{
	memset(f, 0, sizeof(f[0]));
	log_set_quiet(1);
	snprintf(f->path, sizeof(f->path), "/tmp/kp-unit-auth-%d.db", (int)getpid());
	unlink(f->path);
	char url[80];
	snprintf(url, sizeof(url), "sqlite:%s", f->path);
	struct kp_err err = KP_ERR_INIT;
	if (store_open(url, NULL, &f->s, &err) != 0) {
		fprintf(stderr, "  store_open: %s\n", err.msg);
		return -1;
	}
	f->srv.store = f->s;
	f->srv.limits = (struct api_limits){ 1 << 20, 32, 1 << 16, 200 };
	f->srv.session_ttl_ms = 3600 * 1000;
	f->srv.signin_limiter = api_ratelimit_new();
	static const char *const roles[] = { NULL, "agent", "manager", "admin" };
	for (int i = 1; i <= 3; i++) {
		struct arena a = ARENA_INIT;
		struct seed sd;
		memset(&sd, 0, sizeof(sd));
		char email[40];
		snprintf(email, sizeof(email), "%s@example.fi", roles[i]);
		struct domain_staff_input in = { .email = email, .name = roles[i], .role = roles[i],
						 .password = "oikea-salasana", .active = 1 };
		if (domain_staff_prepare(&in, &sd.st, &a, &err) != 0 || store_exec(f->s, seed_run, &sd, &err) != 0) {
			fprintf(stderr, "  seed: %s\n", err.msg);
			arena_release(&a);
			return -1;
		}
		memcpy(f->token[i], sd.token, sizeof(sd.token));
		f->staff_id[i] = sd.st.id;
		arena_release(&a);
	}
	return 0;
}

static void flow_close(struct flow *f)
{
	store_close(f->s);
	api_ratelimit_free(f->srv.signin_limiter);
	unlink(f->path);
	char side[80];
	snprintf(side, sizeof(side), "%s-wal", f->path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", f->path);
	unlink(side);
}

static struct resp call_if_match(struct flow *f, const char *path, const struct req_opts *o, const char *etag)
{
	struct req_opts c = *o;
	c.if_match = etag;
	return call(f, "PATCH", path, &c);
}

static const char *jstr(json_t *j, const char *k)
{
	return json_string_value(json_object_get(j, k));
}

TEST(api_flow_signin_cookie_csrf_signout)
{
	struct flow f;
	if (flow_open(&f) != 0) {
		CHECK(!"store");
		return;
	}
	struct req_opts bad = { .body = "{\"email\":\"Agent@Example.fi\",\"password\":\"wrong-password\"}" };
	struct resp r = call(&f, "POST", "/api/v1/session", &bad);
	CHECK_INT(r.status, 401);
	CHECK(r.set_cookie[0] == '\0');
	json_decref(r.body);

	struct req_opts good = { .body = "{\"email\":\"Agent@Example.fi\",\"password\":\"oikea-salasana\"}" };
	r = call(&f, "POST", "/api/v1/session", &good);
	CHECK_INT(r.status, 200);
	CHECK(!strncmp(r.set_cookie, "kp_session=", 11));
	CHECK(strstr(r.set_cookie, "HttpOnly") && strstr(r.set_cookie, "SameSite=Strict"));
	char cookie[64] = "", csrf[64] = "";
	sscanf(r.set_cookie, "kp_session=%63[^;]", cookie);
	snprintf(csrf, sizeof(csrf), "%s", jstr(r.body, "csrf_token") ? jstr(r.body, "csrf_token") : "");
	CHECK_STR(jstr(json_object_get(r.body, "staff"), "email"), "agent@example.fi");
	CHECK(json_object_get(json_object_get(r.body, "staff"), "pw_hash") == NULL);
	json_decref(r.body);

	struct req_opts ck = { .cookie = cookie };
	r = call(&f, "GET", "/api/v1/session", &ck);
	CHECK_INT(r.status, 200);
	CHECK_STR(jstr(r.body, "csrf_token"), csrf);
	json_decref(r.body);

	/* a state-changing request with the cookie but without the CSRF header */
	r = call(&f, "DELETE", "/api/v1/session", &ck);
	CHECK_INT(r.status, 403);
	json_decref(r.body);
	struct req_opts wrong = { .cookie = cookie, .csrf = "nope" };
	r = call(&f, "DELETE", "/api/v1/session", &wrong);
	CHECK_INT(r.status, 403);
	json_decref(r.body);

	struct req_opts ok = { .cookie = cookie, .csrf = csrf };
	r = call(&f, "DELETE", "/api/v1/session", &ok);
	CHECK_INT(r.status, 204);
	CHECK(strstr(r.set_cookie, "Max-Age=0") != NULL);
	json_decref(r.body);
	r = call(&f, "GET", "/api/v1/session", &ck);
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
	if (flow_open(&f) != 0) {
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
		{ "POST", "/api/v1/staff", "{\"email\":\"x@example.fi\",\"name\":\"X\",\"role\":\"agent\"}",
		  { 401, 403, 403, 201 } },
		{ "GET", "/healthz", NULL, { 200, 200, 200, 200 } },
	};
	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
		for (int role = 0; role <= 3; role++) {
			struct req_opts o = { .token = role ? f.token[role] : NULL, .body = m[i].body };
			struct resp r = call(&f, m[i].method, m[i].path, &o);
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
	struct req_opts mo = { .token = f.token[2], .query = q }, ao = { .token = f.token[3], .query = q };
	struct resp r = call(&f, "GET", "/api/v1/tokens", &mo);
	CHECK_INT(r.status, 403);
	json_decref(r.body);
	r = call(&f, "GET", "/api/v1/tokens", &ao);
	CHECK_INT(r.status, 200);
	CHECK_INT(json_array_size(json_object_get(r.body, "items")), 1);
	json_decref(r.body);
	flow_close(&f);
}

TEST(api_flow_tokens_and_revocation)
{
	struct flow f;
	if (flow_open(&f) != 0) {
		CHECK(!"store");
		return;
	}
	struct req_opts o = { .token = f.token[1], .body = "{\"name\":\"CI\"}" };
	struct resp r = call(&f, "POST", "/api/v1/tokens", &o);
	CHECK_INT(r.status, 201);
	const char *tok = jstr(r.body, "token");
	CHECK(tok && !strncmp(tok, "kp_", 3));
	char newtok[AUTH_TOKEN_SIZE] = "";
	snprintf(newtok, sizeof(newtok), "%s", tok ? tok : "");
	long long id = (long long)json_integer_value(json_object_get(r.body, "id"));
	json_decref(r.body);

	struct req_opts use = { .token = newtok };
	r = call(&f, "GET", "/api/v1/session", &use);
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
	struct req_opts other = { .token = f.token[2] }; /* a manager cannot revoke an agent's token */
	r = call(&f, "DELETE", path, &other);
	CHECK_INT(r.status, 404);
	json_decref(r.body);
	r = call(&f, "DELETE", path, &use); /* revoke itself */
	CHECK_INT(r.status, 204);
	json_decref(r.body);
	r = call(&f, "GET", "/api/v1/session", &use);
	CHECK_INT(r.status, 401);
	json_decref(r.body);

	/* an admin may revoke anyone's token */
	struct req_opts mine = { .token = f.token[2] };
	r = call(&f, "GET", "/api/v1/tokens", &mine);
	long long mid = (long long)json_integer_value(json_object_get(json_array_get(json_object_get(r.body, "items"), 0), "id"));
	json_decref(r.body);
	snprintf(path, sizeof(path), "/api/v1/tokens/%lld", mid);
	struct req_opts admin = { .token = f.token[3] };
	r = call(&f, "DELETE", path, &admin);
	CHECK_INT(r.status, 204);
	json_decref(r.body);
	r = call(&f, "GET", "/api/v1/tokens", &mine);
	CHECK_INT(r.status, 401);
	json_decref(r.body);
	flow_close(&f);
}

TEST(api_flow_idempotency_key)
{
	struct flow f;
	if (flow_open(&f) != 0) {
		CHECK(!"store");
		return;
	}
	const char *b1 = "{\"email\":\"idem@example.fi\",\"name\":\"Idem\",\"role\":\"agent\"}";
	struct req_opts o = { .token = f.token[3], .body = b1, .idem = "key-1" };
	struct resp r1 = call(&f, "POST", "/api/v1/staff", &o);
	CHECK_INT(r1.status, 201);
	struct resp r2 = call(&f, "POST", "/api/v1/staff", &o);
	CHECK_INT(r2.status, 201);
	CHECK_STR(r2.replayed, "true");
	CHECK_INT(json_integer_value(json_object_get(r1.body, "id")), json_integer_value(json_object_get(r2.body, "id")));
	json_decref(r1.body);
	json_decref(r2.body);

	struct req_opts d = { .token = f.token[3], .idem = "key-1",
			      .body = "{\"email\":\"other@example.fi\",\"name\":\"O\",\"role\":\"agent\"}" };
	struct resp r3 = call(&f, "POST", "/api/v1/staff", &d);
	CHECK_INT(r3.status, 422);
	CHECK(strstr(json_string_value(json_object_get(r3.body, "detail")), "Idempotency-Key") != NULL);
	json_decref(r3.body);

	struct req_opts bad = { .token = f.token[3], .idem = "has space", .body = b1 };
	struct resp r4 = call(&f, "POST", "/api/v1/staff", &bad);
	CHECK_INT(r4.status, 400);
	json_decref(r4.body);

	/* without a key the same body is a conflict (the e-mail is taken) */
	struct req_opts nk = { .token = f.token[3], .body = b1 };
	struct resp r5 = call(&f, "POST", "/api/v1/staff", &nk);
	CHECK_INT(r5.status, 409);
	json_decref(r5.body);
	flow_close(&f);
}

TEST(api_flow_signin_rate_limit)
{
	struct flow f;
	if (flow_open(&f) != 0) {
		CHECK(!"store");
		return;
	}
	struct req_opts bad = { .body = "{\"email\":\"manager@example.fi\",\"password\":\"wrong-password\"}" };
	for (int i = 0; i < 5; i++) {
		struct resp r = call(&f, "POST", "/api/v1/session", &bad);
		CHECK_INT(r.status, 401);
		json_decref(r.body);
	}
	struct req_opts good = { .body = "{\"email\":\"manager@example.fi\",\"password\":\"oikea-salasana\"}" };
	struct resp r = call(&f, "POST", "/api/v1/session", &good);
	CHECK_INT(r.status, 429);
	CHECK(atoi(r.retry_after) > 0);
	json_decref(r.body);
	/* another account from the same address is not locked out */
	struct req_opts other = { .body = "{\"email\":\"admin@example.fi\",\"password\":\"oikea-salasana\"}" };
	r = call(&f, "POST", "/api/v1/session", &other);
	CHECK_INT(r.status, 200);
	json_decref(r.body);
	flow_close(&f);
}

TEST(api_flow_password_change_and_deactivation)
{
	struct flow f;
	if (flow_open(&f) != 0) {
		CHECK(!"store");
		return;
	}
	struct req_opts si = { .body = "{\"email\":\"agent@example.fi\",\"password\":\"oikea-salasana\"}" };
	char ck[2][64], csrf[2][64];
	for (int i = 0; i < 2; i++) {
		struct resp r = call(&f, "POST", "/api/v1/session", &si);
		CHECK_INT(r.status, 200);
		ck[i][0] = '\0';
		sscanf(r.set_cookie, "kp_session=%63[^;]", ck[i]);
		snprintf(csrf[i], sizeof(csrf[i]), "%s", jstr(r.body, "csrf_token") ? jstr(r.body, "csrf_token") : "");
		json_decref(r.body);
	}
	struct req_opts wrong = { .cookie = ck[0], .csrf = csrf[0],
				  .body = "{\"current_password\":\"nope-nope\",\"new_password\":\"uusi-salasana\"}" };
	struct resp r = call(&f, "POST", "/api/v1/session/password", &wrong);
	CHECK_INT(r.status, 422);
	json_decref(r.body);
	struct req_opts pw = { .cookie = ck[0], .csrf = csrf[0],
			       .body = "{\"current_password\":\"oikea-salasana\",\"new_password\":\"uusi-salasana\"}" };
	r = call(&f, "POST", "/api/v1/session/password", &pw);
	CHECK_INT(r.status, 204);
	json_decref(r.body);
	struct req_opts s0 = { .cookie = ck[0] }, s1 = { .cookie = ck[1] };
	r = call(&f, "GET", "/api/v1/session", &s0); /* this session stays */
	CHECK_INT(r.status, 200);
	json_decref(r.body);
	r = call(&f, "GET", "/api/v1/session", &s1); /* the other one ended */
	CHECK_INT(r.status, 401);
	json_decref(r.body);

	/* an admin deactivates the agent: the session and the token stop working */
	char path[48];
	snprintf(path, sizeof(path), "/api/v1/staff/%lld", (long long)f.staff_id[1]);
	struct req_opts de = { .token = f.token[3], .body = "{\"active\":false}" };
	r = call_if_match(&f, path, &de, "\"99\""); /* stale version */
	CHECK_INT(r.status, 412);
	json_decref(r.body);
	r = call(&f, "PATCH", path, &de);
	CHECK_INT(r.status, 200);
	json_decref(r.body);
	r = call(&f, "GET", "/api/v1/session", &s0);
	CHECK_INT(r.status, 401);
	json_decref(r.body);
	struct req_opts tk = { .token = f.token[1] };
	r = call(&f, "GET", "/api/v1/tokens", &tk);
	CHECK_INT(r.status, 401);
	json_decref(r.body);
	/* and an admin cannot deactivate themself */
	snprintf(path, sizeof(path), "/api/v1/staff/%lld", (long long)f.staff_id[3]);
	r = call(&f, "PATCH", path, &de);
	CHECK_INT(r.status, 409);
	json_decref(r.body);
	flow_close(&f);
}

TEST(api_flow_session_expires)
{
	struct flow f;
	if (flow_open(&f) != 0) {
		CHECK(!"store");
		return;
	}
	f.srv.session_ttl_ms = 1;
	struct req_opts si = { .body = "{\"email\":\"admin@example.fi\",\"password\":\"oikea-salasana\"}" };
	struct resp r = call(&f, "POST", "/api/v1/session", &si);
	CHECK_INT(r.status, 200);
	char ck[64] = "";
	sscanf(r.set_cookie, "kp_session=%63[^;]", ck);
	json_decref(r.body);
	usleep(20 * 1000);
	struct req_opts o = { .cookie = ck };
	r = call(&f, "GET", "/api/v1/session", &o);
	CHECK_INT(r.status, 401);
	json_decref(r.body);
	/* a token-authenticated DELETE /session is a client error, not a sign-out */
	struct req_opts t = { .token = f.token[3] };
	r = call(&f, "DELETE", "/api/v1/session", &t);
	CHECK_INT(r.status, 400);
	json_decref(r.body);
	flow_close(&f);
}
