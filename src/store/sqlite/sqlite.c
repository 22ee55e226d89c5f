/*
 * The SQLite backend: connections, pragmas, the statement cache, transactions,
 * migrations, backup, and the ops table. The domain operations live in the per-entity
 * files next to this one.
 *
 * Connections: one writer (read-write, runs migrations) and one read-only connection per
 * reading thread. WAL lets readers run beside the writer; synchronous=FULL makes every
 * commit durable before the writer reports it done, except the group commits the store
 * pipelines (sq_begin_nosync, sq_sync below), whose fsync runs beside the next batch.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "store/sqlite/sq_int.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/timeutil.h"

#define SQ_MAX_CACHED 256

struct sq_backend {
	char *path;
};

int64_t sq_now(void)
{
	return time_now_ms();
}

int sq_fail(struct sq_conn *c, int rc, const char *what, struct kp_err *err)
{
	const char *msg = c && c->db ? sqlite3_errmsg(c->db) : sqlite3_errstr(rc);
	int ext = c && c->db ? sqlite3_extended_errcode(c->db) : rc;
	int status = KP_ESTORE;

	if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY ||
	    ext == SQLITE_CONSTRAINT_FOREIGNKEY)
		status = KP_ECONFLICT;
	else if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
		status = KP_EUNAVAILABLE;
	else if ((rc & 0xff) == SQLITE_FULL || (ext & 0xff) == SQLITE_FULL)
		/* an operational condition, not a fault: 503, and writes work again once there is
		 * room (nothing acknowledged is lost: the batch rolled back) */
		return kp_err_set(err, KP_EUNAVAILABLE, "%s: the disk is full: %s", what, msg);
	return kp_err_set(err, status, "%s: %s", what, msg);
}

static uint64_t sq_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static void sq_cache_clear(struct sq_conn *c)
{
	for (size_t i = 0; i < c->nstmts; i++) {
		sqlite3_finalize(c->stmts[i].st);
		free(c->stmts[i].sql);
	}
	c->nstmts = 0;
}

static sqlite3_stmt *sq_prep_any(struct sq_conn *c, const char *sql, const char *lit, struct kp_err *err)
{
	uint64_t h = sq_hash(sql);
	sqlite3_stmt *st = NULL;
	int rc;

	for (size_t i = 0; i < c->nstmts; i++)
		if (c->stmts[i].hash == h && strcmp(c->stmts[i].sql, sql) == 0) {
			if (lit && !c->stmts[i].lit)
				c->stmts[i].lit = lit;
			return c->stmts[i].st;
		}
	rc = sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
	if (rc != SQLITE_OK) {
		sq_fail(c, rc, "prepare", err);
		return NULL;
	}
	if (c->nstmts == SQ_MAX_CACHED) /* many distinct filter combinations: start over */
		sq_cache_clear(c);
	if (c->nstmts == c->capstmts) {
		size_t ncap = c->capstmts ? c->capstmts * 2 : 32;
		struct sq_stmt_slot *n = realloc(c->stmts, ncap * sizeof *n);
		if (!n) {
			sqlite3_finalize(st);
			kp_err_set(err, KP_ENOMEM, "out of memory");
			return NULL;
		}
		c->stmts = n;
		c->capstmts = ncap;
	}
	c->stmts[c->nstmts].lit = lit;
	c->stmts[c->nstmts].hash = h;
	c->stmts[c->nstmts].sql = strdup(sql);
	if (!c->stmts[c->nstmts].sql) {
		sqlite3_finalize(st);
		kp_err_set(err, KP_ENOMEM, "out of memory");
		return NULL;
	}
	c->stmts[c->nstmts].st = st;
	c->nstmts++;
	return st;
}

sqlite3_stmt *sq_prep(struct sq_conn *c, const char *sql, struct kp_err *err)
{
	return sq_prep_any(c, sql, NULL, err);
}

sqlite3_stmt *sq_prep_lit(struct sq_conn *c, const char *sql, struct kp_err *err)
{
	for (size_t i = 0; i < c->nstmts; i++)
		if (c->stmts[i].lit == sql)
			return c->stmts[i].st;
	return sq_prep_any(c, sql, sql, err);
}

void sq_done(sqlite3_stmt *st)
{
	if (st) {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
	}
}

int sq_exec1(struct sq_conn *c, sqlite3_stmt *st, const char *what, struct kp_err *err)
{
	int rc = sqlite3_step(st);
	int ret = 0;

	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		ret = sq_fail(c, rc, what, err);
	sq_done(st);
	return ret;
}

int sq_get_one(struct sq_conn *c, sqlite3_stmt *st, sq_row_fn *fill, void *out, struct arena *a, const char *what,
	       struct kp_err *err)
{
	int rc = sqlite3_step(st);
	int ret = 0;

	if (rc == SQLITE_ROW)
		fill(st, out, a);
	else if (rc == SQLITE_DONE)
		ret = kp_err_set(err, KP_ENOTFOUND, "%s not found", what);
	else
		ret = sq_fail(c, rc, what, err);
	sq_done(st);
	return ret;
}

int sq_get_id(struct sq_conn *c, const char *sql, int64_t id, sq_row_fn *fill, void *out, struct arena *a,
	      const char *what, struct kp_err *err)
{
	sqlite3_stmt *st;

	SQ_PREP_OR_FAIL(st, c, sql, err);
	sqlite3_bind_int64(st, 1, id);
	return sq_get_one(c, st, fill, out, a, what, err);
}

int sq_rows_page(struct sq_conn *c, sqlite3_stmt *st, int limit, sq_row_fn *fill, size_t size, struct sq_rows *rows,
		 struct arena *a, const char *what, struct kp_err *err)
{
	int rc;

	rows->n = 0;
	rows->more = 0;
	rows->items = arena_calloc(a, size * (size_t)limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (rows->n == (size_t)limit) {
			rows->more = 1;
			break;
		}
		fill(st, (char *)rows->items + rows->n++ * size, a);
	}
	sq_done(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return sq_fail(c, rc, what, err);
	return 0;
}

int sq_rows_all(struct sq_conn *c, sqlite3_stmt *st, sq_row_fn *fill, size_t size, struct sq_rows *rows,
		struct arena *a, const char *what, struct kp_err *err)
{
	size_t cap = 16;
	int rc;

	rows->n = 0;
	rows->more = 0;
	rows->items = arena_alloc(a, cap * size);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (rows->n == cap) {
			void *n = arena_alloc(a, cap * 2 * size);
			memcpy(n, rows->items, cap * size);
			rows->items = n;
			cap *= 2;
		}
		fill(st, (char *)rows->items + rows->n++ * size, a);
	}
	sq_done(st);
	return rc == SQLITE_DONE ? 0 : sq_fail(c, rc, what, err);
}

int sq_insert(struct sq_conn *c, sqlite3_stmt *st, const char *what, int64_t *id, struct kp_err *err)
{
	int rc = sq_exec1(c, st, what, err);

	if (!rc)
		*id = sqlite3_last_insert_rowid(c->db);
	return rc;
}

int sq_update_versioned(struct sq_conn *c, sqlite3_stmt *st, const char *table, int64_t id, int64_t expected,
			int64_t *version, const char *what, struct kp_err *err)
{
	int rc = sqlite3_step(st);
	int ret = 0;

	if (rc == SQLITE_ROW)
		*version = sqlite3_column_int64(st, 0);
	else if (rc != SQLITE_DONE)
		ret = sq_fail(c, rc, what, err);
	sq_done(st);
	if (rc == SQLITE_DONE)
		return sq_version_miss(c, table, id, expected, err);
	return ret;
}

int sq_check_version(struct sq_conn *c, sqlite3_stmt *st, const char *noun, int64_t id, int64_t expected,
		     const char *what, struct kp_err *err)
{
	int64_t v = -1;
	int rc;

	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sq_done(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return sq_fail(c, rc, what, err);
	if (v < 0)
		return kp_err_set(err, KP_ENOTFOUND, "%s %lld not found", noun, (long long)id);
	if (expected && v != expected)
		return kp_err_set(err, KP_EPRECONDITION, "%s %lld has version %lld", noun, (long long)id, (long long)v);
	return 0;
}

int sq_count(struct sq_conn *c, const char *sql, const char *what, int64_t *n, struct kp_err *err)
{
	sqlite3_stmt *st;
	int rc;

	SQ_PREP_OR_FAIL(st, c, sql, err);
	rc = sqlite3_step(st);
	*n = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sq_done(st);
	return rc == SQLITE_ROW ? 0 : sq_fail(c, rc, what, err);
}

int sq_exec_sql(struct sq_conn *c, const char *sql, struct kp_err *err)
{
	sqlite3_stmt *st = sq_prep_lit(c, sql, err);

	if (!st)
		return err ? err->status : KP_ESTORE;
	return sq_exec1(c, st, sql, err);
}

void sq_bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

void sq_bind_id0(sqlite3_stmt *st, int i, int64_t id)
{
	if (id)
		sqlite3_bind_int64(st, i, id);
	else
		sqlite3_bind_null(st, i);
}

char *sq_col_text(sqlite3_stmt *st, int i, struct arena *a)
{
	const unsigned char *t;

	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return NULL;
	t = sqlite3_column_text(st, i);
	return arena_strndup(a, (const char *)t, (size_t)sqlite3_column_bytes(st, i));
}

int sq_version_miss(struct sq_conn *c, const char *table, int64_t id, int64_t expected, struct kp_err *err)
{
	char sql[128];
	sqlite3_stmt *st;
	int rc;

	snprintf(sql, sizeof sql, "SELECT version FROM %s WHERE id = ?1", table);
	st = sq_prep(c, sql, err);
	if (!st)
		return err ? err->status : KP_ESTORE;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		int64_t v = sqlite3_column_int64(st, 0);
		sq_done(st);
		return kp_err_set(err, KP_EPRECONDITION, "%s %lld has version %lld, not %lld", table, (long long)id,
				  (long long)v, (long long)expected);
	}
	sq_done(st);
	if (rc != SQLITE_DONE)
		return sq_fail(c, rc, table, err);
	return kp_err_set(err, KP_ENOTFOUND, "%s %lld not found", table, (long long)id);
}

/* DELETE ... WHERE id = ?1 AND (?2 = 0 OR version = ?2) on a table with id and version. */
int sq_delete_versioned(struct sq_conn *c, const char *table, int64_t id, int64_t expected, struct kp_err *err)
{
	char sql[160];
	sqlite3_stmt *st;
	int rc;

	struct sq_floor_mark mark;
	if ((rc = sq_id_floor_deleting(c, &mark, err)))
		return rc;
	snprintf(sql, sizeof sql, "DELETE FROM %s WHERE id = ?1 AND (?2 = 0 OR version = ?2)", table);
	st = sq_prep(c, sql, err); /* built text: not a literal */
	if (!st)
		return err ? err->status : KP_ESTORE;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, expected);
	rc = sq_exec1(c, st, table, err);
	if (rc)
		return rc;
	if (sqlite3_changes(c->db) == 0)
		return sq_version_miss(c, table, id, expected, err);
	/* the row, or one its delete cascaded to, may have been its table's newest */
	return sq_id_floor_deleted(c, &mark, err);
}

