/*
 * `kumppani demo --customers N [--seed S] [--db URL]`: fill the database with realistic
 * Finnish demo data (domain/demo.c generates it) through the store interface only, so it
 * works on both backends.
 *
 * Order: on an empty store the bootstrap admin (as `serve` creates it: KUMPPANI_ADMIN_EMAIL,
 * KUMPPANI_ADMIN_PASSWORD or a one-time password printed once), then demo staff (only
 * when fewer than 3 staff exist; they get no password and cannot sign in until an admin
 * sets one), then N/10 organisations, then the customers with their timelines, then one
 * audit entry for the whole run.
 *
 * Speed: customers go to the store writer as jobs of DEMO_BATCH customers (one job = one
 * savepoint; the writer commits what is queued together). Two batches are in flight: while
 * the writer inserts one, this thread generates the next into the other batch's arena, so
 * generation and insertion overlap on two cores. Memory is two arenas, released per batch.
 * Organisations and customers go in under store_bulk_load() (store.h): commits without
 * fsync, the SQLite secondary indexes of the customer tables built once at the end, and
 * one durable checkpoint when it is turned off. A load that dies halfway is simply rerun.
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "domain/demo.h"
#include "domain/domain.h"
#include "domain/interaction.h"
#include "domain/staff.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/err.h"
#include "util/log.h"
#include "util/timeutil.h"

#define DEMO_BATCH 10000          /* customers per store job */
#define DEMO_ORG_BATCH 10000      /* organisations per transaction */
/* "1 organisation", "2 organisations" */
#define DEMO_PLURAL(n, one, many) ((n) == 1 ? (one) : (many))
#define DEMO_MAX_CUSTOMERS 20000000
#define DEMO_MIN_STAFF 3
#define DEMO_NEW_STAFF 3
#define DEMO_MAX_STAFF_IDS 1000

/* ---- staff --------------------------------------------------------------------------- */

struct staff_ctx {
	struct arena *a;
	int64_t *ids;
	size_t nids;
	int created;
};

static int staff_run(struct store_conn *c, void *arg, struct kp_err *err)
{
	struct staff_ctx *sc = arg;
	int64_t count = 0;
	int rc = store_staff_count(c, &count, err);
	if (rc < 0)
		return rc;
	/* Fewer than 3 staff: add the demo staff (those not there yet). */
	for (unsigned i = 0; count < DEMO_MIN_STAFF && i < DEMO_NEW_STAFF; i++) {
		struct staff st = { 0 };
		demo_staff_identity(i, sc->a, &st.name, &st.email);
		struct staff existing;
		rc = store_staff_get_by_email(c, st.email, &existing, sc->a, err);
		if (rc == 0)
			continue;
		if (rc != KP_ENOTFOUND)
			return rc;
		kp_err_init(err);
		st.role = i == 0 ? ROLE_MANAGER : ROLE_AGENT;
		st.team = i % 2 ? "asiakaspalvelu" : "myynti";
		st.pw_hash = NULL; /* cannot sign in until an admin sets a password */
		st.active = 1;
		rc = store_staff_insert(c, &st, err);
		if (rc < 0)
			return rc;
		sc->created++;
	}

	struct store_page pg = { .limit = 200, .sort = STORE_SORT_ID };
	for (;;) {
		struct staff_list l;
		rc = store_staff_list(c, NULL, &pg, &l, sc->a, err);
		if (rc < 0)
			return rc;
		for (size_t i = 0; i < l.n && sc->nids < DEMO_MAX_STAFF_IDS; i++)
			if (l.items[i].active)
				sc->ids[sc->nids++] = l.items[i].id;
		if (!l.more || !l.n || sc->nids >= DEMO_MAX_STAFF_IDS)
			break;
		pg.has_after = 1;
		pg.after_id = l.items[l.n - 1].id;
		pg.after_key = arena_printf(sc->a, "%" PRId64, pg.after_id);
	}
	return 0;
}

/* ---- organisations ------------------------------------------------------------------- */

struct org_ctx {
	struct demo_gen *g;
	size_t n;
	/* Organisations existed when this run started: skip the Y-tunnus values they use (a
	 * lookup per organisation). Without them there is nothing to skip: this run's own
	 * values are distinct (demo.h). */
	int check;
};

