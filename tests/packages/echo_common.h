/*
 * The message handling the two echo test packages share (echo_protocol.h): echo_ap.so
 * (AP model, LsaAp* exports, LSA_DISPATCH_TABLE) and echo_sspap.so (SSP/AP model,
 * SpLsaModeInitialize, LSA_SECPKG_FUNCTION_TABLE).  Each message has one implementation
 * here, parameterised by the package it runs for (its services, its id, whether it has
 * the SSP/AP function table and so the Linux extensions) and by the entry point the
 * LSA called.  docs/writing-a-package.md walks through this code.
 */
#ifndef ECHO_COMMON_H
#define ECHO_COMMON_H

#include <pthread.h>

#include <lsa/ntsecpkg.h>

#include "echo_protocol.h"

/* Shared by the two models but not part of either package's ABI: keep it out of the
 * .so's dynamic symbol table, so that only the documented entry points are exported. */
#define ECHO_INTERNAL __attribute__((visibility("hidden")))

/* The entry point the LSA called. */
enum echo_entry {
    ECHO_ENTRY_TRUSTED,     /* LsaApCallPackage / table CallPackage */
    ECHO_ENTRY_UNTRUSTED,   /* LsaApCallPackageUntrusted */
    ECHO_ENTRY_PASSTHROUGH, /* LsaApCallPackagePassthrough */
};

/* One loaded package: the AP, or one SECPKG_FUNCTION_TABLE of the SSP/AP. */
struct echo_package {
    /* The 11 services both models have (the AP's LSA_DISPATCH_TABLE; for an SSP/AP the
     * same members copied from its LSA_SECPKG_FUNCTION_TABLE). */
    LSA_DISPATCH_TABLE lsa;
    /* SSP/AP only: the whole function table (GetClientInfo, CallPackage*, the Linux
     * extensions).  NULL in the AP model, which has none of those. */
    PLSA_SECPKG_FUNCTION_TABLE functions;
    ULONG_PTR package_id;
    BOOLEAN bound;

    /* LUIDs LogonTerminated has seen, oldest first once unrolled. */
    pthread_mutex_t terminated_lock;
    LUID terminated[ECHO_MAX_TERMINATED];
    ULONG terminated_first, terminated_count;
};

#define ECHO_PACKAGE_INITIALIZER { .terminated_lock = PTHREAD_MUTEX_INITIALIZER }

/* Keep the LSA's services: LsaApInitializePackage (AP) or SpInitialize (SSP/AP). */
ECHO_INTERNAL void echo_bind_ap(struct echo_package *pkg, ULONG package_id,
                                PLSA_DISPATCH_TABLE dispatch);
ECHO_INTERNAL void echo_bind_sspap(struct echo_package *pkg, ULONG_PTR package_id,
                                   PLSA_SECPKG_FUNCTION_TABLE functions);

/* A package name for LsaApInitializePackage / InitializePackage: an LSA_STRING whose
 * structure and Buffer are two AllocateLsaHeap blocks (the LSA frees both). */
ECHO_INTERNAL NTSTATUS echo_package_name(PLSA_DISPATCH_TABLE dispatch, const char *name,
                                         PLSA_STRING *out);

/* CallPackage, CallPackageUntrusted and CallPackagePassthrough of either model. */
ECHO_INTERNAL NTSTATUS echo_call_package(struct echo_package *pkg, enum echo_entry entry,
                                         PLSA_CLIENT_REQUEST ClientRequest,
                                         PVOID ProtocolSubmitBuffer, PVOID ClientBufferBase,
                                         ULONG SubmitBufferLength, PVOID *ProtocolReturnBuffer,
                                         PULONG ReturnBufferLength, PNTSTATUS ProtocolStatus);

/* The 13 parameters of LsaApLogonUser; LogonUserEx2 adds its outputs around it. */
ECHO_INTERNAL NTSTATUS echo_logon_user(struct echo_package *pkg, PLSA_CLIENT_REQUEST ClientRequest,
                                       SECURITY_LOGON_TYPE LogonType, PVOID ProtocolSubmitBuffer,
                                       PVOID ClientBufferBase, ULONG SubmitBufferSize,
                                       PVOID *ProfileBuffer, PULONG ProfileBufferSize,
                                       PLUID LogonId, PNTSTATUS SubStatus,
                                       PLSA_TOKEN_INFORMATION_TYPE TokenInformationType,
                                       PVOID *TokenInformation, PUNICODE_STRING *AccountName,
                                       PUNICODE_STRING *AuthenticatingAuthority);

ECHO_INTERNAL void echo_logon_terminated(struct echo_package *pkg, PLUID LogonId);

#endif
