/*
 * The store contract cases. They use only store.h, so every backend runs the same ones.
 * Writes go through store_exec (the writer, as the server does); reads through the
 * calling thread's store_reader. Each case tags or names its rows so it can find them
 * again whatever the other cases stored.
 */
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <libpq-fe.h>

#include "domain/customer.h"
#include "domain/staff.h"
#include "store/store.h"
#include "util/timeutil.h"
#include "contract.h"

/* ---- writes through the writer ----------------------------------------------------------- */

enum ct_op {
	OP_STAFF_INS,
	OP_STAFF_UPD,
	OP_TOKEN_INS,
	OP_TOKEN_REVOKE,
	OP_TOKEN_TOUCH,
	OP_SESSION_INS,
	OP_SESSION_DEL,
	OP_SESSION_DEL_STAFF,
	OP_ORG_INS,
	OP_ORG_UPD,
	OP_ORG_DEL,
	OP_CUST_INS,
	OP_CUST_UPD,
	OP_CUST_DEL,
	OP_CUST_MERGE,
	OP_FIELD_INS,
	OP_FIELD_UPD,
	OP_FIELD_DEL,
	OP_NOTE_INS,
	OP_NOTE_UPD,
	OP_NOTE_DEL,
	OP_INTER_INS,
	OP_INTER_UPD,
	OP_INTER_DEL,
	OP_INTER_SEARCH_SET,
	OP_NOTE_SEARCH_SET,
	OP_AUDIT_INS,
	OP_IDEM_PUT,
	OP_IDEM_PURGE,
	OP_IDEM_FORGET, /* str: the prefix; rec: the ids; id: how many */
	OP_CUSTOM_SET,
};

/* OP_CUSTOM_SET's record: the entity, and the new version and time it gets */
struct ct_custom {
	const char *entity;
	int64_t version, at;
};

struct ct_w {
	int op;
	void *rec;
	int64_t id, id2, ver;
	const char *str;
};

static int ct_run(struct store_conn *c, void *arg, struct kp_err *err)
{
	struct ct_w *w = arg;

	switch (w->op) {
	case OP_STAFF_INS: return store_staff_insert(c, w->rec, err);
	case OP_STAFF_UPD: return store_staff_update(c, w->rec, w->ver, err);
	case OP_TOKEN_INS: return store_token_insert(c, w->rec, err);
	case OP_TOKEN_REVOKE: return store_token_revoke(c, w->id, w->id2, err);
	case OP_TOKEN_TOUCH: return store_token_touch(c, w->id, w->id2, err);
	case OP_SESSION_INS: return store_session_insert(c, w->rec, err);
	case OP_SESSION_DEL: return store_session_delete(c, w->str, err);
	case OP_SESSION_DEL_STAFF: return store_session_delete_for_staff(c, w->id, w->str, err);
	case OP_ORG_INS: return store_org_insert(c, w->rec, err);
	case OP_ORG_UPD: return store_org_update(c, w->rec, w->ver, err);
	case OP_ORG_DEL: return store_org_delete(c, w->id, w->ver, err);
	case OP_CUST_INS: return store_customer_insert(c, w->rec, err);
	case OP_CUST_UPD: return store_customer_update(c, w->rec, w->ver, err);
	case OP_CUST_DEL: return store_customer_delete(c, w->id, w->ver, err);
	case OP_CUST_MERGE: return store_customer_merge(c, w->id, w->id2, err);
	case OP_FIELD_INS: return store_field_insert(c, w->rec, err);
	case OP_FIELD_UPD: return store_field_update(c, w->rec, w->ver, err);
	case OP_FIELD_DEL: return store_field_delete(c, w->id, w->ver, err);
	case OP_NOTE_INS: return store_note_insert(c, w->rec, err);
	case OP_NOTE_UPD: return store_note_update(c, w->rec, w->ver, err);
	case OP_NOTE_DEL: return store_note_delete(c, w->id, w->ver, err);
	case OP_INTER_INS: return store_interaction_insert(c, w->rec, err);
	case OP_INTER_UPD: return store_interaction_update(c, w->rec, w->ver, err);
	case OP_INTER_DEL: return store_interaction_delete(c, w->id, w->ver, err);
	case OP_INTER_SEARCH_SET: return store_interaction_search_set(c, w->rec, w->ver, err); /* ver: the stamp */
	case OP_NOTE_SEARCH_SET: return store_note_search_set(c, w->rec, w->ver, err);
	case OP_AUDIT_INS: return store_audit_insert(c, w->rec, err);
	case OP_IDEM_PUT: return store_idem_put(c, w->rec, err);
	case OP_IDEM_PURGE: return store_idem_purge(c, w->id, err);
	case OP_IDEM_FORGET: return store_idem_forget(c, w->str, w->rec, (size_t)w->id, NULL, err);
	case OP_CUSTOM_SET: {
		struct ct_custom *cc = w->rec;
		return store_custom_set(c, cc->entity, w->id, w->str, w->ver, &cc->version, &cc->at, err);
	}
	}
	return KP_EINTERNAL;
}

static int W(struct store *s, int op, void *rec, int64_t id, int64_t id2, int64_t ver, const char *str)
{
	struct ct_w w = { op, rec, id, id2, ver, str };
	struct kp_err err = KP_ERR_INIT;
	int rc = store_exec(s, ct_run, &w, &err);

	if (rc && rc != err.status)
		ct_fail(__FILE__, __LINE__, "store_exec returned %d but err.status %d (%s)", rc, err.status, err.msg);
	return rc;
}

#define INS(s, op, rec) W((s), (op), (rec), 0, 0, 0, NULL)
#define UPD(s, op, rec, ver) W((s), (op), (rec), 0, 0, (ver), NULL)
#define DEL(s, op, id, ver) W((s), (op), NULL, (id), 0, (ver), NULL)

static struct store_conn *R(struct store *s)
{
	struct kp_err err = KP_ERR_INIT;
	struct store_conn *c = store_reader(s, &err);

	if (!c)
		ct_fail(__FILE__, __LINE__, "store_reader: %s", err.msg);
	return c;
}

static int64_t new_customer(struct store *s, const char *name, const char *tag, const char *email)
{
	struct contact_point cp = { 0, "email", email, NULL, 1 };
	const char *tags[1] = { tag };
	struct customer cu = { 0 };

	cu.name = name;
	cu.custom_json = "{}";
	cu.tags = tag ? tags : NULL;
	cu.ntags = tag ? 1 : 0;
	cu.contacts = email ? &cp : NULL;
	cu.ncontacts = email ? 1 : 0;
	if (INS(s, OP_CUST_INS, &cu) != 0)
		ct_fail(__FILE__, __LINE__, "insert customer %s failed", name);
	return cu.id;
}

static int64_t new_staff(struct store *s, const char *email)
{
	struct staff st = { 0 };

	st.email = email;
	st.name = email;
	st.role = ROLE_AGENT;
	st.active = 1;
	if (INS(s, OP_STAFF_INS, &st) != 0)
		ct_fail(__FILE__, __LINE__, "insert staff %s failed", email);
	return st.id;
}

/* ---- staff ------------------------------------------------------------------------------- */

static void case_staff_crud(struct store *s)
{
	struct arena a = ARENA_INIT;
	struct kp_err err = KP_ERR_INIT;
	struct staff st = { 0 }, got, dup = { 0 };
	struct staff_list l;
	struct store_page pg = { 0 };
	int64_t n = 0, v1;

	st.email = "maija@example.fi";
	st.name = "Maija Virtanen";
	st.role = ROLE_MANAGER;
	st.team = "Tuki";
	st.pw_hash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g";
	st.active = 1;
	CK_INT(INS(s, OP_STAFF_INS, &st), 0);
	CK(st.id > 0);
	CK_INT(st.version, 1);
	CK(st.created_at > 0);
	CK_INT(store_staff_get(R(s), st.id, &got, &a, &err), 0);
	CK_STR(got.email, "maija@example.fi");
	CK_STR(got.name, "Maija Virtanen");
	CK_STR(got.team, "Tuki");
	CK_STR(got.pw_hash, "$argon2id$v=19$m=65536,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g");
	CK_INT(got.role, ROLE_MANAGER);
	CK_INT(got.active, 1);
	CK_INT(got.version, 1);
	CK_INT(store_staff_get_by_email(R(s), "maija@example.fi", &got, &a, &err), 0);
	CK_INT(got.id, st.id);
	CK_INT(store_staff_get_by_email(R(s), "nobody@example.fi", &got, &a, &err), KP_ENOTFOUND);
	CK_INT(store_staff_get(R(s), 999999, &got, &a, &err), KP_ENOTFOUND);

	dup.email = "maija@example.fi";
	dup.name = "Toinen";
	dup.role = ROLE_AGENT;
	CK_INT(INS(s, OP_STAFF_INS, &dup), KP_ECONFLICT);

	v1 = st.version;
	st.name = "Maija Korhonen";
	st.team = NULL;
	CK_INT(UPD(s, OP_STAFF_UPD, &st, v1), 0);
	CK_INT(st.version, 2);
	CK_INT(store_staff_get(R(s), st.id, &got, &a, &err), 0);
	CK_STR(got.name, "Maija Korhonen");
	CK(got.team == NULL);
	CK_INT(got.version, 2);
	st.name = "Stale";
	CK_INT(UPD(s, OP_STAFF_UPD, &st, v1), KP_EPRECONDITION);
	CK_INT(store_staff_get(R(s), st.id, &got, &a, &err), 0);
	CK_STR(got.name, "Maija Korhonen");
	got.id = 999999;
	CK_INT(UPD(s, OP_STAFF_UPD, &got, 1), KP_ENOTFOUND);

	new_staff(s, "aapo@example.fi");
	CK_INT(store_staff_count(R(s), &n, &err), 0);
	CK_INT(n, 2);
	pg.limit = 10;
	pg.sort = STORE_SORT_NAME;
	CK_INT(store_staff_list(R(s), NULL, &pg, &l, &a, &err), 0);
	CK_INT(l.n, 2);
	CK_INT(l.more, 0);
	if (l.n == 2) {
		CK_STR(l.items[0].email, "aapo@example.fi");
		CK_STR(l.items[1].email, "maija@example.fi");
	}
	pg.limit = 1;
	CK_INT(store_staff_list(R(s), NULL, &pg, &l, &a, &err), 0);
	CK_INT(l.n, 1);
	CK_INT(l.more, 1);
	/* updated after a time, strictly: the changed one, not before its change */
	struct staff maija;
	CK_INT(store_staff_get(R(s), st.id, &maija, &a, &err), 0);
	struct staff_filter sf = { .updated_after = maija.updated_at - 1 };
	pg.limit = 10;
	pg.sort = STORE_SORT_UPDATED;
	CK_INT(store_staff_list(R(s), &sf, &pg, &l, &a, &err), 0);
	int listed = 0;
	for (size_t i = 0; i < l.n; i++) {
		CK(l.items[i].updated_at > sf.updated_after);
		listed |= l.items[i].id == maija.id;
	}
	CK(listed);
	sf.updated_after = maija.updated_at;
	CK_INT(store_staff_list(R(s), &sf, &pg, &l, &a, &err), 0);
	for (size_t i = 0; i < l.n; i++)
		CK(l.items[i].id != maija.id && l.items[i].updated_at > maija.updated_at);
	/* a refused duplicate spends no id: the next staff member's follows (as on SQLite) */
	struct staff next = {0}, again, after = {0};
	next.email = "seuraava@example.fi";
	next.name = "Seuraava";
	next.role = ROLE_AGENT;
	CK_INT(INS(s, OP_STAFF_INS, &next), 0);
	again = next;
	again.id = 0;
	CK_INT(INS(s, OP_STAFF_INS, &again), KP_ECONFLICT);
	after.email = "jalkeen@example.fi";
	after.name = "Jälkeen";
	after.role = ROLE_AGENT;
	CK_INT(INS(s, OP_STAFF_INS, &after), 0);
	CK_INT(after.id, next.id + 1);
	/* active admins, counted by one query: an agent, a manager and an inactive admin are
	 * none, and the account excepted is left out */
	int64_t admins = -1, base = -1;
	CK_INT(store_staff_active_admins(R(s), 0, &base, &err), 0);
	CK_INT(base, 0);
	struct staff ad = {.email = "admin1@example.fi", .name = "Admin Yksi", .role = ROLE_ADMIN, .active = 1};
	struct staff off = {.email = "admin2@example.fi", .name = "Admin Kaksi", .role = ROLE_ADMIN, .active = 0};
	CK_INT(INS(s, OP_STAFF_INS, &ad), 0);
	CK_INT(INS(s, OP_STAFF_INS, &off), 0);
	CK_INT(store_staff_active_admins(R(s), 0, &admins, &err), 0);
	CK_INT(admins, 1);
	CK_INT(store_staff_active_admins(R(s), ad.id, &admins, &err), 0);
	CK_INT(admins, 0);
	CK_INT(store_staff_active_admins(R(s), off.id, &admins, &err), 0);
	CK_INT(admins, 1);
	off.active = 1;
	CK_INT(UPD(s, OP_STAFF_UPD, &off, off.version), 0);
	CK_INT(store_staff_active_admins(R(s), ad.id, &admins, &err), 0);
	CK_INT(admins, 1);
	CK_INT(store_staff_active_admins(R(s), 0, &admins, &err), 0);
	CK_INT(admins, 2);
	off.active = 0;
	CK_INT(UPD(s, OP_STAFF_UPD, &off, off.version), 0);
	ad.role = ROLE_MANAGER;
	CK_INT(UPD(s, OP_STAFF_UPD, &ad, ad.version), 0);
	CK_INT(store_staff_active_admins(R(s), 0, &admins, &err), 0);
	CK_INT(admins, 0);
	arena_release(&a);
}

/* ---- tokens and sessions ------------------------------------------------------------------ */

static void case_tokens(struct store *s)
{
	struct arena a = ARENA_INIT;
	struct kp_err err = KP_ERR_INIT;
	int64_t s1 = new_staff(s, "token1@example.fi"), s2 = new_staff(s, "token2@example.fi");
	struct api_token t = { 0 }, t2 = { 0 }, got;
	struct token_list l;

	t.staff_id = s1;
	t.label = "integraatio";
	t.token_hash = "aa11";
	CK_INT(INS(s, OP_TOKEN_INS, &t), 0);
	CK(t.id > 0);
	t2.staff_id = s1;
	t2.label = "toinen";
	t2.token_hash = "aa11";
	CK_INT(INS(s, OP_TOKEN_INS, &t2), KP_ECONFLICT);
	t2.token_hash = "bb22";
	CK_INT(INS(s, OP_TOKEN_INS, &t2), 0);
	CK_INT(store_token_get_by_hash(R(s), "aa11", &got, &a, &err), 0);
	CK_INT(got.id, t.id);
	CK_INT(got.staff_id, s1);
	CK_STR(got.label, "integraatio");
	CK_INT(got.revoked_at, 0);
	CK_INT(W(s, OP_TOKEN_TOUCH, NULL, t.id, 1700000000123LL, 0, NULL), 0);
	CK_INT(store_token_get_by_hash(R(s), "aa11", &got, &a, &err), 0);
	CK_INT(got.last_used_at, 1700000000123LL);
	CK_INT(store_token_list(R(s), s1, &l, &a, &err), 0);
	CK_INT(l.n, 2);
	CK_INT(store_token_list(R(s), s2, &l, &a, &err), 0);
	CK_INT(l.n, 0);
	/* someone else's token is not found; the owner can revoke it */
	CK_INT(W(s, OP_TOKEN_REVOKE, NULL, t.id, s2, 0, NULL), KP_ENOTFOUND);
	CK_INT(W(s, OP_TOKEN_REVOKE, NULL, t.id, s1, 0, NULL), 0);
	CK_INT(store_token_get_by_hash(R(s), "aa11", &got, &a, &err), KP_ENOTFOUND);
	CK_INT(store_token_get_by_hash(R(s), "bb22", &got, &a, &err), 0);
	CK_INT(store_token_list(R(s), s1, &l, &a, &err), 0);
	CK_INT(l.n, 2);
	if (l.n == 2)
		CK(l.items[0].revoked_at > 0 || l.items[1].revoked_at > 0);
	CK_INT(W(s, OP_TOKEN_REVOKE, NULL, 999999, s1, 0, NULL), KP_ENOTFOUND);
	arena_release(&a);
}

static void case_sessions(struct store *s)
{
	struct arena a = ARENA_INIT;
	struct kp_err err = KP_ERR_INIT;
	int64_t s1 = new_staff(s, "session1@example.fi"), s2 = new_staff(s, "session2@example.fi");
	static const char *const ids[4] = { "sess-a", "sess-b", "sess-c", "sess-other" };
	struct session se, got;

	for (int i = 0; i < 4; i++) {
		memset(&se, 0, sizeof se);
		se.id_hash = ids[i];
		se.staff_id = i < 3 ? s1 : s2;
		se.csrf = "csrf-token";
		se.created_at = 1700000000000LL;
		se.expires_at = 1800000000000LL;
		CK_INT(INS(s, OP_SESSION_INS, &se), 0);
	}
	CK_INT(INS(s, OP_SESSION_INS, &se), KP_ECONFLICT);
	CK_INT(store_session_get(R(s), "sess-a", &got, &a, &err), 0);
	CK_INT(got.staff_id, s1);
	CK_STR(got.csrf, "csrf-token");
	CK_INT(got.expires_at, 1800000000000LL);
	CK_INT(W(s, OP_SESSION_DEL_STAFF, NULL, s1, 0, 0, "sess-b"), 0);
	CK_INT(store_session_get(R(s), "sess-a", &got, &a, &err), KP_ENOTFOUND);
	CK_INT(store_session_get(R(s), "sess-b", &got, &a, &err), 0);
	CK_INT(store_session_get(R(s), "sess-c", &got, &a, &err), KP_ENOTFOUND);
	CK_INT(store_session_get(R(s), "sess-other", &got, &a, &err), 0);
	CK_INT(W(s, OP_SESSION_DEL, NULL, 0, 0, 0, "sess-b"), 0);
	CK_INT(store_session_get(R(s), "sess-b", &got, &a, &err), KP_ENOTFOUND);
	CK_INT(W(s, OP_SESSION_DEL_STAFF, NULL, s2, 0, 0, NULL), 0);
	CK_INT(store_session_get(R(s), "sess-other", &got, &a, &err), KP_ENOTFOUND);
	/* a new session takes its staff member's expired ones with it (not another's, not live ones) */
	static const struct { const char *id; int staff; long long expires; } more[] = {
		{ "sess-old", 2, 1600000000000LL }, { "sess-live1", 1, 1800000000000LL }, { "sess-new", 2, 1800000000000LL },
	};
	for (int i = 0; i < 3; i++) {
		memset(&se, 0, sizeof se);
		se.id_hash = more[i].id;
		se.staff_id = more[i].staff == 1 ? s1 : s2;
		se.csrf = "csrf-token";
		se.expires_at = more[i].expires;
		CK_INT(INS(s, OP_SESSION_INS, &se), 0);
	}
	CK_INT(store_session_get(R(s), "sess-old", &got, &a, &err), KP_ENOTFOUND);
	CK_INT(store_session_get(R(s), "sess-live1", &got, &a, &err), 0);
	CK_INT(store_session_get(R(s), "sess-new", &got, &a, &err), 0);
	arena_release(&a);
}

/* ---- organisations ------------------------------------------------------------------------ */

static void case_orgs(struct store *s)
{
	struct arena a = ARENA_INIT;
	struct kp_err err = KP_ERR_INIT;
	const char *tags[2] = { "kumppani", "vip" };
	struct organization o = { 0 }, o2 = { 0 }, got;
	struct org_filter f = { 0 };
	struct store_page pg = { 0 };
	struct org_list l;
	struct customer cu = { 0 };
	int64_t v;

	o.name = "Rakennus Mäkinen Oy";
	o.business_id = "1234567-1";
	o.website = "https://makinen.example.fi";
	o.address_json = "{\"city\":\"Tampere\"}";
	o.tags = tags;
	o.ntags = 2;
	o.custom_json = "{\"segment\":\"b2b\"}";
	CK_INT(INS(s, OP_ORG_INS, &o), 0);
	CK(o.id > 0);
	CK_INT(o.version, 1);
	o2.name = "Äänekosken Sähkö Oy";
	o2.business_id = "7654321-0";
	o2.custom_json = "{}";
	CK_INT(INS(s, OP_ORG_INS, &o2), 0);

	CK_INT(store_org_get(R(s), o.id, &got, &a, &err), 0);
	CK_STR(got.name, "Rakennus Mäkinen Oy");
	CK_STR(got.business_id, "1234567-1");
	CK_STR(got.website, "https://makinen.example.fi");
	CK(got.phone == NULL);
	CK_STR(got.address_json, "{\"city\":\"Tampere\"}");
	CK_STR(got.custom_json, "{\"segment\":\"b2b\"}");
	CK_INT(got.ntags, 2);
	if (got.ntags == 2) {
		CK(!strcmp(got.tags[0], "kumppani") || !strcmp(got.tags[1], "kumppani"));
		CK(!strcmp(got.tags[0], "vip") || !strcmp(got.tags[1], "vip"));
	}
	CK_INT(store_org_get(R(s), 999999, &got, &a, &err), KP_ENOTFOUND);

	pg.limit = 50;
	f.tag = "vip";
	CK_INT(store_org_list(R(s), &f, &pg, &l, &a, &err), 0);
	CK_INT(l.n, 1);
	if (l.n == 1) {
		CK_INT(l.items[0].id, o.id);
		CK_INT(l.items[0].ntags, 2);
	}
	memset(&f, 0, sizeof f);
	f.business_id = "7654321-0";
	CK_INT(store_org_list(R(s), &f, &pg, &l, &a, &err), 0);
	CK_INT(l.n, 1);
	if (l.n == 1)
		CK_INT(l.items[0].id, o2.id);
	memset(&f, 0, sizeof f);
	f.name_prefix = "ääNEK";
	CK_INT(store_org_list(R(s), &f, &pg, &l, &a, &err), 0);
	CK_INT(l.n, 1);

	v = o.version;
	o.name = "Rakennus Mäkinen Ab";
	o.ntags = 1;
	CK_INT(UPD(s, OP_ORG_UPD, &o, v), 0);
	CK_INT(o.version, 2);
	CK_INT(UPD(s, OP_ORG_UPD, &o, v), KP_EPRECONDITION);
	CK_INT(store_org_get(R(s), o.id, &got, &a, &err), 0);
	CK_STR(got.name, "Rakennus Mäkinen Ab");
	CK_INT(got.ntags, 1);
	CK_INT(got.version, 2);

	/* an organisation with customers cannot be deleted */
	cu.name = "Matti Mäkinen";
	cu.org_id = o.id;
	cu.custom_json = "{}";
	CK_INT(INS(s, OP_CUST_INS, &cu), 0);
	CK_INT(DEL(s, OP_ORG_DEL, o.id, 2), KP_ECONFLICT);
	CK_INT(DEL(s, OP_CUST_DEL, cu.id, 1), 0);
	CK_INT(DEL(s, OP_ORG_DEL, o.id, 1), KP_EPRECONDITION);
	CK_INT(DEL(s, OP_ORG_DEL, o.id, 2), 0);
	CK_INT(store_org_get(R(s), o.id, &got, &a, &err), KP_ENOTFOUND);
	CK_INT(DEL(s, OP_ORG_DEL, o.id, 0), KP_ENOTFOUND);

	/* ... but one whose customers were all merged away can: they are no longer its own */
	struct organization o3 = { 0 };
	o3.name = "Sulautuva Oy";
	o3.custom_json = "{}";
	CK_INT(INS(s, OP_ORG_INS, &o3), 0);
	struct customer cx = { 0 }, cy = { 0 };
	cx.name = "Lähtevä Asiakas";
	cx.org_id = o3.id;
	cx.custom_json = "{}";
	CK_INT(INS(s, OP_CUST_INS, &cx), 0);
	cy.name = "Jäävä Asiakas";
	cy.custom_json = "{}";
	CK_INT(INS(s, OP_CUST_INS, &cy), 0);
	CK_INT(DEL(s, OP_ORG_DEL, o3.id, 1), KP_ECONFLICT);
	CK_INT(W(s, OP_CUST_MERGE, NULL, cx.id, cy.id, 0, NULL), 0);
	CK_INT(DEL(s, OP_ORG_DEL, o3.id, 1), 0);
	arena_release(&a);
}