/* ---- keyset pagination --------------------------------------------------------------- */

const char *const sq_named_sorts[5] = { "id", "name_fold", "created_at", "updated_at", NULL };

int sq_page_sql(struct buf *sql, const char *const cols[5], const char *idcol, const struct store_page *pg,
		struct sq_pagebind *pb, struct arena *a, struct kp_err *err)
{
	int sort = pg ? pg->sort : STORE_SORT_ID;
	int desc = pg ? pg->desc : 0;
	const char *col;
	const char *cmp = desc ? "<" : ">";
	const char *dir = desc ? "DESC" : "ASC";

	memset(pb, 0, sizeof *pb);
	pb->limit = pg && pg->limit > 0 ? pg->limit : 50;
	if (pb->limit > 1000)
		pb->limit = 1000;
	if (sort < 0 || sort > 4 || !cols[sort])
		return kp_err_set(err, KP_EINVAL, "this list cannot be sorted that way");
	col = cols[sort];
	if (pg && pg->has_after) {
		pb->has_after = 1;
		pb->after_id = pg->after_id;
		if (sort != STORE_SORT_ID) {
			pb->has_key = 1;
			if (sort == STORE_SORT_NAME) {
				pb->key_is_text = 1;
				pb->key_text = sq_name_key(a, pg->after_key ? pg->after_key : "");
			} else {
				char *end = NULL;
				if (!pg->after_key || !*pg->after_key)
					return kp_err_set(err, KP_EINVAL, "cursor has no sort key");
				errno = 0;
				pb->key_int = strtoll(pg->after_key, &end, 10);
				if (errno || *end)
					return kp_err_set(err, KP_EINVAL, "cursor sort key is not a number");
			}
		}
	}
	if (pb->has_after) {
		if (pb->has_key) {
			if (buf_addf(sql, " AND (%s, %s) %s (?, ?)", col, idcol, cmp) < 0)
				goto too_big;
		} else if (buf_addf(sql, " AND %s %s ?", idcol, cmp) < 0) {
			goto too_big;
		}
	}
	if (sort == STORE_SORT_ID) {
		if (buf_addf(sql, " ORDER BY %s %s LIMIT ?", idcol, dir) < 0)
			goto too_big;
	} else if (buf_addf(sql, " ORDER BY %s %s, %s %s LIMIT ?", col, dir, idcol, dir) < 0) {
		goto too_big;
	}
	return 0;
too_big:
	return kp_err_set(err, KP_EINTERNAL, "list query too long");
}

void sq_page_bind(sqlite3_stmt *st, int *i, const struct sq_pagebind *pb)
{
	if (pb->has_after) {
		if (pb->has_key) {
			if (pb->key_is_text)
				sqlite3_bind_text(st, (*i)++, pb->key_text, -1, SQLITE_STATIC);
			else
				sqlite3_bind_int64(st, (*i)++, pb->key_int);
		}
		sqlite3_bind_int64(st, (*i)++, pb->after_id);
	}
	sqlite3_bind_int(st, (*i)++, pb->limit + 1);
}

int sq_page_prep(struct sq_conn *c, struct buf *sql, const char *const cols[5], const char *idcol,
		 const struct store_page *pg, struct sq_pagebind *pb, sqlite3_stmt **st, struct arena *a,
		 struct kp_err *err)
{
	int ret = sq_page_sql(sql, cols, idcol, pg, pb, a, err);

	if (ret)
		return ret;
	*st = sq_prep(c, sql->ptr, err);
	if (!*st)
		return err ? err->status : KP_ESTORE;
	return 0;
}

/* ---- backend state, connections -------------------------------------------------------- */

static int sq_accepts(const char *url)
{
	return strncmp(url, "sqlite:", 7) == 0;
}

/* Process-wide SQLite settings, before SQLite initialises itself. Memory statistics off:
 * with them on (the default) every sqlite3_malloc and sqlite3_free takes one global mutex,
 * which the reader threads and the writer then contend for (this build of SQLite has no
 * lookaside allocator, so every small allocation goes there). Nothing here reads them. The
 * page cache wrapped (pcache.c). Both fail with SQLITE_MISUSE if SQLite is initialised
 * already: fine, it is only slower. */
static pthread_once_t sq_global_once = PTHREAD_ONCE_INIT;

static void sq_global_init(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	sq_pcache_install();
}

/* sqlite:PATH, sqlite:///abs/path and sqlite://rel: the PATH; NULL for an SQLite URI
 * (file:...), which sq_setup refuses */
static const char *sq_local_file(const char *url)
{
	const char *path = url + 7;
	path = strncmp(path, "//", 2) == 0 ? path + 2 : path;
	return strncmp(path, "file:", 5) == 0 ? NULL : path;
}

static int sq_setup(const char *url, void **backend, struct kp_err *err)
{
	struct sq_backend *be;
	const char *path;
	char *dcopy;
	struct stat sb;
	int rc = 0;

	pthread_once(&sq_global_once, sq_global_init);
	path = url + 7;
	path = strncmp(path, "//", 2) == 0 ? path + 2 : path;
	if (!*path)
		return kp_err_set(err, KP_EINVAL, "sqlite URL has no path (use sqlite:PATH)");
	if (strcmp(path, ":memory:") == 0)
		return kp_err_set(err, KP_EINVAL, "sqlite::memory: is not supported (readers need a shared file)");
	/* sqlite:PATH is a path, never an SQLite URI: opened as one, "file:kp.db" made a stray
	 * file of that name and the real one with SQLite's mode, and "?mode=memory" no file at
	 * all. A file whose name begins so is still reached as sqlite:./file:... */
	if (strncmp(path, "file:", 5) == 0)
		return kp_err_set(err, KP_EINVAL,
		                  "sqlite:%s is an SQLite URI, which Kumppani does not take: give the database's path"
		                  " (sqlite:PATH; sqlite:./%s for a file of that very name)",
		                  path, path);
	if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
		return kp_err_set(err, KP_EUNAVAILABLE, "database %s is a directory: name the database file in it",
		                  path);
	dcopy = strdup(path);
	if (!dcopy)
		return kp_err_set(err, KP_ENOMEM, "out of memory");
	{
		const char *dir = dirname(dcopy);
		if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
			rc = kp_err_set(err, KP_EUNAVAILABLE, "database directory %s does not exist", dir);
	}
	free(dcopy);
	if (rc)
		return rc;
	be = calloc(1, sizeof *be);
	if (!be || !(be->path = strdup(path))) {
		free(be);
		return kp_err_set(err, KP_ENOMEM, "out of memory");
	}
	*backend = be;
	return 0;
}

static void sq_release(void *backend)
{
	struct sq_backend *be = backend;

	if (be) {
		free(be->path);
		free(be);
	}
}

static void sq_ckpt_stop(struct sq_conn *c);
static void sq_walsync_free(struct sq_walsync *w);

static void sq_conn_close(struct store_conn *sc)
{
	struct sq_conn *c = SQ_C(sc);

	if (!c)
		return;
	if (c->side) { /* closed in a bulk load: the next open re-indexes (the marker stays) */
		struct kp_err e2 = KP_ERR_INIT;
		sq_side_finish(c, 0, NULL, &e2);
	}
	sq_ckpt_stop(c); /* before the writer's handle: the last close checkpoints and drops the WAL */
	sq_walsync_free(c->walsync);
	sq_cache_clear(c);
	sq_owner_forget(c);
	free(c->stmts);
	if (c->db)
		sqlite3_close_v2(c->db);
	free(c);
}

/* secure_delete: what the writer deletes or overwrites (a deleted customer, an erased audit
 * value) is zeroed in the page and in freed pages, so that the database file does not keep it
 * in free space after an erasure (README, "The audit log and erasure"); the WAL's older frames
 * go with the checkpoint an erasure asks for (scrub_due). Measured at no cost beyond the
 * noise: 2,000 POST interactions and 1,000 DELETEs, five runs each, medians 3.3 s and 1.4 s
 * without, 2.8 s and 1.1 s with, on this 2-core machine shared with other work. */
