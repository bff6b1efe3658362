/* pam_lsa's Kerberos submit buffers and messages (pam_lsa(8), KERBEROS). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include <security/pam_ext.h>

#include <lsa/lsa_ext.h>
#include <lsa/ntsecapi.h>

#include "kerberos.h"

int pl_names_split(const struct pl_context *ctx, const struct pl_options *opts,
                   const char *user, struct pl_names *names)
{
    memset(names, 0, sizeof(*names));
    names->user = user;
    names->domain = opts->domain;
    if (!ctx->package_is_kerberos)
        return 0;
    if (opts->realm != NULL)
        names->domain = opts->realm;
    const char *at = strrchr(user, '@');
    if (at == NULL || at == user || at[1] == '\0')
        return 0;
    names->copy = strdup(user);
    if (names->copy == NULL)
        return -1;
    names->copy[at - user] = '\0';
    names->user = names->copy;
    names->domain = names->copy + (at - user) + 1;
    return 0;
}

void pl_names_free(struct pl_names *names)
{
    free(names->copy);
    memset(names, 0, sizeof(*names));
}

/* The Buffer of STRING (appended by pl_submit_unicode) as an offset from the block. */
static void to_offset(const struct pl_submit *s, PUNICODE_STRING string)
{
    if (string->Buffer != NULL)
        string->Buffer = (PWSTR)(uintptr_t)((unsigned char *)string->Buffer - s->data);
}

void pl_logon_certificate(pam_handle_t *pamh, const struct pl_options *opts,
                          struct pl_context *ctx, const char *user, const char *identity,
                          const char *pin, struct pl_logon_result *result)
{
    memset(result, 0, sizeof(*result));
    struct pl_names names;
    if (pl_names_split(ctx, opts, user, &names) != 0) {
        result->status = STATUS_NO_MEMORY;
        return;
    }
    size_t identity_length = strlen(identity);
    struct pl_submit s;
    if (identity_length > 0xffff ||
        pl_submit_start(&s, sizeof(KERB_CERTIFICATE_LOGON),
                        pl_room_for(names.domain) + pl_room_for(names.user) + pl_room_for(pin) +
                            identity_length + 2) != 0) {
        pl_names_free(&names);
        result->status = identity_length > 0xffff ? STATUS_LOGON_FAILURE : STATUS_NO_MEMORY;
        return;
    }
    PKERB_CERTIFICATE_LOGON request = (PKERB_CERTIFICATE_LOGON)s.data;
    request->MessageType = KerbCertificateLogon;
    request->Flags = 0;
    if (pl_submit_unicode(&s, &request->DomainName, names.domain) != 0 ||
        pl_submit_unicode(&s, &request->UserName, names.user) != 0 ||
        pl_submit_unicode(&s, &request->Pin, pin) != 0) {
        pl_submit_free(&s);
        pl_names_free(&names);
        pam_syslog(pamh, LOG_NOTICE, "user %s: the user, realm or PIN is not valid UTF-8", user);
        result->status = STATUS_LOGON_FAILURE;
        return;
    }
    pl_names_free(&names);
    /* CspData on Linux: the PKINIT identity (FILE:cert,key, PKCS11:..., ...) in UTF-8. */
    request->CspDataLength = (ULONG)identity_length;
    request->CspData = NULL;
    if (identity_length > 0) {
        unsigned char *at = pl_submit_append(&s, identity, identity_length);
        request->CspData = (PUCHAR)(uintptr_t)(at - s.data);
    }
    to_offset(&s, &request->DomainName);
    to_offset(&s, &request->UserName);
    to_offset(&s, &request->Pin);
    pl_submit_logon(pamh, ctx, Interactive, &s, result);
    pl_submit_free(&s);
}

NTSTATUS pl_retrieve_tgt(struct pl_context *ctx, PKERB_RETRIEVE_TKT_RESPONSE *reply)
{
    /* KerbRetrieveTicketMessage takes the cache query's request (§5.4): the logon
     * session's TGT, another session's only for a trusted caller. */
    KERB_QUERY_TKT_CACHE_REQUEST request;
    memset(&request, 0, sizeof(request));
    request.MessageType = KerbRetrieveTicketMessage;
    request.LogonId = ctx->logon_id;
    PVOID buffer = NULL;
    ULONG length = 0;
    NTSTATUS protocol = STATUS_SUCCESS;
    *reply = NULL;
    NTSTATUS status = LsaCallAuthenticationPackage(ctx->lsa, ctx->package, &request,
                                                   sizeof(request), &buffer, &length, &protocol);
    if (NT_SUCCESS(status) && !NT_SUCCESS(protocol))
        status = protocol;
    if (NT_SUCCESS(status) && (buffer == NULL || length < sizeof(KERB_RETRIEVE_TKT_RESPONSE)))
        status = STATUS_INTERNAL_ERROR;
    if (!NT_SUCCESS(status)) {
        if (buffer != NULL)
            LsaFreeReturnBuffer(buffer);
        return status;
    }
    *reply = buffer;
    return STATUS_SUCCESS;
}
