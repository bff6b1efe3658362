/* pam_sm_authenticate and pam_sm_setcred (pam_lsa(8)). */
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include <security/pam_ext.h>
#include <security/pam_modules.h>

#include <lsa/lsa_ext.h>

#include "ccache.h"
#include "context.h"
#include "kerberos.h"
#include "lsa_glue.h"
#include "options.h"
#include "prompting.h"

static int interactive_once(pam_handle_t *pamh, int flags, const struct pl_options *opts,
                            struct pl_context *ctx, const char *user,
                            struct pl_logon_result *result)
{
    const char *token = NULL;
    int rc = pam_get_authtok(pamh, PAM_AUTHTOK, &token, NULL);
    if (rc != PAM_SUCCESS) {
        pam_syslog(pamh, LOG_NOTICE, "no password for user %s: %s", user, pam_strerror(pamh, rc));
        return rc == PAM_CONV_AGAIN ? PAM_INCOMPLETE : rc;
    }
    if (token == NULL || (*token == '\0' && (flags & PAM_DISALLOW_NULL_AUTHTOK))) {
        pam_syslog(pamh, LOG_NOTICE, "empty password for user %s refused", user);
        return PAM_AUTH_ERR;
    }
    if (strlen(token) > PAM_MAX_RESP_SIZE) {
        pam_syslog(pamh, LOG_NOTICE, "password for user %s longer than %d bytes refused", user,
                   PAM_MAX_RESP_SIZE);
        return PAM_AUTH_ERR;
    }
    /* PAM owns the token (PAM_AUTHTOK) and wipes it at pam_end. */
    pl_logon_interactive(pamh, opts, ctx, user, token, result);
    return PAM_SUCCESS;
}

/* try_first_pass: when the password an earlier module stacked is refused, ask once
 * (pam_get_authtok only takes the stacked one; the fallback is the module's). */
static int interactive(pam_handle_t *pamh, int flags, const struct pl_options *opts,
                       struct pl_context *ctx, const char *user, struct pl_logon_result *result)
{
    const void *stacked = NULL;
    int had_stacked = opts->try_first_pass &&
                      pam_get_item(pamh, PAM_AUTHTOK, &stacked) == PAM_SUCCESS && stacked != NULL;
    int rc = interactive_once(pamh, flags, opts, ctx, user, result);
    if (rc != PAM_SUCCESS || !had_stacked ||
        pl_map_status(result->status, result->sub_status, PL_CALL_AUTH) != PAM_AUTH_ERR)
        return rc;
    pam_syslog(pamh, LOG_NOTICE, "stacked password refused for user %s; asking (try_first_pass)",
               user);
    rc = pam_set_item(pamh, PAM_AUTHTOK, NULL);
    if (rc != PAM_SUCCESS)
        return rc;
    memset(result, 0, sizeof(*result));
    return interactive_once(pamh, flags, opts, ctx, user, result);
}

static int challenge(pam_handle_t *pamh, const struct pl_options *opts, struct pl_context *ctx,
                     const char *user, struct pl_logon_result *result)
{
    UCHAR server_challenge[MSV1_0_CHALLENGE_LENGTH];
    NTSTATUS status = pl_challenge_request(ctx, server_challenge);
    if (status != STATUS_SUCCESS) {
        pl_log_status(pamh, LOG_ERR, "MsV1_0Lm20ChallengeRequest failed", user, status,
                      STATUS_SUCCESS);
        int rc = pl_map_status(status, STATUS_SUCCESS, PL_CALL_AUTH);
        return rc == PAM_SUCCESS ? PAM_SERVICE_ERR : rc;
    }
    unsigned char *nt, *lm;
    size_t nt_length, lm_length;
    int rc = pl_prompt_challenge(pamh, server_challenge, &nt, &nt_length, &lm, &lm_length);
    if (rc != PAM_SUCCESS)
        return rc;
    pl_logon_lm20(pamh, opts, ctx, user, server_challenge, nt, nt_length, lm, lm_length, result);
    pl_response_free(nt, nt_length);
    pl_response_free(lm, lm_length);
    return PAM_SUCCESS;
}

static int is_wrong_pin(const struct pl_logon_result *result)
{
    return result->status == STATUS_SMARTCARD_WRONG_PIN ||
           (result->status == STATUS_LOGON_FAILURE &&
            result->sub_status == STATUS_SMARTCARD_WRONG_PIN);
}

/* logon=certificate: first without a PIN (a key that needs none, or lsa.conf's);
 * when the package says the PIN is wrong, ask for it once and retry.  A stacked
 * password is never taken for a PIN (a wrong PIN counts toward the card's lockout),
 * and there is no fallback to a password. */
static int certificate(pam_handle_t *pamh, const struct pl_options *opts,
                       struct pl_context *ctx, const char *user, struct pl_logon_result *result)
{
    const char *identity = opts->pkinit_identity != NULL ? opts->pkinit_identity : "";
    pl_logon_certificate(pamh, opts, ctx, user, identity, "", result);
    if (!is_wrong_pin(result))
        return PAM_SUCCESS;
    if (opts->debug)
        pam_syslog(pamh, LOG_DEBUG, "the key of %s needs a PIN: asking", user);
    char *pin = NULL;
    int rc = pl_prompt_pin(pamh, *identity ? identity : user, &pin);
    if (rc != PAM_SUCCESS)
        return rc;
    if (strlen(pin) > PAM_MAX_RESP_SIZE) {
        pl_secret_free(pin);
        pam_syslog(pamh, LOG_NOTICE, "PIN for user %s longer than %d bytes refused", user,
                   PAM_MAX_RESP_SIZE);
        return PAM_AUTH_ERR;
    }
    memset(result, 0, sizeof(*result));
    pl_logon_certificate(pamh, opts, ctx, user, identity, pin, result);
    pl_secret_free(pin);
    return PAM_SUCCESS;
}

