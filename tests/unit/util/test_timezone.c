/* util/timeutil: the server's zone (names checked, midnights across summer time), times finer than a millisecond. */
#include "test.h"

#include <string.h>

#include "util/timeutil.h"

TEST(time_zone_refuses_what_is_not_an_installed_zone)
{
	char why[256];
	const char *bad[] = {"", "../etc/passwd", "/etc/passwd", "Europe/../../etc/passwd", "EET-2",
	                     "Europe//Helsinki", "Europe/", "Mars/Base", "Europe", ":Europe/Helsinki",
	                     "Europe/Helsinki\n"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		why[0] = '\0';
		CHECK(time_zone_set(bad[i], why, sizeof why) == -1);
		CHECK(why[0] != '\0');
	}
	CHECK_STR(time_zone(), "UTC"); /* nothing refused was set */
}

TEST(time_zone_midnights_in_helsinki_and_utc)
{
	char why[256];
	int64_t ms = 0;
	CHECK(time_zone_set("Europe/Helsinki", why, sizeof why) == 0);
	CHECK_STR(time_zone(), "Europe/Helsinki");
	/* winter: UTC+2; summer: UTC+3 (from the last Sunday of March) */
	CHECK(time_zone_midnight(2026, 12, 7, &ms) == 0);
	CHECK(ms == 1796594400000LL); /* 2026-12-06T22:00:00Z */
	CHECK(time_zone_midnight(2026, 7, 1, &ms) == 0);
	CHECK(ms == 1782853200000LL); /* 2026-06-30T21:00:00Z */
	/* the day the clocks go forward (29 March 2026, 03:00 -> 04:00) still starts at 00:00 EET */
	CHECK(time_zone_midnight(2026, 3, 29, &ms) == 0);
	CHECK(ms == 1774735200000LL); /* 2026-03-28T22:00:00Z */
	CHECK(time_zone_midnight(2026, 13, 1, &ms) == -1);
	CHECK(time_zone_midnight(0, 1, 1, &ms) == -1);
	CHECK(time_zone_set("UTC", why, sizeof why) == 0);
	CHECK(time_zone_midnight(2026, 12, 7, &ms) == 0);
	CHECK(ms == 1796601600000LL); /* 2026-12-07T00:00:00Z */
	CHECK_STR(time_zone(), "UTC");
}

TEST(time_parse_says_when_a_time_is_finer_than_a_millisecond)
{
	int64_t ms;
	int finer;
	CHECK_INT(time_parse_finer("2026-03-01T10:00:00.0001Z", &ms, &finer), 0);
	CHECK(ms == 1772359200000LL && finer == 1);
	CHECK_INT(time_parse_finer("2026-03-01T10:00:00.000900000Z", &ms, &finer), 0);
	CHECK(ms == 1772359200000LL && finer == 1);
	CHECK_INT(time_parse_finer("2026-03-01T09:59:59.9999Z", &ms, &finer), 0);
	CHECK(ms == 1772359199999LL && finer == 1);
	/* trailing zeros name the millisecond itself */
	CHECK_INT(time_parse_finer("2026-03-01T10:00:00.001000000Z", &ms, &finer), 0);
	CHECK(ms == 1772359200001LL && finer == 0);
	CHECK_INT(time_parse_finer("2026-03-01T10:00:00Z", &ms, &finer), 0);
	CHECK(ms == 1772359200000LL && finer == 0);
	/* before 1970 too: the millisecond it falls in is the one below it */
	CHECK_INT(time_parse_finer("1969-12-31T23:59:59.9995Z", &ms, &finer), 0);
	CHECK(ms == -1 && finer == 1);
	CHECK_INT(time_parse_finer("2026-03-01T10:00:00.0000000001Z", &ms, &finer), -1); /* past nanoseconds */
}