/* ---- customers ---------------------------------------------------------------------------- */

static void case_customer_crud(struct store *s)
{
	struct arena a = ARENA_INIT;
	struct kp_err err = KP_ERR_INIT;
	struct contact_point cps[3] = {
		{ 0, "email", "liisa@example.fi", "työ", 1 },
		{ 0, "phone", "+358401234567", NULL, 0 },
		{ 0, "address", "{\"street\":\"Hämeenkatu 1\",\"city\":\"Tampere\"}", "koti", 0 },
	};
	const char *tags[2] = { "asiakas", "uutiskirje" };
	struct customer cu = { 0 }, got;
	int64_t owner = new_staff(s, "owner-crud@example.fi");

	cu.name = "Liisa Nieminen";
	cu.owner_id = owner;
	cu.contacts = cps;
	cu.ncontacts = 3;
	cu.tags = tags;
	cu.ntags = 2;
	cu.custom_json = "{\"asiakasnumero\":\"42\"}";
	cu.flags = CUSTOMER_FLAG_ABUSIVE;
	CK_INT(INS(s, OP_CUST_INS, &cu), 0);
	CK(cu.id > 0);
	CK_INT(cu.version, 1);
	CK(cu.created_at > 0 && cu.updated_at == cu.created_at);

	CK_INT(store_customer_get(R(s), cu.id, &got, &a, &err), 0);
	CK_STR(got.name, "Liisa Nieminen");
	CK_INT(got.owner_id, owner);
	CK_INT(got.org_id, 0);
	CK_INT(got.merged_into, 0);
	CK_INT(got.flags, CUSTOMER_FLAG_ABUSIVE);
	CK_STR(got.custom_json, "{\"asiakasnumero\":\"42\"}");
	CK_INT(got.version, 1);
	CK_INT(got.ncontacts, 3);
	if (got.ncontacts == 3) {
		CK_STR(got.contacts[0].kind, "email");
		CK_STR(got.contacts[0].value, "liisa@example.fi");
		CK_STR(got.contacts[0].label, "työ");
		CK_INT(got.contacts[0].primary, 1);
		CK_STR(got.contacts[1].kind, "phone");
		CK_STR(got.contacts[1].value, "+358401234567");
		CK(got.contacts[1].label == NULL);
		CK_INT(got.contacts[1].primary, 0);
		CK_STR(got.contacts[2].kind, "address");
	}
	CK_INT(got.ntags, 2);
	if (got.ntags == 2) {
		CK(!strcmp(got.tags[0], "asiakas") || !strcmp(got.tags[1], "asiakas"));
		CK(!strcmp(got.tags[0], "uutiskirje") || !strcmp(got.tags[1], "uutiskirje"));
	}

	/* the brief read: the row's own columns, no contacts, tags or custom values */
	memset(&got, 0xa5, sizeof got);
	CK_INT(store_customer_get_brief(R(s), cu.id, &got, &a, &err), 0);
	CK_INT(got.id, cu.id);
	CK_STR(got.name, "Liisa Nieminen");
	CK_INT(got.owner_id, owner);
	CK_INT(got.org_id, 0);
	CK_INT(got.merged_into, 0);
	CK_INT(got.flags, CUSTOMER_FLAG_ABUSIVE);
	CK_INT(got.version, 1);
	CK_INT(got.created_at, cu.created_at);
	CK_INT(got.updated_at, cu.updated_at);
	CK(got.ncontacts == 0 || got.contacts != NULL); /* the full-read fallback may fill them */
	CK(got.ntags == 0 || got.tags != NULL);
	kp_err_init(&err);
	CK_INT(store_customer_get_brief(R(s), 999999, &got, &a, &err), KP_ENOTFOUND);

	/* update replaces contacts and tags */
	cu.name = "Liisa Nieminen-Koski";
	cu.ncontacts = 1;
	cu.ntags = 1;
	cu.flags = 0;
	CK_INT(UPD(s, OP_CUST_UPD, &cu, 1), 0);
	CK_INT(cu.version, 2);
	CK(cu.updated_at >= cu.created_at);
	CK_INT(store_customer_get(R(s), cu.id, &got, &a, &err), 0);
	CK_STR(got.name, "Liisa Nieminen-Koski");
	CK_INT(got.ncontacts, 1);
	CK_INT(got.ntags, 1);
	CK_INT(got.flags, 0);
	CK_INT(got.version, 2);
	CK_INT(UPD(s, OP_CUST_UPD, &cu, 1), KP_EPRECONDITION);
	CK_INT(UPD(s, OP_CUST_UPD, &cu, 0), 0); /* 0 skips the check */
	CK_INT(cu.version, 3);

	CK_INT(store_customer_get(R(s), 999999, &got, &a, &err), KP_ENOTFOUND);
	CK_INT(DEL(s, OP_CUST_DEL, cu.id, 2), KP_EPRECONDITION);
	CK_INT(DEL(s, OP_CUST_DEL, cu.id, 3), 0);
	CK_INT(store_customer_get(R(s), cu.id, &got, &a, &err), KP_ENOTFOUND);
	CK_INT(DEL(s, OP_CUST_DEL, cu.id, 0), KP_ENOTFOUND);

	/* an id is never given out twice: not after the newest customer is deleted, nor the
	 * newest interaction with it (a cascade) */
	struct customer nc = { 0 };
	nc.name = "Uusin Asiakas";
	nc.custom_json = "{}";
	CK_INT(INS(s, OP_CUST_INS, &nc), 0);
	struct interaction ni = { 0 };
	ni.customer_id = nc.id;
	ni.kind = "call";
	ni.direction = "inbound";
	ni.occurred_at = 1700000000000LL;
	CK_INT(INS(s, OP_INTER_INS, &ni), 0);
	int64_t gone_c = nc.id, gone_i = ni.id;
	CK_INT(DEL(s, OP_CUST_DEL, nc.id, 1), 0);
	nc = (struct customer){ 0 };
	nc.name = "Seuraava Asiakas";
	nc.custom_json = "{}";
	CK_INT(INS(s, OP_CUST_INS, &nc), 0);
	CK(nc.id > gone_c);
	ni.id = 0;
	ni.customer_id = nc.id;
	CK_INT(INS(s, OP_INTER_INS, &ni), 0);
	CK(ni.id > gone_i);
	/* two newest rows deleted in a row, the newer first: the floor stays the higher one */
	struct customer c1 = { 0 }, c2 = { 0 }, c3 = { 0 };
	c1.name = "Kolmas Viimeinen";
	c1.custom_json = c2.custom_json = c3.custom_json = "{}";
	c2.name = "Toinen Viimeinen";
	CK_INT(INS(s, OP_CUST_INS, &c1), 0);
	CK_INT(INS(s, OP_CUST_INS, &c2), 0);
	int64_t top = c2.id;
	CK_INT(DEL(s, OP_CUST_DEL, c2.id, 1), 0);
	CK_INT(DEL(s, OP_CUST_DEL, c1.id, 1), 0);
	c3.name = "Uusi Viimeinen";
	CK_INT(INS(s, OP_CUST_INS, &c3), 0);
	CK(c3.id > top);
	arena_release(&a);
}

static const char *page_key(struct arena *a, const struct customer *cu, int sort)
{
	switch (sort) {
	case STORE_SORT_NAME: return cu->name;
	case STORE_SORT_CREATED: return arena_printf(a, "%lld", (long long)cu->created_at);
	case STORE_SORT_UPDATED: return arena_printf(a, "%lld", (long long)cu->updated_at);
	default: return NULL;
	}
}

/* Walk every page of tag's customers; out gets the ids in order. Returns the count. */
static size_t walk_pages(struct store *s, const char *tag, int sort, int desc, int limit, int64_t *out, size_t cap)
{
	struct arena a = ARENA_INIT;
	struct kp_err err = KP_ERR_INIT;
	struct customer_filter f = { 0 };
	struct store_page pg = { 0 };
	size_t n = 0;
	int guard = 0;

	f.tag = tag;
	pg.limit = limit;
	pg.sort = sort;
	pg.desc = desc;
	for (;;) {
		struct customer_list l;
		int rc = store_customer_list(R(s), &f, &pg, &l, &a, &err);
		if (rc) {
			ct_fail(__FILE__, __LINE__, "list sort %d desc %d: %s", sort, desc, err.msg);
			break;
		}
		for (size_t i = 0; i < l.n && n < cap; i++) {
			if (i > 0 && sort == STORE_SORT_CREATED) {
				int64_t x = l.items[i - 1].created_at, y = l.items[i].created_at;
				if (desc ? x < y : x > y)
					ct_fail(__FILE__, __LINE__, "created_at out of order (desc %d)", desc);
			}
			if (i > 0 && sort == STORE_SORT_ID && (desc ? l.items[i - 1].id < l.items[i].id
								     : l.items[i - 1].id > l.items[i].id))
				ct_fail(__FILE__, __LINE__, "ids out of order (desc %d)", desc);
			out[n++] = l.items[i].id;
		}
		if (l.n > (size_t)limit)
			ct_fail(__FILE__, __LINE__, "page of %zu for limit %d", l.n, limit);
		if (!l.more || l.n == 0 || ++guard > 100)
			break;
		pg.has_after = 1;
		pg.after_id = l.items[l.n - 1].id;
		pg.after_key = page_key(&a, &l.items[l.n - 1], sort);
	}
	arena_release(&a);
	return n;
}

static void case_customer_pagination(struct store *s)
{
	static const char *const names[] = { "Aino Aalto", "aino aalto", "Äijälä Eero", "Öhman Olli", "Bertta Berg",
					     "Virtanen Ville", "Korhonen Kalle", "Mäkinen Maija", "Nieminen Niko",
					     "Laine Lauri", "Heikkinen Hanna", "Koskinen Kaisa", "Järvinen Jussi",
					     "Lehtonen Leena", "Saarinen Sami", "Salminen Satu", "Heinonen Heikki",
					     "Niemi Noora", "Heikkilä Harri", "Kinnunen Kirsi", "Salonen Sanna",
					     "Turunen Tuomas", "Salo Sari", "Laitinen Lasse", "Tuominen Tiina" };
	const size_t total = sizeof names / sizeof names[0];
	int64_t ids[32], fwd[64], back[64];
	const char *tags[1] = { "pagetest" };

	for (size_t i = 0; i < total; i++) {
		struct customer cu = { 0 };
		cu.name = names[i];
		cu.tags = tags;
		cu.ntags = 1;
		cu.custom_json = "{}";
		cu.created_at = 1700000000000LL + (int64_t)(i % 4) * 1000; /* ties on purpose */
		CK_INT(INS(s, OP_CUST_INS, &cu), 0);
		ids[i] = cu.id;
	}
	for (int sort = STORE_SORT_ID; sort <= STORE_SORT_UPDATED; sort++) {
		for (int limit = 1; limit <= 10; limit += 3) {
			size_t nf = walk_pages(s, "pagetest", sort, 0, limit, fwd, 64);
			size_t nb = walk_pages(s, "pagetest", sort, 1, limit, back, 64);
			CK_INT(nf, total);
			CK_INT(nb, total);
			/* no duplicates, no gaps: every id exactly once */
			for (size_t i = 0; i < total; i++) {
				int seen = 0;
				for (size_t j = 0; j < nf; j++)
					seen += fwd[j] == ids[i];
				if (seen != 1)
					ct_fail(__FILE__, __LINE__, "sort %d limit %d: id %lld seen %d times", sort, limit,
						(long long)ids[i], seen);
			}
			/* descending is ascending reversed */
			if (nf == total && nb == total)
				for (size_t i = 0; i < total; i++)
					if (fwd[i] != back[total - 1 - i]) {
						ct_fail(__FILE__, __LINE__, "sort %d limit %d: desc is not asc reversed", sort,
							limit);
						break;
					}
		}
	}
	/* the name order is case-insensitive: "Aino Aalto" and "aino aalto" sit together
	 * (where accented names go depends on the backend's collation, so only this is checked) */
	{
		size_t nf = walk_pages(s, "pagetest", STORE_SORT_NAME, 0, 5, fwd, 64);
		CK_INT(nf, total);
		size_t p0 = total, p1 = total;
		for (size_t i = 0; i < nf; i++) {
			if (fwd[i] == ids[0])
				p0 = i;
			if (fwd[i] == ids[1])
				p1 = i;
		}
		CK(p0 < total && p1 < total && (p0 + 1 == p1 || p1 + 1 == p0));
	}
}

static void case_customer_filters(struct store *s)
{
	struct arena a = ARENA_INIT;
	struct kp_err err = KP_ERR_INIT;
	struct customer_filter f = { 0 };
	struct store_page pg = { 0 };
	struct customer_list l;
	struct organization o = { 0 };
	struct contact_point cps[2] = { { 0, "email", "filter.one@example.fi", NULL, 1 },
					{ 0, "phone", "+358501112233", NULL, 0 } };
	const char *tags[2] = { "suodatin", "kulta" };
	struct customer c1 = { 0 }, c2 = { 0 };
	int64_t owner = new_staff(s, "owner-filter@example.fi");
	int64_t c3;

	o.name = "Suodatin Oy";
	o.custom_json = "{}";
	CK_INT(INS(s, OP_ORG_INS, &o), 0);
	c1.name = "Filtteri Yksi";
	c1.contacts = cps;
	c1.ncontacts = 2;
	c1.tags = tags;
	c1.ntags = 2;
	c1.org_id = o.id;
	c1.owner_id = owner;
	c1.flags = CUSTOMER_FLAG_ABUSIVE;
	c1.custom_json = "{}";
	CK_INT(INS(s, OP_CUST_INS, &c1), 0);
	c2.name = "filtteri Kaksi";
	c2.tags = tags;
	c2.ntags = 1;
	c2.custom_json = "{}";
	CK_INT(INS(s, OP_CUST_INS, &c2), 0);
	c3 = new_customer(s, "Muu Asiakas", "suodatin", NULL);

	pg.limit = 50;
	f.tag = "suodatin";
	CK_INT(store_customer_list(R(s), &f, &pg, &l, &a, &err), 0);
	CK_INT(l.n, 3);
	f.tag = "kulta";
	CK_INT(store_customer_list(R(s), &f, &pg, &l, &a, &err), 0);
	CK_INT(l.n, 1);
	if (l.n == 1) {
		CK_INT(l.items[0].id, c1.id);
		CK_INT(l.items[0].ncontacts, 2); /* lists carry contacts and tags too */
		CK_INT(l.items[0].ntags, 2);
	}
	memset(&f, 0, sizeof f);
	f.email = "filter.one@example.fi";
	CK_INT(store_customer_list(R(s), &f, &pg, &l, &a, &err), 0);
	CK_INT(l.n, 1);
	memset(&f, 0, sizeof f);
	f.phone = "+358501112233";
	CK_INT(store_customer_list(R(s), &f, &pg, &l, &a, &err), 0);
	CK_INT(l.n, 1);
	f.phone = "+358000000000";
	CK_INT(store_customer_list(R(s), &f, &pg, &l, &a, &err), 0);
	CK_INT(l.n, 0);
	memset(&f, 0, sizeof f);
	f.name_prefix = "FILTTERI";
	CK_INT(store_customer_list(R(s), &f, &pg, &l, &a, &err), 0);
	CK_INT(l.n, 2);
	memset(&f, 0, sizeof f);
	f.org_id = o.id;
	CK_INT(store_customer_list(R(s), &f, &pg, &l, &a, &err), 0);
	CK_INT(l.n, 1);
	memset(&f, 0, sizeof f);
	f.owner_id = owner;
	CK_INT(store_customer_list(R(s), &f, &pg, &l, &a, &err), 0);
	CK_INT(l.n, 1);
	memset(&f, 0, sizeof f);
	f.tag = "suodatin";
	f.flags = CUSTOMER_FLAG_ABUSIVE;
	CK_INT(store_customer_list(R(s), &f, &pg, &l, &a, &err), 0);
	CK_INT(l.n, 1);
	memset(&f, 0, sizeof f);
	f.tag = "suodatin";
	f.updated_after = c2.updated_at - 1;
	CK_INT(store_customer_list(R(s), &f, &pg, &l, &a, &err), 0);
	CK(l.n >= 2); /* c2 and c3 were written after c1's time minus nothing; at least these two */
	(void)c3;
	arena_release(&a);
}

/* ---- custom fields ------------------------------------------------------------------------- */

static void case_fields(struct store *s)
{
	struct arena a = ARENA_INIT;
	struct kp_err err = KP_ERR_INIT;
	struct field_def fd = { 0 }, fd2 = { 0 }, fd3 = { 0 }, got;
	struct field_def_list l;

	fd.entity = "customer";
	fd.key = "segmentti";
	fd.label = "Segmentti";
	fd.type = "choice";
	fd.choices_json = "[\"A\",\"B\"]";
	fd.required = 1;
	CK_INT(INS(s, OP_FIELD_INS, &fd), 0);
	CK(fd.id > 0);
	fd2 = fd;
	fd2.id = 0;
	CK_INT(INS(s, OP_FIELD_INS, &fd2), KP_ECONFLICT);
	fd2.entity = "organization";
	CK_INT(INS(s, OP_FIELD_INS, &fd2), 0);
	CK_INT(fd2.id, fd.id + 1); /* the refused duplicate spent no id (as on SQLite) */
	fd3.entity = "customer";
	fd3.key = "asiakasnumero";
	fd3.label = "Asiakasnumero";
	fd3.type = "text";
	CK_INT(INS(s, OP_FIELD_INS, &fd3), 0);
	CK_INT(store_field_get(R(s), fd.id, &got, &a, &err), 0);
	CK_STR(got.key, "segmentti");
	CK_STR(got.type, "choice");
	CK_STR(got.choices_json, "[\"A\",\"B\"]");
	CK_INT(got.required, 1);
	CK_INT(store_field_list(R(s), "customer", &l, &a, &err), 0);
	CK_INT(l.n, 2);
	if (l.n == 2) {
		CK_STR(l.items[0].key, "asiakasnumero");
		CK_STR(l.items[1].key, "segmentti");
	}
	CK_INT(store_field_list(R(s), NULL, &l, &a, &err), 0);
	CK_INT(l.n, 3);
	if (l.n == 3)
		CK_STR(l.items[2].entity, "organization");
	fd.label = "Asiakassegmentti";
	CK_INT(UPD(s, OP_FIELD_UPD, &fd, 1), 0);
	CK_INT(fd.version, 2);
	CK_INT(UPD(s, OP_FIELD_UPD, &fd, 1), KP_EPRECONDITION);
	fd3.key = "segmentti"; /* now clashes with fd */
	CK_INT(UPD(s, OP_FIELD_UPD, &fd3, 1), KP_ECONFLICT);
	CK_INT(DEL(s, OP_FIELD_DEL, fd.id, 1), KP_EPRECONDITION);
	CK_INT(DEL(s, OP_FIELD_DEL, fd.id, 2), 0);
	CK_INT(store_field_get(R(s), fd.id, &got, &a, &err), KP_ENOTFOUND);
	arena_release(&a);
}

/* ---- timeline ------------------------------------------------------------------------------ */

static void case_notes_interactions(struct store *s)
{
	struct arena a = ARENA_INIT;
	struct kp_err err = KP_ERR_INIT;
	int64_t cid = new_customer(s, "Aikajana Asiakas", "aikajana", NULL);
	int64_t staff = new_staff(s, "timeline@example.fi");
	struct interaction it, got;
	struct interaction_filter f = { 0 };
	struct store_page pg = { 0 };
	struct interaction_list l;
	struct note n = { 0 }, ngot;
	struct note_list nl;
	int64_t iids[12];
	int64_t seen_prev_at = INT64_MAX, seen_prev_id = INT64_MAX;
	size_t total = 0;

	for (int i = 0; i < 12; i++) {
		memset(&it, 0, sizeof it);
		it.customer_id = cid;
		it.staff_id = staff;
		it.kind = i % 3 == 0 ? "call" : "email";
		it.direction = i % 2 ? "inbound" : "outbound";
		it.channel = "puhelin";
		it.summary = "Soitto";
		it.body = "Asiakas soitti";
		it.abusive = i == 5;
		it.occurred_at = 1700000000000LL + (i / 2) * 60000; /* pairs share a time */
		CK_INT(INS(s, OP_INTER_INS, &it), 0);
		iids[i] = it.id;
	}
	CK_INT(store_interaction_get(R(s), iids[5], &got, &a, &err), 0);
	CK_INT(got.customer_id, cid);
	CK_INT(got.staff_id, staff);
	CK_STR(got.kind, "email");
	CK_STR(got.direction, "inbound");
	CK_STR(got.channel, "puhelin");
	CK_INT(got.abusive, 1);
	CK(got.analysis_json == NULL);
	CK_INT(got.occurred_at, 1700000000000LL + 2 * 60000);

	/* newest first, paged by (occurred_at, id) */
	f.customer_id = cid;
	pg.limit = 5;
	pg.sort = STORE_SORT_OCCURRED;
	pg.desc = 1;
	for (int guard = 0; guard < 10; guard++) {
		CK_INT(store_interaction_list(R(s), &f, &pg, &l, &a, &err), 0);
		for (size_t i = 0; i < l.n; i++) {
			int64_t at = l.items[i].occurred_at, id = l.items[i].id;
			CK(at < seen_prev_at || (at == seen_prev_at && id < seen_prev_id));
			seen_prev_at = at;
			seen_prev_id = id;
		}
		total += l.n;
		if (!l.more || !l.n)
			break;
		pg.has_after = 1;
		pg.after_id = l.items[l.n - 1].id;
		pg.after_key = arena_printf(&a, "%lld", (long long)l.items[l.n - 1].occurred_at);
	}
	CK_INT(total, 12);
	memset(&pg, 0, sizeof pg);
	pg.limit = 50;
	pg.sort = STORE_SORT_OCCURRED;
	pg.desc = 1;
	f.kind = "call";
	CK_INT(store_interaction_list(R(s), &f, &pg, &l, &a, &err), 0);
	CK_INT(l.n, 4);
	f.kind = NULL;
	f.abusive_only = 1;
	CK_INT(store_interaction_list(R(s), &f, &pg, &l, &a, &err), 0);
	CK_INT(l.n, 1);
	f.abusive_only = 0;
	f.from = 1700000000000LL + 60000;
	f.to = 1700000000000LL + 3 * 60000;
	CK_INT(store_interaction_list(R(s), &f, &pg, &l, &a, &err), 0);
	CK_INT(l.n, 4);
	memset(&f, 0, sizeof f);
	f.staff_id = staff;
	CK_INT(store_interaction_list(R(s), &f, &pg, &l, &a, &err), 0);
	CK_INT(l.n, 12);

	got.summary = "Muutettu";
	CK_INT(UPD(s, OP_INTER_UPD, &got, 1), 0);
	CK_INT(got.version, 2);
	/* an incremental sync: updated after a time (strictly), in the order of the change */
	memset(&pg, 0, sizeof pg);
	pg.limit = 50;
	pg.sort = STORE_SORT_UPDATED;
	f.updated_after = got.updated_at - 1;
	CK_INT(store_interaction_list(R(s), &f, &pg, &l, &a, &err), 0);
	int found = 0;
	for (size_t i = 0; i < l.n; i++) {
		CK(l.items[i].updated_at > f.updated_after);
		CK(i == 0 || l.items[i].updated_at > l.items[i - 1].updated_at ||
		   (l.items[i].updated_at == l.items[i - 1].updated_at && l.items[i].id > l.items[i - 1].id));
		found |= l.items[i].id == got.id;
	}
	CK(found);
	f.updated_after = got.updated_at;
	CK_INT(store_interaction_list(R(s), &f, &pg, &l, &a, &err), 0);
	for (size_t i = 0; i < l.n; i++)
		CK(l.items[i].id != got.id && l.items[i].updated_at > got.updated_at);
	f.updated_after = 0;
	CK_INT(UPD(s, OP_INTER_UPD, &got, 1), KP_EPRECONDITION);
	CK_INT(DEL(s, OP_INTER_DEL, iids[0], 2), KP_EPRECONDITION);
	CK_INT(DEL(s, OP_INTER_DEL, iids[0], 1), 0);
	CK_INT(store_interaction_get(R(s), iids[0], &got, &a, &err), KP_ENOTFOUND);

	/* notes */
	n.customer_id = cid;
	n.author_id = staff;
	n.body = "Ensimmäinen muistiinpano";
	CK_INT(INS(s, OP_NOTE_INS, &n), 0);
	n.id = 0;
	n.body = "Toinen muistiinpano";
	CK_INT(INS(s, OP_NOTE_INS, &n), 0);
	CK_INT(store_note_get(R(s), n.id, &ngot, &a, &err), 0);
	CK_STR(ngot.body, "Toinen muistiinpano");
	CK_INT(ngot.customer_id, cid);
	CK_INT(ngot.org_id, 0);
	CK_INT(ngot.author_id, staff);
	memset(&pg, 0, sizeof pg);
	pg.limit = 10;
	pg.sort = STORE_SORT_CREATED;
	pg.desc = 1;
	CK_INT(store_note_list(R(s), cid, 0, &pg, &nl, &a, &err), 0);
	CK_INT(nl.n, 2);
	if (nl.n == 2)
		CK_INT(nl.items[0].id, n.id); /* newest first */
	ngot.body = "Korjattu";
	CK_INT(UPD(s, OP_NOTE_UPD, &ngot, 1), 0);
	CK_INT(UPD(s, OP_NOTE_UPD, &ngot, 1), KP_EPRECONDITION);
	CK_INT(DEL(s, OP_NOTE_DEL, n.id, 2), 0);
	CK_INT(store_note_get(R(s), n.id, &ngot, &a, &err), KP_ENOTFOUND);
	CK_INT(DEL(s, OP_NOTE_DEL, n.id, 0), KP_ENOTFOUND);

	/* deleting the customer takes its history along */
	CK_INT(DEL(s, OP_CUST_DEL, cid, 0), 0);
	CK_INT(store_interaction_get(R(s), iids[1], &got, &a, &err), KP_ENOTFOUND);
	arena_release(&a);
}

