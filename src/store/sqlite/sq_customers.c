/*
 * SQLite ops for organisations and customers: the rows, their child tables (contacts,
 * tags), keyset-paginated filtered lists, merge, and the search index entries. A customer
 * get reads one row, and a list page one query: contacts and tags come from each row's
 * children copy (SQ_CHILDREN_SQL in sq_int.h), or from the tables for a row without one.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/sqlite/sq_int.h"
#include "util/buf.h"

#define SQ_BODY_MAX (256 * 1024)

/* ---- shared helpers ---------------------------------------------------------------------- */

/* The ids of items as a JSON array text "[1,2,3]" for json_each. */
static int ids_json(struct buf *b, const int64_t *ids, size_t stride, size_t n)
{
	buf_addc(b, '[');
	for (size_t i = 0; i < n; i++) {
		const int64_t *id = (const int64_t *)((const char *)ids + i * stride);
		if (buf_addf(b, i ? ",%lld" : "%lld", (long long)*id) < 0)
			return -1;
	}
	return buf_addc(b, ']');
}

/* Room for one more element in the arena array arr of n elements and capacity cap (both
 * lvalues): doubles it, from 4, copying what it holds. */
#define ARENA_ROOM(a, arr, n, cap)                                                      \
	do {                                                                            \
		if ((n) == (cap)) {                                                     \
			size_t ncap_ = (cap) ? (cap) * 2 : 4;                           \
			void *nn_ = arena_alloc((a), ncap_ * sizeof *(arr));            \
			if (n)                                                          \
				memcpy(nn_, (arr), (n) * sizeof *(arr));                \
			(arr) = nn_;                                                    \
			(cap) = ncap_;                                                  \
		}                                                                       \
	} while (0)

/* Bind an upper bound for a prefix range: fold(p) followed by 0xFF (never in UTF-8). */
static char *prefix_hi(struct arena *a, const char *folded)
{
	size_t n = strlen(folded);
	char *hi = arena_alloc(a, n + 2);

	memcpy(hi, folded, n);
	hi[n] = (char)0xff;
	hi[n + 1] = '\0';
	return hi;
}

/* Is tag rare (fewer than SQ_RARE_TAG rows)? A rare tag's rows are fetched through the tag
 * index and sorted; a common tag is checked row by row while walking the sort order's
 * index, which stops after one page. Either way a page costs little: walking the order
 * for a rare tag would scan the whole table, collecting a common one would read all of
 * its rows. The probe reads at most SQ_RARE_TAG index entries. sql: a string literal. */
#define SQ_RARE_TAG 2000

static int tag_is_rare(struct sq_conn *c, const char *sql, const char *tag, int *rare, struct kp_err *err)
{
	sqlite3_stmt *st;
	int rc;

	SQ_PREP_OR_FAIL(st, c, sql, err);
	sq_bind_text(st, 1, tag);
	sqlite3_bind_int(st, 2, SQ_RARE_TAG);
	rc = sqlite3_step(st);
	*rare = rc == SQLITE_ROW && sqlite3_column_int(st, 0) < SQ_RARE_TAG;
	sq_done(st);
	return rc == SQLITE_ROW ? 0 : sq_fail(c, rc, "tag frequency", err);
}

/* The tag filter of a list (one "?" for the tag): probe with probe_sql (tag_is_rare), then
 * append rare_sql or common_sql. All three are string literals. */
static int tag_clause(struct sq_conn *c, struct buf *sql, const char *tag, const char *probe_sql, const char *rare_sql,
		      const char *common_sql, struct kp_err *err)
{
	int rare = 0;
	int ret = tag_is_rare(c, probe_sql, tag, &rare, err);

	if (ret)
		return ret;
	buf_adds(sql, rare ? rare_sql : common_sql);
	return 0;
}

/* The name prefix filter (two "?"): *lo is the folded prefix to bind with bind_prefix(). */
static void prefix_clause(struct buf *sql, const char *prefix, const char **lo, struct arena *a)
{
	if (prefix && *prefix) {
		*lo = sq_name_key(a, prefix);
		buf_adds(sql, " AND name_fold >= ? AND name_fold < ?");
	}
}

static void bind_prefix(sqlite3_stmt *st, int *i, const char *lo, struct arena *a)
{
	if (lo) {
		sq_bind_text(st, (*i)++, lo);
		sq_bind_text(st, (*i)++, prefix_hi(a, lo));
	}
}

/* The custom field filters (store.h struct custom_match; custom_json is the record's column):
 * json_type() keeps the JSON type apart ("3" is no 3, "true" no true), json_extract() compares
 * strings as bytes and numbers as doubles (as PostgreSQL's float8: the same answer above 2^53
 * too). Bound in the same order by bind_custom(). */
static void custom_clause(struct buf *sql, const struct custom_match *m, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (m[i].type == CUSTOM_MATCH_STRING)
			buf_adds(sql, " AND json_type(custom_json, ?) = 'text' AND json_extract(custom_json, ?) = ?");
		else if (m[i].type == CUSTOM_MATCH_NUMBER)
			buf_adds(sql, " AND json_type(custom_json, ?) IN ('integer', 'real')"
			              " AND CAST(json_extract(custom_json, ?) AS REAL) = ?");
		else if (m[i].type == CUSTOM_MATCH_BOOL)
			buf_adds(sql, " AND json_type(custom_json, ?) = ?");
		else
			buf_adds(sql, " AND json_type(custom_json, ?) IS NOT NULL");
	}
}

static void bind_custom(sqlite3_stmt *st, int *i, const struct custom_match *m, size_t n, struct arena *a)
{
	for (size_t k = 0; k < n; k++) {
		const char *path = arena_printf(a, "$.%s", m[k].key); /* a key is [a-z][a-z0-9_]*: no quoting */
		sq_bind_text(st, (*i)++, path);
		if (m[k].type == CUSTOM_MATCH_PRESENT)
			continue;
		if (m[k].type == CUSTOM_MATCH_BOOL) {
			sq_bind_text(st, (*i)++, m[k].yes ? "true" : "false");
			continue;
		}
		sq_bind_text(st, (*i)++, path);
		if (m[k].type == CUSTOM_MATCH_STRING)
			sq_bind_text(st, (*i)++, m[k].str);
		else
			sqlite3_bind_double(st, (*i)++, m[k].num);
	}
}

/* Attach the (owner id, tag) rows of st (ordered by owner) to items[0..n): each owner's tags
 * become one slice of a shared arena array, grown from cap0. The items are structs of
 * stride bytes with an int64_t id, const char **tags and size_t ntags at the offsets given
 * (struct organization, struct customer). Returns the last sqlite3_step code; resets st. */
struct tag_slots {
	size_t stride, id, tags, ntags;
};
#define TAG_SLOTS(type) { sizeof(type), offsetof(type, id), offsetof(type, tags), offsetof(type, ntags) }

static int tags_attach(sqlite3_stmt *st, void *items, size_t n, const struct tag_slots *f, size_t cap0, struct arena *a)
{
#define ITEM_ID(i) (*(int64_t *)((char *)items + (i) * f->stride + f->id))
#define ITEM_TAGS(i) (*(const char ***)((char *)items + (i) * f->stride + f->tags))
#define ITEM_NTAGS(i) (*(size_t *)((char *)items + (i) * f->stride + f->ntags))
	const char **all = NULL;
	size_t nall = 0, cap = 0, k = 0;
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t oid = sqlite3_column_int64(st, 0);
		if (nall == cap) {
			size_t ncap = cap ? cap * 2 : cap0;
			const char **nn = arena_alloc(a, ncap * sizeof *nn);
			if (nall)
				memcpy(nn, all, nall * sizeof *nn);
			/* re-point slices taken so far */
			for (size_t i = 0; i < n; i++)
				if (ITEM_NTAGS(i))
					ITEM_TAGS(i) = nn + (ITEM_TAGS(i) - all);
			all = nn;
			cap = ncap;
		}
		if (k >= n || ITEM_ID(k) != oid)
			for (k = 0; k < n && ITEM_ID(k) != oid; k++)
				;
		all[nall] = sq_col_text(st, 1, a);
		if (k < n) {
			if (!ITEM_NTAGS(k))
				ITEM_TAGS(k) = all + nall;
			ITEM_NTAGS(k)++;
		}
		nall++;
	}
	sq_done(st);
	return rc;
