/*
 * store: what the domain sees of persistence. One interface, two backends (SQLite by
 * default, PostgreSQL for larger installations); the domain never knows which it has.
 *
 * Threads and connections
 *   - struct store is shared by all threads. It owns one writer thread with its own
 *     connection; every write goes through it as a struct store_job.
 *   - Reads run on the caller's thread through store_reader(), a connection private to
 *     that thread (created on first use, closed by store_close()).
 *
 * Durable writes with group commit
 *   store_submit() queues a job and returns at once. The writer takes every job queued
 *   (up to a batch limit), opens one transaction, runs each job inside its own savepoint
 *   (a failing job is rolled back alone), commits once (one fsync for the whole batch),
 *   and then calls each job's done() once that fsync is over: on the writer thread, or,
 *   with the sync pipeline (store.c), on the sync thread while the writer runs the next
 *   batch. done() must not block; the HTTP layer uses it to post the finished request back
 *   to the loop that owns it.
 *   store_exec() is the blocking form for the CLI and tests.
 *
 * Operations are domain-level (store_customer_get), not SQL: each backend owns its SQL.
 * Every operation takes a connection (from store_reader() or the `c` handed to a job's
 * run()), an arena for what it returns, and a struct kp_err; it returns 0 or a negative
 * enum kp_status. KP_ENOTFOUND when a row does not exist, KP_ECONFLICT on a unique key,
 * KP_EPRECONDITION when an expected version does not match, KP_ESTORE otherwise.
 */
#ifndef KP_STORE_STORE_H
#define KP_STORE_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "store/model.h"
#include "util/arena.h"
#include "util/err.h"

struct store;
struct store_conn;

struct store_options {
	int max_batch;     /* jobs per commit at most; 1 = one commit per request (bench baseline) */
	int read_only;     /* open without running migrations or the writer (backup source etc.) */
	int no_migrate;    /* do not run migrations on open */
	int sync_inline;   /* no sync pipeline: each batch is durable before it is visible (store.c) */
};

/* Open "sqlite:PATH" or "postgres://..." / "postgresql://...". Runs migrations unless
 * opts->no_migrate. Starts the writer thread. opts may be NULL (defaults). */
int store_open(const char *url, const struct store_options *opts, struct store **out, struct kp_err *err);
/* The local file a database URL names ("sqlite:var/k.db", "sqlite://var/k.db" -> "var/k.db";
 * a pointer into url), or NULL when it names none (PostgreSQL, an unknown scheme). */
const char *store_local_file(const char *url);
/* The longest one statement may wait for the database's answer from now on, in ms (0, the
 * default: no limit). kumppani serve sets it once the store is open and migrated: a
 * database that stops answering (hung, frozen, cut off with its connection still up) then
 * fails requests as unavailable instead of holding event loops, the writer and shutdown
 * for as long as it is gone. PostgreSQL only; SQLite waits for no other process. */
void store_set_answer_ms(struct store *s, int ms);
/* Finish queued jobs, stop the writer, close every connection, free the store. */
void store_close(struct store *s);
const char *store_backend_name(const struct store *s);
int store_migrate(struct store *s, struct kp_err *err);
/* The applied schema version. */
int store_schema_version(struct store *s, int *version, struct kp_err *err);
/* The schema version the database had before this store's last migrations ran (store_open
 * or store_migrate; 0: a new database), or -1 when none ran (read_only, no_migrate). With
 * store_schema_version after them: what `kumppani migrate` did. */
int store_schema_found(const struct store *s);
/* A consistent online copy (SQLite: backup API into a new SQLite file; PostgreSQL: a
 * JSON dump of every table under one REPEATABLE READ snapshot) at path, a file that must not
 * exist (KP_ECONFLICT; a directory too). It is written under a temporary name in the same
 * directory (owner-only, created exclusively), checked, synced, and only then given the name
 * path without replacing a file that appeared meanwhile, and the directory synced: path
 * never holds a partial or unchecked copy. On failure the temporary file is removed.
 * The temporary file is ".BASE.tmp-XXXXXX" for a path ending in BASE; the backup holds an
 * exclusive flock(2) on it while it runs. One a backup killed outright (SIGKILL, a power
 * cut) left is removed by the next backup to the same name in that directory, as are the
 * -journal and -wal beside it: only such files no running backup holds (it tries a lock
 * that does not wait), regular files of this user, never through a symlink. Each removed
 * file is told to removed(name, arg) (removed may be NULL). */
