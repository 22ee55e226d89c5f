/*
 * The PostgreSQL backend's domain operations and its store_ops table. The contracts are in
 * store/store.h; the schema is in pg_migrations.c.
 *
 * Every fixed statement has an id in enum stmt (prepared once per connection); list
 * queries are assembled from fixed fragments with $n placeholders (no user data is ever
 * part of the SQL text). Child rows (customer contacts and tags, organisation tags) are
 * written from a JSON array parameter and read back as json_agg columns, so a record is
 * one round trip either way.
 */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/postgres/pg_int.h"
#include "util/buf.h"
#include "util/timeutil.h"

enum stmt {
	Q_STAFF_INSERT,
	Q_STAFF_GET,
	Q_STAFF_GET_EMAIL,
	Q_STAFF_UPDATE,
	Q_STAFF_COUNT,
	Q_TOKEN_INSERT,
	Q_TOKEN_GET_HASH,
	Q_TOKEN_LIST,
	Q_TOKEN_REVOKE,
	Q_TOKEN_TOUCH,
	Q_SESSION_INSERT,
	Q_SESSION_GET,
	Q_SESSION_DELETE,
	Q_SESSION_DELETE_STAFF,
	Q_ORG_INSERT,
	Q_ORG_GET,
	Q_ORG_UPDATE,
	Q_ORG_TAGS_DELETE,
	Q_ORG_TAGS_INSERT,
	Q_ORG_DELETE,
	Q_CUSTOMER_INSERT,
	Q_CUSTOMER_GET,
	Q_CUSTOMER_UPDATE,
	Q_CUSTOMER_CHILDREN_DELETE,
	Q_CUSTOMER_CHILDREN_INSERT,
	Q_CUSTOMER_CONTEXT,
	Q_ORG_CONTEXT,
	Q_CUSTOMER_DELETE,
	Q_CUSTOMER_COUNT,
	Q_CUSTOMER_LOCK2,
	Q_CUSTOMER_MERGE,
	Q_FIELD_INSERT,
	Q_FIELD_GET,
	Q_FIELD_UPDATE,
	Q_FIELD_DELETE,
	Q_FIELD_LIST,
	Q_NOTE_INSERT,
	Q_NOTE_GET,
	Q_NOTE_UPDATE,
	Q_NOTE_DELETE,
	Q_INTERACTION_INSERT,
	Q_INTERACTION_GET,
	Q_INTERACTION_UPDATE,
	Q_INTERACTION_DELETE,
	Q_SEARCH,
	Q_AUDIT_INSERT,
	Q_IDEM_GET,
	Q_IDEM_PUT,
	Q_IDEM_PURGE,
	Q_COUNT_ /* must stay <= PG_MAX_PREPARED */
};

_Static_assert(Q_COUNT_ <= PG_MAX_PREPARED, "too many prepared statements");

#define SQL_MAX (16 * 1024)
#define JSON_PARAM_MAX (4 * 1024 * 1024)

static struct pg_conn *PC(struct store_conn *c)
{
	return (struct pg_conn *)c;
}

/* now, unless the caller chose a time */
static int64_t or_now(int64_t t)
{
	return t ? t : time_now_ms();
}

/* After an UPDATE/DELETE guarded by "id = $1 AND version matches" touched no row: does the
 * row exist at all (-> KP_EPRECONDITION) or not (-> KP_ENOTFOUND)? table is a constant. */
static int missing_or_stale(struct pg_conn *pc, const char *exists_sql, int64_t id, const char *what,
			    struct kp_err *err)
{
	struct pg_params p;
	store_pg_params_init(&p);
	store_pg_p_i64(&p, id);
	PGresult *r = NULL;
	int rc = store_pg_exec(pc, -1, exists_sql, &p, &r, KP_ESTORE, err);
	if (rc != 0)
		return rc;
	int exists = PQntuples(r) > 0;
	PQclear(r);
	if (exists)
		return kp_err_set(err, KP_EPRECONDITION, "%s %lld has another version", what, (long long)id);
	return kp_err_set(err, KP_ENOTFOUND, "%s %lld not found", what, (long long)id);
}

static int not_found(struct kp_err *err, const char *what)
{
	return kp_err_set(err, KP_ENOTFOUND, "%s not found", what);
}

/* After a rename: the context (owner's name) the search vectors of its timeline carry. */
static int set_context(struct pg_conn *pc, int stmt, const char *sql, int64_t id, const char *name,
		       struct kp_err *err)
{
	struct pg_params p;
	store_pg_params_init(&p);
	store_pg_p_i64(&p, id);
	store_pg_p_str(&p, name ? name : "");
	PGresult *r;
	int rc = store_pg_exec(pc, stmt, sql, &p, &r, KP_ESTORE, err);
	PQclear(r);
	return rc;
}

/* Space-joined tags, for the search vector. */
static int tag_text(const char *const *tags, size_t n, struct buf *out, struct kp_err *err)
{
	int bad = 0;
	for (size_t i = 0; i < n; i++) {
		if (i)
			bad |= buf_addc(out, ' ');
		bad |= buf_adds(out, tags[i] ? tags[i] : "");
	}
	return bad ? kp_err_set(err, KP_ETOOLARGE, "too many tags") : 0;
}

/* JSON text of a string array (["a","b"]) for a child-table parameter. */
static int json_str_array(struct buf *b, const char *const *items, size_t n, struct kp_err *err)
{
	int bad = buf_addc(b, '[');
	for (size_t i = 0; i < n && !bad; i++) {
		if (i)
			bad |= buf_addc(b, ',');
		const char *s = items[i] ? items[i] : "";
		bad |= buf_add_json_str(b, s, strlen(s));
	}
	bad |= buf_addc(b, ']');
	return bad ? kp_err_set(err, KP_ETOOLARGE, "too many tags") : 0;
}

/* Copy a JSON array of strings (from json_agg) into an arena array. */
static int parse_str_array(struct arena *a, const char *text, const char ***out, size_t *n, struct kp_err *err)
{
	*out = NULL;
	*n = 0;
	if (!text)
		return 0;
	json_error_t jerr;
	json_t *arr = json_loads(text, JSON_DECODE_ANY, &jerr);
	if (!arr || !json_is_array(arr)) {
		json_decref(arr);
		return kp_err_set(err, KP_ESTORE, "postgres: bad tag list from the database");
	}
	size_t cnt = json_array_size(arr);
	const char **v = cnt ? arena_alloc(a, cnt * sizeof(*v)) : NULL;
	for (size_t i = 0; i < cnt; i++)
		v[i] = arena_strdup(a, json_string_value(json_array_get(arr, i)));
	json_decref(arr);
	*out = v;
	*n = cnt;
	return 0;
}

/* Keyset pagination, as the SQLite backend does it: pg->sort picks a column from the
 * list's table of sortable columns (NULL: that list cannot be sorted that way ->
 * KP_EINVAL), pg->desc the direction, t.id breaks ties. The key comes from pg->after_key
 * or, when the caller gave only after_id, from that row itself. Names sort case-folded
 * (lower(name) in byte order), so a cursor's key is the last item's name as returned. */
struct sort_col {
	const char *expr;    /* over the list's row alias t */
	const char *keyexpr; /* the same over "k" (the after_id row) */
	int numeric;
};

static const struct sort_col SORT_ID = { "t.id", "k.id", 1 };
static const struct sort_col SORT_NAME = { "lower(t.name) COLLATE \"C\"", "lower(k.name) COLLATE \"C\"", 0 };
static const struct sort_col SORT_CREATED = { "t.created_at", "k.created_at", 1 };
static const struct sort_col SORT_UPDATED = { "t.updated_at", "k.updated_at", 1 };
static const struct sort_col SORT_OCCURRED = { "t.occurred_at", "k.occurred_at", 1 };

/* sortable columns by enum store_sort */
static const struct sort_col *const named_sorts[5] = { &SORT_ID, &SORT_NAME, &SORT_CREATED, &SORT_UPDATED, NULL };
static const struct sort_col *const note_sorts[5] = { &SORT_ID, NULL, &SORT_CREATED, &SORT_UPDATED, &SORT_CREATED };
static const struct sort_col *const interaction_sorts[5] = { &SORT_ID, NULL, &SORT_CREATED, &SORT_UPDATED,
							       &SORT_OCCURRED };

#define PAGE_LIMIT_MAX 1000

static int page_limit(const struct store_page *pg)
{
	int limit = pg && pg->limit > 0 ? pg->limit : 50;
	return limit > PAGE_LIMIT_MAX ? PAGE_LIMIT_MAX : limit;
}

static int add_keyset(struct buf *sql, struct pg_params *p, const struct store_page *pg,
		      const struct sort_col *const cols[5], const char *table, struct kp_err *err)
{
	int sort = pg ? pg->sort : STORE_SORT_ID;
	if (sort < 0 || sort > 4 || !cols[sort])
		return kp_err_set(err, KP_EINVAL, "this list cannot be sorted that way");
	const struct sort_col *sc = cols[sort];
	int desc = pg ? pg->desc : 0;
	const char *cmp = desc ? "<" : ">";
	int bad = 0;
	if (pg && pg->has_after) {
		if (sort == STORE_SORT_ID) {
			store_pg_p_i64(p, pg->after_id);
			bad |= buf_addf(sql, " AND t.id %s $%d", cmp, p->n);
		} else if (pg->after_key) {
			if (sc->numeric) {
				char *end;
				errno = 0;
				long long v = strtoll(pg->after_key, &end, 10);
				if (errno || end == pg->after_key || *end)
					return kp_err_set(err, KP_EINVAL, "cursor sort key is not a number");
				store_pg_p_i64(p, v);
				bad |= buf_addf(sql, " AND (%s, t.id) %s ($%d::bigint", sc->expr, cmp, p->n);
			} else {
				store_pg_p_str(p, pg->after_key);
				bad |= buf_addf(sql, " AND (%s, t.id) %s (lower($%d::text) COLLATE \"C\"", sc->expr, cmp,
						p->n);
			}
			store_pg_p_i64(p, pg->after_id);
			bad |= buf_addf(sql, ", $%d::bigint)", p->n);
		} else {
			store_pg_p_i64(p, pg->after_id);
			bad |= buf_addf(sql, " AND (%s, t.id) %s (SELECT %s, k.id FROM %s k WHERE k.id = $%d)", sc->expr,
					cmp, sc->keyexpr, table, p->n);
		}
	}
	store_pg_p_i64(p, (int64_t)page_limit(pg) + 1);
	const char *dir = desc ? "DESC" : "ASC";
	if (sort == STORE_SORT_ID)
		bad |= buf_addf(sql, " ORDER BY t.id %s LIMIT $%d", dir, p->n);
	else
		bad |= buf_addf(sql, " ORDER BY %s %s, t.id %s LIMIT $%d", sc->expr, dir, dir, p->n);
	return bad ? kp_err_set(err, KP_EINTERNAL, "query too long") : 0;
}

/* "prefix%" for LIKE, with \ % _ escaped; from the arena. */
static const char *like_prefix(struct arena *a, const char *s)
{
	size_t n = strlen(s);
	char *o = arena_alloc(a, 2 * n + 2), *q = o;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\' || s[i] == '%' || s[i] == '_')
			*q++ = '\\';
		*q++ = s[i];
	}
	*q++ = '%';
	*q = '\0';
	return o;
}

/* ---- staff --------------------------------------------------------------------------- */

#define STAFF_COLS "t.id, t.email, t.name, t.role, t.team, t.pw_hash, t.active, t.version, t.created_at, t.updated_at"

