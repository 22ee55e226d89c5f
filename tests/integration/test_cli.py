"""The `kumppani` command line: help, usage errors, migrate, staff add, token create, backup
while serving, demo data."""

import json
import time
import os
import re
import sqlite3
import subprocess
import tempfile
import urllib.parse
from json import dumps as json_dumps
from json import loads as json_loads

import harness
from harness import ADMIN_EMAIL, BIN, REPO, Client, Server, Soft, expect


def _run(args, input=None, env=None, timeout=120, cwd=None):
    e = dict(os.environ)
    for k in ("KUMPPANI_DB", "KUMPPANI_LISTEN", "KUMPPANI_THREADS"):
        e.pop(k, None)
    e.update(env or {})
    return subprocess.run([BIN] + list(args), input=input, capture_output=True, text=True,
                          timeout=timeout, env=e, cwd=cwd)


def _listening_line(proc):
    """The first stderr line of a starting `serve` that says where it listens (or the last
    line read when it stopped first)."""
    line = ""
    for _ in range(200):
        line = proc.stderr.readline().decode("utf-8", "replace")
        if "listening on" in line or not line:
            break
    return line


def _commands():
    text = open(os.path.join(REPO, "src", "cli", "commands.c"), encoding="utf-8").read()
    return re.findall(r'^\s*\{\s*"([a-z]+)",\s*cmd_\w+', text, re.M)


def _desc(p):
    return "exit %s\n    stdout: %s\n    stderr: %s" % (p.returncode, p.stdout[-600:], p.stderr[-600:])


def test_help_and_usage_errors(_shared):
    s = Soft()
    p = _run(["--help"])
    cmds = _commands()
    s.check(p.returncode == 0 and all(c in p.stdout for c in cmds), "kumppani --help: exit 0 naming every command\n" + _desc(p))
    for c in cmds:
        p = _run([c, "--help"])
        s.check(p.returncode == 0 and "usage" in p.stdout.lower(), "kumppani %s --help: exit 0 with usage\n%s" % (c, _desc(p)))
    for args in (["staff", "add", "--help"], ["token", "create", "-h"], ["--version"]):
        p = _run(args)
        s.check(p.returncode == 0 and p.stdout, "kumppani %s: exit 0\n%s" % (" ".join(args), _desc(p)))
    tmp = tempfile.mkdtemp(prefix="kumppani-it-cli-")
    db = "sqlite:" + os.path.join(tmp, "u.db")
    for args in ([], ["no-such-command"], ["serve", "--bogus"], ["serve", "--threads", "abc", "--db", db],
                 ["serve", "--sync", "later", "--db", db], ["serve", "--sync"],
                 ["serve", "--timezone", "../../etc/passwd", "--db", db], ["serve", "--timezone", "Mars/Olympus", "--db", db],
                 ["serve", "--timezone=EET-2", "--db", db],
                 ["serve", "--listen"], ["staff", "add", "--email", "x@example.fi", "--db", db],
                 ["staff", "add", "--email", "x@example.fi", "--name", "X", "--role", "boss", "--db", db],
                 ["staff", "frobnicate", "--db", db], ["token", "create", "--name", "x", "--db", db],
                 ["backup", "--db", db], ["demo", "--customers", "many", "--db", db],
                 ["demo", "--customers", "-5", "--db", db], ["migrate", "--nope"],
                 # an option where a value belongs, an option given twice, a number with a sign
                 # or a space (a blind audit: `backup --to --db` wrote a file named --db)
                 ["backup", "--to", "--db", db], ["staff", "add", "--email", "--name", "N", "--role", "agent"],
                 ["migrate", "--db", db, "--db", db], ["staff", "add", "--email", "y@example.fi", "--name", "Y",
                                                       "--role", "agent", "--role", "admin", "--db", db],
                 ["serve", "--listen", "127.0.0.1:0", "--listen=127.0.0.1:1", "--db", db],
                 ["demo", "--customers", " 5", "--db", db], ["demo", "--customers", "+3", "--db", db],
                 ["analyze", "--lang", "fi", "--lang", "en"], ["analyze", "--json", "--json"],
                 ["serve", "--cookie-secure", "--cookie-secure", "--db", db],
                 # extra words beside --help or --version are not ignored
                 ["--version", "extra"], ["--help", "extra"], ["help", "extra"], ["migrate", "--help", "--bogus"],
                 ["serve", "--db", db, "--help"], ["staff", "add", "--help", "--help"]):
        p = _run(args, input="Salasana-12345\n", cwd=tmp)
        s.check(p.returncode == 2, "kumppani %s: usage error must exit 2\n%s" % (" ".join(args), _desc(p)))
    s.check(not os.path.exists(os.path.join(tmp, "--db")), "no file named --db was written")
    s.check(not os.path.exists(os.path.join(tmp, "u.db")), "no usage error touched the database")
    # every command takes --opt=value, demo too
    p = _run(["demo", "--customers=3", "--seed=5", "--db=" + db], cwd=tmp, timeout=120)
    s.check(p.returncode == 0, "demo --customers=3 --seed=5 --db=URL\n" + _desc(p))
    # one of a thing is no things (before: "1 organisations")
    p = _run(["demo", "--customers=1", "--db=sqlite:" + os.path.join(tmp, "one.db")], cwd=tmp, timeout=120)
    s.check(p.returncode == 0 and "1 customer, 1 organisation, " in p.stdout
            and "demo: 1 organisation (" in p.stderr, "demo --customers 1 counts in the singular\n" + _desc(p))
    p = _run(["demo", "--customers=1", "--append", "--append", "--db=sqlite:" + os.path.join(tmp, "one.db")],
             cwd=tmp, timeout=120)
    s.check(p.returncode == 2, "demo --append twice: usage error\n" + _desc(p))
    s.done()


def test_migrate_spells_staff_email_domains_in_letters(_shared):
    """A staff e-mail stored in its ASCII spelling (xn--) before such domains were read as
    letters is respelt at migrate (audited), so its owner can still sign in; an address
    another account already has in letters is left as it is and said."""
    tmp = tempfile.mkdtemp(prefix="kumppani-it-idn-")
    path = os.path.join(tmp, "i.db")
    db = "sqlite:" + path
    p = _run(["migrate", "--db", db], cwd=tmp)
    expect(p.returncode == 0, "migrate\n" + _desc(p))
    for i, email in enumerate(("a1@x.fi", "a2@x.fi", "kaksi@yhtiö.fi")):
        p = _run(["staff", "add", "--email", email, "--name", "N%d" % i, "--role", "admin", "--db", db], cwd=tmp,
                 input="Salasana-2026-idn\n")
        expect(p.returncode == 0, "staff add %s\n%s" % (email, _desc(p)))
    # as an older version stored them
    con = sqlite3.connect(path)
    con.execute("UPDATE staff SET email = 'vanha@xn--yhti-8qa.fi' WHERE email = 'a1@x.fi'")
    con.execute("UPDATE staff SET email = 'kaksi@xn--yhti-8qa.fi' WHERE email = 'a2@x.fi'")
    con.commit()
    con.close()
    p = _run(["migrate", "--db", db], cwd=tmp)
    expect(p.returncode == 0 and "1 staff e-mail addresses are now stored" in p.stdout
           and "account 2 keeps its e-mail address kaksi@xn--yhti-8qa.fi" in p.stdout
           and "account 3 has the address in letters" in p.stdout, "migrate respells\n" + _desc(p))
    con = sqlite3.connect(path)
    emails = sorted(r[0] for r in con.execute("SELECT email FROM staff"))
    audits = con.execute("SELECT count(*) FROM audit_log WHERE entity = 'staff' AND action = 'update'").fetchone()[0]
    con.close()
    expect(emails == ["kaksi@xn--yhti-8qa.fi", "kaksi@yhtiö.fi", "vanha@yhtiö.fi"], "stored now: %r" % emails)
    expect(audits == 1, "the respelling is audited (%d entries)" % audits)
    p = _run(["token", "create", "--email", "vanha@xn--yhti-8qa.fi", "--name", "t", "--db", db], cwd=tmp)
    expect(p.returncode == 0 and p.stdout.startswith("kp_"), "the account is found by either spelling\n" + _desc(p))


def test_staff_email_kept_in_xn_spelling(_shared):
    """Two staff accounts whose addresses differ only by an xn-- domain (an older version
    stored both): the start-up respelling leaves them, and says once a start which account
    and what to do, not that nothing changed; each signs in, and gets its CLI token, by the
    address typed in its own spelling; an admin changes the e-mail of either (PATCH
    /api/v1/staff/{id} with email: normalised, unique in either spelling, audited, the
    member's sessions ended), after which the next start says nothing. `migrate` says the
    schema version it found and the one it reached. On SQLite and on PostgreSQL."""
    srv = Server()
    srv.tmp = tempfile.mkdtemp(prefix="kumppani-it-xn-")
    srv.db_url = srv._make_db()
    try:
        p = srv.cli("migrate")
        expect(p.returncode == 0 and re.search(r"schema version 0 -> \d+ \(a new database\)", p.stdout),
               "migrate of a new database says the versions\n" + _desc(p))
        p = srv.cli("migrate")
        expect(p.returncode == 0 and re.search(r"schema version \d+ \(already current", p.stdout),
               "migrate again: already current\n" + _desc(p))
        srv.start()
        a = srv.admin()
        pw_l, pw_x = "Kirjain-Salasana-1", "Ascii-Salasana-2"
        letters = a.create("/api/v1/staff", {"email": "dup@bücher.de", "name": "Kirjaimin", "role": "agent",
                                             "password": pw_l})["id"]
        ascii_ = a.create("/api/v1/staff", {"email": "bertta.xn@example.fi", "name": "Asciina", "role": "agent",
                                            "password": pw_x})["id"]
        srv.stop(keep=True)
        # as an older version stored the second: its domain in the xn-- spelling
        _db_sql(srv.db_url, "UPDATE staff SET email = 'dup@xn--bcher-kva.de' WHERE id = %d" % ascii_)
        p = srv.cli("migrate")
        expect(p.returncode == 0 and "already current" in p.stdout
               and "account %d keeps its e-mail address dup@xn--bcher-kva.de" % ascii_ in p.stdout
               and "account %d has the address in letters" % letters in p.stdout
               and "PATCH /api/v1/staff/{id}" in p.stdout and "now stored" not in p.stdout,
               "migrate names the account left and the way out\n" + _desc(p))
        for start in (1, 2):
            srv.start()
            said = [l for l in srv.log_lines if "xn-- spelling" in l]
            expect(len(said) == 1 and " warn " in said[0] and "account %d keeps" % ascii_ in said[0],
                   "start %d: one warning naming account %d\n%s" % (start, ascii_, srv.log_tail()))
            expect(not any("now stored with their domain" in l for l in srv.log_lines),
                   "start %d: no line saying nothing was respelt\n%s" % (start, srv.log_tail()))
            if start == 1:
                srv.stop(keep=True)
        # each account by its own spelling, as typed
        r, cx = srv.sign_in("Dup@XN--BCHER-KVA.DE ", pw_x)
        expect(cx is not None and r.json["staff"]["id"] == ascii_, "the xn-- spelling signs in its account", r)
        r, cl = srv.sign_in("dup@bücher.de", pw_l)
        expect(cl is not None and r.json["staff"]["id"] == letters, "the letters sign in theirs", r)
        r, _ = srv.sign_in("dup@bücher.de", pw_x)
        expect(r.status == 401, "the letters are not the xn-- account's", r)
        p = srv.cli("token", "create", "--email", "dup@xn--bcher-kva.de", "--name", "t")
        expect(p.returncode == 0 and p.stdout.startswith("kp_") and "staff member %d " % ascii_ in p.stderr,
               "token create finds the account of the spelling typed\n" + _desc(p))
        # an admin changes the xn-- account's e-mail: validated, unique, normalised
        path = "/api/v1/staff/%d" % ascii_
        for bad in ("ei osoite", 5, ""):
            r = a.patch(path, {"email": bad})
            expect(r.status == 422 and any(e.get("field") == "email" for e in r.json.get("errors", [])),
                   "email %r is refused" % (bad,), r)
        r = a.patch(path, {"email": "DUP@bücher.de"})
        expect(r.status == 409 and any(e.get("field") == "email" for e in r.json.get("errors", [])),
               "another account's address is refused", r)
        r = a.patch("/api/v1/staff/%d" % letters, {"email": "dup@xn--bcher-kva.de"})
        expect(r.status == 200 and r.json["email"] == "dup@bücher.de" and r.json["version"] == 1,
               "its own address in the xn-- spelling is no change", r)
        r = a.patch(path, {"email": " Bertta@Esimerkki.FI "})
        expect(r.status == 200 and r.json["email"] == "bertta@esimerkki.fi", "the e-mail is changed", r)
        r = cx.get("/api/v1/session")
        expect(r.status == 401, "the member's sessions ended", r)
        r, _ = srv.sign_in("bertta@esimerkki.fi", pw_x)
        expect(r.status == 200 and r.json["staff"]["id"] == ascii_, "the new address signs in", r)
        r = cl.get("/api/v1/session")
        expect(r.status == 200, "the other account's session goes on", r)
        r = a.get("/api/v1/audit?entity=staff&entity_id=%d&limit=1" % ascii_)
        ch = (r.json.get("items") or [{}])[0].get("changes") if r.status == 200 else None
        expect(ch and ch.get("email") == ["dup@xn--bcher-kva.de", "bertta@esimerkki.fi"], "the change is audited", r)
        srv.stop(keep=True)
        srv.start()
        expect(not any("xn-- spelling" in l or "now stored with their domain" in l for l in srv.log_lines),
               "nothing left: the next start says nothing\n" + srv.log_tail())
    finally:
        srv.stop()
        srv._drop_db()


