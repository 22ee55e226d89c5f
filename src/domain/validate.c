#include "domain/validate.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

#include "util/buf.h"
#include "util/punycode.h"
#include "util/timeutil.h"

/* ISO 3166-1 alpha-2, the officially assigned codes. */
static const char iso3166[] = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ "
                              "BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ "
                              "CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ "
                              "DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR "
                              "GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY "
                              "HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP "
                              "KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY "
                              "MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ "
                              "NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY "
                              "QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ "
                              "TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ "
                              "VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

size_t validate_utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

/* 1 if code point cp is white space or an invisible space (the set validate_blank() uses). */
static int blank_cp(utf8proc_int32_t cp)
{
	utf8proc_category_t c = utf8proc_category(cp);
	return c == UTF8PROC_CATEGORY_ZS || c == UTF8PROC_CATEGORY_ZL || c == UTF8PROC_CATEGORY_ZP ||
	       (cp >= 9 && cp <= 13) || (cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || cp == 0xFEFF;
}

int validate_blank(const char *s)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	utf8proc_int32_t cp;
	for (;;) {
		utf8proc_ssize_t n = utf8proc_iterate(p, -1, &cp);
		if (n <= 0 || cp == 0)
			return n == 0 || cp == 0;
		if (!blank_cp(cp))
			return 0;
		p += n;
	}
}

int validate_utf8_ok(const char *s)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	utf8proc_int32_t cp;
	for (;;) {
		utf8proc_ssize_t n = utf8proc_iterate(p, -1, &cp);
		if (n < 0)
			return 0;
		if (n == 0 || cp == 0)
			return 1;
		p += n;
	}
}

/* 1 if s holds a bidirectional override or isolate (U+202A-U+202E, U+2066-U+2069): in a name
 * or a tag they reorder what staff see ("\u202eabc" shows as "cba"). */
static int has_bidi_control(const char *s)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	utf8proc_int32_t cp;
	for (;;) {
		utf8proc_ssize_t n = utf8proc_iterate(p, -1, &cp);
		if (n <= 0 || cp == 0)
			return 0;
		if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069))
			return 1;
		p += n;
	}
}

/* Does s contain a control character (Unicode category Cc) other than those in `allow`? */
static int has_control(const char *s, const char *allow)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	utf8proc_int32_t cp;
	for (;;) {
		utf8proc_ssize_t n = utf8proc_iterate(p, -1, &cp);
		if (n <= 0)
			return n < 0; /* invalid UTF-8 counts as bad */
		if (cp == 0)
			return 0;
		if (utf8proc_category(cp) == UTF8PROC_CATEGORY_CC && !(cp < 128 && allow && strchr(allow, (int)cp)))
			return 1;
		p += n;
	}
}

int validate_has_control(const char *s, const char *allow)
{
	return has_control(s, allow);
}

char *validate_trim(struct arena *a, const char *s)
{
	/* NFC first: "Mäkinen" typed on a system that sends decomposed letters is the same name,
	 * tag or search as the composed one (invalid UTF-8 is left for the validators to refuse) */
	utf8proc_uint8_t *nfc = validate_utf8_ok(s) ? utf8proc_NFC((const utf8proc_uint8_t *)s) : NULL;
	const char *p = nfc ? (const char *)nfc : s, *end = p + strlen(p);
	const utf8proc_uint8_t *q = (const utf8proc_uint8_t *)p;
	utf8proc_int32_t cp;
	const char *first = end, *last = p; /* the first non-blank byte, the end of the last one */
	for (;;) {
		utf8proc_ssize_t n = utf8proc_iterate(q, end - (const char *)q, &cp);
		if (n <= 0) {
			if (n < 0) { /* not UTF-8: fall back to ASCII white space */
				first = p;
				last = end;
				while (first < last && isspace((unsigned char)*first))
					first++;
				while (last > first && isspace((unsigned char)last[-1]))
					last--;
			}
			break;
		}
		if (!blank_cp(cp)) {
			if (first == end)
				first = (const char *)q;
			last = (const char *)q + n;
		}
		q += n;
	}
	char *out = first < last ? arena_strndup(a, first, (size_t)(last - first)) : arena_strndup(a, "", 0);
	free(nfc);
	return out;
}

