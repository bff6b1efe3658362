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
#include <pthread.h>
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

#define HOST_PREFIX "host/"
#define HOST_NAME_SIZE 256 /* the name after "host/", with its NUL */

static void lower(char *p)
{
    for (; *p; p++)
        *p = (char)tolower((unsigned char)*p);
}

/*
 * host/ and the host's canonical name, as kinit -k and sshd's GSSAPI name it.  At
 * SpInitialize only the host name is read (gethostname, the step that can fail) into a
 * block with room for any canonical name; the getaddrinfo that canonicalises it runs
 * when the principal is first used (kerb_config_machine_principal): it reads
 * nsswitch.conf, host.conf, resolv.conf and the hosts file, about 0.1 ms and 25 system
 * calls, in every process that loads the package, though only a machine logon or a
 * ticket verification needs the name.  Nothing can fail at that point (a failed
 * lookup keeps the host name, as it did at SpInitialize), so callers see the same name
 * and the same errors as before.
 */
static char *default_machine_principal(void)
{
    char *principal = malloc(sizeof(HOST_PREFIX) - 1 + HOST_NAME_SIZE);
    char *host;

    if (principal == NULL)
        return NULL;
    memcpy(principal, HOST_PREFIX, sizeof(HOST_PREFIX) - 1);
    host = principal + sizeof(HOST_PREFIX) - 1;
    if (gethostname(host, HOST_NAME_SIZE - 1) != 0) {
        free(principal);
        return NULL;
    }
    host[HOST_NAME_SIZE - 1] = '\0';
    lower(host);
    return principal;
}

static void canonicalise(char *host)
{
    struct addrinfo hints, *ai = NULL;

    memset(&hints, 0, sizeof(hints));
    hints.ai_flags = AI_CANONNAME;
    if (getaddrinfo(host, NULL, &hints, &ai) == 0 && ai != NULL && ai->ai_canonname != NULL)
        snprintf(host, HOST_NAME_SIZE, "%s", ai->ai_canonname);
    if (ai != NULL)
        freeaddrinfo(ai);
    lower(host);
}

static pthread_mutex_t canonical_lock = PTHREAD_MUTEX_INITIALIZER;

const char *kerb_config_machine_principal(const struct kerb_config *c)
{
    /* The one deferred part of the configuration; C is the package's own, not const. */
    struct kerb_config *m = (struct kerb_config *)c;

    pthread_mutex_lock(&canonical_lock);
    if (m->machine_principal_pending) {
        canonicalise(m->machine_principal + sizeof(HOST_PREFIX) - 1);
        m->machine_principal_pending = FALSE;
    }
    pthread_mutex_unlock(&canonical_lock);
    return c->machine_principal;
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
    if (status == STATUS_SUCCESS && c->machine_principal == NULL) {
        c->machine_principal = default_machine_principal();
        if (c->machine_principal == NULL)
            status = STATUS_NO_MEMORY;
        else
            c->machine_principal_pending = TRUE;
    }
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
