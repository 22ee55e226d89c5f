/*
 * Thin wrappers from the domain-level store_<op>() calls to the backend's ops table: the
 * one place to assert and trace (SQLite's os.c does the same for its VFS), and to check the
 * arguments both backends build SQL from (custom filter keys, search forms) once.
 */
#include <assert.h>
#include <math.h>
#include <string.h>

#include "store/store_int.h"

int store_read_begin(struct store_conn *c, struct kp_err *err)
{
	assert(c);
	return c->ops->read_begin ? c->ops->read_begin(c, err) : 0;
}

void store_read_end(struct store_conn *c)
{
	assert(c);
	if (c->ops->read_end)
		c->ops->read_end(c);
}

int store_staff_insert(struct store_conn *c, struct staff *st, struct kp_err *err)
{
	assert(c && c->ops->staff_insert);
	return c->ops->staff_insert(c, st, err);
}

int store_staff_get(struct store_conn *c, int64_t id, struct staff *out, struct arena *a, struct kp_err *err)
{
	assert(c && c->ops->staff_get);
	return c->ops->staff_get(c, id, out, a, err);
}

int store_staff_get_by_email(struct store_conn *c, const char *email, struct staff *out, struct arena *a, struct kp_err *err)
{
	assert(c && c->ops->staff_get_by_email);
	return c->ops->staff_get_by_email(c, email, out, a, err);
}

int store_staff_update(struct store_conn *c, struct staff *st, int64_t expected_version, struct kp_err *err)
{
	assert(c && c->ops->staff_update);
	return c->ops->staff_update(c, st, expected_version, err);
}

int store_staff_list(struct store_conn *c, const struct staff_filter *f, const struct store_page *pg,
                     struct staff_list *out, struct arena *a, struct kp_err *err)
{
	assert(c && c->ops->staff_list);
	return c->ops->staff_list(c, f, pg, out, a, err);
}

int store_staff_count(struct store_conn *c, int64_t *n, struct kp_err *err)
{
	assert(c && c->ops->staff_count);
	return c->ops->staff_count(c, n, err);
}

int store_staff_active_admins(struct store_conn *c, int64_t except_id, int64_t *n, struct kp_err *err)
{
	assert(c && c->ops->staff_active_admins && n);
	return c->ops->staff_active_admins(c, except_id, n, err);
}

int store_token_insert(struct store_conn *c, struct api_token *t, struct kp_err *err)
{
	assert(c && c->ops->token_insert);
	return c->ops->token_insert(c, t, err);
}

int store_token_get_by_hash(struct store_conn *c, const char *hash, struct api_token *out, struct arena *a, struct kp_err *err)
{
	assert(c && c->ops->token_get_by_hash);
	return c->ops->token_get_by_hash(c, hash, out, a, err);
}

int store_token_list(struct store_conn *c, int64_t staff_id, struct token_list *out, struct arena *a, struct kp_err *err)
{
	assert(c && c->ops->token_list);
	return c->ops->token_list(c, staff_id, out, a, err);
}

int store_token_revoke(struct store_conn *c, int64_t id, int64_t staff_id, struct kp_err *err)
{
	assert(c && c->ops->token_revoke);
	return c->ops->token_revoke(c, id, staff_id, err);
}

int store_token_touch(struct store_conn *c, int64_t id, int64_t at, struct kp_err *err)
{
	assert(c && c->ops->token_touch);
	return c->ops->token_touch(c, id, at, err);
}

int store_session_insert(struct store_conn *c, const struct session *se, struct kp_err *err)
{
	assert(c && c->ops->session_insert);
	return c->ops->session_insert(c, se, err);
}

int store_session_get(struct store_conn *c, const char *id_hash, struct session *out, struct arena *a, struct kp_err *err)
{
	assert(c && c->ops->session_get);
	return c->ops->session_get(c, id_hash, out, a, err);
}

int store_session_delete(struct store_conn *c, const char *id_hash, struct kp_err *err)
{
	assert(c && c->ops->session_delete);
	return c->ops->session_delete(c, id_hash, err);
}

