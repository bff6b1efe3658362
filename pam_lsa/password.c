/* pam_sm_chauthtok: MsV1_0ChangePassword / KerbChangePasswordMessage (pam_lsa(8),
 * PASSWORD CHANGE). */
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include <security/pam_ext.h>
#include <security/pam_modules.h>

#include <lsa/lsa_ext.h>
#include <lsa/ntstatus.h>

#include "context.h"
#include "lsa_glue.h"
#include "options.h"

/* The old password checked by an interactive logon; a session it makes is ended at once. */
static int prelim_check(pam_handle_t *pamh, const struct pl_options *opts, struct pl_context *ctx,
                        const char *user)
{
    const char *old = NULL;
    int rc = pam_get_authtok(pamh, PAM_OLDAUTHTOK, &old, NULL);
    if (rc != PAM_SUCCESS || old == NULL || *old == '\0') {
        if (getuid() == 0) {
            pam_syslog(pamh, LOG_NOTICE,
                       "root changing the password of %s without the old one is not supported",
                       user);
            return PAM_PERM_DENIED;
        }
        pam_syslog(pamh, LOG_NOTICE, "no old password for user %s", user);
        return rc == PAM_SUCCESS ? PAM_AUTH_ERR : rc == PAM_CONV_AGAIN ? PAM_INCOMPLETE : rc;
    }
    if (strlen(old) > PAM_MAX_RESP_SIZE)
        return PAM_AUTH_ERR;
    struct pl_logon_result result;
    pl_logon_interactive(pamh, opts, ctx, user, old, &result);
    if (result.have_token) {
        NTSTATUS status = lsa_terminate_logon_session(ctx->lsa, &result.logon_id);
        if (status != STATUS_SUCCESS && status != STATUS_NO_SUCH_LOGON_SESSION)
            pl_log_status(pamh, LOG_ERR, "ending the old-password check's session", user, status,
                          STATUS_SUCCESS);
        lsa_close_token(result.token);
    }
    rc = pl_map_status(result.status, result.sub_status, PL_CALL_OLD_PASSWORD);
    if (rc != PAM_SUCCESS)
        pl_log_status(pamh, rc == PAM_SERVICE_ERR ? LOG_ERR : LOG_NOTICE,
                      "old password check failed", user, result.status, result.sub_status);
    else if (opts->debug)
        pam_syslog(pamh, LOG_DEBUG, "old password of %s is right", user);
    return rc;
}

static void relogon(pam_handle_t *pamh, const struct pl_options *opts, struct pl_context *ctx,
                    const char *user, const char *password)
{
    struct pl_logon_result result;
    pl_logon_interactive(pamh, opts, ctx, user, password, &result);
    if (!result.have_token) {
        pl_log_status(pamh, LOG_NOTICE, "logon with the new password failed", user,
                      result.status, result.sub_status);
        return;
    }
    ctx->token = result.token;
    ctx->have_token = 1;
    ctx->logon_id = result.logon_id;
    ctx->have_session = 1;
    if (pl_export_logon_id(pamh, ctx) != PAM_SUCCESS)
        pam_syslog(pamh, LOG_WARNING, "cannot put LSA_LOGON_ID in the PAM environment");
    if (opts->debug)
        pam_syslog(pamh, LOG_DEBUG, "user %s logged on with the new password, session %08lx:%08lx",
                   user, (unsigned long)(ULONG)result.logon_id.HighPart,
                   (unsigned long)result.logon_id.LowPart);
}

