/*
 * SQLite ops for staff, API tokens, browser sessions, custom field definitions, the audit
 * log and idempotency keys. Contracts: store.h.
 */
#include <stdio.h>
#include <string.h>

#include "store/sqlite/sq_int.h"
#include "util/buf.h"

/* ---- staff ----------------------------------------------------------------------------- */

#define STAFF_COLS "id, email, name, role, team, pw_hash, active, version, created_at, updated_at, must_change_pw"

static void staff_row(sqlite3_stmt *st, void *vo, struct arena *a)
{
	struct staff *o = vo;

	o->id = sqlite3_column_int64(st, 0);
	o->email = sq_col_text(st, 1, a);
	o->name = sq_col_text(st, 2, a);
	/* only the integers 1..3 are roles: sqlite3_column_int would read 4294967299 as 3, and
	 * '3x' or 3.5 as 3 (an edited database; the API then grants nothing, see dispatch.c) */
	sqlite3_int64 role = sqlite3_column_int64(st, 3);
	o->role = sqlite3_column_type(st, 3) == SQLITE_INTEGER && role >= ROLE_AGENT && role <= ROLE_ADMIN ? (int)role
	                                                                                                   : ROLE_NONE;
	o->team = sq_col_text(st, 4, a);
	o->pw_hash = sq_col_text(st, 5, a);
	o->active = sqlite3_column_int(st, 6);
	o->version = sqlite3_column_int64(st, 7);
	o->created_at = sqlite3_column_int64(st, 8);
	o->updated_at = sqlite3_column_int64(st, 9);
	o->must_change_pw = sqlite3_column_int(st, 10) != 0;
}

/* Parameters 1-7 of the staff INSERT and UPDATE (the name fold goes into a); must_change_pw is
 * ?11 in both. */
static void staff_bind(sqlite3_stmt *st, const struct staff *s, struct arena *a)
{
	sq_bind_text(st, 1, s->email);
	sq_bind_text(st, 2, s->name);
	sq_bind_text(st, 3, sq_name_key(a, s->name ? s->name : ""));
	sqlite3_bind_int(st, 4, s->role);
	sq_bind_text(st, 5, s->team);
	sq_bind_text(st, 6, s->pw_hash);
	sqlite3_bind_int(st, 7, s->active);
	sqlite3_bind_int(st, 11, s->must_change_pw != 0);
}

int sq_staff_insert(struct store_conn *sc, struct staff *s, struct kp_err *err)
{
	struct sq_conn *c = SQ_C(sc);
	struct arena a = ARENA_INIT;
	sqlite3_stmt *st;
	int64_t now = s->created_at ? s->created_at : sq_now();
	int rc;

	SQ_PREP_OR_FAIL(st, c,
	                "INSERT INTO staff(email, name, name_fold, role, team, pw_hash, active, version, created_at,"
	                " updated_at, must_change_pw) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 1, ?8, ?8, ?11)",
	                err);
	staff_bind(st, s, &a);
	sqlite3_bind_int64(st, 8, now);
	rc = sq_insert(c, st, "insert staff", &s->id, err);
	arena_release(&a);
	if (rc)
		return rc;
	s->version = 1;
	s->created_at = s->updated_at = now;
	return 0;
}

int sq_staff_get(struct store_conn *sc, int64_t id, struct staff *out, struct arena *a, struct kp_err *err)
{
	return sq_get_id(SQ_C(sc), "SELECT " STAFF_COLS " FROM staff WHERE id = ?1", id, staff_row, out, a,
			 "staff member", err);
}

int sq_staff_get_by_email(struct store_conn *sc, const char *email, struct staff *out, struct arena *a,
			  struct kp_err *err)
{
	struct sq_conn *c = SQ_C(sc);
	sqlite3_stmt *st;

	SQ_PREP_OR_FAIL(st, c, "SELECT " STAFF_COLS " FROM staff WHERE email = ?1", err);
	sq_bind_text(st, 1, email);
	return sq_get_one(c, st, staff_row, out, a, "staff member", err);
}

