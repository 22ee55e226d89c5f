/*
 * cmd_serve: `kumppani serve` - open the store, create the first admin on an empty
 * database, and run the HTTP server until SIGTERM, SIGINT or SIGHUP.
 */
#include "cli/cli.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "api/api.h"
#include "api/ratelimit.h"
#include "domain/customer.h"
#include "domain/protect.h"
#include "domain/staff.h"
#include "http/server.h"
#include "store/store.h"
#include "util/log.h"
#include "util/timeutil.h"

#define SERVE_VERSION "0.1.0"
/* The longest a request waits for PostgreSQL's answer to one statement (store_set_answer_ms;
 * KUMPPANI_DB_TIMEOUT_MS):
 * longer than any statement a request makes on a healthy server, short enough that a
 * database that stops answering is a 503 and a SIGTERM is obeyed within it. */
#define SERVE_DB_ANSWER_MS 15000

/* A whole decimal number in [lo, hi], digits only; 0 or -1. The one rule for every number
 * serve reads, from an option or the environment: no sign, no space around it (strtol alone
 * took " 2"). */
static int serve_parse_int(const char *s, long lo, long hi, int *out)
{
	char *end;
	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (*end || errno || v < lo || v > hi)
		return -1;
	*out = (int)v;
	return 0;
}

