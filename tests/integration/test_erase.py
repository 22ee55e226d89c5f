"""Erasure (GDPR art. 17) through the API: POST /customers/{id}/erase is an admin's, deletes a
customer still there and takes its name, contact points, words and abuse labels out of the
audit log, incidents and search, for a customer deleted earlier too; the erase is audited
with counts only; a second erase changes nothing. Also: deleting a customer leaves its
incidents pointing at none of its (deleted) messages, as deleting one message does."""
import json
import os
import secrets

from harness import expect, problem_ok

FI_ABUSE = "Olet täysi idiootti, senkin p.a.s.k.a"


def _person(a, tag):
    name = "Erkki Qvx%s" % tag
    email = "erkki.qvx%s@example.fi" % tag.lower()
    c = a.create("/api/v1/customers", {"name": name, "emails": [email], "phones": ["+358 40 765 43%02d" % (
        int(tag[-2:], 16) % 100)], "tags": ["qvxtag" + tag.lower()]})
    return c, [name, "Qvx" + tag, email, "qvxtag" + tag.lower()]


def _audit_text(a):
    """Every audit entry as listed (words unmasked: reveal=1), one JSON text."""
    items, cursor = [], None
    while True:
        r = a.get("/api/v1/audit?limit=200&reveal=1" + ("&cursor=" + cursor if cursor else ""))
        expect(r.status == 200, "GET /audit", r)
        items += r.json["items"]
        cursor = r.json.get("next_cursor")
        if not cursor:
            return json.dumps(items, ensure_ascii=False), items


def test_delete_detaches_incidents_from_deleted_messages(srv):
    a = srv.admin()
    cid = a.create("/api/v1/customers", {"name": "Irrotettava Asiakas"})["id"]
    it = a.create("/api/v1/customers/%d/interactions" % cid,
                  {"kind": "email", "direction": "inbound", "body": FI_ABUSE})
    expect(it.get("abusive") is True, "the message is abusive", it)
    mine = [n for n in a.ok("/api/v1/wellbeing/notifications?limit=200")["items"] if n.get("interaction_id") == it["id"]]
    expect(len(mine) == 1, "one incident for the message", mine)
    expect(a.delete("/api/v1/customers/%d" % cid).status == 204, "delete the customer")
    after = [n for n in a.ok("/api/v1/wellbeing/notifications?limit=200")["items"] if n["id"] == mine[0]["id"]]
    expect(len(after) == 1, "the incident stays (staff did receive it)", after)
    expect(after[0].get("interaction_id") is None and after[0].get("customer_id") is None,
           "it points at no deleted message (404) and no customer", after[0])
    r = a.get("/api/v1/interactions/%d" % it["id"])
    expect(r.status == 404, "the message is gone", r)


def test_erase_roles_and_answers(srv):
    a = srv.admin()
    for role in ("agent", "manager"):
        cid = a.create("/api/v1/customers", {"name": "Rooli Qvxerase"})["id"]
        r = srv.client(role).post("/api/v1/customers/%d/erase" % cid, {})
        expect(r.status == 403 and problem_ok(r), role + ": erase is 403", r)
        expect(a.get("/api/v1/customers/%d" % cid).status == 200, role + ": nothing was erased")
    r = a.post("/api/v1/customers/987654321/erase", {})
    expect(r.status == 404 and problem_ok(r), "an id never seen: 404", r)
    r = a.post("/api/v1/customers/%d/erase" % cid, {"reason": "x"})
    expect(r.status in (400, 422) and problem_ok(r), "the body is an empty object", r)
    keep = a.create("/api/v1/customers", {"name": "Säilyvä Qvxsurvivor"})["id"]
    gone = a.create("/api/v1/customers", {"name": "Yhdistetty Qvxsource"})["id"]
    expect(a.post("/api/v1/customers/%d/merge" % keep, {"from": gone}).status == 200, "merge")
    r = a.post("/api/v1/customers/%d/erase" % gone, {})
    expect(r.status == 409 and problem_ok(r) and str(keep) in r.json.get("detail", ""),
           "a tombstone: 409 naming the customer that holds its data", r)
    etag = a.get("/api/v1/customers/%d" % cid).header("etag")
    over = ", ".join('"%d"' % i for i in range(1, 40))
    for h in ({"If-Match": etag}, {"If-None-Match": '"999"'}, {"If-Match": over}, {"If-None-Match": over}):
        r = a.post("/api/v1/customers/%d/erase" % cid, {}, headers=h)
        expect(r.status == 400 and problem_ok(r) and "If-Match" in r.json.get("detail", ""),
               "erase takes no precondition (%s): 400" % list(h)[0], r)
        expect(a.get("/api/v1/customers/%d" % cid).status == 200, "nothing was erased")
    r = a.post("/api/v1/customers/%d/erase" % cid, {})
    expect(r.status == 200 and r.json["changed"] is True and r.json["deleted"] is True, "admin erases: 200", r)
    expect(a.get("/api/v1/customers/%d" % cid).status == 404, "the customer is gone")


