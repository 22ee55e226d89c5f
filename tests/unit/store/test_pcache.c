/*
 * The page cache wrapper (store/sqlite/pcache.c): at the end of a write transaction on a
 * database under 1 GiB, SQLite asks its cache to drop pages beyond the database's end; after
 * a B-tree split that swapped page numbers through page 262,145 the default cache walks its
 * whole hash table to find none. The wrapper skips that truncate when it knows no page is
 * there, and lets it through when pages are (a rolled-back transaction that grew the file).
 *
 * SQLite takes a page cache only before it initialises, and this process has used SQLite in
 * other tests: the test runs in a child, which shuts SQLite down first (no connection is
 * open between tests) and installs the wrapper on a clean start.
 */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test.h"

#include "store/sqlite/sq_int.h"

static int pc_exec(sqlite3 *db, const char *sql)
{
	return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

static long long pc_one(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	long long v = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static int pc_ok(sqlite3 *db)
{
	sqlite3_stmt *st = NULL;
	int ok = 0;

	if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		ok = strcmp((const char *)sqlite3_column_text(st, 0), "ok") == 0;
	sqlite3_finalize(st);
	return ok;
}

/* The child's steps; its exit status names the step that failed (0: all passed). */
static int pc_child(const char *path)
{
	struct sq_pcache_counts c0, c1, c2;
	sqlite3 *db = NULL;
	char sql[256];

	if (sqlite3_shutdown() != SQLITE_OK || sq_pcache_install() != 0)
		return 10;
	if (sqlite3_open(path, &db) != SQLITE_OK ||
	    pc_exec(db, "PRAGMA page_size=4096; PRAGMA journal_mode=WAL; PRAGMA cache_size=-65536;"
	                "CREATE TABLE t(id INTEGER PRIMARY KEY, k BLOB, v TEXT); CREATE INDEX t_k ON t(k);"))
		return 11;
	sq_pcache_counts(&c0);
	/* random keys split index pages all over: some splits swap page numbers */
	for (int b = 0; b < 200; b++) {
		if (pc_exec(db, "BEGIN"))
			return 12;
		snprintf(sql, sizeof sql,
		         "WITH RECURSIVE g(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM g WHERE x < 50)"
		         " INSERT INTO t(k, v) SELECT randomblob(40), '%d-' || x FROM g",
		         b);
		if (pc_exec(db, sql))
			return 13;
		if (pc_exec(db, "COMMIT"))
			return 14;
	}
	sq_pcache_counts(&c1);
	if (c1.moved <= c0.moved)
		return 15; /* no split swapped page numbers: the test shows nothing */
	if (c1.skipped <= c0.skipped)
		return 16; /* the commits' truncates were not skipped */
	if (pc_one(db, "SELECT count(*) FROM t") != 200 * 50 || !pc_ok(db))
		return 17;
	/* a transaction that grows the file and is rolled back: its pages beyond the end must go */
	long long pages = pc_one(db, "PRAGMA page_count");
	if (pc_exec(db, "BEGIN; WITH RECURSIVE g(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM g WHERE x < 5000)"
	                " INSERT INTO t(k, v) SELECT randomblob(40), zeroblob(500) FROM g;") ||
	    pc_one(db, "PRAGMA page_count") <= pages || pc_exec(db, "ROLLBACK"))
		return 18;
	sq_pcache_counts(&c2);
	if (c2.passed <= c1.passed)
		return 19;
	if (pc_one(db, "PRAGMA page_count") != pages || pc_one(db, "SELECT count(*) FROM t") != 200 * 50 || !pc_ok(db))
		return 20;
	/* and the file grows again over the same page numbers, read back right */
	if (pc_exec(db, "WITH RECURSIVE g(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM g WHERE x < 3000)"
	                " INSERT INTO t(k, v) SELECT randomblob(40), 'again' FROM g") ||
	    pc_one(db, "SELECT count(*) FROM t WHERE v = 'again'") != 3000 || !pc_ok(db))
		return 21;
	sqlite3_close(db);
	return 0;
}

TEST(pcache_skips_the_truncate_that_drops_nothing)
{
	char path[128];
	int status = -1;

	snprintf(path, sizeof path, "/tmp/kp-unit-pcache-%d.db", (int)getpid());
	unlink(path);
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0)
		_exit(pc_child(path));
	CHECK(pid > 0);
	if (pid <= 0)
		return;
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status));
	CHECK_INT(WEXITSTATUS(status), 0);
	static const char *const sfx[] = {"", "-wal", "-shm"};
	for (size_t i = 0; i < sizeof sfx / sizeof sfx[0]; i++) {
		char p[160];
		snprintf(p, sizeof p, "%s%s", path, sfx[i]);
		unlink(p);
	}
}