int store_backup(struct store *s, const char *path, void (*removed)(const char *file, void *arg), void *arg,
                 struct kp_err *err);
/* Remove the temporary file of the backup in progress, if any. Async-signal-safe: for a
 * handler of SIGINT/SIGTERM installed around store_backup() (kumppani backup), which then
 * ends the process. */
void store_backup_abandon(void);
/* Restore a backup of this backend (as store_backup wrote it) into a store opened with
 * no_migrate that holds no data (KP_ECONFLICT otherwise, and nothing changes), then run the
 * migrations. A damaged or foreign file is KP_EINVAL with what and where; a failed restore
 * leaves no rows. *rows (may be NULL): rows restored, -1 when not counted. */
int store_restore(struct store *s, const char *path, long long *rows, struct kp_err *err);

/* Bulk-load mode for a big import (kumppani demo): on = 1 before the load, 0 after it.
 * Call it with no writes queued (it waits for a running batch). While it is on, commits
 * may not be durable, new rows may not be searchable and lookups may be slow until it is
 * turned off. Both backends drop the loaded tables' secondary indexes and build them at
 * the end (SQLite also: synchronous=OFF, full-text indexing on a second thread into a side
 * index, and with no other connection to the file a rollback journal instead of the WAL;
 * PostgreSQL: synchronous_commit off). Turning it off builds what was deferred, restores
 * the normal settings and makes everything durable, so a load that dies halfway leaves a
 * database that opens (its next open finishes the indexes and the search entries) and the
 * load must simply be rerun. KUMPPANI_BULK_NO_SIDE=1 in the environment keeps SQLite's
 * full-text indexing on the writer thread (for comparisons). */
int store_bulk_load(struct store *s, int on, struct kp_err *err);
/* Close the calling thread's read connection, if it has one (the next store_reader() on
 * this thread opens a new one). A bulk load on SQLite can leave the WAL only when no
 * other connection has the file open: kumppani demo calls this before store_bulk_load(). */
void store_reader_close(struct store *s);

/* The calling thread's read connection (created on first use; NULL + err on failure). */
struct store_conn *store_reader(struct store *s, struct kp_err *err);
/* Is the store reachable (for /readyz)? Uses the calling thread's reader. */
int store_ping(struct store *s, struct kp_err *err);

/* One read transaction on a reader connection: every read between store_read_begin() and
 * store_read_end() sees the same snapshot and, on SQLite, shares one WAL read lock instead
 * of taking one per statement. Optional per backend (PostgreSQL: nothing, each statement
 * keeps its own snapshot). After a successful begin the caller must call store_read_end(),
 * on every path; end is harmless after a failed statement. Not for the writer connection.
 *
 * A backend may keep the snapshot open after store_read_end() and continue it at the next
 * store_read_begin() on the same connection, but only while this process has committed
 * nothing since the snapshot began: a read transaction never misses a write whose answer
 * was sent before it began. Writes by other processes (the CLI, a second server) become
 * visible at the next store_read_release(). A kept snapshot is ended by
 * store_read_release(), and by store_reader() when it hands the connection out outside a
 * read transaction, so reads outside store_read_begin/end never run on an old snapshot.
 *
 * store_read_snapshot() is store_reader() + store_read_begin() without ending a kept
 * snapshot first (the way to continue one). store_read_release() ends the calling
 * thread's kept snapshot, if any; call it when the thread is about to go idle (the HTTP
 * loop: after each event-loop iteration), so no snapshot outlives a burst of requests
 * or holds back WAL checkpoints. */
int store_read_begin(struct store_conn *c, struct kp_err *err);
void store_read_end(struct store_conn *c);
struct store_conn *store_read_snapshot(struct store *s, struct kp_err *err);
void store_read_release(struct store *s);

struct store_job {
	/* Runs on the writer thread inside a savepoint of the batch transaction; returns 0 or
	 * a negative status (then the savepoint is rolled back). Must not block on anything
	 * but the store. */
	int (*run)(struct store_conn *c, void *arg, struct kp_err *err);
	/* Called on the writer or the sync thread once the batch is committed and durable
	 * (rc = 0) or failed (rc and err say why: the job's own error, the commit's or the
	 * sync's). A batch's jobs are reported in the order they ran, and committed batches in
	 * commit order; a failed batch may be reported before earlier ones still waiting for
	 * their fsync. done() must not call store_exec() or store_bulk_load(). */
	void (*done)(void *arg, int rc, const struct kp_err *err);
	void *arg;
	/* Private to the store. */
	struct store_job *next;
	int rc;
	struct kp_err err;
};

