#include "domain/staff.h"

#include <ctype.h>
#include <inttypes.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/validate.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/timeutil.h"

#define STAFF_OPSLIMIT 2
#define STAFF_MEMLIMIT ((size_t)19 << 20)
#define STAFF_TEAM_MAX 100

/* Code points in s, or -1 when s is not valid UTF-8 (overlongs, surrogates and values
 * above U+10FFFF are invalid). */
static long utf8_count(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	long n = 0;
	while (*p) {
		unsigned c = *p;
		int len;
		unsigned lo = 0x80, hi = 0xBF;
		if (c < 0x80)
			len = 1;
		else if (c >= 0xC2 && c <= 0xDF)
			len = 2;
		else if (c >= 0xE0 && c <= 0xEF) {
			len = 3;
			lo = c == 0xE0 ? 0xA0 : 0x80;
			hi = c == 0xED ? 0x9F : 0xBF;
		} else if (c >= 0xF0 && c <= 0xF4) {
			len = 4;
			lo = c == 0xF0 ? 0x90 : 0x80;
			hi = c == 0xF4 ? 0x8F : 0xBF;
		} else
			return -1;
		if (len > 1) {
			if (p[1] < lo || p[1] > hi)
				return -1;
			for (int k = 2; k < len; k++)
				if (p[k] < 0x80 || p[k] > 0xBF)
					return -1;
		}
		p += len;
		n++;
	}
	return n;
}

int domain_staff_role_parse(const char *s)
{
	if (!s)
		return ROLE_NONE;
	if (!strcmp(s, "agent"))
		return ROLE_AGENT;
	if (!strcmp(s, "manager"))
		return ROLE_MANAGER;
	if (!strcmp(s, "admin"))
		return ROLE_ADMIN;
	return ROLE_NONE;
}

const char *domain_staff_role_name(int role)
{
	switch (role) {
	case ROLE_AGENT: return "agent";
	case ROLE_MANAGER: return "manager";
	case ROLE_ADMIN: return "admin";
	default: return "none";
	}
}

/* 1 if pw is one of the first passwords anyone guesses, whatever its length: one character
 * over and over ("aaaaaaaa"), a run along the digits or a keyboard row ("12345678",
 * "87654321", "qwertyuiop", "asdfghjkl"), or "password", "salasana", "qwerty" or "kumppani"
 * in any case with digits only after it ("Salasana123", "password2026"). A short list by
 * construction, not a breach corpus: the length rule does the rest. */
static int password_guessable(const char *pw)
{
	static const char *const runs[] = {"01234567890", "09876543210", "qwertyuiop", "poiuytrewq", "asdfghjkl",
	                                   "lkjhgfdsa",   "zxcvbnm",     "mnbvcxz",    NULL};
	static const char *const words[] = {"password", "salasana", "qwerty", "kumppani", NULL};
	char low[64];
	size_t n = strlen(pw);
	if (n >= sizeof low)
		return 0;
	for (size_t i = 0; i <= n; i++)
		low[i] = (char)tolower((unsigned char)pw[i]);
	size_t same = 1;
	while (same < n && low[same] == low[0])
		same++;
	if (same == n)
		return 1;
	for (int i = 0; runs[i]; i++)
		if (strstr(runs[i], low))
			return 1;
	for (int i = 0; words[i]; i++) {
		size_t wl = strlen(words[i]);
		if (!strncmp(low, words[i], wl) && strspn(low + wl, "0123456789") == n - wl)
			return 1;
	}
	return 0;
}

int domain_staff_password_check(const char *field, const char *pw, struct kp_err *err)
{
	if (!pw)
		return kp_err_field(err, field, "is required");
	long n = utf8_count(pw);
	if (n < 0)
		return kp_err_field(err, field, "is not valid UTF-8");
	if (n < STAFF_PASSWORD_MIN || n > STAFF_PASSWORD_MAX)
		return kp_err_field(err, field, "must be %d to %d characters", STAFF_PASSWORD_MIN, STAFF_PASSWORD_MAX);
	if (password_guessable(pw))
		return kp_err_field(err, field, "is among the first passwords anyone tries: choose another");
	return 0;
}

