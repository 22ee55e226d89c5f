/*
 * staff: staff accounts - validation, password hashing and the writes that create and
 * change them. Passwords are 8 to 1000 characters (Unicode code points) and are hashed
 * with Argon2id (libsodium crypto_pwhash_str) at OWASP's recommended minimum, t=2 and
 * m=19 MiB: stronger settings would cost every concurrent sign-in that much memory.
 *
 * Hashing takes tens of milliseconds on purpose, so it is done by the caller's thread
 * (domain_staff_prepare / domain_staff_hash_password) before the write is queued: the
 * store writer, which commits for everyone, never waits for Argon2.
 *
 *     struct domain_staff_input in = { .email = "a@b.fi", .name = "A", .role = "agent",
 *                                      .password = "..." };
 *     struct staff st;
 *     if (domain_staff_prepare(&in, &st, arena, err) == 0)   // validate + hash
 *             ... in a store job: domain_staff_insert(c, &who, &st, err);
 */
#ifndef KP_DOMAIN_STAFF_H
#define KP_DOMAIN_STAFF_H

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

#include "domain/domain.h"

#define STAFF_PASSWORD_MIN 8    /* code points */
#define STAFF_PASSWORD_MAX 1000 /* code points */
#define STAFF_PW_HASH_SIZE 128  /* crypto_pwhash_STRBYTES */

/* What a caller may set on a staff account; NULL fields are "not given". */
struct domain_staff_input {
	const char *email, *name, *role, *team, *password;
	int team_null;  /* team given as null: clear it (updates) */
	int active;     /* -1 = not given, 0 or 1 */
};

/* "agent" -> ROLE_AGENT ...; ROLE_NONE for anything else. */
int domain_staff_role_parse(const char *s);
const char *domain_staff_role_name(int role);

/* Password rules (valid UTF-8, 8..1000 code points): 0 or KP_EVALIDATION with a field
 * error on `field`. */
int domain_staff_password_check(const char *field, const char *pw, struct kp_err *err);
/* A password given to sign in (field names it): required, at most STAFF_PASSWORD_MAX
 * characters. Shorter than a new password may be is no error: it is just wrong. */
int domain_staff_signin_password_check(const char *field, const char *pw, struct kp_err *err);
/* Argon2id hash of pw into out (NUL-terminated). 0, or KP_ENOMEM / KP_EINTERNAL. */
int domain_staff_hash_password(const char *pw, char out[STAFF_PW_HASH_SIZE], struct kp_err *err);
/* Does pw match the stored hash? 1 or 0 (0 also for a NULL hash). Takes Argon2 time. */
int domain_staff_verify_password(const char *hash, const char *pw);
/* Spend the time of one verification without an account (so that an unknown e-mail
 * answers as slowly as a wrong password). */
void domain_staff_verify_dummy(const char *pw);

/* Validate a new account (email, name, role required; team and password optional) into
 * *out, hashing the password. Strings in *out live in the arena. 0 or KP_EVALIDATION with
 * every field error. */
int domain_staff_prepare(const struct domain_staff_input *in, struct staff *out, struct arena *a,
			 struct kp_err *err);
/* An installation always has an active admin, or nobody could add or change staff: the
 * first account must be an active admin (domain_staff_insert refuses any other while there
 * is none, with this message), and the last active admin cannot be deactivated or given a
 * lower role (domain_staff_apply). Both are checked on the writer, in the write's own job. */
#define DOMAIN_STAFF_NO_ADMIN_MSG                                                                                      \
	"there is no active admin yet: add an admin first (kumppani staff add --role admin), or nobody could "         \
	"manage staff"
/* Active admins, except the account except_id (0: none excepted), into *n. 0 or an error. */
int domain_staff_active_admins(struct store_conn *c, int64_t except_id, int64_t *n, struct kp_err *err);
/* Insert a prepared account and audit it (entity "staff", action "create"). KP_ECONFLICT
 * (a field error on "email") when the e-mail is taken, in this spelling or by an account that
 * keeps its "xn--" spelling (domain_staff_email_backfill), and when the account is no active
 * admin and there is no active admin (DOMAIN_STAFF_NO_ADMIN_MSG). */
int domain_staff_insert(struct store_conn *c, const struct actor *who, struct staff *st, struct kp_err *err);

/* The staff member an e-mail address names, as someone typed it (sign-in, `kumppani token
 * create`): the account whose stored address is that very spelling (trimmed, lower-cased;
 * validate_email_as_typed) first; else the one whose address is its normal form
 * (validate_email: an "xn--" domain in letters); else one that keeps an "xn--" spelling of
 * that normal form, the first by id. So of two accounts whose addresses differ only so
 * (domain_staff_email_backfill leaves both), each is found by its own spelling. 0 with *out
 * (strings in a), KP_EVALIDATION (a field error on "email") for an address that is not
 * valid, KP_ENOTFOUND for none, or a store error. */
