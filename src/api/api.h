/*
 * api: the JSON API, independent of the HTTP library. http/ turns each request into a
 * struct api_req and calls api_handle(); api/ finds the route (api/routes.c, one table),
 * authenticates (cookie session or bearer token), checks the role, CSRF and limits, runs
 * the handler, and leaves the answer in req->resp. http/ sends it.
 *
 * Reads answer at once on the loop thread (API_DONE), but for a few heavy ones that go to a
 * worker thread (api_offload(), the same way back as a write). Writes go to the store writer
 * (api_write()): the handler returns API_DEFERRED, the write runs on the writer thread,
 * fills req->resp there, and req->finish(req) is called (on the writer thread, or on the
 * store's sync thread with the sync pipeline) once the write is durable; http/ then sends
 * the answer from the request's own loop.
 *
 * Ownership: http/ owns the struct api_req and its arena for the request's lifetime; every
 * string in it lives in req->arena. resp.body is a struct buf the api fills and http/
 * releases after sending.
 */
#ifndef KP_API_API_H
#define KP_API_API_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/err.h"

struct domain_ctx;

/* Limits the API enforces; http/ enforces the transport ones (body size, headers, time). */
struct api_limits {
	size_t max_body;       /* bytes; over it: 413 (http/ checks before reading it all) */
	int max_json_depth;    /* nesting; over it: 400 */
	size_t max_string;     /* bytes in any one JSON string field; over it: 422 */
	int max_list_limit;    /* ?limit= upper bound */
};

struct api_server {
	struct store *store;
	struct api_limits limits;
	int cookie_secure;          /* add Secure to the session cookie (behind TLS) */
	int64_t session_ttl_ms;
	struct api_ratelimit *signin_limiter; /* failed sign-ins, see api/ratelimit.h */
	int64_t started_at;
	const char *version;
	void *text_pool; /* text analysers per thread, set by the server (issue 3) */
	struct api_offload *offload; /* workers for heavy reads (api_offload()); NULL: run inline */
};

enum api_auth_via { API_AUTH_NONE = 0, API_AUTH_COOKIE, API_AUTH_TOKEN };

struct api_principal {
	int64_t staff_id;
	int role; /* enum staff_role; ROLE_NONE when not signed in */
	const char *email, *name, *team;
	int via;                 /* enum api_auth_via */
	const char *session_hash; /* for cookie sessions */
	int64_t token_id;         /* for bearer tokens */
	int must_change_pw;       /* signed in with the one-time password: only its change is open */
};

struct api_header {
	const char *name, *value;
};

#define API_MAX_RESP_HEADERS 12

struct api_resp {
	int status;
	const char *content_type; /* NULL = application/json */
	int nheaders;
	struct api_header headers[API_MAX_RESP_HEADERS];
	struct buf body;
};

struct api_route;

#define API_SCOPE_MAX 16 /* parameters of one list whose effective values count (api_scope_param) */

struct api_req {
	/* Filled by http/ (NUL-terminated, in arena; absent headers are NULL). */
	const char *method, *path, *query;
	const char *body;
	size_t body_len;
	const char *content_type, *if_match, *if_none_match, *idempotency_key, *authorization, *cookie,
		*csrf_token, *user_agent, *remote_addr;
	char request_id[65]; /* up to 64 characters (a valid incoming X-Request-Id or 16 hex) */
	struct arena *arena;
	struct api_server *srv;
	int thread_index; /* which loop thread, 0..n-1 */
	/* Called by the api when a deferred answer is ready (from any thread). */
	void (*finish)(struct api_req *req);
	void *transport; /* http/'s own per-request state */

	/* Filled by api_handle(). */
	const struct api_route *route;
	const char *params[4]; /* path parameters in order ({id}) */
	int nparams;
	struct api_principal who;
	struct api_resp resp;
	struct store_job job; /* used by api_write() */
	void *write_ctx;
	int (*write_run)(struct store_conn *c, struct api_req *r, struct kp_err *err);
	int auth_changed; /* set by api_auth_changed() in a write's run function */
	int model_changed; /* set in a write's run function: protect_model_retrain_later() after
	                    * the commit (an erasure took corrections away) */
	/* Set in a write's run function whose answer shows a record it names in no Location:
	 * that record's path ("/api/v1/customers/7", in the arena), kept with an idempotent
	 * answer so that erasing the record forgets the answer (struct idem_entry). */
	const char *idem_subject;
	int (*offload_run)(struct api_req *r, void *ctx); /* used by api_offload() */
	void *offload_ctx;
	/* The effective values of a list's parameters as its handler read them
	 * (api_scope_param()), which api_list_scope() hashes in place of the literal ones. */
	struct {
		const char *name, *value;
	} scope[API_SCOPE_MAX];
	int nscope;
};

