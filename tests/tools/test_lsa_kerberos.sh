#!/bin/sh
# TAP test of lsa's Kerberos commands (klist, purge, kget, machine-logon, pkinit-cleanup).
#   LSA_TEST_BUILDDIR     the build tree (holds the lsa binary)
#   LSA_TEST_PACKAGE_DIR  where echo_ap.so is (a configuration without Kerberos)
#   LSA_TEST_SRCDIR       the source tree (tests/kdc, tests/kerberos)
# Part 1 needs neither the Kerberos package nor a KDC: command lines, and the error
# when the package is not loaded.  Part 2 runs the commands against the KDC lab
# (tests/kdc/kdc_lab.sh) with the package from the build tree, on the machine's
# SYSTEM and NETWORK_SERVICE sessions: it needs root (their caches belong to root, and
# another session than one's own needs TCB); without root, the lab tools or the
# package, its cases are skipped, and so are those that need the package's message
# handlers while it answers them STATUS_NOT_IMPLEMENTED.  A failed setup is "Bail
# out!" and a non-zero exit; failed assertions are "not ok" lines.
set -u

PLAN=83

bail() {
    echo "Bail out! $*"
    exit 1
}

[ -n "${LSA_TEST_BUILDDIR:-}" ] || bail "LSA_TEST_BUILDDIR is not set"
[ -n "${LSA_TEST_PACKAGE_DIR:-}" ] || bail "LSA_TEST_PACKAGE_DIR is not set"
LSA=$LSA_TEST_BUILDDIR/lsa
[ -x "$LSA" ] || bail "$LSA is missing (make lsa)"
[ -f "$LSA_TEST_PACKAGE_DIR/echo_ap.so" ] ||
    bail "$LSA_TEST_PACKAGE_DIR/echo_ap.so is missing (make tests/packages/echo_ap.la)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/test_lsa_kerberos.XXXXXX") || bail "mktemp -d failed"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

unset LSA_LOG_STDERR LSA_CONFIG

# A working LSA without the Kerberos package.
NOKERB=$tmp/nokerb.conf
cat >"$NOKERB" <<EOC || bail "cannot write $NOKERB"
[lsa]
packages = echo_ap
package_dir = $LSA_TEST_PACKAGE_DIR
mode = embedded
EOC
# Usage errors must be found before the LSA is touched: this file does not exist.
NOWHERE=$tmp/nowhere.conf

ROOT=0
[ "$(id -u)" -eq 0 ] && ROOT=1

. "$(dirname "$0")/lsa_command_checks.sh"

# usage_error DESCRIPTION TEXT-ON-STDERR ARGS...: exit 2, TEXT and the usage line on
# stderr, nothing on stdout, and no LSA started (no complaint about the missing file).
usage_error() {
    desc=$1
    text=$2
    shift 2
    command=$1
    run "$NOWHERE" "$@"
    check "$desc: exit 2, \"$text\"" \
        'exit_is 2 && err_has "$text" && err_has "usage: lsa $command" && out_empty &&
         ! err_has "$NOWHERE"'
}

echo "1..$PLAN"

# ---- help -------------------------------------------------------------------------------
run "$NOWHERE" --help
check "--help lists the five Kerberos commands" \
    'exit_is 0 && out_re "^  kget " && out_re "^  klist " && out_re "^  machine-logon " &&
     out_re "^  pkinit-cleanup " && out_re "^  purge "'
for c in klist purge kget machine-logon pkinit-cleanup; do
    run "$NOWHERE" "$c" --help
    check "$c --help: exit 0, its usage line, no LSA started" \
        'exit_is 0 && out_re "^usage: lsa $c( |\$)" && ! err_has "$NOWHERE"'
done

# ---- usage errors -------------------------------------------------------------------------
usage_error "klist with an argument" "unexpected argument 'extra'" klist extra
usage_error "klist --logon-id not hex" "--logon-id 'zz'" klist --logon-id zz
usage_error "klist --logon-id without a value" "needs an argument" klist --logon-id
usage_error "klist --logon-id with a 33-bit high part" "--logon-id '0x100000000:0'" \
    klist --logon-id 0x100000000:0