static void read_staff(struct arena *a, const PGresult *r, int row, struct staff *o)
{
	memset(o, 0, sizeof(*o));
	o->id = store_pg_i64(r, row, 0);
	o->email = store_pg_str(a, r, row, 1);
	o->name = store_pg_str(a, r, row, 2);
	o->role = (int)store_pg_i64(r, row, 3);
	o->team = store_pg_str(a, r, row, 4);
	o->pw_hash = store_pg_str(a, r, row, 5);
	o->active = store_pg_bool(r, row, 6);
	o->version = store_pg_i64(r, row, 7);
	o->created_at = store_pg_i64(r, row, 8);
	o->updated_at = store_pg_i64(r, row, 9);
}

static int pg_staff_insert(struct store_conn *c, struct staff *st, struct kp_err *err)
{
	struct pg_params p;
	store_pg_params_init(&p);
	int64_t created = or_now(st->created_at), updated = st->updated_at ? st->updated_at : created;
	store_pg_p_str(&p, st->email);
	store_pg_p_str(&p, st->name);
	store_pg_p_i64(&p, st->role);
	store_pg_p_str(&p, st->team);
	store_pg_p_str(&p, st->pw_hash);
	store_pg_p_bool(&p, st->active);
	store_pg_p_i64(&p, created);
	store_pg_p_i64(&p, updated);
	PGresult *r;
	int rc = store_pg_exec(PC(c), Q_STAFF_INSERT,
			       "INSERT INTO staff (email, name, role, team, pw_hash, active, created_at, updated_at)"
			       " VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
			       &p, &r, KP_ENOTFOUND, err);
	if (rc != 0)
		return rc;
	st->id = store_pg_i64(r, 0, 0);
	st->version = 1;
	st->created_at = created;
	st->updated_at = updated;
	PQclear(r);
	return 0;
}

static int staff_get_one(struct store_conn *c, int id_stmt, const char *sql, struct pg_params *p,
			 struct staff *out, struct arena *a, struct kp_err *err)
{
	PGresult *r;
	int rc = store_pg_exec(PC(c), id_stmt, sql, p, &r, KP_ESTORE, err);
	if (rc != 0)
		return rc;
	if (PQntuples(r) == 0)
		rc = not_found(err, "staff member");
	else
		read_staff(a, r, 0, out);
	PQclear(r);
	return rc;
}

static int pg_staff_get(struct store_conn *c, int64_t id, struct staff *out, struct arena *a, struct kp_err *err)
{
	struct pg_params p;
	store_pg_params_init(&p);
	store_pg_p_i64(&p, id);
	return staff_get_one(c, Q_STAFF_GET, "SELECT " STAFF_COLS " FROM staff t WHERE t.id = $1", &p, out, a, err);
}

static int pg_staff_get_by_email(struct store_conn *c, const char *email, struct staff *out, struct arena *a,
				 struct kp_err *err)
{
	struct pg_params p;
	store_pg_params_init(&p);
	store_pg_p_str(&p, email);
	return staff_get_one(c, Q_STAFF_GET_EMAIL, "SELECT " STAFF_COLS " FROM staff t WHERE t.email = $1", &p, out,
			     a, err);
}

static int pg_staff_update(struct store_conn *c, struct staff *st, int64_t expected_version, struct kp_err *err)
{
	struct pg_params p;
	store_pg_params_init(&p);
	store_pg_p_i64(&p, st->id);
	store_pg_p_i64(&p, expected_version);
	store_pg_p_str(&p, st->email);
	store_pg_p_str(&p, st->name);
	store_pg_p_i64(&p, st->role);
	store_pg_p_str(&p, st->team);
	store_pg_p_str(&p, st->pw_hash);
	store_pg_p_bool(&p, st->active);
	store_pg_p_i64(&p, time_now_ms());
	PGresult *r;
	int rc = store_pg_exec(PC(c), Q_STAFF_UPDATE,
			       "UPDATE staff SET email = $3, name = $4, role = $5, team = $6, pw_hash = $7, active = $8,"
			       " version = version + 1, updated_at = $9"
			       " WHERE id = $1 AND ($2::bigint = 0 OR version = $2) RETURNING version, updated_at",
			       &p, &r, KP_ENOTFOUND, err);
	if (rc != 0)
		return rc;
	if (PQntuples(r) == 0) {
		PQclear(r);
		return missing_or_stale(PC(c), "SELECT 1 FROM staff WHERE id = $1", st->id, "staff member", err);
	}
	st->version = store_pg_i64(r, 0, 0);
	st->updated_at = store_pg_i64(r, 0, 1);
	PQclear(r);
	return 0;
}

static int pg_staff_list(struct store_conn *c, const struct store_page *pg, struct staff_list *out, struct arena *a,
			 struct kp_err *err)
{
	struct buf sql = BUF_INIT(SQL_MAX);
	struct pg_params p;
	PGresult *r = NULL;
	int rc;
	memset(out, 0, sizeof(*out));
	store_pg_params_init(&p);
	if (buf_adds(&sql, "SELECT " STAFF_COLS " FROM staff t WHERE true") < 0) {
		rc = kp_err_set(err, KP_EINTERNAL, "query too long");
		goto out;
	}
	rc = add_keyset(&sql, &p, pg, named_sorts, "staff", err);
	if (rc != 0)
		goto out;
	rc = store_pg_exec(PC(c), -1, sql.ptr, &p, &r, KP_ESTORE, err);
	if (rc != 0)
		goto out;
	int n = PQntuples(r), limit = page_limit(pg);
	out->more = n > limit;
	out->n = (size_t)(n > limit ? limit : n);
	out->items = out->n ? arena_calloc(a, out->n * sizeof(*out->items)) : NULL;
	for (size_t i = 0; i < out->n; i++)
		read_staff(a, r, (int)i, &out->items[i]);
out:
	PQclear(r);
	buf_release(&sql);
	return rc;
}

static int count_query(struct store_conn *c, int id, const char *sql, int64_t *n, struct kp_err *err)
{
	PGresult *r;
	int rc = store_pg_exec(PC(c), id, sql, NULL, &r, KP_ESTORE, err);
	if (rc != 0)
		return rc;
	*n = store_pg_i64(r, 0, 0);
	PQclear(r);
	return 0;
}

static int pg_staff_count(struct store_conn *c, int64_t *n, struct kp_err *err)
{
	return count_query(c, Q_STAFF_COUNT, "SELECT count(*) FROM staff", n, err);
}

/* ---- api tokens ---------------------------------------------------------------------- */

#define TOKEN_COLS "id, staff_id, label, token_hash, created_at, last_used_at, revoked_at"

static void read_token(struct arena *a, const PGresult *r, int row, struct api_token *o)
{
	memset(o, 0, sizeof(*o));
	o->id = store_pg_i64(r, row, 0);
	o->staff_id = store_pg_i64(r, row, 1);
	o->label = store_pg_str(a, r, row, 2);
	o->token_hash = store_pg_str(a, r, row, 3);
	o->created_at = store_pg_i64(r, row, 4);
	o->last_used_at = store_pg_i64(r, row, 5);
	o->revoked_at = store_pg_i64(r, row, 6);
}

static int pg_token_insert(struct store_conn *c, struct api_token *t, struct kp_err *err)
{
	struct pg_params p;
	store_pg_params_init(&p);
	int64_t created = or_now(t->created_at);
	store_pg_p_i64(&p, t->staff_id);
	store_pg_p_str(&p, t->label);
	store_pg_p_str(&p, t->token_hash);
	store_pg_p_i64(&p, created);
	store_pg_p_i64(&p, t->last_used_at);
	store_pg_p_i64(&p, t->revoked_at);
	PGresult *r;
	int rc = store_pg_exec(PC(c), Q_TOKEN_INSERT,
			       "INSERT INTO api_tokens (staff_id, label, token_hash, created_at, last_used_at, revoked_at)"
			       " VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
			       &p, &r, KP_ENOTFOUND, err);
	if (rc != 0)
		return rc;
	t->id = store_pg_i64(r, 0, 0);
	t->created_at = created;
	PQclear(r);
	return 0;
}

static int pg_token_get_by_hash(struct store_conn *c, const char *hash, struct api_token *out, struct arena *a,
				struct kp_err *err)
{
	struct pg_params p;
	store_pg_params_init(&p);
	store_pg_p_str(&p, hash);
	PGresult *r;
	int rc = store_pg_exec(PC(c), Q_TOKEN_GET_HASH,
			       "SELECT " TOKEN_COLS " FROM api_tokens WHERE token_hash = $1 AND revoked_at = 0", &p,
			       &r, KP_ESTORE, err);
	if (rc != 0)
		return rc;
	if (PQntuples(r) == 0)
		rc = not_found(err, "token");
	else
		read_token(a, r, 0, out);
	PQclear(r);
	return rc;
}

static int pg_token_list(struct store_conn *c, int64_t staff_id, struct token_list *out, struct arena *a,
			 struct kp_err *err)
{
	struct pg_params p;
	store_pg_params_init(&p);
	store_pg_p_i64(&p, staff_id);
	memset(out, 0, sizeof(*out));
	PGresult *r;
	int rc = store_pg_exec(PC(c), Q_TOKEN_LIST,
			       "SELECT " TOKEN_COLS " FROM api_tokens WHERE $1::bigint = 0 OR staff_id = $1 ORDER BY id",
			       &p, &r, KP_ESTORE, err);
	if (rc != 0)
		return rc;
	out->n = (size_t)PQntuples(r);
	out->items = out->n ? arena_calloc(a, out->n * sizeof(*out->items)) : NULL;
	for (size_t i = 0; i < out->n; i++)
		read_token(a, r, (int)i, &out->items[i]);
	PQclear(r);
	return 0;
}

/* Revokes the token (staff_id 0: whoever owns it). Revoking a revoked token keeps the first
 * revocation time and succeeds; KP_ENOTFOUND when no such token (of that staff member). */
static int pg_token_revoke(struct store_conn *c, int64_t id, int64_t staff_id, struct kp_err *err)
{
	struct pg_params p;
	store_pg_params_init(&p);
	store_pg_p_i64(&p, id);
	store_pg_p_i64(&p, staff_id);
	store_pg_p_i64(&p, time_now_ms());
	PGresult *r;
	int rc = store_pg_exec(PC(c), Q_TOKEN_REVOKE,
			       "UPDATE api_tokens SET revoked_at = CASE WHEN revoked_at = 0 THEN $3 ELSE revoked_at END"
			       " WHERE id = $1 AND ($2::bigint = 0 OR staff_id = $2) RETURNING id",
			       &p, &r, KP_ESTORE, err);
	if (rc != 0)
		return rc;
	if (PQntuples(r) == 0)
		rc = not_found(err, "token");
	PQclear(r);
	return rc;
}

static int pg_token_touch(struct store_conn *c, int64_t id, int64_t at, struct kp_err *err)
{
	struct pg_params p;
	store_pg_params_init(&p);
	store_pg_p_i64(&p, id);
	store_pg_p_i64(&p, or_now(at));
	PGresult *r;
	int rc = store_pg_exec(PC(c), Q_TOKEN_TOUCH, "UPDATE api_tokens SET last_used_at = $2 WHERE id = $1", &p, &r,
			       KP_ESTORE, err);
	if (rc != 0)
		return rc;
	if (strcmp(PQcmdTuples(r), "0") == 0)
		rc = not_found(err, "token");
	PQclear(r);
	return rc;
}

/* ---- sessions ------------------------------------------------------------------------ */

static int pg_session_insert(struct store_conn *c, const struct session *se, struct kp_err *err)
{
	struct pg_params p;
	store_pg_params_init(&p);
	store_pg_p_str(&p, se->id_hash);
	store_pg_p_i64(&p, se->staff_id);
	store_pg_p_str(&p, se->csrf);
	store_pg_p_i64(&p, or_now(se->created_at));
	store_pg_p_i64(&p, se->expires_at);
	PGresult *r;
	int rc = store_pg_exec(PC(c), Q_SESSION_INSERT,
			       "INSERT INTO sessions (id_hash, staff_id, csrf, created_at, expires_at)"
			       " VALUES ($1, $2, $3, $4, $5)",
			       &p, &r, KP_ENOTFOUND, err);
	PQclear(r);
	return rc;
}