def test_erase_leaves_no_personal_data(srv):
    a = srv.admin()
    tag = secrets.token_hex(2).upper() + "A1"
    x, words = _person(a, tag)
    src = a.create("/api/v1/customers", {"name": "Fanni Qvxsrc" + tag, "emails": ["fanni.qvx%s@example.fi" % tag]})
    words += ["Qvxsrc" + tag, "fanni.qvx" + tag]
    a.create("/api/v1/customers/%d/notes" % src["id"], {"body": "Qvxnote%s ennen yhdistämistä" % tag})
    a.create("/api/v1/customers/%d/interactions" % src["id"],
             {"kind": "call", "direction": "inbound", "summary": "Qvxsum%s" % tag, "body": "Qvxbody%s" % tag})
    words += ["Qvxnote" + tag, "Qvxsum" + tag, "Qvxbody" + tag]
    expect(a.post("/api/v1/customers/%d/merge" % x["id"], {"from": src["id"]}).status == 200, "merge")
    r = a.patch("/api/v1/customers/%d" % x["id"], {"name": "Erkki Qvxrenamed" + tag},
                headers={"If-Match": a.get("/api/v1/customers/%d" % x["id"]).header("etag")})
    expect(r.status == 200, "rename", r)
    words.append("Qvxrenamed" + tag)
    solo = a.create("/api/v1/customers/%d/interactions" % x["id"],
                    {"kind": "email", "direction": "inbound", "body": "Qvxsolo%s poistetaan" % tag})
    expect(a.delete("/api/v1/interactions/%d" % solo["id"]).status == 204, "delete one message on its own")
    words.append("Qvxsolo" + tag)
    abuse = a.create("/api/v1/customers/%d/interactions" % x["id"],
                     {"kind": "email", "direction": "inbound", "summary": "Qvxabuse" + tag, "body": FI_ABUSE})
    expect(abuse.get("abusive") is True, "an abusive message: an incident", abuse)
    words.append("Qvxabuse" + tag)
    expo = a.ok("/api/v1/wellbeing/exposure")
    inc = [n for n in a.ok("/api/v1/wellbeing/notifications?limit=200")["items"]
           if n.get("interaction_id") == abuse["id"]]
    expect(len(inc) == 1, "its incident", inc)

    text, _ = _audit_text(a)
    for w in words:
        expect(w.lower() in text.lower(), "before: the audit log holds %r" % w)

    r = a.post("/api/v1/customers/%d/erase" % x["id"], {})
    expect(r.status == 200 and r.json["changed"] and r.json["deleted"], "erase", r)
    expect(r.json["tombstones_erased"] == 1 and r.json["incidents_detached"] == 1, "the tombstone and incident", r)
    expect(r.json["covered"] == {"customers": 2, "notes": 1, "interactions": 3}, "what it covered", r)

    text, items = _audit_text(a)
    for w in words:
        expect(w.lower() not in text.lower(), "after: no audit entry holds %r" % w)
    mine = [e for e in items if e["entity"] == "customer" and e["entity_id"] == x["id"]]
    erase = [e for e in mine if e["action"] == "erase"]
    expect(len(erase) == 1 and erase[0]["actor"] and erase[0]["changes"]["entries_redacted"] > 5
           and "redacted_at" not in erase[0], "one erase entry, counts only", erase)
    create = [e for e in mine if e["action"] == "create"][0]
    expect(create["redacted_at"] and create["changes"]["name"] == "[redacted]" and create["actor"],
           "the create entry: who and when stay, the values are redacted", create)
    for e in mine:
        expect(e["action"] == "erase" or e.get("redacted_at"), "every entry of the customer is redacted", e)
    n = [x2 for x2 in a.ok("/api/v1/wellbeing/notifications?limit=200")["items"] if x2["id"] == inc[0]["id"]]
    expect(len(n) == 1 and n[0].get("customer_id") is None and n[0].get("interaction_id") is None,
           "the incident stays, linked to no one", n)
    expect(a.ok("/api/v1/wellbeing/exposure") == expo, "exposure counts are unchanged")
    notif_text = json.dumps(a.ok("/api/v1/wellbeing/notifications?limit=200"), ensure_ascii=False)
    for w in words:
        expect(w.lower() not in notif_text.lower(), "no notification holds %r" % w)
        r = a.get("/api/v1/search?q=" + w.split("@")[0].split(" ")[-1])
        expect(r.status == 200 and r.json["items"] == [], "search finds nothing for %r" % w, r)
    for path in ("/api/v1/customers/%d" % x["id"], "/api/v1/customers/%d" % src["id"]):
        r = a.get(path)
        expect(r.status == 404 and "merged_into" not in r.json, path + ": gone, tombstone too", r)

    r = a.post("/api/v1/customers/%d/erase" % x["id"], {})
    expect(r.status == 200 and r.json["changed"] is False and r.json["audit_entries_redacted"] == 0,
           "erasing again changes nothing and says so", r)
    again = a.ok("/api/v1/audit?entity=customer&entity_id=%d&limit=200" % x["id"])["items"]
    expect(len(again) == len(mine), "and writes no entry")


