"""Staff protection (issue 3) through the API: an abusive inbound message is analysed at
ingest, masked when read, revealed only on request (audited), counted in exposure, listed as
a notification for managers, flags its customer at the policy's threshold (and routes the
customer's new messages to the named team), and a correction is stored. Also the text
endpoints: analyze and tone-check. Every test uses its own team and customers; the policy
is put back as it was."""

import json
import urllib.parse
import secrets

from harness import expect, problem_ok

FI_ABUSE = "Olet täysi idiootti, senkin p.a.s.k.a"
EN_ABUSE = "you are a f*cking idiot"


def uniq(prefix="p"):
    return prefix + secrets.token_hex(4)


def new_agent(srv, team):
    admin = srv.admin()
    r = admin.post("/api/v1/staff", {"email": "%s@kumppani.test" % uniq("agent"), "name": "Suojattu Agentti",
                                     "role": "agent", "team": team, "password": "Suojaus-Salasana-7"})
    expect(r.status == 201 and isinstance(r.json, dict), "create agent with a team", r)
    return r.json["id"]


def new_customer(srv, name):
    return srv.admin().create("/api/v1/customers", {"name": name})["id"]


def inbound(srv, customer_id, staff_id, body, summary="Asiakkaan viesti"):
    return srv.admin().create("/api/v1/customers/%d/interactions" % customer_id,
                              {"kind": "email", "direction": "inbound", "staff_id": staff_id,
                               "summary": summary, "body": body})


def put_policy(srv, body):
    r = srv.admin().request("PUT", "/api/v1/wellbeing/policy", body)
    expect(r.status == 200, "PUT /api/v1/wellbeing/policy as admin", r)
    return r.json


def test_abusive_inbound_masked_revealed_counted_notified(srv):
    admin, manager, agent = srv.admin(), srv.client("manager"), srv.client("agent")
    team = uniq("tiimi")
    staff = new_agent(srv, team)
    cust = new_customer(srv, "Vihainen Asiakas")

    it = inbound(srv, cust, staff, FI_ABUSE)
    expect(it.get("abusive") is True, "an abusive inbound message is flagged at ingest: abusive true")
    an = it.get("analysis") or {}
    expect("idiootti" not in (it.get("body") or ""), "the create answer is masked: %r" % it.get("body"))
    # beside masked text the analysis says what, not how much: no scores, spans or lengths
    # that would let a guess of the hidden words be checked against /text/analyze
    body_an = an.get("body") or {}
    expect(body_an.get("abuse", {}).get("present") and "insult" in body_an["abuse"]["present"]
           and "categories" not in body_an["abuse"] and "spans" not in body_an["abuse"]
           and "len" not in body_an and "lang_conf" not in body_an and "score" not in body_an.get("sentiment", {}),
           "the analysis shown beside masked text is reduced: %r" % an)
    rv = manager.ok("/api/v1/interactions/%d?reveal=1" % it["id"])["analysis"]["body"]
    expect(rv["abuse"]["spans"] and "insult" in rv["abuse"]["categories"] and "len" in rv,
           "revealed, the stored analysis is whole, with the body's spans: %r" % rv)

    # masked by default, for every reader
    got = agent.ok("/api/v1/interactions/%d" % it["id"])
    expect("idiootti" not in got["body"] and "p.a.s.k.a" not in got["body"] and "*" in got["body"],
           "GET masks the abusive spans: %r" % got["body"])
    expect(got["body"].startswith("Olet täysi "), "only the spans are masked: %r" % got["body"])
    tl = agent.ok("/api/v1/customers/%d/timeline" % cust)
    expect(all("idiootti" not in (i.get("body") or "") for i in tl["items"]), "the timeline is masked too")

    # search and the audit log show it masked too (neither is a reveal); search finds it by
    # what staff can see of it, never by its hidden words (that would confirm them)
    for q in ("Asiakkaan viesti", "Vihainen", "Olet täysi"):
        hits = agent.ok("/api/v1/search?q=" + urllib.parse.quote(q))["items"]
        hit = [h for h in hits if h["type"] == "interaction" and h["id"] == it["id"]]
        expect(hit and "idiootti" not in (hit[0].get("snippet") or "") and "*" in (hit[0].get("snippet") or "")
               and "idiootti" not in (hit[0].get("title") or ""),
               "search %r lists the abusive message, masked: %r" % (q, hit))
    for q in ("idiootti", "idiooteille", "idioo", "Vihainen idiootti", "pask", "täysi idiootti"):
        hits = agent.ok("/api/v1/search?q=" + urllib.parse.quote(q))["items"]
        expect(not [h for h in hits if h["type"] == "interaction" and h["id"] == it["id"]],
               "search %r does not confirm the masked words by listing the message: %r" % (q, hits))
    # ... nor by paging: a hit left out counts nowhere, in the page's size, its next_cursor or
    # the cursor (an outbound anchor with a guessed prefix used to get a next_cursor only when
    # the guess matched the hidden word)
    liisa, other = new_customer(srv, "Liisa Laine"), new_agent(srv, uniq("haku"))
    inbound(srv, liisa, other, "Olet aivan kusipää, hoida asia.")
    inbound(srv, liisa, other, "Senkin kusipää.")
    page = agent.ok("/api/v1/search?q=kusip%C3%A4%C3%A4&limit=1")
    expect(page["items"] == [] and page["next_cursor"] is None, "hidden words alone: no hit, no cursor: %r" % page)
    for guess in ("kusip", "kut"):
        anchor = admin.create("/api/v1/customers/%d/interactions" % liisa,
                              {"kind": "note", "direction": "outbound", "body": guess})
        # (staff's text is masked too where the analysis reads the guess as abuse: then it is
        # found by nothing either)
        shown = 1 if anchor["body"] == guess else 0
        page = agent.ok("/api/v1/search?q=%s&limit=1" % urllib.parse.quote("Liisa " + guess))
        expect(len(page["items"]) == shown and page["next_cursor"] is None,
               "search %r: the anchor as shown and no next page, whatever is hidden: %r" % (guess, page))
    creates = admin.ok("/api/v1/audit?entity=interaction&entity_id=%d&action=create" % it["id"])["items"]
    expect(creates and "idiootti" not in str(creates[0]), "the create audit shows the text masked: %r" % creates)
    upd = admin.request("PATCH", "/api/v1/interactions/%d" % it["id"], {"body": FI_ABUSE + " ja torvi"})
    expect(upd.status == 200, "edit the abusive message", upd)
    ups = admin.ok("/api/v1/audit?entity=interaction&entity_id=%d&action=update" % it["id"])["items"]
    expect(ups and "idiootti" not in str(ups[0]) and "body" in ups[0]["changes"],
           "the update audit shows the change, masked: %r" % ups)

    # revealed on request, and the reveal is audited
    r = agent.get("/api/v1/interactions/%d?reveal=1" % it["id"])
    expect(r.status == 200 and r.json["body"] == FI_ABUSE + " ja torvi", "?reveal=1 shows the original text", r)
    audit = admin.ok("/api/v1/audit?entity=interaction&entity_id=%d&action=reveal" % it["id"])
    expect(len(audit["items"]) == 2 and audit["items"][0]["actor_id"] == srv.staff_id("agent")
           and audit["items"][1]["actor_id"] == srv.staff_id("manager"),
           "each reveal is audited with who revealed it (the manager's above, the agent's): %r" % audit["items"])

    # an outbound message with the same words (a reply quoting them) is masked too, but it is
    # no incident: the notification below is the inbound message's alone
    out = admin.create("/api/v1/customers/%d/interactions" % cust,
                       {"kind": "email", "direction": "outbound", "staff_id": staff, "body": FI_ABUSE})
    expect(out.get("abusive") is True and "idiootti" not in out["body"], "outbound text is masked too: %r" % out)

    # a notification for managers, acknowledgeable
    ns = manager.ok("/api/v1/wellbeing/notifications?customer_id=%d" % cust)["items"]
    expect(len(ns) == 1 and ns[0]["interaction_id"] == it["id"] and ns[0]["staff_id"] == staff
           and ns[0]["team"] == team and "insult" in ns[0]["categories"],
           "one notification for the incident: %r" % ns)
    r = agent.get("/api/v1/wellbeing/notifications")
    expect(r.status == 403, "agents do not list notifications", r)
    r = manager.post("/api/v1/wellbeing/notifications/%d/ack" % ns[0]["id"], {})
    expect(r.status == 200 and r.json["acknowledged_by"] == srv.staff_id("manager"), "ack a notification", r)
    ns = manager.ok("/api/v1/wellbeing/notifications?customer_id=%d&unacknowledged=1" % cust)["items"]
    expect(ns == [], "an acknowledged notification leaves the unacknowledged list: %r" % ns)
    r = manager.post("/api/v1/wellbeing/notifications/999999999/ack", {})
    expect(r.status == 404, "ack of an unknown notification: 404", r)

    # exposure: counted for the staff member and the team
    inbound(srv, cust, staff, EN_ABUSE)
    ex = manager.ok("/api/v1/wellbeing/exposure?period=day&team=%s" % team)
    expect(ex["total"] == 2 and len(ex["staff"]) == 1 and ex["staff"][0]["staff_id"] == staff
           and ex["teams"][0]["team"] == team and ex["teams"][0]["total"] == 2,
           "exposure per staff member and team: %r" % ex)
    for period in ("week", "month"):
        ex = manager.ok("/api/v1/wellbeing/exposure?period=%s&staff_id=%d" % (period, staff))
        expect(ex["total"] == 2 and len(ex["staff"][0]["buckets"]) == 1, "exposure by %s: %r" % (period, ex))
    mine = agent.ok("/api/v1/wellbeing/exposure")
    expect(all(s["staff_id"] == srv.staff_id("agent") for s in mine["staff"]),
           "an agent sees only their own exposure: %r" % mine)
    r = agent.get("/api/v1/wellbeing/exposure?staff_id=%d" % staff)
    expect(r.status == 403, "an agent asking for someone else's exposure: 403", r)
    r = agent.get("/api/v1/wellbeing/exposure?staff_id=%d" % srv.staff_id("agent"))
    expect(r.status == 200, "an agent asking for their own exposure by id", r)
    ex = manager.ok("/api/v1/wellbeing/exposure?staff_id=%d&from=1900-01-01&to=1970-01-01" % staff)
    expect(ex["total"] == 0, "exposure up to the epoch counts nothing of today (the epoch is a bound): %r" % ex)
    ex = manager.ok("/api/v1/wellbeing/exposure?staff_id=%d&from=1970-01-01" % staff)
    expect(ex["total"] == 2, "exposure from the epoch counts everything since: %r" % ex)
    r = manager.get("/api/v1/wellbeing/exposure?period=year")
    expect(r.status == 400, "an unknown period is a 400", r)

    # swearing about a situation is masked, but no incident: nobody was attacked
    cust2 = new_customer(srv, "Kiroileva Matkustaja")
    sw = inbound(srv, cust2, staff, "Voi vittu, taas myöhässä tämä juna")
    expect(sw.get("abusive") is True and "vittu" not in (sw.get("body") or ""),
           "situational swearing is masked: %r" % sw.get("body"))
    ns = manager.ok("/api/v1/wellbeing/notifications?customer_id=%d" % cust2)["items"]
    expect(ns == [], "situational swearing is no incident: %r" % ns)
    # ... until it is edited into an insult: then it is one
    r = admin.request("PATCH", "/api/v1/interactions/%d" % sw["id"], {"body": "Olet täysi idiootti, senkin ääliö"})
    expect(r.status == 200, "edit the swearing into an insult", r)
    ns = manager.ok("/api/v1/wellbeing/notifications?customer_id=%d" % cust2)["items"]
    expect(len(ns) == 1 and ns[0]["interaction_id"] == sw["id"], "the edited insult is an incident: %r" % ns)

    # customers with repeated incidents
    rep = manager.ok("/api/v1/wellbeing/customers?min=2")["items"]
    expect(any(c["customer_id"] == cust and c["incidents"] == 2 for c in rep),
           "the customer is listed with 2 incidents: %r" % rep)
    # pages of one follow next_cursor through the same list, in the same order
    whole = manager.ok("/api/v1/wellbeing/customers?min=1&limit=200")["items"]
    paged = manager.list_all("/api/v1/wellbeing/customers?min=1", limit=1)
    expect(len(whole) >= 2 and [c["customer_id"] for c in paged] == [c["customer_id"] for c in whole],
           "paging the repeated-incident customers: %r vs %r" % (paged, whole))
    first = manager.ok("/api/v1/wellbeing/customers?min=1&limit=1")
    r = manager.get("/api/v1/wellbeing/customers?min=2&limit=1&cursor=" + first["next_cursor"])
    expect(r.status == 400, "a cursor made for other filters: 400", r)


