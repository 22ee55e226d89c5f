/*
 * The PostgreSQL backend's connections: setup/connect, the statement helpers every op uses,
 * transactions and savepoints for the writer's group commit, and versioned migrations.
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "store/postgres/pg_int.h"
#include "util/log.h"
#include "util/timeutil.h"

/* Key of the advisory lock migrations run under (any constant; "kumppani" in ASCII). */
#define PG_MIGRATE_LOCK "7022344739513853793"

/* ---- parameters and cells ----------------------------------------------------------- */

void store_pg_params_init(struct pg_params *p)
{
	p->n = 0;
}

void store_pg_p_str(struct pg_params *p, const char *s)
{
	if (p->n < PG_MAX_PARAMS)
		p->v[p->n++] = s;
	else
		p->n++; /* store_pg_exec refuses an overfull list */
}

void store_pg_p_i64(struct pg_params *p, int64_t v)
{
	if (p->n < PG_MAX_PARAMS) {
		snprintf(p->num[p->n], sizeof(p->num[p->n]), "%" PRId64, v);
		p->v[p->n] = p->num[p->n];
	}
	p->n++;
}

void store_pg_p_id(struct pg_params *p, int64_t v)
{
	if (v)
		store_pg_p_i64(p, v);
	else
		store_pg_p_str(p, NULL);
}

void store_pg_p_bool(struct pg_params *p, int v)
{
	store_pg_p_str(p, v ? "t" : "f");
}

int64_t store_pg_i64(const PGresult *r, int row, int col)
{
	if (PQgetisnull(r, row, col))
		return 0;
	return strtoll(PQgetvalue(r, row, col), NULL, 10);
}

int store_pg_bool(const PGresult *r, int row, int col)
{
	if (PQgetisnull(r, row, col))
		return 0;
	const char *v = PQgetvalue(r, row, col);
	return v[0] == 't' || v[0] == '1';
}

const char *store_pg_str(struct arena *a, const PGresult *r, int row, int col)
{
	if (PQgetisnull(r, row, col))
		return NULL;
	return arena_strndup(a, PQgetvalue(r, row, col), (size_t)PQgetlength(r, row, col));
}

/* ---- running statements --------------------------------------------------------------- */

static int map_error(struct pg_conn *pc, const PGresult *res, int fk_status, const char *what, struct kp_err *err)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = res ? PQresultErrorMessage(res) : PQerrorMessage(pc->pg);
	char clean[200];
	snprintf(clean, sizeof(clean), "%s", msg ? msg : "");
	char *nl = strchr(clean, '\n');
	if (nl)
		*nl = '\0';
	if (pc->timed_out)
		return kp_err_set(err, KP_EUNAVAILABLE, "postgres: no answer within %d ms; the connection was dropped",
		                  pc->timed_out);
	if (PQstatus(pc->pg) == CONNECTION_BAD)
		return kp_err_set(err, KP_EUNAVAILABLE, "postgres: connection lost: %s", clean);
	if (state && strcmp(state, "23505") == 0)
		return kp_err_set(err, KP_ECONFLICT, "already exists: %s", clean);
	if (state && strcmp(state, "23503") == 0)
		return kp_err_set(err, fk_status,
				  fk_status == KP_ENOTFOUND ? "a referenced record does not exist: %s"
							    : "still referenced: %s",
				  clean);
	if (state && (strcmp(state, "57P01") == 0 || strncmp(state, "08", 2) == 0))
		return kp_err_set(err, KP_EUNAVAILABLE, "postgres unavailable: %s", clean);
	/* PostgreSQL's words first: what ran may be a long script, and the message is cut */
	return kp_err_set(err, KP_ESTORE, "postgres: %s (in %.60s%s)", clean, what, strlen(what) > 60 ? "..." : "");
}

/* Deadlines and back-off on the monotonic clock: a wall-clock step (NTP) must not cut a healthy
 * statement short or stretch a wait. */
static int64_t mono_ms(void)
{
	return time_mono_us() / 1000;
}

