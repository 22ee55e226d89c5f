#include "domain/auth.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/validate.h"
#include "util/timeutil.h"

static void new_secret(char *out, size_t outlen)
{
	unsigned char raw[32];
	if (sodium_init() < 0)
		abort();
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(out, outlen, raw, sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
}

void domain_auth_new_secret(char out[AUTH_SECRET_SIZE])
{
	new_secret(out, AUTH_SECRET_SIZE);
}

void domain_auth_new_token(char out[AUTH_TOKEN_SIZE])
{
	memcpy(out, "kp_", 3);
	new_secret(out + 3, AUTH_TOKEN_SIZE - 3);
}

static void keyed_hash(const char *secret, const char *context, char out[AUTH_HASH_SIZE])
{
	unsigned char h[32];
	crypto_generichash(h, sizeof(h), (const unsigned char *)secret, strlen(secret), (const unsigned char *)context,
			   strlen(context));
	sodium_bin2hex(out, AUTH_HASH_SIZE, h, sizeof(h));
}

void domain_auth_session_hash(const char *secret, char out[AUTH_HASH_SIZE])
{
	keyed_hash(secret, "kumppani-session", out);
}

void domain_auth_token_hash(const char *token, char out[AUTH_HASH_SIZE])
{
	keyed_hash(token, "kumppani-token-v1", out);
}

void domain_auth_session_prepare(struct domain_auth_session *ns, int64_t ttl_ms)
{
	domain_auth_new_secret(ns->secret);
	domain_auth_new_secret(ns->csrf);
	domain_auth_session_hash(ns->secret, ns->hash);
	ns->expires_at = time_now_ms() + (ttl_ms > 0 ? ttl_ms : (int64_t)12 * 3600 * 1000);
}

int domain_auth_session_insert(struct store_conn *c, const struct actor *who, int64_t staff_id,
                               const struct domain_auth_session *ns, const char *remote_addr, struct kp_err *err)
{
	struct session se = {
		.id_hash = ns->hash,
		.staff_id = staff_id,
		.csrf = ns->csrf,
		.created_at = time_now_ms(),
		.expires_at = ns->expires_at,
	};
	int rc = store_session_insert(c, &se, err);
	if (rc != 0)
		return rc;
	json_t *ch = json_pack("{s:s}", "via", "password");
	if (remote_addr) /* (as a failed one records it) */
		json_object_set_new(ch, "remote_addr", json_string(remote_addr));
	rc = domain_audit(c, who, "signin", "session", staff_id, ch, err);
	json_decref(ch);
	return rc;
}

int domain_auth_signin_failed(struct store_conn *c, const char *email_tried, const char *reason,
			      const char *remote_addr, const char *request_id, struct kp_err *err)
{
	/* The e-mail tried is client input: keep at most 254 bytes of it, and only valid
	 * UTF-8 reaches here (the body was checked). */
	char email[255];
	snprintf(email, sizeof(email), "%s", email_tried ? email_tried : "");
	/* (cut on a character, not inside one: a stored actor must stay valid UTF-8) */
	size_t n = strlen(email);
	while (n > 0 && !validate_utf8_ok(email))
		email[--n] = '\0';
	struct actor who = { .staff_id = 0, .role = 0, .email = email[0] ? email : "unknown", .request_id = request_id };
	json_t *ch = json_object();
	json_object_set_new(ch, "email", json_string(email));
	json_object_set_new(ch, "reason", json_string(reason ? reason : "password"));
	if (remote_addr)
		json_object_set_new(ch, "remote_addr", json_string(remote_addr));
	int rc = domain_audit(c, &who, "signin_failed", "session", 0, ch, err);
	json_decref(ch);
	return rc;
}

int domain_auth_token_label_check(const char *label, struct kp_err *err)
{
	if (!label)
		return kp_err_field(err, "name", "is required");
	if (!validate_utf8_ok(label)) /* `kumppani token create --name` takes bytes */
		return kp_err_field(err, "name", "is not valid UTF-8");
	size_t n = validate_utf8_chars(label);
	if (n < 1 || n > 200)
		return kp_err_field(err, "name", "must be 1 to 200 characters");
	if (validate_blank(label)) /* as a staff name: white space alone names nothing */
		return kp_err_field(err, "name", "must not be blank");
	for (const unsigned char *p = (const unsigned char *)label; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return kp_err_field(err, "name", "must not contain control characters");
	return 0;
}

int domain_auth_token_create(struct store_conn *c, const struct actor *who, int64_t staff_id, const char *label,
			     char token_out[AUTH_TOKEN_SIZE], struct api_token *out, struct kp_err *err)
{
	int rc = domain_auth_token_label_check(label, err);
	if (rc != 0)
		return rc;
	char hash[AUTH_HASH_SIZE];
	domain_auth_new_token(token_out);
	domain_auth_token_hash(token_out, hash);
	memset(out, 0, sizeof(*out));
	out->staff_id = staff_id;
	out->label = label;
	out->token_hash = hash;
	out->created_at = time_now_ms();
	rc = store_token_insert(c, out, err);
	out->token_hash = NULL; /* the local buffer dies here; callers never need it */
	if (rc != 0)
		return rc;
	json_t *ch = json_pack("{s:[ns], s:[nI]}", "name", label, "staff_id", (json_int_t)staff_id);
	rc = domain_audit(c, who, "create", "token", out->id, ch, err);
	json_decref(ch);
	return rc;
}
