/*
 * Loading authentication packages, both Windows models, from the lsa.conf list in order
 * (spec §2.1, §2.6, §3 "Package loading"):
 *   AP      exports LsaApInitializePackage and gets the 11-entry LSA_DISPATCH_TABLE;
 *   SSP/AP  exports SpLsaModeInitialize; each SECPKG_FUNCTION_TABLE it returns is one
 *           package, given the LSA_SECPKG_FUNCTION_TABLE by SpInitialize.
 * Ids count from 0 over the packages that loaded.  A package that fails is logged with
 * its file and the reason and left out; the others still work.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lsa/lsa_status.h>
#include <lsa/lsa_util.h>
#include <lsa/ntstatus.h>

#include "log.h"
#include "package.h"

struct loader {
    const struct lsa_config *config;
    struct lsa_package *packages;
    size_t count;
};

/* The load in progress: a package initialising asks for its own lsa.conf section by id
 * before the loaded set is published.  Loading runs once, under the core's pthread_once. */
static struct loader *active_loader;

struct lsa_package *lsa_package_loading(ULONG id)
{
    struct loader *l = active_loader;
    /* The slot being initialised is packages[count], filled before its init call. */
    return l != NULL && id <= l->count && l->packages != NULL ? &l->packages[id] : NULL;
}

static const char *status_label(NTSTATUS status)
{
    const char *name = lsa_status_name(status);
    static _Thread_local char hex[16];
    if (name != NULL)
        return name;
    snprintf(hex, sizeof(hex), "0x%08x", (unsigned)status);
    return hex;
}

static char *package_path(const struct lsa_config *config, const char *name)
{
    char *path;
    if (name[0] == '/')
        return strdup(name);
    if (asprintf(&path, "%s/%s.so", config->package_dir, name) < 0)
        return NULL;
    return path;
}

/* Names come back as LSA_STRING (AP) or a wide SpGetInfo name (SSP/AP). */
static NTSTATUS set_name(struct lsa_package *p, const char *bytes, size_t length)
{
    if (length == 0 || length > 127 || memchr(bytes, '\0', length) != NULL)
        return STATUS_INVALID_PARAMETER;
    p->name = strndup(bytes, length);
    if (p->name == NULL)
        return STATUS_NO_MEMORY;
    return lsa_utf8_to_unicode_string(p->name, length, &p->uname);
}

static NTSTATUS set_wide_name(struct lsa_package *p, const WCHAR *wide)
{
    if (wide == NULL)
        return STATUS_INVALID_PARAMETER;
    size_t n = 0;
    while (wide[n] != 0 && n < 128)
        n++;
    UNICODE_STRING u = { (USHORT)(n * sizeof(WCHAR)), (USHORT)(n * sizeof(WCHAR)), (PWSTR)wide };
    char *utf8;
    size_t length;
    NTSTATUS status = lsa_unicode_string_to_utf8(&u, &utf8, &length);
    if (status != STATUS_SUCCESS)
        return status;
    status = set_name(p, utf8, length);
    free(utf8);
    return status;
}

/* A package-returned LSA_STRING: the package allocated it with AllocateLsaHeap. */
static NTSTATUS take_lsa_string_name(struct lsa_package *p, PLSA_STRING name)
{
    if (name == NULL || name->Buffer == NULL || name->Length > name->MaximumLength)
        return STATUS_INVALID_PARAMETER;
    NTSTATUS status = set_name(p, name->Buffer, name->Length);
    lsa_secpkg_function_table.FreeLsaHeap(name->Buffer);
    lsa_secpkg_function_table.FreeLsaHeap(name);
    return status;
}

static void package_clear(struct lsa_package *p)
{
    free(p->name);
    lsa_free_unicode_string(&p->uname);
    free(p->config_name);
    free(p->file);
    memset(p, 0, sizeof(*p));
}

/* A package's lsa.conf name: its [lsa] packages entry, or for an absolute path the file
 * name without ".so" (section names are short: inih cuts them at 50 bytes). */
static char *config_name_of(const char *entry)
{
    if (entry[0] != '/')
        return strdup(entry);
    const char *base = strrchr(entry, '/') + 1;
    size_t n = strlen(base);
    if (n > 3 && strcmp(base + n - 3, ".so") == 0)
        n -= 3;
    return strndup(base, n);
}

