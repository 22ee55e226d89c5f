/*
 * store core: picks the backend by URL, owns the writer thread (group commit) and the
 * per-thread read connections. Backends only see single connections (store_int.h).
 *
 * Writer: jobs queue on a mutex+condvar list. The writer takes every queued job (at most
 * max_batch), begins one transaction, runs each job inside a savepoint (released on
 * success, rolled back alone on failure), runs the backend's before_commit (SQLite: the
 * batch's search entries go into FTS5 there, once per batch), commits once and then calls
 * each job's done(); then the backend's maintain (SQLite: WAL checkpoints, off the commit
 * path). If before_commit or the commit fails, every job of the batch gets that error. `wlock` is held while a
 * batch runs, so store_migrate() can use the writer connection between batches.
 *
 * Sync pipeline: when the backend has begin_nosync and sync (store_int.h; SQLite does) and
 * max_batch > 1, a batch's commit does not wait for the disk. The writer hands the
 * committed batch to a sync thread and starts the next batch; the sync thread makes every
 * batch handed to it so far durable with one backend sync (an fdatasync of the WAL) and
 * only then calls their done(). So an answer still comes after the fsync that covers its
 * write, and the writer's CPU work overlaps the disk's. The price: another reader may see
 * a write before it is durable, for at most about two fsyncs (the one running when it
 * committed, and its own); it would vanish in a power cut in that window, and nobody has
 * been told it was stored. A batch that fails is reported at once, possibly before earlier
 * batches still waiting for their fsync; done() may run on the writer and the sync thread
 * at the same time. `kumppani serve --sync inline` (opts
 * sync_inline) and --max-batch 1 keep the old order, commit and fsync before anything is
 * visible. A failed sync leaves what is on disk unknown: those jobs fail, and so does every
 * later write until the store is opened again (as PostgreSQL stops on a failed fsync).
 *
 * Readers: each thread gets its own connection per store, found through a small
 * thread-local cache keyed by (store pointer, store serial). Every reader is also listed
 * in the store so store_close() closes them all, including those of threads that ended.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "store/store_int.h"
#include "util/log.h"
#include "util/timeutil.h"

#define STORE_DEFAULT_BATCH 256
#define STORE_TL_SLOTS 4
#define STORE_IDEM_KEEP_MS (24LL * 3600 * 1000)
#define STORE_IDEM_PURGE_EVERY_MS (60LL * 1000)
#define STORE_IDLE_MS 50 /* the writer is idle after this long without a job */

struct store_reader_ent {
	struct store_conn *c;
	struct store_reader_ent *next;
};

struct store {
	const struct store_ops *ops;
	void *backend;
	struct store_options opts;
	uint64_t serial;
	_Atomic int answer_ms; /* store_set_answer_ms(); read by every thread's connections */

	/* writer */
	struct store_conn *wconn;
	pthread_t writer;
	int writer_started;
	pthread_mutex_t qlock;
	pthread_cond_t qcond;
	struct store_job *qhead, *qtail;
	size_t qlen;
	int closing;
	pthread_mutex_t wlock; /* held while a batch (or a migration) uses wconn */
	int64_t last_purge_ms;
	int schema_found; /* the version before the last migrations (store_schema_found), -1: none ran */

	/* readers */
	pthread_mutex_t rlock;
	struct store_reader_ent *readers;

	/* the sync pipeline: committed batches waiting for their sync, in commit order */
	pthread_t syncer;
	int syncer_started;
	pthread_mutex_t plock;
	pthread_cond_t pwork; /* the sync thread waits for batches */
	pthread_cond_t pidle; /* store_sync_drain waits for the sync thread */
	struct store_job *phead, *ptail;
	int psyncing;    /* the sync thread holds jobs it has not reported yet */
	int writer_done; /* the writer has ended: the sync thread drains and ends */
	atomic_int sync_failed;

	/* batches committed (store_commit_seq in store_int.h) */
	atomic_uint_fast64_t commit_seq;

	/* stats (under slock) */
	pthread_mutex_t slock;
	struct store_stats stats;
};

static atomic_uint_fast64_t store_serial_next = 1;

struct store_tl_slot {
	const struct store *s;
	uint64_t serial;
	struct store_conn *c;
};
static __thread struct store_tl_slot store_tl[STORE_TL_SLOTS];

static const struct store_ops *const store_backends[] = { &store_sqlite_ops, &store_postgres_ops };

static void *store_writer_main(void *arg);
static void *store_syncer_main(void *arg);

static const char store_sync_failed_msg[] =
	"an earlier commit could not be synced to disk; writes are refused until the server restarts";

/* glibc trims a thread's malloc arena as soon as its free top exceeds 128 KiB and faults
 * the pages back in on the next growth. The writer's SQLite page splits allocate and free
 * a scratch buffer of tens of KiB per split: under a write load sysmalloc and page clearing
 * were 8-10% of the writer's samples. A fixed trim threshold of 8 MiB (and
 * mmap for blocks of 1 MiB and more, which the fixed threshold no longer adapts) ends
 * that churn; at most 8 MiB per arena stays mapped beyond what is in use. */
