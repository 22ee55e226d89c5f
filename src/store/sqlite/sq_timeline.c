/*
 * SQLite ops for notes and interactions (the timeline). Lists use the (owner, time, id)
 * indexes with keyset pagination; every write keeps the search index in step.
 */
#include <stdio.h>
#include <string.h>

#include "store/sqlite/sq_int.h"
#include "util/buf.h"

/* ---- notes ------------------------------------------------------------------------------- */

#define NOTE_COLS                                                                                                      \
	"id, customer_id, org_id, author_id, body, version, created_at, updated_at, analysis_json, abusive, "          \
	"search_body"

static void note_row(sqlite3_stmt *st, void *vo, struct arena *a)
{
	struct note *o = vo;

	o->id = sqlite3_column_int64(st, 0);
	o->customer_id = sqlite3_column_int64(st, 1);
	o->org_id = sqlite3_column_int64(st, 2);
	o->author_id = sqlite3_column_int64(st, 3);
	o->body = sq_col_text(st, 4, a);
	o->version = sqlite3_column_int64(st, 5);
	o->created_at = sqlite3_column_int64(st, 6);
	o->updated_at = sqlite3_column_int64(st, 7);
	o->analysis_json = sq_col_text(st, 8, a);
	o->abusive = sqlite3_column_int(st, 9);
	o->search_body = sq_col_text(st, 10, a);
}

static int note_fts(struct sq_conn *c, const struct note *n, int is_new, struct kp_err *err)
{
	struct arena a = ARENA_INIT;
	/* an abusive note is indexed by what staff see of it (model.h) */
	int rc = sq_fts_put(c, SQ_FTS_NOTE, n->id, is_new, "", n->search_body ? n->search_body : n->body,
	                    sq_owner_name(c, n->customer_id, n->org_id, &a), err);

	arena_release(&a);
	return rc;
}

/* Parameters 1-4 and 8-10 of the note INSERT and UPDATE. */
static void note_bind(sqlite3_stmt *st, const struct note *n)
{
	sq_bind_id0(st, 1, n->customer_id);
	sq_bind_id0(st, 2, n->org_id);
	sq_bind_id0(st, 3, n->author_id);
	sq_bind_text(st, 4, n->body ? n->body : "");
	sq_bind_text(st, 8, n->analysis_json);
	sqlite3_bind_int(st, 9, n->abusive ? 1 : 0);
	sq_bind_text(st, 10, n->search_body);
}

int sq_note_insert(struct store_conn *sc, struct note *n, struct kp_err *err)
{
	struct sq_conn *c = SQ_C(sc);
	sqlite3_stmt *st;
	int64_t now = n->created_at ? n->created_at : sq_now();
	int rc;

	if (!n->customer_id == !n->org_id)
		return kp_err_set(err, KP_EINVAL, "a note belongs to exactly one customer or organisation");
	int64_t claim;
	if ((rc = sq_id_claim(c, "notes", &claim, err)))
		return rc;
	SQ_PREP_OR_FAIL(st, c,
	                "INSERT INTO notes(id, customer_id, org_id, author_id, body, version, created_at, updated_at,"
	                " analysis_json, abusive, search_body) VALUES (?6, ?1, ?2, ?3, ?4, 1, ?5, ?5, ?8, ?9, ?10)",
	                err);
	note_bind(st, n);
	sqlite3_bind_int64(st, 5, now);
	sq_bind_id0(st, 6, claim);
	if ((rc = sq_insert(c, st, "insert note", &n->id, err)))
		return rc;
	n->version = 1;
	n->created_at = n->updated_at = now;
	return note_fts(c, n, 1, err);
}

int sq_note_get(struct store_conn *sc, int64_t id, struct note *out, struct arena *a, struct kp_err *err)
{
	return sq_get_id(SQ_C(sc), "SELECT " NOTE_COLS " FROM notes WHERE id = ?1", id, note_row, out, a, "note", err);
}

