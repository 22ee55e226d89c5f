/*
 * A standalone driver for the libFuzzer targets, so `make check` can run them with gcc
 * and ASan/UBSan, no clang needed (SQLite's fuzzcheck does the same): it feeds every file
 * of the given corpus directories to LLVMFuzzerTestOneInput, then N deterministic
 * mutations of them (bit flips, byte inserts and deletes, splices, repeats of interesting
 * tokens). A crash is a sanitizer report and a non-zero exit; the whole run counts as one
 * test, so the last line is "fuzz-NAME: 1 passed, 0 failed (N inputs)".
 *
 *     build/check/fuzz-body [-mutations N] DIR...
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define DRIVER_MAX_INPUT (256 * 1024)
#define DRIVER_MAX_FILES 4096

struct driver_input {
	unsigned char *p;
	size_t n;
};

static struct driver_input inputs[DRIVER_MAX_FILES];
static size_t ninputs;
static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t next_rand(void)
{
	/* splitmix64: deterministic, so a failure reproduces with the same arguments. */
	uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void load_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f || ninputs == DRIVER_MAX_FILES) {
		if (f)
			fclose(f);
		return;
	}
	unsigned char *p = malloc(DRIVER_MAX_INPUT);
	size_t n = p ? fread(p, 1, DRIVER_MAX_INPUT, f) : 0;
	fclose(f);
	if (!p)
		return;
	inputs[ninputs].p = p;
	inputs[ninputs].n = n;
	ninputs++;
}

static void load_dir(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d) {
		load_file(dir);
		return;
	}
	struct dirent *e;
	char path[4096];
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		load_file(path);
	}
	closedir(d);
}

static const char *const tokens[] = { "{", "}", "[", "]", "\"", "\\u0000", "\\ud800", "\xc3\xa4", "\xff",
				      "\xed\xa0\x80", "%", "%00", "%zz", "+", "&", "=", "-", "T", "Z", "@",
				      "9999999999999999999", "\x1f", "{\"a\":", "[[[[[[[[", "\xf0\x9f\x98\x80" };

static size_t mutate(unsigned char *buf, size_t n, size_t cap)
{
	int rounds = 1 + (int)(next_rand() % 4);
	for (int k = 0; k < rounds; k++) {
		switch (next_rand() % 5) {
		case 0: /* flip a bit */
			if (n)
				buf[next_rand() % n] ^= (unsigned char)(1u << (next_rand() % 8));
			break;
		case 1: /* delete a run */
			if (n) {
				size_t at = next_rand() % n, len = 1 + next_rand() % 8;
				if (at + len > n)
					len = n - at;
				memmove(buf + at, buf + at + len, n - at - len);
				n -= len;
			}
			break;
		case 2: { /* insert a token */
			const char *t = tokens[next_rand() % (sizeof(tokens) / sizeof(tokens[0]))];
			size_t len = strlen(t), at = n ? next_rand() % (n + 1) : 0;
			if (n + len <= cap) {
				memmove(buf + at + len, buf + at, n - at);
				memcpy(buf + at, t, len);
				n += len;
			}
			break;
		}
		case 3: { /* splice in part of another input */
			const struct driver_input *o = &inputs[next_rand() % ninputs];
			if (o->n) {
				size_t from = next_rand() % o->n, len = 1 + next_rand() % 64;
				if (from + len > o->n)
					len = o->n - from;
				size_t at = n ? next_rand() % (n + 1) : 0;
				if (n + len <= cap) {
					memmove(buf + at + len, buf + at, n - at);
					memcpy(buf + at, o->p + from, len);
					n += len;
				}
			}
			break;
		}
		default: /* overwrite a byte */
			if (n)
				buf[next_rand() % n] = (unsigned char)next_rand();
		}
	}
	return n;
}

int main(int argc, char **argv)
{
	long mutations = 0;
	const char *name = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-mutations") && i + 1 < argc)
			mutations = strtol(argv[++i], NULL, 10);
		else
			load_dir(argv[i]);
	}
	if (!ninputs) {
		fprintf(stderr, "%s: no corpus inputs\n", name);
		return 2;
	}
	long runs = 0;
	for (size_t i = 0; i < ninputs; i++, runs++)
		LLVMFuzzerTestOneInput(inputs[i].p, inputs[i].n);
	unsigned char *buf = malloc(DRIVER_MAX_INPUT);
	if (!buf)
		return 1;
	for (long m = 0; m < mutations; m++, runs++) {
		const struct driver_input *in = &inputs[next_rand() % ninputs];
		size_t n = in->n < DRIVER_MAX_INPUT / 2 ? in->n : DRIVER_MAX_INPUT / 2;
		memcpy(buf, in->p, n);
		n = mutate(buf, n, DRIVER_MAX_INPUT);
		/* Hand the target an exact-size copy, so ASan sees reads past the end. */
		unsigned char *exact = malloc(n ? n : 1);
		if (!exact)
			return 1;
		memcpy(exact, buf, n);
		LLVMFuzzerTestOneInput(exact, n);
		free(exact);
	}
	free(buf);
	for (size_t i = 0; i < ninputs; i++)
		free(inputs[i].p);
	printf("%s: 1 passed, 0 failed (%ld inputs)\n", name, runs);
	return 0;
}
