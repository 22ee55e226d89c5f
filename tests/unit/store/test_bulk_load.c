/*
 * SQLite bulk load (store_bulk_load): the side search index built on a second thread and
 * copied in at the end must give the same search results as indexing on the writer, keep
 * updates, deletes and rolled-back jobs right, leave a sound FTS5 index, the secondary
 * indexes and the WAL behind; and a load that dies halfway must leave a database whose
 * next open finishes the indexes and the search entries.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test.h"

#include "store/sqlite/sq_int.h"
#include "store/store.h"
#include "util/log.h"

#define BL_CUSTOMERS 1500

static const char *const bl_surnames[] = { "Virtanen", "Korhonen", "Nieminen", "Mäkinen", "Hämäläinen" };
static const char *const bl_summaries[] = { "Lasku puuttuu", "Reklamaatio toimituksesta", "Kiitos palvelusta",
					    "Invoice question", "Osoitteenmuutos" };

struct bl_load {
	int64_t first_id;   /* first customer id of this job */
	int64_t renamed_id; /* set by the rename job */
	int64_t deleted_it; /* an interaction deleted in the load */
	int fail;           /* this job fails after its inserts (rolled back) */
};

/* Customers with an e-mail and a tag, each with two interactions. */
static int bl_insert_run(struct store_conn *c, void *arg, struct kp_err *err)
{
	struct bl_load *ld = arg;
	int n = ld->fail ? 3 : BL_CUSTOMERS;

	for (int i = 0; i < n; i++) {
		char name[64], email[64];
		struct contact_point cp;
		const char *tags[1] = { i % 7 ? "kanta-asiakas" : "vip" };
		struct customer cu = { 0 };
		snprintf(name, sizeof name, "%s %s %d", ld->fail ? "Peruttu" : "Asiakas",
			 bl_surnames[i % 5], i);
		snprintf(email, sizeof email, "asiakas%d@example.fi", i);
		cp = (struct contact_point){ .kind = "email", .value = email, .primary = 1 };
		cu.name = name;
		cu.contacts = &cp;
		cu.ncontacts = 1;
		cu.tags = tags;
		cu.ntags = 1;
		cu.custom_json = "{}";
		int rc = store_customer_insert(c, &cu, err);
		if (rc)
			return rc;
		if (i == 0)
			ld->first_id = cu.id;
		for (int j = 0; j < 2; j++) {
			struct interaction it = { 0 };
			it.customer_id = cu.id;
			it.kind = "email";
			it.direction = "inbound";
			it.summary = bl_summaries[(i + j) % 5];
			it.body = j ? "Hei, laskussa on virhe. Terveisin" : "Kiitos nopeasta avusta";
			if ((rc = store_interaction_insert(c, &it, err)))
				return rc;
			if (i == 10 && j == 1)
				ld->deleted_it = it.id;
		}
	}
	if (ld->fail)
		return kp_err_set(err, KP_EINVAL, "this job fails on purpose");
	return 0;
}

/* Rename one customer (its interactions are re-indexed under the new name) and delete
 * one interaction. */
static int bl_change_run(struct store_conn *c, void *arg, struct kp_err *err)
{
	struct bl_load *ld = arg;
	struct arena a = ARENA_INIT;
	struct customer cu;
	int rc = store_customer_get(c, ld->first_id + 3, &cu, &a, err);

	if (rc == 0) {
		cu.name = "Uusinimi Lahtinen";
		rc = store_customer_update(c, &cu, cu.version, err);
		ld->renamed_id = cu.id;
	}
	if (rc == 0)
		rc = store_interaction_delete(c, ld->deleted_it, 0, err);
	arena_release(&a);
	return rc;
}

static size_t bl_hits(struct store *s, const char *q, const char *entity, int64_t id)
{
	struct kp_err err = KP_ERR_INIT;
	struct arena a = ARENA_INIT;
	struct search_result r;
	size_t n = 0;

	if (store_search(store_reader(s, &err), q, NULL, 200, 0, &r, &a, &err) == 0) {
		for (size_t i = 0; i < r.n; i++)
			if ((!entity || strcmp(r.items[i].entity, entity) == 0) && (!id || r.items[i].id == id))
				n++;
	}
	arena_release(&a);
	return n;
}