usage_error "klist --logon-id with two colons" "--logon-id '1:2:3'" klist --logon-id 1:2:3
usage_error "klist --logon-id with an empty low part" "--logon-id '0x0:'" klist --logon-id 0x0:
usage_error "klist --logon-id with 17 hex digits" "--logon-id '0x10000000000000000'" \
    klist --logon-id 0x10000000000000000
usage_error "klist --cache-only (kget's option)" "unknown option '--cache-only'" klist --cache-only
usage_error "purge with two names" "at most one SERVER@REALM" purge a@B c@D
usage_error "purge NAME without a realm" "'host': expected SERVER@REALM" purge host
usage_error "purge @REALM without a server" "'@EXAMPLE.ORG': expected SERVER@REALM" \
    purge @EXAMPLE.ORG
usage_error "purge SERVER@ without a realm" "'host@': expected SERVER@REALM" purge host@
usage_error "purge --ex (klist's option)" "unknown option '--ex'" purge --ex
usage_error "kget without SPN" "expected one SPN, got 0" kget
usage_error "kget with two SPNs" "expected one SPN, got 2" kget a b
usage_error "kget with an empty SPN" "SPN is empty" kget ""
usage_error "kget --logon-id not hex" "--logon-id 'g'" kget --logon-id g host/a
usage_error "machine-logon --keytab --certificate" "exclude each other" \
    machine-logon --keytab --certificate
usage_error "machine-logon with an argument" "unexpected argument 'host'" machine-logon host
usage_error "machine-logon --principal without a value" "needs an argument" \
    machine-logon --principal
usage_error "machine-logon --logon-id (not its option)" "unknown option '--logon-id'" \
    machine-logon --logon-id 0
usage_error "pkinit-cleanup without a session" "expected system or network_service, got 0" \
    pkinit-cleanup
usage_error "pkinit-cleanup of another session" "'0x3e5': expected system or network_service" \
    pkinit-cleanup 0x3e5
usage_error "pkinit-cleanup with two sessions" "got 2" pkinit-cleanup system network_service

# ---- the Kerberos package not loaded ------------------------------------------------------
# not_loaded DESCRIPTION ARGS...: exit 1, the lookup named with STATUS_NO_SUCH_PACKAGE and
# the advice to load it; nothing on stdout.
not_loaded() {
    desc=$1
    shift
    run "$NOKERB" "$@"
    check "$desc without the package: exit 1, STATUS_NO_SUCH_PACKAGE, how to load it" \
        'exit_is 1 && out_empty &&
         err_has "LsaLookupAuthenticationPackage(\"Kerberos\"): STATUS_NO_SUCH_PACKAGE (0xC00000FE)" &&
         err_has "add kerberos to [lsa] packages"'
}
not_loaded "klist" klist
not_loaded "klist --ex" klist --ex
# A well-formed LUID gets past the command line: the failure is the package's absence.
not_loaded "klist --logon-id 0x0:0x000003e7" klist --logon-id 0x0:0x000003e7
not_loaded "klist --logon-id 3E7 (hex without 0x)" klist --logon-id 3E7
not_loaded "klist --logon-id 0x1ffffffff (one 64-bit number)" klist --logon-id 0x1ffffffff
not_loaded "klist --logon-id 0000000000000000003e7 (leading zeros)" \
    klist --logon-id 0000000000000000003e7
not_loaded "purge" purge
not_loaded "purge SERVER@REALM" purge krbtgt/EXAMPLE.ORG@EXAMPLE.ORG
not_loaded "kget" kget host/a.example.org
not_loaded "kget --cache-only" kget --cache-only host/a.example.org
not_loaded "pkinit-cleanup system" pkinit-cleanup system
not_loaded "pkinit-cleanup NETWORK_SERVICE" pkinit-cleanup NETWORK_SERVICE

run "$NOKERB" machine-logon
if [ "$ROOT" -eq 1 ]; then
    check "machine-logon without the package (root): exit 1, STATUS_NO_SUCH_PACKAGE" \
        'exit_is 1 && out_empty && err_has "STATUS_NO_SUCH_PACKAGE" && err_has "add kerberos"'
else
    check "machine-logon as a user: exit 1, needs root, nothing tried" \
        'exit_is 1 && out_empty && err_has "needs root" && ! err_has "STATUS_"'