/* s (valid UTF-8, trimmed) with each run of space separators inside it (U+0020, no-break and
 * other Zs spaces) made one space, in a: "Maija  Virtanen" is "Maija Virtanen", and the tag
 * "vip  asiakas" is "vip asiakas". Control characters are left for the callers to refuse. */
char *validate_squeeze(struct arena *a, const char *s)
{
	size_t len = strlen(s), o = 0;
	char *out = arena_alloc(a, len + 1);
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	int in_space = 0;
	while (*p) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t n = utf8proc_iterate(p, -1, &cp);
		if (n <= 0) { /* not UTF-8: as it is */
			memcpy(out, s, len + 1);
			return out;
		}
		if (utf8proc_category(cp) == UTF8PROC_CATEGORY_ZS) {
			if (!in_space)
				out[o++] = ' ';
			in_space = 1;
		} else {
			memcpy(out + o, p, (size_t)n);
			o += (size_t)n;
			in_space = 0;
		}
		p += n;
	}
	out[o] = '\0';
	return out;
}

char *validate_lower(struct arena *a, const char *s)
{
	size_t len = strlen(s);
	/* lower-casing never needs more than 4 bytes per code point, and no code point grows
	 * by more than 1 byte in practice; 2x plus slack is safe (utf8proc_encode_char <= 4) */
	char *out = arena_alloc(a, len * 2 + 5);
	size_t o = 0;
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	utf8proc_int32_t cp;
	while (*p) {
		utf8proc_ssize_t n = utf8proc_iterate(p, -1, &cp);
		if (n <= 0) { /* not UTF-8: copy the byte through */
			out[o++] = (char)*p++;
			continue;
		}
		utf8proc_int32_t lc = utf8proc_tolower(cp);
		utf8proc_uint8_t tmp[4];
		utf8proc_ssize_t m = utf8proc_encode_char(lc, tmp);
		if (o + (size_t)m > len * 2 + 4)
			break;
		memcpy(out + o, tmp, (size_t)m);
		o += (size_t)m;
		p += n;
	}
	out[o] = '\0';
	return out;
}

int validate_one_of(const char *s, const char *const *allowed)
{
	if (!s)
		return 0;
	for (; *allowed; allowed++)
		if (strcmp(s, *allowed) == 0)
			return 1;
	return 0;
}

/* ---- e-mail ----------------------------------------------------------------------------- */

static int email_local_ok(const char *s, size_t n)
{
	static const char special[] = "!#$%&'*+-/=?^_`{|}~.";
	if (n == 0 || n > 64 || s[0] == '.' || s[n - 1] == '.')
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch >= 0x80 || isalnum(ch))
			continue;
		if (!strchr(special, ch))
			return 0;
		if (ch == '.' && s[i + 1] == '.')
			return 0;
	}
	return 1;
}

static int email_domain_ok(const char *s, size_t n)
{
	if (n == 0 || n > 253 || !memchr(s, '.', n))
		return 0;
	size_t label = 0;
	for (size_t i = 0; i <= n; i++) {
		unsigned char ch = i < n ? (unsigned char)s[i] : '.';
		if (ch == '.') {
			if (label == 0 || label > 63 || s[i - 1] == '-')
				return 0;
			label = 0;
			continue;
		}
		if (!(ch >= 0x80 || isalnum(ch) || ch == '-'))
			return 0;
		if (label == 0 && ch == '-')
			return 0;
		label++;
	}
	/* the top-level label is not all digits (that would be an IP address), nor one ASCII
	 * letter (no such top-level domain exists: "x@y.z" is a typo or a placeholder) */
	const char *tld = strrchr(s, '.') + 1;
	if (s + n - tld == 1)
		return 0;
	for (const char *p = tld; *p; p++)
		if (!isdigit((unsigned char)*p))
			return 1;
	return 0;
}

/* Domain dom with each "xn--" label decoded into its letters (UTF-8, NFC) in a: "yhtiö.fi" and
 * "xn--yhti-8qa.fi" are one domain. NULL when a "xn--" label is not valid Punycode. */
