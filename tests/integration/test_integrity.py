"""The customer record keeps its integrity at the edges a black-box audit found (ninth session of
2026-12-07): merges and organisation deletes leave no history under the wrong or a deleted
organisation and record what they drop, custom values stay valid and bounded, names and tags are
one spelling (Unicode NFC, no invisible or direction-control names), reordered tags are no change,
misspelt query parameters and reals too small for a double are refused, a phone number is found
by the search on either store. Runs on the shared server with its own unique names."""

import json
import secrets
import unicodedata
import urllib.parse

from harness import Soft, expect, problem_ok


def uniq(prefix="t"):
    return prefix + secrets.token_hex(4)


def field_errors(r):
    j = r.json if isinstance(r.json, dict) else {}
    return [e.get("field", "") for e in j.get("errors", []) if isinstance(e, dict)]


def test_merge_moves_history_to_the_target_organisation(srv):
    a = srv.admin()
    mgr = srv.client("manager")
    o1 = a.create("/api/v1/organizations", {"name": uniq("Kohde Oy ")})
    o2 = a.create("/api/v1/organizations", {"name": uniq("Lähde Oy ")})
    t = a.create("/api/v1/customers", {"name": "Kohde Henkilö", "organization_id": o1["id"],
                                        "custom": {}})
    f = a.create("/api/v1/customers", {"name": "Lähde Henkilö", "organization_id": o2["id"]})
    it = a.create("/api/v1/customers/%d/interactions" % f["id"],
                  {"kind": "call", "direction": "inbound", "summary": "Lähteen puhelu"})
    expect(it.get("organization_id") == o2["id"], "the interaction is filed under the source's organisation")
    r = mgr.post("/api/v1/customers/%d/merge" % t["id"], {"from": f["id"]})
    expect(r.status == 200, "merge", r)
    g = a.ok("/api/v1/interactions/%d" % it["id"])
    expect(g.get("customer_id") == t["id"] and g.get("organization_id") == o1["id"],
           "the moved interaction is under the target and its organisation: %s" % json.dumps(g))
    tl1 = [x["id"] for x in a.ok("/api/v1/organizations/%d/timeline" % o1["id"])["items"]]
    tl2 = [x["id"] for x in a.ok("/api/v1/organizations/%d/timeline" % o2["id"])["items"]]
    expect(it["id"] in tl1 and it["id"] not in tl2, "the organisations' timelines follow the merge")
    expect(g["version"] == it["version"] + 1, "a moved interaction has a new version: %s" % json.dumps(g))
    r = a.get("/api/v1/interactions/%d" % it["id"], headers={"If-None-Match": '"%d"' % it["version"]})
    expect(r.status == 200, "its old ETag no longer answers 304", r)
    # the merge records what the target kept over the source's own values
    au = mgr.ok("/api/v1/audit?entity=customer&entity_id=%d&action=merge" % t["id"])["items"]
    kept = au[0].get("changes", {}).get("source_values_not_kept", {}) if au else {}
    expect(kept.get("name") == "Lähde Henkilö" and kept.get("organization_id") == o2["id"],
           "the merge's audit entry names the source's name and organisation: %s" % json.dumps(au[:1]))
    # a chain: whatever was merged into the source now points at the live record
    c = a.create("/api/v1/customers", {"name": "Kolmas Henkilö"})
    r = mgr.post("/api/v1/customers/%d/merge" % c["id"], {"from": t["id"]})
    expect(r.status == 200, "merge the target on into a third customer", r)
    g = a.get("/api/v1/customers/%d" % f["id"])
    expect(g.status == 404 and g.json.get("merged_into") == c["id"],
           "the first source now leads to the live record in one step", g)


