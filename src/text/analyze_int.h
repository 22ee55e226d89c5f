/*
 * What the files of the lexicon analysis share (internal to src/text/): analyze.c runs the
 * pipeline (tokens, words, language, phrases, then each sentence's evidence, spans, sentiment
 * and topics) and asks the predicates of speech.c (who says what to whom), target.c (what a
 * word is said of), insult.c (constructions of abuse no one word carries), severe.c (severe
 * abuse) and threat.c (veiled and third-party threats). Each predicate reads the tokens of the
 * text being analysed (struct text_analyzer) and returns a token index, SIZE_MAX or 0 for none,
 * or a 0/1 answer; see its definition for the construction it finds.
 */
/*
 * Word lists. The open-vocabulary lemma lists of the rules (nouns, adjectives, verbs: person
 * nouns, mind nouns, animals, things, verbs of speech...) are word classes read from
 * data/lexicon/word_classes.tsv (enum rule_class in text_lex.h): text_word_classify() sets a
 * word's bits once, when it enters the cache, and a rule tests a bit. The lists left in the
 * rule files are closed grammar (pronoun and demonstrative forms, conjunctions, case endings, the
 * sign-off formulas) matched on the surface form, or pairs (text_violent_idiom()).
 */
#ifndef KUMPPANI_TEXT_ANALYZE_INT_H
#define KUMPPANI_TEXT_ANALYZE_INT_H

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "text/text_int.h"

/* Finnish "that not" contractions, which voikko does not read as negations: "Toivon ettei
 * isoisä kuole yksin" wishes the opposite of a death. */
static const char *const neg_that_fi[] = { "ettei", "ettet", "ettette", "jottei", "jottet", "ettemme", NULL };
/* lemma_is() with a string literal, its length counted by the compiler (UTF-8 bytes: "jättää"
 * is 9) */
#define LEMMA_IS(t, lit) lemma_is((t), "" lit "", sizeof(lit) - 1)

/* What the severe constructions (text_severe_rules[]) are told of their sentence. */
struct severe_cx {
	int ll;        /* TEXT_LL_FI or TEXT_LL_EN */
	int asks;      /* the sentence asks */
	int second;    /* a second-person word */
	int addressed; /* a second-person word other than an imperative verb */
	/* facts of the whole text, found at most once per analysis (a rule that asked them of
	 * every sentence made 2,600 "Why are you still alive?" quadratic): -1 not yet known */
	int *text_fiction, *text_playful;
};

enum severe_aim { AIM_NONE, AIM_READER, AIM_IF_SECOND, AIM_IF_ADDRESSED };

/* A construction that makes a sentence severe on its own (severe.c, text_severe_rules[]). */
struct severe_rule {
	size_t (*find)(struct text_analyzer *ta, size_t a, size_t b, const struct severe_cx *cx);
	int lang;   /* TEXT_LL_EN: English only; -1: both */
	int aim;    /* enum severe_aim */
	int threat; /* 1: threat evidence, 0: insult evidence */
};
extern const struct severe_rule text_severe_rules[];
extern const size_t text_severe_nrules;

/* ---- speech.c ---- */
size_t text_negator_of_conneg(const struct text_analyzer *ta, size_t a, size_t j);
int text_fi_conneg_after_first(const struct text_analyzer *ta, size_t a, size_t j);
int text_fi_weather(const struct text_analyzer *ta, size_t a, size_t j);
void text_scan_near(const struct text_analyzer *ta, size_t a, size_t b, size_t i, int *first, int *second,
		      int *about_person, int *person_second, int *modal, int *group);
int text_passive_report(const struct text_analyzer *ta, size_t a, size_t i);
int text_reported_calling(const struct text_analyzer *ta, size_t a, size_t b, size_t i);
int text_unsaid_that(const struct text_analyzer *ta, size_t a, size_t i);
int text_self_named_after(const struct text_analyzer *ta, size_t a, size_t b, size_t i, int ll);
int text_word_mentioned(const struct text_analyzer *ta, size_t a, size_t i);
int text_swear_not_at_reader(const struct text_analyzer *ta, size_t a, size_t b, size_t i);
int text_en_denied_to_reader(const struct text_analyzer *ta, size_t a, size_t i);
int text_en_reported(const struct text_analyzer *ta, size_t a, size_t b, size_t i);
void text_speech_verbs_from(struct text_analyzer *ta, size_t a);
void text_mark_quoted(struct text_analyzer *ta, const char *s, size_t len);
int text_en_first_subject(const struct text_analyzer *ta, size_t a, size_t k);
int text_reported_speech(const struct text_analyzer *ta, size_t a, size_t b);
size_t text_speech_told(const struct text_analyzer *ta, size_t a, size_t b);
int text_reported_quote(const struct text_analyzer *ta, size_t a, size_t i);

