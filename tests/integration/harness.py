"""Integration-test harness: start the real `kumppani` binary on a free port with a fresh
database, drive it over HTTP, stop it.

    srv = Server().start()          # fresh temp dir, sqlite (or KUMPPANI_TEST_DB), 2 threads
    try:
        admin = srv.admin()          # bearer-token client for the bootstrap admin
        r = admin.post("/api/v1/customers", {"name": "Maija Virtanen"})
        expect(r.status == 201, "create customer", r)
    finally:
        srv.stop()                   # SIGTERM; must exit 0 within 15 s, else killed

Environment:
    KUMPPANI_BIN      the binary (default build/check/kumppani, relative to the repo root)
    KUMPPANI_TEST_DB  a postgres://... URL of a server we may create databases on: each server
                      then gets a fresh database (created and dropped with psql); without it,
                      sqlite:<tmpdir>/k.db
Every server listens on 127.0.0.1 only and is stopped at the latest at exit (atexit), or by the
watchdog of run.py.
"""

import atexit
import errno
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.path.abspath(os.path.join(REPO, os.environ.get("KUMPPANI_BIN", "build/check/kumppani")))
ADMIN_EMAIL = "admin@kumppani.test"
ADMIN_PASSWORD = "Integraatio-Salasana-1"
STAFF_PASSWORD = "Henkilokunta-Salasana-2"
REQUEST_TIMEOUT = 60.0  # seconds; ASan + Argon2id make sign-ins slow

_live_servers = []


class TestFailure(AssertionError):
    pass


def expect(cond, what, resp=None):
    """Fail the running test with `what` (and the exchange `resp`) unless cond holds."""
    if not cond:
        raise TestFailure(what + ("\n" + resp.describe() if resp is not None else ""))


class Soft:
    """Collect several failures in one test (table-driven cases) and raise them together."""

    def __init__(self):
        self.failures = []

    def check(self, cond, what, resp=None):
        if not cond:
            self.failures.append(what + ("\n" + resp.describe() if resp is not None else ""))
        return cond

    def done(self):
        if self.failures:
            n = len(self.failures)
            shown = self.failures[:25]
            more = "" if n <= 25 else "\n... and %d more" % (n - 25)
            raise TestFailure("%d case(s) failed:\n- " % n + "\n- ".join(shown) + more)


class Response:
    def __init__(self, method, path, req_headers, req_body, status, headers, body):
        self.method = method
        self.path = path
        self.req_headers = req_headers
        self.req_body = req_body
        self.status = status
        self.headers = headers  # list of (name, value), names as sent
        self.body = body  # bytes
        self._json = None
        self._json_done = False

    def header(self, name):
        name = name.lower()
        for k, v in self.headers:
            if k.lower() == name:
                return v
        return None

    def header_all(self, name):
        name = name.lower()
        return [v for k, v in self.headers if k.lower() == name]

    @property
    def json(self):
        if not self._json_done:
            self._json_done = True
            try:
                self._json = json.loads(self.body.decode("utf-8"))
            except (ValueError, UnicodeDecodeError):
                self._json = None
        return self._json

    @property
    def content_type(self):
        ct = self.header("content-type") or ""
        return ct.split(";")[0].strip().lower()

    def describe(self):
        def clip(b, n=600):
            if b is None:
                return ""
            if isinstance(b, str):
                b = b.encode("utf-8", "replace")
            t = b[:n].decode("utf-8", "replace")
            return t + ("... (%d bytes)" % len(b) if len(b) > n else "")

        hdrs = " ".join("%s: %s" % (k, v if k.lower() not in ("authorization", "cookie") else "***")
                        for k, v in self.req_headers.items())
        rh = " | ".join("%s: %s" % (k, v) for k, v in self.headers)
        return ("    request:  %s %s  [%s]\n    body:     %s\n    response: %s  [%s]\n    body:     %s"
                % (self.method, self.path, hdrs, clip(self.req_body), self.status, rh, clip(self.body)))


