/*
 * Full-text search on SQLite: the search_fts entries the ops keep in step (rowid = id * 4
 * + kind), and store_search. Query words are ANDed; the last one is also matched as a
 * prefix (search as you type). The "kumppani" tokenizer (fts.c) stems both sides, so an
 * inflected query finds the base form and vice versa. Ranking is bm25 with the title
 * (name, summary) weighted above the body. Snippets mark matches with [ and ].
 */
#include <string.h>

#include "store/sqlite/sq_int.h"
#include "util/buf.h"

#define SQ_QUERY_MAX 2048

int sq_fts_put(struct sq_conn *c, int kind, int64_t id, int is_new, const char *title, const char *body,
	       const char *context, struct kp_err *err)
{
	sqlite3_stmt *st;
	int rc;

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

	SQ_PREP_OR_FAIL(st, c, "DELETE FROM search_fts WHERE rowid = ?1", err);
	sqlite3_bind_int64(st, 1, id * 4 + kind);
	return sq_exec1(c, st, "remove from search", err);
}

char *sq_owner_name(struct sq_conn *c, int64_t customer_id, int64_t org_id, struct arena *a)
{
	struct kp_err err = KP_ERR_INIT;
	sqlite3_stmt *st = sq_prep_lit(c,
				   customer_id ? "SELECT name FROM customers WHERE id = ?1"
					       : "SELECT name FROM organizations WHERE id = ?1",
				   &err);
	char *name = NULL;

	if (!st)
		return NULL;
	sqlite3_bind_int64(st, 1, customer_id ? customer_id : org_id);
	if (sqlite3_step(st) == SQLITE_ROW)
		name = sq_col_text(st, 0, a);
	sq_done(st);
	return name;
}

int sq_fts_reindex_customer_history(struct sq_conn *c, int64_t customer_id, struct kp_err *err)
{
	static const char *const sqls[] = {
		"DELETE FROM search_fts WHERE rowid IN (SELECT id * 4 + 2 FROM interactions WHERE customer_id = ?1"
		" UNION ALL SELECT id * 4 + 3 FROM notes WHERE customer_id = ?1)",
		"INSERT INTO search_fts(rowid, title, body, context) SELECT i.id * 4 + 2, coalesce(i.summary, ''),"
		" coalesce(i.body, ''), c.name FROM interactions i JOIN customers c ON c.id = i.customer_id"
		" WHERE i.customer_id = ?1",
		"INSERT INTO search_fts(rowid, title, body, context) SELECT n.id * 4 + 3, '', n.body, c.name"
		" FROM notes n JOIN customers c ON c.id = n.customer_id WHERE n.customer_id = ?1",
	};
	for (size_t i = 0; i < sizeof sqls / sizeof sqls[0]; i++) {
		sqlite3_stmt *st;
		int rc;
		SQ_PREP_OR_FAIL(st, c, sqls[i], err);
		sqlite3_bind_int64(st, 1, customer_id);
		if ((rc = sq_exec1(c, st, "re-index customer history", err)))
			return rc;
	}
	return 0;
}

int sq_fts_reindex_org_notes(struct sq_conn *c, int64_t org_id, struct kp_err *err)
{
	static const char *const sqls[] = {
		"DELETE FROM search_fts WHERE rowid IN (SELECT id * 4 + 3 FROM notes WHERE org_id = ?1)",
		"INSERT INTO search_fts(rowid, title, body, context) SELECT n.id * 4 + 3, '', n.body, o.name"
		" FROM notes n JOIN organizations o ON o.id = n.org_id WHERE n.org_id = ?1",
	};
	for (size_t i = 0; i < sizeof sqls / sizeof sqls[0]; i++) {
		sqlite3_stmt *st;
		int rc;
		SQ_PREP_OR_FAIL(st, c, sqls[i], err);
		sqlite3_bind_int64(st, 1, org_id);
		if ((rc = sq_exec1(c, st, "re-index organisation notes", err)))
			return rc;
	}
	return 0;
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

/* Build the FTS5 query: each word as a quoted string ("" escapes a quote), the last with
 * a * for prefix matching. Returns the number of words. */
static int build_match(struct buf *m, const char *q)
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
			if (nwords)
				buf_addc(m, ' ');
			buf_addc(m, '"');
			for (size_t i = 0; i < wl; i++) {
				if (w[i] == '"')
					buf_addc(m, '"');
				buf_addc(m, w[i]);
			}
			buf_addc(m, '"');
			if (w == last && wl == lastlen)
				buf_addc(m, '*');
			nwords++;
		}
	}
	return nwords;
}

static int64_t owner_customer(struct sq_conn *c, int kind, int64_t id, struct kp_err *err)
{
	sqlite3_stmt *st = sq_prep_lit(c,
				   kind == SQ_FTS_NOTE ? "SELECT coalesce(customer_id, 0) FROM notes WHERE id = ?1"
						       : "SELECT customer_id FROM interactions WHERE id = ?1",
				   err);
	int64_t cid = 0;

	if (!st)
		return 0;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW)
		cid = sqlite3_column_int64(st, 0);
	sq_done(st);
	return cid;
}

int sq_search(struct store_conn *sc, const char *q, int limit, struct search_result *out, struct arena *a,
	      struct kp_err *err)
{
	static const char *const kinds[4] = { "customer", "organization", "interaction", "note" };
	struct sq_conn *c = SQ_C(sc);
	struct buf m = BUF_INIT(SQ_QUERY_MAX * 2);
	sqlite3_stmt *st;
	int rc, ret = 0;

	memset(out, 0, sizeof *out);
	if (limit <= 0)
		limit = 20;
	if (limit > 200)
		limit = 200;
	if (!q || strlen(q) > SQ_QUERY_MAX)
		return kp_err_set(err, KP_EINVAL, "search query missing or too long");
	if (build_match(&m, q) == 0 || m.len == 0)
		goto out; /* nothing searchable: no hits */
	st = sq_prep_lit(c,
		     "SELECT rowid, title, snippet(search_fts, -1, '[', ']', '...', 12), bm25(search_fts, 4.0, 1.0, 0.5) AS r"
		     " FROM search_fts WHERE search_fts MATCH ?1 ORDER BY r LIMIT ?2",
		     err);
	if (!st) {
		ret = err ? err->status : KP_ESTORE;
		goto out;
	}
	sqlite3_bind_text(st, 1, m.ptr, (int)m.len, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, limit + 1);
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
			h->customer_id = owner_customer(c, SQ_FTS_INTERACTION, h->id, err);
		else if (strcmp(h->entity, "note") == 0)
			h->customer_id = owner_customer(c, SQ_FTS_NOTE, h->id, err);
	}
out:
	buf_release(&m);
	return ret;
}
