/*
 * Full-text search on SQLite: the search_fts entries the ops keep in step (rowid = id * 4
 * + kind), and store_search. Query words are ANDed; the last one is also matched as a
 * prefix (search as you type). The "kumppani" tokenizer (fts.c) stems both sides, so an
 * inflected query finds the base form and vice versa. Ranking is bm25 with the title
 * (name, summary) weighted above the body. Snippets mark matches with [ and ].
 */
#include <stdlib.h>
#include <string.h>

#include "store/sqlite/sq_int.h"
#include "store/sqlite/fts.h"
#include "util/buf.h"

#define SQ_QUERY_MAX 2048

/*
 * Search upkeep on the writer goes through a queue: inside a transaction the ops do not
 * touch search_fts but append to temp.search_queue (seq, rid, op, texts). FTS5 writes its
 * pending terms out on every SAVEPOINT once a transaction has used it, and the writer runs
 * one savepoint per job, so touching it per job cost a tiny segment per job. A rolled-back
 * job savepoint takes its queue rows with it. sq_fts_flush() (the before_commit op) moves
 * the queue into search_fts once per batch, in rowid order, just before COMMIT and in the
 * same transaction, so a committed write is searchable at once. (A bulk load flushes per
 * batch too: deferring every entry to one pass at the end measured slower.)
 * op: 0 delete, 1 replace (delete any old entry, insert), 2 insert (a row just created).
 */
#define SQ_Q_DEL SQ_FTS_OP_DEL
#define SQ_Q_REPLACE SQ_FTS_OP_REPLACE
#define SQ_Q_NEW SQ_FTS_OP_NEW

/* A change during a bulk load with a side index (search_side.c): the writer keeps
 * search_fts's content table itself (the side index is contentless, and only its index
 * is copied at the end) and hands the change, with the old text for a delete, to the
 * side thread. In the open transaction, so a rolled-back job takes its rows with it (and
 * sq_side_rewind its staged changes). */
static int sq_fts_side_change(struct sq_conn *c, int64_t rid, int op, const char *title, const char *body,
			      const char *context, struct kp_err *err)
{
	const char *cols[3] = { title, body, context };
	struct arena a = ARENA_INIT;
	const char *old[3] = { NULL, NULL, NULL };
	int has_old = 0, rc = 0;
	sqlite3_stmt *st;

	if (op != SQ_FTS_OP_NEW) {
		st = sq_prep_lit(c, "SELECT c0, c1, c2 FROM search_fts_content WHERE id = ?1", err);
		if (!st)
			return err ? err->status : KP_ESTORE;
		sqlite3_bind_int64(st, 1, rid);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			has_old = 1;
			for (int i = 0; i < 3; i++)
				old[i] = sq_col_text(st, i, &a);
			rc = 0;
		} else if (rc == SQLITE_DONE) {
			rc = 0;
		} else {
			rc = sq_fail(c, rc, "search content", err);
		}
		sq_done(st);
		if (!rc && has_old) {
			st = sq_prep_lit(c, "DELETE FROM search_fts_content WHERE id = ?1", err);
			if (!st) {
				rc = err ? err->status : KP_ESTORE;
			} else {
				sqlite3_bind_int64(st, 1, rid);
				rc = sq_exec1(c, st, "search content", err);
			}
		}
	}
	if (!rc && op != SQ_FTS_OP_DEL) {
		st = sq_prep_lit(c, "INSERT INTO search_fts_content(id, c0, c1, c2) VALUES (?1, ?2, ?3, ?4)", err);
		if (!st) {
			rc = err ? err->status : KP_ESTORE;
		} else {
			sqlite3_bind_int64(st, 1, rid);
			for (int i = 0; i < 3; i++)
				sq_bind_text(st, 2 + i, cols[i] ? cols[i] : "");
			rc = sq_exec1(c, st, "search content", err);
		}
	}
	if (!rc)
		rc = sq_side_stage(c, rid, op, has_old ? old : NULL, cols, err);
	arena_release(&a);
	return rc;
}

static int sq_fts_queued(struct sq_conn *c)
{
	return c->fts_queue && !sqlite3_get_autocommit(c->db);
}

