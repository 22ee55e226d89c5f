/*
 * dispatch: the request pipeline of the API (api.h): route matching, authentication,
 * roles, CSRF, problem responses, body parsing and the deferred write path with
 * Idempotency-Key support.
 *
 * Choices written down here:
 *   - "{id}" matches 1..19 decimal digits without a leading zero, value 1..INT64_MAX.
 *   - Credentials are only looked at on routes whose min_role is above ROLE_NONE; public
 *     routes ignore them. An Authorization header wins over the cookie; any scheme but
 *     Bearer is a 401.
 *   - Bearer tokens: last_used_at is refreshed by a small fire-and-forget store job when the
 *     stored value is more than a minute old, so authenticating stays read-only on the
 *     loop; a small in-memory table keeps a burst from queueing more than one touch a
 *     minute per token.
 *   - Authentication results are cached per loop thread (see "the authentication cache" in
 *     api.h): a hit needs the same auth generation as when the entry was read, so writes
 *     that revoke a token, change a staff member or end sessions (they call
 *     api_auth_changed()) take effect for every later request at once; the bump happens
 *     in write_job_done(), after the commit and before the answer. An entry is also
 *     dropped API_AUTH_CACHE_TTL_MS after it was read (changes made by other processes).
 *     The generation is read before the request's first query, so an entry filled from
 *     a snapshot older than a bump carries the older generation and never hits.
 *   - The reads of one request (authentication and a GET handler) run in one read
 *     transaction on the thread's reader (store_read_begin/end): one snapshot, and on
 *     SQLite one WAL read lock instead of one per statement. It always ends before
 *     api_handle() returns; writes (api_write) run on the writer, outside it.
 *   - A query string with a malformed %-escape, a %00 or invalid UTF-8 in any key or value
 *     is a 400 before the handler runs (a filter that cannot be read is not dropped).
 *   - Idempotency-Key is honoured on POST by signed-in callers (it is keyed by staff id);
 *     on public routes it is ignored. The fingerprint is a BLAKE2b hash of method, path,
 *     query and body, a JSON body as its value (keys sorted, no white space: a client that
 *     writes its retry out again, in another order or spacing, sends the same request); a key
 *     stored by a version before that, whose fingerprint hashed the body's bytes as sent,
 *     matches those bytes too, so a retry across an upgrade gets its first answer. A
 *     fast hash, so the routes whose body holds a password (sign-in,
 *     password change, staff create) or whose answer holds a secret (tokens) clear the key
 *     before api_write() and are not idempotent by key.
 */
#include "api/api.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/cursor.h"
#include "api/handlers.h"
#include "api/render.h"
#include "domain/auth.h"
#include "domain/protect.h"
#include "domain/validate.h"
#include "store/model.h"
#include "util/jsoncanon.h"
#include "util/log.h"
#include "util/timeutil.h"

#define API_RESP_MAX ((size_t)64 << 20) /* response bodies: generous, but capped */
#define API_DEFAULT_MAX_BODY ((size_t)1 << 20)
#define API_DEFAULT_MAX_DEPTH 32
#define API_DEFAULT_MAX_STRING ((size_t)64 << 10)
#define API_TOKEN_TOUCH_MS 60000
#define API_SECRET_MAX 200 /* longest cookie or bearer secret we bother hashing */

/* ---- responses ------------------------------------------------------------------------ */

static void body_reset(struct api_req *r)
{
	if (!r->resp.body.ptr || r->resp.body.max == 0)
		buf_init(&r->resp.body, API_RESP_MAX);
	else
		buf_reset(&r->resp.body);
}

void api_header(struct api_req *r, const char *name, const char *value)
{
	const char *v = r->arena ? arena_strdup(r->arena, value) : value;
	for (int i = 0; i < r->resp.nheaders; i++) {
		if (!strcasecmp(r->resp.headers[i].name, name)) {
			r->resp.headers[i].value = v;
			return;
		}
	}
	if (r->resp.nheaders >= API_MAX_RESP_HEADERS) {
		log_warn("request %s: response header %s dropped (too many headers)", r->request_id, name);
		return;
	}
	r->resp.headers[r->resp.nheaders++] = (struct api_header){ name, v };
}

static const char *resp_header(const struct api_req *r, const char *name)
{
	for (int i = 0; i < r->resp.nheaders; i++)
		if (!strcasecmp(r->resp.headers[i].name, name))
			return r->resp.headers[i].value;
	return NULL;
}

static int dump_to_buf(const char *s, size_t n, void *arg)
{
	return buf_add(arg, s, n) < 0 ? -1 : 0;
}

static void json_with(struct api_req *r, int status, json_t *j, size_t flags)
{
	body_reset(r);
	/* straight into the response body: no intermediate string to allocate and copy */
	if (!j || json_dump_callback(j, dump_to_buf, &r->resp.body, JSON_COMPACT | JSON_ENCODE_ANY | flags) != 0) {
		struct kp_err e = KP_ERR_INIT;
		kp_err_set(&e, KP_EINTERNAL, "could not render the response (%s)", j ? "too large" : "json");
		api_problem(r, &e);
		return;
	}
	r->resp.status = status;
	r->resp.content_type = NULL;
}

void api_json(struct api_req *r, int status, json_t *j)
{
	json_with(r, status, j, 0);
}

void api_resp_finish(struct api_req *r)
{
	if (!r->resp.content_type && r->resp.body.ptr && r->resp.body.len)
		r->resp.body.len = jsoncanon_shorten_reals(r->resp.body.ptr, r->resp.body.len);
}

void api_json_rounded(struct api_req *r, int status, json_t *j)
{
	/* 15 significant digits: a score rounded to 2.63 reads 2.63, not 2.6299999999999999 */
	json_with(r, status, j, JSON_REAL_PRECISION(15));
}

int api_http_status(int kp_status)
{
	switch (kp_status) {
	case KP_OK: return 200;
	case KP_EINVAL: return 400;
	case KP_EVALIDATION: return 422;
	case KP_EUNAUTH: return 401;
	case KP_EFORBIDDEN: return 403;
	case KP_ENOTFOUND: return 404;
	case KP_EMETHOD: return 405;
	case KP_ECONFLICT: return 409;
	case KP_EPRECONDITION: return 412;
	case KP_ETOOLARGE: return 413;
	case KP_EMEDIA: return 415;
	case KP_ERATE: return 429;
	case KP_EUNAVAILABLE: return 503;
	default: return 500;
	}
}

static const char *http_title(int status)
{
	switch (status) {
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 412: return "Precondition Failed";
	case 413: return "Content Too Large";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Content";
	case 429: return "Too Many Requests";
	case 503: return "Service Unavailable";
	default: return "Internal Server Error";
	}
}