/* FTS5's own integrity check and the shape the load must leave: 0 if all is well. A side
 * index load leaves its one segment on a high level (search_side.c), unless a write after
 * the load (after_write) has added segments below it. */
static int bl_check_file(const char *path, int side, int after_write)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int bad = 0;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK || sq_fts_register(db) != SQLITE_OK) {
		sqlite3_close(db);
		return 1;
	}
	if (sqlite3_exec(db, "INSERT INTO search_fts(search_fts) VALUES ('integrity-check')", NULL, NULL, NULL) != SQLITE_OK) {
		fprintf(stderr, "  integrity-check: %s\n", sqlite3_errmsg(db));
		bad = 1;
	}
	/* the secondary indexes are back, the bulk-load bookkeeping is gone, WAL again */
	if (sqlite3_prepare_v2(db,
			       "SELECT (SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name IN"
			       " ('customers_created', 'customers_name', 'customer_contacts_email', 'interactions_occurred',"
			       "  'interactions_org', 'interactions_staff')),"
			       " (SELECT count(*) FROM sqlite_master WHERE name IN ('bulk_dropped_indexes', 'bulk_search_side'))",
			       -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW || sqlite3_column_int(st, 0) != 6 || sqlite3_column_int(st, 1) != 0) {
		fprintf(stderr, "  indexes or bulk tables wrong\n");
		bad = 1;
	}
	sqlite3_finalize(st);
	st = NULL;
	if (side && sqlite3_prepare_v2(db, "SELECT block FROM search_fts_data WHERE id = 10", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW) {
		unsigned char out[128];
		size_t outn = 0;
		int was = -1;
		int rw = sq_side_relevel(sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0), 24, out, sizeof out,
					 &outn, &was);
		/* one segment already on level 24: nothing to rewrite; after a write, more
		 * segments: not a one-segment record any more */
		if (after_write ? rw != 0 : (rw != 0 || was != 24)) {
			fprintf(stderr, "  search index structure: rewrite %d, level %d\n", rw, was);
			bad = 1;
		}
	}
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL) != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW ||
	    strcmp((const char *)sqlite3_column_text(st, 0), "wal") != 0) {
		fprintf(stderr, "  not in WAL mode\n");
		bad = 1;
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return bad;
}

static void bl_path(char *out, size_t n, const char *tag, const char *suffix)
{
	snprintf(out, n, "/tmp/kp-unit-bulk-%s-%d.db%s", tag, (int)getpid(), suffix);
}

static void bl_unlink(const char *tag)
{
	static const char *const sfx[] = { "", "-wal", "-shm", "-journal", "-bulksearch" };
	char p[128];

	for (size_t i = 0; i < sizeof sfx / sizeof sfx[0]; i++) {
		bl_path(p, sizeof p, tag, sfx[i]);
		unlink(p);
	}
}

static int bl_exists(const char *tag, const char *suffix)
{
	char p[128];
	struct stat sb;

	bl_path(p, sizeof p, tag, suffix);
	return stat(p, &sb) == 0;
}

/* Load into a fresh database (side = 0: indexing on the writer, as before this path).
 * hold_reader: keep this thread's read connection open (then SQLite stays in WAL). */
