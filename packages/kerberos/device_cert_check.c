#include "device_cert_check.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509v3.h>

#include <lsa/ntstatus.h>

#include "kerb_log.h"

static NTSTATUS refuse(const char *reason, NTSTATUS sub, NTSTATUS *sub_status)
{
    kerb_log(LOG_NOTICE, "device certificate refused before sending: %s", reason);
    *sub_status = sub;
    return STATUS_PKINIT_CLIENT_FAILURE;
}

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
    if ((bio = BIO_new_file(comma ? comma + 1 : copy, "r")) != NULL) {
        *key = PEM_read_bio_PrivateKey(bio, NULL, NULL, (void *)(pin ? pin : ""));
        BIO_free(bio);
    }
    free(copy);
    return *cert != NULL && *key != NULL;
}

static BOOLEAN load_pkcs12(const char *path, const char *pin, X509 **cert, EVP_PKEY **key)
{
    BIO *bio = BIO_new_file(path, "rb");
    PKCS12 *p12 = bio ? d2i_PKCS12_bio(bio, NULL) : NULL;
    BOOLEAN ok = p12 != NULL && PKCS12_parse(p12, pin ? pin : "", key, cert, NULL) == 1;

    PKCS12_free(p12);
    BIO_free(bio);
    return ok && *cert != NULL && *key != NULL;
}

static BOOLEAN has_dns_name(X509 *cert)
{
    GENERAL_NAMES *names = X509_get_ext_d2i(cert, NID_subject_alt_name, NULL, NULL);
    BOOLEAN found = FALSE;

    for (int i = 0; names != NULL && i < sk_GENERAL_NAME_num(names) && !found; i++)
        found = sk_GENERAL_NAME_value(names, i)->type == GEN_DNS;
    GENERAL_NAMES_free(names);
    return found;
}

NTSTATUS kerb_check_device_certificate(const char *identity, const char *pin,
                                       NTSTATUS *sub_status)
{
    X509 *cert = NULL;
    EVP_PKEY *key = NULL;
    BOOLEAN loaded;
    NTSTATUS status = STATUS_SUCCESS;

    *sub_status = STATUS_SUCCESS;
    if (strncmp(identity, "FILE:", 5) == 0)
        loaded = load_file_pair(identity + 5, pin, &cert, &key);
    else if (strncmp(identity, "PKCS12:", 7) == 0)
        loaded = load_pkcs12(identity + 7, pin, &cert, &key);
    else
        return STATUS_SUCCESS; /* PKCS11/DIR: the token holds the key */

    if (!loaded)
        status = refuse("its certificate or key cannot be read", STATUS_SMARTCARD_NO_CERTIFICATE,
                        sub_status);
    else if (!has_dns_name(cert))
        status = refuse("it has no dNSName subjectAltName", STATUS_SUCCESS, sub_status);
    else if (X509_cmp_current_time(X509_get0_notAfter(cert)) <= 0 ||
             X509_cmp_current_time(X509_get0_notBefore(cert)) >= 0)
        status = refuse("it is outside its validity period", STATUS_SMARTCARD_CERT_EXPIRED,
                        sub_status);
    else if (X509_check_private_key(cert, key) != 1)
        status = refuse("its private key does not match it", STATUS_SUCCESS, sub_status);
    X509_free(cert);
    EVP_PKEY_free(key);
    ERR_clear_error();
    return status;
}