static int pg_session_get(struct store_conn *c, const char *id_hash, struct session *out, struct arena *a,
			  struct kp_err *err)
{
	struct pg_params p;
	store_pg_params_init(&p);
	store_pg_p_str(&p, id_hash);
	PGresult *r;
	int rc = store_pg_exec(PC(c), Q_SESSION_GET,
			       "SELECT id_hash, staff_id, csrf, created_at, expires_at FROM sessions WHERE id_hash = $1",
			       &p, &r, KP_ESTORE, err);
	if (rc != 0)
		return rc;
	if (PQntuples(r) == 0) {
		rc = not_found(err, "session");
	} else {
		memset(out, 0, sizeof(*out));
		out->id_hash = store_pg_str(a, r, 0, 0);
		out->staff_id = store_pg_i64(r, 0, 1);
		out->csrf = store_pg_str(a, r, 0, 2);
		out->created_at = store_pg_i64(r, 0, 3);
		out->expires_at = store_pg_i64(r, 0, 4);
	}
	PQclear(r);
	return rc;
}

static int pg_session_delete(struct store_conn *c, const char *id_hash, struct kp_err *err)
{
	struct pg_params p;
	store_pg_params_init(&p);
	store_pg_p_str(&p, id_hash);
	PGresult *r;
	int rc = store_pg_exec(PC(c), Q_SESSION_DELETE, "DELETE FROM sessions WHERE id_hash = $1", &p, &r, KP_ESTORE,
			       err);
	if (rc != 0)
		return rc;
	if (strcmp(PQcmdTuples(r), "0") == 0)
		rc = not_found(err, "session");
	PQclear(r);
	return rc;
}

static int pg_session_delete_for_staff(struct store_conn *c, int64_t staff_id, const char *keep_id_hash,
				       struct kp_err *err)
{
	struct pg_params p;
	store_pg_params_init(&p);
	store_pg_p_i64(&p, staff_id);
	store_pg_p_str(&p, keep_id_hash);
	PGresult *r;
	int rc = store_pg_exec(PC(c), Q_SESSION_DELETE_STAFF,
			       "DELETE FROM sessions WHERE staff_id = $1 AND ($2::text IS NULL OR id_hash <> $2)", &p,
			       &r, KP_ESTORE, err);
	PQclear(r);
	return rc;
}

/* ---- organisations -------------------------------------------------------------------- */

#define ORG_COLS                                                                                        \
	"t.id, t.name, t.business_id, t.website, t.phone, t.email, t.address_json, t.owner_id,"          \
	" t.custom_json, t.version, t.created_at, t.updated_at,"                                        \
	" (SELECT coalesce(json_agg(g.tag ORDER BY g.tag COLLATE \"C\"), '[]') FROM org_tags g WHERE g.org_id = t.id)"

static int read_org(struct arena *a, const PGresult *r, int row, struct organization *o, struct kp_err *err)
{
	memset(o, 0, sizeof(*o));
	o->id = store_pg_i64(r, row, 0);
	o->name = store_pg_str(a, r, row, 1);
	o->business_id = store_pg_str(a, r, row, 2);
	o->website = store_pg_str(a, r, row, 3);
	o->phone = store_pg_str(a, r, row, 4);
	o->email = store_pg_str(a, r, row, 5);
	o->address_json = store_pg_str(a, r, row, 6);
	o->owner_id = store_pg_i64(r, row, 7);
	o->custom_json = store_pg_str(a, r, row, 8);
	o->version = store_pg_i64(r, row, 9);
	o->created_at = store_pg_i64(r, row, 10);
	o->updated_at = store_pg_i64(r, row, 11);
	return parse_str_array(a, PQgetvalue(r, row, 12), &o->tags, &o->ntags, err);
}

static int org_write_tags(struct pg_conn *pc, int64_t id, const struct organization *o, int replace,
			  struct kp_err *err)
{
	struct buf tags = BUF_INIT(JSON_PARAM_MAX);
	struct pg_params p;
	PGresult *r = NULL;
	int rc = json_str_array(&tags, o->tags, o->ntags, err);
	if (rc != 0)
		goto out;
	store_pg_params_init(&p);
	store_pg_p_i64(&p, id);
	if (replace) {
		rc = store_pg_exec(pc, Q_ORG_TAGS_DELETE, "DELETE FROM org_tags WHERE org_id = $1", &p, &r, KP_ESTORE,
				   err);
		PQclear(r);
		r = NULL;
		if (rc != 0)
			goto out;
	}
	if (o->ntags == 0)
		goto out;
	store_pg_p_str(&p, tags.ptr);
	rc = store_pg_exec(pc, Q_ORG_TAGS_INSERT,
			   "INSERT INTO org_tags (org_id, tag, position)"
			   " SELECT $1, g.tag, g.ord FROM json_array_elements_text($2::json) WITH ORDINALITY AS g(tag, ord)"
			   " ON CONFLICT DO NOTHING",
			   &p, &r, KP_ESTORE, err);
out:
	PQclear(r);
	buf_release(&tags);
	return rc;
}

static int pg_org_insert(struct store_conn *c, struct organization *o, struct kp_err *err)
{
	struct pg_conn *pc = PC(c);
	struct pg_params p;
	PGresult *r = NULL;
	int opened = 0;
	int64_t created = or_now(o->created_at), updated = o->updated_at ? o->updated_at : created;
	struct buf tagtext = BUF_INIT(JSON_PARAM_MAX);
	int rc = tag_text(o->tags, o->ntags, &tagtext, err);
	if (rc != 0)
		return rc;
	rc = store_pg_atomic_begin(pc, &opened, err);
	if (rc != 0)
		goto out;
	store_pg_params_init(&p);
	store_pg_p_str(&p, o->name);
	store_pg_p_str(&p, o->business_id);
	store_pg_p_str(&p, o->website);
	store_pg_p_str(&p, o->phone);
	store_pg_p_str(&p, o->email);
	store_pg_p_str(&p, o->address_json);
	store_pg_p_id(&p, o->owner_id);
	store_pg_p_str(&p, o->custom_json);
	store_pg_p_i64(&p, created);
	store_pg_p_i64(&p, updated);
	store_pg_p_str(&p, tagtext.ptr);
	rc = store_pg_exec(pc, Q_ORG_INSERT,
			   "INSERT INTO organizations (name, business_id, website, phone, email, address_json, owner_id,"
			   " custom_json, created_at, updated_at, tag_text)"
			   " VALUES ($1, $2, $3, $4, $5, $6, $7, coalesce($8, '{}'), $9, $10, $11) RETURNING id",
			   &p, &r, KP_ENOTFOUND, err);
	if (rc != 0)
		goto out;
	int64_t id = store_pg_i64(r, 0, 0);
	rc = org_write_tags(pc, id, o, 0, err);
	if (rc != 0)
		goto out;
	o->id = id;
	o->version = 1;
	o->created_at = created;
	o->updated_at = updated;
out:
	PQclear(r);
	buf_release(&tagtext);
	return store_pg_atomic_end(pc, opened, rc, err);
}

static int pg_org_get(struct store_conn *c, int64_t id, struct organization *out, struct arena *a, struct kp_err *err)
{
	struct pg_params p;
	store_pg_params_init(&p);
	store_pg_p_i64(&p, id);
	PGresult *r;
	int rc = store_pg_exec(PC(c), Q_ORG_GET, "SELECT " ORG_COLS " FROM organizations t WHERE t.id = $1", &p, &r,
			       KP_ESTORE, err);
	if (rc != 0)
		return rc;
	if (PQntuples(r) == 0)
		rc = not_found(err, "organization");
	else
		rc = read_org(a, r, 0, out, err);
	PQclear(r);
	return rc;
}

static int pg_org_update(struct store_conn *c, struct organization *o, int64_t expected_version, struct kp_err *err)
{
	struct pg_conn *pc = PC(c);
	struct pg_params p;
	PGresult *r = NULL;
	int opened = 0;
	struct buf tagtext = BUF_INIT(JSON_PARAM_MAX);
	int rc = tag_text(o->tags, o->ntags, &tagtext, err);
	if (rc != 0)
		return rc;
	rc = store_pg_atomic_begin(pc, &opened, err);
	if (rc != 0)
		goto out;
	store_pg_params_init(&p);
	store_pg_p_i64(&p, o->id);
	store_pg_p_i64(&p, expected_version);
	store_pg_p_str(&p, o->name);
	store_pg_p_str(&p, o->business_id);
	store_pg_p_str(&p, o->website);
	store_pg_p_str(&p, o->phone);
	store_pg_p_str(&p, o->email);
	store_pg_p_str(&p, o->address_json);
	store_pg_p_id(&p, o->owner_id);
	store_pg_p_str(&p, o->custom_json);
	store_pg_p_i64(&p, time_now_ms());
	store_pg_p_str(&p, tagtext.ptr);
	rc = store_pg_exec(pc, Q_ORG_UPDATE,
			   "WITH old AS (SELECT name FROM organizations WHERE id = $1 FOR UPDATE)"
			   " UPDATE organizations SET name = $3, business_id = $4, website = $5, phone = $6, email = $7,"
			   " address_json = $8, owner_id = $9, custom_json = coalesce($10, '{}'), tag_text = $12,"
			   " version = version + 1, updated_at = $11"
			   " WHERE id = $1 AND ($2::bigint = 0 OR version = $2)"
			   " RETURNING version, updated_at, (SELECT name FROM old) IS DISTINCT FROM $3",
			   &p, &r, KP_ENOTFOUND, err);
	if (rc != 0)
		goto out;
	if (PQntuples(r) == 0) {
		rc = missing_or_stale(pc, "SELECT 1 FROM organizations WHERE id = $1", o->id, "organization", err);
		goto out;
	}
	int64_t version = store_pg_i64(r, 0, 0), updated = store_pg_i64(r, 0, 1);
	int renamed = store_pg_bool(r, 0, 2);
	rc = org_write_tags(pc, o->id, o, 1, err);
	if (rc == 0 && renamed)
		rc = set_context(pc, Q_ORG_CONTEXT, "UPDATE notes SET context = $2 WHERE org_id = $1", o->id, o->name,
				 err);
	if (rc != 0)
		goto out;
	o->version = version;
	o->updated_at = updated;
out:
	PQclear(r);
	buf_release(&tagtext);
	return store_pg_atomic_end(pc, opened, rc, err);
}

static int pg_org_delete(struct store_conn *c, int64_t id, int64_t expected_version, struct kp_err *err)
{
	struct pg_params p;
	store_pg_params_init(&p);
	store_pg_p_i64(&p, id);
	store_pg_p_i64(&p, expected_version);
	PGresult *r;
	/* customers.org_id references organizations: a 23503 here means customers still
	 * belong to it (KP_ECONFLICT). Its notes and tags go with it. */
	int rc = store_pg_exec(PC(c), Q_ORG_DELETE,
			       "DELETE FROM organizations WHERE id = $1 AND ($2::bigint = 0 OR version = $2) RETURNING id",
			       &p, &r, KP_ECONFLICT, err);
	if (rc != 0)
		return rc;
	int n = PQntuples(r);
	PQclear(r);
	if (n == 0)
		return missing_or_stale(PC(c), "SELECT 1 FROM organizations WHERE id = $1", id, "organization", err);
	return 0;
}

