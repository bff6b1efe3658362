/*
 * A client written the way the Microsoft documentation shows it (LsaConnectUntrusted,
 * LsaLookupAuthenticationPackage, LsaCallAuthenticationPackage, LsaLogonUser with an
 * MSV1_0_INTERACTIVE_LOGON whose strings are packed after the structure, a klist-style
 * ticket-cache query), using only <lsa/ntsecapi.h> from this project.  It proves that
 * such code compiles unchanged against our headers; the test suite compiles it with
 * -std=c11 -Wall -Wextra -Werror -pedantic and does not run it.
 *
 * The only departures from the Windows samples are the ones the platform forces: u""
 * literals for L"" (WCHAR is UTF-16 here), printf of UNICODE_STRING without %wZ, and
 * lsa_close_token() where Windows calls CloseHandle(Token).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lsa/ntsecapi.h>

/* The docs' InitLsaString helper. */
static void InitLsaString(PLSA_STRING LsaString, PCSTR Source)
{
    size_t len = strlen(Source);

    LsaString->Buffer = (PCHAR)Source;
    LsaString->Length = (USHORT)len;
    LsaString->MaximumLength = (USHORT)(len + 1);
}

static USHORT Utf16ByteLength(PCWSTR s)
{
    size_t n = 0;

    while (s[n] != 0)
        n++;
    return (USHORT)(n * sizeof(WCHAR));
}

/* Print a UNICODE_STRING (Windows samples use "%wZ"). */
static void PrintUnicodeString(PCSTR Label, const UNICODE_STRING *s)
{
    USHORT i;

    printf("%s", Label);
    for (i = 0; s->Buffer != NULL && i < s->Length / sizeof(WCHAR); i++)
        putchar(s->Buffer[i] < 0x80 ? (int)s->Buffer[i] : '?');
    putchar('\n');
}

/* Copy Source to *Cursor and point Dest at the copy: the packed-buffer idiom of the docs. */
static void PackUnicodeString(PUNICODE_STRING Dest, PCWSTR Source, PUCHAR *Cursor)
{
    Dest->Length = Utf16ByteLength(Source);
    Dest->MaximumLength = Dest->Length;
    Dest->Buffer = (PWSTR)*Cursor;
    memcpy(*Cursor, Source, Dest->Length);
    *Cursor += Dest->Length;
}

/* One block: the structure, then domain, user and password; Buffers point inside it. */
static PMSV1_0_INTERACTIVE_LOGON BuildInteractiveLogon(PCWSTR Domain, PCWSTR User, PCWSTR Password,
                                                       PULONG LogonSize)
{
    ULONG size = sizeof(MSV1_0_INTERACTIVE_LOGON) + Utf16ByteLength(Domain) + Utf16ByteLength(User) +
                 Utf16ByteLength(Password);
    PMSV1_0_INTERACTIVE_LOGON logon = (PMSV1_0_INTERACTIVE_LOGON)calloc(1, size);
    PUCHAR cursor;

    if (logon == NULL)
        return NULL;
    logon->MessageType = MsV1_0InteractiveLogon;
    cursor = (PUCHAR)(logon + 1);
    PackUnicodeString(&logon->LogonDomainName, Domain, &cursor);
    PackUnicodeString(&logon->UserName, User, &cursor);
    PackUnicodeString(&logon->Password, Password, &cursor);
    *LogonSize = size;
    return logon;
}

static void ReportFailure(PCSTR What, NTSTATUS Status)
{
    printf("%s failed: 0x%08lx (Win32 error %lu)\n", What, (unsigned long)(ULONG)Status,
           (unsigned long)LsaNtStatusToWinError(Status));
}

/* MsV1_0Lm20ChallengeRequest: the first half of a network logon. */
static void GetChallenge(HANDLE LsaHandle, ULONG MsvPackage)
{
    MSV1_0_LM20_CHALLENGE_REQUEST request;
    PMSV1_0_LM20_CHALLENGE_RESPONSE response = NULL;
    ULONG responseSize = 0;
    NTSTATUS status, subStatus;
    int i;

    request.MessageType = MsV1_0Lm20ChallengeRequest;
    status = LsaCallAuthenticationPackage(LsaHandle, MsvPackage, &request, sizeof(request),
                                          (PVOID *)&response, &responseSize, &subStatus);
    if (!NT_SUCCESS(status) || !NT_SUCCESS(subStatus)) {
        ReportFailure("MsV1_0Lm20ChallengeRequest", NT_SUCCESS(status) ? subStatus : status);
        return;
    }
    printf("challenge:");
    for (i = 0; i < MSV1_0_CHALLENGE_LENGTH; i++)
        printf(" %02x", response->ChallengeToClient[i]);
    putchar('\n');
    LsaFreeReturnBuffer(response);
}