static void bl_load_and_check(const char *tag, int side, int hold_reader, size_t counts[6])
{
	char path[128], url[160];
	struct kp_err err = KP_ERR_INIT;
	struct store *s = NULL;
	struct bl_load ld = { 0 }, ld2 = { 0 }, bad = { .fail = 1 };

	log_set_quiet(1);
	bl_unlink(tag);
	bl_path(path, sizeof path, tag, "");
	snprintf(url, sizeof url, "sqlite:%s", path);
	if (side)
		unsetenv("KUMPPANI_BULK_NO_SIDE");
	else
		setenv("KUMPPANI_BULK_NO_SIDE", "1", 1);
	CHECK_INT(store_open(url, NULL, &s, &err), 0);
	if (!s)
		return;
	if (hold_reader)
		CHECK(store_reader(s, &err) != NULL);
	else
		store_reader_close(s);
	CHECK_INT(store_bulk_load(s, 1, &err), 0);
	CHECK_INT(bl_exists(tag, "-bulksearch"), side);
	CHECK_INT(store_exec(s, bl_insert_run, &ld, &err), 0);
	CHECK(store_exec(s, bl_insert_run, &bad, &err) != 0); /* rolled back */
	CHECK_INT(store_exec(s, bl_insert_run, &ld2, &err), 0);
	CHECK_INT(store_exec(s, bl_change_run, &ld, &err), 0);
	CHECK_INT(store_bulk_load(s, 0, &err), 0);
	CHECK_INT(bl_exists(tag, "-bulksearch"), 0);

	/* Finnish inflection, the owner's name as context, e-mails and tags */
	counts[0] = bl_hits(s, "Virtasen lasku", "interaction", 0);
	counts[1] = bl_hits(s, "asiakas7@example.fi", "customer", 0);
	counts[2] = bl_hits(s, "reklamaatio", NULL, 0);
	counts[3] = bl_hits(s, "Peruttu", NULL, 0);
	counts[4] = bl_hits(s, "Uusinimi", "interaction", 0);
	counts[5] = bl_hits(s, "Mäkinen 3", "customer", ld.first_id + 3);
	CHECK(counts[0] > 0);
	CHECK_INT(counts[1], 2); /* one per load job */
	CHECK(counts[2] > 0);
	CHECK_INT(counts[3], 0); /* the failed job left nothing */
	CHECK_INT(counts[4], 2); /* the renamed customer's interactions, under the new name */
	CHECK_INT(counts[5], 0); /* ... and not under the old one */
	CHECK_INT(bl_hits(s, "Mäkinen 3", "customer", ld2.first_id + 3), 1);
	CHECK_INT(bl_hits(s, "Uusinimi", "customer", ld.first_id + 3), 1);
	CHECK_INT(bl_hits(s, "Virtanen 10 virhe", "interaction", 0), 1);
	CHECK_INT(bl_hits(s, "Virtanen 10 virhe", "interaction", ld.deleted_it), 0);
	CHECK_INT(bl_hits(s, "Virtanen 10 virhe", "interaction", ld2.deleted_it), 1);
	store_close(s);
	CHECK_INT(bl_check_file(path, side, 0), 0);

	/* the server's writes after the load go into the index the load left */
	CHECK_INT(store_open(url, NULL, &s, &err), 0);
	if (s) {
		struct bl_load ld3 = { 0 };
		CHECK_INT(store_exec(s, bl_insert_run, &ld3, &err), 0);
		CHECK_INT(bl_hits(s, "asiakas7@example.fi", "customer", 0), 3);
		CHECK_INT(bl_hits(s, "Mäkinen 3", "customer", ld3.first_id + 3), 1);
		store_close(s);
		CHECK_INT(bl_check_file(path, side, 1), 0);
	}
	unsetenv("KUMPPANI_BULK_NO_SIDE");
	bl_unlink(tag);
}

TEST(bulk_load_side_index_matches_writer_index)
{
	size_t side[6], inline_[6], held[6];

	bl_load_and_check("side", 1, 0, side);
	bl_load_and_check("inline", 0, 0, inline_);
	bl_load_and_check("held", 1, 1, held); /* another connection open: stays in WAL */
	for (int i = 0; i < 6; i++) {
		CHECK_INT(side[i], inline_[i]);
		CHECK_INT(held[i], inline_[i]);
	}
}

/* A load that dies (the process exits with bulk load on): the next open rebuilds the
 * dropped indexes and the search index, and removes the scratch file. */
/* Every index of the schema, in one string (name and definition). */
static char *bl_index_list(const char *path)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	char *list = NULL;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db,
			       "SELECT group_concat(name || ':' || ifnull(sql, ''), '|') FROM"
			       " (SELECT name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') ORDER BY name)",
			       -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		list = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
	return list;
}

