/*
 * <lsa/winnt.h> - the security types of winnt.h that the LSA interfaces use:
 * SIDs, token groups and privileges, TOKEN_SOURCE, QUOTA_LIMITS, well-known LUIDs.
 * spec/lsa-api.md §1.3, §2.3, §6.2.
 */
#ifndef LSA_WINNT_H
#define LSA_WINNT_H

#include <lsa/ntdef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct _SID_IDENTIFIER_AUTHORITY {
    UCHAR Value[6];
} SID_IDENTIFIER_AUTHORITY, *PSID_IDENTIFIER_AUTHORITY;

typedef struct _SID {
    UCHAR Revision;
    UCHAR SubAuthorityCount;
    SID_IDENTIFIER_AUTHORITY IdentifierAuthority;
    ULONG SubAuthority[1]; /* SubAuthorityCount entries */
} SID, *PISID;
typedef PVOID PSID;

typedef struct _SID_AND_ATTRIBUTES {
    PSID Sid;
    ULONG Attributes;
} SID_AND_ATTRIBUTES, *PSID_AND_ATTRIBUTES;

typedef struct _TOKEN_GROUPS {
    ULONG GroupCount;
    SID_AND_ATTRIBUTES Groups[1]; /* GroupCount entries */
} TOKEN_GROUPS, *PTOKEN_GROUPS;

typedef struct _LUID_AND_ATTRIBUTES {
    LUID Luid;
    ULONG Attributes;
} LUID_AND_ATTRIBUTES, *PLUID_AND_ATTRIBUTES;

typedef struct _TOKEN_PRIVILEGES {
    ULONG PrivilegeCount;
    LUID_AND_ATTRIBUTES Privileges[1]; /* PrivilegeCount entries */
} TOKEN_PRIVILEGES, *PTOKEN_PRIVILEGES;

typedef struct _ACL {
    UCHAR AclRevision;
    UCHAR Sbz1;
    USHORT AclSize;
    USHORT AceCount;
    USHORT Sbz2;
} ACL, *PACL;

typedef struct _TOKEN_USER {
    SID_AND_ATTRIBUTES User;
} TOKEN_USER, *PTOKEN_USER;

typedef struct _TOKEN_OWNER {
    PSID Owner;
} TOKEN_OWNER, *PTOKEN_OWNER;

typedef struct _TOKEN_PRIMARY_GROUP {
    PSID PrimaryGroup;
} TOKEN_PRIMARY_GROUP, *PTOKEN_PRIMARY_GROUP;

typedef struct _TOKEN_DEFAULT_DACL {
    PACL DefaultDacl;
} TOKEN_DEFAULT_DACL, *PTOKEN_DEFAULT_DACL;

typedef struct _TOKEN_USER_CLAIMS {
    PVOID UserClaims; /* PCLAIMS_BLOB */
} TOKEN_USER_CLAIMS, *PTOKEN_USER_CLAIMS;

typedef struct _TOKEN_DEVICE_CLAIMS {
    PVOID DeviceClaims; /* PCLAIMS_BLOB */
} TOKEN_DEVICE_CLAIMS, *PTOKEN_DEVICE_CLAIMS;

#define TOKEN_SOURCE_LENGTH 8
typedef struct _TOKEN_SOURCE {
    CHAR SourceName[TOKEN_SOURCE_LENGTH];
    LUID SourceIdentifier;
} TOKEN_SOURCE, *PTOKEN_SOURCE;

typedef struct _QUOTA_LIMITS {
    SIZE_T PagedPoolLimit;
    SIZE_T NonPagedPoolLimit;
    SIZE_T MinimumWorkingSetSize;
    SIZE_T MaximumWorkingSetSize;
    SIZE_T PagefileLimit;
    LARGE_INTEGER TimeLimit;
} QUOTA_LIMITS, *PQUOTA_LIMITS;

typedef enum _SECURITY_IMPERSONATION_LEVEL {
    SecurityAnonymous = 0,
    SecurityIdentification = 1,
    SecurityImpersonation = 2,
    SecurityDelegation = 3
} SECURITY_IMPERSONATION_LEVEL, *PSECURITY_IMPERSONATION_LEVEL;

/* Well-known logon-session LUIDs (LowPart; HighPart 0), §6.2. */
#define SYSTEM_LUID { 0x3e7, 0x0 }
#define ANONYMOUS_LOGON_LUID { 0x3e6, 0x0 }
#define LOCALSERVICE_LUID { 0x3e5, 0x0 }
#define NETWORKSERVICE_LUID { 0x3e4, 0x0 }
#define IUSER_LUID { 0x3e3, 0x0 }
#define PROTECTED_TO_SYSTEM_LUID { 0x3e2, 0x0 }

/* Privilege LUID low parts, §6.2. */
#define SE_CREATE_TOKEN_PRIVILEGE 2L
#define SE_ASSIGNPRIMARYTOKEN_PRIVILEGE 3L
#define SE_TCB_PRIVILEGE 7L
#define SE_CHANGE_NOTIFY_PRIVILEGE 23L
#define SE_IMPERSONATE_PRIVILEGE 29L

_Static_assert(sizeof(TOKEN_SOURCE) == 16, "TOKEN_SOURCE x64 size (spec §1.3)");
_Static_assert(sizeof(QUOTA_LIMITS) == 48, "QUOTA_LIMITS x64 size (spec §1.3)");
_Static_assert(sizeof(SID_AND_ATTRIBUTES) == 16, "SID_AND_ATTRIBUTES x64 size");
_Static_assert(offsetof(TOKEN_GROUPS, Groups) == 8, "TOKEN_GROUPS.Groups x64 offset");
_Static_assert(sizeof(LUID_AND_ATTRIBUTES) == 12, "LUID_AND_ATTRIBUTES x64 size");

#ifdef __cplusplus
}
#endif

#endif /* LSA_WINNT_H */
