/*
 * store_int: the contract between store.c and a backend. Each backend defines one
 * `const struct store_ops` and embeds struct store_conn first in its connection struct
 * (SQLite's VFS, curl's struct Curl_ssl and git's ref_storage_be do the same).
 *
 * Only store.c and the backends include this header. Backends keep their own SQL and
 * migrations; they must pass tests/store/contract.c, which runs the same cases on both.
 */
#ifndef KP_STORE_STORE_INT_H
#define KP_STORE_STORE_INT_H

#include <stdatomic.h>
#include <stdint.h>

#include "store/store.h"

/* The times the API accepts (years 1900 to 9999 in UTC: validate_time), in ms since the epoch,
 * with a day to spare on each side for what earlier versions took with an offset (up to
 * +-23:59: "1900-01-01T00:00:00+23:59" was stored as 1899-12-31T00:01Z): a backup and a restore
 * refuse a time column outside them (an edited backup's year -1199 is served as it is), and
 * nothing the API ever stored is refused. */
#define STORE_TIME_MIN_MS  (-2209075200000LL) /* 1899-12-31T00:00:00Z */
#define STORE_TIME_MAX_MS  253402387199999LL  /* 10000-01-01T23:59:59.999Z */
#define STORE_TIME_RANGE_S "-2209075200000 AND 253402387199999"

struct store_conn {
	const struct store_ops *ops;
	struct store *store;
	/* The connection's page cache in bytes, as its owner thread last saw it (cache_used
	 * below; store.c refreshes it), for store_get_stats() on any thread. */
	_Atomic int64_t cache_bytes;
	unsigned cache_tick; /* owner thread only: refresh cache_bytes every few calls */
};

/* store_set_answer_ms()'s limit (0: none), for the backends to read at each statement. */
int store_answer_ms(const struct store *s);

struct store_ops {
	const char *name; /* "sqlite", "postgres" */
	/* Does this backend take this URL ("sqlite:...", "postgres://...")? */
	int (*accepts)(const char *url);
	/* The file a URL this backend accepts names (a pointer into url), or NULL when the
	 * database is no local file; NULL op: never one. */
	const char *(*local_file)(const char *url);
	/* Prepare backend state shared by all connections (the path, the conninfo) into
	 * *backend; free it with release. */
	int (*setup)(const char *url, void **backend, struct kp_err *err);
	void (*release)(void *backend);
	/* A new connection; for_writer says whether it will be the single writer. */
	int (*conn_open)(void *backend, struct store *s, int for_writer, struct store_conn **out,
			 struct kp_err *err);
	void (*conn_close)(struct store_conn *c);
	/* Apply the pending migrations; *from (may be NULL) receives the schema version found
	 * before them, once the database was checked to be Kumppani's (0: a new one). */
	int (*migrate)(struct store_conn *c, int *from, struct kp_err *err);
	int (*schema_version)(struct store_conn *c, int *version, struct kp_err *err);
	/* Write a backup into path, an empty file store_backup() created (owner-only) and
	 * renames into place afterwards: the backend neither creates nor removes it. */
	int (*backup)(struct store_conn *c, const char *path, struct kp_err *err);
	/* Load the backup at path (as backup writes it) into the writer's database, which must
	 * hold no data, leaving it at the backup's schema version (store_restore migrates on);
	 * *rows: rows restored, or -1 when the backend does not count them. */
	int (*restore)(struct store_conn *c, const char *path, long long *rows, struct kp_err *err);
	int (*ping)(struct store_conn *c, struct kp_err *err);
	/* Transactions on the writer connection: one per batch, a savepoint per job. */
	int (*begin)(struct store_conn *c, struct kp_err *err);
	int (*commit)(struct store_conn *c, struct kp_err *err);
	int (*rollback)(struct store_conn *c, struct kp_err *err);
	/* Optional, both or neither: pipelined group commits. begin_nosync starts a writer
	 * transaction whose commit becomes visible at once but durable only when a later
	 * sync() returns 0. sync runs on the store's sync thread, beside the writer's next
	 * transaction, and must make every commit that returned before it began durable; it
	 * may not use the connection's handle, only what the backend set aside for it. */
	int (*begin_nosync)(struct store_conn *c, struct kp_err *err);
	int (*sync)(struct store_conn *c, struct kp_err *err);
	int (*savepoint)(struct store_conn *c, struct kp_err *err);
	int (*release_savepoint)(struct store_conn *c, struct kp_err *err);
	int (*rollback_savepoint)(struct store_conn *c, struct kp_err *err);
	/* Optional: one read transaction around the reads of a request on a reader connection
	 * (store_read_begin/store_read_end in store.h). NULL = nothing to do. read_end must
	 * leave the connection outside any transaction even after a failed statement. */
	int (*read_begin)(struct store_conn *c, struct kp_err *err);
	void (*read_end)(struct store_conn *c);
	/* Optional: a backend may keep the snapshot of an ended read transaction open and
	 * continue it at the next read_begin when store_commit_seq() has not moved since it
	 * began (SQLite: the WAL read lock is then taken once per event-loop iteration, not
	 * once per request). read_release ends such a kept snapshot; it must do nothing while
	 * a read transaction is active (between read_begin and read_end). */
	void (*read_release)(struct store_conn *c);
	/* Optional (NULL = nothing to do). before_commit: run by the writer after the last job
	 * of a batch and before commit, in the same transaction (SQLite moves the batch's
	 * queued search entries into FTS5 here); a failure fails the batch like a failed
	 * commit. maintain: run by the writer outside any transaction, with idle = 0 after
	 * each batch and idle = 1 once the writer has had no job for a while (store.c,
	 * STORE_IDLE_MS); SQLite checkpoints its WAL here. It returns 1 to be run idle again
	 * after another STORE_IDLE_MS without a job (work it could not finish, such as an
	 * erasure's checkpoint that readers held up), else 0.
	 * bulk_load: see store_bulk_load() in store.h. */
	int (*before_commit)(struct store_conn *c, struct kp_err *err);
	int (*maintain)(struct store_conn *c, int idle);
	int (*bulk_load)(struct store_conn *c, int on, struct kp_err *err);
	/* Optional (NULL: the backend keeps no page cache in this process, as PostgreSQL's is
	 * the server's): the bytes of page cache the connection holds now. Called only by the
	 * thread using the connection, between statements. */
	int64_t (*cache_used)(struct store_conn *c);