static int pg_org_list(struct store_conn *c, const struct org_filter *f, const struct store_page *pg,
		       struct org_list *out, struct arena *a, struct kp_err *err)
{
	struct buf sql = BUF_INIT(SQL_MAX);
	struct pg_params p;
	struct arena tmp = ARENA_INIT;
	PGresult *r = NULL;
	int rc = 0, bad = 0;
	memset(out, 0, sizeof(*out));
	store_pg_params_init(&p);
	bad |= buf_adds(&sql, "SELECT " ORG_COLS " FROM organizations t WHERE true");
	if (f && f->name_prefix && *f->name_prefix) {
		store_pg_p_str(&p, like_prefix(&tmp, f->name_prefix));
		bad |= buf_addf(&sql, " AND lower(t.name) COLLATE \"C\" LIKE lower($%d::text) COLLATE \"C\"", p.n);
	}
	if (f && f->tag) {
		store_pg_p_str(&p, f->tag);
		bad |= buf_addf(&sql, " AND EXISTS (SELECT 1 FROM org_tags g WHERE g.org_id = t.id AND g.tag = $%d)", p.n);
	}
	if (f && f->business_id) {
		store_pg_p_str(&p, f->business_id);
		bad |= buf_addf(&sql, " AND t.business_id = $%d", p.n);
	}
	if (f && f->owner_id) {
		store_pg_p_i64(&p, f->owner_id);
		bad |= buf_addf(&sql, " AND t.owner_id = $%d", p.n);
	}
	if (bad) {
		rc = kp_err_set(err, KP_EINTERNAL, "query too long");
		goto out;
	}
	rc = add_keyset(&sql, &p, pg, named_sorts, "organizations", err);
	if (rc != 0)
		goto out;
	rc = store_pg_exec(PC(c), -1, sql.ptr, &p, &r, KP_ESTORE, err);
	if (rc != 0)
		goto out;
	int n = PQntuples(r), limit = page_limit(pg);
	out->more = n > limit;
	out->n = (size_t)(n > limit ? limit : n);
	out->items = out->n ? arena_calloc(a, out->n * sizeof(*out->items)) : NULL;
	for (size_t i = 0; i < out->n && rc == 0; i++)
		rc = read_org(a, r, (int)i, &out->items[i], err);
out:
	PQclear(r);
	buf_release(&sql);
	arena_release(&tmp);
	return rc;
}

/* ---- customers ----------------------------------------------------------------------- */

#define CUSTOMER_COLS                                                                                   \
	"t.id, t.name, t.org_id, t.owner_id, t.custom_json, t.merged_into, t.flags, t.version,"          \
	" t.created_at, t.updated_at,"                                                                  \
	" (SELECT coalesce(json_agg(json_build_array(x.id, x.kind, x.value, x.label, x.is_primary)"      \
	"   ORDER BY x.position), '[]') FROM customer_contacts x WHERE x.customer_id = t.id),"            \
	" (SELECT coalesce(json_agg(g.tag ORDER BY g.tag COLLATE \"C\"), '[]') FROM customer_tags g"               \
	"   WHERE g.customer_id = t.id)"

static int read_customer(struct arena *a, const PGresult *r, int row, struct customer *o, struct kp_err *err)
{
	memset(o, 0, sizeof(*o));
	o->id = store_pg_i64(r, row, 0);
	o->name = store_pg_str(a, r, row, 1);
	o->org_id = store_pg_i64(r, row, 2);
	o->owner_id = store_pg_i64(r, row, 3);
	o->custom_json = store_pg_str(a, r, row, 4);
	o->merged_into = store_pg_i64(r, row, 5);
	o->flags = (int)store_pg_i64(r, row, 6);
	o->version = store_pg_i64(r, row, 7);
	o->created_at = store_pg_i64(r, row, 8);
	o->updated_at = store_pg_i64(r, row, 9);
	json_error_t jerr;
	json_t *arr = json_loads(PQgetvalue(r, row, 10), 0, &jerr);
	if (!arr || !json_is_array(arr)) {
		json_decref(arr);
		return kp_err_set(err, KP_ESTORE, "postgres: bad contact list from the database");
	}
	size_t n = json_array_size(arr);
	o->contacts = n ? arena_calloc(a, n * sizeof(*o->contacts)) : NULL;
	o->ncontacts = n;
	for (size_t i = 0; i < n; i++) {
		json_t *e = json_array_get(arr, i);
		struct contact_point *cp = &o->contacts[i];
		cp->id = (int64_t)json_integer_value(json_array_get(e, 0));
		cp->kind = arena_strdup(a, json_string_value(json_array_get(e, 1)));
		cp->value = arena_strdup(a, json_string_value(json_array_get(e, 2)));
		cp->label = arena_strdup(a, json_string_value(json_array_get(e, 3)));
		cp->primary = json_is_true(json_array_get(e, 4));
	}
	json_decref(arr);
	return parse_str_array(a, PQgetvalue(r, row, 11), &o->tags, &o->ntags, err);
}

/* The customer's children as JSON parameters, and the texts the search vector gets: text
 * (e-mails and phones; addresses are JSON and stay out) and tagtext. */
static int customer_children(const struct customer *cu, struct buf *contacts, struct buf *tags, struct buf *text,
			     struct buf *tagtext, struct kp_err *err)
{
	int bad = buf_addc(contacts, '[');
	for (size_t i = 0; i < cu->ncontacts && !bad; i++) {
		const struct contact_point *cp = &cu->contacts[i];
		const char *kind = cp->kind ? cp->kind : "", *value = cp->value ? cp->value : "";
		if (i)
			bad |= buf_addc(contacts, ',');
		bad |= buf_addc(contacts, '[');
		bad |= buf_add_json_str(contacts, kind, strlen(kind));
		bad |= buf_addc(contacts, ',');
		bad |= buf_add_json_str(contacts, value, strlen(value));
		bad |= buf_addc(contacts, ',');
		if (cp->label)
			bad |= buf_add_json_str(contacts, cp->label, strlen(cp->label));
		else
			bad |= buf_adds(contacts, "null");
		bad |= buf_adds(contacts, cp->primary ? ",true]" : ",false]");
		if (strcmp(kind, "address") != 0) {
			if (text->len)
				bad |= buf_addc(text, ' ');
			bad |= buf_adds(text, value);
		}
	}
	bad |= buf_addc(contacts, ']');
	if (bad)
		return kp_err_set(err, KP_ETOOLARGE, "too many contact points");
	int rc = json_str_array(tags, cu->tags, cu->ntags, err);
	return rc ? rc : tag_text(cu->tags, cu->ntags, tagtext, err);
}

/* Replace the customer's contacts and tags (delete, then insert: two statements, as one
 * statement cannot delete and re-insert the same keys). */
static int customer_replace_children(struct pg_conn *pc, int64_t id, const struct buf *contacts,
				     const struct buf *tags, struct kp_err *err)
{
	struct pg_params p;
	PGresult *r = NULL;
	int rc;
	store_pg_params_init(&p);
	store_pg_p_i64(&p, id);
	rc = store_pg_exec(pc, Q_CUSTOMER_CHILDREN_DELETE,
			   "WITH d AS (DELETE FROM customer_contacts WHERE customer_id = $1)"
			   " DELETE FROM customer_tags WHERE customer_id = $1",
			   &p, &r, KP_ESTORE, err);
	PQclear(r);
	if (rc != 0)
		return rc;
	store_pg_p_str(&p, contacts->ptr);
	store_pg_p_str(&p, tags->ptr);
	rc = store_pg_exec(pc, Q_CUSTOMER_CHILDREN_INSERT,
			   "WITH ct AS (INSERT INTO customer_contacts (customer_id, position, kind, value, label, is_primary)"
			   "  SELECT $1, e.ord, e.v->>0, e.v->>1, e.v->>2, (e.v->>3)::boolean"
			   "  FROM json_array_elements($2::json) WITH ORDINALITY AS e(v, ord))"
			   " INSERT INTO customer_tags (customer_id, tag, position)"
			   " SELECT $1, g.tag, g.ord FROM json_array_elements_text($3::json) WITH ORDINALITY AS g(tag, ord)"
			   " ON CONFLICT DO NOTHING",
			   &p, &r, KP_ESTORE, err);
	PQclear(r);
	return rc;
}

/* One statement: the row and its contacts and tags (one round trip per customer). */
static int pg_customer_insert(struct store_conn *c, struct customer *cu, struct kp_err *err)
{
	struct buf contacts = BUF_INIT(JSON_PARAM_MAX), tags = BUF_INIT(JSON_PARAM_MAX), text = BUF_INIT(JSON_PARAM_MAX);
	struct buf tagtext = BUF_INIT(JSON_PARAM_MAX);
	struct pg_params p;
	PGresult *r = NULL;
	int64_t created = or_now(cu->created_at), updated = cu->updated_at ? cu->updated_at : created;
	int rc = customer_children(cu, &contacts, &tags, &text, &tagtext, err);
	if (rc != 0)
		goto out;
	store_pg_params_init(&p);
	store_pg_p_str(&p, cu->name);
	store_pg_p_id(&p, cu->org_id);
	store_pg_p_id(&p, cu->owner_id);
	store_pg_p_str(&p, cu->custom_json);
	store_pg_p_id(&p, cu->merged_into);
	store_pg_p_i64(&p, cu->flags);
	store_pg_p_str(&p, text.ptr);
	store_pg_p_i64(&p, created);
	store_pg_p_i64(&p, updated);
	store_pg_p_str(&p, contacts.ptr);
	store_pg_p_str(&p, tags.ptr);
	store_pg_p_str(&p, tagtext.ptr);
	rc = store_pg_exec(PC(c), Q_CUSTOMER_INSERT,
			   "WITH cu AS (INSERT INTO customers (name, org_id, owner_id, custom_json, merged_into, flags,"
			   "  contact_text, tag_text, created_at, updated_at)"
			   "  VALUES ($1, $2, $3, coalesce($4, '{}'), $5, $6, $7, $12, $8, $9) RETURNING id),"
			   " ct AS (INSERT INTO customer_contacts (customer_id, position, kind, value, label, is_primary)"
			   "  SELECT cu.id, e.ord, e.v->>0, e.v->>1, e.v->>2, (e.v->>3)::boolean"
			   "  FROM cu, json_array_elements($10::json) WITH ORDINALITY AS e(v, ord)),"
			   " tg AS (INSERT INTO customer_tags (customer_id, tag, position)"
			   "  SELECT cu.id, g.tag, g.ord FROM cu, json_array_elements_text($11::json) WITH ORDINALITY AS g(tag, ord)"
			   "  ON CONFLICT DO NOTHING)"
			   " SELECT id FROM cu",
			   &p, &r, KP_ENOTFOUND, err);
	if (rc != 0)
		goto out;
	cu->id = store_pg_i64(r, 0, 0);
	cu->version = 1;
	cu->created_at = created;
	cu->updated_at = updated;
out:
	PQclear(r);
	buf_release(&contacts);
	buf_release(&tags);
	buf_release(&text);
	buf_release(&tagtext);
	return rc;
}

static int pg_customer_get(struct store_conn *c, int64_t id, struct customer *out, struct arena *a, struct kp_err *err)
{
	struct pg_params p;
	store_pg_params_init(&p);
	store_pg_p_i64(&p, id);
	PGresult *r;
	int rc = store_pg_exec(PC(c), Q_CUSTOMER_GET, "SELECT " CUSTOMER_COLS " FROM customers t WHERE t.id = $1", &p,
			       &r, KP_ESTORE, err);
	if (rc != 0)
		return rc;
	if (PQntuples(r) == 0)
		rc = not_found(err, "customer");
	else
		rc = read_customer(a, r, 0, out, err);
	PQclear(r);
	return rc;
}