fi

# ---- part 2: against the KDC lab ----------------------------------------------------------
LAB_WHY=
for tool in krb5kdc kadmind kdb5_util openssl; do
    PATH=$PATH:/usr/sbin:/sbin command -v "$tool" >/dev/null 2>&1 || LAB_WHY="$tool is not installed"
done
[ -n "${LSA_TEST_SRCDIR:-}" ] || LAB_WHY="LSA_TEST_SRCDIR is not set"
[ -f "$LSA_TEST_BUILDDIR/packages/kerberos/.libs/kerberos.so" ] ||
    LAB_WHY="the Kerberos package is not built"
[ "$ROOT" -eq 1 ] || LAB_WHY=${LAB_WHY:-"needs root"}
MSG_WHY=

SKIP=
# want: whether part 2 runs here (else SKIP says why); msg: and the message handlers.
want() {
    SKIP=$LAB_WHY
    [ -z "$SKIP" ] && [ "${1:-}" = msg ] && SKIP=$MSG_WHY
    [ -z "$SKIP" ]
}
# kcheck DESCRIPTION CONDITION: check, or a skip line when SKIP is set.
kcheck() {
    if [ -n "$SKIP" ]; then
        n=$((n + 1))
        echo "ok $n - $1 # SKIP $SKIP"
    else
        check "$1" "$2"
    fi
}
if [ -z "$LAB_WHY" ]; then
    keep_tmp=$tmp
    . "$LSA_TEST_SRCDIR/tests/kerberos/kerb_lab_env.sh"
    lab_trap 'rm -rf "$KERB_TMP" "$keep_tmp"'
    STATE=$KERB_TMP/state/kerberos
    PKI=$LAB/pki
    HOST_ID=FILE:$PKI/host.pem,$PKI/host.key
    HOST2_ID=FILE:$PKI/host2.pem,$PKI/host2.key
fi
MACHINE=host/client.example.test@EXAMPLE.TEST
TGT=krbtgt/EXAMPLE.TEST@EXAMPLE.TEST

# The machine logs on with its keytab (no device credential installed yet).
if want; then run "$KERB_CONF" machine-logon; fi
kcheck "machine-logon (keytab): exit 0, success, a logon id" \
    'exit_is 0 && out_line "logon: STATUS_SUCCESS (0x00000000)" &&
     out_re "^logon id: 0x[0-9a-f]+:0x[0-9a-f]{8}\$"'
kcheck "machine-logon (keytab): the principal and credential said" \
    'out_line "principal: (machine_principal)" &&
     out_line "credential: machine_keytab"'
kcheck "machine-logon (keytab): both machine caches written, no device state" \
    '[ -s "$STATE/machine-3e7.ccache" ] && [ -s "$STATE/machine-3e4.ccache" ] &&
     [ ! -e "$STATE/machine-3e7.device" ]'

# Do the message handlers answer yet?
if want; then
    run "$KERB_CONF" klist --logon-id 0x3e7
    err_has "STATUS_NOT_IMPLEMENTED" &&
        MSG_WHY="the package's message handlers are not in yet (STATUS_NOT_IMPLEMENTED)"
fi

if want msg; then run "$KERB_CONF" pkinit-cleanup system; fi
kcheck "pkinit-cleanup system without a device credential: a successful no-op" \
    'exit_is 0 && out_line "cleaned up: SYSTEM (0x0:0x000003e7): no PKINIT device credential remains" &&
     [ -s "$STATE/machine-3e7.ccache" ]'

if want msg; then run "$KERB_CONF" klist --logon-id 0x3e7; fi
kcheck "klist SYSTEM: the session, the machine as client, one ticket" \
    'exit_is 0 && out_line "Logon id: 0x0:0x000003e7" && out_line "Client: $MACHINE" &&
     out_line "Cached tickets: 1"'
kcheck "klist SYSTEM: the TGT with times, initial and pre-authenticated, an etype" \
    'out_re "^[0-9]{2}/[0-9]{2}/[0-9]{4} [0-9:]{8}  [0-9]{2}/[0-9]{2}/[0-9]{4} [0-9:]{8}  $TGT\$" &&
     out_re "Flags: [A-Za-z]*I[A-Za-z]*\$" && out_re "Flags: [A-Za-z]*A" &&
     out_re "^	Etype: (aes|camellia)"'

