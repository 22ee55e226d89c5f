/*
 * sq_int: what the files of the SQLite backend share - the connection struct, the
 * per-connection prepared statement cache, and small bind/column/error helpers. Only
 * src/store/sqlite/ includes this (and sqlite3.h).
 *
 * Statement use: sq_prep() returns a cached statement that is reset and has no bindings;
 * the caller binds, steps, and must call sq_done() on every path (an un-reset statement
 * would keep its read transaction open). SQL text that is built at run time goes through
 * sq_prep(); string literals (and static arrays of them) through sq_prep_lit() or
 * SQ_PREP_OR_FAIL, which find the statement again by the address of the text - never pass
 * those a buffer whose contents change.
 */
#ifndef KP_STORE_SQLITE_SQ_INT_H
#define KP_STORE_SQLITE_SQ_INT_H

#include <sqlite3.h>

#include "store/sqlite/fts.h"
#include "store/store_int.h"
#include "util/buf.h"

struct sq_stmt_slot {
	const char *lit; /* the caller's string literal (sq_prep_lit), else NULL */
	uint64_t hash;
	char *sql;
	sqlite3_stmt *st;
};

#define SQ_FLOOR_NTABLES 6 /* idfloor.c: the tables whose ids are never given out twice */

struct sq_conn {
	struct store_conn base; /* first: the store sees only this */
	sqlite3 *db;
	int writer;
	const char *path; /* the database file (owned by the backend state) */
	struct sq_stmt_slot *stmts;
	size_t nstmts, capstmts;
	int fts_queue; /* writer: search upkeep goes through temp.search_queue (search.c) */
	int bulk;      /* writer: in a bulk load (sq_bulk_load) */
	int bulk_rollback; /* writer: the bulk load left the WAL for a rollback journal */
	int wal_frames; /* writer: frames in the WAL after the last commit (wal hook) */
	int ckpt_at;    /* writer: wal_frames at the last checkpoint attempt */
	int scrub_due;  /* writer: an erasure ran: the next idle maintain empties the WAL (sq_maintain) */
	int scrub_wait_ms;     /* writer: after a busy try, wait this long before the next (doubles) */
	int64_t scrub_next_us; /* writer: time_mono_us() before which no idle pass tries again */
	/* reader: the read transaction (sq_read_begin/end/release in sqlite.c) */
	int read_active;   /* between read_begin and read_end */
	int read_kept;     /* ended by read_end, still open for the next read_begin */
	uint64_t read_seq; /* store_commit_seq() when it began */
	struct sq_ckpt *ckpt; /* writer: the background checkpointer (sqlite.c), NULL until needed */
	struct sq_side *side; /* writer: the side search index of a bulk load (search_side.c) */
	struct sq_walsync *walsync; /* writer: the WAL's own descriptor for pipelined commits (sqlite.c) */
	int nosync_txn;       /* writer: this transaction began with sq_begin_nosync */
	int wal_lost;         /* writer: a bulk load could not go back to the WAL (sq_bulk_back_to_wal) */
	int64_t owner_id;     /* writer: the customer whose name owner_name holds (sq_owner_name) */
	char *owner_name;
	int floors_loaded;    /* writer: id_floor read into id_floor[] (idfloor.c) */
	int64_t id_floor[SQ_FLOOR_NTABLES];
	/* writer: SQLITE_FCNTL_DATA_VERSION when this connection's last transaction ended
	 * (dv_known: it could be read then), to tell at the next BEGIN whether another
	 * connection has committed since (sqlite.c, "What the writer keeps between
	 * transactions") */
	unsigned dv_seen;
	int dv_known;
};

/* idfloor.c: ids are never given out twice. Around a delete: _deleting() notes each table's
 * max(id) in *m, _deleted() gives a floor to the tables whose max(id) fell. sq_id_claim():
 * before an insert into table, *id = the id to insert with, or 0 for SQLite's choice. Writer
 * only; 0 or a status. */
