#ifndef LSA_CORE_PACKAGE_CALL_H
#define LSA_CORE_PACKAGE_CALL_H

#include <lsa/ntsecpkg.h>

#include "connection.h"

/* SUBMIT holds the client's bytes; CLIENT_BASE is their address in the client. */
NTSTATUS lsa_server_call_package(struct lsa_connection *conn, ULONG package_id,
                                 const void *submit, PVOID client_base, ULONG submit_length,
                                 PVOID *return_buffer, PULONG return_length,
                                 PNTSTATUS protocol_status);

NTSTATUS NTAPI lsa_call_package(PUNICODE_STRING name, PVOID submit, ULONG submit_length,
                                PVOID *return_buffer, PULONG return_length,
                                PNTSTATUS protocol_status);
NTSTATUS NTAPI lsa_call_package_ex(PUNICODE_STRING name, PVOID client_base, PVOID submit,
                                   ULONG submit_length, PVOID *return_buffer,
                                   PULONG return_length, PNTSTATUS protocol_status);
NTSTATUS NTAPI lsa_call_package_passthrough(PUNICODE_STRING name, PVOID client_base,
                                            PVOID submit, ULONG submit_length,
                                            PVOID *return_buffer, PULONG return_length,
                                            PNTSTATUS protocol_status);

#endif