void api_problem(struct api_req *r, const struct kp_err *err)
{
	int st = err && err->status < 0 ? err->status : KP_EINTERNAL;
	int http = api_http_status(st);
	const char *detail = err && err->msg[0] ? err->msg : http_title(http);
	char hidden[160];

	if (http == 500 || http == 503) {
		/* Never leak internals (SQL, paths, library messages) to the client. */
		log_error("request %s: %s %s -> %d %s: %s", r->request_id, r->method ? r->method : "-",
			  r->path ? r->path : "-", http, kp_status_name(st), err ? err->msg : "(no error)");
		snprintf(hidden, sizeof(hidden), "%s; the server log has details under request id %s",
			 http == 503 ? "The service is temporarily unavailable" : "An internal error occurred",
			 r->request_id);
		detail = hidden;
	}

	json_t *j = json_object();
	char type[96];
	snprintf(type, sizeof(type), "https://kumppani.dev/problems/%s", kp_status_name(st));
	json_object_set_new(j, "type", json_string(type));
	json_object_set_new(j, "title", json_string(http_title(http)));
	json_object_set_new(j, "status", json_integer(http));
	json_object_set_new(j, "detail", json_string(detail));
	if (r->path)
		json_object_set_new(j, "instance", json_string(r->path));
	json_object_set_new(j, "request_id", json_string(r->request_id));
	if (err && err->nfields > 0) {
		json_t *arr = json_array();
		for (int i = 0; i < err->nfields && i < KP_ERR_FIELDS_MAX; i++) {
			json_t *fe = json_object();
			json_object_set_new(fe, "field", json_string(err->fields[i].field));
			json_object_set_new(fe, "message", json_string(err->fields[i].msg));
			json_array_append_new(arr, fe);
		}
		json_object_set_new(j, "errors", arr);
	}

	body_reset(r);
	char *s = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	if (!s || buf_adds(&r->resp.body, s) < 0) {
		/* json_string() rejects invalid UTF-8; fall back to a fixed body. */
		buf_reset(&r->resp.body);
		buf_addf(&r->resp.body, "{\"type\":\"https://kumppani.dev/problems/%s\",\"status\":%d}",
			 kp_status_name(st), http);
	}
	free(s);
	r->resp.status = http;
	r->resp.content_type = "application/problem+json";
	if (http == 401)
		api_header(r, "WWW-Authenticate", "Bearer realm=\"kumppani\"");
	/* unavailable for a moment (a store down or busy, a full disk, a full queue): say when to
	 * come back, unless the caller already has */
	if (http == 503 && !resp_header(r, "Retry-After"))
		api_header(r, "Retry-After", "1");
}

int api_fail(struct api_req *r, int status, const char *fmt, ...)
{
	struct kp_err e = KP_ERR_INIT;
	e.status = status;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e.msg, sizeof(e.msg), fmt, ap);
	va_end(ap);
	api_problem(r, &e);
	return API_DONE;
}

void api_req_release(struct api_req *r)
{
	if (r->resp.body.ptr && r->resp.body.max)
		buf_release(&r->resp.body);
}

/* ---- query and path parameters ---------------------------------------------------------- */

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Is p[0..n) valid UTF-8 (no overlongs, no surrogates, at most U+10FFFF)? 1 or 0. */
static int utf8_valid(const unsigned char *p, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned c = p[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		size_t len;
		unsigned lo = 0x80, hi = 0xBF;
		if (c >= 0xC2 && c <= 0xDF)
			len = 2;
		else if (c >= 0xE0 && c <= 0xEF) {
			len = 3;
			if (c == 0xE0)
				lo = 0xA0;
			else if (c == 0xED)
				hi = 0x9F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			len = 4;
			if (c == 0xF0)
				lo = 0x90;
			else if (c == 0xF4)
				hi = 0x8F;
		} else
			return 0;
		if (n - i < len)
			return 0;
		if (p[i + 1] < lo || p[i + 1] > hi)
			return 0;
		for (size_t k = 2; k < len; k++)
			if (p[i + k] < 0x80 || p[i + k] > 0xBF)
				return 0;
		i += len;
	}
	return 1;
}

/* Decode s[0..n) (%XX and '+') into the arena; NULL when malformed. */
static char *query_decode(struct arena *a, const char *s, size_t n)
{
	char *out = arena_alloc(a, n + 1);
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '+') {
			out[o++] = ' ';
		} else if (s[i] == '%') {
			if (n - i < 3)
				return NULL;
			int h = hexval((unsigned char)s[i + 1]), l = hexval((unsigned char)s[i + 2]);
			if (h < 0 || l < 0 || (h == 0 && l == 0))
				return NULL;
			out[o++] = (char)(h * 16 + l);
			i += 2;
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
	if (!utf8_valid((const unsigned char *)out, o))
		return NULL;
	return out;
}

/* One key=value pair of a query string, raw (undecoded). */
struct query_param {
	const char *key, *val; /* val NULL: the key has no "=" */
	size_t klen, vlen;
};

/* The next non-empty pair from *cursor (advanced past it): 1, or 0 at the end. */
static int query_next(const char **cursor, struct query_param *p)
{
	const char *q = *cursor;
	while (q && *q) {
		const char *amp = strchr(q, '&');
		size_t plen = amp ? (size_t)(amp - q) : strlen(q);
		const char *eq = memchr(q, '=', plen);
		*cursor = amp ? amp + 1 : q + plen;
		if (plen > 0) {
			p->key = q;
			p->klen = eq ? (size_t)(eq - q) : plen;
			p->val = eq ? eq + 1 : NULL;
			p->vlen = eq ? plen - p->klen - 1 : 0;
			return 1;
		}
		q = *cursor;
	}
	return 0;
}

static const char *query_start(const struct api_req *r)
{
	const char *q = r->query;
	return q && *q == '?' ? q + 1 : q;
}

const char *api_query(struct api_req *r, const char *name)
{
	if (!name)
		return NULL;
	const char *cur = query_start(r);
	struct query_param p;
	while (query_next(&cur, &p)) {
		char *key = query_decode(r->arena, p.key, p.klen);
		if (key && !strcmp(key, name)) /* the first occurrence decides */
			return p.val ? query_decode(r->arena, p.val, p.vlen) : arena_strdup(r->arena, "");
	}
	return NULL;
}

static int cmp_param(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

void api_scope_param(struct api_req *r, const char *name, const char *value)
{
	for (int i = 0; i < r->nscope; i++)
		if (!strcmp(r->scope[i].name, name)) {
			r->scope[i].value = arena_strdup(r->arena, value ? value : "");
			return;
		}
	if (r->nscope == API_SCOPE_MAX)
		return; /* the literal value stays in the scope: stricter, never looser */
	r->scope[r->nscope].name = arena_strdup(r->arena, name);
	r->scope[r->nscope++].value = arena_strdup(r->arena, value ? value : "");
}

/* Is name a parameter whose effective value api_scope_param() recorded? */
static int scope_recorded(const struct api_req *r, const char *name)
{
	for (int i = 0; i < r->nscope; i++)
		if (!strcmp(r->scope[i].name, name))
			return 1;
	return 0;
}

/* Append "key=value" (arena) to the growing array *kv of *n, capacity *cap. */
static void scope_add(struct arena *a, const char ***kv, size_t *n, size_t *cap, const char *key, const char *val)
{
	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;
		const char **nkv = arena_alloc(a, ncap * sizeof *nkv);
		if (*n)
			memcpy(nkv, *kv, *n * sizeof **kv);
		*kv = nkv;
		*cap = ncap;
	}
	(*kv)[(*n)++] = arena_printf(a, "%s=%s", key, val ? val : "");
}

