/*
 * Tokeniser: splits valid UTF-8 into words, numbers, URLs, e-mail addresses, @mentions, emoji,
 * emoticons and sentence/clause punctuation, recording each token's byte span in the original
 * and a normalised (NFC + casefold) form in the analyzer's scratch buffer.
 *
 * Evasions handled here: separators inside a word ("p-a-s-k-a", "p.a.s.k.a", "f*ck", "p@ska")
 * stay one token, and runs of >= 3 single characters separated by spaces or dots
 * ("i d i o o t t i") are merged into one token; any Unicode space (a no-break space, a thin
 * space) separates as the ASCII space does, and invisible characters count as nothing. An emoji
 * or another symbol glued between the letters of a word ("id😀iootti") is joined out after the
 * word look-up (text_join_glued()). Digits inside words stay (the cache maps leet later,
 * lemma.c). Finnish compounds with hyphens ("EU-maa") and case endings after a colon ("EU:n")
 * stay one token. Token and span boundaries fall between grapheme clusters
 * (text_spans_align()).
 */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "text/text_int.h"

#define TOK_NORM_SRC_MAX 256 /* longer tokens are normalised on their first 256 bytes only */
#define TOK_SQUEEZE_MIN 48   /* longer tokens have their runs cut first (squeeze_runs()) */

static int32_t cp_at(const char *s, size_t len, size_t i, size_t *n)
{
	/* ASCII and two-byte sequences (Latin-1 letters "ä", "ö") decoded inline: this runs for
	 * every character of every text, and the input was validated before tokenising */
	unsigned char c0 = (unsigned char)s[i];
	if (c0 < 0x80) {
		*n = 1;
		return c0;
	}
	if (c0 >= 0xC2 && c0 < 0xE0 && i + 1 < len && ((unsigned char)s[i + 1] & 0xC0) == 0x80) {
		*n = 2;
		return ((int32_t)(c0 & 0x1F) << 6) | ((unsigned char)s[i + 1] & 0x3F);
	}
	utf8proc_int32_t cp;
	utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(len - i), &cp);
	if (k <= 0) { /* cannot happen on validated input; be safe */
		*n = 1;
		return 0xFFFD;
	}
	*n = (size_t)k;
	return cp;
}

/* Enclosed Latin letters are symbols to Unicode but letters to a reader: parenthesized
 * ("⒤⒟⒤⒪⒯"), circled ("ⓘⓓⓘⓞⓣ"), squared and negative circled or squared ("🅂🅃🅄🄿🄸🄳").
 * Returns the plain lower-case letter, else 0; normalisation makes them that letter. */
static int32_t enclosed_letter(int32_t cp)
{
	/* where each alphabet of 26 starts */
	static const int32_t from[] = { 0x249C, 0x24B6, 0x24D0, 0x1F130, 0x1F150, 0x1F170 };
	for (size_t k = 0; k < sizeof from / sizeof from[0]; k++)
		if (cp >= from[k] && cp < from[k] + 26)
			return 'a' + (cp - from[k]);
	return 0;
}

static int is_circled_letter(int32_t cp)
{
	return enclosed_letter(cp) != 0;
}

static int is_letter(int32_t cp)
{
	if (cp < 0x80)
		return (cp | 32) >= 'a' && (cp | 32) <= 'z';
	utf8proc_category_t c = utf8proc_category(cp);
	return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_ME) || is_circled_letter(cp);
}

static int is_digit(int32_t cp)
{
	if (cp < 0x80)
		return cp >= '0' && cp <= '9';
	return utf8proc_category(cp) == UTF8PROC_CATEGORY_ND;
}

static int is_alnum(int32_t cp) { return is_letter(cp) || is_digit(cp); }

static int is_space(int32_t cp)
{
	if (cp < 0x80)
		return cp <= ' ' || cp == 0x7f;
	utf8proc_category_t c = utf8proc_category(cp);
	return c == UTF8PROC_CATEGORY_ZS || c == UTF8PROC_CATEGORY_ZL || c == UTF8PROC_CATEGORY_ZP ||
	       c == UTF8PROC_CATEGORY_CC || c == UTF8PROC_CATEGORY_CF;
}

/* The code point that ends at byte i of s (valid UTF-8), or -1 at the start. */
static int32_t cp_before(const char *s, size_t i)
{
	if (i == 0)
		return -1;
	size_t k = i - 1, n;
	while (k > 0 && i - k < 4 && ((unsigned char)s[k] & 0xC0) == 0x80)
		k--;
	return cp_at(s, i, k, &n);
}

/* 1 if cp is a space between words: the ASCII ones and every Unicode space separator (a
 * no-break space, U+2000..U+200A, U+202F, U+205F, U+3000), line and paragraph separators. */
static int is_blank(int32_t cp)
{
	if (cp < 0x80)
		return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == '\v';
	utf8proc_category_t c = utf8proc_category(cp);
	return c == UTF8PROC_CATEGORY_ZS || c == UTF8PROC_CATEGORY_ZL || c == UTF8PROC_CATEGORY_ZP;
}

/* 1 if cp is invisible: a format character (zero-width space and joiners, the word joiner, a
 * byte order mark, direction marks, a soft hyphen) */
static int is_invisible(int32_t cp)
{
	return cp >= 0x80 && utf8proc_category(cp) == UTF8PROC_CATEGORY_CF;
}

static int is_emoji(int32_t cp)
{
	if (is_circled_letter(cp))
		return 0;
	if ((cp >= 0x1F000 && cp <= 0x1FAFF) || (cp >= 0x2600 && cp <= 0x27BF) ||
	    (cp >= 0x2B00 && cp <= 0x2BFF) || cp == 0x2764)
		return 1;
	return cp >= 0x80 && utf8proc_category(cp) == UTF8PROC_CATEGORY_SO;
}

