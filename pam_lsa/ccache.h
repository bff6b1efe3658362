/*
 * The ticket hand-over of the Kerberos package (pam_lsa(8), CREDENTIAL CACHE): the TGT
 * of the logon session authenticate made, written to the user's own ccache (named by
 * krb5.conf's default_ccache_name, created with the user's identity) and exported as
 * KRB5CCNAME.  Destroyed at close_session / pam_end unless retain_after_close.
 */
#ifndef PAM_LSA_CCACHE_H
#define PAM_LSA_CCACHE_H

#include <security/pam_modules.h>

#include "context.h"
#include "options.h"

/* setcred(ESTABLISH/REINITIALIZE/REFRESH) and open_session, whichever comes first: a
 * no-op (PAM_SUCCESS) for MSV1_0 or without a logon session; once the ccache exists
 * only KRB5CCNAME is exported again, unless REWRITE (a credential refresh), which
 * stores the session's current TGT in it anew.  PAM_USER_UNKNOWN without a passwd
 * entry, PAM_CRED_UNAVAIL when the package has no TGT, PAM_CRED_ERR otherwise (all
 * logged). */
int pl_ccache_establish(pam_handle_t *pamh, struct pl_context *ctx, int debug, int rewrite);

/* Destroys the ccache (as its user) and forgets it; no-op without one.  UNSET_ENV also
 * removes KRB5CCNAME from the PAM environment. */
void pl_ccache_destroy(pam_handle_t *pamh, struct pl_context *ctx, int unset_env);

#endif
