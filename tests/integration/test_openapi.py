"""The OpenAPI description is served, valid, and exactly as wide as the route table."""

import json
import os

from harness import REPO, expect, raw_request, routes

METHODS = ("get", "post", "put", "patch", "delete", "head", "options")


def _doc_ops(doc):
    ops = set()
    for path, item in doc.get("paths", {}).items():
        for m in item:
            if m in METHODS:
                ops.add((m.upper(), path))
    return ops


def test_openapi_served_and_valid(srv):
    r = raw_request(srv.port, "GET", "/api/v1/openapi.json")
    expect(r.status == 200 and r.content_type == "application/json", "GET /api/v1/openapi.json: 200 JSON", r)
    doc = r.json
    expect(isinstance(doc, dict) and doc.get("openapi") == "3.1.0", 'expected "openapi": "3.1.0"', r)
    with open(os.path.join(REPO, "docs", "openapi.json"), encoding="utf-8") as f:
        expect(json.load(f) == doc, "served description differs from docs/openapi.json (rebuild?)")
    expect(isinstance(doc.get("info"), dict) and doc["info"].get("title") and doc["info"].get("version"),
           "info.title and info.version are required")
    schemes = doc.get("components", {}).get("securitySchemes", {})
    kinds = {(v.get("type"), v.get("in") or v.get("scheme")) for v in schemes.values()}
    expect(("apiKey", "cookie") in kinds and ("http", "bearer") in kinds,
           "securitySchemes must describe the session cookie and bearer tokens")


def test_openapi_matches_routes(srv):
    with open(os.path.join(REPO, "docs", "openapi.json"), encoding="utf-8") as f:
        doc = json.load(f)
    routed = {(m, p) for m, p, _ in routes()}
    expect(len(routed) > 10, "could not parse src/api/routes.c")
    described = _doc_ops(doc)
    missing = sorted(routed - described)
    extra = sorted(described - routed)
    expect(not missing, "routed but not described: %s" % missing)
    expect(not extra, "described but not routed: %s" % extra)


def test_openapi_refs_resolve_and_roles_match(srv):
    with open(os.path.join(REPO, "docs", "openapi.json"), encoding="utf-8") as f:
        doc = json.load(f)
    bad = []

    def walk(node, where):
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                cur = doc
                for part in ref.lstrip("#/").split("/"):
                    cur = cur.get(part) if isinstance(cur, dict) else None
                if cur is None:
                    bad.append("%s -> %s" % (where, ref))
            for k, v in node.items():
                walk(v, where + "/" + k)
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, "%s/%d" % (where, i))

    walk(doc, "#")
    expect(not bad, "unresolved $ref: %s" % bad[:10])
    wrong = []
    for m, p, role in routes():
        op = doc["paths"].get(p, {}).get(m.lower())
        if op is None:
            continue
        if op.get("x-min-role") != role:
            wrong.append("%s %s: x-min-role %r, routes.c %r" % (m, p, op.get("x-min-role"), role))
        if role == "none" and op.get("security") != []:
            wrong.append("%s %s: public route must have security: []" % (m, p))
        for code in op.get("responses", {}):
            if not (code.isdigit() or code == "default"):
                wrong.append("%s %s: response code %r" % (m, p, code))
        if "{id}" in p:
            params = op.get("parameters", []) + doc["paths"][p].get("parameters", [])
            names = []
            for prm in params:
                if "$ref" in prm:
                    prm = doc["components"]["parameters"][prm["$ref"].split("/")[-1]]
                names.append((prm.get("in"), prm.get("name")))
            if ("path", "id") not in names:
                wrong.append("%s %s: {id} path parameter not described" % (m, p))
    expect(not wrong, "; ".join(wrong))


def _load_doc():
    with open(os.path.join(REPO, "docs", "openapi.json"), encoding="utf-8") as f:
        return json.load(f)


def _deref(doc, node):
    while isinstance(node, dict) and "$ref" in node:
        cur = doc
        for part in node["$ref"].lstrip("#/").split("/"):
            cur = cur[part]
        node = cur
    return node