int sq_note_update(struct store_conn *sc, struct note *n, int64_t expected_version, struct kp_err *err)
{
	struct sq_conn *c = SQ_C(sc);
	sqlite3_stmt *st;
	int64_t now = sq_now();
	int rc;

	if (!n->customer_id == !n->org_id)
		return kp_err_set(err, KP_EINVAL, "a note belongs to exactly one customer or organisation");
	SQ_PREP_OR_FAIL(st, c,
	                "UPDATE notes SET customer_id = ?1, org_id = ?2, author_id = ?3, body = ?4, analysis_json = ?8,"
	                " abusive = ?9, search_body = ?10, version = version + 1, updated_at = ?5"
	                " WHERE id = ?6 AND (?7 = 0 OR version = ?7) RETURNING version",
	                err);
	note_bind(st, n);
	sqlite3_bind_int64(st, 5, now);
	sqlite3_bind_int64(st, 6, n->id);
	sqlite3_bind_int64(st, 7, expected_version);
	if ((rc = sq_update_versioned(c, st, "notes", n->id, expected_version, &n->version, "update note", err)))
		return rc;
	n->updated_at = now;
	return note_fts(c, n, 0, err);
}

/* stamp > 0: a new version while still at the version read (store.h). */
static int search_set_stamped(struct sq_conn *c, const char *table, int64_t id, int64_t stamp, struct kp_err *err)
{
	if (stamp > 0 && sqlite3_changes(c->db) == 0)
		return kp_err_set(err, KP_ECONFLICT, "%s %lld changed since it was read", table, (long long)id);
	return 0;
}

int sq_note_search_set(struct store_conn *sc, const struct note *n, int64_t stamp, struct kp_err *err)
{
	struct sq_conn *c = SQ_C(sc);
	sqlite3_stmt *st;
	int rc;

	SQ_PREP_OR_FAIL(st, c,
	                "UPDATE notes SET analysis_json = ?1, abusive = ?2, search_body = ?3,"
	                " version = version + (?5 > 0), updated_at = CASE WHEN ?5 > 0 THEN ?5 ELSE updated_at END"
	                " WHERE id = ?4 AND (?5 = 0 OR version = ?6)",
	                err);
	sq_bind_text(st, 1, n->analysis_json);
	sqlite3_bind_int(st, 2, n->abusive ? 1 : 0);
	sq_bind_text(st, 3, n->search_body);
	sqlite3_bind_int64(st, 4, n->id);
	sqlite3_bind_int64(st, 5, stamp);
	sqlite3_bind_int64(st, 6, n->version);
	if ((rc = sq_exec1(c, st, "set note analysis", err)) || (rc = search_set_stamped(c, "note", n->id, stamp, err)))
		return rc;
	return note_fts(c, n, 0, err);
}

int sq_unanalysed_ids(struct store_conn *sc, const char *entity, int64_t after_id, size_t max, int64_t *ids, size_t *n,
                      struct kp_err *err)
{
	struct sq_conn *c = SQ_C(sc);
	sqlite3_stmt *st;
	int rc;
	*n = 0;
	/* the WHERE terms as the partial indexes of migration 17 state them */
	if (!strcmp(entity, "note"))
		SQ_PREP_OR_FAIL(
		    st, c, "SELECT id FROM notes WHERE analysis_json IS NULL AND id > ?1 ORDER BY id LIMIT ?2", err);
	else
		SQ_PREP_OR_FAIL(st, c,
		                "SELECT id FROM interactions WHERE direction = 'outbound' AND analysis_json IS NULL"
		                " AND id > ?1 ORDER BY id LIMIT ?2",
		                err);
	sqlite3_bind_int64(st, 1, after_id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)max);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < max)
		ids[(*n)++] = sqlite3_column_int64(st, 0);
	sq_done(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : sq_fail(c, rc, "find texts not analysed", err);
}

/* Check the version, drop the search entry, delete the row. */
static int delete_indexed(struct sq_conn *c, const char *table, int kind, int64_t id, int64_t expected,
			  struct kp_err *err)
{
	char sql[96];
	sqlite3_stmt *st;
	int rc;

	snprintf(sql, sizeof sql, "SELECT version FROM %s WHERE id = ?1", table);
	st = sq_prep(c, sql, err); /* built text: not a literal */
	if (!st)
		return err ? err->status : KP_ESTORE;
	if ((rc = sq_check_version(c, st, table, id, expected, table, err)))
		return rc;
	if ((rc = sq_fts_del(c, kind, id, err)))
		return rc;
	return sq_delete_versioned(c, table, id, expected, err);
}

int sq_note_delete(struct store_conn *sc, int64_t id, int64_t expected_version, struct kp_err *err)
{
	return delete_indexed(SQ_C(sc), "notes", SQ_FTS_NOTE, id, expected_version, err);
}

static const char *const note_sorts[5] = { "id", NULL, "created_at", "updated_at", "created_at" };

