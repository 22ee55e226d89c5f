/*
 * protect: staff protection - analysis at ingest, masking, incidents, the policy and the
 * learned layer. See protect.h for the life of an inbound interaction and the stored JSON.
 */
#include "domain/protect.h"

#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/log.h"
#include "util/timeutil.h"

#define ANALYSIS_JSON_MAX (1024 * 1024)

/* ---- the shared learned model ------------------------------------------------------------ */

/* A published model and how many holders borrow it (the global slot is one holder). */
struct protect_model_ref {
	struct text_model *m; /* may be NULL: lexicon only */
	atomic_int refs;
	uint64_t gen;
};

static pthread_mutex_t g_model_lock = PTHREAD_MUTEX_INITIALIZER;
static struct protect_model_ref *g_model; /* under g_model_lock */
static atomic_uint_fast64_t g_model_gen;  /* g_model->gen, readable without the lock */
static atomic_int g_model_loaded;         /* protect_model_ensure() succeeded */
static pthread_mutex_t g_ensure_lock = PTHREAD_MUTEX_INITIALIZER;
/* protect_model_retrain(): when the model was last rebuilt and when a rebuild was last put off
 * (ms), and how many were put off since the last rebuild (0: none pending). Every rebuild runs
 * under g_ensure_lock, so models are published in the order they were read. */
static atomic_int_fast64_t g_rebuilt_at, g_pending_last;
static atomic_uint_fast64_t g_pending_seq;
#define RETRAIN_GAP_MS    2000 /* at most one rebuild on the writer per this long */
#define RETRAIN_SETTLE_MS 500  /* a put-off correction is committed well within this */

static void model_ref_put(struct protect_model_ref *ref)
{
	if (ref && atomic_fetch_sub(&ref->refs, 1) == 1) {
		text_model_free(ref->m);
		free(ref);
	}
}

/* The current model with a reference taken (NULL when none was ever published). */
static struct protect_model_ref *model_ref_get(void)
{
	pthread_mutex_lock(&g_model_lock);
	struct protect_model_ref *ref = g_model;
	if (ref)
		atomic_fetch_add(&ref->refs, 1);
	pthread_mutex_unlock(&g_model_lock);
	return ref;
}

void protect_model_publish(struct text_model *m)
{
	struct protect_model_ref *ref = calloc(1, sizeof *ref);
	if (!ref) {
		text_model_free(m);
		log_error("protect: out of memory publishing a model");
		return;
	}
	ref->m = m;
	atomic_init(&ref->refs, 1);
	pthread_mutex_lock(&g_model_lock);
	struct protect_model_ref *old = g_model;
	ref->gen = (old ? old->gen : 0) + 1;
	g_model = ref;
	atomic_store(&g_model_gen, ref->gen);
	pthread_mutex_unlock(&g_model_lock);
	model_ref_put(old);
}

uint64_t protect_model_generation(void)
{
	return atomic_load(&g_model_gen);
}

void protect_model_examples(uint64_t *abuse, uint64_t *sentiment)
{
	struct protect_model_ref *ref = model_ref_get();
	*abuse = ref && ref->m ? text_model_examples(ref->m, TEXT_TASK_ABUSE) : 0;
	*sentiment = ref && ref->m ? text_model_examples(ref->m, TEXT_TASK_SENTIMENT) : 0;
	model_ref_put(ref);
}

/* ---- this thread's analyzer ------------------------------------------------------------- */

struct protect_thread {
	struct text_analyzer *ta;
	struct protect_model_ref *ref; /* the model ta borrows (a reference held) */
	uint64_t gen;
};

static __thread struct protect_thread *t_state;
static pthread_key_t g_thread_key;
static pthread_once_t g_thread_key_once = PTHREAD_ONCE_INIT;

static void thread_state_free(void *p)
{
	struct protect_thread *st = p;
	if (!st)
		return;
	text_analyzer_free(st->ta);
	model_ref_put(st->ref);
	free(st);
}

static void thread_key_make(void)
{
	pthread_key_create(&g_thread_key, thread_state_free);
}

void protect_thread_release(void)
{
	if (!t_state)
		return;
	pthread_once(&g_thread_key_once, thread_key_make);
	pthread_setspecific(g_thread_key, NULL);
	thread_state_free(t_state);
	t_state = NULL;
}

struct text_analyzer *protect_analyzer(struct kp_err *err)
{
	struct protect_thread *st = t_state;
	if (!st) {
		char msg[128] = "";
		pthread_once(&g_thread_key_once, thread_key_make);
		st = calloc(1, sizeof *st);
		if (!st) {
			kp_err_set(err, KP_ENOMEM, "out of memory");
			return NULL;
		}
		st->ta = text_analyzer_new(msg, sizeof msg);
		if (!st->ta) {
			free(st);
			kp_err_set(err, KP_EINTERNAL, "text analyzer: %s", msg);
			return NULL;
		}
		t_state = st;
		pthread_setspecific(g_thread_key, st); /* freed at thread exit */
	}
	/* A new generation: move to it (the old model stays alive until its last holder moves). */
	if (st->gen != atomic_load(&g_model_gen)) {
		struct protect_model_ref *ref = model_ref_get();
		text_analyzer_set_model(st->ta, ref ? ref->m : NULL);
		model_ref_put(st->ref);
		st->ref = ref;
		st->gen = ref ? ref->gen : 0;
	}
	return st->ta;
}

int protect_analyze(const char *text, size_t len, enum text_lang lang, struct protect_result *out,
		    struct kp_err *err)
{
	memset(out, 0, sizeof *out);
	struct text_analyzer *ta = protect_analyzer(err);
	if (!ta)
		return err ? err->status : KP_EINTERNAL;
	if (len > TEXT_MAX_INPUT)
		len = text_utf8_prefix(text, len, TEXT_MAX_INPUT);
	int rc = text_analyze(ta, text ? text : "", text ? len : 0, lang, &out->r);
	if (rc == TEXT_EUTF8)
		return kp_err_set(err, KP_EVALIDATION, "the text is not valid UTF-8");
	if (rc == TEXT_ENOMEM)
		return kp_err_set(err, KP_ENOMEM, "out of memory");
	if (rc)
		return kp_err_set(err, KP_EINTERNAL, "text analysis: %s", text_strerror(rc));
	/* a shouted complaint is rude in tone, but hides no word of abuse: shown as written */
	out->abusive = out->r.abuse_flagged && !out->r.abuse_tone_only;
	return 0;
}

void protect_result_release(struct protect_result *res)
{
	text_result_release(&res->r);
	memset(res, 0, sizeof *res);
}

/* ---- analysis at ingest ----------------------------------------------------------------- */

/* One field's analysis as a jansson tree (new reference), or NULL + err: text_result_to_json's
 * object, parsed, plus "len", without "topics" when abusive. The reference form of the stored
 * analysis; field_text() below writes the same bytes without the tree. */
static json_t *field_tree(const struct protect_result *res, size_t len, struct kp_err *err)
{
	struct buf js = BUF_INIT(ANALYSIS_JSON_MAX);
	json_t *j = NULL;
	if (text_result_to_json(&res->r, &js) < 0) {
		kp_err_set(err, KP_ETOOLARGE, "the analysis is too large");
		goto out;
	}
	j = json_loadb(js.ptr, js.len, 0, NULL);
	if (!j || !json_is_object(j)) {
		json_decref(j);
		j = NULL;
		kp_err_set(err, KP_EINTERNAL, "the analysis is not a JSON object");
		goto out;
	}
	json_object_set_new(j, "len", json_integer((json_int_t)len));
	if (res->abusive)
		json_object_del(j, "topics");
out:
	buf_release(&js);
	return j;
}

/*
 * The reals of an analysis as jansson stores them. text_result_to_json() prints each real
 * with %.2f (lang_conf) or %.3f (scores), and the stored text is jansson's dump of the parsed
 * value (%.17g with jansson's fix-ups: "0.80000000000000004", "0.0", "-0.0"). Those printed
 * values lie in [-1, 1], so they are a few thousand strings: real_tab holds jansson's own
 * dump of each (made once, by jansson), indexed by the printed value in thousandths or
 * hundredths (k + m for k in [-m, m]); the last entry is "-0.000" / "-0.00". Anything else
 * (out of range, not finite) is not tabulated and the caller falls back to the tree.
 */
struct real_str {
	char s[28];
	unsigned char n; /* 0: not available */
};
static struct real_str g_real3[2 * 1000 + 2]; /* %.3f */
static struct real_str g_real2[2 * 100 + 2];  /* %.2f */
static pthread_once_t g_real_once = PTHREAD_ONCE_INIT;

static void real_fill(struct real_str *e, const char *printed)
{
	json_t *j = json_loads(printed, JSON_DECODE_ANY, NULL);
	char *d = j ? json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
	size_t n = d ? strlen(d) : 0;
	if (json_is_real(j) && n && n < sizeof e->s) {
		memcpy(e->s, d, n + 1);
		e->n = (unsigned char)n;
	}
	free(d);
	json_decref(j);
}

static void real_tab_make(void)
{
	char t[32];
	for (int d = 2; d <= 3; d++) {
		struct real_str *tab = d == 3 ? g_real3 : g_real2;
		int m = d == 3 ? 1000 : 100;
		for (int k = -m; k <= m; k++) {
			int ak = k < 0 ? -k : k;
			snprintf(t, sizeof t, "%s%d.%0*d", k < 0 ? "-" : "", ak / m, d, ak % m);
			real_fill(&tab[k + m], t);
		}
		snprintf(t, sizeof t, "-0.%0*d", d, 0);
		real_fill(&tab[2 * m + 1], t);
	}
}

/* Append x as text_result_to_json() prints it with `decimals` (2 or 3) and jansson then
 * dumps it: 0, 1 when x is not tabulated (nothing appended), -1 when the buffer is full. */
