/*
 * The echo protocol (echo_protocol.h), one implementation of each message for both
 * package models.  What every message handler does with the LSA's buffers is the
 * Windows discipline of spec/lsa-api.md §2.7:
 *
 *   in   ProtocolSubmitBuffer is the LSA's copy of the client's bytes; ClientBufferBase
 *        is where they live in the client.  Check the length before reading a field
 *        (lsa_submit_buffer_fits), turn every embedded client pointer into a pointer
 *        into the copy with the lsa_util.h helpers; anything wrong is
 *        STATUS_INVALID_PARAMETER as the function result.
 *   out  AllocateClientBuffer gives a client address; the reply is built in LSA heap
 *        with its embedded pointers computed as client address + offset, copied over
 *        with CopyToClientBuffer, and the client address is what the package returns.
 *        If anything fails after the allocation, FreeClientBuffer.
 *
 * Two statuses: the function result says whether the request could be carried out at
 * all (bad buffer, no memory, client quota); *ProtocolStatus is the message's own result.
 */
#include "echo_common.h"

#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include <lsa/lsa_util.h>

/* ---- binding to the LSA ------------------------------------------------------------ */

void echo_bind_ap(struct echo_package *pkg, ULONG package_id, PLSA_DISPATCH_TABLE dispatch)
{
    pkg->lsa = *dispatch;
    pkg->functions = NULL; /* an AP gets the 11 services and nothing else */
    pkg->package_id = package_id;
    pkg->bound = TRUE;
}

void echo_bind_sspap(struct echo_package *pkg, ULONG_PTR package_id,
                     PLSA_SECPKG_FUNCTION_TABLE functions)
{
    /* LSA_SECPKG_FUNCTION_TABLE starts with the members of LSA_DISPATCH_TABLE; copying them
     * by name lets the shared code use one set of services for both models. */
    pkg->lsa.CreateLogonSession = functions->CreateLogonSession;
    pkg->lsa.DeleteLogonSession = functions->DeleteLogonSession;
    pkg->lsa.AddCredential = functions->AddCredential;
    pkg->lsa.GetCredentials = functions->GetCredentials;
    pkg->lsa.DeleteCredential = functions->DeleteCredential;
    pkg->lsa.AllocateLsaHeap = functions->AllocateLsaHeap;
    pkg->lsa.FreeLsaHeap = functions->FreeLsaHeap;
    pkg->lsa.AllocateClientBuffer = functions->AllocateClientBuffer;
    pkg->lsa.FreeClientBuffer = functions->FreeClientBuffer;
    pkg->lsa.CopyToClientBuffer = functions->CopyToClientBuffer;
    pkg->lsa.CopyFromClientBuffer = functions->CopyFromClientBuffer;
    pkg->functions = functions;
    pkg->package_id = package_id;
    pkg->bound = TRUE;
}

