"""The customer record: customers, organisations, contact points, tags, custom fields, notes,
interactions and the timeline, lists (filters, sorting, cursors), search, merge, ETags,
idempotency and the audit log. Runs on the shared server; every test uses its own unique tag
or names so tests do not see each other's records."""

import json
import secrets
import time
import urllib.parse

from harness import Soft, expect, problem_ok


def uniq(prefix="t"):
    return prefix + secrets.token_hex(4)


def values(lst):
    """Contact lists may be strings or objects with "value"."""
    out = []
    for v in lst or []:
        out.append(v.get("value") if isinstance(v, dict) else v)
    return out


def field_errors(r):
    j = r.json if isinstance(r.json, dict) else {}
    return [e.get("field", "") for e in j.get("errors", []) if isinstance(e, dict)]


def ids(items):
    return [i["id"] for i in items]


def test_customer_crud_issue_example(srv):
    a = srv.admin()
    r = a.post("/api/v1/customers", {"name": "Maija Virtanen", "emails": ["maija@example.fi"]})
    expect(r.status == 201 and isinstance(r.json, dict) and isinstance(r.json.get("id"), int),
           "POST /api/v1/customers (the issue's example): expected 201 with an id", r)
    c = r.json
    expect(c.get("name") == "Maija Virtanen" and values(c.get("emails")) == ["maija@example.fi"],
           "the answer is the stored record", r)
    expect(r.header("location") == "/api/v1/customers/%d" % c["id"], "Location header", r)
    expect(r.header("etag"), "ETag on create", r)
    g = a.get("/api/v1/customers/%d" % c["id"])
    expect(g.status == 200 and g.json.get("id") == c["id"] and g.json.get("name") == "Maija Virtanen"
           and values(g.json.get("emails")) == ["maija@example.fi"], "GET returns the stored customer", g)
    expect(g.content_type == "application/json", "JSON content type", g)
    for k in ("version", "created_at", "updated_at"):
        expect(k in g.json, "customer has %s" % k, g)
    expect(isinstance(g.json["created_at"], str) and g.json["created_at"].endswith("Z"),
           "times are RFC 3339 UTC", g)
    p = a.patch("/api/v1/customers/%d" % c["id"], {"name": "Maija Virtanen-Korhonen"})
    expect(p.status == 200 and p.json.get("name") == "Maija Virtanen-Korhonen"
           and values(p.json.get("emails")) == ["maija@example.fi"], "PATCH changes only the given field", p)
    expect(p.json.get("version") == g.json.get("version") + 1, "version grows by one on update", p)
    # contact points and tags changed, then read back (and listed) as the update left them
    p = a.patch("/api/v1/customers/%d" % c["id"], {"emails": ["uusi@example.fi", "toinen@example.fi"],
                                                     "phones": ["040 123 4567"], "tags": ["vip", "uusi"]})
    expect(p.status == 200, "PATCH contact points and tags", p)
    g = a.get("/api/v1/customers/%d" % c["id"])
    expect(g.status == 200 and values(g.json.get("emails")) == ["uusi@example.fi", "toinen@example.fi"]
           and values(g.json.get("phones")) == ["+358401234567"] and sorted(g.json.get("tags", [])) == ["uusi", "vip"],
           "GET after the update shows the new contact points and tags", g)
    p = a.patch("/api/v1/customers/%d" % c["id"], {"emails": [], "tags": []})
    g = a.get("/api/v1/customers/%d" % c["id"])
    expect(p.status == 200 and g.status == 200 and values(g.json.get("emails")) == [] and g.json.get("tags") == []
           and values(g.json.get("phones")) == ["+358401234567"], "GET after emptying e-mails and tags", g)
    mgr = srv.client("manager")
    d = mgr.delete("/api/v1/customers/%d" % c["id"])
    expect(d.status in (200, 204), "DELETE as manager", d)
    g = a.get("/api/v1/customers/%d" % c["id"])
    expect(g.status == 404 and problem_ok(g), "deleted customer: 404", g)
    d = mgr.delete("/api/v1/customers/%d" % c["id"])
    expect(d.status == 404, "second DELETE: 404", d)


def test_contact_point_normalisation(srv):
    a = srv.admin()
    s = Soft()
    r = a.post("/api/v1/customers", {"name": "Pekka Normaali",
                                     "emails": ["Pekka.Normaali@Example.FI"],
                                     "phones": ["040 123 4567", "+358 9 1234 567", "+46 70 123 45 67"],
                                     "addresses": [{"street": "Mannerheimintie 1", "postal_code": "00100",
                                                    "city": "Helsinki"}]})
    expect(r.status == 201, "create with contact points", r)
    c = r.json
    s.check(values(c.get("emails")) == ["pekka.normaali@example.fi"], "e-mail lower-cased", r)
    s.check(values(c.get("phones")) == ["+358401234567", "+35891234567", "+46701234567"],
            "phones normalised to E.164", r)
    addrs = c.get("addresses") or []
    a0 = addrs[0] if addrs else {}
    if isinstance(a0, dict) and "value" in a0 and not isinstance(a0.get("value"), dict):
        a0 = json.loads(a0["value"])
    s.check(isinstance(a0, dict) and a0.get("city") == "Helsinki" and a0.get("postal_code") == "00100"
            and a0.get("country") == "FI", "address stored with country FI by default", r)
    bad = [
        ({"emails": ["ei-sahkoposti"]}, "emails"),
        ({"emails": ["a@b"]}, "emails"),
        ({"phones": ["soita minulle"]}, "phones"),
        ({"phones": ["123"]}, "phones"),
        ({"addresses": [{"street": "Katu 1", "postal_code": "1234", "city": "Espoo"}]}, "addresses"),
        ({"addresses": [{"street": "Katu 1", "postal_code": "00100", "city": "Espoo", "country": "Suomi"}]}, "addresses"),
    ]
    for extra, field in bad:
        body = {"name": "Virhe Testi"}
        body.update(extra)
        r = a.post("/api/v1/customers", body)
        s.check(r.status == 422 and problem_ok(r) and any(f.startswith(field) for f in field_errors(r)),
                "%s: expected 422 with a field error on %s" % (json.dumps(extra), field), r)
    s.done()


def test_international_email_domains_are_one_address(srv):
    """liisa@yhtiö.fi and its ASCII spelling liisa@xn--yhti-8qa.fi are one address: stored
    once, and the filter finds it by either."""
    a = srv.admin()
    c = a.create("/api/v1/customers", {"name": "Liisa IDN", "emails": ["liisa@xn--yhti-8qa.fi", "Liisa@yhtiö.fi"]})
    expect(c.get("emails") == ["liisa@yhtiö.fi"], "one address, in letters: %s" % c.get("emails"))
    for q in ("liisa@xn--yhti-8qa.fi", "liisa@yhtiö.fi"):
        r = a.get("/api/v1/customers?email=" + urllib.parse.quote(q))
        expect(r.status == 200 and [x["id"] for x in r.json["items"]] == [c["id"]], "filter by " + q, r)
    for q in ("liisa@xn--yhti-8qa.fi", "liisa@yhtiö.fi"):
        r = a.get("/api/v1/search?q=" + urllib.parse.quote(q))
        expect(r.status == 200 and c["id"] in [h.get("id") for h in r.json.get("items", [])],
               "search finds the address by " + q, r)
    r = a.post("/api/v1/customers", {"name": "Rikki IDN", "emails": ["x@xn--yhti-8q!a.fi"]})
    expect(r.status == 422, "a domain that is not valid at all: 422", r)


def test_organizations_and_business_id(srv):
    a = srv.admin()
    s = Soft()
    for bid in ("1234567-1", "0112038-9"):
        r = a.post("/api/v1/organizations", {"name": "Testi Oy " + bid, "business_id": bid})
        s.check(r.status == 201 and r.json.get("business_id") == bid, "valid Y-tunnus %s accepted" % bid, r)
    for bid in ("1234567-2", "123456-1", "12345678", "abcdefg-h", "0112038-8"):
        r = a.post("/api/v1/organizations", {"name": "Huono Oy", "business_id": bid})
        s.check(r.status == 422 and any(f.startswith("business_id") for f in field_errors(r)),
                "invalid Y-tunnus %s: expected 422 on business_id" % bid, r)
    # the forms people type are one Y-tunnus: without the dash, the old six digits, spaces
    def check_digit(body):
        r = sum(int(c) * w for c, w in zip(body, (7, 9, 10, 5, 8, 4, 2))) % 11
        return None if r == 1 else (0 if r == 0 else 11 - r)
    body = next(b for b in ("0%06d" % n for n in range(345678, 346000)) if check_digit(b) is not None)
    norm = "%s-%d" % (body, check_digit(body))
    r = a.post("/api/v1/organizations", {"name": "Muodot Oy " + uniq(), "business_id": norm.replace("-", "")})
    s.check(r.status == 201 and r.json.get("business_id") == norm, "Y-tunnus without the dash stored as " + norm, r)
    for form in (norm[1:], " %s - %s " % (body, norm[-1]), norm.replace("-", "")):
        g = a.get("/api/v1/organizations?business_id=" + urllib.parse.quote(form))
        s.check(g.status == 200 and [o["business_id"] for o in g.json.get("items", [])] == [norm],
                "filter by Y-tunnus written as %r" % form, g)
        r = a.post("/api/v1/organizations", {"name": "Toinen Muoto Oy", "business_id": form})
        s.check(r.status == 409, "the same Y-tunnus as %r is a duplicate: 409" % form, r)
    r = a.post("/api/v1/organizations", {"name": "Ei Tunnus Oy", "business_id": "abcdefg-h"})
    s.check(r.status == 422 and "1234567-8" in json.dumps(r.json), "not a Y-tunnus at all: says the form", r)
    r = a.post("/api/v1/organizations", {"name": "Kauppa " + uniq(), "business_id": None,
                                         "tags": ["Yritys"], "phone": "09 1234 5678"})
    s.check(r.status == 201, "organisation without a business id", r)
    if r.status == 201:
        o = r.json
        s.check(o.get("tags") == ["yritys"], "org tags normalised", r)
        g = a.get("/api/v1/organizations/%d" % o["id"])
        s.check(g.status == 200 and g.json.get("name") == o["name"], "GET organisation", g)
        p = a.patch("/api/v1/organizations/%d" % o["id"], {"name": o["name"] + " Ab"})
        s.check(p.status == 200 and p.json.get("name") == o["name"] + " Ab", "PATCH organisation", p)
        cust = a.create("/api/v1/customers", {"name": "Org Jasen", "organization_id": o["id"]})
        s.check(cust.get("organization_id") == o["id"], "customer in organisation")
        d = srv.client("manager").delete("/api/v1/organizations/%d" % o["id"])
        s.check(d.status == 409 and problem_ok(d), "deleting an organisation with customers: 409", d)
        r = a.post("/api/v1/customers", {"name": "Orpo", "organization_id": 987654321})
        s.check(r.status in (404, 422), "customer in a missing organisation: 422", r)
    # a Y-tunnus names one legal entity: a second organisation with it is a duplicate (409), and
    # nothing is stored; the holder itself may be edited, and another may take it once it is free
    first = a.get("/api/v1/organizations?business_id=1234567-1")
    s.check(first.status == 200 and len(first.json.get("items", [])) == 1, "one holder of 1234567-1", first)
    if first.status == 200 and first.json.get("items"):
        holder = first.json["items"][0]
        r = a.post("/api/v1/organizations", {"name": "Kaksoisolento Oy", "business_id": "1234567-1"})
        s.check(r.status == 409 and problem_ok(r) and str(holder["id"]) in r.json.get("detail", ""),
                "second organisation with the same business_id: 409 naming the holder", r)
        other = a.create("/api/v1/organizations", {"name": "Toinen Oy " + uniq()})
        r = a.patch("/api/v1/organizations/%d" % other["id"], {"business_id": "1234567-1"})
        s.check(r.status == 409 and problem_ok(r), "PATCH into a business_id another has: 409", r)
        g = a.get("/api/v1/organizations/%d" % other["id"])
        s.check(g.status == 200 and g.json.get("business_id") is None and g.json.get("version") == other["version"],
                "the refused PATCH stored nothing", g)
        r = a.patch("/api/v1/organizations/%d" % holder["id"], {"name": holder["name"] + " Oyj",
                                                                "business_id": "1234567-1"})
        s.check(r.status == 200, "the holder may be edited, business_id unchanged", r)
        lst = a.get("/api/v1/organizations?business_id=1234567-1")
        s.check(lst.status == 200 and len(lst.json.get("items", [])) == 1, "still one holder", lst)
        r = a.patch("/api/v1/organizations/%d" % holder["id"], {"business_id": None})
        s.check(r.status == 200, "the holder gives the business_id up", r)
        r = a.patch("/api/v1/organizations/%d" % other["id"], {"business_id": "1234567-1"})
        s.check(r.status == 200 and r.json.get("business_id") == "1234567-1", "a free business_id may be taken", r)
    o2 = a.create("/api/v1/organizations", {"name": "Tyhja Oy"})
    d = srv.client("manager").delete("/api/v1/organizations/%d" % o2["id"])
    s.check(d.status in (200, 204), "delete an empty organisation", d)
    s.check(a.get("/api/v1/organizations/%d" % o2["id"]).status == 404, "deleted organisation: 404")
    s.done()


