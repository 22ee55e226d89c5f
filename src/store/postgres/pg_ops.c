/*
 * The PostgreSQL backend's domain operations and its store_ops table. The contracts are in
 * store/store.h; the schema is in pg_migrations.c.
 *
 * How this file is laid out:
 *   - per-entity column lists (X_COLS) and the row decoders that read them (read_x), shared
 *     by the entity's get and list;
 *   - stmts[]: every fixed statement, by its id in enum stmt, with its SQL and how many
 *     parameters it takes (prepared once per connection on first use);
 *   - a few runners that every op goes through: q_exec (run, map SQLSTATE to kp_err),
 *     q_int (first cell: RETURNING id, count), q_get (one row or KP_ENOTFOUND), q_touch
 *     (KP_ENOTFOUND when no row changed), q_versioned / q_delete (the version check:
 *     KP_EPRECONDITION vs KP_ENOTFOUND), and struct pg_query + q_page / q_rows for list
 *     queries assembled from fixed fragments with $n placeholders (no user data is ever
 *     part of the SQL text);
 *   - the ops themselves, then the ops table.
 *
 * Child rows (customer contacts and tags, organisation tags) are written from a JSON array
 * parameter and read back as json_agg columns, so a record is one round trip either way.
 */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/postgres/pg_int.h"
#include "util/buf.h"
#include "util/timeutil.h"

enum stmt {
	Q_STAFF_INSERT,
	Q_STAFF_GET,
	Q_STAFF_GET_EMAIL,
	Q_STAFF_UPDATE,
	Q_STAFF_COUNT,
	Q_STAFF_ACTIVE_ADMINS,
	Q_TOKEN_INSERT,
	Q_TOKEN_GET_HASH,
	Q_TOKEN_LIST,
	Q_TOKEN_REVOKE,
	Q_TOKEN_TOUCH,
	Q_SESSION_INSERT,
	Q_SESSION_GET,
	Q_SESSION_DELETE,
	Q_SESSION_DELETE_STAFF,
	Q_ORG_INSERT,
	Q_ORG_GET,
	Q_ORG_UPDATE,
	Q_ORG_TAGS_DELETE,
	Q_ORG_TAGS_INSERT,
	Q_ORG_DELETE,
	Q_CUSTOMER_INSERT,
	Q_CUSTOMER_GET,
	Q_CUSTOMER_UPDATE,
	Q_CUSTOMER_REORG,
	Q_CUSTOMER_CHILDREN_DELETE,
	Q_CUSTOMER_CHILDREN_INSERT,
	Q_CUSTOMER_CONTEXT,
	Q_ORG_CONTEXT,
	Q_CUSTOMER_DELETE,
	Q_CUSTOMER_COUNT,
	Q_EMAIL_IDN_CUSTOMERS,
	Q_EMAIL_IDN_ORGS,
	Q_EMAIL_IDN_STAFF,
	Q_CUSTOMER_CUSTOM_SET,
	Q_ORG_CUSTOM_SET,
	Q_CUSTOMER_LOCK2,
	Q_CUSTOMER_TOMBSTONES,
	Q_CUSTOMER_DANGLING,
	Q_CUSTOMER_MERGE,
	Q_FIELD_INSERT,
	Q_FIELD_GET,
	Q_FIELD_UPDATE,
	Q_FIELD_DELETE,
	Q_FIELD_LIST,
	Q_NOTE_INSERT,
	Q_NOTE_GET,
	Q_NOTE_UPDATE,
	Q_NOTE_DELETE,
	Q_NOTE_SEARCH_SET,
	Q_UNANALYSED_NOTES,
	Q_UNANALYSED_INTERACTIONS,
	Q_INTERACTION_INSERT,
	Q_INTERACTION_GET,
	Q_INTERACTION_UPDATE,
	Q_INTERACTION_DELETE,
	Q_INTERACTION_SEARCH_SET,
	Q_SEARCH,
	Q_SEARCH_TEXT_MATCHES,
	Q_AUDIT_INSERT,
	Q_AUDIT_INSERT_SET,
	Q_AUDIT_UNREDACTED,
	Q_AUDIT_REDACT_SET,
	Q_IDEM_GET,
	Q_IDEM_PUT,
	Q_IDEM_PURGE,
	Q_COUNT_ /* must stay <= PG_MAX_PREPARED */
};

_Static_assert(Q_COUNT_ <= PG_MAX_PREPARED, "too many prepared statements");

#define SQL_MAX (16 * 1024)
#define JSON_PARAM_MAX (4 * 1024 * 1024)

static struct pg_conn *PC(struct store_conn *c)
{
	return (struct pg_conn *)c;
}

/* now, unless the caller chose a time */
static int64_t or_now(int64_t t)
{
	return t ? t : time_now_ms();
}

static int not_found(struct kp_err *err, const char *what)
{
	return kp_err_set(err, KP_ENOTFOUND, "%s not found", what);
}

/* p, holding the one parameter v (the usual "WHERE id = $1"). */
static const struct pg_params *one_i64(struct pg_params *p, int64_t v)
{
	store_pg_params_init(p);
	store_pg_p_i64(p, v);
	return p;
}

static const struct pg_params *one_str(struct pg_params *p, const char *s)
{
	store_pg_params_init(p);
	store_pg_p_str(p, s);
	return p;
}

/* Space-joined tags, for the search vector. */
static int tag_text(const char *const *tags, size_t n, struct buf *out, struct kp_err *err)
{
	int bad = 0;
	for (size_t i = 0; i < n; i++) {
		if (i)
			bad |= buf_addc(out, ' ');
		bad |= buf_adds(out, tags[i] ? tags[i] : "");
	}
	return bad ? kp_err_set(err, KP_ETOOLARGE, "too many tags") : 0;
}

/* JSON text of a string array (["a","b"]) for a child-table parameter. */
static int json_str_array(struct buf *b, const char *const *items, size_t n, struct kp_err *err)
{
	int bad = buf_addc(b, '[');
	for (size_t i = 0; i < n && !bad; i++) {
		if (i)
			bad |= buf_addc(b, ',');
		const char *s = items[i] ? items[i] : "";
		bad |= buf_add_json_str(b, s, strlen(s));
	}
	bad |= buf_addc(b, ']');
	return bad ? kp_err_set(err, KP_ETOOLARGE, "too many tags") : 0;
}

/* Copy a JSON array of strings (from json_agg) into an arena array. */
static int parse_str_array(struct arena *a, const char *text, const char ***out, size_t *n, struct kp_err *err)
{
	*out = NULL;
	*n = 0;
	if (!text)
		return 0;
	json_error_t jerr;
	json_t *arr = json_loads(text, JSON_DECODE_ANY, &jerr);
	if (!arr || !json_is_array(arr)) {
		json_decref(arr);
		return kp_err_set(err, KP_ESTORE, "postgres: bad tag list from the database");
	}
	size_t cnt = json_array_size(arr);
	const char **v = cnt ? arena_alloc(a, cnt * sizeof(*v)) : NULL;
	for (size_t i = 0; i < cnt; i++)
		v[i] = arena_strdup(a, json_string_value(json_array_get(arr, i)));
	json_decref(arr);
	*out = v;
	*n = cnt;
	return 0;
}

/* ---- columns and row decoders --------------------------------------------------------- */

/*
 * Each X_COLS is the one column list of its entity (over the row alias t where lists need
 * it), and read_x() decodes one row of it into the record at out (a struct of the entity's
 * type; strings are copied into the arena). Every decoder has the same signature, so the
 * get and list runners below can take any of them; they return 0 or a kp_err status.
 */

#define STAFF_COLS                                                                                                     \
	"t.id, t.email, t.name, t.role, t.team, t.pw_hash, t.active, t.version, t.created_at, t.updated_at,"           \
	" t.must_change_pw"

static int read_staff(struct arena *a, const PGresult *r, int row, void *out, struct kp_err *err)
{
	struct staff *o = out;
	memset(o, 0, sizeof(*o));
	o->id = store_pg_i64(r, row, 0);
	o->email = store_pg_str(a, r, row, 1);
	o->name = store_pg_str(a, r, row, 2);
	o->role = (int)store_pg_i64(r, row, 3);
	o->team = store_pg_str(a, r, row, 4);
	o->pw_hash = store_pg_str(a, r, row, 5);
	o->active = store_pg_bool(r, row, 6);
	o->version = store_pg_i64(r, row, 7);
	o->created_at = store_pg_i64(r, row, 8);
	o->updated_at = store_pg_i64(r, row, 9);
	o->must_change_pw = store_pg_bool(r, row, 10);
	return 0;
}

#define TOKEN_COLS "id, staff_id, label, token_hash, created_at, last_used_at, revoked_at"

static int read_token(struct arena *a, const PGresult *r, int row, void *out, struct kp_err *err)
{
	struct api_token *o = out;
	memset(o, 0, sizeof(*o));
	o->id = store_pg_i64(r, row, 0);
	o->staff_id = store_pg_i64(r, row, 1);
	o->label = store_pg_str(a, r, row, 2);
	o->token_hash = store_pg_str(a, r, row, 3);
	o->created_at = store_pg_i64(r, row, 4);
	o->last_used_at = store_pg_i64(r, row, 5);
	o->revoked_at = store_pg_i64(r, row, 6);
	return 0;
}

#define SESSION_COLS "id_hash, staff_id, csrf, created_at, expires_at"

static int read_session(struct arena *a, const PGresult *r, int row, void *out, struct kp_err *err)
{
	struct session *o = out;
	memset(o, 0, sizeof(*o));
	o->id_hash = store_pg_str(a, r, row, 0);
	o->staff_id = store_pg_i64(r, row, 1);
	o->csrf = store_pg_str(a, r, row, 2);
	o->created_at = store_pg_i64(r, row, 3);
	o->expires_at = store_pg_i64(r, row, 4);
	return 0;
}

#define ORG_COLS                                                                                        \
	"t.id, t.name, t.business_id, t.website, t.phone, t.email, t.address_json, t.owner_id,"          \
	" t.custom_json, t.version, t.created_at, t.updated_at,"                                        \
	" (SELECT coalesce(json_agg(g.tag ORDER BY g.tag COLLATE \"C\"), '[]') FROM org_tags g WHERE g.org_id = t.id)"

static int read_org(struct arena *a, const PGresult *r, int row, void *out, struct kp_err *err)
{
	struct organization *o = out;
	memset(o, 0, sizeof(*o));
	o->id = store_pg_i64(r, row, 0);
	o->name = store_pg_str(a, r, row, 1);
	o->business_id = store_pg_str(a, r, row, 2);
	o->website = store_pg_str(a, r, row, 3);
	o->phone = store_pg_str(a, r, row, 4);
	o->email = store_pg_str(a, r, row, 5);
	o->address_json = store_pg_str(a, r, row, 6);
	o->owner_id = store_pg_i64(r, row, 7);
	o->custom_json = store_pg_str(a, r, row, 8);
	o->version = store_pg_i64(r, row, 9);
	o->created_at = store_pg_i64(r, row, 10);
	o->updated_at = store_pg_i64(r, row, 11);
	return parse_str_array(a, PQgetvalue(r, row, 12), &o->tags, &o->ntags, err);
}

#define CUSTOMER_COLS                                                                                   \
	"t.id, t.name, t.org_id, t.owner_id, t.custom_json, t.merged_into, t.flags, t.version,"          \
	" t.created_at, t.updated_at,"                                                                  \
	" (SELECT coalesce(json_agg(json_build_array(x.id, x.kind, x.value, x.label, x.is_primary)"      \
	"   ORDER BY x.position), '[]') FROM customer_contacts x WHERE x.customer_id = t.id),"            \
	" (SELECT coalesce(json_agg(g.tag ORDER BY g.tag COLLATE \"C\"), '[]') FROM customer_tags g"               \
	"   WHERE g.customer_id = t.id)"

static int read_customer(struct arena *a, const PGresult *r, int row, void *out, struct kp_err *err)
{
	struct customer *o = out;
	memset(o, 0, sizeof(*o));
	o->id = store_pg_i64(r, row, 0);
	o->name = store_pg_str(a, r, row, 1);
	o->org_id = store_pg_i64(r, row, 2);
	o->owner_id = store_pg_i64(r, row, 3);
	o->custom_json = store_pg_str(a, r, row, 4);
	o->merged_into = store_pg_i64(r, row, 5);
	o->flags = (int)store_pg_i64(r, row, 6);
	o->version = store_pg_i64(r, row, 7);
	o->created_at = store_pg_i64(r, row, 8);
	o->updated_at = store_pg_i64(r, row, 9);
	json_error_t jerr;
	json_t *arr = json_loads(PQgetvalue(r, row, 10), 0, &jerr);
	if (!arr || !json_is_array(arr)) {
		json_decref(arr);
		return kp_err_set(err, KP_ESTORE, "postgres: bad contact list from the database");
	}
	size_t n = json_array_size(arr);
	o->contacts = n ? arena_calloc(a, n * sizeof(*o->contacts)) : NULL;
	o->ncontacts = n;
	for (size_t i = 0; i < n; i++) {
		json_t *e = json_array_get(arr, i);
		struct contact_point *cp = &o->contacts[i];
		cp->id = (int64_t)json_integer_value(json_array_get(e, 0));
		cp->kind = arena_strdup(a, json_string_value(json_array_get(e, 1)));
		cp->value = arena_strdup(a, json_string_value(json_array_get(e, 2)));
		cp->label = arena_strdup(a, json_string_value(json_array_get(e, 3)));
		cp->primary = json_is_true(json_array_get(e, 4));
	}
	json_decref(arr);
	return parse_str_array(a, PQgetvalue(r, row, 11), &o->tags, &o->ntags, err);
}

#define FIELD_COLS "id, entity, key, label, type, choices_json, required, version, created_at, updated_at"

static int read_field(struct arena *a, const PGresult *r, int row, void *out, struct kp_err *err)
{
	struct field_def *o = out;
	memset(o, 0, sizeof(*o));
	o->id = store_pg_i64(r, row, 0);
	o->entity = store_pg_str(a, r, row, 1);
	o->key = store_pg_str(a, r, row, 2);
	o->label = store_pg_str(a, r, row, 3);
	o->type = store_pg_str(a, r, row, 4);
	o->choices_json = store_pg_str(a, r, row, 5);
	o->required = store_pg_bool(r, row, 6);
	o->version = store_pg_i64(r, row, 7);
	o->created_at = store_pg_i64(r, row, 8);
	o->updated_at = store_pg_i64(r, row, 9);
	return 0;
}

#define NOTE_COLS                                                                                                      \
	"t.id, t.customer_id, t.org_id, t.author_id, t.body, t.version, t.created_at, t.updated_at,"                   \
	" t.analysis_json, t.abusive, t.search_body"

static int read_note(struct arena *a, const PGresult *r, int row, void *out, struct kp_err *err)
{
	struct note *o = out;
	memset(o, 0, sizeof(*o));
	o->id = store_pg_i64(r, row, 0);
	o->customer_id = store_pg_i64(r, row, 1);
	o->org_id = store_pg_i64(r, row, 2);
	o->author_id = store_pg_i64(r, row, 3);
	o->body = store_pg_str(a, r, row, 4);
	o->version = store_pg_i64(r, row, 5);
	o->created_at = store_pg_i64(r, row, 6);
	o->updated_at = store_pg_i64(r, row, 7);
	o->analysis_json = store_pg_str(a, r, row, 8);
	o->abusive = store_pg_bool(r, row, 9);
	o->search_body = store_pg_str(a, r, row, 10);
	return 0;
}

#define INTERACTION_COLS                                                                                \
	"t.id, t.customer_id, t.org_id, t.staff_id, t.kind, t.direction, t.channel, t.summary, t.body,"  \
	" t.analysis_json, t.abusive, t.occurred_at, t.version, t.created_at, t.updated_at,"              \
	" t.search_summary, t.search_body"

static int read_interaction(struct arena *a, const PGresult *r, int row, void *out, struct kp_err *err)
{
	struct interaction *o = out;
	memset(o, 0, sizeof(*o));
	o->id = store_pg_i64(r, row, 0);
	o->customer_id = store_pg_i64(r, row, 1);
	o->org_id = store_pg_i64(r, row, 2);
	o->staff_id = store_pg_i64(r, row, 3);
	o->kind = store_pg_str(a, r, row, 4);
	o->direction = store_pg_str(a, r, row, 5);
	o->channel = store_pg_str(a, r, row, 6);
	o->summary = store_pg_str(a, r, row, 7);
	o->body = store_pg_str(a, r, row, 8);
	o->analysis_json = store_pg_str(a, r, row, 9);
	o->abusive = store_pg_bool(r, row, 10);
	o->occurred_at = store_pg_i64(r, row, 11);
	o->version = store_pg_i64(r, row, 12);
	o->created_at = store_pg_i64(r, row, 13);
	o->updated_at = store_pg_i64(r, row, 14);
	o->search_summary = store_pg_str(a, r, row, 15);
	o->search_body = store_pg_str(a, r, row, 16);
	return 0;
}