int store_session_delete_for_staff(struct store_conn *c, int64_t staff_id, const char *keep_id_hash, struct kp_err *err)
{
	assert(c && c->ops->session_delete_for_staff);
	return c->ops->session_delete_for_staff(c, staff_id, keep_id_hash, err);
}

int store_org_insert(struct store_conn *c, struct organization *o, struct kp_err *err)
{
	assert(c && c->ops->org_insert);
	return c->ops->org_insert(c, o, err);
}

int store_org_get(struct store_conn *c, int64_t id, struct organization *out, struct arena *a, struct kp_err *err)
{
	assert(c && c->ops->org_get);
	return c->ops->org_get(c, id, out, a, err);
}

int store_org_update(struct store_conn *c, struct organization *o, int64_t expected_version, struct kp_err *err)
{
	assert(c && c->ops->org_update);
	return c->ops->org_update(c, o, expected_version, err);
}

int store_org_delete(struct store_conn *c, int64_t id, int64_t expected_version, struct kp_err *err)
{
	assert(c && c->ops->org_delete);
	return c->ops->org_delete(c, id, expected_version, err);
}

/* Custom matches as store.h describes them: both backends build SQL paths from the keys. */
static int custom_match_check(const struct custom_match *m, size_t n, struct kp_err *err)
{
	if (n > STORE_CUSTOM_MATCH_MAX || (n && !m))
		return kp_err_set(err, KP_EINVAL, "at most %d custom field filters", STORE_CUSTOM_MATCH_MAX);
	for (size_t i = 0; i < n; i++) {
		const char *k = m[i].key;
		size_t len = k ? strlen(k) : 0;
		int ok = len >= 1 && len <= 63 && k[0] >= 'a' && k[0] <= 'z';
		for (size_t j = 1; ok && j < len; j++)
			ok = (k[j] >= 'a' && k[j] <= 'z') || (k[j] >= '0' && k[j] <= '9') || k[j] == '_';
		if (!ok)
			return kp_err_set(err, KP_EINVAL, "custom field filter: bad key");
		if ((m[i].type == CUSTOM_MATCH_STRING && !m[i].str) ||
		    (m[i].type == CUSTOM_MATCH_NUMBER && !isfinite(m[i].num)) ||
		    (m[i].type != CUSTOM_MATCH_STRING && m[i].type != CUSTOM_MATCH_NUMBER &&
		     m[i].type != CUSTOM_MATCH_BOOL && m[i].type != CUSTOM_MATCH_PRESENT))
			return kp_err_set(err, KP_EINVAL, "custom field filter: bad value");
	}
	return 0;
}

int store_org_list(struct store_conn *c, const struct org_filter *f, const struct store_page *pg, struct org_list *out, struct arena *a, struct kp_err *err)
{
	assert(c && c->ops->org_list);
	int rc = f ? custom_match_check(f->custom, f->ncustom, err) : 0;
	if (rc)
		return rc;
	return c->ops->org_list(c, f, pg, out, a, err);
}

int store_customer_insert(struct store_conn *c, struct customer *cu, struct kp_err *err)
{
	assert(c && c->ops->customer_insert);
	return c->ops->customer_insert(c, cu, err);
}

int store_customer_get(struct store_conn *c, int64_t id, struct customer *out, struct arena *a, struct kp_err *err)
{
	assert(c && c->ops->customer_get);
	return c->ops->customer_get(c, id, out, a, err);
}

int store_customer_get_brief(struct store_conn *c, int64_t id, struct customer *out, struct arena *a,
			     struct kp_err *err)
{
	assert(c && c->ops->customer_get);
	if (!c->ops->customer_get_brief)
		return c->ops->customer_get(c, id, out, a, err);
	return c->ops->customer_get_brief(c, id, out, a, err);
}