/* After PG_CONNECT_MS a connection that has not come up is given up: libpq's connect_timeout
 * (a URL may ask for another) when there is no store_answer_ms() limit, else our own wait of
 * the smaller of the two, which a URL's connect_timeout does not change (libpq applies it only
 * to blocking connects), plus up to 1 s for libpq to notice; a server that accepts but does not
 * answer, frozen, costs a request at most that. */
#define PG_CONNECT_MS 5000

static PGconn *connect_within(struct pg_backend *be, int limit_ms);
static void quiet_notices(void *arg, const char *msg);

/* How long a new connection may take while the store has an answer limit: the smaller of it
 * and PG_CONNECT_MS (0: no limit but libpq's). */
static int connect_limit(const struct store *s)
{
	int limit = store_answer_ms(s);
	return limit > 0 && limit < PG_CONNECT_MS ? limit : limit > 0 ? PG_CONNECT_MS : 0;
}

/* After a reconnect that failed, the next one is tried no sooner than this: a server that
 * is down costs each request a refusal, not a connect timeout. */
#define PG_RECONNECT_BACKOFF_MS 1000

/* A connection lost outside a transaction (server restart) gets one reconnect attempt.
 * Inside a transaction it stays broken, so every later statement of the batch and its
 * COMMIT fail: reconnecting would run the rest of the batch outside the transaction. */
static void maybe_reset(struct pg_conn *pc)
{
	if (PQstatus(pc->pg) != CONNECTION_BAD || pc->in_tx)
		return;
	int64_t now = mono_ms();
	if (now < pc->reconnect_at_ms)
		return;
	int limit = connect_limit(pc->base.store);
	if (limit > 0 && pc->ping_ms > 0 && pc->ping_ms < limit)
		limit = pc->ping_ms; /* readiness waits no longer for a connection than for an answer */
	PGconn *pg = connect_within(pc->be, limit);
	if (pg) {
		PQfinish(pc->pg);
		pc->pg = pg;
		PQsetNoticeProcessor(pg, quiet_notices, NULL);
	}
	memset(pc->prepared, 0, sizeof(pc->prepared));
	if (PQstatus(pc->pg) == CONNECTION_OK) {
		pc->reconnect_at_ms = 0;
		log_warn("postgres: reconnected");
	} else {
		pc->reconnect_at_ms = mono_ms() + PG_RECONNECT_BACKOFF_MS;
	}
}

/* The answer to what was just sent (sent: the PQsend call's result), as PQexec gives it: the
 * last result, or the first error. With store_answer_ms() set, waiting stops at that limit:
 * the connection is then shut down, pc->timed_out is set, and the result is the error libpq
 * reports for the closed connection. The server rolls back a transaction it had begun when it
 * sees that, but a COMMIT it was already writing may still be made: its outcome is unknown,
 * as when any connection breaks during a COMMIT (a retry with an Idempotency-Key is safe); a
 * long read runs on there until it next writes to the socket. Without a limit it waits as
 * PQexec does. NULL when nothing could be sent. */
static PGresult *wait_answer(struct pg_conn *pc, int sent)
{
	PGconn *pg = pc->pg;
	PGresult *last = NULL, *r;
	int limit = store_answer_ms(pc->base.store);
	if (limit > 0 && pc->ping_ms > 0 && pc->ping_ms < limit)
		limit = pc->ping_ms;
	int64_t deadline = mono_ms() + limit;
	if (!sent)
		return NULL;
	for (;;) {
		while (limit > 0 && PQisBusy(pg) && !pc->timed_out) {
			int64_t left = deadline - mono_ms();
			struct pollfd pfd = {.fd = PQsocket(pg), .events = POLLIN};
			int n = left > 0 ? poll(&pfd, 1, (int)left) : 0;
			if (n < 0 && errno == EINTR)
				continue;
			if (n == 0) {
				pc->timed_out = limit;
				shutdown(PQsocket(pg), SHUT_RDWR); /* libpq now reads the end of the stream */
				log_warn("postgres: no answer within %d ms; dropping the connection", limit);
			}
			if (!PQconsumeInput(pg))
				break;
		}
		if (!(r = PQgetResult(pg)))
			break;
		if (last && PQresultStatus(last) == PGRES_FATAL_ERROR) {
			PQclear(r); /* the first error is the answer (the server skips the rest) */
			continue;
		}
		PQclear(last);
		last = r;
	}
	return last;
}

