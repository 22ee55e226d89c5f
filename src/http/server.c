/*
 * server: listener, event loops, request/response adapter between h2o and api/.
 *
 * Threads: the caller's thread opens the listening socket, starts one loop thread per
 * configured thread and then waits for SIGTERM/SIGINT/SIGHUP with sigwaitinfo (no signal
 * handler). Each loop thread owns an h2o evloop, an h2o_context, its own dup() of the
 * listening socket, and an h2o_multithread queue with two receivers: finished deferred
 * requests and the stop message.
 *
 * h2o objects are thread-affine: a loop's evloop, context, sockets (the listener and the
 * queue's wake-up pipe included) and timeouts are created, used and destroyed on that
 * loop's own thread (http_thread_main), never on the caller's. libh2o keeps per-thread
 * allocators (h2o_socket_buffer_prototype and the memory pool recycler are __thread) and
 * a socket's input buffer remembers the prototype of the thread that created the socket:
 * a queue created on the main thread made every loop allocate and free its wake-up reads
 * through the main thread's recycler at once, without a lock - heap corruption under
 * concurrent deferred writes. The only cross-thread h2o call is
 * h2o_multithread_send_message (the store writer's finish, and the main thread's stop).
 *
 * A request's life: http_on_req takes a struct http_reqstate from the thread's free list
 * (it holds the struct api_req and its arena), fills the api_req from the h2o_req_t and
 * calls api_handle(). API_DONE: the answer is copied into the h2o request pool, sent, and
 * the state goes back to the free list at once. API_DEFERRED: the state stays with the
 * store writer; a small shared allocation on the h2o request pool tells us if h2o disposes
 * of the request first (client gone). req->finish() runs on the writer or the sync thread and only
 * posts the state to the owning loop; the loop sends the answer (if the request still
 * exists) and frees the state. Both sides are done exactly once: no use after free, no
 * leak.
 */
#include "http/server.h"
#include "http/framing.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <h2o.h>
#include <h2o/http1.h>
#include <linux/tcp.h> /* struct tcp_info with tcpi_bytes_acked */
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "util/log.h"
#include "util/metrics.h"
#include "util/timeutil.h"

#define HTTP_DEFAULT_LISTEN     "127.0.0.1:8080"
#define HTTP_DEFAULT_MAX_BODY   (1024 * 1024)
#define HTTP_DEFAULT_MAX_HEADER (32 * 1024)
#define HTTP_DEFAULT_MAX_CONNS  10000
#define HTTP_DEFAULT_TIMEOUT_MS 10000
#define HTTP_RESP_MAX           ((size_t)64 * 1024 * 1024)
#define HTTP_FREE_STATES_MAX    256
#define HTTP_LOG_FLUSH          16384
#define HTTP_ACCEPT_BATCH       16
#define HTTP_REQUEST_ID_MAX     64
#define HTTP_TARGET_MAX         8192 /* bytes of path and query: longer is a 414 */
#define HTTP_INSTANCE_MAX       1024 /* bytes of the path a problem built here echoes */
/* Connections past max_connections still accepted, whose request is read and answered 503
 * with Connection: close: a close after a read request is clean, where closing one whose
 * request is unread makes the kernel reset it (a client could lose the 503). Past this
 * margin a connection gets the 503 written at once and is closed. */
#define HTTP_REFUSE_MARGIN      256
#define HTTP_STR_(x)            #x
#define HTTP_STR(x)             HTTP_STR_(x)

struct http_server;
struct http_thread;

/* One client connection (for counting, the remote address and closing at shutdown). */
struct http_conn {
	h2o_linklist_t link; /* in http_thread.conns */
	struct http_thread *th;
	h2o_socket_t *sock;
	char addr[64];          /* numeric remote host */
	uint64_t stalled_since; /* loop ms since a write has not progressed; 0 = not stalled */
	uint64_t last_acked;
	int killed;
	int refuse; /* accepted past max_connections: its request is answered 503 (HTTP_REFUSE_MARGIN) */
};

/* Our side of one request. Invariant: while pending (deferred, not yet posted back),
 * the writer owns ar; `req` is NULL once h2o disposed the request. */
struct http_reqstate {
	struct api_req ar;
	struct arena arena;
	struct http_thread *th;
	h2o_req_t *req;
	struct http_reqstate **sentinel; /* in req->pool; points back here while deferred */
	h2o_multithread_message_t msg;   /* posted back by finish() */
	int64_t t0_us;
	size_t route_index;
	struct http_reqstate *next_free;
	struct buf spare_body; /* on the free list: the last response body's memory, for reuse */
};

#define HTTP_SPARE_BODY_MAX (64 * 1024) /* larger response buffers are not kept */

struct http_thread {
	int index;
	pthread_t tid;
	int started;      /* pthread_create succeeded: join it */
	int init_done;    /* under srv->init_lock: the thread finished (or failed) its set-up */
	int init_rc;      /* its outcome; init_err says why */
	struct kp_err init_err;
	struct http_server *srv;
	h2o_evloop_t *loop;
	h2o_context_t ctx;
	h2o_accept_ctx_t accept_ctx;
	int listen_fd;
	h2o_socket_t *listener;
	h2o_multithread_queue_t *queue;
	h2o_multithread_receiver_t done_receiver;
	h2o_multithread_receiver_t stop_receiver;
	h2o_multithread_message_t stop_msg;
	h2o_linklist_t conns;
	size_t nconns;
	h2o_timeout_t sweep_timeout; /* once a second: end connections whose reader stalled */
	h2o_timeout_entry_t sweep_entry;
	int sweep_ready;
	size_t inflight; /* states handed to api_handle and not yet freed */
	int stopping;
	int forced;
	uint64_t deadline; /* loop ms */
	uint64_t rng;
	struct http_reqstate *free_states;
	int nfree;
	struct buf log;
	time_t log_sec;
	char log_time[80]; /* "2026-11-23T16:18:40." */
};

struct http_server {
	struct http_server_config cfg;
	struct api_server *api;
	h2o_globalconf_t globalconf;
	h2o_hostconf_t *hostconf;
	struct metrics *metrics;
	struct metrics_route *routes; /* api_routes + the landing page */
	size_t landing_index;
	char *landing; /* the HTML of GET / */
	size_t landing_len;
	int listen_fd;
	_Atomic int nconns;
	int nthreads;
	struct http_thread *threads;
	pthread_mutex_t init_lock; /* loop threads report their set-up through init_cond */
	pthread_cond_t init_cond;
};

/* Set while http/ itself starts a response, so the error filter leaves it alone. */
static __thread int http_own_response;

/* ---- small helpers -------------------------------------------------------------------- */

static const char *http_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 202: return "Accepted";
	case 204: return "No Content";
	case 301: return "Moved Permanently";
	case 302: return "Found";
	case 303: return "See Other";
	case 304: return "Not Modified";
	case 307: return "Temporary Redirect";
	case 308: return "Permanent Redirect";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 406: return "Not Acceptable";
	case 408: return "Request Timeout";
	case 409: return "Conflict";
	case 410: return "Gone";
	case 411: return "Length Required";
	case 412: return "Precondition Failed";
	case 413: return "Content Too Large";
	case 414: return "URI Too Long";
	case 415: return "Unsupported Media Type";
	case 417: return "Expectation Failed";
	case 422: return "Unprocessable Content";
	case 428: return "Precondition Required";
	case 429: return "Too Many Requests";
	case 431: return "Request Header Fields Too Large";
	case 500: return "Internal Server Error";
	case 501: return "Not Implemented";
	case 502: return "Bad Gateway";
	case 503: return "Service Unavailable";
	case 504: return "Gateway Timeout";
	default: return status < 400 ? "OK" : status < 500 ? "Client Error" : "Server Error";
	}
}

