#include "pkinit_identity_load.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>

#include <lsa/ntdef.h>

static BOOLEAN load_file_pair(const char *spec, const char *pin, X509 **cert, EVP_PKEY **key)
{
    char *copy = strdup(spec), *comma = copy ? strchr(copy, ',') : NULL;
    BIO *bio;

    if (copy == NULL)
        return FALSE;
    if (comma != NULL)
        *comma = '\0';
    if ((bio = BIO_new_file(copy, "r")) != NULL) {
        *cert = PEM_read_bio_X509(bio, NULL, NULL, NULL);
        BIO_free(bio);
    }
    if (key != NULL && (bio = BIO_new_file(comma ? comma + 1 : copy, "r")) != NULL) {
        *key = PEM_read_bio_PrivateKey(bio, NULL, NULL, (void *)(pin ? pin : ""));
        BIO_free(bio);
    }
    free(copy);
    return *cert != NULL && (key == NULL || *key != NULL);
}

static BOOLEAN load_pkcs12(const char *path, const char *pin, X509 **cert, EVP_PKEY **key)
{
    BIO *bio = BIO_new_file(path, "rb");
    PKCS12 *p12 = bio ? d2i_PKCS12_bio(bio, NULL) : NULL;
    EVP_PKEY *parsed_key = NULL;
    BOOLEAN ok = p12 != NULL && PKCS12_parse(p12, pin ? pin : "", &parsed_key, cert, NULL) == 1;

    PKCS12_free(p12);
    BIO_free(bio);
    if (key != NULL)
        *key = parsed_key;
    else
        EVP_PKEY_free(parsed_key);
    return ok && *cert != NULL && (key == NULL || *key != NULL);
}

enum kerb_identity_load kerb_identity_load(const char *identity, const char *pin, X509 **cert,
                                           EVP_PKEY **key)
{
    BOOLEAN loaded;

    *cert = NULL;
    if (key != NULL)
        *key = NULL;
    if (strncmp(identity, "FILE:", 5) == 0)
        loaded = load_file_pair(identity + 5, pin, cert, key);
    else if (strncmp(identity, "PKCS12:", 7) == 0)
        loaded = load_pkcs12(identity + 7, pin, cert, key);
    else
        return KERB_IDENTITY_NOT_FILES;
    ERR_clear_error();
    if (loaded)
        return KERB_IDENTITY_LOADED;
    X509_free(*cert);
    *cert = NULL;
    if (key != NULL) {
        EVP_PKEY_free(*key);
        *key = NULL;
    }
    return KERB_IDENTITY_UNREADABLE;
}
