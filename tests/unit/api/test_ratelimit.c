/* api/ratelimit: sliding windows per e-mail+address, e-mail and address; no lockout. */
#include <stdio.h>

#include "api/ratelimit.h"
#include "test.h"
#include "util/err.h"

TEST(api_ratelimit_blocks_then_recovers)
{
	struct api_ratelimit_config cfg = { .per_email_addr = 3, .per_email = 10, .per_addr = 50, .window_ms = 60000 };
	struct api_ratelimit *rl = api_ratelimit_new_config(&cfg);
	CHECK(rl != NULL);
	int ra = 0;
	int64_t t = 1000000;
	for (int i = 0; i < 3; i++) /* three attempts that fail */
		CHECK_INT(api_ratelimit_begin(rl, "a@x.fi", "10.0.0.1", t + i * 1000, &ra), 0);
	CHECK_INT(api_ratelimit_check(rl, "a@x.fi", "10.0.0.1", t + 3000, &ra), KP_ERATE);
	CHECK_INT(ra, 57); /* the first failure (at t) leaves the window at t + 60 s */
	/* another address, another e-mail: not blocked */
	CHECK_INT(api_ratelimit_check(rl, "a@x.fi", "10.0.0.2", t + 3000, &ra), 0);
	CHECK_INT(api_ratelimit_check(rl, "b@x.fi", "10.0.0.1", t + 3000, &ra), 0);
	/* no permanent lockout: once the oldest failure leaves the window it is allowed */
	CHECK_INT(api_ratelimit_check(rl, "a@x.fi", "10.0.0.1", t + 60001, &ra), 0);
	api_ratelimit_free(rl);
}

TEST(api_ratelimit_success_clears_email)
{
	struct api_ratelimit_config cfg = { .per_email_addr = 2, .window_ms = 60000 };
	struct api_ratelimit *rl = api_ratelimit_new_config(&cfg);
	int ra = 0;
	CHECK_INT(api_ratelimit_begin(rl, "a@x.fi", "1.2.3.4", 1000, &ra), 0);
	CHECK_INT(api_ratelimit_begin(rl, "a@x.fi", "1.2.3.4", 1001, &ra), 0);
	CHECK_INT(api_ratelimit_check(rl, "a@x.fi", "1.2.3.4", 1002, &ra), KP_ERATE);
	api_ratelimit_success(rl, "a@x.fi", "1.2.3.4");
	CHECK_INT(api_ratelimit_check(rl, "a@x.fi", "1.2.3.4", 1003, &ra), 0);
	api_ratelimit_free(rl);
}

TEST(api_ratelimit_per_address_and_per_email)
{
	struct api_ratelimit_config cfg = { .per_email_addr = 100, .per_email = 4, .per_addr = 5, .window_ms = 60000 };
	struct api_ratelimit *rl = api_ratelimit_new_config(&cfg);
	int ra = 0;
	char email[32];
	for (int i = 0; i < 5; i++) {
		snprintf(email, sizeof(email), "u%d@x.fi", i);
		CHECK_INT(api_ratelimit_begin(rl, email, "9.9.9.9", 1000 + i, &ra), 0);
	}
	/* five different e-mails from one address: the address is blocked for any e-mail */
	CHECK_INT(api_ratelimit_check(rl, "new@x.fi", "9.9.9.9", 2000, &ra), KP_ERATE);
	CHECK_INT(api_ratelimit_check(rl, "new@x.fi", "8.8.8.8", 2000, &ra), 0);
	/* one e-mail from four addresses: that e-mail is blocked everywhere */
	for (int i = 0; i < 4; i++) {
		snprintf(email, sizeof(email), "7.7.7.%d", i);
		CHECK_INT(api_ratelimit_begin(rl, "victim@x.fi", email, 3000, &ra), 0);
	}
	CHECK_INT(api_ratelimit_check(rl, "victim@x.fi", "6.6.6.6", 3001, &ra), KP_ERATE);
	api_ratelimit_free(rl);
}

TEST(api_ratelimit_bounded_keys)
{
	struct api_ratelimit_config cfg = { .per_email_addr = 1, .per_email = 1, .per_addr = 1000, .window_ms = 60000,
					    .max_keys = 10 };
	struct api_ratelimit *rl = api_ratelimit_new_config(&cfg);
	int ra = 0;
	char email[32];
	for (int i = 0; i < 100; i++) {
		snprintf(email, sizeof(email), "u%d@x.fi", i);
		CHECK_INT(api_ratelimit_begin(rl, email, "5.5.5.5", 1000 + i, &ra), 0);
	}
	/* the newest key is still tracked; the oldest were evicted */
	CHECK_INT(api_ratelimit_check(rl, "u99@x.fi", "5.5.5.5", 2000, &ra), KP_ERATE);
	CHECK_INT(api_ratelimit_check(rl, "u0@x.fi", "4.4.4.4", 2000, &ra), 0);
	api_ratelimit_free(rl);
}

/* An attempt counts from its begin, so attempts that arrive together cannot all pass a check
 * made before any of them failed (a blind audit: 100 parallel attempts got 6 answers, 40
 * from 40 addresses all got theirs). A success takes back the address's count, an undecided
 * attempt (a store error) is taken back whole. */
TEST(api_ratelimit_begin_counts_at_once)
{
	struct api_ratelimit_config cfg = {.per_email_addr = 3, .per_email = 4, .per_addr = 5, .window_ms = 60000};
	struct api_ratelimit *rl = api_ratelimit_new_config(&cfg);
	int ra = 0;
	for (int i = 0; i < 3; i++)
		CHECK_INT(api_ratelimit_begin(rl, "a@x.fi", "10.0.0.1", 1000, &ra), 0);
	CHECK_INT(api_ratelimit_begin(rl, "a@x.fi", "10.0.0.1", 1000, &ra), KP_ERATE);
	/* the account from anywhere: the fourth address gets one more, then none */
	CHECK_INT(api_ratelimit_begin(rl, "a@x.fi", "10.0.0.2", 1000, &ra), 0);
	CHECK_INT(api_ratelimit_begin(rl, "a@x.fi", "10.0.0.3", 1000, &ra), KP_ERATE);
	/* undo: a store error decided nothing */
	CHECK_INT(api_ratelimit_begin(rl, "b@x.fi", "10.0.0.9", 1000, &ra), 0);
	api_ratelimit_undo(rl, "b@x.fi", "10.0.0.9");
	for (int i = 0; i < 3; i++)
		CHECK_INT(api_ratelimit_begin(rl, "b@x.fi", "10.0.0.9", 1000, &ra), 0);
	CHECK_INT(api_ratelimit_begin(rl, "b@x.fi", "10.0.0.9", 1000, &ra), KP_ERATE);
	/* successes do not count against their address */
	for (int i = 0; i < 8; i++) {
		CHECK_INT(api_ratelimit_begin(rl, "c@x.fi", "10.0.0.7", 2000, &ra), 0);
		api_ratelimit_success(rl, "c@x.fi", "10.0.0.7");
	}
	api_ratelimit_free(rl);
}