/* KerbQueryTicketCacheMessage, as in the klist sample. */
static void ShowTickets(HANDLE LsaHandle, ULONG KerberosPackage)
{
    KERB_QUERY_TKT_CACHE_REQUEST cacheRequest;
    PKERB_QUERY_TKT_CACHE_RESPONSE cacheResponse = NULL;
    ULONG responseSize = 0;
    NTSTATUS status, subStatus;
    ULONG i;

    cacheRequest.MessageType = KerbQueryTicketCacheMessage;
    cacheRequest.LogonId.LowPart = 0;
    cacheRequest.LogonId.HighPart = 0;

    status = LsaCallAuthenticationPackage(LsaHandle, KerberosPackage, &cacheRequest, sizeof(cacheRequest),
                                          (PVOID *)&cacheResponse, &responseSize, &subStatus);
    if (!NT_SUCCESS(status) || !NT_SUCCESS(subStatus)) {
        ReportFailure("KerbQueryTicketCacheMessage", NT_SUCCESS(status) ? subStatus : status);
        return;
    }
    printf("cached tickets: %lu\n", (unsigned long)cacheResponse->CountOfTickets);
    for (i = 0; i < cacheResponse->CountOfTickets; i++) {
        PKERB_TICKET_CACHE_INFO ticket = &cacheResponse->Tickets[i];

        PrintUnicodeString("  server: ", &ticket->ServerName);
        PrintUnicodeString("  realm:  ", &ticket->RealmName);
        printf("  etype %ld, flags 0x%08lx%s%s\n", (long)ticket->EncryptionType,
               (unsigned long)ticket->TicketFlags,
               (ticket->TicketFlags & KERB_TICKET_FLAGS_forwardable) ? " forwardable" : "",
               (ticket->TicketFlags & KERB_TICKET_FLAGS_renewable) ? " renewable" : "");
    }
    LsaFreeReturnBuffer(cacheResponse);
}

/* KerbRetrieveEncodedTicketMessage with the target name packed after the request. */
static void GetEncodedTicket(HANDLE LsaHandle, ULONG KerberosPackage, PCWSTR Target)
{
    USHORT targetBytes = Utf16ByteLength(Target);
    ULONG requestSize = sizeof(KERB_RETRIEVE_TKT_REQUEST) + targetBytes;
    PKERB_RETRIEVE_TKT_REQUEST request = (PKERB_RETRIEVE_TKT_REQUEST)calloc(1, requestSize);
    PKERB_RETRIEVE_TKT_RESPONSE response = NULL;
    ULONG responseSize = 0;
    NTSTATUS status, subStatus;

    if (request == NULL)
        return;
    request->MessageType = KerbRetrieveEncodedTicketMessage;
    request->LogonId.LowPart = 0;
    request->LogonId.HighPart = 0;
    request->TargetName.Buffer = (PWSTR)(request + 1);
    request->TargetName.Length = targetBytes;
    request->TargetName.MaximumLength = targetBytes;
    memcpy(request->TargetName.Buffer, Target, targetBytes);
    request->TicketFlags = KERB_USE_DEFAULT_TICKET_FLAGS;
    request->CacheOptions = KERB_RETRIEVE_TICKET_DEFAULT;
    request->EncryptionType = KERB_ETYPE_DEFAULT;
    request->CredentialsHandle.dwLower = 0;
    request->CredentialsHandle.dwUpper = 0;

    status = LsaCallAuthenticationPackage(LsaHandle, KerberosPackage, request, requestSize,
                                          (PVOID *)&response, &responseSize, &subStatus);
    free(request);
    if (!NT_SUCCESS(status) || !NT_SUCCESS(subStatus)) {
        ReportFailure("KerbRetrieveEncodedTicketMessage", NT_SUCCESS(status) ? subStatus : status);
        return;
    }
    PrintUnicodeString("ticket for domain: ", &response->Ticket.DomainName);
    printf("encoded ticket: %lu bytes, session key etype %ld\n",
           (unsigned long)response->Ticket.EncodedTicketSize, (long)response->Ticket.SessionKey.KeyType);
    if (response->Ticket.ServiceName != NULL && response->Ticket.ServiceName->NameCount > 0)
        PrintUnicodeString("service name[0]: ", &response->Ticket.ServiceName->Names[0]);
    LsaFreeReturnBuffer(response);
}