/* One attempt: prepare on first use, then execute. The caller checks the result. */
static PGresult *exec_once(struct pg_conn *pc, int stmt_id, const char *sql, const struct pg_params *p)
{
	int n = p ? p->n : 0;
	if (stmt_id < 0)
		return wait_answer(pc, PQsendQueryParams(pc->pg, sql, n, NULL, p ? p->v : NULL, NULL, NULL, 0));
	char name[16];
	snprintf(name, sizeof(name), "s%d", stmt_id);
	if (!pc->prepared[stmt_id]) {
		PGresult *r = wait_answer(pc, PQsendPrepare(pc->pg, name, sql, n, NULL));
		if (!r || PQresultStatus(r) != PGRES_COMMAND_OK)
			return r;
		PQclear(r);
		pc->prepared[stmt_id] = 1;
	}
	return wait_answer(pc, PQsendQueryPrepared(pc->pg, name, n, p ? p->v : NULL, NULL, NULL, 0));
}

static int result_ok(const PGresult *r)
{
	ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
	return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
}

int store_pg_exec(struct pg_conn *pc, int stmt_id, const char *sql, const struct pg_params *p, PGresult **res,
		  int fk_status, struct kp_err *err)
{
	*res = NULL;
	int n = p ? p->n : 0;
	if (n > PG_MAX_PARAMS)
		return kp_err_set(err, KP_EINTERNAL, "postgres: too many parameters (%d)", n);
	if (stmt_id >= PG_MAX_PREPARED)
		return kp_err_set(err, KP_EINTERNAL, "postgres: statement id %d out of range", stmt_id);
	maybe_reset(pc);
	pc->timed_out = 0;
	PGresult *r = exec_once(pc, stmt_id, sql, p);
	/* A reader whose server went away (restart, failover) retries once on a new
	 * connection; readers only read, so running the statement again is harmless. The
	 * writer never retries: a write may have committed before the connection broke. A
	 * server that did not answer in time is not asked again at once. */
	if (!result_ok(r) && PQstatus(pc->pg) == CONNECTION_BAD && !pc->for_writer && !pc->in_tx && !pc->timed_out) {
		PQclear(r);
		maybe_reset(pc);
		r = exec_once(pc, stmt_id, sql, p);
	}
	if (!result_ok(r)) {
		int rc = map_error(pc, r, fk_status, "query", err);
		PQclear(r);
		return rc;
	}
	*res = r;
	return 0;
}

int store_pg_first_i64(struct pg_conn *pc, int stmt_id, const char *sql, const struct pg_params *p, int fk_status,
		       int64_t *out, struct kp_err *err)
{
	PGresult *r;
	int rc = store_pg_exec(pc, stmt_id, sql, p, &r, fk_status, err);
	if (rc != 0)
		return rc;
	*out = store_pg_i64(r, 0, 0);
	PQclear(r);
	return 0;
}

int store_pg_decode_rows(const PGresult *r, int limit, PG_ROW_DECODER(decode), size_t size, struct pg_rows *out,
			 struct arena *a, struct kp_err *err)
{
	int n = PQntuples(r), rc = 0;
	out->more = limit >= 0 && n > limit;
	out->n = (size_t)(out->more ? limit : n);
	out->items = out->n ? arena_calloc(a, out->n * size) : NULL;
	for (size_t i = 0; i < out->n && rc == 0; i++)
		rc = decode(a, r, (int)i, (char *)out->items + i * size, err);
	return rc;
}

int store_pg_rows(struct pg_conn *pc, int stmt_id, const char *sql, const struct pg_params *p, int limit,
		  PG_ROW_DECODER(decode), size_t size, struct pg_rows *out, struct arena *a, struct kp_err *err)
{
	PGresult *r;
	memset(out, 0, sizeof(*out));
	int rc = store_pg_exec(pc, stmt_id, sql, p, &r, KP_ESTORE, err);
	if (rc != 0)
		return rc;
	rc = store_pg_decode_rows(r, limit, decode, size, out, a, err);
	PQclear(r);
	return rc;
}