static int add_real(struct buf *b, double x, int decimals)
{
	char t[48];
	int m = decimals == 3 ? 1000 : 100;
	struct real_str *tab = decimals == 3 ? g_real3 : g_real2;
	int n = snprintf(t, sizeof t, "%.*f", decimals, x);
	const char *p = t;
	int neg = *p == '-', k = 0;
	if (n <= 0 || n >= (int)sizeof t)
		return 1;
	p += neg;
	if ((p[0] != '0' && p[0] != '1') || p[1] != '.')
		return 1;
	k = p[0] - '0';
	for (int i = 0; i < decimals; i++) {
		if (p[2 + i] < '0' || p[2 + i] > '9')
			return 1;
		k = k * 10 + (p[2 + i] - '0');
	}
	if (p[2 + decimals] || k > m)
		return 1;
	const struct real_str *e = neg && !k ? &tab[2 * m + 1] : &tab[m + (neg ? -k : k)];
	if (!e->n)
		return 1;
	return buf_add(b, e->s, e->n);
}

/* "key": a key already in JSON form, with the comma before it unless first. */
static int add_key(struct buf *b, int *first, const char *key)
{
	int rc = *first ? 0 : buf_addc(b, ',');
	*first = 0;
	return rc | buf_adds(b, key);
}

/*
 * One field's analysis as the bytes json_dumps(field_tree(), JSON_COMPACT) gives, or with
 * sorted set as json_dumps(..., JSON_COMPACT | JSON_SORT_KEYS): 0, 1 when something is not
 * in the form this writer knows (a real not tabulated, a topic that is not UTF-8; the
 * caller then takes the tree), -1 when the buffer is full.
 */
static int field_text(struct buf *b, const struct protect_result *res, size_t len, int sorted)
{
	const struct text_result *r = &res->r;
	static const char *const keys[] = {"\"abuse\":", "\"lang\":", "\"lang_conf\":",
					   "\"len\":",   "\"sentiment\":", "\"topics\":"};
	/* member order: text_result_to_json's order with "len" appended, or sorted */
	static const int ordered[] = {1, 2, 4, 0, 5, 3}, by_name[] = {0, 1, 2, 3, 4, 5};
	const int *order = sorted ? by_name : ordered;
	int rc = buf_addc(b, '{'), first = 1, x;
	for (int m = 0; m < 6 && rc == 0; m++) {
		int key = order[m];
		if (key == 5 && res->abusive)
			continue; /* topics are dropped from abusive texts */
		rc |= add_key(b, &first, keys[key]);
		switch (key) {
		case 0: { /* abuse */
			int f2 = 1;
			const char *flagged = r->abuse_flagged ? "true" : "false";
			const char *aimed = r->aimed_at_reader ? "true" : "false";
			const char *severe = r->severe ? "true" : "false";
			rc |= buf_addc(b, '{');
			if (!sorted)
				rc |= add_key(b, &f2, "\"flagged\":") | buf_adds(b, flagged);
			rc |= add_key(b, &f2, "\"aimed_at_reader\":") | buf_adds(b, aimed);
			if (!sorted)
				rc |= add_key(b, &f2, "\"severe\":") | buf_adds(b, severe);
			rc |= add_key(b, &f2, "\"categories\":{");
			int cats[TEXT_ABUSE_NCAT];
			for (int k = 0; k < TEXT_ABUSE_NCAT; k++)
				cats[k] = k;
			if (sorted) /* insertion sort by name: a handful of categories */
				for (int i = 1; i < TEXT_ABUSE_NCAT; i++)
					for (int j = i; j > 0 && strcmp(text_abuse_cat_name((enum text_abuse_cat)cats[j - 1]),
									text_abuse_cat_name((enum text_abuse_cat)cats[j])) > 0;
					     j--) {
						int t = cats[j];
						cats[j] = cats[j - 1];
						cats[j - 1] = t;
					}
			for (int i = 0; i < TEXT_ABUSE_NCAT && rc == 0; i++) {
				const char *name = text_abuse_cat_name((enum text_abuse_cat)cats[i]);
				rc |= (i ? buf_addc(b, ',') : 0) | buf_add_json_str_min(b, name, strlen(name)) |
				      buf_addc(b, ':');
				if (rc == 0 && (x = add_real(b, text_abuse_score_shown(r->abuse[cats[i]]), 3)))
					return x;
			}
			rc |= buf_addc(b, '}');
			if (sorted)
				rc |= add_key(b, &f2, "\"flagged\":") | buf_adds(b, flagged) |
				      add_key(b, &f2, "\"severe\":") | buf_adds(b, severe);
			rc |= add_key(b, &f2, "\"spans\":[");
			for (size_t i = 0; i < r->nspans && rc == 0; i++) {
				const struct text_span *sp = &r->spans[i];
				const char *cat = text_abuse_cat_name(sp->cat);
				if (sp->start > INT64_MAX || sp->end > INT64_MAX)
					return 1;
				rc |= i ? buf_addc(b, ',') : 0;
				if (sorted)
					rc |= buf_adds(b, "{\"category\":") | buf_add_json_str_min(b, cat, strlen(cat)) |
					      buf_adds(b, ",\"end\":") | buf_add_i64(b, (int64_t)sp->end) |
					      buf_adds(b, ",\"start\":") | buf_add_i64(b, (int64_t)sp->start);
				else
					rc |= buf_adds(b, "{\"start\":") | buf_add_i64(b, (int64_t)sp->start) |
					      buf_adds(b, ",\"end\":") | buf_add_i64(b, (int64_t)sp->end) |
					      buf_adds(b, ",\"category\":") | buf_add_json_str_min(b, cat, strlen(cat));
				rc |= buf_addc(b, '}');
			}
			rc |= buf_adds(b, "]}");
			break;
		}
		case 1: {
			const char *lang = text_lang_name(r->lang);
			rc |= buf_add_json_str_min(b, lang, strlen(lang));
			break;
		}
		case 2:
			if (rc == 0 && (x = add_real(b, r->lang_conf, 2)))
				return x;
			break;
		case 3:
			if (len > INT64_MAX)
				return 1;
			rc |= buf_add_i64(b, (int64_t)len);
			break;
		case 4: {
			const char *label = text_sentiment_name(r->sentiment_label);
			rc |= buf_adds(b, "{\"label\":") | buf_add_json_str_min(b, label, strlen(label)) |
			      buf_adds(b, ",\"score\":");
			if (rc == 0 && (x = add_real(b, r->sentiment_score, 3)))
				return x;
			rc |= buf_addc(b, '}');
			break;
		}
		case 5:
			rc |= buf_addc(b, '[');
			for (size_t i = 0; i < r->ntopics && rc == 0; i++) {
				rc |= i ? buf_addc(b, ',') : 0;
				if (rc == 0 && (x = buf_add_json_str_min(b, r->topics[i], strlen(r->topics[i]))))
					return x == -2 ? 1 : -1;
			}
			rc |= buf_addc(b, ']');
			break;
		}
	}
	rc |= buf_addc(b, '}');
	return rc ? -1 : 0;
}

/* The whole analysis document, in insertion order or sorted (see field_text). */
static int doc_text(struct buf *b, const struct protect_result *res[2], const size_t len[2], int abusive,
		    int sorted)
{
	const char *ab = abusive ? "true" : "false";
	int rc = 0, x;
	if (sorted)
		rc |= buf_adds(b, "{\"abusive\":") | buf_adds(b, ab) | buf_adds(b, ",\"body\":");
	else
		rc |= buf_adds(b, "{\"v\":1,\"abusive\":") | buf_adds(b, ab) |
		      buf_adds(b, ",\"routed_to_team\":null,\"summary\":");
	for (int pass = 0; pass < 2 && rc == 0; pass++) {
		int f = sorted ? 1 - pass : pass; /* fields: 0 summary, 1 body */
		if (!res[f])
			rc |= buf_adds(b, "null");
		else if ((x = field_text(b, res[f], len[f], sorted)))
			return x;
		if (pass == 0)
			rc |= buf_adds(b, sorted ? ",\"routed_to_team\":null,\"summary\":" : ",\"body\":");
	}
	rc |= buf_adds(b, sorted ? ",\"v\":1}" : "}");
	return rc ? -1 : 0;
}

/* The tree form of the document (the fallback): 0 and *text (malloc'd), or a status. */
static int doc_tree(const struct protect_result *res[2], const size_t len[2], int abusive, char **text,
		    char **sorted, struct kp_err *err)
{
	json_t *f[2] = {NULL, NULL}, *doc = NULL;
	int rc = 0;
	*text = NULL;
	if (sorted)
		*sorted = NULL;
	for (int i = 0; i < 2; i++)
		if (res[i] && !(f[i] = field_tree(res[i], len[i], err))) {
			rc = err ? err->status : KP_EINTERNAL;
			goto out;
		}
	doc = json_pack("{sisbsnsOsO}", "v", 1, "abusive", abusive, "routed_to_team", "summary",
			f[0] ? f[0] : json_null(), "body", f[1] ? f[1] : json_null());
	*text = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
	if (sorted && *text)
		*sorted = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS);
	if (!*text || (sorted && !*sorted)) {
		free(*text);
		*text = NULL;
		rc = kp_err_set(err, KP_ENOMEM, "out of memory");
	}
out:
	json_decref(doc);
	json_decref(f[0]);
	json_decref(f[1]);
	return rc;
}

