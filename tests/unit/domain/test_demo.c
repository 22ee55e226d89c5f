/* The demo data generator: valid Y-tunnus, valid contact points, determinism. */
#include "test.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "domain/demo.h"
#include "domain/protect.h"
#include "domain/validate.h"

TEST(demo_ytunnus_check_digit)
{
	/* 0112038-9 and 1572860-0 are real Y-tunnus values. */
	CHECK_INT(demo_ytunnus_check(112038), 9);
	CHECK_INT(demo_ytunnus_check(1572860), 0);
	/* 0000001: 1*2 = 2, remainder 2 -> 9; 0000005: 10 -> 1; 0000006: 12 % 11 = 1 -> none. */
	CHECK_INT(demo_ytunnus_check(1), 9);
	CHECK_INT(demo_ytunnus_check(5), 1);
	CHECK_INT(demo_ytunnus_check(6), -1);
	char s[32];
	for (uint32_t b = 1000000; b < 1000200; b++) {
		int c = demo_ytunnus_check(b);
		snprintf(s, sizeof(s), "%07u-%d", b, c < 0 ? 0 : c);
		if (c >= 0)
			CHECK(validate_business_id_ok(s));
	}
}

static int is_ascii_email_local(const char *e)
{
	for (const char *p = e; *p && *p != '@'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '.' || *p == '-' || *p == '_'))
			return 0;
	return 1;
}

TEST(demo_orgs_are_valid_and_unique)
{
	struct demo_gen g;
	struct arena a = ARENA_INIT;
	const int n = 3000;
	CHECK_INT(demo_gen_init(&g, 42, 1790000000000, (size_t)n), 0);
	const char **ids = arena_alloc(&a, (size_t)n * sizeof(*ids));
	int forms[4] = { 0 };
	for (int i = 0; i < n; i++) {
		struct organization o;
		CHECK_INT(demo_gen_org(&g, &o, &a), 0);
		ids[i] = o.business_id;
		CHECK(validate_business_id_ok(o.business_id));
		CHECK(o.name && *o.name);
		struct kp_err err = KP_ERR_INIT;
		const char *norm;
		CHECK_INT(validate_email(&a, "email", o.email, &norm, &err), 0);
		CHECK_INT(validate_phone(&a, "phone", o.phone, &norm, &err), 0);
		CHECK_STR(norm, o.phone);
		size_t l = strlen(o.name);
		if (l > 4 && !strcmp(o.name + l - 4, " Oyj"))
			forms[0]++;
		else if (l > 3 && !strcmp(o.name + l - 3, " Oy"))
			forms[1]++;
		else if (l > 3 && !strcmp(o.name + l - 3, " Ky"))
			forms[2]++;
		else
			forms[3]++; /* Tmi and sole traders under a business line */
		demo_gen_org_inserted(&g, i + 1);
	}
	CHECK(forms[0] > 0 && forms[1] > n / 2 && forms[2] > n / 20 && forms[3] > n / 10);
	/* Unique: the base numbers are a permutation. */
	int dups = 0;
	for (int i = 0; i < n && dups == 0; i++)
		for (int j = i + 1; j < n; j++)
			if (!strcmp(ids[i], ids[j]))
				dups++;
	CHECK_INT(dups, 0);
	demo_gen_release(&g);
	arena_release(&a);
}