def test_tags(srv):
    a = srv.admin()
    tag = uniq("tag")
    r = a.post("/api/v1/customers", {"name": "Tagi Testi", "tags": [tag.upper(), " %s " % tag, "Kanta-Asiakas"]})
    expect(r.status == 201, "create with tags", r)
    expect(sorted(r.json.get("tags", [])) == sorted([tag, "kanta-asiakas"]),
           "tags trimmed, lower-cased, distinct", r)
    lst = a.get("/api/v1/customers?tag=" + tag)
    expect(lst.status == 200 and ids(lst.json["items"]) == [r.json["id"]], "filter by tag", lst)
    s = Soft()
    for bad in ([""], ["x" * 51], ["a\u0001b"], [5], "vip", ["t%d" % i for i in range(51)]):
        r = a.post("/api/v1/customers", {"name": "Huono Tagi", "tags": bad})
        s.check(r.status == 422 and problem_ok(r), "tags %r: expected 422" % (bad if len(str(bad)) < 60 else "51 tags"), r)
    s.done()


def test_custom_fields(srv):
    a = srv.admin()
    s = Soft()
    k = uniq("f")
    defs = [
        {"entity": "customer", "key": k + "_num", "label": "Numero", "type": "number"},
        {"entity": "customer", "key": k + "_txt", "label": "Teksti", "type": "text"},
        {"entity": "customer", "key": k + "_date", "label": "Päivä", "type": "date"},
        {"entity": "customer", "key": k + "_bool", "label": "Kyllä", "type": "boolean"},
        {"entity": "customer", "key": k + "_ch", "label": "Valinta", "type": "choice", "choices": ["kulta", "hopea"]},
    ]
    made = []
    for d in defs:
        r = a.post("/api/v1/fields", d)
        s.check(r.status == 201 and r.json.get("key") == d["key"], "define field %s" % d["type"], r)
        if r.status == 201:
            made.append(r.json["id"])
    r = a.post("/api/v1/fields", defs[0])
    s.check(r.status in (409, 422), "duplicate field key: 409", r)
    detail = (r.json or {}).get("detail", "") if isinstance(r.json, dict) else ""
    s.check(not any(w in detail.lower() for w in ("constraint", "sqlite", "sql", "field_defs", "insert ")),
            "a problem detail must not leak database internals: %r" % detail, r)
    for bad in ({"entity": "customer", "key": "Iso", "label": "x", "type": "text"},
                {"entity": "customer", "key": k + "x", "label": "x", "type": "money"},
                {"entity": "asiakas", "key": k + "y", "label": "x", "type": "text"},
                {"entity": "customer", "key": k + "z", "label": "x", "type": "choice"},
                {"entity": "customer", "key": k + "w", "label": "x", "type": "choice", "choices": []}):
        r = a.post("/api/v1/fields", bad)
        s.check(r.status == 422 and problem_ok(r), "bad field definition %s: expected 422" % json.dumps(bad), r)
    good = {k + "_num": 42.5, k + "_txt": "hei", k + "_date": "2026-02-28", k + "_bool": True, k + "_ch": "kulta"}
    r = a.post("/api/v1/customers", {"name": "Kentta Testi", "custom": good})
    s.check(r.status == 201 and r.json.get("custom") == good, "valid custom values stored", r)
    # a number reads back as it was written, not as jansson's 17 digits (0.10000000000000001)
    r = a.post("/api/v1/customers", {"name": "Kentta Desimaali", "custom": {k + "_num": 0.1}})
    s.check(r.status == 201 and b'"%s_num":0.1}' % k.encode() in r.body, "0.1 is answered as 0.1", r)
    if r.status == 201:
        g = a.get("/api/v1/customers/%d" % r.json["id"])
        s.check(b'"%s_num":0.1}' % k.encode() in g.body, "and read back as 0.1", g)
    cases = [
        ({k + "_num": "neljä"}, k + "_num"),
        ({k + "_txt": 5}, k + "_txt"),
        ({k + "_date": "2026-02-30"}, k + "_date"),
        ({k + "_date": "28.2.2026"}, k + "_date"),
        ({k + "_bool": "kyllä"}, k + "_bool"),
        ({k + "_ch": "pronssi"}, k + "_ch"),
        ({k + "_unknown": 1}, k + "_unknown"),
    ]
    for custom, key in cases:
        r = a.post("/api/v1/customers", {"name": "Kentta Virhe", "custom": custom})
        s.check(r.status == 422 and any(key in f for f in field_errors(r)),
                "custom %s: expected 422 with field custom.%s" % (json.dumps(custom), key), r)
    # a required field: creates without it fail; then remove the definition again
    r = a.post("/api/v1/fields", {"entity": "customer", "key": k + "_req", "label": "Pakollinen",
                                  "type": "text", "required": True})
    s.check(r.status == 201, "define a required field", r)
    if r.status == 201:
        rid = r.json["id"]
        try:
            r = a.post("/api/v1/customers", {"name": "Ilman Pakollista"})
            s.check(r.status == 422 and any((k + "_req") in f for f in field_errors(r)),
                    "missing required custom field: 422", r)
            r = a.post("/api/v1/customers", {"name": "Pakollisen Kanssa", "custom": {k + "_req": "on"}})
            s.check(r.status == 201, "with the required field: 201", r)
        finally:
            made.append(rid)
    f0 = a.get("/api/v1/fields/%d" % made[0]) if made else None
    if f0 is not None:
        s.check(f0.status == 200 and f0.header("etag"), "GET field", f0)
        p = a.patch("/api/v1/fields/%d" % made[0], {"label": "Numero 2"}, headers={"If-Match": f0.header("etag")})
        s.check(p.status == 200 and p.json.get("label") == "Numero 2", "PATCH field with If-Match", p)
        audits = len(a.get("/api/v1/audit?entity=field&entity_id=%d&limit=200" % made[0]).json["items"])
        q = a.patch("/api/v1/fields/%d" % made[0], {"label": "Numero 2"}, headers={"If-Match": p.header("etag")})
        s.check(q.status == 200 and q.header("etag") == p.header("etag") and
                len(a.get("/api/v1/audit?entity=field&entity_id=%d&limit=200" % made[0]).json["items"]) == audits,
                "a PATCH that changes nothing keeps the version and is not audited", q)
    lst = a.get("/api/v1/fields")
    s.check(lst.status == 200 and {d["key"] for d in defs} <= {f.get("key") for f in lst.json.get("items", [])},
            "field list has the definitions", lst)
    for fid in made:
        r = a.delete("/api/v1/fields/%d" % fid)
        s.check(r.status in (200, 204), "delete field %d" % fid, r)
    s.done()


def test_notes(srv):
    a = srv.admin()
    cid = a.create("/api/v1/customers", {"name": "Muistio Asiakas"})["id"]
    oid = a.create("/api/v1/organizations", {"name": "Muistio Oy"})["id"]
    n1 = a.create("/api/v1/customers/%d/notes" % cid, {"body": "Ensimmäinen muistiinpano"})
    time.sleep(0.01)
    n2 = a.create("/api/v1/customers/%d/notes" % cid, {"body": "Toinen"})
    on = a.create("/api/v1/organizations/%d/notes" % oid, {"body": "Yrityksen muistio"})
    expect(n1.get("customer_id") == cid and on.get("organization_id") == oid, "notes belong to their record")
    lst = a.ok("/api/v1/customers/%d/notes" % cid)
    expect(ids(lst["items"]) == [n2["id"], n1["id"]], "customer notes newest first")
    expect(ids(a.ok("/api/v1/organizations/%d/notes" % oid)["items"]) == [on["id"]], "organisation notes")
    g = a.get("/api/v1/notes/%d" % n1["id"])
    expect(g.status == 200 and g.json.get("body") == "Ensimmäinen muistiinpano", "GET note", g)
    p = a.patch("/api/v1/notes/%d" % n1["id"], {"body": "Muokattu"}, headers={"If-Match": g.header("etag")})
    expect(p.status == 200 and p.json.get("body") == "Muokattu", "PATCH note", p)
    d = a.delete("/api/v1/notes/%d" % n1["id"])
    expect(d.status in (200, 204), "DELETE note", d)
    expect(a.get("/api/v1/notes/%d" % n1["id"]).status == 404, "deleted note: 404")
    r = a.post("/api/v1/customers/987654321/notes", {"body": "x"})
    expect(r.status == 404 and problem_ok(r), "note on a missing customer: 404", r)
    r = a.post("/api/v1/customers/%d/notes" % cid, {"body": ""})
    expect(r.status == 422, "empty note: 422", r)


