/*
 * The sync pipeline (store.c, "Sync pipeline"; sqlite.c, "Pipelined group commits"): a
 * batch's commit does not wait for the disk, a sync thread fdatasyncs the WAL beside the
 * writer's next batch, and a job is reported only after an fdatasync of the WAL that
 * began after its batch committed.
 *
 * This file defines fdatasync() for the whole unit-test binary: the executable's
 * definition wins over glibc's, for the store's own calls and for libsqlite3's. It passes
 * every call on to the kernel and, for files whose name ends in "-wal", can slow the call
 * down, fail it with EIO, and record which commits a finished call covers: store_commit_seq()
 * read when the call began (every commit counted there is on disk when it returns).
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "store/store_int.h"
#include "test.h"

static struct store *sp_store;          /* the store whose commit_seq the WAL syncs read */
static atomic_int sp_delay_us;          /* added to each WAL fdatasync */
static atomic_int sp_fail;              /* WAL fdatasync fails with EIO */
static atomic_int sp_fail_once;         /* the next WAL fdatasync fails with EIO, later ones succeed */
static atomic_int sp_in_sync;           /* a WAL fdatasync is running (after its delay started) */
static atomic_uint_fast64_t sp_covered; /* the highest commit_seq a finished WAL sync covers */
static atomic_int sp_wal_syncs;
static atomic_int sp_db_syncs; /* fdatasync of a file whose name ends in ".db" */

/* 1 if fd is a file whose name ends in suffix */
static int sp_file_is(int fd, const char *suffix)
{
	char link[64], path[512];
	size_t k = strlen(suffix);
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	ssize_t n = readlink(link, path, sizeof path - 1);
	if (n < (ssize_t)k)
		return 0;
	path[n] = '\0';
	return strcmp(path + n - k, suffix) == 0;
}

int fdatasync(int fd)
{
	if (sp_store && sp_file_is(fd, ".db"))
		atomic_fetch_add(&sp_db_syncs, 1);
	if (!sp_store || !sp_file_is(fd, "-wal"))
		return (int)syscall(SYS_fdatasync, fd);
	uint64_t seq = store_commit_seq(sp_store);
	int delay = atomic_load(&sp_delay_us);
	atomic_store(&sp_in_sync, 1);
	if (delay)
		usleep((useconds_t)delay);
	atomic_store(&sp_in_sync, 0);
	/* as Linux does: the error is reported once, and a later call succeeds although the
	 * pages it failed to write are gone */
	if (atomic_load(&sp_fail) || atomic_exchange(&sp_fail_once, 0)) {
		errno = EIO;
		return -1;
	}
	int rc = (int)syscall(SYS_fdatasync, fd);
	if (rc == 0) {
		uint64_t cur = atomic_load(&sp_covered);
		while (cur < seq && !atomic_compare_exchange_weak(&sp_covered, &cur, seq))
			;
		atomic_fetch_add(&sp_wal_syncs, 1);
	}
	return rc;
}

struct sp_job {
	struct store_job job;
	struct customer cu;
	uint64_t seq_at_run; /* store_commit_seq() while the job ran, before its batch committed */
	int rc;
	int reported_early; /* done() came before a WAL sync covered the job's commit */
	int done;
};

static pthread_mutex_t sp_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t sp_cond = PTHREAD_COND_INITIALIZER;

static int sp_run(struct store_conn *c, void *arg, struct kp_err *err)
{
	struct sp_job *j = arg;
	j->seq_at_run = store_commit_seq(sp_store);
	return store_customer_insert(c, &j->cu, err);
}

static void sp_done(void *arg, int rc, const struct kp_err *err)
{
	struct sp_job *j = arg;
	(void)err;
	/* the job's batch is commit number seq_at_run + 1 */
	if (rc == 0 && atomic_load(&sp_covered) < j->seq_at_run + 1)
		j->reported_early = 1;
	pthread_mutex_lock(&sp_lock);
	j->rc = rc;
	j->done = 1;
	pthread_cond_broadcast(&sp_cond);
	pthread_mutex_unlock(&sp_lock);
}

static void sp_init(struct sp_job *j, const char *name)
{
	memset(j, 0, sizeof *j);
	j->cu.name = name;
	j->cu.custom_json = "{}";
	j->job.run = sp_run;
	j->job.done = sp_done;
	j->job.arg = j;
}