static void store_malloc_tune(void)
{
#ifdef __GLIBC__
	mallopt(M_MMAP_THRESHOLD, 1 << 20);
	mallopt(M_TRIM_THRESHOLD, 8 << 20);
#endif
}

void store_set_answer_ms(struct store *s, int ms)
{
	atomic_store(&s->answer_ms, ms > 0 ? ms : 0);
}

int store_answer_ms(const struct store *s)
{
	return s ? atomic_load(&s->answer_ms) : 0;
}

const char *store_backend_name(const struct store *s)
{
	return s->ops->name;
}

const char *store_local_file(const char *url)
{
	for (size_t i = 0; url && i < sizeof store_backends / sizeof store_backends[0]; i++)
		if (store_backends[i]->accepts && store_backends[i]->accepts(url))
			return store_backends[i]->local_file ? store_backends[i]->local_file(url) : NULL;
	return NULL;
}

int store_open(const char *url, const struct store_options *opts, struct store **out, struct kp_err *err)
{
	struct store *s = NULL;
	const struct store_ops *ops = NULL;
	int rc = 0;

	*out = NULL;
	if (!url || !*url)
		return kp_err_set(err, KP_EINVAL, "no database URL given");
	for (size_t i = 0; i < sizeof store_backends / sizeof store_backends[0]; i++) {
		if (store_backends[i]->accepts && store_backends[i]->accepts(url)) {
			ops = store_backends[i];
			break;
		}
	}
	if (!ops)
		return kp_err_set(err, KP_EINVAL, "unsupported database URL (use sqlite:PATH or postgres://...)");

	s = calloc(1, sizeof *s);
	if (!s)
		return kp_err_set(err, KP_ENOMEM, "out of memory");
	s->ops = ops;
	s->serial = atomic_fetch_add(&store_serial_next, 1);
	if (opts)
		s->opts = *opts;
	if (s->opts.max_batch <= 0)
		s->opts.max_batch = STORE_DEFAULT_BATCH;
	pthread_mutex_init(&s->qlock, NULL);
	{ /* the writer's idle wait (store_writer_main) measures time that cannot step back */
		pthread_condattr_t ca;
		pthread_condattr_init(&ca);
		pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
		pthread_cond_init(&s->qcond, &ca);
		pthread_condattr_destroy(&ca);
	}
	pthread_mutex_init(&s->wlock, NULL);
	pthread_mutex_init(&s->rlock, NULL);
	pthread_mutex_init(&s->slock, NULL);
	pthread_mutex_init(&s->plock, NULL);
	pthread_cond_init(&s->pwork, NULL);
	pthread_cond_init(&s->pidle, NULL);
	s->last_purge_ms = time_now_ms();
	s->schema_found = -1;

	rc = ops->setup(url, &s->backend, err);
	if (rc)
		goto out;
	if (!s->opts.read_only) {
		rc = ops->conn_open(s->backend, s, 1, &s->wconn, err);
		if (rc)
			goto out;
		if (!s->opts.no_migrate) {
			rc = ops->migrate(s->wconn, &s->schema_found, err);
			if (rc)
				goto out;
		}
		static pthread_once_t tune_once = PTHREAD_ONCE_INIT;
		pthread_once(&tune_once, store_malloc_tune);
		if (ops->begin_nosync && ops->sync && s->opts.max_batch > 1 && !s->opts.sync_inline) {
			if (pthread_create(&s->syncer, NULL, store_syncer_main, s) != 0) {
				rc = kp_err_set(err, KP_EINTERNAL, "cannot start the store sync thread");
				goto out;
			}
			s->syncer_started = 1;
		}
		if (pthread_create(&s->writer, NULL, store_writer_main, s) != 0) {
			rc = kp_err_set(err, KP_EINTERNAL, "cannot start the store writer thread");
			goto out;
		}
		s->writer_started = 1;
	}
	*out = s;
	s = NULL;
out:
	if (s)
		store_close(s);
	return rc;
}

void store_close(struct store *s)
{
	if (!s)
		return;
	pthread_mutex_lock(&s->qlock);
	s->closing = 1;
	pthread_cond_broadcast(&s->qcond);
	pthread_mutex_unlock(&s->qlock);
	if (s->writer_started)
		pthread_join(s->writer, NULL); /* the writer drains the queue before it ends */
	if (s->syncer_started) {
		pthread_mutex_lock(&s->plock);
		s->writer_done = 1;
		pthread_cond_signal(&s->pwork);
		pthread_mutex_unlock(&s->plock);
		pthread_join(s->syncer, NULL); /* it syncs and reports what it was handed first */
	}

	/* Forget this store in the calling thread's cache; other threads' entries carry the
	 * serial, which no later store reuses. */
	for (int i = 0; i < STORE_TL_SLOTS; i++)
		if (store_tl[i].s == s)
			memset(&store_tl[i], 0, sizeof store_tl[i]);
	for (struct store_reader_ent *r = s->readers, *next; r; r = next) {
		next = r->next;
		s->ops->conn_close(r->c);
		free(r);
	}
	if (s->wconn)
		s->ops->conn_close(s->wconn);
	if (s->backend)
		s->ops->release(s->backend);
	pthread_mutex_destroy(&s->qlock);
	pthread_cond_destroy(&s->qcond);
	pthread_mutex_destroy(&s->wlock);
	pthread_mutex_destroy(&s->rlock);
	pthread_mutex_destroy(&s->slock);
	pthread_mutex_destroy(&s->plock);
	pthread_cond_destroy(&s->pwork);
	pthread_cond_destroy(&s->pidle);
	free(s);
}

