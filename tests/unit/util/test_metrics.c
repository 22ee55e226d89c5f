/* util/metrics: recording into shards and the Prometheus text rendering. */
#include "test.h"

#include <stdio.h>
#include <string.h>

#include "util/metrics.h"

static const struct metrics_route test_routes[] = {
    {"GET", "/api/v1/customers/{id}"},
    {"POST", "/api/v1/customers"},
    {"GET", "/odd\"route\\x"},
};

/* Does out contain this exact line? */
static int has_line(const char *out, const char *line)
{
	size_t n = strlen(line);
	for (const char *p = out; (p = strstr(p, line)); p += n)
		if ((p == out || p[-1] == '\n') && (p[n] == '\n' || p[n] == '\0'))
			return 1;
	return 0;
}

TEST(metrics_counts_sum_over_shards)
{
	struct metrics *m = metrics_new(2, test_routes, 3);
	CHECK(m != NULL);
	if (!m)
		return;
	metrics_record(m, 0, 0, 200, 300);     /* 0.3 ms */
	metrics_record(m, 1, 0, 200, 700);     /* 0.7 ms, other shard */
	metrics_record(m, 1, 0, 404, 20000);   /* 20 ms */
	metrics_record(m, 0, 1, 201, 3000000); /* 3 s */
	metrics_record(m, 0, metrics_unmatched(m), 404, 10);
	metrics_record(m, 0, 99, 599, 10); /* out-of-range route counts as unmatched; 599 as 5xx */
	struct buf out = BUF_INIT(1 << 20);
	CHECK_INT(metrics_render(m, &out), 0);
	const char *s = out.ptr;
	CHECK(has_line(s, "# TYPE kumppani_http_requests_total counter"));
	CHECK(has_line(s,
	               "kumppani_http_requests_total{method=\"GET\",route=\"/api/v1/customers/{id}\",code=\"200\"} 2"));
	CHECK(has_line(s,
	               "kumppani_http_requests_total{method=\"GET\",route=\"/api/v1/customers/{id}\",code=\"404\"} 1"));
	CHECK(has_line(s, "kumppani_http_requests_total{method=\"POST\",route=\"/api/v1/customers\",code=\"201\"} 1"));
	CHECK(has_line(s, "kumppani_http_requests_total{method=\"other\",route=\"unmatched\",code=\"404\"} 1"));
	CHECK(has_line(s, "kumppani_http_requests_total{method=\"other\",route=\"unmatched\",code=\"5xx\"} 1"));
	/* Routes without requests are left out. */
	CHECK(strstr(s, "odd") == NULL);
	buf_release(&out);
	metrics_free(m);
}

TEST(metrics_histogram_is_cumulative)
{
	struct metrics *m = metrics_new(2, test_routes, 3);
	CHECK(m != NULL);
	if (!m)
		return;
	metrics_record(m, 0, 0, 200, 300);
	metrics_record(m, 1, 0, 200, 700);
	metrics_record(m, 1, 0, 404, 20000);
	metrics_record(m, 0, 0, 200, 60000000); /* a minute: only in +Inf */
	metrics_record(m, 0, 0, 200, -5);       /* clock oddity: counted as 0 */
	struct buf out = BUF_INIT(1 << 20);
	CHECK_INT(metrics_render(m, &out), 0);
	const char *s = out.ptr;
	const char *pre = "kumppani_http_request_duration_seconds";
	char line[256];
	snprintf(line, sizeof(line), "%s_bucket{method=\"GET\",route=\"/api/v1/customers/{id}\",le=\"0.0005\"} 2", pre);
	CHECK(has_line(s, line));
	snprintf(line, sizeof(line), "%s_bucket{method=\"GET\",route=\"/api/v1/customers/{id}\",le=\"0.001\"} 3", pre);
	CHECK(has_line(s, line));
	snprintf(line, sizeof(line), "%s_bucket{method=\"GET\",route=\"/api/v1/customers/{id}\",le=\"0.01\"} 3", pre);
	CHECK(has_line(s, line));
	snprintf(line, sizeof(line), "%s_bucket{method=\"GET\",route=\"/api/v1/customers/{id}\",le=\"0.025\"} 4", pre);
	CHECK(has_line(s, line));
	snprintf(line, sizeof(line), "%s_bucket{method=\"GET\",route=\"/api/v1/customers/{id}\",le=\"10\"} 4", pre);
	CHECK(has_line(s, line));
	snprintf(line, sizeof(line), "%s_bucket{method=\"GET\",route=\"/api/v1/customers/{id}\",le=\"+Inf\"} 5", pre);
	CHECK(has_line(s, line));
	snprintf(line, sizeof(line), "%s_count{method=\"GET\",route=\"/api/v1/customers/{id}\"} 5", pre);
	CHECK(has_line(s, line));
	snprintf(line, sizeof(line), "%s_sum{method=\"GET\",route=\"/api/v1/customers/{id}\"} 60.021000", pre);
	CHECK(has_line(s, line));
	CHECK(has_line(s, "# TYPE kumppani_http_request_duration_seconds histogram"));
	buf_release(&out);
	metrics_free(m);
}

TEST(metrics_gauges_and_escaping)
{
	struct metrics *m = metrics_new(3, test_routes, 3);
	CHECK(m != NULL);
	if (!m)
		return;
	metrics_gauge_add(m, 0, METRICS_G_CONNECTIONS, 3);
	metrics_gauge_add(m, 2, METRICS_G_CONNECTIONS, 2);
	metrics_gauge_add(m, 0, METRICS_G_CONNECTIONS, -1);
	metrics_gauge_add(m, 1, METRICS_G_INFLIGHT, 1);
	metrics_gauge_add(m, 7, METRICS_G_INFLIGHT, 100); /* no such shard: ignored */
	metrics_record(m, 2, 2, 200, 1);
	struct buf out = BUF_INIT(1 << 20);
	CHECK_INT(metrics_render(m, &out), 0);
	CHECK(has_line(out.ptr, "kumppani_http_connections 4"));
	CHECK(has_line(out.ptr, "kumppani_http_requests_in_flight 1"));
	CHECK(has_line(out.ptr,
	               "kumppani_http_requests_total{method=\"GET\",route=\"/odd\\\"route\\\\x\",code=\"200\"} 1"));
	buf_release(&out);

	struct buf lv = BUF_INIT(64);
	CHECK_INT(metrics_add_label_value(&lv, "a\"b\\c\nd"), 0);
	CHECK_STR(lv.ptr, "a\\\"b\\\\c\\nd");
	buf_release(&lv);
	metrics_free(m);
}

TEST(metrics_render_respects_the_cap)
{
	struct metrics *m = metrics_new(1, test_routes, 3);
	CHECK(m != NULL);
	if (!m)
		return;
	metrics_record(m, 0, 0, 200, 1);
	struct buf small = BUF_INIT(100);
	CHECK_INT(metrics_render(m, &small), -1);
	CHECK(small.len <= 100);
	buf_release(&small);
	metrics_free(m);
}

TEST(metrics_global_registry)
{
	struct metrics *m = metrics_new(1, test_routes, 3);
	CHECK(metrics_global() == NULL);
	metrics_set_global(m);
	CHECK(metrics_global() == m);
	metrics_set_global(NULL);
	CHECK(metrics_global() == NULL);
	metrics_free(m);
}