static struct lsa_package *next_slot(struct loader *l, const char *entry, const char *file)
{
    struct lsa_package *grown = realloc(l->packages, (l->count + 1) * sizeof(*grown));
    if (grown == NULL)
        return NULL;
    l->packages = grown;
    struct lsa_package *p = &l->packages[l->count];
    memset(p, 0, sizeof(*p));
    p->id = (ULONG)l->count;
    p->config_name = config_name_of(entry);
    p->file = strdup(file);
    if (p->config_name == NULL || p->file == NULL) {
        package_clear(p);
        return NULL;
    }
    return p;
}

static BOOLEAN has_logon_entry(const struct lsa_package *p)
{
    return p->logon_user || p->logon_user_ex || p->logon_user_ex2;
}

static void load_ap(struct loader *l, void *dl, const char *config_name, const char *file)
{
    PLSA_AP_INITIALIZE_PACKAGE init = (PLSA_AP_INITIALIZE_PACKAGE)dlsym(dl, "LsaApInitializePackage");
    PLSA_AP_CALL_PACKAGE call = (PLSA_AP_CALL_PACKAGE)dlsym(dl, "LsaApCallPackage");
    if (call == NULL) {
        lsa_log(LOG_ERR, "package %s (%s): missing symbol LsaApCallPackage; not loaded", config_name,
                file);
        dlclose(dl);
        return;
    }
    struct lsa_package *p = next_slot(l, config_name, file);
    if (p == NULL) {
        dlclose(dl);
        return;
    }
    p->model = LSA_PACKAGE_AP;
    p->dl = dl;
    p->call_package = call;
    p->call_package_untrusted =
        (PLSA_AP_CALL_PACKAGE_UNTRUSTED)dlsym(dl, "LsaApCallPackageUntrusted");
    p->call_package_passthrough =
        (PLSA_AP_CALL_PACKAGE_PASSTHROUGH)dlsym(dl, "LsaApCallPackagePassthrough");
    p->logon_terminated = (PLSA_AP_LOGON_TERMINATED)dlsym(dl, "LsaApLogonTerminated");
    p->logon_user = (PLSA_AP_LOGON_USER)dlsym(dl, "LsaApLogonUser");
    p->logon_user_ex = (PLSA_AP_LOGON_USER_EX)dlsym(dl, "LsaApLogonUserEx");
    p->logon_user_ex2 = (PLSA_AP_LOGON_USER_EX2)dlsym(dl, "LsaApLogonUserEx2");
    if (!has_logon_entry(p)) {
        lsa_log(LOG_ERR,
                "package %s (%s): missing symbol LsaApLogonUser, LsaApLogonUserEx or "
                "LsaApLogonUserEx2; not loaded",
                config_name, file);
        goto fail;
    }
    PLSA_STRING name = NULL;
    NTSTATUS status = init(p->id, lsa_dispatch_table(), NULL, NULL, &name);
    if (!NT_SUCCESS(status)) {
        lsa_log(LOG_ERR, "package %s (%s): LsaApInitializePackage failed with %s; not loaded",
                config_name, file, status_label(status));
        goto fail;
    }
    if (take_lsa_string_name(p, name) != STATUS_SUCCESS) {
        lsa_log(LOG_ERR, "package %s (%s): LsaApInitializePackage returned no valid name; not loaded",
                config_name, file);
        goto fail;
    }
    l->count++;
    return;
fail:
    package_clear(p);
    dlclose(dl);
}

static NTSTATUS sspap_name(struct lsa_package *p, PSECPKG_FUNCTION_TABLE t)
{
    if (t->InitializePackage != NULL) {
        PLSA_STRING name = NULL;
        NTSTATUS status = t->InitializePackage(p->id, lsa_dispatch_table(), NULL, NULL, &name);
        if (!NT_SUCCESS(status))
            return status;
        if (name != NULL)
            return take_lsa_string_name(p, name);
    }
    if (t->GetInfo == NULL)
        return STATUS_INVALID_PARAMETER;
    SecPkgInfoW info;
    memset(&info, 0, sizeof(info));
    NTSTATUS status = t->GetInfo(&info);
    if (!NT_SUCCESS(status))
        return status;
    return set_wide_name(p, (const WCHAR *)info.Name);
}