#undef ITEM_ID
#undef ITEM_TAGS
#undef ITEM_NTAGS
}

/* ---- organisations ----------------------------------------------------------------------- */

#define ORG_COLS "id, name, business_id, website, phone, email, address_json, owner_id, custom_json, version," \
		 " created_at, updated_at"

static void org_row(sqlite3_stmt *st, void *vo, struct arena *a)
{
	struct organization *o = vo;

	memset(o, 0, sizeof *o);
	o->id = sqlite3_column_int64(st, 0);
	o->name = sq_col_text(st, 1, a);
	o->business_id = sq_col_text(st, 2, a);
	o->website = sq_col_text(st, 3, a);
	o->phone = sq_col_text(st, 4, a);
	o->email = sq_col_text(st, 5, a);
	o->address_json = sq_col_text(st, 6, a);
	o->owner_id = sqlite3_column_int64(st, 7);
	o->custom_json = sq_col_text(st, 8, a);
	o->version = sqlite3_column_int64(st, 9);
	o->created_at = sqlite3_column_int64(st, 10);
	o->updated_at = sqlite3_column_int64(st, 11);
}

/* Append the searchable text of an address's JSON (SQ_ADDRESS_TEXT_SQL) to body. */
static int address_fts(struct sq_conn *c, const char *json, struct buf *body, struct kp_err *err)
{
	sqlite3_stmt *st;
	int rc;

	SQ_PREP_OR_FAIL(st, c, "SELECT " SQ_ADDRESS_TEXT_SQL("?1"), err);
	sq_bind_text(st, 1, json);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		buf_add(body, sqlite3_column_text(st, 0), (size_t)sqlite3_column_bytes(st, 0));
		rc = 0;
	} else {
		rc = sq_fail(c, rc, "address for search", err);
	}
	sq_done(st);
	return rc;
}

/* The body: business id, e-mail, website, address and tags, as the PostgreSQL vector has them
 * (pg_migrations.c, migration 10). No phone number: a search by one finds organisations as it
 * finds customers, by the phone filter in any form it is typed in (api/search.c). Migration
 * 13 wrote the entries of the rows stored before by this rule. */
static int org_fts(struct sq_conn *c, const struct organization *o, int is_new, struct kp_err *err)
{
	struct buf body = BUF_INIT(SQ_BODY_MAX);
	int rc = 0;

	if (o->business_id)
		buf_addf(&body, "%s ", o->business_id);
	if (o->email)
		buf_addf(&body, "%s ", o->email);
	if (o->website)
		buf_addf(&body, "%s ", o->website);
	if (o->address_json)
		rc = address_fts(c, o->address_json, &body, err);
	for (size_t i = 0; i < o->ntags; i++)
		buf_addf(&body, "%s ", o->tags[i]);
	if (!rc)
		rc = sq_fts_put(c, SQ_FTS_ORG, o->id, is_new, o->name, body.ptr, NULL, err);
	buf_release(&body);
	return rc;
}

static int org_tags_write(struct sq_conn *c, const struct organization *o, int replace, struct kp_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if (replace) {
		SQ_PREP_OR_FAIL(st, c, "DELETE FROM organization_tags WHERE org_id = ?1", err);
		sqlite3_bind_int64(st, 1, o->id);
		if ((rc = sq_exec1(c, st, "replace organisation tags", err)))
			return rc;
	}
	for (size_t i = 0; i < o->ntags; i++) {
		SQ_PREP_OR_FAIL(st, c, "INSERT OR IGNORE INTO organization_tags(org_id, tag) VALUES (?1, ?2)", err);
		sqlite3_bind_int64(st, 1, o->id);
		sq_bind_text(st, 2, o->tags[i]);
		if ((rc = sq_exec1(c, st, "insert organisation tag", err)))
			return rc;
	}
	return 0;
}

static void org_bind(sqlite3_stmt *st, const struct organization *o, struct arena *a)
{
	sq_bind_text(st, 1, o->name);
	sq_bind_text(st, 2, sq_name_key(a, o->name ? o->name : ""));
	sq_bind_text(st, 3, o->business_id);
	sq_bind_text(st, 4, o->website);
	sq_bind_text(st, 5, o->phone);
	sq_bind_text(st, 6, o->email);
	sq_bind_text(st, 7, o->address_json);
	sq_bind_id0(st, 8, o->owner_id);
	sq_bind_text(st, 9, o->custom_json ? o->custom_json : "{}");
}

int sq_org_insert(struct store_conn *sc, struct organization *o, struct kp_err *err)
{
	struct sq_conn *c = SQ_C(sc);
	struct arena a = ARENA_INIT;
	sqlite3_stmt *st;
	int64_t now = o->created_at ? o->created_at : sq_now();
	int rc;

	int64_t claim;
	if ((rc = sq_id_claim(c, "organizations", &claim, err)))
		return rc;
	st = sq_prep_lit(c,
		     "INSERT INTO organizations(id, name, name_fold, business_id, website, phone, email, address_json,"
		     " owner_id, custom_json, version, created_at, updated_at)"
		     " VALUES (?11, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 1, ?10, ?10)",
		     err);
	if (!st)
		return err ? err->status : KP_ESTORE;
	org_bind(st, o, &a);
	sqlite3_bind_int64(st, 10, now);
	sq_bind_id0(st, 11, claim);
	rc = sq_insert(c, st, "insert organisation", &o->id, err);
	arena_release(&a);
	if (rc)
		return rc;
	o->version = 1;
	o->created_at = o->updated_at = now;
	if ((rc = org_tags_write(c, o, 0, err)))
		return rc;
	return org_fts(c, o, 1, err);
}

static int org_tags_load(struct sq_conn *c, struct organization *items, size_t n, struct arena *a,
			 struct kp_err *err)
{
	static const struct tag_slots slots = TAG_SLOTS(struct organization);
	struct buf ids = BUF_INIT(16 * 1024);
	sqlite3_stmt *st;
	int rc;

	if (n == 0)
		return 0;
	if (ids_json(&ids, &items[0].id, sizeof items[0], n) < 0) {
		buf_release(&ids);
		return kp_err_set(err, KP_EINTERNAL, "id list too long");
	}
	st = sq_prep_lit(c,
		     "SELECT org_id, tag FROM organization_tags WHERE org_id IN (SELECT value FROM json_each(?1))"
		     " ORDER BY org_id, tag",
		     err);
	if (!st) {
		buf_release(&ids);
		return err ? err->status : KP_ESTORE;
	}
	sqlite3_bind_text(st, 1, ids.ptr, (int)ids.len, SQLITE_STATIC);
	rc = tags_attach(st, items, n, &slots, 32, a);
	buf_release(&ids);
	return rc == SQLITE_DONE ? 0 : sq_fail(c, rc, "load organisation tags", err);
}