int sq_staff_update(struct store_conn *sc, struct staff *s, int64_t expected_version, struct kp_err *err)
{
	struct sq_conn *c = SQ_C(sc);
	struct arena a = ARENA_INIT;
	sqlite3_stmt *st;
	int64_t now = sq_now();
	int rc;

	SQ_PREP_OR_FAIL(st, c,
	                "UPDATE staff SET email = ?1, name = ?2, name_fold = ?3, role = ?4, team = ?5, pw_hash = ?6,"
	                " active = ?7, must_change_pw = ?11, version = version + 1, updated_at = ?8"
	                " WHERE id = ?9 AND (?10 = 0 OR version = ?10) RETURNING version",
	                err);
	staff_bind(st, s, &a);
	sqlite3_bind_int64(st, 8, now);
	sqlite3_bind_int64(st, 9, s->id);
	sqlite3_bind_int64(st, 10, expected_version);
	rc = sq_update_versioned(c, st, "staff", s->id, expected_version, &s->version, "update staff", err);
	arena_release(&a);
	if (rc)
		return rc;
	s->updated_at = now;
	return 0;
}

int sq_staff_list(struct store_conn *sc, const struct staff_filter *f, const struct store_page *pg,
                  struct staff_list *out, struct arena *a, struct kp_err *err)
{
	struct sq_conn *c = SQ_C(sc);
	struct buf sql = BUF_INIT(4096);
	struct sq_pagebind pb;
	struct sq_rows rows;
	sqlite3_stmt *st = NULL;
	int ret, i = 1;

	memset(out, 0, sizeof *out);
	buf_adds(&sql, "SELECT " STAFF_COLS " FROM staff WHERE 1 = 1");
	if (f && f->updated_after)
		buf_adds(&sql, " AND updated_at > ?");
	if ((ret = sq_page_prep(c, &sql, sq_named_sorts, "id", pg, &pb, &st, a, err)))
		goto out;
	if (f && f->updated_after)
		sqlite3_bind_int64(st, i++, f->updated_after);
	sq_page_bind(st, &i, &pb);
	ret = sq_rows_page(c, st, pb.limit, staff_row, sizeof *out->items, &rows, a, "list staff", err);
	SQ_TAKE_ROWS(out, rows);
out:
	buf_release(&sql);
	return ret;
}

int sq_staff_count(struct store_conn *sc, int64_t *n, struct kp_err *err)
{
	return sq_count(SQ_C(sc), "SELECT count(*) FROM staff", "count", n, err);
}

/* As staff_fill reads a role: only the integer is one. */
int sq_staff_active_admins(struct store_conn *sc, int64_t except_id, int64_t *n, struct kp_err *err)
{
	struct sq_conn *c = SQ_C(sc);
	sqlite3_stmt *st;
	int rc;

	SQ_PREP_OR_FAIL(st, c,
	                "SELECT count(*) FROM staff WHERE active <> 0 AND typeof(role) = 'integer' AND role = ?1"
	                " AND id <> ?2",
	                err);
	sqlite3_bind_int(st, 1, ROLE_ADMIN);
	sqlite3_bind_int64(st, 2, except_id);
	rc = sqlite3_step(st);
	*n = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sq_done(st);
	return rc == SQLITE_ROW ? 0 : sq_fail(c, rc, "count admins", err);
}

/* ---- api tokens -------------------------------------------------------------------------- */

#define TOKEN_COLS "id, staff_id, label, token_hash, created_at, last_used_at, revoked_at"

static void token_fill(sqlite3_stmt *st, void *vo, struct arena *a)
{
	struct api_token *o = vo;

	o->id = sqlite3_column_int64(st, 0);
	o->staff_id = sqlite3_column_int64(st, 1);
	o->label = sq_col_text(st, 2, a);
	o->token_hash = sq_col_text(st, 3, a);
	o->created_at = sqlite3_column_int64(st, 4);
	o->last_used_at = sqlite3_column_int64(st, 5);
	o->revoked_at = sqlite3_column_int64(st, 6);
}

