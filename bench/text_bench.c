/*
 * text_bench: analysis throughput of src/text on one core (one thread, one analyzer).
 *
 * usage: text_bench [DATA_DIR] [MIN_SECONDS] [fi|en|tweets]
 *
 * The third argument runs one corpus only (for profiling one language with perf).
 *
 * Texts are the dev files' lines, joined into messages of about 30 words (the issue's
 * "typical message"), Finnish and English separately, language detection on (auto).
 * "cold" = first pass over the corpus with an empty lemma cache (every new word goes through
 * voikko / Snowball); "warm" = further passes with the cache filled.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "text/text.h"

struct corpus {
	char **texts;
	size_t *lens;
	size_t n, words;
};

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static size_t count_words(const char *s)
{
	size_t n = 0;
	int in = 0;
	for (; *s; s++) {
		int sp = *s == ' ' || *s == '\t';
		if (!sp && !in)
			n++;
		in = !sp;
	}
	return n;
}

/* Lines of column `col` (0-based, tab-separated, header skipped) joined into ~30-word texts. */
static int load(const char *dir, const char *name, int col, struct corpus *c)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "text_bench: cannot open %s\n", path);
		return -1;
	}
	char *line = NULL, acc[8192];
	size_t cap = 0, alen = 0, aw = 0;
	ssize_t n;
	int header = 1;
	while ((n = getline(&line, &cap, f)) >= 0) {
		if (header) {
			header = 0;
			continue;
		}
		line[strcspn(line, "\r\n")] = 0;
		char *p = line;
		for (int k = 0; k < col && p; k++) {
			p = strchr(p, '\t');
			if (p)
				p++;
		}
		if (!p)
			continue;
		size_t pl = strlen(p), pw = count_words(p);
		if (pw > 60 || alen + pl + 2 > sizeof acc)
			continue; /* skip very long lines: the bench is about typical messages */
		if (alen)
			acc[alen++] = ' ';
		memcpy(acc + alen, p, pl);
		alen += pl;
		aw += pw;
		if (aw >= 30) {
			c->texts = realloc(c->texts, (c->n + 1) * sizeof(char *));
			c->lens = realloc(c->lens, (c->n + 1) * sizeof(size_t));
			c->texts[c->n] = strndup(acc, alen);
			c->lens[c->n] = alen;
			c->n++;
			c->words += aw;
			alen = aw = 0;
		}
	}
	free(line);
	fclose(f);
	return 0;
}

static void run(const char *title, struct text_analyzer *ta, const struct corpus *c, double min_s)
{
	if (!c->n)
		return;
	struct text_result r;
	text_analyzer_cache_clear(ta);
	double t0 = now();
	for (size_t i = 0; i < c->n; i++) {
		if (text_analyze(ta, c->texts[i], c->lens[i], TEXT_LANG_AUTO, &r) == 0)
			text_result_release(&r);
	}
	double cold = now() - t0;
	size_t entries;
	uint64_t hits, misses;
	text_analyzer_cache_stats(ta, &entries, &hits, &misses);
	size_t passes = 0;
	t0 = now();
	double el;
	do {
		for (size_t i = 0; i < c->n; i++)
			if (text_analyze(ta, c->texts[i], c->lens[i], TEXT_LANG_AUTO, &r) == 0)
				text_result_release(&r);
		passes++;
		el = now() - t0;
	} while (el < min_s);
	printf("%-14s %6zu texts, %4.1f words/text | cold: %9.0f texts/s (%zu cache entries, %.0f%% misses) | warm: %9.0f texts/s, %.2f us/text\n",
	       title, c->n, (double)c->words / (double)c->n, (double)c->n / cold, entries,
	       100.0 * (double)misses / (double)(hits + misses + 1), (double)(c->n * passes) / el,
	       1e6 * el / (double)(c->n * passes));
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : getenv("KUMPPANI_TEXT_DATA");
	if (!dir)
		dir = "../shared/data/text";
	double min_s = argc > 2 ? atof(argv[2]) : 2.0;
	char err[256];
	double t0 = now();
	struct text_analyzer *ta = text_analyzer_new(err, sizeof err);
	if (!ta) {
		fprintf(stderr, "text_bench: %s\n", err);
		return 1;
	}
	printf("analyzer start (incl. one-time lexicon build): %.3f s\n", now() - t0);
	struct corpus fi = { 0 }, en = { 0 }, olid = { 0 };
	if (load(dir, "sentiment_fi_dev.tsv", 1, &fi) || load(dir, "sentiment_en_dev.tsv", 2, &en) ||
	    load(dir, "abuse_en_dev.tsv", 3, &olid))
		return 1;
	const char *only = argc > 3 ? argv[3] : NULL;
	if (!only || !strcmp(only, "fi"))
		run("fi subtitles", ta, &fi, min_s);
	if (!only || !strcmp(only, "en"))
		run("en reviews", ta, &en, min_s);
	if (!only || !strcmp(only, "tweets"))
		run("en tweets", ta, &olid, min_s);
	struct corpus *cs[] = { &fi, &en, &olid };
	for (int k = 0; k < 3; k++) {
		for (size_t i = 0; i < cs[k]->n; i++)
			free(cs[k]->texts[i]);
		free(cs[k]->texts);
		free(cs[k]->lens);
	}
	text_analyzer_free(ta);
	return 0;
}
