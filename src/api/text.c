/*
 * text: /api/v1/text - the text analysis for staff (issue 3): analyse a text, check the tone
 * of a reply before sending it, and correct analysis results (stored with who made them,
 * audited, and used to retrain the learned layer). Rules in domain/protect.c; the analysis
 * itself in text/.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "api/cursor.h"
#include "api/handlers.h"
#include "api/render.h"
#include "domain/protect.h"
#include "domain/validate.h"
#include "util/log.h"

#define TEXT_JSON_MAX (1024 * 1024)
#define CORR_SORT "id"

/* The "text" and "lang" members of a request body. 0, or a field error in err. */
static int text_fields(json_t *body, const char **text, enum text_lang *lang, struct kp_err *err)
{
	const char *s;
	int rc = 0;
	*lang = TEXT_LANG_AUTO;
	if (validate_get_str(body, "text", text, NULL, err))
		rc = KP_EVALIDATION;
	else if (!*text)
		rc = kp_err_field(err, "text", "is required");
	else if (strlen(*text) > TEXT_MAX_INPUT)
		rc = kp_err_field(err, "text", "must be at most %d bytes", TEXT_MAX_INPUT);
	if (validate_get_str(body, "lang", &s, NULL, err)) {
		rc = KP_EVALIDATION;
	} else if (s) {
		int l = text_lang_parse(s);
		if (l != TEXT_LANG_AUTO && l != TEXT_LANG_FI && l != TEXT_LANG_EN)
			rc = kp_err_field(err, "lang", "must be auto, fi or en");
		else
			*lang = (enum text_lang)l;
	}
	return rc;
}

/* Answer 200 with the JSON text in b (it must parse). */
static int answer_buf(struct api_req *r, struct buf *b)
{
	json_t *j = json_loadb(b->ptr, b->len, 0, NULL);
	if (!j)
		return api_fail(r, KP_EINTERNAL, "the analysis could not be rendered");
	return api_render_record(r, 200, j, 0, NULL);
}

int api_text_analyze(struct api_req *r)
{
	static const char *const keys[] = {"text", "lang", NULL};
	struct kp_err err = KP_ERR_INIT;
	struct protect_result res;
	struct buf js = BUF_INIT(TEXT_JSON_MAX);
	const char *text;
	enum text_lang lang;
	int ret;
	json_t *body = api_body_object(r);
	if (!body)
		return API_DONE;
	if (validate_known_keys(body, keys, &err) | text_fields(body, &text, &lang, &err)) {
		json_decref(body);
		return api_fail_err(r, &err);
	}
	protect_model_ensure(r->srv->store);
	if (protect_analyze(text, strlen(text), lang, &res, &err)) {
		ret = api_fail_err(r, &err);
	} else if (text_result_to_json(&res.r, &js) < 0) {
		ret = api_fail(r, KP_ETOOLARGE, "the analysis is too large");
	} else {
		ret = answer_buf(r, &js);
	}
	protect_result_release(&res);
	buf_release(&js);
	json_decref(body);
	return ret;
}