int domain_staff_find_by_email(struct store_conn *c, const char *typed, struct staff *out, struct arena *a,
                               struct kp_err *err);

/* A validated change to an existing account; pw_hash already hashed (or NULL). */
struct domain_staff_change {
	const char *email; /* normalised (validate_email), or NULL: not given */
	const char *name, *role_name, *team, *pw_hash;
	int role;       /* ROLE_NONE = not given */
	int team_given; /* team (possibly NULL) replaces the current one */
	int active;     /* -1 = not given */
};
/* Validate in (all optional; email validated and normalised as at creation) into *ch,
 * hashing a new password. 0 or KP_EVALIDATION. */
int domain_staff_change_prepare(const struct domain_staff_input *in, struct domain_staff_change *ch,
				struct arena *a, struct kp_err *err);
/* Apply ch to staff id on the writer, under pre (If-Match / If-None-Match, NULL = no check;
 * KP_EPRECONDITION when they fail, see validate_precond_check()): audit
 * "update" with what changed (a password change is recorded as "password": "changed",
 * never the hash); deactivation, a new password or a new e-mail address ends all the
 * member's sessions. *out receives the new record (arena). KP_ECONFLICT when it would
 * deactivate or demote the last active admin, when who changes their own role down or
 * deactivates themselves, and (a field error on "email") when another account has the new
 * address, in letters or in an "xn--" spelling it keeps. */
int domain_staff_apply(struct store_conn *c, const struct actor *who, int64_t id, const struct domain_staff_change *ch,
                       const struct validate_precond *pre, struct staff *out, struct arena *a, struct kp_err *err);

/* Change one's own password on the writer: set the new hash, end the member's other
 * sessions (keep_session_hash may be NULL: end all), audit "password_change". was_hash (may
 * be NULL) is the hash the current password was checked against: if the stored one is another
 * by now, a 422 on current_password and nothing changes. */
int domain_staff_set_password(struct store_conn *c, const struct actor *who, int64_t staff_id, const char *pw_hash,
                              const char *was_hash, const char *keep_session_hash, struct kp_err *err);

/* The public JSON of a staff member (never the hash). New reference, caller decrefs. */
json_t *domain_staff_to_json(const struct staff *st);
/* Staff member owner_id may be made the owner of a customer or an organisation: it exists
 * and is active (a field error on `field` otherwise; 0, no owner, is fine). A deactivated
 * owner already set stays: callers check only an owner that changes. */
int domain_staff_check_owner(struct store_conn *c, const char *field, int64_t owner_id, struct arena *a,
                             struct kp_err *err);

/* What domain_staff_email_backfill() did: accounts whose address it respelt, and those it
 * left in their "xn--" spelling because another account has the address in letters, the
 * first DOMAIN_STAFF_LEFT_NAMED of them named with the account that has it. */
#define DOMAIN_STAFF_LEFT_NAMED 8
struct domain_staff_email_report {
	long long respelt, left;
	size_t nnamed;
	struct {
		int64_t id, holder_id;
		char email[256]; /* as it stays stored */
	} named[DOMAIN_STAFF_LEFT_NAMED];
};
/* At start, for a database written before e-mail domains in their ASCII spelling ("xn--")
 * were stored in letters: each staff member's such address is stored as validate_email()
 * spells it now, audited, so sign-in finds them by either spelling. An address another
 * account already has in letters is left alone (an admin decides which account is meant:
 * each signs in with its own spelling, domain_staff_find_by_email) and reported. Customers'
 * and organisations' addresses are respelt the same way by customer_email_backfill()
 * (domain/customer.h). rep may be NULL. */
int domain_staff_email_backfill(struct store *s, struct domain_staff_email_report *rep, struct kp_err *err);
/* What an operator is to know and do about rep's accounts left as they are, one sentence
 * naming them (ids, addresses, and the accounts that have them in letters) and the way out,
 * into out (NUL-terminated, cut at cap). "" when none were left. */
void domain_staff_email_left_advice(const struct domain_staff_email_report *rep, char *out, size_t cap);
/* On a store with no staff at all, create an admin: KUMPPANI_ADMIN_EMAIL (default
 * admin@kumppani.local) with KUMPPANI_ADMIN_PASSWORD or a random 20-character one-time
 * password, printed once to out with the advice to change it. 0 (also when staff exist),
 * or an error. */
int domain_staff_bootstrap(struct store *s, FILE *out, struct kp_err *err);

#endif