static void load_sspap(struct loader *l, void *dl, SpLsaModeInitializeFn *mode_init,
                       const char *config_name, const char *file)
{
    ULONG version = 0, table_count = 0;
    PSECPKG_FUNCTION_TABLE tables = NULL;
    NTSTATUS status = mode_init(SECPKG_INTERFACE_VERSION, &version, &tables, &table_count);
    if (!NT_SUCCESS(status) || tables == NULL || table_count == 0) {
        lsa_log(LOG_ERR, "package %s (%s): SpLsaModeInitialize failed with %s; not loaded",
                config_name, file, NT_SUCCESS(status) ? "no tables" : status_label(status));
        dlclose(dl);
        return;
    }
    size_t loaded = 0;
    for (ULONG i = 0; i < table_count; i++) {
        PSECPKG_FUNCTION_TABLE t = &tables[i];
        struct lsa_package *p = next_slot(l, config_name, file);
        if (p == NULL)
            break;
        p->model = LSA_PACKAGE_SSPAP;
        p->dl = dl;
        p->call_package = t->CallPackage;
        p->call_package_untrusted = t->CallPackageUntrusted;
        p->call_package_passthrough = t->CallPackagePassthrough;
        p->logon_terminated = t->LogonTerminated;
        p->logon_user = t->LogonUser;
        p->logon_user_ex = t->LogonUserEx;
        p->logon_user_ex2 = t->LogonUserEx2;
        p->shutdown = t->Shutdown;

        SECPKG_PARAMETERS params;
        memset(&params, 0, sizeof(params));
        params.Version = SECPKG_INTERFACE_VERSION;
        params.MachineState = SECPKG_STATE_ENCRYPTION_PERMITTED |
                              SECPKG_STATE_STRONG_ENCRYPTION_PERMITTED | SECPKG_STATE_STANDALONE;
        status = t->Initialize ? t->Initialize(p->id, &params, &lsa_secpkg_function_table)
                               : STATUS_SUCCESS;
        if (!NT_SUCCESS(status)) {
            lsa_log(LOG_ERR, "package %s (%s) table %u: SpInitialize failed with %s; not loaded",
                    config_name, file, i, status_label(status));
            package_clear(p);
            continue;
        }
        status = sspap_name(p, t);
        if (status != STATUS_SUCCESS) {
            lsa_log(LOG_ERR,
                    "package %s (%s) table %u: no name from InitializePackage or SpGetInfo (%s); "
                    "not loaded",
                    config_name, file, i, status_label(status));
            package_clear(p);
            continue;
        }
        l->count++;
        loaded++;
    }
    /* The module stays mapped while any of its packages is loaded. */
    if (loaded == 0)
        dlclose(dl);
}

static void load_one(struct loader *l, const char *config_name)
{
    char *file = package_path(l->config, config_name);
    if (file == NULL)
        return;
    dlerror();
    void *dl = dlopen(file, RTLD_NOW | RTLD_LOCAL);
    if (dl == NULL) {
        lsa_log(LOG_ERR, "package %s (%s): cannot load: %s", config_name, file, dlerror());
        free(file);
        return;
    }
    SpLsaModeInitializeFn *mode_init = (SpLsaModeInitializeFn *)dlsym(dl, SECPKG_LSAMODEINIT_NAME);
    if (mode_init != NULL)
        load_sspap(l, dl, mode_init, config_name, file);
    else if (dlsym(dl, "LsaApInitializePackage") != NULL)
        load_ap(l, dl, config_name, file);
    else {
        lsa_log(LOG_ERR,
                "package %s (%s): missing symbol SpLsaModeInitialize or LsaApInitializePackage; "
                "not an authentication package",
                config_name, file);
        dlclose(dl);
    }
    free(file);
}

NTSTATUS lsa_packages_load(const struct lsa_config *config, struct lsa_package **packages,
                           size_t *count)
{
    struct loader l = { .config = config };
    active_loader = &l;
    for (size_t i = 0; i < config->package_count; i++)
        load_one(&l, config->packages[i]);
    active_loader = NULL;
    *packages = l.packages;
    *count = l.count;
    return STATUS_SUCCESS;
}

void lsa_packages_unload(struct lsa_package *packages, size_t count)
{
    for (size_t i = count; i-- > 0;) {
        if (packages[i].shutdown != NULL)
            packages[i].shutdown();
    }
    for (size_t i = count; i-- > 0;) {
        void *dl = packages[i].dl;
        BOOLEAN shared = i > 0 && packages[i - 1].dl == dl;
        package_clear(&packages[i]);
        if (!shared)
            dlclose(dl);
    }
    free(packages);
}
