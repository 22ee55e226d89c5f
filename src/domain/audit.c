#include "domain/domain.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "util/timeutil.h"

const char *const domain_audit_entities[] = {"audit",
                                             "customer",
                                             "field",
                                             "interaction",
                                             "note",
                                             "organization",
                                             "session",
                                             "staff",
                                             "text_correction",
                                             "token",
                                             "wellbeing_notification",
                                             "wellbeing_policy",
                                             NULL};
const char *const domain_audit_actions[] = {"ack",           "correct", "create",          "delete", "demo",   "erase",
                                            "flag",          "merge",   "password_change", "reveal", "revoke", "signin",
                                            "signin_failed", "signout", "unflag",          "update", NULL};

/* Is s one of list? */
static int audit_listed(const char *const *list, const char *s)
{
	for (; s && *list; list++)
		if (!strcmp(*list, s))
			return 1;
	return 0;
}

void domain_audit_entry(struct audit_entry *e, const struct actor *who, const char *action, const char *entity,
                        int64_t entity_id, const char *changes_json)
{
	assert(audit_listed(domain_audit_actions, action) && audit_listed(domain_audit_entities, entity));
	*e = (struct audit_entry){
	    .at = time_now_ms(),
	    .actor_id = who ? who->staff_id : 0,
	    .actor = who && who->email ? who->email : "system",
	    .action = action,
	    .entity = entity,
	    .entity_id = entity_id,
	    .request_id = who ? who->request_id : NULL,
	    .changes_json = changes_json,
	};
}

int domain_audit_text(struct store_conn *c, const struct actor *who, const char *action, const char *entity,
                      int64_t entity_id, const char *changes_json, struct kp_err *err)
{
	struct audit_entry e;
	domain_audit_entry(&e, who, action, entity, entity_id, changes_json);
	return store_audit_insert(c, &e, err);
}

int domain_audit(struct store_conn *c, const struct actor *who, const char *action, const char *entity,
		 int64_t entity_id, json_t *changes, struct kp_err *err)
{
	assert(audit_listed(domain_audit_actions, action) && audit_listed(domain_audit_entities, entity));
	struct audit_entry e = {
		.at = time_now_ms(),
		.actor_id = who ? who->staff_id : 0,
		.actor = who && who->email ? who->email : "system",
		.action = action,
		.entity = entity,
		.entity_id = entity_id,
		.request_id = who ? who->request_id : NULL,
	};
	char *dump = changes ? json_dumps(changes, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	e.changes_json = dump;
	int rc = store_audit_insert(c, &e, err);
	free(dump);
	return rc;
}