int api_text_tone_check(struct api_req *r)
{
	static const char *const keys[] = {"text", "lang", "replying_to_complaint", "public", NULL};
	struct kp_err err = KP_ERR_INIT;
	struct text_tone_report rep;
	struct buf js = BUF_INIT(TEXT_JSON_MAX);
	const char *text;
	enum text_lang lang;
	unsigned flags = 0;
	int ret, rc;
	json_t *body = api_body_object(r), *v;
	if (!body)
		return API_DONE;
	rc = validate_known_keys(body, keys, &err) | text_fields(body, &text, &lang, &err);
	if (!rc && validate_blank(text)) /* an empty reply has nothing to check (and no thanks) */
		rc = kp_err_field(&err, "text", "must not be blank: give the reply to check");
	static const char *const bools[] = {"replying_to_complaint", "public"};
	for (int i = 0; i < 2; i++)
		if ((v = json_object_get(body, bools[i])) && !json_is_boolean(v) && !json_is_null(v))
			rc = kp_err_field(&err, bools[i], "must be true or false");
	if (rc) {
		json_decref(body);
		return api_fail_err(r, &err);
	}
	if (json_is_true(json_object_get(body, "replying_to_complaint")))
		flags |= TEXT_TONE_REPLY_TO_COMPLAINT;
	int is_public = json_is_true(json_object_get(body, "public"));
	struct text_analyzer *ta = protect_analyzer(&err);
	if (!ta) {
		ret = api_fail_err(r, &err);
	} else if ((rc = text_tone_check(ta, text, strlen(text), lang, flags, &rep))) {
		if (rc == TEXT_EUTF8) {
			kp_err_field(&err, "text", "is not valid UTF-8");
			ret = api_fail_err(r, &err);
		} else {
			ret = api_fail(r, KP_EINTERNAL, "tone check: %s", text_strerror(rc));
		}
	} else if (text_tone_report_to_json(&rep, &js) < 0) {
		ret = api_fail(r, KP_ETOOLARGE, "the report is too large");
	} else {
		json_t *j = json_loadb(js.ptr, js.len, 0, NULL);
		if (!j) {
			ret = api_fail(r, KP_EINTERNAL, "the report could not be rendered");
		} else {
			/* A public reply with any issue should not go out as it is. */
			json_object_set_new(j, "public", json_boolean(is_public));
			json_object_set_new(j, "ok", json_boolean(rep.nissues == 0));
			ret = api_render_record(r, 200, j, 0, NULL);
		}
	}
	buf_release(&js);
	json_decref(body);
	return ret;
}

/* ---- corrections ------------------------------------------------------------------------------ */

/* The text of a correction is shown only when it was typed in (a free text; the list masks
 * it, see corrections_page): an interaction's text is reached through the interaction,
 * masked. */
static json_t *correction_json(const struct text_correction *tc)
{
	return json_pack("{sIsososssssoso}", "id", (json_int_t)tc->id, "interaction_id",
	                 validate_id_json(tc->interaction_id), "text",
	                 tc->interaction_id ? json_null() : validate_str_json(tc->text), "kind", tc->kind, "label",
	                 tc->label, "staff_id", validate_id_json(tc->staff_id), "created_at",
	                 validate_time_json(tc->created_at));
}

/* Parse a correction body into tc (strings borrowed from body). */
static int correction_apply(struct text_correction *tc, json_t *body, struct kp_err *err)
{
	static const char *const keys[] = {"interaction_id", "text", "kind", "label", NULL};
	enum text_task task;
	int value, rc = validate_known_keys(body, keys, err);
	json_t *v = json_object_get(body, "interaction_id");
	int text_bad = 0, id_given = v && !json_is_null(v);
	if (validate_get_str(body, "text", &tc->text, NULL, err))
		rc = text_bad = KP_EVALIDATION;
	if (id_given && validate_id("interaction_id", v, &tc->interaction_id, err))
		rc = KP_EVALIDATION;
	/* one message per mistake: a text of the wrong type or a bad interaction_id is not also
	 * "missing"; an empty or blank text is blank */
	if (!text_bad && !id_given && !tc->text)
		rc = kp_err_field(err, "text", "is required when interaction_id is not given");
	else if (!text_bad && tc->text && validate_blank(tc->text))
		rc = text_bad = kp_err_field(err, "text", "must not be blank");
	if (tc->interaction_id && tc->text)
		rc = kp_err_field(err, "text", "give either interaction_id or text, not both");
	if (!text_bad && tc->text && strlen(tc->text) > TEXT_MAX_INPUT)
		rc = kp_err_field(err, "text", "must be at most %d bytes", TEXT_MAX_INPUT);
	else if (!text_bad && tc->text && validate_text("text", tc->text, TEXT_MAX_INPUT, 0, 1, err))
		rc = KP_EVALIDATION;
	if (validate_get_str(body, "kind", &tc->kind, NULL, err) || validate_get_str(body, "label", &tc->label, NULL, err))
		rc = KP_EVALIDATION;
	else if (!tc->kind)
		rc = kp_err_field(err, "kind", "is required");
	else if (!tc->label)
		rc = kp_err_field(err, "label", "is required");
	else if (protect_correction_parse(tc->kind, tc->label, &task, &value, err))
		rc = KP_EVALIDATION;
	return rc;
}