int store_pg_simple(struct pg_conn *pc, const char *sql, struct kp_err *err)
{
	pc->timed_out = 0;
	PGresult *r = wait_answer(pc, PQsendQuery(pc->pg, sql));
	ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		int rc = map_error(pc, r, KP_ECONFLICT, sql, err);
		PQclear(r);
		return rc;
	}
	PQclear(r);
	return 0;
}

int store_pg_atomic_begin(struct pg_conn *pc, int *opened, struct kp_err *err)
{
	*opened = 0;
	maybe_reset(pc);
	if (PQtransactionStatus(pc->pg) != PQTRANS_IDLE)
		return 0;
	int rc = store_pg_simple(pc, "BEGIN", err);
	if (rc == 0)
		*opened = pc->in_tx = 1;
	return rc;
}

int store_pg_atomic_end(struct pg_conn *pc, int opened, int rc, struct kp_err *err)
{
	if (!opened)
		return rc;
	pc->in_tx = 0;
	if (rc != 0) {
		struct kp_err ignored = KP_ERR_INIT;
		store_pg_simple(pc, "ROLLBACK", &ignored);
		return rc;
	}
	return store_pg_simple(pc, "COMMIT", err);
}

/* ---- connections ---------------------------------------------------------------------- */

int store_pg_accepts(const char *url)
{
	return url && (strncmp(url, "postgres://", 11) == 0 || strncmp(url, "postgresql://", 13) == 0);
}

int store_pg_setup(const char *url, void **backend, struct kp_err *err)
{
	if (!store_pg_accepts(url))
		return kp_err_set(err, KP_EINVAL, "not a PostgreSQL URL (postgres://...)");
	struct pg_backend *be = calloc(1, sizeof(*be));
	if (!be || !(be->url = strdup(url))) {
		free(be);
		return kp_err_set(err, KP_ENOMEM, "out of memory");
	}
	*backend = be;
	return 0;
}

void store_pg_release(void *backend)
{
	struct pg_backend *be = backend;
	if (!be)
		return;
	free(be->url);
	free(be);
}

static void quiet_notices(void *arg, const char *msg)
{
	(void)arg;
	log_debug("postgres: %s", msg);
}

/* A new connection, waited for at most limit_ms (0: libpq's connect_timeout alone). Never
 * NULL but when out of memory; check PQstatus (CONNECTION_BAD: PQerrorMessage says why). */
static PGconn *connect_within(struct pg_backend *be, int limit_ms)
{
	/* The URL comes last so what it says overrides our defaults. standard_conforming_strings
	 * is the default since PostgreSQL 9.1, and our SQL's regular expressions ('\s', '\x01')
	 * rely on it: a server set otherwise must not change what they mean. */
	const char *keys[] = {"application_name", "connect_timeout", "client_encoding", "options", "dbname", NULL};
	const char *vals[] = {"kumppani", "5", "UTF8", "-c standard_conforming_strings=on", be->url, NULL};
	if (limit_ms <= 0)
		return PQconnectdbParams(keys, vals, 1);
	PGconn *pg = PQconnectStartParams(keys, vals, 1);
	if (!pg || PQstatus(pg) == CONNECTION_BAD)
		return pg;
	int64_t deadline = mono_ms() + limit_ms;
	int gave_up = 0;
	PostgresPollingStatusType ps = PGRES_POLLING_WRITING;
	while (ps != PGRES_POLLING_OK && ps != PGRES_POLLING_FAILED) {
		struct pollfd pfd = {.fd = PQsocket(pg), .events = ps == PGRES_POLLING_READING ? POLLIN : POLLOUT};
		int64_t left = deadline - mono_ms();
		int n = left > 0 ? poll(&pfd, 1, (int)left) : 0;
		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0) {
			if (gave_up)
				break;
			/* give up: libpq's next step finds the stream ended and fails (CONNECTION_BAD) */
			log_warn("postgres: no connection within %d ms", limit_ms);
			shutdown(PQsocket(pg), SHUT_RDWR);
			gave_up = 1;
			deadline = mono_ms() + 1000;
		}
		ps = PQconnectPoll(pg);
	}
	return pg;
}