/* Both forms into the arena: the stored text, and (when sorted_out) the sorted one. */
static int analysis_text(const struct protect_result *res[2], const size_t len[2], int abusive,
			 const char **text_out, const char **sorted_out, struct arena *a, struct kp_err *err)
{
	struct buf b = BUF_INIT(4 * (size_t)ANALYSIS_JSON_MAX);
	char *text = NULL, *sorted = NULL;
	int rc = 0;
	pthread_once(&g_real_once, real_tab_make);
	if (doc_text(&b, res, len, abusive, 0) == 0) {
		*text_out = arena_strndup(a, b.ptr, b.len);
		buf_reset(&b);
		if (!sorted_out)
			goto out;
		if (doc_text(&b, res, len, abusive, 1) == 0) {
			*sorted_out = arena_strndup(a, b.ptr, b.len);
			goto out;
		}
	}
	rc = doc_tree(res, len, abusive, &text, sorted_out ? &sorted : NULL, err);
	if (rc == 0) {
		*text_out = arena_strdup(a, text);
		if (sorted_out)
			*sorted_out = arena_strdup(a, sorted);
	}
out:
	free(text);
	free(sorted);
	buf_release(&b);
	return rc;
}

void protect_search_text(struct interaction *it, struct arena *a)
{
	it->search_summary = it->search_body = NULL;
	if (!it->abusive)
		return;
	struct interaction view = *it;
	protect_mask_interaction(&view, a);
	if (view.summary && it->summary && strcmp(view.summary, it->summary) != 0)
		it->search_summary = view.summary;
	if (view.body && it->body && strcmp(view.body, it->body) != 0)
		it->search_body = view.body;
}

struct backfill {
	long long n;
};

static int backfill_job(struct store_conn *c, void *arg, struct kp_err *err)
{
	struct backfill *bf = arg;
	struct interaction_filter f = {.abusive_only = 1};
	struct store_page pg = {.limit = 200, .sort = STORE_SORT_OCCURRED, .desc = 1};
	struct arena a = ARENA_INIT; /* the whole job: the page cursor's key lives here */
	int rc = 0;
	for (;;) {
		struct interaction_list list = {0};
		if ((rc = store_interaction_list(c, &f, &pg, &list, &a, err)))
			break;
		for (size_t i = 0; i < list.n && rc == 0; i++) {
			struct interaction *it = &list.items[i];
			if (it->search_summary || it->search_body)
				continue;
			protect_search_text(it, &a);
			if (!it->search_summary && !it->search_body)
				continue;
			if ((rc = store_interaction_search_set(c, it, 0, err)) == 0)
				bf->n++;
		}
		if (rc || !list.more || list.n == 0)
			break;
		const struct interaction *last = &list.items[list.n - 1];
		pg.has_after = 1;
		pg.after_key = arena_printf(&a, "%" PRId64, last->occurred_at);
		pg.after_id = last->id;
	}
	arena_release(&a);
	return rc;
}

int protect_search_backfill(struct store *s, long long *n, struct kp_err *err)
{
	struct backfill bf = {0};
	int rc = store_exec(s, backfill_job, &bf, err);
	if (n)
		*n = bf.n;
	return rc;
}

static int analyze(struct interaction *it, const char **sorted, struct arena *a, struct kp_err *err)
{
	struct protect_result res[2];
	const struct protect_result *have[2] = {NULL, NULL};
	const char *field[2] = {it->summary, it->body};
	size_t len[2] = {0, 0};
	int abusive = 0, rc = 0;
	it->analysis_json = NULL;
	it->abusive = 0;
	it->search_summary = it->search_body = NULL;
	if (sorted)
		*sorted = NULL;
	/* inbound and outbound alike: staff's replies quote the customer's words, which are
	 * masked there too (whoever wrote a text, only inbound abuse is an incident) */
	for (int i = 0; i < 2; i++) {
		if (!field[i] || !*field[i])
			continue;
		len[i] = strlen(field[i]);
		rc = protect_analyze(field[i], len[i], TEXT_LANG_AUTO, &res[i], err);
		have[i] = &res[i];
		if (rc)
			goto out;
		abusive |= res[i].abusive;
	}
	if ((rc = analysis_text(have, len, abusive, &it->analysis_json, sorted, a, err)) == 0) {
		it->abusive = abusive;
		protect_search_text(it, a);
	}
out:
	for (int i = 0; i < 2; i++)
		if (have[i])
			protect_result_release(&res[i]);
	return rc;
}

int protect_interaction_analyze(struct interaction *it, struct arena *a, struct kp_err *err)
{
	return analyze(it, NULL, a, err);
}

int protect_interaction_analyze_sorted(struct interaction *it, const char **sorted, struct arena *a,
				       struct kp_err *err)
{
	return analyze(it, sorted, a, err);
}

static int is_inbound(const struct interaction *it)
{
	return it->direction && strcmp(it->direction, "inbound") == 0;
}

/* Make doc (taken: freed here) the interaction's stored analysis text (arena). 0 or KP_ENOMEM. */
static int doc_store(struct interaction *it, json_t *doc, struct arena *a, struct kp_err *err)
{
	char *text = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	if (!text)
		return kp_err_set(err, KP_ENOMEM, "out of memory");
	it->analysis_json = arena_strdup(a, text);
	free(text);
	return 0;
}

int protect_interaction_route(struct store_conn *c, struct interaction *it, struct arena *a, struct kp_err *err)
{
	struct customer cu;
	struct wellbeing_policy pol;
	int rc;
	if (!is_inbound(it) || !it->analysis_json)
		return 0;
	if ((rc = store_customer_get(c, it->customer_id, &cu, a, err)))
		return rc == KP_ENOTFOUND ? 0 : rc; /* the domain reports a missing customer */
	if (!(cu.flags & CUSTOMER_FLAG_ABUSIVE))
		return 0;
	if ((rc = store_policy_get(c, &pol, a, err)))
		return rc;
	if (!pol.route_to_team || !*pol.route_to_team)
		return 0;
	json_t *doc = json_loads(it->analysis_json, 0, NULL);
	if (!json_is_object(doc)) {
		json_decref(doc);
		return 0;
	}
	json_object_set_new(doc, "routed_to_team", json_string(pol.route_to_team));
	return doc_store(it, doc, a, err);
}

/* 1 if the analysis doc records a staff correction that the message is abusive. */
static int doc_corrected_abusive(json_t *doc)
{
	json_t *label = json_object_get(json_object_get(doc, "corrected"), "label");
	return json_is_string(label) && strcmp(json_string_value(label), "abusive") == 0;
}

/* The abuse categories present in either field, as a JSON array text (arena). */
static const char *categories_of(json_t *doc, const char **routed, int *severe, struct arena *a)
{
	static const char *const fields[] = {"summary", "body"};
	int seen[TEXT_ABUSE_NCAT] = {0};
	*severe = 0;
	struct buf out = BUF_INIT(512);
	const char *ret;
	json_t *rt = json_object_get(doc, "routed_to_team");
	*routed = json_is_string(rt) ? arena_strdup(a, json_string_value(rt)) : NULL;
	for (int f = 0; f < 2; f++) {
		json_t *abuse = json_object_get(json_object_get(doc, fields[f]), "abuse");
		json_t *cats = json_object_get(abuse, "categories");
		*severe |= json_is_true(json_object_get(abuse, "severe"));
		for (int k = 0; k < TEXT_ABUSE_NCAT; k++) {
			json_t *v = json_object_get(cats, text_abuse_cat_name((enum text_abuse_cat)k));
			if (json_is_number(v) && json_number_value(v) >= TEXT_ABUSE_PRESENT)
				seen[k] = 1;
		}
	}
	buf_addc(&out, '[');
	for (int k = 0, n = 0; k < TEXT_ABUSE_NCAT; k++)
		if (seen[k])
			buf_addf(&out, "%s\"%s\"", n++ ? "," : "", text_abuse_cat_name((enum text_abuse_cat)k));
	if (*severe)
		buf_adds(&out, out.len > 1 ? ",\"severe\"" : "\"severe\"");
	if (doc_corrected_abusive(doc))
		buf_adds(&out, out.len > 1 ? ",\"corrected\"" : "\"corrected\"");
	buf_addc(&out, ']');
	ret = arena_strdup(a, out.ptr);
	buf_release(&out);
	return ret;
}

/* 1 if the analysis doc finds abuse of people in either field: aimed at the reader, or an
 * insult, a threat or an identity attack present (obscenity and toxicity alone are not). */
static int at_people(json_t *doc)
{
	static const char *const fields[] = {"summary", "body"};
	static const enum text_abuse_cat people[] = {TEXT_ABUSE_INSULT, TEXT_ABUSE_THREAT, TEXT_ABUSE_IDENTITY};
	for (int f = 0; f < 2; f++) {
		json_t *abuse = json_object_get(json_object_get(doc, fields[f]), "abuse");
		if (!json_is_true(json_object_get(abuse, "flagged")))
			continue;
		if (json_is_true(json_object_get(abuse, "aimed_at_reader")))
			return 1;
		json_t *cats = json_object_get(abuse, "categories");
		for (size_t k = 0; k < sizeof people / sizeof people[0]; k++) {
			json_t *v = json_object_get(cats, text_abuse_cat_name(people[k]));
			if (json_is_number(v) && json_number_value(v) >= TEXT_ABUSE_PRESENT)
				return 1;
		}
	}
	return 0;
}

/* 1 if an abusive interaction's analysis doc makes an incident: severe, abuse of people, or
 * staff corrected it to abusive (they know what they were told). */
static int doc_incident(json_t *doc)
{
	static const char *const fields[] = {"summary", "body"};
	if (doc_corrected_abusive(doc))
		return 1;
	for (int f = 0; f < 2; f++)
		if (json_is_true(json_object_get(json_object_get(json_object_get(doc, fields[f]), "abuse"), "severe")))
			return 1;
	return at_people(doc);
}

/* Flag the customer at the policy's threshold; a severe incident (severe set) flags at once,
 * whatever the count, while the policy is on (threshold > 0). */