/* Columns of a search hit (see Q_SEARCH); rank is minus the score (lower is better). */
static int read_search_hit(struct arena *a, const PGresult *r, int row, void *out, struct kp_err *err)
{
	struct search_hit *h = out;
	h->entity = store_pg_str(a, r, row, 0);
	h->id = store_pg_i64(r, row, 1);
	h->customer_id = store_pg_i64(r, row, 2);
	h->rank = -strtod(PQgetvalue(r, row, 3), NULL);
	h->title = store_pg_str(a, r, row, 4);
	h->snippet = store_pg_str(a, r, row, 5);
	h->abusive = store_pg_bool(r, row, 6);
	h->org_id = store_pg_i64(r, row, 7);
	return 0;
}

#define AUDIT_COLS "id, at, actor_id, actor, action, entity, entity_id, request_id, changes_json, redacted_at"

static int read_audit(struct arena *a, const PGresult *r, int row, void *out, struct kp_err *err)
{
	struct audit_entry *e = out;
	e->id = store_pg_i64(r, row, 0);
	e->at = store_pg_i64(r, row, 1);
	e->actor_id = store_pg_i64(r, row, 2);
	e->actor = store_pg_str(a, r, row, 3);
	e->action = store_pg_str(a, r, row, 4);
	e->entity = store_pg_str(a, r, row, 5);
	e->entity_id = store_pg_i64(r, row, 6);
	e->request_id = store_pg_str(a, r, row, 7);
	e->changes_json = store_pg_str(a, r, row, 8);
	e->redacted_at = store_pg_i64(r, row, 9);
	return 0;
}

#define IDEM_COLS "key, staff_id, fingerprint, status, location, body, created_at"

static int read_idem(struct arena *a, const PGresult *r, int row, void *out, struct kp_err *err)
{
	struct idem_entry *o = out;
	memset(o, 0, sizeof(*o));
	o->key = store_pg_str(a, r, row, 0);
	o->staff_id = store_pg_i64(r, row, 1);
	o->fingerprint = store_pg_str(a, r, row, 2);
	o->status = (int)store_pg_i64(r, row, 3);
	o->location = store_pg_str(a, r, row, 4);
	o->body = store_pg_str(a, r, row, 5);
	o->created_at = store_pg_i64(r, row, 6);
	return 0;
}

/* ---- full-text search SQL --------------------------------------------------------------- */

/*
 * Each word of the query goes through kp_fi_norm() (see pg_migrations.c) and
 * phraseto_tsquery('finnish'): quotes and operators in it are plain text. Its words are ANDed,
 * each ORed with its forms (store.h), the last one also matched as a prefix (search as you
 * type). Every search vector carries its owner's
 * context (see pg_migrations.c), so "Virtasen lasku" finds Virtanen's invoice: "virtas"
 * from the interaction's customer, "lasku" from its text. Merged customers are left out.
 *
 * Each entity contributes its SEARCH_CANDIDATES best matches (by ts_rank, then id), so the
 * union that is sorted and paged stays small. They are ranked before they are cut, as SQLite's
 * bm25 ranks every match: a cut before ranking kept whichever thousand the scan met first, so a
 * common word's best hit could be missing and pages far down were not stable. Ranking every
 * match costs about 100 ms for a word in 55,000 texts, as SQLite's does.
 *
 * Snippets come from ts_headline with the matches in «guillemets» (not HTML: the text is
 * the user's own). The documents are indexed -nen-normalised but headlined as written, so
 * the headline query also carries each stem ending in s with n instead (virtas -> virtan:
 * "Virtanen" is highlighted for "Virtasen"); that affects highlighting only, never what
 * matches. rank in the result is minus the score (lower is better).
 */
#define SEARCH_CANDIDATES "1000"
#define SEARCH_BRANCH(ent, table, cust, extra)                                                          \
	" (SELECT '" ent "' AS entity, t.id, " cust " AS customer_id, ts_rank(t.search, q.aq) AS score"    \
	"  FROM " table " t, q WHERE t.search @@ q.aq" extra " ORDER BY score DESC, t.id LIMIT " SEARCH_CANDIDATES ")"

/* The headline of text as kp_words() indexes it (split by kp_split(), pg_migrations.c
 * migration 10), given back as written: "T-«108807»". Matches with only punctuation between
 * them are marked as one ("«99,90»", "«O'Brien»"), as SQLite's snippet marks a phrase. */
#define SEARCH_HEADLINE(text)                                                                           \
	"btrim(regexp_replace(kp_unsplit(ts_headline('finnish', kp_split(" text "), q.hq,"                 \
	" 'StartSel=«, StopSel=», MaxWords=25, MinWords=8')), '»([^[:alnum:][:space:]«»]{1,8})«', '\\1', 'g'))"

/* An interaction's or a note's snippet: its own text's headline, or, when the hit matched
 * none of it (only its customer's or organisation's name, which its search vector carries),
 * the headline of that name, so the snippet shows why it was listed as SQLite's does. */
#define SEARCH_HEADLINE_OR_CONTEXT(table, text)                                                         \
	"(SELECT CASE WHEN strpos(x.hl, '«') > 0 OR x.context = '' THEN x.hl"                            \
	" ELSE " SEARCH_HEADLINE("x.context") " END"                                                      \
	" FROM (SELECT " SEARCH_HEADLINE(text) " AS hl, context FROM " table " WHERE id = h.id) x)"

/* The query $1 as a tsquery: b.aq (NULL when it has no word). $1 is a JSON array with one
 * array per white-space separated word of the query: the word, then its forms (store.h; see
 * search_words_json). Each word or form is its Finnish stem (kp_fi_norm(), 'finnish') or its
 * English one, as the index holds both (kp_words(), pg_migrations.c); a Finnish stem that is
 * one of the commonest words while the word is another ("Onni" -> "on") is left out, as the
 * SQLite tokenizer leaves it (the index holds every word as written too). A word is ORed with
 * its forms and the words are ANDed; a word with neither stem (a stop word in both languages,
 * "on") is the word as written, which the index holds too. The last word with any lexeme is
 * also matched as a prefix of what was typed ('simple', its last lexeme), not of its stem:
 * "Onni" stems to "on", and "on":* found every "onko" and "ongelma". So "Tuo", a Finnish stop
 * word with no stem, still finds "Tuomas", as on SQLite. A word with no lexeme at all
 * (punctuation) drops out with its forms. Each goes through kp_split() first, as the indexed
 * texts do (pg_migrations.c, migration 10): "T-108807" is the words "t" and "108807", and
 * "kanta-asiakas" finds "Kanta-asiakasetu" ("asiakas" the prefix). The parts of one word are
 * a phrase (phraseto_tsquery: together and in order, as SQLite's tokenizer makes them one):
 * "Antti-Oskari" does not find "Oskari-Antti", nor "14.3.2026" a text with 3, 14 and 2026. */
#define SEARCH_AQ_CTE                                                                                                  \
	"WITH w0 AS (SELECT w.i, s.j, phraseto_tsquery('finnish', kp_fi_norm(f.t)) AS qf,"                             \
	"    phraseto_tsquery('english', f.t) AS qe, phraseto_tsquery('simple', f.t) AS qs"                            \
	"   FROM json_array_elements($1::json) WITH ORDINALITY AS w(a, i),"                                            \
	"    json_array_elements_text(w.a) WITH ORDINALITY AS s(t0, j),"                                               \
	"    LATERAL (SELECT kp_split(s.t0) AS t) f),"                                                                 \
	" wl AS (SELECT max(i) AS last FROM w0 WHERE j = 1 AND numnode(qs) > 0),"                                      \
	" w0f AS (SELECT w0.i, w0.j, w0.qs, w0.qe, CASE WHEN w0.qf::text = ANY (ARRAY['''on''', '''ei''',"             \
	"   '''en''', '''et''', '''se''', '''ne''', '''ja''', '''jo''', '''me''', '''te''', '''he''']) AND"            \
	"   w0.qf::text <> w0.qs::text THEN ''::tsquery ELSE w0.qf END AS qf FROM w0),"                                \
	" w1 AS (SELECT w0f.i, w0f.j, w0f.qs, CASE WHEN numnode(w0f.qf) > 0 AND numnode(w0f.qe) > 0"                   \
	"   THEN w0f.qf || w0f.qe WHEN numnode(w0f.qf) > 0 THEN w0f.qf WHEN numnode(w0f.qe) > 0"                       \
	"   THEN w0f.qe ELSE w0f.qs END AS qq FROM w0f),"                                                              \
	" wq AS (SELECT w1.i, w1.j, CASE WHEN w1.j = 1 AND w1.i = wl.last THEN"                                        \
	"   (CASE WHEN numnode(w1.qq) > 0 THEN w1.qq || p.q ELSE p.q END)"                                             \
	"   ELSE w1.qq END AS q FROM w1 CROSS JOIN wl"                                                                 \
	"   CROSS JOIN LATERAL (SELECT regexp_replace(w1.qs::text, '''$', ''':*')::tsquery AS q) p),"                  \
	" wk AS (SELECT i FROM wq WHERE j = 1 AND numnode(q) > 0),"                                                    \
	" wg AS (SELECT i, string_agg('(' || q::text || ')', ' | ' ORDER BY j) AS g FROM wq"                           \
	"   WHERE i IN (SELECT i FROM wk) AND numnode(q) > 0 GROUP BY i),"                                             \
	" b AS (SELECT (SELECT string_agg('(' || g || ')', ' & ' ORDER BY i) FROM wg)::tsquery AS aq)"

// clang-format off
#define SEARCH_SQL \
	SEARCH_AQ_CTE "," \
	" q AS (SELECT aq, aq || regexp_replace(replace(aq::text, ' & ', ' | '), 's''', 'n''', 'g')::tsquery" \
	"   AS hq FROM b)," \
	" hits AS (SELECT * FROM (" \
	SEARCH_BRANCH("customer", "customers", "0::bigint", " AND t.merged_into IS NULL") \
	" UNION ALL" \
	SEARCH_BRANCH("organization", "organizations", "0::bigint", "") \
	" UNION ALL" \
	SEARCH_BRANCH("interaction", "interactions", "t.customer_id", "") \
	" UNION ALL" \
	SEARCH_BRANCH("note", "notes", "coalesce(t.customer_id, 0)", "") \
	"  ) s ORDER BY score DESC, entity, id LIMIT $2 OFFSET $3)" \
	" SELECT h.entity, h.id, h.customer_id, h.score," \
	"  CASE h.entity" \
	"   WHEN 'customer' THEN (SELECT name FROM customers WHERE id = h.id)" \
	"   WHEN 'organization' THEN (SELECT name FROM organizations WHERE id = h.id)" \
	"   WHEN 'interaction' THEN (SELECT coalesce(nullif(coalesce(search_summary, summary), ''), kind)" \
	"     FROM interactions WHERE id = h.id)" \
	"   ELSE (SELECT left(coalesce(search_body, body), 80) FROM notes WHERE id = h.id) END," \
	"  CASE h.entity" \
	"   WHEN 'customer' THEN (SELECT " SEARCH_HEADLINE("concat_ws(' ', name, nullif(contact_text, ''), nullif(tag_text, ''))") \
	"     FROM customers WHERE id = h.id)" \
	"   WHEN 'organization' THEN (SELECT " SEARCH_HEADLINE("concat_ws(' ', name, nullif(business_id, '')," \
	"     nullif(email, ''), nullif(website, ''), kp_address_text(address_json), nullif(tag_text, ''))") \
	"     FROM organizations WHERE id = h.id)" \
	"   WHEN 'interaction' THEN " \
	SEARCH_HEADLINE_OR_CONTEXT("interactions", "concat_ws(' — ', nullif(coalesce(search_summary, summary), '')," \
	                           "nullif(coalesce(search_body, body), ''))") \
	"   ELSE " SEARCH_HEADLINE_OR_CONTEXT("notes", "coalesce(search_body, body)") " END," \
	"  CASE h.entity WHEN 'interaction' THEN coalesce((SELECT abusive FROM interactions WHERE id = h.id), false)" \
	"   WHEN 'note' THEN coalesce((SELECT abusive FROM notes WHERE id = h.id), false) ELSE false END," \
	"  CASE WHEN h.entity = 'note' THEN coalesce((SELECT org_id FROM notes WHERE id = h.id), 0) ELSE 0 END" \
	" FROM hits h, q ORDER BY h.score DESC, h.entity, h.id"
// clang-format on

/* ---- the fixed statements ------------------------------------------------------------------ */

/*
 * Every fixed statement by its id: how many parameters it takes and its SQL. q_exec()
 * prepares it on first use on a connection (pg_conn.c names it s<id>) and refuses a call
 * with another number of parameters (KP_EINTERNAL: a bug here, not bad input).
 * The versioned UPDATE/DELETEs all take $1 = id, $2 = expected version (0: any), see
 * q_versioned().
 */
struct pg_stmt {
	int nparams;
	const char *sql;
};

#define VERSION_GUARD " WHERE id = $1 AND ($2::bigint = 0 OR version = $2)"
#define DELETE_VERSIONED(table) "DELETE FROM " table VERSION_GUARD " RETURNING id"