/* The problem type suffix for a status, as api/ names it (kp_status_name). */
static const char *http_status_name(int status)
{
	switch (status) {
	case 413:
	case 414:
	case 431: return kp_status_name(KP_ETOOLARGE);
	case 405: return kp_status_name(KP_EMETHOD);
	case 411: return "length-required";
	case 417: return "expectation-failed";
	case 503: return kp_status_name(KP_EUNAVAILABLE);
	default: return kp_status_name(status >= 500 ? KP_EINTERNAL : KP_EINVAL);
	}
}

/* splitmix64: a fast per-thread generator for request ids (not for secrets). */
static uint64_t http_rand(struct http_thread *th)
{
	uint64_t z = (th->rng += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void http_new_request_id(struct http_thread *th, char *out)
{
	static const char hex[] = "0123456789abcdef";
	uint64_t v = http_rand(th);
	for (int i = 0; i < 16; i++)
		out[i] = hex[(v >> (60 - 4 * i)) & 15];
	out[16] = '\0';
}

/* An incoming X-Request-Id is kept when it is 1..64 characters of [A-Za-z0-9._:-]. */
static int http_request_id_ok(const char *s, size_t n)
{
	if (n < 1 || n > HTTP_REQUEST_ID_MAX)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
		      c == '_' || c == ':' || c == '-'))
			return 0;
	}
	return 1;
}

static struct http_thread *http_thread_of(h2o_req_t *req)
{
	return (struct http_thread *)((char *)req->conn->ctx - offsetof(struct http_thread, ctx));
}

static struct http_conn *http_conn_of(h2o_req_t *req)
{
	h2o_socket_t *sock = req->conn->callbacks->get_socket ? req->conn->callbacks->get_socket(req->conn) : NULL;
	return sock ? sock->on_close.data : NULL;
}

static int http_lc_eq(const h2o_iovec_t *name, const char *lc, size_t n)
{
	return name->len == n && h2o_lcstris(name->base, name->len, lc, n);
}

static void http_add_header(h2o_req_t *req, const char *name, size_t nlen, const char *value, size_t vlen)
{
	h2o_iovec_t n = h2o_strdup(&req->pool, name, nlen);
	h2o_iovec_t v = h2o_strdup(&req->pool, value, vlen);
	h2o_add_header_by_str(&req->pool, &req->res.headers, n.base, n.len, 0, NULL, v.base, v.len);
}

/* ---- access log --------------------------------------------------------------------- */

static void http_log_flush(struct http_thread *th)
{
	if (!th->log.len)
		return;
	/* log_access adds the final newline; one call (one write) per batch of lines. */
	if (th->log.ptr[th->log.len - 1] == '\n')
		buf_setlen(&th->log, th->log.len - 1);
	log_access(th->log.ptr);
	buf_reset(&th->log);
}

/* v in decimal at o, zero-padded to at least `width` digits; returns the end. */
static char *http_put_u64(char *o, uint64_t v, int width)
{
	char t[24];
	int n = 0;
	do {
		t[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n < width)
		t[n++] = '0';
	while (n)
		*o++ = t[--n];
	return o;
}

static void http_log_request(struct http_thread *th, const char *rid, const char *addr, const char *method,
                             const char *path, size_t pathlen, int status, size_t bytes, int64_t dur_us,
                             int64_t staff_id)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	if (ts.tv_sec != th->log_sec) {
		struct tm tm;
		gmtime_r(&ts.tv_sec, &tm);
		snprintf(th->log_time, sizeof(th->log_time), "%04d-%02d-%02dT%02d:%02d:%02d.", tm.tm_year + 1900,
		         tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
		th->log_sec = ts.tv_sec;
	}
	if (pathlen > 256)
		pathlen = 256;
	if (!addr || !*addr)
		addr = "-";
	if (dur_us < 0)
		dur_us = 0;
	/* Formatted by hand into the batch buffer (no printf per request): the timestamp's
	 * seconds come from the per-second prefix above. */
	size_t tl = strlen(th->log_time), rl = strlen(rid), al = strlen(addr), ml = strlen(method);
	if (buf_grow(&th->log, tl + rl + al + ml + pathlen + 128) == 0) {
		char *o = th->log.ptr + th->log.len;
		long msec = ts.tv_nsec / 1000000;
		memcpy(o, th->log_time, tl), o += tl;
		*o++ = (char)('0' + msec / 100), *o++ = (char)('0' + msec / 10 % 10), *o++ = (char)('0' + msec % 10);
		memcpy(o, "Z access ", 9), o += 9;
		memcpy(o, rid, rl), o += rl;
		*o++ = ' ';
		memcpy(o, addr, al), o += al;
		*o++ = ' ';
		*o++ = '"';
		memcpy(o, method, ml), o += ml;
		*o++ = ' ';
		/* The path is printable ASCII (checked on input); keep quotes out of the quoted field. */
		for (size_t i = 0; i < pathlen; i++)
			*o++ = path[i] == '"' ? '\'' : path[i];
		*o++ = '"';
		*o++ = ' ';
		o = http_put_u64(o, (uint64_t)(status < 0 ? 0 : status), 3);
		*o++ = ' ';
		o = http_put_u64(o, bytes, 1);
		*o++ = ' ';
		o = http_put_u64(o, (uint64_t)(dur_us / 1000), 1);
		*o++ = '.';
		o = http_put_u64(o, (uint64_t)(dur_us % 1000), 3);
		*o++ = 'm', *o++ = 's';
		if (staff_id > 0) {
			memcpy(o, " staff=", 7), o += 7;
			o = http_put_u64(o, (uint64_t)staff_id, 1);
		}
		*o++ = '\n';
		buf_setlen(&th->log, (size_t)(o - th->log.ptr));
	}
	if (th->log.len >= HTTP_LOG_FLUSH)
		http_log_flush(th);
}

/* ---- request state -------------------------------------------------------------------- */

static struct http_reqstate *http_state_get(struct http_thread *th)
{
	struct http_reqstate *st = th->free_states;
	if (st) {
		th->free_states = st->next_free;
		th->nfree--;
	} else {
		st = malloc(sizeof(*st));
		if (!st) {
			fprintf(stderr, "kumppani: out of memory\n");
			abort();
		}
		arena_init(&st->arena);
		buf_init(&st->spare_body, HTTP_RESP_MAX);
	}
	/* a state from the free list keeps its arena's first chunk (arena_reset) and its last
	 * response body buffer (spare_body): no malloc for either on a small request */
	memset(&st->ar, 0, sizeof(st->ar));
	st->th = th;
	st->req = NULL;
	st->sentinel = NULL;
	st->next_free = NULL;
	st->route_index = 0;
	memset(&st->msg, 0, sizeof(st->msg)); /* unlinked, as h2o_multithread_send_message wants */
	th->inflight++;
	metrics_gauge_add(th->srv->metrics, th->index, METRICS_G_INFLIGHT, 1);
	return st;
}

static void http_state_put(struct http_reqstate *st)
{
	struct http_thread *th = st->th;
	int keep = th->nfree < HTTP_FREE_STATES_MAX;
	struct buf *body = &st->ar.resp.body;
	if (keep && !st->spare_body.cap && body->cap && body->cap <= HTTP_SPARE_BODY_MAX) {
		st->spare_body = *body; /* moved: the api no longer owns it */
		buf_reset(&st->spare_body);
		buf_init(body, HTTP_RESP_MAX);
	}
	api_req_release(&st->ar);
	if (st->ar.resp.body.cap) /* in case the api did not own it */
		buf_release(&st->ar.resp.body);
	th->inflight--;
	metrics_gauge_add(th->srv->metrics, th->index, METRICS_G_INFLIGHT, -1);
	if (keep) {
		arena_reset(&st->arena);
		st->next_free = th->free_states;
		th->free_states = st;
		th->nfree++;
	} else {
		arena_release(&st->arena);
		buf_release(&st->spare_body);
		free(st);
	}
}

/* ---- responses -------------------------------------------------------------------------- */

/* Send status/body with the standard headers. ctype and body are copied. */
static void http_send(h2o_req_t *req, int status, const char *ctype, const char *body, size_t len, const char *rid,
                      int no_store)
{
	req->res.status = status;
	req->res.reason = http_reason(status);
	req->res.content_length = len;
	if (ctype) {
		h2o_iovec_t v = h2o_strdup(&req->pool, ctype, strlen(ctype));
		h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_TYPE, NULL, v.base, v.len);
	}
	http_add_header(req, "X-Request-Id", 12, rid, strlen(rid));
	/* a browser must not read a JSON answer (user text in it) as HTML or script */
	h2o_add_header_by_str(&req->pool, &req->res.headers, H2O_STRLIT("X-Content-Type-Options"), 0, NULL,
	                      H2O_STRLIT("nosniff"));
	if (no_store)
		h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CACHE_CONTROL, NULL, H2O_STRLIT("no-store"));
	http_own_response = 1;
	h2o_send_inline(req, body, len);
	http_own_response = 0;
}