def test_a_customer_who_moves_takes_their_history(srv):
    a = srv.admin()
    o1 = a.create("/api/v1/organizations", {"name": uniq("Vanha Oy ")})
    o2 = a.create("/api/v1/organizations", {"name": uniq("Uusi Oy ")})
    cu = a.create("/api/v1/customers", {"name": "Mikko Muuttaja", "organization_id": o1["id"]})
    it = a.create("/api/v1/customers/%d/interactions" % cu["id"],
                  {"kind": "call", "direction": "outbound", "summary": "ennen muuttoa"})
    note = a.create("/api/v1/customers/%d/notes" % cu["id"], {"body": "muistiinpano"})
    r = a.patch("/api/v1/customers/%d" % cu["id"], {"organization_id": o2["id"]})
    expect(r.status == 200, "the customer moves", r)
    tl1 = [x["id"] for x in a.ok("/api/v1/organizations/%d/timeline" % o1["id"])["items"]]
    tl2 = [x["id"] for x in a.ok("/api/v1/organizations/%d/timeline" % o2["id"])["items"]]
    expect(it["id"] in tl2 and it["id"] not in tl1, "the history is on the new organisation's timeline only")
    listed = [x["id"] for x in a.ok("/api/v1/interactions?organization_id=%d" % o2["id"])["items"]]
    expect(it["id"] in listed, "and in its interactions list")
    g = a.ok("/api/v1/interactions/%d" % it["id"])
    expect(g["organization_id"] == o2["id"] and g["version"] == it["version"] + 1,
           "the moved interaction names the new organisation with a new version: %s" % json.dumps(g))
    r = a.patch("/api/v1/customers/%d" % cu["id"], {"name": "Mikko Muuttanut"})
    g2 = a.ok("/api/v1/interactions/%d" % it["id"])
    expect(r.status == 200 and g2["version"] == g["version"], "an update that keeps the organisation moves nothing")
    n = a.ok("/api/v1/notes/%d" % note["id"])
    expect(n["version"] == note["version"], "the customer's notes are the customer's, not moved: %s" % json.dumps(n))
    r = a.patch("/api/v1/customers/%d" % cu["id"], {"organization_id": None})
    g3 = a.ok("/api/v1/interactions/%d" % it["id"])
    expect(r.status == 200 and g3["organization_id"] is None, "leaving every organisation detaches the history")


def test_organisation_delete_detaches_history_and_audits_the_record(srv):
    a = srv.admin()
    mgr = srv.client("manager")
    o = a.create("/api/v1/organizations", {"name": uniq("Poistuva Oy "), "business_id": None,
                                            "tags": ["poistuva"], "website": "https://poistuva.example"})
    cu = a.create("/api/v1/customers", {"name": "Entinen Työntekijä", "organization_id": o["id"]})
    it = a.create("/api/v1/customers/%d/interactions" % cu["id"],
                  {"kind": "email", "direction": "inbound", "summary": "Vanha viesti"})
    note = a.create("/api/v1/organizations/%d/notes" % o["id"], {"body": "sopimusehdot"})
    r = a.patch("/api/v1/customers/%d" % cu["id"], {"organization_id": None})
    expect(r.status == 200, "the customer leaves the organisation", r)
    r = mgr.request("DELETE", "/api/v1/organizations/%d" % o["id"])
    expect(r.status == 204, "an organisation without customers is deleted", r)
    g = a.ok("/api/v1/interactions/%d" % it["id"])
    expect(g.get("organization_id") is None, "the interaction no longer names a deleted organisation")
    r = a.get("/api/v1/interactions?organization_id=%d" % o["id"])
    expect(r.status == 200 and r.json["items"] == [], "nothing is listed under the deleted organisation", r)
    au = mgr.ok("/api/v1/audit?entity=organization&entity_id=%d&action=delete" % o["id"])["items"]
    ch = au[0].get("changes", {}) if au else {}
    expect(ch.get("tags") == [["poistuva"], None] and ch.get("website") == ["https://poistuva.example", None]
           and ch.get("notes_deleted") == [note["id"]],
           "the delete's audit entry holds the whole record and names the notes: %s" % json.dumps(ch))


