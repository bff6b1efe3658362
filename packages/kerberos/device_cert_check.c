#include "device_cert_check.h"

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include <lsa/ntstatus.h>

#include "kerb_log.h"
#include "pkinit_identity_load.h"

static NTSTATUS refuse(const char *reason, NTSTATUS sub, NTSTATUS *sub_status)
{
    kerb_log(LOG_NOTICE, "device certificate refused before sending: %s", reason);
    *sub_status = sub;
    return STATUS_PKINIT_CLIENT_FAILURE;
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
    NTSTATUS status = STATUS_SUCCESS;

    *sub_status = STATUS_SUCCESS;
    enum kerb_identity_load loaded = kerb_identity_load(identity, pin, &cert, &key);
    if (loaded == KERB_IDENTITY_NOT_FILES)
        return STATUS_SUCCESS; /* PKCS11/DIR: the token holds the key */

    if (loaded != KERB_IDENTITY_LOADED)
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