int store_customer_update(struct store_conn *c, struct customer *cu, int64_t expected_version, struct kp_err *err)
{
	assert(c && c->ops->customer_update);
	return c->ops->customer_update(c, cu, expected_version, err);
}

int store_customer_delete(struct store_conn *c, int64_t id, int64_t expected_version, struct kp_err *err)
{
	assert(c && c->ops->customer_delete);
	return c->ops->customer_delete(c, id, expected_version, err);
}

int store_customer_list(struct store_conn *c, const struct customer_filter *f, const struct store_page *pg, struct customer_list *out, struct arena *a, struct kp_err *err)
{
	assert(c && c->ops->customer_list);
	int rc = f ? custom_match_check(f->custom, f->ncustom, err) : 0;
	if (rc)
		return rc;
	return c->ops->customer_list(c, f, pg, out, a, err);
}

int store_email_idn_ids(struct store_conn *c, const char *entity, int64_t after_id, size_t max, int64_t *ids, size_t *n,
                        struct kp_err *err)
{
	assert(c && c->ops->email_idn_ids && entity && ids && n);
	return c->ops->email_idn_ids(c, entity, after_id, max, ids, n, err);
}

int store_customer_count(struct store_conn *c, int64_t *n, struct kp_err *err)
{
	assert(c && c->ops->customer_count);
	return c->ops->customer_count(c, n, err);
}

int store_customer_tombstones(struct store_conn *c, int64_t into, int64_t after_id, size_t max, int64_t *ids, size_t *n,
                              struct kp_err *err)
{
	assert(c && c->ops->customer_tombstones && into >= 0 && ids && n);
	return c->ops->customer_tombstones(c, into, after_id, max, ids, n, err);
}

int store_customer_merge(struct store_conn *c, int64_t from, int64_t into, struct kp_err *err)
{
	assert(c && c->ops->customer_merge);
	return c->ops->customer_merge(c, from, into, err);
}

int store_field_insert(struct store_conn *c, struct field_def *fd, struct kp_err *err)
{
	assert(c && c->ops->field_insert);
	return c->ops->field_insert(c, fd, err);
}

int store_field_get(struct store_conn *c, int64_t id, struct field_def *out, struct arena *a, struct kp_err *err)
{
	assert(c && c->ops->field_get);
	return c->ops->field_get(c, id, out, a, err);
}

int store_field_update(struct store_conn *c, struct field_def *fd, int64_t expected_version, struct kp_err *err)
{
	assert(c && c->ops->field_update);
	return c->ops->field_update(c, fd, expected_version, err);
}

int store_field_delete(struct store_conn *c, int64_t id, int64_t expected_version, struct kp_err *err)
{
	assert(c && c->ops->field_delete);
	return c->ops->field_delete(c, id, expected_version, err);
}

int store_field_list(struct store_conn *c, const char *entity, struct field_def_list *out, struct arena *a, struct kp_err *err)
{
	assert(c && c->ops->field_list);
	return c->ops->field_list(c, entity, out, a, err);
}

int store_note_insert(struct store_conn *c, struct note *n, struct kp_err *err)
{
	assert(c && c->ops->note_insert);
	return c->ops->note_insert(c, n, err);
}

int store_note_get(struct store_conn *c, int64_t id, struct note *out, struct arena *a, struct kp_err *err)
{
	assert(c && c->ops->note_get);
	return c->ops->note_get(c, id, out, a, err);
}

int store_note_update(struct store_conn *c, struct note *n, int64_t expected_version, struct kp_err *err)
{
	assert(c && c->ops->note_update);
	return c->ops->note_update(c, n, expected_version, err);
}

int store_note_delete(struct store_conn *c, int64_t id, int64_t expected_version, struct kp_err *err)
{
	assert(c && c->ops->note_delete);
	return c->ops->note_delete(c, id, expected_version, err);
}

int store_note_list(struct store_conn *c, int64_t customer_id, int64_t org_id, const struct store_page *pg, struct note_list *out, struct arena *a, struct kp_err *err)
{
	assert(c && c->ops->note_list);
	return c->ops->note_list(c, customer_id, org_id, pg, out, a, err);
}