static void case_merge(struct store *s)
{
	struct arena a = ARENA_INIT;
	struct kp_err err = KP_ERR_INIT;
	int64_t from = new_customer(s, "Yhdistettävä Lähde", "yhdistys", "lahde@example.fi");
	int64_t into = new_customer(s, "Yhdistettävä Kohde", "yhdistys", "kohde@example.fi");
	struct interaction it = { 0 };
	struct note n = { 0 };
	struct interaction_filter f = { 0 };
	struct customer_filter cf = { 0 };
	struct store_page pg = { 0 };
	struct interaction_list l;
	struct note_list nl;
	struct customer_list cl;
	struct customer got;
	struct search_result sr;

	it.customer_id = from;
	it.kind = "call";
	it.direction = "inbound";
	it.summary = "Reklamaatio toimituksesta";
	it.occurred_at = 1700000000000LL;
	CK_INT(INS(s, OP_INTER_INS, &it), 0);
	n.customer_id = from;
	n.body = "Lähteen muistiinpano";
	CK_INT(INS(s, OP_NOTE_INS, &n), 0);

	CK_INT(W(s, OP_CUST_MERGE, NULL, from, into, 0, NULL), 0);
	CK_INT(store_customer_get(R(s), from, &got, &a, &err), 0);
	CK_INT(got.merged_into, into);
	CK_INT(got.version, 2);
	CK_INT(store_customer_get_brief(R(s), from, &got, &a, &err), 0);
	CK_INT(got.merged_into, into);
	CK_INT(got.version, 2);
	f.customer_id = into;
	pg.limit = 50;
	pg.sort = STORE_SORT_OCCURRED;
	pg.desc = 1;
	CK_INT(store_interaction_list(R(s), &f, &pg, &l, &a, &err), 0);
	CK_INT(l.n, 1);
	f.customer_id = from;
	CK_INT(store_interaction_list(R(s), &f, &pg, &l, &a, &err), 0);
	CK_INT(l.n, 0);
	memset(&pg, 0, sizeof pg);
	pg.limit = 50;
	pg.sort = STORE_SORT_CREATED;
	pg.desc = 1;
	CK_INT(store_note_list(R(s), into, 0, &pg, &nl, &a, &err), 0);
	CK_INT(nl.n, 1);
	CK_INT(store_note_list(R(s), from, 0, &pg, &nl, &a, &err), 0);
	CK_INT(nl.n, 0);

	/* the tombstone is left out of lists unless asked for */
	memset(&pg, 0, sizeof pg);
	pg.limit = 50;
	cf.tag = "yhdistys";
	CK_INT(store_customer_list(R(s), &cf, &pg, &cl, &a, &err), 0);
	CK_INT(cl.n, 1);
	if (cl.n == 1)
		CK_INT(cl.items[0].id, into);
	cf.include_merged = 1;
	CK_INT(store_customer_list(R(s), &cf, &pg, &cl, &a, &err), 0);
	CK_INT(cl.n, 2);

	/* search finds the moved interaction under its new customer, not the tombstone */
	CK_INT(store_search(R(s), "reklamaatio", NULL, 20, 0, &sr, &a, &err), 0);
	CK_INT(sr.n, 1);
	if (sr.n == 1) {
		CK_STR(sr.items[0].entity, "interaction");
		CK_INT(sr.items[0].customer_id, into);
	}
	CK_INT(store_search(R(s), "Lähde", NULL, 20, 0, &sr, &a, &err), 0);
	for (size_t i = 0; i < sr.n; i++)
		CK(!(strcmp(sr.items[i].entity, "customer") == 0 && sr.items[i].id == from));

	CK_INT(W(s, OP_CUST_MERGE, NULL, from, into, 0, NULL), KP_ECONFLICT);
	CK_INT(W(s, OP_CUST_MERGE, NULL, into, into, 0, NULL), KP_ECONFLICT);
	CK_INT(W(s, OP_CUST_MERGE, NULL, 999999, into, 0, NULL), KP_ENOTFOUND);
	arena_release(&a);
}

/* A customer's delete (domain/customer.h) takes the tombstones merged into it, a chain too,
 * each audited; store_customer_tombstones finds them, and with into 0 the ones an older
 * version left merged into a deleted customer (or into a tombstone), which
 * customer_tombstone_repair deletes (or re-points); the backup then takes the database. */
struct ct_tomb {
	int step;
	int64_t a, b, c, x, y, z, d, e, f, g, h, n;
	int64_t counted;
	struct arena *ar;
};

static int ct_tomb_run(struct store_conn *c, void *arg, struct kp_err *err)
{
	struct ct_tomb *t = arg;
	struct actor who = {0, ROLE_ADMIN, "tombstone-test", NULL};
	struct customer out;
	switch (t->step) {
	case 0: /* B and C into A */
		return customer_merge(c, &who, t->a, t->b, NULL, &out, t->ar, err) ||
		               customer_merge(c, &who, t->a, t->c, NULL, &out, t->ar, err)
		           ? err->status
		           : 0;
	case 1: return customer_delete_counted(c, &who, t->a, NULL, &t->counted, t->ar, err);
	case 2: /* X into Y, Y into Z, then Z deleted */
		return customer_merge(c, &who, t->y, t->x, NULL, &out, t->ar, err) ||
		               customer_merge(c, &who, t->z, t->y, NULL, &out, t->ar, err) ||
		               customer_delete(c, &who, t->z, NULL, t->ar, err)
		           ? err->status
		           : 0;
	case 3: /* as an older version left them: E merged into D, D deleted without E; F merged
	         * into G, G into H without F re-pointed */
		if (customer_merge(c, &who, t->d, t->e, NULL, &out, t->ar, err) ||
		    customer_merge(c, &who, t->h, t->g, NULL, &out, t->ar, err) ||
		    customer_merge(c, &who, t->h, t->f, NULL, &out, t->ar, err))
			return err->status;
		if (store_customer_get(c, t->d, &out, t->ar, err) || store_customer_delete(c, t->d, out.version, err) ||
		    store_customer_get(c, t->f, &out, t->ar, err))
			return err->status;
		out.merged_into = t->g;
		return store_customer_update(c, &out, out.version, err);
	}
	return KP_EINTERNAL;
}

static size_t ct_tombstones(struct store *s, int64_t into, int64_t *ids, size_t max)
{
	struct kp_err err = KP_ERR_INIT;
	size_t n = 0;
	CK_INT(store_customer_tombstones(R(s), into, 0, max, ids, &n, &err), 0);
	return n;
}

static void case_merge_delete_tombstones(struct store *s)
{
	struct arena a = ARENA_INIT;
	struct kp_err err = KP_ERR_INIT;
	struct customer got;
	struct ct_tomb t = {.ar = &a};
	int64_t ids[8];
	t.a = new_customer(s, "Hautakivi Aino", "hautakivi", "aino@example.fi");
	t.b = new_customer(s, "Hautakivi Bertta", "hautakivi", "bertta@example.fi");
	t.c = new_customer(s, "Hautakivi Cecilia", "hautakivi", "cecilia@example.fi");
	CK_INT(store_exec(s, ct_tomb_run, &t, &err), 0);
	CK_INT(ct_tombstones(s, t.a, ids, 8), 2);
	CK_INT(ids[0], t.b);
	CK_INT(ids[1], t.c);
	CK_INT(ct_tombstones(s, t.a, ids, 1), 1); /* at most max */
	CK_INT(ct_tombstones(s, 0, ids, 8), 0);   /* none dangling */
	t.step = 1;
	CK_INT(store_exec(s, ct_tomb_run, &t, &err), 0);
	CK_INT(t.counted, 2);
	CK_INT(store_customer_get(R(s), t.b, &got, &a, &err), KP_ENOTFOUND);
	CK_INT(store_customer_get(R(s), t.c, &got, &a, &err), KP_ENOTFOUND);
	CK_INT(ct_tombstones(s, t.a, ids, 8), 0);
	CK_INT(ct_tombstones(s, 0, ids, 8), 0);
	/* each tombstone's delete audited with the customer that took it */
	struct audit_filter af = {.entity = "customer", .entity_id = t.c, .action = "delete", .limit = 5};
	struct audit_list al = {0};
	CK_INT(store_audit_list(R(s), &af, &al, &a, &err), 0);
	CK_INT(al.n, 1);
	if (al.n == 1) {
		json_t *ch = json_loads(al.items[0].changes_json, 0, NULL);
		CK_INT(json_integer_value(json_object_get(ch, "deleted_with_customer")), t.a);
		json_decref(ch);
	}
	af.entity_id = t.a;
	CK_INT(store_audit_list(R(s), &af, &al, &a, &err), 0);
	CK(al.n == 1 && strstr(al.items[0].changes_json, "\"merged_deleted\""));
	/* C, the newest row, deleted: its id is not given out again */
	int64_t next = new_customer(s, "Hautakivi Uusi", NULL, NULL);
	CK(next > t.c);

	/* a chain goes whole */
	t.x = new_customer(s, "Ketju Xenia", NULL, NULL);
	t.y = new_customer(s, "Ketju Yrjö", NULL, NULL);
	t.z = new_customer(s, "Ketju Zacharias", NULL, NULL);
	t.step = 2;
	CK_INT(store_exec(s, ct_tomb_run, &t, &err), 0);
	CK_INT(store_customer_get(R(s), t.x, &got, &a, &err), KP_ENOTFOUND);
	CK_INT(store_customer_get(R(s), t.y, &got, &a, &err), KP_ENOTFOUND);
	CK_INT(store_customer_get(R(s), t.z, &got, &a, &err), KP_ENOTFOUND);

	/* what an older version left: found, repaired at start, then backed up */
	t.d = new_customer(s, "Vanha Doris", NULL, NULL);
	t.e = new_customer(s, "Vanha Eemeli", NULL, NULL);
	t.f = new_customer(s, "Vanha Fanni", NULL, NULL);
	t.g = new_customer(s, "Vanha Gunnar", NULL, NULL);
	t.h = new_customer(s, "Vanha Hilda", NULL, NULL);
	t.step = 3;
	CK_INT(store_exec(s, ct_tomb_run, &t, &err), 0);
	CK_INT(ct_tombstones(s, 0, ids, 8), 2);
	CK_INT(ids[0], t.e);
	CK_INT(ids[1], t.f);
	char path[512];
	if (strncmp(ct_url, "sqlite:", 7) == 0)
		snprintf(path, sizeof path, "%s.tomb-backup-%d", ct_url + 7, (int)getpid());
	else
		snprintf(path, sizeof path, "/tmp/kumppani-contract-tomb-backup-%d.json", (int)getpid());
	unlink(path);
	/* (SQLite's backup checks its copy: refused; PostgreSQL's restore would refuse it) */
	if (strcmp(store_backend_name(s), "sqlite") == 0)
		CK(store_backup(s, path, NULL, NULL, &err) != 0);
	long long deleted = -1, repointed = -1;
	CK_INT(customer_tombstone_repair(s, &deleted, &repointed, &err), 0);
	CK_INT(deleted, 1);
	CK_INT(repointed, 1);
	CK_INT(ct_tombstones(s, 0, ids, 8), 0);
	CK_INT(store_customer_get(R(s), t.e, &got, &a, &err), KP_ENOTFOUND);
	CK_INT(store_customer_get(R(s), t.f, &got, &a, &err), 0);
	CK_INT(got.merged_into, t.h);
	CK_INT(customer_tombstone_repair(s, &deleted, &repointed, &err), 0);
	CK_INT(deleted + repointed, 0);
	err = (struct kp_err)KP_ERR_INIT;
	CK_INT(store_backup(s, path, NULL, NULL, &err), 0);
	unlink(path);
	arena_release(&a);
}

/* ---- search -------------------------------------------------------------------------------- */

static int has_hit(const struct search_result *r, const char *entity, int64_t id)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->items[i].entity, entity) == 0 && r->items[i].id == id)
			return 1;
	return 0;
}

/* store_search_text_matches() answers as the index would: each query against each text
 * agrees with a real search over an interaction holding only that text (masked words,
 * inflection, the prefix on the last word, ANDed words, quotes as text). want -1: the
 * backends differ (a hyphenated word is a phrase on PostgreSQL), so only agreement counts. */
static void case_search_text_matches(struct store *s)
{
	static const char *const texts[] = {
		"Olet täysi ********, senkin *********",
		"Virtasen laskut ovat taas myöhässä",
		"Your invoices were wrong twice",
	};
	static const struct {
		int text;
		const char *q;
		int want;
	} cases[] = {
		{0, "idiootti", 0}, {0, "täysi idiootti", 0}, {0, "idioo", 0}, {0, "täysi", 1}, {0, "Olet täysi", 1},
		{0, "SENKIN", 1}, {0, "   ", 0}, {0, "***", 0},
		{1, "Virtasen lasku", 1}, {1, "laskuja", 1}, {1, "lask", 1}, {1, "myöh", 1}, {1, "lasku maksettu", 0},
		{1, "\"lasku OR", 0}, {1, "laskut\"", 1}, {1, "virtas-lasku", -1},
		{2, "invoice", 1}, {2, "invoices wrong", 1}, {2, "invoices wrong", 1}, {2, "invoice wrong", -1}, {2, "refund", 0},
	};
	struct arena a = ARENA_INIT;
	struct kp_err err = KP_ERR_INIT;
	int64_t ids[3];
	for (size_t t = 0; t < 3; t++) {
		struct interaction it = { 0 };
		it.customer_id = new_customer(s, "Zyx Qwv", NULL, NULL);
		it.kind = "note";
		it.direction = "outbound";
		it.body = texts[t];
		it.occurred_at = 1700000000000LL;
		CK_INT(INS(s, OP_INTER_INS, &it), 0);
		ids[t] = it.id;
	}
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int m = -1;
		struct search_result r;
		CK_INT(store_search_text_matches(R(s), cases[i].q, NULL, texts[cases[i].text], &m, &err), 0);
		if (cases[i].want >= 0 && m != cases[i].want)
			fprintf(stderr, "  text_matches(%s, text %d) = %d\n", cases[i].q, cases[i].text, m);
		if (cases[i].want >= 0)
			CK_INT(m, cases[i].want);
		CK_INT(store_search(R(s), cases[i].q, NULL, 200, 0, &r, &a, &err), 0);
		if (has_hit(&r, "interaction", ids[cases[i].text]) != m)
			fprintf(stderr, "  search(%s) on text %d disagrees: %d\n", cases[i].q, cases[i].text, !m);
		CK_INT(has_hit(&r, "interaction", ids[cases[i].text]), m);
	}
	arena_release(&a);
}

/* interaction_filter.routed_to_team: the messages whose analysis names the team they were routed
 * to, derived by the store from analysis_json, also after the analysis changes. */
static void case_routed_filter(struct store *s)
{
	struct arena a = ARENA_INIT;
	struct kp_err err = KP_ERR_INIT;
	int64_t cid = new_customer(s, "Rt Reititetty", NULL, NULL);
	static const char *const analyses[] = {
	    "{\"v\":1,\"abusive\":false,\"routed_to_team\":\"Suojatiimi\",\"summary\":null,\"body\":null}",
	    "{\"v\":1,\"abusive\":false,\"routed_to_team\":null,\"summary\":null,\"body\":null}",
	    NULL,
	    "{\"v\":1,\"abusive\":false,\"routed_to_team\":\"Toinen\",\"summary\":null,\"body\":null}",
	};
	struct interaction its[4];
	for (int i = 0; i < 4; i++) {
		memset(&its[i], 0, sizeof its[i]);
		its[i].customer_id = cid;
		its[i].kind = "email";
		its[i].direction = "inbound";
		its[i].body = "Missä tilaukseni on?";
		its[i].analysis_json = analyses[i];
		its[i].occurred_at = 1700000000000LL + i;
		CK_INT(INS(s, OP_INTER_INS, &its[i]), 0);
	}
	struct interaction_filter f = {.routed_to_team = "Suojatiimi"};
	struct interaction_list l;
	CK_INT(store_interaction_list(R(s), &f, &(struct store_page){.limit = 50, .sort = STORE_SORT_OCCURRED}, &l, &a,
	                              &err),
	       0);
	CK_INT(l.n, 1);
	if (l.n == 1)
		CK_INT(l.items[0].id, its[0].id);
	/* the analysis rewritten (routed elsewhere): the filter follows it */
	its[1].analysis_json = analyses[0];
	CK_INT(UPD(s, OP_INTER_UPD, &its[1], its[1].version), 0);
	CK_INT(store_interaction_list(R(s), &f, &(struct store_page){.limit = 50, .sort = STORE_SORT_OCCURRED}, &l, &a,
	                              &err),
	       0);
	CK_INT(l.n, 2);
	if (l.n == 2)
		CK((l.items[0].id == its[1].id && l.items[1].id == its[0].id) ||
		   (l.items[0].id == its[0].id && l.items[1].id == its[1].id));
	/* store_interaction_count: the same filter, counted, up to max */
	int64_t cnt = -1;
	CK_INT(store_interaction_count(R(s), &f, 0, &cnt, &err), 0);
	CK_INT(cnt, 2);
	CK_INT(store_interaction_count(R(s), &f, 1, &cnt, &err), 0);
	CK_INT(cnt, 1);
	struct interaction_filter all = {.customer_id = cid, .direction = "inbound", .from = 1700000000001LL};
	CK_INT(store_interaction_count(R(s), &all, 0, &cnt, &err), 0);
	CK_INT(cnt, 3);
	f.routed_to_team = "suojatiimi"; /* a team is named exactly */
	CK_INT(store_interaction_list(R(s), &f, &(struct store_page){.limit = 50, .sort = STORE_SORT_OCCURRED}, &l, &a,
	                              &err),
	       0);
	CK_INT(l.n, 0);
	arena_release(&a);
}

/* Names sort in Finnish alphabetical order on both stores: å after z and before ä, ä before ö,
 * é as e, ü as y, ø as ö, ã as a; a name prefix is keyed the same way; cursors keep the order. */
static void case_name_order_finnish(struct store *s)
{
	static const char *const want[] = {"Nxaalto",     "NxÃna",      "NxEino",  "NxÉmile",    "NxMüller",
	                                   "NxMyrsky",    "NxVirtanen", "NxZorro", "NxÅkerlund", "Nxämmälä",
	                                   "NxÄänekoski", "NxÖljynen",  "NxØrsted"};
	enum { N = sizeof want / sizeof want[0] };
	static const int insert_order[N] = {7, 12, 3, 9, 0, 5, 11, 1, 8, 10, 2, 6, 4};
	struct arena a = ARENA_INIT;
	struct kp_err err = KP_ERR_INIT;
	for (int i = 0; i < N; i++)
		new_customer(s, want[insert_order[i]], NULL, NULL);
	/* whole, and in pages of 2 by cursor, both directions */
	for (int desc = 0; desc < 2; desc++) {
		for (int lim = 2; lim <= 50; lim += 48) {
			struct customer_filter f = {.name_prefix = "Nx"};
			struct store_page pg = {.limit = lim, .sort = STORE_SORT_NAME, .desc = desc};
			const char *got[N + 1];
			int n = 0, more = 1;
			while (more && n <= N) {
				struct customer_list l;
				CK_INT(store_customer_list(R(s), &f, &pg, &l, &a, &err), 0);
				for (size_t i = 0; i < l.n && n <= N; i++)
					got[n++] = l.items[i].name;
				more = l.more && l.n;
				if (l.n) {
					pg.has_after = 1;
					pg.after_key = l.items[l.n - 1].name;
					pg.after_id = l.items[l.n - 1].id;
				}
			}
			CK_INT(n, N);
			for (int i = 0; i < n && i < N; i++) {
				const char *w = want[desc ? N - 1 - i : i];
				if (strcmp(got[i], w) != 0)
					fprintf(stderr, "  name order (desc %d, limit %d) #%d: %s, want %s\n", desc,
					        lim, i, got[i], w);
				CK_STR(got[i], w);
			}
		}
	}
	/* prefixes: keyed as names are */
	static const struct {
		const char *prefix;
		int count;
	} prefixes[] = {{"Nxå", 1}, {"NXÅ", 1},  {"Nxä", 2}, {"Nxe", 2},
	                {"Nxé", 2}, {"Nxmy", 2}, {"Nxö", 2}, {"Nxa", 2}};
	for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
		struct customer_filter f = {.name_prefix = prefixes[i].prefix};
		struct customer_list l;
		CK_INT(store_customer_list(R(s), &f, &(struct store_page){.limit = 50}, &l, &a, &err), 0);
		if ((int)l.n != prefixes[i].count)
			fprintf(stderr, "  prefix %s: %zu names, want %d\n", prefixes[i].prefix, l.n,
			        prefixes[i].count);
		CK_INT((int)l.n, prefixes[i].count);
	}
	arena_release(&a);
}

/* ids of a customer list, as a bit set of the given ids (bit i: ids[i] listed) */
static int listed_bits(const struct customer_list *l, const int64_t *ids, size_t n)
{
	int bits = 0;
	for (size_t i = 0; i < l->n; i++)
		for (size_t k = 0; k < n; k++)
			if (l->items[i].id == ids[k])
				bits |= 1 << k;
	return bits;
}