/* ---- target.c ---- */
int text_exclusion_word(const struct text_word *w);
int text_fi_expulsion_at(const struct text_analyzer *ta, size_t b, size_t i);
int text_negated_before(const struct text_analyzer *ta, size_t i);
int text_violent_idiom(const struct text_analyzer *ta, size_t b, size_t i);
void text_clause_of(const struct text_analyzer *ta, size_t i, size_t *ca, size_t *cb);
int text_self_target(const struct text_analyzer *ta, size_t i);
int text_animal_target(const struct text_analyzer *ta, size_t i);
size_t text_class_near(const struct text_analyzer *ta, size_t i, uint64_t cls);
int text_subordinate_clause(const struct text_analyzer *ta, size_t i);
int text_fiction_setting(const struct text_analyzer *ta, size_t a, size_t b);
size_t text_tok_from(const struct text_analyzer *ta, uint32_t start);
int text_match_self_target(const struct text_analyzer *ta, const struct text_match *m);
int text_match_unaddressed(const struct text_analyzer *ta, const struct text_match *m);
int text_third_subject_at(const struct text_analyzer *ta, size_t i, int imper);
int text_fi_match_no_order(const struct text_analyzer *ta, const struct text_match *m);
int text_match_idiom_tail(const struct text_analyzer *ta, const struct text_match *m, int ll);
int text_en_match_negated(const struct text_analyzer *ta, const struct text_match *m);
int text_same_span_stronger(const struct text_analyzer *ta, size_t i);
int text_en_article_predicate(const struct text_analyzer *ta, size_t a, size_t i);
double text_like_verb_valence(const struct text_analyzer *ta, size_t i, size_t b);
int text_en_thing_word(const struct text_analyzer *ta, const struct text_tok *t);
int text_en_person_tok(const struct text_tok *t, int not_first);
int text_en_said_of_thing(const struct text_analyzer *ta, size_t a, size_t b, size_t i, int phrase);
int text_fi_thing_modifier(const struct text_analyzer *ta, size_t b, size_t i);
const struct text_word *text_topic_word(const struct text_analyzer *ta, size_t i, int ll, int neg_text);
int text_topic_modifier(const struct text_analyzer *ta, size_t i, int neg_text);
int text_name_like(const struct text_analyzer *ta, size_t i);

/* ---- insult.c ---- */
void text_mark_formulas(struct text_analyzer *ta);
int text_fi_sarcasm(const struct text_analyzer *ta, size_t a, size_t b);
int text_en_sarcasm(const struct text_analyzer *ta, size_t a, size_t b);
int text_sarcasm_fact(const struct text_analyzer *ta, size_t a, size_t b);
int text_sarcasm_undone(const struct text_analyzer *ta, size_t a, size_t b);
int text_resolution_at(const struct text_analyzer *ta, size_t a, size_t b, size_t j);
long text_sent_resolution(const struct text_analyzer *ta, size_t a, size_t b);
int text_polite_request(const struct text_analyzer *ta, size_t a, size_t b, size_t ea, size_t eb);
int text_circumstance(const struct text_analyzer *ta, size_t a, size_t b, size_t i);
int text_fi_possessive_you(const struct text_analyzer *ta, size_t b, size_t i);
int text_match_sends(const struct text_analyzer *ta, const struct text_match *m);
int text_en_everyday_violent(const struct text_analyzer *ta, size_t b, size_t i);
int text_en_name(const struct text_analyzer *ta, size_t a, size_t b, size_t i);
int text_match_sentence(const struct text_analyzer *ta, const struct text_match *m, size_t *k, size_t *a,
			  size_t *b);
int text_fi_at_your_end(const struct text_analyzer *ta, size_t mind, long fault);
int text_flags_before(const struct text_analyzer *ta, size_t a, size_t i, uint32_t all, uint32_t none,
			uint32_t stop, int clause);