/* Queue a job; 0, or KP_EUNAVAILABLE when the store is closing. The job memory belongs to
 * the caller and must stay valid until done() has been called. */
int store_submit(struct store *s, struct store_job *job);
/* Run fn inside its own transaction on the writer and wait for the commit. */
int store_exec(struct store *s, int (*fn)(struct store_conn *c, void *arg, struct kp_err *err), void *arg,
	       struct kp_err *err);

/* Counters for /metrics: how many commits and how many jobs they carried, and a histogram
 * of batch sizes (buckets: 1, 2-4, 5-16, 17-64, 65+); syncs: the sync pipeline's fsyncs
 * (each covers one or more commits; 0 without the pipeline). page_cache_bytes: the page
 * caches this process holds for the store (SQLite: the writer's and every reader's, as each
 * connection's thread last saw it; 0 for PostgreSQL), so that memory can be told apart
 * from the cache (make bench subtracts it). */
struct store_stats {
	uint64_t commits, jobs, failed_commits;
	uint64_t syncs, failed_syncs;
	uint64_t batch_hist[5];
	int64_t page_cache_bytes;
};
void store_get_stats(struct store *s, struct store_stats *out);

/* ---- lists and pagination ------------------------------------------------------------ */

/* Keyset pagination: results after (after_key, after_id) in the chosen order. after_key is
 * the sort column's value as text (a number in decimal for numeric columns). */
struct store_page {
	int limit;         /* 1..200, the domain checks */
	int sort;          /* enum store_sort */
	int desc;
	int has_after;
	const char *after_key;
	int64_t after_id;
};

enum store_sort { STORE_SORT_ID = 0, STORE_SORT_NAME, STORE_SORT_CREATED, STORE_SORT_UPDATED, STORE_SORT_OCCURRED };

/* A custom field value a list keeps (GET /customers?custom[tier]=gold): the record's value
 * under key is a JSON string equal to str (text, date and choice fields; case and bytes as
 * stored), a number equal to num (3 matches 3.0), or the boolean yes; or (PRESENT) there is a
 * value under key, of any type. A value of another JSON type never matches. key is a field key
 * (^[a-z][a-z0-9_]{0,62}$); at most STORE_CUSTOM_MATCH_MAX per list, all of them kept. Lists test each record's stored
 * JSON, with no index: the other filters narrow first. */
enum custom_match_type { CUSTOM_MATCH_STRING, CUSTOM_MATCH_NUMBER, CUSTOM_MATCH_BOOL, CUSTOM_MATCH_PRESENT };
struct custom_match {
	const char *key;
	enum custom_match_type type;
	const char *str;
	double num;
	int yes;
};
#define STORE_CUSTOM_MATCH_MAX 4

struct customer_filter {
	const char *name_prefix; /* prefix of the name, keyed as the name sort is (case aside, é as
	                          * e, ü as y...), or NULL */
	const char *tag;         /* has this tag */
	const char *email;       /* has this (normalised) e-mail */
	const char *phone;       /* has this (normalised) phone */
	int64_t org_id, owner_id;
	int64_t updated_after;   /* ms, 0 = no bound */
	int flags;               /* all these flag bits set */
	int flags_clear;         /* none of these flag bits set */
	int include_merged;
	const struct custom_match *custom; /* ncustom of them, all kept */
	size_t ncustom;
};

struct org_filter {
	const char *name_prefix;
	const char *tag;
	const char *business_id;
	const char *phone; /* has this (normalised) phone number */
	int64_t owner_id;
	int64_t updated_after; /* ms; 0 = any */
	const struct custom_match *custom; /* ncustom of them, all kept */
	size_t ncustom;
};

struct interaction_filter {
	int64_t customer_id, org_id, staff_id; /* 0 = any */
	const char *kind, *direction;          /* NULL = any */
	int64_t from, to;                      /* occurred_at bounds in ms, 0 = open */
	int64_t updated_after;                 /* ms; updated_at after it, 0 = any */
	int abusive_only;
	/* the team the staff-protection policy routed the message to (its analysis'
	 * routed_to_team, a column the stores derive from it and index); NULL = any */
	const char *routed_to_team;
};