/* Send the api's answer for st on its h2o request, count and log it. */
static void http_respond(struct http_reqstate *st)
{
	struct http_thread *th = st->th;
	h2o_req_t *req = st->req;
	struct api_req *ar = &st->ar;
	struct api_resp *rs = &ar->resp;
	int status = rs->status >= 100 && rs->status <= 599 ? rs->status : 500;
	int no_store = ar->path && !strncmp(ar->path, "/api/", 5);

	api_resp_finish(ar);
	/* Shutting down: the last answer on its connection. h2o decides keep-alive when the
	 * request's headers arrive, which may have been before the stop. */
	if (req && th->stopping)
		req->http1_is_persistent = 0;
	if (req) {
		for (int i = 0; i < rs->nheaders && i < API_MAX_RESP_HEADERS; i++) {
			const struct api_header *h = &rs->headers[i];
			if (!h->name || !h->value)
				continue;
			if (strpbrk(h->name, "\r\n: ") || strpbrk(h->value, "\r\n")) { /* no header injection */
				log_warn("request %s: response header dropped: bad characters", ar->request_id);
				continue;
			}
			size_t nlen = strlen(h->name);
			if (nlen == 13 && !strcasecmp(h->name, "cache-control"))
				no_store = 0;
			http_add_header(req, h->name, nlen, h->value, strlen(h->value));
		}
		const char *ct = rs->content_type ? rs->content_type : "application/json";
		if (status == 204 || status == 304)
			ct = NULL;
		http_send(req, status, ct, ct ? rs->body.ptr : "", ct ? rs->body.len : 0, ar->request_id, no_store);
	}

	int64_t dur = time_mono_us() - st->t0_us;
	size_t route = st->route_index;
	if (ar->route && ar->route >= api_routes && ar->route < api_routes + api_nroutes)
		route = (size_t)(ar->route - api_routes);
	metrics_record(th->srv->metrics, th->index, route, status, dur);
	http_log_request(th, ar->request_id, ar->remote_addr, ar->method ? ar->method : "-", ar->path ? ar->path : "-",
	                 ar->path ? strlen(ar->path) : 1, req ? status : 499, req ? rs->body.len : 0, dur,
	                 ar->who.staff_id);
}

/* A problem response built here (before the api is involved). */
static size_t http_problem(h2o_req_t *req, const char *rid, const char *path, int status, const char *detail)
{
	char body[512];
	struct buf b = BUF_INIT(64 * 1024);
	size_t plen = 0;
	for (const char *c = path; *c; c++, plen++)
		if ((unsigned char)*c >= 0x80) { /* not UTF-8 we can vouch for: leave it out */
			path = "";
			plen = 0;
			break;
		}
	if (plen > HTTP_INSTANCE_MAX) /* a target too long (414) is not echoed whole */
		plen = HTTP_INSTANCE_MAX;
	int n = snprintf(body, sizeof(body),
	                 "{\"type\":\"https://kumppani.dev/problems/%s\",\"title\":\"%s\",\"status\":%d,\"detail\":",
	                 http_status_name(status), http_reason(status), status);
	if (n < 0 || (size_t)n >= sizeof(body) || buf_add(&b, body, (size_t)n) < 0 ||
	    buf_add_json_str(&b, detail, strlen(detail)) < 0 || buf_adds(&b, ",\"instance\":") < 0 ||
	    buf_add_json_str(&b, path, plen) < 0 || buf_adds(&b, ",\"request_id\":") < 0 ||
	    buf_add_json_str(&b, rid, strlen(rid)) < 0 || buf_addc(&b, '}') < 0)
		buf_reset(&b);
	http_send(req, status, "application/problem+json", b.ptr, b.len, rid, 1);
	size_t len = b.len;
	buf_release(&b);
	return len;
}

/* ---- the error filter: h2o's own error answers become problem+json --------------------
 * h2o answers some requests itself before any handler runs (a Content-Length or chunked
 * body over max_request_entity_size: 413; a broken body encoding: 400; an unknown
 * Expect: 417), with a text/plain body. This filter, on the host's fallback path where
 * those answers are bound, replaces the body with an RFC 9457 problem and adds a request
 * id, so every answer looks alike. */

struct http_errostr {
	h2o_ostream_t super;
	h2o_iovec_t body;
	int sent;
};

static void http_errostr_send(h2o_ostream_t *self_, h2o_req_t *req, h2o_iovec_t *bufs, size_t bufcnt,
                              h2o_send_state_t state)
{
	struct http_errostr *self = (struct http_errostr *)self_;
	(void)bufs;
	(void)bufcnt;
	if (!self->sent) {
		self->sent = 1;
		h2o_ostream_send_next(&self->super, req, &self->body, 1, state);
	} else {
		h2o_ostream_send_next(&self->super, req, NULL, 0, state);
	}
}

static void http_errfilter_setup(h2o_filter_t *self, h2o_req_t *req, h2o_ostream_t **slot)
{
	(void)self;
	if (!http_own_response && req->res.status >= 400) {
		struct http_thread *th = http_thread_of(req);
		char rid[HTTP_REQUEST_ID_MAX + 1];
		ssize_t hi = h2o_find_header_by_str(&req->headers, H2O_STRLIT("x-request-id"), -1);
		if (hi >= 0 &&
		    http_request_id_ok(req->headers.entries[hi].value.base, req->headers.entries[hi].value.len)) {
			memcpy(rid, req->headers.entries[hi].value.base, req->headers.entries[hi].value.len);
			rid[req->headers.entries[hi].value.len] = '\0';
		} else {
			http_new_request_id(th, rid);
		}
		int status = req->res.status;
		const char *detail = status == 413   ? "the request body is over the size limit"
		                     : status == 417 ? "unsupported Expect header"
		                                     : "malformed request";
		char json[512];
		int n = snprintf(json, sizeof(json),
		                 "{\"type\":\"https://kumppani.dev/problems/%s\",\"title\":\"%s\",\"status\":%d,"
		                 "\"detail\":\"%s\",\"request_id\":\"%s\"}",
		                 http_status_name(status), http_reason(status), status, detail, rid);
		if (n > 0 && (size_t)n < sizeof(json)) {
			memset(&req->res.headers, 0, sizeof(req->res.headers));
			h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_TYPE, NULL,
			               H2O_STRLIT("application/problem+json"));
			h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CACHE_CONTROL, NULL,
			               H2O_STRLIT("no-store"));
			http_add_header(req, "X-Request-Id", 12, rid, strlen(rid));
			h2o_add_header_by_str(&req->pool, &req->res.headers, H2O_STRLIT("X-Content-Type-Options"), 0,
			                      NULL, H2O_STRLIT("nosniff"));
			req->res.reason = http_reason(status);
			struct http_errostr *os = (struct http_errostr *)h2o_add_ostream(req, sizeof(*os), slot);
			os->super.do_send = http_errostr_send;
			os->body = h2o_strdup(&req->pool, json, (size_t)n);
			os->sent = 0;
			req->res.content_length = os->body.len;
			slot = &os->super.next;
			const char *addr = "-";
			struct http_conn *hc = http_conn_of(req);
			if (hc)
				addr = hc->addr;
			metrics_record(th->srv->metrics, th->index, metrics_unmatched(th->srv->metrics), status, 0);
			char method[16];
			size_t ml =
			    req->input.method.len < sizeof(method) - 1 ? req->input.method.len : sizeof(method) - 1;
			memcpy(method, req->input.method.base, ml);
			method[ml] = '\0';
			http_log_request(th, rid, addr, ml ? method : "-",
			                 req->input.path.base ? req->input.path.base : "-",
			                 req->input.path.base ? req->input.path.len : 1, status, (size_t)n, 0, 0);
		}
	}
	h2o_setup_next_ostream(req, slot);
}

