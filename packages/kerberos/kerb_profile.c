#include "kerb_profile.h"

#include <string.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/x509.h>

#include "kerb_log.h"
#include "kerb_package.h"
#include "package_reply.h"
#include "pkinit_identity_load.h"

#define NT_EPOCH_OFFSET INT64_C(11644473600)
#define NT_TIME_NEVER INT64_C(0x7fffffffffffffff)

static void interactive_part(KERB_INTERACTIVE_PROFILE *p, KERB_PROFILE_BUFFER_TYPE type)
{
    p->MessageType = type;
    p->LogonTime.QuadPart = ((int64_t)time(NULL) + NT_EPOCH_OFFSET) * 10000000;
    p->LogoffTime.QuadPart = p->KickOffTime.QuadPart = NT_TIME_NEVER;
    p->PasswordMustChange.QuadPart = NT_TIME_NEVER;
}

/* The DER of IDENTITY's certificate (OPENSSL_free), or NULL with *LENGTH 0. */
static unsigned char *certificate_der(const char *identity, const char *pin, int *length)
{
    X509 *cert = NULL;
    unsigned char *der = NULL;

    *length = 0;
    if (kerb_identity_load(identity, pin, &cert, NULL) != KERB_IDENTITY_LOADED)
        return NULL;
    *length = i2d_X509(cert, &der);
    X509_free(cert);
    if (*length <= 0) {
        *length = 0;
        return NULL;
    }
    return der;
}

static NTSTATUS smart_card_profile(struct kerb_logon *l, const char *identity)
{
    struct pkg_reply reply;
    int der_length;
    unsigned char *der = certificate_der(identity, l->pin, &der_length);
    ULONG size = (ULONG)sizeof(KERB_SMART_CARD_PROFILE) + (ULONG)der_length;
    NTSTATUS status = pkg_reply_begin(&reply, kerb_package.lsa, l->request, size,
                                      sizeof(KERB_SMART_CARD_PROFILE));

    if (status == STATUS_SUCCESS) {
        KERB_SMART_CARD_PROFILE *p = (KERB_SMART_CARD_PROFILE *)reply.local;
        interactive_part(&p->Profile, KerbSmartCardProfile);
        if (der != NULL) {
            p->CertificateData = pkg_reply_put(&reply, der, (ULONG)der_length, 1);
            p->CertificateSize = p->CertificateData != NULL ? (ULONG)der_length : 0;
        }
        status = pkg_reply_end(&reply, l->profile, l->profile_length);
    }
    if (der == NULL && status == STATUS_SUCCESS)
        kerb_log(LOG_DEBUG, "PKINIT logon profile without the certificate: its identity is not "
                            "in files this package reads");
    OPENSSL_free(der);
    return status;
}

NTSTATUS kerb_profile_build(struct kerb_logon *l, const char *pkinit_identity)
{
    KERB_INTERACTIVE_PROFILE p;
    PLSA_SECPKG_FUNCTION_TABLE lsa = kerb_package.lsa;
    PVOID client = NULL;
    NTSTATUS status;

    if (pkinit_identity != NULL)
        return smart_card_profile(l, pkinit_identity);
    memset(&p, 0, sizeof(p));
    interactive_part(&p, KerbInteractiveProfile);
    status = lsa->AllocateClientBuffer(l->request, sizeof(p), &client);
    if (status == STATUS_SUCCESS)
        status = lsa->CopyToClientBuffer(l->request, sizeof(p), client, &p);
    if (status != STATUS_SUCCESS) {
        if (client != NULL)
            lsa->FreeClientBuffer(l->request, client);
        return status;
    }
    *l->profile = client;
    *l->profile_length = sizeof(p);
    return STATUS_SUCCESS;
}
