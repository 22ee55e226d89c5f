/*
 * customers.children, the copy of a customer's contact points and tags in its own row that
 * GET /customers/{id} reads on SQLite (SQ_CHILDREN_SQL in sq_int.h): it carries any text
 * back exactly, it follows every write of the customer ops, and a write that goes around
 * them (or a copy that cannot be read) costs speed, never a stale or wrong answer.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "test.h"

#include "store/sqlite/sq_int.h"
#include "store/store.h"
#include "util/log.h"

struct ch_db {
	char path[128];
	char url[160];
	struct store *s;
};

static void ch_unlink(const struct ch_db *d)
{
	static const char *const sfx[] = { "", "-wal", "-shm", "-journal" };
	char p[160];

	for (size_t i = 0; i < sizeof sfx / sizeof sfx[0]; i++) {
		snprintf(p, sizeof p, "%s%s", d->path, sfx[i]);
		unlink(p);
	}
}

static int ch_open(struct ch_db *d, const char *tag)
{
	struct kp_err err = KP_ERR_INIT;

	log_set_quiet(1);
	snprintf(d->path, sizeof d->path, "/tmp/kp-unit-children-%s-%d.db", tag, (int)getpid());
	snprintf(d->url, sizeof d->url, "sqlite:%s", d->path);
	ch_unlink(d);
	d->s = NULL;
	return store_open(d->url, NULL, &d->s, &err);
}

static void ch_close(struct ch_db *d)
{
	store_close(d->s);
	ch_unlink(d);
}

struct ch_write {
	struct customer *cu;
	int update;
};

static int ch_write_run(struct store_conn *c, void *arg, struct kp_err *err)
{
	struct ch_write *w = arg;
	return w->update ? store_customer_update(c, w->cu, 0, err) : store_customer_insert(c, w->cu, err);
}

/* Run SQL on the file as another program would (its own connection, no store ops). */
static int ch_sql(const struct ch_db *d, const char *sql)
{
	sqlite3 *db = NULL;
	int rc = sqlite3_open_v2(d->path, &db, SQLITE_OPEN_READWRITE, NULL);

	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		fprintf(stderr, "  %s: %s\n", sql, sqlite3_errmsg(db));
	sqlite3_close(db);
	return rc;
}

/* Is the row's copy NULL (1), present (0), or unreadable (-1)? */
static int ch_copy_is_null(const struct ch_db *d, int64_t id)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int ret = -1;

	if (sqlite3_open_v2(d->path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, "SELECT children IS NULL FROM customers WHERE id = ?1", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, id);
		if (sqlite3_step(st) == SQLITE_ROW)
			ret = sqlite3_column_int(st, 0);
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return ret;
}

