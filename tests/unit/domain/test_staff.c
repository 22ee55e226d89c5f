/* domain/staff: validation, password length in code points, Argon2id hash and verify. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "domain/staff.h"
#include "test.h"
#include "util/log.h"

/* n copies of the UTF-8 sequence u, malloc'd. */
static char *repeat(const char *u, size_t n)
{
	size_t l = strlen(u);
	char *s = malloc(l * n + 1);
	for (size_t i = 0; i < n; i++)
		memcpy(s + i * l, u, l);
	s[l * n] = '\0';
	return s;
}

TEST(staff_password_length_counts_code_points)
{
	struct kp_err err = KP_ERR_INIT;
	char *s = repeat("\xc3\xa4", 8); /* 8 characters, 16 bytes */
	CHECK_INT(domain_staff_password_check("password", s, &err), 0);
	free(s);
	s = repeat("\xc3\xa4", 7); /* 7 characters, 14 bytes: too short though > 8 bytes */
	CHECK_INT(domain_staff_password_check("password", s, &err), KP_EVALIDATION);
	CHECK_STR(err.fields[0].field, "password");
	free(s);
	kp_err_init(&err);
	s = repeat("\xf0\x9f\x98\x80", 1000); /* 1000 characters, 4000 bytes */
	CHECK_INT(domain_staff_password_check("password", s, &err), 0);
	free(s);
	s = repeat("a", 1001);
	CHECK_INT(domain_staff_password_check("password", s, &err), KP_EVALIDATION);
	free(s);
	kp_err_init(&err);
	CHECK_INT(domain_staff_password_check("password", "abcdefg\xff", &err), KP_EVALIDATION);
	kp_err_init(&err);
	CHECK_INT(domain_staff_password_check("password", NULL, &err), KP_EVALIDATION);
}

TEST(staff_roles)
{
	CHECK_INT(domain_staff_role_parse("agent"), ROLE_AGENT);
	CHECK_INT(domain_staff_role_parse("manager"), ROLE_MANAGER);
	CHECK_INT(domain_staff_role_parse("admin"), ROLE_ADMIN);
	CHECK_INT(domain_staff_role_parse("Admin"), ROLE_NONE);
	CHECK_INT(domain_staff_role_parse(NULL), ROLE_NONE);
	CHECK_STR(domain_staff_role_name(ROLE_MANAGER), "manager");
}

TEST(staff_prepare_validates_every_field)
{
	struct kp_err err = KP_ERR_INIT;
	struct arena a = ARENA_INIT;
	struct staff st;
	struct domain_staff_input in = { .email = "not-an-email", .name = "  ", .role = "boss", .password = "short",
					 .active = -1 };
	CHECK_INT(domain_staff_prepare(&in, &st, &a, &err), KP_EVALIDATION);
	CHECK_INT(err.nfields, 4);
	kp_err_init(&err);
	struct domain_staff_input none = { .active = -1 };
	CHECK_INT(domain_staff_prepare(&none, &st, &a, &err), KP_EVALIDATION);
	CHECK_INT(err.nfields, 3); /* email, name, role required; password optional */
	arena_release(&a);
}

TEST(staff_prepare_normalises_and_hashes)
{
	struct kp_err err = KP_ERR_INIT;
	struct arena a = ARENA_INIT;
	struct staff st;
	struct domain_staff_input in = {.email = "  Maija.Virtanen@Example.FI ",
	                                .name = " Maija Virtanen ",
	                                .role = "manager",
	                                .team = "Tuki",
	                                .password = "Tuki-salasana-123",
	                                .active = -1};
	CHECK_INT(domain_staff_prepare(&in, &st, &a, &err), 0);
	CHECK_STR(st.email, "maija.virtanen@example.fi");
	CHECK_STR(st.name, "Maija Virtanen");
	CHECK_INT(st.role, ROLE_MANAGER);
	CHECK_STR(st.team, "Tuki");
	CHECK_INT(st.active, 1);
	CHECK(st.pw_hash && !strncmp(st.pw_hash, "$argon2id$", 10));
	CHECK(strstr(st.pw_hash, "m=19456") != NULL); /* 19 MiB: OWASP's minimum */
	CHECK_INT(domain_staff_verify_password(st.pw_hash, "Tuki-salasana-123"), 1);
	CHECK_INT(domain_staff_verify_password(st.pw_hash, "Tuki-salasana-124"), 0);
	CHECK_INT(domain_staff_verify_password(NULL, "Tuki-salasana-123"), 0);

	json_t *j = domain_staff_to_json(&st);
	CHECK(json_object_get(j, "pw_hash") == NULL);
	char *dump = json_dumps(j, JSON_COMPACT);
	CHECK(dump && strstr(dump, "argon") == NULL);
	CHECK_STR(json_string_value(json_object_get(j, "role")), "manager");
	free(dump);
	json_decref(j);
	arena_release(&a);
}