if want msg; then run "$KERB_CONF" klist --ex --logon-id 0x3e7; fi
kcheck "klist --ex: each ticket's client and flags in hex and by name" \
    'exit_is 0 && out_line "	Client: $MACHINE" && out_re "^	Ticket flags: 0x[0-9a-f]{8} .*initial"'

if want msg; then run "$KERB_CONF" kget --logon-id 0x3e7 host/client.example.test; fi
kcheck "kget a service ticket for the SYSTEM session: server, client, size" \
    'exit_is 0 && out_line "Server: $MACHINE" &&
     out_line "Client: host/client.example.test" && out_re "^Ticket: [1-9][0-9]* bytes\$"'
kcheck "kget: times, flags and the session-key etype, never the key" \
    'out_re "^Expires: [0-9]{2}/" && out_re "^Flags: [A-Za-z]* \\(0x[0-9a-f]{8}" &&
     out_re "^Session key etype: " && ! grep -qi "key value" "$tmp/out"'

if want msg; then run "$KERB_CONF" kget --cache-only --logon-id 0x3e7 host/client.example.test; fi
kcheck "kget --cache-only: the ticket just obtained is in the cache" \
    'exit_is 0 && out_line "Server: $MACHINE"'

if want msg; then run "$KERB_CONF" klist --logon-id 0x3e7; fi
kcheck "klist: now two tickets, the service ticket among them" \
    'exit_is 0 && out_line "Cached tickets: 2" && out_re "  $MACHINE\$"'

if want msg; then run "$KERB_CONF" purge --logon-id 0x3e7 "$MACHINE"; fi
kcheck "purge SERVER@REALM: exit 0, the ticket named" \
    'exit_is 0 && out_line "Purged: $MACHINE"'
if want msg; then run "$KERB_CONF" klist --logon-id 0x3e7; fi
kcheck "klist after purging one: the TGT only" \
    'exit_is 0 && out_line "Cached tickets: 1" && ! out_re "  $MACHINE\$"'

if want msg; then run "$KERB_CONF" kget --cache-only --logon-id 0x3e7 host/client.example.test; fi
kcheck "kget --cache-only of a purged ticket: exit 1, the ProtocolStatus by name" \
    'exit_is 1 && out_empty && err_has "KerbRetrieveEncodedTicketMessage: ProtocolStatus: STATUS_"'

if want msg; then run "$KERB_CONF" purge --logon-id 0x3e4; fi
kcheck "purge NETWORK_SERVICE without a name: every ticket" \
    'exit_is 0 && out_line "Purged: all tickets"'
if want msg; then run "$KERB_CONF" klist --logon-id 0x3e4; fi
kcheck "klist NETWORK_SERVICE after purging all: no tickets" \
    'exit_is 0 && out_line "Cached tickets: 0" && ! out_re "^Client:"'

# Device logon with the machine's certificate.
if want; then run "$KERB_CONF" machine-logon --certificate="$HOST_ID"; fi
kcheck "machine-logon --certificate=IDENTITY: exit 0, the certificate named" \
    'exit_is 0 && out_line "logon: STATUS_SUCCESS (0x00000000)" &&
     out_line "credential: certificate $HOST_ID"'
kcheck "machine-logon --certificate: the package records the active device credential" \
    '[ "$(cat "$STATE/machine-3e7.device")" = "active $HOST_ID" ] &&
     [ "$(cat "$STATE/machine-3e4.device")" = "active $HOST_ID" ]'

# A new device certificate (host2.pem: another key, the same machine principal) purges
# the machine tickets of the old one (spec §1.1): service tickets included, both sessions.
if want msg; then
    run "$KERB_CONF" kget --logon-id 0x3e7 host/client.example.test
    run "$KERB_CONF" kget --logon-id 0x3e4 host/client.example.test
    run "$KERB_CONF" klist --logon-id 0x3e7
fi
kcheck "before the new certificate: SYSTEM holds the old TGT and a service ticket" \
    'exit_is 0 && out_line "Cached tickets: 2" && out_re "  $MACHINE\$"'
