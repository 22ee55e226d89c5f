/*
 * eval: quality figures of src/text on the labelled files in a data directory (default
 * ../shared/data/text, see mk/text.mk): accuracy, macro-F1, per-class precision and recall,
 * beside the public tools' figures from that directory's README, plus a split evaluation of
 * the learned layer (train on one half of a file by text hash, test on the other half).
 *
 * usage: eval [DATA_DIR]
 *
 * Environment:
 *   EVAL_HALF=a|b   evaluate the lexicon layer on one half of each file only (by text hash,
 *                   the same split as the learned-layer experiment: a = the training half,
 *                   b = the test half). Development protocol: look at errors on half A only,
 *                   keep a change only if it also helps on half B.
 *   EVAL_ERRORS=1   print the misclassified rows (to stderr) - refused unless EVAL_HALF=a.
 *   EVAL_DUMP=1     print every row's gold label and scores (stderr), for choosing global
 *                   thresholds on half A - refused unless EVAL_HALF=a.
 *   EVAL_NOSPLIT=1  skip the learned-layer experiment.
 *
 * Mappings (documented in docs/text-analysis.md):
 *   sentiment_fi: 3 classes, our label.
 *   sentiment_en: 2 classes; our neutral goes by the score sign (>= 0 positive, like VADER).
 *   abuse_fi: each row is (category, 0/1); we predict presence (score >= 0.5) of our matching
 *     category: obscene -> obscenity, identity_attack -> identity_attack, severe_toxicity ->
 *     our severe flag, toxicity -> toxicity.
 *   abuse_en (OLID): OFF vs flagged; on OFF rows also TIN (targeted) vs aimed_at_reader.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/text.h"

#define MAXC 3

struct conf {
	const char *names[MAXC];
	int nc;
	long m[MAXC][MAXC]; /* [gold][pred] */
};

static void conf_add(struct conf *c, int gold, int pred) { c->m[gold][pred]++; }

static void conf_print(const char *title, const struct conf *c, const char *baseline)
{
	long tot = 0, ok = 0;
	double f1sum = 0;
	double p[MAXC], r[MAXC];
	for (int i = 0; i < c->nc; i++) {
		long tp = c->m[i][i], fp = 0, fn = 0;
		for (int j = 0; j < c->nc; j++) {
			tot += c->m[i][j];
			if (j != i) {
				fp += c->m[j][i];
				fn += c->m[i][j];
			}
		}
		ok += tp;
		p[i] = tp + fp ? (double)tp / (double)(tp + fp) : 0;
		r[i] = tp + fn ? (double)tp / (double)(tp + fn) : 0;
		f1sum += p[i] + r[i] > 0 ? 2 * p[i] * r[i] / (p[i] + r[i]) : 0;
	}
	printf("%-34s n=%-6ld acc=%.3f macroF1=%.4f ", title, tot, tot ? (double)ok / (double)tot : 0,
	       f1sum / c->nc);
	for (int i = 0; i < c->nc; i++)
		printf(" %s P=%.2f R=%.2f", c->names[i], p[i], r[i]);
	if (baseline)
		printf("   [public: %s]", baseline);
	printf("\n");
}

struct row {
	char *f[4];
	int nf;
};

/* Read a TSV file (header skipped) into rows; returns count, -1 on error. */
static long read_tsv(const char *dir, const char *name, struct row **out)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "eval: cannot open %s\n", path);
		return -1;
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	long nr = 0, capr = 0;
	struct row *rows = NULL;
	int header = 1;
	while ((n = getline(&line, &cap, f)) >= 0) {
		if (header) {
			header = 0;
			continue;
		}
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = 0;
		if (nr == capr) {
			capr = capr ? capr * 2 : 1024;
			rows = realloc(rows, (size_t)capr * sizeof(*rows));
		}
		struct row *r = &rows[nr++];
		memset(r, 0, sizeof(*r));
		char *s = strdup(line), *p = s;
		while (r->nf < 4) {
			r->f[r->nf++] = p;
			char *t = strchr(p, '\t');
			if (!t)
				break;
			*t = 0;
			p = t + 1;
		}
	}
	free(line);
	fclose(f);
	*out = rows;
	return nr;
}

