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
#include <arpa/inet.h>
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
#define HTTP_MAX_HEADERS        100 /* h2o's own (H2O_MAX_HEADERS): more is a 431 */
#define HTTP_MIN_BODY_RATE                                                                                             \
	8192 /* bytes a second a body must average, besides never pausing                                              \
	        longer than the idle timeout: 1 MiB may take 128 s */
#define HTTP_LINGER_MS                                                                                                 \
	1000                        /* after an answer given here and a close of our side, what                        \
	                               the client still sends is read and dropped this long, so                        \
	                               that a close with unread bytes does not reset the answer */
#define HTTP_SWEEP_MS           500 /* how often timeouts are looked at */
#define HTTP_STR_(x)            #x
#define HTTP_STR(x)             HTTP_STR_(x)

struct http_server;
struct http_thread;

/* picohttpparser, the parser inside libh2o, which exports it without installing its header:
 * the guard below parses a header block with it exactly as h2o will. */
struct phr_header {
	const char *name;
	size_t name_len;
	const char *value;
	size_t value_len;
};
int phr_parse_request(const char *buf, size_t len, const char **method, size_t *method_len, const char **path,
                      size_t *path_len, int *minor_version, struct phr_header *headers, size_t *num_headers,
                      size_t last_len);

/* Where a connection's current request is (the guard and the sweep, below). */
enum http_phase {
	HTTP_PH_IDLE, /* waiting for the first byte of a request (keep-alive idle): idle timeout */
	HTTP_PH_HEAD, /* a header block arriving: header timeout from its first byte, size limit */
	HTTP_PH_BODY, /* its body arriving: idle timeout without progress, minimum rate */
	HTTP_PH_BUSY, /* with the handler or being answered: no read timeout */
	HTTP_PH_DONE  /* answered here and our side closed: lingering, then closed */
};

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
	int trusted;        /* the peer is a trusted proxy: its Forwarded or X-Forwarded-For names the client */
	const char *client; /* while the guard answers a parsed request: the client it names (NULL: addr) */
	/* The guard: h2o 2.2 buffers a header block up to 417 KB (H2O_MAX_REQLEN) before it gives
	 * up, answers what its parser refuses with a bare text/plain 400, and times a request
	 * from the moment its connection went idle, whatever arrives. So the socket's read
	 * callback is ours while h2o waits for a request (http_guard_on_read): it sees the bytes
	 * first, answers what h2o would refuse or buffer too long, and hands the rest to
	 * h2o_read. h2o sets its own callback again for each request; http_on_rewrap puts ours
	 * back once the request before is over. */
	h2o_socket_cb h2o_read;
	enum http_phase phase;
	uint64_t since;       /* loop ms: when phase began (HEAD: its first byte) */
	uint64_t progress_at; /* BODY: when its last bytes came */
	uint64_t body_deadline;
	size_t seen;     /* BODY: input bytes at the last look; HEAD: bytes already parsed */
	size_t body_len; /* BODY: its Content-Length */
	h2o_timeout_entry_t rewrap;
	struct http_reqhold *hold; /* the current request's, while h2o has it */
};

/* In an h2o request's pool: its connection and, while the api holds it (deferred), its state.
 * Disposed by h2o when the request is over (http_on_req_disposed). */
struct http_reqhold {
	struct http_reqstate *st;
	struct http_conn *conn;
};

/* Our side of one request. Invariant: while pending (deferred, not yet posted back),
 * the writer owns ar; `req` is NULL once h2o disposed the request. */