struct sq_floor_mark {
	int64_t before[SQ_FLOOR_NTABLES];
};
int sq_id_floor_deleting(struct sq_conn *c, struct sq_floor_mark *m, struct kp_err *err);
int sq_id_floor_deleted(struct sq_conn *c, const struct sq_floor_mark *m, struct kp_err *err);
int sq_id_claim(struct sq_conn *c, const char *table, int64_t *id, struct kp_err *err);
/* Forget the floors read (the next use reads them again): another connection has committed. */
void sq_id_floor_forget(struct sq_conn *c);
/* (bind the claimed id with sq_bind_id0: NULL, SQLite's choice, when 0) */

/* migrations.c */
/* The table of applied migrations, made before the first (sqlite.c; backupcheck.c builds the
 * same to compare a backup with). */
#define SQ_SCHEMA_MIGRATIONS_SQL                                                                                       \
	"CREATE TABLE IF NOT EXISTS schema_migrations ( version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)"
extern const char *const sq_migrations[];
extern const int sq_nmigrations;

/* pcache.c: SQLite's default page cache, wrapped so that the end of a write transaction
 * does not walk the whole cache of a database under 1 GiB (see there). Install once, before
 * SQLite initialises: 0, or -1 when it is initialised already (the default cache stays).
 * sq_pcache_counts: since the process began, the truncates skipped and passed through, and
 * the pages moved above what their cache held (for tests). */
int sq_pcache_install(void);
struct sq_pcache_counts {
	unsigned long long skipped, passed, moved;
};
void sq_pcache_counts(struct sq_pcache_counts *out);

/* fts.c: register the "kumppani" FTS5 tokenizer on db (Snowball Finnish + English stems,
 * case folding, -nen surname rule). 0 or an SQLite error code. */
int sq_fts_register(sqlite3 *db);
/* Token streams recorded on one thread and replayed by the tokenizer on another (a bulk
 * load's side index, search_side.c). record: tokenise text in document mode, passing the
 * stream's bytes to emit (0, or -1 when emit failed). A connection registered with
 * sq_fts_register_replay(db, rp) replays, for a document text equal to one of rp's n
 * unused columns, that column's stream instead of tokenising (the same tokens, by
 * construction); any other text is tokenised as usual. */
struct sq_fts_replay_col {
	const char *text;
	size_t ntext;
	const unsigned char *toks;
	size_t ntoks;
	int used;
};
struct sq_fts_replay {
	struct sq_fts_replay_col col[3];
	int n;
};
struct sq_fts_recorder;
struct sq_fts_recorder *sq_fts_recorder_new(void);
void sq_fts_recorder_free(struct sq_fts_recorder *r);
int sq_fts_record(struct sq_fts_recorder *r, const char *text, size_t n, int (*emit)(void *arg, const void *bytes, size_t n),
		  void *arg);
int sq_fts_register_replay(sqlite3 *db, struct sq_fts_replay *rp);
int sq_fts_replay_run(struct sq_fts_replay *rp, const char *text, int ntext, void *ctx,
		      int (*xToken)(void *, int, const char *, int, int, int));
/* Fold s into an arena string (lower case, as search folds words). */
char *sq_fold_dup(struct arena *a, const char *s);
/* The sort key of name s (the name_fold columns; fts.c): lower case, in Finnish alphabetical
 * order when compared as bytes. An arena string. */
char *sq_name_key(struct arena *a, const char *s);
/* Register the SQL function kp_name_key(name) = sq_name_key() on db (SQLITE_OK or an error). */
int sq_name_key_register(sqlite3 *db);

/* backupcheck.c: whether db (a backup, open read-only; path and what, "backup" or
 * "restore", for the message) is a Kumppani database this program can take as it is: its
 * schema version, quick_check, exactly the schema of its version, foreign keys, and every
 * row's types, UTF-8 and JSON. 0, or KP_EINVAL naming what is wrong (KP_ESTORE/KP_ENOMEM when
 * the check itself fails). Registers kp_utf8_ok() on db. */