int sq_org_get(struct store_conn *sc, int64_t id, struct organization *out, struct arena *a, struct kp_err *err)
{
	struct sq_conn *c = SQ_C(sc);
	sqlite3_stmt *st;
	int rc;

	SQ_PREP_OR_FAIL(st, c, "SELECT " ORG_COLS " FROM organizations WHERE id = ?1", err);
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		org_row(st, out, a);
	sq_done(st);
	if (rc == SQLITE_DONE)
		return kp_err_set(err, KP_ENOTFOUND, "organisation %lld not found", (long long)id);
	if (rc != SQLITE_ROW)
		return sq_fail(c, rc, "get organisation", err);
	return org_tags_load(c, out, 1, a, err);
}

int sq_org_update(struct store_conn *sc, struct organization *o, int64_t expected_version, struct kp_err *err)
{
	struct sq_conn *c = SQ_C(sc);
	struct arena a = ARENA_INIT;
	sqlite3_stmt *st;
	int64_t now = sq_now();
	int ret, renamed;
	const char *old_name = sq_owner_name(c, 0, o->id, &a);

	renamed = old_name && o->name && strcmp(old_name, o->name) != 0;
	st = sq_prep_lit(c,
		     "UPDATE organizations SET name = ?1, name_fold = ?2, business_id = ?3, website = ?4, phone = ?5,"
		     " email = ?6, address_json = ?7, owner_id = ?8, custom_json = ?9, version = version + 1,"
		     " updated_at = ?10 WHERE id = ?11 AND (?12 = 0 OR version = ?12) RETURNING version",
		     err);
	if (!st) {
		arena_release(&a);
		return err ? err->status : KP_ESTORE;
	}
	org_bind(st, o, &a);
	sqlite3_bind_int64(st, 10, now);
	sqlite3_bind_int64(st, 11, o->id);
	sqlite3_bind_int64(st, 12, expected_version);
	ret = sq_update_versioned(c, st, "organizations", o->id, expected_version, &o->version, "update organisation",
				  err);
	arena_release(&a);
	if (ret)
		return ret;
	o->updated_at = now;
	if ((ret = org_tags_write(c, o, 1, err)))
		return ret;
	if (renamed && (ret = sq_fts_reindex_org_notes(c, o->id, err)))
		return ret;
	return org_fts(c, o, 0, err);
}

int sq_org_delete(struct store_conn *sc, int64_t id, int64_t expected_version, struct kp_err *err)
{
	struct sq_conn *c = SQ_C(sc);
	sqlite3_stmt *st;
	int rc;

	SQ_PREP_OR_FAIL(st, c, "SELECT version FROM organizations WHERE id = ?1", err);
	if ((rc = sq_check_version(c, st, "organisation", id, expected_version, "read version", err)))
		return rc;
	SQ_PREP_OR_FAIL(st, c, "SELECT 1 FROM customers WHERE org_id = ?1 AND merged_into = 0 LIMIT 1", err);
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	sq_done(st);
	if (rc == SQLITE_ROW)
		return kp_err_set(err, KP_ECONFLICT, "organisation %lld still has customers", (long long)id);
	if (rc != SQLITE_DONE)
		return sq_fail(c, rc, "delete organisation", err);
	/* customers merged away keep their org_id but are no longer its customers */
	SQ_PREP_OR_FAIL(st, c, "UPDATE customers SET org_id = NULL WHERE org_id = ?1 AND merged_into <> 0", err);
	sqlite3_bind_int64(st, 1, id);
	if ((rc = sq_exec1(c, st, "detach merged customers", err)))
		return rc;
	/* the interactions stay with their customers; they no longer name a deleted organisation
	 * (a new version: their representation changed, so their ETag must) */
	SQ_PREP_OR_FAIL(
	    st, c, "UPDATE interactions SET org_id = NULL, version = version + 1, updated_at = ?2 WHERE org_id = ?1",
	    err);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, sq_now());
	if ((rc = sq_exec1(c, st, "detach interactions", err)))
		return rc;
	if ((rc = sq_fts_del_org_notes(c, id, err)))
		return rc;
	if ((rc = sq_fts_del(c, SQ_FTS_ORG, id, err)))
		return rc;
	return sq_delete_versioned(c, "organizations", id, expected_version, err);
}

int sq_org_list(struct store_conn *sc, const struct org_filter *f, const struct store_page *pg,
		struct org_list *out, struct arena *a, struct kp_err *err)
{
	static const struct org_filter none;
	struct sq_conn *c = SQ_C(sc);
	struct buf sql = BUF_INIT(4096);
	struct sq_pagebind pb;
	struct sq_rows rows;
	sqlite3_stmt *st;
	const char *lo = NULL;
	int ret, i = 1;

	memset(out, 0, sizeof *out);
	if (!f)
		f = &none;
	buf_adds(&sql, "SELECT " ORG_COLS " FROM organizations WHERE 1 = 1");
	prefix_clause(&sql, f->name_prefix, &lo, a);
	if (f->tag &&
	    (ret = tag_clause(c, &sql, f->tag,
			      "SELECT count(*) FROM (SELECT 1 FROM organization_tags WHERE tag = ?1 LIMIT ?2)",
			      " AND id IN (SELECT org_id FROM organization_tags WHERE tag = ?)",
			      " AND EXISTS (SELECT 1 FROM organization_tags t WHERE t.org_id = organizations.id"
			      " AND t.tag = ?)",
			      err)))
		goto out;
	if (f->business_id)
		buf_adds(&sql, " AND business_id = ?");
	if (f->phone)
		buf_adds(&sql, " AND phone = ?");
	if (f->owner_id)
		buf_adds(&sql, " AND owner_id = ?");
	if (f->updated_after)
		buf_adds(&sql, " AND updated_at > ?");
	custom_clause(&sql, f->custom, f->ncustom);
	if ((ret = sq_page_prep(c, &sql, sq_named_sorts, "id", pg, &pb, &st, a, err)))
		goto out;
	bind_prefix(st, &i, lo, a);
	if (f->tag)
		sq_bind_text(st, i++, f->tag);
	if (f->business_id)
		sq_bind_text(st, i++, f->business_id);
	if (f->phone)
		sq_bind_text(st, i++, f->phone);
	if (f->owner_id)
		sqlite3_bind_int64(st, i++, f->owner_id);
	if (f->updated_after)
		sqlite3_bind_int64(st, i++, f->updated_after);
	bind_custom(st, &i, f->custom, f->ncustom, a);
	sq_page_bind(st, &i, &pb);
	ret = sq_rows_page(c, st, pb.limit, org_row, sizeof *out->items, &rows, a, "list organisations", err);
	SQ_TAKE_ROWS(out, rows);
	if (ret)
		goto out;
	ret = org_tags_load(c, out->items, out->n, a, err);
out:
	buf_release(&sql);
	return ret;
}

/* ---- customers --------------------------------------------------------------------------- */

#define CUST_COLS "id, name, org_id, owner_id, custom_json, merged_into, flags, version, created_at, updated_at"
#define CUST_COLS_C "c.id, c.name, c.org_id, c.owner_id, c.custom_json, c.merged_into, c.flags, c.version," \
		    " c.created_at, c.updated_at"

static void cust_row(sqlite3_stmt *st, void *vo, struct arena *a)
{
	struct customer *o = vo;

	memset(o, 0, sizeof *o);
	o->id = sqlite3_column_int64(st, 0);
	o->name = sq_col_text(st, 1, a);
	o->org_id = sqlite3_column_int64(st, 2);
	o->owner_id = sqlite3_column_int64(st, 3);
	o->custom_json = sq_col_text(st, 4, a);
	o->merged_into = sqlite3_column_int64(st, 5);
	o->flags = sqlite3_column_int(st, 6);
	o->version = sqlite3_column_int64(st, 7);
	o->created_at = sqlite3_column_int64(st, 8);
	o->updated_at = sqlite3_column_int64(st, 9);
}