int sq_fts_queue_init(struct sq_conn *c, struct kp_err *err)
{
	char *msg = NULL;
	int rc = sqlite3_exec(c->db,
			      "CREATE TEMP TABLE IF NOT EXISTS search_queue (seq INTEGER PRIMARY KEY, rid INTEGER NOT NULL,"
			      " op INTEGER NOT NULL, title TEXT, body TEXT, context TEXT)",
			      NULL, NULL, &msg);

	if (rc != SQLITE_OK) {
		kp_err_set(err, KP_ESTORE, "create the search queue: %s", msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		return KP_ESTORE;
	}
	c->fts_queue = 1;
	return 0;
}

int sq_fts_put(struct sq_conn *c, int kind, int64_t id, int is_new, const char *title, const char *body,
	       const char *context, struct kp_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if (c->side)
		return sq_fts_side_change(c, id * 4 + kind, is_new ? SQ_Q_NEW : SQ_Q_REPLACE, title, body, context, err);
	if (sq_fts_queued(c)) {
		SQ_PREP_OR_FAIL(st, c,
				"INSERT INTO temp.search_queue(rid, op, title, body, context) VALUES (?1, ?2, ?3, ?4, ?5)",
				err);
		sqlite3_bind_int64(st, 1, id * 4 + kind);
		sqlite3_bind_int(st, 2, is_new ? SQ_Q_NEW : SQ_Q_REPLACE);
		sq_bind_text(st, 3, title ? title : "");
		sq_bind_text(st, 4, body ? body : "");
		sq_bind_text(st, 5, context ? context : "");
		return sq_exec1(c, st, "queue for search", err);
	}
	if (!is_new && (rc = sq_fts_del(c, kind, id, err)))
		return rc;
	SQ_PREP_OR_FAIL(st, c, "INSERT INTO search_fts(rowid, title, body, context) VALUES (?1, ?2, ?3, ?4)", err);
	sqlite3_bind_int64(st, 1, id * 4 + kind);
	sq_bind_text(st, 2, title ? title : "");
	sq_bind_text(st, 3, body ? body : "");
	sq_bind_text(st, 4, context ? context : "");
	return sq_exec1(c, st, "index for search", err);
}

int sq_fts_del(struct sq_conn *c, int kind, int64_t id, struct kp_err *err)
{
	sqlite3_stmt *st;

	if (c->side)
		return sq_fts_side_change(c, id * 4 + kind, SQ_Q_DEL, NULL, NULL, NULL, err);
	if (sq_fts_queued(c)) {
		SQ_PREP_OR_FAIL(st, c, "INSERT INTO temp.search_queue(rid, op) VALUES (?1, 0)", err);
		sqlite3_bind_int64(st, 1, id * 4 + kind);
		return sq_exec1(c, st, "queue for search", err);
	}
	SQ_PREP_OR_FAIL(st, c, "DELETE FROM search_fts WHERE rowid = ?1", err);
	sqlite3_bind_int64(st, 1, id * 4 + kind);
	return sq_exec1(c, st, "remove from search", err);
}

/* For a bulk load's side index: run sql (a literal; ?1 = id) and stage each row as a
 * change op - columns rid, and title, body, context unless op is SQ_Q_DEL. */
static int sq_fts_side_select(struct sq_conn *c, const char *sql, int64_t id, int op, const char *what,
			      struct kp_err *err)
{
	sqlite3_stmt *st = sq_prep_lit(c, sql, err);
	int rc, ret = 0;

	if (!st)
		return err ? err->status : KP_ESTORE;
	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (op == SQ_Q_DEL)
			ret = sq_fts_side_change(c, sqlite3_column_int64(st, 0), op, NULL, NULL, NULL, err);
		else
			ret = sq_fts_side_change(c, sqlite3_column_int64(st, 0), op, (const char *)sqlite3_column_text(st, 1),
						 (const char *)sqlite3_column_text(st, 2),
						 (const char *)sqlite3_column_text(st, 3), err);
		if (ret)
			break;
	}
	if (!ret && rc != SQLITE_DONE)
		ret = sq_fail(c, rc, what, err);
	sq_done(st);
	return ret;
}

/* Run sqls[0] (direct) or sqls[1] (queued), each binding ?1 = id; with a side index,
 * stage the deletes of sqls[2]'s rowids. */
static int sq_fts_run2(struct sq_conn *c, const char *const sqls[3], int64_t id, const char *what, struct kp_err *err)
{
	sqlite3_stmt *st;

	if (c->side)
		return sq_fts_side_select(c, sqls[2], id, SQ_Q_DEL, what, err);
	SQ_PREP_OR_FAIL(st, c, sqls[sq_fts_queued(c) ? 1 : 0], err);
	sqlite3_bind_int64(st, 1, id);
	return sq_exec1(c, st, what, err);
}