int domain_staff_signin_password_check(const char *field, const char *pw, struct kp_err *err)
{
	if (!pw || !*pw)
		return kp_err_field(err, field, "is required");
	long n = utf8_count(pw);
	if (n < 0)
		return kp_err_field(err, field, "is not valid UTF-8");
	if (n > STAFF_PASSWORD_MAX)
		return kp_err_field(err, field, "must be at most %d characters", STAFF_PASSWORD_MAX);
	return 0;
}

int domain_staff_hash_password(const char *pw, char out[STAFF_PW_HASH_SIZE], struct kp_err *err)
{
	if (sodium_init() < 0)
		return kp_err_set(err, KP_EINTERNAL, "libsodium failed to initialise");
	if (crypto_pwhash_str_alg(out, pw, strlen(pw), STAFF_OPSLIMIT, STAFF_MEMLIMIT, crypto_pwhash_ALG_ARGON2ID13) != 0)
		return kp_err_set(err, KP_ENOMEM, "password hashing ran out of memory");
	return 0;
}

int domain_staff_verify_password(const char *hash, const char *pw)
{
	if (!hash || !pw || sodium_init() < 0)
		return 0;
	return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}

static char dummy_hash[STAFF_PW_HASH_SIZE];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void dummy_init(void)
{
	char pw[32];
	if (sodium_init() < 0)
		return;
	randombytes_buf(pw, sizeof(pw) - 1);
	for (size_t i = 0; i < sizeof(pw) - 1; i++)
		pw[i] = (char)('a' + (unsigned char)pw[i] % 26);
	pw[sizeof(pw) - 1] = '\0';
	if (crypto_pwhash_str_alg(dummy_hash, pw, strlen(pw), STAFF_OPSLIMIT, STAFF_MEMLIMIT,
				  crypto_pwhash_ALG_ARGON2ID13) != 0)
		dummy_hash[0] = '\0';
}

void domain_staff_verify_dummy(const char *pw)
{
	pthread_once(&dummy_once, dummy_init);
	if (dummy_hash[0] && pw && crypto_pwhash_str_verify(dummy_hash, pw, strlen(pw)) == 0)
		log_debug("a random password matched; ignoring");
}

static int check_utf8_field(const char *field, const char *s, struct kp_err *err)
{
	if (s && utf8_count(s) < 0)
		return kp_err_field(err, field, "is not valid UTF-8");
	return 0;
}

static int team_check(struct arena *a, const char *in, const char **out, struct kp_err *err)
{
	if (check_utf8_field("team", in, err))
		return KP_EVALIDATION;
	char *t = validate_trim(a, in);
	if (!*t) {
		*out = NULL; /* empty team = none */
		return 0;
	}
	if (validate_text("team", t, 0, STAFF_TEAM_MAX, 1, err) != 0)
		return KP_EVALIDATION;
	if (strpbrk(t, "\t\r\n"))
		return kp_err_field(err, "team", "must be a single line");
	*out = t;
	return 0;
}

/* The last step of preparing a create or a change: the password's rules (a field error in
 * err), then, only when the whole input is valid, its hash (slow, on purpose) in *hash,
 * allocated in a. password NULL: none given, *hash untouched. 0 or err->status. */
static int password_finish(const char *password, struct arena *a, const char **hash, struct kp_err *err)
{
	if (password)
		domain_staff_password_check("password", password, err);
	if (err->status != 0)
		return err->status;
	if (password) {
		char *h = arena_alloc(a, STAFF_PW_HASH_SIZE);
		int rc = domain_staff_hash_password(password, h, err);
		if (rc != 0)
			return rc;
		*hash = h;
	}
	return 0;
}

int domain_staff_prepare(const struct domain_staff_input *in, struct staff *out, struct arena *a,
			 struct kp_err *err)
{
	memset(out, 0, sizeof(*out));
	out->active = in->active == 0 ? 0 : 1;

	if (!in->email)
		kp_err_field(err, "email", "is required");
	else if (check_utf8_field("email", in->email, err) == 0)
		validate_email(a, "email", in->email, &out->email, err);
	if (!in->name)
		kp_err_field(err, "name", "is required");
	else if (check_utf8_field("name", in->name, err) == 0)
		validate_name(a, "name", in->name, &out->name, err);
	if (!in->role)
		kp_err_field(err, "role", "is required");
	else if ((out->role = domain_staff_role_parse(in->role)) == ROLE_NONE)
		kp_err_field(err, "role", "must be one of agent, manager, admin");
	if (in->team)
		team_check(a, in->team, &out->team, err);
	return password_finish(in->password, a, &out->pw_hash, err);
}