int sq_token_insert(struct store_conn *sc, struct api_token *t, struct kp_err *err)
{
	struct sq_conn *c = SQ_C(sc);
	sqlite3_stmt *st;
	int64_t now = t->created_at ? t->created_at : sq_now();
	int rc;

	SQ_PREP_OR_FAIL(st, c,
		     "INSERT INTO api_tokens(staff_id, label, token_hash, created_at, last_used_at, revoked_at)"
		     " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
		     err);
	sqlite3_bind_int64(st, 1, t->staff_id);
	sq_bind_text(st, 2, t->label ? t->label : "");
	sq_bind_text(st, 3, t->token_hash);
	sqlite3_bind_int64(st, 4, now);
	sqlite3_bind_int64(st, 5, t->last_used_at);
	sqlite3_bind_int64(st, 6, t->revoked_at);
	rc = sq_insert(c, st, "insert token", &t->id, err);
	if (rc)
		return rc;
	t->created_at = now;
	return 0;
}

int sq_token_get_by_hash(struct store_conn *sc, const char *hash, struct api_token *out, struct arena *a,
			 struct kp_err *err)
{
	struct sq_conn *c = SQ_C(sc);
	sqlite3_stmt *st;

	SQ_PREP_OR_FAIL(st, c, "SELECT " TOKEN_COLS " FROM api_tokens WHERE token_hash = ?1 AND revoked_at = 0", err);
	sq_bind_text(st, 1, hash);
	return sq_get_one(c, st, token_fill, out, a, "token", err);
}

int sq_token_list(struct store_conn *sc, int64_t staff_id, struct token_list *out, struct arena *a,
		  struct kp_err *err)
{
	struct sq_conn *c = SQ_C(sc);
	struct sq_rows rows;
	sqlite3_stmt *st;
	int rc;

	memset(out, 0, sizeof *out);
	SQ_PREP_OR_FAIL(st, c, "SELECT " TOKEN_COLS " FROM api_tokens WHERE (?1 = 0 OR staff_id = ?1) ORDER BY id", err);
	sqlite3_bind_int64(st, 1, staff_id);
	rc = sq_rows_all(c, st, token_fill, sizeof *out->items, &rows, a, "list tokens", err);
	SQ_TAKE_ROWS(out, rows);
	return rc;
}

int sq_token_revoke(struct store_conn *sc, int64_t id, int64_t staff_id, struct kp_err *err)
{
	struct sq_conn *c = SQ_C(sc);
	sqlite3_stmt *st;
	int rc, found;

	/* Revoking twice is not an error; revoking someone else's token is "not found". */
	SQ_PREP_OR_FAIL(st, c,
		     "UPDATE api_tokens SET revoked_at = CASE WHEN revoked_at = 0 THEN ?3 ELSE revoked_at END"
		     " WHERE id = ?1 AND (?2 = 0 OR staff_id = ?2)",
		     err);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, staff_id);
	sqlite3_bind_int64(st, 3, sq_now());
	rc = sq_exec1(c, st, "revoke token", err);
	if (rc)
		return rc;
	found = sqlite3_changes(c->db) > 0;
	return found ? 0 : kp_err_set(err, KP_ENOTFOUND, "token %lld not found", (long long)id);
}

int sq_token_touch(struct store_conn *sc, int64_t id, int64_t at, struct kp_err *err)
{
	struct sq_conn *c = SQ_C(sc);
	sqlite3_stmt *st;
	int rc;

	SQ_PREP_OR_FAIL(st, c, "UPDATE api_tokens SET last_used_at = ?2 WHERE id = ?1", err);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, at);
	rc = sq_exec1(c, st, "touch token", err);
	if (rc)
		return rc;
	return sqlite3_changes(c->db) ? 0 : kp_err_set(err, KP_ENOTFOUND, "token %lld not found", (long long)id);
}

/* ---- sessions ---------------------------------------------------------------------------- */

static void session_fill(sqlite3_stmt *st, void *vo, struct arena *a)
{
	struct session *o = vo;

	o->id_hash = sq_col_text(st, 0, a);
	o->staff_id = sqlite3_column_int64(st, 1);
	o->csrf = sq_col_text(st, 2, a);
	o->created_at = sqlite3_column_int64(st, 3);
	o->expires_at = sqlite3_column_int64(st, 4);
}

