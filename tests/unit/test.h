/*
 * A tiny unit-test harness (in the spirit of libuv's TEST_IMPL and Redis's testhelp.h).
 *
 *     #include "test.h"
 *     TEST(buf_grows) { struct buf b = BUF_INIT(10); CHECK(buf_adds(&b, "hi") == 0); ... }
 *
 * Each TEST registers itself at load time; tests/unit/main.c runs them all (or those whose
 * name contains argv[1]) and ends with "N passed, N failed". A CHECK failure is recorded
 * with file:line and the test goes on; the test counts as failed.
 */
#ifndef KP_TEST_H
#define KP_TEST_H

#include <string.h>

void test_register(const char *name, const char *file, void (*fn)(void));
void test_fail(const char *file, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#define TEST(name)                                                              \
	static void test_##name(void);                                          \
	__attribute__((constructor)) static void test_reg_##name(void)          \
	{                                                                       \
		test_register(#name, __FILE__, test_##name);                    \
	}                                                                       \
	static void test_##name(void)

#define CHECK(cond)                                                             \
	do {                                                                    \
		if (!(cond))                                                    \
			test_fail(__FILE__, __LINE__, "CHECK(%s)", #cond);      \
	} while (0)

#define CHECK_INT(a, b)                                                         \
	do {                                                                    \
		long long va_ = (long long)(a), vb_ = (long long)(b);           \
		if (va_ != vb_)                                                 \
			test_fail(__FILE__, __LINE__, "%s == %lld, expected %s == %lld", #a, va_, #b, vb_); \
	} while (0)

#define CHECK_STR(a, b)                                                         \
	do {                                                                    \
		const char *sa_ = (a), *sb_ = (b);                              \
		if (!sa_ || !sb_ || strcmp(sa_, sb_) != 0)                      \
			test_fail(__FILE__, __LINE__, "%s == \"%s\", expected \"%s\"", #a, sa_ ? sa_ : "(null)", sb_ ? sb_ : "(null)"); \
	} while (0)

#endif
