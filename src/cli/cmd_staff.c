/*
 * cmd_staff: `kumppani staff add --email E --name N --role R [--team T] [--db URL]` (the
 * password is the first line of standard input) and `kumppani staff list [--db URL]`. The first
 * account of an installation must be an admin (domain/staff.h).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli/cli.h"
#include "domain/staff.h"
#include "domain/validate.h"
#include "util/log.h"

#define PW_LINE_MAX 8192
#define PW_LINE_MAX_S "8192"

struct staff_opts {
	const char *db, *email, *name, *role, *team;
};

static int parse(const struct cli_command *self, int argc, char **argv, int first, int allow_add,
		 struct staff_opts *o)
{
	static const char *const names[] = { "--db", "--email", "--name", "--role", "--team" };
	const char **dst[] = {&o->db, &o->email, &o->name, &o->role, &o->team};
	for (int i = first; i < argc; i++) {
		int r = 0;
		for (int k = 0; k < (allow_add ? 5 : 1) && r == 0; k++)
			r = cli_opt(self, argc, argv, &i, names[k], dst[k]);
		if (r < 0)
			return CLI_EXIT_USAGE;
		if (r == 0)
			return cli_usage_error(self, "unknown argument '%s'", argv[i]);
	}
	return 0;
}

/* First line of stdin without its line ending or a leading UTF-8 byte order mark, malloc'd;
 * NULL at EOF, when too long, or when it holds a NUL byte, with *why saying which. */
static char *read_password(const char **why)
{
	struct termios old, quiet;
	int tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &old) == 0;
	if (tty) {
		fprintf(stderr, "Password: ");
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t n = getline(&line, &cap, stdin);
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	if (n < 0 || n > PW_LINE_MAX) {
		*why = n < 0 ? "no password on standard input (the first line: 8 to 1000 characters)"
		             : "the password line is over " PW_LINE_MAX_S " bytes (a password is 8 to 1000 characters)";
		free(line);
		return NULL;
	}
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	/* a UTF-8 byte order mark an editor put at the start is no part of the password (as
	 * analyze skips it): kept, sign-in with the password as typed would fail */
	if (n >= 3 && !memcmp(line, "\xEF\xBB\xBF", 3)) {
		memmove(line, line + 3, (size_t)n - 2);
		n -= 3;
	}
	/* a NUL inside would silently cut the password short: refused as unreadable */
	if (memchr(line, '\0', (size_t)n)) {
		*why = "the password holds a NUL byte";
		free(line);
		return NULL;
	}
	return line;
}

/* s padded with spaces to width characters (not bytes: "Äänekoski" is 9 wide), then the two
 * spaces between columns. */
static void print_cell(const char *s, size_t width)
{
	size_t n = validate_utf8_chars(s);
	fputs(s, stdout);
	for (size_t i = n; i < width + 2; i++)
		putchar(' ');
}

static void print_err(const char *what, int rc, const struct kp_err *err)
{
	fprintf(stderr, "kumppani staff %s: %s\n", what, err->msg[0] ? err->msg : kp_status_name(rc));
	for (int i = 0; i < err->nfields; i++)
		fprintf(stderr, "  %s: %s\n", err->fields[i].field, err->fields[i].msg);
}

static int add_run(struct store_conn *c, void *arg, struct kp_err *err)
{
	struct actor sys = { 0, ROLE_ADMIN, "system", NULL };
	return domain_staff_insert(c, &sys, arg, err);
}

static int staff_add(const struct cli_command *self, const struct staff_opts *o)
{
	if (!o->email)
		return cli_usage_error(self, "--email is required");
	if (!o->name)
		return cli_usage_error(self, "--name is required");
	if (!o->role)
		return cli_usage_error(self, "--role is required");
	if (domain_staff_role_parse(o->role) == ROLE_NONE)
		return cli_usage_error(self, "--role must be agent, manager or admin");

	struct kp_err err = KP_ERR_INIT;
	struct arena a = ARENA_INIT;
	struct store *s = NULL;
	struct staff st;
	int rc, code = CLI_EXIT_OK;
	const char *why = NULL;
	char *pw = NULL;
	/* staff are added to a database that serve or migrate made: a mistyped path must not
	 * leave a new database behind, whose first staff member would keep serve from creating
	 * the first admin (asked before the password is typed) */
	if ((code = cli_db_must_exist("staff add", cli_db_url(o->db))) != CLI_EXIT_OK)
		goto out;
	if ((rc = store_open(cli_db_url(o->db), NULL, &s, &err)) != 0) {
		print_err("add", rc, &err);
		code = rc == KP_EINVAL ? CLI_EXIT_USAGE : CLI_EXIT_FAIL;
		goto out;
	}
	/* the first account is an admin, or nobody could ever manage staff (serve creates its
	 * admin only on a database without staff): said before the password is typed, and
	 * checked again in the write (domain_staff_insert) */
	if (domain_staff_role_parse(o->role) != ROLE_ADMIN) {
		struct store_conn *rd = store_reader(s, &err);
		int64_t admins = 0;
		if (!rd || (rc = domain_staff_active_admins(rd, 0, &admins, &err)) != 0) {
			print_err("add", rd ? rc : err.status, &err);
			code = CLI_EXIT_FAIL;
			goto out;
		}
		if (admins == 0) {
			fprintf(stderr, "kumppani staff add: %s\n", DOMAIN_STAFF_NO_ADMIN_MSG);
			code = CLI_EXIT_FAIL;
			goto out;
		}
	}
	pw = read_password(&why);
	if (!pw) {
		fprintf(stderr, "kumppani staff add: %s\n", why);
		code = CLI_EXIT_USAGE;
		goto out;
	}
	struct domain_staff_input in = { .email = o->email, .name = o->name, .role = o->role, .team = o->team,
					 .password = pw, .active = 1 };
	if ((rc = domain_staff_prepare(&in, &st, &a, &err)) != 0) {
		print_err("add", rc, &err);
		code = cli_exit_for(rc);
		goto out;
	}
	if ((rc = store_exec(s, add_run, &st, &err)) != 0) {
		print_err("add", rc, &err);
		code = rc == KP_EINVAL ? CLI_EXIT_USAGE : CLI_EXIT_FAIL;
		goto out;
	}
	printf("created staff %" PRId64 " %s (%s)\n", st.id, st.email, domain_staff_role_name(st.role));
out:
	if (pw) {
		memset(pw, 0, strlen(pw));
		free(pw);
	}
	store_close(s);
	arena_release(&a);
	return code;
}

