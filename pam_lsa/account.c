/* pam_sm_acct_mgmt: the verdict of the last logon's SubStatus (pam_lsa(8)). */
#include <syslog.h>

#include <security/pam_ext.h>
#include <security/pam_modules.h>

#include <lsa/ntstatus.h>

#include "context.h"
#include "lsa_glue.h"
#include "options.h"

PL_EXPORT int pam_sm_acct_mgmt(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
    struct pl_options opts;
    int rc = pl_options_parse(pamh, flags, argc, argv, &opts);
    if (rc != PAM_SUCCESS)
        return rc;
    struct pl_context *ctx = pl_context_get(pamh, 0);
    if (ctx == NULL || !ctx->authenticated) {
        if (opts.debug)
            pam_syslog(pamh, LOG_DEBUG, "the user was not authenticated by pam_lsa: ignored");
        return PAM_IGNORE;
    }
    const char *user = NULL;
    if (pam_get_item(pamh, PAM_USER, (const void **)&user) != PAM_SUCCESS)
        user = NULL;
    rc = pl_map_status(ctx->status, ctx->sub_status, PL_CALL_ACCOUNT);
    if (rc != PAM_SUCCESS)
        pl_log_status(pamh, LOG_NOTICE, "account check failed", user, ctx->status, ctx->sub_status);
    /* Tell the user why a password change follows, as pam_unix does; PAM_SILENT and the
     * silent option keep it quiet. */
    if (rc == PAM_NEW_AUTHTOK_REQD && !opts.silent)
        pam_info(pamh, "%s", ctx->sub_status == STATUS_PASSWORD_EXPIRED
                                 ? "Your password has expired. You must change it now."
                                 : "You are required to change your password now.");
    return rc;
}
