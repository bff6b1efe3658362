/*
 * The machine logon: LogonType Service with UserName empty or the machine principal,
 * from a trusted caller (`lsa machine-logon`).  Its TGT goes to both machine sessions
 * (SYSTEM and NETWORK_SERVICE, kerb_machine.h), replacing every older ticket there —
 * so a device logon with a new certificate purges the old machine tickets (spec §1.1) —
 * and, like any logon, to a new logon session of its own.
 *
 * Which credential:
 *   KERB_CERTIFICATE_LOGON: a device logon with CspData, else [kerberos] device_identity.
 *   KERB_INTERACTIVE_LOGON with LogonDomainName LSA_KERB_MACHINE_KEYTAB_DOMAIN (a pam-lsa
 *     extension, lsa_ext.h): the keytab, whatever the device state.  An installed device
 *     credential stays installed, recorded "keytab IDENTITY" (the tickets are the
 *     keytab's), and is what the next logon without an explicit choice uses: as on
 *     Windows, the device credential is preferred until it is cleaned up.
 *   KERB_INTERACTIVE_LOGON otherwise: the device credential while one is installed, or
 *     device_identity when none was ever installed, else the keytab (after a cleanup).
 * A device logon checks the device certificate before sending (device_cert_check.h) and
 * validates the KDC strictly (kdc_cert_check.h).
 */
#include <stdlib.h>
#include <string.h>

#include <lsa/ntsecapi.h>
#include <lsa/ntstatus.h>
#include <lsa/winnt.h>

#include "device_cert_check.h"
#include "kerb_as.h"
#include "kerb_context.h"
#include "kerb_log.h"
#include "kerb_logon.h"
#include "kerb_machine.h"
#include "kerb_package.h"
#include "kerb_sessions.h"
#include "kerb_verify.h"
#include "pkinit_identity_check.h"

BOOLEAN kerb_logon_is_machine(const struct kerb_logon *l)
{
    return l->logon_type == Service &&
           (l->user[0] == '\0' ||
            strcmp(l->user, kerb_config_machine_principal(&kerb_package.config)) == 0);
}

static BOOLEAN keytab_requested(const struct kerb_logon *l)
{
    return !l->certificate && l->domain != NULL &&
           strcmp(l->domain, LSA_KERB_MACHINE_KEYTAB_DOMAIN) == 0;
}

/* The device identity to use, or NULL for the keytab.  *INSTALLED: the device
 * credential that stays installed while the keytab is used at the caller's request. */
static const char *choose_identity(const struct kerb_logon *l, char *active, size_t size,
                                   const char **installed)
{
    const LUID system = SYSTEM_LUID;
    enum kerb_device_state state;

    *installed = NULL;
    if (l->certificate)
        return l->identity ? l->identity : kerb_package.config.device_identity;
    state = kerb_machine_device_state(&system, active, size);
    if (keytab_requested(l)) {
        if (state == KERB_DEVICE_ACTIVE || state == KERB_DEVICE_KEYTAB)
            *installed = active;
        return NULL;
    }
    switch (state) {
    case KERB_DEVICE_ACTIVE:
    case KERB_DEVICE_KEYTAB:
        return active;
    case KERB_DEVICE_NONE:
        return kerb_package.config.device_identity;
    default:
        return NULL;
    }
}

/* The TGT into both machine sessions, and their device state: ACTIVE with IDENTITY (a
 * device logon), KEYTAB with INSTALLED (the keytab asked for while a device credential
 * is installed), else unchanged. */
static NTSTATUS store_machine_sessions(krb5_context ctx, krb5_creds *creds, const char *identity,
                                       const char *installed)
{
    const LUID ids[] = { SYSTEM_LUID, NETWORKSERVICE_LUID };
    char name[KERB_PATH_SIZE + 8];
    NTSTATUS status = STATUS_SUCCESS;

    for (size_t i = 0; i < 2 && status == STATUS_SUCCESS; i++) {
        if (identity != NULL)
            status = kerb_machine_set_device_state(&ids[i], KERB_DEVICE_ACTIVE, identity);
        else if (installed != NULL)
            status = kerb_machine_set_device_state(&ids[i], KERB_DEVICE_KEYTAB, installed);
        if (status == STATUS_SUCCESS)
            status = kerb_machine_ccache(&ids[i], name, sizeof(name));
        if (status == STATUS_SUCCESS)
            status = kerb_store_creds(ctx, name, creds, identity != NULL);
    }
    return status;
}