def test_erase_a_customer_deleted_earlier(srv):
    a = srv.admin()
    tag = secrets.token_hex(2).upper() + "B2"
    x, words = _person(a, tag)
    a.create("/api/v1/customers/%d/notes" % x["id"], {"body": "Qvxlate%s muistio" % tag})
    words.append("Qvxlate" + tag)
    expect(srv.client("manager").delete("/api/v1/customers/%d" % x["id"]).status == 204, "delete")
    text, _ = _audit_text(a)
    expect(all(w.lower() in text.lower() for w in words), "the delete keeps the words in the audit log")
    r = a.post("/api/v1/customers/%d/erase" % x["id"], {})
    expect(r.status == 200 and r.json["changed"] is True and r.json["deleted"] is False, "erase by id", r)
    text, _ = _audit_text(a)
    for w in words:
        expect(w.lower() not in text.lower(), "no audit entry holds %r" % w)


def test_erase_forgets_idempotent_answers(srv):
    """The answers kept for an Idempotency-Key (24 h) to the POSTs that created the customer, its
    note and its message hold its name, e-mails and words: erasing takes them too, and a replay
    of such a key runs as one whose answer expired (the create again: the client asked for it)."""
    a = srv.admin()
    tag = secrets.token_hex(2).upper() + "C3"
    k = "erase-idem-" + tag
    body = {"name": "Iida Qvxidem" + tag, "emails": ["iida.qvx%s@example.fi" % tag.lower()]}
    r = a.post("/api/v1/customers", body, headers={"Idempotency-Key": k})
    expect(r.status == 201, "create with a key", r)
    cid = r.json["id"]
    nbody = {"body": "Qvxidemnote%s soitti" % tag}
    ibody = {"kind": "call", "direction": "inbound", "summary": "Qvxidemsum" + tag}
    n = a.post("/api/v1/customers/%d/notes" % cid, nbody, headers={"Idempotency-Key": k + "n"})
    i = a.post("/api/v1/customers/%d/interactions" % cid, ibody, headers={"Idempotency-Key": k + "i"})
    expect(n.status == 201 and i.status == 201, "a note and a message with keys", i)
    other = a.post("/api/v1/customers", {"name": "Muu Qvxidem" + tag}, headers={"Idempotency-Key": k + "o"})
    expect(other.status == 201, "another customer with a key", other)
    r = a.post("/api/v1/customers", body, headers={"Idempotency-Key": k})
    expect(r.status == 201 and r.header("idempotent-replayed") == "true" and r.json["id"] == cid,
           "before: the replay answers the first answer", r)

    r = a.post("/api/v1/customers/%d/erase" % cid, {})
    expect(r.status == 200 and r.json["deleted"], "erase", r)

    for path, b, key, what in (("/api/v1/customers/%d/notes" % cid, nbody, k + "n", "note"),
                               ("/api/v1/customers/%d/interactions" % cid, ibody, k + "i", "message")):
        r = a.post(path, b, headers={"Idempotency-Key": key})
        expect(r.status == 404 and "Qvxidem" not in r.body.decode("utf-8", "replace"),
               "the %s's replay runs again (its customer is gone: 404), showing nothing kept" % what, r)
    r = a.post("/api/v1/customers", body, headers={"Idempotency-Key": k})
    expect(r.status == 201 and r.header("idempotent-replayed") is None and r.json["id"] != cid,
           "the customer's replay runs again, as an expired key: a new customer", r)
    r = a.post("/api/v1/customers", {"name": "Muu Qvxidem" + tag}, headers={"Idempotency-Key": k + "o"})
    expect(r.status == 201 and r.header("idempotent-replayed") == "true" and r.json["id"] == other.json["id"],
           "another customer's kept answer stays", r)


