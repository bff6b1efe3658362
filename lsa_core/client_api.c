/*
 * The client API of ntsecapi.h (spec §1.1).  Checks the caller's arguments, then hands
 * the call to the transport (embedded now, lsad later): the same checks and the same
 * results whichever transport carries the call.
 */
#include <stdint.h>
#include <string.h>

#include <lsa/lsa_ext.h>
#include <lsa/ntsecapi.h>

#include "client_memory.h"
#include "connection.h"
#include "lsa_visibility.h"
#include "transport.h"

static NTSTATUS lsa_string_ok(PLSA_STRING s)
{
    if (s == NULL || s->Length > s->MaximumLength || (s->Length > 0 && s->Buffer == NULL))
        return STATUS_INVALID_PARAMETER;
    return s->Length > LSA_MAX_NAME_LENGTH ? STATUS_NAME_TOO_LONG : STATUS_SUCCESS;
}

LSA_PUBLIC NTSTATUS NTAPI LsaRegisterLogonProcess(PLSA_STRING LogonProcessName, PHANDLE LsaHandle,
                                                  PLSA_OPERATIONAL_MODE SecurityMode)
{
    if (LsaHandle == NULL)
        return STATUS_INVALID_PARAMETER;
    *LsaHandle = NULL;
    NTSTATUS status = lsa_string_ok(LogonProcessName);
    if (status != STATUS_SUCCESS)
        return status;
    const struct lsa_transport *t;
    status = lsa_transport_get(&t);
    if (status != STATUS_SUCCESS)
        return status;
    status = t->connect(TRUE, LogonProcessName->Buffer, LogonProcessName->Length, LsaHandle);
    if (status == STATUS_SUCCESS && SecurityMode != NULL)
        *SecurityMode = 0; /* documented as meaningless */
    return status;
}

LSA_PUBLIC NTSTATUS NTAPI LsaConnectUntrusted(PHANDLE LsaHandle)
{
    if (LsaHandle == NULL)
        return STATUS_INVALID_PARAMETER;
    *LsaHandle = NULL;
    const struct lsa_transport *t;
    NTSTATUS status = lsa_transport_get(&t);
    if (status != STATUS_SUCCESS)
        return status;
    return t->connect(FALSE, NULL, 0, LsaHandle);
}

LSA_PUBLIC NTSTATUS NTAPI LsaDeregisterLogonProcess(HANDLE LsaHandle)
{
    const struct lsa_transport *t;
    NTSTATUS status = lsa_transport_get(&t);
    if (status != STATUS_SUCCESS)
        return STATUS_INVALID_HANDLE;
    return t->disconnect(LsaHandle);
}

LSA_PUBLIC NTSTATUS NTAPI LsaLookupAuthenticationPackage(HANDLE LsaHandle, PLSA_STRING PackageName,
                                                         PULONG AuthenticationPackage)
{
    if (AuthenticationPackage == NULL)
        return STATUS_INVALID_PARAMETER;
    NTSTATUS status = lsa_string_ok(PackageName);
    if (status != STATUS_SUCCESS)
        return status;
    const struct lsa_transport *t;
    status = lsa_transport_get(&t);
    if (status != STATUS_SUCCESS)
        return STATUS_INVALID_HANDLE;
    return t->lookup_package(LsaHandle, PackageName->Buffer, PackageName->Length,
                             AuthenticationPackage);
}

LSA_PUBLIC NTSTATUS NTAPI LsaCallAuthenticationPackage(HANDLE LsaHandle, ULONG AuthenticationPackage,
                                                       PVOID ProtocolSubmitBuffer,
                                                       ULONG SubmitBufferLength,
                                                       PVOID *ProtocolReturnBuffer,
                                                       PULONG ReturnBufferLength,
                                                       PNTSTATUS ProtocolStatus)
{
    if (ProtocolReturnBuffer == NULL || ReturnBufferLength == NULL || ProtocolStatus == NULL ||
        (ProtocolSubmitBuffer == NULL && SubmitBufferLength > 0))
        return STATUS_INVALID_PARAMETER;
    *ProtocolReturnBuffer = NULL;
    *ReturnBufferLength = 0;
    const struct lsa_transport *t;
    NTSTATUS status = lsa_transport_get(&t);
    if (status != STATUS_SUCCESS)
        return STATUS_INVALID_HANDLE;
    return t->call_package(LsaHandle, AuthenticationPackage, ProtocolSubmitBuffer,
                           SubmitBufferLength, ProtocolReturnBuffer, ReturnBufferLength,
                           ProtocolStatus);
}