struct http_reqstate {
	struct api_req ar;
	struct arena arena;
	struct http_thread *th;
	h2o_req_t *req;
	struct http_reqhold *sentinel;   /* in req->pool; its st points back here while deferred */
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
	/* accept() out of descriptors (EMFILE/ENFILE): the listener stays readable, and would be
	 * polled at full speed. One descriptor kept in reserve answers the connection waiting
	 * 503 (close it, accept, answer, and make the accepted descriptor the reserve again), and
	 * the listener rests a moment. The reserve is lost when its slot is taken meanwhile (by
	 * another thread, or a limit lowered under it): -1, then taken again as soon as a
	 * descriptor frees (http_reserve_refill, at the end of each pause and in the sweep). */
	int reserve_fd;
	int reserve_lost;    /* its loss is logged (once; again only after it came back) */
	uint64_t starved_at; /* loop ms of the last accept() out of descriptors; 0: none lately */
	h2o_timeout_t pause_timeout;
	h2o_timeout_entry_t pause_entry;
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

/* An address range of trusted proxies ("10.0.0.0/8", "::1"); IPv4 as 4 bytes. */
struct http_cidr {
	int v6;
	unsigned char addr[16];
	int bits;
};

#define HTTP_PROXIES_MAX 64
#define HTTP_HOPS_MAX    32 /* X-Forwarded-For entries looked at, from the right */

struct http_server {
	struct http_server_config cfg;
	struct http_cidr proxies[HTTP_PROXIES_MAX];
	size_t nproxies;
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
	int null_fd;              /* /dev/null, copied over an answered descriptor to keep it as a reserve */
	_Atomic int starved;      /* loop threads out of descriptors lately (the first logs, the last too) */
	_Atomic long starved_503; /* connections answered 503 on a reserve since the first */
	int refuse_margin; /* HTTP_REFUSE_MARGIN, less when the open-file limit is low */
	long nofile;       /* the open-file limit at start; -1: none */
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
	case 401: return kp_status_name(KP_EUNAUTH);
	case 404: return kp_status_name(KP_ENOTFOUND);
	case 405: return kp_status_name(KP_EMETHOD);
	case 408: return "request-timeout";
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

/* ---- trusted proxies -------------------------------------------------------------------- */

/* An address s[0..n) as a proxy header may give it: "1.2.3.4", "1.2.3.4:5678", "::1",
 * "[::1]" or "[::1]:5678", optionally in double quotes (Forwarded), white space around.
 * IPv4-mapped IPv6 is IPv4. 0, or -1 for anything else ("unknown", "_hidden", a name). */
static int http_addr_parse(const char *s, size_t n, int *v6, unsigned char *addr)
{
	char t[INET6_ADDRSTRLEN + 8];
	while (n && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n >= 2 && s[0] == '"' && s[n - 1] == '"')
		s++, n -= 2;
	if (n && s[0] == '[') {
		const char *e = memchr(s, ']', n);
		if (!e || (e + 1 < s + n && e[1] != ':'))
			return -1;
		n = (size_t)(e - s - 1);
		s++;
	} else if (memchr(s, '.', n)) {
		/* a port after an IPv4 address ("1.2.3.4:5678": one colon, after the dots); more
		 * colons are IPv6 with an IPv4 tail ("::ffff:10.0.0.4", which dual-stack proxies write) */
		const char *colon = memchr(s, ':', n);
		if (colon && !memchr(colon + 1, ':', (size_t)(s + n - colon - 1)) &&
		    memchr(s, '.', (size_t)(colon - s)))
			n = (size_t)(colon - s);
	}
	if (!n || n >= sizeof t)
		return -1;
	memcpy(t, s, n);
	t[n] = '\0';
	if (inet_pton(AF_INET, t, addr) == 1) {
		*v6 = 0;
		return 0;
	}
	if (inet_pton(AF_INET6, t, addr) != 1)
		return -1;
	static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	if (!memcmp(addr, mapped, 12)) {
		memmove(addr, addr + 12, 4);
		*v6 = 0;
	} else {
		*v6 = 1;
	}
	return 0;
}

/* "ADDR" or "ADDR/BITS" into r; -1 when it is neither. */
static int http_cidr_parse(const char *s, size_t n, struct http_cidr *r)
{
	const char *slash = memchr(s, '/', n);
	size_t al = slash ? (size_t)(slash - s) : n;
	if (!al || http_addr_parse(s, al, &r->v6, r->addr) < 0 || memchr(s, '[', al) || memchr(s, '"', al))
		return -1;
	int max = r->v6 ? 128 : 32;
	r->bits = max;
	if (slash) {
		size_t dl = n - al - 1;
		if (!dl || dl > 3)
			return -1;
		int bits = 0;
		for (size_t i = 0; i < dl; i++) {
			if (slash[1 + i] < '0' || slash[1 + i] > '9')
				return -1;
			bits = bits * 10 + slash[1 + i] - '0';
		}
		if (bits > max)
			return -1;
		r->bits = bits;
	}
	return 0;
}

/* Parse a comma-separated list of ranges into out[0..*n). 0, or KP_EINVAL naming the entry. */
static int http_proxies_parse(const char *list, struct http_cidr *out, size_t *n, struct kp_err *err)
{
	*n = 0;
	for (const char *p = list; *p;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		const char *b = p;
		while (len && (*b == ' ' || *b == '\t'))
			b++, len--;
		while (len && (b[len - 1] == ' ' || b[len - 1] == '\t'))
			len--;
		struct http_cidr r;
		if (!len || http_cidr_parse(b, len, &r) < 0)
			return kp_err_set(err, KP_EINVAL, "'%.*s' is not an IPv4 or IPv6 address or ADDR/BITS range",
			                  (int)(len ? len : 0), b);
		if (*n == HTTP_PROXIES_MAX)
			return kp_err_set(err, KP_EINVAL, "more than %d trusted proxy ranges", HTTP_PROXIES_MAX);
		out[(*n)++] = r;
		p = e ? e + 1 : p + strlen(p);
	}
	return 0;
}

int http_trusted_proxies_check(const char *list, struct kp_err *err)
{
	struct http_cidr tmp[HTTP_PROXIES_MAX];
	size_t n;
	return http_proxies_parse(list, tmp, &n, err);
}

static int http_is_trusted(const struct http_server *srv, int v6, const unsigned char *a)
{
	for (size_t i = 0; i < srv->nproxies; i++) {
		const struct http_cidr *r = &srv->proxies[i];
		if (r->v6 != v6)
			continue;
		int full = r->bits / 8, rest = r->bits % 8;
		if (memcmp(r->addr, a, (size_t)full) != 0)
			continue;
		if (rest && ((r->addr[full] ^ a[full]) & (0xff << (8 - rest)) & 0xff))
			continue;
		return 1;
	}
	return 0;
}

/* A header's value as one line of it: the proxy headers are read from h2o's request and,
 * before h2o has it, from the guard's parse (http_client_addr_raw). */
struct http_hval {
	const char *s;
	size_t n;
};

/* The client one proxy header names (X-Forwarded-For, or Forwarded with forwarded set): over
 * the for= of every element of its lines v[0..nv), in order, the rightmost address that is
 * not itself a trusted proxy. An entry that is no address ("unknown", "_hidden", garbage a
 * client wrote) ends the walk: the last trusted hop before it is the client; only trusted
 * hops: the leftmost. 1 with the address in *v6 and addr, or 0 when the header names none. */
static int http_hops_client(const struct http_server *srv, const struct http_hval *v, size_t nv, int forwarded, int *v6,
                            unsigned char *addr)
{
	struct http_hval hops[HTTP_HOPS_MAX];
	size_t nh = 0;
	for (size_t i = 0; i < nv; i++) {
		const char *p = v[i].s, *e = v[i].s + v[i].n;
		while (p <= e) {
			const char *c = memchr(p, ',', (size_t)(e - p));
			if (!c)
				c = e;
			const char *s = p;
			size_t n = (size_t)(c - p);
			if (forwarded) { /* the for= of this element */
				const char *f = NULL;
				for (const char *q = s; q + 4 <= s + n; q++)
					if ((q == s || q[-1] == ';' || q[-1] == ' ') && h2o_lcstris(q, 4, "for=", 4)) {
						f = q + 4;
						break;
					}
				if (!f) {
					p = c + 1;
					continue;
				}
				const char *fe = memchr(f, ';', (size_t)(s + n - f));
				n = (size_t)((fe ? fe : s + n) - f);
				s = f;
			}
			if (nh < HTTP_HOPS_MAX) {
				hops[nh].s = s, hops[nh].n = n, nh++;
			} else { /* keep the rightmost ones */
				memmove(hops, hops + 1, sizeof hops - sizeof hops[0]);
				hops[HTTP_HOPS_MAX - 1].s = s, hops[HTTP_HOPS_MAX - 1].n = n;
			}
			p = c + 1;
		}
	}
	int have = 0, hv6;
	unsigned char h[16];
	for (size_t i = nh; i-- > 0;) {
		if (http_addr_parse(hops[i].s, hops[i].n, &hv6, h) < 0)
			break;
		memcpy(addr, h, 16);
		*v6 = hv6;
		have = 1;
		if (!http_is_trusted(srv, hv6, h))
			break;
	}
	return have;
}

/* The client behind a trusted proxy, from Forwarded (RFC 7239) and X-Forwarded-For, given as
 * their lines (nf and nx of them; 0: the header is absent). Each is read alone
 * (http_hops_client). One present: it decides. Both present: they must name the same client.
 * A proxy that writes one of them passes the other on as the client sent it, and which one
 * a proxy writes is not known here; so when they differ, or one names no address, neither
 * is believed and the client is the peer, the proxy itself (a client cannot pick its address
 * by adding the header its proxy does not write). No header: the peer. Only ever called for
 * a trusted peer: anyone else could name any address they like. Returns peer, or the address
 * written in out (INET6_ADDRSTRLEN bytes). */
static const char *http_client_pick(const struct http_server *srv, const char *peer, const struct http_hval *fwd,
                                    size_t nf, const struct http_hval *xff, size_t nx, char *out)
{
	int fv6 = 0, xv6 = 0, have;
	unsigned char fa[16], xa[16];
	if (nf && nx) {
		have = http_hops_client(srv, fwd, nf, 1, &fv6, fa) && http_hops_client(srv, xff, nx, 0, &xv6, xa) &&
		       fv6 == xv6 && !memcmp(fa, xa, fv6 ? 16 : 4);
	} else if (nf) {
		have = http_hops_client(srv, fwd, nf, 1, &fv6, fa);
	} else {
		have = nx && http_hops_client(srv, xff, nx, 0, &fv6, fa);
	}
	if (!have || !inet_ntop(fv6 ? AF_INET6 : AF_INET, fa, out, INET6_ADDRSTRLEN))
		return peer;
	return out;
}

/* Add a header line to v[0..*n), keeping the last HTTP_HOPS_MAX: the rightmost are those the
 * nearest proxies wrote. */
static void http_hval_push(struct http_hval *v, size_t *n, const char *s, size_t len)
{
	if (*n == HTTP_HOPS_MAX) {
		memmove(v, v + 1, (HTTP_HOPS_MAX - 1) * sizeof *v);
		(*n)--;
	}
	v[*n].s = s;
	v[*n].n = len;
	(*n)++;
}

/* http_client_pick over h2o's request (its header lines, in order). */
static const char *http_client_addr(const struct http_server *srv, struct arena *a, const char *peer, h2o_req_t *req)
{
	struct http_hval v[2][HTTP_HOPS_MAX];
	size_t n[2] = {0, 0};
	static const char *const names[2] = {"forwarded", "x-forwarded-for"};
	for (int k = 0; k < 2; k++)
		for (ssize_t i = -1; (i = h2o_find_header_by_str(&req->headers, names[k], strlen(names[k]), i)) >= 0;)
			http_hval_push(v[k], &n[k], req->headers.entries[i].value.base,
			               req->headers.entries[i].value.len);
	char out[INET6_ADDRSTRLEN];
	return arena_strdup(a, http_client_pick(srv, peer, v[0], n[0], v[1], n[1], out));
}

/* http_client_pick over a header block the guard parsed (h2o has not seen it yet). */
static const char *http_client_addr_raw(const struct http_server *srv, const char *peer, const struct phr_header *hs,
                                        size_t nh, char *out)
{
	struct http_hval v[2][HTTP_HOPS_MAX];
	size_t n[2] = {0, 0};
	for (size_t i = 0; i < nh; i++) {
		if (!hs[i].name)
			continue;
		int k = hs[i].name_len == 9 && h2o_lcstris(hs[i].name, 9, "forwarded", 9)            ? 0
		        : hs[i].name_len == 15 && h2o_lcstris(hs[i].name, 15, "x-forwarded-for", 15) ? 1
		                                                                                     : -1;
		if (k >= 0)
			http_hval_push(v[k], &n[k], hs[i].value, hs[i].value_len);
	}
	return http_client_pick(srv, peer, v[0], n[0], v[1], n[1], out);
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

/* s[0..n) into o as the access log writes a field: printable ASCII as it is, every other byte
 * (controls, DEL, and 0x80-0xff: an 8-bit CSI, a UTF-8 C1 or bidi control, invalid UTF-8) and
 * '"' and '\\' as \\xNN, so that no field can end its quotes, move a terminal's cursor or
 * reorder what a reader sees. Needs 4 * n bytes at o; returns the end. */
static char *http_log_escape(char *o, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch >= 0x20 && ch < 0x7f && ch != '"' && ch != '\\') {
			*o++ = (char)ch;
		} else {
			*o++ = '\\', *o++ = 'x', *o++ = hex[ch >> 4], *o++ = hex[ch & 15];
		}
	}
	return o;
}

#define HTTP_LOG_ADDR_MAX   64
#define HTTP_LOG_METHOD_MAX 32
#define HTTP_LOG_PATH_MAX   256

/* One access log line: method[0..ml) and path[0..pathlen) are the request's bytes as they
 * came (any bytes: they are escaped here, and cut to 32 and 256 bytes). */
static void http_log_request(struct http_thread *th, const char *rid, const char *addr, const char *method, size_t ml,
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
	if (pathlen > HTTP_LOG_PATH_MAX)
		pathlen = HTTP_LOG_PATH_MAX;
	if (!method || !ml)
		method = "-", ml = 1;
	if (ml > HTTP_LOG_METHOD_MAX)
		ml = HTTP_LOG_METHOD_MAX;
	if (!addr || !*addr)
		addr = "-";
	if (dur_us < 0)
		dur_us = 0;
	/* Formatted by hand into the batch buffer (no printf per request): the timestamp's
	 * seconds come from the per-second prefix above. */
	size_t tl = strlen(th->log_time), rl = strnlen(rid, HTTP_REQUEST_ID_MAX), al = strnlen(addr, HTTP_LOG_ADDR_MAX);
	if (buf_grow(&th->log, tl + 4 * (rl + al + ml + pathlen) + 128) == 0) {
		char *o = th->log.ptr + th->log.len;
		long msec = ts.tv_nsec / 1000000;
		memcpy(o, th->log_time, tl), o += tl;
		*o++ = (char)('0' + msec / 100), *o++ = (char)('0' + msec / 10 % 10), *o++ = (char)('0' + msec % 10);
		memcpy(o, "Z access ", 9), o += 9;
		o = http_log_escape(o, rid, rl);
		*o++ = ' ';
		o = http_log_escape(o, addr, al);
		*o++ = ' ';
		*o++ = '"';
		o = http_log_escape(o, method, ml);
		*o++ = ' ';
		o = http_log_escape(o, path, pathlen);
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
	/* every answer is of this moment (health, metrics, the landing page's version and store
	 * too), unless the api said otherwise */
	int no_store = 1;

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
			/* a name h2o knows is sent as h2o sends its own (lower case): one spelling of
			 * each header on every answer */
			char lc[32];
			const h2o_token_t *tok = NULL;
			if (nlen < sizeof lc) {
				for (size_t k = 0; k < nlen; k++)
					lc[k] = (char)tolower((unsigned char)h->name[k]);
				tok = h2o_lookup_token(lc, nlen);
			}
			if (tok) {
				h2o_iovec_t v = h2o_strdup(&req->pool, h->value, strlen(h->value));
				h2o_add_header(&req->pool, &req->res.headers, tok, NULL, v.base, v.len);
			} else {
				http_add_header(req, h->name, nlen, h->value, strlen(h->value));
			}
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
	http_log_request(th, ar->request_id, ar->remote_addr, ar->method, ar->method ? strlen(ar->method) : 0,
	                 ar->path ? ar->path : "-", ar->path ? strlen(ar->path) : 1, req ? status : 499,
	                 req ? rs->body.len : 0, dur, ar->who.staff_id);
}

/* An RFC 9457 body into b: instance is the request's path (NULL: none), its bytes outside
 * printable ASCII percent-encoded (a path is bytes, not text we can vouch for), cut to
 * HTTP_INSTANCE_MAX (a target too long, 414, is not echoed whole). -1 past b's cap. */
static int http_problem_body(struct buf *b, int status, const char *detail, const char *inst, size_t ilen,
                             const char *rid)
{
	static const char hex[] = "0123456789ABCDEF";
	char enc[HTTP_INSTANCE_MAX + 3];
	size_t el = 0;
	for (size_t i = 0; inst && i < ilen && el + 3 <= HTTP_INSTANCE_MAX; i++) {
		unsigned char c = (unsigned char)inst[i];
		if (c > 0x20 && c < 0x7f) {
			enc[el++] = (char)c;
		} else {
			enc[el++] = '%', enc[el++] = hex[c >> 4], enc[el++] = hex[c & 15];
		}
	}
	if (buf_addf(b, "{\"type\":\"https://kumppani.dev/problems/%s\",\"title\":\"%s\",\"status\":%d,\"detail\":",
	             http_status_name(status), http_reason(status), status) < 0 ||
	    buf_add_json_str(b, detail, strlen(detail)) < 0)
		return -1;
	if (inst && (buf_adds(b, ",\"instance\":") < 0 || buf_add_json_str(b, enc, el) < 0))
		return -1;
	if (buf_adds(b, ",\"request_id\":") < 0 || buf_add_json_str(b, rid, strlen(rid)) < 0 || buf_addc(b, '}') < 0)
		return -1;
	return 0;
}

/* A problem response built here (before the api is involved). */
static size_t http_problem(h2o_req_t *req, const char *rid, const char *path, int status, const char *detail)
{
	struct buf b = BUF_INIT(64 * 1024);
	if (http_problem_body(&b, status, detail, path, strlen(path), rid) < 0)
		buf_reset(&b);
	http_send(req, status, "application/problem+json", b.ptr, b.len, rid, 1);
	size_t len = b.len;
	buf_release(&b);
	return len;
}

/* ---- the guard: a request's bytes before h2o's parser ------------------------------------
 * (see struct http_conn). What it answers itself (a header block over the limit or refused by
 * the parser, a body over the limit by its Content-Length, a request that does not arrive in
 * time, a 100-continue request that will not be served) gets a problem+json written straight
 * to the socket, with Connection: close (h2o has no request to answer it on), is logged and
 * counted; our side of the connection is then shut, what still arrives is dropped for
 * HTTP_LINGER_MS, and the connection closed (by h2o, told the socket ended). */

static void http_guard_on_read(h2o_socket_t *sock, const char *err);

/* Make the guard the socket's read callback (again), remembering h2o's. */
static void http_guard_install(struct http_conn *c)
{
	h2o_socket_cb cur = c->sock->_cb.read;
	if (cur && cur != http_guard_on_read) {
		c->h2o_read = cur;
		c->sock->_cb.read = http_guard_on_read;
	}
}

/* The first line of a request that may not parse, for the log and the problem's instance:
 * its method and target (either empty when absent). */
static void http_reqline(const char *b, size_t n, const char **m, size_t *ml, const char **t, size_t *tl)
{
	size_t i = 0;
	while (i < n && (b[i] == '\r' || b[i] == '\n'))
		i++;
	*m = b + i;
	while (i < n && b[i] != ' ' && b[i] != '\r' && b[i] != '\n')
		i++;
	*ml = (size_t)(b + i - *m);
	while (i < n && b[i] == ' ')
		i++;
	*t = b + i;
	while (i < n && b[i] != ' ' && b[i] != '\r' && b[i] != '\n')
		i++;
	*tl = (size_t)(b + i - *t);
}

/* Answer connection c here (see above) with status, a body of content type ct and further
 * header lines extra ("Allow: GET\r\n", or NULL). method/target: the request's, when known
 * (for the log, the metrics route and the instance); rid: its request id (valid). */
static void http_conn_send(struct http_conn *c, int status, const char *ct, const char *body, size_t blen,
                           const char *extra, const char *method, size_t ml, const char *target, size_t tl,
                           const char *rid)
{
	struct http_thread *th = c->th;
	struct http_server *srv = th->srv;
	size_t route = metrics_unmatched(srv->metrics);
	char mz[HTTP_LOG_METHOD_MAX + 1], pz[HTTP_INSTANCE_MAX + 1];
	size_t pl = tl;
	const char *q = target ? memchr(target, '?', tl) : NULL;
	if (q)
		pl = (size_t)(q - target);
	if (method && ml && ml <= HTTP_LOG_METHOD_MAX && target && pl && pl <= HTTP_INSTANCE_MAX) {
		memcpy(mz, method, ml);
		mz[ml] = '\0';
		memcpy(pz, target, pl);
		pz[pl] = '\0';
		const struct api_route *rt = api_route_for(mz, pz);
		if (rt)
			route = (size_t)(rt - api_routes);
	}
	char date[64], head[1024];
	time_t now_s = time(NULL);
	struct tm tm;
	gmtime_r(&now_s, &tm);
	strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
	int hl = snprintf(head, sizeof head,
	                  "HTTP/1.1 %d %s\r\nDate: %s\r\nConnection: close\r\nContent-Length: %zu\r\n"
	                  "Server: kumppani\r\ncontent-type: %s\r\ncache-control: no-store\r\n"
	                  "X-Request-Id: %s\r\nX-Content-Type-Options: nosniff\r\n%s\r\n",
	                  status, http_reason(status), date, blen, ct, rid, extra ? extra : "");
	int fd = h2o_socket_get_fd(c->sock);
	if (hl > 0 && (size_t)hl < sizeof head) {
		/* nothing of h2o's is being written (no request of its own is answered yet), and
		 * the answer fits an empty socket buffer: one send, or none if the peer is gone */
		struct iovec iov[2] = {{head, (size_t)hl}, {(void *)body, blen}};
		struct msghdr mh = {.msg_iov = iov, .msg_iovlen = 2};
		ssize_t w = sendmsg(fd, &mh, MSG_DONTWAIT | MSG_NOSIGNAL);
		(void)w;
	}
	shutdown(fd, SHUT_WR);
	metrics_record(srv->metrics, th->index, route, status, 0);
	http_log_request(th, rid, c->client ? c->client : c->addr, method, ml, target && tl ? target : "-",
	                 target && tl ? tl : 1, status, blen, 0, 0);
	/* (method and target may point into the input: dropped only now) */
	http_guard_install(c); /* from here it drops what arrives (h2o may have set its own) */
	if (c->sock->input && c->sock->input->size)
		h2o_buffer_consume(&c->sock->input, c->sock->input->size);
	c->phase = HTTP_PH_DONE;
	c->since = h2o_now(th->loop);
}

/* Answer connection c here with a problem+json of status and detail (http_conn_send). rid_in:
 * an X-Request-Id it sent (kept when valid). */
static void http_conn_answer(struct http_conn *c, int status, const char *detail, const char *extra, const char *method,
                             size_t ml, const char *target, size_t tl, const char *rid_in, size_t ridl)
{
	/* Only while the guard is the socket's reader: h2o then has read nothing of this
	 * request but through us. With h2o's own reader in place (after its 100 Continue) or
	 * none (reading stopped while h2o writes), h2o holds the request and will read the input
	 * buffer again: bytes written here would mix with its answer, and an emptied buffer
	 * would meet its body reader's saved sizes (a code review found the crash this can
	 * make). Such a request is left to h2o and its own timeouts; the sweep looks again. */
	if (c->sock->_cb.read != http_guard_on_read)
		return;
	char rid[HTTP_REQUEST_ID_MAX + 1];
	if (rid_in && http_request_id_ok(rid_in, ridl)) {
		memcpy(rid, rid_in, ridl);
		rid[ridl] = '\0';
	} else {
		http_new_request_id(c->th, rid);
	}
	const char *q = target ? memchr(target, '?', tl) : NULL;
	size_t pl = q ? (size_t)(q - target) : tl;
	struct buf body = BUF_INIT(64 * 1024);
	if (http_problem_body(&body, status, detail, target && tl ? target : NULL, pl, rid) < 0)
		buf_reset(&body);
	http_conn_send(c, status, "application/problem+json", body.ptr, body.len, extra, method, ml, target, tl, rid);
	buf_release(&body);
}

static int http_lc_is(const char *s, size_t n, const char *lc)
{
	return n == strlen(lc) && h2o_lcstris(s, n, lc, n);
}

/* Header k's value, NUL-terminated in a; several lines of it joined by sep (NULL: the first
 * line only). NULL when absent or when a value holds a NUL byte (h2o's reader refuses it). */
static const char *http_phr_value(struct arena *a, const struct phr_header *hs, size_t nh, const char *name,
                                  const char *sep)
{
	const char *out = NULL;
	for (size_t k = 0; k < nh; k++) {
		if (!hs[k].name || !http_lc_is(hs[k].name, hs[k].name_len, name))
			continue;
		if (memchr(hs[k].value, '\0', hs[k].value_len))
			return NULL;
		const char *v = arena_strndup(a, hs[k].value, hs[k].value_len);
		if (!out)
			out = v;
		else if (!sep)
			break;
		else
			out = arena_printf(a, "%s%s%s", out, sep, v);
	}
	return out;
}

/* A 100-continue request: asks the api whether the headers alone already refuse it
 * (api_precheck: route, query, credentials, role, CSRF, a body that is not JSON) and answers
 * that here, before h2o writes its 100 and the client its body. 1 if answered. */
static int http_guard_precheck(struct http_conn *c, const char *m, size_t ml, const char *t, size_t tl,
                               const struct phr_header *hs, size_t nh, size_t clen)
{
	struct http_thread *th = c->th;
	struct arena arena;
	arena_init(&arena);
	struct api_req ar;
	memset(&ar, 0, sizeof ar);
	ar.arena = &arena;
	ar.srv = th->srv->api;
	ar.thread_index = th->index;
	ar.method = arena_strndup(&arena, m, ml);
	const char *q = memchr(t, '?', tl);
	size_t pl = q ? (size_t)(q - t) : tl;
	ar.path = arena_strndup(&arena, t, pl);
	ar.query = q ? arena_strndup(&arena, q + 1, tl - pl - 1) : NULL;
	ar.body_len = clen;
	ar.content_type = http_phr_value(&arena, hs, nh, "content-type", NULL);
	ar.authorization = http_phr_value(&arena, hs, nh, "authorization", NULL);
	ar.cookie = http_phr_value(&arena, hs, nh, "cookie", "; "); /* as http_on_req joins them */
	ar.csrf_token = http_phr_value(&arena, hs, nh, "x-csrf-token", NULL);
	ar.user_agent = http_phr_value(&arena, hs, nh, "user-agent", NULL);
	ar.remote_addr = c->client ? c->client : c->addr;
	const char *rid = http_phr_value(&arena, hs, nh, "x-request-id", NULL);
	if (rid && strlen(rid) < sizeof ar.request_id && http_request_id_ok(rid, strlen(rid)))
		memcpy(ar.request_id, rid, strlen(rid) + 1);
	else
		http_new_request_id(th, ar.request_id);
	buf_init(&ar.resp.body, HTTP_RESP_MAX);
	int answered = 0;
	if (api_precheck(&ar)) {
		api_resp_finish(&ar);
		char extra[512];
		size_t el = 0;
		extra[0] = '\0';
		for (int i = 0; i < ar.resp.nheaders; i++) {
			int w = snprintf(extra + el, sizeof extra - el, "%s: %s\r\n", ar.resp.headers[i].name,
			                 ar.resp.headers[i].value);
			if (w < 0 || (size_t)w >= sizeof extra - el) {
				extra[el] = '\0';
				break;
			}
			el += (size_t)w;
		}
		http_conn_send(c, ar.resp.status, ar.resp.content_type ? ar.resp.content_type : "application/json",
		               ar.resp.body.ptr, ar.resp.body.len, extra, m, ml, t, tl, ar.request_id);
		answered = 1;
	}
	api_req_release(&ar);
	arena_release(&arena);
	return answered;
}

/* A parsed header block on connection c: refuse at once what h2o would read a body for in
 * vain (a Content-Length over the limit; a 100-continue request the api refuses on its
 * headers alone, http_guard_precheck: no 100 invites its body), and
 * set right in place, before h2o reads them, what it would get wrong: optional white space
 * after a value (RFC 9110 5.5; h2o keeps it, and refused "Content-Length: 14 ") is moved
 * before it, where h2o's parser skips it; an Expect on HTTP/1.0, which RFC 9110 10.1.1 says
 * to ignore and h2o would answer with a 100 all the same, is renamed away. 1 if answered. */
static int http_guard_headers_1(struct http_conn *c, const char *m, size_t ml, const char *t, size_t tl, int minor,
                                struct phr_header *hs, size_t nh)
{
	struct http_server *srv = c->th->srv;
	const char *rid = NULL;
	size_t ridl = 0, clen = 0;
	int have_len = 0, len_bad = 0, te = 0;
	struct phr_header *expect = NULL;
	for (size_t k = 0; k < nh; k++) {
		struct phr_header *h = &hs[k];
		if (!h->name) /* a folded line (obs-fold), refused by the framing check */
			continue;
		size_t vl = h->value_len, ws = 0;
		while (ws < vl && (h->value[vl - 1 - ws] == ' ' || h->value[vl - 1 - ws] == '\t'))
			ws++;
		if (ws) {
			char *v = (char *)h->value; /* in the socket's input buffer, which is ours to fix */
			memmove(v + ws, v, vl - ws);
			memset(v, ' ', ws);
			h->value += ws;
			h->value_len -= ws;
		}
		if (http_lc_is(h->name, h->name_len, "content-length")) {
			have_len = 1;
			size_t v = 0;
			for (size_t i = 0; i < h->value_len; i++) {
				if (h->value[i] < '0' || h->value[i] > '9' || v > (SIZE_MAX - 9) / 10) {
					len_bad = 1;
					break;
				}
				v = v * 10 + (size_t)(h->value[i] - '0');
			}
			if (v > clen)
				clen = v;
		} else if (http_lc_is(h->name, h->name_len, "expect")) {
			expect = h;
		} else if (http_lc_is(h->name, h->name_len, "transfer-encoding")) {
			te = 1;
		} else if (http_lc_is(h->name, h->name_len, "x-request-id") && !rid) {
			rid = h->value;
			ridl = h->value_len;
		}
	}
	c->body_len = have_len && !len_bad ? clen : 0;
	/* a body in chunks is refused (http_framing_check): at once, not after h2o has read up
	 * to a MiB of it (and timed it by a length of 0); the framing check keeps the other
	 * Transfer-Encoding cases (with a Content-Length, on HTTP/1.0: 400) */
	if (te && !have_len && minor == 1) {
		http_conn_answer(c, 411,
		                 "send the body with a Content-Length: a request body in chunks is not accepted", NULL,
		                 m, ml, t, tl, rid, ridl);
		return 1;
	}
	if (have_len && !len_bad && clen > srv->cfg.max_body) {
		http_conn_answer(c, 413, "the request body is over the size limit", NULL, m, ml, t, tl, rid, ridl);
		return 1;
	}
	if (!expect || !http_lc_is(expect->value, expect->value_len, "100-continue"))
		return 0; /* another expectation: h2o answers 417 */
	if (minor == 0) {
		memcpy((char *)expect->name, "Ignore", 6);
		return 0;
	}
	if (ml > HTTP_LOG_METHOD_MAX || tl > HTTP_TARGET_MAX || !tl || t[0] != '/' || (tl == 1 || t[1] == '?'))
		return 0; /* the handler's checks answer it (the landing page's too), before any body is wanted */
	return http_guard_precheck(c, m, ml, t, tl, hs, nh, clen);
}

static int http_guard_headers(struct http_conn *c, const char *m, size_t ml, const char *t, size_t tl, int minor,
                              struct phr_header *hs, size_t nh)
{
	char client[INET6_ADDRSTRLEN];
	if (c->trusted) /* (what is answered here is logged as h2o's requests are) */
		c->client = http_client_addr_raw(c->th->srv, c->addr, hs, nh, client);
	int answered = http_guard_headers_1(c, m, ml, t, tl, minor, hs, nh);
	c->client = NULL;
	return answered;
}

/* Look at what connection c holds of a request h2o is waiting for (phase IDLE or HEAD). 1 if
 * the guard answered it (h2o must not see it), 0 to hand it on. */
static int http_guard_head(struct http_conn *c)
{
	struct http_thread *th = c->th;
	size_t limit = th->srv->cfg.max_header_bytes, n = c->sock->input ? c->sock->input->size : 0, i = 0;
	const char *b = n ? c->sock->input->bytes : "";
	while (i < n && (b[i] == '\r' || b[i] == '\n'))
		i++;
	if (i == n)
		return 0; /* blank lines between requests (RFC 9112 2.2): still idle */
	if (c->phase == HTTP_PH_IDLE) {
		c->phase = HTTP_PH_HEAD;
		c->since = h2o_now(th->loop);
		c->seen = 0;
	}
	const char *m, *t;
	size_t ml, tl, nh = HTTP_MAX_HEADERS + 1;
	int minor;
	struct phr_header hs[HTTP_MAX_HEADERS + 1];
	/* the bytes parsed before let the parser see at once that no end is in sight yet */
	int r = phr_parse_request(b, n, &m, &ml, &t, &tl, &minor, hs, &nh, c->seen < n ? c->seen : 0);
	c->seen = n;
	if (r >= 0 && (size_t)r - i <= limit && nh <= HTTP_MAX_HEADERS) {
		if (http_guard_headers(c, m, ml, t, tl, minor, hs, nh))
			return 1;
		c->phase = HTTP_PH_BODY; /* (http_on_req makes it BUSY once the body is in) */
		c->since = c->progress_at = h2o_now(th->loop);
		c->seen = n;
		uint64_t allow_ms = (uint64_t)c->body_len / HTTP_MIN_BODY_RATE * 1000;
		c->body_deadline = c->since + (uint64_t)th->srv->cfg.idle_timeout_ms + allow_ms;
		return 0;
	}
	if (r == -2 && n - i <= limit)
		return 0; /* more to come */
	http_reqline(b, n, &m, &ml, &t, &tl);
	size_t lines = 0; /* the request line's end, then one per header line */
	for (const char *p = b + i, *e = b + (n - i > limit ? i + limit : n);
	     p < e && (p = memchr(p, '\n', (size_t)(e - p))); p++) {
		if (p + 2 < e && (p[1] == '\n' || (p[1] == '\r' && p[2] == '\n')))
			break;
		lines++;
	}
	if ((r >= 0 || r == -2) && tl > HTTP_TARGET_MAX) {
		http_conn_answer(c, 414, "the request target is longer than " HTTP_STR(HTTP_TARGET_MAX) " bytes", NULL,
		                 m, ml, t, tl, NULL, 0);
	} else if (r >= 0 || r == -2 || lines > HTTP_MAX_HEADERS + 1) {
		http_conn_answer(c, 431,
		                 lines > HTTP_MAX_HEADERS + 1
		                     ? "the request has more than " HTTP_STR(HTTP_MAX_HEADERS) " header fields"
		                     : "the request line and headers are over the size limit",
		                 NULL, m, ml, t, tl, NULL, 0);
	} else if (n - i >= 3 && !memcmp(b + i, "PRI", 3)) {
		http_conn_answer(c, 400, "HTTP/2 is not spoken here without TLS: send HTTP/1.1", NULL, m, ml, t, tl,
		                 NULL, 0);
	} else {
		http_conn_answer(c, 400,
		                 "malformed request line or header (RFC 9112: one space between method, target and "
		                 "version; no space before a header's colon; no control characters in a value)",
		                 NULL, m, ml, t, tl, NULL, 0);
	}
	return 1;
}

static void http_guard_on_read(h2o_socket_t *sock, const char *err)
{
	struct http_conn *c = sock->on_close.data;
	if (c->phase == HTTP_PH_DONE) {
		if (sock->input->size)
			h2o_buffer_consume(&sock->input, sock->input->size);
		if (err)
			c->h2o_read(sock, err); /* h2o closes the connection */
		return;
	}
	if (!err && (c->phase == HTTP_PH_IDLE || c->phase == HTTP_PH_HEAD) && http_guard_head(c))
		return;
	c->h2o_read(sock, err); /* (c may be gone after this) */
}

/* The request before is over and h2o has set its own read callback for the next: ours goes
 * back in front, and what h2o already holds of the next request is looked at. */
static void http_on_rewrap(h2o_timeout_entry_t *entry)
{
	struct http_conn *c = H2O_STRUCT_FROM_MEMBER(struct http_conn, rewrap, entry);
	/* bytes already held are a pipelined request h2o has parsed on its own (it keeps a
	 * request's bytes in the buffer until the request ends): it is h2o's, and the guard goes
	 * back in front only after it (a guard reading them as a new request answered a request
	 * h2o was answering too) */
	if (c->sock->input && c->sock->input->size)
		return;
	http_guard_install(c);
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
			http_log_request(th, rid, addr, req->input.method.base, req->input.method.len,
			                 req->input.path.base ? req->input.path.base : "-",
			                 req->input.path.base ? req->input.path.len : 1, status, (size_t)n, 0, 0);
		}
	}
	h2o_setup_next_ostream(req, slot);
}