int sq_backup_check(sqlite3 *db, const char *path, const char *what, struct kp_err *err);
/* Does db hold every table and column migrations 1..version make (more is fine: an index an
 * operator added)? 0 with missing "" when it does, or the first "table.column" it lacks in
 * missing; a negative status with err set when the check cannot run. */
int sq_schema_holds(sqlite3 *db, int version, char *missing, size_t cap, struct kp_err *err);
/* sqlite.c helpers */
sqlite3_stmt *sq_prep(struct sq_conn *c, const char *sql, struct kp_err *err);
/* The same for SQL that is a string literal (static storage): found again by its address
 * alone, which keeps the hot single-row paths cheap. */
sqlite3_stmt *sq_prep_lit(struct sq_conn *c, const char *sql, struct kp_err *err);
void sq_done(sqlite3_stmt *st);
/* Map an SQLite result code to a kp status and fill err ("what: message"). */
int sq_fail(struct sq_conn *c, int rc, const char *what, struct kp_err *err);
/* Run one statement to completion (no rows expected); 0 or a kp status. */
int sq_exec1(struct sq_conn *c, sqlite3_stmt *st, const char *what, struct kp_err *err);
/* Prepare (cached) and run a string literal with no parameters. */
int sq_exec_sql(struct sq_conn *c, const char *sql, struct kp_err *err);
void sq_bind_text(sqlite3_stmt *st, int i, const char *s);
/* 0 binds NULL (for optional references). */
void sq_bind_id0(sqlite3_stmt *st, int i, int64_t id);
char *sq_col_text(sqlite3_stmt *st, int i, struct arena *a);
int64_t sq_now(void);
/* After an UPDATE ... WHERE id=? AND version=? changed nothing: KP_ENOTFOUND when the row
 * does not exist, else KP_EPRECONDITION. table is a literal table name. */
int sq_version_miss(struct sq_conn *c, const char *table, int64_t id, int64_t expected, struct kp_err *err);
/* DELETE FROM table WHERE id = ? with the version check of store.h (0 = no check). */
int sq_delete_versioned(struct sq_conn *c, const char *table, int64_t id, int64_t expected, struct kp_err *err);
#define SQ_C(x) ((struct sq_conn *)(x))

/* customers.children: a copy of the customer's contact points and tags as one JSON text,
 * [[[id,"kind","value",label|null,is_primary],...],["tag",...]] (contacts by id, tags by
 * tag, the order GET has always listed them in), so GET /customers/{id} reads one row
 * instead of three B-trees (docs/performance.md, "Read path 3"). Every change to
 * customer_contacts or customer_tags sets it to NULL by trigger (migration 4), so a path
 * that writes them and forgets to refresh it costs speed, never a stale answer; the
 * customer ops write it again at the end of each write (cust_children_copy, from what they
 * just stored). NULL means "read the tables". SQ_CHILDREN_SQL(X) computes it from the
 * tables (migration 4 fills existing rows with it); X: an SQL expression for the id. The
 * order comes from each subquery's ORDER BY: SQLite 3.40 has no ORDER BY inside an
 * aggregate, and an aggregate over an ordered subquery sees its rows in that order (unit
 * test children_copy_is_what_get_reads compares the result with the tables). */
#define SQ_CHILDREN_SQL(X)                                                                                      \
	"json_array(json((SELECT json_group_array(json_array(id, kind, value, label, is_primary)) FROM"       \
	" (SELECT id, kind, value, label, is_primary FROM customer_contacts WHERE customer_id = " X            \
	" ORDER BY id))), json((SELECT json_group_array(tag) FROM (SELECT tag FROM customer_tags"                \
	" WHERE customer_id = " X " ORDER BY tag))))"

/* The searchable text of an address (a customer's address contact point or an organisation's
 * address_json, model.h), X an SQL expression for its JSON text: the street, postal code and
 * city, each followed by a space ('' for a text that is no JSON). The ops index it
 * (sq_customers.c) and migration 13 indexed the rows written before; PostgreSQL's
 * kp_address_text() takes the same fields. */
