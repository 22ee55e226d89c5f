#include "api/render.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "api/cursor.h"
#include "domain/field.h"
#include "domain/validate.h"
#include "util/timeutil.h"

struct actor api_actor(struct api_req *r)
{
	struct actor a = {
	    .staff_id = r->who.staff_id,
	    .role = r->who.role,
	    .email = r->who.email,
	    .request_id = r->request_id[0] ? r->request_id : NULL,
	};
	return a;
}

/* One entity tag ("5", W/"5") to a version; -1 if it is not one of ours. */
static int64_t parse_etag(const char *s, size_t n)
{
	if (n >= 2 && s[0] == 'W' && s[1] == '/')
		s += 2, n -= 2;
	if (n < 3 || s[0] != '"' || s[n - 1] != '"')
		return -1;
	/* our tags are the version as written, so "01" or "002" is no tag of ours: strong
	 * comparison is character by character (RFC 9110 8.8.3.2), not by number */
	if (s[1] == '0')
		return -1;
	int64_t v = 0;
	for (size_t i = 1; i + 1 < n; i++) {
		if (!isdigit((unsigned char)s[i]) || v > INT64_MAX / 10 - 10)
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v > 0 ? v : -1;
}

static const char *skip_ws(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* The next entity tag of a comma-separated list at *p (advanced past it): 1 with *tag and *n
 * set (white space trimmed), or 0 at the end. */
static int etag_next(const char **p, const char **tag, size_t *n)
{
	const char *s = skip_ws(*p);
	if (!*s)
		return 0;
	const char *e = strchr(s, ',');
	size_t len = e ? (size_t)(e - s) : strlen(s);
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	*tag = s;
	*n = len;
	*p = e ? e + 1 : s + strlen(s);
	return 1;
}

int64_t api_if_match(struct api_req *r)
{
	const char *p = r->if_match;
	if (!p)
		return 0;
	p = skip_ws(p);
	if (strcmp(p, "*") == 0 || *p == '\0')
		return 0;
	/* A list ("\"4\", \"5\"") matches when one of its tags does. A record's versions only
	 * grow, so the one that can be current is the greatest: the writer compares that one.
	 * If-Match compares strongly (RFC 9110 13.1.1): a weak tag W/"5" matches nothing. */
	int64_t best = -1;
	const char *t;
	size_t n;
	while (etag_next(&p, &t, &n)) {
		int64_t v = n >= 2 && t[0] == 'W' && t[1] == '/' ? -1 : parse_etag(t, n);
		if (v > best)
			best = v;
	}
	return best;
}

int api_if_none_match(struct api_req *r, int64_t version)
{
	const char *p = r->if_none_match;
	if (!p)
		return 0;
	p = skip_ws(p);
	if (strcmp(p, "*") == 0)
		return 1;
	const char *t;
	size_t n;
	while (etag_next(&p, &t, &n))
		if (parse_etag(t, n) == version) /* weak comparison: W/ tags match too */
			return 1;
	return 0;
}

void api_set_etag(struct api_req *r, int64_t version)
{
	char t[32], *p = t + sizeof t;
	uint64_t u = version < 0 ? (uint64_t)0 - (uint64_t)version : (uint64_t)version;
	*--p = '\0';
	*--p = '"';
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (version < 0)
		*--p = '-';
	*--p = '"';
	api_header(r, "ETag", p);
}

int api_fail_err(struct api_req *r, const struct kp_err *err)
{
	api_problem(r, err);
	return API_DONE;
}

int api_fail_merged(struct api_req *r, const struct kp_err *err, int64_t merged_into)
{
	api_problem(r, err);
	json_t *j = json_loadb(r->resp.body.ptr, r->resp.body.len, 0, NULL);
	if (json_is_object(j)) {
		json_object_set_new(j, "merged_into", json_integer((json_int_t)merged_into));
		char *dump = json_dumps(j, JSON_COMPACT);
		if (dump) {
			buf_reset(&r->resp.body);
			if (buf_adds(&r->resp.body, dump) < 0)
				api_problem(r, err);
			free(dump);
		}
	}
	json_decref(j);
	char loc[64];
	snprintf(loc, sizeof loc, "/api/v1/customers/%" PRId64, merged_into);
	api_header(r, "Link", arena_printf(r->arena, "<%s>; rel=\"canonical\"", loc));
	return API_DONE;
}

int api_render_record(struct api_req *r, int status, json_t *j, int64_t version, const char *location)
{
	if (!j) {
		json_decref(j);
		return api_fail(r, KP_EINTERNAL, "could not render the record");
	}
	if (status == 200 && version > 0 && (strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0) && api_if_none_match(r, version)) {
		json_decref(j);
		r->resp.status = 304;
		buf_reset(&r->resp.body);
		api_set_etag(r, version);
		return API_DONE;
	}
	api_json(r, status, j);
	json_decref(j);
	if (version > 0)
		api_set_etag(r, version);
	if (location)
		api_header(r, "Location", location);
	return API_DONE;
}

int api_render_record_with(struct api_req *r, int status, int (*render)(const void *rec, struct buf *b),
                           const void *rec, int64_t version, const char *location)
{
	if (status == 200 && version > 0 && (strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0) && api_if_none_match(r, version)) {
		r->resp.status = 304;
		buf_reset(&r->resp.body);
		api_set_etag(r, version);
		return API_DONE;
	}
	struct buf *b = &r->resp.body;
	if (!b->ptr || b->max == 0)
		buf_init(b, (size_t)64 << 20); /* as api_json() does (dispatch.c API_RESP_MAX) */
	else
		buf_reset(b);
	int rc = render(rec, b);
	if (rc == -1)
		return api_fail(r, KP_EINTERNAL, "could not render the response (too large)");
	if (rc)
		return api_fail(r, KP_EINTERNAL, "could not render the record");
	r->resp.status = status;
	r->resp.content_type = NULL;
	if (version > 0)
		api_set_etag(r, version);
	if (location)
		api_header(r, "Location", location);
	return API_DONE;
}

int api_render_page_with(struct api_req *r, int (*render)(const void *rec, struct buf *b), const void *recs,
                         size_t size, size_t n, const char *next_cursor)
{
	struct buf *b = &r->resp.body;
	if (!b->ptr || b->max == 0)
		buf_init(b, (size_t)64 << 20); /* as api_json() does (dispatch.c API_RESP_MAX) */
	else
		buf_reset(b);
	int rc = buf_add(b, "{\"items\":[", 10);
	for (size_t i = 0; !rc && i < n; i++) {
		if (i)
			rc = buf_addc(b, ',');
		if (!rc)
			rc = render((const char *)recs + i * size, b);
	}
	if (!rc)
		rc = buf_add(b, "],\"next_cursor\":", 16);
	if (!rc)
		rc = next_cursor ? buf_add_json_str_min(b, next_cursor, strlen(next_cursor)) : buf_add(b, "null", 4);
	if (!rc)
		rc = buf_addc(b, '}');
	if (rc == -1)
		return api_fail(r, KP_EINTERNAL, "could not render the response (too large)");
	if (rc)
		return api_fail(r, KP_EINTERNAL, "could not render the list");
	r->resp.status = 200;
	r->resp.content_type = NULL;
	return API_DONE;
}

int api_render_page(struct api_req *r, json_t *items, const char *next_cursor)
{
	json_t *j = json_pack("{so so}", "items", items, "next_cursor", validate_str_json(next_cursor));
	if (!j)
		return api_fail(r, KP_EINTERNAL, "could not render the list");
	api_json(r, 200, j);
	json_decref(j);
	return API_DONE;
}

int api_render_empty(struct api_req *r)
{
	r->resp.status = 204;
	buf_reset(&r->resp.body);
	return API_DONE;
}

static int bad_query(struct kp_err *err, const char *name, const char *msg)
{
	if (!err->status)
		kp_err_set(err, KP_EINVAL, "invalid query parameter %s", name);
	kp_err_field(err, name, "%s", msg);
	return KP_EINVAL;
}

int api_q_limit(struct api_req *r, int *limit, struct kp_err *err)
{
	const char *s = api_query(r, "limit");
	int max = r->srv && r->srv->limits.max_list_limit > 0 ? r->srv->limits.max_list_limit : API_LIST_MAX;
	*limit = API_LIST_DEFAULT < max ? API_LIST_DEFAULT : max;
	if (!s)
		return 0;
	char *e;
	long v = strtol(s, &e, 10);
	if (!*s || *e || !isdigit((unsigned char)*s) || v < 1 || v > max)
		return bad_query(err, "limit", arena_printf(r->arena, "must be an integer from 1 to %d", max));
	*limit = (int)v;
	return 0;
}

int api_q_id(struct api_req *r, const char *name, int64_t *id, struct kp_err *err)
{
	const char *s = api_query(r, name);
	*id = 0;
	if (!s)
		return 0;
	char *e;
	long long v = strtoll(s, &e, 10);
	if (!*s || *e || !isdigit((unsigned char)*s) || v < 1 || v > VALIDATE_ID_MAX)
		return bad_query(err, name, "must be an id (an integer from 1 to 2^53)");
	*id = (int64_t)v;
	return 0;
}

int api_q_time(struct api_req *r, const char *name, int64_t *ms, struct kp_err *err)
{
	const char *s = api_query(r, name);
	*ms = 0;
	if (!s)
		return 0;
	if (time_parse(s, ms))
		return bad_query(err, name, "must be an RFC 3339 time or a date YYYY-MM-DD");
	/* a plain date is the start of that day in the server's time zone (--timezone), the zone
	 * the reports count days in: from=2025-03-30 includes 01:30 Helsinki time that day */
	int y, m, d;
	if (strlen(s) == 10 && time_parse_date(s, &y, &m, &d) == 0 && time_zone_midnight(y, m, d, ms) != 0)
		return bad_query(err, name, "must be an RFC 3339 time or a date YYYY-MM-DD");
	/* 0 means "not given" in the filters. No record has the epoch itself as its time (the
	 * store's times are writes' clocks, and occurred_at refuses it), so as an inclusive or
	 * an exclusive bound the epoch selects exactly what the millisecond after it does. */
	if (*ms == 0)
		*ms = 1;
	return 0;
}

json_t *api_q_time_json(struct api_req *r, const char *name, int64_t ms)
{
	const char *s = api_query(r, name);
	int64_t given;
	if (ms == 1 && s && time_parse(s, &given) == 0 && given == 0) {
		char t[40];
		time_format_ms(0, t, sizeof t);
		return json_string(t);
	}
	return validate_time_json(ms);
}

int api_q_sort(struct api_req *r, const char *const *names, const char *def, int *sort, int *desc, const char **given,
               struct kp_err *err)
{
	const char *s = api_query(r, "sort");
	if (!s)
		s = def;
	*given = s;
	*desc = s[0] == '-';
	const char *n = *desc ? s + 1 : s;
	for (int i = 0; names[i]; i++)
		if (strcmp(n, names[i]) == 0) {
			*sort = i;
			return 0;
		}
	struct buf allowed = BUF_INIT(512);
	for (int i = 0; names[i]; i++)
		buf_addf(&allowed, "%s%s", i ? ", " : "", names[i]);
	bad_query(err, "sort", arena_printf(r->arena, "must be one of %s (with '-' for descending)", allowed.ptr));
	buf_release(&allowed);
	return KP_EINVAL;
}

/* The sort a cursor of r's list is made for: the list's sort and its scope. */
static const char *scoped_sort(struct api_req *r, const char *sort)
{
	return arena_printf(r->arena, "%s@%016" PRIx64, sort, api_list_scope(r));
}

char *api_cursor_next(struct api_req *r, const char *sort, const char *key, int64_t id)
{
	return api_cursor_encode(r->arena, scoped_sort(r, sort), key, id);
}

int api_q_cursor(struct api_req *r, const char *sort, struct store_page *pg, struct kp_err *err)
{
	const char *s = api_query(r, "cursor");
	pg->has_after = 0;
	if (!s || !*s)
		return 0;
	/* a cursor is no secret (it names a position), so a made-up one must be checked like any
	 * input: its key goes to the store, which on PostgreSQL refuses bytes that are not UTF-8 */
	if (api_cursor_decode(r->arena, s, scoped_sort(r, sort), &pg->after_key, &pg->after_id) ||
	    (pg->after_key && !validate_utf8_ok(pg->after_key)))
		return bad_query(
		    err, "cursor",
		    "is not a cursor of this list (pass next_cursor as given, with the same path and filters)");
	pg->has_after = 1;
	return 0;
}

int api_q_name_prefix(struct api_req *r, const char **prefix, struct kp_err *err)
{
	const char *s = api_query(r, "q");
	if (!s)
		return 0;
	char *t = validate_trim(r->arena, s);
	if (!*t || validate_utf8_chars(t) > VALIDATE_NAME_MAX)
		return kp_err_field(err, "q", "must be 1 to %d characters", VALIDATE_NAME_MAX);
	*prefix = t;
	return 0;
}

const char *api_sort_key(struct api_req *r, int sort, const char *name, int64_t created_at, int64_t updated_at,
                         int64_t id)
{
	switch (sort) {
	case STORE_SORT_NAME: return name;
	case STORE_SORT_CREATED: return arena_printf(r->arena, "%" PRId64, created_at);
	case STORE_SORT_UPDATED: return arena_printf(r->arena, "%" PRId64, updated_at);
	default: return arena_printf(r->arena, "%" PRId64, id);
	}
}

struct api_write_ctx *api_write_ctx_new(struct api_req *r, json_t *body)
{
	struct api_write_ctx *w = arena_calloc(r->arena, sizeof *w);
	if (body) {
		char *dump = json_dumps(body, JSON_COMPACT);
		w->body_text = arena_strdup(r->arena, dump ? dump : "{}");
		free(dump);
		json_decref(body);
	}
	return w;
}

json_t *api_write_ctx_body(const struct api_write_ctx *w)
{
	json_t *j = w->body_text ? json_loads(w->body_text, 0, NULL) : NULL;
	return j ? j : json_object();
}

int api_write_start(struct api_req *r, int (*run)(struct store_conn *c, struct api_req *r, struct kp_err *err),
                    struct api_write_ctx *ctx)
{
	r->write_ctx = ctx;
	return api_write(r, run, ctx);
}

int api_q_custom(struct api_req *r, const char *entity, const struct custom_match **out, size_t *n, struct kp_err *err)
{
	const char *keys[STORE_CUSTOM_MATCH_MAX], *values[STORE_CUSTOM_MATCH_MAX];
	size_t given = api_query_deep(r, "custom", keys, values, STORE_CUSTOM_MATCH_MAX);
	*out = NULL;
	*n = 0;
	if (given == 0)
		return 0;
	int bad = 0;
	if (given > STORE_CUSTOM_MATCH_MAX)
		bad = kp_err_field(err, "custom", "at most %d custom[KEY] filters", STORE_CUSTOM_MATCH_MAX);
	for (size_t i = 0; i < given && i < STORE_CUSTOM_MATCH_MAX && !bad; i++)
		for (size_t j = 0; j < i && !bad; j++)
			if (strcmp(keys[i], keys[j]) == 0)
				bad = kp_err_field(err, arena_printf(r->arena, "custom[%s]", keys[i]),
				                   "is given more than once");
	if (bad) {
		err->status = KP_EINVAL;
		return KP_EINVAL;
	}
	struct store_conn *c = store_reader(r->srv->store, err);
	struct field_def_list defs = {0};
	if (!c || store_field_list(c, entity, &defs, r->arena, err))
		return err->status;
	struct custom_match *m = arena_calloc(r->arena, given * sizeof *m);
	if (!m)
		return kp_err_set(err, KP_ENOMEM, "out of memory");
	for (size_t i = 0; i < given; i++)
		bad |= field_match_parse(&defs, entity, keys[i], values[i], &m[i], r->arena, err) != 0;
	if (bad) {
		err->status = KP_EINVAL;
		return KP_EINVAL;
	}
	*out = m;
	*n = given;
	return 0;
}

int api_q_team(struct api_req *r, const char *name, const char **team, struct kp_err *err)
{
	const char *s = api_query(r, name);
	if (!s)
		return 0;
	char *t = validate_trim(r->arena, s);
	if (!*t || validate_utf8_chars(t) > 100 || strpbrk(t, "\t\r\n")) {
		kp_err_set(err, KP_EINVAL, "invalid query parameter %s", name);
		kp_err_field(err, name, "must be a team name (1 to 100 characters, one line)");
		return KP_EINVAL;
	}
	*team = t;
	return 0;
}
