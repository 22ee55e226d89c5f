/*
 * erase: a customer's right to erasure (GDPR art. 17). Deleting a customer keeps, by design,
 * audit entries holding the whole record and every note's and message's words (evidence of
 * who deleted what); erasing also takes the personal data out of what the customer's records
 * left behind:
 *   - audit entries of the customer, of the customers merged into it (and into those), of
 *     their notes and interactions (wherever they moved, and those deleted on their own) and
 *     of the text corrections of those interactions: each field's value is replaced by
 *     ERASE_MARKER, once (store_audit_redact_set); who did what, when, to which record, which
 *     fields changed, and the ids that tie entries together stay (ERASE_KEEP_KEYS);
 *   - tombstones of the customers merged into it are deleted (their rows: the merged-away
 *     name, contact points, tags, custom values);
 *   - incidents keep their staff member, team, categories and times (the staff's exposure
 *     counts) and point at no customer and no message;
 *   - text corrections of its messages lose the words and the message they named;
 *   - search entries go with the deleted rows;
 *   - the answers kept for an Idempotency-Key (24 h) to the POSTs that created the customer,
 *     those merged into it, their notes and interactions, and to a merge into it or the
 *     clearing of its flag (their subject, api_req.idem_subject), are deleted
 *     (store_idem_forget): a replay of such a key runs again, as one whose answer expired.
 * The erase itself is audited as action "erase" on the customer, naming no personal data.
 *
 * What it cannot reach: backups already taken, the server's own logs (see the README), the
 * kept answers to other keyed POSTs naming the customer (a merge, a text correction: they
 * answered no Location; gone within 24 h), and words about the person that staff wrote
 * elsewhere (a note on another customer or on an organisation): those are found by a search
 * and edited by hand.
 */
#ifndef KP_DOMAIN_ERASE_H
#define KP_DOMAIN_ERASE_H

#include "domain/domain.h"
#include "util/arena.h"
#include "util/err.h"

/* What a redacted audit field holds instead of its value. */
#define ERASE_MARKER "[redacted]"

/* What an erasure did (all 0 and changed 0: it had been erased before, nothing changed). */
struct erase_report {
	int64_t customer_id;
	int deleted;                              /* the customer was there and has been deleted now */
	int changed;                              /* anything changed at all */
	int64_t entries_redacted;                 /* audit entries redacted now */
	int64_t tombstones_erased;                /* tombstones of customers merged into it, deleted */
	int64_t notifications_detached;           /* incidents that no longer point at it or its messages */
	int64_t corrections_erased;               /* text corrections whose words were removed */
	size_t ncustomers, nnotes, ninteractions; /* the records the erasure covered */
};

/* Erase customer id (writer connection c, one store job): delete it if it is still there
 * (as customer_delete, audited), then redact and detach what its records left behind (see
 * above) and audit the erase, with the counts. A customer deleted earlier is erased from its
 * audit entries. Erasing again changes nothing (report->changed 0, nothing audited).
 * KP_ENOTFOUND: no record and no audit entry has that id; KP_ECONFLICT: id is a tombstone
 * (its data is in the customer it was merged into: erase that one). The learned layer was
 * trained on the corrections it erased (report->corrections_erased > 0): once the job is
 * committed, and only then, the caller calls protect_model_retrain_later(). */
int customer_erase(struct store_conn *c, const struct actor *who, int64_t id, struct erase_report *report,
                   struct arena *a, struct kp_err *err);

/* An audit entry's changes_json as an erasure leaves it (new string, free() it; NULL when out
 * of memory): an object keeps its keys, each value replaced by ERASE_MARKER but for the ids
 * of ERASE_KEEP_KEYS; anything else becomes the marker itself. */
char *erase_redact_changes(const char *changes_json);

#endif