#define SQ_ADDRESS_TEXT_SQL(X)                                                                                         \
	"(CASE WHEN json_valid(" X ") THEN coalesce(json_extract(" X ", '$.street') || ' ', '')"                       \
	" || coalesce(json_extract(" X ", '$.postal_code') || ' ', '') || coalesce(json_extract(" X ", '$.city')"      \
	" || ' ', '') ELSE '' END)"

/* search index upkeep (search.c): kind 0 customer, 1 organization, 2 interaction, 3 note */
enum sq_fts_kind { SQ_FTS_CUSTOMER = 0, SQ_FTS_ORG = 1, SQ_FTS_INTERACTION = 2, SQ_FTS_NOTE = 3 };
/* A search change: delete the entry, replace it (delete any old one, insert), or insert
 * the entry of a row just created. */
enum sq_fts_op { SQ_FTS_OP_DEL = 0, SQ_FTS_OP_REPLACE = 1, SQ_FTS_OP_NEW = 2 };
/* is_new: the row was just inserted (no old entry to delete). */
/* context: the owning customer's (or organisation's) name for interactions and notes, so
 * "Virtasen lasku" finds the invoice interaction of customer Virtanen; NULL otherwise. */
int sq_fts_put(struct sq_conn *c, int kind, int64_t id, int is_new, const char *title, const char *body,
	       const char *context, struct kp_err *err);
/* Re-index the interactions and notes of a customer (after a rename or a merge). */
int sq_fts_reindex_customer_history(struct sq_conn *c, int64_t customer_id, struct kp_err *err);
/* Re-index the notes of an organisation (after a rename). */
int sq_fts_reindex_org_notes(struct sq_conn *c, int64_t org_id, struct kp_err *err);
/* The name of a customer or organisation, for the context column (arena string, or NULL).
 * Inside a transaction the last customer's name is remembered (a customer's interactions
 * are often written one after another); sq_owner_forget() drops it, and must be called
 * when a transaction ends and when a customer is updated, merged or deleted. */
char *sq_owner_name(struct sq_conn *c, int64_t customer_id, int64_t org_id, struct arena *a);
void sq_owner_forget(struct sq_conn *c);
int sq_fts_del(struct sq_conn *c, int kind, int64_t id, struct kp_err *err);
/* Remove the entries of a customer's interactions and notes / an organisation's notes. */
int sq_fts_del_customer_history(struct sq_conn *c, int64_t customer_id, struct kp_err *err);
int sq_fts_del_org_notes(struct sq_conn *c, int64_t org_id, struct kp_err *err);
/* The writer's search queue (search.c): create it on the writer connection; flush it into
 * search_fts (the before_commit op). */
int sq_fts_queue_init(struct sq_conn *c, struct kp_err *err);
int sq_fts_flush(struct store_conn *c, struct kp_err *err);

/* The side search index of a bulk load (search_side.c; the contract is described there).
 * start: create the scratch database and its thread (c->side). stage: add one change
 * (op: SQ_FTS_OP_*) to the open transaction's batch: old = the entry's indexed title,
 * body and context before it (NULL if none), cols = the new ones (unless a delete). commit / discard: after the COMMIT / the
 * ROLLBACK of that batch. stop: no more batches will come (the thread may still work).
 * finish: wait for the thread, copy the side index into search_fts if copy (dropping the
 * bulk_search_side marker in the same transaction), remove the scratch file; *docs (may be
 * NULL) = entries indexed. remove_scratch: delete a scratch file a dead load left. */
struct sq_side;
int sq_side_start(struct sq_conn *c, struct kp_err *err);
int sq_side_stage(struct sq_conn *c, int64_t rid, int op, const char *const old[3], const char *const cols[3],
		  struct kp_err *err);
