"""Sign-in, sessions, CSRF, tokens, rate limiting, and the audit of sign-in attempts."""

import http.client
import json
import re
import secrets
import time

import harness
from harness import ADMIN_EMAIL, Client, expect, problem_ok, raw_request


def _signin_raw(srv, email, password):
    return raw_request(srv.port, "POST", "/api/v1/session",
                       json.dumps({"email": email, "password": password}).encode(),
                       {"Content-Type": "application/json"})


def _new_staff(srv, role="agent", password="Vahva-Salasana-99"):
    email = "auth-%s@kumppani.test" % secrets.token_hex(4)
    r = srv.session("admin").post("/api/v1/staff", {"email": email, "name": "Auth Testaaja",
                                                    "role": role, "password": password})
    expect(r.status == 201, "create staff %s" % email, r)
    return email, password, r.json


def test_signin_wrong_password_401(srv):
    email, pw, _ = _new_staff(srv)
    r = _signin_raw(srv, email, pw + "x")
    expect(r.status == 401 and problem_ok(r), "wrong password: expected 401 problem", r)
    expect(not any(h.strip().startswith("kp_session=") and "max-age=0" not in h.lower()
                   for h in r.header_all("set-cookie")), "wrong password must not set a session cookie", r)
    r = _signin_raw(srv, "nobody-%s@kumppani.test" % secrets.token_hex(3), pw)
    expect(r.status == 401 and problem_ok(r), "unknown e-mail: expected 401 problem", r)
    r, c = srv.sign_in(email.upper(), pw)
    expect(c is not None, "sign-in with the e-mail in upper case should work", r)
    me = c.get("/api/v1/session")
    expect(me.status == 200 and json.dumps(me.json).find(email) >= 0, "GET /api/v1/session names the staff", me)


def test_signin_rate_limit(srv):
    email, pw, _ = _new_staff(srv)
    statuses = []
    last = None
    for _ in range(12):
        last = _signin_raw(srv, email, "wrong-password-123")
        statuses.append(last.status)
        if last.status == 429:
            break
    expect(429 in statuses, "12 failed sign-ins never gave 429: %s" % statuses, last)
    expect(all(s == 401 for s in statuses[:-1]) and len(statuses) >= 3,
           "before 429 every failure should be 401: %s" % statuses, last)
    ra = last.header("retry-after")
    expect(ra is not None and ra.strip().isdigit() and int(ra) > 0, "429 without a Retry-After in seconds", last)
    expect(problem_ok(last, 429), "429 must be a problem+json", last)
    r = _signin_raw(srv, email, pw)
    expect(r.status == 429, "while limited, even the right password gets 429", r)
    # another e-mail from the same address still signs in
    email2, pw2, _ = _new_staff(srv)
    r = _signin_raw(srv, email2, pw2)
    expect(r.status == 200, "another e-mail must still sign in while the first is limited", r)
    # the limiter is not an account lock: the account itself stays active
    st = srv.admin().get("/api/v1/staff?limit=200")
    expect(st.status == 200, "list staff", st)
    acct = [s for s in st.json.get("items", []) if s.get("email") == email]
    expect(acct and acct[0].get("active") is not False, "rate limiting must not deactivate the account", st)


def test_signin_attempts_audited(srv):
    email, pw, _ = _new_staff(srv)
    tag = "it-signin-" + secrets.token_hex(4)
    raw_request(srv.port, "POST", "/api/v1/session",
                json.dumps({"email": email, "password": "nope-nope-nope"}).encode(),
                {"Content-Type": "application/json", "X-Request-Id": tag + "-bad"})
    raw_request(srv.port, "POST", "/api/v1/session",
                json.dumps({"email": email, "password": pw}).encode(),
                {"Content-Type": "application/json", "X-Request-Id": tag + "-good"})
    mgr = srv.client("manager")
    r = mgr.get("/api/v1/audit?limit=200")
    expect(r.status == 200 and isinstance(r.json, dict), "GET /api/v1/audit as manager", r)
    items = r.json.get("items", [])
    text = {e.get("request_id"): e for e in items}
    bad, good = text.get(tag + "-bad"), text.get(tag + "-good")
    expect(bad is not None and bad.get("action") == "signin_failed" and email in json.dumps(bad),
           "failed sign-in not audited as signin_failed with the e-mail (request id %s-bad)" % tag, r)
    expect(good is not None and good.get("action") == "signin", "sign-in not audited (request id %s-good)" % tag, r)
    expect(pw not in r.body.decode("utf-8", "replace") and "nope-nope-nope" not in r.body.decode("utf-8", "replace"),
           "the audit log must never contain passwords", r)