def test_exposure_counts_days_of_the_server_zone(srv):
    """Exposure buckets are calendar days, weeks and months in the server's zone (Europe/Helsinki
    by default), not UTC: a message at 01:30 Helsinki time on a Monday is that Monday's."""
    manager = srv.client("manager")
    staff = new_agent(srv, uniq("vyohyke"))
    for when in ("2026-12-06T23:30:00Z",   # Mon 7 Dec 01:30 EET (UTC+2)
                 "2026-06-30T21:30:00Z"):  # Wed 1 Jul 00:30 EEST (UTC+3, summer time)
        cust = new_customer(srv, "Vyohyke Asiakas")
        it = srv.admin().create("/api/v1/customers/%d/interactions" % cust,
                                {"kind": "email", "direction": "inbound", "staff_id": staff,
                                 "occurred_at": when, "body": FI_ABUSE})
        expect(it.get("abusive") is True, "an abusive message at %s" % when)
    want = {"day": ["2026-07-01", "2026-12-07"], "week": ["2026-06-29", "2026-12-07"],
            "month": ["2026-07-01", "2026-12-01"]}
    for period, starts in want.items():
        ex = manager.ok("/api/v1/wellbeing/exposure?period=%s&staff_id=%d" % (period, staff))
        got = [b["start"] for b in ex["staff"][0]["buckets"]] if ex["staff"] else []
        expect(ex.get("timezone") == "Europe/Helsinki" and got == starts,
               "%s buckets in Helsinki time: want %r, got %r" % (period, starts, ex))
    # a plain date bound is that day's midnight in the same zone, so a day's range is its bucket
    ex = manager.ok("/api/v1/wellbeing/exposure?period=day&staff_id=%d&from=2026-12-07&to=2026-12-08" % staff)
    expect(ex["total"] == 1 and ex["from"] == "2026-12-06T22:00:00.000Z",
           "from/to dates are local midnights: %r" % ex)
    ex = manager.ok("/api/v1/wellbeing/exposure?period=day&staff_id=%d&from=2026-12-06&to=2026-12-07" % staff)
    expect(ex["total"] == 0, "the UTC day before holds nothing in Helsinki time: %r" % ex)
    ex = manager.ok("/api/v1/wellbeing/exposure?staff_id=%d&from=2026-12-06T23:00:00Z" % staff)
    expect(ex["total"] == 1 and ex["from"] == "2026-12-06T23:00:00.000Z", "an RFC 3339 bound is taken as given: %r" % ex)


def test_policy_flags_and_routes_at_threshold(srv):
    admin, manager, agent = srv.admin(), srv.client("manager"), srv.client("agent")
    before = manager.ok("/api/v1/wellbeing/policy")
    r = manager.request("PUT", "/api/v1/wellbeing/policy", {"incident_threshold": 1})
    expect(r.status == 403, "managers read the policy but do not change it", r)
    r = admin.request("PUT", "/api/v1/wellbeing/policy", {"incident_threshold": -1, "period_days": 0})
    expect(r.status == 422, "an invalid policy is a 422", r)
    team = uniq("suojaus")
    # the team routed to must be one staff are in, named exactly, on one line
    for bad in (team, team.upper() + "X", "a\nb"):
        r = admin.request("PUT", "/api/v1/wellbeing/policy", {"route_to_team": bad})
        expect(r.status == 422 and "route_to_team" in r.body.decode(), "route_to_team %r (nobody in it): 422" % bad, r)
    expect(manager.ok("/api/v1/wellbeing/policy") == before, "a refused policy changed nothing")
    new_agent(srv, team)  # now someone is in the team
    # what GET gives can be PUT back (the read-only fields are ignored)
    r = admin.request("PUT", "/api/v1/wellbeing/policy", manager.ok("/api/v1/wellbeing/policy"))
    expect(r.status == 200, "the policy as read can be put back", r)
    try:
        pol = put_policy(srv, {"incident_threshold": 2, "period_days": 30, "route_to_team": team})
        expect(pol["incident_threshold"] == 2 and pol["route_to_team"] == team, "the policy as put: %r" % pol)
        staff_team = uniq("tiimi")
        staff = new_agent(srv, staff_team)
        cust = new_customer(srv, "Toistuva Kiroilija")
        inbound(srv, cust, staff, FI_ABUSE)
        c = admin.ok("/api/v1/customers/%d" % cust)
        expect("abusive" not in (c.get("flags") or []), "below the threshold the customer is not flagged: %r" % c)
        inbound(srv, cust, staff, EN_ABUSE)
        c = admin.ok("/api/v1/customers/%d" % cust)
        expect("abusive" in (c.get("flags") or []) and c.get("routed_to_team") == team,
               "at the threshold the customer is flagged and routed: %r" % c)
        audit = admin.ok("/api/v1/audit?entity=customer&entity_id=%d&action=flag" % cust)["items"]
        expect(len(audit) == 1, "the flag is audited: %r" % audit)
        # a manager can clear the flag (audited); an agent cannot; the next incident flags again
        r = agent.post("/api/v1/wellbeing/customers/%d/unflag" % cust, {})
        expect(r.status == 403, "agents do not clear flags", r)
        r = manager.post("/api/v1/wellbeing/customers/%d/unflag" % cust, {"reason": "x" * 501})
        expect(r.status == 422, "a reason over 500 characters: 422", r)
        r = manager.post("/api/v1/wellbeing/customers/999999999/unflag", {})
        expect(r.status == 404, "unflag an unknown customer: 404", r)
        r = manager.post("/api/v1/wellbeing/customers/%d/unflag" % cust, {"reason": "Asia sovittu puhelimessa"})
        expect(r.status == 200 and r.json["flagged"] is False, "a manager clears the flag", r)
        c = admin.ok("/api/v1/customers/%d" % cust)
        expect("abusive" not in (c.get("flags") or []) and "routed_to_team" not in c, "the flag is gone: %r" % c)
        un = admin.ok("/api/v1/audit?entity=customer&entity_id=%d&action=unflag" % cust)["items"]
        expect(len(un) == 1 and un[0]["changes"].get("reason") == "Asia sovittu puhelimessa",
               "the unflag is audited with its reason: %r" % un)
        it = inbound(srv, cust, staff, "Milloin lasku tulee?")
        expect(not (it.get("analysis") or {}).get("routed_to_team"), "an unflagged customer's message is not routed")
        not_routed = it["id"]
        inbound(srv, cust, staff, FI_ABUSE)
        c = admin.ok("/api/v1/customers/%d" % cust)
        expect("abusive" in (c.get("flags") or []), "the next incident flags again (still over the threshold)")
        # new inbound messages of a flagged customer go to the named team
        it = inbound(srv, cust, staff, "Milloin lasku tulee?")
        expect((it.get("analysis") or {}).get("routed_to_team") == team,
               "a flagged customer's new message is routed: %r" % it.get("analysis"))
        routed = [it["id"]]
        it = inbound(srv, cust, staff, FI_ABUSE)
        ns = manager.ok("/api/v1/wellbeing/notifications?customer_id=%d&limit=1" % cust)["items"]
        expect(ns and ns[0]["routed_to_team"] == team, "the incident carries the routing: %r" % ns)
        # incidents by the recipient's team and by the routed team
        mine = manager.ok("/api/v1/wellbeing/notifications?limit=200&team=" + urllib.parse.quote(staff_team))["items"]
        expect(len(mine) >= 3 and all(n["team"] == staff_team for n in mine),
               "?team= lists the team's incidents only: %r" % [(n["id"], n["team"]) for n in mine])
        rt = manager.ok("/api/v1/wellbeing/notifications?limit=200&routed_to_team=" + urllib.parse.quote(team))["items"]
        expect(ns[0]["id"] in {n["id"] for n in rt} and all(n["routed_to_team"] == team for n in rt)
               and len(rt) < len(mine), "?routed_to_team= lists the routed incidents only: %r" % [n["id"] for n in rt])
        for q in ("team=", "routed_to_team=" + "x" * 101):
            r = manager.get("/api/v1/wellbeing/notifications?" + q)
            expect(r.status == 400, "notifications?%s: 400" % q[:20], r)
        # a merge into a fresh record does not escape the policy: the flag, the incidents and
        # the routing go with the person
        fresh = new_customer(srv, "Toistuva Kiroilija (uusi)")
        r = manager.post("/api/v1/customers/%d/merge" % fresh, {"from": cust})
        expect(r.status == 200, "merge the flagged customer into a fresh record", r)
        c = admin.ok("/api/v1/customers/%d" % fresh)
        expect("abusive" in (c.get("flags") or []) and c.get("routed_to_team") == team,
               "the merged record is flagged and routed: %r" % c)
        flags = admin.ok("/api/v1/audit?entity=customer&entity_id=%d&action=flag" % fresh)["items"]
        expect(len(flags) == 1 and flags[0]["changes"].get("merged_from") == cust,
               "the flag the merge brought is audited as a flag of the merged record: %r" % flags)
        ns = manager.ok("/api/v1/wellbeing/notifications?customer_id=%d" % fresh)["items"]
        expect(len(ns) == 4, "the incidents moved with the merge: %r" % ns)
        rep = manager.ok("/api/v1/wellbeing/customers?min=1")["items"]
        expect(not any(x["customer_id"] == cust for x in rep) and any(x["customer_id"] == fresh for x in rep),
               "repeated incidents are listed on the merged record, not the tombstone: %r" % rep)
        it = inbound(srv, fresh, staff, "Missä tilaukseni on?")
        expect((it.get("analysis") or {}).get("routed_to_team") == team,
               "the merged record's new message is routed: %r" % it.get("analysis"))
        routed.append(it["id"])
        # the team's queue: the messages routed to it, newest first, and no others
        queue = manager.ok("/api/v1/interactions?limit=200&routed_to_team=" + urllib.parse.quote(" %s " % team))["items"]
        expect(set(routed) <= {x["id"] for x in queue} and not_routed not in {x["id"] for x in queue}
               and all((x.get("analysis") or {}).get("routed_to_team") == team for x in queue)
               and [x["occurred_at"] for x in queue] == sorted((x["occurred_at"] for x in queue), reverse=True),
               "?routed_to_team= lists the team's routed messages only, newest first: %r" % [x["id"] for x in queue])
        expect(manager.ok("/api/v1/interactions?routed_to_team=" + urllib.parse.quote(team + "x"))["items"] == [],
               "another team's queue is empty")
        for bad in ("", "a\nb", "x" * 101):
            r = manager.get("/api/v1/interactions?routed_to_team=" + urllib.parse.quote(bad))
            expect(r.status == 400 and b"routed_to_team" in r.body, "routed_to_team=%r: 400" % bad[:10], r)
        # two customers each below the threshold, merged: together they reach it
        one, two = new_customer(srv, "Yksi Kerta"), new_customer(srv, "Toinen Kerta")
        inbound(srv, one, staff, FI_ABUSE)
        inbound(srv, two, staff, EN_ABUSE)
        r = manager.post("/api/v1/customers/%d/merge" % one, {"from": two})
        expect(r.status == 200 and "abusive" in (r.json.get("flags") or []),
               "a merge that brings the incidents to the threshold flags the customer", r)
    finally:
        put_policy(srv, {"incident_threshold": before["incident_threshold"], "period_days": before["period_days"],
                         "route_to_team": before["route_to_team"]})
    r = agent.get("/api/v1/wellbeing/policy")
    expect(r.status == 403, "agents do not read the policy", r)


