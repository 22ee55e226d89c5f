/*
 * metrics: GET /metrics in the Prometheus text format. The HTTP request series come from
 * the server's registry (util/metrics.h, recorded by http/); the store's group-commit
 * series from store_get_stats().
 */
#include "api/handlers.h"

#include "util/metrics.h"

/* Store commit batches: the store's buckets are 1, 2-4, 5-16, 17-64, 65+ jobs. */
static int metrics_render_store(struct store *s, struct buf *out)
{
	static const char *const le[5] = {"1", "4", "16", "64", "+Inf"};
	struct store_stats st = {0};
	store_get_stats(s, &st);
	if (buf_addf(out,
	             "# HELP kumppani_store_commits_total Write transactions committed (one fsync each, or shared through the sync pipeline).\n"
	             "# TYPE kumppani_store_commits_total counter\n"
	             "kumppani_store_commits_total %llu\n"
	             "# HELP kumppani_store_commit_jobs_total Writes carried by those commits.\n"
	             "# TYPE kumppani_store_commit_jobs_total counter\n"
	             "kumppani_store_commit_jobs_total %llu\n"
	             "# HELP kumppani_store_commit_failures_total Commits that failed.\n"
	             "# TYPE kumppani_store_commit_failures_total counter\n"
	             "kumppani_store_commit_failures_total %llu\n"
	             "# HELP kumppani_store_syncs_total Rounds of the sync pipeline (at most one fdatasync each, covering one or more commits).\n"
	             "# TYPE kumppani_store_syncs_total counter\n"
	             "kumppani_store_syncs_total %llu\n"
	             "# HELP kumppani_store_sync_failures_total Fsyncs of the sync pipeline that failed.\n"
	             "# TYPE kumppani_store_sync_failures_total counter\n"
	             "kumppani_store_sync_failures_total %llu\n"
	             "# HELP kumppani_store_commit_batch_size Writes per commit (group commit).\n"
	             "# TYPE kumppani_store_commit_batch_size histogram\n",
	             (unsigned long long)st.commits, (unsigned long long)st.jobs,
	             (unsigned long long)st.failed_commits, (unsigned long long)st.syncs,
	             (unsigned long long)st.failed_syncs) < 0)
		return -1;
	uint64_t cum = 0;
	for (int i = 0; i < 5; i++) {
		cum += st.batch_hist[i];
		if (buf_addf(out, "kumppani_store_commit_batch_size_bucket{le=\"%s\"} %llu\n", le[i],
		             (unsigned long long)cum) < 0)
			return -1;
	}
	return buf_addf(out,
	                "kumppani_store_commit_batch_size_sum %llu\n"
	                "kumppani_store_commit_batch_size_count %llu\n"
	                "# HELP kumppani_store_page_cache_bytes The store's page caches in this process (SQLite's "
	                "writer and readers; 0 for PostgreSQL).\n"
	                "# TYPE kumppani_store_page_cache_bytes gauge\n"
	                "kumppani_store_page_cache_bytes %lld\n",
	                (unsigned long long)st.jobs, (unsigned long long)st.commits, (long long)st.page_cache_bytes);
}

int api_metrics(struct api_req *r)
{
	struct buf *out = &r->resp.body;
	struct metrics *m = metrics_global();
	buf_reset(out);
	if ((m && metrics_render(m, out) < 0) || (r->srv->store && metrics_render_store(r->srv->store, out) < 0))
		return api_fail(r, KP_EINTERNAL, "metrics output exceeds the response size limit");
	r->resp.status = 200;
	r->resp.content_type = "text/plain; version=0.0.4; charset=utf-8";
	return API_DONE;
}
