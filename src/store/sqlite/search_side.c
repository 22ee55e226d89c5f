/*
 * The side search index of a bulk load: while store_bulk_load() is on, the full-text
 * index of what the writer commits is built on a second thread, into a contentless FTS5
 * table of the same definition in a scratch database next to the real one
 * (PATH-bulksearch), and copied into the real search_fts when the load ends. Row inserts
 * and full-text indexing (two thirds of a demo load's CPU when both ran on the writer)
 * then use both cores.
 *
 * When: only if search_fts is empty when the load starts; then every entry of the load is
 * in the side index and the copy at the end takes its index tables as they are.
 * Otherwise the load indexes per batch on the writer as before (search.c).
 *
 * Flow: in the open transaction, each search change of the ops (search.c,
 * sq_fts_side_change) writes the entry's text into search_fts's content table on the
 * writer itself, as FTS5 would, and is staged here in memory (sq_side_stage) with the old
 * text for a delete; a job's ROLLBACK TO drops its staged changes (sq_side_rewind). After
 * a successful COMMIT the batch goes to the side thread (sq_side_commit), after a
 * rollback it is dropped (sq_side_discard): the side index holds exactly the committed
 * changes, in commit order. The writer waits while the side thread is more than
 * SIDE_MAX_BYTES behind (bounded memory). While the side thread is behind, the writer
 * also tokenises (sq_fts_record) and the side thread's tokenizer just replays the tokens,
 * which balances the two threads.
 *
 * The side thread indexes each batch in one transaction in rowid order, with FTS5's
 * automatic merging off (one segment per batch) and, when the load ends, merges
 * everything into one segment ('optimize') while the writer builds its indexes.
 *
 * The level of that segment: FTS5 puts an optimized segment just above the scratch
 * index's top level, which is level 1 here, and merges a level's segments whenever the
 * level holds four. The server's first commits after the load would then merge the one
 * big segment (350 MB at 1M customers) into their small ones again and again as levels 1,
 * 2, 3 ... fill (measured: the WAL grew to 0.9 GB in 10 s and durable writes fell from
 * ~7,000 to ~2,000/s). Merging as it goes instead (automerge during the load) puts big
 * segments on high levels but cost the load 13-18 s. So the copy moves the one segment to
 * level SIDE_TOP_LEVEL in FTS5's structure record (sq_side_relevel), where a level-by-level
 * merge of new segments would only arrive after about 4^24 commits. Only a record of the
 * exact shape SQLite 3.40's FTS5 writes (version-1 structure, one segment) is rewritten,
 * and only if decoding and encoding it again gives the same bytes; anything else is copied
 * as it is (then the merging above costs time, never data).
 *
 * The end (sq_side_finish): the side thread stops; then its connection attaches the real
 * database and, in one transaction, replaces search_fts's data, idx and docsize tables by
 * the side index's and drops the bulk_search_side marker (if search_fts got entries after
 * all, it runs FTS5's 'rebuild' from the content table instead). The copy goes through a
 * connection other than the writer's on purpose: FTS5 caches its segment structure per
 * connection and notices changes made by other connections (data_version), not raw writes
 * to its shadow tables by its own. The formats are FTS5's own: the side table differs only
 * in having no content table.
 *
 * A load that dies: the marker table bulk_search_side (created when the load starts) is
 * still there, so the next open of the writer rebuilds the index from the content table
 * (which the writer kept in its transactions) and deletes the scratch file.
 *
 * The scratch database runs with journal_mode=OFF and synchronous=OFF: it is thrown away
 * whatever happens, and only its finished contents are copied.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/sqlite/sq_int.h"

#define SIDE_MAX_BYTES ((size_t)96 << 20) /* queued for the side thread, at most */
#define SIDE_SUFFIX "-bulksearch"
#define SIDE_SPARE 3 /* applied batches kept for reuse, at most */

/* One search change, as the ops made it (SQ_FTS_OP_*); per rowid the first change decides
 * whether an old entry is deleted, the last one whether a new entry goes in. */
