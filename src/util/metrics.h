/*
 * metrics: the HTTP request counters and latency histograms behind /metrics, rendered in
 * the Prometheus text format (version 0.0.4).
 *
 * The registry is sharded: each event loop thread records into its own shard, so the hot
 * path takes no lock and does no atomic read-modify-write (each counter has one writer; it
 * is loaded and stored with relaxed atomics so a concurrent render reads whole values).
 * metrics_render() sums the shards; a render may see one shard a request ahead of another,
 * which Prometheus tolerates.
 *
 * Routes are given once, as (method, pattern) pairs in the order of the route table; a
 * request is recorded by its route's index, or by METRICS_UNMATCHED(m) when no route
 * matched. Statuses are counted per exact code for the codes the API uses, and per class
 * ("4xx") for any other code.
 *
 *     struct metrics *m = metrics_new(nthreads, routes, nroutes);
 *     metrics_record(m, thread, route_index, 200, latency_us);   // on thread `thread`
 *     metrics_render(m, &buf);                                    // from any thread
 *     metrics_free(m);                                            // after the threads stopped
 *
 * http/ owns the registry while it serves and publishes it with metrics_set_global(), so
 * the api's /metrics handler can render it without depending on http/.
 */
#ifndef KP_UTIL_METRICS_H
#define KP_UTIL_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

struct metrics_route {
	const char *method;  /* "GET" */
	const char *pattern; /* "/api/v1/customers/{id}" */
};

struct metrics;

/* Gauges kept per shard (summed on render). */
enum metrics_gauge {
	METRICS_G_CONNECTIONS = 0, /* open client connections */
	METRICS_G_INFLIGHT,        /* requests being handled (including deferred writes) */
	METRICS_NGAUGES
};

/* Upper bounds of the latency histogram buckets in microseconds (+Inf is implicit). */
#define METRICS_NBUCKETS 14
extern const int64_t metrics_latency_bounds_us[METRICS_NBUCKETS];

/* Create a registry with `nshards` shards (>= 1) for `nroutes` routes. The routes array and
 * its strings are borrowed and must outlive the registry. Allocates; NULL when out of
 * memory. Free with metrics_free(). */
struct metrics *metrics_new(int nshards, const struct metrics_route *routes, size_t nroutes);
void metrics_free(struct metrics *m);

/* The route index that means "no route matched". */
size_t metrics_unmatched(const struct metrics *m);
#define METRICS_UNMATCHED(m) metrics_unmatched(m)

/* Count one finished request on shard `shard` (0..nshards-1; only that shard's thread may
 * call this). route > nroutes counts as unmatched; a negative latency counts as 0. */
void metrics_record(struct metrics *m, int shard, size_t route, int status, int64_t latency_us);
/* Add delta to a gauge of shard `shard` (same single-writer rule). */
void metrics_gauge_add(struct metrics *m, int shard, enum metrics_gauge g, int64_t delta);

/* Append the Prometheus text of every series to out: kumppani_http_requests_total
 * {method,route,code}, kumppani_http_request_duration_seconds {method,route} (histogram),
 * kumppani_http_connections and kumppani_http_requests_in_flight. Series with no requests
 * are left out. 0, or -1 when out would exceed its cap (out then holds a prefix). */
int metrics_render(const struct metrics *m, struct buf *out);

/* Append a Prometheus label value with \, " and newline escaped (no quotes added). */
int metrics_add_label_value(struct buf *out, const char *s);

/* The registry of the running server, or NULL. Set by http/ before the loops start and
 * cleared (NULL) before it is freed. */
void metrics_set_global(struct metrics *m);
struct metrics *metrics_global(void);

#endif
