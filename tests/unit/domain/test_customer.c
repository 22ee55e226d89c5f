/* The customer record: applying request bodies (create and partial update), its JSON form,
 * and the audited writes (update with If-Match, merge) against a real SQLite store. */
#include "test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "domain/customer.h"
#include "domain/field.h"
#include "domain/interaction.h"
#include "domain/note.h"
#include "domain/validate.h"
#include "store/store.h"

static json_t *parse(const char *s)
{
	json_t *j = json_loads(s, 0, NULL);
	if (!j)
		test_fail(__FILE__, __LINE__, "bad test JSON: %s", s);
	return j;
}

static int has_field_error(const struct kp_err *err, const char *field)
{
	for (int i = 0; i < err->nfields; i++)
		if (strcmp(err->fields[i].field, field) == 0)
			return 1;
	return 0;
}

TEST(customer_apply_create_normalises)
{
	struct arena a = ARENA_INIT;
	struct kp_err err = KP_ERR_INIT;
	struct customer cu = {0};
	json_t *patch = NULL;
	json_t *b = parse(
	    "{\"name\": \" Maija Virtanen \", \"emails\": [\"Maija@Example.FI\", \"maija@example.fi\"],"
	    " \"phones\": [\"040 123 4567\"], \"addresses\": [{\"city\": \"Helsinki\", \"postal_code\": \"00100\"}],"
	    " \"organization_id\": 3, \"owner_id\": 2, \"tags\": [\"VIP\"], \"custom\": {\"size\": \"M\"}}");
	CHECK_INT(customer_apply(&cu, b, 1, &a, &patch, &err), 0);
	CHECK_STR(cu.name, "Maija Virtanen");
	CHECK_INT(cu.ncontacts, 3); /* the repeated e-mail is dropped */
	CHECK_STR(cu.contacts[0].kind, "email");
	CHECK_STR(cu.contacts[0].value, "maija@example.fi");
	CHECK_INT(cu.contacts[0].primary, 1);
	CHECK_STR(cu.contacts[1].value, "+358401234567");
	CHECK_STR(cu.contacts[2].value, "{\"postal_code\":\"00100\",\"city\":\"Helsinki\",\"country\":\"FI\"}");
	CHECK_INT(cu.org_id, 3);
	CHECK_INT(cu.owner_id, 2);
	CHECK_INT(cu.ntags, 1);
	CHECK_STR(cu.tags[0], "vip");
	CHECK(patch == json_object_get(b, "custom"));
	json_decref(b);
	arena_release(&a);
}

TEST(customer_apply_reports_every_bad_field)
{
	struct arena a = ARENA_INIT;
	struct kp_err err = KP_ERR_INIT;
	struct customer cu = {0};
	json_t *patch;
	json_t *b =
	    parse("{\"nme\": \"x\", \"emails\": \"a@b.fi\", \"phones\": [12], \"organization_id\": 9007199254740993,"
	          " \"owner_id\": 0, \"tags\": [\"\"], \"custom\": [1]}");
	CHECK_INT(customer_apply(&cu, b, 1, &a, &patch, &err), KP_EVALIDATION);
	static const char *const fields[] = {"nme",      "name",    "emails", "phones[0]", "organization_id",
	                                     "owner_id", "tags[0]", "custom", NULL};
	for (int i = 0; fields[i]; i++)
		if (!has_field_error(&err, fields[i]))
			test_fail(__FILE__, __LINE__, "no field error for %s", fields[i]);
	json_decref(b);

	kp_err_init(&err);
	b = parse("{\"name\": 5}");
	CHECK_INT(customer_apply(&cu, b, 1, &a, &patch, &err), KP_EVALIDATION);
	CHECK(has_field_error(&err, "name"));
	json_decref(b);

	kp_err_init(&err);
	b = parse("{\"name\": \"x\", \"owner_id\": 1.5}");
	CHECK_INT(customer_apply(&cu, b, 1, &a, &patch, &err), KP_EVALIDATION);
	CHECK(has_field_error(&err, "owner_id"));
	json_decref(b);
	arena_release(&a);
}

