/*
 * The per-thread authentication cache in api/dispatch.c (api.h): a credential seen once is
 * answered from the cache, and every API write that takes access away (token revocation,
 * a staff change, sign-out) is in force for the very next request, because it bumps the
 * auth generation after its commit. Changes made behind the API's back (another process)
 * are bounded by API_AUTH_CACHE_TTL_MS instead.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "domain/auth.h"
#include "domain/staff.h"
#include "fixture_flow.h"
#include "test.h"
#include "util/timeutil.h"

struct revoke_arg {
	int64_t id;
};

static int revoke_behind_the_api(struct store_conn *c, void *arg, struct kp_err *err)
{
	return store_token_revoke(c, ((struct revoke_arg *)arg)->id, 0, err);
}

static int status_of(struct flow *f, const char *method, const char *path, const struct flow_opts *o)
{
	struct flow_resp r = flow_call(f, method, path, o);
	json_decref(r.body);
	return r.status;
}

TEST(api_auth_cache_hits_and_generation)
{
	struct flow f;
	if (flow_open(&f, "authcache") != 0) {
		CHECK(!"store");
		return;
	}
	struct flow_opts agent = { .token = f.token[1] };
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
	if (flow_open(&f, "authcache") != 0) {
		CHECK(!"store");
		return;
	}
	struct flow_opts manager = { .token = f.token[2] }, admin = { .token = f.token[3] };
	char path[64];

	/* a role change: the manager's cached role must not outlive the PATCH's answer */
	CHECK_INT(status_of(&f, "GET", "/api/v1/staff", &manager), 200);
	CHECK_INT(status_of(&f, "GET", "/api/v1/staff", &manager), 200);
	uint64_t g = api_auth_generation();
	snprintf(path, sizeof(path), "/api/v1/staff/%lld", (long long)f.staff_id[2]);
	struct flow_opts demote = { .token = f.token[3], .body = "{\"role\":\"agent\"}" };
	CHECK_INT(status_of(&f, "PATCH", path, &demote), 200);
	CHECK(api_auth_generation() > g);
	CHECK_INT(status_of(&f, "GET", "/api/v1/staff", &manager), 403);
	CHECK_INT(status_of(&f, "GET", "/api/v1/session", &manager), 200);

	/* deactivation */
	struct flow_opts deactivate = { .token = f.token[3], .body = "{\"active\":false}" };
	CHECK_INT(status_of(&f, "PATCH", path, &deactivate), 200);
	CHECK_INT(status_of(&f, "GET", "/api/v1/session", &manager), 401);

	/* revoking a token through the API */
	struct flow_opts agent = { .token = f.token[1] };
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
