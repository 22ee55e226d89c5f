/*
 * cmd_migrate: `kumppani migrate [--db URL]` - apply pending schema migrations (opening the
 * store runs them) and print the schema version found and the one reached; then what was
 * stored before the rules of today is brought up to them (masked search text, e-mail domains
 * in letters), and said: what changed, and what was left for an operator to decide.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "domain/customer.h"
#include "domain/protect.h"
#include "domain/staff.h"
#include "store/store.h"
#include "util/log.h"

int cmd_migrate(int argc, char **argv)
{
	const struct cli_command *self = cli_find("migrate");
	const char *db = NULL;
	for (int i = 1; i < argc; i++) {
		int r = cli_opt(self, argc, argv, &i, "--db", &db);
		if (r < 0)
			return CLI_EXIT_USAGE;
		if (r == 0)
			return cli_usage_error(self, "unknown argument '%s'", argv[i]);
	}
	log_set_quiet(1);
	struct kp_err err = KP_ERR_INIT;
	struct store *s = NULL;
	const char *url = cli_db_url(db);
	int rc = store_open(url, NULL, &s, &err);
	int version = 0;
	if (rc == 0)
		rc = store_schema_version(s, &version, &err);
	/* messages stored before search indexed masked text get theirs (protect.h) */
	long long masked = 0;
	if (rc == 0)
		rc = protect_search_backfill(s, &masked, &err);
	/* staff e-mails stored before "xn--" domains were read as letters (staff.h) */
	struct domain_staff_email_report idn = {0};
	if (rc == 0)
		rc = domain_staff_email_backfill(s, &idn, &err);
	/* and customers' and organisations' (customer.h) */
	long long cust_respelt = 0, org_respelt = 0;
	if (rc == 0)
		rc = customer_email_backfill(s, &cust_respelt, &org_respelt, &err);
	/* tombstones left pointing at a deleted customer (customer.h) */
	long long tomb_deleted = 0, tomb_repointed = 0;
	if (rc == 0)
		rc = customer_tombstone_repair(s, &tomb_deleted, &tomb_repointed, &err);
	/* staff-authored texts stored before they were analysed (protect.h); serve does it on a
	 * thread beside serving, migrate here and now */
	long long analysed = 0;
	if (rc == 0)
		rc = protect_staff_backfill(s, NULL, &analysed, &err);
	if (rc != 0) {
		fprintf(stderr, "kumppani migrate: %s\n", err.msg[0] ? err.msg : kp_status_name(rc));
		store_close(s);
		return rc == KP_EINVAL ? CLI_EXIT_USAGE : CLI_EXIT_FAIL;
	}
	int from = store_schema_found(s);
	if (from == version)
		printf("%s: schema version %d (already current: no migration applied)\n", store_backend_name(s),
		       version);
	else
		printf("%s: schema version %d -> %d%s\n", store_backend_name(s), from, version,
		       from == 0 ? " (a new database)" : "");
	if (masked)
		printf("%lld abusive messages stored before are now indexed by their masked text\n", masked);
	if (analysed)
		printf("%lld staff-authored texts (outbound messages, notes) stored before are now analysed\n",
		       analysed);
	if (idn.respelt)
		printf("%lld staff e-mail addresses are now stored with their domain in letters\n", idn.respelt);
	if (cust_respelt || org_respelt)
		printf("%lld customers' and %lld organisations' e-mail addresses are now stored with their domain in "
		       "letters\n",
		       cust_respelt, org_respelt);
	if (tomb_deleted || tomb_repointed)
		printf(
		    "%lld merged-away customers whose survivor had been deleted are now deleted too, %lld pointed at "
		    "their survivor\n",
		    tomb_deleted, tomb_repointed);
	if (idn.left) {
		char advice[4096];
		domain_staff_email_left_advice(&idn, advice, sizeof advice);
		printf("%s\n", advice);
	}
	store_close(s);
	return CLI_EXIT_OK;
}