struct staff_filter {
	int64_t updated_after; /* ms; updated_at after it, 0 = any */
};

struct audit_filter {
	const char *entity;
	int64_t entity_id, actor_id;
	const char *action;
	int64_t since; /* ms, 0 = open */
	int64_t before_id; /* newest first: entries with id < before_id (0 = from newest) */
	int limit;
	int unredacted; /* only entries never redacted (redacted_at 0) */
};

/* A list result: items[0..n) from the arena; more = there is at least one further row. */
struct customer_list { struct customer *items; size_t n; int more; };
struct org_list { struct organization *items; size_t n; int more; };
struct interaction_list { struct interaction *items; size_t n; int more; };
struct note_list { struct note *items; size_t n; int more; };
struct staff_list { struct staff *items; size_t n; int more; };
struct token_list { struct api_token *items; size_t n; int more; };
struct field_def_list { struct field_def *items; size_t n; int more; };
struct audit_list { struct audit_entry *items; size_t n; int more; };
struct search_result { struct search_hit *items; size_t n; int more; };

/* ---- operations ---------------------------------------------------------------------- */
/* Inserts set rec->id, version (1), created_at and updated_at (now, unless the caller set
 * created_at) in the struct passed. Updates take the version the caller read: if the row
 * has another version the update fails with KP_EPRECONDITION; on success rec->version and
 * updated_at hold the new values. Pass expected_version 0 to skip the check. */

/* staff */
int store_staff_insert(struct store_conn *c, struct staff *st, struct kp_err *err);
int store_staff_get(struct store_conn *c, int64_t id, struct staff *out, struct arena *a, struct kp_err *err);
int store_staff_get_by_email(struct store_conn *c, const char *email, struct staff *out, struct arena *a,
			     struct kp_err *err);
int store_staff_update(struct store_conn *c, struct staff *st, int64_t expected_version, struct kp_err *err);
/* f may be NULL (every staff member). */
int store_staff_list(struct store_conn *c, const struct staff_filter *f, const struct store_page *pg,
                     struct staff_list *out, struct arena *a, struct kp_err *err);
int store_staff_count(struct store_conn *c, int64_t *n, struct kp_err *err);
/* Active admins (ROLE_ADMIN) but the account except_id (0: none excepted), counted into *n:
 * one query, for the check before each insert or demotion (domain_staff_active_admins). */
int store_staff_active_admins(struct store_conn *c, int64_t except_id, int64_t *n, struct kp_err *err);

/* api tokens */
int store_token_insert(struct store_conn *c, struct api_token *t, struct kp_err *err);
/* Only tokens not revoked; sets last_used_at = now in passing is NOT done here (reads are
 * read-only): see store_token_touch. */
int store_token_get_by_hash(struct store_conn *c, const char *hash, struct api_token *out, struct arena *a,
			    struct kp_err *err);
int store_token_list(struct store_conn *c, int64_t staff_id, struct token_list *out, struct arena *a,
		     struct kp_err *err);
int store_token_revoke(struct store_conn *c, int64_t id, int64_t staff_id, struct kp_err *err);
int store_token_touch(struct store_conn *c, int64_t id, int64_t at, struct kp_err *err);

/* browser sessions */
int store_session_insert(struct store_conn *c, const struct session *se, struct kp_err *err);
int store_session_get(struct store_conn *c, const char *id_hash, struct session *out, struct arena *a,
		      struct kp_err *err);
int store_session_delete(struct store_conn *c, const char *id_hash, struct kp_err *err);
/* Delete every session of a staff member except keep_id_hash (NULL: all). */
int store_session_delete_for_staff(struct store_conn *c, int64_t staff_id, const char *keep_id_hash,
				   struct kp_err *err);

/* organisations */
int store_org_insert(struct store_conn *c, struct organization *o, struct kp_err *err);
int store_org_get(struct store_conn *c, int64_t id, struct organization *out, struct arena *a, struct kp_err *err);
int store_org_update(struct store_conn *c, struct organization *o, int64_t expected_version, struct kp_err *err);
/* Fails with KP_ECONFLICT while customers belong to it. */
int store_org_delete(struct store_conn *c, int64_t id, int64_t expected_version, struct kp_err *err);
int store_org_list(struct store_conn *c, const struct org_filter *f, const struct store_page *pg,
		   struct org_list *out, struct arena *a, struct kp_err *err);

