#include "domain/erase.h"

#include <stdlib.h>
#include <string.h>

#include "domain/customer.h"
#include "domain/protect.h"
#include "util/jsoncanon.h"
#include "util/timeutil.h"

/* The keys whose values stay in a redacted entry: ids of records and staff members, and the
 * lists of the notes and interactions a delete or merge took (ids), which tie the entries of
 * one person's records together - a later erasure finds them through these. */
static const char *const keep_keys[] = {"author_id",
                                        "correction_id",
                                        "customer_id",
                                        "deleted_with_customer",
                                        "from",
                                        "interaction_id",
                                        "interactions_deleted",
                                        "interactions_moved",
                                        "into",
                                        "merged_from",
                                        "merged_deleted",
                                        "merged_into",
                                        "notes_deleted",
                                        "notes_moved",
                                        "organization_id",
                                        "owner_id",
                                        "staff_id",
                                        NULL};

static int kept_n(const char *key, size_t n)
{
	for (size_t i = 0; keep_keys[i]; i++)
		if (!strncmp(keep_keys[i], key, n) && !keep_keys[i][n])
			return 1;
	return 0;
}

static int kept(const char *key)
{
	return kept_n(key, strlen(key));
}

/* An id value, or a list of them, or a pair [old, new] of ids or nulls: anything else under a
 * kept key is redacted too (a key is never trusted for what it holds). */
static int ids_only(json_t *v)
{
	if (json_is_integer(v) || json_is_null(v))
		return 1;
	if (!json_is_array(v))
		return 0;
	size_t i;
	json_t *x;
	json_array_foreach(v, i, x)
	{
		if (!json_is_integer(x) && !json_is_null(x))
			return 0;
	}
	return 1;
}

/* ids_only() of a value's text in jansson's compact form: an integer, null, or an array of
 * them. */
static int ids_only_text(const char *v, size_t n)
{
	const char *p = v, *end = v + n;
	int arr = n && *p == '[';
	if (arr && ++p < end && *p == ']')
		return p + 1 == end;
	for (;;) {
		if (end - p >= 4 && !memcmp(p, "null", 4)) {
			p += 4;
		} else {
			if (p < end && *p == '-')
				p++;
			const char *d = p;
			while (p < end && *p >= '0' && *p <= '9')
				p++;
			if (p == d)
				return 0;
		}
		if (!arr)
			return p == end;
		if (p < end && *p == ']')
			return p + 1 == end;
		if (p >= end || *p++ != ',')
			return 0;
	}
}

/* erase_redact_changes() of an object in jansson's compact form without a tree: its members
 * split (jsoncanon_members), the values of the keys not kept never parsed - a message's
 * delete entry carries its whole analysis, and parsing it only to replace it was a third of
 * an erasure (docs/performance.md). NULL when the text is not in that form (the caller
 * parses it) or memory ran out. */
static char *redact_members(const char *changes_json)
{
	struct jsoncanon_member m[JSONCANON_KEYS];
	struct buf b = BUF_INIT((size_t)256 << 20);
	int k = jsoncanon_members(changes_json, strlen(changes_json), m, JSONCANON_KEYS), rc = 0;
	if (k < 0)
		return NULL;
	rc |= buf_addc(&b, '{');
	for (int i = 0; i < k && rc == 0; i++) {
		rc |= (i ? buf_addc(&b, ',') : 0) | buf_addc(&b, '"') | buf_add(&b, m[i].key, m[i].key_len) |
		      buf_adds(&b, "\":");
		if (kept_n(m[i].key, m[i].key_len) && ids_only_text(m[i].val, m[i].val_len))
			rc |= buf_add(&b, m[i].val, m[i].val_len);
		else
			rc |= buf_add_json_str_min(&b, ERASE_MARKER, strlen(ERASE_MARKER));
	}
	if (rc || buf_addc(&b, '}')) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b, NULL);
}

