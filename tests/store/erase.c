/*
 * The erasure case (domain/erase.h through the store ops): after customer_erase() no table
 * of the database holds the customer's name, e-mail, phone, notes or messages - looked for in
 * the raw rows of every table, as a data-protection officer would - while the staff's exposure
 * counts are unchanged and the audit entries still say who did what and when. The domain's
 * erasure is the subject here (it is what the store ops exist for); the raw look is the only
 * part that knows the backend.
 */

#include <jansson.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contract.h"
#include "domain/customer.h"
#include "domain/erase.h"
#include "domain/interaction.h"
#include "domain/note.h"
#include "domain/protect.h"
#include "store/store.h"
#include "util/timeutil.h"

/* Rows of any table of the database at ct_url holding needle (any case) in any text column
 * (SQLite: every ordinary table, the full-text index's content table included; PostgreSQL:
 * each row as text). -1 when the database cannot be read. */
static long raw_rows_with(const char *needle, int show)
{
	long n = 0;
	const char *file = store_local_file(ct_url);
	if (file) {
		sqlite3 *db = NULL;
		sqlite3_stmt *t = NULL;
		if (sqlite3_open_v2(file, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
		    sqlite3_prepare_v2(db,
		                       "SELECT name FROM sqlite_master WHERE type = 'table'"
		                       " AND sql NOT LIKE 'CREATE VIRTUAL%'",
		                       -1, &t, NULL) != SQLITE_OK) {
			sqlite3_close(db);
			return -1;
		}
		while (sqlite3_step(t) == SQLITE_ROW) {
			char sql[256];
			sqlite3_stmt *q = NULL;
			snprintf(sql, sizeof sql, "SELECT * FROM \"%s\"", (const char *)sqlite3_column_text(t, 0));
			if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK) {
				n = -1;
				break;
			}
			while (sqlite3_step(q) == SQLITE_ROW)
				for (int i = 0; i < sqlite3_column_count(q); i++) {
					const char *v = (const char *)sqlite3_column_text(q, i);
					if (sqlite3_column_type(q, i) == SQLITE_TEXT && v && strcasestr(v, needle)) {
						if (show)
							fprintf(stderr, "  %s holds \"%s\": %.200s\n", sql + 14, needle, v);
						n++;
					}
				}
			sqlite3_finalize(q);
		}
		sqlite3_finalize(t);
		sqlite3_close(db);
		return n;
	}
	PGconn *pg = PQconnectdb(ct_url);
	PGresult *t = PQexec(pg, "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()");
	if (PQresultStatus(t) != PGRES_TUPLES_OK) {
		PQclear(t);
		PQfinish(pg);
		return -1;
	}
	for (int r = 0; r < PQntuples(t) && n >= 0; r++) {
		char sql[256];
		const char *p[1] = {needle};
		snprintf(sql, sizeof sql, "SELECT t::text FROM \"%s\" t WHERE strpos(lower(t::text), lower($1)) > 0",
		         PQgetvalue(t, r, 0));
		PGresult *q = PQexecParams(pg, sql, 1, NULL, p, NULL, NULL, 0);
		if (PQresultStatus(q) != PGRES_TUPLES_OK) {
			n = -1;
		} else {
			for (int i = 0; show && i < PQntuples(q); i++)
				fprintf(stderr, "  %s holds \"%s\": %.200s\n", PQgetvalue(t, r, 0), needle, PQgetvalue(q, i, 0));
			n += PQntuples(q);
		}
		PQclear(q);
	}
	PQclear(t);
	PQfinish(pg);
	return n;
}