/* ---- the handler ----------------------------------------------------------------------- */

static void http_on_req_disposed(void *p)
{
	struct http_reqstate **sp = p;
	if (*sp) {
		(*sp)->req = NULL;
		(*sp)->sentinel = NULL;
	}
}

/* Runs on the store writer or sync thread: only hand the state back to its loop. */
static void http_finish(struct api_req *r)
{
	struct http_reqstate *st = r->transport;
	h2o_multithread_send_message(&st->th->done_receiver, &st->msg);
}

static void http_on_done_messages(h2o_multithread_receiver_t *receiver, h2o_linklist_t *messages)
{
	(void)receiver;
	while (!h2o_linklist_is_empty(messages)) {
		h2o_multithread_message_t *m = H2O_STRUCT_FROM_MEMBER(h2o_multithread_message_t, link, messages->next);
		h2o_linklist_unlink(&m->link);
		struct http_reqstate *st = H2O_STRUCT_FROM_MEMBER(struct http_reqstate, msg, m);
		if (st->sentinel)
			*st->sentinel = NULL;
		http_respond(st);
		http_state_put(st);
	}
}

static const char *http_dup_header(struct arena *a, const h2o_header_t *h)
{
	if (memchr(h->value.base, '\0', h->value.len))
		return NULL;
	return arena_strndup(a, h->value.base, h->value.len);
}

/* The framing checks h2o 2.2 leaves out (http/framing.h), on an HTTP/1 request's raw header
 * block: h2o keeps the request's bytes at the start of its socket input until the request is
 * answered, and takes Host, Content-Length and Transfer-Encoding out of req->headers. NULL if
 * none applies, or if the raw bytes cannot be found (then h2o's framing stands). */
static const char *http_framing_fault(h2o_req_t *req, int *close, int *status)
{
	struct http_conn *hc = http_conn_of(req);
	*close = 0;
	if (!hc || req->version >= 0x200 || !hc->sock->input)
		return NULL;
	return http_framing_check(hc->sock->input->bytes, hc->sock->input->size, req->input.method.base,
	                          req->input.method.len, req->version >= 0x101, close, status);
}

static int http_on_req(h2o_handler_t *self, h2o_req_t *req)
{
	(void)self;
	struct http_thread *th = http_thread_of(req);
	struct http_server *srv = th->srv;
	struct http_reqstate *st = http_state_get(th);
	struct api_req *ar = &st->ar;
	const char *bad = NULL;
	int bad_status = 400;

	st->t0_us = time_mono_us();
	st->req = req;
	st->route_index = metrics_unmatched(srv->metrics);
	ar->arena = &st->arena;
	ar->srv = srv->api;
	ar->thread_index = th->index;
	ar->finish = http_finish;
	ar->transport = st;
	if (st->spare_body.cap) { /* the state's last body buffer, emptied */
		ar->resp.body = st->spare_body;
		buf_init(&st->spare_body, HTTP_RESP_MAX);
	} else {
		buf_init(&ar->resp.body, HTTP_RESP_MAX);
	}
	struct http_conn *hc = http_conn_of(req);
	/* A copy: a deferred write may outlive the connection. */
	ar->remote_addr = hc ? arena_strdup(&st->arena, hc->addr) : NULL;

	/* Request line. */
	h2o_iovec_t m = req->input.method, p = req->input.path;
	ar->method = arena_strndup(&st->arena, m.base, m.len);
	size_t qpos = p.len;
	const char *q = memchr(p.base, '?', p.len);
	if (q)
		qpos = (size_t)(q - p.base);
	ar->path = arena_strndup(&st->arena, p.base, qpos);
	ar->query = q ? arena_strndup(&st->arena, q + 1, p.len - qpos - 1) : NULL;
	int close_after = 0;
	if (hc && hc->refuse) {
		/* over the connection limit: a whole answer, its request read, then a clean close */
		http_add_header(req, "Retry-After", 11, "1", 1);
		bad = "too many connections";
		bad_status = 503;
		close_after = 1;
	}
	if (!bad)
		bad = http_framing_fault(req, &close_after, &bad_status);
	if (!bad && (p.len == 0 || p.base[0] != '/'))
		bad = "the request target must be an absolute path";
	for (size_t i = 0; !bad && i < p.len; i++)
		if ((unsigned char)p.base[i] <= 0x20 || (unsigned char)p.base[i] >= 0x7f)
			bad = "the request target holds characters outside printable ASCII";

	/* the method is a token (RFC 9110 5.6.2): not quotes or bytes past ASCII, which would
	 * also break the access log's quoting */
	for (size_t i = 0; !bad && i < m.len; i++)
		if (m.base[i] == '\0' || (!strchr("!#$%&'*+-.^_`|~", m.base[i]) && !isalnum((unsigned char)m.base[i])))
			bad = "the request method is not a token";

	/* Headers: size limit, the ones the api reads, and X-Request-Id. */
	size_t hbytes = m.len + p.len + 16;
	int have_rid = 0;
	for (size_t i = 0; i < req->headers.size; i++) {
		const h2o_header_t *h = &req->headers.entries[i];
		hbytes += h->name->len + h->value.len + 4;
		const char **slot = NULL;
		if (h2o_iovec_is_token(h->name)) {
			const h2o_token_t *t = (const h2o_token_t *)h->name;
			if (t == H2O_TOKEN_CONTENT_TYPE)
				slot = &ar->content_type;
			else if (t == H2O_TOKEN_IF_MATCH)
				slot = &ar->if_match;
			else if (t == H2O_TOKEN_IF_NONE_MATCH)
				slot = &ar->if_none_match;
			else if (t == H2O_TOKEN_AUTHORIZATION)
				slot = &ar->authorization;
			else if (t == H2O_TOKEN_USER_AGENT)
				slot = &ar->user_agent;
			else if (t == H2O_TOKEN_COOKIE) {
				const char *v = http_dup_header(&st->arena, h);
				if (!v)
					bad = "a header value holds a NUL byte";
				else if (ar->cookie) /* several Cookie lines join as one (RFC 9113 8.2.3) */
					ar->cookie = arena_printf(&st->arena, "%s; %s", ar->cookie, v);
				else
					ar->cookie = v;
				continue;
			}
		} else if (http_lc_eq(h->name, "idempotency-key", 15)) {
			slot = &ar->idempotency_key;
		} else if (http_lc_eq(h->name, "x-csrf-token", 12)) {
			slot = &ar->csrf_token;
		} else if (http_lc_eq(h->name, "x-request-id", 12)) {
			if (!have_rid && h->value.len < sizeof(ar->request_id) &&
			    http_request_id_ok(h->value.base, h->value.len)) {
				memcpy(ar->request_id, h->value.base, h->value.len);
				ar->request_id[h->value.len] = '\0';
				have_rid = 1;
			}
			continue;
		}
		if (slot && !*slot) {
			*slot = http_dup_header(&st->arena, h);
			if (!*slot)
				bad = "a header value holds a NUL byte";
		}
	}
	if (!have_rid)
		http_new_request_id(th, ar->request_id);

	if (hbytes > srv->cfg.max_header_bytes) {
		bad = "the request line and headers are over the size limit";
		bad_status = 431;
	}
	if (p.len > HTTP_TARGET_MAX) {
		bad = "the request target is longer than " HTTP_STR(HTTP_TARGET_MAX) " bytes";
		bad_status = 414;
	}
	/* the landing page is read only */
	if (!bad && !strcmp(ar->path, "/") && strcmp(ar->method, "GET") != 0 && strcmp(ar->method, "HEAD") != 0) {
		http_add_header(req, "Allow", 5, "GET, HEAD", 9);
		bad = "only GET and HEAD are allowed here";
		bad_status = 405;
	}

	/* Body: h2o has read it (its own limit is above ours, so a body a little over the limit
	 * still gets this clear answer on a connection that stays usable). */
	if (!bad && req->entity.base) {
		if (req->entity.len > srv->cfg.max_body) {
			bad = "the request body is over the size limit";
			bad_status = 413;
		} else {
			char *b = arena_alloc(&st->arena, req->entity.len + 1);
			memcpy(b, req->entity.base, req->entity.len);
			b[req->entity.len] = '\0';
			ar->body = b;
			ar->body_len = req->entity.len;
		}
	}

	if (bad) {
		/* counted under its route when it has one (a body over the limit on POST /customers) */
		const struct api_route *rt = ar->path ? api_route_for(ar->method, ar->path) : NULL;
		if (rt)
			st->route_index = (size_t)(rt - api_routes);
		if (close_after)
			req->http1_is_persistent = 0;
		size_t sent = http_problem(req, ar->request_id, ar->path, bad_status, bad);
		int64_t dur = time_mono_us() - st->t0_us;
		metrics_record(srv->metrics, th->index, st->route_index, bad_status, dur);
		http_log_request(th, ar->request_id, ar->remote_addr, ar->method, ar->path, strlen(ar->path),
		                 bad_status, sent, dur, 0);
		http_state_put(st);
		return 0;
	}

	/* The landing page. */
	if (!strcmp(ar->path, "/") && (!strcmp(ar->method, "GET") || !strcmp(ar->method, "HEAD"))) {
		ar->resp.status = 200;
		ar->resp.content_type = "text/html; charset=utf-8";
		st->route_index = srv->landing_index;
		if (buf_add(&ar->resp.body, srv->landing, srv->landing_len) < 0)
			ar->resp.status = 500;
		http_respond(st);
		http_state_put(st);
		return 0;
	}

	if (api_handle(ar) == API_DEFERRED) {
		/* From here the writer owns ar until http_finish posts it back. */
		struct http_reqstate **sp = h2o_mem_alloc_shared(&req->pool, sizeof(*sp), http_on_req_disposed);
		*sp = st;
		st->sentinel = sp;
		return 0;
	}
	http_respond(st);
	http_state_put(st);
	return 0;
}

