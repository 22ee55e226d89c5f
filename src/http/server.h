/*
 * http: the HTTP server, the only code that includes h2o.h. It listens, runs one h2o event
 * loop per thread (all sharing one listening socket), turns every request into a struct
 * api_req, calls api_handle() and sends the answer. Writes the api defers to the store
 * writer come back through an h2o_multithread queue to the loop that owns the request.
 *
 * Besides the API it serves a small HTML landing page at GET /, adds X-Request-Id to every
 * response (and Cache-Control: no-store under /api/), writes one access log line per
 * request, records the /metrics series (util/metrics.h), and enforces the transport
 * limits: body size (413, refused from its Content-Length before it is read), header size
 * (431, as soon as the bytes of a header block still arriving pass it), request read time
 * (408: a header block has a deadline from its first byte, a body may pause at most the idle
 * time and must keep a minimum rate; an idle keep-alive connection is closed), and the number
 * of open connections (capped below the open-file limit). Behind a reverse proxy the client's
 * address is read from X-Forwarded-For or Forwarded, but only when the peer is a trusted proxy.
 *
 *     struct http_server_config cfg = { .listen = "127.0.0.1:8080" };
 *     http_block_signals();            // before any thread exists (store_open starts one)
 *     ... store_open(), fill struct api_server ...
 *     rc = http_serve(&cfg, &api, &err); // returns after SIGTERM/SIGINT/SIGHUP
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
	int header_timeout_ms;          /* a request line and headers must arrive within this from
	                                   their first byte (else 408); 0: 10000 */
	int idle_timeout_ms;            /* a keep-alive connection waiting for its next request, a
	                                   body whose bytes stop, a client that does not read its
	                                   answer: closed (a body: 408) after this; 0: 10000 */
	const char *trusted_proxies;    /* "ADDR[/BITS],..." (IPv4 or IPv6) whose X-Forwarded-For /
	                                   Forwarded name the client; NULL or "": none */
	int shutdown_timeout_ms;        /* how long in-flight requests may take after SIGTERM;
	                                   0: 10000 */
};

/* Whether list is a valid trusted_proxies value (comma-separated IPv4/IPv6 addresses and
 * ADDR/BITS ranges, at most 64): 0, or KP_EINVAL with err naming the entry. */
int http_trusted_proxies_check(const char *list, struct kp_err *err);

/* Block SIGTERM, SIGINT, SIGHUP (they are taken by http_serve with sigwaitinfo, never by a
 * handler) and ignore SIGPIPE in the calling thread; threads created afterwards inherit
 * this. Call it before creating any thread, e.g. before store_open(). */
void http_block_signals(void);

/* Listen on cfg->listen, print "kumppani: listening on http://ADDR:PORT (N threads,
 * BACKEND)" to stderr, and serve api until SIGTERM, SIGINT or SIGHUP. Then: stop accepting, let
 * requests in flight finish (deferred writes included) for up to shutdown_timeout_ms,
 * close the remaining connections, stop the loops. Does not close api->store (the
 * caller does, after this returns). Blocks SIGTERM/SIGINT itself if the caller has not.
 * Returns 0 after a clean shutdown; KP_EINVAL for a bad listen address, KP_EUNAVAILABLE
 * when it cannot listen (err says why), KP_ENOMEM; KP_EINVAL too for a trusted_proxies entry
 * that is no address or range (err names it). */
int http_serve(const struct http_server_config *cfg, struct api_server *api, struct kp_err *err);

#endif