int text_denied_to_reader(const struct text_analyzer *ta, size_t a, size_t i);
int text_insult_denied(const struct text_analyzer *ta, size_t a, size_t b, size_t i, int asks);
int text_first_copula(const struct text_analyzer *ta, size_t a, size_t i);
int text_signoff_word(const struct text_analyzer *ta, const struct text_tok *t);
int text_signature(const struct text_analyzer *ta, size_t a, size_t b, int prev_signoff, size_t last_word);
size_t text_masked_haista(const struct text_analyzer *ta, size_t i);
int text_agent_noun(const struct text_word *w);
size_t text_fi_contempt_person(const struct text_analyzer *ta, size_t b, size_t i);
int text_demonstrative_before(const struct text_analyzer *ta, size_t a, size_t i);
int text_has_kuin(const struct text_analyzer *ta, size_t a, size_t b);
int text_sing2_pronoun(const struct text_analyzer *ta, size_t j);
int text_fi_person_in(const struct text_analyzer *ta, size_t a, size_t b);
size_t text_fi_sexual_remark(const struct text_analyzer *ta, size_t a, size_t b);
int text_fi_situation_adj(const struct text_analyzer *ta, size_t b, size_t i);
int text_fi_quality_noun(const struct text_analyzer *ta, size_t a, size_t b, size_t i);
size_t text_fi_mind_mockery(const struct text_analyzer *ta, size_t a, size_t b, int asks, size_t *z);
size_t text_name_calling(const struct text_analyzer *ta, size_t b, size_t i);
size_t text_next_word(const struct text_analyzer *ta, size_t i, size_t b);
int text_class_in(const struct text_analyzer *ta, size_t a, size_t b, uint64_t cls);
size_t text_en_group_attack(const struct text_analyzer *ta, size_t a, size_t b);
size_t text_sex_ability_slander(const struct text_analyzer *ta, size_t a, size_t b, int ll);
size_t text_group_shut_out(const struct text_analyzer *ta, size_t a, size_t b, int ll, int *reader);
size_t text_group_slander(const struct text_analyzer *ta, size_t a, size_t b, int ll, int *reader, int *severe);
int text_en_speaker_commits(const struct text_analyzer *ta, size_t a, size_t i);
int text_speaker_wrecks(const struct text_analyzer *ta, size_t a, size_t v, int ll);
size_t text_harm_to_body(const struct text_analyzer *ta, size_t a, size_t b, int ll, int asks, size_t *z);
size_t text_harm_to_reader(const struct text_analyzer *ta, size_t a, size_t b, int ll, int asks, size_t *z);
size_t text_menace_at(const struct text_analyzer *ta, size_t a, size_t b, int ll, int asks, size_t *z);
int text_fi_hortative(const struct text_analyzer *ta, size_t a, size_t b);
int text_en_speaker_self_judged(const struct text_analyzer *ta, size_t a, size_t i);
int text_self_identified(const struct text_analyzer *ta, size_t a, size_t i);
int text_en_self_intensifier(const struct text_analyzer *ta, size_t a, size_t b, size_t i);
int text_vocative_insult(const struct text_analyzer *ta, size_t a, size_t b);
size_t text_vocative_at(const struct text_analyzer *ta, size_t a, size_t b);
int text_en_degree_adverb(const struct text_analyzer *ta, size_t b, size_t i);
int text_swear_booster(const struct text_analyzer *ta, size_t b, size_t i);
int text_fi_degree_adverb(const struct text_analyzer *ta, size_t b, size_t i);
int text_en_own_body(const struct text_analyzer *ta, size_t a, size_t i);
int text_greeted_name(const struct text_analyzer *ta, size_t i);
int text_street_name(const struct text_analyzer *ta, size_t i);
int text_everyday_sense(const struct text_analyzer *ta, size_t a, size_t b, size_t i);
int text_fi_et_that(const struct text_analyzer *ta, size_t a, size_t i);

