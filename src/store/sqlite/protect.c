/*
 * SQLite backend: the staff-protection tables (issue 3) - incident notifications, exposure
 * counts, text corrections and the policy. The schema is sq_protect_migration, appended to
 * sq_migrations[] in migrations.c. Contracts in store/store.h.
 *
 * Fixed statements with "(?n = 0 OR col = ?n)" for optional filters, so each query is
 * prepared once per connection.
 */
#include <string.h>

#include "store/sqlite/sq_int.h"
#include "util/buf.h"

const char sq_protect_migration[] =
	"CREATE TABLE wellbeing_notifications ("
	"  id INTEGER PRIMARY KEY,"
	"  interaction_id INTEGER,"
	"  customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,"
	"  staff_id INTEGER,"
	"  team TEXT,"
	"  routed_to_team TEXT,"
	"  categories_json TEXT NOT NULL DEFAULT '[]',"
	"  occurred_at INTEGER NOT NULL,"
	"  created_at INTEGER NOT NULL,"
	"  acked_at INTEGER NOT NULL DEFAULT 0,"
	"  acked_by INTEGER);"
	"CREATE INDEX wellbeing_notifications_customer ON wellbeing_notifications(customer_id, occurred_at);"
	"CREATE INDEX wellbeing_notifications_occurred ON wellbeing_notifications(occurred_at, staff_id);"
	"CREATE TABLE text_corrections ("
	"  id INTEGER PRIMARY KEY,"
	"  interaction_id INTEGER,"
	"  text TEXT NOT NULL,"
	"  kind TEXT NOT NULL,"
	"  label TEXT NOT NULL,"
	"  staff_id INTEGER,"
	"  created_at INTEGER NOT NULL);"
	"CREATE TABLE wellbeing_policy ("
	"  id INTEGER PRIMARY KEY CHECK (id = 1),"
	"  incident_threshold INTEGER NOT NULL,"
	"  period_days INTEGER NOT NULL,"
	"  route_to_team TEXT,"
	"  updated_by INTEGER,"
	"  updated_at INTEGER NOT NULL);";

#define NOTIF_COLS                                                                                  \
	"id, interaction_id, customer_id, staff_id, team, routed_to_team, categories_json, occurred_at," \
	" created_at, acked_at, acked_by"

static void notif_row(sqlite3_stmt *st, void *p, struct arena *a)
{
	struct wellbeing_notification *n = p;
	n->id = sqlite3_column_int64(st, 0);
	n->interaction_id = sqlite3_column_int64(st, 1);
	n->customer_id = sqlite3_column_int64(st, 2);
	n->staff_id = sqlite3_column_int64(st, 3);
	n->team = sq_col_text(st, 4, a);
	n->routed_to_team = sq_col_text(st, 5, a);
	n->categories_json = sq_col_text(st, 6, a);
	n->occurred_at = sqlite3_column_int64(st, 7);
	n->created_at = sqlite3_column_int64(st, 8);
	n->acked_at = sqlite3_column_int64(st, 9);
	n->acked_by = sqlite3_column_int64(st, 10);
}

int sq_notification_insert(struct store_conn *sc, struct wellbeing_notification *n, struct kp_err *err)
{
	struct sq_conn *c = SQ_C(sc);
	sqlite3_stmt *st;
	int64_t now = n->created_at ? n->created_at : sq_now();
	int rc;

	int64_t claim;
	if ((rc = sq_id_claim(c, "wellbeing_notifications", &claim, err)))
		return rc;
	SQ_PREP_OR_FAIL(st, c,
			"INSERT INTO wellbeing_notifications(id, interaction_id, customer_id, staff_id, team, routed_to_team,"
			" categories_json, occurred_at, created_at) VALUES (?9, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
			err);
	sq_bind_id0(st, 9, claim);
	sq_bind_id0(st, 1, n->interaction_id);
	sqlite3_bind_int64(st, 2, n->customer_id);
	sq_bind_id0(st, 3, n->staff_id);
	sq_bind_text(st, 4, n->team);
	sq_bind_text(st, 5, n->routed_to_team);
	sq_bind_text(st, 6, n->categories_json ? n->categories_json : "[]");
	sqlite3_bind_int64(st, 7, n->occurred_at ? n->occurred_at : now);
	sqlite3_bind_int64(st, 8, now);
	if ((rc = sq_insert(c, st, "insert notification", &n->id, err)))
		return rc;
	n->created_at = now;
	if (!n->occurred_at)
		n->occurred_at = now;
	n->acked_at = n->acked_by = 0;
	return 0;
}