TEST(staff_change_prepare)
{
	struct kp_err err = KP_ERR_INIT;
	struct arena a = ARENA_INIT;
	struct domain_staff_change ch;
	struct domain_staff_input in = { .role = "admin", .team_null = 1, .active = 0 };
	CHECK_INT(domain_staff_change_prepare(&in, &ch, &a, &err), 0);
	CHECK_INT(ch.role, ROLE_ADMIN);
	CHECK_INT(ch.team_given, 1);
	CHECK(ch.team == NULL);
	CHECK_INT(ch.active, 0);
	CHECK(ch.pw_hash == NULL);
	CHECK(ch.email == NULL);
	/* an e-mail is validated and normalised as at creation */
	struct domain_staff_input mail = {.email = " Liisa@XN--YHTI-8QA.FI ", .active = -1};
	CHECK_INT(domain_staff_change_prepare(&mail, &ch, &a, &err), 0);
	CHECK_STR(ch.email, "liisa@yhtiö.fi");
	struct domain_staff_input bad = {.email = "x@", .role = "root", .active = -1};
	CHECK_INT(domain_staff_change_prepare(&bad, &ch, &a, &err), KP_EVALIDATION);
	CHECK_INT(err.nfields, 2);
	arena_release(&a);
}

TEST(staff_bootstrap_creates_one_admin_once)
{
	char path[64], url[80];
	snprintf(path, sizeof(path), "/tmp/kp-unit-boot-%d.db", (int)getpid());
	snprintf(url, sizeof(url), "sqlite:%s", path);
	unlink(path);
	log_set_quiet(1);
	struct kp_err err = KP_ERR_INIT;
	struct store *s = NULL;
	if (store_open(url, NULL, &s, &err) != 0) {
		CHECK(!"store_open");
		return;
	}
	unsetenv("KUMPPANI_ADMIN_EMAIL");
	unsetenv("KUMPPANI_ADMIN_PASSWORD");
	FILE *out = tmpfile();
	CHECK_INT(domain_staff_bootstrap(s, out, &err), 0);
	CHECK_INT(domain_staff_bootstrap(s, out, &err), 0); /* staff exist: nothing happens */
	rewind(out);
	char text[1024] = "";
	size_t n = fread(text, 1, sizeof(text) - 1, out);
	text[n] = '\0';
	fclose(out);
	CHECK(strstr(text, "admin@kumppani.local") != NULL);
	CHECK(strstr(text, "one-time password") != NULL);
	/* exactly one announcement, and the printed password signs in */
	CHECK(strstr(text, "Created") == strstr(text, "Created admin") && strstr(strstr(text, "Created") + 1, "Created") == NULL);
	char pw[32] = "";
	const char *p = strstr(text, "password: ");
	if (p)
		sscanf(p + 10, "%31s", pw);
	CHECK_INT(strlen(pw), 20);
	struct arena a = ARENA_INIT;
	struct staff st;
	struct store_conn *c = store_reader(s, &err);
	CHECK(c && store_staff_get_by_email(c, "admin@kumppani.local", &st, &a, &err) == 0);
	if (c && err.status == 0) {
		CHECK_INT(st.role, ROLE_ADMIN);
		CHECK_INT(domain_staff_verify_password(st.pw_hash, pw), 1);
	}
	int64_t count = 0;
	CHECK(c && store_staff_count(c, &count, &err) == 0);
	CHECK_INT(count, 1);
	arena_release(&a);
	store_close(s);
	unlink(path);
	char side[80];
	snprintf(side, sizeof(side), "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", path);
	unlink(side);
}

/* A store job for the last-admin rules: insert st, or apply ch to id as who. */
struct admin_job {
	struct staff st;
	const struct actor *who;
	int64_t id;
	struct domain_staff_change ch;
};

static int admin_insert_run(struct store_conn *c, void *arg, struct kp_err *err)
{
	struct admin_job *j = arg;
	return domain_staff_insert(c, j->who, &j->st, err);
}

static int admin_apply_run(struct store_conn *c, void *arg, struct kp_err *err)
{
	struct admin_job *j = arg;
	struct arena a = ARENA_INIT;
	struct staff out;
	int rc = domain_staff_apply(c, j->who, j->id, &j->ch, 0, &out, &a, err);
	arena_release(&a);
	return rc;
}

static int admin_insert(struct store *s, const char *email, int role, int64_t *id, struct kp_err *err)
{
	struct actor sys = {0, ROLE_ADMIN, "system", NULL};
	struct admin_job j = {.st = {.email = email, .name = email, .role = role, .active = 1}, .who = &sys};
	kp_err_init(err);
	int rc = store_exec(s, admin_insert_run, &j, err);
	if (id)
		*id = j.st.id;
	return rc;
}

