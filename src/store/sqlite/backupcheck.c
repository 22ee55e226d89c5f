/*
 * Backup checks: is a SQLite file a Kumppani database this program can take as it is? Run on
 * a backup before `restore` copies it in, and on a new backup before `backup` says it is
 * written, so a file that restore would refuse is never reported as a good backup.
 *
 * A backup is an ordinary SQLite file, so anyone who can edit it can put anything in it. What
 * is checked, in order, each refusal naming what it found:
 *   1. the schema version: 1..sq_nmigrations;
 *   2. PRAGMA quick_check (a damaged or cut file);
 *   3. the schema: exactly the tables, indexes, triggers and views that migrations
 *      1..version make (built in an in-memory database to compare with), the same columns,
 *      and the same SQL for indexes, triggers and views. An extra trigger would run on the
 *      server's writes; a missing table would be a 500 on every read of it. A bulk load that
 *      died leaves its dropped indexes listed in bulk_dropped_indexes (sqlite.c rebuilds them
 *      at migrate): those may be missing, and their SQL there must be the schema's own;
 *   4. PRAGMA foreign_key_check;
 *   5. every row: a column declared INTEGER, REAL or TEXT holds that type (or NULL), text is
 *      UTF-8, a *_json column holds JSON, ids are positive and staff roles are known.
 * Steps 4 and 5 read the whole file once per table: about as long as the copy itself.
 */
#include <stdio.h>
#include <string.h>

#include "store/sqlite/sq_int.h"
#include "util/buf.h"

/* SQL kp_utf8_ok(x): 1 if x (text) is well-formed UTF-8 (no overlongs, surrogates or code
 * points past U+10FFFF), else 0; NULL and non-text give 1. */
static void sq_utf8_ok_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	if (sqlite3_value_type(argv[0]) != SQLITE_TEXT) {
		sqlite3_result_int(ctx, 1);
		return;
	}
	const unsigned char *p = sqlite3_value_text(argv[0]);
	int n = sqlite3_value_bytes(argv[0]);
	for (int i = 0; i < n;) {
		unsigned c = p[i];
		int len = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 0;
		if (!len || c == 0xc0 || c == 0xc1 || c > 0xf4 || i + len > n) {
			sqlite3_result_int(ctx, 0);
			return;
		}
		unsigned cp = len == 1 ? c : c & (0xff >> (len + 1));
		for (int k = 1; k < len; k++) {
			if ((p[i + k] & 0xc0) != 0x80) {
				sqlite3_result_int(ctx, 0);
				return;
			}
			cp = (cp << 6) | (p[i + k] & 0x3f);
		}
		if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
		    (len == 4 && (cp < 0x10000 || cp > 0x10ffff))) {
			sqlite3_result_int(ctx, 0);
			return;
		}
		i += len;
	}
	sqlite3_result_int(ctx, 1);
}

/* The first column of the first row of sql on db as text into out ("" when none); -1 if the
 * query fails. */
