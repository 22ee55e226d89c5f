/* The list cursor: round trip, and anything cut, edited or meant for another sort fails. */
#include "test.h"

#include <string.h>

#include "api/cursor.h"

TEST(cursor_round_trip)
{
	struct arena a = ARENA_INIT;
	const char *key;
	int64_t id;
	char *c = api_cursor_encode(&a, "-name", "Virtanen, Maija \"ä\"", 42);
	CHECK(strspn(c, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == strlen(c));
	CHECK_INT(api_cursor_decode(&a, c, "-name", &key, &id), 0);
	CHECK_STR(key, "Virtanen, Maija \"ä\"");
	CHECK_INT(id, 42);
	c = api_cursor_encode(&a, "created_at", "1767323045000", 9007199254740992LL);
	CHECK_INT(api_cursor_decode(&a, c, "created_at", &key, &id), 0);
	CHECK_STR(key, "1767323045000");
	CHECK_INT(id, 9007199254740992LL);
	c = api_cursor_encode(&a, "id", "", 7);
	CHECK_INT(api_cursor_decode(&a, c, "id", &key, &id), 0);
	CHECK_STR(key, "");
	arena_release(&a);
}

TEST(cursor_rejects_tampering)
{
	struct arena a = ARENA_INIT;
	const char *key;
	int64_t id;
	char *c = api_cursor_encode(&a, "name", "Maija", 5);
	/* another sort */
	CHECK_INT(api_cursor_decode(&a, c, "-name", &key, &id), -1);
	CHECK_INT(api_cursor_decode(&a, c, "nam", &key, &id), -1);
	/* every single-character change */
	size_t n = strlen(c);
	int accepted = 0;
	for (size_t i = 0; i < n; i++) {
		char *t = arena_strdup(&a, c);
		t[i] = t[i] == 'A' ? 'B' : 'A';
		if (api_cursor_decode(&a, t, "name", &key, &id) == 0)
			accepted++;
	}
	CHECK_INT(accepted, 0);
	/* cut short, empty, not base64, too long */
	CHECK_INT(api_cursor_decode(&a, arena_strndup(&a, c, n - 2), "name", &key, &id), -1);
	CHECK_INT(api_cursor_decode(&a, "", "name", &key, &id), -1);
	CHECK_INT(api_cursor_decode(&a, "!!!!", "name", &key, &id), -1);
	CHECK_INT(api_cursor_decode(&a, "bmFtZQ", "name", &key, &id), -1);
	char big[API_CURSOR_MAX + 10];
	memset(big, 'A', sizeof big - 1);
	big[sizeof big - 1] = 0;
	CHECK_INT(api_cursor_decode(&a, big, "name", &key, &id), -1);
	arena_release(&a);
}
