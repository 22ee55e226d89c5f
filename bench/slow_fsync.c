/*
 * slow_fsync: a measurement aid for bench/run, never linked into kumppani. Loaded with
 * LD_PRELOAD into a benchmark server, it makes every fsync() and fdatasync() wait
 * KP_FSYNC_DELAY_US microseconds after the disk has answered, so that a machine with a fast
 * disk can measure what group commit is worth on the disk the target assumes (400 -
 * 700 fsyncs a second). The wait is a sleep: it costs the calling thread time, not CPU, as a
 * slow disk would. Nothing else changes: the real call still runs first and its result is
 * returned.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static long slow_delay_us;

__attribute__((constructor)) static void slow_init(void)
{
	const char *e = getenv("KP_FSYNC_DELAY_US");
	slow_delay_us = e ? strtol(e, NULL, 10) : 0;
	if (slow_delay_us < 0 || slow_delay_us > 1000000)
		slow_delay_us = 0;
	/* bench/run looks for this line to know the emulation is on */
	fprintf(stderr, "slow_fsync: every fsync and fdatasync waits %ld us after the disk\n", slow_delay_us);
}

static void slow_wait(void)
{
	struct timespec ts = { slow_delay_us / 1000000, (slow_delay_us % 1000000) * 1000 };
	int saved = errno;

	while (slow_delay_us > 0 && nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
	errno = saved;
}

/* The real call named name (looked up once into *real), then the wait. */
static int slow_call(int (**real)(int), const char *name, int fd)
{
	if (!*real)
		*(void **)real = dlsym(RTLD_NEXT, name);
	int rc = *real ? (*real)(fd) : -1;
	slow_wait();
	return rc;
}

int fdatasync(int fd)
{
	static int (*real)(int);
	return slow_call(&real, "fdatasync", fd);
}

int fsync(int fd)
{
	static int (*real)(int);
	return slow_call(&real, "fsync", fd);
}
