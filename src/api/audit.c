/*
 * audit: GET /api/v1/audit - the audit log, newest first, filtered by entity, entity_id,
 * actor_id, action and since; paged with an opaque cursor over the entry id.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "api/cursor.h"
#include "api/handlers.h"
#include "api/render.h"
#include "domain/protect.h"
#include "domain/validate.h"

#define AUDIT_SORT "-id"

/* An interaction entry, or a note's, keeps the words as they were (evidence that outlives an edit or a
 * delete); they are shown as a read would show them: each side (before, after) of summary and
 * body analysed now, and both fields' abusive spans masked when either is abusive, or when the
 * message is stored as abusive now (its masks were made at ingest and a later learned model
 * must not undo them here; a deleted message: as its delete entry recorded it); the stored
 * message's own texts are masked as a read masks them;
 * and a side's texts are masked too as the analysis the entry keeps for that side (create,
 * update, delete) masked them then (a staff correction to abusive, say, which no analysis
 * made now repeats). The analyses the entry keeps are shown as a read shows an analysis
 * beside masked text (protect_analysis_reduced: no scores, spans, lengths or topics) whenever
 * any of its words are masked, the message is abusive now, or the analysis is of an abusive
 * message. *masked: set when anything was hidden. */
/* The message (or note: entity) an entry is of, as stored now, or, once it is deleted, as its
 * delete entry recorded it (words, abusive, analysis): 1 when that is an abusive text (into
 * *it; a note as an interaction with its body alone). */
static int entry_message_abusive(struct store_conn *c, const char *entity, int64_t id, struct interaction *it,
                                 struct arena *a)
{
	struct kp_err err = KP_ERR_INIT;
	int rc;
	if (!c)
		return 0;
	if (!strcmp(entity, "note")) {
		struct note n;
		rc = store_note_get(c, id, &n, a, &err);
		if (rc == 0) {
			memset(it, 0, sizeof *it);
			it->id = id;
			it->direction = "outbound";
			it->body = n.body;
			it->abusive = n.abusive;
			it->analysis_json = n.analysis_json;
			return it->abusive;
		}
	} else {
		rc = store_interaction_get(c, id, it, a, &err);
		if (rc == 0)
			return it->abusive;
	}
	if (rc != KP_ENOTFOUND)
		return 0;
	struct audit_filter f = {.entity = entity, .entity_id = id, .action = "delete", .limit = 1};
	struct audit_list del = {0};
	kp_err_init(&err);
	if (store_audit_list(c, &f, &del, a, &err) != 0 || del.n == 0 || !del.items[0].changes_json)
		return 0;
	json_t *ch = validate_parse_json(del.items[0].changes_json, 0);
	json_t *an = json_array_get(json_object_get(ch, "analysis"), 0);
	const char *s = json_string_value(json_array_get(json_object_get(ch, "summary"), 0));
	const char *b = json_string_value(json_array_get(json_object_get(ch, "body"), 0));
	char *text = json_is_object(an) ? json_dumps(an, JSON_COMPACT) : NULL;
	memset(it, 0, sizeof *it);
	it->id = id;
	it->direction = "inbound";
	it->abusive = json_is_true(json_array_get(json_object_get(ch, "abusive"), 0));
	it->summary = s ? arena_strdup(a, s) : NULL;
	it->body = b ? arena_strdup(a, b) : NULL;
	it->analysis_json = text ? arena_strdup(a, text) : NULL;
	free(text);
	json_decref(ch);
	return it->abusive;
}

static void mask_entry_texts(struct store_conn *c, const struct audit_entry *e, json_t *changes, int *masked,
			     struct arena *a)
{
	static const char *const keys[] = {"summary", "body"};
	struct interaction it, shown;
	int have = entry_message_abusive(c, e->entity, e->entity_id, &it, a);
	int words_masked = 0;
	if (have) {
		shown = it;
		protect_mask_interaction(&shown, a);
	}
	json_t *an = json_object_get(changes, "analysis");
	for (size_t side = 0; side < 2; side++) {
		const char *in[2] = {NULL, NULL}, *out[2], *then[2] = {NULL, NULL};
		json_t *pair[2];
		for (int k = 0; k < 2; k++) {
			pair[k] = json_object_get(changes, keys[k]);
			json_t *v = json_array_get(pair[k], side);
			in[k] = json_is_string(v) ? json_string_value(v) : NULL;
		}
		int m = 0;
		protect_mask_texts(in, 2, have, out, &m, a);
		/* the side's own analysis, when it was of an abusive message: its masks then */
		json_t *doc = json_array_get(an, side);
		if (json_is_object(doc) && json_is_true(json_object_get(doc, "abusive"))) {
			char *text = json_dumps(doc, JSON_COMPACT);
			struct interaction was = {.summary = in[0],
			                          .body = in[1],
			                          .abusive = 1,
			                          .analysis_json = text ? arena_strdup(a, text) : NULL};
			free(text);
			protect_mask_interaction(&was, a);
			then[0] = was.summary;
			then[1] = was.body;
		}
		for (int k = 0; k < 2; k++) {
			const char *cur = !have ? NULL : k == 0 ? it.summary : it.body;
			const char *cur_shown = !have ? NULL : k == 0 ? shown.summary : shown.body;
			if (in[k] && cur && cur_shown && strcmp(in[k], cur) == 0)
				out[k] = cur_shown; /* the message as stored: exactly the read's masks */
			if (in[k] && then[k])
				out[k] = protect_mask_merge(in[k], out[k], then[k], a);
			if (in[k] && strcmp(out[k], in[k]) != 0) {
				json_array_set_new(pair[k], side, json_string(out[k]));
				words_masked = *masked = 1;
			}
		}
	}
	/* the analyses kept: as a read shows one beside masked text */
	for (size_t side = 0; side < json_array_size(an); side++) {
		json_t *doc = json_array_get(an, side);
		json_t *shown_doc = have || words_masked ? protect_analysis_reduced(doc) : protect_analysis_shown(doc);
		if (shown_doc && !json_equal(shown_doc, doc)) {
			json_array_set(an, side, shown_doc);
			*masked = 1;
		}
		json_decref(shown_doc);
	}
}

