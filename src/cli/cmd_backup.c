/*
 * cmd_backup: `kumppani backup --to FILE [--db URL]` - a consistent online copy while a
 * server may be running. The store is opened read-only (no writer, no migrations), so the
 * copy never competes with the server for the write lock. The copy is written under a
 * temporary name and renamed into place when whole and checked (store_backup); a signal
 * that ends the command removes the temporary file, and one a backup killed outright left
 * is removed by the next backup to the same name (and said on standard error).
 *
 * And its inverse, `kumppani restore --from FILE [--db URL]`: the backup loaded into a
 * database that holds nothing yet (a new SQLite path, an empty PostgreSQL database), then
 * migrated. The store is opened without migrations, so the backup's own schema is used.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "store/store.h"
#include "util/log.h"

/* --db and one file option (--to or --from), as --opt VALUE or --opt=VALUE. */
static int parse_args(const struct cli_command *self, int argc, char **argv, const char *file_opt, const char **db,
		      const char **file)
{
	for (int i = 1; i < argc; i++) {
		int r = cli_opt(self, argc, argv, &i, "--db", db);
		if (r == 0)
			r = cli_opt(self, argc, argv, &i, file_opt, file);
		if (r < 0)
			return CLI_EXIT_USAGE;
		if (r == 0)
			return cli_usage_error(self, "unknown argument '%s'", argv[i]);
	}
	if (!*file || !**file)
		return cli_usage_error(self, "%s FILE is required", file_opt);
	return 0;
}

/* msg without a leading prefix (the store says "restore: ..." where the command already
 * says "kumppani restore: "). */
static const char *unprefixed(const char *msg, const char *prefix)
{
	size_t n = strlen(prefix);
	return strncmp(msg, prefix, n) == 0 ? msg + n : msg;
}

/* SIGINT, SIGTERM or SIGHUP during a backup: the temporary file goes, then the signal ends
 * the process as it would have (the handler is reset on entry; the raised signal waits
 * until it returns). */
static void backup_on_signal(int sig)
{
	store_backup_abandon();
	raise(sig);
}

/* A temporary file a backup that did not finish left, removed by this one (store_backup). */
static void backup_left_over(const char *file, void *arg)
{
	(void)arg;
	fprintf(stderr, "removed %s, left by a backup that did not finish\n", file);
}

int cmd_backup(int argc, char **argv)
{
	const struct cli_command *self = cli_find("backup");
	const char *db = NULL, *to = NULL;
	int prc = parse_args(self, argc, argv, "--to", &db, &to);
	if (prc)
		return prc;
	log_set_quiet(1);
	struct kp_err err = KP_ERR_INIT;
	struct store *s = NULL;
	struct store_options opts = { .read_only = 1, .no_migrate = 1 };
	struct sigaction sa = {.sa_handler = backup_on_signal, .sa_flags = SA_RESETHAND};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	int rc = store_open(cli_db_url(db), &opts, &s, &err);
	if (rc == 0)
		rc = store_backup(s, to, backup_left_over, NULL, &err);
	store_close(s);
	if (rc != 0) {
		fprintf(stderr, "kumppani backup: %s\n",
		        err.msg[0] ? unprefixed(err.msg, "backup: ") : kp_status_name(rc));
		return rc == KP_EINVAL ? CLI_EXIT_USAGE : CLI_EXIT_FAIL;
	}
	fprintf(stderr, "backup written to %s\n", to);
	return CLI_EXIT_OK;
}

int cmd_restore(int argc, char **argv)
{
	const struct cli_command *self = cli_find("restore");
	const char *db = NULL, *from = NULL;
	int prc = parse_args(self, argc, argv, "--from", &db, &from);
	if (prc)
		return prc;
	log_set_quiet(1);
	struct kp_err err = KP_ERR_INIT;
	struct store *s = NULL;
	struct store_options opts = { .no_migrate = 1, .sync_inline = 1 };
	long long rows = -1;
	const char *url = cli_db_url(db);
	/* a new database file made here goes again when the restore fails: the failure leaves
	 * things as they were, and a retry to the same path finds no empty database in its way.
	 * Made here means created by this process (O_EXCL): a file or a symlink that was there,
	 * or that another process made meanwhile, is never removed. */
	const char *path = store_local_file(url);
	int made_here = 0;
	if (path && *path) {
		int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd >= 0) {
			made_here = 1;
			close(fd);
		}
	}
	int rc = store_open(url, &opts, &s, &err);
	if (rc == 0)
		rc = store_restore(s, from, &rows, &err);
	store_close(s);
	if (rc != 0) {
		fprintf(stderr, "kumppani restore: %s\n",
		        err.msg[0] ? unprefixed(err.msg, "restore: ") : kp_status_name(rc));
		if (made_here) {
			static const char *const sfx[] = {"-wal", "-shm", "-journal", ""};
			char f[4096];
			for (size_t k = 0; k < sizeof sfx / sizeof sfx[0]; k++)
				if ((size_t)snprintf(f, sizeof f, "%s%s", path, sfx[k]) < sizeof f)
					unlink(f);
		}
		return CLI_EXIT_FAIL;
	}
	if (rows >= 0)
		fprintf(stderr, "restored %s into %s (%lld rows)\n", from, url, rows);
	else
		fprintf(stderr, "restored %s into %s\n", from, url);
	return CLI_EXIT_OK;
}