int sq_note_list(struct store_conn *sc, int64_t customer_id, int64_t org_id, const struct store_page *pg,
		 struct note_list *out, struct arena *a, struct kp_err *err)
{
	struct sq_conn *c = SQ_C(sc);
	struct buf sql = BUF_INIT(1024);
	struct sq_pagebind pb;
	struct sq_rows rows;
	sqlite3_stmt *st;
	int ret, i = 1;

	memset(out, 0, sizeof *out);
	if (!customer_id == !org_id)
		return kp_err_set(err, KP_EINVAL, "list notes of exactly one customer or organisation");
	buf_adds(&sql, customer_id ? "SELECT " NOTE_COLS " FROM notes WHERE customer_id = ?"
				   : "SELECT " NOTE_COLS " FROM notes WHERE org_id = ?");
	if ((ret = sq_page_prep(c, &sql, note_sorts, "id", pg, &pb, &st, a, err)))
		goto out;
	sqlite3_bind_int64(st, i++, customer_id ? customer_id : org_id);
	sq_page_bind(st, &i, &pb);
	ret = sq_rows_page(c, st, pb.limit, note_row, sizeof *out->items, &rows, a, "list notes", err);
	SQ_TAKE_ROWS(out, rows);
out:
	buf_release(&sql);
	return ret;
}

/* ---- interactions ------------------------------------------------------------------------ */

#define INTER_COLS "id, customer_id, org_id, staff_id, kind, direction, channel, summary, body, analysis_json," \
		   " abusive, occurred_at, version, created_at, updated_at, search_summary, search_body"

static void inter_row(sqlite3_stmt *st, void *vo, struct arena *a)
{
	struct interaction *o = vo;

	o->id = sqlite3_column_int64(st, 0);
	o->customer_id = sqlite3_column_int64(st, 1);
	o->org_id = sqlite3_column_int64(st, 2);
	o->staff_id = sqlite3_column_int64(st, 3);
	o->kind = sq_col_text(st, 4, a);
	o->direction = sq_col_text(st, 5, a);
	o->channel = sq_col_text(st, 6, a);
	o->summary = sq_col_text(st, 7, a);
	o->body = sq_col_text(st, 8, a);
	o->analysis_json = sq_col_text(st, 9, a);
	o->abusive = sqlite3_column_int(st, 10);
	o->occurred_at = sqlite3_column_int64(st, 11);
	o->version = sqlite3_column_int64(st, 12);
	o->created_at = sqlite3_column_int64(st, 13);
	o->updated_at = sqlite3_column_int64(st, 14);
	o->search_summary = sq_col_text(st, 15, a);
	o->search_body = sq_col_text(st, 16, a);
	o->customer_name = NULL;
}

static void inter_bind(sqlite3_stmt *st, const struct interaction *it)
{
	sqlite3_bind_int64(st, 1, it->customer_id);
	sq_bind_id0(st, 2, it->org_id);
	sq_bind_id0(st, 3, it->staff_id);
	sq_bind_text(st, 4, it->kind ? it->kind : "note");
	sq_bind_text(st, 5, it->direction ? it->direction : "inbound");
	sq_bind_text(st, 6, it->channel);
	sq_bind_text(st, 7, it->summary);
	sq_bind_text(st, 8, it->body);
	sq_bind_text(st, 9, it->analysis_json);
	sqlite3_bind_int(st, 10, it->abusive ? 1 : 0);
	sq_bind_text(st, 15, it->search_summary);
	sq_bind_text(st, 16, it->search_body);
}

static int inter_fts(struct sq_conn *c, const struct interaction *it, int is_new, struct kp_err *err)
{
	struct arena a = ARENA_INIT;
	const char *owner = it->customer_name ? it->customer_name : sq_owner_name(c, it->customer_id, 0, &a);
	/* an abusive message is indexed by what staff see of it (model.h) */
	int rc = sq_fts_put(c, SQ_FTS_INTERACTION, it->id, is_new, it->search_summary ? it->search_summary : it->summary,
			    it->search_body ? it->search_body : it->body, owner, err);

	arena_release(&a);
	return rc;
}