TEST(demo_customers_are_valid)
{
	struct demo_gen g;
	struct arena a = ARENA_INIT;
	const int64_t now = 1790000000000;
	int64_t staff[3] = { 7, 8, 9 };
	CHECK_INT(demo_gen_init(&g, 7, now, 10), 0);
	demo_gen_set_staff(&g, staff, 3);
	int64_t org_created[10];
	for (int i = 0; i < 10; i++) {
		struct organization o;
		CHECK_INT(demo_gen_org(&g, &o, &a), 0);
		demo_gen_org_inserted(&g, 100 + i);
		org_created[i] = o.created_at;
	}
	int in_org = 0, with_its = 0, vip = 0;
	const int n = 2000;
	for (int i = 0; i < n; i++) {
		struct demo_customer dc;
		demo_gen_customer(&g, &dc, &a);
		struct customer *cu = &dc.cu;
		CHECK(strchr(cu->name, ' ') != NULL);
		CHECK(cu->created_at < now && cu->created_at > now - (int64_t)5 * 365 * 86400000);
		if (cu->org_id) {
			CHECK(cu->org_id >= 100 && cu->org_id < 110);
			/* a contact person joins after their organisation (a blind audit found 323 of
			 * 2,000 before it) */
			if (cu->org_id >= 100 && cu->org_id < 110)
				CHECK(cu->created_at > org_created[cu->org_id - 100]);
			in_org++;
		}
		for (size_t j = 0; j < cu->ncontacts; j++) {
			const struct contact_point *cp = &cu->contacts[j];
			struct kp_err err = KP_ERR_INIT;
			const char *norm = NULL;
			if (!strcmp(cp->kind, "email")) {
				CHECK_INT(validate_email(&a, "email", cp->value, &norm, &err), 0);
				CHECK_STR(norm, cp->value);
				CHECK(is_ascii_email_local(cp->value));
				CHECK(strstr(cp->value, "example.") || strstr(cp->value, "esimerkki.fi"));
			} else if (!strcmp(cp->kind, "phone")) {
				CHECK_INT(validate_phone(&a, "phone", cp->value, &norm, &err), 0);
				CHECK_STR(norm, cp->value);
				CHECK(!strncmp(cp->value, "+358", 4));
			} else {
				CHECK_STR(cp->kind, "address");
				json_error_t je;
				json_t *obj = json_loads(cp->value, 0, &je);
				CHECK(obj != NULL);
				if (obj) {
					CHECK_INT(validate_address(&a, "address", obj, &norm, &err), 0);
					CHECK_STR(norm, cp->value);
					CHECK(validate_postal_code_ok("FI", json_string_value(json_object_get(obj, "postal_code"))));
					json_decref(obj);
				}
			}
		}
		for (size_t j = 0; j < cu->ntags; j++) {
			if (!strcmp(cu->tags[j], "vip"))
				vip++;
			for (size_t k = j + 1; k < cu->ntags; k++)
				CHECK(strcmp(cu->tags[j], cu->tags[k]) != 0);
		}
		if (dc.nits)
			with_its++;
		for (size_t j = 0; j < dc.nits; j++) {
			const struct interaction *it = &dc.its[j];
			CHECK(it->occurred_at <= now && it->occurred_at >= now - (int64_t)2 * 365 * 86400000);
			CHECK(it->occurred_at >= cu->created_at);
			CHECK(!strcmp(it->direction, "inbound") || !strcmp(it->direction, "outbound"));
			CHECK(it->summary && *it->summary && it->body && *it->body);
			CHECK(strchr(it->summary, '{') == NULL && strchr(it->body, '{') == NULL);
			CHECK(it->staff_id == 0 || (it->staff_id >= 7 && it->staff_id <= 9));
		}
	}
	/* About 30% in an organisation, 3% VIP, most with a timeline. */
	CHECK(in_org > n / 5 && in_org < n * 2 / 5);
	CHECK(vip > 0 && vip < n / 10);
	CHECK(with_its > n / 2);
	demo_gen_release(&g);
	arena_release(&a);
}

/* A digest of everything generated, to compare runs. */
static void digest_customers(uint64_t seed, int n, char *out, size_t outlen)
{
	struct demo_gen g;
	struct arena a = ARENA_INIT;
	uint64_t h = 1469598103934665603ull;
	demo_gen_init(&g, seed, 1790000000000, 0);
	for (int i = 0; i < n; i++) {
		struct demo_customer dc;
		demo_gen_customer(&g, &dc, &a);
		for (const char *p = dc.cu.name; *p; p++)
			h = (h ^ (unsigned char)*p) * 1099511628211ull;
		for (size_t j = 0; j < dc.cu.ncontacts; j++)
			for (const char *p = dc.cu.contacts[j].value; *p; p++)
				h = (h ^ (unsigned char)*p) * 1099511628211ull;
		for (size_t j = 0; j < dc.nits; j++) {
			for (const char *p = dc.its[j].body; *p; p++)
				h = (h ^ (unsigned char)*p) * 1099511628211ull;
			h = (h ^ (uint64_t)dc.its[j].occurred_at) * 1099511628211ull;
		}
	}
	snprintf(out, outlen, "%016llx", (unsigned long long)h);
	demo_gen_release(&g);
	arena_release(&a);
}

