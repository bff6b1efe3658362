/*
 * The machine's sessions, SYSTEM (0x3e7) and NETWORK_SERVICE (0x3e4): both hold the
 * machine identity ([kerberos] machine_principal).  Their ticket caches and the state
 * of their PKINIT device credential live in [lsa] state_dir/kerberos, owned by root,
 * mode 0700, so that every process of the machine sees the same ones:
 *
 *   machine-3e7.ccache   FILE ccache of SYSTEM (machine-3e4.* for NETWORK_SERVICE)
 *   machine-3e7.device   "active IDENTITY": the session's TGT came from PKINIT with the
 *                        device credential IDENTITY; "keytab IDENTITY": the TGT came
 *                        from the keytab, asked for explicitly, while IDENTITY stays
 *                        the device credential that machine logons without an explicit
 *                        choice use; "removed": the device credential was cleaned up,
 *                        the next machine logon uses the keytab.  Absent: none yet
 *                        ([kerberos] device_identity is used when set).
 */
#ifndef KERBEROS_KERB_MACHINE_H
#define KERBEROS_KERB_MACHINE_H

#include <stddef.h>

#include <lsa/ntsecpkg.h>

enum kerb_device_state {
    KERB_DEVICE_NONE,
    KERB_DEVICE_ACTIVE,  /* "active IDENTITY" */
    KERB_DEVICE_KEYTAB,  /* "keytab IDENTITY": installed, but the tickets are the keytab's */
    KERB_DEVICE_REMOVED,
};

NTSTATUS kerb_machine_ccache(const LUID *id, char *out, size_t out_size);

/* The device state of ID; for ACTIVE and KEYTAB, the identity into IDENTITY (may be
 * NULL). */
enum kerb_device_state kerb_machine_device_state(const LUID *id, char *identity,
                                                 size_t identity_size);
/* Record STATE (ACTIVE or KEYTAB with IDENTITY, or REMOVED).  Atomic (rename). */
NTSTATUS kerb_machine_set_device_state(const LUID *id, enum kerb_device_state state,
                                       const char *identity);

/* KerbCleanupMachinePkinitCredsMessage: with an ACTIVE device credential, destroy the
 * session's tickets (all obtained with it) and record REMOVED; with a KEYTAB one, record
 * REMOVED and keep the tickets (the keytab's); otherwise nothing. */
NTSTATUS kerb_machine_cleanup_pkinit(const LUID *id);

#endif
