/* The shared fixture of the API-core unit tests: see fixture_flow.h. */
#include "fixture_flow.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/ratelimit.h"
#include "domain/auth.h"
#include "domain/staff.h"
#include "util/log.h"

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

/* Run one request to the end (waiting for a deferred write) and keep what tests look at. */
struct flow_resp flow_call(struct flow *f, const char *method, const char *path, const struct flow_opts *o)
{
	struct arena a = ARENA_INIT;
	struct api_req r;
	struct waiter w = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0 };
	struct flow_resp out;
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

int flow_open(struct flow *f, const char *name)
{
	memset(f, 0, sizeof(f[0]));
	log_set_quiet(1);
	snprintf(f->path, sizeof(f->path), "/tmp/kp-unit-%s-%d.db", name, (int)getpid());
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
	/* the admin first: an installation's first account is an admin (domain/staff.h) */
	for (int i = 3; i >= 1; i--) {
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

void flow_close(struct flow *f)
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