static int apply_policy(struct store_conn *c, const struct actor *who, int64_t customer_id, int severe,
			struct arena *a, struct kp_err *err)
{
	struct wellbeing_policy pol;
	struct customer cu;
	int64_t n = 0;
	int rc;
	if ((rc = store_policy_get(c, &pol, a, err)))
		return rc;
	if (pol.incident_threshold <= 0)
		return 0;
	int64_t since = time_now_ms() - (int64_t)pol.period_days * 86400000LL;
	if ((rc = store_notification_count(c, customer_id, since, &n, err)))
		return rc;
	if (n < pol.incident_threshold && !severe)
		return 0;
	if ((rc = store_customer_get(c, customer_id, &cu, a, err)))
		return rc;
	if (cu.flags & CUSTOMER_FLAG_ABUSIVE)
		return 0;
	cu.flags |= CUSTOMER_FLAG_ABUSIVE;
	if ((rc = store_customer_update(c, &cu, cu.version, err)))
		return rc;
	json_t *changes = json_pack("{s[[][s]]sIsIsIss?sb}", "flags", "abusive", "incidents", (json_int_t)n, "threshold",
				    (json_int_t)pol.incident_threshold, "period_days", (json_int_t)pol.period_days,
				    "routed_to_team", pol.route_to_team, "severe", severe);
	rc = domain_audit(c, who, "flag", "customer", customer_id, changes, err);
	json_decref(changes);
	return rc;
}

int protect_customer_unflag(struct store_conn *c, const struct actor *who, int64_t customer_id, const char *reason,
			    struct customer *out, struct arena *a, struct kp_err *err)
{
	int rc = store_customer_get(c, customer_id, out, a, err);
	if (rc == KP_ENOTFOUND)
		return kp_err_set(err, KP_ENOTFOUND, "customer %lld does not exist", (long long)customer_id);
	if (rc)
		return rc;
	if (out->merged_into)
		return kp_err_set(err, KP_ENOTFOUND, "customer %lld was merged into customer %lld", (long long)customer_id,
				  (long long)out->merged_into);
	if (!(out->flags & CUSTOMER_FLAG_ABUSIVE))
		return 0; /* nothing to clear: not audited again */
	out->flags &= ~CUSTOMER_FLAG_ABUSIVE;
	if ((rc = store_customer_update(c, out, out->version, err)))
		return rc;
	json_t *changes = json_pack("{s[[s][]]ss?}", "flags", "abusive", "reason", reason);
	rc = domain_audit(c, who, "unflag", "customer", customer_id, changes, err);
	json_decref(changes);
	return rc;
}

int protect_policy_recheck(struct store_conn *c, const struct actor *who, int64_t customer_id, struct arena *a,
			   struct kp_err *err)
{
	return apply_policy(c, who, customer_id, 0, a, err);
}

int protect_may_correct_abuse(const struct actor *who, const struct interaction *it, struct kp_err *err)
{
	if (who->role >= ROLE_MANAGER || (it->staff_id && it->staff_id == who->staff_id))
		return 0;
	return kp_err_set(err, KP_EFORBIDDEN,
	                  "only the staff member a message reached, or a manager, may correct whether it is abusive "
	                  "(not_abusive takes their protection away; abusive makes an incident that counts in their "
	                  "exposure and towards the customer's flag): ask them or a manager");
}

/* The fields ("summary", "body") a doc's abuse correction judged: its "fields" member, or,
 * for a correction stored before it had one, every field that was analysed. Bit 0 summary,
 * bit 1 body. */
static unsigned corrected_fields(json_t *doc)
{
	static const char *const fields[] = {"summary", "body"};
	json_t *corr = json_object_get(doc, "corrected"), *list = json_object_get(corr, "fields");
	unsigned bits = 0;
	if (!json_is_object(corr))
		return 0;
	for (int f = 0; f < 2; f++) {
		int in = 0;
		if (json_is_array(list)) {
			size_t i;
			json_t *v;
			json_array_foreach(list, i, v) in |=
			    json_is_string(v) && !strcmp(json_string_value(v), fields[f]);
		} else {
			in = json_is_object(json_object_get(doc, fields[f]));
		}
		bits |= in ? 1u << f : 0;
	}
	return bits;
}

int protect_interaction_corrected(struct store_conn *c, const struct actor *who, struct interaction *it, int abusive,
                                  int64_t correction_id, struct arena *a, struct kp_err *err)
{
	if (!is_inbound(it) || !it->analysis_json || !it->abusive == !abusive)
		return 0; /* nothing to change: the correction agrees (the learned layer still learns) */
	json_t *doc = json_loads(it->analysis_json, 0, NULL);
	if (!json_is_object(doc)) {
		json_decref(doc);
		return 0;
	}
	int was_incident = protect_interaction_incident(it), was_severe = protect_analysis_severe(it->analysis_json),
	    rc;
	static const char *const fields[] = {"summary", "body"};
	json_t *judged = json_array();
	for (int f = 0; f < 2; f++) {
		json_t *fa = json_object_get(doc, fields[f]), *ab = json_object_get(fa, "abuse");
		if (!json_is_object(ab))
			continue;
		/* abusive: flagged with no span to point at, so masked whole (fail closed); not
		 * abusive: nothing masked */
		json_object_set_new(ab, "flagged", json_boolean(abusive));
		json_object_set_new(ab, "spans", json_array());
		if (abusive) /* as at ingest: an abusive text's topics would repeat its words past the mask */
			json_object_del(fa, "topics");
		json_array_append_new(judged, json_string(fields[f]));
	}
	json_object_set_new(doc, "abusive", json_boolean(abusive));
	/* "fields": the texts the judgement is of; an edit of one of them ends it for that text
	 * alone (protect_interaction_reanalyse) */
	json_object_set_new(doc, "corrected",
	                    json_pack("{ss sI sI so}", "label", abusive ? "abusive" : "not_abusive", "by",
	                              (json_int_t)(who ? who->staff_id : 0), "correction_id", (json_int_t)correction_id,
	                              "fields", judged));
	if ((rc = doc_store(it, doc, a, err)))
		return rc;
	it->abusive = abusive;
	protect_search_text(it, a);
	int64_t version = it->version;
	if ((rc = store_interaction_update(c, it, version, err)))
		return rc;
	json_t *changes =
	    json_pack("{s[bb] sI}", "abusive", !abusive, abusive, "correction_id", (json_int_t)correction_id);
	rc = domain_audit(c, who, "correct", "interaction", it->id, changes, err);
	json_decref(changes);
	if (rc)
		return rc;
	if (abusive)
		return protect_interaction_recorded(c, who, it, 0, a, err);
	if (was_incident &&
	    ((rc = store_notification_withdraw(c, it->id, NULL, err)) ||
	     (rc = protect_policy_withdrawn(c, who, it->customer_id, it->occurred_at, was_severe, a, err))))
		return rc;
	return 0;
}

int protect_analysis_sentiment(json_t *doc)
{
	static const struct {
		const char *name;
		int value;
	} labels[] = {
	    {"negative", TEXT_SENT_NEGATIVE},
	    {"positive", TEXT_SENT_POSITIVE},
	    {"neutral", TEXT_SENT_NEUTRAL},
	};
	const char *fixed = json_string_value(json_object_get(json_object_get(doc, "sentiment_corrected"), "label"));
	int seen[3] = {0};
	for (size_t k = 0; k < 3; k++)
		if (fixed && strcmp(fixed, labels[k].name) == 0)
			return labels[k].value;
	static const char *const fields[] = {"summary", "body"};
	for (int f = 0; f < 2; f++) {
		const char *l = json_string_value(
		    json_object_get(json_object_get(json_object_get(doc, fields[f]), "sentiment"), "label"));
		for (size_t k = 0; l && k < 3; k++)
			seen[k] |= strcmp(l, labels[k].name) == 0;
	}
	return seen[0] ? TEXT_SENT_NEGATIVE : seen[1] ? TEXT_SENT_POSITIVE : TEXT_SENT_NEUTRAL;
}

int protect_interaction_sentiment_corrected(struct store_conn *c, const struct actor *who, struct interaction *it,
                                            int label, int64_t correction_id, struct arena *a, struct kp_err *err)
{
	if (!is_inbound(it) || !it->analysis_json)
		return 0;
	json_t *doc = json_loads(it->analysis_json, 0, NULL);
	if (!json_is_object(doc)) {
		json_decref(doc);
		return 0;
	}
	int was = protect_analysis_sentiment(doc), rc;
	if (was == label) {
		json_decref(doc);
		return 0; /* it agrees: nothing to change (the learned layer still learns) */
	}
	const char *was_name = text_sentiment_name(was), *name = text_sentiment_name(label);
	json_object_set_new(doc, "sentiment_corrected",
	                    json_pack("{ss sI sI}", "label", name, "by", (json_int_t)(who ? who->staff_id : 0),
	                              "correction_id", (json_int_t)correction_id));
	if ((rc = doc_store(it, doc, a, err)))
		return rc;
	if ((rc = store_interaction_update(c, it, it->version, err)))
		return rc;
	json_t *changes =
	    json_pack("{s[ss] sI}", "sentiment", was_name, name, "correction_id", (json_int_t)correction_id);
	rc = domain_audit(c, who, "correct", "interaction", it->id, changes, err);
	json_decref(changes);
	return rc;
}

int protect_analysis_severe(const char *analysis_json)
{
	json_t *doc = analysis_json ? json_loads(analysis_json, 0, NULL) : NULL;
	int severe = 0;
	static const char *const fields[] = {"summary", "body"};
	for (int f = 0; f < 2; f++)
		severe |=
		    json_is_true(json_object_get(json_object_get(json_object_get(doc, fields[f]), "abuse"), "severe"));
	json_decref(doc);
	return severe;
}