def _db_sql(url, q):
    """Run statement q on the database at url (sqlite: or postgres://), as an older version or
    another tool would have written it."""
    if url.startswith("sqlite:"):
        con = sqlite3.connect(url[len("sqlite:"):])
        con.execute(q)
        con.commit()
        con.close()
        return
    psql = harness._psql()
    expect(psql is not None, "psql for a PostgreSQL test database")
    p = subprocess.run([psql, "-At", "-v", "ON_ERROR_STOP=1", url, "-c", q], capture_output=True, text=True,
                       timeout=60)
    expect(p.returncode == 0, "psql %s: %s" % (q, p.stderr))


def test_the_first_staff_member_is_an_admin(_shared):
    """`staff add` of an agent or a manager to a database without an active admin is refused
    (exit 1, before the password is asked), as serve creates its first admin only on a
    database without staff: nobody could ever manage the installation. An admin first, then
    anyone. A database that has staff but no active admin (an earlier version let it happen)
    is said so in serve's log. On SQLite and on PostgreSQL."""
    srv = Server()
    srv.tmp = tempfile.mkdtemp(prefix="kumppani-it-admin-")
    srv.db_url = srv._make_db()
    try:
        p = srv.cli("migrate")
        expect(p.returncode == 0, "migrate\n" + _desc(p))
        for role in ("agent", "manager"):
            p = srv.cli("staff", "add", "--email", "%s@example.fi" % role, "--name", role, "--role", role,
                        input="Ensin-Admin-Salasana-1\n")
            expect(p.returncode == 1 and "no active admin" in p.stderr and "--role admin" in p.stderr
                   and "Password" not in p.stderr, "staff add --role %s without an admin\n%s" % (role, _desc(p)))
        p = srv.cli("staff", "list")
        expect(p.returncode == 0 and "@example.fi" not in p.stdout, "nobody was added\n" + _desc(p))
        p = srv.cli("staff", "add", "--email", "admin@example.fi", "--name", "Admin", "--role", "admin",
                    input="Ensin-Admin-Salasana-1\n")
        expect(p.returncode == 0, "an admin first\n" + _desc(p))
        p = srv.cli("staff", "add", "--email", "agent@example.fi", "--name", "Agent", "--role", "agent",
                    input="Sitten-Agentti-Salasana-2\n")
        expect(p.returncode == 0, "then an agent\n" + _desc(p))
        # usage errors stay usage errors
        p = srv.cli("staff", "add", "--email", "x@example.fi", "--name", "X", "--role", "boss")
        expect(p.returncode == 2, "a role that is none\n" + _desc(p))
        # as an earlier version could leave it: staff, but no active admin
        _db_sql(srv.db_url, "UPDATE staff SET active = %s WHERE email = 'admin@example.fi'"
                % ("0" if srv.db_url.startswith("sqlite:") else "false"))
        p = srv.cli("staff", "add", "--email", "toinen@example.fi", "--name", "Toinen", "--role", "agent",
                    input="Toinen-Agentti-Salasana-3\n")
        expect(p.returncode == 1 and "no active admin" in p.stderr, "no agent while no admin is active\n" + _desc(p))
        srv.start()
        log = "\n".join(srv.log_lines)
        expect("no active admin" in log and "kumppani staff add --role admin" in log,
               "serve says there is no active admin\n" + srv.log_tail())
        expect(not any("Created admin" in l for l in srv.stdout_lines), "and creates none (staff exist)")
        srv.stop(keep=True)
        p = srv.cli("staff", "add", "--email", "uusi.admin@example.fi", "--name", "Uusi", "--role", "admin",
                    input="Uusi-Admin-Salasana-4\n")
        expect(p.returncode == 0, "an admin can be added then\n" + _desc(p))
        srv.start()
        expect(not any("no active admin" in l for l in srv.log_lines), "and serve is content\n" + srv.log_tail())
    finally:
        srv.stop()
        srv._drop_db()


def test_migrate_spells_customer_email_domains_in_letters(_shared):
    """Customers' and organisations' e-mails stored in their xn-- spelling (as an older version
    stored them) are respelt at migrate, audited, and found by the address in letters; a
    second migrate changes nothing. On SQLite and on PostgreSQL."""
    srv = Server().start()
    try:
        admin = srv.admin()
        r = admin.post("/api/v1/customers", {"name": "Idn Asiakas", "emails": ["maija@sääksmäki.fi"]})
        expect(r.status == 201, "create customer", r)
        cid = r.json["id"]
        r = admin.post("/api/v1/organizations", {"name": "Idn Oy", "email": "info@sääksmäki.fi"})
        expect(r.status == 201, "create organisation", r)
        oid = r.json["id"]
        srv.stop(keep=True)
        # as an older version stored them
        _db_sql(srv.db_url, "UPDATE customer_contacts SET value = 'maija@xn--sksmki-buaad.fi'"
                            " WHERE value = 'maija@sääksmäki.fi'")
        if srv.db_url.startswith("postgres"):
            _db_sql(srv.db_url, "UPDATE customers SET contact_text = 'maija@xn--sksmki-buaad.fi' WHERE id = %d" % cid)
        _db_sql(srv.db_url, "UPDATE organizations SET email = 'info@xn--sksmki-buaad.fi' WHERE id = %d" % oid)
        p = srv.cli("migrate")
        expect(p.returncode == 0 and "1 customers' and 1 organisations' e-mail addresses are now stored" in p.stdout,
               "migrate respells\n" + _desc(p))
        p = srv.cli("migrate")
        expect(p.returncode == 0 and "e-mail addresses" not in p.stdout, "a second migrate changes nothing\n" + _desc(p))
        srv.start()
        admin = srv.admin()
        r = admin.get("/api/v1/customers?email=" + urllib.parse.quote("maija@sääksmäki.fi"))
        expect(r.status == 200 and [c["id"] for c in r.json["items"]] == [cid], "found by the letters", r)
        r = admin.get("/api/v1/search?q=" + urllib.parse.quote("maija@sääksmäki.fi"))
        expect(r.status == 200 and any(h.get("id") == cid for h in r.json["items"]), "searched by the letters", r)
        r = admin.get("/api/v1/organizations/%d" % oid)
        expect(r.status == 200 and r.json["email"] == "info@sääksmäki.fi", "the organisation's too", r)
        r = admin.get("/api/v1/audit?entity=customer&entity_id=%d&action=update" % cid)
        expect(r.status == 200 and len(r.json["items"]) == 1 and "xn--sksmki-buaad" in json.dumps(r.json),
               "audited", r)
    finally:
        srv.stop()


def test_migrate_analyses_staff_texts_stored_before(_shared):
    """Outbound messages and notes stored before staff-authored texts were analysed are
    analysed at migrate (serve does it on a thread): one that quotes abuse is masked with a new
    version, so a cached copy is revalidated; a clean one keeps its version and stores only the
    verdict (an upgrade must not hand every reply ever sent to each updated_after syncer); a
    second migrate analyses nothing. On SQLite and on PostgreSQL."""
    srv = Server().start()
    try:
        admin = srv.admin()
        r = admin.post("/api/v1/customers", {"name": "Vanha Vastaus"})
        expect(r.status == 201, "create customer", r)
        cid = r.json["id"]
        ids = {}
        for key, body in (("quoting", "Hei, pahoittelemme.\n\n> Olet saatanan kusipää."),
                          ("clean", "Kiitos viestistä, paketti on jo matkalla.")):
            r = admin.post("/api/v1/customers/%d/interactions" % cid,
                           {"kind": "email", "direction": "outbound", "body": body})
            expect(r.status == 201, "reply %s" % key, r)
            ids[key] = r.json["id"]
        for key, body in (("note_quoting", "Asiakas sanoi: olet saatanan kusipää."),
                          ("note_clean", "Soitettu, asia on hoidettu.")):
            r = admin.post("/api/v1/customers/%d/notes" % cid, {"body": body})
            expect(r.status == 201, "note %s" % key, r)
            ids[key] = r.json["id"]
        srv.stop(keep=True)
        # as an older version stored them: no analysis, indexed by their words
        _db_sql(srv.db_url, "UPDATE interactions SET analysis_json = NULL, abusive = false, search_summary = NULL,"
                            " search_body = NULL WHERE direction = 'outbound'")
        _db_sql(srv.db_url, "UPDATE notes SET analysis_json = NULL, abusive = false, search_body = NULL")
        p = srv.cli("migrate")
        expect(p.returncode == 0 and "4 staff-authored texts" in p.stdout, "migrate analyses them\n" + _desc(p))
        p = srv.cli("migrate")
        expect(p.returncode == 0 and "staff-authored" not in p.stdout, "a second migrate analyses nothing\n" + _desc(p))
        srv.start()
        admin = srv.admin()
        verdict = {"v": 1, "abusive": False, "routed_to_team": None}
        for key, path in (("quoting", "/api/v1/interactions/%d"), ("clean", "/api/v1/interactions/%d"),
                          ("note_quoting", "/api/v1/notes/%d"), ("note_clean", "/api/v1/notes/%d")):
            got = admin.ok(path % ids[key])
            if key.endswith("quoting"):
                expect(got["abusive"] is True and "kusipää" not in got["body"] and got["version"] == 2,
                       "%s: masked, a new version: %r" % (key, got))
            else:
                expect(got["abusive"] is False and got["version"] == 1 and got["analysis"] == verdict,
                       "%s: its version kept, the verdict stored: %r" % (key, got))
        r = admin.get("/api/v1/search?q=kusip%C3%A4%C3%A4")
        expect(r.status == 200 and not r.json["items"], "search no longer finds the hidden word", r)
        # every write is audited: the masking as an update by "system", the clean verdicts not
        # (nothing a read shows of them changed)
        for key, entity in (("quoting", "interaction"), ("note_quoting", "note"), ("clean", "interaction"),
                            ("note_clean", "note")):
            items = admin.ok("/api/v1/audit?entity=%s&entity_id=%d" % (entity, ids[key]))["items"]
            ups = [e for e in items if e["action"] == "update"]
            if key.endswith("quoting"):
                expect(len(ups) == 1 and ups[0]["actor"] == "system"
                       and ups[0]["changes"] == {"abusive": [False, True]},
                       "%s: its masking audited as an update by system: %r" % (key, items))
            else:
                expect(not ups, "%s: no update audited: %r" % (key, items))
    finally:
        srv.stop()


def test_migrate(_shared):
    tmp = tempfile.mkdtemp(prefix="kumppani-it-cli-")
    db = "sqlite:" + os.path.join(tmp, "m.db")
    old_umask = os.umask(0o022)
    try:
        p = _run(["migrate", "--db", db], cwd=tmp)
    finally:
        os.umask(old_umask)
    expect(p.returncode == 0, "kumppani migrate on a fresh database\n" + _desc(p))
    mode = os.stat(os.path.join(tmp, "m.db")).st_mode & 0o777
    expect(mode == 0o600, "a new database is its owner's only under umask 022 (mode %o): it holds hashes" % mode)
    p2 = _run(["migrate", "--db", db], cwd=tmp)
    expect(p2.returncode == 0, "kumppani migrate again (nothing to do)\n" + _desc(p2))
    p3 = _run(["migrate"], env={"KUMPPANI_DB": db}, cwd=tmp)
    expect(p3.returncode == 0, "kumppani migrate with KUMPPANI_DB\n" + _desc(p3))
    con = sqlite3.connect(os.path.join(tmp, "m.db"))
    names = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    con.close()
    expect({"customers", "staff"} <= names, "migrate created the tables: %s" % sorted(names))
    # several processes migrating a new database at once: each migration runs once, under
    # the write lock, and every process ends well (before: "table staff already exists")
    for round_ in range(3):
        path = os.path.join(tmp, "race%d.db" % round_)
        procs = [subprocess.Popen([BIN, "migrate", "--db", "sqlite:" + path], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True, cwd=tmp, env=dict(os.environ)) for _ in range(6)]
        outs = [(pr.wait(60), pr.stderr.read()) for pr in procs]
        for pr in procs:
            pr.stdout.close()
            pr.stderr.close()
        expect(all(rc == 0 for rc, _ in outs), "6 parallel migrates of a new database all exit 0: %r" % outs)