int store_pg_connect(struct pg_backend *be, PGconn **out, struct kp_err *err)
{
	return store_pg_connect_within(be, 0, out, err);
}

int store_pg_connect_within(struct pg_backend *be, int limit_ms, PGconn **out, struct kp_err *err)
{
	PGconn *pg = connect_within(be, limit_ms);
	if (!pg)
		return kp_err_set(err, KP_ENOMEM, "postgres: out of memory");
	if (PQstatus(pg) != CONNECTION_OK) {
		char msg[200];
		snprintf(msg, sizeof(msg), "%s", PQerrorMessage(pg));
		char *nl = strchr(msg, '\n');
		if (nl)
			*nl = '\0';
		PQfinish(pg);
		return kp_err_set(err, KP_EUNAVAILABLE, "postgres: cannot connect: %s", msg);
	}
	PQsetNoticeProcessor(pg, quiet_notices, NULL);
	*out = pg;
	return 0;
}

int store_pg_conn_open(void *backend, struct store *s, int for_writer, struct store_conn **out, struct kp_err *err)
{
	struct pg_backend *be = backend;
	struct pg_conn *pc = calloc(1, sizeof(*pc));
	if (!pc)
		return kp_err_set(err, KP_ENOMEM, "out of memory");
	int rc = store_pg_connect_within(be, connect_limit(s), &pc->pg, err);
	if (rc != 0) {
		free(pc);
		return rc;
	}
	pc->base.ops = &store_postgres_ops;
	pc->base.store = s;
	pc->be = be;
	pc->for_writer = for_writer;
	*out = &pc->base;
	return 0;
}

void store_pg_conn_close(struct store_conn *c)
{
	struct pg_conn *pc = (struct pg_conn *)c;
	if (!pc)
		return;
	PQfinish(pc->pg);
	free(pc);
}

/* Readiness asks often and must not hang a loop for long: it waits at most this, within
 * store_answer_ms(). */
#define PG_PING_MS 2000

int store_pg_ping(struct store_conn *c, struct kp_err *err)
{
	struct pg_conn *pc = (struct pg_conn *)c;
	PGresult *r;
	pc->ping_ms = PG_PING_MS;
	int rc = store_pg_exec(pc, -1, "SELECT 1", NULL, &r, KP_ESTORE, err);
	pc->ping_ms = 0;
	PQclear(r);
	return rc;
}

/* ---- transactions (writer) ---------------------------------------------------------- */

int store_pg_begin(struct store_conn *c, struct kp_err *err)
{
	struct pg_conn *pc = (struct pg_conn *)c;
	maybe_reset(pc);
	int was_up = PQstatus(pc->pg) == CONNECTION_OK;
	int rc = store_pg_simple(pc, "BEGIN", err);
	/* The server closed an idle connection (a restart, a failover, pg_terminate_backend, a
	 * pooler's reset): that shows only now. Nothing ran, so begin again on a new one rather
	 * than fail the batch (once: a server that is down fails it at once). */
	if (rc != 0 && was_up && PQstatus(pc->pg) == CONNECTION_BAD && !pc->timed_out) {
		struct kp_err again = KP_ERR_INIT;
		maybe_reset(pc);
		if (PQstatus(pc->pg) == CONNECTION_OK && (rc = store_pg_simple(pc, "BEGIN", &again)) != 0)
			*err = again;
		else if (rc == 0)
			kp_err_init(err);
	}
	if (rc == 0)
		pc->in_tx = 1;
	return rc;
}

int store_pg_commit(struct store_conn *c, struct kp_err *err)
{
	struct pg_conn *pc = (struct pg_conn *)c;
	int was_in_tx = pc->in_tx;
	pc->in_tx = 0;
	if (!was_in_tx || PQtransactionStatus(pc->pg) == PQTRANS_IDLE)
		return kp_err_set(err, KP_ESTORE, "postgres commit: no transaction is open");
	pc->timed_out = 0;
	PGresult *r = wait_answer(pc, PQsendQuery(pc->pg, "COMMIT"));
	int rc = 0;
	if (!r || PQresultStatus(r) != PGRES_COMMAND_OK)
		rc = map_error(pc, r, KP_ESTORE, "commit", err);
	else if (strcmp(PQcmdStatus(r), "COMMIT") != 0) /* COMMIT of a failed transaction says ROLLBACK */
		rc = kp_err_set(err, KP_ESTORE, "postgres commit: the transaction was rolled back");
	PQclear(r);
	return rc;
}

