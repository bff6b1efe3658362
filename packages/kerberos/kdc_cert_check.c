#include "kdc_cert_check.h"

#include <stdio.h>
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <lsa/ntstatus.h>

#include "kerb_log.h"

#define PA_PK_AS_REP 17
#define OID_PKINIT_KPKDC "1.3.6.1.5.2.3.5"

/* One DER element at *P (before END): its class, tag, content start and length. */
static BOOLEAN element(const unsigned char **p, const unsigned char *end, int *xclass, int *tag,
                       const unsigned char **content, long *length)
{
    const unsigned char *q = *p;
    int flags;

    if (q >= end)
        return FALSE;
    flags = ASN1_get_object(&q, length, tag, xclass, end - q);
    if ((flags & 0x80) != 0 || (flags & 0x01) != 0 || *length < 0 || *length > end - q)
        return FALSE; /* an error, or the indefinite form, which DER forbids */
    *content = q;
    *p = q + *length;
    return TRUE;
}

/* Enter the element at *P, which must be [CLASS TAG]; *P moves past it. */
static BOOLEAN enter(const unsigned char **p, const unsigned char *end, int want_class,
                     int want_tag, const unsigned char **inner, const unsigned char **inner_end)
{
    int xclass, tag;
    long length;

    if (!element(p, end, &xclass, &tag, inner, &length) || xclass != want_class ||
        tag != want_tag)
        return FALSE;
    *inner_end = *inner + length;
    return TRUE;
}

static BOOLEAN read_int(const unsigned char *p, const unsigned char *end, long *value)
{
    ASN1_INTEGER *i = d2i_ASN1_INTEGER(NULL, &p, end - p);
    BOOLEAN ok = i != NULL && ASN1_INTEGER_get_int64((int64_t *)value, i) == 1;

    ASN1_INTEGER_free(i);
    return ok;
}

/* AS-REP ::= [APPLICATION 11] SEQUENCE { pvno [0], msg-type [1], padata [2] SEQUENCE OF
 * PA-DATA, ... }; PA-DATA ::= SEQUENCE { [1] padata-type, [2] OCTET STRING };
 * PA-PK-AS-REP ::= CHOICE { dhInfo [0] SEQUENCE { dhSignedData [0] IMPLICIT OCTET STRING,
 * ... }, encKeyPack [1] IMPLICIT OCTET STRING } (RFC 4120, RFC 4556). */
BOOLEAN kerb_find_pkinit_signed_data(const unsigned char *reply, size_t length,
                                     const unsigned char **signed_data, size_t *signed_length)
{
    const unsigned char *p = reply, *end = reply + length, *in, *in_end, *seq, *seq_end;
    int xclass, tag;
    long len;

    if (!enter(&p, end, V_ASN1_APPLICATION, 11, &in, &in_end) ||
        !enter(&in, in_end, V_ASN1_UNIVERSAL, V_ASN1_SEQUENCE, &seq, &seq_end))
        return FALSE;
    while (seq < seq_end) {
        const unsigned char *field;
        if (!element(&seq, seq_end, &xclass, &tag, &field, &len))
            return FALSE;
        if (xclass != V_ASN1_CONTEXT_SPECIFIC || tag != 2)
            continue;
        const unsigned char *list, *list_end, *f = field;
        if (!enter(&f, field + len, V_ASN1_UNIVERSAL, V_ASN1_SEQUENCE, &list, &list_end))
            return FALSE;
        while (list < list_end) {
            const unsigned char *pa, *pa_end, *a, *a_end, *b, *b_end, *os, *os_end;
            long type;
            if (!enter(&list, list_end, V_ASN1_UNIVERSAL, V_ASN1_SEQUENCE, &pa, &pa_end) ||
                !enter(&pa, pa_end, V_ASN1_CONTEXT_SPECIFIC, 1, &a, &a_end) ||
                !read_int(a, a_end, &type) ||
                !enter(&pa, pa_end, V_ASN1_CONTEXT_SPECIFIC, 2, &b, &b_end) ||
                !enter(&b, b_end, V_ASN1_UNIVERSAL, V_ASN1_OCTET_STRING, &os, &os_end))
                return FALSE;
            if (type != PA_PK_AS_REP)
                continue;
            const unsigned char *dh, *dh_end, *info, *info_end, *sd, *sd_end;
            if (!enter(&os, os_end, V_ASN1_CONTEXT_SPECIFIC, 0, &dh, &dh_end) ||
                !enter(&dh, dh_end, V_ASN1_UNIVERSAL, V_ASN1_SEQUENCE, &info, &info_end) ||
                !enter(&info, info_end, V_ASN1_CONTEXT_SPECIFIC, 0, &sd, &sd_end))
                return FALSE; /* encKeyPack (RSA key transport) is not used by MIT 1.20 */
            *signed_data = sd;
            *signed_length = (size_t)(sd_end - sd);
            return TRUE;
        }
        return FALSE;
    }
    return FALSE;
}

static krb5_error_code refuse(struct kerb_exchange *x, krb5_error_code code, NTSTATUS sub,
                              const char *reason)
{
    x->strict_sub_status = sub;
    snprintf(x->strict_reason, sizeof(x->strict_reason), "%s", reason);
    return code;
}

static BOOLEAN has_kdc_eku(X509 *cert)
{
    EXTENDED_KEY_USAGE *eku = X509_get_ext_d2i(cert, NID_ext_key_usage, NULL, NULL);
    ASN1_OBJECT *kdc = OBJ_txt2obj(OID_PKINIT_KPKDC, 1);
    BOOLEAN found = FALSE;

    for (int i = 0; eku != NULL && kdc != NULL && i < sk_ASN1_OBJECT_num(eku) && !found; i++)
        found = OBJ_cmp(sk_ASN1_OBJECT_value(eku, i), kdc) == 0;
    ASN1_OBJECT_free(kdc);
    EXTENDED_KEY_USAGE_free(eku);
    return found;
}

