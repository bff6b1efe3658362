/*
 * <lsa/winerror.h> - the Win32 error codes LsaNtStatusToWinError() can return.
 *
 * The right-hand column of spec/lsa-api.md §6.6 (values from mingw-w64 winerror.h),
 * small codes by value, then the HRESULT-style SEC_E_/NTE_/SCARD_ codes that
 * security and smart-card statuses map to (§6.5 step 4).  SEC_E_NO_CREDENTIALS is
 * deliberately absent: it is an *input* of the mapping, defined as an NTSTATUS in
 * <lsa/ntstatus.h>, and a second definition with another type would clash.
 */
#ifndef LSA_WINERROR_H
#define LSA_WINERROR_H

#include <lsa/ntdef.h>

#define ERROR_SUCCESS                                 0L
#define ERROR_INVALID_FUNCTION                        1L
#define ERROR_FILE_NOT_FOUND                          2L
#define ERROR_ACCESS_DENIED                           5L
#define ERROR_INVALID_HANDLE                          6L
#define ERROR_NOT_ENOUGH_MEMORY                       8L
#define ERROR_BAD_LENGTH                              24L
#define ERROR_GEN_FAILURE                             31L
#define ERROR_NOT_SUPPORTED                           50L
#define ERROR_INVALID_PASSWORD                        86L
#define ERROR_INVALID_PARAMETER                       87L
#define ERROR_SEM_TIMEOUT                             121L
#define ERROR_INSUFFICIENT_BUFFER                     122L
#define ERROR_FILENAME_EXCED_RANGE                    206L
#define ERROR_MORE_DATA                               234L
#define ERROR_IO_PENDING                              997L
#define ERROR_NOACCESS                                998L
#define ERROR_NO_TOKEN                                1008L
#define ERROR_NOT_FOUND                               1168L
#define ERROR_PKINIT_FAILURE                          1263L
#define ERROR_SMARTCARD_SUBSYSTEM_FAILURE             1264L
#define ERROR_DOWNGRADE_DETECTED                      1265L
#define ERROR_NO_LOGON_SERVERS                        1311L
#define ERROR_NO_SUCH_LOGON_SESSION                   1312L
#define ERROR_NO_SUCH_PRIVILEGE                       1313L
#define ERROR_PRIVILEGE_NOT_HELD                      1314L
#define ERROR_INVALID_ACCOUNT_NAME                    1315L
#define ERROR_USER_EXISTS                             1316L
#define ERROR_NO_SUCH_USER                            1317L
#define ERROR_ILL_FORMED_PASSWORD                     1324L
#define ERROR_PASSWORD_RESTRICTION                    1325L
#define ERROR_LOGON_FAILURE                           1326L
#define ERROR_ACCOUNT_RESTRICTION                     1327L
#define ERROR_INVALID_LOGON_HOURS                     1328L
#define ERROR_INVALID_WORKSTATION                     1329L
#define ERROR_PASSWORD_EXPIRED                        1330L
#define ERROR_ACCOUNT_DISABLED                        1331L
#define ERROR_BAD_IMPERSONATION_LEVEL                 1346L
#define ERROR_BAD_VALIDATION_CLASS                    1348L
#define ERROR_CANT_ACCESS_DOMAIN_INFO                 1351L
#define ERROR_INVALID_SERVER_STATE                    1352L
#define ERROR_NO_SUCH_DOMAIN                          1355L
#define ERROR_INTERNAL_ERROR                          1359L
#define ERROR_NOT_LOGON_PROCESS                       1362L
#define ERROR_LOGON_SESSION_EXISTS                    1363L
#define ERROR_NO_SUCH_PACKAGE                         1364L
#define ERROR_BAD_LOGON_SESSION_STATE                 1365L
#define ERROR_LOGON_SESSION_COLLISION                 1366L
#define ERROR_INVALID_LOGON_TYPE                      1367L
#define ERROR_LOGON_NOT_GRANTED                       1380L
#define ERROR_LOGON_TYPE_NOT_GRANTED                  1385L
#define ERROR_TIME_SKEW                               1398L
#define ERROR_NO_SYSTEM_RESOURCES                     1450L
#define ERROR_INVALID_USER_BUFFER                     1784L
#define ERROR_NO_TRUST_LSA_SECRET                     1786L
#define ERROR_NO_TRUST_SAM_ACCOUNT                    1787L
#define ERROR_TRUSTED_DOMAIN_FAILURE                  1788L
#define ERROR_TRUSTED_RELATIONSHIP_FAILURE            1789L
#define ERROR_NETLOGON_NOT_STARTED                    1792L
#define ERROR_ACCOUNT_EXPIRED                         1793L
#define ERROR_NOLOGON_INTERDOMAIN_TRUST_ACCOUNT       1807L
#define ERROR_NOLOGON_WORKSTATION_TRUST_ACCOUNT       1808L
#define ERROR_NOLOGON_SERVER_TRUST_ACCOUNT            1809L
#define ERROR_NOT_ENOUGH_QUOTA                        1816L
#define ERROR_PASSWORD_MUST_CHANGE                    1907L
#define ERROR_DOMAIN_CONTROLLER_NOT_FOUND             1908L
#define ERROR_ACCOUNT_LOCKED_OUT                      1909L
#define ERROR_AUTHENTICATION_FIREWALL_FAILED          1935L