static const struct pg_stmt stmts[Q_COUNT_] = {
    /* staff */
    /* the unique ones first: no row for a duplicate, so no identity value is spent on it (the
     * next record gets the id SQLite would give it) */
    [Q_STAFF_INSERT] = {9, "INSERT INTO staff (email, name, role, team, pw_hash, active, created_at, updated_at,"
                           " must_change_pw) SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9"
                           " WHERE NOT EXISTS (SELECT 1 FROM staff WHERE email = $1) RETURNING id"},
    [Q_STAFF_GET] = {1, "SELECT " STAFF_COLS " FROM staff t WHERE t.id = $1"},
    [Q_STAFF_GET_EMAIL] = {1, "SELECT " STAFF_COLS " FROM staff t WHERE t.email = $1"},
    [Q_STAFF_UPDATE] = {10, "UPDATE staff SET email = $3, name = $4, role = $5, team = $6, pw_hash = $7, active = $8,"
                            " version = version + 1, updated_at = $9, must_change_pw = $10" VERSION_GUARD
                            " RETURNING version, updated_at"},
    [Q_STAFF_COUNT] = {0, "SELECT count(*) FROM staff"},
    [Q_STAFF_ACTIVE_ADMINS] = {2, "SELECT count(*) FROM staff WHERE active AND role = $1 AND id <> $2"},
    /* api tokens */
    [Q_TOKEN_INSERT] = {6, "INSERT INTO api_tokens (staff_id, label, token_hash, created_at, last_used_at, revoked_at)"
                           " VALUES ($1, $2, $3, $4, $5, $6) RETURNING id"},
    [Q_TOKEN_GET_HASH] = {1, "SELECT " TOKEN_COLS " FROM api_tokens WHERE token_hash = $1 AND revoked_at = 0"},
    [Q_TOKEN_LIST] = {1, "SELECT " TOKEN_COLS " FROM api_tokens WHERE $1::bigint = 0 OR staff_id = $1 ORDER BY id"},
    [Q_TOKEN_REVOKE] = {3, "UPDATE api_tokens SET revoked_at = CASE WHEN revoked_at = 0 THEN $3 ELSE revoked_at END"
                           " WHERE id = $1 AND ($2::bigint = 0 OR staff_id = $2) RETURNING id"},
    [Q_TOKEN_TOUCH] = {2, "UPDATE api_tokens SET last_used_at = $2 WHERE id = $1"},
    /* sessions */
    /* (the staff member's expired sessions go as a new one comes, as on SQLite) */
    [Q_SESSION_INSERT] = {5, "WITH d AS (DELETE FROM sessions WHERE staff_id = $2 AND expires_at < $4)"
                             " INSERT INTO sessions (id_hash, staff_id, csrf, created_at, expires_at)"
                             " VALUES ($1, $2, $3, $4, $5)"},
    [Q_SESSION_GET] = {1, "SELECT " SESSION_COLS " FROM sessions WHERE id_hash = $1"},
    [Q_SESSION_DELETE] = {1, "DELETE FROM sessions WHERE id_hash = $1"},
    [Q_SESSION_DELETE_STAFF] = {2, "DELETE FROM sessions WHERE staff_id = $1 AND ($2::text IS NULL OR id_hash <> $2)"},
    /* organisations */
    [Q_ORG_INSERT] = {11, "INSERT INTO organizations (name, business_id, website, phone, email, address_json, owner_id,"
                          " custom_json, created_at, updated_at, tag_text)"
                          " VALUES ($1, $2, $3, $4, $5, $6, $7, coalesce($8, '{}'), $9, $10, $11) RETURNING id"},
    [Q_ORG_GET] = {1, "SELECT " ORG_COLS " FROM organizations t WHERE t.id = $1"},
    /* (the old name through FROM, as in Q_CUSTOMER_UPDATE) */
    [Q_ORG_UPDATE] = {12, "WITH old AS (SELECT name AS old_name FROM organizations WHERE id = $1 FOR UPDATE)"
                          " UPDATE organizations SET name = $3, business_id = $4, website = $5, phone = $6, email = $7,"
                          " address_json = $8, owner_id = $9, custom_json = coalesce($10, '{}'), tag_text = $12,"
                          " version = version + 1, updated_at = $11 FROM old" VERSION_GUARD
                          " RETURNING version, updated_at, old.old_name IS DISTINCT FROM $3"},
    [Q_ORG_TAGS_DELETE] = {1, "DELETE FROM org_tags WHERE org_id = $1"},
    [Q_ORG_TAGS_INSERT] =
        {2, "INSERT INTO org_tags (org_id, tag, position)"
            " SELECT $1, g.tag, g.ord FROM json_array_elements_text($2::json) WITH ORDINALITY AS g(tag, ord)"
            " ON CONFLICT DO NOTHING"},
    /* customers.org_id references organizations: a 23503 here means customers still
     * belong to it (KP_ECONFLICT). Its notes and tags go with it. */
    /* customers merged away keep their org_id but are no longer its customers: detached in the
     * same statement (the foreign key is checked at its end), unless a live one remains */
    /* $3: the server's clock, as every other updated_at (and SQLite's) */
    [Q_ORG_DELETE] = {3, "WITH g AS (SELECT 1 FROM organizations WHERE id = $1 AND ($2::bigint = 0 OR version = $2)"
                         "  AND NOT EXISTS (SELECT 1 FROM customers WHERE org_id = $1 AND merged_into IS NULL)),"
                         " t AS (UPDATE customers SET org_id = NULL WHERE org_id = $1 AND merged_into IS NOT NULL"
                         "  AND EXISTS (SELECT 1 FROM g)),"
                         " i AS (UPDATE interactions SET org_id = NULL, version = version + 1, updated_at = $3"
                         "  WHERE org_id = $1 AND EXISTS (SELECT 1 FROM g))"
                         " DELETE FROM organizations" VERSION_GUARD " RETURNING id"},
    [Q_ORG_CONTEXT] = {2, "UPDATE notes SET context = $2 WHERE org_id = $1"},
    /* customers: one statement writes the row and its contacts and tags */
    [Q_CUSTOMER_INSERT] =
        {12, "WITH cu AS (INSERT INTO customers (name, org_id, owner_id, custom_json, merged_into, flags,"
             "  contact_text, tag_text, created_at, updated_at)"
             "  VALUES ($1, $2, $3, coalesce($4, '{}'), $5, $6, $7, $12, $8, $9) RETURNING id),"
             " ct AS (INSERT INTO customer_contacts (customer_id, position, kind, value, label, is_primary)"
             "  SELECT cu.id, e.ord, e.v->>0, e.v->>1, e.v->>2, (e.v->>3)::boolean"
             "  FROM cu, json_array_elements($10::json) WITH ORDINALITY AS e(v, ord)),"
             " tg AS (INSERT INTO customer_tags (customer_id, tag, position)"
             "  SELECT cu.id, g.tag, g.ord FROM cu, json_array_elements_text($11::json) WITH ORDINALITY AS g(tag, ord)"
             "  ON CONFLICT DO NOTHING)"
             " SELECT id FROM cu"},
    [Q_CUSTOMER_GET] = {1, "SELECT " CUSTOMER_COLS " FROM customers t WHERE t.id = $1"},
    /* the row as it was comes in through FROM: a CTE read only in RETURNING runs after the
     * update, when its locking read no longer sees the row (it gave NULL, so every update
     * counted as a rename) */
    [Q_CUSTOMER_UPDATE] =
        {11,
         "WITH old AS (SELECT name AS old_name, org_id AS old_org FROM customers WHERE id = $1"
         "  FOR UPDATE)"
         " UPDATE customers SET name = $3, org_id = $4, owner_id = $5, custom_json = coalesce($6, '{}'),"
         " merged_into = $7, flags = $8, contact_text = $9, tag_text = $11, version = version + 1,"
         " updated_at = $10 FROM old" VERSION_GUARD " RETURNING version, updated_at, old.old_name IS DISTINCT FROM $3,"
         " old.old_org IS DISTINCT FROM $4"},
    /* a customer who moves to another organisation takes their history along, each
     * interaction with a new version */
    [Q_CUSTOMER_REORG] = {3, "UPDATE interactions SET org_id = $2, version = version + 1, updated_at = $3"
                             " WHERE customer_id = $1"},
    /* delete, then insert: two statements, as one statement cannot delete and re-insert
     * the same keys */
    [Q_CUSTOMER_CHILDREN_DELETE] = {1, "WITH d AS (DELETE FROM customer_contacts WHERE customer_id = $1)"
                                       " DELETE FROM customer_tags WHERE customer_id = $1"},
    [Q_CUSTOMER_CHILDREN_INSERT] =
        {3, "WITH ct AS (INSERT INTO customer_contacts (customer_id, position, kind, value, label, is_primary)"
            "  SELECT $1, e.ord, e.v->>0, e.v->>1, e.v->>2, (e.v->>3)::boolean"
            "  FROM json_array_elements($2::json) WITH ORDINALITY AS e(v, ord))"
            " INSERT INTO customer_tags (customer_id, tag, position)"
            " SELECT $1, g.tag, g.ord FROM json_array_elements_text($3::json) WITH ORDINALITY AS g(tag, ord)"
            " ON CONFLICT DO NOTHING"},
    [Q_CUSTOMER_CONTEXT] = {2, "WITH i AS (UPDATE interactions SET context = $2 WHERE customer_id = $1)"
                               " UPDATE notes SET context = $2 WHERE customer_id = $1"},
    /* contacts, tags, notes and interactions go with it (ON DELETE CASCADE) */
    /* its incidents stay but point at none of its messages (as Q_INTERACTION_DELETE's); the
     * customer link is cleared by the foreign key */
    [Q_CUSTOMER_DELETE] = {2,
                           "WITH n AS (UPDATE wellbeing_notifications SET interaction_id = NULL WHERE customer_id = $1"
                           "  AND interaction_id IN (SELECT id FROM interactions WHERE customer_id = $1)"
                           "  AND EXISTS (SELECT 1 FROM customers" VERSION_GUARD "))"
                           " " DELETE_VERSIONED("customers")},
    [Q_CUSTOMER_COUNT] = {0, "SELECT count(*) FROM customers WHERE merged_into IS NULL"},
    /* the predicates of migration 11's partial indexes, so that those are read */
    [Q_EMAIL_IDN_CUSTOMERS] = {2, "SELECT DISTINCT customer_id FROM customer_contacts WHERE kind = 'email'"
                                  " AND strpos(value, 'xn--') > 0 AND customer_id > $1 ORDER BY customer_id LIMIT $2"},
    [Q_EMAIL_IDN_ORGS] = {2, "SELECT id FROM organizations WHERE strpos(email, 'xn--') > 0 AND id > $1"
                             " ORDER BY id LIMIT $2"},
    [Q_EMAIL_IDN_STAFF] = {2, "SELECT id FROM staff WHERE strpos(email, 'xn--') > 0 AND id > $1 ORDER BY id LIMIT $2"},
    /* the tombstones merged into one customer, and those merged into none that is there and
     * live (restore_value_checks' rule): both through the partial index customers_merged */
    [Q_CUSTOMER_TOMBSTONES] = {3, "SELECT id FROM customers WHERE merged_into = $3 AND id > $1 ORDER BY id LIMIT $2"},
    /* the tombstones first, from the partial index customers_merged (a handful), then sorted:
     * with ORDER BY id LIMIT beside the filter, the planner could walk the primary key of
     * every customer looking for the first (at each start: none) */
    [Q_CUSTOMER_DANGLING] = {2,
                             "WITH t AS MATERIALIZED (SELECT id, merged_into FROM customers"
                             " WHERE merged_into IS NOT NULL AND id > $1)"
                             " SELECT t.id FROM t WHERE t.merged_into = t.id OR NOT EXISTS (SELECT 1 FROM customers s"
                             " WHERE s.id = t.merged_into AND s.merged_into IS NULL) ORDER BY t.id LIMIT $2"},
    [Q_CUSTOMER_LOCK2] = {2, "SELECT id, merged_into FROM customers WHERE id IN ($1, $2) ORDER BY id FOR UPDATE"},
    [Q_CUSTOMER_MERGE] =
        {3, "WITH nm AS (SELECT name FROM customers WHERE id = $2),"
            " i AS (UPDATE interactions SET customer_id = $2, context = (SELECT name FROM nm),"
            "  org_id = (SELECT org_id FROM customers WHERE id = $2), version = version + 1,"
            "  updated_at = $3 WHERE customer_id = $1),"
            " n AS (UPDATE notes SET customer_id = $2, context = (SELECT name FROM nm),"
            "  version = version + 1, updated_at = $3 WHERE customer_id = $1),"
            " m AS (UPDATE customers SET merged_into = $2 WHERE merged_into = $1),"
            " w AS (UPDATE wellbeing_notifications SET customer_id = $2 WHERE customer_id = $1)"
            " UPDATE customers SET merged_into = $2, version = version + 1, updated_at = $3 WHERE id = $1"},
    /* custom field definitions */
    [Q_FIELD_INSERT] = {8, "INSERT INTO field_defs (entity, key, label, type, choices_json, required, created_at,"
                           " updated_at) SELECT $1, $2, $3, $4, $5, $6, $7, $8"
                           " WHERE NOT EXISTS (SELECT 1 FROM field_defs WHERE entity = $1 AND key = $2) RETURNING id"},
    [Q_FIELD_GET] = {1, "SELECT " FIELD_COLS " FROM field_defs WHERE id = $1"},
    [Q_FIELD_UPDATE] = {9, "UPDATE field_defs SET entity = $3, key = $4, label = $5, type = $6, choices_json = $7,"
                           " required = $8, version = version + 1, updated_at = $9" VERSION_GUARD
                           " RETURNING version, updated_at"},
    [Q_FIELD_DELETE] = {2, DELETE_VERSIONED("field_defs")},
    [Q_FIELD_LIST] = {1, "SELECT " FIELD_COLS " FROM field_defs WHERE $1::text IS NULL OR entity = $1"
                         " ORDER BY entity COLLATE \"C\", key COLLATE \"C\""},
    /* notes */
    [Q_NOTE_INSERT] = {9, "INSERT INTO notes (customer_id, org_id, author_id, body, created_at, updated_at, context,"
                          " analysis_json, abusive, search_body)"
                          " VALUES ($1, $2, $3, $4, $5, $6, coalesce((SELECT name FROM customers WHERE id = $1),"
                          " (SELECT name FROM organizations WHERE id = $2), ''), $7, $8, $9) RETURNING id"},
    [Q_NOTE_GET] = {1, "SELECT " NOTE_COLS " FROM notes t WHERE t.id = $1"},
    [Q_NOTE_UPDATE] = {7, "UPDATE notes SET body = $3, version = version + 1, updated_at = $4,"
                          " analysis_json = $5, abusive = $6, search_body = $7" VERSION_GUARD
                          " RETURNING version, updated_at"},
    [Q_NOTE_DELETE] = {2, DELETE_VERSIONED("notes")},
    /* $5 > 0: a new version while still at version $6 (store.h) */
    [Q_NOTE_SEARCH_SET] = {6, "UPDATE notes SET analysis_json = $2, abusive = $3, search_body = $4,"
                              " version = version + CASE WHEN $5::bigint > 0 THEN 1 ELSE 0 END,"
                              " updated_at = CASE WHEN $5::bigint > 0 THEN $5 ELSE updated_at END"
                              " WHERE id = $1 AND ($5::bigint = 0 OR version = $6) RETURNING id"},
    /* the predicates of migration 14's partial indexes, so that those are read */
    [Q_UNANALYSED_NOTES] = {2, "SELECT id FROM notes WHERE analysis_json IS NULL AND id > $1 ORDER BY id LIMIT $2"},
    [Q_UNANALYSED_INTERACTIONS] = {2, "SELECT id FROM interactions WHERE direction = 'outbound'"
                                      " AND analysis_json IS NULL AND id > $1 ORDER BY id LIMIT $2"},
    /* interactions */
    [Q_INTERACTION_INSERT] =
        {15, "INSERT INTO interactions (customer_id, org_id, staff_id, kind, direction, channel, summary,"
             " body, analysis_json, abusive, occurred_at, created_at, updated_at, context,"
             " search_summary, search_body)"
             " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13,"
             " coalesce((SELECT name FROM customers WHERE id = $1), ''), $14, $15) RETURNING id"},
    [Q_INTERACTION_GET] = {1, "SELECT " INTERACTION_COLS " FROM interactions t WHERE t.id = $1"},
    [Q_INTERACTION_UPDATE] = {16,
                              "UPDATE interactions SET customer_id = $3, org_id = $4, staff_id = $5, kind = $6,"
                              " context = coalesce((SELECT name FROM customers WHERE id = $3), ''),"
                              " search_summary = $15, search_body = $16,"
                              " direction = $7, channel = $8, summary = $9, body = $10, analysis_json = $11,"
                              " abusive = $12, occurred_at = CASE WHEN $13::bigint = 0 THEN occurred_at ELSE $13 END,"
                              " version = version + 1, updated_at = $14" VERSION_GUARD
                              " RETURNING version, updated_at, occurred_at"},
    /* the incident stays but no longer points at the message (as on SQLite) */
    [Q_INTERACTION_SEARCH_SET] = {7, "UPDATE interactions SET search_summary = $2, search_body = $3,"
                                     " analysis_json = $4, abusive = $5,"
                                     " version = version + CASE WHEN $6::bigint > 0 THEN 1 ELSE 0 END,"
                                     " updated_at = CASE WHEN $6::bigint > 0 THEN $6 ELSE updated_at END"
                                     " WHERE id = $1 AND ($6::bigint = 0 OR version = $7) RETURNING id"},
    [Q_INTERACTION_DELETE] =
        {2, "WITH n AS (UPDATE wellbeing_notifications SET interaction_id = NULL WHERE interaction_id = $1"
            "  AND EXISTS (SELECT 1 FROM interactions" VERSION_GUARD "))"
            " DELETE FROM interactions" VERSION_GUARD " RETURNING id"},
    /* only the custom values (store_custom_set): no search vector reads them */
    [Q_CUSTOMER_CUSTOM_SET] =
        {4, "UPDATE customers SET custom_json = $3, version = version + 1, updated_at = $4" VERSION_GUARD
            " RETURNING version, updated_at"},
    [Q_ORG_CUSTOM_SET] =
        {4, "UPDATE organizations SET custom_json = $3, version = version + 1, updated_at = $4" VERSION_GUARD
            " RETURNING version, updated_at"},
    /* search, audit log, idempotency keys */
    [Q_SEARCH] = {3, SEARCH_SQL},
    /* would $1 find a document whose only text is $2 (the same vector as the tables') */
    [Q_SEARCH_TEXT_MATCHES] = {2, SEARCH_AQ_CTE " SELECT coalesce((SELECT kp_words($2) @@ aq"
                                                " FROM b), false)::int"},
    [Q_AUDIT_INSERT] = {8, "INSERT INTO audit_log (at, actor_id, actor, action, entity, entity_id, request_id,"
                           " changes_json) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id"},
    /* a set of entries from arrays, in their order (ORDER BY n: identities are given in that
     * order, so the ids returned, sorted, are the entries' in turn) */
    [Q_AUDIT_INSERT_SET] = {8, "INSERT INTO audit_log (at, actor_id, actor, action, entity, entity_id, request_id,"
                               " changes_json) SELECT at, actor_id, actor, action, entity, entity_id, request_id, j"
                               " FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[],"
                               " $6::bigint[], $7::text[], $8::text[]) WITH ORDINALITY"
                               " AS r(at, actor_id, actor, action, entity, entity_id, request_id, j, n)"
                               " ORDER BY n RETURNING id"},
    /* the rows of the ids found by the index audit_log_entity first (MATERIALIZED: never a
     * walk of the whole log in id order that the LIMIT could tempt the planner into), then
     * sorted */
    [Q_AUDIT_UNREDACTED] = {4, "WITH m AS MATERIALIZED (SELECT " AUDIT_COLS " FROM audit_log WHERE entity = $1"
                               " AND entity_id = ANY($2::bigint[]) AND redacted_at IS NULL AND id > $3)"
                               " SELECT * FROM m ORDER BY id LIMIT $4"},
    /* the trigger audit_log_guard (migration 12) lets exactly this change through */
    [Q_AUDIT_REDACT_SET] = {3, "WITH u AS (UPDATE audit_log a SET changes_json = r.j, redacted_at = $3"
                               " FROM unnest($1::bigint[], $2::text[]) AS r(id, j)"
                               " WHERE a.id = r.id AND a.redacted_at IS NULL RETURNING 1) SELECT count(*) FROM u"},
    [Q_IDEM_GET] = {2, "SELECT " IDEM_COLS " FROM idempotency_keys WHERE staff_id = $1 AND key = $2"},
    [Q_IDEM_PUT] = {8, "INSERT INTO idempotency_keys (staff_id, key, fingerprint, status, location, body,"
                       " created_at, subject) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"},
    [Q_IDEM_PURGE] = {1, "DELETE FROM idempotency_keys WHERE created_at < $1"},
};