static int is_emoji_component(int32_t cp)
{
	return cp == 0xFE0F || cp == 0xFE0E || cp == 0x200D || cp == 0x20E3 ||
	       (cp >= 0x1F3FB && cp <= 0x1F3FF) || (cp >= 0xE0020 && cp <= 0xE007F);
}

/*
 * 1 if s[0..len) is ASCII and Latin-1 letters only (U+00C0..U+00FF as C3 80..C3 BF, but not
 * U+00DF "ß", which casefolds to "ss"): most Finnish and English words. Such text is already
 * NFC (no combining marks can follow), and casefolding an upper-case letter adds 0x20 to its
 * code point (U+00D7 "×" is no letter and stays), so text_normalize() skips utf8proc for it.
 */
static int latin1_simple(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80)
			continue;
		if (c != 0xC3 || i + 1 >= len || (unsigned char)s[i + 1] < 0x80 || (unsigned char)s[i + 1] > 0xBF ||
		    (unsigned char)s[i + 1] == 0x9F)
			return 0;
		i++;
	}
	return 1;
}

/* Apostrophe-like marks are the apostrophe ("don’t", "don´t"), before NFKC would make "´" a
 * space and a combining accent. */
static utf8proc_int32_t apostrophe(utf8proc_int32_t cp, void *data)
{
	(void)data;
	int32_t letter = cp >= 0x249C ? enclosed_letter(cp) : 0; /* "⒤" would decompose to "(i)" */
	if (letter)
		return letter;
	return cp == 0x2019 || cp == 0x2018 || cp == 0xB4 || cp == 0x60 || cp == 0x2032 ? '\'' : cp;
}

/* The letter a Latin small capital or a slashed o stands for ("ᴋᴜsɪᴘää", "ɪᴅɪᴏᴛ", "idiøt"),
 * else 0. These are Latin letters themselves, so they are read as the letter in any word. */
static int32_t latin_small_capital(int32_t cp)
{
	switch (cp) {
	case 0x1D00: return 'a'; case 0x0299: return 'b'; case 0x1D04: return 'c'; case 0x1D05: return 'd';
	case 0x1D07: return 'e'; case 0x0262: return 'g'; case 0x029C: return 'h'; case 0x026A: return 'i';
	case 0x1D0A: return 'j'; case 0x1D0B: return 'k'; case 0x029F: return 'l'; case 0x1D0D: return 'm';
	case 0x0274: return 'n'; case 0x1D0F: return 'o'; case 0x1D18: return 'p'; case 0x0280: return 'r';
	case 0xA731: return 's'; case 0x1D1B: return 't'; case 0x1D1C: return 'u'; case 0x1D20: return 'v';
	case 0x1D21: return 'w'; case 0x028F: return 'y'; case 0x1D22: return 'z'; case 0x00F8: return 'o';
	default: return 0;
	}
}

/* The Latin letter a lower-case Cyrillic or Greek letter (or dotless i) passes for, else 0.
 * Only letters that look alike in ordinary fonts, lower case (text_normalize casefolds
 * first, and "Н", "Т", "М" fold to "н", "т", "м"). */
static int32_t latin_lookalike(int32_t cp)
{
	switch (cp) {
	case 0x0430: return 'a'; /* а */
	case 0x0435: return 'e'; /* е */
	case 0x0456: return 'i'; /* і */
	case 0x0458: return 'j'; /* ј */
	case 0x043A: return 'k'; /* к */
	case 0x043C: return 'm'; /* м */
	case 0x043D: return 'h'; /* н (Н) */
	case 0x043E: return 'o'; /* о */
	case 0x0440: return 'p'; /* р */
	case 0x0441: return 'c'; /* с */
	case 0x0442: return 't'; /* т (Т) */
	case 0x0443: return 'y'; /* у */
	case 0x0445: return 'x'; /* х */
	case 0x0455: return 's'; /* ѕ */
	case 0x0501: return 'd'; /* ԁ */
	case 0x04BB: return 'h'; /* һ */
	case 0x04CF: return 'l'; /* ӏ */
	case 0x051B: return 'q'; /* ԛ */
	case 0x051D: return 'w'; /* ԝ */
	case 0x03B1: return 'a'; /* α */
	case 0x03B5: return 'e'; /* ε */
	case 0x03B9: return 'i'; /* ι */
	case 0x03BA: return 'k'; /* κ */
	case 0x03BD: return 'v'; /* ν */
	case 0x03BF: return 'o'; /* ο */
	case 0x03C1: return 'p'; /* ρ */
	case 0x03C4: return 't'; /* τ */
	case 0x03C5: return 'u'; /* υ */
	case 0x03C7: return 'x'; /* χ */
	case 0x0131: return 'i'; /* ı */
	case 0x0251: return 'a'; /* ɑ */
	case 0x0261: return 'g'; /* ɡ */
	case 0x0585: return 'o'; /* Armenian օ */
	case 0x057D: return 'u'; /* ս */
	case 0x0570: return 'h'; /* հ */
	case 0x0578: return 'n'; /* ո */
	case 0x13A5: return 'i'; /* Cherokee Ꭵ (casefolding keeps Cherokee capitals) */
	case 0x13AA: return 'a'; /* Ꭺ */
	case 0x13AB: return 'j'; /* Ꭻ */
	case 0x13AC: return 'e'; /* Ꭼ */
	case 0x13A2: return 't'; /* Ꭲ */
	case 0x13B3: return 'w'; /* Ꮃ */
	case 0x13B7: return 'm'; /* Ꮇ */
	case 0x13BB: return 'h'; /* Ꮋ */
	case 0x13DA: return 's'; /* Ꮪ */
	case 0x13DE: return 'l'; /* Ꮮ */
	case 0x13DF: return 'c'; /* Ꮯ */
	case 0x13E2: return 'p'; /* Ꮲ */
	case 0x13E6: return 'k'; /* Ꮶ */
	default: return latin_small_capital(cp);
	}
}

