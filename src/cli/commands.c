/*
 * commands: the table of `kumppani` commands and the help generated from it.
 */
#include "cli/cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store.h"
#include "util/err.h"

const struct cli_command cli_commands[] = {
    {"serve", cmd_serve, "Run the HTTP server",
     "usage: kumppani serve [--listen ADDR:PORT] [--db URL] [--threads N] [--max-batch N]\n"
     "                      [--sync pipelined|inline] [--timezone ZONE] [--cookie-secure]\n"
     "                      [--trusted-proxy ADDR[/BITS][,...]]\n"
     "\n"
     "  --listen ADDR:PORT  where to listen (default 127.0.0.1:8080; env KUMPPANI_LISTEN)\n"
     "  --db URL            sqlite:PATH or postgres://... (default sqlite:./var/kumppani.db;\n"
     "                      env KUMPPANI_DB)\n"
     "  --threads N         event loop threads (default: one per core; env KUMPPANI_THREADS)\n"
     "  --max-batch N       most writes per commit (default 256; 1 = one commit and one\n"
     "                      fsync per request, nothing overlapped)\n"
     "  --sync MODE         pipelined (default): a batch's fsync runs beside the next batch,\n"
     "                      and a write is answered once the fsync covering it is over; other\n"
     "                      readers may see it up to one fsync earlier. inline: each batch is\n"
     "                      on disk before anyone can read it (slower on a busy server).\n"
     "  --timezone ZONE     IANA zone whose calendar days, weeks and months the reports count\n"
     "                      in (default Europe/Helsinki; env KUMPPANI_TIMEZONE)\n"
     "  --trusted-proxy LIST\n"
     "                      addresses or ADDR/BITS ranges (IPv4, IPv6; comma-separated) of\n"
     "                      reverse proxies whose X-Forwarded-For (else Forwarded: for=)\n"
     "                      names the client: the rightmost address in it that is not a\n"
     "                      trusted proxy is used for the sign-in rate limit, the audit and\n"
     "                      the access log. Default none: those headers are ignored (env\n"
     "                      KUMPPANI_TRUSTED_PROXIES)\n"
     "  --cookie-secure     mark the session cookie Secure: behind a TLS-terminating proxy,\n"
     "                      the browser then never sends it over plain HTTP (env\n"
     "                      KUMPPANI_COOKIE_SECURE=1, true, yes or on; 0, false, no, off\n"
     "                      or empty leave it off; any other value is an error)\n"
     "\n"
     "Environment: KUMPPANI_MAX_BODY (largest request body in bytes, default 1048576),\n"
     "KUMPPANI_DB_TIMEOUT_MS (see below, default 15000), KUMPPANI_HEADER_TIMEOUT_MS (a\n"
     "request line and headers must arrive within it from their first byte, default 10000),\n"
     "KUMPPANI_IDLE_TIMEOUT_MS (an idle keep-alive connection is closed, and a body whose\n"
     "bytes stop for it is answered 408, after this, default 10000; a body must also average\n"
     "8 KiB/s after its first idle period). An option wins over its variable;\n"
     "an empty variable is unset, an empty option value a usage error. Numbers are digits\n"
     "only (no sign, no spaces).\n"
     "At most 10000 connections, fewer when the open-file limit (ulimit -n) is lower (the\n"
     "cap is logged at start): the\n"
     "next ones are answered 503.\n"
     "\n"
     "On first start with no staff, creates an admin account and prints its e-mail and a\n"
     "one-time password (or uses KUMPPANI_ADMIN_PASSWORD / KUMPPANI_ADMIN_EMAIL).\n"
     "Connections are taken once the database is open and migrated. A PostgreSQL that\n"
     "does not answer a statement within KUMPPANI_DB_TIMEOUT_MS is dropped and the\n"
     "request answered 503 (the next one reconnects).\n"
     "SIGTERM, SIGINT or SIGHUP: stop accepting, finish requests in flight, close the\n"
     "store (a second signal ends it at once). Logs go to standard error: rotating them\n"
     "is the job of whatever collects it (journald, a pipe), and needs no signal.\n"},
    {"migrate", cmd_migrate, "Apply database migrations",
     "usage: kumppani migrate [--db URL]\n"
     "\n"
     "Applies every pending schema migration and prints the schema version. Abusive messages\n"
     "stored before search indexed masked text are given theirs (serve does this at start too).\n"},
    {"staff", cmd_staff, "Manage staff accounts",
     "usage: kumppani staff add --email E --name N --role agent|manager|admin [--team T] [--db URL]\n"
     "       kumppani staff list [--db URL]\n"
     "\n"
     "The password (8 to 1000 characters) is read from standard input (first line; a\n"
     "UTF-8 byte order mark before it is skipped).\n"
     "staff list prints a header and one line per staff member, each column as wide as\n"
     "its widest cell and two spaces from the next.\n"
     "The database must exist: `kumppani serve` (which creates the first admin) or\n"
     "`kumppani migrate` makes it.\n"},
    {"token", cmd_token, "Create API tokens",
     "usage: kumppani token create --email E --name LABEL [--db URL]\n"
     "\n"
     "Creates an API token for the staff member with that e-mail and prints it once.\n"
     "Use it as `Authorization: Bearer <token>`.\n"},
    {"backup", cmd_backup, "Copy the database while it serves",
     "usage: kumppani backup --to FILE [--db URL]\n"
     "\n"
     "A consistent online copy: SQLite is copied with its backup API into FILE (a SQLite\n"
     "database); PostgreSQL is dumped as JSON under one snapshot. `kumppani restore` loads\n"
     "it back. FILE must not exist (it is never overwritten); the copy is written under a\n"
     "temporary name beside it, owner-only, and renamed to FILE once complete and checked:\n"
     "a failed or interrupted backup (SIGINT, SIGTERM) leaves neither behind.\n"},
    {"restore", cmd_restore, "Load a backup into a new, empty database",
     "usage: kumppani restore --from FILE [--db URL]\n"
     "\n"
     "Loads a backup written by `kumppani backup` into the database of --db, then migrates\n"
     "it to this program's schema. The target: on SQLite a path where no file is yet, or an\n"
     "empty (0-byte) file; a database `migrate` or `serve` made is refused, even without\n"
     "rows. On PostgreSQL an empty database (createdb), or one that holds only Kumppani's\n"
     "tables, without a row, at a schema version no newer than the backup's. A SQLite backup restores into sqlite:, a "
     "PostgreSQL backup into\n"
     "postgres://. The file is checked as it is read: a damaged, cut or foreign file is\n"
     "refused with what and where, and a failed restore leaves the database without rows.\n"
     "Run it with the server stopped.\n"},
    {"demo", cmd_demo, "Fill the database with realistic demo data",
     "usage: kumppani demo --customers N [--seed S] [--append] [--db URL]\n"
     "\n"
     "Creates N customers with Finnish names, organisations with valid Y-tunnus, phone\n"
     "numbers, addresses and interactions over the last two years. About one customer in\n"
     "400 has also written something abusive in the last 45 days, taken in as the server\n"
     "takes an inbound message (analysed, masked, an incident; the rest is bulk-loaded\n"
     "without analysis). The same seed gives the same data. On an empty database it\n"
     "first creates the admin account (as `serve` does) and adds three demo staff members\n"
     "without passwords: an admin sets one with PATCH /api/v1/staff/{id} before they can\n"
     "sign in.\n"
     "\n"
     "  --append  add the data to a database that holds customers already; without it\n"
     "            such a database is refused (exit 1), so that a second run does not add\n"
     "            another set of the same people beside the first\n"},
    {"analyze", cmd_analyze, "Analyse texts (language, sentiment, abuse, topics)",
     "usage: kumppani analyze [--lang auto|fi|en] [--json]\n"
     "\n"
     "Reads texts from standard input, one per line (or with --json a JSON array of\n"
     "strings), and writes one JSON object per text, per line, in input order. A blank\n"
     "line is a text too. Span offsets are byte offsets into the text as given.\n"
     "\n"
     "Input is UTF-8; a byte order mark at the start is skipped (offsets count from\n"
     "after it), UTF-16 is refused. A text of more than 64 KiB, a line that is not UTF-8,\n"
     "or an array element that is not a string gets {\"error\": \"...\"} on its line and\n"
     "the rest go on; standard error then says how many. With --json the whole input is\n"
     "one JSON document, which must be UTF-8 throughout: a byte that is not makes it\n"
     "malformed JSON (exit 1, nothing analysed), not an error line for one text. --json\n"
     "reads at most 256 MiB.\n"
     "\n"
     "Exit status: 0 when the texts were read (some may hold an error); 1 when none\n"
     "could be analysed, the JSON is malformed or no array, or the input cannot be\n"
     "read; 2 for a usage error.\n"},
};