int protect_policy_withdrawn(struct store_conn *c, const struct actor *who, int64_t customer_id, int64_t withdrawn_at,
                             int withdrawn_severe, struct arena *a, struct kp_err *err)
{
	struct wellbeing_policy pol;
	struct customer cu;
	int64_t n = 0;
	int rc = store_customer_get(c, customer_id, &cu, a, err);
	if (rc == KP_ENOTFOUND) {
		kp_err_init(err);
		return 0;
	}
	if (rc || !(cu.flags & CUSTOMER_FLAG_ABUSIVE))
		return rc;
	if ((rc = store_policy_get(c, &pol, a, err)))
		return rc;
	if (pol.incident_threshold <= 0)
		return 0; /* the policy is off: the flag is the managers' to clear */
	int64_t since = time_now_ms() - (int64_t)pol.period_days * 86400000LL;
	if (!withdrawn_severe && withdrawn_at < since)
		return 0; /* it was not counted: what holds the flag is unchanged */
	struct notification_filter f = {.customer_id = customer_id, .severe_only = 1, .limit = 1};
	struct notification_list severe = {0};
	if ((rc = store_notification_list(c, &f, &severe, a, err)))
		return rc;
	if (severe.n)
		return 0; /* another severe incident holds it */
	if ((rc = store_notification_count(c, customer_id, since, &n, err)))
		return rc;
	/* cleared only when this withdrawal is what takes the count below the threshold (or it
	 * was the severe incident that flagged at once): incidents that merely aged out of the
	 * period do not clear a flag (the managers do) */
	if (n >= pol.incident_threshold || (!withdrawn_severe && n != pol.incident_threshold - 1))
		return 0;
	return protect_customer_unflag(
	    c, who, customer_id,
	    "the incidents that flagged the customer were withdrawn (their messages were edited, or"
	    " corrected as not abusive)",
	    &cu, a, err);
}

int protect_interaction_reanalysed(struct store_conn *c, struct interaction *it, const char *old_analysis_json,
                                   struct arena *a, struct kp_err *err)
{
	/* a message routed when it came stays routed (the team it went to has it) */
	json_t *old = old_analysis_json ? json_loads(old_analysis_json, 0, NULL) : NULL;
	json_t *rt = json_object_get(old, "routed_to_team");
	if (json_is_string(rt) && is_inbound(it) && it->analysis_json) {
		json_t *doc = json_loads(it->analysis_json, 0, NULL);
		if (json_is_object(doc) && !json_is_string(json_object_get(doc, "routed_to_team"))) {
			json_object_set(doc, "routed_to_team", rt);
			int rc = doc_store(it, doc, a, err);
			if (rc) {
				json_decref(old);
				return rc;
			}
		} else {
			json_decref(doc);
		}
	}
	json_decref(old);
	/* and one that turns inbound, or is edited, while the customer is flagged is routed now */
	return protect_interaction_route(c, it, a, err);
}

int protect_interaction_reanalyse(struct interaction *it, const char *old_summary, const char *old_body,
                                  const char *old_analysis_json, struct arena *a, struct kp_err *err)
{
	static const char *const fields[] = {"summary", "body"};
	const char *was[2] = {old_summary, old_body}, *now[2] = {it->summary, it->body};
	json_t *old = is_inbound(it) && old_analysis_json ? json_loads(old_analysis_json, 0, NULL) : NULL;
	unsigned judged = corrected_fields(old), kept = 0;
	for (int f = 0; f < 2; f++)
		if ((judged >> f & 1) && was[f] && now[f] && *now[f] && strcmp(was[f], now[f]) == 0 &&
		    json_is_object(json_object_get(old, fields[f])))
			kept |= 1u << f;
	if (!kept) { /* no judgement of a text that is still there: analysed afresh */
		json_decref(old);
		return protect_interaction_analyze(it, a, err);
	}
	json_t *corr = json_deep_copy(json_object_get(old, "corrected")), *part[2] = {NULL, NULL}, *list = json_array();
	int label_abusive = doc_corrected_abusive(old), abusive = 0, rc = 0;
	for (int f = 0; f < 2; f++) {
		if (kept >> f & 1) { /* the text the person judged, unchanged: their judgement stands */
			part[f] = json_deep_copy(json_object_get(old, fields[f]));
			abusive |= label_abusive;
			json_array_append_new(list, json_string(fields[f]));
		} else if (now[f] && *now[f]) { /* a new text: the analysis's own reading */
			struct protect_result res;
			size_t len = strlen(now[f]);
			rc = protect_analyze(now[f], len, TEXT_LANG_AUTO, &res, err);
			if (rc == 0 && !(part[f] = field_tree(&res, len, err)))
				rc = err ? err->status : KP_EINTERNAL;
			abusive |= rc == 0 && res.abusive;
			protect_result_release(&res);
			if (rc)
				goto out;
		}
	}
	json_object_set_new(corr, "fields", list);
	list = NULL;
	json_t *doc =
	    json_pack("{sisbsnsOsOsO}", "v", 1, "abusive", abusive, "routed_to_team", "summary",
	              part[0] ? part[0] : json_null(), "body", part[1] ? part[1] : json_null(), "corrected", corr);
	if (!doc) {
		rc = kp_err_set(err, KP_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = doc_store(it, doc, a, err)) == 0) {
		it->abusive = abusive;
		protect_search_text(it, a);
	}
out:
	json_decref(list);
	json_decref(corr);
	json_decref(part[0]);
	json_decref(part[1]);
	json_decref(old);
	return rc;
}

int protect_interaction_incident(const struct interaction *it)
{
	if (!is_inbound(it) || !it->abusive)
		return 0;
	json_t *doc = it->analysis_json ? json_loads(it->analysis_json, 0, NULL) : NULL;
	int yes = doc_incident(doc);
	json_decref(doc);
	return yes;
}

int protect_interaction_recorded(struct store_conn *c, const struct actor *who, const struct interaction *it,
				 int was_incident, struct arena *a, struct kp_err *err)
{
	struct wellbeing_notification n = {0};
	struct staff st;
	int rc;
	if (!is_inbound(it) || !it->abusive || was_incident)
		return 0;
	json_t *doc = it->analysis_json ? json_loads(it->analysis_json, 0, NULL) : NULL;
	int severe;
	/* Swearing about a situation ("Perkele, taas myöhässä") is masked like any abuse but is
	 * no incident: nobody was insulted, threatened or attacked (issue 3 keeps the two apart).
	 * An incident is abuse aimed at the reader, or an insult, threat or identity attack. */
	if (!doc_incident(doc)) {
		json_decref(doc);
		return 0;
	}
	n.categories_json = categories_of(doc, &n.routed_to_team, &severe, a);
	json_decref(doc);
	n.interaction_id = it->id;
	n.customer_id = it->customer_id;
	n.staff_id = it->staff_id;
	n.occurred_at = it->occurred_at;
	if (it->staff_id) {
		rc = store_staff_get(c, it->staff_id, &st, a, err);
		if (rc == 0)
			n.team = st.team;
		else if (rc != KP_ENOTFOUND)
			return rc;
		kp_err_init(err);
	}
	if ((rc = store_notification_insert(c, &n, err)))
		return rc;
	return apply_policy(c, who, it->customer_id, severe, a, err);
}

void protect_customer_decorate(struct store_conn *c, const struct customer *cu, json_t *j, struct arena *a)
{
	struct wellbeing_policy pol;
	struct kp_err err = KP_ERR_INIT;
	if (!c || !j || !(cu->flags & CUSTOMER_FLAG_ABUSIVE))
		return;
	if (store_policy_get(c, &pol, a, &err) == 0)
		json_object_set_new(j, "routed_to_team", pol.route_to_team ? json_string(pol.route_to_team) : json_null());
}

/* ---- masking ------------------------------------------------------------------------------ */

/* s with every character replaced by '*' (arena). */
static const char *mask_all(const char *s, struct arena *a)
{
	size_t n = 0;
	for (const char *p = s; *p; p++)
		n += ((unsigned char)*p & 0xC0) != 0x80;
	char *out = arena_alloc(a, n + 1);
	memset(out, '*', n);
	out[n] = 0;
	return out;
}

static const char *mask_field(const char *s, json_t *an, struct arena *a)
{
	if (!s || !*s)
		return s;
	json_t *spans = json_object_get(json_object_get(an, "abuse"), "spans");
	json_t *len = json_object_get(an, "len");
	size_t slen = strlen(s), n = json_array_size(spans);
	if (!json_is_object(an))
		return s; /* not analysed: nothing known to mask */
	if (!json_is_integer(len) || (size_t)json_integer_value(len) != slen)
		return mask_all(s, a);
	if (n == 0) /* flagged on the whole text, no word to point at: fail closed */
		return json_is_true(json_object_get(json_object_get(an, "abuse"), "flagged")) ? mask_all(s, a) : s;
	struct text_result r;
	memset(&r, 0, sizeof r);
	r.spans = arena_calloc(a, n * sizeof *r.spans);
	for (size_t i = 0; i < n; i++) {
		json_t *sp = json_array_get(spans, i);
		json_t *st = json_object_get(sp, "start"), *en = json_object_get(sp, "end");
		if (!json_is_integer(st) || !json_is_integer(en) || json_integer_value(st) < 0 ||
		    json_integer_value(en) < json_integer_value(st))
			return mask_all(s, a);
		r.spans[i].start = (size_t)json_integer_value(st);
		r.spans[i].end = (size_t)json_integer_value(en);
		r.spans[i].cat = TEXT_ABUSE_TOXICITY;
	}
	r.nspans = n;
	struct buf out = BUF_INIT(slen + 1);
	const char *ret;
	if (text_mask(s, slen, &r, &out) < 0)
		ret = mask_all(s, a);
	else
		ret = arena_strndup(a, out.ptr, out.len);
	buf_release(&out);
	return ret;
}

