"""Every list the same way (an integrator syncing into a data warehouse): time bounds exact to
the millisecond and finer, one cursor and error shape for every list (staff too), a cursor
taken with its list's parameters spelt out as their defaults, sort enums as documented, a
merged customer_id a 404 everywhere, audit entities and actions enumerated, control
characters refused in every query parameter, and an incremental sync by updated_after on
interactions and staff that misses no edit."""

import json
import os
import urllib.parse

from harness import REPO, Soft, expect, problem_ok

_n = [0]


def uniq(prefix):
    _n[0] += 1
    return "%s%d%d" % (prefix, os.getpid(), _n[0])


def q(s):
    return urllib.parse.quote(s, safe="")


def ids(items):
    return [i["id"] for i in items]


def field_errors(r):
    j = r.json if isinstance(r.json, dict) else {}
    return {e.get("field"): e.get("message") for e in j.get("errors", []) if isinstance(e, dict)}


def openapi():
    with open(os.path.join(REPO, "docs", "openapi.json"), encoding="utf-8") as f:
        return json.load(f)


def op_params(doc, path, method="get"):
    """The operation's query parameters by name, $refs resolved."""
    out = {}
    for p in doc["paths"][path][method].get("parameters", []):
        if "$ref" in p:
            p = doc["components"]["parameters"][p["$ref"].split("/")[-1]]
        if p.get("in") == "query":
            out[p["name"]] = p
    return out


def ms_of(ts):
    """The millisecond of an RFC 3339 UTC time as the server writes it (...T..:..:..mmmZ)."""
    from datetime import datetime, timezone
    d = datetime.strptime(ts, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)
    return int(round(d.timestamp() * 1000))