static const char *email_domain_letters(struct arena *a, const char *dom)
{
	struct buf b = BUF_INIT(1024);
	const char *p = dom;
	for (;;) {
		const char *dot = strchr(p, '.');
		size_t n = dot ? (size_t)(dot - p) : strlen(p);
		if (n > 4 && strncasecmp(p, "xn--", 4) == 0) {
			uint32_t cps[PUNYCODE_MAX_OUT];
			size_t ncp;
			if (punycode_decode(p + 4, n - 4, cps, PUNYCODE_MAX_OUT, &ncp) != 0 || ncp == 0) {
				buf_release(&b);
				return NULL;
			}
			/* a label that decodes to plain ASCII, or to ASCII other than a domain's letters,
			 * digits and '-', or to another "xn--" label, is no international name (RFC 5891
			 * 4.2.3): read in letters it would be another address than the one stored */
			int intl = 0;
			for (size_t i = 0; i < ncp; i++)
				intl |= cps[i] >= 0x80;
			int again = ncp >= 4 && (cps[0] | 0x20) == 'x' && (cps[1] | 0x20) == 'n' && cps[2] == '-' &&
			            cps[3] == '-';
			if (!intl || again) {
				buf_release(&b);
				return NULL;
			}
			for (size_t i = 0; i < ncp; i++) {
				if ((cps[i] >= 0x80 && cps[i] < 0xA0) || /* C1 controls are no letters */
				    (cps[i] < 0x80 && !isalnum((int)cps[i]) && cps[i] != '-')) {
					buf_release(&b);
					return NULL;
				}
				utf8proc_uint8_t u[4];
				utf8proc_ssize_t m = utf8proc_encode_char((utf8proc_int32_t)cps[i], u);
				buf_add(&b, u, (size_t)m);
			}
		} else {
			buf_add(&b, p, n);
		}
		if (!dot)
			break;
		buf_addc(&b, '.');
		p = dot + 1;
	}
	buf_addc(&b, '\0');
	utf8proc_uint8_t *nfc = b.ptr ? utf8proc_NFC((const utf8proc_uint8_t *)b.ptr) : NULL;
	buf_release(&b);
	if (!nfc)
		return NULL;
	const char *r = arena_strdup(a, (const char *)nfc);
	free(nfc);
	return r;
}

const char *validate_idn_letters(struct arena *a, const char *s)
{
	if (!strstr(s, "xn--") && !strstr(s, "XN--") && !strstr(s, "Xn--") && !strstr(s, "xN--"))
		return s;
	struct buf b = BUF_INIT(64 * 1024);
	for (const char *p = s; *p;) {
		/* a label: letters, digits and hyphens, at the start or after '.', '@' or a space */
		int starts = p == s || p[-1] == '.' || p[-1] == '@' || p[-1] == ' ';
		size_t n = 0;
		while (isalnum((unsigned char)p[n]) || p[n] == '-')
			n++;
		uint32_t cps[PUNYCODE_MAX_OUT];
		size_t ncp = 0;
		if (starts && n > 4 && strncasecmp(p, "xn--", 4) == 0 &&
		    punycode_decode(p + 4, n - 4, cps, PUNYCODE_MAX_OUT, &ncp) == 0 && ncp > 0) {
			for (size_t i = 0; i < ncp; i++) {
				utf8proc_uint8_t u[4];
				buf_add(&b, u, (size_t)utf8proc_encode_char((utf8proc_int32_t)cps[i], u));
			}
		} else {
			buf_add(&b, p, n ? n : 1);
		}
		p += n ? n : 1;
	}
	buf_addc(&b, '\0');
	const char *r = b.ptr ? arena_strdup(a, b.ptr) : s;
	buf_release(&b);
	return r;
}

