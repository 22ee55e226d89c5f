/*
 * Ids are never given out twice (SQLite backend). A table with INTEGER PRIMARY KEY gives a
 * new row max(id) + 1, so deleting the newest row would hand its id to the next one: an audit
 * entry, an incident notification or an integration that kept the old id would then point at
 * another customer's record. PostgreSQL's identity columns never reuse an id; AUTOINCREMENT
 * would do it here too, but only for tables created with it (a rebuild of every main table)
 * and at a cost on every insert.
 *
 * Instead, id_floor (migration 5) remembers, per table, the greatest id that was ever
 * deleted while it was the newest row, and an insert into that table takes floor + 1 when
 * the table's max(id) is below the floor:
 *   - sq_id_floor_deleting()/_deleted() wrap every delete of a row of these tables (and of a
 *     customer, whose delete cascades to its interactions, notes and incidents): a table
 *     whose max(id) fell gets a floor. An old row's delete writes nothing.
 *   - sq_id_claim() is called before an insert: 0 (let SQLite choose) unless the table has a
 *     floor above its max(id). Floors are kept in the writer's memory, loaded on first use;
 *     a table without one costs nothing, one with a floor costs a max(id) seek per insert
 *     until they are loaded again, which drops the floors that rows have passed.
 * The memory is only a copy of id_floor: another connection on the same file (a second
 * server, a CLI command, another store in this process) writes floors too, and then this
 * one must read them again before it gives out an id. sq_id_floor_forget() drops the copy;
 * the writer calls it at the BEGIN of a transaction when another connection has committed
 * since its last one ended (sqlite.c, "What the writer keeps between transactions"), and
 * the write lock that BEGIN IMMEDIATE took keeps it true until the COMMIT.
 * A floor written in a transaction that rolls back stays in memory: it then only skips ids, and
 * the next delete that lowers max(id) writes its floor to the table again.
 * Only the writer connection uses this, inside a write transaction.
 */
#include "store/sqlite/sq_int.h"

#include <stdio.h>
#include <string.h>

static const char *const floor_tables[SQ_FLOOR_NTABLES] = { "organizations", "customers", "interactions",
							     "notes", "field_defs", "wellbeing_notifications" };

static int table_index(const char *table)
{
	for (int i = 0; i < SQ_FLOOR_NTABLES; i++)
		if (!strcmp(floor_tables[i], table))
			return i;
	return -1;
}

static int max_id(struct sq_conn *c, int t, int64_t *out, struct kp_err *err)
{
	char sql[96];
	snprintf(sql, sizeof sql, "SELECT coalesce(max(id), 0) FROM %s", floor_tables[t]);
	sqlite3_stmt *st = sq_prep(c, sql, err); /* built text from the fixed table list */
	if (!st)
		return err ? err->status : KP_ESTORE;
	int rc = sqlite3_step(st);
	*out = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sq_done(st);
	return rc == SQLITE_ROW ? 0 : sq_fail(c, rc, "read max id", err);
}

/* Load the floors once per connection; drop those that newer rows have passed. */
static int load(struct sq_conn *c, struct kp_err *err)
{
	if (c->floors_loaded)
		return 0;
	sqlite3_stmt *st;
	SQ_PREP_OR_FAIL(st, c, "SELECT tbl, floor FROM id_floor", err);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int t = table_index((const char *)sqlite3_column_text(st, 0));
		if (t >= 0)
			c->id_floor[t] = sqlite3_column_int64(st, 1);
	}
	sq_done(st);
	if (rc != SQLITE_DONE)
		return sq_fail(c, rc, "read id floors", err);
	for (int t = 0; t < SQ_FLOOR_NTABLES; t++) {
		int64_t m;
		if (!c->id_floor[t])
			continue;
		if ((rc = max_id(c, t, &m, err)))
			return rc;
		if (m > c->id_floor[t]) {
			SQ_PREP_OR_FAIL(st, c, "DELETE FROM id_floor WHERE tbl = ?1", err);
			sqlite3_bind_text(st, 1, floor_tables[t], -1, SQLITE_STATIC);
			if ((rc = sq_exec1(c, st, "drop an id floor", err)))
				return rc;
			c->id_floor[t] = 0;
		}
	}
	c->floors_loaded = 1;
	return 0;
}

void sq_id_floor_forget(struct sq_conn *c)
{
	c->floors_loaded = 0;
	memset(c->id_floor, 0, sizeof c->id_floor);
}

int sq_id_floor_deleting(struct sq_conn *c, struct sq_floor_mark *m, struct kp_err *err)
{
	int rc;
	if ((rc = load(c, err)))
		return rc;
	for (int t = 0; t < SQ_FLOOR_NTABLES; t++)
		if ((rc = max_id(c, t, &m->before[t], err)))
			return rc;
	return 0;
}

int sq_id_floor_deleted(struct sq_conn *c, const struct sq_floor_mark *m, struct kp_err *err)
{
	for (int t = 0; t < SQ_FLOOR_NTABLES; t++) {
		int64_t after;
		int rc = max_id(c, t, &after, err);
		if (rc)
			return rc;
		/* written even when memory has it already: a floor written by a transaction that
		 * rolled back stays in memory, and must still reach the table */
		if (after >= m->before[t])
			continue;
		sqlite3_stmt *st;
		SQ_PREP_OR_FAIL(st, c,
				"INSERT INTO id_floor(tbl, floor) VALUES (?1, ?2)"
				" ON CONFLICT(tbl) DO UPDATE SET floor = max(floor, excluded.floor)",
				err);
		sqlite3_bind_text(st, 1, floor_tables[t], -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, m->before[t]);
		if ((rc = sq_exec1(c, st, "write an id floor", err)))
			return rc;
		if (m->before[t] > c->id_floor[t]) /* never lowered: "delete 3, then 2" keeps 3 */
			c->id_floor[t] = m->before[t];
	}
	return 0;
}

int sq_id_claim(struct sq_conn *c, const char *table, int64_t *id, struct kp_err *err)
{
	*id = 0;
	int rc = load(c, err);
	if (rc)
		return rc;
	int t = table_index(table);
	if (t < 0 || !c->id_floor[t])
		return 0;
	int64_t m;
	if ((rc = max_id(c, t, &m, err)))
		return rc;
	if (m < c->id_floor[t])
		*id = c->id_floor[t] + 1;
	return 0;
}