void sq_side_mark(struct sq_conn *c);   /* at the job's SAVEPOINT */
void sq_side_rewind(struct sq_conn *c); /* at ROLLBACK TO it: drop the job's changes */
void sq_side_commit(struct sq_conn *c);
void sq_side_discard(struct sq_conn *c);
int sq_side_stop(struct sq_conn *c);
int sq_side_finish(struct sq_conn *c, int copy, int64_t *docs, struct kp_err *err);
void sq_side_remove_scratch(const char *path);
/* FTS5's structure record rec (n bytes) with its one segment moved up to `level` (1..63):
 * 1 and the new record in out (cap >= 128; *outn bytes), or 0 when rec is not a one-segment
 * record of the format SQLite 3.40's FTS5 writes, or its segment is on `level` or higher
 * already. *was_level = the segment's level whenever rec could be read. */
int sq_side_relevel(const unsigned char *rec, size_t n, int level, unsigned char *out, size_t cap, size_t *outn,
		    int *was_level);
/* A row decoder: reads the current row of st into the record at out (strings into a).
 * get and list of an entity share one, over the entity's column list (X_COLS, defined once). */
typedef void sq_row_fn(sqlite3_stmt *st, void *out, struct arena *a);
/* Step a single-row SELECT into fill(); KP_ENOTFOUND ("what not found") when there is none.
 * Resets st. */
int sq_get_one(struct sq_conn *c, sqlite3_stmt *st, sq_row_fn *fill, void *out, struct arena *a, const char *what,
	       struct kp_err *err);
/* Prepare sql (a string literal whose ?1 is an id), bind id and sq_get_one(). */
int sq_get_id(struct sq_conn *c, const char *sql, int64_t id, sq_row_fn *fill, void *out, struct arena *a,
	      const char *what, struct kp_err *err);
/* Rows of a list, as every struct X_list of store.h holds them (items, n, more); copy them
 * into one with SQ_TAKE_ROWS(out, rows). */
struct sq_rows {
	void *items;
	size_t n;
	int more;
};
#define SQ_TAKE_ROWS(out, rows) ((out)->items = (rows).items, (out)->n = (rows).n, (out)->more = (rows).more)
/* Step st into an arena array of limit zeroed records of size bytes (a keyset page);
 * rows->more says whether there was a row beyond limit. Resets st; sq_fail(what) on error. */
int sq_rows_page(struct sq_conn *c, sqlite3_stmt *st, int limit, sq_row_fn *fill, size_t size, struct sq_rows *rows,
		 struct arena *a, const char *what, struct kp_err *err);
/* Step st into a growing arena array (all rows, no limit). Resets st. */
int sq_rows_all(struct sq_conn *c, sqlite3_stmt *st, sq_row_fn *fill, size_t size, struct sq_rows *rows,
		struct arena *a, const char *what, struct kp_err *err);
/* Run a bound INSERT; the new rowid into *id. */
int sq_insert(struct sq_conn *c, sqlite3_stmt *st, const char *what, int64_t *id, struct kp_err *err);
/* Step a bound "UPDATE ... WHERE id = ? AND (? = 0 OR version = ?) RETURNING version": the new
 * version into *version; no row: sq_version_miss(table). Resets st. */
int sq_update_versioned(struct sq_conn *c, sqlite3_stmt *st, const char *table, int64_t id, int64_t expected,
			int64_t *version, const char *what, struct kp_err *err);
/* Step st (a prepared "SELECT version FROM t WHERE id = ?1", bound here) and check the
 * version of row id: KP_ENOTFOUND "<noun> <id> not found", KP_EPRECONDITION "<noun> <id>
 * has version <v>" when expected (0 = no check) differs, sq_fail(what) on error. Resets st. */
int sq_check_version(struct sq_conn *c, sqlite3_stmt *st, const char *noun, int64_t id, int64_t expected,
		     const char *what, struct kp_err *err);
/* Run a count(*) query (a string literal without parameters) into *n. */
int sq_count(struct sq_conn *c, const char *sql, const char *what, int64_t *n, struct kp_err *err);
#define SQ_PREP_OR_FAIL(st, c, sql, err)                                \
	do {                                                            \
		(st) = sq_prep_lit((c), (sql), (err));                    \
		if (!(st))                                              \
			return (err) ? (err)->status : KP_ESTORE;       \
	} while (0)