int sq_session_insert(struct store_conn *sc, const struct session *se, struct kp_err *err)
{
	struct sq_conn *c = SQ_C(sc);
	sqlite3_stmt *st;

	SQ_PREP_OR_FAIL(st, c,
		     "INSERT INTO sessions(id_hash, staff_id, csrf, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
		     err);
	sq_bind_text(st, 1, se->id_hash);
	sqlite3_bind_int64(st, 2, se->staff_id);
	sq_bind_text(st, 3, se->csrf ? se->csrf : "");
	sqlite3_bind_int64(st, 4, se->created_at ? se->created_at : sq_now());
	sqlite3_bind_int64(st, 5, se->expires_at);
	int rc = sq_exec1(c, st, "insert session", err);
	if (rc)
		return rc;
	/* the staff member's expired sessions go as a new one comes: the table keeps no more than
	 * each one's live sessions and those expired since their last sign-in */
	SQ_PREP_OR_FAIL(st, c, "DELETE FROM sessions WHERE staff_id = ?1 AND expires_at < ?2", err);
	sqlite3_bind_int64(st, 1, se->staff_id);
	sqlite3_bind_int64(st, 2, sq_now());
	return sq_exec1(c, st, "delete expired sessions", err);
}

int sq_session_get(struct store_conn *sc, const char *id_hash, struct session *out, struct arena *a,
		   struct kp_err *err)
{
	struct sq_conn *c = SQ_C(sc);
	sqlite3_stmt *st;

	SQ_PREP_OR_FAIL(st, c, "SELECT id_hash, staff_id, csrf, created_at, expires_at FROM sessions WHERE id_hash = ?1",
		     err);
	sq_bind_text(st, 1, id_hash);
	return sq_get_one(c, st, session_fill, out, a, "session", err);
}

int sq_session_delete(struct store_conn *sc, const char *id_hash, struct kp_err *err)
{
	struct sq_conn *c = SQ_C(sc);
	sqlite3_stmt *st;
	int rc;

	SQ_PREP_OR_FAIL(st, c, "DELETE FROM sessions WHERE id_hash = ?1", err);
	sq_bind_text(st, 1, id_hash);
	rc = sq_exec1(c, st, "delete session", err);
	if (rc)
		return rc;
	return sqlite3_changes(c->db) ? 0 : kp_err_set(err, KP_ENOTFOUND, "session not found");
}

int sq_session_delete_for_staff(struct store_conn *sc, int64_t staff_id, const char *keep_id_hash,
				struct kp_err *err)
{
	struct sq_conn *c = SQ_C(sc);
	sqlite3_stmt *st;

	SQ_PREP_OR_FAIL(st, c, "DELETE FROM sessions WHERE staff_id = ?1 AND (?2 IS NULL OR id_hash <> ?2)", err);
	sqlite3_bind_int64(st, 1, staff_id);
	sq_bind_text(st, 2, keep_id_hash);
	return sq_exec1(c, st, "delete sessions", err);
}

/* ---- custom field definitions ------------------------------------------------------------ */

#define FIELD_COLS "id, entity, key, label, type, choices_json, required, version, created_at, updated_at"

static void field_fill(sqlite3_stmt *st, void *vo, struct arena *a)
{
	struct field_def *o = vo;

	o->id = sqlite3_column_int64(st, 0);
	o->entity = sq_col_text(st, 1, a);
	o->key = sq_col_text(st, 2, a);
	o->label = sq_col_text(st, 3, a);
	o->type = sq_col_text(st, 4, a);
	o->choices_json = sq_col_text(st, 5, a);
	o->required = sqlite3_column_int(st, 6);
	o->version = sqlite3_column_int64(st, 7);
	o->created_at = sqlite3_column_int64(st, 8);
	o->updated_at = sqlite3_column_int64(st, 9);
}