int store_pg_rollback(struct store_conn *c, struct kp_err *err)
{
	struct pg_conn *pc = (struct pg_conn *)c;
	pc->in_tx = 0;
	if (PQstatus(pc->pg) == CONNECTION_BAD)
		return 0; /* the server already dropped the transaction with the connection */
	return store_pg_simple(pc, "ROLLBACK", err);
}

int store_pg_savepoint(struct store_conn *c, struct kp_err *err)
{
	return store_pg_simple((struct pg_conn *)c, "SAVEPOINT kp_job", err);
}

int store_pg_release_savepoint(struct store_conn *c, struct kp_err *err)
{
	return store_pg_simple((struct pg_conn *)c, "RELEASE SAVEPOINT kp_job", err);
}

int store_pg_rollback_savepoint(struct store_conn *c, struct kp_err *err)
{
	return store_pg_simple((struct pg_conn *)c, "ROLLBACK TO SAVEPOINT kp_job; RELEASE SAVEPOINT kp_job", err);
}

/* Does table name exist (in the search path)? 1, 0, or a negative kp status with err set. */
static int table_exists(struct pg_conn *pc, const char *name, struct kp_err *err)
{
	struct pg_params p;
	PGresult *r = NULL;
	store_pg_params_init(&p);
	store_pg_p_str(&p, name);
	int rc = store_pg_exec(pc, -1, "SELECT to_regclass($1) IS NOT NULL", &p, &r, KP_ESTORE, err);
	if (rc != 0)
		return rc;
	int exists = store_pg_bool(r, 0, 0);
	PQclear(r);
	return exists;
}

/* Bulk-load mode (store_bulk_load), the same plan as SQLite's: the secondary indexes of
 * the tables a load fills are dropped while it runs and built again at the end (one sort
 * each instead of an insert per row; the GIN search indexes are the dearest), except those
 * that only grow at their end during a load (ids ascend; few tags). Unique and constraint
 * indexes stay: they are rules, not speed. Their definitions are kept in
 * bulk_dropped_indexes, in the transaction that drops them (DDL is transactional here), so
 * a load that dies halfway leaves them listed and the next store_pg_migrate() builds them.
 * Commits do not wait for the WAL flush while loading (synchronous_commit off: a crash
 * loses the last commits, never consistency, and the load is simply rerun); the final
 * commit that builds the indexes waits for it, which makes everything before it durable. */
static const char bulk_drop_sql[] =
	"BEGIN;"
	"CREATE TABLE IF NOT EXISTS bulk_dropped_indexes (name TEXT PRIMARY KEY, sql TEXT NOT NULL);"
	"INSERT INTO bulk_dropped_indexes (name, sql)"
	" SELECT ic.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i"
	" JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid"
	" WHERE t.relnamespace = current_schema()::regnamespace"
	" AND t.relname IN ('customers', 'customer_contacts', 'customer_tags', 'interactions')"
	" AND NOT i.indisunique AND NOT i.indisprimary"
	" AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)"
	" AND ic.relname NOT IN ('interactions_customer', 'customer_contacts_customer', 'customer_tags_tag')"
	" ON CONFLICT DO NOTHING;"
	"DO $kp$ DECLARE r record; BEGIN"
	" FOR r IN SELECT name FROM bulk_dropped_indexes LOOP"
	"  EXECUTE format('DROP INDEX IF EXISTS %I', r.name);"
	" END LOOP; END $kp$;"
	"COMMIT;"
	"SET synchronous_commit = off";

/* Builds what bulk_drop_sql dropped, if anything is listed; one transaction, so the list
 * goes only with the indexes built. Sorts get more memory and parallel workers. */
