#include "domain/staff.h"

#include <ctype.h>
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "domain/validate.h"
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
	int rc = store_staff_insert(c, st, err);
	if (rc == KP_ECONFLICT) {
		kp_err_init(err);
		kp_err_field(err, "email", "is already in use");
		err->status = KP_ECONFLICT;
		snprintf(err->msg, sizeof(err->msg), "a staff member with this e-mail exists");
		return KP_ECONFLICT;
	}
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
	if (in->email)
		kp_err_field(err, "email", "cannot be changed");
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
	int end_sessions = 0;
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
	if ((rc = store_staff_update(c, out, out->version, err)) != 0)
		goto out;
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

/* The job of domain_staff_email_backfill(). */
struct email_backfill {
	long long n, conflicts;
};

static int email_backfill_job(struct store_conn *c, void *arg, struct kp_err *err)
{
	struct email_backfill *eb = arg;
	struct store_page pg = {.limit = 200, .sort = STORE_SORT_ID};
	struct arena a = ARENA_INIT;
	struct actor sys = {0, ROLE_ADMIN, "system", NULL};
	int rc = 0;
	for (;;) {
		struct staff_list list = {0};
		if ((rc = store_staff_list(c, NULL, &pg, &list, &a, err)))
			break;
		for (size_t i = 0; i < list.n && rc == 0; i++) {
			struct staff *st = &list.items[i];
			const char *norm;
			struct kp_err verr = KP_ERR_INIT;
			if (!st->email || !strstr(st->email, "xn--") ||
			    validate_email(&a, "email", st->email, &norm, &verr) != 0 || !strcmp(norm, st->email))
				continue;
			/* one address already spelt in letters by another account: both stay as they are
			 * (an admin decides which is meant); counted, so the command can say so */
			struct staff other;
			struct kp_err gerr = KP_ERR_INIT;
			if (store_staff_get_by_email(c, norm, &other, &a, &gerr) == 0) {
				eb->conflicts++;
				continue;
			}
			const char *was = st->email;
			st->email = norm;
			if ((rc = store_staff_update(c, st, st->version, err)))
				break;
			json_t *ch = json_pack("{s:[ss]}", "email", was, norm);
			rc = domain_audit(c, &sys, "update", "staff", st->id, ch, err);
			json_decref(ch);
			eb->n++;
		}
		if (rc || !list.more || list.n == 0)
			break;
		pg.has_after = 1;
		pg.after_id = list.items[list.n - 1].id;
	}
	arena_release(&a);
	return rc;
}

int domain_staff_email_backfill(struct store *s, long long *n, long long *conflicts, struct kp_err *err)
{
	struct email_backfill eb = {0};
	int rc = store_exec(s, email_backfill_job, &eb, err);
	if (n)
		*n = eb.n;
	if (conflicts)
		*conflicts = eb.conflicts;
	return rc;
}
