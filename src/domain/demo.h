/*
 * demo: a generator of realistic Finnish demo data for `kumppani demo` and the benchmark:
 * people with Finnish first names and surnames, e-mails derived from the names, Finnish
 * mobile and landline numbers in E.164, street addresses with postal codes of the right
 * city, organisations (Oy, Ky, Tmi, Oyj) with valid Y-tunnus, tags, and a timeline of
 * interactions over the last two years with Finnish summaries and bodies.
 *
 * Pure computation, no I/O: the caller (cli/cmd_demo.c) inserts the records through the
 * store. Deterministic: the same seed, `now` and call sequence give the same records
 * (ids excepted: those come from the store).
 *
 *     struct demo_gen g;
 *     demo_gen_init(&g, seed, time_now_ms(), norgs);
 *     demo_gen_set_staff(&g, staff_ids, nstaff);
 *     for each org:      demo_gen_org(&g, &o, arena); insert o; demo_gen_org_inserted(&g, o.id);
 *     for each customer: demo_gen_customer(&g, &dc, arena); insert dc.cu, then each
 *                        dc.its[i] with customer_id = dc.cu.id
 *     demo_gen_release(&g);
 *
 * Ownership: every string and array in a generated record is allocated from the arena the
 * caller passes (or is a static string); the generator keeps only what later records need
 * (org ids and e-mail domains) in memory of its own, freed by demo_gen_release().
 */
#ifndef KP_DOMAIN_DEMO_H
#define KP_DOMAIN_DEMO_H

#include <stddef.h>
#include <stdint.h>

#include "store/model.h"
#include "util/arena.h"

/* xoshiro256** seeded through splitmix64: fast, good enough for demo data. */
struct demo_rng {
	uint64_t s[4];
};

void demo_rng_seed(struct demo_rng *r, uint64_t seed);
uint64_t demo_rng_next(struct demo_rng *r);
/* Uniform in [0, n); n > 0. */
uint32_t demo_rng_below(struct demo_rng *r, uint32_t n);

/* The Y-tunnus check digit of a 7-digit base number (0..9999999), or -1 when the
 * remainder is 1 and no valid id has that base. */
int demo_ytunnus_check(uint32_t base);

/* What the generator remembers of an inserted organisation. */
struct demo_org_ref {
	int64_t id;
	const char *domain; /* e-mail domain of its staff, e.g. "virtanenrakennus.example.fi" */
	int64_t created_at; /* its customers join after it */
};

struct demo_gen {
	struct demo_rng rng;
	struct demo_rng hostile_rng; /* apart from rng: the rest of the data does not change */
	int64_t now; /* ms; created_at and occurred_at fall before it */
	uint32_t ytunnus_pos; /* next position in the Y-tunnus permutation */
	uint32_t ytunnus_off;
	const int64_t *staff_ids; /* borrowed; 0 staff = interactions and owners without staff */
	size_t nstaff;
	/* Organisations: orgs[0..norgs) inserted so far, room for maxorgs. */
	struct demo_org_ref *orgs;
	size_t norgs, maxorgs;
	const char *pending_domain; /* domain of the last demo_gen_org() record */
	int64_t pending_created_at; /* and its created_at */
	struct arena keep;          /* the domains in orgs[] */
};

/* A customer and its timeline: its[i].customer_id and org_id are to be set by the
 * caller once cu has its id (org_id equals cu.org_id). */
struct demo_customer {
	struct customer cu;
	struct interaction *its;
	size_t nits;
	/* About one customer in 400 has also written something abusive in the last 45 days, for
	 * the staff protection to show on demo data (masking, incidents, exposure, a flag for a
	 * severe one): the caller creates it as any inbound message is created, analysed and
	 * recorded (interaction_create()), not in the bulk load. NULL when none. */
	struct interaction *hostile;
};

/* maxorgs: how many organisations the caller will insert at most (their ids are kept so
 * customers can join them). Returns 0, or KP_ENOMEM. */
int demo_gen_init(struct demo_gen *g, uint64_t seed, int64_t now, size_t maxorgs);
void demo_gen_release(struct demo_gen *g);
/* Staff ids for owners and interactions; the array is borrowed and must outlive g. */
void demo_gen_set_staff(struct demo_gen *g, const int64_t *ids, size_t n);

/* Fill *o with a new organisation (id 0). Its Y-tunnus is valid and distinct from every
 * earlier one of this generator. Returns 0, or KP_EINVAL when the Y-tunnus space (about
 * 3.09 million valid ids in 0100000..3499999) is used up. */
int demo_gen_org(struct demo_gen *g, struct organization *o, struct arena *a);
/* The organisation last generated was stored with this id: customers may now join it.
 * Calls beyond maxorgs are ignored. */
void demo_gen_org_inserted(struct demo_gen *g, int64_t id);

/* Fill *dc with a new customer (id 0) and its interactions. About 30% of customers join
 * one of the organisations inserted so far. */
void demo_gen_customer(struct demo_gen *g, struct demo_customer *dc, struct arena *a);

/* Staff: a demo staff member's name and e-mail (kumppani-demo.example.fi); i selects
 * the person deterministically (no rng). Strings from the arena. */
void demo_staff_identity(unsigned i, struct arena *a, const char **name, const char **email);

#endif
