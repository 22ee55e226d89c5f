#include "domain/customer.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/field.h"
#include "domain/interaction.h"
#include "domain/note.h"
#include "domain/org.h"
#include "domain/protect.h"
#include "domain/staff.h"
#include "domain/validate.h"
#include "util/jsoncanon.h"
#include "util/log.h"
#include "util/timeutil.h"

#define CUSTOMER_CONTACTS_MAX 50 /* per kind */

static const char *const customer_keys[] = {"name",     "emails", "phones", "addresses", "organization_id",
                                            "owner_id", "tags",   "custom", NULL};

/* Contacts of one kind from cu, in order. */
static size_t contacts_of(const struct customer *cu, const char *kind, struct contact_point *out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < cu->ncontacts && n < max; i++)
		if (strcmp(cu->contacts[i].kind, kind) == 0)
			out[n++] = cu->contacts[i];
	return n;
}

/* Validate a JSON array of e-mails, phones or addresses into contact points. */
static int parse_contacts(json_t *arr, const char *key, const char *kind, struct arena *a, struct contact_point **out,
                          size_t *n, struct kp_err *err)
{
	if (!json_is_array(arr))
		return kp_err_field(err, key, "must be an array");
	size_t cnt = json_array_size(arr);
	if (cnt > CUSTOMER_CONTACTS_MAX)
		return kp_err_field(err, key, "must have at most %d entries", CUSTOMER_CONTACTS_MAX);
	struct contact_point *cp = arena_calloc(a, (cnt + 1) * sizeof *cp);
	size_t k = 0;
	int rc = 0;
	for (size_t i = 0; i < cnt; i++) {
		json_t *v = json_array_get(arr, i);
		char *fname = arena_printf(a, "%s[%zu]", key, i);
		const char *val = NULL;
		if (strcmp(kind, "address") == 0) {
			if (validate_address(a, fname, v, &val, err)) {
				rc = KP_EVALIDATION;
				continue;
			}
		} else if (!json_is_string(v)) {
			rc = kp_err_field(err, fname, "must be a string");
			continue;
		} else if (strcmp(kind, "email") == 0 ? validate_email(a, fname, json_string_value(v), &val, err)
		                                      : validate_phone(a, fname, json_string_value(v), &val, err)) {
			rc = KP_EVALIDATION;
			continue;
		}
		int dup = 0;
		for (size_t j = 0; j < k; j++)
			if (strcmp(cp[j].value, val) == 0)
				dup = 1;
		if (dup)
			continue;
		cp[k].kind = kind;
		cp[k].value = val;
		cp[k].primary = k == 0;
		k++;
	}
	if (rc)
		return rc;
	*out = cp;
	*n = k;
	return 0;
}

int customer_apply(struct customer *cu, json_t *body, int creating, struct arena *a, json_t **custom_patch,
                   struct kp_err *err)
{
	static const char *const kinds[3] = {"email", "phone", "address"};
	static const char *const kind_keys[3] = {"emails", "phones", "addresses"};
	int rc = 0;
	*custom_patch = NULL;
	if (!json_is_object(body))
		return kp_err_set(err, KP_EINVAL, "the body must be a JSON object");
	if (validate_known_keys(body, customer_keys, err))
		rc = KP_EVALIDATION;

	if (validate_apply_name(body, creating, a, &cu->name, err))
		rc = KP_EVALIDATION;

	/* contacts: each kind given replaces that kind; the others are kept */
	struct contact_point *kept[3];
	size_t nkept[3];
	int changed = 0;
	json_t *v;
	for (int k = 0; k < 3; k++) {
		kept[k] = arena_calloc(a, (cu->ncontacts + 1) * sizeof **kept);
		nkept[k] = contacts_of(cu, kinds[k], kept[k], cu->ncontacts);
		v = json_object_get(body, kind_keys[k]);
		if (!v)
			continue;
		changed = 1;
		if (json_is_null(v)) {
			nkept[k] = 0;
			continue;
		}
		if (parse_contacts(v, kind_keys[k], kinds[k], a, &kept[k], &nkept[k], err))
			rc = KP_EVALIDATION;
	}
	if (changed && !rc) {
		size_t total = nkept[0] + nkept[1] + nkept[2];
		struct contact_point *all = arena_calloc(a, (total + 1) * sizeof *all);
		size_t n = 0;
		for (int k = 0; k < 3; k++)
			for (size_t i = 0; i < nkept[k]; i++)
				all[n++] = kept[k][i];
		cu->contacts = all;
		cu->ncontacts = n;
	}

	static const char *const idkeys[2] = {"organization_id", "owner_id"};
	for (int i = 0; i < 2; i++) {
		int64_t id = 0;
		v = json_object_get(body, idkeys[i]);
		if (!v)
			continue;
		if (!json_is_null(v) && validate_id(idkeys[i], v, &id, err)) {
			rc = KP_EVALIDATION;
			continue;
		}
		if (i == 0)
			cu->org_id = id;
		else
			cu->owner_id = id;
	}

	if (validate_apply_tags(body, a, &cu->tags, &cu->ntags, err))
		rc = KP_EVALIDATION;
	if (validate_apply_custom(body, custom_patch, err))
		rc = KP_EVALIDATION;
	if (creating && !cu->custom_json)
		cu->custom_json = "{}";
	return rc;
}