/* Wait until the sync thread has reported every batch handed to it. */
static void store_sync_drain(struct store *s)
{
	if (!s->syncer_started)
		return;
	pthread_mutex_lock(&s->plock);
	while (s->phead || s->psyncing)
		pthread_cond_wait(&s->pidle, &s->plock);
	pthread_mutex_unlock(&s->plock);
}

int store_migrate(struct store *s, struct kp_err *err)
{
	int rc;

	if (!s->wconn)
		return kp_err_set(err, KP_EUNAVAILABLE, "store is open read-only");
	pthread_mutex_lock(&s->wlock);
	rc = s->ops->migrate(s->wconn, &s->schema_found, err);
	pthread_mutex_unlock(&s->wlock);
	return rc;
}

int store_schema_found(const struct store *s)
{
	return s->schema_found;
}

int store_bulk_load(struct store *s, int on, struct kp_err *err)
{
	int rc = 0;

	if (!s->wconn)
		return kp_err_set(err, KP_EUNAVAILABLE, "store is open read-only");
	if (!s->ops->bulk_load)
		return 0;
	pthread_mutex_lock(&s->wlock);
	/* SQLite leaves the WAL for the load without syncing it: what the sync thread holds
	 * must be on disk first. */
	store_sync_drain(s);
	rc = s->ops->bulk_load(s->wconn, on, err);
	pthread_mutex_unlock(&s->wlock);
	return rc;
}

int store_schema_version(struct store *s, int *version, struct kp_err *err)
{
	struct store_conn *c = store_reader(s, err);

	if (!c)
		return err ? err->status : KP_ESTORE;
	return s->ops->schema_version(c, version, err);
}

/*
 * Backups are written beside their target under a temporary name and renamed into place only
 * once complete, checked and on disk, so the target name never holds a half-written or
 * unchecked copy (a backup killed by a signal, a full disk, a failed check). The rename never
 * replaces a file: a target that exists, or appears meanwhile, is refused. The temporary
 * file's names are kept here so that store_backup_abandon() can remove them from a signal
 * handler; one backup at a time is registered (a second one running at once in another
 * thread is written the same way, only not removed by a signal).
 */
#define STORE_BACKUP_NAMES 3 /* the file, and what SQLite may make beside it: -journal, -wal */
static pthread_mutex_t store_backup_lock = PTHREAD_MUTEX_INITIALIZER;
static char store_backup_tmp[STORE_BACKUP_NAMES][PATH_MAX + 16];
static volatile sig_atomic_t store_backup_live;

void store_backup_abandon(void)
{
	if (!store_backup_live)
		return;
	for (int i = 0; i < STORE_BACKUP_NAMES; i++)
		unlink(store_backup_tmp[i]); /* async-signal-safe */
}

/* Remove the temporary file tmp and what SQLite may have left beside it. */
static void store_backup_remove(const char *tmp)
{
	static const char *const sfx[] = {"-journal", "-wal", ""};
	char f[PATH_MAX + 16];
	for (size_t i = 0; i < sizeof sfx / sizeof sfx[0]; i++)
		if ((size_t)snprintf(f, sizeof f, "%s%s", tmp, sfx[i]) < sizeof f)
			unlink(f);
}

