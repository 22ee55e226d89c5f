/*
 * search: GET /api/v1/search?q=&limit=&cursor= - full-text search over customers,
 * organisations, interactions and notes (the store understands Finnish inflection).
 *
 * A query that is a phone number lists the customers and then the organisations who have it
 * first (phone_query()).
 * Hits are ranked, so pages go by position: the cursor carries how many hits earlier pages
 * showed and a hash of the query it was made for (another query's cursor is a 400). Paging
 * stops at STORE_SEARCH_OFFSET_MAX hits: past that a query needs narrowing, not scrolling.
 */
#include <inttypes.h>
#include <string.h>

#include "api/cursor.h"
#include "api/handlers.h"
#include "api/render.h"
#include "domain/protect.h"
#include "domain/search.h"
#include "domain/validate.h"

#define SEARCH_Q_MAX 200 /* characters */

/* The customers and the organisations with phone number q, if q reads as one (at least 6
 * digits, nothing but digits, "+", spaces, dashes, dots, slashes and parentheses): at most 50
 * of each, by id. Neither store indexes phone numbers for search, so "09 555 1234",
 * "095551234" and "+35895551234" all find the same records this way. */
static int phone_query(struct api_req *r, const char *q, struct store_conn *c, struct customer_list *out,
                       struct org_list *orgs, struct kp_err *err)
{
	int digits = 0;
	for (const char *p = q; *p; p++) {
		if (*p >= '0' && *p <= '9')
			digits++;
		else if (!strchr("+ -./()", *p))
			return 0;
	}
	const char *norm;
	struct kp_err ignore = KP_ERR_INIT;
	if (digits < 6 || validate_phone(r->arena, "q", q, &norm, &ignore))
		return 0;
	struct customer_filter f = {.phone = norm};
	struct org_filter of = {.phone = norm};
	struct store_page pg = {.limit = 50, .sort = STORE_SORT_ID};
	int rc = store_customer_list(c, &f, &pg, out, r->arena, err);
	return rc ? rc : store_org_list(c, &of, &pg, orgs, r->arena, err);
}

/* One hit as the answer lists it. */
static json_t *hit_json(const char *type, int64_t id, int64_t customer_id, int64_t org_id, const char *title,
                        const char *snippet)
{
	return json_pack("{so sI so so so so}", "type", validate_str_json(type), "id", (json_int_t)id, "customer_id",
	                 validate_id_json(customer_id), "organization_id", validate_id_json(org_id), "title",
	                 validate_str_json(title), "snippet", validate_str_json(snippet));
}

/* The page's walk over hits shown: 1 if this one is on the page (counted in *n); 0 if it is
 * one earlier pages showed (*skip counts them down) or the first past the page (*more set). */
static int page_takes(int64_t *skip, int64_t *n, int limit, int *more)
{
	if (*skip > 0) {
		(*skip)--;
		return 0;
	}
	if (*n == limit) {
		*more = 1;
		return 0;
	}
	(*n)++;
	return 1;
}

/* 1 if hit h is a customer or an organisation already listed by its phone number. */
static int listed_by_phone(const struct customer_list *l, const struct org_list *o, const struct search_hit *h)
{
	if (h->entity && strcmp(h->entity, "customer") == 0) {
		for (size_t i = 0; i < l->n; i++)
			if (l->items[i].id == h->id)
				return 1;
	} else if (h->entity && strcmp(h->entity, "organization") == 0) {
		for (size_t i = 0; i < o->n; i++)
			if (o->items[i].id == h->id)
				return 1;
	}
	return 0;
}

