/*
 * protect: staff protection built on the text analysis (issue 3). Every inbound,
 * customer-authored interaction is analysed at ingest; abusive text is masked when shown to
 * staff unless explicitly revealed (audited). Staff-authored texts - outbound interactions
 * (a reply quoting the customer) and notes on customers and organisations ("the customer
 * said: ...") - are analysed and masked the same way, read, listed, searched and audited
 * alike, but are never an incident, an exposure count, a notification, a flag or a route:
 * staff wrote them, and the abuse was counted when the customer's message came in. Each
 * inbound interaction that abuses people
 * (aimed at the reader, or an insult, threat or identity attack; swearing about a situation
 * is masked but is none) becomes an incident notification for managers and counts against
 * the customer; a policy flags
 * customers with repeated incidents and routes their new inbound interactions to a team;
 * staff corrections retrain the learned layer that every analyzer uses.
 *
 * Life of an inbound interaction:
 *   loop thread   protect_interaction_analyze()  analysis_json + abusive, before the write
 *   writer (job)  protect_interaction_route()    before the insert: routed_to_team when the
 *                                                customer is flagged (written into the analysis)
 *                 protect_interaction_recorded() after the insert/update: the incident and
 *                                                the policy (flag the customer at N in D days)
 *   render        protect_mask_interaction()     spans replaced by '*' unless revealed
 *
 * The stored analysis (interactions.analysis_json), one JSON object:
 *   {"v": 1, "abusive": bool, "routed_to_team": "team" | null,
 *    "summary": ANALYSIS | null, "body": ANALYSIS | null}
 * where ANALYSIS is text_result_to_json()'s object plus "len" (the byte length of the text
 * analysed); its abuse.spans are byte offsets into that field alone, so summary and body
 * are masked separately. Topics are dropped from abusive texts (they would repeat the
 * insult's lemma past the mask). A text whose length no longer matches "len" is masked
 * whole (fail closed).
 *
 * Threads: each thread that analyses gets its own text_analyzer, created on first use and
 * freed when the thread exits (or by protect_thread_release()). The learned model is shared
 * through a reference-counted, generation-numbered pointer: protect_model_publish() swaps it
 * in, each analyzer checks the generation (one atomic load) before each analysis and moves
 * to the new model under a short lock; an old model is freed only when the last analyzer
 * that borrowed it has moved on.
 */
#ifndef KP_DOMAIN_PROTECT_H
#define KP_DOMAIN_PROTECT_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/domain.h"
#include "text/text.h"
#include "util/arena.h"
#include "util/err.h"

/* The result of one analysis: r is the text module's result (release with
 * protect_result_release). */
struct protect_result {
	struct text_result r;
	int abusive; /* r.abuse_flagged, unless only for its tone (r.abuse_tone_only) */
};

/*
 * Analyse len bytes of UTF-8 on this thread's analyzer (created on first use, with the
 * current learned model). lang: TEXT_LANG_AUTO or forced. Texts longer than TEXT_MAX_INPUT
 * are analysed on their first TEXT_MAX_INPUT bytes. Returns 0, or KP_EVALIDATION (not
 * UTF-8), KP_ENOMEM, KP_EINTERNAL (the analyzer could not be created) with err set. *out is
 * always initialised; the caller calls protect_result_release(out).
 */
int protect_analyze(const char *text, size_t len, enum text_lang lang, struct protect_result *out,
		    struct kp_err *err);
void protect_result_release(struct protect_result *res);

/* This thread's analyzer (created on first use, learned model current); NULL + err on
 * failure. Borrowed: valid until this thread exits or calls protect_thread_release(). */
struct text_analyzer *protect_analyzer(struct kp_err *err);
/* Free this thread's analyzer and drop its model reference (idempotent). */
void protect_thread_release(void);

/*
 * Analyse an interaction about to be written, inbound or outbound: its summary and body are
 * analysed and it->analysis_json (arena string), it->abusive and its search texts are set.
 * Returns 0 or a negative status (err set).
 */
