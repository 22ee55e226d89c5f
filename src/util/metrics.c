#include "util/metrics.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

const int64_t metrics_latency_bounds_us[METRICS_NBUCKETS] = {
    500, 1000, 2500, 5000, 10000, 25000, 50000, 100000, 250000, 500000, 1000000, 2500000, 5000000, 10000000,
};

/* Exact status codes counted one by one; any other code falls into its class slot. */
static const int metrics_codes[] = {
    200, 201, 202, 204, 301, 302, 303, 304, 307, 308, 400, 401, 403, 404, 405, 406, 408,
    409, 410, 411, 412, 413, 414, 415, 417, 422, 428, 429, 431, 500, 501, 502, 503, 504,
};
#define METRICS_NCODES  (sizeof(metrics_codes) / sizeof(metrics_codes[0]))
#define METRICS_NSTATUS (METRICS_NCODES + 6) /* + classes 1xx..5xx and "other" */

/* One thread's counters. Arrays are [route][...] flattened; route nroutes = unmatched. */
struct metrics_shard {
	_Atomic uint64_t *counts;  /* [nroutes + 1][METRICS_NSTATUS] */
	_Atomic uint64_t *buckets; /* [nroutes + 1][METRICS_NBUCKETS + 1], the last one +Inf */
	_Atomic uint64_t *sum_us;  /* [nroutes + 1] */
	_Atomic int64_t gauges[METRICS_NGAUGES];
};

struct metrics {
	int nshards;
	size_t nroutes;
	const struct metrics_route *routes;
	struct metrics_shard *shards;
	unsigned char status_slot[600]; /* code -> slot index, for 100..599 */
};

static _Atomic(struct metrics *) metrics_global_ptr;

void metrics_set_global(struct metrics *m)
{
	atomic_store(&metrics_global_ptr, m);
}

struct metrics *metrics_global(void)
{
	return atomic_load(&metrics_global_ptr);
}

struct metrics *metrics_new(int nshards, const struct metrics_route *routes, size_t nroutes)
{
	if (nshards < 1)
		nshards = 1;
	struct metrics *m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	m->nshards = nshards;
	m->nroutes = nroutes;
	m->routes = routes;
	m->shards = calloc((size_t)nshards, sizeof(*m->shards));
	if (!m->shards)
		goto fail;
	size_t nr = nroutes + 1;
	for (int i = 0; i < nshards; i++) {
		struct metrics_shard *sh = &m->shards[i];
		sh->counts = calloc(nr * METRICS_NSTATUS, sizeof(*sh->counts));
		sh->buckets = calloc(nr * (METRICS_NBUCKETS + 1), sizeof(*sh->buckets));
		sh->sum_us = calloc(nr, sizeof(*sh->sum_us));
		if (!sh->counts || !sh->buckets || !sh->sum_us)
			goto fail;
	}
	for (int code = 0; code < 600; code++) {
		size_t slot = METRICS_NCODES + 5; /* other */
		if (code >= 100)
			slot = METRICS_NCODES + (size_t)(code / 100 - 1);
		for (size_t k = 0; k < METRICS_NCODES; k++)
			if (metrics_codes[k] == code)
				slot = k;
		m->status_slot[code] = (unsigned char)slot;
	}
	return m;
fail:
	metrics_free(m);
	return NULL;
}

void metrics_free(struct metrics *m)
{
	if (!m)
		return;
	if (m->shards) {
		for (int i = 0; i < m->nshards; i++) {
			free(m->shards[i].counts);
			free(m->shards[i].buckets);
			free(m->shards[i].sum_us);
		}
		free(m->shards);
	}
	free(m);
}

size_t metrics_unmatched(const struct metrics *m)
{
	return m->nroutes;
}

/* Single writer per shard: a relaxed load and store, no locked instruction. */
static inline void metrics_bump(_Atomic uint64_t *c, uint64_t by)
{
	atomic_store_explicit(c, atomic_load_explicit(c, memory_order_relaxed) + by, memory_order_relaxed);
}

void metrics_record(struct metrics *m, int shard, size_t route, int status, int64_t latency_us)
{
	if (!m || shard < 0 || shard >= m->nshards)
		return;
	struct metrics_shard *sh = &m->shards[shard];
	if (route > m->nroutes)
		route = m->nroutes;
	size_t slot = status >= 0 && status < 600 ? m->status_slot[status] : METRICS_NCODES + 5;
	metrics_bump(&sh->counts[route * METRICS_NSTATUS + slot], 1);
	if (latency_us < 0)
		latency_us = 0;
	size_t b = 0;
	while (b < METRICS_NBUCKETS && latency_us > metrics_latency_bounds_us[b])
		b++;
	metrics_bump(&sh->buckets[route * (METRICS_NBUCKETS + 1) + b], 1);
	metrics_bump(&sh->sum_us[route], (uint64_t)latency_us);
}

void metrics_gauge_add(struct metrics *m, int shard, enum metrics_gauge g, int64_t delta)
{
	if (!m || shard < 0 || shard >= m->nshards || g < 0 || g >= METRICS_NGAUGES)
		return;
	_Atomic int64_t *v = &m->shards[shard].gauges[g];
	atomic_store_explicit(v, atomic_load_explicit(v, memory_order_relaxed) + delta, memory_order_relaxed);
}

int metrics_add_label_value(struct buf *out, const char *s)
{
	size_t run = 0, i = 0;
	for (; s[i]; i++) {
		const char *esc = NULL;
		if (s[i] == '\\')
			esc = "\\\\";
		else if (s[i] == '"')
			esc = "\\\"";
		else if (s[i] == '\n')
			esc = "\\n";
		if (!esc) {
			run++;
			continue;
		}
		if (buf_add(out, s + i - run, run) < 0 || buf_adds(out, esc) < 0)
			return -1;
		run = 0;
	}
	return buf_add(out, s + i - run, run);
}

