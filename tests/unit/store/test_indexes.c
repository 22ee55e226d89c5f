/*
 * Queries that must find their rows through an index of just those rows, not by reading every
 * row of a large table: checked with SQLite's EXPLAIN QUERY PLAN on a database the store
 * migrated. (Their speed is for the benchmarks; this keeps the index and the query's terms in
 * step: a predicate written differently from the partial index's no longer uses it.)
 */
#include <stdio.h>
#include <unistd.h>

#include "test.h"

#include "store/sqlite/sq_int.h"
#include "store/store.h"

/* The plan's text for sql on the database at path ("" if it cannot be read). */
static void ix_plan(const char *path, const char *sql, char *out, size_t outlen)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	char q[512];
	size_t len = 0;

	out[0] = '\0';
	snprintf(q, sizeof q, "EXPLAIN QUERY PLAN %s", sql);
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, q, -1, &st, NULL) == SQLITE_OK)
		while (sqlite3_step(st) == SQLITE_ROW && len + 2 < outlen)
			len += (size_t)snprintf(out + len, outlen - len, "%s\n", (const char *)sqlite3_column_text(st, 3));
	sqlite3_finalize(st);
	sqlite3_close(db);
}

TEST(indexes_abusive_messages_newest_first)
{
	char path[128], url[160], plan[1024];
	struct store *s = NULL;
	struct kp_err err = KP_ERR_INIT;

	snprintf(path, sizeof path, "/tmp/kp-unit-indexes-%d.db", (int)getpid());
	unlink(path);
	snprintf(url, sizeof url, "sqlite:%s", path);
	CHECK_INT(store_open(url, NULL, &s, &err), 0);
	if (!s)
		return;
	store_close(s);
	/* the terms of the interaction list's abusive filter (sq_timeline.c), newest first as the
	 * start-up's masked-search pass and the wellbeing lists read it */
	ix_plan(path,
	        "SELECT id FROM interactions WHERE 1 = 1 AND abusive = 1 ORDER BY occurred_at DESC, id DESC LIMIT 200",
	        plan, sizeof plan);
	CHECK(strstr(plan, "USING INDEX interactions_abusive") != NULL);
	CHECK(strstr(plan, "TEMP B-TREE") == NULL); /* in the index's order: no sort */
	static const char *const sfx[] = {"", "-wal", "-shm"};
	for (size_t i = 0; i < sizeof sfx / sizeof sfx[0]; i++) {
		char p[160];
		snprintf(p, sizeof p, "%s%s", path, sfx[i]);
		unlink(p);
	}
}