int sq_interaction_insert(struct store_conn *sc, struct interaction *it, struct kp_err *err)
{
	struct sq_conn *c = SQ_C(sc);
	sqlite3_stmt *st;
	int64_t now = it->created_at ? it->created_at : sq_now();
	int rc;

	int64_t claim;
	if ((rc = sq_id_claim(c, "interactions", &claim, err)))
		return rc;
	SQ_PREP_OR_FAIL(st, c,
			"INSERT INTO interactions(id, customer_id, org_id, staff_id, kind, direction, channel, summary, body,"
			" analysis_json, abusive, occurred_at, version, created_at, updated_at, search_summary, search_body)"
			" VALUES (?13, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 1, ?12, ?12, ?15, ?16)",
			err);
	inter_bind(st, it);
	sqlite3_bind_int64(st, 11, it->occurred_at ? it->occurred_at : now);
	sqlite3_bind_int64(st, 12, now);
	sq_bind_id0(st, 13, claim);
	if ((rc = sq_insert(c, st, "insert interaction", &it->id, err)))
		return rc;
	it->version = 1;
	it->created_at = it->updated_at = now;
	if (!it->occurred_at)
		it->occurred_at = now;
	return inter_fts(c, it, 1, err);
}

int sq_interaction_get(struct store_conn *sc, int64_t id, struct interaction *out, struct arena *a,
		       struct kp_err *err)
{
	return sq_get_id(SQ_C(sc), "SELECT " INTER_COLS " FROM interactions WHERE id = ?1", id, inter_row, out, a,
			 "interaction", err);
}

int sq_interaction_update(struct store_conn *sc, struct interaction *it, int64_t expected_version,
			  struct kp_err *err)
{
	struct sq_conn *c = SQ_C(sc);
	sqlite3_stmt *st;
	int64_t now = sq_now();
	int rc;

	SQ_PREP_OR_FAIL(st, c,
			"UPDATE interactions SET customer_id = ?1, org_id = ?2, staff_id = ?3, kind = ?4, direction = ?5,"
			" channel = ?6, summary = ?7, body = ?8, analysis_json = ?9, abusive = ?10, occurred_at = ?11,"
			" search_summary = ?15, search_body = ?16, version = version + 1, updated_at = ?12"
			" WHERE id = ?13 AND (?14 = 0 OR version = ?14) RETURNING version",
			err);
	inter_bind(st, it);
	sqlite3_bind_int64(st, 11, it->occurred_at ? it->occurred_at : now);
	sqlite3_bind_int64(st, 12, now);
	sqlite3_bind_int64(st, 13, it->id);
	sqlite3_bind_int64(st, 14, expected_version);
	if ((rc = sq_update_versioned(c, st, "interactions", it->id, expected_version, &it->version,
				      "update interaction", err)))
		return rc;
	it->updated_at = now;
	return inter_fts(c, it, 0, err);
}

int sq_interaction_search_set(struct store_conn *sc, const struct interaction *it, int64_t stamp, struct kp_err *err)
{
	struct sq_conn *c = SQ_C(sc);
	sqlite3_stmt *st;
	int rc;

	SQ_PREP_OR_FAIL(
	    st, c,
	    "UPDATE interactions SET search_summary = ?1, search_body = ?2, analysis_json = ?4, abusive = ?5,"
	    " version = version + (?6 > 0), updated_at = CASE WHEN ?6 > 0 THEN ?6 ELSE updated_at END"
	    " WHERE id = ?3 AND (?6 = 0 OR version = ?7)",
	    err);
	sq_bind_text(st, 1, it->search_summary);
	sq_bind_text(st, 2, it->search_body);
	sqlite3_bind_int64(st, 3, it->id);
	sq_bind_text(st, 4, it->analysis_json);
	sqlite3_bind_int(st, 5, it->abusive ? 1 : 0);
	sqlite3_bind_int64(st, 6, stamp);
	sqlite3_bind_int64(st, 7, it->version);
	if ((rc = sq_exec1(c, st, "set interaction search text", err)) ||
	    (rc = search_set_stamped(c, "interaction", it->id, stamp, err)))
		return rc;
	return inter_fts(c, it, 0, err);
}

int sq_interaction_delete(struct store_conn *sc, int64_t id, int64_t expected_version, struct kp_err *err)
{
	struct sq_conn *c = SQ_C(sc);
	int rc = delete_indexed(c, "interactions", SQ_FTS_INTERACTION, id, expected_version, err);
	if (rc)
		return rc;
	/* the incident stays (the staff member did receive the message) but no longer points at
	 * it: an id can be given out again, and would point at someone else's message */
	sqlite3_stmt *st;
	SQ_PREP_OR_FAIL(st, c, "UPDATE wellbeing_notifications SET interaction_id = NULL WHERE interaction_id = ?1", err);
	sqlite3_bind_int64(st, 1, id);
	return sq_exec1(c, st, "detach incidents", err);
}