/* ---- connections ------------------------------------------------------------------------ */

static void http_on_conn_close(void *data)
{
	struct http_conn *c = data;
	struct http_thread *th = c->th;
	h2o_linklist_unlink(&c->link);
	th->nconns--;
	atomic_fetch_sub(&th->srv->nconns, 1);
	metrics_gauge_add(th->srv->metrics, th->index, METRICS_G_CONNECTIONS, -1);
	free(c);
}

static void http_on_accept(h2o_socket_t *listener, const char *err)
{
	struct http_thread *th = listener->data;
	struct http_server *srv = th->srv;
	if (err)
		return;
	for (int i = 0; i < HTTP_ACCEPT_BATCH; i++) {
		h2o_socket_t *sock = h2o_evloop_socket_accept(listener);
		if (!sock)
			return;
		int refuse = 0;
		if (atomic_load(&srv->nconns) >= srv->cfg.max_connections + HTTP_REFUSE_MARGIN) {
			/* Far over the limit: a best-effort one-shot answer, then close (the client's
			 * request, unread, may turn the close into a reset). */
			static const char busy[] =
			    "HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n"
			    "Retry-After: 1\r\nContent-Type: application/problem+json\r\n"
			    "Content-Length: 127\r\n\r\n"
			    "{\"type\":\"https://kumppani.dev/problems/unavailable\",\"title\":"
			    "\"Service Unavailable\",\"status\":503,\"detail\":\"too many connections\"}";
			int fd = h2o_socket_get_fd(sock);
			char drain[4096];
			ssize_t w = send(fd, busy, sizeof(busy) - 1, MSG_DONTWAIT | MSG_NOSIGNAL);
			(void)w;
			shutdown(fd, SHUT_WR); /* the answer, then a FIN; a request already here is read */
			while (recv(fd, drain, sizeof drain, MSG_DONTWAIT) > 0)
				;
			metrics_record(srv->metrics, th->index, metrics_unmatched(srv->metrics), 503, 0);
			h2o_socket_close(sock);
			continue;
		}
		if (atomic_load(&srv->nconns) >= srv->cfg.max_connections)
			refuse = 1;
		struct http_conn *c = calloc(1, sizeof(*c));
		if (!c) {
			h2o_socket_close(sock);
			continue;
		}
		c->th = th;
		c->sock = sock;
		c->refuse = refuse;
		struct sockaddr_storage ss;
		socklen_t sl = h2o_socket_getpeername(sock, (struct sockaddr *)&ss);
		char host[NI_MAXHOST];
		size_t hn;
		if (sl && (hn = h2o_socket_getnumerichost((struct sockaddr *)&ss, sl, host)) != SIZE_MAX) {
			hn = hn < sizeof(c->addr) - 1 ? hn : sizeof(c->addr) - 1;
			memcpy(c->addr, host, hn);
			c->addr[hn] = '\0';
		}
		int one = 1;
		setsockopt(h2o_socket_get_fd(sock), IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		h2o_linklist_insert(&th->conns, &c->link);
		th->nconns++;
		atomic_fetch_add(&srv->nconns, 1);
		metrics_gauge_add(srv->metrics, th->index, METRICS_G_CONNECTIONS, 1);
		sock->on_close.cb = http_on_conn_close;
		sock->on_close.data = c;
		h2o_accept(&th->accept_ctx, sock);
	}
}

/* ---- loop threads ---------------------------------------------------------------------- */

/* Whether only CR and LF bytes are in p[0..n). */
static int http_blank(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != '\r' && p[i] != '\n')
			return 0;
	return 1;
}

#define HTTP_PEEK_MAX 64 /* unread bytes looked at to tell blank lines from a request */

/* Whether connection c has part of a request that is not yet handled: bytes h2o holds
 * unparsed (headers or a body still arriving: h2o keeps a request's bytes in its input until
 * the request is whole; a pipelined request that came in the same read as the one before it)
 * or bytes unread in the socket. Blank lines between requests are no request: some clients
 * send a CRLF after a body, and RFC 9112 (2.2) lets a server ignore them, so such a
 * connection is idle and need not wait out the shutdown deadline. */
static int http_conn_has_request(struct http_conn *c)
{
	int fd = h2o_socket_get_fd(c->sock), unread = 0;
	size_t held = c->sock->input ? c->sock->input->size : 0;
	char peek[HTTP_PEEK_MAX];
	if (held && !http_blank(c->sock->input->bytes, held))
		return 1;
	if (ioctl(fd, FIONREAD, &unread) != 0 || unread > HTTP_PEEK_MAX)
		return 1;
	if (unread > 0) {
		ssize_t got = recv(fd, peek, sizeof(peek), MSG_PEEK | MSG_DONTWAIT);
		if (got != unread || !http_blank(peek, (size_t)got))
			return 1;
	}
	return 0;
}