static int bulk_restore(struct pg_conn *pc, struct kp_err *err)
{
	int rc = table_exists(pc, "bulk_dropped_indexes", err);
	if (rc <= 0)
		return rc;
	rc = store_pg_simple(pc,
			     "BEGIN;"
			     "SET LOCAL maintenance_work_mem = '512MB';"
			     "SET LOCAL max_parallel_maintenance_workers = 2;"
			     "DO $kp$ DECLARE r record; BEGIN"
			     " FOR r IN SELECT sql FROM bulk_dropped_indexes b"
			     "  WHERE to_regclass(quote_ident(b.name)) IS NULL ORDER BY name LOOP"
			     "  EXECUTE r.sql;"
			     " END LOOP; END $kp$;"
			     "DROP TABLE bulk_dropped_indexes;"
			     "COMMIT",
			     err);
	if (rc != 0) {
		struct kp_err ignored = KP_ERR_INIT;
		store_pg_simple(pc, "ROLLBACK", &ignored);
		return rc;
	}
	log_info("postgres: built the indexes a bulk load had deferred");
	return 0;
}

int store_pg_bulk_load(struct store_conn *c, int on, struct kp_err *err)
{
	struct pg_conn *pc = (struct pg_conn *)c;
	if (PQtransactionStatus(pc->pg) != PQTRANS_IDLE)
		return kp_err_set(err, KP_EINTERNAL, "postgres: bulk load switched inside a transaction");
	if (on) {
		int rc = store_pg_simple(pc, bulk_drop_sql, err);
		if (rc != 0) {
			struct kp_err ignored = KP_ERR_INIT;
			store_pg_simple(pc, "ROLLBACK", &ignored);
		}
		return rc;
	}
	struct kp_err ignored = KP_ERR_INIT;
	store_pg_simple(pc, "RESET synchronous_commit", &ignored);
	return bulk_restore(pc, err);
}

/* ---- migrations ---------------------------------------------------------------------- */

static int read_version(struct pg_conn *pc, int *version, struct kp_err *err)
{
	PGresult *r = NULL;
	int rc = store_pg_exec(pc, -1, "SELECT coalesce(max(version), 0) FROM schema_migrations", NULL, &r,
			       KP_ESTORE, err);
	if (rc != 0)
		return rc;
	*version = (int)store_pg_i64(r, 0, 0);
	PQclear(r);
	return 0;
}

int store_pg_schema_version(struct store_conn *c, int *version, struct kp_err *err)
{
	struct pg_conn *pc = (struct pg_conn *)c;
	int exists = table_exists(pc, "schema_migrations", err);
	if (exists < 0)
		return exists;
	if (!exists) {
		*version = 0;
		return 0;
	}
	return read_version(pc, version, err);
}

/* 0 if the schema is Kumppani's or holds nothing yet; else KP_ECONFLICT, before anything is
 * created in it: tables, views or sequences without a schema_migrations (another application's
 * database, a mistyped --db) or a schema_migrations of another shape are not taken over.
 * Other schemas of the database are not Kumppani's business (an application of their own may
 * live there), nor are functions, types and what an extension made (pg_stat_statements'
 * view, PostGIS's spatial_ref_sys: a template database may give every new one such). Run under the
 * migration lock: a concurrent migrate has made schema_migrations first or not at all. */