PL_EXPORT int pam_sm_authenticate(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
    struct pl_options opts;
    int rc = pl_options_parse(pamh, flags, argc, argv, &opts);
    if (rc != PAM_SUCCESS)
        return rc;
    const char *user = NULL;
    rc = pam_get_user(pamh, &user, NULL);
    if (rc != PAM_SUCCESS || user == NULL || *user == '\0') {
        pam_syslog(pamh, LOG_ERR, "cannot determine the user name: %s", pam_strerror(pamh, rc));
        return rc == PAM_SUCCESS ? PAM_USER_UNKNOWN : rc == PAM_CONV_AGAIN ? PAM_INCOMPLETE : rc;
    }
    if (pl_user_ignored(pamh, &opts, user))
        return PAM_IGNORE;
    struct pl_context *ctx = pl_context_get(pamh, 1);
    if (ctx == NULL)
        return PAM_BUF_ERR;
    ctx->debug = opts.debug;
    ctx->retain_after_close = opts.retain_after_close;
    /* A second authentication on the same handle replaces the first. */
    pl_ccache_destroy(pamh, ctx, 1);
    pl_context_end_session(pamh, ctx);
    ctx->authenticated = 0;
    ctx->status = ctx->sub_status = STATUS_SUCCESS;
    rc = pl_connect(pamh, &opts, ctx);
    if (rc != PAM_SUCCESS)
        return rc;

    struct pl_logon_result result;
    memset(&result, 0, sizeof(result));
    if (opts.logon == PL_LOGON_CHALLENGE)
        rc = challenge(pamh, &opts, ctx, user, &result);
    else if (opts.logon == PL_LOGON_CERTIFICATE)
        rc = certificate(pamh, &opts, ctx, user, &result);
    else
        rc = interactive(pamh, flags, &opts, ctx, user, &result);
    if (rc != PAM_SUCCESS)
        return rc;

    ctx->status = result.status;
    ctx->sub_status = result.sub_status;
    rc = pl_map_status(result.status, result.sub_status, PL_CALL_AUTH);
    if (result.have_token) {
        ctx->token = result.token;
        ctx->have_token = 1;
        ctx->logon_id = result.logon_id;
        ctx->have_session = 1;
    }
    if (rc == PAM_SUCCESS) {
        ctx->authenticated = 1;
        /* Hosts such as sshd authenticate in a child and open the session in the parent:
         * only the PAM environment crosses back, so the logon id goes there now. */
        if (ctx->have_session && pl_export_logon_id(pamh, ctx) != PAM_SUCCESS)
            pam_syslog(pamh, LOG_WARNING, "cannot put LSA_LOGON_ID in the PAM environment");
        if (result.status != STATUS_SUCCESS)
            pl_log_status(pamh, LOG_NOTICE, "password of user must be changed", user,
                          result.status, result.sub_status);
        else if (opts.debug)
            pam_syslog(pamh, LOG_DEBUG, "user %s authenticated, logon session %08lx:%08lx", user,
                       (unsigned long)(ULONG)result.logon_id.HighPart,
                       (unsigned long)result.logon_id.LowPart);
    } else {
        /* acct_mgmt must also refuse a disabled or expired account. */
        if (rc == PAM_ACCT_EXPIRED)
            ctx->authenticated = 1;
        pl_log_status(pamh, rc == PAM_SERVICE_ERR ? LOG_ERR : LOG_NOTICE,
                      "authentication failed", user, result.status, result.sub_status);
    }
    return rc;
}

PL_EXPORT int pam_sm_setcred(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
    struct pl_options opts;
    /* Never PAM_IGNORE or an error for "nothing to do": the stack replays auth's path. */
    if (pl_options_parse(pamh, flags, argc, argv, &opts) != PAM_SUCCESS)
        return PAM_SUCCESS;
    struct pl_context *ctx = pl_context_get(pamh, 0);
    if (flags & PAM_DELETE_CRED) {
        /* As pam-krb5: the ticket cache goes, unless retain_after_close keeps it. */
        if (ctx != NULL && !opts.retain_after_close && !ctx->retain_after_close)
            pl_ccache_destroy(pamh, ctx, 1);
        return PAM_SUCCESS;
    }
    if (flags & (PAM_ESTABLISH_CRED | PAM_REINITIALIZE_CRED | PAM_REFRESH_CRED)) {
        if (pl_export_logon_id(pamh, ctx) != PAM_SUCCESS)
            return PAM_CRED_ERR;
        /* Kerberos: the session's TGT into the user's ccache (idempotent: open_session
         * may have done it); a reinitialisation or refresh writes it anew. */
        return pl_ccache_establish(pamh, ctx, opts.debug,
                                   (flags & (PAM_REINITIALIZE_CRED | PAM_REFRESH_CRED)) != 0);
    }
    return PAM_SUCCESS;
}
