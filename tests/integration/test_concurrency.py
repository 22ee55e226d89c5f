"""Concurrent deferred writes: many keep-alive clients POSTing at once, plus clients that
hang up mid-request or before their answer, against the sanitizer build.

Regression test for heap corruption under concurrent POSTs: the loops' h2o objects (the
multithread queue's wake-up pipe among them) were created on the main thread, so every loop
thread allocated and freed its wake-up reads through the main thread's h2o buffer
recycler, unlocked. It needed two loops woken by the store writer at once, i.e. batches of
deferred answers for both loops (group commit), and many of them. Here: several loop
threads, 3 rounds of 8 keep-alive writers x 100 POSTs and clients that disconnect; every
acknowledged write must be stored exactly as answered, and SIGTERM must end the server
with exit 0 (ASan/UBSan/LeakSanitizer find nothing).
"""

import http.client
import json
import socket
import threading
import time

from harness import REQUEST_TIMEOUT, Client, Server, Soft, expect, raw_request

WRITERS = 8
PER_WRITER = 100
HANGUPS = 2
HANGUP_ROUNDS = 25
ROUNDS = 3  # each with fresh connections: more chances to wake two loops at once


def _writer(port, token, cids, rnd, w, out):
    """PER_WRITER POSTs on one keep-alive connection (reconnecting after an error)."""
    conn = None
    hdrs = {"Content-Type": "application/json", "Authorization": "Bearer " + token}
    for i in range(PER_WRITER):
        cid = cids[(w + i) % len(cids)]
        summary = "r%dw%d-%d" % (rnd, w, i)
        body = json.dumps({"kind": "chat", "direction": "inbound", "summary": summary,
                           "body": "Rinnakkainen kirjoitus %d/%d" % (w, i)}).encode()
        try:
            if conn is None:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
            conn.request("POST", "/api/v1/customers/%d/interactions" % cid, body, hdrs)
            resp = conn.getresponse()
            data = resp.read()
            out.append((summary, cid, resp.status, data))
            if resp.getheader("connection", "").lower() == "close":
                conn.close()
                conn = None
        except (OSError, http.client.HTTPException) as e:
            out.append((summary, cid, None, repr(e).encode()))
            if conn is not None:
                conn.close()
            conn = None
    if conn is not None:
        conn.close()


def _hangup(port, token, cid, rnd, h, out):
    """Clients that go away: after sending the whole request (the write is deferred when
    they leave), after half of the body, and right after the headers."""
    for i in range(HANGUP_ROUNDS):
        body = json.dumps({"kind": "note", "direction": "inbound", "summary": "gone%d-%d-%d" % (rnd, h, i)}).encode()
        head = ("POST /api/v1/customers/%d/interactions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                "Authorization: Bearer %s\r\nContent-Type: application/json\r\n"
                "Content-Length: %d\r\n\r\n" % (cid, token, len(body))).encode()
        cut = (len(head) + len(body), len(head) + len(body) // 2, len(head))[i % 3]
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=10)
            try:
                s.sendall((head + body)[:cut])
                if i % 2:
                    time.sleep(0.002)
                # An RST rather than a FIN for half of them: the server sees a reset socket.
                if i % 4 == 1:
                    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            finally:
                s.close()
            out.append(i)
        except OSError:
            pass


def _metric(srv, token, name):
    r = raw_request(srv.port, "GET", "/metrics", headers={"Authorization": "Bearer " + token})
    for line in r.body.decode("utf-8", "replace").splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    return None


def test_concurrent_keepalive_writes_and_hangups(_shared):
    _concurrent_writes([], pipelined=True)


def test_concurrent_writes_with_inline_sync(_shared):
    """The same with `--sync inline`: each batch fsynced before it is visible, no sync thread."""
    _concurrent_writes(["--sync", "inline"], pipelined=False)