static int pg_customer_update(struct store_conn *c, struct customer *cu, int64_t expected_version, struct kp_err *err)
{
	struct pg_conn *pc = PC(c);
	struct buf contacts = BUF_INIT(JSON_PARAM_MAX), tags = BUF_INIT(JSON_PARAM_MAX), text = BUF_INIT(JSON_PARAM_MAX);
	struct buf tagtext = BUF_INIT(JSON_PARAM_MAX);
	struct pg_params p;
	PGresult *r = NULL;
	int opened = 0;
	int rc = customer_children(cu, &contacts, &tags, &text, &tagtext, err);
	if (rc != 0)
		goto out;
	rc = store_pg_atomic_begin(pc, &opened, err);
	if (rc != 0)
		goto out;
	store_pg_params_init(&p);
	store_pg_p_i64(&p, cu->id);
	store_pg_p_i64(&p, expected_version);
	store_pg_p_str(&p, cu->name);
	store_pg_p_id(&p, cu->org_id);
	store_pg_p_id(&p, cu->owner_id);
	store_pg_p_str(&p, cu->custom_json);
	store_pg_p_id(&p, cu->merged_into);
	store_pg_p_i64(&p, cu->flags);
	store_pg_p_str(&p, text.ptr);
	store_pg_p_i64(&p, time_now_ms());
	store_pg_p_str(&p, tagtext.ptr);
	rc = store_pg_exec(pc, Q_CUSTOMER_UPDATE,
			   "WITH old AS (SELECT name FROM customers WHERE id = $1 FOR UPDATE)"
			   " UPDATE customers SET name = $3, org_id = $4, owner_id = $5, custom_json = coalesce($6, '{}'),"
			   " merged_into = $7, flags = $8, contact_text = $9, tag_text = $11, version = version + 1,"
			   " updated_at = $10 WHERE id = $1 AND ($2::bigint = 0 OR version = $2)"
			   " RETURNING version, updated_at, (SELECT name FROM old) IS DISTINCT FROM $3",
			   &p, &r, KP_ENOTFOUND, err);
	if (rc != 0)
		goto out;
	if (PQntuples(r) == 0) {
		rc = missing_or_stale(pc, "SELECT 1 FROM customers WHERE id = $1", cu->id, "customer", err);
		goto out;
	}
	int64_t version = store_pg_i64(r, 0, 0), updated = store_pg_i64(r, 0, 1);
	int renamed = store_pg_bool(r, 0, 2);
	rc = customer_replace_children(pc, cu->id, &contacts, &tags, err);
	if (rc == 0 && renamed)
		rc = set_context(pc, Q_CUSTOMER_CONTEXT,
				 "WITH i AS (UPDATE interactions SET context = $2 WHERE customer_id = $1)"
				 " UPDATE notes SET context = $2 WHERE customer_id = $1",
				 cu->id, cu->name, err);
	if (rc != 0)
		goto out;
	cu->version = version;
	cu->updated_at = updated;
out:
	PQclear(r);
	rc = store_pg_atomic_end(pc, opened, rc, err);
	buf_release(&contacts);
	buf_release(&tags);
	buf_release(&text);
	buf_release(&tagtext);
	return rc;
}

static int pg_customer_delete(struct store_conn *c, int64_t id, int64_t expected_version, struct kp_err *err)
{
	struct pg_params p;
	store_pg_params_init(&p);
	store_pg_p_i64(&p, id);
	store_pg_p_i64(&p, expected_version);
	PGresult *r;
	/* contacts, tags, notes and interactions go with it (ON DELETE CASCADE) */
	int rc = store_pg_exec(PC(c), Q_CUSTOMER_DELETE,
			       "DELETE FROM customers WHERE id = $1 AND ($2::bigint = 0 OR version = $2) RETURNING id",
			       &p, &r, KP_ECONFLICT, err);
	if (rc != 0)
		return rc;
	int n = PQntuples(r);
	PQclear(r);
	if (n == 0)
		return missing_or_stale(PC(c), "SELECT 1 FROM customers WHERE id = $1", id, "customer", err);
	return 0;
}

static int pg_customer_list(struct store_conn *c, const struct customer_filter *f, const struct store_page *pg,
			    struct customer_list *out, struct arena *a, struct kp_err *err)
{
	struct buf sql = BUF_INIT(SQL_MAX);
	struct pg_params p;
	struct arena tmp = ARENA_INIT;
	PGresult *r = NULL;
	int rc = 0, bad = 0;
	memset(out, 0, sizeof(*out));
	store_pg_params_init(&p);
	bad |= buf_adds(&sql, "SELECT " CUSTOMER_COLS " FROM customers t WHERE true");
	if (!f || !f->include_merged)
		bad |= buf_adds(&sql, " AND t.merged_into IS NULL");
	if (f && f->name_prefix && *f->name_prefix) {
		store_pg_p_str(&p, like_prefix(&tmp, f->name_prefix));
		bad |= buf_addf(&sql, " AND lower(t.name) COLLATE \"C\" LIKE lower($%d::text) COLLATE \"C\"", p.n);
	}
	if (f && f->tag) {
		store_pg_p_str(&p, f->tag);
		bad |= buf_addf(&sql,
				" AND EXISTS (SELECT 1 FROM customer_tags g WHERE g.customer_id = t.id AND g.tag = $%d)",
				p.n);
	}
	if (f && f->email) {
		store_pg_p_str(&p, f->email);
		bad |= buf_addf(&sql,
				" AND EXISTS (SELECT 1 FROM customer_contacts x WHERE x.customer_id = t.id"
				" AND x.kind = 'email' AND x.value = $%d)",
				p.n);
	}
	if (f && f->phone) {
		store_pg_p_str(&p, f->phone);
		bad |= buf_addf(&sql,
				" AND EXISTS (SELECT 1 FROM customer_contacts x WHERE x.customer_id = t.id"
				" AND x.kind = 'phone' AND x.value = $%d)",
				p.n);
	}
	if (f && f->org_id) {
		store_pg_p_i64(&p, f->org_id);
		bad |= buf_addf(&sql, " AND t.org_id = $%d", p.n);
	}
	if (f && f->owner_id) {
		store_pg_p_i64(&p, f->owner_id);
		bad |= buf_addf(&sql, " AND t.owner_id = $%d", p.n);
	}
	if (f && f->updated_after) {
		store_pg_p_i64(&p, f->updated_after);
		bad |= buf_addf(&sql, " AND t.updated_at > $%d", p.n);
	}
	if (f && f->flags) {
		store_pg_p_i64(&p, f->flags);
		bad |= buf_addf(&sql, " AND (t.flags & $%d::integer) = $%d::integer", p.n, p.n);
	}
	if (bad) {
		rc = kp_err_set(err, KP_EINTERNAL, "query too long");
		goto out;
	}
	rc = add_keyset(&sql, &p, pg, named_sorts, "customers", err);
	if (rc != 0)
		goto out;
	rc = store_pg_exec(PC(c), -1, sql.ptr, &p, &r, KP_ESTORE, err);
	if (rc != 0)
		goto out;
	int n = PQntuples(r), limit = page_limit(pg);
	out->more = n > limit;
	out->n = (size_t)(n > limit ? limit : n);
	out->items = out->n ? arena_calloc(a, out->n * sizeof(*out->items)) : NULL;
	for (size_t i = 0; i < out->n && rc == 0; i++)
		rc = read_customer(a, r, (int)i, &out->items[i], err);
out:
	PQclear(r);
	buf_release(&sql);
	arena_release(&tmp);
	return rc;
}

/* Customers that are not merged tombstones. */
static int pg_customer_count(struct store_conn *c, int64_t *n, struct kp_err *err)
{
	return count_query(c, Q_CUSTOMER_COUNT, "SELECT count(*) FROM customers WHERE merged_into IS NULL", n, err);
}

/* KP_ENOTFOUND if either is missing; KP_ECONFLICT if from == into or either is already
 * merged. Customers earlier merged into `from` now point at `into`. */
static int pg_customer_merge(struct store_conn *c, int64_t from, int64_t into, struct kp_err *err)
{
	struct pg_conn *pc = PC(c);
	struct pg_params p;
	PGresult *r = NULL;
	int opened = 0;
	if (from == into)
		return kp_err_set(err, KP_ECONFLICT, "cannot merge a customer into itself");
	int rc = store_pg_atomic_begin(pc, &opened, err);
	if (rc != 0)
		return rc;
	store_pg_params_init(&p);
	store_pg_p_i64(&p, from);
	store_pg_p_i64(&p, into);
	rc = store_pg_exec(pc, Q_CUSTOMER_LOCK2,
			   "SELECT id, merged_into FROM customers WHERE id IN ($1, $2) ORDER BY id FOR UPDATE", &p, &r,
			   KP_ESTORE, err);
	if (rc != 0)
		goto out;
	int found = 0;
	for (int i = 0; i < PQntuples(r); i++) {
		found++;
		if (!PQgetisnull(r, i, 1)) {
			rc = kp_err_set(err, KP_ECONFLICT, "customer %lld is already merged",
					(long long)store_pg_i64(r, i, 0));
			goto out;
		}
	}
	if (found != 2) {
		rc = kp_err_set(err, KP_ENOTFOUND, "customer not found");
		goto out;
	}
	PQclear(r);
	r = NULL;
	store_pg_p_i64(&p, time_now_ms());
	rc = store_pg_exec(pc, Q_CUSTOMER_MERGE,
			   "WITH nm AS (SELECT name FROM customers WHERE id = $2),"
			   " i AS (UPDATE interactions SET customer_id = $2, context = (SELECT name FROM nm)"
			   "  WHERE customer_id = $1),"
			   " n AS (UPDATE notes SET customer_id = $2, context = (SELECT name FROM nm) WHERE customer_id = $1),"
			   " m AS (UPDATE customers SET merged_into = $2 WHERE merged_into = $1)"
			   " UPDATE customers SET merged_into = $2, version = version + 1, updated_at = $3 WHERE id = $1",
			   &p, &r, KP_ESTORE, err);
out:
	PQclear(r);
	return store_pg_atomic_end(pc, opened, rc, err);
}

/* ---- custom field definitions ---------------------------------------------------------- */

#define FIELD_COLS "id, entity, key, label, type, choices_json, required, version, created_at, updated_at"

static void read_field(struct arena *a, const PGresult *r, int row, struct field_def *o)
{
	memset(o, 0, sizeof(*o));
	o->id = store_pg_i64(r, row, 0);
	o->entity = store_pg_str(a, r, row, 1);
	o->key = store_pg_str(a, r, row, 2);
	o->label = store_pg_str(a, r, row, 3);
	o->type = store_pg_str(a, r, row, 4);
	o->choices_json = store_pg_str(a, r, row, 5);
	o->required = store_pg_bool(r, row, 6);
	o->version = store_pg_i64(r, row, 7);
	o->created_at = store_pg_i64(r, row, 8);
	o->updated_at = store_pg_i64(r, row, 9);
}

static int pg_field_insert(struct store_conn *c, struct field_def *fd, struct kp_err *err)
{
	struct pg_params p;
	store_pg_params_init(&p);
	int64_t created = or_now(fd->created_at), updated = fd->updated_at ? fd->updated_at : created;
	store_pg_p_str(&p, fd->entity);
	store_pg_p_str(&p, fd->key);
	store_pg_p_str(&p, fd->label);
	store_pg_p_str(&p, fd->type);
	store_pg_p_str(&p, fd->choices_json);
	store_pg_p_bool(&p, fd->required);
	store_pg_p_i64(&p, created);
	store_pg_p_i64(&p, updated);
	PGresult *r;
	int rc = store_pg_exec(PC(c), Q_FIELD_INSERT,
			       "INSERT INTO field_defs (entity, key, label, type, choices_json, required, created_at,"
			       " updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
			       &p, &r, KP_ENOTFOUND, err);
	if (rc != 0)
		return rc;
	fd->id = store_pg_i64(r, 0, 0);
	fd->version = 1;
	fd->created_at = created;
	fd->updated_at = updated;
	PQclear(r);
	return 0;
}