/* ---- the handler ----------------------------------------------------------------------- */

/* h2o is done with a request (answered, or its client gone): a deferred state no longer has
 * it, and its connection waits for the next request (or is closing: then the on_close after
 * this unlinks the rewrap). */
static void http_on_req_disposed(void *p)
{
	struct http_reqhold *hold = p;
	if (hold->st) {
		hold->st->req = NULL;
		hold->st->sentinel = NULL;
	}
	struct http_conn *c = hold->conn;
	if (c) {
		c->hold = NULL;
		if (c->phase == HTTP_PH_BUSY) {
			c->phase = HTTP_PH_IDLE;
			c->since = h2o_now(c->th->loop);
			c->seen = 0;
		}
		if (!h2o_timeout_is_linked(&c->rewrap))
			h2o_timeout_link(c->th->loop, &c->th->ctx.zero_timeout, &c->rewrap);
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
			st->sentinel->st = NULL;
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
	struct http_reqhold *hold = h2o_mem_alloc_shared(&req->pool, sizeof(*hold), http_on_req_disposed);
	hold->st = NULL;
	hold->conn = hc;
	if (hc) {
		hc->phase = HTTP_PH_BUSY;
		hc->hold = hold;
	}
	/* A copy: a deferred write may outlive the connection. */
	if (hc && hc->trusted)
		ar->remote_addr = http_client_addr(srv, &st->arena, hc->addr, req);
	else
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
	/* absolute-form (RFC 9112 3.2.2: a server MUST accept it): the path is what counts */
	size_t sl = p.len >= 7 && h2o_lcstris(p.base, 7, "http://", 7)    ? 7
	            : p.len >= 8 && h2o_lcstris(p.base, 8, "https://", 8) ? 8
	                                                                  : 0;
	if (!bad && sl) {
		size_t i = sl;
		while (i < p.len && p.base[i] != '/' && p.base[i] != '?')
			i++;
		if (i == sl) {
			bad = "the request target's authority is empty";
		} else if (i == p.len || p.base[i] == '?') { /* "http://x" or "http://x?q": the path is "/" */
			char *np = arena_alloc(&st->arena, p.len - i + 2);
			np[0] = '/';
			memcpy(np + 1, p.base + i, p.len - i);
			p = h2o_iovec_init(np, p.len - i + 1);
		} else {
			p = h2o_iovec_init(p.base + i, p.len - i);
		}
		q = memchr(p.base, '?', p.len);
		qpos = q ? (size_t)(q - p.base) : p.len;
		ar->path = arena_strndup(&st->arena, p.base, qpos);
		ar->query = q ? arena_strndup(&st->arena, q + 1, p.len - qpos - 1) : NULL;
	}
	/* OPTIONS * asks what the server as a whole supports (RFC 9110 9.3.7): answered below */
	int options_star = p.len == 1 && p.base[0] == '*' && !strcmp(ar->method, "OPTIONS");
	if (!bad && !options_star && (p.len == 0 || p.base[0] != '/'))
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
			else if (t == H2O_TOKEN_IF_MATCH || t == H2O_TOKEN_IF_NONE_MATCH) {
				/* list fields: h2o gives each field line as its own header, and several
				 * lines are one list joined by commas (RFC 9110 5.3), in their order */
				const char **list = t == H2O_TOKEN_IF_MATCH ? &ar->if_match : &ar->if_none_match;
				const char *v = http_dup_header(&st->arena, h);
				if (!v)
					bad = "a header value holds a NUL byte";
				else if (*list)
					*list = arena_printf(&st->arena, "%s, %s", *list, v);
				else
					*list = v;
				continue;
			} else if (t == H2O_TOKEN_AUTHORIZATION)
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
		http_log_request(th, ar->request_id, ar->remote_addr, ar->method, strlen(ar->method), ar->path,
		                 strlen(ar->path), bad_status, sent, dur, 0);
		http_state_put(st);
		return 0;
	}

	if (options_star) {
		http_add_header(req, "Allow", 5, "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS", 44);
		ar->resp.status = 204;
		http_respond(st);
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
		hold->st = st;
		st->sentinel = hold;
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
	if (h2o_timeout_is_linked(&c->rewrap))
		h2o_timeout_unlink(&c->rewrap);
	if (c->hold)
		c->hold->conn = NULL;
	h2o_linklist_unlink(&c->link);
	th->nconns--;
	atomic_fetch_sub(&th->srv->nconns, 1);
	metrics_gauge_add(th->srv->metrics, th->index, METRICS_G_CONNECTIONS, -1);
	free(c);
}

static const char http_busy[] = "HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n"
                                "Retry-After: 1\r\ncontent-type: application/problem+json\r\n"
                                "cache-control: no-store\r\nX-Content-Type-Options: nosniff\r\n"
                                "Content-Length: 127\r\n\r\n"
                                "{\"type\":\"https://kumppani.dev/problems/unavailable\",\"title\":"
                                "\"Service Unavailable\",\"status\":503,\"detail\":\"too many connections\"}";

static void http_on_accept(h2o_socket_t *listener, const char *err);

/* Take a reserve descriptor again when this thread has none: at the end of each pause and
 * in the sweep, so one lost while out of descriptors comes back once one frees. Its loss is
 * logged once, and its return. */
static void http_reserve_refill(struct http_thread *th)
{
	if (th->reserve_fd >= 0)
		return;
	th->reserve_fd = fcntl(th->srv->null_fd, F_DUPFD_CLOEXEC, 0);
	if (th->reserve_fd >= 0) {
		if (th->reserve_lost)
			log_info("accept: loop %d has its reserve descriptor back", th->index);
		th->reserve_lost = 0;
	} else if (!th->reserve_lost) {
		th->reserve_lost = 1;
		log_warn("accept: loop %d has no reserve descriptor (%s): while out of descriptors its waiting "
		         "connections get no 503; taken again when one frees",
		         th->index, strerror(errno));
	}
}

/* This thread's accept() is out of descriptors: the first thread to be so logs it. */
static void http_starved_begin(struct http_thread *th, int why)
{
	struct http_server *srv = th->srv;
	int was = th->starved_at != 0;
	th->starved_at = h2o_now(th->loop);
	if (!th->starved_at)
		th->starved_at = 1;
	if (!was && atomic_fetch_add(&srv->starved, 1) == 0)
		log_warn("accept: %s: answering 503 on a reserve descriptor and pausing (%d connections open)",
		         strerror(why), atomic_load(&srv->nconns));
}

/* A second without running out (checked in the sweep): the last thread to recover logs it. */
static void http_starved_check(struct http_thread *th, uint64_t now)
{
	struct http_server *srv = th->srv;
	if (!th->starved_at || now - th->starved_at < 1000)
		return;
	th->starved_at = 0;
	if (atomic_fetch_sub(&srv->starved, 1) == 1)
		log_info("accept: descriptors free again (%ld connections answered 503 meanwhile)",
		         atomic_exchange(&srv->starved_503, 0));
}

static void http_on_pause_end(h2o_timeout_entry_t *entry)
{
	struct http_thread *th = H2O_STRUCT_FROM_MEMBER(struct http_thread, pause_entry, entry);
	http_reserve_refill(th);
	if (th->listener)
		h2o_socket_read_start(th->listener, http_on_accept);
}

/* accept() failed for want of descriptors (or kernel memory): answer one waiting connection
 * 503 on the reserve descriptor, and stop watching the listener for 100 ms (the sweep and
 * the idle timeout free descriptors meanwhile). The slot freed for the accept is free to
 * every thread for that moment; the answered connection's descriptor is turned into the
 * reserve (dup3 of /dev/null over it) rather than closed and opened again, which would free
 * the slot a second time. */
static void http_accept_starved(struct http_thread *th, int why)
{
	struct http_server *srv = th->srv;
	http_starved_begin(th, why);
	http_reserve_refill(th); /* (a descriptor may have freed since it was lost) */
	if (th->reserve_fd >= 0) {
		close(th->reserve_fd);
		th->reserve_fd = -1;
		int fd = accept4(th->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd >= 0) {
			char drain[4096];
			ssize_t w = send(fd, http_busy, sizeof(http_busy) - 1, MSG_DONTWAIT | MSG_NOSIGNAL);
			(void)w;
			shutdown(fd, SHUT_WR);
			while (recv(fd, drain, sizeof drain, MSG_DONTWAIT) > 0)
				;
			if (dup3(srv->null_fd, fd, O_CLOEXEC) == fd) /* closes the connection, keeps the slot */
				th->reserve_fd = fd;
			else
				close(fd);
			metrics_record(srv->metrics, th->index, metrics_unmatched(srv->metrics), 503, 0);
			atomic_fetch_add(&srv->starved_503, 1);
		}
		http_reserve_refill(th); /* the slot, if nothing took it (no connection was waiting) */
	}
	if (th->listener && !h2o_timeout_is_linked(&th->pause_entry)) {
		h2o_socket_read_stop(th->listener);
		h2o_timeout_link(th->loop, &th->pause_timeout, &th->pause_entry);
	}
}

static void http_on_accept(h2o_socket_t *listener, const char *err)
{
	struct http_thread *th = listener->data;
	struct http_server *srv = th->srv;
	if (err)
		return;
	for (int i = 0; i < HTTP_ACCEPT_BATCH; i++) {
		errno = 0;
		h2o_socket_t *sock = h2o_evloop_socket_accept(listener);
		if (!sock) {
			if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM)
				http_accept_starved(th, errno);
			return;
		}
		int refuse = 0;
		if (atomic_load(&srv->nconns) >= srv->cfg.max_connections + srv->refuse_margin) {
			/* Far over the limit: a best-effort one-shot answer, then close (the client's
			 * request, unread, may turn the close into a reset). */
			int fd = h2o_socket_get_fd(sock);
			char drain[4096];
			ssize_t w = send(fd, http_busy, sizeof(http_busy) - 1, MSG_DONTWAIT | MSG_NOSIGNAL);
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
			int v6;
			unsigned char a[16];
			c->trusted =
			    srv->nproxies && http_addr_parse(c->addr, hn, &v6, a) == 0 && http_is_trusted(srv, v6, a);
		}
		int one = 1;
		setsockopt(h2o_socket_get_fd(sock), IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		h2o_linklist_insert(&th->conns, &c->link);
		th->nconns++;
		atomic_fetch_add(&srv->nconns, 1);
		metrics_gauge_add(srv->metrics, th->index, METRICS_G_CONNECTIONS, 1);
		sock->on_close.cb = http_on_conn_close;
		sock->on_close.data = c;
		c->rewrap.cb = http_on_rewrap;
		c->phase = HTTP_PH_IDLE;
		c->since = h2o_now(th->loop);
		h2o_accept(&th->accept_ctx, sock); /* an HTTP/1 connection: h2o reads with its callback */
		http_guard_install(c);
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

/* The read timeouts of a connection (its phase, see enum http_phase), at now. */
static void http_conn_timeouts(struct http_conn *c, uint64_t now)
{
	const struct http_server_config *cfg = &c->th->srv->cfg;
	char detail[160];
	/* a pipelined request h2o took on its own (the guard is not in front until it ends) may
	 * not grow an unfinished header block past the limit either: it cannot be answered here
	 * (see http_conn_answer), so the connection is cut, as an idle one is */
	if (!c->killed && c->sock->_cb.read != http_guard_on_read && c->sock->input &&
	    c->sock->input->size > cfg->max_header_bytes &&
	    !memmem(c->sock->input->bytes, cfg->max_header_bytes, "\r\n\r\n", 4) &&
	    !memmem(c->sock->input->bytes, cfg->max_header_bytes, "\n\n", 2)) {
		shutdown(h2o_socket_get_fd(c->sock), SHUT_RDWR);
		c->killed = 1;
		return;
	}
	switch (c->phase) {
	case HTTP_PH_IDLE:
		/* no request begun: closed without an answer (a 408 here could meet a request the
		 * client is just sending, which it would then take for that request's answer) */
		if (!c->killed && now - c->since >= (uint64_t)cfg->idle_timeout_ms) {
			shutdown(h2o_socket_get_fd(c->sock), SHUT_RDWR);
			c->killed = 1;
		}
		break;
	case HTTP_PH_HEAD:
		if (now - c->since >= (uint64_t)cfg->header_timeout_ms) {
			snprintf(detail, sizeof detail, "the request line and headers did not arrive within %d ms",
			         cfg->header_timeout_ms);
			const char *m, *t;
			size_t ml, tl;
			http_reqline(c->sock->input ? c->sock->input->bytes : "",
			             c->sock->input ? c->sock->input->size : 0, &m, &ml, &t, &tl);
			http_conn_answer(c, 408, detail, NULL, m, ml, t, tl, NULL, 0);
		}
		break;
	case HTTP_PH_BODY: {
		size_t have = c->sock->input ? c->sock->input->size : 0;
		if (have != c->seen) {
			c->seen = have;
			c->progress_at = now;
		}
		int stalled = now - c->progress_at >= (uint64_t)cfg->idle_timeout_ms;
		if (stalled || now >= c->body_deadline) {
			if (stalled)
				snprintf(detail, sizeof detail, "no bytes of the request body came for %d ms",
				         cfg->idle_timeout_ms);
			else
				snprintf(detail, sizeof detail,
				         "the request body came slower than %d bytes a second (and %d ms to start)",
				         HTTP_MIN_BODY_RATE, cfg->idle_timeout_ms);
			const char *m, *t;
			size_t ml, tl;
			http_reqline(have ? c->sock->input->bytes : "", have, &m, &ml, &t, &tl);
			http_conn_answer(c, 408, detail, NULL, m, ml, t, tl, NULL, 0);
		}
		break;
	}
	case HTTP_PH_DONE:
		if (!c->killed && now - c->since >= HTTP_LINGER_MS) {
			shutdown(h2o_socket_get_fd(c->sock), SHUT_RDWR); /* h2o sees the end and closes */
			c->killed = 1;
		}
		break;
	case HTTP_PH_BUSY: break;
	}
}

/* Every HTTP_SWEEP_MS: the read timeouts, and (h2o 2.2 has no write timeout on HTTP/1: a
 * client that stops reading its answer would hold the connection) a connection whose pending
 * write has not moved for idle_timeout_ms gets its socket shut down; h2o then sees the write
 * fail and closes it. */
static void http_on_sweep(h2o_timeout_entry_t *entry)
{
	struct http_thread *th = H2O_STRUCT_FROM_MEMBER(struct http_thread, sweep_entry, entry);
	uint64_t now = h2o_now(th->loop);
	http_reserve_refill(th);
	http_starved_check(th, now);
	for (h2o_linklist_t *n = th->conns.next, *next; n != &th->conns; n = next) {
		next = n->next; /* (an answer here never closes the connection at once) */
		struct http_conn *c = H2O_STRUCT_FROM_MEMBER(struct http_conn, link, n);
		http_conn_timeouts(c, now);
		if (!h2o_socket_is_writing(c->sock)) {
			c->stalled_since = 0;
			continue;
		}
		/* Progress is what the peer acknowledged (h2o counts bytes when it queues them). */
		struct tcp_info ti;
		socklen_t tl = sizeof(ti);
		memset(&ti, 0, sizeof(ti));
		int fd = h2o_socket_get_fd(c->sock);
		int known = getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &tl) == 0 &&
		            tl >= offsetof(struct tcp_info, tcpi_bytes_acked) + sizeof(ti.tcpi_bytes_acked);
		if (!known || ti.tcpi_bytes_acked != c->last_acked) {
			c->stalled_since = 0;
			c->last_acked = known ? ti.tcpi_bytes_acked : 0;
			continue;
		}
		if (!c->stalled_since) {
			c->stalled_since = now;
		} else if (!c->killed && now - c->stalled_since >= (uint64_t)th->srv->cfg.idle_timeout_ms) {
			log_warn("closing connection from %s: it has not read its answer for %d ms", c->addr,
			         th->srv->cfg.idle_timeout_ms);
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
	th->reserve_fd = -1;
	http_reserve_refill(th);
	h2o_linklist_init_anchor(&th->conns);
	buf_init(&th->log, 1024 * 1024);
	randombytes_buf(&th->rng, sizeof(th->rng));
	th->loop = h2o_evloop_create();
	if (!th->loop)
		return kp_err_set(err, KP_ENOMEM, "cannot create an event loop");
	h2o_context_init(&th->ctx, th->loop, &srv->globalconf);
	th->accept_ctx.ctx = &th->ctx;
	th->accept_ctx.hosts = srv->globalconf.hosts;
	h2o_timeout_init(th->loop, &th->sweep_timeout, HTTP_SWEEP_MS);
	th->sweep_entry.cb = http_on_sweep;
	h2o_timeout_link(th->loop, &th->sweep_timeout, &th->sweep_entry);
	h2o_timeout_init(th->loop, &th->pause_timeout, 100);
	th->pause_entry.cb = http_on_pause_end;
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
	if (th->reserve_fd >= 0) {
		close(th->reserve_fd);
		th->reserve_fd = -1;
	}
	if (th->sweep_ready) {
		h2o_timeout_unlink(&th->sweep_entry);
		h2o_timeout_dispose(th->loop, &th->sweep_timeout);
		if (h2o_timeout_is_linked(&th->pause_entry))
			h2o_timeout_unlink(&th->pause_entry);
		h2o_timeout_dispose(th->loop, &th->pause_timeout);
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
	srv->null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (srv->null_fd < 0)
		return kp_err_set(err, KP_EUNAVAILABLE, "cannot open /dev/null: %s", strerror(errno));
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
	/* Never more connections, those answered 503 past the cap included, than files this
	 * process may open less what the store, the logs and the loops take (64, and 4 a
	 * thread: its epoll, queue pipe, listener and reserve descriptor): the cap is reached
	 * before accept() runs out (which is answered too, see http_accept_starved). The margin
	 * of connections answered 503 shrinks to a quarter of that room when it is small. */
	srv->refuse_margin = HTTP_REFUSE_MARGIN;
	struct rlimit nofile;
	srv->nofile = -1;
	if (getrlimit(RLIMIT_NOFILE, &nofile) == 0 && nofile.rlim_cur != RLIM_INFINITY) {
		srv->nofile = (long)nofile.rlim_cur;
		long room = (long)nofile.rlim_cur - 64 - 4L * srv->cfg.threads;
		if (room < 20)
			room = 20;
		if (srv->refuse_margin > room / 4)
			srv->refuse_margin = (int)(room / 4);
		if (srv->cfg.max_connections > room - srv->refuse_margin)
			srv->cfg.max_connections = (int)(room - srv->refuse_margin);
	}
	if (srv->cfg.trusted_proxies && http_proxies_parse(srv->cfg.trusted_proxies, srv->proxies, &srv->nproxies, err))
		return KP_EINVAL;
	if (srv->cfg.header_timeout_ms <= 0)
		srv->cfg.header_timeout_ms = HTTP_DEFAULT_TIMEOUT_MS;
	if (srv->cfg.idle_timeout_ms <= 0)
		srv->cfg.idle_timeout_ms = HTTP_DEFAULT_TIMEOUT_MS;
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
	/* A body over the limit is refused by its Content-Length before it is read (the guard;
	 * h2o too, for a pipelined request the guard did not see). */
	srv->globalconf.max_request_entity_size = srv->cfg.max_body;
	/* h2o times a request from the moment its connection went idle, however its bytes flow:
	 * the sweep keeps the read timeouts (idle, header block, body progress and rate), and
	 * h2o's is only a backstop past the longest of them. */
	srv->globalconf.http1.req_timeout = (uint64_t)srv->cfg.idle_timeout_ms * 2 +
	                                    (uint64_t)srv->cfg.header_timeout_ms +
	                                    (uint64_t)(srv->cfg.max_body / HTTP_MIN_BODY_RATE) * 1000 + 5000;
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
		char lim[64] = "";
		if (srv->nofile >= 0)
			snprintf(lim, sizeof lim, " (open-file limit %ld)", srv->nofile);
		log_info("at most %d connections, %d more answered 503%s; timeouts: header block %d ms, idle %d ms",
		         srv->cfg.max_connections, srv->refuse_margin, lim, srv->cfg.header_timeout_ms,
		         srv->cfg.idle_timeout_ms);
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
	if (srv->null_fd >= 0)
		close(srv->null_fd);
	free(srv);
	return rc;
}