/* No mapping exists (§6.5 step 4). */
#define ERROR_MR_MID_NOT_FOUND                        317L
/* Beyond §6.6: the mapping of STATUS_NO_MORE_ENTRIES. */
#define ERROR_NO_MORE_ITEMS                           259L

/* HRESULT-style results (§6.5 step 4). */
#define NTE_NO_KEY                                    ((ULONG)0x8009000DL)
#define NTE_BAD_KEYSET                                ((ULONG)0x80090016L)
#define NTE_SILENT_CONTEXT                            ((ULONG)0x80090022L)
#define SEC_E_NO_PA_DATA                              ((ULONG)0x8009033CL)
#define SEC_E_PKINIT_NAME_MISMATCH                    ((ULONG)0x8009033DL)
#define SEC_E_SMARTCARD_LOGON_REQUIRED                ((ULONG)0x8009033EL)
#define SEC_E_KDC_INVALID_REQUEST                     ((ULONG)0x80090340L)
#define SEC_E_KDC_UNABLE_TO_REFER                     ((ULONG)0x80090341L)
#define SEC_E_KDC_UNKNOWN_ETYPE                       ((ULONG)0x80090342L)
#define SEC_E_NO_KERB_KEY                             ((ULONG)0x80090348L)
#define SEC_E_SMARTCARD_CERT_REVOKED                  ((ULONG)0x80090351L)
#define SEC_E_ISSUING_CA_UNTRUSTED                    ((ULONG)0x80090352L)
#define SEC_E_REVOCATION_OFFLINE_C                    ((ULONG)0x80090353L)
#define SEC_E_PKINIT_CLIENT_FAILURE                   ((ULONG)0x80090354L)
#define SEC_E_SMARTCARD_CERT_EXPIRED                  ((ULONG)0x80090355L)
#define SEC_E_REVOCATION_OFFLINE_KDC                  ((ULONG)0x80090358L)
#define SEC_E_ISSUING_CA_UNTRUSTED_KDC                ((ULONG)0x80090359L)
#define SEC_E_KDC_CERT_EXPIRED                        ((ULONG)0x8009035AL)
#define SEC_E_KDC_CERT_REVOKED                        ((ULONG)0x8009035BL)
#define SCARD_E_NO_SMARTCARD                          ((ULONG)0x8010000CL)
#define SCARD_E_NO_SUCH_CERTIFICATE                   ((ULONG)0x8010002CL)
#define SCARD_E_COMM_DATA_LOST                        ((ULONG)0x8010002FL)
#define SCARD_W_WRONG_CHV                             ((ULONG)0x8010006BL)
#define SCARD_W_CHV_BLOCKED                           ((ULONG)0x8010006CL)
#define SCARD_W_CARD_NOT_AUTHENTICATED                ((ULONG)0x8010006FL)

#endif /* LSA_WINERROR_H */