/* The listing's columns: ID, EMAIL, NAME, ROLE, TEAM, ACTIVE. */
#define LIST_COLS 6

static int staff_list(const struct staff_opts *o)
{
	static const char *const head[LIST_COLS] = {"ID", "EMAIL", "NAME", "ROLE", "TEAM", "ACTIVE"};
	struct kp_err err = KP_ERR_INIT;
	struct arena a = ARENA_INIT;
	struct store *s = NULL;
	const char *(*rows)[LIST_COLS] = NULL;
	size_t nrows = 0, cap = 0, width[LIST_COLS];
	int rc, code = CLI_EXIT_OK;
	/* a listing reads: a mistyped path is no empty staff list, and creates nothing */
	if ((code = cli_db_must_exist("staff list", cli_db_url(o->db))) != CLI_EXIT_OK)
		goto out;
	if ((rc = store_open(cli_db_url(o->db), NULL, &s, &err)) != 0) {
		print_err("list", rc, &err);
		code = rc == KP_EINVAL ? CLI_EXIT_USAGE : CLI_EXIT_FAIL;
		goto out;
	}
	struct store_conn *c = store_reader(s, &err);
	if (!c) {
		print_err("list", err.status, &err);
		code = CLI_EXIT_FAIL;
		goto out;
	}
	/* every row first: the columns are as wide as their widest cell, whatever the lengths
	 * (an e-mail of 40 characters ran into the name), two spaces apart */
	struct store_page pg = { .limit = 200, .sort = STORE_SORT_ID };
	char after[24];
	for (;;) {
		struct staff_list list;
		if ((rc = store_staff_list(c, NULL, &pg, &list, &a, &err)) != 0) {
			print_err("list", rc, &err);
			code = CLI_EXIT_FAIL;
			goto out;
		}
		for (size_t i = 0; i < list.n; i++) {
			const struct staff *st = &list.items[i];
			if (nrows == cap) {
				cap = cap ? cap * 2 : 64;
				void *grown = realloc(rows, cap * sizeof *rows);
				if (!grown) {
					fprintf(stderr, "kumppani staff list: out of memory\n");
					code = CLI_EXIT_FAIL;
					goto out;
				}
				rows = grown;
			}
			char *id = arena_alloc(&a, 24);
			if (!id) {
				fprintf(stderr, "kumppani staff list: out of memory\n");
				code = CLI_EXIT_FAIL;
				goto out;
			}
			snprintf(id, 24, "%" PRId64, st->id);
			const char *cells[LIST_COLS] = {id,
			                                st->email,
			                                st->name,
			                                domain_staff_role_name(st->role),
			                                st->team ? st->team : "-",
			                                st->active ? "yes" : "no"};
			memcpy(rows[nrows++], cells, sizeof cells);
		}
		if (!list.more || list.n == 0)
			break;
		pg.has_after = 1;
		pg.after_id = list.items[list.n - 1].id;
		snprintf(after, sizeof(after), "%" PRId64, pg.after_id);
		pg.after_key = after;
	}
	for (int k = 0; k < LIST_COLS; k++) {
		width[k] = strlen(head[k]);
		for (size_t r = 0; r < nrows; r++) {
			size_t n = validate_utf8_chars(rows[r][k]);
			if (n > width[k])
				width[k] = n;
		}
	}
	for (size_t r = 0; r <= nrows; r++) {
		const char *const *cells = r == 0 ? head : rows[r - 1];
		for (int k = 0; k < LIST_COLS - 1; k++)
			print_cell(cells[k], width[k]);
		printf("%s\n", cells[LIST_COLS - 1]);
	}
out:
	free(rows);
	store_close(s);
	arena_release(&a);
	return code;
}

int cmd_staff(int argc, char **argv)
{
	const struct cli_command *self = cli_find("staff");
	if (argc < 2)
		return cli_usage_error(self, "missing subcommand (add or list)");
	struct staff_opts o = { 0 };
	int add = !strcmp(argv[1], "add");
	if (!add && strcmp(argv[1], "list") != 0)
		return cli_usage_error(self, "unknown subcommand '%s'", argv[1]);
	int rc = parse(self, argc, argv, 2, add, &o);
	if (rc != 0)
		return rc;
	log_set_quiet(1);
	return add ? staff_add(self, &o) : staff_list(&o);
}