/* reveal: show an interaction's or a note's entry's words as stored (the caller audits it when
 * *masked). */
static json_t *audit_json(struct store_conn *c, const struct audit_entry *e, int reveal, int *masked,
			  struct arena *a)
{
	json_t *changes = e->changes_json ? validate_parse_json(e->changes_json, 0) : json_null();
	*masked = 0;
	/* an interaction's words, a customer's or staff's quoting one, and a note's (staff's, often
	 * repeating a customer's) */
	if (e->entity && (!strcmp(e->entity, "interaction") || !strcmp(e->entity, "note")) && json_is_object(changes)) {
		if (!reveal) {
			mask_entry_texts(c, e, changes, masked, a);
		} else {
			json_t *copy = json_deep_copy(changes);
			mask_entry_texts(c, e, copy, masked, a);
			json_decref(copy);
		}
	}
	json_t *j = json_pack("{sI so so so so so so so so}", "id", (json_int_t)e->id, "at", validate_time_json(e->at),
	                      "actor_id", validate_id_json(e->actor_id), "actor", validate_str_json(e->actor), "action",
	                      validate_str_json(e->action), "entity", validate_str_json(e->entity), "entity_id",
	                      validate_id_json(e->entity_id), "request_id", validate_str_json(e->request_id), "changes",
	                      changes);
	/* an erasure's redaction (domain/erase.h), the one change an entry ever undergoes */
	if (j && e->redacted_at)
		json_object_set_new(j, "redacted_at", validate_time_json(e->redacted_at));
	return j;
}

/* "a, b or c": the words of list (arena). */
static const char *words_listed(struct arena *a, const char *const *list)
{
	const char *out = "";
	for (size_t i = 0; list[i]; i++)
		out = arena_printf(a, "%s%s%s", out, i == 0 ? "" : list[i + 1] ? ", " : " or ", list[i]);
	return out;
}

/* The query's filter into f (err set on a bad parameter). */
static int audit_filter_parse(struct api_req *r, struct audit_filter *f, struct kp_err *err)
{
	struct store_page pg = {0};
	memset(f, 0, sizeof *f);
	/* `|`, not `||`: check every parameter and report all that are bad at once */
	if (api_q_limit(r, &f->limit, err) | api_q_id(r, "entity_id", &f->entity_id, err) |
	    api_q_id(r, "actor_id", &f->actor_id, err) | api_q_time(r, "since", API_TIME_GE_OR_LT, &f->since, err))
		return KP_EINVAL;
	/* the entities and actions the server writes: another word ("organisation", "deleted")
	 * is a 400 naming them, not an empty list */
	static const char *const words[] = {"entity", "action"};
	const char *const *allowed[] = {domain_audit_entities, domain_audit_actions};
	for (int i = 0; i < 2; i++) {
		const char *s = api_query(r, words[i]);
		if (!s)
			continue;
		if (!validate_one_of(s, allowed[i])) {
			kp_err_set(err, KP_EINVAL, "invalid query parameter %s", words[i]);
			return kp_err_field(err, words[i], "must be one of %s", words_listed(r->arena, allowed[i]));
		}
		if (i == 0)
			f->entity = s;
		else
			f->action = s;
	}
	if (api_q_cursor(r, AUDIT_SORT, &pg, err))
		return KP_EINVAL;
	if (pg.has_after)
		f->before_id = pg.after_id;
	return 0;
}

/* One page; reveal: interaction entries' words as stored, each entry that uncovers audited
 * as a reveal (c is then the writer). */
static int audit_page(struct store_conn *c, struct api_req *r, int reveal, struct kp_err *err)
{
	struct audit_filter f;
	struct audit_list list = {0};
	int rc;
	if ((rc = audit_filter_parse(r, &f, err)) || (rc = store_audit_list(c, &f, &list, r->arena, err)))
		return rc;
	json_t *items = json_array();
	struct actor who = api_actor(r);
	for (size_t i = 0; i < list.n; i++) {
		int masked = 0;
		json_array_append_new(items, audit_json(c, &list.items[i], reveal, &masked, r->arena));
		if (reveal && masked) {
			int note = list.items[i].entity && !strcmp(list.items[i].entity, "note");
			json_t *what =
			    json_pack("{sI}", note ? "note_id" : "interaction_id", (json_int_t)list.items[i].entity_id);
			rc = domain_audit(c, &who, "reveal", "audit", list.items[i].id, what, err);
			json_decref(what);
			if (rc) {
				json_decref(items);
				return rc;
			}
		}
	}
	const char *next = NULL;
	if (list.more && list.n)
		next = api_cursor_next(r, AUDIT_SORT, "", list.items[list.n - 1].id);
	api_render_page(r, items, next);
	return 0;
}

int api_audit_list(struct api_req *r)
{
	struct kp_err err = KP_ERR_INIT;
	struct audit_filter f;
	/* the query is checked here, before a reveal is queued for the writer */
	if (audit_filter_parse(r, &f, &err))
		return api_fail_err(r, &err);
	return api_protect_list(r, audit_page);
}
