"""HTTP behaviour every response shares: request ids, problem+json errors, 404/405, health,
readiness, metrics and the landing page."""

import json
import re
import time

from harness import Soft, expect, problem_ok, raw_request


def test_healthz_readyz(srv):
    for path in ("/healthz", "/readyz"):
        r = raw_request(srv.port, "GET", path)
        expect(r.status == 200, "GET %s: expected 200" % path, r)


def test_request_id_on_every_response(srv):
    s = Soft()
    admin = srv.admin()
    cases = [
        ("GET", "/healthz", None, {}),
        ("GET", "/api/v1/customers", None, {}),  # 401 anonymous
        ("GET", "/api/v1/no-such-thing", None, {}),  # 404
        ("PUT", "/api/v1/customers", None, {}),  # 405
        ("POST", "/api/v1/customers", b"{", {"Content-Type": "application/json"}),  # 401 (anonymous)
        ("GET", "/", None, {}),
        ("GET", "/metrics", None, {}),
    ]
    for method, path, body, hdrs in cases:
        r = raw_request(srv.port, method, path, body, hdrs)
        rid = r.header("x-request-id")
        s.check(rid is not None and 0 < len(rid) <= 64, "%s %s: X-Request-Id missing" % (method, path), r)
    r = admin.post("/api/v1/customers", raw=b"{")  # 400 from the api
    s.check(r.header("x-request-id"), "400 answer without X-Request-Id", r)
    r = admin.get("/api/v1/customers", headers={"X-Request-Id": "it-echo-12345"})
    s.check(r.header("x-request-id") == "it-echo-12345", "incoming X-Request-Id not echoed", r)
    r1 = raw_request(srv.port, "GET", "/healthz")
    r2 = raw_request(srv.port, "GET", "/healthz")
    s.check(r1.header("x-request-id") != r2.header("x-request-id"), "two requests got the same request id", r2)
    s.done()


def test_unknown_path_404_problem(srv):
    s = Soft()
    admin = srv.admin()
    for path in ("/api/v1/no-such-thing", "/api/v1/customers/abc", "/api/v1/customers/0",
                 "/api/v1/customers/-1", "/nothing/here"):
        r = admin.get(path)
        s.check(r.status == 404 and problem_ok(r), "GET %s: expected 404 problem+json" % path, r)
    s.done()


def test_wrong_method_405_with_allow(srv):
    s = Soft()
    admin = srv.admin()
    for method, path, must in (("PUT", "/api/v1/customers", {"GET", "POST"}),
                               ("DELETE", "/healthz", {"GET"}),
                               ("PUT", "/api/v1/customers/1", {"GET", "PATCH", "DELETE"}),
                               ("GET", "/api/v1/customers/1/merge", {"POST"})):
        r = admin.request(method, path)
        allow = {m.strip().upper() for m in (r.header("allow") or "").split(",") if m.strip()}
        s.check(r.status == 405 and problem_ok(r), "%s %s: expected 405 problem+json" % (method, path), r)
        s.check(must <= allow, "%s %s: Allow should list %s" % (method, path, sorted(must)), r)
        s.check(("GET" in allow) == ("HEAD" in allow), "%s %s: HEAD is allowed where GET is" % (method, path), r)
    s.done()


def test_head_is_get_without_body(srv):
    s = Soft()
    admin = srv.admin()
    c = admin.create("/api/v1/customers", {"name": "Head Testi"})
    for path in ("/healthz", "/api/v1/customers/%d" % c["id"], "/api/v1/customers?limit=2"):
        g = admin.get(path)
        h = admin.request("HEAD", path)
        s.check(h.status == 200 and not h.body, "HEAD %s: 200 without a body" % path, h)
        s.check(h.header("content-length") == g.header("content-length") and h.header("etag") == g.header("etag"),
                "HEAD %s: the headers GET has" % path, h)
    h = admin.request("HEAD", "/api/v1/customers/%d" % c["id"], headers={"If-None-Match": admin.get(
        "/api/v1/customers/%d" % c["id"]).header("etag")})
    s.check(h.status == 304, "HEAD with the current If-None-Match: 304", h)
    s.done()