/* One field's analysis reduced to what does not depend on the hidden words' exact form (new
 * reference): the language, the sentiment label, flagged / aimed / severe and the categories
 * present. Scores to three decimals, spans in bytes and the byte length would let a guess be
 * checked against /text/analyze. */
static json_t *field_shown(json_t *f)
{
	if (!json_is_object(f))
		return json_incref(f);
	json_t *ab = json_object_get(f, "abuse"), *cats = json_object_get(ab, "categories");
	json_t *present = json_array();
	const char *name;
	json_t *v;
	json_object_foreach(cats, name, v)
		if (json_is_number(v) && json_number_value(v) >= TEXT_ABUSE_PRESENT)
			json_array_append_new(present, json_string(name));
	return json_pack("{sO? s{sO?} s{sO? sO? sO? so}}", "lang", json_object_get(f, "lang"), "sentiment", "label",
			 json_object_get(json_object_get(f, "sentiment"), "label"), "abuse", "flagged",
			 json_object_get(ab, "flagged"), "aimed_at_reader", json_object_get(ab, "aimed_at_reader"), "severe",
			 json_object_get(ab, "severe"), "present", present);
}

json_t *protect_analysis_shown(json_t *doc)
{
	if (!json_is_object(doc) || !json_is_true(json_object_get(doc, "abusive")))
		return json_incref(doc);
	return protect_analysis_reduced(doc);
}

json_t *protect_analysis_reduced(json_t *doc)
{
	if (!json_is_object(doc))
		return json_incref(doc);
	json_t *out = json_copy(doc);
	static const char *const fields[] = {"summary", "body"};
	for (int k = 0; out && k < 2; k++) {
		json_t *f = json_object_get(doc, fields[k]);
		if (f)
			json_object_set_new(out, fields[k], field_shown(f));
	}
	return out;
}

void protect_mask_interaction(struct interaction *it, struct arena *a)
{
	if (!it->abusive)
		return;
	json_t *doc = it->analysis_json ? json_loads(it->analysis_json, 0, NULL) : NULL;
	if (!json_is_object(doc)) {
		/* flagged but the spans are unknown: fail closed */
		if (it->summary)
			it->summary = mask_all(it->summary, a);
		if (it->body)
			it->body = mask_all(it->body, a);
		it->analysis_json = NULL;
	} else {
		it->summary = mask_field(it->summary, json_object_get(doc, "summary"), a);
		it->body = mask_field(it->body, json_object_get(doc, "body"), a);
		json_t *shown = protect_analysis_shown(doc);
		char *text = shown ? json_dumps(shown, JSON_COMPACT) : NULL;
		it->analysis_json = text ? arena_strdup(a, text) : NULL;
		free(text);
		json_decref(shown);
	}
	json_decref(doc);
}

void protect_mask_texts(const char *const *texts, size_t n, int force, const char **out, int *masked, struct arena *a)
{
	struct protect_result res[PROTECT_MASK_TEXTS_MAX];
	int ok[PROTECT_MASK_TEXTS_MAX] = {0}, any = force;
	*masked = 0;
	for (size_t k = PROTECT_MASK_TEXTS_MAX; k < n; k++)
		out[k] = texts[k] ? mask_all(texts[k], a) : NULL; /* beyond the contract: fail closed */
	if (n > PROTECT_MASK_TEXTS_MAX)
		n = PROTECT_MASK_TEXTS_MAX;
	for (size_t k = 0; k < n; k++) {
		struct kp_err err = KP_ERR_INIT;
		const char *s = texts[k];
		out[k] = s;
		memset(&res[k], 0, sizeof res[k]);
		if (!s || !*s)
			continue;
		if (strlen(s) > TEXT_MAX_INPUT || protect_analyze(s, strlen(s), TEXT_LANG_AUTO, &res[k], &err) != 0) {
			out[k] = mask_all(s, a); /* unread: fail closed */
			*masked = 1;
			continue;
		}
		ok[k] = 1;
		any |= res[k].abusive;
	}
	/* as a read shows an abusive message: every field's spans, whichever field was abusive */
	for (size_t k = 0; k < n && any; k++) {
		if (!ok[k])
			continue;
		const char *s = texts[k];
		size_t len = strlen(s);
		if (res[k].r.nspans == 0) {
			if (res[k].abusive) {
				out[k] = mask_all(s, a);
				*masked = 1;
			}
			continue;
		}
		struct buf b = BUF_INIT(len + 1);
		out[k] = text_mask(s, len, &res[k].r, &b) < 0 ? mask_all(s, a) : arena_strndup(a, b.ptr, b.len);
		buf_release(&b);
		*masked |= strcmp(out[k], s) != 0;
	}
	for (size_t k = 0; k < n; k++)
		protect_result_release(&res[k]); /* zeroed or analysed, failed ones too */
}

const char *protect_mask_merge(const char *s, const char *m1, const char *m2, struct arena *a)
{
	if (!s || !m1 || !m2 || m1 == m2 || strcmp(m1, m2) == 0)
		return m1 ? m1 : m2;
	/* each mask puts one '*' in place of each character it hides, so the characters line up */
	size_t n = strlen(s);
	char *out = arena_alloc(a, n + 1), *o = out;
	const char *p = s, *x = m1, *y = m2;
	while (*p) {
		size_t cl = 1;
		while (((unsigned char)p[cl] & 0xC0) == 0x80)
			cl++;
		if ((*x != '*' && strncmp(x, p, cl) != 0) || (*y != '*' && strncmp(y, p, cl) != 0))
			return mask_all(s, a); /* not masks of s: fail closed */
		if (*x == '*' || *y == '*') {
			*o++ = '*';
		} else {
			memcpy(o, p, cl);
			o += cl;
		}
		/* the same character in each mask: itself (cl bytes) or one '*' (a '*' itself is one) */
		x += *x == '*' ? 1 : cl;
		y += *y == '*' ? 1 : cl;
		p += cl;
	}
	if (*x || *y)
		return mask_all(s, a);
	*o = 0;
	return out;
}

const char *protect_mask_whole(const char *s, struct arena *a)
{
	return s ? mask_all(s, a) : s;
}

const char *protect_mask_text(const char *s, int *masked, struct arena *a)
{
	const char *out = s;
	int m = 0;
	protect_mask_texts(&s, 1, 0, &out, &m, a);
	if (masked)
		*masked = m;
	return out;
}

/* ---- staff-authored texts: notes, and edits of masked texts --------------------------------- */

/* Note n as an interaction with its body alone, for the interaction's machinery. */
static struct interaction note_view(const struct note *n)
{
	struct interaction it;
	memset(&it, 0, sizeof it);
	it.id = n->id;
	it.direction = "outbound"; /* staff wrote it */
	it.body = n->body;
	it.analysis_json = n->analysis_json;
	it.abusive = n->abusive;
	it.search_body = n->search_body;
	return it;
}

int protect_note_analyze(struct note *n, struct arena *a, struct kp_err *err)
{
	struct interaction it = note_view(n);
	it.analysis_json = NULL;
	int rc = protect_interaction_analyze(&it, a, err);
	n->analysis_json = n->search_body = NULL;
	n->abusive = 0;
	if (rc)
		return rc;
	/* a note has no summary and is routed nowhere: its document holds the body's analysis */
	json_t *doc = it.analysis_json ? json_loads(it.analysis_json, 0, NULL) : NULL;
	char *text = NULL;
	if (json_is_object(doc)) {
		json_object_del(doc, "summary");
		json_object_del(doc, "routed_to_team");
		text = json_dumps(doc, JSON_COMPACT);
	}
	json_decref(doc);
	if (!text)
		return kp_err_set(err, KP_ENOMEM, "out of memory for a note's analysis");
	n->analysis_json = arena_strdup(a, text);
	free(text);
	n->abusive = it.abusive;
	n->search_body = it.search_body;
	return 0;
}

void protect_mask_note(struct note *n, struct arena *a)
{
	struct interaction it = note_view(n);
	protect_mask_interaction(&it, a);
	n->body = it.body;
	n->analysis_json = it.analysis_json;
}

/* How many maximal runs of exactly n '*' s holds. */
static size_t star_runs(const char *s, size_t n)
{
	size_t count = 0;
	while (*s) {
		size_t run = 0;
		while (s[run] == '*')
			run++;
		count += run == n;
		s += run ? run : 1;
	}
	return count;
}

/*
 * 1 if sent echoes a mask of shown (orig as masked for staff, one '*' per hidden character):
 * it holds more runs of asterisks of a masked run's length than orig itself does. A masked run
 * is a maximal run of '*' in shown that hides at least one character of orig (a '*' of orig
 * beside it belongs to the run, as the reader sees it). Asterisks the customer wrote
 * ("**Tärkeää**", "a**hole"), kept or retyped in an edit of the revealed text, are no echo.
 */
static int echoes_mask(const char *orig, const char *shown, const char *sent)
{
	const char *o = orig, *m = shown;
	while (*m) {
		size_t run, chars = 0;
		int hides = 0;
		/* walk orig and shown together, a character at a time, over shown's run of '*' */
		while (*m == '*' && *o) {
			size_t cl = 1;
			while (((unsigned char)o[cl] & 0xC0) == 0x80)
				cl++;
			hides |= *o != '*';
			o += cl;
			m++;
			chars++;
		}
		run = chars;
		if (run && hides && star_runs(sent, run) > star_runs(orig, run))
			return 1;
		if (!*m || !*o)
			break;
		if (!run) {
			size_t cl = 1;
			while (((unsigned char)o[cl] & 0xC0) == 0x80)
				cl++;
			if (strncmp(m, o, cl) != 0)
				return 1; /* shown is no masking of orig: fail closed */
			o += cl;
			m += cl;
		}
	}
	return 0;
}