def test_severe_incident_flags_at_once(srv):
    """Severe abuse (here: telling the agent to kill themselves) is marked severe in the
    analysis and on the notification, and flags the customer at its first incident while the
    policy is on; an ordinary insult under the same policy does not."""
    admin, manager = srv.admin(), srv.client("manager")
    before = manager.ok("/api/v1/wellbeing/policy")
    try:
        put_policy(srv, {"incident_threshold": 3, "period_days": 30})
        staff = new_agent(srv, uniq("tiimi"))
        plain = new_customer(srv, "Tavallinen Kiroilija")
        it = inbound(srv, plain, staff, FI_ABUSE)
        expect(it["analysis"]["body"]["abuse"]["severe"] is False, "an insult is not severe: %r" % it["analysis"])
        c = admin.ok("/api/v1/customers/%d" % plain)
        expect("abusive" not in (c.get("flags") or []), "one ordinary incident of three does not flag: %r" % c)

        cust = new_customer(srv, "Vakava Uhkailija")
        it = inbound(srv, cust, staff, "Olet surkea. Tapa ittes!")
        body = it["analysis"]["body"]["abuse"]
        expect(it.get("abusive") is True and body["severe"] is True and body["flagged"] is True,
               "incitement to suicide is flagged and severe: %r" % body)
        ns = manager.ok("/api/v1/wellbeing/notifications?customer_id=%d" % cust)["items"]
        expect(len(ns) == 1 and "severe" in ns[0]["categories"] and "insult" in ns[0]["categories"],
               "the notification says severe: %r" % ns)
        sev = manager.ok("/api/v1/wellbeing/notifications?severe=1&limit=100")["items"]
        expect(any(n["customer_id"] == cust for n in sev) and all("severe" in n["categories"] for n in sev)
               and not any(n["customer_id"] == plain for n in sev),
               "?severe=1 lists the severe incidents only: %r" % sev)
        r = manager.get("/api/v1/wellbeing/notifications?severe=maybe")
        expect(r.status == 400, "a bad severe flag is a 400", r)
        c = admin.ok("/api/v1/customers/%d" % cust)
        expect("abusive" in (c.get("flags") or []), "a severe incident flags the customer at once: %r" % c)
        audit = admin.ok("/api/v1/audit?entity=customer&entity_id=%d&action=flag" % cust)["items"]
        expect(len(audit) == 1 and audit[0]["changes"]["severe"] is True, "the flag's audit says why: %r" % audit)
    finally:
        put_policy(srv, {"incident_threshold": before["incident_threshold"], "period_days": before["period_days"],
                         "route_to_team": before["route_to_team"]})


def test_corrections_stored_and_audited(srv):
    admin, manager, agent = srv.admin(), srv.client("manager"), srv.client("agent")
    cust = new_customer(srv, "Korjattava Asiakas")
    it = inbound(srv, cust, srv.staff_id("agent"), "Tämä palvelu on ihan paska")
    r = agent.post("/api/v1/text/corrections", {"interaction_id": it["id"], "kind": "abuse", "label": "not_abusive"})
    expect(r.status == 201 and r.json["staff_id"] == srv.staff_id("agent") and r.json["label"] == "not_abusive"
           and r.json["model_generation"] >= 1, "a correction is stored with who made it", r)
    cid = r.json["id"]
    text = uniq("kiitos tosi hyvästä palvelusta ")
    r = agent.post("/api/v1/text/corrections", {"text": text, "kind": "sentiment", "label": "positive"})
    expect(r.status == 201, "a correction of a free text", r)
    r = agent.post("/api/v1/text/corrections", {"text": "x", "kind": "abuse", "label": "positive"})
    expect(r.status == 422, "a label that does not fit the kind is a 422", r)
    for body, want in (({"text": "", "kind": "abuse", "label": "abusive"}, ["text"]),
                       ({"text": "  \t ", "kind": "abuse", "label": "abusive"}, ["text"]),
                       ({"text": 5, "kind": "abuse", "label": "abusive"}, ["text"]),
                       ({"interaction_id": "x", "kind": "abuse", "label": "abusive"}, ["interaction_id"])):
        r = agent.post("/api/v1/text/corrections", body)
        fields = [e.get("field") for e in (r.json or {}).get("errors", [])] if r.status == 422 else None
        expect(r.status == 422 and fields == want, "correction %r: 422 with one error on %r, got %r" % (body, want, fields), r)
    r = agent.post("/api/v1/text/corrections", {"interaction_id": 999999999, "kind": "abuse", "label": "abusive"})
    expect(r.status == 422, "a correction of an unknown interaction is a 422", r)
    r = agent.get("/api/v1/text/corrections")
    expect(r.status == 403, "agents do not list corrections", r)
    items = manager.list_all("/api/v1/text/corrections")
    mine = [c for c in items if c["id"] == cid]
    expect(len(mine) == 1 and mine[0]["interaction_id"] == it["id"] and mine[0]["text"] is None,
           "the correction is listed (an interaction's text is not repeated): %r" % mine)
    expect(any(c.get("text") == text for c in items), "the free-text correction is listed")
    audit = admin.ok("/api/v1/audit?entity=text_correction&entity_id=%d" % cid)["items"]
    expect(len(audit) == 1 and audit[0]["actor_id"] == srv.staff_id("agent"), "the correction is audited")
    # one account repeating a correction is one vote: thirty "not abusive" from one agent do
    # not talk the learned layer out of an insult
    insult = "olet senkin typerä ääliö " + uniq("")
    for _ in range(30):
        r = agent.post("/api/v1/text/corrections", {"text": insult, "kind": "abuse", "label": "not_abusive"})
        expect(r.status == 201, "a repeated correction is stored", r)
    r = agent.post("/api/v1/text/analyze", {"text": insult})
    expect(r.status == 200 and r.json["abuse"]["flagged"] is True,
           "thirty corrections of one agent are one vote: still flagged", r)
    # the list shows a free text's abusive words masked, as a customer's message would be;
    # ?reveal=1 shows them and audits each text it uncovers
    tag = insult.split()[-1]
    listed = [c for c in manager.list_all("/api/v1/text/corrections") if (c.get("text") or "").endswith(tag)]
    expect(len(listed) == 30 and all("ääliö" not in c["text"] and "*" in c["text"] for c in listed),
           "free-text corrections are listed masked: %r" % listed[:2])
    expect(any(c.get("text") == text for c in manager.list_all("/api/v1/text/corrections")),
           "a clean free text is listed as typed")
    before = len(admin.list_all("/api/v1/audit?entity=text_correction&action=reveal"))
    shown = [c for c in manager.list_all("/api/v1/text/corrections?reveal=1") if (c.get("text") or "").endswith(tag)]
    expect(len(shown) == 30 and all(c["text"] == insult for c in shown),
           "?reveal=1 lists the free texts as typed: %r" % shown[:2])
    reveals = admin.list_all("/api/v1/audit?entity=text_correction&action=reveal")
    expect(len(reveals) - before >= 30 and all(a["actor_id"] == srv.staff_id("manager") for a in reveals[:30])
           and {a["entity_id"] for a in reveals} >= {c["id"] for c in shown},
           "each revealed correction is audited with who revealed it (%d new)" % (len(reveals) - before))
    r = agent.get("/api/v1/text/corrections?reveal=1")
    expect(r.status == 403, "agents cannot reveal corrections either", r)


