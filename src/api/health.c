/*
 * health: liveness (/healthz, never touches the store) and readiness (/readyz, the store
 * answers a ping on this thread's read connection).
 */
#include "api/handlers.h"
#include "util/timeutil.h"

int api_health_live(struct api_req *r)
{
	json_t *j = json_object();
	json_object_set_new(j, "status", json_string("ok"));
	if (r->srv) {
		if (r->srv->version)
			json_object_set_new(j, "version", json_string(r->srv->version));
		if (r->srv->started_at)
			json_object_set_new(j, "uptime_s", json_integer((time_now_ms() - r->srv->started_at) / 1000));
	}
	api_json(r, 200, j);
	json_decref(j);
	return API_DONE;
}

int api_health_ready(struct api_req *r)
{
	struct kp_err err = KP_ERR_INIT;
	if (!r->srv || !r->srv->store)
		return api_fail(r, KP_EUNAVAILABLE, "no store configured");
	int rc = store_ping(r->srv->store, &err);
	if (rc != 0) {
		err.status = KP_EUNAVAILABLE; /* whatever failed, the answer is "not ready" */
		api_problem(r, &err);
		return API_DONE;
	}
	json_t *j = json_pack("{s:s, s:s}", "status", "ready", "store", store_backend_name(r->srv->store));
	api_json(r, 200, j);
	json_decref(j);
	return API_DONE;
}