static int sq_one_text(sqlite3 *db, const char *sql, char *out, size_t cap)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	out[0] = '\0';
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(out, cap, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

/* The schema objects of db (not SQLite's own): one statement over sqlite_master. */
static const char sq_objects_sql[] =
    "SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
    " ORDER BY name";

/* What sqlite_master of the schema at version says of object name: 1 and its type / sql,
 * or 0 if it has no such object. */
static int sq_ref_object(sqlite3 *ref, const char *name, char *type, size_t tcap, char *sql, size_t scap)
{
	sqlite3_stmt *st = NULL;
	int found = 0;
	if (sqlite3_prepare_v2(ref, "SELECT type, coalesce(sql, '') FROM sqlite_master WHERE name = ?1", -1, &st,
	                       NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW) {
			snprintf(type, tcap, "%s", (const char *)sqlite3_column_text(st, 0));
			snprintf(sql, scap, "%s", (const char *)sqlite3_column_text(st, 1));
			found = 1;
		}
	}
	sqlite3_finalize(st);
	return found;
}

/* Whether two definitions from sqlite_master are the same, but for double quotes and white
 * space: ALTER TABLE ... RENAME TO quotes the new name, and versions of SQLite may lay that
 * out differently. Otherwise a definition is compared whole: its columns, types, defaults,
 * CHECKs, foreign keys and their ON DELETE, collations, generated columns. */
static int sq_same_sql(const char *a, const char *b)
{
	for (;;) {
		while (*a == '"' || *a == ' ' || *a == '\t' || *a == '\n' || *a == '\r')
			a++;
		while (*b == '"' || *b == ' ' || *b == '\t' || *b == '\n' || *b == '\r')
			b++;
		if (*a != *b)
			return 0;
		if (!*a)
			return 1;
		a++;
		b++;
	}
}

/* Whether bulk_dropped_indexes of db lists name with exactly sql. */
static int sq_bulk_dropped(sqlite3 *db, const char *name, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int yes = 0;
	if (sqlite3_prepare_v2(db, "SELECT 1 FROM bulk_dropped_indexes WHERE name = ?1 AND sql = ?2", -1, &st, NULL) ==
	    SQLITE_OK) {
		sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, sql, -1, SQLITE_STATIC);
		yes = sqlite3_step(st) == SQLITE_ROW;
	}
	sqlite3_finalize(st);
	return yes;
}

