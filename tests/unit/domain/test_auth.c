/* domain/auth: secrets, tokens and their hashes. */
#include <string.h>

#include "domain/auth.h"
#include "test.h"

static int is_b64url(const char *s)
{
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '-' ||
		      *s == '_'))
			return 0;
	return 1;
}

TEST(auth_secrets_are_random_base64url)
{
	char a[AUTH_SECRET_SIZE], b[AUTH_SECRET_SIZE];
	domain_auth_new_secret(a);
	domain_auth_new_secret(b);
	CHECK_INT(strlen(a), 43); /* 32 bytes */
	CHECK(is_b64url(a));
	CHECK(strcmp(a, b) != 0);
	char t[AUTH_TOKEN_SIZE];
	domain_auth_new_token(t);
	CHECK(!strncmp(t, "kp_", 3));
	CHECK_INT(strlen(t), 46);
	CHECK(is_b64url(t + 3));
}

TEST(auth_hashes_are_stable_and_separated)
{
	char h1[AUTH_HASH_SIZE], h2[AUTH_HASH_SIZE], h3[AUTH_HASH_SIZE];
	domain_auth_session_hash("secret", h1);
	domain_auth_session_hash("secret", h2);
	domain_auth_token_hash("secret", h3);
	CHECK_INT(strlen(h1), 64);
	CHECK_STR(h1, h2);
	CHECK(strcmp(h1, h3) != 0); /* a session hash never equals a token hash */
	domain_auth_session_hash("secreT", h2);
	CHECK(strcmp(h1, h2) != 0);
}

TEST(auth_session_prepare)
{
	struct domain_auth_session ns;
	domain_auth_session_prepare(&ns, 1000);
	char h[AUTH_HASH_SIZE];
	domain_auth_session_hash(ns.secret, h);
	CHECK_STR(ns.hash, h);
	CHECK(strcmp(ns.secret, ns.csrf) != 0);
	CHECK(ns.expires_at > 0);
}

TEST(auth_token_label)
{
	struct kp_err err = KP_ERR_INIT;
	CHECK_INT(domain_auth_token_label_check("CI deploy", &err), 0);
	CHECK_INT(domain_auth_token_label_check("", &err), KP_EVALIDATION);
	kp_err_init(&err);
	CHECK_INT(domain_auth_token_label_check("a\nb", &err), KP_EVALIDATION);
	kp_err_init(&err);
	CHECK_INT(domain_auth_token_label_check(NULL, &err), KP_EVALIDATION);
	kp_err_init(&err);
	/* `kumppani token create --name` passes bytes: a label that is not UTF-8 could not be
	 * listed as JSON afterwards */
	CHECK_INT(domain_auth_token_label_check("bad\xffname", &err), KP_EVALIDATION);
	kp_err_init(&err);
	CHECK_INT(domain_auth_token_label_check("Ty\xc3\xb6" "asema", &err), 0);
}
