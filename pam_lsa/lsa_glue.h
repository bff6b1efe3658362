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

/* A submit buffer: the fixed structure, then the string bodies (2-aligned); the
 * Buffers point inside the block.  pl_submit_free wipes it (passwords, PINs). */
struct pl_submit {
    unsigned char *data;
    size_t used, cap;
};
int pl_submit_start(struct pl_submit *s, size_t fixed, size_t extra);
void *pl_submit_append(struct pl_submit *s, const void *bytes, size_t length);
void pl_submit_free(struct pl_submit *s);
/* TEXT (UTF-8) as UTF-16LE into the block, STRING describing it; -1 when not UTF-8 or
 * out of room. */
int pl_submit_unicode(struct pl_submit *s, PUNICODE_STRING string, const char *text);
/* Room TEXT needs in UTF-16 (at most 2 bytes per UTF-8 byte), plus alignment. */
size_t pl_room_for(const char *text);
/* LsaLogonUser(TYPE) of the block on CTX's connection. */
void pl_submit_logon(pam_handle_t *pamh, struct pl_context *ctx, SECURITY_LOGON_TYPE type,
                     struct pl_submit *s, struct pl_logon_result *result);

/* Connects CTX to the LSA (trusted as root, else untrusted) after setting LSA_CONFIG
 * from config=, and looks up package=.  PAM_SERVICE_ERR (logged) on any failure. */
int pl_connect(pam_handle_t *pamh, const struct pl_options *opts, struct pl_context *ctx);

/* LsaLogonUser(Interactive, MSV1_0_INTERACTIVE_LOGON or, with the Kerberos package,
 * KERB_INTERACTIVE_LOGON); the buffer is wiped after. */
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

/* MsV1_0ChangePassword or KerbChangePasswordMessage: the call's status, or its protocol
 * status. */
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