/* 0 when the statement is refused (the audit log's guard), 1 when it ran */
static int raw_exec_runs(const char *sql)
{
	const char *file = store_local_file(ct_url);
	if (file) {
		sqlite3 *db = NULL;
		int ok = sqlite3_open_v2(file, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK &&
		         sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK;
		sqlite3_close(db);
		return ok;
	}
	PGconn *pg = PQconnectdb(ct_url);
	PGresult *r = PQexec(pg, sql);
	int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	PQclear(r);
	PQfinish(pg);
	return ok;
}

/* The first column of every row of sql, joined by newlines (malloc'd; NULL when it fails). */
static char *raw_text(const char *sql)
{
	char *out = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&out, &n);
	int ok = 0;
	const char *file = store_local_file(ct_url);
	if (file) {
		sqlite3 *db = NULL;
		sqlite3_stmt *st = NULL;
		if (sqlite3_open_v2(file, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
		    sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
			int rc;
			while ((rc = sqlite3_step(st)) == SQLITE_ROW)
				fprintf(f, "%s\n", (const char *)sqlite3_column_text(st, 0));
			ok = rc == SQLITE_DONE;
		}
		sqlite3_finalize(st);
		sqlite3_close(db);
	} else {
		PGconn *pg = PQconnectdb(ct_url);
		PGresult *r = PQexec(pg, sql);
		ok = PQresultStatus(r) == PGRES_TUPLES_OK;
		for (int i = 0; ok && i < PQntuples(r); i++)
			fprintf(f, "%s\n", PQgetvalue(r, i, 0));
		PQclear(r);
		PQfinish(pg);
	}
	fclose(f);
	if (!ok) {
		free(out);
		return NULL;
	}
	return out;
}

struct ct_erase {
	int step;
	struct arena *a;
	struct actor who;
	int64_t staff, x, f, w, y, x_inter, w_inter, notif_x, notif_w;
	int64_t erase_id; /* step 3/4: whom to erase */
	struct erase_report rep;
};

static int64_t mk_customer(struct store_conn *c, struct ct_erase *e, const char *json, struct kp_err *err)
{
	json_t *body = json_loads(json, 0, NULL), *patch = NULL;
	struct customer *cu = arena_calloc(e->a, sizeof *cu);
	int rc = customer_apply(cu, body, 1, e->a, &patch, err);
	if (!rc)
		rc = customer_create(c, &e->who, cu, patch, e->a, err);
	json_decref(body);
	return rc ? rc : cu->id;
}

static int mk_note(struct store_conn *c, struct ct_erase *e, int64_t cid, const char *body, int64_t *id,
                   struct kp_err *err)
{
	struct note n = {.customer_id = cid, .body = body};
	int rc = note_create(c, &e->who, &n, e->a, err);
	*id = n.id;
	return rc;
}

static int mk_inter(struct store_conn *c, struct ct_erase *e, int64_t cid, const char *body, int64_t *id,
                    struct kp_err *err)
{
	struct interaction it = {.customer_id = cid, .kind = "email", .direction = "inbound", .body = body,
	                         .summary = "Qvxotsikko", .staff_id = e->staff};
	int rc = interaction_create(c, &e->who, &it, e->a, err);
	*id = it.id;
	return rc;
}

static int mk_incident(struct store_conn *c, struct ct_erase *e, int64_t cid, int64_t iid, int64_t *id,
                       struct kp_err *err)
{
	struct wellbeing_notification n = {0, iid, cid, e->staff, "tuki", NULL, "[\"insult\"]", time_now_ms(), 0, 0, 0};
	int rc = store_notification_insert(c, &n, err);
	*id = n.id;
	return rc;
}

static int ct_erase_w(struct store_conn *c, void *arg, struct kp_err *err)
{
	struct ct_erase *e = arg;
	int64_t id, x2;
	int rc = 0;
	struct customer out;
	if (e->step == 0) {
		struct staff st = {.email = "erase-staff@example.fi", .name = "Staff Stays", .role = ROLE_ADMIN};
		if ((rc = store_staff_insert(c, &st, err)))
			return rc;
		e->staff = st.id;
		e->who = (struct actor){st.id, ROLE_ADMIN, "erase-staff@example.fi", "req-erase"};
		if ((e->x = mk_customer(c, e,
		                        "{\"name\": \"Erkki Qvxpoisto\", \"emails\": [\"erkki.qvx@example.fi\"],"
		                        " \"phones\": [\"+358 40 918 2736\"], \"tags\": [\"qvxtagi\"]}",
		                        err)) < 0)
			return (int)e->x;
		if ((e->f = mk_customer(c, e, "{\"name\": \"Fanni Qvxsulau\", \"emails\": [\"fanni.qvx@example.fi\"]}",
		                        err)) < 0)
			return (int)e->f;
		if ((e->w = mk_customer(c, e, "{\"name\": \"Wilma Qvxwanha\"}", err)) < 0)
			return (int)e->w;
		if ((e->y = mk_customer(c, e, "{\"name\": \"Yrjö Qvxpysyy\"}", err)) < 0)
			return (int)e->y;
		json_t *rename = json_pack("{ss}", "name", "Erkki Qvxuusinimi");
		rc = customer_update(c, &e->who, e->x, rename, 0, &out, e->a, err);
		json_decref(rename);
		if (rc || (rc = mk_note(c, e, e->f, "Qvxmuistio ennen yhdistämistä", &id, err)) ||
		    (rc = mk_inter(c, e, e->f, "Qvxviesti ennen yhdistämistä", &id, err)) ||
		    (rc = customer_merge(c, &e->who, e->x, e->f, 0, &out, e->a, err)) ||
		    (rc = mk_note(c, e, e->x, "Qvxnote poistetaan yksin", &id, err)) ||
		    (rc = note_delete(c, &e->who, id, 0, e->a, err)) ||
		    (rc = mk_inter(c, e, e->x, "Qvxsolo poistetaan yksin", &id, err)) ||
		    (rc = interaction_delete(c, &e->who, id, 0, e->a, err)) ||
		    (rc = mk_inter(c, e, e->x, "Qvxloukkaus olet idiootti", &e->x_inter, err)) ||
		    (rc = mk_incident(c, e, e->x, e->x_inter, &e->notif_x, err)) ||
		    (rc = mk_inter(c, e, e->w, "Qvxwviesti vanha", &e->w_inter, err)) ||
		    (rc = mk_incident(c, e, e->w, e->w_inter, &e->notif_w, err)) ||
		    (rc = mk_note(c, e, e->y, "Qvxpysyvä muistio", &id, err)))
			return rc;
		struct text_correction tc = {0, e->x_inter, "Qvxloukkaus olet idiootti", "abuse", "abusive", e->staff, 0};
		if ((rc = store_correction_insert(c, &tc, err)))
			return rc;
		/* a merge into X of a customer merged into X2 before: the chain is followed */
		if ((x2 = mk_customer(c, e, "{\"name\": \"Xaver Qvxketju\"}", err)) < 0)
			return (int)x2;
		return customer_merge(c, &e->who, e->x, x2, 0, &out, e->a, err);
	}
	if (e->step == 1) /* W deleted the ordinary way, erased later */
		return customer_delete(c, &e->who, e->w, 0, e->a, err);
	return customer_erase(c, &e->who, e->erase_id, &e->rep, e->a, err);
}

static int64_t exposure_total(struct store *s, int64_t staff)
{
	struct arena a = ARENA_INIT;
	struct kp_err err = KP_ERR_INIT;
	struct exposure_filter f = {EXPOSURE_DAY, 0, 0, staff, NULL};
	struct exposure_list l;
	int64_t n = -1;
	if (store_exposure(store_reader(s, &err), &f, &l, &a, &err) == 0)
		for (size_t i = n = 0; i < l.n; i++)
			n += l.items[i].count;
	arena_release(&a);
	return n;
}

static const struct wellbeing_notification *find_notif(const struct notification_list *l, int64_t id)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->items[i].id == id)
			return &l->items[i];
	return NULL;
}

