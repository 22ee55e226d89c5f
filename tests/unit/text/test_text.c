/* Unit tests for src/text: tokens and offsets, evasions, Finnish inflection, negation,
 * contrast, aimed insults vs situational swearing, threats, language id, masking, JSON,
 * invalid input, topics, the learned layer and the tone check. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "test.h"
#include "text/text.h"
#include "text/text_int.h"
#include "util/buf.h"

static struct text_analyzer *g_ta;

static struct text_analyzer *ta(void)
{
	if (!g_ta) {
		char err[256];
		g_ta = text_analyzer_new(err, sizeof err);
		if (!g_ta)
			test_fail(__FILE__, __LINE__, "text_analyzer_new: %s", err);
	}
	return g_ta;
}

__attribute__((destructor)) static void free_ta(void)
{
	text_analyzer_free(g_ta);
	g_ta = NULL;
}

static int run(const char *s, enum text_lang lang, struct text_result *r)
{
	if (!ta())
		return -100;
	return text_analyze(ta(), s, strlen(s), lang, r);
}

/* Table checks shared by the later tests: each text's sentiment label, or whether it is flagged
 * (and, when flagged is wanted, aimed at the reader if aimed is set); a miss names the text. */
struct sent_case {
	const char *text;
	enum text_lang lang;
	int label;
};
static void check_sentiments(const struct sent_case *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct text_result r;
		CHECK_INT(run(c[i].text, c[i].lang, &r), 0);
		if (r.sentiment_label != c[i].label)
			fprintf(stderr, "  sentiment %d, want %d: %s\n", r.sentiment_label, c[i].label, c[i].text);
		CHECK_INT(r.sentiment_label, c[i].label);
		text_result_release(&r);
	}
}
struct flag_case {
	const char *text;
	enum text_lang lang;
	int flagged;
};
static void check_flags(const struct flag_case *c, size_t n, int aimed)
{
	for (size_t i = 0; i < n; i++) {
		struct text_result r;
		CHECK_INT(run(c[i].text, c[i].lang, &r), 0);
		if (r.abuse_flagged != c[i].flagged || (aimed && c[i].flagged && !r.aimed_at_reader))
			fprintf(stderr, "  flagged %d (aimed %d), want %d: %s\n", r.abuse_flagged, r.aimed_at_reader,
				c[i].flagged, c[i].text);
		CHECK_INT(r.abuse_flagged, c[i].flagged);
		if (aimed && c[i].flagged)
			CHECK_INT(r.aimed_at_reader, 1);
		text_result_release(&r);
	}
}

/* ---- data-driven cases: text, lang, sentiment (-1/0/1, 9 = any), flagged, aimed (-1 any),
 *      a category that must be present (or -1), one that must be absent (or -1) ---- */
struct tcase {
	const char *text;
	enum text_lang lang;
	int sent, flagged, aimed;
	int present, absent;
};

#define ANY 9
#define NONE (-1)
static const struct tcase cases[] = {
	/* inflected Finnish forms are one word */
	{ "olet täysi idiootti", TEXT_LANG_AUTO, -1, 1, 1, TEXT_ABUSE_INSULT, NONE },
	{ "sinua kutsutaan idiootiksi", TEXT_LANG_FI, -1, 1, 1, TEXT_ABUSE_INSULT, NONE },
	{ "te olette idiootteja", TEXT_LANG_FI, -1, 1, 1, TEXT_ABUSE_INSULT, NONE },
	{ "idiootit", TEXT_LANG_FI, -1, 1, ANY, TEXT_ABUSE_INSULT, NONE },
	/* evasions */
	{ "olet idioooootti", TEXT_LANG_FI, -1, 1, 1, TEXT_ABUSE_INSULT, NONE },
	{ "olet i d i o o t t i", TEXT_LANG_FI, -1, 1, 1, TEXT_ABUSE_INSULT, NONE },
	{ "p.a.s.k.a palvelu", TEXT_LANG_FI, -1, 1, ANY, TEXT_ABUSE_OBSCENITY, NONE },
	{ "p-a-s-k-a palvelu", TEXT_LANG_FI, -1, 1, ANY, TEXT_ABUSE_OBSCENITY, NONE },
	{ "olet 1diootti", TEXT_LANG_FI, -1, 1, 1, TEXT_ABUSE_INSULT, NONE },
	{ "p4ska firma", TEXT_LANG_FI, -1, 1, ANY, TEXT_ABUSE_OBSCENITY, NONE },
	{ "this is sh1t", TEXT_LANG_EN, -1, 1, ANY, TEXT_ABUSE_OBSCENITY, NONE },
	{ "OLET IDIOOTTI", TEXT_LANG_FI, -1, 1, 1, TEXT_ABUSE_INSULT, NONE },
	{ "you are an IdIoT", TEXT_LANG_EN, -1, 1, 1, TEXT_ABUSE_INSULT, NONE },
	{ "you are a stuuuupid moron", TEXT_LANG_EN, -1, 1, 1, TEXT_ABUSE_INSULT, NONE },
	/* situational swearing is obscenity, not insult */
	{ "voi vittu kun taas myöhässä", TEXT_LANG_FI, -1, 1, 0, TEXT_ABUSE_OBSCENITY, TEXT_ABUSE_INSULT },
	{ "perkele, juna on taas myöhässä", TEXT_LANG_FI, -1, 1, 0, TEXT_ABUSE_OBSCENITY, TEXT_ABUSE_INSULT },
	{ "oh shit, the bus is late again", TEXT_LANG_EN, -1, 1, 0, TEXT_ABUSE_OBSCENITY, TEXT_ABUSE_INSULT },
	{ "haista vittu", TEXT_LANG_FI, -1, 1, 1, TEXT_ABUSE_INSULT, NONE },
	/* name-calling compounds: abusive part + a person/body-part head */
	{ "olet kusiaivo", TEXT_LANG_FI, -1, 1, 1, TEXT_ABUSE_INSULT, NONE },
	{ "sä oot vittupää", TEXT_LANG_FI, -1, 1, 1, TEXT_ABUSE_INSULT, NONE },
	/* ambiguous reading: "tapa" = a way (or kill!) is no threat */
	/* (its sentiment is weak: "tapa" also gets the mean valence of its readings) */
	{ "se on hyvä tapa toimia", TEXT_LANG_FI, ANY, 0, 0, NONE, TEXT_ABUSE_THREAT },
	/* a call for violence against a third party */
	{ "noi pitäisi ampua", TEXT_LANG_FI, -1, 1, ANY, TEXT_ABUSE_THREAT, NONE },
	{ "fuck you", TEXT_LANG_EN, -1, 1, 1, TEXT_ABUSE_INSULT, NONE },
	/* threats */
	{ "tiedän missä asut", TEXT_LANG_FI, -1, 1, 1, TEXT_ABUSE_THREAT, NONE },
	{ "tulen perääsi", TEXT_LANG_FI, ANY, 1, 1, TEXT_ABUSE_THREAT, NONE },
	{ "minä tapan sinut", TEXT_LANG_FI, -1, 1, 1, TEXT_ABUSE_THREAT, NONE },
	{ "I will kill you", TEXT_LANG_EN, -1, 1, 1, TEXT_ABUSE_THREAT, NONE },
	{ "I'll find you", TEXT_LANG_EN, ANY, 1, 1, TEXT_ABUSE_THREAT, NONE },
	{ "hyttyset tappaa kesän ilon", TEXT_LANG_FI, ANY, ANY, 0, NONE, TEXT_ABUSE_THREAT },
	/* identity */
	{ "neekerit pois", TEXT_LANG_FI, ANY, 1, ANY, TEXT_ABUSE_IDENTITY, NONE },
	/* sentiment: negation, intensifiers, contrast, emoji, punctuation */
	{ "Palvelu oli tosi hyvä, kiitos!", TEXT_LANG_FI, 1, 0, 0, NONE, TEXT_ABUSE_TOXICITY },
	{ "ei hyvä", TEXT_LANG_FI, -1, 0, 0, NONE, NONE },
	{ "en ole tyytyväinen", TEXT_LANG_FI, -1, 0, 0, NONE, NONE },
	{ "not good", TEXT_LANG_EN, -1, 0, 0, NONE, NONE },
	{ "it isn't good", TEXT_LANG_EN, -1, 0, 0, NONE, NONE },
	{ "never again, terrible", TEXT_LANG_EN, -1, 0, 0, NONE, NONE },
	{ "not bad at all", TEXT_LANG_EN, 1, 0, 0, NONE, NONE },
	{ "Ruoka oli hyvää mutta palvelu oli surkeaa", TEXT_LANG_FI, -1, 0, 0, NONE, NONE },
	{ "Palvelu oli hidasta mutta ruoka oli erinomaista", TEXT_LANG_FI, 1, 0, 0, NONE, NONE },
	{ "The food was good but the service was terrible", TEXT_LANG_EN, -1, 0, 0, NONE, NONE },
	{ "Kiitos 😊", TEXT_LANG_FI, 1, 0, 0, NONE, NONE },
	{ "😡😡😡", TEXT_LANG_AUTO, -1, 0, 0, NONE, NONE },
	{ "Great service :)", TEXT_LANG_EN, 1, 0, 0, NONE, NONE },
	{ "Tilaus saapui tiistaina.", TEXT_LANG_FI, 0, 0, 0, NONE, NONE },
	/* a booster with a valence of its own that modifies nothing keeps it ("all is well") */
	{ "Kaikki on hyvin.", TEXT_LANG_FI, 1, 0, 0, NONE, NONE },
	/* a rare potential-mood reading is no lemma: "nainen" is a woman, not "naida" */
	{ "Hän on mukava nainen.", TEXT_LANG_FI, 1, 0, 0, NONE, TEXT_ABUSE_OBSCENITY },
	/* a compound reading beside a word of one base is a false split: "loistavat" is
	 * excellent, not "lois+tavat" (parasite ways) */
	{ "Tulokset olivat loistavat.", TEXT_LANG_FI, 1, 0, 0, NONE, TEXT_ABUSE_TOXICITY },
	/* 3rd round: a group as the subject of an insult ("maahanmuuttajat ovat ... tyhmiä") */
	{ "Maahanmuuttajat ovat laiskoja ja tyhmiä.", TEXT_LANG_FI, -1, 1, 0, TEXT_ABUSE_INSULT, NONE },
	/* a contemptuous determiner before an insult, not aimed at the reader */
	{ "Tuollainen hölmö kirjoittaa tänne aina.", TEXT_LANG_FI, -1, 1, 0, TEXT_ABUSE_INSULT, NONE },
	/* spoken Finnish: a glued pronoun ("kirjoititsä" = kirjoitit sä) aims the insult */
	{ "Kirjoititsä tämän viestin idiootti", TEXT_LANG_FI, -1, 1, 1, TEXT_ABUSE_INSULT, NONE },
	{ "Valehtelitsä taas, huora", TEXT_LANG_FI, -1, 1, 1, TEXT_ABUSE_INSULT, NONE },
	/* imperatives that tell the reader off */
	{ "Painu hiiteen!", TEXT_LANG_FI, -1, 1, 1, TEXT_ABUSE_INSULT, NONE },
	{ "Suksi kuuseen koko firma", TEXT_LANG_FI, -1, 1, 1, TEXT_ABUSE_INSULT, NONE },
	{ "Shut your mouth", TEXT_LANG_EN, -1, 1, 1, TEXT_ABUSE_INSULT, NONE },
	{ "get lost", TEXT_LANG_EN, -1, 1, 1, TEXT_ABUSE_INSULT, NONE },
	/* "you are a/an <negative noun>" calls the reader something */
	{ "You are a disgrace.", TEXT_LANG_EN, -1, 1, 1, TEXT_ABUSE_INSULT, NONE },
	/* self-censored swearing is still swearing; markdown stars are not */
	{ "You're full of s***", TEXT_LANG_EN, -1, 1, ANY, TEXT_ABUSE_OBSCENITY, NONE },
	{ "what an a**hole", TEXT_LANG_EN, -1, 1, ANY, TEXT_ABUSE_OBSCENITY, NONE },
	{ "this is **bold** text", TEXT_LANG_EN, 1, 0, 0, NONE, TEXT_ABUSE_OBSCENITY },
	/* a customer telling of abuse they met is no name-calling of the reader (still rude where
	 * the word is kept); the writer denying they said it is no claim; their ordinary twins */
	{ "Teidän kuljettaja kutsui minua ääliöksi kun kysyin paketista.", TEXT_LANG_FI, ANY, ANY, 0, NONE,
	  TEXT_ABUSE_INSULT },
	{ "Teidän kuljettaja on ääliö.", TEXT_LANG_FI, ANY, 1, ANY, TEXT_ABUSE_INSULT, NONE },
	{ "One of your employees called my son a retard.", TEXT_LANG_EN, ANY, 1, 0, TEXT_ABUSE_TOXICITY,
	  TEXT_ABUSE_INSULT },
	{ "My neighbour keeps shouting 'stupid bitch' in the hallway.", TEXT_LANG_EN, ANY, ANY, 0, NONE,
	  TEXT_ABUSE_INSULT },
	{ "I called him an idiot.", TEXT_LANG_EN, ANY, 1, 0, TEXT_ABUSE_INSULT, NONE },
	{ "you are an idiot", TEXT_LANG_EN, ANY, 1, 1, TEXT_ABUSE_INSULT, NONE },
	{ "en sanonut että olet tyhmä", TEXT_LANG_FI, ANY, 0, 0, NONE, TEXT_ABUSE_INSULT },
	{ "hän sanoi että olet tyhmä", TEXT_LANG_FI, ANY, 1, 1, TEXT_ABUSE_INSULT, NONE },
	{ "I'm not saying you're stupid.", TEXT_LANG_EN, ANY, 0, 0, NONE, TEXT_ABUSE_INSULT },
	{ "I'm saying you're stupid.", TEXT_LANG_EN, ANY, 1, 1, TEXT_ABUSE_INSULT, NONE },
	/* denials of what the reader is, the insult a few words on; a mention of the word itself;
	 * a swear word that opens the sentence or intensifies praise; a street */
	{ "Et sinä oo tässä se idiootti, vaan järjestelmä.", TEXT_LANG_FI, ANY, 0, 0, NONE, TEXT_ABUSE_INSULT },
	{ "et ikinä vastaa senkin idiootti", TEXT_LANG_FI, ANY, 1, 1, TEXT_ABUSE_INSULT, NONE },
	{ "You're not the idiot here, the system is.", TEXT_LANG_EN, ANY, 0, 0, NONE, TEXT_ABUSE_INSULT },
	{ "I never said you were a scammer.", TEXT_LANG_EN, ANY, ANY, 0, NONE, TEXT_ABUSE_INSULT },
	{ "Someone keyed the word LOSER into my car in your car park.", TEXT_LANG_EN, ANY, ANY, 0, NONE,
	  TEXT_ABUSE_INSULT },
	{ "Shit, I forgot my account number, can you look me up by email?", TEXT_LANG_EN, ANY, ANY, 0, NONE,
	  TEXT_ABUSE_INSULT },
	{ "Your support team is fucking awesome, Jenny sorted it in minutes.", TEXT_LANG_EN, ANY, ANY, 0, NONE,
	  TEXT_ABUSE_INSULT },
	{ "Fuck you", TEXT_LANG_EN, ANY, 1, 1, TEXT_ABUSE_INSULT, NONE },
	{ "Please deliver to Cumming Street, your drivers keep mixing it up.", TEXT_LANG_EN, ANY, 0, 0, NONE, NONE },
	{ "We need an exterminator, the mice need to be killed.", TEXT_LANG_EN, ANY, 0, 0, NONE, TEXT_ABUSE_THREAT },
	{ "Let your sales rep know I'll slit his throat if he calls me again.", TEXT_LANG_EN, ANY, 1, ANY,
	  TEXT_ABUSE_THREAT, NONE },
	{ "Jos se myyjä tulee vielä lähelle niin puukotan sen.", TEXT_LANG_FI, ANY, 1, ANY, TEXT_ABUSE_THREAT, NONE },
	/* a slur quoted by a customer telling of it: masked (rude) but no attack by the writer */
	{ "Taksikuski huusi minulle 'vitun neekeri' ja ajoi pois. Haluan tehdä valituksen.", TEXT_LANG_FI, ANY, 1, 0,
	  TEXT_ABUSE_TOXICITY, TEXT_ABUSE_IDENTITY },
	{ "Vitun neekerit", TEXT_LANG_FI, ANY, 1, ANY, TEXT_ABUSE_IDENTITY, NONE },
	/* the writer calling themself names, the self after the word; a name that is a word */
	{ "Stupid me, I ordered the wrong size twice.", TEXT_LANG_EN, ANY, 0, 0, NONE, TEXT_ABUSE_INSULT },
	{ "Total dumbass move on my part, I paid the same bill twice.", TEXT_LANG_EN, ANY, 0, 0, NONE,
	  TEXT_ABUSE_INSULT },
	{ "Stupid you.", TEXT_LANG_EN, ANY, 1, 1, TEXT_ABUSE_INSULT, NONE },
	{ "Mikä dille minä oon, kirjoitin sähköpostin väärin.", TEXT_LANG_FI, ANY, 0, 0, NONE, TEXT_ABUSE_INSULT },
	{ "Hei, tässä Urpo Virtanen, soitin eilen kylpyhuoneremontista.", TEXT_LANG_FI, ANY, 0, 0, NONE,
	  TEXT_ABUSE_INSULT },
	{ "Olet urpo.", TEXT_LANG_FI, ANY, 1, 1, TEXT_ABUSE_INSULT, NONE },
	/* the writer's harm to a person named as the object (the reader's staff) is a threat */
	{ "Puukotan sen myyjän kun näen sen seuraavan kerran.", TEXT_LANG_FI, ANY, 1, ANY, TEXT_ABUSE_THREAT, NONE },
	{ "Hakkaan sen asentajan.", TEXT_LANG_FI, ANY, 1, ANY, TEXT_ABUSE_THREAT, NONE },
	{ "Tapan sen kärpäsen.", TEXT_LANG_FI, ANY, 0, ANY, NONE, TEXT_ABUSE_THREAT },
	{ "Tapoin sen myyjän pelissä.", TEXT_LANG_FI, ANY, 0, ANY, NONE, TEXT_ABUSE_THREAT },
	/* threats with no word of killing, spoken and spelled-down curses; ordinary twins */
	{ "I'm going to come down there and rip your head off.", TEXT_LANG_EN, ANY, 1, ANY, TEXT_ABUSE_THREAT, NONE },
	{ "Next time I see you you're getting your teeth knocked in.", TEXT_LANG_EN, ANY, 1, ANY, TEXT_ABUSE_THREAT,
	  NONE },
	{ "Something might happen to your parcel in the rain, so we pack it well.", TEXT_LANG_EN, ANY, 0, ANY, NONE,
	  TEXT_ABUSE_THREAT },
	{ "Kannattaa katsoa olan yli kun lähdet illalla töistä.", TEXT_LANG_FI, ANY, 1, ANY, TEXT_ABUSE_THREAT, NONE },
	{ "mä tiiän mis sä asut ja tuun käymää", TEXT_LANG_FI, ANY, 1, ANY, TEXT_ABUSE_THREAT, NONE },
	{ "Haista vitu", TEXT_LANG_FI, ANY, 1, ANY, NONE, NONE },
	{ "Go f yourself", TEXT_LANG_EN, ANY, 1, ANY, NONE, NONE },
	/* greetings, thanks, apologies, wishes */
	{ "Onneksi olkoon!", TEXT_LANG_FI, 1, 0, 0, NONE, NONE },
	{ "Kiitti!", TEXT_LANG_FI, 1, 0, 0, NONE, NONE },
	{ "Sori.", TEXT_LANG_FI, -1, 0, 0, NONE, NONE },
	{ "Hyvää syntymäpäivää!", TEXT_LANG_FI, 1, 0, 0, NONE, NONE },
	{ "", TEXT_LANG_AUTO, 0, 0, 0, NONE, NONE },
};

TEST(text_cases)
{
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct tcase *c = &cases[i];
		struct text_result r;
		int rc = run(c->text, c->lang, &r);
		if (rc != 0) {
			test_fail(__FILE__, __LINE__, "\"%s\": %s", c->text, text_strerror(rc));
			continue;
		}
		if (c->sent != ANY && r.sentiment_label != c->sent)
			test_fail(__FILE__, __LINE__, "\"%s\": sentiment %d (%.2f), expected %d", c->text,
				  r.sentiment_label, r.sentiment_score, c->sent);
		if (c->flagged != ANY && r.abuse_flagged != c->flagged)
			test_fail(__FILE__, __LINE__, "\"%s\": flagged %d, expected %d", c->text, r.abuse_flagged, c->flagged);
		if (c->aimed != ANY && r.aimed_at_reader != c->aimed)
			test_fail(__FILE__, __LINE__, "\"%s\": aimed %d, expected %d", c->text, r.aimed_at_reader, c->aimed);
		if (c->present != NONE && r.abuse[c->present] < TEXT_ABUSE_PRESENT)
			test_fail(__FILE__, __LINE__, "\"%s\": %s = %.2f, expected present", c->text,
				  text_abuse_cat_name((enum text_abuse_cat)c->present), r.abuse[c->present]);
		if (c->absent != NONE && r.abuse[c->absent] >= TEXT_ABUSE_PRESENT)
			test_fail(__FILE__, __LINE__, "\"%s\": %s = %.2f, expected absent", c->text,
				  text_abuse_cat_name((enum text_abuse_cat)c->absent), r.abuse[c->absent]);
		text_result_release(&r);
	}
}

TEST(text_lang_id)
{
	static const struct {
		const char *s;
		enum text_lang want;
	} v[] = {
		{ "Hei, tilasin eilen uuden puhelimen mutta se ei ole vielä tullut.", TEXT_LANG_FI },
		{ "Hello, I ordered a new phone yesterday but it has not arrived yet.", TEXT_LANG_EN },
		{ "Kiitos paljon avusta!", TEXT_LANG_FI },
		{ "Thanks a lot for the help!", TEXT_LANG_EN },
		{ "Bonjour, je voudrais annuler ma commande s'il vous plaît.", TEXT_LANG_OTHER },
	};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		struct text_result r;
		CHECK_INT(run(v[i].s, TEXT_LANG_AUTO, &r), 0);
		if (r.lang != v[i].want)
			test_fail(__FILE__, __LINE__, "\"%s\": lang %s, expected %s", v[i].s, text_lang_name(r.lang),
				  text_lang_name(v[i].want));
		CHECK(r.lang_conf >= 0 && r.lang_conf <= 1);
		text_result_release(&r);
	}
}

TEST(text_spans_and_mask)
{
	const char *s = "Sinä olet täysi idiootti!";
	struct text_result r;
	CHECK_INT(run(s, TEXT_LANG_FI, &r), 0);
	CHECK_INT(r.nspans, 1);
	if (r.nspans == 1) {
		CHECK_INT(r.spans[0].start, 18); /* "Sinä" has a 2-byte ä */
		CHECK_INT(r.spans[0].end, 26);
		CHECK_INT(r.spans[0].cat, TEXT_ABUSE_INSULT);
	}
	struct buf m = BUF_INIT(1024);
	CHECK_INT(text_mask(s, strlen(s), &r, &m), 0);
	CHECK_STR(m.ptr, "Sinä olet täysi ********!");
	buf_release(&m);
	text_result_release(&r);

	/* multibyte letters inside a span: one '*' per character */
	const char *s2 = "olet ääliö";
	CHECK_INT(run(s2, TEXT_LANG_FI, &r), 0);
	CHECK_INT(r.nspans, 1);
	struct buf m2 = BUF_INIT(1024);
	CHECK_INT(text_mask(s2, strlen(s2), &r, &m2), 0);
	CHECK_STR(m2.ptr, "olet *****");
	buf_release(&m2);
	text_result_release(&r);

	/* spaced-out evasion: the span covers the whole spelled word */
	const char *s3 = "olet i d i o o t t i ok";
	CHECK_INT(run(s3, TEXT_LANG_FI, &r), 0);
	CHECK_INT(r.nspans, 1);
	if (r.nspans == 1) {
		CHECK_INT(r.spans[0].start, 5);
		CHECK_INT(r.spans[0].end, 20);
	}
	text_result_release(&r);
}

/* Evasions past the normaliser's limits: a letter stretched a hundred times or more (plain or
 * dotted), and letters spelled out after an English article ("you are a d i c k"). The span
 * covers the whole stretched word, so masking hides it. */
TEST(text_long_stretches_and_spelled_after_article)
{
	char buf[1024];
	struct text_result r;
	/* "olet idi" + 150 x "o" + "tti" */
	int n = snprintf(buf, sizeof buf, "olet idi");
	for (int i = 0; i < 150; i++)
		buf[n++] = 'o';
	n += snprintf(buf + n, sizeof buf - (size_t)n, "tti ok");
	CHECK_INT(run(buf, TEXT_LANG_FI, &r), 0);
	CHECK(r.abuse[TEXT_ABUSE_INSULT] >= TEXT_ABUSE_PRESENT);
	CHECK_INT(r.nspans, 1);
	if (r.nspans == 1) {
		CHECK_INT(r.spans[0].start, 5);
		CHECK_INT(r.spans[0].end, n - 3);
	}
	text_result_release(&r);
	/* "olet i.i.i. ... i.d.i.o.o.t.t.i" with 120 dotted i's */
	n = snprintf(buf, sizeof buf, "olet ");
	for (int i = 0; i < 120; i++)
		n += snprintf(buf + n, sizeof buf - (size_t)n, "i.");
	n += snprintf(buf + n, sizeof buf - (size_t)n, "d.i.o.o.t.t.i");
	CHECK_INT(run(buf, TEXT_LANG_FI, &r), 0);
	CHECK(r.abuse[TEXT_ABUSE_INSULT] >= TEXT_ABUSE_PRESENT);
	text_result_release(&r);
	static const struct flag_case spelled[] = {
		{ "you are a d i c k", TEXT_LANG_EN, 1 },
		{ "you are such a m o r o n", TEXT_LANG_EN, 1 },
		{ "you are a i d i o t", TEXT_LANG_EN, 1 },
		{ "a s s h o l e", TEXT_LANG_EN, 1 },
		{ "I need a c a b to the airport", TEXT_LANG_EN, 0 },
	};
	check_flags(spelled, sizeof spelled / sizeof spelled[0], 0);
}

/* The speaker calling themself names, or denying it, is no abuse of the reader: "En ole
 * idiootti" (voikko reads the denied copula as the imperative "ole!"), "I'm an idiot, I typed
 * the wrong address"; the same words said of the reader are. A group word said of the
 * writer's own family is who they are, not an attack; a slur stays one. */
TEST(text_self_judgement_is_not_aimed)
{
	static const struct flag_case self[] = {
		{ "En ole idiootti.", TEXT_LANG_FI, 0 },
		{ "Enkä ole mikään idiootti!", TEXT_LANG_FI, 0 },
		{ "I'm an idiot, I entered the wrong address.", TEXT_LANG_EN, 0 },
		{ "Sorry, I'm stupid.", TEXT_LANG_EN, 0 },
		{ "Olet idiootti.", TEXT_LANG_FI, 1 },
		{ "I'm not stupid, you are.", TEXT_LANG_EN, 1 },
		/* the writer's own family, as the writer themself ("olen homo") */
		{ "Poikani on kehitysvammainen, onko teillä esteetön sisäänkäynti?", TEXT_LANG_FI, 0 },
		{ "Mun tytär on homo ja ihan onnellinen.", TEXT_LANG_FI, 0 },
		{ "My son is autistic, do you have quiet hours?", TEXT_LANG_EN, 0 },
		{ "Naapurini on neekeri.", TEXT_LANG_FI, 1 },
		{ "Meidän myyjä on homo.", TEXT_LANG_FI, 1 }, /* a salesman is no kin */
		{ "Asiakaspalvelijani on homo.", TEXT_LANG_FI, 1 },
	};
	check_flags(self, sizeof self / sizeof self[0], 0);
}

/* Unicode evasions: fullwidth letters, zero-width characters and a soft hyphen inside a word,
 * a stray combining accent; Finnish letters keep their dots and ring. */
TEST(text_unicode_evasions)
{
	static const struct flag_case ev[] = {
		{ "you are an \xef\xbd\x89\xef\xbd\x84\xef\xbd\x89\xef\xbd\x8f\xef\xbd\x94", TEXT_LANG_EN, 1 },
		{ "olet i\xe2\x80\x8b" "d\xe2\x80\x8b" "i\xe2\x80\x8b" "o\xe2\x80\x8b" "o\xe2\x80\x8b" "t\xe2\x80\x8b" "t\xe2\x80\x8b" "i",
		  TEXT_LANG_FI, 1 },
		{ "you are an idi\xc2\xad" "ot", TEXT_LANG_EN, 1 },
		{ "just kys", TEXT_LANG_EN, 1 }, /* "kill yourself" in one word */
		{ "Jos nettiä ei korjata, tiedän missä te asutte.", TEXT_LANG_FI, 1 },
		{ "People like you should be gassed.", TEXT_LANG_EN, 1 },
		{ "Imeppä munaa.", TEXT_LANG_FI, 1 }, /* the spoken doubled clitic (= imepä) */
		{ "Keep ignoring me and see what happens to you.", TEXT_LANG_EN, 1 },
		{ "I hope you choke on your lunch.", TEXT_LANG_EN, 1 },
		{ "Let's wait and see what happens.", TEXT_LANG_EN, 0 },
		{ "olet idiootti\xcc\x81", TEXT_LANG_FI, 1 },
		{ "olet idioott\xc3\xad", TEXT_LANG_FI, 1 },
		{ "Kiitos avusta, hyvää päivää!", TEXT_LANG_FI, 0 },
		/* Cyrillic and Greek letters that pass for Latin ones, inside a Latin word */
		{ "Olet idi\xd0\xbe\xd0\xbetti", TEXT_LANG_FI, 1 },       /* о о */
		{ "\xd1\x96" "diootti", TEXT_LANG_FI, 1 },                 /* і */
		{ "Olet idi\xce\xbf\xce\xbftti", TEXT_LANG_FI, 1 },       /* ο ο */
		{ "senkin huor\xd0\xb0", TEXT_LANG_FI, 1 },                /* а */
		{ "olet \xc4\xb1" "d\xc4\xb1" "ootti", TEXT_LANG_FI, 1 }, /* ı */
		{ "you are an \xd1\x96" "di\xd0\xbet", TEXT_LANG_EN, 1 },
		/* circled letters, and a diaeresis on a letter that has none in Finnish */
		{ "olet \xe2\x93\x98\xe2\x93\x93\xe2\x93\x98\xe2\x93\x9e\xe2\x93\x9e\xe2\x93\xa3\xe2\x93\xa3\xe2\x93\x98",
		  TEXT_LANG_FI, 1 },
		{ "olet idiootti\xcc\x88", TEXT_LANG_FI, 1 },
		/* Armenian and Cherokee look-alikes, Latin small capitals, parenthesized and squared
		 * letters, a slashed o, a direction mark and an invisible operator inside a word */
		{ "k\xd5\xbdsip\xc3\xa4\xc3\xa4", TEXT_LANG_FI, 1 },
		{ "\xea\xae\xaatupid id\xe1\x8e\xa5ot", TEXT_LANG_EN, 1 },
		{ "\xc9\xaa\xe1\xb4\x85\xc9\xaa\xe1\xb4\x8f\xe1\xb4\x9b", TEXT_LANG_EN, 1 },
		{ "\xe2\x92\xa4\xe2\x92\x9f\xe2\x92\xa4\xe2\x92\xaa\xe2\x92\xaa\xe2\x92\xaf\xe2\x92\xaf\xe2\x92\xa4",
		  TEXT_LANG_FI, 1 },
		{ "\xf0\x9f\x85\x82\xf0\x9f\x85\x83\xf0\x9f\x85\x84\xf0\x9f\x84\xbf\xf0\x9f\x84\xb8\xf0\x9f\x84\xb3",
		  TEXT_LANG_EN, 1 },
		{ "you idi\xc3\xb8t", TEXT_LANG_EN, 1 },
		{ "stu\xe2\x80\x8epid idiot", TEXT_LANG_EN, 1 },
		{ "olet i\xe2\x81\xa2" "diootti", TEXT_LANG_FI, 1 },
		{ "S\xc3\xb8ren Kierkegaard kirjoitti paljon.", TEXT_LANG_FI, 0 },
		/* a word wholly in Cyrillic is left as it is */
		{ "\xd0\xbe\xd0\xba, \xd1\x81\xd0\xbf\xd0\xb0\xd1\x81\xd0\xb8\xd0\xb1\xd0\xbe", TEXT_LANG_AUTO, 0 },
	};
	check_flags(ev, sizeof ev / sizeof ev[0], 0);
	char out[64];
	CHECK(text_normalize("huor\xd0\xb0", 6, out, sizeof out) > 0);
	CHECK_STR(out, "huora");
	CHECK(text_normalize("\xd0\xbe\xd0\xba", 4, out, sizeof out) > 0); /* "ок" stays */
	CHECK_STR(out, "\xd0\xbe\xd0\xba");
	CHECK(text_normalize("Citro\xc3\xabn", 8, out, sizeof out) > 0);
	CHECK_STR(out, "citroen");
	CHECK(text_normalize("M\xc3\xbcller", 7, out, sizeof out) > 0); /* ü stays */
	CHECK_STR(out, "m\xc3\xbcller");
	CHECK_INT(text_normalize("P\xc3\x84IV\xc3\x84", 7, out, sizeof out), 7);
	CHECK_STR(out, "p\xc3\xa4iv\xc3\xa4");
	CHECK(text_normalize("A\xcc\x88" "B", 4, out, sizeof out) > 0); /* "Ä" decomposed */
	CHECK_STR(out, "\xc3\xa4" "b");
	CHECK(text_normalize("Caf\xc3\xa9", 5, out, sizeof out) > 0);
	CHECK_STR(out, "cafe");
}

/* Finnish abuse inside an English text is still abuse; an English word or a name that looks
 * like a Finnish swear word is not. */
TEST(text_finnish_abuse_in_english_text)
{
	static const struct flag_case mixed[] = {
		{ "the service was paska and you are an ääliö", TEXT_LANG_AUTO, 1 },
		{ "you are an idiot and tosi paska palvelu", TEXT_LANG_AUTO, 1 },
		{ "I visited Perse last summer", TEXT_LANG_AUTO, 0 },
		{ "My name is Sika and I love pasta", TEXT_LANG_AUTO, 0 },
	};
	check_flags(mixed, sizeof mixed / sizeof mixed[0], 0);
	struct text_result r;
	CHECK_INT(run("the service was paska and you are an ääliö", TEXT_LANG_AUTO, &r), 0);
	CHECK_INT(r.lang, TEXT_LANG_EN);
	CHECK_INT(r.aimed_at_reader, 1);
	CHECK_INT(r.nspans, 2); /* "paska" and "ääliö" */
	text_result_release(&r);
}

/* A flagged text always has a span to mask, also when no single word carried the evidence
 * (several weak words, shouting, the tone of the whole). */
TEST(text_flagged_always_has_spans)
{
	static const struct { const char *text; enum text_lang lang; } flagged[] = {
		{ "Only Trump could get Liberals to scream bloody hell at open transparency.", TEXT_LANG_EN },
		{ "KUKAAN EI OLE HYÖKKÄÄMÄSSÄ VENÄJÄLLE!", TEXT_LANG_FI },
		{ "olet täysi idiootti", TEXT_LANG_FI },
	};
	for (size_t i = 0; i < sizeof flagged / sizeof flagged[0]; i++) {
		struct text_result r;
		CHECK_INT(run(flagged[i].text, flagged[i].lang, &r), 0);
		if (!r.abuse_flagged || r.nspans == 0)
			test_fail(__FILE__, __LINE__, "\"%s\": flagged %d with %zu spans", flagged[i].text, r.abuse_flagged,
				  r.nspans);
		for (size_t k = 0; k < r.nspans; k++)
			CHECK(r.spans[k].start < r.spans[k].end && r.spans[k].end <= strlen(flagged[i].text));
		text_result_release(&r);
	}
}

/* 1 if a span of r covers the first occurrence of word in text. */
static int span_covers(const struct text_result *r, const char *text, const char *word)
{
	const char *p = strstr(text, word);
	if (!p)
		return 0;
	size_t at = (size_t)(p - text);
	for (size_t k = 0; k < r->nspans; k++)
		if (r->spans[k].start <= at && at < r->spans[k].end)
			return 1;
	return 0;
}

/* Abuse someone else said, quoted or reported (text26): every abusive word is a span whoever
 * said it, so that masking hides it, with a swear word or an intensifier before it, in any
 * quotation marks, in Finnish and English; who is abused (aimed) is judged as before. Quoted
 * harmless words, product names and scare quotes get no span. */
TEST(text_quoted_abuse_masked)
{
	static const struct {
		const char *text;
		const char *words[4]; /* each must be inside a span */
		int aimed;            /* -1: either */
	} quoted[] = {
	    {"Customer wrote \"you are a fucking idiot\"", {"fucking", "idiot"}, -1},
	    {"Asiakas kirjoitti \"olet vitun idiootti\"", {"vitun", "idiootti"}, -1},
	    {"The caller yelled “you fucking moron” at our cashier.", {"fucking", "moron"}, -1},
	    {"Hän huusi ”senkin vitun ääliö” ja lähti.", {"vitun", "ääliö"}, -1},
	    {"The customer said: «you damn idiot, fix it».", {"damn", "idiot"}, 0},
	    {"Kuski huusi ikkunasta 'vitun tyhmä ämmä'.", {"vitun", "tyhmä", "ämmä"}, 0},
	    {"Asiakas kirjoitti: \"Olette vitun idiootteja. Pellejä kaikki.\"", {"vitun", "idiootteja", "Pellejä"}, -1},
	    {"Hän kutsui minua \"vitun luuseriksi\".", {"vitun", "luuseriksi"}, 0},
	    {"She said I was a fucking idiot.", {"fucking", "idiot"}, 0},
	    {"Hän sanoi, että olen vitun idiootti.", {"vitun", "idiootti"}, 0},
	    {"> you are a fucking idiot\nPlease keep the conversation civil.", {"fucking", "idiot"}, 1},
	    {"Poikani sanoi kiusaajalle \"mä tapan sut, vitun idiootti\"", {"tapan", "vitun", "idiootti"}, -1},
	    {"Naapuri sanoi mulle \"painu vittuun, senkin idiootti\"", {"painu", "idiootti"}, -1},
	    {"A man said \"I'll kill you, you fucking moron\" to our cashier.", {"kill", "fucking", "moron"}, -1},
	    /* a mild swear word before it keeps the span it had */
	    {"She called me a \"bloody idiot\" in front of everyone.", {"bloody", "idiot"}, 0},
	    {"Customer wrote \"you are an idiot\"", {"idiot"}, 0},
	};
	for (size_t i = 0; i < sizeof quoted / sizeof quoted[0]; i++) {
		struct text_result r;
		CHECK_INT(run(quoted[i].text, TEXT_LANG_AUTO, &r), 0);
		for (size_t w = 0; w < 4 && quoted[i].words[w]; w++)
			if (!span_covers(&r, quoted[i].text, quoted[i].words[w]))
				test_fail(__FILE__, __LINE__, "\"%s\": \"%s\" is in no span", quoted[i].text,
				          quoted[i].words[w]);
		if (!r.abuse_flagged)
			test_fail(__FILE__, __LINE__, "\"%s\": not flagged", quoted[i].text);
		if (quoted[i].aimed >= 0 && r.aimed_at_reader != quoted[i].aimed)
			test_fail(__FILE__, __LINE__, "\"%s\": aimed %d", quoted[i].text, r.aimed_at_reader);
		text_result_release(&r);
	}
	static const char *const clean[] = {
	    "Your \"expert\" told me to restart the router.",
	    "The setup is supposed to be \"idiot-proof\" but it isn't.",
	    "I ordered the \"Deluxe\" package and got the basic one.",
	    "Asiakas kirjoitti \"kiitos nopeasta palvelusta\".",
	    "Tilasin \"Premium\"-paketin mutta sain perusversion.",
	    "Se \"nopea toimitus\" kesti kolme viikkoa.",
	    "He said I was right about the refund.",
	    "Hän sanoi, että olen ollut tosi kärsivällinen.",
	    "> Thanks for the quick fix!\nYou're welcome, glad it works.",
	};
	for (size_t i = 0; i < sizeof clean / sizeof clean[0]; i++) {
		struct text_result r;
		CHECK_INT(run(clean[i], TEXT_LANG_AUTO, &r), 0);
		if (r.abuse_flagged || r.nspans)
			test_fail(__FILE__, __LINE__, "\"%s\": flagged %d with %zu spans", clean[i], r.abuse_flagged,
			          r.nspans);
		text_result_release(&r);
	}
}

/* A score just under the threshold is not shown rounded onto it ("0.500" with flagged false). */
TEST(text_abuse_score_shown_keeps_its_side)
{
	char b[16];
	snprintf(b, sizeof b, "%.3f", text_abuse_score_shown(0.49962));
	CHECK_STR(b, "0.499");
	snprintf(b, sizeof b, "%.3f", text_abuse_score_shown(0.5));
	CHECK_STR(b, "0.500");
	snprintf(b, sizeof b, "%.3f", text_abuse_score_shown(0.4994));
	CHECK_STR(b, "0.499");
	snprintf(b, sizeof b, "%.3f", text_abuse_score_shown(0.87));
	CHECK_STR(b, "0.870");
}

TEST(text_json_shape)
{
	struct text_result r;
	CHECK_INT(run("you are an idiot", TEXT_LANG_EN, &r), 0);
	struct buf b = BUF_INIT(4096);
	CHECK_INT(text_result_to_json(&r, &b), 0);
	CHECK(strstr(b.ptr, "\"lang\":\"en\"") != NULL);
	CHECK(strstr(b.ptr, "\"label\":\"negative\"") != NULL);
	CHECK(strstr(b.ptr, "\"flagged\":true") != NULL);
	CHECK(strstr(b.ptr, "\"aimed_at_reader\":true") != NULL);
	CHECK(strstr(b.ptr, "\"severe\":false") != NULL);
	CHECK(strstr(b.ptr, "\"spans\":[{\"start\":11,\"end\":16,\"category\":\"insult\"}]") != NULL);
	CHECK(strstr(b.ptr, "\"topics\":[") != NULL);
	buf_release(&b);
	/* a cap that is too small fails cleanly */
	struct buf small = BUF_INIT(16);
	CHECK_INT(text_result_to_json(&r, &small), -1);
	buf_release(&small);
	text_result_release(&r);
}

TEST(text_invalid_input)
{
	struct text_result r;
	CHECK_INT(run("abc\xff", TEXT_LANG_AUTO, &r), TEXT_EUTF8);
	CHECK_INT(r.nspans, 0);
	text_result_release(&r);
	CHECK_INT(run("\xc3\x28", TEXT_LANG_AUTO, &r), TEXT_EUTF8);      /* bad continuation */
	CHECK_INT(run("\xe0\x80\xaf", TEXT_LANG_AUTO, &r), TEXT_EUTF8);  /* overlong */
	CHECK_INT(run("\xed\xa0\x80", TEXT_LANG_AUTO, &r), TEXT_EUTF8);  /* surrogate */
	CHECK_INT(run("\xf0\x9f\x98", TEXT_LANG_AUTO, &r), TEXT_EUTF8);  /* truncated */
	CHECK(text_utf8_valid("hyvää päivää 😊", strlen("hyvää päivää 😊")));
	char *big = malloc(TEXT_MAX_INPUT + 2);
	memset(big, 'a', TEXT_MAX_INPUT + 1);
	big[TEXT_MAX_INPUT + 1] = 0;
	CHECK_INT(run(big, TEXT_LANG_AUTO, &r), TEXT_ETOOLONG);
	free(big);
	/* embedded NUL is just a byte */
	CHECK_INT(text_analyze(ta(), "a\0b", 3, TEXT_LANG_AUTO, &r), 0);
	text_result_release(&r);
	/* prefix cut on a code point boundary */
	CHECK_INT(text_utf8_prefix("aä", 3, 2), 1);
	CHECK_STR(text_strerror(TEXT_EUTF8), "input is not valid UTF-8");
}

TEST(text_tokens_kept_intact)
{
	/* URLs and e-mail addresses do not produce words (no abuse from "shit" in a URL) */
	struct text_result r;
	CHECK_INT(run("see https://example.com/shit-list or mail idiot@example.com", TEXT_LANG_EN, &r), 0);
	CHECK_INT(r.abuse_flagged, 0);
	text_result_release(&r);
	/* hyphenated Finnish compound stays one word; its lemma is a topic */
	CHECK_INT(run("EU-maiden laskutus on rikki", TEXT_LANG_FI, &r), 0);
	CHECK_INT(r.abuse_flagged, 0);
	text_result_release(&r);
	/* compound with an obscene part */
	CHECK_INT(run("tämä paskafirma ei vastaa", TEXT_LANG_FI, &r), 0);
	CHECK(r.abuse[TEXT_ABUSE_OBSCENITY] >= 0.5);
	text_result_release(&r);
	/* a code with digits is no topic: read as letters it made "t-sbgt" of an order number */
	CHECK_INT(run("Tilaus T-588867 ei ole vieläkään tullut", TEXT_LANG_FI, &r), 0);
	CHECK(r.ntopics >= 1);
	for (size_t i = 0; i < r.ntopics; i++)
		CHECK(strpbrk(r.topics[i], "0123456789") == NULL && strstr(r.topics[i], "sbgt") == NULL);
	text_result_release(&r);
}

/* text_normalize() skips utf8proc for ASCII and Latin-1 letters: its fast path must give what
 * the utf8proc path gives (NFKC, casefold, marks other than the diaeresis and ring dropped) for
 * every such letter, upper and lower, in a word. The utf8proc path is forced by a zero-width
 * space, which it drops. */
TEST(text_normalize_fast_path_matches_utf8proc)
{
	for (int32_t cp = 0x80; cp <= 0x17F; cp++) {
		char in[16], slow[24], out[64], ref[64];
		size_t n = 0;
		in[n++] = 'K';
		n += (size_t)utf8proc_encode_char(cp, (utf8proc_uint8_t *)in + n);
		in[n++] = 'X';
		in[n] = 0;
		memcpy(slow, in, n);
		memcpy(slow + n, "\xe2\x80\x8b", 3);
		int rn = text_normalize(slow, n + 3, ref, sizeof ref);
		CHECK(rn > 0);
		int k = text_normalize(in, n, out, sizeof out);
		/* the slow path maps apostrophe-like marks and drops emoji selectors: none here but "´" */
		if (cp != 0xB4) {
			CHECK_INT(k, rn);
			CHECK(rn > 0 && k == rn && memcmp(out, ref, (size_t)rn) == 0);
		} else {
			CHECK(k == 3 && !memcmp(out, "k'x", 3));
		}
	}
	char out[32];
	CHECK_INT(text_normalize("ÄÖÅ Straße", strlen("ÄÖÅ Straße"), out, sizeof out), (int)strlen("äöå strasse"));
	CHECK(!strcmp(out, "äöå strasse"));
}

TEST(text_cache_hits)
{
	struct text_result r;
	text_analyzer_cache_clear(ta());
	CHECK_INT(run("idiootti idiootti idiootti", TEXT_LANG_FI, &r), 0);
	text_result_release(&r);
	size_t n;
	uint64_t hits, misses;
	text_analyzer_cache_stats(ta(), &n, &hits, &misses);
	CHECK_INT(misses, 1);
	CHECK_INT(hits, 2);
}

TEST(text_topics_rank)
{
	struct text_topics *t = text_topics_new();
	CHECK(t != NULL);
	const char *neg[] = { "Lasku oli väärin ja laskutus ei vastaa", "Lasku on taas väärä, huono palvelu",
			      "Toimitus myöhässä ja lasku väärin", "Laskussa virhe, olen pettynyt" };
	const char *all[] = { "Toimitus tuli ajallaan, kiitos", "Kiitos nopeasta toimituksesta",
			      "Hyvä palvelu ja nopea toimitus" };
	for (int rep = 0; rep < 3; rep++) {
		for (size_t i = 0; i < 4; i++) {
			struct text_result r;
			CHECK_INT(run(neg[i], TEXT_LANG_FI, &r), 0);
			CHECK_INT(text_topics_add(t, &r), 0);
			text_result_release(&r);
		}
		for (size_t i = 0; i < 3; i++) {
			struct text_result r;
			CHECK_INT(run(all[i], TEXT_LANG_FI, &r), 0);
			CHECK_INT(text_topics_add(t, &r), 0);
			text_result_release(&r);
		}
	}
	struct text_topic top[3];
	size_t n = text_topics_top(t, 3, 2, top);
	CHECK(n >= 1);
	if (n >= 1)
		CHECK_STR(top[0].term, "lasku");
	text_topics_free(t);

	/* phrases of two adjacent content lemmas are topics too, after the words, each once */
	struct text_result r;
	CHECK_INT(run("Tilaus tuli myöhässä ja tilauksen peruutus ei onnistunut. Tilauksen peruutus!", TEXT_LANG_FI,
		      &r),
		  0);
	int phrase = 0, words = 0;
	for (size_t i = 0; i < r.ntopics; i++) {
		phrase += !strcmp(r.topics[i], "tilaus peruutus");
		words += !strcmp(r.topics[i], "tilaus");
	}
	CHECK_INT(phrase, 1);
	CHECK_INT(words, 1);
	text_result_release(&r);
	/* a phrase that complaints share ranks above its words, which also occur in praise */
	t = text_topics_new();
	const char *neg_en[] = { "My credit card was charged twice.", "They charged my credit card again.",
				 "The credit card payment failed three times.", "Refund my credit card now." };
	const char *all_en[] = { "Thanks, the card arrived today.", "You can pay by card or invoice.",
				 "We got store credit, thanks!", "The birthday card was lovely." };
	for (int rep = 0; rep < 3; rep++)
		for (size_t i = 0; i < 4; i++) {
			CHECK_INT(run(neg_en[i], TEXT_LANG_EN, &r), 0);
			CHECK_INT(text_topics_add(t, &r), 0);
			text_result_release(&r);
			CHECK_INT(run(all_en[i], TEXT_LANG_EN, &r), 0);
			CHECK_INT(text_topics_add(t, &r), 0);
			text_result_release(&r);
		}
	n = text_topics_top(t, 3, 2, top);
	CHECK(n >= 1);
	if (n >= 1)
		CHECK_STR(top[0].term, "credit card");
	text_topics_free(t);
}

/* 1 if result r lists topic term */
static int has_topic(const struct text_result *r, const char *term)
{
	for (size_t i = 0; i < r->ntopics; i++)
		if (!strcmp(r->topics[i], term))
			return 1;
	return 0;
}

/* What a text is about (a blind evaluation of complaint topics, 2026-12-07): the names and
 * formulas of a letter are no topic and no feeling, problem nouns stay topics though they
 * carry a negative valence, plurals and "-minen" nouns are one topic with their base. */
TEST(text_topics_words)
{
	struct text_result r;
	CHECK_INT(run("Hei Sari, kirjautuminen sovellukseen ei onnistu. Kirjautumisessa tulee virhe. Terveisin "
	              "Matti Virtanen",
	              TEXT_LANG_FI, &r),
	          0);
	CHECK(has_topic(&r, "kirjautuminen") && has_topic(&r, "sovellus") && has_topic(&r, "virhe"));
	CHECK(!has_topic(&r, "sari") && !has_topic(&r, "matti") && !has_topic(&r, "virtanen") &&
	      !has_topic(&r, "terveisin"));
	text_result_release(&r);
	/* a mild problem noun is a topic, a feeling is not; frozen case forms are no nouns */
	CHECK_INT(run("Toimitusviive on kohtuuton ja tuplaveloitus harmittaa. Kiitos etukäteen!", TEXT_LANG_FI, &r), 0);
	CHECK(has_topic(&r, "toimitusviive") && has_topic(&r, "tuplaveloitus"));
	CHECK(!has_topic(&r, "etukäsi") && !has_topic(&r, "kiitos"));
	text_result_release(&r);
	CHECK_INT(run("Laskussa oli virhe, maksaa pitäisi ilman viivästyskorkoa", TEXT_LANG_FI, &r), 0);
	CHECK(has_topic(&r, "lasku") && !has_topic(&r, "maksa") && !has_topic(&r, "ilma"));
	text_result_release(&r);
	/* a negative adjective before a topic noun opens a phrase, never a topic alone */
	CHECK_INT(run("Töykeä kuljettaja huusi minulle.", TEXT_LANG_FI, &r), 0);
	CHECK(has_topic(&r, "töykeä kuljettaja") && has_topic(&r, "kuljettaja") && !has_topic(&r, "töykeä"));
	text_result_release(&r);
	/* English: plurals are one topic with the singular; names, greetings, sign-offs, time
	 * words and verbs are none; problem words with a valence are */
	CHECK_INT(run("Good morning, my deliveries and the buses were delayed again last Tuesday. I contacted Mike "
	              "twice. Kind regards, Sarah Johnson",
	              TEXT_LANG_EN, &r),
	          0);
	CHECK(has_topic(&r, "delivery") && has_topic(&r, "bus") && has_topic(&r, "delayed"));
	CHECK(!has_topic(&r, "deliveries") && !has_topic(&r, "buse") && !has_topic(&r, "morning") &&
	      !has_topic(&r, "tuesday") && !has_topic(&r, "mike") && !has_topic(&r, "sarah") &&
	      !has_topic(&r, "regards"));
	CHECK(!has_topic(&r, "news"));
	text_result_release(&r);
	CHECK_INT(run("The news about the analysis was bad, the series of lens faults too.", TEXT_LANG_EN, &r), 0);
	CHECK(has_topic(&r, "news") && has_topic(&r, "analysis") && has_topic(&r, "series") && has_topic(&r, "lens"));
	text_result_release(&r);
	/* a noun that is also a participle reading stays a noun; the state "kunnossa" is none */
	CHECK_INT(run("Minun liittymä ei toimi, vaikka kaikki on kunnossa.", TEXT_LANG_FI, &r), 0);
	CHECK(has_topic(&r, "liittymä") && !has_topic(&r, "kunto"));
	text_result_release(&r);
	/* capitalised words that are no name: a shouted closing, a greeting with no name */
	CHECK_INT(run("I HAVE WAITED THREE WEEKS FOR MY REFUND. THANKS, YOUR SERVICE IS TERRIBLE", TEXT_LANG_EN, &r),
	          0);
	CHECK(has_topic(&r, "service") && has_topic(&r, "refund"));
	text_result_release(&r);
	CHECK_INT(run("Hei Tilaukseni Ei Ole Tullut vieläkään", TEXT_LANG_FI, &r), 0);
	CHECK(has_topic(&r, "tilaus"));
	text_result_release(&r);
	/* in a complaint, the nouns of its praise are no complaint */
	CHECK_INT(run("The nurse was nice. But the invoice was wrong again and nobody answers my calls, I am very "
	              "disappointed and angry.",
	              TEXT_LANG_EN, &r),
	          0);
	CHECK_INT(r.sentiment_label, TEXT_SENT_NEGATIVE);
	CHECK(has_topic(&r, "invoice") && !has_topic(&r, "nurse"));
	text_result_release(&r);
	/* nouns standing as adpositions or quantities are no topic */
	CHECK_INT(run("Paketti meni läpi vasta puolen vuoden päästä, ja kaupan vieressä virhe toistuu viikon välein.",
	              TEXT_LANG_FI, &r),
	          0);
	CHECK(has_topic(&r, "paketti") && has_topic(&r, "kauppa") && has_topic(&r, "virhe"));
	CHECK(!has_topic(&r, "läpi") && !has_topic(&r, "puoli") && !has_topic(&r, "vieri") && !has_topic(&r, "väli") &&
	      !has_topic(&r, "kauppa vieri"));
	text_result_release(&r);
}

/* A letter's greeting and closing carry no sentiment: a polite complaint is no praise. A
 * whole message of thanks keeps its own ("Kiitos, Brock." is thanks). */
TEST(text_formulas_carry_no_sentiment)
{
	struct text_result r;
	CHECK_INT(
	    run("Hyvä asiakaspalvelu, laskussani on virhe. Ystävällisin terveisin Anna Korhonen", TEXT_LANG_FI, &r), 0);
	CHECK(r.sentiment_label != TEXT_SENT_POSITIVE);
	text_result_release(&r);
	CHECK_INT(run("Good morning, what are your opening hours on Sunday?", TEXT_LANG_EN, &r), 0);
	CHECK_INT(r.sentiment_label, TEXT_SENT_NEUTRAL);
	text_result_release(&r);
	CHECK_INT(run("My parcel never arrived. Thanks in advance, Best regards, Laura", TEXT_LANG_EN, &r), 0);
	CHECK_INT(r.sentiment_label, TEXT_SENT_NEGATIVE);
	text_result_release(&r);
	/* "Regards, Furious Customer" signs with no name: the anger counts */
	struct text_result lower;
	CHECK_INT(run("The parcel never came again. Regards, Furious Customer", TEXT_LANG_EN, &r), 0);
	CHECK_INT(run("The parcel never came again. regards, furious customer", TEXT_LANG_EN, &lower), 0);
	CHECK(r.sentiment_score <= lower.sentiment_score + 1e-9);
	text_result_release(&lower);
	text_result_release(&r);
	CHECK_INT(run("Kiitos, Brock.", TEXT_LANG_FI, &r), 0);
	CHECK_INT(r.sentiment_label, TEXT_SENT_POSITIVE);
	text_result_release(&r);
	CHECK_INT(run("Hyvä palvelu, nopea toimitus.", TEXT_LANG_FI, &r), 0);
	CHECK_INT(r.sentiment_label, TEXT_SENT_POSITIVE);
	text_result_release(&r);
}

/* The ranking lists only terms over-represented in negative texts; a word seen only inside
 * one phrase gives way to it; a sample of complaints only is ranked by count. */
TEST(text_topics_rank_only_over_represented)
{
	struct text_topics *t = text_topics_new();
	const char *neg[] = {"The invoice was wrong.", "Wrong invoice again, the parcel was fine.",
	                     "My invoice is wrong.", "Parcel came late."};
	const char *ok[] = {"The parcel came on time, thanks!", "Lovely parcel, thanks.", "Great parcel service.",
	                    "The parcel was well packed, thank you."};
	struct text_result r;
	for (size_t i = 0; i < 4; i++) {
		CHECK_INT(run(neg[i], TEXT_LANG_EN, &r), 0);
		CHECK_INT(text_topics_add(t, &r), 0);
		text_result_release(&r);
		CHECK_INT(run(ok[i], TEXT_LANG_EN, &r), 0);
		CHECK_INT(text_topics_add(t, &r), 0);
		text_result_release(&r);
	}
	struct text_topic top[10];
	size_t n = text_topics_top(t, 10, 1, top);
	CHECK(n >= 1);
	int invoice = 0;
	for (size_t i = 0; i < n; i++) {
		CHECK(top[i].score > 0);
		CHECK(strcmp(top[i].term, "parcel") != 0); /* named in more praise than complaints */
		invoice |= !strcmp(top[i].term, "invoice");
	}
	CHECK(invoice);
	text_topics_free(t);

	t = text_topics_new();
	for (int rep = 0; rep < 3; rep++) {
		CHECK_INT(run("Switching provider is what I consider now.", TEXT_LANG_EN, &r), 0);
		CHECK_INT(text_topics_add(t, &r), 0);
		text_result_release(&r);
		CHECK_INT(run("The invoice was wrong and the invoice is late.", TEXT_LANG_EN, &r), 0);
		CHECK_INT(text_topics_add(t, &r), 0);
		text_result_release(&r);
	}
	n = text_topics_top(t, 10, 2, top);
	int phrase = 0, word = 0;
	for (size_t i = 0; i < n; i++) {
		phrase |= !strcmp(top[i].term, "switching provider");
		word |= !strcmp(top[i].term, "provider") || !strcmp(top[i].term, "switching");
		CHECK(top[i].score > 0); /* all negative: ranked by count */
	}
	CHECK(phrase && !word);
	text_topics_free(t);
}

TEST(text_model_learns_and_roundtrips)
{
	struct text_model *m = text_model_new();
	CHECK(m != NULL);
	const char *s = "tämä on ihan ok juttu";
	for (int i = 0; i < 30; i++)
		CHECK_INT(text_model_train(m, ta(), TEXT_TASK_SENTIMENT, s, strlen(s), TEXT_LANG_FI, -1), 0);
	CHECK_INT(text_model_train(m, ta(), TEXT_TASK_ABUSE, s, strlen(s), TEXT_LANG_FI, 5), TEXT_EINVAL);
	CHECK_INT(text_model_examples(m, TEXT_TASK_SENTIMENT), 30);
	struct text_result r;
	text_analyzer_set_model(ta(), m);
	CHECK_INT(run(s, TEXT_LANG_FI, &r), 0);
	CHECK_INT(r.sentiment_label, -1);
	CHECK_INT(r.model_applied, 1);
	text_result_release(&r);
	text_analyzer_set_model(ta(), NULL);

	struct buf b = BUF_INIT(64u * 1024 * 1024);
	CHECK_INT(text_model_save(m, &b), 0);
	int st = 1;
	struct text_model *m2 = text_model_load(b.ptr, b.len, &st);
	CHECK(m2 != NULL);
	CHECK_INT(st, 0);
	if (m2) {
		CHECK_INT(text_model_examples(m2, TEXT_TASK_SENTIMENT), 30);
		text_analyzer_set_model(ta(), m2);
		CHECK_INT(run(s, TEXT_LANG_FI, &r), 0);
		CHECK_INT(r.sentiment_label, -1);
		text_result_release(&r);
		text_analyzer_set_model(ta(), NULL);
	}
	CHECK(text_model_load(b.ptr, b.len - 1, &st) == NULL);
	CHECK_INT(st, TEXT_EINVAL);
	buf_release(&b);
	text_model_free(m2);
	text_model_free(m);
}

/* The sentiment label the analyzer gives s with model m (NULL: lexicon only); -9 on error. */
static int label_with(struct text_model *m, const char *s, int *applied)
{
	struct text_result r;
	text_analyzer_set_model(ta(), m);
	int rc = run(s, TEXT_LANG_FI, &r);
	text_analyzer_set_model(ta(), NULL);
	if (rc)
		return -9;
	if (applied)
		*applied = r.model_applied;
	int l = r.sentiment_label;
	text_result_release(&r);
	return l;
}

TEST(text_model_average_resists_one_contradiction)
{
	/* predictions use the weights averaged over all steps: one late correction the other way
	 * (a mistaken click) must not undo thirty consistent ones */
	struct text_model *m = text_model_new();
	CHECK(m != NULL);
	const char *s = "tämä on ihan ok juttu";
	for (int i = 0; i < 30; i++)
		CHECK_INT(text_model_train(m, ta(), TEXT_TASK_SENTIMENT, s, strlen(s), TEXT_LANG_FI, -1), 0);
	CHECK_INT(label_with(m, s, NULL), -1);
	CHECK_INT(text_model_train(m, ta(), TEXT_TASK_SENTIMENT, s, strlen(s), TEXT_LANG_FI, 1), 0);
	CHECK_INT(label_with(m, s, NULL), -1);
	text_model_free(m);
}

TEST(text_model_gate_stays_closed_while_lexicon_is_right)
{
	/* corrections that only confirm the lexicon never show the model doing better, so the
	 * learned layer stays off (model_applied 0) and the lexicon result stands */
	struct text_model *m = text_model_new();
	CHECK(m != NULL);
	const char *s = "tämä on ihan ok juttu";
	int lex = label_with(NULL, s, NULL), applied = -1;
	CHECK(lex >= -1 && lex <= 1);
	for (int i = 0; i < 20; i++)
		CHECK_INT(text_model_train(m, ta(), TEXT_TASK_SENTIMENT, s, strlen(s), TEXT_LANG_FI, lex), 0);
	CHECK_INT(label_with(m, s, &applied), lex);
	CHECK_INT(applied, 0);
	/* corrections the lexicon gets wrong open it */
	int other = lex == -1 ? 1 : -1;
	for (int i = 0; i < 40; i++)
		CHECK_INT(text_model_train(m, ta(), TEXT_TASK_SENTIMENT, s, strlen(s), TEXT_LANG_FI, other), 0);
	CHECK_INT(label_with(m, s, &applied), other);
	CHECK_INT(applied, 1);
	text_model_free(m);
}

TEST(text_model_save_load_continues_training_identically)
{
	/* version 2 keeps everything training needs (average sums, AdaGrad sums, counters): a
	 * loaded model trained one more step saves the same bytes as the original would */
	struct text_model *m = text_model_new();
	CHECK(m != NULL);
	const char *a = "tämä on ihan ok juttu", *b = "you are a complete idiot";
	for (int i = 0; i < 5; i++) {
		CHECK_INT(text_model_train(m, ta(), TEXT_TASK_SENTIMENT, a, strlen(a), TEXT_LANG_FI, -1), 0);
		CHECK_INT(text_model_train(m, ta(), TEXT_TASK_ABUSE, b, strlen(b), TEXT_LANG_EN, 0), 0);
	}
	struct buf b1 = BUF_INIT(64u * 1024 * 1024), b2 = BUF_INIT(64u * 1024 * 1024);
	CHECK_INT(text_model_save(m, &b1), 0);
	CHECK(b1.len > 12 && b1.ptr[4] == 2); /* version 2 */
	int st = 1;
	struct text_model *m2 = text_model_load(b1.ptr, b1.len, &st);
	CHECK(m2 != NULL);
	if (m2) {
		CHECK_INT(text_model_examples(m2, TEXT_TASK_ABUSE), 5);
		CHECK_INT(text_model_train(m, ta(), TEXT_TASK_ABUSE, b, strlen(b), TEXT_LANG_EN, 1), 0);
		CHECK_INT(text_model_train(m2, ta(), TEXT_TASK_ABUSE, b, strlen(b), TEXT_LANG_EN, 1), 0);
		b1.len = 0;
		CHECK_INT(text_model_save(m, &b1), 0);
		CHECK_INT(text_model_save(m2, &b2), 0);
		CHECK_INT(b1.len, b2.len);
		CHECK(b1.len == b2.len && memcmp(b1.ptr, b2.ptr, b1.len) == 0);
	}
	/* an unknown version is rejected */
	b1.ptr[4] = 3;
	CHECK(text_model_load(b1.ptr, b1.len, &st) == NULL);
	CHECK_INT(st, TEXT_EINVAL);
	buf_release(&b1);
	buf_release(&b2);
	text_model_free(m2);
	text_model_free(m);
}

TEST(text_model_loads_version_1)
{
	/* a version-1 blob (plain weights, as saved before averaging) loads with its weights as
	 * they were; its gate starts closed (no hit counts), so it applies nothing until new
	 * corrections show it beats the lexicon. Built by hand: one heavy negative bias. */
	const size_t md = (size_t)1 << 18, nd = 12;
	size_t len = 12 + 16 + 4 * (3 * nd + nd + 3 * md + md);
	unsigned char *v1 = calloc(1, len);
	CHECK(v1 != NULL);
	if (!v1)
		return;
	memcpy(v1, "KPTM", 4);
	v1[4] = 1;
	v1[8] = 18;
	v1[12] = 7; /* sentiment examples */
	float big = 50.0f; /* sentiment dense[class 0 = negative][0 = bias] */
	memcpy(v1 + 28, &big, 4);
	int st = 1;
	struct text_model *m = text_model_load(v1, len, &st);
	CHECK(m != NULL);
	CHECK_INT(st, 0);
	if (m) {
		CHECK_INT(text_model_examples(m, TEXT_TASK_SENTIMENT), 7);
		const char *s = "tämä on ihan ok juttu";
		int applied = -1, lex = label_with(NULL, s, NULL);
		CHECK_INT(label_with(m, s, &applied), lex);
		CHECK_INT(applied, 0);
		/* one correction the lexicon gets wrong and the loaded weights get right opens it */
		if (lex != -1) {
			CHECK_INT(text_model_train(m, ta(), TEXT_TASK_SENTIMENT, s, strlen(s), TEXT_LANG_FI, -1), 0);
			CHECK_INT(label_with(m, "aivan tavallinen päivä", &applied), -1);
			CHECK_INT(applied, 1);
		}
	}
	CHECK(text_model_load(v1, len - 4, &st) == NULL); /* truncated */
	CHECK_INT(st, TEXT_EINVAL);
	text_model_free(m);
	free(v1);
}

static int has_issue(const struct text_tone_report *rep, enum text_tone_code code)
{
	for (size_t i = 0; i < rep->nissues; i++)
		if (rep->issues[i].code == code)
			return 1;
	return 0;
}

TEST(text_tone_check)
{
	struct text_tone_report rep;
	const char *s1 = "Sinun olisi pitänyt lukea ohjeet.";
	CHECK_INT(text_tone_check(ta(), s1, strlen(s1), TEXT_LANG_AUTO, 0, &rep), 0);
	CHECK(has_issue(&rep, TEXT_TONE_BLAMING));
	const char *s2 = "You should have read the manual.";
	CHECK_INT(text_tone_check(ta(), s2, strlen(s2), TEXT_LANG_AUTO, 0, &rep), 0);
	CHECK(has_issue(&rep, TEXT_TONE_BLAMING));
	const char *s3 = "No onneksi olkoon, taas meni pieleen.";
	CHECK_INT(text_tone_check(ta(), s3, strlen(s3), TEXT_LANG_AUTO, 0, &rep), 0);
	CHECK(has_issue(&rep, TEXT_TONE_SARCASTIC));
	const char *s4 = "Great job... you broke it again.";
	CHECK_INT(text_tone_check(ta(), s4, strlen(s4), TEXT_LANG_AUTO, 0, &rep), 0);
	CHECK(has_issue(&rep, TEXT_TONE_SARCASTIC));
	const char *s5 = "Tilauksesi on nyt korjattu.";
	CHECK_INT(text_tone_check(ta(), s5, strlen(s5), TEXT_LANG_AUTO, TEXT_TONE_REPLY_TO_COMPLAINT, &rep), 0);
	CHECK(has_issue(&rep, TEXT_TONE_MISSING_THANKS));
	const char *s6 = "Pahoittelemme viivästystä, tilauksesi on nyt korjattu. Kiitos kärsivällisyydestä!";
	CHECK_INT(text_tone_check(ta(), s6, strlen(s6), TEXT_LANG_AUTO, TEXT_TONE_REPLY_TO_COMPLAINT, &rep), 0);
	CHECK_INT(rep.nissues, 0);
	const char *s7 = "Olet idiootti.";
	CHECK_INT(text_tone_check(ta(), s7, strlen(s7), TEXT_LANG_AUTO, 0, &rep), 0);
	CHECK(has_issue(&rep, TEXT_TONE_ABUSE));
	CHECK(has_issue(&rep, TEXT_TONE_HARSH));
	struct buf b = BUF_INIT(4096);
	CHECK_INT(text_tone_report_to_json(&rep, &b), 0);
	CHECK(strstr(b.ptr, "\"code\":\"abuse\"") != NULL);
	buf_release(&b);
	CHECK_INT(text_tone_check(ta(), "\xff", 1, TEXT_LANG_AUTO, 0, &rep), TEXT_EUTF8);
}

/* Blame and mock praise in staff replies, and the polite replies that must stay clean. */
TEST(text_tone_check_blame_and_mock_praise)
{
	static const struct {
		const char *text;
		enum text_tone_code code; /* expected issue, or TEXT_TONE_NCODES for a clean reply */
	} replies[] = {
		{ "Se on sinun ongelmasi, ei meidän.", TEXT_TONE_BLAMING },
		{ "Vika on teidän päässänne.", TEXT_TONE_BLAMING },
		{ "Et osaa käyttää laitetta oikein.", TEXT_TONE_BLAMING },
		{ "No onpa hienoa, että vihdoin huomasit lukea sähköpostisi.", TEXT_TONE_SARCASTIC },
		{ "That's your problem, not ours.", TEXT_TONE_BLAMING },
		{ "This was a user error.", TEXT_TONE_BLAMING },
		{ "Great job finally checking your email.", TEXT_TONE_SARCASTIC },
		{ "Kuten jo aiemmin kerroin, tilauksesi on matkalla.", TEXT_TONE_BLAMING },
		{ "Jos olisit lukenut sähköpostisi, tietäisit tämän.", TEXT_TONE_BLAMING },
		{ "Onneksi olkoon, löysit vihdoin oikean lomakkeen.", TEXT_TONE_SARCASTIC },
		{ "Et ole ainoa joka valittaa tästä.", TEXT_TONE_HARSH },
		{ "Rauhoitu nyt vähän.", TEXT_TONE_HARSH },
		{ "Emme voi asialle mitään.", TEXT_TONE_HARSH },
		{ "Per my last email, the refund was processed.", TEXT_TONE_BLAMING },
		{ "As I mentioned before, your order has shipped.", TEXT_TONE_BLAMING },
		{ "We can't do anything about it.", TEXT_TONE_HARSH },
		{ "Congrats on finally finding the right form.", TEXT_TONE_SARCASTIC },
		{ "Thanks for your patience! We've refunded the shipping.", TEXT_TONE_NCODES },
		{ "Kiitos viestistäsi! Selvitämme asian ja palaamme huomenna.", TEXT_TONE_NCODES },
		{ "Valitettavasti emme voi hyvittää tilausta, mutta kiitos palautteesta.", TEXT_TONE_NCODES },
		{ "Kiitos viestistäsi! Sinun ongelmasi on nyt ratkaistu.", TEXT_TONE_NCODES },
		{ "Kiitos, ilmeisesti et saanut edellistä viestiämme, joten lähetän sen uudelleen.", TEXT_TONE_NCODES },
		{ "Thank you! Your problem has been solved.", TEXT_TONE_NCODES },
		{ "Thanks for the report. Could you check whether the issue is on your end?", TEXT_TONE_NCODES },
		{ "Thanks, apparently you were charged twice, sorry about that. We have refunded it.",
		  TEXT_TONE_NCODES },
		{ "Thank you for finally getting back to us, we appreciate it.", TEXT_TONE_NCODES },
	};
	for (size_t i = 0; i < sizeof(replies) / sizeof(replies[0]); i++) {
		struct text_tone_report rep;
		CHECK_INT(text_tone_check(ta(), replies[i].text, strlen(replies[i].text), TEXT_LANG_AUTO, 0, &rep), 0);
		if (replies[i].code == TEXT_TONE_NCODES) {
			if (rep.nissues)
				fprintf(stderr, "  unexpected %s in: %s\n", rep.issues[0].name, replies[i].text);
			CHECK_INT(rep.nissues, 0);
		} else {
			if (!has_issue(&rep, replies[i].code))
				fprintf(stderr, "  missed in: %s\n", replies[i].text);
			CHECK(has_issue(&rep, replies[i].code));
		}
	}
}

/* 3rd round: sentiment of negated negatives and of questions, weak group evaluations */
TEST(text_round3_scores)
{
	struct text_result r;
	/* "ei huono" is at most mildly positive; "ei hyvä" stays clearly negative */
	CHECK_INT(run("Ei huono.", TEXT_LANG_FI, &r), 0);
	CHECK(r.sentiment_score > 0 && r.sentiment_score < 0.2);
	text_result_release(&r);
	CHECK_INT(run("not bad", TEXT_LANG_EN, &r), 0);
	CHECK(r.sentiment_score > 0 && r.sentiment_score < 0.3);
	text_result_release(&r);
	CHECK_INT(run("Ei hyvä.", TEXT_LANG_FI, &r), 0);
	CHECK(r.sentiment_label == TEXT_SENT_NEGATIVE);
	text_result_release(&r);
	/* the interrogative clitic asks even without '?' */
	CHECK_INT(run("Onko tämä hyvä", TEXT_LANG_FI, &r), 0);
	CHECK(r.sentiment_score < 0.2);
	text_result_release(&r);
	CHECK_INT(run("Tämä on hyvä", TEXT_LANG_FI, &r), 0);
	CHECK(r.sentiment_score > 0.3);
	text_result_release(&r);
	/* a negative evaluation of a group of people is weak insult evidence; of a thing, none */
	CHECK_INT(run("Nuo ministerit ovat aivan kamalia tänään.", TEXT_LANG_FI, &r), 0);
	CHECK(r.abuse[TEXT_ABUSE_INSULT] > 0.3 && r.abuse[TEXT_ABUSE_INSULT] < TEXT_ABUSE_PRESENT);
	text_result_release(&r);
	CHECK_INT(run("Tämä ruoka on aivan kamalaa tänään.", TEXT_LANG_FI, &r), 0);
	CHECK(r.abuse[TEXT_ABUSE_INSULT] < 0.01);
	text_result_release(&r);
}

/* 5th round: interjections, politeness formulas, answers, rhetorical questions, reassurance,
 * fixed expressions, derived forms, and abuse aimed at (or away from) the reader */
static double score_of(const char *s)
{
	struct text_result r;
	CHECK_INT(run(s, TEXT_LANG_FI, &r), 0);
	double v = r.sentiment_score;
	text_result_release(&r);
	return v;
}

static double cat_of(const char *s, enum text_abuse_cat c, int *aimed)
{
	struct text_result r;
	CHECK_INT(run(s, TEXT_LANG_FI, &r), 0);
	double v = r.abuse[c];
	if (aimed)
		*aimed = r.aimed_at_reader;
	text_result_release(&r);
	return v;
}

TEST(text_round5_sentiment)
{
	/* interjections and exclamations of emotion */
	CHECK(score_of("Jee!") > 0.2);
	CHECK(score_of("Yök.") < -0.2);
	CHECK(score_of("Hyvä Jumala!") < -0.15); /* distress, not "good" */
	/* a negated Finnish emotion word keeps some of its colour; litotes idioms do not */
	CHECK(score_of("En pelkää.") < 0);
	CHECK(score_of("Ei huono.") > 0);
	/* a bare thanks or apology is a politeness formula; with more it is praise */
	CHECK(score_of("Kiitos.") == 0);
	CHECK(score_of("Anteeksi.") == 0);
	CHECK(score_of("Kiitos!") > 0.2);
	CHECK(score_of("Kiitos, tosi hyvää palvelua.") > 0.5);
	/* the bare negation verb is an answer, not a complaint; a negated verb still leans */
	CHECK(score_of("En.") == 0);
	CHECK(score_of("Ei mitään.") == 0);
	CHECK(score_of("Ei toimi.") < -0.15);
	/* "eikö olekin ...?" asserts; a negated comparative praises */
	CHECK(score_of("Eikö olekin ihanaa?") > 0.2);
	CHECK(score_of("En ole koskaan ollut onnellisempi.") > 0);
	/* reassurance: a prohibited worry comforts; "pitää huolta" is care */
	CHECK(score_of("Älä huoli.") > 0.2);
	CHECK(score_of("Älkää huolehtiko.") > 0.2);
	CHECK(score_of("En huoli.") < 0); /* "I won't take it": no comfort */
	CHECK(score_of("Pidä huolta itsestäsi.") > 0.2);
	CHECK(score_of("Ei hätää.") > 0.2);
	/* fixed expressions: "naimisiin" (married) is not "naida" */
	struct text_result r;
	CHECK_INT(run("He menivät naimisiin.", TEXT_LANG_FI, &r), 0);
	CHECK(r.sentiment_score == 0 && !r.abuse_flagged);
	text_result_release(&r);
	/* privatives: without a good thing is bad; without a bad thing is left open */
	CHECK(score_of("Tulos oli hyödytön.") < -0.2);
	CHECK(score_of("Toimenpide oli kivuton.") >= 0);
	/* the prefix "epä-" says the same: "epäsiisti" is not "siisti" */
	CHECK(score_of("Huone oli epäsiisti.") < -0.2);
	CHECK(score_of("Kuljetusfirma on epäluotettava.") < -0.2);
	CHECK(score_of("Sopimus on epävirallinen.") == 0);
	/* a positive first part does not make a compound positive */
	CHECK(score_of("Ostin kultakalan.") == 0);
}

/* A sentence and the sign its sentiment must have: +1 above pos_min, -1 below neg_max, 0 exactly
 * neutral (check_signs). */
struct sign_case {
	const char *text;
	enum text_lang lang;
	int sign;
};

static void check_signs(const struct sign_case *c, size_t n, double pos_min, double neg_max)
{
	for (size_t i = 0; i < n; i++) {
		struct text_result r;
		CHECK_INT(run(c[i].text, c[i].lang, &r), 0);
		double v = r.sentiment_score;
		int ok = c[i].sign > 0 ? v > pos_min : c[i].sign < 0 ? v < neg_max : v == 0;
		if (!ok)
			test_fail(__FILE__, __LINE__, "\"%s\": %.3f, want %s", c[i].text, v,
				  c[i].sign > 0 ? "positive" : c[i].sign < 0 ? "negative" : "0");
		text_result_release(&r);
	}
}

/* Everyday formulas of trust, praise, loss and pleading with no sentiment word of their own
 * (phrases.tsv, third session of 2026-12-07), each beside the twin that shares its words:
 * a Finnish negation takes another form of the verb, so the exact forms leave it out. */
TEST(text_fi_everyday_formulas_and_twins)
{
	static const struct sign_case cases_fi[] = {
		{ "Uskon sinuun.", TEXT_LANG_FI, 1 },
		{ "En usko sinuun.", TEXT_LANG_FI, -1 },
		{ "Olet oikeassa.", TEXT_LANG_FI, 1 },
		{ "Et ole oikeassa.", TEXT_LANG_FI, -1 },
		{ "Sinä pystyt siihen.", TEXT_LANG_FI, 1 },
		{ "Et pysty siihen.", TEXT_LANG_FI, -1 },
		{ "Saat anteeksi.", TEXT_LANG_FI, 1 },
		{ "Et saa anteeksi.", TEXT_LANG_FI, -1 },
		{ "Kaikki järjestyy kyllä.", TEXT_LANG_FI, 1 },
		{ "Mikään ei järjesty.", TEXT_LANG_FI, -1 },
		{ "Olen samaa mieltä.", TEXT_LANG_FI, 1 },
		{ "En ole samaa mieltä.", TEXT_LANG_FI, -1 },
		{ "Tämä on parasta ikinä.", TEXT_LANG_FI, 1 },
		{ "Parasta ennen 12.5.", TEXT_LANG_FI, 0 },
		{ "Kaikkea parasta!", TEXT_LANG_FI, 1 },
		{ "Hän on parasta aikaa kokouksessa.", TEXT_LANG_FI, 0 },
		{ "Huippua!", TEXT_LANG_FI, 1 },
		{ "Vuoren huippu näkyi.", TEXT_LANG_FI, 0 },
		{ "Mä diggaan tätä.", TEXT_LANG_FI, 1 },
		{ "Ole kiltti ja anna suola.", TEXT_LANG_FI, 0 },
		/* loss, reproach, pleading; advice is not praise, and not a complaint either */
		{ "Kaikki on mennyttä.", TEXT_LANG_FI, -1 },
		{ "Otan osaa.", TEXT_LANG_FI, -1 },
		{ "Miten saatoit?", TEXT_LANG_FI, -1 },
		{ "Se on minun syytäni.", TEXT_LANG_FI, -1 },
		{ "Pysy kaukana minusta.", TEXT_LANG_FI, -1 },
		{ "Jätä minut rauhaan.", TEXT_LANG_FI, -1 },
		{ "Ole kiltti, älä tee tätä.", TEXT_LANG_FI, -1 },
		{ "Kaikki meni pieleen.", TEXT_LANG_FI, -1 },
		{ "Olemme ansassa.", TEXT_LANG_FI, -1 },
		{ "Älä ammu!", TEXT_LANG_FI, -1 },
		{ "Olisi parasta jos lähtisit.", TEXT_LANG_FI, 0 },
	};
	check_signs(cases_fi, sizeof cases_fi / sizeof cases_fi[0], 0.2, -0.1);
}

/* Customer-service messages, the product's own domain (third session of 2026-12-07): a
 * problem that got solved is praise, a double bill is a complaint, and the negated twin keeps
 * its complaint. */
TEST(text_fi_service_formulas_and_twins)
{
	static const struct sign_case svc_fi[] = {
		{ "Ongelma ratkesi.", TEXT_LANG_FI, 1 },
		{ "Vika korjattiin samana päivänä.", TEXT_LANG_FI, 1 },
		{ "Sain apua heti.", TEXT_LANG_FI, 1 },
		{ "Paketti saapui ajallaan.", TEXT_LANG_FI, 1 },
		{ "Palvelu pelasi.", TEXT_LANG_FI, 1 },
		{ "Homma toimi.", TEXT_LANG_FI, 1 },
		{ "Sujuvaa ja nopeaa.", TEXT_LANG_FI, 1 },
		{ "Ongelma ei ratkennut.", TEXT_LANG_FI, -1 },
		{ "No loistavaa, taas maksettiin tuplasti.", TEXT_LANG_FI, -1 }, /* sarcasm on a formula */
		{ "Vikaa ei korjattu.", TEXT_LANG_FI, -1 },
		{ "Minua laskutettiin kahdesti.", TEXT_LANG_FI, -1 },
		{ "Tämä on jo kolmas kerta.", TEXT_LANG_FI, -1 },
		{ "Jouduin odottamaan kuukauden.", TEXT_LANG_FI, -1 },
		{ "Sovellus kaatuu koko ajan.", TEXT_LANG_FI, -1 },
		{ "Yhteys katkeaa jatkuvasti.", TEXT_LANG_FI, -1 },
		{ "Reklamoin jo viime kuussa.", TEXT_LANG_FI, -1 },
		{ "Jonotin tunnin.", TEXT_LANG_FI, -1 },
		{ "Kaikki ajallaan.", TEXT_LANG_FI, 0 }, /* all in good time: no praise of punctuality */
		{ "Ei ollut yhtään ongelmaa, kiitos.", TEXT_LANG_FI, 1 },
		{ "Ylitti odotukset!", TEXT_LANG_FI, 1 },
		{ "Ongelma ei ratkennut.", TEXT_LANG_FI, -1 },
	};
	check_signs(svc_fi, sizeof svc_fi / sizeof svc_fi[0], 0.2, -0.2);
}

/* English clitics are their host word (lemma.c, en_clitic_host): "I'll" is not "ill", "He'll" is
 * not "hell"; phrases written with the clitic ("i'll cut you", "you'll regret this") still match,
 * and churn formulas found on the way are negative. */
TEST(text_en_clitics_are_their_host)
{
	static const char *const plain[] = { "He'll call you tomorrow.", "I'll be there.", "We're here.",
					     "She'll check it.", "I'd like that table." };
	for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++) {
		struct text_result r;
		CHECK_INT(run(plain[i], TEXT_LANG_EN, &r), 0);
		if (r.abuse_flagged || r.sentiment_score < 0 || r.abuse[TEXT_ABUSE_OBSCENITY] > 0)
			test_fail(__FILE__, __LINE__, "\"%s\": flagged %d, sentiment %.3f, obscenity %.2f", plain[i],
				  r.abuse_flagged, r.sentiment_score, r.abuse[TEXT_ABUSE_OBSCENITY]);
		text_result_release(&r);
	}
	static const char *const threats[] = { "I'll cut you.", "You'll regret this.", "I'll find you." };
	for (size_t i = 0; i < sizeof threats / sizeof threats[0]; i++) {
		struct text_result r;
		CHECK_INT(run(threats[i], TEXT_LANG_EN, &r), 0);
		if (r.abuse[TEXT_ABUSE_THREAT] < 0.5)
			test_fail(__FILE__, __LINE__, "\"%s\": threat %.2f", threats[i], r.abuse[TEXT_ABUSE_THREAT]);
		text_result_release(&r);
	}
	static const struct sign_case churn[] = {
		{ "I doubt I'll be back.", TEXT_LANG_EN, -1 },
		{ "I will take my business elsewhere.", TEXT_LANG_EN, -1 },
		{ "Will not return.", TEXT_LANG_EN, -1 },
		{ "I am cancelling my subscription.", TEXT_LANG_EN, -1 },
	};
	check_signs(churn, sizeof churn / sizeof churn[0], 0.2, -0.2);
}

/* An English word of the lists is matched on its inflections, not on the stem Snowball reaches
 * by cutting a derivational suffix: "useful" does not make "used" praise, nor "effective"
 * "effects", "decisive" "decision" or "accessible" "access". */
TEST(text_en_derived_words_keep_their_own_sentiment)
{
	static const struct sign_case derived[] = {
		{ "I used the app yesterday.", TEXT_LANG_EN, 0 },
		{ "We made a decision about the order.", TEXT_LANG_EN, 0 },
		{ "The effects of the update are visible now.", TEXT_LANG_EN, 0 },
		{ "Can I access my account from abroad?", TEXT_LANG_EN, 0 },
		{ "Used and dirty.", TEXT_LANG_EN, -1 },
		{ "It was useful.", TEXT_LANG_EN, 1 },
		{ "A very effective cream.", TEXT_LANG_EN, 1 },
		{ "The staff were annoyingly slow.", TEXT_LANG_EN, -1 },
	};
	check_signs(derived, sizeof derived / sizeof derived[0], 0.2, -0.2);
}

/* English customer-service formulas (third session of 2026-12-07), and a formula right after
 * a negator turns: "it never got fixed" is a complaint, "the problem got fixed" praise. */
TEST(text_en_service_formulas_and_twins)
{
	static const struct sign_case svc_en[] = {
		{ "The problem got fixed the same day.", TEXT_LANG_EN, 1 },
		{ "It never got fixed.", TEXT_LANG_EN, -1 },
		{ "The parcel arrived on time.", TEXT_LANG_EN, 1 },
		{ "It wasn't delivered on time.", TEXT_LANG_EN, -1 },
		{ "Your agent sorted it out in minutes.", TEXT_LANG_EN, 1 },
		{ "You went above and beyond.", TEXT_LANG_EN, 1 },
		{ "Couldn't be happier.", TEXT_LANG_EN, 1 },
		{ "The technician was punctual and tidy.", TEXT_LANG_EN, 1 },
		{ "I want my money back.", TEXT_LANG_EN, -1 },
		{ "I don't want my money back, just an apology.", TEXT_LANG_EN, 1 },
		{ "This is the third time I'm writing.", TEXT_LANG_EN, -1 },
		{ "I was on hold for an hour.", TEXT_LANG_EN, -1 },
		{ "You promised to call back but nobody did.", TEXT_LANG_EN, -1 },
		{ "I have been a customer for ten years and this is how you treat me.", TEXT_LANG_EN, -1 },
		/* a warning, faint praise, a return: a negated or positive word inside says the opposite */
		{ "Don't waste your money.", TEXT_LANG_EN, -1 },
		{ "Don't bother, go to the store.", TEXT_LANG_EN, -1 },
		{ "Nobody even bothered to answer.", TEXT_LANG_EN, -1 },
		{ "Don't worry, it's fine.", TEXT_LANG_EN, 1 },
		{ "Food was average at best.", TEXT_LANG_EN, -1 },
		{ "I've had better.", TEXT_LANG_EN, -1 },
		{ "We are sending it back.", TEXT_LANG_EN, -1 },
		{ "Couldn't be worse.", TEXT_LANG_EN, -1 },
	};
	check_signs(svc_en, sizeof svc_en / sizeof svc_en[0], 0.2, -0.2);
}

TEST(text_round5_abuse)
{
	int aimed = 0;
	/* a negative adjective said of the one reader ("olet", "oot", "oletko") */
	CHECK(cat_of("Olet täysin sekaisin.", TEXT_ABUSE_INSULT, &aimed) >= TEXT_ABUSE_PRESENT);
	CHECK(aimed);
	CHECK(cat_of("Oletko aivan sekaisin?", TEXT_ABUSE_INSULT, NULL) >= TEXT_ABUSE_PRESENT);
	/* ... but not of "you" plural (usually the company) */
	CHECK(cat_of("Olette hitaita.", TEXT_ABUSE_INSULT, NULL) < 0.1);
	/* names the speaker calls themself, and insults denied to the reader, are not aimed */
	CHECK(cat_of("Olin niin typerä.", TEXT_ABUSE_INSULT, &aimed) < TEXT_ABUSE_PRESENT);
	CHECK(!aimed);
	CHECK(cat_of("Et ole tyhmä.", TEXT_ABUSE_INSULT, &aimed) < TEXT_ABUSE_PRESENT);
	CHECK(!aimed);
	CHECK(cat_of("Olet tyhmä.", TEXT_ABUSE_INSULT, &aimed) >= TEXT_ABUSE_PRESENT);
	CHECK(aimed);
	/* the reader's head or mind with a negation: calls the reader stupid */
	CHECK(cat_of("Päässäsi ei liiku mitään.", TEXT_ABUSE_INSULT, &aimed) >= TEXT_ABUSE_PRESENT);
	CHECK(aimed);
	CHECK(cat_of("Päässäni ei liiku mitään.", TEXT_ABUSE_INSULT, NULL) < 0.1);
	CHECK(cat_of("Pääsi on kunnossa.", TEXT_ABUSE_INSULT, NULL) < 0.1);
	/* dehumanising nouns used of people */
	CHECK(cat_of("Olette syöpäläisiä!", TEXT_ABUSE_INSULT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Olette tuholaisia!", TEXT_ABUSE_INSULT, NULL) >= TEXT_ABUSE_PRESENT);
	/* "go get treatment" calls the reader mad; going to treatment oneself does not */
	CHECK(cat_of("Mene hoitoon.", TEXT_ABUSE_INSULT, &aimed) >= TEXT_ABUSE_PRESENT);
	CHECK(aimed);
	CHECK(cat_of("Menin hoitoon viime vuonna.", TEXT_ABUSE_INSULT, NULL) < 0.1);
	/* calls to deport a group; "pois" in an ordinary sentence is no call */
	CHECK(cat_of("Maahanmuuttajat ulos!", TEXT_ABUSE_IDENTITY, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Muslimit on karkotettava.", TEXT_ABUSE_IDENTITY, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Maahanmuuttajat pääsivät pois leiriltä.", TEXT_ABUSE_IDENTITY, NULL) < 0.1);
	CHECK(cat_of("Ulos!", TEXT_ABUSE_IDENTITY, NULL) < 0.1);
	/* a denied act is no threat; the commitment is */
	CHECK(cat_of("En tapa sinua.", TEXT_ABUSE_THREAT, &aimed) < TEXT_ABUSE_PRESENT);
	CHECK(!aimed);
	CHECK(cat_of("Tapan sinut.", TEXT_ABUSE_THREAT, &aimed) >= TEXT_ABUSE_PRESENT);
	CHECK(aimed);
	CHECK(cat_of("Etkö usko, että tapan sinut?", TEXT_ABUSE_THREAT, NULL) >= TEXT_ABUSE_PRESENT);
	/* a digit inserted into a swear word rather than substituted for a letter */
	CHECK(cat_of("helv4ettiin siitä", TEXT_ABUSE_OBSCENITY, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("1980-luvulla oli kivaa", TEXT_ABUSE_OBSCENITY, NULL) < 0.1);
}

TEST(text_round5_english)
{
	struct text_result r;
	/* glued profanity no list knows; a word that only starts like one is left alone */
	CHECK_INT(run("you fuckass", TEXT_LANG_EN, &r), 0);
	CHECK(r.abuse[TEXT_ABUSE_OBSCENITY] >= TEXT_ABUSE_PRESENT && r.aimed_at_reader);
	text_result_release(&r);
	CHECK_INT(run("Shitake mushrooms are tasty", TEXT_LANG_EN, &r), 0);
	CHECK(!r.abuse_flagged);
	text_result_release(&r);
	/* "you are the worst" calls the reader something, like "you are a disgrace" */
	CHECK_INT(run("you are the worst", TEXT_LANG_EN, &r), 0);
	CHECK(r.abuse[TEXT_ABUSE_INSULT] >= TEXT_ABUSE_PRESENT && r.aimed_at_reader);
	text_result_release(&r);
	CHECK_INT(run("you are the best", TEXT_LANG_EN, &r), 0);
	CHECK(!r.abuse_flagged && r.sentiment_label == TEXT_SENT_POSITIVE);
	text_result_release(&r);
	CHECK_INT(run("take your meds", TEXT_LANG_EN, &r), 0);
	CHECK(r.abuse[TEXT_ABUSE_INSULT] >= TEXT_ABUSE_PRESENT);
	text_result_release(&r);
	/* a bare "Thanks." is politeness; with an emoji it is warm */
	CHECK_INT(run("Kiitos 😊", TEXT_LANG_FI, &r), 0);
	CHECK(r.sentiment_label == TEXT_SENT_POSITIVE);
	text_result_release(&r);
}

TEST(text_round6_abuse)
{
	int aimed = 0;
	/* letters masked by a separator or stars in a swear word; ordinary hyphenated words stay */
	CHECK(cat_of("h-vetin vanha", TEXT_ABUSE_OBSCENITY, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("v-ttu mikä päivä", TEXT_ABUSE_OBSCENITY, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("s-tana", TEXT_ABUSE_OBSCENITY, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("mene v-tun kuuseen", TEXT_ABUSE_OBSCENITY, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Luin e-kirjan.", TEXT_ABUSE_OBSCENITY, NULL) < 0.1);
	CHECK(cat_of("Lähetin s-postin.", TEXT_ABUSE_OBSCENITY, NULL) < 0.1);
	/* other spellings: syllables split by separators, a/o for ä/ö, the digit 1 for l */
	CHECK(cat_of("Olet ää-li-ö.", TEXT_ABUSE_INSULT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Olet aalio.", TEXT_ABUSE_INSULT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Olet tyhma.", TEXT_ABUSE_INSULT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Olet mu1kku.", TEXT_ABUSE_INSULT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Söin muikkuja.", TEXT_ABUSE_INSULT, NULL) < 0.1);
	CHECK(cat_of("Ostin sähkö-auton.", TEXT_ABUSE_INSULT, NULL) < 0.1);
	/* "-päinen" adjectives of name-calling "-pää" nouns; other "-päinen" words are not */
	CHECK(cat_of("Olet sekopäinen.", TEXT_ABUSE_INSULT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Olet puupäinen.", TEXT_ABUSE_INSULT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Olet vaaleapäinen.", TEXT_ABUSE_INSULT, NULL) < 0.1);
	/* a name-calling head of a compound voikko does not know */
	CHECK(cat_of("Olet salaliittohörhö.", TEXT_ABUSE_INSULT, NULL) >= TEXT_ABUSE_PRESENT);
	/* "small brain" compounds and political name-calling */
	CHECK(cat_of("Olet kana-aivo.", TEXT_ABUSE_INSULT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Olet herneaivo.", TEXT_ABUSE_INSULT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Olet vihervassari.", TEXT_ABUSE_INSULT, NULL) >= TEXT_ABUSE_PRESENT);
	/* name-calling reported with a verb of calling is not aimed; the speaker's own is */
	CHECK(cat_of("Hän haukkui minua idiootiksi.", TEXT_ABUSE_INSULT, &aimed) < TEXT_ABUSE_PRESENT);
	CHECK(!aimed);
	CHECK(cat_of("haukuitsä sitä huoraks?", TEXT_ABUSE_INSULT, &aimed) < TEXT_ABUSE_PRESENT);
	CHECK(!aimed);
	CHECK(cat_of("Kutsun sinua idiootiksi.", TEXT_ABUSE_INSULT, &aimed) >= TEXT_ABUSE_PRESENT);
	CHECK(aimed);
	CHECK(cat_of("Sinua kutsutaan idiootiksi.", TEXT_ABUSE_INSULT, &aimed) >= TEXT_ABUSE_PRESENT);
	CHECK(aimed);
	/* quoted name-calling reported with a speech verb is a mention; the writer's own is not */
	CHECK(cat_of("\"Senkin hölmö!\" hän huusi.", TEXT_ABUSE_INSULT, &aimed) < TEXT_ABUSE_PRESENT);
	CHECK(!aimed);
	CHECK(cat_of("Senkin hölmö!", TEXT_ABUSE_INSULT, &aimed) >= TEXT_ABUSE_PRESENT);
	CHECK(aimed);
	CHECK(cat_of("Sanon sinulle \"idiootti\".", TEXT_ABUSE_INSULT, NULL) >= TEXT_ABUSE_PRESENT);
	/* shouting (four or more ALL-CAPS words) in a negative Finnish text is toxic, not an insult */
	CHECK(cat_of("TÄMÄ ON AIVAN KAMALAA PALVELUA", TEXT_ABUSE_TOXICITY, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("TÄMÄ ON AIVAN KAMALAA PALVELUA", TEXT_ABUSE_INSULT, NULL) < 0.1);
	CHECK(cat_of("Tämä on aivan kamalaa palvelua", TEXT_ABUSE_TOXICITY, NULL) < 0.1);
	CHECK(cat_of("ONNEA KAIKILLE TÄNÄÄN JUHLAPÄIVÄNÄ", TEXT_ABUSE_TOXICITY, NULL) < 0.1);
	CHECK(cat_of("EI KIITOS TÄMÄ on kamalaa", TEXT_ABUSE_TOXICITY, NULL) < 0.1);
}

TEST(text_round7_abuse)
{
	struct text_result r;
	/* '!' for 'i' between letters and '@' for 'a' at the start, joined only when that makes an
	 * insult or a swear word; a missing space after '!' keeps the two words */
	CHECK(cat_of("Olet id!ootti.", TEXT_ABUSE_INSULT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK_INT(run("Olet id!ootti.", TEXT_LANG_FI, &r), 0);
	CHECK_INT((int)r.nspans, 1);
	if (r.nspans == 1) {
		CHECK_INT((int)r.spans[0].start, 5);
		CHECK_INT((int)r.spans[0].end, 13);
	}
	text_result_release(&r);
	CHECK(cat_of("Olet @pina.", TEXT_ABUSE_INSULT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Kiitos @pekka, sanotaan!et tule", TEXT_ABUSE_INSULT, NULL) < 0.1);
	CHECK_INT(run("@USER you are great", TEXT_LANG_EN, &r), 0);
	CHECK(r.abuse[TEXT_ABUSE_INSULT] < 0.1);
	text_result_release(&r);
	/* '$' for 's' inside a word, also after a digit; not a price */
	CHECK(cat_of("pa$ka homma", TEXT_ABUSE_OBSCENITY, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("p4$k4 homma", TEXT_ABUSE_OBSCENITY, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Hinta oli US$5 halvempi.", TEXT_ABUSE_OBSCENITY, NULL) < 0.1);
	/* vowel length: the commonest misspelling, and what a digit for a letter loses */
	CHECK(cat_of("Olet idiotti.", TEXT_ABUSE_INSULT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Olet id10tti.", TEXT_ABUSE_INSULT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Olet idiootttiiii.", TEXT_ABUSE_INSULT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("sä oot ääliöö", TEXT_ABUSE_INSULT, NULL) >= TEXT_ABUSE_PRESENT);
	/* ... only for name-calling and swearing: a misspelt violent verb is not respelled */
	CHECK(cat_of("Kaljat raiskaataan.", TEXT_ABUSE_THREAT, NULL) < 0.1);
	/* "-pää" and "-hullu" name-calling; "hullunkurinen" (comical) is not "hullu" */
	CHECK(cat_of("sä oot kaistapää", TEXT_ABUSE_INSULT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("sä oot luupää", TEXT_ABUSE_INSULT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("sä oot pähkähullu", TEXT_ABUSE_INSULT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("sä oot hullunkurinen", TEXT_ABUSE_INSULT, NULL) < 0.1);
	/* spoken second person and possessive address (already handled; kept as regression) */
	CHECK(cat_of("oot sä tyhmä", TEXT_ABUSE_INSULT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("sää oot ihan tyhmä", TEXT_ABUSE_INSULT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("sun kaltainen idiootti", TEXT_ABUSE_INSULT, NULL) >= TEXT_ABUSE_PRESENT);
}

TEST(text_round8_abuse)
{
	int aimed = -1;
	/* a bare vocative has no first- or third-person verb of its own */
	CHECK(cat_of("Idiootti!", TEXT_ABUSE_INSULT, &aimed) >= TEXT_ABUSE_PRESENT);
	CHECK_INT(aimed, 1);
	CHECK(cat_of("Painu pois, urpo!", TEXT_ABUSE_INSULT, &aimed) >= TEXT_ABUSE_PRESENT);
	CHECK_INT(aimed, 1);
	CHECK(cat_of("Se on persu.", TEXT_ABUSE_TOXICITY, &aimed) < TEXT_ABUSE_PRESENT);
	CHECK_INT(aimed, 0);
	CHECK(cat_of("Tuli typerä olo.", TEXT_ABUSE_INSULT, &aimed) < TEXT_ABUSE_PRESENT);
	CHECK_INT(aimed, 0);
	/* ... said of someone else it is still an insult, but not one aimed at the reader */
	CHECK(cat_of("Hän on idiootti.", TEXT_ABUSE_INSULT, &aimed) >= TEXT_ABUSE_PRESENT);
	CHECK_INT(aimed, 0);
	/* a signature: the writer's own nickname after "t." or "terveisin" at the end */
	CHECK(cat_of("Kiitos avusta. T. Läskit", TEXT_ABUSE_INSULT, &aimed) < TEXT_ABUSE_PRESENT);
	CHECK_INT(aimed, 0);
	CHECK(cat_of("Terveisin Idiootti", TEXT_ABUSE_TOXICITY, &aimed) < TEXT_ABUSE_PRESENT);
	CHECK_INT(aimed, 0);
	/* ... only at the end, and the rest of the text keeps its insults */
	CHECK(cat_of("T. Ääliö. Et ymmärrä mitään, ääliö!", TEXT_ABUSE_INSULT, &aimed) >= TEXT_ABUSE_PRESENT);
	CHECK_INT(aimed, 1);
	CHECK(cat_of("Sinä olet idiootti. T. Matti", TEXT_ABUSE_INSULT, &aimed) >= TEXT_ABUSE_PRESENT);
	CHECK_INT(aimed, 1);
	/* "haista" before a self-censored word is "haista vittu/paska" */
	CHECK(cat_of("haista v***u", TEXT_ABUSE_INSULT, &aimed) >= TEXT_ABUSE_PRESENT);
	CHECK_INT(aimed, 1);
	CHECK(cat_of("Haista p...a!", TEXT_ABUSE_INSULT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("teki mieli sanoa että haista p.....a, jokaiselle", TEXT_ABUSE_TOXICITY, NULL) >=
	      TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Haistakaa v-ttu", TEXT_ABUSE_INSULT, NULL) >= TEXT_ABUSE_PRESENT);
	struct text_result r;
	CHECK_INT(run("Haista p...a!", TEXT_LANG_FI, &r), 0);
	CHECK_INT((int)r.nspans, 1);
	if (r.nspans == 1) { /* the span covers the formula and both pieces of the masked word */
		CHECK_INT((int)r.spans[0].start, 0);
		CHECK_INT((int)r.spans[0].end, 12);
	}
	text_result_release(&r);
	CHECK(cat_of("Haista tätä kukkaa.", TEXT_ABUSE_INSULT, NULL) < 0.1);
	CHECK(cat_of("Haista p.s. tämä on hyvä", TEXT_ABUSE_INSULT, NULL) < 0.1);
	/* exclamative "mikä X sinä olet": the reader called X, whatever X is */
	CHECK(cat_of("Mikä pelle sinä olet!", TEXT_ABUSE_INSULT, &aimed) >= TEXT_ABUSE_PRESENT);
	CHECK_INT(aimed, 1);
	CHECK(cat_of("mikä vanhoillislestaadio sä olet.", TEXT_ABUSE_INSULT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Mikä tomppeli sä oot", TEXT_ABUSE_INSULT, NULL) >= TEXT_ABUSE_PRESENT);
	/* ... not a question, praise, a challenge without a noun, or the company ("te olette") */
	CHECK(cat_of("Mikä horoskooppi sinä olet?", TEXT_ABUSE_INSULT, NULL) < 0.1);
	CHECK(cat_of("Mikä ihana ihminen sinä olet.", TEXT_ABUSE_INSULT, NULL) < 0.1);
	CHECK(cat_of("Mikä sinä olet sanomaan.", TEXT_ABUSE_INSULT, NULL) < 0.1);
	CHECK(cat_of("Mikä surkea firma te olette!", TEXT_ABUSE_INSULT, NULL) < 0.1);
	CHECK(cat_of("Mikä surkea palvelu tämä on.", TEXT_ABUSE_INSULT, NULL) < 0.1);
	CHECK(cat_of("Mikä päivä tänään on.", TEXT_ABUSE_INSULT, NULL) < 0.1);
}

TEST(text_round9_abuse)
{
	int aimed = -1;
	/* swearing at the reader needs a word for the reader besides an imperative verb: an order
	 * about a thing is no insult (it stays obscene) */
	CHECK(cat_of("Poista koko paska.", TEXT_ABUSE_INSULT, &aimed) < 0.1);
	CHECK_INT(aimed, 0);
	CHECK(cat_of("Poista koko paska.", TEXT_ABUSE_OBSCENITY, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Heitä se paska roskiin ja osta uusi.", TEXT_ABUSE_INSULT, NULL) < 0.1);
	CHECK(cat_of("Korjatkaa tuo vitun sovellus!", TEXT_ABUSE_INSULT, NULL) < 0.1);
	/* ... with a pronoun, a possessive or a finite second-person verb it is */
	CHECK(cat_of("Vittu sä oot tyhmä.", TEXT_ABUSE_INSULT, &aimed) >= TEXT_ABUSE_PRESENT);
	CHECK_INT(aimed, 1);
	CHECK(cat_of("Pidä paska turpasi kiinni!", TEXT_ABUSE_INSULT, &aimed) >= TEXT_ABUSE_PRESENT);
	CHECK_INT(aimed, 1);
	CHECK(cat_of("Kirjoita paskaa vaan, sä et tiedä mitään.", TEXT_ABUSE_INSULT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Sinä olet paska.", TEXT_ABUSE_INSULT, NULL) >= TEXT_ABUSE_PRESENT);
	/* ... and the formulas are phrases of their own */
	CHECK(cat_of("Painu vittuun!", TEXT_ABUSE_INSULT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Haista paska!", TEXT_ABUSE_INSULT, NULL) >= TEXT_ABUSE_PRESENT);
	/* everyday name-calling of the general language, inflected */
	CHECK(cat_of("Olet sössö.", TEXT_ABUSE_INSULT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Senkin räkänokka!", TEXT_ABUSE_INSULT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Te ootte hulttioita.", TEXT_ABUSE_INSULT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Olette sössöjä!", TEXT_ABUSE_INSULT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Ministeri on täysi heittiö.", TEXT_ABUSE_INSULT, &aimed) >= TEXT_ABUSE_PRESENT);
	CHECK_INT(aimed, 0);
	CHECK(cat_of("Hän on hidasjärkinen.", TEXT_ABUSE_INSULT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Pöhlö!", TEXT_ABUSE_INSULT, NULL) >= TEXT_ABUSE_PRESENT);
	/* the demonstrative "tuo"/"toi" before an insult points at someone with contempt ... */
	CHECK(cat_of("Tuo tyhmä ministeri taas.", TEXT_ABUSE_INSULT, &aimed) >= TEXT_ABUSE_PRESENT);
	CHECK_INT(aimed, 0);
	CHECK(cat_of("toi hölmö ukko sekoilee", TEXT_ABUSE_INSULT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Tuon hölmön takia jäin ilman.", TEXT_ABUSE_INSULT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Hölmön takia jäin ilman.", TEXT_ABUSE_INSULT, NULL) < TEXT_ABUSE_PRESENT);
	/* ... but not a thing the insult word describes, and "tuo" alone is no insult */
	CHECK(cat_of("Tuo tyhmä päivitys rikkoi kaiken.", TEXT_ABUSE_INSULT, NULL) < TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Tuo paketti tänne.", TEXT_ABUSE_INSULT, NULL) < 0.1);
	/* a complaint about a product or a service stays no insult */
	CHECK(cat_of("Sovellus kaatuu jatkuvasti, korjatkaa se.", TEXT_ABUSE_INSULT, NULL) < 0.1);
	CHECK(cat_of("Tilaus on myöhässä ja asiakaspalvelu ei vastaa.", TEXT_ABUSE_INSULT, NULL) < 0.1);
}

/* English abuse as it is written in replies on social media (eleventh pass), and the
 * complaints about a product or a service that must stay clean. */
static double en_cat(const char *s, enum text_abuse_cat c, int *aimed)
{
	struct text_result r;
	CHECK_INT(run(s, TEXT_LANG_EN, &r), 0);
	double v = r.abuse[c];
	if (aimed)
		*aimed = r.aimed_at_reader;
	text_result_release(&r);
	return v;
}

TEST(text_round11_english)
{
	int aimed = -1;
	/* a negative noun predicated with an article of a third person calls them it; of a thing
	 * it does not */
	CHECK(en_cat("He is an embarrassment.", TEXT_ABUSE_INSULT, &aimed) >= TEXT_ABUSE_PRESENT);
	CHECK_INT(aimed, 0);
	CHECK(en_cat("She's the worst.", TEXT_ABUSE_INSULT, &aimed) >= TEXT_ABUSE_PRESENT);
	CHECK_INT(aimed, 0);
	CHECK(en_cat("You are the worst.", TEXT_ABUSE_INSULT, &aimed) >= TEXT_ABUSE_PRESENT);
	CHECK_INT(aimed, 1);
	CHECK(en_cat("The plan is a disaster.", TEXT_ABUSE_INSULT, NULL) < 0.1);
	CHECK(en_cat("Your support team is the worst.", TEXT_ABUSE_INSULT, NULL) < 0.1);
	CHECK(en_cat("He is the best.", TEXT_ABUSE_INSULT, NULL) < 0.1);
	/* third-person name-calling counts (a little more than before) without a reader */
	CHECK(en_cat("Every senator in that room is a snowflake", TEXT_ABUSE_INSULT, &aimed) >= TEXT_ABUSE_PRESENT);
	CHECK_INT(aimed, 0);
	/* a weak insult word judging the reader's thing is a complaint, said of the reader it is not */
	CHECK(en_cat("Your prices are a joke.", TEXT_ABUSE_INSULT, &aimed) < TEXT_ABUSE_PRESENT);
	CHECK_INT(aimed, 0);
	CHECK(en_cat("You are a joke.", TEXT_ABUSE_INSULT, &aimed) >= TEXT_ABUSE_PRESENT);
	CHECK_INT(aimed, 1);
	CHECK(en_cat("Your mom is a whore.", TEXT_ABUSE_INSULT, &aimed) >= TEXT_ABUSE_PRESENT);
	CHECK_INT(aimed, 1);
	/* everyday and political name-calling, abbreviated swearing, formulas */
	CHECK(en_cat("what a nincompoop", TEXT_ABUSE_INSULT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(en_cat("typical libturd logic", TEXT_ABUSE_INSULT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(en_cat("ur a fkn idiot", TEXT_ABUSE_OBSCENITY, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(en_cat("that game was a shitshow lol", TEXT_ABUSE_OBSCENITY, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(en_cat("kiss my ass", TEXT_ABUSE_INSULT, &aimed) >= TEXT_ABUSE_PRESENT);
	CHECK_INT(aimed, 1);
	CHECK(en_cat("what is wrong with you", TEXT_ABUSE_INSULT, &aimed) >= TEXT_ABUSE_PRESENT);
	CHECK_INT(aimed, 1);
	CHECK(en_cat("fk off", TEXT_ABUSE_INSULT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(en_cat("What is wrong with my order?", TEXT_ABUSE_INSULT, NULL) < 0.1);
	/* ordinary complaints about a product or a service are not abuse aimed at the reader */
	static const char *const complaints[] = {
		"Your service is terrible and your app is useless.",
		"Your delivery was a disaster, I want a refund.",
		"Your prices are a joke and your support never answers.",
		"The update is a disaster, the app crashes all the time.",
		"This is the worst order I have ever had.",
	};
	for (size_t k = 0; k < sizeof complaints / sizeof complaints[0]; k++) {
		struct text_result r;
		CHECK_INT(run(complaints[k], TEXT_LANG_EN, &r), 0);
		CHECK(!r.abuse_flagged && !r.aimed_at_reader);
		text_result_release(&r);
	}
}

TEST(text_round10_threat)
{
	int aimed = -1;
	/* threats that must stay: a speaker against the reader, a call, a verbless call, a phrase
	 * with the reader in it */
	CHECK(cat_of("Mä tapan sut huomenna.", TEXT_ABUSE_THREAT, &aimed) >= TEXT_ABUSE_PRESENT);
	CHECK_INT(aimed, 1);
	CHECK(cat_of("Tulen tappamaan sinut.", TEXT_ABUSE_THREAT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Ammun sinut.", TEXT_ABUSE_THREAT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Noi pitäisi ampua.", TEXT_ABUSE_THREAT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Uusnatseille kuula kalloon vaan.", TEXT_ABUSE_THREAT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Saat kuulan kalloon.", TEXT_ABUSE_THREAT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Kohta sattuu.", TEXT_ABUSE_THREAT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Tulen perääsi.", TEXT_ABUSE_THREAT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Tiedän missä asut.", TEXT_ABUSE_THREAT, NULL) >= TEXT_ABUSE_PRESENT);
	/* a threat phrase said of someone's own head, in the past tense, or described with a
	 * third-person verb and nobody who commits to it is no threat */
	CHECK(cat_of("Hän ampui kuulan kalloonsa.", TEXT_ABUSE_THREAT, &aimed) < TEXT_ABUSE_PRESENT);
	CHECK_INT(aimed, 0);
	CHECK(cat_of("Jos kaikki ampuisivat kuulan kalloonsa, ketään ei olisi jäljellä.", TEXT_ABUSE_THREAT, NULL) <
	      TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Sika saa kuulan kalloon jouluna.", TEXT_ABUSE_THREAT, &aimed) < TEXT_ABUSE_PRESENT);
	CHECK_INT(aimed, 0);
	CHECK(cat_of("Suomi sai turpiin Ruotsilta.", TEXT_ABUSE_THREAT, NULL) < TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Mummo kuoli pois viime vuonna.", TEXT_ABUSE_THREAT, NULL) < TEXT_ABUSE_PRESENT);
	/* ... nor in a question */
	CHECK(cat_of("Saako sitä vetää turpaan?", TEXT_ABUSE_THREAT, NULL) < TEXT_ABUSE_PRESENT);
	/* "tulla perään" is a threat only with the reader's possessive: "tulee perässä" follows */
	CHECK(cat_of("Suomi tulee perässä.", TEXT_ABUSE_THREAT, NULL) < 0.1);
	CHECK(cat_of("Hän tuli perään.", TEXT_ABUSE_THREAT, NULL) < 0.1);
	/* violent verbs: a past act is a report, a conditional one hypothetical, an infinitive
	 * nobody's act, a question asks */
	CHECK(cat_of("Hyökkääjä tappoi kolme ihmistä.", TEXT_ABUSE_THREAT, NULL) < 0.1);
	CHECK(cat_of("Ammuin hirven eilen.", TEXT_ABUSE_THREAT, NULL) < TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Kuolema ei tarkoita, että tappaisin heitä.", TEXT_ABUSE_THREAT, NULL) < TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Olet valmis ampumaan naapurisi.", TEXT_ABUSE_THREAT, NULL) < 0.1);
	CHECK(cat_of("Miksi haluat tappaa lapsesi?", TEXT_ABUSE_THREAT, NULL) < TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Tapetaanko ne kaikki?", TEXT_ABUSE_THREAT, NULL) < TEXT_ABUSE_PRESENT);
	/* a connegative after "ei" is not the reader ("ei tarkoita" is no imperative), "et" is */
	CHECK(cat_of("Se ei tarkoita että minä tapan heidät.", TEXT_ABUSE_THREAT, &aimed) < TEXT_ABUSE_PRESENT);
	CHECK_INT(aimed, 0);
	CHECK(cat_of("Et tiedä että minä tapan sinut.", TEXT_ABUSE_THREAT, NULL) >= TEXT_ABUSE_PRESENT);
	/* a conditional first-person reading beside other words is not the speaker ("takaisin") */
	CHECK(cat_of("Hän lähti takaisin, hakkaa sinua.", TEXT_ABUSE_THREAT, NULL) < TEXT_ABUSE_PRESENT);
}

/* Twelfth pass (Finnish): inflected slang voikko does not know, more name-calling, slurs and
 * idioms, and weak insult words said of the reader's staff or thing. */
TEST(text_round12_abuse)
{
	int aimed = -1;
	/* slang inflected like any noun: plural, partitive, case endings, consonant gradation,
	 * the spoken partitive plural */
	CHECK(cat_of("Suvakit on idiootteja.", TEXT_ABUSE_INSULT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Nuo luuserit taas äänestää.", TEXT_ABUSE_INSULT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Luusereille ei anneta rahaa.", TEXT_ABUSE_INSULT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Persut on tyhmii.", TEXT_ABUSE_INSULT, &aimed) >= TEXT_ABUSE_PRESENT);
	CHECK_INT(aimed, 0);
	CHECK(cat_of("Te ootte tyhmii.", TEXT_ABUSE_INSULT, &aimed) >= TEXT_ABUSE_PRESENT);
	CHECK_INT(aimed, 1);
	CHECK(cat_of("Femakot valittaa taas.", TEXT_ABUSE_INSULT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Somput ulos!", TEXT_ABUSE_IDENTITY, NULL) >= TEXT_ABUSE_PRESENT);
	/* a typo of a common word is not coloured by a stray list entry */
	CHECK(cat_of("Etkö itsekkään usko tuohon?", TEXT_ABUSE_INSULT, NULL) < 0.1);
	/* name-calling, judging adjectives and belittling verbs, to the reader and of others */
	CHECK(cat_of("Sinä olet ahdasmielinen.", TEXT_ABUSE_INSULT, &aimed) >= TEXT_ABUSE_PRESENT);
	CHECK_INT(aimed, 1);
	CHECK(cat_of("Olet itsekäs ja omahyväinen.", TEXT_ABUSE_INSULT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Ministeri on ahdasmielinen.", TEXT_ABUSE_INSULT, &aimed) >= TEXT_ABUSE_PRESENT);
	CHECK_INT(aimed, 0);
	CHECK(cat_of("Hän on ilkimys.", TEXT_ABUSE_INSULT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Mitä sä horiset?", TEXT_ABUSE_INSULT, &aimed) >= TEXT_ABUSE_PRESENT);
	CHECK_INT(aimed, 1);
	CHECK(cat_of("Hän horisee taas.", TEXT_ABUSE_INSULT, NULL) < TEXT_ABUSE_PRESENT);
	/* idioms for a mind that is not all there */
	CHECK(cat_of("Sulla ei oo kaikki muumit laaksossa.", TEXT_ABUSE_INSULT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Sinulla on aivot narikassa.", TEXT_ABUSE_INSULT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Oletko päästäsi vialla?", TEXT_ABUSE_INSULT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Turpa tukkoon!", TEXT_ABUSE_INSULT, NULL) >= TEXT_ABUSE_PRESENT);
	/* slurs and group contempt; neutral mentions of the same groups stay clean */
	CHECK(cat_of("Keltanaamoja joka paikassa.", TEXT_ABUSE_IDENTITY, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Vuohennussijat ulos!", TEXT_ABUSE_IDENTITY, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Kiinalaiset ovat saastaa.", TEXT_ABUSE_IDENTITY, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Kiinalaiset voittivat kultaa.", TEXT_ABUSE_IDENTITY, NULL) < 0.1);
	CHECK(cat_of("Thaimaalainen ravintola on hyvä.", TEXT_ABUSE_IDENTITY, NULL) < 0.1);
	CHECK(cat_of("Hindut viettävät juhlaa.", TEXT_ABUSE_IDENTITY, NULL) < 0.1);
	CHECK(cat_of("Puolalaiset rakennusmiehet tekivät hyvää työtä.", TEXT_ABUSE_IDENTITY, NULL) < 0.1);
	/* a weak insult word said of the reader's staff or thing is a complaint, not aimed; of the
	 * reader it is aimed */
	CHECK(cat_of("Asiakaspalvelijanne oli tietämätön.", TEXT_ABUSE_INSULT, &aimed) < TEXT_ABUSE_PRESENT);
	CHECK_INT(aimed, 0);
	CHECK(cat_of("Tuotteenne on nolo.", TEXT_ABUSE_INSULT, NULL) < TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Olet tietämätön.", TEXT_ABUSE_INSULT, &aimed) >= TEXT_ABUSE_PRESENT);
	CHECK_INT(aimed, 1);
	/* ordinary complaints and literal senses stay clean */
	CHECK(cat_of("Sovelluksenne sekoilee taas.", TEXT_ABUSE_INSULT, NULL) < 0.1);
	CHECK(cat_of("Ruuvi on löysällä, kiristäkää se.", TEXT_ABUSE_INSULT, NULL) < 0.1);
	CHECK(cat_of("Kahvi oli katkeraa.", TEXT_ABUSE_INSULT, NULL) < 0.1);
	CHECK(cat_of("Liero kiemurteli mullassa.", TEXT_ABUSE_INSULT, NULL) < 0.1);
	CHECK(cat_of("Paketti on myöhässä, korjatkaa asia.", TEXT_ABUSE_INSULT, NULL) < 0.1);
	CHECK(cat_of("Olen ihan pihalla tästä laskusta.", TEXT_ABUSE_INSULT, NULL) < 0.1);
}

/* Thirteenth pass (Finnish threat): second-person threat phrases with the object inside,
 * everyday idioms of violent verbs, a third party as the subject, passive reports and past
 * obligations. */
TEST(text_round13_threat)
{
	int aimed = -1;
	/* the reader is told they will be beaten; the object between the verb and the target */
	CHECK(cat_of("Saat turpaan.", TEXT_ABUSE_THREAT, &aimed) >= TEXT_ABUSE_PRESENT);
	CHECK_INT(aimed, 1);
	CHECK(cat_of("Saatte turpiin jos tuutte tänne.", TEXT_ABUSE_THREAT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Vedän sua turpaan.", TEXT_ABUSE_THREAT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Mä annan sulle turpiin.", TEXT_ABUSE_THREAT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Kaikille luodin kalloon.", TEXT_ABUSE_THREAT, NULL) >= TEXT_ABUSE_PRESENT);
	/* ... but not when a third party gets it in a condition */
	CHECK(cat_of("Ne saavat turpaan jos eivät tottele.", TEXT_ABUSE_THREAT, NULL) < 0.1);
	/* threats that must stay: a call in the passive, a speaker against the reader */
	CHECK(cat_of("Tapetaan ne kaikki.", TEXT_ABUSE_THREAT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Teidät pitää ampua.", TEXT_ABUSE_THREAT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Jos vielä kerran lyöt vetoa, minä lyön sinua.", TEXT_ABUSE_THREAT, NULL) >= TEXT_ABUSE_PRESENT);
	/* a passive said of a place reports ("in Syria they kill children") */
	CHECK(cat_of("Syyriassa tapetaan lapsia joka päivä.", TEXT_ABUSE_THREAT, NULL) < TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Kaduilla hakataan ihmisiä.", TEXT_ABUSE_THREAT, NULL) < TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Metsässä lyödään ihmisiä.", TEXT_ABUSE_THREAT, NULL) < TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Lyödään ne kaikki.", TEXT_ABUSE_THREAT, NULL) >= TEXT_ABUSE_PRESENT);
	/* idioms: betting, killing time, smoking, neglecting */
	CHECK(cat_of("Lyön vetoa, että sinä häviät.", TEXT_ABUSE_THREAT, &aimed) < 0.1);
	CHECK_INT(aimed, 0);
	CHECK(cat_of("Minä tapan aikaa pelaamalla, kun sinä olet töissä.", TEXT_ABUSE_THREAT, NULL) < 0.1);
	CHECK(cat_of("Minä poltan tupakkaa, ja sinä et.", TEXT_ABUSE_THREAT, NULL) < 0.1);
	CHECK(cat_of("Ne lyö laimin kaiken.", TEXT_ABUSE_THREAT, NULL) < 0.1);
	/* a thing or a third party as the subject threatens nobody ("smoking kills you") */
	CHECK(cat_of("Tupakka tappaa sinut.", TEXT_ABUSE_THREAT, NULL) < TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Alkoholi tappaa sinut hitaasti.", TEXT_ABUSE_THREAT, NULL) < TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Mä tapan sut.", TEXT_ABUSE_THREAT, NULL) >= TEXT_ABUSE_PRESENT);
	/* an obligation in the past is a report */
	CHECK(cat_of("Poliisin piti ampua koira.", TEXT_ABUSE_THREAT, NULL) < TEXT_ABUSE_PRESENT);
}

/* Fourteenth pass (a) (Finnish insult): contempt adjectives before a person noun, spoken plural
 * people as a group subject, and a plural "you" with a negative word that is no insult is the
 * company. */
TEST(text_round14a_insult)
{
	int aimed = -1;
	/* a contempt adjective with a person noun: aimed at readers, or said of a third person */
	CHECK(cat_of("Olette ihan surkeita ihmisiä.", TEXT_ABUSE_INSULT, &aimed) >= TEXT_ABUSE_PRESENT);
	CHECK_INT(aimed, 1);
	CHECK(cat_of("Surkea ihminen!", TEXT_ABUSE_INSULT, &aimed) >= TEXT_ABUSE_PRESENT);
	CHECK_INT(aimed, 1);
	CHECK(cat_of("Kamala ukko.", TEXT_ABUSE_INSULT, &aimed) >= TEXT_ABUSE_PRESENT);
	CHECK_INT(aimed, 1);
	CHECK(cat_of("Sä oot kamala ihminen.", TEXT_ABUSE_INSULT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Hän on surkea ihminen.", TEXT_ABUSE_INSULT, &aimed) >= TEXT_ABUSE_PRESENT);
	CHECK_INT(aimed, 0);
	/* ... not after a negation, not of things, not the intensifier "hirveä määrä" */
	CHECK(cat_of("Hän ei ole mikään surkea ihminen.", TEXT_ABUSE_INSULT, NULL) < 0.1);
	CHECK(cat_of("Surkea palvelu ja kamala odotusaika.", TEXT_ABUSE_INSULT, NULL) < 0.1);
	CHECK(cat_of("Tämä päivitys on surkea.", TEXT_ABUSE_INSULT, NULL) < 0.1);
	CHECK(cat_of("Hirveä määrä töitä.", TEXT_ABUSE_INSULT, NULL) < 0.1);
	/* spoken plural demonstratives and plural person nouns as group subjects */
	CHECK(cat_of("Noi on ihan pellejä.", TEXT_ABUSE_INSULT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Nää on pellejä.", TEXT_ABUSE_INSULT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Noi on kivoja.", TEXT_ABUSE_INSULT, NULL) < 0.1);
	CHECK(cat_of("Autot ovat surkeita.", TEXT_ABUSE_INSULT, NULL) < 0.1);
	/* a plural "you" with a negative word that is no insult word is the company */
	CHECK(cat_of("Te olette huono yritys.", TEXT_ABUSE_INSULT, &aimed) < 0.1);
	CHECK_INT(aimed, 0);
	CHECK(cat_of("Te ootte hitaita.", TEXT_ABUSE_INSULT, NULL) < 0.1);
	CHECK(cat_of("Te olette idiootteja.", TEXT_ABUSE_INSULT, NULL) >= TEXT_ABUSE_PRESENT);
	/* the one reader with a negative adjective stays an insult */
	CHECK(cat_of("Sä oot surkea.", TEXT_ABUSE_INSULT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Oletko aivan sekaisin?", TEXT_ABUSE_INSULT, NULL) >= TEXT_ABUSE_PRESENT);
}

/* Fourteenth pass (b), Finnish threat: a passive in a subordinate clause describes; the
 * speaker, an animal, a thing or a game as the target; calls to hang; killing blows and arson
 * aimed at the reader; dying said of oneself. */
TEST(text_round14b_threat)
{
	int aimed = -1;
	/* a passive in a subordinate clause describes a situation; a main-clause passive calls */
	CHECK(cat_of("Kun ihmisiä tapetaan, kukaan ei välitä.", TEXT_ABUSE_THREAT, NULL) < TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Jos joku ammutaan, poliisi tutkii asian.", TEXT_ABUSE_THREAT, NULL) < TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Ne, joita hakataan, eivät uskalla puhua.", TEXT_ABUSE_THREAT, NULL) < TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Tapetaan ne kaikki!", TEXT_ABUSE_THREAT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Ammutaan kaikki, jotka vastustavat.", TEXT_ABUSE_THREAT, NULL) >= TEXT_ABUSE_PRESENT);
	/* the speaker as the target: self-reproach, not a threat to anyone else */
	CHECK(cat_of("Minut pitäisi ampua.", TEXT_ABUSE_THREAT, NULL) < TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Mut pitäis ampua tän mokan takia.", TEXT_ABUSE_THREAT, NULL) < TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Laitan itseni hirteen jos tää jatkuu.", TEXT_ABUSE_THREAT, NULL) < TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Haluan kuolla pois.", TEXT_ABUSE_THREAT, NULL) < TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Sinut pitäisi ampua.", TEXT_ABUSE_THREAT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Kuole pois!", TEXT_ABUSE_THREAT, NULL) >= TEXT_ABUSE_PRESENT);
	/* animals and pests, games and hunting */
	CHECK(cat_of("Hiiret pitää tappaa ennen talvea.", TEXT_ABUSE_THREAT, NULL) < TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Ammutaan susi pois.", TEXT_ABUSE_THREAT, NULL) < TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Vanha koira pitäisi viedä saunan taakse.", TEXT_ABUSE_THREAT, NULL) < TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Kissa vietiin saunan taakse.", TEXT_ABUSE_THREAT, NULL) < TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Pelissä pitää tappaa kaikki viholliset.", TEXT_ABUSE_THREAT, NULL) < TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Sinut pitäisi viedä saunan taakse.", TEXT_ABUSE_THREAT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Ne rotat pitäisi tappaa kaikki.", TEXT_ABUSE_THREAT, NULL) >= TEXT_ABUSE_PRESENT);
	/* a thing as the object: ending a program, a bonfire, photographs */
	CHECK(cat_of("Sinun täytyy tappaa se prosessi ensin.", TEXT_ABUSE_THREAT, &aimed) < TEXT_ABUSE_PRESENT);
	CHECK_INT(aimed, 0);
	CHECK(cat_of("Tapetaan se bugi.", TEXT_ABUSE_THREAT, NULL) < TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Poltetaan kokko juhannuksena.", TEXT_ABUSE_THREAT, NULL) < TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Sinun pitäisi polttaa ne vanhat kirjeet.", TEXT_ABUSE_THREAT, NULL) < TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Ammun kuvia huomenna häissä.", TEXT_ABUSE_THREAT, NULL) < TEXT_ABUSE_PRESENT);
	/* calls to hang; a report of a hanging is none */
	CHECK(cat_of("Hirteen koko porukka!", TEXT_ABUSE_THREAT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Kaikki hirteen.", TEXT_ABUSE_THREAT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Noi pitäis laittaa hirteen.", TEXT_ABUSE_THREAT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Hänet laitettiin hirteen 1800-luvulla.", TEXT_ABUSE_THREAT, NULL) < TEXT_ABUSE_PRESENT);
	/* "seinää vasten" as an execution needs people or a verb of putting */
	CHECK(cat_of("Kaikki seinää vasten!", TEXT_ABUSE_THREAT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Nojaa seinää vasten ja venyttele.", TEXT_ABUSE_THREAT, NULL) < 0.1);
	CHECK(cat_of("Sohva on seinää vasten.", TEXT_ABUSE_THREAT, NULL) < 0.1);
	/* "odota vaan" alone is "just wait" */
	CHECK(cat_of("Odota vaan hetki, kyllä se siitä.", TEXT_ABUSE_THREAT, NULL) < TEXT_ABUSE_PRESENT);
	/* killing blows, kicks, explosions and arson aimed at the reader */
	CHECK(cat_of("Potkin sut hengiltä.", TEXT_ABUSE_THREAT, &aimed) >= TEXT_ABUSE_PRESENT);
	CHECK_INT(aimed, 1);
	CHECK(cat_of("Katkaisen sun niskat.", TEXT_ABUSE_THREAT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Sytytän talosi tuleen.", TEXT_ABUSE_THREAT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Räjäytän teidän toimiston.", TEXT_ABUSE_THREAT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Potkitaan pallo maaliin.", TEXT_ABUSE_THREAT, NULL) < TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Lapset potkivat palloa pihalla.", TEXT_ABUSE_THREAT, NULL) < 0.1);
	CHECK(cat_of("Israel pommittaa Gazaa.", TEXT_ABUSE_THREAT, NULL) < TEXT_ABUSE_PRESENT);
	/* ordinary complaints and news stay clean */
	CHECK(cat_of("Laskunne tappaa minut, korjatkaa se.", TEXT_ABUSE_THREAT, NULL) < TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Paketti on hukassa, etsikää se.", TEXT_ABUSE_THREAT, NULL) < 0.1);
	CHECK(cat_of("Hitler tappoi miljoonia.", TEXT_ABUSE_THREAT, NULL) < TEXT_ABUSE_PRESENT);
}

TEST(text_pass15b_sentiment)
{
	/* "pitää" with an elative object is "to like", in any person, negated or asked */
	CHECK(score_of("Minä pidän tästä.") > 0.2);
	CHECK(score_of("Pidin elokuvasta.") > 0.2);
	CHECK(score_of("Pidän sinusta todella paljon.") > 0.2);
	CHECK(score_of("En pidä sinusta yhtään.") < 0);
	CHECK(score_of("Pidätkö minusta?") > 0);
	CHECK(score_of("Pidätkö minusta?") < 0.22); /* a question asserts little */
	/* "must", "keep", "hold" and commands are not liking */
	CHECK(score_of("Meidän pitää puhua tästä.") == 0);
	CHECK(score_of("Pidän kokouksen tiistaina.") == 0);
	CHECK(score_of("Pidämme yhteyttä sähköpostitse.") == 0);
	CHECK(score_of("Hallitus pitää kiinni päätöksestään.") == 0);
	CHECK(score_of("Pidä kiinni tästä!") <= 0);
	CHECK(score_of("En pidä teidän uudesta hinnoittelusta.") <= 0);
	/* joy and affection the Finnish AFINN lacks; spoken thanks is a formula like "Kiitos." */
	CHECK(score_of("Haleja ja pusuja!") > 0.2);
	CHECK(score_of("Hurraa!") > 0.2);
	CHECK(score_of("Se oli ihana suudelma.") > 0.2);
	CHECK(score_of("Kiitti.") == 0);
	CHECK(score_of("Kiitti, tosi kiva.") > 0.2);
	/* "vannoa" is an oath, not cursing */
	CHECK(score_of("Vannon, etten tiennyt sitä.") == 0);
}

/* Fifteenth pass (a), insult: mockery of the reader's mind that uses no insult word (rhetorical
 * questions, ironic comparisons, the reader's empty head, the reader's IQ), person nouns by
 * their shape; ordinary questions, complaints and literal senses stay clean. */
TEST(text_round15a_insult)
{
	int aimed = 0;
	/* rhetorical questions about the reader's brain or skills, spoken forms too */
	CHECK(cat_of("Onko sulla aivot?", TEXT_ABUSE_INSULT, &aimed) >= TEXT_ABUSE_PRESENT);
	CHECK_INT(aimed, 1);
	CHECK(cat_of("Onko sinulla ollenkaan järkeä?", TEXT_ABUSE_INSULT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Osaatko lukea?", TEXT_ABUSE_INSULT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Osaatsä ees lukea?", TEXT_ABUSE_INSULT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Ajatteletko koskaan?", TEXT_ABUSE_INSULT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Mitä sä oikein sekoilet?", TEXT_ABUSE_INSULT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Onko sulla pää kipeä?", TEXT_ABUSE_INSULT, NULL) < 0.1);
	CHECK(cat_of("Onko sinulla aikaa huomenna?", TEXT_ABUSE_INSULT, NULL) < 0.1);
	CHECK(cat_of("Osaatko kertoa milloin paketti tulee?", TEXT_ABUSE_INSULT, NULL) < 0.1);
	CHECK(cat_of("Osaatko lukea nuotteja?", TEXT_ABUSE_INSULT, NULL) < 0.1);
	CHECK(cat_of("Oletko ikinä ajatellut muuttaa ulkomaille?", TEXT_ABUSE_INSULT, NULL) < 0.1);
	CHECK(cat_of("Mitä sinä ajattelet?", TEXT_ABUSE_INSULT, NULL) < 0.1);
	CHECK(cat_of("Mitä sä oikein teet huomenna?", TEXT_ABUSE_INSULT, NULL) < 0.1);
	CHECK(cat_of("Sovelluksenne sekoilee taas.", TEXT_ABUSE_INSULT, NULL) < TEXT_ABUSE_PRESENT);
	/* ironic comparisons of a mind adjective with a dull thing */
	CHECK(cat_of("Olet älykäs kuin kivi.", TEXT_ABUSE_INSULT, &aimed) >= TEXT_ABUSE_PRESENT);
	CHECK_INT(aimed, 1);
	CHECK(cat_of("Sä oot fiksu kuin lapanen.", TEXT_ABUSE_INSULT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Hän on yhtä fiksu kuin vanha lapanen.", TEXT_ABUSE_INSULT, &aimed) >= TEXT_ABUSE_PRESENT);
	CHECK_INT(aimed, 0);
	CHECK(cat_of("Leipä oli kova kuin kivi.", TEXT_ABUSE_INSULT, NULL) < 0.1);
	CHECK(cat_of("Viisas kuin pöllö.", TEXT_ABUSE_INSULT, NULL) < 0.1);
	/* the reader's head or brain with an empty or absent predicate */
	CHECK(cat_of("Pääsi on tyhjä.", TEXT_ABUSE_INSULT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Aivosi ovat narikassa.", TEXT_ABUSE_INSULT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Sun pää on ontto.", TEXT_ABUSE_INSULT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Sulla on pää ihan tyhjä.", TEXT_ABUSE_INSULT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Pääni on tyhjä tänään.", TEXT_ABUSE_INSULT, NULL) < 0.1);
	CHECK(cat_of("Sinun ostoskorisi on tyhjä.", TEXT_ABUSE_INSULT, NULL) < 0.1);
	CHECK(cat_of("Hän pääsi kotiin ajoissa.", TEXT_ABUSE_INSULT, NULL) < 0.1);
	/* the reader's IQ */
	CHECK(cat_of("Sun älykkyysosamäärä on huoneenlämpö.", TEXT_ABUSE_INSULT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Älykkyysosamäärä mitataan testillä.", TEXT_ABUSE_INSULT, NULL) < 0.1);
	/* a person noun by its shape: an agent noun or a person compound */
	CHECK(cat_of("Hän on surkea toimittaja.", TEXT_ABUSE_INSULT, NULL) > cat_of("Hän on surkea kirja.",
										      TEXT_ABUSE_INSULT, NULL));
	CHECK(cat_of("Olet inhottava kirjoittaja!", TEXT_ABUSE_INSULT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Tämä on surkea kirja.", TEXT_ABUSE_INSULT, NULL) < 0.1);
	CHECK(cat_of("Surkea raja-arvo.", TEXT_ABUSE_INSULT, NULL) < 0.1);
	/* ordinary complaints stay clean */
	CHECK(cat_of("Palvelunne on hidas ja tilaus on hukassa.", TEXT_ABUSE_INSULT, NULL) < 0.1);
	CHECK(cat_of("Onko teillä järkeä hinnoittelussa?", TEXT_ABUSE_INSULT, NULL) < 0.1);
}

/* Sixteenth pass (b), Finnish sentiment: the hortative passive is no angry command, a request
 * to wait is no complaint about waiting, spoken vowel assimilation ("kauhee", "upeeta",
 * "ihanii") keeps a word's colour, and spoken praise and encouragement words. */
TEST(text_pass16b_sentiment)
{
	/* "let's go", "see you": the speaker's plan, not anger; second-person commands still are */
	CHECK(score_of("Mennään!") == 0);
	CHECK(score_of("Lähdetään kotiin!") == 0);
	CHECK(score_of("Nähdään huomenna!") == 0);
	CHECK(score_of("Häivy!") < -0.1);
	CHECK(score_of("Menkää!") < -0.1);
	CHECK(score_of("Tapetaan ne!") < -0.5);
	/* "odota" asks the reader to wait; waiting itself still complains */
	CHECK(score_of("Odota hetki.") == 0);
	CHECK(score_of("Odotahan.") == 0);
	CHECK(score_of("Odottakaa tässä, tulen heti.") == 0);
	CHECK(score_of("Olen odottanut viikon.") < -0.15);
	CHECK(score_of("Odotan vastausta.") < -0.15);
	CHECK(score_of("Hän odottaa edelleen.") < 0);
	/* spoken vowels: "ee" for "ea"/"eä", a final "ii" for the plural partitive "ia"/"iä" */
	CHECK(score_of("Kauhee juttu.") < -0.3);
	CHECK(score_of("Hirvee.") < -0.3);
	CHECK(score_of("Upeeta!") > 0.3);
	CHECK(score_of("Tärkeetä.") > 0.2);
	CHECK(score_of("Ihanii kukkii.") > 0.3);
	CHECK(score_of("Mahtavii.") > 0.3);
	CHECK(score_of("Siistii!") > 0.3);
	/* no valence word behind the respelling: nothing made up */
	CHECK(score_of("Eestiä.") == 0);
	CHECK(score_of("Piirii.") == 0);
	CHECK(score_of("Keekee.") == 0);
	/* spoken praise, encouragement and address */
	CHECK(score_of("Mahtis!") > 0.3);
	CHECK(score_of("Tsemppiä!") > 0.3);
	CHECK(score_of("Rakkaani.") > 0.3);
}

/* data/lexicon/word_classes.tsv -> the generated tables (gen_lexicon.mjs): the exact table is
 * searched by bisection in text_word_class_exact(), so it must be non-empty, in byte order
 * (memcmp, then the shorter first) and without duplicates, each entry with a class. */
TEST(text_word_class_table_sorted)
{
	CHECK(text_wc_exact_count > 100);
	CHECK(text_wc_affix_count > 0);
	for (size_t k = 0; k < text_wc_exact_count; k++) {
		const struct text_wc_entry *e = &text_wc_exact[k];
		CHECK_INT(e->len, strlen(e->lemma));
		CHECK_INT(e->match, TEXT_WM_EXACT);
		CHECK(e->cls != 0 && !(e->cls & RC_PERSON_SHAPED));
		if (k > 0) {
			const struct text_wc_entry *p = &text_wc_exact[k - 1];
			int c = memcmp(p->lemma, e->lemma, p->len < e->len ? p->len : e->len);
			if (!(c < 0 || (c == 0 && p->len < e->len)))
				test_fail(__FILE__, __LINE__, "word class table out of order: %s before %s", p->lemma,
					  e->lemma);
		}
		/* every entry is found by the bisection */
		CHECK_INT(text_word_class_exact(e->lemma, e->len), e->cls);
	}
	for (size_t k = 0; k < text_wc_affix_count; k++)
		CHECK(text_wc_affix[k].match == TEXT_WM_PREFIX || text_wc_affix[k].match == TEXT_WM_SUFFIX);
	/* one lemma, several classes; affixes only through text_word_class_of() */
	uint64_t aivo = text_word_class_exact("aivo", 4);
	CHECK((aivo & (RC_MIND_NOUN | RC_BRAIN | RC_INSULT_HEAD)) == (RC_MIND_NOUN | RC_BRAIN | RC_INSULT_HEAD));
	CHECK_INT(text_word_class_exact("aiv", 3), 0);
	CHECK_INT(text_word_class_exact("aivoo", 5), 0);
	CHECK(text_word_class_of("karkotettava", strlen("karkotettava")) & RC_DEPORT);
	CHECK(!(text_word_class_exact("karkotettava", strlen("karkotettava")) & RC_DEPORT));
	CHECK(text_word_class_of("kaupparatsumies", strlen("kaupparatsumies")) & RC_PERSON_HEAD);
	CHECK(!(text_word_class_of("miesten", strlen("miesten")) & RC_PERSON_HEAD));
}

/* A class from word_classes.tsv reaches a word through its lemma: inflected forms get the bits
 * when they enter the cache, and the rule that tests the bit fires. */
TEST(text_word_class_reaches_words)
{
	if (!ta())
		return;
	const char *form = "kaaliasi"; /* mind_noun "kaali", partitive + possessive */
	const struct text_word *w = text_word_get(ta(), TEXT_LL_FI, form, strlen(form));
	CHECK(w && (w->rule_class & RC_MIND_NOUN));
	form = "hiirille"; /* animal "hiiri", plural allative */
	w = text_word_get(ta(), TEXT_LL_FI, form, strlen(form));
	CHECK(w && (w->rule_class & RC_ANIMAL) && !(w->rule_class & RC_MIND_NOUN));
	/* fi_mind_mockery(): the reader's head (mind_noun) with an empty predicate (mm_empty) */
	CHECK(cat_of("Kaalisi on ontto.", TEXT_ABUSE_INSULT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Nuppisi on tyhjä.", TEXT_ABUSE_INSULT, NULL) >= TEXT_ABUSE_PRESENT);
	CHECK(cat_of("Kaali on ontto.", TEXT_ABUSE_INSULT, NULL) < 0.1);
}

/*
 * Customer-service messages, the product's own domain: complaints about a product, a bill or a
 * service are no insults (even when they swear about a thing, which is obscenity or rudeness),
 * and name-calling, threats and swearing at the reader are. Each line here was checked by hand.
 */
TEST(text_customer_complaints_are_not_insults)
{
	static const char *const complaints[] = {
		/* "at your end": pää in the inessive after a fault noun (fi_at_your_end) */
		"Vika on teidän päässänne, ei meidän verkossa.",
		"Kiitos yhteydenotosta. Voisitko tarkistaa, näkyykö virhe sinun päässäsi?",
		"Ongelma on sinun päässäsi.",
		"Laskussa on virhe, olen maksanut tämän jo kahdesti.",
		"Asiakaspalvelunne ei vastaa puhelimeen ollenkaan, tämä on surkeaa palvelua.",
		"Te olette huono yritys, vaihdan kilpailijalle.",
		"Myyjä oli tyly ja töykeä, ei suositella.",
		"Hävettää teidän puolestanne, näin huonoa palvelua en ole ennen kokenut.",
		"Sovellus on ihan paska, ei toimi ollenkaan.",
		"Voi vittu kun taas myöhässä.",
		/* a Finnish insult adjective on a thing (fi_thing_modifier): rude, not an insult */
		"Säälittävää toimintaa teidän yritykseltä.",
		"Ihan idioottimainen järjestelmä, kuka tämän on suunnitellut?",
		"Typerä sääntö, ei mitään järkeä.",
		"Ääliömäinen päätös.",
		/* ... an insult as the first part of a thing, a quality noun that is nobody's */
		"Mikä idioottisääntö!",
		"Mikä hölmöys!",
		"Tyhmyyttä koko touhu.",
		/* English insult adjectives said of a thing (en_said_of_thing): rude, not insults */
		"This stupid app keeps crashing.",
		"Pathetic service, never again.",
		"The food was disgusting.",
		"Worthless product, broke in a day.",
		"What a dumb policy.",
		"Your support is incompetent.",
		"The price went up without notice, pretty shameless.",
		"I was charged twice for the same order, please refund me.",
		"The problem is on your end, not ours.",
		"This app is a piece of shit, nothing works.",
		"My brother got fired last year.",
	};
	for (size_t i = 0; i < sizeof(complaints) / sizeof(complaints[0]); i++) {
		struct text_result r;
		CHECK_INT(run(complaints[i], TEXT_LANG_AUTO, &r), 0);
		if (r.abuse[TEXT_ABUSE_INSULT] >= 0.5 || r.aimed_at_reader)
			fprintf(stderr, "  insult %.2f aimed %d: %s\n", r.abuse[TEXT_ABUSE_INSULT], r.aimed_at_reader,
				complaints[i]);
		CHECK(r.abuse[TEXT_ABUSE_INSULT] < 0.5);
		CHECK_INT(r.aimed_at_reader, 0);
		text_result_release(&r);
	}
	/* the English ones keep their rudeness: flagged as toxicity, with a span on the word */
	struct text_result r;
	const char *rude = "This stupid app keeps crashing.";
	CHECK_INT(run(rude, TEXT_LANG_EN, &r), 0);
	CHECK(r.abuse_flagged && r.abuse[TEXT_ABUSE_TOXICITY] >= 0.5);
	CHECK(r.nspans == 1 && r.spans[0].cat == TEXT_ABUSE_TOXICITY && r.spans[0].start == 5 && r.spans[0].end == 11);
	text_result_release(&r);
	static const struct {
		const char *text;
		enum text_abuse_cat cat;
	} abusive[] = {
		{ "Sinun päässäsi on vika.", TEXT_ABUSE_INSULT },
		{ "Olet säälittävä ihminen.", TEXT_ABUSE_INSULT },
		{ "Tyhmä ihminen!", TEXT_ABUSE_INSULT },
		{ "Senkin idioottimainen äijä.", TEXT_ABUSE_INSULT },
		{ "Sun tyhmyys on rajaton.", TEXT_ABUSE_INSULT },
		{ "Tyhmyytesi ei tunne rajoja.", TEXT_ABUSE_INSULT },
		{ "Mikä typerys!", TEXT_ABUSE_INSULT },
		{ "Senkin lurjus.", TEXT_ABUSE_INSULT },
		{ "Te olette yhtä pelleporukkaa.", TEXT_ABUSE_INSULT },
		{ "Olet täysi idiootti, etkä osaa mitään.", TEXT_ABUSE_INSULT },
		{ "Senkin vitun urpo, korjaa se jo.", TEXT_ABUSE_INSULT },
		{ "Asiakaspalvelijanne on tyhmä kuin saapas.", TEXT_ABUSE_INSULT },
		{ "Tapan sut jos tää ei korjaannu.", TEXT_ABUSE_THREAT },
		{ "Tiedän missä asut, kannattaa varoa.", TEXT_ABUSE_THREAT },
		{ "You are pathetic.", TEXT_ABUSE_INSULT },
		{ "Your stupid agent hung up on me.", TEXT_ABUSE_INSULT },
		{ "These stupid cops never help.", TEXT_ABUSE_INSULT },
		{ "He is a stupid man.", TEXT_ABUSE_INSULT },
		{ "Your agent is an idiot.", TEXT_ABUSE_INSULT },
		{ "I will find you and hurt you if this isn't fixed.", TEXT_ABUSE_THREAT },
		{ "You are a piece of shit.", TEXT_ABUSE_INSULT },
		{ "I'll make sure you lose your job.", TEXT_ABUSE_THREAT },
		{ "Saat potkut, pidän siitä huolen.", TEXT_ABUSE_THREAT },
		{ "He is a piece of shit.", TEXT_ABUSE_INSULT },
	};
	for (size_t i = 0; i < sizeof(abusive) / sizeof(abusive[0]); i++) {
		CHECK_INT(run(abusive[i].text, TEXT_LANG_AUTO, &r), 0);
		if (r.abuse[abusive[i].cat] < 0.5)
			fprintf(stderr, "  missed: %s\n", abusive[i].text);
		CHECK(r.abuse[abusive[i].cat] >= 0.5);
		text_result_release(&r);
	}
}

/* Seventeenth pass: threats against staff and premises (menace_at() in analyze.c, the weapon,
 * wreck and premises word classes, veiled-threat phrases), both ways. */
static double threat_auto(const char *s, int *aimed)
{
	struct text_result r;
	CHECK_INT(run(s, TEXT_LANG_AUTO, &r), 0);
	double v = r.abuse[TEXT_ABUSE_THREAT];
	if (aimed)
		*aimed = r.aimed_at_reader;
	text_result_release(&r);
	return v;
}

/* The same in English (en_sarcasm): praise of a failure "again" or after an opening word of
 * praise is negative; real good news stays positive. */
TEST(text_en_sarcasm_in_complaints)
{
	static const char *const sarcastic[] = {
		"Fantastic, the replacement is broken too.",
		"Nice, the app crashed again.",
		"Great, now it doesn't even start.",
		"Perfect, still not fixed.",
	};
	static const char *const glad[] = {
		"Great service, not bad at all.",
		"Thanks, it works again!",
		"Perfect, that fixed it.",
		"Good news, the bug is gone.",
		"Great support, thanks!",
	};
	/* complaint words AFINN lacks, and "support" (the team) is no praise */
	static const char *const complaints[] = {
		"I was overcharged for my last order.",
		"The support is unresponsive.",
		"The staff were unhelpful.",
		"Thank you for nothing.",
	};
	/* requests are no praise: "please", "would like to" */
	static const char *const requests[] = {
		"Please check my order, the invoice is wrong.",
		"I would like to cancel my subscription.",
		"I'd like to change my address.",
	};
	for (size_t i = 0; i < sizeof(requests) / sizeof(requests[0]); i++) {
		struct text_result c;
		CHECK_INT(run(requests[i], TEXT_LANG_EN, &c), 0);
		CHECK(c.sentiment_label != TEXT_SENT_POSITIVE);
		text_result_release(&c);
	}
	for (size_t i = 0; i < sizeof(complaints) / sizeof(complaints[0]); i++) {
		struct text_result c;
		CHECK_INT(run(complaints[i], TEXT_LANG_EN, &c), 0);
		CHECK_INT(c.sentiment_label, TEXT_SENT_NEGATIVE);
		text_result_release(&c);
	}
	struct text_result r;
	for (size_t i = 0; i < sizeof(sarcastic) / sizeof(sarcastic[0]); i++) {
		CHECK_INT(run(sarcastic[i], TEXT_LANG_EN, &r), 0);
		if (r.sentiment_label != TEXT_SENT_NEGATIVE)
			fprintf(stderr, "  not negative: %s\n", sarcastic[i]);
		CHECK_INT(r.sentiment_label, TEXT_SENT_NEGATIVE);
		text_result_release(&r);
	}
	for (size_t i = 0; i < sizeof(glad) / sizeof(glad[0]); i++) {
		CHECK_INT(run(glad[i], TEXT_LANG_EN, &r), 0);
		if (r.sentiment_label != TEXT_SENT_POSITIVE)
			fprintf(stderr, "  not positive: %s\n", glad[i]);
		CHECK_INT(r.sentiment_label, TEXT_SENT_POSITIVE);
		text_result_release(&r);
	}
}

/* English profanity in Finnish texts (lemma.c english_profanity): a word voikko does not know
 * takes the English abuse entry's evidence, also with a Finnish ending; English words that are
 * Finnish words too are Finnish. */
TEST(text_fi_english_profanity)
{
	static const struct {
		const char *text;
		enum text_abuse_cat cat;
	} abusive[] = {
		{ "Fuck you ja koko firma.", TEXT_ABUSE_OBSCENITY },
		{ "Ihan fucking surkeaa palvelua.", TEXT_ABUSE_OBSCENITY },
		{ "Olet ihan idiot.", TEXT_ABUSE_INSULT },
		{ "Tää on ihan bullshittiä.", TEXT_ABUSE_OBSCENITY },
	};
	static const char *const clean[] = {
		"Tilasin cocktailin ja se oli hyvä.",
		"Kiitos, homma toimii nyt.",
		"Päivitys asentui ja kone käynnistyi uudelleen.",
	};
	struct text_result r;
	for (size_t i = 0; i < sizeof(abusive) / sizeof(abusive[0]); i++) {
		CHECK_INT(run(abusive[i].text, TEXT_LANG_FI, &r), 0);
		if (r.abuse[abusive[i].cat] < 0.5)
			fprintf(stderr, "  missed: %s\n", abusive[i].text);
		CHECK(r.abuse[abusive[i].cat] >= 0.5);
		text_result_release(&r);
	}
	for (size_t i = 0; i < sizeof(clean) / sizeof(clean[0]); i++) {
		CHECK_INT(run(clean[i], TEXT_LANG_FI, &r), 0);
		CHECK_INT(r.abuse_flagged, 0);
		text_result_release(&r);
	}
}

/* Look-alikes found by a review of the session's rules: each was flagged or read the wrong way
 * before the fix (negated slander, the speaker's own premises, smoking and marketing idioms,
 * solved problems in thanks, a cocktail, a baby's bottom). */
TEST(text_review_lookalikes)
{
	static const struct {
		const char *text;
		enum text_lang lang;
	} clean[] = {
		{ "Immigrants are not lazy.", TEXT_LANG_EN },
		{ "I never said that women belong in the kitchen.", TEXT_LANG_EN },
		{ "Hajotan toimistoni.", TEXT_LANG_FI },
		{ "Räjäytän firmani.", TEXT_LANG_FI },
		{ "Poltan tupakkaa toimiston edessä.", TEXT_LANG_FI },
		{ "Räjäytetään hinnat koko kaupassa!", TEXT_LANG_FI },
		{ "Rikotaan kaupan myyntiennätys!", TEXT_LANG_FI },
		{ "Tilasin negronin baarista.", TEXT_LANG_FI },
		{ "Vauvan pylly on punainen, mitä suosittelet?", TEXT_LANG_FI },
		/* found by a red team of hand-written customer messages */
		{ "How do I shoot you a photo of the damaged item?", TEXT_LANG_EN },
		{ "Hi, this is Dick from accounts payable.", TEXT_LANG_EN },
		{ "I want to kill the auto-renewal on my subscription.", TEXT_LANG_EN },
		{ "Sulla oli mun lähete rintojen ultraan, onko se jo mennyt eteenpäin?", TEXT_LANG_FI },
		{ "Tiedän missä se on.", TEXT_LANG_FI },
	};
	static const struct {
		const char *text;
		enum text_lang lang;
	} thanks[] = {
		{ "Thanks, the problem is solved.", TEXT_LANG_EN },
		{ "Great, the issue is fixed now.", TEXT_LANG_EN },
		{ "Perfect, the error is gone.", TEXT_LANG_EN },
		{ "Thanks, no need to respond.", TEXT_LANG_EN },
		{ "Onpa hienoa, että vika korjattiin näin nopeasti.", TEXT_LANG_FI },
	};
	struct text_result r;
	for (size_t i = 0; i < sizeof(clean) / sizeof(clean[0]); i++) {
		CHECK_INT(run(clean[i].text, clean[i].lang, &r), 0);
		if (r.abuse_flagged)
			fprintf(stderr, "  flagged: %s\n", clean[i].text);
		CHECK_INT(r.abuse_flagged, 0);
		text_result_release(&r);
	}
	for (size_t i = 0; i < sizeof(thanks) / sizeof(thanks[0]); i++) {
		CHECK_INT(run(thanks[i].text, thanks[i].lang, &r), 0);
		if (r.sentiment_label != TEXT_SENT_POSITIVE)
			fprintf(stderr, "  not positive: %s\n", thanks[i].text);
		CHECK_INT(r.sentiment_label, TEXT_SENT_POSITIVE);
		text_result_release(&r);
	}
	/* the red team's missed threats, and rudeness that is not aimed at the reader */
	static const struct {
		const char *text;
		enum text_lang lang;
	} threats[] = {
		{ "Tiedän missä toimistonne on, kannattaa olla varovainen.", TEXT_LANG_FI },
		{ "Sä tuut katumaan tätä vielä.", TEXT_LANG_FI },
		{ "Odotan sua parkkipaikalla vuoron jälkeen.", TEXT_LANG_FI },
		{ "Toivottavasti jäät auton alle.", TEXT_LANG_FI },
		{ "Laitan sun kuvan ja kotiosoitteen nettiin.", TEXT_LANG_FI },
		{ "I hope you get cancer.", TEXT_LANG_EN },
		{ "You'd better hope I never see you outside that shop.", TEXT_LANG_EN },
		{ "Nice house on Maple Avenue, Sarah. Shame if something happened to it.", TEXT_LANG_EN },
	};
	CHECK_INT(run("What a waste of oxygen you are.", TEXT_LANG_EN, &r), 0);
	CHECK(r.abuse[TEXT_ABUSE_INSULT] >= 0.5 && r.aimed_at_reader);
	text_result_release(&r);
	for (size_t i = 0; i < sizeof(threats) / sizeof(threats[0]); i++) {
		CHECK_INT(run(threats[i].text, threats[i].lang, &r), 0);
		if (r.abuse[TEXT_ABUSE_THREAT] < 0.5)
			fprintf(stderr, "  missed threat: %s\n", threats[i].text);
		CHECK(r.abuse[TEXT_ABUSE_THREAT] >= 0.5);
		text_result_release(&r);
	}
	/* English violent idioms of praise are praise */
	CHECK_INT(run("You absolutely killed it, problem solved in one call.", TEXT_LANG_EN, &r), 0);
	CHECK_INT(r.sentiment_label, TEXT_SENT_POSITIVE);
	CHECK_INT(r.abuse_flagged, 0);
	text_result_release(&r);
	/* a violent idiom carries no sentiment of its own */
	CHECK_INT(run("Mun pitää tappaa aikaa tunti ennen junaa, onko asemalla kahvilaa?", TEXT_LANG_FI, &r), 0);
	CHECK_INT(r.sentiment_label, TEXT_SENT_NEUTRAL);
	text_result_release(&r);
	static const char *const rude[] = {
		"Naapuri sanoi mulle \"painu vittuun\" kun kysyin paketista.",
		"Tosi noloa.",
		"Vittu mikä sekasotku teidän laskuissa on taas.",
		"Tosi perseellään toi teidän sovellus.",
	};
	for (size_t i = 0; i < sizeof(rude) / sizeof(rude[0]); i++) {
		CHECK_INT(run(rude[i], TEXT_LANG_FI, &r), 0);
		CHECK(r.abuse[TEXT_ABUSE_INSULT] < 0.5);
		CHECK_INT(r.aimed_at_reader, 0);
		text_result_release(&r);
	}
}

/* Harassment of staff that is no insult or violence: sexual remarks and requests, knowing or
 * publishing where the reader lives, the reader's family, xenophobic abuse; and look-alikes that
 * must stay clean. */
TEST(text_fi_staff_harassment)
{
	static const struct {
		const char *text;
		enum text_abuse_cat cat;
	} abusive[] = {
		{ "Hei kulta, mitä sulla on päällä?", TEXT_ABUSE_OBSCENITY },
		{ "Sulla on varmaan kivat tissit.", TEXT_ABUSE_OBSCENITY },
		{ "Haluaisin panna sua.", TEXT_ABUSE_OBSCENITY },
		{ "Tiedän että sä asut Kalliossa, nähdään pian.", TEXT_ABUSE_THREAT },
		{ "Mä löysin sun facebookin, kiva perhe sulla.", TEXT_ABUSE_THREAT },
		{ "Odota vaan, mä kerron kaikille missä sä asut.", TEXT_ABUSE_THREAT },
		{ "Mene takaisin sinne mistä tulit.", TEXT_ABUSE_IDENTITY },
		{ "Naiset ei ymmärrä tekniikasta mitään, laita mies linjalle.", TEXT_ABUSE_IDENTITY },
		{ "Sulla on tosi seksikäs ääni, mitä teet illalla?", TEXT_ABUSE_OBSCENITY },
		{ "Onks sulla pitsipöksyt jalassa?", TEXT_ABUSE_OBSCENITY },
		{ "Lähetä nudeja niin maksan laskun.", TEXT_ABUSE_INSULT },
	};
	static const char *const clean[] = {
		"Panin kahvin tippumaan.",
		"Pannaan asia jäihin.",
		"Ostin kaupasta munia.",
		"Vaihda vauvalle vaippa ja pese pylly.",
		"Mitä sinulla oli päällä juhlissa?",
		"Ostin pikkuhousut teiltä ja ne oli liian pienet.",
		"Haluan puhua esimiehen kanssa.",
		"Kiva perhe sulla!",
		"Tulin takaisin lomalta eilen.",
		"Asiakaspalvelijanne Laura oli tosi ammattitaitoinen.",
	};
	struct text_result r;
	for (size_t i = 0; i < sizeof(abusive) / sizeof(abusive[0]); i++) {
		CHECK_INT(run(abusive[i].text, TEXT_LANG_FI, &r), 0);
		if (r.abuse[abusive[i].cat] < 0.5 || !r.aimed_at_reader)
			fprintf(stderr, "  missed: %s\n", abusive[i].text);
		CHECK(r.abuse[abusive[i].cat] >= 0.5);
		CHECK_INT(r.aimed_at_reader, 1);
		text_result_release(&r);
	}
	for (size_t i = 0; i < sizeof(clean) / sizeof(clean[0]); i++) {
		CHECK_INT(run(clean[i], TEXT_LANG_FI, &r), 0);
		if (r.abuse_flagged)
			fprintf(stderr, "  flagged: %s\n", clean[i]);
		CHECK_INT(r.abuse_flagged, 0);
		text_result_release(&r);
	}
	/* praise of the person who served (the praise words the translation lacked) */
	CHECK_INT(run("Asiakaspalvelijanne Laura oli tosi ammattitaitoinen.", TEXT_LANG_FI, &r), 0);
	CHECK_INT(r.sentiment_label, TEXT_SENT_POSITIVE);
	text_result_release(&r);
}

/* Sarcastic praise of a failure in Finnish complaints reads as negative (fi_sarcasm), and good
 * news with a negation or "again" stays positive. */
TEST(text_fi_sarcasm_in_complaints)
{
	static const char *const sarcastic[] = {
		"Onpa kiva odottaa viikko pakettia.",
		"Ihan mahtavaa, taas ei toimi mikään.",
		"Hienoa, paketti ei taaskaan tullut.",
	};
	static const char *const glad[] = {
		"Onpa kiva nähdä sinua!",
		"Kiitos, taas toimii kaikki hienosti.",
		"Ei hätää, nyt taas kaikki toimii hyvin.",
		"Onpa hyvä ettei sattunut mitään.",
		"Onpa ihana päivä taas!",
	};
	struct text_result r;
	for (size_t i = 0; i < sizeof(sarcastic) / sizeof(sarcastic[0]); i++) {
		CHECK_INT(run(sarcastic[i], TEXT_LANG_FI, &r), 0);
		if (r.sentiment_label != TEXT_SENT_NEGATIVE)
			fprintf(stderr, "  not negative: %s\n", sarcastic[i]);
		CHECK_INT(r.sentiment_label, TEXT_SENT_NEGATIVE);
		text_result_release(&r);
	}
	for (size_t i = 0; i < sizeof(glad) / sizeof(glad[0]); i++) {
		CHECK_INT(run(glad[i], TEXT_LANG_FI, &r), 0);
		if (r.sentiment_label != TEXT_SENT_POSITIVE)
			fprintf(stderr, "  not positive: %s\n", glad[i]);
		CHECK_INT(r.sentiment_label, TEXT_SENT_POSITIVE);
		text_result_release(&r);
	}
}

TEST(text_pass17_threat)
{
	static const char *const threats[] = {
		/* the speaker wrecks premises */
		"Räjäytän koko firman.",
		"Hajotan teidän paikat.",
		"Rikotaan niiden ikkunat.",
		"Poltan koko firman.",
		"I'll burn your office down.",
		"I will smash your store.",
		/* the speaker's arrival with menace */
		"Mä tuun sinne ja hajotan paikat.",
		"Tulen sinne pesäpallomailan kanssa.",
		"Tuun käymään puukon kanssa.",
		"Odota vaan kun tuun sinne.",
		"Tuun käymään ja sit rytisee.",
		"Tullaan teille ja hakataan teidät.",
		"I'll come there and smash everything.",
		"I'm coming to your office with a bat.",
		"We're coming over with guns.",
		/* veiled threats */
		"Tulet katumaan tätä.",
		"Kadut vielä.",
		"Varo selustaasi.",
		"You will regret this.",
		"You'll be sorry.",
		"Watch your back.",
		"I know where you work.",
	};
	for (size_t i = 0; i < sizeof(threats) / sizeof(threats[0]); i++) {
		int aimed = -1;
		double v = threat_auto(threats[i], &aimed);
		if (v < TEXT_ABUSE_PRESENT || !aimed)
			fprintf(stderr, "  missed: %.2f %s\n", v, threats[i]);
		CHECK(v >= TEXT_ABUSE_PRESENT);
		CHECK_INT(aimed, 1);
	}
	static const char *const ordinary[] = {
		/* arrivals with no menace: visits, pick-ups, a weapon bought or asked about */
		"Tulen käymään huomenna klo 10.",
		"Tuun sinne ja haen tilauksen.",
		"Tulen sinne ja korjaan sen.",
		"Tulen hakemaan tilaamani puukon huomenna.",
		"Myyttekö pesäpallomailoja?",
		"Tulen sinne autolla.",
		"I'm coming to your office to pick up my order.",
		"I'm coming over with my kids.",
		"I'll come by with the receipt.",
		/* wreck verbs of accidents, reports, things and denials */
		"Hajotin puhelimen vahingossa.",
		"Rikoin ikkunan vahingossa, voiko sen korvata?",
		"En aio hajottaa mitään.",
		"Hajotanko paikat?",
		"The update broke everything.",
		"I burned my hand.",
		"The fire burned the store down.",
		"We will burn the old files.",
		"I'll burn a CD for you.",
		/* regret and care that threaten no one */
		"Tulen katumaan tätä ostosta.",
		"Hän tulee katumaan.",
		"Pidä varasi liukkaalla tiellä.",
		"You won't regret it.",
		"You will regret nothing.",
		"I will never regret buying this.",
	};
	for (size_t i = 0; i < sizeof(ordinary) / sizeof(ordinary[0]); i++) {
		int aimed = -1;
		double v = threat_auto(ordinary[i], &aimed);
		if (v >= TEXT_ABUSE_PRESENT || aimed)
			fprintf(stderr, "  flagged: %.2f %s\n", v, ordinary[i]);
		CHECK(v < TEXT_ABUSE_PRESENT);
		CHECK_INT(aimed, 0);
	}
	/* the span covers the verb and what it wrecks, the arrival and the weapon */
	struct text_result r;
	const char *s = "Räjäytän koko firman.";
	CHECK_INT(run(s, TEXT_LANG_FI, &r), 0);
	int found = 0;
	for (size_t k = 0; k < r.nspans; k++)
		found |= r.spans[k].cat == TEXT_ABUSE_THREAT && r.spans[k].start == 0 &&
			 r.spans[k].end == strlen(s) - 1;
	CHECK(found);
	text_result_release(&r);
}

/* Eighteenth pass: English customer-service messages written by hand (not from the data files).
 * Complaints that swear about a situation or deny being stupid are neither insults nor aimed at
 * the reader (en_participle_formula(), en_self_intensifier(), en_speaker_self_judged() in
 * analyze.c); beatings, veiled "someone gets hurt", waiting after work, doxxing and sexual
 * harassment aimed at staff are flagged (phrases.tsv); sarcastic formulas read negative. */
TEST(text_pass18_english_customer)
{
	static const char *const ordinary[] = {
		/* an "-ed" form is no imperative formula: the speaker's anger, not "piss off" */
		"I'm pissed off that nobody told me about the price change.",
		"The crash pissed off half the office.",
		/* "so fucking tired": the speaker's state; the later "you" is no one sworn at */
		"I'm so fucking tired of calling you every week about the same problem.",
		"I am really fucking done with your billing department.",
		/* the speaker denies being stupid */
		"I'm not stupid, I know how to restart a router.",
		"I am not an idiot, I followed the guide step by step.",
		/* ordinary complaints: billing, delivery, outages, waits, refunds, rude staff */
		"I was charged twice this month and nobody has answered my emails.",
		"Your courier left my parcel in the rain and everything is soaked.",
		"Third outage this week, this is ridiculous.",
		"I've been on hold for two hours, this is absolutely unacceptable.",
		"The woman at the counter was rude to me and rolled her eyes.",
		"Your agent hung up on me twice.",
		"It has been six weeks and I still haven't received my refund.",
		"What the hell is going on with my order?",
		"This damn app logged me out again and I lost my cart.",
		"The website is a fucking mess, I can't even log in.",
		"Shit, the router died again.",
		"Your support team is clueless about your own product.",
		"This phone is killing me, it restarts every hour.",
		"I'm sick of this crap, just fix it.",
		"Bloody hell, the parcel is lost again.",
		"Your return policy is a rip-off.",
		/* the words of the new threat phrases in ordinary sentences */
		"I found your address on the website but the office was closed.",
		"We'll be waiting for you at the airport.",
		"Our team will beat the deadline.",
		"The nude lipstick shade is lovely.",
		"What are you wearing to the party?",
		"Can you send me the invoice?",
	};
	for (size_t i = 0; i < sizeof(ordinary) / sizeof(ordinary[0]); i++) {
		struct text_result r;
		CHECK_INT(run(ordinary[i], TEXT_LANG_EN, &r), 0);
		if (r.abuse[TEXT_ABUSE_INSULT] >= TEXT_ABUSE_PRESENT || r.abuse[TEXT_ABUSE_THREAT] >= TEXT_ABUSE_PRESENT ||
		    r.aimed_at_reader)
			fprintf(stderr, "  insult %.2f threat %.2f aimed %d: %s\n", r.abuse[TEXT_ABUSE_INSULT],
				r.abuse[TEXT_ABUSE_THREAT], r.aimed_at_reader, ordinary[i]);
		CHECK(r.abuse[TEXT_ABUSE_INSULT] < TEXT_ABUSE_PRESENT);
		CHECK(r.abuse[TEXT_ABUSE_THREAT] < TEXT_ABUSE_PRESENT);
		CHECK_INT(r.aimed_at_reader, 0);
		text_result_release(&r);
	}
	static const struct {
		const char *text;
		enum text_abuse_cat cat;
	} abusive[] = {
		/* formulas still tell the reader off; swearing at the reader stays an aimed insult */
		{ "Piss off.", TEXT_ABUSE_INSULT },
		{ "Fuck off, asshole.", TEXT_ABUSE_INSULT },
		{ "You're so fucking useless.", TEXT_ABUSE_INSULT },
		{ "I'm not the idiot here, you are.", TEXT_ABUSE_INSULT },
		{ "You are a useless idiot.", TEXT_ABUSE_INSULT },
		{ "Listen you moron, fix my account.", TEXT_ABUSE_INSULT },
		{ "You dumb fuck, read my email.", TEXT_ABUSE_INSULT },
		{ "Are you deaf or just stupid?", TEXT_ABUSE_INSULT },
		/* threats: beatings, veiled harm, waiting after work, doxxing */
		{ "I'm going to beat the crap out of you.", TEXT_ABUSE_THREAT },
		{ "One more excuse and I'll break your neck.", TEXT_ABUSE_THREAT },
		{ "I'll make you regret the day you were born.", TEXT_ABUSE_THREAT },
		{ "If my refund isn't here by Friday, someone is getting hurt.", TEXT_ABUSE_THREAT },
		{ "People like you deserve to get shot.", TEXT_ABUSE_THREAT },
		{ "I'll be waiting for you in the parking lot.", TEXT_ABUSE_THREAT },
		{ "You'd better watch yourself when you leave work tonight.", TEXT_ABUSE_THREAT },
		{ "I'll post your home address online so everyone can visit you.", TEXT_ABUSE_THREAT },
		{ "I know where you live, Jenny.", TEXT_ABUSE_THREAT },
		{ "I'm going to kill you.", TEXT_ABUSE_THREAT },
		/* sexual harassment of staff: masked as an aimed insult (phrases have no obscenity kind) */
		{ "Send me nudes and I'll drop the complaint.", TEXT_ABUSE_INSULT },
		{ "I'd love to bend you over the counter.", TEXT_ABUSE_OBSCENITY },
		{ "Suck my dick.", TEXT_ABUSE_INSULT },
		/* a slur aimed at staff */
		{ "Typical faggot customer service.", TEXT_ABUSE_IDENTITY },
	};
	for (size_t i = 0; i < sizeof(abusive) / sizeof(abusive[0]); i++) {
		struct text_result r;
		CHECK_INT(run(abusive[i].text, TEXT_LANG_EN, &r), 0);
		if (r.abuse[abusive[i].cat] < TEXT_ABUSE_PRESENT)
			fprintf(stderr, "  missed: %.2f %s\n", r.abuse[abusive[i].cat], abusive[i].text);
		CHECK(r.abuse_flagged);
		CHECK(r.abuse[abusive[i].cat] >= TEXT_ABUSE_PRESENT);
		text_result_release(&r);
	}
	/* aimed at the reader: threats and harassment of the person reading, not of a third party */
	static const char *const aimed[] = {
		"I'm going to beat the crap out of you.",
		"I'll be waiting for you in the parking lot.",
		"Send me nudes and I'll drop the complaint.",
		"You're so fucking useless.",
	};
	for (size_t i = 0; i < sizeof(aimed) / sizeof(aimed[0]); i++) {
		struct text_result r;
		CHECK_INT(run(aimed[i], TEXT_LANG_EN, &r), 0);
		CHECK_INT(r.aimed_at_reader, 1);
		text_result_release(&r);
	}
	/* abuse about third parties is flagged and not aimed at the reader */
	static const char *const third[] = {
		"My neighbour is an idiot who parks in my spot.",
		"The courier driver was a total asshole.",
		"The guy at the store was a complete moron.",
	};
	for (size_t i = 0; i < sizeof(third) / sizeof(third[0]); i++) {
		struct text_result r;
		CHECK_INT(run(third[i], TEXT_LANG_EN, &r), 0);
		CHECK(r.abuse_flagged);
		CHECK_INT(r.aimed_at_reader, 0);
		text_result_release(&r);
	}
	/* praise stays positive; a sarcastic formula reads negative */
	static const struct {
		const char *text;
		int label;
	} sent[] = {
		{ "Thank you so much, Sarah was incredibly helpful!", TEXT_SENT_POSITIVE },
		{ "Big thanks to Mike for sorting out my billing problem so quickly.", TEXT_SENT_POSITIVE },
		{ "Thanks for nothing.", TEXT_SENT_NEGATIVE },
		{ "Well, thanks for nothing, the parcel is still missing.", TEXT_SENT_NEGATIVE },
	};
	for (size_t i = 0; i < sizeof(sent) / sizeof(sent[0]); i++) {
		struct text_result r;
		CHECK_INT(run(sent[i].text, TEXT_LANG_EN, &r), 0);
		if (r.sentiment_label != sent[i].label)
			fprintf(stderr, "  sentiment %d: %s\n", r.sentiment_label, sent[i].text);
		CHECK_INT(r.sentiment_label, sent[i].label);
		text_result_release(&r);
	}
}

/* Nineteenth pass: English identity attacks on staff by construction (en_group_attack()): a
 * group slandered ("lazy immigrants", "X don't belong here", "X should go back") or refused
 * service ("get me a man", "not some foreigner"); neutral and positive mentions of the same
 * groups, and requests for a language or a human, stay clean. */
TEST(text_pass19_english_identity)
{
	static const char *const attacks[] = {
		"Your staff are all lazy immigrants",
		"I don't want to talk to a woman, get me a man",
		"I want to speak to a real person, not some curry muncher",
		"Go back to your own country",
		"Immigrants are lazy and stupid",
		"Muslims are animals",
		"Typical woman, can't do anything right",
		"Immigrants should go back where they came from",
		"Foreigners don't belong here",
		"Get me someone who speaks proper English",
		"Put a real Finn on the phone",
		"Transfer me to a man, women can't handle this",
		"Get me a white guy who knows what he is doing",
		"I don't want to be served by a foreigner",
		"Lazy foreigners taking our jobs",
		"Women belong in the kitchen",
		"Foreigners should be sent home",
		"Send these foreigners back home",
		"Women shouldn't be allowed to work in tech support",
		"Muslims don't belong here",
		"Why do you hire these lazy immigrants?",
		"Can I talk to someone who is not a foreigner?",
		"I want a native speaker, not some immigrant",
		"Learn to speak English or go home",
		"I'm not talking to some foreigner, get me your manager",
		"Your call centre is full of useless foreigners",
		"Dumb immigrant can't even understand me",
	};
	for (size_t i = 0; i < sizeof(attacks) / sizeof(attacks[0]); i++) {
		struct text_result r;
		CHECK_INT(run(attacks[i], TEXT_LANG_EN, &r), 0);
		if (r.abuse[TEXT_ABUSE_IDENTITY] < TEXT_ABUSE_PRESENT)
			fprintf(stderr, "  identity %.2f: %s\n", r.abuse[TEXT_ABUSE_IDENTITY], attacks[i]);
		CHECK(r.abuse[TEXT_ABUSE_IDENTITY] >= TEXT_ABUSE_PRESENT);
		CHECK(r.abuse_flagged);
		text_result_release(&r);
	}
	static const char *const ordinary[] = {
		"Our immigrant staff are great",
		"Women in tech deserve better pay",
		"Your immigration policy page is out of date",
		"I'm an immigrant myself and I love this shop",
		"Can I speak to someone in English please?",
		"The woman at the counter was very helpful",
		"I'd like to talk to a manager please",
		"My wife is a foreigner and needs help with the form",
		"We are a family of refugees and your staff treated us with kindness",
		"Could you transfer me to a colleague who speaks German?",
		"Foreigners need a passport to open an account",
		"I want to talk to a real person, not a bot",
		"Put a real person on the phone please",
		"I don't want to talk to a bot, get me a human",
		"The delivery guy was lazy and left the parcel outside",
		"Can a woman technician come to install it? I live alone",
		"Your staff are all lazy, nobody answered for two hours",
		"Gay couples are welcome at our hotel",
		"Typical Monday, the system is down again",
		"Typical immigrant success story, she built the company from nothing",
		"Immigrants are not allowed to vote in national elections",
		"Refugees don't belong to any union yet",
		"Muslims go back home for Eid every year",
		"Many immigrants send money back home",
		"I want to talk to a woman who called me yesterday",
		"Can I talk to a man or a woman, whoever is free?",
		"I moved back to my own country and need to change my address",
	};
	for (size_t i = 0; i < sizeof(ordinary) / sizeof(ordinary[0]); i++) {
		struct text_result r;
		CHECK_INT(run(ordinary[i], TEXT_LANG_EN, &r), 0);
		if (r.abuse[TEXT_ABUSE_IDENTITY] >= TEXT_ABUSE_PRESENT)
			fprintf(stderr, "  identity %.2f: %s\n", r.abuse[TEXT_ABUSE_IDENTITY], ordinary[i]);
		CHECK(r.abuse[TEXT_ABUSE_IDENTITY] < TEXT_ABUSE_PRESENT);
		text_result_release(&r);
	}
	/* said to the reader when the sentence addresses them, not otherwise */
	struct text_result r;
	CHECK_INT(run("Your staff are all lazy immigrants", TEXT_LANG_EN, &r), 0);
	CHECK_INT(r.aimed_at_reader, 1);
	text_result_release(&r);
	CHECK_INT(run("Foreigners don't belong here", TEXT_LANG_EN, &r), 0);
	CHECK_INT(r.aimed_at_reader, 0);
	text_result_release(&r);
}

/* Twentieth pass: customer-service vocabulary (data/lexicon/sentiment_*.tsv). Complaints whose
 * only sign is a service word the AFINN lists lack (an outage, a lost booking, spoiled food, a
 * faulty device, a price), praise of staff, and plain questions that one everyday word used to
 * pull negative (a booking confirmation, test results, blood tests, gluten-free food, flu jabs). */
TEST(text_pass20_vocabulary)
{
	static const struct {
		const char *text;
		enum text_lang lang;
		enum text_sentiment want;
	} msgs[] = {
	    {"Nettiyhteys on ollut poikki eilisillasta asti.", TEXT_LANG_FI, TEXT_SENT_NEGATIVE},
	    {"Sovellus jumittaa aina kun yritän maksaa.", TEXT_LANG_FI, TEXT_SENT_NEGATIVE},
	    {"Tilaus on ollut jumissa varastolla viikon.", TEXT_LANG_FI, TEXT_SENT_NEGATIVE},
	    {"Teidän sovellus kaatuilee koko ajan.", TEXT_LANG_FI, TEXT_SENT_NEGATIVE},
	    {"Tv-kuva pätkii joka ilta.", TEXT_LANG_FI, TEXT_SENT_NEGATIVE},
	    {"Puhelu katkeilee kesken kaiken.", TEXT_LANG_FI, TEXT_SENT_NEGATIVE},
	    {"Varaukseni oli kadonnut järjestelmästä.", TEXT_LANG_FI, TEXT_SENT_NEGATIVE},
	    {"Pakkaus oli kolhiintunut ja kannu haljennut.", TEXT_LANG_FI, TEXT_SENT_NEGATIVE},
	    {"Leipä oli homeinen.", TEXT_LANG_FI, TEXT_SENT_NEGATIVE},
	    {"Ruoka oli haaleaa ja pihvi palanut.", TEXT_LANG_FI, TEXT_SENT_NEGATIVE},
	    {"Tämä on ihan ylihintainen lippu.", TEXT_LANG_FI, TEXT_SENT_NEGATIVE},
	    {"Kiitos joustavasta ja reippaasta palvelusta.", TEXT_LANG_FI, TEXT_SENT_POSITIVE},
	    {"Myyjä neuvoi meitä avuliaasti ja huolellisesti.", TEXT_LANG_FI, TEXT_SENT_POSITIVE},
	    {"Onko teillä laktoositonta jälkiruokaa?", TEXT_LANG_FI, TEXT_SENT_NEUTRAL},
	    {"Saako gluteenittoman pohjan pizzaan?", TEXT_LANG_FI, TEXT_SENT_NEUTRAL},
	    {"Milloin verikokeen tulokset tulevat?", TEXT_LANG_FI, TEXT_SENT_NEUTRAL},
	    {"Tarvitsen uuden reseptin verenpainelääkkeeseen.", TEXT_LANG_FI, TEXT_SENT_NEUTRAL},
	    {"Sain vahvistuksen sähköpostiin, pitääkö se tulostaa?", TEXT_LANG_FI, TEXT_SENT_NEUTRAL},
	    {"The chicken was raw inside.", TEXT_LANG_EN, TEXT_SENT_NEGATIVE},
	    {"The bread was stale and the fries were soggy.", TEXT_LANG_EN, TEXT_SENT_NEGATIVE},
	    {"My steak came overcooked and the soup was lukewarm.", TEXT_LANG_EN, TEXT_SENT_NEGATIVE},
	    {"The charger you sent is faulty.", TEXT_LANG_EN, TEXT_SENT_NEGATIVE},
	    {"Your app is glitchy and laggy since the update.", TEXT_LANG_EN, TEXT_SENT_NEGATIVE},
	    {"Twenty euros for a sandwich is a rip-off.", TEXT_LANG_EN, TEXT_SENT_NEGATIVE},
	    {"The waiter was attentive and the chef very accommodating.", TEXT_LANG_EN, TEXT_SENT_POSITIVE},
	    {"Your technician was knowledgeable and efficient.", TEXT_LANG_EN, TEXT_SENT_POSITIVE},
	    {"Returning the jacket was hassle-free, thanks.", TEXT_LANG_EN, TEXT_SENT_POSITIVE},
	    {"Can I book a flu vaccination for Tuesday?", TEXT_LANG_EN, TEXT_SENT_NEUTRAL},
	};
	for (size_t i = 0; i < sizeof(msgs) / sizeof(msgs[0]); i++) {
		struct text_result r;
		CHECK_INT(run(msgs[i].text, msgs[i].lang, &r), 0);
		if ((int)r.sentiment_label != (int)msgs[i].want)
			fprintf(stderr, "  sentiment %d (%.2f), want %d: %s\n", r.sentiment_label, r.sentiment_score,
			        msgs[i].want, msgs[i].text);
		CHECK_INT(r.sentiment_label, msgs[i].want);
		text_result_release(&r);
	}
}

/* Severe abuse (text_result.severe): incitement to suicide, wishes of death or disease, denial of
 * worth or humanity, threats to kill, sexual insults of the reader's family; always flagged. An
 * ordinary insult, a report of a death, care for someone ("älä tapa itseäsi") and a family member
 * named without abuse are not severe. */
TEST(text_severe_abuse)
{
	static const struct {
		const char *text;
		enum text_lang lang;
	} severe[] = {
		{ "Tapa ittes!", TEXT_LANG_FI },
		{ "Vedä itsesi hirteen, saatana.", TEXT_LANG_FI },
		{ "Mene nyt jo ja vedä kiikkuun itses.", TEXT_LANG_FI },
		{ "Tehkää itsemurha kaikki.", TEXT_LANG_FI },
		{ "Et ole minkään arvoinen.", TEXT_LANG_FI },
		{ "Sinä et ansaitse elää.", TEXT_LANG_FI },
		{ "Toivottavasti kuolet.", TEXT_LANG_FI },
		{ "Mä tapan sut.", TEXT_LANG_FI },
		{ "Äitisi on huora.", TEXT_LANG_FI },
		{ "Sun mutsi on lutka.", TEXT_LANG_FI },
		{ "Painu helvettiin huora-äitis luo.", TEXT_LANG_FI },
		{ "kill yourself", TEXT_LANG_EN },
		{ "Go hang yourself.", TEXT_LANG_EN },
		{ "I hope you die.", TEXT_LANG_EN },
		{ "You are worthless.", TEXT_LANG_EN },
		{ "You don't deserve to live.", TEXT_LANG_EN },
		{ "I will kill you.", TEXT_LANG_EN },
		{ "Your mom is a whore.", TEXT_LANG_EN },
		{ "Toivottavasti koko sun perhe kuolee.", TEXT_LANG_FI },
		{ "I hope your whole family dies.", TEXT_LANG_EN },
		{ "Tuun sinne puukon kanssa.", TEXT_LANG_FI },
		{ "I'm coming in with a knife.", TEXT_LANG_EN },
		{ "Just die.", TEXT_LANG_EN },
	};
	static const struct {
		const char *text;
		enum text_lang lang;
	} not_severe[] = {
		{ "Olet täysi idiootti.", TEXT_LANG_FI },
		{ "Voi vittu kun taas myöhässä.", TEXT_LANG_FI },
		{ "Hän tappoi itsensä viime vuonna.", TEXT_LANG_FI },
		{ "Älä tapa itseäsi, apua on saatavilla.", TEXT_LANG_FI },
		{ "Kysy äidiltäsi, hän tietää.", TEXT_LANG_FI },
		{ "Äitisi soitti eilen laskusta.", TEXT_LANG_FI },
		{ "Veljeni teki itsemurhan.", TEXT_LANG_FI },
		{ "you are an idiot", TEXT_LANG_EN },
		{ "This update is killing me, the app keeps crashing.", TEXT_LANG_EN },
		{ "Tell your mom I said hi.", TEXT_LANG_EN },
		{ "My grandmother died last week.", TEXT_LANG_EN },
		{ "This coupon is worthless.", TEXT_LANG_EN },
		{ "Toivottavasti isäsi ei kuole leikkauksessa.", TEXT_LANG_FI },
		{ "I hope your dog didn't die.", TEXT_LANG_EN },
		{ "Ostin uuden puukon kalastukseen.", TEXT_LANG_FI },
	};
	struct text_result r;
	for (size_t i = 0; i < sizeof(severe) / sizeof(severe[0]); i++) {
		CHECK_INT(run(severe[i].text, severe[i].lang, &r), 0);
		if (!r.severe || !r.abuse_flagged)
			fprintf(stderr, "  not severe: %s\n", severe[i].text);
		CHECK_INT(r.severe, 1);
		CHECK_INT(r.abuse_flagged, 1);
		text_result_release(&r);
	}
	for (size_t i = 0; i < sizeof(not_severe) / sizeof(not_severe[0]); i++) {
		CHECK_INT(run(not_severe[i].text, not_severe[i].lang, &r), 0);
		if (r.severe)
			fprintf(stderr, "  severe: %s\n", not_severe[i].text);
		CHECK_INT(r.severe, 0);
		text_result_release(&r);
	}
}

/* Empathy and everyday words a service reply is full of are no abuse: how the reader feels
 * ("olet pettynyt", state_adj) and "rinnallasi" (beside you, not "rinta"). */
TEST(text_fi_empathy_is_not_abuse)
{
	static const struct flag_case msgs[] = {
		{ "Ymmärrän, että olet pettynyt ja vihainen.", TEXT_LANG_FI, 0 },
		{ "Olet varmasti väsynyt pitkän odotuksen jälkeen.", TEXT_LANG_FI, 0 },
		{ "Olitko vihainen minulle?", TEXT_LANG_FI, 0 },
		{ "Olet oikeassa, olet varmasti järkyttynyt.", TEXT_LANG_FI, 0 },
		{ "Olemme rinnallasi koko matkan.", TEXT_LANG_FI, 0 },
		{ "Työntekijämme kulkevat rinnallanne.", TEXT_LANG_FI, 0 },
		{ "Olen pahoillani, että olet joutunut odottamaan.", TEXT_LANG_FI, 0 },
		{ "Olet surkea.", TEXT_LANG_FI, 1 },
		{ "Olet kateellinen ja tyhmä.", TEXT_LANG_FI, 1 },
		{ "Sulla on isot rinnat.", TEXT_LANG_FI, 1 },
		{ "Sää oot ihan idiootti.", TEXT_LANG_FI, 1 },
	};
	check_flags(msgs, sizeof(msgs) / sizeof(msgs[0]), 1);
	/* "sää" the weather is no "you": swearing at the weather is not aimed (fi_weather()) */
	static const char *const weather[] = { "Ihan vitun surkee sää ja bussi ei tullu.", "Voi vittu mikä sää." };
	for (size_t i = 0; i < 2; i++) {
		struct text_result r;
		CHECK_INT(run(weather[i], TEXT_LANG_FI, &r), 0);
		CHECK_INT(r.aimed_at_reader, 0);
		text_result_release(&r);
	}
}

/* Everyday English words that an LDNOOBW -ing entry stems to are no obscenity: the entries
 * ("throating", "rimming", "shrimping") match only as written. */
TEST(text_en_everyday_words_not_obscene)
{
	static const struct flag_case msgs[] = {
		{ "I have a sore throat and a fever.", TEXT_LANG_EN, 0 },
		{ "The door knob is broken.", TEXT_LANG_EN, 0 },
		{ "The wheel rim is bent after the pothole.", TEXT_LANG_EN, 0 },
		{ "Please stay away from the shrimp.", TEXT_LANG_EN, 0 },
		{ "Fig jam was great.", TEXT_LANG_EN, 0 },
		{ "My finger hurts where the scissors slipped.", TEXT_LANG_EN, 0 },
		{ "Hang your coat on the peg.", TEXT_LANG_EN, 0 },
		{ "he was rimming her", TEXT_LANG_EN, 1 },
	};
	check_flags(msgs, sizeof(msgs) / sizeof(msgs[0]), 0);
	/* a degree adverb boosts the praise it modifies (en_degree_adverb()) */
	static const struct sent_case praise[] = {
		{ "The macarons here are insanely good.", TEXT_LANG_EN, TEXT_SENT_POSITIVE },
	};
	check_sentiments(praise, 1);
}

/* A red team of benign service messages (clinic, vet, support group, a customer's own mistake)
 * that were masked as abuse, beside the abusive use of the same words. */
TEST(text_service_red_team)
{
	static const struct flag_case msgs[] = {
		{ "Homot ja lesbot ovat tervetulleita.", TEXT_LANG_FI, 0 },
		{ "Mä oon ihan idiootti, tilasin väärän koon.", TEXT_LANG_FI, 0 },
		{ "Meidän narttu pentui eilen, kuusi pentua.", TEXT_LANG_FI, 0 },
		{ "Narttukoira vai uroskoira?", TEXT_LANG_FI, 0 },
		{ "I have a rash on my penis.", TEXT_LANG_EN, 0 },
		{ "My nipple has been sore since I started breastfeeding.", TEXT_LANG_EN, 0 },
		{ "Our bitch is in heat, can we book a spay?", TEXT_LANG_EN, 0 },
		{ "Should we vaccinate the cock if we keep chickens?", TEXT_LANG_EN, 0 },
		{ "My pussy cat has stopped eating.", TEXT_LANG_EN, 0 },
		{ "Do you serve faggots and peas?", TEXT_LANG_EN, 0 },
		{ "Do you sell feeders suitable for blue tits?", TEXT_LANG_EN, 0 },
		{ "Show me your tits.", TEXT_LANG_EN, 1 },
		{ "We need flame retardant paint for the stage.", TEXT_LANG_EN, 0 },
		{ "Paskaviemäri tulvi kellariin.", TEXT_LANG_FI, 0 },
		{ "Auton torvi ei toimi.", TEXT_LANG_FI, 0 },
		{ "Lämpötila on nolla astetta.", TEXT_LANG_FI, 0 },
		{ "Olet narttu.", TEXT_LANG_FI, 1 },
		{ "Don't be such a pussy.", TEXT_LANG_EN, 1 },
		{ "You retard.", TEXT_LANG_EN, 1 },
		{ "Homot on sairaita.", TEXT_LANG_FI, 1 },
		{ "You are a bitch.", TEXT_LANG_EN, 1 },
		/* farm animals and an animal's pregnancy */
		{ "Meidän pässi on kipeä, tekeekö eläinlääkäri kotikäyntejä maatiloille?", TEXT_LANG_FI, 0 },
		{ "Meillä on tiineenä oleva narttu, milloin kannattaa tulla ultraan?", TEXT_LANG_FI, 0 },
		{ "Sika porsi eilen navetassa.", TEXT_LANG_FI, 0 },
		{ "Our bitch is due soon, when should we book an ultrasound?", TEXT_LANG_EN, 0 },
		{ "Senkin pässi!", TEXT_LANG_FI, 1 },
		{ "Pässi karkasi aitauksesta ja rikkoi naapurin auton.", TEXT_LANG_FI, 0 },
		{ "Tilasin lampaan kyljyksiä mutta sain possua.", TEXT_LANG_FI, 0 },
		{ "We have rats in the basement and need pest control.", TEXT_LANG_EN, 0 },
		{ "The pig plush toy arrived torn, can I return it?", TEXT_LANG_EN, 0 },
		{ "You dirty rat.", TEXT_LANG_EN, 1 },
		/* a name that is also an abusive word, after a greeting or a title */
		{ "Hi Dick, thanks for the quote. Can you send the contract?", TEXT_LANG_EN, 0 },
		{ "Is Dr. Butt available on Tuesday?", TEXT_LANG_EN, 0 },
		{ "Hi dick, you ruined my order.", TEXT_LANG_EN, 1 },
		{ "Hey Idiot, read my email.", TEXT_LANG_EN, 1 },
		{ "Olet lehmä ja sika.", TEXT_LANG_FI, 1 },
	};
	check_flags(msgs, sizeof(msgs) / sizeof(msgs[0]), 0);
}

/* Illness is no name-calling: "sairas" said of the speaker or a third person describes them,
 * and a connegative after "en"/"hän ei" is nobody's imperative ("enkä pääse"); called at the
 * reader it stays an insult. A person noun or a name as the subject of a clear insult word judges
 * that person ("Pekka on tyhmä", "veljet on tyhmii"), as "he is an idiot" does in English. */
TEST(text_fi_illness_and_third_person_insults)
{
	static const struct flag_case msgs[] = {
		{ "Olen sairas enkä pääse tulemaan.", TEXT_LANG_FI, 0 },
		{ "Hän on sairas, joten hän ei pääse.", TEXT_LANG_FI, 0 },
		{ "Mieheni on ollut sairas viikon.", TEXT_LANG_FI, 0 },
		{ "Lapseni on sairas, joten peruisin ajan.", TEXT_LANG_FI, 0 },
		{ "Olet sairas.", TEXT_LANG_FI, 1 },
		{ "Pekka on tyhmä.", TEXT_LANG_FI, 1 },
		{ "Veljet on tyhmii.", TEXT_LANG_FI, 1 },
		{ "Asiakas on idiootti.", TEXT_LANG_FI, 1 },
	};
	check_flags(msgs, sizeof(msgs) / sizeof(msgs[0]), 0);
	struct text_result r;
	CHECK_INT(run("Olen sairas enkä pääse tulemaan.", TEXT_LANG_FI, &r), 0);
	CHECK_INT(r.aimed_at_reader, 0);
	text_result_release(&r);
}

/* The customer-service red team of the session after the twenty-first pass: threats to hurt the
 * reader's body (harm_to_body()), spoken "tuun" and "sulta", stalking and harassment phrases;
 * and what must stay clean: the writer's own body, a customer who says who they are ("olen
 * homo", "I'm gay"), pork on a menu, and a threat reported in quotes (not severe). */
TEST(text_threats_harassment_and_self_description)
{
	static const struct flag_case msgs[] = {
		{ "Katkaisen sulta sormet.", TEXT_LANG_FI, 1 },
		{ "Rikon sun naaman.", TEXT_LANG_FI, 1 },
		{ "Tuun ampumaan teidät kaikki.", TEXT_LANG_FI, 1 },
		{ "Pistän sut sairaalakuntoon.", TEXT_LANG_FI, 1 },
		{ "Istu mun naamalle.", TEXT_LANG_FI, 1 },
		{ "I'll smash your teeth in.", TEXT_LANG_EN, 1 },
		{ "I will break your legs.", TEXT_LANG_EN, 1 },
		{ "Send me nudes.", TEXT_LANG_EN, 1 },
		{ "I followed you home last week.", TEXT_LANG_EN, 1 },
		{ "Katkaisin sormeni eilen, voinko perua ajan?", TEXT_LANG_FI, 0 },
		{ "I'll cut my hair tomorrow.", TEXT_LANG_EN, 0 },
		{ "The dentist will cut your tooth out.", TEXT_LANG_EN, 0 },
		{ "Olen homo ja mieheni kanssa haluaisimme yhteisen pankkitilin.", TEXT_LANG_FI, 0 },
		{ "I'm gay and my husband and I want a joint account.", TEXT_LANG_EN, 0 },
		{ "Sisältääkö tämä annos sianlihaa?", TEXT_LANG_FI, 0 },
	};
	check_flags(msgs, sizeof(msgs) / sizeof(msgs[0]), 1);
	static const struct sent_case menu[] = {
		{ "Sisältääkö tämä annos sianlihaa?", TEXT_LANG_FI, TEXT_SENT_NEUTRAL },
	};
	check_sentiments(menu, 1);
	struct text_result r;
	CHECK_INT(run("A man in the queue said \"I'll kill you\" to his friend as a joke.", TEXT_LANG_EN, &r), 0);
	CHECK_INT(r.severe, 0);
	text_result_release(&r);
	CHECK_INT(run("Poikani sanoi kiusaajalle 'mä tapan sut' ja koulu soitti meille.", TEXT_LANG_FI, &r), 0);
	CHECK_INT(r.severe, 0);
	text_result_release(&r);
	CHECK_INT(run("Mä tapan sut.", TEXT_LANG_FI, &r), 0);
	CHECK_INT(r.severe, 1);
	text_result_release(&r);
}

/* The second red team's misses, a session later: spoken and inflected forms of slurs and
 * name-calling, the "go back" family in spoken forms, harassment that names the writer
 * ("mulla seisoo kun..."), threats that ask where the reader lives or picture them beaten,
 * while the same words in ordinary errands stay clean. */
TEST(text_spoken_slurs_go_back_and_harassment)
{
	static const struct flag_case msgs[] = {
		{ "Vammanen sä oot", TEXT_LANG_FI, 1 },
		{ "Et sä ees oo suomalainen, painu takas sinne mistä tulit", TEXT_LANG_FI, 1 },
		{ "Mee takas kotimaahas", TEXT_LANG_FI, 1 },
		{ "Kyllä mä sut löydän, Facebookista näky jo missä sä asut", TEXT_LANG_FI, 1 },
		{ "Sun naamas näyttää varmaan paremmalta mustelmilla", TEXT_LANG_FI, 1 },
		{ "Listen here you dirty gypsy", TEXT_LANG_EN, 1 },
		{ "you looked so sexy at reception, wear the short skirt again", TEXT_LANG_EN, 1 },
		{ "I got hard when you bent over to pick up the box", TEXT_LANG_EN, 1 },
		{ "Olette siis selkäänpuukottajia!", TEXT_LANG_FI, 1 },
		{ "Nähdään pimeällä kujalla, pankkineiti.", TEXT_LANG_FI, 1 },
		{ "There's a bullet with your name on it.", TEXT_LANG_EN, 1 },
		{ "I'm going to cave your skull in with a hammer if the phone breaks again.", TEXT_LANG_EN, 1 },
		{ "Haluun nähdä sut alasti, maksan hyvin.", TEXT_LANG_FI, 1 },
		{ "Your voice on the phone got me hard", TEXT_LANG_EN, 1 },
		{ "Haluun pehmeän munan, mut kovaks keitetty käy kans.", TEXT_LANG_FI, 0 },
		/* a review of the red-team phrases found these ordinary senses */
		{ "Mulla seisoo kun auto hajosi kesken matkan, tuletteko hinaamaan?", TEXT_LANG_FI, 0 },
		{ "Mulla seisoo sulle velkaa kympin, maksan huomenna.", TEXT_LANG_FI, 0 },
		{ "Treeni sai mut kovaks kuntoon, kiitos valmentaja!", TEXT_LANG_FI, 0 },
		{ "Koira haluaa nuolla sun kättä, se on niin innoissaan.", TEXT_LANG_FI, 0 },
		{ "Tää chilikastike on niin tulinen että sä kuolet, ihan paras!", TEXT_LANG_FI, 0 },
		{ "Onko teillä vasurin saksia? Olen vasuri.", TEXT_LANG_FI, 0 },
		{ "Olemme persaukisia opiskelijoita, onko alennusta?", TEXT_LANG_FI, 0 },
		{ "My muscles get hard when you do the deep tissue massage.", TEXT_LANG_EN, 0 },
		{ "These shoes make you bleed at the heel, can I return them?", TEXT_LANG_EN, 0 },
		{ "I'd better pray I don't get sick before the trip.", TEXT_LANG_EN, 0 },
		{ "I want to crush your arm wrestling record at the gym.", TEXT_LANG_EN, 0 },
		{ "The paper cut made my finger bleed, do you sell plasters?", TEXT_LANG_EN, 0 },
		{ "Mulla seisoo vanha auto pihassa, voiko sen tuoda huoltoon?", TEXT_LANG_FI, 0 },
		{ "Two tickets to the gypsy jazz concert, please.", TEXT_LANG_EN, 0 },
		{ "You look great in the new uniform!", TEXT_LANG_EN, 0 },
		{ "Mustelmilla peitetty polvi parani nopeasti, kiitos hoidosta.", TEXT_LANG_FI, 0 },
		{ "Paketti lähetetään takaisin kotimaahasi, jos osoite on väärä.", TEXT_LANG_FI, 0 },
		{ "Voit palata takaisin sinne mistä tulit, jos eksyt reitiltä.", TEXT_LANG_FI, 0 },
	};
	check_flags(msgs, sizeof(msgs) / sizeof(msgs[0]), 1);
	struct text_result r;
	/* an inflected slur voikko does not know: an -nen word's plural stem */
	CHECK_INT(run("Sinunlaiset mutiaiset pitäis heittää pois maasta", TEXT_LANG_FI, &r), 0);
	CHECK(r.abuse[TEXT_ABUSE_IDENTITY] >= TEXT_ABUSE_PRESENT);
	text_result_release(&r);
}

/* Third red team, ordinary errands with risky-looking words: a photo shoot, an intensifier, a
 * national park, pest control, a dog's heat pants, ram meat, monkey bars, being broke, running
 * a script. Animals stay name-calling of a person ("apinanaama"). */
TEST(text_everyday_senses_of_risky_words)
{
	static const struct flag_case msgs[] = {
		{ "Haluaisimme ampua hääkuvat teidän studiossa 14.6., onko silloin vapaata?", TEXT_LANG_FI, 0 },
		{ "Teidän ruisleipä on ihan hullun hyvää! Saako sitä myös perjantaisin?", TEXT_LANG_FI, 0 },
		{ "Poikani on ihan hulluna teidän jäätelöön, tuleeko mansikka takaisin?", TEXT_LANG_FI, 0 },
		{ "Mikä on Helvetinjärven kansallispuiston lähin bussipysäkki?", TEXT_LANG_FI, 0 },
		{ "Meidän kellarissa on kusiaisia, tekeekö teidän tuholaistorjunta kotikäyntejä?", TEXT_LANG_FI, 0 },
		{ "Ostin nartulle juoksuhousut mutta koko on liian pieni. Voinko vaihtaa isompaan?", TEXT_LANG_FI, 0 },
		{ "Onko ensi viikolla tulossa lampaan- tai pässinlihaa?", TEXT_LANG_FI, 0 },
		{ "Lapset rakastaa teidän sisäleikkipuiston apinatelinettä", TEXT_LANG_FI, 0 },
		{ "Onko teillä opiskelija-alennusta? Olen aika persaukinen tässä kuun lopussa", TEXT_LANG_FI, 0 },
		{ "The script keeps hanging, do I need to execute it as admin?", TEXT_LANG_EN, 0 },
		{ "Sä oot apinanaama", TEXT_LANG_FI, 1 },
		{ "Te ootte yhtä sikalaumaa.", TEXT_LANG_FI, 1 },
		{ "Sä oot pässinpäinen.", TEXT_LANG_FI, 1 },
		{ "Sä oot ihan hullun näköinen.", TEXT_LANG_FI, 1 },
		{ "Sä oot narttu ja sun juoksumatot on rikki.", TEXT_LANG_FI, 1 },
		{ "Lapset on ihan hulluina teidän jäätelöön.", TEXT_LANG_FI, 0 },
		{ "Give me a refund or I'll stab it into your neck.", TEXT_LANG_EN, 1 },
		{ "Sä oot ihan hullu", TEXT_LANG_FI, 1 },
		{ "I will execute you.", TEXT_LANG_EN, 1 },
	};
	check_flags(msgs, sizeof(msgs) / sizeof(msgs[0]), 1);
}

/* A model apology is a clean reply: empathy with the customer's feelings ("olet vihainen", "how
 * angry you are") and the trouble named in an apology ("Sorry you had a terrible experience")
 * are not harsh, and "Olen pahoillani" is an apology. Harsh wording without one still is. */
TEST(text_tone_empathy_is_clean)
{
	static const char *const clean[] = {
		"Ymmärrän, että olet pettynyt ja vihainen. Pahoittelemme tapahtunutta.",
		"Olen pahoillani, että jouduit odottamaan.",
		"I understand how angry you are, and I'm really sorry.",
		"Sorry you had a terrible experience with us.",
		"We're sorry your order arrived damaged.",
	};
	struct text_tone_report rep;
	for (size_t i = 0; i < sizeof(clean) / sizeof(clean[0]); i++) {
		CHECK_INT(text_tone_check(ta(), clean[i], strlen(clean[i]), TEXT_LANG_AUTO, TEXT_TONE_REPLY_TO_COMPLAINT, &rep), 0);
		if (rep.nissues)
			fprintf(stderr, "  %s: %s\n", rep.issues[0].name, clean[i]);
		CHECK_INT(rep.nissues, 0);
	}
	const char *harsh = "Your complaint is pathetic.";
	CHECK_INT(text_tone_check(ta(), harsh, strlen(harsh), TEXT_LANG_AUTO, 0, &rep), 0);
	CHECK(has_issue(&rep, TEXT_TONE_HARSH));
}

/* Everyday Finnish words of trouble and comfort the Finnish AFINN lacks (data/lexicon/
 * sentiment_fi.tsv, the session after the twentieth pass). */
TEST(text_fi_vocabulary_trouble_and_comfort)
{
	static const struct sent_case msgs[] = {
		{ "Ruoka oli maukasta ja tuoretta.", TEXT_LANG_FI, TEXT_SENT_POSITIVE },
		{ "Henkilökunta oli kärsivällistä ja ahkeraa.", TEXT_LANG_FI, TEXT_SENT_POSITIVE },
		{ "Ohjeet olivat selkeät ja laite kätevä.", TEXT_LANG_FI, TEXT_SENT_POSITIVE },
		{ "Olet ihan enkeli, kiitos!", TEXT_LANG_FI, TEXT_SENT_POSITIVE },
		{ "Mikä moska tämä on?", TEXT_LANG_FI, TEXT_SENT_NEGATIVE },
		{ "Ravintola oli meluisa ja jono pitkästyttävä.", TEXT_LANG_FI, TEXT_SENT_NEGATIVE },
	};
	check_sentiments(msgs, sizeof(msgs) / sizeof(msgs[0]));
}

/* The tone-check red team: reminders that the customer did not listen ("as I already said",
 * "kuten jo aiemmin sanoin") by rule, non-apologies, stonewalling and dismissal by phrase; and
 * good replies that must stay clean (a negated or an offered "fault"/"manual", what the
 * customer should have received, the Finnish thanks for understanding, spoken apologies). */
TEST(text_tone_red_team)
{
	static const struct {
		const char *text;
		enum text_tone_code code; /* expected issue, or TEXT_TONE_NCODES for a clean reply */
	} replies[] = {
		{ "Like I already said, the refund takes five days.", TEXT_TONE_BLAMING },
		{ "As previously stated, the offer has ended.", TEXT_TONE_BLAMING },
		{ "Kuten jo aiemmin sanoin, hyvitys kestää viisi päivää.", TEXT_TONE_BLAMING },
		{ "Niinku mä jo sanoin, ei onnistu.", TEXT_TONE_BLAMING },
		{ "Sorry you feel that way.", TEXT_TONE_HARSH },
		{ "Stop emailing us about this.", TEXT_TONE_HARSH },
		{ "Ei meidän ongelma.", TEXT_TONE_HARSH },
		{ "Kiitos romaanista.", TEXT_TONE_SARCASTIC },
		{ "Pahoittelemme viivästystä ja kiitämme ymmärryksestänne.", TEXT_TONE_NCODES },
		{ "You should have received a confirmation email, sorry.", TEXT_TONE_NCODES },
		{ "Sinun olisi pitänyt saada vahvistusviesti, pahoittelemme.", TEXT_TONE_NCODES },
		{ "This is not your fault at all, sorry.", TEXT_TONE_NCODES },
		{ "Tämä ei todellakaan ole oma vikasi, pahoittelen.", TEXT_TONE_NCODES },
		{ "You can read the manual online here. Thanks!", TEXT_TONE_NCODES },
		{ "If you had any other issues, just reply. Thanks!", TEXT_TONE_NCODES },
		{ "Sori siitä! Päivitin toimitusosoitteesi.", TEXT_TONE_NCODES },
		{ "Ikävä kuulla, ettei huonettasi siivottu. Hoidamme asian heti.", TEXT_TONE_NCODES },
		{ "As the sign said, the shop opens at nine. Thanks!", TEXT_TONE_NCODES },
		{ "Honey, the parcel is on its way. Thanks!", TEXT_TONE_HARSH },
		{ "Kultaseni, tilauksesi on matkalla. Kiitos!", TEXT_TONE_HARSH },
		{ "Dear Anna, thank you for your message.", TEXT_TONE_NCODES },
		{ "Kiitos viestistä! Tarkistin tilisi ja maksu oli veloitettu virheellisesti, korjasimme sen.",
		  TEXT_TONE_NCODES },
	};
	struct text_tone_report rep;
	for (size_t i = 0; i < sizeof(replies) / sizeof(replies[0]); i++) {
		const char *s = replies[i].text;
		CHECK_INT(text_tone_check(ta(), s, strlen(s), TEXT_LANG_AUTO, TEXT_TONE_REPLY_TO_COMPLAINT, &rep), 0);
		if (replies[i].code == TEXT_TONE_NCODES) {
			if (rep.nissues)
				fprintf(stderr, "  %s in a good reply: %s\n", rep.issues[0].name, s);
			CHECK_INT(rep.nissues, 0);
		} else {
			if (!has_issue(&rep, replies[i].code))
				fprintf(stderr, "  missed: %s\n", s);
			CHECK(has_issue(&rep, replies[i].code));
		}
	}
}

/* The abuse red team (messages to service staff): competence put-downs, threats of violence,
 * of the worker's job and privacy, a name called as the opening vocative, a slur called at the
 * reader, phonetic swearing - each flagged and aimed at the reader; and severe abuse in spoken
 * forms marked severe. */
TEST(text_abuse_red_team)
{
	static const struct flag_case aimed[] = {
		{ "Miten sut on edes palkattu tähän työhön?", TEXT_LANG_FI, 1 },
		{ "Lapsikin osais tehdä sun työn paremmin.", TEXT_LANG_FI, 1 },
		{ "Onks sulla joku vika päässä?", TEXT_LANG_FI, 1 },
		{ "Mä repäisen sun pään irti.", TEXT_LANG_FI, 1 },
		{ "Selvitän sun osoitteen ja tuun käymään.", TEXT_LANG_FI, 1 },
		{ "Voi tollo, mä kysyin ihan eri asiaa.", TEXT_LANG_FI, 1 },
		{ "Hei hölmö, sanoin jo.", TEXT_LANG_FI, 1 },
		{ "Sä oot homo.", TEXT_LANG_FI, 1 },
		{ "Homo, en halua että sä käsittelet mun asiaa.", TEXT_LANG_FI, 1 },
		{ "Sä oot ihan pihalla, et tiedä mitään.", TEXT_LANG_FI, 1 },
		{ "Sä oot täysi nolla.", TEXT_LANG_FI, 1 },
		{ "Can you even read?", TEXT_LANG_EN, 1 },
		{ "A child could do your job better than you.", TEXT_LANG_EN, 1 },
		{ "I'll smash your face in.", TEXT_LANG_EN, 1 },
		{ "I'll find out where you live.", TEXT_LANG_EN, 1 },
		{ "Hey idiot, read my email.", TEXT_LANG_EN, 1 },
		{ "Go fukk yourself.", TEXT_LANG_EN, 1 },
		{ "Go f-ck yourself.", TEXT_LANG_EN, 1 },
		{ "You c*nt.", TEXT_LANG_EN, 1 },
		{ "I'll hunt you down.", TEXT_LANG_EN, 1 },
		{ "Pidä varasi, sulle käy vielä huonosti.", TEXT_LANG_FI, 1 },
		{ "F u c k  y o u.", TEXT_LANG_EN, 1 },
		{ "You have a sexy voice, what are you wearing?", TEXT_LANG_EN, 1 },
		{ "Mikä on sun rintojen koko?", TEXT_LANG_FI, 1 },
	};
	check_flags(aimed, sizeof(aimed) / sizeof(aimed[0]), 1);
	static const struct {
		const char *text;
		enum text_lang lang;
	} severe[] = {
		{ "Mene tappamaan ittes.", TEXT_LANG_FI },
		{ "Toivon että sä kuolet.", TEXT_LANG_FI },
		{ "Et sä oo edes ihminen, oot pelkkää roskaa.", TEXT_LANG_FI },
		{ "Mä ammun sut.", TEXT_LANG_FI },
		{ "You're a dead man.", TEXT_LANG_EN },
		{ "I hope you get hit by a bus.", TEXT_LANG_EN },
	};
	struct text_result r;
	for (size_t i = 0; i < sizeof(severe) / sizeof(severe[0]); i++) {
		CHECK_INT(run(severe[i].text, severe[i].lang, &r), 0);
		if (!r.severe)
			fprintf(stderr, "  not severe: %s\n", severe[i].text);
		CHECK_INT(r.severe, 1);
		text_result_release(&r);
	}
}

/* A slur is an insult as well as an identity attack (the dev file labels "lisää matuja" an
 * insult), with the slur's own weight; toxicity counts its evidence once, so a text whose only
 * abuse is the slur is exactly as toxic as it is an identity attack. A customer saying who they
 * are, or a kind sentence about a group, gains no insult. */
TEST(text_slur_is_an_insult_counted_once)
{
	static const struct {
		const char *text;
		enum text_lang lang;
	} slurs[] = {
		{ "Mistähän voisi saada lisää matuja tänne?", TEXT_LANG_FI },
		{ "Ei enää yhtään ählämiä tänne.", TEXT_LANG_FI },
	};
	struct text_result r;
	for (size_t i = 0; i < sizeof(slurs) / sizeof(slurs[0]); i++) {
		CHECK_INT(run(slurs[i].text, slurs[i].lang, &r), 0);
		CHECK(r.abuse[TEXT_ABUSE_INSULT] >= TEXT_ABUSE_PRESENT);
		CHECK(r.abuse[TEXT_ABUSE_IDENTITY] >= TEXT_ABUSE_PRESENT);
		CHECK(fabs(r.abuse[TEXT_ABUSE_TOXICITY] - r.abuse[TEXT_ABUSE_IDENTITY]) < 1e-6);
		text_result_release(&r);
	}
	static const struct {
		const char *text;
		enum text_lang lang;
	} clean[] = {
		{ "Olen homo ja mieheni kanssa haluaisimme yhteisen pankkitilin.", TEXT_LANG_FI },
		{ "Homot ja lesbot ovat tervetulleita meille.", TEXT_LANG_FI },
	};
	for (size_t i = 0; i < sizeof(clean) / sizeof(clean[0]); i++) {
		CHECK_INT(run(clean[i].text, clean[i].lang, &r), 0);
		CHECK(r.abuse[TEXT_ABUSE_INSULT] < 0.01);
		text_result_release(&r);
	}
}

/* A phrase word written "=ala" matches that form only: a token whose lemma is "ala" ("aloin",
 * "alan") or "kohta" ("kohdassa") is no match, while the form itself still is, also spelled with
 * digits or stretched letters. Formulas whose lemmas are everyday words ("tuki" = support) take
 * exact forms. */
TEST(text_phrase_exact_forms_not_lemmas)
{
	static const struct flag_case msgs[] = {
		{ "Ala vetää!", TEXT_LANG_FI, 1 },
		{ "Tuki suus!", TEXT_LANG_FI, 1 },
		{ "Kohta sattuu.", TEXT_LANG_FI, 1 },
		{ "T4p4 1tt3s.", TEXT_LANG_FI, 1 },
		{ "Taaapa ittes.", TEXT_LANG_FI, 1 },
		{ "Kerron kaikille missä asut.", TEXT_LANG_FI, 1 },
		{ "Aloin vetää köyttä, mutta se ei liikkunut.", TEXT_LANG_FI, 0 },
		{ "Alan vetää kurssia ensi viikolla.", TEXT_LANG_FI, 0 },
		{ "Aloin painua kasaan väsymyksestä.", TEXT_LANG_FI, 0 },
		{ "Polven kohdassa sattuu kävellessä.", TEXT_LANG_FI, 0 },
		{ "Valtion tuki suurille yrityksille kasvoi.", TEXT_LANG_FI, 0 },
		{ "Hallitus tuki suunnitelmaa.", TEXT_LANG_FI, 0 },
		{ "Kerron kaikille missä sain näin hyvää palvelua.", TEXT_LANG_FI, 0 },
	};
	check_flags(msgs, sizeof(msgs) / sizeof(msgs[0]), 1);
}

/* A helper's audit of the phrase table wrote ordinary messages around each formula; the
 * general causes found are handled: a head written in the first or second person means that
 * person ("tiedän missä asut", "puhut huonoa suomea"), a modal "voi" passes a killing verb on
 * to a thing ("yliannostus voi tappaa sinut"), a noun or a third-person reading of a formula's
 * first word is no order ("helpoin tapa itsesi...", "jos lapsi hyppää sillalta"), an idiom with
 * the next word ("dead right", "die down", "bullet point", "elää pelossa"), an English negation
 * right before ("don't kill yourself carrying") and an English past the formula does not have
 * ("my battery just died"). The formulas themselves stay severe abuse. */
TEST(text_phrase_everyday_senses)
{
	static const struct flag_case msgs[] = {
		{ "Kuljettajamme tietää missä asutte, hän tuo paketin.", TEXT_LANG_FI, 0 },
		{ "Puhun huonoa suomea, voiko asioida englanniksi?", TEXT_LANG_FI, 0 },
		{ "Opettelen suomea, mutta puhun vielä huonosti.", TEXT_LANG_FI, 0 },
		{ "Tämän lääkkeen yliannostus voi tappaa sinut.", TEXT_LANG_FI, 0 },
		{ "Helpoin tapa itsesi tunnistamiseen on pankkitunnukset.", TEXT_LANG_FI, 0 },
		{ "Mitä teen jos lapsi hyppää sillalta järveen?", TEXT_LANG_FI, 0 },
		{ "Et ansaitse elää pelossa, ota yhteyttä turvakotiin.", TEXT_LANG_FI, 0 },
		{ "You're dead right about the invoice.", TEXT_LANG_EN, 0 },
		{ "The swelling should die down in a few days.", TEXT_LANG_EN, 0 },
		{ "Could you put a bullet point list of the fees on the page?", TEXT_LANG_EN, 0 },
		{ "The venue is drop dead gorgeous.", TEXT_LANG_EN, 0 },
		{ "The deposit should be put down by Friday.", TEXT_LANG_EN, 0 },
		{ "My car battery just died in your parking lot, can someone help?", TEXT_LANG_EN, 0 },
		{ "Tiedän missä asut.", TEXT_LANG_FI, 1 },
		{ "Puhut huonoa suomea.", TEXT_LANG_FI, 1 },
		{ "Voit painua vittuun.", TEXT_LANG_FI, 1 },
		{ "Sun kannattaa varoa selustaas.", TEXT_LANG_FI, 1 },
		{ "Mä voin tappaa sut.", TEXT_LANG_FI, 1 },
		{ "Mene ja tapa itsesi.", TEXT_LANG_FI, 1 },
		{ "Hyppää sillalta.", TEXT_LANG_FI, 1 },
		{ "Et ansaitse elää.", TEXT_LANG_FI, 1 },
		{ "Don't make me kill you.", TEXT_LANG_EN, 1 },
		{ "You're dead.", TEXT_LANG_EN, 1 },
		{ "Just die.", TEXT_LANG_EN, 1 },
		{ "You should be put down like a dog.", TEXT_LANG_EN, 1 },
		{ "you looked so sexy at reception, wear the short skirt again", TEXT_LANG_EN, 1 },
	};
	check_flags(msgs, sizeof(msgs) / sizeof(msgs[0]), 1);
	static const struct {
		const char *text;
		enum text_lang lang;
	} severe[] = {
		{ "Mene ja tapa itsesi.", TEXT_LANG_FI },
		{ "Hyppää sillalta.", TEXT_LANG_FI },
		{ "Just die.", TEXT_LANG_EN },
	};
	struct text_result r;
	for (size_t i = 0; i < sizeof(severe) / sizeof(severe[0]); i++) {
		CHECK_INT(run(severe[i].text, severe[i].lang, &r), 0);
		CHECK_INT(r.severe, 1);
		text_result_release(&r);
	}
}

/* Explicit threats found missing by a coverage check (2026-12-07), each beside the everyday
 * sentence that shares its words: the threat must score as one, the other must not flag. */
TEST(text_threat_coverage_everyday_twins)
{
	static const struct {
		const char *threat, *everyday;
		enum text_lang lang;
		int not_aimed; /* "potkin" is also a noun ("potka", plural): half the evidence */
	} pairs[] = {
		/* "potkin", "listin": present and past at once; a threat says what will happen */
		{ "Potkin sua päähän.", "Potkin palloa pihalla koko illan.", TEXT_LANG_FI, 1 },
		{ "Mä listin sut.", "Listin kaikki tilaukset taulukkoon.", TEXT_LANG_FI, 0 },
		{ "Katkon sun sormet jos vielä kerran pyydät henkkareita.", "Katkon oksat pihalta huomenna.",
		  TEXT_LANG_FI, 0 },
		{ "Mä murskaan sun kallon.", "Murskaan valkosipulin ja lisään sen kastikkeeseen.", TEXT_LANG_FI, 0 },
		{ "Sun päivät on luetut.", "Vanhojen puhelimien päivät ovat luetut.", TEXT_LANG_FI, 0 },
		{ "Pistän sut kärsimään.", "Asiakkaat saa kärsiä huonosta palvelusta.", TEXT_LANG_FI, 0 },
		{ "Revin sulta pään irti.", "Revin paperin kahtia.", TEXT_LANG_FI, 0 },
		{ "I'll cut you.", "I'll cut you a deal on the second one.", TEXT_LANG_EN, 0 },
		{ "I'll choke you.", "The smoke could choke you if you stay inside.", TEXT_LANG_EN, 0 },
		{ "I'll run you over.", "Let me run you over the main points.", TEXT_LANG_EN, 0 },
		{ "I'll kick your ass.", "I'll kick off the meeting at nine.", TEXT_LANG_EN, 0 },
	};
	struct text_result r;
	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		CHECK_INT(run(pairs[i].threat, pairs[i].lang, &r), 0);
		if (r.abuse[TEXT_ABUSE_THREAT] < 0.5 || (!pairs[i].not_aimed && !r.aimed_at_reader))
			fprintf(stderr, "  threat %.2f aimed %d: %s\n", r.abuse[TEXT_ABUSE_THREAT], r.aimed_at_reader,
				pairs[i].threat);
		CHECK(r.abuse[TEXT_ABUSE_THREAT] >= 0.5);
		if (!pairs[i].not_aimed)
			CHECK_INT(r.aimed_at_reader, 1);
		text_result_release(&r);
		CHECK_INT(run(pairs[i].everyday, pairs[i].lang, &r), 0);
		if (r.abuse_flagged)
			fprintf(stderr, "  flagged: %s\n", pairs[i].everyday);
		CHECK_INT(r.abuse_flagged, 0);
		text_result_release(&r);
	}
}

/* A text and whether the analysis must mark it; an unmarked one must not be flagged at all
 * (the ordinary twin of a marked one). */
struct mark_case {
	const char *text;
	enum text_lang lang;
	int marked;
};

static int marks_identity(const struct text_result *r)
{
	return r->abuse[TEXT_ABUSE_IDENTITY] >= 0.5;
}

static int marks_severe(const struct text_result *r)
{
	return r->severe;
}

static int marks_insult(const struct text_result *r)
{
	return r->abuse[TEXT_ABUSE_INSULT] >= 0.5;
}

static void check_marks(const struct mark_case *c, size_t n, int (*marks)(const struct text_result *))
{
	for (size_t i = 0; i < n; i++) {
		struct text_result r;
		CHECK_INT(run(c[i].text, c[i].lang, &r), 0);
		int marked = marks(&r);
		if (marked != c[i].marked || (!c[i].marked && r.abuse_flagged))
			fprintf(stderr, "  marked %d flagged %d, want %d: %s\n", marked, r.abuse_flagged, c[i].marked,
				c[i].text);
		CHECK_INT(marked, c[i].marked);
		if (!c[i].marked)
			CHECK_INT(r.abuse_flagged, 0);
		text_result_release(&r);
	}
}

/* Identity attacks found missing by a coverage check (2026-12-07), beside their ordinary twins. */
TEST(text_identity_coverage)
{
	static const struct mark_case ids[] = {
		/* a verbless call to remove a group, up to five words */
		{ "Ulkomaalaiset pois meidän maasta.", TEXT_LANG_FI, 1 },
		{ "Ulkomaalaiset pääsivät pois leiriltä eilen.", TEXT_LANG_FI, 0 },
		{ "Painu takaisin omaan maahas.", TEXT_LANG_FI, 1 },
		{ "Palaan takaisin omaan maahani ensi viikolla.", TEXT_LANG_FI, 0 },
		{ "Puhu suomea tai häivy.", TEXT_LANG_FI, 1 },
		{ "Puhu suomea tai englantia, kumpi vain sopii.", TEXT_LANG_FI, 0 },
		{ "Your kind isn't welcome here.", TEXT_LANG_EN, 1 },
		{ "Your kind words are always welcome here.", TEXT_LANG_EN, 0 },
		{ "Speak English or get out.", TEXT_LANG_EN, 1 },
		/* the orientation's own noun, a slur for Laestadians, "invaders" (third session) */
		{ "Homous on sairaus.", TEXT_LANG_FI, 1 },
		{ "Homoudesta keskustellaan paljon.", TEXT_LANG_FI, 0 },
		{ "Typerät lestat eivät ymmärrä mitään.", TEXT_LANG_FI, 1 },
		{ "Lestadiolaisilla on paljon lapsia.", TEXT_LANG_FI, 0 },
		{ "Maahantunkeutujat pois Suomesta.", TEXT_LANG_FI, 1 },
		{ "Maahanmuuttajat tulivat Suomeen töihin.", TEXT_LANG_FI, 0 },
	};
	check_marks(ids, sizeof(ids) / sizeof(ids[0]), marks_identity);
}

/* Severe abuse found missing by a coverage check (2026-12-07), beside ordinary sentences that
 * share its words: an armed threat is a clear threat with a weapon in its sentence. */
TEST(text_severe_coverage)
{
	static const struct mark_case sev[] = {
		{ "Mulla on ase ja tiedän missä asut.", TEXT_LANG_FI, 1 },
		{ "Hakkaan sut pesäpallomailalla.", TEXT_LANG_FI, 1 },
		{ "Mulla on aselupa ja metsästän hirviä.", TEXT_LANG_FI, 0 },
		{ "Toivottavasti saat syövän.", TEXT_LANG_FI, 1 },
		{ "Saat syövän jos poltat noin paljon.", TEXT_LANG_FI, 0 },
		{ "Hanki syöpä.", TEXT_LANG_FI, 1 },
		{ "Hanki syöpävakuutus ajoissa.", TEXT_LANG_FI, 0 },
		{ "Maailma ois parempi ilman sua.", TEXT_LANG_FI, 1 },
		{ "Olet ihmisroskaa.", TEXT_LANG_FI, 1 },
		{ "I have a gun and I know where you live.", TEXT_LANG_EN, 1 },
		{ "You're a waste of oxygen.", TEXT_LANG_EN, 1 },
		{ "You shouldn't exist.", TEXT_LANG_EN, 1 },
		{ "Corruption is a cancer on society.", TEXT_LANG_EN, 0 },
	};
	check_marks(sev, sizeof(sev) / sizeof(sev[0]), marks_severe);
}

/* Name-calling and obscene demands found missing by coverage checks (2026-12-07). */
TEST(text_insult_coverage)
{
	static const struct flag_case msgs[] = {
		{ "Olet pervo.", TEXT_LANG_FI, 1 },
		{ "Sä oot ihan nisti.", TEXT_LANG_FI, 1 },
		{ "Olet persereikä.", TEXT_LANG_FI, 1 },
		/* "senkin" with a negative word in the nominative calls a name */
		{ "Senkin surkea!", TEXT_LANG_FI, 1 },
		{ "Senkin huonon kokemuksen jälkeen palasin asiakkaaksi.", TEXT_LANG_FI, 0 },
		/* an obscene demand in the imperative is said to the reader */
		{ "Näytä tissit.", TEXT_LANG_FI, 1 },
		{ "Näytä kuitti kassalla.", TEXT_LANG_FI, 0 },
		{ "Send nudes.", TEXT_LANG_EN, 1 },
		{ "I want to see you naked.", TEXT_LANG_EN, 1 },
		{ "Tuu mun kanssa sänkyyn.", TEXT_LANG_FI, 1 },
		{ "Lapsi tuli mun kanssa sänkyyn aamulla.", TEXT_LANG_FI, 0 },
		{ "What are you wearing to the party?", TEXT_LANG_EN, 0 },
		{ "You're such a twit.", TEXT_LANG_EN, 1 },
		{ "You are a lardass.", TEXT_LANG_EN, 1 },
		/* "elätti" is also the past of "elättää" (to provide for): not listed */
		{ "Isä elätti koko perheen yksin.", TEXT_LANG_FI, 0 },
		{ "Follow us on Twitter for the opening hours.", TEXT_LANG_EN, 0 },
	};
	check_flags(msgs, sizeof(msgs) / sizeof(msgs[0]), 1);
}

/* An insult's stem shared with an everyday verb (lemma.c, fill_en): the verb forms call nobody
 * names ("prices keep creeping up"), the listed forms and the nouns still do. */
TEST(text_en_insult_stems_and_verb_forms)
{
	static const struct mark_case marks[] = {
		{ "Prices keep creeping up.", TEXT_LANG_EN, 0 },
		{ "The car jerked when I braked.", TEXT_LANG_EN, 0 },
		{ "We trashed the old boxes.", TEXT_LANG_EN, 0 },
		{ "The kids were fooling around.", TEXT_LANG_EN, 0 },
		{ "He was ignored by the staff.", TEXT_LANG_EN, 0 },
		{ "Please ignore my last email.", TEXT_LANG_EN, 0 },
		{ "You are a creep.", TEXT_LANG_EN, 1 },
		{ "You jerk!", TEXT_LANG_EN, 1 },
		{ "You fools.", TEXT_LANG_EN, 1 },
		{ "You're retarded.", TEXT_LANG_EN, 1 },
		{ "You are perverted.", TEXT_LANG_EN, 1 },
	};
	check_marks(marks, sizeof(marks) / sizeof(marks[0]), marks_insult);
	/* found before only through "ignoring" read as "ignorant" */
	struct text_result r;
	CHECK_INT(run("Keep ignoring my emails and you'll be needing a dentist.", TEXT_LANG_EN, &r), 0);
	CHECK(r.abuse[TEXT_ABUSE_THREAT] >= 0.5);
	text_result_release(&r);
	CHECK_INT(run("Baby why u ignoring me, u know u want this", TEXT_LANG_EN, &r), 0);
	CHECK(r.abuse_flagged && r.aimed_at_reader);
	text_result_release(&r);
}

/* A text, its language, and whether it must be marked severe (flagged or not otherwise). */
struct severe_case {
	const char *text;
	int lang;
	int severe;
};

static void check_severe(const struct severe_case *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct text_result r;
		CHECK_INT(run(c[i].text, c[i].lang, &r), 0);
		if (r.severe != c[i].severe)
			fprintf(stderr, "  severe %d, want %d: %s\n", r.severe, c[i].severe, c[i].text);
		CHECK_INT(r.severe, c[i].severe);
		text_result_release(&r);
	}
}

/* A review of the severe constructions probed them with ordinary texts of medicine, insurance,
 * pest control, photography, games, safety, history and jokes (a selection below, none severe
 * however else it scores), and with near variants that must be (the second list). */
TEST(text_severe_review_twins)
{
	static const struct severe_case c[] = {
		{ "Toivon, että isoäiti saa kuolla kotona omassa sängyssään.", TEXT_LANG_FI, 0 },
		{ "Toivottavasti vakuutus korvaa hautajaiset, jos isä kuolee.", TEXT_LANG_FI, 0 },
		{ "Haluan nähdä isän vielä kerran ennen kuin hän kuolee.", TEXT_LANG_FI, 0 },
		{ "Toivottavasti mummo kuolee pian ja kivuttomasti, hän on kärsinyt niin kauan.", TEXT_LANG_FI, 0 },
		{ "Toivon sulle paranemista syövästä.", TEXT_LANG_FI, 0 },
		{ "Toivon, että lääkärit saavat syövän kuriin.", TEXT_LANG_FI, 0 },
		{ "Toivottavasti sä saat syövän hoidon ajoissa.", TEXT_LANG_FI, 0 },
		{ "Toivon et kuole siihen tautiin.", TEXT_LANG_FI, 0 },
		{ "Yksi tapa suojata itsesi huijauksilta on vahva salasana.", TEXT_LANG_FI, 0 },
		{ "Ammut itsesi jalkaan tolla päätöksellä.", TEXT_LANG_FI, 0 },
		{ "Sä tapat ittes vielä ton treenin kanssa, lepää välillä.", TEXT_LANG_FI, 0 },
		{ "Mene auton alle tarkistamaan pakoputki.", TEXT_LANG_FI, 0 },
		{ "Astu bussin eteen vasta, kun se on pysähtynyt kokonaan.", TEXT_LANG_FI, 0 },
		{ "Miks sä vielä asut siellä missä elät?", TEXT_LANG_FI, 0 },
		{ "Miksi te vielä väitätte, ettei tätä ongelmaa ole olemassa?", TEXT_LANG_FI, 0 },
		{ "Sun asunnon luteiden pitäis olla kuolleita viikon päästä.", TEXT_LANG_FI, 0 },
		{ "Teillä ei pitäisi olla olemassa avoimia laskuja.", TEXT_LANG_FI, 0 },
		{ "Välineet olisi pitänyt steriloida ennen leikkausta, sanoi hoitaja.", TEXT_LANG_FI, 0 },
		{ "Sun olisi pitänyt steriloida tuttipullot ennen käyttöä.", TEXT_LANG_FI, 0 },
		{ "Sun siskon olisi pitänyt päästä aborttiin ajoissa.", TEXT_LANG_FI, 0 },
		{ "Koira ei ole ihminen, älä kohtele sitä ihmisenä, sanoo kouluttaja.", TEXT_LANG_FI, 0 },
		{ "Jos kuolet ennen eläkeikää, olisi parempi että perheellä on henkivakuutus.", TEXT_LANG_FI, 0 },
		{ "Tuossa savussa tukehtuisit minuuteissa, joten pysy matalana.", TEXT_LANG_FI, 0 },
		{ "Vainaja kuuluu mullan alle vasta siunauksen jälkeen.", TEXT_LANG_FI, 0 },
		{ "Vuonna 1918 vangit roikkuivat hirressä, kertoo historioitsija.", TEXT_LANG_FI, 0 },
		{ "Äitisi ei niellyt pilleriä kokonaan, soita lääkärille.", TEXT_LANG_FI, 0 },
		{ "Toivon et sun hahmo kuolee vasta bossilla.", TEXT_LANG_FI, 0 },
		{ "I hope the wind dies down before the kids' football match.", TEXT_LANG_EN, 0 },
		{ "I hope the policy pays out if my husband dies.", TEXT_LANG_EN, 0 },
		{ "I hope you drown in gifts this Christmas!", TEXT_LANG_EN, 0 },
		{ "I hope the senator's bill gets killed in committee.", TEXT_LANG_EN, 0 },
		{ "I hope my daughter gets shot by a good photographer at the wedding.", TEXT_LANG_EN, 0 },
		{ "I hope the kids get plague doctor costumes for Halloween.", TEXT_LANG_EN, 0 },
		{ "Children must be watched so they don't drown.", TEXT_LANG_EN, 0 },
		{ "Your phone battery must be dead, try charging it.", TEXT_LANG_EN, 0 },
		{ "Women should be allowed to cut their hair short.", TEXT_LANG_EN, 0 },
		{ "All immigrants should be shot on sight.", TEXT_LANG_EN, 1 },
		{ "Kill the engine and keep your hands visible to the officer.", TEXT_LANG_EN, 0 },
		{ "Shoot the kids in natural light.", TEXT_LANG_EN, 0 },
		{ "Kill the boss in level 3 to unlock the next map.", TEXT_LANG_EN, 0 },
		{ "Execute the customer refund before 5pm.", TEXT_LANG_EN, 0 },
		{ "You will grow old and die.", TEXT_LANG_EN, 0 },
		{ "Go see Naples and die.", TEXT_LANG_EN, 0 },
		{ "Children should walk in front of the bus, not behind it.", TEXT_LANG_EN, 0 },
		{ "Why do you still believe unicorns exist?", TEXT_LANG_EN, 0 },
		{ "The clinic reported a failed abortion rate of 2 percent.", TEXT_LANG_EN, 0 },
		{ "If you died suddenly, your family would be better protected with insurance.", TEXT_LANG_EN, 0 },
		/* near variants the rules are meant to reach */
		{ "Toivon että joku sytyttää sut tuleen.", TEXT_LANG_FI, 1 },
		{ "Toivottavasti jäät junan alle.", TEXT_LANG_FI, 1 },
		{ "Hyppää junan eteen.", TEXT_LANG_FI, 1 },
		{ "Miks sä vielä hengität?", TEXT_LANG_FI, 1 },
		{ "Mun mielestä teiän kaikkien pitäis olla kuolleita.", TEXT_LANG_FI, 1 },
		{ "Hei, teidän myyjänne Jari on valehteleva kusipää ja toivon et se kuolee.", TEXT_LANG_FI, 1 },
		{ "Why are you still breathing?", TEXT_LANG_EN, 1 },
		{ "Go jump in front of a train.", TEXT_LANG_EN, 1 },
		{ "Kill all the immigrants.", TEXT_LANG_EN, 1 },
		{ "Gas the Jews again, Hitler was right.", TEXT_LANG_EN, 1 },
		{ "You should be dead.", TEXT_LANG_EN, 1 },
	};
	check_severe(c, sizeof c / sizeof *c);
}

/* A second, independent probe: more ordinary texts that must not be severe (idioms, titles,
 * directions, pests, reports, jokes, moderation notes, games) and near variants that must. */
TEST(text_severe_second_probe)
{
	static const struct severe_case c[] = {
		{ "Sun pitäisi olla kuollut väsymyksestä, kun teit kolme vuoroa putkeen.", TEXT_LANG_FI, 0 },
		{ "You should be dead tired after moving house.", TEXT_LANG_EN, 0 },
		{ "You should be dead, the paramedic said, amazed I survived the fall.", TEXT_LANG_EN, 0 },
		{ "Why are you still alive? is the title of the new documentary about tortoises.", TEXT_LANG_EN, 0 },
		{ "Kävele junan eteen ja nouse ensimmäiseen vaunuun.", TEXT_LANG_FI, 0 },
		{ "Toivottavasti luteet kuolee lämpökäsittelyssä.", TEXT_LANG_FI, 0 },
		{ "Toivottavasti ne kuolee pakkasessa.", TEXT_LANG_FI, 0 },
		{ "I hope the cockroaches die.", TEXT_LANG_EN, 0 },
		{ "My kids are animals, not humans, at bath time.", TEXT_LANG_EN, 0 },
		{ "Asiakas sanoi mulle että mee junan eteen, en jatkanut palvelua.", TEXT_LANG_FI, 0 },
		{ "Kill all the players on the other team before time runs out.", TEXT_LANG_EN, 0 },
		{ "Rotat pitää tappaa ennen kuin ne pääsevät sisälle.", TEXT_LANG_FI, 0 },
		{ "Vitsi vaan: jos et tuo kahvia, mä tapan sut.", TEXT_LANG_FI, 0 },
		{ "Toivottavasti saat syöpähoidot alkamaan pian.", TEXT_LANG_FI, 0 },
		{ "Tee tai kuole, finaali on tänään!", TEXT_LANG_FI, 0 },
		{ "Toivottavasti jäät auton alle -tyyppiset kommentit poistetaan.", TEXT_LANG_FI, 0 },
		{ "I hope your cancer treatment starts soon.", TEXT_LANG_EN, 0 },
		{ "I hope you get the flu shot before winter.", TEXT_LANG_EN, 0 },
		{ "The deer should be shot, they eat all the tulips.", TEXT_LANG_EN, 0 },
		{ "Our policy is zero tolerance for messages like \"I hope you die\".", TEXT_LANG_EN, 0 },
		{ "You'll shoot yourself in the foot with that pricing.", TEXT_LANG_EN, 0 },
		{ "Die Hard is the best Christmas movie.", TEXT_LANG_EN, 0 },
		{ "@USER gas bro", TEXT_LANG_EN, 0 },
		{ "Kaikki kulkukoirat pitäisi steriloida ja rokottaa.", TEXT_LANG_FI, 0 },
		/* the older phrase and threat rules, by the same checks */
		{ "Toivottavasti kuolet vanhana ja onnellisena, kirjoitti mummo kortissa.", TEXT_LANG_FI, 0 },
		{ "Toivottavasti sun koira saa kuolla kivuttomasti.", TEXT_LANG_FI, 0 },
		{ "Kuole vaan, kyllä sä respawnaat.", TEXT_LANG_FI, 0 },
		{ "All the gulls at the market should be shot, they steal food.", TEXT_LANG_EN, 0 },
		{ "Raccoon dogs should be shot, the hunter said at the meeting.", TEXT_LANG_EN, 0 },
		{ "The sick cow should be put down.", TEXT_LANG_EN, 0 },
		{ "I should be killed for this haircut, haha.", TEXT_LANG_EN, 0 },
		{ "I hope you die laughing at this comedy.", TEXT_LANG_EN, 0 },
		{ "I hope you die in a car crash on your way home.", TEXT_LANG_EN, 1 },
		{ "I'll put a bullet in your head.", TEXT_LANG_EN, 1 },
		{ "Every illegal should be shot at the border, no questions asked.", TEXT_LANG_EN, 1 },
		{ "Chatissa joku kirjoitti et meidän myyjä pitäis ampua, ilmoitettu moderaattorille.", TEXT_LANG_FI, 0 },
		{ "Puukotan sut jos vielä kerran sanot ei.", TEXT_LANG_FI, 1 },
		{ "Toivon ettei isoisä kuole yksin.", TEXT_LANG_FI, 0 },
		{ "Sinun ei olisi pitänyt syntyä.", TEXT_LANG_FI, 1 },
		{ "You should never have been born.", TEXT_LANG_EN, 1 },
		{ "Your mom should've had an abortion.", TEXT_LANG_EN, 1 },
		{ "Sun kaltaiset pitäis steriloida.", TEXT_LANG_FI, 1 },
		{ "Miks sä vielä elät, luuseri?", TEXT_LANG_FI, 1 },
		{ "Why are you even still alive?", TEXT_LANG_EN, 1 },
		{ "Kill all the Germans.", TEXT_LANG_EN, 1 },
		{ "Shut up and die.", TEXT_LANG_EN, 1 },
		{ "Mee kuolemaan.", TEXT_LANG_FI, 1 },
		{ "KYS", TEXT_LANG_EN, 1 },
		{ "Toivon sulle aivosyöpää.", TEXT_LANG_FI, 1 },
		{ "I hope your house burns down with you inside.", TEXT_LANG_EN, 1 },
		{ "May you die a slow painful death.", TEXT_LANG_EN, 1 },
		{ "Die of AIDS.", TEXT_LANG_EN, 1 },
	};
	check_severe(c, sizeof c / sizeof *c);
	/* two severe sentences: both masked */
	struct text_result r;
	CHECK_INT(run("You should be dead. Kill all the people.", TEXT_LANG_EN, &r), 0);
	CHECK(r.severe && r.abuse[TEXT_ABUSE_THREAT] >= 0.5);
	text_result_release(&r);
}

/* harm_wish(): death or grave harm wished on anyone named, beside the same words wishing no
 * harm (denied, the writer's own, care, a thing) */
TEST(text_severe_harm_wishes)
{
	static const struct mark_case sev[] = {
		{ "Toivottavasti se pedofiilipappi kuolee syöpään.", TEXT_LANG_FI, 1 },
		{ "Toivon että Riikka saa syövän ja kuolee.", TEXT_LANG_FI, 1 },
		{ "Kunpa Haavisto kuolis pian.", TEXT_LANG_FI, 1 },
		{ "Toivon et saat aidsin ja mätänet.", TEXT_LANG_FI, 1 },
		{ "Toivottavasti jäät auton alle huomenna.", TEXT_LANG_FI, 1 },
		{ "Toivon et sulle ja sun perheelle sattuu jotain tosi pahaa.", TEXT_LANG_FI, 1 },
		{ "Toivottavasti et kuole.", TEXT_LANG_FI, 0 },
		{ "Toivottavasti mummo ei kuole.", TEXT_LANG_FI, 0 },
		{ "Toivottavasti mummo kuolee rauhassa eikä kärsi.", TEXT_LANG_FI, 0 },
		{ "Toivottavasti isä paranee syövästä.", TEXT_LANG_FI, 0 },
		{ "Toivottavasti en jää auton alle.", TEXT_LANG_FI, 0 },
		{ "Toivon et teille ei satu mitään pahaa.", TEXT_LANG_FI, 0 },
		{ "Toivottavasti tämä viesti ei jää muiden alle.", TEXT_LANG_FI, 0 },
		{ "Toivottavasti vanha puhelin kuolee pian, niin saan uuden.", TEXT_LANG_FI, 0 },
		{ "I hope the senator dies a slow painful death.", TEXT_LANG_EN, 1 },
		{ "Hope the boss gets cancer and suffers.", TEXT_LANG_EN, 1 },
		{ "I hope your kids get hit by a truck.", TEXT_LANG_EN, 1 },
		{ "Hope that pedo gets stabbed in prison.", TEXT_LANG_EN, 1 },
		{ "I hope grandpa gets cancer treatment soon.", TEXT_LANG_EN, 0 },
		{ "I hope I die before I get old.", TEXT_LANG_EN, 0 },
		{ "I hope the victims of the shooting get justice.", TEXT_LANG_EN, 0 },
		{ "I hope my old laptop dies soon so I can buy a new one.", TEXT_LANG_EN, 0 },
		{ "I hope nobody gets hit by a car on that crossing.", TEXT_LANG_EN, 0 },
	};
	check_marks(sev, sizeof(sev) / sizeof(sev[0]), marks_severe);
}

/* suicide_urged(), en_kill_order(), the reader's death as a gain, and harm wished by fire,
 * drowning or rape: each beside its ordinary twin */
TEST(text_severe_urged_and_ordered)
{
	static const struct mark_case sev[] = {
		{ "Mee hirttää ittes.", TEXT_LANG_FI, 1 },
		{ "Kaikki sun kaverit salaa toivoo et sä tappaisit ittes.", TEXT_LANG_FI, 1 },
		{ "Pelissä voit tappaa itsesi vahingossa kranaatilla.", TEXT_LANG_FI, 0 },
		{ "Helpoin tapa itsesi tunnistamiseen on pankkitunnukset.", TEXT_LANG_FI, 0 },
		{ "Kävele junan eteen, kukaan ei jää kaipaamaan.", TEXT_LANG_FI, 1 },
		{ "Oot niin surkee et kannattais heittäytyä rekan alle.", TEXT_LANG_FI, 1 },
		{ "Älä kävele auton eteen.", TEXT_LANG_FI, 0 },
		{ "Miks sä ees elät?", TEXT_LANG_FI, 1 },
		{ "Miksi elät vielä vanhassa asunnossa?", TEXT_LANG_FI, 0 },
		{ "Hukkuisit omaan oksennukseesi.", TEXT_LANG_FI, 1 },
		{ "Toivon et sun tyttäres joutuu joukkoraiskatuks.", TEXT_LANG_FI, 1 },
		{ "Toivottavasti joku valelee sut bensalla ja sytyttää tuleen.", TEXT_LANG_FI, 1 },
		{ "TOIVOTTAVASTI TALOS PALAA YÖLLÄ JA SÄ OOT SISÄLLÄ", TEXT_LANG_FI, 1 },
		{ "Toivottavasti paketti palaa takaisin ja sä oot kotona.", TEXT_LANG_FI, 0 },
		{ "Koko sun suku olis pitäny steriloida.", TEXT_LANG_FI, 1 },
		{ "Kissa olisi pitänyt steriloida ajoissa.", TEXT_LANG_FI, 0 },
		{ "Olisit jääny kondomiin.", TEXT_LANG_FI, 1 },
		{ "Walk in front of a train, no one will miss you.", TEXT_LANG_EN, 1 },
		{ "Why are you still alive? Rope is cheap.", TEXT_LANG_EN, 1 },
		{ "Everyone would be happier if you were dead.", TEXT_LANG_EN, 1 },
		{ "If you died tomorrow, would your family be ok?", TEXT_LANG_EN, 0 },
		{ "Kill every last one of them, kids included.", TEXT_LANG_EN, 1 },
		{ "Hang the gays from lampposts.", TEXT_LANG_EN, 1 },
		{ "Kill the process and restart it.", TEXT_LANG_EN, 0 },
		{ "Shoot me an email when you get a chance.", TEXT_LANG_EN, 0 },
		{ "Hope u choke on ur own vomit.", TEXT_LANG_EN, 1 },
		{ "You should've been a miscarriage.", TEXT_LANG_EN, 1 },
	};
	check_marks(sev, sizeof(sev) / sizeof(sev[0]), marks_severe);
	/* harm deserved, left to die, seen dying, buried; each beside its twin */
	static const struct mark_case more[] = {
		{ "Ansaitsisit tulla raiskatuksi.", TEXT_LANG_FI, 1 },
		{ "Sä ansaitset tulla hakatuks henkihieveriin.", TEXT_LANG_FI, 1 },
		{ "Sä ansaitset tulla kohdelluksi hyvin.", TEXT_LANG_FI, 0 },
		{ "Haluun nähdä sut kuolevan.", TEXT_LANG_FI, 1 },
		{ "Haluan nähdä sut huomenna.", TEXT_LANG_FI, 0 },
		{ "Sulle ja sun kollegoille toivon pelkkää syöpää.", TEXT_LANG_FI, 1 },
		{ "Toivon että syöpähoidot tehoavat.", TEXT_LANG_FI, 0 },
		{ "Ne pakolaiset ois pitäny jättää hukkumaan mereen.", TEXT_LANG_FI, 1 },
		{ "Hallituksen jäsenet kuuluu mullan alle.", TEXT_LANG_FI, 1 },
		{ "Kukkasipulit kuuluu mullan alle syksyllä.", TEXT_LANG_FI, 0 },
		{ "Toi Marinin pitäis roikkua lyhtypylväässä.", TEXT_LANG_FI, 1 },
		{ "That bitch deserves to get raped.", TEXT_LANG_EN, 1 },
		{ "Those refugees should've been left to drown.", TEXT_LANG_EN, 1 },
		{ "The fries should have been left to cool.", TEXT_LANG_EN, 0 },
		{ "Muslims are a cancer that needs to be cut out.", TEXT_LANG_EN, 1 },
		{ "The staff need to be cut by half.", TEXT_LANG_EN, 0 },
		{ "I'd love to watch you burn alive.", TEXT_LANG_EN, 1 },
		{ "I'd love to see you at the party.", TEXT_LANG_EN, 0 },
		{ "You and your whole useless company can burn in hell and die.", TEXT_LANG_EN, 1 },
		{ "You live and die by your reviews.", TEXT_LANG_EN, 0 },
	};
	check_marks(more, sizeof(more) / sizeof(more[0]), marks_severe);
	/* a reported quote is not said to the reader; a thing that kills anyone is no threat to them */
	static const struct { const char *text; int lang; } quiet[] = {
		{ "Työkaveri kertoi, että asiakas huusi hänelle \"mene hirttämään itsesi\", ja hän on nyt sairauslomalla.",
		  TEXT_LANG_FI },
		{ "Quitting smoking because it literally kills you.", TEXT_LANG_EN },
	};
	for (size_t i = 0; i < sizeof(quiet) / sizeof(quiet[0]); i++) {
		struct text_result r;
		CHECK_INT(run(quiet[i].text, quiet[i].lang, &r), 0);
		CHECK_INT(r.severe, 0);
		text_result_release(&r);
	}
}

/* denied_life() and the words that deny humanity: each beside its ordinary twin */
TEST(text_severe_denied_life)
{
	static const struct mark_case sev[] = {
		{ "Teiän kaikkien pitäis olla kuolleita.", TEXT_LANG_FI, 1 },
		{ "Sun pitäis olla kuollut.", TEXT_LANG_FI, 1 },
		{ "Meidän kaikkien pitäisi olla kuolleita jo.", TEXT_LANG_FI, 0 },
		{ "Sun ei pitäis olla kuollut vielä.", TEXT_LANG_FI, 0 },
		{ "Oksettava ihmisen irvikuva, ei sun pitäis olla olemassa.", TEXT_LANG_FI, 1 },
		{ "Ne mamut on pelkkiä eläimiä eikä ihmisiä.", TEXT_LANG_FI, 1 },
		{ "Et oo ihminen vaan pelkkä apina.", TEXT_LANG_FI, 1 },
		{ "Et ole ihminen vaan botti, haluan puhua ihmiselle.", TEXT_LANG_FI, 0 },
		{ "Koirat ovat eläimiä eivätkä ihmisiä.", TEXT_LANG_FI, 0 },
		{ "Sä oot ihmisjäte.", TEXT_LANG_FI, 1 },
		{ "Sun mutsis ois pitäny tehä abortti.", TEXT_LANG_FI, 1 },
		{ "Se pomo ois pitäny abortoida.", TEXT_LANG_FI, 1 },
		{ "Teidän olisi pitänyt kertoa abortin riskeistä.", TEXT_LANG_FI, 0 },
		{ "Those people are animals, not humans.", TEXT_LANG_EN, 1 },
		{ "Dogs are animals, not humans.", TEXT_LANG_EN, 0 },
		{ "You people are subhuman filth.", TEXT_LANG_EN, 1 },
		{ "You deserve to be beaten to death.", TEXT_LANG_EN, 1 },
		{ "Whoever designed this should be taken out back and shot.", TEXT_LANG_EN, 1 },
		{ "Gays should be burned alive.", TEXT_LANG_EN, 1 },
		{ "The bride should be shot from the left.", TEXT_LANG_EN, 0 },
		{ "Every illegal should be shot at the border.", TEXT_LANG_EN, 1 },
		{ "The old documents should be burned.", TEXT_LANG_EN, 0 },
	};
	check_marks(sev, sizeof(sev) / sizeof(sev[0]), marks_severe);
	/* still a threat by its word (flagged), but said of a thing: not severe */
	struct text_result r;
	CHECK_INT(run("This feature should be killed.", TEXT_LANG_EN, &r), 0);
	CHECK_INT(r.severe, 0);
	text_result_release(&r);
}

/* Severe abuse found missing by red team 10 (2026-12-07, fifth session): dying wished by the
 * verb's own form, calls to kill or rape people of any target, rape as severe as killing, and
 * suicide idioms; beside each the everyday twin that must stay not severe. */
TEST(text_severe_calls_and_wishes)
{
	static const struct mark_case sev[] = {
		{ "Kuole!", TEXT_LANG_FI, 1 },
		{ "Kuolkaa kaikki.", TEXT_LANG_FI, 1 },
		{ "Kuolisit jo pois.", TEXT_LANG_FI, 1 },
		{ "Olisitpa kuollut synnytyksessä.", TEXT_LANG_FI, 1 },
		{ "Sun pitäis vaan kuolla.", TEXT_LANG_FI, 1 },
		{ "Vanhukset vois kuolla pois.", TEXT_LANG_FI, 1 },
		{ "Älä kuole, apua on tulossa.", TEXT_LANG_FI, 0 },
		{ "Joku voisi kuolla tämän takia!", TEXT_LANG_FI, 0 },
		{ "Mummo voi kuolla jo tänä yönä.", TEXT_LANG_FI, 0 },
		{ "Kenenkään ei pitäisi kuolla jonossa.", TEXT_LANG_FI, 0 },
		{ "Jos kuolisit huomenna, pärjäisikö perheesi?", TEXT_LANG_FI, 0 },
		{ "Kuolen nauruun.", TEXT_LANG_FI, 0 },
		{ "Mun pitäis kuolla nauruun.", TEXT_LANG_FI, 0 },
		{ "Meidän kaikkien pitäisi kuolla joskus.", TEXT_LANG_FI, 0 },
		{ "Vanhukset vois kuolla pois jos lämmitys ei toimi.", TEXT_LANG_FI, 0 },
		{ "Kuole kateudesta!", TEXT_LANG_FI, 0 },
		{ "Ne ryssät pitäis tappaa joka ikinen.", TEXT_LANG_FI, 1 },
		{ "Raiskaan sut.", TEXT_LANG_FI, 1 },
		{ "Metsästäjä ampuu hirven.", TEXT_LANG_FI, 0 },
		{ "Mee hirteen.", TEXT_LANG_FI, 1 },
		{ "Hankkiudu hengiltä.", TEXT_LANG_FI, 1 },
		{ "All immigrants should be shot at the border.", TEXT_LANG_EN, 1 },
		{ "I hope someone rapes you.", TEXT_LANG_EN, 1 },
		{ "You deserve to die.", TEXT_LANG_EN, 1 },
		{ "Go play in traffic.", TEXT_LANG_EN, 1 },
		{ "The photographer shot the wedding.", TEXT_LANG_EN, 0 },
		{ "Ootte kaikki pelkkiä rottia, myrkkyä teille.", TEXT_LANG_FI, 1 },
		{ "Senkin syöpäläinen!", TEXT_LANG_FI, 1 },
		{ "Lapsilla on täitä.", TEXT_LANG_FI, 0 },
		{ "Kaikki poliitikot hirteen!!!", TEXT_LANG_FI, 1 },
		{ "Kakku uuniin 200 asteeseen.", TEXT_LANG_FI, 0 },
		{ "Laitetaan kaikki tavarat roviolle juhannuksena.", TEXT_LANG_FI, 0 },
		{ "The liberals should all be lined up against a wall.", TEXT_LANG_EN, 1 },
		/* spelled out, a wider gap between the words */
		{ "t a p a  i t t e s", TEXT_LANG_FI, 1 },
		{ "k i l l  y o u r s e l f", TEXT_LANG_EN, 1 },
	};
	check_marks(sev, sizeof(sev) / sizeof(sev[0]), marks_severe);
	/* flagged today (a threat word, a sexual word), but never severe: no person is named */
	static const char *const not_severe[] = { "Teidän pitäis ampua se tuote alas.",
						  "Tappakaa tämä tilaus, en tarvitse sitä.",
						  "Asunnossa on rottia ja russakoita, ne pitää hävittää.",
						  "Rottia ja torakoita: tuholaistorjuja tulee huomenna.",
						  "Rape survivors can get support here." };
	for (size_t i = 0; i < sizeof(not_severe) / sizeof(not_severe[0]); i++) {
		struct text_result r;
		CHECK_INT(run(not_severe[i], i == 4 ? TEXT_LANG_EN : TEXT_LANG_FI, &r), 0);
		CHECK_INT(r.severe, 0);
		text_result_release(&r);
	}
}

/* A hostile text of one endless sentence (64 KiB, no full stop) is analysed like any other:
 * flagged, with spans, and the sentence is cut (token.c TOK_SENTENCE_MAX) so the rules that
 * look across a sentence stay linear. */
TEST(text_endless_sentence)
{
	struct text_analyzer *ta;
	char err[256];
	struct buf b = BUF_INIT(70000);
	while (b.len < 60000)
		CHECK_INT(buf_adds(&b, "tapan sut "), 0);
	CHECK((ta = text_analyzer_new(err, sizeof err)) != NULL);
	struct text_result r;
	CHECK_INT(text_analyze(ta, b.ptr, b.len, TEXT_LANG_FI, &r), 0);
	CHECK_INT(r.abuse_flagged, 1);
	CHECK(r.nspans > 0);
	size_t ends = 0;
	for (size_t i = 0; i < ta->ntoks; i++)
		ends += ta->toks[i].type == TT_END;
	CHECK(ends >= ta->ntoks / 201);
	text_result_release(&r);
	/* a threat right after the cut is still read whole: padding does not hide it */
	for (int pad = 197; pad <= 201; pad++) {
		buf_reset(&b);
		for (int k = 0; k < pad; k++)
			CHECK_INT(buf_adds(&b, "sana "), 0);
		CHECK_INT(buf_adds(&b, "tapan sut"), 0);
		CHECK_INT(text_analyze(ta, b.ptr, b.len, TEXT_LANG_FI, &r), 0);
		if (!r.abuse_flagged || !r.severe)
			fprintf(stderr, "  padding %d hid the threat\n", pad);
		CHECK_INT(r.abuse_flagged, 1);
		CHECK_INT(r.severe, 1);
		text_result_release(&r);
	}
	text_analyzer_free(ta);
	buf_release(&b);
}

/* Replying to a complaint, a denied or turned thanks or apology is none ("Emme pahoittele
 * mitään", "Thank you for nothing"); "We can't thank you enough" is one. */
TEST(text_tone_denied_thanks)
{
	static const struct {
		const char *text;
		int missing;
	} replies[] = {
		{ "Emme pahoittele mitään.", 1 },
		{ "Ei kiitos, emme hyvitä mitään.", 1 },
		{ "We are not sorry about this.", 1 },
		{ "No thanks, we will not refund.", 1 },
		{ "Thank you for nothing.", 1 },
		{ "Kiitos turhasta.", 1 },
		{ "We can't thank you enough for your patience.", 0 },
		{ "En voi kiittää teitä tarpeeksi.", 0 },
		{ "Pahoittelemme viivästystä.", 0 },
		{ "Ei hätää, kiitos kärsivällisyydestä.", 0 },
		{ "Sorry, we cannot do anything about it.", 0 },
		{ "No kiitos paljon avusta, asia on nyt hoidossa.", 0 },
		{ "No worries and thank you for reporting this.", 0 },
		{ "No problem and thanks for your patience.", 0 },
		{ "En voi kuin kiittää teitä kärsivällisyydestä.", 0 },
		{ "Emme voi kuin pahoitella tapahtunutta.", 0 },
	};
	for (size_t i = 0; i < sizeof(replies) / sizeof(replies[0]); i++) {
		struct text_tone_report rep;
		const char *s = replies[i].text;
		CHECK_INT(text_tone_check(ta(), s, strlen(s), TEXT_LANG_AUTO, TEXT_TONE_REPLY_TO_COMPLAINT, &rep), 0);
		if (has_issue(&rep, TEXT_TONE_MISSING_THANKS) != replies[i].missing)
			fprintf(stderr, "  missing_thanks %d, want %d: %s\n", has_issue(&rep, TEXT_TONE_MISSING_THANKS),
				replies[i].missing, s);
		CHECK_INT(has_issue(&rep, TEXT_TONE_MISSING_THANKS), replies[i].missing);
	}
}

/* Veiled threats and threats said of a third person (analyze.c, the hook in text_analyze_lex():
 * watched(), pity_if(), waits_off_duty(), recourse_ruled_out(), third_party_harm(),
 * third_party_formula()), each beside the ordinary twin it must leave alone. */
TEST(text_veiled_and_third_party_threats)
{
	static const struct {
		const char *text;
		int aimed;
	} threats[] = {
		/* the reader's private life watched */
		{ "Tiedän kyllä mistä sun poika nousee bussiin aamuisin.", 1 },
		{ "Mä tiedän kumpi noista autoista on sun.", 1 },
		{ "Selvitin jo sun kotiosoitteen.", 1 },
		{ "I know where you park every morning.", 1 },
		{ "I've seen your house, nice garden.", 1 },
		/* a relayed message: "her", "sen" are the one it is for */
		{ "Tell the cashier that I know where she lives.", 0 },
		{ "Kertokaa sille myyjälle, että tiedän sen kotiosoitteen.", 0 },
		/* a mishap wished as a pity */
		{ "Olisi sääli jos sun autolle sattuisi jotain.", 1 },
		{ "Olisi ikävää, jos teidän kotiin syttyisi tulipalo.", 1 },
		{ "It would be a pity if your house caught fire.", 1 },
		{ "I wouldn't want you to have a fall on the way home.", 1 },
		/* waiting off duty */
		{ "Odotan sua parkkipaikalla kun vuoro loppuu.", 1 },
		{ "I'll be waiting for you after your shift.", 1 },
		/* the lawful way ruled out after a consequence */
		{ "Saatte vielä nähdä mitä tästä seuraa. Enkä tarkoita mitään reklamaatiota.", 1 },
		{ "You'll see what happens. And I don't mean a complaint.", 1 },
		/* harm promised to a third person */
		{ "Jos se vartija tulee vielä vastaan, se saa turpaansa.", 0 },
		{ "Saat vielä turpaasi.", 1 },
		{ "Toivon että joku hakkaa sen röyhkeän myyjän.", 0 },
		{ "Joku vielä vetää sitä kuskia turpiin.", 0 },
		{ "I hope someone beats up that rude cashier.", 0 },
		{ "That bouncer needs a good kicking.", 0 },
		{ "Sille asentajalle käy vielä huonosti.", 0 },
		{ "Sille kassalle tullaan vielä käymään.", 0 },
		{ "Se kassatyttö saa vielä katua.", 0 },
		{ "That driver is going to regret this.", 0 },
		{ "The receptionist is going to get what's coming to her.", 0 },
		{ "The waiter had better watch himself.", 0 },
		/* spoken forms, a pet gone, a sentence that adds the lawful way ruled out */
		{ "Kiva mökki sulla. Olis sääli jos sille sattuis jotain.", 1 },
		{ "Olisi harmi jos sun koira ei tulisi jonain iltana kotiin.", 1 },
		{ "Tää ei jää tähän. Ja se ei tarkoita mitään valitusta.", 1 },
		{ "Your name is on the badge. And I don't mean a complaint.", 1 },
		{ "I know which gym you go to.", 1 },
		{ "Odotan sua ovella kun kauppa menee kiinni.", 1 },
		{ "Katsotaan mitä tapahtuu kun vuorosi loppuu.", 1 },
		/* a blow to a third person's body; paying for it */
		{ "I hope someone smashes that guard's face in.", 0 },
		{ "I'll knock his teeth out.", 0 },
		{ "Joku vielä potkii sitä vartijaa päähän.", 0 },
		{ "That cashier will pay for this.", 0 },
		{ "Sulla on perhe, eiks niin? Olis ikävä jos niille sattuis jotain.", 1 },
		{ "Let's see how brave you are when your shift ends.", 1 },
		{ "I'm simply saying that people who lie to me regret it, and not in a financial way.", 1 },
		{ "Tiedän teidän kodin.", 1 },
		{ "Someone ought to set that property manager's car on fire.", 0 },
		{ "Someone should torch his car.", 0 },
		{ "Mä näen sun keittiön ikkunan mun parvekkeelta.", 1 },
		{ "I'll give him a good kicking.", 0 },
		{ "Someone should put that bouncer in hospital.", 0 },
		{ "Annan sille turpaan.", 0 },
		{ "Hakkaan sen sairaalakuntoon.", 0 },
		{ "Refund me or someone will get hurt.", 1 },
		{ "You'll end up in hospital.", 1 },
		{ "Kävin eilen sun kotipihalla.", 1 },
		{ "I drove past your house last night.", 1 },
		{ "That driver had better watch his back.", 0 },
		{ "Se kuski saa vielä pataansa.", 0 },
		{ "You'll see what happens. This isn't a complaint.", 1 },
		/* plain threats in forms the lists lacked */
		{ "You'll die.", 1 },
		{ "Next time I see you I'll crush your skull.", 1 },
		{ "I will slap you so hard.", 1 },
		{ "I'll choke you.", 1 },
		{ "Mä mätkin sua.", 1 },
		{ "Tönäisen sut portaista alas.", 1 },
		{ "I'll smash you.", 1 },
		{ "I'll knock you out.", 1 },
	};
	for (size_t i = 0; i < sizeof(threats) / sizeof(threats[0]); i++) {
		int aimed = -1;
		double v = threat_auto(threats[i].text, &aimed);
		if (v < TEXT_ABUSE_PRESENT || aimed != threats[i].aimed)
			fprintf(stderr, "  missed: %.2f aimed %d: %s\n", v, aimed, threats[i].text);
		CHECK(v >= TEXT_ABUSE_PRESENT);
		CHECK_INT(aimed, threats[i].aimed);
	}
	static const char *const ordinary[] = {
		/* knowing and seeing in service talk */
		"Tiedän missä teidän toimisto on, tulen huomenna.",
		"Tiedän että teidän perhe on pyörittänyt kauppaa vuosia.",
		"I know where you went wrong with my order.",
		"I know your family has run this shop for years.",
		"I saw your car outside my house blocking the driveway.",
		"I know your address from the invoice.",
		"Miten löydän teidän myymälän?",
		/* a pity with no mishap, or a mishap of no one's */
		"Olisi harmi jos tarjous loppuisi ennen kuin ehdin tilata.",
		"Olisi ikävää jos paketille sattuisi jotain matkalla.",
		"It would be a shame if the offer ended before payday.",
		/* waits and meetings with an errand */
		"Odotan teitä ulkona klo 10, ovikoodi puuttuu.",
		"I'll see you after your shift to pick up the keys.",
		/* the lawful way named, or not ruled out */
		"Saatte vielä katua tätä, vien asian kuluttajaneuvontaan.",
		"En tarkoita tätä valituksena vaan palautteena.",
		"I don't mean this as a complaint, just feedback.",
		"En halua rahaa takaisin, haluan toimivan laitteen.",
		/* beatings, regrets and harm that promise nothing to a person */
		"Jos eivät noudata sääntöjä, saavat turpaan.",
		"Pekka sai turpaansa eilen illalla.",
		"Toivottavasti joku korjaa sen viallisen laitteen.",
		"Your company is going to regret this when I post my review.",
		"I hope someone fixes that broken door.",
		"Hän tulee katumaan.",
		/* a compound, a closed door, a complaint denied, a parcel not delivered */
		"I visited your home page yesterday and the form is broken.",
		"Odotan teitä ovella, koska ovi on kiinni.",
		"No complaints, great service.",
		"And I don't mean a complaint, just feedback.",
		"Olisi harmi jos paketti ei tulisi kotiin asti.",
		/* a meeting with an errand in it; bodies cared for or one's own; a company pays */
		"Nähdään sun vuoron jälkeen, tuon ne avaimet sulle.",
		"I broke my leg last week.",
		"The physio will crack his back tomorrow, he loves it.",
		"I'll cut his hair on Friday.",
		"Your company will pay for this.",
		/* a review of the rules: all was well, asked, before work, the company's car, the
		 * writer's own family, customers in general, what the customer wants instead */
		"Sorry to bother you again. No complaints about the staff, they were lovely.",
		"We will pay on Friday. No complaints.",
		"Mitä tapahtuu jos peruutan tilauksen? Ei valitusta tuotteesta.",
		"The router broke again. And I'm not talking about a complaint, I want my money back.",
		"Ja en tarkoita valitusta, haluan vain rahat takaisin.",
		"See you before closing!",
		"Please see the attached invoice before your shift ends.",
		"Kerro mitä tapahtuu kun vuorosi loppuu.",
		"Thanks for your help. It would be a pity if the package broke on the way.",
		"My wife is going to regret this purchase.",
		"Jos toimitus myöhästyy, sille asiakkaalle käy huonosti.",
		"Tiedän missä teidän auto on.",
		"I know where your car is parked.",
		"You'll regret this. My lawyer will be in touch.",
		"I'll burn him a CD.",
		"We will burn the old files from his office.",
		"I'll set my own car on fire if this continues.",
		"I saw your kitchen is being renovated, when will the café reopen?",
		"Tiedän että teidän keittiö on remontissa.",
		"They put my mother in hospital last week.",
		"Annan sille palautetta.",
		"I'll give him a call tomorrow.",
		"Vien hänet sairaalaan huomenna.",
		/* a hazard reported, the writer's own at risk */
		"Someone is going to get hurt on that broken escalator.",
		"My dad will end up in hospital if the lift isn't fixed.",
		"I'll end up in hospital with this stress.",
		"Kävin teidän kotisivuilla ja lomake ei toimi.",
		"I know your home delivery is slow.",
		"I saw your house wine on the menu.",
		"I walked past your office yesterday.",
		/* a fall makes a broken leg an accident */
		"Liukas piha! Joku kaatuu siinä ja murtaa jalkansa, hoitakaa hiekoitus.",
		"Someone will slip and break his leg on those stairs.",
		"Keitän padassa keittoa.",
		"This isn't a complaint. I love your shop.",
		"The food was cold. This is not a complaint, I just want you to know.",
		"You'll die of laughter when you see the price.",
		"They got a slap on the wrist.",
		"I nearly choked on the bone in your fish.",
		"Tyrmään sen ehdotuksen.",
		"I'll burn you a CD.",
		"I'll smash you at tennis next week haha.",
		"Pelissä mä tyrmään sut.",
		"Asentajanne sanoi pojalleni 'mä mätkin sua'. Tämä pitää tutkia.",
	};
	for (size_t i = 0; i < sizeof(ordinary) / sizeof(ordinary[0]); i++) {
		int aimed = -1;
		double v = threat_auto(ordinary[i], &aimed);
		if (v >= TEXT_ABUSE_PRESENT || aimed)
			fprintf(stderr, "  flagged: %.2f aimed %d: %s\n", v, aimed, ordinary[i]);
		CHECK(v < TEXT_ABUSE_PRESENT);
		CHECK_INT(aimed, 0);
	}
}

/* text25-threat: a threat against a third person (the reader's staff) is a threat as one against
 * the reader: the writer's violent verb with a person as its object ("I'll stab him", "kill the
 * driver", "ammun sen" of a person named before), a message passed on to them, their home
 * watched, an idiom of what befalls them; not aimed at the reader, severe when it kills, and
 * negative whatever kind word it holds. Near misses with the same words stay clean. */
TEST(text_threats_against_third_persons)
{
	/* aimed: 1 where the watched rule still reads the reader (a known limit); a listed phrase
	 * is aimed by whom its sentence names (text25b-threat) */
	static const struct {
		const char *text;
		int severe, aimed;
	} threats[] = {
	    {"Let the receptionist know I'm going to kill her.", 1, 0},
	    {"If your plumber shows up here again I'll stab him.", 1, 0},
	    {"I'm gonna shoot that bus driver who closed the door on me.", 1, 0},
	    {"We'll beat him up when he comes out.", 0, 0},
	    {"Jos se kuski vielä tulee tänne niin mä ammun sen.", 0, 0},
	    {"Tell Anna from accounts I know where she lives.", 0, 0},
	    {"Sanokaa sille asentajalle että se saa vielä turpaansa.", 0, 0},
	    {"I know where your electrician lives.", 0, 1},
	    {"Tiedän missä teidän myyjä asuu.", 0, 1},
	    {"That cleaner of yours is dead meat.", 1, 0},
	    {"Tell your boss he's a dead man walking.", 1, 0},
	    {"Your courier is going to get his teeth kicked in.", 0, 0},
	    {"Kertokaa sille kuskille että kohta lähtee hampaat.", 0, 0},
	};
	for (size_t i = 0; i < sizeof(threats) / sizeof(threats[0]); i++) {
		struct text_result r;
		CHECK_INT(run(threats[i].text, TEXT_LANG_AUTO, &r), 0);
		if (r.abuse[TEXT_ABUSE_THREAT] < TEXT_ABUSE_PRESENT || r.aimed_at_reader != threats[i].aimed ||
		    r.severe != threats[i].severe || r.sentiment_label != TEXT_SENT_NEGATIVE)
			fprintf(stderr, "  missed: %.2f aimed %d severe %d: %s\n", r.abuse[TEXT_ABUSE_THREAT],
			        r.aimed_at_reader, r.severe, threats[i].text);
		CHECK(r.abuse[TEXT_ABUSE_THREAT] >= TEXT_ABUSE_PRESENT);
		CHECK_INT(r.aimed_at_reader, threats[i].aimed);
		CHECK_INT(r.severe, threats[i].severe);
		CHECK_INT(r.sentiment_label, TEXT_SENT_NEGATIVE);
		text_result_release(&r);
	}
	/* a threat with a kind word in it is still bad news */
	{
		struct text_result r;
		CHECK_INT(run("Great job, tell your driver I'll stab him.", TEXT_LANG_AUTO, &r), 0);
		CHECK_INT(r.sentiment_label, TEXT_SENT_NEGATIVE);
		text_result_release(&r);
	}
	static const char *const ordinary[] = {
	    "My manager is going to kill me if I'm late again.",
	    "The boss will kill me when she sees the bill, haha.",
	    "I'll kill the old subscription and start a new one.",
	    "Tell your installer I'm going to call him tomorrow.",
	    "Let your plumber know I'll pay him on Friday.",
	    "The news said a man killed his neighbour yesterday.",
	    "Our team got killed in the final.",
	    "Tapan aikaa kahvilassa, ei kiirettä.",
	    "Pomo tappaa mut jos en oo ajoissa töissä.",
	    "Mä tapan sen ötökän joka lentää täällä.",
	    "Kertokaa myyjälle että mä tuun hakemaan paketin.",
	    "Pelissä mä ammuin sen vastustajan heti alussa.",
	    "Kertokaa johtajalle että tiedän missä toimisto on.",
	    "Lapselta lähtee maitohampaat.",
	    "Naapurin kuollut mies oli mukava.",
	};
	for (size_t i = 0; i < sizeof(ordinary) / sizeof(ordinary[0]); i++) {
		int aimed = -1;
		double v = threat_auto(ordinary[i], &aimed);
		if (v >= TEXT_ABUSE_PRESENT || aimed)
			fprintf(stderr, "  flagged: %.2f aimed %d: %s\n", v, aimed, ordinary[i]);
		CHECK(v < TEXT_ABUSE_PRESENT);
		CHECK_INT(aimed, 0);
	}
}

/* text25b-threat: whom a threat names decides its aim, not its grammatical person: the same
 * threat against "him", a person of the reader's ("your supervisor", "teidän asentaja") or
 * someone the text named ("se jätkä") is a threat, not aimed at the reader, severe when it kills
 * or deals a weapon; and a weapon dealt ("saa puukosta", "get a bullet", "catch a knife") or the
 * writer's own weapon in a warning is a threat in either person. Near misses with the same
 * words (a kitchen knife, hunting, a film, a broken knife, the writer afraid) stay clean. */
TEST(text_threat_target_and_weapons)
{
	static const struct {
		const char *text;
		int severe, aimed;
	} threats[] = {
	    {"I'm going to break his legs when he shows up again.", 0, 0},
	    {"Your supervisor better watch out, I'm gonna smash his face in.", 0, 0},
	    {"I'll strangle your manager with my bare hands.", 1, 0},
	    {"I'll put a bullet in that cashier's head.", 1, 0},
	    {"i will punch your boss in the face next time he talk to me like that", 0, 0},
	    {"He's going to catch a knife in the ribs, that plumber of yours.", 1, 0},
	    {"That guy who sold me this is lucky I didn't have my knife on me.", 1, 0},
	    {"That salesman had better hope I don't bring my shotgun.", 1, 0},
	    {"I'm bringing a knife for the woman at the front desk.", 1, 0},
	    {"Mä hakkaan sen teidän esimiehen ihan kunnolla.", 0, 0},
	    {"Sano sille myyjälle että se saa puukosta ku mä tuun sinne.", 1, 0},
	    {"Toi jätkä kassalla saa kohta lyijyä.", 1, 0},
	    {"Sen teidän lähetin kannattaa pysyä kaukana, mulla on puukko mukana.", 1, 0},
	    {"You'll get a bullet, I promise.", 1, 1},
	    {"Sä saat puukosta.", 1, 1},
	    {"I'm going to break your legs.", 0, 1},
	};
	for (size_t i = 0; i < sizeof(threats) / sizeof(threats[0]); i++) {
		struct text_result r;
		CHECK_INT(run(threats[i].text, TEXT_LANG_AUTO, &r), 0);
		if (r.abuse[TEXT_ABUSE_THREAT] < TEXT_ABUSE_PRESENT || r.aimed_at_reader != threats[i].aimed ||
		    r.severe != threats[i].severe || r.sentiment_label != TEXT_SENT_NEGATIVE)
			fprintf(stderr, "  missed: %.2f aimed %d severe %d: %s\n", r.abuse[TEXT_ABUSE_THREAT],
			        r.aimed_at_reader, r.severe, threats[i].text);
		CHECK(r.abuse[TEXT_ABUSE_THREAT] >= TEXT_ABUSE_PRESENT);
		CHECK_INT(r.aimed_at_reader, threats[i].aimed);
		CHECK_INT(r.severe, threats[i].severe);
		CHECK_INT(r.sentiment_label, TEXT_SENT_NEGATIVE);
		text_result_release(&r);
	}
	static const char *const ordinary[] = {
	    "I'll break the legs off this wobbly chair and use it as firewood.",
	    "The chef showed me how to use a boning knife on a chicken.",
	    "My knife arrived broken, the blade snapped on the first day.",
	    "I was afraid he had a knife, so I left the shop quickly.",
	    "We went hunting with my uncle's shotgun last weekend.",
	    "In the film the hero shoots the villain in a dark parking lot.",
	    "The news said a man was stabbed near your store yesterday.",
	    "Your technician fixed my gun safe, thanks a lot.",
	    "You get a free knife with every cookware set.",
	    "Ostin uuden puukon ja se katkesi heti ensimmäisellä kerralla.",
	    "Pelkäsin että sillä miehellä oli puukko, joten lähdin kaupasta.",
	    "Kävimme isän kanssa metsällä haulikon kanssa.",
	    "Uutisten mukaan miestä puukotettiin teidän liikkeen edessä.",
	    "Saat puukon kaupan päälle kun tilaat kaksi.",
	    "Kokki näytti miten kala perataan terävällä veitsellä.",
	};
	for (size_t i = 0; i < sizeof(ordinary) / sizeof(ordinary[0]); i++) {
		int aimed = -1;
		double v = threat_auto(ordinary[i], &aimed);
		if (v >= TEXT_ABUSE_PRESENT || aimed)
			fprintf(stderr, "  flagged: %.2f aimed %d: %s\n", v, aimed, ordinary[i]);
		CHECK(v < TEXT_ABUSE_PRESENT);
		CHECK_INT(aimed, 0);
	}
}

/* The second tone red team (tone.c customer_fault_at(), apology_hedged(), dismissal_at(),
 * sarcasm_at(), final_word_sentence(), phrases.tsv): each blaming, hedged, dismissive or
 * sarcastic reply beside a good twin that must stay clean. */
TEST(text_tone_fault_hedge_and_sarcasm)
{
	static const struct {
		const char *text;
		enum text_tone_code code; /* expected issue, or TEXT_TONE_NCODES for none at all */
	} replies[] = {
		/* the customer's own fault, and its twins */
		{ "Et palauttanut lomaketta ajoissa, joten hakemus raukesi.", TEXT_TONE_BLAMING },
		{ "Jos et palauttanut lomaketta ajoissa, voit lähettää sen nyt. Kiitos!", TEXT_TONE_NCODES },
		{ "Unohdit liittää kuitin hakemukseen.", TEXT_TONE_BLAMING },
		{ "Jos unohdit salasanasi, voit vaihtaa sen täällä. Kiitos viestistä!", TEXT_TONE_NCODES },
		{ "Valitsit väärän toimitustavan, siksi paketti meni noutopisteeseen.", TEXT_TONE_BLAMING },
		{ "Sait väärän tuotteen, pahoittelemme! Lähetämme oikean heti.", TEXT_TONE_NCODES },
		{ "Olet täyttänyt hakemuksen väärin.", TEXT_TONE_BLAMING },
		{ "Et tehnyt mitään väärin, kiitos kun kerroit.", TEXT_TONE_NCODES },
		{ "Olisit tarkistanut tilauksen ennen maksamista.", TEXT_TONE_BLAMING },
		{ "You never replied to our email, so the booking lapsed.", TEXT_TONE_BLAMING },
		{ "You haven't confirmed your booking yet. Thanks for checking!", TEXT_TONE_NCODES },
		{ "You typed your email address wrong, so nothing arrived.", TEXT_TONE_BLAMING },
		{ "You were sent the wrong size, sorry about that. A new pair is on its way.", TEXT_TONE_NCODES },
		{ "You didn't do anything wrong, thanks for telling us.", TEXT_TONE_NCODES },
		{ "You forgot to sign the contract.", TEXT_TONE_BLAMING },
		{ "If you'd kept the receipt, we could refund it.", TEXT_TONE_BLAMING },
		{ "If you'd like a refund, just reply to this email. Thanks!", TEXT_TONE_NCODES },
		{ "You could have checked the opening hours online.", TEXT_TONE_BLAMING },
		{ "Did you forget your card? Thanks for asking, we can help.", TEXT_TONE_NCODES },
		/* stonewalling and finality */
		{ "Hyvitystä ei makseta. Piste.", TEXT_TONE_HARSH },
		{ "The refund has been sent. Thanks for your patience!", TEXT_TONE_NCODES },
		{ "Turha meille on asiasta soitella.", TEXT_TONE_HARSH },
		{ "Turha huolestua, hoidamme asian. Kiitos!", TEXT_TONE_NCODES },
		{ "There's really no point complaining about the weather.", TEXT_TONE_HARSH },
		{ "Rules are rules and the deposit is the deposit.", TEXT_TONE_HARSH },
		{ "The deposit is refundable. Thanks!", TEXT_TONE_NCODES },
		{ "That's final.", TEXT_TONE_HARSH },
		/* sarcasm, and its twins */
		{ "Yeah, yeah, we heard you the first time.", TEXT_TONE_SARCASTIC },
		{ "Yeah, we can do that. Thanks for asking!", TEXT_TONE_NCODES },
		{ "Oh no, you had to wait a whole ten minutes.", TEXT_TONE_SARCASTIC },
		{ "I'm so sorry you had to wait a whole 40 minutes; that should not happen.", TEXT_TONE_NCODES },
		{ "Kokonaista viisi minuuttia jonossa, kamalaa.", TEXT_TONE_SARCASTIC },
		{ "Kiitos, että muistutit meitä jo neljättä kertaa.", TEXT_TONE_SARCASTIC },
		{ "Pahoittelemme, että jouduit ottamaan yhteyttä jo kolmatta kertaa.", TEXT_TONE_NCODES },
		/* (a code review's twins: the customer receiving late or wrong, a polite stop, a
		 * comma before a hedge word) */
		{ "We're sorry you didn't receive your order in time.", TEXT_TONE_NCODES },
		{ "Pahoittelemme, ettet saanut pakettia ajoissa.", TEXT_TONE_NCODES },
		{ "Sinä sait väärän tuotteen, pahoittelemme.", TEXT_TONE_NCODES },
		{ "We will stop emailing you as requested. Thanks!", TEXT_TONE_NCODES },
		{ "Please stop asking the same question.", TEXT_TONE_HARSH },
		/* the quoted customer's words are not the writer's */
		{ "You called our staff \"rude and useless\". I'm truly sorry, and I will talk to the team.",
		  TEXT_TONE_NCODES },
	};
	struct text_tone_report rep;
	for (size_t i = 0; i < sizeof(replies) / sizeof(replies[0]); i++) {
		const char *s = replies[i].text;
		CHECK_INT(text_tone_check(ta(), s, strlen(s), TEXT_LANG_AUTO, 0, &rep), 0);
		if (replies[i].code == TEXT_TONE_NCODES) {
			if (rep.nissues)
				fprintf(stderr, "  %s in a good reply: %s\n", rep.issues[0].name, s);
			CHECK_INT(rep.nissues, 0);
		} else {
			if (!has_issue(&rep, replies[i].code))
				fprintf(stderr, "  missed: %s\n", s);
			CHECK(has_issue(&rep, replies[i].code));
		}
	}
}

/* A hedged apology is no apology when replying to a complaint (tone.c apology_hedged(), and
 * an apology in a sentence that blames the customer); a plain one is. */
TEST(text_tone_hedged_apology)
{
	static const struct {
		const char *text;
		int missing;
	} replies[] = {
		{ "We're sorry you feel that the fee was unfair.", 1 },
		{ "I'm sorry you felt rushed at your appointment; let's book a longer one.", 0 },
		{ "Sorry if our answer offended you.", 1 },
		{ "Sorry for the delay, and if you need anything else, just ask.", 0 },
		{ "We apologise for any problems you may have had.", 1 },
		{ "We apologise for the problems you had with the app.", 0 },
		{ "Pahoittelemme, jos koit asian loukkaavana.", 1 },
		{ "Pahoittelen, että koit huonoa palvelua.", 0 },
		{ "Valitettavasti koit tilanteen näin.", 1 },
		{ "Olemme pahoillamme, että tunnet tulleesi petetyksi.", 1 },
		{ "Olen pahoillani, että olet tätä mieltä.", 1 },
		{ "Olen pahoillani, että et lukenut sopimusta.", 1 },
		{ "Olen pahoillani, että jouduit odottamaan.", 0 },
		{ "Sorry, we think the parcel was lost in transit.", 0 },
	};
	for (size_t i = 0; i < sizeof(replies) / sizeof(replies[0]); i++) {
		struct text_tone_report rep;
		const char *s = replies[i].text;
		CHECK_INT(text_tone_check(ta(), s, strlen(s), TEXT_LANG_AUTO, TEXT_TONE_REPLY_TO_COMPLAINT, &rep), 0);
		if (has_issue(&rep, TEXT_TONE_MISSING_THANKS) != replies[i].missing)
			fprintf(stderr, "  missing_thanks %d, want %d: %s\n", has_issue(&rep, TEXT_TONE_MISSING_THANKS),
				replies[i].missing, s);
		CHECK_INT(has_issue(&rep, TEXT_TONE_MISSING_THANKS), replies[i].missing);
	}
}

/* Group words (ninth session of 2026-12-07, a blind coverage check): the slurs it found unlisted
 * attack the group; and a neutral mention of a group is no attack - the neutral words for
 * disabled people and "tukea" (to support) carry no negative sentiment any more, and a weak
 * insult that is a group noun names the group in a case other than the nominative. */
TEST(text_group_slurs_and_neutral_mentions)
{
	static const char *const neutral[] = {
		"Onko teillä esteetön sisäänkäynti vammaisille?",
		"Maahanmuuttajat tarvitsevat enemmän tukea suomen kielen opiskeluun.",
		"Kehitysvammaiset nuoret pääsevät nyt kesätöihin.",
		"Tarvitsen tukea laskun maksamiseen.",
		"Poikani on autisti ja tarvitsee rauhallisen odotustilan.",
	};
	static const char *const slur[] = {
		"Partalapset ne vaan valehtelee iästään.",
		"Musut pitäisi heittää ulos maasta.",
		"Kulttuuririkastajat on taas riehuneet asemalla.",
		"Bantuja ei pitäisi päästää tänne.",
	};
	struct text_result r;
	for (size_t i = 0; i < sizeof neutral / sizeof neutral[0]; i++) {
		CHECK_INT(text_analyze(ta(), neutral[i], strlen(neutral[i]), TEXT_LANG_FI, &r), 0);
		if (r.abuse_flagged)
			fprintf(stderr, "  flagged: %s\n", neutral[i]);
		CHECK(!r.abuse_flagged);
		text_result_release(&r);
	}
	for (size_t i = 0; i < sizeof slur / sizeof slur[0]; i++) {
		CHECK_INT(text_analyze(ta(), slur[i], strlen(slur[i]), TEXT_LANG_FI, &r), 0);
		if (r.abuse[TEXT_ABUSE_IDENTITY] < 0.5f)
			fprintf(stderr, "  no identity attack: %s\n", slur[i]);
		CHECK(r.abuse[TEXT_ABUSE_IDENTITY] >= 0.5f);
		text_result_release(&r);
	}
	/* the weak insults still call the reader a name */
	static const char *const called[] = { "Olet vammainen.", "Olet ihan jälkkäri." };
	for (size_t i = 0; i < 2; i++) {
		CHECK_INT(text_analyze(ta(), called[i], strlen(called[i]), TEXT_LANG_FI, &r), 0);
		CHECK(r.abuse_flagged && r.aimed_at_reader && r.abuse[TEXT_ABUSE_INSULT] >= 0.5f);
		text_result_release(&r);
	}
}

/* A customer telling of discrimination they met is no abuser (ninth session of 2026-12-07, a
 * blind probe of neutral mentions of groups): a slur they were called (a calling verb with the
 * translative, also of a slang word voikko does not know), a hostile generalisation or a
 * "go back where you came from" someone said to them (quoted, or told with a reporting verb)
 * is as rude as said (masked) but no identity attack, insult or incident; the writer's own or
 * endorsed words are. */
TEST(text_discrimination_told_is_no_attack)
{
	static const char *const told[] = {
		"Myyjä kutsui minua mamuksi kassalla.",
		"Minua nimiteltiin ryssäksi teidän kaupassanne.",
		"Kaupan vartija sanoi minulle 'te romanit varastatte aina'. En ole varastanut mitään.",
		"Työntekijänne sanoi, että kaikki muslimit ovat terroristeja.",
		"Kassa huusi minulle, että painu takaisin kotimaahasi.",
		"Myymälänne työntekijä sanoi veljelleni 'mene takaisin sinne mistä tulit'.",
		"Your driver said that all immigrants are criminals.",
		"The receptionist said gay people are disgusting and should stay home.",
	};
	static const char *const own[] = {
		"Kaikki muslimit ovat terroristeja.",
		"Kuten Jussi sanoi, kaikki muslimit ovat terroristeja.",
		"Painu takaisin kotimaahasi.",
		"All immigrants are criminals.",
		"Huora, vastaa jo!",
	};
	struct text_result r;
	for (size_t i = 0; i < sizeof told / sizeof told[0]; i++) {
		CHECK_INT(text_analyze(ta(), told[i], strlen(told[i]), TEXT_LANG_AUTO, &r), 0);
		int attack = r.aimed_at_reader || r.abuse[TEXT_ABUSE_IDENTITY] >= 0.5f || r.abuse[TEXT_ABUSE_INSULT] >= 0.5f;
		if (attack)
			fprintf(stderr, "  an attack: %s\n", told[i]);
		CHECK(!attack);
		text_result_release(&r);
	}
	for (size_t i = 0; i < sizeof own / sizeof own[0]; i++) {
		CHECK_INT(text_analyze(ta(), own[i], strlen(own[i]), TEXT_LANG_AUTO, &r), 0);
		int attack = r.aimed_at_reader || r.abuse[TEXT_ABUSE_IDENTITY] >= 0.5f || r.abuse[TEXT_ABUSE_INSULT] >= 0.5f;
		if (!attack)
			fprintf(stderr, "  no attack: %s\n", own[i]);
		CHECK(attack);
		text_result_release(&r);
	}
}

/* 1 if forms of word include form */
static int has_form(const char *word, const char *form)
{
	struct text_forms f;
	if (!ta() || text_word_forms(ta(), word, strlen(word), &f) != TEXT_OK)
		return -1;
	for (size_t i = 0; i < f.n; i++)
		if (strcmp(f.form[i], form) == 0)
			return 1;
	return 0;
}

static size_t nforms(const char *word)
{
	struct text_forms f;
	if (!ta() || text_word_forms(ta(), word, strlen(word), &f) != TEXT_OK)
		return 99;
	return f.n;
}

TEST(text_search_forms_reach_what_the_stem_misses)
{
	/* consonant gradation, stem changes, plural stems; the lemma of an inflected word */
	CHECK_INT(has_form("Helsinki", "helsingin"), 1);
	CHECK_INT(has_form("Helsingissä", "helsinki"), 1);
	CHECK_INT(has_form("Turku", "turun"), 1);
	CHECK_INT(has_form("puhelin", "puhelimen"), 1); /* also "I chatted": the noun still counts */
	CHECK_INT(has_form("käsi", "käden"), 1);
	CHECK_INT(has_form("käsi", "kättä"), 1);
	CHECK_INT(has_form("mies", "miehen"), 1);
	CHECK_INT(has_form("pöytä", "pöydän"), 1);
	CHECK_INT(has_form("tunti", "tunnin"), 1);
	CHECK_INT(has_form("asia", "asioita"), 1);
	CHECK_INT(has_form("Lehto", "lehdon"), 1);
	CHECK_INT(has_form("sopimus", "sopimuksen"), 1);
	CHECK_INT(has_form("lumi", "lunta"), 1);    /* consonant stems */
	CHECK_INT(has_form("sieni", "sienten"), 1); /* stems as "sientä" */
	CHECK_INT(has_form("työ", "töitä"), 1);     /* the diphthong before the plural i */
	CHECK_INT(has_form("yö", "öitä"), 1);
	CHECK_INT(has_form("töissä", "työ"), 1);
	/* a form that is also another word is never one: "kuin" (than) is no form of "kuu" */
	CHECK_INT(has_form("kuu", "kuin"), 0);
	CHECK(nforms("kuu") > 0);
	/* a word of a closed class, with digits or marks, unknown, or English: none */
	CHECK_INT(nforms("kuin"), 0);
	CHECK_INT(nforms("lasku-123"), 0);
	CHECK_INT(nforms("040123"), 0);
	CHECK_INT(nforms("qwzxv"), 0);
	CHECK_INT(nforms("invoice"), 0);
	CHECK_INT(nforms(""), 0);
	/* the forms are distinct words, none the word itself */
	struct text_forms f;
	CHECK_INT(text_word_forms(ta(), "vika", 4, &f), TEXT_OK);
	CHECK(f.n > 0 && f.n <= TEXT_FORMS_MAX);
	for (size_t i = 0; i < f.n; i++) {
		CHECK(strcmp(f.form[i], "vika") != 0);
		for (size_t j = 0; j < i; j++)
			CHECK(strcmp(f.form[i], f.form[j]) != 0);
	}
	/* core case forms also where this Snowball stems them like another (PostgreSQL's does
	 * not): "Pori" -> "porissa"; the lemma of an inflected word even when it is also read as
	 * something else ("puhelin", I chatted); a verb's own base form is no noun's form
	 * ("kuulla", to hear, is also "on the moon"), and gets none itself */
	CHECK_INT(has_form("Pori", "porissa"), 1);
	CHECK_INT(has_form("tuki", "tuen"), 1); /* the genitive, also "I support" */
	CHECK_INT(has_form("aika", "ajan"), 1); /* ik -> j */
	CHECK_INT(has_form("rengas", "rengasta"), 1);
	CHECK_INT(has_form("puhelimen", "puhelin"), 1);
	CHECK_INT(has_form("kuu", "kuulla"), 0);
	CHECK_INT(nforms("kuulla"), 0);
	/* punctuation and symbols around the word are looked past */
	CHECK_INT(has_form("\xe2\x80\x9cHelsinki\xe2\x80\x9d,", "helsingin"), 1);
	CHECK_INT(has_form("(Helsinki)", "helsingin"), 1);
	/* the cached answer is the same, and owned by the caller's struct */
	struct text_forms g;
	CHECK_INT(text_word_forms(ta(), "vika", 4, &g), TEXT_OK);
	CHECK_INT((int)g.n, (int)f.n);
	for (size_t i = 0; i < g.n; i++)
		CHECK(strcmp(g.form[i], f.form[i]) == 0 && g.form[i] >= g.buf && g.form[i] < g.buf + sizeof g.buf);
	/* not UTF-8 */
	CHECK_INT(text_word_forms(ta(), "k\xe4si", 4, &f), TEXT_EUTF8);
	/* longer than a word can be: none, no error */
	char longw[200];
	memset(longw, 'a', sizeof longw - 1);
	longw[sizeof longw - 1] = 0;
	CHECK_INT(nforms(longw), 0);
}

/* ---- twenty-fourth session: a blind audit's general misreadings ---- */

/* Each text aimed at the reader or not, and its insult present or not (ANY: either). */
struct aim_case {
	const char *text;
	enum text_lang lang;
	int aimed, insult;
};
static void check_aims(const struct aim_case *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct text_result r;
		CHECK_INT(run(c[i].text, c[i].lang, &r), 0);
		int ins = r.abuse[TEXT_ABUSE_INSULT] >= TEXT_ABUSE_PRESENT;
		if ((c[i].aimed != ANY && r.aimed_at_reader != c[i].aimed) ||
		    (c[i].insult != ANY && ins != c[i].insult))
			fprintf(stderr, "  aimed %d insult %.2f, want aimed %d insult %d: %s\n", r.aimed_at_reader,
			        r.abuse[TEXT_ABUSE_INSULT], c[i].aimed, c[i].insult, c[i].text);
		if (c[i].aimed != ANY)
			CHECK_INT(r.aimed_at_reader, c[i].aimed);
		if (c[i].insult != ANY)
			CHECK_INT(ins, c[i].insult);
		text_result_release(&r);
	}
}

/* A dismissal someone else gave the writer is told of, like reported name-calling: not aimed,
 * the phrase weak but still masked (toxic); the writer's own, one relayed to the reader and a
 * bare one stay aimed. */
TEST(text_reported_dismissal_not_aimed)
{
	static const struct aim_case c[] = {
	    {"The man at the counter told me to fuck off.", TEXT_LANG_EN, 0, 0},
	    {"Your cashier told me to piss off.", TEXT_LANG_EN, 0, 0},
	    {"He told me to shut up.", TEXT_LANG_EN, 0, 0},
	    {"He screamed \"fuck off\" at me.", TEXT_LANG_EN, 0, 0},
	    {"Asiakas käski mua painumaan vittuun.", TEXT_LANG_FI, 0, 0},
	    {"Myyjä käski minun painua helvettiin.", TEXT_LANG_FI, 0, 0},
	    {"He called me an idiot.", TEXT_LANG_EN, 0, 0},
	    {"I told you to fuck off.", TEXT_LANG_EN, 1, 1},
	    {"He told you to fuck off.", TEXT_LANG_EN, 1, 1},
	    {"Käskin sinun painua vittuun.", TEXT_LANG_FI, 1, 1},
	    {"Hän käski sinun painua vittuun.", TEXT_LANG_FI, 1, 1},
	    {"Fuck off.", TEXT_LANG_EN, 1, 1},
	    {"Painu vittuun.", TEXT_LANG_FI, 1, 1},
	    {"Sä voit painua vittuun.", TEXT_LANG_FI, 1, 1},
	    {"Shut up and refund me.", TEXT_LANG_EN, 1, 1},
	};
	check_aims(c, sizeof c / sizeof c[0]);
	/* still masked: the phrase is rude as said */
	struct text_result r;
	CHECK_INT(run("The man at the counter told me to fuck off.", TEXT_LANG_EN, &r), 0);
	CHECK_INT(r.abuse_flagged, 1);
	CHECK(r.nspans >= 1);
	text_result_release(&r);
}

/* An insult word under a negation that denies it of its noun or subject is weak and not aimed
 * ("Ei tyhmä idea", "Not a stupid question"), and "ei hullumpi" (litotes) is praise; an order,
 * a limit, a quantifier, a comparison, a question or a negated verb keep the insult. */
TEST(text_denied_insult_word)
{
	static const struct aim_case c[] = {
	    {"Ei hullumpi.", TEXT_LANG_FI, 0, 0},
	    {"Ei hullumpaa.", TEXT_LANG_FI, 0, 0},
	    {"Ei tyhmä idea.", TEXT_LANG_FI, 0, 0},
	    {"Ei se ole tyhmä.", TEXT_LANG_FI, 0, 0},
	    {"Not a stupid question at all.", TEXT_LANG_EN, 0, 0},
	    {"That wasn't stupid.", TEXT_LANG_EN, 0, 0},
	    {"Tyhmä idea.", TEXT_LANG_FI, 1, 1},
	    {"Ei kaikki ole idiootteja.", TEXT_LANG_FI, ANY, 1},
	    {"Ei ole tyhmempää ihmistä kuin sinä.", TEXT_LANG_FI, 1, 1},
	    {"Ei se idiootti tajua mitään.", TEXT_LANG_FI, ANY, 1},
	    {"Don't be an idiot.", TEXT_LANG_EN, ANY, 1},
	    {"I'm not the idiot here, you are.", TEXT_LANG_EN, ANY, 1},
	    {"En minä ole tyhmä vaan sinä.", TEXT_LANG_FI, ANY, 1},
	    {"You're not just stupid, you're a liar.", TEXT_LANG_EN, 1, 1},
	};
	check_aims(c, sizeof c / sizeof c[0]);
	static const struct sent_case s[] = {
	    {"Ei hullumpi.", TEXT_LANG_FI, 1},
	    {"Ei hullumpaa!", TEXT_LANG_FI, 1},
	    {"Not a stupid question at all.", TEXT_LANG_EN, 1},
	    {"Ei ole tyhmempää ihmistä kuin sinä.", TEXT_LANG_FI, -1},
	};
	check_sentiments(s, sizeof s / sizeof s[0]);
}

/* A negated negative adjective after a Finnish copula is a litotes ("ei ollut huono"), "ei voi kuin
 * kehua" (can only praise) is praise, "far from good" is no praise, and "not too shabby", "can't
 * fault them" are. Their twins keep their reading. */
TEST(text_negation_litotes_and_limits)
{
	static const struct sent_case s[] = {
	    {"Ei voi kuin kehua.", TEXT_LANG_FI, 1},
	    {"En voi kuin kehua!", TEXT_LANG_FI, 1},
	    {"En voi kuin suositella.", TEXT_LANG_FI, 1},
	    {"Palvelu ei ollut hyvä.", TEXT_LANG_FI, -1},
	    {"En voi suositella.", TEXT_LANG_FI, -1},
	    {"Far from good.", TEXT_LANG_EN, -1},
	    {"The service was far from perfect.", TEXT_LANG_EN, -1},
	    {"Not too shabby.", TEXT_LANG_EN, 1},
	    {"Can't fault them.", TEXT_LANG_EN, 1},
	    {"It was your fault.", TEXT_LANG_EN, -1},
	};
	check_sentiments(s, sizeof s / sizeof s[0]);
	/* litotes: at most mildly positive, never negative as "ei ollut hyvä" is */
	CHECK(score_of("Ruoka ei ollut huono.") > 0.05);
	CHECK(score_of("Ei ollut paha.") > 0.05);
	CHECK(score_of("Ei ole huono.") > 0.05);
	CHECK(score_of("Ruoka ei ollut huono.") < 0.5);
	CHECK(score_of("Ei ole.") < -0.15); /* a lack keeps the phrase's colour */
}

/* A plain English service question is neutral: its words of mild colour ("pay", "refund",
 * "cancel", "charge", "long") assert nothing; a "why" question complains and a strong word keeps
 * its colour. */
TEST(text_service_question_neutral)
{
	static const struct sent_case s[] = {
	    {"Can I pay by card?", TEXT_LANG_EN, 0},
	    {"Can I get a refund?", TEXT_LANG_EN, 0},
	    {"How long?", TEXT_LANG_EN, 0},
	    {"Can I cancel my order?", TEXT_LANG_EN, 0},
	    {"Is the discount code still valid?", TEXT_LANG_EN, 0},
	    {"Do you charge for delivery?", TEXT_LANG_EN, 0},
	    {"Why was I charged twice?", TEXT_LANG_EN, -1},
	    {"Is your service always this terrible?", TEXT_LANG_EN, -1},
	    {"I had to pay twice.", TEXT_LANG_EN, -1},
	};
	check_sentiments(s, sizeof s / sizeof s[0]);
}

/* A short English sentence with a third-person copula says something of someone ("Politicians are
 * idiots."), like a longer one; a bare vocative and "you are" still address the reader. */
TEST(text_en_copula_is_finite)
{
	static const struct aim_case c[] = {
	    {"Politicians are idiots.", TEXT_LANG_EN, 0, 1},
	    {"Cats are stupid.", TEXT_LANG_EN, 0, ANY},
	    {"Politicians are complete idiots.", TEXT_LANG_EN, 0, 1},
	    {"You are idiots.", TEXT_LANG_EN, 1, 1},
	    {"Be quiet, idiot.", TEXT_LANG_EN, 1, 1},
	    {"Stupid idiot.", TEXT_LANG_EN, 1, 1},
	};
	check_aims(c, sizeof c / sizeof c[0]);
}

/* An insult or a slur set off by commas as an address calls the reader it ("Fix my order,
 * dumbass.", "Listen, idiot, ..."), and so does a slur after a "you", alone, or "X like you";
 * an appositive, a list, a plural group, the writer's own identity and a report do not. */
TEST(text_vocative_address_aimed)
{
	static const struct aim_case c[] = {
	    {"Fix my order, dumbass.", TEXT_LANG_EN, 1, 1},
	    {"Listen, idiot, I want my money back.", TEXT_LANG_EN, 1, 1},
	    {"Just refund me, idiot, before I lose my patience.", TEXT_LANG_EN, 1, 1},
	    {"Listen idiot, I want my money back now.", TEXT_LANG_EN, 1, 1},
	    {"Palauta rahat, idiootti.", TEXT_LANG_FI, 1, 1},
	    {"Mä en jaksa, idiootti.", TEXT_LANG_FI, 1, 1},
	    {"My neighbour, a total idiot, called.", TEXT_LANG_EN, 0, ANY},
	    {"Apples, bananas, idiots and cats.", TEXT_LANG_EN, 0, ANY},
	    {"Sinä homo.", TEXT_LANG_FI, 1, ANY},
	    {"Vitun homo!", TEXT_LANG_FI, 1, ANY},
	    {"Painu kotiin, neekeri.", TEXT_LANG_FI, 1, ANY},
	    {"Fags like you shouldn't work here.", TEXT_LANG_EN, 1, ANY},
	    {"Olet homo.", TEXT_LANG_FI, 1, ANY},
	    {"Homot ulos!", TEXT_LANG_FI, 0, ANY},
	    {"He called me a fag.", TEXT_LANG_EN, 0, ANY},
	};
	check_aims(c, sizeof c / sizeof c[0]);
	struct text_result r;
	CHECK_INT(run("Olen homo.", TEXT_LANG_FI, &r), 0);
	CHECK_INT(r.abuse_flagged, 0);
	text_result_release(&r);
}

/* A swear word right before a word of praise intensifies it ("Vitun hyvää ruokaa!"): the praise
 * is positive and the swear word still obscene (masked); before a word of blame it stays
 * negative, and a Finnish swear word before a noun of thanks is no degree word. */
TEST(text_swear_intensifies_praise)
{
	static const struct sent_case s[] = {
	    {"Vitun hyvää ruokaa!", TEXT_LANG_FI, 1},           {"Helvetin hieno paikka.", TEXT_LANG_FI, 1},
	    {"Saatanan hyvä pizza!", TEXT_LANG_FI, 1},          {"Holy shit, best burger ever!", TEXT_LANG_EN, 1},
	    {"Your team is fucking awesome.", TEXT_LANG_EN, 1}, {"Fucking brilliant service.", TEXT_LANG_EN, 1},
	    {"Vitun huono palvelu.", TEXT_LANG_FI, -1},         {"Fucking terrible service.", TEXT_LANG_EN, -1},
	};
	check_sentiments(s, sizeof s / sizeof s[0]);
	struct text_result r;
	CHECK_INT(run("Vitun hyvää ruokaa!", TEXT_LANG_FI, &r), 0);
	CHECK(r.abuse[TEXT_ABUSE_OBSCENITY] >= TEXT_ABUSE_PRESENT);
	CHECK_INT(r.aimed_at_reader, 0);
	text_result_release(&r);
}

/* Sarcastic praise (text24b): an exclamation of praise after an interjection ("Oh great,
 * another delay."), a repeat marker ("another", "the third", "kolmas kerta"), a trailing "...
 * not." or an eye-roll emoji take the praise back; a thanks for the reader's failure ("kiitos
 * että peruitte ajan ilmoittamatta") is a complaint. Real praise and thanks keep their sign. */
TEST(text_sarcasm_praise_taken_back)
{
	static const struct sent_case s[] = {
	    {"Oh great, another delay.", TEXT_LANG_EN, -1},
	    {"Great service... not.", TEXT_LANG_EN, -1},
	    {"Best purchase ever, NOT!", TEXT_LANG_EN, -1},
	    {"Just brilliant, the third wrong invoice this month.", TEXT_LANG_EN, -1},
	    {"Wow, only three hours on hold, amazing service 🙄", TEXT_LANG_EN, -1},
	    {"Great service. 🙄", TEXT_LANG_EN, -1},
	    {"Mahtavaa, kolmas kerta kun paketti katoaa.", TEXT_LANG_FI, -1},
	    {"Kiitos tosi paljon että peruitte mun ajan ilmoittamatta.", TEXT_LANG_FI, -1},
	    {"Kiitos kun ette vastanneet.", TEXT_LANG_FI, -1},
	    {"Loistavaa palvelua 🙃", TEXT_LANG_FI, -1},
	    /* kept */
	    {"Great, thanks for the help!", TEXT_LANG_EN, 1},
	    {"Oh great, another happy customer!", TEXT_LANG_EN, 1},
	    {"Great service... not bad at all.", TEXT_LANG_EN, 1},
	    {"Wow, amazing service!", TEXT_LANG_EN, 1},
	    {"Kiitos että kerroitte ajoissa.", TEXT_LANG_FI, 1},
	    {"Kiitos kun ette luovuttaneet.", TEXT_LANG_FI, 1},
	    {"Kiitos että soititte heti takaisin.", TEXT_LANG_FI, 1},
	    {"Mahtavaa, kiitos!", TEXT_LANG_FI, 1},
	    {"Mahtavaa, kolmas kerta tässä ravintolassa ja aina yhtä hyvää.", TEXT_LANG_FI, 1},
	};
	check_sentiments(s, sizeof s / sizeof s[0]);
}

/* Sarcasm of a plain failure (text25-sarcasm): praise beside a fact of failure (a verb of failing
 * the customer, a verb of working negated, a long wait), praise with an ironic limit on a long
 * time, thanks for a failure, and praise alone beside a complaint; sincere thanks that name a
 * solved problem, a short wait or a past problem stay praise. */
TEST(text_sarcasm_plain_failure)
{
	static const struct sent_case s[] = {
	    {"Brilliant service, I was on hold for two hours.", TEXT_LANG_EN, -1},
	    {"Amazing support, nobody has answered my email in three weeks.", TEXT_LANG_EN, -1},
	    {"Excellent customer care, you hung up on me twice.", TEXT_LANG_EN, -1},
	    {"Superb, only took you six weeks to reply.", TEXT_LANG_EN, -1},
	    {"Fantastic, the technician never showed up.", TEXT_LANG_EN, -1},
	    {"Thanks a lot for charging me twice.", TEXT_LANG_EN, -1},
	    {"Thanks for ignoring my three emails.", TEXT_LANG_EN, -1},
	    {"Great job cancelling my booking without telling me.", TEXT_LANG_EN, -1},
	    {"Really appreciate being transferred five times.", TEXT_LANG_EN, -1},
	    {"Wow, thanks for nothing.", TEXT_LANG_EN, -1},
	    {"Wow, a whole month to process a simple return. Impressive.", TEXT_LANG_EN, -1},
	    {"Mahtavaa palvelua, jonotin puhelimessa puolitoista tuntia.", TEXT_LANG_FI, -1},
	    {"Hienoa työtä, rikoitte koko laitteen.", TEXT_LANG_FI, -1},
	    {"Upeaa, vastaus tuli vain kuuden viikon päästä.", TEXT_LANG_FI, -1},
	    {"Kiitos kun pidätte asiakkaan odottamassa tunnin.", TEXT_LANG_FI, -1},
	    {"Onpa hienoa että tilaus katosi.", TEXT_LANG_FI, -1},
	    {"Kiitos paljon, että hukkasitte paperini.", TEXT_LANG_FI, -1},
	    {"Todella hyvää palvelua, kukaan ei vastannut viikkoon.", TEXT_LANG_FI, -1},
	    {"Loistava asiakaspalvelu, puhelu katkaistiin kolme kertaa.", TEXT_LANG_FI, -1},
	    {"Kiitos avusta, vain kaksi kuukautta meni.", TEXT_LANG_FI, -1},
	    {"Hienosti hoidettu, odotin vain neljä tuntia.", TEXT_LANG_FI, -1},
	    /* kept */
	    {"Thanks for fixing the billing error so fast.", TEXT_LANG_EN, 1},
	    {"Great service, the problem was solved in ten minutes.", TEXT_LANG_EN, 1},
	    {"Brilliant support, they sorted out my lost parcel within a day.", TEXT_LANG_EN, 1},
	    {"Thanks a lot for your help with the refund!", TEXT_LANG_EN, 1},
	    {"Only took five minutes to get an answer, great service!", TEXT_LANG_EN, 1},
	    {"Thanks for calling me back so quickly after my complaint.", TEXT_LANG_EN, 1},
	    {"Only had this a month but it works flawlessly.", TEXT_LANG_EN, 1},
	    {"Wow, the new app is fast.", TEXT_LANG_EN, 1},
	    {"Kiitos että korjasitte laskun virheen niin nopeasti.", TEXT_LANG_FI, 1},
	    {"Hienoa palvelua, ongelma ratkesi heti.", TEXT_LANG_FI, 1},
	    {"Loistavaa palvelua, odotin vain viisi minuuttia.", TEXT_LANG_FI, 1},
	    {"Mahtavaa, paketti tuli jo seuraavana päivänä.", TEXT_LANG_FI, 1},
	    {"Vain kaksi kuukautta hoitoa ja olen terve.", TEXT_LANG_FI, 1},
	};
	check_sentiments(s, sizeof s / sizeof s[0]);
}

/* Sarcasm of a failure the writer suffered (text25b-sarcasm): praise or thanks said to the
 * reader beside a fact of time gone by, a wait that goes on, a promise broken, a counted
 * repetition or nobody coming is a complaint, in the same sentence or after a thanks alone;
 * a problem put right is thanks (the mirror), and the twins of each stay. */
TEST(text_sarcasm_failure_suffered)
{
	static const struct sent_case s[] = {
	    {"Kiitos tosi paljon, lahja tuli kaksi viikkoa juhlien jälkeen.", TEXT_LANG_FI, -1},
	    {"Ihanaa kun tilaus on ollut matkalla jo kolmatta viikkoa.", TEXT_LANG_FI, -1},
	    {"Kiitos nopeasta palvelusta, odotan vastausta vieläkin.", TEXT_LANG_FI, -1},
	    {"Hienoa että lupasitte soittaa takaisin, eikä kukaan soittanut.", TEXT_LANG_FI, -1},
	    {"Mahtavaa asiakaspalvelua, soitin teille viidettä kertaa.", TEXT_LANG_FI, -1},
	    {"Kiitos hienosta palvelusta, tilaus tehty huhtikuussa ja edelleen ei mitään.", TEXT_LANG_FI, -1},
	    {"Kiitos paljon! Odotan edelleen lupaamaanne soittoa.", TEXT_LANG_FI, -1},
	    {"Kiitos ystävällisestä vastauksesta kahden kuukauden jälkeen.", TEXT_LANG_FI, -1},
	    {"Thanks so much, the cake arrived three days after the party.", TEXT_LANG_EN, -1},
	    {"Love how my refund has been processing since February.", TEXT_LANG_EN, -1},
	    {"So nice of you to promise a callback, I'm still sitting by the phone.", TEXT_LANG_EN, -1},
	    {"Wonderful support, this is the fourth time I've explained the problem.", TEXT_LANG_EN, -1},
	    {"Love that the tracking has said in transit for nine days now.", TEXT_LANG_EN, -1},
	    {"Thanks guys, you said it would come on Monday and it's Friday.", TEXT_LANG_EN, -1},
	    {"Excellent communication, you told me someone would call and no one ever did.", TEXT_LANG_EN, -1},
	    /* kept: speed, ownership, praise after it, a thing put right */
	    {"Kiitos, paketti tuli jo kahdessa päivässä!", TEXT_LANG_FI, 1},
	    {"Ihanaa, tilaus tuli perille jo seuraavana päivänä.", TEXT_LANG_FI, 1},
	    {"Hienoa että soititte takaisin heti.", TEXT_LANG_FI, 1},
	    {"Thanks, I've been a customer since March and love it.", TEXT_LANG_EN, 1},
	    {"Love how you always answer within an hour.", TEXT_LANG_EN, 1},
	    {"Thanks for calling me back so quickly, you said you would and you did.", TEXT_LANG_EN, 1},
	    {"Tilauksessa oli väärä koko, mutta vaihto onnistui heti. Kiitos!", TEXT_LANG_FI, 1},
	    {"Iso kiitos Annelle, joka selvitti laskutusvirheen ja palautti rahat.", TEXT_LANG_FI, 1},
	    {"Kiitos, asentaja löysi vian nopeasti ja nyt kaikki toimii.", TEXT_LANG_FI, 1},
	    {"Thank you for fixing the billing error so fast, I was worried but it's all sorted.", TEXT_LANG_EN, 1},
	    {"Huge thanks, the wrong sofa was swapped without any fuss.", TEXT_LANG_EN, 1},
	    /* a fix that did not hold is no fix */
	    {"Kiitos kun korjasitte tulostimen, nyt se ei käynnisty ollenkaan.", TEXT_LANG_FI, -1},
	    /* an imperative asks for the fix */
	    {"Reititin pätkii koko ajan, korjatkaa se.", TEXT_LANG_FI, -1},
	};
	check_sentiments(s, sizeof s / sizeof s[0]);
}

/* A polite request beside the writer's own circumstance (text25b-sarcasm): the circumstance's
 * word of colour ("sairaana", "not great with computers", "my phone died") is no complaint of
 * the service; a complaint of the service, a feeling or a thing done to the writer stays. */
TEST(text_request_with_circumstance)
{
	static const struct sent_case s[] = {
	    {"Poikani on sairaana, voisiko tapaamisen siirtää ensi viikolle?", TEXT_LANG_FI, 0},
	    {"Mulla on huono näkö, saisinko laskut isommalla fontilla?", TEXT_LANG_FI, 0},
	    {"Olen sairauslomalla, voisinko maksaa laskun kuun lopussa?", TEXT_LANG_FI, 0},
	    {"I'm 70 and not great with computers, could someone phone me instead?", TEXT_LANG_EN, 0},
	    {"My phone died yesterday, can you send the code again please?", TEXT_LANG_EN, 0},
	    {"My daughter is disabled, so we need a ground floor room if possible.", TEXT_LANG_EN, 0},
	    /* kept */
	    {"Your app is terrible, could someone just call me?", TEXT_LANG_EN, -1},
	    {"The courier broke my phone, can you send a new one?", TEXT_LANG_EN, -1},
	    {"Olen todella pettynyt, voisitteko palauttaa rahani?", TEXT_LANG_FI, -1},
	    {"Sovellus ei toimi ollenkaan, voisiko joku soittaa?", TEXT_LANG_FI, -1},
	};
	check_sentiments(s, sizeof s / sizeof s[0]);
}

/* Identity attacks without a slur (text24b): a call to throw a group out ("Muslimit pitäisi
 * heittää maasta", "should be thrown out of the country"), exclusion of the disabled, sending
 * the reader back to a country by name, a stock slander of a sex's ability ("Women can't
 * drive.", "Naiset ei osaa korjata autoja."), and crime said of an origin group; the everyday
 * twins (a report, a rule, one person, a thing) are no attack. */
TEST(text_identity_attack_without_slur)
{
	static const char *const attacks[][2] = {
	    {"Muslimit pitäisi heittää maasta.", "fi"},
	    {"Muslims should be thrown out of the country.", "en"},
	    {"Disabled people don't belong here.", "en"},
	    {"People like you should go back to Africa.", "en"},
	    {"Go back to Somalia.", "en"},
	    {"Naiset ei osaa korjata autoja.", "fi"},
	    {"Women can't drive.", "en"},
	    {"All Somalis are criminals.", "en"},
	};
	static const char *const clean[][2] = {
	    {"Heitin roskat ulos.", "fi"},
	    {"Naiset osaa korjata autoja.", "fi"},
	    {"The drunk was thrown out of the bar.", "en"},
	    {"Go back to Settings and tap Save.", "en"},
	    {"I should go back to London next year.", "en"},
	    {"Women can't use the men's sauna.", "en"},
	    {"My wife can't drive.", "en"},
	    {"Women can't believe these prices.", "en"},
	    {"The disabled toilet was filthy and disgusting.", "en"},
	    {"Is the entrance wheelchair accessible for disabled guests?", "en"},
	};
	struct text_result r;
	for (size_t i = 0; i < sizeof attacks / sizeof attacks[0]; i++) {
		CHECK_INT(run(attacks[i][0], attacks[i][1][0] == 'f' ? TEXT_LANG_FI : TEXT_LANG_EN, &r), 0);
		if (r.abuse[TEXT_ABUSE_IDENTITY] < TEXT_ABUSE_PRESENT)
			fprintf(stderr, "  no identity attack: %s\n", attacks[i][0]);
		CHECK(r.abuse[TEXT_ABUSE_IDENTITY] >= TEXT_ABUSE_PRESENT);
		text_result_release(&r);
	}
	for (size_t i = 0; i < sizeof clean / sizeof clean[0]; i++) {
		CHECK_INT(run(clean[i][0], clean[i][1][0] == 'f' ? TEXT_LANG_FI : TEXT_LANG_EN, &r), 0);
		if (r.abuse[TEXT_ABUSE_IDENTITY] >= TEXT_ABUSE_PRESENT)
			fprintf(stderr, "  identity attack: %s\n", clean[i][0]);
		CHECK(r.abuse[TEXT_ABUSE_IDENTITY] < TEXT_ABUSE_PRESENT);
		text_result_release(&r);
	}
	/* sent back to a country by name, said to the reader */
	CHECK_INT(run("People like you should go back to Africa.", TEXT_LANG_EN, &r), 0);
	CHECK_INT(r.aimed_at_reader, 1);
	text_result_release(&r);
}

/* A group or the reader's kind shut out or refused with no slur (text25, insult.c
 * text_group_shut_out()): an identity attack, aimed when the reader is named as one of the kind,
 * and negative even with no negative word; the kind words, a sympathetic "shouldn't have to", a
 * medical wish, the writer's own kind and a customer telling of discrimination are not. */
TEST(text_group_shut_out)
{
	static const struct {
		const char *s;
		enum text_lang lang;
		int attack, aimed;
	} shut[] = {
	    {"People like you should not be working with customers.", TEXT_LANG_EN, 1, 1},
	    {"Your kind should never have been hired.", TEXT_LANG_EN, 1, 1},
	    {"Folks like you don't belong in this job.", TEXT_LANG_EN, 1, 1},
	    {"The likes of you shouldn't be allowed near my children.", TEXT_LANG_EN, 1, 1},
	    {"You people are all the same.", TEXT_LANG_EN, 1, 1},
	    {"Someone your age should be retired, not answering phones.", TEXT_LANG_EN, 1, 1},
	    {"Women shouldn't be working as mechanics.", TEXT_LANG_EN, 1, 0},
	    {"Don't send a foreigner to fix my boiler, send a Finnish guy.", TEXT_LANG_EN, 1, 0},
	    {"I won't let a Muslim into my house, send someone else.", TEXT_LANG_EN, 1, 0},
	    {"Sun kaltaiset ei kuulu tänne.", TEXT_LANG_FI, 1, 1},
	    {"Teidän kaltaisia ei pitäisi päästää töihin.", TEXT_LANG_FI, 1, 1},
	    {"Tuollaiset kuin sinä pitäisi palauttaa kotimaahansa.", TEXT_LANG_FI, 1, 1},
	    {"Te ulkomaalaiset olette kaikki samanlaisia.", TEXT_LANG_FI, 1, 1},
	    {"Teikäläiset ei osaa mitään.", TEXT_LANG_FI, 1, 1},
	    {"Sinun ikäisesi pitäisi olla jo kotona.", TEXT_LANG_FI, 1, 1},
	    {"Naisten ei pitäisi tehdä tätä työtä.", TEXT_LANG_FI, 1, 0},
	    {"Maahanmuuttajat pitäisi lähettää takaisin kotimaahansa.", TEXT_LANG_FI, 1, 0},
	    {"En halua puhua maahanmuuttajan kanssa.", TEXT_LANG_FI, 1, 0},
	    {"Palkatkaa suomalaisia eikä maahanmuuttajia.", TEXT_LANG_FI, 1, 0},
	    {"People like you make this place great.", TEXT_LANG_EN, 0, 0},
	    {"Your kind words meant a lot to me.", TEXT_LANG_EN, 0, 0},
	    {"Are you people open on Sunday?", TEXT_LANG_EN, 0, 0},
	    {"You people are all morons.", TEXT_LANG_EN, 0, 1}, /* an insult, not of a kind */
	    {"Women shouldn't have to wait this long for a repair.", TEXT_LANG_EN, 0, 0},
	    {"Could you send a Finnish-speaking technician?", TEXT_LANG_EN, 0, 0},
	    {"I would prefer to talk to a woman about this, it's a gynaecological issue.", TEXT_LANG_EN, 0, 0},
	    {"The security guard told me that people like me don't belong here.", TEXT_LANG_EN, 0, 0},
	    {"Kaltaisesi asiakkaat ovat meille tärkeitä.", TEXT_LANG_FI, 0, 0},
	    {"Te suomalaiset ootte tosi ystävällisiä.", TEXT_LANG_FI, 0, 0},
	    {"Meidän kaltaiset pienyrittäjät ei pärjää ilman teitä.", TEXT_LANG_FI, 0, 0},
	    {"Vartija sanoi että kaltaiseni eivät kuulu tänne.", TEXT_LANG_FI, 0, 0},
	    {"Sinun ikäisesi saavat eläkeläisalennuksen.", TEXT_LANG_FI, 0, 0},
	    {"Naisten sauna on remontissa.", TEXT_LANG_FI, 0, 0},
	    {"En halua puhua puhelimessa, lähettäkää sähköpostia.", TEXT_LANG_FI, 0, 0},
	    {"Sun kaltaiset pitäis ampua.", TEXT_LANG_FI, 0, 1}, /* a threat */
	};
	struct text_result r;
	for (size_t i = 0; i < sizeof shut / sizeof shut[0]; i++) {
		CHECK_INT(run(shut[i].s, shut[i].lang, &r), 0);
		int attack = r.abuse[TEXT_ABUSE_IDENTITY] >= TEXT_ABUSE_PRESENT;
		if (attack != shut[i].attack || (attack && r.aimed_at_reader != shut[i].aimed) ||
		    (attack && r.sentiment_label != TEXT_SENT_NEGATIVE))
			fprintf(stderr, "  %s: identity %.2f aimed %d sentiment %d\n", shut[i].s,
			        r.abuse[TEXT_ABUSE_IDENTITY], r.aimed_at_reader, (int)r.sentiment_label);
		CHECK_INT(attack, shut[i].attack);
		if (attack) {
			CHECK_INT(r.aimed_at_reader, shut[i].aimed);
			CHECK_INT(r.sentiment_label, TEXT_SENT_NEGATIVE);
		}
		text_result_release(&r);
	}
}

/* What is said of a group or of the reader as one of it, with no slur (text25b, insult.c
 * text_group_slander()): a group generalised against (a stock slander, trust denied, an excess,
 * a duty never done, an ability denied even so, a negative word with "all"/"always"), the reader
 * put down for their group, a failure put down to someone's group, and a group likened to vermin,
 * beasts or a disease (severe). Neutral mentions, praise, what befalls a group, a passive of
 * treatment, the writer's own group and a customer telling of it are none. */
TEST(text_group_slander)
{
	static const struct {
		const char *s;
		enum text_lang lang;
		int attack, aimed, severe;
	} slander[] = {
	    {"Foreigners never pay their bills on time.", TEXT_LANG_EN, 1, 0, 0},
	    {"Russians cannot be trusted with anything.", TEXT_LANG_EN, 1, 0, 0},
	    {"Polish workers are lazy and dirty.", TEXT_LANG_EN, 1, 0, 0},
	    {"Women are too emotional to run a store.", TEXT_LANG_EN, 1, 0, 0},
	    {"Romanian cleaners steal from every house they work in.", TEXT_LANG_EN, 1, 0, 0},
	    {"Old people are useless with technology.", TEXT_LANG_EN, 1, 0, 0},
	    {"you cant trust an arab with money", TEXT_LANG_EN, 1, 0, 0},
	    {"no surprise the cleaner stole my ring, hes a foreigner", TEXT_LANG_EN, 1, 0, 0},
	    {"As a woman you wouldn't understand how engines work.", TEXT_LANG_EN, 1, 1, 0},
	    {"Since ur a foreigner u dont know how things work here", TEXT_LANG_EN, 1, 1, 0},
	    {"At your age you cant possibly keep up with the new system.", TEXT_LANG_EN, 1, 1, 0},
	    {"Of course you messed it up, you're Polish.", TEXT_LANG_EN, 1, 1, 0},
	    {"Immigrants breed like rats.", TEXT_LANG_EN, 1, 0, 1},
	    {"They behave like animals, these Somalis.", TEXT_LANG_EN, 1, 0, 1},
	    {"Foreigners are a disease in this country.", TEXT_LANG_EN, 1, 0, 1},
	    {"Ulkomaalaiset ei ikinä maksa laskujaan ajallaan.", TEXT_LANG_FI, 1, 0, 0},
	    {"Venäläisiin ei voi luottaa.", TEXT_LANG_FI, 1, 0, 0},
	    {"Naiset on liian tunteellisia johtamaan mitään.", TEXT_LANG_FI, 1, 0, 0},
	    {"Tyypillinen nainen, ei osaa edes parkkeerata.", TEXT_LANG_FI, 1, 0, 0},
	    {"Somalit on laiskoja ja elää tuilla.", TEXT_LANG_FI, 1, 0, 0},
	    {"Ulkomaalainen siivooja varastaa aina jotain.", TEXT_LANG_FI, 1, 0, 0},
	    {"Vanhat ihmiset on ihan toivottomia näissä jutuissa.", TEXT_LANG_FI, 1, 0, 0},
	    {"Ei ihme että meni pieleen, se on ulkomaalainen.", TEXT_LANG_FI, 1, 0, 0},
	    {"Sä oot nainen niin tuskin tajuat mitään autoista.", TEXT_LANG_FI, 1, 1, 0},
	    {"Ethän sä ymmärrä kun oot venäläinen.", TEXT_LANG_FI, 1, 1, 0},
	    {"Naisena sä et varmaan osaa tätä korjata.", TEXT_LANG_FI, 1, 1, 0},
	    {"Sun ikäisenä ei enää pysty oppimaan uusia järjestelmiä.", TEXT_LANG_FI, 1, 1, 0},
	    {"Opettelisit puhumaan suomea kunnolla ennen kuin vastaat asiakkaille.", TEXT_LANG_FI, 1, 1, 0},
	    {"Maahanmuuttajat lisääntyy kuin rotat.", TEXT_LANG_FI, 1, 0, 1},
	    {"Ulkomaalaiset on kuin syöpä tälle maalle.", TEXT_LANG_FI, 1, 0, 1},
	    {"Polish builders are always so hard-working, we were very happy.", TEXT_LANG_EN, 0, 0, 0},
	    {"My husband is Polish and he couldn't understand the contract.", TEXT_LANG_EN, 0, 0, 0},
	    {"Many immigrants face long waits at the job centre.", TEXT_LANG_EN, 0, 0, 0},
	    {"Women are too often ignored by mechanics, please train your staff.", TEXT_LANG_EN, 0, 0, 0},
	    {"Elderly customers are often ignored at your tills, which is sad.", TEXT_LANG_EN, 0, 0, 0},
	    {"You're a woman too, so you understand why this matters to me.", TEXT_LANG_EN, 0, 0, 0},
	    {"As a disabled customer I could not reach the top shelf.", TEXT_LANG_EN, 0, 0, 0},
	    {"I like animals, do you sell dog food?", TEXT_LANG_EN, 0, 0, 0},
	    {"The kids ran around like animals at the party, it was great fun.", TEXT_LANG_EN, 0, 0, 0},
	    {"Politicians never keep their promises.", TEXT_LANG_EN, 0, 0, 0},
	    {"Your accent is lovely, where are you from?", TEXT_LANG_EN, 0, 0, 0},
	    {"Virolaiset rakentajat teki tosi hyvää jälkeä.", TEXT_LANG_FI, 0, 0, 0},
	    {"Maahanmuuttajat joutuvat jonottamaan liian kauan virastossa.", TEXT_LANG_FI, 0, 0, 0},
	    {"Mun mies on virolainen eikä ymmärtänyt sopimusta.", TEXT_LANG_FI, 0, 0, 0},
	    {"Naisena en ymmärrä miksi hinnat on eri.", TEXT_LANG_FI, 0, 0, 0},
	    {"Sun ikäisenä mä en vielä osannut mitään, hienoa että autoit!", TEXT_LANG_FI, 0, 0, 0},
	    {"Kuljettaja sanoi että naiset ei osaa ajaa, olin järkyttynyt.", TEXT_LANG_FI, 0, 0, 0},
	    {"Vanhukset eivät aina osaa käyttää sovellusta, voisitteko lisätä puhelinpalvelun?", TEXT_LANG_FI, 0, 0, 0},
	    {"Poliitikot ei ikinä pidä lupauksiaan.", TEXT_LANG_FI, 0, 0, 0},
	    {"Koska olet nainen, voisitko suositella meikkivoidetta?", TEXT_LANG_FI, 0, 0, 0},
	};
	struct text_result r;
	for (size_t i = 0; i < sizeof slander / sizeof slander[0]; i++) {
		CHECK_INT(run(slander[i].s, slander[i].lang, &r), 0);
		int attack = r.abuse[TEXT_ABUSE_IDENTITY] >= TEXT_ABUSE_PRESENT;
		if (attack != slander[i].attack || (attack && r.aimed_at_reader != slander[i].aimed) ||
		    (attack && (r.severe != slander[i].severe || r.sentiment_label != TEXT_SENT_NEGATIVE)))
			fprintf(stderr, "  %s: identity %.2f aimed %d severe %d sentiment %d\n", slander[i].s,
			        r.abuse[TEXT_ABUSE_IDENTITY], r.aimed_at_reader, r.severe, (int)r.sentiment_label);
		CHECK_INT(attack, slander[i].attack);
		if (attack) {
			CHECK_INT(r.aimed_at_reader, slander[i].aimed);
			CHECK_INT(r.severe, slander[i].severe);
			CHECK_INT(r.sentiment_label, TEXT_SENT_NEGATIVE);
		}
		text_result_release(&r);
	}
}

/* Veiled threats (text24b): the Finnish "watch your back" with an emphatic particle ("Varo vaan
 * selustaasi", analyze.c find_phrases()), "I'll find you yet", a challenge to a fight, and
 * "sleep with one eye open" are threats to the reader; the errand and the ordinary twins are not. */
TEST(text_veiled_threats_particles)
{
	static const struct flag_case threats[] = {
	    {"Varo vaan selustaasi.", TEXT_LANG_FI, 1},
	    {"Odota vaan, kyllä mä sut vielä löydän.", TEXT_LANG_FI, 1},
	    {"Tuu vaan ulos niin katotaan kuka on kova.", TEXT_LANG_FI, 1},
	    {"You'd better sleep with one eye open.", TEXT_LANG_EN, 1},
	    {"Löydän sut tiskiltä huomenna.", TEXT_LANG_FI, 0},
	    {"Varo vaan, lattia on liukas.", TEXT_LANG_FI, 0},
	    {"Katsotaan kuka on paikalla huomenna.", TEXT_LANG_FI, 0},
	    {"The baby sleeps with one eye open, it's so cute.", TEXT_LANG_EN, 0},
	};
	struct text_result r;
	for (size_t i = 0; i < sizeof threats / sizeof threats[0]; i++) {
		CHECK_INT(run(threats[i].text, threats[i].lang, &r), 0);
		int got = r.abuse[TEXT_ABUSE_THREAT] >= TEXT_ABUSE_PRESENT;
		if (got != threats[i].flagged)
			fprintf(stderr, "  threat %.2f: %s\n", r.abuse[TEXT_ABUSE_THREAT], threats[i].text);
		CHECK_INT(got, threats[i].flagged);
		text_result_release(&r);
	}
}

/* Spoken Finnish judgements of quality (text24b): "kökkö", "syvältä", "hanurista" blame and
 * "huikee" praises; their standard neighbours keep their reading. */
TEST(text_fi_spoken_quality_words)
{
	static const struct sent_case s[] = {
	    {"Aika kökkö sovellus.", TEXT_LANG_FI, -1},
	    {"Tää on ihan syvältä.", TEXT_LANG_FI, -1},
	    {"Ihan hanurista koko palvelu.", TEXT_LANG_FI, -1},
	    {"Huikee palvelu!", TEXT_LANG_FI, 1},
	    {"Huikea kokemus.", TEXT_LANG_FI, 1},
	    {"Järvi on tästä kohtaa syvä.", TEXT_LANG_FI, 0},
	};
	check_sentiments(s, sizeof s / sizeof s[0]);
}

/* Spoken Finnish negation (text24c): particles of emphasis ("kyllä", "nyt", "yhtään") between a
 * negation and the word it denies do not use up its three words, and the spoken "mittää" is the
 * negator "mikään"; the standard twins read the same, a clause break still ends the scope, and a
 * bare "Ei mittää." is an answer. */
TEST(text_fi_negation_particles_spoken)
{
	static const struct sent_case s[] = {
	    {"Ei oo kyllä mittää järkee tässä hommassa.", TEXT_LANG_FI, -1},
	    {"Ei ole kyllä mitään järkeä tässä hommassa.", TEXT_LANG_FI, -1},
	    {"Ei ole kyllä yhtään järkeä tässä.", TEXT_LANG_FI, -1},
	    {"Ei tässä hommassa oo mittää järkee.", TEXT_LANG_FI, -1},
	    {"Ei se nyt kyllä hyvä ollut.", TEXT_LANG_FI, -1},
	    {"En tiedä, mutta ruoka oli kyllä hyvää.", TEXT_LANG_FI, 1},
	    {"Kyllä nyt on hyvää ruokaa.", TEXT_LANG_FI, 1},
	    {"Ei mittää.", TEXT_LANG_FI, 0},
	};
	check_sentiments(s, sizeof s / sizeof s[0]);
	CHECK(score_of("Ei ole kyllä paha.") > 0.05); /* litotes through the particle */
}

/* Short English reviews of content words no list knows (text24c): with no Finnish evidence at all
 * and no letter outside English's, a few English lexicon words make the text English; short
 * Finnish stays Finnish, and a text of another language or of no known word stays "other". */
TEST(text_short_english_language)
{
	static const struct {
		const char *s;
		enum text_lang lang;
	} v[] = {
	    {"Pretty decent overall.", TEXT_LANG_EN},
	    {"Smooth checkout, fast delivery, 10/10.", TEXT_LANG_EN},
	    {"Good product, terrible customer service.", TEXT_LANG_EN},
	    {"Kiva palvelu.", TEXT_LANG_FI},
	    {"Ok kiitos.", TEXT_LANG_FI},
	    {"Super nopea.", TEXT_LANG_FI},
	    {"Bonne journée, merci beaucoup.", TEXT_LANG_OTHER},
	    {"Qwerty zxcvb asdf.", TEXT_LANG_OTHER},
	};
	struct text_result r;
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		CHECK_INT(run(v[i].s, TEXT_LANG_AUTO, &r), 0);
		if ((enum text_lang)r.lang != v[i].lang)
			fprintf(stderr, "  lang %s: %s\n", text_lang_name(r.lang), v[i].s);
		CHECK_INT(r.lang, v[i].lang);
		text_result_release(&r);
	}
	static const struct sent_case s[] = {
	    {"Pretty decent overall.", TEXT_LANG_EN, 1},
	    {"Smooth checkout.", TEXT_LANG_EN, 1},
	};
	check_sentiments(s, sizeof s / sizeof s[0]);
}

/* A capitalised possessive before a capitalised word is a shop or a brand named for its owner
 * (text24c): "Dick's Sporting Goods" is no insult; the word called at the reader, alone, or in a
 * possessive before a lower-case word still is. */
TEST(text_possessive_brand_name)
{
	static const struct flag_case names[] = {
	    {"Dick's Sporting Goods gift card accepted?", TEXT_LANG_EN, 0},
	    {"Is the Dick's Sporting Goods store open on Sundays?", TEXT_LANG_EN, 0},
	};
	check_flags(names, sizeof names / sizeof names[0], 0);
	static const struct flag_case abuse[] = {
	    {"You dick.", TEXT_LANG_EN, 1},
	    {"Dick.", TEXT_LANG_EN, 1},
	    {"Dick's a jerk.", TEXT_LANG_EN, 1},
	};
	check_flags(abuse, sizeof abuse / sizeof abuse[0], 1);
}

/* An English violent verb done to a thing is everyday work (text24c): "I'll kill the process"
 * is neither a threat nor anger; done to the reader or a person, or to a noun phrase with a
 * person in it ("the whole staff"), it stays a threat. */
TEST(text_en_violent_verb_thing_object)
{
	static const struct sent_case s[] = {
	    {"I'll kill you.", TEXT_LANG_EN, -1},
	};
	check_sentiments(s, sizeof s / sizeof s[0]);
	static const struct {
		const char *s;
		int threat;
	} v[] = {
	    {"I'll kill the process and restart.", 0},
	    {"I'll kill you.", 1},
	};
	struct text_result r;
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		CHECK_INT(run(v[i].s, TEXT_LANG_EN, &r), 0);
		CHECK_INT(r.abuse[TEXT_ABUSE_THREAT] >= TEXT_ABUSE_PRESENT, v[i].threat);
		text_result_release(&r);
	}
	/* the verb's -3 is not felt (what is left is the weak threat evidence kept for safety) */
	CHECK_INT(run("I'll kill the process and restart.", TEXT_LANG_EN, &r), 0);
	CHECK(r.sentiment_score > -0.2);
	text_result_release(&r);
	CHECK_INT(run("Just kill the app and open it again.", TEXT_LANG_EN, &r), 0);
	CHECK(r.sentiment_score > -0.2);
	text_result_release(&r);
	/* the whole noun phrase is the object: a person in it keeps the threat's weight */
	double thing, staff;
	CHECK_INT(run("I'll kill the whole process.", TEXT_LANG_EN, &r), 0);
	thing = r.abuse[TEXT_ABUSE_THREAT];
	text_result_release(&r);
	CHECK_INT(run("I'll kill the whole staff.", TEXT_LANG_EN, &r), 0);
	staff = r.abuse[TEXT_ABUSE_THREAT];
	text_result_release(&r);
	CHECK(staff > thing + 0.1);
}

/* Incitement to suicide is insult and severe, not a threat (text24c; docs "Severe abuse": the
 * writer commits to no act), in English as in Finnish; a threat to kill the reader stays one,
 * and a worried "don't kill yourself" is no abuse. */
TEST(text_suicide_urged_is_insult)
{
	static const char *const urged[][2] = {
	    {"Go kill yourself.", "en"},
	    {"Kill yourself.", "en"},
	    {"Kys.", "en"},
	    {"Tapa ittes.", "fi"},
	};
	struct text_result r;
	for (size_t i = 0; i < sizeof urged / sizeof urged[0]; i++) {
		CHECK_INT(run(urged[i][0], urged[i][1][0] == 'e' ? TEXT_LANG_EN : TEXT_LANG_FI, &r), 0);
		if (r.abuse[TEXT_ABUSE_THREAT] >= TEXT_ABUSE_PRESENT || r.abuse[TEXT_ABUSE_INSULT] < TEXT_ABUSE_PRESENT)
			fprintf(stderr, "  insult %.2f threat %.2f: %s\n", r.abuse[TEXT_ABUSE_INSULT],
			        r.abuse[TEXT_ABUSE_THREAT], urged[i][0]);
		CHECK(r.abuse[TEXT_ABUSE_INSULT] >= TEXT_ABUSE_PRESENT);
		CHECK(r.abuse[TEXT_ABUSE_THREAT] < TEXT_ABUSE_PRESENT);
		CHECK_INT(r.severe, 1);
		CHECK_INT(r.aimed_at_reader, 1);
		text_result_release(&r);
	}
	CHECK_INT(run("I'll kill you.", TEXT_LANG_EN, &r), 0);
	CHECK(r.abuse[TEXT_ABUSE_THREAT] >= TEXT_ABUSE_PRESENT);
	text_result_release(&r);
	CHECK_INT(run("Don't kill yourself carrying the sofa, we have a lift.", TEXT_LANG_EN, &r), 0);
	CHECK_INT(r.severe, 0);
	CHECK(r.abuse[TEXT_ABUSE_THREAT] < TEXT_ABUSE_PRESENT);
	text_result_release(&r);
}

/* A Finnish thanks for a failure needs a failure (text24c): the abessive of a verb of informing
 * ("ilmoittamatta", "kertomatta") or a negated verb of things working; the abessive of asking or
 * requesting ("kysymättä turhia", "pyytämättä") is the service praised. */
TEST(text_fi_thanks_abessive_of_informing)
{
	static const struct sent_case s[] = {
	    {"Kiitos tosi paljon että peruitte mun ajan ilmoittamatta.", TEXT_LANG_FI, -1},
	    {"Kiitos että muutitte ajan kertomatta mitään.", TEXT_LANG_FI, -1},
	    {"Kiitos kun ette vastanneet.", TEXT_LANG_FI, -1},
	    {"Kiitos että hoiditte sen pyytämättä.", TEXT_LANG_FI, 1},
	    {"Kiitos että hoiditte sen kysymättä.", TEXT_LANG_FI, 1},
	};
	check_sentiments(s, sizeof s / sizeof s[0]);
	CHECK(score_of("Kiitos että hoiditte sen kysymättä turhia.") >= 0);
}

/* The reader named in another clause of the sentence does not aim an insult at them (text24d):
 * a contrast conjunction ("mutta", ", mut", "but") separates the clauses, and a "you" that is
 * the standard of a comparison ("verrattuna teihin") is no target. A "you" in the insult's own
 * clause still aims it. */
TEST(text_insult_aimed_in_its_clause)
{
	static const struct aim_case c[] = {
	    {"My neighbour is a total moron, but your guys were great.", TEXT_LANG_EN, 0, ANY},
	    {"Naapurin ukko on ihan kusipää, mut teidän palvelu oli hyvä.", TEXT_LANG_FI, 0, ANY},
	    {"Ne kilpailijan myyjät on ihan pellejä verrattuna teihin.", TEXT_LANG_FI, 0, ANY},
	    {"Paskamainen päivä, mutta te pelastitte sen!", TEXT_LANG_FI, 0, 0},
	    {"What a shit day, but you saved it!", TEXT_LANG_EN, 0, 0},
	    {"Sä oot idiootti mutta kiitos.", TEXT_LANG_FI, 1, 1},
	    {"You idiot, but thanks.", TEXT_LANG_EN, 1, 1},
	    {"Kiitos, mutta sä oot idiootti.", TEXT_LANG_FI, 1, 1},
	    {"Thanks, but you are an idiot.", TEXT_LANG_EN, 1, 1},
	    {"You are nothing but a moron.", TEXT_LANG_EN, 1, 1},
	    {"Te ootte pellejä verrattuna kilpailijaan.", TEXT_LANG_FI, 1, 1},
	};
	check_aims(c, sizeof c / sizeof c[0]);
}

/* Prefixes and adverbs of degree before praise (text24d): "sika-" on an adjective voikko does not
 * know as one word ("sikahyvä", "sikasiisti") is the adjective intensified, no pig and no insult;
 * a genitive of excess ("järjettömän", "älyttömän", "törkeän") before a word of praise boosts
 * it. "Sika!" and "Olet sika." still call names; before blame the adverb stays negative. */
TEST(text_fi_degree_prefix_and_adverb)
{
	static const struct sent_case s[] = {
	    {"Sikahyvä palvelu!", TEXT_LANG_FI, 1},
	    {"Sikasiisti paikka.", TEXT_LANG_FI, 1},
	    {"Aivan järjettömän hyvä palvelu.", TEXT_LANG_FI, 1},
	    {"Älyttömän hyvää ruokaa.", TEXT_LANG_FI, 1},
	    {"Törkeän hyvä pizza.", TEXT_LANG_FI, 1},
	    {"Järjettömän huono palvelu.", TEXT_LANG_FI, -1},
	    {"Sikakallis hotelli.", TEXT_LANG_FI, -1},
	};
	check_sentiments(s, sizeof s / sizeof s[0]);
	static const struct aim_case c[] = {
	    {"Sikahyvä palvelu!", TEXT_LANG_FI, 0, 0},
	    {"Sikasiisti paikka.", TEXT_LANG_FI, 0, 0},
	    {"Sika!", TEXT_LANG_FI, 1, 1},
	    {"Olet sika.", TEXT_LANG_FI, 1, 1},
	};
	check_aims(c, sizeof c / sizeof c[0]);
	CHECK(score_of("Aivan järjettömän hyvä palvelu.") > score_of("Tosi hyvä palvelu.") - 0.01);
}

/* Litotes with an indefinite and English "no" after a copula (text24d): "Ei mikään huono", "ei
 * ollut mikään huono", "Ei yhtään huono hinta" are mildly positive as "Ei huono" is (the
 * partitive "ei mitään pahaa" names something bad and is left); "He is no idiot" denies the
 * insult as "was not a fool" does ("No idiot would do that" does not); a denied Finnish insult
 * after the copula's participle ("ei ollut tyhmä") is no span to mask. */
TEST(text_litotes_indefinite_and_no)
{
	CHECK(score_of("Ei mikään huono.") > 0);
	CHECK(score_of("Ruoka ei ollut mikään huono, päinvastoin.") > 0);
	CHECK(score_of("Ei yhtään huono hinta.") > 0);
	CHECK(score_of("Palvelu ei ollut mikään hyvä.") < 0);
	static const struct aim_case c[] = {
	    {"He is no idiot.", TEXT_LANG_EN, 0, 0},
	    {"The plumber was no fool.", TEXT_LANG_EN, 0, 0},
	    {"No idiot would do that.", TEXT_LANG_EN, ANY, 1},
	    {"He is an idiot.", TEXT_LANG_EN, ANY, 1},
	};
	check_aims(c, sizeof c / sizeof c[0]);
	static const char *const unflagged[][2] = {
	    {"He is no idiot.", "en"},
	    {"The plumber was no fool.", "en"},
	    {"Asentaja ei ollut tyhmä.", "fi"},
	};
	struct text_result r;
	for (size_t i = 0; i < sizeof unflagged / sizeof unflagged[0]; i++) {
		CHECK_INT(run(unflagged[i][0], unflagged[i][1][0] == 'e' ? TEXT_LANG_EN : TEXT_LANG_FI, &r), 0);
		if (r.abuse_flagged || r.nspans)
			fprintf(stderr, "  flagged %d spans %zu: %s\n", r.abuse_flagged, r.nspans, unflagged[i][0]);
		CHECK_INT(r.abuse_flagged, 0);
		CHECK_INT((int)r.nspans, 0);
		text_result_release(&r);
	}
	CHECK_INT(run("Asentaja oli tyhmä.", TEXT_LANG_FI, &r), 0);
	CHECK(r.nspans > 0);
	text_result_release(&r);
}

/* Veiled threats (text24d): "vielä" after a threat formula's first word ("Tulet vielä katumaan
 * tätä", as "Tulet katumaan tätä"), and the warning "Pidä varasi." said as a sentence of its own;
 * with a circumstance it advises care, and the speaker's own regret is none. */
TEST(text_fi_warning_and_vielae)
{
	static const struct flag_case f[] = {
	    {"Tulet vielä katumaan tätä.", TEXT_LANG_FI, 1},
	    {"Tulet katumaan tätä.", TEXT_LANG_FI, 1},
	    {"Pidä varasi.", TEXT_LANG_FI, 1},
	    {"Pitäkää varanne!", TEXT_LANG_FI, 1},
	    {"Pidä varasi liukkaalla kelillä.", TEXT_LANG_FI, 0},
	    {"Tulen vielä katumaan tätä.", TEXT_LANG_FI, 0},
	    {"Tulet vielä tykkäämään tästä.", TEXT_LANG_FI, 0},
	};
	check_flags(f, sizeof f / sizeof f[0], 1);
	struct text_result r;
	CHECK_INT(run("Pidä varasi.", TEXT_LANG_FI, &r), 0);
	CHECK(r.abuse[TEXT_ABUSE_THREAT] >= TEXT_ABUSE_PRESENT);
	CHECK_INT(r.aimed_at_reader, 1);
	text_result_release(&r);
}

/* A writer naming their own group in the essive says who they are (text24d): "Homoparina meitä
 * kohdeltiin hyvin" as "Olemme homopari"; the essive without the writer in the sentence, or a
 * group called names, stays an attack. */
TEST(text_fi_essive_self_identified)
{
	static const struct flag_case f[] = {
	    {"Homoparina meitä kohdeltiin hyvin.", TEXT_LANG_FI, 0},
	    {"Homona minua on kohdeltu hyvin.", TEXT_LANG_FI, 0},
	    {"Olemme homopari.", TEXT_LANG_FI, 0},
	    {"Homoparina ne pitäisi heittää ulos.", TEXT_LANG_FI, 1},
	    {"Homot pitäisi heittää maasta.", TEXT_LANG_FI, 1},
	};
	check_flags(f, sizeof f / sizeof f[0], 0);
	struct text_result r;
	CHECK_INT(run("Homoparina meitä kohdeltiin hyvin.", TEXT_LANG_FI, &r), 0);
	CHECK_INT((int)r.nspans, 0);
	text_result_release(&r);
}

/* A capitalised Finnish place name of a swear word and "-la"/"-lä" is a village, no swear word
 * (text24d: "Asun Vittulan kylässä." was obscenity 0.66); in lower case or all capitals it still
 * swears. */
TEST(text_fi_place_name_of_swear_word)
{
	static const struct flag_case f[] = {
	    {"Asun Vittulan kylässä.", TEXT_LANG_FI, 0},
	    {"Olen kotoisin Vittulasta.", TEXT_LANG_FI, 0},
	    {"VITTULA!", TEXT_LANG_FI, 1},
	    {"Vittu mikä päivä.", TEXT_LANG_FI, 1},
	};
	check_flags(f, sizeof f / sizeof f[0], 0);
}

/* A polite refusal is an answer with no sentiment (text24d): "Ei kiitos." read -0.30 while "Ei,
 * kiitos." read +0.46; "No thanks." likewise. The Finnish "No kiitos." (well, thanks) stays
 * thanks, and an exclaimed refusal keeps its heat. */
/* Figurative violence (text25-sarcasm): a craving ("could kill for a coffee"), a violent verb
 * before an indefinite thing ("murder a coffee", "shot a video"), a state that kills ("nälkä
 * tappaa"), killing as degree or slang praise ("tappavan hyvä", "on ihan tappava") are no
 * violence felt; a threat to the reader stays one. */
TEST(text_figurative_violence_ordinary)
{
	static const struct sent_case s[] = {
	    {"I could kill for a coffee.", TEXT_LANG_EN, 0},
	    {"We shot a short video for the insurance.", TEXT_LANG_EN, 0},
	    {"I would murder a coffee.", TEXT_LANG_EN, 0},
	    {"Nälkä tappaa, onneksi ruoka on tosi hyvää!", TEXT_LANG_FI, 1},
	    {"Tappavan hyvä pizza.", TEXT_LANG_FI, 1},
	    {"Teidän uusi myyjä on ihan tappava, suosittelen!", TEXT_LANG_FI, 1},
	    {"These prices are killing me.", TEXT_LANG_EN, -1},
	};
	check_sentiments(s, sizeof s / sizeof s[0]);
	static const struct flag_case f[] = {
	    {"I will kill you if my order is late again.", TEXT_LANG_EN, 1},
	    {"I'll shoot you.", TEXT_LANG_EN, 1},
	    {"Tapan sut jos paketti ei tule.", TEXT_LANG_FI, 1},
	    {"I could kill for a coffee.", TEXT_LANG_EN, 0},
	};
	check_flags(f, sizeof f / sizeof f[0], 0);
}

/* Look-alikes (text25-sarcasm): a given name mid-sentence before a capitalised surname ("to Dick
 * Peterson in accounting"), a Finnish place name as a compound's first part ("Vittula-kirja"),
 * the spoken degree word "törkeen"; a word of quality or taste before the thing it judges
 * ("Disgusting food", "Säälittävä palvelu") is criticism, not rudeness. Their abusive twins stay
 * flagged. */
TEST(text_lookalikes_and_criticism_of_things)
{
	static const struct flag_case f[] = {
	    {"Please forward the contract to Dick Peterson in accounting.", TEXT_LANG_EN, 0},
	    {"Our driver Dick Smith will deliver tomorrow.", TEXT_LANG_EN, 0},
	    {"Luin Vittula-kirjan lomalla, tosi hyvä.", TEXT_LANG_FI, 0},
	    {"Onko teillä Vittula-elokuvaa DVD:nä?", TEXT_LANG_FI, 0},
	    {"Disgusting food, the fish was rotten.", TEXT_LANG_EN, 0},
	    {"Pathetic delivery times, I'm switching to another shop.", TEXT_LANG_EN, 0},
	    {"Säälittävä palvelu, en tilaa enää.", TEXT_LANG_FI, 0},
	    {"You are a dick.", TEXT_LANG_EN, 1},
	    {"Shut up, you Dick!", TEXT_LANG_EN, 1},
	    {"VITTULA!", TEXT_LANG_FI, 1},
	    {"Your staff are pathetic.", TEXT_LANG_EN, 1},
	    {"You are pathetic.", TEXT_LANG_EN, 1},
	    {"Olet säälittävä.", TEXT_LANG_FI, 1},
	    {"This stupid app keeps crashing.", TEXT_LANG_EN, 1},
	    {"Her behaviour was disgusting.", TEXT_LANG_EN, 1},
	};
	check_flags(f, sizeof f / sizeof f[0], 0);
	static const struct sent_case s[] = {
	    {"Törkeen hyvä palvelu!", TEXT_LANG_FI, 1},
	    {"Please forward the contract to Dick Peterson in accounting.", TEXT_LANG_EN, 0},
	};
	check_sentiments(s, sizeof s / sizeof s[0]);
}

TEST(text_polite_refusal_neutral)
{
	static const struct sent_case s[] = {
	    {"Ei kiitos.", TEXT_LANG_FI, 0}, {"Ei, kiitos.", TEXT_LANG_FI, 0}, {"En kiitos.", TEXT_LANG_FI, 0},
	    {"No thanks.", TEXT_LANG_EN, 0}, {"No, thanks.", TEXT_LANG_EN, 0}, {"No kiitos.", TEXT_LANG_FI, 1},
	};
	check_sentiments(s, sizeof s / sizeof s[0]);
	CHECK(score_of("Ei kiitos.") == 0);
}

/* text as masked, for the tests below ("" when the analysis failed) */
static void masked_of(const char *s, enum text_lang lang, char *out, size_t cap)
{
	struct text_result r;
	out[0] = 0;
	if (run(s, lang, &r) != 0)
		return;
	struct buf m = BUF_INIT(4096);
	if (text_mask(s, strlen(s), &r, &m) == 0 && m.len < cap)
		memcpy(out, m.ptr, m.len + 1);
	buf_release(&m);
	text_result_release(&r);
}

/* text25-evasion: an emoji or another symbol written between the letters of a word, with no
 * space on either side, is an evasion as "p-a-s-k-a" is: the pieces are one word when they read
 * as an insult or a swear word joined and no piece alone is one, and the mask covers the whole
 * word, symbols and all (ZWJ sequences, skin tones, variation selectors, flags). Emoji glued to
 * ordinary words stay emoji, with their sentiment. */
TEST(text_symbol_inside_word_evasion)
{
	static const struct {
		const char *text, *masked;
	} m[] = {
	    {"Sä oot ihan ääl😂iö.", "Sä oot ihan ******."},
	    {"Olet id👨‍👩‍👧iootti, hoida asia.", "Olet *************, hoida asia."},
	    {"You absolute i👍d👍i👍o👍t.", "You absolute *********."},
	    {"You're a b❤️itch and everyone knows it.", "You're a ******* and everyone knows it."},
	    {"You are an ass👋🏽hole.", "You are an *********."},
	    {"Olet ku™sipää.", "Olet ********."},
	    {"You are a mo→ron.", "You are a ******."},
	    {"Sä oot aivan ää🇫🇮liö.", "Sä oot aivan *******."},
	    {"Olet ääl😂i😂ö ja hidas.", "Olet ******* ja hidas."},
	    /* each piece an insult of its own: two words, each masked */
	    {"idiot😀idiot", "*****😀*****"},
	    /* a compound whose head is the insult: only the insult */
	    {"kiitos😊idiootti", "kiitos😊********"},
	    /* an emoji after the word, then a space: the emoji is shown */
	    {"Olet ääliö😡😡 ja hidas.", "Olet *****😡😡 ja hidas."},
	};
	for (size_t i = 0; i < sizeof m / sizeof m[0]; i++) {
		char out[256];
		masked_of(m[i].text, TEXT_LANG_AUTO, out, sizeof out);
		if (strcmp(out, m[i].masked))
			fprintf(stderr, "  masked %s, want %s\n", out, m[i].masked);
		CHECK_STR(out, m[i].masked);
	}
	static const struct sent_case s[] = {
	    {"Kiitos😊", TEXT_LANG_FI, 1},
	    {"Hyvä👍palvelu, kiitos!", TEXT_LANG_FI, 1},
	    {"Kiitos😊Hyvää päivää!", TEXT_LANG_FI, 1},
	    {"Paketti tuli perille🎉kiitos!", TEXT_LANG_FI, 1},
	    {"Great service👍thanks!", TEXT_LANG_EN, 1},
	    {"Olet ihana😀ihminen.", TEXT_LANG_FI, 1},
	    {"Palvelu👎", TEXT_LANG_FI, -1},
	};
	check_sentiments(s, sizeof s / sizeof s[0]);
	static const struct flag_case f[] = {
	    {"Hyvä👍palvelu, kiitos!", TEXT_LANG_FI, 0},
	    {"Pizza🍕ja kola🥤olivat hyviä.", TEXT_LANG_FI, 0},
	    {"Love it❤️will order again.", TEXT_LANG_EN, 0},
	    {"Hinta 20€/kk on ok.", TEXT_LANG_FI, 0},
	    {"Tilaus📦saapui ajallaan.", TEXT_LANG_FI, 0},
	};
	check_flags(f, sizeof f / sizeof f[0], 0);
}

/* text25-evasion: every Unicode space separates as the ASCII space does (no-break, thin,
 * narrow no-break, medium mathematical, ideographic), in the spelled-out evasion too, and
 * invisible characters beside a space count as nothing; a URL and an emoticon end at one. */
TEST(text_unicode_spaces_separate)
{
	static const struct {
		const char *text, *masked;
	} m[] = {
	    {"You are an i\u00a0d\u00a0i\u00a0o\u00a0t.", "You are an *********."},
	    {"Sä oot ihan i\u2009d\u2009i\u2009o\u2009o\u2009t\u2009t\u2009i.", "Sä oot ihan ***************."},
	    {"You are a\u202fm\u202fo\u202fr\u202fo\u202fn.", "You are a\u202f*********."},
	    {"Tää on p\u3000a\u3000s\u3000k\u3000a firma.", "Tää on ********* firma."},
	    {"Olet\u205fi\u205fd\u205fi\u205fo\u205fo\u205ft\u205ft\u205fi.", "Olet\u205f***************."},
	    {"You are a d\u200b \u200bi\u200b \u200bc\u200b \u200bk.", "You are a *************."},
	    {"Katso www.esimerkki.fi\u00a0olet\u00a0idiootti.", "Katso www.esimerkki.fi\u00a0olet\u00a0********."},
	};
	for (size_t i = 0; i < sizeof m / sizeof m[0]; i++) {
		char out[256];
		masked_of(m[i].text, TEXT_LANG_AUTO, out, sizeof out);
		if (strcmp(out, m[i].masked))
			fprintf(stderr, "  masked %s, want %s\n", out, m[i].masked);
		CHECK_STR(out, m[i].masked);
	}
	static const struct sent_case s[] = {
	    {"Kiitos avusta\u00a0:)", TEXT_LANG_FI, 1},
	    {"I\u00a0am\u00a0very\u00a0happy with it.", TEXT_LANG_EN, 1},
	};
	check_sentiments(s, sizeof s / sizeof s[0]);
	static const struct flag_case f[] = {
	    {"Tilaus\u00a0nro\u00a0123 saapui.", TEXT_LANG_FI, 0},
	    {"Hinta on 10\u00a0000 euroa.", TEXT_LANG_FI, 0},
	};
	check_flags(f, sizeof f / sizeof f[0], 0);
}

/* text25-evasion: a span never cuts a grapheme cluster: a joiner or a skin tone right after
 * the last letter belongs to it. */
TEST(text_spans_whole_grapheme_clusters)
{
	static const struct {
		const char *text;
		size_t start, end;
	} c[] = {
	    {"Olet idiootti\u200d ja hidas.", 5, 16}, /* the joiner attaches to the "i" */
	    {"Olet IDIOOTTI\U0001F3FD.", 5, 17},      /* a skin tone after a letter */
	    {"😀\u200didiootti olet", 7, 15},          /* a joiner then a letter: a new cluster */
	};
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
		struct text_result r;
		CHECK_INT(run(c[i].text, TEXT_LANG_FI, &r), 0);
		CHECK_INT((int)r.nspans, 1);
		if (r.nspans == 1) {
			if (r.spans[0].start != c[i].start || r.spans[0].end != c[i].end)
				fprintf(stderr, "  span %zu..%zu, want %zu..%zu: %s\n", r.spans[0].start,
				        r.spans[0].end, c[i].start, c[i].end, c[i].text);
			CHECK_INT((int)r.spans[0].start, (int)c[i].start);
			CHECK_INT((int)r.spans[0].end, (int)c[i].end);
		}
		text_result_release(&r);
	}
}

/* text25-evasion: the death-threat idioms of a shot to the head ("kuula kalloon", "luoti
 * otsaan", "put a bullet in you", "a bullet in your head") are severe when aimed at the reader
 * or a person, as the killing verbs are; a bullet the writer takes or puts into a thing, in a
 * game, a report or a sport is not. */
TEST(text_shot_idioms_severe)
{
	static const struct severe_case c[] = {
	    {"Ansaitset kuulan kalloon.", TEXT_LANG_FI, 1},
	    {"Luoti kalloon sulle, senkin pelle.", TEXT_LANG_FI, 1},
	    {"Mä laitan sulle luodin kalloon.", TEXT_LANG_FI, 1},
	    {"Sille kuskille pitäisi antaa kuula kalloon.", TEXT_LANG_FI, 1},
	    {"Teille kaikille kuula kalloon.", TEXT_LANG_FI, 1},
	    {"Kuula kalloon tolle myyjälle.", TEXT_LANG_FI, 1},
	    {"I'll put a bullet in your head.", TEXT_LANG_EN, 1},
	    {"Someone should put a bullet in you.", TEXT_LANG_EN, 1},
	    {"You deserve a bullet in your head.", TEXT_LANG_EN, 1},
	    {"You'll get a bullet in the back of your head.", TEXT_LANG_EN, 1},
	    {"Somebody needs to put a bullet in that manager's head.", TEXT_LANG_EN, 1},
	    {"Tekis mieli ottaa kuula kalloon kun kuuntelee tätä jonotusmusiikkia.", TEXT_LANG_FI, 0},
	    {"Mä otan kohta luodin kalloon tän lomakkeen kanssa.", TEXT_LANG_FI, 0},
	    {"Pelissä laitoin sille luodin kalloon kolmensadan metrin päästä.", TEXT_LANG_FI, 0},
	    {"Sotilas sai luodin kalloon sodassa vuonna 1944.", TEXT_LANG_FI, 0},
	    {"Honestly I want to put a bullet in this printer.", TEXT_LANG_EN, 0},
	    {"This app makes me want to put a bullet in my head.", TEXT_LANG_EN, 0},
	    {"The striker put a bullet into the top corner.", TEXT_LANG_EN, 0},
	    {"In the game I put a bullet in his head from 300 metres.", TEXT_LANG_EN, 0},
	    {"My grandfather took a bullet to the head in the war.", TEXT_LANG_EN, 0},
	    {"I'd take a bullet for you, thanks for everything.", TEXT_LANG_EN, 0},
	};
	check_severe(c, sizeof c / sizeof c[0]);
	/* the writer's own head or a thing is no threat at all */
	static const struct flag_case f[] = {
	    {"Tekis mieli ottaa kuula kalloon kun kuuntelee tätä jonotusmusiikkia.", TEXT_LANG_FI, 0},
	    {"Honestly I want to put a bullet in this printer.", TEXT_LANG_EN, 0},
	    {"The striker put a bullet into the top corner.", TEXT_LANG_EN, 0},
	};
	check_flags(f, sizeof f / sizeof f[0], 0);
}