int sq_notification_list(struct store_conn *sc, const struct notification_filter *f,
				struct notification_list *out, struct arena *a, struct kp_err *err)
{
	struct sq_conn *c = SQ_C(sc);
	struct sq_rows rows;
	sqlite3_stmt *st;
	int limit = f && f->limit > 0 ? (f->limit > 1000 ? 1000 : f->limit) : 50, rc;

	memset(out, 0, sizeof *out);
	SQ_PREP_OR_FAIL(st, c,
	                "SELECT " NOTIF_COLS " FROM wellbeing_notifications"
	                " WHERE (?1 = 0 OR acked_at = 0) AND (?2 = 0 OR customer_id = ?2) AND (?3 = 0 OR id < ?3)"
	                " AND (?5 = 0 OR categories_json LIKE '%\"severe\"%')"
	                " AND (?6 IS NULL OR team = ?6) AND (?7 IS NULL OR routed_to_team = ?7)"
	                " ORDER BY id DESC LIMIT ?4",
	                err);
	sqlite3_bind_int(st, 1, f ? f->unacked_only : 0);
	sqlite3_bind_int64(st, 2, f ? f->customer_id : 0);
	sqlite3_bind_int64(st, 3, f ? f->before_id : 0);
	sqlite3_bind_int(st, 4, limit + 1);
	sqlite3_bind_int(st, 5, f ? f->severe_only : 0);
	sq_bind_text(st, 6, f ? f->team : NULL);
	sq_bind_text(st, 7, f ? f->routed_to_team : NULL);
	rc = sq_rows_page(c, st, limit, notif_row, sizeof *out->items, &rows, a, "list notifications", err);
	SQ_TAKE_ROWS(out, rows);
	return rc;
}

int sq_notification_ack(struct store_conn *sc, int64_t id, int64_t staff_id, int64_t at, int *acked_now,
                        struct wellbeing_notification *out, struct arena *a, struct kp_err *err)
{
	struct sq_conn *c = SQ_C(sc);
	sqlite3_stmt *st;
	struct wellbeing_notification tmp;
	int rc;

	SQ_PREP_OR_FAIL(st, c,
			"UPDATE wellbeing_notifications SET acked_at = ?2, acked_by = ?3 WHERE id = ?1 AND acked_at = 0",
			err);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, at ? at : sq_now());
	sq_bind_id0(st, 3, staff_id);
	if ((rc = sq_exec1(c, st, "acknowledge notification", err)))
		return rc;
	*acked_now = sqlite3_changes(c->db) > 0;
	return sq_get_id(c, "SELECT " NOTIF_COLS " FROM wellbeing_notifications WHERE id = ?1", id, notif_row,
			 out ? out : &tmp, a, "notification", err);
}

int sq_notification_withdraw(struct store_conn *sc, int64_t interaction_id, int64_t *n, struct kp_err *err)
{
	struct sq_conn *c = SQ_C(sc);
	sqlite3_stmt *st;
	int rc;

	*n = 0;
	/* a withdrawn incident's id is never given to another (idfloor.c): an acknowledgement
	 * audited for it must not come to name the next incident */
	struct sq_floor_mark mark;
	if ((rc = sq_id_floor_deleting(c, &mark, err)))
		return rc;
	SQ_PREP_OR_FAIL(st, c, "DELETE FROM wellbeing_notifications WHERE interaction_id = ?1", err);
	sqlite3_bind_int64(st, 1, interaction_id);
	rc = sq_exec1(c, st, "withdraw notifications", err);
	if (rc == 0)
		*n = sqlite3_changes(c->db);
	if (rc == 0 && *n > 0)
		rc = sq_id_floor_deleted(c, &mark, err);
	return rc;
}

int sq_ids_json(struct buf *b, const int64_t *ids, size_t n)
{
	int rc = buf_addc(b, '[');
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = (i ? buf_addc(b, ',') : 0) | buf_add_i64(b, ids[i]);
	return rc | buf_addc(b, ']');
}

static void id_col(sqlite3_stmt *st, void *vo, struct arena *a)
{
	(void)a;
	*(int64_t *)vo = sqlite3_column_int64(st, 0);
}

int sq_erase_links(struct store_conn *sc, const struct erase_ids *ids, struct erase_links *out, struct arena *a,
                   struct kp_err *err)
{
	struct sq_conn *c = SQ_C(sc);
	struct buf cj = BUF_INIT((size_t)64 << 20), ij = BUF_INIT((size_t)64 << 20);
	struct sq_rows rows = {0};
	sqlite3_stmt *st;
	int rc;