struct side_ent {
	int64_t rid;
	int op;
	int recorded;             /* toks hold the token streams */
	int has_old;              /* old[]: the entry before this change (to delete it) */
	size_t text[3];           /* title, body, context: offsets into the batch's text */
	size_t ntext[3];
	size_t toks[3], ntoks[3]; /* their recorded token streams (sq_fts_record) */
	size_t old[3], nold[3];
};

struct side_batch {
	struct side_batch *next;
	struct side_ent *ents;
	size_t n, cap;
	char *text;
	size_t tlen, tcap;
};

struct sq_side {
	pthread_t thr;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct side_batch *head, *tail;
	size_t queued_bytes;
	/* Applied batches, emptied, for the writer's next transactions: their buffers (tens
	 * of MB at 10,000 customers a job) are reused instead of being allocated, faulted in
	 * and given back to the kernel per transaction (that was about 7% of the writer's
	 * time in a 1M-customer demo). */
	struct side_batch *spare;
	size_t nspare;
	int stopping;  /* no more batches: drain and stop */
	int applying;  /* the side thread is indexing a batch it has taken */
	int failed;    /* the side thread hit an error: msg says what */
	char msg[256];
	sqlite3 *db;   /* the scratch database; the side thread's until it stops */
	char *path;    /* its file name */
	struct sq_fts_replay replay; /* the side thread's tokenizer replays these */
	struct sq_fts_recorder *rec; /* the writer's tokenizer */
	struct side_batch *pending; /* the writer's changes in the open transaction */
	size_t mark_n, mark_tlen;   /* pending's size at the job's SAVEPOINT */
	int record;                 /* the writer tokenises this job's entries (sq_side_mark) */
	int64_t docs;  /* entries put (statistics for the caller) */
};

static void side_batch_free(struct side_batch *b)
{
	if (!b)
		return;
	free(b->ents);
	free(b->text);
	free(b);
}

static size_t side_batch_bytes(const struct side_batch *b)
{
	return b->tlen + b->n * sizeof *b->ents;
}

/* Append n bytes to b's text (the buffer grows by doubling); 0 or -1 without memory. */
static int side_append(void *arg, const void *s, size_t n)
{
	struct side_batch *b = arg;

	if (b->tlen + n > b->tcap) {
		size_t cap = b->tcap ? b->tcap : 65536;
		while (cap < b->tlen + n)
			cap *= 2;
		char *t = realloc(b->text, cap);
		if (!t)
			return -1;
		b->text = t;
		b->tcap = cap;
	}
	if (n)
		memcpy(b->text + b->tlen, s, n);
	b->tlen += n;
	return 0;
}

int sq_side_stage(struct sq_conn *c, int64_t rid, int op, const char *const old[3], const char *const cols[3],
		  struct kp_err *err)
{
	struct sq_side *sd = c->side;
	struct side_batch *b = sd->pending;
	struct side_ent *e;