def raw_request(port, method, path, body=None, headers=None, timeout=REQUEST_TIMEOUT):
    """One HTTP/1.1 request on a new connection. body: None, bytes or str. A header whose value
    is a list is sent as one field line per item, in order."""
    headers = dict(headers or {})
    if isinstance(body, str):
        body = body.encode("utf-8")
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.putrequest(method, path, skip_accept_encoding=True)
        for k, v in headers.items():
            for one in (v if isinstance(v, list) else [v]):
                conn.putheader(k, one)
        if body is not None and not any(k.lower() == "content-length" for k in headers):
            conn.putheader("Content-Length", str(len(body)))
        conn.endheaders()
        if body is not None:
            try:
                conn.send(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the server may answer 413 and close before reading it all
        resp = conn.getresponse()
        data = resp.read()
        return Response(method, path, headers, body, resp.status, resp.getheaders(), data)
    finally:
        conn.close()


class Client:
    """An HTTP client for one identity: anonymous, a bearer token or a cookie session."""

    def __init__(self, server, token=None, cookie=None, csrf=None, label="anonymous"):
        self.server = server
        self.token = token
        self.cookie = cookie
        self.csrf = csrf
        self.label = label
        self.staff = None  # the staff record, when known

    def request(self, method, path, body=None, headers=None, raw=None, content_type=None, csrf=True):
        """body: a JSON-able value (sent as application/json); raw: bytes sent as they are."""
        h = {}
        if self.token:
            h["Authorization"] = "Bearer " + self.token
        if self.cookie:
            h["Cookie"] = "kp_session=" + self.cookie
            if csrf and self.csrf and method in ("POST", "PATCH", "PUT", "DELETE"):
                h["X-CSRF-Token"] = self.csrf
        data = None
        if raw is not None:
            data = raw
            h["Content-Type"] = content_type or "application/json"
        elif body is not None:
            data = json.dumps(body, ensure_ascii=False).encode("utf-8")
            h["Content-Type"] = content_type or "application/json"
        if headers:
            for k, v in headers.items():
                if v is None:
                    h.pop(k, None)
                else:
                    h[k] = v
        return raw_request(self.server.port, method, path, data, h)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body, **kw)

    def patch(self, path, body=None, **kw):
        return self.request("PATCH", path, body, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)

    # conveniences that fail the test on an unexpected status
    def create(self, path, body, status=201):
        r = self.post(path, body)
        expect(r.status == status and isinstance(r.json, dict),
               "POST %s as %s: expected %d with a JSON object" % (path, self.label, status), r)
        return r.json

    def ok(self, path, status=200):
        r = self.get(path)
        expect(r.status == status, "GET %s as %s: expected %d" % (path, self.label, status), r)
        return r.json

    def list_all(self, path, limit=100, max_pages=1000):
        """Follow next_cursor to the end; returns every item."""
        items = []
        sep = "&" if "?" in path else "?"
        url = "%s%slimit=%d" % (path, sep, limit)
        for _ in range(max_pages):
            r = self.get(url)
            expect(r.status == 200 and isinstance(r.json, dict) and isinstance(r.json.get("items"), list),
                   "GET %s: expected 200 with items" % url, r)
            items.extend(r.json["items"])
            cur = r.json.get("next_cursor")
            if not cur:
                return items
            url = "%s%slimit=%d&cursor=%s" % (path, sep, limit, urllib.parse.quote(cur, safe=""))
        raise TestFailure("GET %s: more than %d pages" % (path, max_pages))


def _pg_admin_url():
    u = os.environ.get("KUMPPANI_TEST_DB", "")
    return u if u.startswith(("postgres://", "postgresql://")) else None


def _psql():
    for p in ("psql", "/usr/lib/postgresql/15/bin/psql"):
        if shutil.which(p):
            return shutil.which(p)
    return None