def _sqlite_bytes(path):
    """The bytes of a SQLite database file and its WAL, as they are on disk now."""
    out = b""
    for p in (path, path + "-wal"):
        if os.path.exists(p):
            with open(p, "rb") as f:
                out += f.read()
    return out


def test_erase_leaves_no_bytes_in_the_sqlite_files(_shared):
    """SQLite: what an erasure deletes or redacts is not left in the database file's free space
    (secure_delete) nor in the WAL's older frames (emptied by the checkpoint an erasure asks
    for once the writer is idle). A custom value is in no search index, so the raw bytes of
    the files are the whole story."""
    import time

    from harness import Server

    srv = Server().start()
    try:
        if not (srv.db_url or "").startswith("sqlite:"):
            return  # PostgreSQL: dead row versions until vacuum (README)
        path = srv.db_url[len("sqlite:"):]
        a = srv.admin()
        a.create("/api/v1/fields", {"entity": "customer", "key": "salainen", "label": "Salainen", "type": "text"})
        secret = "Qvxsalaisuus" + secrets.token_hex(6)
        c = a.create("/api/v1/customers", {"name": "Sakari Qvxtavut", "custom": {"salainen": secret}})
        a.patch("/api/v1/customers/%d" % c["id"], {"custom": {"salainen": secret + "b"}},
                headers={"If-Match": '"%d"' % c["version"]})
        for i in range(30):  # other customers on the same pages
            a.create("/api/v1/customers", {"name": "Naapuri %d" % i, "custom": {"salainen": "muu %d" % i}})


        expect(secret.encode() in _sqlite_bytes(path), "before: the files hold the value (the check can see it)")
        r = a.post("/api/v1/customers/%d/erase" % c["id"], {})
        expect(r.status == 200 and r.json["deleted"], "erase", r)
        deadline = time.time() + 15
        while secret.encode() in _sqlite_bytes(path) and time.time() < deadline:
            time.sleep(0.3)
        expect(secret.encode() not in _sqlite_bytes(path), "after: neither the database file nor its WAL holds the value")
        r = a.get("/api/v1/customers?limit=5")
        expect(r.status == 200 and len(r.json["items"]) == 5, "the others are all there", r)
    finally:
        srv.stop()