if want; then run "$KERB_CONF" machine-logon --certificate="$HOST2_ID"; fi
kcheck "machine-logon with a new device certificate: exit 0, the new one named" \
    'exit_is 0 && out_line "credential: certificate $HOST2_ID"'
kcheck "the new device certificate is the active credential of both sessions" \
    '[ "$(cat "$STATE/machine-3e7.device")" = "active $HOST2_ID" ] &&
     [ "$(cat "$STATE/machine-3e4.device")" = "active $HOST2_ID" ]'
if want msg; then run "$KERB_CONF" klist --logon-id 0x3e7; fi
kcheck "klist SYSTEM after the new certificate: only the new TGT, the old tickets gone" \
    'exit_is 0 && out_line "Cached tickets: 1" && ! out_re "  $MACHINE\$" &&
     out_re "  $TGT\$"'
if want msg; then run "$KERB_CONF" klist --logon-id 0x3e4; fi
kcheck "klist NETWORK_SERVICE after the new certificate: only the new TGT" \
    'exit_is 0 && out_line "Cached tickets: 1" && ! out_re "  $MACHINE\$" &&
     out_re "  $TGT\$"'

# --keytab while the device credential is installed: the keytab, and the credential
# stays installed ("keytab IDENTITY"); a logon without an option uses it again.  How the
# TGT was obtained is in the cache, as kinit records it: pa_type 2 (encrypted timestamp,
# the keytab) or 16 (PKINIT); MIT's klist -C shows it.
pa_type() {
    klist -C -c "FILE:$STATE/machine-$1.ccache" 2>/dev/null |
        sed -n 's/^.*config: pa_type(.*) = \([0-9]*\)$/\1/p'
}
if want; then run "$KERB_CONF" machine-logon --keytab; fi
kcheck "machine-logon --keytab with a device credential installed: the keytab's TGT" \
    'exit_is 0 && out_line "credential: machine_keytab" &&
     [ "$(pa_type 3e7)" = 2 ] && [ "$(pa_type 3e4)" = 2 ]'
kcheck "machine-logon --keytab: the device state says the tickets are the keytab's" \
    '[ "$(cat "$STATE/machine-3e7.device")" = "keytab $HOST2_ID" ] &&
     [ "$(cat "$STATE/machine-3e4.device")" = "keytab $HOST2_ID" ]'
if want msg; then run "$KERB_CONF" klist --logon-id 0x3e7; fi
kcheck "klist SYSTEM after --keytab: one TGT" \
    'exit_is 0 && out_line "Cached tickets: 1" && out_re "  $TGT\$"'
if want; then run "$KERB_CONF" machine-logon; fi
kcheck "machine-logon without an option after --keytab: the installed device credential again" \
    'exit_is 0 && [ "$(pa_type 3e7)" = 16 ] &&
     out_line "credential: the active device credential (PKINIT)" &&
     [ "$(cat "$STATE/machine-3e7.device")" = "active $HOST2_ID" ]'

if want; then run "$KERB_CONF" machine-logon --principal host/client.example.test; fi
kcheck "machine-logon --principal machine_principal: still the machine, exit 0" \
    'exit_is 0 && out_line "principal: host/client.example.test"'

if want msg; then run "$KERB_CONF" pkinit-cleanup system; fi
kcheck "pkinit-cleanup system with a device credential: exit 0, recorded removed" \
    'exit_is 0 && out_line "cleaned up: SYSTEM (0x0:0x000003e7): no PKINIT device credential remains" &&
     [ "$(cat "$STATE/machine-3e7.device")" = removed ]'
if want msg; then run "$KERB_CONF" klist --logon-id 0x3e7; fi
kcheck "klist SYSTEM after the cleanup: its PKINIT tickets are gone" \
    'exit_is 0 && out_line "Cached tickets: 0"'
if want msg; then run "$KERB_CONF" pkinit-cleanup network_service; fi
kcheck "pkinit-cleanup network_service: exit 0, recorded removed" \
    'exit_is 0 && out_line "cleaned up: NETWORK_SERVICE (0x0:0x000003e4): no PKINIT device credential remains" &&
     [ "$(cat "$STATE/machine-3e4.device")" = removed ]'