static int update(pam_handle_t *pamh, const struct pl_options *opts, struct pl_context *ctx,
                  const char *user)
{
    const void *item = NULL;
    const char *old = NULL;
    if (pam_get_item(pamh, PAM_OLDAUTHTOK, &item) == PAM_SUCCESS && item != NULL)
        old = item;
    else if (pam_get_authtok(pamh, PAM_OLDAUTHTOK, &old, NULL) != PAM_SUCCESS)
        old = NULL;
    if (old == NULL || *old == '\0') {
        pam_syslog(pamh, LOG_NOTICE, "no old password for user %s", user);
        return getuid() == 0 ? PAM_PERM_DENIED : PAM_AUTHTOK_ERR;
    }
    const char *new_password = NULL;
    int rc = pam_get_authtok(pamh, PAM_AUTHTOK, &new_password, NULL);
    if (rc != PAM_SUCCESS || new_password == NULL) {
        pam_syslog(pamh, LOG_NOTICE, "no new password for user %s: %s", user,
                   pam_strerror(pamh, rc));
        return rc == PAM_SUCCESS ? PAM_AUTHTOK_ERR : rc == PAM_CONV_AGAIN ? PAM_INCOMPLETE : rc;
    }
    if (strlen(new_password) > PAM_MAX_RESP_SIZE) {
        pam_syslog(pamh, LOG_NOTICE, "new password for user %s longer than %d bytes refused", user,
                   PAM_MAX_RESP_SIZE);
        return PAM_AUTHTOK_ERR;
    }
    NTSTATUS status = pl_change_password(pamh, opts, ctx, user, old, new_password);
    rc = pl_map_status(status, STATUS_SUCCESS, PL_CALL_CHANGE);
    if (rc != PAM_SUCCESS) {
        pl_log_status(pamh, rc == PAM_SERVICE_ERR ? LOG_ERR : LOG_NOTICE,
                      ctx->package_is_kerberos ? "KerbChangePasswordMessage failed"
                                               : "MsV1_0ChangePassword failed",
                      user, status, STATUS_SUCCESS);
        return rc;
    }
    pam_syslog(pamh, LOG_NOTICE, "password changed for user %s", user);
    if (pl_password_change_needed(ctx->status, ctx->sub_status)) {
        ctx->status = STATUS_SUCCESS;
        ctx->sub_status = STATUS_SUCCESS;
        /* An expired Kerberos password left no logon session (the KDC gave no TGT): log
         * on with the new one so setcred/open_session have tickets to hand over, as
         * pam-krb5 does after an expired-password change. */
        if (ctx->package_is_kerberos && ctx->authenticated && !ctx->have_session)
            relogon(pamh, opts, ctx, user, new_password);
    }
    return PAM_SUCCESS;
}

PL_EXPORT int pam_sm_chauthtok(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
    struct pl_options opts;
    int rc = pl_options_parse(pamh, flags, argc, argv, &opts);
    if (rc != PAM_SUCCESS)
        return rc;
    if (!(flags & (PAM_PRELIM_CHECK | PAM_UPDATE_AUTHTOK)) ||
        (flags & PAM_PRELIM_CHECK && flags & PAM_UPDATE_AUTHTOK)) {
        pam_syslog(pamh, LOG_ERR, "pam_sm_chauthtok: needs one of PAM_PRELIM_CHECK, PAM_UPDATE_AUTHTOK");
        return PAM_SERVICE_ERR;
    }
    const char *user = NULL;
    rc = pam_get_user(pamh, &user, NULL);
    if (rc != PAM_SUCCESS || user == NULL || *user == '\0') {
        pam_syslog(pamh, LOG_ERR, "cannot determine the user name: %s", pam_strerror(pamh, rc));
        return rc == PAM_SUCCESS ? PAM_USER_UNKNOWN : rc == PAM_CONV_AGAIN ? PAM_INCOMPLETE : rc;
    }
    if (pl_user_ignored(pamh, &opts, user))
        return PAM_IGNORE;
    /* Only an expired password is to change (login after acct_mgmt's
     * PAM_NEW_AUTHTOK_REQD): one this module did not see expire is not its business, as
     * in pam-krb5. */
    if (flags & PAM_CHANGE_EXPIRED_AUTHTOK) {
        const struct pl_context *seen = pl_context_get(pamh, 0);
        if (seen == NULL || !seen->authenticated ||
            (seen->sub_status != STATUS_PASSWORD_EXPIRED &&
             seen->sub_status != STATUS_PASSWORD_MUST_CHANGE)) {
            if (opts.debug)
                pam_syslog(pamh, LOG_DEBUG, "PAM_CHANGE_EXPIRED_AUTHTOK: the password of %s "
                                            "has not expired: ignored", user);
            return PAM_IGNORE;
        }
    }
    struct pl_context *ctx = pl_context_get(pamh, 1);
    if (ctx == NULL)
        return PAM_BUF_ERR;
    ctx->debug = opts.debug;
    rc = pl_connect(pamh, &opts, ctx);
    if (rc != PAM_SUCCESS)
        return rc;
    return flags & PAM_PRELIM_CHECK ? prelim_check(pamh, &opts, ctx, user)
                                    : update(pamh, &opts, ctx, user);
}
