/*
 * LsaLogonUser for the Kerberos package (spec §5.2-§5.3):
 *   KERB_INTERACTIVE_LOGON (and the unlock form): the AS exchange with the password;
 *   KERB_CERTIFICATE_LOGON (and the unlock form): PKINIT with the identity in CspData
 *     (UTF-8, CspDataLength bytes) or [kerberos] pkinit_identity, the PIN in Pin;
 *   either with LogonType Service and UserName empty or the machine principal, from a
 *     trusted caller: a machine logon (kerb_logon_machine.c).
 * A logon creates a new logon session whose TGT lives in a MEMORY ccache of this LSA.
 */
#ifndef KERBEROS_KERB_LOGON_H
#define KERBEROS_KERB_LOGON_H

#include <krb5/krb5.h>
#include <lsa/ntsecpkg.h>

/* What a logon's parse yields, in UTF-8 (secrets wiped and freed by kerb_logon_free). */
struct kerb_logon {
    SECURITY_LOGON_TYPE logon_type;
    BOOLEAN certificate;
    char *user, *domain, *password, *pin, *identity;
    /* Outputs to the LSA. */
    PLSA_CLIENT_REQUEST request;
    PLUID logon_id;
    PUNICODE_STRING *account_name, *authority;
    PVOID *profile;
    PULONG profile_length;
    BOOLEAN session_made;
};

NTSTATUS kerb_logon_user(PLSA_CLIENT_REQUEST request, SECURITY_LOGON_TYPE logon_type,
                         PVOID submit, PVOID client_base, ULONG submit_length, PVOID *profile,
                         PULONG profile_length, PLUID logon_id, PNTSTATUS sub_status,
                         PLSA_TOKEN_INFORMATION_TYPE token_type, PVOID *token_information,
                         PUNICODE_STRING *account_name, PUNICODE_STRING *authority);

/* Shared by the user and machine paths. */
NTSTATUS kerb_store_creds(krb5_context ctx, const char *ccache_name, krb5_creds *creds,
                          BOOLEAN pkinit);
/* PKINIT_IDENTITY: the identity of a PKINIT logon, NULL for a password or keytab one. */
NTSTATUS kerb_logon_finish(struct kerb_logon *l, krb5_context ctx, krb5_creds *creds,
                           const char *account, const char *realm, const char *pkinit_identity);
NTSTATUS kerb_client_is_trusted(BOOLEAN *trusted);

/* The logon machine path (kerb_logon_machine.c). */
BOOLEAN kerb_logon_is_machine(const struct kerb_logon *l);
NTSTATUS kerb_logon_machine(struct kerb_logon *l, NTSTATUS *sub_status);

#endif