int protect_interaction_analyze(struct interaction *it, struct arena *a, struct kp_err *err);
/* The same, and *sorted (arena, or NULL when there is no analysis) gets the analysis with
 * its keys sorted: json_dumps(json_loads(it->analysis_json), JSON_COMPACT | JSON_SORT_KEYS)
 * byte for byte (for the create audit), made without a jansson tree. */
int protect_interaction_analyze_sorted(struct interaction *it, const char **sorted, struct arena *a,
				       struct kp_err *err);

/* Writer, before an insert: when the customer carries CUSTOMER_FLAG_ABUSIVE and the policy
 * names a team, an inbound interaction's analysis gets "routed_to_team". 0 or a status. */
int protect_interaction_route(struct store_conn *c, struct interaction *it, struct arena *a, struct kp_err *err);

/*
 * Writer, after an insert or update, in the same job: when it is inbound and abusive, was no
 * incident before (was_incident, from protect_interaction_incident()), and abuses people
 * (aimed at the reader, an insult, a threat, an identity attack or severe: not swearing about
 * a situation), record the incident notification (recipient: it->staff_id and their team;
 * its categories list "severe" when the analysis says so) and apply the policy: at
 * incident_threshold incidents within period_days, or at once on a severe incident while
 * incident_threshold > 0, the customer gets CUSTOMER_FLAG_ABUSIVE (audited as "flag" on the
 * customer, with "severe"). 0 or a status.
 */
int protect_interaction_recorded(struct store_conn *c, const struct actor *who, const struct interaction *it,
				 int was_incident, struct arena *a, struct kp_err *err);

/* Writer: apply the policy to a customer whose incidents changed other than by a new
 * interaction (a merge brought another's incidents): flagged at the threshold, audited as in
 * protect_interaction_recorded(). 0 or a status. */
int protect_policy_recheck(struct store_conn *c, const struct actor *who, int64_t customer_id, struct arena *a,
			   struct kp_err *err);

/* May `who` correct whether inbound interaction `it` is abusive? Either way it changes what the
 * staff member it reached is protected from and counted for: not_abusive takes away its mask,
 * their incident and perhaps the customer's flag (which only managers clear directly);
 * abusive makes an incident in their exposure and towards the policy's flag. So both labels
 * are theirs to give, or a manager's (an admin's); a message that reached no one, a manager's.
 * 0, or KP_EFORBIDDEN with err set. */
int protect_may_correct_abuse(const struct actor *who, const struct interaction *it, struct kp_err *err);

/* Writer: a staff correction of whether inbound interaction `it` (as stored) is abusive applies
 * to it: corrected to not abusive, it is shown unmasked, indexed by its words and its
 * incident withdrawn (and a flag it brought cleared when no longer due); corrected to
 * abusive, it is masked whole and becomes an incident (category "corrected"; its topics are
 * dropped, as at ingest). The analysis records "corrected": {label, by, correction_id, fields:
 * the texts judged, "summary" and/or "body"}; the change is audited as "correct" on the
 * interaction and bumps its version. A correction that agrees changes nothing. 0 or a status. */
int protect_interaction_corrected(struct store_conn *c, const struct actor *who, struct interaction *it, int abusive,
                                  int64_t correction_id, struct arena *a, struct kp_err *err);

/* Writer: a staff correction of inbound interaction `it`'s sentiment (label: a TEXT_SENT_*
 * value) applies to it: the analysis records "sentiment_corrected": {label, by,
 * correction_id}, which decides the message's sentiment from then on (the topics of
 * complaints count it as a complaint or not); the change is audited as "correct" on the
 * interaction and bumps its version. A correction that agrees with the message's sentiment
 * as it stands changes nothing; an edit of the words analyses them again and drops it.
 * 0 or a status. */
int protect_interaction_sentiment_corrected(struct store_conn *c, const struct actor *who, struct interaction *it,
                                            int label, int64_t correction_id, struct arena *a, struct kp_err *err);

