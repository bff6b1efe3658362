/*
 * Everything pam_lsa says to the LSA: the connection, the MSV1_0 submit buffers, the
 * NTSTATUS -> PAM mapping (DESIGN.md, "Mapping onto PAM") and the log lines naming a
 * status.  Nothing here logs a password or a response.
 */
#ifndef PAM_LSA_LSA_GLUE_H
#define PAM_LSA_LSA_GLUE_H

#include <stddef.h>

#include <security/pam_modules.h>

#include <lsa/ntsecapi.h>

#include "context.h"
#include "options.h"

/* Which PAM function a status is mapped for. */
enum pl_call {
    PL_CALL_AUTH,       /* pam_sm_authenticate */
    PL_CALL_ACCOUNT,    /* pam_sm_acct_mgmt, from the stashed status */
    PL_CALL_OLD_PASSWORD, /* pam_sm_chauthtok PAM_PRELIM_CHECK */
    PL_CALL_CHANGE,     /* pam_sm_chauthtok PAM_UPDATE_AUTHTOK */
};

struct pl_logon_result {
    NTSTATUS status;
    NTSTATUS sub_status;
    LUID logon_id;
    HANDLE token;
    int have_token;
};

/* Connects CTX to the LSA (trusted as root, else untrusted) after setting LSA_CONFIG
 * from config=, and looks up package=.  PAM_SERVICE_ERR (logged) on any failure. */
int pl_connect(pam_handle_t *pamh, const struct pl_options *opts, struct pl_context *ctx);

/* LsaLogonUser(Interactive, MSV1_0_INTERACTIVE_LOGON); the buffer is wiped after. */
void pl_logon_interactive(pam_handle_t *pamh, const struct pl_options *opts,
                          struct pl_context *ctx, const char *user, const char *password,
                          struct pl_logon_result *result);

/* MsV1_0Lm20ChallengeRequest on CTX's connection. */
NTSTATUS pl_challenge_request(struct pl_context *ctx, UCHAR challenge[MSV1_0_CHALLENGE_LENGTH]);

/* LsaLogonUser(Network, MSV1_0_LM20_LOGON) answering CHALLENGE on the same connection. */
void pl_logon_lm20(pam_handle_t *pamh, const struct pl_options *opts, struct pl_context *ctx,
                   const char *user, const UCHAR challenge[MSV1_0_CHALLENGE_LENGTH],
                   const unsigned char *nt, size_t nt_length, const unsigned char *lm,
                   size_t lm_length, struct pl_logon_result *result);

/* MsV1_0ChangePassword: the call's status, or its protocol status. */
NTSTATUS pl_change_password(pam_handle_t *pamh, const struct pl_options *opts,
                            struct pl_context *ctx, const char *user, const char *old_password,
                            const char *new_password);

/* The one NTSTATUS -> PAM mapping. */
int pl_map_status(NTSTATUS status, NTSTATUS sub_status, enum pl_call call);

/* TRUE when STATUS/SUB_STATUS say the password was right but must be changed. */
int pl_password_change_needed(NTSTATUS status, NTSTATUS sub_status);

/* "WHAT for user USER: STATUS_NAME (SubStatus STATUS_NAME)"; unknown codes in hex. */
void pl_log_status(pam_handle_t *pamh, int priority, const char *what, const char *user,
                   NTSTATUS status, NTSTATUS sub_status);

#endif