static int pg_field_get(struct store_conn *c, int64_t id, struct field_def *out, struct arena *a, struct kp_err *err)
{
	struct pg_params p;
	store_pg_params_init(&p);
	store_pg_p_i64(&p, id);
	PGresult *r;
	int rc = store_pg_exec(PC(c), Q_FIELD_GET, "SELECT " FIELD_COLS " FROM field_defs WHERE id = $1", &p, &r,
			       KP_ESTORE, err);
	if (rc != 0)
		return rc;
	if (PQntuples(r) == 0)
		rc = not_found(err, "field");
	else
		read_field(a, r, 0, out);
	PQclear(r);
	return rc;
}

static int pg_field_update(struct store_conn *c, struct field_def *fd, int64_t expected_version, struct kp_err *err)
{
	struct pg_params p;
	store_pg_params_init(&p);
	store_pg_p_i64(&p, fd->id);
	store_pg_p_i64(&p, expected_version);
	store_pg_p_str(&p, fd->entity);
	store_pg_p_str(&p, fd->key);
	store_pg_p_str(&p, fd->label);
	store_pg_p_str(&p, fd->type);
	store_pg_p_str(&p, fd->choices_json);
	store_pg_p_bool(&p, fd->required);
	store_pg_p_i64(&p, time_now_ms());
	PGresult *r;
	int rc = store_pg_exec(PC(c), Q_FIELD_UPDATE,
			       "UPDATE field_defs SET entity = $3, key = $4, label = $5, type = $6, choices_json = $7,"
			       " required = $8, version = version + 1, updated_at = $9"
			       " WHERE id = $1 AND ($2::bigint = 0 OR version = $2) RETURNING version, updated_at",
			       &p, &r, KP_ENOTFOUND, err);
	if (rc != 0)
		return rc;
	if (PQntuples(r) == 0) {
		PQclear(r);
		return missing_or_stale(PC(c), "SELECT 1 FROM field_defs WHERE id = $1", fd->id, "field", err);
	}
	fd->version = store_pg_i64(r, 0, 0);
	fd->updated_at = store_pg_i64(r, 0, 1);
	PQclear(r);
	return 0;
}

static int pg_field_delete(struct store_conn *c, int64_t id, int64_t expected_version, struct kp_err *err)
{
	struct pg_params p;
	store_pg_params_init(&p);
	store_pg_p_i64(&p, id);
	store_pg_p_i64(&p, expected_version);
	PGresult *r;
	int rc = store_pg_exec(PC(c), Q_FIELD_DELETE,
			       "DELETE FROM field_defs WHERE id = $1 AND ($2::bigint = 0 OR version = $2) RETURNING id",
			       &p, &r, KP_ECONFLICT, err);
	if (rc != 0)
		return rc;
	int n = PQntuples(r);
	PQclear(r);
	if (n == 0)
		return missing_or_stale(PC(c), "SELECT 1 FROM field_defs WHERE id = $1", id, "field", err);
	return 0;
}

static int pg_field_list(struct store_conn *c, const char *entity, struct field_def_list *out, struct arena *a,
			 struct kp_err *err)
{
	struct pg_params p;
	store_pg_params_init(&p);
	store_pg_p_str(&p, entity);
	memset(out, 0, sizeof(*out));
	PGresult *r;
	int rc = store_pg_exec(PC(c), Q_FIELD_LIST,
			       "SELECT " FIELD_COLS " FROM field_defs WHERE $1::text IS NULL OR entity = $1"
			       " ORDER BY entity COLLATE \"C\", key COLLATE \"C\"",
			       &p, &r, KP_ESTORE, err);
	if (rc != 0)
		return rc;
	out->n = (size_t)PQntuples(r);
	out->items = out->n ? arena_calloc(a, out->n * sizeof(*out->items)) : NULL;
	for (size_t i = 0; i < out->n; i++)
		read_field(a, r, (int)i, &out->items[i]);
	PQclear(r);
	return 0;
}

/* ---- notes ----------------------------------------------------------------------------- */

#define NOTE_COLS "t.id, t.customer_id, t.org_id, t.author_id, t.body, t.version, t.created_at, t.updated_at"

static void read_note(struct arena *a, const PGresult *r, int row, struct note *o)
{
	memset(o, 0, sizeof(*o));
	o->id = store_pg_i64(r, row, 0);
	o->customer_id = store_pg_i64(r, row, 1);
	o->org_id = store_pg_i64(r, row, 2);
	o->author_id = store_pg_i64(r, row, 3);
	o->body = store_pg_str(a, r, row, 4);
	o->version = store_pg_i64(r, row, 5);
	o->created_at = store_pg_i64(r, row, 6);
	o->updated_at = store_pg_i64(r, row, 7);
}

static int pg_note_insert(struct store_conn *c, struct note *n, struct kp_err *err)
{
	if ((n->customer_id != 0) == (n->org_id != 0))
		return kp_err_set(err, KP_EINTERNAL, "a note belongs to exactly one of a customer or an organisation");
	struct pg_params p;
	store_pg_params_init(&p);
	int64_t created = or_now(n->created_at), updated = n->updated_at ? n->updated_at : created;
	store_pg_p_id(&p, n->customer_id);
	store_pg_p_id(&p, n->org_id);
	store_pg_p_id(&p, n->author_id);
	store_pg_p_str(&p, n->body ? n->body : "");
	store_pg_p_i64(&p, created);
	store_pg_p_i64(&p, updated);
	PGresult *r;
	int rc = store_pg_exec(PC(c), Q_NOTE_INSERT,
			       "INSERT INTO notes (customer_id, org_id, author_id, body, created_at, updated_at, context)"
			       " VALUES ($1, $2, $3, $4, $5, $6, coalesce((SELECT name FROM customers WHERE id = $1),"
			       " (SELECT name FROM organizations WHERE id = $2), '')) RETURNING id",
			       &p, &r, KP_ENOTFOUND, err);
	if (rc != 0)
		return rc;
	n->id = store_pg_i64(r, 0, 0);
	n->version = 1;
	n->created_at = created;
	n->updated_at = updated;
	PQclear(r);
	return 0;
}

static int pg_note_get(struct store_conn *c, int64_t id, struct note *out, struct arena *a, struct kp_err *err)
{
	struct pg_params p;
	store_pg_params_init(&p);
	store_pg_p_i64(&p, id);
	PGresult *r;
	int rc = store_pg_exec(PC(c), Q_NOTE_GET, "SELECT " NOTE_COLS " FROM notes t WHERE t.id = $1", &p, &r,
			       KP_ESTORE, err);
	if (rc != 0)
		return rc;
	if (PQntuples(r) == 0)
		rc = not_found(err, "note");
	else
		read_note(a, r, 0, out);
	PQclear(r);
	return rc;
}

/* The body is what an update changes (a note stays with its customer or organisation). */
static int pg_note_update(struct store_conn *c, struct note *n, int64_t expected_version, struct kp_err *err)
{
	struct pg_params p;
	store_pg_params_init(&p);
	store_pg_p_i64(&p, n->id);
	store_pg_p_i64(&p, expected_version);
	store_pg_p_str(&p, n->body ? n->body : "");
	store_pg_p_i64(&p, time_now_ms());
	PGresult *r;
	int rc = store_pg_exec(PC(c), Q_NOTE_UPDATE,
			       "UPDATE notes SET body = $3, version = version + 1, updated_at = $4"
			       " WHERE id = $1 AND ($2::bigint = 0 OR version = $2) RETURNING version, updated_at",
			       &p, &r, KP_ENOTFOUND, err);
	if (rc != 0)
		return rc;
	if (PQntuples(r) == 0) {
		PQclear(r);
		return missing_or_stale(PC(c), "SELECT 1 FROM notes WHERE id = $1", n->id, "note", err);
	}
	n->version = store_pg_i64(r, 0, 0);
	n->updated_at = store_pg_i64(r, 0, 1);
	PQclear(r);
	return 0;
}

static int pg_note_delete(struct store_conn *c, int64_t id, int64_t expected_version, struct kp_err *err)
{
	struct pg_params p;
	store_pg_params_init(&p);
	store_pg_p_i64(&p, id);
	store_pg_p_i64(&p, expected_version);
	PGresult *r;
	int rc = store_pg_exec(PC(c), Q_NOTE_DELETE,
			       "DELETE FROM notes WHERE id = $1 AND ($2::bigint = 0 OR version = $2) RETURNING id", &p,
			       &r, KP_ECONFLICT, err);
	if (rc != 0)
		return rc;
	int n = PQntuples(r);
	PQclear(r);
	if (n == 0)
		return missing_or_stale(PC(c), "SELECT 1 FROM notes WHERE id = $1", id, "note", err);
	return 0;
}

/* Exactly one of customer_id / org_id; sorted by id, created_at or updated_at
 * (STORE_SORT_OCCURRED means created_at); the domain asks for newest first. */
static int pg_note_list(struct store_conn *c, int64_t customer_id, int64_t org_id, const struct store_page *pg,
			struct note_list *out, struct arena *a, struct kp_err *err)
{
	struct buf sql = BUF_INIT(SQL_MAX);
	struct pg_params p;
	PGresult *r = NULL;
	int rc = 0, bad = 0;
	memset(out, 0, sizeof(*out));
	store_pg_params_init(&p);
	if (!customer_id == !org_id)
		return kp_err_set(err, KP_EINVAL, "list notes of exactly one customer or organisation");
	bad |= buf_adds(&sql, "SELECT " NOTE_COLS " FROM notes t WHERE ");
	if (customer_id) {
		store_pg_p_i64(&p, customer_id);
		bad |= buf_adds(&sql, "t.customer_id = $1");
	} else {
		store_pg_p_i64(&p, org_id);
		bad |= buf_adds(&sql, "t.org_id = $1");
	}
	if (bad) {
		rc = kp_err_set(err, KP_EINTERNAL, "query too long");
		goto out;
	}
	rc = add_keyset(&sql, &p, pg, note_sorts, "notes", err);
	if (rc != 0)
		goto out;
	rc = store_pg_exec(PC(c), -1, sql.ptr, &p, &r, KP_ESTORE, err);
	if (rc != 0)
		goto out;
	int n = PQntuples(r), limit = page_limit(pg);
	out->more = n > limit;
	out->n = (size_t)(n > limit ? limit : n);
	out->items = out->n ? arena_calloc(a, out->n * sizeof(*out->items)) : NULL;
	for (size_t i = 0; i < out->n; i++)
		read_note(a, r, (int)i, &out->items[i]);
out:
	PQclear(r);
	buf_release(&sql);
	return rc;
}

/* ---- interactions ----------------------------------------------------------------------- */

#define INTERACTION_COLS                                                                                \
	"t.id, t.customer_id, t.org_id, t.staff_id, t.kind, t.direction, t.channel, t.summary, t.body,"  \
	" t.analysis_json, t.abusive, t.occurred_at, t.version, t.created_at, t.updated_at"

static void read_interaction(struct arena *a, const PGresult *r, int row, struct interaction *o)
{
	memset(o, 0, sizeof(*o));
	o->id = store_pg_i64(r, row, 0);
	o->customer_id = store_pg_i64(r, row, 1);
	o->org_id = store_pg_i64(r, row, 2);
	o->staff_id = store_pg_i64(r, row, 3);
	o->kind = store_pg_str(a, r, row, 4);
	o->direction = store_pg_str(a, r, row, 5);
	o->channel = store_pg_str(a, r, row, 6);
	o->summary = store_pg_str(a, r, row, 7);
	o->body = store_pg_str(a, r, row, 8);
	o->analysis_json = store_pg_str(a, r, row, 9);
	o->abusive = store_pg_bool(r, row, 10);
	o->occurred_at = store_pg_i64(r, row, 11);
	o->version = store_pg_i64(r, row, 12);
	o->created_at = store_pg_i64(r, row, 13);
	o->updated_at = store_pg_i64(r, row, 14);
}