TEST(customer_apply_patch_is_partial)
{
	struct arena a = ARENA_INIT;
	struct kp_err err = KP_ERR_INIT;
	struct customer cu = {0};
	json_t *patch;
	json_t *b =
	    parse("{\"name\": \"Maija\", \"emails\": [\"m@x.fi\"], \"phones\": [\"0401234567\"], \"owner_id\": 4,"
	          " \"tags\": [\"a\"]}");
	CHECK_INT(customer_apply(&cu, b, 1, &a, &patch, &err), 0);
	json_decref(b);

	/* only the phones change; null clears the owner; the rest stays */
	b = parse("{\"phones\": [\"+46 8 123 456 78\"], \"owner_id\": null}");
	CHECK_INT(customer_apply(&cu, b, 0, &a, &patch, &err), 0);
	CHECK_STR(cu.name, "Maija");
	CHECK_INT(cu.ncontacts, 2);
	CHECK_STR(cu.contacts[0].value, "m@x.fi");
	CHECK_STR(cu.contacts[1].value, "+46812345678");
	CHECK_INT(cu.owner_id, 0);
	CHECK_INT(cu.ntags, 1);
	CHECK(patch == NULL);
	json_decref(b);

	b = parse("{\"emails\": null, \"tags\": null}");
	CHECK_INT(customer_apply(&cu, b, 0, &a, &patch, &err), 0);
	CHECK_INT(cu.ncontacts, 1);
	CHECK_STR(cu.contacts[0].kind, "phone");
	CHECK_INT(cu.ntags, 0);
	json_decref(b);

	/* the name is required: null is an error, absent is fine */
	b = parse("{\"name\": null}");
	CHECK_INT(customer_apply(&cu, b, 0, &a, &patch, &err), KP_EVALIDATION);
	json_decref(b);
	arena_release(&a);
}

TEST(customer_json_shape)
{
	struct contact_point cps[] = {{0, "email", "m@x.fi", NULL, 1},
	                              {0, "address", "{\"city\":\"Oulu\",\"country\":\"FI\"}", NULL, 1}};
	const char *tags[] = {"vip"};
	struct customer cu = {.id = 7,
	                      .name = "<b>Maija</b>",
	                      .contacts = cps,
	                      .ncontacts = 2,
	                      .tags = tags,
	                      .ntags = 1,
	                      .custom_json = "{\"size\":\"M\"}",
	                      .version = 3,
	                      .created_at = 1767323045000LL,
	                      .updated_at = 1767323045123LL};
	json_t *j = customer_json(&cu);
	char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	CHECK_STR(s,
	          "{\"addresses\":[{\"city\":\"Oulu\",\"country\":\"FI\"}],\"created_at\":\"2026-01-02T03:04:05.000Z\","
	          "\"custom\":{\"size\":\"M\"},\"emails\":[\"m@x.fi\"],\"id\":7,\"name\":\"<b>Maija</b>\","
	          "\"organization_id\":null,\"owner_id\":null,\"phones\":[],\"tags\":[\"vip\"],"
	          "\"updated_at\":\"2026-01-02T03:04:05.123Z\",\"version\":3}");
	free(s);
	json_decref(j);
}

/* ---- against a real store ----------------------------------------------------------------- */

struct fixture {
	struct store *s;
	char dir[64];
};

static int fixture_open(struct fixture *fx)
{
	struct kp_err err = KP_ERR_INIT;
	snprintf(fx->dir, sizeof fx->dir, "/tmp/kp-test-customer.XXXXXX");
	if (!mkdtemp(fx->dir))
		return -1;
	char url[128];
	snprintf(url, sizeof url, "sqlite:%s/k.db", fx->dir);
	if (store_open(url, NULL, &fx->s, &err)) {
		test_fail(__FILE__, __LINE__, "store_open: %s", err.msg);
		return -1;
	}
	return 0;
}

static void fixture_close(struct fixture *fx)
{
	char path[128];
	store_close(fx->s);
	static const char *const files[] = {"k.db", "k.db-wal", "k.db-shm"};
	for (int i = 0; i < 3; i++) {
		snprintf(path, sizeof path, "%s/%s", fx->dir, files[i]);
		unlink(path);
	}
	rmdir(fx->dir);
}

struct step {
	struct arena *a;
	const char *body;
	int64_t id, id2;
	struct validate_precond pre; /* zeroed: no If-Match */
	int (*fn)(struct store_conn *c, struct step *st, struct kp_err *err);
	struct customer out;
};