/*
 * A text a client sent back (sent) after reading it masked (shown; orig is the stored
 * original). Sent as shown, it is no change (orig itself). Sent changed but still holding
 * masks, it is an edit of words the client cannot see: restoring them beside the change could
 * show them (a letter typed before a mask makes a word the analysis no longer knows), and
 * storing the asterisks would erase the customer's words. So that is refused (KP_EVALIDATION
 * on field): edit the revealed text (GET ?reveal=1, audited), or replace the text whole.
 */
int protect_masked_edit(const char *orig, const char *shown, const char **sent, const char *field, int *typed_hidden,
                        struct kp_err *err)
{
	if (strcmp(shown, *sent) == 0) {
		*sent = orig;
		return 0;
	}
	/* the hidden words typed in as they are: no change, but answered as one (see the caller) */
	if (strcmp(*sent, orig) == 0)
		*typed_hidden = 1;
	if (strcmp(shown, orig) != 0 && echoes_mask(orig, shown, *sent))
		return kp_err_field(err, field,
		                    "holds masked words: send it back unchanged, or edit the revealed text (GET with "
		                    "?reveal=1)");
	return 0;
}

#define PROTECT_SNIPPET_CHARS 160 /* a search hit's snippet of an abusive text */
/* The first max characters of s, with "..." after them when cut and dots set (arena). */
static const char *excerpt_n(const char *s, size_t max, int dots, struct arena *a)
{
	size_t i = 0, chars = 0;
	while (s[i] && chars < max) {
		i++;
		while (((unsigned char)s[i] & 0xC0) == 0x80)
			i++;
		chars++;
	}
	if (!s[i])
		return s;
	return arena_printf(a, "%.*s%s", (int)i, s, dots ? "..." : "");
}

/* The first PROTECT_SNIPPET_CHARS characters of s, with "..." when cut (arena). */
static const char *excerpt(const char *s, struct arena *a)
{
	return excerpt_n(s, PROTECT_SNIPPET_CHARS, 1, a);
}

int protect_search_hit_shown(struct store_conn *c, const char *q, const struct search_forms *forms,
                             struct search_hit *h, struct arena *a)
{
	int is_note = h->entity && strcmp(h->entity, "note") == 0;
	if (!h->entity || (strcmp(h->entity, "interaction") != 0 && !is_note) || !h->abusive)
		return 1; /* the store says which texts are abusive: only those are read again */
	struct interaction it;
	struct customer cu;
	struct organization org;
	struct kp_err err = KP_ERR_INIT;
	const char *owner = NULL;
	int matches = 0;
	if (is_note) {
		struct note n;
		if (store_note_get(c, h->id, &n, a, &err) != 0)
			return 0; /* gone or unreadable since the search: show nothing of it */
		it = note_view(&n);
		it.customer_id = n.customer_id;
		if (!n.customer_id) {
			if (store_org_get(c, n.org_id, &org, a, &err) != 0)
				return 0;
			owner = org.name;
		}
	} else if (store_interaction_get(c, h->id, &it, a, &err) != 0) {
		return 0; /* gone or unreadable since the search: show nothing of it */
	}
	if (!it.abusive)
		return 1;
	protect_mask_interaction(&it, a);
	/* as the stores title it: an interaction's summary (its kind), a note's first 80 characters */
	h->title = is_note                     ? excerpt_n(it.body ? it.body : "", 80, 0, a)
	           : it.summary && *it.summary ? it.summary
	                                       : it.kind;
	h->snippet = it.body ? excerpt(it.body, a) : it.summary ? excerpt(it.summary, a) : NULL;
	/* what the index holds for it: summary, body and the customer's (a note's organisation's)
	 * name as context */
	if (!owner) {
		if (store_customer_get_brief(c, it.customer_id, &cu, a, &err) != 0)
			return 0;
		owner = cu.name;
	}
	const char *seen =
	    arena_printf(a, "%s\n%s\n%s", it.summary ? it.summary : "", it.body ? it.body : "", owner ? owner : "");
	if (store_search_text_matches(c, q, forms, seen, &matches, &err) != 0)
		return 0;
	return matches;
}

/* ---- corrections and the learned layer ---------------------------------------------------- */

int protect_correction_parse(const char *kind, const char *label, enum text_task *task, int *label_value,
			     struct kp_err *err)
{
	static const struct {
		const char *kind, *label;
		enum text_task task;
		int value;
	} pairs[] = {
		{"abuse", "abusive", TEXT_TASK_ABUSE, 1},
		{"abuse", "not_abusive", TEXT_TASK_ABUSE, 0},
		{"sentiment", "positive", TEXT_TASK_SENTIMENT, TEXT_SENT_POSITIVE},
		{"sentiment", "negative", TEXT_TASK_SENTIMENT, TEXT_SENT_NEGATIVE},
		{"sentiment", "neutral", TEXT_TASK_SENTIMENT, TEXT_SENT_NEUTRAL},
	};
	int kind_ok = 0;
	for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
		if (!kind || strcmp(kind, pairs[i].kind) != 0)
			continue;
		kind_ok = 1;
		if (label && strcmp(label, pairs[i].label) == 0) {
			*task = pairs[i].task;
			*label_value = pairs[i].value;
			return 0;
		}
	}
	if (!kind_ok)
		return kp_err_field(err, "kind", "must be abuse or sentiment");
	if (strcmp(kind, "abuse") == 0)
		return kp_err_field(err, "label", "must be abusive or not_abusive for kind abuse");
	return kp_err_field(err, "label", "must be positive, negative or neutral for kind sentiment");
}

/* One staff member's say on one text for one task: their latest correction of it. */
struct vote {
	int64_t staff_id, id;
	enum text_task task;
	int value;
	const char *text;
};

static int vote_cmp(const void *x, const void *y)
{
	const struct vote *a = x, *b = y;
	if (a->staff_id != b->staff_id)
		return a->staff_id < b->staff_id ? -1 : 1;
	if (a->task != b->task)
		return a->task < b->task ? -1 : 1;
	int t = strcmp(a->text, b->text);
	if (t)
		return t;
	return a->id < b->id ? -1 : a->id > b->id;
}

static int vote_id_cmp(const void *x, const void *y)
{
	const struct vote *a = x, *b = y;
	return a->id < b->id ? -1 : a->id > b->id;
}

/*
 * The learned layer is trained on the corrections, one vote per staff member, text and task:
 * their latest. Repeating a correction does not weigh more, so one account cannot talk the
 * layer out of seeing an insult by sending the same "not abusive" thirty times.
 */
int protect_model_rebuild(struct store_conn *c, struct kp_err *err)
{
	struct text_analyzer *ta = protect_analyzer(err);
	struct text_model *m = NULL;
	struct arena a = ARENA_INIT, keep = ARENA_INIT;
	struct vote *votes = NULL;
	size_t nv = 0, cap = 0;
	int64_t after = 0;
	int rc = 0;
	if (!ta)
		return err ? err->status : KP_EINTERNAL;
	if (!(m = text_model_new())) {
		rc = kp_err_set(err, KP_ENOMEM, "out of memory for the learned model");
		goto out;
	}
	for (;;) {
		struct correction_list list;
		if ((rc = store_correction_list(c, after, 1000, &list, &a, err)))
			goto out;
		for (size_t i = 0; i < list.n; i++) {
			const struct text_correction *tc = &list.items[i];
			enum text_task task;
			int value;
			after = tc->id;
			if (protect_correction_parse(tc->kind, tc->label, &task, &value, NULL) || !tc->text ||
			    !*tc->text)
				continue; /* an older label vocabulary, or words erased (customer_erase): skip */
			if (nv == cap) {
				size_t nc = cap ? cap * 2 : 256;
				struct vote *nvp = realloc(votes, nc * sizeof *nvp);
				if (!nvp) {
					rc = kp_err_set(err, KP_ENOMEM, "out of memory for the corrections");
					goto out;
				}
				votes = nvp;
				cap = nc;
			}
			votes[nv++] = (struct vote){ tc->staff_id, tc->id, task, value, arena_strdup(&keep, tc->text) };
		}
		arena_release(&a);
		if (!list.more)
			break;
	}
	/* keep each person's latest vote on a text, then train in the order they were made */
	size_t nk = 0;
	if (nv)
		qsort(votes, nv, sizeof *votes, vote_cmp);
	for (size_t i = 0; i < nv; i++)
		if (!(i + 1 < nv && votes[i + 1].staff_id == votes[i].staff_id && votes[i + 1].task == votes[i].task &&
		      strcmp(votes[i + 1].text, votes[i].text) == 0))
			votes[nk++] = votes[i];
	if (nk)
		qsort(votes, nk, sizeof *votes, vote_id_cmp);
	for (size_t i = 0; i < nk; i++) {
		const struct vote *v = &votes[i];
		size_t len = strlen(v->text);
		if (len > TEXT_MAX_INPUT)
			len = text_utf8_prefix(v->text, len, TEXT_MAX_INPUT);
		text_model_train(m, ta, v->task, v->text, len, TEXT_LANG_AUTO, v->value);
	}
	protect_model_publish(m);
	m = NULL;
out:
	text_model_free(m);
	free(votes);
	arena_release(&a);
	arena_release(&keep);
	return rc;
}