int api_search(struct api_req *r)
{
	struct kp_err err = KP_ERR_INIT;
	struct search_result res = {0};
	int limit;
	const char *q = api_query(r, "q");
	const char *t = q ? validate_trim(r->arena, q) : NULL;
	if (!t || !*t || validate_utf8_chars(t) > SEARCH_Q_MAX) {
		kp_err_set(&err, KP_EINVAL, "invalid query parameter q");
		kp_err_field(&err, "q", "is required, 1 to %d characters", SEARCH_Q_MAX);
		return api_fail_err(r, &err);
	}
	if (validate_text("q", t, 0, 0, 1, &err)) {
		err.status = KP_EINVAL;
		return api_fail_err(r, &err);
	}
	/* an e-mail's domain is stored in letters: so is one typed in its xn-- spelling */
	t = validate_idn_letters(r->arena, t);
	if (api_q_limit(r, &limit, &err))
		return api_fail_err(r, &err);
	/* the cursor is keyed by the query as the store gets it */
	const char *qkey = arena_printf(r->arena, "%016" PRIx64, api_cursor_hash(t, strlen(t)));
	struct store_page pg = {0};
	if (api_q_cursor(r, "search", &pg, &err))
		return api_fail_err(r, &err);
	int64_t offset = 0;
	if (pg.has_after) {
		if (strcmp(pg.after_key, qkey) != 0 || pg.after_id < 0 || pg.after_id > STORE_SEARCH_OFFSET_MAX) {
			kp_err_set(&err, KP_EINVAL, "invalid query parameter cursor");
			kp_err_field(&err, "cursor", "was made for another query (pass next_cursor with the same q)");
			return api_fail_err(r, &err);
		}
		offset = pg.after_id;
	}
	/* the pages end at STORE_SEARCH_OFFSET_MAX hits: the last one is cut to fit */
	if (limit <= 0)
		limit = 20;
	if (offset + limit > STORE_SEARCH_OFFSET_MAX)
		limit = (int)(STORE_SEARCH_OFFSET_MAX - offset);
	if (limit == 0)
		return api_render_page(r, json_array(), NULL);
	struct store_conn *c = store_reader(r->srv->store, &err);
	if (!c)
		return api_fail_err(r, &err);
	/* The cursor counts hits shown, not hits read: an abusive message found only by its hidden
	 * words is left out (protect_search_hit_shown), and neither a page's size, its next_cursor
	 * nor the cursor's offset may tell that it was there. So each page reads from the first hit,
	 * skips the hits earlier pages showed, and reads one shown hit past the page to know whether
	 * another page follows (at most STORE_SEARCH_OFFSET_MAX hits are read). */
	struct search_forms forms;
	search_query_forms(t, &forms, r->arena);
	json_t *items = json_array();
	int64_t skip = offset, n = 0;
	int raw = 0, more = 0;
	/* A query that is a phone number finds the customers and organisations who have it first
	 * (the indexes hold no phone numbers, on either store): they lead the hits on every
	 * page's count, so the cursor's offsets stay true. */
	struct customer_list byphone = {0};
	struct org_list orgsbyphone = {0};
	if (phone_query(r, t, c, &byphone, &orgsbyphone, &err)) {
		json_decref(items);
		return api_fail_err(r, &err);
	}
	for (size_t i = 0; i < byphone.n && !more; i++)
		if (page_takes(&skip, &n, limit, &more))
			json_array_append_new(items, hit_json("customer", byphone.items[i].id, byphone.items[i].id, 0,
			                                      byphone.items[i].name, t));
	for (size_t i = 0; i < orgsbyphone.n && !more; i++)
		if (page_takes(&skip, &n, limit, &more))
			json_array_append_new(items, hit_json("organization", orgsbyphone.items[i].id, 0, 0,
			                                      orgsbyphone.items[i].name, t));
	while (!more && raw < STORE_SEARCH_OFFSET_MAX) {
		/* what is still to skip and show, in one read where the store allows (200) */
		int64_t want = skip + (limit - n) + 1;
		int chunk = want < 50 ? 50 : want > 200 ? 200 : (int)want;
		if (raw + chunk > STORE_SEARCH_OFFSET_MAX)
			chunk = STORE_SEARCH_OFFSET_MAX - raw;
		if (store_search(c, t, &forms, chunk, raw, &res, r->arena, &err)) {
			json_decref(items);
			return api_fail_err(r, &err);
		}
		for (size_t i = 0; i < res.n && !more; i++) {
			struct search_hit *h = &res.items[i];
			if (!protect_search_hit_shown(c, t, &forms, h, r->arena) ||
			    listed_by_phone(&byphone, &orgsbyphone, h))
				continue;
			if (page_takes(&skip, &n, limit, &more))
				json_array_append_new(
				    items, hit_json(h->entity, h->id, h->customer_id, h->org_id, h->title, h->snippet));
		}
		raw += (int)res.n;
		if (!res.more || res.n == 0)
			break;
	}
	const char *next = NULL;
	if (more && offset + n < STORE_SEARCH_OFFSET_MAX)
		next = api_cursor_next(r, "search", qkey, offset + n);
	return api_render_page(r, items, next);
}