/* ---- e-mail addresses: one account each, in either spelling ---------------------------------- */

/* 1 when the address norm (validate_email's) has letters beyond ASCII in its domain, and so
 * an "xn--" spelling as well. */
static int email_is_international(const char *norm)
{
	const char *at = strrchr(norm, '@');
	for (const unsigned char *p = (const unsigned char *)(at ? at : norm); *p; p++)
		if (*p >= 0x80)
			return 1;
	return 0;
}

/* The id of an account other than except_id that keeps an "xn--" spelling of the address
 * norm (validate_email's), in *holder; 0 when none does. 0 or a store error. Such accounts
 * are few (domain_staff_email_backfill left them: another had the address in letters) and
 * found by store_email_idn_ids(). */
static int idn_holder(struct store_conn *c, const char *norm, int64_t except_id, int64_t *holder, struct arena *a,
                      struct kp_err *err)
{
	int64_t ids[64], after = 0;
	size_t n = 0;
	*holder = 0;
	if (!email_is_international(norm))
		return 0;
	do {
		int rc = store_email_idn_ids(c, "staff", after, 64, ids, &n, err);
		if (rc != 0)
			return rc;
		for (size_t i = 0; i < n; i++) {
			struct staff st;
			struct kp_err gerr = KP_ERR_INIT, verr = KP_ERR_INIT;
			const char *sn;
			rc = store_staff_get(c, ids[i], &st, a, &gerr);
			if (rc == KP_ENOTFOUND)
				continue;
			if (rc != 0) {
				*err = gerr;
				return rc;
			}
			if (st.id != except_id && st.email && validate_email(a, "email", st.email, &sn, &verr) == 0 &&
			    !strcmp(sn, norm)) {
				*holder = st.id;
				return 0;
			}
		}
		if (n > 0)
			after = ids[n - 1];
	} while (n == 64);
	return 0;
}

/* The id of the account other than except_id that has the address norm, in that spelling
 * or in an "xn--" one it keeps, in *holder (0: none). 0 or a store error. */
static int email_holder(struct store_conn *c, const char *norm, int64_t except_id, int64_t *holder, struct arena *a,
                        struct kp_err *err)
{
	struct staff st;
	struct kp_err gerr = KP_ERR_INIT;
	int rc = store_staff_get_by_email(c, norm, &st, a, &gerr);
	if (rc == 0 && st.id != except_id) {
		*holder = st.id;
		return 0;
	}
	if (rc != 0 && rc != KP_ENOTFOUND) {
		*err = gerr;
		return rc;
	}
	return idn_holder(c, norm, except_id, holder, a, err);
}

/* The answer to an address another account has: 409, the field named. */
static int email_in_use(struct kp_err *err)
{
	kp_err_init(err);
	kp_err_field(err, "email", "is already in use");
	err->status = KP_ECONFLICT;
	snprintf(err->msg, sizeof(err->msg), "a staff member with this e-mail exists");
	return KP_ECONFLICT;
}

int domain_staff_find_by_email(struct store_conn *c, const char *typed, struct staff *out, struct arena *a,
                               struct kp_err *err)
{
	const char *norm;
	if (!typed)
		return kp_err_field(err, "email", "is required");
	if (validate_email(a, "email", typed, &norm, err) != 0)
		return err->status;
	const char *as_typed = validate_email_as_typed(a, typed);
	struct kp_err gerr = KP_ERR_INIT;
	int rc;
	/* the spelling typed first: an account left in its xn-- spelling is found by it */
	if (as_typed && strcmp(as_typed, norm) != 0) {
		rc = store_staff_get_by_email(c, as_typed, out, a, &gerr);
		if (rc != KP_ENOTFOUND) {
			if (rc != 0)
				*err = gerr;
			return rc;
		}
		kp_err_init(&gerr);
	}
	rc = store_staff_get_by_email(c, norm, out, a, &gerr);
	if (rc != KP_ENOTFOUND) {
		if (rc != 0)
			*err = gerr;
		return rc;
	}
	int64_t holder = 0;
	if ((rc = idn_holder(c, norm, 0, &holder, a, err)) != 0)
		return rc;
	if (holder)
		return store_staff_get(c, holder, out, a, err);
	return kp_err_set(err, KP_ENOTFOUND, "no staff member with e-mail %s", norm);
}