static void http_on_stop_message(h2o_multithread_receiver_t *receiver, h2o_linklist_t *messages)
{
	struct http_thread *th = H2O_STRUCT_FROM_MEMBER(struct http_thread, stop_receiver, receiver);
	while (!h2o_linklist_is_empty(messages))
		h2o_linklist_unlink(messages->next);
	if (th->stopping)
		return;
	th->stopping = 1;
	th->deadline = h2o_now(th->loop) + (uint64_t)th->srv->cfg.shutdown_timeout_ms;
	if (th->listener) {
		h2o_socket_read_stop(th->listener);
		h2o_socket_close(th->listener); /* closes our dup of the listening socket */
		th->listener = NULL;
		th->listen_fd = -1;
	}
	/* What h2o_context_request_shutdown does for HTTP/1 (answers say Connection: close),
	 * without the HTTP/2 graceful-shutdown timer it would leave linked. */
	th->ctx.shutdown_requested = 1;
	/* Idle keep-alive connections would sit until their timeout: end their read side, h2o
	 * then closes them. Connections with a request in flight are not reading, so they finish
	 * it (with Connection: close) first. A request still arriving (http_conn_has_request) is
	 * in flight too: its connection keeps reading, and the request is answered with
	 * Connection: close (or cut at the shutdown deadline, like one that never ends). */
	for (h2o_linklist_t *n = th->conns.next; n != &th->conns; n = n->next) {
		struct http_conn *c = H2O_STRUCT_FROM_MEMBER(struct http_conn, link, n);
		if (!http_conn_has_request(c))
			shutdown(h2o_socket_get_fd(c->sock), SHUT_RD);
	}
}

/* h2o 2.2 has no write timeout on HTTP/1: a client that stops reading its answer would
 * hold the connection. Once a second, a connection whose pending write has not moved for
 * req_timeout_ms gets its socket shut down; h2o then sees the write fail and closes it. */
static void http_on_sweep(h2o_timeout_entry_t *entry)
{
	struct http_thread *th = H2O_STRUCT_FROM_MEMBER(struct http_thread, sweep_entry, entry);
	uint64_t now = h2o_now(th->loop);
	for (h2o_linklist_t *n = th->conns.next; n != &th->conns; n = n->next) {
		struct http_conn *c = H2O_STRUCT_FROM_MEMBER(struct http_conn, link, n);
		/* Progress is what the peer acknowledged (h2o counts bytes when it queues them). */
		struct tcp_info ti;
		socklen_t tl = sizeof(ti);
		memset(&ti, 0, sizeof(ti));
		int fd = h2o_socket_get_fd(c->sock);
		int known = getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &tl) == 0 &&
		            tl >= offsetof(struct tcp_info, tcpi_bytes_acked) + sizeof(ti.tcpi_bytes_acked);
		if (!known || !h2o_socket_is_writing(c->sock) || ti.tcpi_bytes_acked != c->last_acked) {
			c->stalled_since = 0;
			c->last_acked = known ? ti.tcpi_bytes_acked : 0;
			continue;
		}
		if (!c->stalled_since) {
			c->stalled_since = now;
		} else if (!c->killed && now - c->stalled_since >= (uint64_t)th->srv->cfg.req_timeout_ms) {
			log_warn("closing connection from %s: it has not read its answer for %d ms", c->addr,
			         th->srv->cfg.req_timeout_ms);
			shutdown(fd, SHUT_RDWR);
			c->killed = 1;
		}
	}
	h2o_timeout_link(th->loop, &th->sweep_timeout, &th->sweep_entry);
}

static void http_force_close(struct http_thread *th)
{
	for (h2o_linklist_t *n = th->conns.next; n != &th->conns; n = n->next) {
		struct http_conn *c = H2O_STRUCT_FROM_MEMBER(struct http_conn, link, n);
		shutdown(h2o_socket_get_fd(c->sock), SHUT_RDWR);
	}
}

/* Set up this loop's h2o objects. Runs on the loop thread itself: libh2o binds sockets
 * and buffers to the allocators of the thread that creates them (see the top comment). */
static int http_thread_init(struct http_thread *th, struct kp_err *err)
{
	struct http_server *srv = th->srv;
	th->listen_fd = -1;
	h2o_linklist_init_anchor(&th->conns);
	buf_init(&th->log, 1024 * 1024);
	randombytes_buf(&th->rng, sizeof(th->rng));
	th->loop = h2o_evloop_create();
	if (!th->loop)
		return kp_err_set(err, KP_ENOMEM, "cannot create an event loop");
	h2o_context_init(&th->ctx, th->loop, &srv->globalconf);
	th->accept_ctx.ctx = &th->ctx;
	th->accept_ctx.hosts = srv->globalconf.hosts;
	h2o_timeout_init(th->loop, &th->sweep_timeout, 1000);
	th->sweep_entry.cb = http_on_sweep;
	h2o_timeout_link(th->loop, &th->sweep_timeout, &th->sweep_entry);
	th->sweep_ready = 1;
	th->queue = h2o_multithread_create_queue(th->loop);
	h2o_multithread_register_receiver(th->queue, &th->done_receiver, http_on_done_messages);
	h2o_multithread_register_receiver(th->queue, &th->stop_receiver, http_on_stop_message);
	th->listen_fd = fcntl(srv->listen_fd, F_DUPFD_CLOEXEC, 0);
	if (th->listen_fd < 0)
		return kp_err_set(err, KP_EUNAVAILABLE, "dup listening socket: %s", strerror(errno));
	th->listener = h2o_evloop_socket_create(th->loop, th->listen_fd, H2O_SOCKET_FLAG_DONT_READ);
	th->listener->data = th;
	h2o_socket_read_start(th->listener, http_on_accept);
	return 0;
}

/* Tear down what http_thread_init made, on the loop thread before it ends (h2o hands the
 * memory back to this thread's allocators, which go away with the thread). */
static void http_thread_dispose(struct http_thread *th)
{
	if (th->listener) {
		h2o_socket_read_stop(th->listener);
		h2o_socket_close(th->listener); /* closes listen_fd too */
		th->listener = NULL;
		th->listen_fd = -1;
	}
	if (th->listen_fd >= 0) {
		close(th->listen_fd);
		th->listen_fd = -1;
	}
	if (!th->loop)
		return;
	/* Connections still open (only after a forced stop that did not complete) are left to
	 * process exit: their h2o state belongs to the loop being torn down. */
	if (th->sweep_ready) {
		h2o_timeout_unlink(&th->sweep_entry);
		h2o_timeout_dispose(th->loop, &th->sweep_timeout);
		th->sweep_ready = 0;
	}
	if (th->queue) {
		h2o_multithread_unregister_receiver(th->queue, &th->done_receiver);
		h2o_multithread_unregister_receiver(th->queue, &th->stop_receiver);
		h2o_multithread_destroy_queue(th->queue);
		th->queue = NULL;
	}
	if (th->nconns == 0) {
		h2o_context_dispose(&th->ctx);
		h2o_evloop_destroy(th->loop);
	}
	th->loop = NULL;
	while (th->free_states) {
		struct http_reqstate *st = th->free_states;
		th->free_states = st->next_free;
		arena_release(&st->arena);
		buf_release(&st->spare_body);
		free(st);
	}
	buf_release(&th->log);
}

/* A loop thread: set up (and tell http_serve how that went), run until stopped and
 * drained, tear down. */