/* ---- running statements ------------------------------------------------------------------- */

/* KP_EINTERNAL unless p holds as many parameters as statement id takes (a bug here). */
static int check_nparams(enum stmt id, const struct pg_params *p, struct kp_err *err)
{
	int n = p ? p->n : 0;
	if (n != stmts[id].nparams)
		return kp_err_set(err, KP_EINTERNAL, "postgres: statement %d takes %d parameters, not %d", (int)id,
				  stmts[id].nparams, n);
	return 0;
}

/* Run fixed statement id with the parameters p (NULL: none). fk_status is the status for a
 * foreign-key violation (see pg_int.h). res NULL: the result is dropped; otherwise on
 * success *res holds it (the caller PQclear()s it) and on failure *res is NULL. */
static int q_exec(struct pg_conn *pc, enum stmt id, const struct pg_params *p, PGresult **res, int fk_status,
		  struct kp_err *err)
{
	PGresult *r = NULL;
	int rc = check_nparams(id, p, err);
	if (rc == 0)
		rc = store_pg_exec(pc, (int)id, stmts[id].sql, p, &r, fk_status, err);
	if (res)
		*res = r;
	else
		PQclear(r);
	return rc;
}

/* Run id and read the first column of its first row into *out (RETURNING id, count(*)). */
static int q_int(struct pg_conn *pc, enum stmt id, const struct pg_params *p, int fk_status, int64_t *out,
		 struct kp_err *err)
{
	int rc = check_nparams(id, p, err);
	return rc ? rc : store_pg_first_i64(pc, (int)id, stmts[id].sql, p, fk_status, out, err);
}

/* Run a lookup and decode its first row into out; KP_ENOTFOUND "<what> not found" when it
 * found none (out is then untouched). */
static int q_get(struct pg_conn *pc, enum stmt id, const struct pg_params *p, const char *what,
		 PG_ROW_DECODER(decode), void *out, struct arena *a, struct kp_err *err)
{
	PGresult *r;
	int rc = q_exec(pc, id, p, &r, KP_ESTORE, err);
	if (rc != 0)
		return rc;
	if (PQntuples(r) == 0)
		rc = not_found(err, what);
	else
		rc = decode(a, r, 0, out, err);
	PQclear(r);
	return rc;
}

/* Run an UPDATE/DELETE; KP_ENOTFOUND "<what> not found" when it changed no row. */
static int q_touch(struct pg_conn *pc, enum stmt id, const struct pg_params *p, const char *what,
		   struct kp_err *err)
{
	PGresult *r;
	int rc = q_exec(pc, id, p, &r, KP_ESTORE, err);
	if (rc != 0)
		return rc;
	if (strcmp(PQcmdTuples(r), "0") == 0)
		rc = not_found(err, what);
	PQclear(r);
	return rc;
}

/* ---- entities: keyset sort columns and the version check ------------------------------- */

/* Keyset pagination, as the SQLite backend does it: pg->sort picks a column from the
 * list's table of sortable columns (NULL: that list cannot be sorted that way ->
 * KP_EINVAL), pg->desc the direction, t.id breaks ties. The key comes from pg->after_key
 * or, when the caller gave only after_id, from that row itself. Names sort by kp_name_key()
 * (pg_migrations.c: Finnish alphabetical order in byte order), so a cursor's key is the last
 * item's name as returned. */
struct sort_col {
	const char *expr;    /* over the list's row alias t */
	const char *keyexpr; /* the same over "k" (the after_id row) */
	int numeric;
};

static const struct sort_col SORT_ID = { "t.id", "k.id", 1 };
static const struct sort_col SORT_NAME = { "kp_name_key(t.name) COLLATE \"C\"", "kp_name_key(k.name) COLLATE \"C\"", 0 };
static const struct sort_col SORT_CREATED = { "t.created_at", "k.created_at", 1 };
static const struct sort_col SORT_UPDATED = { "t.updated_at", "k.updated_at", 1 };
static const struct sort_col SORT_OCCURRED = { "t.occurred_at", "k.occurred_at", 1 };

/* sortable columns by enum store_sort */
static const struct sort_col *const named_sorts[5] = { &SORT_ID, &SORT_NAME, &SORT_CREATED, &SORT_UPDATED, NULL };
static const struct sort_col *const note_sorts[5] = { &SORT_ID, NULL, &SORT_CREATED, &SORT_UPDATED, &SORT_CREATED };
static const struct sort_col *const interaction_sorts[5] = { &SORT_ID, NULL, &SORT_CREATED, &SORT_UPDATED,
							       &SORT_OCCURRED };

/* A table of versioned records: what the version check and the keyset pages need of it. */
struct pg_entity {
	const char *what;                     /* in messages: "customer 7 not found" */
	const char *table;                    /* the keyset's after_id row comes from here */
	const char *exists_sql;               /* "SELECT 1 FROM <table> WHERE id = $1" */
	const struct sort_col *const *sorts;  /* [5], by enum store_sort; NULL: no paged list */
};

#define PG_ENTITY(what, table, sorts) { what, table, "SELECT 1 FROM " table " WHERE id = $1", sorts }

static const struct pg_entity E_STAFF = PG_ENTITY("staff member", "staff", named_sorts);
static const struct pg_entity E_ORG = PG_ENTITY("organization", "organizations", named_sorts);
static const struct pg_entity E_CUSTOMER = PG_ENTITY("customer", "customers", named_sorts);
static const struct pg_entity E_FIELD = PG_ENTITY("field", "field_defs", NULL);
static const struct pg_entity E_NOTE = PG_ENTITY("note", "notes", note_sorts);
static const struct pg_entity E_INTERACTION = PG_ENTITY("interaction", "interactions", interaction_sorts);

/* After an UPDATE/DELETE guarded by "id = $1 AND version matches" touched no row: does the
 * row exist at all (-> KP_EPRECONDITION) or not (-> KP_ENOTFOUND)? */
static int missing_or_stale(struct pg_conn *pc, const struct pg_entity *e, int64_t id, struct kp_err *err)
{
	struct pg_params p;
	PGresult *r = NULL;
	int rc = store_pg_exec(pc, -1, e->exists_sql, one_i64(&p, id), &r, KP_ESTORE, err);
	if (rc != 0)
		return rc;
	int exists = PQntuples(r) > 0;
	PQclear(r);
	if (exists)
		return kp_err_set(err, KP_EPRECONDITION, "%s %lld has another version", e->what, (long long)id);
	return kp_err_set(err, KP_ENOTFOUND, "%s %lld not found", e->what, (long long)id);
}

/* Run a versioned UPDATE/DELETE of record id of e (the statement's WHERE is VERSION_GUARD
 * and it RETURNs something). No row: missing_or_stale() says KP_EPRECONDITION or
 * KP_ENOTFOUND. On success *res (res not NULL) holds the RETURNING row, caller PQclear()s. */
static int q_versioned(struct pg_conn *pc, enum stmt sid, const struct pg_params *p, int fk_status,
		       const struct pg_entity *e, int64_t id, PGresult **res, struct kp_err *err)
{
	PGresult *r;
	if (res)
		*res = NULL;
	int rc = q_exec(pc, sid, p, &r, fk_status, err);
	if (rc != 0)
		return rc;
	if (PQntuples(r) == 0) {
		PQclear(r);
		return missing_or_stale(pc, e, id, err);
	}
	if (res)
		*res = r;
	else
		PQclear(r);
	return 0;
}

/* $1 = id, $2 = expected version: the start of every versioned UPDATE/DELETE's parameters. */
static void versioned_params(struct pg_params *p, int64_t id, int64_t expected_version)
{
	one_i64(p, id);
	store_pg_p_i64(p, expected_version);
}

/* A versioned update RETURNING "version, updated_at[, a third bigint]": on success sets
 * *version, *updated_at and, when third is not NULL, *third. */
static int q_update(struct pg_conn *pc, enum stmt sid, const struct pg_params *p, const struct pg_entity *e,
		    int64_t id, int64_t *version, int64_t *updated_at, int64_t *third, struct kp_err *err)
{
	PGresult *r;
	int rc = q_versioned(pc, sid, p, KP_ENOTFOUND, e, id, &r, err);
	if (rc != 0)
		return rc;
	*version = store_pg_i64(r, 0, 0);
	*updated_at = store_pg_i64(r, 0, 1);
	if (third)
		*third = store_pg_i64(r, 0, 2);
	PQclear(r);
	return 0;
}

/* Timestamps of a new record: created_at is now unless the caller chose one, updated_at is
 * created_at unless the caller chose one. */
struct stamps {
	int64_t created, updated;
};

static struct stamps new_stamps(int64_t created_at, int64_t updated_at)
{
	int64_t created = or_now(created_at);
	return (struct stamps){ created, updated_at ? updated_at : created };
}

/* The four fields q_insert() sets, of a record x (struct staff, customer, ...). */
#define NEW_RECORD(x) &(x)->id, &(x)->version, &(x)->created_at, &(x)->updated_at

/* Run an INSERT ... RETURNING id of a versioned record (a missing referenced row is
 * KP_ENOTFOUND); on success set its id, version (1), created_at and updated_at (from st). */
static int q_insert(struct pg_conn *pc, enum stmt sid, const struct pg_params *p, struct stamps st, int64_t *id,
		    int64_t *version, int64_t *created_at, int64_t *updated_at, struct kp_err *err)
{
	int64_t new_id;
	int rc = q_int(pc, sid, p, KP_ENOTFOUND, &new_id, err);
	if (rc != 0)
		return rc;
	*id = new_id;
	*version = 1;
	*created_at = st.created;
	*updated_at = st.updated;
	return 0;
}

/* q_insert for a statement that returns no row for a duplicate (Q_STAFF_INSERT): KP_ECONFLICT
 * "<what> exists" then, as the unique violation would say. */
static int q_insert_unique(struct pg_conn *pc, enum stmt sid, const struct pg_params *p, struct stamps st,
			   const char *what, int64_t *id, int64_t *version, int64_t *created_at, int64_t *updated_at,
			   struct kp_err *err)
{
	PGresult *r;
	int rc = q_exec(pc, sid, p, &r, KP_ESTORE, err);
	if (rc != 0)
		return rc;
	int got = PQntuples(r) == 1;
	int64_t new_id = got ? store_pg_i64(r, 0, 0) : 0;
	PQclear(r);
	if (!got)
		return kp_err_set(err, KP_ECONFLICT, "%s exists", what);
	*id = new_id;
	*version = 1;
	*created_at = st.created;
	*updated_at = st.updated;
	return 0;
}

/* DELETE_VERSIONED(e's table): a 23503 means others still reference it (KP_ECONFLICT). */
static int q_delete(struct store_conn *c, enum stmt sid, const struct pg_entity *e, int64_t id,
		    int64_t expected_version, struct kp_err *err)
{
	struct pg_params p;
	versioned_params(&p, id, expected_version);
	return q_versioned(PC(c), sid, &p, KP_ECONFLICT, e, id, NULL, err);
}

/* After a rename: the context (owner's name) the search vectors of its timeline carry. */
static int set_context(struct pg_conn *pc, enum stmt sid, int64_t id, const char *name, struct kp_err *err)
{
	struct pg_params p;
	one_i64(&p, id);
	store_pg_p_str(&p, name ? name : "");
	return q_exec(pc, sid, &p, NULL, KP_ESTORE, err);
}

/* ---- list queries --------------------------------------------------------------------------- */

/*
 * A list query being assembled from fixed fragments: its SQL, its parameters, and whether
 * an append overflowed (reported once, when it runs, as KP_EINTERNAL "query too long").
 * q_i64/q_str append pre, a placeholder for the value, then post: q_i64(&q, " AND
 * t.org_id = ", 7, "") adds " AND t.org_id = $3". q_rows() or q_page() runs it and
 * releases it.
 */
struct pg_query {
	struct buf sql;
	struct pg_params p;
	int bad;
};

static void q_init(struct pg_query *q, const char *select)
{
	q->sql = (struct buf)BUF_INIT(SQL_MAX);
	store_pg_params_init(&q->p);
	q->bad = buf_adds(&q->sql, select) < 0;
}

static void q_add(struct pg_query *q, const char *s)
{
	q->bad |= buf_adds(&q->sql, s) < 0;
}

static void q_i64(struct pg_query *q, const char *pre, int64_t v, const char *post)
{
	store_pg_p_i64(&q->p, v);
	q->bad |= buf_addf(&q->sql, "%s$%d%s", pre, q->p.n, post) < 0;
}

static void q_str(struct pg_query *q, const char *pre, const char *s, const char *post)
{
	store_pg_p_str(&q->p, s);
	q->bad |= buf_addf(&q->sql, "%s$%d%s", pre, q->p.n, post) < 0;
}

/* The custom field filters (store.h struct custom_match) on t.custom_json, as SQLite's
 * json_type()/json_extract() test them: the JSON type must agree, strings compare as bytes,
 * numbers as doubles (inside a CASE, so that no other type is ever cast). Strings in tmp. */
static void q_custom(struct pg_query *q, struct arena *tmp, const struct custom_match *m, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (m[i].type == CUSTOM_MATCH_STRING) {
			q_str(q, " AND (t.custom_json::jsonb -> ", m[i].key, "::text)");
			q_str(q, " = to_jsonb(", m[i].str, "::text)");
		} else if (m[i].type == CUSTOM_MATCH_PRESENT) {
			q_str(q, " AND (t.custom_json::jsonb ? ", m[i].key, "::text)");
		} else if (m[i].type == CUSTOM_MATCH_BOOL) {
			q_str(q, " AND (t.custom_json::jsonb -> ", m[i].key, "::text)");
			q_add(q, m[i].yes ? " = 'true'::jsonb" : " = 'false'::jsonb");
		} else {
			q_str(q, " AND CASE WHEN jsonb_typeof(t.custom_json::jsonb -> ", m[i].key, "::text) = 'number'");
			q_str(q, " THEN (t.custom_json::jsonb ->> ", m[i].key, "::text)::float8 END");
			q_str(q, " = ", arena_printf(tmp, "%.17g", m[i].num), "::float8");
		}
	}
}

/* "prefix%" for LIKE, with \ % _ escaped; from the arena. */
static const char *like_prefix(struct arena *a, const char *s)
{
	size_t n = strlen(s);
	char *o = arena_alloc(a, 2 * n + 2), *q = o;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\' || s[i] == '%' || s[i] == '_')
			*q++ = '\\';
		*q++ = s[i];
	}
	*q++ = '%';
	*q = '\0';
	return o;
}

/* Names starting with prefix, keyed as the name sort is (kp_name_key; the pattern is in tmp). */
static void q_name_prefix(struct pg_query *q, struct arena *tmp, const char *prefix)
{
	if (prefix && *prefix)
		q_str(q, " AND kp_name_key(t.name) COLLATE \"C\" LIKE kp_name_key(", like_prefix(tmp, prefix),
		      "::text) COLLATE \"C\"");
}

/* Run fixed statement id and decode its rows (limit as store_pg_decode_rows). */
static int q_list(struct pg_conn *pc, enum stmt id, const struct pg_params *p, int limit, PG_ROW_DECODER(decode),
		  size_t size, struct pg_rows *out, struct arena *a, struct kp_err *err)
{
	memset(out, 0, sizeof(*out));
	int rc = check_nparams(id, p, err);
	return rc ? rc : store_pg_rows(pc, (int)id, stmts[id].sql, p, limit, decode, size, out, a, err);
}