/* ops defined in the per-entity files, collected into store_sqlite_ops in sqlite.c */
int sq_staff_insert(struct store_conn *c, struct staff *st, struct kp_err *err);
int sq_staff_get(struct store_conn *c, int64_t id, struct staff *out, struct arena *a, struct kp_err *err);
int sq_staff_get_by_email(struct store_conn *c, const char *email, struct staff *out, struct arena *a, struct kp_err *err);
int sq_staff_update(struct store_conn *c, struct staff *st, int64_t expected_version, struct kp_err *err);
int sq_staff_list(struct store_conn *c, const struct staff_filter *f, const struct store_page *pg,
                  struct staff_list *out, struct arena *a, struct kp_err *err);
int sq_staff_count(struct store_conn *c, int64_t *n, struct kp_err *err);
int sq_token_insert(struct store_conn *c, struct api_token *t, struct kp_err *err);
int sq_token_get_by_hash(struct store_conn *c, const char *hash, struct api_token *out, struct arena *a, struct kp_err *err);
int sq_token_list(struct store_conn *c, int64_t staff_id, struct token_list *out, struct arena *a, struct kp_err *err);
int sq_token_revoke(struct store_conn *c, int64_t id, int64_t staff_id, struct kp_err *err);
int sq_token_touch(struct store_conn *c, int64_t id, int64_t at, struct kp_err *err);
int sq_session_insert(struct store_conn *c, const struct session *se, struct kp_err *err);
int sq_session_get(struct store_conn *c, const char *id_hash, struct session *out, struct arena *a, struct kp_err *err);
int sq_session_delete(struct store_conn *c, const char *id_hash, struct kp_err *err);
int sq_session_delete_for_staff(struct store_conn *c, int64_t staff_id, const char *keep_id_hash, struct kp_err *err);
int sq_org_insert(struct store_conn *c, struct organization *o, struct kp_err *err);
int sq_org_get(struct store_conn *c, int64_t id, struct organization *out, struct arena *a, struct kp_err *err);
int sq_org_update(struct store_conn *c, struct organization *o, int64_t expected_version, struct kp_err *err);
int sq_org_delete(struct store_conn *c, int64_t id, int64_t expected_version, struct kp_err *err);
int sq_org_list(struct store_conn *c, const struct org_filter *f, const struct store_page *pg, struct org_list *out, struct arena *a, struct kp_err *err);
int sq_customer_insert(struct store_conn *c, struct customer *cu, struct kp_err *err);
int sq_customer_get(struct store_conn *c, int64_t id, struct customer *out, struct arena *a, struct kp_err *err);
int sq_customer_get_brief(struct store_conn *c, int64_t id, struct customer *out, struct arena *a,
			  struct kp_err *err);
int sq_customer_update(struct store_conn *c, struct customer *cu, int64_t expected_version, struct kp_err *err);
int sq_customer_delete(struct store_conn *c, int64_t id, int64_t expected_version, struct kp_err *err);
int sq_customer_list(struct store_conn *c, const struct customer_filter *f, const struct store_page *pg, struct customer_list *out, struct arena *a, struct kp_err *err);
int sq_customer_count(struct store_conn *c, int64_t *n, struct kp_err *err);
int sq_email_idn_ids(struct store_conn *c, const char *entity, int64_t after_id, size_t max, int64_t *ids, size_t *n,
                     struct kp_err *err);
int sq_customer_tombstones(struct store_conn *c, int64_t into, int64_t after_id, size_t max, int64_t *ids, size_t *n,
                           struct kp_err *err);
