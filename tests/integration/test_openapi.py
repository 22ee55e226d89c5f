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