/* Are there organisations already (an earlier run)? *(int *)arg = 1 if so. */
static int org_any_run(struct store_conn *c, void *arg, struct kp_err *err)
{
	struct arena a = ARENA_INIT;
	struct org_filter f = { 0 };
	struct store_page pg = { .limit = 1, .sort = STORE_SORT_ID };
	struct org_list l;
	int rc = store_org_list(c, &f, &pg, &l, &a, err);

	if (rc == 0)
		*(int *)arg = l.n > 0;
	arena_release(&a);
	return rc;
}

static int org_run(struct store_conn *c, void *arg, struct kp_err *err)
{
	struct org_ctx *oc = arg;
	struct arena a = ARENA_INIT;
	int rc = 0;
	for (size_t i = 0; i < oc->n; i++) {
		struct organization o;
		/* A Y-tunnus already in the database (an earlier demo run) is skipped (this run's
		 * own are distinct: demo.h). */
		for (;;) {
			rc = demo_gen_org(oc->g, &o, &a);
			if (rc < 0) {
				kp_err_set(err, rc, "no more Y-tunnus values to hand out");
				goto out;
			}
			if (!oc->check)
				break;
			struct org_filter f = { .business_id = o.business_id };
			struct store_page pg = { .limit = 1, .sort = STORE_SORT_ID };
			struct org_list l;
			rc = store_org_list(c, &f, &pg, &l, &a, err);
			if (rc < 0)
				goto out;
			if (l.n == 0)
				break;
		}
		rc = store_org_insert(c, &o, err);
		if (rc < 0)
			goto out;
		demo_gen_org_inserted(oc->g, o.id);
		if ((i & 1023) == 1023) {
			arena_release(&a);
			arena_init(&a);
		}
	}
out:
	arena_release(&a);
	return rc;
}

/* ---- customers ----------------------------------------------------------------------- */

/* The demo's abusive messages (struct demo_customer.hostile), kept for after the bulk load:
 * taken in then, as the server takes any inbound message, they find the indexes the load
 * dropped built again (during the load each cost a scan). Filled on the writer by the
 * batches, read once the load is over. */
struct hostile_list {
	struct arena arena; /* the strings */
	struct interaction *v;
	size_t n, cap;
};

struct pipe {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	size_t committed; /* customers committed so far */
	struct hostile_list *hostile;
};

struct batch {
	struct pipe *p;
	struct arena arena;
	struct demo_customer *cs;
	size_t n;
	size_t nits;
	struct store_job job;
	int busy;
	int rc;
	struct kp_err err;
};

/* All customers of the batch first, then all their interactions: rows of one kind in
 * ascending id order. (SQLite's FTS5 flushes its pending terms to a new segment whenever
 * the rowid it is given goes down, and the SQLite backend keeps every kind in one FTS
 * table, so interleaving customers and interactions cost a flush per customer.) */
static int batch_run(struct store_conn *c, void *arg, struct kp_err *err)
{
	struct batch *b = arg;
	for (size_t i = 0; i < b->n; i++) {
		int rc = store_customer_insert(c, &b->cs[i].cu, err);
		if (rc < 0)
			return rc;
	}
	for (size_t i = 0; i < b->n; i++) {
		struct demo_customer *dc = &b->cs[i];
		int rc;
		for (size_t j = 0; j < dc->nits; j++) {
			dc->its[j].customer_id = dc->cu.id;
			dc->its[j].org_id = dc->cu.org_id;
			/* the search entry's context: the store need not read the name back (the
			 * customers of a batch go in first, so the writer's last-name cache misses) */
			dc->its[j].customer_name = dc->cu.name;
			rc = store_interaction_insert(c, &dc->its[j], err);
			if (rc < 0)
				return rc;
		}
	}
	/* the abusive messages wait for the end of the load (struct hostile_list) */
	struct hostile_list *hl = b->p->hostile;
	for (size_t i = 0; i < b->n; i++) {
		const struct interaction *h = b->cs[i].hostile;
		if (!h)
			continue;
		if (hl->n == hl->cap) {
			size_t cap = hl->cap ? 2 * hl->cap : 256;
			struct interaction *v = realloc(hl->v, cap * sizeof *v);
			if (!v)
				return kp_err_set(err, KP_ENOMEM, "out of memory");
			hl->v = v;
			hl->cap = cap;
		}
		struct interaction *it = &hl->v[hl->n++];
		*it = *h;
		it->customer_id = b->cs[i].cu.id;
		it->org_id = b->cs[i].cu.org_id;
		it->summary = arena_strdup(&hl->arena, h->summary);
		it->body = arena_strdup(&hl->arena, h->body);
	}
	return 0;
}

struct hostile_job {
	struct interaction *v;
	size_t n;
};