/* The first column of sql's first row as an integer, or -1. */
static long long ch_int(const struct ch_db *d, const char *sql)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	long long v = -1;

	if (sqlite3_open_v2(d->path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

static int ch_get(struct ch_db *d, int64_t id, struct customer *out, struct arena *a)
{
	struct kp_err err = KP_ERR_INIT;
	struct store_conn *r = store_reader(d->s, &err);
	return r ? store_customer_get(r, id, out, a, &err) : -1;
}

/* Contact points and tags with every kind of character the copy has to escape. */
static const struct contact_point ch_contacts[] = {
	{ 0, "email", "liisa@example.fi", "työ \"pää\" \\ posti", 1 },
	{ 0, "phone", "+358401234567", NULL, 0 },
	{ 0, "address", "{\"street\":\"Hämeenkatu 1\\nB 4\",\"city\":\"Tampere\"}", "rivi\nrivi\ttab \x01 loppu", 0 },
	{ 0, "phone", "+358501112222", "emoji 😀 ja \xe2\x80\xa8 erotin", 1 },
	{ 0, "email", "x@example.fi", "", 0 },
};
static const char *const ch_tags[] = { "zeta", "Äiti", "vip", "\"lainattu\"", "a\\b", "vip" };
/* the same tags in the order GET lists them: by their bytes */
static const char *const ch_tags_sorted[] = { "\"lainattu\"", "a\\b", "vip", "zeta", "Äiti" };

#define CH_NCONTACTS (sizeof ch_contacts / sizeof ch_contacts[0])

/* A customer named name with every tricky contact point (copied into cps) and tag. */
static void ch_tricky_customer(struct customer *cu, struct contact_point cps[CH_NCONTACTS], const char *name)
{
	memcpy(cps, ch_contacts, sizeof ch_contacts);
	memset(cu, 0, sizeof *cu);
	cu->name = name;
	cu->contacts = cps;
	cu->ncontacts = CH_NCONTACTS;
	cu->tags = (const char **)ch_tags;
	cu->ntags = sizeof ch_tags / sizeof ch_tags[0];
	cu->custom_json = "{}";
}

static void ch_check_full(const struct customer *got)
{
	size_t nc = CH_NCONTACTS, nt = sizeof ch_tags_sorted / sizeof ch_tags_sorted[0];

	CHECK_INT(got->ncontacts, nc);
	for (size_t i = 0; i < nc && i < got->ncontacts; i++) {
		CHECK_STR(got->contacts[i].kind, ch_contacts[i].kind);
		CHECK_STR(got->contacts[i].value, ch_contacts[i].value);
		if (ch_contacts[i].label)
			CHECK_STR(got->contacts[i].label ? got->contacts[i].label : "(null)", ch_contacts[i].label);
		else
			CHECK(got->contacts[i].label == NULL);
		CHECK_INT(got->contacts[i].primary, ch_contacts[i].primary);
		CHECK(got->contacts[i].id > 0);
		if (i)
			CHECK(got->contacts[i].id > got->contacts[i - 1].id);
	}
	CHECK_INT(got->ntags, nt);
	for (size_t i = 0; i < nt && i < got->ntags; i++)
		CHECK_STR(got->tags[i], ch_tags_sorted[i]);
}

TEST(children_copy_carries_any_text_back_exactly)
{
	struct ch_db d;
	struct arena a = ARENA_INIT;
	struct kp_err err = KP_ERR_INIT;
	struct contact_point cps[CH_NCONTACTS];
	struct customer cu = { 0 }, got;
	struct ch_write w = { &cu, 0 };

	CHECK_INT(ch_open(&d, "text"), 0);
	if (!d.s)
		return;
	ch_tricky_customer(&cu, cps, "Liisa \"Lainaus\" Nieminen");
	CHECK_INT(store_exec(d.s, ch_write_run, &w, &err), 0);
	CHECK_INT(ch_copy_is_null(&d, cu.id), 0); /* GET reads the copy ... */
	CHECK_INT(ch_get(&d, cu.id, &got, &a), 0);
	ch_check_full(&got);

	/* ... the copy SQL computes from the tables (migration 4) gives the same answer ... */
	CHECK_INT(ch_sql(&d, "UPDATE customers SET children = " SQ_CHILDREN_SQL("customers.id")), SQLITE_OK);
	CHECK_INT(ch_copy_is_null(&d, cu.id), 0);
	CHECK_INT(ch_get(&d, cu.id, &got, &a), 0);
	ch_check_full(&got);

	/* ... and so do the tables */
	CHECK_INT(ch_sql(&d, "UPDATE customers SET children = NULL"), SQLITE_OK);
	CHECK_INT(ch_copy_is_null(&d, cu.id), 1);
	CHECK_INT(ch_get(&d, cu.id, &got, &a), 0);
	ch_check_full(&got);

	/* an update refreshes it; none left is an empty copy, not a missing one */
	cu.ncontacts = 0;
	cu.ntags = 0;
	w.update = 1;
	CHECK_INT(store_exec(d.s, ch_write_run, &w, &err), 0);
	CHECK_INT(ch_copy_is_null(&d, cu.id), 0);
	CHECK_INT(ch_get(&d, cu.id, &got, &a), 0);
	CHECK_INT(got.ncontacts, 0);
	CHECK_INT(got.ntags, 0);
	CHECK_STR(got.name, "Liisa \"Lainaus\" Nieminen");
	arena_release(&a);
	ch_close(&d);
}

TEST(children_copy_never_answers_stale_or_unreadable)
{
	struct ch_db d;
	struct arena a = ARENA_INIT;
	struct kp_err err = KP_ERR_INIT;
	struct contact_point cp = { 0, "email", "pekka@example.fi", NULL, 1 };
	const char *tags[1] = { "uusi" };
	struct customer cu = { 0 }, other = { 0 }, got;
	struct ch_write w = { &cu, 0 }, wo = { &other, 0 };
	char sql[256];

	CHECK_INT(ch_open(&d, "stale"), 0);
	if (!d.s)
		return;
	cu.name = "Pekka Virtanen";
	cu.contacts = &cp;
	cu.ncontacts = 1;
	cu.tags = tags;
	cu.ntags = 1;
	cu.custom_json = "{}";
	other.name = "Toinen Asiakas";
	other.custom_json = "{}";
	CHECK_INT(store_exec(d.s, ch_write_run, &w, &err), 0);
	CHECK_INT(store_exec(d.s, ch_write_run, &wo, &err), 0);
	CHECK_INT(ch_copy_is_null(&d, other.id), 0); /* no contacts, no tags: '[[],[]]' */

	/* another program adds a tag and a contact point: the triggers drop the copy */
	snprintf(sql, sizeof sql, "INSERT INTO customer_tags(customer_id, tag) VALUES (%lld, 'vip')", (long long)cu.id);
	CHECK_INT(ch_sql(&d, sql), SQLITE_OK);
	CHECK_INT(ch_copy_is_null(&d, cu.id), 1);
	snprintf(sql, sizeof sql,
		 "INSERT INTO customer_contacts(customer_id, kind, value, is_primary) VALUES (%lld, 'phone', '+35850', 0)",
		 (long long)cu.id);
	CHECK_INT(ch_sql(&d, sql), SQLITE_OK);
	CHECK_INT(ch_get(&d, cu.id, &got, &a), 0);
	CHECK_INT(got.ncontacts, 2);
	CHECK_INT(got.ntags, 2);
	if (got.ntags == 2) {
		CHECK_STR(got.tags[0], "uusi");
		CHECK_STR(got.tags[1], "vip");
	}

	/* the next write of the ops fills it again */
	w.update = 1;
	CHECK_INT(store_exec(d.s, ch_write_run, &w, &err), 0);
	CHECK_INT(ch_copy_is_null(&d, cu.id), 0);

	/* moving a contact point to another customer drops both copies; deleting one, its own */
	snprintf(sql, sizeof sql, "UPDATE customer_contacts SET customer_id = %lld WHERE customer_id = %lld",
		 (long long)other.id, (long long)cu.id);
	CHECK_INT(ch_sql(&d, sql), SQLITE_OK);
	CHECK_INT(ch_copy_is_null(&d, cu.id), 1);
	CHECK_INT(ch_copy_is_null(&d, other.id), 1);
	CHECK_INT(ch_get(&d, cu.id, &got, &a), 0);
	CHECK_INT(got.ncontacts, 0);
	CHECK_INT(ch_get(&d, other.id, &got, &a), 0);
	CHECK_INT(got.ncontacts, 1);
	if (got.ncontacts == 1)
		CHECK_STR(got.contacts[0].value, "pekka@example.fi");
	w.update = 1;
	CHECK_INT(store_exec(d.s, ch_write_run, &w, &err), 0); /* cu gets its one contact back */
	snprintf(sql, sizeof sql, "DELETE FROM customer_tags WHERE customer_id = %lld AND tag = 'uusi'", (long long)cu.id);
	CHECK_INT(ch_sql(&d, sql), SQLITE_OK);
	CHECK_INT(ch_get(&d, cu.id, &got, &a), 0);
	CHECK_INT(got.ntags, 0);
	CHECK_INT(got.ncontacts, 1);

	/* REPLACE takes a contact point from its customer without a delete trigger: the BEFORE
	 * triggers drop the loser's copy too */
	w.update = 1;
	CHECK_INT(store_exec(d.s, ch_write_run, &w, &err), 0);
	CHECK_INT(ch_copy_is_null(&d, cu.id), 0);
	snprintf(sql, sizeof sql,
		 "INSERT OR REPLACE INTO customer_contacts(id, customer_id, kind, value, is_primary)"
		 " VALUES (%lld, %lld, 'email', 'moved@example.fi', 0)",
		 (long long)cp.id, (long long)other.id);
	CHECK_INT(ch_sql(&d, sql), SQLITE_OK);
	CHECK_INT(ch_copy_is_null(&d, cu.id), 1);
	CHECK_INT(ch_get(&d, cu.id, &got, &a), 0);
	CHECK_INT(got.ncontacts, 0);
	w.update = 1;
	CHECK_INT(store_exec(d.s, ch_write_run, &w, &err), 0);
	CHECK_INT(ch_copy_is_null(&d, cu.id), 0);
	snprintf(sql, sizeof sql, "UPDATE OR REPLACE customer_contacts SET id = %lld WHERE customer_id = %lld",
		 (long long)cp.id, (long long)other.id);
	CHECK_INT(ch_sql(&d, sql), SQLITE_OK);
	CHECK_INT(ch_get(&d, cu.id, &got, &a), 0);
	CHECK_INT(got.ncontacts, 0);
	w.update = 1;
	CHECK_INT(store_exec(d.s, ch_write_run, &w, &err), 0);
	snprintf(sql, sizeof sql, "DELETE FROM customer_tags WHERE customer_id = %lld", (long long)cu.id);
	CHECK_INT(ch_sql(&d, sql), SQLITE_OK);

	/* a copy that is not exactly what SQLite's JSON functions write is not believed */
	static const char *const bad[] = {
		"", "[", "[[],[]", "[[],[]]x", "[[[1,\"email\",\"a@b\",null,1]],[\"t\"],[]]", "[[[1,\"email\"]],[]]",
		"[[[1,\"email\",\"a\\q\",null,1]],[]]", "[[[1,\"email\",\"\\ud800\",null,1]],[]]",
		"[[[99999999999999999999,\"email\",\"a\",null,1]],[]]", "[[],[\"unterminated]]", "{\"a\":1}",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		sqlite3 *db = NULL;
		sqlite3_stmt *st = NULL;
		CHECK_INT(sqlite3_open_v2(d.path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
		CHECK_INT(sqlite3_prepare_v2(db, "UPDATE customers SET children = ?1 WHERE id = ?2", -1, &st, NULL),
			  SQLITE_OK);
		sqlite3_bind_text(st, 1, bad[i], -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, cu.id);
		CHECK_INT(sqlite3_step(st), SQLITE_DONE);
		sqlite3_finalize(st);
		sqlite3_close(db);
		CHECK_INT(ch_get(&d, cu.id, &got, &a), 0);
		CHECK_INT(got.ncontacts, 1);
		CHECK_INT(got.ntags, 0);
		if (got.ncontacts == 1)
			CHECK_STR(got.contacts[0].value, "pekka@example.fi");
	}
	arena_release(&a);
	ch_close(&d);
}

/* Decoding costs memory in proportion to the copy: fifty addresses, each JSON text with
 * escaped quotes, read back through the copy. */
TEST(children_copy_decodes_in_proportion)
{
	struct ch_db d;
	struct arena a = ARENA_INIT;
	struct kp_err err = KP_ERR_INIT;
	struct contact_point cps[50];
	char vals[50][128];
	struct customer cu = { 0 }, got;
	struct ch_write w = { &cu, 0 };

	CHECK_INT(ch_open(&d, "size"), 0);
	if (!d.s)
		return;
	for (int i = 0; i < 50; i++) {
		snprintf(vals[i], sizeof vals[i],
			 "{\"street\":\"Hämeenkatu %d A %d\",\"postal_code\":\"33100\",\"city\":\"Tampere\"}", i + 1, i);
		cps[i] = (struct contact_point){ 0, "address", vals[i], "koti", i == 0 };
	}
	cu.name = "Monen Osoitteen Asiakas";
	cu.contacts = cps;
	cu.ncontacts = 50;
	cu.custom_json = "{}";
	CHECK_INT(store_exec(d.s, ch_write_run, &w, &err), 0);
	CHECK_INT(ch_copy_is_null(&d, cu.id), 0);
	size_t before = a.total;
	CHECK_INT(ch_get(&d, cu.id, &got, &a), 0);
	CHECK_INT(got.ncontacts, 50);
	if (got.ncontacts == 50)
		CHECK_STR(got.contacts[49].value, vals[49]);
	/* the copy is about 5 KB; before, each escaped string took the rest of it (about 150 KB) */
	CHECK(a.total - before < 32 * 1024);
	arena_release(&a);
	ch_close(&d);
}

TEST(children_copy_is_what_get_reads)
{
	struct ch_db d;
	struct arena a = ARENA_INIT;
	struct kp_err err = KP_ERR_INIT;
	struct contact_point cps[2][CH_NCONTACTS];
	struct customer cu[2] = { { 0 } }, got;
	char sql[512];

	CHECK_INT(ch_open(&d, "reads"), 0);
	if (!d.s)
		return;
	for (int i = 0; i < 2; i++) {
		struct ch_write w = { &cu[i], 0 };
		ch_tricky_customer(&cu[i], cps[i], i ? "Kopio SQL:stä" : "Kopio C:stä");
		CHECK_INT(store_exec(d.s, ch_write_run, &w, &err), 0);
	}
	/* the second customer's copy as migration 4 computes it from the tables */
	snprintf(sql, sizeof sql, "UPDATE customers SET children = " SQ_CHILDREN_SQL("customers.id") " WHERE id = %lld",
		 (long long)cu[1].id);
	CHECK_INT(ch_sql(&d, sql), SQLITE_OK);
	/* without the triggers, emptying the tables leaves both copies in place: GET must
	 * still list everything, so it read (and could read) each copy */
	CHECK_INT(ch_sql(&d, "DROP TRIGGER customer_contacts_stale_d; DROP TRIGGER customer_tags_stale_d;"
			     "DELETE FROM customer_contacts; DELETE FROM customer_tags;"),
		  SQLITE_OK);
	for (int i = 0; i < 2; i++) {
		CHECK_INT(ch_copy_is_null(&d, cu[i].id), 0);
		CHECK_INT(ch_get(&d, cu[i].id, &got, &a), 0);
		ch_check_full(&got);
	}
	/* a list page reads the copies too; a row without one is read from the (now empty)
	 * tables, beside the others */
	snprintf(sql, sizeof sql, "UPDATE customers SET children = NULL WHERE id = %lld", (long long)cu[1].id);
	CHECK_INT(ch_sql(&d, sql), SQLITE_OK);
	{
		struct customer_filter f = { 0 };
		struct store_page pg = { .limit = 10, .sort = STORE_SORT_ID };
		struct customer_list l = { 0 };
		struct store_conn *r = store_reader(d.s, &err);
		CHECK(r != NULL);
		if (r)
			CHECK_INT(store_customer_list(r, &f, &pg, &l, &a, &err), 0);
		CHECK_INT(l.n, 2);
		if (l.n == 2) {
			CHECK_INT(l.items[0].id, cu[0].id);
			ch_check_full(&l.items[0]);
			CHECK_INT(l.items[1].id, cu[1].id);
			CHECK_INT(l.items[1].ncontacts, 0);
			CHECK_INT(l.items[1].ntags, 0);
		}
	}
	arena_release(&a);
	ch_close(&d);
}

/* Migration 4 on a database made before it: customers written by the ops of migration 3's
 * schema (the column and the triggers taken away again here) get their copies, and a row
 * with neither contacts nor tags gets the empty one. */
TEST(children_copy_filled_by_migration_4)
{
	struct ch_db d;
	struct arena a = ARENA_INIT;
	struct kp_err err = KP_ERR_INIT;
	struct contact_point cps[CH_NCONTACTS];
	struct customer cu = { 0 }, bare = { 0 }, got;
	struct ch_write w = { &cu, 0 }, wb = { &bare, 0 };

	CHECK_INT(ch_open(&d, "migrate"), 0);
	if (!d.s)
		return;
	ch_tricky_customer(&cu, cps, "Vanhan Kannan Asiakas");
	bare.name = "Tyhjä Asiakas";
	bare.custom_json = "{}";
	CHECK_INT(store_exec(d.s, ch_write_run, &w, &err), 0);
	CHECK_INT(store_exec(d.s, ch_write_run, &wb, &err), 0);
	store_close(d.s);
	d.s = NULL;
	CHECK_INT(ch_sql(&d, "DROP TRIGGER customer_contacts_stale_i; DROP TRIGGER customer_contacts_stale_d;"
	                     "DROP TRIGGER customer_contacts_stale_u; DROP TRIGGER customer_contacts_stale_bi;"
	                     "DROP TRIGGER customer_contacts_stale_bu; DROP TRIGGER customer_tags_stale_i;"
	                     "DROP TRIGGER customer_tags_stale_d; DROP TRIGGER customer_tags_stale_u;"
	                     "ALTER TABLE customers DROP COLUMN children;"
	                     "DROP TABLE id_floor;" /* migrations 5 to 7, run again after 4 */
	                     "ALTER TABLE interactions DROP COLUMN search_summary;"
	                     "ALTER TABLE interactions DROP COLUMN search_body;"
	                     "DROP INDEX customers_merged;" /* migrations 7 to 9 */
	                     "DROP INDEX customers_flagged;"
	                     "DROP INDEX interactions_routed;" /* and 11 (10 only rewrites name_fold) */
	                     "ALTER TABLE interactions DROP COLUMN routed_to_team;"
	                     "ALTER TABLE staff DROP COLUMN must_change_pw;" /* 12 */
	                     "DROP INDEX organizations_phone;" /* 13 (which also rewrites search entries) */
	                     "DROP INDEX customer_contacts_idn; DROP INDEX organizations_email_idn;" /* 14 */
	                     "DROP TRIGGER audit_log_no_update;"                                     /* 15 */
	                     "ALTER TABLE audit_log DROP COLUMN redacted_at;"
	                     "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log"
	                     "  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
	                     "DROP INDEX interactions_updated;"                                 /* 16 */
	                     "DROP INDEX notes_unanalysed; DROP INDEX interactions_unanalysed;" /* 17 */
	                     "ALTER TABLE notes DROP COLUMN analysis_json; ALTER TABLE notes DROP COLUMN abusive;"
	                     "ALTER TABLE notes DROP COLUMN search_body;"
	                     "ALTER TABLE idempotency_keys DROP COLUMN subject;" /* 18 */
	                     /* kept answers: a merge's (no Location, shows a name: 18 drops it, as an
	                      * erasure could not find it), a correction's (ids only) and a create's */
	                     "INSERT INTO idempotency_keys(staff_id, key, fingerprint, status, location, body,"
	                     " created_at) VALUES (1, 'merge', 'f', 200, NULL, '{\"id\":1,\"name\":\"A\"}', 1),"
	                     " (1, 'correction', 'f', 201, NULL, '{\"id\":3,\"interaction_id\":2}', 1),"
	                     " (1, 'create', 'f', 201, '/api/v1/customers/1', '{\"id\":1,\"name\":\"A\"}', 1);"
	                     "DROP INDEX interactions_abusive;"     /* 19 */
	                     "DROP INDEX audit_log_child_customer;" /* 20 */
	                     "DELETE FROM schema_migrations WHERE version >= 4;"),
	          SQLITE_OK);

	CHECK_INT(store_open(d.url, NULL, &d.s, &err), 0);
	if (!d.s)
		return;
	CHECK_INT(ch_copy_is_null(&d, cu.id), 0);
	CHECK_INT(ch_copy_is_null(&d, bare.id), 0);
	CHECK_INT(ch_int(&d, "SELECT group_concat(key, ',') = 'correction,create' FROM"
	                     " (SELECT key FROM idempotency_keys ORDER BY key)"),
	          1);
	CHECK_INT(ch_get(&d, cu.id, &got, &a), 0);
	ch_check_full(&got);
	CHECK_INT(ch_get(&d, bare.id, &got, &a), 0);
	CHECK_INT(got.ncontacts, 0);
	CHECK_INT(got.ntags, 0);
	/* the triggers are back: a write around the ops drops the copy */
	{
		char sql[128];
		snprintf(sql, sizeof sql, "INSERT INTO customer_tags(customer_id, tag) VALUES (%lld, 'uusi')",
			 (long long)bare.id);
		CHECK_INT(ch_sql(&d, sql), SQLITE_OK);
	}
	CHECK_INT(ch_copy_is_null(&d, bare.id), 1);
	CHECK_INT(ch_get(&d, bare.id, &got, &a), 0);
	CHECK_INT(got.ntags, 1);
	arena_release(&a);
	ch_close(&d);
}