def test_logout_ends_session(srv):
    email, pw, _ = _new_staff(srv)
    r, c = srv.sign_in(email, pw)
    expect(c is not None, "sign in", r)
    expect(c.get("/api/v1/customers").status == 200, "session works before logout")
    r = c.delete("/api/v1/session")
    expect(r.status in (200, 204), "DELETE /api/v1/session: expected 204", r)
    r = c.get("/api/v1/customers")
    expect(r.status == 401 and problem_ok(r), "after logout the cookie must give 401", r)


def test_password_change_ends_other_sessions(srv):
    email, pw, _ = _new_staff(srv)
    _, a = srv.sign_in(email, pw)
    _, b = srv.sign_in(email, pw)
    expect(a is not None and b is not None, "two sessions")
    new = "Uusi-Salasana-2026"
    r = a.post("/api/v1/session/password", {"current_password": "wrong-current-pw", "new_password": new})
    expect(r.status in (401, 403, 422), "password change with a wrong current password must fail", r)
    r = a.post("/api/v1/session/password", {"current_password": pw, "new_password": "short"})
    expect(r.status == 422 and problem_ok(r), "a 5-character new password must be 422", r)
    r = a.post("/api/v1/session/password", {"current_password": pw, "new_password": new})
    expect(r.status in (200, 204), "password change: expected 204", r)
    expect(a.get("/api/v1/customers").status == 200, "the session that changed the password stays")
    r = b.get("/api/v1/customers")
    expect(r.status == 401, "the other session must end on password change", r)
    expect(_signin_raw(srv, email, pw).status == 401, "the old password must not work")
    expect(_signin_raw(srv, email, new).status == 200, "the new password must work")


def test_csrf_required_for_cookie_writes(srv):
    email, pw, _ = _new_staff(srv)
    _, c = srv.sign_in(email, pw)
    body = {"name": "Csrf Testi"}
    r = c.post("/api/v1/customers", body, csrf=False)
    expect(r.status == 403 and problem_ok(r), "cookie POST without X-CSRF-Token: expected 403", r)
    r = c.post("/api/v1/customers", body, headers={"X-CSRF-Token": "x" + (c.csrf or "")})
    expect(r.status == 403, "cookie POST with a wrong X-CSRF-Token: expected 403", r)
    r = c.post("/api/v1/customers", body)
    expect(r.status == 201, "cookie POST with the CSRF token: expected 201", r)
    cid = r.json["id"]
    r = c.patch("/api/v1/customers/%d" % cid, {"name": "Csrf Testi 2"}, csrf=False)
    expect(r.status == 403, "cookie PATCH without CSRF: expected 403", r)
    r = c.delete("/api/v1/session", csrf=False)
    expect(r.status == 403, "cookie DELETE without CSRF: expected 403", r)
    r = c.get("/api/v1/customers/%d" % cid)
    expect(r.status == 200 and r.json.get("name") == "Csrf Testi", "GET needs no CSRF; nothing changed", r)