/* Custom field filters (store.h struct custom_match): the JSON type must agree ("3" is no 3,
 * "true" no true), strings compare exactly, numbers as numbers (3 = 3.0, 0.1 found), several
 * are ANDed, they combine with a tag (the tag walk), a sort and a cursor, and organisations take
 * them too; a malformed key or value is KP_EINVAL. */
static void case_custom_filters(struct store *s)
{
	static const char *const custom[] = {
	    "{\"tier\":\"gold\",\"seats\":3,\"vip\":true}",
	    "{\"tier\":\"Gold\",\"seats\":3.0,\"vip\":false}",
	    "{\"tier\":\"gold\",\"seats\":0.1,\"vip\":\"true\"}",
	    "{\"tier\":3,\"seats\":\"3\"}",
	    "{}",
	};
	const char *tags[1] = {"cfx"};
	int64_t ids[5];
	struct arena a = ARENA_INIT;
	struct kp_err err = KP_ERR_INIT;
	for (size_t i = 0; i < 5; i++) {
		struct customer cu = {0};
		cu.name = i % 2 ? "Cf Bee" : "Cf Aa";
		cu.custom_json = custom[i];
		cu.tags = i < 4 ? tags : NULL;
		cu.ntags = i < 4 ? 1 : 0;
		CK_INT(INS(s, OP_CUST_INS, &cu), 0);
		ids[i] = cu.id;
	}
	const struct custom_match gold = {"tier", CUSTOM_MATCH_STRING, "gold", 0, 0};
	const struct custom_match three = {"seats", CUSTOM_MATCH_NUMBER, NULL, 3, 0};
	const struct custom_match tenth = {"seats", CUSTOM_MATCH_NUMBER, NULL, 0.1, 0};
	const struct custom_match vip = {"vip", CUSTOM_MATCH_BOOL, NULL, 0, 1};
	const struct custom_match novip = {"vip", CUSTOM_MATCH_BOOL, NULL, 0, 0};
	const struct custom_match str3 = {"seats", CUSTOM_MATCH_STRING, "3", 0, 0};
	const struct custom_match missing = {"nothere", CUSTOM_MATCH_STRING, "gold", 0, 0};
	const struct custom_match has_vip = {"vip", CUSTOM_MATCH_PRESENT, NULL, 0, 0};
	struct {
		struct custom_match m[2];
		size_t n;
		int want;
	} cases[] = {
	    {{gold}, 1, 1 << 0 | 1 << 2},
	    {{three}, 1, 1 << 0 | 1 << 1},
	    {{tenth}, 1, 1 << 2},
	    {{vip}, 1, 1 << 0},
	    {{novip}, 1, 1 << 1},
	    {{str3}, 1, 1 << 3},
	    {{missing}, 1, 0},
	    {{gold, three}, 2, 1 << 0},
	    {{gold, vip}, 2, 1 << 0},
	    {{has_vip}, 1, 1 << 0 | 1 << 1 | 1 << 2},
	    {{has_vip, gold}, 2, 1 << 0 | 1 << 2},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		for (int walk = 0; walk < 2; walk++) {
			struct customer_filter f = {0};
			struct store_page pg = {0};
			struct customer_list l;
			f.custom = cases[i].m;
			f.ncustom = cases[i].n;
			f.tag = walk ? "cfx" : NULL; /* in id order with a tag: the tag walk */
			f.name_prefix = walk ? NULL : "Cf ";
			pg.limit = 50;
			CK_INT(store_customer_list(R(s), &f, &pg, &l, &a, &err), 0);
			if (listed_bits(&l, ids, 5) != cases[i].want)
				fprintf(stderr, "  custom case %zu (walk %d): listed %#x, want %#x\n", i, walk,
				        listed_bits(&l, ids, 5), cases[i].want);
			CK_INT(listed_bits(&l, ids, 5), cases[i].want);
		}
	}
	/* by name, one per page: gold (0, 2) are both "Cf Aa", so id breaks the tie */
	struct customer_filter f = {0};
	struct store_page pg = {0};
	struct customer_list l;
	f.custom = &gold;
	f.ncustom = 1;
	pg.limit = 1;
	pg.sort = STORE_SORT_NAME;
	CK_INT(store_customer_list(R(s), &f, &pg, &l, &a, &err), 0);
	CK_INT(l.n, 1);
	CK(l.more);
	if (l.n == 1) {
		CK_INT(l.items[0].id, ids[0]);
		pg.has_after = 1;
		pg.after_key = l.items[0].name;
		pg.after_id = l.items[0].id;
		CK_INT(store_customer_list(R(s), &f, &pg, &l, &a, &err), 0);
		CK_INT(l.n, 1);
		if (l.n == 1)
			CK_INT(l.items[0].id, ids[2]);
	}
	/* organisations */
	struct organization o = {0}, o2 = {0};
	o.name = "Cf Org Oy";
	o.custom_json = "{\"tier\":\"gold\"}";
	CK_INT(INS(s, OP_ORG_INS, &o), 0);
	o2.name = "Cf Org Kaksi Oy";
	o2.custom_json = "{\"tier\":\"silver\"}";
	CK_INT(INS(s, OP_ORG_INS, &o2), 0);
	struct org_filter of = {0};
	struct org_list ol;
	of.custom = &gold;
	of.ncustom = 1;
	of.name_prefix = "Cf Org";
	CK_INT(store_org_list(R(s), &of, &(struct store_page){.limit = 10}, &ol, &a, &err), 0);
	CK_INT(ol.n, 1);
	if (ol.n == 1)
		CK_INT(ol.items[0].id, o.id);
	/* store_custom_set: only the custom values, a new version; a stale version or an unknown
	 * record is refused as an update's */
	struct ct_custom cc = {"organization", 0, 0};
	CK_INT(W(s, OP_CUSTOM_SET, &cc, o.id, 0, o.version, "{}"), 0);
	CK_INT(cc.version, o.version + 1);
	CK(cc.at > 0);
	struct organization og;
	CK_INT(store_org_get(R(s), o.id, &og, &a, &err), 0);
	CK_STR(og.custom_json, "{}");
	CK_STR(og.name, "Cf Org Oy");
	CK_INT(og.version, o.version + 1);
	CK_INT(W(s, OP_CUSTOM_SET, &cc, o.id, 0, o.version, "{}"), KP_EPRECONDITION);
	cc.entity = "customer";
	CK_INT(W(s, OP_CUSTOM_SET, &cc, ids[4], 0, 0, "{\"x\":1}"), 0);
	struct customer cg;
	CK_INT(store_customer_get(R(s), ids[4], &cg, &a, &err), 0);
	CK_STR(cg.custom_json, "{\"x\":1}");
	CK_INT(W(s, OP_CUSTOM_SET, &cc, ids[4] + 100000, 0, 0, "{}"), KP_ENOTFOUND);
	cc.entity = "note";
	CK_INT(W(s, OP_CUSTOM_SET, &cc, ids[4], 0, 0, "{}"), KP_EINVAL);
	/* malformed: a key no field could have, a value that is no number, too many */
	static const struct custom_match bad[] = {
	    {"Tier", CUSTOM_MATCH_STRING, "gold", 0, 0},
	    {"tier'] OR 1=1 --", CUSTOM_MATCH_STRING, "gold", 0, 0},
	    {"seats", CUSTOM_MATCH_NUMBER, NULL, INFINITY, 0},
	    {"tier", CUSTOM_MATCH_STRING, NULL, 0, 0},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct customer_filter bf = {0};
		bf.custom = &bad[i];
		bf.ncustom = 1;
		CK_INT(store_customer_list(R(s), &bf, &(struct store_page){.limit = 10}, &l, &a, &err), KP_EINVAL);
	}
	struct custom_match five[5] = {gold, gold, gold, gold, gold};
	struct customer_filter ff = {0};
	ff.custom = five;
	ff.ncustom = 5;
	CK_INT(store_customer_list(R(s), &ff, &(struct store_page){.limit = 10}, &l, &a, &err), KP_EINVAL);
	arena_release(&a);
}

/* Forms widen a query word (store.h struct search_forms): a word is found by any of its forms,
 * as the last (prefix) word too; the other words are still needed; forms of a word that is not
 * in the query change nothing; store_search_text_matches() agrees; malformed forms are refused. */
static void case_search_forms(struct store *s)
{
	static const char *const text = "Toimitus Helsingin toimipisteeseen viivästyi";
	static const char *const helsinki_forms[] = {"helsingin"};
	static const char *const other_forms[] = {"turun"};
	static const char *const bad_forms[][1] = {{"two words"}, {"quo\"te"}, {""}};
	const struct search_word_forms helsinki = {"Helsinki", 1, helsinki_forms};
	const struct search_word_forms turku = {"Turku", 1, other_forms};
	const struct search_forms with = {1, &helsinki}, unrelated = {1, &turku};
	static const struct {
		const char *q;
		int with_forms, want;
	} cases[] = {
	    {"Helsinki", 0, 0},       {"Helsinki", 1, 1}, {"toimitus Helsinki", 1, 1}, {"Helsinki toimitus", 1, 1},
	    {"Helsinki lasku", 1, 0}, {"Helsinki", 2, 0}, {"Helsinki Helsinki", 1, 1}, {"Helsingin", 0, 1},
	};
	struct arena a = ARENA_INIT;
	struct kp_err err = KP_ERR_INIT;
	struct interaction it = {0};
	it.customer_id = new_customer(s, "Qzx Forms", NULL, NULL);
	it.kind = "note";
	it.direction = "outbound";
	it.body = text;
	it.occurred_at = 1700000000000LL;
	CK_INT(INS(s, OP_INTER_INS, &it), 0);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct search_forms *f = cases[i].with_forms == 1   ? &with
		                               : cases[i].with_forms == 2 ? &unrelated
		                                                          : NULL;
		struct search_result r;
		int m = -1;
		CK_INT(store_search(R(s), cases[i].q, f, 200, 0, &r, &a, &err), 0);
		if (has_hit(&r, "interaction", it.id) != cases[i].want)
			fprintf(stderr, "  search(%s, forms %d) = %d\n", cases[i].q, cases[i].with_forms,
			        !cases[i].want);
		CK_INT(has_hit(&r, "interaction", it.id), cases[i].want);
		CK_INT(store_search_text_matches(R(s), cases[i].q, f, text, &m, &err), 0);
		CK_INT(m, cases[i].want);
	}
	for (size_t i = 0; i < sizeof bad_forms / sizeof bad_forms[0]; i++) {
		const struct search_word_forms w = {"Helsinki", 1, bad_forms[i]};
		const struct search_forms f = {1, &w};
		struct search_result r;
		int m = 0;
		CK_INT(store_search(R(s), "Helsinki", &f, 20, 0, &r, &a, &err), KP_EINVAL);
		CK_INT(store_search_text_matches(R(s), "Helsinki", &f, text, &m, &err), KP_EINVAL);
	}
	/* a last word that is a Finnish stop word is still a prefix as typed: "Tuo" finds Tuomas
	 * (PostgreSQL's finnish configuration would drop it) */
	int64_t tuo = new_customer(s, "Tuomas Tuominen", NULL, NULL);
	struct search_result r;
	CK_INT(store_search(R(s), "Tuo", NULL, 50, 0, &r, &a, &err), 0);
	CK(has_hit(&r, "customer", tuo));
	CK_INT(store_search(R(s), "Tuomas on", NULL, 50, 0, &r, &a, &err), 0);
	CK(!has_hit(&r, "customer", tuo)); /* both words count: no word starting "on" */
	/* a name Snowball cuts down to a common word ("Onni" -> "on") does not find that word */
	struct interaction on = {0};
	on.customer_id = new_customer(s, "Qzx Vesilaitos", NULL, NULL);
	on.kind = "note";
	on.direction = "outbound";
	on.body = "Veden hinta nousi, vesi on kallista.";
	on.occurred_at = 1700000000000LL;
	CK_INT(INS(s, OP_INTER_INS, &on), 0);
	CK_INT(store_search(R(s), "onni vesi", NULL, 50, 0, &r, &a, &err), 0);
	CK(!has_hit(&r, "interaction", on.id));
	int om = -1;
	CK_INT(store_search_text_matches(R(s), "onni vesi", NULL, on.body, &om, &err), 0);
	CK_INT(om, 0);
	CK_INT(store_search(R(s), "on vesi", NULL, 50, 0, &r, &a, &err), 0);
	CK(has_hit(&r, "interaction", on.id));
	struct interaction en = {0};
	en.customer_id = on.customer_id;
	en.kind = "note";
	en.direction = "outbound";
	en.body = "Great services, thanks for the quick fixes.";
	en.occurred_at = 1700000000000LL;
	CK_INT(INS(s, OP_INTER_INS, &en), 0);
	static const char *const en_q[] = {"service", "thank", "fix quick", "great", "for the quick"};
	for (size_t i = 0; i < sizeof en_q / sizeof en_q[0]; i++) {
		CK_INT(store_search(R(s), en_q[i], NULL, 50, 0, &r, &a, &err), 0);
		if (!has_hit(&r, "interaction", en.id))
			fprintf(stderr, "  search(%s) misses the English note\n", en_q[i]);
		CK(has_hit(&r, "interaction", en.id));
	}
	/* a stop word of both languages is a word like any other, not dropped */
	CK_INT(store_search(R(s), "the lasku", NULL, 50, 0, &r, &a, &err), 0);
	CK(!has_hit(&r, "interaction", en.id));
	CK_INT(store_search(R(s), "on kallista", NULL, 50, 0, &r, &a, &err), 0);
	CK(has_hit(&r, "interaction", on.id));
	CK_INT(store_search(R(s), "on lasku", NULL, 50, 0, &r, &a, &err), 0);
	CK(!has_hit(&r, "interaction", on.id));
	/* the last word is a prefix as typed, not as its stem: "Minna" (stem "min") finds no
	 * "minulle"; a typed start still finds the word. ("Onni" finding "onko" is left out:
	 * PostgreSQL's stemmer gives both "on", and "minulle" is one of its stop words.) */
	struct interaction mi = {0};
	mi.customer_id = new_customer(s, "Qzx Kysyja", NULL, NULL);
	mi.kind = "note";
	mi.direction = "outbound";
	mi.body = "Onko teillä myymälää? Minulle lähetettiin väärä lasku, ongelma jatkuu.";
	mi.occurred_at = 1700000000000LL;
	CK_INT(INS(s, OP_INTER_INS, &mi), 0);
	static const struct {
		const char *q;
		int want;
	} pre[] = {{"Minna", 0}, {"myymä", 1}, {"ongelm", 1}, {"laskuja", 1}, {"väärä lask", 1},
	           /* typed past the Finnish stem ("lähetett"), a Finnish stop word typed last,
	            * English inflection: the same on both stores */
	           {"lähetetti", 1}, {"Onko", 1}, {"jatkuu lasku", 1}};
	for (size_t i = 0; i < sizeof pre / sizeof pre[0]; i++) {
		CK_INT(store_search(R(s), pre[i].q, NULL, 50, 0, &r, &a, &err), 0);
		if (has_hit(&r, "interaction", mi.id) != pre[i].want)
			fprintf(stderr, "  search(%s) = %d\n", pre[i].q, !pre[i].want);
		CK_INT(has_hit(&r, "interaction", mi.id), pre[i].want);
		CK_INT(store_search_text_matches(R(s), pre[i].q, NULL, mi.body, &om, &err), 0);
		CK_INT(om, pre[i].want);
	}
	arena_release(&a);
}

/* An abusive message is indexed by its masked text (search_summary / search_body): search finds
 * it by what staff see, never by the hidden words, also after its customer is merged away; a
 * message stored without the texts gets them by store_interaction_search_set(), without a new
 * version. */
static void case_search_masked_index(struct store *s)
{
	struct arena a = ARENA_INIT;
	struct kp_err err = KP_ERR_INIT;
	struct search_result r;
	int64_t cust = new_customer(s, "Peitto Asiakas", NULL, NULL);
	struct interaction it = { 0 }, got;
	it.customer_id = cust;
	it.kind = "email";
	it.direction = "inbound";
	it.summary = "Palaute";
	it.body = "Olet täysi tomppeli, lasku väärin";
	it.search_body = "Olet täysi ********, lasku väärin";
	it.abusive = 1;
	it.occurred_at = 1700000000000LL;
	CK_INT(INS(s, OP_INTER_INS, &it), 0);
	CK_INT(store_interaction_get(R(s), it.id, &got, &a, &err), 0);
	CK_STR(got.search_body, "Olet täysi ********, lasku väärin");
	CK(got.search_summary == NULL);
	CK_INT(store_search(R(s), "tomppeli", NULL, 20, 0, &r, &a, &err), 0);
	CK(!has_hit(&r, "interaction", it.id));
	CK_INT(store_search(R(s), "tompp", NULL, 20, 0, &r, &a, &err), 0);
	CK(!has_hit(&r, "interaction", it.id));
	CK_INT(store_search(R(s), "Peitto lasku", NULL, 20, 0, &r, &a, &err), 0);
	CK(has_hit(&r, "interaction", it.id));
	for (size_t i = 0; i < r.n; i++)
		if (strcmp(r.items[i].entity, "interaction") == 0 && r.items[i].id == it.id) {
			CK(r.items[i].snippet && !strstr(r.items[i].snippet, "tomppeli"));
			CK_INT(r.items[i].abusive, 1); /* the hit says it is abusive */
		} else {
			CK_INT(r.items[i].abusive, 0);
		}
	/* merged away: the history is indexed again, still by the masked text */
	int64_t into = new_customer(s, "Peitto Toinen", NULL, NULL);
	CK_INT(W(s, OP_CUST_MERGE, NULL, cust, into, 0, NULL), 0);
	CK_INT(store_search(R(s), "tomppeli", NULL, 20, 0, &r, &a, &err), 0);
	CK(!has_hit(&r, "interaction", it.id));
	CK_INT(store_search(R(s), "Toinen lasku", NULL, 20, 0, &r, &a, &err), 0);
	CK(has_hit(&r, "interaction", it.id));
	/* stored without the texts (before search indexed masks), then given them */
	struct interaction old = it;
	old.id = 0;
	old.customer_id = into;
	old.body = "Senkin ääliö, korjatkaa tilaus";
	old.search_body = NULL;
	CK_INT(INS(s, OP_INTER_INS, &old), 0);
	CK_INT(store_search(R(s), "ääliö", NULL, 20, 0, &r, &a, &err), 0);
	CK(has_hit(&r, "interaction", old.id));
	old.search_body = "Senkin *****, korjatkaa tilaus";
	CK_INT(W(s, OP_INTER_SEARCH_SET, &old, 0, 0, 0, NULL), 0);
	CK_INT(store_search(R(s), "ääliö", NULL, 20, 0, &r, &a, &err), 0);
	CK(!has_hit(&r, "interaction", old.id));
	CK_INT(store_search(R(s), "korjatkaa", NULL, 20, 0, &r, &a, &err), 0);
	CK(has_hit(&r, "interaction", old.id));
	CK_INT(store_interaction_get(R(s), old.id, &got, &a, &err), 0);
	CK_INT(got.version, 1);
	CK_STR(got.search_body, "Senkin *****, korjatkaa tilaus");
	CK_STR(got.body, "Senkin ääliö, korjatkaa tilaus");
	arena_release(&a);
}

/* Staff-authored texts: a note keeps its analysis, whether it is abusive and its masked text,
 * which search indexes and titles it by (on an organisation too, and after its customer is
 * merged away); the texts stored without an analysis (notes, outbound interactions) are found
 * by store_unanalysed_ids() and given one by the _search_set ops, stamped: a new version (a stale one is a conflict). */
static void case_staff_texts_masked(struct store *s)
{
	struct arena a = ARENA_INIT;
	struct kp_err err = KP_ERR_INIT;
	struct search_result r;
	int64_t cust = new_customer(s, "Muistio Asiakas", NULL, NULL);
	struct organization o = { 0 };
	struct note n = { 0 }, on = { 0 }, old = { 0 }, got;
	struct interaction out = { 0 }, in = { 0 }, igot;
	int64_t ids[8];
	size_t nids = 0;

	o.name = "Muistio Oy";
	o.custom_json = "{}";
	CK_INT(INS(s, OP_ORG_INS, &o), 0);
	n.customer_id = cust;
	n.body = "Asiakas sanoi: senkin tomppeli";
	n.search_body = "Asiakas sanoi: senkin ********";
	n.analysis_json = "{\"v\":1,\"abusive\":true,\"body\":null}";
	n.abusive = 1;
	CK_INT(INS(s, OP_NOTE_INS, &n), 0);
	on = n;
	on.id = 0;
	on.customer_id = 0;
	on.org_id = o.id;
	CK_INT(INS(s, OP_NOTE_INS, &on), 0);
	CK_INT(store_note_get(R(s), n.id, &got, &a, &err), 0);
	CK_STR(got.body, "Asiakas sanoi: senkin tomppeli");
	CK_STR(got.search_body, "Asiakas sanoi: senkin ********");
	CK_STR(got.analysis_json, "{\"v\":1,\"abusive\":true,\"body\":null}");
	CK_INT(got.abusive, 1);
	CK_INT(store_search(R(s), "tomppeli", NULL, 20, 0, &r, &a, &err), 0);
	CK(!has_hit(&r, "note", n.id) && !has_hit(&r, "note", on.id));
	CK_INT(store_search(R(s), "Muistio sanoi", NULL, 20, 0, &r, &a, &err), 0);
	CK(has_hit(&r, "note", n.id) && has_hit(&r, "note", on.id));
	for (size_t i = 0; i < r.n; i++)
		if (!strcmp(r.items[i].entity, "note")) {
			CK_INT(r.items[i].abusive, 1);
			CK(r.items[i].title && !strstr(r.items[i].title, "tomppeli"));
			CK(r.items[i].snippet && !strstr(r.items[i].snippet, "tomppeli"));
		}
	/* an update writes the three again */
	got.body = "Asiakas soitti laskusta";
	got.search_body = NULL;
	got.analysis_json = "{\"v\":1,\"abusive\":false,\"body\":null}";
	got.abusive = 0;
	CK_INT(UPD(s, OP_NOTE_UPD, &got, got.version), 0);
	CK_INT(store_note_get(R(s), n.id, &got, &a, &err), 0);
	CK(got.search_body == NULL && got.abusive == 0);
	CK_INT(store_search(R(s), "laskusta Muistio", NULL, 20, 0, &r, &a, &err), 0);
	CK(has_hit(&r, "note", n.id));
	/* merged away: still indexed by the masked text */
	int64_t into = new_customer(s, "Muistio Toinen", NULL, NULL);
	old.customer_id = cust;
	old.body = "Hän sanoi: olet ääliö";
	CK_INT(INS(s, OP_NOTE_INS, &old), 0);
	out.customer_id = cust;
	out.kind = "email";
	out.direction = "outbound";
	out.body = "Vastaus: > olet ääliö";
	out.occurred_at = 1700000000000LL;
	CK_INT(INS(s, OP_INTER_INS, &out), 0);
	in = out;
	in.id = 0;
	in.direction = "inbound";
	CK_INT(INS(s, OP_INTER_INS, &in), 0);
	/* stored without an analysis: found (an inbound one is not staff's), then given one */
	CK_INT(store_unanalysed_ids(R(s), "note", old.id - 1, 8, ids, &nids, &err), 0);
	CK(nids == 1 && ids[0] == old.id);
	CK_INT(store_unanalysed_ids(R(s), "note", old.id, 8, ids, &nids, &err), 0);
	CK_INT(nids, 0);
	CK_INT(store_unanalysed_ids(R(s), "interaction", out.id - 1, 8, ids, &nids, &err), 0);
	int seen_out = 0, seen_in = 0;
	for (size_t i = 0; i < nids; i++) {
		seen_out |= ids[i] == out.id;
		seen_in |= ids[i] == in.id;
	}
	CK(seen_out && !seen_in);
	CK_INT(W(s, OP_CUST_MERGE, NULL, cust, into, 0, NULL), 0);
	CK_INT(store_note_get(R(s), old.id, &got, &a, &err), 0);
	int64_t nver = got.version;
	got.analysis_json = "{\"v\":1,\"abusive\":true,\"body\":null}";
	got.abusive = 1;
	got.search_body = "Hän sanoi: olet *****";
	/* a read shows the analysis and masks: a new version stamped (W's ver), while still at the
	 * version read; a stale one is a conflict and writes nothing */
	const int64_t stamp = 1800000000123LL;
	got.version = nver - 1;
	CK_INT(W(s, OP_NOTE_SEARCH_SET, &got, 0, 0, stamp, NULL), KP_ECONFLICT);
	got.version = nver;
	CK_INT(W(s, OP_NOTE_SEARCH_SET, &got, 0, 0, stamp, NULL), 0);
	CK_INT(store_interaction_get(R(s), out.id, &igot, &a, &err), 0);
	int64_t iver = igot.version; /* (the merge moved it: a new version) */
	igot.analysis_json = "{\"v\":1,\"abusive\":true,\"routed_to_team\":null,\"summary\":null,\"body\":null}";
	igot.abusive = 1;
	igot.search_body = "Vastaus: > olet *****";
	igot.version = iver + 1;
	CK_INT(W(s, OP_INTER_SEARCH_SET, &igot, 0, 0, stamp, NULL), KP_ECONFLICT);
	igot.version = iver;
	CK_INT(W(s, OP_INTER_SEARCH_SET, &igot, 0, 0, stamp, NULL), 0);
	CK_INT(store_search(R(s), "ääliö", NULL, 20, 0, &r, &a, &err), 0);
	CK(!has_hit(&r, "note", old.id) && !has_hit(&r, "interaction", out.id) && has_hit(&r, "interaction", in.id));
	CK_INT(store_note_get(R(s), old.id, &got, &a, &err), 0);
	CK_INT(got.version, nver + 1);
	CK_INT(got.updated_at, stamp);
	CK_INT(got.abusive, 1);
	CK_STR(got.body, "Hän sanoi: olet ääliö");
	CK_INT(store_interaction_get(R(s), out.id, &igot, &a, &err), 0);
	CK_INT(igot.version, iver + 1);
	CK_INT(igot.updated_at, stamp);
	CK_INT(igot.abusive, 1);
	CK(igot.analysis_json != NULL);
	CK_INT(store_unanalysed_ids(R(s), "note", old.id - 1, 8, ids, &nids, &err), 0);
	for (size_t i = 0; i < nids; i++)
		CK(ids[i] != old.id);
	CK_INT(store_unanalysed_ids(R(s), "interaction", out.id - 1, 8, ids, &nids, &err), 0);
	for (size_t i = 0; i < nids; i++)
		CK(ids[i] != out.id);
	arena_release(&a);
}