/* customers (contacts and tags are stored and replaced with the record) */
int store_customer_insert(struct store_conn *c, struct customer *cu, struct kp_err *err);
int store_customer_get(struct store_conn *c, int64_t id, struct customer *out, struct arena *a, struct kp_err *err);
/* The record's own columns only, for a write on the customer's behalf (an interaction's
 * insert checks it is live and takes its organisation, flags and name): id, name, org_id,
 * owner_id, merged_into, flags, version, created_at, updated_at. No contacts, no tags,
 * custom_json NULL. KP_ENOTFOUND as store_customer_get. One row read instead of three
 * lookups; a backend without it answers with store_customer_get. */
int store_customer_get_brief(struct store_conn *c, int64_t id, struct customer *out, struct arena *a,
			     struct kp_err *err);
int store_customer_update(struct store_conn *c, struct customer *cu, int64_t expected_version, struct kp_err *err);
/* Set only the custom values of a customer or an organisation (entity "customer" or
 * "organization"): a new version and updated_at (into *version, *updated_at), nothing else
 * rewritten (custom values are in no search entry). expected_version 0 = unchecked; else as
 * an update (KP_EPRECONDITION / KP_ENOTFOUND). For values no definition takes any more. */
int store_custom_set(struct store_conn *c, const char *entity, int64_t id, const char *custom_json,
                     int64_t expected_version, int64_t *version, int64_t *updated_at, struct kp_err *err);
/* Deletes the customer with its contacts, tags, notes and interactions. */
int store_customer_delete(struct store_conn *c, int64_t id, int64_t expected_version, struct kp_err *err);
int store_customer_list(struct store_conn *c, const struct customer_filter *f, const struct store_page *pg,
			struct customer_list *out, struct arena *a, struct kp_err *err);
int store_customer_count(struct store_conn *c, int64_t *n, struct kp_err *err);
/* The ids, ascending and after after_id, of at most max customers (entity "customer",
 * tombstones too) with an e-mail contact point, organisations ("organization") with an
 * e-mail, or staff members ("staff") whose e-mail, holds "xn--": addresses stored before such
 * domains were spelt in letters (domain/customer.h customer_email_backfill, domain/staff.h
 * domain_staff_email_backfill), or kept so as another account has the address in letters.
 * Customers and organisations are read through a partial index of just those rows, so a
 * database without any costs one index probe; staff, a small table, by a scan. *n: how many
 * in ids. */
int store_email_idn_ids(struct store_conn *c, const char *entity, int64_t after_id, size_t max, int64_t *ids, size_t *n,
                        struct kp_err *err);
/* The ids, ascending and after after_id, of at most max tombstones (customers merged away):
 * into > 0, those merged into customer `into` (a merge re-points earlier ones, so these are
 * all that lead to it; read through the index of merged customers); into == 0, those whose
 * merged_into is no customer that is there and not merged itself - left by a delete of the
 * survivor before a delete took its tombstones with it (customer_tombstone_repair), and what
 * a backup refuses. *n: how many in ids. */
int store_customer_tombstones(struct store_conn *c, int64_t into, int64_t after_id, size_t max, int64_t *ids, size_t *n,
                              struct kp_err *err);
/* Move every note and interaction of `from` to `into`, and mark `from` merged_into =
 * into (version + 1). Contacts, tags and custom values are merged by the domain, which
 * then updates `into` itself. */
int store_customer_merge(struct store_conn *c, int64_t from, int64_t into, struct kp_err *err);

/* custom field definitions */
int store_field_insert(struct store_conn *c, struct field_def *fd, struct kp_err *err);
int store_field_get(struct store_conn *c, int64_t id, struct field_def *out, struct arena *a, struct kp_err *err);
int store_field_update(struct store_conn *c, struct field_def *fd, int64_t expected_version, struct kp_err *err);
int store_field_delete(struct store_conn *c, int64_t id, int64_t expected_version, struct kp_err *err);
/* entity NULL = all; ordered by entity, key. */
int store_field_list(struct store_conn *c, const char *entity, struct field_def_list *out, struct arena *a,
		     struct kp_err *err);

