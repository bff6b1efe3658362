/*
 * LSA_SECPKG_FUNCTION_TABLE (spec §2.5): the services the LSA gives its packages.  The
 * first 11 members are the AP model's LSA_DISPATCH_TABLE.  A member the LSA does not
 * provide is never NULL: it returns STATUS_NOT_IMPLEMENTED (or NULL/FALSE where its type
 * returns a pointer or a BOOLEAN, so a caller never mistakes a status for an address).
 */
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include <lsa/ntstatus.h>

#include "call.h"
#include "core.h"
#include "package.h"
#include "package_call.h"
#include "session.h"
#include "zero_alloc.h"

LSA_SECPKG_FUNCTION_TABLE lsa_secpkg_function_table;

/* Zero-filled, as ReactOS's AllocateLsaHeap; wiped on free since packages keep
 * passwords and keys in it. */
static PVOID NTAPI allocate_lsa_heap(ULONG length)
{
    return lsa_zero_alloc(length ? length : 1);
}

static VOID NTAPI free_lsa_heap(PVOID base)
{
    if (base == NULL)
        return;
    explicit_bzero(base, malloc_usable_size(base));
    free(base);
}

static PVOID NTAPI allocate_private_heap(SIZE_T length)
{
    return lsa_zero_alloc(length ? length : 1);
}

/* In memory of this process only, the contents are already out of reach of other
 * users; Protect/Unprotect are identity transforms. */
static VOID NTAPI protect_memory(PVOID buffer, ULONG size)
{
    (void)buffer;
    (void)size;
}

static HANDLE NTAPI no_create_thread(SEC_ATTRS attributes, ULONG stack, SEC_THREAD_START start,
                                     PVOID parameter, ULONG flags, PULONG thread_id)
{
    (void)attributes, (void)stack, (void)start, (void)parameter, (void)flags, (void)thread_id;
    return NULL;
}

static HANDLE NTAPI no_register_notification(SEC_THREAD_START start, PVOID parameter,
                                             ULONG type, ULONG notification_class,
                                             ULONG notification_flags, ULONG interval_minutes,
                                             HANDLE wait_event)
{
    (void)start, (void)parameter, (void)type, (void)notification_class,
        (void)notification_flags, (void)interval_minutes, (void)wait_event;
    return NULL;
}

static PVOID NTAPI no_create_shared_memory(ULONG max_size, ULONG initial_size)
{
    (void)max_size, (void)initial_size;
    return NULL;
}

static PVOID NTAPI no_allocate_shared_memory(PVOID shared, ULONG size)
{
    (void)shared, (void)size;
    return NULL;
}

static VOID NTAPI no_free_shared_memory(PVOID shared, PVOID memory)
{
    (void)shared, (void)memory;
}

static BOOLEAN NTAPI no_delete_shared_memory(PVOID shared)
{
    (void)shared;
    return FALSE;
}

static NTSTATUS NTAPI get_client_info_ex(PSECPKG_CLIENT_INFO_EX info, ULONG size)
{
    if (info == NULL || size < sizeof(SECPKG_CLIENT_INFO))
        return STATUS_INVALID_PARAMETER;
    SECPKG_CLIENT_INFO base;
    NTSTATUS status = lsa_get_client_info(&base);
    if (status != STATUS_SUCCESS)
        return status;
    memset(info, 0, size < sizeof(*info) ? size : sizeof(*info));
    memcpy(info, &base, sizeof(base));
    return STATUS_SUCCESS;
}

static const char *NTAPI get_config(ULONG_PTR package_id, const char *key)
{
    struct lsa *lsa = lsa_core();
    if (key == NULL || lsa->config == NULL)
        return NULL;
    if (package_id == LSA_CONFIG_SECTION_LSA)
        return lsa_config_get(lsa->config, "lsa", key);
    struct lsa_package *pkg = lsa_package_by_id((ULONG)package_id);
    if (pkg == NULL)
        pkg = lsa_package_loading((ULONG)package_id); /* asked from SpInitialize */
    return pkg ? lsa_config_get(lsa->config, pkg->config_name, key) : NULL;
}

/* Every member whose type returns NTSTATUS and which the LSA does not provide.  Called
 * through the member's own pointer type; on the x86-64 and AArch64 calling conventions
 * a callee that takes no arguments ignores the ones passed, and the status is returned
 * in the integer return register. */
static NTSTATUS NTAPI not_implemented(void)
{
    return STATUS_NOT_IMPLEMENTED;
}

void lsa_function_table_init(void)
{
    LSA_SECPKG_FUNCTION_TABLE *t = &lsa_secpkg_function_table;
    void (*fill)(void) = (void (*)(void))not_implemented;
    void (**slot)(void) = (void (**)(void))t;
    for (size_t i = 0; i < sizeof(*t) / sizeof(*slot); i++)
        memcpy(&slot[i], &fill, sizeof(fill));

    t->CreateLogonSession = lsa_create_logon_session;
    t->DeleteLogonSession = lsa_delete_logon_session;
    t->AddCredential = lsa_add_credential;
    t->GetCredentials = lsa_get_credentials;
    t->DeleteCredential = lsa_delete_credential;
    t->AllocateLsaHeap = allocate_lsa_heap;
    t->FreeLsaHeap = free_lsa_heap;
    t->AllocateClientBuffer = lsa_allocate_client_buffer;
    t->FreeClientBuffer = lsa_free_client_buffer;
    t->CopyToClientBuffer = lsa_copy_to_client_buffer;
    t->CopyFromClientBuffer = lsa_copy_from_client_buffer;
    t->CreateThread = no_create_thread;
    t->GetClientInfo = lsa_get_client_info;
    t->RegisterNotification = no_register_notification;
    t->CallPackage = lsa_call_package;
    t->FreeReturnBuffer = free_lsa_heap;
    t->GetCallInfo = lsa_get_call_info;
    t->CallPackageEx = lsa_call_package_ex;
    t->CreateSharedMemory = no_create_shared_memory;
    t->AllocateSharedMemory = no_allocate_shared_memory;
    t->FreeSharedMemory = no_free_shared_memory;
    t->DeleteSharedMemory = no_delete_shared_memory;
    t->CallPackagePassthrough = lsa_call_package_passthrough;
    t->DummyFunction1 = protect_memory;
    t->DummyFunction2 = protect_memory;
    t->DummyFunction3 = protect_memory;
    t->LsaProtectMemory = protect_memory;
    t->LsaUnprotectMemory = protect_memory;
    t->AllocatePrivateHeap = allocate_private_heap;
    t->FreePrivateHeap = free_lsa_heap;
    t->DummyFunction4 = protect_memory;
    t->DummyFunction5 = protect_memory;
    t->DummyFunction6 = protect_memory;
    t->DummyFunction7 = protect_memory;
    t->GetClientInfoEx = get_client_info_ex;
    t->lsa_allocate_luid = lsa_allocate_luid;
    t->lsa_get_config = get_config;
    t->lsa_get_client_unix_info = lsa_get_client_unix_info;
}