/* A stored analysis document's sentiment for the whole message (a TEXT_SENT_* value): a staff
 * correction's label when it has one, else negative when a field is negative, else positive
 * when one is, else neutral. doc is borrowed. */
int protect_analysis_sentiment(json_t *doc);

/* Writer: an incident of a flagged customer was withdrawn (its message edited or corrected
 * into no incident, or a severe one into a plain one; withdrawn_at its day, withdrawn_severe
 * whether it was the severe kind that flags at once): while the policy is on, the flag is
 * cleared (audited as "unflag" with the reason) when this withdrawal is what leaves the
 * customer under incident_threshold incidents within period_days with no severe incident.
 * Incidents that aged out of the period clear nothing. 0 or a status. */
int protect_policy_withdrawn(struct store_conn *c, const struct actor *who, int64_t customer_id, int64_t withdrawn_at,
                             int withdrawn_severe, struct arena *a, struct kp_err *err);
/* 1 if a stored analysis (interactions.analysis_json) marks either field severe. */
int protect_analysis_severe(const char *analysis_json);

/* Writer, an update that changed an interaction's text or direction: analyse it again
 * (protect_interaction_analyze), except that a staff correction of whether it is abusive
 * (old_analysis_json's "corrected") still stands for each text it judged that is unchanged
 * (old_summary / old_body against it->summary / it->body): that field keeps its corrected
 * analysis, the others are analysed afresh, the message is abusive when either is, and
 * "corrected".fields names the texts still judged. A judgement ends only with the text it
 * judged. 0 or a status (err set). */
int protect_interaction_reanalyse(struct interaction *it, const char *old_summary, const char *old_body,
                                  const char *old_analysis_json, struct arena *a, struct kp_err *err);

/* Writer, after an update re-analysed an interaction (its text or direction changed): the
 * routing its old analysis (old_analysis_json) recorded is kept, and an inbound message of a
 * flagged customer is routed (protect_interaction_route()). 0 or a status. */
int protect_interaction_reanalysed(struct store_conn *c, struct interaction *it, const char *old_analysis_json,
                                   struct arena *a, struct kp_err *err);

/* ---- staff-authored texts ------------------------------------------------------------------ */

/* Analyse note n's body as an outbound text's is: n->analysis_json ({"v": 1, "abusive": bool,
 * "body": ANALYSIS}, arena), n->abusive and n->search_body (its masked text when masking
 * changes it, else NULL) are set. 0 or a negative status (err set). */
int protect_note_analyze(struct note *n, struct arena *a, struct kp_err *err);
/* For rendering to staff, as protect_mask_interaction() masks an interaction: an abusive
 * note's body with its spans masked and its analysis reduced (arena strings). */
void protect_mask_note(struct note *n, struct arena *a);

/*
 * A text a client sent back (*sent) after reading it masked (shown; orig is the stored
 * original), in an edit of an interaction or a note. Sent as shown, it is no change: *sent
 * becomes orig (the original words are kept). Typed as the original, *typed_hidden is set (an
 * edit that changes nothing must be answered as one that does, or it confirms a guess).
 * Changed but still holding a mask's asterisks, it is refused (KP_EVALIDATION on field): edit
 * the revealed text (GET ?reveal=1, audited), or replace the text whole. 0 or that status.
 */
int protect_masked_edit(const char *orig, const char *shown, const char **sent, const char *field, int *typed_hidden,
                        struct kp_err *err);

/*
 * Analyse the staff-authored texts stored before they were analysed (outbound interactions
 * and notes without an analysis: an older version's, or a bulk load's), a page of 64 at a
 * time: read and analysed on the calling thread (its own reader), written on the writer in
 * one short job per page, each text only if it is unchanged since it was read (same version,
 * still no analysis: an edit meanwhile analysed it), as a new version with updated_at now:
 * a read shows the analysis and the masks, so a client revalidating its ETag and an
 * updated_after syncer must see the change. Nothing is audited (the words are not changed;
 * the masking is how they are shown). Stops between
 * pages when *stop (may be NULL) is set. 0 or a status; *n (may be NULL): texts written.
 */