uint64_t api_list_scope(struct api_req *r)
{
	/* the parameters decoded, "key=value", sorted (the order in a URL says nothing), and
	 * hashed after the path; cursor and limit stay out: they move within one list. A
	 * parameter whose effective value the handler recorded (api_scope_param: a default
	 * filled in, a time or a name in its normal form) counts by that value, given or not:
	 * "?sort=id" is the list without a sort, "?unacknowledged=0" the list without it */
	const char *cur = query_start(r);
	struct query_param p;
	size_t n = 0, cap = 0;
	const char **kv = NULL;
	for (int i = 0; i < r->nscope; i++)
		scope_add(r->arena, &kv, &n, &cap, r->scope[i].name, r->scope[i].value);
	while (query_next(&cur, &p)) {
		char *key = query_decode(r->arena, p.key, p.klen);
		if (!key || !strcmp(key, "cursor") || !strcmp(key, "limit") || scope_recorded(r, key))
			continue;
		scope_add(r->arena, &kv, &n, &cap, key, p.val ? query_decode(r->arena, p.val, p.vlen) : "");
	}
	if (n)
		qsort(kv, n, sizeof *kv, cmp_param);
	struct buf b = BUF_INIT(64 * 1024);
	buf_adds(&b, r->path ? r->path : "");
	for (size_t i = 0; i < n; i++) {
		buf_addc(&b, '\x1f');
		buf_adds(&b, kv[i]);
	}
	uint64_t h = api_cursor_hash(b.ptr ? b.ptr : "", b.len);
	buf_release(&b);
	return h;
}

/* The KEY of a decoded parameter name "name[KEY]" (KEY non-empty, without brackets), or NULL. */
static const char *deep_key(const char *param, const char *name, size_t namelen)
{
	size_t n = strlen(param);
	if (n < namelen + 3 || strncmp(param, name, namelen) != 0 || param[namelen] != '[' || param[n - 1] != ']')
		return NULL;
	for (size_t i = namelen + 1; i < n - 1; i++)
		if (param[i] == '[' || param[i] == ']')
			return NULL;
	return param + namelen + 1;
}

size_t api_query_deep(struct api_req *r, const char *name, const char **keys, const char **values, size_t cap)
{
	const char *cur = query_start(r);
	struct query_param p;
	size_t n = 0, namelen = strlen(name);
	while (query_next(&cur, &p)) {
		char *key = query_decode(r->arena, p.key, p.klen);
		const char *k = key ? deep_key(key, name, namelen) : NULL;
		if (!k)
			continue;
		if (n < cap) {
			keys[n] = arena_strndup(r->arena, k, strlen(k) - 1);
			values[n] = p.val ? query_decode(r->arena, p.val, p.vlen) : NULL;
		}
		n++;
	}
	return n;
}

/* NULL if every key and value of the query decodes (no malformed %-escape, no %00, valid
 * UTF-8), else the first bad parameter's raw text (arena; at most 64 bytes of it). */
static const char *query_malformed(struct api_req *r)
{
	const char *cur = query_start(r);
	struct query_param p;
	while (query_next(&cur, &p))
		if (!query_decode(r->arena, p.key, p.klen) || (p.val && !query_decode(r->arena, p.val, p.vlen))) {
			size_t n = p.val ? p.klen + 1 + p.vlen : p.klen;
			return arena_strndup(r->arena, p.key, n > 64 ? 64 : n);
		}
	return NULL;
}

/* The first query parameter of r that is not in known (NULL-terminated), decoded, at most 64
 * bytes (arena); NULL when all are known or known is NULL (no list to check against). */
static const char *query_unknown(struct api_req *r, const char *const *known, int *repeated)
{
	*repeated = 0;
	if (!known)
		return NULL;
	/* which known ones were given: a second "?tag=vip&tag=gold" is refused, not ignored (one
	 * of them would be dropped, and "?tag=vip&tag=nonexistent" list every vip) */
	unsigned char seen[64] = {0};
	const char *cur = query_start(r);
	struct query_param p;
	while (query_next(&cur, &p)) {
		char *key = query_decode(r->arena, p.key, p.klen);
		if (!key || (!*key && !p.val))
			continue; /* "?" or "&&": nothing asked */
		int ok = 0, deep = 0;
		size_t k;
		for (k = 0; known[k] && !ok; k++) {
			/* "custom[]": a deepObject parameter, "custom[tier]" (its handler refuses a
			 * repeated key) */
			size_t kl = strlen(known[k]);
			deep = kl > 2 && !strcmp(known[k] + kl - 2, "[]");
			ok = deep ? deep_key(key, known[k], kl - 2) != NULL : !strcmp(known[k], key);
		}
		if (ok && !deep && k - 1 < sizeof seen && seen[k - 1]++) {
			*repeated = 1;
			return key;
		}
		if (!ok) {
			/* at most 64 bytes, cut on a character (the problem's detail must stay UTF-8) */
			size_t n = strlen(key);
			if (n > 64) {
				n = 64;
				while (n > 0 && ((unsigned char)key[n] & 0xC0) == 0x80)
					n--;
			}
			return n < strlen(key) ? arena_strndup(r->arena, key, n) : key;
		}
	}
	return NULL;
}

/* The first query parameter of r (decoded, arena; at most 64 bytes) whose value holds a
 * control character, or NULL. One rule for every parameter: no filter or search matches
 * them (names, tags, e-mails and search text refuse them as record fields do), so they are
 * refused, not looked for. A custom[KEY] value may hold a tab or a line break, as a text
 * field's stored value may. */
static const char *query_control(struct api_req *r)
{
	const char *cur = query_start(r);
	struct query_param p;
	while (query_next(&cur, &p)) {
		char *key = query_decode(r->arena, p.key, p.klen);
		const char *val = p.val ? query_decode(r->arena, p.val, p.vlen) : NULL;
		if (key && val && validate_has_control(val, deep_key(key, "custom", 6) ? "\t\r\n" : NULL))
			return strlen(key) > 64 ? arena_strndup(r->arena, key, 64) : key;
	}
	return NULL;
}

/* Render a 400 for query parameter name: detail, and errors[] naming it with msg. */
static int query_fail(struct api_req *r, const char *name, const char *detail, const char *msg)
{
	struct kp_err err = KP_ERR_INIT;
	kp_err_set(&err, KP_EINVAL, "%s", detail);
	kp_err_field(&err, name, "%s", msg);
	return api_fail_err(r, &err);
}

/* "a, b, custom[KEY]": the names of known (arena; "" for none). */
static const char *query_known_list(struct api_req *r, const char *const *known)
{
	if (!known || !known[0])
		return "";
	size_t len = 1;
	for (size_t k = 0; known[k]; k++)
		len += strlen(known[k]) + 2 + 3;
	char *out = arena_alloc(r->arena, len), *o = out;
	for (size_t k = 0; known[k]; k++) {
		size_t kl = strlen(known[k]);
		int deep = kl > 2 && !strcmp(known[k] + kl - 2, "[]"); /* a deepObject: "custom[]" */
		o += sprintf(o, "%s%.*s%s", k ? ", " : "", (int)(deep ? kl - 1 : kl), known[k], deep ? "KEY]" : "");
	}
	*o = '\0';
	return out;
}

/* A positive int64 in canonical decimal; 0 if not. */
static int64_t parse_id(const char *s, size_t n)
{
	if (n == 0 || n > 19 || s[0] == '0')
		return 0;
	uint64_t v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v > (uint64_t)INT64_MAX)
		return 0;
	return (int64_t)v;
}

int64_t api_param_id(struct api_req *r, int i)
{
	if (i < 0 || i >= r->nparams || !r->params[i])
		return 0;
	return parse_id(r->params[i], strlen(r->params[i]));
}

/* ---- routing ------------------------------------------------------------------------------ */

/* Does path match pattern? Fills params (arena copies) when it does. One pass over both
 * strings, no strchr/strlen per segment: a pattern fails at its first differing byte,
 * which for most of the ~60 routes is within the first segment or two. A "{id}" segment
 * (the whole segment between slashes) takes the path's whole segment if parse_id accepts it;
 * every other byte, the slashes included, must be equal, and both strings must end
 * together. */
