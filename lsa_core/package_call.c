/*
 * LsaCallAuthenticationPackage (spec §1.1, §3) and the package-to-package calls of the
 * function table: CallPackage, CallPackageEx, CallPackagePassthrough (§2.5).
 */
#include "package_call.h"

#include <stdlib.h>
#include <string.h>

#include <lsa/ntstatus.h>

#include "call.h"
#include "core.h"
#include "log.h"

NTSTATUS lsa_server_call_package(struct lsa_connection *conn, ULONG package_id,
                                 const void *submit, PVOID client_base, ULONG submit_length,
                                 PVOID *return_buffer, PULONG return_length,
                                 PNTSTATUS protocol_status)
{
    *return_buffer = NULL;
    *return_length = 0;
    struct lsa_package *pkg = lsa_package_by_id(package_id);
    if (pkg == NULL)
        return STATUS_NO_SUCH_PACKAGE;
    PLSA_AP_CALL_PACKAGE entry = conn->trusted ? pkg->call_package : pkg->call_package_untrusted;
    if (entry == NULL)
        return STATUS_NOT_IMPLEMENTED;

    /* The package works on the LSA's own copy; ClientBufferBase tells it where the
     * client's embedded pointers point (§2.7). */
    struct lsa_submit_copy copy;
    if (lsa_submit_copy_make(&copy, submit, submit_length) != STATUS_SUCCESS)
        return STATUS_INSUFFICIENT_RESOURCES;
    void *local = submit_length > 0 ? copy.bytes : NULL;
    struct lsa_call call;
    lsa_call_begin(&call, conn, FALSE, client_base, submit, submit_length);
    PVOID out = NULL;
    ULONG out_length = 0;
    NTSTATUS protocol = STATUS_SUCCESS;
    NTSTATUS status = entry((PLSA_CLIENT_REQUEST)&call, local, client_base, submit_length, &out,
                            &out_length, &protocol);
    if (NT_SUCCESS(status) && out != NULL && !lsa_call_owns_buffer(&call, out, out_length)) {
        lsa_log(LOG_ERR,
                "package %s returned a buffer that is not one of its client buffers of %u "
                "bytes; dropped",
                pkg->name, out_length);
        status = STATUS_INTERNAL_ERROR;
    }
    lsa_call_end(&call, NT_SUCCESS(status) ? out : NULL);
    lsa_submit_copy_drop(&copy);
    if (!NT_SUCCESS(status))
        return status;
    *return_buffer = out;
    *return_length = out ? out_length : 0;
    *protocol_status = protocol;
    return STATUS_SUCCESS;
}

enum nested_kind { NESTED_CALL, NESTED_CALL_EX, NESTED_PASSTHROUGH };

/* In process, as on Windows: the calling package is the client, so the target's client
 * buffers are LSA heap that the caller reads directly and frees with FreeReturnBuffer;
 * the arguments reach the target unexamined and unaltered. */
static NTSTATUS nested_call(enum nested_kind kind, PUNICODE_STRING name, PVOID client_base,
                            PVOID submit, ULONG submit_length, PVOID *return_buffer,
                            PULONG return_length, PNTSTATUS protocol_status)
{
    struct lsa_package *pkg = lsa_package_by_unicode_name(name);
    if (pkg == NULL)
        return STATUS_NO_SUCH_PACKAGE;
    PLSA_AP_CALL_PACKAGE entry =
        kind == NESTED_PASSTHROUGH ? pkg->call_package_passthrough : pkg->call_package;
    if (entry == NULL)
        return STATUS_NOT_IMPLEMENTED;

    struct lsa_call *outer = lsa_call_current();
    struct lsa_call call;
    lsa_call_begin(&call, outer ? outer->conn : NULL, TRUE, client_base, submit, submit_length);
    PVOID out = NULL;
    ULONG out_length = 0;
    NTSTATUS status = entry((PLSA_CLIENT_REQUEST)&call, submit, client_base, submit_length, &out,
                            &out_length, protocol_status);
    lsa_call_end(&call, NT_SUCCESS(status) ? out : NULL);
    if (return_buffer != NULL)
        *return_buffer = NT_SUCCESS(status) ? out : NULL;
    if (return_length != NULL)
        *return_length = NT_SUCCESS(status) ? out_length : 0;
    return status;
}

NTSTATUS NTAPI lsa_call_package(PUNICODE_STRING name, PVOID submit, ULONG submit_length,
                                PVOID *return_buffer, PULONG return_length,
                                PNTSTATUS protocol_status)
{
    /* Without a ClientBufferBase the submit buffer's own address is the base: its embedded
     * pointers are already LSA addresses. */
    return nested_call(NESTED_CALL, name, submit, submit, submit_length, return_buffer,
                       return_length, protocol_status);
}

NTSTATUS NTAPI lsa_call_package_ex(PUNICODE_STRING name, PVOID client_base, PVOID submit,
                                   ULONG submit_length, PVOID *return_buffer,
                                   PULONG return_length, PNTSTATUS protocol_status)
{
    return nested_call(NESTED_CALL_EX, name, client_base, submit, submit_length, return_buffer,
                       return_length, protocol_status);
}

NTSTATUS NTAPI lsa_call_package_passthrough(PUNICODE_STRING name, PVOID client_base,
                                            PVOID submit, ULONG submit_length,
                                            PVOID *return_buffer, PULONG return_length,
                                            PNTSTATUS protocol_status)
{
    return nested_call(NESTED_PASSTHROUGH, name, client_base, submit, submit_length,
                       return_buffer, return_length, protocol_status);
}
