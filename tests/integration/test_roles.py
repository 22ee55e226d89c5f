"""The role matrix, generated from src/api/routes.c: every route x (anonymous, agent,
manager, admin). Anonymous gets 401 on every non-public route; a role below the route's
minimum gets 403; a role at or above it gets neither (nor 404/405: the route exists)."""

import secrets

from harness import ADMIN_EMAIL, ADMIN_PASSWORD, ROLE_RANK, Client, Soft, expect, problem_ok, routes

IDENTITIES = ("anonymous", "agent", "manager", "admin")


class Fixture:
    """Existing records for {id}, and disposable ones for DELETE (one per identity)."""

    def __init__(self, srv):
        self.srv = srv
        self.admin = srv.admin()
        a = self.admin
        self.org = a.create("/api/v1/organizations", {"name": "Roolit Oy"})["id"]
        self.cust = a.create("/api/v1/customers", {"name": "Rooli Asiakas", "organization_id": self.org})["id"]
        self.other = a.create("/api/v1/customers", {"name": "Rooli Toinen"})["id"]
        self.note = a.create("/api/v1/customers/%d/notes" % self.cust, {"body": "muistiinpano"})["id"]
        self.inter = a.create("/api/v1/interactions", {"customer_id": self.cust, "kind": "call",
                                                       "direction": "inbound", "summary": "soitto"})["id"]
        self.field = a.create("/api/v1/fields", {"entity": "customer", "key": "rooli_" + secrets.token_hex(3),
                                                 "label": "Rooli", "type": "text"})["id"]
        self.staff = srv.staff_id("manager")
        self._notes = {}

    def disposable(self, pattern, ident):
        a = self.admin
        if pattern.startswith("/api/v1/organizations"):
            return a.create("/api/v1/organizations", {"name": "Poistettava Oy"})["id"]
        if pattern.startswith("/api/v1/customers"):
            return a.create("/api/v1/customers", {"name": "Poistettava Asiakas"})["id"]
        if pattern.startswith("/api/v1/notes"):
            # a note is its author's to delete (or a manager's): the caller's own
            return self.note_of(ident, "poistettava")
        if pattern.startswith("/api/v1/interactions"):
            return a.create("/api/v1/interactions", {"customer_id": self.cust, "kind": "sms",
                                                     "direction": "outbound"})["id"]
        if pattern.startswith("/api/v1/fields"):
            return a.create("/api/v1/fields", {"entity": "customer", "key": "pois_" + secrets.token_hex(4),
                                               "label": "Pois", "type": "text"})["id"]
        if pattern.startswith("/api/v1/tokens"):
            # a token of the caller itself (anonymous: the admin's)
            owner = self.srv.session("admin" if ident == "anonymous" else ident)
            r = owner.post("/api/v1/tokens", {"name": "pois"})
            expect(r.status == 201, "create disposable token", r)
            return r.json["id"]
        raise AssertionError("no disposable record for " + pattern)

    def notification(self):
        """An incident notification (issue 3): an abusive inbound message creates one."""
        if not getattr(self, "_notification", None):
            self.admin.create("/api/v1/customers/%d/interactions" % self.other,
                              {"kind": "email", "direction": "inbound", "body": "Olet täysi idiootti"})
            r = self.admin.get("/api/v1/wellbeing/notifications?customer_id=%d&limit=1" % self.other)
            expect(r.status == 200 and r.json.get("items"), "an incident notification for the matrix", r)
            self._notification = r.json["items"][0]["id"]
        return self._notification

    def note_of(self, ident, body):
        """A new note written by ident (anonymous: by the admin)."""
        c = self.admin if ident in ("anonymous", "admin") else self.srv.client(ident)
        return c.create("/api/v1/customers/%d/notes" % self.cust, {"body": body})["id"]

    def id_for(self, pattern, ident):
        if pattern.startswith("/api/v1/notes"):
            # the caller's own note: another agent's is refused whatever the route (own test)
            if ident not in self._notes:
                self._notes[ident] = self.note_of(ident, "muistiinpano")
            return self._notes[ident]
        if pattern.startswith("/api/v1/wellbeing/notifications"):
            return self.notification()
        if pattern.startswith("/api/v1/wellbeing/customers"):
            return self.cust
        for prefix, val in (("/api/v1/organizations", self.org), ("/api/v1/customers", self.cust),
                            ("/api/v1/notes", self.note), ("/api/v1/interactions", self.inter),
                            ("/api/v1/fields", self.field), ("/api/v1/staff", self.staff)):
            if pattern.startswith(prefix):
                return val
        raise AssertionError("no id for " + pattern)


def _client(srv, ident):
    return Client(srv) if ident == "anonymous" else srv.client(ident)


def test_role_matrix(srv):
    fx = Fixture(srv)
    s = Soft()
    table = routes()
    expect(len(table) >= 40, "parsed only %d routes from src/api/routes.c" % len(table))
    ncases = 0
    for method, pattern, min_role in table:
        for ident in IDENTITIES:
            rank = 0 if ident == "anonymous" else ROLE_RANK[ident]
            if method == "DELETE" and pattern == "/api/v1/session":
                # signing out ends the session it is called with: use a fresh one
                if ident == "anonymous":
                    c = Client(srv)
                else:
                    cred = (ADMIN_EMAIL, ADMIN_PASSWORD) if ident == "admin" else srv.staff_member(ident)
                    c = srv.sign_in(*cred)[1]
                    expect(c is not None, "sign in as " + ident)
                path = pattern
            else:
                c = _client(srv, ident)
                if "{id}" in pattern:
                    # an erase removes the record as a delete does: a record of its own
                    disposable = method == "DELETE" or pattern.endswith("/erase")
                    rid = fx.disposable(pattern, ident) if disposable else fx.id_for(pattern, ident)
                    path = pattern.replace("{id}", str(rid))
                else:
                    path = pattern
            body = {} if method in ("POST", "PATCH") else None
            if method == "POST" and pattern == "/api/v1/customers/{id}/merge":
                body = {"from": 0}  # invalid on purpose: the role check must come first
            r = c.request(method, path, body)
            ncases += 1
            where = "%s %s as %s (min %s)" % (method, path, ident, min_role)
            if min_role == "none":
                s.check(r.status not in (401, 403, 404, 405) and r.status < 500,
                        "%s: public route answered %d" % (where, r.status), r)
            elif ident == "anonymous":
                s.check(r.status == 401 and problem_ok(r), "%s: expected 401 problem" % where, r)
            elif rank < ROLE_RANK[min_role]:
                s.check(r.status == 403 and problem_ok(r), "%s: expected 403 problem" % where, r)
            else:
                s.check(r.status not in (401, 403, 404, 405) and r.status < 500,
                        "%s: allowed role answered %d" % (where, r.status), r)
    expect(ncases == len(table) * 4, "matrix size")
    s.done()


def test_forbidden_changes_nothing(srv):
    """An agent's refused DELETE leaves the record in place."""
    a = srv.admin()
    cid = a.create("/api/v1/customers", {"name": "Jää Paikalleen"})["id"]
    r = srv.client("agent").delete("/api/v1/customers/%d" % cid)
    expect(r.status == 403, "agent DELETE customer: expected 403", r)
    r = a.get("/api/v1/customers/%d" % cid)
    expect(r.status == 200, "the customer must still exist", r)