/* If-Match naming one version, as api_precond() makes it of "\"v\"" */
#define IF_MATCH(ver)                                                                                                  \
	{                                                                                                              \
		.if_match = {.present = 1, .n = 1, .v = {(ver)} }                                                      \
	}

static const struct actor test_actor = {0, ROLE_ADMIN, "test", "req-test"};

static int do_create(struct store_conn *c, struct step *st, struct kp_err *err)
{
	json_t *b = json_loads(st->body, 0, NULL), *patch;
	memset(&st->out, 0, sizeof st->out);
	int rc = customer_apply(&st->out, b, 1, st->a, &patch, err);
	if (!rc)
		rc = customer_create(c, &test_actor, &st->out, patch, st->a, err);
	json_decref(b);
	return rc;
}

static int do_update(struct store_conn *c, struct step *st, struct kp_err *err)
{
	json_t *b = json_loads(st->body, 0, NULL);
	int rc = customer_update(c, &test_actor, st->id, b, &st->pre, &st->out, st->a, err);
	json_decref(b);
	return rc;
}

static int do_merge(struct store_conn *c, struct step *st, struct kp_err *err)
{
	return customer_merge(c, &test_actor, st->id, st->id2, &st->pre, &st->out, st->a, err);
}

static int do_field(struct store_conn *c, struct step *st, struct kp_err *err)
{
	json_t *b = json_loads(st->body, 0, NULL);
	struct field_def fd = {0};
	int rc = field_def_apply(&fd, b, 1, st->a, err);
	if (!rc)
		rc = field_create(c, &test_actor, &fd, err);
	json_decref(b);
	return rc;
}

static int do_activity(struct store_conn *c, struct step *st, struct kp_err *err)
{
	struct note n = {.customer_id = st->id, .body = "muistiinpano"};
	struct interaction it = {.customer_id = st->id, .kind = "call", .direction = "inbound", .summary = "soitto"};
	int rc = note_create(c, &test_actor, &n, st->a, err);
	return rc ? rc : interaction_create(c, &test_actor, &it, st->a, err);
}

static int run_step(struct store_conn *c, void *arg, struct kp_err *err)
{
	struct step *st = arg;
	return st->fn(c, st, err);
}

static int exec(struct fixture *fx, struct step *st, struct kp_err *err)
{
	kp_err_init(err);
	return store_exec(fx->s, run_step, st, err);
}

TEST(customer_update_if_match_and_audit)
{
	struct fixture fx;
	struct arena a = ARENA_INIT;
	struct kp_err err = KP_ERR_INIT;
	if (fixture_open(&fx))
		return;
	struct step st = {.a = &a, .fn = do_create, .body = "{\"name\": \"Maija\", \"tags\": [\"a\"]}"};
	CHECK_INT(exec(&fx, &st, &err), 0);
	int64_t id = st.out.id;
	CHECK(id > 0);
	CHECK_INT(st.out.version, 1);

	/* a stale If-Match changes nothing */
	struct step up = {.a = &a, .fn = do_update, .id = id, .pre = IF_MATCH(5), .body = "{\"name\": \"Matti\"}"};
	CHECK_INT(exec(&fx, &up, &err), KP_EPRECONDITION);
	up.pre = (struct validate_precond)IF_MATCH(1);
	CHECK_INT(exec(&fx, &up, &err), 0);
	CHECK_STR(up.out.name, "Matti");
	CHECK_INT(up.out.version, 2);
	CHECK_INT(up.out.ntags, 1); /* untouched */
	/* the same change again writes nothing */
	up.pre = (struct validate_precond){0};
	CHECK_INT(exec(&fx, &up, &err), 0);
	CHECK_INT(up.out.version, 2);

	struct store_conn *c = store_reader(fx.s, &err);
	struct audit_filter af = {.entity = "customer", .entity_id = id, .limit = 10};
	struct audit_list al = {0};
	CHECK(c != NULL);
	CHECK_INT(store_audit_list(c, &af, &al, &a, &err), 0);
	CHECK_INT(al.n, 2);
	if (al.n == 2) {
		CHECK_STR(al.items[0].action, "update");
		CHECK_STR(al.items[0].changes_json, "{\"name\":[\"Maija\",\"Matti\"]}");
		CHECK_STR(al.items[0].request_id, "req-test");
		CHECK_STR(al.items[1].action, "create");
	}
	arena_release(&a);
	fixture_close(&fx);
}

