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
	struct domain_staff_input bad = { .email = "x@y.fi", .role = "root", .active = -1 };
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