/* ---- severe.c ---- */
size_t text_death_wish(const struct text_analyzer *ta, size_t a, size_t b);
int text_people_in(const struct text_analyzer *ta, size_t a, size_t b, int ll);
int text_person_word_in(const struct text_analyzer *ta, size_t a, size_t b, int ll);
int text_group_word_in(const struct text_analyzer *ta, size_t a, size_t b);
size_t text_vermin_called(const struct text_analyzer *ta, size_t a, size_t b);
size_t text_fi_execution_call(const struct text_analyzer *ta, size_t a, size_t b, int asks, float idgroup);
int text_pests_only(const struct text_analyzer *ta, size_t a, size_t b, int ll);
int text_killing_of_thing(const struct text_analyzer *ta, size_t k, size_t b, int ll);
int text_killing_of_people(const struct text_analyzer *ta, size_t a, size_t b, int ll);
size_t text_fi_death_call(const struct text_analyzer *ta, size_t a, size_t b, int asks);
int text_en_thing_kills(const struct text_analyzer *ta, const struct text_match *m);
int text_en_passive_not_violence(const struct text_analyzer *ta, const struct text_match *m);
int text_negator_in(const struct text_analyzer *ta, size_t a, size_t i);
int text_fi_person_object(const struct text_analyzer *ta, size_t a, size_t b, size_t i);
int text_en_person_object(const struct text_analyzer *ta, size_t a, size_t b, size_t i);
int text_mentions_abuse(const struct text_analyzer *ta);
int text_says_joke(const struct text_analyzer *ta);
int text_playful(const struct text_analyzer *ta, const struct severe_cx *cx);
int text_match_kills(const struct text_analyzer *ta, const struct text_match *m);
/* where a bullet is aimed (text_shot_aim()) */
enum shot_aim { SHOT_NONE, SHOT_READER, SHOT_PERSON, SHOT_SELF, SHOT_THING };
int text_shot_aim(const struct text_analyzer *ta, size_t a, size_t b, size_t k, int ll);
int text_match_shot_aim(const struct text_analyzer *ta, const struct text_match *m);
const struct text_word *text_fi_word_spoken_poss(struct text_analyzer *ta, const char *norm, size_t n);
size_t text_severe_family(struct text_analyzer *ta, size_t a, size_t b, int ll);

/* ---- threat.c ---- */
int text_relayed(const struct text_analyzer *ta, size_t a, size_t b, int ll);
size_t text_watched(const struct text_analyzer *ta, size_t a, size_t b, int ll, int relay, size_t *z);
size_t text_pity_if(struct text_analyzer *ta, size_t pa, size_t a, size_t b, int ll, int asks, size_t *z);
size_t text_waits_off_duty(const struct text_analyzer *ta, size_t a, size_t b, int ll, int asks, size_t *z);
size_t text_recourse_ruled_out(const struct text_analyzer *ta, size_t a, size_t b, int ll, int *strong,
				 size_t *neg_at);
size_t text_consequence(const struct text_analyzer *ta);
int text_en_match_safety(const struct text_analyzer *ta, const struct text_match *m);
int text_match_regret(const struct text_analyzer *ta, const struct text_match *m);
int text_recourse(const struct text_analyzer *ta);
size_t text_third_party_harm(const struct text_analyzer *ta, size_t a, size_t b, int ll, int asks, size_t *z);
size_t text_third_party_formula(const struct text_analyzer *ta, size_t a, size_t b, int ll, int asks, size_t *z);
int text_threat_third(const struct text_analyzer *ta, size_t a, size_t b, int ll);
size_t text_weapon_dealt(const struct text_analyzer *ta, size_t a, size_t b, int ll, int asks, size_t *z);

/* ---- small helpers, inline ---- */

/* 1 if token j is a connegative after a negator that is not itself second person: "ei
 * tarkoita", "en tiedä", and with up to two words between them in its clause ("ei kai teillä
 * ole", "en minä ole", "ei väistämistä ole"): voikko also reads the form as the imperative
 * "tarkoita!", a second person that is not there. "et tiedä", "älä tapa" keep their second
 * person (the negator's). */
static inline int conneg_after_negator(const struct text_analyzer *ta, size_t a, size_t j)
{
	size_t k = text_negator_of_conneg(ta, a, j);
	return k != SIZE_MAX && !(ta->toks[k].w->info.flags & TI_SECOND);
}

static inline int person_shaped(const struct text_word *w) { return (w->rule_class & RC_PERSON_SHAPED) != 0; }

/* 1 if token t's lemma is the n-byte lemma l. */
static inline int lemma_is(const struct text_tok *t, const char *l, size_t n)
{
	return t->type == TT_WORD && t->w && t->w->lemma_len == n && !memcmp(t->w->lemma, l, n);
}

static inline double squash(double e) { return 1.0 - exp(-e); }

/* 1 if the token's normalised form ends in suffix. */
static inline int norm_ends(const struct text_analyzer *ta, const struct text_tok *t, const char *suffix)
{
	size_t n = strlen(suffix);
	return t->norm_len > n && !memcmp(ta->scratch + t->norm_off + t->norm_len - n, suffix, n);
}

