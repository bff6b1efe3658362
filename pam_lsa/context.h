/*
 * Per-handle state of pam_lsa, kept with pam_set_data under "pam_lsa": the LSA
 * connection, the package, the logon session authenticate made, and the SubStatus of the
 * last logon for acct_mgmt.  The cleanup function runs at pam_end (or when the data is
 * replaced).
 */
#ifndef PAM_LSA_CONTEXT_H
#define PAM_LSA_CONTEXT_H

#include <sys/types.h>

#include <security/pam_modules.h>

#include <lsa/ntsecapi.h>

#include "options.h"

/* The PAM entry points are the only exported symbols (built with -fvisibility=hidden). */
#define PL_EXPORT __attribute__((visibility("default")))

struct pl_context {
    HANDLE lsa;                 /* valid when connected */
    int connected;
    ULONG package;
    int package_is_msv1_0;
    int package_is_kerberos;
    LUID logon_id;              /* valid when have_session */
    int have_session;
    HANDLE token;               /* valid when have_token */
    int have_token;
    NTSTATUS status;            /* of the last logon */
    NTSTATUS sub_status;
    int authenticated;          /* this module authenticated the user */
    char *ccache;               /* the user's ccache (ccache.c), or NULL */
    uid_t ccache_uid;           /* its owner, when ccache is set */
    gid_t ccache_gid;
    int retain_after_close;
    int debug;
};

/* The handle's context, created (zeroed) when CREATE and there is none; NULL when there
 * is none, or on failure (logged). */
struct pl_context *pl_context_get(pam_handle_t *pamh, int create);

/* Ends the context's logon session now (close_session, a replaced authentication) and
 * closes its token; no-op without a session.  PAM_SUCCESS (a refusal of the LSA is only
 * logged), or PAM_SESSION_ERR (logged) when lsad could not be reached to end it. */
int pl_context_end_session(pam_handle_t *pamh, struct pl_context *ctx);



/* TRUE when USER is outside the module: uid below minimum_uid, or root with
 * ignore_root (logged at LOG_DEBUG with debug).  Users without a passwd entry are not
 * ignored: the LSA decides about them. */
int pl_user_ignored(pam_handle_t *pamh, const struct pl_options *opts, const char *user);

/* pam_putenv("LSA_LOGON_ID=%016llx") of the context's session; PAM_SUCCESS when there is
 * none. */
int pl_export_logon_id(pam_handle_t *pamh, const struct pl_context *ctx);
#endif