TEST(bulk_load_that_dies_is_finished_by_the_next_open)
{
	char path[128], url[160];
	struct kp_err err = KP_ERR_INIT;
	struct store *s = NULL;
	int status = -1;
	pid_t pid;

	char *schema_before = NULL, *schema_after = NULL;

	log_set_quiet(1);
	bl_unlink("dies");
	bl_path(path, sizeof path, "dies", "");
	snprintf(url, sizeof url, "sqlite:%s", path);
	unsetenv("KUMPPANI_BULK_NO_SIDE");
	CHECK_INT(store_open(url, NULL, &s, &err), 0); /* the schema a load starts from */
	store_close(s);
	schema_before = bl_index_list(path);
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		struct bl_load ld = { 0 };
		if (store_open(url, NULL, &s, &err) != 0)
			_exit(2);
		store_reader_close(s);
		if (store_bulk_load(s, 1, &err) != 0 || store_exec(s, bl_insert_run, &ld, &err) != 0)
			_exit(3);
		_exit(0); /* dies with the load on: no bulk_load(0), no close */
	}
	CHECK(pid > 0);
	if (pid <= 0)
		return;
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK_INT(bl_exists("dies", "-bulksearch"), 1);
	{
		/* the load dropped the children-copy triggers with the indexes ... */
		char *during = bl_index_list(path);
		CHECK(during != NULL && strstr(during, "customer_contacts_stale_i") == NULL);
		CHECK(during != NULL && strstr(during, "customers_name") == NULL);
		free(during);
	}

	CHECK_INT(store_open(url, NULL, &s, &err), 0);
	if (!s)
		return;
	CHECK_INT(bl_exists("dies", "-bulksearch"), 0);
	CHECK(bl_hits(s, "Virtasen lasku", "interaction", 0) > 0);
	CHECK_INT(bl_hits(s, "asiakas7@example.fi", "customer", 0), 1);
	store_close(s);
	CHECK_INT(bl_check_file(path, 0, 0), 0);
	/* ... and the next open built them all again */
	schema_after = bl_index_list(path);
	CHECK(schema_before != NULL && schema_after != NULL);
	if (schema_before && schema_after)
		CHECK_STR(schema_after, schema_before);
	free(schema_before);
	free(schema_after);
	bl_unlink("dies");
}

/* FTS5's structure record of one segment is moved to a higher level; anything else is
 * left alone. */
TEST(bulk_load_relevels_only_one_segment_records)
{
	/* cookie 4; 2 levels, 1 segment, write counter 0; level 0: none; level 1: segment
	 * 111, pages 1 .. 89336 */
	static const unsigned char one[] = { 0, 0, 0, 4, 2, 1, 0, 0, 0, 0, 1, 111, 1, 0x85, 0xb9, 0x78 };
	static const unsigned char two[] = { 0, 0, 0, 4, 1, 2, 0, 0, 2, 1, 1, 1, 2, 2, 2 };
	unsigned char out[128], out2[128];
	size_t n = 0, n2 = 0;
	int was = -1;

	CHECK_INT(sq_side_relevel(one, sizeof one, 24, out, sizeof out, &n, &was), 1);
	CHECK_INT(was, 1);
	CHECK_INT(out[3], 5);  /* a new cookie */
	CHECK_INT(out[4], 25); /* levels */
	CHECK_INT((int)n, 4 + 3 + 24 * 2 + 2 + 1 + 1 + 3);
	CHECK(memcmp(out + n - 5, (const unsigned char[]){ 111, 1, 0x85, 0xb9, 0x78 }, 5) == 0);
	/* the result reads back as a one-segment record on level 24: nothing more to do */
	was = -1;
	CHECK_INT(sq_side_relevel(out, n, 24, out2, sizeof out2, &n2, &was), 0);
	CHECK_INT(was, 24);
	/* two segments, a later format, a cut record, trailing bytes: left alone */
	CHECK_INT(sq_side_relevel(two, sizeof two, 24, out, sizeof out, &n, &was), 0);
	unsigned char v2[sizeof one];
	memcpy(v2, one, sizeof one);
	v2[4] = 0xff;
	CHECK_INT(sq_side_relevel(v2, sizeof v2, 24, out, sizeof out, &n, &was), 0);
	CHECK_INT(sq_side_relevel(one, sizeof one - 1, 24, out, sizeof out, &n, &was), 0);
	unsigned char longer[sizeof one + 1];
	memcpy(longer, one, sizeof one);
	longer[sizeof one] = 0;
	CHECK_INT(sq_side_relevel(longer, sizeof longer, 24, out, sizeof out, &n, &was), 0);
	/* a non-minimal varint (0x80 0x01 for 1) does not round-trip: left alone */
	static const unsigned char odd[] = { 0, 0, 0, 4, 0x80, 0x02, 1, 0, 0, 0, 0, 1, 111, 1, 0x85, 0xb9, 0x78 };
	CHECK_INT(sq_side_relevel(odd, sizeof odd, 24, out, sizeof out, &n, &was), 0);
}