/* U+00C0..U+00FF (UTF-8 C3 80..BF) as the slow path below leaves them: the ASCII letter of
 * one with a combining mark other than a diaeresis on a, o, u or a ring on a ("é", "ë",
 * "ÿ" -> "e", "e", "y"; "ä", "ö", "å", "ü" stay) and "ø" as "o" (latin_small_capital()),
 * else 0 (the letter stays, lower-cased). */
static const char latin1_base[64] = "aaaa\0\0\0ceeeeiiii\0noooo\0\0ouuu\0y\0\0aaaa\0\0\0ceeeeiiii\0noooo\0\0ouuu\0y\0y";

int text_normalize(const char *s, size_t len, char *dst, size_t cap)
{
	size_t o = 0;
	if (latin1_simple(s, len)) {
		if (len + 1 > cap)
			return -1;
		for (size_t i = 0; i < len; i++) {
			char c = s[i];
			if ((unsigned char)c == 0xC3) { /* "Ä" C3 84 -> "ä" C3 A4; "É" -> "e" */
				unsigned char c2 = (unsigned char)s[i + 1];
				char base = latin1_base[c2 - 0x80];
				if (base) {
					dst[o++] = base;
				} else {
					dst[o++] = c;
					dst[o++] = (char)(c2 <= 0x9E && c2 != 0x97 ? c2 + 0x20 : c2);
				}
				i++;
				continue;
			}
			dst[o++] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : (c == '`' ? '\'' : c);
		}
		dst[o] = 0;
		return (int)o;
	}
	utf8proc_int32_t buf[4 * TOK_NORM_SRC_MAX + 16];
	utf8proc_ssize_t n = utf8proc_decompose_custom((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, buf,
							(utf8proc_ssize_t)(sizeof buf / sizeof buf[0]),
							UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD |
								UTF8PROC_IGNORE | UTF8PROC_STABLE,
							apostrophe, NULL);
	if (n < 0 || (size_t)n > sizeof buf / sizeof buf[0])
		return -1;
	/* Compatibility forms are the letters they show ("ｉｄｉｏｔ", "ﬁ", "ⓘⓓⓘⓞⓣ"), invisible
	 * characters are dropped ("i\u200Bd\u200Bi\u200Bo\u200Bt", a soft hyphen), and so are
	 * combining marks other than those of Finnish, Swedish and German letters ("idiootti" with
	 * a stray acute, "idioottí", or diaeresis, "idioottï"): a diaeresis stays on a, o and u
	 * and a ring on a, so "ä", "ö", "ü" and "å" compose again. In a word that mixes Latin
	 * letters with Cyrillic or Greek ones that look the same ("idiоotti" with a Cyrillic о,
	 * "huorа"), those are the Latin letters they pass for; a word wholly in another script
	 * keeps its letters. */
	int latin = 0, lookalike = 0;
	for (utf8proc_ssize_t i = 0; i < n; i++) {
		if (buf[i] >= 'a' && buf[i] <= 'z')
			latin = 1;
		else if (buf[i] >= 0x100 && latin_lookalike(buf[i]))
			lookalike = 1;
	}
	utf8proc_ssize_t k = 0;
	int32_t base = 0;
	for (utf8proc_ssize_t i = 0; i < n; i++) {
		int32_t cp = buf[i], m;
		if (cp >= 0xF8 && (m = latin_small_capital(cp)))
			cp = m;
		else if (latin && lookalike && cp >= 0x100 && (m = latin_lookalike(cp)))
			cp = m;
		if (cp >= 0x300 && utf8proc_category(cp) == UTF8PROC_CATEGORY_MN) {
			if (!((cp == 0x308 && (base == 'a' || base == 'o' || base == 'u')) || (cp == 0x30A && base == 'a')))
				continue;
		} else {
			base = cp;
		}
		buf[k++] = cp;
	}
	n = utf8proc_normalize_utf32(buf, k, UTF8PROC_COMPOSE | UTF8PROC_STABLE);
	if (n < 0)
		return -1;
	for (utf8proc_ssize_t i = 0; i < n; i++) {
		int32_t cp = buf[i];
		if (cp == 0xFE0F || cp == 0xFE0E)
			continue; /* emoji presentation selectors carry no meaning here */
		if (o + 4 + 1 > cap)
			return -1;
		o += (size_t)utf8proc_encode_char(cp, (utf8proc_uint8_t *)dst + o);
	}
	dst[o] = 0;
	return (int)o;
}

static struct text_tok *push_tok(struct text_analyzer *ta)
{
	if (ta->ntoks == ta->captoks) {
		size_t nc = ta->captoks ? ta->captoks * 2 : 256;
		struct text_tok *t = realloc(ta->toks, nc * sizeof(*t));
		if (!t)
			return NULL;
		ta->toks = t;
		ta->captoks = nc;
	}
	struct text_tok *t = &ta->toks[ta->ntoks++];
	memset(t, 0, sizeof(*t));
	return t;
}

/*
 * Copy s[0..n) to out (cap bytes) with every run of one character cut to three (separators
 * inside the run with it), stopping at a whole character before cap; returns the bytes written. A letter stretched past the
 * normalisation limit ("idi" + a hundred "o" + "tti") then keeps the end of its word, which
 * the lexicon's own collapse of repeats reads as the word.
 */
static size_t squeeze_runs(const char *s, size_t n, char *out, size_t cap)
{
	size_t o = 0, run = 0, prev_at = 0, prev_len = 0;
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i]; /* valid UTF-8: text_analyze() checked it */
		size_t len = c < 0xC0 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
		if (len > n - i)
			len = n - i;
		/* a separator between two of the run's characters does not end the run
		 * ("i.i.i.i.diootti"), and is cut with them once the run is long */
		if (c && strchr(".-_*", (int)c) && run > 0 && i + 1 + prev_len <= n &&
		    !memcmp(s + i + 1, s + prev_at, prev_len)) {
			if (run < 3) {
				if (o + 1 > cap)
					break;
				out[o++] = (char)c;
			}
			i++;
			continue;
		}
		if (prev_len == len && !memcmp(s + prev_at, s + i, len))
			run++;
		else
			run = 1, prev_at = i, prev_len = len;
		if (run <= 3) {
			if (o + len > cap)
				break;
			memcpy(out + o, s + i, len);
			o += len;
		}
		i += len;
	}
	return o;
}