def test_text_analyze_and_tone_check(srv):
    agent = srv.client("agent")
    r = agent.post("/api/v1/text/analyze", {"text": FI_ABUSE})
    expect(r.status == 200 and r.json["lang"] == "fi" and r.json["abuse"]["flagged"] is True
           and r.json["abuse"]["spans"], "analyze flags the Finnish insult with spans", r)
    r = agent.post("/api/v1/text/analyze", {"text": "Kiitos nopeasta avusta!", "lang": "fi"})
    expect(r.status == 200 and r.json["abuse"]["flagged"] is False
           and r.json["sentiment"]["label"] == "positive", "analyze: a thank-you is positive", r)
    r = agent.post("/api/v1/text/analyze", {"text": "x", "lang": "sv"})
    expect(r.status == 422, "an unknown lang is a 422", r)
    r = agent.post("/api/v1/text/analyze", {})
    expect(r.status == 422, "text is required", r)
    r = agent.post("/api/v1/text/tone-check", {"text": "Olet idiootti.", "lang": "fi", "public": True})
    expect(r.status == 200 and any(i["code"] == "abuse" for i in r.json["issues"]) and r.json["ok"] is False,
           "tone-check flags abuse in a reply", r)
    r = agent.post("/api/v1/text/tone-check", {"text": "Tilauksesi on lähetetty.", "lang": "fi",
                                               "replying_to_complaint": True})
    expect(r.status == 200 and any(i["code"] == "missing_thanks" for i in r.json["issues"]),
           "tone-check: a reply to a complaint without thanks or apology", r)
    r = agent.post("/api/v1/text/tone-check", {"text": "ok", "public": "yes"})
    expect(r.status == 422, "public must be a boolean", r)
    for blank in ("", "   ", "\u00a0\n"):
        r = agent.post("/api/v1/text/tone-check", {"text": blank, "replying_to_complaint": True})
        expect(r.status == 422 and "text" in r.body.decode(), "tone-check of a blank reply %r: 422" % blank, r)
    r = agent.post("/api/v1/text/tone-check", {"text": "Emme pahoittele mitään.", "replying_to_complaint": True})
    expect(r.status == 200 and any(i["code"] == "missing_thanks" for i in r.json["issues"]),
           "tone-check: a denied apology is no apology", r)


def test_search_ranks_by_what_staff_see(srv):
    """Search indexes an abusive message by its masked text: a hidden word neither finds it
    nor lifts it in the ranking. (A blind audit renamed the customer to a guessed word: the
    message ranked above a clean one of the same customer only when the guess was hidden in
    it.)"""
    agent = srv.client("agent")
    staff = new_agent(srv, uniq("ranki"))
    cust = new_customer(srv, "Maija Testaaja")
    target = inbound(srv, cust, staff, "Olet täysi tomppeli, palvelu on kamalaa.")["id"]
    anchor = srv.admin().create("/api/v1/customers/%d/interactions" % cust,
                                {"kind": "email", "direction": "outbound", "body": "Kiitos viestistä."})["id"]
    orders = []
    for word in ("Tomppeli", "Idiootti"):  # hidden in the message, and not
        r = srv.admin().request("PATCH", "/api/v1/customers/%d" % cust, {"name": word + " Testaaja"})
        expect(r.status == 200, "rename the customer to %r" % word, r)
        hits = agent.ok("/api/v1/search?q=%s&limit=50" % word.lower())["items"]
        orders.append([h["id"] for h in hits if h["type"] == "interaction" and h["id"] in (target, anchor)])
    expect(len(orders[0]) == 2 and orders[0] == orders[1],
           "the ranking of the two messages does not depend on a hidden word: %r" % orders)


def test_shouting_is_shown_as_written(srv):
    """A complaint in capitals is rude in tone but abuses no one: it is not masked and makes no
    incident; capitals with an insult in them still are."""
    staff = new_agent(srv, uniq("huuto"))
    cust = new_customer(srv, "Huutava Asiakas")
    for body in ("TÄMÄ ON TÄYSIN KESTÄMÄTÖNTÄ", "MIKSI KUKAAN EI VASTAA PUHELIMEEN"):
        it = inbound(srv, cust, staff, body)
        expect(it["abusive"] is False and it["body"] == body, "a shouted complaint is shown as written: %r" % it)
    it = inbound(srv, cust, staff, "TÄMÄ ON TÄYSIN KESTÄMÄTÖNTÄ, OLETTE IDIOOTTEJA")
    expect(it["abusive"] is True and "IDIOOTTEJA" not in it["body"], "capitals with an insult are masked: %r" % it)


def test_edits_keep_protection(srv):
    """Editing a received abusive message neither unmasks it nor multiplies its incident:
    sending the masked text back keeps the original, an abusive inbound message cannot be
    turned outbound, an edit into a clean text withdraws the incident, and editing back and
    forth never makes more than one."""
    admin, manager, agent = srv.admin(), srv.client("manager"), srv.client("agent")
    staff = new_agent(srv, uniq("muokkaus"))
    cust = new_customer(srv, "Muokattava Asiakas")
    it = inbound(srv, cust, staff, "Olet täysi idiootti ja tapan sinut")
    iid = it["id"]
    expect(it.get("abusive") is True, "the threat is flagged")
    got = agent.ok("/api/v1/interactions/%d" % iid)

    # GET, change the summary, PATCH back with the masked body: the original stays (another
    # agent may not: the message made an incident for the staff member it reached)
    back = dict((k, got[k]) for k in ("kind", "direction", "body"))
    back["summary"] = "Uhkaus laskusta"
    r = agent.request("PATCH", "/api/v1/interactions/%d" % iid, back)
    expect(r.status == 403 and problem_ok(r, 403), "another agent changing its words: 403", r)
    r = agent.request("PATCH", "/api/v1/interactions/%d" % iid, {"staff_id": srv.staff_id("agent")})
    expect(r.status == 403, "another agent making themself its recipient: 403", r)
    expect(agent.request("PATCH", "/api/v1/interactions/%d" % iid, {"channel": "webmail"}).status == 200,
           "what the incident does not rest on (the channel) any agent may change")
    r = manager.request("PATCH", "/api/v1/interactions/%d" % iid, back)
    expect(r.status == 200 and r.json.get("summary") == "Uhkaus laskusta" and r.json.get("abusive") is True,
           "PATCH with the masked body sent back: 200, still abusive", r)
    rv = manager.ok("/api/v1/interactions/%d?reveal=1" % iid)
    expect(rv["body"] == "Olet täysi idiootti ja tapan sinut",
           "the masked text sent back did not overwrite the original: %r" % rv["body"])

    # an edit of the masked text is refused, whatever it changes: restoring the hidden words
    # beside the change could show them ("Q********" made "Qidiootti", unflagged), and storing
    # the asterisks would erase them. Nothing is stored.
    shown = agent.ok("/api/v1/interactions/%d" % iid)["body"]
    for edited in ("Oletko" + shown[4:] + "!", shown.replace(" *", " Q*", 1), shown.replace("*", "", 1),
                   '"' + shown + '"'):
        r = manager.request("PATCH", "/api/v1/interactions/%d" % iid, {"body": edited})
        expect(r.status == 422 and "body" in r.body.decode() and "idiootti" not in r.body.decode(),
               "PATCH an edit of the masked body %r: 422, nothing shown" % edited, r)
    rv = manager.ok("/api/v1/interactions/%d?reveal=1" % iid)
    expect(rv["body"] == "Olet täysi idiootti ja tapan sinut", "the refused edits changed nothing: %r" % rv["body"])
    # typing the hidden words exactly is answered as an edit (a new version), not as a no-op
    # that would confirm the guess; sending the masked text back stays a no-op
    v0 = agent.ok("/api/v1/interactions/%d" % iid)["version"]
    r = manager.request("PATCH", "/api/v1/interactions/%d" % iid, {"body": shown})
    expect(r.status == 200 and r.json["version"] == v0, "the masked text sent back: no new version", r)
    r = manager.request("PATCH", "/api/v1/interactions/%d" % iid, {"body": "Olet täysi idiootti ja tapan sinut"})
    expect(r.status == 200 and r.json["version"] == v0 + 1 and "idiootti" not in r.json["body"],
           "the hidden words typed exactly: a new version, as any edit", r)
    # the revealed text can be edited; the audit keeps the words before and after (masked when
    # listed, shown on an audited reveal)
    r = manager.request("PATCH", "/api/v1/interactions/%d" % iid, {"body": rv["body"] + "!"})
    expect(r.status == 200 and "idiootti" not in r.json["body"], "PATCH the revealed text: 200, masked", r)
    ups = manager.ok("/api/v1/audit?entity=interaction&entity_id=%d&action=update" % iid)["items"]
    expect(ups and "idiootti" not in str(ups[0]["changes"]) and "body" in ups[0]["changes"],
           "the update audit lists the change masked: %r" % ups[:1])
    ups = manager.ok("/api/v1/audit?entity=interaction&entity_id=%d&action=update&reveal=1" % iid)["items"]
    expect(ups and ups[0]["changes"]["body"] == ["Olet täysi idiootti ja tapan sinut",
                                                 "Olet täysi idiootti ja tapan sinut!"],
           "revealed, the update audit holds the words before and after: %r" % ups[:1])
    rev = admin.ok("/api/v1/audit?entity=audit&action=reveal")["items"]
    expect(any(e["entity_id"] == ups[0]["id"] and e["actor_id"] == srv.staff_id("manager") for e in rev),
           "revealing an audit entry is audited with who did it: %r" % rev[:3])
    r = agent.get("/api/v1/audit?reveal=1")
    expect(r.status == 403, "agents read no audit, revealed or not", r)

    # an abusive inbound message cannot become outbound (it would show unmasked)
    r = manager.request("PATCH", "/api/v1/interactions/%d" % iid, {"direction": "outbound"})
    expect(r.status == 422 and "direction" in r.body.decode() and "idiootti" not in r.body.decode(),
           "turning an abusive inbound message outbound: 422, nothing shown", r)
    expect(agent.ok("/api/v1/interactions/%d" % iid)["direction"] == "inbound", "it stays inbound")

    def incidents():
        return [n for n in manager.ok("/api/v1/wellbeing/notifications?customer_id=%d" % cust)["items"]
                if n["interaction_id"] == iid]

    expect(len(incidents()) == 1, "one incident for the message")
    # back and forth: never more than one incident; clean withdraws it
    for body, want in (("Kiitos avusta", 0), ("Olet täysi idiootti", 1), ("Hei, kiitos", 0),
                       ("Olet täysi idiootti", 1), ("Olet täysi idiootti ja ääliö", 1)):
        r = admin.request("PATCH", "/api/v1/interactions/%d" % iid, {"body": body})
        expect(r.status == 200, "edit the message to %r" % body, r)
        expect(len(incidents()) == want, "after the edit to %r: %d incident(s), got %r" % (body, want, incidents()))
    ex = manager.ok("/api/v1/wellbeing/exposure?staff_id=%d" % staff)
    expect(ex["total"] == 1, "exposure counts the message once: %r" % ex)
    r = admin.request("PATCH", "/api/v1/interactions/%d" % iid, {"body": "Kiitos"})
    ex = manager.ok("/api/v1/wellbeing/exposure?staff_id=%d" % staff)
    expect(r.status == 200 and ex["total"] == 0, "a message edited clean leaves exposure: %r" % ex)
    # the death threat above flagged its customer at once, as a severe incident does; edited
    # clean, the message no longer holds the flag it brought: cleared, and audited with why
    expect("abusive" not in (admin.ok("/api/v1/customers/%d" % cust).get("flags") or []),
           "the flag of a threat edited away is cleared")
    un = manager.ok("/api/v1/audit?entity=customer&entity_id=%d&action=unflag" % cust)["items"]
    expect(un and "withdrawn" in json.dumps(un[0].get("changes")), "the unflag is audited with its reason: %r" % un[:1])
    pol = manager.ok("/api/v1/wellbeing/policy")
    cust2 = new_customer(srv, "Toinen Muokattava")
    one = inbound(srv, cust2, staff, "Olet idiootti")
    for body in ("Hei", "Olet idiootti") * max(pol["incident_threshold"], 1):
        admin.request("PATCH", "/api/v1/interactions/%d" % one["id"], {"body": body})
    cu = admin.ok("/api/v1/customers/%d" % cust2)
    expect("abusive" not in (cu.get("flags") or []),
           "one insult edited back and forth %d times flags nobody: %r" % (pol["incident_threshold"], cu))

    # deleting or rewriting a message erases nothing from the audit: the words stay there as
    # evidence, masked when listed
    gone = inbound(srv, cust2, staff, "Senkin ääliö, tämä on viimeinen varoitus")
    r = manager.request("PATCH", "/api/v1/interactions/%d" % gone["id"], {"body": "Kiitos"})
    expect(r.status == 200 and r.json["abusive"] is False, "an agent rewrites the message clean", r)
    r = manager.request("DELETE", "/api/v1/interactions/%d" % gone["id"])
    expect(r.status in (200, 204), "a manager deletes it", r)
    entries = manager.ok("/api/v1/audit?entity=interaction&entity_id=%d" % gone["id"])["items"]
    expect(entries and "ääliö" not in str(entries) and "viimeinen varoitus" in str(entries),
           "the audit lists the message's history masked: %r" % entries)
    entries = manager.ok("/api/v1/audit?entity=interaction&entity_id=%d&reveal=1" % gone["id"])["items"]
    expect("Senkin ääliö, tämä on viimeinen varoitus" in str(entries),
           "revealed, the original words are still there: %r" % entries)
    # the audit masks both fields of an abusive message as a read does, whichever is abusive
    both = inbound(srv, cust2, staff, "Tämä on hölmö sääntö.", summary="Olet täysi idiootti")
    read = agent.ok("/api/v1/interactions/%d" % both["id"])
    entries = manager.ok("/api/v1/audit?entity=interaction&entity_id=%d&action=create" % both["id"])["items"]
    expect(entries and entries[0]["changes"]["body"][1] == read["body"] and "hölmö" not in str(entries)
           and entries[0]["changes"]["summary"][1] == read["summary"],
           "the create entry shows summary and body as the read does (%r): %r" % (read["body"], entries))
    expect(entries[0]["changes"]["analysis"][1] == read["analysis"],
           "and its analysis as the read shows it, reduced: %r" % entries[0]["changes"]["analysis"])
    entries = manager.ok("/api/v1/audit?entity=interaction&entity_id=%d&action=create&reveal=1" % both["id"])["items"]
    expect(entries[0]["changes"]["analysis"][1]["body"]["abuse"].get("spans") is not None,
           "revealed, the entry's analysis is whole: %r" % entries[0]["changes"]["analysis"])
    # a message first filed as outbound and then turned inbound: its create entry is masked too
    out = admin.create("/api/v1/customers/%d/interactions" % cust2,
                       {"kind": "email", "direction": "outbound", "body": "Olet idiootti ja paska myyjä"})
    r = admin.request("PATCH", "/api/v1/interactions/%d" % out["id"], {"direction": "inbound"})
    expect(r.status == 200 and r.json["abusive"] is True, "filed wrongly as outbound, turned inbound", r)
    entries = manager.ok("/api/v1/audit?entity=interaction&entity_id=%d" % out["id"])["items"]
    expect(entries and "idiootti" not in str(entries), "no entry of its history shows the words: %r" % entries)