static int run_correction(struct store_conn *c, struct api_req *r, struct kp_err *err)
{
	struct api_write_ctx *w = r->write_ctx;
	struct actor who = api_actor(r);
	struct text_correction tc = {0};
	struct interaction target;
	int has_target = 0;
	json_t *body = api_write_ctx_body(w), *view = NULL, *changes = NULL;
	int rc = correction_apply(&tc, body, err);
	if (rc)
		goto out;
	if (tc.interaction_id) {
		struct interaction it;
		rc = store_interaction_get(c, tc.interaction_id, &it, r->arena, err);
		if (rc == KP_ENOTFOUND) {
			kp_err_init(err);
			rc = kp_err_field(err, "interaction_id", "no interaction has id %" PRId64, tc.interaction_id);
		}
		if (rc)
			goto out;
		/* only a customer's words are analysed, so only they can be corrected: not staff's
		 * own outbound messages, nor a message with no text */
		if (!it.direction || strcmp(it.direction, "inbound") != 0 ||
		    (!(it.summary && *it.summary) && !(it.body && *it.body))) {
			rc = kp_err_field(err, "interaction_id",
			                  "is not a customer's (inbound) message with text: only those are analysed");
			goto out;
		}
		/* whether it is abusive is the recipient's or a manager's to say, both ways: it
		 * decides their protection, their exposure and the customer's flag */
		if (tc.kind && !strcmp(tc.kind, "abuse") && (rc = protect_may_correct_abuse(&who, &it, err)))
			goto out;
		if (it.summary && *it.summary && it.body && *it.body)
			tc.text = arena_printf(r->arena, "%s\n%s", it.summary, it.body);
		else
			tc.text = it.body && *it.body ? it.body : it.summary;
		target = it;
		has_target = 1;
	}
	tc.staff_id = who.staff_id;
	if ((rc = store_correction_insert(c, &tc, err)))
		goto out;
	view = correction_json(&tc);
	json_object_del(view, "id");
	json_object_del(view, "created_at");
	json_object_del(view, "text");
	changes = validate_diff(NULL, view);
	if ((rc = domain_audit(c, &who, "create", "text_correction", tc.id, changes, err)))
		goto out;
	/* the correction applies to the message it is about: unmasked and no incident, or masked
	 * and an incident (protect_interaction_corrected); a sentiment the message keeps from
	 * then on (protect_interaction_sentiment_corrected) */
	enum text_task task;
	int value;
	if (has_target && protect_correction_parse(tc.kind, tc.label, &task, &value, NULL) == 0 &&
	    (rc = task == TEXT_TASK_ABUSE
	              ? protect_interaction_corrected(c, &who, &target, value, tc.id, r->arena, err)
	              : protect_interaction_sentiment_corrected(c, &who, &target, value, tc.id, r->arena, err)))
		goto out;
	/* Retrain from every correction, this one included (the writer sees its own
	 * uncommitted row), or, within 2 s of the last retraining, soon after on a loop thread
	 * (protect_model_retrain). A failure to train does not lose the correction. */
	struct kp_err terr = KP_ERR_INIT;
	if (protect_model_retrain(c, &terr))
		log_warn("text: retraining the learned layer failed: %s", terr.msg);
	json_t *j = correction_json(&tc);
	json_object_set_new(j, "model_generation", json_integer((json_int_t)protect_model_generation()));
	api_render_record(r, 201, j, 0, NULL);
out:
	json_decref(body);
	json_decref(view);
	json_decref(changes);
	return rc;
}

int api_text_corrections_create(struct api_req *r)
{
	struct kp_err err = KP_ERR_INIT;
	struct text_correction scratch = {0};
	json_t *body = api_body_object(r);
	if (!body)
		return API_DONE;
	if (correction_apply(&scratch, body, &err)) {
		json_decref(body);
		return api_fail_err(r, &err);
	}
	return api_write_start(r, run_correction, api_write_ctx_new(r, body));
}