# The cleanup of a device credential whose session holds the keytab's tickets (after
# --keytab): the credential goes, the tickets (not obtained with it) stay.
if want msg; then
    run "$KERB_CONF" machine-logon --certificate="$HOST_ID"
    run "$KERB_CONF" machine-logon --keytab
    run "$KERB_CONF" pkinit-cleanup system
fi
kcheck "pkinit-cleanup after --keytab: exit 0, recorded removed" \
    'exit_is 0 && [ "$(cat "$STATE/machine-3e7.device")" = removed ]'
if want msg; then run "$KERB_CONF" klist --logon-id 0x3e7; fi
kcheck "klist SYSTEM after that cleanup: the keytab's TGT stays" \
    'exit_is 0 && out_line "Cached tickets: 1" && out_re "  $TGT\$"'

# Refusals, by name.
if want; then run "$KERB_CONF" machine-logon --certificate="FILE:$PKI/host-nodns.pem,$PKI/host.key"; fi
kcheck "machine-logon with a device certificate without dNSName: STATUS_PKINIT_CLIENT_FAILURE" \
    'exit_is 1 && out_line "logon: STATUS_PKINIT_CLIENT_FAILURE (0xC000038C)" &&
     err_has "LsaLogonUser(Service, Kerberos): STATUS_PKINIT_CLIENT_FAILURE"'

if want; then run "$KERB_CONF" machine-logon --certificate; fi
kcheck "machine-logon --certificate without device_identity: exit 1, named" \
    'exit_is 1 && err_has "LsaLogonUser(Service, Kerberos): STATUS_"'

if want; then
    kerb_conf "device_identity = $HOST_ID"
    run "$KERB_CONF" machine-logon --certificate
    kerb_conf
fi
kcheck "machine-logon --certificate with device_identity set: exit 0" \
    'exit_is 0 && out_line "credential: certificate (device_identity)"'

# As the package's own test (3b4): the KDC's certificate from a CA the client does not
# trust, the KDC trusting that CA too.
if want; then
    lab_start_kdc kdc-rogue "pkinit_anchors = FILE:$PKI/rogue-ca.pem" >/dev/null 2>&1
    run "$KERB_CONF" machine-logon --certificate="$HOST_ID"
fi
kcheck "device logon, KDC certificate from an untrusted CA: STATUS_PKINIT_FAILURE and SubStatus" \
    'exit_is 1 && out_line "logon: STATUS_PKINIT_FAILURE (0xC0000320)" &&
     out_line "substatus: STATUS_ISSUING_CA_UNTRUSTED_KDC (0xC000040D)" &&
     err_has "SubStatus: STATUS_ISSUING_CA_UNTRUSTED_KDC"'

# The same KDC certificate with the KDC's usual anchors.
if want; then
    lab_start_kdc kdc-rogue >/dev/null 2>&1
    run "$KERB_CONF" machine-logon --certificate="$HOST_ID"
    lab_start_kdc >/dev/null 2>&1
fi
kcheck "device logon to a KDC of an untrusted CA: exit 1, STATUS_PKINIT_FAILURE" \
    'exit_is 1 && out_line "logon: STATUS_PKINIT_FAILURE (0xC0000320)" &&
     err_has "LsaLogonUser(Service, Kerberos): STATUS_PKINIT_FAILURE"'
# The KDC refuses its own certificate (PREAUTH_FAILED) before sending one: nobody can
# tell why, so no SubStatus (kerberos(8): "where known").
kcheck "device logon to a KDC of an untrusted CA (usual KDC anchors): no SubStatus" \
    '! grep -q "^substatus:" "$tmp/out"'

if want; then
    if command -v setpriv >/dev/null 2>&1; then
        LSA_CONFIG=$KERB_CONF setpriv --reuid=65534 --regid=65534 --clear-groups \
            "$LSA" machine-logon >"$tmp/out" 2>"$tmp/err"
        rc=$?
        last="setpriv --reuid=65534 lsa machine-logon"
    else
        SKIP="setpriv is not installed"
    fi
fi
kcheck "machine-logon as an unprivileged user: exit 1, needs root" \
    'exit_is 1 && err_has "needs root" && out_empty'

if [ "$n" -ne "$PLAN" ]; then
    echo "# planned $PLAN tests but ran $n" >&2
    exit 1
fi
exit 0