class Server:
    """One `kumppani serve` process with its own temp dir and fresh database."""

    def __init__(self, threads=2, extra_env=None, extra_args=None):
        self.threads = threads
        self.extra_env = extra_env or {}
        self.extra_args = extra_args or []
        self.proc = None
        self.port = None
        self.addr = None
        self.tmp = None
        self.db_url = None
        self.pg_db = None
        self.log_lines = []
        self.stdout_lines = []
        self._clients = {}
        self.exit_code = None

    # -- database -------------------------------------------------------------------------
    def _make_db(self):
        admin = _pg_admin_url()
        if not admin:
            return "sqlite:" + os.path.join(self.tmp, "k.db")
        psql = _psql()
        if not psql:
            return admin  # the caller promises a fresh database
        name = "kp_it_" + secrets.token_hex(6)
        subprocess.run([psql, "-q", "-v", "ON_ERROR_STOP=1", admin, "-c", "CREATE DATABASE " + name],
                       check=True, stdout=subprocess.DEVNULL, timeout=60)
        self.pg_db = name
        parts = urllib.parse.urlsplit(admin)
        return urllib.parse.urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, ""))

    def _drop_db(self):
        if not self.pg_db:
            return
        psql = _psql()
        subprocess.run([psql, "-q", _pg_admin_url(), "-c", "DROP DATABASE IF EXISTS " + self.pg_db],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)
        self.pg_db = None

    def env(self):
        e = dict(os.environ)
        e.update({
            "KUMPPANI_ADMIN_EMAIL": ADMIN_EMAIL,
            "KUMPPANI_ADMIN_PASSWORD": ADMIN_PASSWORD,
            "ASAN_OPTIONS": e.get("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=0"),
        })
        for k in ("KUMPPANI_LISTEN", "KUMPPANI_DB", "KUMPPANI_THREADS"):
            e.pop(k, None)
        e.update(self.extra_env)
        return e

    def cli(self, *args, input=None, timeout=120, db=True):
        """Run `kumppani ARGS... [--db URL]` against this server's database."""
        argv = [BIN] + list(args)
        if db:
            argv += ["--db", self.db_url]
        return subprocess.run(argv, input=input, capture_output=True, text=True, timeout=timeout,
                              env=self.env(), cwd=self.tmp)

    # -- life cycle ------------------------------------------------------------------------
    def start(self, timeout=60):
        if not os.path.exists(BIN):
            raise TestFailure("no binary at %s (build it: make build/check/kumppani)" % BIN)
        if self.tmp is None:  # a restart (stop(keep=True)) keeps the directory and database
            self.tmp = tempfile.mkdtemp(prefix="kumppani-it-")
            self.db_url = self._make_db()
        self.log_lines = []
        self._clients = {}
        self.exit_code = None
        argv = [BIN, "serve", "--listen", "127.0.0.1:0", "--db", self.db_url,
                "--threads", str(self.threads)] + self.extra_args
        for attempt in range(50):  # a binary being relinked right now is briefly not executable
            try:
                self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                             stderr=subprocess.PIPE, env=self.env(), cwd=self.tmp)
                break
            except OSError as e:
                if e.errno not in (errno.EACCES, errno.ETXTBSY) or attempt == 49:
                    raise
                time.sleep(0.2)
        _live_servers.append(self)
        got = threading.Event()
        pat = re.compile(r"listening on http://([0-9.]+):([0-9]+)")

        def read_err():
            with open(os.path.join(self.tmp, "server.log"), "ab") as log:
                for line in iter(self.proc.stderr.readline, b""):
                    log.write(line)
                    log.flush()
                    t = line.decode("utf-8", "replace").rstrip("\n")
                    self.log_lines.append(t)
                    m = pat.search(t)
                    if m and not got.is_set():
                        self.addr, self.port = m.group(1), int(m.group(2))
                        got.set()

        def read_out():
            for line in iter(self.proc.stdout.readline, b""):
                self.stdout_lines.append(line.decode("utf-8", "replace").rstrip("\n"))

        threading.Thread(target=read_err, daemon=True).start()
        threading.Thread(target=read_out, daemon=True).start()
        deadline = time.time() + timeout
        while not got.is_set():
            if self.proc.poll() is not None:
                time.sleep(0.2)
                raise TestFailure("server exited with %s before listening:\n%s"
                                  % (self.proc.returncode, self.log_tail()))
            if time.time() > deadline:
                self.kill()
                raise TestFailure("server did not print 'listening on' within %ds:\n%s"
                                  % (timeout, self.log_tail()))
            got.wait(0.1)
        if self.addr != "127.0.0.1":
            self.kill()
            raise TestFailure("server listens on %s, expected 127.0.0.1" % self.addr)
        last = None
        while True:
            try:
                last = raw_request(self.port, "GET", "/healthz", timeout=5)
                if last.status == 200:
                    break
            except OSError:
                pass
            if self.proc.poll() is not None or time.time() > deadline:
                self.kill()
                raise TestFailure("/healthz never answered 200:\n%s\n%s"
                                  % (last.describe() if last else "    (no answer)", self.log_tail()))
            time.sleep(0.1)
        return self

    def log_tail(self, n=30):
        return "\n".join("    | " + l for l in self.log_lines[-n:])

    def stop(self, timeout=15, keep=False):
        """SIGTERM and wait; returns the exit code (None if it had to be killed). keep=True
        keeps the temp dir and database so that start() can run the server on them again."""
        if not self.proc:
            return self.exit_code
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.exit_code = self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.kill()
                self.exit_code = None
        else:
            self.exit_code = self.proc.returncode
        if keep:
            if self in _live_servers:
                _live_servers.remove(self)
        else:
            self._cleanup()
        return self.exit_code

    def kill(self, keep=False):
        """SIGKILL (a crash). keep=True keeps the temp dir and database for start()."""
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                pass
        if keep:
            if self in _live_servers:
                _live_servers.remove(self)
        else:
            self._cleanup()

    def _cleanup(self):
        if self in _live_servers:
            _live_servers.remove(self)
        self._drop_db()
        if self.tmp and os.environ.get("KUMPPANI_IT_KEEP") != "1":
            shutil.rmtree(self.tmp, ignore_errors=True)
        self.tmp = None

    # -- identities ------------------------------------------------------------------------
    def anon(self):
        return Client(self)

    def sign_in(self, email, password):
        """Sign in over HTTP; returns (response, cookie client or None)."""
        r = raw_request(self.port, "POST", "/api/v1/session",
                        json.dumps({"email": email, "password": password}).encode(),
                        {"Content-Type": "application/json"})
        if r.status != 200:
            return r, None
        cookie = None
        for sc in r.header_all("set-cookie"):
            m = re.match(r"\s*kp_session=([^;]*)", sc)
            if m:
                cookie = m.group(1)
        csrf = r.json.get("csrf_token") if isinstance(r.json, dict) else None
        c = Client(self, cookie=cookie, csrf=csrf, label="cookie:" + email)
        if isinstance(r.json, dict):
            c.staff = r.json.get("staff")
        return r, c

    def session(self, role):
        """A cookie client for the admin or a fresh staff member of `role` (cached)."""
        key = "cookie-" + role
        if key not in self._clients:
            if role == "admin":
                email, pw = ADMIN_EMAIL, ADMIN_PASSWORD
            else:
                email, pw = self.staff_member(role)
            r, c = self.sign_in(email, pw)
            expect(c is not None and c.cookie and c.csrf,
                   "sign in as %s: expected 200, a kp_session cookie and csrf_token" % email, r)
            self._clients[key] = c
        return self._clients[key]

    def staff_member(self, role):
        """(email, password) of a staff member with this role, created once via the API."""
        key = "staff-" + role
        if key not in self._clients:
            email = "%s@kumppani.test" % role
            admin = self.session("admin")
            r = admin.post("/api/v1/staff", {"email": email, "name": role.title() + " Testaaja",
                                             "role": role, "password": STAFF_PASSWORD})
            expect(r.status == 201 and isinstance(r.json, dict) and r.json.get("id"),
                   "create %s staff member: expected 201 with id" % role, r)
            self._clients[key] = (email, STAFF_PASSWORD, r.json)
        return self._clients[key][:2]

    def staff_id(self, role):
        if role == "admin":
            c = self.session("admin")
            return (c.staff or {}).get("id")
        self.staff_member(role)
        return self._clients["staff-" + role][2]["id"]

    def client(self, role):
        """A bearer-token client (no CSRF needed) for role admin/manager/agent (cached)."""
        key = "token-" + role
        if key not in self._clients:
            c = self.session(role)
            r = c.post("/api/v1/tokens", {"name": "integration " + role})
            expect(r.status == 201 and isinstance(r.json, dict) and r.json.get("token"),
                   "create token as %s: expected 201 with token" % role, r)
            t = Client(self, token=r.json["token"], label="token:" + role)
            t.staff = c.staff
            self._clients[key] = t
        return self._clients[key]

    def admin(self):
        return self.client("admin")