def test_bearer_tokens(srv):
    email, pw, _ = _new_staff(srv)
    _, c = srv.sign_in(email, pw)
    r = c.post("/api/v1/tokens", {"name": "integraatio"})
    expect(r.status == 201 and r.json.get("token"), "create token", r)
    tok, tid = r.json["token"], r.json.get("id")
    t = Client(srv, token=tok, label="token")
    r = t.post("/api/v1/customers", {"name": "Token Asiakas"})
    expect(r.status == 201, "bearer POST needs no CSRF: expected 201", r)
    r = c.get("/api/v1/tokens")
    expect(r.status == 200 and tok not in r.body.decode(), "token list must not show the secret", r)
    expect(any(i.get("id") == tid for i in r.json.get("items", [])), "token list shows the token", r)
    r = Client(srv, token=tok + "x").get("/api/v1/customers")
    expect(r.status == 401 and problem_ok(r), "a wrong token: expected 401", r)
    expect((r.header("www-authenticate") or "").lower().startswith("bearer"), "401 should carry WWW-Authenticate: Bearer", r)
    r = c.delete("/api/v1/tokens/%d" % tid)
    expect(r.status in (200, 204), "revoke token", r)
    r = t.get("/api/v1/customers")
    expect(r.status == 401, "a revoked token: expected 401", r)
    r = Client(srv, token="").get("/api/v1/customers", headers={"Authorization": "Basic Zm9vOmJhcg=="})
    expect(r.status == 401, "Basic auth is not accepted", r)


def test_deactivated_staff_loses_access(srv):
    email, pw, st = _new_staff(srv)
    _, c = srv.sign_in(email, pw)
    r = c.post("/api/v1/tokens", {"name": "x"})
    expect(r.status == 201, "token", r)
    t = Client(srv, token=r.json["token"])
    r = srv.admin().patch("/api/v1/staff/%d" % st["id"], {"active": False})
    expect(r.status == 200, "deactivate staff", r)
    expect(c.get("/api/v1/customers").status == 401, "a deactivated member's session must end")
    expect(t.get("/api/v1/customers").status == 401, "a deactivated member's token must stop working")
    expect(_signin_raw(srv, email, pw).status in (401, 403), "a deactivated member cannot sign in")


def test_signin_edges_from_an_audit(srv):
    """An e-mail that grows when lower-cased is refused as too long (401s and audits stay
    valid); a flood of refused sign-ins is audited once per block; a successful sign-in is
    audited with the remote address; a request method that is no token is a 400."""
    mgr = srv.client("manager")
    # 253 bytes as sent, 377 lower-cased: too long (422), not a 500 and not a broken audit row
    crafted = "a@" + ".".join(["\u023a" * 31] * 4)
    r = _signin_raw(srv, crafted, "whatever123")
    expect(r.status == 422 and problem_ok(r, 422), "an e-mail too long once lower-cased: 422", r)
    # the first refusal of a block is audited, the rest are not (from an address of its own:
    # the other tests' failures come from 127.0.0.1)
    email, pw, _ = _new_staff(srv)
    tag = "it-flood-" + secrets.token_hex(4)
    source = ("127.0.%d.%d" % (secrets.randbelow(200) + 20, secrets.randbelow(250) + 2), 0)
    statuses = []
    for i in range(15):
        conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10, source_address=source)
        try:
            conn.request("POST", "/api/v1/session",
                         json.dumps({"email": email, "password": "wrong-password-123"}).encode(),
                         {"Content-Type": "application/json", "X-Request-Id": "%s-%02d" % (tag, i)})
            resp = conn.getresponse()
            resp.read()
            statuses.append(resp.status)
        finally:
            conn.close()
    expect(statuses.count(429) >= 5, "the flood is refused: %s" % statuses)
    items = mgr.list_all("/api/v1/audit?action=signin_failed", limit=200, max_pages=20)
    limited = [e for e in items if (e.get("request_id") or "").startswith(tag)
               and "rate_limited" in json.dumps(e.get("changes"))]
    expect(len(limited) == 1, "one audit row for the refused block, got %d" % len(limited))
    # a successful sign-in records the remote address, as a failed one does
    email2, pw2, _ = _new_staff(srv)
    r = raw_request(srv.port, "POST", "/api/v1/session", json.dumps({"email": email2, "password": pw2}).encode(),
                    {"Content-Type": "application/json", "X-Request-Id": tag + "-ok"})
    expect(r.status == 200, "sign in", r)
    ok = [e for e in mgr.list_all("/api/v1/audit?action=signin", limit=200, max_pages=20)
          if e.get("request_id") == tag + "-ok"]
    expect(ok and "remote_addr" in (ok[0].get("changes") or {}), "the sign-in audit names the address: %r" % ok)
    r = raw_request(srv.port, 'GE"T', "/healthz", None, {})
    expect(r.status == 400, "a method that is no token: 400", r)
    # the password's length at sign-in: empty is missing, over 1,000 characters (not bytes)
    # is a 422 that says so, 1,000 four-byte characters are an attempt
    r = _signin_raw(srv, email2, "")
    expect(r.status == 422 and "required" in json.dumps(r.json), "an empty password: 422 'is required'", r)
    r = _signin_raw(srv, email2, "x" * 1001)
    expect(r.status == 422 and "at most 1000" in json.dumps(r.json), "1,001 characters: 422 'at most 1000'", r)
    r = _signin_raw(srv, email2, "\U0001F600" * 1000)
    expect(r.status == 401, "1,000 four-byte characters are a wrong password: 401", r)
    # a token's name of white space alone names nothing, as a staff name
    r = srv.admin().post("/api/v1/tokens", {"name": " \u00a0 "})
    expect(r.status == 422 and "blank" in json.dumps(r.json), "a blank token name: 422", r)