static void case_search_finnish(struct store *s)
{
	struct arena a = ARENA_INIT;
	struct kp_err err = KP_ERR_INIT;
	int64_t maija = new_customer(s, "Maija Virtanen", "haku", "maija.virtanen@example.fi");
	int64_t pekka = new_customer(s, "Pekka Nieminen", "haku", NULL);
	struct interaction it = { 0 };
	struct organization o = { 0 };
	struct note n = { 0 };
	struct search_result r;

	it.customer_id = maija;
	it.kind = "email";
	it.direction = "outbound";
	it.summary = "Laskutus";
	it.body = "Lähetimme laskut eilen, eräpäivä on ensi kuussa.";
	it.occurred_at = 1700000000000LL;
	CK_INT(INS(s, OP_INTER_INS, &it), 0);
	o.name = "Hakukone Oy";
	o.business_id = "2345678-9";
	o.custom_json = "{}";
	CK_INT(INS(s, OP_ORG_INS, &o), 0);
	n.customer_id = pekka;
	n.body = "Asiakas toivoo soittoa iltapäivisin.";
	CK_INT(INS(s, OP_NOTE_INS, &n), 0);

	/* "Virtasen lasku": an inflected surname and a singular find Virtanen's invoices */
	CK_INT(store_search(R(s), "Virtasen lasku", NULL, 20, 0, &r, &a, &err), 0);
	CK(has_hit(&r, "interaction", it.id));
	for (size_t i = 0; i < r.n; i++)
		if (strcmp(r.items[i].entity, "interaction") == 0 && r.items[i].id == it.id) {
			CK_INT(r.items[i].customer_id, maija);
			CK(r.items[i].snippet != NULL);
			/* both backends: the summary is the title, matches are in guillemets */
			CK_STR(r.items[i].title, "Laskutus");
			CK(r.items[i].snippet && strstr(r.items[i].snippet, "\xc2\xab") && strstr(r.items[i].snippet, "\xc2\xbb"));
			CK(r.items[i].snippet && !strstr(r.items[i].snippet, "\xc3\x82")); /* « as UTF-8, once */
		}
	/* a note's title is its first 80 characters on both backends */
	CK_INT(store_search(R(s), "iltapäivisin", NULL, 20, 0, &r, &a, &err), 0);
	CK(has_hit(&r, "note", n.id));
	for (size_t i = 0; i < r.n; i++)
		if (strcmp(r.items[i].entity, "note") == 0 && r.items[i].id == n.id)
			CK_STR(r.items[i].title, "Asiakas toivoo soittoa iltapäivisin.");
	/* an insert that carries the customer's name as the writer just read it
	 * (customer_name) is indexed with that context without a second read */
	struct interaction it2 = it;
	it2.id = 0;
	it2.summary = "Muistutus";
	it2.body = "Maksumuistutus lähti tänään.";
	it2.customer_name = "Maija Virtanen";
	CK_INT(INS(s, OP_INTER_INS, &it2), 0);
	CK_INT(store_search(R(s), "Virtasen maksumuistutus", NULL, 20, 0, &r, &a, &err), 0);
	CK(has_hit(&r, "interaction", it2.id));
	CK(!has_hit(&r, "interaction", it.id));
	CK_INT(store_search(R(s), "Virtasen", NULL, 20, 0, &r, &a, &err), 0);
	CK(has_hit(&r, "customer", maija));
	CK_INT(store_search(R(s), "virtaselle", NULL, 20, 0, &r, &a, &err), 0);
	CK(has_hit(&r, "customer", maija));
	CK_INT(store_search(R(s), "laskuja", NULL, 20, 0, &r, &a, &err), 0);
	CK(has_hit(&r, "interaction", it.id));
	CK_INT(store_search(R(s), "Niemiselle", NULL, 20, 0, &r, &a, &err), 0);
	CK(has_hit(&r, "customer", pekka));
	CK(!has_hit(&r, "customer", maija));
	/* a snippet carries no separator of a field that is empty: Pekka has no contact, the
	 * interaction no summary */
	struct interaction it3 = it;
	it3.id = 0;
	it3.summary = NULL;
	it3.body = "Nieminen kysyi toimitusajasta.";
	CK_INT(INS(s, OP_INTER_INS, &it3), 0);
	CK_INT(store_search(R(s), "Nieminen", NULL, 20, 0, &r, &a, &err), 0);
	CK(has_hit(&r, "customer", pekka) && has_hit(&r, "interaction", it3.id));
	for (size_t i = 0; i < r.n; i++) {
		const char *sn = r.items[i].snippet;
		size_t sl = sn ? strlen(sn) : 0;
		CK(sl > 0 && sn[0] != ' ' && sn[sl - 1] != ' ');
		CK(sn && strncmp(sn, "\xe2\x80\x94", 3) != 0 && (sl < 3 || strcmp(sn + sl - 3, "\xe2\x80\x94") != 0));
	}
	/* prefix on the last word, case-insensitive */
	CK_INT(store_search(R(s), "VIRT", NULL, 20, 0, &r, &a, &err), 0);
	CK(has_hit(&r, "customer", maija));
	CK_INT(store_search(R(s), "hakuk", NULL, 20, 0, &r, &a, &err), 0);
	CK(has_hit(&r, "organization", o.id));
	CK_INT(store_search(R(s), "2345678-9", NULL, 20, 0, &r, &a, &err), 0);
	CK(has_hit(&r, "organization", o.id));
	CK_INT(store_search(R(s), "iltapäivisin", NULL, 20, 0, &r, &a, &err), 0);
	CK(has_hit(&r, "note", n.id));
	for (size_t i = 0; i < r.n; i++)
		if (strcmp(r.items[i].entity, "note") == 0)
			CK_INT(r.items[i].customer_id, pekka);
	/* terms are ANDed */
	CK_INT(store_search(R(s), "Virtasen iltapäivisin", NULL, 20, 0, &r, &a, &err), 0);
	CK_INT(r.n, 0);
	/* quotes and operators are text, not syntax */
	CK_INT(store_search(R(s), "\"lasku OR NEAR( *", NULL, 20, 0, &r, &a, &err), 0);
	CK_INT(store_search(R(s), "   ", NULL, 20, 0, &r, &a, &err), 0);
	CK_INT(r.n, 0);
	/* a limit and the more flag */
	CK_INT(store_search(R(s), "haku", NULL, 1, 0, &r, &a, &err), 0);
	CK_INT(r.n, 1);
	CK_INT(r.more, 1);
	/* pages by offset: one hit at a time gives every hit of one big page, in its order */
	{
		struct search_result all, page;
		CK_INT(store_search(R(s), "haku", NULL, 20, 0, &all, &a, &err), 0);
		CK(all.n >= 3);
		CK_INT(all.more, 0);
		for (size_t i = 0; i <= all.n; i++) {
			CK_INT(store_search(R(s), "haku", NULL, 1, (int)i, &page, &a, &err), 0);
			CK_INT(page.n, i < all.n ? 1 : 0);
			CK_INT(page.more, i + 1 < all.n);
			if (i < all.n && page.n == 1) {
				CK_STR(page.items[0].entity, all.items[i].entity);
				CK_INT(page.items[0].id, all.items[i].id);
			}
		}
		CK_INT(store_search(R(s), "haku", NULL, 20, STORE_SEARCH_OFFSET_MAX, &page, &a, &err), 0);
		CK_INT(page.n, 0);
		CK_INT(store_search(R(s), "haku", NULL, 20, STORE_SEARCH_OFFSET_MAX + 1, &page, &a, &err), KP_EINVAL);
		CK_INT(store_search(R(s), "haku", NULL, 20, -1, &page, &a, &err), KP_EINVAL);
	}

	/* a renamed customer's history is found under the new name, no longer the old */
	{
		struct customer cu;
		CK_INT(store_customer_get(R(s), maija, &cu, &a, &err), 0);
		cu.name = "Maija Korhonen";
		CK_INT(UPD(s, OP_CUST_UPD, &cu, cu.version), 0);
		CK_INT(store_search(R(s), "Korhosen lasku", NULL, 20, 0, &r, &a, &err), 0);
		CK(has_hit(&r, "interaction", it.id));
		CK_INT(store_search(R(s), "Virtasen lasku", NULL, 20, 0, &r, &a, &err), 0);
		CK(!has_hit(&r, "interaction", it.id));
	}
	/* deleting an interaction takes it out of search */
	CK_INT(DEL(s, OP_INTER_DEL, it.id, 0), 0);
	CK_INT(store_search(R(s), "laskut", NULL, 20, 0, &r, &a, &err), 0);
	CK(!has_hit(&r, "interaction", it.id));
	arena_release(&a);
}

/* The hit of entity/id in r, or NULL. */
static const struct search_hit *find_hit(const struct search_result *r, const char *entity, int64_t id)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->items[i].entity, entity) == 0 && r->items[i].id == id)
			return &r->items[i];
	return NULL;
}

/* Words are split where SQLite's tokenizer splits them, on both backends. A blind audit found
 * PostgreSQL's parser keeping "T-108807" as "t" and the number "-108807", "14.3.2026" as one
 * version number, an e-mail address as one word and "Kanta-asiakasetu" whole: an order number
 * read over the phone, a date's year, a part of an e-mail or the last part of a hyphenated word
 * typed as a prefix found nothing there. The snippets mark the match as SQLite's do. */
static void case_search_split_words(struct store *s)
{
	struct arena a = ARENA_INIT;
	struct kp_err err = KP_ERR_INIT;
	int64_t cust = new_customer(s, "Pirkko Puolimatka", NULL, "pirkko.puolimatka@jakosana-posti.fi");
	int64_t obrien = new_customer(s, "Seamus O'Brien", NULL, NULL);
	struct interaction it = {0};
	struct note n = {0};
	struct search_result r;
	const struct search_hit *h;

	it.customer_id = cust;
	it.kind = "call";
	it.direction = "inbound";
	it.summary = "Tilaus T-108807";
	it.body = "Lasku T-555123 maksettu, viite 1234-5678, pvm 14.3.2026, tuote iPhone-15, hinta 99,90";
	it.occurred_at = 1700000000000LL;
	CK_INT(INS(s, OP_INTER_INS, &it), 0);
	n.customer_id = cust;
	n.body = "Kanta-asiakasetu myönnetty";
	CK_INT(INS(s, OP_NOTE_INS, &n), 0);

	static const char *const finds_it[] = {
	    "108807", "1088",      "T-108807",  "t-1088",    "555123", "5678",          "1234-5678",
	    "2026",   "14.3.2026", "iphone-15", "iPhone 15", "99,90",  "tilaus 108807",
	};
	for (size_t i = 0; i < sizeof finds_it / sizeof finds_it[0]; i++) {
		CK_INT(store_search(R(s), finds_it[i], NULL, 200, 0, &r, &a, &err), 0);
		if (!has_hit(&r, "interaction", it.id))
			fprintf(stderr, "  search(%s) misses the interaction\n", finds_it[i]);
		CK(has_hit(&r, "interaction", it.id));
		int m = -1;
		CK_INT(store_search_text_matches(R(s), finds_it[i], NULL, it.body, &m, &err), 0);
		CK_INT(m, strstr(finds_it[i], "1088") || strstr(finds_it[i], "tilaus") ? 0 : 1);
	}
	static const char *const finds_note[] = {"kanta-asiakas", "Kanta-asiakasetu", "asiakasetu", "kanta asiakasetu"};
	for (size_t i = 0; i < sizeof finds_note / sizeof finds_note[0]; i++) {
		CK_INT(store_search(R(s), finds_note[i], NULL, 200, 0, &r, &a, &err), 0);
		if (!has_hit(&r, "note", n.id))
			fprintf(stderr, "  search(%s) misses the note\n", finds_note[i]);
		CK(has_hit(&r, "note", n.id));
	}
	/* an e-mail address is words too, as every other text */
	static const char *const finds_cust[] = {"jakosana-posti.fi", "jakosana", "puolimatka@jakosana",
	                                         "pirkko.puolimatka@jakosana-posti.fi", "posti.fi"};
	for (size_t i = 0; i < sizeof finds_cust / sizeof finds_cust[0]; i++) {
		CK_INT(store_search(R(s), finds_cust[i], NULL, 200, 0, &r, &a, &err), 0);
		if (!has_hit(&r, "customer", cust))
			fprintf(stderr, "  search(%s) misses the customer\n", finds_cust[i]);
		CK(has_hit(&r, "customer", cust));
	}
	/* what is not there is not found */
	CK_INT(store_search(R(s), "108808", NULL, 200, 0, &r, &a, &err), 0);
	CK(!has_hit(&r, "interaction", it.id));
	CK_INT(store_search(R(s), "kanta-asiakaskortti", NULL, 200, 0, &r, &a, &err), 0);
	CK(!has_hit(&r, "note", n.id));

	/* snippets: the match marked inside its punctuation, words joined by punctuation marked as
	 * one, and a hit found by its customer's name shows that name marked */
	CK_INT(store_search(R(s), "1234-5678", NULL, 200, 0, &r, &a, &err), 0);
	h = find_hit(&r, "interaction", it.id);
	CK(h && h->snippet &&
	   strstr(h->snippet, "\xc2\xab"
	                      "1234-5678\xc2\xbb, pvm 14.3.2026"));
	if (h && h->snippet &&
	    !strstr(h->snippet, "\xc2\xab"
	                        "1234-5678\xc2\xbb, pvm 14.3.2026"))
		fprintf(stderr, "  snippet: %s\n", h->snippet);
	CK_INT(store_search(R(s), "99,90", NULL, 200, 0, &r, &a, &err), 0);
	h = find_hit(&r, "interaction", it.id);
	CK(h && h->snippet &&
	   strstr(h->snippet, "\xc2\xab"
	                      "99,90\xc2\xbb"));
	if (h && h->snippet &&
	    !strstr(h->snippet, "\xc2\xab"
	                        "99,90\xc2\xbb"))
		fprintf(stderr, "  snippet: %s\n", h->snippet);
	CK_INT(store_search(R(s), "O'Brien", NULL, 200, 0, &r, &a, &err), 0);
	h = find_hit(&r, "customer", obrien);
	CK(h && h->snippet &&
	   strstr(h->snippet, "\xc2\xab"
	                      "O'Brien\xc2\xbb"));
	if (h && h->snippet &&
	    !strstr(h->snippet, "\xc2\xab"
	                        "O'Brien\xc2\xbb"))
		fprintf(stderr, "  snippet: %s\n", h->snippet);
	CK_INT(store_search(R(s), "Puolimatka", NULL, 200, 0, &r, &a, &err), 0);
	const struct search_hit *hi = find_hit(&r, "interaction", it.id), *hn = find_hit(&r, "note", n.id);
	CK(hi && hi->snippet &&
	   strstr(hi->snippet, "\xc2\xab"
	                       "Puolimatka\xc2\xbb"));
	CK(hn && hn->snippet &&
	   strstr(hn->snippet, "\xc2\xab"
	                       "Puolimatka\xc2\xbb"));
	if (hi && hi->snippet && !strstr(hi->snippet, "\xc2\xab"))
		fprintf(stderr, "  snippet: %s\n", hi->snippet);
	arena_release(&a);
}

/* Addresses are searchable (street, postal code, city), a customer's and an organisation's; an
 * organisation's phone number is found as a customer's is, by the phone filter (the index holds
 * neither); a hit on an organisation's note names the organisation. */
static void case_search_addresses(struct store *s)
{
	struct arena a = ARENA_INIT;
	struct kp_err err = KP_ERR_INIT;
	struct contact_point cps[3] = {
	    {0, "email", "osoite.haku@example.fi", NULL, 1},
	    {0, "address",
	     "{\"street\":\"Osoitehaunkatu 12 B 7\",\"postal_code\":\"99870\",\"city\":\"Inari\","
	     "\"country\":\"FI\"}",
	     "koti", 1},
	    {0, "phone", "+358401112223", NULL, 1},
	};
	struct customer cu = {0};
	struct organization o = {0};
	struct note n = {0};
	struct search_result r;

	cu.name = "Oona Osoitteellinen";
	cu.custom_json = "{}";
	cu.contacts = cps;
	cu.ncontacts = 3;
	CK_INT(INS(s, OP_CUST_INS, &cu), 0);
	o.name = "Osoiteyhtiö Oy";
	o.phone = "+35895551239";
	o.address_json = "{\"street\":\"Mannerheimintie 995\",\"postal_code\":\"00980\",\"city\":\"Helsinki\","
	                 "\"country\":\"FI\"}";
	o.custom_json = "{}";
	CK_INT(INS(s, OP_ORG_INS, &o), 0);
	n.org_id = o.id;
	n.body = "Sopimus uusittu vuodeksi";
	CK_INT(INS(s, OP_NOTE_INS, &n), 0);

	static const char *const finds_cust[] = {"Osoitehaunkatu", "99870", "9987", "Inarissa", "osoitehaunkatu 12"};
	for (size_t i = 0; i < sizeof finds_cust / sizeof finds_cust[0]; i++) {
		CK_INT(store_search(R(s), finds_cust[i], NULL, 200, 0, &r, &a, &err), 0);
		if (!has_hit(&r, "customer", cu.id))
			fprintf(stderr, "  search(%s) misses the customer's address\n", finds_cust[i]);
		CK(has_hit(&r, "customer", cu.id));
	}
	static const char *const finds_org[] = {"Mannerheimintie 995", "00980", "osoiteyhtiö helsinki"};
	for (size_t i = 0; i < sizeof finds_org / sizeof finds_org[0]; i++) {
		CK_INT(store_search(R(s), finds_org[i], NULL, 200, 0, &r, &a, &err), 0);
		if (!has_hit(&r, "organization", o.id))
			fprintf(stderr, "  search(%s) misses the organisation's address\n", finds_org[i]);
		CK(has_hit(&r, "organization", o.id));
	}
	/* the address's field names and country are no words of it */
	CK_INT(store_search(R(s), "postal_code", NULL, 200, 0, &r, &a, &err), 0);
	CK(!has_hit(&r, "customer", cu.id) && !has_hit(&r, "organization", o.id));
	/* phone numbers are not in the index, neither a customer's nor an organisation's ... */
	CK_INT(store_search(R(s), "+35895551239", NULL, 200, 0, &r, &a, &err), 0);
	CK(!has_hit(&r, "organization", o.id));
	CK_INT(store_search(R(s), "358401112223", NULL, 200, 0, &r, &a, &err), 0);
	CK(!has_hit(&r, "customer", cu.id));
	/* ... but the phone filter finds both (api/search.c lists them first) */
	{
		struct org_filter f = {0};
		struct store_page pg = {0};
		struct org_list l;
		f.phone = "+35895551239";
		pg.limit = 50;
		CK_INT(store_org_list(R(s), &f, &pg, &l, &a, &err), 0);
		CK_INT(l.n, 1);
		CK(l.n == 1 && l.items[0].id == o.id);
		f.phone = "+35895551238";
		CK_INT(store_org_list(R(s), &f, &pg, &l, &a, &err), 0);
		CK_INT(l.n, 0);
	}
	/* an organisation's note names it; a customer's note does not */
	CK_INT(store_search(R(s), "Osoiteyhtiö sopimus", NULL, 200, 0, &r, &a, &err), 0);
	const struct search_hit *h = find_hit(&r, "note", n.id);
	CK(h != NULL);
	CK(h && h->customer_id == 0 && h->org_id == o.id);
	CK_INT(store_search(R(s), "Puolimatka kanta-asiakasetu", NULL, 200, 0, &r, &a, &err), 0);
	CK(r.n >= 1);
	for (size_t i = 0; i < r.n; i++)
		if (strcmp(r.items[i].entity, "note") == 0)
			CK(r.items[i].customer_id > 0 && r.items[i].org_id == 0);
	/* a changed address is found by the new one only */
	o.address_json = "{\"city\":\"Utsjoki\",\"country\":\"FI\"}";
	CK_INT(UPD(s, OP_ORG_UPD, &o, o.version), 0);
	CK_INT(store_search(R(s), "Utsjoki", NULL, 200, 0, &r, &a, &err), 0);
	CK(has_hit(&r, "organization", o.id));
	CK_INT(store_search(R(s), "Mannerheimintie 995", NULL, 200, 0, &r, &a, &err), 0);
	CK(!has_hit(&r, "organization", o.id));
	arena_release(&a);
}

/* The best hit comes first however many texts match: a backend may cap the candidates it
 * ranks, but it must rank before it cuts, or a common word's best hit is lost behind the
 * first thousand found. The best one here is written last, after 1,100 weaker ones. */
static void case_search_rank_many(struct store *s)
{
	struct arena a = ARENA_INIT;
	struct kp_err err = KP_ERR_INIT;
	int64_t cust = new_customer(s, "Rauni Rankinen", "rank", NULL);
	struct note n = { 0 };
	struct search_result r, page;

	n.customer_id = cust;
	n.body = "Yhteydenotto koskien vesimittaria ja muita asioita, joista puhuttiin pitkään puhelimessa.";
	for (int i = 0; i < 1100; i++) {
		n.id = 0;
		CK_INT(INS(s, OP_NOTE_INS, &n), 0);
	}
	n.id = 0;
	n.body = "Vesimittari, vesimittari ja vesimittari.";
	CK_INT(INS(s, OP_NOTE_INS, &n), 0);
	CK_INT(store_search(R(s), "vesimittari", NULL, 5, 0, &r, &a, &err), 0);
	CK(r.n == 5 && r.more);
	CK(r.n > 0 && strcmp(r.items[0].entity, "note") == 0 && r.items[0].id == n.id);
	/* paging far into the weak ones is stable: the same page twice is the same hits */
	CK_INT(store_search(R(s), "vesimittari", NULL, 20, 900, &r, &a, &err), 0);
	CK_INT(store_search(R(s), "vesimittari", NULL, 20, 900, &page, &a, &err), 0);
	CK(r.n == page.n);
	for (size_t i = 0; i < r.n && i < page.n; i++)
		CK(r.items[i].id == page.items[i].id);
	arena_release(&a);
}

