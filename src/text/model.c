/*
 * The learned layer: residual logistic regression (softmax for sentiment, binary for abuse)
 * over hashed lemma/stem unigrams and bigrams plus the lexicon's own scores. The lexicon
 * decision enters as a prior logit with a learned weight, so an untrained model reproduces the
 * lexicon result and each staff correction (text + label) is one AdaGrad step. Predictions use
 * the average of the weights over all steps (averaged SGD, kept incrementally), which damps
 * noisy labels; a gate applies the model only while its balanced accuracy on the corrections,
 * each predicted before it is learnt, beats the lexicon's (staff labels are noisy and a
 * learned layer must not make results worse than the lexicon alone).
 *
 * Nothing here is pre-trained: a model starts empty (text_model_new) or from bytes the server
 * saved earlier (text_model_load), i.e. from its own staff corrections.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "text/text_int.h"
#include "util/buf.h"

#define MD_BITS 18
#define MD      (1u << MD_BITS)
#define ND      12        /* dense features */
#define NX      (ND + 1)  /* dense features + the lexicon prior */
#define BLK     (MD + NX) /* weights of one class: sparse, dense, prior */
#define NCLS    3
#define MAXF    512

#define LR      0.3 /* AdaGrad base rate of the sparse weights */
#define DLR     0.1 /* ... times this for the dense lexicon features and the prior's weight */
#define PRIOR   1.5 /* sentiment: logit added to the lexicon's class */
#define VERSION 2u  /* of the saved bytes; 1 = plain SGD weights, no average (still loaded) */

static const size_t nblk[2] = {NCLS, 1};

struct text_model {
	uint64_t examples[2];
	uint64_t labels[2][NCLS];  /* corrections per label (abuse: 0, 1), for the gate */
	float *w[2];               /* current weights, nblk[task] * BLK */
	float *u[2];               /* sum of (step index * update), for the running average */
	float *g2[2];              /* adagrad */
	uint64_t hits[2][NCLS][2]; /* per task and corrected label: lexicon right, model right */
};

struct feats {
	uint32_t idx[MAXF];
	size_t n;
	float val; /* value of each sparse feature: 1/sqrt(n) */
	float d[NX];
};

struct text_model *text_model_new(void)
{
	struct text_model *m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	for (int t = 0; t < 2; t++) {
		m->w[t] = calloc(nblk[t] * BLK, sizeof(float));
		m->u[t] = calloc(nblk[t] * BLK, sizeof(float));
		m->g2[t] = calloc(nblk[t] * BLK, sizeof(float));
		if (!m->w[t] || !m->u[t] || !m->g2[t]) {
			text_model_free(m);
			return NULL;
		}
	}
	return m;
}

void text_model_free(struct text_model *m)
{
	if (!m)
		return;
	for (int t = 0; t < 2; t++) {
		free(m->w[t]);
		free(m->u[t]);
		free(m->g2[t]);
	}
	free(m);
}

uint64_t text_model_examples(const struct text_model *m, enum text_task task)
{
	return (unsigned)task < 2 ? m->examples[task] : 0;
}

static void extract(const struct text_analyzer *ta, const struct text_result *r, struct feats *f)
{
	f->n = 0;
	uint64_t prev = 0;
	int second = 0;
	for (size_t i = 0; i < ta->ntoks && f->n + 2 <= MAXF; i++) {
		const struct text_tok *t = &ta->toks[i];
		if (t->type == TT_END || t->type == TT_CLAUSE) {
			prev = 0;
			continue;
		}
		if (!t->w)
			continue;
		second |= (t->w->info.flags & TI_SECOND) != 0;
		uint64_t h = t->w->feat_hash;
		f->idx[f->n++] = (uint32_t)(h & (MD - 1));
		if (prev)
			f->idx[f->n++] = (uint32_t)((prev * 0x9E3779B97F4A7C15ULL ^ h) >> (64 - MD_BITS));
		prev = h;
	}
	f->val = f->n ? (float)(1.0 / sqrt((double)f->n)) : 0;
	float *d = f->d;
	d[0] = 1;
	d[1] = (float)r->lex_sentiment_score;
	d[2] = (float)fabs(r->lex_sentiment_score);
	d[3] = (float)r->abuse[TEXT_ABUSE_INSULT];
	d[4] = (float)r->abuse[TEXT_ABUSE_THREAT];
	d[5] = (float)r->abuse[TEXT_ABUSE_OBSCENITY];
	d[6] = (float)r->abuse[TEXT_ABUSE_IDENTITY];
	d[7] = (float)r->lex_toxicity;
	d[8] = (float)r->aimed_at_reader;
	d[9] = (float)second;
	d[10] = r->lang == TEXT_LANG_FI ? 1.0f : 0.0f;
	d[11] = (float)log1p((double)r->ntokens) / 4.0f;
	d[ND] = 0; /* the prior: set per class */
}

