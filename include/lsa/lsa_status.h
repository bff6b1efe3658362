/*
 * <lsa/lsa_status.h> - Linux extension: names and texts of NTSTATUS and Win32 codes.
 *
 * Covers the codes of spec/lsa-api.md §6.6 (and <lsa/ntstatus.h>); for logging and
 * for the `lsa` command.  The returned strings are static; never free them.
 */
#ifndef LSA_LSA_STATUS_H
#define LSA_LSA_STATUS_H

#include <lsa/ntdef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* "STATUS_NO_SUCH_PACKAGE", or NULL if Status is not in the table. */
const char *lsa_status_name(NTSTATUS Status);

/* One short English sentence ("The specified authentication package is unknown."),
 * or NULL if Status is not in the table. */
const char *lsa_status_text(NTSTATUS Status);

/* Exact, case-sensitive name → 0 with *Status set; otherwise -1, *Status untouched. */
int lsa_status_from_name(const char *Name, NTSTATUS *Status);

/* Name of a value LsaNtStatusToWinError() returns ("ERROR_NO_SUCH_PACKAGE",
 * "SEC_E_...", "SCARD_...", "NTE_...", "ERROR_MR_MID_NOT_FOUND"), or NULL. */
const char *lsa_win_error_name(ULONG Error);

#ifdef __cplusplus
}
#endif

#endif /* LSA_LSA_STATUS_H */
