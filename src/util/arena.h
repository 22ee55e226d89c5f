/*
 * arena: a region allocator for memory that lives exactly as long as one unit of work
 * (an HTTP request, a CLI command, a store call's results). Everything allocated from an
 * arena is freed at once by arena_release(); nothing in it is freed one by one.
 *
 * Not thread-safe: one owner at a time (a request's arena moves from the loop thread to
 * the store writer and back, never used by both at once). Allocation failure aborts the
 * process (as git's xmalloc does): a server that cannot get a few KiB has no better move;
 * the sizes asked for are bounded by the request size caps.
 */
#ifndef KP_UTIL_ARENA_H
#define KP_UTIL_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena_chunk;

struct arena {
	struct arena_chunk *head;
	size_t total; /* bytes handed out, for metrics */
};

#define ARENA_INIT { NULL, 0 }

void arena_init(struct arena *a);
void *arena_alloc(struct arena *a, size_t n);  /* 16-byte aligned, uninitialised */
void *arena_calloc(struct arena *a, size_t n); /* zeroed */
char *arena_strdup(struct arena *a, const char *s);   /* NULL in, NULL out */
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void arena_release(struct arena *a);
/* Free everything but one standard chunk, which is kept (emptied) for the arena's next unit
 * of work: an arena reused per request then costs no malloc in the common case. Everything
 * allocated before is invalid afterwards, as with arena_release(). */
void arena_reset(struct arena *a);

#endif