static void sp_wait(struct sp_job *jobs, int n)
{
	pthread_mutex_lock(&sp_lock);
	for (int i = 0; i < n; i++)
		while (!jobs[i].done)
			pthread_cond_wait(&sp_cond, &sp_lock);
	pthread_mutex_unlock(&sp_lock);
}

static int sp_open(const char *tag, const struct store_options *o, char *path, size_t cap)
{
	char url[200];
	struct kp_err err = KP_ERR_INIT;
	snprintf(path, cap, "/tmp/kp-unit-sync-%s-%d.db", tag, (int)getpid());
	snprintf(url, sizeof url, "sqlite:%s", path);
	atomic_store(&sp_covered, 0);
	atomic_store(&sp_wal_syncs, 0);
	atomic_store(&sp_fail, 0);
	atomic_store(&sp_fail_once, 0);
	atomic_store(&sp_delay_us, 0);
	if (store_open(url, o, &sp_store, &err) != 0) {
		test_fail(__FILE__, __LINE__, "open %s: %s", url, err.msg);
		return -1;
	}
	return 0;
}

static void sp_close(const char *path)
{
	char p[300];
	store_close(sp_store);
	sp_store = NULL;
	unlink(path);
	snprintf(p, sizeof p, "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", path);
	unlink(p);
}

TEST(sync_pipeline_answers_only_after_the_wal_fsync_that_covers_the_commit)
{
	enum { N = 120 };
	static struct sp_job jobs[N];
	struct store_options o = {.max_batch = 6}; /* many batches, so several wait for one sync */
	struct store_stats before, after;
	char path[200];

	if (sp_open("order", &o, path, sizeof path))
		return;
	store_get_stats(sp_store, &before);
	atomic_store(&sp_delay_us, 15000); /* a slow disk: batches commit while a sync runs */
	for (int i = 0; i < N; i++) {
		sp_init(&jobs[i], "Putki Asiakas");
		CHECK_INT(store_submit(sp_store, &jobs[i].job), 0);
	}
	sp_wait(jobs, N);
	store_get_stats(sp_store, &after);
	int ok = 0, early = 0;
	for (int i = 0; i < N; i++) {
		ok += jobs[i].rc == 0 && jobs[i].cu.id > 0;
		early += jobs[i].reported_early;
	}
	CHECK_INT(ok, N);
	CHECK_INT(early, 0);
	uint64_t commits = after.commits - before.commits, syncs = after.syncs - before.syncs;
	CHECK(commits >= N / 6);
	/* the pipeline at work: one fsync covered several commits */
	CHECK(syncs >= 1);
	CHECK(syncs < commits);
	CHECK_INT(after.failed_syncs, 0);
	sp_close(path);
}

TEST(sync_pipeline_off_with_one_commit_per_request_or_inline)
{
	static const struct store_options opts[2] = {{.max_batch = 1}, {.max_batch = 64, .sync_inline = 1}};
	for (int k = 0; k < 2; k++) {
		enum { N = 10 };
		struct sp_job jobs[N];
		struct store_stats st;
		char path[200];
		if (sp_open(k ? "inline" : "one", &opts[k], path, sizeof path))
			return;
		for (int i = 0; i < N; i++) {
			sp_init(&jobs[i], "Tahdissa Asiakas");
			CHECK_INT(store_submit(sp_store, &jobs[i].job), 0);
		}
		sp_wait(jobs, N);
		for (int i = 0; i < N; i++)
			CHECK_INT(jobs[i].rc, 0);
		store_get_stats(sp_store, &st);
		CHECK_INT(st.syncs, 0); /* no sync thread: SQLite's own commit syncs the WAL */
		CHECK(atomic_load(&sp_wal_syncs) >= (k ? 1 : N));
		sp_close(path);
	}
}