/* Append the normalised form of s[a..b) to scratch and point t at it. */
static int set_norm(struct text_analyzer *ta, struct text_tok *t, const char *s, size_t a, size_t b)
{
	size_t n = b - a;
	char squeezed[TOK_NORM_SRC_MAX];
	if (n > TOK_SQUEEZE_MIN) { /* longer than words are: stretched letters, perhaps */
		n = squeeze_runs(s + a, n, squeezed, sizeof squeezed);
		s = squeezed, a = 0;
	}
	size_t need = 4 * n + 8;
	if (ta->scratch_len + need > ta->scratch_cap) {
		size_t nc = ta->scratch_cap ? ta->scratch_cap : 4096;
		while (nc < ta->scratch_len + need)
			nc *= 2;
		char *p = realloc(ta->scratch, nc);
		if (!p)
			return -1;
		ta->scratch = p;
		ta->scratch_cap = nc;
	}
	int k = text_normalize(s + a, n, ta->scratch + ta->scratch_len, ta->scratch_cap - ta->scratch_len);
	if (k < 0)
		k = 0;
	t->norm_off = (uint32_t)ta->scratch_len;
	t->norm_len = (uint16_t)k;
	ta->scratch_len += (size_t)k + 1;
	return 0;
}

/* A closed set of symbols recognised by the tokenizer (no words): stays in C. */
static const char *const emoticons[] = { ">:(", ":'(", ":-)", ":-(", ":-D", ":-/", ";-)", ":)", ":(",
					 ":D", ":P", ":p", ":/", ":]", ":[", "=)", "=(", ";)", "<3",
					 "xD", "XD", "D:", NULL };

static int boundary_before(const char *s, size_t i)
{
	if (i == 0 || s[i - 1] == '(' || s[i - 1] == '"')
		return 1;
	int32_t cp = cp_before(s, i);
	return is_blank(cp) || is_invisible(cp);
}

static int boundary_after(const char *s, size_t len, size_t i)
{
	size_t n;
	if (i >= len || strchr(".,!?)\"", s[i]))
		return 1;
	int32_t cp = cp_at(s, len, i, &n);
	return is_blank(cp) || is_invisible(cp);
}

static size_t match_emoticon(const char *s, size_t len, size_t i)
{
	if (!strchr(":;=<>xXD", s[i]) || !boundary_before(s, i))
		return 0;
	for (int k = 0; emoticons[k]; k++) {
		size_t n = strlen(emoticons[k]);
		if (n <= len - i && memcmp(s + i, emoticons[k], n) == 0 && boundary_after(s, len, i + n))
			return n;
	}
	return 0;
}

static size_t match_url(const char *s, size_t len, size_t i)
{
	/* URL syntax, not words: stays in C */
	static const char *const pre[] = { "http://", "https://", "www.", NULL };
	if ((s[i] | 32) != 'h' && (s[i] | 32) != 'w')
		return 0;
	for (int k = 0; pre[k]; k++) {
		size_t n = strlen(pre[k]);
		if (n < len - i && strncasecmp(s + i, pre[k], n) == 0) {
			size_t j = i + n;
			size_t cn;
			while (j < len && !((unsigned char)s[j] <= ' ') && s[j] != '"' && s[j] != '<' && s[j] != '>') {
				/* a no-break space ends it as a space does ("www.x.fi\u00a0idiootti") */
				if ((unsigned char)s[j] >= 0x80 && is_blank(cp_at(s, len, j, &cn)))
					break;
				j++;
			}
			while (j > i + n && strchr(".,!?;:)'", s[j - 1]))
				j--;
			return j - i;
		}
	}
	return 0;
}

