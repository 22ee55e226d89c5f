#include "api/ratelimit.h"

#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "util/err.h"

#define RL_BUCKETS 16384

enum rl_kind { RL_PAIR = 0, RL_EMAIL = 1, RL_ADDR = 2 };

/* One key's recent failures: a ring of the last `cap` failure times (cap = the kind's
 * limit); when all cap of them are inside the window, the key is blocked until the oldest
 * leaves it. Keys are identified by their 64-bit keyed hash only (no e-mails kept). */
struct rl_entry {
	struct rl_entry *next;
	uint64_t h;
	int64_t last;
	int64_t quiet_until; /* api_ratelimit_first_refusal(): refusals before this go unaudited */
	int cap, n, head; /* ring: times[(head + i) % cap], i < n, oldest first */
	int64_t times[];
};

struct api_ratelimit {
	pthread_mutex_t mu;
	struct api_ratelimit_config cfg;
	unsigned char key[crypto_shorthash_KEYBYTES];
	size_t nkeys;
	struct rl_entry *buckets[RL_BUCKETS];
};

struct api_ratelimit *api_ratelimit_new_config(const struct api_ratelimit_config *cfg)
{
	if (sodium_init() < 0)
		return NULL;
	struct api_ratelimit *rl = calloc(1, sizeof(*rl));
	if (!rl)
		return NULL;
	pthread_mutex_init(&rl->mu, NULL);
	struct api_ratelimit_config d = { 5, 20, 50, 15 * 60 * 1000, 100000 };
	if (cfg) {
		if (cfg->per_email_addr > 0)
			d.per_email_addr = cfg->per_email_addr;
		if (cfg->per_email > 0)
			d.per_email = cfg->per_email;
		if (cfg->per_addr > 0)
			d.per_addr = cfg->per_addr;
		if (cfg->window_ms > 0)
			d.window_ms = cfg->window_ms;
		if (cfg->max_keys > 0)
			d.max_keys = cfg->max_keys;
	}
	rl->cfg = d;
	randombytes_buf(rl->key, sizeof(rl->key));
	return rl;
}

struct api_ratelimit *api_ratelimit_new(void)
{
	return api_ratelimit_new_config(NULL);
}

void api_ratelimit_free(struct api_ratelimit *rl)
{
	if (!rl)
		return;
	for (size_t b = 0; b < RL_BUCKETS; b++) {
		struct rl_entry *e = rl->buckets[b], *nx;
		for (; e; e = nx) {
			nx = e->next;
			free(e);
		}
	}
	pthread_mutex_destroy(&rl->mu);
	free(rl);
}

static uint64_t key_hash(const struct api_ratelimit *rl, int kind, const char *email, const char *addr)
{
	crypto_generichash_state st; /* assemble "kind\0email\0addr" without a buffer */
	unsigned char in[16], out[crypto_shorthash_BYTES];
	crypto_generichash_init(&st, rl->key, sizeof(rl->key), sizeof(in));
	unsigned char k = (unsigned char)kind;
	crypto_generichash_update(&st, &k, 1);
	if (kind != RL_ADDR)
		crypto_generichash_update(&st, (const unsigned char *)email, strlen(email) + 1);
	if (kind != RL_EMAIL)
		crypto_generichash_update(&st, (const unsigned char *)addr, strlen(addr) + 1);
	crypto_generichash_final(&st, in, sizeof(in));
	crypto_shorthash(out, in, sizeof(in), rl->key);
	uint64_t h;
	memcpy(&h, out, sizeof(h));
	return h;
}

static int limit_of(const struct api_ratelimit *rl, int kind)
{
	return kind == RL_PAIR ? rl->cfg.per_email_addr : kind == RL_EMAIL ? rl->cfg.per_email : rl->cfg.per_addr;
}

static struct rl_entry **find(struct api_ratelimit *rl, uint64_t h)
{
	struct rl_entry **pp = &rl->buckets[h % RL_BUCKETS];
	while (*pp && (*pp)->h != h)
		pp = &(*pp)->next;
	return pp;
}

/* Drop failures older than the window from the front of the ring. */
static void expire(const struct api_ratelimit *rl, struct rl_entry *e, int64_t now)
{
	while (e->n > 0 && e->times[e->head] <= now - rl->cfg.window_ms) {
		e->head = (e->head + 1) % e->cap;
		e->n--;
	}
}

static void remove_at(struct api_ratelimit *rl, struct rl_entry **pp)
{
	struct rl_entry *e = *pp;
	*pp = e->next;
	free(e);
	rl->nkeys--;
}

/* Make room for one more key (called with the lock held). */
static void make_room(struct api_ratelimit *rl, int64_t now)
{
	if (rl->nkeys < rl->cfg.max_keys)
		return;
	struct rl_entry **oldest = NULL;
	for (size_t b = 0; b < RL_BUCKETS; b++) {
		struct rl_entry **pp = &rl->buckets[b];
		while (*pp) {
			if ((*pp)->last <= now - rl->cfg.window_ms) {
				remove_at(rl, pp);
				continue;
			}
			pp = &(*pp)->next;
		}
	}
	if (rl->nkeys < rl->cfg.max_keys)
		return;
	for (size_t b = 0; b < RL_BUCKETS; b++)
		for (struct rl_entry **pp = &rl->buckets[b]; *pp; pp = &(*pp)->next)
			if (!oldest || (*pp)->last < (*oldest)->last)
				oldest = pp;
	if (oldest)
		remove_at(rl, oldest);
}