static int route_match(const char *pattern, const char *path, struct arena *a, const char **params, int *nparams)
{
	int np = 0;
	const char *p = pattern, *s = path;
	for (;;) {
		if (p[0] == '{' && p > pattern && p[-1] == '/' && !memcmp(p, "{id}", 4) && (p[4] == '/' || !p[4])) {
			size_t sl = 0;
			while (s[sl] && s[sl] != '/')
				sl++;
			if (!parse_id(s, sl) || np >= 4)
				return 0;
			if (params)
				params[np] = arena_strndup(a, s, sl);
			np++;
			p += 4;
			s += sl;
			continue;
		}
		if (*p != *s)
			return 0;
		if (!*p)
			break;
		p++;
		s++;
	}
	if (nparams)
		*nparams = np;
	return 1;
}

const struct api_route *api_route_for(const char *method, const char *path)
{
	for (size_t i = 0; method && path && i < api_nroutes; i++) {
		const struct api_route *rt = &api_routes[i];
		int np = 0;
		/* HEAD is GET without the body (RFC 9110 9.3.2; h2o leaves the body out) */
		if (route_match(rt->pattern, path, NULL, NULL, &np) &&
		    (!strcmp(rt->method, method) || (!strcmp(method, "HEAD") && !strcmp(rt->method, "GET"))))
			return rt;
	}
	return NULL;
}

/* ---- authentication ------------------------------------------------------------------------ */

struct touch_job {
	struct store_job job;
	int64_t token_id, at;
};

static int touch_run(struct store_conn *c, void *arg, struct kp_err *err)
{
	struct touch_job *t = arg;
	return store_token_touch(c, t->token_id, t->at, err);
}

static void touch_done(void *arg, int rc, const struct kp_err *err)
{
	if (rc != 0)
		log_warn("token %" PRId64 ": could not record last use: %s", ((struct touch_job *)arg)->token_id,
			 err ? err->msg : "");
	free(arg);
}

/* Recently queued touches, so that a burst of requests with one token queues one touch
 * even before the first has been committed (a slot per token id modulo the table). */
#define TOUCH_SLOTS 256
static struct {
	int64_t token_id, at;
} touch_recent[TOUCH_SLOTS];
static pthread_mutex_t touch_lock = PTHREAD_MUTEX_INITIALIZER;

static int touch_claim(int64_t token_id, int64_t now)
{
	int claimed = 0;
	size_t i = (size_t)((uint64_t)token_id % TOUCH_SLOTS);
	pthread_mutex_lock(&touch_lock);
	if (touch_recent[i].token_id != token_id || now - touch_recent[i].at >= API_TOKEN_TOUCH_MS) {
		touch_recent[i].token_id = token_id;
		touch_recent[i].at = now;
		claimed = 1;
	}
	pthread_mutex_unlock(&touch_lock);
	return claimed;
}

static void token_touch_later(struct store *s, int64_t token_id, int64_t now)
{
	if (!touch_claim(token_id, now))
		return;
	struct touch_job *t = calloc(1, sizeof(*t));
	if (!t)
		return;
	t->token_id = token_id;
	t->at = now;
	t->job.run = touch_run;
	t->job.done = touch_done;
	t->job.arg = t;
	if (store_submit(s, &t->job) != 0)
		free(t);
}

/* The value of cookie `name` in a Cookie header, copied to the arena; NULL if absent. */
static const char *cookie_value(struct arena *a, const char *cookie, const char *name)
{
	size_t nl = strlen(name);
	const char *p = cookie;
	while (p && *p) {
		while (*p == ' ' || *p == ';')
			p++;
		const char *end = strchr(p, ';');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len > nl && p[nl] == '=' && !memcmp(p, name, nl)) {
			size_t vl = len - nl - 1;
			while (vl && p[nl + 1 + vl - 1] == ' ')
				vl--;
			return arena_strndup(a, p + nl + 1, vl);
		}
		p = end;
	}
	return NULL;
}

static int is_state_changing(const char *m)
{
	return !strcmp(m, "POST") || !strcmp(m, "PATCH") || !strcmp(m, "PUT") || !strcmp(m, "DELETE");
}

/* ---- the authentication cache (api.h) ---- */

#define AUTH_CACHE_SLOTS 64  /* per loop thread, direct-mapped by credential hash */
#define AUTH_CACHE_STR_MAX 1024 /* e-mail + name + team + CSRF token; longer: not cached */

static atomic_uint_fast64_t auth_gen = 1;

uint64_t api_auth_generation(void)
{
	return atomic_load_explicit(&auth_gen, memory_order_acquire);
}

void api_auth_invalidate(void)
{
	atomic_fetch_add_explicit(&auth_gen, 1, memory_order_acq_rel);
}

void api_auth_changed(struct api_req *r)
{
	r->auth_changed = 1;
}

struct auth_ent {
	int via; /* API_AUTH_TOKEN / API_AUTH_COOKIE; 0 = empty */
	uint64_t gen;
	int64_t read_at;    /* when the entry was read from the store (ms) */
	char hash[AUTH_HASH_SIZE];
	int64_t staff_id, token_id;
	int role, must_change_pw;
	int64_t last_used_at; /* tokens: the stored last use, or when we last queued a touch */
	int64_t expires_at;   /* sessions */
	const char *email, *name, *team, *csrf; /* into strs */
	char strs[AUTH_CACHE_STR_MAX];
};

static pthread_key_t auth_cache_key;
static pthread_once_t auth_cache_once = PTHREAD_ONCE_INIT;

static void auth_cache_key_init(void)
{
	if (pthread_key_create(&auth_cache_key, free) != 0)
		log_warn("authentication cache disabled: no thread key");
}

/* The calling thread's cache (NULL when it cannot be had: then nothing is cached). */
static struct auth_ent *auth_cache(void)
{
	pthread_once(&auth_cache_once, auth_cache_key_init);
	struct auth_ent *c = pthread_getspecific(auth_cache_key);
	if (!c) {
		c = calloc(AUTH_CACHE_SLOTS, sizeof(*c));
		if (c && pthread_setspecific(auth_cache_key, c) != 0) {
			free(c);
			c = NULL;
		}
	}
	return c;
}

static struct auth_ent *auth_slot(const char *hash)
{
	struct auth_ent *c = auth_cache();
	if (!c)
		return NULL;
	/* the hash is hex of a cryptographic hash: its first digits are uniform */
	unsigned h = 0;
	for (int i = 0; i < 4 && hash[i]; i++)
		h = h * 16 + (unsigned)(hash[i] <= '9' ? hash[i] - '0' : (hash[i] | 0x20) - 'a' + 10);
	return &c[h % AUTH_CACHE_SLOTS];
}

/* A usable entry for (via, hash) read under generation gen, or NULL. */
static struct auth_ent *auth_cache_get(int via, const char *hash, uint64_t gen, int64_t now)
{
	struct auth_ent *e = auth_slot(hash);
	if (!e || e->via != via || e->gen != gen || now - e->read_at >= API_AUTH_CACHE_TTL_MS || now < e->read_at ||
	    strcmp(e->hash, hash) != 0)
		return NULL;
	if (via == API_AUTH_COOKIE && e->expires_at <= now)
		return NULL;
	return e;
}

static const char *ent_str(char **p, char *end, const char *s)
{
	if (!s)
		return NULL;
	size_t n = strlen(s) + 1;
	if (!*p || (size_t)(end - *p) < n) {
		*p = NULL;
		return NULL;
	}
	char *d = memcpy(*p, s, n);
	*p += n;
	return d;
}