def test_openapi_lists_the_refusals_every_operation_can_give(srv):
    """A client generated from the description must know every status the server gives: a
    query parameter not listed is a 400 anywhere, and a body can be too large (413), in
    chunks (411), of another type (415) or invalid (422, an unknown member too)."""
    doc = _load_doc()
    wrong = []
    for p, item in doc["paths"].items():
        for m, op in item.items():
            if m not in METHODS:
                continue
            codes = set(op.get("responses", {}))
            if "400" not in codes:
                wrong.append("%s %s: no 400" % (m.upper(), p))
            if "requestBody" in op:
                for code in ("411", "413", "415", "422"):
                    if code not in codes:
                        wrong.append("%s %s: a body but no %s" % (m.upper(), p, code))
                schema = _deref(doc, _deref(doc, op["requestBody"])["content"]["application/json"]["schema"])
                if schema.get("type") == "object" and schema.get("additionalProperties") is not False:
                    wrong.append("%s %s: the server refuses unknown members; the body schema allows them"
                                 % (m.upper(), p))
            for code, resp in op.get("responses", {}).items():
                resp = _deref(doc, resp)
                if "X-Request-Id" not in resp.get("headers", {}):
                    wrong.append("%s %s %s: no X-Request-Id header" % (m.upper(), p, code))
    expect(not wrong, "; ".join(wrong[:20]))


def test_openapi_values_are_the_servers(srv):
    """What the schemas say of some values the server checks itself: the address limits,
    the id range, the complete lists, the session read with a token, the policy's read-only
    members."""
    doc = _load_doc()
    a = srv.admin()
    addr = doc["components"]["schemas"]["Address"]["properties"]
    for key, country in (("street", "FI"), ("city", "FI"), ("postal_code", "SE")):
        n = addr[key]["maxLength"]
        ok = a.post("/api/v1/customers", {"name": "Osoite Raja", "addresses": [{key: "1" * n, "country": country}]})
        expect(ok.status == 201 and ok.json["addresses"][0][key] == "1" * n,
               "%s of the documented maxLength %d is stored" % (key, n), ok)
        over = a.post("/api/v1/customers",
                      {"name": "Osoite Yli", "addresses": [{key: "1" * (n + 1), "country": country}]})
        expect(over.status == 422 and over.json["errors"][0]["field"] == "addresses[0].%s" % key,
               "%s one past the documented maxLength %d: 422 naming it" % (key, n), over)
    id_max = doc["components"]["schemas"]["IdValue"]["maximum"]
    r = a.get("/api/v1/tokens?staff_id=%d" % (id_max + 1))
    expect(r.status == 400 and "staff_id" in r.json.get("detail", ""), "staff_id past IdValue's maximum: 400", r)
    for path in ("/api/v1/tokens", "/api/v1/fields"):
        r = a.get(path)
        expect(r.status == 200 and "next_cursor" in r.json and r.json["next_cursor"] is None,
               "%s: a complete list, next_cursor null" % path, r)
    r = a.get("/api/v1/session")
    expect(r.status == 200 and r.json.get("via") == "token" and r.json.get("csrf_token") is None
           and isinstance(r.json.get("token_id"), int), "GET /session with a token: csrf_token null, token_id", r)
    pol = a.get("/api/v1/wellbeing/policy")
    expect(pol.status == 200, "GET policy", pol)
    back = a.request("PUT", "/api/v1/wellbeing/policy", pol.json)
    expect(back.status == 200, "what GET gave can be put back", back)
    for key, bad in (("updated_by", "abc"), ("updated_by", 1.5), ("updated_at", "yesterday"), ("updated_at", 12345)):
        body = dict(pol.json)
        body[key] = bad
        r = a.request("PUT", "/api/v1/wellbeing/policy", body)
        expect(r.status == 422 and r.json["errors"][0]["field"] == key,
               "PUT policy with %s %r: 422 (read-only, but typed)" % (key, bad), r)
