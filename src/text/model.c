/*
 * The learned layer: residual logistic regression (softmax for sentiment, binary for abuse)
 * over hashed lemma/stem unigrams and bigrams plus the lexicon's own scores. The lexicon
 * decision enters as a fixed prior logit, so an untrained model reproduces the lexicon
 * result and each staff correction (text + label) nudges it with one SGD step.
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
#define MD (1u << MD_BITS)
#define ND 12 /* dense features */
#define NCLS 3
#define LR 0.2
#define PRIOR 1.5
#define MAXF 512

struct text_model {
	float sd[NCLS][ND];
	float ab_d[ND];
	uint64_t examples[2];
	float *s; /* NCLS * MD */
	float *ab;  /* MD */
};

struct feats {
	uint32_t idx[MAXF];
	size_t n;
	float val; /* value of each sparse feature: 1/sqrt(n) */
	float d[ND];
};

struct text_model *text_model_new(void)
{
	struct text_model *m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	m->s = calloc((size_t)NCLS * MD, sizeof(float));
	m->ab = calloc(MD, sizeof(float));
	if (!m->s || !m->ab) {
		text_model_free(m);
		return NULL;
	}
	return m;
}

void text_model_free(struct text_model *m)
{
	if (!m)
		return;
	free(m->s);
	free(m->ab);
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
}

static void sent_logits(const struct text_model *m, const struct feats *f, int lex_label, double z[NCLS])
{
	for (int c = 0; c < NCLS; c++) {
		double s = (c - 1 == lex_label) ? PRIOR : 0;
		for (int k = 0; k < ND; k++)
			s += m->sd[c][k] * f->d[k];
		const float *w = m->s + (size_t)c * MD;
		for (size_t i = 0; i < f->n; i++)
			s += w[f->idx[i]] * f->val;
		z[c] = s;
	}
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

static double abuse_logit(const struct text_model *m, const struct feats *f, double lex_tox)
{
	double s = logit(lex_tox);
	for (int k = 0; k < ND; k++)
		s += m->ab_d[k] * f->d[k];
	for (size_t i = 0; i < f->n; i++)
		s += m->ab[f->idx[i]] * f->val;
	return s;
}

void text_model_apply(const struct text_model *m, struct text_analyzer *ta, struct text_result *r)
{
	struct feats f;
	extract(ta, r, &f);
	if (m->examples[TEXT_TASK_SENTIMENT]) {
		double z[NCLS], p[NCLS];
		sent_logits(m, &f, r->lex_sentiment_label, z);
		softmax(z, p);
		int best = 0;
		for (int c = 1; c < NCLS; c++)
			if (p[c] > p[best])
				best = c;
		r->sentiment_label = best - 1;
		r->sentiment_score = p[2] - p[0];
		r->model_applied = 1;
	}
	if (m->examples[TEXT_TASK_ABUSE]) {
		double p = 1 / (1 + exp(-abuse_logit(m, &f, r->lex_toxicity)));
		r->abuse[TEXT_ABUSE_TOXICITY] = p;
		r->abuse_flagged = 0;
		for (int k = 0; k < TEXT_ABUSE_NCAT; k++) {
			if (p < TEXT_ABUSE_PRESENT && r->abuse[k] > p)
				r->abuse[k] = p;
			if (r->abuse[k] >= TEXT_ABUSE_PRESENT)
				r->abuse_flagged = 1;
		}
		r->model_applied = 1;
	}
}

int text_model_train(struct text_model *m, struct text_analyzer *ta, enum text_task task,
		     const char *s, size_t len, enum text_lang lang, int label)
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
	if (task == TEXT_TASK_SENTIMENT) {
		double z[NCLS], p[NCLS];
		sent_logits(m, &f, r.lex_sentiment_label, z);
		softmax(z, p);
		for (int c = 0; c < NCLS; c++) {
			double g = LR * ((c - 1 == label) - p[c]);
			for (int k = 0; k < ND; k++)
				m->sd[c][k] += (float)(g * f.d[k] * 0.1);
			float *w = m->s + (size_t)c * MD;
			for (size_t i = 0; i < f.n; i++)
				w[f.idx[i]] += (float)(g * f.val);
		}
	} else {
		double p = 1 / (1 + exp(-abuse_logit(m, &f, r.lex_toxicity)));
		double g = LR * (label - p);
		for (int k = 0; k < ND; k++)
			m->ab_d[k] += (float)(g * f.d[k] * 0.1);
		for (size_t i = 0; i < f.n; i++)
			m->ab[f.idx[i]] += (float)(g * f.val);
	}
	m->examples[task]++;
	text_result_release(&r);
	return TEXT_OK;
}

/* ---- serialisation: "KPTM", u32 version, u32 bits, u64 examples[2], then f32 arrays, LE ---- */

static int put_u32(struct buf *b, uint32_t v)
{
	unsigned char x[4] = { (unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
			       (unsigned char)(v >> 24) };
	return buf_add(b, x, 4);
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

int text_model_save(const struct text_model *m, struct buf *out)
{
	int rc = buf_add(out, "KPTM", 4);
	rc |= put_u32(out, 1);
	rc |= put_u32(out, MD_BITS);
	for (int t = 0; t < 2; t++) {
		rc |= put_u32(out, (uint32_t)m->examples[t]);
		rc |= put_u32(out, (uint32_t)(m->examples[t] >> 32));
	}
	if (rc)
		return -1;
	if (put_f32s(out, &m->sd[0][0], NCLS * ND) || put_f32s(out, m->ab_d, ND) ||
	    put_f32s(out, m->s, (size_t)NCLS * MD) || put_f32s(out, m->ab, MD))
		return -1;
	return 0;
}

static uint32_t get_u32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void get_f32s(const unsigned char *p, float *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint32_t u = get_u32(p + 4 * i);
		memcpy(&v[i], &u, 4);
	}
}

struct text_model *text_model_load(const void *data, size_t len, int *status)
{
	const unsigned char *p = data;
	size_t want = 4 + 4 + 4 + 16 + 4 * ((size_t)NCLS * ND + ND + (size_t)NCLS * MD + MD);
	if (!p || len != want || memcmp(p, "KPTM", 4) != 0 || get_u32(p + 4) != 1 || get_u32(p + 8) != MD_BITS) {
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
	p += 12;
	for (int t = 0; t < 2; t++, p += 8)
		m->examples[t] = get_u32(p) | (uint64_t)get_u32(p + 4) << 32;
	get_f32s(p, &m->sd[0][0], NCLS * ND);
	p += 4 * NCLS * ND;
	get_f32s(p, m->ab_d, ND);
	p += 4 * ND;
	get_f32s(p, m->s, (size_t)NCLS * MD);
	p += 4 * (size_t)NCLS * MD;
	get_f32s(p, m->ab, MD);
	for (size_t i = 0; i < (size_t)NCLS * MD; i++)
		if (!isfinite(m->s[i]))
			m->s[i] = 0;
	for (size_t i = 0; i < MD; i++)
		if (!isfinite(m->ab[i]))
			m->ab[i] = 0;
	if (status)
		*status = TEXT_OK;
	return m;
}