int protect_model_retrain(struct store_conn *c, struct kp_err *err)
{
	int rc = 0;
	pthread_mutex_lock(&g_ensure_lock);
	int64_t now = time_now_ms();
	if (now - atomic_load(&g_rebuilt_at) >= RETRAIN_GAP_MS) {
		/* the writer reads every correction, those put off included: they are pending no
		 * more (none can be put off meanwhile: only the writer, and
		 * protect_model_retrain_later() after a commit, put them off, under the lock) */
		atomic_store(&g_rebuilt_at, now);
		rc = protect_model_rebuild(c, err);
		atomic_store(&g_pending_seq, 0);
	} else {
		atomic_store(&g_pending_last, now);
		atomic_fetch_add(&g_pending_seq, 1);
	}
	pthread_mutex_unlock(&g_ensure_lock);
	return rc;
}

void protect_model_retrain_later(void)
{
	pthread_mutex_lock(&g_ensure_lock);
	atomic_store(&g_pending_last, time_now_ms());
	atomic_fetch_add(&g_pending_seq, 1);
	pthread_mutex_unlock(&g_ensure_lock);
}

void protect_model_ensure(struct store *s)
{
	struct kp_err err = KP_ERR_INIT;
	uint_fast64_t seq = atomic_load(&g_pending_seq);
	int64_t now = seq ? time_now_ms() : 0;
	/* due once the last put-off correction is committed (0.5 s after it) and the last rebuild
	 * is 2 s old */
	int due = seq && now - atomic_load(&g_pending_last) >= RETRAIN_SETTLE_MS &&
	          now - atomic_load(&g_rebuilt_at) >= RETRAIN_GAP_MS;
	if (atomic_load(&g_model_loaded) && !due)
		return;
	pthread_mutex_lock(&g_ensure_lock);
	if (!atomic_load(&g_model_loaded)) {
		struct store_conn *c = store_reader(s, &err);
		if (c && protect_model_rebuild(c, &err) == 0)
			atomic_store(&g_model_loaded, 1);
		else
			log_warn("protect: could not load the learned model: %s", err.msg);
	} else if (due && atomic_load(&g_pending_seq) == seq) {
		/* the corrections put off by protect_model_retrain(), now committed: read through
		 * this thread's reader; one put off meanwhile keeps the rebuild pending */
		struct store_conn *c = store_reader(s, &err);
		atomic_store(&g_rebuilt_at, time_now_ms());
		if (c && protect_model_rebuild(c, &err) == 0) {
			uint_fast64_t expect = seq;
			atomic_compare_exchange_strong(&g_pending_seq, &expect, 0);
		} else {
			log_warn("protect: could not retrain the learned model: %s", err.msg);
		}
	}
	pthread_mutex_unlock(&g_ensure_lock);
}

/* ---- staff-authored texts stored before they were analysed -------------------------------- */

#define STAFF_PAGE 64

/* One page of protect_staff_backfill(): texts read and analysed off the writer, written by
 * staff_page_job() on it when still as they were read. */
struct staff_page {
	int notes; /* 0: outbound interactions */
	size_t n;
	struct interaction its[STAFF_PAGE];
	struct note ns[STAFF_PAGE];
	long long written;
};

/* What the pass stores of a text stored before that it finds clean: the verdict alone (see
 * protect.h). Its full analysis (scores, topics, lengths: about 900 bytes) is what no read of a
 * staff text needs, and over every reply of a large database (800,000 in the bench's demo) it
 * grew the file by a third; a text written or edited from now on keeps its whole analysis. */
const char protect_staff_clean[] = "{\"v\":1,\"abusive\":false,\"routed_to_team\":null}";

/* A text the pass masks changes as reads show it (a new version): audited as an update by
 * "system", as the start-up's other changes to what an older version stored are. */
static int staff_page_audit(struct store_conn *c, const char *entity, int64_t id, struct kp_err *err)
{
	static const struct actor sys = {0, ROLE_ADMIN, "system", NULL};
	return domain_audit_text(c, &sys, "update", entity, id, "{\"abusive\":[false,true]}", err);
}

static int staff_page_job(struct store_conn *c, void *arg, struct kp_err *err)
{
	struct staff_page *pg = arg;
	struct arena a = ARENA_INIT;
	long long written = 0;
	int rc = 0;
	/* an abusive text gets a new version stamped now: reads show masks, so a client revalidating
	 * its ETag and an updated_after syncer see the change. A clean one keeps its version: only
	 * the verdict is stored (protect_staff_clean), nothing a read shows of the text changes, and an
	 * upgrade's pass over every reply ever sent would otherwise hand each syncer all of them. */
	int64_t stamp = time_now_ms();
	for (size_t i = 0; i < pg->n && rc == 0; i++) {
		/* edited, deleted or analysed since it was read: an edit analysed it already */
		if (pg->notes) {
			struct note now;
			const struct note *was = &pg->ns[i];
			if (store_note_get(c, was->id, &now, &a, err) != 0) {
				kp_err_init(err);
				continue;
			}
			if (now.version != was->version || now.analysis_json)
				continue;
			rc = store_note_search_set(c, was, was->abusive ? stamp : 0, err);
			if (rc == 0 && was->abusive)
				rc = staff_page_audit(c, "note", was->id, err);
		} else {
			struct interaction now;
			const struct interaction *was = &pg->its[i];
			if (store_interaction_get(c, was->id, &now, &a, err) != 0) {
				kp_err_init(err);
				continue;
			}
			if (now.version != was->version || now.analysis_json)
				continue;
			rc = store_interaction_search_set(c, was, was->abusive ? stamp : 0, err);
			if (rc == 0 && was->abusive)
				rc = staff_page_audit(c, "interaction", was->id, err);
		}
		written += rc == 0;
	}
	arena_release(&a);
	if (rc == 0)
		pg->written += written; /* a failed job is rolled back whole */
	return rc;
}

int protect_staff_backfill(struct store *s, atomic_int *stop, long long *n, struct kp_err *err)
{
	struct staff_page *pg = calloc(1, sizeof *pg);
	struct arena a = ARENA_INIT;
	long long total = 0;
	int rc = 0;
	if (!pg)
		return kp_err_set(err, KP_ENOMEM, "out of memory");
	for (int k = 0; k < 2 && rc == 0; k++) {
		int64_t after = 0;
		for (;;) {
			int64_t ids[STAFF_PAGE];
			size_t nids = 0;
			struct store_conn *r = store_reader(s, err);
			if (stop && atomic_load(stop))
				break;
			if (!r) {
				rc = err->status;
				break;
			}
			memset(pg, 0, sizeof *pg);
			pg->notes = k == 1;
			rc = store_unanalysed_ids(r, k ? "note" : "interaction", after, STAFF_PAGE, ids, &nids, err);
			for (size_t i = 0; i < nids && rc == 0; i++) {
				struct kp_err e = KP_ERR_INIT;
				int got;
				after = ids[i];
				if (k) {
					struct note *no = &pg->ns[pg->n];
					got = store_note_get(r, ids[i], no, &a, &e) == 0 &&
					      protect_note_analyze(no, &a, &e) == 0;
					if (got && !no->abusive)
						no->analysis_json = protect_staff_clean;
				} else {
					struct interaction *it = &pg->its[pg->n];
					got = store_interaction_get(r, ids[i], it, &a, &e) == 0 &&
					      protect_interaction_analyze(it, &a, &e) == 0;
					if (got && !it->abusive)
						it->analysis_json = protect_staff_clean;
				}
				if (got)
					pg->n++;
				else if (e.status != KP_ENOTFOUND)
					log_warn("protect: %s %" PRId64 " could not be analysed: %s",
					         k ? "note" : "interaction", ids[i], e.msg);
			}
			store_read_release(s); /* no snapshot kept while the writer writes */
			if (rc == 0 && pg->n)
				rc = store_exec(s, staff_page_job, pg, err);
			total += rc == 0 ? pg->written : 0;
			arena_release(&a);
			if (rc || nids < STAFF_PAGE)
				break;
		}
	}
	free(pg);
	arena_release(&a);
	if (n)
		*n = total;
	return rc;
}

struct protect_backfill {
	struct store *s;
	atomic_int stop;
	pthread_t th;
};

static void *backfill_main(void *arg)
{
	struct protect_backfill *b = arg;
	struct kp_err err = KP_ERR_INIT;
	long long n = 0;
	int64_t t0 = time_now_ms();
	pthread_setname_np(pthread_self(), "kp-backfill");
	/* a one-off pass over what was stored before (after an upgrade: every outbound message of
	 * a large database, minutes of analysis) gets the CPU no request wants: without this it
	 * took a core from the event loops and its pages a share of the writer (make bench on a
	 * fresh demo database: GET one customer 0.51 of nginx instead of 0.89) */
	struct sched_param idle = {.sched_priority = 0};
	if (pthread_setschedparam(pthread_self(), SCHED_IDLE, &idle) != 0)
		log_warn("protect: the staff-text pass could not lower its priority; it shares the CPU with requests");
	int rc = protect_staff_backfill(b->s, &b->stop, &n, &err);
	if (rc)
		log_warn("protect: analysing staff-authored texts stored before: %s (the next start goes on)", err.msg);
	else if (n)
		log_info("protect: %lld staff-authored texts (outbound messages, notes) stored before are now analysed"
		         " and masked where they quote abuse (%lld ms)",
		         n, (long long)(time_now_ms() - t0));
	store_reader_close(b->s);
	protect_thread_release();
	return NULL;
}

struct protect_backfill *protect_staff_backfill_start(struct store *s)
{
	struct protect_backfill *b = calloc(1, sizeof *b);
	if (!b)
		return NULL;
	b->s = s;
	atomic_init(&b->stop, 0);
	if (pthread_create(&b->th, NULL, backfill_main, b) != 0) {
		free(b);
		return NULL;
	}
	return b;
}

void protect_staff_backfill_stop(struct protect_backfill *b)
{
	if (!b)
		return;
	atomic_store(&b->stop, 1);
	pthread_join(b->th, NULL);
	free(b);
}
