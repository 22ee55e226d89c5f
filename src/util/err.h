/*
 * err: errors are values. A function that can fail returns an int status (0 = KP_OK, else
 * a negative enum kp_status) and fills a struct kp_err the caller passed in with a message
 * and, for validation failures, per-field messages. api/problem.c maps a status to an HTTP
 * problem response (RFC 9457); only cli/ maps a status to an exit code.
 *
 *     if (!name) return kp_err_field(err, "name", "is required");
 *     if (rc != SQLITE_OK) return kp_err_set(err, KP_ESTORE, "insert customer: %s", msg);
 */
#ifndef KP_UTIL_ERR_H
#define KP_UTIL_ERR_H

enum kp_status {
	KP_OK = 0,
	KP_EINVAL = -1,        /* malformed request (400) */
	KP_EVALIDATION = -2,   /* well-formed but invalid fields (422) */
	KP_EUNAUTH = -3,       /* not signed in (401) */
	KP_EFORBIDDEN = -4,    /* signed in, not allowed (403) */
	KP_ENOTFOUND = -5,     /* 404 */
	KP_EMETHOD = -6,       /* 405 */
	KP_ECONFLICT = -7,     /* unique key or state conflict (409) */
	KP_EPRECONDITION = -8, /* If-Match did not match, or If-None-Match did (412) */
	KP_ETOOLARGE = -9,     /* body or field over a limit (413) */
	KP_EMEDIA = -10,       /* unsupported media type (415) */
	KP_ERATE = -11,        /* rate limited (429) */
	KP_ENOMEM = -12,       /* out of memory (500) */
	KP_ESTORE = -13,       /* the database failed (500) */
	KP_EUNAVAILABLE = -14, /* store unreachable or shutting down (503) */
	KP_EINTERNAL = -15,    /* a bug (500) */
};

#define KP_ERR_MSG_MAX 256
#define KP_ERR_FIELDS_MAX 16

struct kp_field_err {
	char field[80]; /* room for "custom[KEY]" and "custom.KEY" with a key of 63 bytes */
	char msg[256];  /* room for an enumeration of allowed values (GET /audit?entity=) */
};

struct kp_err {
	int status; /* enum kp_status */
	char msg[KP_ERR_MSG_MAX];
	int nfields;
	struct kp_field_err fields[KP_ERR_FIELDS_MAX];
};

#define KP_ERR_INIT { 0, "", 0, { { "", "" } } }

void kp_err_init(struct kp_err *err);
/* Set status and message; returns status so `return kp_err_set(...)` reads naturally.
 * err may be NULL (the status is still returned). */
int kp_err_set(struct kp_err *err, int status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Add a field-level validation message; sets status KP_EVALIDATION (unless a status is
 * already set) and returns KP_EVALIDATION. Extra fields past KP_ERR_FIELDS_MAX are dropped. */
int kp_err_field(struct kp_err *err, const char *field, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* A short stable name for a status ("not_found"), used as the problem type suffix. */
const char *kp_status_name(int status);

#endif
