/*
 * validate: the field rules of the customer record - e-mail, phone, address, Y-tunnus,
 * tags, names, free text, ids, RFC 3339 times - as small pure functions the domain and
 * the unit tests share. No I/O.
 *
 * Each validator takes the field name used in error messages ("emails[1]", "name"), the
 * input, an arena for the normalised output and a struct kp_err. It returns 0 and sets
 * *out (allocated from the arena, or pointing into the input when nothing changed), or
 * returns KP_EVALIDATION after adding a field error with kp_err_field(). Inputs must be
 * valid UTF-8 (jansson guarantees that for parsed JSON).
 *
 *     const char *email;
 *     if (validate_email(a, "emails[0]", "Maija@Example.FI", &email, err) == 0)
 *             ... email is "maija@example.fi"
 */
#ifndef KP_DOMAIN_VALIDATE_H
#define KP_DOMAIN_VALIDATE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"
#include "util/err.h"

#define VALIDATE_NAME_MAX    200         /* characters */
#define VALIDATE_TAG_MAX     50          /* characters */
#define VALIDATE_TAGS_MAX    50          /* tags per record */
#define VALIDATE_EMAIL_MAX   254         /* bytes */
#define VALIDATE_BODY_MAX    (64 * 1024) /* bytes: notes and interaction bodies */
#define VALIDATE_SUMMARY_MAX 500         /* characters */
#define VALIDATE_ID_MAX      ((int64_t)1 << 53)
#define VALIDATE_TIME_MIN_MS (-2208988800000LL) /* 1900-01-01T00:00:00Z, in ms since the epoch */
#define VALIDATE_TIME_MAX_MS 253402300799999LL  /* 9999-12-31T23:59:59.999Z */

/* s with each "xn--" label (at the start, or after '.', '@' or a space) that is valid Punycode
 * written in its letters (in a; s itself when it has none): a search for
 * "liisa@xn--yhti-8qa.fi" is one for "liisa@yhtiö.fi", as the address is stored. */
const char *validate_idn_letters(struct arena *a, const char *s);
/* local@domain, at most 254 bytes, a dot in the domain; trimmed and lower-cased; an "xn--"
 * label of the domain in its letters. */
int validate_email(struct arena *a, const char *field, const char *in, const char **out, struct kp_err *err);
/* A valid e-mail address spelt as typed: trimmed and lower-cased, an "xn--" domain left in
 * that spelling, as versions before such domains were read as letters stored it (in a; for
 * finding a record so stored). NULL when in is no valid address (validate_email). */
const char *validate_email_as_typed(struct arena *a, const char *in);
/* E.164 "+<7..15 digits>". Finnish national numbers ("040 123 4567") become "+358...";
 * spaces, dashes, dots, slashes and parentheses are dropped; "00" prefix means "+". */
int validate_phone(struct arena *a, const char *field, const char *in, const char **out, struct kp_err *err);
/* Finnish business id (Y-tunnus) with its mod-11 check digit; *out is its normal form
 * "1234567-8" (from "12345678", the old six-digit "123456-7", spaces anywhere), in a. */
int validate_business_id(struct arena *a, const char *field, const char *in, const char **out, struct kp_err *err);
/* Is this a valid Y-tunnus? 1 or 0 (for tests and the demo generator). */
int validate_business_id_ok(const char *in);
/* ISO 3166-1 alpha-2 code (case-insensitive in); *out is the upper-case code. */
int validate_country(struct arena *a, const char *field, const char *in, const char **out, struct kp_err *err);
/* Postal code for a country: five digits for FI, else 1..20 of [A-Za-z0-9 -]. 1 or 0. */
int validate_postal_code_ok(const char *country, const char *code);
/* An address object {street, postal_code, city, country (default "FI")}; unknown keys are
 * field errors. *out is compact JSON text with the keys in that order (absent ones left out,
 * country always present). */
int validate_address(struct arena *a, const char *field, json_t *obj, const char **out, struct kp_err *err);
/* One tag: trimmed, lower-cased, 1..50 characters, no control characters. */
int validate_tag(struct arena *a, const char *field, const char *in, const char **out, struct kp_err *err);
/* A JSON array of tags: each validated, duplicates dropped, at most 50, in byte order (the
 * order the stores list them in, so an answer shows the tags as a later read does and a
 * reordered list is no change). *out is an arena array of *n strings. */
/* qsort() comparison of two const char * (byte order). */
int validate_cmp_str(const void *x, const void *y);
int validate_tags(struct arena *a, const char *field, json_t *arr, const char ***out, size_t *n, struct kp_err *err);
/* A name: trimmed, 1..200 characters, no control characters. */
int validate_name(struct arena *a, const char *field, const char *in, const char **out, struct kp_err *err);
/* Free text of at most max_bytes bytes (0 = no byte cap) and max_chars characters (0 = no
 * character cap); control characters other than tab, CR and LF are rejected. Not trimmed;
 * empty text is allowed unless nonempty is set. */
int validate_text(const char *field, const char *in, size_t max_bytes, size_t max_chars, int nonempty,
                  struct kp_err *err);
/* A JSON value that must be an id: an integer 1..2^53. */
int validate_id(const char *field, json_t *v, int64_t *out, struct kp_err *err);
/* A JSON string that must be an RFC 3339 time; *ms the instant. */
int validate_time(const char *field, json_t *v, int64_t *ms, struct kp_err *err);
/* A strict calendar date "YYYY-MM-DD". 1 or 0. */
int validate_date_ok(const char *s);
/* Custom field key: ^[a-z][a-z0-9_]{0,62}$. 1 or 0. */
int validate_field_key_ok(const char *s);
/* Does UTF-8 s hold a control character (Unicode category Cc: U+0001-U+001F, U+007F-U+009F)
 * other than the ASCII ones in allow (NULL: none)? 1 or 0 (1 for invalid UTF-8). */
