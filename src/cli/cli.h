/*
 * cli: the `kumppani` command line. Commands live in one table (cli/commands.c); each is
 * `int cmd_<name>(int argc, char **argv)` in cli/cmd_<name>.c, with argv[0] the command
 * name. Only cli/ chooses exit codes:
 *   0 success, 1 runtime failure (message on stderr), 2 usage error.
 */
#ifndef KP_CLI_CLI_H
#define KP_CLI_CLI_H

#define CLI_EXIT_OK 0
#define CLI_EXIT_FAIL 1
#define CLI_EXIT_USAGE 2

struct cli_command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
	const char *usage; /* full help text printed by `kumppani CMD --help` */
};

extern const struct cli_command cli_commands[];
extern const unsigned cli_ncommands;

int cli_main(int argc, char **argv);

/* Helpers shared by commands. */
/* The --db URL: the option if given, else $KUMPPANI_DB, else "sqlite:./var/kumppani.db". */
const char *cli_db_url(const char *opt);
/* For commands that read or add to an existing database (token create, staff add and
 * list): 0 when
 * url is not an SQLite path or the file exists; else says so on stderr, as `kumppani WHO`, and
 * returns CLI_EXIT_FAIL, so that a mistyped path leaves no new empty database behind. */
int cli_db_must_exist(const char *who, const char *url);
/* Print "kumppani CMD: usage error: MSG" and the usage line; returns CLI_EXIT_USAGE. */
int cli_usage_error(const struct cli_command *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const struct cli_command *cli_find(const char *name);
/* One option with a value, `--name VALUE` or `--name=VALUE`: when argv[*i] is that option,
 * sets *value (advancing *i past a separate value) and returns 1; 0 when it is another
 * argument. A missing or empty value, a separate value that is itself an option ("--to --db":
 * write --to=--db to mean it) and an option given twice are usage errors: printed, and -1 returned
 * (the command then exits CLI_EXIT_USAGE). *value must start NULL. */
int cli_opt(const struct cli_command *cmd, int argc, char **argv, int *i, const char *name, const char **value);
/* "--help" or "-h" as the only argument (or after a subcommand: `staff add --help`): print
 * usage and return 1; beside other arguments: a usage error, printed, -1; else 0. */
int cli_wants_help(const struct cli_command *cmd, int argc, char **argv);
/* Map a kp status to an exit code (usage-type statuses give 2). */
int cli_exit_for(int kp_status);

int cmd_serve(int argc, char **argv);
int cmd_migrate(int argc, char **argv);
int cmd_staff(int argc, char **argv);
int cmd_token(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_restore(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_analyze(int argc, char **argv);

#endif