int validate_email(struct arena *a, const char *field, const char *in, const char **out, struct kp_err *err)
{
	char *s = validate_trim(a, in);
	size_t len = strlen(s);
	if (len == 0)
		return kp_err_field(err, field, "must not be empty");
	if (len > VALIDATE_EMAIL_MAX)
		return kp_err_field(err, field, "must be at most %d bytes", VALIDATE_EMAIL_MAX);
	char *at = strrchr(s, '@');
	if (!at || !email_local_ok(s, (size_t)(at - s)) || !email_domain_ok(at + 1, strlen(at + 1)))
		return kp_err_field(err, field, "is not a valid e-mail address (local@domain.tld)");
	/* an international domain in its ASCII spelling is the same domain in letters */
	const char *letters = email_domain_letters(a, at + 1);
	if (!letters || !email_domain_ok(letters, strlen(letters)))
		return kp_err_field(err, field, "has an international domain (xn--) that does not decode");
	s = arena_printf(a, "%.*s@%s", (int)(at - s), s, letters);
	/* (the limit holds after lower-casing too: some letters grow, "Ⱥ" 2 bytes, "ⱥ" 3) */
	const char *low = validate_lower(a, s);
	if (strlen(low) > VALIDATE_EMAIL_MAX)
		return kp_err_field(err, field, "must be at most %d bytes", VALIDATE_EMAIL_MAX);
	*out = low;
	return 0;
}

const char *validate_email_as_typed(struct arena *a, const char *in)
{
	struct kp_err err = KP_ERR_INIT;
	const char *norm;
	if (validate_email(a, "email", in, &norm, &err) != 0)
		return NULL;
	return validate_lower(a, validate_trim(a, in));
}

/* ---- phone ------------------------------------------------------------------------------ */

int validate_phone(struct arena *a, const char *field, const char *in, const char **out, struct kp_err *err)
{
	char digits[32];
	size_t nd = 0;
	int plus = 0;
	const char *p = in;
	while (*p && isspace((unsigned char)*p))
		p++;
	if (*p == '+') {
		plus = 1;
		p++;
	}
	/* "+44 (0)20 7946 0111": the bracketed 0 is the trunk prefix dialled at home, never part
	 * of the international number (kept, it made +4402079460111, a number that does not exist) */
	int intl = plus || (p[0] == '0' && p[1] == '0');
	int drop_zero = 0;
	for (; *p; p++) {
		unsigned char ch = (unsigned char)*p;
		/* "+44 ( 0 ) 20 ...": a bracket after the country code that holds only a 0 is that
		 * trunk prefix too. Not "(06)" of "+39 (06) ...": Italian numbers keep their 0 after
		 * the country code (a Finnish "+358 (09)" loses it below, by the Finnish rule) */
		if (intl && nd > 0 && ch == '(') {
			const char *q = p + 1;
			while (*q == ' ')
				q++;
			int zero = *q == '0';
			if (zero)
				q++;
			while (*q == ' ')
				q++;
			drop_zero = zero && *q == ')';
			continue;
		}
		if (drop_zero && ch == '0') {
			drop_zero = 0;
			continue;
		}
		if (ch != ' ')
			drop_zero = 0;
		if (isdigit(ch)) {
			if (nd + 1 >= sizeof digits)
				return kp_err_field(err, field, "has too many digits (E.164 allows 15)");
			digits[nd++] = (char)ch;
		} else if (ch == ' ' || ch == '-' || ch == '.' || ch == '/' || ch == '(' || ch == ')' || ch == '\t') {
			continue;
		} else {
			return kp_err_field(
			    err, field,
			    "may contain only digits, spaces, '-', '.', '/', '(', ')' and a leading '+' (no "
			    "extension)");
		}
	}
	digits[nd] = '\0';
	const char *d = digits;
	const char *cc = "";
	if (!plus) {
		if (nd >= 2 && d[0] == '0' && d[1] == '0') {
			d += 2; /* 00 international prefix */
		} else if (nd >= 1 && d[0] == '0') {
			cc = "358"; /* Finnish national number: drop the trunk 0 */
			d += 1;
		} else {
			return kp_err_field(err, field,
			                    "must start with '+<country code>' or, for a Finnish number, '0'");
		}
	}
	/* "+358 040 ..." is a common mistake: the trunk 0 does not belong after +358. A Finnish
	 * national significant number never starts with 0, so drop every such zero: the normal
	 * form must normalise to itself (found by tests/fuzz/fuzz_fields.c). */
	char full[40];
	int fl = snprintf(full, sizeof full, "%s%s", cc, d);
	if (fl < 0 || (size_t)fl >= sizeof full)
		return kp_err_field(err, field, "has too many digits (E.164 allows 15)");
	while (strncmp(full, "3580", 4) == 0)
		memmove(full + 3, full + 4, strlen(full + 4) + 1);
	size_t n = strlen(full);
	if (n < 7 || n > 15 || full[0] == '0')
		return kp_err_field(err, field, "must have 7 to 15 digits with the country code (E.164)");
	*out = arena_printf(a, "+%s", full);
	return 0;
}