/* Parameters 1-6 of the field INSERT and UPDATE. */
static void field_bind(sqlite3_stmt *st, const struct field_def *fd)
{
	sq_bind_text(st, 1, fd->entity);
	sq_bind_text(st, 2, fd->key);
	sq_bind_text(st, 3, fd->label ? fd->label : "");
	sq_bind_text(st, 4, fd->type);
	sq_bind_text(st, 5, fd->choices_json);
	sqlite3_bind_int(st, 6, fd->required);
}

int sq_field_insert(struct store_conn *sc, struct field_def *fd, struct kp_err *err)
{
	struct sq_conn *c = SQ_C(sc);
	sqlite3_stmt *st;
	int64_t now = fd->created_at ? fd->created_at : sq_now();
	int rc;

	int64_t claim;
	if ((rc = sq_id_claim(c, "field_defs", &claim, err)))
		return rc;
	SQ_PREP_OR_FAIL(st, c,
		     "INSERT INTO field_defs(id, entity, key, label, type, choices_json, required, version, created_at,"
		     " updated_at) VALUES (?8, ?1, ?2, ?3, ?4, ?5, ?6, 1, ?7, ?7)",
		     err);
	field_bind(st, fd);
	sqlite3_bind_int64(st, 7, now);
	sq_bind_id0(st, 8, claim);
	rc = sq_insert(c, st, "insert field", &fd->id, err);
	if (rc)
		return rc;
	fd->version = 1;
	fd->created_at = fd->updated_at = now;
	return 0;
}

int sq_field_get(struct store_conn *sc, int64_t id, struct field_def *out, struct arena *a, struct kp_err *err)
{
	return sq_get_id(SQ_C(sc), "SELECT " FIELD_COLS " FROM field_defs WHERE id = ?1", id, field_fill, out, a,
			 "field", err);
}

int sq_field_update(struct store_conn *sc, struct field_def *fd, int64_t expected_version, struct kp_err *err)
{
	struct sq_conn *c = SQ_C(sc);
	sqlite3_stmt *st;
	int64_t now = sq_now();
	int rc;

	SQ_PREP_OR_FAIL(st, c,
		     "UPDATE field_defs SET entity = ?1, key = ?2, label = ?3, type = ?4, choices_json = ?5,"
		     " required = ?6, version = version + 1, updated_at = ?7"
		     " WHERE id = ?8 AND (?9 = 0 OR version = ?9) RETURNING version",
		     err);
	field_bind(st, fd);
	sqlite3_bind_int64(st, 7, now);
	sqlite3_bind_int64(st, 8, fd->id);
	sqlite3_bind_int64(st, 9, expected_version);
	rc = sq_update_versioned(c, st, "field_defs", fd->id, expected_version, &fd->version, "update field", err);
	if (rc)
		return rc;
	fd->updated_at = now;
	return 0;
}

int sq_field_delete(struct store_conn *sc, int64_t id, int64_t expected_version, struct kp_err *err)
{
	return sq_delete_versioned(SQ_C(sc), "field_defs", id, expected_version, err);
}

int sq_field_list(struct store_conn *sc, const char *entity, struct field_def_list *out, struct arena *a,
		  struct kp_err *err)
{
	struct sq_conn *c = SQ_C(sc);
	struct sq_rows rows;
	sqlite3_stmt *st;
	int rc;

	memset(out, 0, sizeof *out);
	SQ_PREP_OR_FAIL(st, c, "SELECT " FIELD_COLS " FROM field_defs WHERE (?1 IS NULL OR entity = ?1) ORDER BY entity, key",
		     err);
	sq_bind_text(st, 1, entity);
	rc = sq_rows_all(c, st, field_fill, sizeof *out->items, &rows, a, "list fields", err);
	SQ_TAKE_ROWS(out, rows);
	return rc;
}

/* ---- audit log --------------------------------------------------------------------------- */

#define AUDIT_COLS "id, at, actor_id, actor, action, entity, entity_id, request_id, changes_json, redacted_at"