/* Run the assembled query q (unprepared), decode up to limit rows, release q. */
static int q_rows(struct pg_conn *pc, struct pg_query *q, int limit, PG_ROW_DECODER(decode), size_t size,
		  struct pg_rows *out, struct arena *a, struct kp_err *err)
{
	int rc;
	memset(out, 0, sizeof(*out));
	if (q->bad)
		rc = kp_err_set(err, KP_EINTERNAL, "query too long");
	else
		rc = store_pg_rows(pc, -1, q->sql.ptr, &q->p, limit, decode, size, out, a, err);
	buf_release(&q->sql);
	return rc;
}

#define PAGE_LIMIT_MAX 1000

static int page_limit(const struct store_page *pg)
{
	int limit = pg && pg->limit > 0 ? pg->limit : 50;
	return limit > PAGE_LIMIT_MAX ? PAGE_LIMIT_MAX : limit;
}

/* The keyset clause, ORDER BY and LIMIT (one row more than the page, to tell "more") for
 * page pg over e's table. */
static int add_keyset(struct pg_query *q, const struct store_page *pg, const struct pg_entity *e,
		      struct kp_err *err)
{
	int sort = pg ? pg->sort : STORE_SORT_ID;
	if (sort < 0 || sort > 4 || !e->sorts[sort])
		return kp_err_set(err, KP_EINVAL, "this list cannot be sorted that way");
	const struct sort_col *sc = e->sorts[sort];
	struct buf *sql = &q->sql;
	struct pg_params *p = &q->p;
	int desc = pg ? pg->desc : 0;
	const char *cmp = desc ? "<" : ">";
	int bad = 0;
	if (pg && pg->has_after) {
		if (sort == STORE_SORT_ID) {
			store_pg_p_i64(p, pg->after_id);
			bad |= buf_addf(sql, " AND t.id %s $%d", cmp, p->n);
		} else if (pg->after_key) {
			if (sc->numeric) {
				char *end;
				errno = 0;
				long long v = strtoll(pg->after_key, &end, 10);
				if (errno || end == pg->after_key || *end)
					return kp_err_set(err, KP_EINVAL, "cursor sort key is not a number");
				store_pg_p_i64(p, v);
				bad |= buf_addf(sql, " AND (%s, t.id) %s ($%d::bigint", sc->expr, cmp, p->n);
			} else {
				store_pg_p_str(p, pg->after_key);
				bad |= buf_addf(sql, " AND (%s, t.id) %s (kp_name_key($%d::text) COLLATE \"C\"", sc->expr, cmp,
						p->n);
			}
			store_pg_p_i64(p, pg->after_id);
			bad |= buf_addf(sql, ", $%d::bigint)", p->n);
		} else {
			store_pg_p_i64(p, pg->after_id);
			bad |= buf_addf(sql, " AND (%s, t.id) %s (SELECT %s, k.id FROM %s k WHERE k.id = $%d)", sc->expr,
					cmp, sc->keyexpr, e->table, p->n);
		}
	}
	store_pg_p_i64(p, (int64_t)page_limit(pg) + 1);
	const char *dir = desc ? "DESC" : "ASC";
	if (sort == STORE_SORT_ID)
		bad |= buf_addf(sql, " ORDER BY t.id %s LIMIT $%d", dir, p->n);
	else
		bad |= buf_addf(sql, " ORDER BY %s %s, t.id %s LIMIT $%d", sc->expr, dir, dir, p->n);
	return bad ? kp_err_set(err, KP_EINTERNAL, "query too long") : 0;
}

/* Finish q as page pg of e (add_keyset), run it, decode the page into out; releases q.
 * The filters' overflow is reported before a bad sort order, as it always was. */
static int q_page(struct pg_conn *pc, struct pg_query *q, const struct store_page *pg, const struct pg_entity *e,
		  PG_ROW_DECODER(decode), size_t size, struct pg_rows *out, struct arena *a, struct kp_err *err)
{
	int rc = 0;
	memset(out, 0, sizeof(*out));
	if (q->bad)
		rc = kp_err_set(err, KP_EINTERNAL, "query too long");
	else
		rc = add_keyset(q, pg, e, err);
	if (rc != 0) {
		buf_release(&q->sql);
		return rc;
	}
	return q_rows(pc, q, page_limit(pg), decode, size, out, a, err);
}

/* ---- staff --------------------------------------------------------------------------- */

static int pg_staff_insert(struct store_conn *c, struct staff *st, struct kp_err *err)
{
	struct pg_params p;
	store_pg_params_init(&p);
	struct stamps ts = new_stamps(st->created_at, st->updated_at);
	store_pg_p_str(&p, st->email);
	store_pg_p_str(&p, st->name);
	store_pg_p_i64(&p, st->role);
	store_pg_p_str(&p, st->team);
	store_pg_p_str(&p, st->pw_hash);
	store_pg_p_bool(&p, st->active);
	store_pg_p_i64(&p, ts.created);
	store_pg_p_i64(&p, ts.updated);
	store_pg_p_bool(&p, st->must_change_pw);
	return q_insert_unique(PC(c), Q_STAFF_INSERT, &p, ts, "a staff member with this e-mail", NEW_RECORD(st), err);
}

static int pg_staff_get(struct store_conn *c, int64_t id, struct staff *out, struct arena *a, struct kp_err *err)
{
	struct pg_params p;
	return q_get(PC(c), Q_STAFF_GET, one_i64(&p, id), "staff member", read_staff, out, a, err);
}

static int pg_staff_get_by_email(struct store_conn *c, const char *email, struct staff *out, struct arena *a,
				 struct kp_err *err)
{
	struct pg_params p;
	return q_get(PC(c), Q_STAFF_GET_EMAIL, one_str(&p, email), "staff member", read_staff, out, a, err);
}

static int pg_staff_update(struct store_conn *c, struct staff *st, int64_t expected_version, struct kp_err *err)
{
	struct pg_params p;
	versioned_params(&p, st->id, expected_version);
	store_pg_p_str(&p, st->email);
	store_pg_p_str(&p, st->name);
	store_pg_p_i64(&p, st->role);
	store_pg_p_str(&p, st->team);
	store_pg_p_str(&p, st->pw_hash);
	store_pg_p_bool(&p, st->active);
	store_pg_p_i64(&p, time_now_ms());
	store_pg_p_bool(&p, st->must_change_pw);
	return q_update(PC(c), Q_STAFF_UPDATE, &p, &E_STAFF, st->id, &st->version, &st->updated_at, NULL,
			err);
}

static int pg_staff_list(struct store_conn *c, const struct staff_filter *f, const struct store_page *pg,
                         struct staff_list *out, struct arena *a, struct kp_err *err)
{
	struct pg_query q;
	struct pg_rows rows;
	q_init(&q, "SELECT " STAFF_COLS " FROM staff t WHERE true");
	if (f && f->updated_after)
		q_i64(&q, " AND t.updated_at > ", f->updated_after, "");
	int rc = q_page(PC(c), &q, pg, &E_STAFF, read_staff, sizeof(*out->items), &rows, a, err);
	PG_TAKE_ROWS(out, rows);
	return rc;
}

static int pg_staff_count(struct store_conn *c, int64_t *n, struct kp_err *err)
{
	return q_int(PC(c), Q_STAFF_COUNT, NULL, KP_ESTORE, n, err);
}

static int pg_staff_active_admins(struct store_conn *c, int64_t except_id, int64_t *n, struct kp_err *err)
{
	struct pg_params p;
	one_i64(&p, ROLE_ADMIN);
	store_pg_p_i64(&p, except_id);
	return q_int(PC(c), Q_STAFF_ACTIVE_ADMINS, &p, KP_ESTORE, n, err);
}

/* ---- api tokens ---------------------------------------------------------------------- */

static int pg_token_insert(struct store_conn *c, struct api_token *t, struct kp_err *err)
{
	struct pg_params p;
	store_pg_params_init(&p);
	int64_t created = or_now(t->created_at), id;
	store_pg_p_i64(&p, t->staff_id);
	store_pg_p_str(&p, t->label);
	store_pg_p_str(&p, t->token_hash);
	store_pg_p_i64(&p, created);
	store_pg_p_i64(&p, t->last_used_at);
	store_pg_p_i64(&p, t->revoked_at);
	int rc = q_int(PC(c), Q_TOKEN_INSERT, &p, KP_ENOTFOUND, &id, err);
	if (rc != 0)
		return rc;
	t->id = id;
	t->created_at = created;
	return 0;
}

static int pg_token_get_by_hash(struct store_conn *c, const char *hash, struct api_token *out, struct arena *a,
				struct kp_err *err)
{
	struct pg_params p;
	return q_get(PC(c), Q_TOKEN_GET_HASH, one_str(&p, hash), "token", read_token, out, a, err);
}

static int pg_token_list(struct store_conn *c, int64_t staff_id, struct token_list *out, struct arena *a,
			 struct kp_err *err)
{
	struct pg_params p;
	struct pg_rows rows;
	int rc = q_list(PC(c), Q_TOKEN_LIST, one_i64(&p, staff_id), -1, read_token, sizeof(*out->items), &rows, a,
			err);
	PG_TAKE_ROWS(out, rows);
	return rc;
}

/* Revokes the token (staff_id 0: whoever owns it). Revoking a revoked token keeps the first
 * revocation time and succeeds; KP_ENOTFOUND when no such token (of that staff member). */
static int pg_token_revoke(struct store_conn *c, int64_t id, int64_t staff_id, struct kp_err *err)
{
	struct pg_params p;
	one_i64(&p, id);
	store_pg_p_i64(&p, staff_id);
	store_pg_p_i64(&p, time_now_ms());
	return q_touch(PC(c), Q_TOKEN_REVOKE, &p, "token", err);
}

static int pg_token_touch(struct store_conn *c, int64_t id, int64_t at, struct kp_err *err)
{
	struct pg_params p;
	one_i64(&p, id);
	store_pg_p_i64(&p, or_now(at));
	return q_touch(PC(c), Q_TOKEN_TOUCH, &p, "token", err);
}

/* ---- sessions ------------------------------------------------------------------------ */

static int pg_session_insert(struct store_conn *c, const struct session *se, struct kp_err *err)
{
	struct pg_params p;
	one_str(&p, se->id_hash);
	store_pg_p_i64(&p, se->staff_id);
	store_pg_p_str(&p, se->csrf);
	store_pg_p_i64(&p, or_now(se->created_at));
	store_pg_p_i64(&p, se->expires_at);
	return q_exec(PC(c), Q_SESSION_INSERT, &p, NULL, KP_ENOTFOUND, err);
}

static int pg_session_get(struct store_conn *c, const char *id_hash, struct session *out, struct arena *a,
			  struct kp_err *err)
{
	struct pg_params p;
	return q_get(PC(c), Q_SESSION_GET, one_str(&p, id_hash), "session", read_session, out, a, err);
}

static int pg_session_delete(struct store_conn *c, const char *id_hash, struct kp_err *err)
{
	struct pg_params p;
	return q_touch(PC(c), Q_SESSION_DELETE, one_str(&p, id_hash), "session", err);
}

static int pg_session_delete_for_staff(struct store_conn *c, int64_t staff_id, const char *keep_id_hash,
				       struct kp_err *err)
{
	struct pg_params p;
	one_i64(&p, staff_id);
	store_pg_p_str(&p, keep_id_hash);
	return q_exec(PC(c), Q_SESSION_DELETE_STAFF, &p, NULL, KP_ESTORE, err);
}

/* ---- organisations -------------------------------------------------------------------- */

static int org_write_tags(struct pg_conn *pc, int64_t id, const struct organization *o, int replace,
			  struct kp_err *err)
{
	struct buf tags = BUF_INIT(JSON_PARAM_MAX);
	struct pg_params p;
	int rc = json_str_array(&tags, o->tags, o->ntags, err);
	if (rc != 0)
		goto out;
	one_i64(&p, id);
	if (replace) {
		rc = q_exec(pc, Q_ORG_TAGS_DELETE, &p, NULL, KP_ESTORE, err);
		if (rc != 0)
			goto out;
	}
	if (o->ntags == 0)
		goto out;
	store_pg_p_str(&p, tags.ptr);
	rc = q_exec(pc, Q_ORG_TAGS_INSERT, &p, NULL, KP_ESTORE, err);
out:
	buf_release(&tags);
	return rc;
}

/* The columns an insert and an update of an organisation both set, in this order. */
static void org_params(struct pg_params *p, const struct organization *o)
{
	store_pg_p_str(p, o->name);
	store_pg_p_str(p, o->business_id);
	store_pg_p_str(p, o->website);
	store_pg_p_str(p, o->phone);
	store_pg_p_str(p, o->email);
	store_pg_p_str(p, o->address_json);
	store_pg_p_id(p, o->owner_id);
	store_pg_p_str(p, o->custom_json);
}

static int pg_org_insert(struct store_conn *c, struct organization *o, struct kp_err *err)
{
	struct pg_conn *pc = PC(c);
	struct pg_params p;
	int opened = 0;
	struct stamps ts = new_stamps(o->created_at, o->updated_at);
	int64_t id;
	struct buf tagtext = BUF_INIT(JSON_PARAM_MAX);
	int rc = tag_text(o->tags, o->ntags, &tagtext, err);
	if (rc != 0)
		return rc;
	rc = store_pg_atomic_begin(pc, &opened, err);
	if (rc != 0)
		goto out;
	store_pg_params_init(&p);
	org_params(&p, o);
	store_pg_p_i64(&p, ts.created);
	store_pg_p_i64(&p, ts.updated);
	store_pg_p_str(&p, tagtext.ptr);
	rc = q_int(pc, Q_ORG_INSERT, &p, KP_ENOTFOUND, &id, err);
	if (rc != 0)
		goto out;
	rc = org_write_tags(pc, id, o, 0, err);
	if (rc != 0)
		goto out;
	o->id = id;
	o->version = 1;
	o->created_at = ts.created;
	o->updated_at = ts.updated;
out:
	buf_release(&tagtext);
	return store_pg_atomic_end(pc, opened, rc, err);
}

static int pg_org_get(struct store_conn *c, int64_t id, struct organization *out, struct arena *a, struct kp_err *err)
{
	struct pg_params p;
	return q_get(PC(c), Q_ORG_GET, one_i64(&p, id), "organization", read_org, out, a, err);
}

static int pg_org_update(struct store_conn *c, struct organization *o, int64_t expected_version, struct kp_err *err)
{
	struct pg_conn *pc = PC(c);
	struct pg_params p;
	PGresult *r = NULL;
	int opened = 0;
	struct buf tagtext = BUF_INIT(JSON_PARAM_MAX);
	int rc = tag_text(o->tags, o->ntags, &tagtext, err);
	if (rc != 0)
		return rc;
	rc = store_pg_atomic_begin(pc, &opened, err);
	if (rc != 0)
		goto out;
	versioned_params(&p, o->id, expected_version);
	org_params(&p, o);
	store_pg_p_i64(&p, time_now_ms());
	store_pg_p_str(&p, tagtext.ptr);
	rc = q_versioned(pc, Q_ORG_UPDATE, &p, KP_ENOTFOUND, &E_ORG, o->id, &r, err);
	if (rc != 0)
		goto out;
	int64_t version = store_pg_i64(r, 0, 0), updated = store_pg_i64(r, 0, 1);
	int renamed = store_pg_bool(r, 0, 2);
	rc = org_write_tags(pc, o->id, o, 1, err);
	if (rc == 0 && renamed)
		rc = set_context(pc, Q_ORG_CONTEXT, o->id, o->name, err);
	if (rc != 0)
		goto out;
	o->version = version;
	o->updated_at = updated;
out:
	PQclear(r);
	buf_release(&tagtext);
	return store_pg_atomic_end(pc, opened, rc, err);
}

static int pg_org_delete(struct store_conn *c, int64_t id, int64_t expected_version, struct kp_err *err)
{
	struct pg_params p;
	versioned_params(&p, id, expected_version);
	store_pg_p_i64(&p, time_now_ms());
	return q_versioned(PC(c), Q_ORG_DELETE, &p, KP_ECONFLICT, &E_ORG, id, NULL, err);
}

