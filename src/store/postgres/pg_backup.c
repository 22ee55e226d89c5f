/*
 * Online backup of a PostgreSQL store: every table as JSON, read under one
 * REPEATABLE READ, READ ONLY snapshot on a connection of its own (so it neither blocks the
 * writer nor sees half of a group commit), streamed row by row to a new file:
 *
 *   {"format": "kumppani-backup", "backend": "postgres", "schema_version": N,
 *    "created_at": MS, "tables": {"staff": [{...}, ...], "customers": [...], ...}}
 *
 * Each row is the table row as a JSON object with the column names as keys (generated
 * search vectors left out). The file is the temporary one store_backup() made; it is
 * fsync'ed here, and store_backup() names it or removes it.
 */
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "store/postgres/pg_int.h"
#include "util/buf.h"
#include "util/timeutil.h"

/* Fixed queries, in an order that restores cleanly (referenced tables first). A migration
 * that adds a table should add it here too (tables not listed are still dumped, after
 * these, in no particular row order). */
static const struct {
	const char *name;
	const char *sql;
} backup_tables[] = {
    {"schema_migrations", "SELECT to_jsonb(t)::text FROM schema_migrations t ORDER BY version"},
    {"staff", "SELECT to_jsonb(t)::text FROM staff t ORDER BY id"},
    {"api_tokens", "SELECT to_jsonb(t)::text FROM api_tokens t ORDER BY id"},
    {"sessions", "SELECT to_jsonb(t)::text FROM sessions t ORDER BY id_hash"},
    {"organizations", "SELECT (to_jsonb(t) - 'search')::text FROM organizations t ORDER BY id"},
    {"org_tags", "SELECT to_jsonb(t)::text FROM org_tags t ORDER BY org_id, position"},
    {"customers", "SELECT (to_jsonb(t) - 'search')::text FROM customers t ORDER BY id"},
    {"customer_contacts", "SELECT to_jsonb(t)::text FROM customer_contacts t ORDER BY id"},
    {"customer_tags", "SELECT to_jsonb(t)::text FROM customer_tags t ORDER BY customer_id, position"},
    {"field_defs", "SELECT to_jsonb(t)::text FROM field_defs t ORDER BY id"},
    {"notes", "SELECT (to_jsonb(t) - 'search')::text FROM notes t ORDER BY id"},
    {"interactions", "SELECT (to_jsonb(t) - 'search' - 'routed_to_team')::text FROM interactions t ORDER BY id"},
    {"audit_log", "SELECT to_jsonb(t)::text FROM audit_log t ORDER BY id"},
    {"idempotency_keys", "SELECT to_jsonb(t)::text FROM idempotency_keys t ORDER BY staff_id, key"},
    /* 2: staff protection (protect.c) */
    {"wellbeing_notifications", "SELECT to_jsonb(t)::text FROM wellbeing_notifications t ORDER BY id"},
    {"text_corrections", "SELECT to_jsonb(t)::text FROM text_corrections t ORDER BY id"},
    {"wellbeing_policy", "SELECT to_jsonb(t)::text FROM wellbeing_policy t ORDER BY id"},
};

static int pg_fail(PGconn *pg, const char *what, struct kp_err *err)
{
	char msg[200];
	snprintf(msg, sizeof(msg), "%s", PQerrorMessage(pg));
	char *nl = strchr(msg, '\n');
	if (nl)
		*nl = '\0';
	return kp_err_set(err, KP_ESTORE, "backup: %s: %s", what, msg);
}

static int run(PGconn *pg, const char *sql, struct kp_err *err)
{
	PGresult *r = PQexec(pg, sql);
	int ok = r && (PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK);
	PQclear(r);
	return ok ? 0 : pg_fail(pg, sql, err);
}

/* Stream one table's rows (single-row mode: memory stays flat on big tables). */
static int dump_table(PGconn *pg, FILE *f, const char *sql, struct kp_err *err)
{
	if (!PQsendQuery(pg, sql) || !PQsetSingleRowMode(pg))
		return pg_fail(pg, "query", err);
	int rc = 0, first = 1;
	PGresult *r;
	if (fputc('[', f) == EOF)
		rc = kp_err_set(err, KP_ESTORE, "backup: write: %s", strerror(errno));
	while ((r = PQgetResult(pg)) != NULL) {
		ExecStatusType st = PQresultStatus(r);
		if (st == PGRES_SINGLE_TUPLE && rc == 0) {
			if (fputs(first ? "\n" : ",\n", f) == EOF ||
			    fwrite(PQgetvalue(r, 0, 0), 1, (size_t)PQgetlength(r, 0, 0), f) !=
				    (size_t)PQgetlength(r, 0, 0))
				rc = kp_err_set(err, KP_ESTORE, "backup: write: %s", strerror(errno));
			first = 0;
		} else if (st != PGRES_SINGLE_TUPLE && st != PGRES_TUPLES_OK && rc == 0) {
			rc = kp_err_set(err, KP_ESTORE, "backup: %s", PQresultErrorMessage(r));
		}
		PQclear(r); /* keep draining until NULL so the connection stays usable */
	}
	if (rc == 0 && fputs(first ? "]" : "\n]", f) == EOF)
		rc = kp_err_set(err, KP_ESTORE, "backup: write: %s", strerror(errno));
	return rc;
}

static int known_table(const char *name)
{
	for (size_t i = 0; i < sizeof(backup_tables) / sizeof(backup_tables[0]); i++)
		if (strcmp(backup_tables[i].name, name) == 0)
			return 1;
	return 0;
}

/* Tables a later migration added without listing them above are dumped too (unordered),
 * so a backup never silently leaves a table out. The statement is built by format(%I) from
 * catalog names, not from anything a user typed. */
