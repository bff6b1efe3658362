/*
 * The machine's sessions, SYSTEM (0x3e7) and NETWORK_SERVICE (0x3e4): both hold the
 * machine identity ([kerberos] machine_principal).  Their ticket caches and the state
 * of their PKINIT device credential live in [lsa] state_dir/kerberos, owned by root,
 * mode 0700, so that every process of the machine sees the same ones:
 *
 *   machine-3e7.ccache   FILE ccache of SYSTEM (machine-3e4.* for NETWORK_SERVICE)
 *   machine-3e7.device   "active IDENTITY": the session's TGT came from PKINIT with the
 *                        device credential IDENTITY; "removed": the device credential
 *                        was cleaned up, the next machine logon uses the keytab.
 *                        Absent: none yet ([kerberos] device_identity is used when set).
 */
#ifndef KERBEROS_KERB_MACHINE_H
#define KERBEROS_KERB_MACHINE_H

#include <stddef.h>

#include <lsa/ntsecpkg.h>

enum kerb_device_state { KERB_DEVICE_NONE, KERB_DEVICE_ACTIVE, KERB_DEVICE_REMOVED };

NTSTATUS kerb_machine_ccache(const LUID *id, char *out, size_t out_size);

/* The device state of ID; for ACTIVE, the identity into IDENTITY (may be NULL). */
enum kerb_device_state kerb_machine_device_state(const LUID *id, char *identity,
                                                 size_t identity_size);
/* Record ACTIVE with IDENTITY, or REMOVED (IDENTITY NULL).  Atomic (rename). */
NTSTATUS kerb_machine_set_device_state(const LUID *id, const char *identity);

/* KerbCleanupMachinePkinitCredsMessage: with an ACTIVE device credential, destroy the
 * session's tickets (all obtained with it) and record REMOVED; otherwise nothing. */
NTSTATUS kerb_machine_cleanup_pkinit(const LUID *id);

#endif
