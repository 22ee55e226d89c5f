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
/* Parse a plain date YYYY-MM-DD strictly (valid calendar day). 0 or -1. */
int time_parse_date(const char *s, int *y, int *m, int *d);

#endif