const unsigned cli_ncommands = sizeof(cli_commands) / sizeof(cli_commands[0]);

const struct cli_command *cli_find(const char *name)
{
	for (unsigned i = 0; i < cli_ncommands; i++)
		if (!strcmp(cli_commands[i].name, name))
			return &cli_commands[i];
	return NULL;
}

const char *cli_db_url(const char *opt)
{
	if (opt) /* an empty --db '' is an error of store_open, not the default database */
		return opt;
	const char *env = getenv("KUMPPANI_DB");
	return env && *env ? env : "sqlite:./var/kumppani.db";
}

int cli_db_must_exist(const char *who, const char *url)
{
	const char *file = store_local_file(url);
	if (!file || !*file || access(file, F_OK) == 0)
		return 0;
	fprintf(stderr, "kumppani %s: no database at %s (start `kumppani serve` or run `kumppani migrate` first)\n",
	        who, file);
	return CLI_EXIT_FAIL;
}

int cli_usage_error(const struct cli_command *cmd, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "kumppani %s: usage error: ", cmd ? cmd->name : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (cmd) {
		const char *nl = strchr(cmd->usage, '\n');
		fprintf(stderr, "%.*s\n", nl ? (int)(nl - cmd->usage) : (int)strlen(cmd->usage), cmd->usage);
		fprintf(stderr, "Try 'kumppani %s --help'.\n", cmd->name);
	}
	return CLI_EXIT_USAGE;
}