/* notes */
int store_note_insert(struct store_conn *c, struct note *n, struct kp_err *err);
int store_note_get(struct store_conn *c, int64_t id, struct note *out, struct arena *a, struct kp_err *err);
int store_note_update(struct store_conn *c, struct note *n, int64_t expected_version, struct kp_err *err);
int store_note_delete(struct store_conn *c, int64_t id, int64_t expected_version, struct kp_err *err);
/* Newest first; exactly one of customer_id / org_id non-zero. */
int store_note_list(struct store_conn *c, int64_t customer_id, int64_t org_id, const struct store_page *pg,
		    struct note_list *out, struct arena *a, struct kp_err *err);

/* interactions (the timeline) */
int store_interaction_insert(struct store_conn *c, struct interaction *it, struct kp_err *err);
int store_interaction_get(struct store_conn *c, int64_t id, struct interaction *out, struct arena *a,
			  struct kp_err *err);
int store_interaction_update(struct store_conn *c, struct interaction *it, int64_t expected_version,
			     struct kp_err *err);
int store_interaction_delete(struct store_conn *c, int64_t id, int64_t expected_version, struct kp_err *err);
/* Set an interaction's analysis_json, abusive, search_summary and search_body (and what search
 * indexes for it): it->id, those four, and the fields the index reads (summary, body,
 * customer_id). stamp 0: no new version, for what no read shows (the search text of messages
 * stored before search indexed masked text, protect_search_backfill()); stamp > 0: a new
 * version with updated_at = stamp, written only while the record is at it->version
 * (KP_ECONFLICT, nothing written, otherwise), for an analysis reads show (outbound messages
 * stored before outbound texts were analysed, masked from then on: protect_staff_backfill()),
 * so that a revalidating reader and an updated_after syncer see the change. */
int store_interaction_search_set(struct store_conn *c, const struct interaction *it, int64_t stamp, struct kp_err *err);
/* The same for a note: its analysis_json, abusive and search_body, and what search indexes
 * for it (n->id, body, customer_id / org_id); stamp and n->version as above. */
int store_note_search_set(struct store_conn *c, const struct note *n, int64_t stamp, struct kp_err *err);
/* The ids, ascending and after after_id, of at most max staff-authored texts not analysed yet
 * (entity "interaction": outbound interactions with no analysis_json; "note": notes with
 * none): stored before staff-authored texts were analysed, or bulk-loaded. Read through
 * partial indexes of just those rows, so a database without any costs an index probe. *n:
 * how many in ids. */
int store_unanalysed_ids(struct store_conn *c, const char *entity, int64_t after_id, size_t max, int64_t *ids,
                         size_t *n, struct kp_err *err);
/* How many interactions f lists, counted up to max (0: no bound) - a count past max is max. */
int store_interaction_count(struct store_conn *c, const struct interaction_filter *f, int64_t max, int64_t *n,
                            struct kp_err *err);
/* Newest first by occurred_at, then id (pg->sort is STORE_SORT_OCCURRED). */
int store_interaction_list(struct store_conn *c, const struct interaction_filter *f, const struct store_page *pg,
			   struct interaction_list *out, struct arena *a, struct kp_err *err);

/* Other forms of a search query's words: a text with any of a word's forms counts as having
 * the word (the domain fills them from text_word_forms(): Finnish inflection that the stores'
 * Snowball stems miss, "Helsinki" -> "helsingin"). words[i] is for each word of the query, as
 * the stores split it at white space, equal to words[i].word; a form is one word of letters.
 * The caller owns everything; NULL: the query's own words only. */
struct search_word_forms {
	const char *word;
	size_t n;
	const char *const *form;
};
struct search_forms {
	size_t n;
	const struct search_word_forms *words;
};

/* full-text search over customers, organisations, interactions and notes; understands
 * Finnish inflection ("Virtasen lasku" finds "Virtanen" and "laskut"; forms widen a word
 * further). Hits best first (ties in a fixed order, so pages do not overlap); offset skips that
 * many (0 to STORE_SEARCH_OFFSET_MAX: paging deeper than that is a query to narrow, KP_EINVAL). */
#define STORE_SEARCH_OFFSET_MAX 1000
int store_search(struct store_conn *c, const char *q, const struct search_forms *forms, int limit, int offset,
                 struct search_result *out, struct arena *a, struct kp_err *err);
/* Would store_search(q, forms) find a document whose only text is text (its words, wherever
 * they stand)? For a hit that staff are shown changed (an abusive interaction, masked): it is
 * listed only when what they see matches too, so a search cannot confirm a hidden word.
 * *matches: 1 or 0. */
int store_search_text_matches(struct store_conn *c, const char *q, const struct search_forms *forms, const char *text,
                              int *matches, struct kp_err *err);

