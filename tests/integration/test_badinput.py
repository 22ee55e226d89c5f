"""Bad input to every write endpoint (every POST and PATCH route in src/api/routes.c) gets a
clear problem+json error, and the store holds exactly what it held before. Runs on its own
server so that the before/after snapshot is small and nothing else writes meanwhile."""

import json
import os

from harness import REPO, Client, Server, Soft, expect, problem_ok, routes

BIG = 1024 * 1024 + 4096  # over the 1 MiB body limit


def _fixture(srv):
    a = srv.admin()
    fx = {}
    fx["org"] = a.create("/api/v1/organizations", {"name": "Syote Oy"})["id"]
    fx["cust"] = a.create("/api/v1/customers", {"name": "Syote Asiakas", "organization_id": fx["org"],
                                                "emails": ["syote@example.fi"], "tags": ["testi"]})["id"]
    fx["cust2"] = a.create("/api/v1/customers", {"name": "Syote Toinen"})["id"]
    fx["note"] = a.create("/api/v1/customers/%d/notes" % fx["cust"], {"body": "muistio"})["id"]
    a.create("/api/v1/organizations/%d/notes" % fx["org"], {"body": "yritysmuistio"})
    fx["inter"] = a.create("/api/v1/interactions", {"customer_id": fx["cust"], "kind": "call",
                                                    "direction": "inbound", "summary": "soitto"})["id"]
    fx["field"] = a.create("/api/v1/fields", {"entity": "customer", "key": "syote", "label": "Syöte",
                                              "type": "text"})["id"]
    fx["staff"] = srv.staff_id("manager")
    # an incident notification (issue 3): an abusive inbound message creates one
    a.create("/api/v1/customers/%d/interactions" % fx["cust2"], {"kind": "email", "direction": "inbound",
                                                                  "body": "Olet täysi idiootti"})
    r = a.get("/api/v1/wellbeing/notifications?customer_id=%d&limit=1" % fx["cust2"])
    expect(r.status == 200 and r.json.get("items"), "an incident notification for the ack cases", r)
    fx["notif"] = r.json["items"][0]["id"]
    # a member whose password the password-change cases may target
    email, pw = "syote-salasana@kumppani.test", "Syote-Salasana-1"
    r = a.post("/api/v1/staff", {"email": email, "name": "Salasana Testi", "role": "agent", "password": pw})
    expect(r.status == 201, "create staff for password cases", r)
    r, c = srv.sign_in(email, pw)
    expect(c is not None, "sign in for password cases", r)
    fx["pw_client"], fx["pw"] = c, pw
    return fx