int protect_staff_backfill(struct store *s, atomic_int *stop, long long *n, struct kp_err *err);
/* The analysis stored for a staff-authored text known to be clean without its details: what
 * protect_staff_backfill() stores for a clean text stored before, and kumppani demo for its
 * replies (whose templates a unit test analyses). A read shows it as the message's analysis. */
extern const char protect_staff_clean[];
/* The same on a thread of its own ("kp-backfill"), beside serving: started once the store is
 * open, logged when it ends; _stop() asks it to stop after its page and joins it (NULL: no-op).
 * NULL when the thread cannot start (the next start tries again). */
struct protect_backfill;
struct protect_backfill *protect_staff_backfill_start(struct store *s);
void protect_staff_backfill_stop(struct protect_backfill *b);

/* 1 if the interaction, as stored, is an incident: inbound, abusive, and abusing people (see
 * protect_interaction_recorded); an update passes the old record's answer as was_incident, so
 * swearing edited into an insult becomes an incident then. */
int protect_interaction_incident(const struct interaction *it);

/* Set it->search_summary / search_body from its analysis: the masked text of an abusive
 * message (arena strings), where masking changed it; NULL otherwise. protect_interaction_analyze()
 * calls it; so does protect_search_backfill() for messages stored before search indexed masks. */
void protect_search_text(struct interaction *it, struct arena *a);

/* At start, for a database written before search indexed masked text: every abusive message
 * without search text gets it (store_interaction_search_set), in one write. Returns 0 or a
 * status with err set; *n (may be NULL): messages updated. */
int protect_search_backfill(struct store *s, long long *n, struct kp_err *err);

/* The stored analysis doc of an interaction as staff see it beside masked text (new
 * reference): for an abusive message each field's analysis keeps only the language, the
 * sentiment label, flagged / aimed_at_reader / severe and "present" (the names of the
 * categories present); scores, spans and lengths would let a guess of the hidden words be
 * checked against /text/analyze. Other docs are returned as they are. */
json_t *protect_analysis_shown(json_t *doc);

/* protect_analysis_shown()'s reduction whatever the doc's "abusive" says (new reference): for
 * an analysis shown beside text masked for another reason (an audit entry of a message that
 * is abusive now, or whose words are masked there). */
json_t *protect_analysis_reduced(json_t *doc);

/* For rendering to staff: when it is abusive, replace the abusive spans of summary and body
 * (arena strings) by one '*' per character, and its analysis_json by protect_analysis_shown()'s
 * (NULL when the stored one cannot be read). Never fails: if the spans cannot be applied the
 * whole field is masked. */
void protect_mask_interaction(struct interaction *it, struct arena *a);

/* Free text s as staff are shown words a customer may have written (a correction's text):
 * analysed now, its abusive spans replaced by one '*' per character (arena string). *masked
 * (may be NULL) is set to whether anything was hidden. Never fails: a text that cannot be
 * analysed or masked by its spans is masked whole. */
const char *protect_mask_text(const char *s, int *masked, struct arena *a);
/* Two maskings m1 and m2 of s (one '*' per character hidden) as one: each character hidden by
 * either (arena, or m1 / m2 themselves when they agree). Masks that do not line up with s give
 * s masked whole (fail closed). NULL when s is. */
const char *protect_mask_merge(const char *s, const char *m1, const char *m2, struct arena *a);
/* s with every character replaced by '*' (arena): a text staff said is abusive, where the
 * analysis finds no word to point at. */
const char *protect_mask_whole(const char *s, struct arena *a);