static void free_rows(struct row *rows, long n)
{
	for (long i = 0; i < n; i++)
		free(rows[i].f[0]);
	free(rows);
}

static int half_of(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return (int)((h >> 17) & 1);
}

static int sent3(const char *l) { return !strcmp(l, "negative") ? 0 : !strcmp(l, "neutral") ? 1 : 2; }

static struct text_analyzer *ta;
static int want_half = -1; /* -1 whole file, 0 = half A, 1 = half B */
static int show_errors;

/* 1 if the row's text belongs to the half being evaluated. */
static int in_half(const char *text) { return want_half < 0 || half_of(text) == want_half; }

static int dump_scores;

/* EVAL_DUMP=1: one line per row (half A only) with the gold label and every score, for
 * choosing global thresholds. */
static void dump_row(const char *file, const char *gold, const struct text_result *r)
{
	if (!dump_scores)
		return;
	fprintf(stderr, "DUMP\t%s\t%s\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\t%d\n", file, gold,
		r->sentiment_score, r->abuse[TEXT_ABUSE_INSULT], r->abuse[TEXT_ABUSE_THREAT],
		r->abuse[TEXT_ABUSE_OBSCENITY], r->abuse[TEXT_ABUSE_IDENTITY], r->abuse[TEXT_ABUSE_TOXICITY],
		r->aimed_at_reader);
}

static void show_error(const char *file, const char *gold, const struct text_result *r, const char *text)
{
	if (!show_errors)
		return;
	fprintf(stderr, "ERR %s gold=%s pred: sent=%d %.2f ins=%.2f thr=%.2f obs=%.2f id=%.2f tox=%.2f aimed=%d | %s\n",
		file, gold, r->sentiment_label, r->sentiment_score, r->abuse[TEXT_ABUSE_INSULT],
		r->abuse[TEXT_ABUSE_THREAT], r->abuse[TEXT_ABUSE_OBSCENITY], r->abuse[TEXT_ABUSE_IDENTITY],
		r->abuse[TEXT_ABUSE_TOXICITY], r->aimed_at_reader, text);
}

static int analyze(const char *text, enum text_lang lang, struct text_result *r)
{
	int rc = text_analyze(ta, text, strlen(text), lang, r);
	if (rc)
		fprintf(stderr, "eval: %s: %.60s\n", text_strerror(rc), text);
	return rc;
}

/* ---- per file ---- */

static void eval_sentiment_fi(struct row *rows, long n)
{
	struct conf c = { { "neg", "neu", "pos" }, 3, { { 0 } } };
	for (long i = 0; i < n; i++) {
		struct text_result r;
		if (rows[i].nf < 2 || !in_half(rows[i].f[1]) || analyze(rows[i].f[1], TEXT_LANG_FI, &r))
			continue;
		conf_add(&c, sent3(rows[i].f[0]), r.sentiment_label + 1);
		dump_row("sfi", rows[i].f[0], &r);
		if (sent3(rows[i].f[0]) != r.sentiment_label + 1)
			show_error("sfi", rows[i].f[0], &r, rows[i].f[1]);
		text_result_release(&r);
	}
	conf_print("sentiment_fi_dev (3 classes)", &c, "Finnish AFINN acc 0.541 F1 0.426");
}

static int en_pred(const struct text_result *r)
{
	if (r->sentiment_label != 0)
		return r->sentiment_label > 0;
	return r->sentiment_score >= 0;
}

static void eval_sentiment_en(struct row *rows, long n)
{
	struct conf c = { { "neg", "pos" }, 2, { { 0 } } };
	for (long i = 0; i < n; i++) {
		struct text_result r;
		if (rows[i].nf < 3 || !in_half(rows[i].f[2]) || analyze(rows[i].f[2], TEXT_LANG_EN, &r))
			continue;
		conf_add(&c, !strcmp(rows[i].f[0], "positive"), en_pred(&r));
		dump_row("sen", rows[i].f[0], &r);
		if ((strcmp(rows[i].f[0], "positive") == 0) != en_pred(&r))
			show_error("sen", rows[i].f[0], &r, rows[i].f[2]);
		text_result_release(&r);
	}
	conf_print("sentiment_en_dev (2 classes)", &c, "VADER acc 0.738 F1 0.722; AFINN 0.711/0.690");
}