/* fsync the file or directory at path. */
static int store_fsync_path(const char *path, int dir)
{
	int fd = open(path, (dir ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	int e = errno;
	close(fd);
	errno = e;
	return rc;
}

/* Give tmp the name path, never replacing a file there (EEXIST). */
static int store_rename_noreplace(const char *tmp, const char *path)
{
	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
		return -1;
	/* a file system without RENAME_NOREPLACE: a link fails on an existing name as well */
	if (link(tmp, path) != 0)
		return -1;
	unlink(tmp);
	return 0;
}

/* Is name ".BASE.tmp-XXXXXX", a temporary file of a backup to BASE as mkostemp names it
 * (each X one of A-Z, a-z, 0-9)? */
static int store_backup_tmp_name(const char *name, const char *base, size_t blen)
{
	if (name[0] != '.' || strncmp(name + 1, base, blen) != 0 || strncmp(name + 1 + blen, ".tmp-", 5) != 0)
		return 0;
	const char *x = name + 1 + blen + 5;
	for (int i = 0; i < 6; i++)
		if (!((x[i] >= 'A' && x[i] <= 'Z') || (x[i] >= 'a' && x[i] <= 'z') || (x[i] >= '0' && x[i] <= '9')))
			return 0;
	return x[6] == '\0';
}

/* Remove what backups to dir/base that ended without finishing (SIGKILL, a power cut) left:
 * their temporary files, and the -journal and -wal SQLite may have made beside one. A backup
 * holds an exclusive flock on its temporary file for as long as it runs (store_backup), so a
 * file that can be locked here belongs to none: only such files are removed, and only
 * regular files of this user named exactly so (never through a symlink), checked to be the
 * file locked when removed. Each removal is told to removed(name, arg) (may be NULL). */
static void store_backup_sweep(const char *dir, const char *base, void (*removed)(const char *file, void *arg),
                               void *arg)
{
	static const char *const sides[] = {"-journal", "-wal"};
	size_t blen = strlen(base);
	DIR *d = opendir(dir);
	if (!d)
		return; /* the backup itself will say what is wrong with the directory */
	int dfd = dirfd(d);
	uid_t me = geteuid();
	struct dirent *e;
	char name[NAME_MAX + 16], shown[PATH_MAX + 512];
	while ((e = readdir(d))) {
		if (!store_backup_tmp_name(e->d_name, base, blen))
			continue;
		snprintf(name, sizeof name, "%s", e->d_name);
		int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
		if (fd < 0)
			continue; /* a symlink (ELOOP), gone meanwhile, not ours to read */
		struct stat fs, ls;
		if (fstat(fd, &fs) != 0 || !S_ISREG(fs.st_mode) || fs.st_uid != me ||
		    flock(fd, LOCK_EX | LOCK_NB) != 0 || /* a backup that runs holds it */
		    fstatat(dfd, name, &ls, AT_SYMLINK_NOFOLLOW) != 0 || ls.st_dev != fs.st_dev ||
		    ls.st_ino != fs.st_ino) {
			close(fd);
			continue;
		}
		for (size_t i = 0; i < sizeof sides / sizeof sides[0]; i++) {
			char side[NAME_MAX + 32];
			struct stat ss;
			snprintf(side, sizeof side, "%s%s", name, sides[i]);
			if (fstatat(dfd, side, &ss, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(ss.st_mode) &&
			    ss.st_uid == me && unlinkat(dfd, side, 0) == 0 && removed) {
				snprintf(shown, sizeof shown, "%s/%s", dir, side);
				removed(shown, arg);
			}
		}
		if (unlinkat(dfd, name, 0) == 0 && removed) {
			snprintf(shown, sizeof shown, "%s/%s", dir, name);
			removed(shown, arg);
		}
		close(fd); /* the lock goes with it */
	}
	closedir(d);
}

int store_backup(struct store *s, const char *path, void (*removed)(const char *file, void *arg), void *arg,
                 struct kp_err *err)
{
	struct store_conn *c;
	struct stat sb;
	char tmp[PATH_MAX], tmpl[PATH_MAX], dir[PATH_MAX];
	int rc;

	if (!path || !*path)
		return kp_err_set(err, KP_EINVAL, "no backup path given");
	if (stat(path, &sb) == 0)
		return S_ISDIR(sb.st_mode)
		           ? kp_err_set(err, KP_ECONFLICT, "backup target %s is a directory: name a new file in it",
		                        path)
		           : kp_err_set(err, KP_ECONFLICT, "backup target %s already exists; refusing to overwrite it",
		                        path);
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	int dlen = slash ? (slash == path ? 1 : (int)(slash - path)) : 1;
	if (!*base)
		return kp_err_set(err, KP_EINVAL, "backup target %s names no file", path);
	/* a relative directory as ./DIR: a name that began "file:" would be an SQLite URI */
	if ((size_t)snprintf(dir, sizeof dir, "%s%.*s", slash && *path != '/' ? "./" : "", dlen, slash ? path : ".") >=
	        sizeof dir ||
	    (size_t)snprintf(tmpl, sizeof tmpl, "%s/.%s.tmp-XXXXXX", dir, base) >= sizeof tmpl - 16)
		return kp_err_set(err, KP_EINVAL, "backup target %s: the name is too long", path);
	store_backup_sweep(dir, base, removed, arg);
	c = store_reader(s, err);
	if (!c)
		return err ? err->status : KP_ESTORE;
	/* created exclusively and owner-only (mkostemp: 0600; a backup holds password, token and
	 * session hashes); the backend fills it */
	/* the signals that end a command wait while the file is made and its name registered: one
	 * that came between the two would leave the file behind (a test caught it doing so) */
	sigset_t ends, was;
	sigemptyset(&ends);
	sigaddset(&ends, SIGINT);
	sigaddset(&ends, SIGTERM);
	sigaddset(&ends, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &ends, &was);
	pthread_mutex_lock(&store_backup_lock);
	/* the file is locked for the backup's whole life (store_backup_sweep() removes only
	 * files it can lock): a sweep that locked it first, between its creation and our lock,
	 * removes it, so the name must still be this file once locked, or a new one is made */
	int fd = -1;
	for (int tries = 0; fd < 0 && tries < 100; tries++) {
		memcpy(tmp, tmpl, sizeof tmp);
		if ((fd = mkostemp(tmp, O_CLOEXEC)) < 0)
			break;
		struct stat fs, ns;
		if (flock(fd, LOCK_EX) != 0 || fstat(fd, &fs) != 0 || stat(tmp, &ns) != 0 || fs.st_dev != ns.st_dev ||
		    fs.st_ino != ns.st_ino) {
			close(fd);
			fd = -1;
			errno = EAGAIN;
		}
	}
	if (fd < 0) {
		int e = errno;
		pthread_mutex_unlock(&store_backup_lock);
		pthread_sigmask(SIG_SETMASK, &was, NULL);
		return kp_err_set(err, KP_ESTORE, "backup: create a file in %s: %s", dir, strerror(e));
	}
	int registered = !store_backup_live;
	if (registered) {
		snprintf(store_backup_tmp[0], sizeof store_backup_tmp[0], "%s", tmp);
		snprintf(store_backup_tmp[1], sizeof store_backup_tmp[1], "%s-journal", tmp);
		snprintf(store_backup_tmp[2], sizeof store_backup_tmp[2], "%s-wal", tmp);
		store_backup_live = 1;
	}
	pthread_mutex_unlock(&store_backup_lock);
	pthread_sigmask(SIG_SETMASK, &was, NULL);

	rc = s->ops->backup(c, tmp, err);
	if (rc == 0 && store_fsync_path(tmp, 0) != 0)
		rc = kp_err_set(err, KP_ESTORE, "backup: sync %s: %s", tmp, strerror(errno));
	if (rc == 0 && store_rename_noreplace(tmp, path) != 0)
		rc = errno == EEXIST
		         ? kp_err_set(err, KP_ECONFLICT, "backup target %s already exists; refusing to overwrite it",
		                      path)
		         : kp_err_set(err, KP_ESTORE, "backup: name the copy %s: %s", path, strerror(errno));
	/* the new name is on disk only once its directory is; a file system that cannot sync a
	 * directory (EINVAL) has the file whole all the same, named: a warning, not a failure that
	 * would leave a complete FILE behind a failed command (and a retry refused) */
	if (rc == 0 && store_fsync_path(dir, 1) != 0)
		log_warn("backup: %s is written, but its directory %s could not be synced: %s", path, dir,
		         strerror(errno));

	pthread_sigmask(SIG_BLOCK, &ends, &was); /* (as above: no window with the name unregistered) */
	store_backup_remove(tmp);                /* gone already after a rename */
	close(fd);                               /* its lock: the backup is over */
	pthread_mutex_lock(&store_backup_lock);
	if (registered)
		store_backup_live = 0;
	pthread_mutex_unlock(&store_backup_lock);
	pthread_sigmask(SIG_SETMASK, &was, NULL);
	return rc;
}

int store_restore(struct store *s, const char *path, long long *rows, struct kp_err *err)
{
	long long n = -1;
	int rc;

	if (!path || !*path)
		return kp_err_set(err, KP_EINVAL, "no backup file given");
	if (!s->wconn)
		return kp_err_set(err, KP_EUNAVAILABLE, "store is open read-only");
	if (!s->ops->restore)
		return kp_err_set(err, KP_EINVAL, "the %s backend cannot restore", s->ops->name);
	pthread_mutex_lock(&s->wlock); /* the writer is idle: nothing was queued */
	rc = s->ops->restore(s->wconn, path, &n, err);
	if (rc == 0)
		rc = s->ops->migrate(s->wconn, NULL, err);
	pthread_mutex_unlock(&s->wlock);
	if (rows)
		*rows = n;
	return rc;
}

uint64_t store_commit_seq(const struct store *s)
{
	return atomic_load(&((struct store *)s)->commit_seq);
}

/* The calling thread's reader if it has one (no connection is opened), else NULL. */
static struct store_conn *store_reader_cached(const struct store *s)
{
	for (int i = 0; i < STORE_TL_SLOTS; i++)
		if (store_tl[i].s == s && store_tl[i].serial == s->serial)
			return store_tl[i].c;
	return NULL;
}

/* Refresh c's cache_bytes for store_get_stats(), on c's own thread: every call when force,
 * else every 64th (a reader's is refreshed once per event-loop iteration at most, and asking
 * SQLite walks its pagers). */
static void store_note_cache(struct store_conn *c, int force)
{
	if (!c->ops->cache_used || (!force && (c->cache_tick++ & 63) != 0))
		return;
	atomic_store_explicit(&c->cache_bytes, c->ops->cache_used(c), memory_order_relaxed);
}

/* The calling thread's reader, opened on first use. */
static struct store_conn *store_reader_get(struct store *s, struct kp_err *err)
{
	struct store_conn *c = store_reader_cached(s);
	struct store_reader_ent *ent;
	int free_slot = -1;

	if (c)
		return c;
	for (int i = 0; i < STORE_TL_SLOTS; i++)
		if (free_slot < 0 && !store_tl[i].s)
			free_slot = i;
	if (s->ops->conn_open(s->backend, s, 0, &c, err) != 0)
		return NULL;
	ent = calloc(1, sizeof *ent);
	if (!ent) {
		s->ops->conn_close(c);
		kp_err_set(err, KP_ENOMEM, "out of memory");
		return NULL;
	}
	ent->c = c;
	pthread_mutex_lock(&s->rlock);
	ent->next = s->readers;
	s->readers = ent;
	pthread_mutex_unlock(&s->rlock);
	/* A full cache evicts slot 0: the evicted connection stays listed in its store and is
	 * closed by store_close(); this thread just opens another if it comes back. */
	if (free_slot < 0)
		free_slot = 0;
	store_tl[free_slot].s = s;
	store_tl[free_slot].serial = s->serial;
	store_tl[free_slot].c = c;
	return c;
}

struct store_conn *store_reader(struct store *s, struct kp_err *err)
{
	struct store_conn *c = store_reader_get(s, err);

	/* Outside a read transaction, never hand out a kept snapshot (store.h). */
	if (c && c->ops->read_release)
		c->ops->read_release(c);
	return c;
}

struct store_conn *store_read_snapshot(struct store *s, struct kp_err *err)
{
	struct store_conn *c = store_reader_get(s, err);

	if (c && store_read_begin(c, err) != 0)
		return NULL;
	return c;
}

void store_read_release(struct store *s)
{
	struct store_conn *c = store_reader_cached(s);

	if (c && c->ops->read_release)
		c->ops->read_release(c);
	if (c)
		store_note_cache(c, 0);
}

void store_reader_close(struct store *s)
{
	for (int i = 0; i < STORE_TL_SLOTS; i++) {
		struct store_conn *c = store_tl[i].c;
		if (store_tl[i].s != s || store_tl[i].serial != s->serial)
			continue;
		memset(&store_tl[i], 0, sizeof store_tl[i]);
		pthread_mutex_lock(&s->rlock);
		for (struct store_reader_ent **pp = &s->readers; *pp; pp = &(*pp)->next) {
			if ((*pp)->c == c) {
				struct store_reader_ent *ent = *pp;
				*pp = ent->next;
				free(ent);
				break;
			}
		}
		pthread_mutex_unlock(&s->rlock);
		s->ops->conn_close(c);
	}
}

int store_ping(struct store *s, struct kp_err *err)
{
	struct store_conn *c = store_reader(s, err);

	if (!c)
		return KP_EUNAVAILABLE;
	return s->ops->ping(c, err);
}

int store_submit(struct store *s, struct store_job *job)
{
	int rc = 0;

	job->next = NULL;
	job->rc = 0;
	kp_err_init(&job->err);
	pthread_mutex_lock(&s->qlock);
	if (s->closing || !s->writer_started) {
		rc = KP_EUNAVAILABLE;
	} else {
		if (s->qtail)
			s->qtail->next = job;
		else
			s->qhead = job;
		s->qtail = job;
		s->qlen++;
		pthread_cond_signal(&s->qcond);
	}
	pthread_mutex_unlock(&s->qlock);
	return rc;
}

struct store_exec_wait {
	struct store_job job;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int finished;
	int (*fn)(struct store_conn *c, void *arg, struct kp_err *err);
	void *arg;
};

static int store_exec_run(struct store_conn *c, void *arg, struct kp_err *err)
{
	struct store_exec_wait *w = arg;

	return w->fn(c, w->arg, err);
}

static void store_exec_done(void *arg, int rc, const struct kp_err *err)
{
	struct store_exec_wait *w = arg;

	pthread_mutex_lock(&w->lock);
	w->job.rc = rc;
	if (err && &w->job.err != err)
		w->job.err = *err;
	w->finished = 1;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

int store_exec(struct store *s, int (*fn)(struct store_conn *c, void *arg, struct kp_err *err), void *arg,
	       struct kp_err *err)
{
	struct store_exec_wait w;
	int rc;

	if ((s->writer_started && pthread_equal(pthread_self(), s->writer)) ||
	    (s->syncer_started && pthread_equal(pthread_self(), s->syncer)))
		return kp_err_set(err, KP_EINTERNAL,
				  "store_exec called on the writer or the sync thread (it would wait for itself)");
	memset(&w, 0, sizeof w);
	pthread_mutex_init(&w.lock, NULL);
	pthread_cond_init(&w.cond, NULL);
	w.fn = fn;
	w.arg = arg;
	w.job.run = store_exec_run;
	w.job.done = store_exec_done;
	w.job.arg = &w;
	rc = store_submit(s, &w.job);
	if (rc) {
		kp_err_set(err, rc, "store is closing");
		goto out;
	}
	pthread_mutex_lock(&w.lock);
	while (!w.finished)
		pthread_cond_wait(&w.cond, &w.lock);
	pthread_mutex_unlock(&w.lock);
	rc = w.job.rc;
	if (rc && err)
		*err = w.job.err;
out:
	pthread_mutex_destroy(&w.lock);
	pthread_cond_destroy(&w.cond);
	return rc;
}

void store_get_stats(struct store *s, struct store_stats *out)
{
	int64_t cache = 0;

	pthread_mutex_lock(&s->slock);
	*out = s->stats;
	pthread_mutex_unlock(&s->slock);
	if (s->wconn)
		cache += atomic_load_explicit(&s->wconn->cache_bytes, memory_order_relaxed);
	pthread_mutex_lock(&s->rlock);
	for (struct store_reader_ent *e = s->readers; e; e = e->next)
		cache += atomic_load_explicit(&e->c->cache_bytes, memory_order_relaxed);
	pthread_mutex_unlock(&s->rlock);
	out->page_cache_bytes = cache;
}

static int store_hist_bucket(size_t n)
{
	if (n <= 1)
		return 0;
	if (n <= 4)
		return 1;
	if (n <= 16)
		return 2;
	if (n <= 64)
		return 3;
	return 4;
}

/* Purge old idempotency keys inside the batch, in a savepoint of its own, at most once a
 * minute. A failure is logged and otherwise ignored (the next purge retries). */
static void store_maybe_purge(struct store *s)
{
	const struct store_ops *ops = s->ops;
	struct store_conn *c = s->wconn;
	struct kp_err err = KP_ERR_INIT;
	int64_t now = time_now_ms();

	if (now - s->last_purge_ms < STORE_IDEM_PURGE_EVERY_MS)
		return;
	s->last_purge_ms = now;
	if (ops->savepoint(c, &err) != 0)
		goto fail;
	if (ops->idem_purge(c, now - STORE_IDEM_KEEP_MS, &err) != 0) {
		struct kp_err e2 = KP_ERR_INIT;
		ops->rollback_savepoint(c, &e2);
		goto fail;
	}
	if (ops->release_savepoint(c, &err) != 0)
		goto fail;
	return;
fail:
	log_warn("store: purging idempotency keys failed: %s", err.msg);
}

/* The backend's maintain on the writer connection (store_int.h): 1 when it asks to run
 * idle again. */
static int store_maintain(struct store *s, int idle)
{
	int again = 0;

	pthread_mutex_lock(&s->wlock);
	if (s->ops->maintain)
		again = s->ops->maintain(s->wconn, idle);
	store_note_cache(s->wconn, idle);
	pthread_mutex_unlock(&s->wlock);
	return again;
}

/* Hand a committed batch (batch .. last) to the sync thread, which reports it. */
static void store_sync_push(struct store *s, struct store_job *batch, struct store_job *last)
{
	pthread_mutex_lock(&s->plock);
	if (s->ptail)
		s->ptail->next = batch;
	else
		s->phead = batch;
	s->ptail = last;
	pthread_cond_signal(&s->pwork);
	pthread_mutex_unlock(&s->plock);
}

/* Run one batch (batch .. last, linked through next) and report every job's outcome, or
 * hand it to the sync thread, which does (see "Sync pipeline" at the top). */
static void store_run_batch(struct store *s, struct store_job *batch, struct store_job *last, size_t n)
{
	const struct store_ops *ops = s->ops;
	struct store_conn *c = s->wconn;
	struct kp_err err = KP_ERR_INIT;
	int pipelined = s->syncer_started;
	int rc;

	pthread_mutex_lock(&s->wlock);
	if (atomic_load(&s->sync_failed))
		rc = kp_err_set(&err, KP_EUNAVAILABLE, "%s", store_sync_failed_msg);
	else
		rc = pipelined ? ops->begin_nosync(c, &err) : ops->begin(c, &err);
	if (rc == 0) {
		for (struct store_job *j = batch; j; j = j->next) {
			j->rc = ops->savepoint(c, &j->err);
			if (j->rc)
				continue;
			j->rc = j->run(c, j->arg, &j->err);
			if (j->rc) {
				struct kp_err e2 = KP_ERR_INIT;
				if (j->err.status == 0)
					kp_err_set(&j->err, j->rc, "job failed");
				if (ops->rollback_savepoint(c, &e2) != 0) {
					/* The transaction is unusable: fail the whole batch. */
					rc = e2.status ? e2.status : KP_ESTORE;
					err = e2;
					break;
				}
			} else if (ops->release_savepoint(c, &j->err) != 0) {
				j->rc = j->err.status ? j->err.status : KP_ESTORE;
			}
		}
		if (rc == 0)
			store_maybe_purge(s);
		if (rc == 0 && ops->before_commit)
			rc = ops->before_commit(c, &err);
		if (rc == 0)
			rc = ops->commit(c, &err);
		if (rc == 0)
			atomic_fetch_add(&s->commit_seq, 1); /* before done(): see store_commit_seq */
		if (rc) {
			struct kp_err e2 = KP_ERR_INIT;
			ops->rollback(c, &e2);
		}
	}
	pipelined = pipelined && rc == 0;
	/* Handed over before wlock is released: store_bulk_load takes wlock and then drains the
	 * sync thread, so it never misses a batch committed and not yet synced. The jobs are
	 * the sync thread's from here on (it may report and free them at once). */
	if (pipelined)
		store_sync_push(s, batch, last);
	pthread_mutex_unlock(&s->wlock);
	if (rc) {
		if (!err.status)
			kp_err_set(&err, rc, "commit failed");
		log_error("store: batch of %zu jobs failed: %s", n, err.msg);
		for (struct store_job *j = batch; j; j = j->next) {
			j->rc = rc;
			j->err = err;
		}
	}

	pthread_mutex_lock(&s->slock);
	if (rc) {
		s->stats.failed_commits++;
	} else {
		s->stats.commits++;
		s->stats.jobs += n;
		s->stats.batch_hist[store_hist_bucket(n)]++;
	}
	pthread_mutex_unlock(&s->slock);

	if (!pipelined) {
		for (struct store_job *j = batch, *next; j; j = next) {
			next = j->next; /* done() may free the job */
			j->done(j->arg, j->rc, j->rc ? &j->err : NULL);
		}
	}

	/* Housekeeping (SQLite: the WAL checkpoint) after the answers went out, so it is off
	 * the path of the jobs just committed. Under load: idle = 0; the writer's idle pass
	 * comes from store_writer_main. */
	store_maintain(s, 0);
}

static void *store_writer_main(void *arg)
{
	struct store *s = arg;
	int idle_due = 0; /* a batch ran since the last idle maintain, or it asked to run again */

	pthread_setname_np(pthread_self(), "kp-writer"); /* for top -H, perf and /proc */
	for (;;) {
		struct store_job *batch, *last;
		size_t n = 1;

		pthread_mutex_lock(&s->qlock);
		/* Idle means STORE_IDLE_MS without a job, not an empty queue between two batches:
		 * under load the queue is empty for a moment after nearly every batch (clients
		 * wait for their answers), and the idle maintain (SQLite: a checkpoint with two
		 * fsyncs) would then run on the write path many times a second. */
		while (!s->qhead && !s->closing) {
			if (!idle_due) {
				pthread_cond_wait(&s->qcond, &s->qlock);
				continue;
			}
			struct timespec until;
			clock_gettime(CLOCK_MONOTONIC, &until);
			until.tv_nsec += STORE_IDLE_MS * 1000000L;
			if (until.tv_nsec >= 1000000000L) {
				until.tv_sec++;
				until.tv_nsec -= 1000000000L;
			}
			if (pthread_cond_timedwait(&s->qcond, &s->qlock, &until) == ETIMEDOUT && !s->qhead) {
				pthread_mutex_unlock(&s->qlock);
				idle_due = store_maintain(s, 1);
				pthread_mutex_lock(&s->qlock);
			}
		}
		if (!s->qhead) { /* closing and drained */
			pthread_mutex_unlock(&s->qlock);
			break;
		}
		batch = last = s->qhead;
		while (last->next && n < (size_t)s->opts.max_batch) {
			last = last->next;
			n++;
		}
		s->qhead = last->next;
		if (!s->qhead)
			s->qtail = NULL;
		s->qlen -= n;
		last->next = NULL;
		pthread_mutex_unlock(&s->qlock);

		store_run_batch(s, batch, last, n);
		idle_due = 1;
	}
	return NULL;
}

/* The sync thread: takes every batch the writer has handed over, makes them durable with
 * one backend sync, reports them in commit order. */
static void *store_syncer_main(void *arg)
{
	struct store *s = arg;

	pthread_setname_np(pthread_self(), "kp-sync");
	for (;;) {
		struct store_job *list;
		struct kp_err err = KP_ERR_INIT;
		int rc;

		pthread_mutex_lock(&s->plock);
		while (!s->phead && !s->writer_done)
			pthread_cond_wait(&s->pwork, &s->plock);
		list = s->phead;
		s->phead = s->ptail = NULL;
		s->psyncing = list != NULL;
		pthread_mutex_unlock(&s->plock);
		if (!list)
			break; /* the writer has ended and everything is reported */

		/* After a failed fsync, what is on disk is unknown (the kernel may have dropped the
		 * dirty pages and reports the error once, so a later fdatasync can succeed over the
		 * hole): batches committed meanwhile fail too, without another try. */
		if (atomic_load(&s->sync_failed)) {
			rc = kp_err_set(&err, KP_EUNAVAILABLE, "%s", store_sync_failed_msg);
		} else if ((rc = s->ops->sync(s->wconn, &err)) != 0) {
			atomic_store(&s->sync_failed, 1);
			log_error("store: %s; the writes waiting for it fail, and so will later ones", err.msg);
		}
		pthread_mutex_lock(&s->slock);
		if (rc)
			s->stats.failed_syncs++;
		else
			s->stats.syncs++;
		pthread_mutex_unlock(&s->slock);
		for (struct store_job *j = list, *next; j; j = next) {
			next = j->next; /* done() may free the job */
			if (rc && j->rc == 0) {
				j->rc = rc;
				j->err = err;
			}
			j->done(j->arg, j->rc, j->rc ? &j->err : NULL);
		}

		pthread_mutex_lock(&s->plock);
		s->psyncing = 0;
		pthread_cond_broadcast(&s->pidle);
		pthread_mutex_unlock(&s->plock);
	}
	return NULL;
}