/* The abusive messages as the server takes any inbound message: analysed, masked, an
 * incident for the staff member, the policy applied (domain/demo.h). */
static int hostile_run(struct store_conn *c, void *arg, struct kp_err *err)
{
	struct hostile_job *hj = arg;
	struct actor sys = {0, ROLE_ADMIN, "system", NULL};
	struct arena a = ARENA_INIT;
	int rc = 0;
	for (size_t i = 0; i < hj->n && rc == 0; i++) {
		rc = interaction_create(c, &sys, &hj->v[i], &a, err);
		arena_reset(&a);
	}
	arena_release(&a);
	return rc;
}

static void batch_done(void *arg, int rc, const struct kp_err *err)
{
	struct batch *b = arg;
	pthread_mutex_lock(&b->p->mu);
	b->rc = rc;
	if (rc < 0 && err)
		b->err = *err;
	else
		b->p->committed += b->n;
	b->busy = 0;
	pthread_cond_broadcast(&b->p->cv);
	pthread_mutex_unlock(&b->p->mu);
}

/* Wait until b is free; its status (0 or the failed job's). */
static int batch_wait(struct batch *b, struct kp_err *err)
{
	pthread_mutex_lock(&b->p->mu);
	while (b->busy)
		pthread_cond_wait(&b->p->cv, &b->p->mu);
	int rc = b->rc;
	if (rc < 0)
		*err = b->err;
	b->rc = 0;
	pthread_mutex_unlock(&b->p->mu);
	return rc;
}

struct progress {
	int tty;
	int64_t start_us, last_us;
	size_t total;
	int last_decile;
};

static void progress_show(struct progress *pr, size_t committed, int final)
{
	int64_t now = time_mono_us();
	double secs = (double)(now - pr->start_us) / 1e6;
	double rate = secs > 0 ? (double)committed / secs : 0;
	if (!committed && !final)
		return;
	if (pr->tty) {
		if (!final && now - pr->last_us < 250000)
			return;
		fprintf(stderr, "\rdemo: %zu/%zu customers (%.0f/s)%s", committed, pr->total, rate, final ? "\n" : "");
	} else {
		int decile = pr->total ? (int)(committed * 10 / pr->total) : 10;
		if (!final && decile == pr->last_decile)
			return;
		pr->last_decile = decile;
		fprintf(stderr, "demo: %zu/%zu customers (%.0f/s)\n", committed, pr->total, rate);
	}
	pr->last_us = now;
}

/* Generate and insert n customers with two batches in flight; adds the interactions
 * inserted to *nits. 0, or the first failing batch's status (err says why). */
static int insert_customers(struct store *s, struct demo_gen *g, size_t n, int64_t start_us, size_t *nits,
                            struct hostile_list *hostile, struct kp_err *err)
{
	struct pipe p = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER, .hostile = hostile};
	struct batch batches[2];
	struct progress pr = { .tty = isatty(2), .start_us = start_us, .total = n, .last_decile = -1 };
	size_t queued = 0;
	int rc = 0;

	memset(batches, 0, sizeof(batches));
	for (int k = 0; k < 2; k++) {
		batches[k].p = &p;
		arena_init(&batches[k].arena);
		batches[k].job.run = batch_run;
		batches[k].job.done = batch_done;
		batches[k].job.arg = &batches[k];
	}
	for (unsigned k = 0; queued < n; k ^= 1) {
		struct batch *b = &batches[k];
		rc = batch_wait(b, err);
		if (rc < 0)
			goto out;
		pthread_mutex_lock(&p.mu);
		size_t committed = p.committed;
		pthread_mutex_unlock(&p.mu);
		progress_show(&pr, committed, 0);

		arena_release(&b->arena);
		arena_init(&b->arena);
		b->n = n - queued < DEMO_BATCH ? n - queued : DEMO_BATCH;
		b->cs = arena_alloc(&b->arena, b->n * sizeof(*b->cs));
		b->nits = 0;
		for (size_t i = 0; i < b->n; i++) {
			demo_gen_customer(g, &b->cs[i], &b->arena);
			b->nits += b->cs[i].nits + (b->cs[i].hostile != NULL);
		}
		*nits += b->nits;
		b->busy = 1;
		rc = store_submit(s, &b->job);
		if (rc < 0) {
			b->busy = 0;
			kp_err_set(err, rc, "the store is closing");
			goto out;
		}
		queued += b->n;
	}