def test_customer_delete_and_merge_audit_what_they_take(srv):
    """A customer's delete leaves an audit entry for each note and interaction it deletes (words
    included, as their own deletes write), and names them on the customer's entry; a merge
    names the notes and interactions it moves."""
    a = srv.admin()
    mgr = srv.client("manager")
    cu = a.create("/api/v1/customers", {"name": "Poistettava Historia"})
    its = [a.create("/api/v1/customers/%d/interactions" % cu["id"],
                    {"kind": "call", "direction": "inbound", "summary": "Puhelu %d" % i}) for i in range(3)]
    note = a.create("/api/v1/customers/%d/notes" % cu["id"], {"body": "muistettava asia"})
    r = mgr.request("DELETE", "/api/v1/customers/%d" % cu["id"])
    expect(r.status == 204, "delete the customer", r)
    au = mgr.ok("/api/v1/audit?entity=customer&entity_id=%d&action=delete" % cu["id"])["items"]
    ch = au[0].get("changes", {}) if au else {}
    expect(ch.get("notes_deleted") == [note["id"]] and ch.get("interactions_deleted") == sorted(i["id"] for i in its),
           "the customer's delete names what it took: %s" % json.dumps(ch))
    for it in its:
        e = mgr.ok("/api/v1/audit?entity=interaction&entity_id=%d&action=delete" % it["id"])["items"]
        expect(len(e) == 1 and e[0]["changes"].get("deleted_with_customer") == cu["id"]
               and e[0]["changes"].get("summary") == [it["summary"], None],
               "interaction %d has its own delete entry with its words" % it["id"], e)
    e = mgr.ok("/api/v1/audit?entity=note&entity_id=%d&action=delete" % note["id"])["items"]
    expect(len(e) == 1 and e[0]["changes"].get("body") == ["muistettava asia", None], "the note's delete entry", e)
    # a merge names what it moves
    into = a.create("/api/v1/customers", {"name": "Yhdistetty Kohde"})
    src = a.create("/api/v1/customers", {"name": "Yhdistetty Lähde"})
    it = a.create("/api/v1/customers/%d/interactions" % src["id"], {"kind": "sms", "direction": "outbound"})
    n2 = a.create("/api/v1/customers/%d/notes" % src["id"], {"body": "siirtyy"})
    r = a.post("/api/v1/customers/%d/merge" % into["id"], {"from": src["id"]})
    expect(r.status == 200, "merge", r)
    au = mgr.ok("/api/v1/audit?entity=customer&entity_id=%d&action=merge" % into["id"])["items"]
    ch = au[0].get("changes", {}) if au else {}
    expect(ch.get("interactions_moved") == [it["id"]] and ch.get("notes_moved") == [n2["id"]],
           "the merge entry names what moved: %s" % json.dumps(ch))


def test_choices_are_trimmed(srv):
    """A choice field's choices are trimmed: " a " is the choice "a", so it repeats "a"."""
    a = srv.admin()
    k = uniq("v")
    r = a.post("/api/v1/fields", {"entity": "customer", "key": k, "label": "Taso", "type": "choice",
                                  "choices": ["a", " a "]})
    expect(r.status == 422 and "choices[1]" in field_errors(r), "' a ' repeats 'a'", r)
    r = a.post("/api/v1/fields", {"entity": "customer", "key": k, "label": "Taso", "type": "choice",
                                  "choices": ["x  y", "x\u00a0y"]})
    expect(r.status == 422 and "choices[1]" in field_errors(r), "inner spaces are one space, as in names", r)
    f = a.create("/api/v1/fields", {"entity": "customer", "key": k, "label": "Taso", "type": "choice",
                                    "choices": [" kulta ", "hopea"]})
    expect(f.get("choices") == ["kulta", "hopea"], "choices stored trimmed: %s" % f.get("choices"))
    r = a.post("/api/v1/customers", {"name": "Kultainen", "custom": {k: "kulta"}})
    expect(r.status == 201, "the trimmed choice is a value", r)
    r = a.post("/api/v1/customers", {"name": "Kultainen Kaksi", "custom": {k: "  kulta "}})
    expect(r.status == 201 and r.json["custom"].get(k) == "kulta", "a value as the client wrote the choice", r)
    a.delete("/api/v1/fields/%d" % f["id"])