char *erase_redact_changes(const char *changes_json)
{
	char *fast = changes_json ? redact_members(changes_json) : NULL;
	if (fast)
		return fast;
	json_t *doc = changes_json ? json_loads(changes_json, JSON_DECODE_ANY, NULL) : NULL;
	json_t *out;
	if (json_is_object(doc)) {
		out = json_object();
		const char *k;
		json_t *v;
		json_object_foreach(doc, k, v)
		{
			json_object_set_new(out, k,
			                    kept(k) && ids_only(v) ? json_incref(v) : json_string(ERASE_MARKER));
		}
	} else {
		out = json_string(ERASE_MARKER);
	}
	char *s = out ? json_dumps(out, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY) : NULL;
	json_decref(out);
	json_decref(doc);
	return s;
}

/* A growing set of ids (sorted and made unique by ids_finish). */
struct ids {
	int64_t *v;
	size_t n, cap;
};

static int ids_add(struct ids *s, int64_t id)
{
	if (id <= 0)
		return 0;
	if (s->n == s->cap) {
		size_t nc = s->cap ? s->cap * 2 : 64;
		int64_t *nv = realloc(s->v, nc * sizeof *nv);
		if (!nv)
			return -1;
		s->v = nv;
		s->cap = nc;
	}
	s->v[s->n++] = id;
	return 0;
}

static int ids_has(const struct ids *s, int64_t id)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i] == id)
			return 1;
	return 0;
}

/* every id of a JSON array (ids_only) */
static int ids_add_json(struct ids *s, json_t *arr)
{
	size_t i;
	json_t *x;
	int rc = 0;
	json_array_foreach(arr, i, x)
	{
		if (json_is_integer(x))
			rc |= ids_add(s, json_integer_value(x));
	}
	return rc;
}

static int cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

static void ids_finish(struct ids *s)
{
	if (!s->n)
		return;
	qsort(s->v, s->n, sizeof *s->v, cmp_id);
	size_t k = 1;
	for (size_t i = 1; i < s->n; i++)
		if (s->v[i] != s->v[k - 1])
			s->v[k++] = s->v[i];
	s->n = k;
}

/* Read every audit entry of customer cid (a page at a time, in an arena reset per page):
 * *seen when there is one; the customers merged into it (merge entries naming it "into") join
 * custs; the notes and interactions its deletes and merges took join notes and inters. */
static int walk_customer(struct store_conn *c, int64_t cid, int *seen, struct ids *custs, struct ids *notes,
                         struct ids *inters, struct kp_err *err)
{
	struct arena pa = ARENA_INIT;
	struct audit_filter f = {.entity = "customer", .entity_id = cid, .limit = 200};
	int rc = 0;
	for (;;) {
		struct audit_list l = {0};
		arena_reset(&pa);
		if ((rc = store_audit_list(c, &f, &l, &pa, err)))
			break;
		for (size_t i = 0; i < l.n && rc == 0; i++) {
			*seen = 1;
			json_t *ch = l.items[i].changes_json ? json_loads(l.items[i].changes_json, 0, NULL) : NULL;
			if (!json_is_object(ch)) {
				json_decref(ch);
				continue;
			}
			json_t *into = json_object_get(ch, "into"), *from = json_object_get(ch, "from");
			if (!strcmp(l.items[i].action, "merge") && json_is_integer(into) && json_is_integer(from) &&
			    json_integer_value(into) == cid && !ids_has(custs, json_integer_value(from)))
				rc |= ids_add(custs, json_integer_value(from));
			/* the tombstones a DELETE of this customer took with it (customer_delete) */
			json_t *md = json_object_get(ch, "merged_deleted"), *mv;
			size_t mi;
			json_array_foreach(md, mi, mv)
			{
				if (json_is_integer(mv) && !ids_has(custs, json_integer_value(mv)))
					rc |= ids_add(custs, json_integer_value(mv));
			}
			rc |= ids_add_json(notes, json_object_get(ch, "notes_deleted"));
			rc |= ids_add_json(notes, json_object_get(ch, "notes_moved"));
			rc |= ids_add_json(inters, json_object_get(ch, "interactions_deleted"));
			rc |= ids_add_json(inters, json_object_get(ch, "interactions_moved"));
			json_decref(ch);
			if (rc)
				rc = kp_err_set(err, KP_ENOMEM, "out of memory for the records to erase");
		}
		if (rc || !l.more || !l.n)
			break;
		f.before_id = l.items[l.n - 1].id;
	}
	arena_release(&pa);
	return rc;
}

