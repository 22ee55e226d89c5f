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

/* The version an opaque tag's characters s[0..n) (between its quotes) name: our ETags are
 * the version in decimal, 1 or more, as api_set_etag() writes it, so "01" or "+1" is no tag
 * of ours (strong comparison is character by character, RFC 9110 8.8.3.2, not by number).
 * 0 when they name none. */
static int64_t etag_version(const char *s, size_t n)
{
	if (n == 0 || s[0] == '0')
		return 0;
	int64_t v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9' || v > (INT64_MAX - (s[i] - '0')) / 10)
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

static const char *skip_ows(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* Walks "*" / #entity-tag (RFC 9110 13.1.1, 8.8.3): entity-tag = [ "W/" ] DQUOTE *etagc
 * DQUOTE, etagc = %x21 / %x23-7E / obs-text (so a tag may hold a comma), elements separated
 * by commas with optional white space, empty elements skipped (RFC 9110 5.6.1.2). Calls
 * each(ctx, version) for each tag naming one of our versions (a weak tag only when weak is
 * set). Returns ETAGS_ANY for "*", ETAGS_BAD when the value is not such a list (each may
 * have been called for tags before the fault: the caller discards what it gathered), else
 * ETAGS_LIST. */
enum { ETAGS_LIST, ETAGS_ANY, ETAGS_BAD };
static int etags_walk(const char *value, int weak, void (*each)(void *ctx, int64_t v), void *ctx)
{
	const char *p = skip_ows(value);
	if (p[0] == '*' && *skip_ows(p + 1) == '\0')
		return ETAGS_ANY;
	for (;;) {
		while (*p == ',' || *p == ' ' || *p == '\t')
			p++;
		if (!*p)
			return ETAGS_LIST;
		int is_weak = p[0] == 'W' && p[1] == '/';
		if (is_weak)
			p += 2;
		if (*p != '"')
			return ETAGS_BAD;
		const char *s = ++p;
		while (*p && *p != '"') {
			unsigned char ch = (unsigned char)*p;
			if (ch < 0x21 || ch == 0x7f)
				return ETAGS_BAD;
			p++;
		}
		if (*p != '"')
			return ETAGS_BAD;
		int64_t v = etag_version(s, (size_t)(p - s));
		p = skip_ows(p + 1);
		if (*p && *p != ',')
			return ETAGS_BAD;
		if (v && (weak || !is_weak))
			each(ctx, v);
	}
}

/* etags_walk() callbacks: gather the distinct versions (noting one past the cap), or look
 * for one version */
struct etags_gather {
	struct validate_etags *e;
	int over;
};

static void etags_add(void *ctx, int64_t v)
{
	struct etags_gather *g = ctx;
	for (size_t i = 0; i < g->e->n; i++)
		if (g->e->v[i] == v)
			return;
	if (g->e->n == VALIDATE_ETAGS_MAX)
		g->over = 1;
	else
		g->e->v[g->e->n++] = v;
}

struct etags_find {
	int64_t version;
	int found;
};

static void etags_is(void *ctx, int64_t v)
{
	struct etags_find *f = ctx;
	if (v == f->version)
		f->found = 1;
}

int api_etags_parse(const char *value, int weak, struct validate_etags *out)
{
	memset(out, 0, sizeof *out);
	if (!value)
		return 0;
	out->present = 1;
	struct etags_gather g = {out, 0};
	int rc = etags_walk(value, weak, etags_add, &g);
	if (rc == ETAGS_ANY)
		out->any = 1;
	if (rc == ETAGS_BAD) {
		out->n = 0; /* malformed: names nothing, however many tags came before the fault */
		return 0;
	}
	return g.over ? -1 : 0;
}

int api_precond(struct api_req *r, struct validate_precond *pre, struct kp_err *err)
{
	if (api_etags_parse(r->if_match, 0, &pre->if_match))
		return kp_err_set(err, KP_EINVAL, "If-Match names more than %d entity tags", VALIDATE_ETAGS_MAX);
	if (api_etags_parse(r->if_none_match, 1, &pre->if_none_match))
		return kp_err_set(err, KP_EINVAL, "If-None-Match names more than %d entity tags", VALIDATE_ETAGS_MAX);
	return 0;
}

/* Does the field value (non-NULL) name version, "*" included? Every tag is compared. */
static int etags_names(const char *value, int weak, int64_t version)
{
	struct etags_find f = {version, 0};
	int rc = etags_walk(value, weak, etags_is, &f);
	return rc == ETAGS_ANY || (rc == ETAGS_LIST && f.found);
}

int api_if_none_match(struct api_req *r, int64_t version)
{
	return r->if_none_match && etags_names(r->if_none_match, 1, version);
}

/* A read of a record at version: 1 with a 412 rendered when If-Match (strong comparison)
 * names another version, 1 with a 304 when If-None-Match names this one (RFC 9110 13.2.2:
 * If-Match first), else 0. */
static int read_precond_answered(struct api_req *r, int64_t version)
{
	if (version <= 0 || (strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0))
		return 0;
	if (r->if_match && !etags_names(r->if_match, 0, version)) {
		api_fail(r, KP_EPRECONDITION, "If-Match does not match the current ETag \"%" PRId64 "\"", version);
		return 1;
	}
	if (!api_if_none_match(r, version))
		return 0;
	r->resp.status = 304;
	buf_reset(&r->resp.body);
	api_set_etag(r, version);
	return 1;
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
	if (status == 200 && read_precond_answered(r, version)) {
		json_decref(j);
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
	if (status == 200 && read_precond_answered(r, version))
		return API_DONE;
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
	api_scope_param(r, name, arena_printf(r->arena, "%" PRId64, *id));
	return 0;
}

int api_q_time(struct api_req *r, const char *name, enum api_time_bound bound, int64_t *ms, struct kp_err *err)
{
	const char *s = api_query(r, name);
	int finer;
	*ms = 0;
	if (!s)
		return 0;
	if (time_parse_finer(s, ms, &finer))
		return bad_query(err, name, "must be an RFC 3339 time or a date YYYY-MM-DD");
	/* The store's times are whole milliseconds, so a bound between two of them selects what
	 * the millisecond after it does when it takes times at or after it (>=) or before it (<),
	 * and what the millisecond before it does when it takes times after it (>) */
	if (finer && bound == API_TIME_GE_OR_LT)
		(*ms)++;
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
	api_scope_param(r, name, arena_printf(r->arena, "%" PRId64, *ms));
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
	/* the default spelt out is the same list (the cursor carries the sort itself too) */
	api_scope_param(r, "sort", s);
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
	if (!s)
		return 0;
	/* an empty value is refused, as it is for every other parameter: "?cursor=" is no page */
	if (!*s)
		return bad_query(err, "cursor", "must not be empty (leave cursor out for the first page)");
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
	api_scope_param(r, "q", t);
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
	api_scope_param(r, name, t);
	return 0;
}