def test_custom_values_stay_valid_and_bounded(srv):
    a = srv.admin()
    s = Soft()
    k = uniq("g")
    made = []
    try:
        ch = a.create("/api/v1/fields", {"entity": "customer", "key": k + "_seg", "label": "Segmentti",
                                         "type": "choice", "choices": ["a", "b"]})
        made.append(ch["id"])
        num = a.create("/api/v1/fields", {"entity": "customer", "key": k + "_n", "label": "Luku",
                                          "type": "number"})
        made.append(num["id"])
        cu = a.create("/api/v1/customers", {"name": "Kenttä Eheys", "custom": {k + "_seg": "a", k + "_n": 1}})
        # the choices narrow: the stored value is kept, and may be sent back unchanged
        f = a.get("/api/v1/fields/%d" % ch["id"])
        r = a.patch("/api/v1/fields/%d" % ch["id"], {"choices": ["b"]}, headers={"If-Match": f.header("etag")})
        s.check(r.status == 200, "narrow the choices", r)
        r = a.patch("/api/v1/customers/%d" % cu["id"], {"custom": {k + "_seg": "a", k + "_n": 2}})
        s.check(r.status == 200 and r.json["custom"].get(k + "_seg") == "a",
                "a stored value sent back unchanged is accepted", r)
        r = a.post("/api/v1/customers", {"name": "Uusi Arvo", "custom": {k + "_seg": "a"}})
        s.check(r.status == 422 and (("custom.%s_seg" % k) in field_errors(r)), "a new value must be a choice", r)
        # a field made required is enforced as soon as the custom values are edited
        req = a.create("/api/v1/fields", {"entity": "customer", "key": k + "_req", "label": "Pakko",
                                          "type": "text", "required": True})
        made.append(req["id"])
        r = a.patch("/api/v1/customers/%d" % cu["id"], {"custom": {k + "_n": 3}})
        s.check(r.status == 422 and (("custom.%s_req" % k) in field_errors(r)),
                "editing custom values without a required one: 422", r)
        r = a.patch("/api/v1/customers/%d" % cu["id"], {"name": "Kenttä Eheys 2"})
        s.check(r.status == 200, "an edit that leaves custom values alone still passes", r)
        r = a.patch("/api/v1/customers/%d" % cu["id"], {"custom": {k + "_n": 3, k + "_req": "on"}})
        s.check(r.status == 200, "with the required value: 200", r)
        r = a.patch("/api/v1/customers/%d" % cu["id"], {"custom": None})
        s.check(r.status == 422 and (("custom.%s_req" % k) in field_errors(r)),
                "custom: null cannot remove a required value", r)
        a.request("DELETE", "/api/v1/fields/%d" % made.pop())
        r = a.patch("/api/v1/customers/%d" % cu["id"], {"custom": None})
        s.check(r.status == 200 and r.json.get("custom") == {}, "custom: null removes every value", r)
        # at most 256 KiB of custom values per record (a record stays renderable and its list pages small)
        big = []
        for i in range(30):
            big.append(a.create("/api/v1/fields", {"entity": "customer", "key": "%s_b%02d" % (k, i),
                                                   "label": "Iso %d" % i, "type": "text"})["id"])
        made.extend(big)
        before = a.ok("/api/v1/customers/%d" % cu["id"])
        vals = {"%s_b%02d" % (k, i): "é" * 5000 for i in range(30)}  # 30 x 10,000 bytes
        r = a.patch("/api/v1/customers/%d" % cu["id"], {"custom": vals})
        s.check(r.status == 422 and "custom" in field_errors(r), "custom values over 256 KiB: 422", r)
        after = a.ok("/api/v1/customers/%d" % cu["id"])
        s.check(after == before, "the refused write changed nothing")
    finally:
        for fid in made:
            a.request("DELETE", "/api/v1/fields/%d" % fid)
    s.done()


