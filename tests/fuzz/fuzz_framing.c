/*
 * Fuzz target for the request-framing checks (http/framing.c) that read an HTTP/1 request's
 * raw header block: any bytes must give NULL or a static message, never a read past the
 * input. The first byte picks HTTP/1.0 or 1.1, the method is the input's first word.
 *
 *     make fuzz && build/fuzz/fuzz_framing -max_total_time=60 tests/fuzz/corpus/framing
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/framing.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	int http11 = data[0] & 1;
	/* a copy of exactly the input, so ASan sees any read past it */
	char *raw = malloc(size - 1 ? size - 1 : 1);
	if (!raw)
		return 0;
	memcpy(raw, data + 1, size - 1);
	size_t n = size - 1, m = 0;
	while (m < n && m < 16 && raw[m] != ' ')
		m++;
	int close = -1, status = 0;
	const char *why = http_framing_check(raw, n, raw, m, http11, &close, &status);
	if (why && (strlen(why) == 0 || (close != 0 && close != 1) || (status != 400 && status != 411)))
		abort();
	free(raw);
	return 0;
}