int domain_staff_active_admins(struct store_conn *c, int64_t except_id, int64_t *n, struct kp_err *err)
{
	return store_staff_active_admins(c, except_id, n, err);
}

int domain_staff_insert(struct store_conn *c, const struct actor *who, struct staff *st, struct kp_err *err)
{
	/* an installation always has an active admin: the first account, or the first after the
	 * last admin went, must be one (staff.h) */
	if (!(st->active && st->role == ROLE_ADMIN)) {
		int64_t admins = 0;
		int rc = domain_staff_active_admins(c, 0, &admins, err);
		if (rc != 0)
			return rc;
		if (admins == 0)
			return kp_err_set(err, KP_ECONFLICT, "%s", DOMAIN_STAFF_NO_ADMIN_MSG);
	}
	/* the address in letters is unique by the store's index; one that an account keeps in
	 * its xn-- spelling is not, and is looked for */
	struct arena a = ARENA_INIT;
	int64_t holder = 0;
	int rc = st->email ? email_holder(c, st->email, 0, &holder, &a, err) : 0;
	arena_release(&a);
	if (rc != 0)
		return rc;
	if (holder)
		return email_in_use(err);
	rc = store_staff_insert(c, st, err);
	if (rc == KP_ECONFLICT)
		return email_in_use(err);
	if (rc != 0)
		return rc;
	/* field -> [old, new], as every create, update and delete entry reads */
	json_t *ch =
	    json_pack("{s:[ns], s:[ns], s:[ns], s:[no], s:[nb], s:[nb]}", "email", st->email, "name", st->name, "role",
	              domain_staff_role_name(st->role), "team", st->team ? json_string(st->team) : json_null(),
	              "active", st->active, "password_set", st->pw_hash != NULL);
	rc = domain_audit(c, who, "create", "staff", st->id, ch, err);
	json_decref(ch);
	return rc;
}

int domain_staff_change_prepare(const struct domain_staff_input *in, struct domain_staff_change *ch,
				struct arena *a, struct kp_err *err)
{
	memset(ch, 0, sizeof(*ch));
	ch->active = in->active;
	if (in->email && check_utf8_field("email", in->email, err) == 0)
		validate_email(a, "email", in->email, &ch->email, err);
	if (in->name && check_utf8_field("name", in->name, err) == 0)
		validate_name(a, "name", in->name, &ch->name, err);
	if (in->role && (ch->role = domain_staff_role_parse(in->role)) == ROLE_NONE)
		kp_err_field(err, "role", "must be one of agent, manager, admin");
	if (in->team_null) {
		ch->team_given = 1;
		ch->team = NULL;
	} else if (in->team) {
		ch->team_given = 1;
		team_check(a, in->team, &ch->team, err);
	}
	return password_finish(in->password, a, &ch->pw_hash, err);
}

static json_t *pair_str(const char *old, const char *new)
{
	return json_pack("[o, o]", old ? json_string(old) : json_null(), new ? json_string(new) : json_null());
}

static int str_differs(const char *a, const char *b)
{
	return (a == NULL) != (b == NULL) || (a && strcmp(a, b) != 0);
}