/* The body: e-mails and addresses in their order, then tags (migration 13 wrote the entries of
 * the customers stored before with an address by this rule). */
static int cust_fts(struct sq_conn *c, const struct customer *cu, int is_new, struct kp_err *err)
{
	struct buf body = BUF_INIT(SQ_BODY_MAX);
	int rc = 0;

	for (size_t i = 0; i < cu->ncontacts && !rc; i++) {
		const struct contact_point *cp = &cu->contacts[i];
		/* no phone numbers: they are found by the phone filter in any form they are typed in
		 * (api/search.c), and every phone number would be a term of its own in the index */
		if (!cp->kind || !cp->value)
			continue;
		if (strcmp(cp->kind, "email") == 0)
			buf_addf(&body, "%s ", cp->value);
		else if (strcmp(cp->kind, "address") == 0)
			rc = address_fts(c, cp->value, &body, err);
	}
	for (size_t i = 0; i < cu->ntags; i++)
		buf_addf(&body, "%s ", cu->tags[i]);
	if (!rc)
		rc = sq_fts_put(c, SQ_FTS_CUSTOMER, cu->id, is_new, cu->name, body.ptr, NULL, err);
	buf_release(&body);
	return rc;
}

static int cmp_str(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* Write the row's children copy (SQ_CHILDREN_SQL) for what cust_children_write just stored:
 * cu's contact points with their new ids in that order, its tags by their bytes without
 * repeats (INSERT OR IGNORE kept one of each). Built here rather than by SQL_CHILDREN_SQL,
 * which would read back what was just written: a bulk load writes a million of these.
 * NULL (the tables are read) when a string is not valid UTF-8 or the copy would be huge. */
static int cust_children_copy(struct sq_conn *c, const struct customer *cu, struct kp_err *err)
{
	struct buf b = BUF_INIT(SQ_BODY_MAX);
	struct arena a = ARENA_INIT;
	sqlite3_stmt *st;
	int bad = buf_adds(&b, "[[");
	int rc;

	for (size_t i = 0; i < cu->ncontacts && !bad; i++) {
		const struct contact_point *cp = &cu->contacts[i];
		const char *kind = cp->kind ? cp->kind : "", *value = cp->value ? cp->value : "";
		bad |= buf_addf(&b, "%s[%lld,", i ? "," : "", (long long)cp->id) < 0;
		bad |= buf_add_json_str_min(&b, kind, strlen(kind)) < 0 || buf_addc(&b, ',') < 0;
		bad |= buf_add_json_str_min(&b, value, strlen(value)) < 0 || buf_addc(&b, ',') < 0;
		bad |= (cp->label ? buf_add_json_str_min(&b, cp->label, strlen(cp->label)) : buf_adds(&b, "null")) < 0;
		bad |= buf_adds(&b, cp->primary ? ",1]" : ",0]") < 0;
	}
	bad |= buf_adds(&b, "],[") < 0;
	if (cu->ntags && !bad) {
		const char **t = arena_alloc(&a, cu->ntags * sizeof *t);
		size_t n = 0;
		for (size_t i = 0; i < cu->ntags; i++)
			if (cu->tags[i])
				t[n++] = cu->tags[i];
		qsort(t, n, sizeof *t, cmp_str);
		for (size_t i = 0, k = 0; i < n && !bad; i++) {
			if (i && strcmp(t[i], t[i - 1]) == 0)
				continue;
			bad |= (k++ && buf_addc(&b, ',') < 0) || buf_add_json_str_min(&b, t[i], strlen(t[i])) < 0;
		}
	}
	bad |= buf_adds(&b, "]]") < 0;
	st = sq_prep_lit(c, "UPDATE customers SET children = ?2 WHERE id = ?1", err);
	if (!st) {
		rc = err ? err->status : KP_ESTORE;
	} else {
		sqlite3_bind_int64(st, 1, cu->id);
		if (bad)
			sqlite3_bind_null(st, 2);
		else
			sqlite3_bind_text(st, 2, b.ptr, (int)b.len, SQLITE_STATIC);
		rc = sq_exec1(c, st, "copy contacts and tags", err);
	}
	buf_release(&b);
	arena_release(&a);
	return rc;
}

static int cust_children_write(struct sq_conn *c, struct customer *cu, int replace, struct kp_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if (replace) {
		SQ_PREP_OR_FAIL(st, c, "DELETE FROM customer_contacts WHERE customer_id = ?1", err);
		sqlite3_bind_int64(st, 1, cu->id);
		if ((rc = sq_exec1(c, st, "replace contacts", err)))
			return rc;
		SQ_PREP_OR_FAIL(st, c, "DELETE FROM customer_tags WHERE customer_id = ?1", err);
		sqlite3_bind_int64(st, 1, cu->id);
		if ((rc = sq_exec1(c, st, "replace tags", err)))
			return rc;
	}
	for (size_t i = 0; i < cu->ncontacts; i++) {
		struct contact_point *cp = &cu->contacts[i];
		SQ_PREP_OR_FAIL(st, c,
				"INSERT INTO customer_contacts(customer_id, kind, value, label, is_primary)"
				" VALUES (?1, ?2, ?3, ?4, ?5)",
				err);
		sqlite3_bind_int64(st, 1, cu->id);
		sq_bind_text(st, 2, cp->kind ? cp->kind : "");
		sq_bind_text(st, 3, cp->value ? cp->value : "");
		sq_bind_text(st, 4, cp->label);
		sqlite3_bind_int(st, 5, cp->primary ? 1 : 0);
		if ((rc = sq_insert(c, st, "insert contact", &cp->id, err)))
			return rc;
	}
	for (size_t i = 0; i < cu->ntags; i++) {
		SQ_PREP_OR_FAIL(st, c, "INSERT OR IGNORE INTO customer_tags(customer_id, tag) VALUES (?1, ?2)", err);
		sqlite3_bind_int64(st, 1, cu->id);
		sq_bind_text(st, 2, cu->tags[i]);
		if ((rc = sq_exec1(c, st, "insert tag", err)))
			return rc;
	}
	if (!replace && cu->ncontacts == 0 && cu->ntags == 0)
		return 0; /* a new row's default '[[],[]]' is already right */
	return cust_children_copy(c, cu, err);
}

static void cust_bind(sqlite3_stmt *st, const struct customer *cu, struct arena *a)
{
	sq_bind_text(st, 1, cu->name);
	sq_bind_text(st, 2, sq_name_key(a, cu->name ? cu->name : ""));
	sq_bind_id0(st, 3, cu->org_id);
	sq_bind_id0(st, 4, cu->owner_id);
	sq_bind_text(st, 5, cu->custom_json ? cu->custom_json : "{}");
	sqlite3_bind_int64(st, 6, cu->merged_into);
	sqlite3_bind_int(st, 7, cu->flags);
}

int sq_customer_insert(struct store_conn *sc, struct customer *cu, struct kp_err *err)
{
	struct sq_conn *c = SQ_C(sc);
	struct arena a = ARENA_INIT;
	sqlite3_stmt *st;
	int64_t now = cu->created_at ? cu->created_at : sq_now();
	int rc;

	int64_t claim;
	if ((rc = sq_id_claim(c, "customers", &claim, err)))
		return rc;
	SQ_PREP_OR_FAIL(st, c,
			"INSERT INTO customers(id, name, name_fold, org_id, owner_id, custom_json, merged_into, flags, version,"
			" created_at, updated_at, children) VALUES (?10, ?1, ?2, ?3, ?4, ?5, ?6, ?7, 1, ?8, ?8,"
			" CASE WHEN ?9 THEN NULL ELSE '[[],[]]' END)",
			err);
	cust_bind(st, cu, &a);
	sqlite3_bind_int64(st, 8, now);
	sq_bind_id0(st, 10, claim);
	/* with contacts or tags to follow, the row starts without a copy (their triggers then
	 * find nothing to clear) and cust_children_write writes it once at the end; without,
	 * its copy is the empty one (the column's default is NULL, for other writers) */
	sqlite3_bind_int(st, 9, cu->ncontacts || cu->ntags);
	rc = sq_insert(c, st, "insert customer", &cu->id, err);
	arena_release(&a);
	if (rc)
		return rc;
	cu->version = 1;
	cu->created_at = cu->updated_at = now;
	if ((rc = cust_children_write(c, cu, 0, err)))
		return rc;
	if (cu->merged_into)
		return 0;
	return cust_fts(c, cu, 1, err);
}

/* The customer's own row (store_customer_get_brief): one lookup, no contacts or tags, and
 * no custom values (NULL in their place). */
int sq_customer_get_brief(struct store_conn *sc, int64_t id, struct customer *out, struct arena *a,
			  struct kp_err *err)
{
	memset(out, 0, sizeof *out);
	return sq_get_id(SQ_C(sc),
			 "SELECT id, name, org_id, owner_id, NULL, merged_into, flags, version, created_at, updated_at"
			 " FROM customers WHERE id = ?1",
			 id, cust_row, out, a, "customer", err);
}

/* The row, its contacts and its tags from the tables, in one statement (so one read
 * transaction, one WAL read lock), for a row without a usable children copy. Column 0 says
 * what a row is (0 = customer, 1 = contact, 2 = tag). No ORDER BY: it would add a sorter per branch, and each branch
 * already walks an index in the order we want (contacts by (customer_id, rowid), tags by
 * their primary key); the loop does not depend on which branch comes first. */
static int cust_get_tables(struct sq_conn *c, int64_t id, struct customer *out, struct arena *a, struct kp_err *err)
{
	sqlite3_stmt *st;
	size_t ccap = 0, tcap = 0;
	int rc, found = 0;

	SQ_PREP_OR_FAIL(st, c,
			"SELECT 0, id, name, org_id, owner_id, custom_json, merged_into, flags, version, created_at,"
			" updated_at FROM customers WHERE id = ?1"
			" UNION ALL SELECT 1, id, kind, value, label, is_primary, NULL, NULL, NULL, NULL, NULL"
			" FROM customer_contacts WHERE customer_id = ?1"
			" UNION ALL SELECT 2, NULL, tag, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL"
			" FROM customer_tags WHERE customer_id = ?1",
			err);
	memset(out, 0, sizeof *out);
	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int kind = sqlite3_column_int(st, 0);
		if (kind == 0) {
			out->id = sqlite3_column_int64(st, 1);
			out->name = sq_col_text(st, 2, a);
			out->org_id = sqlite3_column_int64(st, 3);
			out->owner_id = sqlite3_column_int64(st, 4);
			out->custom_json = sq_col_text(st, 5, a);
			out->merged_into = sqlite3_column_int64(st, 6);
			out->flags = sqlite3_column_int(st, 7);
			out->version = sqlite3_column_int64(st, 8);
			out->created_at = sqlite3_column_int64(st, 9);
			out->updated_at = sqlite3_column_int64(st, 10);
			found = 1;
		} else if (kind == 1) {
			struct contact_point *cp;
			ARENA_ROOM(a, out->contacts, out->ncontacts, ccap);
			cp = &out->contacts[out->ncontacts++];
			cp->id = sqlite3_column_int64(st, 1);
			cp->kind = sq_col_text(st, 2, a);
			cp->value = sq_col_text(st, 3, a);
			cp->label = sq_col_text(st, 4, a);
			cp->primary = sqlite3_column_int(st, 5);
		} else {
			ARENA_ROOM(a, out->tags, out->ntags, tcap);
			out->tags[out->ntags++] = sq_col_text(st, 2, a);
		}
	}
	sq_done(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return sq_fail(c, rc, "get customer", err);
	if (!found)
		return kp_err_set(err, KP_ENOTFOUND, "customer %lld not found", (long long)id);
	return 0;
}

/* ---- the children copy (SQ_CHILDREN_SQL): a strict reader of exactly what SQLite's JSON
 * functions write there. Anything else is "no" (0), and the caller reads the tables. */

struct chread {
	const char *p, *end;
	struct arena *a;
};

static int chr_is(struct chread *r, char ch)
{
	if (r->p < r->end && *r->p == ch) {
		r->p++;
		return 1;
	}
	return 0;
}

static int chr_int(struct chread *r, int64_t *v)
{
	int neg = chr_is(r, '-'), nd = 0;
	uint64_t x = 0;
	while (r->p < r->end && *r->p >= '0' && *r->p <= '9') {
		if (++nd > 18)
			return 0;
		x = x * 10 + (uint64_t)(*r->p++ - '0');
	}
	*v = neg ? -(int64_t)x : (int64_t)x;
	return nd > 0;
}

static int chr_hex4(const char *p, unsigned *v)
{
	*v = 0;
	for (int i = 0; i < 4; i++) {
		char ch = p[i];
		unsigned d = ch >= '0' && ch <= '9' ? (unsigned)(ch - '0')
			     : ch >= 'a' && ch <= 'f' ? (unsigned)(ch - 'a' + 10)
			     : ch >= 'A' && ch <= 'F' ? (unsigned)(ch - 'A' + 10)
						      : 16u;
		if (d > 15)
			return 0;
		*v = *v * 16 + d;
	}
	return 1;
}

/* A JSON string (or null when nullable) into an arena copy. Escapes are decoded (a pair of
 * \u surrogate escapes into one 4-byte sequence); the text between them is copied as it is:
 * the store only ever held valid UTF-8 there. */
static int chr_str(struct chread *r, const char **out, int nullable)
{
	if (nullable && r->end - r->p >= 4 && memcmp(r->p, "null", 4) == 0) {
		r->p += 4;
		*out = NULL;
		return 1;
	}
	if (!chr_is(r, '"'))
		return 0;
	const char *q = r->p;
	while (q < r->end && *q != '"' && *q != '\\')
		q++;
	if (q < r->end && *q == '"') { /* no escapes: the common case */
		*out = arena_strndup(r->a, r->p, (size_t)(q - r->p));
		r->p = q + 1;
		return 1;
	}
	/* the string's end first (an escape is a backslash and the byte after it), so the copy
	 * is as long as its escaped form, which decoding never lengthens */
	while (q < r->end && *q != '"') {
		if (*q == '\\' && r->end - q < 2)
			return 0;
		q += *q == '\\' ? 2 : 1;
	}
	if (q >= r->end)
		return 0;
	char *d = arena_alloc(r->a, (size_t)(q - r->p) + 1), *o = d;
	const char *p = r->p;
	while (p < q) {
		if (*p != '\\') {
			*o++ = *p++;
			continue;
		}
		if (q - p < 2)
			return 0;
		char e = p[1];
		p += 2;
		switch (e) {
		case '"': case '\\': case '/': *o++ = e; continue;
		case 'b': *o++ = '\b'; continue;
		case 'f': *o++ = '\f'; continue;
		case 'n': *o++ = '\n'; continue;
		case 'r': *o++ = '\r'; continue;
		case 't': *o++ = '\t'; continue;
		case 'u': break;
		default: return 0;
		}
		unsigned u, lo;
		if (q - p < 4 || !chr_hex4(p, &u) || u == 0)
			return 0;
		p += 4;
		if (u >= 0xD800 && u <= 0xDBFF) {
			if (q - p < 6 || p[0] != '\\' || p[1] != 'u' || !chr_hex4(p + 2, &lo) || lo < 0xDC00 ||
			    lo > 0xDFFF)
				return 0;
			p += 6;
			u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
		} else if (u >= 0xDC00 && u <= 0xDFFF) {
			return 0;
		}
		if (u < 0x80) {
			*o++ = (char)u;
		} else if (u < 0x800) {
			*o++ = (char)(0xC0 | (u >> 6));
			*o++ = (char)(0x80 | (u & 0x3F));
		} else if (u < 0x10000) {
			*o++ = (char)(0xE0 | (u >> 12));
			*o++ = (char)(0x80 | ((u >> 6) & 0x3F));
			*o++ = (char)(0x80 | (u & 0x3F));
		} else {
			*o++ = (char)(0xF0 | (u >> 18));
			*o++ = (char)(0x80 | ((u >> 12) & 0x3F));
			*o++ = (char)(0x80 | ((u >> 6) & 0x3F));
			*o++ = (char)(0x80 | (u & 0x3F));
		}
	}
	*o = '\0';
	*out = d;
	r->p = q + 1;
	return 1;
}

/* [[[id,"kind","value",label,primary],...],["tag",...]] into out's contacts and tags
 * (arena arrays); 1 on success, 0 when the text is not exactly that. */
static int cust_children_decode(const char *text, size_t len, struct customer *out, struct arena *a)
{
	struct chread r = { text, text + len, a };
	size_t cap = 0;

	out->contacts = NULL, out->ncontacts = 0;
	out->tags = NULL, out->ntags = 0;
	if (!chr_is(&r, '[') || !chr_is(&r, '['))
		return 0;
	if (!chr_is(&r, ']')) {
		do {
			struct contact_point *cp;
			int64_t primary;
			ARENA_ROOM(a, out->contacts, out->ncontacts, cap);
			cp = &out->contacts[out->ncontacts];
			if (!chr_is(&r, '[') || !chr_int(&r, &cp->id) || !chr_is(&r, ',') ||
			    !chr_str(&r, &cp->kind, 0) || !chr_is(&r, ',') || !chr_str(&r, &cp->value, 0) ||
			    !chr_is(&r, ',') || !chr_str(&r, &cp->label, 1) || !chr_is(&r, ',') ||
			    !chr_int(&r, &primary) || !chr_is(&r, ']'))
				return 0;
			cp->primary = primary != 0;
			out->ncontacts++;
		} while (chr_is(&r, ','));
		if (!chr_is(&r, ']'))
			return 0;
	}
	if (!chr_is(&r, ',') || !chr_is(&r, '['))
		return 0;
	cap = 0;
	if (!chr_is(&r, ']')) {
		do {
			ARENA_ROOM(a, out->tags, out->ntags, cap);
			if (!chr_str(&r, &out->tags[out->ntags], 0))
				return 0;
			out->ntags++;
		} while (chr_is(&r, ','));
		if (!chr_is(&r, ']'))
			return 0;
	}
	return chr_is(&r, ']') && r.p == r.end;
}

/* ntags of a listed row whose children copy could not be used (sq_customer_list then reads
 * its contacts and tags from the tables) */
#define CUST_NO_COPY ((size_t)-1)

/* cust_row + the children copy in column 10 (sq_customer_list's rows) */
static void cust_row_children(sqlite3_stmt *st, void *vo, struct arena *a)
{
	struct customer *o = vo;
	const char *ch;

	cust_row(st, o, a);
	ch = (const char *)sqlite3_column_text(st, 10);
	if (!ch || !cust_children_decode(ch, (size_t)sqlite3_column_bytes(st, 10), o, a)) {
		o->contacts = NULL, o->ncontacts = 0;
		o->tags = NULL, o->ntags = CUST_NO_COPY;
	}
}

/* The hot path of GET /customers/{id}: the one row, with its contacts and tags from the
 * children copy; the three tables when the copy is NULL (or, never expected, unreadable). */
int sq_customer_get(struct store_conn *sc, int64_t id, struct customer *out, struct arena *a, struct kp_err *err)
{
	struct sq_conn *c = SQ_C(sc);
	sqlite3_stmt *st;
	int rc, have = 0;

	SQ_PREP_OR_FAIL(st, c,
			"SELECT id, name, org_id, owner_id, custom_json, merged_into, flags, version, created_at,"
			" updated_at, children FROM customers WHERE id = ?1",
			err);
	memset(out, 0, sizeof *out);
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		cust_row(st, out, a);
		const char *ch = (const char *)sqlite3_column_text(st, 10);
		have = ch && cust_children_decode(ch, (size_t)sqlite3_column_bytes(st, 10), out, a);
	}
	sq_done(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return sq_fail(c, rc, "get customer", err);
	if (rc == SQLITE_DONE)
		return kp_err_set(err, KP_ENOTFOUND, "customer %lld not found", (long long)id);
	return have ? 0 : cust_get_tables(c, id, out, a, err);
}

int sq_customer_update(struct store_conn *sc, struct customer *cu, int64_t expected_version, struct kp_err *err)
{
	struct sq_conn *c = SQ_C(sc);
	struct arena a = ARENA_INIT;
	sqlite3_stmt *st;
	int64_t now = sq_now();
	int ret, renamed;
	/* the organisation before (read before the arena is used: an early return leaks
	 * nothing): a customer who moves takes their history along */
	int64_t old_org = 0;
	int org_known = 0;
	SQ_PREP_OR_FAIL(st, c, "SELECT org_id FROM customers WHERE id = ?1", err);
	sqlite3_bind_int64(st, 1, cu->id);
	ret = sqlite3_step(st);
	if (ret == SQLITE_ROW) {
		old_org = sqlite3_column_int64(st, 0);
		org_known = 1;
	}
	sq_done(st);
	if (ret != SQLITE_ROW && ret != SQLITE_DONE)
		return sq_fail(c, ret, "read the customer's organisation", err);
	const char *old_name = sq_owner_name(c, cu->id, 0, &a);

	sq_owner_forget(c); /* the name may change now */
	renamed = old_name && cu->name && strcmp(old_name, cu->name) != 0;
	st = sq_prep_lit(c,
			"UPDATE customers SET name = ?1, name_fold = ?2, org_id = ?3, owner_id = ?4, custom_json = ?5,"
			" merged_into = ?6, flags = ?7, version = version + 1, updated_at = ?8"
			" WHERE id = ?9 AND (?10 = 0 OR version = ?10) RETURNING version",
			err);
	if (!st) {
		arena_release(&a);
		return err ? err->status : KP_ESTORE;
	}
	cust_bind(st, cu, &a);
	sqlite3_bind_int64(st, 8, now);
	sqlite3_bind_int64(st, 9, cu->id);
	sqlite3_bind_int64(st, 10, expected_version);
	ret = sq_update_versioned(c, st, "customers", cu->id, expected_version, &cu->version, "update customer", err);
	arena_release(&a);
	if (ret)
		return ret;
	cu->updated_at = now;
	if ((ret = cust_children_write(c, cu, 1, err)))
		return ret;
	/* the organisation's timeline lists its customers' interactions (as a merge files them):
	 * a customer who moves takes theirs to the new organisation, each with a new version */
	if (org_known && old_org != cu->org_id) {
		SQ_PREP_OR_FAIL(st, c,
		                "UPDATE interactions SET org_id = ?2, version = version + 1, updated_at = ?3"
		                " WHERE customer_id = ?1",
		                err);
		sqlite3_bind_int64(st, 1, cu->id);
		if (cu->org_id)
			sqlite3_bind_int64(st, 2, cu->org_id);
		else
			sqlite3_bind_null(st, 2);
		sqlite3_bind_int64(st, 3, now);
		if ((ret = sq_exec1(c, st, "move interactions", err)))
			return ret;
	}
	if (renamed && (ret = sq_fts_reindex_customer_history(c, cu->id, err)))
		return ret;
	if (cu->merged_into)
		return sq_fts_del(c, SQ_FTS_CUSTOMER, cu->id, err);
	return cust_fts(c, cu, 0, err);
}

int sq_customer_delete(struct store_conn *sc, int64_t id, int64_t expected_version, struct kp_err *err)
{
	struct sq_conn *c = SQ_C(sc);
	sqlite3_stmt *st;
	int rc;

	sq_owner_forget(c);
	SQ_PREP_OR_FAIL(st, c, "SELECT version FROM customers WHERE id = ?1", err);
	if ((rc = sq_check_version(c, st, "customer", id, expected_version, "read version", err)))
		return rc;
	if ((rc = sq_fts_del_customer_history(c, id, err)))
		return rc;
	if ((rc = sq_fts_del(c, SQ_FTS_CUSTOMER, id, err)))
		return rc;
	/* its incidents stay (staff did receive those messages) but point at none of them, as
	 * when one message is deleted (sq_interaction_delete); the customer link is cleared by
	 * the foreign key */
	SQ_PREP_OR_FAIL(st, c,
	                "UPDATE wellbeing_notifications SET interaction_id = NULL WHERE customer_id = ?1"
	                " AND interaction_id IN (SELECT id FROM interactions WHERE customer_id = ?1)",
	                err);
	sqlite3_bind_int64(st, 1, id);
	if ((rc = sq_exec1(c, st, "detach incidents", err)))
		return rc;
	return sq_delete_versioned(c, "customers", id, expected_version, err);
}

int sq_customer_list(struct store_conn *sc, const struct customer_filter *f, const struct store_page *pg,
		     struct customer_list *out, struct arena *a, struct kp_err *err)
{
	static const struct customer_filter none;
	struct sq_conn *c = SQ_C(sc);
	struct buf sql = BUF_INIT(4096);
	struct sq_pagebind pb;
	struct sq_rows rows;
	sqlite3_stmt *st;
	const char *lo = NULL;
	int ret, i = 1, tag_walk;

	memset(out, 0, sizeof *out);
	if (!f)
		f = &none;
	/* A tag in id order with no more selective filter (e-mail, phone, organisation, name
	 * prefix): walk the tag index (tag, customer_id), which is already in id order, and
	 * look each customer up by id - a page reads its own rows and no others, however
	 * common or rare the tag (GET /customers?tag=vip: ~30x fewer rows than probing the tag
	 * of every customer in id order, see docs/performance.md). */
	tag_walk = f->tag && (!pg || pg->sort == STORE_SORT_ID) && !f->email && !f->phone && !f->org_id &&
		   !(f->name_prefix && *f->name_prefix);
	if (tag_walk) {
		buf_adds(&sql, "SELECT " CUST_COLS_C ", c.children FROM customer_tags t CROSS JOIN customers c"
			       " ON c.id = t.customer_id"
			       " WHERE t.tag = ?");
		if (!f->include_merged)
			buf_adds(&sql, " AND c.merged_into = 0");
	} else {
		buf_adds(&sql, "SELECT " CUST_COLS ", children FROM customers WHERE 1 = 1");
		if (!f->include_merged)
			buf_adds(&sql, " AND merged_into = 0");
	}
	prefix_clause(&sql, f->name_prefix, &lo, a);
	if (f->tag && !tag_walk &&
	    (ret = tag_clause(c, &sql, f->tag,
			      "SELECT count(*) FROM (SELECT 1 FROM customer_tags WHERE tag = ?1 LIMIT ?2)",
			      " AND id IN (SELECT customer_id FROM customer_tags WHERE tag = ?)",
			      " AND EXISTS (SELECT 1 FROM customer_tags t WHERE t.customer_id = customers.id"
			      " AND t.tag = ?)",
			      err)))
		goto out;
	if (f->email)
		buf_adds(&sql, " AND id IN (SELECT customer_id FROM customer_contacts WHERE kind = 'email' AND value = ?)");
	if (f->phone)
		buf_adds(&sql, " AND id IN (SELECT customer_id FROM customer_contacts WHERE kind = 'phone' AND value = ?)");
	if (f->org_id)
		buf_adds(&sql, " AND org_id = ?");
	if (f->owner_id)
		buf_adds(&sql, tag_walk ? " AND c.owner_id = ?" : " AND owner_id = ?");
	if (f->updated_after)
		buf_adds(&sql, tag_walk ? " AND c.updated_at > ?" : " AND updated_at > ?");
	/* ("flags <> 0" as written lets the planner use the partial index customers_flagged) */
	if (f->flags)
		buf_adds(&sql,
		         tag_walk ? " AND c.flags <> 0 AND (c.flags & ?) = ?" : " AND flags <> 0 AND (flags & ?) = ?");
	if (f->flags_clear)
		buf_adds(&sql, tag_walk ? " AND (c.flags & ?) = 0" : " AND (flags & ?) = 0");
	custom_clause(&sql, f->custom, f->ncustom);
	if ((ret = sq_page_prep(c, &sql, sq_named_sorts, tag_walk ? "t.customer_id" : "id", pg, &pb, &st, a, err)))
		goto out;
	bind_prefix(st, &i, lo, a);
	if (f->tag)
		sq_bind_text(st, i++, f->tag);
	if (f->email)
		sq_bind_text(st, i++, f->email);
	if (f->phone)
		sq_bind_text(st, i++, f->phone);
	if (f->org_id)
		sqlite3_bind_int64(st, i++, f->org_id);
	if (f->owner_id)
		sqlite3_bind_int64(st, i++, f->owner_id);
	if (f->updated_after)
		sqlite3_bind_int64(st, i++, f->updated_after);
	if (f->flags) {
		sqlite3_bind_int(st, i++, f->flags);
		sqlite3_bind_int(st, i++, f->flags);
	}
	if (f->flags_clear)
		sqlite3_bind_int(st, i++, f->flags_clear);
	bind_custom(st, &i, f->custom, f->ncustom, a);
	sq_page_bind(st, &i, &pb);
	ret = sq_rows_page(c, st, pb.limit, cust_row_children, sizeof *out->items, &rows, a, "list customers", err);
	SQ_TAKE_ROWS(out, rows);
	if (ret)
		goto out;
	/* the contacts and tags of the rows whose copy was NULL or unreadable, from the tables
	 * (in an API request's read transaction: the same snapshot; outside one, a row deleted
	 * meanwhile keeps its list entry without contacts and tags) */
	for (size_t k = 0; k < out->n && ret == 0; k++) {
		struct customer *it = &out->items[k], t;
		if (it->ntags != CUST_NO_COPY)
			continue;
		it->ntags = 0;
		ret = cust_get_tables(c, it->id, &t, a, err);
		if (ret == 0) {
			it->contacts = t.contacts, it->ncontacts = t.ncontacts;
			it->tags = t.tags, it->ntags = t.ntags;
		} else if (ret == KP_ENOTFOUND) {
			if (err)
				kp_err_init(err);
			ret = 0;
		}
	}
out:
	buf_release(&sql);
	return ret;
}

int sq_customer_count(struct store_conn *sc, int64_t *n, struct kp_err *err)
{
	return sq_count(SQ_C(sc), "SELECT count(*) FROM customers WHERE merged_into = 0", "count customers", n, err);
}

int sq_email_idn_ids(struct store_conn *sc, const char *entity, int64_t after_id, size_t max, int64_t *ids, size_t *n,
                     struct kp_err *err)
{
	struct sq_conn *c = SQ_C(sc);
	sqlite3_stmt *st;
	int rc;
	*n = 0;
	/* the WHERE terms as the partial indexes of migration 14 state them, so the planner
	 * reads those (a few rows) and not every e-mail */
	if (!strcmp(entity, "customer"))
		SQ_PREP_OR_FAIL(st, c,
		                "SELECT DISTINCT customer_id FROM customer_contacts WHERE kind = 'email'"
		                " AND instr(value, 'xn--') > 0 AND customer_id > ?1 ORDER BY customer_id LIMIT ?2",
		                err);
	else if (!strcmp(entity, "staff")) /* (no index: a staff table is small, and read at start) */
		SQ_PREP_OR_FAIL(
		    st, c, "SELECT id FROM staff WHERE instr(email, 'xn--') > 0 AND id > ?1 ORDER BY id LIMIT ?2", err);
	else
		SQ_PREP_OR_FAIL(st, c,
		                "SELECT id FROM organizations WHERE instr(email, 'xn--') > 0 AND id > ?1 ORDER BY id"
		                " LIMIT ?2",
		                err);
	sqlite3_bind_int64(st, 1, after_id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)max);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < max)
		ids[(*n)++] = sqlite3_column_int64(st, 0);
	sq_done(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : sq_fail(c, rc, "find e-mails with an xn-- domain", err);
}

