/* api/offload: heavy reads on a worker thread, answered through req->finish as a write is;
 * a full queue is a 503 with Retry-After; GET /insights/topics goes that way. */
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include "fixture_flow.h"
#include "test.h"

static pthread_mutex_t ot_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ot_cv = PTHREAD_COND_INITIALIZER;
static int ot_open;        /* the blocking jobs may go on */
static atomic_int ot_done; /* finish() calls */
static pthread_t ot_ran_on;

static int ot_run(struct api_req *r, void *ctx)
{
	(void)ctx;
	pthread_mutex_lock(&ot_mu);
	ot_ran_on = pthread_self();
	while (!ot_open)
		pthread_cond_wait(&ot_cv, &ot_mu);
	pthread_mutex_unlock(&ot_mu);
	json_t *j = json_pack("{s:s}", "ran", "yes");
	api_json(r, 200, j);
	json_decref(j);
	return API_DONE;
}

static void ot_finish(struct api_req *r)
{
	(void)r;
	atomic_fetch_add(&ot_done, 1);
}

TEST(api_offload_runs_beside_the_loop_and_refuses_past_its_queue)
{
	struct flow f;
	if (flow_open(&f, "offload") != 0) {
		CHECK(0);
		return;
	}
	f.srv.offload = api_offload_start(f.s);
	CHECK(f.srv.offload != NULL);

	/* the real route: answered as before */
	struct flow_opts o = {.token = f.token[2]};
	struct flow_resp fr = flow_call(&f, "GET", "/api/v1/insights/topics", &o);
	CHECK_INT(fr.status, 200);
	CHECK(fr.body && json_is_array(json_object_get(fr.body, "topics")));
	json_decref(fr.body);

	/* 1 running + 64 waiting: the next one is refused at once */
	enum { N = 66 };
	static struct api_req reqs[N];
	static struct arena arenas[N];
	int deferred = 0, refused = -1;
	for (int i = 0; i < N; i++) {
		memset(&reqs[i], 0, sizeof reqs[i]);
		arenas[i] = (struct arena)ARENA_INIT;
		reqs[i].arena = &arenas[i];
		reqs[i].srv = &f.srv;
		reqs[i].finish = ot_finish;
		reqs[i].method = "GET";
		reqs[i].path = "/api/v1/test";
		int rc = api_offload(&reqs[i], ot_run, NULL);
		if (rc == API_DEFERRED)
			deferred++;
		else if (refused < 0)
			refused = i;
		if (i == 0) /* let the worker take the first before queueing the rest */
			for (int k = 0; k < 2000; k++) {
				pthread_mutex_lock(&ot_mu);
				int taken = ot_ran_on != 0;
				pthread_mutex_unlock(&ot_mu);
				if (taken)
					break;
				struct timespec ts = {0, 1000000};
				nanosleep(&ts, NULL);
			}
	}
	CHECK_INT(deferred, 65);
	CHECK_INT(refused, 65);
	CHECK_INT(reqs[65].resp.status, 503);
	int ra = 0;
	for (int k = 0; k < reqs[65].resp.nheaders; k++)
		ra |= !strcmp(reqs[65].resp.headers[k].name, "Retry-After");
	CHECK(ra);
	pthread_mutex_lock(&ot_mu);
	CHECK(!pthread_equal(ot_ran_on, pthread_self()));
	ot_open = 1;
	pthread_cond_broadcast(&ot_cv);
	pthread_mutex_unlock(&ot_mu);
	api_offload_stop(f.srv.offload); /* waits for the queue to drain */
	f.srv.offload = NULL;
	CHECK_INT(atomic_load(&ot_done), 65);
	for (int i = 0; i < 65; i++)
		CHECK_INT(reqs[i].resp.status, 200);
	for (int i = 0; i < N; i++) {
		api_req_release(&reqs[i]);
		arena_release(&arenas[i]);
	}
	flow_close(&f);
}