/* ---- Y-tunnus --------------------------------------------------------------------------- */

int validate_business_id_ok(const char *s)
{
	static const int w[7] = {7, 9, 10, 5, 8, 4, 2};
	if (!s || strlen(s) != 9 || s[7] != '-')
		return 0;
	int sum = 0;
	for (int i = 0; i < 7; i++) {
		if (!isdigit((unsigned char)s[i]))
			return 0;
		sum += (s[i] - '0') * w[i];
	}
	if (!isdigit((unsigned char)s[8]))
		return 0;
	int r = sum % 11;
	if (r == 1)
		return 0;
	int check = r == 0 ? 0 : 11 - r;
	return check == s[8] - '0';
}

int validate_business_id(struct arena *a, const char *field, const char *in, const char **out, struct kp_err *err)
{
	/* The forms people type: "0112038-9", "01120389" (no dash), "112038-9" (a Y-tunnus from
	 * before 2001 printed with six digits: the register pads it with a leading zero), with
	 * spaces around or inside ("0112038 - 9"). Anything else is not a Y-tunnus at all, which
	 * is another error than a wrong check digit. */
	char d[9];
	size_t nd = 0, dash_at = 0;
	int dashes = 0;
	for (const char *p = in; *p; p++) {
		if (*p == ' ' || *p == '\t')
			continue;
		if (*p == '-' && !dashes && nd > 0) {
			dashes = 1;
			dash_at = nd;
			continue;
		}
		if (!isdigit((unsigned char)*p) || nd == sizeof d)
			return kp_err_field(err, field, "must be a Y-tunnus of the form 1234567-8");
		d[nd++] = *p;
	}
	int ok = dashes ? (dash_at == 7 || dash_at == 6) && nd == dash_at + 1 : nd == 8;
	if (!ok)
		return kp_err_field(err, field, "must be a Y-tunnus of the form 1234567-8");
	char norm[10];
	size_t pad = nd == 7; /* the six-digit form */
	norm[0] = '0';
	memcpy(norm + pad, d, nd - 1);
	norm[7] = '-';
	norm[8] = d[nd - 1];
	norm[9] = '\0';
	if (!validate_business_id_ok(norm))
		return kp_err_field(err, field, "has a wrong check digit");
	*out = arena_strdup(a, norm);
	return 0;
}

/* ---- address ---------------------------------------------------------------------------- */

int validate_country(struct arena *a, const char *field, const char *in, const char **out, struct kp_err *err)
{
	if (strlen(in) != 2 || !isalpha((unsigned char)in[0]) || !isalpha((unsigned char)in[1]))
		return kp_err_field(err, field, "must be an ISO 3166-1 alpha-2 country code");
	char up[3] = {(char)toupper((unsigned char)in[0]), (char)toupper((unsigned char)in[1]), 0};
	for (const char *p = iso3166;; p += 3) {
		if (p[0] == up[0] && p[1] == up[1]) {
			*out = arena_strdup(a, up);
			return 0;
		}
		if (!p[2])
			break;
	}
	return kp_err_field(err, field, "is not an ISO 3166-1 alpha-2 country code");
}

int validate_postal_code_ok(const char *country, const char *code)
{
	size_t n = strlen(code);
	if (country && strcmp(country, "FI") == 0) {
		if (n != 5)
			return 0;
		for (size_t i = 0; i < n; i++)
			if (!isdigit((unsigned char)code[i]))
				return 0;
		return 1;
	}
	if (n == 0 || n > 20)
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)code[i];
		if (!isalnum(ch) && ch != ' ' && ch != '-')
			return 0;
	}
	return 1;
}