int sq_customer_tombstones(struct store_conn *sc, int64_t into, int64_t after_id, size_t max, int64_t *ids, size_t *n,
                           struct kp_err *err)
{
	struct sq_conn *c = SQ_C(sc);
	sqlite3_stmt *st;
	int rc;
	*n = 0;
	/* both read the partial index customers_merged (migration 7), which holds only the
	 * tombstones: a database without a dangling one costs a walk of its tombstones and one
	 * lookup of each one's survivor (the backup check's rule, backupcheck.c) */
	if (into)
		SQ_PREP_OR_FAIL(st, c,
		                "SELECT id FROM customers WHERE merged_into = ?3 AND merged_into <> 0 AND id > ?1"
		                " ORDER BY id LIMIT ?2",
		                err);
	else
		SQ_PREP_OR_FAIL(
		    st, c,
		    "SELECT t.id FROM customers t INDEXED BY customers_merged WHERE t.merged_into <> 0"
		    " AND t.id > ?1 AND ?3 = 0 AND (t.merged_into = t.id OR NOT EXISTS (SELECT 1 FROM"
		    " customers s WHERE s.id = t.merged_into AND s.merged_into = 0)) ORDER BY t.id LIMIT ?2",
		    err);
	sqlite3_bind_int64(st, 1, after_id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)max);
	sqlite3_bind_int64(st, 3, into);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < max)
		ids[(*n)++] = sqlite3_column_int64(st, 0);
	sq_done(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : sq_fail(c, rc, "find merged customers", err);
}

