/*
 * pg_int: shared internals of the PostgreSQL store backend (only the files in store/postgres/ include it).
 *
 * A struct pg_conn wraps one libpq connection. Statements go through store_pg_exec():
 * text-format parameters only, never SQL built from user data. Fixed statements are
 * prepared once per connection (keyed by a small integer id the caller chooses) so the
 * hot paths skip parsing; dynamic list queries (built from fixed fragments and $n
 * placeholders) run with PQexecParams.
 *
 * Errors: SQLSTATE 23505 (unique) -> KP_ECONFLICT, 23503 (foreign key) -> the status the
 * caller names (KP_ENOTFOUND for a missing referenced row on insert, KP_ECONFLICT for a
 * delete that others still reference), a lost connection -> KP_EUNAVAILABLE, anything
 * else -> KP_ESTORE.
 */
#ifndef KP_STORE_POSTGRES_PG_INT_H
#define KP_STORE_POSTGRES_PG_INT_H

#include <libpq-fe.h>
#include <stdint.h>

#include "store/store_int.h"
#include "util/arena.h"
#include "util/err.h"

/* Shared by every connection of one store: the conninfo URL (owned). */
struct pg_backend {
	char *url;
};

#define PG_MAX_PREPARED 128

struct pg_conn {
	struct store_conn base; /* first: a struct store_conn * is a struct pg_conn * */
	struct pg_backend *be;
	PGconn *pg;
	int for_writer;
	int in_tx; /* a transaction we opened is in progress: never reconnect silently */
	int timed_out;                           /* the last statement had no answer in time (this many ms): dropped */
	int ping_ms;                             /* store_pg_ping()'s shorter limit while it runs (0: none) */
	int64_t reconnect_at_ms;                 /* after a failed reconnect, the next try waits until then */
	unsigned char prepared[PG_MAX_PREPARED]; /* statement id -> prepared on this connection */
};

/* Parameters of one statement, as text. Numbers are formatted into num[]. */
#define PG_MAX_PARAMS 32
struct pg_params {
	int n;
	const char *v[PG_MAX_PARAMS];
	char num[PG_MAX_PARAMS][24];
};

/* The customer a note's or interaction's create or delete audit entry names (migration 16's
 * index audit_log_child_customer: its key and the entries it holds; the query states both
 * as they are here so that the planner can use it). */
#define PG_AUDIT_CHILD_CUSTOMER                                                                                        \
	"CASE action WHEN 'create' THEN changes_json::jsonb -> 'customer_id' -> 1"                                     \
	" ELSE changes_json::jsonb -> 'customer_id' -> 0 END"
#define PG_AUDIT_CHILD_WHERE "action IN ('create', 'delete') AND entity IN ('note', 'interaction')"

void store_pg_params_init(struct pg_params *p);
void store_pg_p_str(struct pg_params *p, const char *s);   /* NULL -> SQL NULL */
void store_pg_p_i64(struct pg_params *p, int64_t v);
void store_pg_p_id(struct pg_params *p, int64_t v);        /* 0 -> SQL NULL */
void store_pg_p_bool(struct pg_params *p, int v);

/* Run sql. stmt_id >= 0: prepare it on first use on this connection under that id (sql must
 * be the same string every time for an id); -1: run unprepared. On success *res holds the
 * result (caller PQclear()s it); on failure *res is NULL and err says why (fk_status is the
 * status for a foreign-key violation). */
int store_pg_exec(struct pg_conn *pc, int stmt_id, const char *sql, const struct pg_params *p, PGresult **res,
		  int fk_status, struct kp_err *err);
/* store_pg_exec, then the first column of the first row into *out (RETURNING id, count(*)). */
int store_pg_first_i64(struct pg_conn *pc, int stmt_id, const char *sql, const struct pg_params *p, int fk_status,
		       int64_t *out, struct kp_err *err);

/* Rows of a list, as every struct X_list of store.h holds them (items, n, more); copy them
 * into one with PG_TAKE_ROWS(out, rows). */
struct pg_rows {
	void *items;
	size_t n;
	int more;
};
#define PG_TAKE_ROWS(out, rows) ((out)->items = (rows).items, (out)->n = (rows).n, (out)->more = (rows).more)

/* A row decoder: reads row `row` of r into the record at out (strings into the arena);
 * returns 0 or a kp_err status. */
#define PG_ROW_DECODER(name) int (*name)(struct arena *a, const PGresult *r, int row, void *out, struct kp_err *err)

/* Decode up to limit rows of r (limit < 0: all of them) into a zeroed arena array of items
 * of size bytes each (NULL when there are none); out->more says whether r had a row beyond
 * limit. Stops at the first decoder error and returns it. */
int store_pg_decode_rows(const PGresult *r, int limit, PG_ROW_DECODER(decode), size_t size, struct pg_rows *out,
			 struct arena *a, struct kp_err *err);
/* store_pg_exec (fk_status KP_ESTORE), then store_pg_decode_rows; out is zeroed first. */
int store_pg_rows(struct pg_conn *pc, int stmt_id, const char *sql, const struct pg_params *p, int limit,
		  PG_ROW_DECODER(decode), size_t size, struct pg_rows *out, struct arena *a, struct kp_err *err);