int sq_fts_del_customer_history(struct sq_conn *c, int64_t customer_id, struct kp_err *err)
{
	static const char *const sqls[3] = {
		"DELETE FROM search_fts WHERE rowid IN (SELECT id * 4 + 2 FROM interactions WHERE customer_id = ?1"
		" UNION ALL SELECT id * 4 + 3 FROM notes WHERE customer_id = ?1)",
		"INSERT INTO temp.search_queue(rid, op) SELECT id * 4 + 2, 0 FROM interactions WHERE customer_id = ?1"
		" UNION ALL SELECT id * 4 + 3, 0 FROM notes WHERE customer_id = ?1",
		"SELECT id * 4 + 2 FROM interactions WHERE customer_id = ?1"
		" UNION ALL SELECT id * 4 + 3 FROM notes WHERE customer_id = ?1",
	};
	return sq_fts_run2(c, sqls, customer_id, "delete customer history from search", err);
}

int sq_fts_del_org_notes(struct sq_conn *c, int64_t org_id, struct kp_err *err)
{
	static const char *const sqls[3] = {
		"DELETE FROM search_fts WHERE rowid IN (SELECT id * 4 + 3 FROM notes WHERE org_id = ?1)",
		"INSERT INTO temp.search_queue(rid, op) SELECT id * 4 + 3, 0 FROM notes WHERE org_id = ?1",
		"SELECT id * 4 + 3 FROM notes WHERE org_id = ?1",
	};
	return sq_fts_run2(c, sqls, org_id, "delete organisation notes from search", err);
}

/* Move the queue into search_fts: per rowid, the last queued state wins; the old entry is
 * deleted unless the first queued op created the row (then none existed). Rowids go in
 * ascending order, which lets FTS5 keep everything in one pending segment. */
int sq_fts_flush(struct store_conn *sc, struct kp_err *err)
{
	struct sq_conn *c = SQ_C(sc);
	sqlite3_stmt *q, *del, *ins, *cnt;
	int64_t n;
	int rc, ret = 0;

	if (!c->fts_queue)
		return 0;
	/* empty? (max(seq) is O(log n); count(*) would walk the table) */
	SQ_PREP_OR_FAIL(cnt, c, "SELECT coalesce(max(seq), 0) FROM temp.search_queue", err);
	rc = sqlite3_step(cnt);
	if (rc != SQLITE_ROW) {
		ret = sq_fail(c, rc, "search queue", err);
		sq_done(cnt);
		return ret;
	}
	n = sqlite3_column_int64(cnt, 0);
	sq_done(cnt);
	if (n == 0)
		return 0;
	SQ_PREP_OR_FAIL(q, c,
			"SELECT g.rid, f.op, l.op, l.title, l.body, l.context FROM"
			" (SELECT rid, min(seq) AS fs, max(seq) AS ls FROM temp.search_queue GROUP BY rid) g"
			" JOIN temp.search_queue f ON f.seq = g.fs JOIN temp.search_queue l ON l.seq = g.ls ORDER BY g.rid",
			err);
	SQ_PREP_OR_FAIL(del, c, "DELETE FROM search_fts WHERE rowid = ?1", err);
	SQ_PREP_OR_FAIL(ins, c, "INSERT INTO search_fts(rowid, title, body, context) VALUES (?1, ?2, ?3, ?4)", err);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		int64_t rid = sqlite3_column_int64(q, 0);
		int del_old = sqlite3_column_int(q, 1) != SQ_Q_NEW, put = sqlite3_column_int(q, 2) != SQ_Q_DEL;
		if (del_old) {
			sqlite3_bind_int64(del, 1, rid);
			if ((ret = sq_exec1(c, del, "remove from search", err)))
				break;
		}
		if (put) {
			sqlite3_bind_int64(ins, 1, rid);
			for (int i = 0; i < 3; i++)
				sqlite3_bind_text(ins, 2 + i, (const char *)sqlite3_column_text(q, 3 + i),
						  sqlite3_column_bytes(q, 3 + i), SQLITE_STATIC);
			if ((ret = sq_exec1(c, ins, "index for search", err)))
				break;
		}
	}
	if (!ret && rc != SQLITE_DONE)
		ret = sq_fail(c, rc, "search queue", err);
	sq_done(q);
	if (!ret)
		ret = sq_exec_sql(c, "DELETE FROM temp.search_queue", err);
	return ret;
}

