/*
 * [kerberos] of lsa.conf (kerberos(8), lsa.conf(5)).  Read and checked once in
 * SpInitialize; read-only afterwards, but for the canonical host name of the default
 * machine_principal, looked up on first use.
 */
#ifndef KERBEROS_KERB_CONFIG_H
#define KERBEROS_KERB_CONFIG_H

#include <stdint.h>

#include <lsa/ntsecpkg.h>

enum kerb_verify_ticket {
    KERB_VERIFY_IF_KEYTAB, /* verify when the keytab holds a key for the machine */
    KERB_VERIFY_ALWAYS,    /* no keytab or no key: the logon fails */
    KERB_VERIFY_NEVER,
};

struct kerb_config {
    enum kerb_verify_ticket verify_ticket;
    int64_t kdc_timeout_ms;   /* the deadline of a whole logon's KDC exchanges */
    char *pkinit_identity;    /* default identity of a certificate logon, or NULL */
    char *pkinit_anchors;     /* X509_anchors of a certificate logon, or NULL (krb5.conf) */
    char *pkinit_revoke;      /* a CRL for strict KDC validation (device logon), or NULL */
    char *machine_principal;  /* host/<fqdn> unless set: kerb_config_machine_principal */
    BOOLEAN machine_principal_pending; /* the default's host name not canonicalised yet */
    char *machine_keytab;     /* the keytab of the machine, or NULL: krb5's default */
    char *device_identity;    /* the machine's PKINIT device credential, or NULL */
    char *state_dir;          /* [lsa] state_dir + "/kerberos" */
};

NTSTATUS kerb_config_load(struct kerb_config *config, PLSA_SECPKG_FUNCTION_TABLE lsa,
                          ULONG_PTR package_id);
void kerb_config_free(struct kerb_config *config);

/* [kerberos] machine_principal, or host/ and the canonical name of the host (looked up
 * on the first call; see kerb_config.c).  Never NULL once the configuration is loaded. */
const char *kerb_config_machine_principal(const struct kerb_config *config);

#endif
