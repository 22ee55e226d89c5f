/*
 * Fuzz target for the parsers of single field values that come from outside: e-mail,
 * phone, Y-tunnus, country, date and RFC 3339 times, list cursors, address objects, and
 * If-Match / If-None-Match values (api_etags_parse(), api_if_none_match()).
 * Each either accepts (and then its normal form must be accepted again: normalising is
 * idempotent) or rejects with a field error; never a crash.
 *
 *     make fuzz && build/fuzz/fuzz_fields -max_total_time=60
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/cursor.h"
#include "api/render.h"
#include "domain/validate.h"
#include "util/timeutil.h"

static void check_idempotent(int (*fn)(struct arena *, const char *, const char *, const char **, struct kp_err *),
			     struct arena *a, const char *in)
{
	struct kp_err err = KP_ERR_INIT;
	const char *out = NULL, *again = NULL;
	if (fn(a, "f", in, &out, &err) != 0) {
		if (err.status == KP_OK)
			abort(); /* a rejection must say why */
		return;
	}
	kp_err_init(&err);
	if (!out || fn(a, "f", out, &again, &err) != 0 || strcmp(out, again) != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a = ARENA_INIT;
	char *s = arena_strndup(&a, (const char *)data, size); /* stops at the first NUL */

	check_idempotent(validate_email, &a, s);
	check_idempotent(validate_phone, &a, s);
	check_idempotent(validate_country, &a, s);
	(void)validate_business_id_ok(s);
	(void)validate_date_ok(s);
	(void)validate_field_key_ok(s);
	(void)validate_utf8_chars(s);

	int64_t ms;
	if (time_parse(s, &ms) == 0) {
		char buf[40];
		int64_t again;
		time_format_ms(ms, buf, sizeof(buf));
		if (time_parse(buf, &again) != 0 || again != ms)
			abort();
	}

	const char *key;
	int64_t id;
	if (api_cursor_decode(&a, s, "name", &key, &id) == 0) {
		if (id <= 0)
			abort();
		char *c = api_cursor_encode(&a, "name", key, id);
		const char *key2;
		int64_t id2;
		if (api_cursor_decode(&a, c, "name", &key2, &id2) != 0 || id2 != id || strcmp(key, key2) != 0)
			abort();
	}

	/* an entity-tag list: present, at most the cap of distinct positive versions, "*" alone;
	 * the weak reading names what the strong one does and more, and a GET's If-None-Match
	 * (no cap) matches exactly the versions the weak reading names */
	struct validate_etags strong, weak;
	int over_s = api_etags_parse(s, 0, &strong), over_w = api_etags_parse(s, 1, &weak);
	if (!strong.present || !weak.present || strong.n > VALIDATE_ETAGS_MAX || weak.n > VALIDATE_ETAGS_MAX ||
	    strong.any != weak.any || (strong.any && (strong.n || weak.n)) || (over_s && !over_w))
		abort();
	for (size_t i = 0; i < weak.n; i++) {
		for (size_t j = 0; j < i; j++)
			if (weak.v[i] == weak.v[j])
				abort();
		if (weak.v[i] <= 0)
			abort();
	}
	struct api_req r;
	memset(&r, 0, sizeof r);
	r.if_none_match = s;
	for (size_t i = 0; i < strong.n; i++)
		if (!validate_etags_has(&weak, strong.v[i]) && !over_w)
			abort();
	for (size_t i = 0; i < weak.n; i++)
		if (!api_if_none_match(&r, weak.v[i]))
			abort();
	if (api_if_none_match(&r, INT64_MIN) != weak.any)
		abort();

	json_t *obj = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
	if (obj) {
		struct kp_err err = KP_ERR_INIT;
		const char *addr = NULL;
		if (json_is_object(obj))
			(void)validate_address(&a, "address", obj, &addr, &err);
		json_decref(obj);
	}
	arena_release(&a);
	return 0;
}