def rfc3339(ms, extra=""):
    """ms as RFC 3339 UTC with milliseconds and `extra` digits after them."""
    from datetime import datetime, timezone
    d = datetime.fromtimestamp(ms // 1000, tz=timezone.utc)
    return d.strftime("%Y-%m-%dT%H:%M:%S") + ".%03d%sZ" % (ms % 1000, extra)


def test_time_bounds_finer_than_a_millisecond(srv):
    """A bound with a fraction finer than the millisecond selects exactly what it says: from
    and since (at or after) and to (before) round up to the next millisecond, updated_after
    (after) down. They were cut to the millisecond, so to=10:00:00.0001 left out what happened
    at 10:00:00.000 and from=10:00:00.0009 took it in."""
    a, mgr = srv.admin(), srv.client("manager")
    s = Soft()
    cid = a.create("/api/v1/customers", {"name": "Aika Rajatesti"})["id"]
    it = a.create("/api/v1/customers/%d/interactions" % cid,
                  {"kind": "call", "direction": "inbound", "summary": "Rajalla",
                   "occurred_at": "2026-03-01T10:00:00.000Z"})
    base = "/api/v1/interactions?customer_id=%d" % cid
    for query, want in (("to=2026-03-01T10:00:00.0001Z", [it["id"]]),
                        ("to=2026-03-01T10:00:00.000999999Z", [it["id"]]),
                        ("to=2026-03-01T10:00:00.000Z", []),
                        ("to=2026-03-01T10:00:00.0000000Z", []),
                        ("from=2026-03-01T10:00:00.0009Z", []),
                        ("from=2026-03-01T10:00:00.000Z", [it["id"]]),
                        ("from=2026-03-01T09:59:59.9999Z", [it["id"]]),
                        ("from=2026-03-01T09:59:59.9999Z&to=2026-03-01T10:00:00.0001Z", [it["id"]]),
                        ("from=2026-03-01T11:59:59.9999%2B02:00&to=2026-03-01T12:00:00.0001%2B02:00", [it["id"]]),
                        ("from=2026-03-01T12:00:00.0001%2B02:00", [])):
        r = a.get(base + "&" + query)
        s.check(r.status == 200 and ids(r.json["items"]) == want, "interactions ?%s: want %s" % (query, want), r)
    # updated_after: after the instant, so the millisecond it falls in
    u = ms_of(it["updated_at"])
    for extra_ms, digits, want in ((0, "0001", []), (0, "9", []), (-1, "9999", [it["id"]]), (-1, "", [it["id"]])):
        t = rfc3339(u + extra_ms, digits)
        r = a.get(base + "&updated_after=" + q(t))
        s.check(r.status == 200 and ids(r.json["items"]) == want, "interactions ?updated_after=%s: want %s" % (t, want),
                r)
    cu = a.ok("/api/v1/customers/%d" % cid)
    cu_ms = ms_of(cu["updated_at"])
    for t, want in ((rfc3339(cu_ms, "5"), []), (rfc3339(cu_ms - 1, "5"), [cid])):
        r = a.get("/api/v1/customers?updated_after=%s&limit=200&sort=updated_at" % q(t))
        s.check(r.status == 200 and (cid in ids(r.json["items"])) == bool(want),
                "customers ?updated_after=%s: %s" % (t, "listed" if want else "not listed"), r)
    # since (audit): at or after, so a finer fraction rounds up
    au = mgr.ok("/api/v1/audit?entity=customer&entity_id=%d&action=create" % cid)["items"]
    expect(len(au) == 1, "the customer's create entry")
    at = ms_of(au[0]["at"])
    for t, n in ((rfc3339(at, "0001"), 0), (rfc3339(at - 1, "0001"), 1), (rfc3339(at), 1)):
        r = mgr.get("/api/v1/audit?entity=customer&entity_id=%d&action=create&since=%s" % (cid, q(t)))
        s.check(r.status == 200 and len(r.json["items"]) == n, "audit ?since=%s: %d entries" % (t, n), r)
    s.done()


def test_staff_list_pages_as_every_list(srv):
    """GET /staff takes the common list parameters: an opaque cursor bound to its list (a bare
    id, made up or too large, is a 400, not an empty page), sort, updated_after, and problems
    with errors[] naming the parameter."""
    a, mgr = srv.admin(), srv.client("manager")
    s = Soft()
    for i in range(3):
        r = a.post("/api/v1/staff", {"email": "%s@lists.test" % uniq("listat"), "name": "Listattava %d" % i,
                                     "role": "agent", "password": "Listattava-Salasana-9"})
        expect(r.status == 201, "create a staff member", r)
    everyone = mgr.list_all("/api/v1/staff", limit=2)
    s.check(len(everyone) >= 4 and len(set(ids(everyone))) == len(everyone) and ids(everyone) == sorted(ids(everyone)),
            "staff pages of 2 list each staff member once, by id: %s" % ids(everyone))
    r = mgr.get("/api/v1/staff?limit=1")
    cur = r.json.get("next_cursor") if r.status == 200 else None
    s.check(isinstance(cur, str) and not cur.isdigit(), "next_cursor is opaque, not a bare id", r)
    for bad in ("9007199254740993", "2", str(r.json["items"][0]["id"]) if r.status == 200 else "1", "", "%20"):
        r = mgr.get("/api/v1/staff?cursor=" + bad)
        s.check(r.status == 400 and problem_ok(r) and "cursor" in field_errors(r),
                "staff ?cursor=%s: 400 naming cursor in errors[]" % bad, r)
    for bad in ("limit=0", "limit=abc", "limit=", "sort=email", "updated_after=eilen"):
        r = mgr.get("/api/v1/staff?" + bad)
        name = bad.split("=")[0]
        s.check(r.status == 400 and problem_ok(r) and name in field_errors(r),
                "staff ?%s: 400 with errors[] naming %s" % (bad, name), r)
    # a cursor of another list, or of this one sorted otherwise, is refused
    c2 = mgr.get("/api/v1/customers?limit=1")
    if c2.status == 200 and c2.json.get("next_cursor"):
        r = mgr.get("/api/v1/staff?cursor=" + q(c2.json["next_cursor"]))
        s.check(r.status == 400 and "cursor" in field_errors(r), "a customers cursor on /staff: 400", r)
    by_name = mgr.list_all("/api/v1/staff?sort=name", limit=2)
    s.check(sorted(ids(by_name)) == sorted(ids(everyone)), "sort=name pages through everyone")
    s.check(mgr.ok("/api/v1/staff?updated_after=2999-01-01")["items"] == [], "updated_after in the future: none")
    s.done()


def test_empty_cursor_refused_on_every_list(srv):
    """?cursor= (empty) is a 400 on every list, as an empty value of any other parameter
    is (it was the first page on /customers and a 400 on /staff)."""
    a, mgr = srv.admin(), srv.client("manager")
    s = Soft()
    cid = a.create("/api/v1/customers", {"name": "Tyhjä Kursori"})["id"]
    oid = a.create("/api/v1/organizations", {"name": "Tyhjä Kursori Oy"})["id"]
    doc = openapi()
    for path, item in doc["paths"].items():
        op = item.get("get")
        if not op or "cursor" not in op_params(doc, path):
            continue
        url = path.replace("{id}", str(oid if path.startswith("/api/v1/organizations") else cid))
        extra = "&q=kursori" if path == "/api/v1/search" else ""
        r = mgr.get(url + "?cursor=" + extra)
        s.check(r.status == 400 and problem_ok(r) and "cursor" in field_errors(r), "GET %s?cursor=: 400" % url, r)
    s.done()


def test_cursor_taken_with_defaults_spelt_out(srv):
    """The list a cursor is bound to is its effective parameters: ?sort=id is the list without
    sort (id is the default), a flag spelt as its default is the list without it, and the
    other way round."""
    a, mgr = srv.admin(), srv.client("manager")
    s = Soft()
    tag = uniq("oletus")
    for i in range(3):
        a.create("/api/v1/customers", {"name": "Oletus %d" % i, "tags": [tag]})
    for first, then in (("", "&sort=id"), ("&sort=id", ""), ("&flagged=false", "&flagged=0")):
        r = a.get("/api/v1/customers?tag=%s&limit=1%s" % (tag, first))
        expect(r.status == 200 and r.json.get("next_cursor"), "a first page", r)
        r2 = a.get("/api/v1/customers?tag=%s&limit=1%s&cursor=%s" % (tag, then, q(r.json["next_cursor"])))
        s.check(r2.status == 200 and len(r2.json["items"]) == 1 and r2.json["items"][0]["id"] > r.json["items"][0]["id"],
                "a cursor of ?%s taken with ?%s" % (first or "(no sort)", then or "(no sort)"), r2)
    # the tag as typed and as stored are one list
    r = a.get("/api/v1/customers?tag=%s&limit=1" % tag.upper())
    r2 = a.get("/api/v1/customers?tag=%s&limit=1&cursor=%s" % (tag, q(r.json.get("next_cursor") or "")))
    s.check(r2.status == 200, "a cursor of ?tag=%s taken with ?tag=%s" % (tag.upper(), tag), r2)
    # but another sort, or another filter, is another list
    r = a.get("/api/v1/customers?tag=%s&limit=1" % tag)
    for other in ("&sort=-id", "&sort=name", "&flagged=true"):
        r2 = a.get("/api/v1/customers?tag=%s&limit=1%s&cursor=%s" % (tag, other, q(r.json["next_cursor"])))
        s.check(r2.status == 400 and "cursor" in field_errors(r2), "a cursor of the default list refused with %s" % other,
                r2)
    for first, then in (("", "&sort=-occurred_at"), ("&sort=-occurred_at", "")):
        cid = a.create("/api/v1/customers", {"name": "Aikajana Oletus"})["id"]
        for i in range(2):
            a.create("/api/v1/customers/%d/interactions" % cid, {"kind": "call", "direction": "inbound",
                                                                   "summary": "Puhelu %d" % i})
        r = a.get("/api/v1/interactions?customer_id=%d&limit=1%s" % (cid, first))
        r2 = a.get("/api/v1/interactions?customer_id=%d&limit=1%s&cursor=%s" % (cid, then, q(r.json["next_cursor"])))
        s.check(r2.status == 200 and len(r2.json["items"]) == 1, "interactions: a cursor of ?%s taken with ?%s"
                % (first or "(no sort)", then or "(no sort)"), r2)
    r = mgr.get("/api/v1/staff?limit=1")
    r2 = mgr.get("/api/v1/staff?limit=1&sort=id&cursor=" + q(r.json["next_cursor"]))
    s.check(r2.status == 200, "staff: a cursor of the default sort taken with sort=id", r2)
    r = mgr.get("/api/v1/wellbeing/notifications?limit=1&unacknowledged=0&severe=false")
    s.check(r.status == 200, "notifications with the flags spelt as their defaults", r)
    s.done()


def test_sort_enums_are_what_each_list_takes(srv):
    """Every value of an operation's sort enum is taken (sort=-id on customers and
    organisations was taken but not documented), and a sort of another list is a 400."""
    a, mgr = srv.admin(), srv.client("manager")
    s = Soft()
    doc = openapi()
    seen = 0
    for path, item in doc["paths"].items():
        op = item.get("get")
        if not op or "{" in path:
            continue
        ps = op_params(doc, path)
        if "sort" not in ps:
            continue
        seen += 1
        enum = ps["sort"]["schema"]["enum"]
        for v in enum:
            r = mgr.get("%s?sort=%s&limit=2" % (path, q(v)))
            s.check(r.status == 200, "GET %s?sort=%s is in the enum: 200" % (path, v), r)
            if r.status == 200 and r.json.get("next_cursor"):
                r2 = mgr.get("%s?sort=%s&limit=2&cursor=%s" % (path, q(v), q(r.json["next_cursor"])))
                s.check(r2.status == 200, "GET %s?sort=%s: its cursor is taken" % (path, v), r2)
        for v in ("-occurred_at", "occurred_at", "email", "-", ""):
            if v in enum:
                continue
            r = mgr.get("%s?sort=%s" % (path, q(v)))
            s.check(r.status == 400 and "sort" in field_errors(r), "GET %s?sort=%s is not in the enum: 400" % (path, v), r)
    s.check(seen >= 4, "customers, organisations, staff and interactions document a sort (%d)" % seen)
    c = [a.create("/api/v1/customers", {"name": "Laskeva %d" % i, "tags": ["laskeva"]})["id"] for i in range(2)]
    r = a.get("/api/v1/customers?tag=laskeva&sort=-id")
    s.check(r.status == 200 and ids(r.json["items"])[:2] == sorted(c, reverse=True), "sort=-id: newest id first", r)
    s.done()


def test_notifications_of_a_merged_customer_404(srv):
    """GET /wellbeing/notifications?customer_id= of a customer merged away is a 404 naming the
    survivor, as /interactions, the timeline and the topics answer (it was an empty 200)."""
    a, mgr = srv.admin(), srv.client("manager")
    into = a.create("/api/v1/customers", {"name": "Jäävä Asiakas"})["id"]
    gone = a.create("/api/v1/customers", {"name": "Yhdistettävä Asiakas"})["id"]
    r = mgr.post("/api/v1/customers/%d/merge" % into, {"from": gone})
    expect(r.status == 200, "merge", r)
    for path in ("/api/v1/wellbeing/notifications", "/api/v1/interactions"):
        r = mgr.get("%s?customer_id=%d" % (path, gone))
        expect(r.status == 404 and problem_ok(r) and r.json.get("merged_into") == into,
               "%s?customer_id= of a merged customer: 404 with merged_into %d" % (path, into), r)
    r = mgr.get("/api/v1/wellbeing/notifications?customer_id=%d" % into)
    expect(r.status == 200, "the survivor's notifications", r)
    r = mgr.get("/api/v1/wellbeing/notifications?customer_id=9007199254740000")
    expect(r.status == 200 and r.json["items"] == [], "an id no customer has lists nothing", r)


def test_audit_entity_and_action_enumerated(srv):
    """entity and action are the words the server writes (docs/openapi.json's enums); another
    (organisation, customers, deleted) is a 400 naming the allowed ones, not an empty page."""
    mgr = srv.client("manager")
    s = Soft()
    ps = op_params(openapi(), "/api/v1/audit")
    for name in ("entity", "action"):
        enum = ps[name]["schema"].get("enum")
        s.check(isinstance(enum, list) and len(enum) > 5, "audit %s has an enum" % name)
        for v in enum or []:
            r = mgr.get("/api/v1/audit?limit=1&%s=%s" % (name, v))
            s.check(r.status == 200, "audit ?%s=%s: 200" % (name, v), r)
    for name, bad in (("entity", "organisation"), ("entity", "customers"), ("action", "deleted"),
                      ("action", "Create"), ("entity", "")):
        r = mgr.get("/api/v1/audit?%s=%s" % (name, bad))
        msg = field_errors(r).get(name) or ""
        allowed = ps[name]["schema"].get("enum") or []
        s.check(r.status == 400 and problem_ok(r) and all(v in msg for v in allowed),
                "audit ?%s=%s: 400 naming every allowed value" % (name, bad), r)
    # what the server writes is listed: every entry's entity and action
    r = mgr.get("/api/v1/audit?limit=200")
    for e in r.json.get("items", []) if r.status == 200 else []:
        s.check(e["entity"] in ps["entity"]["schema"]["enum"] and e["action"] in ps["action"]["schema"]["enum"],
                "entry %d (%s %s) is in the enums" % (e["id"], e["action"], e["entity"]))
    s.done()


def test_control_characters_refused_in_every_query_parameter(srv):
    """One rule for query text: a control character is a 400 naming the parameter (q took
    them: ?q=%01 listed customers), as tag always refused them."""
    a, mgr = srv.admin(), srv.client("manager")
    s = Soft()
    for url, name in (("/api/v1/customers?q=%01", "q"), ("/api/v1/customers?q=Maija%7F", "q"),
                      ("/api/v1/customers?q=Maija%C2%85", "q"), ("/api/v1/organizations?q=%1F", "q"),
                      ("/api/v1/search?q=Maija%01", "q"), ("/api/v1/customers?tag=a%09b", "tag"),
                      ("/api/v1/customers?email=a%0A@b.fi", "email"),
                      ("/api/v1/organizations?business_id=1234567-8%0D", "business_id"),
                      ("/api/v1/interactions?routed_to_team=Tiimi%01", "routed_to_team"),
                      ("/api/v1/wellbeing/notifications?team=Tiimi%0A", "team"),
                      ("/api/v1/wellbeing/exposure?team=Tiimi%01", "team"),
                      ("/api/v1/audit?action=create%00", None)):
        r = mgr.get(url)
        s.check(r.status == 400 and problem_ok(r) and (name is None or name in field_errors(r)),
                "GET %s: 400%s" % (url, " naming " + name if name else ""), r)
    r = a.get("/api/v1/customers?q=Maija")
    s.check(r.status == 200, "plain text still lists", r)
    s.done()


def test_incremental_sync_misses_no_edit(srv):
    """A syncer polling GET /interactions?updated_after=&sort=updated_at (and /staff) as
    docs/openapi.json says - from a few seconds before the last updated_at it saw, paging
    with the cursor - sees every create and edit: a PATCH, an interaction whose
    organization_id followed its customer to another organisation, one moved by a merge, a
    staff member's change."""
    a, mgr = srv.admin(), srv.client("manager")
    s = Soft()
    org1 = a.create("/api/v1/organizations", {"name": "Synkka Oy"})["id"]
    org2 = a.create("/api/v1/organizations", {"name": "Synkka Uusi Oy"})["id"]
    c1 = a.create("/api/v1/customers", {"name": "Synkka Yksi", "organization_id": org1})
    c2 = a.create("/api/v1/customers", {"name": "Synkka Kaksi"})
    its = [a.create("/api/v1/customers/%d/interactions" % (c1["id"] if i % 2 else c2["id"]),
                    {"kind": "call", "direction": "inbound", "summary": "Synkka %d" % i}) for i in range(6)]

    state = {}  # id -> (version, record)

    def poll(path, since_ms):
        """Every page of path?updated_after=since (a few seconds of overlap), newest version kept."""
        seen_max = since_ms
        t = rfc3339(max(since_ms - 3000, 1))
        url = "%s%supdated_after=%s&sort=updated_at&limit=2" % (path, "&" if "?" in path else "?", q(t))
        last = None
        for _ in range(500):
            r = mgr.get(url + ("&cursor=" + q(last) if last else ""))
            expect(r.status == 200, "poll %s" % path, r)
            prev = None
            for x in r.json["items"]:
                u = ms_of(x["updated_at"])
                expect(prev is None or u >= prev, "sort=updated_at pages in the order of the change", r)
                prev = u
                seen_max = max(seen_max, u)
                key = (path.split("?")[0], x["id"])
                if key not in state or state[key]["version"] <= x["version"]:
                    state[key] = x
            last = r.json.get("next_cursor")
            if not last:
                return seen_max
        raise AssertionError("too many pages")

    ipath = "/api/v1/interactions"
    mark = poll(ipath, 1)
    smark = poll("/api/v1/staff", 1)
    for it in its:
        s.check(state.get((ipath, it["id"]), {}).get("version") == it["version"], "interaction %d synced" % it["id"])
    # edits of every kind, interleaved with polls
    e = a.patch("/api/v1/interactions/%d" % its[0]["id"], {"summary": "Synkka muokattu"},
                headers={"If-Match": '"%d"' % its[0]["version"]})
    expect(e.status == 200, "edit an interaction", e)
    mark = poll(ipath, mark)
    r = a.patch("/api/v1/customers/%d" % c1["id"], {"organization_id": org2}, headers={"If-Match": '"%d"' % c1["version"]})
    expect(r.status == 200, "move the customer to another organisation", r)
    r = mgr.post("/api/v1/customers/%d/merge" % c1["id"], {"from": c2["id"]})
    expect(r.status == 200, "merge the other customer into it", r)
    staff = a.create("/api/v1/staff", {"email": "%s@lists.test" % uniq("synkka"), "name": "Synkka Agentti",
                                        "role": "agent", "password": "Listattava-Salasana-9"})
    smark = poll("/api/v1/staff", smark)
    r = a.patch("/api/v1/staff/%d" % staff["id"], {"team": uniq("synkka")}, headers={"If-Match": '"%d"' % staff["version"]})
    expect(r.status == 200, "change a staff member", r)
    new = a.create("/api/v1/customers/%d/interactions" % c1["id"], {"kind": "email", "direction": "outbound",
                                                                       "summary": "Synkka uusi"})
    mark = poll(ipath, mark)
    smark = poll("/api/v1/staff", smark)
    # the syncer's copy is the server's now
    for it in its + [new]:
        now = a.ok("/api/v1/interactions/%d" % it["id"])
        got = state.get((ipath, it["id"]))
        s.check(got is not None and got["version"] == now["version"] and got["customer_id"] == now["customer_id"]
                and got.get("organization_id") == now.get("organization_id") and got["summary"] == now["summary"],
                "interaction %d: the synced copy is the current one (%s / %s)" % (it["id"], got, now))
        s.check(now["customer_id"] == c1["id"] and now.get("organization_id") == org2,
                "interaction %d now belongs to the survivor in the new organisation" % it["id"])
    st = a.ok("/api/v1/staff/%d" % staff["id"])
    s.check(state.get(("/api/v1/staff", staff["id"]), {}).get("version") == st["version"], "the staff change synced")
    # and a poll from the last mark with no overlap sees nothing older than it
    r = mgr.get("%s?updated_after=%s&sort=updated_at&limit=200" % (ipath, q(rfc3339(mark))))
    s.check(r.status == 200 and all(ms_of(x["updated_at"]) > mark for x in r.json["items"]),
            "updated_after is strictly after", r)
    s.done()