	memset(out, 0, sizeof *out);
	c->scrub_due = 1; /* sq_maintain empties the WAL once this is committed */
	if (sq_ids_json(&cj, ids->customers, ids->ncustomers) ||
	    sq_ids_json(&ij, ids->interactions, ids->ninteractions)) {
		rc = kp_err_set(err, KP_ENOMEM, "out of memory for the ids to erase");
		goto out;
	}
	/* by each index (customer_id; interaction_id has none, so the interactions' incidents are
	 * the customers' own, or found by a scan of the few incidents left without a customer) */
	st = sq_prep_lit(c,
	                 "UPDATE wellbeing_notifications SET customer_id = NULL, interaction_id = NULL"
	                 " WHERE customer_id IN (SELECT value FROM json_each(?1))"
	                 " OR interaction_id IN (SELECT value FROM json_each(?2))",
	                 err);
	if (!st) {
		rc = err ? err->status : KP_ESTORE;
		goto out;
	}
	sq_bind_text(st, 1, cj.ptr);
	sq_bind_text(st, 2, ij.ptr);
	if ((rc = sq_exec1(c, st, "detach incidents", err)))
		goto out;
	out->notifications = sqlite3_changes(c->db);
	/* a correction keeps its id, kind, label and staff member (the learned layer skips a
	 * correction without words); the words and the message it names go */
	st = sq_prep_lit(c,
	                 "UPDATE text_corrections SET text = '', interaction_id = NULL"
	                 " WHERE interaction_id IN (SELECT value FROM json_each(?1)) RETURNING id",
	                 err);
	if (!st) {
		rc = err ? err->status : KP_ESTORE;
		goto out;
	}
	sq_bind_text(st, 1, ij.ptr);
	rc = sq_rows_all(c, st, id_col, sizeof(int64_t), &rows, a, "erase corrections", err);
	out->corrections = rows.items;
	out->ncorrections = rows.n;
out:
	buf_release(&cj);
	buf_release(&ij);
	return rc;
}

/* A scan of the keys of the last 24 h (location and subject have no index: an erasure is
 * rare). */
int sq_idem_forget(struct store_conn *sc, const char *prefix, const int64_t *ids, size_t nids, int64_t *n,
                   struct kp_err *err)
{
	struct sq_conn *c = SQ_C(sc);
	struct buf j = BUF_INIT((size_t)64 << 20);
	sqlite3_stmt *st;
	int rc;
	if (sq_ids_json(&j, ids, nids)) {
		rc = kp_err_set(err, KP_ENOMEM, "out of memory for the ids to erase");
		goto out;
	}
	st = sq_prep_lit(c,
	                 "DELETE FROM idempotency_keys WHERE location IN (SELECT ?1 || value FROM json_each(?2))"
	                 " OR subject IN (SELECT ?1 || value FROM json_each(?2))",
	                 err);
	if (!st) {
		rc = err ? err->status : KP_ESTORE;
		goto out;
	}
	sq_bind_text(st, 1, prefix);
	sq_bind_text(st, 2, j.ptr);
	if ((rc = sq_exec1(c, st, "forget idempotency keys", err)))
		goto out;
	*n = sqlite3_changes(c->db);
out:
	buf_release(&j);
	return rc;
}

int sq_notification_count(struct store_conn *sc, int64_t customer_id, int64_t since, int64_t *n,
				 struct kp_err *err)
{
	struct sq_conn *c = SQ_C(sc);
	sqlite3_stmt *st;
	int rc;

	*n = 0;
	SQ_PREP_OR_FAIL(st, c,
			"SELECT count(*) FROM wellbeing_notifications WHERE customer_id = ?1 AND occurred_at >= ?2", err);
	sqlite3_bind_int64(st, 1, customer_id);
	sqlite3_bind_int64(st, 2, since);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*n = sqlite3_column_int64(st, 0);
	else
		rc = sq_fail(c, rc, "count notifications", err);
	sq_done(st);
	return rc == SQLITE_ROW ? 0 : rc;
}

#define EXPOSURE_MAX 10000