def test_veiled_and_third_party_threats_are_incidents(srv):
    """A veiled threat (the agent's home watched) and a threat of harm to a named staff member
    said to the agent are flagged at ingest, masked where they threaten, and listed as threat
    incidents; a caring message with the same words and a business threat naming a lawful way
    are neither."""
    manager = srv.client("manager")
    staff = new_agent(srv, uniq("tiimi"))
    cases = (("Tiedän kyllä mistä sun poika nousee bussiin aamuisin.", True, "Tiedän kyllä mistä sun poika"),
             ("Sille kassalle käy vielä huonosti.", True, "käy vielä huonosti"),
             ("Tiedän että teidän perhe on pyörittänyt kauppaa vuosia.", False, None),
             ("Saatte vielä katua tätä, vien asian kuluttajaneuvontaan.", False, None))
    for text, threat, hidden in cases:
        cust = new_customer(srv, "Asiakas %s" % uniq())
        it = inbound(srv, cust, staff, text)
        ab = (it.get("analysis") or {}).get("body", {}).get("abuse", {})
        ns = manager.ok("/api/v1/wellbeing/notifications?customer_id=%d" % cust)["items"]
        if threat:
            expect(it.get("abusive") is True and "threat" in (ab.get("present") or []),
                   "a threat at ingest: %r -> %r" % (text, ab))
            expect(hidden not in (it.get("body") or ""), "the threat is masked: %r" % it.get("body"))
            expect(len(ns) == 1 and "threat" in ns[0]["categories"], "one threat incident: %r" % ns)
        else:
            expect(it.get("abusive") is False and it.get("body") == text,
                   "no incident, nothing masked: %r -> %r" % (text, it.get("body")))
            expect(ns == [], "no notification: %r" % ns)


def test_incidents_follow_edits_and_outlive_the_customer(srv):
    """An edited incident is recorded as it is now: a plain insult edited into a death threat
    becomes severe and flags at once, and edited back the flag it brought is cleared; a new
    recipient or day moves the incident in exposure; a routed message stays routed when edited;
    deleting the customer keeps what staff received in their exposure."""
    admin, manager = srv.admin(), srv.client("manager")
    before = manager.ok("/api/v1/wellbeing/policy")
    try:
        team_b = uniq("reititys")
        new_agent(srv, team_b)
        put_policy(srv, {"incident_threshold": 3, "period_days": 30, "route_to_team": team_b})
        staff1, staff2 = new_agent(srv, uniq("eka")), new_agent(srv, uniq("toka"))
        cust = new_customer(srv, "Muuttuva Uhkailija")
        it = inbound(srv, cust, staff1, "Olet idiootti")
        iid = it["id"]

        def incident():
            ns = [n for n in manager.ok("/api/v1/wellbeing/notifications?customer_id=%d" % cust)["items"]
                  if n["interaction_id"] == iid]
            expect(len(ns) == 1, "one incident for the message: %r" % ns)
            return ns[0]

        expect("severe" not in incident()["categories"], "an insult is not severe")
        r = admin.request("PATCH", "/api/v1/interactions/%d" % iid, {"body": "Olet idiootti. Tapan sinut."})
        expect(r.status == 200 and r.json["analysis"]["body"]["abuse"]["severe"] is True, "edited into a threat", r)
        expect("severe" in incident()["categories"], "the incident is severe now: %r" % incident())
        sev = manager.ok("/api/v1/wellbeing/notifications?severe=1&limit=200")["items"]
        expect(any(n["interaction_id"] == iid for n in sev), "?severe=1 lists it")
        expect("abusive" in (admin.ok("/api/v1/customers/%d" % cust).get("flags") or []),
               "a severe incident flags the customer at once, also by an edit")
        flagged = [c["id"] for c in admin.list_all("/api/v1/customers?flagged=true", limit=200)]
        expect(cust in flagged and all("abusive" in (c.get("flags") or [])
                                       for c in admin.list_all("/api/v1/customers?flagged=true", limit=200)),
               "?flagged=true lists the flagged customers: %r" % flagged)
        calm = new_customer(srv, "Rauhallinen Asiakas")
        unflagged = [c["id"] for c in admin.list_all("/api/v1/customers?flagged=false", limit=200)]
        expect(cust not in unflagged and calm in unflagged and
               all("abusive" not in (c.get("flags") or [])
                   for c in admin.list_all("/api/v1/customers?flagged=0", limit=200)),
               "?flagged=false lists the customers not flagged: %r" % unflagged)
        r = admin.get("/api/v1/customers?flagged=maybe")
        expect(r.status == 400, "a bad flagged value is a 400", r)
        r = manager.get("/api/v1/interactions/%d?reveal=yes" % iid)
        expect(r.status == 400 and "idiootti" not in r.body.decode(), "reveal=yes is a 400, not a masked answer", r)
        # acknowledging twice is audited once
        nid = incident()["id"]
        for _ in range(2):
            r = manager.request("POST", "/api/v1/wellbeing/notifications/%d/ack" % nid, {})
            expect(r.status == 200, "acknowledge", r)
        acks = manager.ok("/api/v1/audit?entity=wellbeing_notification&entity_id=%d&action=ack" % nid)["items"]
        expect(len(acks) == 1, "a second acknowledgement changes nothing and is not audited again: %r" % acks)
        # a message of the flagged customer is routed; an edit keeps it routed
        it2 = inbound(srv, cust, staff1, "Hei, missä tilaukseni on?")
        expect(it2["analysis"]["routed_to_team"] == team_b, "routed while flagged: %r" % it2["analysis"])
        r = admin.request("PATCH", "/api/v1/interactions/%d" % it2["id"], {"body": "Hei idiootti, missä tilaukseni on?"})
        expect(r.status == 200 and r.json["analysis"]["routed_to_team"] == team_b,
               "an edited routed message stays routed", r)
        # back to a plain insult: severe no more, and the flag the threat brought is cleared
        # (the two insults stay below the threshold of 3)
        r = admin.request("PATCH", "/api/v1/interactions/%d" % iid, {"body": "Olet idiootti"})
        expect(r.status == 200 and "severe" not in incident()["categories"], "no longer severe: %r" % incident())
        expect("abusive" not in (admin.ok("/api/v1/customers/%d" % cust).get("flags") or []),
               "the flag of the withdrawn threat is cleared")
        # another recipient and another day move the incident in exposure
        r = admin.request("PATCH", "/api/v1/interactions/%d" % iid,
                          {"staff_id": staff2, "occurred_at": "2026-09-01T10:00:00Z"})
        expect(r.status == 200, "change recipient and day", r)
        n = incident()
        expect(n["staff_id"] == staff2 and n["occurred_at"].startswith("2026-09-01"), "the incident moved: %r" % n)
        ex1 = manager.ok("/api/v1/wellbeing/exposure?staff_id=%d&from=2020-01-01" % staff1)
        ex2 = manager.ok("/api/v1/wellbeing/exposure?staff_id=%d&from=2020-01-01" % staff2)
        expect(ex1["total"] == 1 and ex2["total"] == 1, "exposure follows the recipient: %r %r" % (ex1, ex2))
        # deleting the customer keeps staff's exposure
        r = admin.request("DELETE", "/api/v1/customers/%d" % cust)
        expect(r.status == 204, "delete the customer", r)
        ex2b = manager.ok("/api/v1/wellbeing/exposure?staff_id=%d&from=2020-01-01" % staff2)
        expect(ex2b["total"] == 1, "what staff received outlives the customer: %r" % ex2b)
    finally:
        r = admin.request("PUT", "/api/v1/wellbeing/policy", before)
        expect(r.status == 200, "restore the policy", r)