/* weight i of a task, current (avg = 0) or averaged over all steps so far */
static inline double wt(const struct text_model *m, int task, size_t i, int avg)
{
	double w = m->w[task][i];
	uint64_t T = m->examples[task];
	if (avg && T)
		w -= m->u[task][i] / (double)T;
	return w;
}

static double blk_score(const struct text_model *m, int task, size_t b, const struct feats *f, double prior, int avg)
{
	size_t o = b * BLK;
	double s = prior * (1 + wt(m, task, o + MD + ND, avg));
	for (int k = 0; k < ND; k++)
		s += wt(m, task, o + MD + (size_t)k, avg) * f->d[k];
	for (size_t i = 0; i < f->n; i++)
		s += wt(m, task, o + f->idx[i], avg) * f->val;
	return s;
}

/* One AdaGrad step of weight i by gradient gi (rate / sqrt(1 + sum of squared gradients)),
 * recorded in u for the average. */
static inline void upd(struct text_model *m, int task, size_t i, double gi, double rate)
{
	m->g2[task][i] += (float)(gi * gi);
	double st = rate * gi / sqrt(m->g2[task][i] + 1.0);
	m->w[task][i] += (float)st;
	m->u[task][i] += (float)((double)m->examples[task] * st);
}

static void blk_update(struct text_model *m, int task, size_t b, const struct feats *f, double prior, double g)
{
	size_t o = b * BLK;
	for (size_t i = 0; i < f->n; i++)
		upd(m, task, o + f->idx[i], g * f->val, LR);
	for (int k = 0; k < ND; k++)
		upd(m, task, o + MD + (size_t)k, g * f->d[k], LR * DLR);
	if (prior != 0)
		upd(m, task, o + MD + ND, g * prior, LR * DLR);
}

static void sent_logits(const struct text_model *m, const struct feats *f, int lex_label, double z[NCLS], int avg)
{
	for (int c = 0; c < NCLS; c++)
		z[c] = blk_score(m, TEXT_TASK_SENTIMENT, (size_t)c, f, (c - 1 == lex_label) ? PRIOR : 0, avg);
}

static void softmax(double z[NCLS], double p[NCLS])
{
	double mx = z[0], sum = 0;
	for (int c = 1; c < NCLS; c++)
		if (z[c] > mx)
			mx = z[c];
	for (int c = 0; c < NCLS; c++)
		sum += p[c] = exp(z[c] - mx);
	for (int c = 0; c < NCLS; c++)
		p[c] /= sum;
}

static double logit(double p)
{
	if (p < 0.02)
		p = 0.02;
	if (p > 0.98)
		p = 0.98;
	return log(p / (1 - p));
}

static int gate_open(const struct text_model *m, int task)
{
	double lex = 0, mod = 0;
	for (int c = 0; c < NCLS; c++) {
		if (!m->labels[task][c])
			continue;
		lex += (double)m->hits[task][c][0] / (double)m->labels[task][c];
		mod += (double)m->hits[task][c][1] / (double)m->labels[task][c];
	}
	return mod > lex;
}