	if (!b) {
		pthread_mutex_lock(&sd->mu);
		b = sd->spare;
		if (b) {
			sd->spare = b->next;
			sd->nspare--;
		}
		pthread_mutex_unlock(&sd->mu);
		if (b) {
			b->next = NULL;
			b->n = b->tlen = 0;
		} else if (!(b = calloc(1, sizeof *b))) {
			return kp_err_set(err, KP_ENOMEM, "out of memory");
		}
		sd->pending = b;
	}
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 4096;
		struct side_ent *ents = realloc(b->ents, cap * sizeof *ents);
		if (!ents)
			return kp_err_set(err, KP_ENOMEM, "out of memory");
		b->ents = ents;
		b->cap = cap;
	}
	e = &b->ents[b->n];
	memset(e, 0, sizeof *e);
	e->rid = rid;
	e->op = op;
	if (op != SQ_FTS_OP_NEW && old) {
		e->has_old = 1;
		for (int i = 0; i < 3; i++) {
			const char *t = old[i] ? old[i] : "";
			e->nold[i] = strlen(t);
			e->old[i] = b->tlen;
			if (side_append(b, t, e->nold[i] + 1))
				return kp_err_set(err, KP_ENOMEM, "out of memory");
		}
	}
	if (op != SQ_FTS_OP_DEL) {
		/* the text with a NUL (it is bound as it is), then, if the side thread is
		 * behind, its tokens: the side thread then only replays them (tokenising is
		 * about a third of indexing) */
		e->recorded = sd->record;
		for (int i = 0; i < 3; i++) {
			const char *t = cols[i] ? cols[i] : "";
			e->ntext[i] = strlen(t);
			e->text[i] = b->tlen;
			if (side_append(b, t, e->ntext[i] + 1))
				return kp_err_set(err, KP_ENOMEM, "out of memory");
			e->toks[i] = b->tlen;
			if (e->recorded && sq_fts_record(sd->rec, t, e->ntext[i], side_append, b))
				return kp_err_set(err, KP_ENOMEM, "out of memory");
			e->ntoks[i] = b->tlen - e->toks[i];
		}
	}
	b->n++;
	return 0;
}

void sq_side_mark(struct sq_conn *c)
{
	struct sq_side *sd = c->side;

	sd->mark_n = sd->pending ? sd->pending->n : 0;
	sd->mark_tlen = sd->pending ? sd->pending->tlen : 0;
	/* Balance the two threads: the writer also tokenises while a committed batch waits
	 * for the side thread because it is still indexing an earlier one (it is behind), and
	 * leaves that to it otherwise. (A batch just committed is usually still queued when
	 * the next job starts, before the side thread has woken up to take it: counting that
	 * as behind made the writer tokenise about 20% of its time while the side thread
	 * idled 40% of a 1M-customer demo load.) */
	pthread_mutex_lock(&sd->mu);
	sd->record = sd->head != NULL && (sd->applying || sd->head != sd->tail);
	pthread_mutex_unlock(&sd->mu);
}

void sq_side_rewind(struct sq_conn *c)
{
	struct sq_side *sd = c->side;

	if (sd->pending) {
		sd->pending->n = sd->mark_n;
		sd->pending->tlen = sd->mark_tlen;
	}
}

void sq_side_commit(struct sq_conn *c)
{
	struct sq_side *sd = c->side;
	struct side_batch *b = sd->pending;

	if (!b)
		return;
	sd->pending = NULL;
	pthread_mutex_lock(&sd->mu);
	/* Back-pressure: wait while the side thread is far behind (not if it failed). */
	while (sd->queued_bytes > SIDE_MAX_BYTES && !sd->failed)
		pthread_cond_wait(&sd->cv, &sd->mu);
	if (sd->failed) {
		pthread_mutex_unlock(&sd->mu);
		side_batch_free(b);
		return; /* sq_side_finish() reports it */
	}
	if (sd->tail)
		sd->tail->next = b;
	else
		sd->head = b;
	sd->tail = b;
	sd->queued_bytes += side_batch_bytes(b);
	pthread_cond_broadcast(&sd->cv);
	pthread_mutex_unlock(&sd->mu);
}

void sq_side_discard(struct sq_conn *c)
{
	side_batch_free(c->side->pending);
	c->side->pending = NULL;
}

static int side_exec(sqlite3 *db, const char *sql, char *msg, size_t msglen)
{
	char *m = NULL;
	int rc = sqlite3_exec(db, sql, NULL, NULL, &m);

	if (rc != SQLITE_OK)
		snprintf(msg, msglen, "%s", m ? m : sqlite3_errstr(rc));
	sqlite3_free(m);
	return rc;
}

/* Order: by rowid, then as made (the entry's position breaks ties: qsort is not stable). */
static int side_cmp(const void *a, const void *b)
{
	const struct side_ent *x = *(const struct side_ent *const *)a, *y = *(const struct side_ent *const *)b;

	if (x->rid != y->rid)
		return x->rid < y->rid ? -1 : 1;
	return x < y ? -1 : x > y;
}