def test_migrate_indexes_old_abusive_messages_masked(_shared):
    """A database written before search indexed masked text: `migrate` (and `serve` at start)
    gives each abusive message its masked search text, and search then cannot find it by the
    hidden word. SQLite only: the old state is made by clearing the columns directly."""
    srv = Server().start()
    try:
        if not srv.db_url.startswith("sqlite:"):
            return
        a = srv.admin()
        cust = a.create("/api/v1/customers", {"name": "Vanha Viesti"})["id"]
        it = a.create("/api/v1/customers/%d/interactions" % cust,
                      {"kind": "email", "direction": "inbound", "body": "Senkin ääliö, korjatkaa tilaus"})
        expect(it["abusive"] is True, "an abusive message", it)
    finally:
        srv.stop(keep=True)
    path = srv.db_url[len("sqlite:"):]
    con = sqlite3.connect(path)
    con.execute("UPDATE interactions SET search_summary = NULL, search_body = NULL")
    con.commit()
    con.close()
    p = srv.cli("migrate")
    expect(p.returncode == 0 and "1 abusive messages" in p.stdout, "migrate says what it indexed\n" + _desc(p))
    con = sqlite3.connect(path)
    row = con.execute("SELECT search_body, version FROM interactions WHERE id = ?", (it["id"],)).fetchone()
    con.close()
    expect(row == ("Senkin *****, korjatkaa tilaus", 1),
           "migrate gave the message its masked search text, no new version: %r" % (row,))
    srv.start()
    try:
        hits = srv.admin().ok("/api/v1/search?q=%C3%A4%C3%A4li%C3%B6")["items"]
        expect(not [h for h in hits if h["type"] == "interaction"], "the hidden word finds nothing: %r" % hits)
        hits = srv.admin().ok("/api/v1/search?q=korjatkaa")["items"]
        expect([h for h in hits if h["type"] == "interaction" and h["id"] == it["id"]],
               "a visible word finds it: %r" % hits)
    finally:
        srv.stop()


def test_staff_add_token_backup_demo_while_serving(_shared):
    srv = Server().start()
    s = Soft()
    try:
        # staff add, password from stdin, then sign in over HTTP
        p = srv.cli("staff", "add", "--email", "cli.agentti@kumppani.test", "--name", "Cli Agentti",
                    "--role", "agent", input="Komentorivi-Salasana-1\n")
        s.check(p.returncode == 0, "staff add\n" + _desc(p))
        r, c = srv.sign_in("cli.agentti@kumppani.test", "Komentorivi-Salasana-1")
        s.check(c is not None, "sign in as the CLI-created staff member", r)
        # a password piped from a file an editor saved with a UTF-8 byte order mark: the mark
        # is no part of it
        p = srv.cli("staff", "add", "--email", "bom@kumppani.test", "--name", "Bom", "--role", "agent",
                    input="\ufeffTavujarjestys-Merkki-3\r\n")
        s.check(p.returncode == 0, "staff add with a BOM\n" + _desc(p))
        r, c = srv.sign_in("bom@kumppani.test", "Tavujarjestys-Merkki-3")
        s.check(c is not None, "sign in with the password without its BOM", r)
        p = srv.cli("staff", "add", "--email", "lyhyt@kumppani.test", "--name", "Lyhyt", "--role", "agent",
                    input="short\n")
        s.check(p.returncode != 0, "staff add with a 5-character password must fail\n" + _desc(p))
        p = srv.cli("staff", "add", "--email", "cli.agentti@kumppani.test", "--name", "Taas", "--role", "agent",
                    input="Komentorivi-Salasana-1\n")
        s.check(p.returncode != 0, "staff add with a taken e-mail must fail\n" + _desc(p))
        # token create prints a token that works
        p = srv.cli("token", "create", "--email", ADMIN_EMAIL, "--name", "cli")
        s.check(p.returncode == 0, "token create\n" + _desc(p))
        m = re.search(r"\bkp_[A-Za-z0-9_-]{20,}", p.stdout)
        tok = m.group(0) if m else (p.stdout.strip().split() or [""])[-1]
        t = Client(srv, token=tok, label="cli-token")
        r = t.get("/api/v1/customers")
        s.check(r.status == 200, "the printed token works as a bearer token", r)
        p = srv.cli("token", "create", "--email", "nobody@kumppani.test", "--name", "x")
        s.check(p.returncode != 0, "token create for an unknown e-mail must fail\n" + _desc(p))
        # backup while the server runs
        for i in range(30):
            r = t.post("/api/v1/customers", {"name": "Varmuus Kopio %02d" % i})
            if r.status != 201:
                s.check(False, "create customer for backup", r)
                break
        n_api = len(t.list_all("/api/v1/customers", limit=200))
        if srv.db_url.startswith("sqlite:"):
            out = os.path.join(srv.tmp, "backup.db")
            p = srv.cli("backup", "--to", out)
            s.check(p.returncode == 0 and os.path.exists(out), "backup --to FILE while serving\n" + _desc(p))
            if os.path.exists(out):
                mode = os.stat(out).st_mode & 0o777
                s.check(mode == 0o600, "the backup is readable by its owner only (mode %o): it holds hashes" % mode)
            if os.path.exists(out):
                con = sqlite3.connect(out)
                try:
                    n_db = con.execute("SELECT count(*) FROM customers WHERE merged_into = 0").fetchone()[0]
                    ok = con.execute("PRAGMA integrity_check").fetchone()[0]
                finally:
                    con.close()
                s.check(n_db == n_api == 30, "backup holds %d customers, the API lists %d (want 30)" % (n_db, n_api))
                s.check(ok == "ok", "backup integrity_check: %s" % ok)
        # demo data
        # into a database that holds customers: refused, unless --append says so
        p = srv.cli("demo", "--customers", "200", "--seed", "7", timeout=300)
        s.check(p.returncode == 1 and "holds 30 customers" in p.stderr and "--append" in p.stderr,
                "demo into a database with customers: refused\n" + _desc(p))
        s.check(len(t.list_all("/api/v1/customers", limit=200)) == n_api, "the refused demo added nothing")
        p = srv.cli("demo", "--customers", "200", "--seed", "7", "--append", timeout=300)
        s.check(p.returncode == 0, "demo --customers 200 --append\n" + _desc(p))
        got = t.list_all("/api/v1/customers", limit=200)
        s.check(len(got) == n_api + 200, "after demo the list has %d customers, want %d" % (len(got), n_api + 200))
        demo = [c for c in got if not c["name"].startswith("Varmuus Kopio")]
        phones = [ph for c in demo for ph in (c.get("phones") or [])]
        phones = [ph.get("value") if isinstance(ph, dict) else ph for ph in phones]
        s.check(phones and all(re.match(r"^\+358\d{6,12}$", ph) for ph in phones),
                "demo phones are Finnish E.164: %s" % phones[:5])
        orgs = t.list_all("/api/v1/organizations", limit=200)
        s.check(len(orgs) > 0, "demo made organisations")
        for o in orgs[:50]:
            bid = o.get("business_id")
            if bid:
                d = [int(ch) for ch in bid[:7]]
                rem = sum(x * w for x, w in zip(d, (7, 9, 10, 5, 8, 4, 2))) % 11
                s.check(rem != 1 and int(bid[8]) == (0 if rem == 0 else 11 - rem), "demo Y-tunnus %s is valid" % bid)
        tl = t.get("/api/v1/interactions?limit=5")
        s.check(tl.status == 200 and len(tl.json.get("items", [])) > 0, "demo made interactions", tl)
    finally:
        rc = srv.stop()
    s.check(rc == 0, "server after CLI use: SIGTERM exit %s, want 0" % rc)
    s.done()


