/* A loaded authentication package, in either Windows model (DESIGN.md "Package ABI"). */
#ifndef LSA_CORE_PACKAGE_H
#define LSA_CORE_PACKAGE_H

#include <lsa/ntsecpkg.h>

#include "config.h"

enum lsa_package_model { LSA_PACKAGE_AP, LSA_PACKAGE_SSPAP };

struct lsa_package {
    ULONG id;
    enum lsa_package_model model;
    char *name;            /* as the package registered it (ANSI/UTF-8) */
    UNICODE_STRING uname;  /* the same in UTF-16, for CallPackage by UNICODE name */
    char *config_name;     /* its [lsa] packages entry, which names its lsa.conf section */
    char *file;
    void *dl;
    /* Entry points; NULL where the package has none. */
    PLSA_AP_LOGON_USER logon_user;
    PLSA_AP_LOGON_USER_EX logon_user_ex;
    PLSA_AP_LOGON_USER_EX2 logon_user_ex2;
    PLSA_AP_CALL_PACKAGE call_package;
    PLSA_AP_CALL_PACKAGE_UNTRUSTED call_package_untrusted;
    PLSA_AP_CALL_PACKAGE_PASSTHROUGH call_package_passthrough;
    PLSA_AP_LOGON_TERMINATED logon_terminated;
    SpShutdownFn *shutdown;
};

/* Load every package of config->packages, in order; failures are logged and skipped. */
NTSTATUS lsa_packages_load(const struct lsa_config *config, struct lsa_package **packages,
                           size_t *count);
void lsa_packages_unload(struct lsa_package *packages, size_t count);

/* Lookups over the loaded set (case-insensitive; aliases and lsa.conf names accepted). */
struct lsa_package *lsa_package_by_id(ULONG id);
/* During loading: the package with ID, loaded or initialising; NULL otherwise. */
struct lsa_package *lsa_package_loading(ULONG id);
struct lsa_package *lsa_package_by_name(const char *name, size_t length);
struct lsa_package *lsa_package_by_unicode_name(PCUNICODE_STRING name);

/* The table every SSP/AP package receives in SpInitialize, and its AP prefix. */
extern LSA_SECPKG_FUNCTION_TABLE lsa_secpkg_function_table;
void lsa_function_table_init(void);
/* The AP model's LSA_DISPATCH_TABLE is the binary prefix of the function table. */
static inline PLSA_DISPATCH_TABLE lsa_dispatch_table(void)
{
    return (PLSA_DISPATCH_TABLE)(void *)&lsa_secpkg_function_table;
}

#endif
