/*
 * http: the HTTP server, the only code that includes h2o.h. It listens, runs one h2o event
 * loop per thread (all sharing one listening socket), turns every request into a struct
 * api_req, calls api_handle() and sends the answer. Writes the api defers to the store
 * writer come back through an h2o_multithread queue to the loop that owns the request.
 *
 * Besides the API it serves a small HTML landing page at GET /, adds X-Request-Id to every
 * response (and Cache-Control: no-store under /api/), writes one access log line per
 * request, records the /metrics series (util/metrics.h), and enforces the transport
 * limits: body size (413), header size (431), request read time (slow clients and idle
 * keep-alive connections are closed), and the number of open connections.
 *
 *     struct http_server_config cfg = { .listen = "127.0.0.1:8080" };
 *     http_block_signals();            // before any thread exists (store_open starts one)
 *     ... store_open(), fill struct api_server ...
 *     rc = http_serve(&cfg, &api, &err); // returns after SIGTERM/SIGINT
 *     store_close(api.store);
 */
#ifndef KP_HTTP_SERVER_H
#define KP_HTTP_SERVER_H

#include <stddef.h>

#include "api/api.h"
#include "util/err.h"

/* A socket bound ahead of http_serve (so that a busy port is reported before the store is
 * opened); http_serve listens on it once it is ready to answer. shown is the actual
 * address, e.g. "127.0.0.1:40123". */
struct http_listener {
	int fd; /* -1 when closed */
	char shown[300];
};

/* Parse "ADDR:PORT" / "[V6]:PORT" (port 0 picks a free port) and bind; http_serve listens.
 * 0, or KP_EINVAL for a malformed or unresolvable address, KP_EUNAVAILABLE when the socket
 * cannot be bound (err says why, e.g. the port is in use). Close with
 * http_listener_close() unless handed to http_serve(). */
int http_listen(const char *listen_on, struct http_listener *out, struct kp_err *err);
void http_listener_close(struct http_listener *l); /* NULL or closed: no-op */

struct http_server_config {
	const char *listen;             /* "ADDR:PORT", "[v6]:PORT"; port 0 picks a free port */
	struct http_listener *listener; /* if set, serve on it instead of opening `listen`;
	                                   http_serve takes the socket (sets fd to -1) */
	int threads;                    /* event loop threads; <= 0: one per core */
	size_t max_body;                /* request body bytes; 0: 1 MiB (over: 413) */
	size_t max_header_bytes;        /* request line + headers; 0: 32 KiB (over: 431) */
	int max_connections;            /* open connections; 0: 10000 (beyond: closed at once) */
	int req_timeout_ms;             /* time to receive one request, also the keep-alive idle
	                                   limit; 0: 10000 */
	int shutdown_timeout_ms;        /* how long in-flight requests may take after SIGTERM;
	                                   0: 10000 */
};

/* Block SIGTERM, SIGINT, SIGHUP (they are taken by http_serve with sigwaitinfo, never by a
 * handler) and ignore SIGPIPE in the calling thread; threads created afterwards inherit
 * this. Call it before creating any thread, e.g. before store_open(). */
void http_block_signals(void);

/* Listen on cfg->listen, print "kumppani: listening on http://ADDR:PORT (N threads,
 * BACKEND)" to stderr, and serve api until SIGTERM or SIGINT. Then: stop accepting, let
 * requests in flight finish (deferred writes included) for up to shutdown_timeout_ms,
 * close the remaining connections, stop the loops. Does not close api->store (the
 * caller does, after this returns). Blocks SIGTERM/SIGINT itself if the caller has not.
 * Returns 0 after a clean shutdown; KP_EINVAL for a bad listen address, KP_EUNAVAILABLE
 * when it cannot listen (err says why), KP_ENOMEM. */
int http_serve(const struct http_server_config *cfg, struct api_server *api, struct kp_err *err);

#endif