int domain_staff_apply(struct store_conn *c, const struct actor *who, int64_t id, const struct domain_staff_change *ch,
                       const struct validate_precond *pre, struct staff *out, struct arena *a, struct kp_err *err)
{
	json_t *changes = json_object();
	int rc = store_staff_get(c, id, out, a, err);
	if (rc != 0)
		goto out;
	if ((rc = validate_precond_check("staff member", id, out->version, pre, err)) != 0)
		goto out;
	if (who && who->staff_id == id) {
		if (ch->active == 0) {
			rc = kp_err_set(err, KP_ECONFLICT, "you cannot deactivate your own account");
			goto out;
		}
		if (ch->role != ROLE_NONE && ch->role < out->role) {
			rc = kp_err_set(err, KP_ECONFLICT, "you cannot lower your own role");
			goto out;
		}
	}
	int was_admin = out->active && out->role == ROLE_ADMIN;
	int end_sessions = 0;
	if (ch->email && str_differs(ch->email, out->email)) {
		int64_t holder = 0;
		if ((rc = email_holder(c, ch->email, id, &holder, a, err)) != 0)
			goto out;
		if (holder) {
			rc = email_in_use(err);
			goto out;
		}
		json_object_set_new(changes, "email", pair_str(out->email, ch->email));
		out->email = ch->email;
		end_sessions = 1; /* as a new password does: whoever signed in as the address before */
	}
	if (ch->name && strcmp(ch->name, out->name) != 0) {
		json_object_set_new(changes, "name", pair_str(out->name, ch->name));
		out->name = ch->name;
	}
	if (ch->role != ROLE_NONE && ch->role != out->role) {
		json_object_set_new(changes, "role",
				    pair_str(domain_staff_role_name(out->role), domain_staff_role_name(ch->role)));
		out->role = ch->role;
	}
	if (ch->team_given && str_differs(ch->team, out->team)) {
		json_object_set_new(changes, "team", pair_str(out->team, ch->team));
		out->team = ch->team;
	}
	if (ch->active >= 0 && (ch->active != 0) != (out->active != 0)) {
		json_object_set_new(changes, "active", json_pack("[b, b]", out->active, ch->active));
		out->active = ch->active != 0;
		end_sessions |= !out->active;
	}
	if (ch->pw_hash) {
		json_object_set_new(changes, "password", json_string("changed"));
		out->pw_hash = ch->pw_hash;
		end_sessions = 1;
	}
	if (json_object_size(changes) == 0) {
		rc = 0; /* nothing to do: answer with the record as it is */
		goto out;
	}
	/* checked here on the writer, not only by who may ask: two admins demoting each other at
	 * once would otherwise each pass and leave none */
	if (was_admin && !(out->active && out->role == ROLE_ADMIN)) {
		int64_t others = 0;
		if ((rc = domain_staff_active_admins(c, id, &others, err)) != 0)
			goto out;
		if (others == 0) {
			rc = kp_err_set(
			    err, KP_ECONFLICT,
			    "%s is the last active admin: make another staff member an admin first, or nobody "
			    "could manage staff",
			    out->email);
			goto out;
		}
	}
	if ((rc = store_staff_update(c, out, out->version, err)) != 0) {
		if (rc == KP_ECONFLICT)
			rc = email_in_use(err);
		goto out;
	}
	if (end_sessions && (rc = store_session_delete_for_staff(c, id, NULL, err)) != 0)
		goto out;
	rc = domain_audit(c, who, "update", "staff", id, changes, err);
out:
	json_decref(changes);
	return rc;
}

int domain_staff_set_password(struct store_conn *c, const struct actor *who, int64_t staff_id, const char *pw_hash,
                              const char *was_hash, const char *keep_session_hash, struct kp_err *err)
{
	struct arena a = ARENA_INIT;
	struct staff st;
	int rc = store_staff_get(c, staff_id, &st, &a, err);
	if (rc != 0)
		goto out;
	/* the current password was checked against was_hash before this write was queued: a
	 * change that committed meanwhile (another session's) makes it no longer current */
	if (was_hash && (!st.pw_hash || strcmp(st.pw_hash, was_hash) != 0)) {
		rc = kp_err_field(err, "current_password", "is no longer current: the password was changed meanwhile");
		goto out;
	}
	st.pw_hash = pw_hash;
	st.must_change_pw = 0; /* a one-time password is changed by this */
	if ((rc = store_staff_update(c, &st, st.version, err)) != 0)
		goto out;
	if ((rc = store_session_delete_for_staff(c, staff_id, keep_session_hash, err)) != 0)
		goto out;
	json_t *ch = json_pack("{s:s}", "password", "changed");
	rc = domain_audit(c, who, "password_change", "staff", staff_id, ch, err);
	json_decref(ch);
out:
	arena_release(&a);
	return rc;
}

json_t *domain_staff_to_json(const struct staff *st)
{
	char created[40], updated[40];
	time_format_ms(st->created_at, created, sizeof(created));
	time_format_ms(st->updated_at, updated, sizeof(updated));
	return json_pack("{s:I, s:s, s:s, s:s, s:o, s:b, s:b, s:b, s:I, s:s, s:s}", "id", (json_int_t)st->id, "email",
	                 st->email ? st->email : "", "name", st->name ? st->name : "", "role",
	                 domain_staff_role_name(st->role), "team", st->team ? json_string(st->team) : json_null(),
	                 "active", st->active, "password_set", st->pw_hash != NULL, "must_change_password",
	                 st->must_change_pw != 0, "version", (json_int_t)st->version, "created_at", created,
	                 "updated_at", updated);
}