static int sq_pragmas(struct sq_conn *c, struct kp_err *err)
{
	static const char writer_pragmas[] = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
	                                     "PRAGMA foreign_keys=ON; PRAGMA cache_size=-262144; "
	                                     "PRAGMA mmap_size=1073741824; PRAGMA temp_store=MEMORY; "
	                                     "PRAGMA journal_size_limit=67108864; " /* see SQ_WAL_CAP */
	                                     "PRAGMA secure_delete=ON;";            /* see sq_pragmas */
	/* Readers map as much of the file as this SQLite allows (SQLite caps the request at
	 * its compile-time SQLITE_MAX_MMAP_SIZE: 2 GiB in Debian's build): a page read through
	 * the map costs no pread and no copy into the connection's cache, and the pages are
	 * the kernel's page cache, shared by every reader. */
	static const char reader_pragmas[] = "PRAGMA foreign_keys=ON; PRAGMA cache_size=-16384; "
					     "PRAGMA mmap_size=68719476736; PRAGMA temp_store=MEMORY;";
	char *msg = NULL;
	int rc;

	sqlite3_busy_timeout(c->db, 10000);
	rc = sqlite3_exec(c->db, c->writer ? writer_pragmas : reader_pragmas, NULL, NULL, &msg);
	/* Switching a new file to WAL while another process opens it too (two migrates, a serve
	 * and a staff add) can be refused at once, without the busy handler: try again a while */
	for (int i = 0; (rc & 0xff) == SQLITE_BUSY && i < 200; i++) {
		sqlite3_free(msg);
		msg = NULL;
		sqlite3_sleep(50);
		rc = sqlite3_exec(c->db, c->writer ? writer_pragmas : reader_pragmas, NULL, NULL, &msg);
	}
	if (rc != SQLITE_OK) {
		/* name the file: "file is not a database" alone does not say which one */
		const char *file = sqlite3_db_filename(c->db, "main");
		kp_err_set(err, KP_ESTORE, "%s: %s", file && *file ? file : "sqlite pragmas",
		           msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		return KP_ESTORE;
	}
	return 0;
}

static int sq_run_script(struct sq_conn *c, const char *sql, const char *what, struct kp_err *err);

static int sq_wal_hook(void *arg, sqlite3 *db, const char *name, int nframes)
{
	struct sq_conn *c = arg;

	(void)db;
	if (strcmp(name, "main") == 0)
		c->wal_frames = nframes;
	return SQLITE_OK;
}

/*
 * WAL checkpoints (PASSIVE: never waits for readers) run after a batch has been answered,
 * never in the commit path: when the writer is idle and the WAL holds SQ_CKPT_IDLE frames,
 * or, under steady load, once it reaches SQ_CKPT_BUSY frames (then again after every
 * SQ_CKPT_RETRY new frames while readers keep it from restarting).
 *
 * Under load the copy itself runs on a background thread with a connection of its own
 * (struct sq_ckpt), beside the writer's next batches: it was 12-14% of the writer's CPU,
 * plus the database file's fsync, all on the serial write path. A checkpoint from another
 * connection copies the frames committed when it starts; the writer appends more meanwhile,
 * so the WAL could never start over. When a background pass has finished and more than
 * SQ_CKPT_TAIL frames were written meanwhile, another background pass copies those (each
 * pass is shorter than the one before while the copy outruns the writer; after
 * SQ_CKPT_PASSES passes the writer stops waiting for that). Then the writer's next
 * maintain copies the few frames left itself (a short PASSIVE checkpoint: the WAL's fsync,
 * the copy, the database file's fsync, on the serial write path, which is why the tail is
 * kept short), after which the next write transaction restarts the WAL as before. Idle
 * checkpoints, bulk loads, and a checkpointer that cannot start run on the writer as
 * before. Durability does not change: commits are on disk before they are answered (their
 * own fsync, or the sync pipeline's: "Pipelined group commits" below), and checkpoints run
 * with synchronous=FULL on both connections (WAL synced before the copy, the database file
 * after it).
 */
#define SQ_CKPT_IDLE 1024
#define SQ_CKPT_BUSY 16384
#define SQ_CKPT_RETRY 4096
#define SQ_CKPT_TAIL 256
#define SQ_CKPT_PASSES 8
/* The WAL starts over only when no reader is in it as the next write begins. Under a steady
 * read load some event loop nearly always is, so it never did: a blind soak saw the WAL grow
 * to 1.6 GB beside a 271 MB database and stay so until shutdown. Past SQ_WAL_CAP frames the
 * writer's own checkpoint is a TRUNCATE: it copies the little that is left and waits up to
 * SQ_WAL_WAIT_MS for the readers that began before the copy to finish (each holds its
 * snapshot for one event-loop iteration; new ones read the database file), then starts the
 * WAL over at zero bytes. If they do not finish in time it is tried again SQ_CKPT_RETRY
 * frames later. The writer's journal_size_limit (64 MiB, sq_pragmas) also trims the file
 * whenever the WAL starts over by itself. */
#define SQ_WAL_CAP     (2 * SQ_CKPT_BUSY)
#define SQ_WAL_WAIT_MS 100
/* An erasure's checkpoint that readers kept from finishing is tried again after 200 ms, then
 * at doubling intervals up to 5 s (sq_checkpoint_writer). */
#define SQ_SCRUB_RETRY_MS     200
#define SQ_SCRUB_RETRY_MAX_MS 5000

struct sq_ckpt {
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	sqlite3 *db;  /* the checkpointer's own read-write connection */
	int requested; /* a pass is wanted (under mu) */
	int running;   /* a pass is running (under mu) */
	int finished;  /* a pass ended since the writer last looked (under mu) */
	int copied;    /* the WAL frames checkpointed when the last pass ended (under mu) */
	int passes;    /* background passes since the WAL last started over (writer only) */
	int stop;      /* the writer is closing (under mu) */
};

static void *sq_ckpt_main(void *arg)
{
	struct sq_ckpt *k = arg;

	pthread_setname_np(pthread_self(), "kp-checkpoint");
	pthread_mutex_lock(&k->mu);
	for (;;) {
		int logf = 0, done = 0;
		while (!k->requested && !k->stop)
			pthread_cond_wait(&k->cv, &k->mu);
		if (k->stop)
			break;
		k->requested = 0;
		k->running = 1;
		pthread_mutex_unlock(&k->mu);
		/* busy or failed: the writer asks again after SQ_CKPT_RETRY more frames */
		if (sqlite3_wal_checkpoint_v2(k->db, "main", SQLITE_CHECKPOINT_PASSIVE, &logf, &done) != SQLITE_OK)
			done = 0;
		pthread_mutex_lock(&k->mu);
		k->running = 0;
		k->finished = 1;
		k->copied = done;
	}
	pthread_mutex_unlock(&k->mu);
	return NULL;
}

/* Start the checkpointer: 0, or -1 when it cannot (the writer then checkpoints itself). */
static int sq_ckpt_start(struct sq_conn *c)
{
	struct sq_ckpt *k = calloc(1, sizeof *k);

	if (!k)
		return -1;
	if (sqlite3_open_v2(c->path, &k->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK ||
	    sqlite3_exec(k->db, "PRAGMA synchronous=FULL", NULL, NULL, NULL) != SQLITE_OK)
		goto fail;
	pthread_mutex_init(&k->mu, NULL);
	pthread_cond_init(&k->cv, NULL);
	if (pthread_create(&k->th, NULL, sq_ckpt_main, k) != 0) {
		pthread_mutex_destroy(&k->mu);
		pthread_cond_destroy(&k->cv);
		goto fail;
	}
	c->ckpt = k;
	return 0;
fail:
	sqlite3_close_v2(k->db);
	free(k);
	return -1;
}

static void sq_ckpt_stop(struct sq_conn *c)
{
	struct sq_ckpt *k = c->ckpt;

	if (!k)
		return;
	pthread_mutex_lock(&k->mu);
	k->stop = 1;
	pthread_cond_signal(&k->cv);
	pthread_mutex_unlock(&k->mu);
	pthread_join(k->th, NULL);
	pthread_mutex_destroy(&k->mu);
	pthread_cond_destroy(&k->cv);
	sqlite3_close_v2(k->db);
	free(k);
	c->ckpt = NULL;
}

static void sq_checkpoint_here(struct sq_conn *c)
{
	int logf = 0, done = 0;

	/* busy or failed: the next one retries */
	(void)sqlite3_wal_checkpoint_v2(c->db, "main", SQLITE_CHECKPOINT_PASSIVE, &logf, &done);
}

/* The writer's checkpoint (c->wal_frames frames in the WAL): PASSIVE, or past SQ_WAL_CAP a
 * TRUNCATE that waits at most SQ_WAL_WAIT_MS for readers (see SQ_WAL_CAP). */
static void sq_checkpoint_writer(struct sq_conn *c)
{
	int logf = 0, done = 0;

	if ((c->wal_frames < SQ_WAL_CAP && !c->scrub_due) || c->bulk) {
		sq_checkpoint_here(c);
		return;
	}
	sqlite3_busy_timeout(c->db, SQ_WAL_WAIT_MS);
	int rc = sqlite3_wal_checkpoint_v2(c->db, "main", SQLITE_CHECKPOINT_TRUNCATE, &logf, &done);
	sqlite3_busy_timeout(c->db, 10000);
	if (rc == SQLITE_OK) {
		c->wal_frames = c->ckpt_at = c->scrub_due = c->scrub_wait_ms = 0;
	} else if (c->scrub_due) {
		/* a reader holds frames from before the erasure: try again when the writer is idle,
		 * at growing intervals so a long reader (a backup) does not make the writer wait
		 * SQ_WAL_WAIT_MS every STORE_IDLE_MS */
		c->scrub_wait_ms = c->scrub_wait_ms ? c->scrub_wait_ms * 2 : SQ_SCRUB_RETRY_MS;
		if (c->scrub_wait_ms > SQ_SCRUB_RETRY_MAX_MS)
			c->scrub_wait_ms = SQ_SCRUB_RETRY_MAX_MS;
		c->scrub_next_us = time_mono_us() + (int64_t)c->scrub_wait_ms * 1000;
	}
}

static void sq_maintain_pass(struct sq_conn *c, int idle)
{
	struct sq_ckpt *k = c->ckpt;
	int n = c->wal_frames, bg_busy = 0, bg_done = 0, copied = 0;

	if (n < c->ckpt_at) {
		c->ckpt_at = 0; /* the WAL started over */
		if (k)
			k->passes = 0;
	}
	if (k) {
		pthread_mutex_lock(&k->mu);
		bg_busy = k->requested || k->running;
		bg_done = k->finished;
		copied = k->copied;
		k->finished = 0;
		pthread_mutex_unlock(&k->mu);
	}
	if (bg_done) { /* copy what was committed during the background pass */
		c->ckpt_at = n;
		/* past the cap the writer truncates now: more background passes would only let the
		 * WAL grow while they run */
		if (!idle && copied > 0 && n - copied > SQ_CKPT_TAIL && n < SQ_WAL_CAP &&
		    ++k->passes < SQ_CKPT_PASSES) {
			pthread_mutex_lock(&k->mu);
			k->requested = 1;
			pthread_cond_signal(&k->cv);
			pthread_mutex_unlock(&k->mu);
			return;
		}
		k->passes = 0;
		sq_checkpoint_writer(c);
		return;
	}
	if (idle && c->scrub_due && !c->bulk && !bg_busy && time_mono_us() >= c->scrub_next_us) {
		/* an erasure ran: the WAL's older frames still hold the pages as they were before it
		 * (secure_delete zeroes what it deletes in the new ones): copied and truncated now,
		 * waiting SQ_WAL_WAIT_MS at most for readers; busy, the next idle pass tries again */
		c->ckpt_at = n;
		sq_checkpoint_writer(c);
		return;
	}
	if (idle && !c->bulk) {
		if (n < SQ_CKPT_IDLE || n == c->ckpt_at)
			return;
	} else if (n < SQ_CKPT_BUSY || n - c->ckpt_at < SQ_CKPT_RETRY) {
		return;
	}
	if (bg_busy)
		return; /* the background pass is on it */
	c->ckpt_at = n;
	if (!idle && !c->bulk && (k || sq_ckpt_start(c) == 0)) {
		k = c->ckpt;
		pthread_mutex_lock(&k->mu);
		k->requested = 1;
		pthread_cond_signal(&k->cv);
		pthread_mutex_unlock(&k->mu);
		return;
	}
	sq_checkpoint_writer(c);
}

/* store_int.h's maintain: 1 while an erasure's checkpoint is still to be done, so the writer
 * comes back when idle even if no write comes (else the WAL would keep the erased values
 * until the next write). */
static int sq_maintain(struct store_conn *sc, int idle)
{
	struct sq_conn *c = SQ_C(sc);

	sq_maintain_pass(c, idle);
	return c->scrub_due && !c->bulk;
}

/* Run a journal_mode pragma (a query, or a change such as "PRAGMA journal_mode=WAL") and
 * say whether the mode SQLite answers with is want: a change SQLite cannot make is not an
 * error, it answers with the mode it kept. */
static int sq_journal_mode_is(struct sq_conn *c, const char *pragma, const char *want)
{
	sqlite3_stmt *st = NULL;
	int is = 0;

	if (sqlite3_prepare_v2(c->db, pragma, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW &&
	    sqlite3_column_text(st, 0))
		is = strcmp((const char *)sqlite3_column_text(st, 0), want) == 0;
	sqlite3_finalize(st);
	return is;
}

/*
 * Pipelined group commits (store_int.h: begin_nosync and sync). A batch begun with
 * sq_begin_nosync commits under synchronous=NORMAL: SQLite appends the batch's frames to
 * the WAL and makes them visible to readers, without the fsync. The store's sync thread
 * then calls sq_sync, which makes them durable with fdatasync on a descriptor of its own
 * for the WAL file, while the writer runs the next batch; only then are the batch's
 * writes answered. Why that is as durable as synchronous=FULL:
 *  - a crash before the fdatasync loses only commits nobody has been told about; on
 *    recovery SQLite keeps the frames whose checksums and salts hold, as it always does;
 *  - checkpoints (the writer's own and the background connection's) run under
 *    synchronous=FULL: the WAL is synced before its frames are copied into the database
 *    and the database after, so a WAL that starts over has nothing unsynced behind it.
 * PRAGMA synchronous may not change inside a transaction, so it is set to NORMAL just
 * before BEGIN and back to FULL just after COMMIT or ROLLBACK; every other commit of the
 * writer (migrations, the store's unpipelined batches, bulk loads) keeps its own setting.
 * A failure to set FULL again is remembered (nosync_txn = -1) and retried by the next
 * begin, which fails rather than run a transaction with the wrong setting.
 *
 * The WAL file keeps its inode while the database is open in WAL mode (checkpoints
 * truncate it, they do not replace it); sq_sync still checks st_nlink and opens the file
 * again when a bulk load has left the WAL mode and come back. The store drains its sync
 * queue before a bulk load starts.
 */
struct sq_walsync {
	pthread_mutex_t mu; /* fd and synced; one fdatasync at a time */
	int fd;             /* the WAL file, -1 until a sync needs it */
	char *path;         /* the WAL file's name (SQLite's: the database's name + "-wal") */
	atomic_uint_fast64_t committed; /* commits made without their fsync (the writer adds) */
	uint64_t synced;    /* the value of committed that the last good fdatasync covered */
};

/* Set up pipelined commits for the writer when the database is in WAL mode; without the
 * WAL (a file system without shared memory, say) every commit stays synchronous. */
static int sq_walsync_init(struct sq_conn *c, struct kp_err *err)
{
	int wal = sq_journal_mode_is(c, "PRAGMA journal_mode", "wal");
	const char *name = sqlite3_db_filename(c->db, "main");

	if (!wal || !name || !*name)
		return 0;
	struct sq_walsync *w = calloc(1, sizeof *w);
	if (!w || !(w->path = strdup(sqlite3_filename_wal(name)))) {
		free(w);
		return kp_err_set(err, KP_ENOMEM, "out of memory");
	}
	pthread_mutex_init(&w->mu, NULL);
	w->fd = -1;
	atomic_init(&w->committed, 0);
	c->walsync = w;
	return 0;
}

static void sq_walsync_free(struct sq_walsync *w)
{
	if (!w)
		return;
	if (w->fd >= 0)
		close(w->fd);
	pthread_mutex_destroy(&w->mu);
	free(w->path);
	free(w);
}

/* Drop the descriptor (a bulk load leaves the WAL mode, which deletes the file). */
static void sq_walsync_forget(struct sq_walsync *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->mu);
	if (w->fd >= 0)
		close(w->fd);
	w->fd = -1;
	pthread_mutex_unlock(&w->mu);
}

/* Under w->mu: an open descriptor for the WAL file as it is now. A new descriptor comes
 * with an fsync of the directory, so a WAL file created since is found after a crash. */
static int sq_walsync_fd(struct sq_walsync *w, struct kp_err *err)
{
	struct stat sb;

	if (w->fd >= 0 && fstat(w->fd, &sb) == 0 && sb.st_nlink > 0)
		return 0;
	if (w->fd >= 0)
		close(w->fd);
	w->fd = open(w->path, O_RDWR | O_CLOEXEC);
	if (w->fd < 0)
		return kp_err_set(err, KP_ESTORE, "open the WAL %s to sync it: %s", w->path, strerror(errno));
	char *dcopy = strdup(w->path);
	if (!dcopy)
		return kp_err_set(err, KP_ENOMEM, "out of memory");
	int dfd = open(dirname(dcopy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(dcopy);
	if (dfd < 0 || fsync(dfd) != 0) {
		int e = errno;
		if (dfd >= 0)
			close(dfd);
		close(w->fd);
		w->fd = -1;
		return kp_err_set(err, KP_ESTORE, "sync the directory of %s: %s", w->path, strerror(e));
	}
	close(dfd);
	return 0;
}

/* store_ops.sync: every commit made by sq_begin_nosync transactions before this call is
 * on disk when it returns 0. Runs on the store's sync thread, beside the writer; it
 * touches only the descriptor, never the writer's sqlite3 handle. */
static int sq_sync(struct store_conn *sc, struct kp_err *err)
{
	struct sq_walsync *w = SQ_C(sc)->walsync;
	int rc = 0;

	if (!w)
		return 0;
	pthread_mutex_lock(&w->mu);
	uint64_t n = atomic_load(&w->committed);
	if (n != w->synced) {
		rc = sq_walsync_fd(w, err);
		if (rc == 0 && fdatasync(w->fd) != 0)
			rc = kp_err_set(err, KP_ESTORE, "fdatasync %s: %s", w->path, strerror(errno));
		if (rc == 0)
			w->synced = n;
	}
	pthread_mutex_unlock(&w->mu);
	return rc;
}

/* synchronous=FULL again after a transaction begun by sq_begin_nosync has ended. */
static void sq_nosync_end(struct sq_conn *c, int committed)
{
	if (c->nosync_txn == 0)
		return;
	if (committed && c->nosync_txn == 1)
		atomic_fetch_add(&c->walsync->committed, 1);
	c->nosync_txn = sqlite3_exec(c->db, "PRAGMA synchronous=FULL", NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

/* Before a BEGIN: synchronous must be FULL (see sq_nosync_end). */
static int sq_full_again(struct sq_conn *c, struct kp_err *err)
{
	if (c->nosync_txn == -1)
		sq_nosync_end(c, 0);
	if (c->nosync_txn == -1)
		return kp_err_set(err, KP_ESTORE, "cannot set synchronous=FULL again: %s", sqlite3_errmsg(c->db));
	return 0;
}

/* The secondary indexes of the tables a bulk load fills (and the children-copy triggers,
 * see SQ_CHILDREN_SQL) are dropped while it runs and built again at the end (one sort each instead of a random insert per row; at 1,000,000
 * customers the load went from about 3,600 to 11,900 customers/s), except those that only
 * grow at their end during a load. Their SQL is
 * kept in bulk_dropped_indexes, in the transaction that drops them, so a load that dies
 * halfway leaves them listed and the next open of the writer (sq_migrate) rebuilds them. */
static int sq_drop_bulk_indexes(struct sq_conn *c, struct kp_err *err)
{
	static const char sql[] =
		"BEGIN IMMEDIATE;"
		"CREATE TABLE IF NOT EXISTS bulk_dropped_indexes (name TEXT PRIMARY KEY, sql TEXT NOT NULL);"
		"INSERT OR IGNORE INTO bulk_dropped_indexes(name, sql) SELECT name, sql FROM sqlite_master"
		" WHERE (type = 'index' AND sql IS NOT NULL AND tbl_name IN"
		" ('customers', 'customer_contacts', 'customer_tags', 'interactions')"
		/* these grow at their end during a load (ids ascend; few tags): cheap to keep */
		" AND name NOT IN ('interactions_customer', 'customer_contacts_customer', 'customer_tags_tag'))"
		/* the triggers that drop a customer's children copy when its contacts or tags
		 * change behind the customer ops' back (migration 4; no other trigger): the load
		 * writes through those ops only, and they cost it statements per contact point
		 * and tag. While a load runs, other writers of those tables are not covered. */
		" OR (type = 'trigger' AND tbl_name IN ('customer_contacts', 'customer_tags')"
		" AND name GLOB 'customer_*_stale_*');";
	sqlite3_stmt *st = NULL;
	int rc = sq_run_script(c, sql, "bulk load: drop indexes", err);

	if (rc)
		return rc;
	/* One script of DROPs (a DROP cannot run while the SELECT is still open). */
	rc = sqlite3_prepare_v2(c->db,
				"SELECT group_concat(printf('DROP %s IF EXISTS \"%w\";',"
				" CASE WHEN sql LIKE 'CREATE TRIGGER%' THEN 'TRIGGER' ELSE 'INDEX' END, name), '')"
				" FROM bulk_dropped_indexes",
				-1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		char *drops = sqlite3_mprintf("%s", sqlite3_column_text(st, 0) ? (const char *)sqlite3_column_text(st, 0) : "");
		sqlite3_finalize(st);
		st = NULL;
		rc = drops ? sqlite3_exec(c->db, drops, NULL, NULL, NULL) : SQLITE_NOMEM;
		sqlite3_free(drops);
		if (rc == SQLITE_OK)
			rc = SQLITE_DONE;
	}
	if (rc != SQLITE_DONE)
		sq_fail(c, rc, "bulk load: drop indexes", err);
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE) {
		sq_cache_clear(c);
		return sq_run_script(c, "COMMIT", "bulk load: drop indexes", err);
	}
	sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
	return err ? err->status : KP_ESTORE;
}

/* Does table name exist in the main database? 1, 0, or a negative kp status. */
static int sq_table_exists(struct sq_conn *c, const char *name, struct kp_err *err)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(c->db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1", -1,
				    &st, NULL);

	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
	}
	if (rc != SQLITE_ROW) {
		sqlite3_finalize(st);
		return sq_fail(c, rc, "bulk load: look for leftovers", err);
	}
	rc = sqlite3_column_int(st, 0) > 0;
	sqlite3_finalize(st);
	return rc;
}

/* A bulk load with a side search index died before copying it (the marker is left):
 * its entries' text is in search_fts's content table (the writer keeps it, see
 * search.c), only the index is missing: build it from there. */
static int sq_restore_bulk_search(struct sq_conn *c, struct kp_err *err)
{
	int rc = sq_table_exists(c, "bulk_search_side", err);

	if (rc <= 0)
		return rc;
	if ((rc = sq_run_script(c, "BEGIN IMMEDIATE", "bulk load: re-index search", err)))
		return rc;
	rc = sq_run_script(c,
			   "INSERT INTO search_fts(search_fts) VALUES ('rebuild');"
			   "DROP TABLE bulk_search_side; COMMIT",
			   "bulk load: re-index search", err);
	if (rc) {
		sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
		return rc;
	}
	sq_side_remove_scratch(c->path);
	sq_cache_clear(c);
	return 0;
}

/* The sorter settings for CREATE INDEX (sq_restore_bulk_indexes). SQLite sorts the keys
 * of an index in memory up to the page cache's size, and with temp_store=MEMORY (the
 * writer's setting) always wholly in memory: one merge sort over a linked list of all
 * keys, which at millions of keys is mostly cache misses, on one core. With the sorter
 * in temporary files, SQLite sorts runs of at most the cache's size (8 MiB here) in helper
 * threads while the scan goes on, then merges them: measured on a 1M-customer demo
 * database, interactions_staff (2.37M keys) in 2.0 - 2.4 s of CPU instead of 4.0 - 5.1 s,
 * and in less wall time. temp_store can only change outside a transaction, and changing
 * it drops the connection's temporary tables (the writer's search queue), so
 * sq_sort_settings(c, 0) creates that again. */
static int sq_sort_settings(struct sq_conn *c, int for_index, int *cache, struct kp_err *err)
{
	char sql[160];
	int rc;

	sq_cache_clear(c);
	if (for_index) {
		sqlite3_stmt *st = NULL;
		*cache = -262144;
		if (sqlite3_prepare_v2(c->db, "PRAGMA cache_size", -1, &st, NULL) == SQLITE_OK &&
		    sqlite3_step(st) == SQLITE_ROW)
			*cache = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
		return sq_run_script(c, "PRAGMA temp_store=FILE; PRAGMA threads=2; PRAGMA cache_size=-8192",
				     "bulk load: rebuild indexes", err);
	}
	snprintf(sql, sizeof sql, "PRAGMA threads=0; PRAGMA temp_store=MEMORY; PRAGMA cache_size=%d", *cache);
	rc = sq_run_script(c, sql, "bulk load: rebuild indexes", err);
	if (rc == 0 && c->fts_queue)
		rc = sq_fts_queue_init(c, err);
	return rc;
}

static int sq_restore_bulk_indexes_in(struct sq_conn *c, struct kp_err *err)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if ((rc = sq_run_script(c, "BEGIN IMMEDIATE", "bulk load: rebuild indexes", err)))
		return rc;
	rc = sqlite3_prepare_v2(c->db,
				"SELECT group_concat(b.sql || ';', '') FROM bulk_dropped_indexes b"
				" WHERE NOT EXISTS (SELECT 1 FROM sqlite_master m WHERE m.type IN ('index', 'trigger') AND m.name = b.name)",
				-1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		char *creates = sqlite3_mprintf("%s", sqlite3_column_text(st, 0) ? (const char *)sqlite3_column_text(st, 0) : "");
		sqlite3_finalize(st);
		st = NULL;
		rc = creates ? sqlite3_exec(c->db, creates, NULL, NULL, NULL) : SQLITE_NOMEM;
		sqlite3_free(creates);
		if (rc == SQLITE_OK)
			rc = SQLITE_DONE;
	}
	if (rc != SQLITE_DONE)
		sq_fail(c, rc, "bulk load: rebuild indexes", err);
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE) {
		sq_cache_clear(c);
		return sq_run_script(c, "DROP TABLE bulk_dropped_indexes; COMMIT", "bulk load: rebuild indexes", err);
	}
	sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
	return err ? err->status : KP_ESTORE;
}

static int sq_restore_bulk_indexes(struct sq_conn *c, struct kp_err *err)
{
	int rc, cache = 0;

	rc = sq_table_exists(c, "bulk_dropped_indexes", err);
	if (rc <= 0)
		return rc;
	if ((rc = sq_sort_settings(c, 1, &cache, err)))
		return rc;
	rc = sq_restore_bulk_indexes_in(c, err);
	if (rc == 0)
		return sq_sort_settings(c, 0, &cache, err);
	struct kp_err e2 = KP_ERR_INIT;
	sq_sort_settings(c, 0, &cache, &e2);
	return rc;
}

/* Bulk load: no fsync and no secondary indexes on the loaded tables while it is on (with
 * the writer's normal 256 MiB page cache: without those indexes a load mostly appends, and
 * a 1 GiB cache measured slower at 1M customers - page faults, memory), and a rollback
 * journal instead of the WAL when nothing else has the file open (sq_bulk_leave_wal).
 * Search entries: if search_fts is empty when the load starts, they are indexed on a
 * second thread into a side index that is copied in at the end (search_side.c);
 * otherwise per batch, as always (search.c). Off builds the indexes
 * (while the side thread finishes), copies the side index, and makes the load durable:
 * in the rollback journal the commits after synchronous=FULL fsync the database file, in
 * the WAL a TRUNCATE checkpoint copies it into the database and fsyncs it. */
static int sq_bulk_side_begin(struct sq_conn *c, struct kp_err *err)
{
	sqlite3_stmt *st = NULL;
	int rc, empty = 0;

	const char *no_side = getenv("KUMPPANI_BULK_NO_SIDE"); /* empty: unset, as every KUMPPANI_* */
	if (no_side && *no_side)                               /* measurements: the one-thread path */
		return 0;
	rc = sqlite3_prepare_v2(c->db, "SELECT NOT EXISTS (SELECT 1 FROM search_fts_docsize)", -1, &st, NULL);
	if (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		empty = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (!empty)
		return 0;
	if ((rc = sq_run_script(c, "CREATE TABLE IF NOT EXISTS bulk_search_side (started INTEGER NOT NULL)",
				"bulk load: side search index", err)))
		return rc;
	if ((rc = sq_side_start(c, err))) {
		struct kp_err e2 = KP_ERR_INIT;
		sq_run_script(c, "DROP TABLE IF EXISTS bulk_search_side", "bulk load", &e2);
		return rc;
	}
	return 0;
}

/* A bulk load writes most pages once into a fresh part of the file: in the WAL each would
 * be written twice (the WAL, then the checkpoint). So while no other connection has the
 * file open (SQLite refuses otherwise; it is not waited for), the load runs with a
 * rollback journal: a load that dies leaves a hot journal, which the next open rolls
 * back, as it would drop an uncommitted WAL tail. Returns whether it switched. */
static int sq_bulk_leave_wal(struct sq_conn *c)
{
	sqlite3_busy_timeout(c->db, 0);
	int ok = sq_journal_mode_is(c, "PRAGMA journal_mode=DELETE", "delete");
	sqlite3_busy_timeout(c->db, 10000);
	return ok;
}

/* Back to the WAL after a load in the rollback journal. Should that fail, the writer stays
 * in the rollback journal until the next open (sq_pragmas sets WAL again), and its commits
 * are synchronous meanwhile: wal_lost keeps sq_begin_nosync from pipelining them, as the
 * sync thread would find no WAL file to sync. */
static void sq_bulk_back_to_wal(struct sq_conn *c)
{
	c->wal_lost = !sq_journal_mode_is(c, "PRAGMA journal_mode=WAL", "wal");
	c->bulk_rollback = 0;
}

static int sq_bulk_load(struct store_conn *sc, int on, struct kp_err *err)
{
	struct sq_conn *c = SQ_C(sc);
	int rc;

	if (on) {
		if (c->bulk)
			return 0;
		if ((rc = sq_drop_bulk_indexes(c, err)))
			return rc;
		/* Leave the WAL while still at synchronous=FULL: leaving checkpoints the whole WAL
		 * into the database and deletes it, and only FULL syncs the database first (at
		 * OFF, writes acknowledged before the load could be lost in a power cut). */
		c->bulk_rollback = sq_bulk_leave_wal(c);
		sq_walsync_forget(c->walsync);
		if ((rc = sq_run_script(c, "PRAGMA synchronous=OFF", "bulk load", err)) ||
		    (rc = sq_bulk_side_begin(c, err))) {
			struct kp_err e2 = KP_ERR_INIT;
			sq_restore_bulk_indexes(c, &e2);
			sq_run_script(c, "PRAGMA synchronous=FULL; PRAGMA cache_size=-262144;", "bulk load", &e2);
			if (c->bulk_rollback)
				sq_bulk_back_to_wal(c);
			return rc;
		}
		c->bulk = 1;
		return 0;
	}
	if (!c->bulk)
		return 0;
	c->bulk = 0;
	rc = 0;
	/* In the rollback journal, the next commit (the indexes) fsyncs the database file,
	 * which makes the whole load durable. */
	if (c->bulk_rollback)
		rc = sq_run_script(c, "PRAGMA synchronous=FULL", "bulk load: sync", err);
	if (c->side) {
		/* changes made outside a transaction (none: the ops run in jobs) go too */
		sq_side_commit(c);
		sq_side_stop(c);
	}
	if (rc == 0)
		rc = sq_restore_bulk_indexes(c, err);
	if (c->side) {
		/* on failure the marker stays: the next open indexes the content table */
		struct kp_err e2 = KP_ERR_INIT;
		int rc2 = sq_side_finish(c, rc == 0, NULL, rc ? &e2 : err);
		if (rc == 0)
			rc = rc2;
		sq_cache_clear(c);
	}
	if (c->bulk_rollback) {
		/* Back to the WAL (the side connection is closed by now); should that fail, the
		 * next open of the writer sets it (sq_pragmas). Nothing to checkpoint: the
		 * commits since synchronous=FULL above synced the database file. */
		sq_bulk_back_to_wal(c);
		if (rc == 0)
			rc = sq_run_script(c, "PRAGMA synchronous=FULL; PRAGMA cache_size=-262144;", "bulk load", err);
	} else {
		if (rc == 0)
			rc = sq_run_script(c, "PRAGMA synchronous=FULL; PRAGMA cache_size=-262144;", "bulk load", err);
		if (rc == 0)
			rc = sq_run_script(c, "PRAGMA wal_checkpoint(TRUNCATE)", "bulk load", err);
	}
	c->ckpt_at = c->wal_frames = 0;
	return rc;
}

/* Is path there and not writable by this process's user? Then says which file and why. */
static int sq_file_unwritable(const char *path, const char *what, struct kp_err *err)
{
	struct stat sb;
	if (stat(path, &sb) != 0 || faccessat(AT_FDCWD, path, W_OK, AT_EACCESS) == 0)
		return 0;
	return kp_err_set(err, KP_EUNAVAILABLE,
	                  "%s %s is not writable by this user (uid %d; the file belongs to uid %d, mode %03o):"
	                  " run kumppani as the user that owns the database, or give it the file",
	                  what, path, (int)geteuid(), (int)sb.st_uid, (unsigned)(sb.st_mode & 0777));
}

/* The writer must be able to write the database, its -wal and -shm, and (to make those) its
 * directory: a store that opened read-only would report ready and then fail every write
 * ("attempt to write a readonly database"), or fail later with an unclear message. */
static int sq_check_writable(struct sq_conn *c, struct kp_err *err)
{
	const char *name = sqlite3_db_filename(c->db, "main");
	char side[PATH_MAX + 8];
	if (!name || !*name)
		name = c->path;
	if (sqlite3_db_readonly(c->db, "main") == 1) {
		if (sq_file_unwritable(name, "the database file", err))
			return err->status;
		return kp_err_set(err, KP_EUNAVAILABLE, "the database %s opened read-only: kumppani needs to write it",
		                  name);
	}
	if (sq_file_unwritable(name, "the database file", err))
		return err->status;
	if ((size_t)snprintf(side, sizeof side, "%s-wal", name) < sizeof side &&
	    sq_file_unwritable(side, "the WAL file", err))
		return err->status;
	if ((size_t)snprintf(side, sizeof side, "%s-shm", name) < sizeof side &&
	    sq_file_unwritable(side, "the shared-memory file", err))
		return err->status;
	char *dcopy = strdup(name);
	if (!dcopy)
		return kp_err_set(err, KP_ENOMEM, "out of memory");
	const char *dir = dirname(dcopy);
	int ok = faccessat(AT_FDCWD, dir, W_OK | X_OK, AT_EACCESS) == 0;
	if (!ok)
		kp_err_set(err, KP_EUNAVAILABLE,
		           "the directory %s is not writable by this user (uid %d): SQLite makes the database's"
		           " -wal and -shm files there",
		           dir, (int)geteuid());
	free(dcopy);
	return ok ? 0 : err->status;
}

/* One write lock taken and let go: whatever the checks above missed (a read-only mount, a
 * lock another user's -shm holds) fails here, at start, with the file named. */
static int sq_try_write(struct sq_conn *c, struct kp_err *err)
{
	char *msg = NULL;
	int rc = sqlite3_exec(c->db, "BEGIN IMMEDIATE", NULL, NULL, &msg);
	if (rc == SQLITE_OK)
		return sq_run_script(c, "ROLLBACK", "end the trial write", err);
	if ((rc & 0xff) == SQLITE_BUSY) { /* another writer holds it: the database is writable */
		sqlite3_free(msg);
		return 0;
	}
	kp_err_set(err, KP_EUNAVAILABLE, "the database %s cannot be written: %s", c->path,
	           msg ? msg : sqlite3_errstr(rc));
	sqlite3_free(msg);
	return KP_EUNAVAILABLE;
}

static int sq_check_ours(struct sq_conn *c, struct kp_err *err);

/* sq_check_ours in one read snapshot (another process may be migrating meanwhile), the
 * file named when it is no database at all. */
static int sq_check_ours_now(struct sq_conn *c, struct kp_err *err)
{
	char *msg = NULL;
	int rc = sqlite3_exec(c->db, "BEGIN", NULL, NULL, &msg);
	if (rc == SQLITE_OK) {
		rc = sq_check_ours(c, err);
		sqlite3_exec(c->db, "COMMIT", NULL, NULL, NULL);
		if (rc && err->msg[0] && !strstr(err->msg, c->path)) {
			char was[sizeof err->msg];
			snprintf(was, sizeof was, "%s", err->msg);
			kp_err_set(err, rc, "%s: %s", c->path, was);
		}
		return rc;
	}
	kp_err_set(err, KP_ESTORE, "%s: %s", c->path, msg ? msg : sqlite3_errstr(rc));
	sqlite3_free(msg);
	return KP_ESTORE;
}

static int sq_conn_open(void *backend, struct store *s, int for_writer, struct store_conn **out,
			struct kp_err *err)
{
	struct sq_backend *be = backend;
	struct sq_conn *c;
	int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
	int rc;

	*out = NULL;
	c = calloc(1, sizeof *c);
	if (!c)
		return kp_err_set(err, KP_ENOMEM, "out of memory");
	c->base.ops = &store_sqlite_ops;
	c->base.store = s;
	c->writer = for_writer;
	c->path = be->path;
	flags |= for_writer ? (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) : SQLITE_OPEN_READONLY;
	if (for_writer) {
		/* A new database is its owner's only, whatever the umask: it holds password, token and
		 * session hashes (as a backup does). SQLite gives its -wal and -shm the same mode. */
		int fd = open(be->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		struct stat sb;
		if (fd >= 0)
			close(fd);
		else if (stat(be->path, &sb) == 0 && S_ISREG(sb.st_mode) && (sb.st_mode & 077))
			/* made so by an older version, or by hand: said, not changed (it may be meant) */
			log_warn("%s can be read or written by other users (mode %03o): it holds password, token and "
			         "session hashes; unless that is meant, chmod 600 it and its -wal and -shm",
			         be->path, (unsigned)(sb.st_mode & 0777));
	}
	rc = sqlite3_open_v2(be->path, &c->db, flags, NULL);
	if (rc != SQLITE_OK) {
		kp_err_set(err, KP_EUNAVAILABLE, "open %s: %s", be->path, c->db ? sqlite3_errmsg(c->db) : sqlite3_errstr(rc));
		goto fail;
	}
	sqlite3_extended_result_codes(c->db, 1);
	sqlite3_busy_timeout(c->db, 10000);
	rc = sq_fts_register(c->db);
	if (rc != SQLITE_OK) {
		kp_err_set(err, KP_ESTORE, "register the search tokenizer: %s", sqlite3_errstr(rc));
		goto fail;
	}
	rc = sq_name_key_register(c->db);
	if (rc != SQLITE_OK) {
		kp_err_set(err, KP_ESTORE, "register kp_name_key: %s", sqlite3_errstr(rc));
		goto fail;
	}
	/* Before any pragma that persists in the file (journal_mode=WAL rewrites its header):
	 * another application's database is refused as it was, and one this user cannot write
	 * is refused here rather than by every write later. (After the registrations: reading
	 * the search table's columns needs its tokenizer.) */
	if (for_writer && (sq_check_writable(c, err) != 0 || sq_check_ours_now(c, err) != 0))
		goto fail;
	if (sq_pragmas(c, err) != 0)
		goto fail;
	if (for_writer) {
		if (sq_fts_queue_init(c, err) != 0 || sq_walsync_init(c, err) != 0 || sq_try_write(c, err) != 0)
			goto fail;
		/* No automatic checkpoint in the commit path: sq_maintain() does it (this hook
		 * replaces SQLite's wal_autocheckpoint). */
		sqlite3_wal_hook(c->db, sq_wal_hook, c);
	}
	*out = &c->base;
	return 0;
fail:
	sq_conn_close(&c->base);
	return err ? err->status : KP_ESTORE;
}

/* ---- schema ------------------------------------------------------------------------------ */

static int sq_schema_version(struct store_conn *sc, int *version, struct kp_err *err)
{
	struct sq_conn *c = SQ_C(sc);
	sqlite3_stmt *st = NULL;
	int rc;

	*version = 0;
	rc = sqlite3_prepare_v2(c->db,
				"SELECT count(*) FROM sqlite_master WHERE type='table' AND name='schema_migrations'",
				-1, &st, NULL);
	if (rc != SQLITE_OK)
		return sq_fail(c, rc, "schema version", err);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_finalize(st);
		return sq_fail(c, rc, "schema version", err);
	}
	if (sqlite3_column_int(st, 0) == 0) {
		sqlite3_finalize(st);
		return 0;
	}
	sqlite3_finalize(st);
	rc = sqlite3_prepare_v2(c->db, "SELECT coalesce(max(version), 0) FROM schema_migrations", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return sq_fail(c, rc, "schema version", err);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : sq_fail(c, rc, "schema version", err);
}

static int sq_run_script(struct sq_conn *c, const char *sql, const char *what, struct kp_err *err)
{
	char *msg = NULL;
	int rc = sqlite3_exec(c->db, sql, NULL, NULL, &msg);

	if (rc != SQLITE_OK) {
		kp_err_set(err, KP_ESTORE, "%s: %s", what, msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		return KP_ESTORE;
	}
	return 0;
}

/* One integer from a query on db (-1 when it fails). */
static long long sq_one_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	long long v = -1;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* 0 if the database is Kumppani's or holds nothing yet; else KP_ECONFLICT, before anything
 * is created in it: tables without a schema version (another application's database, a
 * mistyped --db), a schema_migrations of another shape, or one whose version the tables do
 * not hold are not taken over. */
static int sq_check_ours(struct sq_conn *c, struct kp_err *err)
{
	sqlite3_stmt *st = NULL;
	int ret = 0;
	/* one statement, one snapshot: a concurrent migrate makes schema_migrations first */
	int rc =
	    sqlite3_prepare_v2(c->db,
	                       "SELECT (SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name ="
	                       " 'schema_migrations'), (SELECT name FROM sqlite_master WHERE type IN ('table', 'view')"
	                       " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name <> 'schema_migrations'"
	                       " ORDER BY name LIMIT 1)",
	                       -1, &st, NULL);
	if (rc != SQLITE_OK)
		return sq_fail(c, rc, "read the schema", err);
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		ret = sq_fail(c, rc, "read the schema", err);
	} else if (sqlite3_column_int(st, 0) > 0) {
		if (sq_one_int(c->db, "SELECT count(*) FROM pragma_table_info('schema_migrations')") != 2 ||
		    sq_one_int(c->db, "SELECT count(*) FROM pragma_table_info('schema_migrations') WHERE upper(type) ="
		                      " 'INTEGER' AND name IN ('version', 'applied_at')") != 2)
			ret = kp_err_set(err, KP_ECONFLICT,
			                 "the database's schema_migrations table is not Kumppani's: give Kumppani a"
			                 " database of its own");
		/* the version it records must be what the database holds: a schema_migrations copied
		 * or edited into another database would have the next migration run on tables that
		 * are not there, leaving it half made */
		long long v = sq_one_int(c->db, "SELECT coalesce(max(version), 0) FROM schema_migrations");
		char missing[160];
		if (!ret && v == 0 && sqlite3_column_type(st, 1) != SQLITE_NULL) /* no version, but tables */
			ret =
			    kp_err_set(err, KP_ECONFLICT,
			               "the database holds \"%s\", which Kumppani did not make, and no schema version:"
			               " give Kumppani a database of its own (a new file)",
			               (const char *)sqlite3_column_text(st, 1));
		if (!ret && v >= 1 && v <= sq_nmigrations &&
		    !(ret = sq_schema_holds(c->db, (int)v, missing, sizeof missing, err)) && missing[0])
			ret =
			    kp_err_set(err, KP_ECONFLICT,
			               "the database says schema version %lld but lacks %s of it: it is not Kumppani's,"
			               " or was changed by hand",
			               v, missing);
	} else if (sqlite3_column_type(st, 1) != SQLITE_NULL) {
		ret =
		    kp_err_set(err, KP_ECONFLICT,
		               "the database holds \"%s\", which Kumppani did not make, and no schema version: give"
		               " Kumppani a database of its own (a new file)",
		               (const char *)sqlite3_column_text(st, 1));
	}
	sqlite3_finalize(st);
	return ret;
}

static int sq_migrate(struct store_conn *sc, int *from, struct kp_err *err)
{
	struct sq_conn *c = SQ_C(sc);
	int have = 0, rc;

	/* one read snapshot for the whole check: another process may be migrating meanwhile */
	if ((rc = sq_run_script(c, "BEGIN", "read the schema", err)))
		return rc;
	rc = sq_check_ours(c, err);
	sqlite3_exec(c->db, "COMMIT", NULL, NULL, NULL);
	if (rc)
		return rc;
	rc = sq_run_script(c, SQ_SCHEMA_MIGRATIONS_SQL, "create schema_migrations", err);
	if (rc)
		return rc;
	rc = sq_schema_version(sc, &have, err);
	if (rc)
		return rc;
	if (from)
		*from = have;
	if (have > sq_nmigrations)
		return kp_err_set(err, KP_ESTORE, "database schema version %d is newer than this program (%d)", have,
				  sq_nmigrations);
	for (int v = have + 1; v <= sq_nmigrations; v++) {
		char ins[128];
		char what[64];

		snprintf(what, sizeof what, "migration %d", v);
		rc = sq_run_script(c, "BEGIN IMMEDIATE", what, err);
		if (rc)
			return rc;
		/* Another process (a second `migrate`, a `staff add` on a new database) may have
		 * applied it since the version was read: read it again under the write lock. */
		if (sq_one_int(c->db, "SELECT coalesce(max(version), 0) FROM schema_migrations") >= v) {
			if ((rc = sq_run_script(c, "COMMIT", what, err)))
				return rc;
			continue;
		}
		rc = sq_run_script(c, sq_migrations[v - 1], what, err);
		if (rc == 0) {
			snprintf(ins, sizeof ins, "INSERT INTO schema_migrations(version, applied_at) VALUES (%d, %lld)", v,
				 (long long)sq_now());
			rc = sq_run_script(c, ins, what, err);
		}
		if (rc == 0)
			rc = sq_run_script(c, "COMMIT", what, err);
		if (rc) {
			sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
			return rc;
		}
	}
	/* The statement cache may hold statements prepared against the old schema. */
	sq_cache_clear(c);
	/* A bulk load that died halfway left its indexes dropped, or its search entries only
	 * in its side index: build them now. */
	if ((rc = sq_restore_bulk_indexes(c, err)))
		return rc;
	return sq_restore_bulk_search(c, err);
}

/* Copy database src into dst with the backup API (what: "backup" or "restore", for the
 * message). One step copies everything under a single read transaction: a consistent snapshot
 * even while a writer keeps committing to src (WAL). */
static int sq_copy_db(sqlite3 *dst, sqlite3 *src, const char *what, struct kp_err *err)
{
	sqlite3_backup *bk = sqlite3_backup_init(dst, "main", src, "main");
	int rc, ret = 0;
	if (!bk)
		return kp_err_set(err, KP_ESTORE, "%s: %s", what, sqlite3_errmsg(dst));
	do {
		rc = sqlite3_backup_step(bk, -1);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(50);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	if (rc != SQLITE_DONE)
		ret = kp_err_set(err, KP_ESTORE, "%s: %s", what, sqlite3_errstr(rc));
	rc = sqlite3_backup_finish(bk);
	if (!ret && rc != SQLITE_OK)
		ret = kp_err_set(err, KP_ESTORE, "%s: %s", what, sqlite3_errmsg(dst));
	return ret;
}

/* store_ops.backup: path is an empty file store_backup() made; SQLite fills it. */
static int sq_backup(struct store_conn *sc, const char *path, struct kp_err *err)
{
	struct sq_conn *c = SQ_C(sc);
	sqlite3 *src = NULL, *dst = NULL;
	int rc, ret = 0;

	rc = sqlite3_open_v2(c->path, &src, SQLITE_OPEN_READONLY, NULL);
	if (rc != SQLITE_OK) {
		ret = kp_err_set(err, KP_ESTORE, "backup: open source: %s", sqlite3_errstr(rc));
		goto out;
	}
	sqlite3_busy_timeout(src, 10000);
	rc = sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE, NULL);
	if (rc != SQLITE_OK) {
		ret = kp_err_set(err, KP_ESTORE, "backup: create %s: %s", path,
				 dst ? sqlite3_errmsg(dst) : sqlite3_errstr(rc));
		goto out;
	}
	ret = sq_copy_db(dst, src, "backup", err);
	if (!ret) {
		/* Leave a self-contained file: the copy does not need its -wal to be read. */
		rc = sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL);
		if (rc != SQLITE_OK)
			ret = kp_err_set(err, KP_ESTORE, "backup: %s", sqlite3_errmsg(dst));
	}
	/* A backup that restore would refuse is no backup: the copy is checked as restore
	 * checks it (a damaged or foreign source, say); store_backup() removes it if it fails.
	 * The message names the source: the copy has no name of its own yet. */
	if (!ret) {
		struct kp_err ce = KP_ERR_INIT;
		if (sq_backup_check(dst, c->path, "backup", &ce) != 0)
			ret = kp_err_set(
			    err, ce.status == KP_EINVAL ? KP_ESTORE : ce.status,
			    "%s; the database at %s cannot be restored from as it is, so no backup was written", ce.msg,
			    c->path);
	}
out:
	if (dst)
		sqlite3_close_v2(dst);
	if (src)
		sqlite3_close_v2(src);
	return ret;
}


/* Open backup file path read-only for a restore, with a message that says what the file is
 * when it is no SQLite database: empty, a directory, a PostgreSQL backup (JSON), a SQLite
 * file cut or damaged (its header is there), or something else. */
static int sq_restore_open(const char *path, sqlite3 **src, struct kp_err *err)
{
	struct stat sb;
	char head[16] = {0};
	char *msg = NULL;
	if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
		return kp_err_set(err, KP_EINVAL, "restore: %s is a directory, not a backup file", path);
	if (stat(path, &sb) == 0 && sb.st_size == 0)
		return kp_err_set(err, KP_EINVAL, "restore: %s is empty", path);
	FILE *f = fopen(path, "rb");
	size_t got = f ? fread(head, 1, sizeof head, f) : 0;
	if (f)
		fclose(f);
	/* a file path, never an SQLite URI: "file:x.backup" is opened as ./file:x.backup */
	char plain[PATH_MAX + 3];
	if ((size_t)snprintf(plain, sizeof plain, "%s%s", strncmp(path, "file:", 5) == 0 ? "./" : "", path) >=
	    sizeof plain)
		return kp_err_set(err, KP_EINVAL, "restore: %s: the name is too long", path);
	int rc = sqlite3_open_v2(plain, src, SQLITE_OPEN_READONLY, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(*src, "SELECT count(*) FROM sqlite_master", NULL, NULL, &msg);
	if (rc == SQLITE_OK)
		return 0;
	size_t skip = 0;
	while (skip < got && (head[skip] == ' ' || head[skip] == '\n' || head[skip] == '\r' || head[skip] == '\t'))
		skip++;
	if (got == sizeof head && memcmp(head, "SQLite format 3", 16) == 0)
		kp_err_set(err, KP_EINVAL, "restore: %s is a SQLite file, but cut or damaged (%s)", path,
		           msg ? msg : sqlite3_errstr(rc));
	else if (skip < got && head[skip] == '{')
		kp_err_set(err, KP_EINVAL,
		           "restore: %s looks like a PostgreSQL backup (JSON): restore it into a postgres:// database",
		           path);
	else
		kp_err_set(err, KP_EINVAL, "restore: %s is not a Kumppani backup (%s)", path,
		           msg ? msg : sqlite3_errstr(rc));
	sqlite3_free(msg);
	return KP_EINVAL;
}

/* store_ops.restore: a backup (a SQLite database file) copied into this store's database,
 * which must be new (no tables). The file is checked first: a SQLite database that passes
 * quick_check and carries a Kumppani schema this program knows. store_restore migrates it
 * afterwards. */
static int sq_restore(struct store_conn *sc, const char *path, long long *rows, struct kp_err *err)
{
	struct sq_conn *c = SQ_C(sc);
	sqlite3 *src = NULL;
	int ret = 0;

	*rows = -1;
	if (access(path, R_OK) != 0)
		return kp_err_set(err, errno == ENOENT ? KP_ENOTFOUND : KP_ESTORE, "restore: %s: %s", path,
				  strerror(errno));
	if (sq_one_int(c->db, "SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'") != 0)
		return kp_err_set(err, KP_ECONFLICT,
				  "restore: %s already holds a database: restore into a new path (--db sqlite:NEWFILE)",
				  c->path);
	if ((ret = sq_restore_open(path, &src, err)) != 0 || (ret = sq_backup_check(src, path, "restore", err)) != 0)
		goto out;
	sq_cache_clear(c);
	ret = sq_copy_db(c->db, src, "restore", err);
	/* the copy brought the backup's journal mode (DELETE) along: the store runs on WAL */
	if (!ret)
		ret = sq_run_script(c, "PRAGMA journal_mode=WAL", "restore", err);
	/* quick_check does not look inside the search index (FTS5's own b-trees in ordinary
	 * tables): a damaged one restored cleanly and then made search, notes and unflagging
	 * fail. Its text is in its content table, so it is built again from there. */
	if (!ret && sqlite3_exec(c->db, "INSERT INTO search_fts(search_fts) VALUES ('integrity-check')", NULL, NULL,
	                         NULL) != SQLITE_OK) {
		log_warn("restore: the search index of %s is damaged; building it again from its texts", path);
		ret = sq_run_script(c, "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
		                    "restore: rebuild search", err);
	}
out:
	if (src)
		sqlite3_close_v2(src);
	return ret;
}

static int sq_ping(struct store_conn *sc, struct kp_err *err)
{
	return sq_exec_sql(SQ_C(sc), "SELECT 1", err);
}

/*
 * What the writer keeps between transactions. The id floors (idfloor.c) are the writer's
 * copy of what the database holds that outlives a transaction (the owner name of search.c,
 * the search queue and the statement cache do not: the first two live inside one
 * transaction, the statements hold no data). Another connection on the same file may commit
 * between two of the writer's transactions: a second `kumppani serve`, a CLI command (staff
 * add, token create, demo --append), another store in this process. So at each BEGIN the
 * writer asks whether one did: SQLITE_FCNTL_DATA_VERSION is a counter of the connection's
 * pager that moves with every commit the connection sees, its own included; it is read when
 * the writer's last transaction ended (sq_writer_ended) and again once BEGIN IMMEDIATE has
 * taken the read snapshot and the write lock (sq_writer_began). When the two differ, the
 * copies are dropped and read again at their next use, and the write lock keeps them true
 * until the transaction ends. Reading the counter is a function call, about 50 ns, twice a
 * batch (PRAGMA data_version, a statement outside a transaction, costs about 3.6 us).
 * A transaction that ends any other way (a failed COMMIT, the migrations' and bulk load's
 * own scripts) notes nothing, so the next BEGIN reads the copies again: a read, never a
 * stale copy. So does a checkpoint by another connection that starts the WAL over.
 */
static void sq_writer_began(struct sq_conn *c)
{
	unsigned v = 0;

	if (!c->dv_known || sqlite3_file_control(c->db, "main", SQLITE_FCNTL_DATA_VERSION, &v) != SQLITE_OK ||
	    v != c->dv_seen) {
		sq_id_floor_forget(c);
		sq_owner_forget(c);
	}
	c->dv_known = 0; /* until sq_writer_ended */
}

/* The writer's transaction has just ended by its own COMMIT or ROLLBACK: no other
 * connection could commit while it held the write lock, and none is seen before the next
 * read begins. */
static void sq_writer_ended(struct sq_conn *c)
{
	c->dv_known = sqlite3_file_control(c->db, "main", SQLITE_FCNTL_DATA_VERSION, &c->dv_seen) == SQLITE_OK;
}

static int sq_begin(struct store_conn *sc, struct kp_err *err)
{
	int rc = sq_full_again(SQ_C(sc), err);

	if (rc == 0 && (rc = sq_exec_sql(SQ_C(sc), "BEGIN IMMEDIATE", err)) == 0)
		sq_writer_began(SQ_C(sc));
	return rc;
}

/* store_ops.begin_nosync (see "Pipelined group commits" above). In a bulk load, or
 * without the WAL, an ordinary transaction: sq_sync then has nothing to do for it. */
static int sq_begin_nosync(struct store_conn *sc, struct kp_err *err)
{
	struct sq_conn *c = SQ_C(sc);
	int rc = sq_full_again(c, err);

	if (rc || !c->walsync || c->bulk || c->bulk_rollback || c->wal_lost)
		return rc ? rc : sq_begin(sc, err);
	if (sqlite3_exec(c->db, "PRAGMA synchronous=NORMAL", NULL, NULL, NULL) != SQLITE_OK)
		return sq_fail(c, SQLITE_ERROR, "set synchronous=NORMAL", err);
	c->nosync_txn = 1;
	rc = sq_exec_sql(c, "BEGIN IMMEDIATE", err);
	if (rc)
		sq_nosync_end(c, 0);
	else
		sq_writer_began(c);
	return rc;
}

static int sq_commit(struct store_conn *sc, struct kp_err *err)
{
	struct sq_conn *c = SQ_C(sc);
	int rc = sq_exec_sql(c, "COMMIT", err);

	if (rc == 0)
		sq_writer_ended(c);
	/* A COMMIT that failed may leave the transaction open (SQLITE_BUSY): sq_rollback
	 * then ends it, and the pipelined setting with it. */
	if (rc == 0 || sqlite3_get_autocommit(c->db))
		sq_nosync_end(c, rc == 0);
	sq_owner_forget(c);
	if (c->side) { /* the batch's search entries go to the bulk load's side index */
		if (rc == 0)
			sq_side_commit(c);
		else
			sq_side_discard(c);
	}
	return rc;
}

static int sq_rollback(struct store_conn *sc, struct kp_err *err)
{
	struct sq_conn *c = SQ_C(sc);

	sq_owner_forget(c);
	if (c->side)
		sq_side_discard(c);
	int rc = 0;
	if (!sqlite3_get_autocommit(c->db)) { /* else SQLite already rolled back (e.g. after SQLITE_FULL) */
		rc = sq_exec_sql(c, "ROLLBACK", err);
		if (rc == 0)
			sq_writer_ended(c);
	}
	sq_nosync_end(c, 0);
	return rc;
}

static int sq_savepoint(struct store_conn *sc, struct kp_err *err)
{
	if (SQ_C(sc)->side)
		sq_side_mark(SQ_C(sc));
	return sq_exec_sql(SQ_C(sc), "SAVEPOINT job", err);
}

static int sq_release_savepoint(struct store_conn *sc, struct kp_err *err)
{
	return sq_exec_sql(SQ_C(sc), "RELEASE job", err);
}

static int sq_rollback_savepoint(struct store_conn *sc, struct kp_err *err)
{
	int rc = sq_exec_sql(SQ_C(sc), "ROLLBACK TO job", err);

	sq_owner_forget(SQ_C(sc));
	if (SQ_C(sc)->side)
		sq_side_rewind(SQ_C(sc));
	if (rc == 0)
		rc = sq_exec_sql(SQ_C(sc), "RELEASE job", err);
	return rc;
}

/* A request's reads on a reader connection in one deferred transaction: the WAL read lock
 * (and its fcntl calls) is taken once at the first statement, not once per statement.
 * read_end keeps the transaction open and the next read_begin continues it while the
 * writer has committed nothing since it began (store_commit_seq), so under load the lock
 * is taken once per event-loop iteration: the HTTP loop calls store_read_release() after
 * each iteration, and store_reader() ends a kept snapshot before reads outside a read
 * transaction (store.h has the contract). */
static void sq_read_finish(struct sq_conn *c)
{
	struct kp_err err = KP_ERR_INIT;

	c->read_active = c->read_kept = 0;
	if (sqlite3_get_autocommit(c->db))
		return; /* never began, or SQLite already ended it after an error */
	if (sq_exec_sql(c, "COMMIT", &err) != 0 && !sqlite3_get_autocommit(c->db))
		sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
}

static int sq_read_begin(struct store_conn *sc, struct kp_err *err)
{
	struct sq_conn *c = SQ_C(sc);
	uint64_t seq = store_commit_seq(sc->store);
	int rc;

	if (c->read_kept && !c->read_active && seq == c->read_seq && !sqlite3_get_autocommit(c->db)) {
		c->read_kept = 0;
		c->read_active = 1;
		return 0;
	}
	sq_read_finish(c); /* a kept snapshot that is too old, or a missed end */
	rc = sq_exec_sql(c, "BEGIN", err);
	if (rc == 0) {
		c->read_active = 1;
		c->read_seq = seq; /* read before BEGIN: the snapshot is at least this new */
	}
	return rc;
}

static void sq_read_end(struct store_conn *sc)
{
	struct sq_conn *c = SQ_C(sc);

	if (!c->read_active || sqlite3_get_autocommit(c->db)) {
		sq_read_finish(c);
		return;
	}
	c->read_active = 0;
	c->read_kept = 1;
}

static void sq_read_release(struct store_conn *sc)
{
	struct sq_conn *c = SQ_C(sc);

	if (c->read_kept && !c->read_active)
		sq_read_finish(c);
}

/* SQLITE_DBSTATUS_CACHE_USED: the pages this connection's cache holds (pages read through
 * the memory map are not in it: they are the kernel's page cache, shared). */
static int64_t sq_cache_used(struct store_conn *sc)
{
	int cur = 0, hi = 0;

	if (sqlite3_db_status(SQ_C(sc)->db, SQLITE_DBSTATUS_CACHE_USED, &cur, &hi, 0) != SQLITE_OK)
		return 0;
	return cur;
}

const struct store_ops store_sqlite_ops = {
    .name = "sqlite",
    .accepts = sq_accepts,
    .local_file = sq_local_file,
    .setup = sq_setup,
    .release = sq_release,
    .conn_open = sq_conn_open,
    .conn_close = sq_conn_close,
    .migrate = sq_migrate,
    .schema_version = sq_schema_version,
    .backup = sq_backup,
    .restore = sq_restore,
    .ping = sq_ping,
    .begin = sq_begin,
    .begin_nosync = sq_begin_nosync,
    .sync = sq_sync,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .savepoint = sq_savepoint,
    .release_savepoint = sq_release_savepoint,
    .rollback_savepoint = sq_rollback_savepoint,
    .read_begin = sq_read_begin,
    .read_end = sq_read_end,
    .read_release = sq_read_release,
    .before_commit = sq_fts_flush,
    .maintain = sq_maintain,
    .bulk_load = sq_bulk_load,
    .cache_used = sq_cache_used,
    .staff_insert = sq_staff_insert,
    .staff_get = sq_staff_get,
    .staff_get_by_email = sq_staff_get_by_email,
    .staff_update = sq_staff_update,
    .staff_list = sq_staff_list,
    .staff_count = sq_staff_count,
    .staff_active_admins = sq_staff_active_admins,
    .token_insert = sq_token_insert,
    .token_get_by_hash = sq_token_get_by_hash,
    .token_list = sq_token_list,
    .token_revoke = sq_token_revoke,
    .token_touch = sq_token_touch,
    .session_insert = sq_session_insert,
    .session_get = sq_session_get,
    .session_delete = sq_session_delete,
    .session_delete_for_staff = sq_session_delete_for_staff,
    .org_insert = sq_org_insert,
    .org_get = sq_org_get,
    .org_update = sq_org_update,
    .org_delete = sq_org_delete,
    .org_list = sq_org_list,
    .customer_insert = sq_customer_insert,
    .customer_get = sq_customer_get,
    .customer_get_brief = sq_customer_get_brief,
    .customer_update = sq_customer_update,
    .customer_delete = sq_customer_delete,
    .customer_list = sq_customer_list,
    .customer_count = sq_customer_count,
    .email_idn_ids = sq_email_idn_ids,
    .customer_tombstones = sq_customer_tombstones,
    .customer_merge = sq_customer_merge,
    .field_insert = sq_field_insert,
    .field_get = sq_field_get,
    .field_update = sq_field_update,
    .field_delete = sq_field_delete,
    .field_list = sq_field_list,
    .note_insert = sq_note_insert,
    .note_get = sq_note_get,
    .note_update = sq_note_update,
    .note_delete = sq_note_delete,
    .note_list = sq_note_list,
    .interaction_insert = sq_interaction_insert,
    .interaction_get = sq_interaction_get,
    .interaction_update = sq_interaction_update,
    .interaction_delete = sq_interaction_delete,
    .interaction_search_set = sq_interaction_search_set,
    .note_search_set = sq_note_search_set,
    .unanalysed_ids = sq_unanalysed_ids,
    .interaction_list = sq_interaction_list,
    .search = sq_search,
    .search_text_matches = sq_search_text_matches,
    .interaction_count = sq_interaction_count,
    .custom_set = sq_custom_set,
    .audit_insert = sq_audit_insert,
    .audit_insert_set = sq_audit_insert_set,
    .audit_list = sq_audit_list,
    .audit_unredacted = sq_audit_unredacted,
    .audit_redact_set = sq_audit_redact_set,
    .audit_customer_children = sq_audit_customer_children,
    .erase_links = sq_erase_links,
    .idem_get = sq_idem_get,
    .idem_put = sq_idem_put,
    .idem_purge = sq_idem_purge,
    .idem_forget = sq_idem_forget,
    .notification_insert = sq_notification_insert,
    .notification_list = sq_notification_list,
    .notification_ack = sq_notification_ack,
    .notification_withdraw = sq_notification_withdraw,
    .notification_count = sq_notification_count,
    .exposure = sq_exposure,
    .incident_customers = sq_incident_customers,
    .correction_insert = sq_correction_insert,
    .correction_list = sq_correction_list,
    .policy_get = sq_policy_get,
    .policy_put = sq_policy_put,
};