int validate_address(struct arena *a, const char *field, json_t *obj, const char **out, struct kp_err *err)
{
	static const char *const keys[] = {"street", "postal_code", "city", "country", NULL};
	const char *val[4] = {NULL, NULL, NULL, NULL};
	int rc = 0;
	if (!json_is_object(obj))
		return kp_err_field(err, field, "must be an object {street, postal_code, city, country}");
	const char *k;
	json_t *v;
	json_object_foreach(obj, k, v)
	{
		int idx = -1;
		for (int i = 0; keys[i]; i++)
			if (strcmp(k, keys[i]) == 0)
				idx = i;
		char *fname = arena_printf(a, "%s.%s", field, k);
		if (idx < 0) {
			rc = kp_err_field(err, fname, "is not a known field");
			continue;
		}
		if (json_is_null(v))
			continue;
		if (!json_is_string(v)) {
			rc = kp_err_field(err, fname, "must be a string");
			continue;
		}
		char *t = validate_trim(a, json_string_value(v));
		if (validate_utf8_chars(t) > 200 || has_control(t, NULL)) {
			rc = kp_err_field(err, fname, "must be at most 200 characters without control characters");
			continue;
		}
		val[idx] = *t ? t : NULL;
	}
	if (rc)
		return rc;
	const char *country = "FI";
	if (val[3] && validate_country(a, arena_printf(a, "%s.country", field), val[3], &country, err))
		return KP_EVALIDATION;
	if (!val[0] && !val[1] && !val[2])
		return kp_err_field(err, field, "needs at least one of street, postal_code, city");
	if (val[1] && !validate_postal_code_ok(country, val[1]))
		return kp_err_field(err, arena_printf(a, "%s.postal_code", field),
		                    strcmp(country, "FI") == 0 ? "must be five digits in Finland"
		                                               : "must be 1..20 letters, digits, spaces or dashes");
	json_t *o = json_object();
	for (int i = 0; i < 3; i++)
		if (val[i])
			json_object_set_new(o, keys[i], json_string(val[i]));
	json_object_set_new(o, "country", json_string(country));
	char *dump = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (!dump)
		return kp_err_set(err, KP_ENOMEM, "out of memory");
	*out = arena_strdup(a, dump);
	free(dump);
	return 0;
}

/* ---- tags, names, text ------------------------------------------------------------------ */

int validate_tag(struct arena *a, const char *field, const char *in, const char **out, struct kp_err *err)
{
	char *t = validate_squeeze(a, validate_trim(a, in));
	size_t n = validate_utf8_chars(t);
	if (n == 0 || n > VALIDATE_TAG_MAX)
		return kp_err_field(err, field, "must be 1 to %d characters", VALIDATE_TAG_MAX);
	if (has_control(t, NULL) || has_bidi_control(t))
		return kp_err_field(err, field, "must not contain control characters");
	*out = validate_lower(a, t);
	return 0;
}

