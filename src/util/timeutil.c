#include "util/timeutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int64_t time_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t time_mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void put2(char *p, int v)
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
}

void time_format_ms(int64_t ms, char *out, size_t outlen)
{
	/* Years 1970-9999 without gmtime_r and snprintf (civil_from_days, H. Hinnant): the
	 * same text, on every record rendered. */
	if (ms >= 0 && ms < INT64_C(253402300800000) && outlen >= 25) {
		int64_t secs = ms / 1000, days = secs / 86400;
		int sod = (int)(secs % 86400), frac = (int)(ms % 1000);
		int64_t z = days + 719468, era = z / 146097;
		int64_t doe = z - era * 146097;
		int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
		int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
		int64_t mp = (5 * doy + 2) / 153;
		int d = (int)(doy - (153 * mp + 2) / 5 + 1);
		int m = (int)(mp < 10 ? mp + 3 : mp - 9);
		int y = (int)(yoe + era * 400 + (m <= 2));
		put2(out, y / 100);
		put2(out + 2, y % 100);
		out[4] = '-';
		put2(out + 5, m);
		out[7] = '-';
		put2(out + 8, d);
		out[10] = 'T';
		put2(out + 11, sod / 3600);
		out[13] = ':';
		put2(out + 14, sod / 60 % 60);
		out[16] = ':';
		put2(out + 17, sod % 60);
		out[19] = '.';
		out[20] = (char)('0' + frac / 100);
		put2(out + 21, frac % 100);
		out[23] = 'Z';
		out[24] = '\0';
		return;
	}
	time_t sec = (time_t)(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
	int frac = (int)(ms - (int64_t)sec * 1000);
	struct tm tm;
	gmtime_r(&sec, &tm);
	snprintf(out, outlen, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, frac);
}

static int is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const int d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return m == 2 && is_leap(y) ? 29 : d[m - 1];
}

static int digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int time_parse_date(const char *s, int *y, int *m, int *d)
{
	if (strlen(s) < 10 || s[4] != '-' || s[7] != '-')
		return -1;
	if (digits(s, 4, y) || digits(s + 5, 2, m) || digits(s + 8, 2, d))
		return -1;
	if (*y < 1900 || *y > 9999 || *m < 1 || *m > 12 || *d < 1 || *d > days_in_month(*y, *m))
		return -1;
	return 0;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian), Howard Hinnant's algorithm. */
static int64_t days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int time_parse(const char *s, int64_t *ms_out)
{
	int finer;
	return time_parse_finer(s, ms_out, &finer);
}

int time_parse_finer(const char *s, int64_t *ms_out, int *finer)
{
	int y, mo, d, h = 0, mi = 0, se = 0, frac = 0, off = 0;
	*finer = 0;
	if (time_parse_date(s, &y, &mo, &d))
		return -1;
	const char *p = s + 10;
	if (*p) {
		if (*p != 'T' && *p != 't' && *p != ' ')
			return -1;
		p++;
		if (strlen(p) < 8 || p[2] != ':' || p[5] != ':')
			return -1;
		if (digits(p, 2, &h) || digits(p + 3, 2, &mi) || digits(p + 6, 2, &se))
			return -1;
		if (h > 23 || mi > 59 || se > 60)
			return -1;
		p += 8;
		if (*p == '.') {
			p++;
			int n = 0, scale = 100;
			while (*p >= '0' && *p <= '9') {
				if (n < 3)
					frac += (*p - '0') * scale, scale /= 10;
				else if (*p != '0')
					*finer = 1;
				n++, p++;
			}
			if (!n || n > 9)
				return -1;
		}
		if (*p == 'Z' || *p == 'z') {
			p++;
		} else if (*p == '+' || *p == '-') {
			int oh, om;
			if (strlen(p) != 6 || p[3] != ':' || digits(p + 1, 2, &oh) || digits(p + 4, 2, &om) ||
			    oh > 23 || om > 59)
				return -1;
			off = (oh * 60 + om) * (*p == '+' ? 1 : -1);
			p += 6;
		} else {
			return -1;
		}
		if (*p)
			return -1;
	}
	int64_t days = days_from_civil(y, mo, d);
	int64_t secs = days * 86400 + h * 3600 + mi * 60 + (se > 59 ? 59 : se) - (int64_t)off * 60;
	*ms_out = secs * 1000 + frac;
	return 0;
}

static char zone_name[TIME_ZONE_NAME_MAX + 1] = "UTC";

/* A zone name is a relative path of letters, digits and _+- parts ("America/Port-au-Prince",
 * "Etc/GMT+2"): no "..", no leading "/", nothing TZ would read as a rule ("EET-2"). */
static int zone_name_ok(const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || n > TIME_ZONE_NAME_MAX || name[0] == '/' || name[n - 1] == '/' || strstr(name, "..") ||
	    strstr(name, "//"))
		return 0;
	for (const char *p = name; *p; p++) {
		char c = *p;
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '/' ||
		      c == '_' || c == '+' || c == '-'))
			return 0;
	}
	return (name[0] >= 'A' && name[0] <= 'Z') || (name[0] >= 'a' && name[0] <= 'z');
}

int time_zone_set(const char *name, char *why, size_t whylen)
{
	if (!zone_name_ok(name)) {
		snprintf(why, whylen, "'%.80s' is not a time zone name such as Europe/Helsinki or UTC", name);
		return -1;
	}
	if (strcmp(name, "UTC") != 0) {
		char path[sizeof "/usr/share/zoneinfo/" + TIME_ZONE_NAME_MAX];
		snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", name);
		FILE *f = fopen(path, "rb");
		char magic[4] = {0};
		size_t got = f ? fread(magic, 1, sizeof magic, f) : 0;
		if (f)
			fclose(f);
		if (got != sizeof magic || memcmp(magic, "TZif", 4) != 0) {
			snprintf(why, whylen, "time zone '%s' is not installed (no %s; Debian's tzdata has the zones)",
			         name, path);
			return -1;
		}
	}
	/* ":" makes glibc read the name as a file under its zoneinfo directory, never as a rule */
	char tz[TIME_ZONE_NAME_MAX + 2] = ":";
	strcat(tz, name);
	if (setenv("TZ", tz, 1) != 0) {
		snprintf(why, whylen, "cannot set TZ");
		return -1;
	}
	tzset();
	strcpy(zone_name, name);
	return 0;
}

const char *time_zone(void)
{
	return zone_name;
}

int time_zone_midnight(int y, int m, int d, int64_t *ms_out)
{
	if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	/* mktime normalises an hour that does not exist (a jump at midnight) to the first one
	 * that does; tm_isdst -1 lets it choose the offset in force */
	struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d, .tm_isdst = -1};
	time_t t = mktime(&tm);
	if (t == (time_t)-1) /* an error; no midnight is the second before the epoch */
		return -1;
	*ms_out = (int64_t)t * 1000;
	return 0;
}