/* Indefinite pronouns and hedges that make a bare negation a short answer: "Ei mitään", "Ei
 * oikeastaan", "Ei kukaan". */
static inline int is_answer_word(const struct text_word *w) { return (w->rule_class & RC_ANSWER) != 0; }

/*
 * 1 if violent verb i has a thing as its object in an everyday sense, among the three words after
 * it or the two before it in its clause: "tappaa prosessi" (end a program), "tapetaan se bugi",
 * "polttaa kokko / kirjeet / levy" (burn a bonfire, letters, a disc), "ampua kuvia" (shoot
 * photos), "ampua pallo maaliin". The verb names no act against anyone there.
 */
static inline int thing_target(const struct text_analyzer *ta, size_t i)
{
	return text_class_near(ta, i, RC_THING) != SIZE_MAX;
}

/* The index of the token phrase match m starts at, or ta->ntoks if none does. */
static inline size_t match_first_tok(const struct text_analyzer *ta, const struct text_match *m)
{
	size_t i = text_tok_from(ta, m->start);
	return i < ta->ntoks && ta->toks[i].start == m->start ? i : ta->ntoks;
}

/* 1 if the phrase match m starts right after a negator ("en tapa sinua"). */
static inline int match_negated(const struct text_analyzer *ta, const struct text_match *m)
{
	size_t i = match_first_tok(ta, m);
	return i < ta->ntoks && text_negated_before(ta, i);
}

/* text_third_subject_at() for the first word of phrase match m */
static inline int match_third_subject(const struct text_analyzer *ta, const struct text_match *m)
{
	size_t i = match_first_tok(ta, m);
	return i < ta->ntoks && text_third_subject_at(ta, i, 0);
}

/* An English article before a predicate noun: "you are a joke", "you are the worst". */
static inline int is_article(const struct text_word *w)
{
	return (w->lemma_len == 1 && w->lemma[0] == 'a') || (w->lemma_len == 2 && !memcmp(w->lemma, "an", 2)) ||
	       (w->lemma_len == 3 && !memcmp(w->lemma, "the", 3));
}

/* 1 if token i is word tok_word (surface form) */
static inline int tok_word_is(const struct text_analyzer *ta, size_t i, const char *word)
{
	return i < ta->ntoks && ta->toks[i].type == TT_WORD && text_tok_is(ta, &ta->toks[i], word);
}

static inline int is_mind_noun(const struct text_word *w) { return (w->rule_class & RC_MIND_NOUN) != 0; }

/* A second person singular copula ("olet", "oot", "oletko") among the three words before i,
 * not behind a negation ("et ole tyhmä"). */
static inline int sing2_copula(const struct text_analyzer *ta, size_t a, size_t i)
{
	return text_flags_before(ta, a, i, TI_COPULA | TI_SING2, 0, TI_NEGATOR, 0);
}

static inline int person_shaped_word(const struct text_word *w)
{
	if ((w->rule_class & (RC_PERSON_NOUN | RC_PERSON_HEAD)) || (w->info.flags & TI_PERSON) || w->proper_name)
		return 1;
	return text_agent_noun(w);
}

/* 1 if the sentence [a, b) names a weapon ("ase", "puukko", "gun", "bat"): with a threat in
 * the same sentence, an armed threat. */
static inline int weapon_in(const struct text_analyzer *ta, size_t a, size_t b)
{
	return text_class_in(ta, a, b, RC_WEAPON);
}

/* 1 if w is an imperative of "odottaa" addressed to the reader ("Odota!", "Odottakaa hetki",
 * "odotas"): a request to wait, not the complaint "olen odottanut viikon" the word's valence is
 * for. */
static inline int fi_wait_request(const struct text_word *w)
{
	return (w->info.flags & (TI_IMPER | TI_SECOND)) == (TI_IMPER | TI_SECOND) && (w->rule_class & RC_WAIT);
}

/* 1 if a game or a story is named anywhere in the text (text_fiction_setting() of all of it), cached
 * in *cx->text_fiction. */
static inline int text_fiction(const struct text_analyzer *ta, const struct severe_cx *cx)
{
	if (*cx->text_fiction < 0)
		*cx->text_fiction = text_fiction_setting(ta, 0, ta->ntoks);
	return *cx->text_fiction;
}

#endif