int store_interaction_insert(struct store_conn *c, struct interaction *it, struct kp_err *err)
{
	assert(c && c->ops->interaction_insert);
	return c->ops->interaction_insert(c, it, err);
}

int store_interaction_get(struct store_conn *c, int64_t id, struct interaction *out, struct arena *a, struct kp_err *err)
{
	assert(c && c->ops->interaction_get);
	return c->ops->interaction_get(c, id, out, a, err);
}

int store_interaction_update(struct store_conn *c, struct interaction *it, int64_t expected_version, struct kp_err *err)
{
	assert(c && c->ops->interaction_update);
	return c->ops->interaction_update(c, it, expected_version, err);
}

int store_interaction_delete(struct store_conn *c, int64_t id, int64_t expected_version, struct kp_err *err)
{
	assert(c && c->ops->interaction_delete);
	return c->ops->interaction_delete(c, id, expected_version, err);
}

int store_interaction_search_set(struct store_conn *c, const struct interaction *it, int64_t stamp, struct kp_err *err)
{
	assert(c && c->ops->interaction_search_set && stamp >= 0);
	return c->ops->interaction_search_set(c, it, stamp, err);
}

int store_note_search_set(struct store_conn *c, const struct note *n, int64_t stamp, struct kp_err *err)
{
	assert(c && c->ops->note_search_set && stamp >= 0);
	return c->ops->note_search_set(c, n, stamp, err);
}

int store_unanalysed_ids(struct store_conn *c, const char *entity, int64_t after_id, size_t max, int64_t *ids,
                         size_t *n, struct kp_err *err)
{
	assert(c && c->ops->unanalysed_ids && entity && ids && n);
	return c->ops->unanalysed_ids(c, entity, after_id, max, ids, n, err);
}

int store_interaction_list(struct store_conn *c, const struct interaction_filter *f, const struct store_page *pg, struct interaction_list *out, struct arena *a, struct kp_err *err)
{
	assert(c && c->ops->interaction_list);
	return c->ops->interaction_list(c, f, pg, out, a, err);
}

/* Forms as store.h describes them, within bounds both backends can take: at most 64 words of
 * at most 16 forms, each form 1 to 64 bytes with no white space, quote or control character. */
static int search_forms_check(const struct search_forms *f, struct kp_err *err)
{
	if (!f)
		return 0;
	if (f->n > 64 || (f->n && !f->words))
		return kp_err_set(err, KP_EINVAL, "search forms: too many words");
	for (size_t i = 0; i < f->n; i++) {
		const struct search_word_forms *w = &f->words[i];
		if (!w->word || w->n > 16 || (w->n && !w->form))
			return kp_err_set(err, KP_EINVAL, "search forms: bad word");
		for (size_t k = 0; k < w->n; k++) {
			size_t len = w->form[k] ? strlen(w->form[k]) : 0;
			if (len == 0 || len > 64 || strpbrk(w->form[k], " \t\r\n\"'"))
				return kp_err_set(err, KP_EINVAL, "search forms: bad form");
			for (size_t j = 0; j < len; j++)
				if ((unsigned char)w->form[k][j] < 0x20 || w->form[k][j] == 0x7f)
					return kp_err_set(err, KP_EINVAL, "search forms: bad form");
		}
	}
	return 0;
}

int store_custom_set(struct store_conn *c, const char *entity, int64_t id, const char *custom_json,
                     int64_t expected_version, int64_t *version, int64_t *updated_at, struct kp_err *err)
{
	assert(c && c->ops->custom_set);
	if (!entity || (strcmp(entity, "customer") != 0 && strcmp(entity, "organization") != 0) || !custom_json)
		return kp_err_set(err, KP_EINVAL, "custom values of an unknown entity");
	return c->ops->custom_set(c, entity, id, custom_json, expected_version, version, updated_at, err);
}