/* ---- rendering ------------------------------------------------------------------------
 *
 * One renderer: customer_render() writes the record's compact JSON straight into a buffer
 * (the response body on the read path), and customer_json() parses that text when a json_t
 * is wanted (writes, audit diffs). The bytes are what json_dumps(JSON_COMPACT) of the
 * jansson tree this file built before would give: the same key order, jansson's string
 * escaping (buf_add_json_str_min), stored JSON columns (custom values, addresses) copied
 * verbatim when they already are in that form (jsoncanon_ok; they were written by
 * jansson) and parsed and dumped otherwise, with "{}" for one that is not an object. */

static int dump_cb(const char *s, size_t n, void *arg)
{
	return buf_add(arg, s, n) < 0 ? -1 : 0;
}

/* A stored JSON object column: verbatim when canonical, else parsed and dumped; a value
 * that is not a JSON object renders as {} (as validate_parse_json(text, 1) did). */
static int render_stored_object(struct buf *b, const char *text)
{
	size_t n = text ? strlen(text) : 0;
	if (text && jsoncanon_ok(text, n, 1))
		return buf_add(b, text, n);
	json_t *j = validate_parse_json(text, 1);
	int rc = json_dump_callback(j, dump_cb, b, JSON_COMPACT | JSON_ENCODE_ANY) ? -1 : 0;
	json_decref(j);
	return rc;
}

static int render_str(struct buf *b, const char *s)
{
	return s ? buf_add_json_str_min(b, s, strlen(s)) : buf_add(b, "null", 4);
}

static int render_id(struct buf *b, int64_t id)
{
	return id ? buf_add_i64(b, id) : buf_add(b, "null", 4);
}

static int render_time(struct buf *b, int64_t ms)
{
	char t[40];
	if (!ms)
		return buf_add(b, "null", 4);
	time_format_ms(ms, t, sizeof t);
	return buf_add_json_str_min(b, t, strlen(t));
}

/* The contact points of one kind as a JSON array. */
static int render_contacts(struct buf *b, const struct customer *cu, const char *kind, int stored_json)
{
	int rc = buf_addc(b, '['), first = 1;
	for (size_t i = 0; !rc && i < cu->ncontacts; i++) {
		const struct contact_point *cp = &cu->contacts[i];
		if (strcmp(cp->kind, kind) != 0)
			continue;
		if (!first)
			rc = buf_addc(b, ',');
		first = 0;
		if (!rc)
			rc = stored_json ? render_stored_object(b, cp->value) : render_str(b, cp->value);
	}
	return rc ? rc : buf_addc(b, ']');
}

#define ADD_KEY(lit) buf_add(b, lit, sizeof(lit) - 1)

int customer_render(const struct customer *cu, struct buf *b)
{
	size_t mark = b->len;
	int rc = ADD_KEY("{\"id\":");
	if (!rc)
		rc = buf_add_i64(b, cu->id);
	if (!rc)
		rc = ADD_KEY(",\"name\":");
	if (!rc)
		rc = render_str(b, cu->name);
	if (!rc)
		rc = ADD_KEY(",\"emails\":");
	if (!rc)
		rc = render_contacts(b, cu, "email", 0);
	if (!rc)
		rc = ADD_KEY(",\"phones\":");
	if (!rc)
		rc = render_contacts(b, cu, "phone", 0);
	if (!rc)
		rc = ADD_KEY(",\"addresses\":");
	if (!rc)
		rc = render_contacts(b, cu, "address", 1);
	if (!rc)
		rc = ADD_KEY(",\"organization_id\":");
	if (!rc)
		rc = render_id(b, cu->org_id);
	if (!rc)
		rc = ADD_KEY(",\"owner_id\":");
	if (!rc)
		rc = render_id(b, cu->owner_id);
	if (!rc)
		rc = ADD_KEY(",\"tags\":[");
	for (size_t i = 0; !rc && i < cu->ntags; i++) {
		if (i)
			rc = buf_addc(b, ',');
		if (!rc)
			rc = render_str(b, cu->tags[i]);
	}
	if (!rc)
		rc = ADD_KEY("],\"custom\":");
	if (!rc)
		rc = render_stored_object(b, cu->custom_json);
	if (!rc)
		rc = ADD_KEY(",\"version\":");
	if (!rc)
		rc = buf_add_i64(b, cu->version);
	if (!rc)
		rc = ADD_KEY(",\"created_at\":");
	if (!rc)
		rc = render_time(b, cu->created_at);
	if (!rc)
		rc = ADD_KEY(",\"updated_at\":");
	if (!rc)
		rc = render_time(b, cu->updated_at);
	if (!rc && cu->merged_into) {
		rc = ADD_KEY(",\"merged_into\":");
		if (!rc)
			rc = buf_add_i64(b, cu->merged_into);
	}
	if (!rc && (cu->flags & CUSTOMER_FLAG_ABUSIVE)) /* issue 3: repeated abuse incidents (domain/protect.h) */
		rc = ADD_KEY(",\"flags\":[\"abusive\"]");
	if (!rc)
		rc = buf_addc(b, '}');
	if (rc)
		buf_setlen(b, mark);
	return rc;
}

json_t *customer_json(const struct customer *cu)
{
	struct buf b = BUF_INIT(CUSTOMER_RENDER_MAX);
	json_t *j = NULL;
	if (customer_render(cu, &b) == 0)
		j = json_loadb(b.ptr, b.len, 0, NULL);
	buf_release(&b);
	return j;
}