/* A 20-character password from an alphabet without look-alikes (0/O, 1/l/I). */
static void random_password(char out[21])
{
	static const char alpha[] = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	for (int i = 0; i < 20; i++)
		out[i] = alpha[randombytes_uniform(sizeof(alpha) - 1)];
	out[20] = '\0';
}

struct bootstrap_job {
	struct staff st;
	int64_t existing;
};

static int bootstrap_run(struct store_conn *c, void *arg, struct kp_err *err)
{
	struct bootstrap_job *bj = arg;
	/* Count again inside the write: two servers starting at once create one admin. */
	int rc = store_staff_count(c, &bj->existing, err);
	if (rc != 0 || bj->existing > 0)
		return rc;
	struct actor sys = { 0, ROLE_ADMIN, "system", NULL };
	return domain_staff_insert(c, &sys, &bj->st, err);
}

int domain_staff_bootstrap(struct store *s, FILE *out, struct kp_err *err)
{
	struct arena a = ARENA_INIT;
	char generated[21] = "";
	int rc;
	struct store_conn *rd = store_reader(s, err);
	if (!rd) {
		rc = err->status ? err->status : KP_EUNAVAILABLE;
		goto out;
	}
	int64_t n = 0;
	if ((rc = store_staff_count(rd, &n, err)) != 0 || n > 0)
		goto out;
	if (sodium_init() < 0) {
		rc = kp_err_set(err, KP_EINTERNAL, "libsodium failed to initialise");
		goto out;
	}
	const char *email = getenv("KUMPPANI_ADMIN_EMAIL");
	const char *pw = getenv("KUMPPANI_ADMIN_PASSWORD");
	int from_env = pw && *pw;
	if (!email || !*email)
		email = "admin@kumppani.local";
	if (!from_env) {
		random_password(generated);
		pw = generated;
	}
	struct domain_staff_input in = { .email = email, .name = "Administrator", .role = "admin", .password = pw,
					 .active = 1 };
	struct bootstrap_job bj = { 0 };
	rc = domain_staff_prepare(&in, &bj.st, &a, err);
	bj.st.must_change_pw = !from_env; /* printed once: good for one sign-in and its change */
	if (rc != 0) {
		/* name the setting and the rule: "the request has invalid fields" says neither */
		if (rc == KP_EVALIDATION && err->nfields > 0) {
			const char *var = !strcmp(err->fields[0].field, "password") ? "KUMPPANI_ADMIN_PASSWORD"
			                  : !strcmp(err->fields[0].field, "email")  ? "KUMPPANI_ADMIN_EMAIL"
			                                                            : err->fields[0].field;
			char msg[sizeof err->fields[0].field + sizeof err->fields[0].msg + 1];
			snprintf(msg, sizeof msg, "%s %s", var, err->fields[0].msg);
			kp_err_init(err);
			rc = kp_err_set(err, KP_EVALIDATION, "%s", msg);
		}
		goto out;
	}
	if ((rc = store_exec(s, bootstrap_run, &bj, err)) != 0)
		goto out;
	if (bj.existing > 0)
		goto out;
	log_info("created the first admin account %s", bj.st.email);
	if (out) {
		if (from_env)
			fprintf(out, "Created admin account %s with the password from KUMPPANI_ADMIN_PASSWORD.\n",
				bj.st.email);
		else
			fprintf(out,
			        "Created admin account:\n  e-mail:   %s\n  password: %s   (one-time password: sign in "
			        "and change it\n"
			        "            with POST /api/v1/session/password before anything else; it is not shown "
			        "again)\n",
			        bj.st.email, pw);
		fflush(out);
	}
out:
	sodium_memzero(generated, sizeof(generated));
	arena_release(&a);
	return rc;
}

int domain_staff_check_owner(struct store_conn *c, const char *field, int64_t owner_id, struct arena *a,
                             struct kp_err *err)
{
	struct staff st;
	if (!owner_id)
		return 0;
	int rc = store_staff_get(c, owner_id, &st, a, err);
	if (rc == KP_ENOTFOUND) {
		kp_err_init(err);
		return kp_err_field(err, field, "no staff member has id %lld", (long long)owner_id);
	}
	if (rc)
		return rc;
	if (!st.active)
		return kp_err_field(err, field, "staff member %lld is deactivated: choose an active owner",
		                    (long long)owner_id);
	return 0;
}