def test_a_correction_applies_to_its_message(srv):
    """Staff correct a message: "not abusive" unmasks it and withdraws its incident; "abusive"
    masks it whole and makes it an incident; both are audited on the message. Only a customer's
    message with text can be corrected, and a text staff called abusive is listed masked."""
    admin, manager, agent = srv.admin(), srv.client("manager"), srv.client("agent")
    staff = new_agent(srv, uniq("korjaus"))
    cust = new_customer(srv, "Korjauksen Kohde")
    it = inbound(srv, cust, staff, "Olet ihan hölmö kun et vastaa")
    iid = it["id"]
    expect(it["abusive"] is True and "hölmö" not in agent.ok("/api/v1/interactions/%d" % iid)["body"],
           "the message is masked first")

    def incidents(i):
        return [n for n in manager.ok("/api/v1/wellbeing/notifications?customer_id=%d" % cust)["items"]
                if n["interaction_id"] == i]

    expect(len(incidents(iid)) == 1, "and an incident")
    # another agent takes no protection away from the staff member the message reached (its
    # mask, their incident, the customer's flag that only managers clear directly)
    r = agent.post("/api/v1/text/corrections", {"interaction_id": iid, "kind": "abuse", "label": "not_abusive"})
    expect(r.status == 403 and problem_ok(r, 403), "another agent's not_abusive: 403", r)
    expect(len(incidents(iid)) == 1 and agent.ok("/api/v1/interactions/%d" % iid)["abusive"] is True,
           "and nothing changed")
    r = manager.post("/api/v1/text/corrections", {"interaction_id": iid, "kind": "abuse", "label": "not_abusive"})
    expect(r.status == 201, "a manager corrects it to not abusive", r)
    got = agent.ok("/api/v1/interactions/%d" % iid)
    expect(got["abusive"] is False and got["body"] == "Olet ihan hölmö kun et vastaa",
           "corrected to not abusive: shown as written: %r" % got)
    expect(incidents(iid) == [], "and its incident is withdrawn")
    au = manager.ok("/api/v1/audit?entity=interaction&entity_id=%d&action=correct" % iid)["items"]
    expect(len(au) == 1 and au[0]["actor_id"] == srv.staff_id("manager"), "the correction of the message is audited: %r" % au)

    # (an insult by comparison the analysis does not see)
    it2 = inbound(srv, cust, staff, "Olet yhtä avulias kuin kivi.")
    expect(it2["abusive"] is False, "the analysis misses this one")
    r = agent.post("/api/v1/text/corrections", {"interaction_id": it2["id"], "kind": "abuse", "label": "abusive"})
    expect(r.status == 403 and problem_ok(r, 403), "another agent's abusive: 403 (it counts in their exposure)", r)
    r = manager.post("/api/v1/text/corrections", {"interaction_id": it2["id"], "kind": "abuse", "label": "abusive"})
    expect(r.status == 201, "a manager corrects a missed insult to abusive", r)
    got = agent.ok("/api/v1/interactions/%d" % it2["id"])
    expect(got["abusive"] is True and "kivi" not in got["body"], "corrected to abusive: masked whole: %r" % got)
    ns = incidents(it2["id"])
    expect(len(ns) == 1 and "corrected" in ns[0]["categories"], "and an incident: %r" % ns)
    # only a customer's message with text
    out = admin.create("/api/v1/customers/%d/interactions" % cust,
                       {"kind": "email", "direction": "outbound", "body": "Kiitos yhteydenotosta"})
    r = agent.post("/api/v1/text/corrections", {"interaction_id": out["id"], "kind": "abuse", "label": "abusive"})
    expect(r.status == 422, "staff's own outbound message cannot be corrected", r)
    empty = admin.create("/api/v1/customers/%d/interactions" % cust, {"kind": "call", "direction": "inbound"})
    r = agent.post("/api/v1/text/corrections", {"interaction_id": empty["id"], "kind": "sentiment", "label": "negative"})
    expect(r.status == 422, "a message without text cannot be corrected", r)
    # a free text staff called abusive is listed masked, even when the analysis sees nothing
    tag = uniq(" merkki")
    r = agent.post("/api/v1/text/corrections", {"text": "Te olette kuin lampaanpää" + tag, "kind": "abuse",
                                                 "label": "abusive"})
    expect(r.status == 201, "a free-text correction to abusive", r)
    listed = [c for c in manager.list_all("/api/v1/text/corrections") if c.get("id") == r.json["id"]]
    expect(listed and "lampaan" not in (listed[0].get("text") or ""), "listed masked: %r" % listed)


def agent_with_client(srv, team):
    """A new agent of `team` and a signed-in client of theirs."""
    email = "%s@kumppani.test" % uniq("agent")
    r = srv.admin().post("/api/v1/staff", {"email": email, "name": "Oma Agentti", "role": "agent", "team": team,
                                           "password": "Suojaus-Salasana-7"})
    expect(r.status == 201, "create agent with a team", r)
    r2, c = srv.sign_in(email, "Suojaus-Salasana-7")
    expect(c is not None, "sign in as the new agent", r2)
    return r.json["id"], c


def correct(client, iid, label, status=201):
    r = client.post("/api/v1/text/corrections", {"interaction_id": iid, "kind": "abuse", "label": label})
    expect(r.status == status, "abuse correction %s of %d: %d" % (label, iid, status), r)
    return r


# Texts the analysis finds nothing in, which staff judge abusive from what they know (the
# tests are about what a correction does, so the text must stay unseen by the analysis as it
# improves: nothing in these words is abusive by itself)
UNSEEN1 = "Palaan asiaan huomenna toimistollanne kello kahdeksan."
UNSEEN2 = "Kiitos viestistänne, katsotaan perjantaina uudestaan."


def test_audit_shows_no_analysis_of_masked_words(srv):
    """An interaction's audit entries show their analyses as a read shows one beside masked
    text: a message that is abusive now (here by a staff correction the analysis never made)
    keeps no topics, scores, spans or lengths in its create, update or delete entries, which
    would repeat or confirm the hidden words; its delete entry masks the words as they were
    masked; ?reveal=1 shows them whole."""
    admin, manager = srv.admin(), srv.client("manager")
    a1 = new_agent(srv, uniq("audit"))
    cust = new_customer(srv, "Auditoitava Asiakas")

    def entries(iid, reveal=False):
        return manager.list_all("/api/v1/audit?entity=interaction&entity_id=%d%s" % (iid, "&reveal=1" if reveal else ""))

    def leaks(entry, words=True):
        s = json.dumps(entry["changes"], ensure_ascii=False)
        return [w for w in ('"topics"', '"spans"', '"len"', '"score"', '"lang_conf"', "muistutus")
                + (("Muistutus", "toimisto", "kahdeksan", "perjantai", "viesti") if words else ()) if w in s]

    for summary, body in (("Muistutus", UNSEEN1), ("Palaute", UNSEEN2)):
        it = inbound(srv, cust, a1, body, summary=summary)
        expect(it["abusive"] is False, "the analysis does not see this one: %r" % it)
        correct(manager, it["id"], "abusive")
        got = manager.ok("/api/v1/interactions/%d" % it["id"])
        expect(got["abusive"] is True and "topics" not in json.dumps(got["analysis"]),
               "corrected to abusive: masked, no topics: %r" % got)
        ents = entries(it["id"])
        create = [e for e in ents if e["action"] == "create"]
        expect(create and create[0]["changes"]["body"][1] != body, "the create entry's words are masked: %r" % create)
        expect(all(not leaks(e) for e in ents), "no entry repeats the hidden words or their analysis: %r" %
               [(e["action"], leaks(e)) for e in ents])
        an = create[0]["changes"]["analysis"][1]["body"]
        expect(set(an) == {"lang", "sentiment", "abuse"} and "present" in an["abuse"],
               "the create entry's analysis is reduced as a read's: %r" % an)
        # the recipient's summary edit: the old words stay masked in the update entry
        r = admin.patch("/api/v1/interactions/%d" % it["id"], {"summary": "Palaute 2"})
        expect(r.status == 200, "edit the summary", r)
        ents = entries(it["id"])
        upd = [e for e in ents if e["action"] == "update"]
        expect(upd and upd[0]["changes"]["summary"][0] == "*" * len(summary)
               and upd[0]["changes"]["summary"][1] == "Palaute 2" and not leaks(upd[0]),
               "the update entry masks the old words as they were masked: %r" % upd)
        r = admin.delete("/api/v1/interactions/%d" % it["id"])
        expect(r.status == 204, "delete it", r)
        ents = entries(it["id"])
        dl = [e for e in ents if e["action"] == "delete"]
        # (the create entry's first summary, edited away before, is shown as the analysis reads
        # it now: the correction that judged it ended with it)
        expect(dl and dl[0]["changes"]["body"][0] == "*" * len(body) and all(not leaks(e, False) for e in ents)
               and all(body not in json.dumps(e["changes"], ensure_ascii=False) for e in ents),
               "once deleted its entries still mask its words and analysis: %r" % ents)
        shown = entries(it["id"], reveal=True)
        c2 = [e for e in shown if e["action"] == "create"][0]["changes"]
        expect(c2["body"][1] == body and "len" in c2["analysis"][1]["body"],
               "?reveal=1 shows the entry as stored: %r" % c2)
        dl2 = [e for e in shown if e["action"] == "delete"][0]["changes"]
        expect(dl2["body"][0] == body, "and the deleted words: %r" % dl2)