int cli_opt(const struct cli_command *cmd, int argc, char **argv, int *i, const char *name, const char **value)
{
	size_t n = strlen(name);
	const char *a = argv[*i], *v;
	if (strncmp(a, name, n) != 0 || (a[n] != '\0' && a[n] != '='))
		return 0;
	if (a[n] == '=') {
		v = a + n + 1;
	} else {
		if (*i + 1 >= argc) {
			cli_usage_error(cmd, "%s needs a value", name);
			return -1;
		}
		v = argv[++*i];
		if (!strncmp(v, "--", 2)) {
			cli_usage_error(cmd, "%s needs a value, not the option '%s' (write %s=%s if that is the value)",
			                name, v, name, v);
			return -1;
		}
	}
	if (*value) {
		cli_usage_error(cmd, "%s is given twice", name);
		return -1;
	}
	/* an empty value is no value: --listen "" must not mean the default address */
	if (!*v) {
		cli_usage_error(cmd, "%s needs a value, not an empty one", name);
		return -1;
	}
	*value = v;
	return 1;
}

static int cli_is_help(const char *a)
{
	return !strcmp(a, "--help") || !strcmp(a, "-h");
}

int cli_wants_help(const struct cli_command *cmd, int argc, char **argv)
{
	int helps = 0;
	for (int i = 1; i < argc; i++)
		helps += cli_is_help(argv[i]);
	if (!helps)
		return 0;
	/* `CMD --help`, or `CMD SUB --help` (staff add --help); anything else beside it would be
	 * ignored unseen (migrate --help --bogus): a usage error */
	if (helps == 1 && (argc == 2 || (argc == 3 && argv[1][0] != '-' && cli_is_help(argv[2])))) {
		printf("%s", cmd->usage);
		return 1;
	}
	cli_usage_error(cmd, "--help takes no other arguments");
	return -1;
}

int cli_exit_for(int kp_status)
{
	switch (kp_status) {
	case KP_OK: return CLI_EXIT_OK;
	case KP_EINVAL:
	case KP_EVALIDATION: return CLI_EXIT_USAGE;
	default: return CLI_EXIT_FAIL;
	}
}

static void print_help(FILE *f)
{
	fprintf(f, "kumppani: customer relationships and customer experience for service businesses\n\n"
		   "usage: kumppani COMMAND [OPTIONS]\n\ncommands:\n");
	for (unsigned i = 0; i < cli_ncommands; i++)
		fprintf(f, "  %-10s %s\n", cli_commands[i].name, cli_commands[i].summary);
	fprintf(f, "\nRun 'kumppani COMMAND --help' for a command's options, 'kumppani --version' for the\n"
	           "version. Every command that touches data takes --db URL (sqlite:PATH or postgres://...),\n"
	           "else $KUMPPANI_DB, else sqlite:./var/kumppani.db. An empty KUMPPANI_* variable is\n"
	           "the same as an unset one; an empty option value is a usage error.\n");
}

int cli_main(int argc, char **argv)
{
	if (argc < 2) {
		print_help(stderr);
		return CLI_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help") ||
	    !strcmp(argv[1], "--version")) {
		if (argc > 2) { /* `--version extra` would ignore the word unseen */
			fprintf(stderr, "kumppani: usage error: %s takes no other arguments\n", argv[1]);
			return CLI_EXIT_USAGE;
		}
		if (!strcmp(argv[1], "--version"))
			printf("kumppani 0.1.0\n");
		else
			print_help(stdout);
		return CLI_EXIT_OK;
	}
	const struct cli_command *cmd = cli_find(argv[1]);
	if (!cmd) {
		fprintf(stderr, "kumppani: unknown command '%s'\n\n", argv[1]);
		print_help(stderr);
		return CLI_EXIT_USAGE;
	}
	int help = cli_wants_help(cmd, argc - 1, argv + 1);
	if (help)
		return help > 0 ? CLI_EXIT_OK : CLI_EXIT_USAGE;
	return cmd->fn(argc - 1, argv + 1);
}