/* The record without bookkeeping, for audit diffs. */
static json_t *audit_view(const struct customer *cu)
{
	return validate_audit_view(customer_json(cu));
}

/* The organisation and owner a record points at must exist (a new owner be active). */
static int check_refs(struct store_conn *c, const struct customer *cu, const struct customer *old, struct arena *a,
                      struct kp_err *err)
{
	int rc = 0;
	if (cu->org_id && (!old || old->org_id != cu->org_id)) {
		struct organization o;
		rc = store_org_get(c, cu->org_id, &o, a, err);
		if (rc == KP_ENOTFOUND) {
			kp_err_init(err);
			return kp_err_field(err, "organization_id", "no organization has id %lld",
			                    (long long)cu->org_id);
		}
		if (rc)
			return rc;
	}
	if (!old || old->owner_id != cu->owner_id)
		rc = domain_staff_check_owner(c, "owner_id", cu->owner_id, a, err);
	return rc;
}

int customer_get_live(struct store_conn *c, int64_t id, struct customer *out, int64_t *merged_into, struct arena *a,
                      struct kp_err *err)
{
	if (merged_into)
		*merged_into = 0;
	int rc = store_customer_get(c, id, out, a, err);
	if (rc == KP_ENOTFOUND)
		return kp_err_set(err, KP_ENOTFOUND, "customer %lld does not exist", (long long)id);
	if (rc)
		return rc;
	if (out->merged_into) {
		/* a merge re-points older tombstones at the new survivor, so one read tells whether
		 * the survivor is still there (a delete takes its tombstones with it; one an older
		 * version left pointing nowhere lasts until customer_tombstone_repair at start) */
		struct customer to;
		int64_t into = out->merged_into;
		rc = store_customer_get_brief(c, into, &to, a, err);
		if (rc == KP_ENOTFOUND) {
			kp_err_init(err);
			return kp_err_set(err, KP_ENOTFOUND,
			                  "customer %lld was merged into customer %lld, which has since been deleted",
			                  (long long)id, (long long)into);
		}
		if (rc)
			return rc;
		if (merged_into)
			*merged_into = into;
		return kp_err_set(err, KP_ENOTFOUND, "customer %lld was merged into customer %lld", (long long)id,
		                  (long long)into);
	}
	return 0;
}

static int check_version(const struct customer *cu, const struct validate_precond *pre, struct kp_err *err)
{
	return validate_precond_check("customer", cu->id, cu->version, pre, err);
}

int customer_create(struct store_conn *c, const struct actor *who, struct customer *cu, json_t *custom_patch,
                    struct arena *a, struct kp_err *err)
{
	json_t *view = NULL, *changes = NULL;
	int rc = field_merge_stored(c, "customer", "{}", custom_patch, 1, a, &cu->custom_json, err);
	if (rc)
		goto out;
	if ((rc = check_refs(c, cu, NULL, a, err)))
		goto out;
	if ((rc = store_customer_insert(c, cu, err)))
		goto out;
	view = audit_view(cu);
	changes = validate_diff(NULL, view);
	rc = domain_audit(c, who, "create", "customer", cu->id, changes, err);
out:
	json_decref(view);
	json_decref(changes);
	return rc;
}

int customer_update(struct store_conn *c, const struct actor *who, int64_t id, json_t *body,
                    const struct validate_precond *pre, struct customer *out, struct arena *a, struct kp_err *err)
{
	json_t *before = NULL, *after = NULL, *changes = NULL, *patch = NULL;
	struct customer old;
	int rc = customer_get_live(c, id, out, NULL, a, err);
	if (rc)
		goto out;
	if ((rc = check_version(out, pre, err)))
		goto out;
	old = *out;
	before = audit_view(out);
	if ((rc = customer_apply(out, body, 0, a, &patch, err)))
		goto out;
	if (patch && (rc = field_merge_stored(c, "customer", old.custom_json, patch, 0, a, &out->custom_json, err)))
		goto out;
	if ((rc = check_refs(c, out, &old, a, err)))
		goto out;
	after = audit_view(out);
	/* a view that cannot be made must not pass for "nothing changed" (the write would be
	 * skipped and answered 200) */
	if (!before || !after) {
		rc = kp_err_set(err, KP_ENOMEM, "could not compare the record with its stored version");
		goto out;
	}
	changes = validate_diff(before, after);
	if (json_object_size(changes) == 0)
		goto out; /* nothing to write */
	if ((rc = store_customer_update(c, out, old.version, err)))
		goto out;
	rc = domain_audit(c, who, "update", "customer", id, changes, err);
out:
	json_decref(before);
	json_decref(after);
	json_decref(changes);
	return rc;
}

/* The audit entries of one page of children a delete takes, written in one call
 * (store_audit_insert_set: one statement on PostgreSQL, where one INSERT per message was
 * 20,000 round trips for a customer of 20,000 messages; docs/performance.md). */
#define CHILDREN_PAGE 200
struct children_audit {
	struct audit_entry e[CHILDREN_PAGE];
	char *text[CHILDREN_PAGE];
	size_t n;
};