def test_a_correction_outlives_an_edit_of_another_text(srv):
    """A person's judgement of a text stands until that text changes: an edit of the summary
    alone keeps a correction of the body (both ways); an edit of the body analyses it afresh."""
    manager = srv.client("manager")
    a1, c1 = agent_with_client(srv, uniq("oma"))
    cust = new_customer(srv, "Muokattava Asiakas")

    def incidents(i):
        return [n for n in manager.ok("/api/v1/wellbeing/notifications?customer_id=%d" % cust)["items"]
                if n["interaction_id"] == i]

    # (a) corrected to abusive by a manager; the recipient edits the summary
    it = inbound(srv, cust, a1, UNSEEN1, summary="Muistutus")
    expect(it["abusive"] is False, "the analysis does not see this one")
    correct(manager, it["id"], "abusive")
    expect(len(incidents(it["id"])) == 1, "an incident")
    r = c1.patch("/api/v1/interactions/%d" % it["id"], {"channel": "web"})
    expect(r.status == 200 and r.json["abusive"] is True, "a channel edit keeps it", r)
    r = c1.patch("/api/v1/interactions/%d" % it["id"], {"summary": "Palaute 2"})
    expect(r.status == 200, "edit the summary", r)
    got = c1.ok("/api/v1/interactions/%d" % it["id"])
    expect(got["abusive"] is True and got["body"] == "*" * len(UNSEEN1) and got["summary"] == "Palaute 2",
           "the body's correction outlives the summary's edit: %r" % got)
    expect(len(incidents(it["id"])) == 1, "and its incident: %r" % incidents(it["id"]))
    full = manager.ok("/api/v1/interactions/%d?reveal=1" % it["id"])["analysis"]
    expect(full["corrected"]["label"] == "abusive" and full["corrected"]["fields"] == ["body"],
           "the correction now judges the body alone: %r" % full)
    # the judged text itself changed: analysed afresh
    r = c1.patch("/api/v1/interactions/%d" % it["id"], {"body": "Kiitos nopeasta avusta."})
    expect(r.status == 200 and r.json["abusive"] is False and "corrected" not in (r.json["analysis"] or {}),
           "a new body is analysed afresh", r)
    expect(incidents(it["id"]) == [], "and its incident is withdrawn")

    # (b) corrected to not abusive by the recipient; they edit the summary
    it = inbound(srv, cust, a1, "Olet täysi idiootti.")
    expect(it["abusive"] is True and len(incidents(it["id"])) == 1, "masked and an incident")
    correct(c1, it["id"], "not_abusive")
    r = c1.patch("/api/v1/interactions/%d" % it["id"], {"summary": "Palaute 2"})
    expect(r.status == 200, "edit the summary", r)
    got = c1.ok("/api/v1/interactions/%d" % it["id"])
    expect(got["abusive"] is False and got["body"] == "Olet täysi idiootti.",
           "the body's not_abusive outlives the summary's edit: %r" % got)
    expect(incidents(it["id"]) == [], "and no new incident: %r" % incidents(it["id"]))
    # an abusive new summary is analysed as written, the judged body stays judged
    r = c1.patch("/api/v1/interactions/%d" % it["id"], {"summary": "Senkin idiootti"})
    got = c1.ok("/api/v1/interactions/%d" % it["id"])
    expect(r.status == 200 and got["abusive"] is True and "idiootti" not in got["summary"]
           and got["body"] == "Olet täysi idiootti.", "a new abusive summary is masked, the body not: %r" % got)


def test_abuse_labels_are_the_recipients_or_a_managers(srv):
    """Labelling a message abusive makes an incident in its recipient's exposure and counts
    towards the customer's flag, as not_abusive takes protection away: both are the
    recipient's or a manager's to give; another agent gets a 403 and changes nothing."""
    manager = srv.client("manager")
    a1, c1 = agent_with_client(srv, uniq("t1"))
    a2, c2 = agent_with_client(srv, uniq("t2"))
    cust = new_customer(srv, "Ystävällinen Asiakas")
    msgs = [inbound(srv, cust, a1, "Kiitos avusta, hyvää päivänjatkoa %d!" % k) for k in range(3)]
    for m in msgs:
        r = correct(c2, m["id"], "abusive", status=403)
        expect(problem_ok(r, 403) and "manager" in r.json.get("detail", ""), "a clear 403 problem", r)
    expect(manager.ok("/api/v1/wellbeing/notifications?customer_id=%d" % cust)["items"] == [],
           "no incident was made")
    ex = manager.ok("/api/v1/wellbeing/exposure?staff_id=%d" % a1)
    expect(ex["total"] == 0, "a1's exposure is untouched: %r" % ex)
    expect("abusive" not in (manager.ok("/api/v1/customers/%d" % cust).get("flags") or []), "no flag")
    expect(all(c2.ok("/api/v1/interactions/%d" % m["id"])["abusive"] is False for m in msgs), "nothing masked")
    r = c2.post("/api/v1/text/corrections", {"interaction_id": msgs[0]["id"], "kind": "sentiment",
                                              "label": "negative"})
    expect(r.status == 201, "a sentiment correction stays open to any agent", r)
    # the recipient and a manager may
    correct(c1, msgs[0]["id"], "abusive")
    correct(manager, msgs[1]["id"], "abusive")
    expect(len(manager.ok("/api/v1/wellbeing/notifications?customer_id=%d" % cust)["items"]) == 2,
           "their labels make incidents")


def test_an_edit_of_revealed_text_with_asterisks(srv):
    """The echo check compares with the masked rendering, not with any '**': an original text
    with asterisks of its own can be edited from its revealed form, and replaced whole; a
    masked form sent back changed is still refused."""
    admin = srv.admin()
    a1 = new_agent(srv, uniq("tahti"))
    cust = new_customer(srv, "Tähtien Asiakas")
    for text, edited in (("**Tärkeää**: olet täysi idiootti, palauttakaa rahat.",
                          "**Tärkeää**: olet täysi idiootti, palauttakaa rahani."),
                         ("You're an a**hole.", "You're an a**hole!!")):
        it = inbound(srv, cust, a1, text)
        expect(it["abusive"] is True, "abusive: %r" % it)
        masked = admin.ok("/api/v1/interactions/%d" % it["id"])["body"]
        expect(masked != text, "masked: %r" % masked)
        # an echo of the masked form, changed elsewhere: refused
        r = admin.patch("/api/v1/interactions/%d" % it["id"], {"body": masked + " Kiitos."})
        expect(r.status == 422 and "masked" in json.dumps(r.json), "an edited echo of the mask is refused", r)
        revealed = admin.ok("/api/v1/interactions/%d?reveal=1" % it["id"])["body"]
        expect(revealed == text, "revealed")
        r = admin.patch("/api/v1/interactions/%d" % it["id"], {"body": edited})
        expect(r.status == 200, "an edit of the revealed text is taken: %r" % edited, r)
        expect(admin.ok("/api/v1/interactions/%d?reveal=1" % it["id"])["body"] == edited, "stored as edited")
        r = admin.patch("/api/v1/interactions/%d" % it["id"], {"body": "**Huom**: asiakas pyysi soittoa."})
        expect(r.status == 200 and r.json["body"] == "**Huom**: asiakas pyysi soittoa.",
               "a text replaced whole is taken, asterisks and all", r)


def test_a_free_text_judged_not_abusive_is_listed_as_judged(srv):
    """A free text a manager judged not abusive is listed as judged (an agent's judgement
    stays masked: their word unmasks only what reached them)."""
    manager = srv.client("manager")
    tag = uniq(" t")
    r = manager.post("/api/v1/text/corrections", {"text": "Sinä idiootti." + tag, "kind": "abuse",
                                                   "label": "not_abusive"})
    expect(r.status == 201, "a manager's free-text not_abusive", r)
    mine = [c for c in manager.list_all("/api/v1/text/corrections") if c["id"] == r.json["id"]]
    expect(mine and mine[0]["text"] == "Sinä idiootti." + tag, "listed as judged: %r" % mine)
    r = srv.client("agent").post("/api/v1/text/corrections", {"text": "Sinä idiootti." + tag, "kind": "abuse",
                                                              "label": "not_abusive"})
    theirs = [c for c in manager.list_all("/api/v1/text/corrections") if c["id"] == r.json["id"]]
    expect(theirs and "idiootti" not in theirs[0]["text"], "an agent's is listed masked: %r" % theirs)



def test_exposure_counts_messages_to_no_one_as_unassigned(srv):
    """An incident addressed to no staff member is counted under "unassigned" and in the
    total, not as a staff member or a team null."""
    manager = srv.client("manager")
    cust = new_customer(srv, "Osoitteeton Asiakas")
    before = manager.ok("/api/v1/wellbeing/exposure?period=month")
    it = srv.admin().create("/api/v1/customers/%d/interactions" % cust,
                            {"kind": "email", "direction": "inbound", "staff_id": None, "body": FI_ABUSE})
    expect(it["abusive"] is True and it["staff_id"] is None, "an abusive message to no one")
    ex = manager.ok("/api/v1/wellbeing/exposure?period=month")
    expect(all(s["staff_id"] is not None for s in ex["staff"]), "no staff member null: %r" % ex["staff"])
    expect(ex["unassigned"]["total"] == before["unassigned"]["total"] + 1 and ex["total"] == before["total"] + 1
           and ex["total"] == sum(s["total"] for s in ex["staff"]) + ex["unassigned"]["total"],
           "counted under unassigned and in the total: %r" % ex)


