/*
 * Online backup of a PostgreSQL store: every table as JSON, read under one
 * REPEATABLE READ, READ ONLY snapshot on a connection of its own (so it neither blocks the
 * writer nor sees half of a group commit), streamed row by row to a new file:
 *
 *   {"format": "kumppani-backup", "backend": "postgres", "schema_version": N,
 *    "created_at": MS, "tables": {"staff": [{...}, ...], "customers": [...], ...}}
 *
 * Each row is the table row as a JSON object with the column names as keys (generated
 * search vectors left out). The file must not exist (O_EXCL); it is fsync'ed before
 * success is reported and removed on failure.
 */
#include <errno.h>
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
	{ "schema_migrations", "SELECT to_jsonb(t)::text FROM schema_migrations t ORDER BY version" },
	{ "staff", "SELECT to_jsonb(t)::text FROM staff t ORDER BY id" },
	{ "api_tokens", "SELECT to_jsonb(t)::text FROM api_tokens t ORDER BY id" },
	{ "sessions", "SELECT to_jsonb(t)::text FROM sessions t ORDER BY id_hash" },
	{ "organizations", "SELECT (to_jsonb(t) - 'search')::text FROM organizations t ORDER BY id" },
	{ "org_tags", "SELECT to_jsonb(t)::text FROM org_tags t ORDER BY org_id, position" },
	{ "customers", "SELECT (to_jsonb(t) - 'search')::text FROM customers t ORDER BY id" },
	{ "customer_contacts", "SELECT to_jsonb(t)::text FROM customer_contacts t ORDER BY id" },
	{ "customer_tags", "SELECT to_jsonb(t)::text FROM customer_tags t ORDER BY customer_id, position" },
	{ "field_defs", "SELECT to_jsonb(t)::text FROM field_defs t ORDER BY id" },
	{ "notes", "SELECT (to_jsonb(t) - 'search')::text FROM notes t ORDER BY id" },
	{ "interactions", "SELECT (to_jsonb(t) - 'search')::text FROM interactions t ORDER BY id" },
	{ "audit_log", "SELECT to_jsonb(t)::text FROM audit_log t ORDER BY id" },
	{ "idempotency_keys", "SELECT to_jsonb(t)::text FROM idempotency_keys t ORDER BY staff_id, key" },
	/* 2: staff protection (protect.c) */
	{ "wellbeing_notifications", "SELECT to_jsonb(t)::text FROM wellbeing_notifications t ORDER BY id" },
	{ "text_corrections", "SELECT to_jsonb(t)::text FROM text_corrections t ORDER BY id" },
	{ "wellbeing_policy", "SELECT to_jsonb(t)::text FROM wellbeing_policy t ORDER BY id" },
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
	int rc = 0, created = 0;
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		rc = kp_err_set(err, errno == EEXIST ? KP_ECONFLICT : KP_ESTORE, "backup: %s: %s", path,
				errno == EEXIST ? "already exists (not overwriting)" : strerror(errno));
		goto out;
	}
	created = 1;
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
	fprintf(f, "{\"format\": \"kumppani-backup\", \"backend\": \"postgres\", \"schema_version\": %s,"
		   " \"created_at\": %lld, \"tables\": {",
		PQgetvalue(r, 0, 0), (long long)time_now_ms());
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
	if (rc != 0 && created)
		unlink(path);
	return rc;
}
