/*
 * The certificate (and private key) of a PKINIT identity held in files, read with OpenSSL:
 * FILE:cert[,key] (PEM; the key's passphrase is the PIN) and PKCS12:file (no password, or
 * the PIN).  PKCS11: and DIR: identities are the token's or the library's business.
 */
#ifndef KERBEROS_PKINIT_IDENTITY_LOAD_H
#define KERBEROS_PKINIT_IDENTITY_LOAD_H

#include <openssl/evp.h>
#include <openssl/x509.h>

enum kerb_identity_load {
    KERB_IDENTITY_LOADED,     /* *CERT (and *KEY when asked for) set; the caller frees */
    KERB_IDENTITY_UNREADABLE, /* a file identity whose certificate or key cannot be read */
    KERB_IDENTITY_NOT_FILES,  /* PKCS11:, DIR: or another kind: nothing read */
};

/* KEY may be NULL when only the certificate is wanted. */
enum kerb_identity_load kerb_identity_load(const char *identity, const char *pin, X509 **cert,
                                           EVP_PKEY **key);

#endif
