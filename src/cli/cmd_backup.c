/*
 * cmd_backup: `kumppani backup --to FILE [--db URL]` - a consistent online copy while a
 * server may be running. The store is opened read-only (no writer, no migrations), so the
 * copy never competes with the server for the write lock.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "store/store.h"
#include "util/log.h"

int cmd_backup(int argc, char **argv)
{
	const struct cli_command *self = cli_find("backup");
	const char *db = NULL, *to = NULL;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char **dst = NULL;
		const char *name = NULL;
		if (!strcmp(a, "--db") || !strncmp(a, "--db=", 5)) {
			dst = &db;
			name = "--db";
		} else if (!strcmp(a, "--to") || !strncmp(a, "--to=", 5)) {
			dst = &to;
			name = "--to";
		} else {
			return cli_usage_error(self, "unknown argument '%s'", a);
		}
		if (a[strlen(name)] == '=') {
			*dst = a + strlen(name) + 1;
		} else {
			if (i + 1 >= argc)
				return cli_usage_error(self, "%s needs a value", name);
			*dst = argv[++i];
		}
	}
	if (!to || !*to)
		return cli_usage_error(self, "--to FILE is required");
	log_set_quiet(1);
	struct kp_err err = KP_ERR_INIT;
	struct store *s = NULL;
	struct store_options opts = { .read_only = 1, .no_migrate = 1 };
	int rc = store_open(cli_db_url(db), &opts, &s, &err);
	if (rc == 0)
		rc = store_backup(s, to, &err);
	store_close(s);
	if (rc != 0) {
		fprintf(stderr, "kumppani backup: %s\n", err.msg[0] ? err.msg : kp_status_name(rc));
		return rc == KP_EINVAL ? CLI_EXIT_USAGE : CLI_EXIT_FAIL;
	}
	fprintf(stderr, "backup written to %s\n", to);
	return CLI_EXIT_OK;
}