/* The schema of migrations 1..version, in a new in-memory database (*ref; close it). */
static int sq_reference_schema(int version, sqlite3 **ref, const char *what, struct kp_err *err)
{
	char *msg = NULL;
	if (sqlite3_open_v2(":memory:", ref, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK ||
	    sq_fts_register(*ref) != SQLITE_OK || sq_name_key_register(*ref) != SQLITE_OK)
		return kp_err_set(err, KP_ESTORE, "%s: cannot build the schema to compare with: %s", what,
		                  *ref ? sqlite3_errmsg(*ref) : "out of memory");
	int rc = sqlite3_exec(*ref, SQ_SCHEMA_MIGRATIONS_SQL, NULL, NULL, &msg);
	for (int v = 1; rc == SQLITE_OK && v <= version; v++) {
		sqlite3_free(msg);
		msg = NULL;
		rc = sqlite3_exec(*ref, sq_migrations[v - 1], NULL, NULL, &msg);
	}
	if (rc != SQLITE_OK)
		kp_err_set(err, KP_ESTORE, "%s: cannot build the schema to compare with: %s", what,
		           msg ? msg : sqlite3_errstr(rc));
	sqlite3_free(msg);
	return rc == SQLITE_OK ? 0 : KP_ESTORE;
}

/* Step 3 of the top comment. */
static int sq_check_schema(sqlite3 *db, sqlite3 *ref, const char *path, int version, const char *what,
                           struct kp_err *err)
{
	sqlite3_stmt *st = NULL;
	char rtype[16], rsql[8192]; /* the longest definition in the schema is under 1 KiB */
	int ret = 0, bulk = 0;
	char scratch[8];
	bulk = sq_one_text(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'bulk_dropped_indexes'",
	                   scratch, sizeof scratch) == 0 &&
	       scratch[0] == '1';
	/* what the file has */
	if (sqlite3_prepare_v2(db, sq_objects_sql, -1, &st, NULL) != SQLITE_OK) {
		ret = kp_err_set(err, KP_EINVAL, "%s: %s: cannot read its schema: %s", what, path, sqlite3_errmsg(db));
		goto out;
	}
	while (!ret && sqlite3_step(st) == SQLITE_ROW) {
		const char *type = (const char *)sqlite3_column_text(st, 0),
		           *name = (const char *)sqlite3_column_text(st, 1);
		const char *sql = (const char *)sqlite3_column_text(st, 3);
		if (!strcmp(type, "table") &&
		    (!strcmp(name, "bulk_dropped_indexes") || !strcmp(name, "bulk_search_side")))
			continue; /* the marks of a bulk load that died (sqlite.c) */
		if (!sq_ref_object(ref, name, rtype, sizeof rtype, rsql, sizeof rsql))
			ret = kp_err_set(
			    err, KP_EINVAL,
			    "%s: %s holds a %s \"%s\" that a Kumppani database of schema version %d does not have",
			    what, path, type, name, version);
		else if (strcmp(type, rtype) != 0)
			ret = kp_err_set(err, KP_EINVAL, "%s: %s: \"%s\" is a %s, not a %s as in schema version %d",
			                 what, path, name, type, rtype, version);
		else if (!sq_same_sql(sql, rsql))
			ret = kp_err_set(err, KP_EINVAL,
			                 "%s: %s: the %s \"%s\" is not defined as schema version %d defines it", what,
			                 path, type, name, version);
	}
	sqlite3_finalize(st);
	st = NULL;
	if (ret)
		goto out;
	/* what the file lacks */
	if (sqlite3_prepare_v2(ref, sq_objects_sql, -1, &st, NULL) != SQLITE_OK) {
		ret = kp_err_set(err, KP_ESTORE, "%s: %s", what, sqlite3_errmsg(ref));
		goto out;
	}
	while (!ret && sqlite3_step(st) == SQLITE_ROW) {
		const char *type = (const char *)sqlite3_column_text(st, 0),
		           *name = (const char *)sqlite3_column_text(st, 1);
		const char *sql = (const char *)sqlite3_column_text(st, 3);
		char t2[16], s2[16];
		if (sq_ref_object(db, name, t2, sizeof t2, s2, sizeof s2))
			continue;
		if (bulk && (!strcmp(type, "index") || !strcmp(type, "trigger")) && sq_bulk_dropped(db, name, sql))
			continue; /* rebuilt at migrate */
		ret = kp_err_set(err, KP_EINVAL, "%s: %s lacks the %s \"%s\" of schema version %d", what, path, type,
		                 name, version);
	}
	sqlite3_finalize(st);
	st = NULL;
	/* a dropped index's SQL runs at migrate: it must be the schema's own */
	if (!ret && bulk) {
		char bad[256];
		if (sqlite3_prepare_v2(db, "SELECT name, sql FROM bulk_dropped_indexes", -1, &st, NULL) != SQLITE_OK)
			ret = kp_err_set(err, KP_EINVAL, "%s: %s: cannot read bulk_dropped_indexes: %s", what, path,
			                 sqlite3_errmsg(db));
		while (!ret && st && sqlite3_step(st) == SQLITE_ROW) {
			const char *name = (const char *)sqlite3_column_text(st, 0),
			           *sql = (const char *)sqlite3_column_text(st, 1);
			if (!name || !sql || !sq_ref_object(ref, name, rtype, sizeof rtype, rsql, sizeof rsql) ||
			    !sq_same_sql(sql, rsql)) {
				snprintf(bad, sizeof bad, "%s", name ? name : "(null)");
				ret = kp_err_set(
				    err, KP_EINVAL,
				    "%s: %s: bulk_dropped_indexes lists \"%s\", which is not an index or trigger of "
				    "schema version %d",
				    what, path, bad, version);
			}
		}
		sqlite3_finalize(st);
		st = NULL;
	}
out:
	sqlite3_finalize(st);
	return ret;
}

/* What a column's values mean, beyond their type: the values the domain writes (roles,
 * kinds, field types: domain/ validates them on every write; password hashes are Argon2id,
 * ids and versions are 1 or more), custom values that are JSON
 * objects, text without NUL bytes or control characters in the names people see, e-mails in
 * lower case, times within what the API accepts, and merges that point at a
 * customer who is there and not merged (merges re-point earlier ones: no chain, no cycle; a
 * delete takes the tombstones merged into it, and customer_tombstone_repair those an older
 * version left; a customer merged into itself or into nobody could never be read, changed or
 * erased). */
#define SQ_NAME_CONTROL(col)                                                                                           \
	"\"" col "\" GLOB ('*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || "                    \
	"char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || ']*')"
static const struct {
	const char *table, *column, *cond;
} sq_value_checks[] = {
    {"staff", "role", "typeof(\"role\") <> 'integer' OR \"role\" NOT BETWEEN 1 AND 3"},
    {"staff", "pw_hash", "\"pw_hash\" IS NOT NULL AND \"pw_hash\" NOT GLOB '$argon2id$v=*$m=*,t=*,p=*$?*$?*'"},
    {"staff", "must_change_pw", "\"must_change_pw\" NOT IN (0, 1)"},
    {"customers", "flags", "typeof(\"flags\") <> 'integer' OR \"flags\" NOT IN (0, 1)"},
    {"field_defs", "entity", "\"entity\" NOT IN ('customer', 'organization')"},
    {"customers", "merged_into",
     "coalesce(\"merged_into\", 0) <> 0 AND (\"merged_into\" = \"id\" OR NOT EXISTS (SELECT 1 FROM customers t"
     " WHERE t.id = customers.merged_into AND coalesce(t.merged_into, 0) = 0))"},
    {"customers", "custom_json", "json_valid(\"custom_json\") AND json_type(\"custom_json\") <> 'object'"},
    {"organizations", "custom_json", "json_valid(\"custom_json\") AND json_type(\"custom_json\") <> 'object'"},
    {"customers", "name", "instr(\"name\", char(0)) > 0"},
    {"organizations", "name", "instr(\"name\", char(0)) > 0"},
    {"staff", "name", "instr(\"name\", char(0)) > 0"},
    {"field_defs", "type", "\"type\" NOT IN ('text', 'number', 'date', 'boolean', 'choice')"},
    {"customer_contacts", "kind", "\"kind\" NOT IN ('email', 'phone', 'address')"},
    {"interactions", "direction", "\"direction\" NOT IN ('inbound', 'outbound')"},
    {"interactions", "kind",
     "\"kind\" NOT IN ('call', 'email', 'meeting', 'chat', 'visit', 'purchase', 'sms', 'social', 'note')"},
    /* e-mails are stored lower-case (validate_email), so one address is one row: "ADMIN@X.FI"
     * beside "admin@x.fi" would have token create pick either (ASCII letters: the SQL here has
     * no Unicode case) */
    {"staff", "email", "\"email\" GLOB '*[A-Z]*'"},
    {"organizations", "email", "\"email\" GLOB '*[A-Z]*'"},
    {"customer_contacts", "value", "\"kind\" = 'email' AND \"value\" GLOB '*[A-Z]*'"},
    /* names, tags and labels people see: no control character (Unicode Cc) and no bidi
     * override or isolate, as validate_name refuses; a token's label: no C0 or DEL, as
     * domain_auth_token_label_check */
    /* and no white space around an e-mail (validate_email trims it): "admin@x.fi " would be a
     * second account for one address that no one can sign in to */
    {"staff", "email", "\"email\" <> trim(\"email\", ' ' || char(9, 10, 13, 160))"},
    {"organizations", "email", "\"email\" <> trim(\"email\", ' ' || char(9, 10, 13, 160))"},
    {"customer_contacts", "value", "\"kind\" = 'email' AND \"value\" <> trim(\"value\", ' ' || char(9, 10, 13, 160))"},
    /* a name is never blank (validate_name trims it, then refuses what is left empty) */
    {"customers", "name", "trim(\"name\", ' ' || char(9, 10, 13, 160)) = ''"},
    {"organizations", "name", "trim(\"name\", ' ' || char(9, 10, 13, 160)) = ''"},
    {"staff", "name", "trim(\"name\", ' ' || char(9, 10, 13, 160)) = ''"},
    {"customers", "name", SQ_NAME_CONTROL("name")},
    {"organizations", "name", SQ_NAME_CONTROL("name")},
    {"staff", "name", SQ_NAME_CONTROL("name")},
    {"field_defs", "label", SQ_NAME_CONTROL("label")},
    {"customer_tags", "tag", SQ_NAME_CONTROL("tag")},
    {"organization_tags", "tag", SQ_NAME_CONTROL("tag")},
    {"api_tokens", "label", "\"label\" GLOB ('*[' || char(1) || '-' || char(31) || char(127) || ']*')"},
};

/* Whether table (in ref) has an "id" column. */
static int sq_has_id(sqlite3 *ref, const char *table)
{
	sqlite3_stmt *st = NULL;
	int yes = 0;
	if (sqlite3_prepare_v2(ref, "SELECT 1 FROM pragma_table_xinfo(?1) WHERE name = 'id'", -1, &st, NULL) ==
	    SQLITE_OK) {
		sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
		yes = sqlite3_step(st) == SQLITE_ROW;
	}
	sqlite3_finalize(st);
	return yes;
}

/* Step 5 for one table: the WHERE clause of rows that do not fit its columns, into w ("" if
 * no column is checked); col, when not NULL, checks only that column. -1 when out of memory. */
static int sq_row_filter(sqlite3 *ref, const char *table, const char *col, struct buf *w)
{
	sqlite3_stmt *st = NULL;
	buf_reset(w);
	int rc = sqlite3_prepare_v2(ref, "SELECT name, upper(type) FROM pragma_table_xinfo(?1) WHERE hidden = 0", -1,
	                            &st, NULL);
	if (rc != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0),
		           *type = (const char *)sqlite3_column_text(st, 1);
		size_t nl = strlen(name);
		char *cond = NULL;
		if (col && strcmp(col, name) != 0)
			continue;
		int is_time = !strcmp(name, "at") || (nl > 3 && !strcmp(name + nl - 3, "_at"));
		if (!strcmp(type, "INTEGER") && is_time) /* a time: within what the API accepts */
			cond = sqlite3_mprintf("typeof(\"%w\") NOT IN ('integer', 'null') OR \"%w\" NOT BETWEEN %s",
			                       name, name, STORE_TIME_RANGE_S);
		else if (!strcmp(type, "INTEGER"))
			cond = sqlite3_mprintf("typeof(\"%w\") NOT IN ('integer', 'null')%s", name,
			                       !strcmp(name, "id")        ? " OR \"id\" < 1"
			                       : !strcmp(name, "version") ? " OR \"version\" < 1"
			                                                  : "");
		else if (!strcmp(type, "REAL"))
			cond = sqlite3_mprintf("typeof(\"%w\") NOT IN ('real', 'integer', 'null')", name);
		else if (!strcmp(type, "TEXT") && nl > 5 && !strcmp(name + nl - 5, "_json"))
			cond = sqlite3_mprintf("typeof(\"%w\") NOT IN ('text', 'null') OR NOT kp_utf8_ok(\"%w\") OR"
			                       " (\"%w\" IS NOT NULL AND NOT json_valid(\"%w\"))",
			                       name, name, name, name);
		else if (!strcmp(type, "TEXT"))
			cond = sqlite3_mprintf("typeof(\"%w\") NOT IN ('text', 'null') OR NOT kp_utf8_ok(\"%w\")", name,
			                       name);
		for (size_t k = 0; k < sizeof sq_value_checks / sizeof *sq_value_checks; k++)
			if (!strcmp(sq_value_checks[k].table, table) && !strcmp(sq_value_checks[k].column, name)) {
				char *more = cond ? sqlite3_mprintf("%s OR %s", cond, sq_value_checks[k].cond)
				                  : sqlite3_mprintf("%s", sq_value_checks[k].cond);
				sqlite3_free(cond);
				cond = more;
				if (!cond)
					rc = SQLITE_NOMEM;
			}
		if (!cond && rc != SQLITE_NOMEM)
			continue;
		if (!cond || (w->len && buf_adds(w, " OR ") < 0) || buf_addc(w, '(') < 0 || buf_adds(w, cond) < 0 ||
		    buf_addc(w, ')') < 0)
			rc = SQLITE_NOMEM;
		sqlite3_free(cond);
		if (rc == SQLITE_NOMEM)
			break;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* The first row of `SELECT what FROM table WHERE filter`: 1 (its first column into out),
 * 0 if none, -1 if the query fails. */
static int sq_first_hit(sqlite3 *db, const char *what, const char *table, const char *filter, char *out, size_t cap)
{
	char *q = sqlite3_mprintf("SELECT %s FROM \"%w\" WHERE %s LIMIT 1", what, table, filter);
	sqlite3_stmt *st = NULL;
	int rc = q ? sqlite3_prepare_v2(db, q, -1, &st, NULL) : SQLITE_NOMEM;
	sqlite3_free(q);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	out[0] = '\0';
	if (rc == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(out, cap, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* Step 5 of the top comment. */
static int sq_check_rows(sqlite3 *db, sqlite3 *ref, const char *path, const char *what, struct kp_err *err)
{
	sqlite3_stmt *tabs = NULL, *cols = NULL;
	struct buf w = BUF_INIT(1 << 20);
	char id[32];
	int ret = 0;
	/* ordinary tables only: a virtual table and its shadow tables hold what FTS5 wrote */
	if (sqlite3_prepare_v2(
	        ref,
	        "SELECT name FROM sqlite_master m WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
	        " AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' AND NOT EXISTS (SELECT 1 FROM sqlite_master v"
	        " WHERE v.sql LIKE 'CREATE VIRTUAL TABLE%' AND m.name LIKE v.name || '\\_%' ESCAPE '\\')"
	        " ORDER BY name",
	        -1, &tabs, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(ref, "SELECT name FROM pragma_table_xinfo(?1) WHERE hidden = 0 ORDER BY cid", -1, &cols,
	                       NULL) != SQLITE_OK) {
		ret = kp_err_set(err, KP_ESTORE, "%s: %s", what, sqlite3_errmsg(ref));
		goto out;
	}
	while (!ret && sqlite3_step(tabs) == SQLITE_ROW) {
		const char *table = (const char *)sqlite3_column_text(tabs, 0);
		int hit;
		if (sq_row_filter(ref, table, NULL, &w) != 0) {
			ret = kp_err_set(err, KP_ENOMEM, "%s: out of memory", what);
			break;
		}
		if (!w.len || (hit = sq_first_hit(db, "1", table, w.ptr, id, sizeof id)) == 0)
			continue;
		if (hit < 0) {
			ret = kp_err_set(err, KP_EINVAL, "%s: %s: cannot read table \"%s\": %s", what, path, table,
			                 sqlite3_errmsg(db));
			break;
		}
		/* a row does not fit: name the column, and the row's id where it has one */
		const char *idcol = sq_has_id(ref, table) ? "coalesce(CAST(\"id\" AS TEXT), 'NULL')" : "''";
		sqlite3_reset(cols);
		sqlite3_bind_text(cols, 1, table, -1, SQLITE_TRANSIENT);
		while (!ret && sqlite3_step(cols) == SQLITE_ROW) {
			const char *col = (const char *)sqlite3_column_text(cols, 0);
			if (sq_row_filter(ref, table, col, &w) == 0 && w.len &&
			    sq_first_hit(db, idcol, table, w.ptr, id, sizeof id) == 1)
				ret = kp_err_set(err, KP_EINVAL,
				                 "%s: %s: table \"%s\"%s%s, column \"%s\": a value that does not fit "
				                 "the column (its type, "
				                 "UTF-8, JSON, or the values it takes)",
				                 what, path, table, id[0] ? " row id " : "", id, col);
		}
		if (!ret)
			ret = kp_err_set(err, KP_EINVAL,
			                 "%s: %s: table \"%s\" holds a row whose values do not fit its columns", what,
			                 path, table);
	}
out:
	sqlite3_finalize(tabs);
	sqlite3_finalize(cols);
	buf_release(&w);
	return ret;
}

int sq_schema_holds(sqlite3 *db, int version, char *missing, size_t cap, struct kp_err *err)
{
	sqlite3 *ref = NULL;
	sqlite3_stmt *want = NULL, *have = NULL;
	int ret = sq_reference_schema(version, &ref, "migrate", err);
	missing[0] = '\0';
	if (ret)
		goto out;
	/* every (table, column) of the reference, and whether db has it */
	if (sqlite3_prepare_v2(ref,
	                       "SELECT m.name, c.name FROM sqlite_master m, pragma_table_xinfo(m.name) c WHERE m.type ="
	                       " 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY m.name, c.cid",
	                       -1, &want, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT 1 FROM pragma_table_xinfo(?1) WHERE name = ?2", -1, &have, NULL) !=
	        SQLITE_OK) {
		ret = kp_err_set(err, KP_ESTORE, "migrate: read the schema: %s", sqlite3_errmsg(want ? db : ref));
		goto out;
	}
	int step = SQLITE_DONE;
	while (!missing[0] && (step = sqlite3_step(want)) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(want, 0),
		           *col = (const char *)sqlite3_column_text(want, 1);
		sqlite3_reset(have);
		sqlite3_bind_text(have, 1, t, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(have, 2, col, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(have) != SQLITE_ROW)
			snprintf(missing, cap, "%s.%s", t, col);
	}
	if (!missing[0] && step != SQLITE_DONE)
		ret = kp_err_set(err, KP_ESTORE, "migrate: read the schema: %s", sqlite3_errmsg(ref));
out:
	sqlite3_finalize(want);
	sqlite3_finalize(have);
	if (ref)
		sqlite3_close_v2(ref);
	return ret;
}

int sq_backup_check(sqlite3 *db, const char *path, const char *what, struct kp_err *err)
{
	sqlite3 *ref = NULL;
	char res[512];
	int ret = 0;
	long long version = -1;
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(
	        db,
	        "SELECT CASE WHEN EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = "
	        "'schema_migrations') THEN (SELECT coalesce(max(version), 0) FROM schema_migrations) ELSE 0 END",
	        -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		version = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (version < 1)
		return kp_err_set(err, KP_EINVAL,
		                  "%s: %s is a SQLite database but not a Kumppani one (no schema version)", what, path);
	if (version > sq_nmigrations)
		return kp_err_set(
		    err, KP_EINVAL,
		    "%s: %s has schema version %lld, newer than this program knows (%d): a newer kumppani made it",
		    what, path, version, sq_nmigrations);
	if (sq_one_text(db, "PRAGMA quick_check", res, sizeof res) != 0 || strcmp(res, "ok") != 0)
		return kp_err_set(err, KP_EINVAL, "%s: %s is damaged: %s", what, path,
		                  res[0] ? res : sqlite3_errmsg(db));
	if (sqlite3_create_function_v2(db, "kp_utf8_ok", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, sq_utf8_ok_fn,
	                               NULL, NULL, NULL) != SQLITE_OK)
		return kp_err_set(err, KP_ESTORE, "%s: %s", what, sqlite3_errmsg(db));
	if ((ret = sq_reference_schema((int)version, &ref, what, err)) == 0 &&
	    (ret = sq_check_schema(db, ref, path, (int)version, what, err)) == 0) {
		char fk[256];
		if (sq_one_text(db,
		                "SELECT printf('table \"%s\"%s refers to a missing row of \"%s\"', \"table\","
		                " CASE WHEN rowid IS NULL THEN '' ELSE ' row id ' || rowid END, parent) FROM "
		                "pragma_foreign_key_check",
		                fk, sizeof fk) != 0)
			ret = kp_err_set(err, KP_EINVAL, "%s: %s: %s", what, path, sqlite3_errmsg(db));
		else if (fk[0])
			ret = kp_err_set(err, KP_EINVAL, "%s: %s: %s", what, path, fk);
		else
			ret = sq_check_rows(db, ref, path, what, err);
	}
	if (ref)
		sqlite3_close_v2(ref);
	return ret;
}
