/* Finding a loaded package: by id, or by name (length-equal, case-insensitive, as
 * ReactOS compares).  Besides its registered name a package answers to the aliases of
 * the table below and to its lsa.conf name (pam_lsa's package=msv1_0). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <lsa/lsa_util.h>
#include <lsa/ntsecapi.h>

#include "core.h"

static const struct {
    const char *alias;
    const char *name;
} aliases[] = {
    { "NTLM", MSV1_0_PACKAGE_NAME },
};

struct lsa_package *lsa_package_by_id(ULONG id)
{
    struct lsa *lsa = lsa_core();
    return id < lsa->package_count ? &lsa->packages[id] : NULL;
}

static BOOLEAN same(const char *a, const char *b, size_t length)
{
    return strlen(a) == length && strncasecmp(a, b, length) == 0;
}

struct lsa_package *lsa_package_by_name(const char *name, size_t length)
{
    struct lsa *lsa = lsa_core();
    for (size_t i = 0; i < lsa->package_count; i++)
        if (same(lsa->packages[i].name, name, length))
            return &lsa->packages[i];
    for (size_t a = 0; a < sizeof(aliases) / sizeof(aliases[0]); a++)
        if (same(aliases[a].alias, name, length))
            return lsa_package_by_name(aliases[a].name, strlen(aliases[a].name));
    for (size_t i = 0; i < lsa->package_count; i++)
        if (same(lsa->packages[i].config_name, name, length))
            return &lsa->packages[i];
    return NULL;
}

struct lsa_package *lsa_package_by_unicode_name(PCUNICODE_STRING name)
{
    if (name == NULL || (name->Length > 0 && name->Buffer == NULL))
        return NULL;
    char *utf8;
    size_t length;
    if (lsa_unicode_string_to_utf8(name, &utf8, &length) != STATUS_SUCCESS)
        return NULL;
    struct lsa_package *p = lsa_package_by_name(utf8, length);
    free(utf8);
    return p;
}