enum api_result { API_DONE = 0, API_DEFERRED = 1 };

typedef int api_handler_fn(struct api_req *r);

/* A route: method, path pattern ("{id}" segments match a positive integer), handler, the
 * least role that may call it (ROLE_NONE = public), and a one-line summary for OpenAPI. */
struct api_route {
	const char *method;
	const char *pattern;
	api_handler_fn *handler;
	int min_role;
	const char *summary;
};

extern const struct api_route api_routes[];
extern const size_t api_nroutes;
/* openapi.c: the query parameter names docs/openapi.json gives this route's operation
 * (NULL-terminated; shared, never freed), or NULL if it describes no such operation. */
const char *const *api_openapi_query_params(const struct api_route *route);

/* Handle one request: route, authenticate, authorise, call the handler. Returns API_DONE
 * (req->resp is ready) or API_DEFERRED (req->finish will be called). Never fails: every
 * error becomes a problem response. */
int api_handle(struct api_req *r);

/* For a client that waits for a 100 (Continue) before it sends its body: whether the request
 * is refused whatever its body holds, by the checks api_handle() makes before the handler
 * (route 404/405, query 400, credentials 401, role, CSRF 403) or by a Content-Type that is not
 * JSON on a POST, PUT or PATCH (415). r is filled as for api_handle() but for body, which is
 * NULL, and body_len, the length the request announces. 1 with the problem in r->resp (release
 * it with api_req_release()), or 0 when the body is wanted: api_handle() then runs on the
 * whole request as usual. Runs on a loop thread (it may read the store to authenticate). */
int api_precheck(struct api_req *r);

/* The calling loop thread has handled everything that was ready and is about to wait:
 * ends the read snapshot its requests may have shared (store_read_release in store.h). */
void api_thread_idle(struct api_server *srv);

/* Release what api_handle() allocated outside the arena (resp.body). */
void api_req_release(struct api_req *r);

/* ---- helpers for handlers ------------------------------------------------------------ */

/* Render an error as application/problem+json (RFC 9457) into r->resp: type, title,
 * status, detail, instance (the path), request_id and, for validation errors, "errors":
 * [{"field": ..., "message": ...}]. The one place a status becomes an HTTP code. */
