/*
 * The per-thread authentication cache in api/dispatch.c (api.h): a credential seen once is
 * answered from the cache, and every API write that takes access away (token revocation,
 * a staff change, sign-out) is in force for the very next request, because it bumps the
 * auth generation after its commit. Changes made behind the API's back (another process)
 * are bounded by API_AUTH_CACHE_TTL_MS instead.
 */
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
#include "util/timeutil.h"

struct flow {
	char path[64];
	struct store *s;
	struct api_server srv;
	char token[4][AUTH_TOKEN_SIZE]; /* by role */
	int64_t staff_id[4];
	int64_t token_id[4];
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
	snprintf(f->path, sizeof(f->path), "/tmp/kp-unit-authcache-%d.db", (int)getpid());
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
		f->token_id[i] = sd.t.id;
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


struct revoke_arg {
	int64_t id;
};

static int revoke_behind_the_api(struct store_conn *c, void *arg, struct kp_err *err)
{
	return store_token_revoke(c, ((struct revoke_arg *)arg)->id, 0, err);
}

static int status_of(struct flow *f, const char *method, const char *path, const struct req_opts *o)
{
	struct resp r = call(f, method, path, o);
	json_decref(r.body);
	return r.status;
}

TEST(api_auth_cache_hits_and_generation)
{
	struct flow f;
	if (flow_open(&f) != 0) {
		CHECK(!"store");
		return;
	}
	struct req_opts agent = { .token = f.token[1] };
	CHECK_INT(status_of(&f, "GET", "/api/v1/session", &agent), 200); /* fills the cache */

	/* Revoked without the API (as another process would): the cached principal still
	 * answers - this is what the cache saves - but only until the generation moves or the
	 * TTL passes. */
	struct revoke_arg ra = { f.token_id[1] };
	struct kp_err err = KP_ERR_INIT;
	int64_t t0 = time_now_ms();
	CHECK_INT(store_exec(f.s, revoke_behind_the_api, &ra, &err), 0);
	int st = status_of(&f, "GET", "/api/v1/session", &agent);
	if (time_now_ms() - t0 < API_AUTH_CACHE_TTL_MS)
		CHECK_INT(st, 200);
	uint64_t g = api_auth_generation();
	api_auth_invalidate();
	CHECK(api_auth_generation() > g);
	CHECK_INT(status_of(&f, "GET", "/api/v1/session", &agent), 401);
	CHECK_INT(status_of(&f, "GET", "/api/v1/session", &agent), 401);
	flow_close(&f);
}

TEST(api_auth_cache_invalidated_by_api_writes)
{
	struct flow f;
	if (flow_open(&f) != 0) {
		CHECK(!"store");
		return;
	}
	struct req_opts manager = { .token = f.token[2] }, admin = { .token = f.token[3] };
	char path[64];

	/* a role change: the manager's cached role must not outlive the PATCH's answer */
	CHECK_INT(status_of(&f, "GET", "/api/v1/staff", &manager), 200);
	CHECK_INT(status_of(&f, "GET", "/api/v1/staff", &manager), 200);
	uint64_t g = api_auth_generation();
	snprintf(path, sizeof(path), "/api/v1/staff/%lld", (long long)f.staff_id[2]);
	struct req_opts demote = { .token = f.token[3], .body = "{\"role\":\"agent\"}" };
	CHECK_INT(status_of(&f, "PATCH", path, &demote), 200);
	CHECK(api_auth_generation() > g);
	CHECK_INT(status_of(&f, "GET", "/api/v1/staff", &manager), 403);
	CHECK_INT(status_of(&f, "GET", "/api/v1/session", &manager), 200);

	/* deactivation */
	struct req_opts deactivate = { .token = f.token[3], .body = "{\"active\":false}" };
	CHECK_INT(status_of(&f, "PATCH", path, &deactivate), 200);
	CHECK_INT(status_of(&f, "GET", "/api/v1/session", &manager), 401);

	/* revoking a token through the API */
	struct req_opts agent = { .token = f.token[1] };
	CHECK_INT(status_of(&f, "GET", "/api/v1/session", &agent), 200);
	snprintf(path, sizeof(path), "/api/v1/tokens/%lld", (long long)f.token_id[1]);
	CHECK_INT(status_of(&f, "DELETE", path, &admin), 204);
	CHECK_INT(status_of(&f, "GET", "/api/v1/session", &agent), 401);

	/* reads do not move the generation (the cache keeps working under read load) */
	g = api_auth_generation();
	CHECK_INT(status_of(&f, "GET", "/api/v1/session", &admin), 200);
	CHECK_INT(status_of(&f, "GET", "/api/v1/staff", &admin), 200);
	CHECK(api_auth_generation() == g);
	flow_close(&f);
}
