/*
 * cmd_token: `kumppani token create --email E --name LABEL [--db URL]` - create an API
 * token for a staff member and print it once on standard output (nothing else goes
 * there, so `TOKEN=$(kumppani token create ...)` works).
 */
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "domain/auth.h"
#include "domain/staff.h"
#include "domain/validate.h"
#include "util/log.h"

struct token_job {
	int64_t staff_id;
	const char *label;
	char token[AUTH_TOKEN_SIZE];
	struct api_token t;
};

static int create_run(struct store_conn *c, void *arg, struct kp_err *err)
{
	struct token_job *tj = arg;
	struct actor sys = { 0, ROLE_ADMIN, "system", NULL };
	return domain_auth_token_create(c, &sys, tj->staff_id, tj->label, tj->token, &tj->t, err);
}

int cmd_token(int argc, char **argv)
{
	const struct cli_command *self = cli_find("token");
	if (argc < 2)
		return cli_usage_error(self, "missing subcommand (create)");
	if (strcmp(argv[1], "create") != 0)
		return cli_usage_error(self, "unknown subcommand '%s'", argv[1]);
	const char *db = NULL, *email = NULL, *label = NULL;
	static const char *const names[] = { "--db", "--email", "--name" };
	const char **dst[] = {&db, &email, &label};
	for (int i = 2; i < argc; i++) {
		int r = 0;
		for (int k = 0; k < 3 && r == 0; k++)
			r = cli_opt(self, argc, argv, &i, names[k], dst[k]);
		if (r < 0)
			return CLI_EXIT_USAGE;
		if (r == 0)
			return cli_usage_error(self, "unknown argument '%s'", argv[i]);
	}
	if (!email)
		return cli_usage_error(self, "--email is required");
	if (!label)
		return cli_usage_error(self, "--name is required");
	log_set_quiet(1);

	struct kp_err err = KP_ERR_INIT;
	struct arena a = ARENA_INIT;
	struct store *s = NULL;
	struct token_job tj = { .label = label };
	int rc, code = CLI_EXIT_OK;
	const char *norm = NULL;
	if (domain_auth_token_label_check(label, &err) != 0 || validate_email(&a, "email", email, &norm, &err) != 0) {
		fprintf(stderr, "kumppani token create: %s: %s\n", err.fields[0].field, err.fields[0].msg);
		code = CLI_EXIT_USAGE;
		goto out;
	}
	/* a token is for a staff member of an existing database: a mistyped SQLite path must not
	 * leave a new empty database behind */
	const char *url = cli_db_url(db);
	if ((code = cli_db_must_exist("token create", url)) != CLI_EXIT_OK)
		goto out;
	if ((rc = store_open(url, NULL, &s, &err)) != 0) {
		code = rc == KP_EINVAL ? CLI_EXIT_USAGE : CLI_EXIT_FAIL;
		goto fail;
	}
	struct store_conn *c = store_reader(s, &err);
	struct staff st;
	if (!c || (rc = domain_staff_find_by_email(c, email, &st, &a, &err)) != 0) {
		if (c && rc == KP_ENOTFOUND)
			kp_err_set(&err, KP_ENOTFOUND, "no staff member with e-mail %s", norm);
		code = CLI_EXIT_FAIL;
		goto fail;
	}
	if (!st.active) {
		kp_err_set(&err, KP_EFORBIDDEN, "staff member %s is not active", st.email);
		code = CLI_EXIT_FAIL;
		goto fail;
	}
	tj.staff_id = st.id;
	if ((rc = store_exec(s, create_run, &tj, &err)) != 0) {
		code = CLI_EXIT_FAIL;
		goto fail;
	}
	printf("%s\n", tj.token);
	fflush(stdout);
	fprintf(stderr, "created API token %" PRId64 " \"%s\" for staff member %" PRId64 " %s; it is shown only once\n",
	        tj.t.id, label, st.id, st.email);
	goto out;
fail:
	fprintf(stderr, "kumppani token create: %s\n", err.msg[0] ? err.msg : kp_status_name(err.status));
out:
	sodium_memzero(tj.token, sizeof(tj.token));
	store_close(s);
	arena_release(&a);
	return code;
}