def test_notes_are_their_authors(srv):
    """Another agent may read a colleague's note but not rewrite or delete it (it would still
    show the colleague as its author); the author and a manager may."""
    a = srv.admin()
    cid = a.create("/api/v1/customers", {"name": "Kirjoittaja Asiakas"})["id"]
    r = a.post("/api/v1/staff", {"email": "toinen.agentti@kumppani.test", "name": "Toinen Agentti",
                                 "role": "agent", "password": "Toisen-salasana-2026"})
    expect(r.status == 201, "create a second agent", r)
    _, s2 = srv.sign_in("toinen.agentti@kumppani.test", "Toisen-salasana-2026")
    expect(s2 is not None, "sign in as the second agent")
    agent = srv.client("agent")
    n = agent.create("/api/v1/customers/%d/notes" % cid, {"body": "Agentin oma muistio"})
    path = "/api/v1/notes/%d" % n["id"]
    expect(s2.get(path).status == 200, "a colleague reads the note")
    r = s2.patch(path, {"body": "muutettu toisen nimissä"})
    expect(r.status == 403 and problem_ok(r, 403) and "author" in r.json.get("detail", ""),
           "a colleague's PATCH: 403 naming the rule", r)
    r = s2.delete(path)
    expect(r.status == 403 and problem_ok(r, 403), "a colleague's DELETE: 403", r)
    g = a.get(path)
    expect(g.status == 200 and g.json.get("body") == "Agentin oma muistio" and g.json.get("version") == 1,
           "the refused changes left the note as it was", g)
    # a note the colleague does not know to exist stays a 404, not a 403
    expect(s2.patch("/api/v1/notes/987654321", {"body": "x"}).status == 404, "missing note: 404")
    r = agent.patch(path, {"body": "Agentin korjaama muistio"})
    expect(r.status == 200 and r.json.get("body") == "Agentin korjaama muistio", "the author edits", r)
    m = srv.client("manager")
    r = m.patch(path, {"body": "Esihenkilön korjaama"})
    expect(r.status == 200 and r.json.get("author_id") == srv.staff_id("agent"),
           "a manager edits; the author stays", r)
    expect(m.delete(path).status == 204, "a manager deletes")


def test_deactivated_staff_owns_nothing_new(srv):
    """A deactivated staff member cannot be made an owner (HubSpot and EspoCRM refuse it too);
    what they already own stays theirs and stays editable."""
    a = srv.admin()
    st = a.create("/api/v1/staff", {"email": "lahtija.%s@kumppani.test" % uniq(), "name": "Lähtijä",
                                    "role": "agent", "password": "Lahtijan-salasana-2026"})
    cid = a.create("/api/v1/customers", {"name": "Omistettu Asiakas", "owner_id": st["id"]})["id"]
    oid = a.create("/api/v1/organizations", {"name": "Omistettu Oy " + uniq(), "owner_id": st["id"]})["id"]
    r = a.patch("/api/v1/staff/%d" % st["id"], {"active": False})
    expect(r.status == 200 and r.json.get("active") is False, "deactivate", r)
    for path, body in (("/api/v1/customers", {"name": "Uusi Omistettava", "owner_id": st["id"]}),
                       ("/api/v1/organizations", {"name": "Uusi Omistettava Oy", "owner_id": st["id"]})):
        r = a.post(path, body)
        expect(r.status == 422 and "owner_id" in field_errors(r) and "deactivated" in json.dumps(r.json),
               "POST %s with a deactivated owner: 422 on owner_id" % path, r)
    other = a.create("/api/v1/customers", {"name": "Toinen Omistettava"})
    r = a.patch("/api/v1/customers/%d" % other["id"], {"owner_id": st["id"]})
    expect(r.status == 422 and "owner_id" in field_errors(r), "PATCH to a deactivated owner: 422", r)
    for path in ("/api/v1/customers/%d" % cid, "/api/v1/organizations/%d" % oid):
        r = a.patch(path, {"tags": ["vanha"]})
        expect(r.status == 200 and r.json.get("owner_id") == st["id"], "what they own stays editable: " + path, r)


def test_organization_address_patch_merges(srv):
    """PATCH of an organisation's address merges into it, as custom values do: a moved city
    keeps the street and postal code; a part given as null goes; null removes the address."""
    a = srv.admin()
    o = a.create("/api/v1/organizations", {"name": "Osoite Oy " + uniq(), "address": {
        "street": "Katu 5", "postal_code": "02100", "city": "Espoo"}})
    path = "/api/v1/organizations/%d" % o["id"]
    r = a.patch(path, {"address": {"city": "Vantaa"}})
    expect(r.status == 200 and r.json.get("address") == {"street": "Katu 5", "postal_code": "02100",
                                                         "city": "Vantaa", "country": "FI"},
           "a new city keeps the street and postal code", r)
    r = a.patch(path, {"address": {"postal_code": None}})
    expect(r.status == 200 and r.json.get("address") == {"street": "Katu 5", "city": "Vantaa", "country": "FI"},
           "a part given as null is removed", r)
    r = a.patch(path, {"address": {"postal_code": "1234"}})
    expect(r.status == 422 and "address.postal_code" in field_errors(r), "the merged address is validated", r)
    r = a.patch(path, {"address": {"country": "SE", "postal_code": "111 22"}})
    expect(r.status == 200 and r.json["address"].get("country") == "SE" and r.json["address"].get("street") == "Katu 5",
           "country and postal code together", r)
    r = a.patch(path, {"address": {"city": "Stockholm"}})
    expect(r.status == 200 and r.json["address"].get("country") == "SE", "the country stays when not given", r)
    r = a.patch(path, {"address": None})
    expect(r.status == 200 and r.json.get("address") is None, "null removes the address", r)


def _iso(ts):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))


def test_interactions_and_timeline(srv):
    a = srv.admin()
    s = Soft()
    oid = a.create("/api/v1/organizations", {"name": "Aikajana Oy"})["id"]
    c1 = a.create("/api/v1/customers", {"name": "Aika Yksi", "organization_id": oid})["id"]
    c2 = a.create("/api/v1/customers", {"name": "Aika Kaksi", "organization_id": oid})["id"]
    now = time.time()
    made = []
    for cid, days, kind in ((c1, 300, "call"), (c2, 10, "email"), (c1, 2, "meeting"), (c2, 400, "visit"),
                            (c1, 30, "purchase")):
        r = a.post("/api/v1/customers/%d/interactions" % cid,
                   {"kind": kind, "direction": "inbound", "channel": "puhelin", "summary": "%s %d" % (kind, days),
                    "body": "Runko", "occurred_at": _iso(now - days * 86400)})
        s.check(r.status == 201 and r.json.get("customer_id") == cid and r.json.get("kind") == kind,
                "record %s interaction" % kind, r)
        if r.status == 201:
            made.append((cid, days, r.json["id"]))
            s.check(r.json.get("organization_id") == oid, "interaction takes the customer's organisation", r)
            s.check(r.json.get("staff_id") == srv.staff_id("admin"), "staff defaults to the caller", r)
    r = a.post("/api/v1/interactions", {"customer_id": c1, "kind": "chat", "direction": "outbound",
                                        "occurred_at": _iso(now - 5 * 86400)})
    s.check(r.status == 201, "POST /api/v1/interactions", r)
    if r.status == 201:
        made.append((c1, 5, r.json["id"]))
    # "staff_id": null is no staff member (an import), as it is on PATCH; left out, the caller
    r = a.post("/api/v1/interactions", {"customer_id": c1, "kind": "email", "direction": "inbound",
                                        "staff_id": None, "occurred_at": _iso(now - 6 * 86400)})
    s.check(r.status == 201 and "staff_id" in r.json and r.json["staff_id"] is None,
            "staff_id null on create: no staff member", r)
    if r.status == 201:
        made.append((c1, 6, r.json["id"]))
        g = a.get("/api/v1/interactions/%d" % r.json["id"])
        s.check(g.status == 200 and g.json.get("staff_id") is None, "stored without a staff member", g)
    tl1 = a.ok("/api/v1/customers/%d/timeline" % c1)["items"]
    want1 = [i for _, _, i in sorted([m for m in made if m[0] == c1], key=lambda m: m[1])]
    s.check(ids(tl1) == want1, "customer timeline newest first: got %s want %s" % (ids(tl1), want1))
    tlo = a.ok("/api/v1/organizations/%d/timeline" % oid)["items"]
    wanto = [i for _, _, i in sorted(made, key=lambda m: m[1])]
    s.check(ids(tlo) == wanto, "organisation timeline newest first: got %s want %s" % (ids(tlo), wanto))
    page = a.ok("/api/v1/customers/%d/timeline?limit=2" % c1)
    s.check(len(page["items"]) == 2 and page.get("next_cursor"), "timeline pages")
    lst = a.ok("/api/v1/interactions?customer_id=%d&kind=call" % c1)["items"]
    s.check(len(lst) == 1 and lst[0]["kind"] == "call", "filter interactions by customer and kind")
    if made:
        iid = made[0][2]
        g = a.get("/api/v1/interactions/%d" % iid)
        s.check(g.status == 200 and g.header("etag"), "GET interaction", g)
        p = a.patch("/api/v1/interactions/%d" % iid, {"summary": "Päivitetty"})
        s.check(p.status == 200 and p.json.get("summary") == "Päivitetty" and p.json.get("kind") == "call",
                "PATCH interaction", p)
        p = a.patch("/api/v1/interactions/%d" % iid, {"occurred_at": "1970-01-01T00:00:00.000Z"})
        s.check(p.status == 422 and "occurred_at" in field_errors(p), "PATCH occurred_at to the epoch: 422", p)
        g2 = a.get("/api/v1/interactions/%d" % iid)
        s.check(g2.status == 200 and g2.json.get("occurred_at") == g.json.get("occurred_at")
                and g2.json.get("summary") == "Päivitetty", "the refused PATCH changed nothing", g2)
        p = a.patch("/api/v1/interactions/%d" % iid, {"occurred_at": "1969-12-31T23:59:59Z"})
        s.check(p.status == 200 and p.json.get("occurred_at", "").startswith("1969-12-31T23:59:59"),
                "an occurred_at a second before the epoch is a time like any other", p)
        d = srv.client("manager").delete("/api/v1/interactions/%d" % iid)
        s.check(d.status in (200, 204), "DELETE interaction as manager", d)
        s.check(a.get("/api/v1/interactions/%d" % iid).status == 404, "deleted interaction: 404")
    for bad, field in (({"kind": "fax", "direction": "inbound"}, "kind"),
                       ({"kind": "call", "direction": "sideways"}, "direction"),
                       ({"kind": "call", "direction": "inbound", "occurred_at": _iso(now + 3 * 86400)}, "occurred_at"),
                       ({"kind": "call", "direction": "inbound", "occurred_at": "eilen"}, "occurred_at"),
                       # the epoch itself is an export's placeholder (and was silently stored as "now")
                       ({"kind": "call", "direction": "inbound", "occurred_at": "1970-01-01T00:00:00Z"}, "occurred_at"),
                       ({"kind": "call", "direction": "inbound", "summary": "x" * 501}, "summary"),
                       ({"kind": "call", "direction": "inbound", "channel": "c" * 51}, "channel")):
        r = a.post("/api/v1/customers/%d/interactions" % c1, bad)
        s.check(r.status == 422 and any(f.startswith(field) for f in field_errors(r)),
                "interaction %s: expected 422 on %s" % (json.dumps(bad)[:80], field), r)
    r = a.post("/api/v1/interactions", {"customer_id": 987654321, "kind": "call", "direction": "inbound"})
    s.check(r.status == 422 and "customer_id" in field_errors(r),
            "interaction for a missing customer named in the body: 422 on customer_id", r)
    r = a.post("/api/v1/customers/987654321/interactions", {"kind": "call", "direction": "inbound"})
    s.check(r.status == 404, "interaction for a missing customer in the path: 404", r)
    s.done()