def test_unknown_stored_role_grants_nothing(_shared):
    """A staff row whose role this program does not know (a hand-edited database or backup)
    grants nothing: roles are compared by rank, and 9 used to outrank admin while the API
    showed the member's role as "none"; on SQLite 4294967299, '3x' and 3.5 were read as 3."""
    import os
    import sqlite3
    import subprocess
    import harness
    from harness import Server
    srv = Server().start()
    try:
        email, pw, st = _new_staff(srv)
        _, c = srv.sign_in(email, pw)
        t = Client(srv, token=c.post("/api/v1/tokens", {"name": "x"}).json["token"])
        expect(t.get("/api/v1/customers").status == 200, "an agent lists customers")
        values = ["9"] + (["4294967299", "'3x'", "3.5"] if srv.db_url.startswith("sqlite:") else [])
        for v in values:
            srv.stop(keep=True)
            q = "UPDATE staff SET role = %s WHERE id = %d" % (v, st["id"])
            if srv.db_url.startswith("sqlite:"):
                con = sqlite3.connect(srv.db_url[len("sqlite:"):])
                con.execute(q)
                con.commit()
                con.close()
            else:
                psql = harness._psql()
                if not psql:
                    return
                p = subprocess.run([psql, "-At", "-v", "ON_ERROR_STOP=1", srv.db_url, "-c", q], capture_output=True,
                                   text=True, timeout=60, env=dict(os.environ))
                expect(p.returncode == 0, "psql: %s" % p.stderr)
            srv.start()
            for path in ("/api/v1/customers", "/api/v1/staff", "/api/v1/audit"):
                r = t.get(path)
                expect(r.status == 403 and problem_ok(r), "role %s reads %s: 403, got %d" % (v, path, r.status), r)
            r = t.post("/api/v1/staff", {"email": "x9@kumppani.test", "name": "X", "role": "admin",
                                         "password": "Vahva-Salasana-99"})
            expect(r.status == 403, "role %s creates no staff: 403, got %d" % (v, r.status), r)
    finally:
        srv.stop()