def _specs(fx):
    """(method, pattern) -> (valid base body, required fields, wrong-type cases, numeric fields,
    a string field for the length limit)."""
    return {
        ("POST", "/api/v1/session"): (
            {"email": "admin@kumppani.test", "password": "Integraatio-Salasana-1"}, ["email", "password"],
            {"email": 5, "password": ["x"]}, [], "email"),
        ("POST", "/api/v1/session/password"): (
            {"current_password": fx["pw"], "new_password": "Toinen-Salasana-2"}, ["current_password", "new_password"],
            {"current_password": 5, "new_password": {"a": 1}}, [], "new_password"),
        ("POST", "/api/v1/staff"): (
            {"email": "uusi-syote@kumppani.test", "name": "Uusi", "role": "agent", "password": "Salasana-12345"},
            ["email", "name", "role"], {"email": 5, "name": [], "role": 1, "password": 12345678},
            [], "name"),
        ("PATCH", "/api/v1/staff/{id}"): (
            {"name": "Muutettu Nimi"}, [], {"name": 5, "active": "yes", "role": 3, "email": 5}, [], "name"),
        ("POST", "/api/v1/tokens"): ({"name": "syote"}, ["name"], {"name": 5}, [], "name"),
        ("POST", "/api/v1/organizations"): (
            {"name": "Uusi Oy", "business_id": "1234567-1"}, ["name"],
            {"name": 5, "tags": "yritys", "business_id": 1234567}, ["owner_id"], "name"),
        ("PATCH", "/api/v1/organizations/{id}"): (
            {"name": "Muutettu Oy"}, [], {"name": 5, "tags": {"a": 1}}, ["owner_id"], "name"),
        ("POST", "/api/v1/organizations/{id}/notes"): ({"body": "uusi"}, ["body"], {"body": 5}, [], "body"),
        ("POST", "/api/v1/customers"): (
            {"name": "Uusi Asiakas", "emails": ["uusi@example.fi"]}, ["name"],
            {"name": 5, "emails": "uusi@example.fi", "phones": [5], "tags": "vip", "custom": [1]},
            ["organization_id", "owner_id"], "name"),
        ("PATCH", "/api/v1/customers/{id}"): (
            {"name": "Muutettu Asiakas"}, [], {"name": 5, "emails": {"a": 1}, "tags": 7}, ["owner_id"], "name"),
        ("POST", "/api/v1/customers/{id}/merge"): (
            {"from": fx["cust2"]}, ["from"], {"from": str(fx["cust2"])}, ["from"], None),
        ("POST", "/api/v1/customers/{id}/interactions"): (
            {"kind": "call", "direction": "inbound", "summary": "uusi"}, ["kind", "direction"],
            {"kind": 5, "summary": [], "occurred_at": 123}, ["staff_id"], "summary"),
        ("POST", "/api/v1/customers/{id}/notes"): ({"body": "uusi"}, ["body"], {"body": 5}, [], "body"),
        ("PATCH", "/api/v1/notes/{id}"): ({"body": "muutettu"}, [], {"body": 5}, [], "body"),
        ("POST", "/api/v1/interactions"): (
            {"customer_id": fx["cust"], "kind": "call", "direction": "inbound"}, ["customer_id", "kind", "direction"],
            {"customer_id": str(fx["cust"]), "kind": 5, "direction": True}, ["customer_id", "staff_id"], "summary"),
        ("PATCH", "/api/v1/interactions/{id}"): (
            {"summary": "muutettu"}, [], {"summary": 5, "kind": 5}, ["staff_id"], "summary"),
        ("POST", "/api/v1/fields"): (
            {"entity": "customer", "key": "uusi_kentta", "label": "Uusi", "type": "text"},
            ["key", "type"], {"required": "yes", "label": 5, "choices": "a", "entity": 5}, [], "label"),
        ("PATCH", "/api/v1/fields/{id}"): ({"label": "Muutettu"}, [], {"label": 5, "required": "yes"}, [], "label"),
        ("POST", "/api/v1/customers/{id}/erase"): ({}, [], {}, [], None),
        ("POST", "/api/v1/wellbeing/notifications/{id}/ack"): ({}, [], {}, [], None),
        ("POST", "/api/v1/wellbeing/customers/{id}/unflag"): ({"reason": "sovittu"}, [], {"reason": 5}, [], "reason"),
        ("POST", "/api/v1/text/analyze"): ({"text": "Kiitos avusta"}, ["text"], {"text": 5, "lang": 1}, [], "text"),
        ("POST", "/api/v1/text/tone-check"): (
            {"text": "Kiitos viestistä", "replying_to_complaint": True}, ["text"],
            {"text": [], "public": "yes", "replying_to_complaint": 1}, [], "text"),
        ("POST", "/api/v1/text/corrections"): (
            {"text": "olet idiootti", "kind": "abuse", "label": "abusive"}, ["kind", "label"],
            {"kind": 5, "label": [], "text": 5, "interaction_id": "1"}, ["interaction_id"], "text"),
    }


def _path(fx, pattern):
    for prefix, key in (("/api/v1/organizations/", "org"), ("/api/v1/customers/", "cust"),
                        ("/api/v1/notes/", "note"), ("/api/v1/interactions/", "inter"),
                        ("/api/v1/fields/", "field"), ("/api/v1/staff/", "staff"),
                        ("/api/v1/wellbeing/notifications/", "notif"), ("/api/v1/wellbeing/customers/", "cust")):
        if pattern.startswith(prefix):
            return pattern.replace("{id}", str(fx[key]))
    return pattern


def _snapshot(srv, fx, with_audit=True):
    a = srv.admin()
    snap = {}
    for path in ("/api/v1/customers", "/api/v1/organizations", "/api/v1/interactions",
                 "/api/v1/staff", "/api/v1/customers/%d/notes" % fx["cust"],
                 "/api/v1/organizations/%d/notes" % fx["org"], "/api/v1/customers/%d/notes" % fx["cust2"]):
        snap[path] = a.list_all(path, limit=200)
    snap["/api/v1/fields"] = a.ok("/api/v1/fields")["items"]  # (one page: it takes no limit)
    toks = a.ok("/api/v1/tokens")["items"]  # (one page: it takes no limit)
    snap["tokens"] = [{k: v for k, v in t.items() if k != "last_used_at"} for t in toks]
    pw_tokens = fx["pw_client"].get("/api/v1/tokens")
    snap["pw_session_alive"] = pw_tokens.status
    if with_audit:
        r = a.get("/api/v1/audit?limit=1")
        expect(r.status == 200, "audit head", r)
        snap["audit_head"] = [e.get("id") for e in r.json.get("items", [])]
    return snap