/* occurred_at 0 means "when it was recorded". */
static int pg_interaction_insert(struct store_conn *c, struct interaction *it, struct kp_err *err)
{
	struct pg_params p;
	store_pg_params_init(&p);
	int64_t created = or_now(it->created_at), updated = it->updated_at ? it->updated_at : created;
	int64_t occurred = it->occurred_at ? it->occurred_at : created;
	store_pg_p_i64(&p, it->customer_id);
	store_pg_p_id(&p, it->org_id);
	store_pg_p_id(&p, it->staff_id);
	store_pg_p_str(&p, it->kind);
	store_pg_p_str(&p, it->direction);
	store_pg_p_str(&p, it->channel);
	store_pg_p_str(&p, it->summary);
	store_pg_p_str(&p, it->body);
	store_pg_p_str(&p, it->analysis_json);
	store_pg_p_bool(&p, it->abusive);
	store_pg_p_i64(&p, occurred);
	store_pg_p_i64(&p, created);
	store_pg_p_i64(&p, updated);
	PGresult *r;
	int rc = store_pg_exec(PC(c), Q_INTERACTION_INSERT,
			       "INSERT INTO interactions (customer_id, org_id, staff_id, kind, direction, channel, summary,"
			       " body, analysis_json, abusive, occurred_at, created_at, updated_at, context)"
			       " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13,"
			       " coalesce((SELECT name FROM customers WHERE id = $1), '')) RETURNING id",
			       &p, &r, KP_ENOTFOUND, err);
	if (rc != 0)
		return rc;
	it->id = store_pg_i64(r, 0, 0);
	it->version = 1;
	it->occurred_at = occurred;
	it->created_at = created;
	it->updated_at = updated;
	PQclear(r);
	return 0;
}

static int pg_interaction_get(struct store_conn *c, int64_t id, struct interaction *out, struct arena *a,
			      struct kp_err *err)
{
	struct pg_params p;
	store_pg_params_init(&p);
	store_pg_p_i64(&p, id);
	PGresult *r;
	int rc = store_pg_exec(PC(c), Q_INTERACTION_GET,
			       "SELECT " INTERACTION_COLS " FROM interactions t WHERE t.id = $1", &p, &r, KP_ESTORE, err);
	if (rc != 0)
		return rc;
	if (PQntuples(r) == 0)
		rc = not_found(err, "interaction");
	else
		read_interaction(a, r, 0, out);
	PQclear(r);
	return rc;
}

static int pg_interaction_update(struct store_conn *c, struct interaction *it, int64_t expected_version,
				 struct kp_err *err)
{
	struct pg_params p;
	store_pg_params_init(&p);
	store_pg_p_i64(&p, it->id);
	store_pg_p_i64(&p, expected_version);
	store_pg_p_i64(&p, it->customer_id);
	store_pg_p_id(&p, it->org_id);
	store_pg_p_id(&p, it->staff_id);
	store_pg_p_str(&p, it->kind);
	store_pg_p_str(&p, it->direction);
	store_pg_p_str(&p, it->channel);
	store_pg_p_str(&p, it->summary);
	store_pg_p_str(&p, it->body);
	store_pg_p_str(&p, it->analysis_json);
	store_pg_p_bool(&p, it->abusive);
	store_pg_p_i64(&p, it->occurred_at);
	store_pg_p_i64(&p, time_now_ms());
	PGresult *r;
	int rc = store_pg_exec(PC(c), Q_INTERACTION_UPDATE,
			       "UPDATE interactions SET customer_id = $3, org_id = $4, staff_id = $5, kind = $6,"
			       " context = coalesce((SELECT name FROM customers WHERE id = $3), ''),"
			       " direction = $7, channel = $8, summary = $9, body = $10, analysis_json = $11,"
			       " abusive = $12, occurred_at = CASE WHEN $13::bigint = 0 THEN occurred_at ELSE $13 END,"
			       " version = version + 1, updated_at = $14"
			       " WHERE id = $1 AND ($2::bigint = 0 OR version = $2)"
			       " RETURNING version, updated_at, occurred_at",
			       &p, &r, KP_ENOTFOUND, err);
	if (rc != 0)
		return rc;
	if (PQntuples(r) == 0) {
		PQclear(r);
		return missing_or_stale(PC(c), "SELECT 1 FROM interactions WHERE id = $1", it->id, "interaction", err);
	}
	it->version = store_pg_i64(r, 0, 0);
	it->updated_at = store_pg_i64(r, 0, 1);
	it->occurred_at = store_pg_i64(r, 0, 2);
	PQclear(r);
	return 0;
}

static int pg_interaction_delete(struct store_conn *c, int64_t id, int64_t expected_version, struct kp_err *err)
{
	struct pg_params p;
	store_pg_params_init(&p);
	store_pg_p_i64(&p, id);
	store_pg_p_i64(&p, expected_version);
	PGresult *r;
	int rc = store_pg_exec(PC(c), Q_INTERACTION_DELETE,
			       "DELETE FROM interactions WHERE id = $1 AND ($2::bigint = 0 OR version = $2) RETURNING id",
			       &p, &r, KP_ECONFLICT, err);
	if (rc != 0)
		return rc;
	int n = PQntuples(r);
	PQclear(r);
	if (n == 0)
		return missing_or_stale(PC(c), "SELECT 1 FROM interactions WHERE id = $1", id, "interaction", err);
	return 0;
}

/* Sorted as pg says (the timeline: STORE_SORT_OCCURRED, desc). occurred_at in [from, to). */
static int pg_interaction_list(struct store_conn *c, const struct interaction_filter *f, const struct store_page *pg,
			       struct interaction_list *out, struct arena *a, struct kp_err *err)
{
	struct buf sql = BUF_INIT(SQL_MAX);
	struct pg_params p;
	PGresult *r = NULL;
	int rc = 0, bad = 0;
	memset(out, 0, sizeof(*out));
	store_pg_params_init(&p);
	bad |= buf_adds(&sql, "SELECT " INTERACTION_COLS " FROM interactions t WHERE true");
	if (f && f->customer_id) {
		store_pg_p_i64(&p, f->customer_id);
		bad |= buf_addf(&sql, " AND t.customer_id = $%d", p.n);
	}
	if (f && f->org_id) {
		store_pg_p_i64(&p, f->org_id);
		bad |= buf_addf(&sql, " AND t.org_id = $%d", p.n);
	}
	if (f && f->staff_id) {
		store_pg_p_i64(&p, f->staff_id);
		bad |= buf_addf(&sql, " AND t.staff_id = $%d", p.n);
	}
	if (f && f->kind) {
		store_pg_p_str(&p, f->kind);
		bad |= buf_addf(&sql, " AND t.kind = $%d", p.n);
	}
	if (f && f->direction) {
		store_pg_p_str(&p, f->direction);
		bad |= buf_addf(&sql, " AND t.direction = $%d", p.n);
	}
	if (f && f->from) {
		store_pg_p_i64(&p, f->from);
		bad |= buf_addf(&sql, " AND t.occurred_at >= $%d", p.n);
	}
	if (f && f->to) {
		store_pg_p_i64(&p, f->to);
		bad |= buf_addf(&sql, " AND t.occurred_at < $%d", p.n);
	}
	if (f && f->abusive_only)
		bad |= buf_adds(&sql, " AND t.abusive");
	if (bad) {
		rc = kp_err_set(err, KP_EINTERNAL, "query too long");
		goto out;
	}
	rc = add_keyset(&sql, &p, pg, interaction_sorts, "interactions", err);
	if (rc != 0)
		goto out;
	rc = store_pg_exec(PC(c), -1, sql.ptr, &p, &r, KP_ESTORE, err);
	if (rc != 0)
		goto out;
	int n = PQntuples(r), limit = page_limit(pg);
	out->more = n > limit;
	out->n = (size_t)(n > limit ? limit : n);
	out->items = out->n ? arena_calloc(a, out->n * sizeof(*out->items)) : NULL;
	for (size_t i = 0; i < out->n; i++)
		read_interaction(a, r, (int)i, &out->items[i]);
out:
	PQclear(r);
	buf_release(&sql);
	return rc;
}

/* ---- full-text search ------------------------------------------------------------------ */

/*
 * The query goes through kp_fi_norm() (see pg_migrations.c) and plainto_tsquery('finnish'):
 * quotes and operators in it are plain text. Its words are ANDed, the last one also
 * matched as a prefix (search as you type). Every search vector carries its owner's
 * context (see pg_migrations.c), so "Virtasen lasku" finds Virtanen's invoice: "virtas"
 * from the interaction's customer, "lasku" from its text. Merged customers are left out.
 *
 * Each entity contributes at most SEARCH_CANDIDATES matches before ranking (ts_rank), so
 * that one very common word cannot make a search rank a whole table.
 *
 * Snippets come from ts_headline with the matches in «guillemets» (not HTML: the text is
 * the user's own). The documents are indexed -nen-normalised but headlined as written, so
 * the headline query also carries each stem ending in s with n instead (virtas -> virtan:
 * "Virtanen" is highlighted for "Virtasen"); that affects highlighting only, never what
 * matches. rank in the result is minus the score (lower is better).
 */
#define SEARCH_CANDIDATES "1000"
#define SEARCH_BRANCH(ent, table, cust, extra)                                                          \
	" (SELECT '" ent "' AS entity, t.id, " cust " AS customer_id, ts_rank(t.search, q.aq) AS score"    \
	"  FROM " table " t, q WHERE t.search @@ q.aq" extra " LIMIT " SEARCH_CANDIDATES ")"

#define SEARCH_HEADLINE(text) "ts_headline('finnish', " text ", q.hq, 'StartSel=«, StopSel=», MaxWords=25, MinWords=8')"

static int pg_search(struct store_conn *c, const char *q, int limit, struct search_result *out, struct arena *a,
		     struct kp_err *err)
{
	memset(out, 0, sizeof(*out));
	if (limit <= 0)
		limit = 20;
	struct pg_params p;
	store_pg_params_init(&p);
	store_pg_p_str(&p, q ? q : "");
	store_pg_p_i64(&p, (int64_t)limit + 1);
	PGresult *r;
	int rc = store_pg_exec(
		PC(c), Q_SEARCH,
		"WITH a AS (SELECT plainto_tsquery('finnish', kp_fi_norm($1)) AS q0),"
		" b AS (SELECT CASE WHEN numnode(q0) = 0 THEN NULL ELSE"
		"   regexp_replace(q0::text, '''$', ''':*')::tsquery END AS aq FROM a),"
		" q AS (SELECT aq, aq || regexp_replace(replace(aq::text, ' & ', ' | '), 's''', 'n''', 'g')::tsquery"
		"   AS hq FROM b),"
		" hits AS (SELECT * FROM ("
		SEARCH_BRANCH("customer", "customers", "0::bigint", " AND t.merged_into IS NULL")
		" UNION ALL"
		SEARCH_BRANCH("organization", "organizations", "0::bigint", "")
		" UNION ALL"
		SEARCH_BRANCH("interaction", "interactions", "t.customer_id", "")
		" UNION ALL"
		SEARCH_BRANCH("note", "notes", "coalesce(t.customer_id, 0)", "")
		"  ) s ORDER BY score DESC, entity, id LIMIT $2)"
		" SELECT h.entity, h.id, h.customer_id, h.score,"
		"  CASE h.entity"
		"   WHEN 'customer' THEN (SELECT name FROM customers WHERE id = h.id)"
		"   WHEN 'organization' THEN (SELECT name FROM organizations WHERE id = h.id)"
		"   WHEN 'interaction' THEN (SELECT coalesce(nullif(summary, ''), kind) FROM interactions WHERE id = h.id)"
		"   ELSE (SELECT left(body, 80) FROM notes WHERE id = h.id) END,"
		"  CASE h.entity"
		"   WHEN 'customer' THEN (SELECT " SEARCH_HEADLINE("name || ' ' || contact_text || ' ' || tag_text")
		"     FROM customers WHERE id = h.id)"
		"   WHEN 'organization' THEN (SELECT " SEARCH_HEADLINE("name || ' ' || coalesce(business_id, '')")
		"     FROM organizations WHERE id = h.id)"
		"   WHEN 'interaction' THEN (SELECT " SEARCH_HEADLINE("coalesce(summary, '') || ' — ' || coalesce(body, '')")
		"     FROM interactions WHERE id = h.id)"
		"   ELSE (SELECT " SEARCH_HEADLINE("body") " FROM notes WHERE id = h.id) END"
		" FROM hits h, q ORDER BY h.score DESC, h.entity, h.id",
		&p, &r, KP_ESTORE, err);
	if (rc != 0)
		return rc;
	int n = PQntuples(r);
	out->more = n > limit;
	out->n = (size_t)(n > limit ? limit : n);
	out->items = out->n ? arena_calloc(a, out->n * sizeof(*out->items)) : NULL;
	for (size_t i = 0; i < out->n; i++) {
		struct search_hit *h = &out->items[i];
		h->entity = store_pg_str(a, r, (int)i, 0);
		h->id = store_pg_i64(r, (int)i, 1);
		h->customer_id = store_pg_i64(r, (int)i, 2);
		h->rank = -strtod(PQgetvalue(r, (int)i, 3), NULL);
		h->title = store_pg_str(a, r, (int)i, 4);
		h->snippet = store_pg_str(a, r, (int)i, 5);
	}
	PQclear(r);
	return 0;
}