int validate_cmp_str(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

int validate_tags(struct arena *a, const char *field, json_t *arr, const char ***out, size_t *n, struct kp_err *err)
{
	if (!json_is_array(arr))
		return kp_err_field(err, field, "must be an array of strings");
	size_t cnt = json_array_size(arr);
	if (cnt > VALIDATE_TAGS_MAX)
		return kp_err_field(err, field, "must have at most %d tags", VALIDATE_TAGS_MAX);
	const char **tags = arena_calloc(a, (cnt + 1) * sizeof *tags);
	size_t k = 0;
	int rc = 0;
	for (size_t i = 0; i < cnt; i++) {
		json_t *v = json_array_get(arr, i);
		char *fname = arena_printf(a, "%s[%zu]", field, i);
		const char *t;
		if (!json_is_string(v)) {
			rc = kp_err_field(err, fname, "must be a string");
			continue;
		}
		if (validate_tag(a, fname, json_string_value(v), &t, err)) {
			rc = KP_EVALIDATION;
			continue;
		}
		int dup = 0;
		for (size_t j = 0; j < k; j++)
			if (strcmp(tags[j], t) == 0)
				dup = 1;
		if (!dup)
			tags[k++] = t;
	}
	if (rc)
		return rc;
	qsort(tags, k, sizeof *tags, validate_cmp_str);
	*out = tags;
	*n = k;
	return 0;
}

int validate_name(struct arena *a, const char *field, const char *in, const char **out, struct kp_err *err)
{
	char *t = validate_squeeze(a, validate_trim(a, in));
	size_t n = validate_utf8_chars(t);
	if (n == 0)
		return kp_err_field(err, field, "must not be empty");
	if (n > VALIDATE_NAME_MAX)
		return kp_err_field(err, field, "must be at most %d characters", VALIDATE_NAME_MAX);
	if (has_control(t, NULL) || has_bidi_control(t))
		return kp_err_field(err, field, "must not contain control characters");
	*out = t;
	return 0;
}

int validate_text(const char *field, const char *in, size_t max_bytes, size_t max_chars, int nonempty,
                  struct kp_err *err)
{
	if (!validate_utf8_ok(in)) /* JSON strings are; command-line arguments need not be */
		return kp_err_field(err, field, "is not valid UTF-8");
	size_t len = strlen(in);
	if (nonempty && len == 0)
		return kp_err_field(err, field, "must not be empty");
	if (max_bytes && len > max_bytes)
		return kp_err_field(err, field, "must be at most %zu bytes", max_bytes);
	if (max_chars && validate_utf8_chars(in) > max_chars)
		return kp_err_field(err, field, "must be at most %zu characters", max_chars);
	if (has_control(in, "\t\r\n"))
		return kp_err_field(err, field, "must not contain control characters");
	return 0;
}

/* ---- ids, times, dates, keys ------------------------------------------------------------ */

int validate_id(const char *field, json_t *v, int64_t *out, struct kp_err *err)
{
	if (!json_is_integer(v))
		return kp_err_field(err, field, "must be an integer id");
	json_int_t i = json_integer_value(v);
	if (i <= 0 || i > VALIDATE_ID_MAX)
		return kp_err_field(err, field, "must be between 1 and 2^53");
	*out = (int64_t)i;
	return 0;
}

int validate_time(const char *field, json_t *v, int64_t *ms, struct kp_err *err)
{
	if (!json_is_string(v))
		return kp_err_field(err, field, "must be an RFC 3339 time string");
	const char *s = json_string_value(v);
	if (strlen(s) <= 10 || time_parse(s, ms)) {
		/* a well-formed time before the calendar's range says so, not that it is malformed */
		int ok4 = isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1]) &&
		          isdigit((unsigned char)s[2]) && isdigit((unsigned char)s[3]) && s[4] == '-';
		if (ok4 && atoi(s) < 1900)
			return kp_err_field(err, field, "is before 1900: times from 1900-01-01T00:00:00Z on are taken");
		return kp_err_field(err, field, "must be an RFC 3339 time such as 2026-01-02T03:04:05Z");
	}
	/* years 1900 to 9999 in UTC: an offset must not carry a time past either end (stored, it
	 * would be a time no backup check takes) */
	if (*ms < VALIDATE_TIME_MIN_MS)
		return kp_err_field(err, field, "is before 1900: times from 1900-01-01T00:00:00Z on are taken");
	if (*ms > VALIDATE_TIME_MAX_MS)
		return kp_err_field(err, field, "is after 9999: times up to 9999-12-31T23:59:59Z are taken");
	return 0;
}

int validate_date_ok(const char *s)
{
	int y, m, d;
	return s && strlen(s) == 10 && time_parse_date(s, &y, &m, &d) == 0;
}

int validate_field_key_ok(const char *s)
{
	size_t n = strlen(s);
	if (n < 1 || n > 63 || s[0] < 'a' || s[0] > 'z')
		return 0;
	for (size_t i = 1; i < n; i++) {
		char ch = s[i];
		if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_'))
			return 0;
	}
	return 1;
}

/* ---- JSON helpers ----------------------------------------------------------------------- */

int validate_known_keys(json_t *obj, const char *const *keys, struct kp_err *err)
{
	int rc = 0;
	const char *k;
	json_t *v;
	json_object_foreach(obj, k, v)
	{
		if (!validate_one_of(k, keys))
			rc = kp_err_field(err, k, "is not a known field");
	}
	return rc;
}

int validate_get_str(json_t *obj, const char *key, const char **out, int *is_null, struct kp_err *err)
{
	json_t *v = json_object_get(obj, key);
	*out = NULL;
	if (is_null)
		*is_null = v && json_is_null(v);
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return kp_err_field(err, key, "must be a string");
	*out = json_string_value(v);
	return 0;
}

