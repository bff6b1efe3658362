/*
 * What pam_lsa says to the Kerberos package beyond the interactive logon and the
 * password change it shares with MSV1_0 (lsa_glue.c): the names a principal splits
 * into, the certificate logon (KERB_CERTIFICATE_LOGON, spec/lsa-api.md §5.3) and the
 * session's TGT (KerbRetrieveTicketMessage, §5.4).  Nothing here logs a password or PIN.
 */
#ifndef PAM_LSA_KERBEROS_H
#define PAM_LSA_KERBEROS_H

#include <security/pam_modules.h>

#include <lsa/ntsecapi.h>

#include "context.h"
#include "lsa_glue.h"
#include "options.h"

/* The UserName and domain of a submit buffer.  MSV1_0: the PAM user and domain=.
 * Kerberos: "name@REALM" splits on the last '@' (the user's realm wins); a bare name
 * gets realm=, else domain=, else "" (the package takes krb5.conf's default_realm). */
struct pl_names {
    char *copy;
    const char *user;
    const char *domain;
};
int pl_names_split(const struct pl_context *ctx, const struct pl_options *opts,
                   const char *user, struct pl_names *names);
void pl_names_free(struct pl_names *names);

/* LsaLogonUser(Interactive, KERB_CERTIFICATE_LOGON): IDENTITY ("" = lsa.conf's
 * [kerberos] pkinit_identity) as CspData, PIN ("" = none); every string is an offset
 * from the structure's start.  The buffer is wiped after. */
void pl_logon_certificate(pam_handle_t *pamh, const struct pl_options *opts,
                          struct pl_context *ctx, const char *user, const char *identity,
                          const char *pin, struct pl_logon_result *result);

/* KerbRetrieveTicketMessage for CTX's logon session: the TGT with its session key.
 * *REPLY is freed with LsaFreeReturnBuffer. */
NTSTATUS pl_retrieve_tgt(struct pl_context *ctx, PKERB_RETRIEVE_TKT_RESPONSE *reply);

#endif