def test_signin_rate_limit_holds_under_parallel_attempts(_shared):
    """Attempts that arrive together: each is counted as it starts, so no more than the
    limit's five wrong passwords are checked however many arrive at once (a blind audit got
    six through with 100 in parallel, and 40 through from 40 addresses)."""
    import threading
    from harness import Server
    srv = Server(threads=2).start()
    try:
        email, pw, _ = _new_staff(srv)
        statuses = []
        lock = threading.Lock()

        def attempt():
            r = _signin_raw(srv, email, "wrong-password-123")
            with lock:
                statuses.append(r.status)
        threads = [threading.Thread(target=attempt) for _ in range(40)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        expect(sorted(set(statuses)) == [401, 429] and statuses.count(401) == 5,
               "40 parallel wrong passwords: 5 x 401, the rest 429: %s" % sorted(statuses))
        # a success does not count against its address: another member signs in 10 times
        email2, pw2, _ = _new_staff(srv)
        for i in range(10):
            r = _signin_raw(srv, email2, pw2)
            expect(r.status == 200, "sign-in %d of another member: 200" % i, r)
    finally:
        srv.stop()


def test_the_printed_first_password_is_one_time(_shared):
    """Without KUMPPANI_ADMIN_PASSWORD the first start prints a one-time password: signed in
    with it, only the session itself and the password change are open until it is changed."""
    from harness import Server
    srv = Server(extra_env={"KUMPPANI_ADMIN_PASSWORD": ""}).start()
    try:
        deadline = time.time() + 10
        pw = None
        while pw is None and time.time() < deadline:
            for line in srv.stdout_lines:
                m = re.search(r"password: (\S+)", line)
                if m:
                    pw = m.group(1)
            time.sleep(0.05)
        expect(pw is not None and len(pw) >= 16, "a generated password is printed: %r" % srv.stdout_lines)
        r, c = srv.sign_in(ADMIN_EMAIL, pw)
        expect(c is not None and r.json["staff"]["must_change_password"] is True,
               "sign in with it: the staff record says it must be changed", r)
        for method, path, body in (("GET", "/api/v1/customers", None), ("POST", "/api/v1/customers", {"name": "X"}),
                                   ("GET", "/api/v1/staff", None), ("POST", "/api/v1/tokens", {"name": "t"})):
            r = c.request(method, path, body)
            expect(r.status == 403 and problem_ok(r) and "one-time password" in r.json["detail"],
                   "%s %s before the change: 403 saying why" % (method, path), r)
        r = c.get("/api/v1/session")
        expect(r.status == 200 and r.json["staff"]["must_change_password"] is True, "the session reads itself", r)
        r = c.post("/api/v1/session/password", {"current_password": pw, "new_password": pw})
        expect(r.status == 422 and r.json["errors"][0]["field"] == "new_password",
               "'changed' to itself: 422 (the printed password would stay known and open)", r)
        expect(c.get("/api/v1/customers").status == 403, "and still one-time")
        new = "Oma-Uusi-Salasana-2026"
        r = c.post("/api/v1/session/password", {"current_password": pw, "new_password": new})
        expect(r.status == 204, "the change is open", r)
        r = c.get("/api/v1/customers")
        expect(r.status == 200, "after the change the session may do what an admin does", r)
        expect(c.get("/api/v1/session").json["staff"]["must_change_password"] is False, "and says so")
        expect(_signin_raw(srv, ADMIN_EMAIL, pw).status == 401, "the printed password no longer signs in")
    finally:
        srv.stop()
    # a password the operator chose (KUMPPANI_ADMIN_PASSWORD) is no one-time password
    s2 = Server().start()
    try:
        r, c = s2.sign_in(ADMIN_EMAIL, harness.ADMIN_PASSWORD)
        expect(c is not None and r.json["staff"]["must_change_password"] is False
               and c.get("/api/v1/customers").status == 200, "a chosen admin password works at once", r)
    finally:
        s2.stop()


def test_two_password_changes_at_once(srv):
    """Two sessions change the password at the same moment with the same current one: one
    change is made; the other is refused (its current password is no longer current, or its
    session was ended by the first), never told it succeeded."""
    import threading
    for _ in range(3):
        email, pw, _ = _new_staff(srv)
        _, a = srv.sign_in(email, pw)
        _, b = srv.sign_in(email, pw)
        got = {}
        gate = threading.Barrier(2)

        def change(name, c, new):
            gate.wait()
            got[name] = c.post("/api/v1/session/password", {"current_password": pw, "new_password": new})

        ts = [threading.Thread(target=change, args=("a", a, "Ensimmainen-Uusi-1")),
              threading.Thread(target=change, args=("b", b, "Toinen-Uusi-2222"))]
        for t in ts:
            t.start()
        for t in ts:
            t.join(60)
        statuses = sorted(r.status for r in got.values())
        expect(statuses[0] == 204 and statuses[1] in (401, 422), "one change made, one refused: %r" % statuses)
        winner = "Ensimmainen-Uusi-1" if got["a"].status == 204 else "Toinen-Uusi-2222"
        expect(_signin_raw(srv, email, winner).status == 200, "the made change holds")
