"""Insights (issue 3): GET /api/v1/insights/topics ranks the terms customers complain about,
counted from the analyses stored with inbound interactions. Every test scopes itself to its
own customer or organisation, since the shared server holds other tests' messages too."""

import re
import urllib.parse

from harness import expect, problem_ok

PATH = "/api/v1/insights/topics"

COMPLAINTS = ["Lasku oli väärin", "Laskussa virhe taas", "Laskutus on sekaisin",
              "Lasku oli taas väärin ja toimitus myöhässä"]
PRAISE = ["Kiitos nopeasta toimituksesta", "Toimitus tuli ajallaan, kiitos", "Hyvä palvelu ja nopea toimitus"]


def _customer(srv, name, org=None):
    body = {"name": name}
    if org:
        body["organization_id"] = org
    return srv.admin().create("/api/v1/customers", body)["id"]


def _inbound(srv, cust, body, direction="inbound", occurred_at=None):
    rec = {"kind": "email", "direction": direction, "body": body}
    if occurred_at:
        rec["occurred_at"] = occurred_at
    return srv.admin().create("/api/v1/customers/%d/interactions" % cust, rec)


def test_topics_rank_the_complaint_first(srv):
    manager = srv.client("manager")
    org = srv.admin().create("/api/v1/organizations", {"name": "Laskutus Oy"})["id"]
    cust = _customer(srv, "Valittava Asiakas", org)
    for t in COMPLAINTS + PRAISE:
        _inbound(srv, cust, t)
    # outbound replies are not the customer's words: they are not counted
    for _ in range(3):
        _inbound(srv, cust, "Pahoittelemme laskun virhettä, korjaamme laskun", direction="outbound")

    r = manager.get(PATH + "?customer_id=%d" % cust)
    expect(r.status == 200 and isinstance(r.json, dict), "GET topics as manager: 200", r)
    j = r.json
    expect(j["interactions"] == 7 and j["sample_size"] == 7 and j["truncated"] is False,
           "7 inbound interactions counted, none left out: %r" % j)
    expect(j["negative"] == 4, "the 4 complaints count as negative: %r" % j)
    expect(j["customer_id"] == cust and isinstance(j["from"], str) and isinstance(j["to"], str),
           "the answer names its filter and period: %r" % j)
    topics = j["topics"]
    expect(topics and topics[0]["term"] == "lasku", "the complaint term ranks first: %r" % topics)
    first = topics[0]
    expect(first["negative"] == 3 and first["all"] == 3 and first["score"] > 0,
           "lasku: in 3 negative of 3 texts, over-represented: %r" % first)
    # scores to three decimals, as written: no 2.6299999999999999
    raw = re.findall(rb'"score":(-?[0-9.eE+-]+)', r.body)
    expect(raw and all(len(x.split(b".")[-1]) <= 3 for x in raw), "scores read as rounded: %r" % raw)
    scores = [t["score"] for t in topics]
    expect(scores == sorted(scores, reverse=True), "best first: %r" % topics)
    for t in topics:
        expect(set(t) == {"term", "score", "negative", "all"} and t["negative"] >= 2,
               "each topic has term/score/negative/all and at least 2 negative texts: %r" % t)
    toimitus = [t for t in topics if t["term"] == "toimitus"]
    expect(not toimitus or toimitus[0]["score"] < first["score"],
           "a term mostly praised ranks below the complaint: %r" % topics)

    # the same through the organisation, and limit=1
    r = manager.get(PATH + "?organization_id=%d&limit=1" % org)
    expect(r.status == 200 and r.json["interactions"] == 7 and len(r.json["topics"]) == 1
           and r.json["topics"][0]["term"] == "lasku", "by organisation, limit=1", r)

    # an admin may ask too; an agent may not
    r = srv.admin().get(PATH + "?customer_id=%d" % cust)
    expect(r.status == 200, "admin: 200", r)
    r = srv.client("agent").get(PATH + "?customer_id=%d" % cust)
    expect(r.status == 403 and problem_ok(r, 403), "agent: 403 problem", r)