int sq_exposure(struct store_conn *sc, const struct exposure_filter *f, struct exposure_list *out,
		       struct arena *a, struct kp_err *err)
{
	/* The bucket's first day, in the server's zone (time_zone(), the process's TZ, which
	 * 'localtime' reads): the day itself, the Monday of its week ('weekday 0' moves to the
	 * next Sunday unless it is one, -6 days is that week's Monday), or the 1st. */
	static const char *const sql[3] = {
#define EXPOSURE_SQL(bucket)                                                                            \
	"SELECT " bucket " AS b, coalesce(staff_id, 0), team, count(*) FROM wellbeing_notifications"     \
	" WHERE (?1 = 0 OR occurred_at >= ?1) AND (?2 = 0 OR occurred_at < ?2)"                        \
	" AND (?3 = 0 OR staff_id = ?3) AND (?4 IS NULL OR team = ?4)"                                  \
	" GROUP BY b, coalesce(staff_id, 0), team ORDER BY b, 2, team LIMIT ?5"
		/* seconds rounded down, also before 1970 (integer division rounds towards zero) */
#define EXPOSURE_SECS "(occurred_at / 1000 - (occurred_at % 1000 < 0))"
		EXPOSURE_SQL("date(" EXPOSURE_SECS ", 'unixepoch', 'localtime')"),
		EXPOSURE_SQL("date(" EXPOSURE_SECS ", 'unixepoch', 'localtime', 'weekday 0', '-6 days')"),
		EXPOSURE_SQL("strftime('%Y-%m-01', " EXPOSURE_SECS ", 'unixepoch', 'localtime')"),
#undef EXPOSURE_SECS
#undef EXPOSURE_SQL
	};
	struct sq_conn *c = SQ_C(sc);
	sqlite3_stmt *st;
	int period = f->period >= EXPOSURE_DAY && f->period <= EXPOSURE_MONTH ? f->period : EXPOSURE_DAY, rc;
	size_t cap = 64;

	memset(out, 0, sizeof *out);
	SQ_PREP_OR_FAIL(st, c, sql[period], err);
	sqlite3_bind_int64(st, 1, f->from);
	sqlite3_bind_int64(st, 2, f->to);
	sqlite3_bind_int64(st, 3, f->staff_id);
	sq_bind_text(st, 4, f->team);
	sqlite3_bind_int(st, 5, EXPOSURE_MAX + 1);
	out->items = arena_calloc(a, sizeof *out->items * cap);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (out->n == EXPOSURE_MAX) {
			out->more = 1;
			break;
		}
		if (out->n == cap) {
			struct exposure_row *n = arena_calloc(a, sizeof *n * cap * 2);
			memcpy(n, out->items, sizeof *n * cap);
			out->items = n;
			cap *= 2;
		}
		struct exposure_row *e = &out->items[out->n++];
		e->bucket = sq_col_text(st, 0, a);
		e->staff_id = sqlite3_column_int64(st, 1);
		e->team = sq_col_text(st, 2, a);
		e->count = sqlite3_column_int64(st, 3);
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		rc = sq_fail(c, rc, "exposure", err);
		sq_done(st);
		return rc;
	}
	sq_done(st);
	return 0;
}

static void incident_row(sqlite3_stmt *st, void *p, struct arena *a)
{
	struct incident_customer *ic = p;

	ic->customer_id = sqlite3_column_int64(st, 0);
	ic->name = sq_col_text(st, 1, a);
	ic->flags = sqlite3_column_int(st, 2);
	ic->incidents = sqlite3_column_int64(st, 3);
	ic->last_at = sqlite3_column_int64(st, 4);
}

int sq_incident_customers(struct store_conn *sc, int64_t since, int64_t min, int limit, int64_t after_k,
			  int64_t after_id, struct incident_customer_list *out, struct arena *a, struct kp_err *err)
{
	struct sq_conn *c = SQ_C(sc);
	struct sq_rows rows;
	sqlite3_stmt *st;
	int rc;

	memset(out, 0, sizeof *out);
	if (limit <= 0 || limit > 1000)
		limit = 1000;
	SQ_PREP_OR_FAIL(st, c,
			"SELECT n.customer_id, cu.name, cu.flags, count(*) AS k, max(n.occurred_at)"
			" FROM wellbeing_notifications n JOIN customers cu ON cu.id = n.customer_id"
			" WHERE n.occurred_at >= ?1 GROUP BY n.customer_id HAVING count(*) >= ?2"
			" AND (?4 = 0 OR count(*) < ?4 OR (count(*) = ?4 AND n.customer_id > ?5))"
			" ORDER BY k DESC, n.customer_id LIMIT ?3",
			err);
	sqlite3_bind_int64(st, 1, since);
	sqlite3_bind_int64(st, 2, min);
	sqlite3_bind_int(st, 3, limit + 1);
	sqlite3_bind_int64(st, 4, after_k);
	sqlite3_bind_int64(st, 5, after_id);
	rc = sq_rows_page(c, st, limit, incident_row, sizeof *out->items, &rows, a, "incident customers", err);
	SQ_TAKE_ROWS(out, rows);
	return rc;
}