static void audit_row(sqlite3_stmt *st, void *vo, struct arena *a)
{
	struct audit_entry *e = vo;

	e->id = sqlite3_column_int64(st, 0);
	e->at = sqlite3_column_int64(st, 1);
	e->actor_id = sqlite3_column_int64(st, 2);
	e->actor = sq_col_text(st, 3, a);
	e->action = sq_col_text(st, 4, a);
	e->entity = sq_col_text(st, 5, a);
	e->entity_id = sqlite3_column_int64(st, 6);
	e->request_id = sq_col_text(st, 7, a);
	e->changes_json = sq_col_text(st, 8, a);
	e->redacted_at = sqlite3_column_int64(st, 9);
}

int sq_audit_insert(struct store_conn *sc, struct audit_entry *e, struct kp_err *err)
{
	struct sq_conn *c = SQ_C(sc);
	sqlite3_stmt *st;
	int64_t at = e->at ? e->at : sq_now();
	int rc;

	SQ_PREP_OR_FAIL(st, c,
		     "INSERT INTO audit_log(at, actor_id, actor, action, entity, entity_id, request_id, changes_json)"
		     " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
		     err);
	sqlite3_bind_int64(st, 1, at);
	sq_bind_id0(st, 2, e->actor_id);
	sq_bind_text(st, 3, e->actor ? e->actor : "system");
	sq_bind_text(st, 4, e->action ? e->action : "");
	sq_bind_text(st, 5, e->entity ? e->entity : "");
	sq_bind_id0(st, 6, e->entity_id);
	sq_bind_text(st, 7, e->request_id);
	sq_bind_text(st, 8, e->changes_json);
	rc = sq_insert(c, st, "insert audit entry", &e->id, err);
	if (rc)
		return rc;
	e->at = at;
	return 0;
}

int sq_audit_insert_set(struct store_conn *sc, struct audit_entry *e, size_t n, struct kp_err *err)
{
	/* The single-row INSERT, prepared once and stepped per entry: it needs no statement
	 * journal (one row, no trigger on insert), where one multi-row statement would open one
	 * (docs/performance.md); a step costs a few microseconds, no round trip */
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = sq_audit_insert(sc, &e[i], err);
	return rc;
}

int sq_audit_list(struct store_conn *sc, const struct audit_filter *f, struct audit_list *out, struct arena *a,
		  struct kp_err *err)
{
	static const struct audit_filter none;
	struct sq_conn *c = SQ_C(sc);
	struct buf sql = BUF_INIT(4096);
	struct sq_rows rows;
	sqlite3_stmt *st;
	int limit, ret = 0, i = 1;

	memset(out, 0, sizeof *out);
	if (!f)
		f = &none;
	limit = f->limit > 0 ? (f->limit > 1000 ? 1000 : f->limit) : 50;
	buf_adds(&sql, "SELECT " AUDIT_COLS " FROM audit_log WHERE 1 = 1");
	if (f->entity)
		buf_adds(&sql, " AND entity = ?");
	if (f->entity_id)
		buf_adds(&sql, " AND entity_id = ?");
	if (f->actor_id)
		buf_adds(&sql, " AND actor_id = ?");
	if (f->action)
		buf_adds(&sql, " AND action = ?");
	if (f->since)
		buf_adds(&sql, " AND at >= ?");
	if (f->before_id)
		buf_adds(&sql, " AND id < ?");
	if (f->unredacted)
		buf_adds(&sql, " AND redacted_at IS NULL");
	buf_adds(&sql, " ORDER BY id DESC LIMIT ?");
	st = sq_prep(c, sql.ptr, err);
	if (!st) {
		ret = err ? err->status : KP_ESTORE;
		goto out;
	}
	if (f->entity)
		sq_bind_text(st, i++, f->entity);
	if (f->entity_id)
		sqlite3_bind_int64(st, i++, f->entity_id);
	if (f->actor_id)
		sqlite3_bind_int64(st, i++, f->actor_id);
	if (f->action)
		sq_bind_text(st, i++, f->action);
	if (f->since)
		sqlite3_bind_int64(st, i++, f->since);
	if (f->before_id)
		sqlite3_bind_int64(st, i++, f->before_id);
	sqlite3_bind_int(st, i++, limit + 1);
	ret = sq_rows_page(c, st, limit, audit_row, sizeof *out->items, &rows, a, "list audit", err);
	SQ_TAKE_ROWS(out, rows);
out:
	buf_release(&sql);
	return ret;
}