def test_topics_period(srv):
    manager = srv.client("manager")
    cust = _customer(srv, "Vanha Valittaja")
    for t in COMPLAINTS:
        _inbound(srv, cust, t, occurred_at="2020-03-0%dT10:00:00Z" % (COMPLAINTS.index(t) + 1))
    # the default period is the last 90 days: nothing from 2020
    r = manager.get(PATH + "?customer_id=%d" % cust)
    expect(r.status == 200 and r.json["interactions"] == 0 and r.json["negative"] == 0
           and r.json["topics"] == [], "default period leaves out 2020", r)
    # an explicit period: from inclusive, to exclusive
    q = "?customer_id=%d&from=2020-03-01&to=%s" % (cust, urllib.parse.quote("2020-03-04T10:00:00Z"))
    r = manager.get(PATH + q)
    # (a plain date is midnight in the server's zone, Europe/Helsinki: 22:00 UTC the day before)
    expect(r.status == 200 and r.json["interactions"] == 3 and r.json["from"].startswith("2020-02-29T22:00:00")
           and r.json["to"].startswith("2020-03-04T10:00:00"), "explicit period [from, to)", r)
    expect(r.json["topics"] and r.json["topics"][0]["term"] == "lasku", "lasku in 2020 too", r)
    # only from: up to now
    r = manager.get(PATH + "?customer_id=%d&from=2020-01-01" % cust)
    expect(r.status == 200 and r.json["interactions"] == 4, "from 2020 to now", r)
    # the epoch asked for is echoed as the epoch (it is held as the millisecond after it)
    r = manager.get(PATH + "?customer_id=%d&from=%s" % (cust, urllib.parse.quote("1970-01-01T00:00:00Z")))
    expect(r.status == 200 and r.json["interactions"] == 4 and r.json["from"].startswith("1970-01-01T00:00:00")
           and ".001" not in r.json["from"], "from the epoch, echoed as asked", r)
    r = manager.get(PATH + "?customer_id=%d&from=%s" % (cust, urllib.parse.quote("1970-01-01T00:00:00.001Z")))
    expect(r.status == 200 and r.json["from"].startswith("1970-01-01T00:00:00.001"),
           "a millisecond after the epoch stays one", r)


def test_topics_bad_input(srv):
    manager = srv.client("manager")
    cases = [
        ("from=yesterday", "from"),
        ("to=2024-13-01", "to"),
        ("from=2024-02-01&to=2024-01-01", "from"),
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=abc", "limit"),
        ("limit=-5", "limit"),
        ("customer_id=x", "customer_id"),
        ("organization_id=0", "organization_id"),
    ]
    for q, field in cases:
        r = manager.get(PATH + "?" + q)
        fields = [e.get("field") for e in (r.json or {}).get("errors", [])] if isinstance(r.json, dict) else []
        expect(r.status == 400 and problem_ok(r, 400) and field in fields,
               "?%s: expected 400 naming %s" % (q, field), r)
    r = manager.get(PATH + "?limit=100&from=2024-01-01&to=2024-01-01")
    expect(r.status == 200 and r.json["interactions"] == 0, "limit=100 and an empty period are fine", r)
    r = srv.anon().get(PATH)
    expect(r.status == 401, "anonymous: 401", r)


def test_sentiment_correction_applies_to_its_message(srv):
    """A staff sentiment correction of a message is that message's sentiment from then on:
    recorded in its analysis, audited, and counted by the topics of complaints."""
    manager, agent = srv.client("manager"), srv.client("agent")
    cust = _customer(srv, "Korjattu Tunne")
    # read as neutral or positive by the analysis, though the customer complains
    texts = ["Lasku tuli taas kahteen kertaan, kiitos vaan", "Lasku tuli taas kahteen kertaan, kiitos vaan!"]
    its = [_inbound(srv, cust, t) for t in texts]
    before = manager.ok(PATH + "?customer_id=%d" % cust)
    expect(before["negative"] == 0, "the analysis does not read them as negative: %r" % before)
    for it in its:
        r = agent.post("/api/v1/text/corrections", {"interaction_id": it["id"], "kind": "sentiment",
                                                    "label": "negative"})
        expect(r.status == 201, "sentiment correction", r)
    got = srv.admin().ok("/api/v1/interactions/%d" % its[0]["id"])
    fixed = (got.get("analysis") or {}).get("sentiment_corrected") or {}
    expect(fixed.get("label") == "negative" and fixed.get("by") and fixed.get("correction_id"),
           "the analysis records the correction: %r" % got.get("analysis"))
    expect(got["version"] == its[0]["version"] + 1, "the correction bumps the version: %r" % got)
    audits = manager.ok("/api/v1/audit?entity=interaction&entity_id=%d&action=correct" % its[0]["id"])["items"]
    expect(len(audits) == 1 and audits[0]["changes"]["sentiment"][1] == "negative",
           "audited as correct with the sentiment before and after: %r" % audits)
    after = manager.ok(PATH + "?customer_id=%d" % cust)
    expect(after["negative"] == 2 and any(t["term"] == "lasku" for t in after["topics"]),
           "the corrected messages count as complaints: %r" % after)
    # a correction that agrees changes nothing
    r = agent.post("/api/v1/text/corrections", {"interaction_id": its[0]["id"], "kind": "sentiment",
                                                "label": "negative"})
    expect(r.status == 201, "a second, agreeing correction is stored", r)
    again = srv.admin().ok("/api/v1/interactions/%d" % its[0]["id"])
    expect(again["version"] == got["version"], "an agreeing correction changes nothing: %r" % again)
    # an edit of the words analyses them again: the correction was about the old words
    r = srv.admin().request("PATCH", "/api/v1/interactions/%d" % its[0]["id"], {"body": "Kiitos, hyvä palvelu!"})
    expect(r.status == 200 and "sentiment_corrected" not in (r.json.get("analysis") or {}),
           "new words drop the correction of the old", r)