void ct_case_erase(struct store *s)
{
	struct arena a = ARENA_INIT;
	struct kp_err err = KP_ERR_INIT;
	struct ct_erase e = {.a = &a};
	static const char *const gone[] = {
	    "Qvxpoisto", "Qvxuusinimi", "erkki.qvx", "918 2736", "9182736", "qvxtagi", "fanni.qvx",
	    "Qvxsulau", "Qvxmuistio", "Qvxviesti", "Qvxnote", "Qvxsolo", "Qvxloukkaus", "Qvxwanha", "Qvxwviesti",
	    "Qvxotsikko", "Qvxketju", NULL};

	CK_INT(store_exec(s, ct_erase_w, &e, &err), 0);
	CK(e.x > 0 && e.w > 0);
	for (size_t i = 0; gone[i]; i++) /* the scan sees them before */
		CK(raw_rows_with(gone[i], 0) > 0 || !strcmp(gone[i], "918 2736"));

	/* a plain delete leaves the incident, pointing at no message and no customer */
	e.step = 1;
	CK_INT(store_exec(s, ct_erase_w, &e, &err), 0);
	struct notification_filter nf = {.limit = 100};
	struct notification_list nl;
	CK_INT(store_notification_list(store_reader(s, &err), &nf, &nl, &a, &err), 0);
	const struct wellbeing_notification *nw = find_notif(&nl, e.notif_w);
	CK(nw != NULL);
	if (nw) {
		CK_INT(nw->interaction_id, 0);
		CK_INT(nw->customer_id, 0);
	}
	int64_t exposure = exposure_total(s, e.staff);
	CK(exposure >= 2);

	/* X, live, with a merge chain, a note and a message deleted on their own, an incident and a
	 * correction */
	e.step = 2;
	e.erase_id = e.x;
	/* the erase trains no model inside the job: a batch rolled back after it would leave the
	 * model published without corrections still stored; its caller has the model retrained
	 * once the erase is committed (protect_model_retrain_later) */
	uint64_t gen = protect_model_generation();
	CK_INT(store_exec(s, ct_erase_w, &e, &err), 0);
	CK((uint64_t)protect_model_generation() == gen);
	CK_INT(e.rep.changed, 1);
	CK_INT(e.rep.deleted, 1);
	CK_INT(e.rep.tombstones_erased, 2);
	CK_INT(e.rep.ncustomers, 3);
	CK_INT(e.rep.nnotes, 2);
	CK_INT(e.rep.ninteractions, 3);
	CK(e.rep.notifications_detached >= 1); /* (other cases' incidents may name ids of ours) */
	CK_INT(e.rep.corrections_erased, 1);
	CK(e.rep.entries_redacted >= 15);
	/* W, deleted earlier: found by its audit entries */
	e.erase_id = e.w;
	CK_INT(store_exec(s, ct_erase_w, &e, &err), 0);
	CK_INT(e.rep.changed, 1);
	CK_INT(e.rep.deleted, 0);
	CK_INT(e.rep.ninteractions, 1);
	CK(e.rep.entries_redacted >= 3);

	for (size_t i = 0; gone[i]; i++)
		CK_INT(raw_rows_with(gone[i], 1), 0);
	CK(raw_rows_with("Qvxpysyy", 0) > 0); /* the bystander stays (and the scan works) */
	CK(raw_rows_with("erase-staff@example.fi", 0) > 0); /* who did it stays */
	CK_INT(exposure_total(s, e.staff), exposure);
	CK_INT(store_notification_list(store_reader(s, &err), &nf, &nl, &a, &err), 0);
	const struct wellbeing_notification *nx = find_notif(&nl, e.notif_x);
	CK(nx != NULL);
	if (nx) {
		CK_INT(nx->interaction_id, 0);
		CK_INT(nx->customer_id, 0);
		CK_INT(nx->staff_id, e.staff);
		CK_STR(nx->categories_json, "[\"insult\"]");
	}

	/* the entries keep who, what, when; each is redacted once; the erase names counts only */
	struct audit_filter af = {.entity = "customer", .entity_id = e.x, .limit = 100};
	struct audit_list al;
	CK_INT(store_audit_list(store_reader(s, &err), &af, &al, &a, &err), 0);
	CK(al.n >= 5);
	CK_STR(al.items[0].action, "erase");
	CK_INT(al.items[0].redacted_at, 0);
	CK_INT(al.items[0].actor_id, e.staff);
	for (size_t i = 1; i < al.n; i++) {
		CK(al.items[i].redacted_at > 0);
		CK_INT(al.items[i].actor_id, e.staff);
		CK_STR(al.items[i].actor, "erase-staff@example.fi");
		CK_STR(al.items[i].request_id, "req-erase");
		CK(al.items[i].changes_json && strstr(al.items[i].changes_json, ERASE_MARKER));
	}
	CK_STR(al.items[al.n - 1].action, "create");
	CK(strstr(al.items[al.n - 1].changes_json, "\"name\":\"" ERASE_MARKER "\""));

	/* again: nothing changes, nothing is audited */
	e.erase_id = e.x;
	CK_INT(store_exec(s, ct_erase_w, &e, &err), 0);
	CK_INT(e.rep.changed, 0);
	CK_INT(e.rep.entries_redacted, 0);
	size_t before = al.n;
	CK_INT(store_audit_list(store_reader(s, &err), &af, &al, &a, &err), 0);
	CK_INT(al.n, before);
	/* a tombstone is not erased on its own; an id never seen is not found */
	e.erase_id = 987654321;
	CK_INT(store_exec(s, ct_erase_w, &e, &err), KP_ENOTFOUND);

	/* the audit log takes no change but a redaction */
	CK_INT(raw_exec_runs("UPDATE audit_log SET actor = 'someone' WHERE id = 1"), 0);
	CK_INT(raw_exec_runs("DELETE FROM audit_log WHERE id = 1"), 0);
	CK_INT(raw_exec_runs("UPDATE audit_log SET changes_json = '{}', redacted_at = 5 WHERE redacted_at IS NOT NULL"),
	       0);
	arena_release(&a);
}