/* The ids of entity read at a time (a lookup by index each), and the entries redacted in one
 * statement (store_audit_redact_set): a customer of 5,000 messages was 10,000 statements, each a
 * round trip on PostgreSQL, and a list per message (docs/performance.md) */
#define REDACT_IDS  256
#define REDACT_PAGE 500

/* Redact every entry of entity's ids[0..n) not redacted yet, but an "erase" entry (which
 * names no personal data); *count counts them. A page at a time, in an arena reset per page:
 * a customer of years of long messages is not held in memory whole on the writer. */
static int redact_all(struct store_conn *c, const char *entity, const int64_t *ids, size_t n, int64_t at,
                      int64_t *count, struct kp_err *err)
{
	struct arena pa = ARENA_INIT;
	struct audit_redaction red[REDACT_PAGE];
	size_t nred = 0;
	int rc = 0;
	for (size_t k = 0; k < n && rc == 0; k += REDACT_IDS) {
		size_t m = n - k < REDACT_IDS ? n - k : REDACT_IDS;
		int64_t after = 0;
		for (;;) {
			struct audit_list l = {0};
			int64_t done = 0;
			arena_reset(&pa);
			if ((rc = store_audit_unredacted(c, entity, ids + k, m, after, REDACT_PAGE, &l, &pa, err)))
				break;
			for (size_t i = 0; i < l.n && rc == 0; i++) {
				const struct audit_entry *e = &l.items[i];
				if (!strcmp(e->action, "erase") || !e->changes_json)
					continue; /* nothing of the person in it */
				char *s = erase_redact_changes(e->changes_json);
				if (!s)
					rc = kp_err_set(err, KP_ENOMEM, "out of memory redacting an audit entry");
				else
					red[nred++] = (struct audit_redaction){e->id, s};
			}
			if (rc == 0 && (rc = store_audit_redact_set(c, red, nred, at, &done, err)) == 0)
				*count += done;
			while (nred)
				free((char *)red[--nred].changes_json);
			if (rc || !l.more || !l.n)
				break;
			after = l.items[l.n - 1].id;
		}
	}
	arena_release(&pa);
	return rc;
}

int customer_erase(struct store_conn *c, const struct actor *who, int64_t id, struct erase_report *out, struct arena *a,
                   struct kp_err *err)
{
	struct ids custs = {0}, notes = {0}, inters = {0};
	struct customer cu;
	struct erase_links links;
	json_t *changes = NULL;
	int seen = 0, rc;