int sq_customer_merge(struct store_conn *sc, int64_t from, int64_t into, struct kp_err *err)
{
	struct sq_conn *c = SQ_C(sc);
	sqlite3_stmt *st;
	int rc, found_from = 0, found_into = 0;
	int64_t merged_from = 0, merged_into = 0;

	sq_owner_forget(c);
	if (from == into)
		return kp_err_set(err, KP_ECONFLICT, "cannot merge a customer into itself");
	SQ_PREP_OR_FAIL(st, c, "SELECT id, merged_into FROM customers WHERE id IN (?1, ?2)", err);
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, into);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		if (id == from) {
			found_from = 1;
			merged_from = sqlite3_column_int64(st, 1);
		} else {
			found_into = 1;
			merged_into = sqlite3_column_int64(st, 1);
		}
	}
	sq_done(st);
	if (rc != SQLITE_DONE)
		return sq_fail(c, rc, "merge customers", err);
	if (!found_from || !found_into)
		return kp_err_set(err, KP_ENOTFOUND, "customer %lld not found", (long long)(found_from ? into : from));
	if (merged_from || merged_into)
		return kp_err_set(err, KP_ECONFLICT, "customer %lld is already merged",
				  (long long)(merged_from ? from : into));
	/* the moved interactions join the target's timeline, under its organisation (the domain
	 * has already given the target the source's organisation if it had none) */
	/* (each moved record gets a new version: its customer_id changed, so must its ETag) */
	int64_t now = sq_now();
	SQ_PREP_OR_FAIL(
	    st, c,
	    "UPDATE interactions SET customer_id = ?2, org_id = (SELECT org_id FROM customers WHERE id = ?2),"
	    " version = version + 1, updated_at = ?3 WHERE customer_id = ?1",
	    err);
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, into);
	sqlite3_bind_int64(st, 3, now);
	if ((rc = sq_exec1(c, st, "merge interactions", err)))
		return rc;
	SQ_PREP_OR_FAIL(
	    st, c, "UPDATE notes SET customer_id = ?2, version = version + 1, updated_at = ?3 WHERE customer_id = ?1",
	    err);
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, into);
	sqlite3_bind_int64(st, 3, now);
	if ((rc = sq_exec1(c, st, "merge notes", err)))
		return rc;
	/* the customer's abuse incidents go with their history (issue 3: a merge must not reset
	 * the policy's count) */
	SQ_PREP_OR_FAIL(st, c, "UPDATE wellbeing_notifications SET customer_id = ?2 WHERE customer_id = ?1", err);
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, into);
	if ((rc = sq_exec1(c, st, "merge incidents", err)))
		return rc;
	/* customers merged into `from` earlier now point at `into`: a merged id leads to the live
	 * record in one step (as on PostgreSQL) */
	/* ("merged_into <> 0" as written lets the planner use the partial index customers_merged) */
	SQ_PREP_OR_FAIL(st, c, "UPDATE customers SET merged_into = ?2 WHERE merged_into = ?1 AND merged_into <> 0",
	                err);
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, into);
	if ((rc = sq_exec1(c, st, "re-point earlier merges", err)))
		return rc;
	SQ_PREP_OR_FAIL(st, c,
			"UPDATE customers SET merged_into = ?2, version = version + 1, updated_at = ?3 WHERE id = ?1", err);
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, into);
	sqlite3_bind_int64(st, 3, sq_now());
	if ((rc = sq_exec1(c, st, "mark customer merged", err)))
		return rc;
	if ((rc = sq_fts_reindex_customer_history(c, into, err)))
		return rc;
	return sq_fts_del(c, SQ_FTS_CUSTOMER, from, err);
}