static int admin_change(struct store *s, const struct actor *who, int64_t id, int role, int active, struct kp_err *err)
{
	struct admin_job j = {.who = who, .id = id, .ch = {.role = role, .active = active}};
	kp_err_init(err);
	return store_exec(s, admin_apply_run, &j, err);
}

/* An installation always has an active admin: its first account must be one, and the last
 * one can be neither deactivated nor demoted, by anyone (two admins demoting each other at
 * once would each pass the check of their own request's role). */
TEST(staff_always_an_active_admin)
{
	char path[64], url[80];
	snprintf(path, sizeof(path), "/tmp/kp-unit-admins-%d.db", (int)getpid());
	snprintf(url, sizeof(url), "sqlite:%s", path);
	unlink(path);
	log_set_quiet(1);
	struct kp_err err = KP_ERR_INIT;
	struct store *s = NULL;
	if (store_open(url, NULL, &s, &err) != 0) {
		CHECK(!"store_open");
		return;
	}
	int64_t a1 = 0, a2 = 0, ag = 0, n = -1;
	CHECK_INT(admin_insert(s, "agentti@example.fi", ROLE_AGENT, NULL, &err), KP_ECONFLICT);
	CHECK(strstr(err.msg, "add an admin first") != NULL);
	CHECK_INT(admin_insert(s, "manageri@example.fi", ROLE_MANAGER, NULL, &err), KP_ECONFLICT);
	CHECK_INT(admin_insert(s, "eka@example.fi", ROLE_ADMIN, &a1, &err), 0);
	CHECK_INT(admin_insert(s, "agentti@example.fi", ROLE_AGENT, &ag, &err), 0);
	CHECK_INT(domain_staff_active_admins(store_reader(s, &err), 0, &n, &err), 0);
	CHECK_INT(n, 1);
	/* the only admin: neither demoted nor deactivated, whoever asks */
	struct actor sys = {0, ROLE_ADMIN, "system", NULL};
	struct actor other = {ag, ROLE_ADMIN, "agentti@example.fi", NULL}; /* as checked before a change */
	CHECK_INT(admin_change(s, &sys, a1, ROLE_MANAGER, -1, &err), KP_ECONFLICT);
	CHECK(strstr(err.msg, "last active admin") != NULL);
	CHECK_INT(admin_change(s, &other, a1, ROLE_NONE, 0, &err), KP_ECONFLICT);
	CHECK_INT(admin_change(s, &sys, a1, ROLE_ADMIN, 1, &err), 0); /* no change: fine */
	CHECK_INT(admin_change(s, &sys, a1, ROLE_NONE, -1, &err), 0);
	/* with a second admin, either may go, not both */
	CHECK_INT(admin_insert(s, "toka@example.fi", ROLE_ADMIN, &a2, &err), 0);
	struct actor by1 = {a1, ROLE_ADMIN, "eka@example.fi", NULL}, by2 = {a2, ROLE_ADMIN, "toka@example.fi", NULL};
	CHECK_INT(admin_change(s, &by1, a2, ROLE_AGENT, -1, &err), 0);
	CHECK_INT(admin_change(s, &by2, a1, ROLE_AGENT, -1, &err), KP_ECONFLICT);
	CHECK_INT(admin_change(s, &by1, a2, ROLE_ADMIN, -1, &err), 0);
	CHECK_INT(admin_change(s, &by2, a1, ROLE_NONE, 0, &err), 0); /* deactivated: a2 is left */
	CHECK_INT(admin_change(s, &sys, a2, ROLE_NONE, 0, &err), KP_ECONFLICT);
	CHECK_INT(domain_staff_active_admins(store_reader(s, &err), 0, &n, &err), 0);
	CHECK_INT(n, 1);
	/* an inactive admin is no admin: a new agent is still fine (a2 is active) */
	CHECK_INT(admin_insert(s, "kolmas@example.fi", ROLE_AGENT, NULL, &err), 0);
	store_close(s);
	unlink(path);
	char side[80];
	snprintf(side, sizeof(side), "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", path);
	unlink(side);
}

TEST(staff_password_refuses_the_first_guesses)
{
	const char *bad[] = {"12345678",  "87654321",    "1234567890", "aaaaaaaa",     "11111111", "qwertyuiop",
	                     "ASDFGHJKL", "Salasana123", "password1",  "PASSWORD2026", "qwerty12", "kumppani2026"};
	const char *good[] = {"Tuki-salasana-123", "salasana-kissa",    "Password-xyz",  "12345678x",
	                      "aaaaaaab",          "hevonen-vaarin-86", "kumppani rocks"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct kp_err err = KP_ERR_INIT;
		CHECK_INT(domain_staff_password_check("password", bad[i], &err), KP_EVALIDATION);
		CHECK(err.nfields == 1 && strstr(err.fields[0].msg, "first passwords") != NULL);
	}
	for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
		struct kp_err err = KP_ERR_INIT;
		CHECK_INT(domain_staff_password_check("password", good[i], &err), 0);
	}
}