int cmd_serve(int argc, char **argv)
{
	const struct cli_command *cmd = cli_find("serve");
	const char *listen_on = getenv("KUMPPANI_LISTEN");
	const char *db = NULL, *threads_s = getenv("KUMPPANI_THREADS"), *batch_s = NULL, *sync_s = NULL;
	const char *threads_from = "KUMPPANI_THREADS";
	const char *zone = getenv("KUMPPANI_TIMEZONE"), *zone_from = "KUMPPANI_TIMEZONE";
	int threads = 0, max_batch = 256;
	const char *secure_env = getenv("KUMPPANI_COOKIE_SECURE");
	int cookie_secure = 0;
	const char *listen_from = "KUMPPANI_LISTEN";

	const char *opt_listen = NULL, *opt_threads = NULL, *opt_zone = NULL, *opt_proxies = NULL;
	for (int i = 1; i < argc; i++) {
		int r = cli_opt(cmd, argc, argv, &i, "--listen", &opt_listen);
		if (r == 0)
			r = cli_opt(cmd, argc, argv, &i, "--db", &db);
		if (r == 0)
			r = cli_opt(cmd, argc, argv, &i, "--threads", &opt_threads);
		if (r == 0)
			r = cli_opt(cmd, argc, argv, &i, "--max-batch", &batch_s);
		if (r == 0)
			r = cli_opt(cmd, argc, argv, &i, "--sync", &sync_s);
		if (r == 0)
			r = cli_opt(cmd, argc, argv, &i, "--timezone", &opt_zone);
		if (r == 0)
			r = cli_opt(cmd, argc, argv, &i, "--trusted-proxy", &opt_proxies);
		if (r < 0)
			return CLI_EXIT_USAGE;
		if (r > 0)
			continue;
		if (!strcmp(argv[i], "--cookie-secure")) {
			if (cookie_secure)
				return cli_usage_error(cmd, "--cookie-secure is given twice");
			cookie_secure = 1;
			secure_env = NULL; /* the flag wins */
		} else {
			return cli_usage_error(cmd, "unknown argument '%s'", argv[i]);
		}
	}
	/* an option wins over its environment variable */
	if (opt_listen) {
		listen_on = opt_listen;
		listen_from = "--listen";
	}
	if (opt_threads) {
		threads_s = opt_threads;
		threads_from = "--threads";
	}
	if (opt_zone) {
		zone = opt_zone;
		zone_from = "--timezone";
	}
	/* a setting that decides whether cookies go over plain HTTP is read strictly: a value
	 * that is neither yes nor no ("ture", "enabled") would leave them unmarked unnoticed */
	if (secure_env && *secure_env) {
		static const char *const yes[] = {"1", "true", "yes", "on", NULL}, *const no[] = {"0", "false", "no",
		                                                                                  "off", NULL};
		int known = 0;
		for (int k = 0; yes[k] && !known; k++)
			if (!strcasecmp(secure_env, yes[k]))
				cookie_secure = known = 1;
		for (int k = 0; no[k] && !known; k++)
			if (!strcasecmp(secure_env, no[k]))
				known = 1;
		if (!known)
			return cli_usage_error(
			    cmd, "KUMPPANI_COOKIE_SECURE '%s' is neither 1/true/yes/on nor 0/false/no/off", secure_env);
	}
	if (!listen_on || !*listen_on) {
		listen_on = "127.0.0.1:8080";
		listen_from = "--listen";
	}
	const char *colon = strrchr(listen_on, ':');
	int port;
	if (!colon || colon == listen_on || strpbrk(listen_on, " \t") ||
	    serve_parse_int(colon + 1, 0, 65535, &port) < 0)
		return cli_usage_error(cmd, "%s '%s' is not ADDR:PORT", listen_from, listen_on);
	if (threads_s && *threads_s && serve_parse_int(threads_s, 1, 256, &threads) < 0)
		return cli_usage_error(cmd, "%s '%s' is not a number from 1 to 256", threads_from, threads_s);
	if (batch_s && serve_parse_int(batch_s, 1, 100000, &max_batch) < 0)
		return cli_usage_error(cmd, "--max-batch '%s' is not a number from 1 to 100000", batch_s);
	if (sync_s && strcmp(sync_s, "pipelined") != 0 && strcmp(sync_s, "inline") != 0)
		return cli_usage_error(cmd, "--sync '%s' is neither pipelined nor inline", sync_s);
	const char *max_body_s = getenv("KUMPPANI_MAX_BODY");
	int max_body = 1024 * 1024;
	if (max_body_s && *max_body_s && serve_parse_int(max_body_s, 1024, 1024L * 1024 * 1024, &max_body) < 0)
		return cli_usage_error(cmd, "KUMPPANI_MAX_BODY '%s' is not a byte count from 1024 to 1073741824",
		                       max_body_s);
	const char *answer_s = getenv("KUMPPANI_DB_TIMEOUT_MS");
	int answer_ms = SERVE_DB_ANSWER_MS;
	if (answer_s && *answer_s && serve_parse_int(answer_s, 100, 3600 * 1000, &answer_ms) < 0)
		return cli_usage_error(cmd, "KUMPPANI_DB_TIMEOUT_MS '%s' is not a number of ms from 100 to 3600000",
		                       answer_s);
	/* the read timeouts (http/server.h): idle keep-alive, a stalled body; the header block */
	static const char *const timeout_vars[] = {"KUMPPANI_IDLE_TIMEOUT_MS", "KUMPPANI_HEADER_TIMEOUT_MS"};
	int timeout_ms[2] = {0, 0}; /* 0: http/'s default */
	for (size_t k = 0; k < 2; k++) {
		const char *v = getenv(timeout_vars[k]);
		if (v && *v && serve_parse_int(v, 100, 3600 * 1000, &timeout_ms[k]) < 0)
			return cli_usage_error(cmd, "%s '%s' is not a number of ms from 100 to 3600000",
			                       timeout_vars[k], v);
	}
	/* whose X-Forwarded-For / Forwarded to believe: checked here, a usage error */
	const char *proxies = opt_proxies ? opt_proxies : getenv("KUMPPANI_TRUSTED_PROXIES");
	const char *proxies_from = opt_proxies ? "--trusted-proxy" : "KUMPPANI_TRUSTED_PROXIES";
	if (proxies && *proxies) {
		struct kp_err perr = KP_ERR_INIT;
		if (http_trusted_proxies_check(proxies, &perr) != 0)
			return cli_usage_error(cmd, "%s: %s", proxies_from, perr.msg);
	}
	/* The zone the reports count days in. Set before any thread starts: it is the process's
	 * TZ (util/timeutil.h). Finnish first: Helsinki unless told otherwise; a machine without
	 * the zone data falls back to UTC and says so, a zone asked for by name must exist. */
	char why[256];
	if (zone && *zone) {
		if (time_zone_set(zone, why, sizeof why) != 0)
			return cli_usage_error(cmd, "%s: %s", zone_from, why);
	} else if (time_zone_set("Europe/Helsinki", why, sizeof why) != 0) {
		fprintf(stderr, "kumppani serve: %s; counting days in UTC (set --timezone)\n", why);
		time_zone_set("UTC", why, sizeof why);
	}
	if (threads <= 0) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		threads = n > 0 ? (int)n : 1;
	}

	/* Signals are taken by the server with sigwaitinfo; block them before the store
	 * starts its writer thread so that no thread ever gets them asynchronously. */
	http_block_signals();

	struct kp_err err = KP_ERR_INIT;
	struct store *store = NULL;
	struct api_ratelimit *limiter = NULL;
	struct protect_backfill *backfill = NULL;
	struct store_options opts = {.max_batch = max_batch, .sync_inline = sync_s && !strcmp(sync_s, "inline")};
	/* Bind first: a port another server listens on is reported before the database is touched
	 * (connections are taken once the store is ready: http_serve listens). */
	struct http_listener listener = {-1, ""};
	int rc = http_listen(listen_on, &listener, &err);
	if (rc != 0) {
		fprintf(stderr, "kumppani serve: %s\n", err.msg);
		return rc == KP_EINVAL ? CLI_EXIT_USAGE : CLI_EXIT_FAIL;
	}
	rc = store_open(cli_db_url(db), &opts, &store, &err);
	if (rc != 0) {
		fprintf(stderr, "kumppani serve: %s\n", err.msg);
		http_listener_close(&listener);
		return cli_exit_for(rc);
	}
	rc = domain_staff_bootstrap(store, stdout, &err);
	fflush(stdout);
	if (rc != 0) {
		fprintf(stderr, "kumppani serve: creating the first admin: %s\n", err.msg);
		goto out;
	}
	/* staff but no active admin (added by an earlier version's `staff add`, which let the
	 * first account be an agent): bootstrap creates none, so nobody could manage staff */
	{
		struct store_conn *rd = store_reader(store, &err);
		int64_t admins = 0, nstaff = 0;
		if (!rd || (rc = store_staff_count(rd, &nstaff, &err)) != 0 ||
		    (rc = domain_staff_active_admins(rd, 0, &admins, &err)) != 0) {
			rc = rd ? rc : err.status;
			fprintf(stderr, "kumppani serve: looking for an active admin: %s\n", err.msg);
			goto out;
		}
		if (nstaff > 0 && admins == 0)
			log_warn(
			    "staff: there are %lld staff accounts but no active admin, so nobody can add or change "
			    "staff: add an admin with `kumppani staff add --role admin` (no first admin is created "
			    "on a database that has staff)",
			    (long long)nstaff);
	}
	long long masked = 0;
	if ((rc = protect_search_backfill(store, &masked, &err)) != 0) {
		fprintf(stderr, "kumppani serve: indexing abusive messages by their masked text: %s\n", err.msg);
		goto out;
	}
	if (masked)
		log_info("search: %lld abusive messages stored before are now indexed by their masked text", masked);
	struct domain_staff_email_report idn;
	if ((rc = domain_staff_email_backfill(store, &idn, &err)) != 0) {
		fprintf(stderr, "kumppani serve: spelling staff e-mail domains in letters: %s\n", err.msg);
		goto out;
	}
	/* said when something changed; what is left, once a start, with what to do about it */
	if (idn.respelt)
		log_info("staff: %lld e-mail addresses now stored with their domain in letters (audited)", idn.respelt);
	if (idn.left) {
		char advice[4096];
		domain_staff_email_left_advice(&idn, advice, sizeof advice);
		log_warn("%s", advice);
	}
	long long cust_respelt = 0, org_respelt = 0;
	if ((rc = customer_email_backfill(store, &cust_respelt, &org_respelt, &err)) != 0) {
		fprintf(stderr, "kumppani serve: spelling customers' e-mail domains in letters: %s\n", err.msg);
		goto out;
	}
	if (cust_respelt || org_respelt)
		log_info("customers: %lld customers' and %lld organisations' e-mail addresses now stored with their "
		         "domain in letters",
		         cust_respelt, org_respelt);
	/* tombstones left pointing at a deleted customer by an older version (customer.h) */
	long long tomb_deleted = 0, tomb_repointed = 0;
	if ((rc = customer_tombstone_repair(store, &tomb_deleted, &tomb_repointed, &err)) != 0) {
		fprintf(stderr, "kumppani serve: removing merged customers whose survivor was deleted: %s\n", err.msg);
		goto out;
	}
	if (tomb_deleted || tomb_repointed)
		log_info(
		    "customers: %lld merged-away records whose survivor had been deleted are now deleted too, %lld "
		    "pointed at their survivor (audited)",
		    tomb_deleted, tomb_repointed);
	/* staff-authored texts stored before they were analysed (or bulk-loaded): analysed beside
	 * serving, a page at a time, so a large database starts at once */
	backfill = protect_staff_backfill_start(store);
	if (!backfill)
		log_warn("protect: the thread that analyses staff-authored texts stored before could not start");
	limiter = api_ratelimit_new();
	if (!limiter) {
		rc = kp_err_set(&err, KP_ENOMEM, "out of memory");
		fprintf(stderr, "kumppani serve: %s\n", err.msg);
		goto out;
	}

	struct api_server api = {
	    .store = store,
	    .limits = {.max_body = (size_t)max_body,
	               .max_json_depth = 32,
	               .max_string = 64 * 1024,
	               .max_list_limit = 200},
	    .cookie_secure = cookie_secure,
	    .session_ttl_ms = 12LL * 3600 * 1000,
	    .signin_limiter = limiter,
	    .started_at = time_now_ms(),
	    .version = SERVE_VERSION,
	};
	struct http_server_config cfg = {
	    .listen = listen_on,
	    .listener = &listener,
	    .threads = threads,
	    .max_body = api.limits.max_body,
	    .idle_timeout_ms = timeout_ms[0],
	    .header_timeout_ms = timeout_ms[1],
	    .trusted_proxies = proxies && *proxies ? proxies : NULL,
	};
	/* heavy reports run beside the loops (api_offload); without the workers they run on
	 * the loops, slower for everyone but still answered */
	api.offload = api_offload_start(store);
	/* from here a database that stops answering fails requests (503) instead of holding
	 * the loops, the writer and a shutdown (migrations and start-up work had no limit) */
	store_set_answer_ms(store, answer_ms);
	if (!api.offload)
		log_warn("no report worker thread could start: reports run on the event loops");
	rc = http_serve(&cfg, &api, &err);
	api_offload_stop(api.offload); /* the loops have ended: nothing offloaded is left */
	if (rc != 0)
		fprintf(stderr, "kumppani serve: %s\n", err.msg);
out:
	http_listener_close(&listener); /* still ours if http_serve was not reached */
	protect_staff_backfill_stop(backfill); /* after its page: before the store closes */
	store_close(store);
	api_ratelimit_free(limiter);
	return cli_exit_for(rc);
}