static int pg_org_list(struct store_conn *c, const struct org_filter *f, const struct store_page *pg,
		       struct org_list *out, struct arena *a, struct kp_err *err)
{
	struct pg_query q;
	struct pg_rows rows;
	struct arena tmp = ARENA_INIT;
	q_init(&q, "SELECT " ORG_COLS " FROM organizations t WHERE true");
	if (f) {
		q_name_prefix(&q, &tmp, f->name_prefix);
		if (f->tag)
			q_str(&q, " AND EXISTS (SELECT 1 FROM org_tags g WHERE g.org_id = t.id AND g.tag = ", f->tag, ")");
		if (f->business_id)
			q_str(&q, " AND t.business_id = ", f->business_id, "");
		if (f->phone)
			q_str(&q, " AND t.phone = ", f->phone, "");
		if (f->owner_id)
			q_i64(&q, " AND t.owner_id = ", f->owner_id, "");
		if (f->updated_after)
			q_i64(&q, " AND t.updated_at > ", f->updated_after, "");
		q_custom(&q, &tmp, f->custom, f->ncustom);
	}
	int rc = q_page(PC(c), &q, pg, &E_ORG, read_org, sizeof(*out->items), &rows, a, err);
	PG_TAKE_ROWS(out, rows);
	arena_release(&tmp);
	return rc;
}

/* ---- customers ----------------------------------------------------------------------- */

/* The customer's children as JSON parameters, and the texts the search vector gets: text
 * (the e-mails and addresses, in their order; phones are found by the phone filter) and
 * tagtext. */
struct customer_json {
	struct buf contacts, tags, text, tagtext;
};

static void customer_json_release(struct customer_json *j)
{
	buf_release(&j->contacts);
	buf_release(&j->tags);
	buf_release(&j->text);
	buf_release(&j->tagtext);
}

/* An address's street, postal code and city (its JSON text, model.h), each after a space
 * when out has text already, as kp_address_text() gives them (pg_migrations.c, migration 10,
 * which fills the rows written before). Nothing for a text that is no JSON object. */
static int address_text(const char *json, struct buf *out)
{
	static const char *const keys[] = {"street", "postal_code", "city"};
	json_t *o = json_loads(json, JSON_DECODE_ANY, NULL);
	int bad = 0;
	for (size_t k = 0; json_is_object(o) && k < sizeof keys / sizeof keys[0]; k++) {
		const char *v = json_string_value(json_object_get(o, keys[k]));
		if (!v || !*v)
			continue;
		if (out->len)
			bad |= buf_addc(out, ' ');
		bad |= buf_adds(out, v);
	}
	json_decref(o);
	return bad;
}

static int customer_children(const struct customer *cu, struct customer_json *j, struct kp_err *err)
{
	*j = (struct customer_json){ BUF_INIT(JSON_PARAM_MAX), BUF_INIT(JSON_PARAM_MAX), BUF_INIT(JSON_PARAM_MAX),
				     BUF_INIT(JSON_PARAM_MAX) };
	struct buf *contacts = &j->contacts, *text = &j->text;
	int bad = buf_addc(contacts, '[');
	for (size_t i = 0; i < cu->ncontacts && !bad; i++) {
		const struct contact_point *cp = &cu->contacts[i];
		const char *kind = cp->kind ? cp->kind : "", *value = cp->value ? cp->value : "";
		if (i)
			bad |= buf_addc(contacts, ',');
		bad |= buf_addc(contacts, '[');
		bad |= buf_add_json_str(contacts, kind, strlen(kind));
		bad |= buf_addc(contacts, ',');
		bad |= buf_add_json_str(contacts, value, strlen(value));
		bad |= buf_addc(contacts, ',');
		if (cp->label)
			bad |= buf_add_json_str(contacts, cp->label, strlen(cp->label));
		else
			bad |= buf_adds(contacts, "null");
		bad |= buf_adds(contacts, cp->primary ? ",true]" : ",false]");
		/* e-mails and addresses, as the SQLite index has them: a phone number is found by the
		 * search through the phone filter (api/search.c), the same on both stores */
		if (strcmp(kind, "email") == 0) {
			if (text->len)
				bad |= buf_addc(text, ' ');
			bad |= buf_adds(text, value);
		} else if (strcmp(kind, "address") == 0) {
			bad |= address_text(value, text);
		}
	}
	bad |= buf_addc(contacts, ']');
	if (bad)
		return kp_err_set(err, KP_ETOOLARGE, "too many contact points");
	int rc = json_str_array(&j->tags, cu->tags, cu->ntags, err);
	return rc ? rc : tag_text(cu->tags, cu->ntags, &j->tagtext, err);
}

/* The columns an insert and an update of a customer both set, in this order. */
static void customer_params(struct pg_params *p, const struct customer *cu, const struct customer_json *j)
{
	store_pg_p_str(p, cu->name);
	store_pg_p_id(p, cu->org_id);
	store_pg_p_id(p, cu->owner_id);
	store_pg_p_str(p, cu->custom_json);
	store_pg_p_id(p, cu->merged_into);
	store_pg_p_i64(p, cu->flags);
	store_pg_p_str(p, j->text.ptr);
}

/* Replace the customer's contacts and tags. */
static int customer_replace_children(struct pg_conn *pc, int64_t id, const struct customer_json *j,
				     struct kp_err *err)
{
	struct pg_params p;
	int rc = q_exec(pc, Q_CUSTOMER_CHILDREN_DELETE, one_i64(&p, id), NULL, KP_ESTORE, err);
	if (rc != 0)
		return rc;
	store_pg_p_str(&p, j->contacts.ptr);
	store_pg_p_str(&p, j->tags.ptr);
	return q_exec(pc, Q_CUSTOMER_CHILDREN_INSERT, &p, NULL, KP_ESTORE, err);
}

/* One statement: the row and its contacts and tags (one round trip per customer). */
static int pg_customer_insert(struct store_conn *c, struct customer *cu, struct kp_err *err)
{
	struct customer_json j;
	struct pg_params p;
	struct stamps ts = new_stamps(cu->created_at, cu->updated_at);
	int rc = customer_children(cu, &j, err);
	if (rc != 0)
		goto out;
	store_pg_params_init(&p);
	customer_params(&p, cu, &j);
	store_pg_p_i64(&p, ts.created);
	store_pg_p_i64(&p, ts.updated);
	store_pg_p_str(&p, j.contacts.ptr);
	store_pg_p_str(&p, j.tags.ptr);
	store_pg_p_str(&p, j.tagtext.ptr);
	rc = q_insert(PC(c), Q_CUSTOMER_INSERT, &p, ts, NEW_RECORD(cu), err);
out:
	customer_json_release(&j);
	return rc;
}

static int pg_customer_get(struct store_conn *c, int64_t id, struct customer *out, struct arena *a, struct kp_err *err)
{
	struct pg_params p;
	return q_get(PC(c), Q_CUSTOMER_GET, one_i64(&p, id), "customer", read_customer, out, a, err);
}

static int pg_customer_update(struct store_conn *c, struct customer *cu, int64_t expected_version, struct kp_err *err)
{
	struct pg_conn *pc = PC(c);
	struct customer_json j;
	struct pg_params p;
	PGresult *r = NULL;
	int opened = 0;
	int rc = customer_children(cu, &j, err);
	if (rc != 0)
		goto out;
	rc = store_pg_atomic_begin(pc, &opened, err);
	if (rc != 0)
		goto out;
	versioned_params(&p, cu->id, expected_version);
	customer_params(&p, cu, &j);
	store_pg_p_i64(&p, time_now_ms());
	store_pg_p_str(&p, j.tagtext.ptr);
	rc = q_versioned(pc, Q_CUSTOMER_UPDATE, &p, KP_ENOTFOUND, &E_CUSTOMER, cu->id, &r, err);
	if (rc != 0)
		goto out;
	int64_t version = store_pg_i64(r, 0, 0), updated = store_pg_i64(r, 0, 1);
	int renamed = store_pg_bool(r, 0, 2), moved = store_pg_bool(r, 0, 3);
	rc = customer_replace_children(pc, cu->id, &j, err);
	if (rc == 0 && renamed)
		rc = set_context(pc, Q_CUSTOMER_CONTEXT, cu->id, cu->name, err);
	if (rc == 0 && moved) {
		struct pg_params mp;
		one_i64(&mp, cu->id);
		store_pg_p_id(&mp, cu->org_id);
		store_pg_p_i64(&mp, updated);
		rc = q_exec(pc, Q_CUSTOMER_REORG, &mp, NULL, KP_ESTORE, err);
	}
	if (rc != 0)
		goto out;
	cu->version = version;
	cu->updated_at = updated;
out:
	PQclear(r);
	rc = store_pg_atomic_end(pc, opened, rc, err);
	customer_json_release(&j);
	return rc;
}

static int pg_customer_delete(struct store_conn *c, int64_t id, int64_t expected_version, struct kp_err *err)
{
	return q_delete(c, Q_CUSTOMER_DELETE, &E_CUSTOMER, id, expected_version, err);
}

static int pg_customer_list(struct store_conn *c, const struct customer_filter *f, const struct store_page *pg,
			    struct customer_list *out, struct arena *a, struct kp_err *err)
{
	struct pg_query q;
	struct pg_rows rows;
	struct arena tmp = ARENA_INIT;
	q_init(&q, "SELECT " CUSTOMER_COLS " FROM customers t WHERE true");
	if (!f || !f->include_merged)
		q_add(&q, " AND t.merged_into IS NULL");
	if (f) {
		q_name_prefix(&q, &tmp, f->name_prefix);
		if (f->tag)
			q_str(&q, " AND EXISTS (SELECT 1 FROM customer_tags g WHERE g.customer_id = t.id AND g.tag = ",
			      f->tag, ")");
		if (f->email)
			q_str(&q, " AND EXISTS (SELECT 1 FROM customer_contacts x WHERE x.customer_id = t.id"
				  " AND x.kind = 'email' AND x.value = ", f->email, ")");
		if (f->phone)
			q_str(&q, " AND EXISTS (SELECT 1 FROM customer_contacts x WHERE x.customer_id = t.id"
				  " AND x.kind = 'phone' AND x.value = ", f->phone, ")");
		if (f->org_id)
			q_i64(&q, " AND t.org_id = ", f->org_id, "");
		if (f->owner_id)
			q_i64(&q, " AND t.owner_id = ", f->owner_id, "");
		if (f->updated_after)
			q_i64(&q, " AND t.updated_at > ", f->updated_after, "");
		if (f->flags) {
			/* ("flags <> 0" as written: the partial index customers_flagged) */
			q_i64(&q, " AND t.flags <> 0 AND (t.flags & ", f->flags, "::integer)");
			q.bad |= buf_addf(&q.sql, " = $%d::integer", q.p.n) < 0;
		}
		if (f->flags_clear)
			q_i64(&q, " AND (t.flags & ", f->flags_clear, "::integer) = 0");
		q_custom(&q, &tmp, f->custom, f->ncustom);
	}
	int rc = q_page(PC(c), &q, pg, &E_CUSTOMER, read_customer, sizeof(*out->items), &rows, a, err);
	PG_TAKE_ROWS(out, rows);
	arena_release(&tmp);
	return rc;
}

/* Customers that are not merged tombstones. */
static int pg_customer_count(struct store_conn *c, int64_t *n, struct kp_err *err)
{
	return q_int(PC(c), Q_CUSTOMER_COUNT, NULL, KP_ESTORE, n, err);
}

static int pg_email_idn_ids(struct store_conn *c, const char *entity, int64_t after_id, size_t max, int64_t *ids,
                            size_t *n, struct kp_err *err)
{
	struct pg_params p;
	PGresult *r = NULL;
	*n = 0;
	one_i64(&p, after_id);
	store_pg_p_i64(&p, (int64_t)max);
	enum stmt sid = !strcmp(entity, "customer") ? Q_EMAIL_IDN_CUSTOMERS
	                : !strcmp(entity, "staff")  ? Q_EMAIL_IDN_STAFF
	                                            : Q_EMAIL_IDN_ORGS;
	int rc = q_exec(PC(c), sid, &p, &r, KP_ESTORE, err);
	if (rc != 0)
		return rc;
	for (int i = 0; i < PQntuples(r) && *n < max; i++)
		ids[(*n)++] = store_pg_i64(r, i, 0);
	PQclear(r);
	return 0;
}

static int pg_customer_tombstones(struct store_conn *c, int64_t into, int64_t after_id, size_t max, int64_t *ids,
                                  size_t *n, struct kp_err *err)
{
	struct pg_params p;
	PGresult *r = NULL;
	*n = 0;
	one_i64(&p, after_id);
	store_pg_p_i64(&p, (int64_t)max);
	if (into)
		store_pg_p_i64(&p, into);
	int rc = q_exec(PC(c), into ? Q_CUSTOMER_TOMBSTONES : Q_CUSTOMER_DANGLING, &p, &r, KP_ESTORE, err);
	if (rc != 0)
		return rc;
	for (int i = 0; i < PQntuples(r) && *n < max; i++)
		ids[(*n)++] = store_pg_i64(r, i, 0);
	PQclear(r);
	return 0;
}

/* KP_ENOTFOUND if either is missing; KP_ECONFLICT if from == into or either is already
 * merged. Customers earlier merged into `from` now point at `into`. */
static int pg_customer_merge(struct store_conn *c, int64_t from, int64_t into, struct kp_err *err)
{
	struct pg_conn *pc = PC(c);
	struct pg_params p;
	PGresult *r = NULL;
	int opened = 0;
	if (from == into)
		return kp_err_set(err, KP_ECONFLICT, "cannot merge a customer into itself");
	int rc = store_pg_atomic_begin(pc, &opened, err);
	if (rc != 0)
		return rc;
	one_i64(&p, from);
	store_pg_p_i64(&p, into);
	rc = q_exec(pc, Q_CUSTOMER_LOCK2, &p, &r, KP_ESTORE, err);
	if (rc != 0)
		goto out;
	int found = 0;
	for (int i = 0; i < PQntuples(r); i++) {
		found++;
		if (!PQgetisnull(r, i, 1)) {
			rc = kp_err_set(err, KP_ECONFLICT, "customer %lld is already merged",
					(long long)store_pg_i64(r, i, 0));
			goto out;
		}
	}
	if (found != 2) {
		rc = kp_err_set(err, KP_ENOTFOUND, "customer not found");
		goto out;
	}
	store_pg_p_i64(&p, time_now_ms());
	rc = q_exec(pc, Q_CUSTOMER_MERGE, &p, NULL, KP_ESTORE, err);
out:
	PQclear(r);
	return store_pg_atomic_end(pc, opened, rc, err);
}

/* ---- custom field definitions ---------------------------------------------------------- */

/* The columns an insert and an update of a field definition both set, in this order. */
static void field_params(struct pg_params *p, const struct field_def *fd)
{
	store_pg_p_str(p, fd->entity);
	store_pg_p_str(p, fd->key);
	store_pg_p_str(p, fd->label);
	store_pg_p_str(p, fd->type);
	store_pg_p_str(p, fd->choices_json);
	store_pg_p_bool(p, fd->required);
}

static int pg_field_insert(struct store_conn *c, struct field_def *fd, struct kp_err *err)
{
	struct pg_params p;
	store_pg_params_init(&p);
	struct stamps ts = new_stamps(fd->created_at, fd->updated_at);
	field_params(&p, fd);
	store_pg_p_i64(&p, ts.created);
	store_pg_p_i64(&p, ts.updated);
	return q_insert_unique(PC(c), Q_FIELD_INSERT, &p, ts, "a field with this key", NEW_RECORD(fd), err);
}

static int pg_field_get(struct store_conn *c, int64_t id, struct field_def *out, struct arena *a, struct kp_err *err)
{
	struct pg_params p;
	return q_get(PC(c), Q_FIELD_GET, one_i64(&p, id), "field", read_field, out, a, err);
}

static int pg_field_update(struct store_conn *c, struct field_def *fd, int64_t expected_version, struct kp_err *err)
{
	struct pg_params p;
	versioned_params(&p, fd->id, expected_version);
	field_params(&p, fd);
	store_pg_p_i64(&p, time_now_ms());
	return q_update(PC(c), Q_FIELD_UPDATE, &p, &E_FIELD, fd->id, &fd->version, &fd->updated_at, NULL,
			err);
}

static int pg_field_delete(struct store_conn *c, int64_t id, int64_t expected_version, struct kp_err *err)
{
	return q_delete(c, Q_FIELD_DELETE, &E_FIELD, id, expected_version, err);
}

static int pg_field_list(struct store_conn *c, const char *entity, struct field_def_list *out, struct arena *a,
			 struct kp_err *err)
{
	struct pg_params p;
	struct pg_rows rows;
	int rc = q_list(PC(c), Q_FIELD_LIST, one_str(&p, entity), -1, read_field, sizeof(*out->items), &rows, a, err);
	PG_TAKE_ROWS(out, rows);
	return rc;
}

/* ---- notes ----------------------------------------------------------------------------- */