static void *http_thread_main(void *arg)
{
	struct http_thread *th = arg;
	struct http_server *srv = th->srv;
	struct kp_err err = KP_ERR_INIT;
	int rc = http_thread_init(th, &err);
	pthread_mutex_lock(&srv->init_lock);
	th->init_rc = rc;
	th->init_err = err;
	th->init_done = 1;
	pthread_cond_broadcast(&srv->init_cond);
	pthread_mutex_unlock(&srv->init_lock);

	while (rc == 0) {
		h2o_evloop_run(th->loop, th->stopping ? 50 : INT32_MAX);
		api_thread_idle(srv->api);
		http_log_flush(th);
		if (!th->stopping)
			continue;
		if (th->inflight == 0 && th->nconns == 0)
			break;
		uint64_t now = h2o_now(th->loop);
		if (!th->forced && now >= th->deadline) {
			log_warn("shutdown: thread %d: %zu requests and %zu connections still open after %d ms, "
			         "closing them",
			         th->index, th->inflight, th->nconns, th->srv->cfg.shutdown_timeout_ms);
			http_force_close(th);
			th->forced = 1;
		}
		/* Deferred writes must come back before the state can go (the writer holds it);
		 * a connection that will not close is left after a further grace period. */
		if (th->forced && th->inflight == 0 && now >= th->deadline + 2000)
			break;
	}
	http_log_flush(th);
	http_thread_dispose(th);
	return NULL;
}

/* ---- listening ---------------------------------------------------------------------------- */

/* Split "ADDR:PORT" / "[V6]:PORT" and bind a listening socket. */
int http_listen(const char *listen_on, struct http_listener *out, struct kp_err *err)
{
	int *fd_out = &out->fd;
	char *shown = out->shown;
	size_t shownlen = sizeof(out->shown);
	out->fd = -1;
	out->shown[0] = '\0';
	char host[256];
	const char *colon = strrchr(listen_on, ':');
	if (!colon || colon == listen_on || !colon[1])
		return kp_err_set(err, KP_EINVAL, "listen address '%s' is not ADDR:PORT", listen_on);
	size_t hl = (size_t)(colon - listen_on);
	const char *hs = listen_on;
	if (hs[0] == '[') {
		if (hl < 2 || hs[hl - 1] != ']')
			return kp_err_set(err, KP_EINVAL, "listen address '%s' is not [ADDR]:PORT", listen_on);
		hs++;
		hl -= 2;
	}
	if (hl == 0 || hl >= sizeof(host))
		return kp_err_set(err, KP_EINVAL, "listen address '%s' has no host", listen_on);
	memcpy(host, hs, hl);
	host[hl] = '\0';
	char *end;
	errno = 0;
	long port = strtol(colon + 1, &end, 10);
	if (errno || *end || port < 0 || port > 65535)
		return kp_err_set(err, KP_EINVAL, "listen port '%s' is not 0..65535", colon + 1);

	struct addrinfo hints = {0}, *res = NULL;
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	char portstr[8];
	snprintf(portstr, sizeof(portstr), "%ld", port);
	int gai = getaddrinfo(host, portstr, &hints, &res);
	if (gai != 0)
		return kp_err_set(err, KP_EINVAL, "listen address '%s': %s", host, gai_strerror(gai));
	int fd = socket(res->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int rc = 0;
	if (fd < 0) {
		rc = kp_err_set(err, KP_EUNAVAILABLE, "socket: %s", strerror(errno));
		goto out;
	}
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (bind(fd, res->ai_addr, res->ai_addrlen) != 0) {
		rc = kp_err_set(err, KP_EUNAVAILABLE, "cannot listen on %s: %s", listen_on, strerror(errno));
		close(fd);
		fd = -1;
		goto out;
	}
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	getsockname(fd, (struct sockaddr *)&ss, &sl);
	char num[NI_MAXHOST], serv[16];
	if (getnameinfo((struct sockaddr *)&ss, sl, num, sizeof(num), serv, sizeof(serv),
	                NI_NUMERICHOST | NI_NUMERICSERV) != 0)
		snprintf(num, sizeof(num), "%s", host), snprintf(serv, sizeof(serv), "%ld", port);
	snprintf(shown, shownlen, ss.ss_family == AF_INET6 ? "[%s]:%s" : "%s:%s", num, serv);
	*fd_out = fd;
out:
	freeaddrinfo(res);
	return rc;
}

void http_listener_close(struct http_listener *l)
{
	if (l && l->fd >= 0) {
		close(l->fd);
		l->fd = -1;
	}
}

/* ---- the landing page ----------------------------------------------------------------- */

static int http_add_html(struct buf *b, const char *s)
{
	for (; *s; s++) {
		int rc;
		switch (*s) {
		case '<': rc = buf_adds(b, "&lt;"); break;
		case '>': rc = buf_adds(b, "&gt;"); break;
		case '&': rc = buf_adds(b, "&amp;"); break;
		case '"': rc = buf_adds(b, "&quot;"); break;
		case '\'': rc = buf_adds(b, "&#39;"); break;
		default: rc = buf_addc(b, *s);
		}
		if (rc < 0)
			return -1;
	}
	return 0;
}

static int http_build_landing(struct http_server *srv)
{
	struct buf b = BUF_INIT(16384);
	const char *version = srv->api->version ? srv->api->version : "";
	const char *backend = srv->api->store ? store_backend_name(srv->api->store) : "no store";
	int rc = buf_adds(&b, "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	                      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
	                      "<title>Kumppani</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:40em;"
	                      "margin:3em auto;padding:0 1em;color:#222}code{background:#f3f3f3;padding:0 .2em}"
	                      "</style></head><body>\n<h1>Kumppani</h1>\n<p>Kumppani ");
	rc = rc < 0 ? rc : http_add_html(&b, version);
	rc = rc < 0 ? rc : buf_adds(&b, " is running, with its data in the <strong>");
	rc = rc < 0 ? rc : http_add_html(&b, backend);
	rc = rc < 0 ? rc
	            : buf_adds(&b, "</strong> store.</p>\n<p>Customer relationships and customer experience "
	                           "for service businesses: a JSON API under <code>/api/v1/</code>.</p>\n<ul>\n"
	                           "<li><a href=\"/api/v1/openapi.json\">API description (OpenAPI 3.1)</a></li>\n"
	                           "<li><a href=\"/healthz\">/healthz</a> (liveness), "
	                           "<a href=\"/readyz\">/readyz</a> (readiness)</li>\n"
	                           "<li><a href=\"/metrics\">/metrics</a> (Prometheus)</li>\n</ul>\n"
	                           "<p>Sign in with <code>POST /api/v1/session</code> (the first admin's printed "
	                           "one-time password is changed first, with <code>POST /api/v1/session/password</code>"
	                           "), or use an API token (<code>kumppani token create</code>) as "
	                           "<code>Authorization: Bearer</code>.</p>\n"
	                           "</body></html>\n");
	if (rc < 0) {
		buf_release(&b);
		return -1;
	}
	srv->landing = buf_detach(&b, &srv->landing_len);
	return 0;
}

/* libh2o keeps per-thread free lists (its memory pool and socket buffer recyclers) that
 * it never frees and does not export a way to free, and h2o 2.2 does not free a destroyed
 * multithread queue: tell LeakSanitizer (sanitizer builds only) that these are not ours. */
#if defined(__SANITIZE_ADDRESS__)
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:h2o_mem_alloc_recycle\nleak:h2o_multithread_create_queue\n";
}
const char *__lsan_default_options(void);
const char *__lsan_default_options(void)
{
	return "print_suppressions=0";
}
#endif

/* ---- serve ------------------------------------------------------------------------------- */