int store_interaction_count(struct store_conn *c, const struct interaction_filter *f, int64_t max, int64_t *n,
                            struct kp_err *err)
{
	assert(c && c->ops->interaction_count);
	*n = 0;
	return c->ops->interaction_count(c, f, max, n, err);
}

int store_search(struct store_conn *c, const char *q, const struct search_forms *forms, int limit, int offset,
                 struct search_result *out, struct arena *a, struct kp_err *err)
{
	assert(c && c->ops->search);
	if (offset < 0 || offset > STORE_SEARCH_OFFSET_MAX)
		return kp_err_set(err, KP_EINVAL, "search offset out of range (0 to %d)", STORE_SEARCH_OFFSET_MAX);
	int rc = search_forms_check(forms, err);
	if (rc)
		return rc;
	return c->ops->search(c, q, forms, limit, offset, out, a, err);
}

int store_search_text_matches(struct store_conn *c, const char *q, const struct search_forms *forms, const char *text,
                              int *matches, struct kp_err *err)
{
	assert(c && c->ops->search_text_matches);
	*matches = 0;
	int rc = search_forms_check(forms, err);
	if (rc)
		return rc;
	return c->ops->search_text_matches(c, q, forms, text, matches, err);
}

int store_audit_insert(struct store_conn *c, struct audit_entry *e, struct kp_err *err)
{
	assert(c && c->ops->audit_insert);
	return c->ops->audit_insert(c, e, err);
}

int store_audit_insert_set(struct store_conn *c, struct audit_entry *e, size_t n, struct kp_err *err)
{
	assert(c && c->ops->audit_insert_set && (e || !n));
	int rc = 0;
	for (size_t k = 0; k < n && rc == 0; k += STORE_AUDIT_SET_MAX)
		rc = c->ops->audit_insert_set(c, e + k, n - k < STORE_AUDIT_SET_MAX ? n - k : STORE_AUDIT_SET_MAX, err);
	return rc;
}

int store_audit_list(struct store_conn *c, const struct audit_filter *f, struct audit_list *out, struct arena *a, struct kp_err *err)
{
	assert(c && c->ops->audit_list);
	return c->ops->audit_list(c, f, out, a, err);
}

int store_audit_unredacted(struct store_conn *c, const char *entity, const int64_t *ids, size_t nids, int64_t after_id,
                           int limit, struct audit_list *out, struct arena *a, struct kp_err *err)
{
	assert(c && c->ops->audit_unredacted && entity && (ids || !nids) && out);
	memset(out, 0, sizeof *out);
	if (!nids)
		return 0;
	if (limit < 1 || limit > STORE_AUDIT_PAGE_MAX)
		limit = STORE_AUDIT_PAGE_MAX;
	return c->ops->audit_unredacted(c, entity, ids, nids, after_id, limit, out, a, err);
}

int store_audit_redact_set(struct store_conn *c, const struct audit_redaction *r, size_t n, int64_t at, int64_t *done,
                           struct kp_err *err)
{
	assert(c && c->ops->audit_redact_set && (r || !n) && at > 0);
	int64_t dummy;
	if (!done)
		done = &dummy;
	*done = 0;
	for (size_t i = 0; i < n; i++)
		assert(r[i].changes_json);
	if (!n)
		return 0;
	return c->ops->audit_redact_set(c, r, n, at, done, err);
}

int store_audit_customer_children(struct store_conn *c, const char *entity, int64_t customer_id, int64_t **ids,
                                  size_t *n, struct arena *a, struct kp_err *err)
{
	assert(c && c->ops->audit_customer_children && entity && ids && n);
	return c->ops->audit_customer_children(c, entity, customer_id, ids, n, a, err);
}

int store_erase_links(struct store_conn *c, const struct erase_ids *ids, struct erase_links *out, struct arena *a,
                      struct kp_err *err)
{
	assert(c && c->ops->erase_links && ids && out);
	return c->ops->erase_links(c, ids, out, a, err);
}