def test_erase_scrubs_the_wal_after_a_reader_held_it(_shared):
    """SQLite: when a reader holds a snapshot from before an erasure, the checkpoint that empties
    the WAL cannot finish; it is tried again while the writer stays idle, so the erased value is
    gone soon after the reader ends, with no further write to prompt it."""
    import sqlite3
    import time

    from harness import Server

    srv = Server().start()
    try:
        if not (srv.db_url or "").startswith("sqlite:"):
            return  # PostgreSQL: dead row versions until vacuum (README)
        path = srv.db_url[len("sqlite:"):]
        a = srv.admin()
        a.create("/api/v1/fields", {"entity": "customer", "key": "salainen", "label": "Salainen", "type": "text"})
        secret = "Qvxlukija" + secrets.token_hex(6)
        c = a.create("/api/v1/customers", {"name": "Lauri Qvxlukija", "custom": {"salainen": secret}})
        for i in range(10):
            a.create("/api/v1/customers", {"name": "Naapuri %d" % i, "custom": {"salainen": "muu %d" % i}})


        reader = sqlite3.connect(path, isolation_level=None, timeout=10)
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM customers").fetchone()  # a snapshot from before
        r = a.post("/api/v1/customers/%d/erase" % c["id"], {})
        expect(r.status == 200 and r.json["deleted"], "erase", r)
        time.sleep(1.5)  # the writer's idle checkpoint runs and finds the reader
        held = secret.encode() in _sqlite_bytes(path)
        reader.execute("COMMIT")
        reader.close()
        expect(held, "while a reader holds a snapshot from before the erasure, the WAL keeps the value "
               "(otherwise this test shows nothing)")
        deadline = time.time() + 15
        while secret.encode() in _sqlite_bytes(path) and time.time() < deadline:
            time.sleep(0.3)
        expect(secret.encode() not in _sqlite_bytes(path), "once the reader is gone, with no further write, the files no "
               "longer hold the erased value")
    finally:
        srv.stop()


def test_erase_forgets_idempotent_answers_without_location(srv):
    """The answers kept for an Idempotency-Key that show the customer but name it in no Location
    (a merge into it, clearing its flag) are forgotten by its erasure too: a replay runs again and
    shows nothing kept. (A correction's answer shows ids only, and is kept.)"""
    a = srv.admin()
    tag = secrets.token_hex(2).upper() + "L4"
    k = "erase-noloc-" + tag
    cid = a.create("/api/v1/customers", {"name": "Ilmari Qvxnoloc" + tag})["id"]
    src = a.create("/api/v1/customers", {"name": "Ilmari Qvxnoloc" + tag + " kaksoiskappale"})["id"]
    writes = (("/api/v1/customers/%d/merge" % cid, {"from": src}, k + "m", "merge"),
              ("/api/v1/wellbeing/customers/%d/unflag" % cid, {"reason": "selvitetty"}, k + "u", "unflag"))
    for path, b, key, what in writes:
        r = a.post(path, b, headers={"Idempotency-Key": key})
        expect(r.status in (200, 201) and "Qvxnoloc" in r.body.decode("utf-8", "replace"),
               "the %s answers with the customer's data" % what, r)
        r = a.post(path, b, headers={"Idempotency-Key": key})
        expect(r.header("idempotent-replayed") == "true", "before: the %s's replay is the kept answer" % what, r)
    other = a.create("/api/v1/customers", {"name": "Muu Qvxnoloc" + tag})["id"]
    r = a.post("/api/v1/wellbeing/customers/%d/unflag" % other, {}, headers={"Idempotency-Key": k + "o"})
    expect(r.status == 200, "another customer's unflag with a key", r)

    r = a.post("/api/v1/customers/%d/erase" % cid, {})
    expect(r.status == 200 and r.json["deleted"], "erase", r)

    for path, b, key, what in writes:
        r = a.post(path, b, headers={"Idempotency-Key": key})
        expect(r.header("idempotent-replayed") is None and "Qvxnoloc" not in r.body.decode("utf-8", "replace"),
               "after: the %s's replay runs again and shows nothing kept" % what, r)
    r = a.post("/api/v1/wellbeing/customers/%d/unflag" % other, {}, headers={"Idempotency-Key": k + "o"})
    expect(r.status == 200 and r.header("idempotent-replayed") == "true",
           "another customer's kept answer stays", r)