/* ---- audit log ------------------------------------------------------------------------- */

static int pg_audit_insert(struct store_conn *c, struct audit_entry *e, struct kp_err *err)
{
	struct pg_params p;
	store_pg_params_init(&p);
	int64_t at = or_now(e->at);
	store_pg_p_i64(&p, at);
	store_pg_p_id(&p, e->actor_id);
	store_pg_p_str(&p, e->actor ? e->actor : "system");
	store_pg_p_str(&p, e->action);
	store_pg_p_str(&p, e->entity);
	store_pg_p_id(&p, e->entity_id);
	store_pg_p_str(&p, e->request_id);
	store_pg_p_str(&p, e->changes_json);
	PGresult *r;
	int rc = store_pg_exec(PC(c), Q_AUDIT_INSERT,
			       "INSERT INTO audit_log (at, actor_id, actor, action, entity, entity_id, request_id,"
			       " changes_json) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
			       &p, &r, KP_ESTORE, err);
	if (rc != 0)
		return rc;
	e->id = store_pg_i64(r, 0, 0);
	e->at = at;
	PQclear(r);
	return 0;
}

/* Newest first (by id). limit <= 0 means 50. */
static int pg_audit_list(struct store_conn *c, const struct audit_filter *f, struct audit_list *out, struct arena *a,
			 struct kp_err *err)
{
	struct buf sql = BUF_INIT(SQL_MAX);
	struct pg_params p;
	PGresult *r = NULL;
	int rc = 0, bad = 0;
	int limit = f && f->limit > 0 ? f->limit : 50;
	memset(out, 0, sizeof(*out));
	store_pg_params_init(&p);
	bad |= buf_adds(&sql, "SELECT id, at, actor_id, actor, action, entity, entity_id, request_id, changes_json"
			      " FROM audit_log WHERE true");
	if (f && f->entity) {
		store_pg_p_str(&p, f->entity);
		bad |= buf_addf(&sql, " AND entity = $%d", p.n);
	}
	if (f && f->entity_id) {
		store_pg_p_i64(&p, f->entity_id);
		bad |= buf_addf(&sql, " AND entity_id = $%d", p.n);
	}
	if (f && f->actor_id) {
		store_pg_p_i64(&p, f->actor_id);
		bad |= buf_addf(&sql, " AND actor_id = $%d", p.n);
	}
	if (f && f->action) {
		store_pg_p_str(&p, f->action);
		bad |= buf_addf(&sql, " AND action = $%d", p.n);
	}
	if (f && f->since) {
		store_pg_p_i64(&p, f->since);
		bad |= buf_addf(&sql, " AND at >= $%d", p.n);
	}
	if (f && f->before_id) {
		store_pg_p_i64(&p, f->before_id);
		bad |= buf_addf(&sql, " AND id < $%d", p.n);
	}
	store_pg_p_i64(&p, (int64_t)limit + 1);
	bad |= buf_addf(&sql, " ORDER BY id DESC LIMIT $%d", p.n);
	if (bad) {
		rc = kp_err_set(err, KP_EINTERNAL, "query too long");
		goto out;
	}
	rc = store_pg_exec(PC(c), -1, sql.ptr, &p, &r, KP_ESTORE, err);
	if (rc != 0)
		goto out;
	int n = PQntuples(r);
	out->more = n > limit;
	out->n = (size_t)(n > limit ? limit : n);
	out->items = out->n ? arena_calloc(a, out->n * sizeof(*out->items)) : NULL;
	for (size_t i = 0; i < out->n; i++) {
		struct audit_entry *e = &out->items[i];
		int row = (int)i;
		e->id = store_pg_i64(r, row, 0);
		e->at = store_pg_i64(r, row, 1);
		e->actor_id = store_pg_i64(r, row, 2);
		e->actor = store_pg_str(a, r, row, 3);
		e->action = store_pg_str(a, r, row, 4);
		e->entity = store_pg_str(a, r, row, 5);
		e->entity_id = store_pg_i64(r, row, 6);
		e->request_id = store_pg_str(a, r, row, 7);
		e->changes_json = store_pg_str(a, r, row, 8);
	}
out:
	PQclear(r);
	buf_release(&sql);
	return rc;
}

/* ---- idempotency keys -------------------------------------------------------------------- */

static int pg_idem_get(struct store_conn *c, int64_t staff_id, const char *key, struct idem_entry *out,
		       struct arena *a, struct kp_err *err)
{
	struct pg_params p;
	store_pg_params_init(&p);
	store_pg_p_i64(&p, staff_id);
	store_pg_p_str(&p, key);
	PGresult *r;
	int rc = store_pg_exec(PC(c), Q_IDEM_GET,
			       "SELECT key, staff_id, fingerprint, status, location, body, created_at"
			       " FROM idempotency_keys WHERE staff_id = $1 AND key = $2",
			       &p, &r, KP_ESTORE, err);
	if (rc != 0)
		return rc;
	if (PQntuples(r) == 0) {
		rc = not_found(err, "idempotency key");
	} else {
		memset(out, 0, sizeof(*out));
		out->key = store_pg_str(a, r, 0, 0);
		out->staff_id = store_pg_i64(r, 0, 1);
		out->fingerprint = store_pg_str(a, r, 0, 2);
		out->status = (int)store_pg_i64(r, 0, 3);
		out->location = store_pg_str(a, r, 0, 4);
		out->body = store_pg_str(a, r, 0, 5);
		out->created_at = store_pg_i64(r, 0, 6);
	}
	PQclear(r);
	return rc;
}

static int pg_idem_put(struct store_conn *c, const struct idem_entry *e, struct kp_err *err)
{
	struct pg_params p;
	store_pg_params_init(&p);
	store_pg_p_i64(&p, e->staff_id);
	store_pg_p_str(&p, e->key);
	store_pg_p_str(&p, e->fingerprint ? e->fingerprint : "");
	store_pg_p_i64(&p, e->status);
	store_pg_p_str(&p, e->location);
	store_pg_p_str(&p, e->body ? e->body : "");
	store_pg_p_i64(&p, or_now(e->created_at));
	PGresult *r;
	int rc = store_pg_exec(PC(c), Q_IDEM_PUT,
			       "INSERT INTO idempotency_keys (staff_id, key, fingerprint, status, location, body,"
			       " created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
			       &p, &r, KP_ESTORE, err);
	PQclear(r);
	return rc;
}

static int pg_idem_purge(struct store_conn *c, int64_t older_than, struct kp_err *err)
{
	struct pg_params p;
	store_pg_params_init(&p);
	store_pg_p_i64(&p, older_than);
	PGresult *r;
	int rc = store_pg_exec(PC(c), Q_IDEM_PURGE, "DELETE FROM idempotency_keys WHERE created_at < $1", &p, &r,
			       KP_ESTORE, err);
	PQclear(r);
	return rc;
}

/* ---- the ops table ---------------------------------------------------------------------- */

const struct store_ops store_postgres_ops = {
	.name = "postgres",
	.accepts = store_pg_accepts,
	.setup = store_pg_setup,
	.release = store_pg_release,
	.conn_open = store_pg_conn_open,
	.conn_close = store_pg_conn_close,
	.migrate = store_pg_migrate,
	.schema_version = store_pg_schema_version,
	.backup = store_pg_backup,
	.ping = store_pg_ping,
	.begin = store_pg_begin,
	.commit = store_pg_commit,
	.rollback = store_pg_rollback,
	.savepoint = store_pg_savepoint,
	.release_savepoint = store_pg_release_savepoint,
	.rollback_savepoint = store_pg_rollback_savepoint,
	.staff_insert = pg_staff_insert,
	.staff_get = pg_staff_get,
	.staff_get_by_email = pg_staff_get_by_email,
	.staff_update = pg_staff_update,
	.staff_list = pg_staff_list,
	.staff_count = pg_staff_count,
	.token_insert = pg_token_insert,
	.token_get_by_hash = pg_token_get_by_hash,
	.token_list = pg_token_list,
	.token_revoke = pg_token_revoke,
	.token_touch = pg_token_touch,
	.session_insert = pg_session_insert,
	.session_get = pg_session_get,
	.session_delete = pg_session_delete,
	.session_delete_for_staff = pg_session_delete_for_staff,
	.org_insert = pg_org_insert,
	.org_get = pg_org_get,
	.org_update = pg_org_update,
	.org_delete = pg_org_delete,
	.org_list = pg_org_list,
	.customer_insert = pg_customer_insert,
	.customer_get = pg_customer_get,
	.customer_update = pg_customer_update,
	.customer_delete = pg_customer_delete,
	.customer_list = pg_customer_list,
	.customer_count = pg_customer_count,
	.customer_merge = pg_customer_merge,
	.field_insert = pg_field_insert,
	.field_get = pg_field_get,
	.field_update = pg_field_update,
	.field_delete = pg_field_delete,
	.field_list = pg_field_list,
	.note_insert = pg_note_insert,
	.note_get = pg_note_get,
	.note_update = pg_note_update,
	.note_delete = pg_note_delete,
	.note_list = pg_note_list,
	.interaction_insert = pg_interaction_insert,
	.interaction_get = pg_interaction_get,
	.interaction_update = pg_interaction_update,
	.interaction_delete = pg_interaction_delete,
	.interaction_list = pg_interaction_list,
	.search = pg_search,
	.audit_insert = pg_audit_insert,
	.audit_list = pg_audit_list,
	.idem_get = pg_idem_get,
	.idem_put = pg_idem_put,
	.idem_purge = pg_idem_purge,
	.notification_insert = store_pg_notification_insert,
	.notification_list = store_pg_notification_list,
	.notification_ack = store_pg_notification_ack,
	.notification_count = store_pg_notification_count,
	.exposure = store_pg_exposure,
	.incident_customers = store_pg_incident_customers,
	.correction_insert = store_pg_correction_insert,
	.correction_list = store_pg_correction_list,
	.policy_get = store_pg_policy_get,
	.policy_put = store_pg_policy_put,
};