int sq_correction_insert(struct store_conn *sc, struct text_correction *tc, struct kp_err *err)
{
	struct sq_conn *c = SQ_C(sc);
	sqlite3_stmt *st;
	int64_t now = tc->created_at ? tc->created_at : sq_now();
	int rc;

	SQ_PREP_OR_FAIL(st, c,
			"INSERT INTO text_corrections(interaction_id, text, kind, label, staff_id, created_at)"
			" VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
			err);
	sq_bind_id0(st, 1, tc->interaction_id);
	sq_bind_text(st, 2, tc->text ? tc->text : "");
	sq_bind_text(st, 3, tc->kind);
	sq_bind_text(st, 4, tc->label);
	sq_bind_id0(st, 5, tc->staff_id);
	sqlite3_bind_int64(st, 6, now);
	if ((rc = sq_insert(c, st, "insert correction", &tc->id, err)))
		return rc;
	tc->created_at = now;
	return 0;
}

static void correction_row(sqlite3_stmt *st, void *p, struct arena *a)
{
	struct text_correction *tc = p;

	tc->id = sqlite3_column_int64(st, 0);
	tc->interaction_id = sqlite3_column_int64(st, 1);
	tc->text = sq_col_text(st, 2, a);
	tc->kind = sq_col_text(st, 3, a);
	tc->label = sq_col_text(st, 4, a);
	tc->staff_id = sqlite3_column_int64(st, 5);
	tc->created_at = sqlite3_column_int64(st, 6);
}

int sq_correction_list(struct store_conn *sc, int64_t after_id, int limit, struct correction_list *out,
			      struct arena *a, struct kp_err *err)
{
	struct sq_conn *c = SQ_C(sc);
	struct sq_rows rows;
	sqlite3_stmt *st;
	int rc;

	memset(out, 0, sizeof *out);
	if (limit <= 0 || limit > 10000)
		limit = 10000;
	SQ_PREP_OR_FAIL(st, c,
			"SELECT id, interaction_id, text, kind, label, staff_id, created_at FROM text_corrections"
			" WHERE id > ?1 ORDER BY id LIMIT ?2",
			err);
	sqlite3_bind_int64(st, 1, after_id);
	sqlite3_bind_int(st, 2, limit + 1);
	rc = sq_rows_page(c, st, limit, correction_row, sizeof *out->items, &rows, a, "list corrections", err);
	SQ_TAKE_ROWS(out, rows);
	return rc;
}

int sq_policy_get(struct store_conn *sc, struct wellbeing_policy *out, struct arena *a, struct kp_err *err)
{
	struct sq_conn *c = SQ_C(sc);
	sqlite3_stmt *st;
	int rc;

	memset(out, 0, sizeof *out);
	out->incident_threshold = 3;
	out->period_days = 30;
	SQ_PREP_OR_FAIL(st, c,
			"SELECT incident_threshold, period_days, route_to_team, updated_by, updated_at"
			" FROM wellbeing_policy WHERE id = 1",
			err);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->incident_threshold = sqlite3_column_int(st, 0);
		out->period_days = sqlite3_column_int(st, 1);
		out->route_to_team = sq_col_text(st, 2, a);
		out->updated_by = sqlite3_column_int64(st, 3);
		out->updated_at = sqlite3_column_int64(st, 4);
	} else if (rc != SQLITE_DONE) {
		rc = sq_fail(c, rc, "get policy", err);
		sq_done(st);
		return rc;
	}
	sq_done(st);
	return 0;
}

int sq_policy_put(struct store_conn *sc, const struct wellbeing_policy *p, struct kp_err *err)
{
	struct sq_conn *c = SQ_C(sc);
	sqlite3_stmt *st;

	SQ_PREP_OR_FAIL(st, c,
			"INSERT INTO wellbeing_policy(id, incident_threshold, period_days, route_to_team, updated_by,"
			" updated_at) VALUES (1, ?1, ?2, ?3, ?4, ?5) ON CONFLICT(id) DO UPDATE SET"
			" incident_threshold = excluded.incident_threshold, period_days = excluded.period_days,"
			" route_to_team = excluded.route_to_team, updated_by = excluded.updated_by,"
			" updated_at = excluded.updated_at",
			err);
	sqlite3_bind_int(st, 1, p->incident_threshold);
	sqlite3_bind_int(st, 2, p->period_days);
	sq_bind_text(st, 3, p->route_to_team);
	sq_bind_id0(st, 4, p->updated_by);
	sqlite3_bind_int64(st, 5, p->updated_at ? p->updated_at : sq_now());
	return sq_exec1(c, st, "put policy", err);
}