def test_names_and_tags_are_one_spelling(srv):
    a = srv.admin()
    s = Soft()
    nfd = unicodedata.normalize("NFD", "Pekka Mäkinen-Åström " + uniq(""))
    nfc = unicodedata.normalize("NFC", nfd)
    tag = uniq("päivä")
    r = a.post("/api/v1/customers", {"name": nfd, "tags": [unicodedata.normalize("NFD", tag), tag],
                                     "emails": [unicodedata.normalize("NFD", "ä%s@example.fi" % uniq(""))]})
    s.check(r.status == 201 and r.json["name"] == nfc and r.json["tags"] == [tag],
            "a decomposed name and tag are stored composed, and the two spellings are one tag", r)
    cid = r.json["id"] if r.status == 201 else 0
    l = a.get("/api/v1/customers?tag=" + urllib.parse.quote(unicodedata.normalize("NFD", tag)))
    s.check(l.status == 200 and [c["id"] for c in l.json["items"]] == [cid], "a decomposed tag filter finds it", l)
    l = a.get("/api/v1/customers?q=" + urllib.parse.quote(unicodedata.normalize("NFD", "Pekka Mä")))
    s.check(l.status == 200 and cid in [c["id"] for c in l.json["items"]], "a decomposed name prefix finds it", l)
    for bad in ("\u200b", "\u3000", "\u2003\u2003", "\ufeff", "\u202eabc", "Anna\u2066x"):
        r = a.post("/api/v1/customers", {"name": bad})
        s.check(r.status == 422 and "name" in field_errors(r), "name %r: 422" % bad, r)
        r = a.post("/api/v1/organizations", {"name": "Oy " + uniq(""), "tags": [bad]})
        s.check(r.status == 422, "tag %r: 422" % bad, r)
    # tags are kept in one order: a reordered list is no change (no new version, no audit entry)
    r = a.post("/api/v1/customers", {"name": "Tagien Järjestys", "tags": ["zeta", "alpha"]})
    s.check(r.status == 201 and r.json["tags"] == ["alpha", "zeta"], "tags answered in the order reads give", r)
    if r.status == 201:
        v = r.json["version"]
        p = a.patch("/api/v1/customers/%d" % r.json["id"], {"tags": ["zeta", "alpha"]})
        s.check(p.status == 200 and p.json["version"] == v, "a reordered tag list is no change", p)
    s.done()