static int abuse_fi_pred(const char *cat, const struct text_result *r)
{
	if (!strcmp(cat, "insult"))
		return r->abuse[TEXT_ABUSE_INSULT] >= TEXT_ABUSE_PRESENT;
	if (!strcmp(cat, "threat"))
		return r->abuse[TEXT_ABUSE_THREAT] >= TEXT_ABUSE_PRESENT;
	if (!strcmp(cat, "obscene"))
		return r->abuse[TEXT_ABUSE_OBSCENITY] >= TEXT_ABUSE_PRESENT;
	if (!strcmp(cat, "identity_attack"))
		return r->abuse[TEXT_ABUSE_IDENTITY] >= TEXT_ABUSE_PRESENT;
	if (!strcmp(cat, "severe_toxicity"))
		return r->severe;
	return r->abuse[TEXT_ABUSE_TOXICITY] >= TEXT_ABUSE_PRESENT;
}

static void eval_abuse_fi(struct row *rows, long n)
{
	static const char *cats[] = { "toxicity", "insult", "threat", "obscene", "identity_attack",
				      "severe_toxicity" };
	struct conf c[6], all = { { "0", "1" }, 2, { { 0 } } };
	for (int k = 0; k < 6; k++)
		c[k] = (struct conf){ { "0", "1" }, 2, { { 0 } } };
	for (long i = 0; i < n; i++) {
		struct text_result r;
		if (rows[i].nf < 3 || !in_half(rows[i].f[2]) || analyze(rows[i].f[2], TEXT_LANG_FI, &r))
			continue;
		for (int k = 0; k < 6; k++)
			if (!strcmp(rows[i].f[0], cats[k])) {
				int gold = rows[i].f[1][0] == '1', pred = abuse_fi_pred(cats[k], &r);
				conf_add(&c[k], gold, pred);
				conf_add(&all, gold, pred);
				char g2[48];
				snprintf(g2, sizeof g2, "%s=%d", cats[k], gold);
				dump_row("afi", g2, &r);
				if (gold != pred) {
					char g[48];
					snprintf(g, sizeof g, "%s=%d", cats[k], gold);
					show_error("afi", g, &r, rows[i].f[2]);
				}
			}
		text_result_release(&r);
	}
	char title[64];
	for (int k = 0; k < 6; k++) {
		snprintf(title, sizeof title, "abuse_fi_dev %s", cats[k]);
		conf_print(title, &c[k], NULL);
	}
	conf_print("abuse_fi_dev all rows", &all, "LDNOOBW fi acc 0.610 F1 0.543");
}

static void eval_abuse_en(struct row *rows, long n)
{
	struct conf c = { { "NOT", "OFF" }, 2, { { 0 } } }, t = { { "UNT", "TIN" }, 2, { { 0 } } };
	for (long i = 0; i < n; i++) {
		struct text_result r;
		if (rows[i].nf < 4 || !in_half(rows[i].f[3]) || analyze(rows[i].f[3], TEXT_LANG_EN, &r))
			continue;
		conf_add(&c, !strcmp(rows[i].f[0], "OFF"), r.abuse_flagged);
		dump_row("aen", rows[i].f[0], &r);
		if ((strcmp(rows[i].f[0], "OFF") == 0) != r.abuse_flagged)
			show_error("aen", rows[i].f[0], &r, rows[i].f[3]);
		if (!strcmp(rows[i].f[0], "OFF"))
			conf_add(&t, !strcmp(rows[i].f[1], "TIN"), r.aimed_at_reader);
		text_result_release(&r);
	}
	conf_print("abuse_en_dev OLID OFF vs flagged", &c, "obscenity acc 0.738 F1 0.622");
	conf_print("abuse_en_dev OFF rows: TIN vs aimed", &t, NULL);
}

/* ---- learned layer: train on half A, test on half B ---- */

struct split_spec {
	const char *title;
	enum text_task task;
	enum text_lang lang;
	int text_col;
	int nc;
	/* label of a row for the task, or -9 to skip */
	int (*label)(const struct row *);
	/* class index for the confusion matrix from a result */
	int (*pred)(const struct text_result *);
};