	memset(out, 0, sizeof *out);
	out->customer_id = id;
	rc = store_customer_get(c, id, &cu, a, err);
	if (rc == 0 && cu.merged_into) {
		rc = kp_err_set(err, KP_ECONFLICT,
		                "customer %lld was merged into customer %lld, which holds its data: erase that one",
		                (long long)id, (long long)cu.merged_into);
		goto out;
	}
	if (rc == 0) {
		/* its incidents first, while they still name it (a delete would detach them as well,
		 * uncounted), then deleted as DELETE would (its notes and interactions, audited), then
		 * redacted */
		struct erase_ids own = {&id, NULL, 1, 0};
		if ((rc = store_erase_links(c, &own, &links, a, err)))
			goto out;
		out->notifications_detached = links.notifications;
		/* (the tombstones merged into it go with it, each audited as deleted) */
		if ((rc = customer_delete_counted(c, who, id, 0, &out->tombstones_erased, a, err)))
			goto out;
		out->deleted = 1;
	} else if (rc == KP_ENOTFOUND) {
		kp_err_init(err);
	} else {
		goto out;
	}
	/* the customer and those merged into it, transitively: each merge into one of them is in
	 * its audit entries (a merge re-points earlier tombstones, the audit keeps the chain) */
	if (ids_add(&custs, id)) {
		rc = kp_err_set(err, KP_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t k = 0; k < custs.n; k++)
		if ((rc = walk_customer(c, custs.v[k], &seen, &custs, &notes, &inters, err)))
			goto out;
	if (!seen && !out->deleted) {
		rc = kp_err_set(err, KP_ENOTFOUND, "no customer has id %lld, and the audit log names none",
		                (long long)id);
		goto out;
	}
	for (size_t k = 0; k < custs.n; k++) {
		int64_t cid = custs.v[k];
		int64_t *more;
		size_t nmore;
		/* a tombstone still there: its row holds the merged-away record */
		if (cid != id) {
			struct customer t;
			rc = store_customer_get(c, cid, &t, a, err);
			if (rc == 0 && t.merged_into) {
				if ((rc = store_customer_delete(c, cid, 0, err)))
					goto out;
				out->tombstones_erased++;
			} else if (rc == KP_ENOTFOUND) {
				kp_err_init(err);
			} else if (rc) {
				goto out;
			}
			rc = 0;
		}
		/* notes and messages deleted on their own, or before a merge moved the rest */
		if ((rc = store_audit_customer_children(c, "note", cid, &more, &nmore, a, err)))
			goto out;
		for (size_t i = 0; i < nmore; i++)
			rc |= ids_add(&notes, more[i]);
		if ((rc = store_audit_customer_children(c, "interaction", cid, &more, &nmore, a, err)))
			goto out;
		for (size_t i = 0; i < nmore; i++)
			rc |= ids_add(&inters, more[i]);
		if (rc) {
			rc = kp_err_set(err, KP_ENOMEM, "out of memory for the records to erase");
			goto out;
		}
	}
	ids_finish(&custs);
	ids_finish(&notes);
	ids_finish(&inters);
	out->ncustomers = custs.n;
	out->nnotes = notes.n;
	out->ninteractions = inters.n;

	struct erase_ids eid = {custs.v, inters.v, custs.n, inters.n};
	if ((rc = store_erase_links(c, &eid, &links, a, err)))
		goto out;
	out->notifications_detached += links.notifications;
	out->corrections_erased = (int64_t)links.ncorrections;

	int64_t at = time_now_ms();
	if ((rc = redact_all(c, "customer", custs.v, custs.n, at, &out->entries_redacted, err)) ||
	    (rc = redact_all(c, "note", notes.v, notes.n, at, &out->entries_redacted, err)) ||
	    (rc = redact_all(c, "interaction", inters.v, inters.n, at, &out->entries_redacted, err)) ||
	    (rc = redact_all(c, "text_correction", links.corrections, links.ncorrections, at, &out->entries_redacted,
	                     err)))
		goto out;
	/* the stored answers to POSTs sent with an Idempotency-Key that created them, or that
	 * show them without a Location (a merge), hold their data for 24 h (api/dispatch.c):
	 * found by the Location or subject they were kept with (the paths of api/customers.c,
	 * notes.c, interactions.c) */
	if ((rc = store_idem_forget(c, "/api/v1/customers/", custs.v, custs.n, NULL, err)) ||
	    (rc = store_idem_forget(c, "/api/v1/notes/", notes.v, notes.n, NULL, err)) ||
	    (rc = store_idem_forget(c, "/api/v1/interactions/", inters.v, inters.n, NULL, err)))
		goto out;

	out->changed = out->deleted || out->entries_redacted || out->tombstones_erased || out->notifications_detached ||
	               out->corrections_erased;
	if (!out->changed)
		goto out; /* erased before: nothing to do, nothing to audit */
	/* who erased what and when, and how much: ids and counts only */
	changes = json_pack("{sb sI sI sI sI sI sI sI}", "deleted", out->deleted, "entries_redacted",
	                    (json_int_t)out->entries_redacted, "tombstones_erased", (json_int_t)out->tombstones_erased,
	                    "notifications_detached", (json_int_t)out->notifications_detached, "corrections_erased",
	                    (json_int_t)out->corrections_erased, "customers", (json_int_t)out->ncustomers, "notes",
	                    (json_int_t)out->nnotes, "interactions", (json_int_t)out->ninteractions);
	if (!changes) {
		rc = kp_err_set(err, KP_ENOMEM, "out of memory");
		goto out;
	}
	rc = domain_audit(c, who, "erase", "customer", id, changes, err);
	/* the learned layer learnt from the erased corrections' words: the caller has it trained
	 * again once this is committed (erase.h) */
out:
	json_decref(changes);
	free(custs.v);
	free(notes.v);
	free(inters.v);
	return rc;
}