def test_query_parameters_and_numbers_are_checked(srv):
    a = srv.admin()
    s = Soft()
    for path in ("/api/v1/customers?organisation_id=3", "/api/v1/customers?tags=vip",
                 "/api/v1/customers/1/timeline?kind=email", "/api/v1/audit?entity_type=customer"):
        r = a.get(path)
        s.check(r.status == 400 and problem_ok(r) and "unknown query parameter" in r.json.get("detail", ""),
                "%s: a misspelt or unsupported filter is refused, not ignored" % path, r)
    r = a.get("/api/v1/customers?limit=1&")
    s.check(r.status == 200, "an empty trailing '&' is no parameter", r)
    for path in ("/api/v1/customers?tag=vip&tag=gold", "/api/v1/customers?limit=1&limit=200",
                 "/api/v1/audit?entity=customer&entity=field", "/api/v1/insights/topics?limit=5&limit=6"):
        r = a.get(path)
        s.check(r.status == 400 and problem_ok(r) and "more than once" in r.json.get("detail", ""),
                "%s: a parameter given twice is refused, not half ignored" % path, r)
    # a plain date is that day in the server's zone (Europe/Helsinki): 01:30 local on 30 March
    # is 23:30 UTC on the 29th, and is found by from=2025-03-30
    cu0 = a.create("/api/v1/customers", {"name": "Aikavyöhyke Testi"})
    it = a.create("/api/v1/customers/%d/interactions" % cu0["id"],
                  {"kind": "visit", "direction": "inbound", "summary": "yöllinen käynti",
                   "occurred_at": "2025-03-30T01:30:00+02:00"})
    r = a.get("/api/v1/interactions?customer_id=%d&from=2025-03-30&to=2025-03-31" % cu0["id"])
    s.check(r.status == 200 and [x["id"] for x in r.json["items"]] == [it["id"]],
            "from/to plain dates are local days", r)
    r = a.get("/api/v1/interactions?customer_id=%d&from=2025-03-29&to=2025-03-30" % cu0["id"])
    s.check(r.status == 200 and r.json["items"] == [], "not the UTC day before", r)
    k = uniq("h")
    fd = a.create("/api/v1/fields", {"entity": "customer", "key": k, "label": "Pieni", "type": "number"})
    try:
        cu = a.create("/api/v1/customers", {"name": "Pieni Luku"})
        for lit in ("1e-400", "-2.5e-330"):
            raw = ('{"custom": {"%s": %s}}' % (k, lit)).encode()
            r = a.request("PATCH", "/api/v1/customers/%d" % cu["id"], raw=raw)
            s.check(r.status == 400 and problem_ok(r) and "underflow" in r.json.get("detail", ""),
                    "%s is refused, not stored as 0" % lit, r)
        r = a.request("PATCH", "/api/v1/customers/%d" % cu["id"], raw=('{"custom": {"%s": 0e-400}}' % k).encode())
        s.check(r.status == 200 and r.json["custom"][k] == 0, "a written zero is a zero", r)
    finally:
        a.request("DELETE", "/api/v1/fields/%d" % fd["id"])
    s.done()


def test_interaction_staff_cleared_and_phone_search(srv):
    a = srv.admin()
    agent = srv.client("agent")
    cu = a.create("/api/v1/customers", {"name": "Puhelin Haku", "phones": ["044 987 6%03d" % secrets.randbelow(1000)]})
    it = a.create("/api/v1/customers/%d/interactions" % cu["id"],
                  {"kind": "call", "direction": "inbound", "summary": "soitto"})
    expect(it.get("staff_id"), "a new interaction defaults to its author")
    r = agent.patch("/api/v1/interactions/%d" % it["id"], {"staff_id": None})
    expect(r.status == 200 and r.json.get("staff_id") is None, "staff_id: null clears it (not the caller)", r)
    phone = cu["phones"][0] if isinstance(cu["phones"][0], str) else cu["phones"][0]["value"]
    for q in (phone, "0" + phone[4:6] + " " + phone[6:9] + " " + phone[9:]):
        r = a.get("/api/v1/search?q=" + urllib.parse.quote(q))
        expect(r.status == 200 and any(h["type"] == "customer" and h["id"] == cu["id"] for h in r.json["items"]),
               "search %r finds the customer with that phone number" % q, r)
    # merging past 50 e-mails is refused (the record could not be written back)
    m1 = a.create("/api/v1/customers", {"name": "Monta A", "emails": ["a%d@%s.fi" % (i, uniq()) for i in range(30)]})
    m2 = a.create("/api/v1/customers", {"name": "Monta B", "emails": ["b%d@%s.fi" % (i, uniq()) for i in range(30)]})
    r = srv.client("manager").post("/api/v1/customers/%d/merge" % m1["id"], {"from": m2["id"]})
    expect(r.status == 422 and "emails" in field_errors(r), "a merge past 50 e-mails: 422", r)
    g = a.get("/api/v1/customers/%d" % m2["id"])
    expect(g.status == 200, "the refused merge left the source alive", g)