static int dump_other_tables(PGconn *pg, FILE *f, struct kp_err *err)
{
	PGresult *r = PQexec(pg, "SELECT c.relname, format('SELECT (to_jsonb(t) - ''search'')::text FROM %I t', c.relname)"
				 " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
				 " WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') ORDER BY c.relname");
	if (!r || PQresultStatus(r) != PGRES_TUPLES_OK) {
		PQclear(r);
		return pg_fail(pg, "list tables", err);
	}
	int rc = 0;
	for (int i = 0; i < PQntuples(r) && rc == 0; i++) {
		const char *name = PQgetvalue(r, i, 0);
		if (known_table(name))
			continue;
		fputs(",\n", f);
		/* a table name from the catalog: [a-z_0-9] in practice, escaped anyway */
		struct buf b = BUF_INIT(1024);
		if (buf_add_json_str(&b, name, strlen(name)) < 0 || fprintf(f, "%s: ", b.ptr) < 0)
			rc = kp_err_set(err, KP_ESTORE, "backup: write failed");
		buf_release(&b);
		if (rc != 0)
			break;
		rc = dump_table(pg, f, PQgetvalue(r, i, 1), err);
	}
	PQclear(r);
	return rc;
}

int store_pg_backup(struct store_conn *c, const char *path, struct kp_err *err)
{
	struct pg_conn *pc = (struct pg_conn *)c;
	PGconn *pg = NULL;
	FILE *f = NULL;
	int rc = 0;
	/* an empty file store_backup() made (owner-only), renamed into place after */
	int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0) {
		rc = kp_err_set(err, KP_ESTORE, "backup: %s: %s", path, strerror(errno));
		goto out;
	}
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		rc = kp_err_set(err, KP_ESTORE, "backup: %s: %s", path, strerror(errno));
		goto out;
	}
	rc = store_pg_connect(pc->be, &pg, err);
	if (rc != 0)
		goto out;
	rc = run(pg, "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY", err);
	if (rc != 0)
		goto out;
	PGresult *r = PQexec(pg, "SELECT coalesce(max(version), 0) FROM schema_migrations");
	if (!r || PQresultStatus(r) != PGRES_TUPLES_OK) {
		PQclear(r);
		rc = pg_fail(pg, "schema version", err);
		goto out;
	}
	if (atoi(PQgetvalue(r, 0, 0)) > store_pg_nmigrations) {
		rc = kp_err_set(err, KP_ESTORE,
		                "backup: the database has schema version %s, newer than this program knows (%d): back"
		                " it up with the kumppani that migrated it",
		                PQgetvalue(r, 0, 0), store_pg_nmigrations);
		PQclear(r);
		goto out;
	}
	fprintf(f,
	        "{\"format\": \"kumppani-backup\", \"backend\": \"postgres\", \"schema_version\": %s,"
	        " \"created_at\": %lld, \"sequences\": ",
	        PQgetvalue(r, 0, 0), (long long)time_now_ms());
	PQclear(r);
	/* Each id sequence's last value ("table.column": n), so that a restore gives out no id a
	 * deleted row had (its largest id alone would). Sequences are outside the snapshot:
	 * read now, each is at least what the rows dumped below used. */
	r = PQexec(
	    pg, "SELECT coalesce(jsonb_object_agg(t || '.' || c, v), '{}')::text FROM ("
	        " SELECT table_name AS t, column_name AS c,"
	        "  pg_sequence_last_value(pg_get_serial_sequence(format('%I', table_name), column_name)::regclass) AS v"
	        " FROM information_schema.columns WHERE table_schema = current_schema()"
	        "  AND pg_get_serial_sequence(format('%I', table_name), column_name) IS NOT NULL) s"
	        " WHERE v IS NOT NULL");
	if (!r || PQresultStatus(r) != PGRES_TUPLES_OK) {
		PQclear(r);
		rc = pg_fail(pg, "id sequences", err);
		goto out;
	}
	fprintf(f, "%s, \"tables\": {", PQgetvalue(r, 0, 0));
	PQclear(r);
	for (size_t i = 0; i < sizeof(backup_tables) / sizeof(backup_tables[0]); i++) {
		fprintf(f, "%s\n\"%s\": ", i ? "," : "", backup_tables[i].name);
		rc = dump_table(pg, f, backup_tables[i].sql, err);
		if (rc != 0)
			goto out;
	}
	rc = dump_other_tables(pg, f, err);
	if (rc != 0)
		goto out;
	rc = run(pg, "COMMIT", err);
	if (rc != 0)
		goto out;
	if (fputs("}}\n", f) == EOF || fflush(f) != 0 || fsync(fileno(f)) != 0) {
		rc = kp_err_set(err, KP_ESTORE, "backup: %s: %s", path, strerror(errno));
		goto out;
	}
out:
	if (pg)
		PQfinish(pg);
	if (f && fclose(f) != 0 && rc == 0)
		rc = kp_err_set(err, KP_ESTORE, "backup: %s: %s", path, strerror(errno));
	return rc;
}

/* ---- restore ------------------------------------------------------------------------------ */

/*
 * store_pg_restore reads the file store_pg_backup writes, line by line (it puts one table
 * name or one row on each line; PostgreSQL's jsonb text has no raw newlines), so memory
 * stays flat however big the backup is. Every row is checked to be a JSON object before it
 * goes to the server, so a damaged file fails with its line number. The schema is built up
 * to the backup's version first (migrations run after the load take it on), the rows of
 * each table go in batches through jsonb_populate_recordset into the columns that are not
 * generated, ids are kept, and each sequence is set past the largest id restored. All rows
 * load in one transaction: a restore that fails leaves the database as empty as it was.
 */
#define RESTORE_LINE_MAX ((size_t)64 << 20) /* one row: far above any row the API accepts */
#define RESTORE_BATCH_ROWS 2000
#define RESTORE_BATCH_BYTES ((size_t)8 << 20)