static void metrics_code_label(size_t slot, char *out, size_t outlen)
{
	static const char *classes[] = {"1xx", "2xx", "3xx", "4xx", "5xx", "other"};
	if (slot < METRICS_NCODES) {
		int c = metrics_codes[slot];
		if (outlen >= 4) {
			out[0] = (char)('0' + c / 100);
			out[1] = (char)('0' + c / 10 % 10);
			out[2] = (char)('0' + c % 10);
			out[3] = '\0';
		}
		return;
	}
	const char *s = classes[slot - METRICS_NCODES];
	size_t n = strlen(s);
	if (n >= outlen)
		n = outlen - 1;
	memcpy(out, s, n);
	out[n] = '\0';
}

/* Sum of a counter over every shard. */
static uint64_t metrics_sum(const struct metrics *m, size_t which_off, int kind)
{
	uint64_t t = 0;
	for (int i = 0; i < m->nshards; i++) {
		const struct metrics_shard *sh = &m->shards[i];
		const _Atomic uint64_t *arr = kind == 0 ? sh->counts : kind == 1 ? sh->buckets : sh->sum_us;
		t += atomic_load_explicit(&arr[which_off], memory_order_relaxed);
	}
	return t;
}

static int metrics_add_labels(struct buf *out, const struct metrics *m, size_t route)
{
	const char *method = route < m->nroutes ? m->routes[route].method : "other";
	const char *pattern = route < m->nroutes ? m->routes[route].pattern : "unmatched";
	if (buf_adds(out, "method=\"") < 0 || metrics_add_label_value(out, method) < 0 ||
	    buf_adds(out, "\",route=\"") < 0 || metrics_add_label_value(out, pattern) < 0 || buf_addc(out, '"') < 0)
		return -1;
	return 0;
}

int metrics_render(const struct metrics *m, struct buf *out)
{
	if (buf_adds(out, "# HELP kumppani_http_requests_total HTTP requests answered, by route and status.\n"
	                  "# TYPE kumppani_http_requests_total counter\n") < 0)
		return -1;
	for (size_t r = 0; r <= m->nroutes; r++) {
		for (size_t s = 0; s < METRICS_NSTATUS; s++) {
			uint64_t n = metrics_sum(m, r * METRICS_NSTATUS + s, 0);
			if (!n)
				continue;
			char code[8];
			metrics_code_label(s, code, sizeof(code));
			if (buf_adds(out, "kumppani_http_requests_total{") < 0 || metrics_add_labels(out, m, r) < 0 ||
			    buf_addf(out, ",code=\"%s\"} %llu\n", code, (unsigned long long)n) < 0)
				return -1;
		}
	}

	if (buf_adds(out, "# HELP kumppani_http_request_duration_seconds Time from request to response, by route.\n"
	                  "# TYPE kumppani_http_request_duration_seconds histogram\n") < 0)
		return -1;
	for (size_t r = 0; r <= m->nroutes; r++) {
		uint64_t cum = 0, per[METRICS_NBUCKETS + 1];
		for (size_t b = 0; b <= METRICS_NBUCKETS; b++) {
			per[b] = metrics_sum(m, r * (METRICS_NBUCKETS + 1) + b, 1);
			cum += per[b];
		}
		if (!cum)
			continue;
		uint64_t total = cum;
		cum = 0;
		for (size_t b = 0; b <= METRICS_NBUCKETS; b++) {
			cum += per[b];
			if (buf_adds(out, "kumppani_http_request_duration_seconds_bucket{") < 0 ||
			    metrics_add_labels(out, m, r) < 0)
				return -1;
			int rc = b < METRICS_NBUCKETS
			             ? buf_addf(out, ",le=\"%g\"} %llu\n", (double)metrics_latency_bounds_us[b] / 1e6,
			                        (unsigned long long)cum)
			             : buf_addf(out, ",le=\"+Inf\"} %llu\n", (unsigned long long)cum);
			if (rc < 0)
				return -1;
		}
		uint64_t sum_us = metrics_sum(m, r, 2);
		if (buf_adds(out, "kumppani_http_request_duration_seconds_sum{") < 0 ||
		    metrics_add_labels(out, m, r) < 0 || buf_addf(out, "} %.6f\n", (double)sum_us / 1e6) < 0 ||
		    buf_adds(out, "kumppani_http_request_duration_seconds_count{") < 0 ||
		    metrics_add_labels(out, m, r) < 0 || buf_addf(out, "} %llu\n", (unsigned long long)total) < 0)
			return -1;
	}

	int64_t g[METRICS_NGAUGES] = {0};
	for (int i = 0; i < m->nshards; i++)
		for (int k = 0; k < METRICS_NGAUGES; k++)
			g[k] += atomic_load_explicit(&m->shards[i].gauges[k], memory_order_relaxed);
	if (buf_addf(
	        out,
	        "# HELP kumppani_http_connections Open client connections.\n"
	        "# TYPE kumppani_http_connections gauge\n"
	        "kumppani_http_connections %lld\n"
	        "# HELP kumppani_http_requests_in_flight Requests being handled, including writes waiting for commit.\n"
	        "# TYPE kumppani_http_requests_in_flight gauge\n"
	        "kumppani_http_requests_in_flight %lld\n",
	        (long long)g[METRICS_G_CONNECTIONS], (long long)g[METRICS_G_INFLIGHT]) < 0)
		return -1;
	return 0;
}