static int lab_sfi(const struct row *r) { return sent3(r->f[0]) - 1; }
static int lab_sen(const struct row *r) { return !strcmp(r->f[0], "positive") ? 1 : -1; }
static int lab_aen(const struct row *r) { return !strcmp(r->f[0], "OFF"); }
static int lab_afi(const struct row *r)
{
	if (r->f[1][0] == '1')
		return 1;
	return !strcmp(r->f[0], "toxicity") ? 0 : -9;
}
static int pred_s3(const struct text_result *r) { return r->sentiment_label + 1; }
static int pred_s2(const struct text_result *r) { return en_pred(r); }
static int pred_ab(const struct text_result *r) { return r->abuse_flagged; }

/* Small models trained on only the first corrections (one pass, in arrival order), to show
 * what a fresh install sees; the last model gets all of half A, 4 epochs. */
static const long split_few[] = { 50, 200 };
#define SPLIT_NFEW (sizeof split_few / sizeof split_few[0])

static void eval_split(const struct split_spec *sp, struct row *rows, long n)
{
	struct text_model *m[SPLIT_NFEW + 1];
	for (size_t k = 0; k <= SPLIT_NFEW; k++)
		m[k] = text_model_new();
	/* the files are grouped by label: train in a shuffled (hash) order, as corrections would come */
	long *order = malloc((size_t)n * sizeof(*order));
	for (size_t k = 0; k <= SPLIT_NFEW; k++)
		if (!m[k] || !order)
			goto out;
	for (long i = 0; i < n; i++)
		order[i] = i;
	/* Fisher-Yates with splitmix64 (a fixed seed, so runs are reproducible); a weaker
	 * generator here kept the files' label groups together in the first few hundred */
	uint64_t seed = 12345;
	for (long i = n - 1; i > 0; i--) {
		uint64_t z = (seed += 0x9E3779B97F4A7C15ULL);
		z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
		z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
		z ^= z >> 31;
		long j = (long)(z % (uint64_t)(i + 1));
		long tmp = order[i];
		order[i] = order[j];
		order[j] = tmp;
	}
	long seen = 0;
	for (int epoch = 0; epoch < 4; epoch++)
		for (long oi = 0; oi < n; oi++) {
			const struct row *r = &rows[order[oi]];
			if (r->nf <= sp->text_col || half_of(r->f[sp->text_col]) != 0)
				continue;
			int lab = sp->label(r);
			if (lab == -9)
				continue;
			const char *s = r->f[sp->text_col];
			for (size_t k = 0; k < SPLIT_NFEW; k++)
				if (epoch == 0 && seen < split_few[k])
					text_model_train(m[k], ta, sp->task, s, strlen(s), sp->lang, lab);
			text_model_train(m[SPLIT_NFEW], ta, sp->task, s, strlen(s), sp->lang, lab);
			seen += epoch == 0;
		}
	/* conf[0]: lexicon only, then one per model */
	struct conf c[SPLIT_NFEW + 2];
	for (size_t k = 0; k < SPLIT_NFEW + 2; k++) {
		c[k] = (struct conf){ { "neg", "neu", "pos" }, sp->nc, { { 0 } } };
		if (sp->nc == 2) {
			c[k].names[0] = "0";
			c[k].names[1] = "1";
		}
	}
	for (long i = 0; i < n; i++) {
		const struct row *r = &rows[i];
		if (r->nf <= sp->text_col || half_of(r->f[sp->text_col]) != 1)
			continue;
		int lab = sp->label(r);
		if (lab == -9)
			continue;
		int gold = sp->task == TEXT_TASK_SENTIMENT ? (sp->nc == 3 ? lab + 1 : lab > 0) : lab;
		for (size_t k = 0; k < SPLIT_NFEW + 2; k++) {
			struct text_result res;
			text_analyzer_set_model(ta, k ? m[k - 1] : NULL);
			if (analyze(r->f[sp->text_col], sp->lang, &res) == 0) {
				conf_add(&c[k], gold, sp->pred(&res));
				text_result_release(&res);
			}
		}
		text_analyzer_set_model(ta, NULL);
	}
	char title[96];
	snprintf(title, sizeof title, "%s lexicon only", sp->title);
	conf_print(title, &c[0], NULL);
	for (size_t k = 0; k < SPLIT_NFEW; k++) {
		snprintf(title, sizeof title, "%s + learned (%ld)", sp->title,
			 seen < split_few[k] ? seen : split_few[k]);
		conf_print(title, &c[k + 1], NULL);
	}
	snprintf(title, sizeof title, "%s + learned (%ld x4)", sp->title, seen);
	conf_print(title, &c[SPLIT_NFEW + 1], NULL);
out:
	free(order);
	for (size_t k = 0; k <= SPLIT_NFEW; k++)
		text_model_free(m[k]);
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : getenv("KUMPPANI_TEXT_DATA");
	if (!dir)
		dir = "../shared/data/text";
	const char *h = getenv("EVAL_HALF");
	if (h && (*h == 'a' || *h == 'A'))
		want_half = 0;
	else if (h && (*h == 'b' || *h == 'B'))
		want_half = 1;
	else if (h && *h) {
		fprintf(stderr, "eval: EVAL_HALF must be a or b\n");
		return 2;
	}
	const char *se = getenv("EVAL_ERRORS");
	show_errors = se && *se == '1';
	const char *sd = getenv("EVAL_DUMP");
	dump_scores = sd && *sd == '1';
	if ((show_errors || dump_scores) && want_half != 0) {
		fprintf(stderr, "eval: EVAL_ERRORS only with EVAL_HALF=a (errors are inspected on half A only)\n");
		return 2;
	}
	const char *ns_env = getenv("EVAL_NOSPLIT");
	int nosplit = ns_env && *ns_env == '1';
	char err[256];
	ta = text_analyzer_new(err, sizeof err);
	if (!ta) {
		fprintf(stderr, "eval: %s\n", err);
		return 1;
	}
	struct row *sfi = NULL, *sen = NULL, *afi = NULL, *aen = NULL;
	long nsfi = read_tsv(dir, "sentiment_fi_dev.tsv", &sfi);
	long nsen = read_tsv(dir, "sentiment_en_dev.tsv", &sen);
	long nafi = read_tsv(dir, "abuse_fi_dev.tsv", &afi);
	long naen = read_tsv(dir, "abuse_en_dev.tsv", &aen);
	printf("== lexicon layer (what ships), %s, data: %s\n",
	       want_half < 0 ? "whole files" : want_half == 0 ? "half A only" : "half B only", dir);
	if (nsfi > 0)
		eval_sentiment_fi(sfi, nsfi);
	if (nsen > 0)
		eval_sentiment_en(sen, nsen);
	if (nafi > 0)
		eval_abuse_fi(afi, nafi);
	if (naen > 0)
		eval_abuse_en(aen, naen);
	if (nosplit)
		goto done;
	printf("\n== learned layer: trained on half A (by text hash; the first 50 / 200 corrections once, "
	       "or all of half A 4 times), tested on half B\n");
	const struct split_spec specs[] = {
		{ "split sentiment_fi", TEXT_TASK_SENTIMENT, TEXT_LANG_FI, 1, 3, lab_sfi, pred_s3 },
		{ "split sentiment_en", TEXT_TASK_SENTIMENT, TEXT_LANG_EN, 2, 2, lab_sen, pred_s2 },
		{ "split abuse_fi (any cat)", TEXT_TASK_ABUSE, TEXT_LANG_FI, 2, 2, lab_afi, pred_ab },
		{ "split abuse_en OLID", TEXT_TASK_ABUSE, TEXT_LANG_EN, 3, 2, lab_aen, pred_ab },
	};
	struct row *rs[] = { sfi, sen, afi, aen };
	long ns[] = { nsfi, nsen, nafi, naen };
	for (int k = 0; k < 4; k++)
		if (ns[k] > 0)
			eval_split(&specs[k], rs[k], ns[k]);
done:
	if (nsfi > 0)
		free_rows(sfi, nsfi);
	if (nsen > 0)
		free_rows(sen, nsen);
	if (nafi > 0)
		free_rows(afi, nafi);
	if (naen > 0)
		free_rows(aen, naen);
	text_analyzer_free(ta);
	return nsfi < 0 || nsen < 0 || nafi < 0 || naen < 0;
}