/* Remember r->who (just read under generation gen at read_at) for this credential. */
static void auth_cache_put(const struct api_req *r, const char *hash, uint64_t gen, int64_t read_at,
			   int64_t last_used_at, int64_t expires_at, const char *csrf)
{
	struct auth_ent *e = auth_slot(hash);
	if (!e)
		return;
	e->via = 0;
	char *p = e->strs, *end = e->strs + sizeof(e->strs);
	e->email = ent_str(&p, end, r->who.email);
	e->name = ent_str(&p, end, r->who.name);
	e->team = ent_str(&p, end, r->who.team);
	e->csrf = ent_str(&p, end, csrf);
	if (!p)
		return; /* too long to cache: stays empty */
	memcpy(e->hash, hash, AUTH_HASH_SIZE);
	e->gen = gen;
	e->read_at = read_at;
	e->staff_id = r->who.staff_id;
	e->token_id = r->who.token_id;
	e->role = r->who.role;
	e->must_change_pw = r->who.must_change_pw;
	e->last_used_at = last_used_at;
	e->expires_at = expires_at;
	e->via = r->who.via;
}

static void auth_from_cache(struct api_req *r, const struct auth_ent *e)
{
	r->who.staff_id = e->staff_id;
	r->who.role = e->role;
	r->who.must_change_pw = e->must_change_pw;
	r->who.email = e->email ? arena_strdup(r->arena, e->email) : NULL;
	r->who.name = e->name ? arena_strdup(r->arena, e->name) : NULL;
	r->who.team = e->team ? arena_strdup(r->arena, e->team) : NULL;
	r->who.via = e->via;
	r->who.token_id = e->via == API_AUTH_TOKEN ? e->token_id : 0;
}

static int load_staff(struct api_req *r, struct store_conn *c, int64_t staff_id, struct kp_err *err)
{
	struct staff st;
	int rc = store_staff_get(c, staff_id, &st, r->arena, err);
	if (rc == KP_ENOTFOUND || (rc == 0 && !st.active)) {
		kp_err_init(err);
		return kp_err_set(err, KP_EUNAUTH, "the account is not active");
	}
	if (rc != 0)
		return rc;
	r->who.staff_id = st.id;
	/* A role this program does not know (a hand-edited database or backup) grants nothing:
	 * the checks compare roles by rank, so 9 would rank above admin. */
	r->who.role = st.role >= ROLE_AGENT && st.role <= ROLE_ADMIN ? st.role : ROLE_NONE;
	r->who.must_change_pw = st.must_change_pw;
	r->who.email = st.email;
	r->who.name = st.name;
	r->who.team = st.team;
	return 0;
}

/* The reader for an authentication that missed the cache (NULL + err when there is none). */
static struct store_conn *auth_reader(struct api_req *r, struct kp_err *err)
{
	struct store_conn *c = NULL;
	if (!r->srv || !r->srv->store)
		kp_err_set(err, KP_EUNAVAILABLE, "no store");
	else if (!(c = store_reader(r->srv->store, err)) && !err->status)
		kp_err_set(err, KP_EUNAVAILABLE, "no reader connection");
	return c;
}

static int auth_bearer(struct api_req *r, const char *token, uint64_t gen, struct kp_err *err)
{
	size_t n = strlen(token);
	if (n < 4 || n > API_SECRET_MAX || strncmp(token, "kp_", 3) != 0)
		return kp_err_set(err, KP_EUNAUTH, "invalid or revoked API token");
	char hash[AUTH_HASH_SIZE];
	domain_auth_token_hash(token, hash);
	int64_t now = time_now_ms();
	struct auth_ent *e = auth_cache_get(API_AUTH_TOKEN, hash, gen, now);
	if (e) {
		auth_from_cache(r, e);
		if (now - e->last_used_at >= API_TOKEN_TOUCH_MS && r->srv && r->srv->store) {
			e->last_used_at = now;
			token_touch_later(r->srv->store, e->token_id, now);
		}
		return 0;
	}
	struct store_conn *c = auth_reader(r, err);
	if (!c)
		return err->status;
	struct api_token t;
	int rc = store_token_get_by_hash(c, hash, &t, r->arena, err);
	if (rc == KP_ENOTFOUND || (rc == 0 && t.revoked_at != 0)) {
		kp_err_init(err);
		return kp_err_set(err, KP_EUNAUTH, "invalid or revoked API token");
	}
	if (rc != 0)
		return rc;
	if ((rc = load_staff(r, c, t.staff_id, err)) != 0)
		return rc;
	r->who.via = API_AUTH_TOKEN;
	r->who.token_id = t.id;
	int64_t last_used = t.last_used_at;
	if (now - t.last_used_at >= API_TOKEN_TOUCH_MS && r->srv && r->srv->store) {
		token_touch_later(r->srv->store, t.id, now);
		last_used = now;
	}
	auth_cache_put(r, hash, gen, now, last_used, 0, NULL);
	return 0;
}

static int auth_cookie(struct api_req *r, const char *secret, uint64_t gen, struct kp_err *err)
{
	if (strlen(secret) > API_SECRET_MAX || !*secret)
		return kp_err_set(err, KP_EUNAUTH, "the session has expired or was signed out");
	char hash[AUTH_HASH_SIZE];
	domain_auth_session_hash(secret, hash);
	int64_t now = time_now_ms();
	const char *csrf;
	struct auth_ent *e = auth_cache_get(API_AUTH_COOKIE, hash, gen, now);
	if (e) {
		auth_from_cache(r, e);
		csrf = e->csrf;
	} else {
		struct store_conn *c = auth_reader(r, err);
		if (!c)
			return err->status;
		struct session se;
		int rc = store_session_get(c, hash, &se, r->arena, err);
		if (rc == KP_ENOTFOUND || (rc == 0 && se.expires_at <= now)) {
			kp_err_init(err);
			return kp_err_set(err, KP_EUNAUTH, "the session has expired or was signed out");
		}
		if (rc != 0)
			return rc;
		if ((rc = load_staff(r, c, se.staff_id, err)) != 0)
			return rc;
		r->who.via = API_AUTH_COOKIE;
		auth_cache_put(r, hash, gen, now, 0, se.expires_at, se.csrf);
		csrf = se.csrf;
	}
	r->who.via = API_AUTH_COOKIE;
	r->who.session_hash = arena_strdup(r->arena, hash);
	if (is_state_changing(r->method)) {
		const char *got = r->csrf_token;
		size_t gl = got ? strlen(got) : 0, el = csrf ? strlen(csrf) : 0;
		if (!got || !csrf || gl != el || sodium_memcmp(got, csrf, el) != 0)
			return kp_err_set(err, KP_EFORBIDDEN, "missing or wrong X-CSRF-Token header");
	}
	return 0;
}

/* Fill r->who from the request's credentials. KP_EUNAUTH when there are none or they do
 * not hold; KP_EFORBIDDEN on a CSRF failure; store errors as they come. gen: the auth
 * generation read before the request's first query. */
