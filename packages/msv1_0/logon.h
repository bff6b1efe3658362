/*
 * LsaLogonUser for MSV1_0 (spec/lsa-api.md §2.2 LogonUserEx2, §4.3-§4.4): the logon
 * type decides the submit buffer (Interactive, Batch, Service, NetworkCleartext:
 * MSV1_0_INTERACTIVE_LOGON; Network: MSV1_0_LM20_LOGON), logon.c dispatches and holds
 * what both kinds share (the outputs the LSA frees, the logon session, the failure log
 * line), logon_interactive.c and logon_network.c check the credentials.
 */
#ifndef MSV1_0_LOGON_H
#define MSV1_0_LOGON_H

#include <lsa/ntsecpkg.h>

#include "account_store.h"

/* One logon in flight: the entry point's arguments and what the checks found. */
struct msv_logon {
    PLSA_CLIENT_REQUEST request;
    SECURITY_LOGON_TYPE logon_type;
    PVOID submit;
    PVOID client_base;
    ULONG length;
    PVOID *profile;
    PULONG profile_length;
    PLUID logon_id;
    PNTSTATUS sub_status;
    PUNICODE_STRING *account_name;
    PUNICODE_STRING *authority;

    char *user;           /* UTF-8 of the request's user name (NULL until known) */
    char *domain;         /* UTF-8 of the request's logon domain */
    const char *reason;   /* more detail for the failure log line, or NULL */
    BOOLEAN session_made; /* a logon session exists for *logon_id */
};

/* The LogonUserEx2 entry point's work (msv1_0.c adds the Ex2-only outputs). */
NTSTATUS msv_logon_user(PLSA_CLIENT_REQUEST request, SECURITY_LOGON_TYPE logon_type,
                        PVOID submit, PVOID client_base, ULONG length, PVOID *profile,
                        PULONG profile_length, PLUID logon_id, PNTSTATUS sub_status,
                        PLSA_TOKEN_INFORMATION_TYPE token_information_type,
                        PVOID *token_information, PUNICODE_STRING *account_name,
                        PUNICODE_STRING *authority);

/* The two kinds. */
NTSTATUS msv_logon_interactive(struct msv_logon *logon);
NTSTATUS msv_logon_network(struct msv_logon *logon);

/* ---- shared by the kinds ------------------------------------------------------------ */

/* The fixed structure of SIZE bytes is there and aligned for its pointers. */
BOOLEAN msv_submit_fits(PVOID submit, ULONG length, size_t size);

/* Takes the request's names: UTF-8 copies, *AccountName (as sent, replaced by the
 * store's spelling later) and *AuthenticatingAuthority (the configured domain).  An
 * empty user name or invalid UTF-16 is STATUS_INVALID_PARAMETER. */
NTSTATUS msv_logon_take_names(struct msv_logon *logon, PCUNICODE_STRING user,
                              PCUNICODE_STRING domain);
/* The request's domain names this machine's accounts: empty, "." or the configured
 * domain (ASCII case-insensitive). */
BOOLEAN msv_domain_is_ours(PCUNICODE_STRING domain);
/* *AccountName becomes the store's spelling of the account. */
NTSTATUS msv_logon_set_account_name(struct msv_logon *logon, const char *name);
/* A fresh LUID and a logon session on it (*logon_id). */
NTSTATUS msv_logon_create_session(struct msv_logon *logon);
/* Creates the session and its record, then BUILD_PROFILE; on any failure the session
 * is gone again.  CREDENTIAL (the NT hash, or NULL) is attached as the session's
 * NTOWF credential with the account's name and domain. */
NTSTATUS msv_logon_complete(struct msv_logon *logon, const struct msv_account *account,
                            const uint8_t *credential_nt_hash,
                            NTSTATUS (*build_profile)(struct msv_logon *logon, void *context),
                            void *context);

#endif