/* "FILE:path" (or a bare path) to a path; NULL for other kinds. */
static const char *file_of(const char *name)
{
    if (name == NULL)
        return NULL;
    if (strncmp(name, "FILE:", 5) == 0)
        return name + 5;
    return strchr(name, ':') == NULL ? name : NULL;
}

static X509_STORE *load_store(const char *anchors, const char *crl_name)
{
    X509_STORE *store = X509_STORE_new();
    const char *anchor_file = file_of(anchors), *crl_file = file_of(crl_name);

    if (store == NULL)
        return NULL;
    if (anchor_file == NULL || X509_STORE_load_file(store, anchor_file) != 1) {
        X509_STORE_free(store);
        return NULL;
    }
    if (crl_file != NULL) {
        BIO *bio = BIO_new_file(crl_file, "r");
        X509_CRL *crl = bio ? PEM_read_bio_X509_CRL(bio, NULL, NULL, NULL) : NULL;
        BIO_free(bio);
        if (crl == NULL || X509_STORE_add_crl(store, crl) != 1) {
            X509_CRL_free(crl);
            X509_STORE_free(store);
            return NULL;
        }
        X509_CRL_free(crl);
        X509_STORE_set_flags(store, X509_V_FLAG_CRL_CHECK);
    }
    return store;
}

static krb5_error_code verify_chain(struct kerb_exchange *x, X509 *cert, STACK_OF(X509) *others)
{
    X509_STORE *store = load_store(x->anchors, x->crl);
    X509_STORE_CTX *ctx = X509_STORE_CTX_new();
    krb5_error_code code = 0;
    char reason[128];

    if (store == NULL || ctx == NULL || X509_STORE_CTX_init(ctx, store, cert, others) != 1) {
        code = refuse(x, KRB5KDC_ERR_CANT_VERIFY_CERTIFICATE, 0,
                      "the PKINIT anchors or CRL for strict KDC validation cannot be read");
    } else if (X509_verify_cert(ctx) != 1) {
        int error = X509_STORE_CTX_get_error(ctx);
        snprintf(reason, sizeof(reason), "KDC certificate: %s",
                 X509_verify_cert_error_string(error));
        if (error == X509_V_ERR_CERT_HAS_EXPIRED || error == X509_V_ERR_CERT_NOT_YET_VALID)
            code = refuse(x, KRB5KDC_ERR_INVALID_CERTIFICATE, STATUS_KDC_CERT_EXPIRED, reason);
        else if (error == X509_V_ERR_CERT_REVOKED)
            code = refuse(x, KRB5KDC_ERR_REVOKED_CERTIFICATE, STATUS_KDC_CERT_REVOKED, reason);
        else if (error == X509_V_ERR_UNABLE_TO_GET_CRL)
            code = refuse(x, KRB5KDC_ERR_REVOCATION_STATUS_UNKNOWN,
                          STATUS_REVOCATION_OFFLINE_KDC, reason);
        else
            code = refuse(x, KRB5KDC_ERR_CANT_VERIFY_CERTIFICATE,
                          STATUS_ISSUING_CA_UNTRUSTED_KDC, reason);
    }
    X509_STORE_CTX_free(ctx);
    X509_STORE_free(store);
    return code;
}

krb5_error_code kerb_kdc_cert_check(struct kerb_exchange *x, const char *realm,
                                    const krb5_data *reply)
{
    const unsigned char *der, *p;
    size_t der_length;
    CMS_ContentInfo *cms;
    STACK_OF(X509) *certs;
    STACK_OF(CMS_SignerInfo) *signers;
    X509 *signer = NULL;
    krb5_error_code code;

    (void)realm; /* the krbtgt name is MIT's check (KDC_NAME_MISMATCH) */
    if (!kerb_find_pkinit_signed_data((const unsigned char *)reply->data, reply->length, &der,
                                      &der_length))
        return 0;
    p = der;
    cms = d2i_CMS_ContentInfo(NULL, &p, (long)der_length);
    certs = cms ? CMS_get1_certs(cms) : NULL;
    signers = cms ? CMS_get0_SignerInfos(cms) : NULL;
    if (certs != NULL && signers != NULL && sk_CMS_SignerInfo_num(signers) == 1)
        for (int i = 0; i < sk_X509_num(certs) && signer == NULL; i++)
            if (CMS_SignerInfo_cert_cmp(sk_CMS_SignerInfo_value(signers, 0),
                                        sk_X509_value(certs, i)) == 0)
                signer = sk_X509_value(certs, i);
    if (signer == NULL)
        code = refuse(x, KRB5KDC_ERR_CANT_VERIFY_CERTIFICATE, 0,
                      "the KDC's PKINIT reply carries no signer certificate");
    else if (!has_kdc_eku(signer))
        code = refuse(x, KRB5KDC_ERR_INCONSISTENT_KEY_PURPOSE, 0,
                      "the KDC certificate lacks the KDC EKU (id-pkinit-KPKdc)");
    else
        code = verify_chain(x, signer, certs);
    if (code != 0)
        kerb_log(LOG_NOTICE, "strict KDC validation failed: %s", x->strict_reason);
    sk_X509_pop_free(certs, X509_free);
    CMS_ContentInfo_free(cms);
    ERR_clear_error();
    return code;
}