def test_metrics_prometheus(srv):
    raw_request(srv.port, "GET", "/healthz")
    r = raw_request(srv.port, "GET", "/metrics")
    expect(r.status == 200, "GET /metrics: expected 200", r)
    text = r.body.decode("utf-8", "replace")
    expect(r.content_type == "text/plain", "GET /metrics: expected text/plain", r)
    expect(re.search(r'^kumppani_http_requests_total\{.*route="/healthz".*\} [0-9.e+]+$', text, re.M),
           "metrics: no kumppani_http_requests_total sample", r)
    expect(re.search(r'^kumppani_http_request_duration_seconds_bucket\{.*le="\+Inf".*\} [0-9.e+]+$',
                     text, re.M), "metrics: no latency histogram", r)
    expect(re.search(r"^# TYPE kumppani_\w+ (counter|gauge|histogram)$", text, re.M), "metrics: no # TYPE", r)
    expect(re.search(r"^kumppani_store_commit\w*", text, re.M), "metrics: no store commit metrics", r)
    sample = re.compile(r'^[a-zA-Z_:][a-zA-Z0-9_:]*'
                        r'(\{[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*"(?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*")*\})?'
                        r' [-+0-9.eEInfNa]+$')
    for line in text.splitlines():
        if line and not line.startswith("#"):
            expect(sample.match(line),
                   "metrics: malformed line %r" % line, r)



def test_metrics_page_cache(srv):
    """The store's page caches are a gauge (make bench subtracts them from the server's memory):
    on SQLite the reads below fill the reader's cache, which must show and stay within the caches'
    configured sizes (writer 256 MiB, readers 16 MiB each); PostgreSQL keeps none in the process."""
    admin = srv.admin()
    r = admin.post("/api/v1/customers", {"name": "Välimuisti Testi", "emails": ["cache@example.fi"]})
    expect(r.status == 201, "create a customer: 201", r)
    for _ in range(3):
        expect(admin.get("/api/v1/customers/%d" % r.json["id"]).status == 200, "GET the customer: 200")
    text = raw_request(srv.port, "GET", "/metrics").body.decode("utf-8", "replace")
    m = re.search(r"^kumppani_store_page_cache_bytes (\d+)$", text, re.M)
    expect(m, "metrics: no kumppani_store_page_cache_bytes gauge", text[-400:])
    cache = int(m.group(1))
    if srv.db_url.startswith("sqlite:"):
        expect(4096 <= cache <= (256 + 16 * 64) << 20,
               "SQLite page caches after reads: %d bytes, expected at least a page" % cache)
    else:
        expect(cache == 0, "PostgreSQL keeps no page cache in the server process: %d" % cache)

def test_landing_page(srv):
    r = raw_request(srv.port, "GET", "/")
    expect(r.status == 200 and r.content_type == "text/html", "GET /: expected 200 text/html", r)
    body = r.body.decode("utf-8", "replace")
    expect("Kumppani" in body, "GET /: the page should name Kumppani", r)
    expect("/api/v1/openapi.json" in body, "GET /: the page should link the API description", r)


def test_request_line_edges(srv):
    s = Soft()
    r = raw_request(srv.port, "POST", "/", body="{}", headers={"Content-Type": "application/json"})
    allow = {m.strip() for m in (r.header("allow") or "").split(",")}
    s.check(r.status == 405 and problem_ok(r) and allow == {"GET", "HEAD"}, "POST /: 405 with Allow: GET, HEAD", r)
    r = raw_request(srv.port, "GET", "/api/v1/customers?q=" + "a" * 9000)
    s.check(r.status == 414 and problem_ok(r), "a 9000-byte request target: 414 problem+json", r)
    for q in ("q=Nul%00", "q=%ZZ", "limit=5&sort=%FF"):
        r = srv.admin().get("/api/v1/customers?" + q)
        s.check(r.status == 400 and problem_ok(r), "a malformed query parameter (%s): 400, not dropped" % q, r)
    token = srv.admin().token
    r = raw_request(srv.port, "GET", "/api/v1/customers?limit=1", headers={"Authorization": "Bearer %s \t" % token})
    s.check(r.status == 200, "a Bearer token with trailing white space is the token", r)
    s.done()


def test_cookie_attributes(srv):
    from harness import ADMIN_EMAIL, ADMIN_PASSWORD
    r, c = srv.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD)
    expect(c is not None, "sign in as admin", r)
    sc = [h for h in r.header_all("set-cookie") if h.strip().startswith("kp_session=")]
    expect(sc, "no kp_session cookie", r)
    low = sc[0].lower()
    expect("httponly" in low and "samesite=" in low and "path=/" in low,
           "session cookie must be HttpOnly, SameSite, Path=/", r)


def _raw_exchange(port, data, timeout=5):
    """Send data on a new connection and read until the server closes it or goes quiet."""
    import socket
    k = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    try:
        k.sendall(data)
        out = b""
        while True:
            try:
                chunk = k.recv(65536)
            except socket.timeout:
                return out, False
            if not chunk:
                return out, True
            out += chunk
    finally:
        k.close()