	/* Domain operations: the contracts are in store.h (store_<op>). */
	int (*staff_insert)(struct store_conn *c, struct staff *st, struct kp_err *err);
	int (*staff_get)(struct store_conn *c, int64_t id, struct staff *out, struct arena *a, struct kp_err *err);
	int (*staff_get_by_email)(struct store_conn *c, const char *email, struct staff *out, struct arena *a, struct kp_err *err);
	int (*staff_update)(struct store_conn *c, struct staff *st, int64_t expected_version, struct kp_err *err);
	int (*staff_list)(struct store_conn *c, const struct staff_filter *f, const struct store_page *pg,
	                  struct staff_list *out, struct arena *a, struct kp_err *err);
	int (*staff_count)(struct store_conn *c, int64_t *n, struct kp_err *err);
	int (*staff_active_admins)(struct store_conn *c, int64_t except_id, int64_t *n, struct kp_err *err);
	int (*token_insert)(struct store_conn *c, struct api_token *t, struct kp_err *err);
	int (*token_get_by_hash)(struct store_conn *c, const char *hash, struct api_token *out, struct arena *a, struct kp_err *err);
	int (*token_list)(struct store_conn *c, int64_t staff_id, struct token_list *out, struct arena *a, struct kp_err *err);
	int (*token_revoke)(struct store_conn *c, int64_t id, int64_t staff_id, struct kp_err *err);
	int (*token_touch)(struct store_conn *c, int64_t id, int64_t at, struct kp_err *err);
	int (*session_insert)(struct store_conn *c, const struct session *se, struct kp_err *err);
	int (*session_get)(struct store_conn *c, const char *id_hash, struct session *out, struct arena *a, struct kp_err *err);
	int (*session_delete)(struct store_conn *c, const char *id_hash, struct kp_err *err);
	int (*session_delete_for_staff)(struct store_conn *c, int64_t staff_id, const char *keep_id_hash, struct kp_err *err);
	int (*org_insert)(struct store_conn *c, struct organization *o, struct kp_err *err);
	int (*org_get)(struct store_conn *c, int64_t id, struct organization *out, struct arena *a, struct kp_err *err);
	int (*org_update)(struct store_conn *c, struct organization *o, int64_t expected_version, struct kp_err *err);
	int (*org_delete)(struct store_conn *c, int64_t id, int64_t expected_version, struct kp_err *err);
	int (*org_list)(struct store_conn *c, const struct org_filter *f, const struct store_page *pg, struct org_list *out, struct arena *a, struct kp_err *err);
	int (*customer_insert)(struct store_conn *c, struct customer *cu, struct kp_err *err);
	int (*customer_get)(struct store_conn *c, int64_t id, struct customer *out, struct arena *a, struct kp_err *err);
	int (*customer_get_brief)(struct store_conn *c, int64_t id, struct customer *out, struct arena *a, struct kp_err *err); /* optional */
	int (*customer_update)(struct store_conn *c, struct customer *cu, int64_t expected_version, struct kp_err *err);
	int (*customer_delete)(struct store_conn *c, int64_t id, int64_t expected_version, struct kp_err *err);
	int (*customer_list)(struct store_conn *c, const struct customer_filter *f, const struct store_page *pg, struct customer_list *out, struct arena *a, struct kp_err *err);
	int (*customer_count)(struct store_conn *c, int64_t *n, struct kp_err *err);
	int (*email_idn_ids)(struct store_conn *c, const char *entity, int64_t after_id, size_t max, int64_t *ids,
	                     size_t *n, struct kp_err *err);
	int (*customer_tombstones)(struct store_conn *c, int64_t into, int64_t after_id, size_t max, int64_t *ids,
	                           size_t *n, struct kp_err *err);
	int (*customer_merge)(struct store_conn *c, int64_t from, int64_t into, struct kp_err *err);
	int (*field_insert)(struct store_conn *c, struct field_def *fd, struct kp_err *err);
	int (*field_get)(struct store_conn *c, int64_t id, struct field_def *out, struct arena *a, struct kp_err *err);
	int (*field_update)(struct store_conn *c, struct field_def *fd, int64_t expected_version, struct kp_err *err);
	int (*field_delete)(struct store_conn *c, int64_t id, int64_t expected_version, struct kp_err *err);
	int (*field_list)(struct store_conn *c, const char *entity, struct field_def_list *out, struct arena *a, struct kp_err *err);
	int (*note_insert)(struct store_conn *c, struct note *n, struct kp_err *err);
	int (*note_get)(struct store_conn *c, int64_t id, struct note *out, struct arena *a, struct kp_err *err);
	int (*note_update)(struct store_conn *c, struct note *n, int64_t expected_version, struct kp_err *err);
	int (*note_delete)(struct store_conn *c, int64_t id, int64_t expected_version, struct kp_err *err);
	int (*note_list)(struct store_conn *c, int64_t customer_id, int64_t org_id, const struct store_page *pg, struct note_list *out, struct arena *a, struct kp_err *err);
	int (*interaction_insert)(struct store_conn *c, struct interaction *it, struct kp_err *err);
	int (*interaction_get)(struct store_conn *c, int64_t id, struct interaction *out, struct arena *a, struct kp_err *err);
	int (*interaction_update)(struct store_conn *c, struct interaction *it, int64_t expected_version, struct kp_err *err);
	int (*interaction_delete)(struct store_conn *c, int64_t id, int64_t expected_version, struct kp_err *err);
	int (*interaction_search_set)(struct store_conn *c, const struct interaction *it, int64_t stamp,
	                              struct kp_err *err);
	int (*note_search_set)(struct store_conn *c, const struct note *n, int64_t stamp, struct kp_err *err);
	int (*unanalysed_ids)(struct store_conn *c, const char *entity, int64_t after_id, size_t max, int64_t *ids,
	                      size_t *n, struct kp_err *err);
	int (*interaction_list)(struct store_conn *c, const struct interaction_filter *f, const struct store_page *pg, struct interaction_list *out, struct arena *a, struct kp_err *err);
	int (*custom_set)(struct store_conn *c, const char *entity, int64_t id, const char *custom_json,
	                  int64_t expected_version, int64_t *version, int64_t *updated_at, struct kp_err *err);
	int (*interaction_count)(struct store_conn *c, const struct interaction_filter *f, int64_t max, int64_t *n,
	                         struct kp_err *err);
	int (*search)(struct store_conn *c, const char *q, const struct search_forms *forms, int limit, int offset,
	              struct search_result *out, struct arena *a, struct kp_err *err);
	int (*search_text_matches)(struct store_conn *c, const char *q, const struct search_forms *forms,
	                           const char *text, int *matches, struct kp_err *err);
	int (*audit_insert)(struct store_conn *c, struct audit_entry *e, struct kp_err *err);
	int (*audit_insert_set)(struct store_conn *c, struct audit_entry *e, size_t n, struct kp_err *err);
	int (*audit_list)(struct store_conn *c, const struct audit_filter *f, struct audit_list *out, struct arena *a, struct kp_err *err);
	int (*audit_unredacted)(struct store_conn *c, const char *entity, const int64_t *ids, size_t nids,
	                        int64_t after_id, int limit, struct audit_list *out, struct arena *a,
	                        struct kp_err *err);
	int (*audit_redact_set)(struct store_conn *c, const struct audit_redaction *r, size_t n, int64_t at,
	                        int64_t *done, struct kp_err *err);
	int (*audit_customer_children)(struct store_conn *c, const char *entity, int64_t customer_id, int64_t **ids,
	                               size_t *n, struct arena *a, struct kp_err *err);
	int (*erase_links)(struct store_conn *c, const struct erase_ids *ids, struct erase_links *out, struct arena *a,
	                   struct kp_err *err);
	int (*idem_get)(struct store_conn *c, int64_t staff_id, const char *key, struct idem_entry *out, struct arena *a, struct kp_err *err);
	int (*idem_put)(struct store_conn *c, const struct idem_entry *e, struct kp_err *err);
	int (*idem_purge)(struct store_conn *c, int64_t older_than, struct kp_err *err);
	int (*idem_forget)(struct store_conn *c, const char *prefix, const int64_t *ids, size_t nids, int64_t *n,
	                   struct kp_err *err);
	/* staff protection (issue 3): contracts in store.h */
	int (*notification_insert)(struct store_conn *c, struct wellbeing_notification *n, struct kp_err *err);
	int (*notification_list)(struct store_conn *c, const struct notification_filter *f, struct notification_list *out, struct arena *a, struct kp_err *err);
	int (*notification_ack)(struct store_conn *c, int64_t id, int64_t staff_id, int64_t at, int *acked_now,
	                        struct wellbeing_notification *out, struct arena *a, struct kp_err *err);
	int (*notification_withdraw)(struct store_conn *c, int64_t interaction_id, int64_t *n, struct kp_err *err);
	int (*notification_count)(struct store_conn *c, int64_t customer_id, int64_t since, int64_t *n, struct kp_err *err);
	int (*exposure)(struct store_conn *c, const struct exposure_filter *f, struct exposure_list *out, struct arena *a, struct kp_err *err);
	int (*incident_customers)(struct store_conn *c, int64_t since, int64_t min, int limit, int64_t after_k, int64_t after_id, struct incident_customer_list *out, struct arena *a, struct kp_err *err);
	int (*correction_insert)(struct store_conn *c, struct text_correction *tc, struct kp_err *err);
	int (*correction_list)(struct store_conn *c, int64_t after_id, int limit, struct correction_list *out, struct arena *a, struct kp_err *err);
	int (*policy_get)(struct store_conn *c, struct wellbeing_policy *out, struct arena *a, struct kp_err *err);
	int (*policy_put)(struct store_conn *c, const struct wellbeing_policy *p, struct kp_err *err);
};

/* How many batches the writer has committed since the store was opened (it moves after
 * each COMMIT and before the jobs' done() calls, so before any answer to those writes is
 * sent). A backend keeping a read snapshot open (read_release above) compares it to the
 * value read when the snapshot began. */
uint64_t store_commit_seq(const struct store *s);

extern const struct store_ops store_sqlite_ops;
extern const struct store_ops store_postgres_ops;

#endif