/* Texts that belong together (an interaction's summary and body, n at most
 * PROTECT_MASK_TEXTS_MAX; entries may be NULL) as a read shows them: analysed now, and when
 * any of them is abusive, or force is set (the message is stored as abusive), each one's
 * abusive spans are masked, as protect_mask_interaction() masks both fields of an abusive
 * message. out[k]: texts[k] or an arena copy masked; *masked: whether anything was hidden.
 * Never fails: a text that cannot be analysed is masked whole. */
#define PROTECT_MASK_TEXTS_MAX 4
void protect_mask_texts(const char *const *texts, size_t n, int force, const char **out, int *masked,
			struct arena *a);

/* For a search hit h of query q with its forms (search_query_forms(); changed in place, arena
 * strings), whether to list it (1)
 * or leave it out (0). An abusive interaction's (or note's) title and snippet become its
 * masked summary (a note's first 80 characters, masked) and the start of its masked body, so
 * search shows no more than a read does, and it is listed only when what staff see of it
 * (masked summary and body, the customer's or the note's organisation's name) matches q too: otherwise the hit would
 * confirm a hidden word ("idiootti" finding the message that calls someone one). Other hits are listed as they are.
 * Never fails: an interaction that cannot be read or checked is left out. */
int protect_search_hit_shown(struct store_conn *c, const char *q, const struct search_forms *forms,
                             struct search_hit *h, struct arena *a);

/* For a customer's JSON j (borrowed, changed in place): when the customer carries
 * CUSTOMER_FLAG_ABUSIVE, add "routed_to_team" (the policy's team, or null). c may be NULL
 * (nothing is added); read failures add nothing. */
void protect_customer_decorate(struct store_conn *c, const struct customer *cu, json_t *j, struct arena *a);

/* ---- learned layer -------------------------------------------------------------------- */

/* Correction kinds and labels: 0 if kind/label is a valid pair, else KP_EVALIDATION with a
 * field error. *task and *label_value get the text_model_train() arguments. */
int protect_correction_parse(const char *kind, const char *label, enum text_task *task, int *label_value,
			     struct kp_err *err);

/* Train a new model from every stored correction (read through c) on this thread's
 * analyzer and publish it. 0 or a status. */
int protect_model_rebuild(struct store_conn *c, struct kp_err *err);
/* Writer, after a correction: rebuild now (protect_model_rebuild) unless the model was rebuilt
 * in the last 2 s; then the rebuild is put off, so a burst of corrections costs the writer one
 * rebuild (each replays every correction) and not one per correction. 0 or a status. */
int protect_model_retrain(struct store_conn *c, struct kp_err *err);
/* After a commit that took corrections away (an erasure): the next analysis rebuilds the model
 * from what is committed (protect_model_ensure(), through a reader: 0.5 s after this call and
 * 2 s after the last rebuild). Not called inside a write job: a batch rolled back would leave
 * a model published without corrections that are still stored. Any thread. */
void protect_model_retrain_later(void);
/* Before an analysis (loop threads): once per process, rebuild from the store (through this
 * thread's reader); later, a rebuild protect_model_retrain() put off, once it is 0.5 s old and
 * the last rebuild 2 s. Otherwise returns at once. Failures are logged and retried on the
 * next call. */
void protect_model_ensure(struct store *s);
/* A manager clears a customer's abusive flag (the matter is settled): the customer's messages
 * are no longer routed; audited as "unflag" with the reason (may be NULL). Clearing a flag
 * that is not set changes nothing. The incidents stay, so the policy flags the customer
 * again at the next incident while they still reach its threshold. out: the customer. */
int protect_customer_unflag(struct store_conn *c, const struct actor *who, int64_t customer_id, const char *reason,
			    struct customer *out, struct arena *a, struct kp_err *err);
/* Make m (owned from now on; may be NULL = lexicon only) the model of every analyzer. */
void protect_model_publish(struct text_model *m);
/* The published model's generation (0 = none yet) and its example counts. */
uint64_t protect_model_generation(void);
void protect_model_examples(uint64_t *abuse, uint64_t *sentiment);

#endif
