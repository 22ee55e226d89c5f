/*
 * offload: heavy reads off the event loops (api.h, api_offload()).
 *
 * An event loop answers every request of its connections in turn, so a read that takes a
 * third of a second (the topics of 20,000 complaints) holds up every other request of that
 * loop, /healthz included: a blind soak saw its p50 go from 0.6 ms to 568 ms while one
 * manager polled the topics. Such a read is a job for a worker thread instead: the handler
 * checks its parameters on the loop, then hands the request over; the worker runs it with a
 * read connection of its own (store_reader() on its thread) and posts the answer back with
 * req->finish(), as the writer does for a write. The loop goes on meanwhile.
 *
 * Workers: API_OFFLOAD_THREADS threads ("kp-report"), started by api_offload_start() and
 * joined by api_offload_stop() after the loops have ended (they wait for every deferred
 * request, these included, before they end). At most API_OFFLOAD_QUEUE requests wait; one
 * more is answered 503 with Retry-After. Without workers (tests, the CLI) a job runs at once
 * on the caller's thread.
 */
#include <pthread.h>
#include <stdlib.h>

#include "api/api.h"
#include "domain/protect.h"

#define API_OFFLOAD_THREADS 1
#define API_OFFLOAD_QUEUE   64

struct api_offload {
	struct store *store;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct api_req *queue[API_OFFLOAD_QUEUE]; /* a ring: head, n */
	int head, n;
	int stop;
	int nthreads;
	pthread_t th[API_OFFLOAD_THREADS];
};

static void *offload_main(void *arg)
{
	struct api_offload *o = arg;
	pthread_setname_np(pthread_self(), "kp-report");
	pthread_mutex_lock(&o->mu);
	for (;;) {
		while (!o->n && !o->stop)
			pthread_cond_wait(&o->cv, &o->mu);
		if (!o->n)
			break; /* stopping, and nothing left */
		struct api_req *r = o->queue[o->head];
		o->head = (o->head + 1) % API_OFFLOAD_QUEUE;
		o->n--;
		pthread_mutex_unlock(&o->mu);
		if (r->offload_run(r, r->offload_ctx) != API_DONE || r->resp.status == 0)
			api_fail(r, KP_EINTERNAL, "the report was not prepared");
		store_read_release(o->store); /* no snapshot kept while the worker waits */
		r->finish(r);
		pthread_mutex_lock(&o->mu);
	}
	pthread_mutex_unlock(&o->mu);
	store_reader_close(o->store);
	protect_thread_release();
	return NULL;
}

struct api_offload *api_offload_start(struct store *store)
{
	struct api_offload *o = calloc(1, sizeof *o);
	if (!o)
		return NULL;
	o->store = store;
	pthread_mutex_init(&o->mu, NULL);
	pthread_cond_init(&o->cv, NULL);
	for (int i = 0; i < API_OFFLOAD_THREADS; i++) {
		if (pthread_create(&o->th[i], NULL, offload_main, o) != 0)
			break;
		o->nthreads++;
	}
	if (!o->nthreads) {
		api_offload_stop(o);
		return NULL;
	}
	return o;
}

void api_offload_stop(struct api_offload *o)
{
	if (!o)
		return;
	pthread_mutex_lock(&o->mu);
	o->stop = 1;
	pthread_cond_broadcast(&o->cv);
	pthread_mutex_unlock(&o->mu);
	for (int i = 0; i < o->nthreads; i++)
		pthread_join(o->th[i], NULL);
	pthread_mutex_destroy(&o->mu);
	pthread_cond_destroy(&o->cv);
	free(o);
}

int api_offload(struct api_req *r, int (*run)(struct api_req *r, void *ctx), void *ctx)
{
	struct api_offload *o = r->srv ? r->srv->offload : NULL;
	r->offload_run = run;
	r->offload_ctx = ctx;
	if (!o || !r->finish)
		return run(r, ctx); /* no workers: here and now */
	pthread_mutex_lock(&o->mu);
	int full = o->n == API_OFFLOAD_QUEUE || o->stop;
	if (!full) {
		o->queue[(o->head + o->n) % API_OFFLOAD_QUEUE] = r;
		o->n++;
		pthread_cond_signal(&o->cv);
	}
	pthread_mutex_unlock(&o->mu);
	if (full) {
		api_header(r, "Retry-After", "1");
		return api_fail(r, KP_EUNAVAILABLE, "too many reports are being prepared; try again in a moment");
	}
	return API_DEFERRED;
}
