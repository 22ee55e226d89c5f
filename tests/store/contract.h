/*
 * contract: the store contract suite, the same cases for every backend. Each case gets a
 * store opened on a fresh database and uses only store.h; main.c runs them in order (later
 * cases may rely on nothing but what they create themselves) and prints a summary.
 */
#ifndef KP_TESTS_STORE_CONTRACT_H
#define KP_TESTS_STORE_CONTRACT_H

#include <stddef.h>
#include <string.h>

struct store;

struct ct_case {
	const char *name;
	void (*fn)(struct store *s);
};

extern const struct ct_case ct_cases[];
/* erase.c */
void ct_case_erase(struct store *s);
void ct_case_audit_children(struct store *s);
extern const size_t ct_ncases;
/* The URL the store was opened with (backup cases derive paths from it). */
extern const char *ct_url;

void ct_fail(const char *file, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#define CK(cond)                                                                        \
	do {                                                                            \
		if (!(cond))                                                            \
			ct_fail(__FILE__, __LINE__, "CK(%s)", #cond);                   \
	} while (0)

#define CK_INT(a, b)                                                                    \
	do {                                                                            \
		long long va_ = (long long)(a), vb_ = (long long)(b);                   \
		if (va_ != vb_)                                                         \
			ct_fail(__FILE__, __LINE__, "%s == %lld, expected %s == %lld", #a, va_, #b, vb_); \
	} while (0)

#define CK_STR(a, b)                                                                    \
	do {                                                                            \
		const char *sa_ = (a), *sb_ = (b);                                      \
		if (!sa_ || !sb_ || strcmp(sa_, sb_) != 0)                              \
			ct_fail(__FILE__, __LINE__, "%s == \"%s\", expected \"%s\"", #a, sa_ ? sa_ : "(null)", \
				sb_ ? sb_ : "(null)");                                  \
	} while (0)

#endif