static int pg_note_insert(struct store_conn *c, struct note *n, struct kp_err *err)
{
	if ((n->customer_id != 0) == (n->org_id != 0))
		return kp_err_set(err, KP_EINTERNAL, "a note belongs to exactly one of a customer or an organisation");
	struct pg_params p;
	store_pg_params_init(&p);
	struct stamps ts = new_stamps(n->created_at, n->updated_at);
	store_pg_p_id(&p, n->customer_id);
	store_pg_p_id(&p, n->org_id);
	store_pg_p_id(&p, n->author_id);
	store_pg_p_str(&p, n->body ? n->body : "");
	store_pg_p_i64(&p, ts.created);
	store_pg_p_i64(&p, ts.updated);
	store_pg_p_str(&p, n->analysis_json);
	store_pg_p_bool(&p, n->abusive);
	store_pg_p_str(&p, n->search_body);
	return q_insert(PC(c), Q_NOTE_INSERT, &p, ts, NEW_RECORD(n), err);
}

static int pg_note_get(struct store_conn *c, int64_t id, struct note *out, struct arena *a, struct kp_err *err)
{
	struct pg_params p;
	return q_get(PC(c), Q_NOTE_GET, one_i64(&p, id), "note", read_note, out, a, err);
}

/* The body is what an update changes (a note stays with its customer or organisation). */
static int pg_note_update(struct store_conn *c, struct note *n, int64_t expected_version, struct kp_err *err)
{
	struct pg_params p;
	versioned_params(&p, n->id, expected_version);
	store_pg_p_str(&p, n->body ? n->body : "");
	store_pg_p_i64(&p, time_now_ms());
	store_pg_p_str(&p, n->analysis_json);
	store_pg_p_bool(&p, n->abusive);
	store_pg_p_str(&p, n->search_body);
	return q_update(PC(c), Q_NOTE_UPDATE, &p, &E_NOTE, n->id, &n->version, &n->updated_at, NULL,
			err);
}

/* The generated search column follows search_body (pg_migrations.c, migration 14). */
static int pg_note_search_set(struct store_conn *c, const struct note *n, int64_t stamp, struct kp_err *err)
{
	struct pg_params p;
	int64_t id = 0;
	one_i64(&p, n->id);
	store_pg_p_str(&p, n->analysis_json);
	store_pg_p_bool(&p, n->abusive);
	store_pg_p_str(&p, n->search_body);
	store_pg_p_i64(&p, stamp);
	store_pg_p_i64(&p, n->version);
	int rc = q_int(PC(c), Q_NOTE_SEARCH_SET, &p, KP_ESTORE, &id, err);
	if (rc == 0 && id == 0 && stamp > 0) /* no row: changed since it was read */
		return kp_err_set(err, KP_ECONFLICT, "note %lld changed since it was read", (long long)n->id);
	return rc;
}

static int pg_unanalysed_ids(struct store_conn *c, const char *entity, int64_t after_id, size_t max, int64_t *ids,
                             size_t *n, struct kp_err *err)
{
	struct pg_params p;
	PGresult *r = NULL;
	*n = 0;
	one_i64(&p, after_id);
	store_pg_p_i64(&p, (int64_t)max);
	int rc = q_exec(PC(c), !strcmp(entity, "note") ? Q_UNANALYSED_NOTES : Q_UNANALYSED_INTERACTIONS, &p, &r,
	                KP_ESTORE, err);
	if (rc != 0)
		return rc;
	for (int i = 0; i < PQntuples(r) && *n < max; i++)
		ids[(*n)++] = store_pg_i64(r, i, 0);
	PQclear(r);
	return 0;
}

static int pg_note_delete(struct store_conn *c, int64_t id, int64_t expected_version, struct kp_err *err)
{
	return q_delete(c, Q_NOTE_DELETE, &E_NOTE, id, expected_version, err);
}

/* Exactly one of customer_id / org_id; sorted by id, created_at or updated_at
 * (STORE_SORT_OCCURRED means created_at); the domain asks for newest first. */
static int pg_note_list(struct store_conn *c, int64_t customer_id, int64_t org_id, const struct store_page *pg,
			struct note_list *out, struct arena *a, struct kp_err *err)
{
	struct pg_query q;
	struct pg_rows rows;
	memset(out, 0, sizeof(*out));
	if (!customer_id == !org_id)
		return kp_err_set(err, KP_EINVAL, "list notes of exactly one customer or organisation");
	q_init(&q, "SELECT " NOTE_COLS " FROM notes t WHERE ");
	if (customer_id)
		q_i64(&q, "t.customer_id = ", customer_id, "");
	else
		q_i64(&q, "t.org_id = ", org_id, "");
	int rc = q_page(PC(c), &q, pg, &E_NOTE, read_note, sizeof(*out->items), &rows, a, err);
	PG_TAKE_ROWS(out, rows);
	return rc;
}

/* ---- interactions ----------------------------------------------------------------------- */

/* The columns an insert and an update of an interaction both set, in this order
 * (occurred_at is not among them: insert and update treat 0 differently). */
static void interaction_params(struct pg_params *p, const struct interaction *it)
{
	store_pg_p_i64(p, it->customer_id);
	store_pg_p_id(p, it->org_id);
	store_pg_p_id(p, it->staff_id);
	store_pg_p_str(p, it->kind);
	store_pg_p_str(p, it->direction);
	store_pg_p_str(p, it->channel);
	store_pg_p_str(p, it->summary);
	store_pg_p_str(p, it->body);
	store_pg_p_str(p, it->analysis_json);
	store_pg_p_bool(p, it->abusive);
}

/* occurred_at 0 means "when it was recorded". */
static int pg_interaction_insert(struct store_conn *c, struct interaction *it, struct kp_err *err)
{
	struct pg_params p;
	store_pg_params_init(&p);
	struct stamps ts = new_stamps(it->created_at, it->updated_at);
	int64_t occurred = it->occurred_at ? it->occurred_at : ts.created;
	interaction_params(&p, it);
	store_pg_p_i64(&p, occurred);
	store_pg_p_i64(&p, ts.created);
	store_pg_p_i64(&p, ts.updated);
	store_pg_p_str(&p, it->search_summary);
	store_pg_p_str(&p, it->search_body);
	int rc = q_insert(PC(c), Q_INTERACTION_INSERT, &p, ts, NEW_RECORD(it), err);
	if (rc == 0)
		it->occurred_at = occurred;
	return rc;
}

static int pg_interaction_get(struct store_conn *c, int64_t id, struct interaction *out, struct arena *a,
			      struct kp_err *err)
{
	struct pg_params p;
	return q_get(PC(c), Q_INTERACTION_GET, one_i64(&p, id), "interaction", read_interaction, out, a, err);
}

static int pg_interaction_update(struct store_conn *c, struct interaction *it, int64_t expected_version,
				 struct kp_err *err)
{
	struct pg_params p;
	versioned_params(&p, it->id, expected_version);
	interaction_params(&p, it);
	store_pg_p_i64(&p, it->occurred_at);
	store_pg_p_i64(&p, time_now_ms());
	store_pg_p_str(&p, it->search_summary);
	store_pg_p_str(&p, it->search_body);
	return q_update(PC(c), Q_INTERACTION_UPDATE, &p, &E_INTERACTION, it->id, &it->version, &it->updated_at, &it->occurred_at,
			err);
}

/* The generated search column follows the texts (pg_migrations.c, migration 4). */
static int pg_interaction_search_set(struct store_conn *c, const struct interaction *it, int64_t stamp,
                                     struct kp_err *err)
{
	struct pg_params p;
	int64_t id = 0;
	one_i64(&p, it->id);
	store_pg_p_str(&p, it->search_summary);
	store_pg_p_str(&p, it->search_body);
	store_pg_p_str(&p, it->analysis_json);
	store_pg_p_bool(&p, it->abusive);
	store_pg_p_i64(&p, stamp);
	store_pg_p_i64(&p, it->version);
	int rc = q_int(PC(c), Q_INTERACTION_SEARCH_SET, &p, KP_ESTORE, &id, err);
	if (rc == 0 && id == 0 && stamp > 0) /* no row: changed since it was read */
		return kp_err_set(err, KP_ECONFLICT, "interaction %lld changed since it was read", (long long)it->id);
	return rc;
}

static int pg_interaction_delete(struct store_conn *c, int64_t id, int64_t expected_version, struct kp_err *err)
{
	return q_delete(c, Q_INTERACTION_DELETE, &E_INTERACTION, id, expected_version, err);
}

/* Sorted as pg says (the timeline: STORE_SORT_OCCURRED, desc). occurred_at in [from, to). */
/* The filter f's terms on interactions t. */
static void q_interaction_filter(struct pg_query *q, const struct interaction_filter *f)
{
	if (f) {
		if (f->customer_id)
			q_i64(q, " AND t.customer_id = ", f->customer_id, "");
		if (f->org_id)
			q_i64(q, " AND t.org_id = ", f->org_id, "");
		if (f->staff_id)
			q_i64(q, " AND t.staff_id = ", f->staff_id, "");
		if (f->kind)
			q_str(q, " AND t.kind = ", f->kind, "");
		if (f->direction)
			q_str(q, " AND t.direction = ", f->direction, "");
		if (f->from)
			q_i64(q, " AND t.occurred_at >= ", f->from, "");
		if (f->to)
			q_i64(q, " AND t.occurred_at < ", f->to, "");
		if (f->updated_after)
			q_i64(q, " AND t.updated_at > ", f->updated_after, "");
		if (f->abusive_only)
			q_add(q, " AND t.abusive");
		if (f->routed_to_team)
			q_str(q, " AND t.routed_to_team = ", f->routed_to_team, "");
	}
}

static int pg_interaction_list(struct store_conn *c, const struct interaction_filter *f, const struct store_page *pg,
			       struct interaction_list *out, struct arena *a, struct kp_err *err)
{
	struct pg_query q;
	struct pg_rows rows;
	q_init(&q, "SELECT " INTERACTION_COLS " FROM interactions t WHERE true");
	q_interaction_filter(&q, f);
	int rc = q_page(PC(c), &q, pg, &E_INTERACTION, read_interaction, sizeof(*out->items), &rows, a, err);
	PG_TAKE_ROWS(out, rows);
	return rc;
}

static int read_count(struct arena *a, const PGresult *r, int row, void *out, struct kp_err *err)
{
	(void)a;
	(void)err;
	*(int64_t *)out = store_pg_i64(r, row, 0);
	return 0;
}

static int pg_custom_set(struct store_conn *c, const char *entity, int64_t id, const char *custom_json,
			 int64_t expected_version, int64_t *version, int64_t *updated_at, struct kp_err *err)
{
	struct pg_params p;
	int customer = strcmp(entity, "customer") == 0;
	versioned_params(&p, id, expected_version);
	store_pg_p_str(&p, custom_json);
	store_pg_p_i64(&p, time_now_ms());
	return q_update(PC(c), customer ? Q_CUSTOMER_CUSTOM_SET : Q_ORG_CUSTOM_SET, &p, customer ? &E_CUSTOMER : &E_ORG,
			id, version, updated_at, NULL, err);
}

static int pg_interaction_count(struct store_conn *c, const struct interaction_filter *f, int64_t max, int64_t *n,
				struct kp_err *err)
{
	struct pg_query q;
	struct pg_rows rows;
	struct arena a = ARENA_INIT;
	q_init(&q, "SELECT count(*) FROM (SELECT 1 FROM interactions t WHERE true");
	q_interaction_filter(&q, f);
	if (max > 0)
		q_i64(&q, " LIMIT ", max, ") s");
	else
		q_add(&q, ") s");
	int rc = q_rows(PC(c), &q, 1, read_count, sizeof(int64_t), &rows, &a, err);
	if (rc == 0 && rows.n == 1)
		*n = *(int64_t *)rows.items;
	arena_release(&a);
	return rc;
}

/* ---- full-text search (the SQL and how it ranks: SEARCH_SQL above) ---------------------- */

/* The query q and its forms as SEARCH_AQ_CTE's $1: [["word", "form", ...], ...], one array per
 * white-space separated word (as SQLite's build_match splits it). -1 when q is not UTF-8. */
static int search_words_json(struct buf *b, const char *q, const struct search_forms *forms)
{
	const char *p = q;
	int rc = buf_addc(b, '[');
	for (int n = 0; rc == 0 && *p; n++) {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		if (!*p)
			break;
		const char *w = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
			p++;
		size_t wl = (size_t)(p - w);
		const struct search_word_forms *wf = NULL;
		for (size_t i = 0; forms && i < forms->n && !wf; i++)
			if (forms->words[i].n && strlen(forms->words[i].word) == wl && memcmp(forms->words[i].word, w, wl) == 0)
				wf = &forms->words[i];
		if (n)
			rc |= buf_addc(b, ',');
		rc |= buf_addc(b, '[');
		rc |= buf_add_json_str_min(b, w, wl) ? -1 : 0;
		for (size_t k = 0; wf && k < wf->n; k++) {
			rc |= buf_addc(b, ',');
			rc |= buf_add_json_str_min(b, wf->form[k], strlen(wf->form[k])) ? -1 : 0;
		}
		rc |= buf_addc(b, ']');
	}
	rc |= buf_addc(b, ']');
	return rc ? -1 : 0;
}

static int pg_search(struct store_conn *c, const char *q, const struct search_forms *forms, int limit, int offset,
		     struct search_result *out, struct arena *a, struct kp_err *err)
{
	struct pg_params p;
	struct pg_rows rows;
	struct buf words = BUF_INIT(64 * 1024);
	if (limit <= 0)
		limit = 20;
	if (search_words_json(&words, q ? q : "", forms)) {
		buf_release(&words);
		return kp_err_set(err, KP_EINVAL, "search query is not UTF-8 or too long");
	}
	one_str(&p, words.ptr);
	store_pg_p_i64(&p, (int64_t)limit + 1);
	store_pg_p_i64(&p, offset);
	int rc = q_list(PC(c), Q_SEARCH, &p, limit, read_search_hit, sizeof(*out->items), &rows, a, err);
	PG_TAKE_ROWS(out, rows);
	buf_release(&words);
	return rc;
}

static int pg_search_text_matches(struct store_conn *c, const char *q, const struct search_forms *forms,
				  const char *text, int *matches, struct kp_err *err)
{
	struct pg_params p;
	struct buf words = BUF_INIT(64 * 1024);
	int64_t m = 0;
	if (search_words_json(&words, q ? q : "", forms)) {
		buf_release(&words);
		return kp_err_set(err, KP_EINVAL, "search query is not UTF-8 or too long");
	}
	one_str(&p, words.ptr);
	store_pg_p_str(&p, text ? text : "");
	int rc = q_int(PC(c), Q_SEARCH_TEXT_MATCHES, &p, KP_ESTORE, &m, err);
	if (rc == 0)
		*matches = m != 0;
	buf_release(&words);
	return rc;
}

/* ---- audit log ------------------------------------------------------------------------- */

static int pg_audit_insert(struct store_conn *c, struct audit_entry *e, struct kp_err *err)
{
	struct pg_params p;
	store_pg_params_init(&p);
	int64_t at = or_now(e->at), id;
	store_pg_p_i64(&p, at);
	store_pg_p_id(&p, e->actor_id);
	store_pg_p_str(&p, e->actor ? e->actor : "system");
	store_pg_p_str(&p, e->action);
	store_pg_p_str(&p, e->entity);
	store_pg_p_id(&p, e->entity_id);
	store_pg_p_str(&p, e->request_id);
	store_pg_p_str(&p, e->changes_json);
	int rc = q_int(PC(c), Q_AUDIT_INSERT, &p, KP_ESTORE, &id, err);
	if (rc != 0)
		return rc;
	e->id = id;
	e->at = at;
	return 0;
}

/* A text array literal's element: NULL, or s quoted with '"' and '\\' escaped. */
static int array_text(struct buf *b, const char *s)
{
	if (!s)
		return buf_adds(b, "NULL");
	int rc = buf_addc(b, '"');
	for (const char *q = s; rc == 0 && *q; q++) {
		const char *r = q;
		while (*r && *r != '"' && *r != '\\')
			r++;
		rc |= buf_add(b, q, (size_t)(r - q));
		if (!*r)
			break;
		rc |= buf_addc(b, '\\') | buf_addc(b, *r);
		q = r;
	}
	return rc | buf_addc(b, '"');
}

