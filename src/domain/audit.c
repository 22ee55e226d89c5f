#include "domain/domain.h"

#include <stdlib.h>

#include "util/timeutil.h"

int domain_audit_text(struct store_conn *c, const struct actor *who, const char *action, const char *entity,
		      int64_t entity_id, const char *changes_json, struct kp_err *err)
{
	struct audit_entry e = {
		.at = time_now_ms(),
		.actor_id = who ? who->staff_id : 0,
		.actor = who && who->email ? who->email : "system",
		.action = action,
		.entity = entity,
		.entity_id = entity_id,
		.request_id = who ? who->request_id : NULL,
		.changes_json = changes_json,
	};
	return store_audit_insert(c, &e, err);
}

int domain_audit(struct store_conn *c, const struct actor *who, const char *action, const char *entity,
		 int64_t entity_id, json_t *changes, struct kp_err *err)
{
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