def stop_all():
    for s in list(_live_servers):
        try:
            s.stop(timeout=5)
        except Exception:  # noqa: BLE001 - at exit, best effort
            s.kill()


atexit.register(stop_all)


def problem_ok(r, status=None):
    """Is r an RFC 9457 problem (application/problem+json with type/title/status/detail)?"""
    j = r.json
    return (r.content_type == "application/problem+json" and isinstance(j, dict)
            and isinstance(j.get("type"), str) and isinstance(j.get("title"), str)
            and isinstance(j.get("status"), int) and isinstance(j.get("detail"), str)
            and j.get("status") == r.status and (status is None or r.status == status))


def routes():
    """The route table parsed from src/api/routes.c: [(method, pattern, min_role)]."""
    text = open(os.path.join(REPO, "src", "api", "routes.c"), encoding="utf-8").read()
    out = []
    for m in re.finditer(r'^\s*R\(\s*"([A-Z]+)"\s*,\s*"([^"]+)"\s*,\s*\w+\s*,\s*(ROLE_\w+)', text, re.M):
        role = {"ROLE_NONE": "none", "ROLE_AGENT": "agent", "ROLE_MANAGER": "manager",
                "ROLE_ADMIN": "admin"}[m.group(3)]
        out.append((m.group(1), m.group(2), role))
    return out


ROLE_RANK = {"none": 0, "agent": 1, "manager": 2, "admin": 3}


def log(msg):
    print(msg, file=sys.stderr, flush=True)