static int email_backfill_job(struct store_conn *c, void *arg, struct kp_err *err)
{
	struct domain_staff_email_report *rep = arg;
	struct arena a = ARENA_INIT;
	struct actor sys = {0, ROLE_ADMIN, "system", NULL};
	int64_t ids[64], after = 0;
	size_t n = 0;
	int rc = 0;
	do {
		if ((rc = store_email_idn_ids(c, "staff", after, 64, ids, &n, err)) != 0)
			break;
		for (size_t i = 0; i < n && rc == 0; i++) {
			struct staff st;
			struct kp_err gerr = KP_ERR_INIT, verr = KP_ERR_INIT;
			const char *norm;
			if ((rc = store_staff_get(c, ids[i], &st, &a, err)) != 0)
				break;
			if (!st.email || validate_email(&a, "email", st.email, &norm, &verr) != 0 ||
			    !strcmp(norm, st.email))
				continue;
			/* one address already spelt in letters by another account: both stay as they are
			 * (an admin decides which is meant; each signs in with its own spelling) */
			struct staff other;
			int grc = store_staff_get_by_email(c, norm, &other, &a, &gerr);
			if (grc == 0) {
				if (rep->nnamed < DOMAIN_STAFF_LEFT_NAMED) {
					rep->named[rep->nnamed].id = st.id;
					rep->named[rep->nnamed].holder_id = other.id;
					snprintf(rep->named[rep->nnamed].email, sizeof rep->named[0].email, "%s",
					         st.email);
					rep->nnamed++;
				}
				rep->left++;
				continue;
			}
			if (grc != KP_ENOTFOUND) {
				*err = gerr;
				rc = grc;
				break;
			}
			const char *was = st.email;
			st.email = norm;
			if ((rc = store_staff_update(c, &st, st.version, err)) != 0)
				break;
			json_t *ch = json_pack("{s:[ss]}", "email", was, norm);
			rc = domain_audit(c, &sys, "update", "staff", st.id, ch, err);
			json_decref(ch);
			rep->respelt++;
		}
		if (n > 0)
			after = ids[n - 1];
	} while (rc == 0 && n == 64);
	arena_release(&a);
	return rc;
}

int domain_staff_email_backfill(struct store *s, struct domain_staff_email_report *rep, struct kp_err *err)
{
	struct domain_staff_email_report mine;
	if (!rep)
		rep = &mine;
	memset(rep, 0, sizeof(*rep));
	return store_exec(s, email_backfill_job, rep, err);
}

void domain_staff_email_left_advice(const struct domain_staff_email_report *rep, char *out, size_t cap)
{
	struct buf b = BUF_INIT(4096);
	if (cap == 0)
		return;
	out[0] = '\0';
	if (!rep || rep->left == 0)
		return;
	if (rep->left == 1)
		buf_addf(&b,
		         "staff: account %" PRId64
		         " keeps its e-mail address %s in its xn-- spelling, as account %" PRId64
		         " has the address in letters",
		         rep->named[0].id, rep->named[0].email, rep->named[0].holder_id);
	else {
		buf_addf(
		    &b,
		    "staff: %lld accounts keep their e-mail address in its xn-- spelling, as another account has it "
		    "in letters:",
		    rep->left);
		for (size_t i = 0; i < rep->nnamed; i++)
			buf_addf(&b, "%s account %" PRId64 " (%s; in letters account %" PRId64 ")", i ? "," : "",
			         rep->named[i].id, rep->named[i].email, rep->named[i].holder_id);
		if ((long long)rep->nnamed < rep->left)
			buf_addf(&b, " and %lld more", rep->left - (long long)rep->nnamed);
	}
	buf_adds(&b,
	         ". Each signs in with the address typed in its own spelling; to keep one account per address, an "
	         "admin gives one of the two another address (PATCH /api/v1/staff/{id} with \"email\") or deactivates "
	         "it, and an xn-- address no other account has in letters is stored in letters at the next start");
	snprintf(out, cap, "%s", b.ptr ? b.ptr : "");
	buf_release(&b);
}