void sq_owner_forget(struct sq_conn *c)
{
	free(c->owner_name);
	c->owner_name = NULL;
	c->owner_id = 0;
}

char *sq_owner_name(struct sq_conn *c, int64_t customer_id, int64_t org_id, struct arena *a)
{
	struct kp_err err = KP_ERR_INIT;
	sqlite3_stmt *st;
	char *name = NULL;
	/* Only inside a transaction: then no other connection can change the name, and this
	 * one forgets it when it does (sq_owner_forget). */
	int cache = customer_id && c->writer && !sqlite3_get_autocommit(c->db);

	if (cache && c->owner_name && c->owner_id == customer_id)
		return arena_strdup(a, c->owner_name);
	st = sq_prep_lit(c,
			 customer_id ? "SELECT name FROM customers WHERE id = ?1"
				     : "SELECT name FROM organizations WHERE id = ?1",
			 &err);
	if (!st)
		return NULL;
	sqlite3_bind_int64(st, 1, customer_id ? customer_id : org_id);
	if (sqlite3_step(st) == SQLITE_ROW)
		name = sq_col_text(st, 0, a);
	sq_done(st);
	if (cache && name) {
		char *keep = strdup(name);
		if (keep) {
			free(c->owner_name);
			c->owner_name = keep;
			c->owner_id = customer_id;
		}
	}
	return name;
}

/* Run each statement with ?1 = id: the direct ones, or the queued ones on the writer. */
static int sq_fts_run_all(struct sq_conn *c, const char *const *direct, const char *const *queued, size_t n,
			  int64_t id, const char *what, struct kp_err *err)
{
	const char *const *sqls = sq_fts_queued(c) ? queued : direct;

	for (size_t i = 0; i < n; i++) {
		sqlite3_stmt *st;
		int rc;
		SQ_PREP_OR_FAIL(st, c, sqls[i], err);
		sqlite3_bind_int64(st, 1, id);
		if ((rc = sq_exec1(c, st, what, err)))
			return rc;
	}
	return 0;
}

int sq_fts_reindex_customer_history(struct sq_conn *c, int64_t customer_id, struct kp_err *err)
{
	static const char *const sqls[] = {
	    "DELETE FROM search_fts WHERE rowid IN (SELECT id * 4 + 2 FROM interactions WHERE customer_id = ?1"
	    " UNION ALL SELECT id * 4 + 3 FROM notes WHERE customer_id = ?1)",
	    "INSERT INTO search_fts(rowid, title, body, context) SELECT i.id * 4 + 2, coalesce(i.search_summary, "
	    "i.summary, ''),"
	    " coalesce(i.search_body, i.body, ''), c.name FROM interactions i JOIN customers c ON c.id = i.customer_id"
	    " WHERE i.customer_id = ?1",
	    "INSERT INTO search_fts(rowid, title, body, context) SELECT n.id * 4 + 3, '', coalesce(n.search_body, "
	    "n.body), c.name"
	    " FROM notes n JOIN customers c ON c.id = n.customer_id WHERE n.customer_id = ?1",
	};
	static const char *const queued[] = {
	    "INSERT INTO temp.search_queue(rid, op, title, body, context) SELECT i.id * 4 + 2, 1,"
	    " coalesce(i.search_summary, i.summary, ''), coalesce(i.search_body, i.body, ''), c.name FROM interactions "
	    "i"
	    " JOIN customers c ON c.id = i.customer_id WHERE i.customer_id = ?1",
	    "INSERT INTO temp.search_queue(rid, op, title, body, context) SELECT n.id * 4 + 3, 1, '', "
	    "coalesce(n.search_body, n.body), c.name"
	    " FROM notes n JOIN customers c ON c.id = n.customer_id WHERE n.customer_id = ?1",
	};
	static const char *const side[] = {
	    "SELECT i.id * 4 + 2, coalesce(i.search_summary, i.summary, ''), coalesce(i.search_body, i.body, ''), "
	    "c.name FROM interactions i"
	    " JOIN customers c ON c.id = i.customer_id WHERE i.customer_id = ?1",
	    "SELECT n.id * 4 + 3, '', coalesce(n.search_body, n.body), c.name FROM notes n JOIN customers c ON c.id = "
	    "n.customer_id"
	    " WHERE n.customer_id = ?1",
	};
	int rc;

	if (c->side) {
		for (int i = 0; i < 2; i++)
			if ((rc = sq_fts_side_select(c, side[i], customer_id, SQ_Q_REPLACE, "re-index customer history", err)))
				return rc;
		return 0;
	}
	if (sq_fts_queued(c))
		return sq_fts_run_all(c, NULL, queued, 2, customer_id, "re-index customer history", err);
	return sq_fts_run_all(c, sqls, NULL, 3, customer_id, "re-index customer history", err);
}