def test_filters_sorting_pagination(srv):
    a = srv.admin()
    s = Soft()
    tag = uniq("page")
    oid = a.create("/api/v1/organizations", {"name": "Sivutus Oy"})["id"]
    owner = srv.staff_id("agent")
    names = []
    made = []
    letters = "ABCDEFGHIJKLMNOPRSTUVYZ"  # ASCII only: collations agree on it
    for i in range(25):
        n = "%saa Sivu%02d" % (letters[(i * 7) % 23], i)
        body = {"name": n, "tags": [tag], "emails": ["sivu%02d.%s@example.fi" % (i, tag)],
                "phones": ["040 555 %04d" % i]}
        if i % 3 == 0:
            body["organization_id"] = oid
        if i % 4 == 0:
            body["owner_id"] = owner
        made.append(a.create("/api/v1/customers", body))
        names.append(n)
    all_ids = sorted(c["id"] for c in made)
    # cursor pagination across pages: no duplicates, no gaps
    for sort in ("", "&sort=name", "&sort=-name", "&sort=created_at", "&sort=-updated_at", "&sort=id"):
        got = a.list_all("/api/v1/customers?tag=%s%s" % (tag, sort), limit=7)
        s.check(len(got) == 25 and sorted(ids(got)) == all_ids,
                "paging with limit=7%s: %d items, %d distinct" % (sort, len(got), len(set(ids(got)))))
        if sort == "&sort=name":
            s.check([c["name"] for c in got] == sorted(names), "sort=name ascending: %s" % [c["name"] for c in got][:6])
        if sort == "&sort=-name":
            s.check([c["name"] for c in got] == sorted(names, reverse=True), "sort=-name descending")
    r = a.get("/api/v1/customers?tag=%s&limit=5" % tag)
    s.check(r.status == 200 and len(r.json["items"]) == 5 and r.json.get("next_cursor"), "limit=5 gives 5 and a cursor", r)
    for bad in ("sort=password", "sort=name;drop", "sort=-", "limit=0", "limit=-1", "limit=abc", "limit=100000",
                "cursor=not-a-cursor", "organization_id=abc", "updated_after=eilen"):
        r = a.get("/api/v1/customers?tag=%s&%s" % (tag, bad))
        s.check(r.status in (400, 422) and problem_ok(r), "?%s: expected 400/422 problem" % bad, r)
    first = a.get("/api/v1/customers?tag=%s&limit=5" % tag)
    if first.status == 200 and first.json.get("next_cursor"):
        cur = first.json["next_cursor"]
        tampered = cur[:-2] + ("AA" if not cur.endswith("AA") else "BB")
        r = a.get("/api/v1/customers?tag=%s&limit=5&cursor=%s" % (tag, urllib.parse.quote(tampered)))
        s.check(r.status == 400 or (r.status == 200 and isinstance(r.json, dict)),
                "a tampered cursor: 400 (or a harmless page), never 500", r)
    # filters
    for q, want in (("organization_id=%d" % oid, [c["id"] for i, c in enumerate(made) if i % 3 == 0]),
                    ("owner_id=%d" % owner, [c["id"] for i, c in enumerate(made) if i % 4 == 0]),
                    ("email=" + urllib.parse.quote("SIVU03.%s@example.fi" % tag), [made[3]["id"]]),
                    ("phone=" + urllib.parse.quote("+358405550007"), [made[7]["id"]]),
                    ("phone=" + urllib.parse.quote("040 555 0007"), [made[7]["id"]]),
                    ("q=" + urllib.parse.quote(names[5].split()[0]), [made[5]["id"]])):
        got = a.list_all("/api/v1/customers?tag=%s&%s" % (tag, q), limit=50)
        s.check(sorted(ids(got)) == sorted(want), "filter %s: got %s want %s" % (q, sorted(ids(got)), sorted(want)))
    stamp = made[-1]["updated_at"]
    r = a.get("/api/v1/customers?tag=%s&updated_after=%s" % (tag, urllib.parse.quote("2000-01-01T00:00:00Z")))
    s.check(r.status == 200 and len(r.json.get("items", [])) > 0, "updated_after in the past", r)
    r = a.get("/api/v1/customers?tag=%s&updated_after=%s" % (tag, urllib.parse.quote("2999-01-01T00:00:00Z")))
    s.check(r.status == 200 and r.json.get("items") == [], "updated_after in the future: nothing (%s)" % stamp, r)
    s.done()


def test_custom_field_filters(srv):
    """GET /customers and /organizations filter by custom field values: custom[KEY]=VALUE read as
    the field's type, several ANDed, with sort and cursor; an unknown field, a malformed value, a
    repeated key or more than four filters are a 400 naming the parameter."""
    a = srv.admin()
    s = Soft()
    k = uniq("cf")
    for key, typ, extra in (("tier", "choice", {"choices": ["kulta", "hopea"]}), ("seats", "number", {}),
                            ("vip", "boolean", {}), ("since", "date", {}), ("note", "text", {})):
        d = {"entity": "customer", "key": "%s_%s" % (k, key), "label": key, "type": typ}
        d.update(extra)
        r = a.post("/api/v1/fields", d)
        s.check(r.status == 201, "create field %s: 201" % key, r)
    r = a.post("/api/v1/fields", {"entity": "organization", "key": k + "_tier", "label": "t", "type": "text"})
    s.check(r.status == 201, "create organisation field: 201", r)

    def cv(**kw):
        return {"%s_%s" % (k, key): v for key, v in kw.items()}
    ids = [a.create("/api/v1/customers", {"name": "Suodatus %s %d" % (k, i), "custom": c})["id"] for i, c in enumerate((
        cv(tier="kulta", seats=3, vip=True, since="2024-01-02", note="Hei"),
        cv(tier="hopea", seats=3.0, vip=False),
        cv(tier="kulta", seats=0.1),
        {}))]

    def listed(q):
        r = a.get("/api/v1/customers?q=" + urllib.parse.quote("Suodatus " + k) + "&" + q)
        s.check(r.status == 200, "%s: 200" % q, r)
        return [ids.index(c["id"]) for c in r.json.get("items", []) if c["id"] in ids] if r.status == 200 else None

    def f(key, v):
        return "custom[%s_%s]=%s" % (k, key, urllib.parse.quote(v))
    for q, want in ((f("tier", "kulta"), [0, 2]), (f("seats", "3"), [0, 1]), (f("seats", "3.00"), [0, 1]),
                    (f("seats", "0.1"), [2]), (f("vip", "true"), [0]), (f("vip", "false"), [1]),
                    (f("since", "2024-01-02"), [0]), (f("note", "Hei"), [0]), (f("note", "hei"), []),
                    (f("tier", "kulta") + "&" + f("seats", "3"), [0]),
                    (f("tier", "kulta") + "&sort=-created_at", [2, 0]), ("custom[%s_tier]" % k, [0, 1, 2]),
                    ("custom[%s_note]" % k, [0]), (f("tier", "pronssi"), [])):
        got = listed(q)
        s.check(got == want, "%s lists %r, not %r" % (q, want, got))
    # paging through a filter by cursor
    r = a.get("/api/v1/customers?" + f("tier", "kulta") + "&limit=1")
    s.check(r.status == 200 and len(r.json["items"]) == 1 and r.json.get("next_cursor"), "one per page, a cursor", r)
    if r.status == 200 and r.json.get("next_cursor"):
        r2 = a.get("/api/v1/customers?" + f("tier", "kulta") + "&limit=1&cursor=" + urllib.parse.quote(r.json["next_cursor"]))
        s.check(r2.status == 200 and [c["id"] for c in r2.json["items"]] == [ids[2]], "the second page", r2)
    # organisations
    oid = a.create("/api/v1/organizations", {"name": "Suodatus Oy " + k, "custom": {k + "_tier": "A"}})["id"]
    a.create("/api/v1/organizations", {"name": "Suodatus Kaksi Oy " + k, "custom": {k + "_tier": "B"}})
    r = a.get("/api/v1/organizations?custom[%s_tier]=A" % k)
    s.check(r.status == 200 and [o["id"] for o in r.json["items"]] == [oid], "organisations by custom value", r)
    # bad ones: each a 400 naming the parameter
    for q, name in ((f("tier", "x" * 201), "custom[%s_tier]" % k), (f("seats", "kolme"), "custom[%s_seats]" % k),
                    (f("seats", "1e-400"), "custom[%s_seats]" % k),
                    (f("seats", "1e999"), "custom[%s_seats]" % k), (f("vip", "yes"), "custom[%s_vip]" % k),
                    (f("since", "2024-13-40"), "custom[%s_since]" % k), ("custom[nosuch]=1", "custom[nosuch]"),
                    (f("tier", "kulta") + "&" + f("tier", "hopea"), "custom[%s_tier]" % k),
                    ("&".join(f(x, "1") for x in ("seats", "seats2", "seats3", "seats4", "seats5")), "custom"),
                    ("custom[%s_since]=A" % k, "custom[%s_since]" % k), ("custom[%s]=1" % ("z" * 70), "custom")):
        r = a.get("/api/v1/customers?" + q)
        s.check(r.status == 400 and problem_ok(r) and name.encode() in r.body, "%s: 400 naming %s" % (q, name), r)
    for q in ("custom=1", "custom[]=1", "custom[a][b]=1", "custome[x]=1"):
        r = a.get("/api/v1/customers?" + q)
        s.check(r.status == 400 and b"unknown query parameter" in r.body and b"custom[KEY]" in r.body,
                "%s: an unknown parameter, the list says custom[KEY]" % q, r)
    s.done()


def test_custom_field_recreated_with_another_type(srv):
    """A field deleted and created again under the same key: values the old definition left that
    the new one takes stay; values it does not take (another type) are removed from their records
    (a new version, audited), so the new field never shows the old field's values."""
    a = srv.admin()
    s = Soft()
    key = uniq("re")
    r = a.post("/api/v1/fields", {"entity": "customer", "key": key, "label": "Taso", "type": "text"})
    s.check(r.status == 201, "text field: 201", r)
    fid = r.json["id"]
    cid = a.create("/api/v1/customers", {"name": "Uudelleen Luotu " + key, "custom": {key: "kulta"}})["id"]
    oid_field = a.post("/api/v1/fields", {"entity": "organization", "key": key, "label": "Taso", "type": "text"}).json["id"]
    oid = a.create("/api/v1/organizations", {"name": "Uudelleen Oy " + key, "custom": {key: "kulta"}})["id"]

    def recreate(entity, fid, typ):
        r = a.delete("/api/v1/fields/%d" % fid)
        s.check(r.status in (200, 204), "delete %s field: 200/204" % entity, r)
        r = a.post("/api/v1/fields", {"entity": entity, "key": key, "label": "Taso", "type": typ})
        s.check(r.status == 201, "create %s field again as %s: 201" % (entity, typ), r)
        return r.json.get("id") if r.status == 201 else None

    # the same type again: the value is back, the record untouched
    v1 = a.get("/api/v1/customers/%d" % cid).json["version"]
    fid = recreate("customer", fid, "text")
    got = a.get("/api/v1/customers/%d" % cid).json
    s.check(got["custom"].get(key) == "kulta" and got["version"] == v1, "same type: the value stays, same version: %r" % got)
    # another type: the old value is gone, a new version, an audit entry for the record
    fid = recreate("customer", fid, "number")
    got = a.get("/api/v1/customers/%d" % cid).json
    s.check(key not in got["custom"] and got["version"] == v1 + 1, "number field: the text value is gone (new version): %r" % got)
    r = a.get("/api/v1/audit?entity=customer&entity_id=%d" % cid)
    s.check(r.status == 200 and any(e.get("action") == "update" for e in r.json.get("items", [])),
            "the removal is audited on the customer", r)
    r = a.patch("/api/v1/customers/%d" % cid, {"custom": {key: 7}})
    s.check(r.status == 200 and r.json["custom"].get(key) == 7, "the number field takes a number", r)
    # filters see only the new field's values
    r = a.get("/api/v1/customers?custom[%s]=7" % key)
    s.check(r.status == 200 and [c["id"] for c in r.json["items"]] == [cid], "custom[key]=7 lists it", r)
    # organisations too
    recreate("organization", oid_field, "boolean")
    got = a.get("/api/v1/organizations/%d" % oid).json
    s.check(key not in got["custom"], "organisation: the text value is gone under a boolean field: %r" % got)
    s.done()