json_t *validate_time_json(int64_t ms)
{
	char t[40];
	if (!ms)
		return json_null();
	time_format_ms(ms, t, sizeof t);
	return json_string(t);
}

json_t *validate_id_json(int64_t id)
{
	return id ? json_integer((json_int_t)id) : json_null();
}

json_t *validate_str_json(const char *s)
{
	return s ? json_string(s) : json_null();
}

json_t *validate_parse_json(const char *text, int object)
{
	json_t *j = text ? json_loads(text, JSON_DECODE_ANY, NULL) : NULL;
	if (!j || (object && !json_is_object(j))) {
		json_decref(j);
		j = object ? json_object() : json_null();
	}
	return j;
}

json_t *validate_diff(json_t *old, json_t *cur)
{
	json_t *d = json_object();
	const char *k;
	json_t *v;
	json_object_foreach(cur, k, v)
	{
		json_t *o = old ? json_object_get(old, k) : NULL;
		if (!o)
			o = json_null();
		if (!json_equal(o, v))
			json_object_set_new(d, k, json_pack("[OO]", o, v));
	}
	if (old) {
		json_object_foreach(old, k, v)
		{
			if (!json_object_get(cur, k) && !json_is_null(v))
				json_object_set_new(d, k, json_pack("[On]", v));
		}
	}
	return d;
}

json_t *validate_audit_view(json_t *j)
{
	json_object_del(j, "id");
	json_object_del(j, "version");
	json_object_del(j, "created_at");
	json_object_del(j, "updated_at");
	return j;
}

int validate_apply_name(json_t *body, int creating, struct arena *a, const char **name, struct kp_err *err)
{
	json_t *v = json_object_get(body, "name");
	const char *norm;
	if (!v)
		return creating ? kp_err_field(err, "name", "is required") : 0;
	if (!json_is_string(v))
		return kp_err_field(err, "name", json_is_null(v) ? "is required" : "must be a string");
	if (validate_name(a, "name", json_string_value(v), &norm, err))
		return KP_EVALIDATION;
	*name = norm;
	return 0;
}

int validate_apply_tags(json_t *body, struct arena *a, const char ***tags, size_t *ntags, struct kp_err *err)
{
	json_t *v = json_object_get(body, "tags");
	const char **t;
	size_t n;
	if (!v)
		return 0;
	if (json_is_null(v)) {
		*tags = NULL;
		*ntags = 0;
		return 0;
	}
	if (validate_tags(a, "tags", v, &t, &n, err))
		return KP_EVALIDATION;
	*tags = t;
	*ntags = n;
	return 0;
}

int validate_apply_custom(json_t *body, json_t **patch, struct kp_err *err)
{
	json_t *v = json_object_get(body, "custom");
	if (v && !json_is_object(v) && !json_is_null(v))
		return kp_err_field(err, "custom", "must be an object of custom field values");
	if (v)
		*patch = v; /* null: remove every value (field_merge_custom()) */
	return 0;
}

int validate_etags_has(const struct validate_etags *e, int64_t version)
{
	if (!e->present)
		return 0;
	if (e->any)
		return 1;
	for (size_t i = 0; i < e->n && i < VALIDATE_ETAGS_MAX; i++)
		if (e->v[i] == version)
			return 1;
	return 0;
}

int validate_precond_check(const char *noun, int64_t id, int64_t version, const struct validate_precond *pre,
                           struct kp_err *err)
{
	if (!pre)
		return 0;
	/* If-Match first, then If-None-Match (RFC 9110 13.2.2) */
	if (pre->if_match.present && !validate_etags_has(&pre->if_match, version))
		return kp_err_set(err, KP_EPRECONDITION, "%s %lld: If-Match does not match its current ETag \"%lld\"", noun,
		                  (long long)id, (long long)version);
	if (validate_etags_has(&pre->if_none_match, version))
		return kp_err_set(err, KP_EPRECONDITION, "%s %lld: If-None-Match matches its current ETag \"%lld\"",
		                  noun, (long long)id, (long long)version);
	return 0;
}