int sq_audit_unredacted(struct store_conn *sc, const char *entity, const int64_t *ids, size_t nids, int64_t after_id,
                        int limit, struct audit_list *out, struct arena *a, struct kp_err *err)
{
	struct sq_conn *c = SQ_C(sc);
	struct buf j = BUF_INIT((size_t)64 << 20);
	struct sq_rows rows;
	sqlite3_stmt *st;
	int rc;

	/* each id looked up in the index audit_log_entity (entity, entity_id, id), the few rows
	 * found sorted by id */
	if (sq_ids_json(&j, ids, nids)) {
		rc = kp_err_set(err, KP_ENOMEM, "out of memory for the ids to erase");
		goto out;
	}
	st = sq_prep_lit(c,
	                 "SELECT " AUDIT_COLS " FROM audit_log WHERE entity = ?1"
	                 " AND entity_id IN (SELECT value FROM json_each(?2)) AND redacted_at IS NULL AND id > ?3"
	                 " ORDER BY id LIMIT ?4",
	                 err);
	if (!st) {
		rc = err ? err->status : KP_ESTORE;
		goto out;
	}
	sq_bind_text(st, 1, entity);
	sq_bind_text(st, 2, j.ptr);
	sqlite3_bind_int64(st, 3, after_id);
	sqlite3_bind_int(st, 4, limit + 1);
	rc = sq_rows_page(c, st, limit, audit_row, sizeof *out->items, &rows, a, "list audit to redact", err);
	SQ_TAKE_ROWS(out, rows);
out:
	buf_release(&j);
	return rc;
}

int sq_audit_redact_set(struct store_conn *sc, const struct audit_redaction *r, size_t n, int64_t at, int64_t *done,
                        struct kp_err *err)
{
	struct sq_conn *c = SQ_C(sc);
	struct buf j = BUF_INIT((size_t)256 << 20);
	sqlite3_stmt *st;
	int rc = 0;

	/* One statement for the set, its pairs [id, text] read from a JSON array: SQLite gives
	 * every statement that may fail part-way (this one has a trigger) a statement journal,
	 * and on its end truncates the in-memory sub-journal by walking it from the start; with
	 * one statement per entry that walk over what the job's savepoint had journalled so far
	 * was 55% of an erasure of 40,000 entries (docs/performance.md) */
	buf_addc(&j, '[');
	for (size_t i = 0; i < n && rc == 0; i++) {
		rc = buf_adds(&j, i ? ",[" : "[") | buf_add_i64(&j, r[i].id) | buf_addc(&j, ',');
		if (rc == 0)
			rc = buf_add_json_str_min(&j, r[i].changes_json, strlen(r[i].changes_json));
		rc |= buf_addc(&j, ']');
	}
	if (rc || buf_addc(&j, ']')) {
		rc = kp_err_set(err, rc == -2 ? KP_EINVAL : KP_ENOMEM, "could not pass the redacted audit entries%s",
		                rc == -2 ? ": not UTF-8" : "");
		goto out;
	}
	/* the trigger audit_log_no_update (migration 15) lets exactly this change through */
	st = sq_prep_lit(c,
	                 "UPDATE audit_log SET changes_json = json_extract(r.value, '$[1]'), redacted_at = ?2"
	                 " FROM json_each(?1) AS r WHERE audit_log.id = json_extract(r.value, '$[0]')"
	                 " AND audit_log.redacted_at IS NULL",
	                 err);
	if (!st) {
		rc = err ? err->status : KP_ESTORE;
		goto out;
	}
	sq_bind_text(st, 1, j.ptr);
	sqlite3_bind_int64(st, 2, at);
	if ((rc = sq_exec1(c, st, "redact audit entries", err)))
		goto out;
	*done = sqlite3_changes(c->db);
out:
	buf_release(&j);
	return rc;
}