static int email_local(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

static size_t match_email(const char *s, size_t len, size_t i)
{
	size_t j = i;
	while (j < len && email_local(s[j]))
		j++;
	if (j == i || j >= len || s[j] != '@')
		return 0;
	size_t d = ++j, lastdot = 0;
	while (j < len && (email_local(s[j]) && s[j] != '_' && s[j] != '%' && s[j] != '+')) {
		if (s[j] == '.')
			lastdot = j;
		j++;
	}
	while (j > d && s[j - 1] == '.')
		j--;
	if (!lastdot || lastdot >= j - 2 || lastdot == d)
		return 0;
	return j - i;
}

/* Scan a word starting at i; returns end. *ndig / *nlet count digits and letters. */
static size_t scan_word(const char *s, size_t len, size_t i, int *nlet, int *ndig)
{
	size_t j = i, n;
	size_t seg_cps = 0; /* code points in the current separator-free segment */
	int32_t prev = 0;
	while (j < len) {
		int32_t cp = cp_at(s, len, j, &n);
		if (is_alnum(cp)) {
			if (is_digit(cp))
				(*ndig)++;
			else
				(*nlet)++;
			seg_cps++;
			prev = cp;
			j += n;
			continue;
		}
		/* a run of '*' masking letters stays in the word: "s***", "a**hole" */
		if (cp == '*' && prev == '*') {
			j += n;
			continue;
		}
		if (j + n >= len)
			break;
		size_t n2;
		int32_t next = cp_at(s, len, j + n, &n2);
		int ok = 0;
		if (cp == '-' || cp == '\'' || cp == 0x2019 || cp == '_')
			ok = is_alnum(next);
		else if (cp == '*')
			ok = is_letter(prev) && (is_alnum(next) || next == '*');
		else if (cp == '@')
			ok = is_letter(prev) && is_alnum(next);
		else if (cp == '$') /* 's' in an evasion ("pa$ka", "p4$k4"); not "US$5" */
			ok = is_alnum(prev) && is_letter(next);
		else if (cp == '.')
			ok = (seg_cps == 1 && is_alnum(next)) || (is_digit(prev) && is_digit(next));
		else if (cp == ',')
			ok = is_digit(prev) && is_digit(next);
		else if (cp == 0xAD || (cp >= 0x200 && utf8proc_category(cp) == UTF8PROC_CATEGORY_CF))
			/* invisible inside a word (zero-width spaces and joiners, direction marks, tag
			 * characters, the Mongolian vowel separator): text_normalize drops it */
			ok = is_alnum(prev) && is_alnum(next);
		else if (cp == ':')
			ok = (is_digit(prev) || (prev < 0x80 && prev >= 'A' && prev <= 'Z')) && is_letter(next) &&
			     !(next >= 'A' && next <= 'Z');
		if (!ok)
			break;
		seg_cps = 0;
		prev = cp;
		j += n;
	}
	return j;
}

/* The width of the gap s[a..b) between two letters of a spelled word: the separators in it
 * (an ASCII or Unicode space, '.', '-', '_', '*'; an invisible character counts none), or -1
 * when it holds anything else or more than two. */
static int sep_width(const char *s, size_t a, size_t b)
{
	int w = 0;
	for (size_t i = a, n; i < b; i += n) {
		int32_t cp = cp_at(s, b, i, &n);
		if (cp == ' ' || cp == '.' || cp == '-' || cp == '_' || cp == '*' ||
		    (cp >= 0x80 && utf8proc_category(cp) == UTF8PROC_CATEGORY_ZS))
			w++;
		else if (!is_invisible(cp))
			return -1;
		if (w > 2)
			return -1;
	}
	return w;
}

static int single_char(const struct text_analyzer *ta, const struct text_tok *t)
{
	if (t->type != TT_WORD)
		return 0;
	const unsigned char *p = (const unsigned char *)ta->scratch + t->norm_off;
	if (t->norm_len == 1)
		return 1;
	return t->norm_len == 2 && p[0] >= 0xC0; /* one 2-byte letter, e.g. "ä" */
}

static int same_norm(const struct text_analyzer *ta, size_t a, size_t b)
{
	const struct text_tok *x = &ta->toks[a], *y = &ta->toks[b];
	return x->norm_len == y->norm_len && !memcmp(ta->scratch + x->norm_off, ta->scratch + y->norm_off, x->norm_len);
}

/* 1 if the letters of tokens [i, j) joined are a word of the lexicon, in either language. */
static int spelled_known(const struct text_analyzer *ta, size_t i, size_t j)
{
	char key[64];
	size_t n = 1;
	for (size_t k = i; k < j; k++) {
		const struct text_tok *t = &ta->toks[k];
		if (n + t->norm_len >= sizeof key)
			return 0;
		memcpy(key + n, ta->scratch + t->norm_off, t->norm_len);
		n += t->norm_len;
	}
	key[0] = 'e';
	if (text_lexicon_id(ta->lx, key, n) >= 0)
		return 1;
	key[0] = 'f';
	return text_lexicon_id(ta->lx, key, n) >= 0;
}

/*
 * Merge runs of >= 3 single-character words separated by space/dot/dash ("i d i o o t t i"),
 * a wider gap ending one word and starting the next ("t a p a  i t t e s").
 * An English "a" or "I" after a word starts no spelled word unless the letters need it: "you
 * are a d i c k" spells "dick", "a s s h o l e" spells "asshole".
 */
static int merge_spelled(struct text_analyzer *ta, const char *s)
{
	size_t w = 0;
	for (size_t i = 0; i < ta->ntoks;) {
		size_t j = i;
		if (single_char(ta, &ta->toks[i])) {
			/* a gap wider than the one between the first letters ends the word: "t a p a  i t t
			 * e s" spells two words, "k i l l  y o u r s e l f" too */
			int gap0 = i + 1 < ta->ntoks ? sep_width(s, ta->toks[i].end, ta->toks[i + 1].start) : 0, gap;
			j = i + 1;
			while (j < ta->ntoks && single_char(ta, &ta->toks[j]) &&
			       (gap = sep_width(s, ta->toks[j - 1].end, ta->toks[j].start)) >= 0 &&
			       gap <= (gap0 > 1 ? gap0 : 1))
				j++;
		}
		if (j - i >= 4 && i > 0 && ta->toks[i - 1].type == TT_WORD && !single_char(ta, &ta->toks[i - 1])) {
			char c = ta->scratch[ta->toks[i].norm_off];
			if ((c == 'a' || c == 'i') && !spelled_known(ta, i, j) && spelled_known(ta, i + 1, j)) {
				ta->toks[w++] = ta->toks[i++]; /* the article stays a word of its own */
				continue;
			}
		}
		if (j - i >= 3) {
			size_t need = 0;
			for (size_t k = i; k < j; k++)
				need += ta->toks[k].norm_len;
			if (ta->scratch_len + need + 1 > ta->scratch_cap) {
				char *p = realloc(ta->scratch, ta->scratch_cap * 2 + need + 1);
				if (!p)
					return -1;
				ta->scratch = p;
				ta->scratch_cap = ta->scratch_cap * 2 + need + 1;
			}
			struct text_tok t = ta->toks[i];
			t.norm_off = (uint32_t)ta->scratch_len;
			size_t merged = 0;
			for (size_t k = i; k < j; k++) {
				/* a letter repeated more than three times is cut as squeeze_runs() cuts it
				 * ("i.i.i.i.i.i.d.i.o.o.t.t.i") */
				if (k >= i + 3 && same_norm(ta, k, k - 1) && same_norm(ta, k, k - 2) && same_norm(ta, k, k - 3))
					continue;
				memcpy(ta->scratch + ta->scratch_len, ta->scratch + ta->toks[k].norm_off, ta->toks[k].norm_len);
				ta->scratch_len += ta->toks[k].norm_len;
				merged += ta->toks[k].norm_len;
			}
			ta->scratch[ta->scratch_len++] = 0;
			t.norm_len = (uint16_t)merged;
			t.end = ta->toks[j - 1].end;
			t.flags = 0;
			ta->toks[w++] = t;
			i = j;
		} else {
			ta->toks[w++] = ta->toks[i++];
		}
	}
	ta->ntoks = w;
	return 0;
}

/* Tokens in one sentence at most: a longer run without . ! ? gets a sentence end (zero
 * width) every TOK_SENTENCE_MAX tokens. The rules look across a sentence for each word they
 * judge, so an endless one (64 KiB of "tapan sut" with no full stop) would cost the square of
 * its length; real sentences are far shorter (the dev files' texts are unchanged by it). */
#define TOK_SENTENCE_MAX 200

/* 1 if a symbol at byte i comes right after a word token (invisible characters between):
 * text_join_glued() then looks for a word written with symbols inside it. */
static int after_word(const struct text_analyzer *ta, const char *s, size_t i)
{
	if (ta->ntoks == 0 || ta->toks[ta->ntoks - 1].type != TT_WORD)
		return 0;
	size_t n;
	for (size_t k = ta->toks[ta->ntoks - 1].end; k < i; k += n)
		if (!is_invisible(cp_at(s, i, k, &n)))
			return 0;
	return 1;
}

int text_tokenize(struct text_analyzer *ta, const char *s, size_t len)
{
	ta->ntoks = 0;
	ta->scratch_len = 0;
	ta->glued = 0;
	size_t i = 0, n, sent_start = 0;
	while (i < len) {
		int32_t cp = cp_at(s, len, i, &n);
		if (is_space(cp)) {
			i += n;
			continue;
		}
		if (ta->ntoks && ta->toks[ta->ntoks - 1].type == TT_END) {
			sent_start = ta->ntoks;
		} else if (ta->ntoks - sent_start >= TOK_SENTENCE_MAX) {
			struct text_tok *e = push_tok(ta);
			if (!e)
				return TEXT_ENOMEM;
			e->type = TT_END;
			e->flags = TF_SYNTH; /* phrases match across it (analyze.c find_phrases) */
			e->start = e->end = (uint32_t)i;
			sent_start = ta->ntoks;
		}
		size_t k;
		struct text_tok *t;
		if (cp < 0x80 && (k = match_url(s, len, i)) > 0) {
			if (!(t = push_tok(ta)))
				return TEXT_ENOMEM;
			t->type = TT_URL;
			t->start = (uint32_t)i;
			t->end = (uint32_t)(i + k);
			i += k;
			continue;
		}
		if (cp < 0x80 && (k = match_emoticon(s, len, i)) > 0) {
			if (!(t = push_tok(ta)))
				return TEXT_ENOMEM;
			t->type = TT_EMOTICON;
			t->start = (uint32_t)i;
			t->end = (uint32_t)(i + k);
			/* emoticons keep their case (":D" vs ":d"): copy as is */
			if (set_norm(ta, t, s, i, i) < 0)
				return TEXT_ENOMEM;
			memcpy(ta->scratch + t->norm_off, s + i, k);
			ta->scratch[t->norm_off + k] = 0;
			t->norm_len = (uint16_t)k;
			ta->scratch_len = t->norm_off + k + 1;
			i += k;
			continue;
		}
		if (cp == '@' && i + 1 < len && (is_alnum((unsigned char)s[i + 1]) || s[i + 1] == '_') &&
		    (i == 0 || !is_alnum((unsigned char)s[i - 1]))) {
			size_t j = i + 1;
			while (j < len && ((unsigned char)s[j] < 0x80) && (is_alnum((unsigned char)s[j]) || s[j] == '_'))
				j++;
			if (!(t = push_tok(ta)))
				return TEXT_ENOMEM;
			t->type = TT_MENTION;
			t->start = (uint32_t)i;
			t->end = (uint32_t)j;
			i = j;
			continue;
		}
		if (cp == '#' && i + 1 < len) {
			size_t n2;
			if (is_letter(cp_at(s, len, i + 1, &n2))) {
				i++; /* hashtag: the word after '#' */
				continue;
			}
		}
		if (is_alnum(cp)) {
			if (cp < 0x80 && (k = match_email(s, len, i)) > 0) {
				if (!(t = push_tok(ta)))
					return TEXT_ENOMEM;
				t->type = TT_EMAIL;
				t->start = (uint32_t)i;
				t->end = (uint32_t)(i + k);
				i += k;
				continue;
			}
			int nlet = 0, ndig = 0;
			size_t j = scan_word(s, len, i, &nlet, &ndig);
			if (!(t = push_tok(ta)))
				return TEXT_ENOMEM;
			t->type = nlet ? TT_WORD : TT_NUM;
			t->start = (uint32_t)i;
			t->end = (uint32_t)j;
			if (t->type == TT_WORD) {
				if (set_norm(ta, t, s, i, j) < 0)
					return TEXT_ENOMEM;
				int upper = 0, lower = 0;
				for (size_t q = i; q < j; q++) {
					if (s[q] >= 'A' && s[q] <= 'Z')
						upper++;
					else if (s[q] >= 'a' && s[q] <= 'z')
						lower++;
				}
				if (upper >= 2 && lower == 0)
					t->flags |= TF_ALLCAPS;
				else if (s[i] >= 'A' && s[i] <= 'Z' && upper == 1 && lower >= 2)
					t->flags |= TF_CAPITAL;
				const char *nm = ta->scratch + t->norm_off;
				if (t->norm_len >= 4 && memcmp(nm + t->norm_len - 3, "n't", 3) == 0)
					t->flags |= TF_NT;
			}
			i = j;
			continue;
		}
		if (is_emoji(cp)) {
			size_t j = i + n;
			while (j < len) {
				size_t n2;
				int32_t c2 = cp_at(s, len, j, &n2);
				if (is_emoji_component(c2)) {
					j += n2;
					if (c2 == 0x200D && j < len) { /* ZWJ joins the next emoji, not a letter */
						int32_t c3 = cp_at(s, len, j, &n2);
						if (is_emoji(c3))
							j += n2;
					}
				} else if (cp >= 0x1F1E6 && cp <= 0x1F1FF && c2 >= 0x1F1E6 && c2 <= 0x1F1FF &&
					   j == i + n) {
					j += n2; /* flag: pair of regional indicators */
				} else {
					break;
				}
			}
			if (!ta->glued && after_word(ta, s, i))
				ta->glued = 1;
			if (!(t = push_tok(ta)))
				return TEXT_ENOMEM;
			t->type = TT_EMOJI;
			t->start = (uint32_t)i;
			t->end = (uint32_t)j;
			/* look emoji up by their first code point only (skin tones etc. dropped) */
			if (set_norm(ta, t, s, i, i + n) < 0)
				return TEXT_ENOMEM;
			i = j;
			continue;
		}
		if (cp == '.' || cp == '!' || cp == '?' || cp == 0x2026) {
			size_t j = i;
			int excl = 0, quest = 0, dots = 0;
			while (j < len) {
				size_t n2;
				int32_t c2 = cp_at(s, len, j, &n2);
				if (c2 == '!')
					excl++;
				else if (c2 == '?')
					quest++;
				else if (c2 == '.')
					dots++;
				else if (c2 == 0x2026)
					dots += 3;
				else if (c2 != '1') /* "!!!1" */
					break;
				j += n2;
			}
			if (!(t = push_tok(ta)))
				return TEXT_ENOMEM;
			t->type = TT_END;
			t->start = (uint32_t)i;
			t->end = (uint32_t)j;
			t->excl = (uint8_t)(excl > 255 ? 255 : excl);
			t->quest = (uint8_t)(quest > 255 ? 255 : quest);
			if (dots >= 2)
				t->flags |= TF_ELLIPSIS;
			i = j;
			continue;
		}
		if (cp == ',' || cp == ';' || cp == ':' || cp == '(' || cp == ')' || cp == 0x2013 ||
		    cp == 0x2014 || cp == '-') {
			if (ta->ntoks == 0 || ta->toks[ta->ntoks - 1].type != TT_CLAUSE) {
				if (!(t = push_tok(ta)))
					return TEXT_ENOMEM;
				t->type = TT_CLAUSE;
				t->start = (uint32_t)i;
				t->end = (uint32_t)(i + n);
				t->comma = cp == ',';
			}
		} else if (!ta->glued && after_word(ta, s, i))
			ta->glued = 1; /* "id™iootti" */
		i += n; /* other symbols: ignored */
	}
	if (merge_spelled(ta, s) < 0)
		return TEXT_ENOMEM;
	return TEXT_OK;
}

/* 1 if cp may stand inside a word as a symbol written into it: an emoji and its modifiers,
 * joiners and selectors, another pictograph or symbol ("™", "★", "→", "€"), the ASCII
 * symbols that are no punctuation, and invisible characters. */
static int is_glue(int32_t cp)
{
	if (cp < 0x80)
		return cp == '+' || cp == '<' || cp == '=' || cp == '>' || cp == '|' || cp == '~' || cp == '^';
	if (is_emoji(cp) || is_emoji_component(cp) || is_invisible(cp))
		return 1;
	utf8proc_category_t c = utf8proc_category(cp);
	return c == UTF8PROC_CATEGORY_SM || c == UTF8PROC_CATEGORY_SC || c == UTF8PROC_CATEGORY_SK ||
	       c == UTF8PROC_CATEGORY_SO || c == UTF8PROC_CATEGORY_ME || c == UTF8PROC_CATEGORY_MN;
}

/* 1 if s[a..b) is only symbols glued between two letters (no space), at least one of them
 * visible. */
static int glued(const char *s, size_t a, size_t b)
{
	int visible = 0;
	if (a >= b || (unsigned char)s[a] <= ' ')
		return 0;
	for (size_t i = a, n; i < b; i += n) {
		int32_t cp = cp_at(s, b, i, &n);
		if (!is_glue(cp))
			return 0;
		visible |= !is_invisible(cp);
	}
	return visible;
}

static int abusive_word(const struct text_word *w)
{
	return w->info.abuse[TA_INSULT] > 0 || w->info.abuse[TA_OBSCENE] > 0;
}

/* 1 if the words of tokens p[0..np) joined read as an insult or a swear word in a needed
 * language where none of them alone is one, or where the joined form is a word the language
 * knows and its last piece is none ("ass👋🏽hole", "paska😀firma"; not "kiitos😊idiootti",
 * a compound with an insult for its head, nor "idiot😀idiot"); -1 when out of memory. The
 * joined form is left in buf (cap bytes), its length in *n. */
static int glued_reading(struct text_analyzer *ta, const size_t *p, size_t np, int need_fi, int need_en, char *buf,
                         size_t cap, size_t *n)
{
	*n = 0;
	for (size_t k = 0; k < np; k++) {
		const struct text_tok *t = &ta->toks[p[k]];
		if (*n + t->norm_len > cap)
			return 0;
		memcpy(buf + *n, ta->scratch + t->norm_off, t->norm_len);
		*n += t->norm_len;
	}
	for (int ll = TEXT_LL_FI; ll <= TEXT_LL_EN; ll++) {
		if (!(ll == TEXT_LL_FI ? need_fi : need_en))
			continue;
		const struct text_word *jw = text_word_get(ta, ll, buf, *n);
		if (!jw)
			return -1;
		if (!abusive_word(jw))
			continue;
		int piece = 0, last = 0;
		for (size_t k = 0; k < np; k++) {
			const struct text_tok *t = &ta->toks[p[k]];
			const struct text_word *pw = text_word_get(ta, ll, ta->scratch + t->norm_off, t->norm_len);
			if (!pw)
				return -1;
			piece |= last = abusive_word(pw);
		}
		if (!piece || ((jw->info.flags & TI_KNOWN) && !last))
			return 1;
	}
	return 0;
}

#define GLUED_MAX 8 /* pieces of one glued word looked at */

int text_join_glued(struct text_analyzer *ta, const char *s, int need_fi, int need_en)
{
	/* most texts have no word glued to anything (the tokeniser saw none): then nothing to do;
	 * else find the first word that is (a word with an emoji token right after it, or a word
	 * after it with no space between) */
	size_t first = ta->ntoks;
	for (size_t i = 0; ta->glued && i + 1 < ta->ntoks && first == ta->ntoks; i++) {
		const struct text_tok *t = &ta->toks[i], *u = t + 1;
		if (t->type == TT_WORD && u->start >= t->end &&
		    ((u->type == TT_EMOJI && (u->start == t->end || (unsigned char)s[t->end] >= 0x80)) ||
		     (u->type == TT_WORD && u->start > t->end && (unsigned char)s[t->end] > ' ')))
			first = i;
	}
	size_t w = first;
	for (size_t i = first; i < ta->ntoks;) {
		/* the pieces glued to token i: p[0] = i, each next a word after emoji tokens and
		 * symbols with no space between */
		size_t p[GLUED_MAX], np = 0;
		if (ta->toks[i].type == TT_WORD) {
			p[np++] = i;
			for (size_t k = i + 1; np < GLUED_MAX; k++) {
				while (k < ta->ntoks && ta->toks[k].type == TT_EMOJI)
					k++;
				if (k >= ta->ntoks || ta->toks[k].type != TT_WORD ||
				    !glued(s, ta->toks[p[np - 1]].end, ta->toks[k].start))
					break;
				p[np++] = k;
			}
		}
		if (np < 2) {
			ta->toks[w++] = ta->toks[i++];
			continue;
		}
		/* from the left, the longest run of pieces that reads as abuse is one word; the
		 * tokens of the other pieces stay as they are (tokens before w are written only
		 * from tokens at or after their own index, so the copies below are safe) */
		size_t x = 0;
		while (x < np) {
			char buf[TOK_NORM_SRC_MAX];
			size_t n = 0, y = np;
			for (; y >= x + 2; y--) {
				int r = glued_reading(ta, p + x, y - x, need_fi, need_en, buf, sizeof buf, &n);
				if (r < 0)
					return TEXT_ENOMEM;
				if (r)
					break;
			}
			size_t to = x + 1 < np ? p[x + 1] : p[np - 1] + 1; /* tokens to copy when not joined */
			if (y >= x + 2) {
				if (ta->scratch_len + n + 1 > ta->scratch_cap) {
					size_t nc = ta->scratch_cap * 2 + n + 1;
					char *q = realloc(ta->scratch, nc);
					if (!q)
						return TEXT_ENOMEM;
					ta->scratch = q;
					ta->scratch_cap = nc;
				}
				struct text_tok t = ta->toks[p[x]];
				t.norm_off = (uint32_t)ta->scratch_len;
				t.norm_len = (uint16_t)n;
				memcpy(ta->scratch + ta->scratch_len, buf, n);
				ta->scratch_len += n;
				ta->scratch[ta->scratch_len++] = 0;
				t.end = ta->toks[p[y - 1]].end;
				t.flags = 0;
				ta->toks[w++] = t;
				/* the emoji after the joined word, up to the next piece */
				for (size_t k = p[y - 1] + 1; y < np && k < p[y]; k++)
					ta->toks[w++] = ta->toks[k];
				x = y;
				continue;
			}
			for (size_t k = p[x]; k < to; k++)
				ta->toks[w++] = ta->toks[k];
			x++;
		}
		i = p[np - 1] + 1;
	}
	ta->ntoks = w;
	return TEXT_OK;
}

/* 1 if byte offset i of s[0..len) is a grapheme boundary for certain without a walk: the text's
 * ends, or an ASCII character on either side (only a CR LF pair, a prepended mark or an extending
 * one joins across such a place, and the last two are not ASCII). */
static int ascii_boundary(const char *s, size_t len, size_t i)
{
	return i == 0 || i >= len ||
	       ((unsigned char)s[i - 1] < 0x80 && (unsigned char)s[i] < 0x80 && !(s[i - 1] == '\r' && s[i] == '\n'));
}

void text_spans_align(const char *s, size_t len, struct text_span *v, size_t n)
{
	size_t q = 0;
	while (q < n && ascii_boundary(s, len, v[q].start) && ascii_boundary(s, len, v[q].end))
		q++;
	if (q == n) /* the common case: words of ASCII letters between spaces */
		return;
	/* one walk over the text's grapheme boundaries (emoji sequences and flags need the state
	 * from the start): a start between two boundaries moves back to the first, an end forward
	 * to the second; v is sorted and its spans do not overlap, so starts and ends both rise */
	size_t si = 0, ei = 0, prev_b = 0, i = 0, k;
	utf8proc_int32_t state = 0, prev = -1;
	while (si < n || ei < n) {
		int32_t cp = -1;
		int brk = 1;
		if (i < len) {
			cp = cp_at(s, len, i, &k);
			brk = prev < 0 || utf8proc_grapheme_break_stateful(prev, cp, &state);
		}
		if (brk) {
			for (; si < n && v[si].start <= i; si++)
				if (v[si].start > prev_b && v[si].start < i)
					v[si].start = prev_b;
			for (; ei < n && v[ei].end <= i; ei++)
				if (v[ei].end > prev_b)
					v[ei].end = i;
			prev_b = i;
		}
		if (i >= len)
			break;
		prev = cp;
		i += k;
	}
}