void api_problem(struct api_req *r, const struct kp_err *err);
int api_http_status(int kp_status);
/* Shorthand: api_problem with a fresh error of this status and message; returns API_DONE. */
int api_fail(struct api_req *r, int status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Parse the request body as a JSON object, enforcing content type (415), depth (400),
 * UTF-8 (400) and size. On failure renders the problem and returns NULL. The caller owns
 * the returned reference (json_decref). */
json_t *api_body_object(struct api_req *r);
/* For an action that takes nothing (POST .../erase, .../ack): 1 when the body is an empty JSON
 * object; else the problem is rendered (as api_body_object's, or a 400 naming the unknown
 * fields) and 0 is returned. */
int api_body_empty(struct api_req *r);

/* Set the response to `status` with body = json_dumps(j) (j is borrowed, not decref'd). */
void api_json(struct api_req *r, int status, json_t *j);
/* api_json() for an answer of rounded figures and no record ETag (the topics list): reals
 * with 15 significant digits. A record keeps jansson's 17, the form its stored JSON has,
 * so that every read of one version gives the same bytes. */
void api_json_rounded(struct api_req *r, int status, json_t *j);
/* The response as it goes out (the http layer calls it once, on every path): a JSON body's
 * reals in their shortest form, as entered ("0.1"), not jansson's 17 digits. */
void api_resp_finish(struct api_req *r);
void api_header(struct api_req *r, const char *name, const char *value); /* value copied to arena */

/* The route method and path (without the query) are for, or NULL; no side effects (http/
 * labels the requests it refuses before the api sees them: a body over the limit). */
const struct api_route *api_route_for(const char *method, const char *path);
/* Query string parameter (percent-decoded, in arena) or NULL. */
const char *api_query(struct api_req *r, const char *name);
/* The NAME[KEY]=VALUE parameters of the query (an OpenAPI deepObject parameter: "custom[tier]=
 * gold"), in order: the first cap of them into keys[] and values[] (percent-decoded, arena; a
 * value NULL for "custom[tier]" with no "="); returns how many there are in all (may be more
 * than cap). */
size_t api_query_deep(struct api_req *r, const char *name, const char **keys, const char **values, size_t cap);
/* Which list a request reads: a hash of its path and its query parameters (decoded, in any
 * order) but cursor and limit. A list's cursors carry it (api_cursor_next()), so a cursor
 * of one customer's timeline, or of a list with other filters, is refused by another. */
uint64_t api_list_scope(struct api_req *r);
/* The effective value of the list parameter name as the handler reads it (value NULL or "":
 * absent, or its default is "nothing"): a default filled in ("sort" absent is "id"), a time
 * as its millisecond, a flag as 0 or 1. api_list_scope() then counts the parameter by this
 * value whether or not it was given, so a cursor made without it is taken with it spelt
 * out, and the other way round. Record every such parameter before the list's cursor is
 * read (api_q_cursor()). Copies both strings; past API_SCOPE_MAX parameters the literal
 * values count, which is stricter, never looser. */
void api_scope_param(struct api_req *r, const char *name, const char *value);
/* Path parameter i as a positive id; 0 if missing or malformed. */
int64_t api_param_id(struct api_req *r, int i);

/* Run r->write_run(c, r, err) on the store writer inside a savepoint, durably. The run
 * function fills r->resp (status, headers, body) on success; on error the savepoint is
 * rolled back and the error rendered. Handles Idempotency-Key for POST: a repeated key
 * with the same request returns the first answer; with a different request, 422.
 * Returns API_DEFERRED (or API_DONE if it answered at once, e.g. the store is closing). */
int api_write(struct api_req *r, int (*run)(struct store_conn *c, struct api_req *r, struct kp_err *err),
	      void *ctx);

/* A read too heavy for the event loop (offload.c): run(r, ctx) fills r->resp on a worker thread,
 * with that thread's own read connection, and r->finish posts the answer back as for a
 * write. Returns API_DEFERRED, or API_DONE with a 503 when too many wait, or with run's
 * answer when there are no workers (r->srv->offload NULL: it runs here). run must not keep
 * anything of the loop thread's (its reader connection, its auth cache). */
int api_offload(struct api_req *r, int (*run)(struct api_req *r, void *ctx), void *ctx);
/* Start and stop the workers (the server, around its loops; stop joins them, after the loops
 * have ended: every offloaded request has come back by then). NULL when none could start. */
struct api_offload *api_offload_start(struct store *store);
void api_offload_stop(struct api_offload *o);

/* ---- the authentication cache ----------------------------------------------------------- *
 * Each loop thread keeps a small cache of credential hash -> principal (staff id, role,
 * e-mail, name, team; for sessions also the expiry and the CSRF token), so a request with a
 * known bearer token or session cookie costs no token, session or staff query. Entries are
 * exact, not merely recent: every entry records the process-wide auth generation it was
 * read under, and a hit counts only while the generation is unchanged. Every write that
 * can take access away (revoking a token, any staff change - role, active, e-mail,
 * password -, signing out, a password change ending sessions) calls api_auth_changed() in
 * its run function, and the generation is bumped once that write has committed, before its
 * answer is sent: after a 2xx to such a write, no request in this process is authenticated
 * from an older entry. As a backstop for changes made outside this process (the CLI, a
 * second server on the same PostgreSQL), an entry is also used for at most
 * API_AUTH_CACHE_TTL_MS after it was read. */
#define API_AUTH_CACHE_TTL_MS 2000

/* In a write's run function (writer thread): this write may revoke or reduce someone's
 * access; the auth generation is bumped after the commit. */
void api_auth_changed(struct api_req *r);
/* Bump the auth generation now (drops every cached principal in every thread). */
void api_auth_invalidate(void);
uint64_t api_auth_generation(void);

#endif