out:
	/* Wait for what is in flight (the jobs point into the batches) before freeing. */
	for (int k = 0; k < 2; k++) {
		struct kp_err e2 = KP_ERR_INIT;
		int rc2 = batch_wait(&batches[k], &e2);
		if (rc2 < 0 && rc == 0) {
			rc = rc2;
			*err = e2;
		}
		arena_release(&batches[k].arena);
	}
	if (rc == 0)
		progress_show(&pr, p.committed, 1);
	return rc;
}

/* ---- the audit entry ----------------------------------------------------------------- */

struct audit_ctx {
	json_t *changes;
};

static int audit_run(struct store_conn *c, void *arg, struct kp_err *err)
{
	struct audit_ctx *ac = arg;
	struct actor who = { .staff_id = 0, .role = ROLE_ADMIN, .email = "system" };
	return domain_audit(c, &who, "demo", "customer", 0, ac->changes, err);
}

/* ---- the command --------------------------------------------------------------------- */

static int parse_u64(const char *s, uint64_t *out)
{
	if (!s || !*s)
		return -1;
	for (const char *p = s; *p; p++) /* digits only: not " 5", "+3" or "-1" */
		if (*p < '0' || *p > '9')
			return -1;
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

int cmd_demo(int argc, char **argv)
{
	const struct cli_command *cmd = cli_find("demo");
	uint64_t ncust = 0, seed = 1;
	const char *db = NULL, *ncust_s = NULL, *seed_s = NULL;
	int append = 0;
	for (int i = 1; i < argc; i++) {
		int r = cli_opt(cmd, argc, argv, &i, "--customers", &ncust_s);
		if (r == 0)
			r = cli_opt(cmd, argc, argv, &i, "--seed", &seed_s);
		if (r == 0)
			r = cli_opt(cmd, argc, argv, &i, "--db", &db);
		if (r < 0)
			return CLI_EXIT_USAGE;
		if (r > 0)
			continue;
		if (strcmp(argv[i], "--append") != 0)
			return cli_usage_error(cmd, "unknown option '%s'", argv[i]);
		if (append)
			return cli_usage_error(cmd, "--append is given twice");
		append = 1;
	}
	if (!ncust_s)
		return cli_usage_error(cmd, "--customers N is required");
	if (parse_u64(ncust_s, &ncust) < 0 || ncust < 1 || ncust > DEMO_MAX_CUSTOMERS)
		return cli_usage_error(cmd, "--customers must be a number from 1 to %d", DEMO_MAX_CUSTOMERS);
	if (seed_s && parse_u64(seed_s, &seed) < 0)
		return cli_usage_error(cmd, "--seed must be a non-negative integer");

	log_set_quiet(1);
	struct kp_err err = KP_ERR_INIT;
	struct store *s = NULL;
	struct demo_gen g;
	int gen_ready = 0;
	struct arena staff_arena = ARENA_INIT;
	int64_t *staff_ids = NULL;
	struct hostile_list hostile = {.arena = ARENA_INIT};
	size_t norgs = (size_t)(ncust + 9) / 10;
	size_t total_its = 0;
	int rc;
	int bulk_on = 0;
	int64_t t0 = time_mono_us();

	rc = store_open(cli_db_url(db), NULL, &s, &err);
	if (rc < 0)
		goto out;
	/* Demo data goes into a database without customers (staff, such as the first admin, are
	 * fine): a second run into a real or demo database would add another set beside them
	 * (the same names and e-mails again). --append says that is meant. */
	if (!append) {
		int64_t held = 0;
		struct store_conn *rd = store_reader(s, &err);
		if (!rd || (rc = store_customer_count(rd, &held, &err)) != 0) {
			rc = rd ? rc : err.status;
			goto out;
		}
		if (held > 0) {
			rc = kp_err_set(&err, KP_ECONFLICT,
			                "the database holds %" PRId64
			                " %s already: demo data goes into a database without"
			                " customers (--append adds it beside them)",
			                held, DEMO_PLURAL(held, "customer", "customers"));
			goto out;
		}
		store_reader_close(s);
	}
	rc = demo_gen_init(&g, seed, time_now_ms(), norgs);
	if (rc < 0) {
		kp_err_set(&err, rc, "out of memory");
		goto out;
	}
	gen_ready = 1;

	/* Staff. On an empty store, first the admin `serve` would create (so running the demo
	 * before the first `serve` still leaves someone who can sign in), then demo staff. */
	rc = domain_staff_bootstrap(s, stdout, &err);
	if (rc < 0)
		goto out;
	fflush(stdout);
	staff_ids = calloc(DEMO_MAX_STAFF_IDS, sizeof(*staff_ids));
	if (!staff_ids) {
		rc = kp_err_set(&err, KP_ENOMEM, "out of memory");
		goto out;
	}
	struct staff_ctx sc = { .a = &staff_arena, .ids = staff_ids };
	rc = store_exec(s, staff_run, &sc, &err);
	if (rc < 0)
		goto out;
	demo_gen_set_staff(&g, sc.ids, sc.nids);
	fprintf(stderr, "demo: %zu staff (%d demo staff created, without passwords)\n", sc.nids, sc.created);

	/* Organisations and customers go in in the store's bulk-load mode (SQLite: no fsync
	 * per commit, the secondary indexes of the customer tables built once at the end);
	 * turning it off builds them and makes the whole load durable. */
	store_reader_close(s); /* SQLite: lets the load leave the WAL (store.h) */
	rc = store_bulk_load(s, 1, &err);
	if (rc < 0)
		goto out;
	bulk_on = 1;

	/* Organisations. */
	int orgs_before = 1;
	rc = store_exec(s, org_any_run, &orgs_before, &err);
	if (rc < 0)
		goto out;
	for (size_t done = 0; done < norgs;) {
		struct org_ctx oc = { .g = &g, .n = norgs - done < DEMO_ORG_BATCH ? norgs - done : DEMO_ORG_BATCH,
				      .check = orgs_before };
		rc = store_exec(s, org_run, &oc, &err);
		if (rc < 0)
			goto out;
		done += oc.n;
	}
	int64_t t_orgs = time_mono_us();
	fprintf(stderr, "demo: %zu %s (%.1f s)\n", norgs, DEMO_PLURAL(norgs, "organisation", "organisations"),
	        (double)(t_orgs - t0) / 1e6);

	/* Customers. */
	rc = insert_customers(s, &g, (size_t)ncust, t_orgs, &total_its, &hostile, &err);
	if (rc < 0)
		goto out;
	int64_t t_cust = time_mono_us();
	bulk_on = 0;
	rc = store_bulk_load(s, 0, &err);
	if (rc < 0)
		goto out;
	int64_t t_index = time_mono_us();
	fprintf(stderr, "demo: indexed and synced (%.1f s)\n", (double)(t_index - t_cust) / 1e6);
	for (size_t done = 0; done < hostile.n;) {
		struct hostile_job hj = {hostile.v + done, hostile.n - done < 256 ? hostile.n - done : 256};
		rc = store_exec(s, hostile_run, &hj, &err);
		if (rc < 0)
			goto out;
		done += hj.n;
	}
	if (hostile.n)
		fprintf(stderr, "demo: %zu abusive %s taken in as the server takes them (%.1f s)\n", hostile.n,
		        DEMO_PLURAL(hostile.n, "message", "messages"), (double)(time_mono_us() - t_index) / 1e6);

	json_t *changes = json_pack("{s:I, s:I, s:I, s:s}", "customers", (json_int_t)ncust, "organizations",
				    (json_int_t)norgs, "interactions", (json_int_t)total_its, "seed",
				    arena_printf(&staff_arena, "%" PRIu64, seed));
	struct audit_ctx ac = { .changes = changes };
	rc = store_exec(s, audit_run, &ac, &err);
	json_decref(changes);
	if (rc < 0)
		goto out;

	double secs = (double)(time_mono_us() - t0) / 1e6;
	printf("demo: %" PRIu64 " %s, %zu %s, %zu %s in %.1f s "
	       "(customers %.1f s, %.0f customers/s)\n",
	       ncust, DEMO_PLURAL(ncust, "customer", "customers"), norgs,
	       DEMO_PLURAL(norgs, "organisation", "organisations"), total_its,
	       DEMO_PLURAL(total_its, "interaction", "interactions"), secs, (double)(t_cust - t_orgs) / 1e6,
	       (double)ncust / ((double)(t_cust - t_orgs) / 1e6));
out:
	if (rc < 0)
		fprintf(stderr, "kumppani demo: %s\n", err.msg[0] ? err.msg : kp_status_name(rc));
	if (s && bulk_on) {
		struct kp_err e2 = KP_ERR_INIT;
		store_bulk_load(s, 0, &e2); /* leave the normal settings behind */
	}
	if (s)
		store_close(s);
	if (gen_ready)
		demo_gen_release(&g);
	free(staff_ids);
	arena_release(&staff_arena);
	free(hostile.v);
	arena_release(&hostile.arena);
	return rc < 0 ? cli_exit_for(rc) : CLI_EXIT_OK;
}