static int check_ours(struct pg_conn *pc, struct kp_err *err)
{
	PGresult *r = NULL;
	int rc = store_pg_exec(pc, -1,
	                       "SELECT to_regclass('schema_migrations') IS NOT NULL,"
	                       " (SELECT count(*) FROM information_schema.columns WHERE table_schema = current_schema()"
	                       "  AND table_name = 'schema_migrations'),"
	                       " (SELECT count(*) FROM information_schema.columns WHERE table_schema = current_schema()"
	                       "  AND table_name = 'schema_migrations' AND ((column_name = 'version' AND data_type ="
	                       "  'integer') OR (column_name = 'applied_at' AND data_type = 'bigint'))),"
	                       " (SELECT min(relname) FROM pg_class WHERE relnamespace = current_schema()::regnamespace"
	                       "  AND relkind IN ('r', 'p', 'v', 'm', 'f', 'S') AND relname <> 'schema_migrations'"
	                       "  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass"
	                       "   AND d.objid = pg_class.oid AND d.deptype = 'e'))",
	                       NULL, &r, KP_ESTORE, err);
	if (rc)
		return rc;
	if (store_pg_bool(r, 0, 0) && (store_pg_i64(r, 0, 1) != 2 || store_pg_i64(r, 0, 2) != 2))
		rc = kp_err_set(err, KP_ECONFLICT,
		                "the database's schema_migrations table is not Kumppani's: give Kumppani a database of"
		                " its own");
	else if (!PQgetisnull(r, 0, 3)) {
		/* something besides schema_migrations: fine once a version is recorded (a concurrent
		 * migrate records it with the tables of that version, in one transaction) */
		int64_t version = 0;
		if (store_pg_bool(r, 0, 0))
			rc = store_pg_first_i64(pc, -1, "SELECT coalesce(max(version), 0) FROM schema_migrations", NULL,
			                        KP_ESTORE, &version, err);
		if (rc == 0 && version == 0)
			rc = kp_err_set(err, KP_ECONFLICT,
			                "the database holds \"%s\", which Kumppani did not make, and no schema version:"
			                " give Kumppani a database of its own (createdb)",
			                PQgetvalue(r, 0, 3));
	}
	PQclear(r);
	return rc;
}

/* Runs every pending migration, each in its own transaction, under a session advisory lock
 * so that two servers starting at once apply each migration exactly once. */
int store_pg_migrate(struct store_conn *c, int *from, struct kp_err *err)
{
	return store_pg_migrate_to(c, store_pg_nmigrations, from, err);
}

int store_pg_migrate_to(struct store_conn *c, int target, int *from, struct kp_err *err)
{
	struct pg_conn *pc = (struct pg_conn *)c;
	int rc = 0, locked = 0;
	if (PQtransactionStatus(pc->pg) != PQTRANS_IDLE)
		return kp_err_set(err, KP_EINTERNAL, "postgres: migrate inside a transaction");
	rc = store_pg_simple(pc, "SELECT pg_advisory_lock(" PG_MIGRATE_LOCK ")", err);
	if (rc != 0)
		goto out;
	locked = 1;
	if ((rc = check_ours(pc, err)))
		goto out;
	rc = store_pg_simple(pc,
			     "CREATE TABLE IF NOT EXISTS schema_migrations ("
			     " version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)",
			     err);
	if (rc != 0)
		goto out;
	int version = 0;
	rc = store_pg_schema_version(c, &version, err);
	if (rc != 0)
		goto out;
	if (from)
		*from = version;
	if (version > store_pg_nmigrations) {
		rc = kp_err_set(err, KP_ESTORE,
				"the database has schema version %d, newer than this program knows (%d)", version,
				store_pg_nmigrations);
		goto out;
	}
	for (int v = version + 1; v <= target && v <= store_pg_nmigrations; v++) {
		rc = store_pg_begin(c, err);
		if (rc != 0)
			goto out;
		rc = store_pg_simple(pc, store_pg_migrations[v - 1], err);
		if (rc == 0) {
			struct pg_params p;
			store_pg_params_init(&p);
			store_pg_p_i64(&p, v);
			PGresult *r = NULL;
			rc = store_pg_exec(pc, -1,
					   "INSERT INTO schema_migrations (version, applied_at)"
					   " VALUES ($1, (extract(epoch from clock_timestamp()) * 1000)::bigint)",
					   &p, &r, KP_ESTORE, err);
			PQclear(r);
		}
		if (rc == 0)
			rc = store_pg_commit(c, err);
		if (rc != 0) {
			struct kp_err ignored = KP_ERR_INIT;
			store_pg_rollback(c, &ignored);
			goto out;
		}
		log_info("postgres: applied migration %d", v);
	}
	/* A bulk load that died halfway left indexes dropped: build them now. */
	rc = bulk_restore(pc, err);
out:
	if (locked) {
		struct kp_err ignored = KP_ERR_INIT;
		if (store_pg_simple(pc, "SELECT pg_advisory_unlock(" PG_MIGRATE_LOCK ")", &ignored) != 0)
			log_warn("postgres: advisory unlock failed: %s", ignored.msg);
	}
	return rc;
}
