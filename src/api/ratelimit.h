/*
 * ratelimit: counts failed sign-ins and says when to stop listening for a while. Failures
 * are kept in sliding windows under three keys: e-mail + remote address, e-mail alone
 * (any address) and remote address alone. While any key has reached its limit inside the
 * window, sign-in answers 429 with Retry-After; the block ends on its own when old
 * failures leave the window - there is never a permanent lockout. A successful sign-in
 * clears the e-mail's counters.
 *
 * Thread-safe (one mutex). Memory is bounded: at most max_keys keys are tracked; when
 * full, keys whose failures are all outside the window are dropped first, then the least
 * recently failed key. Hash keys are SipHash (crypto_shorthash) with a random key, so
 * clients cannot aim collisions.
 */
#ifndef KP_API_RATELIMIT_H
#define KP_API_RATELIMIT_H

#include <stddef.h>
#include <stdint.h>

struct api_ratelimit;

struct api_ratelimit_config {
	int per_email_addr;  /* failures per window for one e-mail from one address (5) */
	int per_email;       /* for one e-mail from anywhere (20) */
	int per_addr;        /* from one address for any e-mails (50) */
	int64_t window_ms;   /* 15 minutes */
	size_t max_keys;     /* 100000 */
};

/* With the defaults above. NULL only when out of memory. Free with api_ratelimit_free. */
struct api_ratelimit *api_ratelimit_new(void);
/* With explicit limits (tests); zero fields take the defaults. */
struct api_ratelimit *api_ratelimit_new_config(const struct api_ratelimit_config *cfg);
void api_ratelimit_free(struct api_ratelimit *rl);

/* May this e-mail (normalised; may be NULL) from addr (may be NULL) try now? 0 = yes;
 * else KP_ERATE and *retry_after_s the whole seconds to wait (at least 1). Looks only. */
int api_ratelimit_check(struct api_ratelimit *rl, const char *email, const char *addr, int64_t now_ms,
			int *retry_after_s);
/* api_ratelimit_check(), and when the answer is yes the attempt is counted as failed at once,
 * in the same lock: attempts that arrive together (a password check takes tens of ms) cannot
 * all pass a check made before any of them failed. Then exactly one of: nothing (it failed),
 * api_ratelimit_success(), or api_ratelimit_undo() (it was never decided: a store error). */
int api_ratelimit_begin(struct api_ratelimit *rl, const char *email, const char *addr, int64_t now_ms,
                        int *retry_after_s);
/* Take back the attempt api_ratelimit_begin() counted. */
void api_ratelimit_undo(struct api_ratelimit *rl, const char *email, const char *addr);
/* An attempt api_ratelimit_check() refused: 1 if it is the first refusal of its block (for the
 * address, or the e-mail when no address is known), which is worth an audit entry; 0 for the
 * rest until the block ends (retry_after_s from now), so a flood of refused attempts costs the
 * audit log one row per block, not one per request. */
int api_ratelimit_first_refusal(struct api_ratelimit *rl, const char *email, const char *addr, int64_t now_ms,
                                int retry_after_s);
/* A successful sign-in: forget the e-mail's failures (per e-mail and per e-mail+address), and
 * take back the address's count of its api_ratelimit_begin(). */
void api_ratelimit_success(struct api_ratelimit *rl, const char *email, const char *addr);

#endif
