#!/usr/bin/env python3
"""How long a customer's DELETE and erasure hold the store's writer (docs/performance.md,
"Deleting and erasing a customer with a long history"). Not part of make check or make bench.

    KUMPPANI_BIN=build/release/kumppani python3 bench/erase_wait.py [N_DELETE] [N_ERASE]
    (with KUMPPANI_TEST_DB=postgres://... for PostgreSQL)

Makes one customer with N_DELETE interactions (default 20,000) and one with N_ERASE (default
5,000; each with a note and an update, so its audit holds N + 3 entries and more after the
delete), then DELETEs the first and erases the second while another client writes a note on
a third customer in a loop; prints each request's time and the longest write of the other
client during it (the writer wait it saw)."""
import os
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "integration"))
from harness import Server, expect  # noqa: E402


def fill(a, n):
    cid = a.create("/api/v1/customers", {"name": "Pitkä Historia", "emails": ["pitka@example.fi"]})["id"]
    a.create("/api/v1/customers/%d/notes" % cid, {"body": "Soitti Pitkä Historia"})
    body = {"kind": "email", "direction": "inbound", "summary": "Lasku", "body": "Hei, laskussa on virhe."}

    def one(_):
        r = a.post("/api/v1/customers/%d/interactions" % cid, body)
        expect(r.status == 201, "create interaction", r)

    with ThreadPoolExecutor(8) as ex:
        list(ex.map(one, range(n)))
    return cid


class Other(threading.Thread):
    """A client writing notes on its own customer, one after another; times each."""

    def __init__(self, a):
        super().__init__(daemon=True)
        self.a = a
        self.cid = a.create("/api/v1/customers", {"name": "Muu Asiakas"})["id"]
        self.samples = []
        self.stop = threading.Event()

    def run(self):
        while not self.stop.is_set():
            t = time.monotonic()
            r = self.a.post("/api/v1/customers/%d/notes" % self.cid, {"body": "muistiinpano"})
            self.samples.append((t, time.monotonic(), r.status))

    def worst(self, t0, t1):
        """The longest of this client's writes that overlapped [t0, t1]."""
        w = [e - s for s, e, _ in self.samples if e >= t0 and s <= t1]
        return max(w) if w else 0.0


def timed(other, what, fn, srv=None, tag=None):
    perf = None
    if os.environ.get("ERASE_PERF") and srv:  # a directory: perf record of the server per request
        perf = subprocess.Popen(["perf", "record", "--call-graph", os.environ.get("ERASE_PERF_CG", "fp"), "-q", "-o", os.path.join(os.environ["ERASE_PERF"],
                                 tag + ".data"), "-p", str(srv.proc.pid)], stderr=subprocess.DEVNULL)
        time.sleep(0.5)
    t0 = time.monotonic()
    r = fn()
    t1 = time.monotonic()
    if perf:
        perf.send_signal(signal.SIGINT)
        perf.wait()
    time.sleep(0.2)
    print("%-40s %6.0f ms  (status %d; the other writer's longest write %6.0f ms)"
          % (what, (t1 - t0) * 1000, r.status, other.worst(t0, t1) * 1000), flush=True)
    return r


def main():
    nd = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    ne = int(sys.argv[2]) if len(sys.argv) > 2 else 5000
    srv = Server(threads=2).start()
    try:
        a = srv.admin()
        t = time.monotonic()
        d = fill(a, nd)
        e = fill(a, ne)
        a.patch("/api/v1/customers/%d" % e, {"name": "Pitkä Historia II"})
        print("filled %d + %d interactions in %.1f s (%s)" % (nd, ne, time.monotonic() - t,
                                                             srv.db_url.split(":")[0]), flush=True)
        other = Other(a)
        other.start()
        time.sleep(1.0)
        timed(other, "DELETE customer, %d interactions" % nd, lambda: a.delete("/api/v1/customers/%d" % d), srv, "delete")
        r = timed(other, "erase customer, %d interactions" % ne, lambda: a.post("/api/v1/customers/%d/erase" % e, {}), srv, "erase")
        print("  ", r.json)
        r = timed(other, "erase the deleted one (%d)" % nd, lambda: a.post("/api/v1/customers/%d/erase" % d, {}), srv, "erase-deleted")
        print("  ", r.json)
        other.stop.set()
        other.join()
        base = sorted(s[1] - s[0] for s in other.samples)
        print("the other writer: %d writes, median %.1f ms" % (len(base), base[len(base) // 2] * 1000))
    finally:
        srv.stop()


if __name__ == "__main__":
    main()