/* ---- audit and idempotency ----------------------------------------------------------------- */

static void case_audit(struct store *s)
{
	struct arena a = ARENA_INIT;
	struct kp_err err = KP_ERR_INIT;
	struct audit_filter f = { 0 };
	struct audit_list l;
	int64_t ids[5];

	for (int i = 0; i < 5; i++) {
		struct audit_entry e = { 0 };
		e.actor_id = i % 2 ? 7 : 0;
		e.actor = i % 2 ? "agentti@example.fi" : "system";
		e.action = i == 4 ? "delete" : "update";
		e.entity = "ct_audit";
		e.entity_id = 100 + i;
		e.request_id = "req-1";
		e.changes_json = "{\"name\":[\"a\",\"b\"]}";
		CK_INT(INS(s, OP_AUDIT_INS, &e), 0);
		CK(e.id > 0 && e.at > 0);
		ids[i] = e.id;
	}
	f.entity = "ct_audit";
	f.limit = 2;
	CK_INT(store_audit_list(R(s), &f, &l, &a, &err), 0);
	CK_INT(l.n, 2);
	CK_INT(l.more, 1);
	if (l.n == 2) {
		CK_INT(l.items[0].id, ids[4]);
		CK_INT(l.items[1].id, ids[3]);
		CK_STR(l.items[0].action, "delete");
		CK_STR(l.items[0].changes_json, "{\"name\":[\"a\",\"b\"]}");
		CK_STR(l.items[0].request_id, "req-1");
		f.before_id = l.items[1].id;
	}
	f.limit = 10;
	CK_INT(store_audit_list(R(s), &f, &l, &a, &err), 0);
	CK_INT(l.n, 3);
	CK_INT(l.more, 0);
	if (l.n == 3)
		CK_INT(l.items[0].id, ids[2]);
	memset(&f, 0, sizeof f);
	f.entity = "ct_audit";
	f.actor_id = 7;
	CK_INT(store_audit_list(R(s), &f, &l, &a, &err), 0);
	CK_INT(l.n, 2);
	memset(&f, 0, sizeof f);
	f.entity = "ct_audit";
	f.entity_id = 102;
	CK_INT(store_audit_list(R(s), &f, &l, &a, &err), 0);
	CK_INT(l.n, 1);
	f.entity_id = 0;
	f.action = "delete";
	CK_INT(store_audit_list(R(s), &f, &l, &a, &err), 0);
	CK_INT(l.n, 1);
	arena_release(&a);
}

/* Erasure's reads and writes of the audit log in sets (store_audit_unredacted,
 * store_audit_redact_set): entries of entity "ct_red", entity_id 1..CT_RED_N, two each (ids
 * in ins[]), and one of "ct_red_other" under id 7 that no read of "ct_red" may list. */
#define CT_RED_N 700
struct ct_red {
	int step;
	int64_t ins[CT_RED_N + 1][2], other, at, done, done2;
	struct audit_redaction r[4];
	size_t nr;
};

static int ct_red_w(struct store_conn *c, void *arg, struct kp_err *err)
{
	struct ct_red *x = arg;
	int rc = 0;
	if (x->step == 0) {
		for (int i = 1; i <= CT_RED_N && rc == 0; i++)
			for (int k = 0; k < 2 && rc == 0; k++) {
				struct audit_entry e = {.actor_id = 3,
				                        .actor = "agentti@example.fi",
				                        .action = k ? "update" : "create",
				                        .entity = "ct_red",
				                        .entity_id = i,
				                        .request_id = "req-red",
				                        .changes_json =
				                            "{\"name\":[null,\"Qvxred \\\"x\\\" \\\\ \u00e4\"]}"};
				rc = store_audit_insert(c, &e, err);
				x->ins[i][k] = e.id;
			}
		struct audit_entry o = {.actor = "system",
		                        .action = "update",
		                        .entity = "ct_red_other",
		                        .entity_id = 7,
		                        .changes_json = "{\"name\":[\"a\",\"b\"]}"};
		if (rc == 0 && (rc = store_audit_insert(c, &o, err)) == 0)
			x->other = o.id;
		return rc;
	}
	/* the set, then the same set again: redacted once */
	if ((rc = store_audit_redact_set(c, x->r, x->nr, x->at, &x->done, err)))
		return rc;
	return store_audit_redact_set(c, x->r, x->nr, x->at + 1, &x->done2, err);
}

static void case_audit_redact_set(struct store *s)
{
	struct arena a = ARENA_INIT;
	struct kp_err err = KP_ERR_INIT;
	struct audit_list l;
	struct ct_red *x = calloc(1, sizeof *x);
	int64_t ids[] = {7, 9, 123456789};

	CK_INT(store_exec(s, ct_red_w, x, &err), 0);
	/* a page of the entries of those ids, oldest first; the next after its last id */
	CK_INT(store_audit_unredacted(R(s), "ct_red", ids, 3, 0, 3, &l, &a, &err), 0);
	CK_INT(l.n, 3);
	CK_INT(l.more, 1);
	if (l.n == 3) {
		CK_INT(l.items[0].id, x->ins[7][0]);
		CK_INT(l.items[1].id, x->ins[7][1]);
		CK_INT(l.items[2].id, x->ins[9][0]);
		CK_STR(l.items[0].entity, "ct_red");
		CK_STR(l.items[1].action, "update");
		CK_STR(l.items[0].changes_json, "{\"name\":[null,\"Qvxred \\\"x\\\" \\\\ \u00e4\"]}");
		CK_INT(l.items[0].redacted_at, 0);
		CK_INT(store_audit_unredacted(R(s), "ct_red", ids, 3, l.items[2].id, 3, &l, &a, &err), 0);
		CK_INT(l.n, 1);
		CK_INT(l.more, 0);
		if (l.n == 1)
			CK_INT(l.items[0].id, x->ins[9][1]);
	}
	CK_INT(store_audit_unredacted(R(s), "ct_red_other", ids, 1, 0, 10, &l, &a, &err), 0);
	CK_INT(l.n, 1);
	CK_INT(store_audit_unredacted(R(s), "ct_red", ids, 0, 0, 10, &l, &a, &err), 0);
	CK_INT(l.n, 0);

	/* a set: two entries, quotes, a backslash and a non-ASCII letter in the new text, an id
	 * that no entry has; each changed once, the texts exactly as given */
	x->step = 1;
	x->at = 1700000000000;
	x->r[0] = (struct audit_redaction){x->ins[7][0], "{\"name\":\"[redacted] \\\"q\\\" \\\\ \u00e4\"}"};
	x->r[1] = (struct audit_redaction){x->ins[9][1], "{\"name\":\"[redacted]\"}"};
	x->r[2] = (struct audit_redaction){x->other + 1000000, "{}"};
	x->nr = 3;
	CK_INT(store_exec(s, ct_red_w, x, &err), 0);
	CK_INT(x->done, 2);
	CK_INT(x->done2, 0);
	struct audit_filter f = {.entity = "ct_red", .entity_id = 7, .limit = 10};
	CK_INT(store_audit_list(R(s), &f, &l, &a, &err), 0);
	CK_INT(l.n, 2);
	if (l.n == 2) {
		CK_INT(l.items[1].id, x->ins[7][0]);
		CK_STR(l.items[1].changes_json, x->r[0].changes_json);
		CK_INT(l.items[1].redacted_at, x->at);
		CK_INT(l.items[1].actor_id, 3);
		CK_STR(l.items[1].actor, "agentti@example.fi");
		CK_STR(l.items[1].action, "create");
		CK_STR(l.items[1].request_id, "req-red");
		CK_INT(l.items[0].redacted_at, 0);
	}
	CK_INT(store_audit_unredacted(R(s), "ct_red", ids, 3, 0, 10, &l, &a, &err), 0);
	CK_INT(l.n, 2);
	if (l.n == 2) {
		CK_INT(l.items[0].id, x->ins[7][1]);
		CK_INT(l.items[1].id, x->ins[9][0]);
	}

	/* every entry of CT_RED_N ids, a slice and a page at a time, as customer_erase reads them:
	 * each listed once, none but the two redacted above missing */
	int64_t *all = calloc(CT_RED_N, sizeof *all);
	size_t listed = 0;
	for (int i = 0; i < CT_RED_N; i++)
		all[i] = i + 1;
	for (size_t k = 0; k < CT_RED_N; k += 256) {
		size_t m = CT_RED_N - k < 256 ? CT_RED_N - k : 256;
		int64_t after = 0;
		for (;;) {
			arena_reset(&a);
			if (store_audit_unredacted(R(s), "ct_red", all + k, m, after, 100, &l, &a, &err)) {
				CK(0);
				break;
			}
			for (size_t i = 0; i < l.n; i++)
				CK(l.items[i].id > after && (i == 0 || l.items[i].id > l.items[i - 1].id));
			listed += l.n;
			if (!l.more || !l.n)
				break;
			after = l.items[l.n - 1].id;
		}
	}
	CK_INT(listed, 2 * CT_RED_N - 2);
	free(all);
	free(x);
	arena_release(&a);
}

static void case_idempotency(struct store *s)
{
	struct arena a = ARENA_INIT;
	struct kp_err err = KP_ERR_INIT;
	struct idem_entry e = { 0 }, got;

	e.key = "avain-1";
	e.staff_id = 1;
	e.fingerprint = "fp-1";
	e.status = 201;
	e.location = "/api/v1/customers/5";
	e.body = "{\"id\":5}";
	e.created_at = 1000;
	CK_INT(INS(s, OP_IDEM_PUT, &e), 0);
	CK_INT(INS(s, OP_IDEM_PUT, &e), KP_ECONFLICT);
	e.staff_id = 2; /* keys are per staff member */
	e.created_at = 0;
	CK_INT(INS(s, OP_IDEM_PUT, &e), 0);
	CK_INT(store_idem_get(R(s), 1, "avain-1", &got, &a, &err), 0);
	CK_STR(got.fingerprint, "fp-1");
	CK_INT(got.status, 201);
	CK_STR(got.location, "/api/v1/customers/5");
	CK_STR(got.body, "{\"id\":5}");
	CK_INT(got.created_at, 1000);
	CK_INT(store_idem_get(R(s), 1, "avain-2", &got, &a, &err), KP_ENOTFOUND);
	CK_INT(W(s, OP_IDEM_PURGE, NULL, 2000, 0, 0, NULL), 0);
	CK_INT(store_idem_get(R(s), 1, "avain-1", &got, &a, &err), KP_ENOTFOUND);
	CK_INT(store_idem_get(R(s), 2, "avain-1", &got, &a, &err), 0);

	/* an erasure forgets the answers that name the record in their Location or their
	 * subject (an answer without a Location, such as a merge's), and no other */
	static const struct {
		const char *key, *location, *subject;
		int kept;
	} rows[] = {
	    {"f-loc", "/api/v1/customers/7", NULL, 0},
	    {"f-subject", NULL, "/api/v1/customers/7", 0},
	    {"f-other", NULL, "/api/v1/customers/70", 1},
	    {"f-note", "/api/v1/notes/7", NULL, 1},
	    {"f-none", NULL, NULL, 1},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct idem_entry f = {.key = rows[i].key, .staff_id = 3, .fingerprint = "fp", .status = 200,
		                       .location = rows[i].location, .subject = rows[i].subject, .body = "{}"};
		CK_INT(INS(s, OP_IDEM_PUT, &f), 0);
	}
	int64_t ids[] = {7, 8};
	CK_INT(W(s, OP_IDEM_FORGET, ids, 2, 0, 0, "/api/v1/customers/"), 0);
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		CK_INT(store_idem_get(R(s), 3, rows[i].key, &got, &a, &err), rows[i].kept ? 0 : KP_ENOTFOUND);
	arena_release(&a);
}

/* ---- the writer: group commit -------------------------------------------------------------- */

struct gc_job {
	struct store_job job;
	struct customer cu;
	const char *tags[1];
	int fail;   /* return an error after inserting */
	int sleep_ms;
	int rc;
};

static pthread_mutex_t gc_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gc_cond = PTHREAD_COND_INITIALIZER;
static int gc_done;

static int gc_run(struct store_conn *c, void *arg, struct kp_err *err)
{
	struct gc_job *j = arg;
	int rc;

	if (j->sleep_ms)
		usleep((useconds_t)j->sleep_ms * 1000);
	rc = store_customer_insert(c, &j->cu, err);
	if (rc)
		return rc;
	if (j->fail)
		return kp_err_set(err, KP_EVALIDATION, "this job fails on purpose");
	return 0;
}

static void gc_finish(void *arg, int rc, const struct kp_err *err)
{
	struct gc_job *j = arg;

	j->rc = rc;
	if (rc && !err)
		ct_fail(__FILE__, __LINE__, "done(rc %d) without err", rc);
	pthread_mutex_lock(&gc_lock);
	gc_done++;
	pthread_cond_broadcast(&gc_cond);
	pthread_mutex_unlock(&gc_lock);
}

static void gc_init(struct gc_job *j, const char *name, const char *tag)
{
	memset(j, 0, sizeof *j);
	j->cu.name = name;
	j->cu.custom_json = "{}";
	j->tags[0] = tag;
	j->cu.tags = j->tags;
	j->cu.ntags = 1;
	j->job.run = gc_run;
	j->job.done = gc_finish;
	j->job.arg = j;
	j->rc = 12345;
}

static void gc_wait(int n)
{
	pthread_mutex_lock(&gc_lock);
	while (gc_done < n)
		pthread_cond_wait(&gc_cond, &gc_lock);
	pthread_mutex_unlock(&gc_lock);
}

struct gc_thread {
	struct store *s;
	struct gc_job *jobs;
	int n;
	int submit_failures;
};

static void *gc_submitter(void *arg)
{
	struct gc_thread *t = arg;

	for (int i = 0; i < t->n; i++)
		if (store_submit(t->s, &t->jobs[i].job) != 0)
			t->submit_failures++;
	return NULL;
}

static size_t count_tag(struct store *s, const char *tag)
{
	struct arena a = ARENA_INIT;
	struct kp_err err = KP_ERR_INIT;
	struct customer_filter f = { 0 };
	struct store_page pg = { 0 };
	struct customer_list l;
	size_t n = 0;

	f.tag = tag;
	pg.limit = 200;
	for (int guard = 0; guard < 100; guard++) {
		if (store_customer_list(R(s), &f, &pg, &l, &a, &err) != 0) {
			ct_fail(__FILE__, __LINE__, "count %s: %s", tag, err.msg);
			break;
		}
		n += l.n;
		if (!l.more || !l.n)
			break;
		pg.has_after = 1;
		pg.after_id = l.items[l.n - 1].id;
	}
	arena_release(&a);
	return n;
}

static void case_group_commit_concurrent(struct store *s)
{
	enum { THREADS = 4, PER = 50 };
	static struct gc_job jobs[THREADS * PER];
	struct gc_thread th[THREADS];
	pthread_t tid[THREADS];
	int ok = 0;

	gc_done = 0;
	for (int i = 0; i < THREADS * PER; i++)
		gc_init(&jobs[i], "Ryhmä Kommitti", "gc-concurrent");
	for (int t = 0; t < THREADS; t++) {
		th[t] = (struct gc_thread){ s, jobs + t * PER, PER, 0 };
		pthread_create(&tid[t], NULL, gc_submitter, &th[t]);
	}
	for (int t = 0; t < THREADS; t++) {
		pthread_join(tid[t], NULL);
		CK_INT(th[t].submit_failures, 0);
	}
	gc_wait(THREADS * PER);
	for (int i = 0; i < THREADS * PER; i++)
		ok += jobs[i].rc == 0 && jobs[i].cu.id > 0;
	CK_INT(ok, THREADS * PER);
	CK_INT(count_tag(s, "gc-concurrent"), THREADS * PER);
}

static void case_group_commit_isolation(struct store *s)
{
	enum { N = 20 };
	static struct gc_job jobs[N + 1];
	struct store_stats before, after;
	uint64_t big_before = 0, big_after = 0;

	store_get_stats(s, &before);
	gc_done = 0;
	/* A slow first job keeps the writer busy so the rest queue up behind it and share a
	 * commit; one of them fails and must be rolled back alone. */
	gc_init(&jobs[0], "Hidas Työ", "gc-ok");
	jobs[0].sleep_ms = 300;
	for (int i = 1; i <= N; i++)
		gc_init(&jobs[i], "Jonossa", i == 7 ? "gc-fail" : "gc-ok");
	jobs[7].fail = 1;
	CK_INT(store_submit(s, &jobs[0].job), 0);
	usleep(50 * 1000);
	for (int i = 1; i <= N; i++)
		CK_INT(store_submit(s, &jobs[i].job), 0);
	gc_wait(N + 1);
	store_get_stats(s, &after);
	for (int i = 0; i <= N; i++)
		CK_INT(jobs[i].rc, i == 7 ? KP_EVALIDATION : 0);
	CK_INT(count_tag(s, "gc-fail"), 0);
	CK_INT(count_tag(s, "gc-ok"), N);
	CK_INT(after.jobs - before.jobs, N + 1);
	CK(after.commits - before.commits < after.jobs - before.jobs);
	for (int b = 1; b < 5; b++) {
		big_before += before.batch_hist[b];
		big_after += after.batch_hist[b];
	}
	CK(big_after > big_before);
	CK_INT(after.failed_commits, before.failed_commits);
}

/* ---- read snapshots (store_read_begin/end, store_read_snapshot, store_read_release) ---- */

static int ct_get_name(struct store_conn *c, int64_t id, char *name, size_t cap)
{
	struct arena a = ARENA_INIT;
	struct kp_err err = KP_ERR_INIT;
	struct customer cu;
	int rc = store_customer_get(c, id, &cu, &a, &err);

	if (rc == 0)
		snprintf(name, cap, "%s", cu.name);
	arena_release(&a);
	return rc;
}

static void case_read_snapshot(struct store *s)
{
	struct kp_err err = KP_ERR_INIT;
	struct store_conn *c;
	char name[64];
	int64_t id = new_customer(s, "Tilannekuva Ensin", "snap", NULL);
	struct customer cu = { 0 };

	/* A request's reads, then a write acknowledged after them: the next request, even if
	 * it continues the same connection's snapshot, must see the write. */
	c = store_read_snapshot(s, &err);
	CK(c != NULL);
	CK_INT(ct_get_name(c, id, name, sizeof name), 0);
	CK_STR(name, "Tilannekuva Ensin");
	store_read_end(c);
	cu.name = "Tilannekuva Toinen";
	cu.custom_json = "{}";
	cu.id = id;
	CK_INT(UPD(s, OP_CUST_UPD, &cu, 1), 0);
	c = store_read_snapshot(s, &err);
	CK(c != NULL);
	CK_INT(ct_get_name(c, id, name, sizeof name), 0);
	CK_STR(name, "Tilannekuva Toinen");
	store_read_end(c);

	/* With nothing committed in between, two requests may share a snapshot, and both see
	 * everything acknowledged before the first began. */
	int64_t id2 = new_customer(s, "Tilannekuva Kolmas", "snap", NULL);
	c = store_read_snapshot(s, &err);
	CK(c != NULL);
	CK_INT(ct_get_name(c, id2, name, sizeof name), 0);
	store_read_end(c);
	c = store_read_snapshot(s, &err);
	CK(c != NULL);
	CK_INT(ct_get_name(c, id2, name, sizeof name), 0);
	CK_STR(name, "Tilannekuva Kolmas");
	store_read_end(c);

	/* Reads outside a read transaction (store_reader) never run on a kept snapshot: a
	 * write acknowledged after the last request's reads is visible to them. */
	int64_t id3 = new_customer(s, "Tilannekuva Neljäs", "snap", NULL);
	CK_INT(ct_get_name(R(s), id3, name, sizeof name), 0);
	CK_STR(name, "Tilannekuva Neljäs");

	/* A failed read inside the transaction leaves the connection usable, and release ends
	 * whatever is kept; release without a reader or twice is harmless. */
	c = store_read_snapshot(s, &err);
	CK(c != NULL);
	CK_INT(ct_get_name(c, id3 + 1000000, name, sizeof name), KP_ENOTFOUND);
	store_read_end(c);
	store_read_release(s);
	store_read_release(s);
	CK_INT(ct_get_name(R(s), id3, name, sizeof name), 0);
	c = store_read_snapshot(s, &err);
	CK(c != NULL);
	CK_INT(ct_get_name(c, id, name, sizeof name), 0);
	store_read_end(c);
	store_read_release(s);
}

/* One round of case_two_stores: ins creates a customer with an interaction and a note, an
 * organisation and a field (each the newest of its table, and ins's floors read); del
 * deletes them all; ins creates them again, and none may get an id del's deletes freed. */
static void ct_two_stores_round(struct store *ins, struct store *del, int round)
{
	struct customer cu = {0};
	struct interaction it = {0};
	struct note n = {0};
	struct organization o = {0};
	struct field_def fd = {0};
	int64_t gone[5];

	for (int pass = 0; pass < 2; pass++) {
		cu = (struct customer){.name = pass ? "Toinen Kirjoittaja" : "Ensimmäinen Kirjoittaja",
		                       .custom_json = "{}"};
		CK_INT(INS(ins, OP_CUST_INS, &cu), 0);
		it = (struct interaction){
		    .customer_id = cu.id, .kind = "call", .direction = "inbound", .occurred_at = 1700000000000LL};
		CK_INT(INS(ins, OP_INTER_INS, &it), 0);
		n = (struct note){.customer_id = cu.id, .body = "Kahden kirjoittajan muistiinpano"};
		CK_INT(INS(ins, OP_NOTE_INS, &n), 0);
		o = (struct organization){.name = "Kaksi Kirjoittajaa Oy", .custom_json = "{}"};
		CK_INT(INS(ins, OP_ORG_INS, &o), 0);
		fd = (struct field_def){
		    .entity = "customer", .key = round ? "kaksi_b" : "kaksi_a", .label = "Kaksi", .type = "text"};
		CK_INT(INS(ins, OP_FIELD_INS, &fd), 0);
		if (pass == 1) {
			CK(cu.id > gone[0]);
			CK(it.id > gone[1]);
			CK(n.id > gone[2]);
			CK(o.id > gone[3]);
			CK(fd.id > gone[4]);
			break;
		}
		gone[0] = cu.id, gone[1] = it.id, gone[2] = n.id, gone[3] = o.id, gone[4] = fd.id;
		CK_INT(DEL(del, OP_NOTE_DEL, n.id, 0), 0);
		CK_INT(DEL(del, OP_INTER_DEL, it.id, 0), 0);
		CK_INT(DEL(del, OP_CUST_DEL, cu.id, 0), 0);
		CK_INT(DEL(del, OP_ORG_DEL, o.id, 0), 0);
		CK_INT(DEL(del, OP_FIELD_DEL, fd.id, 0), 0);
	}
}

/* Two stores on one database: two servers on one SQLite file, or a CLI command beside a
 * server. What one writes, the other's writer and readers see: a row the one deletes while
 * it is the newest never has its id given out again by the other, which had read the id
 * floors before (SQLite: the writer reads them again after another connection committed,
 * idfloor.c), and a reader's kept snapshot, once released, shows the other's writes. The
 * second store commits each batch inline, the first pipelined: both ways of beginning. */