/* The writer connection's settings, read inside a job (the writer's thread). */
struct bl_settings {
	int temp_store, threads, cache_size, queue;
};

static int bl_pragma_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int v = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

static int bl_settings_run(struct store_conn *c, void *arg, struct kp_err *err)
{
	struct bl_settings *bs = arg;
	sqlite3 *db = SQ_C(c)->db;

	(void)err;
	bs->temp_store = bl_pragma_int(db, "PRAGMA temp_store");
	bs->threads = bl_pragma_int(db, "PRAGMA threads");
	bs->cache_size = bl_pragma_int(db, "PRAGMA cache_size");
	bs->queue = bl_pragma_int(db, "SELECT count(*) FROM temp.sqlite_master WHERE name = 'search_queue'");
	return 0;
}


/* The indexes are built again with the sorter in temporary files (sqlite.c,
 * sq_sort_settings), which changes and then restores the writer's temp_store - a change
 * that drops its temporary tables. Afterwards every index of the schema is there, the
 * writer has its settings and its search queue back, and writes on the same store are
 * searchable at once. */
TEST(bulk_load_rebuilds_every_index_and_restores_the_writer)
{
	char path[128], url[160];
	struct kp_err err = KP_ERR_INIT;
	struct store *s = NULL;
	struct bl_load ld = { 0 }, ld2 = { 0 };
	struct bl_settings before = { 0 }, after = { 0 };
	char *indexes_before, *indexes_after;

	log_set_quiet(1);
	unsetenv("KUMPPANI_BULK_NO_SIDE");
	bl_unlink("restore");
	bl_path(path, sizeof path, "restore", "");
	snprintf(url, sizeof url, "sqlite:%s", path);
	CHECK_INT(store_open(url, NULL, &s, &err), 0);
	if (!s)
		return;
	store_reader_close(s);
	CHECK_INT(store_exec(s, bl_settings_run, &before, &err), 0);
	indexes_before = bl_index_list(path);
	CHECK(indexes_before != NULL);
	CHECK(indexes_before && strstr(indexes_before, "interactions_occurred") != NULL);
	CHECK(indexes_before && strstr(indexes_before, "customer_tags_stale_u") != NULL);

	CHECK_INT(store_bulk_load(s, 1, &err), 0);
	CHECK_INT(store_exec(s, bl_insert_run, &ld, &err), 0);
	CHECK_INT(store_bulk_load(s, 0, &err), 0);

	CHECK_INT(store_exec(s, bl_settings_run, &after, &err), 0);
	CHECK_INT(after.temp_store, before.temp_store);
	CHECK_INT(after.threads, before.threads);
	CHECK_INT(after.cache_size, before.cache_size);
	CHECK_INT(after.queue, 1);
	/* a write on the same writer goes through its search queue */
	CHECK_INT(store_exec(s, bl_insert_run, &ld2, &err), 0);
	CHECK_INT(bl_hits(s, "asiakas7@example.fi", "customer", 0), 2);
	CHECK_INT(bl_hits(s, "Mäkinen 3", "customer", ld2.first_id + 3), 1);
	CHECK(bl_hits(s, "Virtasen lasku", "interaction", 0) > 0);
	store_close(s);

	indexes_after = bl_index_list(path);
	CHECK(indexes_after != NULL);
	if (indexes_before && indexes_after)
		CHECK_STR(indexes_after, indexes_before);
	CHECK_INT(bl_check_file(path, 1, 1), 0);
	free(indexes_before);
	free(indexes_after);
	bl_unlink("restore");
}