/* An id array literal's element: NULL for 0, as store_pg_p_id binds it. */
static int array_id(struct buf *b, int64_t v)
{
	return v ? buf_add_i64(b, v) : buf_adds(b, "NULL");
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

static int pg_audit_insert_set(struct store_conn *c, struct audit_entry *e, size_t n, struct kp_err *err)
{
	/* one statement, one round trip, for the set: a customer's DELETE wrote one entry per
	 * message, each an INSERT and a round trip (docs/performance.md) */
	struct buf col[8];
	struct pg_params p;
	PGresult *r = NULL;
	int64_t *ids = NULL, now = time_now_ms();
	int rc = 0;
	for (int k = 0; k < 8; k++) {
		buf_init(&col[k], (size_t)256 << 20);
		rc |= buf_addc(&col[k], '{');
	}
	for (size_t i = 0; i < n && rc == 0; i++) {
		if (i)
			for (int k = 0; k < 8; k++)
				rc |= buf_addc(&col[k], ',');
		rc |= buf_add_i64(&col[0], e[i].at ? e[i].at : now) | array_id(&col[1], e[i].actor_id) |
		      array_text(&col[2], e[i].actor ? e[i].actor : "system") | array_text(&col[3], e[i].action) |
		      array_text(&col[4], e[i].entity) | array_id(&col[5], e[i].entity_id) |
		      array_text(&col[6], e[i].request_id) | array_text(&col[7], e[i].changes_json);
	}
	store_pg_params_init(&p);
	for (int k = 0; k < 8; k++) {
		rc |= buf_addc(&col[k], '}');
		store_pg_p_str(&p, col[k].ptr);
	}
	if (rc) {
		rc = kp_err_set(err, KP_ENOMEM, "out of memory for the audit entries");
		goto out;
	}
	if ((rc = check_nparams(Q_AUDIT_INSERT_SET, &p, err)) ||
	    (rc = store_pg_exec(PC(c), Q_AUDIT_INSERT_SET, stmts[Q_AUDIT_INSERT_SET].sql, &p, &r, KP_ESTORE, err)))
		goto out;
	if ((size_t)PQntuples(r) != n || !(ids = malloc((n ? n : 1) * sizeof *ids))) {
		rc = kp_err_set(err, KP_ESTORE, "insert audit entries: %d ids for %zu entries", PQntuples(r), n);
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		ids[i] = store_pg_i64(r, (int)i, 0);
	qsort(ids, n, sizeof *ids, cmp_i64);
	for (size_t i = 0; i < n; i++) {
		e[i].id = ids[i];
		e[i].at = e[i].at ? e[i].at : now;
	}
out:
	free(ids);
	PQclear(r);
	for (int k = 0; k < 8; k++)
		buf_release(&col[k]);
	return rc;
}

/* Newest first (by id). limit <= 0 means 50. */
static int pg_audit_list(struct store_conn *c, const struct audit_filter *f, struct audit_list *out, struct arena *a,
			 struct kp_err *err)
{
	struct pg_query q;
	struct pg_rows rows;
	int limit = f && f->limit > 0 ? f->limit : 50;
	q_init(&q, "SELECT " AUDIT_COLS " FROM audit_log WHERE true");
	if (f) {
		if (f->entity)
			q_str(&q, " AND entity = ", f->entity, "");
		if (f->entity_id)
			q_i64(&q, " AND entity_id = ", f->entity_id, "");
		if (f->actor_id)
			q_i64(&q, " AND actor_id = ", f->actor_id, "");
		if (f->action)
			q_str(&q, " AND action = ", f->action, "");
		if (f->since)
			q_i64(&q, " AND at >= ", f->since, "");
		if (f->before_id)
			q_i64(&q, " AND id < ", f->before_id, "");
		if (f->unredacted)
			q_add(&q, " AND redacted_at IS NULL");
	}
	q_i64(&q, " ORDER BY id DESC LIMIT ", (int64_t)limit + 1, "");
	int rc = q_rows(PC(c), &q, limit, read_audit, sizeof(*out->items), &rows, a, err);
	PG_TAKE_ROWS(out, rows);
	return rc;
}

/* ids as a PostgreSQL array literal "{1,2,3}" (into b; -1 when b's cap is passed) */
static int ids_array(struct buf *b, const int64_t *ids, size_t n)
{
	int rc = buf_addc(b, '{');
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = (i ? buf_addc(b, ',') : 0) | buf_add_i64(b, ids[i]);
	return rc | buf_addc(b, '}');
}

static int pg_audit_unredacted(struct store_conn *c, const char *entity, const int64_t *ids, size_t nids,
                               int64_t after_id, int limit, struct audit_list *out, struct arena *a, struct kp_err *err)
{
	struct buf arr = BUF_INIT((size_t)64 << 20);
	struct pg_params p;
	struct pg_rows rows = {0};
	int rc;
	if (ids_array(&arr, ids, nids)) {
		rc = kp_err_set(err, KP_ENOMEM, "out of memory for the ids to erase");
		goto out;
	}
	store_pg_params_init(&p);
	store_pg_p_str(&p, entity);
	store_pg_p_str(&p, arr.ptr);
	store_pg_p_i64(&p, after_id);
	store_pg_p_i64(&p, (int64_t)limit + 1);
	rc = q_list(PC(c), Q_AUDIT_UNREDACTED, &p, limit, read_audit, sizeof(*out->items), &rows, a, err);
	PG_TAKE_ROWS(out, rows);
out:
	buf_release(&arr);
	return rc;
}

/* The set as two array literals: ids "{1,2}" and texts {"...","..."} (each quoted, '"' and
 * '\\' escaped with a backslash); -1 when a cap is passed. */
static int redaction_arrays(struct buf *ids, struct buf *texts, const struct audit_redaction *r, size_t n)
{
	int rc = buf_addc(ids, '{') | buf_addc(texts, '{');
	for (size_t i = 0; i < n && rc == 0; i++) {
		rc = (i ? buf_addc(ids, ',') | buf_addc(texts, ',') : 0) | buf_add_i64(ids, r[i].id) |
		     buf_addc(texts, '"');
		for (const char *s = r[i].changes_json; *s && rc == 0; s++)
			rc = (*s == '"' || *s == '\\' ? buf_addc(texts, '\\') : 0) | buf_addc(texts, *s);
		rc |= buf_addc(texts, '"');
	}
	return rc | buf_addc(ids, '}') | buf_addc(texts, '}');
}

static int pg_audit_redact_set(struct store_conn *c, const struct audit_redaction *r, size_t n, int64_t at,
                               int64_t *done, struct kp_err *err)
{
	struct buf ids = BUF_INIT((size_t)64 << 20), texts = BUF_INIT((size_t)256 << 20);
	struct pg_params p;
	int rc;
	/* one statement, one round trip, for the set (one per entry was 10,000 round trips for
	 * a customer of 5,000 messages: docs/performance.md) */
	if (redaction_arrays(&ids, &texts, r, n)) {
		rc = kp_err_set(err, KP_ENOMEM, "out of memory for the redacted audit entries");
		goto out;
	}
	store_pg_params_init(&p);
	store_pg_p_str(&p, ids.ptr);
	store_pg_p_str(&p, texts.ptr);
	store_pg_p_i64(&p, at);
	rc = q_int(PC(c), Q_AUDIT_REDACT_SET, &p, KP_ESTORE, done, err);
out:
	buf_release(&ids);
	buf_release(&texts);
	return rc;
}

static int read_id(struct arena *a, const PGresult *r, int row, void *out, struct kp_err *err)
{
	(void)a;
	(void)err;
	*(int64_t *)out = store_pg_i64(r, row, 0);
	return 0;
}

static int pg_audit_customer_children(struct store_conn *c, const char *entity, int64_t customer_id, int64_t **ids,
                                      size_t *n, struct arena *a, struct kp_err *err)
{
	struct pg_params p;
	struct pg_rows rows;
	store_pg_params_init(&p);
	store_pg_p_str(&p, entity);
	store_pg_p_i64(&p, customer_id);
	/* a lookup in the index audit_log_child_customer (migration 16); every entry the domain
	 * wrote is JSON (a restore checks it) */
	int rc = store_pg_rows(PC(c), -1,
	                       "SELECT DISTINCT entity_id FROM audit_log WHERE entity = $1 AND " PG_AUDIT_CHILD_WHERE
	                       " AND (" PG_AUDIT_CHILD_CUSTOMER ") = to_jsonb($2::bigint) AND entity_id IS NOT NULL"
	                       " ORDER BY entity_id",
	                       &p, -1, read_id, sizeof(int64_t), &rows, a, err);
	*ids = rows.items;
	*n = rows.n;
	return rc;
}

static int pg_erase_links(struct store_conn *c, const struct erase_ids *ids, struct erase_links *out, struct arena *a,
                          struct kp_err *err)
{
	struct buf cj = BUF_INIT((size_t)64 << 20), ij = BUF_INIT((size_t)64 << 20);
	struct pg_params p;
	struct pg_rows rows = {0};
	int rc;
	memset(out, 0, sizeof *out);
	if (ids_array(&cj, ids->customers, ids->ncustomers) || ids_array(&ij, ids->interactions, ids->ninteractions)) {
		rc = kp_err_set(err, KP_ENOMEM, "out of memory for the ids to erase");
		goto out;
	}
	store_pg_params_init(&p);
	store_pg_p_str(&p, cj.ptr);
	store_pg_p_str(&p, ij.ptr);
	if ((rc = store_pg_first_i64(PC(c), -1,
	                             "WITH u AS (UPDATE wellbeing_notifications SET customer_id = NULL,"
	                             " interaction_id = NULL WHERE customer_id = ANY($1::bigint[])"
	                             " OR interaction_id = ANY($2::bigint[]) RETURNING 1) SELECT count(*) FROM u",
	                             &p, KP_ESTORE, &out->notifications, err)))
		goto out;
	/* a correction keeps its id, kind, label and staff member (the learned layer skips a
	 * correction without words); the words and the message it names go */
	store_pg_params_init(&p);
	store_pg_p_str(&p, ij.ptr);
	rc = store_pg_rows(PC(c), -1,
	                   "UPDATE text_corrections SET text = '', interaction_id = NULL"
	                   " WHERE interaction_id = ANY($1::bigint[]) RETURNING id",
	                   &p, -1, read_id, sizeof(int64_t), &rows, a, err);
	out->corrections = rows.items;
	out->ncorrections = rows.n;
out:
	buf_release(&cj);
	buf_release(&ij);
	return rc;
}

/* ---- idempotency keys -------------------------------------------------------------------- */

static int pg_idem_get(struct store_conn *c, int64_t staff_id, const char *key, struct idem_entry *out,
		       struct arena *a, struct kp_err *err)
{
	struct pg_params p;
	one_i64(&p, staff_id);
	store_pg_p_str(&p, key);
	return q_get(PC(c), Q_IDEM_GET, &p, "idempotency key", read_idem, out, a, err);
}

static int pg_idem_put(struct store_conn *c, const struct idem_entry *e, struct kp_err *err)
{
	struct pg_params p;
	one_i64(&p, e->staff_id);
	store_pg_p_str(&p, e->key);
	store_pg_p_str(&p, e->fingerprint ? e->fingerprint : "");
	store_pg_p_i64(&p, e->status);
	store_pg_p_str(&p, e->location);
	store_pg_p_str(&p, e->body ? e->body : "");
	store_pg_p_i64(&p, or_now(e->created_at));
	store_pg_p_str(&p, e->subject);
	return q_exec(PC(c), Q_IDEM_PUT, &p, NULL, KP_ESTORE, err);
}

static int pg_idem_purge(struct store_conn *c, int64_t older_than, struct kp_err *err)
{
	struct pg_params p;
	return q_exec(PC(c), Q_IDEM_PURGE, one_i64(&p, older_than), NULL, KP_ESTORE, err);
}

/* A scan of the keys of the last 24 h (location has no index: an erasure is rare). */
static int pg_idem_forget(struct store_conn *c, const char *prefix, const int64_t *ids, size_t nids, int64_t *n,
                          struct kp_err *err)
{
	struct buf arr = BUF_INIT((size_t)64 << 20);
	struct pg_params p;
	int rc;
	if (ids_array(&arr, ids, nids)) {
		rc = kp_err_set(err, KP_ENOMEM, "out of memory for the ids to erase");
		goto out;
	}
	store_pg_params_init(&p);
	store_pg_p_str(&p, prefix);
	store_pg_p_str(&p, arr.ptr);
	rc = store_pg_first_i64(PC(c), -1,
	                        "WITH n AS (SELECT $1::text || x AS path FROM unnest($2::bigint[]) AS x),"
	                        " d AS (DELETE FROM idempotency_keys WHERE location IN (SELECT path FROM n)"
	                        " OR subject IN (SELECT path FROM n) RETURNING 1)"
	                        " SELECT count(*) FROM d",
	                        &p, KP_ESTORE, n, err);
out:
	buf_release(&arr);
	return rc;
}

/* ---- the ops table ---------------------------------------------------------------------- */

const struct store_ops store_postgres_ops = {
    .name = "postgres",
    .accepts = store_pg_accepts,
    .setup = store_pg_setup,
    .release = store_pg_release,
    .conn_open = store_pg_conn_open,
    .conn_close = store_pg_conn_close,
    .migrate = store_pg_migrate,
    .schema_version = store_pg_schema_version,
    .backup = store_pg_backup,
    .restore = store_pg_restore,
    .ping = store_pg_ping,
    .begin = store_pg_begin,
    .commit = store_pg_commit,
    .rollback = store_pg_rollback,
    .savepoint = store_pg_savepoint,
    .release_savepoint = store_pg_release_savepoint,
    .rollback_savepoint = store_pg_rollback_savepoint,
    .bulk_load = store_pg_bulk_load,
    .staff_insert = pg_staff_insert,
    .staff_get = pg_staff_get,
    .staff_get_by_email = pg_staff_get_by_email,
    .staff_update = pg_staff_update,
    .staff_list = pg_staff_list,
    .staff_count = pg_staff_count,
    .staff_active_admins = pg_staff_active_admins,
    .token_insert = pg_token_insert,
    .token_get_by_hash = pg_token_get_by_hash,
    .token_list = pg_token_list,
    .token_revoke = pg_token_revoke,
    .token_touch = pg_token_touch,
    .session_insert = pg_session_insert,
    .session_get = pg_session_get,
    .session_delete = pg_session_delete,
    .session_delete_for_staff = pg_session_delete_for_staff,
    .org_insert = pg_org_insert,
    .org_get = pg_org_get,
    .org_update = pg_org_update,
    .org_delete = pg_org_delete,
    .org_list = pg_org_list,
    .customer_insert = pg_customer_insert,
    .customer_get = pg_customer_get,
    .customer_update = pg_customer_update,
    .customer_delete = pg_customer_delete,
    .customer_list = pg_customer_list,
    .customer_count = pg_customer_count,
    .email_idn_ids = pg_email_idn_ids,
    .customer_tombstones = pg_customer_tombstones,
    .customer_merge = pg_customer_merge,
    .field_insert = pg_field_insert,
    .field_get = pg_field_get,
    .field_update = pg_field_update,
    .field_delete = pg_field_delete,
    .field_list = pg_field_list,
    .note_insert = pg_note_insert,
    .note_get = pg_note_get,
    .note_update = pg_note_update,
    .note_delete = pg_note_delete,
    .note_list = pg_note_list,
    .interaction_insert = pg_interaction_insert,
    .interaction_get = pg_interaction_get,
    .interaction_update = pg_interaction_update,
    .interaction_delete = pg_interaction_delete,
    .interaction_search_set = pg_interaction_search_set,
    .note_search_set = pg_note_search_set,
    .unanalysed_ids = pg_unanalysed_ids,
    .interaction_list = pg_interaction_list,
    .search = pg_search,
    .search_text_matches = pg_search_text_matches,
    .interaction_count = pg_interaction_count,
    .custom_set = pg_custom_set,
    .audit_insert = pg_audit_insert,
    .audit_insert_set = pg_audit_insert_set,
    .audit_list = pg_audit_list,
    .audit_unredacted = pg_audit_unredacted,
    .audit_redact_set = pg_audit_redact_set,
    .audit_customer_children = pg_audit_customer_children,
    .erase_links = pg_erase_links,
    .idem_get = pg_idem_get,
    .idem_put = pg_idem_put,
    .idem_purge = pg_idem_purge,
    .idem_forget = pg_idem_forget,
    .notification_insert = store_pg_notification_insert,
    .notification_list = store_pg_notification_list,
    .notification_ack = store_pg_notification_ack,
    .notification_withdraw = store_pg_notification_withdraw,
    .notification_count = store_pg_notification_count,
    .exposure = store_pg_exposure,
    .incident_customers = store_pg_incident_customers,
    .correction_insert = store_pg_correction_insert,
    .correction_list = store_pg_correction_list,
    .policy_get = store_pg_policy_get,
    .policy_put = store_pg_policy_put,
};
