/*
 * Complaint topics: counts of topic lemmas over many analysed texts, split into negative
 * (negative sentiment or abusive) and all texts; terms are ranked by the log-odds ratio with
 * an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008), z-scored, so frequent words
 * that appear everywhere do not dominate and rare words need evidence.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "text/text_int.h"

struct topic_count {
	const char *term;
	uint32_t neg, all;
};

struct text_topics {
	struct text_map map;
	struct topic_count *v;
	size_t n, cap;
	uint64_t tot_neg, tot_all;
	struct text_arena arena;
	struct text_topic *sorted; /* scratch for _top */
};

struct text_topics *text_topics_new(void) { return calloc(1, sizeof(struct text_topics)); }

void text_topics_free(struct text_topics *t)
{
	if (!t)
		return;
	text_map_release(&t->map);
	text_arena_release(&t->arena);
	free(t->v);
	free(t->sorted);
	free(t);
}

int text_topics_add(struct text_topics *t, const struct text_result *r)
{
	int neg = r->sentiment_label == TEXT_SENT_NEGATIVE || r->abuse_flagged;
	for (size_t i = 0; i < r->ntopics; i++) {
		const char *term = r->topics[i];
		size_t n = strlen(term);
		uint64_t h = text_hash(term, n, 7);
		uint32_t *idx = text_map_get(&t->map, term, n, h);
		if (!idx) {
			if (t->n == t->cap) {
				size_t nc = t->cap ? t->cap * 2 : 256;
				struct topic_count *v = realloc(t->v, nc * sizeof(*v));
				if (!v)
					return TEXT_ENOMEM;
				t->v = v;
				t->cap = nc;
			}
			char *k = text_arena_strdup(&t->arena, term, n);
			if (!k || text_map_put(&t->map, k, n, h, (uint32_t)t->n) < 0)
				return TEXT_ENOMEM;
			t->v[t->n] = (struct topic_count){ k, 0, 0 };
			idx = text_map_get(&t->map, k, n, h);
			t->n++;
		}
		struct topic_count *c = &t->v[*idx];
		c->all++;
		t->tot_all++;
		if (neg) {
			c->neg++;
			t->tot_neg++;
		}
	}
	return TEXT_OK;
}

static int topic_cmp(const void *a, const void *b)
{
	const struct text_topic *x = a, *y = b;
	return x->score < y->score ? 1 : x->score > y->score ? -1 : strcmp(x->term, y->term);
}

size_t text_topics_top(struct text_topics *t, size_t k, uint32_t min_count, struct text_topic *out)
{
	if (!t->n || !t->tot_neg)
		return 0;
	free(t->sorted);
	t->sorted = malloc(t->n * sizeof(*t->sorted));
	if (!t->sorted)
		return 0;
	/* a word named only in one phrase ("palveluntarjoaja" always in "palveluntarjoaja
	 * vaihtaminen": the same counts) says nothing the phrase does not: the phrase is listed */
	unsigned char *subsumed = calloc(t->n, 1);
	if (!subsumed)
		return 0;
	for (size_t i = 0; i < t->n; i++) {
		const struct topic_count *c = &t->v[i];
		const char *sp = strchr(c->term, ' ');
		if (!sp || c->neg < min_count)
			continue;
		size_t lens[2] = {(size_t)(sp - c->term), strlen(sp + 1)};
		const char *parts[2] = {c->term, sp + 1};
		for (int part = 0; part < 2; part++) {
			uint32_t *idx =
			    text_map_get(&t->map, parts[part], lens[part], text_hash(parts[part], lens[part], 7));
			if (idx && t->v[*idx].neg == c->neg && t->v[*idx].all == c->all)
				subsumed[*idx] = 1;
		}
	}
	/* prior: alpha_w proportional to the term's share of all counts, total strength A0 */
	const double A0 = 100.0;
	double nn = (double)t->tot_neg, na = (double)t->tot_all;
	size_t m = 0;
	for (size_t i = 0; i < t->n; i++) {
		const struct topic_count *c = &t->v[i];
		if (c->neg < min_count || c->neg == 0 || subsumed[i])
			continue;
		double aw = A0 * (double)c->all / na + 0.01;
		double yn = c->neg, ya = c->all;
		/* negative texts vs the rest (all - neg), both smoothed by the prior */
		double yr = ya - yn, nr = na - nn;
		double d = log((yn + aw) / (nn + A0 - yn - aw)) - log((yr + aw) / (nr + A0 - yr - aw));
		double var = 1.0 / (yn + aw) + 1.0 / (yr + aw);
		/* only terms over-represented in negative texts: a term as common in the rest is no
		 * complaint, however often it is named. With no other texts to compare with (every
		 * text of the sample negative) the terms are ranked by how many texts name them. */
		if (nr <= 0) {
			t->sorted[m++] = (struct text_topic){c->term, sqrt(yn), c->neg, c->all};
			continue;
		}
		if (d <= 0)
			continue;
		t->sorted[m++] = (struct text_topic){ c->term, d / sqrt(var), c->neg, c->all };
	}
	free(subsumed);
	qsort(t->sorted, m, sizeof(*t->sorted), topic_cmp);
	if (k > m)
		k = m;
	memcpy(out, t->sorted, k * sizeof(*out));
	return k;
}