/* Staff members already looked up on this page, and whether each is a manager or an admin. */
struct role_seen {
	int64_t id;
	int manager;
};

/* 1 if staff member id is a manager or an admin now (looked up once per page through seen[]). */
static int is_manager(struct store_conn *c, int64_t id, struct role_seen *seen, size_t *nseen, size_t cap,
                      struct arena *a)
{
	struct staff st;
	struct kp_err err = KP_ERR_INIT;
	for (size_t i = 0; i < *nseen; i++)
		if (seen[i].id == id)
			return seen[i].manager;
	int yes = id && store_staff_get(c, id, &st, a, &err) == 0 && st.role >= ROLE_MANAGER;
	if (*nseen < cap)
		seen[(*nseen)++] = (struct role_seen){id, yes};
	return yes;
}

/* One page of corrections, oldest first (the cursor carries the last id). A free text is
 * shown as it was judged: labelled abusive, masked (by its spans, else whole); labelled
 * not_abusive by a manager or an admin, as typed, as their correction unmasks a message; any
 * other (an agent's not_abusive, whose word unmasks only a message that reached them, and a
 * free text reached no one; a sentiment correction) masked as a customer's words would be.
 * reveal: shown as typed, and each text that uncovers is audited as a reveal (c is then the
 * writer). */
static int corrections_page(struct store_conn *c, struct api_req *r, int reveal, struct kp_err *err)
{
	struct store_page pg = {0};
	struct correction_list list = {0};
	int limit = 0, rc;
	if (api_q_limit(r, &limit, err) | api_q_cursor(r, CORR_SORT, &pg, err))
		return KP_EINVAL;
	if ((rc = store_correction_list(c, pg.has_after ? pg.after_id : 0, limit ? limit : API_LIST_DEFAULT, &list,
	                                r->arena, err)))
		return rc;
	json_t *items = json_array();
	struct actor who = api_actor(r);
	struct role_seen seen[32];
	size_t nseen = 0;
	for (size_t i = 0; i < list.n; i++) {
		struct text_correction *tc = &list.items[i];
		int masked = 0;
		int cleared = !tc->interaction_id && tc->kind && !strcmp(tc->kind, "abuse") && tc->label &&
		              !strcmp(tc->label, "not_abusive") &&
		              is_manager(c, tc->staff_id, seen, &nseen, sizeof seen / sizeof seen[0], r->arena);
		const char *shown =
		    tc->interaction_id || cleared ? tc->text : protect_mask_text(tc->text, &masked, r->arena);
		/* a text staff said is abusive is shown masked, whatever the analysis finds in it */
		if (!tc->interaction_id && !masked && tc->text && *tc->text && tc->label &&
		    !strcmp(tc->label, "abusive")) {
			shown = protect_mask_whole(tc->text, r->arena);
			masked = 1;
		}
		if (masked && reveal) {
			json_t *changes = json_pack("{sb}", "abusive", 1);
			rc = domain_audit(c, &who, "reveal", "text_correction", tc->id, changes, err);
			json_decref(changes);
			if (rc) {
				json_decref(items);
				return rc;
			}
		} else if (masked) {
			tc->text = shown;
		}
		json_array_append_new(items, correction_json(tc));
	}
	const char *next = NULL;
	if (list.more && list.n)
		next = api_cursor_next(r, CORR_SORT, "", list.items[list.n - 1].id);
	api_render_page(r, items, next);
	return 0;
}

int api_text_corrections_list(struct api_req *r)
{
	struct kp_err err = KP_ERR_INIT;
	struct store_page pg = {0};
	int limit = 0;
	/* the query is checked here, before a reveal is queued for the writer */
	if (api_q_limit(r, &limit, &err) | api_q_cursor(r, CORR_SORT, &pg, &err))
		return api_fail_err(r, &err);
	return api_protect_list(r, corrections_page);
}