void text_model_apply(const struct text_model *m, struct text_analyzer *ta, struct text_result *r)
{
	struct feats f;
	extract(ta, r, &f);
	if (m->examples[TEXT_TASK_SENTIMENT] && gate_open(m, TEXT_TASK_SENTIMENT)) {
		double z[NCLS], p[NCLS];
		sent_logits(m, &f, r->lex_sentiment_label, z, 1);
		softmax(z, p);
		int best = 0;
		for (int c = 1; c < NCLS; c++)
			if (p[c] > p[best])
				best = c;
		r->sentiment_label = best - 1;
		r->sentiment_score = p[2] - p[0];
		r->model_applied = 1;
	}
	if (m->examples[TEXT_TASK_ABUSE] && gate_open(m, TEXT_TASK_ABUSE)) {
		double p = 1 / (1 + exp(-blk_score(m, TEXT_TASK_ABUSE, 0, &f, logit(r->lex_toxicity), 1)));
		r->abuse[TEXT_ABUSE_TOXICITY] = p;
		r->abuse_flagged = 0;
		for (int k = 0; k < TEXT_ABUSE_NCAT; k++) {
			if (p < TEXT_ABUSE_PRESENT && r->abuse[k] > p)
				r->abuse[k] = p;
			if (r->abuse[k] >= TEXT_ABUSE_PRESENT)
				r->abuse_flagged = 1;
		}
		r->severe &= r->abuse_flagged; /* severe only while flagged */
		r->model_applied = 1;
	}
}

int text_model_train(struct text_model *m, struct text_analyzer *ta, enum text_task task, const char *s, size_t len,
                     enum text_lang lang, int label)
{
	if ((unsigned)task > 1 || (task == TEXT_TASK_SENTIMENT && (label < -1 || label > 1)) ||
	    (task == TEXT_TASK_ABUSE && label != 0 && label != 1))
		return TEXT_EINVAL;
	struct text_result r;
	int rc = text_analyze_lex(ta, s, len, lang, &r);
	if (rc)
		return rc;
	struct feats f;
	extract(ta, &r, &f);
	int cls = task == TEXT_TASK_SENTIMENT ? label + 1 : label;
	m->labels[task][cls]++;
	if (task == TEXT_TASK_SENTIMENT) {
		double z[NCLS], p[NCLS];
		sent_logits(m, &f, r.lex_sentiment_label, z, 1);
		int best = 0;
		for (int c = 1; c < NCLS; c++)
			if (z[c] > z[best])
				best = c;
		m->hits[task][cls][0] += r.lex_sentiment_label + 1 == cls;
		m->hits[task][cls][1] += best == cls;
		sent_logits(m, &f, r.lex_sentiment_label, z, 0);
		softmax(z, p);
		for (int c = 0; c < NCLS; c++)
			blk_update(m, task, (size_t)c, &f, (c - 1 == r.lex_sentiment_label) ? PRIOR : 0,
			           (c - 1 == label) - p[c]);
	} else {
		double pr = logit(r.lex_toxicity);
		m->hits[task][cls][0] += r.abuse_flagged == cls;
		m->hits[task][cls][1] += (blk_score(m, task, 0, &f, pr, 1) >= 0) == cls;
		double p = 1 / (1 + exp(-blk_score(m, task, 0, &f, pr, 0)));
		blk_update(m, task, 0, &f, pr, label - p);
	}
	m->examples[task]++;
	text_result_release(&r);
	return TEXT_OK;
}

/* ---- serialisation, little-endian: "KPTM", u32 version, u32 bits, then per version:
 * 1: u64 examples[2]; f32 sentiment dense[3][12], abuse dense[12], sentiment sparse[3][2^bits],
 *    abuse sparse[2^bits] (plain SGD weights, fixed prior weight).
 * 2: u64 examples[2], labels[2][3], hits[2][3][2]; then per task (sentiment, abuse) the f32
 *    arrays w, u, g2 of nblk * BLK each (BLK = 2^bits sparse + 12 dense + 1 prior weight). ---- */

static int put_u32(struct buf *b, uint32_t v)
{
	unsigned char x[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
	                      (unsigned char)(v >> 24)};
	return buf_add(b, x, 4);
}

static int put_u64(struct buf *b, uint64_t v)
{
	return put_u32(b, (uint32_t)v) | put_u32(b, (uint32_t)(v >> 32));
}

static int put_f32s(struct buf *b, const float *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint32_t u;
		memcpy(&u, &v[i], 4);
		if (put_u32(b, u) < 0)
			return -1;
	}
	return 0;
}

#define NCOUNTS (2 + 2 * NCLS + 2 * NCLS * 2) /* u64 counters in a version-2 header */