NTSTATUS echo_package_name(PLSA_DISPATCH_TABLE dispatch, const char *name, PLSA_STRING *out)
{
    size_t length = strlen(name);
    PLSA_STRING string = dispatch->AllocateLsaHeap(sizeof(*string));
    PCHAR buffer = dispatch->AllocateLsaHeap((ULONG)length + 1);

    if (string == NULL || buffer == NULL) {
        dispatch->FreeLsaHeap(string);
        dispatch->FreeLsaHeap(buffer);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    memcpy(buffer, name, length + 1);
    string->Buffer = buffer;
    string->Length = (USHORT)length;
    string->MaximumLength = (USHORT)(length + 1);
    *out = string;
    return STATUS_SUCCESS;
}

/* ---- replies (spec §2.7 item 6) ---------------------------------------------------- */

/* A call in flight: the entry point's arguments, and the package it is for. */
struct echo_call {
    struct echo_package *pkg;
    enum echo_entry entry;
    PLSA_CLIENT_REQUEST request;
    PVOID submit;
    PVOID client_base;
    ULONG length;
    PVOID *return_buffer;
    PULONG return_length;
    PNTSTATUS protocol_status;
};

/* A client address SUBMIT_OFFSET bytes into a client buffer.  Client addresses are
 * numbers to the package, never pointers it may follow. */
static PVOID client_address(PVOID client_base, ULONG_PTR offset)
{
    return (PVOID)((ULONG_PTR)client_base + offset);
}

/* Step 1: the client buffer (its address is what the reply's pointers are computed
 * from) and a zeroed local image of LENGTH bytes in LSA heap. */
static NTSTATUS reply_begin(struct echo_package *pkg, PLSA_CLIENT_REQUEST request, ULONG length,
                            PVOID *client, PUCHAR *local)
{
    NTSTATUS status;

    *client = NULL;
    *local = pkg->lsa.AllocateLsaHeap(length ? length : 1);
    if (*local == NULL)
        return STATUS_NO_MEMORY;
    memset(*local, 0, length);
    status = pkg->lsa.AllocateClientBuffer(request, length, client);
    if (!NT_SUCCESS(status)) {
        pkg->lsa.FreeLsaHeap(*local);
        *local = NULL;
        *client = NULL;
    }
    return status;
}

/* Step 2: copy the image into the client buffer and drop it.  If the copy fails the
 * client buffer goes too, so nothing is left charged to the client. */
static NTSTATUS reply_end(struct echo_package *pkg, PLSA_CLIENT_REQUEST request, PVOID client,
                          PUCHAR local, ULONG length, PVOID *out, PULONG out_length)
{
    NTSTATUS status = pkg->lsa.CopyToClientBuffer(request, length, client, local);

    explicit_bzero(local, length);
    pkg->lsa.FreeLsaHeap(local);
    if (!NT_SUCCESS(status)) {
        pkg->lsa.FreeClientBuffer(request, client);
        return status;
    }
    *out = client;
    *out_length = length;
    return STATUS_SUCCESS;
}

/* A reply without embedded pointers: the bytes as they are. */
static NTSTATUS reply_flat(struct echo_call *c, PVOID data, ULONG length)
{
    struct echo_package *pkg = c->pkg;
    PVOID client = NULL;
    NTSTATUS status = pkg->lsa.AllocateClientBuffer(c->request, length, &client);

    if (!NT_SUCCESS(status))
        return status;
    status = pkg->lsa.CopyToClientBuffer(c->request, length, client, data);
    if (!NT_SUCCESS(status)) {
        pkg->lsa.FreeClientBuffer(c->request, client);
        return status;
    }
    *c->return_buffer = client;
    *c->return_length = length;
    return STATUS_SUCCESS;
}

/* Append IN's characters to the image at *OFFSET; OUT describes them as the client will
 * see them (Buffer a client address inside the reply, NULL for an empty string). */
static void put_string(PUNICODE_STRING out, const UNICODE_STRING *in, PUCHAR local,
                       PVOID client, ULONG *offset)
{
    out->Length = out->MaximumLength = in->Length;
    out->Buffer = NULL;
    if (in->Length == 0)
        return;
    memcpy(local + *offset, in->Buffer, in->Length);
    out->Buffer = (PWSTR)client_address(client, *offset);
    *offset += in->Length;
}

/* The fixed part of a request is there, and aligned for its pointers (a nested caller
 * may hand over any address). */
static BOOLEAN request_fits(const struct echo_call *c, size_t size)
{
    return lsa_submit_buffer_fits(c->length, size) &&
           ((uintptr_t)c->submit & (_Alignof(PVOID) - 1)) == 0;
}

/* ---- the messages ------------------------------------------------------------------ */

static NTSTATUS message_echo(struct echo_call *c)
{
    NTSTATUS status = reply_flat(c, c->submit, c->length);

    if (!NT_SUCCESS(status))
        return status;
    *c->protocol_status =
        c->entry == ECHO_ENTRY_UNTRUSTED ? ECHO_STATUS_UNTRUSTED_ENTRY : STATUS_SUCCESS;
    return STATUS_SUCCESS;
}

static NTSTATUS message_whoami(struct echo_call *c)
{
    struct echo_package *pkg = c->pkg;
    ECHO_WHOAMI_RESPONSE response;
    struct lsa_client_unix_info unix_info;
    NTSTATUS status;

    memset(&response, 0, sizeof(response)); /* padding too: it goes to the client */
    response.MessageType = EchoMessageWhoAmI;
    response.PackageId = (ULONG)pkg->package_id;
    response.UntrustedEntry = c->entry == ECHO_ENTRY_UNTRUSTED;
    response.PassthroughEntry = c->entry == ECHO_ENTRY_PASSTHROUGH;
    if (pkg->functions != NULL) {
        response.ClientInfoStatus = pkg->functions->GetClientInfo(&response.ClientInfo);
        if (pkg->functions->lsa_get_client_unix_info(&unix_info) == STATUS_SUCCESS) {
            response.Uid = (ULONG)unix_info.uid;
            response.Gid = (ULONG)unix_info.gid;
            response.Pid = (ULONG)unix_info.pid;
            response.Trusted = unix_info.trusted;
        }
    } else {
        /* LSA_DISPATCH_TABLE has no GetClientInfo. */
        response.ClientInfoStatus = STATUS_NOT_SUPPORTED;
    }
    status = reply_flat(c, &response, sizeof(response));
    if (NT_SUCCESS(status))
        *c->protocol_status = STATUS_SUCCESS;
    return status;
}

static NTSTATUS message_strings(struct echo_call *c)
{
    ECHO_STRINGS_REQUEST *request = c->submit;
    ECHO_STRINGS_RESPONSE *response;
    PVOID client;
    PUCHAR local;
    ULONG size, offset = sizeof(*response);
    NTSTATUS status;

    if (!request_fits(c, sizeof(*request)))
        return STATUS_INVALID_PARAMETER;
    status = lsa_relocate_unicode_string(&request->First, c->submit, c->client_base, c->length);
    if (NT_SUCCESS(status))
        status =
            lsa_relocate_unicode_string(&request->Second, c->submit, c->client_base, c->length);
    if (!NT_SUCCESS(status))
        return STATUS_INVALID_PARAMETER;

    size = (ULONG)sizeof(*response) + request->First.Length + request->Second.Length;
    status = reply_begin(c->pkg, c->request, size, &client, &local);
    if (!NT_SUCCESS(status))
        return status;
    response = (ECHO_STRINGS_RESPONSE *)local;
    response->MessageType = EchoMessageStrings;
    put_string(&response->First, &request->First, local, client, &offset);
    put_string(&response->Second, &request->Second, local, client, &offset);
    status = reply_end(c->pkg, c->request, client, local, size, c->return_buffer,
                       c->return_length);
    if (NT_SUCCESS(status))
        *c->protocol_status = STATUS_SUCCESS;
    return status;
}

/* More would only exercise the allocator of the test machine. */
#define ECHO_MAX_ALLOCATE_COUNT 65536

static NTSTATUS message_allocate(struct echo_call *c)
{
    struct echo_package *pkg = c->pkg;
    const ECHO_ALLOCATE_REQUEST *request = c->submit;
    ULONG length, count, fail;
    PUCHAR fill;
    PVOID buffer = NULL, last = NULL;
    NTSTATUS status = STATUS_SUCCESS;

    if (!request_fits(c, sizeof(*request)))
        return STATUS_INVALID_PARAMETER;
    length = request->Length;
    count = request->Count;
    fail = request->Fail;
    if (count > ECHO_MAX_ALLOCATE_COUNT)
        return STATUS_INVALID_PARAMETER;
    fill = pkg->lsa.AllocateLsaHeap(length ? length : 1);
    if (fill == NULL)
        return STATUS_NO_MEMORY;
    memset(fill, 0xA5, length);

    /* Deliberately careless: the buffers not returned (all of them when Fail is set, or
     * when the quota runs out half-way) are left to the LSA, which must free every
     * client buffer of a call that its package did not hand back. */
    for (ULONG i = 0; i < count && NT_SUCCESS(status); i++) {
        status = pkg->lsa.AllocateClientBuffer(c->request, length, &buffer);
        if (NT_SUCCESS(status))
            status = pkg->lsa.CopyToClientBuffer(c->request, length, buffer, fill);
        if (NT_SUCCESS(status))
            last = buffer;
    }
    pkg->lsa.FreeLsaHeap(fill);
    if (!NT_SUCCESS(status))
        return status;
    if (fail)
        return STATUS_UNSUCCESSFUL;
    *c->return_buffer = last;
    *c->return_length = last != NULL ? length : 0;
    *c->protocol_status = STATUS_SUCCESS;
    return STATUS_SUCCESS;
}

/* Package-to-package call (SSP/AP only: LSA_DISPATCH_TABLE has no CallPackage).  The
 * call is in process: the inner reply is LSA heap, read directly and released with
 * FreeReturnBuffer. */
static NTSTATUS message_forward(struct echo_call *c)
{
    PLSA_SECPKG_FUNCTION_TABLE functions = c->pkg->functions;
    ECHO_FORWARD_REQUEST *request = c->submit;
    ECHO_FORWARD_RESPONSE *response;
    ULONG kind, inner_offset, inner_length, reply_length = 0, size;
    PVOID inner, inner_client, reply = NULL, client;
    PUCHAR local;
    NTSTATUS call_status, inner_status = STATUS_SUCCESS, status;

    if (functions == NULL)
        return STATUS_NOT_SUPPORTED;
    if (!request_fits(c, sizeof(*request)))
        return STATUS_INVALID_PARAMETER;
    if (!NT_SUCCESS(lsa_relocate_unicode_string(&request->Target, c->submit, c->client_base,
                                                c->length)))
        return STATUS_INVALID_PARAMETER;
    kind = request->Kind;
    inner_offset = request->InnerOffset;
    inner_length = request->InnerLength;
    if (kind > 2 || inner_offset < sizeof(*request) || inner_offset > c->length ||
        inner_length > c->length - inner_offset)
        return STATUS_INVALID_PARAMETER;

    /* The inner request gets its own aligned copy: the target may relocate its strings
     * in place, and must not scribble on this request. */
    inner = c->pkg->lsa.AllocateLsaHeap(inner_length ? inner_length : 1);
    if (inner == NULL)
        return STATUS_NO_MEMORY;
    memcpy(inner, (PUCHAR)c->submit + inner_offset, inner_length);
    /* Where the inner bytes are in the client: the target relocates against that. */
    inner_client = client_address(c->client_base, inner_offset);
    switch (kind) {
    case 0:
        call_status = functions->CallPackage(&request->Target, inner, inner_length, &reply,
                                             &reply_length, &inner_status);
        break;
    case 1:
        call_status = functions->CallPackageEx(&request->Target, inner_client, inner,
                                               inner_length, &reply, &reply_length,
                                               &inner_status);
        break;
    default:
        call_status = functions->CallPackagePassthrough(&request->Target, inner_client, inner,
                                                        inner_length, &reply, &reply_length,
                                                        &inner_status);
        break;
    }
    explicit_bzero(inner, inner_length);
    c->pkg->lsa.FreeLsaHeap(inner);
    if (!NT_SUCCESS(call_status) || reply == NULL)
        reply_length = 0;
    if (reply_length > UINT32_MAX - sizeof(*response)) {
        functions->FreeReturnBuffer(reply);
        return STATUS_INVALID_PARAMETER;
    }

    size = (ULONG)sizeof(*response) + reply_length;
    status = reply_begin(c->pkg, c->request, size, &client, &local);
    if (NT_SUCCESS(status)) {
        response = (ECHO_FORWARD_RESPONSE *)local;
        response->MessageType = EchoMessageForward;
        response->CallStatus = call_status;
        response->InnerProtocolStatus = inner_status; /* as the call left it */
        response->InnerLength = reply_length;
        if (reply_length > 0)
            memcpy(local + sizeof(*response), reply, reply_length);
    }
    if (reply != NULL)
        functions->FreeReturnBuffer(reply);
    if (!NT_SUCCESS(status))
        return status;
    status = reply_end(c->pkg, c->request, client, local, size, c->return_buffer,
                       c->return_length);
    if (NT_SUCCESS(status))
        *c->protocol_status = STATUS_SUCCESS;
    return status;
}

static NTSTATUS credential_get(struct echo_call *c, ECHO_CREDENTIAL_REQUEST *request)
{
    struct echo_package *pkg = c->pkg;
    ECHO_CREDENTIAL_RESPONSE *response;
    LSA_STRING credential = { 0, 0, NULL };
    ULONG query_context = 0, key_length = 0, size;
    PVOID client;
    PUCHAR local;
    NTSTATUS status;

    status = pkg->lsa.GetCredentials(&request->LogonId, (ULONG)pkg->package_id, &query_context,
                                     FALSE, &request->Key, &key_length, &credential);
    if (!NT_SUCCESS(status)) {
        *c->protocol_status = status; /* the LSA's answer is the message's result */
        return STATUS_SUCCESS;
    }
    size = (ULONG)sizeof(*response) + credential.Length;
    status = reply_begin(pkg, c->request, size, &client, &local);
    if (NT_SUCCESS(status)) {
        response = (ECHO_CREDENTIAL_RESPONSE *)local;
        response->MessageType = EchoMessageCredential;
        response->Length = credential.Length;
        if (credential.Length > 0)
            memcpy(local + sizeof(*response), credential.Buffer, credential.Length);
    }
    if (credential.Buffer != NULL) {
        explicit_bzero(credential.Buffer, credential.Length);
        pkg->lsa.FreeLsaHeap(credential.Buffer); /* GetCredentials allocated it */
    }
    if (!NT_SUCCESS(status))
        return status;
    status = reply_end(pkg, c->request, client, local, size, c->return_buffer, c->return_length);
    if (NT_SUCCESS(status))
        *c->protocol_status = STATUS_SUCCESS;
    return status;
}

static NTSTATUS message_credential(struct echo_call *c)
{
    struct echo_package *pkg = c->pkg;
    ECHO_CREDENTIAL_REQUEST *request = c->submit;

    if (!request_fits(c, sizeof(*request)))
        return STATUS_INVALID_PARAMETER;
    if (!NT_SUCCESS(lsa_relocate_string(&request->Key, c->submit, c->client_base, c->length)))
        return STATUS_INVALID_PARAMETER;
    switch (request->Operation) {
    case EchoCredentialAdd:
        if (!NT_SUCCESS(lsa_relocate_string(&request->Credential, c->submit, c->client_base,
                                            c->length)))
            return STATUS_INVALID_PARAMETER;
        *c->protocol_status = pkg->lsa.AddCredential(&request->LogonId, (ULONG)pkg->package_id,
                                                     &request->Key, &request->Credential);
        return STATUS_SUCCESS;
    case EchoCredentialGet:
        return credential_get(c, request);
    case EchoCredentialDelete:
        *c->protocol_status =
            pkg->lsa.DeleteCredential(&request->LogonId, (ULONG)pkg->package_id, &request->Key);
        return STATUS_SUCCESS;
    default:
        return STATUS_INVALID_PARAMETER;
    }
}

static NTSTATUS message_terminated(struct echo_call *c)
{
    struct echo_package *pkg = c->pkg;
    ECHO_TERMINATED_RESPONSE response;
    NTSTATUS status;

    memset(&response, 0, sizeof(response));
    response.MessageType = EchoMessageTerminated;
    pthread_mutex_lock(&pkg->terminated_lock);
    response.Count = pkg->terminated_count;
    for (ULONG i = 0; i < pkg->terminated_count; i++)
        response.LogonIds[i] = pkg->terminated[(pkg->terminated_first + i) % ECHO_MAX_TERMINATED];
    pthread_mutex_unlock(&pkg->terminated_lock);
    status = reply_flat(c, &response, sizeof(response));
    if (NT_SUCCESS(status))
        *c->protocol_status = STATUS_SUCCESS;
    return status;
}

/* Linux extension lsa_get_config: the package's own lsa.conf section (SSP/AP only). */
static NTSTATUS message_config(struct echo_call *c)
{
    PLSA_SECPKG_FUNCTION_TABLE functions = c->pkg->functions;
    ECHO_CONFIG_RESPONSE response;
    const char *greeting;
    size_t length;
    NTSTATUS status;

    if (functions == NULL)
        return STATUS_NOT_SUPPORTED;
    memset(&response, 0, sizeof(response));
    response.MessageType = EchoMessageConfig;
    greeting = functions->lsa_get_config(c->pkg->package_id, "greeting");
    if (greeting != NULL) {
        length = strlen(greeting);
        if (length > sizeof(response.Greeting) - 1)
            length = sizeof(response.Greeting) - 1;
        memcpy(response.Greeting, greeting, length);
    }
    status = reply_flat(c, &response, sizeof(response));
    if (NT_SUCCESS(status))
        *c->protocol_status = STATUS_SUCCESS;
    return status;
}

/* CopyFromClientBuffer at a client address the request names: the LSA must allow only
 * the submitted range.  The destination is mapped, not allocated, so that even an
 * absurd Length (the point of some tests) costs nothing until the LSA writes, which it
 * must not do outside the range. */
static NTSTATUS message_copy_from(struct echo_call *c)
{
    const ECHO_COPY_FROM_REQUEST *request = c->submit;
    ULONG length;
    PVOID address;
    void *destination;
    UCHAR none;
    NTSTATUS status;

    if (!request_fits(c, sizeof(*request)))
        return STATUS_INVALID_PARAMETER;
    length = request->Length;
    address = request->Address;
    if (length == 0) {
        *c->protocol_status = c->pkg->lsa.CopyFromClientBuffer(c->request, 0, &none, address);
        return STATUS_SUCCESS;
    }
    destination = mmap(NULL, length, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (destination == MAP_FAILED)
        return STATUS_NO_MEMORY;
    status = c->pkg->lsa.CopyFromClientBuffer(c->request, length, destination, address);
    *c->protocol_status = status;
    if (NT_SUCCESS(status))
        status = reply_flat(c, destination, length);
    else
        status = STATUS_SUCCESS; /* the refusal is the message's result */
    munmap(destination, length);
    return status;
}

NTSTATUS echo_call_package(struct echo_package *pkg, enum echo_entry entry,
                           PLSA_CLIENT_REQUEST ClientRequest, PVOID ProtocolSubmitBuffer,
                           PVOID ClientBufferBase, ULONG SubmitBufferLength,
                           PVOID *ProtocolReturnBuffer, PULONG ReturnBufferLength,
                           PNTSTATUS ProtocolStatus)
{
    struct echo_call call = {
        .pkg = pkg,
        .entry = entry,
        .request = ClientRequest,
        .submit = ProtocolSubmitBuffer,
        .client_base = ClientBufferBase,
        .length = SubmitBufferLength,
        .return_buffer = ProtocolReturnBuffer,
        .return_length = ReturnBufferLength,
        .protocol_status = ProtocolStatus,
    };
    ULONG message_type;
    NTSTATUS status;

    *ProtocolReturnBuffer = NULL;
    *ReturnBufferLength = 0;
    if (!pkg->bound)
        return STATUS_INVALID_SERVER_STATE;
    if (ProtocolSubmitBuffer == NULL || !lsa_submit_buffer_fits(SubmitBufferLength, sizeof(ULONG)))
        return STATUS_INVALID_PARAMETER;
    memcpy(&message_type, ProtocolSubmitBuffer, sizeof(message_type));

    switch (message_type) {
    case EchoMessageEcho:
        status = message_echo(&call);
        break;
    case EchoMessageWhoAmI:
        status = message_whoami(&call);
        break;
    case EchoMessageStrings:
        status = message_strings(&call);
        break;
    case EchoMessageAllocate:
        status = message_allocate(&call);
        break;
    case EchoMessageForward:
        status = message_forward(&call);
        break;
    case EchoMessageCredential:
        status = message_credential(&call);
        break;
    case EchoMessageTerminated:
        status = message_terminated(&call);
        break;
    case EchoMessageConfig:
        status = message_config(&call);
        break;
    case EchoMessageCopyFrom:
        status = message_copy_from(&call);
        break;
    default:
        status = STATUS_INVALID_PARAMETER;
        break;
    }
    if (!NT_SUCCESS(status)) {
        /* Nothing goes back with a failed call (the LSA also frees what was left). */
        *ProtocolReturnBuffer = NULL;
        *ReturnBufferLength = 0;
        *ProtocolStatus = status;
    }
    return status;
}

/* ---- logon ------------------------------------------------------------------------- */

/* A UNICODE_STRING for the LSA to keep: structure and Buffer are separate LSA-heap
 * blocks, since the LSA frees Buffer and then the structure with FreeLsaHeap. */
static PUNICODE_STRING lsa_heap_string(struct echo_package *pkg, const WCHAR *characters,
                                       USHORT length)
{
    PUNICODE_STRING string = pkg->lsa.AllocateLsaHeap(sizeof(*string));
    PWSTR buffer = pkg->lsa.AllocateLsaHeap((ULONG)length + sizeof(WCHAR));

    if (string == NULL || buffer == NULL) {
        pkg->lsa.FreeLsaHeap(string);
        pkg->lsa.FreeLsaHeap(buffer);
        return NULL;
    }
    if (length > 0)
        memcpy(buffer, characters, length);
    buffer[length / sizeof(WCHAR)] = 0; /* not counted */
    string->Buffer = buffer;
    string->Length = string->MaximumLength = length;
    return string;
}

static BOOLEAN unicode_equals(const UNICODE_STRING *s, const WCHAR *text, size_t characters)
{
    return s->Length == characters * sizeof(WCHAR) &&
           (characters == 0 || memcmp(s->Buffer, text, s->Length) == 0);
}

/* Password == "pw-" + UserName, in time independent of where they differ. */
static BOOLEAN password_matches(const UNICODE_STRING *user, const UNICODE_STRING *password)
{
    static const WCHAR prefix[] = u"pw-";
    const size_t prefix_length = sizeof(prefix) - sizeof(WCHAR);
    const unsigned char *p = (const unsigned char *)password->Buffer;
    volatile unsigned char difference = 0;

    if ((size_t)password->Length != prefix_length + user->Length)
        return FALSE;
    for (size_t i = 0; i < prefix_length; i++)
        difference |= p[i] ^ ((const unsigned char *)prefix)[i];
    for (size_t i = 0; i < user->Length; i++)
        difference |= p[prefix_length + i] ^ ((const unsigned char *)user->Buffer)[i];
    return difference == 0;
}

/* A fresh LUID and a logon session on it.  SSP/AP: the lsa_allocate_luid extension.
 * AP: no such service exists, so the package derives LUIDs of its own range (HighPart
 * 'ECH' 0x454348, low byte the package id) and lets CreateLogonSession arbitrate. */
static atomic_uint ap_luid_counter;

static NTSTATUS create_session(struct echo_package *pkg, PLUID logon_id)
{
    NTSTATUS status = STATUS_LOGON_SESSION_COLLISION;

    for (int attempt = 0; attempt < 1000 && status == STATUS_LOGON_SESSION_COLLISION; attempt++) {
        if (pkg->functions != NULL) {
            status = pkg->functions->lsa_allocate_luid(logon_id);
            if (!NT_SUCCESS(status))
                break;
        } else {
            logon_id->LowPart = atomic_fetch_add(&ap_luid_counter, 1) + 1;
            logon_id->HighPart = (LONG)(0x45434800u | (pkg->package_id & 0xffu));
        }
        status = pkg->lsa.CreateLogonSession(logon_id);
    }
    if (!NT_SUCCESS(status))
        memset(logon_id, 0, sizeof(*logon_id));
    return status;
}

/* ECHO_PROFILE in a client buffer; UserName.Buffer points inside it, at the client. */
static NTSTATUS build_profile(struct echo_package *pkg, PLSA_CLIENT_REQUEST request,
                              const LUID *logon_id, const UNICODE_STRING *user,
                              PVOID *profile_buffer, PULONG profile_length)
{
    ECHO_PROFILE *profile;
    ULONG size = (ULONG)sizeof(*profile) + user->Length, offset = sizeof(*profile);
    PVOID client;
    PUCHAR local;
    NTSTATUS status = reply_begin(pkg, request, size, &client, &local);

    if (!NT_SUCCESS(status))
        return status;
    profile = (ECHO_PROFILE *)local;
    profile->MessageType = ECHO_LOGON_TYPE;
    profile->PackageId = (ULONG)pkg->package_id;
    profile->LogonId = *logon_id;
    put_string(&profile->UserName, user, local, client, &offset);
    return reply_end(pkg, request, client, local, size, profile_buffer, profile_length);
}

NTSTATUS echo_logon_user(struct echo_package *pkg, PLSA_CLIENT_REQUEST ClientRequest,
                         SECURITY_LOGON_TYPE LogonType, PVOID ProtocolSubmitBuffer,
                         PVOID ClientBufferBase, ULONG SubmitBufferSize, PVOID *ProfileBuffer,
                         PULONG ProfileBufferSize, PLUID LogonId, PNTSTATUS SubStatus,
                         PLSA_TOKEN_INFORMATION_TYPE TokenInformationType,
                         PVOID *TokenInformation, PUNICODE_STRING *AccountName,
                         PUNICODE_STRING *AuthenticatingAuthority)
{
    static const WCHAR disabled[] = u"disabled";
    static const WCHAR authority[] = u"ECHO";
    ECHO_LOGON *logon = ProtocolSubmitBuffer;
    ULONG message_type;
    BOOLEAN password_ok;
    NTSTATUS status;

    (void)LogonType; /* any logon type will do */
    *ProfileBuffer = NULL;
    *ProfileBufferSize = 0;
    memset(LogonId, 0, sizeof(*LogonId));
    *SubStatus = STATUS_SUCCESS;
    *TokenInformationType = LsaTokenInformationNull;
    *TokenInformation = NULL;
    *AccountName = NULL;
    *AuthenticatingAuthority = NULL;
    if (!pkg->bound)
        return STATUS_INVALID_SERVER_STATE;

    if (logon == NULL || !lsa_submit_buffer_fits(SubmitBufferSize, sizeof(ULONG)))
        return STATUS_INVALID_PARAMETER;
    memcpy(&message_type, logon, sizeof(message_type));
    if (message_type != ECHO_LOGON_TYPE)
        return STATUS_BAD_VALIDATION_CLASS;
    if (!lsa_submit_buffer_fits(SubmitBufferSize, sizeof(*logon)) ||
        ((uintptr_t)logon & (_Alignof(ECHO_LOGON) - 1)) != 0)
        return STATUS_INVALID_PARAMETER;
    status = lsa_relocate_unicode_string(&logon->UserName, ProtocolSubmitBuffer,
                                         ClientBufferBase, SubmitBufferSize);
    if (NT_SUCCESS(status))
        status = lsa_relocate_unicode_string(&logon->Password, ProtocolSubmitBuffer,
                                             ClientBufferBase, SubmitBufferSize);
    if (!NT_SUCCESS(status))
        return STATUS_INVALID_PARAMETER;

    /* The LSA logs and audits the account name, failed logons included. */
    *AccountName = lsa_heap_string(pkg, logon->UserName.Buffer, logon->UserName.Length);
    *AuthenticatingAuthority =
        lsa_heap_string(pkg, authority, (USHORT)(sizeof(authority) - sizeof(WCHAR)));
    if (*AccountName == NULL || *AuthenticatingAuthority == NULL)
        return STATUS_NO_MEMORY; /* the LSA frees whichever was allocated */

    password_ok = password_matches(&logon->UserName, &logon->Password);
    if (logon->Password.Buffer != NULL)
        explicit_bzero(logon->Password.Buffer, logon->Password.Length);

    if (unicode_equals(&logon->UserName, disabled, sizeof(disabled) / sizeof(WCHAR) - 1)) {
        *SubStatus = STATUS_ACCOUNT_DISABLED;
        return STATUS_ACCOUNT_RESTRICTION;
    }
    if (!password_ok) {
        *SubStatus = STATUS_WRONG_PASSWORD;
        return STATUS_LOGON_FAILURE;
    }

    status = create_session(pkg, LogonId);
    if (!NT_SUCCESS(status))
        return status;
    status = build_profile(pkg, ClientRequest, LogonId, &logon->UserName, ProfileBuffer,
                           ProfileBufferSize);
    if (!NT_SUCCESS(status)) {
        /* A failed logon leaves no session behind. */
        pkg->lsa.DeleteLogonSession(LogonId);
        memset(LogonId, 0, sizeof(*LogonId));
        return status;
    }
    return STATUS_SUCCESS;
}

void echo_logon_terminated(struct echo_package *pkg, PLUID LogonId)
{
    if (LogonId == NULL)
        return;
    pthread_mutex_lock(&pkg->terminated_lock);
    if (pkg->terminated_count < ECHO_MAX_TERMINATED) {
        pkg->terminated[(pkg->terminated_first + pkg->terminated_count) % ECHO_MAX_TERMINATED] =
            *LogonId;
        pkg->terminated_count++;
    } else {
        /* Full: the oldest makes room. */
        pkg->terminated[pkg->terminated_first] = *LogonId;
        pkg->terminated_first = (pkg->terminated_first + 1) % ECHO_MAX_TERMINATED;
    }
    pthread_mutex_unlock(&pkg->terminated_lock);
}
