/*
 * pam_lsa options: one sorted table (options.c), parsed from the module arguments of
 * every pam_sm_* call.  String values point into argv, which lives as long as the call.
 */
#ifndef PAM_LSA_OPTIONS_H
#define PAM_LSA_OPTIONS_H

#include <security/pam_modules.h>

enum pl_logon {
    PL_LOGON_INTERACTIVE,
    PL_LOGON_CHALLENGE,
    PL_LOGON_CERTIFICATE,
};

/* What to do when lsa.conf says mode = daemon and lsad does not answer. */
enum pl_fallback {
    PL_FALLBACK_NONE,     /* PAM_AUTHINFO_UNAVAIL */
    PL_FALLBACK_EMBEDDED, /* the embedded LSA in this process (lsa_use_embedded_transport) */
};

struct pl_options {
    int debug;
    const char *domain;     /* "" when not given */
    const char *config;     /* NULL: lsa.conf's default place */
    enum pl_fallback daemon_fallback;
    int ignore_root;
    enum pl_logon logon;
    long minimum_uid;
    const char *package;    /* required */
    const char *pkinit_identity; /* logon=certificate: NULL = lsa.conf [kerberos] */
    const char *realm;      /* Kerberos: NULL = domain=, else krb5.conf default_realm */
    int retain_after_close;
    int silent;             /* the option, or PAM_SILENT in the call's flags */
    int try_first_pass;
    int use_authtok;
    int use_first_pass;
};

/* Fills OPTS from ARGV.  Unknown options are logged at LOG_ERR and ignored; a bad value
 * or a missing package= is logged and gives PAM_SERVICE_ERR. */
int pl_options_parse(pam_handle_t *pamh, int flags, int argc, const char **argv,
                     struct pl_options *opts);

#endif