int validate_has_control(const char *s, const char *allow);
/* Is s one of the NULL-terminated list? 1 or 0. */
int validate_one_of(const char *s, const char *const *allowed);
/* Is s nothing but white space (any Unicode space, tab, line breaks, zero-width spaces) or
 * empty? 1 or 0 (0 for invalid UTF-8 too). */
int validate_blank(const char *s);
/* Is NUL-terminated s valid UTF-8 (no overlongs, surrogates or values past U+10FFFF)? 1 or 0. */
int validate_utf8_ok(const char *s);
/* Number of Unicode code points in valid UTF-8 s. */
size_t validate_utf8_chars(const char *s);
/* Copy of s in Unicode NFC with leading and trailing white space removed: any Unicode space,
 * line breaks and invisible spaces (U+200B-U+200D, U+2060, U+FEFF), as validate_blank() counts
 * them (arena). Names, tags, e-mails and search queries go through it, so composed and
 * decomposed spellings of one name are one. */
char *validate_trim(struct arena *a, const char *s);
/* s (valid UTF-8, already trimmed) with each run of space separators inside it (U+0020,
 * no-break and other Zs spaces) made one space, in a. Names, tags and choices read so. */
char *validate_squeeze(struct arena *a, const char *s);
/* Copy of s lower-cased code point by code point (arena). */
char *validate_lower(struct arena *a, const char *s);

/* ---- JSON helpers shared by the record modules --------------------------------------- */
/* Add a field error "is not a known field" for every key of obj not in the NULL-terminated
 * list; KP_EVALIDATION if any, else 0. */
int validate_known_keys(json_t *obj, const char *const *keys, struct kp_err *err);
/* A string member: 0 with *out = NULL when absent or null (*is_null set for null), the
 * string when present, a field error when it has another type. is_null may be NULL. */
int validate_get_str(json_t *obj, const char *key, const char **out, int *is_null, struct kp_err *err);
/* RFC 3339 string of ms (new reference). */
json_t *validate_time_json(int64_t ms);
/* An id, or JSON null for 0 (new reference). */
json_t *validate_id_json(int64_t id);
/* A string or JSON null for NULL (new reference). */
json_t *validate_str_json(const char *s);
/* Parse stored JSON text (NULL -> fallback "{}" or "null"); new reference, never NULL. */
json_t *validate_parse_json(const char *text, int object);
/* What changed between two views of a record: {"key": [old, new]} for every key whose
 * value differs (a missing key counts as null). old may be NULL (a create). New reference. */
json_t *validate_diff(json_t *old, json_t *cur);
/* The audit view of a record's JSON form j: j without the members every record has and
 * every write changes (id, version, created_at, updated_at). Returns j (the same reference). */
json_t *validate_audit_view(json_t *j);

/* Members that customers and organisations parse alike from a create or patch body. Each
 * returns 0 or KP_EVALIDATION with a field error in err, and writes its outputs only when
 * the member is present and valid, so a patch keeps what it does not name. */
/* "name": required on a create (creating = 1); null is "is required"; normalised into *name. */
int validate_apply_name(json_t *body, int creating, struct arena *a, const char **name, struct kp_err *err);
/* "tags": null empties them (*tags = NULL, *ntags = 0); an array is normalised. */
int validate_apply_tags(json_t *body, struct arena *a, const char ***tags, size_t *ntags, struct kp_err *err);
/* "custom": an object or null is returned in *patch (borrowed from body), for the field
 * rules to merge (null removes every value); absent leaves *patch alone. */
int validate_apply_custom(json_t *body, json_t **patch, struct kp_err *err);

/* The versions an If-Match or If-None-Match field names, as api/ parsed them (api_precond())
 * for the domain to compare, on the writer, with the version of the record it just read
 * (a record's ETag is its version, quoted: "5"). A list has at most VALIDATE_ETAGS_MAX
 * distinct versions (a longer one is refused by api/ with 400: none is dropped). Which tags
 * count is api/'s to decide (If-Match compares strongly, so a weak W/"5" is left out;
 * If-None-Match weakly); a tag that is malformed or no version of ours names nothing.
 * Zeroed: the field is absent. */
#define VALIDATE_ETAGS_MAX 32
struct validate_etags {
	int present; /* the field was sent (an empty or all-malformed list is present, naming none) */
	int any;     /* the field was "*": it names whatever version the record has */
	size_t n;    /* distinct versions in v[0..n), each > 0, in no order */
	int64_t v[VALIDATE_ETAGS_MAX];
};

/* The preconditions of a write on one versioned record (RFC 9110 13.1.1, 13.1.2). Zeroed
 * (or a NULL pointer where one is taken): no precondition. */
struct validate_precond {
	struct validate_etags if_match;
	struct validate_etags if_none_match;
};

/* Does the list e name version (an existing record's)? 0 for an absent list. */
int validate_etags_has(const struct validate_etags *e, int64_t version);

/* A write's preconditions (pre may be NULL: none) against the version of the row it read,
 * an existing record (a missing one is the caller's 404, whatever the preconditions):
 * 0 when If-Match is absent or names version ("*" does) and If-None-Match is absent or
 * names neither version nor "*"; else KP_EPRECONDITION with err set to
 * "<noun> <id>: If-Match does not match its current ETag \"<version>\"" or
 * "<noun> <id>: If-None-Match matches its current ETag \"<version>\"". */
int validate_precond_check(const char *noun, int64_t id, int64_t version, const struct validate_precond *pre,
                           struct kp_err *err);

#endif
