#!/usr/bin/env python3
"""Run every integration test: each function test_*(srv) in tests/integration/test_*.py.

    python3 tests/integration/run.py [FILTER]     # FILTER: substring of "module.function"

Most tests share one server (started on first use, fresh temp dir and database); tests that
need their own (rate limits, CLI, shutdown) start it themselves. At the end the shared server
is stopped with SIGTERM and must exit 0 within 15 s (graceful shutdown), which counts as a
test too. Prints each failure with the request and response, then
"integration: N passed, N failed"; exits 1 if anything failed. A watchdog
(KUMPPANI_IT_TIMEOUT seconds, default 1500) kills every server and fails the run if it hangs.
"""

import glob
import importlib
import os
import sys
import threading
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import harness  # noqa: E402


class Shared:
    """The shared server, started on first use."""

    def __init__(self):
        self.server = None
        self.error = None

    def get(self):
        if self.error:
            raise harness.TestFailure("shared server failed to start: " + self.error)
        if self.server is None:
            try:
                self.server = harness.Server().start()
            except Exception as e:  # noqa: BLE001 - remembered: later tests fail at once
                self.error = "%s: %s" % (type(e).__name__, e)
                raise harness.TestFailure(self.error) from e
        return self.server


def watchdog(seconds):
    def fire():
        print("integration: watchdog: no result after %ds, killing servers" % seconds, flush=True)
        for s in list(harness._live_servers):
            s.kill()
        print("integration: 0 passed, 1 failed", flush=True)
        os._exit(1)

    t = threading.Timer(seconds, fire)
    t.daemon = True
    t.start()
    return t


def main(argv):
    flt = argv[1] if len(argv) > 1 else ""
    watchdog(int(os.environ.get("KUMPPANI_IT_TIMEOUT", "1500")))
    shared = Shared()
    passed, failed = 0, []
    for path in sorted(glob.glob(os.path.join(HERE, "test_*.py"))):
        modname = os.path.splitext(os.path.basename(path))[0]
        mod = importlib.import_module(modname)
        tests = [(n, f) for n, f in vars(mod).items() if n.startswith("test_") and callable(f)]
        tests.sort(key=lambda nf: nf[1].__code__.co_firstlineno)
        for name, fn in tests:
            full = "%s.%s" % (modname, name)
            if flt and flt not in full:
                continue
            t0 = time.time()
            try:
                fn(shared.get())
                passed += 1
                print("ok    %s (%.1fs)" % (full, time.time() - t0), flush=True)
            except harness.TestFailure as e:
                failed.append((full, str(e)))
                print("FAIL  %s (%.1fs)" % (full, time.time() - t0), flush=True)
            except Exception:  # noqa: BLE001 - a crash in a test is a failure, with its trace
                failed.append((full, traceback.format_exc()))
                print("FAIL  %s (%.1fs) (exception)" % (full, time.time() - t0), flush=True)
    if shared.server is not None:
        full = "run.graceful_shutdown"
        srv = shared.server
        rc = srv.stop(timeout=15)
        if rc == 0:
            passed += 1
            print("ok    " + full, flush=True)
        else:
            failed.append((full, "shared server: SIGTERM gave exit code %s (None = hung, killed "
                           "after 15 s), expected 0\n%s" % (rc, srv.log_tail(40))))
            print("FAIL  " + full, flush=True)
    for full, msg in failed:
        print("\n==== FAIL %s\n%s" % (full, msg))
    print("\nintegration: %d passed, %d failed" % (passed, len(failed)), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