void http_block_signals(void)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static int http_server_init(struct http_server *srv, const struct http_server_config *cfg, struct api_server *api,
                            struct kp_err *err)
{
	srv->cfg = *cfg;
	srv->api = api;
	srv->listen_fd = -1;
	if (!srv->cfg.listen || !*srv->cfg.listen)
		srv->cfg.listen = HTTP_DEFAULT_LISTEN;
	if (srv->cfg.threads <= 0) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		srv->cfg.threads = n > 0 ? (int)n : 1;
	}
	if (srv->cfg.threads > 256)
		srv->cfg.threads = 256;
	if (!srv->cfg.max_body)
		srv->cfg.max_body = HTTP_DEFAULT_MAX_BODY;
	if (!srv->cfg.max_header_bytes)
		srv->cfg.max_header_bytes = HTTP_DEFAULT_MAX_HEADER;
	if (srv->cfg.max_connections <= 0)
		srv->cfg.max_connections = HTTP_DEFAULT_MAX_CONNS;
	/* never more connections than files this process may open (less what the store, the
	 * logs and the listeners take): past that, accept() fails and the loop spins on the
	 * waiting connection instead of answering it 503 */
	struct rlimit nofile;
	if (getrlimit(RLIMIT_NOFILE, &nofile) == 0 && nofile.rlim_cur != RLIM_INFINITY) {
		long room = (long)nofile.rlim_cur - 64 - 4L * srv->cfg.threads - HTTP_REFUSE_MARGIN;
		if (room < 16)
			room = 16;
		if (srv->cfg.max_connections > room)
			srv->cfg.max_connections = (int)room;
	}
	if (srv->cfg.req_timeout_ms <= 0)
		srv->cfg.req_timeout_ms = HTTP_DEFAULT_TIMEOUT_MS;
	if (srv->cfg.shutdown_timeout_ms <= 0)
		srv->cfg.shutdown_timeout_ms = HTTP_DEFAULT_TIMEOUT_MS;
	srv->nthreads = srv->cfg.threads;

	srv->routes = calloc(api_nroutes + 1, sizeof(*srv->routes));
	if (!srv->routes)
		return kp_err_set(err, KP_ENOMEM, "out of memory");
	for (size_t i = 0; i < api_nroutes; i++) {
		srv->routes[i].method = api_routes[i].method;
		srv->routes[i].pattern = api_routes[i].pattern;
	}
	srv->landing_index = api_nroutes;
	srv->routes[api_nroutes].method = "GET";
	srv->routes[api_nroutes].pattern = "/";
	srv->metrics = metrics_new(srv->nthreads, srv->routes, api_nroutes + 1);
	if (!srv->metrics || http_build_landing(srv) < 0)
		return kp_err_set(err, KP_ENOMEM, "out of memory");

	h2o_config_init(&srv->globalconf);
	srv->globalconf.server_name = h2o_iovec_init(H2O_STRLIT("kumppani"));
	/* h2o refuses bodies over its limit before reading them (413); ours is enforced in
	 * the handler, so that bodies up to twice the limit get a clean answer. */
	srv->globalconf.max_request_entity_size = srv->cfg.max_body * 2 + 65536;
	srv->globalconf.http1.req_timeout = (uint64_t)srv->cfg.req_timeout_ms;
	srv->globalconf.http1.upgrade_to_http2 = 0;
	srv->hostconf = h2o_config_register_host(&srv->globalconf, h2o_iovec_init(H2O_STRLIT("default")), 65535);
	h2o_pathconf_t *pc = h2o_config_register_path(srv->hostconf, "/", 0);
	h2o_handler_t *h = h2o_create_handler(pc, sizeof(*h));
	h->on_req = http_on_req;
	h2o_filter_t *f = h2o_create_filter(&srv->hostconf->fallback_path, sizeof(*f));
	f->on_setup_ostream = http_errfilter_setup;
	return 0;
}

int http_serve(const struct http_server_config *cfg, struct api_server *api, struct kp_err *err)
{
	struct http_server *srv = calloc(1, sizeof(*srv));
	int rc = 0, globalconf_ready = 0, nstarted = 0;
	if (!srv) {
		http_listener_close(cfg->listener);
		return kp_err_set(err, KP_ENOMEM, "out of memory");
	}
	struct http_listener own = {-1, ""};
	struct http_listener *l = cfg->listener ? cfg->listener : &own;
	http_block_signals();
	pthread_mutex_init(&srv->init_lock, NULL);
	pthread_cond_init(&srv->init_cond, NULL);
	if ((rc = http_server_init(srv, cfg, api, err)) != 0)
		goto out;
	globalconf_ready = 1;
	if (!cfg->listener && (rc = http_listen(srv->cfg.listen, &own, err)) != 0)
		goto out;
	/* The listening socket is ours from here (closed on the way out). Connections are taken
	 * only now, with the store open and migrated (cmd_serve): a client, or a script waiting for
	 * the port, is refused until then, never left waiting on a server still migrating; the
	 * loops start within moments and take what waits in the backlog. (A second server bound
	 * to the same port meanwhile, both with SO_REUSEADDR, finds it busy only here.) */
	srv->listen_fd = l->fd;
	l->fd = -1;
	if (listen(srv->listen_fd, SOMAXCONN) != 0) {
		rc = kp_err_set(err, KP_EUNAVAILABLE, "cannot listen on %s: %s", l->shown, strerror(errno));
		goto out;
	}

	srv->threads = calloc((size_t)srv->nthreads, sizeof(*srv->threads));
	if (!srv->threads) {
		rc = kp_err_set(err, KP_ENOMEM, "out of memory");
		goto out;
	}
	metrics_set_global(srv->metrics);
	/* Each loop thread builds its own h2o objects; wait for each to say it is ready. */
	for (int i = 0; i < srv->nthreads; i++) {
		struct http_thread *th = &srv->threads[i];
		th->index = i;
		th->srv = srv;
		if (pthread_create(&th->tid, NULL, http_thread_main, th) != 0) {
			rc = kp_err_set(err, KP_EUNAVAILABLE, "cannot start a loop thread");
			break;
		}
		th->started = 1;
		nstarted++;
		pthread_mutex_lock(&srv->init_lock);
		while (!th->init_done)
			pthread_cond_wait(&srv->init_cond, &srv->init_lock);
		pthread_mutex_unlock(&srv->init_lock);
		if (th->init_rc != 0) {
			rc = th->init_rc;
			if (err)
				*err = th->init_err;
			break;
		}
	}
	if (rc == 0) {
		fprintf(stderr, "kumppani: listening on http://%s (%d thread%s, %s)\n", l->shown, srv->nthreads,
		        srv->nthreads == 1 ? "" : "s", api->store ? store_backend_name(api->store) : "no store");
		fflush(stderr);

		sigset_t set;
		sigemptyset(&set);
		sigaddset(&set, SIGTERM);
		sigaddset(&set, SIGINT);
		/* a hang-up (the terminal or the ssh session serve ran in closed) stops it as
		 * gracefully as SIGTERM: its default action cut requests in flight */
		sigaddset(&set, SIGHUP);
		int sig;
		do
			sig = sigwaitinfo(&set, NULL);
		while (sig < 0 && errno == EINTR);
		log_info("shutting down (%s): no new connections, finishing requests in flight",
		         sig == SIGINT   ? "SIGINT"
		         : sig == SIGHUP ? "SIGHUP"
		                         : "SIGTERM");
		/* A second signal now ends the process at once (the default action), for an
		 * operator who does not want to wait for the shutdown deadline. */
		pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	}
	for (int i = 0; i < nstarted; i++)
		if (srv->threads[i].init_rc == 0) /* one that failed its set-up has ended already */
			h2o_multithread_send_message(&srv->threads[i].stop_receiver, &srv->threads[i].stop_msg);
	/* With every loop's dup closed too, new connections are refused. */
	if (srv->listen_fd >= 0) {
		close(srv->listen_fd);
		srv->listen_fd = -1;
	}
	for (int i = 0; i < nstarted; i++)
		pthread_join(srv->threads[i].tid, NULL);
	if (rc == 0)
		log_info("shutdown: every loop stopped");

out:
	metrics_set_global(NULL);
	free(srv->threads); /* each loop thread disposed of its own h2o objects */
	if (srv->listen_fd >= 0)
		close(srv->listen_fd);
	http_listener_close(l);
	if (globalconf_ready)
		h2o_config_dispose(&srv->globalconf);
	metrics_free(srv->metrics);
	free(srv->routes);
	free(srv->landing);
	pthread_mutex_destroy(&srv->init_lock);
	pthread_cond_destroy(&srv->init_cond);
	free(srv);
	return rc;
}
