/*
 * pcache: SQLite's own page cache, wrapped to skip a scan of the whole cache that SQLite makes
 * at the end of every write transaction on a database smaller than 1 GiB.
 *
 * Why: when a B-tree split leaves its new pages out of order, SQLite (balance_nonroot in
 * 3.40) swaps two page numbers through a temporary one, the page just past the lock byte
 * (PENDING_BYTE / page size + 1: page 262,145 at 4 KiB pages). The default cache (pcache1)
 * then records that it has held a page that far up, and at the end of the transaction, where
 * the pager drops the pages beyond the database's size (xTruncate), it walks its whole hash
 * table, 65,536 buckets and every page of the writer's 256 MiB cache, to find none. perf on
 * the writer during POST interactions on a 100,000-customer database (540 MB): 11% of its
 * time. A database of more than 1 GiB has pages up there, so the walk never happens.
 *
 * The wrapper passes every call through to the default cache and keeps, per cache, an upper
 * bound of the page numbers it holds: the largest that a fetch returned, and how many pages
 * were moved (xRekey) above that bound and not back. A truncate at limit is skipped when
 * limit is above the bound and no page was moved above it: no page then has a number >=
 * limit, so the truncate would drop nothing. Otherwise it runs, and the bound becomes
 * limit - 1. Pages the default cache drops by itself only make the bound less tight.
 *
 * Installed once per process, before SQLite initialises (sq_pcache_install, called with the
 * other process-wide settings in sqlite.c); a process that initialised SQLite before keeps the
 * default cache, which is only slower.
 */
#include <stdatomic.h>
#include <string.h>

#include "store/sqlite/sq_int.h"

struct pc_wrap {
	sqlite3_pcache *inner;
	unsigned max_key; /* no page held has a larger number, except the moved ones */
	unsigned nmoved;  /* pages moved above max_key and not moved back (an upper bound) */
};

static sqlite3_pcache_methods2 pc_inner; /* the default cache's methods */
static atomic_ullong pc_skipped, pc_passed, pc_moved;

static int pc_init(void *arg)
{
	(void)arg;
	return pc_inner.xInit ? pc_inner.xInit(pc_inner.pArg) : SQLITE_OK;
}

static void pc_shutdown(void *arg)
{
	(void)arg;
	if (pc_inner.xShutdown)
		pc_inner.xShutdown(pc_inner.pArg);
}

static sqlite3_pcache *pc_create(int page_size, int extra_size, int purgeable)
{
	struct pc_wrap *w = sqlite3_malloc(sizeof *w);

	if (!w)
		return NULL;
	memset(w, 0, sizeof *w);
	w->inner = pc_inner.xCreate(page_size, extra_size, purgeable);
	if (!w->inner) {
		sqlite3_free(w);
		return NULL;
	}
	return (sqlite3_pcache *)w;
}

static void pc_cachesize(sqlite3_pcache *p, int n)
{
	pc_inner.xCachesize(((struct pc_wrap *)p)->inner, n);
}

static int pc_pagecount(sqlite3_pcache *p)
{
	return pc_inner.xPagecount(((struct pc_wrap *)p)->inner);
}

static sqlite3_pcache_page *pc_fetch(sqlite3_pcache *p, unsigned key, int create)
{
	struct pc_wrap *w = (struct pc_wrap *)p;
	sqlite3_pcache_page *pg = pc_inner.xFetch(w->inner, key, create);

	if (pg && key > w->max_key)
		w->max_key = key;
	return pg;
}

static void pc_unpin(sqlite3_pcache *p, sqlite3_pcache_page *pg, int discard)
{
	pc_inner.xUnpin(((struct pc_wrap *)p)->inner, pg, discard);
}

static void pc_rekey(sqlite3_pcache *p, sqlite3_pcache_page *pg, unsigned old_key, unsigned new_key)
{
	struct pc_wrap *w = (struct pc_wrap *)p;

	pc_inner.xRekey(w->inner, pg, old_key, new_key);
	if (old_key > w->max_key && w->nmoved)
		w->nmoved--;
	if (new_key > w->max_key) {
		w->nmoved++;
		atomic_fetch_add_explicit(&pc_moved, 1, memory_order_relaxed);
	}
}

static void pc_truncate(sqlite3_pcache *p, unsigned limit)
{
	struct pc_wrap *w = (struct pc_wrap *)p;

	if (limit > w->max_key && !w->nmoved) {
		atomic_fetch_add_explicit(&pc_skipped, 1, memory_order_relaxed);
		return;
	}
	atomic_fetch_add_explicit(&pc_passed, 1, memory_order_relaxed);
	pc_inner.xTruncate(w->inner, limit);
	w->max_key = limit ? limit - 1 : 0;
	w->nmoved = 0;
}

static void pc_destroy(sqlite3_pcache *p)
{
	struct pc_wrap *w = (struct pc_wrap *)p;

	pc_inner.xDestroy(w->inner);
	sqlite3_free(w);
}

static void pc_shrink(sqlite3_pcache *p)
{
	pc_inner.xShrink(((struct pc_wrap *)p)->inner);
}

static const sqlite3_pcache_methods2 pc_methods = {
    .iVersion = 1,
    .pArg = NULL,
    .xInit = pc_init,
    .xShutdown = pc_shutdown,
    .xCreate = pc_create,
    .xCachesize = pc_cachesize,
    .xPagecount = pc_pagecount,
    .xFetch = pc_fetch,
    .xUnpin = pc_unpin,
    .xRekey = pc_rekey,
    .xTruncate = pc_truncate,
    .xDestroy = pc_destroy,
    .xShrink = pc_shrink,
};

int sq_pcache_install(void)
{
	sqlite3_pcache_methods2 def;

	if (pc_inner.xCreate)
		return 0; /* installed already */
	if (sqlite3_config(SQLITE_CONFIG_GETPCACHE2, &def) != SQLITE_OK || !def.xCreate)
		return -1;
	pc_inner = def;
	if (sqlite3_config(SQLITE_CONFIG_PCACHE2, &pc_methods) != SQLITE_OK) {
		memset(&pc_inner, 0, sizeof pc_inner);
		return -1; /* SQLite is initialised already: it keeps its cache */
	}
	return 0;
}

void sq_pcache_counts(struct sq_pcache_counts *out)
{
	out->skipped = atomic_load(&pc_skipped);
	out->passed = atomic_load(&pc_passed);
	out->moved = atomic_load(&pc_moved);
}