TEST(demo_is_deterministic)
{
	char a1[32], a2[32], b[32];
	digest_customers(1, 500, a1, sizeof(a1));
	digest_customers(1, 500, a2, sizeof(a2));
	digest_customers(2, 500, b, sizeof(b));
	CHECK_STR(a1, a2);
	CHECK(strcmp(a1, b) != 0);
}

TEST(demo_staff_identities_are_distinct)
{
	struct arena a = ARENA_INIT;
	const char *n1, *e1, *n2, *e2, *n3, *e3;
	demo_staff_identity(0, &a, &n1, &e1);
	demo_staff_identity(1, &a, &n2, &e2);
	demo_staff_identity(8, &a, &n3, &e3);
	CHECK_STR(e1, "aino.laaksonen@kumppani-demo.example.fi");
	CHECK(strcmp(e1, e2) != 0 && strcmp(e1, e3) != 0);
	CHECK_STR(e3, "aino.laaksonen2@kumppani-demo.example.fi");
	CHECK_STR(n3, "Aino Laaksonen 2");
	struct kp_err err = KP_ERR_INIT;
	const char *norm;
	CHECK_INT(validate_email(&a, "email", e2, &norm, &err), 0);
	arena_release(&a);
}

TEST(demo_some_customers_wrote_something_abusive_lately)
{
	/* about one in 400, inbound with text, in the last 45 days and after the customer joined:
	 * for the staff protection to show on demo data (cmd_demo.c creates them as the server
	 * takes any inbound message) */
	struct demo_gen g;
	struct arena a = ARENA_INIT;
	int64_t now = 1796665000000LL, staff[] = {3, 4};
	CHECK_INT(demo_gen_init(&g, 42, now, 0), 0);
	demo_gen_set_staff(&g, staff, 2);
	int n = 0;
	for (int i = 0; i < 8000; i++) {
		struct demo_customer dc;
		demo_gen_customer(&g, &dc, &a);
		if (!dc.hostile)
			continue;
		n++;
		CHECK_STR(dc.hostile->direction, "inbound");
		CHECK(dc.hostile->body && *dc.hostile->body && dc.hostile->summary && *dc.hostile->summary);
		CHECK(dc.hostile->occurred_at < now && dc.hostile->occurred_at >= now - 46LL * 86400000);
		CHECK(dc.hostile->occurred_at > dc.cu.created_at);
		CHECK(dc.hostile->staff_id == 3 || dc.hostile->staff_id == 4);
		CHECK(!strchr(dc.hostile->body, '{')); /* every placeholder filled */
	}
	CHECK(n >= 8 && n <= 40);
	demo_gen_release(&g);
	arena_release(&a);
}

TEST(demo_replies_are_clean_as_stored)
{
	/* the demo stores its staff replies with the clean verdict unanalysed (protect_staff_clean):
	 * every reply template, with the fills the generator draws, must analyse clean */
	struct demo_gen g;
	struct arena a = ARENA_INIT;
	struct kp_err err = KP_ERR_INIT;
	int64_t now = 1796665000000LL, staff[] = {3, 4};
	CHECK_INT(demo_gen_init(&g, 7, now, 0), 0);
	demo_gen_set_staff(&g, staff, 2);
	int replies = 0, abusive = 0;
	for (int i = 0; i < 3000; i++) {
		struct demo_customer dc;
		demo_gen_customer(&g, &dc, &a);
		for (size_t j = 0; j < dc.nits; j++) {
			struct interaction it = dc.its[j];
			if (strcmp(it.direction, "outbound") != 0) {
				CHECK(it.analysis_json == NULL); /* inbound: as the demo always stored them */
				continue;
			}
			CHECK(it.analysis_json == protect_staff_clean);
			replies++;
			it.analysis_json = NULL;
			CHECK_INT(protect_interaction_analyze(&it, &a, &err), 0);
			if (it.abusive) {
				abusive++;
				fprintf(stderr, "  a demo reply reads abusive: %s / %s\n", it.summary ? it.summary : "",
				        it.body ? it.body : "");
			}
		}
		arena_reset(&a);
	}
	CHECK(replies > 1000);
	CHECK_INT(abusive, 0);
	demo_gen_release(&g);
	arena_release(&a);
}