int text_model_save(const struct text_model *m, struct buf *out)
{
	int rc = buf_add(out, "KPTM", 4);
	rc |= put_u32(out, VERSION);
	rc |= put_u32(out, MD_BITS);
	for (int t = 0; t < 2; t++)
		rc |= put_u64(out, m->examples[t]);
	for (int t = 0; t < 2; t++)
		for (int c = 0; c < NCLS; c++)
			rc |= put_u64(out, m->labels[t][c]);
	for (int t = 0; t < 2; t++)
		for (int c = 0; c < NCLS; c++)
			rc |= put_u64(out, m->hits[t][c][0]) | put_u64(out, m->hits[t][c][1]);
	if (rc)
		return -1;
	for (int t = 0; t < 2; t++)
		if (put_f32s(out, m->w[t], nblk[t] * BLK) || put_f32s(out, m->u[t], nblk[t] * BLK) ||
		    put_f32s(out, m->g2[t], nblk[t] * BLK))
			return -1;
	return 0;
}

static uint32_t get_u32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get_u64(const unsigned char *p)
{
	return get_u32(p) | (uint64_t)get_u32(p + 4) << 32;
}

/* n floats from p into v (stride 1); non-finite values become 0 */
static void get_f32s(const unsigned char *p, float *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint32_t u = get_u32(p + 4 * i);
		memcpy(&v[i], &u, 4);
		if (!isfinite(v[i]))
			v[i] = 0;
	}
}

/* Version 1 (weights only) into a fresh model m: its weights become both the current and the
 * averaged weights (u = 0); label and hit counts start at 0, so its gate is closed until new
 * corrections show it beats the lexicon. */
static void load_v1(struct text_model *m, const unsigned char *p)
{
	for (int t = 0; t < 2; t++, p += 8)
		m->examples[t] = get_u64(p);
	for (int c = 0; c < NCLS; c++, p += 4 * ND)
		get_f32s(p, m->w[TEXT_TASK_SENTIMENT] + (size_t)c * BLK + MD, ND);
	get_f32s(p, m->w[TEXT_TASK_ABUSE] + MD, ND);
	p += 4 * ND;
	for (int c = 0; c < NCLS; c++, p += 4 * (size_t)MD)
		get_f32s(p, m->w[TEXT_TASK_SENTIMENT] + (size_t)c * BLK, MD);
	get_f32s(p, m->w[TEXT_TASK_ABUSE], MD);
}

static void load_v2(struct text_model *m, const unsigned char *p)
{
	for (int t = 0; t < 2; t++, p += 8)
		m->examples[t] = get_u64(p);
	for (int t = 0; t < 2; t++)
		for (int c = 0; c < NCLS; c++, p += 8)
			m->labels[t][c] = get_u64(p);
	for (int t = 0; t < 2; t++)
		for (int c = 0; c < NCLS; c++, p += 16) {
			m->hits[t][c][0] = get_u64(p);
			m->hits[t][c][1] = get_u64(p + 8);
		}
	for (int t = 0; t < 2; t++) {
		size_t n = nblk[t] * BLK;
		get_f32s(p, m->w[t], n);
		get_f32s(p + 4 * n, m->u[t], n);
		get_f32s(p + 8 * n, m->g2[t], n);
		/* sums of squares: a negative one (corrupt bytes) would make sqrt() NaN in training */
		for (size_t i = 0; i < n; i++)
			if (m->g2[t][i] < 0)
				m->g2[t][i] = 0;
		p += 12 * n;
	}
}

struct text_model *text_model_load(const void *data, size_t len, int *status)
{
	const unsigned char *p = data;
	size_t want1 = 12 + 16 + 4 * ((size_t)NCLS * ND + ND + (size_t)NCLS * MD + MD);
	size_t want2 = 12 + 8 * NCOUNTS + 12 * (size_t)(NCLS + 1) * BLK;
	uint32_t v = p && len >= 12 ? get_u32(p + 4) : 0;
	if (!p || len < 12 || memcmp(p, "KPTM", 4) != 0 || get_u32(p + 8) != MD_BITS ||
	    !((v == 1 && len == want1) || (v == 2 && len == want2))) {
		if (status)
			*status = TEXT_EINVAL;
		return NULL;
	}
	struct text_model *m = text_model_new();
	if (!m) {
		if (status)
			*status = TEXT_ENOMEM;
		return NULL;
	}
	if (v == 1)
		load_v1(m, p + 12);
	else
		load_v2(m, p + 12);
	if (status)
		*status = TEXT_OK;
	return m;
}
