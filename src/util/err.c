#include "util/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void kp_err_init(struct kp_err *err)
{
	memset(err, 0, sizeof(*err));
}

int kp_err_set(struct kp_err *err, int status, const char *fmt, ...)
{
	if (!err)
		return status;
	err->status = status;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return status;
}

int kp_err_field(struct kp_err *err, const char *field, const char *fmt, ...)
{
	if (!err)
		return KP_EVALIDATION;
	if (err->status == KP_OK) {
		err->status = KP_EVALIDATION;
		snprintf(err->msg, sizeof(err->msg), "the request has invalid fields");
	}
	if (err->nfields < KP_ERR_FIELDS_MAX) {
		struct kp_field_err *f = &err->fields[err->nfields++];
		snprintf(f->field, sizeof(f->field), "%s", field);
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(f->msg, sizeof(f->msg), fmt, ap);
		va_end(ap);
	}
	return KP_EVALIDATION;
}

const char *kp_status_name(int status)
{
	switch (status) {
	case KP_OK: return "ok";
	case KP_EINVAL: return "bad-request";
	case KP_EVALIDATION: return "validation";
	case KP_EUNAUTH: return "unauthorized";
	case KP_EFORBIDDEN: return "forbidden";
	case KP_ENOTFOUND: return "not-found";
	case KP_EMETHOD: return "method-not-allowed";
	case KP_ECONFLICT: return "conflict";
	case KP_EPRECONDITION: return "precondition-failed";
	case KP_ETOOLARGE: return "too-large";
	case KP_EMEDIA: return "unsupported-media-type";
	case KP_ERATE: return "rate-limited";
	case KP_ENOMEM: return "out-of-memory";
	case KP_ESTORE: return "store";
	case KP_EUNAVAILABLE: return "unavailable";
	default: return "internal";
	}
}