/* Index one batch into the scratch database, in one transaction and in ascending rowid
 * order (FTS5 then keeps one pending run); per rowid the first change decides whether an
 * old entry is deleted and the last one what goes in, as search.c's queue flush does. */
static int side_apply(struct sq_side *sd, sqlite3_stmt *del, sqlite3_stmt *ins, const struct side_batch *b)
{
	const struct side_ent **ord = malloc((b->n ? b->n : 1) * sizeof *ord);
	int sorted = 1, rc;

	if (!ord) {
		snprintf(sd->msg, sizeof sd->msg, "side search index: out of memory");
		return SQLITE_NOMEM;
	}
	for (size_t i = 0; i < b->n; i++) {
		ord[i] = &b->ents[i];
		if (i && ord[i]->rid <= ord[i - 1]->rid)
			sorted = 0;
	}
	if (!sorted)
		qsort(ord, b->n, sizeof *ord, side_cmp);
	rc = side_exec(sd->db, "BEGIN", sd->msg, sizeof sd->msg);
	for (size_t i = 0; rc == SQLITE_OK && i < b->n;) {
		const struct side_ent *first = ord[i], *last;
		size_t j = i + 1;
		while (j < b->n && ord[j]->rid == first->rid)
			j++;
		last = ord[j - 1];
		i = j;
		if (first->op != SQ_FTS_OP_NEW && first->has_old) {
			/* contentless: the 'delete' command with the values that were indexed */
			sqlite3_bind_int64(del, 1, first->rid);
			for (int k = 0; k < 3; k++)
				sqlite3_bind_text(del, 2 + k, b->text + first->old[k], (int)first->nold[k], SQLITE_STATIC);
			rc = sqlite3_step(del);
			sqlite3_reset(del);
			rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
		}
		if (rc == SQLITE_OK && last->op != SQ_FTS_OP_DEL) {
			sqlite3_bind_int64(ins, 1, last->rid);
			for (int k = 0; k < 3; k++) {
				sqlite3_bind_text(ins, 2 + k, b->text + last->text[k], (int)last->ntext[k], SQLITE_STATIC);
				sd->replay.col[k] = (struct sq_fts_replay_col){
					.text = b->text + last->text[k],
					.ntext = last->ntext[k],
					.toks = (const unsigned char *)b->text + last->toks[k],
					.ntoks = last->ntoks[k],
				};
			}
			sd->replay.n = last->recorded ? 3 : 0;
			rc = sqlite3_step(ins);
			sd->replay.n = 0;
			sqlite3_reset(ins);
			rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
			sd->docs++;
		}
		if (rc != SQLITE_OK)
			snprintf(sd->msg, sizeof sd->msg, "side search index: %s", sqlite3_errmsg(sd->db));
	}
	free(ord);
	if (rc == SQLITE_OK)
		rc = side_exec(sd->db, "COMMIT", sd->msg, sizeof sd->msg);
	else
		sqlite3_exec(sd->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

static void *side_main(void *arg)
{
	struct sq_side *sd = arg;
	sqlite3_stmt *del = NULL, *ins = NULL;
	int rc;

	rc = sqlite3_prepare_v2(sd->db,
				"INSERT INTO search_fts(search_fts, rowid, title, body, context) VALUES ('delete', ?1, ?2, ?3, ?4)",
				-1, &del, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(sd->db, "INSERT INTO search_fts(rowid, title, body, context) VALUES (?1, ?2, ?3, ?4)",
					-1, &ins, NULL);
	if (rc != SQLITE_OK)
		snprintf(sd->msg, sizeof sd->msg, "side search index: %s", sqlite3_errmsg(sd->db));
	for (;;) {
		struct side_batch *b;

		pthread_mutex_lock(&sd->mu);
		if (rc != SQLITE_OK) {
			sd->failed = 1;
			pthread_cond_broadcast(&sd->cv);
		}
		while (!sd->head && !sd->stopping && !sd->failed)
			pthread_cond_wait(&sd->cv, &sd->mu);
		if (sd->failed || !sd->head) {
			pthread_mutex_unlock(&sd->mu);
			break;
		}
		b = sd->head;
		sd->head = b->next;
		if (!sd->head)
			sd->tail = NULL;
		sd->applying = 1;
		pthread_mutex_unlock(&sd->mu);

		rc = side_apply(sd, del, ins, b);

		pthread_mutex_lock(&sd->mu);
		sd->applying = 0;
		sd->queued_bytes -= side_batch_bytes(b);
		if (sd->nspare < SIDE_SPARE) {
			b->next = sd->spare;
			sd->spare = b;
			sd->nspare++;
			b = NULL;
		}
		pthread_cond_broadcast(&sd->cv);
		pthread_mutex_unlock(&sd->mu);
		side_batch_free(b);
	}
	sqlite3_finalize(del);
	sqlite3_finalize(ins);
	if (!sd->failed) {
		/* one segment, as an index built by automerge would converge to */
		if (side_exec(sd->db, "INSERT INTO search_fts(search_fts) VALUES ('optimize')", sd->msg, sizeof sd->msg) !=
		    SQLITE_OK) {
			pthread_mutex_lock(&sd->mu);
			sd->failed = 1;
			pthread_mutex_unlock(&sd->mu);
		}
	}
	return NULL;
}

/* The scratch file's name for the database at path (malloc'd), or NULL. */
static char *side_path(const char *path)
{
	size_t n = strlen(path);
	char *p = malloc(n + sizeof SIDE_SUFFIX);

	if (p) {
		memcpy(p, path, n);
		memcpy(p + n, SIDE_SUFFIX, sizeof SIDE_SUFFIX);
	}
	return p;
}

void sq_side_remove_scratch(const char *path)
{
	char *p = side_path(path);

	if (p) {
		unlink(p);
		free(p);
	}
}

/* Fetch one text value of a one-row query on db (malloc'd), or NULL. */
static char *side_query_text(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	char *out = NULL;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW &&
	    sqlite3_column_text(st, 0))
		out = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return out;
}

int sq_side_start(struct sq_conn *c, struct kp_err *err)
{
	struct sq_side *sd;
	char *create = NULL;
	char msg[256] = "";
	int rc;

	if (c->side)
		return 0;
	sd = calloc(1, sizeof *sd);
	if (!sd)
		return kp_err_set(err, KP_ENOMEM, "out of memory");
	pthread_mutex_init(&sd->mu, NULL);
	pthread_cond_init(&sd->cv, NULL);
	sd->path = side_path(c->path);
	create = side_query_text(c->db, "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'search_fts'");
	if (!sd->path || !create) {
		rc = kp_err_set(err, KP_ESTORE, "bulk load: cannot prepare the side search index");
		goto fail;
	}
	unlink(sd->path); /* a leftover of a load that died */
	int fd = open(sd->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600); /* customers' words: owner only */
	if (fd >= 0)
		close(fd);
	rc = sqlite3_open_v2(sd->path, &sd->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc == SQLITE_OK)
		rc = sq_fts_register_replay(sd->db, &sd->replay);
	if (rc == SQLITE_OK && !(sd->rec = sq_fts_recorder_new()))
		rc = SQLITE_NOMEM;
	if (rc == SQLITE_OK) {
		sqlite3_busy_timeout(sd->db, 10000);
		rc = side_exec(sd->db,
			       "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-1048576;"
			       " PRAGMA mmap_size=1073741824; PRAGMA temp_store=MEMORY; PRAGMA wal_autocheckpoint=0;",
			       msg, sizeof msg);
	}
	if (rc == SQLITE_OK) {
		/* main's definition, contentless: the writer keeps the text in main's content
		 * table itself (search.c), so it is neither written here nor copied */
		size_t n = strlen(create);
		while (n && create[n - 1] != ')')
			n--;
		char *sql = n ? sqlite3_mprintf("%.*s, content='')", (int)n - 1, create) : NULL;
		rc = sql ? side_exec(sd->db, sql, msg, sizeof msg) : SQLITE_NOMEM;
		sqlite3_free(sql);
	}
	/* No merging while loading (each batch adds one segment: the hash holds a whole
	 * batch); sq_side_stop() merges everything into one segment at the end, while the
	 * writer builds its indexes. These settings live in the scratch database only (its
	 * config table is not copied). */
	if (rc == SQLITE_OK)
		rc = side_exec(sd->db,
			       "INSERT INTO search_fts(search_fts, rank) VALUES ('automerge', 0);"
			       "INSERT INTO search_fts(search_fts, rank) VALUES ('crisismerge', 1000);"
			       "INSERT INTO search_fts(search_fts, rank) VALUES ('hashsize', 67108864);",
			       msg, sizeof msg);
	if (rc != SQLITE_OK) {
		rc = kp_err_set(err, KP_ESTORE, "bulk load: side search index %s: %s", sd->path,
				msg[0] ? msg : sd->db ? sqlite3_errmsg(sd->db) : sqlite3_errstr(rc));
		goto fail;
	}
	if (pthread_create(&sd->thr, NULL, side_main, sd) != 0) {
		rc = kp_err_set(err, KP_ESTORE, "bulk load: cannot start the side search thread");
		goto fail;
	}
	free(create);
	c->side = sd;
	return 0;
fail:
	free(create);
	if (sd->db)
		sqlite3_close_v2(sd->db);
	sq_fts_recorder_free(sd->rec);
	if (sd->path)
		unlink(sd->path);
	free(sd->path);
	pthread_mutex_destroy(&sd->mu);
	pthread_cond_destroy(&sd->cv);
	free(sd);
	return rc;
}

/* ---- FTS5's structure record --------------------------------------------------------------- */

#define SIDE_TOP_LEVEL 24
#define SIDE_STRUCT_MAX 64 /* bytes: a one-segment record is about 20 */

/* SQLite's varint (sqlite3GetVarint, which FTS5 uses): 1-9 bytes, big-endian 7-bit groups,
 * the ninth byte whole. 0, or -1 when it runs past n. */
static int side_get_varint(const unsigned char *p, size_t n, size_t *i, uint64_t *v)
{
	uint64_t x = 0;

	for (int k = 0; k < 9; k++) {
		if (*i >= n)
			return -1;
		unsigned char c = p[(*i)++];
		if (k == 8) {
			*v = (x << 8) | c;
			return 0;
		}
		x = (x << 7) | (c & 0x7f);
		if (!(c & 0x80)) {
			*v = x;
			return 0;
		}
	}
	return -1;
}

/* The same encoding for v < 2^56 (7-bit groups only). Bytes written to out. */
static size_t side_put_varint(unsigned char *out, uint64_t v)
{
	unsigned char tmp[9];
	size_t n = 0;

	do {
		tmp[n++] = (unsigned char)(v & 0x7f);
		v >>= 7;
	} while (v && n < 8);
	for (size_t k = 0; k < n; k++)
		out[k] = (unsigned char)(tmp[n - 1 - k] | (k + 1 < n ? 0x80 : 0));
	return n;
}

int sq_side_relevel(const unsigned char *rec, size_t n, int level, unsigned char *out, size_t cap, size_t *outn,
		    int *was_level)
{
	uint64_t nlevel, nseg, wcount, seg[3] = { 0 }, v;
	unsigned char again[SIDE_STRUCT_MAX];
	size_t i = 4, o;
	int found = -1;

	if (n < 5 || n > SIDE_STRUCT_MAX || cap < 2 * SIDE_STRUCT_MAX || level < 1 || level >= 64 || rec[4] == 0xff)
		return 0; /* 0xff after the cookie: a later structure format */
	if (side_get_varint(rec, n, &i, &nlevel) || side_get_varint(rec, n, &i, &nseg) ||
	    side_get_varint(rec, n, &i, &wcount) || nseg != 1 || nlevel == 0 || nlevel > 64)
		return 0;
	for (uint64_t l = 0; l < nlevel; l++) {
		uint64_t nmerge, ns;
		if (side_get_varint(rec, n, &i, &nmerge) || side_get_varint(rec, n, &i, &ns) || ns > 1 ||
		    (ns && nmerge))
			return 0;
		if (ns) {
			if (found >= 0)
				return 0;
			found = (int)l;
			for (int k = 0; k < 3; k++)
				if (side_get_varint(rec, n, &i, &seg[k]))
					return 0;
		}
	}
	if (i != n || found < 0)
		return 0;
	/* encode what was read and insist on the same bytes: a record of any other shape or
	 * encoding is left alone */
	memcpy(again, rec, 4);
	o = 4;
	o += side_put_varint(again + o, nlevel);
	o += side_put_varint(again + o, nseg);
	o += side_put_varint(again + o, wcount);
	for (uint64_t l = 0; l < nlevel; l++) {
		again[o++] = 0;
		again[o++] = (int)l == found ? 1 : 0;
		if ((int)l == found)
			for (int k = 0; k < 3; k++)
				o += side_put_varint(again + o, seg[k]);
	}
	if (o != n || memcmp(again, rec, n) != 0)
		return 0;
	*was_level = found;
	if (found >= level)
		return 0;
	/* the new record: the cookie moves on (FTS5 treats any other cookie as a new
	 * structure), levels 0 .. level-1 empty, the segment alone on `level` */
	v = ((uint64_t)rec[0] << 24 | (uint64_t)rec[1] << 16 | (uint64_t)rec[2] << 8 | rec[3]) + 1;
	out[0] = (unsigned char)(v >> 24), out[1] = (unsigned char)(v >> 16);
	out[2] = (unsigned char)(v >> 8), out[3] = (unsigned char)v;
	o = 4;
	o += side_put_varint(out + o, (uint64_t)level + 1);
	o += side_put_varint(out + o, 1);
	o += side_put_varint(out + o, wcount);
	for (int l = 0; l <= level; l++) {
		if (o + 2 + 27 > cap)
			return 0;
		out[o++] = 0;
		out[o++] = l == level ? 1 : 0;
		if (l == level)
			for (int k = 0; k < 3; k++)
				o += side_put_varint(out + o, seg[k]);
	}
	*outn = o;
	return 1;
}

/* In the attached real database dst: move the one segment of search_fts's structure
 * record to SIDE_TOP_LEVEL (see the top of this file). 0, or an SQLite error code. */
static int side_relevel_copy(sqlite3 *db)
{
	unsigned char out[SIDE_STRUCT_MAX * 2];
	sqlite3_stmt *st = NULL;
	size_t outn = 0;
	int was = -1, rc, rewrite = 0;

	rc = sqlite3_prepare_v2(db, "SELECT block FROM dst.search_fts_data WHERE id = 10", -1, &st, NULL);
	if (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) == SQLITE_BLOB)
		rewrite = sq_side_relevel(sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0), SIDE_TOP_LEVEL,
					  out, sizeof out, &outn, &was);
	sqlite3_finalize(st);
	if (rc != SQLITE_OK || !rewrite)
		return rc;
	rc = sqlite3_prepare_v2(db, "UPDATE dst.search_fts_data SET block = ?1 WHERE id = 10", -1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_blob(st, 1, out, (int)outn, SQLITE_STATIC);
		rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(db);
	}
	sqlite3_finalize(st);
	return rc;
}