static int applies(int kind, const char *email, const char *addr)
{
	return (kind == RL_ADDR || (email && *email)) && (kind == RL_EMAIL || (addr && *addr));
}

/* How long the keys of (email, addr) still block, in ms (0: not blocked). Lock held. */
static int64_t wait_locked(struct api_ratelimit *rl, const char *email, const char *addr, int64_t now_ms)
{
	int64_t wait_ms = 0;
	for (int kind = RL_PAIR; kind <= RL_ADDR; kind++) {
		if (!applies(kind, email, addr))
			continue;
		struct rl_entry **pp = find(rl, key_hash(rl, kind, email, addr));
		if (!*pp)
			continue;
		struct rl_entry *e = *pp;
		expire(rl, e, now_ms);
		if (e->n >= limit_of(rl, kind)) {
			int64_t w = e->times[e->head] + rl->cfg.window_ms - now_ms;
			if (w > wait_ms)
				wait_ms = w;
		}
	}
	return wait_ms;
}

static int refuse(int64_t wait_ms, int *retry_after_s)
{
	if (wait_ms <= 0)
		return 0;
	if (retry_after_s)
		*retry_after_s = (int)((wait_ms + 999) / 1000);
	return KP_ERATE;
}

/* Record one attempt under every key of (email, addr). Lock held. */
static void record_locked(struct api_ratelimit *rl, const char *email, const char *addr, int64_t now_ms)
{
	for (int kind = RL_PAIR; kind <= RL_ADDR; kind++) {
		if (!applies(kind, email, addr))
			continue;
		uint64_t h = key_hash(rl, kind, email, addr);
		struct rl_entry **pp = find(rl, h);
		if (!*pp) {
			make_room(rl, now_ms);
			pp = find(rl, h);
			int cap = limit_of(rl, kind);
			struct rl_entry *e = calloc(1, sizeof(*e) + (size_t)cap * sizeof(int64_t));
			if (!e)
				continue;
			e->h = h;
			e->cap = cap;
			*pp = e;
			rl->nkeys++;
		}
		struct rl_entry *e = *pp;
		expire(rl, e, now_ms);
		if (e->n == e->cap) { /* full: the oldest makes way */
			e->head = (e->head + 1) % e->cap;
			e->n--;
		}
		e->times[(e->head + e->n) % e->cap] = now_ms;
		e->n++;
		e->last = now_ms;
	}
}

/* Take back the newest attempt of the keys kinds from..to of (email, addr). Lock held. */
static void unrecord_locked(struct api_ratelimit *rl, const char *email, const char *addr, int from, int to)
{
	for (int kind = from; kind <= to; kind++) {
		if (!applies(kind, email, addr))
			continue;
		struct rl_entry **pp = find(rl, key_hash(rl, kind, email, addr));
		if (*pp && (*pp)->n > 0)
			(*pp)->n--;
	}
}

int api_ratelimit_check(struct api_ratelimit *rl, const char *email, const char *addr, int64_t now_ms,
                        int *retry_after_s)
{
	pthread_mutex_lock(&rl->mu);
	int64_t wait_ms = wait_locked(rl, email, addr, now_ms);
	pthread_mutex_unlock(&rl->mu);
	return refuse(wait_ms, retry_after_s);
}

int api_ratelimit_begin(struct api_ratelimit *rl, const char *email, const char *addr, int64_t now_ms,
                        int *retry_after_s)
{
	pthread_mutex_lock(&rl->mu);
	int64_t wait_ms = wait_locked(rl, email, addr, now_ms);
	if (wait_ms <= 0)
		record_locked(rl, email, addr, now_ms);
	pthread_mutex_unlock(&rl->mu);
	return refuse(wait_ms, retry_after_s);
}

void api_ratelimit_undo(struct api_ratelimit *rl, const char *email, const char *addr)
{
	pthread_mutex_lock(&rl->mu);
	unrecord_locked(rl, email, addr, RL_PAIR, RL_ADDR);
	pthread_mutex_unlock(&rl->mu);
}

int api_ratelimit_first_refusal(struct api_ratelimit *rl, const char *email, const char *addr, int64_t now_ms,
                                int retry_after_s)
{
	int first = 1;
	pthread_mutex_lock(&rl->mu);
	/* the address's entry when there is one (a flood from one address is one block), else
	 * the e-mail's */
	for (int kind = RL_ADDR; kind >= RL_PAIR; kind--) {
		if (!applies(kind, email, addr))
			continue;
		struct rl_entry **pp = find(rl, key_hash(rl, kind, email, addr));
		if (!*pp)
			continue;
		first = now_ms >= (*pp)->quiet_until;
		if (first)
			(*pp)->quiet_until = now_ms + (int64_t)retry_after_s * 1000;
		break;
	}
	pthread_mutex_unlock(&rl->mu);
	return first;
}

void api_ratelimit_success(struct api_ratelimit *rl, const char *email, const char *addr)
{
	pthread_mutex_lock(&rl->mu);
	unrecord_locked(rl, email, addr, RL_ADDR, RL_ADDR); /* its begin counted for the address */
	for (int kind = RL_PAIR; kind <= RL_EMAIL; kind++) {
		if (!applies(kind, email, addr))
			continue;
		struct rl_entry **pp = find(rl, key_hash(rl, kind, email, addr));
		if (*pp)
			remove_at(rl, pp);
	}
	pthread_mutex_unlock(&rl->mu);
}