def _concurrent_writes(extra_args, pipelined):
    srv = Server(threads=4, extra_args=extra_args).start()
    try:
        a = srv.admin()
        cids = [a.create("/api/v1/customers", {"name": "Rinnakkaisuus %d" % k})["id"] for k in range(4)]
        results = [[] for _ in range(ROUNDS * WRITERS)]
        gone = [[] for _ in range(ROUNDS * HANGUPS)]
        for rnd in range(ROUNDS):
            threads = [threading.Thread(target=_writer, args=(srv.port, a.token, cids, rnd, w,
                                                              results[rnd * WRITERS + w]))
                       for w in range(WRITERS)]
            threads += [threading.Thread(target=_hangup, args=(srv.port, a.token, cids[h % len(cids)], rnd, h,
                                                               gone[rnd * HANGUPS + h]))
                        for h in range(HANGUPS)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(300)
            expect(not any(t.is_alive() for t in threads), "the clients did not finish in 300 s\n" + srv.log_tail(20))
            expect(srv.proc.poll() is None, "the server died under concurrent writes (exit %s)\n%s"
                   % (srv.proc.poll(), srv.log_tail(40)))

        s = Soft()
        acked = {}  # id -> (summary, customer)
        for out in results:
            expect(len(out) == PER_WRITER, "a writer made %d requests, want %d" % (len(out), PER_WRITER))
            for summary, cid, status, data in out:
                if not s.check(status == 201, "POST %s: got %s, want 201: %s" % (summary, status, data[:300])):
                    continue
                try:
                    j = json.loads(data.decode("utf-8"))
                except ValueError:
                    s.check(False, "POST %s: 201 without a JSON body: %r" % (summary, data[:300]))
                    continue
                # The answer belongs to this request (not another one's, sent on the wrong
                # connection or mixed up in a batch).
                s.check(j.get("summary") == summary and j.get("customer_id") == cid and j.get("id"),
                        "POST %s on customer %d answered with %s" % (summary, cid, data[:300]))
                s.check(j.get("id") not in acked, "two POSTs acknowledged with one id %s" % j.get("id"))
                acked[j.get("id")] = (summary, cid)
        s.check(sum(len(g) for g in gone) > 0, "no hang-up client got through")

        stored = {}
        for cid in cids:
            for it in a.list_all("/api/v1/customers/%d/timeline" % cid, limit=200, max_pages=100):
                stored[it["id"]] = (it.get("summary"), cid)
        for iid, (summary, cid) in sorted(acked.items()):
            s.check(stored.get(iid) == (summary, cid),
                    "acknowledged write %s (%s on customer %d) is stored as %s" % (iid, summary, cid, stored.get(iid)))
        writer_rows = sorted(v[0] for v in stored.values() if v[0] and v[0].startswith("r"))
        s.check(len(writer_rows) == len(set(writer_rows)), "a writer's interaction was stored twice")
        s.check(len(acked) == ROUNDS * WRITERS * PER_WRITER,
                "%d of %d writes acknowledged" % (len(acked), ROUNDS * WRITERS * PER_WRITER))
        r = raw_request(srv.port, "GET", "/healthz")
        s.check(r.status == 200, "the server answers after the load", r)
        syncs = _metric(srv, a.token, "kumppani_store_syncs_total")
        commits = _metric(srv, a.token, "kumppani_store_commits_total")
        if pipelined and srv.db_url.startswith("sqlite:"):
            # the sync thread answered the writes, and its fsyncs covered the commits
            # (PostgreSQL commits as it always does: no sync thread)
            s.check(syncs is not None and 0 < syncs <= commits,
                    "sync pipeline: %s fsyncs for %s commits" % (syncs, commits))
        else:
            s.check(syncs == 0, "--sync inline: %s pipeline fsyncs, want 0" % syncs)
        s.check(_metric(srv, a.token, "kumppani_store_sync_failures_total") == 0, "a pipeline fsync failed")
        s.done()
    finally:
        rc = srv.stop(timeout=15)
    expect(rc == 0, "SIGTERM after concurrent writes: exit %s, want 0\n%s" % (rc, srv.log_tail(40)))


def test_two_servers_never_give_out_an_id_twice(_shared):
    """Two `kumppani serve` processes on one database (on SQLite, one file): a row one server
    deletes while it is the newest of its table never has its id given out again by the
    other. Each SQLite writer keeps the id floors (store/sqlite/idfloor.c) in memory and used
    to read them once, so the floor the deleting server wrote was never seen by the other,
    which gave out the id again (a new note 667 for another customer 3 ms after the old one
    was deleted). Both ways round, one server pipelined and one with --sync inline; each
    server's reads see the other's writes too."""
    a_srv = Server().start()
    b_srv = None
    try:
        b_srv = Server(extra_args=["--sync", "inline"])
        b_srv.tmp, b_srv.db_url = a_srv.tmp, a_srv.db_url  # the same directory and database
        b_srv.start()
        tok = a_srv.admin().token
        a = a_srv.admin()
        b = Client(b_srv, token=tok, label="token:admin@B")
        s = Soft()
        for rnd, (ins, dele) in enumerate(((a, b), (b, a))):
            # both writers have given out ids (and read their floors) before the deletes
            ins.create("/api/v1/customers", {"name": "Lämmittely %d" % rnd})
            dele.create("/api/v1/customers", {"name": "Lämmittely %d b" % rnd})
            gone = {}
            for attempt in range(2):
                cid = ins.create("/api/v1/customers", {"name": "Kaksi Palvelinta %d/%d" % (rnd, attempt)})["id"]
                iid = ins.create("/api/v1/customers/%d/interactions" % cid,
                                 {"kind": "call", "direction": "inbound", "summary": "Soitto %d" % rnd})["id"]
                nid = ins.create("/api/v1/customers/%d/notes" % cid, {"body": "Muistiinpano %d" % rnd})["id"]
                now = {"customer": cid, "interaction": iid, "note": nid}
                if attempt == 1:
                    for kind, i in sorted(now.items()):
                        s.check(i > gone[kind], "round %d: a new %s got id %d, after %s deleted %d on the other server"
                                % (rnd, kind, i, kind, gone[kind]))
                    break
                gone = now
                for path in ("/api/v1/notes/%d" % nid, "/api/v1/interactions/%d" % iid, "/api/v1/customers/%d" % cid):
                    r = dele.delete(path)
                    expect(r.status == 204, "DELETE %s on the other server: expected 204" % path, r)
                for path in ("/api/v1/notes/%d" % nid, "/api/v1/customers/%d" % cid):
                    r = ins.get(path)
                    s.check(r.status == 404, "GET %s after the other server deleted it: got %d, want 404"
                            % (path, r.status))
        s.done()
    finally:
        rc_b = b_srv.stop(timeout=15, keep=True) if b_srv else 0
        rc_a = a_srv.stop(timeout=15)
    expect(rc_b == 0 and rc_a == 0, "SIGTERM: exit %s and %s, want 0\n%s" % (rc_a, rc_b, a_srv.log_tail(20)))
