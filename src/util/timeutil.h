/*
 * timeutil: wall-clock times as int64 milliseconds since the Unix epoch (UTC), and their
 * RFC 3339 text form ("2026-11-23T16:18:40.123Z"), which the API speaks.
 */
#ifndef KP_UTIL_TIMEUTIL_H
#define KP_UTIL_TIMEUTIL_H

#include <stddef.h>
#include <stdint.h>

int64_t time_now_ms(void);
/* Monotonic clock in microseconds, for latency measurement. */
int64_t time_mono_us(void);
/* Write ms as RFC 3339 UTC with milliseconds into out (at least 32 bytes). */
void time_format_ms(int64_t ms, char *out, size_t outlen);
/* Parse RFC 3339 ("2026-01-02T03:04:05Z", optional fraction, Z or +hh:mm) or a plain
 * date ("2026-01-02", midnight UTC). 0 on success, -1 if malformed or out of range. */
int time_parse(const char *s, int64_t *ms_out);
/* time_parse(), and *finer = 1 when the time has a fraction finer than the millisecond (a
 * digit after the third that is not 0): the instant is then after *ms_out (which is the
 * millisecond it falls in, rounded down) and before *ms_out + 1; else *finer = 0. */
int time_parse_finer(const char *s, int64_t *ms_out, int *finer);
/* Parse a plain date YYYY-MM-DD strictly (valid calendar day). 0 or -1. */
int time_parse_date(const char *s, int *y, int *m, int *d);

/*
 * The server's time zone: the IANA zone ("Europe/Helsinki", "UTC") whose calendar days,
 * weeks and months the reports count in. It is the process's TZ, because SQLite's
 * 'localtime' and libc's mktime read that, so time_zone_set() must run before any thread
 * starts (cmd_serve does). Until then the zone is "UTC".
 */
#define TIME_ZONE_NAME_MAX 64
/* Check that `name` is "UTC" or a zone installed under /usr/share/zoneinfo (a TZif file),
 * then make it the process's zone. 0, or -1 with why in why[whylen]. */
int time_zone_set(const char *name, char *why, size_t whylen);
/* The zone set last ("UTC" before any). Static storage. */
const char *time_zone(void);
/* The first millisecond of calendar day y-m-d in the zone (the day's first instant if
 * clocks jumped over midnight). 0, or -1 if out of range. */
int time_zone_midnight(int y, int m, int d, int64_t *ms_out);

#endif