int sq_custom_set(struct store_conn *sc, const char *entity, int64_t id, const char *custom_json,
                  int64_t expected_version, int64_t *version, int64_t *updated_at, struct kp_err *err)
{
	struct sq_conn *c = SQ_C(sc);
	int customer = strcmp(entity, "customer") == 0;
	int64_t now = sq_now();
	sqlite3_stmt *st =
	    customer ? sq_prep_lit(c,
	                           "UPDATE customers SET custom_json = ?1, version = version + 1, updated_at = ?2"
	                           " WHERE id = ?3 AND (?4 = 0 OR version = ?4) RETURNING version",
	                           err)
	             : sq_prep_lit(c,
	                           "UPDATE organizations SET custom_json = ?1, version = version + 1,"
	                           " updated_at = ?2 WHERE id = ?3 AND (?4 = 0 OR version = ?4) RETURNING version",
	                           err);
	if (!st)
		return err ? err->status : KP_ESTORE;
	sq_bind_text(st, 1, custom_json);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_int64(st, 3, id);
	sqlite3_bind_int64(st, 4, expected_version);
	int rc = sq_update_versioned(c, st, customer ? "customers" : "organizations", id, expected_version, version,
	                             "set custom values", err);
	if (rc == 0)
		*updated_at = now;
	return rc;
}