int sq_customer_merge(struct store_conn *c, int64_t from, int64_t into, struct kp_err *err);
int sq_field_insert(struct store_conn *c, struct field_def *fd, struct kp_err *err);
int sq_field_get(struct store_conn *c, int64_t id, struct field_def *out, struct arena *a, struct kp_err *err);
int sq_field_update(struct store_conn *c, struct field_def *fd, int64_t expected_version, struct kp_err *err);
int sq_field_delete(struct store_conn *c, int64_t id, int64_t expected_version, struct kp_err *err);
int sq_field_list(struct store_conn *c, const char *entity, struct field_def_list *out, struct arena *a, struct kp_err *err);
int sq_note_insert(struct store_conn *c, struct note *n, struct kp_err *err);
int sq_note_get(struct store_conn *c, int64_t id, struct note *out, struct arena *a, struct kp_err *err);
int sq_note_update(struct store_conn *c, struct note *n, int64_t expected_version, struct kp_err *err);
int sq_note_delete(struct store_conn *c, int64_t id, int64_t expected_version, struct kp_err *err);
int sq_note_list(struct store_conn *c, int64_t customer_id, int64_t org_id, const struct store_page *pg, struct note_list *out, struct arena *a, struct kp_err *err);
int sq_interaction_insert(struct store_conn *c, struct interaction *it, struct kp_err *err);
int sq_interaction_get(struct store_conn *c, int64_t id, struct interaction *out, struct arena *a, struct kp_err *err);
int sq_interaction_update(struct store_conn *c, struct interaction *it, int64_t expected_version, struct kp_err *err);
int sq_interaction_search_set(struct store_conn *c, const struct interaction *it, int64_t stamp, struct kp_err *err);
int sq_note_search_set(struct store_conn *c, const struct note *n, int64_t stamp, struct kp_err *err);
int sq_unanalysed_ids(struct store_conn *c, const char *entity, int64_t after_id, size_t max, int64_t *ids, size_t *n,
                      struct kp_err *err);
int sq_interaction_delete(struct store_conn *c, int64_t id, int64_t expected_version, struct kp_err *err);
int sq_interaction_list(struct store_conn *c, const struct interaction_filter *f, const struct store_page *pg, struct interaction_list *out, struct arena *a, struct kp_err *err);
int sq_custom_set(struct store_conn *sc, const char *entity, int64_t id, const char *custom_json,
                  int64_t expected_version, int64_t *version, int64_t *updated_at, struct kp_err *err);
int sq_interaction_count(struct store_conn *c, const struct interaction_filter *f, int64_t max, int64_t *n,
                         struct kp_err *err);
int sq_search(struct store_conn *c, const char *q, const struct search_forms *forms, int limit, int offset,
              struct search_result *out, struct arena *a, struct kp_err *err);
int sq_search_text_matches(struct store_conn *c, const char *q, const struct search_forms *forms, const char *text,
                           int *matches, struct kp_err *err);
int sq_audit_insert(struct store_conn *c, struct audit_entry *e, struct kp_err *err);
/* The customer a note's or interaction's create or delete audit entry names (migration 20's
 * index audit_log_child_customer: its key and the entries it holds; a query that would use
 * it states both as they are here). Every entry's changes_json is JSON (jansson's dump or
 * bytes equal to it; a restore checks every *_json column with json_valid), so the key needs
 * no json_valid() of its own, which would parse each such entry once more on insert. */
#define SQ_AUDIT_CHILD_CUSTOMER                                                                                        \
	"json_extract(changes_json, CASE action WHEN 'create' THEN '$.customer_id[1]' ELSE '$.customer_id[0]' "        \
	"END)"
#define SQ_AUDIT_CHILD_WHERE "action IN ('create', 'delete') AND entity IN ('note', 'interaction')"
int sq_audit_insert_set(struct store_conn *c, struct audit_entry *e, size_t n, struct kp_err *err);
int sq_audit_list(struct store_conn *c, const struct audit_filter *f, struct audit_list *out, struct arena *a, struct kp_err *err);
/* ids as a JSON array "[1,2,3]" for json_each() (into b; -1 when b's cap is passed) */
int sq_ids_json(struct buf *b, const int64_t *ids, size_t n);
int sq_audit_unredacted(struct store_conn *c, const char *entity, const int64_t *ids, size_t nids, int64_t after_id,
                        int limit, struct audit_list *out, struct arena *a, struct kp_err *err);