static int authenticate(struct api_req *r, uint64_t gen, struct kp_err *err)
{
	const char *secret = NULL;
	int bearer = 0;
	if (r->authorization) {
		const char *a = r->authorization;
		if (strncasecmp(a, "Bearer ", 7) != 0)
			return kp_err_set(err, KP_EUNAUTH, "unsupported Authorization scheme; use Bearer");
		a += 7;
		while (*a == ' ' || *a == '\t')
			a++;
		size_t n = strlen(a); /* optional white space ends a header value (RFC 9110 5.5) */
		while (n && (a[n - 1] == ' ' || a[n - 1] == '\t'))
			n--;
		secret = arena_strndup(r->arena, a, n);
		bearer = 1;
	} else if (r->cookie) {
		secret = cookie_value(r->arena, r->cookie, AUTH_COOKIE_NAME);
	}
	if (!secret)
		return kp_err_set(err, KP_EUNAUTH, "sign in or send an API token");
	return bearer ? auth_bearer(r, secret, gen, err) : auth_cookie(r, secret, gen, err);
}

/* The request's read transaction on the thread's reader: the connection when one was
 * begun (end it with read_end), NULL when there is none (no store, or begin failed: the
 * reads then run one statement at a time, as they would without it). */
static struct store_conn *read_begin(struct api_req *r)
{
	struct kp_err err = KP_ERR_INIT;
	if (!r->srv || !r->srv->store)
		return NULL;
	struct store_conn *c = store_read_snapshot(r->srv->store, &err);
	if (!c && err.status) /* no connection: authentication reports it */
		log_warn("request %s: no read transaction: %s", r->request_id, err.msg);
	return c;
}

void api_thread_idle(struct api_server *srv)
{
	if (srv && srv->store)
		store_read_release(srv->store);
}

static void read_end(struct store_conn **c)
{
	if (*c) {
		store_read_end(*c);
		*c = NULL;
	}
}

static int is_read_method(const char *m)
{
	return !strcmp(m, "GET") || !strcmp(m, "HEAD");
}

/* ---- the entry point -------------------------------------------------------------------------- */

/* What a session signed in with the one-time password printed at first start may do
 * (struct staff.must_change_pw): read itself, sign out, change the password. A bearer token
 * is no password: whoever made one with `kumppani token create` holds the server anyway. */
static api_handler_fn *const open_before_pw_change_handlers[] = {
    api_session_get,
    api_session_delete,
    api_session_password,
};

static int open_before_pw_change(const struct api_route *route)
{
	for (size_t i = 0; i < sizeof open_before_pw_change_handlers / sizeof *open_before_pw_change_handlers; i++)
		if (route->handler == open_before_pw_change_handlers[i])
			return 1;
	return 0;
}

static void resp_reset(struct api_req *r)
{
	r->resp.status = 0;
	r->resp.content_type = NULL;
	r->resp.nheaders = 0;
	body_reset(r);
	r->route = NULL;
	r->nparams = 0;
	memset(&r->who, 0, sizeof(r->who));
	r->who.role = ROLE_NONE;
}

/* gate() has answered: the problem api_fail() or query_fail() rendered is in r->resp. */
static int refuse(int api_result)
{
	(void)api_result;
	return 1;
}

/* What is decided before the handler, from the request line and headers alone: the route
 * (404 / 405 with Allow), the query parameters (400), the credentials (401), the role, the
 * CSRF token and a one-time password still to change (403). API_DONE with the problem in
 * r->resp, or 0 with r->route and r->who set; *rconn is then the request's read transaction
 * (or NULL), which the caller ends with read_end(). */
static int gate(struct api_req *r, struct store_conn **rconn)
{
	struct kp_err err = KP_ERR_INIT;
	*rconn = NULL;
	if (!r->method || !r->path)
		return refuse(api_fail(r, KP_EINVAL, "malformed request line"));

	const struct api_route *route = api_route_for(r->method, r->path);
	char allow[64] = "";
	size_t allow_len = 0;
	for (size_t i = 0; i < api_nroutes && !route; i++) {
		const struct api_route *rt = &api_routes[i];
		int np = 0;
		if (!route_match(rt->pattern, r->path, NULL, NULL, &np))
			continue;
		if (!strstr(allow, rt->method)) {
			int w = snprintf(allow + allow_len, sizeof(allow) - allow_len, "%s%s%s", allow_len ? ", " : "",
					 rt->method, strcmp(rt->method, "GET") ? "" : ", HEAD");
			if (w > 0 && (size_t)w < sizeof(allow) - allow_len)
				allow_len += (size_t)w;
		}
	}
	if (!route) {
		if (allow_len) {
			api_header(r, "Allow", allow);
			return refuse(api_fail(r, KP_EMETHOD, "%s is not allowed here; allowed: %s", r->method, allow));
		}
		return refuse(api_fail(r, KP_ENOTFOUND, "no such resource"));
	}
	r->route = route;
	route_match(route->pattern, r->path, r->arena, r->params, &r->nparams);
	/* a filter that cannot be read must not be dropped: "?q=Nul%00" would list everyone */
	const char *badq = query_malformed(r);
	if (badq)
		return refuse(api_fail(
		    r, KP_EINVAL, "a query parameter is malformed (a bad %%-escape, %%00 or invalid UTF-8): %s", badq));
	/* nor may a misspelt one ("?organisation_id=3", "?tags=vip" would list everyone) */
	int repeated;
	const char *unknown = query_unknown(r, api_openapi_query_params(route), &repeated);
	if (unknown && repeated)
		return refuse(query_fail(
		    r, unknown, arena_printf(r->arena, "query parameter '%s' is given more than once", unknown),
		    "is given more than once"));
	if (unknown) {
		const char *known = query_known_list(r, api_openapi_query_params(route));
		return refuse(query_fail(
		    r, unknown,
		    arena_printf(r->arena, "unknown query parameter '%s'%s%s", unknown,
		                 *known ? "; this resource takes: " : "", known),
		    *known ? arena_printf(r->arena, "is not a parameter of this resource (it takes %s)", known)
		           : "is not a parameter of this resource (it takes none)"));
	}
	const char *ctl = query_control(r);
	if (ctl)
		return refuse(query_fail(r, ctl, arena_printf(r->arena, "invalid query parameter %s", ctl),
		                         "must not contain control characters"));

	/* Authentication and a read handler share one read transaction (see the top). Every
	 * path below that answers ends it before returning. */
	if (route->min_role > ROLE_NONE) {
		uint64_t gen = api_auth_generation(); /* before the request's first query */
		*rconn = read_begin(r);
		int rc = authenticate(r, gen, &err);
		if (rc != 0) {
			read_end(rconn);
			memset(&r->who, 0, sizeof(r->who));
			err.status = rc;
			api_problem(r, &err);
			return 1;
		}
		if (r->who.role < route->min_role) {
			read_end(rconn);
			return refuse(api_fail(r, KP_EFORBIDDEN, "this needs the %s role",
			                       route->min_role >= ROLE_ADMIN     ? "admin"
			                       : route->min_role >= ROLE_MANAGER ? "manager"
			                                                         : "agent"));
		}
		if (r->who.via == API_AUTH_COOKIE && r->who.must_change_pw && !open_before_pw_change(route)) {
			read_end(rconn);
			return refuse(api_fail(r, KP_EFORBIDDEN,
			                       "the one-time password must be changed first: POST"
			                       " /api/v1/session/password"));
		}
		if (!is_read_method(r->method))
			read_end(rconn);
	}
	return 0;
}

int api_handle(struct api_req *r)
{
	resp_reset(r);
	struct store_conn *rconn;
	if (gate(r, &rconn))
		return API_DONE;
	int res = r->route->handler(r);
	read_end(&rconn);
	if (res == API_DONE && r->resp.status == 0)
		r->resp.status = r->resp.body.len ? 200 : 204;
	return res;
}

static int content_type_json(const char *ct);