static int children_audit_flush(struct store_conn *c, struct children_audit *ca, struct kp_err *err)
{
	int rc = ca->n ? store_audit_insert_set(c, ca->e, ca->n, err) : 0;
	while (ca->n)
		free(ca->text[--ca->n]);
	return rc;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* The integers of arr from index first on put in ascending order. */
static int ids_sort_tail(json_t *arr, size_t first, struct kp_err *err)
{
	size_t n = json_array_size(arr) - first;
	if (n < 2)
		return 0;
	int64_t *v = malloc(n * sizeof *v);
	if (!v)
		return kp_err_set(err, KP_ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++)
		v[i] = json_integer_value(json_array_get(arr, first + i));
	qsort(v, n, sizeof *v, cmp_i64);
	for (size_t i = 0; i < n; i++)
		json_array_set_new(arr, first + i, json_integer(v[i]));
	free(v);
	return 0;
}

/* What a delete or a merge of customer id takes with it: each note's and interaction's id,
 * appended to notes and inters (the caller's arrays), in id order; with audit (a delete), an
 * audit entry of each as deleted, words included, as their own deletes write one, so the
 * audit log can be asked of any one of them (the notes' in id order, then the interactions'
 * in the order of their time). */
static int customer_children(struct store_conn *c, const struct actor *who, int64_t id, int audit, json_t *notes,
                             json_t *inters, struct kp_err *err)
{
	/* each page in an arena of its own, released before the next: a customer with years of
	 * long messages must not be held in memory whole on the writer (only ids are kept) */
	int rc = 0;
	struct arena pa = ARENA_INIT;
	struct children_audit *ca = audit ? calloc(1, sizeof *ca) : NULL;
	struct store_page pg = {.limit = CHILDREN_PAGE, .sort = STORE_SORT_ID};
	if (audit && !ca)
		return kp_err_set(err, KP_ENOMEM, "out of memory");
	for (;;) {
		struct note_list nl = {0};
		arena_reset(&pa);
		if ((rc = store_note_list(c, id, 0, &pg, &nl, &pa, err)))
			goto out;
		for (size_t i = 0; i < nl.n; i++) {
			if (audit) {
				ca->text[ca->n] = note_deleted_changes(&nl.items[i], id);
				domain_audit_entry(&ca->e[ca->n], who, "delete", "note", nl.items[i].id,
				                   ca->text[ca->n]);
				ca->n++;
			}
			json_array_append_new(notes, json_integer(nl.items[i].id));
		}
		if (audit && (rc = children_audit_flush(c, ca, err)))
			goto out;
		if (!nl.more || !nl.n)
			break;
		pg.has_after = 1;
		pg.after_id = nl.items[nl.n - 1].id;
	}
	/* the interactions in the order of the index by customer, (occurred_at, id): by id, each
	 * page read and sorted every interaction of the customer after the last id again (a
	 * customer of 20,000 messages: 100 pages of up to 20,000 rows, a third of its DELETE);
	 * the ids are put back in id order below */
	struct interaction_filter f = {.customer_id = id};
	char key[24];
	size_t first = json_array_size(inters);
	pg = (struct store_page){.limit = CHILDREN_PAGE, .sort = STORE_SORT_OCCURRED};
	for (;;) {
		struct interaction_list il = {0};
		arena_reset(&pa);
		if ((rc = store_interaction_list(c, &f, &pg, &il, &pa, err)))
			goto out;
		for (size_t i = 0; i < il.n; i++) {
			if (audit) {
				ca->text[ca->n] = interaction_deleted_changes(&il.items[i], id);
				domain_audit_entry(&ca->e[ca->n], who, "delete", "interaction", il.items[i].id,
				                   ca->text[ca->n]);
				ca->n++;
			}
			json_array_append_new(inters, json_integer(il.items[i].id));
		}
		if (audit && (rc = children_audit_flush(c, ca, err)))
			goto out;
		if (!il.more || !il.n)
			break;
		snprintf(key, sizeof key, "%lld", (long long)il.items[il.n - 1].occurred_at);
		pg.has_after = 1;
		pg.after_key = key;
		pg.after_id = il.items[il.n - 1].id;
	}
	rc = ids_sort_tail(inters, first, err);
out:
	if (ca) {
		while (ca->n)
			free(ca->text[--ca->n]);
		free(ca);
	}
	arena_release(&pa);
	return rc;
}

/* The delete of one tombstone, audited as a delete of it is ("delete", each value [old, null])
 * with the customer whose delete took it (with_customer). Its notes, interactions and
 * incidents went to its survivor when it was merged: only its row, contacts and tags go. */
static int tombstone_delete(struct store_conn *c, const struct actor *who, int64_t id, int64_t with_customer,
                            struct kp_err *err)
{
	struct arena a = ARENA_INIT;
	struct customer t;
	json_t *view = NULL, *changes = NULL;
	int rc = store_customer_get(c, id, &t, &a, err);
	if (rc)
		goto out;
	if ((rc = store_customer_delete(c, id, t.version, err)))
		goto out;
	/* a record that cannot be rendered (not UTF-8, over the render limit: stored by an older
	 * version or by hand) is deleted all the same, its entry without the values, as
	 * customer_delete_counted does: else it would block its survivor's delete and erasure */
	view = audit_view(&t);
	changes = json_object();
	if (!changes) {
		rc = kp_err_set(err, KP_ENOMEM, "out of memory");
		goto out;
	}
	const char *k;
	json_t *v;
	json_object_foreach(view, k, v)
	{
		json_object_set_new(changes, k, json_pack("[On]", v));
	}
	if (with_customer)
		json_object_set_new(changes, "deleted_with_customer", json_integer(with_customer));
	rc = domain_audit(c, who, "delete", "customer", id, changes, err);
out:
	json_decref(view);
	json_decref(changes);
	arena_release(&a);
	return rc;
}

#define TOMBSTONE_PAGE 100

/* Every tombstone that leads to customer id, just deleted: a merge re-points the earlier ones
 * at its survivor, so those merged into id are all of them; the ones merged into those (a
 * chain an older version left) are taken too. Each delete audited, its id appended to
 * deleted. A tombstone is the merged-away record's data, which its survivor held for it:
 * left behind, it would point at no record (a backup refuses it), and GET would answer it
 * with a survivor that is not there. Called after id's own row is deleted, so that a merge
 * into id committed meanwhile by another process is seen here (its row lock on id is what
 * the delete waited for) or fails on the missing survivor. */
static int tombstones_delete(struct store_conn *c, const struct actor *who, int64_t id, json_t *deleted,
                             struct kp_err *err)
{
	int64_t ids[TOMBSTONE_PAGE];
	int rc = 0;
	json_t *queue = json_pack("[I]", (json_int_t)id);
	if (!queue)
		return kp_err_set(err, KP_ENOMEM, "out of memory");
	for (size_t k = 0; k < json_array_size(queue) && rc == 0; k++) {
		int64_t into = json_integer_value(json_array_get(queue, k));
		size_t n;
		do {
			/* the deleted ones are gone: each page starts from the first left */
			if ((rc = store_customer_tombstones(c, into, 0, TOMBSTONE_PAGE, ids, &n, err)))
				break;
			for (size_t i = 0; i < n && rc == 0; i++) {
				if ((rc = tombstone_delete(c, who, ids[i], id, err)))
					break;
				if (json_array_append_new(deleted, json_integer(ids[i])) ||
				    json_array_append_new(queue, json_integer(ids[i])))
					rc = kp_err_set(err, KP_ENOMEM, "out of memory");
			}
		} while (rc == 0 && n == TOMBSTONE_PAGE);
	}
	json_decref(queue);
	return rc;
}

int customer_delete(struct store_conn *c, const struct actor *who, int64_t id, const struct validate_precond *pre,
                    struct arena *a, struct kp_err *err)
{
	return customer_delete_counted(c, who, id, pre, NULL, a, err);
}

int customer_delete_counted(struct store_conn *c, const struct actor *who, int64_t id,
                            const struct validate_precond *pre, int64_t *tombstones, struct arena *a,
                            struct kp_err *err)
{
	struct customer cu;
	json_t *view = NULL, *changes = NULL, *notes = NULL, *inters = NULL, *merged = NULL;
	if (tombstones)
		*tombstones = 0;
	int rc = customer_get_live(c, id, &cu, NULL, a, err);
	if (rc)
		goto out;
	if ((rc = check_version(&cu, pre, err)))
		goto out;
	notes = json_array();
	inters = json_array();
	merged = json_array();
	if ((rc = customer_children(c, who, id, 1, notes, inters, err)))
		goto out;
	if ((rc = store_customer_delete(c, id, cu.version, err)))
		goto out;
	if ((rc = tombstones_delete(c, who, id, merged, err)))
		goto out;
	if (tombstones)
		*tombstones = (int64_t)json_array_size(merged);
	view = audit_view(&cu);
	changes = json_object();
	const char *k;
	json_t *v;
	json_object_foreach(view, k, v)
	{
		json_object_set_new(changes, k, json_pack("[On]", v));
	}
	if (json_array_size(notes))
		json_object_set(changes, "notes_deleted", notes);
	if (json_array_size(inters))
		json_object_set(changes, "interactions_deleted", inters);
	if (json_array_size(merged))
		json_object_set(changes, "merged_deleted", merged);
	rc = domain_audit(c, who, "delete", "customer", id, changes, err);
out:
	json_decref(view);
	json_decref(changes);
	json_decref(notes);
	json_decref(inters);
	json_decref(merged);
	return rc;
}

static int has_contact(const struct customer *cu, const struct contact_point *cp)
{
	for (size_t i = 0; i < cu->ncontacts; i++)
		if (strcmp(cu->contacts[i].kind, cp->kind) == 0 && strcmp(cu->contacts[i].value, cp->value) == 0)
			return 1;
	return 0;
}

int customer_merge(struct store_conn *c, const struct actor *who, int64_t into, int64_t from,
                   const struct validate_precond *pre, struct customer *out, struct arena *a, struct kp_err *err)
{
	struct customer src;
	int64_t m;
	json_t *added_contacts = json_array(), *added_tags = json_array(), *filled = json_array();
	json_t *tcustom = NULL, *scustom = NULL, *changes = NULL;
	int rc;
	if (into == from) {
		rc = kp_err_field(err, "from", "cannot merge a customer into itself");
		goto out;
	}
	rc = customer_get_live(c, into, out, &m, a, err);
	if (rc == KP_ENOTFOUND && m) {
		rc = kp_err_set(err, KP_ECONFLICT, "customer %lld was already merged into customer %lld",
		                (long long)into, (long long)m);
		goto out;
	}
	if (rc)
		goto out;
	if ((rc = check_version(out, pre, err)))
		goto out;
	rc = customer_get_live(c, from, &src, &m, a, err);
	if (rc == KP_ENOTFOUND && !m) {
		kp_err_init(err);
		rc = kp_err_field(err, "from", "no customer has id %lld", (long long)from);
		goto out;
	}
	if (rc == KP_ENOTFOUND) {
		rc = kp_err_set(err, KP_ECONFLICT, "customer %lld was already merged into customer %lld",
		                (long long)from, (long long)m);
		goto out;
	}
	if (rc)
		goto out;
	int64_t old_version = out->version;

	/* contacts: the target's first, then the source's that it lacks */
	struct contact_point *cps = arena_calloc(a, (out->ncontacts + src.ncontacts + 1) * sizeof *cps);
	size_t nc = out->ncontacts;
	if (out->ncontacts) /* (memcpy from NULL is undefined even for 0 bytes) */
		memcpy(cps, out->contacts, out->ncontacts * sizeof *cps);
	for (size_t i = 0; i < src.ncontacts; i++) {
		struct customer tmp = {.contacts = cps, .ncontacts = nc};
		if (has_contact(&tmp, &src.contacts[i]))
			continue;
		cps[nc] = src.contacts[i];
		cps[nc].id = 0;
		cps[nc].primary = 0;
		json_array_append_new(
		    added_contacts, json_pack("{ss ss}", "kind", src.contacts[i].kind, "value", src.contacts[i].value));
		nc++;
	}
	out->contacts = cps;
	out->ncontacts = nc;
	/* the merged record must still be one a client can send back (at most 50 per kind) */
	static const char *const kinds[][2] = {{"email", "emails"}, {"phone", "phones"}, {"address", "addresses"}};
	for (size_t kk = 0; kk < sizeof kinds / sizeof kinds[0]; kk++) {
		size_t cnt = 0;
		for (size_t i = 0; i < nc; i++)
			cnt += strcmp(cps[i].kind, kinds[kk][0]) == 0;
		if (cnt > CUSTOMER_CONTACTS_MAX) {
			rc = kp_err_field(err, kinds[kk][1], "the merged record would have more than %d entries",
			                  CUSTOMER_CONTACTS_MAX);
			goto out;
		}
	}

	const char **tags = arena_calloc(a, (out->ntags + src.ntags + 1) * sizeof *tags);
	size_t nt = out->ntags;
	if (out->ntags)
		memcpy(tags, out->tags, out->ntags * sizeof *tags);
	for (size_t i = 0; i < src.ntags; i++) {
		int dup = 0;
		for (size_t j = 0; j < nt; j++)
			if (strcmp(tags[j], src.tags[i]) == 0)
				dup = 1;
		if (dup)
			continue;
		if (nt >= VALIDATE_TAGS_MAX) {
			rc = kp_err_field(err, "tags", "the merged record would have more than %d tags",
			                  VALIDATE_TAGS_MAX);
			goto out;
		}
		tags[nt++] = src.tags[i];
		json_array_append_new(added_tags, json_string(src.tags[i]));
	}
	qsort(tags, nt, sizeof *tags, validate_cmp_str); /* as validate_tags() orders them */
	out->tags = tags;
	out->ntags = nt;

	tcustom = validate_parse_json(out->custom_json, 1);
	scustom = validate_parse_json(src.custom_json, 1);
	const char *k;
	json_t *v;
	/* what the target keeps over the source's own values is recorded in the audit entry, so a
	 * merge loses nothing that cannot be found again */
	json_t *discarded = json_object(), *dcustom = json_object();
	json_object_foreach(scustom, k, v)
	{
		json_t *tv = json_object_get(tcustom, k);
		if (tv) {
			if (!json_equal(tv, v))
				json_object_set(dcustom, k, v);
			continue;
		}
		json_object_set(tcustom, k, v);
		json_array_append_new(filled, json_string(k));
	}
	if (json_object_size(dcustom))
		json_object_set(discarded, "custom", dcustom);
	json_decref(dcustom);
	if (src.name && out->name && strcmp(src.name, out->name) != 0)
		json_object_set_new(discarded, "name", json_string(src.name));
	if (src.org_id && out->org_id && src.org_id != out->org_id)
		json_object_set_new(discarded, "organization_id", json_integer(src.org_id));
	if (src.owner_id && out->owner_id && src.owner_id != out->owner_id)
		json_object_set_new(discarded, "owner_id", json_integer(src.owner_id));
	char *dump = json_dumps(tcustom, JSON_COMPACT | JSON_SORT_KEYS);
	if (!dump) {
		rc = kp_err_set(err, KP_ENOMEM, "out of memory");
		json_decref(discarded);
		goto out;
	}
	if (strlen(dump) > FIELD_CUSTOM_MAX) { /* the cap a write of custom values has */
		free(dump);
		json_decref(discarded);
		rc = kp_err_field(err, "custom", "the merged record's custom values would take more than %d KiB",
		                  (int)(FIELD_CUSTOM_MAX / 1024));
		goto out;
	}
	out->custom_json = arena_strdup(a, dump);
	free(dump);

	changes = json_pack("{sI sI sO sO sO}", "into", (json_int_t)into, "from", (json_int_t)from, "contacts_added",
	                    added_contacts, "tags_added", added_tags, "custom_filled", filled);
	if (json_object_size(discarded))
		json_object_set(changes, "source_values_not_kept", discarded);
	json_decref(discarded);
	if (!out->org_id && src.org_id) {
		out->org_id = src.org_id;
		json_object_set_new(changes, "organization_id", json_pack("[nI]", (json_int_t)src.org_id));
	}
	if (!out->owner_id && src.owner_id) {
		out->owner_id = src.owner_id;
		json_object_set_new(changes, "owner_id", json_pack("[nI]", (json_int_t)src.owner_id));
	}
	/* a flag such as "abusive" (the staff-protection policy's) stays with the person */
	int carried = src.flags & ~out->flags;
	if (carried != 0) {
		json_object_set_new(changes, "flags", json_pack("[II]", (json_int_t)out->flags,
								(json_int_t)(out->flags | src.flags)));
		out->flags |= src.flags;
	}
	if ((rc = store_customer_update(c, out, old_version, err)))
		goto out;
	json_t *notes = json_array(), *inters = json_array();
	json_object_set_new(changes, "notes_moved", notes);
	json_object_set_new(changes, "interactions_moved", inters);
	if ((rc = customer_children(c, who, from, 0, notes, inters, err)))
		goto out;
	if ((rc = store_customer_merge(c, from, into, err)))
		goto out;
	json_object_set_new(changes, "moved", json_string("notes, interactions and abuse incidents"));
	if ((rc = domain_audit(c, who, "merge", "customer", into, changes, err)))
		goto out;
	json_object_set_new(changes, "merged_into", json_pack("[nI]", (json_int_t)into));
	if ((rc = domain_audit(c, who, "merge", "customer", from, changes, err)))
		goto out;
	/* the target is flagged from now on: said where flags are looked for, as the policy's own
	 * flagging says it (action "flag") */
	if (carried & CUSTOMER_FLAG_ABUSIVE) {
		json_t *fc = json_pack("{s[[][s]]sI}", "flags", "abusive", "merged_from", (json_int_t)from);
		rc = fc ? domain_audit(c, who, "flag", "customer", into, fc, err)
		        : kp_err_set(err, KP_ENOMEM, "out of memory");
		json_decref(fc);
		if (rc)
			goto out;
	}
	/* the incidents of both may now reach the policy's threshold */
	if (!(out->flags & CUSTOMER_FLAG_ABUSIVE)) {
		if ((rc = protect_policy_recheck(c, who, into, a, err)))
			goto out;
		rc = store_customer_get(c, into, out, a, err); /* as flagged, if it was */
	}
out:
	json_decref(added_contacts);
	json_decref(added_tags);
	json_decref(filled);
	json_decref(tcustom);
	json_decref(scustom);
	json_decref(changes);
	return rc;
}

/* Customer id's e-mails in their xn-- spelling respelt and audited (customer_email_backfill). */
static int customer_email_respell(struct store_conn *c, const struct actor *who, int64_t id, int *changed,
                                  struct kp_err *err)
{
	struct arena a = ARENA_INIT;
	struct customer cu;
	json_t *before = NULL, *after = NULL, *changes = NULL;
	*changed = 0;
	int rc = store_customer_get(c, id, &cu, &a, err);
	if (rc == KP_ENOTFOUND) {
		kp_err_init(err);
		rc = 0;
		goto out;
	}
	if (rc)
		goto out;
	struct contact_point *cps = arena_alloc(&a, (cu.ncontacts ? cu.ncontacts : 1) * sizeof *cps);
	size_t n = 0;
	int respelt = 0;
	for (size_t i = 0; i < cu.ncontacts; i++) {
		struct contact_point cp = cu.contacts[i];
		const char *norm;
		struct kp_err verr = KP_ERR_INIT;
		if (!strcmp(cp.kind, "email") && strstr(cp.value, "xn--") &&
		    validate_email(&a, "email", cp.value, &norm, &verr) == 0 && strcmp(norm, cp.value) != 0) {
			cp.value = norm;
			respelt = 1;
		}
		/* the customer has the address in letters too: kept once (primary if either was) */
		size_t k = 0;
		while (k < n && !(!strcmp(cps[k].kind, cp.kind) && !strcmp(cps[k].value, cp.value)))
			k++;
		if (k < n) {
			cps[k].primary |= cp.primary;
			continue;
		}
		cps[n++] = cp;
	}
	if (!respelt)
		goto out;
	before = audit_view(&cu);
	int64_t version = cu.version;
	cu.contacts = cps;
	cu.ncontacts = n;
	after = audit_view(&cu);
	if (!before || !after) {
		rc = kp_err_set(err, KP_ENOMEM, "could not compare the record with its stored version");
		goto out;
	}
	changes = validate_diff(before, after);
	if ((rc = store_customer_update(c, &cu, version, err)) == 0 &&
	    (rc = domain_audit(c, who, "update", "customer", id, changes, err)) == 0)
		*changed = 1;
out:
	json_decref(before);
	json_decref(after);
	json_decref(changes);
	arena_release(&a);
	return rc;
}

/* One page of customer_email_backfill(): the next ids of entity, each respelt. */
struct email_page {
	const char *entity;
	int64_t after;
	long long n;
	int done;
};

#define EMAIL_PAGE 100

static int email_page_job(struct store_conn *c, void *arg, struct kp_err *err)
{
	struct email_page *pg = arg;
	struct actor sys = {0, ROLE_ADMIN, "system", NULL};
	int64_t ids[EMAIL_PAGE];
	size_t n = 0;
	long long changed_here = 0;
	int rc = store_email_idn_ids(c, pg->entity, pg->after, EMAIL_PAGE, ids, &n, err);
	for (size_t i = 0; i < n && rc == 0; i++) {
		int changed = 0;
		rc = !strcmp(pg->entity, "customer") ? customer_email_respell(c, &sys, ids[i], &changed, err)
		                                     : org_email_respell(c, &sys, ids[i], &changed, err);
		changed_here += changed;
	}
	if (rc)
		return rc;
	/* counted once the page's job has succeeded: a failed one is rolled back whole */
	pg->n += changed_here;
	if (n)
		pg->after = ids[n - 1];
	pg->done = n < EMAIL_PAGE;
	return 0;
}

int customer_email_backfill(struct store *s, long long *customers, long long *orgs, struct kp_err *err)
{
	struct email_page pages[2] = {{.entity = "customer"}, {.entity = "organization"}};
	int rc = 0;
	for (int k = 0; k < 2 && rc == 0; k++)
		while (rc == 0 && !pages[k].done)
			rc = store_exec(s, email_page_job, &pages[k], err);
	if (customers)
		*customers = pages[0].n;
	if (orgs)
		*orgs = pages[1].n;
	return rc;
}

/* The end of tombstone id's chain of merges (at most a few steps: merges re-point earlier
 * tombstones, so a chain is what an older version left): *live the customer it reaches that is
 * there and not merged, 0 when it reaches none (a deleted survivor), -1 when it is a cycle or
 * longer than 64 steps (left as it is: nothing says its record may go). */
static int tombstone_survivor(struct store_conn *c, int64_t id, int64_t *live, struct arena *a, struct kp_err *err)
{
	struct customer t;
	int64_t at = id;
	*live = -1;
	for (int step = 0; step < 64; step++) {
		int rc = store_customer_get_brief(c, at, &t, a, err);
		if (rc == KP_ENOTFOUND) {
			kp_err_init(err);
			*live = 0;
			return 0;
		}
		if (rc)
			return rc;
		if (!t.merged_into) {
			*live = at == id ? 0 : at; /* (id itself: not a tombstone, reaches none) */
			return 0;
		}
		at = t.merged_into;
		if (at == id) { /* a cycle through id reaches no customer */
			*live = 0;
			return 0;
		}
	}
	return 0;
}

/* A row another process repaired, deleted or changed since this page read it (two servers
 * starting at once on PostgreSQL, migrate beside serve): its work is done or no longer ours. */
static int tombstone_gone(int rc)
{
	return rc == KP_ENOTFOUND || rc == KP_EPRECONDITION || rc == KP_ECONFLICT;
}

/* One page of customer_tombstone_repair(). */
struct tombstone_page {
	int64_t after;
	long long deleted, repointed;
	int done;
};

static int tombstone_page_job(struct store_conn *c, void *arg, struct kp_err *err)
{
	struct tombstone_page *pg = arg;
	struct actor sys = {0, ROLE_ADMIN, "system", NULL};
	struct arena a = ARENA_INIT;
	int64_t ids[TOMBSTONE_PAGE];
	size_t n = 0;
	long long deleted = 0, repointed = 0;
	int rc = store_customer_tombstones(c, 0, pg->after, TOMBSTONE_PAGE, ids, &n, err);
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct customer t;
		int64_t live;
		arena_reset(&a);
		if ((rc = store_customer_get(c, ids[i], &t, &a, err))) {
			if (tombstone_gone(rc)) {
				kp_err_init(err);
				rc = 0;
			}
			continue;
		}
		if (!t.merged_into)
			continue; /* (not a tombstone: the store's query says so, this is a guard) */
		if ((rc = tombstone_survivor(c, ids[i], &live, &a, err)))
			break;
		if (live < 0) {
			log_warn("customers: merged record %" PRId64
			         " leads through more than 64 merges; left as it is",
			         ids[i]);
			continue;
		}
		if (!live) {
			/* its survivor was deleted before a delete took the tombstones with it */
			rc = tombstone_delete(c, &sys, ids[i], t.merged_into, err);
			deleted += rc == 0;
			if (rc && tombstone_gone(rc)) {
				kp_err_init(err);
				rc = 0;
			}
			continue;
		}
		/* a chain: pointed at its survivor in one step, as a merge does */
		json_t *changes = json_pack("{s[II]}", "merged_into", (json_int_t)t.merged_into, (json_int_t)live);
		int64_t version = t.version;
		t.merged_into = live;
		if (!changes)
			rc = kp_err_set(err, KP_ENOMEM, "out of memory");
		else if ((rc = store_customer_update(c, &t, version, err)) == 0)
			rc = domain_audit(c, &sys, "update", "customer", ids[i], changes, err);
		json_decref(changes);
		repointed += rc == 0;
		if (rc && tombstone_gone(rc)) {
			kp_err_init(err);
			rc = 0;
		}
	}
	arena_release(&a);
	if (rc)
		return rc;
	/* counted once the page's job has succeeded: a failed one is rolled back whole */
	pg->deleted += deleted;
	pg->repointed += repointed;
	if (n)
		pg->after = ids[n - 1];
	pg->done = n < TOMBSTONE_PAGE;
	return 0;
}

int customer_tombstone_repair(struct store *s, long long *deleted, long long *repointed, struct kp_err *err)
{
	struct tombstone_page pg = {0};
	int rc = 0;
	while (rc == 0 && !pg.done)
		rc = store_exec(s, tombstone_page_job, &pg, err);
	if (deleted)
		*deleted = pg.deleted;
	if (repointed)
		*repointed = pg.repointed;
	return rc;
}