def test_search_finnish(srv):
    a = srv.admin()
    cid = a.create("/api/v1/customers", {"name": "Veikko Virtanen"})["id"]
    iid = a.create("/api/v1/customers/%d/interactions" % cid,
                   {"kind": "email", "direction": "inbound", "summary": "Kysyi laskut toukokuulta",
                    "body": "Hei, lähettäisittekö laskut uudestaan?"})["id"]
    s = Soft()

    def hits(q):
        r = a.get("/api/v1/search?q=" + urllib.parse.quote(q) + "&limit=50")
        s.check(r.status == 200 and isinstance(r.json, dict) and isinstance(r.json.get("items"), list),
                "search %r: expected 200 with items" % q, r)
        return r.json.get("items", []) if r.status == 200 and isinstance(r.json, dict) else [], r

    items, r = hits("Virtasen lasku")
    s.check(any((h.get("type") == "customer" and h.get("id") == cid) or h.get("customer_id") == cid for h in items),
            '"Virtasen lasku" should find customer %d (Virtanen, interaction "laskut")' % cid, r)
    items, r = hits("Virtasen")
    s.check(any(h.get("type") == "customer" and h.get("id") == cid for h in items),
            '"Virtasen" should find the customer Virtanen', r)
    items, r = hits("lasku")
    s.check(any(h.get("type") == "interaction" and h.get("id") == iid and h.get("customer_id") == cid for h in items),
            '"lasku" should find the interaction with "laskut"', r)
    for h in items:
        s.check(all(k in h for k in ("type", "id", "title", "snippet")), "hit has type, id, title, snippet", r)
        break
    for bad in ("", "x" * 201):
        r = a.get("/api/v1/search?q=" + bad)
        s.check(r.status in (400, 422) and problem_ok(r), "search q of %d chars: 400/422" % len(bad), r)
    r = a.get("/api/v1/search")
    s.check(r.status in (400, 422), "search without q: 400/422", r)
    for q in ('"', "'; DROP TABLE customers; --", "NEAR(", "a AND OR", "*", "lasku*", "(x"):
        r = a.get("/api/v1/search?q=" + urllib.parse.quote(q))
        s.check(r.status in (200, 400, 422), "search %r must not fail with %d" % (q, r.status), r)
    s.done()


def test_search_finnish_gradation(srv):
    """Finnish words whose inflected forms Snowball stems differently (consonant gradation and
    stem changes) are found by their base form and by another inflected form; "kuu" (moon) does
    not find every "kuin" (than)."""
    a = srv.admin()
    tag = uniq("g")
    cid = a.create("/api/v1/customers", {"name": "Liisa Lehto " + tag})["id"]
    texts = {
        "helsinki": "Toimitus Helsingin toimipisteeseen %s viivästyi kahdella viikolla." % tag,
        "puhelin": "Uuden puhelimen %s näyttö oli rikki jo pakkauksessa." % tag,
        "pöytä": "Tilasin kaksi pöytää %s, mutta pöydän jalat puuttuivat." % tag,
        "kuin": "Odotin parempaa palvelua kuin tämä %s." % tag,
        "turku": "Asun Turussa %s ja haluaisin noutaa paketin." % tag,
    }
    ids = {}
    for k, body in texts.items():
        ids[k] = a.create("/api/v1/customers/%d/interactions" % cid,
                          {"kind": "email", "direction": "inbound", "body": body})["id"]
    s = Soft()

    def found(q):
        r = a.get("/api/v1/search?q=" + urllib.parse.quote(q) + "&limit=50")
        s.check(r.status == 200, "search %r: 200" % q, r)
        return {h["id"] for h in r.json.get("items", []) if h.get("type") == "interaction"} if r.status == 200 else set()

    for q, key in (("Helsinki " + tag, "helsinki"), ("helsingissä " + tag, "helsinki"),
                   ("puhelin " + tag, "puhelin"), ("pöytä " + tag, "pöytä"), ("Turku " + tag, "turku"),
                   ("Turkuun " + tag, "turku"), (tag + " Helsinki", "helsinki")):
        s.check(ids[key] in found(q), "%r should find the message with %r" % (q, texts[key]))
    s.check(ids["kuin"] not in found("kuu " + tag), '"kuu" must not find "kuin"')
    s.check(not found("Helsinki " + tag) - {ids["helsinki"]}, '"Helsinki" finds only the Helsinki message')
    # the customer Lehto by an inflected surname
    r = a.get("/api/v1/search?q=" + urllib.parse.quote("Lehdon " + tag))
    s.check(r.status == 200 and any(h.get("type") == "customer" and h.get("id") == cid for h in r.json["items"]),
            '"Lehdon" should find the customer Lehto', r)
    s.done()


def test_search_numbers_addresses_org_phones_and_notes(srv):
    """Blind audits of search on both stores: an order number after a hyphen and a date's year
    are found, as the start of a word too; a hyphenated word's last part is a prefix; addresses
    are searchable; an organisation's phone number is found in the forms a customer's is; a hit
    on an organisation's note carries the organisation's id; snippets mark why a hit is listed."""
    a = srv.admin()
    s = Soft()
    word = uniq("hk")
    num = 100000 + secrets.randbelow(800000)
    phone = "09 %03d %04d" % (secrets.randbelow(1000), secrets.randbelow(10000))
    cid = a.create("/api/v1/customers", {"name": "Emil %s" % word.capitalize(),
                                         "addresses": [{"street": "%skatu 5" % word.capitalize(),
                                                        "postal_code": "44100", "city": "Äänekoski"}]})["id"]
    iid = a.create("/api/v1/customers/%d/interactions" % cid,
                   {"kind": "call", "direction": "inbound", "summary": "Tilaus T-%d" % num,
                    "body": "Lasku maksettu, pvm 14.3.2026, tuote iPhone-15, Kanta-asiakasetu"})["id"]
    oid = a.create("/api/v1/organizations", {"name": "Org %s Oy" % word, "phone": phone,
                                              "address": {"street": "Mannerheimintie %d" % (num % 997),
                                                          "postal_code": "00100", "city": "Helsinki"}})["id"]
    onote = a.create("/api/v1/organizations/%d/notes" % oid, {"body": "Sopimus %s uusittu" % word})["id"]
    cnote = a.create("/api/v1/customers/%d/notes" % cid, {"body": "Muistio %s asiakkaalle" % word})["id"]

    def hits(q):
        r = a.get("/api/v1/search?q=" + urllib.parse.quote(q) + "&limit=100")
        s.check(r.status == 200, "search %r: 200" % q, r)
        return (r.json or {}).get("items", []) if r.status == 200 else [], r

    def hit(items, kind, id_):
        return next((h for h in items if h.get("type") == kind and h.get("id") == id_), None)

    for q in (str(num), str(num)[:4], "T-%d" % num, "2026", "14.3.2026", "iphone-15", "kanta-asiakas"):
        items, r = hits(q)
        s.check(hit(items, "interaction", iid), "search %r finds the interaction" % q, r)
    items, r = hits(word + "katu")
    s.check(hit(items, "customer", cid), "a customer is found by the street of an address", r)
    items, r = hits("44100 " + word)
    s.check(hit(items, "customer", cid), "a customer is found by the postal code of an address", r)
    items, r = hits("Mannerheimintie %d" % (num % 997))
    s.check(hit(items, "organization", oid), "an organisation is found by its street", r)
    digits = phone.replace(" ", "")
    for q in (phone, digits, "+358" + digits[1:], "+358 " + phone[1:]):
        items, r = hits(q)
        s.check(hit(items, "organization", oid), "search %r finds the organisation with that phone" % q, r)
    items, r = hits("sopimus " + word)
    h = hit(items, "note", onote)
    s.check(h and h.get("organization_id") == oid and h.get("customer_id") is None,
            "a hit on an organisation's note names the organisation", r)
    items, r = hits("muistio " + word)
    h = hit(items, "note", cnote)
    s.check(h and h.get("customer_id") == cid and h.get("organization_id") is None,
            "a hit on a customer's note names the customer, no organisation", r)
    # found by the customer's name alone: the snippet shows the name marked
    items, r = hits(word)
    h = hit(items, "interaction", iid)
    s.check(h and "\u00ab" in h.get("snippet", "") and word in h.get("snippet", "").lower(),
            "an interaction found by its customer's name shows the name marked: %r" % (h,), r)
    for h in items:
        s.check("organization_id" in h, "every hit has organization_id", r)
        break
    s.done()


def test_forged_cursor_not_utf8(srv):
    """A cursor is no secret: one made up with a name key that is not UTF-8 is a 400 on both
    stores (PostgreSQL refused the bytes with an error 500)."""
    a = srv.admin()
    s = Soft()
    # base64url of "1\x1fname\x1f\xff\xfe\x1f1\x1f" and its FNV-1a check, as next_cursor is made
    forged = "MR9uYW1lH__-HzEfOTA1YzlhOWZkNDI3NDZmNw"
    for path in ("/api/v1/customers", "/api/v1/organizations"):
        r = a.get(path + "?sort=name&cursor=" + forged)
        s.check(r.status == 400 and problem_ok(r) and b"cursor" in r.body, "%s: a forged non-UTF-8 cursor is 400" % path, r)
    s.done()


def test_search_pages(srv):
    """Search pages by next_cursor: every hit once, in rank order; a cursor is bound to its query."""
    a = srv.admin()
    word = "Sivutustesti"
    ids = set()
    for i in range(7):
        ids.add(a.create("/api/v1/customers", {"name": "%s Asiakas%d" % (word, i)})["id"])
    s = Soft()
    whole = a.get("/api/v1/search?q=%s&limit=50" % word)
    s.check(whole.status == 200 and whole.json.get("next_cursor") is None and len(whole.json["items"]) == 7,
            "one page of 50 holds all 7 hits and no next_cursor", whole)
    seen, url, pages = [], "/api/v1/search?q=%s&limit=3" % word, 0
    first_cursor = None
    while url and pages < 10:
        r = a.get(url)
        s.check(r.status == 200, "search page %d: 200" % pages, r)
        if r.status != 200:
            break
        seen += [(h["type"], h["id"]) for h in r.json["items"]]
        cur = r.json.get("next_cursor")
        first_cursor = first_cursor or cur
        url = ("/api/v1/search?q=%s&limit=3&cursor=%s" % (word, urllib.parse.quote(cur))) if cur else None
        pages += 1
    s.check(pages == 3, "7 hits in pages of 3 are 3 pages, not %d" % pages)
    s.check(seen == [(h["type"], h["id"]) for h in whole.json["items"]],
            "the pages give the hits of the whole page, in order, once each: %r" % seen)
    s.check({i for t, i in seen} == ids, "the pages hold exactly the created customers")
    # a cursor is bound to its query, and a broken one is a clear 400
    if first_cursor:
        r = a.get("/api/v1/search?q=Virtanen&limit=3&cursor=" + urllib.parse.quote(first_cursor))
        s.check(r.status == 400 and problem_ok(r) and b"cursor" in r.body, "another query's cursor: 400 naming cursor", r)
    r = a.get("/api/v1/search?q=%s&cursor=bm90LWEtY3Vyc29y" % word)
    s.check(r.status == 400 and problem_ok(r), "a made-up cursor: 400", r)
    s.done()