def test_request_framing_faults(srv):
    """Framing h2o 2.2 lets through (RFC 9112): Content-Lengths that differ, Transfer-Encoding
    with Content-Length, Transfer-Encoding on HTTP/1.0 are refused with a 400 problem and the
    connection is closed, so the bytes after the body (a request smuggled past a proxy that
    read the other header) are never run; an HTTP/1.1 request needs exactly one Host. A
    too-long target's 414 echoes a bounded path. Every answer says nosniff."""
    s = Soft()
    token = srv.admin().token.encode()
    hidden = b"GET /api/v1/staff HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token + b"\r\n\r\n"
    head = (b"POST /api/v1/text/analyze HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Authorization: Bearer " + token + b"\r\n")
    body = b'{"a":1}' + hidden
    chunked = b'7\r\n{"a":1}\r\n0\r\n\r\n'
    cases = [
        ("two Content-Lengths", head + b"Content-Length: 7\r\nContent-Length: %d\r\n\r\n" % len(body) + body),
        ("two Content-Lengths, other order", head + b"Content-Length: %d\r\nContent-Length: 7\r\n\r\n" % len(body) + body),
        ("Transfer-Encoding and Content-Length",
         head + b"Content-Length: %d\r\nTransfer-Encoding: chunked\r\n\r\n" % (len(chunked) + len(hidden)) + chunked + hidden),
        ("HTTP/1.0 with Transfer-Encoding",
         head.replace(b"HTTP/1.1", b"HTTP/1.0") + b"Transfer-Encoding: chunked\r\n\r\n" + chunked + hidden),
    ]
    for label, data in cases:
        out, closed = _raw_exchange(srv.port, data)
        answers = re.findall(rb"HTTP/1\.[01] (\d{3}) ", out)
        s.check(answers == [b"400"] and closed, "%s: one 400 and the connection closed, got %r closed=%s"
                % (label, answers, closed))
        s.check(b"application/problem+json" in out.lower() and b"x-request-id" in out.lower(),
                "%s: a problem with a request id: %r" % (label, out[:300]))
    # a body in chunks: h2o 2.2 reads "0x40" as a chunk of 0 (a proxy may read 64) and runs
    # what follows; chunks are refused (411) and the connection closed
    for label, body_ in (("chunked", b"7\r\n{\"a\":1}\r\n0\r\n\r\n"), ("a chunk size 0x40", b"0x40\r\n\r\n")):
        data = head + b"Transfer-Encoding: chunked\r\n\r\n" + body_ + hidden
        out, closed = _raw_exchange(srv.port, data)
        s.check(re.findall(rb"HTTP/1\.[01] (\d{3}) ", out) == [b"411"] and closed,
                "%s: one 411 and the connection closed, got %r closed=%s" % (label, out[:200], closed))
        s.check(b'"type":"https://kumppani.dev/problems/length-required"' in out,
                "%s: the 411's problem type is length-required: %r" % (label, out[:300]))
    # ... and at once, from the headers alone: no body is read first (it was, up to 1 MiB)
    import socket as _socket
    import time as _time
    k = _socket.create_connection(("127.0.0.1", srv.port), timeout=5)
    t0 = _time.time()
    k.sendall(head + b"Transfer-Encoding: chunked\r\n\r\n")
    got = k.recv(4096)
    k.close()
    s.check(got.startswith(b"HTTP/1.1 411 ") and _time.time() - t0 < 2,
            "chunked headers alone: 411 at once, not after a body: %r" % got[:100])
    # a folded header line (obs-fold), which h2o drops: "Content-Length: 0" + " 63" is no 0
    folded = b"GET /api/v1/staff HTTP/1.1\r\nHost: x\r\n\r\n"
    data = head + b"Content-Length: 0\r\n %d\r\n\r\n" % len(folded) + folded
    out, closed = _raw_exchange(srv.port, data)
    s.check(re.findall(rb"HTTP/1\.[01] (\d{3}) ", out) == [b"400"] and closed,
            "a folded header: one 400 and the connection closed, got %r closed=%s" % (out[:200], closed))
    for label, data in (("HTTP/1.0 with two Host headers", b"GET /healthz HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n"),
                        ("a Host of two hosts", b"GET /healthz HTTP/1.1\r\nHost: a, b\r\nConnection: close\r\n\r\n")):
        out, closed = _raw_exchange(srv.port, data)
        s.check(re.findall(rb"HTTP/1\.[01] (\d{3}) ", out) == [b"400"], "%s: 400, got %r" % (label, out[:200]))
    out, closed = _raw_exchange(srv.port, b"GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n")
    s.check(re.findall(rb"HTTP/1\.1 (\d{3}) ", out) == [b"400"] and b"Host" in out,
            "HTTP/1.1 without Host: 400 naming Host: %r" % out[:300])
    out, closed = _raw_exchange(srv.port, b"GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: close\r\n\r\n")
    s.check(re.findall(rb"HTTP/1\.1 (\d{3}) ", out) == [b"400"], "two Host headers: 400: %r" % out[:300])
    out, closed = _raw_exchange(srv.port, b"GET /healthz HTTP/1.0\r\n\r\n")
    s.check(re.findall(rb"HTTP/1\.[01] (\d{3}) ", out) == [b"200"], "HTTP/1.0 needs no Host: %r" % out[:300])
    # identical repeated Content-Lengths are one length (RFC 9112 6.3 allows it)
    data = head + b"Content-Length: 7\r\nContent-Length: 7\r\nConnection: close\r\n\r\n" + b'{"a":1}'
    out, closed = _raw_exchange(srv.port, data)
    s.check(re.findall(rb"HTTP/1\.1 (\d{3}) ", out) == [b"422"], "two equal Content-Lengths: read as one: %r" % out[:300])
    out, closed = _raw_exchange(srv.port, b"GET /" + b"a" * 65000 + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    head_, _, pbody = out.partition(b"\r\n\r\n")
    s.check(b" 414 " in head_.split(b"\r\n")[0] and 0 < len(pbody) < 2000,
            "a 65,000-byte target: 414 with a short problem body, got %d bytes" % len(pbody))
    if pbody:
        p = json.loads(pbody)
        s.check(p.get("status") == 414 and len(p.get("instance", "")) <= 1024,
                "414 problem: status %r, instance of %d bytes" % (p.get("status"), len(p.get("instance", ""))))
    r = srv.admin().get("/api/v1/customers?limit=1")
    s.check((r.header("x-content-type-options") or "").lower() == "nosniff", "nosniff on an answer", r)
    s.done()


def test_over_the_connection_limit_a_clean_503(_shared):
    """Past the connection limit a request is read and answered 503 with Retry-After, and the
    connection closes cleanly (a blind soak saw the 503 followed by a reset: the request was
    left unread); far past it, the 503 is written at once, followed by a FIN. The limit here
    comes from a low open-files limit: 400 leaves room for 328 (less 64 and 4 a thread), a
    quarter of it (82) the margin answered 503 after their request, 246 connections."""
    import resource
    import socket
    from harness import Server
    old = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (400, old[1]))
    try:
        srv = Server(threads=2).start()
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, old)
    s = Soft()
    try:
        for idle in (246, 300, 340):
            socks = [socket.create_connection(("127.0.0.1", srv.port), timeout=10) for _ in range(idle)]
            time.sleep(0.3)
            for k in range(4):
                out, closed = _raw_exchange(srv.port, b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                first = out.split(b"\r\n", 1)[0]
                s.check(b" 503 " in first and b"retry-after" in out.lower() and closed,
                        "%d idle connections, request %d: a whole 503 and a clean close, got %r closed=%s"
                        % (idle, k, first, closed))
            for k in socks:
                k.close()
            time.sleep(0.5)
        r = srv.admin().get("/healthz")
        s.check(r.status == 200, "below the limit again: 200", r)
    finally:
        srv.stop()
    s.done()


def _status(out):
    m = re.match(rb"HTTP/1\.[01] (\d{3}) ", out)
    return int(m.group(1)) if m else None


def _problem_of(out):
    head, _, body = out.partition(b"\r\n\r\n")
    try:
        return head.lower(), json.loads(body)
    except ValueError:
        return head.lower(), None


def test_parser_refusals_are_problems(srv):
    """What h2o's parser refuses is answered like every other error: problem+json with a
    request id, nosniff and the target as instance, logged and counted (h2o wrote a bare
    text/plain "Bad Request" with neither); more than 100 headers is a 431; white space after
    a header value is optional white space (RFC 9110 5.5), "Content-Length: 14 " included."""
    s = Soft()
    m0 = raw_request(srv.port, "GET", "/metrics").body.decode()
    cases = [
        ("a space before a header's colon", b"GET /healthz HTTP/1.1\r\nHost : x\r\n\r\n", 400),
        ("a control byte in a header value", b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: a\x01b\r\n\r\n", 400),
        ("two spaces after the method", b"GET  /healthz HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        ("an HTTP/2 preface", b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 400),
        ("101 headers", b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + b"".join(b"X-%d: a\r\n" % i for i in range(100))
         + b"\r\n", 431),
        ("a 40 KB header block", b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: " + b"a" * 40000 + b"\r\n\r\n", 431),
    ]
    for label, data, want in cases:
        out, closed = _raw_exchange(srv.port, data)
        head, p = _problem_of(out)
        s.check(_status(out) == want and b"application/problem+json" in head and b"x-request-id:" in head
                and b"x-content-type-options: nosniff" in head and p and p.get("status") == want
                and p.get("request_id") and "instance" in p and closed,
                "%s: a %d problem+json with request id, nosniff and instance, then close: %r"
                % (label, want, out[:400]))
    out, _ = _raw_exchange(srv.port, b"GET /healthz HTTP/1.1\r\nHost : x\r\nX-Request-Id: it-parse-1\r\n\r\n")
    s.check(b"it-parse-" not in out, "(an unparsed X-Request-Id is not echoed)")
    for i in range(100):  # exactly 100 headers (99 + Host) are fine
        pass
    data = (b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
            + b"".join(b"X-%d: a\r\n" % i for i in range(98)) + b"\r\n")
    out, _ = _raw_exchange(srv.port, data)
    s.check(_status(out) == 200, "100 headers: 200: %r" % out[:100])
    token = srv.admin().token.encode()
    out, _ = _raw_exchange(srv.port, b"POST /api/v1/text/analyze HTTP/1.1\r\nHost: x \r\nContent-Type: application/json\r\n"
                           b"Authorization: Bearer " + token + b"\r\nContent-Length: 14 \r\nConnection: close\r\n\r\n"
                           b'{"text":"moi"}')
    s.check(_status(out) == 200, "Content-Length: 14 with trailing white space is 14: %r" % out[:300])
    m1 = raw_request(srv.port, "GET", "/metrics").body.decode()

    def count(m, code):
        return sum(int(v) for v in re.findall(r'^kumppani_http_requests_total\{[^}]*code="%d"\} (\d+)' % code, m, re.M))
    s.check(count(m1, 400) - count(m0, 400) >= 4 and count(m1, 431) - count(m0, 431) >= 2,
            "the refusals are counted: 400 +%d, 431 +%d" % (count(m1, 400) - count(m0, 400),
                                                           count(m1, 431) - count(m0, 431)))
    s.done()


def test_expect_100_continue(srv):
    """A 100 (Continue) invites the body only when it will be read: never to HTTP/1.0 (RFC
    9110 10.1.1), not before a Content-Length over the limit (413 at once), an unknown path
    (404) or method (405), a missing or wrong token (401), a role too low or a cookie write
    without its CSRF token (403), an unknown query parameter (400) or a Content-Type that is
    not JSON (415), each answered as the api answers it, without the body, and the
    connection closed. A blind audit saw the 100 first in every case, and the whole MiB read
    before the 413; a wrong token and a wrong Content-Type were still answered 100 first."""
    import socket
    s = Soft()
    token = srv.admin().token.encode()
    agent = srv.client("agent").token.encode()
    cookie = srv.session("admin").cookie.encode()

    cases = [
        ("HTTP/1.0", b"POST /api/v1/text/analyze HTTP/1.0\r\nContent-Type: application/json\r\nAuthorization: Bearer "
         + token + b"\r\nContent-Length: 14\r\nExpect: 100-continue\r\n\r\n", None),
        ("a body over the limit", b"POST /api/v1/customers HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
         + b"\r\nContent-Length: 1048577\r\nExpect: 100-continue\r\n\r\n", 413),
        ("a body of 2 MiB", b"POST /api/v1/customers HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
         + b"\r\nContent-Length: 2000000\r\n\r\n", 413),
        ("an unknown path", b"POST /api/v1/no-such-thing HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
         + b"\r\nContent-Length: 10\r\nExpect: 100-continue\r\n\r\n", 404),
        ("no token", b"POST /api/v1/customers HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n"
         b"Expect: 100-continue\r\n\r\n", 401),
        ("a wrong token", b"POST /api/v1/customers HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
         b"Authorization: Bearer kp_not-a-token-at-all\r\nContent-Length: 10\r\nExpect: 100-continue\r\n\r\n",
         401),
        ("a wrong session cookie", b"POST /api/v1/customers HTTP/1.1\r\nHost: x\r\nContent-Type: application/json"
         b"\r\nCookie: kp_session=nope; x-csrf=1\r\nX-CSRF-Token: 1\r\nContent-Length: 10\r\n"
         b"Expect: 100-continue\r\n\r\n", 401),
        ("a Content-Type that is not JSON", b"POST /api/v1/customers HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain"
         b"\r\nAuthorization: Bearer " + token + b"\r\nContent-Length: 10\r\nExpect: 100-continue\r\n\r\n", 415),
        ("no Content-Type", b"PATCH /api/v1/customers/1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
         + b"\r\nContent-Length: 10\r\nExpect: 100-continue\r\n\r\n", 415),
        ("an agent on an admin route", b"POST /api/v1/staff HTTP/1.1\r\nHost: x\r\nContent-Type: application/json"
         b"\r\nAuthorization: Bearer " + agent + b"\r\nContent-Length: 10\r\nExpect: 100-continue\r\n\r\n", 403),
        ("a cookie write without X-CSRF-Token", b"POST /api/v1/customers HTTP/1.1\r\nHost: x\r\n"
         b"Content-Type: application/json\r\nCookie: kp_session=" + cookie + b"\r\nContent-Length: 10\r\n"
         b"Expect: 100-continue\r\n\r\n", 403),
        ("a method the path does not take", b"PUT /api/v1/customers HTTP/1.1\r\nHost: x\r\n"
         b"Content-Type: application/json\r\nAuthorization: Bearer " + token + b"\r\nContent-Length: 10\r\n"
         b"Expect: 100-continue\r\n\r\n", 405),
        ("an unknown query parameter", b"POST /api/v1/customers?dry_run=1 HTTP/1.1\r\nHost: x\r\n"
         b"Content-Type: application/json\r\nAuthorization: Bearer " + token + b"\r\nContent-Length: 10\r\n"
         b"Expect: 100-continue\r\n\r\n", 400),
    ]
    for label, data, want in cases:
        out, _ = _raw_exchange(srv.port, data, 1.0)
        s.check(b" 100 " not in out.split(b"\r\n", 1)[0], "%s: no 100 (Continue): %r" % (label, out[:200]))
        if want:
            head, p = _problem_of(out)
            s.check(_status(out) == want and p and p.get("status") == want and b"connection: close" in head
                    and b"application/problem+json" in head and b"x-request-id:" in head,
                    "%s: %d problem at once, connection closed: %r" % (label, want, out[:300]))
            if want == 401:
                s.check(b"www-authenticate: bearer" in head, "%s: 401 with WWW-Authenticate: %r" % (label, head))
            if want == 405:
                s.check(b"allow: get, head, post" in head, "%s: 405 with Allow: %r" % (label, head))
    # the same requests without Expect get the same answers once their bodies are read
    for label, data, want in cases[5:]:
        out, _ = _raw_exchange(srv.port, data.replace(b"Expect: 100-continue\r\n", b"Connection: close\r\n")
                               + b'{"x": "y"}', 5)
        s.check(_status(out) == want, "%s without Expect: %d after the body, got %r" % (label, want, out[:200]))
    # a valid cookie write with its CSRF token is invited
    k = socket.create_connection(("127.0.0.1", srv.port), timeout=5)
    k.sendall(b"POST /api/v1/text/analyze HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nCookie: kp_session="
              + cookie + b"\r\nX-CSRF-Token: " + srv.session("admin").csrf.encode()
              + b"\r\nContent-Length: 14\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n")
    first = k.recv(100)
    k.close()
    s.check(first.startswith(b"HTTP/1.1 100 "), "a cookie write with its CSRF token: 100: %r" % first)
    # HTTP/1.0: the body is sent without waiting, and answered
    out, _ = _raw_exchange(srv.port, cases[0][1] + b'{"text":"moi"}', 5)
    s.check(_status(out) == 200 and b" 100 " not in out, "HTTP/1.0 with Expect: answered, no 100: %r" % out[:200])
    # a request that will be read: 100 first, then the answer to its body
    k = socket.create_connection(("127.0.0.1", srv.port), timeout=5)
    k.sendall(b"POST /api/v1/text/analyze HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer "
              + token + b"\r\nContent-Length: 14\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n")
    first = k.recv(100)
    k.sendall(b'{"text":"moi"}')
    rest = b""
    while True:
        d = k.recv(65536)
        if not d:
            break
        rest += d
    k.close()
    s.check(first.startswith(b"HTTP/1.1 100 ") and _status(first.split(b"\r\n\r\n", 1)[1] + rest) == 200,
            "a request that will be read: 100 then 200: %r %r" % (first, rest[:100]))
    s.done()


def test_access_log_escapes_request_bytes(_shared):
    """Every logged field escapes what is not printable ASCII, and '"' and '\\', as \\xNN: an
    8-bit CSI, a UTF-8 C1 control, a bidi override or invalid UTF-8 in a path or method
    reached the log as they were, and a '"' in the method ended the quoted field."""
    from harness import Server
    srv = Server(threads=1).start()
    try:
        for line in (b"GET /a\x9b31mX HTTP/1.1", b"GET /b\xc2\x9bY HTTP/1.1", b"GET /c\xe2\x80\xaeZ HTTP/1.1",
                     b"GET /d\xff HTTP/1.1", b'G"ET /e HTTP/1.1', b"GET /f\\\"g HTTP/1.1"):
            _raw_exchange(srv.port, line + b"\r\nHost: x\r\nConnection: close\r\n\r\n")
        raw_request(srv.port, "GET", "/healthz")
    finally:
        srv.stop(keep=True)
    try:
        with open(srv.tmp + "/server.log", "rb") as f:
            log = f.read()
    finally:
        srv._cleanup()
    s = Soft()
    access = [l for l in log.split(b"\n") if b" access " in l]
    s.check(all(max(l) < 0x80 for l in access), "no byte past ASCII in the access log: %r" % access)
    for want in (rb'"GET /a\x9b31mX"', rb'"GET /b\xc2\x9bY"', rb'"GET /c\xe2\x80\xaeZ"', rb'"GET /d\xff"',
                 rb'"G\x22ET /e"', rb'"GET /f\x5c\x22g"'):
        s.check(any(want in l for l in access), "the access log has %s: %r" % (want.decode(), access[-8:]))
    s.done()


def test_trusted_proxy_client_address(_shared):
    """Behind a trusted proxy (serve --trusted-proxy) the client is the rightmost address of
    X-Forwarded-For or of Forwarded's for= that is not itself a trusted proxy: it is what the
    access log (of what the guard answers too), the audit and the sign-in rate limit see.
    With both headers they must name the same client, or neither is believed and the proxy's
    own address is used: X-Forwarded-For won, so a client behind a proxy that writes only
    Forwarded picked its address by sending X-Forwarded-For (and the other way round, had
    Forwarded won). From any other peer those headers are ignored (a client cannot pick its
    own address), and without the setting too."""
    from harness import Server
    s = Soft()
    for args, trusted in ((["--trusted-proxy", "127.0.0.0/8, 10.0.0.0/8,::1"], True), ([], False)):
        srv = Server(threads=1, extra_args=args).start()
        try:
            cases = [
                ({"X-Forwarded-For": "203.0.113.9"}, "203.0.113.9"),
                ({"X-Forwarded-For": "198.51.100.1, 203.0.113.10, 10.1.2.3"}, "203.0.113.10"),
                ({"Forwarded": 'for="[2001:db8::7]:4711";proto=https, for=10.0.0.2'}, "2001:db8::7"),
                ({"X-Forwarded-For": "not-an-address, 10.9.9.9"}, "10.9.9.9"),
                # an IPv4-mapped IPv6 address, as a dual-stack proxy writes it, is that IPv4 one
                ({"X-Forwarded-For": "::ffff:203.0.113.11"}, "203.0.113.11"),
                ({"X-Forwarded-For": "198.51.100.2, [::ffff:203.0.113.12]:4711"}, "203.0.113.12"),
                ({"X-Forwarded-For": "203.0.113.13:4711"}, "203.0.113.13"),
                # Forwarded alone: an obfuscated or malformed entry ends the walk
                ({"Forwarded": "for=_hidden, for=10.0.0.9"}, "10.0.0.9"),
                ({"Forwarded": 'for="[2001:db8::1"'}, "127.0.0.1"),
                ({"Forwarded": "proto=https;by=10.0.0.1"}, "127.0.0.1"),
                # both, naming the same client: it
                ({"X-Forwarded-For": "203.0.113.20", "Forwarded": "for=203.0.113.20"}, "203.0.113.20"),
                ({"X-Forwarded-For": "198.51.100.9, 203.0.113.21, 10.0.0.3",
                  "Forwarded": 'for=198.51.100.70, for=203.0.113.21;proto=https, for="10.0.0.3:80"'}, "203.0.113.21"),
                ({"X-Forwarded-For": "2001:db8::22", "Forwarded": 'for="[2001:db8::22]:443"'}, "2001:db8::22"),
                # both, naming different clients, or one naming none: the proxy
                ({"X-Forwarded-For": "203.0.113.22", "Forwarded": "for=198.51.100.23"}, "127.0.0.1"),
                ({"X-Forwarded-For": "203.0.113.24", "Forwarded": "for=unknown"}, "127.0.0.1"),
                ({"X-Forwarded-For": "203.0.113.25", "Forwarded": "proto=https"}, "127.0.0.1"),
                ({"X-Forwarded-For": "garbage", "Forwarded": "for=203.0.113.26"}, "127.0.0.1"),
                ({"X-Forwarded-For": "203.0.113.27", "Forwarded": "for=10.0.0.5"}, "127.0.0.1"),
            ]
            for i, (hdrs, _) in enumerate(cases):
                raw_request(srv.port, "GET", "/healthz", headers=dict(hdrs, **{"X-Request-Id": "it-xff-%d" % i}))
            signins = [({"X-Forwarded-For": "192.0.2.44"}, "192.0.2.44"),
                       ({"Forwarded": "for=192.0.2.45", "X-Forwarded-For": "192.0.2.45"}, "192.0.2.45"),
                       ({"Forwarded": "for=192.0.2.46", "X-Forwarded-For": "192.0.2.47"}, "127.0.0.1")]
            for i, (hdrs, _) in enumerate(signins):
                raw_request(srv.port, "POST", "/api/v1/session",
                            json.dumps({"email": "nobody@kumppani.test", "password": "wrong-wrong-1"}).encode(),
                            dict(hdrs, **{"Content-Type": "application/json", "X-Request-Id": "it-xff-signin-%d" % i}))
            audit = srv.admin().get("/api/v1/audit?limit=50")
            for i, (_, addr) in enumerate(signins):
                entry = [e for e in audit.json.get("items", []) if e.get("request_id") == "it-xff-signin-%d" % i]
                want = addr if trusted else "127.0.0.1"
                s.check(entry and '"%s"' % want in json.dumps(entry[0]),
                        "%s: failed sign-in %d's audit entry has remote_addr %s: %r"
                        % ("trusted" if trusted else "untrusted", i, want, entry))
            # what the guard answers before h2o (a body over the limit) is logged from the client too
            _raw_exchange(srv.port, b"POST /api/v1/customers HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 203.0.113.30\r\n"
                          b"X-Request-Id: it-xff-guard\r\nContent-Length: 2000000\r\n\r\n", 2)
        finally:
            srv.stop()
        for i, (_, addr) in enumerate(cases):
            line = [l for l in srv.log_lines if " access it-xff-%d " % i in l]
            want = addr if trusted else "127.0.0.1"
            s.check(line and (" access it-xff-%d %s " % (i, want)) in line[0],
                    "%s: request %d logged from %s: %r" % ("trusted" if trusted else "untrusted", i, want, line))
        line = [l for l in srv.log_lines if " access it-xff-guard " in l]
        want = "203.0.113.30" if trusted else "127.0.0.1"
        s.check(line and " access it-xff-guard %s " % want in line[0] and " 413 " in line[0],
                "%s: the guard's 413 logged from %s: %r" % ("trusted" if trusted else "untrusted", want, line))
    r = Server(threads=1).cli("serve", "--trusted-proxy", "10.0.0.0/33", db=False)
    s.check(r.returncode == 2 and "10.0.0.0/33" in r.stderr, "a bad range is a usage error: %r" % r.stderr)
    s.done()


def test_request_target_forms_and_host(srv):
    """RFC 9112 3.2: an absolute-form target is accepted (its path is used); OPTIONS * is
    answered 204 with Allow; a Host that is not a host name or address is a 400."""
    s = Soft()
    out, _ = _raw_exchange(srv.port, b"GET http://x/healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    s.check(_status(out) == 200 and b'"status":"ok"' in out, "absolute-form GET http://x/healthz: 200: %r" % out[:200])
    out, _ = _raw_exchange(srv.port, b"OPTIONS * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    s.check(_status(out) == 204 and b"allow: get" in out.lower() and b"x-request-id: " in out.lower(),
            "OPTIONS *: 204 with Allow: %r" % out[:300])
    for host in (b"a b", b"a/b", b"a@b", b"\xc3\xa4", b"x:abc", b"x:-1", b"x:80:80", b"[::1", b"[zz]:80",
                 b"x:99999", b"[]"):
        out, _ = _raw_exchange(srv.port, b"GET /healthz HTTP/1.1\r\nHost: " + host + b"\r\nConnection: close\r\n\r\n")
        s.check(_status(out) == 400, "Host: %r: 400: %r" % (host, out[:100]))
    for host in (b"kumppani.example:8080", b"[::1]:80", b"127.0.0.1"):
        out, _ = _raw_exchange(srv.port, b"GET /healthz HTTP/1.1\r\nHost: " + host + b"\r\nConnection: close\r\n\r\n")
        s.check(_status(out) == 200, "Host: %r: 200: %r" % (host, out[:100]))
    s.done()


def test_cache_control_everywhere(srv):
    """Every answer says Cache-Control (health, readiness, metrics, the landing page and a
    404 outside the API had none), spelt one way; a problem for a path outside ASCII gives it
    percent-encoded as its instance."""
    s = Soft()
    for path in ("/healthz", "/readyz", "/metrics", "/", "/no-such-page", "/api/v1/customers"):
        r = raw_request(srv.port, "GET", path)
        s.check(r.header("cache-control") == "no-store", "%s: Cache-Control: no-store" % path, r)
    from harness import ADMIN_EMAIL, ADMIN_PASSWORD
    out, _ = _raw_exchange(srv.port, b"POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                           b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(json.dumps(
                               {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})) +
                           json.dumps({"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}).encode(), timeout=60)
    names = re.findall(rb"\r\n([A-Za-z-]+): ", out.partition(b"\r\n\r\n")[0])
    s.check(b"cache-control" in names and b"Cache-Control" not in names,
            "the session answer spells cache-control as every other: %r" % names)
    out, _ = _raw_exchange(srv.port, b"GET /\xc3\xa4iti HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    _, p = _problem_of(out)
    s.check(p and p.get("instance") == "/%C3%A4iti", "a non-ASCII path's instance is percent-encoded: %r" % p)
    s.done()
