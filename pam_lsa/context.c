/* The per-handle context of pam_lsa and its cleanup (pam_set_data). */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include <security/pam_ext.h>
#include <security/pam_modutil.h>

#include <lsa/lsa_ext.h>
#include <lsa/lsa_status.h>

#include "ccache.h"
#include "context.h"
#include "lsa_glue.h"

#define PL_DATA_NAME "pam_lsa"

int pl_context_end_session(pam_handle_t *pamh, struct pl_context *ctx)
{
    int rc = PAM_SUCCESS;
    if (ctx->have_session && ctx->connected) {
        NTSTATUS status = lsa_terminate_logon_session(ctx->lsa, &ctx->logon_id);
        if (lsa_status_is_lsa_unreachable(status)) {
            /* mode = daemon and lsad died, or stopped answering, since authenticate: the
             * session lived in lsad, which keeps sessions in memory only.  Nothing here
             * can end it or confirm that it ended (pam_lsa(8), "DAEMON MODE"). */
            const char *path = lsa_daemon_socket_path();
            char a[16];
            const char *name = lsa_status_name(status);
            if (name == NULL) {
                snprintf(a, sizeof(a), "0x%08lx", (unsigned long)(ULONG)status);
                name = a;
            }
            pam_syslog(pamh, LOG_ERR,
                       "lsad is not reachable at %s (%s): cannot end logon session "
                       "%08lx:%08lx; it ended with lsad if lsad exited",
                       path ? path : "(lsa.conf unreadable)", name,
                       (unsigned long)(ULONG)ctx->logon_id.HighPart,
                       (unsigned long)ctx->logon_id.LowPart);
            rc = PAM_SESSION_ERR;
        } else if (status != STATUS_SUCCESS && status != STATUS_NO_SUCH_LOGON_SESSION) {
            pl_log_status(pamh, LOG_ERR, "ending the logon session", NULL, status, STATUS_SUCCESS);
        } else if (ctx->debug)
            pam_syslog(pamh, LOG_DEBUG, "logon session %08lx:%08lx %s",
                       (unsigned long)(ULONG)ctx->logon_id.HighPart,
                       (unsigned long)ctx->logon_id.LowPart,
                       status == STATUS_SUCCESS ? "ended" : "had already ended");
    }
    ctx->have_session = 0;
    if (ctx->have_token) {
        lsa_close_token(ctx->token);
        ctx->have_token = 0;
    }
    return rc;
}

/*
 * PAM_DATA_SILENT marks the copy a forked child drops (pam_end in the child of a
 * privilege-separated server): the session belongs to the parent, so the child touches
 * no LSA state; closing the last token would end the session as well, so it is left
 * alone too.  retain_after_close keeps the session (and the token that holds it) for the
 * life of the process.
 */
static void cleanup(pam_handle_t *pamh, void *data, int error_status)
{
    struct pl_context *ctx = data;
    if (ctx == NULL)
        return;
    if (!(error_status & PAM_DATA_SILENT)) {
        if (!ctx->retain_after_close) {
            /* pam-krb5's rule: the ticket cache lives until close_session or pam_end.
             * The PAM environment is gone by now: KRB5CCNAME is left alone. */
            pl_ccache_destroy(pamh, ctx, 0);
            pl_context_end_session(pamh, ctx);
        }
        if (ctx->connected && !(ctx->retain_after_close && ctx->have_token))
            LsaDeregisterLogonProcess(ctx->lsa);
    }
    free(ctx->ccache);
    explicit_bzero(ctx, sizeof(*ctx));
    free(ctx);
}

struct pl_context *pl_context_get(pam_handle_t *pamh, int create)
{
    const void *data = NULL;
    if (pam_get_data(pamh, PL_DATA_NAME, &data) == PAM_SUCCESS && data != NULL)
        return (struct pl_context *)data;
    if (!create)
        return NULL;
    struct pl_context *ctx = calloc(1, sizeof(*ctx));
    if (ctx == NULL) {
        pam_syslog(pamh, LOG_CRIT, "out of memory");
        return NULL;
    }
    if (pam_set_data(pamh, PL_DATA_NAME, ctx, cleanup) != PAM_SUCCESS) {
        pam_syslog(pamh, LOG_ERR, "pam_set_data failed");
        free(ctx);
        return NULL;
    }
    return ctx;
}

int pl_user_ignored(pam_handle_t *pamh, const struct pl_options *opts, const char *user)
{
    struct passwd *pw = pam_modutil_getpwnam(pamh, user);
    if (pw == NULL)
        return 0;
    if (opts->ignore_root && pw->pw_uid == 0) {
        if (opts->debug)
            pam_syslog(pamh, LOG_DEBUG, "ignoring root (ignore_root)");
        return 1;
    }
    if (opts->minimum_uid > 0 && (long)pw->pw_uid < opts->minimum_uid) {
        if (opts->debug)
            pam_syslog(pamh, LOG_DEBUG, "ignoring %s: uid %ld below minimum_uid %ld", user,
                       (long)pw->pw_uid, opts->minimum_uid);
        return 1;
    }
    return 0;
}

int pl_export_logon_id(pam_handle_t *pamh, const struct pl_context *ctx)
{
    if (ctx == NULL || !ctx->have_session)
        return PAM_SUCCESS;
    char env[64];
    unsigned long long id = (unsigned long long)(ULONG)ctx->logon_id.HighPart << 32 |
                            ctx->logon_id.LowPart;
    snprintf(env, sizeof(env), "LSA_LOGON_ID=%016llx", id);
    int rc = pam_putenv(pamh, env);
    if (rc != PAM_SUCCESS)
        pam_syslog(pamh, LOG_ERR, "pam_putenv(LSA_LOGON_ID) failed: %s", pam_strerror(pamh, rc));
    return rc == PAM_SUCCESS ? PAM_SUCCESS : PAM_BUF_ERR;
}