int api_precheck(struct api_req *r)
{
	resp_reset(r);
	struct store_conn *rconn;
	int refused = gate(r, &rconn);
	read_end(&rconn);
	/* every request body the api reads is a JSON object (api_body_object(), api_body_empty()),
	 * and every POST, PUT and PATCH reads one */
	if (!refused && (r->body_len || r->content_type) && !content_type_json(r->content_type) &&
	    (!strcmp(r->method, "POST") || !strcmp(r->method, "PUT") || !strcmp(r->method, "PATCH"))) {
		api_fail(r, KP_EMEDIA, "Content-Type must be application/json");
		refused = 1;
	}
	if (!refused)
		resp_reset(r);
	return refused;
}

/* ---- request bodies ------------------------------------------------------------------------------ */

/* Is the Content-Type application/json (optionally with charset=utf-8)? */
static int content_type_json(const char *ct)
{
	if (!ct)
		return 0;
	while (*ct == ' ' || *ct == '\t')
		ct++;
	static const char mt[] = "application/json";
	if (strncasecmp(ct, mt, sizeof(mt) - 1) != 0)
		return 0;
	const char *p = ct + sizeof(mt) - 1;
	while (*p) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		if (*p != ';')
			return 0;
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		const char *end = strchr(p, ';');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
			len--;
		if (len >= 8 && !strncasecmp(p, "charset=", 8)) {
			const char *v = p + 8;
			size_t vl = len - 8;
			if (vl >= 2 && v[0] == '"' && v[vl - 1] == '"') {
				v++;
				vl -= 2;
			}
			if (!((vl == 5 && !strncasecmp(v, "utf-8", 5)) || (vl == 4 && !strncasecmp(v, "utf8", 4))))
				return 0;
		}
		p += len;
		while (*p && *p != ';')
			p++;
	}
	return 1;
}

/* 1 if the number literal at p (n bytes) is a non-zero real too small for a double: the parser
 * would store it as 0 (or a denormal) without a word, as it refuses one too large. */
static int number_underflows(const unsigned char *p, size_t n)
{
	char tmp[128];
	int real = 0;
	for (size_t i = 0; i < n; i++)
		real |= p[i] == 'e' || p[i] == 'E';
	if (!real || n >= sizeof tmp)
		return 0; /* (a literal of 128 bytes or more is left to the parser) */
	memcpy(tmp, p, n);
	tmp[n] = '\0';
	errno = 0;
	double d = strtod(tmp, NULL);
	return errno == ERANGE && fabs(d) < 1.0;
}

/* Cheap checks before the parser: nesting depth, UTF-8, and reals that underflow. 0 or
 * KP_EINVAL with a message. */
static int json_prescan(const char *body, size_t n, int max_depth, struct kp_err *err)
{
	const unsigned char *p = (const unsigned char *)body;
	int depth = 0, in_str = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned c = p[i];
		if (in_str) {
			if (c == '\\')
				i++; /* skip the escaped byte; escapes are ASCII */
			else if (c == '"')
				in_str = 0;
			continue;
		}
		if (c == '-' || (c >= '0' && c <= '9')) {
			size_t j = i;
			while (j < n && (p[j] == '-' || p[j] == '+' || p[j] == '.' || p[j] == 'e' || p[j] == 'E' ||
			                 (p[j] >= '0' && p[j] <= '9')))
				j++;
			if (number_underflows(p + i, j - i))
				return kp_err_set(err, KP_EINVAL, "real number underflow near position %zu", i);
			i = j - 1;
			continue;
		}
		if (c == '"')
			in_str = 1;
		else if (c == '[' || c == '{') {
			if (++depth > max_depth)
				return kp_err_set(err, KP_EINVAL, "JSON nesting is deeper than %d levels", max_depth);
		} else if ((c == ']' || c == '}') && depth > 0)
			depth--;
	}
	if (!utf8_valid(p, n))
		return kp_err_set(err, KP_EINVAL, "body is not valid UTF-8");
	return 0;
}

/* Every string (and key) at most max bytes; the first offender becomes a field error. */
static int json_check_strings(json_t *v, size_t max, char *path, size_t pathcap, struct kp_err *err)
{
	size_t plen = strlen(path);
	if (json_is_string(v)) {
		if (json_string_length(v) > max)
			return kp_err_field(err, plen ? path : "(body)", "is longer than %zu bytes", max);
		return 0;
	}
	if (json_is_object(v)) {
		const char *k;
		json_t *x;
		json_object_foreach(v, k, x)
		{
			snprintf(path + plen, pathcap - plen, "%s%s", plen ? "." : "", k);
			if (strlen(k) > max)
				return kp_err_field(err, path, "key is longer than %zu bytes", max);
			int rc = json_check_strings(x, max, path, pathcap, err);
			path[plen] = '\0';
			if (rc)
				return rc;
		}
	} else if (json_is_array(v)) {
		size_t i;
		json_t *x;
		json_array_foreach(v, i, x)
		{
			snprintf(path + plen, pathcap - plen, "[%zu]", i);
			int rc = json_check_strings(x, max, path, pathcap, err);
			path[plen] = '\0';
			if (rc)
				return rc;
		}
	}
	return 0;
}

int api_body_empty(struct api_req *r)
{
	static const char *const none[] = {NULL};
	struct kp_err err = KP_ERR_INIT;
	json_t *body = api_body_object(r);
	if (!body)
		return 0;
	int rc = validate_known_keys(body, none, &err);
	json_decref(body);
	if (rc) {
		api_fail_err(r, &err);
		return 0;
	}
	return 1;
}

json_t *api_body_object(struct api_req *r)
{
	struct kp_err err = KP_ERR_INIT;
	const struct api_limits *lim = r->srv ? &r->srv->limits : NULL;
	size_t max_body = lim && lim->max_body ? lim->max_body : API_DEFAULT_MAX_BODY;
	int max_depth = lim && lim->max_json_depth > 0 ? lim->max_json_depth : API_DEFAULT_MAX_DEPTH;
	size_t max_string = lim && lim->max_string ? lim->max_string : API_DEFAULT_MAX_STRING;
	json_t *j = NULL;

	if (r->body_len > max_body) {
		kp_err_set(&err, KP_ETOOLARGE, "the body is larger than %zu bytes", max_body);
		goto fail;
	}
	if (r->body_len == 0 && !r->content_type) {
		kp_err_set(&err, KP_EINVAL, "a JSON body is required");
		goto fail;
	}
	if (!content_type_json(r->content_type)) {
		kp_err_set(&err, KP_EMEDIA, "Content-Type must be application/json");
		goto fail;
	}
	if (r->body_len == 0 || !r->body) {
		kp_err_set(&err, KP_EINVAL, "a JSON body is required");
		goto fail;
	}
	if (json_prescan(r->body, r->body_len, max_depth, &err) != 0)
		goto fail;
	json_error_t je;
	j = json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &je);
	if (!j) {
		/* (jansson names its own option for a NUL: say what is wrong in the body instead) */
		kp_err_set(&err, KP_EINVAL, "invalid JSON at line %d, column %d: %s", je.line, je.column,
		           strstr(je.text, "JSON_ALLOW_NUL") ? "a string holds \\u0000 (NUL), which no field takes"
		                                             : je.text);
		goto fail;
	}
	if (!json_is_object(j)) {
		kp_err_set(&err, KP_EINVAL, "the body must be a JSON object");
		goto fail;
	}
	char path[64] = "";
	if (json_check_strings(j, max_string, path, sizeof(path), &err) != 0)
		goto fail;
	return j;