def test_search_pages_deep(srv):
    """Pages deeper than one read of the store (200 hits): every hit once, in the order of
    smaller pages, with limits that do and do not divide the total."""
    a = srv.admin()
    word = "Syvahaku" + uniq("")
    ids = {a.create("/api/v1/customers", {"name": "%s Asiakas %d" % (word, i)})["id"] for i in range(230)}
    orders = []
    for limit in (100, 7, 200):
        got = [(h["type"], h["id"]) for h in a.list_all("/api/v1/search?q=%s" % word, limit=limit)]
        orders.append(got)
        expect(len(got) == 230 and {i for _, i in got} == ids,
               "pages of %d give the 230 hits once each (%d)" % (limit, len(got)))
    expect(orders[0] == orders[1] == orders[2], "the same order whatever the page size")


def test_merge(srv):
    a = srv.admin()
    mgr = srv.client("manager")
    tag1, tag2 = uniq("m"), uniq("m")
    t = a.create("/api/v1/customers", {"name": "Kohde Yhdiste", "emails": ["kohde@example.fi"], "tags": [tag1]})
    f = a.create("/api/v1/customers", {"name": "Lahde Yhdiste", "emails": ["lahde@example.fi", "kohde@example.fi"],
                                        "phones": ["050 765 4321"], "tags": [tag2]})
    note = a.create("/api/v1/customers/%d/notes" % f["id"], {"body": "Lähteen muistio"})
    inter = a.create("/api/v1/customers/%d/interactions" % f["id"], {"kind": "call", "direction": "inbound",
                                                                       "summary": "Lähteen puhelu"})
    r = mgr.post("/api/v1/customers/%d/merge" % t["id"], {"from": f["id"]})
    expect(r.status == 200, "merge as manager: expected 200 with the merged record", r)
    m = r.json
    expect(sorted(values(m.get("emails"))) == ["kohde@example.fi", "lahde@example.fi"],
           "merged e-mails united without duplicates", r)
    expect(values(m.get("phones")) == ["+358507654321"], "merged phones", r)
    expect(sorted(m.get("tags", [])) == sorted([tag1, tag2]), "merged tags", r)
    g = a.get("/api/v1/customers/%d" % t["id"])
    expect(g.status == 200 and sorted(values(g.json.get("emails"))) == ["kohde@example.fi", "lahde@example.fi"]
           and values(g.json.get("phones")) == ["+358507654321"] and sorted(g.json.get("tags", [])) == sorted([tag1, tag2]),
           "GET of the target after the merge", g)
    g = a.get("/api/v1/customers/%d" % f["id"])
    expect(g.status == 404 and problem_ok(g) and g.json.get("merged_into") == t["id"],
           "the source answers 404 with merged_into = %d" % t["id"], g)
    tl = a.ok("/api/v1/customers/%d/timeline" % t["id"])["items"]
    expect(inter["id"] in ids(tl), "the source's interaction moved to the target's timeline")
    notes = a.ok("/api/v1/customers/%d/notes" % t["id"])["items"]
    expect(note["id"] in ids(notes), "the source's note moved to the target")
    lst = a.get("/api/v1/customers?tag=" + tag2)
    expect(lst.status == 200 and ids(lst.json["items"]) == [t["id"]], "lists no longer show the source", lst)
    au = mgr.get("/api/v1/audit?action=merge&limit=50")
    expect(au.status == 200, "audit of merges", au)
    ent = [e for e in au.json.get("items", []) if str(f["id"]) in json.dumps(e) and
           (e.get("entity_id") in (t["id"], f["id"]))]
    expect(ent, "the merge is audited with both ids", au)
    for body, what in (({"from": t["id"]}, "merging into itself"), ({"from": f["id"]}, "merging a merged record")):
        r = mgr.post("/api/v1/customers/%d/merge" % t["id"], body)
        expect(r.status in (404, 409, 422) and problem_ok(r), "%s: expected 409/422" % what, r)
    r = mgr.post("/api/v1/customers/%d/merge" % t["id"], {"from": 987654321})
    expect(r.status in (404, 422), "merging a missing customer", r)
    # an organisation whose only customer was merged into one of another organisation can be deleted
    # (the tombstone is no customer of it any more); one with a live customer cannot
    org = srv.admin().create("/api/v1/organizations", {"name": "Sulautuva Oy"})
    a_ = srv.admin().create("/api/v1/customers", {"name": "Organisaation Asiakas", "organization_id": org["id"]})
    org2 = srv.admin().create("/api/v1/organizations", {"name": "Elava Oy"})
    b_ = srv.admin().create("/api/v1/customers", {"name": "Toinen Asiakas", "organization_id": org2["id"]})
    r = mgr.post("/api/v1/customers/%d/merge" % b_["id"], {"from": a_["id"]})
    expect(r.status == 200 and r.json.get("organization_id") == org2["id"],
           "merge the organisation's customer into one of another organisation", r)
    r = srv.admin().request("DELETE", "/api/v1/organizations/%d" % org2["id"])
    expect(r.status == 409, "an organisation with a live customer is not deleted", r)
    r = srv.admin().request("DELETE", "/api/v1/organizations/%d" % org["id"])
    expect(r.status == 204, "an organisation with only a merged-away customer can be deleted", r)


def test_etag_if_match_if_none_match(srv):
    a = srv.admin()
    c = a.create("/api/v1/customers", {"name": "Versio Testi"})
    path = "/api/v1/customers/%d" % c["id"]
    g = a.get(path)
    etag = g.header("etag")
    expect(g.status == 200 and etag, "GET has an ETag", g)
    r = a.get(path, headers={"If-None-Match": etag})
    expect(r.status == 304 and not r.body, "If-None-Match with the current ETag: 304 without a body", r)
    p = a.patch(path, {"name": "Versio Kaksi"}, headers={"If-Match": etag})
    expect(p.status == 200 and p.header("etag") and p.header("etag") != etag, "PATCH with the current If-Match", p)
    p2 = a.patch(path, {"name": "Versio Kolme"}, headers={"If-Match": etag})
    expect(p2.status == 412 and problem_ok(p2), "PATCH with a stale If-Match: 412", p2)
    g2 = a.get(path)
    expect(g2.json.get("name") == "Versio Kaksi", "a 412 changes nothing", g2)
    r = a.get(path, headers={"If-None-Match": etag})
    expect(r.status == 200, "If-None-Match with a stale ETag: 200", r)
    # If-Match takes a list and compares strongly: a weak tag matches nothing
    cur = g2.header("etag")
    r = a.patch(path, {"name": "Versio Kaksi"}, headers={"If-Match": "W/" + cur})
    expect(r.status == 412, "If-Match with a weak tag: 412", r)
    # strong comparison is by the characters of the tag: "02" is not "2"
    r = a.patch(path, {"name": "Versio Nolla"}, headers={"If-Match": '"0%s' % cur[1:]})
    expect(r.status == 412, "If-Match with the version zero-padded: 412", r)
    r = a.patch(path, {"name": "Versio Kaksi"}, headers={"If-Match": '"1", %s' % cur})
    expect(r.status == 200, "If-Match with a list holding the current ETag", r)
    g2 = a.get(path)
    d = srv.client("manager").delete(path, headers={"If-Match": etag})
    expect(d.status == 412, "DELETE with a stale If-Match: 412", d)
    d = srv.client("manager").delete(path, headers={"If-Match": g2.header("etag")})
    expect(d.status in (200, 204), "DELETE with the current If-Match", d)
    # a staff member's record answers conditional GETs as every record does
    me = srv.staff_id("agent")
    g = a.get("/api/v1/staff/%d" % me)
    r = a.get("/api/v1/staff/%d" % me, headers={"If-None-Match": g.header("etag")})
    expect(r.status == 304 and not r.body, "staff GET with the current If-None-Match: 304", r)



def _version(s, client, path):
    """The record's (ETag, version); a soft failure (and ('""', 0)) when it cannot be read."""
    g = client.get(path)
    if not s.check(g.status == 200 and g.header("etag") and isinstance(g.json, dict), "GET %s has an ETag" % path, g):
        return '""', 0
    return g.header("etag"), g.json.get("version")