int store_idem_get(struct store_conn *c, int64_t staff_id, const char *key, struct idem_entry *out, struct arena *a, struct kp_err *err)
{
	assert(c && c->ops->idem_get);
	return c->ops->idem_get(c, staff_id, key, out, a, err);
}

int store_idem_put(struct store_conn *c, const struct idem_entry *e, struct kp_err *err)
{
	assert(c && c->ops->idem_put);
	return c->ops->idem_put(c, e, err);
}

int store_idem_forget(struct store_conn *c, const char *prefix, const int64_t *ids, size_t nids, int64_t *n,
                      struct kp_err *err)
{
	assert(c && c->ops->idem_forget && prefix && (ids || !nids));
	int64_t dummy;
	if (!n)
		n = &dummy;
	*n = 0;
	if (!nids)
		return 0;
	return c->ops->idem_forget(c, prefix, ids, nids, n, err);
}

int store_idem_purge(struct store_conn *c, int64_t older_than, struct kp_err *err)
{
	assert(c && c->ops->idem_purge);
	return c->ops->idem_purge(c, older_than, err);
}

int store_notification_insert(struct store_conn *c, struct wellbeing_notification *n, struct kp_err *err)
{
	assert(c && c->ops->notification_insert);
	return c->ops->notification_insert(c, n, err);
}

int store_notification_list(struct store_conn *c, const struct notification_filter *f, struct notification_list *out, struct arena *a, struct kp_err *err)
{
	assert(c && c->ops->notification_list);
	return c->ops->notification_list(c, f, out, a, err);
}

int store_notification_ack(struct store_conn *c, int64_t id, int64_t staff_id, int64_t at, int *acked_now,
                           struct wellbeing_notification *out, struct arena *a, struct kp_err *err)
{
	int ignored;
	assert(c && c->ops->notification_ack);
	return c->ops->notification_ack(c, id, staff_id, at, acked_now ? acked_now : &ignored, out, a, err);
}

int store_notification_withdraw(struct store_conn *c, int64_t interaction_id, int64_t *n, struct kp_err *err)
{
	int64_t ignored;
	assert(c && c->ops->notification_withdraw);
	return c->ops->notification_withdraw(c, interaction_id, n ? n : &ignored, err);
}

int store_notification_count(struct store_conn *c, int64_t customer_id, int64_t since, int64_t *n, struct kp_err *err)
{
	assert(c && c->ops->notification_count);
	return c->ops->notification_count(c, customer_id, since, n, err);
}

int store_exposure(struct store_conn *c, const struct exposure_filter *f, struct exposure_list *out, struct arena *a, struct kp_err *err)
{
	assert(c && c->ops->exposure);
	return c->ops->exposure(c, f, out, a, err);
}

int store_incident_customers(struct store_conn *c, int64_t since, int64_t min, int limit, int64_t after_k,
			     int64_t after_id, struct incident_customer_list *out, struct arena *a, struct kp_err *err)
{
	assert(c && c->ops->incident_customers);
	return c->ops->incident_customers(c, since ? since : INT64_MIN, min, limit, after_k, after_id, out, a, err);
}

int store_correction_insert(struct store_conn *c, struct text_correction *tc, struct kp_err *err)
{
	assert(c && c->ops->correction_insert);
	return c->ops->correction_insert(c, tc, err);
}

int store_correction_list(struct store_conn *c, int64_t after_id, int limit, struct correction_list *out, struct arena *a, struct kp_err *err)
{
	assert(c && c->ops->correction_list);
	return c->ops->correction_list(c, after_id, limit, out, a, err);
}

int store_policy_get(struct store_conn *c, struct wellbeing_policy *out, struct arena *a, struct kp_err *err)
{
	assert(c && c->ops->policy_get);
	return c->ops->policy_get(c, out, a, err);
}

int store_policy_put(struct store_conn *c, const struct wellbeing_policy *p, struct kp_err *err)
{
	assert(c && c->ops->policy_put);
	return c->ops->policy_put(c, p, err);
}
