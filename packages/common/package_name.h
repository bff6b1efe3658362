/*
 * The package name an SSP/AP's InitializePackage returns: an LSA_STRING and its Buffer
 * in two AllocateLsaHeap blocks, which the LSA frees (spec §2.6).
 */
#ifndef PACKAGES_COMMON_PACKAGE_NAME_H
#define PACKAGES_COMMON_PACKAGE_NAME_H

#include <lsa/ntsecpkg.h>

NTSTATUS pkg_package_name(PLSA_DISPATCH_TABLE dispatch, const char *name, PLSA_STRING *out);

#endif