def _check_preconditions(s, client, path, patch_body, deleter=None):
    """RFC 9110 13.1.1/13.1.2 on one versioned record at path: PATCH with patch_body(i) (each
    i a change), then DELETE by deleter (a client, or None where the record has no DELETE)."""
    etag, v = _version(s, client, path)
    s.check(etag == '"%d"' % v, "%s: the ETag is the version quoted" % path)
    step = [0]

    def patch(headers, want, what):
        step[0] += 1
        before = _version(s, client, path)[0]
        r = client.patch(path, patch_body(step[0]), headers=headers)
        ok = s.check(r.status == want, "%s: %s: expected %d" % (path, what, want), r)
        if ok and want == 412:
            s.check(problem_ok(r) and _version(s, client, path)[0] == before,
                    "%s: %s: a 412 writes nothing" % (path, what), r)
        if ok and want == 200:
            s.check(r.header("etag") == '"%d"' % r.json.get("version") and r.header("etag") != before,
                    "%s: %s: the answer's ETag is the new version" % (path, what), r)
        return r

    def cur():
        return _version(s, client, path)[0]

    def ver():
        return _version(s, client, path)[1]

    # a list matches when any of its tags does: the current one among later (or earlier) ones
    patch({"If-Match": '%s, "%d"' % (cur(), ver() + 4)}, 200, "If-Match: the current ETag and a later one")
    patch({"If-Match": '"%d", %s, "1"' % (ver() + 9, cur())}, 200, "If-Match: a later ETag and the current one")
    patch({"If-Match": '"%d", "%d"' % (ver() + 1, ver() + 2)}, 412, "If-Match: later ETags only")
    # several If-Match field lines are one list (RFC 9110 5.3)
    patch({"If-Match": ['"%d"' % (ver() + 7), cur()]}, 200, "two If-Match lines, the second current")
    patch({"If-Match": [cur(), '"%d"' % (ver() + 7)]}, 200, "two If-Match lines, the first current")
    patch({"If-Match": ['"%d"' % (ver() + 7), '"%d"' % (ver() + 8)]}, 412, "two If-Match lines, neither current")
    # "*" is any current version
    patch({"If-Match": "*"}, 200, "If-Match: *")
    # strong comparison: a weak tag never matches, the version is compared as written
    patch({"If-Match": "W/" + cur()}, 412, "If-Match: the current ETag as a weak tag")
    patch({"If-Match": 'W/%s, "%d"' % (cur(), ver() + 1)}, 412, "If-Match: a weak current tag in a list")
    patch({"If-Match": '"0%d"' % ver()}, 412, "If-Match: the version zero-padded")
    # an empty value is an empty list (RFC 9110 5.6.1): it names nothing, so it fails
    patch({"If-Match": ""}, 412, "If-Match: (empty)")
    patch({"If-Match": " , "}, 412, "If-Match: an empty list")
    # a malformed value names nothing, not even the good tags in it
    patch({"If-Match": "%d" % ver()}, 412, "If-Match: the version unquoted")
    patch({"If-Match": "%s, garbage" % cur()}, 412, "If-Match: the current ETag, then garbage")
    patch({"If-Match": "*, %s" % cur()}, 412, "If-Match: * in a list")
    # more tags than a write carries: refused whole, never read in part
    many = ", ".join('"%d"' % (ver() + 100 + i) for i in range(40)) + ", " + cur()
    patch({"If-Match": many}, 400, "If-Match: 41 versions")
    few = ", ".join('"%d"' % (ver() + 100 + i) for i in range(31)) + ", " + cur()
    patch({"If-Match": few}, 200, "If-Match: 32 versions, the last current")
    # If-None-Match on a write: it fails when any tag matches, weakly, or "*"
    patch({"If-None-Match": cur()}, 412, "If-None-Match: the current ETag, on a PATCH")
    patch({"If-None-Match": '"%d", W/%s' % (ver() + 3, cur())}, 412,
          "If-None-Match: a list with the current ETag as weak")
    patch({"If-None-Match": ['"%d"' % (ver() + 3), cur()]}, 412, "two If-None-Match lines, the second current")
    patch({"If-None-Match": "*"}, 412, "If-None-Match: * on a PATCH of an existing record")
    patch({"If-None-Match": '"%d", W/"%d"' % (ver() + 3, ver() + 4)}, 200, "If-None-Match: other versions only")
    patch({"If-Match": cur(), "If-None-Match": '"%d"' % (ver() + 1)}, 200, "If-Match current and If-None-Match not")
    # conditional GET: 304 when any tag of If-None-Match matches, weakly; ETag kept
    e = cur()
    for headers, what in (({"If-None-Match": '"%d", %s' % (ver() + 5, e)}, "a list holding the current ETag"),
                          ({"If-None-Match": "W/" + e}, "the current ETag as a weak tag"),
                          ({"If-None-Match": ['"%d"' % (ver() + 5), e]}, "two lines, the second current"),
                          ({"If-None-Match": "*"}, "*")):
        r = client.get(path, headers=headers)
        s.check(r.status == 304 and not r.body and r.header("etag") == e,
                "%s: GET, If-None-Match: %s: 304" % (path, what), r)
    for headers, what in (({"If-None-Match": '"%d", W/"%d"' % (ver() + 5, ver() + 6)}, "other versions"),
                          ({"If-None-Match": ""}, "(empty)"),
                          ({"If-None-Match": "%s, garbage" % e}, "the current ETag, then garbage")):
        r = client.get(path, headers=headers)
        s.check(r.status == 200 and r.header("etag") == e, "%s: GET, If-None-Match: %s: 200" % (path, what), r)
    # If-Match on a read: 412 when it names another version (strongly), evaluated before If-None-Match
    for headers, want, what in (({"If-Match": e}, 200, "the current ETag"),
                                ({"If-Match": '"%d", %s' % (ver() + 1, e)}, 200, "a list holding the current ETag"),
                                ({"If-Match": "*"}, 200, "*"),
                                ({"If-Match": '"%d"' % (ver() + 1)}, 412, "a later ETag"),
                                ({"If-Match": "W/" + e}, 412, "the current ETag as a weak tag"),
                                ({"If-Match": '"%d"' % (ver() + 1), "If-None-Match": e}, 412,
                                 "a later ETag, If-None-Match current")):
        r = client.get(path, headers=headers)
        s.check(r.status == want, "%s: GET, If-Match: %s: %d" % (path, what, want), r)
    if deleter is None:
        return
    for headers, what in (({"If-Match": '"%d", "%d"' % (ver() + 1, ver() + 2)}, "If-Match: later ETags"),
                          ({"If-Match": ""}, "If-Match: (empty)"),
                          ({"If-Match": "W/" + cur()}, "If-Match: weak"),
                          ({"If-None-Match": cur()}, "If-None-Match: the current ETag"),
                          ({"If-None-Match": "*"}, "If-None-Match: *")):
        r = deleter.delete(path, headers=headers)
        s.check(r.status == 412 and problem_ok(r), "%s: DELETE, %s: 412" % (path, what), r)
    s.check(client.get(path).status == 200, "%s: a DELETE refused 412 deletes nothing" % path)
    r = deleter.delete(path, headers={"If-Match": ['"%d"' % (ver() + 1), '"%d", %s' % (ver() + 2, cur())]})
    s.check(r.status == 204, "%s: DELETE, two If-Match lines, the last tag current: 204" % path, r)
    # the record is gone: a precondition does not turn its 404 into a 412
    for headers in ({"If-Match": "*"}, {"If-Match": '"1"'}, {"If-None-Match": "*"}):
        r = deleter.delete(path, headers=headers)
        s.check(r.status == 404, "%s: DELETE of a deleted record with %s: 404" % (path, headers), r)
        r = client.patch(path, patch_body(0), headers=headers)
        s.check(r.status == 404, "%s: PATCH of a deleted record with %s: 404" % (path, headers), r)


def test_preconditions_rfc9110(srv):
    """If-Match and If-None-Match as RFC 9110 13.1.1/13.1.2 define them, on customers, notes,
    organisations and staff: a list matches when any tag does, several field lines are one
    list, "*", an empty or malformed value, weak tags, a cap on a write's list, If-None-Match
    on writes and on GET."""
    s = Soft()
    a = srv.admin()
    mgr = srv.client("manager")
    c = a.create("/api/v1/customers", {"name": "Ehto Asiakas"})
    _check_preconditions(s, a, "/api/v1/customers/%d" % c["id"], lambda i: {"name": "Ehto Asiakas %d" % i}, mgr)
    n = a.create("/api/v1/customers/%d/notes" % a.create("/api/v1/customers", {"name": "Muistio Asiakas"})["id"],
                 {"body": "Ensimmainen"})
    _check_preconditions(s, a, "/api/v1/notes/%d" % n["id"], lambda i: {"body": "Muokattu %d" % i}, a)
    o = a.create("/api/v1/organizations", {"name": "Ehto Oy"})
    _check_preconditions(s, a, "/api/v1/organizations/%d" % o["id"], lambda i: {"name": "Ehto Oy %d" % i}, a)
    st = a.create("/api/v1/staff", {"email": uniq("ehto") + "@kumppani.test", "name": "Ehto Henkilo",
                                    "role": "agent", "password": "Ehto-Salasana-123"})
    _check_preconditions(s, a, "/api/v1/staff/%d" % st["id"], lambda i: {"name": "Ehto Henkilo %d" % i})
    # a merge takes If-Match on the record merged into
    t = a.create("/api/v1/customers", {"name": "Kohde Asiakas"})
    f = a.create("/api/v1/customers", {"name": "Lahde Asiakas"})
    tp = "/api/v1/customers/%d" % t["id"]
    r = mgr.post(tp + "/merge", {"from": f["id"]}, headers={"If-Match": ['"%d"' % (t["version"] + 1)]})
    s.check(r.status == 412, "merge with If-Match naming a later version: 412", r)
    r = mgr.post(tp + "/merge", {"from": f["id"]},
                 headers={"If-Match": ['"%d"' % (t["version"] + 1), '"%d"' % t["version"]]})
    s.check(r.status == 200, "merge with two If-Match lines, the second current: 200", r)
    s.done()

def test_idempotency_key(srv):
    a = srv.admin()
    tag = uniq("idem")
    key = "it-" + secrets.token_hex(8)
    body = {"name": "Idem Potentti", "tags": [tag]}
    r1 = a.post("/api/v1/customers", body, headers={"Idempotency-Key": key})
    expect(r1.status == 201, "first POST with Idempotency-Key", r1)
    r2 = a.post("/api/v1/customers", body, headers={"Idempotency-Key": key})
    expect(r2.status == r1.status and r2.json == r1.json, "the retry returns the first answer", r2)
    expect(r2.header("location") == r1.header("location"), "the retry returns the same Location", r2)
    expect(r2.header("etag") and r2.header("etag") == r1.header("etag"), "the retry returns the same ETag", r2)
    # a client that writes its retry out again (another key order, other spacing, \u escapes)
    # sends the same request
    again = ('{ "tags" : [ "%s" ],\n  "name" : "Idem Po\\u0074entti" }' % tag).encode()
    r2b = a.request("POST", "/api/v1/customers", raw=again, headers={"Idempotency-Key": key},
                    content_type="application/json")
    expect(r2b.status == 201 and r2b.json == r1.json, "the same JSON written otherwise: the first answer", r2b)
    # a route whose body holds a password keeps no fingerprint of it: the key is ignored
    sb = {"email": "%s@kumppani.test" % uniq("idem"), "name": "Idem Staff", "role": "agent",
          "password": "Idem-Salasana-42"}
    s1 = a.post("/api/v1/staff", sb, headers={"Idempotency-Key": key + "-staff"})
    s2 = a.post("/api/v1/staff", sb, headers={"Idempotency-Key": key + "-staff"})
    expect(s1.status == 201 and s2.status == 409, "staff create ignores Idempotency-Key (the retry: 409)", s2)
    lst = a.get("/api/v1/customers?tag=" + tag)
    expect(len(lst.json.get("items", [])) == 1, "only one record for two requests with the same key", lst)
    r3 = a.post("/api/v1/customers", {"name": "Toinen Runko", "tags": [tag]}, headers={"Idempotency-Key": key})
    expect(r3.status == 422 and problem_ok(r3), "the same key with another body: 422", r3)
    expect([e.get("field") for e in r3.json.get("errors", [])] == ["Idempotency-Key"],
           "the 422 names the Idempotency-Key in errors, as every 422 names its field", r3)
    lst = a.get("/api/v1/customers?tag=" + tag)
    expect(len(lst.json.get("items", [])) == 1, "still one record", lst)
    r4 = a.post("/api/v1/customers", body, headers={"Idempotency-Key": key + "-b"})
    expect(r4.status == 201 and r4.json["id"] != r1.json["id"], "another key makes another record", r4)
    r5 = a.post("/api/v1/customers", body, headers={"Idempotency-Key": "x" * 300})
    expect(r5.status == 400, "an over-long Idempotency-Key: 400", r5)


def test_tombstones_after_merge_chains_and_deletes(srv):
    """A merged-away id answers 404 naming its survivor on every read, the interaction list's
    customer filter included; once the survivor is deleted, the merged-away records went with it
    (a plain 404, naming no one)."""
    a = srv.admin()
    mgr = srv.client("manager")
    c, d, e = (a.create("/api/v1/customers", {"name": "Ketju %s" % x})["id"] for x in "CDE")
    a.create("/api/v1/customers/%d/interactions" % c, {"kind": "call", "direction": "inbound"})
    expect(a.post("/api/v1/customers/%d/merge" % d, {"from": c}).status == 200, "merge C into D")
    r = a.get("/api/v1/interactions?customer_id=%d" % c)
    expect(r.status == 404 and r.json.get("merged_into") == d, "/interactions?customer_id=tombstone: 404 naming D", r)
    r = a.get("/api/v1/interactions?customer_id=987654321")
    expect(r.status == 200 and r.json.get("items") == [], "an unknown customer_id lists nothing", r)
    r = srv.client("manager").get("/api/v1/insights/topics?customer_id=%d" % c)
    expect(r.status == 404 and r.json.get("merged_into") == d, "topics of a merged-away customer: 404 naming D", r)
    expect(a.post("/api/v1/customers/%d/merge" % e, {"from": d}).status == 200, "merge D into E")
    for x in (c, d):
        r = a.get("/api/v1/customers/%d" % x)
        expect(r.status == 404 and r.json.get("merged_into") == e, "the chain resolves to E", r)
    expect(mgr.delete("/api/v1/customers/%d" % e).status == 204, "delete E")
    for x in (c, d):
        for path in ("/api/v1/customers/%d" % x, "/api/v1/customers/%d/timeline" % x,
                     "/api/v1/interactions?customer_id=%d" % x):
            r = a.get(path)
            if path.startswith("/api/v1/interactions"):
                expect(r.status == 200 and r.json.get("items") == [], path + ": nothing left to list", r)
                continue
            expect(r.status == 404 and "merged_into" not in r.json and "does not exist" in r.json.get("detail", ""),
                   path + ": deleted with the survivor", r)