NTSTATUS kerb_logon_machine(struct kerb_logon *l, NTSTATUS *sub)
{
    const struct kerb_config *config = &kerb_package.config;
    struct kerb_exchange x;
    struct kerb_as_request request;
    struct kerb_as_failure failure;
    krb5_context ctx = NULL;
    krb5_keytab keytab = NULL;
    krb5_creds creds;
    char active[KERB_PATH_SIZE], *realm = NULL;
    const char *identity, *installed, *principal;
    BOOLEAN trusted;
    NTSTATUS status;

    if (kerb_client_is_trusted(&trusted) != STATUS_SUCCESS || !trusted) {
        kerb_log(LOG_NOTICE, "machine logon refused: the caller is not trusted");
        return STATUS_ACCESS_DENIED;
    }
    identity = choose_identity(l, active, sizeof(active), &installed);
    if (l->certificate && identity == NULL) {
        kerb_log(LOG_ERR, "device logon without a device credential: CspData is empty and "
                          "[kerberos] device_identity is not set");
        return STATUS_INVALID_PARAMETER;
    }
    if (identity != NULL) {
        /* The caller is trusted: only the kind of file matters. */
        status = kerb_check_identity_files(identity, TRUE, 0);
        if (status == STATUS_SUCCESS)
            status = kerb_check_device_certificate(identity, l->pin, sub);
        if (status != STATUS_SUCCESS)
            return status;
        if (config->pkinit_anchors == NULL) {
            kerb_log(LOG_ERR, "strict KDC validation of a device logon needs [kerberos] "
                              "pkinit_anchors");
            return STATUS_PKINIT_FAILURE;
        }
    }

    memset(&request, 0, sizeof(request));
    memset(&creds, 0, sizeof(creds));
    kerb_exchange_init(&x, config->kdc_timeout_ms);
    x.strict_kdc = identity != NULL;
    x.anchors = config->pkinit_anchors;
    x.crl = config->pkinit_revoke;
    status = kerb_context_new(&x, identity != NULL, &ctx);
    if (status != STATUS_SUCCESS)
        return status;
    principal = kerb_config_machine_principal(config);
    if (krb5_parse_name(ctx, principal, &request.client) != 0) {
        kerb_log(LOG_ERR, "[kerberos] machine_principal is not a principal name");
        status = STATUS_INVALID_PARAMETER;
        goto done;
    }
    if (identity != NULL) {
        request.pkinit_identity = identity;
        request.pkinit_anchors = config->pkinit_anchors;
        request.pin = l->pin;
    } else if (kerb_machine_keytab(ctx, config, &keytab) == 0) {
        request.keytab = keytab;
    }
    if (kerb_as_exchange(ctx, &x, &request, &creds, &failure) != 0) {
        status = kerb_map_as_failure(&x, &failure, sub);
        kerb_log(LOG_NOTICE, "machine logon of %s with %s failed (krb5 %ld) -> 0x%08x",
                 principal, identity ? "its device credential" : "its keytab",
                 (long)failure.code, (unsigned)status);
        goto done;
    }
    status = store_machine_sessions(ctx, &creds, identity, installed);
    if (status == STATUS_SUCCESS && installed != NULL)
        kerb_log(LOG_NOTICE, "machine logon with the keytab, as asked; the device credential "
                             "stays installed for later machine logons");
    realm = strndup(creds.client->realm.data, creds.client->realm.length);
    if (status == STATUS_SUCCESS)
        status = realm ? kerb_logon_finish(l, ctx, &creds, principal, realm, identity)
                       : STATUS_NO_MEMORY;
done:
    free(realm);
    krb5_free_cred_contents(ctx, &creds);
    krb5_free_principal(ctx, request.client);
    if (keytab != NULL)
        krb5_kt_close(ctx, keytab);
    krb5_free_context(ctx);
    return status;
}