fail:
	json_decref(j);
	api_problem(r, &err);
	return NULL;
}

/* ---- writes ------------------------------------------------------------------------------------ */

struct write_state {
	struct api_req *r;
	const char *idem_key; /* NULL: no idempotency */
	char fingerprint[65];
	/* The request as versions before commit 05cdf64 fingerprinted it: its body's bytes as
	 * sent, not its value. A key such a version stored (kept 24 hours) still replays after
	 * an upgrade. "" when the body as sent is its canonical form already (the two are one). */
	char fingerprint_bytes[65];
};

/* BLAKE2b of method, path, query and body[0..blen), each behind its length, as hex in out. */
static void fingerprint_of(const struct api_req *r, const char *body, uint64_t blen, char out[65])
{
	crypto_generichash_state st;
	unsigned char h[32];
	const char *parts[3] = { r->method, r->path, r->query ? r->query : "" };
	crypto_generichash_init(&st, NULL, 0, sizeof(h));
	for (int i = 0; i < 3; i++) {
		uint64_t len = strlen(parts[i]);
		crypto_generichash_update(&st, (const unsigned char *)&len, sizeof(len));
		crypto_generichash_update(&st, (const unsigned char *)parts[i], len);
	}
	crypto_generichash_update(&st, (const unsigned char *)&blen, sizeof(blen));
	if (blen)
		crypto_generichash_update(&st, (const unsigned char *)body, blen);
	crypto_generichash_final(&st, h, sizeof(h));
	sodium_bin2hex(out, 65, h, sizeof(h));
}

/* The request's fingerprint, a JSON body as its value (canonical: keys sorted, compact), in
 * ws->fingerprint; and when that text is not the body as sent, the fingerprint of the bytes
 * sent, which versions before this scheme stored, in ws->fingerprint_bytes. */
static void fingerprint(const struct api_req *r, struct write_state *ws)
{
	json_t *j =
	    r->body_len ? json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, NULL) : NULL;
	char *canon = j ? json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY) : NULL;
	const char *body = canon ? canon : r->body;
	uint64_t blen = canon ? strlen(canon) : r->body_len;
	fingerprint_of(r, body, blen, ws->fingerprint);
	ws->fingerprint_bytes[0] = '\0';
	if (canon && (blen != r->body_len || memcmp(canon, r->body, blen) != 0))
		fingerprint_of(r, r->body, r->body_len, ws->fingerprint_bytes);
	free(canon);
	json_decref(j);
}

/* Was the stored fingerprint fp made of this request? Under the scheme of today, or under the
 * earlier one (the bytes as sent): a key stored before an upgrade still replays. The earlier
 * scheme accepts no other request: the bytes' hash equals a stored one only for the same
 * bytes (an earlier version's key), or for bytes that are the canonical text of the request
 * stored (today's key), which is the same request. */
static int fingerprint_matches(const struct write_state *ws, const char *fp)
{
	if (!fp)
		return 0;
	return !strcmp(fp, ws->fingerprint) || (ws->fingerprint_bytes[0] && !strcmp(fp, ws->fingerprint_bytes));
}

static int write_job_run(struct store_conn *c, void *arg, struct kp_err *err)
{
	struct write_state *ws = arg;
	struct api_req *r = ws->r;
	int rc;
	if (ws->idem_key) {
		struct idem_entry e;
		rc = store_idem_get(c, r->who.staff_id, ws->idem_key, &e, r->arena, err);
		if (rc == 0) {
			if (!fingerprint_matches(ws, e.fingerprint)) {
				kp_err_set(err, KP_EVALIDATION, "Idempotency-Key reused with a different request");
				return kp_err_field(err, "Idempotency-Key",
				                    "was sent before with another request: use a new key");
			}
			body_reset(r);
			if (e.body && buf_adds(&r->resp.body, e.body) < 0)
				return kp_err_set(err, KP_EINTERNAL, "stored answer too large");
			r->resp.status = e.status;
			r->resp.content_type = NULL;
			r->resp.nheaders = 0;
			if (e.location)
				api_header(r, "Location", e.location);
			/* the first answer's ETag is the version in its body */
			json_t *first = e.body ? json_loads(e.body, 0, NULL) : NULL;
			json_t *ver = json_object_get(first, "version");
			if (json_is_integer(ver) && json_integer_value(ver) > 0)
				api_set_etag(r, (int64_t)json_integer_value(ver));
			json_decref(first);
			api_header(r, "Idempotent-Replayed", "true");
			return 0;
		}
		if (rc != KP_ENOTFOUND)
			return rc;
		kp_err_init(err);
	}
	rc = r->write_run(c, r, err);
	if (rc != 0)
		return rc;
	if (ws->idem_key && r->resp.status >= 200 && r->resp.status < 300) {
		struct idem_entry e = {
		    .key = ws->idem_key,
		    .staff_id = r->who.staff_id,
		    .fingerprint = ws->fingerprint,
		    .status = r->resp.status,
		    .location = resp_header(r, "Location"),
		    .subject = r->idem_subject,
		    .body = r->resp.body.ptr,
		    .created_at = time_now_ms(),
		};
		rc = store_idem_put(c, &e, err);
	}
	return rc;
}

static void write_job_done(void *arg, int rc, const struct kp_err *err)
{
	struct write_state *ws = arg;
	struct api_req *r = ws->r;
	if (rc != 0) {
		struct kp_err e = KP_ERR_INIT;
		if (err)
			e = *err;
		if (e.status == 0 || e.status != rc)
			e.status = rc;
		r->resp.nheaders = 0;
		api_problem(r, &e);
	} else if (r->resp.status == 0) {
		r->resp.status = r->resp.body.len ? 200 : 204;
	}
	/* After the commit, before the answer: no later request authenticates from a cache
	 * entry read before this write (api.h). */
	if (r->auth_changed)
		api_auth_invalidate();
	/* and the learned model is rebuilt from what is committed, never from a batch that may
	 * still roll back */
	if (rc == 0 && r->model_changed)
		protect_model_retrain_later();
	if (r->finish)
		r->finish(r);
}

/* 1..255 visible ASCII characters. */
static int idem_key_ok(const char *k)
{
	size_t n = strlen(k);
	if (n < 1 || n > 255)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (k[i] < 0x21 || k[i] > 0x7e)
			return 0;
	return 1;
}

int api_write(struct api_req *r, int (*run)(struct store_conn *c, struct api_req *r, struct kp_err *err), void *ctx)
{
	struct write_state *ws = arena_calloc(r->arena, sizeof(*ws));
	ws->r = r;
	if (r->idempotency_key && r->who.staff_id > 0 && r->method && !strcmp(r->method, "POST")) {
		if (!idem_key_ok(r->idempotency_key))
			return api_fail(r, KP_EINVAL, "Idempotency-Key must be 1 to 255 visible ASCII characters");
		ws->idem_key = r->idempotency_key;
		fingerprint(r, ws);
	}
	r->write_ctx = ctx;
	r->write_run = run;
	r->auth_changed = 0;
	r->model_changed = 0;
	memset(&r->job, 0, sizeof(r->job));
	r->job.run = write_job_run;
	r->job.done = write_job_done;
	r->job.arg = ws;
	if (!r->srv || !r->srv->store)
		return api_fail(r, KP_EUNAVAILABLE, "no store");
	int rc = store_submit(r->srv->store, &r->job);
	if (rc != 0)
		return api_fail(r, rc ? rc : KP_EUNAVAILABLE, "the store is not accepting writes");
	return API_DEFERRED;
}
