/*
 * LsaCallAuthenticationPackage for the Kerberos package (spec/lsa-api.md §5.1, §5.4):
 * one dispatcher for the three entry points, which applies the trust rules, then one
 * handler per message (msg_*.c).
 */
#ifndef KERBEROS_KERB_MESSAGES_H
#define KERBEROS_KERB_MESSAGES_H

#include <lsa/ntsecpkg.h>

enum kerb_entry { KERB_ENTRY_TRUSTED, KERB_ENTRY_UNTRUSTED, KERB_ENTRY_PASSTHROUGH };

NTSTATUS kerb_call_package(enum kerb_entry entry, PLSA_CLIENT_REQUEST request, PVOID submit,
                           PVOID client_base, ULONG submit_length, PVOID *return_buffer,
                           PULONG return_length, PNTSTATUS protocol_status);

#endif