/* Copy the finished side index into the real database (see the top of this file). */
static int side_copy(struct sq_side *sd, const char *main_path, struct kp_err *err)
{
	/* search_fts still empty (nothing indexed into it meanwhile): take the shadow tables
	 * as they are. */
	static const char copy[] =
		"DELETE FROM dst.search_fts_data; DELETE FROM dst.search_fts_idx;"
		"DELETE FROM dst.search_fts_docsize;"
		"INSERT INTO dst.search_fts_data SELECT * FROM main.search_fts_data;"
		"INSERT INTO dst.search_fts_idx SELECT * FROM main.search_fts_idx;"
		"INSERT INTO dst.search_fts_docsize SELECT * FROM main.search_fts_docsize;";
	/* Otherwise (something indexed into it meanwhile) the general way: index again from
	 * the content table. */
	static const char merge[] = "INSERT INTO dst.search_fts(search_fts) VALUES ('rebuild');";
	sqlite3_stmt *st = NULL;
	char msg[256] = "";
	int rc, empty = 0;

	rc = sqlite3_prepare_v2(sd->db, "ATTACH ?1 AS dst", -1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, main_path, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
	}
	sqlite3_finalize(st);
	st = NULL;
	if (rc != SQLITE_OK)
		return kp_err_set(err, KP_ESTORE, "bulk load: attach for the search copy: %s", sqlite3_errmsg(sd->db));
	rc = side_exec(sd->db, "PRAGMA dst.cache_size=-1048576; BEGIN IMMEDIATE", msg, sizeof msg);
	if (rc == SQLITE_OK) {
		rc = sqlite3_prepare_v2(sd->db, "SELECT NOT EXISTS (SELECT 1 FROM dst.search_fts_docsize)", -1, &st, NULL);
		if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
			empty = sqlite3_column_int(st, 0);
			rc = SQLITE_OK;
		} else {
			snprintf(msg, sizeof msg, "%s", sqlite3_errmsg(sd->db));
		}
		sqlite3_finalize(st);
	}
	if (rc == SQLITE_OK)
		rc = side_exec(sd->db, empty ? copy : merge, msg, sizeof msg);
	if (rc == SQLITE_OK && empty && (rc = side_relevel_copy(sd->db)) != SQLITE_OK)
		snprintf(msg, sizeof msg, "move the index to its level: %s", sqlite3_errmsg(sd->db));
	if (rc == SQLITE_OK)
		rc = side_exec(sd->db, "DROP TABLE IF EXISTS dst.bulk_search_side; COMMIT", msg, sizeof msg);
	if (rc != SQLITE_OK)
		sqlite3_exec(sd->db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_exec(sd->db, "DETACH dst", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return kp_err_set(err, KP_ESTORE, "bulk load: copy the search index: %s", msg);
	return 0;
}

int sq_side_stop(struct sq_conn *c)
{
	struct sq_side *sd = c->side;

	if (!sd)
		return 0;
	pthread_mutex_lock(&sd->mu);
	sd->stopping = 1;
	pthread_cond_broadcast(&sd->cv);
	pthread_mutex_unlock(&sd->mu);
	return 0;
}

int sq_side_finish(struct sq_conn *c, int copy, int64_t *docs, struct kp_err *err)
{
	struct sq_side *sd = c->side;
	int rc = 0;

	if (!sd)
		return 0;
	sq_side_discard(c);
	sq_side_stop(c);
	pthread_join(sd->thr, NULL);

	c->side = NULL;
	while (sd->head) {
		struct side_batch *b = sd->head;
		sd->head = b->next;
		side_batch_free(b);
	}
	while (sd->spare) {
		struct side_batch *b = sd->spare;
		sd->spare = b->next;
		side_batch_free(b);
	}
	if (docs)
		*docs = sd->docs;
	if (sd->failed)
		rc = kp_err_set(err, KP_ESTORE, "bulk load: %s", sd->msg);
	else if (copy)
		rc = side_copy(sd, c->path, err);
	sqlite3_close_v2(sd->db);
	sq_fts_recorder_free(sd->rec);
	unlink(sd->path);
	free(sd->path);
	pthread_mutex_destroy(&sd->mu);
	pthread_cond_destroy(&sd->cv);
	free(sd);
	return rc;
}