int sq_fts_reindex_org_notes(struct sq_conn *c, int64_t org_id, struct kp_err *err)
{
	static const char *const sqls[] = {
	    "DELETE FROM search_fts WHERE rowid IN (SELECT id * 4 + 3 FROM notes WHERE org_id = ?1)",
	    "INSERT INTO search_fts(rowid, title, body, context) SELECT n.id * 4 + 3, '', coalesce(n.search_body, "
	    "n.body), o.name"
	    " FROM notes n JOIN organizations o ON o.id = n.org_id WHERE n.org_id = ?1",
	};
	static const char *const queued[] = {
	    "INSERT INTO temp.search_queue(rid, op, title, body, context) SELECT n.id * 4 + 3, 1, '', "
	    "coalesce(n.search_body, n.body), o.name"
	    " FROM notes n JOIN organizations o ON o.id = n.org_id WHERE n.org_id = ?1",
	};
	static const char side[] = "SELECT n.id * 4 + 3, '', coalesce(n.search_body, n.body), o.name FROM notes n"
	                           " JOIN organizations o ON o.id = n.org_id WHERE n.org_id = ?1";

	if (c->side)
		return sq_fts_side_select(c, side, org_id, SQ_Q_REPLACE, "re-index organisation notes", err);
	if (sq_fts_queued(c))
		return sq_fts_run_all(c, NULL, queued, 1, org_id, "re-index organisation notes", err);
	return sq_fts_run_all(c, sqls, NULL, 2, org_id, "re-index organisation notes", err);
}

/* Does the word hold anything the tokenizer keeps (a letter or digit, or non-ASCII)? */
static int has_word_char(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch >= 0x80 || (ch >= '0' && ch <= '9') || ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'z'))
			return 1;
	}
	return 0;
}

/* a word as an FTS5 string ("" escapes a quote); -1 when the buffer's cap is reached */
static int match_string(struct buf *m, const char *w, size_t wl)
{
	int bad = buf_addc(m, '"');
	for (size_t i = 0; i < wl; i++) {
		if (w[i] == '"')
			bad |= buf_addc(m, '"');
		bad |= buf_addc(m, w[i]);
	}
	return bad | buf_addc(m, '"');
}

/* Build the FTS5 query: each word as a quoted string; the last as typed with a * for prefix
 * matching, or whole (its stems); a word with forms as a group of alternatives ("helsinki" OR
 * "helsingin"); the words ANDed.
 * Returns the number of words, or -1 when the query does not fit m (never sent cut short). */
static int build_match(struct buf *m, const char *q, const struct search_forms *forms)
{
	const char *p = q;
	int nwords = 0;
	const char *last = NULL;
	size_t lastlen = 0;

	for (int pass = 0; pass < 2; pass++) {
		p = q;
		while (*p) {
			const char *w;
			size_t wl;

			while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
				p++;
			if (!*p)
				break;
			w = p;
			while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
				p++;
			wl = (size_t)(p - w);
			if (!has_word_char(w, wl))
				continue;
			if (pass == 0) {
				last = w;
				lastlen = wl;
				continue;
			}
			const struct search_word_forms *wf = sq_search_word_forms(forms, w, wl);
			int is_last = w == last && wl == lastlen, bad = 0;
			if (nwords)
				bad |= buf_adds(m, " AND ");
			if (wf || is_last)
				bad |= buf_addc(m, '(');
			bad |= match_string(m, w, wl);
			if (is_last) { /* as typed, a prefix; or whole, by its stems */
				bad |= buf_adds(m, "* OR ");
				bad |= match_string(m, w, wl);
			}
			for (size_t k = 0; wf && k < wf->n; k++) {
				bad |= buf_adds(m, " OR ");
				bad |= match_string(m, wf->form[k], strlen(wf->form[k]));
			}
			if (wf || is_last)
				bad |= buf_addc(m, ')');
			if (bad)
				return -1;
			nwords++;
		}
	}
	return nwords;
}

/* A note's or an interaction's customer (a note's organisation), and its title as the
 * PostgreSQL backend gives it: an interaction's summary (its kind when it has none), a note's
 * first 80 characters. */