TEST(sync_pipeline_failed_fsync_fails_the_write_and_stops_later_writes)
{
	struct sp_job a, b, c;
	struct store_stats st;
	char path[200];

	if (sp_open("fail", NULL, path, sizeof path))
		return;
	sp_init(&a, "Ennen Virhettä");
	CHECK_INT(store_submit(sp_store, &a.job), 0);
	sp_wait(&a, 1);
	CHECK_INT(a.rc, 0);

	atomic_store(&sp_fail, 1);
	sp_init(&b, "Levy Hajosi");
	CHECK_INT(store_submit(sp_store, &b.job), 0);
	sp_wait(&b, 1);
	CHECK_INT(b.rc, KP_ESTORE); /* committed, but not known to be on disk: not acknowledged */

	/* what is on disk is unknown now: later writes are refused, even once fsync works */
	atomic_store(&sp_fail, 0);
	sp_init(&c, "Levyn Jälkeen");
	CHECK_INT(store_submit(sp_store, &c.job), 0);
	sp_wait(&c, 1);
	CHECK_INT(c.rc, KP_EUNAVAILABLE);
	store_get_stats(sp_store, &st);
	CHECK(st.failed_syncs >= 1);

	/* a store opened again writes, and keeps what was acknowledged */
	char url[220];
	struct kp_err err = KP_ERR_INIT;
	struct customer got;
	struct arena ar = ARENA_INIT;
	store_close(sp_store);
	snprintf(url, sizeof url, "sqlite:%s", path);
	CHECK_INT(store_open(url, NULL, &sp_store, &err), 0);
	if (!sp_store)
		return;
	CHECK_INT(store_customer_get(store_reader(sp_store, &err), a.cu.id, &got, &ar, &err), 0);
	sp_init(&c, "Uusi Alku");
	CHECK_INT(store_submit(sp_store, &c.job), 0);
	sp_wait(&c, 1);
	CHECK_INT(c.rc, 0);
	arena_release(&ar);
	sp_close(path);
}

/* A batch that commits while the failing fsync runs is not acknowledged either, although the
 * next fdatasync succeeds: its frames come after the ones that may never have reached the
 * disk, and WAL recovery stops at the first bad frame. */
TEST(sync_pipeline_failed_fsync_fails_the_batches_in_flight)
{
	struct sp_job a, b;
	char path[200];

	if (sp_open("inflight", NULL, path, sizeof path))
		return;
	atomic_store(&sp_delay_us, 100000);
	atomic_store(&sp_fail_once, 1);
	sp_init(&a, "Ensimmäinen Erä");
	CHECK_INT(store_submit(sp_store, &a.job), 0);
	for (int i = 0; i < 2000 && !atomic_load(&sp_in_sync); i++)
		usleep(1000);
	CHECK(atomic_load(&sp_in_sync)); /* a's fsync is running: b commits meanwhile */
	sp_init(&b, "Toinen Erä");
	CHECK_INT(store_submit(sp_store, &b.job), 0);
	sp_wait(&a, 1);
	sp_wait(&b, 1);
	CHECK_INT(a.rc, KP_ESTORE);
	CHECK(b.rc != 0);
	sp_close(path);
}

/* A bulk load leaves the WAL for a rollback journal: the WAL's frames (acknowledged writes)
 * are copied into the database and the WAL deleted, so the database must be synced first
 * (the load then runs at synchronous=OFF). Afterwards the pipeline works again on the new WAL. */
TEST(sync_pipeline_bulk_load_syncs_the_database_before_it_leaves_the_wal)
{
	struct sp_job a, b;
	struct store_stats st0, st1;
	struct kp_err err = KP_ERR_INIT;
	char path[200];

	if (sp_open("bulk", NULL, path, sizeof path))
		return;
	sp_init(&a, "Ennen Latausta");
	CHECK_INT(store_submit(sp_store, &a.job), 0);
	sp_wait(&a, 1);
	CHECK_INT(a.rc, 0);
	int db_before = atomic_load(&sp_db_syncs);
	CHECK_INT(store_bulk_load(sp_store, 1, &err), 0);
	CHECK(atomic_load(&sp_db_syncs) > db_before);
	CHECK_INT(store_bulk_load(sp_store, 0, &err), 0);

	store_get_stats(sp_store, &st0);
	sp_init(&b, "Latauksen Jälkeen");
	CHECK_INT(store_submit(sp_store, &b.job), 0);
	sp_wait(&b, 1);
	CHECK_INT(b.rc, 0);
	CHECK_INT(b.reported_early, 0);
	store_get_stats(sp_store, &st1);
	CHECK(st1.syncs > st0.syncs);
	CHECK_INT(st1.failed_syncs, 0);
	sp_close(path);
}
