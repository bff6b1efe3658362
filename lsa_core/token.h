/* Token handles: the Linux stand-in for the token LsaLogonUser returns (lsa_ext.h). */
#ifndef LSA_CORE_TOKEN_H
#define LSA_CORE_TOKEN_H

#include <lsa/ntdef.h>

NTSTATUS lsa_token_create(PLUID logon_id, HANDLE *token);

#endif