static void case_two_stores(struct store *s)
{
	struct kp_err err = KP_ERR_INIT;
	struct store_options o = {.sync_inline = 1};
	struct store *s2 = NULL;
	struct store_conn *c;
	struct customer cu = {0};
	char name[64];

	if (store_open(ct_url, &o, &s2, &err) != 0) {
		ct_fail(__FILE__, __LINE__, "open a second store: %s", err.msg);
		return;
	}
	ct_two_stores_round(s, s2, 0);
	ct_two_stores_round(s2, s, 1);

	int64_t id = new_customer(s, "Kaksi Näkymää", NULL, NULL);
	c = store_read_snapshot(s, &err);
	CK(c != NULL);
	CK_INT(ct_get_name(c, id, name, sizeof name), 0);
	CK_STR(name, "Kaksi Näkymää");
	store_read_end(c); /* kept: s has committed nothing since */
	cu.id = id;
	cu.name = "Kaksi Näkymää Muutettu";
	cu.custom_json = "{}";
	CK_INT(UPD(s2, OP_CUST_UPD, &cu, 1), 0);
	store_read_release(s); /* the event loop's next iteration */
	c = store_read_snapshot(s, &err);
	CK(c != NULL);
	CK_INT(ct_get_name(c, id, name, sizeof name), 0);
	CK_STR(name, "Kaksi Näkymää Muutettu");
	store_read_end(c);
	store_read_release(s);
	store_close(s2);
}

static int exec_fails(struct store_conn *c, void *arg, struct kp_err *err)
{
	struct customer *cu = arg;
	int rc = store_customer_insert(c, cu, err);

	if (rc)
		return rc;
	return kp_err_set(err, KP_ECONFLICT, "exec fails on purpose");
}

static void case_exec(struct store *s)
{
	struct kp_err err = KP_ERR_INIT;
	struct customer cu = { 0 };
	const char *tags[1] = { "exec-fail" };
	struct store_stats st;
	int version = 0;

	cu.name = "Exec";
	cu.custom_json = "{}";
	cu.tags = tags;
	cu.ntags = 1;
	CK_INT(store_exec(s, exec_fails, &cu, &err), KP_ECONFLICT);
	CK_INT(err.status, KP_ECONFLICT);
	CK_STR(err.msg, "exec fails on purpose");
	CK_INT(count_tag(s, "exec-fail"), 0);
	store_get_stats(s, &st);
	CK(st.commits > 0 && st.jobs >= st.commits);
	CK_INT(store_ping(s, &err), 0);
	CK_INT(store_schema_version(s, &version, &err), 0);
	CK(version >= 1);
}

/* ---- bulk load (store_bulk_load) ---------------------------------------------------------- */

/* PostgreSQL only: how many of the indexes a bulk load defers exist now. The contract
 * otherwise sees only store.h; this looks at the schema so that the test fails if the
 * indexes are not dropped during a load or not built again after it. */
static int pg_deferred_indexes_present(void)
{
	PGconn *pg = PQconnectdb(ct_url);
	int n = -1;

	if (PQstatus(pg) == CONNECTION_OK) {
		PGresult *r = PQexec(pg, "SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema()"
					 " AND indexname IN ('customers_search', 'customers_name', 'customer_contacts_value',"
					 " 'interactions_search', 'interactions_timeline')");
		if (PQresultStatus(r) == PGRES_TUPLES_OK)
			n = atoi(PQgetvalue(r, 0, 0));
		PQclear(r);
	}
	PQfinish(pg);
	return n;
}

/* What a bulk load stores is found like anything else once it ends (lookups by e-mail,
 * tag and name, search, the timeline), and on PostgreSQL a load that dies halfway has its
 * indexes built by the next open. */
static void case_bulk_load(struct store *s)
{
	struct arena a = ARENA_INIT;
	struct kp_err err = KP_ERR_INIT;
	struct customer_filter f = { 0 };
	struct store_page pg = { .limit = 50 };
	struct customer_list l;
	struct search_result r;
	struct interaction it = { 0 };
	struct interaction_filter itf = { 0 };
	struct interaction_list il;
	int is_pg = strcmp(store_backend_name(s), "postgres") == 0;

	store_reader_close(s);
	CK_INT(store_bulk_load(s, 1, &err), 0);
	if (is_pg)
		CK_INT(pg_deferred_indexes_present(), 0);
	int64_t id = new_customer(s, "Kuormaaja Bulkkinen", "bulkkuorma", "bulk.one@example.fi");
	it.customer_id = id;
	it.kind = "email";
	it.direction = "inbound";
	it.summary = "Toimitus";
	it.body = "Pakettitoimitus myöhästyi viikolla.";
	it.occurred_at = 1700000000000LL;
	CK_INT(INS(s, OP_INTER_INS, &it), 0);
	CK_INT(store_bulk_load(s, 0, &err), 0);
	if (is_pg)
		CK_INT(pg_deferred_indexes_present(), 5);

	f.email = "bulk.one@example.fi";
	CK_INT(store_customer_list(R(s), &f, &pg, &l, &a, &err), 0);
	CK_INT(l.n, 1);
	memset(&f, 0, sizeof f);
	f.tag = "bulkkuorma";
	CK_INT(store_customer_list(R(s), &f, &pg, &l, &a, &err), 0);
	CK_INT(l.n, 1);
	memset(&f, 0, sizeof f);
	f.name_prefix = "kuormaaja bulk";
	CK_INT(store_customer_list(R(s), &f, &pg, &l, &a, &err), 0);
	CK_INT(l.n, 1);
	CK_INT(store_search(R(s), "Bulkkinen", NULL, 20, 0, &r, &a, &err), 0);
	CK(has_hit(&r, "customer", id));
	CK_INT(store_search(R(s), "pakettitoimitus", NULL, 20, 0, &r, &a, &err), 0);
	CK(has_hit(&r, "interaction", it.id));
	itf.customer_id = id;
	CK_INT(store_interaction_list(R(s), &itf, &pg, &il, &a, &err), 0);
	CK_INT(il.n, 1);

	if (is_pg) {
		/* a load that dies with its indexes dropped: the next open builds them */
		struct store *again = NULL;
		CK_INT(store_bulk_load(s, 1, &err), 0);
		CK_INT(pg_deferred_indexes_present(), 0);
		CK_INT(store_open(ct_url, NULL, &again, &err), 0);
		CK_INT(pg_deferred_indexes_present(), 5);
		if (again)
			store_close(again);
		CK_INT(store_bulk_load(s, 0, &err), 0); /* nothing left to build */
		CK_INT(pg_deferred_indexes_present(), 5);
	}
	arena_release(&a);
}

/* ---- e-mails stored in their xn-- spelling ------------------------------------------------- */

static int ct_has_id(const int64_t *ids, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (ids[i] == id)
			return 1;
	return 0;
}

static int ct_search_finds(struct store *s, const char *q, const char *entity, int64_t id)
{
	struct kp_err err = KP_ERR_INIT;
	struct arena a = ARENA_INIT;
	struct search_result r = {0};
	int found = 0;
	if (store_search(R(s), q, NULL, 50, 0, &r, &a, &err) == 0)
		for (size_t i = 0; i < r.n; i++)
			found |= !strcmp(r.items[i].entity, entity) && r.items[i].id == id;
	arena_release(&a);
	return found;
}

/* Customers' and organisations' e-mails stored before an xn-- domain was read as letters (as
 * an older version wrote them, through the store) are found by store_email_idn_ids() and
 * respelt by customer_email_backfill(): stored in letters, audited, found by a list filter and
 * a search in letters; a customer who had both spellings keeps the address once; a second
 * run changes nothing. */
static void case_email_idn(struct store *s)
{
	struct kp_err err = KP_ERR_INIT;
	struct arena a = ARENA_INIT;
	int64_t ids[8];
	size_t n = 0;
	long long nc = -1, no = -1;

	int64_t plain = new_customer(s, "Idn Tavallinen", NULL, "tavallinen@example.fi");
	int64_t cu1 = new_customer(s, "Idn Ensimmäinen", NULL, "maija@xn--sksmki-buaad.fi");
	struct contact_point two[3] = {{0, "email", "pekka@xn--plkne-grac.fi", NULL, 1},
	                               {0, "phone", "+358401234567", NULL, 0},
	                               {0, "email", "pekka@pälkäne.fi", "työ", 0}};
	struct customer cu = {.name = "Idn Toinen", .custom_json = "{}", .contacts = two, .ncontacts = 3};
	CK_INT(INS(s, OP_CUST_INS, &cu), 0);
	int64_t cu2 = cu.id;
	int64_t local = new_customer(s, "Idn Paikallinen", NULL, "xn--abc@example.fi"); /* not a domain */
	struct organization o = {.name = "Idn Oy", .email = "info@xn--sksmki-buaad.fi", .custom_json = "{}"};
	CK_INT(INS(s, OP_ORG_INS, &o), 0);

	CK_INT(store_email_idn_ids(R(s), "customer", 0, 8, ids, &n, &err), 0);
	CK(n >= 3 && ct_has_id(ids, n, cu1) && ct_has_id(ids, n, cu2) && ct_has_id(ids, n, local) &&
	   !ct_has_id(ids, n, plain));
	for (size_t i = 1; i < n; i++)
		CK(ids[i - 1] < ids[i]);
	CK_INT(store_email_idn_ids(R(s), "customer", cu1, 8, ids, &n, &err), 0);
	CK(!ct_has_id(ids, n, cu1) && ct_has_id(ids, n, cu2));
	CK_INT(store_email_idn_ids(R(s), "customer", 0, 1, ids, &n, &err), 0);
	CK_INT(n, 1);
	CK_INT(store_email_idn_ids(R(s), "organization", 0, 8, ids, &n, &err), 0);
	CK(ct_has_id(ids, n, o.id));
	CK(!ct_search_finds(s, "maija@sääksmäki.fi", "customer", cu1));

	CK_INT(customer_email_backfill(s, &nc, &no, &err), 0);
	CK_INT(nc, 2);
	CK_INT(no, 1);
	struct customer got;
	CK_INT(store_customer_get(R(s), cu1, &got, &a, &err), 0);
	CK(got.ncontacts == 1 && !strcmp(got.contacts[0].value, "maija@sääksmäki.fi") && got.contacts[0].primary);
	CK_INT(store_customer_get(R(s), cu2, &got, &a, &err), 0);
	CK_INT(got.ncontacts, 2);
	if (got.ncontacts == 2) {
		CK(!strcmp(got.contacts[0].value, "pekka@pälkäne.fi") && got.contacts[0].primary);
		CK(!strcmp(got.contacts[1].kind, "phone"));
	}
	CK_INT(store_customer_get(R(s), local, &got, &a, &err), 0);
	CK(got.ncontacts == 1 && !strcmp(got.contacts[0].value, "xn--abc@example.fi") && got.version == 1);
	struct organization og;
	CK_INT(store_org_get(R(s), o.id, &og, &a, &err), 0);
	CK(og.email && !strcmp(og.email, "info@sääksmäki.fi"));
	/* found in letters: the list filter and search */
	struct customer_filter f = {.email = "maija@sääksmäki.fi"};
	struct store_page pg = {.limit = 10};
	struct customer_list cl;
	CK_INT(store_customer_list(R(s), &f, &pg, &cl, &a, &err), 0);
	CK(cl.n == 1 && cl.items[0].id == cu1);
	CK(ct_search_finds(s, "maija@sääksmäki.fi", "customer", cu1));
	CK(ct_search_finds(s, "pälkäne", "customer", cu2));
	CK(ct_search_finds(s, "info@sääksmäki.fi", "organization", o.id));
	/* audited as an edit by the system */
	struct audit_filter af = {.entity = "customer", .entity_id = cu1, .action = "update", .limit = 10};
	struct audit_list al;
	CK_INT(store_audit_list(R(s), &af, &al, &a, &err), 0);
	CK(al.n == 1 && al.items[0].changes_json && strstr(al.items[0].changes_json, "xn--sksmki-buaad") &&
	   strstr(al.items[0].changes_json, "maija@sääksmäki.fi") && strstr(al.items[0].changes_json, "emails"));
	struct audit_filter ao = {.entity = "organization", .entity_id = o.id, .action = "update", .limit = 10};
	CK_INT(store_audit_list(R(s), &ao, &al, &a, &err), 0);
	CK_INT(al.n, 1);
	/* the partial index holds what is left: the local part's xn-- alone */
	CK_INT(store_email_idn_ids(R(s), "customer", 0, 8, ids, &n, &err), 0);
	CK(n == 1 && ids[0] == local);
	CK_INT(store_email_idn_ids(R(s), "organization", 0, 8, ids, &n, &err), 0);
	CK_INT(n, 0);
	/* again: nothing changes */
	CK_INT(customer_email_backfill(s, &nc, &no, &err), 0);
	CK_INT(nc, 0);
	CK_INT(no, 0);
	CK_INT(store_audit_list(R(s), &af, &al, &a, &err), 0);
	CK_INT(al.n, 1);
	arena_release(&a);
}

/* ---- backup -------------------------------------------------------------------------------- */

/* store_backup()'s report of a leftover it removed: counted, the names kept for a look. */
struct ct_removed {
	int n;
	char names[8][600];
};

static void ct_removed(const char *file, void *arg)
{
	struct ct_removed *r = arg;
	if (r->n < 8)
		snprintf(r->names[r->n], sizeof r->names[0], "%s", file);
	r->n++;
}

static int ct_removed_has(const struct ct_removed *r, const char *suffix)
{
	size_t sl = strlen(suffix);
	for (int i = 0; i < r->n && i < 8; i++) {
		size_t l = strlen(r->names[i]);
		if (l >= sl && !strcmp(r->names[i] + l - sl, suffix))
			return 1;
	}
	return 0;
}

/* path's directory and a name beside it: dir/.BASE<rest> */
static void ct_beside(char *out, size_t cap, const char *path, const char *rest)
{
	const char *slash = strrchr(path, '/');
	snprintf(out, cap, "%.*s/.%s%s", (int)(slash - path), path, slash + 1, rest);
}

/* ---- staff e-mails in their xn-- spelling ------------------------------------------------ */

/* A store job: insert j->st (j->id 0) or apply j->ch to staff j->id, as the system. */
struct ct_staff_job {
	int64_t id;
	struct staff st;
	struct domain_staff_change ch;
};

static int ct_staff_job_run(struct store_conn *c, void *arg, struct kp_err *err)
{
	struct ct_staff_job *j = arg;
	struct actor sys = {0, ROLE_ADMIN, "system", NULL};
	if (!j->id)
		return domain_staff_insert(c, &sys, &j->st, err);
	struct arena a = ARENA_INIT;
	struct staff out;
	int rc = domain_staff_apply(c, &sys, j->id, &j->ch, NULL, &out, &a, err);
	arena_release(&a);
	return rc;
}

static int64_t ct_find_staff(struct store *s, const char *typed, int *rc)
{
	struct kp_err err = KP_ERR_INIT;
	struct arena a = ARENA_INIT;
	struct staff st = {0};
	*rc = domain_staff_find_by_email(R(s), typed, &st, &a, &err);
	arena_release(&a);
	return *rc == 0 ? st.id : 0;
}

/* Staff e-mails an older version stored in their xn-- spelling: store_email_idn_ids finds
 * them; domain_staff_email_backfill respells one that is alone (audited) and leaves, and
 * names, one whose address another account has in letters, also on a second run; each of
 * the two is found by its own spelling as typed; an account's e-mail can be changed (audited,
 * its sessions ended), never to an address another account has in either spelling. */
static void case_staff_email_idn(struct store *s)
{
	struct kp_err err = KP_ERR_INIT;
	struct arena a = ARENA_INIT;
	int64_t ids[8];
	size_t n = 0;
	int rc;
	int64_t letters = new_staff(s, "dup@bücher.de");
	int64_t ascii = new_staff(s, "dup@xn--bcher-kva.de");     /* as an older version stored it */
	int64_t alone = new_staff(s, "yksin@xn--sksmki-buaad.fi"); /* no other has it in letters */
	int64_t plain = new_staff(s, "tavallinen.idn@example.fi");

	CK_INT(store_email_idn_ids(R(s), "staff", 0, 8, ids, &n, &err), 0);
	CK(ct_has_id(ids, n, ascii) && ct_has_id(ids, n, alone) && !ct_has_id(ids, n, letters) &&
	   !ct_has_id(ids, n, plain));
	CK_INT(store_email_idn_ids(R(s), "staff", ascii, 8, ids, &n, &err), 0);
	CK(!ct_has_id(ids, n, ascii) && ct_has_id(ids, n, alone));

	struct domain_staff_email_report rep;
	CK_INT(domain_staff_email_backfill(s, &rep, &err), 0);
	CK_INT(rep.respelt, 1);
	CK_INT(rep.left, 1);
	CK_INT(rep.nnamed, 1);
	if (rep.nnamed == 1) {
		CK_INT(rep.named[0].id, ascii);
		CK_INT(rep.named[0].holder_id, letters);
		CK_STR(rep.named[0].email, "dup@xn--bcher-kva.de");
	}
	char advice[2048], want[64];
	domain_staff_email_left_advice(&rep, advice, sizeof advice);
	snprintf(want, sizeof want, "account %lld keeps", (long long)ascii);
	CK(strstr(advice, want) && strstr(advice, "dup@xn--bcher-kva.de") && strstr(advice, "PATCH /api/v1/staff/{id}"));
	struct staff got;
	CK_INT(store_staff_get(R(s), alone, &got, &a, &err), 0);
	CK_STR(got.email, "yksin@sääksmäki.fi");
	struct audit_filter af = {.entity = "staff", .entity_id = alone, .limit = 5};
	struct audit_list al;
	CK_INT(store_audit_list(R(s), &af, &al, &a, &err), 0);
	CK(al.n == 1 && !strcmp(al.items[0].action, "update") && strstr(al.items[0].changes_json, "yksin@xn--"));
	/* nothing changed: a second run respells nothing, and still names what is left */
	CK_INT(domain_staff_email_backfill(s, &rep, &err), 0);
	CK_INT(rep.respelt, 0);
	CK_INT(rep.left, 1);
	domain_staff_email_left_advice(&rep, advice, sizeof advice);
	CK(strstr(advice, want) != NULL);

	/* the spelling typed finds its own account first, in any case and with spaces */
	CK_INT(ct_find_staff(s, "dup@xn--bcher-kva.de", &rc), ascii);
	CK_INT(ct_find_staff(s, " DUP@XN--BCHER-KVA.DE ", &rc), ascii);
	CK_INT(ct_find_staff(s, "Dup@Bücher.de", &rc), letters);
	CK_INT(ct_find_staff(s, "yksin@xn--sksmki-buaad.fi", &rc), alone);
	CK_INT(ct_find_staff(s, "yksin@sääksmäki.fi", &rc), alone);
	ct_find_staff(s, "nobody.idn@example.fi", &rc);
	CK_INT(rc, KP_ENOTFOUND);
	ct_find_staff(s, "not an address", &rc);
	CK_INT(rc, KP_EVALIDATION);

	/* an e-mail change: audited, the member's sessions ended */
	struct session se = {.id_hash = "sess-idn", .staff_id = letters, .csrf = "c", .created_at = 1700000000000LL,
	                     .expires_at = 4000000000000LL};
	CK_INT(INS(s, OP_SESSION_INS, &se), 0);
	struct ct_staff_job j = {.id = letters, .ch = {.email = "kirjat.idn@example.fi", .active = -1}};
	CK_INT(store_exec(s, ct_staff_job_run, &j, &err), 0);
	CK_INT(store_staff_get(R(s), letters, &got, &a, &err), 0);
	CK_STR(got.email, "kirjat.idn@example.fi");
	struct session sg;
	CK_INT(store_session_get(R(s), "sess-idn", &sg, &a, &err), KP_ENOTFOUND);
	kp_err_init(&err);
	af.entity_id = letters;
	CK_INT(store_audit_list(R(s), &af, &al, &a, &err), 0);
	CK(al.n >= 1 && strstr(al.items[0].changes_json, "kirjat.idn@example.fi") &&
	   strstr(al.items[0].changes_json, "dup@bücher.de"));
	/* the letters now belong to nobody but the account that keeps the xn-- spelling: found by
	 * either, and taken for a new account or another's change */
	CK_INT(ct_find_staff(s, "dup@bücher.de", &rc), ascii);
	struct ct_staff_job ins = {.st = {.email = "dup@bücher.de", .name = "Uusi", .role = ROLE_ADMIN, .active = 1}};
	err = (struct kp_err)KP_ERR_INIT;
	CK_INT(store_exec(s, ct_staff_job_run, &ins, &err), KP_ECONFLICT);
	CK(err.nfields == 1 && !strcmp(err.fields[0].field, "email"));
	struct ct_staff_job take = {.id = plain, .ch = {.email = "dup@bücher.de", .active = -1}};
	err = (struct kp_err)KP_ERR_INIT;
	CK_INT(store_exec(s, ct_staff_job_run, &take, &err), KP_ECONFLICT);
	struct ct_staff_job taken = {.id = plain, .ch = {.email = "yksin@sääksmäki.fi", .active = -1}};
	err = (struct kp_err)KP_ERR_INIT;
	CK_INT(store_exec(s, ct_staff_job_run, &taken, &err), KP_ECONFLICT);
	/* and the account itself may take its address in letters */
	struct ct_staff_job own = {.id = ascii, .ch = {.email = "dup@bücher.de", .active = -1}};
	err = (struct kp_err)KP_ERR_INIT;
	CK_INT(store_exec(s, ct_staff_job_run, &own, &err), 0);
	CK_INT(store_staff_get(R(s), ascii, &got, &a, &err), 0);
	CK_STR(got.email, "dup@bücher.de");
	CK_INT(domain_staff_email_backfill(s, &rep, &err), 0);
	CK(rep.respelt == 0 && rep.left == 0);
	arena_release(&a);
}

/* What backups to one name killed outright (SIGKILL) left beside it is removed by the next
 * backup to that name: only the temporary files no running backup holds locked (flock), of
 * the exact pattern, regular files, never through a symlink; each removal is reported. */
static void case_backup_leftovers(struct store *s)
{
	struct kp_err err = KP_ERR_INIT;
	struct ct_removed rm = {0};
	char path[512], dead[600], dead_j[620], held[600], sym[600], target[600], odd[600], dir[600], other[600];
	struct stat sb;

	if (strncmp(ct_url, "sqlite:", 7) == 0)
		snprintf(path, sizeof path, "%s.left-%d", ct_url + 7, (int)getpid());
	else
		snprintf(path, sizeof path, "/tmp/kumppani-contract-left-%d.json", (int)getpid());
	unlink(path);
	ct_beside(dead, sizeof dead, path, ".tmp-Ab3xY9");    /* a killed backup's file */
	snprintf(dead_j, sizeof dead_j, "%s-journal", dead);  /* and SQLite's journal beside it */
	ct_beside(held, sizeof held, path, ".tmp-Run123");    /* a running backup's: locked */
	ct_beside(sym, sizeof sym, path, ".tmp-Sym123");      /* a symlink */
	ct_beside(odd, sizeof odd, path, ".tmp-Ab3x");        /* not the pattern */
	ct_beside(dir, sizeof dir, path, ".tmp-Dir123");      /* a directory */
	ct_beside(other, sizeof other, path, "x.tmp-Oth123"); /* another name's */
	snprintf(target, sizeof target, "%s.target", path);
	const char *files[] = {dead, dead_j, held, odd, other, target};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		FILE *f = fopen(files[i], "w");
		CK(f != NULL);
		if (f) {
			fputs("x", f);
			fclose(f);
		}
	}
	CK(symlink(target, sym) == 0);
	CK(mkdir(dir, 0700) == 0);
	int hfd = open(held, O_RDONLY | O_CLOEXEC);
	CK(hfd >= 0 && flock(hfd, LOCK_EX) == 0);

	CK_INT(store_backup(s, path, ct_removed, &rm, &err), 0);
	CK(stat(path, &sb) == 0 && sb.st_size > 0);
	CK(access(dead, F_OK) != 0 && access(dead_j, F_OK) != 0);
	CK_INT(rm.n, 2);
	CK(ct_removed_has(&rm, ".tmp-Ab3xY9") && ct_removed_has(&rm, ".tmp-Ab3xY9-journal"));
	CK(access(held, F_OK) == 0); /* a running backup's is kept */
	CK(lstat(sym, &sb) == 0 && S_ISLNK(sb.st_mode) && access(target, F_OK) == 0);
	CK(access(odd, F_OK) == 0 && access(other, F_OK) == 0);
	CK(stat(dir, &sb) == 0 && S_ISDIR(sb.st_mode));
	/* once its backup is over (the lock gone), the next backup takes it too; and again: nothing */
	close(hfd);
	unlink(path);
	rm.n = 0;
	CK_INT(store_backup(s, path, ct_removed, &rm, &err), 0);
	CK_INT(rm.n, 1);
	CK(access(held, F_OK) != 0);
	unlink(path);
	rm.n = 0;
	CK_INT(store_backup(s, path, ct_removed, &rm, &err), 0);
	CK_INT(rm.n, 0);
	unlink(path);
	unlink(sym);
	unlink(odd);
	unlink(other);
	unlink(target);
	rmdir(dir);
}