TEST(customer_merge_moves_everything)
{
	struct fixture fx;
	struct arena a = ARENA_INIT;
	struct kp_err err = KP_ERR_INIT;
	if (fixture_open(&fx))
		return;
	struct step f = {
	    .a = &a, .fn = do_field, .body = "{\"key\": \"size\", \"type\": \"choice\", \"choices\": [\"S\", \"M\"]}"};
	CHECK_INT(exec(&fx, &f, &err), 0);
	f.body = "{\"key\": \"birthday\", \"type\": \"date\"}";
	CHECK_INT(exec(&fx, &f, &err), 0);

	struct step t = {
	    .a = &a,
	    .fn = do_create,
	    .body =
	        "{\"name\": \"Maija\", \"emails\": [\"m@x.fi\"], \"tags\": [\"a\"], \"custom\": {\"size\": \"S\"}}"};
	CHECK_INT(exec(&fx, &t, &err), 0);
	struct step s = {
	    .a = &a,
	    .fn = do_create,
	    .body = "{\"name\": \"Maija V.\", \"emails\": [\"M@X.fi\", \"maija@y.fi\"], \"phones\": [\"0401234567\"],"
	            " \"tags\": [\"a\", \"b\"], \"owner_id\": null, \"custom\": {\"size\": \"M\", \"birthday\": "
	            "\"1990-01-02\"}}"};
	CHECK_INT(exec(&fx, &s, &err), 0);
	int64_t into = t.out.id, from = s.out.id;
	struct step act = {.a = &a, .fn = do_activity, .id = from};
	CHECK_INT(exec(&fx, &act, &err), 0);

	struct step m = {.a = &a, .fn = do_merge, .id = into, .id2 = into};
	CHECK_INT(exec(&fx, &m, &err), KP_EVALIDATION); /* into itself */
	m.id2 = from;
	m.pre = (struct validate_precond)IF_MATCH(9);
	CHECK_INT(exec(&fx, &m, &err), KP_EPRECONDITION);
	m.pre = (struct validate_precond)IF_MATCH(1);
	CHECK_INT(exec(&fx, &m, &err), 0);
	CHECK_INT(m.out.ncontacts, 3);
	CHECK_INT(m.out.ntags, 2);
	CHECK_STR(m.out.custom_json, "{\"birthday\":\"1990-01-02\",\"size\":\"S\"}");
	m.pre = (struct validate_precond){0};
	CHECK_INT(exec(&fx, &m, &err), KP_ECONFLICT); /* the source is a tombstone now */

	struct store_conn *c = store_reader(fx.s, &err);
	CHECK(c != NULL);
	struct customer got;
	int64_t merged = 0;
	CHECK_INT(customer_get_live(c, from, &got, &merged, &a, &err), KP_ENOTFOUND);
	CHECK_INT(merged, into);
	CHECK_INT(customer_get_live(c, into, &got, &merged, &a, &err), 0);
	CHECK_INT(got.ncontacts, 3);

	struct interaction_filter fi = {.customer_id = into};
	struct store_page pg = {.limit = 10, .sort = STORE_SORT_OCCURRED, .desc = 1};
	struct interaction_list il = {0};
	CHECK_INT(store_interaction_list(c, &fi, &pg, &il, &a, &err), 0);
	CHECK_INT(il.n, 1);
	struct note_list nl = {0};
	struct store_page npg = {.limit = 10, .sort = STORE_SORT_CREATED, .desc = 1};
	CHECK_INT(store_note_list(c, into, 0, &npg, &nl, &a, &err), 0);
	CHECK_INT(nl.n, 1);

	struct audit_filter af = {.action = "merge", .limit = 10};
	struct audit_list al = {0};
	CHECK_INT(store_audit_list(c, &af, &al, &a, &err), 0);
	CHECK_INT(al.n, 2); /* one on each record */
	if (al.n >= 1)
		CHECK(strstr(al.items[0].changes_json, "\"maija@y.fi\"") != NULL);
	arena_release(&a);
	fixture_close(&fx);
}