int sq_audit_redact_set(struct store_conn *c, const struct audit_redaction *r, size_t n, int64_t at, int64_t *done,
                        struct kp_err *err);
int sq_audit_customer_children(struct store_conn *c, const char *entity, int64_t customer_id, int64_t **ids, size_t *n,
                               struct arena *a, struct kp_err *err);
int sq_erase_links(struct store_conn *c, const struct erase_ids *ids, struct erase_links *out, struct arena *a,
                   struct kp_err *err);
int sq_idem_get(struct store_conn *c, int64_t staff_id, const char *key, struct idem_entry *out, struct arena *a, struct kp_err *err);
int sq_idem_put(struct store_conn *c, const struct idem_entry *e, struct kp_err *err);
int sq_staff_active_admins(struct store_conn *c, int64_t except_id, int64_t *n, struct kp_err *err);
int sq_idem_purge(struct store_conn *c, int64_t older_than, struct kp_err *err);
int sq_idem_forget(struct store_conn *c, const char *prefix, const int64_t *ids, size_t nids, int64_t *n,
                   struct kp_err *err);

/* Keyset pagination helper (list.c): appends " AND (col, id) > (?, ?)" (or "<") and the
 * ORDER BY / LIMIT to sql for the chosen sort. cols maps enum store_sort to a column
 * expression (NULL = not allowed for this list). Bind values are recorded in *pb. */
struct sq_pagebind {
	int has_key, key_is_text;
	const char *key_text;
	int64_t key_int, after_id;
	int has_after;
	int limit;
};
struct buf;
int sq_page_sql(struct buf *sql, const char *const cols[5], const char *idcol, const struct store_page *pg,
		struct sq_pagebind *pb, struct arena *a, struct kp_err *err);
/* The sort columns of the lists of named records (organisations, customers, staff): by id,
 * name, creation or last change. */
extern const char *const sq_named_sorts[5];
/* Bind what sq_page_sql recorded starting at parameter index *i (advanced). */
void sq_page_bind(sqlite3_stmt *st, int *i, const struct sq_pagebind *pb);
/* sq_page_sql, then prepare the finished text (sq_prep: built at run time) into *st. */
int sq_page_prep(struct sq_conn *c, struct buf *sql, const char *const cols[5], const char *idcol,
		 const struct store_page *pg, struct sq_pagebind *pb, sqlite3_stmt **st, struct arena *a,
		 struct kp_err *err);

/* staff protection (protect.c, issue 3): the schema migration and the ops */
extern const char sq_protect_migration[];
int sq_notification_insert(struct store_conn *c, struct wellbeing_notification *n, struct kp_err *err);
int sq_notification_list(struct store_conn *c, const struct notification_filter *f, struct notification_list *out, struct arena *a, struct kp_err *err);
int sq_notification_ack(struct store_conn *c, int64_t id, int64_t staff_id, int64_t at, int *acked_now,
                        struct wellbeing_notification *out, struct arena *a, struct kp_err *err);
int sq_notification_withdraw(struct store_conn *c, int64_t interaction_id, int64_t *n, struct kp_err *err);
int sq_notification_count(struct store_conn *c, int64_t customer_id, int64_t since, int64_t *n, struct kp_err *err);
int sq_exposure(struct store_conn *c, const struct exposure_filter *f, struct exposure_list *out, struct arena *a, struct kp_err *err);
int sq_incident_customers(struct store_conn *c, int64_t since, int64_t min, int limit, int64_t after_k, int64_t after_id, struct incident_customer_list *out, struct arena *a, struct kp_err *err);
int sq_correction_insert(struct store_conn *c, struct text_correction *tc, struct kp_err *err);
int sq_correction_list(struct store_conn *c, int64_t after_id, int limit, struct correction_list *out, struct arena *a, struct kp_err *err);
int sq_policy_get(struct store_conn *c, struct wellbeing_policy *out, struct arena *a, struct kp_err *err);
int sq_policy_put(struct store_conn *c, const struct wellbeing_policy *p, struct kp_err *err);

#endif