/* LsaLogonUser(Interactive) with a packed MSV1_0_INTERACTIVE_LOGON. */
static void LogonInteractive(HANDLE LsaHandle, ULONG MsvPackage, PCWSTR Domain, PCWSTR User,
                             PCWSTR Password)
{
    LSA_STRING originName;
    TOKEN_SOURCE sourceContext;
    PMSV1_0_INTERACTIVE_PROFILE profile = NULL;
    ULONG profileSize = 0, logonSize = 0;
    LUID logonId;
    HANDLE token = NULL;
    QUOTA_LIMITS quotas;
    NTSTATUS status, subStatus = STATUS_SUCCESS;
    PMSV1_0_INTERACTIVE_LOGON logon = BuildInteractiveLogon(Domain, User, Password, &logonSize);

    if (logon == NULL)
        return;
    InitLsaString(&originName, "client_from_docs");
    memset(&sourceContext, 0, sizeof(sourceContext));
    memcpy(sourceContext.SourceName, "User32  ", TOKEN_SOURCE_LENGTH);

    status = LsaLogonUser(LsaHandle, &originName, Interactive, MsvPackage, logon, logonSize, NULL,
                          &sourceContext, (PVOID *)&profile, &profileSize, &logonId, &token, &quotas,
                          &subStatus);
    memset(logon, 0, logonSize); /* the password is in there */
    free(logon);
    if (!NT_SUCCESS(status)) {
        ReportFailure("LsaLogonUser", status);
        if (!NT_SUCCESS(subStatus))
            ReportFailure("  substatus", subStatus);
        return;
    }
    printf("logon id %08lx:%08lx, profile type %d, logon count %u%s\n", (unsigned long)logonId.HighPart,
           (unsigned long)logonId.LowPart, (int)profile->MessageType, (unsigned)profile->LogonCount,
           (profile->UserFlags & LOGON_CACHED_ACCOUNT) ? " (cached)" : "");
    PrintUnicodeString("logon server: ", &profile->LogonServer);
    LsaFreeReturnBuffer(profile);
    lsa_close_token(token); /* CloseHandle(Token) on Windows */
}

static PWSTR WidenAscii(PCSTR s)
{
    size_t n = strlen(s), i;
    PWSTR w = (PWSTR)calloc(n + 1, sizeof(WCHAR));

    if (w != NULL)
        for (i = 0; i < n; i++)
            w[i] = (WCHAR)(unsigned char)s[i];
    return w;
}

int main(int argc, char **argv)
{
    HANDLE lsaHandle = NULL;
    LSA_STRING packageName;
    ULONG msvPackage = 0, kerberosPackage = 0;
    NTSTATUS status;

    status = LsaConnectUntrusted(&lsaHandle);
    if (status != STATUS_SUCCESS) {
        ReportFailure("LsaConnectUntrusted", status);
        return EXIT_FAILURE;
    }

    InitLsaString(&packageName, MSV1_0_PACKAGE_NAME);
    status = LsaLookupAuthenticationPackage(lsaHandle, &packageName, &msvPackage);
    if (!NT_SUCCESS(status)) {
        ReportFailure("LsaLookupAuthenticationPackage(MSV1_0)", status);
        LsaDeregisterLogonProcess(lsaHandle);
        return EXIT_FAILURE;
    }
    InitLsaString(&packageName, MICROSOFT_KERBEROS_NAME_A);
    status = LsaLookupAuthenticationPackage(lsaHandle, &packageName, &kerberosPackage);
    if (!NT_SUCCESS(status)) {
        ReportFailure("LsaLookupAuthenticationPackage(Kerberos)", status);
        LsaDeregisterLogonProcess(lsaHandle);
        return EXIT_FAILURE;
    }

    GetChallenge(lsaHandle, msvPackage);
    ShowTickets(lsaHandle, kerberosPackage);
    GetEncodedTicket(lsaHandle, kerberosPackage, u"krbtgt/EXAMPLE.ORG");

    if (argc == 4) {
        PWSTR domain = WidenAscii(argv[1]), user = WidenAscii(argv[2]), password = WidenAscii(argv[3]);

        if (domain != NULL && user != NULL && password != NULL)
            LogonInteractive(lsaHandle, msvPackage, domain, user, password);
        free(domain);
        free(user);
        if (password != NULL)
            memset(password, 0, Utf16ByteLength(password));
        free(password);
    }

    LsaDeregisterLogonProcess(lsaHandle);
    return EXIT_SUCCESS;
}