LSA_PUBLIC NTSTATUS NTAPI LsaLogonUser(HANDLE LsaHandle, PLSA_STRING OriginName,
                                       SECURITY_LOGON_TYPE LogonType, ULONG AuthenticationPackage,
                                       PVOID AuthenticationInformation,
                                       ULONG AuthenticationInformationLength,
                                       PTOKEN_GROUPS LocalGroups, PTOKEN_SOURCE SourceContext,
                                       PVOID *ProfileBuffer, PULONG ProfileBufferLength,
                                       PLUID LogonId, PHANDLE Token, PQUOTA_LIMITS Quotas,
                                       PNTSTATUS SubStatus)
{
    (void)SourceContext; /* Linux tokens carry no source */
    if (ProfileBuffer == NULL || ProfileBufferLength == NULL || LogonId == NULL || Token == NULL ||
        SubStatus == NULL || (AuthenticationInformation == NULL && AuthenticationInformationLength))
        return STATUS_INVALID_PARAMETER;
    if (OriginName != NULL && (OriginName->Length > OriginName->MaximumLength ||
                               (OriginName->Length > 0 && OriginName->Buffer == NULL)))
        return STATUS_INVALID_PARAMETER;
    *ProfileBuffer = NULL;
    *ProfileBufferLength = 0;
    *Token = NULL;
    memset(LogonId, 0, sizeof(*LogonId));
    *SubStatus = STATUS_SUCCESS;
    if (Quotas != NULL)
        memset(Quotas, 0, sizeof(*Quotas));

    const struct lsa_transport *t;
    NTSTATUS status = lsa_transport_get(&t);
    if (status != STATUS_SUCCESS)
        return STATUS_INVALID_HANDLE;
    struct lsa_logon_request req = {
        .origin = OriginName ? OriginName->Buffer : NULL,
        .origin_length = OriginName ? OriginName->Length : 0,
        .logon_type = LogonType,
        .package_id = AuthenticationPackage,
        .authentication_information = AuthenticationInformation,
        .client_base = AuthenticationInformation,
        .authentication_information_length = AuthenticationInformationLength,
        .has_local_groups = LocalGroups != NULL,
    };
    struct lsa_logon_result res = { 0 };
    status = t->logon_user(LsaHandle, &req, &res);
    *SubStatus = res.sub_status;
    if (!NT_SUCCESS(status))
        return status;
    *ProfileBuffer = res.profile_buffer;
    *ProfileBufferLength = res.profile_buffer_length;
    *LogonId = res.logon_id;
    *Token = res.token;
    return status;
}

LSA_PUBLIC NTSTATUS NTAPI LsaFreeReturnBuffer(PVOID Buffer)
{
    if (Buffer == NULL)
        return STATUS_SUCCESS;
    return lsa_client_buffer_free(Buffer);
}

LSA_PUBLIC NTSTATUS NTAPI LsaEnumerateLogonSessions(PULONG LogonSessionCount,
                                                    PLUID *LogonSessionList)
{
    if (LogonSessionCount == NULL || LogonSessionList == NULL)
        return STATUS_INVALID_PARAMETER;
    *LogonSessionCount = 0;
    *LogonSessionList = NULL;
    const struct lsa_transport *t;
    NTSTATUS status = lsa_transport_get(&t);
    if (status != STATUS_SUCCESS)
        return status;
    return t->enumerate_sessions(LogonSessionCount, LogonSessionList);
}

/* The block's string Buffers arrive as offsets from its start (spec §1.2, as ReactOS);
 * here they become addresses in the caller's copy. */
static void session_data_to_pointers(PSECURITY_LOGON_SESSION_DATA d, ULONG length)
{
    LSA_UNICODE_STRING *strings[] = {
        &d->UserName,   &d->LogonDomain, &d->AuthenticationPackage, &d->LogonServer,
        &d->DnsDomainName, &d->Upn,      &d->LogonScript,           &d->ProfilePath,
        &d->HomeDirectory, &d->HomeDirectoryDrive,
    };
    for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++) {
        uintptr_t offset = (uintptr_t)strings[i]->Buffer;
        if (strings[i]->MaximumLength == 0 || offset == 0 || offset >= length ||
            strings[i]->MaximumLength > length - offset) {
            memset(strings[i], 0, sizeof(*strings[i]));
            continue;
        }
        strings[i]->Buffer = (PWSTR)((unsigned char *)d + offset);
    }
    d->Sid = NULL;
}

LSA_PUBLIC NTSTATUS NTAPI LsaGetLogonSessionData(PLUID LogonId,
                                                 PSECURITY_LOGON_SESSION_DATA *ppLogonSessionData)
{
    if (LogonId == NULL || ppLogonSessionData == NULL)
        return STATUS_INVALID_PARAMETER;
    *ppLogonSessionData = NULL;
    const struct lsa_transport *t;
    NTSTATUS status = lsa_transport_get(&t);
    if (status != STATUS_SUCCESS)
        return status;
    PVOID block;
    ULONG length;
    status = t->get_session_data(LogonId, &block, &length);
    if (status != STATUS_SUCCESS)
        return status;
    if (length < sizeof(SECURITY_LOGON_SESSION_DATA)) {
        LsaFreeReturnBuffer(block);
        return STATUS_INTERNAL_ERROR;
    }
    session_data_to_pointers(block, length);
    *ppLogonSessionData = block;
    return STATUS_SUCCESS;
}

LSA_PUBLIC NTSTATUS lsa_terminate_logon_session(HANDLE LsaHandle, PLUID LogonId)
{
    if (LogonId == NULL)
        return STATUS_INVALID_PARAMETER;
    const struct lsa_transport *t;
    NTSTATUS status = lsa_transport_get(&t);
    if (status != STATUS_SUCCESS)
        return STATUS_INVALID_HANDLE;
    return t->terminate_session(LsaHandle, LogonId);
}

LSA_PUBLIC NTSTATUS lsa_enumerate_packages(HANDLE LsaHandle, LSA_PACKAGE_INFO **Packages,
                                           ULONG *Count)
{
    if (Packages == NULL || Count == NULL)
        return STATUS_INVALID_PARAMETER;
    *Packages = NULL;
    *Count = 0;
    const struct lsa_transport *t;
    NTSTATUS status = lsa_transport_get(&t);
    if (status != STATUS_SUCCESS)
        return STATUS_INVALID_HANDLE;
    return t->enumerate_packages(LsaHandle, Packages, Count);
}