def _cases(spec):
    base, required, wrong, numeric, strfield = spec
    out = []
    enc = lambda o: json.dumps(o).encode()  # noqa: E731
    out.append(("invalid JSON", b'{"name": "x",', None, (400,)))
    out.append(("invalid JSON (single quotes)", b"{'name': 'x'}", None, (400,)))
    out.append(("trailing garbage", enc(base) + b" }", None, (400,)))
    out.append(("invalid UTF-8", enc(base)[:-1] + b', "x\xff\xfe": "\xc3\x28"}', None, (400,)))
    out.append(("overlong UTF-8", b'{"name": "\xc0\xaf"}', None, (400,)))
    out.append(("UTF-16 surrogate escape", b'{"name": "\\ud800"}', None, (400, 422)))
    out.append(("empty body", b"", None, (400,)))
    out.append(("not an object", b"[]", None, (400, 422)))
    out.append(("JSON null", b"null", None, (400, 422)))
    out.append(("duplicate keys", b'{"a": 1, "a": 2}', None, (400, 422)))
    out.append(("10,000-deep nesting", b'{"x": ' + b"[" * 10000 + b"]" * 10000 + b"}", None, (400,)))
    out.append(("10,000-deep objects", b'{"x": ' + b'{"x": ' * 9999 + b"1" + b"}" * 10000, None, (400,)))
    big = dict(base)
    big[strfield or "pad"] = "a" * BIG
    out.append(("body over 1 MiB", enc(big), None, (413,)))
    out.append(("Content-Type text/plain", enc(base), "text/plain", (415,)))
    out.append(("Content-Type form", enc(base), "application/x-www-form-urlencoded", (415,)))
    out.append(("no Content-Type", enc(base), "", (415,)))
    for field, val in wrong.items():
        b = dict(base)
        b[field] = val
        out.append(("wrong type %s=%s" % (field, json.dumps(val)), enc(b), None, (422,), field))
    b = dict(base)
    b["bogus_field"] = 1
    out.append(("unknown field", enc(b), None, (422,), "bogus_field"))
    for field in required:
        b = {k: v for k, v in base.items() if k != field}
        out.append(("missing %s" % field, enc(b), None, (422,), field))
    for field in numeric:
        rest = {k: v for k, v in base.items() if k != field}
        head = enc(rest)[:-1] + (b", " if rest else b"") + b'"' + field.encode() + b'": '
        for raw in (b"-1", b"0", b"1.5", b"9007199254740993", b"1e300", b'"1"'):
            out.append(("%s out of range (%s)" % (field, raw.decode()), head + raw + b"}", None, (422,), field))
        for raw in (b"18446744073709551616", b"1e400"):
            out.append(("%s overflow (%s)" % (field, raw.decode()), head + raw + b"}", None, (400, 422)))
    if strfield:
        b = dict(base)
        b[strfield] = "a" * (70 * 1024)
        out.append(("%s of 70 KiB" % strfield, enc(b), None, (413, 422)))
    return out


def test_bad_input_every_write_endpoint(_shared):
    srv = Server().start()
    try:
        fx = _fixture(srv)
        specs = _specs(fx)
        writes = [(m, p) for m, p, _ in routes() if m in ("POST", "PATCH")]
        s = Soft()
        for key in writes:
            s.check(key in specs, "no bad-input cases for %s %s: add them to test_badinput.py" % key)
        before = _snapshot(srv, fx)
        before_noaudit = {k: v for k, v in before.items() if k != "audit_head"}
        admin = srv.admin()
        ncases = 0
        for (method, pattern), spec in specs.items():
            if (method, pattern) not in writes:
                s.check(False, "%s %s is not a routed write endpoint any more" % (method, pattern))
                continue
            path = _path(fx, pattern)
            if pattern == "/api/v1/session":
                client = Client(srv)
            elif pattern == "/api/v1/session/password":
                client = fx["pw_client"]
            else:
                client = admin
            for case in _cases(spec):
                name, raw, ctype, statuses = case[:4]
                field = case[4] if len(case) > 4 else None
                ncases += 1
                hdrs = None
                if ctype == "":
                    hdrs = {"Content-Type": None}
                try:
                    r = client.request(method, path, raw=raw, content_type=ctype or None, headers=hdrs)
                except OSError as e:
                    s.check(False, "%s %s, %s: connection failed: %s" % (method, path, name, e))
                    continue
                where = "%s %s, %s" % (method, path, name)
                ok = s.check(r.status in statuses, "%s: expected %s, got %d" % (where, statuses, r.status), r)
                if ok:
                    s.check(problem_ok(r), "%s: not a problem+json with type/title/status/detail" % where, r)
                if ok and field and r.status == 422:
                    errs = [e.get("field", "") for e in (r.json or {}).get("errors", []) if isinstance(e, dict)]
                    s.check(any(e == field or e.startswith(field + ".") or e.startswith(field + "[") for e in errs),
                            "%s: errors[] should name the field %r (got %s)" % (where, field, errs), r)
                after = _snapshot(srv, fx, with_audit=pattern != "/api/v1/session")
                if pattern == "/api/v1/session":
                    changed = after != before_noaudit
                else:
                    changed = after != before
                if changed:
                    diff = [k for k in set(before) | set(after) if before.get(k) != after.get(k)]
                    s.check(False, "%s: the store changed (%s)" % (where, diff), r)
                    before = _snapshot(srv, fx)
                    before_noaudit = {k: v for k, v in before.items() if k != "audit_head"}
        expect(ncases > 300, "only %d cases ran" % ncases)
        s.done()
    finally:
        srv.stop()