/* audit log (append-only) */
int store_audit_insert(struct store_conn *c, struct audit_entry *e, struct kp_err *err);
/* Append e[0..n) in this order, as store_audit_insert() would one by one (each e[i].id and
 * .at set; at 0 is now), STORE_AUDIT_SET_MAX at a time in one statement (PostgreSQL: one
 * round trip; SQLite: one prepared statement stepped per entry, which costs no more). All
 * or nothing within the caller's job, as any write. */
#define STORE_AUDIT_SET_MAX 500
int store_audit_insert_set(struct store_conn *c, struct audit_entry *e, size_t n, struct kp_err *err);
int store_audit_list(struct store_conn *c, const struct audit_filter *f, struct audit_list *out, struct arena *a,
		     struct kp_err *err);

/* Erasure (GDPR art. 17, customer_erase() in domain/erase.h) reads the entries to redact a
 * page at a time: those of entity whose entity_id is one of ids[0..nids), never redacted
 * (redacted_at 0), with an id above after_id, oldest first, at most limit (1 to
 * STORE_AUDIT_PAGE_MAX); out->more when there are further ones (the next page: after_id =
 * the last id). A lookup by the entity index per id: ids is a bounded slice (a few hundred),
 * the caller walks a long list of them slice by slice. */
#define STORE_AUDIT_PAGE_MAX 1000
int store_audit_unredacted(struct store_conn *c, const char *entity, const int64_t *ids, size_t nids, int64_t after_id,
                           int limit, struct audit_list *out, struct arena *a, struct kp_err *err);
/* One entry's redaction: its changes_json as the domain redacted it. */
struct audit_redaction {
	int64_t id;
	const char *changes_json;
};
/* The only change an audit entry ever undergoes: for each of r[0..n), replace entry id's
 * changes_json with the one given and set its redacted_at to at, if it was never redacted
 * (an entry already redacted, or none with that id, is left as it is); ids distinct. One
 * statement for the whole set on both backends (PostgreSQL: one round trip; SQLite: one
 * statement journal for the set, not one per entry). *done (may be NULL): how many were
 * changed. Every other column stays: who did what, when, to which record. The stores refuse
 * any other update or delete of an entry (SQLite and PostgreSQL triggers), so a set is
 * changed whole or not at all. */
int store_audit_redact_set(struct store_conn *c, const struct audit_redaction *r, size_t n, int64_t at, int64_t *done,
                           struct kp_err *err);
/* The ids of the notes or interactions (entity "note" / "interaction") whose audit entries say
 * they belonged to customer_id: a create entry naming it as the new "customer_id", a delete
 * entry as the old one (a note or message deleted on its own leaves no other trace of its
 * customer). A lookup in an index of those entries by the customer they name (SQLite
 * migration 19, PostgreSQL 16), not a scan of the log. *ids from the arena (NULL when none),
 * ascending. */
int store_audit_customer_children(struct store_conn *c, const char *entity, int64_t customer_id, int64_t **ids,
                                  size_t *n, struct arena *a, struct kp_err *err);

/* What an erasure cuts loose besides the audit log: customers and interactions, ids each
 * ascending. */
struct erase_ids {
	const int64_t *customers, *interactions;
	size_t ncustomers, ninteractions;
};
struct erase_links {
	int64_t notifications; /* incidents detached: customer_id and interaction_id now none */
	int64_t *corrections;  /* text corrections of those interactions deleted (their words), ids */
	size_t ncorrections;
};
/* Incidents of those customers or interactions keep their staff member, team, categories and
 * times (the staff's exposure counts) but point at no customer and no message any more; text
 * corrections of those interactions (which hold the message's words) are deleted. *out's
 * arrays from the arena. Running it again changes nothing (counts 0). */
int store_erase_links(struct store_conn *c, const struct erase_ids *ids, struct erase_links *out, struct arena *a,
                      struct kp_err *err);

/* idempotency keys (kept 24 h; older ones are purged by the writer now and then) */
int store_idem_get(struct store_conn *c, int64_t staff_id, const char *key, struct idem_entry *out,
		   struct arena *a, struct kp_err *err);