static void case_backup(struct store *s)
{
	struct kp_err err = KP_ERR_INIT;
	char path[512];
	struct stat sb;
	int64_t n_orig = -1;

	if (strncmp(ct_url, "sqlite:", 7) == 0)
		snprintf(path, sizeof path, "%s.backup-%d", ct_url + 7, (int)getpid());
	else
		snprintf(path, sizeof path, "/tmp/kumppani-contract-backup-%d.json", (int)getpid());
	unlink(path);
	new_customer(s, "Varmuuskopio", "backup", NULL);
	CK_INT(store_customer_count(R(s), &n_orig, &err), 0);
	CK_INT(store_backup(s, path, NULL, NULL, &err), 0);
	CK(stat(path, &sb) == 0 && sb.st_size > 0);
	/* never overwrite an existing file */
	CK(store_backup(s, path, NULL, NULL, &err) != 0);
	if (strcmp(store_backend_name(s), "sqlite") == 0) {
		struct store_options o = { 0 };
		struct store *copy = NULL;
		char url[600];
		int64_t n = -1;

		o.read_only = 1;
		snprintf(url, sizeof url, "sqlite:%s", path);
		CK_INT(store_open(url, &o, &copy, &err), 0);
		if (copy) {
			struct store_conn *c = store_reader(copy, &err);
			struct arena a = ARENA_INIT;
			struct search_result r;
			CK(c != NULL);
			if (c) {
				CK_INT(store_customer_count(c, &n, &err), 0);
				CK_INT(n, n_orig);
				CK_INT(store_search(c, "varmuuskopio", NULL, 5, 0, &r, &a, &err), 0);
				CK_INT(r.n, 1);
			}
			arena_release(&a);
			store_close(copy);
		}
	}
	unlink(path);
}

/* ---- staff protection (issue 3): incidents, exposure, corrections, policy ------------------ */

struct ct_protect {
	int op; /* 0 notification insert, 1 ack, 2 correction insert, 3 policy put, 4 withdraw */
	void *rec;
	int64_t id, staff_id;
	struct wellbeing_notification acked;
	struct arena *a;
};

static int ct_protect_run(struct store_conn *c, void *arg, struct kp_err *err)
{
	struct ct_protect *w = arg;
	switch (w->op) {
	case 0: return store_notification_insert(c, w->rec, err);
	case 1: return store_notification_ack(c, w->id, w->staff_id, 0, NULL, &w->acked, w->a, err);
	case 2: return store_correction_insert(c, w->rec, err);
	case 3: return store_policy_put(c, w->rec, err);
	case 4: return store_notification_withdraw(c, w->id, &w->staff_id, err);
	}
	return KP_EINTERNAL;
}

static int ct_protect_w(struct store *s, struct ct_protect *w)
{
	struct kp_err err = KP_ERR_INIT;
	return store_exec(s, ct_protect_run, w, &err);
}

static void case_protect(struct store *s)
{
	struct kp_err err = KP_ERR_INIT;
	struct arena a = ARENA_INIT;
	struct staff st = { 0 };
	struct wellbeing_policy pol;
	int64_t n = -1;
	/* 2026-11-25 (Wed), 2026-11-29 (Sun), 2026-12-01 (Tue), 12:00 UTC */
	const int64_t t1 = 1795608000000LL, t2 = 1795953600000LL, t3 = 1796126400000LL;

	st.email = "protect@example.fi";
	st.name = "Protect Agent";
	st.role = ROLE_AGENT;
	st.team = "tuki";
	CK_INT(INS(s, OP_STAFF_INS, &st), 0);
	int64_t cu1 = new_customer(s, "Rude Customer", "protect", NULL);
	int64_t cu2 = new_customer(s, "Once Rude", "protect", NULL);

	/* the policy: defaults until put, then what was put */
	CK_INT(store_policy_get(R(s), &pol, &a, &err), 0);
	CK_INT(pol.incident_threshold, 3);
	CK_INT(pol.period_days, 30);
	CK(pol.route_to_team == NULL);
	struct wellbeing_policy np = { 2, 7, "suojaus", st.id, 0 };
	struct ct_protect w = { 3, &np, 0, 0, { 0 }, &a };
	CK_INT(ct_protect_w(s, &w), 0);
	CK_INT(store_policy_get(R(s), &pol, &a, &err), 0);
	CK_INT(pol.incident_threshold, 2);
	CK_INT(pol.period_days, 7);
	CK_STR(pol.route_to_team, "suojaus");
	CK_INT(pol.updated_by, st.id);
	np.route_to_team = NULL;
	CK_INT(ct_protect_w(s, &w), 0);
	CK_INT(store_policy_get(R(s), &pol, &a, &err), 0);
	CK(pol.route_to_team == NULL);

	/* incidents */
	struct wellbeing_notification ns[3] = {
		{ 0, 11, cu1, st.id, "tuki", NULL, "[\"insult\"]", t1, 0, 0, 0 },
		{ 0, 12, cu1, st.id, "tuki", "suojaus", "[\"insult\",\"obscenity\",\"severe\"]", t2, 0, 0, 0 },
		{ 0, 13, cu2, 0, NULL, NULL, NULL, t3, 0, 0, 0 },
	};
	for (int i = 0; i < 3; i++) {
		w = (struct ct_protect){ 0, &ns[i], 0, 0, { 0 }, &a };
		CK_INT(ct_protect_w(s, &w), 0);
		CK(ns[i].id > 0);
	}
	CK_INT(store_notification_count(R(s), cu1, 0, &n, &err), 0);
	CK_INT(n, 2);
	CK_INT(store_notification_count(R(s), cu1, t2, &n, &err), 0);
	CK_INT(n, 1);
	struct notification_list nl;
	struct notification_filter nf = { 0, 0, 0, 2, 0, NULL, NULL };
	CK_INT(store_notification_list(R(s), &nf, &nl, &a, &err), 0);
	CK_INT(nl.n, 2);
	CK_INT(nl.more, 1);
	CK_INT(nl.items[0].id, ns[2].id);
	CK(nl.items[0].staff_id == 0 && nl.items[0].team == NULL);
	CK_STR(nl.items[0].categories_json, "[]");
	CK_STR(nl.items[1].routed_to_team, "suojaus");
	CK_INT(nl.items[1].occurred_at, t2);
	/* the severe incidents only */
	nf = (struct notification_filter){ 0, 0, 0, 10, 1, NULL, NULL };
	CK_INT(store_notification_list(R(s), &nf, &nl, &a, &err), 0);
	CK_INT(nl.n, 1);
	CK_INT(nl.items[0].id, ns[1].id);
	/* by the recipient's team, by the routed team, exactly */
	nf = (struct notification_filter){ 0, 0, 0, 10, 0, "tuki", NULL };
	CK_INT(store_notification_list(R(s), &nf, &nl, &a, &err), 0);
	CK_INT(nl.n, 2);
	nf = (struct notification_filter){ 0, 0, 0, 10, 0, "tuki", "suojaus" };
	CK_INT(store_notification_list(R(s), &nf, &nl, &a, &err), 0);
	CK_INT(nl.n, 1);
	if (nl.n == 1)
		CK_INT(nl.items[0].id, ns[1].id);
	nf = (struct notification_filter){ 0, 0, 0, 10, 0, "Tuki", NULL };
	CK_INT(store_notification_list(R(s), &nf, &nl, &a, &err), 0);
	CK_INT(nl.n, 0);

	/* acknowledge once; again keeps the first; unknown is not found */
	w = (struct ct_protect){ 1, NULL, ns[0].id, st.id, { 0 }, &a };
	CK_INT(ct_protect_w(s, &w), 0);
	CK_INT(w.acked.acked_by, st.id);
	CK(w.acked.acked_at > 0);
	int64_t first_at = w.acked.acked_at;
	w = (struct ct_protect){ 1, NULL, ns[0].id, 0, { 0 }, &a };
	CK_INT(ct_protect_w(s, &w), 0);
	CK_INT(w.acked.acked_at, first_at);
	CK_INT(w.acked.acked_by, st.id);
	w = (struct ct_protect){ 1, NULL, ns[2].id + 1000, st.id, { 0 }, &a };
	CK_INT(ct_protect_w(s, &w), KP_ENOTFOUND);
	nf = (struct notification_filter){ 1, cu1, 0, 10, 0, NULL, NULL };
	CK_INT(store_notification_list(R(s), &nf, &nl, &a, &err), 0);
	CK_INT(nl.n, 1);
	CK_INT(nl.items[0].id, ns[1].id);

	/* exposure in day, week and month buckets */
	struct exposure_filter ef = { EXPOSURE_WEEK, 0, 0, 0, NULL };
	struct exposure_list el;
	CK_INT(store_exposure(R(s), &ef, &el, &a, &err), 0);
	CK_INT(el.n, 2);
	CK_STR(el.items[0].bucket, "2026-11-23");
	CK_INT(el.items[0].staff_id, st.id);
	CK_STR(el.items[0].team, "tuki");
	CK_INT(el.items[0].count, 2);
	CK_STR(el.items[1].bucket, "2026-11-30");
	CK_INT(el.items[1].staff_id, 0);
	CK_INT(el.items[1].count, 1);
	ef.period = EXPOSURE_DAY;
	ef.staff_id = st.id;
	CK_INT(store_exposure(R(s), &ef, &el, &a, &err), 0);
	CK_INT(el.n, 2);
	CK_STR(el.items[0].bucket, "2026-11-25");
	CK_STR(el.items[1].bucket, "2026-11-29");
	ef = (struct exposure_filter){ EXPOSURE_MONTH, 0, t3, 0, "tuki" };
	CK_INT(store_exposure(R(s), &ef, &el, &a, &err), 0);
	CK_INT(el.n, 1);
	CK_STR(el.items[0].bucket, "2026-11-01");
	CK_INT(el.items[0].count, 2);
	ef = (struct exposure_filter){ EXPOSURE_MONTH, t2 + 1, 0, 0, NULL };
	CK_INT(store_exposure(R(s), &ef, &el, &a, &err), 0);
	CK_INT(el.n, 1);
	CK_STR(el.items[0].bucket, "2026-12-01");

	/* customers with repeated incidents */
	struct incident_customer_list il;
	CK_INT(store_incident_customers(R(s), 0, 2, 10, 0, 0, &il, &a, &err), 0);
	CK_INT(il.n, 1);
	CK_INT(il.items[0].customer_id, cu1);
	CK_STR(il.items[0].name, "Rude Customer");
	CK_INT(il.items[0].incidents, 2);
	CK_INT(il.items[0].last_at, t2);
	CK_INT(store_incident_customers(R(s), 0, 1, 10, 0, 0, &il, &a, &err), 0);
	CK_INT(il.n, 2);
	/* pages of one: the first, then the one after it, then nothing */
	CK_INT(store_incident_customers(R(s), 0, 1, 1, 0, 0, &il, &a, &err), 0);
	CK_INT(il.n, 1);
	CK_INT(il.more, 1);
	CK_INT(il.items[0].customer_id, cu1);
	CK_INT(store_incident_customers(R(s), 0, 1, 1, il.items[0].incidents, cu1, &il, &a, &err), 0);
	CK_INT(il.n, 1);
	CK_INT(il.more, 0);
	CK_INT(il.items[0].customer_id, cu2);
	CK_INT(store_incident_customers(R(s), 0, 1, 1, il.items[0].incidents, cu2, &il, &a, &err), 0);
	CK_INT(il.n, 0);
	CK_INT(store_incident_customers(R(s), t2 + 1, 1, 10, 0, 0, &il, &a, &err), 0);
	CK_INT(il.n, 1);
	CK_INT(il.items[0].customer_id, cu2);

	/* a merge takes the incidents with it */
	int64_t cu3 = new_customer(s, "Once Rude, Merged", "protect", NULL);
	CK_INT(W(s, OP_CUST_MERGE, NULL, cu2, cu3, 0, NULL), 0);
	CK_INT(store_notification_count(R(s), cu3, 0, &n, &err), 0);
	CK_INT(n, 1);
	CK_INT(store_notification_count(R(s), cu2, 0, &n, &err), 0);
	CK_INT(n, 0);

	/* deleting the message keeps its incident but no longer points at it */
	struct interaction it = { 0 };
	it.customer_id = cu1;
	it.kind = "email";
	it.direction = "inbound";
	it.body = "olet idiootti";
	it.abusive = 1;
	it.occurred_at = t3;
	CK_INT(INS(s, OP_INTER_INS, &it), 0);
	struct wellbeing_notification nn = { 0, it.id, cu1, st.id, "tuki", NULL, "[\"insult\"]", t3, 0, 0, 0 };
	w = (struct ct_protect){ 0, &nn, 0, 0, { 0 }, &a };
	CK_INT(ct_protect_w(s, &w), 0);
	CK_INT(DEL(s, OP_INTER_DEL, it.id, 1), 0);
	nf = (struct notification_filter){ 0, cu1, 0, 10, 0, NULL, NULL };
	CK_INT(store_notification_list(R(s), &nf, &nl, &a, &err), 0);
	CK_INT(nl.n, 3);
	CK_INT(nl.items[0].id, nn.id);
	CK_INT(nl.items[0].interaction_id, 0);

	/* exposure buckets of a time before 1970 are its own day and month, as on PostgreSQL */
	struct staff st2 = { 0 };
	st2.email = "protect2@example.fi";
	st2.name = "Old Times";
	st2.role = ROLE_AGENT;
	CK_INT(INS(s, OP_STAFF_INS, &st2), 0);
	struct wellbeing_notification old = { 0, 0, cu3, st2.id, NULL, NULL, NULL, -1, 0, 0, 0 };
	w = (struct ct_protect){ 0, &old, 0, 0, { 0 }, &a };
	CK_INT(ct_protect_w(s, &w), 0);
	ef = (struct exposure_filter){ EXPOSURE_DAY, 0, 0, st2.id, NULL };
	CK_INT(store_exposure(R(s), &ef, &el, &a, &err), 0);
	CK_INT(el.n, 1);
	CK_STR(el.items[0].bucket, "1969-12-31");
	ef.period = EXPOSURE_MONTH;
	CK_INT(store_exposure(R(s), &ef, &el, &a, &err), 0);
	CK_INT(el.n, 1);
	CK_STR(el.items[0].bucket, "1969-12-01");

	/* corrections: oldest first, after an id */
	struct text_correction tc[2] = {
		{ 0, 0, "olet idiootti", "abuse", "abusive", st.id, 0 },
		{ 0, 12, "kiitos avusta", "sentiment", "positive", 0, 0 },
	};
	for (int i = 0; i < 2; i++) {
		w = (struct ct_protect){ 2, &tc[i], 0, 0, { 0 }, &a };
		CK_INT(ct_protect_w(s, &w), 0);
		CK(tc[i].id > 0 && tc[i].created_at > 0);
	}
	struct correction_list cl;
	CK_INT(store_correction_list(R(s), 0, 10, &cl, &a, &err), 0);
	CK_INT(cl.n, 2);
	CK_INT(cl.more, 0);
	CK_STR(cl.items[0].text, "olet idiootti");
	CK_STR(cl.items[0].label, "abusive");
	CK_INT(cl.items[0].staff_id, st.id);
	CK_INT(cl.items[1].interaction_id, 12);
	CK_INT(cl.items[1].staff_id, 0);
	CK_INT(store_correction_list(R(s), tc[0].id, 1, &cl, &a, &err), 0);
	CK_INT(cl.n, 1);
	CK_STR(cl.items[0].kind, "sentiment");
	/* a withdrawn incident's id is never given to the next one (it was the newest) */
	struct wellbeing_notification extra = {
	    0, 14, new_customer(s, "Qzx Peruttu", NULL, NULL), 0, NULL, NULL, NULL, t3, 0, 0, 0};
	w = (struct ct_protect){0, &extra, 0, 0, {0}, &a};
	CK_INT(ct_protect_w(s, &w), 0);
	int64_t withdrawn = extra.id;
	w = (struct ct_protect){4, NULL, 14, 0, {0}, &a};
	CK_INT(ct_protect_w(s, &w), 0);
	CK_INT(w.staff_id, 1); /* how many were withdrawn */
	extra.id = 0;
	extra.interaction_id = 15;
	w = (struct ct_protect){0, &extra, 0, 0, {0}, &a};
	CK_INT(ct_protect_w(s, &w), 0);
	CK(extra.id > withdrawn);

	arena_release(&a);
}

/* Audit entries written as a set (store_audit_insert_set, as a customer's DELETE writes one
 * per message): more than STORE_AUDIT_SET_MAX of them, so the set is cut in statements; each
 * gets its id in order and its time, and reads back exactly as given - JSON texts with what
 * an array literal must quote (quotes, backslashes, braces, commas, "null" and NULL, an empty
 * string, non-ASCII), NULL texts, no actor, no entity id. A job that fails after the set
 * leaves none of it. */
#define CT_SET_N 1203
struct ct_set {
	struct audit_entry e[CT_SET_N];
	char text[CT_SET_N][96];
	int fail;
};

static int ct_set_w(struct store_conn *c, void *arg, struct kp_err *err)
{
	struct ct_set *x = arg;
	int rc = store_audit_insert_set(c, x->e, CT_SET_N, err);
	if (rc == 0 && x->fail)
		rc = kp_err_set(err, KP_ECONFLICT, "the job fails after the set");
	return rc;
}

static void case_audit_insert_set(struct store *s)
{
	static const char *const texts[] = {
	    "{\"body\":[\"sanoi \\\"hei\\\" \\\\ {a,b} \u00e4\u20ac\",null],\"customer_id\":[5,null]}",
	    "null", "\"\"", "{}", "\"\\\\\"", "[1,2,{\"x\":\"}\"}]", "\"NULL a\\\"b,c}\""};
	struct arena a = ARENA_INIT;
	struct kp_err err = KP_ERR_INIT;
	struct ct_set *x = calloc(1, sizeof *x);
	for (int i = 0; i < CT_SET_N; i++) {
		int k = i % 9;
		snprintf(x->text[i], sizeof x->text[i], "%s%s", k < 7 ? texts[k] : "{\"n\":", k < 7 ? "" : "1}");
		x->e[i] = (struct audit_entry){.at = i % 3 ? 1700000000000 + i : 0,
		                               .actor_id = i % 2 ? 7 : 0,
		                               .actor = i % 2 ? "agentti@example.fi" : NULL,
		                               .action = "delete",
		                               .entity = "ct_set",
		                               .entity_id = i % 5 ? i + 1 : 0,
		                               .request_id = i % 4 ? "req-\"set\"" : NULL,
		                               .changes_json = k == 8 ? NULL : x->text[i]};
	}
	int64_t before = time_now_ms();
	CK_INT(store_exec(s, ct_set_w, x, &err), 0);
	for (int i = 0; i < CT_SET_N; i++) {
		CK(x->e[i].id > 0 && (i == 0 || x->e[i].id > x->e[i - 1].id));
		CK(i % 3 ? x->e[i].at == 1700000000000 + i : x->e[i].at >= before);
	}
	/* read back newest first, a page at a time */
	struct audit_filter f = {.entity = "ct_set", .limit = 500};
	int seen = 0;
	for (int i = CT_SET_N - 1;;) {
		struct audit_list l;
		arena_reset(&a);
		if (store_audit_list(R(s), &f, &l, &a, &err)) {
			CK(0);
			break;
		}
		for (size_t j = 0; j < l.n && i >= 0; j++, i--, seen++) {
			const struct audit_entry *g = &l.items[j], *w = &x->e[i];
			CK_INT(g->id, w->id);
			CK_INT(g->at, w->at);
			CK_INT(g->actor_id, w->actor_id);
			CK_STR(g->actor, w->actor ? w->actor : "system");
			CK_STR(g->action, "delete");
			CK_INT(g->entity_id, w->entity_id);
			CK(w->request_id ? g->request_id && !strcmp(g->request_id, w->request_id) : !g->request_id);
			CK(w->changes_json ? g->changes_json && !strcmp(g->changes_json, w->changes_json) : !g->changes_json);
			CK_INT(g->redacted_at, 0);
		}
		if (!l.more || !l.n)
			break;
		f.before_id = l.items[l.n - 1].id;
	}
	CK_INT(seen, CT_SET_N);
	/* all or nothing: the set of a job that fails is not kept */
	int64_t last = x->e[CT_SET_N - 1].id;
	x->fail = 1;
	CK(store_exec(s, ct_set_w, x, &err) != 0);
	kp_err_init(&err);
	struct audit_list l;
	f = (struct audit_filter){.entity = "ct_set", .limit = 1};
	CK_INT(store_audit_list(R(s), &f, &l, &a, &err), 0);
	CK_INT(l.n, 1);
	if (l.n)
		CK_INT(l.items[0].id, last);
	free(x);
	arena_release(&a);
}

const struct ct_case ct_cases[] = {
    {"staff_crud", case_staff_crud},
    {"tokens", case_tokens},
    {"sessions", case_sessions},
    {"orgs", case_orgs},
    {"customer_crud", case_customer_crud},
    {"customer_pagination", case_customer_pagination},
    {"customer_filters", case_customer_filters},
    {"fields", case_fields},
    {"notes_interactions", case_notes_interactions},
    {"merge", case_merge},
    {"merge_delete_tombstones", case_merge_delete_tombstones},
    {"search_finnish", case_search_finnish},
    {"search_text_matches", case_search_text_matches},
    {"search_forms", case_search_forms},
    {"custom_filters", case_custom_filters},
    {"name_order_finnish", case_name_order_finnish},
    {"routed_filter", case_routed_filter},
    {"search_masked_index", case_search_masked_index},
    {"staff_texts_masked", case_staff_texts_masked},
    {"search_rank_many", case_search_rank_many},
    {"search_split_words", case_search_split_words},
    {"search_addresses", case_search_addresses},
    {"audit", case_audit},
    {"audit_redact_set", case_audit_redact_set},
    {"audit_insert_set", case_audit_insert_set},
    {"audit_children", ct_case_audit_children},
    {"idempotency", case_idempotency},
    {"group_commit_concurrent", case_group_commit_concurrent},
    {"group_commit_isolation", case_group_commit_isolation},
    {"read_snapshot", case_read_snapshot},
    {"two_stores", case_two_stores},
    {"exec", case_exec},
    {"bulk_load", case_bulk_load},
    {"email_idn", case_email_idn},
    {"staff_email_idn", case_staff_email_idn},
    {"backup", case_backup},
    {"backup_leftovers", case_backup_leftovers},
    {"protect", case_protect},
    {"erase", ct_case_erase},
};
const size_t ct_ncases = sizeof ct_cases / sizeof ct_cases[0];
