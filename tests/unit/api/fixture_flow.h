/*
 * fixture_flow: the API core against a real SQLite store, for unit tests. flow_open()
 * creates a fresh database (named after the test file), an api_server, and one staff member
 * with a bearer token per role (index 1 agent, 2 manager, 3 admin); flow_call() runs one
 * request through api_handle() to its end, waiting for a deferred write, and keeps what the
 * tests look at. The caller json_decref()s resp.body; flow_close() removes the database.
 */
#ifndef KP_TEST_FIXTURE_FLOW_H
#define KP_TEST_FIXTURE_FLOW_H

#include <jansson.h>
#include <stdint.h>

#include "api/api.h"
#include "domain/auth.h"

struct flow {
	char path[64];
	struct store *s;
	struct api_server srv;
	char token[4][AUTH_TOKEN_SIZE]; /* by role */
	int64_t staff_id[4];
	int64_t token_id[4];
};

struct flow_resp {
	int status;
	json_t *body; /* owned by the caller */
	char set_cookie[200], allow[64], retry_after[16], replayed[8];
};

struct flow_opts {
	const char *token, *cookie, *csrf, *body, *idem, *query, *if_match;
};

/* 0, or -1 with a message on stderr. name goes into the database file name. */
int flow_open(struct flow *f, const char *name);
void flow_close(struct flow *f);
struct flow_resp flow_call(struct flow *f, const char *method, const char *path, const struct flow_opts *o);

#endif