static void owner_of(struct sq_conn *c, int kind, struct search_hit *h, struct arena *a, struct kp_err *err)
{
	sqlite3_stmt *st =
	    sq_prep_lit(c,
	                kind == SQ_FTS_NOTE
	                    ? "SELECT coalesce(customer_id, 0), substr(coalesce(search_body, body), 1, 80), abusive,"
	                      " coalesce(org_id, 0)"
	                      " FROM notes WHERE id = ?1"
	                    : "SELECT customer_id, coalesce(nullif(coalesce(search_summary, summary), ''), kind),"
	                      " abusive, 0 FROM interactions WHERE id = ?1",
	                err);

	if (!st)
		return;
	sqlite3_bind_int64(st, 1, h->id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		h->customer_id = sqlite3_column_int64(st, 0);
		h->title = sq_col_text(st, 1, a);
		h->abusive = sqlite3_column_int(st, 2) != 0;
		h->org_id = sqlite3_column_int64(st, 3);
	}
	sq_done(st);
}

int sq_search(struct store_conn *sc, const char *q, const struct search_forms *forms, int limit, int offset,
              struct search_result *out, struct arena *a, struct kp_err *err)
{
	static const char *const kinds[4] = { "customer", "organization", "interaction", "note" };
	struct sq_conn *c = SQ_C(sc);
	struct buf m = BUF_INIT(SQ_QUERY_MAX * 2 + 64 * 16 * 70); /* the forms: store_ops.c's bounds */
	sqlite3_stmt *st;
	int rc, ret = 0;

	memset(out, 0, sizeof *out);
	if (limit <= 0)
		limit = 20;
	if (limit > 200)
		limit = 200;
	if (!q || strlen(q) > SQ_QUERY_MAX)
		return kp_err_set(err, KP_EINVAL, "search query missing or too long");
	int nwords = build_match(&m, q, forms);
	if (nwords < 0) {
		ret = kp_err_set(err, KP_EINVAL, "search query and its forms too long");
		goto out;
	}
	if (nwords == 0 || m.len == 0)
		goto out; /* nothing searchable: no hits */
	st = sq_prep_lit(c,
		     "SELECT rowid, title, snippet(search_fts, -1, '\xc2\xab', '\xc2\xbb', ' ... ', 12),"
		     " bm25(search_fts, 4.0, 1.0, 0.5) AS r"
		     " FROM search_fts WHERE search_fts MATCH ?1 ORDER BY r, rowid LIMIT ?2 OFFSET ?3",
		     err);
	if (!st) {
		ret = err ? err->status : KP_ESTORE;
		goto out;
	}
	sqlite3_bind_text(st, 1, m.ptr, (int)m.len, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, limit + 1);
	sqlite3_bind_int(st, 3, offset);
	out->items = arena_calloc(a, sizeof *out->items * (size_t)limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct search_hit *h;
		int64_t rowid = sqlite3_column_int64(st, 0);
		if (out->n == (size_t)limit) {
			out->more = 1;
			break;
		}
		h = &out->items[out->n++];
		h->entity = kinds[rowid & 3];
		h->id = rowid >> 2;
		h->title = sq_col_text(st, 1, a);
		h->snippet = sq_col_text(st, 2, a);
		h->rank = sqlite3_column_double(st, 3);
	}
	sq_done(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		ret = sq_fail(c, rc, "search", err);
		goto out;
	}
	for (size_t i = 0; i < out->n; i++) {
		struct search_hit *h = &out->items[i];
		if (strcmp(h->entity, "interaction") == 0)
			owner_of(c, SQ_FTS_INTERACTION, h, a, err);
		else if (strcmp(h->entity, "note") == 0)
			owner_of(c, SQ_FTS_NOTE, h, a, err);
	}
out:
	buf_release(&m);
	return ret;
}

int sq_search_text_matches(struct store_conn *sc, const char *q, const struct search_forms *forms, const char *text,
                           int *matches, struct kp_err *err)
{
	(void)sc;
	if (!q || strlen(q) > SQ_QUERY_MAX)
		return kp_err_set(err, KP_EINVAL, "search query missing or too long");
	int m = sq_fts_text_matches(q, forms, text ? text : "", text ? strlen(text) : 0);
	if (m < 0)
		return kp_err_set(err, KP_ENOMEM, "search: the stemmers could not be created");
	*matches = m;
	return 0;
}