/* Run a fixed statement without parameters and without a result (BEGIN, SAVEPOINT, ...). */
int store_pg_simple(struct pg_conn *pc, const char *sql, struct kp_err *err);

/* Cell readers: NULL reads as 0 / NULL; strings are copied into the arena. */
int64_t store_pg_i64(const PGresult *r, int row, int col);
int store_pg_bool(const PGresult *r, int row, int col);
const char *store_pg_str(struct arena *a, const PGresult *r, int row, int col);

/* Make a multi-statement op atomic: when the connection is outside a transaction, BEGIN
 * (and *opened = 1); inside one (a writer job's savepoint) do nothing. store_pg_atomic_end
 * commits (rc == 0) or rolls back what store_pg_atomic_begin opened and returns rc. */
int store_pg_atomic_begin(struct pg_conn *pc, int *opened, struct kp_err *err);
int store_pg_atomic_end(struct pg_conn *pc, int opened, int rc, struct kp_err *err);

/* Connection-level ops (pg_conn.c); the store_ops contracts are in store/store_int.h. */
int store_pg_accepts(const char *url);
int store_pg_setup(const char *url, void **backend, struct kp_err *err);
void store_pg_release(void *backend);
int store_pg_conn_open(void *backend, struct store *s, int for_writer, struct store_conn **out,
		       struct kp_err *err);
void store_pg_conn_close(struct store_conn *c);
/* (*from, may be NULL: the schema version found before, as store_int.h's migrate says) */
int store_pg_migrate(struct store_conn *c, int *from, struct kp_err *err);
/* Apply the migrations up to version target only (restoring an older backup: its rows go
 * into the schema they were read from, and store_pg_migrate finishes afterwards). */
int store_pg_migrate_to(struct store_conn *c, int target, int *from, struct kp_err *err);
int store_pg_schema_version(struct store_conn *c, int *version, struct kp_err *err);
int store_pg_ping(struct store_conn *c, struct kp_err *err);
int store_pg_begin(struct store_conn *c, struct kp_err *err);
int store_pg_commit(struct store_conn *c, struct kp_err *err);
int store_pg_rollback(struct store_conn *c, struct kp_err *err);
int store_pg_savepoint(struct store_conn *c, struct kp_err *err);
int store_pg_release_savepoint(struct store_conn *c, struct kp_err *err);
int store_pg_rollback_savepoint(struct store_conn *c, struct kp_err *err);
int store_pg_bulk_load(struct store_conn *c, int on, struct kp_err *err);

/* Migrations (pg_migrations.c). */
extern const char *const store_pg_migrations[];
extern const int store_pg_nmigrations;

/* pg_backup.c */
int store_pg_backup(struct store_conn *c, const char *path, struct kp_err *err);
int store_pg_restore(struct store_conn *c, const char *path, long long *rows, struct kp_err *err);
/* A new libpq connection to the backend's database (caller PQfinish()es it). */
int store_pg_connect(struct pg_backend *be, PGconn **out, struct kp_err *err);
/* The same, given up after limit_ms (0: libpq's connect_timeout of 5 s alone). */
int store_pg_connect_within(struct pg_backend *be, int limit_ms, PGconn **out, struct kp_err *err);

/* protect.c: staff protection (issue 3) - the schema migration and the ops */
extern const char store_pg_protect_migration[];
int store_pg_notification_insert(struct store_conn *c, struct wellbeing_notification *n, struct kp_err *err);
int store_pg_notification_list(struct store_conn *c, const struct notification_filter *f, struct notification_list *out, struct arena *a, struct kp_err *err);
int store_pg_notification_ack(struct store_conn *c, int64_t id, int64_t staff_id, int64_t at, int *acked_now,
                              struct wellbeing_notification *out, struct arena *a, struct kp_err *err);
int store_pg_notification_withdraw(struct store_conn *c, int64_t interaction_id, int64_t *n, struct kp_err *err);
int store_pg_notification_count(struct store_conn *c, int64_t customer_id, int64_t since, int64_t *n, struct kp_err *err);
int store_pg_exposure(struct store_conn *c, const struct exposure_filter *f, struct exposure_list *out, struct arena *a, struct kp_err *err);
int store_pg_incident_customers(struct store_conn *c, int64_t since, int64_t min, int limit, int64_t after_k, int64_t after_id, struct incident_customer_list *out, struct arena *a, struct kp_err *err);
int store_pg_correction_insert(struct store_conn *c, struct text_correction *tc, struct kp_err *err);
int store_pg_correction_list(struct store_conn *c, int64_t after_id, int limit, struct correction_list *out, struct arena *a, struct kp_err *err);
int store_pg_policy_get(struct store_conn *c, struct wellbeing_policy *out, struct arena *a, struct kp_err *err);
int store_pg_policy_put(struct store_conn *c, const struct wellbeing_policy *p, struct kp_err *err);

#endif