struct restore {
	PGconn *pg;
	FILE *f;
	const char *path;
	long line;              /* of the line in `line` (1-based) */
	struct buf line_buf;    /* the current line, without its newline */
	struct buf batch;       /* "[row,row,...": rows of the current table not yet sent */
	size_t batch_rows;
	long batch_line;        /* the lines of the batch's first and last rows (0: none is sent) */
	long batch_last;
	long row_line[RESTORE_BATCH_ROWS]; /* the line of each row of the batch */
	char *insert_sql;       /* the current table's INSERT (malloc), NULL: rows are skipped */
	json_t *columns;        /* the current table's columns: name -> the JSON a value must be
	                         * ("integer", "number", "boolean", "string", "any", or "generated":
	                         * never restored), from the catalog (restore_table) */
	char table[64];
	long long rows;         /* restored so far */
	json_t *sequences;      /* the header's "sequences" ("table.column": last value), or NULL */
};

static int restore_fail(struct restore *rs, struct kp_err *err, int status, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int restore_fail(struct restore *rs, struct kp_err *err, int status, const char *fmt, ...)
{
	char what[200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	return kp_err_set(err, status, "restore: %s line %ld: %s", rs->path, rs->line, what);
}

/* Next line into rs->line_buf: 1, 0 at the end of the file, or -1 with err set. */
static int restore_next_line(struct restore *rs, struct kp_err *err)
{
	char chunk[65536];
	buf_reset(&rs->line_buf);
	int got = 0;
	while (fgets(chunk, sizeof chunk, rs->f)) {
		size_t n = strlen(chunk);
		got = 1;
		int end = n > 0 && chunk[n - 1] == '\n';
		if (buf_add(&rs->line_buf, chunk, end ? n - 1 : n) != 0) {
			rs->line++;
			restore_fail(rs, err, KP_EINVAL, "a line longer than 64 MiB: not a Kumppani backup");
			return -1;
		}
		if (end)
			break;
	}
	if (ferror(rs->f)) {
		kp_err_set(err, KP_ESTORE, "restore: read %s: %s", rs->path, strerror(errno));
		return -1;
	}
	if (!got)
		return 0;
	rs->line++;
	/* a backup copied through a tool that wrote CRLF line ends: the same lines */
	if (rs->line_buf.len > 0 && rs->line_buf.ptr[rs->line_buf.len - 1] == '\r')
		rs->line_buf.len--;
	if (buf_addc(&rs->line_buf, '\0') != 0) {
		restore_fail(rs, err, KP_EINVAL, "a line longer than 64 MiB: not a Kumppani backup");
		return -1;
	}
	rs->line_buf.len--;
	return 1;
}

static int restore_exec(struct restore *rs, const char *sql, const char *param, PGresult **out, struct kp_err *err)
{
	PGresult *r = PQexecParams(rs->pg, sql, param ? 1 : 0, NULL, param ? &param : NULL, NULL, NULL, 0);
	ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		char msg[300];
		snprintf(msg, sizeof msg, "%s", r ? PQresultErrorMessage(r) : PQerrorMessage(rs->pg));
		char *nl = strchr(msg, '\n');
		if (nl)
			*nl = '\0';
		PQclear(r);
		if (rs->table[0] && rs->batch_line && rs->batch_line == rs->batch_last)
			return kp_err_set(err, KP_ESTORE, "restore: %s line %ld (table %s): %s", rs->path,
			                  rs->batch_line, rs->table, msg);
		if (rs->table[0] && rs->batch_line)
			return kp_err_set(err, KP_ESTORE, "restore: %s, table %s, a row on lines %ld to %ld: %s", rs->path,
					  rs->table, rs->batch_line, rs->batch_last, msg);
		if (rs->table[0])
			return kp_err_set(err, KP_ESTORE, "restore: %s, table %s (line %ld): %s", rs->path, rs->table,
					  rs->line, msg);
		return kp_err_set(err, KP_ESTORE, "restore: %s: %s", rs->path, msg);
	}
	if (out)
		*out = r;
	else
		PQclear(r);
	return 0;
}

/* The batch failed (a constraint: a duplicate id, a missing reference): insert its rows one at a
 * time, each under a savepoint, to name the first that fails by its line. Returns that row's
 * error (restore_exec's, now with one line), or the batch's err when every row goes in alone. */
static int restore_find_row(struct restore *rs, struct kp_err *err)
{
	json_t *rows = json_loads(rs->batch.ptr, 0, NULL);
	int rc = err->status;
	for (size_t i = 0; json_is_array(rows) && i < json_array_size(rows) && i < rs->batch_rows; i++) {
		json_t *arr = json_pack("[O]", json_array_get(rows, i));
		char *one = arr ? json_dumps(arr, JSON_COMPACT) : NULL;
		json_decref(arr);
		struct kp_err row_err = KP_ERR_INIT;
		long first = rs->batch_line, last = rs->batch_last;
		rs->batch_line = rs->batch_last = rs->row_line[i];
		int r = one ? restore_exec(rs, "SAVEPOINT kp_row", NULL, NULL, &row_err) : KP_ENOMEM;
		if (r == 0)
			r = restore_exec(rs, rs->insert_sql, one, NULL, &row_err);
		free(one);
		if (r != 0) {
			*err = row_err;
			rc = r;
			break;
		}
		rs->batch_line = first;
		rs->batch_last = last;
	}
	json_decref(rows);
	return rc;
}

/* Send the rows gathered for the current table. */
static int restore_flush(struct restore *rs, struct kp_err *err)
{
	if (rs->batch_rows == 0)
		return 0;
	if (buf_addc(&rs->batch, ']') != 0 || buf_addc(&rs->batch, '\0') != 0)
		return restore_fail(rs, err, KP_EINTERNAL, "batch too large");
	/* under a savepoint, so that a failed batch can be tried row by row to name the row */
	int rc = restore_exec(rs, "SAVEPOINT kp_batch", NULL, NULL, err);
	if (rc == 0 && (rc = restore_exec(rs, rs->insert_sql, rs->batch.ptr, NULL, err)) != 0) {
		struct kp_err ignore = KP_ERR_INIT;
		if (restore_exec(rs, "ROLLBACK TO SAVEPOINT kp_batch", NULL, NULL, &ignore) == 0)
			rc = restore_find_row(rs, err);
	}
	rs->batch_line = 0;
	if (rc == 0)
		rs->rows += (long long)rs->batch_rows;
	buf_reset(&rs->batch);
	rs->batch_rows = 0;
	return rc;
}

/* What JSON a value of a column of SQL type `type` must be (see struct restore.columns). */
static const char *restore_json_kind(const char *type, const char *generated)
{
	if (strcmp(generated, "NEVER") != 0)
		return "generated";
	if (!strcmp(type, "bigint") || !strcmp(type, "integer") || !strcmp(type, "smallint"))
		return "integer";
	if (!strcmp(type, "double precision") || !strcmp(type, "real") || !strcmp(type, "numeric"))
		return "number";
	if (!strcmp(type, "boolean"))
		return "boolean";
	if (!strcmp(type, "text") || !strcmp(type, "character varying"))
		return "string";
	return "any";
}

/* Start table `name`: its INSERT from the catalog (columns that are not generated), and what
 * each column takes, so a row is checked before it goes (jsonb_populate_recordset would turn
 * "12" into 12, 12 into "12" and drop a key it does not know, without a word). */
static int restore_table(struct restore *rs, const char *name, struct kp_err *err)
{
	free(rs->insert_sql);
	rs->insert_sql = NULL;
	json_decref(rs->columns);
	rs->columns = NULL;
	snprintf(rs->table, sizeof rs->table, "%s", name);
	/* schema_migrations is rebuilt by the migrations; a bulk load's index list is state of
	 * a load that was running when the backup was taken, not data */
	if (!strcmp(name, "schema_migrations") || !strcmp(name, "bulk_dropped_indexes"))
		return 0;
	PGresult *r = NULL;
	int rc = restore_exec(
		rs,
		"SELECT format('INSERT INTO %I (%s) OVERRIDING SYSTEM VALUE SELECT %s"
		" FROM jsonb_populate_recordset(NULL::%I, $1::jsonb)', $1::text, cols, cols, $1::text)"
		" FROM (SELECT string_agg(quote_ident(column_name), ', ' ORDER BY ordinal_position) AS cols"
		"  FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1"
		"  AND is_generated = 'NEVER') c WHERE cols IS NOT NULL",
		name, &r, err);
	if (rc != 0)
		return rc;
	if (PQntuples(r) != 1) {
		PQclear(r);
		return restore_fail(rs, err, KP_EINVAL, "table %s is not in this database's schema", name);
	}
	rs->insert_sql = strdup(PQgetvalue(r, 0, 0));
	PQclear(r);
	if (!rs->insert_sql)
		return kp_err_set(err, KP_ENOMEM, "out of memory");
	rc = restore_exec(rs,
	                  "SELECT column_name, data_type, is_generated FROM information_schema.columns"
	                  " WHERE table_schema = current_schema() AND table_name = $1",
	                  name, &r, err);
	if (rc != 0)
		return rc;
	rs->columns = json_object();
	for (int i = 0; rs->columns && i < PQntuples(r); i++)
		if (json_object_set_new(rs->columns, PQgetvalue(r, i, 0),
		                        json_string(restore_json_kind(PQgetvalue(r, i, 1), PQgetvalue(r, i, 2)))))
			break;
	PQclear(r);
	return rs->columns ? 0 : kp_err_set(err, KP_ENOMEM, "out of memory");
}

/* The first key of row j that the table has no column for, or whose value is not what its
 * column takes (null always passes: the table's NOT NULL says the rest): a message (static or
 * in buf), or NULL when the row is fine. A generated column's key (a backup of a newer
 * schema's derived value) is left to the insert, which does not name it. */
static const char *restore_row_mismatch(const struct restore *rs, json_t *j, char *buf, size_t cap)
{
	const char *key;
	json_t *v;
	json_object_foreach(j, key, v)
	{
		const char *kind = json_string_value(json_object_get(rs->columns, key));
		int ok;
		if (!kind) {
			snprintf(buf, cap, "table %s has no column %.64s", rs->table, key);
			return buf;
		}
		if (json_is_null(v) || !strcmp(kind, "any") || !strcmp(kind, "generated"))
			continue;
		if (!strcmp(kind, "integer"))
			ok = json_is_integer(v);
		else if (!strcmp(kind, "number"))
			ok = json_is_number(v);
		else if (!strcmp(kind, "boolean"))
			ok = json_is_boolean(v);
		else
			ok = json_is_string(v);
		if (!ok) {
			snprintf(buf, cap, "column %s.%.64s takes %s %s", rs->table, key,
			         !strcmp(kind, "integer") ? "an" : "a", kind);
			return buf;
		}
		/* a *_json column holds a JSON document as text: the reads parse it (a broken one
		 * would be a 500 on the first list that filters it) */
		size_t kl = strlen(key);
		if (kl > 5 && !strcmp(key + kl - 5, "_json") && json_is_string(v)) {
			json_t *doc = json_loadb(json_string_value(v), json_string_length(v), JSON_DECODE_ANY, NULL);
			json_decref(doc);
			if (!doc) {
				snprintf(buf, cap, "column %s.%.64s takes JSON text", rs->table, key);
				return buf;
			}
		}
	}
	return NULL;
}

/* One row line (without a trailing comma) of the current table. */
static int restore_row(struct restore *rs, const char *row, size_t n, struct kp_err *err)
{
	json_error_t je;
	char what[200];
	json_t *j = json_loadb(row, n, JSON_REJECT_DUPLICATES, &je);
	int obj = j && json_is_object(j);
	const char *bad = obj && rs->insert_sql && rs->columns ? restore_row_mismatch(rs, j, what, sizeof what) : NULL;
	json_decref(j);
	if (!obj)
		return restore_fail(rs, err, KP_EINVAL, "not a row (a JSON object): %s",
				    j ? "another JSON value" : je.text);
	if (bad)
		return restore_fail(rs, err, KP_EINVAL, "%s", bad);
	if (!rs->insert_sql)
		return 0; /* a table restore_table() skips */
	if (buf_addc(&rs->batch, rs->batch_rows ? ',' : '[') != 0 || buf_add(&rs->batch, row, n) != 0)
		return restore_fail(rs, err, KP_EINTERNAL, "batch too large");
	if (!rs->batch_rows)
		rs->batch_line = rs->line;
	rs->batch_last = rs->line;
	rs->row_line[rs->batch_rows] = rs->line;
	rs->batch_rows++;
	if (rs->batch_rows >= RESTORE_BATCH_ROWS || rs->batch.len >= RESTORE_BATCH_BYTES)
		return restore_flush(rs, err);
	return 0;
}

static int name_ok(const char *s, size_t n)
{
	if (n == 0 || n >= 64)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return 0;
	return 1;
}

/* The body of the file after its header line: table lines, row lines, closing lines. */
static int restore_body(struct restore *rs, struct kp_err *err)
{
	int in_table = 0, ended = 0, rc;
	while ((rc = restore_next_line(rs, err)) == 1) {
		const char *s = rs->line_buf.ptr;
		size_t n = rs->line_buf.len;
		while (n && (s[n - 1] == '\r' || s[n - 1] == ' '))
			n--;
		if (n == 0)
			continue;
		if (ended)
			return restore_fail(rs, err, KP_EINVAL, "text after the end of the backup");
		if (s[0] == '{' && in_table) {
			if (s[n - 1] == ',')
				n--;
			if ((rc = restore_row(rs, s, n, err)))
				return rc;
			continue;
		}
		if (s[0] == '"' && !in_table) { /* "name": [   or   "name": []   (then , or }}) */
			const char *q = memchr(s + 1, '"', n - 1);
			if (!q || !name_ok(s + 1, (size_t)(q - s - 1)) || strncmp(q, "\": [", 4) != 0)
				return restore_fail(rs, err, KP_EINVAL, "expected a table name line like \"customers\": [");
			char name[64];
			memcpy(name, s + 1, (size_t)(q - s - 1));
			name[q - s - 1] = '\0';
			if ((rc = restore_table(rs, name, err)))
				return rc;
			const char *rest = q + 4;
			size_t rn = n - (size_t)(rest - s);
			if (rn == 0) {
				in_table = 1;
			} else if (rest[0] == ']' && (rn == 1 || (rn == 2 && rest[1] == ','))) {
				/* an empty table */
			} else if (rn == 3 && !memcmp(rest, "]}}", 3)) {
				ended = 1;
			} else {
				return restore_fail(rs, err, KP_EINVAL, "unexpected text after a table name");
			}
			continue;
		}
		if (s[0] == ']' && in_table) {
			if ((rc = restore_flush(rs, err)))
				return rc;
			in_table = 0;
			if (n == 3 && !memcmp(s, "]}}", 3))
				ended = 1;
			else if (!(n == 1 || (n == 2 && s[1] == ',')))
				return restore_fail(rs, err, KP_EINVAL, "unexpected text after the end of a table");
			continue;
		}
		return restore_fail(rs, err, KP_EINVAL, "%s",
				    in_table ? "expected a row or the end of the table" : "expected a table");
	}
	if (rc < 0)
		return err->status ? err->status : KP_ESTORE;
	if (!ended)
		return restore_fail(rs, err, KP_EINVAL, "the file ends before the backup does (cut short?)");
	return 0;
}

/* The header line: {"format": "kumppani-backup", "backend": "postgres", "schema_version": N, ..., "tables": { */
static int restore_header(struct restore *rs, int *version, struct kp_err *err)
{
	int rc = restore_next_line(rs, err);
	if (rc < 0)
		return err->status;
	if (rc == 0)
		return kp_err_set(err, KP_EINVAL, "restore: %s is empty", rs->path);
	const char *s = rs->line_buf.ptr;
	size_t n = rs->line_buf.len;
	static const char tail[] = "\"tables\": {";
	if (n < sizeof tail || memcmp(s + n - (sizeof tail - 1), tail, sizeof tail - 1) != 0)
		return kp_err_set(err, KP_EINVAL,
				  "restore: %s is not a Kumppani PostgreSQL backup (a SQLite backup is a database file:"
				  " use it as the database, --db sqlite:FILE)",
				  rs->path);
	struct buf h = BUF_INIT(RESTORE_LINE_MAX + 8);
	json_t *j = NULL;
	if (buf_add(&h, s, n) == 0 && buf_adds(&h, "}}") == 0)
		j = json_loadb(h.ptr, h.len, JSON_REJECT_DUPLICATES, NULL);
	buf_release(&h);
	const char *fmt = json_string_value(json_object_get(j, "format"));
	const char *be = json_string_value(json_object_get(j, "backend"));
	json_t *v = json_object_get(j, "schema_version");
	rc = 0;
	if (!j || !fmt || strcmp(fmt, "kumppani-backup") != 0)
		rc = kp_err_set(err, KP_EINVAL, "restore: %s is not a Kumppani backup", rs->path);
	else if (!be || strcmp(be, "postgres") != 0)
		rc = kp_err_set(err, KP_EINVAL, "restore: %s is a backup of another backend (%s)", rs->path,
				be ? be : "none named");
	else if (!json_is_integer(v))
		rc = kp_err_set(err, KP_EINVAL, "restore: %s: its schema_version is not a whole number", rs->path);
	else if (json_integer_value(v) < 1 || json_integer_value(v) > store_pg_nmigrations)
		rc = kp_err_set(err, KP_EINVAL,
		                "restore: %s has schema version %lld; this program restores versions 1 to %d"
		                " (a newer backup needs a newer kumppani)",
		                rs->path, (long long)json_integer_value(v), store_pg_nmigrations);
	else
		*version = (int)json_integer_value(v);
	json_t *seq = json_object_get(j, "sequences"); /* absent in backups made before it was kept */
	if (rc == 0 && seq) {
		const char *k;
		json_t *val;
		if (!json_is_object(seq))
			rc = kp_err_set(err, KP_EINVAL, "restore: %s: its \"sequences\" is no object", rs->path);
		json_object_foreach(seq, k, val)
		{
			const char *dot = strchr(k, '.');
			if (rc == 0 && (!dot || !name_ok(k, (size_t)(dot - k)) || !name_ok(dot + 1, strlen(dot + 1)) ||
			                !json_is_integer(val) || json_integer_value(val) < 1))
				rc = kp_err_set(err, KP_EINVAL,
				                "restore: %s: sequence \"%s\" is not a table.column with a"
				                " positive value",
				                rs->path, k);
		}
		if (rc == 0)
			rs->sequences = json_incref(seq);
	}
	json_decref(j);
	return rc;
}

/* 0 if the target may take the backup: every table in the schema is one of Kumppani's (or
 * there is none), none holds rows (schema_migrations aside), and its schema version is at most
 * the backup's. Otherwise KP_ECONFLICT, before anything was created, migrated or deleted. */
static int restore_target_empty(struct restore *rs, int version, struct kp_err *err)
{
	PGresult *r = NULL;
	int rc = restore_exec(rs,
			      "SELECT c.relname FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace"
			      " AND c.relkind IN ('r', 'p') ORDER BY c.relname",
			      NULL, &r, err);
	if (rc)
		return rc;
	for (int i = 0; i < PQntuples(r) && rc == 0; i++) {
		const char *name = PQgetvalue(r, i, 0);
		if (!known_table(name) && strcmp(name, "bulk_dropped_indexes") != 0) {
			rc = kp_err_set(err, KP_ECONFLICT,
					"restore: the database has a table Kumppani did not make (%s): restore into a"
					" new, empty database",
					name);
			break;
		}
		if (!strcmp(name, "schema_migrations")) {
			PGresult *v = NULL;
			if ((rc = restore_exec(rs, "SELECT coalesce(max(version), 0) FROM schema_migrations", NULL, &v,
					       err)))
				break;
			int have = atoi(PQgetvalue(v, 0, 0));
			PQclear(v);
			if (have > version)
				rc = kp_err_set(err, KP_ECONFLICT,
						"restore: the database is at schema version %d, newer than the backup's %d:"
						" restore into a new, empty database",
						have, version);
			continue;
		}
		char sql[160];
		snprintf(sql, sizeof sql, "SELECT EXISTS (SELECT 1 FROM %s)", name); /* a known table name */
		PGresult *n = NULL;
		if ((rc = restore_exec(rs, sql, NULL, &n, err)))
			break;
		int any = PQgetvalue(n, 0, 0)[0] == 't';
		PQclear(n);
		if (any)
			rc = kp_err_set(err, KP_ECONFLICT,
					"restore: the database already holds data (table %s has rows): restore into a"
					" new, empty database",
					name);
	}
	PQclear(r);
	return rc;
}

/*
 * Values the types allow but Kumppani never writes, as the SQLite backend's restore checks
 * them (sq_value_checks in store/sqlite/backupcheck.c): an edited or damaged backup that held
 * them would restore and then misbehave (an admin of role 99 is locked out; a contact of an
 * unknown kind vanishes from its customer; a customer merged into itself can never be read).
 * Ids and versions below 1 are checked in every table that has them.
 */
/* a control character (Unicode Cc) or a bidi override or isolate: validate_name refuses them */
#define RESTORE_WS                "[ \\t\\n\\r\\u00a0]"
#define RESTORE_NAME_CONTROL(col) col " ~ '[\\x01-\\x1f\\x7f-\\x9f\\u202a-\\u202e\\u2066-\\u2069]'"
static const struct {
	const char *table, *column, *cond, *what;
} restore_value_checks[] = {
    {"staff", "role", "role NOT BETWEEN 1 AND 3", "a role other than 1 (agent), 2 (manager) or 3 (admin)"},
    {"staff", "pw_hash",
     "pw_hash IS NOT NULL AND pw_hash !~ '^[$]argon2id[$]v=[0-9]+[$]m=[0-9]+,t=[0-9]+,p=[0-9]+[$][^$]+[$][^$]+$'",
     "a password hash not of Argon2id"},
    {"customers", "flags", "flags NOT IN (0, 1)", "flags other than 0 or 1 (abusive)"},
    {"customers", "merged_into", "merged_into = 0", "a merge into customer 0"},
    {"field_defs", "entity", "entity NOT IN ('customer', 'organization')", "a field of an unknown kind of record"},
    {"customers", "merged_into",
     "coalesce(merged_into, 0) <> 0 AND (merged_into = id OR NOT EXISTS (SELECT 1 FROM customers t"
     " WHERE t.id = customers.merged_into AND coalesce(t.merged_into, 0) = 0))",
     "merged into itself, into no customer or into a merged one"},
    {"customers", "custom_json", "NOT pg_temp.kp_json_object(custom_json)", "custom values that are no JSON object"},
    {"organizations", "custom_json", "NOT pg_temp.kp_json_object(custom_json)",
     "custom values that are no JSON object"},
    {"field_defs", "type", "type NOT IN ('text', 'number', 'date', 'boolean', 'choice')", "an unknown field type"},
    {"customer_contacts", "kind", "kind NOT IN ('email', 'phone', 'address')", "an unknown contact kind"},
    {"interactions", "direction", "direction NOT IN ('inbound', 'outbound')", "an unknown direction"},
    {"interactions", "kind",
     "kind NOT IN ('call', 'email', 'meeting', 'chat', 'visit', 'purchase', 'sms', 'social', 'note')",
     "an unknown interaction kind"},
    /* e-mails are stored lower-case (validate_email): "ADMIN@X.FI" beside "admin@x.fi" would
     * be two rows for one address (ASCII letters, as SQLite checks them) */
    {"staff", "email", "email ~ '[A-Z]'", "an e-mail with upper-case letters"},
    {"organizations", "email", "email ~ '[A-Z]'", "an e-mail with upper-case letters"},
    {"customer_contacts", "value", "kind = 'email' AND value ~ '[A-Z]'", "an e-mail with upper-case letters"},
    /* nor white space around it (validate_email trims it): "admin@x.fi " beside "admin@x.fi" */
    /* (the white space SQLite's check trims: space, tab, LF, CR and no-break space) */
    {"staff", "email", "email ~ '^" RESTORE_WS "|" RESTORE_WS "$'", "white space around an e-mail"},
    {"organizations", "email", "email ~ '^" RESTORE_WS "|" RESTORE_WS "$'", "white space around an e-mail"},
    {"customer_contacts", "value", "kind = 'email' AND value ~ '^" RESTORE_WS "|" RESTORE_WS "$'",
     "white space around an e-mail"},
    /* a name is never blank (validate_name trims it, then refuses what is left empty) */
    {"customers", "name", "name !~ '[^ \\t\\n\\r\\u00a0]'", "a blank name"},
    {"organizations", "name", "name !~ '[^ \\t\\n\\r\\u00a0]'", "a blank name"},
    {"staff", "name", "name !~ '[^ \\t\\n\\r\\u00a0]'", "a blank name"},
    {"customers", "name", RESTORE_NAME_CONTROL("name"), "a control character"},
    {"organizations", "name", RESTORE_NAME_CONTROL("name"), "a control character"},
    {"staff", "name", RESTORE_NAME_CONTROL("name"), "a control character"},
    {"field_defs", "label", RESTORE_NAME_CONTROL("label"), "a control character"},
    {"customer_tags", "tag", RESTORE_NAME_CONTROL("tag"), "a control character"},
    {"org_tags", "tag", RESTORE_NAME_CONTROL("tag"), "a control character"},
    {"api_tokens", "label", "label ~ '[\\x01-\\x1f\\x7f]'", "a control character"},
};

/* The first row of `table` where cond holds: 1 (its id, or "" when the table has none, into
 * id), 0 if none, or a negative status with err set. */
static int restore_first_hit(struct restore *rs, const char *table, const char *cond, int has_id, char *id, size_t cap,
                             struct kp_err *err)
{
	char sql[1024];
	PGresult *r = NULL;
	snprintf(sql, sizeof sql, "SELECT %s FROM %s WHERE %s LIMIT 1", has_id ? "id::text" : "''", table, cond);
	int rc = restore_exec(rs, sql, NULL, &r, err);
	if (rc)
		return rc;
	int hit = PQntuples(r) > 0;
	if (hit)
		snprintf(id, cap, "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	return hit;
}

/* 0 if every restored row holds only values Kumppani writes (restore_value_checks), else
 * KP_EINVAL naming the table, the row and the column. */
static int restore_check_values(struct restore *rs, struct kp_err *err)
{
	PGresult *cols = NULL;
	char id[32];
	int rc = restore_exec(rs,
	                      "CREATE FUNCTION pg_temp.kp_json_object(t text) RETURNS boolean LANGUAGE plpgsql"
	                      " IMMUTABLE AS $f$ BEGIN RETURN jsonb_typeof(t::jsonb) = 'object';"
	                      " EXCEPTION WHEN others THEN RETURN false; END $f$",
	                      NULL, NULL, err);
	if (rc == 0)
		rc = restore_exec(
		    rs,
		    "SELECT table_name, column_name, bool_or(column_name = 'id') OVER (PARTITION BY table_name)"
		    " FROM information_schema.columns WHERE table_schema = current_schema()"
		    " AND (column_name IN ('id', 'version') OR (data_type = 'bigint' AND (column_name = 'at'"
		    " OR column_name LIKE '%\\_at'))) ORDER BY table_name, column_name",
		    NULL, &cols, err);
	for (int i = 0; rc == 0 && i < PQntuples(cols); i++) {
		const char *t = PQgetvalue(cols, i, 0), *col = PQgetvalue(cols, i, 1);
		char cond[160];
		if (!name_ok(t, strlen(t)) || !known_table(t) || !name_ok(col, strlen(col)))
			continue;
		/* ids and versions are 1 or more; a time is within what the API accepts (an edited
		 * occurred_at of year -1199 was served as it was) */
		int is_time = strcmp(col, "id") != 0 && strcmp(col, "version") != 0;
		if (is_time)
			snprintf(cond, sizeof cond, "%s NOT BETWEEN %s", col, STORE_TIME_RANGE_S);
		else
			snprintf(cond, sizeof cond, "%s < 1", col);
		int hit = restore_first_hit(rs, t, cond, PQgetvalue(cols, i, 2)[0] == 't', id, sizeof id, err);
		if (hit < 0)
			rc = hit;
		else if (hit)
			rc =
			    kp_err_set(err, KP_EINVAL,
			               "restore: %s: table \"%s\" row id %s, column \"%s\": %s, a"
			               " value Kumppani never writes",
			               rs->path, t, id, col, is_time ? "a time outside years 1900 to 9999" : "below 1");
	}
	PQclear(cols);
	for (size_t k = 0; rc == 0 && k < sizeof restore_value_checks / sizeof *restore_value_checks; k++) {
		/* the tag tables have no id column: a hit there is named by its table alone */
		const char *t = restore_value_checks[k].table;
		int has_id = strcmp(t, "customer_tags") != 0 && strcmp(t, "org_tags") != 0;
		int hit = restore_first_hit(rs, t, restore_value_checks[k].cond, has_id, id, sizeof id, err);
		if (hit < 0)
			rc = hit;
		else if (hit)
			rc = kp_err_set(err, KP_EINVAL,
			                "restore: %s: table \"%s\" row id %s, column \"%s\": %s, which Kumppani never"
			                " writes",
			                rs->path, restore_value_checks[k].table, id, restore_value_checks[k].column,
			                restore_value_checks[k].what);
	}
	return rc;
}

/* Each id sequence at least where the backup's was (rs->sequences; restore_body already set
 * it past the largest id restored): an id a deleted row had is never given out again. */
static int restore_sequences(struct restore *rs, struct kp_err *err)
{
	const char *k;
	json_t *n;
	int rc = 0;
	json_object_foreach(rs->sequences, k, n)
	{
		const char *dot = strchr(k, '.');
		char table[64], sql[512];
		snprintf(table, sizeof table, "%.*s", (int)(dot - k), k); /* names checked by restore_header */
		snprintf(
		    sql, sizeof sql,
		    "SELECT setval(s, %lld, true) FROM (SELECT pg_get_serial_sequence('%s', '%s')::regclass AS s) x"
		    " WHERE s IS NOT NULL AND %lld > coalesce(pg_sequence_last_value(s), 0)",
		    (long long)json_integer_value(n), table, dot + 1, (long long)json_integer_value(n));
		if (known_table(table) && (rc = restore_exec(rs, sql, NULL, NULL, err)))
			break;
	}
	return rc;
}

int store_pg_restore(struct store_conn *c, const char *path, long long *rows, struct kp_err *err)
{
	struct pg_conn *pc = (struct pg_conn *)c;
	struct restore rs = { .pg = pc->pg, .path = path, .line_buf = BUF_INIT(RESTORE_LINE_MAX),
			      .batch = BUF_INIT(RESTORE_BATCH_BYTES + RESTORE_LINE_MAX + 16) };
	int rc = 0, version = 0, have = 0, began = 0;
	rs.f = fopen(path, "re");
	if (!rs.f)
		return kp_err_set(err, errno == ENOENT ? KP_ENOTFOUND : KP_ESTORE, "restore: %s: %s", path,
				  strerror(errno));
	if ((rc = restore_header(&rs, &version, err)))
		goto out;
	/* before anything is created or migrated: the database must be new, or hold only what
	 * Kumppani's migrations made, without rows, at a schema no newer than the backup's */
	if ((rc = restore_target_empty(&rs, version, err)))
		goto out;
	/* the schema the rows were read from */
	if ((rc = store_pg_migrate_to(c, version, NULL, err)) || (rc = store_pg_schema_version(c, &have, err)))
		goto out;
	if (have != version) {
		rc = kp_err_set(err, KP_ECONFLICT,
				"restore: the database is at schema version %d and the backup at %d: restore into a new,"
				" empty database",
				have, version);
		goto out;
	}
	if ((rc = restore_exec(&rs, "BEGIN", NULL, NULL, err)))
		goto out;
	began = 1;
	/* Checked again inside the load's transaction, each table locked against writers first:
	 * a server started on this database since the first check may have written to it, and its
	 * rows must make the restore fail, not vanish under the backup's (the migrations seed no
	 * rows, so any row here is someone's). */
	for (size_t i = 0; i < sizeof(backup_tables) / sizeof(backup_tables[0]); i++) {
		if (!strcmp(backup_tables[i].name, "schema_migrations"))
			continue;
		char sql[160];
		PGresult *n = NULL;
		snprintf(sql, sizeof sql, "LOCK TABLE %s IN EXCLUSIVE MODE", backup_tables[i].name);
		if ((rc = restore_exec(&rs, sql, NULL, NULL, err)))
			goto out;
		snprintf(sql, sizeof sql, "SELECT EXISTS (SELECT 1 FROM %s)", backup_tables[i].name);
		if ((rc = restore_exec(&rs, sql, NULL, &n, err)))
			goto out;
		int any = PQgetvalue(n, 0, 0)[0] == 't';
		PQclear(n);
		if (any) {
			rc = kp_err_set(err, KP_ECONFLICT,
					"restore: table %s gained rows after the restore began (is a server running on"
					" this database?): stop it and restore into a new, empty database",
					backup_tables[i].name);
			goto out;
		}
	}
	if ((rc = restore_exec(&rs, "SET CONSTRAINTS ALL DEFERRED", NULL, NULL, err)))
		goto out;
	if ((rc = restore_body(&rs, err)))
		goto out;
	rs.table[0] = '\0';
	if ((rc = restore_check_values(&rs, err)))
		goto out;
	/* every sequence past the largest id restored, so new rows never collide */
	if ((rc = restore_exec(&rs,
			       "DO $kp$ DECLARE r record; m bigint; BEGIN"
			       " FOR r IN SELECT table_name AS t, column_name AS col,"
			       "  pg_get_serial_sequence(format('%I', table_name), column_name) AS seq"
			       "  FROM information_schema.columns WHERE table_schema = current_schema() LOOP"
			       "  CONTINUE WHEN r.seq IS NULL;"
			       "  EXECUTE format('SELECT max(%I) FROM %I', r.col, r.t) INTO m;"
			       "  PERFORM setval(r.seq, coalesce(m, 1), m IS NOT NULL);"
			       " END LOOP; END $kp$",
			       NULL, NULL, err)))
		goto out;
	if (rs.sequences && (rc = restore_sequences(&rs, err)))
		goto out;
	rc = restore_exec(&rs, "COMMIT", NULL, NULL, err);
	began = 0;
out:
	if (began) {
		PGresult *rb = PQexec(pc->pg, "ROLLBACK");
		PQclear(rb);
	}
	if (rc == 0 && rows)
		*rows = rs.rows;
	free(rs.insert_sql);
	json_decref(rs.columns);
	json_decref(rs.sequences);
	buf_release(&rs.line_buf);
	buf_release(&rs.batch);
	fclose(rs.f);
	return rc;
}