static const char *const inter_sorts[5] = { "id", NULL, "created_at", "updated_at", "occurred_at" };

/* The WHERE terms of filter f (after "WHERE 1 = 1"), bound in the same order by
 * inter_filter_bind(). */
static void inter_filter_where(struct buf *sql, const struct interaction_filter *f)
{
	if (f->customer_id)
		buf_adds(sql, " AND customer_id = ?");
	if (f->org_id)
		buf_adds(sql, " AND org_id = ?");
	if (f->staff_id)
		buf_adds(sql, " AND staff_id = ?");
	if (f->kind)
		buf_adds(sql, " AND kind = ?");
	if (f->direction)
		buf_adds(sql, " AND direction = ?");
	if (f->from)
		buf_adds(sql, " AND occurred_at >= ?");
	if (f->to)
		buf_adds(sql, " AND occurred_at < ?");
	if (f->updated_after)
		buf_adds(sql, " AND updated_at > ?");
	if (f->abusive_only)
		buf_adds(sql, " AND abusive = 1");
	if (f->routed_to_team)
		buf_adds(sql, " AND routed_to_team = ?");
}

static void inter_filter_bind(sqlite3_stmt *st, int *i, const struct interaction_filter *f)
{
	if (f->customer_id)
		sqlite3_bind_int64(st, (*i)++, f->customer_id);
	if (f->org_id)
		sqlite3_bind_int64(st, (*i)++, f->org_id);
	if (f->staff_id)
		sqlite3_bind_int64(st, (*i)++, f->staff_id);
	if (f->kind)
		sq_bind_text(st, (*i)++, f->kind);
	if (f->direction)
		sq_bind_text(st, (*i)++, f->direction);
	if (f->from)
		sqlite3_bind_int64(st, (*i)++, f->from);
	if (f->to)
		sqlite3_bind_int64(st, (*i)++, f->to);
	if (f->updated_after)
		sqlite3_bind_int64(st, (*i)++, f->updated_after);
	if (f->routed_to_team)
		sq_bind_text(st, (*i)++, f->routed_to_team);
}

int sq_interaction_list(struct store_conn *sc, const struct interaction_filter *f, const struct store_page *pg,
                        struct interaction_list *out, struct arena *a, struct kp_err *err)
{
	static const struct interaction_filter none;
	struct sq_conn *c = SQ_C(sc);
	struct buf sql = BUF_INIT(4096);
	struct sq_pagebind pb;
	struct sq_rows rows;
	sqlite3_stmt *st;
	int ret, i = 1;

	memset(out, 0, sizeof *out);
	if (!f)
		f = &none;
	buf_adds(&sql, "SELECT " INTER_COLS " FROM interactions WHERE 1 = 1");
	inter_filter_where(&sql, f);
	if ((ret = sq_page_prep(c, &sql, inter_sorts, "id", pg, &pb, &st, a, err)))
		goto out;
	inter_filter_bind(st, &i, f);
	sq_page_bind(st, &i, &pb);
	ret = sq_rows_page(c, st, pb.limit, inter_row, sizeof *out->items, &rows, a, "list interactions", err);
	SQ_TAKE_ROWS(out, rows);
out:
	buf_release(&sql);
	return ret;
}

int sq_interaction_count(struct store_conn *sc, const struct interaction_filter *f, int64_t max, int64_t *n,
                         struct kp_err *err)
{
	static const struct interaction_filter none;
	struct sq_conn *c = SQ_C(sc);
	struct buf sql = BUF_INIT(4096);
	sqlite3_stmt *st = NULL;
	int rc, i = 1;

	if (!f)
		f = &none;
	buf_adds(&sql, "SELECT count(*) FROM (SELECT 1 FROM interactions WHERE 1 = 1");
	inter_filter_where(&sql, f);
	buf_adds(&sql, max > 0 ? " LIMIT ?)" : ")");
	rc = sqlite3_prepare_v2(c->db, sql.ptr, (int)sql.len, &st, NULL);
	if (rc != SQLITE_OK) {
		rc = sq_fail(c, rc, "count interactions", err);
		goto out;
	}
	inter_filter_bind(st, &i, f);
	if (max > 0)
		sqlite3_bind_int64(st, i++, max);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*n = sqlite3_column_int64(st, 0);
		rc = 0;
	} else {
		rc = sq_fail(c, rc, "count interactions", err);
	}
out:
	sqlite3_finalize(st);
	buf_release(&sql);
	return rc;
}
