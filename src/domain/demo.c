/*
 * The demo data generator (see demo.h). Every list below was written for Kumppani: common
 * Finnish first names and surnames, street name patterns, cities with their postal code
 * ranges and telephone area codes, business lines and text templates.
 */
#include "domain/demo.h"
#include "domain/protect.h"

#include <stdlib.h>
#include <string.h>

#include "util/err.h"

#define N_(arr) (sizeof(arr) / sizeof((arr)[0]))

#define DAY_MS ((int64_t)24 * 3600 * 1000)
#define YEAR_MS (365 * DAY_MS)

/* ---- random numbers ------------------------------------------------------------------ */

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void demo_rng_seed(struct demo_rng *r, uint64_t seed)
{
	uint64_t x = seed;
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
}

static inline uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t demo_rng_next(struct demo_rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

uint32_t demo_rng_below(struct demo_rng *r, uint32_t n)
{
	/* Lemire's multiply-shift; the tiny bias is irrelevant for demo data. */
	return (uint32_t)(((demo_rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

/* True with probability pct / 100. */
static int chance(struct demo_rng *r, unsigned pct)
{
	return demo_rng_below(r, 100) < pct;
}

static int64_t rand_span(struct demo_rng *r, int64_t span)
{
	if (span <= 0)
		return 0;
	return (int64_t)(demo_rng_next(r) % (uint64_t)span);
}

#define PICK(r, arr) ((arr)[demo_rng_below((r), (uint32_t)N_(arr))])

/* ---- word lists ---------------------------------------------------------------------- */

static const char *const male_names[] = {
	"Juhani", "Johannes", "Mikael", "Olavi", "Matti", "Timo", "Kari", "Antero", "Pekka", "Jukka",
	"Mikko", "Markku", "Jari", "Juha", "Hannu", "Heikki", "Seppo", "Ilmari", "Janne", "Ville",
	"Tapani", "Petri", "Sami", "Antti", "Marko", "Tuomas", "Jussi", "Kalevi", "Veikko", "Esa",
	"Erkki", "Pentti", "Raimo", "Risto", "Jorma", "Lauri", "Teemu", "Jani", "Tommi", "Mika",
	"Harri", "Kimmo", "Jouni", "Pasi", "Vesa", "Ari", "Jarmo", "Tero", "Olli", "Aleksi",
	"Eero", "Onni", "Elias", "Leo", "Eino", "Väinö", "Oliver", "Niilo", "Veeti", "Aapo",
	"Joel", "Otto", "Akseli", "Lenni", "Leevi", "Emil", "Oskari", "Rasmus", "Daniel", "Kasper",
	"Valtteri", "Arttu", "Niko", "Joonas", "Jesse", "Henri", "Tuomo", "Kai", "Reijo", "Arto",
	"Keijo", "Aki", "Jyrki", "Pertti", "Martti", "Eetu", "Lassi", "Iiro", "Samuli", "Santeri",
	"Toni", "Joni", "Jarkko", "Sakari", "Ilkka", "Kristian", "Patrik", "Roope", "Eelis", "Vilho",
	"Petteri", "Kalle", "Jaakko", "Juho", "Tapio", "Jouko", "Raine", "Urho", "Aarne", "Topi",
};

static const char *const female_names[] = {
	"Maria", "Helena", "Johanna", "Anneli", "Kaarina", "Marjatta", "Anna", "Liisa", "Annikki", "Hannele",
	"Tuula", "Päivi", "Sari", "Anne", "Tiina", "Riitta", "Pirjo", "Merja", "Minna", "Leena",
	"Satu", "Marja", "Sanna", "Kirsi", "Eila", "Seija", "Raija", "Pirkko", "Sirpa", "Aino",
	"Eveliina", "Sofia", "Emilia", "Olivia", "Aada", "Ella", "Venla", "Helmi", "Isla", "Eevi",
	"Linnea", "Lilja", "Kerttu", "Elsa", "Iida", "Emma", "Laura", "Jenni", "Heidi", "Katja",
	"Tanja", "Susanna", "Elina", "Hanna", "Maija", "Outi", "Tuija", "Ritva", "Irma", "Aili",
	"Salla", "Noora", "Henna", "Essi", "Anni", "Inka", "Milla", "Nelli", "Oona", "Pihla",
	"Siiri", "Vilma", "Veera", "Julia", "Saara", "Kaisa", "Elisa", "Marika", "Niina", "Pauliina",
	"Katariina", "Mervi", "Kaija", "Terhi", "Ulla", "Irene", "Sini", "Jaana", "Ronja", "Hilla",
	"Enni", "Kristiina", "Annika", "Reetta", "Krista", "Tarja", "Eija", "Arja", "Hilkka", "Sinikka",
	"Kyllikki", "Inkeri", "Tellervo", "Orvokki", "Ilona", "Vappu", "Jonna", "Riikka", "Mirja", "Ansku",
};

static const char *const surnames[] = {
	"Korhonen", "Virtanen", "Mäkinen", "Nieminen", "Mäkelä", "Hämäläinen", "Laine", "Heikkinen",
	"Koskinen", "Järvinen", "Lehtonen", "Lehtinen", "Saarinen", "Salminen", "Heinonen", "Niemi",
	"Heikkilä", "Kinnunen", "Salonen", "Turunen", "Salo", "Laitinen", "Tuominen", "Rantanen",
	"Karjalainen", "Jokinen", "Mattila", "Savolainen", "Lahtinen", "Ahonen", "Hiltunen", "Miettinen",
	"Leinonen", "Pitkänen", "Aaltonen", "Manninen", "Kallio", "Hakala", "Mustonen", "Jääskeläinen",
	"Anttila", "Rinne", "Pelkonen", "Lehto", "Väisänen", "Hirvonen", "Laaksonen", "Koivisto",
	"Nurmi", "Karppinen", "Huttunen", "Hyvönen", "Räsänen", "Ojala", "Kettunen", "Moilanen",
	"Kokkonen", "Lappalainen", "Toivonen", "Vainio", "Partanen", "Koponen", "Peltonen", "Seppälä",
	"Pesonen", "Salmi", "Kärkkäinen", "Ketola", "Korpela", "Harju", "Kukkonen", "Heino",
	"Peltola", "Mäki", "Ikonen", "Rautio", "Lampinen", "Honkanen", "Vartiainen", "Koivula",
	"Kauppinen", "Väänänen", "Lindberg", "Nyman", "Hakkarainen", "Puustinen", "Tikkanen", "Ruotsalainen",
	"Oksanen", "Mikkola", "Rantala", "Suominen", "Kivelä", "Virta", "Halonen", "Heiskanen",
	"Jokela", "Sirviö", "Lassila", "Rissanen", "Aalto", "Kurki", "Riihimäki", "Backman",
	"Tanskanen", "Valtonen", "Ahola", "Hänninen", "Pulkkinen", "Kiiskinen", "Kemppainen", "Nousiainen",
	"Häkkinen", "Rajala", "Keränen", "Sundström", "Rautiainen", "Koistinen", "Kolehmainen", "Sillanpää",
	"Parviainen", "Karvonen", "Ylönen", "Pakarinen", "Vesterinen", "Lindström", "Holmberg", "Grönlund",
	"Forsman", "Blomqvist", "Wikström", "Kangas", "Koski", "Lahti", "Nevala", "Hautala",
	"Ranta", "Kujala", "Kivimäki", "Tuomi", "Nikula", "Saari", "Varis", "Vuorinen",
	"Kaikkonen", "Sorsa", "Huhtala", "Kantola", "Lehtola", "Eriksson", "Johansson", "Lindqvist",
	"Nyström", "Holmström", "Lindroos", "Sjöberg", "Björklund", "Westerlund", "Honkala", "Ollila",
	"Airaksinen", "Jokiniemi", "Kivinen", "Laakso", "Niskanen", "Pajunen", "Repo", "Suhonen",
	"Tiainen", "Uotila", "Vehviläinen", "Yrjölä", "Hyttinen", "Kämäräinen", "Leppänen", "Marttila",
};

struct city {
	const char *name, *genitive;
	int postal_lo, postal_hi; /* street-address postal codes, step 10 */
	int area;                 /* telephone area code without the trunk 0 */
	int weight;
};

static const struct city cities[] = {
	{ "Helsinki", "Helsingin", 100, 990, 9, 30 },
	{ "Espoo", "Espoon", 2100, 2940, 9, 14 },
	{ "Tampere", "Tampereen", 33100, 33960, 3, 12 },
	{ "Vantaa", "Vantaan", 1300, 1770, 9, 11 },
	{ "Oulu", "Oulun", 90100, 90940, 8, 10 },
	{ "Turku", "Turun", 20100, 20960, 2, 10 },
	{ "Jyväskylä", "Jyväskylän", 40100, 40950, 14, 7 },
	{ "Kuopio", "Kuopion", 70100, 70950, 17, 6 },
	{ "Lahti", "Lahden", 15100, 15950, 3, 6 },
	{ "Pori", "Porin", 28100, 28900, 2, 4 },
	{ "Kouvola", "Kouvolan", 45100, 45910, 5, 4 },
	{ "Joensuu", "Joensuun", 80100, 80260, 13, 4 },
	{ "Lappeenranta", "Lappeenrannan", 53100, 53950, 5, 4 },
	{ "Hämeenlinna", "Hämeenlinnan", 13100, 13900, 3, 3 },
	{ "Vaasa", "Vaasan", 65100, 65380, 6, 3 },
	{ "Seinäjoki", "Seinäjoen", 60100, 60800, 6, 3 },
	{ "Rovaniemi", "Rovaniemen", 96100, 96960, 16, 3 },
	{ "Mikkeli", "Mikkelin", 50100, 50970, 15, 3 },
	{ "Kotka", "Kotkan", 48100, 48930, 5, 3 },
	{ "Porvoo", "Porvoon", 6100, 6750, 19, 2 },
};

static const char *const street_stems[] = {
	"Koivu", "Mänty", "Kuusi", "Pihlaja", "Vaahtera", "Tammi", "Leppä", "Haapa", "Kataja", "Lehmus",
	"Ranta", "Kirkko", "Koulu", "Asema", "Satama", "Tori", "Kauppa", "Puisto", "Mylly", "Paja",
	"Harju", "Niitty", "Pelto", "Metsä", "Järvi", "Lampi", "Salmi", "Niemi", "Saari", "Kallio",
	"Kangas", "Teollisuus", "Urheilu", "Posti", "Kartano", "Kivi", "Hiekka", "Linna", "Kaivo", "Silta",
	"Apila", "Kanerva", "Kielo", "Ruusu", "Tuomi", "Marja", "Kettu", "Karhu", "Ilves", "Joutsen",
};

static const char *const street_suffixes[] = { "katu", "tie", "kuja", "polku", "rinne", "kaari", "raitti", "tie", "katu" };

static const char *const street_names[] = {
	"Mannerheimintie", "Hämeenkatu", "Hämeentie", "Itsenäisyydenkatu", "Runeberginkatu", "Snellmaninkatu",
	"Topeliuksenkatu", "Sibeliuksenkatu", "Kalevankatu", "Väinämöisenkatu", "Ilmarinkatu",
	"Lemminkäisenkatu", "Pohjolankatu", "Karjalankatu", "Satakunnankatu", "Savonkatu", "Kauppiaskatu",
	"Yliopistonkatu", "Rautatienkatu", "Aleksanterinkatu", "Kuninkaankatu", "Vapaudenkatu",
	"Hallituskatu", "Läntinen Rantakatu", "Itäinen Pitkäkatu", "Vanha Porvoontie", "Isokatu",
};

/* Business lines for company names (nominative, as they appear in names). */
static const char *const lines[] = {
	"Rakennus", "Kuljetus", "Sähkö", "LVI", "Maalaus", "Kiinteistöhuolto", "Siivouspalvelu",
	"Tilitoimisto", "Konsultointi", "Ravintola", "Kahvila", "Parturi-Kampaamo", "Autokorjaamo",
	"Puutarha", "Metalli", "Puutyö", "Ohjelmistot", "Media", "Catering", "Kukka", "Optiikka",
	"Kone", "Logistiikka", "Lämpö", "Katto", "Kiinteistöt", "Hieronta", "Valokuvaus", "Lakiasiaintoimisto",
	"Mainostoimisto", "Elektroniikka", "Tekstiili", "Leipomo", "Hammaspalvelu", "Isännöinti",
};

static const char *const brand_words[] = {
	"Pohjolan", "Järvi-Suomen", "Lapin", "Savon", "Karjalan", "Pohjanmaan", "Uudenmaan", "Hämeen",
	"Kaakon", "Rannikon", "Tunturi", "Revontuli", "Kaleva", "Sampo", "Aalto", "Kide", "Routa", "Louhi",
};

static const char *const mail_domains[] = {
	"example.fi", "example.fi", "example.fi", "esimerkki.fi", "esimerkki.fi", "esimerkki.fi",
	"example.com", "example.com", "example.net", "example.org",
};

static const char *const products[] = {
	"Laajakaista 300M", "Mobiililiittymä 5G", "Kotivakuutus", "Huoltosopimus", "Sähkösopimus",
	"Kuntosalijäsenyys", "Lahjakortti", "Talvirenkaat", "Ilmalämpöpumppu", "Kahvinkeitin",
	"Pyykinpesukone", "Älypuhelin", "Kannettava tietokone", "Polkupyörä", "Sohva", "Silmälasit",
	"Kausikortti", "Remonttipalvelu", "Siivouspaketti", "Lounasseteli", "Astianpesukone",
	"Robotti-imuri", "Kesärenkaat", "Aurinkopaneelit", "Lukulaite", "Kaiutin", "Työtuoli",
};

/* ---- text helpers -------------------------------------------------------------------- */

/* A bounded string builder on a caller's array; silently truncates (demo text only). */
struct sb {
	char *p;
	size_t len, cap;
};

static void sb_init(struct sb *b, char *p, size_t cap)
{
	b->p = p;
	b->len = 0;
	b->cap = cap;
	p[0] = '\0';
}

static void sb_addn(struct sb *b, const char *s, size_t n)
{
	if (b->len + n >= b->cap)
		n = b->cap - 1 - b->len;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void sb_adds(struct sb *b, const char *s)
{
	sb_addn(b, s, strlen(s));
}

static void sb_addc(struct sb *b, char c)
{
	sb_addn(b, &c, 1);
}

/* Append v in decimal, zero-padded to at least width digits. */
static void sb_addu(struct sb *b, uint64_t v, int width)
{
	char tmp[24];
	int n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n < width && n < (int)sizeof(tmp))
		tmp[n++] = '0';
	char out[24];
	for (int i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	sb_addn(b, out, (size_t)n);
}

/* Append s lower-cased and folded to ASCII (ä -> a, ö -> o, å -> a, é -> e, ü -> u);
 * with alnum_only, only [a-z0-9] are kept, else also '-'. Other characters are dropped. */
static void sb_add_folded(struct sb *b, const char *s, int alnum_only)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		unsigned char c = *p++;
		if (c == 0xC3 && *p) {
			unsigned char d = *p++;
			switch (d) {
			case 0x84: case 0xA4: case 0x85: case 0xA5: c = 'a'; break; /* Ä ä Å å */
			case 0x96: case 0xB6: c = 'o'; break;                       /* Ö ö */
			case 0x89: case 0xA9: c = 'e'; break;                       /* É é */
			case 0x9C: case 0xBC: c = 'u'; break;                       /* Ü ü */
			default: continue;
			}
		} else if (c >= 0x80) {
			continue;
		}
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (!alnum_only && c == '-'))
			sb_addc(b, (char)c);
	}
}

static char *sb_dup(struct sb *b, struct arena *a)
{
	return arena_strndup(a, b->p, b->len);
}

/* ---- Y-tunnus ------------------------------------------------------------------------ */

int demo_ytunnus_check(uint32_t base)
{
	static const int w[7] = { 7, 9, 10, 5, 8, 4, 2 };
	int sum = 0;
	for (int i = 6; i >= 0; i--) {
		sum += (int)(base % 10) * w[i];
		base /= 10;
	}
	int rem = sum % 11;
	if (rem == 1)
		return -1;
	return rem == 0 ? 0 : 11 - rem;
}

/* Bases are a permutation of [YT_LO, YT_LO + YT_RANGE): position i maps to
 * YT_LO + (off + i * YT_STRIDE) mod YT_RANGE, a bijection since gcd(stride, range) = 1,
 * so positions handed out in order never repeat a base. The range (0100000..3499999)
 * looks like real ids of the last decades. */
#define YT_LO 100000u
#define YT_RANGE 3400000u   /* 2^6 * 5^5 * 17 */
#define YT_STRIDE 1234567u  /* odd, not a multiple of 5 or 17 */

static int next_ytunnus(struct demo_gen *g, uint32_t *base, int *check)
{
	while (g->ytunnus_pos < YT_RANGE) {
		uint64_t i = g->ytunnus_pos++;
		uint32_t b = YT_LO + (uint32_t)((g->ytunnus_off + i * YT_STRIDE) % YT_RANGE);
		int c = demo_ytunnus_check(b);
		if (c >= 0) {
			*base = b;
			*check = c;
			return 0;
		}
	}
	return KP_EINVAL;
}

/* ---- generator ----------------------------------------------------------------------- */

int demo_gen_init(struct demo_gen *g, uint64_t seed, int64_t now, size_t maxorgs)
{
	memset(g, 0, sizeof(*g));
	demo_rng_seed(&g->rng, seed);
	demo_rng_seed(&g->hostile_rng, seed ^ 0x6b756d7070616e69ULL); /* "kumppani" */
	g->now = now;
	g->ytunnus_off = (uint32_t)(demo_rng_next(&g->rng) % YT_RANGE);
	arena_init(&g->keep);
	if (maxorgs) {
		g->orgs = calloc(maxorgs, sizeof(*g->orgs));
		if (!g->orgs)
			return KP_ENOMEM;
	}
	g->maxorgs = maxorgs;
	return 0;
}

void demo_gen_release(struct demo_gen *g)
{
	free(g->orgs);
	arena_release(&g->keep);
	g->orgs = NULL;
	g->norgs = g->maxorgs = 0;
}

void demo_gen_set_staff(struct demo_gen *g, const int64_t *ids, size_t n)
{
	g->staff_ids = ids;
	g->nstaff = n;
}

static int64_t pick_staff(struct demo_gen *g)
{
	return g->nstaff ? g->staff_ids[demo_rng_below(&g->rng, (uint32_t)g->nstaff)] : 0;
}

static const struct city *pick_city(struct demo_rng *r)
{
	int total = 0;
	for (size_t i = 0; i < N_(cities); i++)
		total += cities[i].weight;
	int x = (int)demo_rng_below(r, (uint32_t)total);
	for (size_t i = 0; i < N_(cities); i++) {
		if (x < cities[i].weight)
			return &cities[i];
		x -= cities[i].weight;
	}
	return &cities[0];
}

static const char *pick_first_name(struct demo_rng *r, int female, struct arena *a)
{
	const char *const *list = female ? female_names : male_names;
	uint32_t n = female ? (uint32_t)N_(female_names) : (uint32_t)N_(male_names);
	const char *first = list[demo_rng_below(r, n)];
	if (!chance(r, 6))
		return first;
	/* A double name of the same gender: "Anna-Liisa", "Juha-Pekka". */
	const char *second = list[demo_rng_below(r, n)];
	if (second == first)
		return first;
	char tmp[128];
	struct sb b;
	sb_init(&b, tmp, sizeof(tmp));
	sb_adds(&b, first);
	sb_addc(&b, '-');
	sb_adds(&b, second);
	return sb_dup(&b, a);
}

/* "Koivutie 12 B 7" */
static void add_street(struct demo_rng *r, struct sb *b)
{
	if (chance(r, 20)) {
		sb_adds(b, PICK(r, street_names));
	} else {
		sb_adds(b, PICK(r, street_stems));
		sb_adds(b, PICK(r, street_suffixes));
	}
	sb_addc(b, ' ');
	uint32_t num = chance(r, 70) ? 1 + demo_rng_below(r, 30) : 1 + demo_rng_below(r, 120);
	sb_addu(b, num, 0);
	uint32_t kind = demo_rng_below(r, 10);
	if (kind < 6) { /* a block of flats */
		sb_addc(b, ' ');
		sb_addc(b, (char)('A' + demo_rng_below(r, 4)));
		sb_addc(b, ' ');
		sb_addu(b, 1 + demo_rng_below(r, 60), 0);
	} else if (kind < 8) { /* a terraced house */
		sb_adds(b, " as. ");
		sb_addu(b, 1 + demo_rng_below(r, 12), 0);
	}
}

/* Address as the normalised JSON text the store keeps (validate_address's key order). */
static const char *make_address(struct demo_rng *r, const struct city *c, struct arena *a)
{
	char tmp[256];
	struct sb b;
	sb_init(&b, tmp, sizeof(tmp));
	sb_adds(&b, "{\"street\":\"");
	add_street(r, &b);
	sb_adds(&b, "\",\"postal_code\":\"");
	int span = (c->postal_hi - c->postal_lo) / 10 + 1;
	sb_addu(&b, (uint64_t)(c->postal_lo + 10 * (int)demo_rng_below(r, (uint32_t)span)), 5);
	sb_adds(&b, "\",\"city\":\"");
	sb_adds(&b, c->name);
	sb_adds(&b, "\",\"country\":\"FI\"}");
	return sb_dup(&b, a);
}

static const char *make_mobile(struct demo_rng *r, struct arena *a)
{
	static const char *const pre[] = { "40", "40", "40", "50", "50", "50", "44", "45", "46", "41" };
	char tmp[32];
	struct sb b;
	sb_init(&b, tmp, sizeof(tmp));
	sb_adds(&b, "+358");
	sb_adds(&b, PICK(r, pre));
	sb_addu(&b, demo_rng_below(r, 10000000), 7);
	return sb_dup(&b, a);
}

static const char *make_landline(struct demo_rng *r, const struct city *c, struct arena *a)
{
	char tmp[32];
	struct sb b;
	sb_init(&b, tmp, sizeof(tmp));
	sb_adds(&b, "+358");
	sb_addu(&b, (uint64_t)c->area, 0);
	/* Subscriber numbers start with 2..8; Helsinki's have seven digits, others six. */
	sb_addu(&b, 2 + demo_rng_below(r, 7), 0);
	sb_addu(&b, demo_rng_below(r, c->area == 9 ? 1000000 : 100000), c->area == 9 ? 6 : 5);
	return sb_dup(&b, a);
}

/* A personal e-mail from the name: "maija.virtanen@example.fi", "mvirtanen84@...". */
static const char *make_email(struct demo_rng *r, const char *first, const char *last, const char *domain,
			      struct arena *a)
{
	char tmp[160];
	struct sb b;
	sb_init(&b, tmp, sizeof(tmp));
	uint32_t pat = demo_rng_below(r, 10);
	if (pat < 4) {
		sb_add_folded(&b, first, 0);
		sb_addc(&b, '.');
		sb_add_folded(&b, last, 0);
	} else if (pat < 6) {
		sb_add_folded(&b, first, 0);
		sb_addc(&b, '.');
		sb_add_folded(&b, last, 0);
		sb_addu(&b, 1 + demo_rng_below(r, 99), 0);
	} else if (pat < 7) {
		sb_add_folded(&b, first, 1);
		sb_add_folded(&b, last, 1);
	} else if (pat < 8) {
		char f[8];
		struct sb fb;
		sb_init(&fb, f, sizeof(f));
		sb_add_folded(&fb, first, 1);
		sb_addn(&b, f, fb.len ? 1 : 0);
		sb_add_folded(&b, last, 0);
		sb_addu(&b, 50 + demo_rng_below(r, 56), 0); /* a birth year */
	} else if (pat < 9) {
		sb_add_folded(&b, last, 0);
		sb_addc(&b, '.');
		sb_add_folded(&b, first, 0);
	} else {
		sb_add_folded(&b, first, 0);
		sb_addc(&b, '_');
		sb_add_folded(&b, last, 0);
		sb_addu(&b, 1000 + demo_rng_below(r, 9000), 0);
	}
	sb_addc(&b, '@');
	sb_adds(&b, domain);
	return sb_dup(&b, a);
}

/* An e-mail domain under example.fi from a company name: letters and digits only. */
static const char *org_domain(const char *name, struct arena *a)
{
	char tmp[96];
	struct sb b;
	sb_init(&b, tmp, 48);
	sb_add_folded(&b, name, 1);
	if (!b.len)
		sb_adds(&b, "yritys");
	b.cap = sizeof(tmp);
	sb_adds(&b, ".example.fi");
	return sb_dup(&b, a);
}

int demo_gen_org(struct demo_gen *g, struct organization *o, struct arena *a)
{
	struct demo_rng *r = &g->rng;
	memset(o, 0, sizeof(*o));
	uint32_t base;
	int check;
	if (next_ytunnus(g, &base, &check) < 0)
		return KP_EINVAL;

	const struct city *c = pick_city(r);
	char tmp[192], slug[128];
	struct sb b, sl;
	sb_init(&b, tmp, sizeof(tmp));
	sb_init(&sl, slug, sizeof(slug));
	const char *surname = PICK(r, surnames);
	const char *line = PICK(r, lines);
	uint32_t form = demo_rng_below(r, 100);
	const char *tag2 = NULL;
	if (form < 3) { /* Oyj: a listed company */
		if (chance(r, 50)) {
			sb_adds(&b, "Suomen ");
			sb_adds(&b, line);
		} else {
			sb_adds(&b, PICK(r, brand_words));
			sb_adds(&b, " Group");
		}
		sb_adds(&sl, b.p);
		sb_adds(&b, " Oyj");
		tag2 = "pörssiyhtiö";
	} else if (form < 68) { /* Oy */
		switch (demo_rng_below(r, 4)) {
		case 0: sb_adds(&b, surname); sb_addc(&b, ' '); sb_adds(&b, line); break;
		case 1: sb_adds(&b, line); sb_addc(&b, ' '); sb_adds(&b, surname); break;
		case 2: sb_adds(&b, c->genitive); sb_addc(&b, ' '); sb_adds(&b, line); break;
		default: sb_adds(&b, PICK(r, brand_words)); sb_addc(&b, ' '); sb_adds(&b, line); break;
		}
		sb_adds(&sl, b.p);
		sb_adds(&b, " Oy");
	} else if (form < 80) { /* Ky */
		sb_adds(&b, chance(r, 50) ? surname : c->genitive);
		sb_addc(&b, ' ');
		sb_adds(&b, line);
		sb_adds(&sl, b.p);
		sb_adds(&b, " Ky");
	} else { /* Tmi: a sole trader under their own name */
		const char *first = pick_first_name(r, chance(r, 50), a);
		if (chance(r, 50)) {
			sb_adds(&b, "Tmi ");
		} else {
			sb_adds(&b, line);
			sb_addc(&b, ' ');
		}
		sb_adds(&b, first);
		sb_addc(&b, ' ');
		sb_adds(&b, surname);
		sb_adds(&sl, first);
		sb_adds(&sl, surname);
	}
	o->name = sb_dup(&b, a);
	const char *domain = org_domain(sl.p, a);
	g->pending_domain = domain;

	char yt[16];
	struct sb yb;
	sb_init(&yb, yt, sizeof(yt));
	sb_addu(&yb, base, 7);
	sb_addc(&yb, '-');
	sb_addu(&yb, (uint64_t)check, 0);
	o->business_id = sb_dup(&yb, a);

	o->website = arena_printf(a, "https://www.%s/", domain);
	o->phone = make_landline(r, c, a);
	o->email = arena_printf(a, "%s@%s", chance(r, 60) ? "info" : "asiakaspalvelu", domain);
	o->address_json = make_address(r, c, a);
	o->owner_id = chance(r, 80) ? pick_staff(g) : 0;
	const char **tags = arena_alloc(a, 3 * sizeof(*tags));
	size_t nt = 0;
	tags[nt++] = "asiakasyritys";
	if (tag2)
		tags[nt++] = tag2;
	else if (chance(r, 6))
		tags[nt++] = "kumppani";
	if (chance(r, 5))
		tags[nt++] = "vip";
	o->tags = tags;
	o->ntags = nt;
	o->custom_json = "{}";
	o->created_at = g->now - 3 * YEAR_MS + rand_span(r, 3 * YEAR_MS - DAY_MS);
	o->updated_at = o->created_at;
	g->pending_created_at = o->created_at;
	return 0;
}

void demo_gen_org_inserted(struct demo_gen *g, int64_t id)
{
	if (g->norgs >= g->maxorgs)
		return;
	g->orgs[g->norgs].id = id;
	g->orgs[g->norgs].domain = arena_strdup(&g->keep, g->pending_domain ? g->pending_domain : "example.fi");
	g->orgs[g->norgs].created_at = g->pending_created_at;
	g->norgs++;
}

/* ---- the timeline -------------------------------------------------------------------- */

/* Text templates: {etunimi} the customer's first name, {tuote} a product, {tilaus} an order
 * number, {summa} an amount in euros, {pvm} a date, {kaupunki} the customer's city. */
struct tmpl {
	const char *summary, *body;
};

struct kind {
	const char *kind;
	int weight;
	int inbound_pct;
	const char *in_channel, *out_channel;
	const struct tmpl *tin, *tout; /* inbound / outbound templates */
	size_t nin, nout;
};

static const struct tmpl call_in[] = {
	{ "Kysymys laskusta", "Asiakas soitti laskusta {tilaus}: summa {summa} oli hänen mielestään liian suuri. Käytiin erittely läpi, asiakas tyytyväinen selvitykseen." },
	{ "Toimitusaikatiedustelu", "{etunimi} kysyi tilauksen {tilaus} toimitusaikaa. Tuote {tuote} on matkalla, arvioitu toimitus {pvm}." },
	{ "Reklamaatio: {tuote}", "Asiakas ilmoitti, että {tuote} ei toimi odotetusti. Ohjeistettu palautukseen, uusi tuote lähetetään {pvm} mennessä." },
	{ "Sopimuksen jatkaminen", "Asiakas haluaa jatkaa sopimusta ({tuote}) vuodella. Tarjous lähetetään sähköpostilla." },
	{ "Osoitteenmuutos", "{etunimi} ilmoitti muuttaneensa, uusi kotikunta: {kaupunki}. Tiedot päivitetty." },
};
static const struct tmpl call_out[] = {
	{ "Tyytyväisyyssoitto", "Soitettiin asiakkaalle ({etunimi}) ostoksen jälkeen. Tuote {tuote} on ollut käytössä ja asiakas on tyytyväinen." },
	{ "Tarjous: {tuote}", "Esiteltiin {tuote} hintaan {summa}. Asiakas harkitsee ja palaa asiaan {pvm}." },
	{ "Maksumuistutus", "Muistutettiin erääntyneestä laskusta {tilaus} ({summa}). Asiakas lupasi maksaa tällä viikolla." },
};
static const struct tmpl email_in[] = {
	{ "Kysymys tilauksesta {tilaus}", "Hei, tilasin tuotteen {tuote}, mutta en ole saanut vielä vahvistusta. Voisitteko tarkistaa tilanteen? Terveisin {etunimi}" },
	{ "Laskun eräpäivän siirto", "Hei, voisinko saada lisäaikaa laskulle {tilaus} ({summa})? Eräpäivä {pvm} on minulle hankala. Kiitos, {etunimi}" },
	{ "Palaute palvelusta", "Kiitos nopeasta avusta! Tuotetta {tuote} koskeva asia hoitui hienosti. Ystävällisin terveisin {etunimi}" },
	{ "Tuotteen palautus", "Hei, haluaisin palauttaa tuotteen {tuote}, se ei sopinut tarpeisiini. Miten toimin? {etunimi}" },
	{ "Yhteystietojen päivitys", "Hei, sähköpostiosoitteeni on vaihtunut. Päivittäkää tiedot, kiitos. {etunimi}" },
};
static const struct tmpl email_out[] = {
	{ "Tilausvahvistus {tilaus}", "Hei {etunimi}, kiitos tilauksestasi! Tilaus {tilaus} ({tuote}, {summa}) on vastaanotettu ja toimitetaan {pvm}." },
	{ "Tarjous kanta-asiakkaalle", "Hei {etunimi}, kanta-asiakkaana saat tuotteesta {tuote} 15 % alennuksen {pvm} asti." },
	{ "Vastaus kysymykseesi", "Hei {etunimi}, kiitos viestistäsi. Tarkistimme asian: lasku {tilaus} on maksettu ja kaikki on kunnossa." },
};
static const struct tmpl meeting_out[] = {
	{ "Asiakastapaaminen, {kaupunki}", "Tavattiin asiakas ({etunimi}) toimipisteellä, {kaupunki}. Käytiin läpi nykyinen sopimus ({tuote}) ja ensi vuoden tarpeet. Seuraava tapaaminen {pvm}." },
	{ "Vuosikatsaus", "Vuosipalaveri: palvelutaso on ollut hyvä, laskutuksessa pari epäselvyyttä. Sovittiin tarkistus {pvm}." },
	{ "Esittely: {tuote}", "Esiteltiin {tuote}. Asiakas kiinnostunut, pyysi kirjallisen tarjouksen ({summa})." },
};
static const struct tmpl chat_in[] = {
	{ "Chat: toimitus", "Asiakas kysyi chatissa tilauksen {tilaus} tilaa. Kerrottu seurantakoodi ja arvioitu toimitus {pvm}." },
	{ "Chat: aukioloajat", "{etunimi} kysyi myymälän aukioloaikoja (paikkakunta {kaupunki}). Vastattu." },
	{ "Chat: salasanan vaihto", "Asiakas ei päässyt kirjautumaan verkkokauppaan. Ohjeistettu salasanan vaihtoon." },
	{ "Chat: {tuote}", "Asiakas kysyi, sopiiko {tuote} hänen käyttöönsä. Suositeltu ja lähetetty tuotesivun linkki." },
};
static const struct tmpl visit_in[] = {
	{ "Myymäläkäynti, {kaupunki}", "{etunimi} kävi myymälässä katsomassa tuotetta {tuote}. Sovittiin koeajosta {pvm}." },
	{ "Huoltokäynti", "Asiakas toi tuotteen {tuote} huoltoon. Arvioitu valmistuminen {pvm}, hinta-arvio {summa}." },
	{ "Nouto myymälästä", "Asiakas nouti tilauksen {tilaus} myymälästä." },
};
static const struct tmpl purchase_in[] = {
	{ "Osto: {tuote}", "Tilaus {tilaus}: {tuote}, yhteensä {summa}. Maksettu kortilla." },
	{ "Verkkokauppaostos {tilaus}", "Verkkokaupasta tilattu {tuote} ({summa}), toimitus noutopisteeseen, {kaupunki}." },
	{ "Lisäpalvelu: {tuote}", "Asiakas lisäsi sopimukseensa palvelun {tuote}, {summa}/kk." },
};
static const struct tmpl sms_in[] = {
	{ "Tekstiviesti: ajanvaraus", "Asiakas vahvisti ajan {pvm} tekstiviestillä." },
	{ "Tekstiviesti: peruutus", "{etunimi} perui varatun ajan {pvm}." },
};
static const struct tmpl sms_out[] = {
	{ "Muistutus ajanvarauksesta", "Hei {etunimi}, muistutus varatusta ajasta {pvm}. Vastaa K jos aika sopii." },
	{ "Noudettavissa", "Hei {etunimi}, tilauksesi {tilaus} on noudettavissa myymälästämme. Terveisin Kumppani, {kaupunki}" },
	{ "Kampanjaviesti", "Hei {etunimi}! Kanta-asiakasetu: {tuote} nyt {summa}. Tarjous voimassa {pvm} asti." },
};
static const struct tmpl social_in[] = {
	{ "Kommentti somessa", "Asiakas kehui Facebookissa palvelua ja tuotetta {tuote}. Kiitetty julkisesti." },
	{ "Yksityisviesti: toimitus", "Yksityisviestissä kysyttiin tilauksen {tilaus} tilaa. Ohjattu asiakaspalveluun." },
	{ "Negatiivinen arvio", "Asiakas kirjoitti arvion: {tuote} rikkoutui kahden viikon käytön jälkeen. Otettu yhteyttä ja tarjottu vaihtoa." },
};
static const struct tmpl note_out[] = {
	{ "Muistiinpano", "Asiakas toivoo yhteydenottoja ensisijaisesti sähköpostilla." },
	{ "Sisäinen huomio", "Kiinnostunut tuotteesta {tuote}; palataan asiaan {pvm}." },
	{ "Asiakastiedot tarkistettu", "Yhteystiedot tarkistettu ja päivitetty, kotikunta {kaupunki}." },
};

static const struct kind kinds[] = {
	{ "email", 25, 60, "email", "email", email_in, email_out, N_(email_in), N_(email_out) },
	{ "call", 20, 55, "phone", "phone", call_in, call_out, N_(call_in), N_(call_out) },
	{ "purchase", 15, 100, "webshop", "store", purchase_in, purchase_in, N_(purchase_in), N_(purchase_in) },
	{ "chat", 10, 100, "chat", "chat", chat_in, chat_in, N_(chat_in), N_(chat_in) },
	{ "sms", 8, 40, "sms", "sms", sms_in, sms_out, N_(sms_in), N_(sms_out) },
	{ "visit", 8, 100, "store", "store", visit_in, visit_in, N_(visit_in), N_(visit_in) },
	{ "meeting", 6, 0, "teams", "on-site", meeting_out, meeting_out, N_(meeting_out), N_(meeting_out) },
	{ "social", 4, 100, "facebook", "instagram", social_in, social_in, N_(social_in), N_(social_in) },
	{ "note", 4, 0, "internal", "internal", note_out, note_out, N_(note_out), N_(note_out) },
};

static int kinds_total(void)
{
	int t = 0;
	for (size_t i = 0; i < N_(kinds); i++)
		t += kinds[i].weight;
	return t;
}

struct fill {
	const char *first;
	const char *city;
	const char *product;
	uint32_t order;
	uint32_t cents;
	int day, month;
};

static void expand(struct sb *b, const char *t, const struct fill *f)
{
	while (*t) {
		const char *open = strchr(t, '{');
		if (!open) {
			sb_adds(b, t);
			return;
		}
		sb_addn(b, t, (size_t)(open - t));
		const char *close = strchr(open, '}');
		if (!close) {
			sb_adds(b, open);
			return;
		}
		size_t n = (size_t)(close - open - 1);
		const char *k = open + 1;
		if (n == 7 && !memcmp(k, "etunimi", n)) {
			sb_adds(b, f->first);
		} else if (n == 5 && !memcmp(k, "tuote", 5)) {
			sb_adds(b, f->product);
		} else if (n == 6 && !memcmp(k, "tilaus", n)) {
			sb_adds(b, "T-");
			sb_addu(b, f->order, 6);
		} else if (n == 5 && !memcmp(k, "summa", n)) {
			sb_addu(b, f->cents / 100, 0);
			sb_addc(b, ',');
			sb_addu(b, f->cents % 100, 2);
			sb_adds(b, " €");
		} else if (n == 3 && !memcmp(k, "pvm", n)) {
			sb_addu(b, (uint64_t)f->day, 0);
			sb_addc(b, '.');
			sb_addu(b, (uint64_t)f->month, 0);
			if (close[1] != '.')
				sb_addc(b, '.');
		} else if (n == 8 && !memcmp(k, "kaupunki", n)) {
			sb_adds(b, f->city);
		} else {
			sb_addn(b, open, n + 2);
		}
		t = close + 1;
	}
}

/* A message's product, order number, sum and date, drawn from r in this order. */
static void fill_draw(struct demo_rng *r, struct fill *f)
{
	f->product = PICK(r, products);
	f->order = 100000 + demo_rng_below(r, 900000);
	f->cents = (uint32_t)(990 + demo_rng_below(r, 150000));
	f->day = 1 + (int)demo_rng_below(r, 28);
	f->month = 1 + (int)demo_rng_below(r, 12);
}

/* it's summary and body: template t filled with f, into a. */
static void tmpl_expand(const struct tmpl *t, const struct fill *f, struct interaction *it, struct arena *a)
{
	char tmp[1024];
	struct sb b;
	sb_init(&b, tmp, sizeof(tmp));
	expand(&b, t->summary, f);
	it->summary = sb_dup(&b, a);
	sb_init(&b, tmp, sizeof(tmp));
	expand(&b, t->body, f);
	it->body = sb_dup(&b, a);
}

static void gen_interaction(struct demo_gen *g, struct interaction *it, const struct fill *base, int64_t from,
			    struct arena *a)
{
	int total = kinds_total();
	struct demo_rng *r = &g->rng;
	int x = (int)demo_rng_below(r, (uint32_t)total);
	const struct kind *k = &kinds[0];
	for (size_t i = 0; i < N_(kinds); i++) {
		if (x < kinds[i].weight) {
			k = &kinds[i];
			break;
		}
		x -= kinds[i].weight;
	}
	int inbound = chance(r, (unsigned)k->inbound_pct);
	const struct tmpl *t = inbound ? &k->tin[demo_rng_below(r, (uint32_t)k->nin)]
				       : &k->tout[demo_rng_below(r, (uint32_t)k->nout)];
	struct fill f = *base;
	fill_draw(r, &f);
	memset(it, 0, sizeof(*it));
	it->staff_id = (k->kind[0] == 'p' && inbound) ? (chance(r, 50) ? pick_staff(g) : 0) : pick_staff(g);
	it->kind = k->kind;
	it->direction = inbound ? "inbound" : "outbound";
	it->channel = inbound ? k->in_channel : k->out_channel;
	tmpl_expand(t, &f, it, a);
	/* a staff reply is stored analysed, as the server stores one (a quoted abuse is masked):
	 * the templates are clean (test_demo.c analyses them), so the verdict alone; unanalysed,
	 * the server's first start would analyse them all (protect_staff_backfill()) */
	if (!inbound)
		it->analysis_json = protect_staff_clean;
	it->occurred_at = from + rand_span(r, g->now - from);
	it->created_at = it->updated_at = it->occurred_at;
}

/* What an angry customer writes, in Finnish and English (the analysis's own subject): insults
 * aimed at the reader, swearing at a situation (no insult), threats, a veiled one, and a
 * threat to kill (severe: it flags the customer at once). */
static const struct tmpl hostile_msgs[] = {
    {"Palautus {tilaus}", "Olet täysi idiootti, en ole vieläkään saanut rahojani takaisin tilauksesta {tilaus}."},
    {"Taas rikki", "Vitun surkea palvelu, kolmas kerta kun {tuote} hajoaa. Hoitakaa asia heti."},
    {"Asiakaspalvelu", "Te ootte ihan saatanan ääliöitä siellä asiakaspalvelussa, kukaan ei vastaa mihinkään."},
    {"Toimitus myöhässä", "Voi vittu kun taas myöhässä, tilaus {tilaus} ei vieläkään tullut."},
    {"Viimeinen varoitus", "Jos rahoja ei palauteta tällä viikolla, tulen sinne ja hakkaan sut."},
    {"Order {tilaus}", "You are a useless idiot. Fix my order {tilaus} now or I will leave a review everywhere."},
    {"Refund", "I know where your office is. Refund the {summa} or you will regret it."},
    {"Still broken", "This is the worst fucking service I have ever had, the {tuote} broke again."},
    {"Tilaus {tilaus}", "Mä tapan sut jos rahoja ei palauteta huomiseen mennessä."},
};

/* The abusive message of about one customer in 400 (struct demo_customer.hostile), from
 * g->hostile_rng only. */
static struct interaction *gen_hostile(struct demo_gen *g, const char *first, const char *city, struct arena *a)
{
	struct demo_rng *r = &g->hostile_rng;
	if (demo_rng_below(r, 400) != 0)
		return NULL;
	const struct tmpl *t = &hostile_msgs[demo_rng_below(r, (uint32_t)N_(hostile_msgs))];
	struct fill f = {.first = first, .city = city};
	fill_draw(r, &f);
	struct interaction *it = arena_calloc(a, sizeof *it);
	it->kind = demo_rng_below(r, 2) ? "email" : "chat";
	it->direction = "inbound";
	it->channel = it->kind; /* as the other demo messages name their channels */
	it->staff_id = g->nstaff ? g->staff_ids[demo_rng_below(r, (uint32_t)g->nstaff)] : 0;
	tmpl_expand(t, &f, it, a);
	it->occurred_at = g->now - 1000 - (int64_t)demo_rng_below(r, 45u * 86400u) * 1000;
	return it;
}

/* Interactions per customer: mean 2.3, a few with none, a few busy ones. */
static const uint8_t nits_table[] = { 0, 1, 1, 1, 2, 2, 2, 3, 3, 4, 4, 6, 1, 2, 3, 2 };

void demo_gen_customer(struct demo_gen *g, struct demo_customer *dc, struct arena *a)
{
	struct demo_rng *r = &g->rng;
	memset(dc, 0, sizeof(*dc));
	struct customer *cu = &dc->cu;

	int female = chance(r, 50);
	const char *first = pick_first_name(r, female, a);
	const char *last = PICK(r, surnames);
	cu->name = arena_printf(a, "%s %s", first, last);
	const struct city *c = pick_city(r);

	const struct demo_org_ref *org = NULL;
	if (g->norgs && chance(r, 30))
		org = &g->orgs[demo_rng_below(r, (uint32_t)g->norgs)];
	cu->org_id = org ? org->id : 0;
	cu->owner_id = chance(r, 70) ? pick_staff(g) : 0;

	/* Up to four years old, newer ones a little more common: age = 4 y * u (1 + u) / 2
	 * for a uniform u in [0, 1), so about 11% joined in the last 90 days. */
	double u = (double)demo_rng_below(r, 1u << 30) / (double)(1u << 30);
	int64_t age = (int64_t)((double)(4 * YEAR_MS) * u * (1 + u) / 2);
	cu->created_at = g->now - age - 1000;
	/* a contact person joins after their organisation: an age from before it is folded
	 * into the organisation's lifetime (no draw, so the other records stay as they were) */
	if (org && cu->created_at <= org->created_at && g->now - 1000 > org->created_at)
		cu->created_at =
		    org->created_at + 1 + (org->created_at - cu->created_at) % (g->now - 1000 - org->created_at);
	cu->updated_at = cu->created_at;
	cu->custom_json = "{}";

	struct contact_point *cp = arena_calloc(a, 5 * sizeof(*cp));
	size_t n = 0;
	if (org) {
		cp[n++] = (struct contact_point){ .kind = "email", .value = make_email(r, first, last, org->domain, a),
						  .label = "työ", .primary = 1 };
		if (chance(r, 40))
			cp[n++] = (struct contact_point){ .kind = "email",
							  .value = make_email(r, first, last, PICK(r, mail_domains), a),
							  .label = "henkilökohtainen" };
	} else if (chance(r, 92)) {
		cp[n++] = (struct contact_point){ .kind = "email",
						  .value = make_email(r, first, last, PICK(r, mail_domains), a),
						  .primary = 1 };
	}
	if (chance(r, 90))
		cp[n++] = (struct contact_point){ .kind = "phone", .value = make_mobile(r, a), .label = "matkapuhelin",
						  .primary = 1 };
	if (chance(r, org ? 30 : 8))
		cp[n++] = (struct contact_point){ .kind = "phone", .value = make_landline(r, c, a),
						  .label = org ? "työ" : "koti" };
	if (chance(r, 80))
		cp[n++] = (struct contact_point){ .kind = "address", .value = make_address(r, c, a), .label = "koti",
						  .primary = 1 };
	cu->contacts = cp;
	cu->ncontacts = n;

	const char **tags = arena_alloc(a, 7 * sizeof(*tags));
	size_t nt = 0;
	int vip = chance(r, 3);
	if (vip)
		tags[nt++] = "vip";
	if (vip || chance(r, 22))
		tags[nt++] = "kanta-asiakas";
	if (org)
		tags[nt++] = "yritys";
	if (g->now - cu->created_at < 90 * DAY_MS)
		tags[nt++] = "uusi";
	if (chance(r, 35))
		tags[nt++] = "uutiskirje";
	if (chance(r, 2))
		tags[nt++] = "reklamaatio";
	if (chance(r, 4))
		tags[nt++] = "ruotsinkielinen";
	cu->tags = tags;
	cu->ntags = nt;

	size_t nits = nits_table[demo_rng_below(r, (uint32_t)N_(nits_table))];
	if (vip)
		nits += 2;
	if (nits) {
		struct fill f = { .first = first, .city = c->name };
		int64_t from = cu->created_at > g->now - 2 * YEAR_MS ? cu->created_at : g->now - 2 * YEAR_MS;
		dc->its = arena_alloc(a, nits * sizeof(*dc->its));
		for (size_t i = 0; i < nits; i++)
			gen_interaction(g, &dc->its[i], &f, from, a);
		dc->nits = nits;
	}
	dc->hostile = gen_hostile(g, first, c->name, a);
	if (dc->hostile && dc->hostile->occurred_at <= cu->created_at) /* written as a customer */
		dc->hostile->occurred_at = cu->created_at + 1;
}

/* ---- staff --------------------------------------------------------------------------- */

static const char *const staff_names[] = {
	"Aino Laaksonen", "Mikko Lehtonen", "Sanna Heikkilä", "Janne Koskinen",
	"Laura Nieminen", "Teemu Salonen", "Riikka Aaltonen", "Ville Rantanen",
};

void demo_staff_identity(unsigned i, struct arena *a, const char **name, const char **email)
{
	const char *full = staff_names[i % N_(staff_names)];
	unsigned round = i / (unsigned)N_(staff_names);
	char tmp[128];
	struct sb b;
	sb_init(&b, tmp, sizeof(tmp));
	const char *sp = strchr(full, ' ');
	char first[64];
	size_t fl = (size_t)(sp - full);
	memcpy(first, full, fl);
	first[fl] = '\0';
	sb_add_folded(&b, first, 0);
	sb_addc(&b, '.');
	sb_add_folded(&b, sp + 1, 0);
	if (round)
		sb_addu(&b, round + 1, 0);
	sb_adds(&b, "@kumppani-demo.example.fi");
	*email = sb_dup(&b, a);
	*name = round ? arena_printf(a, "%s %u", full, round + 1) : full;
}
