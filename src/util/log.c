#include "util/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static int log_quiet;

void log_set_quiet(int quiet)
{
	log_quiet = quiet;
}

void log_msg(enum log_level lvl, const char *fmt, ...)
{
	static const char *names[] = { "error", "warn", "info", "debug" };
	const char *debug = lvl == LOG_DEBUG ? getenv("KUMPPANI_DEBUG") : NULL;
	if (lvl == LOG_DEBUG && (!debug || !*debug)) /* empty: unset, as every KUMPPANI_* */
		return;
	if (lvl == LOG_INFO && log_quiet)
		return;
	char line[1024];
	struct timespec ts;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	int n = snprintf(line, sizeof(line), "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ %s ", tm.tm_year + 1900,
			 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000,
			 names[lvl]);
	va_list ap;
	va_start(ap, fmt);
	if (n > 0 && (size_t)n < sizeof(line))
		vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	va_end(ap);
	/* One fputs per line: stdio locks the stream, so lines from threads don't interleave. */
	fprintf(stderr, "%s\n", line);
}

void log_access(const char *line)
{
	if (!log_quiet)
		fprintf(stderr, "%s\n", line);
}