def _documents_if_match(doc, method, pattern):
    op = doc["paths"].get(pattern, {}).get(method.lower(), {})
    return any(p.get("$ref", "").endswith("/IfMatch") for p in op.get("parameters", []))


def test_oversized_preconditions_every_write_route(_shared):
    """An If-Match or If-None-Match naming more than 32 entity tags, sent with a valid body to
    every write route (POST, PATCH, PUT, DELETE in src/api/routes.c): a route that documents
    If-Match answers a 400 problem and changes nothing; none may fail or take the server down
    (POST /customers/{id}/erase once dereferenced the NULL context such a list left)."""
    srv = Server().start()
    try:
        fx = _fixture(srv)
        specs = _specs(fx)
        with open(os.path.join(REPO, "docs", "openapi.json"), encoding="utf-8") as f:
            doc = json.load(f)
        over = ", ".join('"%d"' % i for i in range(1, 40))
        admin = srv.admin()
        s = Soft()
        writes = [(m, p) for m, p, _ in routes() if m in ("POST", "PATCH", "PUT", "DELETE")]
        expect(len(writes) > 25, "the route table lists the writes", None)
        for method, pattern in writes:
            path = _path(fx, pattern)
            base = specs.get((method, pattern), (None,))[0]
            # the session routes would sign the admin out or in: an anonymous client (401)
            client = Client(srv) if pattern.startswith("/api/v1/session") else admin
            strict = _documents_if_match(doc, method, pattern)
            for header in ("If-Match", "If-None-Match"):
                where = "%s %s with %s of 39 tags" % (method, path, header)
                before = _snapshot(srv, fx) if strict else None
                try:
                    r = client.request(method, path, base if method != "DELETE" else None, headers={header: over})
                except OSError as e:
                    s.check(False, "%s: connection failed: %s" % (where, e))
                    continue
                s.check(r.status < 500, "%s: answered %d" % (where, r.status), r)
                if strict:
                    ok = s.check(r.status == 400 and problem_ok(r) and header in r.json.get("detail", ""),
                                 "%s: a 400 problem naming %s" % (where, header), r)
                    if ok:
                        s.check(_snapshot(srv, fx) == before, "%s: the store changed" % where)
                alive = admin.get("/api/v1/customers?limit=1")
                expect(alive.status == 200, "%s: the server still answers" % where, alive)
        s.done()
    finally:
        srv.stop()


def test_sql_and_html_in_every_text_field(_shared):
    """SQL and HTML fragments are stored verbatim and come back as JSON strings."""
    srv = _shared
    a = srv.admin()
    s = Soft()
    frags = ["'; DROP TABLE customers; --", "<script>alert(1)</script>", "\" OR \"\"=\"", "<img src=x onerror=alert(1)>"]
    for t in frags:
        o = a.post("/api/v1/organizations", {"name": t})
        s.check(o.status == 201 and o.json.get("name") == t, "organisation name %r" % t, o)
        if o.status == 201:
            g = a.get("/api/v1/organizations/%d" % o.json["id"])
            s.check(g.json.get("name") == t, "organisation %r verbatim" % t, g)
            n = a.post("/api/v1/organizations/%d/notes" % o.json["id"], {"body": t})
            s.check(n.status == 201 and n.json.get("body") == t, "org note %r" % t, n)
        c = a.post("/api/v1/customers", {"name": t, "tags": [t.lower()[:50].strip()]})
        s.check(c.status in (201, 422), "customer %r: 201 (or 422 for the tag)" % t, c)
        if c.status == 201:
            g = a.get("/api/v1/customers/%d" % c.json["id"])
            s.check(g.json.get("name") == t, "customer name %r verbatim" % t, g)
            raw = g.body.decode("utf-8")
            s.check(json.loads(raw)["name"] == t and g.content_type == "application/json",
                    "returned as a JSON string (application/json)", g)
    r = a.get("/api/v1/customers?limit=1")
    s.check(r.status == 200, "the customers table is still there", r)
    s.done()