def test_cursor_belongs_to_its_list(srv):
    """A next_cursor moves within the list it came from: another customer's timeline, or the
    same list with another filter, refuses it (400) instead of answering a wrong page; the
    parameters in another order, or another page size, are the same list."""
    a = srv.admin()
    c1, c2 = (a.create("/api/v1/customers", {"name": "Kursori %d" % i})["id"] for i in (1, 2))
    for cid in (c1, c2):
        for k in range(3):
            a.create("/api/v1/customers/%d/interactions" % cid, {"kind": "call", "direction": "inbound"})
    cur = a.ok("/api/v1/customers/%d/timeline?limit=2" % c1)["next_cursor"]
    r = a.get("/api/v1/customers/%d/timeline?limit=2&cursor=%s" % (c2, cur))
    expect(r.status == 400 and problem_ok(r, 400), "another customer's timeline refuses the cursor", r)
    r = a.get("/api/v1/customers/%d/timeline?limit=1&cursor=%s" % (c1, cur))
    expect(r.status == 200 and len(r.json["items"]) == 1, "another page size is the same list", r)
    cur = a.ok("/api/v1/interactions?customer_id=%d&kind=call&limit=1" % c1)["next_cursor"]
    r = a.get("/api/v1/interactions?kind=call&cursor=%s&customer_id=%d" % (cur, c1))
    expect(r.status == 200 and len(r.json["items"]) == 2, "the filters in another order are the same list", r)
    r = a.get("/api/v1/interactions?customer_id=%d&cursor=%s" % (c2, cur))
    expect(r.status == 400, "other filters: 400", r)
    cur = a.ok("/api/v1/customers?sort=name&limit=1")["next_cursor"]
    r = a.get("/api/v1/customers?sort=name&tag=vip&cursor=" + cur)
    expect(r.status == 400, "a customers cursor with a filter added: 400", r)


def test_error_messages_say_what_is_wrong(srv):
    """A time before 1900 says so (it is well-formed), a NUL in a string is named without the
    parser's option names, and an unknown custom filter points at the field list."""
    a = srv.admin()
    cid = a.create("/api/v1/customers", {"name": "Virheviesti"})["id"]
    r = a.post("/api/v1/customers/%d/interactions" % cid, {"kind": "call", "direction": "inbound",
                                                         "occurred_at": "1899-12-31T23:59:59Z"})
    expect(r.status == 422 and "before 1900" in json.dumps(r.json), "a time before 1900 says so", r)
    # an offset does not carry a time past the range (it would be a time no backup takes)
    r = a.post("/api/v1/customers/%d/interactions" % cid, {"kind": "call", "direction": "inbound",
                                                         "occurred_at": "1900-01-01T00:00:00+23:59"})
    expect(r.status == 422 and "before 1900" in json.dumps(r.json), "1900-01-01T00:00:00+23:59 is 1899 in UTC", r)
    r = a.post("/api/v1/customers/%d/interactions" % cid, {"kind": "call", "direction": "inbound",
                                                         "occurred_at": "eilen"})
    expect(r.status == 422 and "RFC 3339" in json.dumps(r.json), "a malformed time names the form", r)
    r = a.post("/api/v1/customers", raw=b'{"name": "Nul\\u0000 Merkki"}', content_type="application/json")
    expect(r.status == 400 and "NUL" in r.json.get("detail", "") and b"JSON_ALLOW_NUL" not in r.body,
           "a NUL is named plainly", r)
    r = a.get("/api/v1/customers?custom[ei_ole]=x")
    expect(r.status in (400, 422) and "/api/v1/fields" in json.dumps(r.json), "an unknown custom filter", r)


def test_audit_log(srv):
    a = srv.admin()
    rid = "it-audit-" + secrets.token_hex(6)
    c = a.post("/api/v1/customers", {"name": "Audit Asiakas"}, headers={"X-Request-Id": rid})
    expect(c.status == 201, "create", c)
    cid = c.json["id"]
    a.patch("/api/v1/customers/%d" % cid, {"name": "Audit Asiakas 2"})
    for role in ("manager", "admin"):
        r = srv.client(role).get("/api/v1/audit?entity=customer&entity_id=%d" % cid)
        expect(r.status == 200 and isinstance(r.json.get("items"), list), "audit readable by %s" % role, r)
    items = r.json["items"]
    actions = [e.get("action") for e in items]
    expect(actions[:2] == ["update", "create"], "audit newest first: update, create (got %s)" % actions, r)
    upd, cre = items[0], items[1]
    expect(cre.get("request_id") == rid, "the audit entry carries the request id", r)
    expect(cre.get("actor_id") == srv.staff_id("admin") or cre.get("actor") == "admin@kumppani.test",
           "the audit entry names who", r)
    expect("name" in json.dumps(upd.get("changes")) and "Audit Asiakas 2" in json.dumps(upd.get("changes")),
           "the update's audit entry says what changed", r)
    expect(upd.get("at"), "the audit entry says when", r)
    r = srv.client("agent").get("/api/v1/audit")
    expect(r.status == 403 and problem_ok(r), "audit is 403 for agents", r)
    # every create entry reads field -> [old, new], staff and tokens as customers
    st = a.create("/api/v1/staff", {"email": "audit.%s@kumppani.test" % uniq(), "name": "Auditoitu",
                                    "role": "agent", "password": "Auditoidun-salasana-1"})
    e = a.ok("/api/v1/audit?entity=staff&entity_id=%d&action=create" % st["id"])["items"]
    ch = e[0]["changes"] if e else {}
    expect(ch.get("name") == [None, "Auditoitu"] and ch.get("role") == [None, "agent"]
           and all(isinstance(v, list) and len(v) == 2 for v in ch.values()), "a staff create entry: %s" % ch)


def test_strings_stored_verbatim(srv):
    a = srv.admin()
    s = Soft()
    texts = ["'; DROP TABLE customers; --", "<script>alert(1)</script>", "Robert'); DELETE FROM staff;--",
             "\"quoted\" \\ backslash", "ääkköset ÅÄÖ 🙂", "line\nbreak\ttab", "1 OR 1=1", "%s%n%x"]
    for t in texts:
        control = any(ord(ch) < 32 for ch in t)
        if control:
            r = a.post("/api/v1/customers", {"name": t})
            s.check(r.status == 422 and problem_ok(r), "a name with a control character: 422", r)
            r = a.post("/api/v1/customers", {"name": "Tekstit"})
        else:
            r = a.post("/api/v1/customers", {"name": t})
        if not s.check(r.status == 201, "create with %r" % t, r):
            continue
        cid = r.json["id"]
        if not control:
            s.check(r.json.get("name") == t, "name %r returned as stored" % t, r)
            g = a.get("/api/v1/customers/%d" % cid)
            s.check(g.json.get("name") == t, "GET name == %r" % t, g)
        n = a.post("/api/v1/customers/%d/notes" % cid, {"body": t})
        i = a.post("/api/v1/customers/%d/interactions" % cid, {"kind": "note", "direction": "inbound",
                                                               "summary": t, "body": t})
        s.check(n.status == 201 and i.status == 201, "note/interaction with %r" % t, n if n.status != 201 else i)
        if n.status == 201:
            gn = a.get("/api/v1/notes/%d" % n.json["id"])
            s.check(gn.json.get("body") == t and gn.content_type == "application/json", "note body %r verbatim" % t, gn)
        if i.status == 201:
            gi = a.get("/api/v1/interactions/%d" % i.json["id"])
            s.check(gi.json.get("summary") == t and gi.json.get("body") == t, "interaction text %r verbatim" % t, gi)
    r = a.get("/api/v1/customers?limit=1")
    s.check(r.status == 200, "customers table still there", r)
    s.done()


def test_pagination_of_other_lists(srv):
    a = srv.admin()
    s = Soft()
    for path in ("/api/v1/organizations", "/api/v1/interactions", "/api/v1/audit", "/api/v1/staff",
                 "/api/v1/organizations?sort=-name"):
        small = ids(a.list_all(path, limit=7))
        big = ids(a.list_all(path, limit=200))
        s.check(len(small) == len(set(small)), "%s with limit=7: duplicates across pages" % path)
        s.check(small == big, "%s: pages of 7 (%d items) differ from pages of 200 (%d items)"
                % (path, len(small), len(big)))
    s.done()


def test_validation_edges(srv):
    """A website shown as a link takes no script scheme; a note is more than white space; a
    required text field holds some text."""
    s = Soft()
    a = srv.admin()
    for site, ok in (("javascript:alert(1)", False), ("data:text/html,x", False), ("JAVASCRIPT:x", False),
                     ("https://example.fi/yhteystiedot", True), ("example.fi:8080/x", True), ("www.example.fi", True)):
        r = a.post("/api/v1/organizations", {"name": "Linkki Oy", "website": site})
        s.check((r.status == 201) == ok and (ok or problem_ok(r)), "website %r: %s" % (site, "201" if ok else "422"), r)
    c = a.create("/api/v1/customers", {"name": "Muistiinpano Testi"})
    r = a.post("/api/v1/customers/%d/notes" % c["id"], {"body": " \n\t "})
    s.check(r.status == 422 and problem_ok(r), "a note of only white space: 422", r)
    key = uniq("pakko")
    r = a.post("/api/v1/fields", {"entity": "customer", "key": key, "label": "Pakollinen", "type": "text",
                                   "required": True})
    s.check(r.status == 201, "a required text field", r)
    r = a.post("/api/v1/customers", {"name": "Tyhja Arvo", "custom": {key: ""}})
    s.check(r.status == 422 and problem_ok(r), "a required text field with \"\": 422", r)
    r = a.post("/api/v1/customers", {"name": "Tyhja Arvo", "custom": {key: " \u00a0 "}})
    s.check(r.status == 422 and problem_ok(r), "a required text field of only white space: 422", r)
    r = a.post("/api/v1/customers/%d/notes" % c["id"], {"body": "\u00a0\u3000\u200b"})
    s.check(r.status == 422 and problem_ok(r), "a note of Unicode white space only: 422", r)
    org = a.create("/api/v1/organizations", {"name": "Paivitetty Oy"})
    r = a.get("/api/v1/organizations?updated_after=2099-01-01T00:00:00Z")
    s.check(r.status == 200 and r.json["items"] == [], "organisations updated after 2099: none", r)
    r = a.get("/api/v1/organizations?updated_after=xx")
    s.check(r.status == 400 and problem_ok(r), "organisations: a malformed updated_after is a 400", r)
    r = a.post("/api/v1/customers", {"name": "Oikea Arvo", "custom": {key: "arvo"}})
    s.check(r.status == 201, "a required text field with text", r)
    if r.status == 201:
        fid = [f for f in a.ok("/api/v1/fields")["items"] if f["key"] == key]
        if fid:
            a.request("DELETE", "/api/v1/fields/%d" % fid[0]["id"])
    s.done()
