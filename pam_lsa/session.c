/* pam_sm_open_session and pam_sm_close_session (pam_lsa(8)). */
#include <syslog.h>

#include <security/pam_ext.h>
#include <security/pam_modules.h>

#include "ccache.h"
#include "context.h"
#include "options.h"

PL_EXPORT int pam_sm_open_session(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
    struct pl_options opts;
    if (pl_options_parse(pamh, flags, argc, argv, &opts) != PAM_SUCCESS)
        return PAM_SESSION_ERR;
    struct pl_context *ctx = pl_context_get(pamh, 0);
    if (pl_export_logon_id(pamh, ctx) != PAM_SUCCESS)
        return PAM_SESSION_ERR;
    /* Kerberos: hosts that never call setcred still get the ticket cache. */
    return pl_ccache_establish(pamh, ctx, opts.debug, 0) == PAM_SUCCESS ? PAM_SUCCESS
                                                                         : PAM_SESSION_ERR;
}

PL_EXPORT int pam_sm_close_session(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
    struct pl_options opts;
    int parsed = pl_options_parse(pamh, flags, argc, argv, &opts) == PAM_SUCCESS;
    struct pl_context *ctx = pl_context_get(pamh, 0);
    if (ctx == NULL)
        return PAM_SUCCESS;
    if (parsed && opts.retain_after_close) {
        ctx->retain_after_close = 1;
        if (opts.debug)
            pam_syslog(pamh, LOG_DEBUG,
                       "retain_after_close: the logon session is kept, with its ticket cache");
        return PAM_SUCCESS;
    }
    pl_ccache_destroy(pamh, ctx, 1);
    return pl_context_end_session(pamh, ctx);
}
