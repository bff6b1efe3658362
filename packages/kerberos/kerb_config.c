/*
 * [kerberos] keys and defaults:
 *
 *   verify_ticket      if_keytab   true | false | if_keytab
 *   kdc_timeout        3           seconds (1-300) for all KDC exchanges of one logon
 *   pkinit_identity    (none)      FILE:cert,key | PKCS12:file | PKCS11:... for
 *                                  certificate logons whose CspData is empty
 *   pkinit_anchors     (krb5.conf) FILE:ca.pem | DIR:... trust anchors for PKINIT
 *   pkinit_revoke      (none)      FILE:crl.pem, checked in a device logon's strict KDC
 *                                  validation
 *   machine_principal  host/<fqdn> the machine's principal (SYSTEM, NETWORK_SERVICE)
 *   machine_keytab     (krb5's)    its password credential
 *   device_identity    (none)      its PKINIT device credential
 *
 * [lsa] state_dir holds the machine sessions' state, in STATE_DIR/kerberos.
 */
#include "kerb_config.h"

#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lsa/ntstatus.h>

#include "kerb_log.h"

#ifndef KERB_STATE_DIR
#define KERB_STATE_DIR "/var/lib/lsa"
#endif

static NTSTATUS bad_value(const char *key, const char *value, const char *expected)
{
    char safe[KERB_LOG_NAME_SIZE];

    kerb_log(LOG_ERR, "configuration: [kerberos] %s = '%s' is not valid (%s)", key,
             lsa_log_name(value, safe, sizeof(safe)), expected);
    return STATUS_INVALID_PARAMETER;
}

static NTSTATUS copy_key(PLSA_SECPKG_FUNCTION_TABLE lsa, ULONG_PTR id, const char *key, char **out)
{
    const char *value = lsa->lsa_get_config(id, key);

    *out = NULL;
    if (value == NULL || *value == '\0')
        return STATUS_SUCCESS;
    *out = strdup(value);
    return *out ? STATUS_SUCCESS : STATUS_NO_MEMORY;
}

/* host/ and the host's canonical name, as kinit -k and sshd's GSSAPI name it. */
static char *default_machine_principal(void)
{
    char host[256], *principal = NULL;
    struct addrinfo hints, *ai = NULL;

    if (gethostname(host, sizeof(host) - 1) != 0)
        return NULL;
    host[sizeof(host) - 1] = '\0';
    memset(&hints, 0, sizeof(hints));
    hints.ai_flags = AI_CANONNAME;
    if (getaddrinfo(host, NULL, &hints, &ai) == 0 && ai != NULL && ai->ai_canonname != NULL)
        snprintf(host, sizeof(host), "%s", ai->ai_canonname);
    if (ai != NULL)
        freeaddrinfo(ai);
    for (char *p = host; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    if (asprintf(&principal, "host/%s", host) < 0)
        return NULL;
    return principal;
}

static NTSTATUS read_verify_ticket(PLSA_SECPKG_FUNCTION_TABLE lsa, ULONG_PTR id,
                                   struct kerb_config *c)
{
    const char *value = lsa->lsa_get_config(id, "verify_ticket");

    c->verify_ticket = KERB_VERIFY_IF_KEYTAB;
    if (value == NULL || strcmp(value, "if_keytab") == 0)
        return STATUS_SUCCESS;
    if (strcmp(value, "true") == 0 || strcmp(value, "yes") == 0)
        c->verify_ticket = KERB_VERIFY_ALWAYS;
    else if (strcmp(value, "false") == 0 || strcmp(value, "no") == 0)
        c->verify_ticket = KERB_VERIFY_NEVER;
    else
        return bad_value("verify_ticket", value, "true, false or if_keytab");
    return STATUS_SUCCESS;
}

static NTSTATUS read_kdc_timeout(PLSA_SECPKG_FUNCTION_TABLE lsa, ULONG_PTR id,
                                 struct kerb_config *c)
{
    const char *value = lsa->lsa_get_config(id, "kdc_timeout");
    char *end;
    double seconds;

    c->kdc_timeout_ms = 3000;
    if (value == NULL)
        return STATUS_SUCCESS;
    errno = 0;
    seconds = strtod(value, &end);
    if (!isdigit((unsigned char)value[0]) || errno != 0 || *end != '\0' || seconds < 0.1 ||
        seconds > 300)
        return bad_value("kdc_timeout", value, "seconds from 0.1 to 300");
    c->kdc_timeout_ms = (int64_t)(seconds * 1000);
    return STATUS_SUCCESS;
}

NTSTATUS kerb_config_load(struct kerb_config *c, PLSA_SECPKG_FUNCTION_TABLE lsa,
                          ULONG_PTR id)
{
    const char *state = lsa->lsa_get_config(LSA_CONFIG_SECTION_LSA, "state_dir");
    NTSTATUS status;

    memset(c, 0, sizeof(*c));
    status = read_verify_ticket(lsa, id, c);
    if (status == STATUS_SUCCESS)
        status = read_kdc_timeout(lsa, id, c);
    if (status == STATUS_SUCCESS)
        status = copy_key(lsa, id, "pkinit_identity", &c->pkinit_identity);
    if (status == STATUS_SUCCESS)
        status = copy_key(lsa, id, "pkinit_anchors", &c->pkinit_anchors);
    if (status == STATUS_SUCCESS)
        status = copy_key(lsa, id, "pkinit_revoke", &c->pkinit_revoke);
    if (status == STATUS_SUCCESS)
        status = copy_key(lsa, id, "machine_principal", &c->machine_principal);
    if (status == STATUS_SUCCESS)
        status = copy_key(lsa, id, "machine_keytab", &c->machine_keytab);
    if (status == STATUS_SUCCESS)
        status = copy_key(lsa, id, "device_identity", &c->device_identity);
    if (status == STATUS_SUCCESS && c->machine_principal == NULL &&
        (c->machine_principal = default_machine_principal()) == NULL)
        status = STATUS_NO_MEMORY;
    if (status == STATUS_SUCCESS &&
        asprintf(&c->state_dir, "%s/kerberos", state ? state : KERB_STATE_DIR) < 0) {
        c->state_dir = NULL;
        status = STATUS_NO_MEMORY;
    }
    if (status != STATUS_SUCCESS)
        kerb_config_free(c);
    return status;
}

void kerb_config_free(struct kerb_config *c)
{
    free(c->pkinit_identity);
    free(c->pkinit_anchors);
    free(c->pkinit_revoke);
    free(c->machine_principal);
    free(c->machine_keytab);
    free(c->device_identity);
    free(c->state_dir);
    memset(c, 0, sizeof(*c));
}