def test_serve_env_settings(_shared):
    """KUMPPANI_LISTEN / KUMPPANI_DB / KUMPPANI_THREADS work like the options."""
    tmp = tempfile.mkdtemp(prefix="kumppani-it-cli-")
    srv = Server()
    srv.tmp = tmp
    env = srv.env()
    env.update({"KUMPPANI_LISTEN": "127.0.0.1:0", "KUMPPANI_DB": "sqlite:" + os.path.join(tmp, "e.db"),
                "KUMPPANI_THREADS": "1"})
    proc = subprocess.Popen([BIN, "serve"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env=env, cwd=tmp)
    try:
        line = _listening_line(proc)
        expect("listening on http://127.0.0.1:" in line, "serve with KUMPPANI_* env: %r" % line)
        expect(os.path.exists(os.path.join(tmp, "e.db")), "KUMPPANI_DB was used")
    finally:
        proc.terminate()
        try:
            rc = proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            rc = None
    expect(rc == 0, "SIGTERM: exit %s, want 0" % rc)


def test_strict_settings_and_missing_databases(_shared):
    """A setting that is neither yes nor no is an error, not off; a listing of a database
    that is not there creates none."""
    tmp = tempfile.mkdtemp(prefix="kumppani-it-cli-")
    db = "sqlite:" + os.path.join(tmp, "x.db")
    for val in ("ture", "enabled", "2"):
        p = _run(["serve", "--listen", "127.0.0.1:0", "--db", db], env={"KUMPPANI_COOKIE_SECURE": val}, timeout=30)
        expect(p.returncode == 2 and "KUMPPANI_COOKIE_SECURE" in p.stderr,
               "KUMPPANI_COOKIE_SECURE=%s: usage error\n%s" % (val, _desc(p)))
    p = _run(["serve", "--db", db], env={"KUMPPANI_LISTEN": "garbage"}, timeout=30)
    expect(p.returncode == 2 and "KUMPPANI_LISTEN 'garbage'" in p.stderr,
           "a bad KUMPPANI_LISTEN is named as such\n" + _desc(p))
    p = _run(["serve", "--listen", "127.0.0.1: 8080", "--db", db], timeout=30)
    expect(p.returncode == 2, "a listen address with a space is refused\n" + _desc(p))
    p = _run(["staff", "list", "--db", "sqlite:" + os.path.join(tmp, "mistyped.db")], timeout=30)
    expect(p.returncode == 1 and "no database at" in p.stderr and not os.path.exists(os.path.join(tmp, "mistyped.db")),
           "staff list on a missing file: an error, and no file made\n" + _desc(p))
    # staff add too (before: it made the database, whose agent then kept serve from creating
    # the first admin); asked before the password is read
    p = _run(["staff", "add", "--email", "a@example.fi", "--name", "A", "--role", "agent", "--db",
              "sqlite:" + os.path.join(tmp, "typo.db")], input="Kirjoitus-Virhe-Salasana-1\n", timeout=30)
    expect(p.returncode == 1 and "no database at" in p.stderr and not os.path.exists(os.path.join(tmp, "typo.db")),
           "staff add on a missing file: an error, and no file made\n" + _desc(p))
    notdb = os.path.join(tmp, "notes.txt")
    with open(notdb, "w") as f:
        f.write("this is not a database\n" * 100)
    p = _run(["staff", "list", "--db", "sqlite:" + notdb], timeout=30)
    expect(p.returncode == 1 and notdb in p.stderr, "a file that is no database is named\n" + _desc(p))


def test_cookie_secure_setting(_shared):
    """KUMPPANI_COOKIE_SECURE=yes (any of 1/true/yes/on, any case) marks the session cookie
    Secure; without it the cookie is not marked."""
    for val, want in (("yes", True), ("ON", True), ("", False)):
        srv = Server()
        srv.extra_env = {"KUMPPANI_COOKIE_SECURE": val}
        srv.start()
        try:
            r = harness.raw_request(srv.port, "POST", "/api/v1/session",
                                    json_dumps({"email": ADMIN_EMAIL, "password": harness.ADMIN_PASSWORD}).encode(),
                                    {"Content-Type": "application/json"})
            cookies = [c for c in r.header_all("set-cookie") if c.strip().startswith("kp_session=")]
            secure = bool(cookies) and all(re.search(r";\s*Secure\b", c) for c in cookies)
            expect(r.status == 200 and cookies and secure == want,
                   "KUMPPANI_COOKIE_SECURE=%r: Secure %s, got %r" % (val, want, cookies))
        finally:
            srv.stop()


def _analyze(args, data):
    e = dict(os.environ)
    return subprocess.run([BIN, "analyze"] + list(args), input=data, capture_output=True, timeout=120, env=e)


def test_analyze_lines_and_json(_shared):
    """`kumppani analyze`: one JSON object per text in input order, in line and --json mode; a
    text that cannot be analysed gets an error on its own line and the rest goes on."""
    import json
    s = Soft()
    texts = ["Kiitos, palvelu oli erinomaista!", "olet täysi idiootti", "you are a d i c k", "Tilaus saapui."]
    p = _analyze([], ("\n".join(texts) + "\n").encode())
    rows = [json.loads(x) for x in p.stdout.decode().splitlines()]
    s.check(p.returncode == 0 and len(rows) == 4, "line mode: four results\n%s" % p)
    if len(rows) == 4:
        s.check([r["abuse"]["flagged"] for r in rows] == [False, True, True, False],
                "line mode: flagged in input order: %s" % [r["abuse"]["flagged"] for r in rows])
        s.check(rows[0]["sentiment"]["label"] == "positive", "line mode: praise is positive: %s" % rows[0])
        sp = rows[1]["abuse"]["spans"]
        body = texts[1].encode()
        s.check(sp and body[sp[0]["start"]:sp[0]["end"]] == "idiootti".encode(),
                "line mode: the span is the byte range of the insult: %s" % sp)
    # a line that is not UTF-8 gets an error object, the others their results
    p = _analyze([], b"hyv\xe4\nolet idiootti\n")
    rows = [json.loads(x) for x in p.stdout.decode().splitlines()]
    s.check(len(rows) == 2 and "error" in rows[0] and rows[1]["abuse"]["flagged"],
            "line mode: invalid UTF-8 is an error on its own line\n%s" % p)
    # --json: an array of strings; "\u0000" inside one is a text like any other; a non-string
    # element is an error on its line
    p = _analyze(["--json"], b'["ok", "olet\\u0000 idiootti", 5, "you idiot"]')
    rows = [json.loads(x) for x in p.stdout.decode().splitlines()]
    s.check(p.returncode == 0 and len(rows) == 4, "--json: four lines\n%s" % p)
    if len(rows) == 4:
        s.check("error" not in rows[1] and rows[1]["abuse"]["flagged"], "--json: NUL inside a string: %s" % rows[1])
        s.check("error" in rows[2] and rows[3]["abuse"]["flagged"], "--json: a number is an error, the rest go on")
    # with --json a byte that is not UTF-8 makes the whole document malformed JSON (as the
    # help says), not an error line for one text
    p = _analyze(["--json"], b'["ok", "hyv\xe4"]')
    s.check(p.returncode == 1 and b"malformed JSON" in p.stderr and not p.stdout, "--json: invalid UTF-8\n%s" % p)
    h = _run(["analyze", "--help"]).stdout
    s.check("malformed JSON" in h and "UTF-8 throughout" in h, "analyze --help says so: %s" % h)
    p = _analyze(["--json"], b'["unterminated')
    s.check(p.returncode == 1 and b"malformed JSON" in p.stderr and not p.stdout, "--json: malformed input\n%s" % p)
    p = _analyze(["--lang", "sv"], b"hej\n")
    s.check(p.returncode == 2, "analyze --lang sv: usage error\n%s" % p)
    p = _analyze(["--json"], b'"one string"')
    s.check(p.returncode == 1 and b"expects a JSON array" in p.stderr, "--json: a string is no array\n%s" % p)
    # a line past 64 KiB: its error line, and the next lines go on (the line is not held whole)
    p = _analyze([], b"eka\n" + b"x" * 300000 + b"\nolet idiootti\n")
    rows = [json_loads(l) for l in p.stdout.decode().splitlines()]
    s.check(p.returncode == 0 and len(rows) == 3 and "error" in rows[1] and rows[2]["abuse"]["flagged"],
            "a long line is an error line, the rest go on\n%s" % p)
    # a read that fails is no end of input: standard input a directory
    e = dict(os.environ)
    fd = os.open("/", os.O_RDONLY)
    try:
        p = subprocess.run([BIN, "analyze"], stdin=fd, capture_output=True, timeout=60, env=e)
    finally:
        os.close(fd)
    s.check(p.returncode == 1 and b"could not read" in p.stderr, "a failed read of the input is an error\n%s" % p)
    # a UTF-8 byte order mark is skipped (offsets count from after it); UTF-16 is refused;
    # input of which no text could be analysed (another encoding) exits 1, saying so
    p = subprocess.run([BIN, "analyze"], input=b"\xef\xbb\xbfyou are an idiot\n", capture_output=True, timeout=60)
    rows = [json.loads(l) for l in p.stdout.splitlines()]
    s.check(p.returncode == 0 and len(rows) == 1 and rows[0]["abuse"]["spans"]
            and rows[0]["abuse"]["spans"][0]["start"] == 11, "a BOM is skipped: %r" % (rows,))
    for mode in ([], ["--json"]):
        p = subprocess.run([BIN, "analyze"] + mode, input="[\"hei\"]\n".encode("utf-16"), capture_output=True,
                           timeout=60)
        s.check(p.returncode == 1 and b"UTF-16" in p.stderr and not p.stdout, "UTF-16 input %s: refused\n%s" % (mode, p))
    p = subprocess.run([BIN, "analyze"], input=b"\xe4\xe4li\xf6\n\xf6rkki\n", capture_output=True, timeout=60)
    s.check(p.returncode == 1 and b"2 of 2" in p.stderr and len(p.stdout.splitlines()) == 2,
            "Latin-1 input: two error lines, exit 1\n%s" % p)
    p = subprocess.run([BIN, "analyze"], input=b"hyv\xc3\xa4\n\xf6rkki\n", capture_output=True, timeout=60)
    s.check(p.returncode == 0 and b"1 of 2" in p.stderr, "one text of two failed: exit 0, stderr says so\n%s" % p)
    s.done()


def _edited_copy(raw, path, sql):
    """A copy of the SQLite backup bytes raw at path, edited by the statements sql (as a hand
    with sqlite3 would edit it); returns path."""
    with open(path, "wb") as f:
        f.write(raw)
    con = sqlite3.connect(path)
    con.executescript(sql)
    con.commit()
    con.close()
    return path


def test_backup_restore_round_trip(_shared):
    """backup while serving, restore into a new database (refusing damaged, foreign and
    non-empty targets without leaving rows), and serve the restored copy: same records,
    abuse still masked, new ids after the restored ones. On SQLite and on PostgreSQL."""
    srv = Server().start()
    srv2 = None
    s = Soft()
    try:
        a = srv.admin()
        ids = [a.create("/api/v1/customers", {"name": "Palautus Asiakas %d" % i, "emails": ["p%d@example.fi" % i],
                                              "tags": ["palautus"]})["id"] for i in range(5)]
        a.create("/api/v1/customers/%d/notes" % ids[0], {"body": "Muistiinpano: soita perjantaina"})
        abusive = a.create("/api/v1/customers/%d/interactions" % ids[1],
                           {"kind": "email", "direction": "inbound", "summary": "Palaute",
                            "body": "Olet täysi idiootti ja surkea myyjä"})
        s.check(abusive.get("abusive") is True, "the inbound insult is flagged before the backup: %r" % abusive)
        # the newest customer deleted before the backup: its id is never given out again
        gone = a.create("/api/v1/customers", {"name": "Poistettu Ennen Varmuuskopiota"})["id"]
        d = a.delete("/api/v1/customers/%d" % gone, headers={"If-Match": '"1"'})
        s.check(d.status == 204, "delete the newest customer", d)
        before = [c for c in a.list_all("/api/v1/customers?tag=palautus", limit=50)]
        timeline = a.ok("/api/v1/customers/%d/timeline" % ids[1])["items"]
        out = os.path.join(srv.tmp, "kumppani.backup")
        p = srv.cli("backup", "--to", out)
        s.check(p.returncode == 0 and os.path.getsize(out) > 0, "backup while serving\n" + _desc(p))
        raw = open(out, "rb").read()

        srv2 = Server()
        srv2.tmp = tempfile.mkdtemp(prefix="kumppani-it-")
        srv2.db_url = srv2._make_db()
        # refused, and nothing left behind: a missing file, a cut file, a file of another kind
        cut = os.path.join(srv2.tmp, "cut.backup")
        with open(cut, "wb") as f:
            f.write(raw[: len(raw) * 2 // 3])
        other = os.path.join(srv2.tmp, "other.backup")
        with open(other, "wb") as f:
            f.write(b"{\"format\": \"something-else\"}\nhello\n")
        for path, what in ((os.path.join(srv2.tmp, "missing"), "a missing file"), (cut, "a file cut short"),
                           (other, "a file of another kind")):
            p = srv2.cli("restore", "--from", path)
            s.check(p.returncode == 1 and "restore" in p.stderr and "Traceback" not in p.stderr,
                    "restore from %s: exit 1 with a message\n%s" % (what, _desc(p)))
            if srv2.db_url.startswith("sqlite:"):
                left = [f for f in os.listdir(srv2.tmp) if f.startswith(os.path.basename(srv2.db_url[7:]))]
                s.check(not left, "a failed restore leaves no new database file behind: %r" % left)
        p = srv2.cli("restore")
        s.check(p.returncode == 2, "restore without --from: usage error (exit 2)\n" + _desc(p))
        if srv2.db_url.startswith("sqlite:"):
            # a backup edited with sqlite3 is still a valid SQLite file: what it holds is
            # checked against its schema version, and the refusal names what is wrong
            edits = (("CREATE TRIGGER evil AFTER INSERT ON customers BEGIN UPDATE staff SET name = 'x'; END",
                      'trigger "evil"'),
                     ("CREATE TABLE other_app (x)", 'table "other_app"'),
                     ("DROP TABLE notes", 'lacks the table "notes"'),
                     ("DROP INDEX customers_org", 'lacks the index "customers_org"'),
                     ("UPDATE customers SET name = CAST(X'FFFE41' AS TEXT) WHERE id = %d" % ids[2],
                      'table "customers" row id %d, column "name"' % ids[2]),
                     ("UPDATE customers SET custom_json = '{bad' WHERE id = %d" % ids[3], 'column "custom_json"'),
                     ("UPDATE staff SET role = 9", 'table "staff" row id 1, column "role"'),
                     ("INSERT INTO notes (customer_id, body, created_at, updated_at) VALUES (999999, 'x', 1, 1)",
                      'refers to a missing row of "customers"'),
                     # a definition changed in place: a CHECK that fails every later write
                     ("PRAGMA writable_schema=ON; UPDATE sqlite_master SET sql = replace(sql, 'flags INTEGER NOT NULL"
                      " DEFAULT 0', 'flags INTEGER NOT NULL DEFAULT 0 CHECK (flags < 0)') WHERE name = 'customers';"
                      " PRAGMA writable_schema=OFF", 'the table "customers" is not defined'),
                     # a customer merged into itself could never be read, changed or erased
                     ("UPDATE customers SET merged_into = id WHERE id = %d" % ids[4], 'column "merged_into"'),
                     ("UPDATE customers SET custom_json = '[1,2]' WHERE id = %d" % ids[0], 'column "custom_json"'),
                     # an admin locked out: a password hash of no kind Kumppani writes
                     ("UPDATE staff SET pw_hash = 'garbage'", 'table "staff" row id 1, column "pw_hash"'),
                     ("UPDATE staff SET pw_hash = '$argon2id$v=19$m=19456,t=2,p=1$'", 'column "pw_hash"'),
                     ("UPDATE customers SET flags = -1 WHERE id = %d" % ids[0], 'column "flags"'),
                     ("UPDATE customers SET version = -5 WHERE id = %d" % ids[0], 'column "version"'),
                     # values the API never writes: an e-mail in upper case (token create would
                     # take either row of one address), a control character in a name, a time
                     # of year -1199
                     ("INSERT INTO staff (email, name, name_fold, role, pw_hash, active, created_at, updated_at)"
                      " SELECT upper(email), name, name_fold, role, pw_hash, active, created_at, updated_at"
                      " FROM staff WHERE id = 1", 'table "staff" row id 2, column "email"'),
                     ("UPDATE customers SET name = 'Kello' || char(7) WHERE id = %d" % ids[0],
                      'table "customers" row id %d, column "name"' % ids[0]),
                     ("UPDATE customer_tags SET tag = 'a' || char(27) || '[31m'", 'table "customer_tags"'),
                     ("UPDATE interactions SET occurred_at = -99999999999999", 'column "occurred_at"'),
                     # white space around an e-mail (a second account no one can sign in to), a
                     # blank name
                     ("UPDATE staff SET email = email || ' ' WHERE id = 1", 'table "staff" row id 1, column "email"'),
                     ("UPDATE customers SET name = '   ' WHERE id = %d" % ids[0],
                      'table "customers" row id %d, column "name"' % ids[0]))
            for sql, said in edits:
                edited = _edited_copy(raw, os.path.join(srv2.tmp, "edited.backup"), sql)
                p = srv2.cli("restore", "--from", edited)
                s.check(p.returncode == 1 and said in p.stderr,
                        "a backup edited with %r: refused naming %r\n%s" % (sql[:60], said, _desc(p)))
                left = [f for f in os.listdir(srv2.tmp) if f.startswith(os.path.basename(srv2.db_url[7:]))]
                s.check(not left, "a refused restore leaves no database file behind: %r" % left)
                os.unlink(edited)
            # a damaged search index (FTS5's own tables; quick_check does not look inside) is
            # built again from its texts: the restored copy searches
            edited = _edited_copy(raw, os.path.join(srv2.tmp, "fts.backup"),
                                  "UPDATE search_fts_data SET block = x'00' WHERE id = (SELECT max(id) FROM search_fts_data)")
            fts_db = os.path.join(srv2.tmp, "fts.db")
            p = subprocess.run([BIN, "restore", "--from", edited, "--db", "sqlite:" + fts_db], capture_output=True,
                               text=True, timeout=120, env=srv2.env())
            s.check(p.returncode == 0 and "damaged" in p.stderr, "a damaged search index: rebuilt\n" + _desc(p))
            # (FTS5's integrity-check needs the server's tokenizer: the restore runs it, and a
            # second restore of the rebuilt copy finds nothing to rebuild)
            bk2 = os.path.join(srv2.tmp, "fts2.backup")
            p = subprocess.run([BIN, "backup", "--db", "sqlite:" + fts_db, "--to", bk2], capture_output=True,
                               text=True, timeout=120, env=srv2.env())
            p2 = subprocess.run([BIN, "restore", "--from", bk2, "--db", "sqlite:" + fts_db + "2"],
                                capture_output=True, text=True, timeout=120, env=srv2.env())
            s.check(p.returncode == 0 and p2.returncode == 0 and "damaged" not in p2.stderr,
                    "the rebuilt index is whole\n" + _desc(p) + _desc(p2))
            # a backup of a damaged database is refused when it is made, not when it is needed
            broken = _edited_copy(raw, os.path.join(srv2.tmp, "broken.db"), "CREATE TABLE other_app (x)")
            bk = os.path.join(srv2.tmp, "broken.backup")
            p = subprocess.run([BIN, "backup", "--db", "sqlite:" + broken, "--to", bk], capture_output=True, text=True,
                               timeout=120, env=srv2.env())
            s.check(p.returncode == 1 and 'table "other_app"' in p.stderr and not os.path.exists(bk),
                    "backup of a database restore would refuse: exit 1, no file\n" + _desc(p))
        if srv2.db_url.startswith("postgres"):
            # a backup whose rows parse but do not fit the tables: refused with the line and
            # the column named (the database takes nothing: restore is one transaction)
            lines = raw.decode("utf-8").split("\n")
            at = lines.index('"customers": [') + 1
            row = json.loads(lines[at].rstrip(","))
            for key, value, said in (("version", str(row["version"]), "customers.version takes an integer"),
                                     ("name", 12, "customers.name takes a string"),
                                     ("nmae", "x", "has no column nmae"),
                                     ("custom_json", "{bad", "customers.custom_json takes JSON text")):
                bad_row = dict(row)
                bad_row[key] = value
                bad_lines = list(lines)
                bad_lines[at] = json.dumps(bad_row, ensure_ascii=False) + ("," if lines[at].endswith(",") else "")
                damaged = os.path.join(srv2.tmp, "typed.backup")
                with open(damaged, "w", encoding="utf-8") as f:
                    f.write("\n".join(bad_lines))
                p = srv2.cli("restore", "--from", damaged)
                s.check(p.returncode == 1 and said in p.stderr and "line %d" % (at + 1) in p.stderr,
                        "a row with %s=%r: refused naming the line and column\n%s" % (key, value, _desc(p)))
            # rows of the right types but values Kumppani never writes: refused naming the table,
            # the row and the column (an admin of role 99 would be locked out, a contact of an
            # unknown kind would vanish from its customer, a self-merged customer be unreadable)
            staff_at = lines.index('"staff": [') + 1
            for table_at, key, value, said in (
                    (staff_at, "role", 99, 'table "staff" row id 1, column "role"'),
                    (staff_at, "pw_hash", "garbage", 'table "staff" row id 1, column "pw_hash"'),
                    (staff_at, "pw_hash", "$argon2id$v=19$m=19456,t=2,p=1$", 'column "pw_hash"'),
                    (at, "flags", -1, 'column "flags"'),
                    (at, "merged_into", 0, 'column "merged_into"'),
                    (at, "version", -5, 'column "version": below 1'),
                    (at, "custom_json", "[1, 2]", 'column "custom_json"'),
                    (at, "merged_into", row["id"], 'column "merged_into"'),
                    # values the API never writes (an upper-case e-mail, a control character in a
                    # name, a time of year -1199)
                    (staff_at, "email", ADMIN_EMAIL.upper(), 'table "staff" row id 1, column "email"'),
                    (at, "name", "Kello\u0007", 'column "name"'),
                    (lines.index('"interactions": [') + 1, "occurred_at", -99999999999999,
                     'table "interactions" row id 1, column "occurred_at"'),
                    (staff_at, "email", ADMIN_EMAIL + " ", 'table "staff" row id 1, column "email"'),
                    (at, "name", "   ", 'column "name"')):
                bad_row = json.loads(lines[table_at].rstrip(","))
                bad_row[key] = value
                bad_lines = list(lines)
                bad_lines[table_at] = json.dumps(bad_row, ensure_ascii=False) + (
                    "," if lines[table_at].endswith(",") else "")
                damaged = os.path.join(srv2.tmp, "valued.backup")
                with open(damaged, "w", encoding="utf-8") as f:
                    f.write("\n".join(bad_lines))
                p = srv2.cli("restore", "--from", damaged)
                s.check(p.returncode == 1 and said in p.stderr and "never writes" in p.stderr,
                        "a row with %s=%r: refused naming it\n%s" % (key, value, _desc(p)))
            # a row the table refuses (a duplicate id): named by its own line, not its batch's
            if lines[at + 1].startswith("{"):
                dup = json.loads(lines[at + 1].rstrip(","))
                dup["id"] = row["id"]
                bad_lines = list(lines)
                bad_lines[at + 1] = json.dumps(dup, ensure_ascii=False) + ("," if lines[at + 1].endswith(",") else "")
                with open(damaged, "w", encoding="utf-8") as f:
                    f.write("\n".join(bad_lines))
                p = srv2.cli("restore", "--from", damaged)
                s.check(p.returncode == 1 and "line %d (table customers)" % (at + 2) in p.stderr and "duplicate" in p.stderr,
                        "a duplicate id: refused naming its line\n%s" % _desc(p))
        psql = harness._psql()
        if srv2.db_url.startswith("postgres") and psql:
            # another application's table in the target: refused, and its rows untouched
            def sql(q):
                return subprocess.run([psql, "-At", "-v", "ON_ERROR_STOP=1", srv2.db_url, "-c", q],
                                      capture_output=True, text=True, timeout=60)
            sql("CREATE TABLE other_app (x int); INSERT INTO other_app VALUES (1), (2), (3)")
            p = srv2.cli("restore", "--from", out)
            s.check(p.returncode == 1 and "other_app" in p.stderr, "a target with another table is refused\n" + _desc(p))
            s.check(sql("SELECT count(*) FROM other_app").stdout.strip() == "3", "the other table keeps its rows")
            sql("DROP TABLE other_app")
            # a writer that appears after the first emptiness check (a server started on the
            # target): its row makes the restore fail; it neither vanishes nor mixes with the
            # backup's rows
            s.check(srv2.cli("migrate").returncode == 0, "migrate the target")
            hold = subprocess.Popen([psql, "-At", "-v", "ON_ERROR_STOP=1", srv2.db_url], stdin=subprocess.PIPE,
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            hold.stdin.write("BEGIN;\nINSERT INTO staff (email, name, role, team, pw_hash, active, created_at,"
                             " updated_at) VALUES ('late@example.fi', 'Late', 1, NULL, 'x', true, 1, 1);\n"
                             "SELECT 'held';\n")
            hold.stdin.flush()
            said = [hold.stdout.readline().strip() for _ in range(3)]
            s.check(said == ["BEGIN", "INSERT 0 1", "held"], "a transaction holds an uncommitted row: %r" % said)
            restore = subprocess.Popen([harness.BIN, "restore", "--from", out, "--db", srv2.db_url],
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=srv2.env(),
                                       cwd=srv2.tmp)
            time.sleep(1.5)
            hold.stdin.write("COMMIT;\n")
            hold.stdin.close()
            hold.wait(timeout=30)
            rout, rerr = restore.communicate(timeout=60)
            s.check(restore.returncode == 1 and "gained rows" in rerr,
                    "a row committed while the restore began fails it (exit %s): %s" % (restore.returncode, rerr))
            s.check(sql("SELECT count(*) FROM staff").stdout.strip() == "1",
                    "the late row is kept and nothing of the backup was loaded")
            sql("DELETE FROM staff")
        # the real restore into the database the refused attempts left empty (on PostgreSQL from
        # a copy with CRLF line ends, as a Windows tool may leave it: the same backup)
        real = out
        if srv2.db_url.startswith("postgres"):
            real = os.path.join(srv2.tmp, "crlf.backup")
            with open(real, "wb") as f:
                f.write(raw.replace(b"\n", b"\r\n"))
        p = srv2.cli("restore", "--from", real)
        s.check(p.returncode == 0 and "restored" in p.stderr, "restore into the empty database\n" + _desc(p))
        p = srv2.cli("restore", "--from", out)
        s.check(p.returncode == 1 and ("holds" in p.stderr), "a second restore into it is refused\n" + _desc(p))
        srv2.start()
        b = srv2.admin()
        after = b.list_all("/api/v1/customers?tag=palautus", limit=50)
        strip = lambda cs: sorted(({k: v for k, v in c.items()} for c in cs), key=lambda c: c["id"])
        s.check(strip(after) == strip(before), "the restored customers equal the backed-up ones:\n%r\n%r" % (after, before))
        t2 = b.ok("/api/v1/customers/%d/timeline" % ids[1])["items"]
        s.check(t2 == timeline, "the restored timeline equals the original (abuse still masked): %r" % t2)
        s.check(t2 and "idiootti" not in json_dumps(t2), "the restored abusive message is still masked")
        hits = b.ok("/api/v1/search?q=perjantaina")["items"]
        s.check(any(h["type"] == "note" for h in hits), "the restored note is searchable: %r" % hits)
        new = b.create("/api/v1/customers", {"name": "Uusi Palautuksen Jälkeen"})
        s.check(new["id"] > gone, "a new customer after the restore gets an id no customer had, not even one deleted"
                " before the backup (%d > %d)" % (new["id"], gone))
    finally:
        if srv2 is not None and srv2.proc is not None:
            s.check(srv2.stop() == 0, "the server on the restored database stops cleanly")
        rc = srv.stop()
    s.check(rc == 0, "server after backup: SIGTERM exit %s, want 0" % rc)
    s.done()


def test_search_rules_reach_an_older_database(_shared):
    """A database written before search split words at punctuation on PostgreSQL and indexed
    addresses (both stores): restored from a backup of the schema version before (12 on SQLite,
    9 on PostgreSQL), it is migrated, and its rows are found by the new rules (an order number
    after a hyphen, a street, a postal code). The older backup is a new one taken back to it: on SQLite the address
    rows are put in past the ops (their search entries then lack them, as the old ops wrote
    them) and what the new migration made is taken out; on PostgreSQL the search vectors are
    computed by the version's own functions when the rows are loaded, and contact_text is as
    the old ops wrote it (e-mails only)."""
    srv = Server().start()
    srv2 = Server()
    s = Soft()
    try:
        a = srv.admin()
        cid = a.create("/api/v1/customers", {"name": "Ulla Upgrade", "emails": ["ulla@upgrade.example.fi"]})["id"]
        iid = a.create("/api/v1/customers/%d/interactions" % cid,
                       {"kind": "call", "direction": "inbound", "summary": "Tilaus T-617283",
                        "body": "pvm 14.3.2026"})["id"]
        if srv.db_url.startswith("postgres"):
            r = a.patch("/api/v1/customers/%d" % cid, {"addresses": [{"street": "Päivitystie 8", "postal_code": "33980",
                                                                        "city": "Ylöjärvi"}]},
                        headers={"If-Match": '"1"'})
            s.check(r.status == 200, "give the customer an address", r)
        out = os.path.join(srv.tmp, "new.backup")
        p = srv.cli("backup", "--to", out)
        s.check(p.returncode == 0, "backup\n" + _desc(p))
        raw = open(out, "rb").read()
        srv.stop()
        srv2.tmp = tempfile.mkdtemp(prefix="kumppani-it-")
        srv2.db_url = srv2._make_db()
        old = os.path.join(srv2.tmp, "old.backup")
        if srv.db_url.startswith("sqlite:"):
            addr = json_dumps({"street": "Päivitystie 8", "postal_code": "33980", "city": "Ylöjärvi", "country": "FI"},
                              ensure_ascii=False, separators=(",", ":"))
            _edited_copy(raw, old,
                         "DELETE FROM schema_migrations WHERE version >= 13;"
                         "DROP INDEX organizations_phone;"  # 13
                         "DROP INDEX customer_contacts_idn; DROP INDEX organizations_email_idn;"  # 14
                         # 15 (the audit log's redaction)
                         "DROP TRIGGER audit_log_no_update; ALTER TABLE audit_log DROP COLUMN redacted_at;"
                         "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log"
                         "  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
                         "DROP INDEX interactions_updated;"  # 16
                         # 17 (staff-authored texts analysed)
                         "DROP INDEX notes_unanalysed; DROP INDEX interactions_unanalysed;"
                         "ALTER TABLE notes DROP COLUMN analysis_json; ALTER TABLE notes DROP COLUMN abusive;"
                         "ALTER TABLE notes DROP COLUMN search_body;"
                         "ALTER TABLE idempotency_keys DROP COLUMN subject;"  # 18
                         "DROP INDEX interactions_abusive;"  # 19
                         "DROP INDEX audit_log_child_customer;"  # 20
                         "INSERT INTO customer_contacts (customer_id, kind, value, label, is_primary)"
                         " VALUES (%d, 'address', '%s', NULL, 1);" % (cid, addr))
        else:
            with open(old, "w", encoding="utf-8") as g:
                table = None
                for n, line in enumerate(raw.decode("utf-8").splitlines(True)):
                    if n == 0:
                        # back before migration 10 (11, 12: the e-mail indexes, the audit log's redaction)
                        hdr = re.sub(r'"schema_version": (\d+)', '"schema_version": 9', line)
                        g.write(hdr)
                        continue
                    m = re.match(r'^"(\w+)": \[', line)
                    if m:
                        table = m.group(1)
                    elif table in ("audit_log", "notes", "idempotency_keys") and line.startswith("{"):
                        body, comma = (line.rstrip("\n")[:-1], ",") if line.rstrip("\n").endswith(",") else (line.rstrip("\n"), "")
                        row = json_loads(body)
                        for k in ("redacted_at", "analysis_json", "abusive", "search_body", "subject"):  # 12, 13, 15
                            row.pop(k, None)
                        line = json_dumps(row, ensure_ascii=False) + comma + "\n"
                    elif table == "customers" and line.startswith("{"):
                        body, comma = (line.rstrip("\n")[:-1], ",") if line.rstrip("\n").endswith(",") else (line.rstrip("\n"), "")
                        row = json_loads(body)
                        if row["id"] == cid:
                            row["contact_text"] = "ulla@upgrade.example.fi"
                        line = json_dumps(row, ensure_ascii=False) + comma + "\n"
                    g.write(line)
        p = srv2.cli("restore", "--from", old)
        s.check(p.returncode == 0, "restore of the older backup\n" + _desc(p))
        srv2.start()
        b = srv2.admin()
        for q, kind, id_ in (("617283", "interaction", iid), ("T-6172", "interaction", iid),
                             ("2026", "interaction", iid), ("Päivitystie", "customer", cid),
                             ("33980", "customer", cid), ("upgrade.example", "customer", cid)):
            r = b.get("/api/v1/search?q=" + urllib.parse.quote(q))
            s.check(r.status == 200 and any(h["type"] == kind and h["id"] == id_ for h in r.json["items"]),
                    "after the upgrade, search %r finds the %s" % (q, kind), r)
        s.check(srv2.stop() == 0, "the upgraded server stops cleanly")
    finally:
        srv.stop()
        srv2.stop()
    s.done()


def _remove_sqlite(path):
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.unlink(path + suffix)


def test_a_database_that_is_not_kumppanis_is_not_taken_over(_shared):
    """serve and migrate refuse a database that holds another application's tables, or a
    schema_migrations of another shape, and create nothing in it; backup refuses a database
    of a schema newer than the program. On SQLite and on PostgreSQL."""
    s = Soft()
    srv = Server()
    srv.tmp = tempfile.mkdtemp(prefix="kumppani-it-")
    psql = harness._psql()
    try:
        for setup, said in (("CREATE TABLE invoices (id integer); INSERT INTO invoices VALUES (1)",
                             "\"invoices\", which Kumppani did not make"),
                            ("CREATE TABLE schema_migrations (version text, applied_at text)",
                             "schema_migrations table is not Kumppani's")):
            srv.db_url = srv._make_db()
            if srv.db_url.startswith("sqlite:"):
                _remove_sqlite(srv.db_url[7:])
                con = sqlite3.connect(srv.db_url[7:])
                con.executescript(setup)
                con.close()

                def tables():
                    con = sqlite3.connect(srv.db_url[7:])
                    try:
                        return sorted(r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'"))
                    finally:
                        con.close()
            elif psql:
                subprocess.run([psql, "-q", "-v", "ON_ERROR_STOP=1", srv.db_url, "-c", setup], check=True,
                               capture_output=True, timeout=60)

                def tables():
                    p = subprocess.run([psql, "-At", srv.db_url, "-c", "SELECT relname FROM pg_class WHERE relnamespace"
                                        " = current_schema()::regnamespace AND relkind = 'r' ORDER BY 1"],
                                       capture_output=True, text=True, timeout=60)
                    return p.stdout.split()
            else:
                return
            had = tables()
            for cmd in (("migrate",), ("serve", "--listen", "127.0.0.1:0")):
                p = srv.cli(*cmd, timeout=60)
                s.check(p.returncode == 1 and said in p.stderr and "of its own" in p.stderr,
                        "%s on a database with %s: exit 1 naming it\n%s" % (cmd[0], setup[:40], _desc(p)))
                s.check(tables() == had, "%s created nothing: %r -> %r" % (cmd[0], had, tables()))
            srv._drop_db()
        # what an extension made (pg_stat_statements' view) is no other application's
        if psql and srv.db_url.startswith("postgres"):
            srv.db_url = srv._make_db()
            p = subprocess.run([psql, "-q", srv.db_url, "-c", "CREATE EXTENSION pg_stat_statements"],
                               capture_output=True, text=True, timeout=60)
            if p.returncode == 0:
                p = srv.cli("migrate")
                s.check(p.returncode == 0, "a database with an extension's view is taken\n" + _desc(p))
            srv._drop_db()
        # a schema newer than this program: backup says so instead of writing a file it could
        # not restore
        srv.db_url = srv._make_db()
        if srv.db_url.startswith("sqlite:"):
            _remove_sqlite(srv.db_url[7:])
        s.check(srv.cli("migrate").returncode == 0, "migrate a new database")
        newer = "INSERT INTO schema_migrations (version, applied_at) VALUES (999, 1)"
        if srv.db_url.startswith("sqlite:"):
            con = sqlite3.connect(srv.db_url[7:])
            con.execute(newer)
            con.commit()
            con.close()
        else:
            subprocess.run([psql, "-q", srv.db_url, "-c", newer], check=True, capture_output=True, timeout=60)
        out = os.path.join(srv.tmp, "newer.backup")
        p = srv.cli("backup", "--to", out)
        s.check(p.returncode == 1 and "newer" in p.stderr and not os.path.exists(out),
                "backup of a newer schema: exit 1, no file\n" + _desc(p))
    finally:
        srv._drop_db()
    s.done()


def test_backup_killed_leaves_no_file(_shared):
    """A backup ended by SIGTERM or SIGINT while it copies or checks leaves nothing under the
    target's name (nor a temporary file beside it): a later backup to the same name works, and
    an existing file is still never overwritten. On SQLite and on PostgreSQL."""
    import signal
    srv = Server().start()
    try:
        p = srv.cli("demo", "--customers", "3000", "--seed", "3", timeout=600)
        expect(p.returncode == 0, "demo data to back up\n" + _desc(p))
        out = os.path.join(srv.tmp, "killed.backup")

        def ours():
            return sorted(f for f in os.listdir(srv.tmp) if "killed.backup" in f)

        for sig in (signal.SIGTERM, signal.SIGINT):
            killed = False
            for _ in range(8):
                proc = subprocess.Popen([BIN, "backup", "--to", out, "--db", srv.db_url], stdout=subprocess.DEVNULL,
                                        stderr=subprocess.PIPE, env=srv.env(), cwd=srv.tmp)
                deadline = time.time() + 60
                while proc.poll() is None and not ours() and time.time() < deadline:
                    time.sleep(0.0005)
                if proc.poll() is None:
                    seen = ours()
                    proc.send_signal(sig)
                    proc.wait(60)
                    killed = proc.returncode == -sig
                proc.stderr.close()
                proc.wait(60)
                if killed:
                    break
                if os.path.exists(out):  # it finished before the signal came: again
                    os.unlink(out)
            expect(killed, "a backup was ended by signal %d while it ran" % sig)
            expect(not ours(), "a backup killed by signal %d (files seen then: %r) leaves nothing: %r"
                   % (sig, seen, ours()))
            p = srv.cli("backup", "--to", out)
            expect(p.returncode == 0 and os.path.exists(out), "a later backup to the same name\n" + _desc(p))
            mode = os.stat(out).st_mode & 0o777
            expect(mode == 0o600, "the backup is its owner's only (mode %o)" % mode)
            p = srv.cli("backup", "--to", out)
            expect(p.returncode == 1 and "already exists" in p.stderr, "an existing backup is not overwritten\n"
                   + _desc(p))
            expect(ours() == ["killed.backup"], "a refused backup leaves nothing beside it: %r" % ours())
            os.unlink(out)
    finally:
        srv.stop()


def test_backup_killed_outright_leaves_a_file_the_next_backup_removes(_shared):
    """A backup killed with SIGKILL while it writes (no handler runs) leaves its temporary file
    .BASE.tmp-XXXXXX beside the target; the next backup to that name removes it and says so,
    but never the temporary file of a backup still running (here: stopped mid-write, holding
    its lock), which then finishes as it would have. On SQLite and on PostgreSQL."""
    import fcntl
    import signal
    srv = Server().start()
    running = None
    try:
        p = srv.cli("demo", "--customers", "3000", "--seed", "4", timeout=600)
        expect(p.returncode == 0, "demo data to back up\n" + _desc(p))
        out = os.path.join(srv.tmp, "kill9.backup")
        tmp_re = re.compile(r"^\.kill9\.backup\.tmp-[A-Za-z0-9]{6}$")

        def temps():
            return sorted(f for f in os.listdir(srv.tmp) if tmp_re.match(f))

        def start():
            return subprocess.Popen([BIN, "backup", "--to", out, "--db", srv.db_url], stdout=subprocess.DEVNULL,
                                    stderr=subprocess.PIPE, env=srv.env(), cwd=srv.tmp)

        def wait_for_temp(proc, n=1):
            deadline = time.time() + 60
            while proc.poll() is None and len(temps()) < n and time.time() < deadline:
                time.sleep(0.0005)
            return proc.poll() is None

        # a backup that runs: stopped while it writes, with its temporary file locked
        held = None
        for _ in range(50):
            proc = start()
            deadline = time.time() + 60
            while proc.poll() is None and not temps() and time.time() < deadline:
                time.sleep(0.0005)
            if proc.poll() is not None:
                proc.stderr.close()
                if os.path.exists(out):
                    os.unlink(out)
                continue
            proc.send_signal(signal.SIGSTOP)
            mine = temps()
            locked = False
            for _ in range(200):
                try:
                    fd = os.open(os.path.join(srv.tmp, mine[0]), os.O_RDONLY)
                except FileNotFoundError:
                    break
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    fcntl.flock(fd, fcntl.LOCK_UN)
                except BlockingIOError:
                    locked = True
                finally:
                    os.close(fd)
                if locked:
                    break
                # stopped between making the file and locking it: a little further
                proc.send_signal(signal.SIGCONT)
                time.sleep(0.001)
                proc.send_signal(signal.SIGSTOP)
            if locked:
                running, held = proc, mine[0]
                break
            proc.send_signal(signal.SIGKILL)
            proc.wait(60)
            proc.stderr.close()
            for f in temps():
                os.unlink(os.path.join(srv.tmp, f))
        expect(running is not None, "a backup was caught while it wrote, its temporary file locked")
        # one killed outright meanwhile (its start tried the running one's file and kept it)
        left = []
        for _ in range(10):
            proc = start()
            if wait_for_temp(proc, 2):  # the running one's and its own
                proc.send_signal(signal.SIGKILL)
            proc.wait(60)
            proc.stderr.close()
            if proc.returncode == -signal.SIGKILL and set(temps()) - {held}:
                left = sorted(set(temps()) - {held})
                break
            if os.path.exists(out):
                os.unlink(out)
        expect(left and not os.path.exists(out), "a backup killed with SIGKILL left its temporary file: %r" % left)
        expect(held in temps(), "the running backup's file %s is kept by the killed one's start" % held)
        try:
            p = srv.cli("backup", "--to", out)
            expect(p.returncode == 0 and os.path.exists(out), "the next backup\n" + _desc(p))
            for f in left:
                expect(("removed " + os.path.join(srv.tmp, f)) in p.stderr or ("/" + f + ", left by") in p.stderr,
                       "it says it removed %s\n%s" % (f, _desc(p)))
                expect(not os.path.exists(os.path.join(srv.tmp, f)), "%s is gone" % f)
            expect(held in temps(), "the running backup's temporary file %s is kept: %r" % (held, temps()))
            expect(held not in p.stderr, "and not said removed\n" + _desc(p))
            os.unlink(out)
        finally:
            running.send_signal(signal.SIGCONT)
        running.wait(120)
        err = running.stderr.read().decode("utf-8", "replace")
        running.stderr.close()
        expect(running.returncode == 0 and os.path.exists(out), "the running backup finishes (exit %s): %s"
               % (running.returncode, err))
        expect(temps() == [], "nothing is left beside it: %r" % temps())
        # a backup with nothing to remove says nothing of it
        os.unlink(out)
        p = srv.cli("backup", "--to", out)
        expect(p.returncode == 0 and "removed" not in p.stderr, "a backup with nothing left over\n" + _desc(p))
    finally:
        if running is not None and running.poll() is None:
            running.send_signal(signal.SIGKILL)
            running.send_signal(signal.SIGCONT)
            running.wait(60)
        srv.stop()


def _as_other_user():
    """argv prefix that runs a command as another user than the owner of the files it makes
    (root: nobody, via setpriv), or None when we are not root (then a file is made read-only
    by its mode instead)."""
    if os.geteuid() != 0:
        return None
    import shutil
    sp = shutil.which("setpriv")
    return [sp, "--reuid=nobody", "--regid=nogroup", "--clear-groups"] if sp else None


def test_a_database_this_user_cannot_write_is_refused_at_start(_shared):
    """serve and migrate on a SQLite database file, or a -wal beside it, that this user cannot
    write (the directory writable) exit 1 at once saying which file, instead of reporting ready
    and failing every write. SQLite only."""
    other = _as_other_user()
    if os.geteuid() == 0 and other is None:
        return  # root writes any file: nothing to test without another user
    tmp = tempfile.mkdtemp(prefix="kumppani-it-cli-")
    os.chmod(tmp, 0o777)
    path = os.path.join(tmp, "ro.db")
    p = _run(["migrate", "--db", "sqlite:" + path], cwd=tmp)
    expect(p.returncode == 0, "migrate a new database\n" + _desc(p))

    def run_as(args):
        e = dict(os.environ)
        for k in ("KUMPPANI_DB", "KUMPPANI_LISTEN", "KUMPPANI_THREADS"):
            e.pop(k, None)
        return subprocess.run((other or []) + [BIN] + args, capture_output=True, text=True, timeout=60, env=e,
                              cwd=tmp)

    os.chmod(path, 0o644 if other else 0o444)
    before = open(path, "rb").read()
    for args in (["serve", "--listen", "127.0.0.1:0"], ["migrate"]):
        p = run_as(args + ["--db", "sqlite:" + path])
        expect(p.returncode == 1 and "not writable" in p.stderr and path in p.stderr
               and "listening" not in p.stderr,
               "%s on a database file this user cannot write: exit 1 naming it\n%s" % (args[0], _desc(p)))
    expect(open(path, "rb").read() == before, "the refused database is as it was")
    # the database writable, but a -wal beside it (another user's) not
    if other:
        os.chown(path, 65534, -1)
        os.chmod(path, 0o600)
    else:
        os.chmod(path, 0o600)
    with open(path + "-wal", "wb"):
        pass
    os.chmod(path + "-wal", 0o644 if other else 0o444)
    for args in (["serve", "--listen", "127.0.0.1:0"], ["migrate"]):
        p = run_as(args + ["--db", "sqlite:" + path])
        expect(p.returncode == 1 and "WAL file" in p.stderr and "not writable" in p.stderr,
               "%s with a -wal this user cannot write: exit 1 saying so\n%s" % (args[0], _desc(p)))


def test_another_programs_database_is_left_as_it_was(_shared):
    """Every command that opens a SQLite database refuses another program's before it changes
    anything in the file (before: its journal mode was switched to WAL, header bytes
    rewritten). SQLite only."""
    tmp = tempfile.mkdtemp(prefix="kumppani-it-cli-")
    path = os.path.join(tmp, "o.db")
    con = sqlite3.connect(path)
    con.execute("create table foo(x)")
    con.commit()
    con.close()
    before = open(path, "rb").read()
    s = Soft()
    db = "sqlite:" + path
    for args, stdin in ((["migrate"], None), (["staff", "list"], None),
                        (["staff", "add", "--email", "a@example.fi", "--name", "A", "--role", "admin"],
                         "Toinen-Ohjelma-Salasana-1\n"),
                        (["token", "create", "--email", "a@example.fi", "--name", "x"], None),
                        (["serve", "--listen", "127.0.0.1:0"], None), (["demo", "--customers", "3"], None)):
        p = _run(args + ["--db", db], input=stdin, cwd=tmp, timeout=60)
        s.check(p.returncode == 1 and '"foo"' in p.stderr, "%s: exit 1 naming the table\n%s" % (args[0], _desc(p)))
        s.check(open(path, "rb").read() == before, "%s left the file's bytes as they were" % " ".join(args[:2]))
        s.check(sorted(os.listdir(tmp)) == ["o.db"], "%s made no file beside it: %r" % (args[0], os.listdir(tmp)))
    s.done()


def test_sqlite_paths_are_paths(_shared):
    """sqlite:PATH is a file path: an SQLite URI (file:...) is refused as a usage error and makes
    no file; a directory is named as one; every file Kumppani makes is its owner's only."""
    tmp = tempfile.mkdtemp(prefix="kumppani-it-cli-")
    s = Soft()
    old_umask = os.umask(0o022)
    try:
        for url in ("sqlite:file:kp.db", "sqlite:file:x.db?mode=memory", "sqlite://file:kp.db"):
            for args in (["migrate"], ["staff", "list"], ["serve", "--listen", "127.0.0.1:0"]):
                p = _run(args + ["--db", url], cwd=tmp, timeout=60)
                s.check(p.returncode == 2 and "URI" in p.stderr,
                        "%s --db %s: a usage error naming the URI\n%s" % (args[0], url, _desc(p)))
        s.check(os.listdir(tmp) == [], "no file was made: %r" % os.listdir(tmp))
        p = _run(["migrate", "--db", "sqlite:" + tmp], cwd=tmp, timeout=60)
        s.check(p.returncode == 1 and "is a directory" in p.stderr, "a directory is named as one\n" + _desc(p))
        # a file whose name begins with file: is reached by its path
        p = _run(["migrate", "--db", "sqlite:./file:kp.db"], cwd=tmp, timeout=60)
        s.check(p.returncode == 0 and os.listdir(tmp) == ["file:kp.db"],
                "sqlite:./file:kp.db is the file of that name\n%s %r" % (_desc(p), os.listdir(tmp)))
        p = _run(["demo", "--customers", "5", "--db", "sqlite:d.db"], cwd=tmp, timeout=120)
        s.check(p.returncode == 0, "demo into a new file\n" + _desc(p))
        p = _run(["backup", "--to", "d.backup", "--db", "sqlite:d.db"], cwd=tmp, timeout=120)
        s.check(p.returncode == 0, "backup\n" + _desc(p))
        p = _run(["restore", "--from", "d.backup", "--db", "sqlite:r.db"], cwd=tmp, timeout=120)
        s.check(p.returncode == 0, "restore\n" + _desc(p))
        # backup and restore files are paths too, even when their names begin with file:
        p = _run(["backup", "--to", "file:d.backup", "--db", "sqlite:d.db"], cwd=tmp, timeout=120)
        s.check(p.returncode == 0 and os.path.getsize(os.path.join(tmp, "file:d.backup")) > 0,
                "backup --to file:NAME\n" + _desc(p))
        p = _run(["restore", "--from", "file:d.backup", "--db", "sqlite:r2.db"], cwd=tmp, timeout=120)
        s.check(p.returncode == 0, "restore --from file:NAME\n" + _desc(p))
        for f in os.listdir(tmp):
            mode = os.stat(os.path.join(tmp, f)).st_mode & 0o777
            s.check(mode == 0o600, "%s is its owner's only under umask 022 (mode %o)" % (f, mode))
    finally:
        os.umask(old_umask)
    s.done()


def test_staff_list_columns_fit_their_cells(_shared):
    """`staff list` makes each column as wide as its widest cell, two spaces apart: a long
    e-mail or name neither runs into the next column nor pushes the others out of line, and
    the cells can be read back by the header's column positions."""
    srv = Server().start()
    try:
        long_email = "aino.laaksonen@kumppani-demo.example.fi"
        long_name = "Äänekoski " + "Pitkänimi" * 21
        for email, name, team in ((long_email, "Aino Laaksonen", None), ("b@example.fi", long_name, "Tuki")):
            args = ["staff", "add", "--email", email, "--name", name, "--role", "agent"]
            if team:
                args += ["--team", team]
            p = srv.cli(*args, input="Pitka-Sarake-Salasana-7\n")
            expect(p.returncode == 0, "staff add %s\n%s" % (email, _desc(p)))
        p = srv.cli("staff", "list")
        expect(p.returncode == 0, "staff list\n" + _desc(p))
        lines = p.stdout.splitlines()
        head = lines[0]
        cols = ["ID", "EMAIL", "NAME", "ROLE", "TEAM", "ACTIVE"]
        starts = [head.index(c) for c in cols]
        expect(head.split() == cols, "the header names the columns: %r" % head)
        rows = []
        for line in lines[1:]:
            cells = [line[starts[i]:starts[i + 1] if i + 1 < len(cols) else None] for i in range(len(cols))]
            expect(all(c.endswith("  ") for c in cells[:-1]), "two spaces after every cell: %r" % line)
            rows.append([c.strip() for c in cells])
        got = {r[1]: r for r in rows}
        expect(long_email in got and got[long_email][2] == "Aino Laaksonen" and got[long_email][3] == "agent",
               "the long e-mail and its name are cells of their own: %r" % rows)
        expect("b@example.fi" in got and got["b@example.fi"][2] == long_name and got["b@example.fi"][4] == "Tuki"
               and got["b@example.fi"][5] == "yes", "the 200-character name and the columns after it: %r" % rows)
        expect(got[ADMIN_EMAIL][4] == "-", "no team is '-': %r" % got[ADMIN_EMAIL])
    finally:
        srv.stop()


def test_empty_values_and_numbers_have_one_rule(_shared):
    """An empty value on the command line is a usage error for every option (--listen "" bound
    the default address); an empty KUMPPANI_* variable is unset, for every one of them; a number
    with a space or a sign around it is refused from an option and from the environment alike."""
    tmp = tempfile.mkdtemp(prefix="kumppani-it-cli-")
    db = "sqlite:" + os.path.join(tmp, "e.db")
    s = Soft()
    for args in (["serve", "--listen", "", "--db", db], ["serve", "--listen=", "--db", db],
                 ["serve", "--threads", "", "--db", db], ["serve", "--timezone", "", "--db", db],
                 ["serve", "--max-batch", "", "--db", db], ["serve", "--sync=", "--db", db], ["serve", "--db", ""],
                 ["migrate", "--db="], ["staff", "add", "--email", "a@example.fi", "--name", "A", "--role", "agent",
                                        "--team", "", "--db", db],
                 ["staff", "list", "--db", ""], ["token", "create", "--email", "", "--name", "x", "--db", db],
                 ["backup", "--to", "", "--db", db], ["restore", "--from=", "--db", db],
                 ["demo", "--customers", "3", "--seed", "", "--db", db], ["analyze", "--lang", ""],
                 ["serve", "--threads", " 2", "--db", db], ["serve", "--threads", "2 ", "--db", db],
                 ["serve", "--max-batch", "+5", "--db", db]):
        p = _run(args, input="Tyhja-Arvo-Salasana-5\n", cwd=tmp, timeout=30)
        s.check(p.returncode == 2 and "usage error" in p.stderr,
                "%r: a usage error (exit 2)\n%s" % (args, _desc(p)))
    for var, val in (("KUMPPANI_THREADS", " 2"), ("KUMPPANI_MAX_BODY", " 2048"), ("KUMPPANI_MAX_BODY", "2048 "),
                     ("KUMPPANI_DB_TIMEOUT_MS", "+500"), ("KUMPPANI_LISTEN", "127.0.0.1: 0")):
        p = _run(["serve", "--listen", "127.0.0.1:0", "--db", db] if var != "KUMPPANI_LISTEN" else ["serve", "--db", db],
                 env={var: val}, cwd=tmp, timeout=30)
        s.check(p.returncode == 2 and var in p.stderr, "%s=%r: a usage error naming it\n%s" % (var, val, _desc(p)))
    s.check(not os.path.exists(os.path.join(tmp, "e.db")), "no usage error touched the database")
    # every variable empty: the defaults, and the server starts (on the port of --listen)
    env = {k: "" for k in ("KUMPPANI_THREADS", "KUMPPANI_TIMEZONE", "KUMPPANI_MAX_BODY", "KUMPPANI_DB_TIMEOUT_MS",
                           "KUMPPANI_COOKIE_SECURE", "KUMPPANI_ADMIN_EMAIL", "KUMPPANI_DEBUG", "KUMPPANI_BULK_NO_SIDE")}
    env["KUMPPANI_DB"] = db
    srv = Server()
    srv.tmp = tmp
    e = srv.env()
    e.update(env)
    e.pop("KUMPPANI_ADMIN_PASSWORD", None)
    proc = subprocess.Popen([BIN, "serve", "--listen", "127.0.0.1:0"], stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=e, cwd=tmp)
    try:
        line = _listening_line(proc)
        s.check("listening on http://127.0.0.1:" in line, "serve with every KUMPPANI_* empty: %r" % line)
    finally:
        proc.terminate()
        try:
            out = proc.stdout.read().decode()
            rc = proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            rc = None
        proc.stdout.close()
        proc.stderr.close()
    s.check(rc == 0, "SIGTERM: exit %s" % rc)
    s.check("admin@kumppani.local" in out, "an empty KUMPPANI_ADMIN_EMAIL is the default one: %r" % out)
    s.done()


def test_sighup_stops_serve_gracefully(_shared):
    """SIGHUP (the terminal or session serve ran in closed) stops serve as SIGTERM does: the
    request in flight is answered, and the exit status is 0 (before: killed, 129)."""
    import signal
    import threading
    srv = Server().start()
    try:
        a = srv.admin()
        got = {}

        def slow_write():
            got["r"] = a.post("/api/v1/customers", {"name": "Katkaistu Yhteys"})

        t = threading.Thread(target=slow_write)
        t.start()
        time.sleep(0.05)
        srv.proc.send_signal(signal.SIGHUP)
        t.join(60)
        rc = srv.proc.wait(30)
        expect(rc == 0, "SIGHUP: exit %s, want 0\n%s" % (rc, srv.log_tail()))
        expect(any("SIGHUP" in l for l in srv.log_lines), "the log says why it stopped:\n" + srv.log_tail())
        r = got.get("r")
        expect(r is None or r.status == 201, "a request in flight is answered, not cut", r)
    finally:
        srv.stop()


def test_restore_target_is_what_the_help_says(_shared):
    """restore into SQLite takes a new path or an empty (0-byte) file and refuses a database
    migrate made, even without rows, as its help says. SQLite only."""
    tmp = tempfile.mkdtemp(prefix="kumppani-it-cli-")
    h = _run(["restore", "--help"]).stdout
    expect("0-byte" in h and "even without" in h, "restore --help says what a target may be: %s" % h)
    p = _run(["demo", "--customers", "2", "--db", "sqlite:src.db"], cwd=tmp)
    expect(p.returncode == 0, "demo\n" + _desc(p))
    p = _run(["backup", "--to", "b.backup", "--db", "sqlite:src.db"], cwd=tmp)
    expect(p.returncode == 0, "backup\n" + _desc(p))
    open(os.path.join(tmp, "empty.db"), "wb").close()
    p = _run(["restore", "--from", "b.backup", "--db", "sqlite:empty.db"], cwd=tmp)
    expect(p.returncode == 0, "restore into a 0-byte file\n" + _desc(p))
    p = _run(["migrate", "--db", "sqlite:migrated.db"], cwd=tmp)
    p = _run(["restore", "--from", "b.backup", "--db", "sqlite:migrated.db"], cwd=tmp)
    expect(p.returncode == 1 and "already holds a database" in p.stderr, "a migrated database is refused\n" + _desc(p))


def test_a_database_others_can_read_is_named_at_start(_shared):
    """A SQLite database file that other users may read or write (an older version made files
    with the umask's mode; or someone chmod-ed it) holds password, token and session hashes: serve
    says so at start, naming the file and the mode, and leaves the mode as it is. One that is its
    owner's only gets no such line. SQLite only."""
    srv = Server()
    srv.start()
    try:
        if not (srv.db_url or "").startswith("sqlite:"):
            return
        path = srv.db_url[len("sqlite:"):]
        expect(not any("other users" in l for l in srv.log_lines),
               "a database of mode 0600 gets no warning:\n" + srv.log_tail())
        srv.stop(keep=True)
        os.chmod(path, 0o644)
        srv.start()
        hit = [l for l in srv.log_lines if "other users" in l]
        expect(hit and path in hit[0] and "644" in hit[0] and "chmod 600" in hit[0],
               "serve names the file others can read, its mode and the fix:\n" + srv.log_tail())
        expect(os.stat(path).st_mode & 0o777 == 0o644, "the mode is left as it was")
    finally:
        srv.stop()


def test_delete_takes_merged_tombstones(_shared):
    """A customer's DELETE takes the records merged into it (their tombstones) with it, each
    audited: before, B merged into A and then A deleted left B pointing at no customer, and
    every backup after it failed ('column "merged_into": a value that does not fit the column'
    on SQLite; on PostgreSQL the backup was written and its restore refused). A chain (X into
    Y, Y into Z, delete Z) goes whole; merges and deletes sent at once leave no tombstone
    behind; ids are never given out again; the backup restores. Tombstones an older version
    left (written here directly) are repaired at migrate. On SQLite and on PostgreSQL."""
    import concurrent.futures
    srv = Server().start()
    srv2 = None
    try:
        a = srv.admin()

        def new(name):
            return a.create("/api/v1/customers", {"name": name, "emails": ["%s@example.fi" % name.lower()]})["id"]

        def merge(into, frm):
            return a.post("/api/v1/customers/%d/merge" % into, {"from": frm})

        # B (the newest customer) merged into A, then A deleted
        ca, cb = new("Aino"), new("Bertta")
        r = merge(ca, cb)
        expect(r.status == 200, "merge B into A", r)
        r = a.delete("/api/v1/customers/%d" % ca)
        expect(r.status == 204, "delete A", r)
        r = a.get("/api/v1/customers/%d" % cb)
        expect(r.status == 404 and "merged_into" not in (r.json or {}), "B went with A: a plain 404", r)
        r = a.get("/api/v1/audit?entity=customer&entity_id=%d&action=delete" % cb)
        ch = (r.json.get("items") or [{}])[0].get("changes", {}) if r.status == 200 else {}
        expect(ch.get("deleted_with_customer") == ca and ch.get("merged_into") == [ca, None]
               and ch.get("name") == ["Bertta", None], "B's delete is audited, with A", r)
        r = a.get("/api/v1/audit?entity=customer&entity_id=%d&action=delete" % ca)
        ch = (r.json.get("items") or [{}])[0].get("changes", {}) if r.status == 200 else {}
        expect(ch.get("merged_deleted") == [cb], "A's delete names B", r)
        # the id of B, the newest row, is not given out again
        cn = new("Uusi")
        expect(cn > cb, "a new customer gets an id after B's (%d), not %d" % (cb, cn))

        # a chain: X into Y, Y into Z (which re-points X at Z), delete Z
        cx, cy, cz = new("Xenia"), new("Yrjo"), new("Zacharias")
        expect(merge(cy, cx).status == 200 and merge(cz, cy).status == 200, "merge X into Y, Y into Z")
        r = a.get("/api/v1/customers/%d" % cx)
        expect(r.status == 404 and r.json.get("merged_into") == cz, "X leads to Z", r)
        r = a.delete("/api/v1/customers/%d" % cz)
        expect(r.status == 204, "delete Z", r)
        for t in (cx, cy):
            r = a.get("/api/v1/customers/%d" % t)
            expect(r.status == 404 and "merged_into" not in (r.json or {}), "the chain went with Z", r)

        # merges and deletes of the survivor at once
        pairs = [(new("Pari%dA" % i), new("Pari%dB" % i)) for i in range(8)]
        with concurrent.futures.ThreadPoolExecutor(max_workers=8) as ex:
            futs = []
            for into, frm in pairs:
                futs.append(ex.submit(merge, into, frm))
                futs.append(ex.submit(a.delete, "/api/v1/customers/%d" % into))
            for f in futs:
                f.result()
        for into, frm in pairs:
            r = a.get("/api/v1/customers/%d" % frm)
            expect(r.status == 200 or (r.status == 404 and r.json.get("merged_into") in (None, into)
                                       and (r.json.get("merged_into") is None
                                            or a.get("/api/v1/customers/%d" % into).status == 200)),
                   "after a merge and a delete at once, B is live, merged into a live A, or gone", r)

        # the backup is written, and restores
        out = os.path.join(srv.tmp, "tombstones.backup")
        p = srv.cli("backup", "--to", out)
        expect(p.returncode == 0, "backup after the deletes\n" + _desc(p))
        srv2 = Server()
        srv2.tmp = tempfile.mkdtemp(prefix="kumppani-it-")
        srv2.db_url = srv2._make_db()
        p = srv2.cli("restore", "--from", out)
        expect(p.returncode == 0, "restore of that backup\n" + _desc(p))
        srv2.start()
        b = srv2.admin()
        r = b.get("/api/v1/customers/%d" % cb)
        expect(r.status == 404, "B is not in the restored copy", r)
        r = b.get("/api/v1/customers/%d" % cn)
        expect(r.status == 200, "the others are", r)
        srv2.stop()
        srv2._drop_db()
        srv2 = None

        # as an older version left them: a tombstone merged into a deleted customer, and one
        # merged into a tombstone (a chain never re-pointed)
        cd, ce = new("Doris"), new("Eemeli")
        cf, cg, ch_ = new("Fanni"), new("Gunnar"), new("Hilda")
        expect(merge(cd, ce).status == 200 and merge(ch_, cg).status == 200 and merge(ch_, cf).status == 200,
               "merges")
        srv.stop(keep=True)
        _db_sql(srv.db_url, "UPDATE customers SET merged_into = %d WHERE id = %d" % (ca, ce))
        _db_sql(srv.db_url, "UPDATE customers SET merged_into = %d WHERE id = %d" % (cg, cf))
        p = srv.cli("migrate")
        expect(p.returncode == 0 and "1 merged-away customers whose survivor had been deleted are now deleted too, "
               "1 pointed at their survivor" in p.stdout, "migrate repairs them\n" + _desc(p))
        p = srv.cli("migrate")
        expect(p.returncode == 0 and "merged-away" not in p.stdout, "a second migrate finds nothing\n" + _desc(p))
        p = srv.cli("backup", "--to", out + "2")
        expect(p.returncode == 0, "backup after the repair\n" + _desc(p))
        srv2 = Server()
        srv2.tmp = tempfile.mkdtemp(prefix="kumppani-it-")
        srv2.db_url = srv2._make_db()
        p = srv2.cli("restore", "--from", out + "2")
        expect(p.returncode == 0, "restore of the repaired database's backup\n" + _desc(p))
        srv.start()
        a = srv.admin()
        r = a.get("/api/v1/customers/%d" % ce)
        expect(r.status == 404 and "merged_into" not in (r.json or {}), "the dangling tombstone is gone", r)
        r = a.get("/api/v1/audit?entity=customer&entity_id=%d&action=delete" % ce)
        ch = (r.json.get("items") or [{}])[0] if r.status == 200 else {}
        expect(ch.get("actor") == "system" and ch.get("changes", {}).get("deleted_with_customer") == ca,
               "its delete is audited by the system", r)
        r = a.get("/api/v1/customers/%d" % cf)
        expect(r.status == 404 and r.json.get("merged_into") == ch_, "the chained one leads to its survivor", r)
        r = a.get("/api/v1/customers/%d" % cd)
        expect(r.status == 200, "D, which was not deleted, is", r)
    finally:
        srv.stop()
        srv._drop_db()
        if srv2:
            srv2.stop()
            srv2._drop_db()