static void id_row(sqlite3_stmt *st, void *vo, struct arena *a)
{
	(void)a;
	*(int64_t *)vo = sqlite3_column_int64(st, 0);
}

int sq_audit_customer_children(struct store_conn *sc, const char *entity, int64_t customer_id, int64_t **ids, size_t *n,
                               struct arena *a, struct kp_err *err)
{
	struct sq_conn *c = SQ_C(sc);
	struct sq_rows rows;
	sqlite3_stmt *st;
	int rc;

	/* a lookup in the index audit_log_child_customer (migration 20), named: without
	 * statistics the planner would take audit_log_entity, every entry of the entity; its
	 * WHERE and key as they are there, or the statement does not prepare */
	SQ_PREP_OR_FAIL(st, c,
	                "SELECT DISTINCT entity_id FROM audit_log INDEXED BY audit_log_child_customer"
	                " WHERE entity = ?1 AND " SQ_AUDIT_CHILD_WHERE " AND " SQ_AUDIT_CHILD_CUSTOMER
	                " = ?2 AND entity_id IS NOT NULL ORDER BY entity_id",
	                err);
	sq_bind_text(st, 1, entity);
	sqlite3_bind_int64(st, 2, customer_id);
	rc = sq_rows_all(c, st, id_row, sizeof(int64_t), &rows, a, "audit children", err);
	*ids = rows.items;
	*n = rows.n;
	return rc;
}

/* ---- idempotency keys -------------------------------------------------------------------- */

static void idem_fill(sqlite3_stmt *st, void *vo, struct arena *a)
{
	struct idem_entry *o = vo;

	o->key = sq_col_text(st, 0, a);
	o->staff_id = sqlite3_column_int64(st, 1);
	o->fingerprint = sq_col_text(st, 2, a);
	o->status = sqlite3_column_int(st, 3);
	o->location = sq_col_text(st, 4, a);
	o->body = sq_col_text(st, 5, a);
	o->created_at = sqlite3_column_int64(st, 6);
}

int sq_idem_get(struct store_conn *sc, int64_t staff_id, const char *key, struct idem_entry *out,
		struct arena *a, struct kp_err *err)
{
	struct sq_conn *c = SQ_C(sc);
	sqlite3_stmt *st;

	SQ_PREP_OR_FAIL(st, c,
		     "SELECT key, staff_id, fingerprint, status, location, body, created_at FROM idempotency_keys"
		     " WHERE staff_id = ?1 AND key = ?2",
		     err);
	sqlite3_bind_int64(st, 1, staff_id);
	sq_bind_text(st, 2, key);
	return sq_get_one(c, st, idem_fill, out, a, "idempotency key", err);
}

int sq_idem_put(struct store_conn *sc, const struct idem_entry *e, struct kp_err *err)
{
	struct sq_conn *c = SQ_C(sc);
	sqlite3_stmt *st;

	SQ_PREP_OR_FAIL(st, c,
	                "INSERT INTO idempotency_keys(staff_id, key, fingerprint, status, location, body, created_at,"
	                " subject) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	                err);
	sqlite3_bind_int64(st, 1, e->staff_id);
	sq_bind_text(st, 2, e->key);
	sq_bind_text(st, 3, e->fingerprint ? e->fingerprint : "");
	sqlite3_bind_int(st, 4, e->status);
	sq_bind_text(st, 5, e->location);
	sq_bind_text(st, 6, e->body ? e->body : "");
	sqlite3_bind_int64(st, 7, e->created_at ? e->created_at : sq_now());
	sq_bind_text(st, 8, e->subject);
	return sq_exec1(c, st, "insert idempotency key", err);
}

int sq_idem_purge(struct store_conn *sc, int64_t older_than, struct kp_err *err)
{
	struct sq_conn *c = SQ_C(sc);
	sqlite3_stmt *st;

	SQ_PREP_OR_FAIL(st, c, "DELETE FROM idempotency_keys WHERE created_at < ?1", err);
	sqlite3_bind_int64(st, 1, older_than);
	return sq_exec1(c, st, "purge idempotency keys", err);
}