/* store_audit_customer_children through its index: the notes and interactions whose create
 * entry names the customer as the new customer_id or whose delete entry names it as the old
 * one, each once, in order - not an update's, another customer's, another entity's, an id
 * nested deeper, nor an entry redacted whole; a redacted entry keeps its ids and is found.
 * The index (SQLite migration 20, PostgreSQL 16) serves the lookup: a log of millions of
 * messages is not read whole for it. */
#define CT_CH_T 900001
struct ct_ch {
	struct audit_entry e[1100];
	char text[1100][64];
	size_t n;
};

static void ct_ch_add(struct ct_ch *x, const char *action, const char *entity, int64_t id, const char *json)
{
	snprintf(x->text[x->n], sizeof x->text[x->n], "%s", json);
	x->e[x->n] = (struct audit_entry){
	    .actor = "system", .action = action, .entity = entity, .entity_id = id, .changes_json = x->text[x->n]};
	x->n++;
}

static int ct_ch_w(struct store_conn *c, void *arg, struct kp_err *err)
{
	struct ct_ch *x = arg;
	return store_audit_insert_set(c, x->e, x->n, err);
}

void ct_case_audit_children(struct store *s)
{
	struct arena a = ARENA_INIT;
	struct kp_err err = KP_ERR_INIT;
	struct ct_ch *x = calloc(1, sizeof *x);
	char t[64];
	for (int i = 0; i < 1000; i++) { /* other customers' messages */
		snprintf(t, sizeof t, "{\"customer_id\":[null,%d],\"kind\":[null,\"email\"]}", 100 + i % 50);
		ct_ch_add(x, "create", "interaction", 5000 + i, t);
	}
	ct_ch_add(x, "create", "interaction", 31, "{\"customer_id\":[null,900001]}");
	ct_ch_add(x, "delete", "interaction", 32, "{\"body\":[\"x\",null],\"customer_id\":[900001,null]}");
	ct_ch_add(x, "create", "interaction", 32, "{\"customer_id\":[null,900001]}");
	ct_ch_add(x, "update", "interaction", 33, "{\"customer_id\":[900001,5]}");
	ct_ch_add(x, "delete", "interaction", 34, "{\"customer_id\":[5,null]}");
	ct_ch_add(x, "delete", "interaction", 35, "{\"analysis\":[{\"customer_id\":[900001,null]},null]}");
	ct_ch_add(x, "delete", "interaction", 36, "\"[redacted]\"");
	ct_ch_add(x, "delete", "interaction", 37, "{\"body\":\"[redacted]\",\"customer_id\":[900001,null]}");
	ct_ch_add(x, "delete", "note", 38, "{\"customer_id\":[900001,null]}");
	ct_ch_add(x, "delete", "customer", 39, "{\"customer_id\":[900001,null]}");
	ct_ch_add(x, "delete", "interaction", 0, "{\"customer_id\":[900001,null]}");
	CK_INT(store_exec(s, ct_ch_w, x, &err), 0);

	int64_t *ids = NULL;
	size_t n = 0;
	struct store_conn *r = store_reader(s, &err);
	CK_INT(store_audit_customer_children(r, "interaction", CT_CH_T, &ids, &n, &a, &err), 0);
	CK_INT(n, 3);
	if (n == 3) {
		CK_INT(ids[0], 31);
		CK_INT(ids[1], 32);
		CK_INT(ids[2], 37);
	}
	CK_INT(store_audit_customer_children(r, "note", CT_CH_T, &ids, &n, &a, &err), 0);
	CK_INT(n, 1);
	if (n == 1)
		CK_INT(ids[0], 38);
	CK_INT(store_audit_customer_children(r, "interaction", 100, &ids, &n, &a, &err), 0);
	CK_INT(n, 20);
	CK_INT(store_audit_customer_children(r, "interaction", 424242, &ids, &n, &a, &err), 0);
	CK_INT(n, 0);

	/* the lookup is the index's (SQLite names it in the query: without the index the query
	 * would not prepare, and the lookups above fail; PostgreSQL's planner must choose it) */
	char *plan = raw_text(
	    store_local_file(ct_url)
	        ? "SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'audit_log_child_customer'"
	        : "EXPLAIN SELECT DISTINCT entity_id FROM audit_log WHERE entity = 'interaction'"
	          " AND action IN ('create', 'delete') AND entity IN ('note', 'interaction')"
	          " AND (CASE action WHEN 'create' THEN changes_json::jsonb -> 'customer_id' -> 1"
	          " ELSE changes_json::jsonb -> 'customer_id' -> 0 END) = to_jsonb(900001::bigint)"
	          " AND entity_id IS NOT NULL ORDER BY entity_id");
	CK(plan && strstr(plan, "audit_log_child_customer"));
	if (plan && !strstr(plan, "audit_log_child_customer"))
		fprintf(stderr, "  plan:\n%s", plan);
	free(plan);
	free(x);
	arena_release(&a);
}