def test_staff_texts_quoting_abuse_are_masked(srv):
    """A staff member's reply that quotes the customer, and a note that repeats what the customer
    said, are masked wherever shown as the customer's own message is (read, timeline, lists,
    search, audit; ?reveal=1 audited), and make no incident, exposure or flag; an edit that sends
    the masked text back keeps the original."""
    admin, manager, agent = srv.admin(), srv.client("manager"), srv.client("agent")
    team = uniq("lainaus")
    staff = new_agent(srv, team)
    tag = uniq("q")
    cust = new_customer(srv, "Lainattu Asiakas " + tag)
    org = admin.create("/api/v1/organizations", {"name": "Lainaus Oy " + tag})["id"]
    before = admin.ok("/api/v1/customers/%d" % cust)
    ex0 = manager.ok("/api/v1/wellbeing/exposure?staff_id=%d" % staff)["total"]

    reply_body = "Hei, pahoittelemme.\n\n> Olet saatanan kusipää."
    reply = admin.create("/api/v1/customers/%d/interactions" % cust,
                         {"kind": "email", "direction": "outbound", "staff_id": staff,
                          "summary": "Vastaus " + tag, "body": reply_body})
    note_body = "Asiakas soitti ja sanoi: olet saatanan kusipää. " + tag
    note = admin.create("/api/v1/customers/%d/notes" % cust, {"body": note_body})
    onote = admin.create("/api/v1/organizations/%d/notes" % org, {"body": "Soittaja sanoi: senkin kusipää " + tag})

    def hidden(text):
        return text is not None and "kusip" not in text and "saatana" not in text and "*" in text

    def reduced(an):
        b = (an or {}).get("body") or {}
        return b.get("abuse", {}).get("flagged") is True and "spans" not in b.get("abuse", {}) and "len" not in b

    for what, rec in (("the reply", reply), ("the note", note), ("the organisation's note", onote)):
        expect(rec.get("abusive") is True and hidden(rec.get("body")) and reduced(rec.get("analysis")),
               "%s is answered masked, its analysis reduced: %r" % (what, rec))
    expect(reply["body"].startswith("Hei, pahoittelemme.") and note["body"].startswith("Asiakas soitti ja sanoi: "),
           "only the abusive words are masked: %r / %r" % (reply["body"], note["body"]))

    # every read masks them: GET, the timeline, the lists
    expect(hidden(agent.ok("/api/v1/interactions/%d" % reply["id"])["body"]), "GET masks the reply")
    tl = [i for i in agent.ok("/api/v1/customers/%d/timeline" % cust)["items"] if i["id"] == reply["id"]]
    expect(tl and hidden(tl[0]["body"]), "the timeline masks the reply: %r" % tl)
    lst = [i for i in agent.ok("/api/v1/interactions?customer_id=%d" % cust)["items"] if i["id"] == reply["id"]]
    expect(lst and hidden(lst[0]["body"]), "the list masks the reply: %r" % lst)
    got = agent.ok("/api/v1/notes/%d" % note["id"])
    expect(hidden(got["body"]) and reduced(got["analysis"]), "GET masks the note: %r" % got)
    notes = agent.ok("/api/v1/customers/%d/notes" % cust)["items"]
    expect(notes and all(hidden(n["body"]) for n in notes), "the customer's notes are listed masked: %r" % notes)
    onotes = agent.ok("/api/v1/organizations/%d/notes" % org)["items"]
    expect(onotes and hidden(onotes[0]["body"]), "the organisation's notes are listed masked: %r" % onotes)

    # search neither finds them by the hidden word (that would confirm it) nor shows it
    for q in ("kusipää", "kusipää " + tag, "saatanan"):
        hits = agent.ok("/api/v1/search?q=" + urllib.parse.quote(q))["items"]
        ours = [h for h in hits if (h["type"], h["id"]) in
                (("interaction", reply["id"]), ("note", note["id"]), ("note", onote["id"]))]
        expect(not ours, "search %r does not confirm the hidden word: %r" % (q, ours))
    for q, typ, rid in (("pahoittelemme " + tag, "interaction", reply["id"]), ("soitti " + tag, "note", note["id"]),
                        ("Soittaja " + tag, "note", onote["id"])):
        hits = [h for h in agent.ok("/api/v1/search?q=" + urllib.parse.quote(q))["items"]
                if h["type"] == typ and h["id"] == rid]
        expect(hits and "kusip" not in (hits[0]["snippet"] or "") + (hits[0]["title"] or "")
               and "*" in (hits[0]["snippet"] or ""),
               "search %r finds the %s by what staff see, masked: %r" % (q, typ, hits))

    # the audit log masks their words; ?reveal=1 there shows them, audited
    for ent, rid in (("interaction", reply["id"]), ("note", note["id"])):
        creates = admin.ok("/api/v1/audit?entity=%s&entity_id=%d&action=create" % (ent, rid))["items"]
        expect(creates and "kusip" not in json.dumps(creates, ensure_ascii=False),
               "the %s's create entry is masked: %r" % (ent, creates))
    shown = manager.ok("/api/v1/audit?entity=note&entity_id=%d&action=create&reveal=1" % note["id"])["items"]
    expect(shown and shown[0]["changes"]["body"][1] == note_body, "the audit's reveal shows the note: %r" % shown)
    revealed = admin.ok("/api/v1/audit?entity=audit&entity_id=%d&action=reveal" % shown[0]["id"])["items"]
    expect(revealed and revealed[0]["changes"] == {"note_id": note["id"]}, "and is audited: %r" % revealed)

    # ?reveal=1 shows the original, and is audited
    r = agent.get("/api/v1/interactions/%d?reveal=1" % reply["id"])
    expect(r.status == 200 and r.json["body"] == reply_body, "?reveal=1 shows the reply as written", r)
    r = agent.get("/api/v1/notes/%d?reveal=1" % note["id"])
    expect(r.status == 200 and r.json["body"] == note_body and r.header("ETag") is None,
           "?reveal=1 shows the note as written, without an ETag", r)
    r = agent.get("/api/v1/notes/%d?reveal=yes" % note["id"])
    expect(r.status == 400 and problem_ok(r, 400), "reveal=yes: 400", r)
    for ent, rid in (("interaction", reply["id"]), ("note", note["id"])):
        audit = admin.ok("/api/v1/audit?entity=%s&entity_id=%d&action=reveal" % (ent, rid))["items"]
        expect(len(audit) == 1 and audit[0]["actor_id"] == srv.staff_id("agent"),
               "the %s's reveal is audited with who revealed it: %r" % (ent, audit))

    # staff wrote them: no incident, no exposure, no flag, no routing
    ns = manager.ok("/api/v1/wellbeing/notifications?customer_id=%d" % cust)["items"]
    expect(ns == [], "no incident for a staff-authored text: %r" % ns)
    ex1 = manager.ok("/api/v1/wellbeing/exposure?staff_id=%d" % staff)["total"]
    expect(ex1 == ex0, "no exposure counted: %r -> %r" % (ex0, ex1))
    after = admin.ok("/api/v1/customers/%d" % cust)
    expect(after.get("flags") == before.get("flags") and "routed_to_team" not in after,
           "the customer is not flagged: %r" % after)
    expect((reply.get("analysis") or {}).get("routed_to_team") is None, "the reply is routed nowhere")

    # an edit that sends the masked text back keeps the original words
    shown_note = agent.ok("/api/v1/notes/%d" % note["id"])
    r = admin.request("PATCH", "/api/v1/notes/%d" % note["id"], {"body": shown_note["body"]})
    expect(r.status == 200 and hidden(r.json["body"]), "the masked note sent back: 200, still masked", r)
    expect(admin.ok("/api/v1/notes/%d?reveal=1" % note["id"])["body"] == note_body, "the note keeps its words")
    r = admin.request("PATCH", "/api/v1/notes/%d" % note["id"], {"body": shown_note["body"] + " Lisäys."})
    expect(r.status == 422 and problem_ok(r, 422), "an edit of the masked note's text is refused", r)
    shown_reply = agent.ok("/api/v1/interactions/%d" % reply["id"])
    r = admin.request("PATCH", "/api/v1/interactions/%d" % reply["id"],
                      {"body": shown_reply["body"], "summary": shown_reply["summary"], "channel": "sähköposti"})
    expect(r.status == 200 and r.json["channel"] == "sähköposti" and hidden(r.json["body"]),
           "the reply sent back masked with another change: 200", r)
    expect(admin.ok("/api/v1/interactions/%d?reveal=1" % reply["id"])["body"] == reply_body,
           "the reply keeps its words")
    ups = admin.ok("/api/v1/audit?entity=interaction&entity_id=%d&action=update" % reply["id"])["items"]
    expect(ups and "body" not in ups[0]["changes"] and "channel" in ups[0]["changes"],
           "the edit changed the channel only: %r" % ups)
    # edited clean, a note is shown as written
    r = admin.request("PATCH", "/api/v1/notes/%d" % note["id"], {"body": "Asiakas soitti laskusta " + tag})
    expect(r.status == 200 and r.json["abusive"] is False and r.json["body"] == "Asiakas soitti laskusta " + tag,
           "a note edited clean is shown as written", r)
    ups = admin.ok("/api/v1/audit?entity=note&entity_id=%d&action=update" % note["id"])["items"]
    expect(ups and "kusip" not in json.dumps(ups, ensure_ascii=False), "its update entry masks the old words: %r" % ups)
    # deleted, its entry still masks the words it had
    admin.request("DELETE", "/api/v1/notes/%d" % onote["id"])
    dels = admin.ok("/api/v1/audit?entity=note&entity_id=%d&action=delete" % onote["id"])["items"]
    expect(dels and "kusip" not in json.dumps(dels, ensure_ascii=False), "the delete entry is masked: %r" % dels)
    expect(manager.ok("/api/v1/wellbeing/notifications?customer_id=%d" % cust)["items"] == [], "still no incident")