int store_idem_put(struct store_conn *c, const struct idem_entry *e, struct kp_err *err);
int store_idem_purge(struct store_conn *c, int64_t older_than, struct kp_err *err);
/* Erasure: delete the stored answers whose Location or subject (struct idem_entry) is prefix
 * followed by one of ids in decimal ("/api/v1/customers/" and 7: the answer to the POST that
 * created customer 7, or to a merge into it, which holds its data); a replay of such a key
 * then runs as one whose answer expired. *n (may be NULL): how many. */
int store_idem_forget(struct store_conn *c, const char *prefix, const int64_t *ids, size_t nids, int64_t *n,
                      struct kp_err *err);

/* ---- staff protection (issue 3) ------------------------------------------------------- */

enum exposure_period { EXPOSURE_DAY = 0, EXPOSURE_WEEK = 1, EXPOSURE_MONTH = 2 };

struct notification_filter {
	int unacked_only;
	int64_t customer_id;  /* 0 = any */
	int64_t before_id;    /* newest first: id < before_id (0 = from newest) */
	int limit;
	int severe_only;      /* categories include "severe" */
	const char *team;     /* the recipient's team, exactly; NULL = any */
	const char *routed_to_team; /* the team the message was routed to, exactly; NULL = any */
};
struct exposure_filter {
	int period;            /* enum exposure_period */
	int64_t from, to;      /* occurred_at bounds in ms, 0 = open; to is exclusive */
	int64_t staff_id;      /* 0 = everyone */
	const char *team;      /* NULL = every team */
};
struct notification_list { struct wellbeing_notification *items; size_t n; int more; };
struct correction_list { struct text_correction *items; size_t n; int more; };
struct exposure_list { struct exposure_row *items; size_t n; int more; };
struct incident_customer_list { struct incident_customer *items; size_t n; int more; };

/* Incidents: insert sets id and created_at (now). Listed newest first. ack sets acked_at /
 * acked_by once (KP_ENOTFOUND when there is no such notification; acknowledging again keeps
 * the first acknowledgement and returns 0); *acked_now (may be NULL): 1 if this call set it, 0
 * if it was acknowledged before; *out (may be NULL) gets the row. */
int store_notification_insert(struct store_conn *c, struct wellbeing_notification *n, struct kp_err *err);
int store_notification_list(struct store_conn *c, const struct notification_filter *f,
			    struct notification_list *out, struct arena *a, struct kp_err *err);
int store_notification_ack(struct store_conn *c, int64_t id, int64_t staff_id, int64_t at, int *acked_now,
                           struct wellbeing_notification *out, struct arena *a, struct kp_err *err);
/* Withdraw the incidents of interaction_id (its text was edited into no incident): they leave
 * the notifications, exposure and the policy's counts. *n (may be NULL): how many. */
int store_notification_withdraw(struct store_conn *c, int64_t interaction_id, int64_t *n, struct kp_err *err);
/* Incidents of a customer with occurred_at >= since. */
int store_notification_count(struct store_conn *c, int64_t customer_id, int64_t since, int64_t *n,
			     struct kp_err *err);
/* Counts of incidents by (bucket, staff_id, team), ordered by bucket, staff_id, team; at most
 * 10,000 rows (more = 1 beyond). A bucket is the first day ("YYYY-MM-DD") of its calendar
 * day, week (from Monday) or month in the server's zone, time_zone() (util/timeutil.h). */
int store_exposure(struct store_conn *c, const struct exposure_filter *f, struct exposure_list *out, struct arena *a,
		   struct kp_err *err);
/* Customers with at least min incidents since `since` (0: ever), most incidents first, then by
 * id (limit rows); after_k > 0: only those after the customer after_id with after_k incidents
 * in that order (the next page). */
int store_incident_customers(struct store_conn *c, int64_t since, int64_t min, int limit, int64_t after_k,
			     int64_t after_id, struct incident_customer_list *out, struct arena *a,
			     struct kp_err *err);
/* Corrections: insert sets id and created_at (unless set). list: oldest first, id > after_id,
 * at most limit (1..10,000). */
int store_correction_insert(struct store_conn *c, struct text_correction *tc, struct kp_err *err);
int store_correction_list(struct store_conn *c, int64_t after_id, int limit, struct correction_list *out,
			  struct arena *a, struct kp_err *err);
/* The policy (defaults when never set: threshold 3, 30 days, no team). put replaces it. */
int store_policy_get(struct store_conn *c, struct wellbeing_policy *out, struct arena *a, struct kp_err *err);
int store_policy_put(struct store_conn *c, const struct wellbeing_policy *p, struct kp_err *err);

#endif
