/*
 * SQLite schema migrations, applied in order by sq_migrate(): migration N (1-based) runs
 * once, in its own transaction, and is then recorded in schema_migrations. Never edit a
 * released migration; append a new one.
 *
 * Conventions: ids are INTEGER PRIMARY KEY (rowid); optional references are NULL, not 0;
 * times are integer milliseconds (UTC); name_fold holds the name's sort key for prefix
 * filters and name sorting (lower case in Finnish alphabetical order; fts.c sq_name_key,
 * since migration 10). search_fts is an FTS5 index over customers, organisations,
 * interactions and notes (context: the owner's name on interactions and notes); its rowid is id * 4 + kind (enum
 * sq_fts_kind) and the ops keep it in step with the tables (what each entry holds: sq_customers.c cust_fts, org_fts;
 * sq_timeline.c).
 */
#include "store/sqlite/sq_int.h"

const char *const sq_migrations[] = {
    /* 1: the customer record, staff, sign-in, audit, idempotency, search */
    "CREATE TABLE staff ("
    "  id INTEGER PRIMARY KEY,"
    "  email TEXT NOT NULL UNIQUE,"
    "  name TEXT NOT NULL,"
    "  name_fold TEXT NOT NULL,"
    "  role INTEGER NOT NULL,"
    "  team TEXT,"
    "  pw_hash TEXT,"
    "  active INTEGER NOT NULL DEFAULT 1,"
    "  version INTEGER NOT NULL DEFAULT 1,"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL);"
    "CREATE INDEX staff_name ON staff(name_fold, id);"
    "CREATE INDEX staff_created ON staff(created_at, id);"
    "CREATE INDEX staff_updated ON staff(updated_at, id);"

    "CREATE TABLE api_tokens ("
    "  id INTEGER PRIMARY KEY,"
    "  staff_id INTEGER NOT NULL REFERENCES staff(id),"
    "  label TEXT NOT NULL,"
    "  token_hash TEXT NOT NULL UNIQUE,"
    "  created_at INTEGER NOT NULL,"
    "  last_used_at INTEGER NOT NULL DEFAULT 0,"
    "  revoked_at INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX api_tokens_staff ON api_tokens(staff_id, id);"

    "CREATE TABLE sessions ("
    "  id_hash TEXT PRIMARY KEY,"
    "  staff_id INTEGER NOT NULL REFERENCES staff(id),"
    "  csrf TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  expires_at INTEGER NOT NULL) WITHOUT ROWID;"
    "CREATE INDEX sessions_staff ON sessions(staff_id);"

    "CREATE TABLE organizations ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL,"
    "  name_fold TEXT NOT NULL,"
    "  business_id TEXT,"
    "  website TEXT, phone TEXT, email TEXT, address_json TEXT,"
    "  owner_id INTEGER,"
    "  custom_json TEXT NOT NULL DEFAULT '{}',"
    "  version INTEGER NOT NULL DEFAULT 1,"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL);"
    "CREATE INDEX organizations_name ON organizations(name_fold, id);"
    "CREATE INDEX organizations_created ON organizations(created_at, id);"
    "CREATE INDEX organizations_updated ON organizations(updated_at, id);"
    "CREATE INDEX organizations_business_id ON organizations(business_id);"
    "CREATE INDEX organizations_owner ON organizations(owner_id, id);"
    "CREATE TABLE organization_tags ("
    "  org_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,"
    "  tag TEXT NOT NULL,"
    "  PRIMARY KEY (org_id, tag)) WITHOUT ROWID;"
    "CREATE INDEX organization_tags_tag ON organization_tags(tag, org_id);"

    "CREATE TABLE customers ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL,"
    "  name_fold TEXT NOT NULL,"
    "  org_id INTEGER REFERENCES organizations(id),"
    "  owner_id INTEGER,"
    "  custom_json TEXT NOT NULL DEFAULT '{}',"
    "  merged_into INTEGER NOT NULL DEFAULT 0,"
    "  flags INTEGER NOT NULL DEFAULT 0,"
    "  version INTEGER NOT NULL DEFAULT 1,"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL);"
    "CREATE INDEX customers_name ON customers(name_fold, id);"
    "CREATE INDEX customers_created ON customers(created_at, id);"
    "CREATE INDEX customers_updated ON customers(updated_at, id);"
    "CREATE INDEX customers_org ON customers(org_id, id);"
    "CREATE INDEX customers_owner ON customers(owner_id, id);"
    "CREATE TABLE customer_contacts ("
    "  id INTEGER PRIMARY KEY,"
    "  customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,"
    "  kind TEXT NOT NULL,"
    "  value TEXT NOT NULL,"
    "  label TEXT,"
    "  is_primary INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX customer_contacts_customer ON customer_contacts(customer_id);"
    "CREATE INDEX customer_contacts_value ON customer_contacts(kind, value, customer_id);"
    "CREATE TABLE customer_tags ("
    "  customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,"
    "  tag TEXT NOT NULL,"
    "  PRIMARY KEY (customer_id, tag)) WITHOUT ROWID;"
    "CREATE INDEX customer_tags_tag ON customer_tags(tag, customer_id);"

    "CREATE TABLE field_defs ("
    "  id INTEGER PRIMARY KEY,"
    "  entity TEXT NOT NULL,"
    "  key TEXT NOT NULL,"
    "  label TEXT NOT NULL,"
    "  type TEXT NOT NULL,"
    "  choices_json TEXT,"
    "  required INTEGER NOT NULL DEFAULT 0,"
    "  version INTEGER NOT NULL DEFAULT 1,"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL,"
    "  UNIQUE (entity, key));"

    "CREATE TABLE notes ("
    "  id INTEGER PRIMARY KEY,"
    "  customer_id INTEGER REFERENCES customers(id) ON DELETE CASCADE,"
    "  org_id INTEGER REFERENCES organizations(id) ON DELETE CASCADE,"
    "  author_id INTEGER,"
    "  body TEXT NOT NULL,"
    "  version INTEGER NOT NULL DEFAULT 1,"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL);"
    "CREATE INDEX notes_customer ON notes(customer_id, created_at, id);"
    "CREATE INDEX notes_org ON notes(org_id, created_at, id);"

    "CREATE TABLE interactions ("
    "  id INTEGER PRIMARY KEY,"
    "  customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,"
    "  org_id INTEGER,"
    "  staff_id INTEGER,"
    "  kind TEXT NOT NULL,"
    "  direction TEXT NOT NULL,"
    "  channel TEXT,"
    "  summary TEXT,"
    "  body TEXT,"
    "  analysis_json TEXT,"
    "  abusive INTEGER NOT NULL DEFAULT 0,"
    "  occurred_at INTEGER NOT NULL,"
    "  version INTEGER NOT NULL DEFAULT 1,"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL);"
    "CREATE INDEX interactions_customer ON interactions(customer_id, occurred_at, id);"
    "CREATE INDEX interactions_org ON interactions(org_id, occurred_at, id);"
    "CREATE INDEX interactions_staff ON interactions(staff_id, occurred_at, id);"
    "CREATE INDEX interactions_occurred ON interactions(occurred_at, id);"

    "CREATE TABLE audit_log ("
    "  id INTEGER PRIMARY KEY,"
    "  at INTEGER NOT NULL,"
    "  actor_id INTEGER,"
    "  actor TEXT NOT NULL,"
    "  action TEXT NOT NULL,"
    "  entity TEXT NOT NULL,"
    "  entity_id INTEGER,"
    "  request_id TEXT,"
    "  changes_json TEXT);"
    "CREATE INDEX audit_log_entity ON audit_log(entity, entity_id, id);"
    "CREATE INDEX audit_log_actor ON audit_log(actor_id, id);"
    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log"
    "  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
    "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log"
    "  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"

    "CREATE TABLE idempotency_keys ("
    "  staff_id INTEGER NOT NULL,"
    "  key TEXT NOT NULL,"
    "  fingerprint TEXT NOT NULL,"
    "  status INTEGER NOT NULL,"
    "  location TEXT,"
    "  body TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  PRIMARY KEY (staff_id, key)) WITHOUT ROWID;"
    "CREATE INDEX idempotency_keys_created ON idempotency_keys(created_at);"

    "CREATE VIRTUAL TABLE search_fts USING fts5(title, body, context, tokenize = 'kumppani');",
    /* 2: staff protection - incidents, corrections, policy (protect.c) */
    sq_protect_migration,
    /* 3: the optional references are only ever looked up by value (org_id = ?, owner_id =
     * ?, staff_id = ?), so their indexes leave out the rows without one (70% of customers
     * and interactions have no organisation): smaller indexes, cheaper inserts and
     * rebuilds (a bulk load builds them again at its end). */
    "DROP INDEX customers_org;"
    "CREATE INDEX customers_org ON customers(org_id, id) WHERE org_id IS NOT NULL;"
    "DROP INDEX customers_owner;"
    "CREATE INDEX customers_owner ON customers(owner_id, id) WHERE owner_id IS NOT NULL;"
    "DROP INDEX organizations_owner;"
    "CREATE INDEX organizations_owner ON organizations(owner_id, id) WHERE owner_id IS NOT NULL;"
    "DROP INDEX interactions_org;"
    "CREATE INDEX interactions_org ON interactions(org_id, occurred_at, id) WHERE org_id IS NOT NULL;"
    "DROP INDEX interactions_staff;"
    "CREATE INDEX interactions_staff ON interactions(staff_id, occurred_at, id) WHERE staff_id IS NOT NULL;"
    /* contact points are looked up by value only as e-mail or phone (list filters);
     * addresses (long JSON values, a third of the rows) need no value index */
    "DROP INDEX customer_contacts_value;"
    "CREATE INDEX customer_contacts_email ON customer_contacts(value, customer_id) WHERE kind = 'email';"
    "CREATE INDEX customer_contacts_phone ON customer_contacts(value, customer_id) WHERE kind = 'phone';",
    /* 4: customers.children, the contacts and tags of a customer in its own row (see
     * SQ_CHILDREN_SQL in sq_int.h): filled for every existing customer here and written by
     * the customer ops (a new row without contacts or tags gets '[[],[]]' from them; any
     * other writer leaves NULL: read the tables). The triggers set it to NULL whenever a
     * contact or tag row changes by any other way, the BEFORE ones for the customer that
     * loses a contact point to REPLACE (whose row deletion fires no delete trigger). */
    "ALTER TABLE customers ADD COLUMN children TEXT;"
    "UPDATE customers SET children = " SQ_CHILDREN_SQL(
        "customers.id") ";"
                        "CREATE TRIGGER customer_contacts_stale_i AFTER INSERT ON customer_contacts BEGIN"
                        "  UPDATE customers SET children = NULL WHERE id = NEW.customer_id AND children IS NOT NULL; "
                        "END;"
                        "CREATE TRIGGER customer_contacts_stale_d AFTER DELETE ON customer_contacts BEGIN"
                        "  UPDATE customers SET children = NULL WHERE id = OLD.customer_id AND children IS NOT NULL; "
                        "END;"
                        "CREATE TRIGGER customer_contacts_stale_u AFTER UPDATE ON customer_contacts BEGIN"
                        "  UPDATE customers SET children = NULL WHERE id IN (OLD.customer_id, NEW.customer_id)"
                        "  AND children IS NOT NULL; END;"
                        "CREATE TRIGGER customer_contacts_stale_bi BEFORE INSERT ON customer_contacts WHEN NEW.id IS "
                        "NOT NULL BEGIN"
                        "  UPDATE customers SET children = NULL WHERE id = (SELECT customer_id FROM customer_contacts "
                        "WHERE id = NEW.id)"
                        "  AND children IS NOT NULL; END;"
                        "CREATE TRIGGER customer_contacts_stale_bu BEFORE UPDATE OF id ON customer_contacts BEGIN"
                        "  UPDATE customers SET children = NULL WHERE id = (SELECT customer_id FROM customer_contacts "
                        "WHERE id = NEW.id)"
                        "  AND children IS NOT NULL; END;"
                        "CREATE TRIGGER customer_tags_stale_i AFTER INSERT ON customer_tags BEGIN"
                        "  UPDATE customers SET children = NULL WHERE id = NEW.customer_id AND children IS NOT NULL; "
                        "END;"
                        "CREATE TRIGGER customer_tags_stale_d AFTER DELETE ON customer_tags BEGIN"
                        "  UPDATE customers SET children = NULL WHERE id = OLD.customer_id AND children IS NOT NULL; "
                        "END;"
                        "CREATE TRIGGER customer_tags_stale_u AFTER UPDATE ON customer_tags BEGIN"
                        "  UPDATE customers SET children = NULL WHERE id IN (OLD.customer_id, NEW.customer_id)"
                        "  AND children IS NOT NULL; END;",
    /* 5: ids are never given out twice (idfloor.c): per table, the greatest id deleted
     * while it was the table's newest row */
    "CREATE TABLE id_floor (tbl TEXT PRIMARY KEY, floor INTEGER NOT NULL) WITHOUT ROWID;",
    /* 6: what search indexes of an abusive message, its masked text (model.h; NULL: the text
     * itself). Messages stored before this are given theirs at start (protect_search_backfill) */
    "ALTER TABLE interactions ADD COLUMN search_summary TEXT;"
    "ALTER TABLE interactions ADD COLUMN search_body TEXT;",
    /* 7: the few customers merged away, by what they were merged into: a merge re-points the
     * earlier merges into its source (sq_customer_merge) without reading every customer */
    "CREATE INDEX customers_merged ON customers(merged_into) WHERE merged_into <> 0;",
    /* 8: an incident outlives the customer who caused it: deleting a customer (its history
     * goes with it) must not erase what staff received - exposure counts stay, the customer
     * link is cleared (SQLite changes a foreign key by rebuilding the table) */
    "CREATE TABLE wellbeing_notifications_8 ("
    "  id INTEGER PRIMARY KEY,"
    "  interaction_id INTEGER,"
    "  customer_id INTEGER REFERENCES customers(id) ON DELETE SET NULL,"
    "  staff_id INTEGER,"
    "  team TEXT,"
    "  routed_to_team TEXT,"
    "  categories_json TEXT NOT NULL DEFAULT '[]',"
    "  occurred_at INTEGER NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  acked_at INTEGER NOT NULL DEFAULT 0,"
    "  acked_by INTEGER);"
    "INSERT INTO wellbeing_notifications_8 (id, interaction_id, customer_id, staff_id, team, routed_to_team,"
    "  categories_json, occurred_at, created_at, acked_at, acked_by)"
    "  SELECT id, interaction_id, customer_id, staff_id, team, routed_to_team, categories_json, occurred_at,"
    "  created_at, acked_at, acked_by FROM wellbeing_notifications;"
    "DROP TABLE wellbeing_notifications;"
    "ALTER TABLE wellbeing_notifications_8 RENAME TO wellbeing_notifications;"
    "CREATE INDEX wellbeing_notifications_customer ON wellbeing_notifications(customer_id, occurred_at);"
    "CREATE INDEX wellbeing_notifications_occurred ON wellbeing_notifications(occurred_at, staff_id);",
    /* 9: the few flagged customers, listed without reading every customer (?flagged=true) */
    "CREATE INDEX customers_flagged ON customers(id) WHERE flags <> 0;",
    /* 10: names sort in Finnish alphabetical order (å after z and before ä, é as e, ü as y):
     * name_fold becomes the sort key kp_name_key() (fts.c sq_name_key) */
    "UPDATE staff SET name_fold = kp_name_key(name) WHERE name_fold <> kp_name_key(name);"
    "UPDATE organizations SET name_fold = kp_name_key(name) WHERE name_fold <> kp_name_key(name);"
    "UPDATE customers SET name_fold = kp_name_key(name) WHERE name_fold <> kp_name_key(name);",
    /* 11: a team's queue of the messages the staff-protection policy routed to it
     * (GET /interactions?routed_to_team=): the team from the analysis, derived and indexed */
    "ALTER TABLE interactions ADD COLUMN routed_to_team TEXT GENERATED ALWAYS AS"
    "  (CASE WHEN json_valid(analysis_json) THEN json_extract(analysis_json, '$.routed_to_team') END) VIRTUAL;"
    "CREATE INDEX interactions_routed ON interactions(routed_to_team, occurred_at, id)"
    "  WHERE routed_to_team IS NOT NULL;",
    /* 12: the first admin's printed password is one-time: changed before anything else */
    "ALTER TABLE staff ADD COLUMN must_change_pw INTEGER NOT NULL DEFAULT 0;",
    /* 13: addresses are searchable (street, postal code and city: SQ_ADDRESS_TEXT_SQL), and an
     * organisation's phone number leaves its entry: a search by a phone number finds
     * organisations as it finds customers, by the phone filter in any form it is typed in
     * (api/search.c). The entries of the customers with an address and of the organisations
     * with a phone number or an address are written again as the ops now write them
     * (sq_customers.c cust_fts, org_fts). */
    "DELETE FROM search_fts WHERE rowid IN (SELECT id * 4 FROM customers WHERE merged_into = 0"
    "  AND id IN (SELECT customer_id FROM customer_contacts WHERE kind = 'address'));"
    "INSERT INTO search_fts(rowid, title, body, context) SELECT c.id * 4, c.name,"
    "  coalesce((SELECT group_concat(t, '') FROM (SELECT CASE x.kind WHEN 'email' THEN x.value || ' '"
    "  ELSE " SQ_ADDRESS_TEXT_SQL(
        "x.value") " END AS t FROM customer_contacts x WHERE x.customer_id = c.id"
                   "  AND x.kind IN ('email', 'address') ORDER BY x.id)), '')"
                   "  || coalesce((SELECT group_concat(tag || ' ', '') FROM (SELECT tag FROM customer_tags"
                   "  WHERE customer_id = c.id ORDER BY tag)), ''), ''"
                   "  FROM customers c WHERE c.merged_into = 0"
                   "  AND c.id IN (SELECT customer_id FROM customer_contacts WHERE kind = 'address') ORDER BY c.id;"
                   "DELETE FROM search_fts WHERE rowid IN (SELECT id * 4 + 1 FROM organizations"
                   "  WHERE phone IS NOT NULL OR address_json IS NOT NULL);"
                   "INSERT INTO search_fts(rowid, title, body, context) SELECT o.id * 4 + 1, o.name,"
                   "  coalesce(o.business_id || ' ', '') || coalesce(o.email || ' ', '') || coalesce(o.website || ' ', "
                   "'')"
                   "  || " SQ_ADDRESS_TEXT_SQL(
                       "o.address_json") "  || coalesce((SELECT group_concat(tag || ' ', '') FROM (SELECT tag FROM "
                                         "organization_tags"
                                         "  WHERE org_id = o.id ORDER BY tag)), ''), ''"
                                         "  FROM organizations o WHERE o.phone IS NOT NULL OR o.address_json IS NOT "
                                         "NULL ORDER BY o.id;"
                                         /* the organisations with a phone number, for a search by one */
                                         "CREATE INDEX organizations_phone ON organizations(phone) WHERE phone IS NOT "
                                         "NULL;",
    /* 14: the e-mails stored before an "xn--" domain was read as letters (validate_email),
     * which the domain respells at start (customer_email_backfill): found through these
     * partial indexes, which hold only such rows, so a start costs an index probe and not a
     * read of every e-mail; the predicates are the ones sq_email_idn_ids() states */
    "CREATE INDEX customer_contacts_idn ON customer_contacts(customer_id)"
    "  WHERE kind = 'email' AND instr(value, 'xn--') > 0;"
    "CREATE INDEX organizations_email_idn ON organizations(id) WHERE instr(email, 'xn--') > 0;",
    /* 15: erasure (GDPR art. 17, customer_erase): an entry's values may be redacted, once,
     * and that is the only change the audit log takes - the trigger lets through an update
     * that sets redacted_at where it was NULL and changes nothing but changes_json */
    "ALTER TABLE audit_log ADD COLUMN redacted_at INTEGER;"
    "DROP TRIGGER audit_log_no_update;"
    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log"
    "  WHEN NOT (OLD.redacted_at IS NULL AND NEW.redacted_at IS NOT NULL AND NEW.id = OLD.id"
    "  AND NEW.at IS OLD.at AND NEW.actor_id IS OLD.actor_id AND NEW.actor IS OLD.actor"
    "  AND NEW.action IS OLD.action AND NEW.entity IS OLD.entity AND NEW.entity_id IS OLD.entity_id"
    "  AND NEW.request_id IS OLD.request_id)"
    "  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only (an entry is only ever redacted, once)'); END;",
    /* 16: incremental sync of interactions (GET /interactions?updated_after=&sort=updated_at):
     * the interactions changed after a time, in the order of their change, read from an index
     * (staff_updated and customers_updated serve their lists since migration 1) */
    "CREATE INDEX interactions_updated ON interactions(updated_at, id);",
    /* 17: staff-authored texts (outbound interactions, notes) are analysed and masked as a
     * customer's are, since they quote them (domain/protect.h): a note's analysis, whether it
     * is abusive and what search indexes of it (its masked text; NULL: the body). The texts
     * stored before are analysed by a pass at start (protect_staff_backfill), which finds
     * them through these partial indexes: once it is done they hold nothing, so a start
     * costs two index probes; the predicates are the ones sq_unanalysed_ids() states */
    "ALTER TABLE notes ADD COLUMN analysis_json TEXT;"
    "ALTER TABLE notes ADD COLUMN abusive INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE notes ADD COLUMN search_body TEXT;"
    "CREATE INDEX notes_unanalysed ON notes(id) WHERE analysis_json IS NULL;"
    "CREATE INDEX interactions_unanalysed ON interactions(id)"
    "  WHERE direction = 'outbound' AND analysis_json IS NULL;",
    /* 18: the record an idempotent answer without a Location shows (a merge's customer, a
     * customer whose flag was cleared), so that an erasure forgets it too (store_idem_forget).
     * The answers without a Location kept before that show a name (a merge's customer record,
     * an unflag's) have no subject to be found by: they are dropped (a replay of such a key
     * runs again, as one expired; all expire in 24 h anyway). Others, such as a text
     * correction's (ids only), are kept, so its replay cannot make a second one */
    "ALTER TABLE idempotency_keys ADD COLUMN subject TEXT;"
    "DELETE FROM idempotency_keys WHERE location IS NULL AND body LIKE '%\"name\":%';",
    /* 19: the abusive messages, newest first, from an index of just them, as PostgreSQL has
     * had since its migration 1: the start-up pass that gives each one its masked search text
     * (protect_search_backfill) and the lists filtered to abusive messages walked every
     * message by time and read each row to test it (a 1,000,000-customer demo: 2.4 million
     * rows, seconds at every start before the server listened). Building it reads the table
     * once. */
    "CREATE INDEX interactions_abusive ON interactions(occurred_at, id) WHERE abusive = 1;",
    /* 20: the notes and interactions that belonged to a customer, found by their create and
     * delete entries (store_audit_customer_children, for an erasure) through this index
     * instead of a scan of every such entry: the customer a create names as its new
     * customer_id, a delete as its old one. Only those entries are in it (a partial index);
     * building it reads the log once, about 4 s per million entries on a 2-core machine
     * (docs/performance.md). sq_audit_customer_children states the same expressions. */
    "CREATE INDEX audit_log_child_customer ON audit_log(entity, " SQ_AUDIT_CHILD_CUSTOMER ")"
    "  WHERE " SQ_AUDIT_CHILD_WHERE ";",
};

const int sq_nmigrations = (int)(sizeof sq_migrations / sizeof sq_migrations[0]);
