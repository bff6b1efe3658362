#!/bin/sh
# shellcheck disable=SC2016,SC2034 # check's conditions are eval'd later: single quotes on purpose
# TAP test of the Kerberos lab itself (kdc_lab.sh + pki.sh) with the plain MIT tools:
# password, keytab and PKINIT logins, kpasswd through kadmind, a hung KDC, and every
# failure case of kerberos-lab.md step 3 that the lab has certificates for.
#   LSA_TEST_SRCDIR   the source tree (for tests/kdc/pki.sh); default: this script's ../..
# A failed setup is "Bail out!"; a missing krb5kdc/kinit is a skip of the whole plan.
set -u

PLAN=57

bail() {
    echo "Bail out! $*"
    exit 1
}

PATH=$PATH:/usr/sbin:/sbin
for tool in krb5kdc kadmind kdb5_util kadmin.local kinit klist kpasswd openssl; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "1..0 # SKIP $tool is not installed"
        exit 0
    fi
done
if [ ! -f /usr/lib/x86_64-linux-gnu/krb5/plugins/preauth/pkinit.so ] &&
    ! ls /usr/lib/*/krb5/plugins/preauth/pkinit.so >/dev/null 2>&1; then
    echo "1..0 # SKIP the krb5 PKINIT plugin (krb5-pkinit) is not installed"
    exit 0
fi

LAB_TOOLS_DIR=$(cd "$(dirname "$0")" && pwd)
. "$LAB_TOOLS_DIR/kdc_lab.sh"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/test_kdc_lab.XXXXXX") || bail "mktemp -d failed"
lab_trap 'rm -rf "$tmp"'
unset KRB5_TRACE

echo "1..$PLAN"
lab_init "$tmp" || bail "lab_init failed"
lab_start_kdc || bail "lab_start_kdc failed"
lab_start_kadmind || bail "lab_start_kadmind failed"

P=$LAB/pki
OUT=$LAB/out
TRACE=$LAB/trace
n=0
rc=0
last=""
# kin INPUT ARGS...: kinit with INPUT on stdin (no input: /dev/null, so a password
# prompt fails); sets rc, $OUT (stdout+stderr) and $TRACE (KRB5_TRACE).
kin() {
    input=$1
    shift
    rm -f "$TRACE" "$LAB/ccache"
    last="${FT:+(clock $FT) }kinit $*"
    if [ -n "$FT" ]; then
        set -- env LD_PRELOAD="$LAB_FAKETIME_LIB" FAKETIME="$FT" FAKETIME_DONT_FAKE_MONOTONIC=1 \
            kinit "$@"
    else
        set -- kinit "$@"
    fi
    if [ -n "$input" ]; then
        printf '%s\n' "$input" | KRB5_TRACE=$TRACE "$@" >"$OUT" 2>&1
    else
        KRB5_TRACE=$TRACE "$@" >"$OUT" 2>&1 </dev/null
    fi
    rc=$?
}
FT=""
# pk IDENTITY [PRINCIPAL]: a PKINIT kinit with FILE:$P/IDENTITY.pem,$P/<key>.
pk() {
    cert=$1 princ=${2:-alice}
    case $cert in
    alice-wrongkey) key=alice-wrongkey ;;
    alice*) key=alice ;;
    host2) key=host2 ;;
    host*) key=host ;;
    *) key=$cert ;;
    esac
    kin "" -X "X509_user_identity=FILE:$P/$cert.pem,$P/$key.key" "$princ"
}
out_has() { grep -Fq -- "$1" "$OUT"; }
trace_has() { grep -Fq -- "$1" "$TRACE" 2>/dev/null; }
# module17 CODE: the pkinit client module's verdict on the KDC's reply (masked in the
# API by the password fallback, so only the trace has it).
module17() { trace_has "Preauth module pkinit (17) (real) returned: $1"; }
pkinit_used() { klist -C 2>/dev/null | grep -q 'pa_type(krbtgt/EXAMPLE.TEST@EXAMPLE.TEST) = 16'; }
kdc_log_has() { grep -Fq -- "$1" "$LAB/kdc.log"; }

check() {
    n=$((n + 1))
    if eval "$2"; then
        echo "ok $n - $1"
    else
        echo "not ok $n - $1"
        echo "# command: $last (exit $rc)"
        echo "# condition: $2"
        sed -e 's/^/# output: /' "$OUT"
        [ -f "$TRACE" ] && grep -E 'Preauth module|error from KDC' "$TRACE" | sed -e 's/^/# trace: /'
        tail -n 3 "$LAB/kdc.log" | sed -e 's/^/# kdc.log: /'
    fi
}
restart_kdc() { lab_start_kdc "$@" || bail "lab_start_kdc $* failed"; }

# ---- step 1: passwords and keytab ------------------------------------------------------
kin alicepw alice
check "alice, right password: TGT" '[ $rc -eq 0 ] && klist | grep -q "krbtgt/EXAMPLE.TEST@EXAMPLE.TEST"'
check "alice: preauth was required (encrypted timestamp, no AS-REP roasting)" \
    'trace_has "Additional pre-authentication required"'
kin wrong alice
check "alice, wrong password: Password incorrect" '[ $rc -ne 0 ] && out_has "Password incorrect"'
kin whatever nosuchuser
check "unknown principal: not found in Kerberos database" '[ $rc -ne 0 ] && out_has "not found in Kerberos database"'
kin carolpw carol
check "carol: password expired (KDC_ERR_KEY_EXP)" \
    '[ $rc -ne 0 ] && out_has "Password expired" && trace_has "Password has expired"'
kin davepw dave
check "dave (-allow_tix): Client's credentials have been revoked" \
    '[ $rc -ne 0 ] && out_has "credentials have been revoked"'
kin "" -k -t "$LAB/host.keytab" host/client.example.test
check "host keytab: TGT" '[ $rc -eq 0 ]'
rc=0
last="kvno host/client.example.test"
kvno host/client.example.test >"$OUT" 2>&1 || rc=$?
check "kvno host/client.example.test (TGS-REQ)" '[ $rc -eq 0 ] && out_has "kvno = "'

for _ in 1 2 3; do kin wrong erin; done
kin erinpw erin
check "erin: locked out after 3 failures (policy lockout)" \
    '[ $rc -ne 0 ] && out_has "credentials have been revoked"'
lab_kadmin "modprinc -unlock erin" || bail "modprinc -unlock erin failed"
kin erinpw erin
check "erin: unlocked by kadmin.local modprinc -unlock" '[ $rc -eq 0 ]'

# ---- kpasswd through kadmind ---------------------------------------------------------------
rc=0
last="kpasswd carol"
printf 'carolpw\nCarolNew1\nCarolNew1\n' | kpasswd carol >"$OUT" 2>&1 || rc=$?
check "kpasswd changes carol's expired password" '[ $rc -eq 0 ] && out_has "Password changed"'
kin CarolNew1 carol
check "carol: the new password gives a TGT" '[ $rc -eq 0 ]'
kin carolpw carol
check "carol: the old password is refused" '[ $rc -ne 0 ] && out_has "Password incorrect"'

# ---- step 2: PKINIT ------------------------------------------------------------------------
pk alice
check "alice PKINIT: TGT" '[ $rc -eq 0 ]'
check "alice PKINIT: klist -C shows pa_type 16" 'pkinit_used'
check "alice PKINIT: trace shows the verified DH reply" 'trace_has "PKINIT client verified DH reply"'
rm -f "$LAB/ccache"
rc=0
last="kinit -X X509_user_identity=FILE:alice.pem,alice-pin.key alice (PIN 1234)"
printf '1234\n' | kinit -X "X509_user_identity=FILE:$P/alice.pem,$P/alice-pin.key" alice \
    >"$OUT" 2>&1 || rc=$?
check "alice-pin.key: kinit asks for the pass phrase and 1234 unlocks it" \
    '[ $rc -eq 0 ] && out_has "Pass phrase for" && pkinit_used'
pk host host/client.example.test
check "device PKINIT (host.pem): TGT with pa_type 16" '[ $rc -eq 0 ] && pkinit_used'
pk host2 host/client.example.test
check "device PKINIT (host2.pem, another key): TGT" '[ $rc -eq 0 ] && pkinit_used'
pk host-nodns host/client.example.test
check "device PKINIT (host-nodns.pem): TGT" '[ $rc -eq 0 ] && pkinit_used'
pk host-dnsonly host/client.example.test
check "device cert with a dNSName only: Client name mismatch" \
    '[ $rc -ne 0 ] && out_has "Client name mismatch"'
lab_kadmin "setstr host/client.example.test pkinit_cert_match <SUBJECT>^CN=client.example.test\$" ||
    bail "setstr pkinit_cert_match failed: $(cat "$LAB/kadmin.out")"
pk host-dnsonly host/client.example.test
check "device cert with a dNSName only + pkinit_cert_match: TGT" '[ $rc -eq 0 ] && pkinit_used'
lab_kadmin "delstr host/client.example.test pkinit_cert_match" || bail "delstr failed"
pk host-expired host/client.example.test
check "device cert expired: the client refuses its own certificate" \
    '[ $rc -ne 0 ] && out_has "Failed to verify own certificate (depth 0): certificate has expired"'

# ---- step 3 (a)/(b): the KDC certificate -----------------------------------------------------
restart_kdc kdc-noeku
pk alice
check "3a1 KDC cert without KDC EKU, krbtgt SAN: MIT client accepts it" '[ $rc -eq 0 ] && pkinit_used'

restart_kdc kdc-dnsonly-noeku
lab_client_conf "pkinit_kdc_hostname = kdc.example.test"
pk alice
check "3a2 no KDC EKU, DNS SAN, pkinit_kdc_hostname: (17) INCONSISTENT_KEY_PURPOSE, API CANTREADPWD" \
    '[ $rc -ne 0 ] && module17 -1765328307 && out_has "Cannot read password"'
lab_client_conf "pkinit_kdc_hostname = kdc.example.test" "pkinit_eku_checking = kpServerAuth"
pk alice
check "3a3 no EKU at all + pkinit_eku_checking = kpServerAuth: still (17) INCONSISTENT_KEY_PURPOSE" \
    '[ $rc -ne 0 ] && module17 -1765328307'
lab_client_conf "pkinit_kdc_hostname = kdc.example.test" "pkinit_eku_checking = none"
pk alice
check "3a3 no EKU + pkinit_eku_checking = none: TGT" '[ $rc -eq 0 ] && pkinit_used'
restart_kdc kdc-dnsonly-serverauth
lab_client_conf "pkinit_kdc_hostname = kdc.example.test" "pkinit_eku_checking = kpServerAuth"
pk alice
check "3a3 serverAuth EKU, DNS SAN + pkinit_eku_checking = kpServerAuth: TGT" '[ $rc -eq 0 ] && pkinit_used'
lab_client_conf "pkinit_kdc_hostname = kdc.example.test"
pk alice
check "3a3 serverAuth EKU, DNS SAN, default eku checking: (17) INCONSISTENT_KEY_PURPOSE" \
    '[ $rc -ne 0 ] && module17 -1765328307'
lab_client_conf

restart_kdc kdc-dnsonly
pk alice
check "3a4 KDC EKU, DNS SAN only, no pkinit_kdc_hostname: (17) KDC_NAME_MISMATCH" \
    '[ $rc -ne 0 ] && module17 -1765328308 && out_has "Cannot read password"'
lab_client_conf "pkinit_kdc_hostname = kdc.example.test"
pk alice
check "3a4 reversed: the same cert with pkinit_kdc_hostname is accepted" '[ $rc -eq 0 ] && pkinit_used'
lab_client_conf

restart_kdc kdc-nosan
pk alice
check "3a5 KDC cert without SAN: (17) KDC_NAME_MISMATCH" \
    '[ $rc -ne 0 ] && module17 -1765328308 && out_has "Cannot read password"'

restart_kdc kdc-expired
pk alice
check "3b1 KDC cert expired: the KDC answers PREAUTH_FAILED" \
    '[ $rc -ne 0 ] && out_has "Preauthentication failed" && kdc_log_has "certificate has expired"'

# 3b2: KDC clock 60 s before the cert's notAfter, client clock 60 s after (skew 120 s).
lab_kdc_clock "$(lab_offset_to kdc-expired -60)" || bail "lab_kdc_clock failed"
FT=$(lab_offset_to kdc-expired 60)
pk alice
FT=""
check "3b2 KDC cert expired as the client sees it (faketime): (17) INVALID_CERTIFICATE" \
    '[ $rc -ne 0 ] && module17 -1765328313 && trace_has "certificate has expired"'

restart_kdc kdc-rogue
pk alice
check "3b3 KDC cert from a CA the KDC does not trust: PREAUTH_FAILED" \
    '[ $rc -ne 0 ] && out_has "Preauthentication failed" && kdc_log_has "unable to get local issuer certificate"'

restart_kdc kdc-rogue "pkinit_anchors = FILE:$P/rogue-ca.pem"
pk alice
check "3b4 KDC cert from a CA the client does not trust: (17) CANT_VERIFY_CERTIFICATE" \
    '[ $rc -ne 0 ] && module17 -1765328314'

restart_kdc kdc-revoked
pk alice
check "3b5 revoked KDC cert, client without pkinit_revoke: accepted" '[ $rc -eq 0 ] && pkinit_used'
lab_client_conf "pkinit_revoke = FILE:$P/ca.crl"
pk alice
check "3b5 revoked KDC cert, client pkinit_revoke: (17) REVOKED_CERTIFICATE" \
    '[ $rc -ne 0 ] && module17 -1765328312'
pk alice-revoked
check "3e1 with a client CRL too: the client still sends its revoked cert, the KDC refuses it" \
    '[ $rc -ne 0 ] && out_has "Revoked certificate" && trace_has "Received error from KDC: -1765328312"'
lab_client_conf

# ---- step 3 (c)/(d)/(e): the client certificate ----------------------------------------------
restart_kdc
pk alice-expired
check "3c1 client cert expired: the client refuses its own cert" \
    '[ $rc -ne 0 ] && out_has "Pre-authentication failed: Failed to verify own certificate (depth 0): certificate has expired"'
check "3c1: only the first AS-REQ was sent, (16) returned PREAUTH_FAILED" \
    'trace_has "Preauth module pkinit (16) (real) returned: -1765328360" && [ "$(grep -c "Sending request (" "$TRACE")" -eq 1 ]'

# 3c2: the client 60 s before alice-expired's notAfter, the KDC 60 s after.
lab_kdc_clock "$(lab_offset_to alice-expired 60)" || bail "lab_kdc_clock failed"
FT=$(lab_offset_to alice-expired -60)
pk alice-expired
FT=""
check "3c2 client cert expired as the KDC sees it (faketime): Invalid certificate" \
    '[ $rc -ne 0 ] && out_has "Invalid certificate" && kdc_log_has "certificate has expired"'
restart_kdc

pk alice-rogue
check "3d1 client cert from an untrusted CA: the client refuses its own cert" \
    '[ $rc -ne 0 ] && out_has "Failed to verify own certificate (depth 0): unable to get local issuer certificate"'
lab_client_conf "pkinit_anchors = FILE:$P/ca.pem" "pkinit_anchors = FILE:$P/rogue-ca.pem"
pk alice-rogue
check "3d2 client cert from a CA the client trusts, the KDC not: Can't verify certificate" \
    '[ $rc -ne 0 ] && out_has "verify certificate" && trace_has "-1765328314"'
lab_client_conf

pk alice-revoked
check "3e1 client cert revoked (KDC pkinit_revoke): Revoked certificate" \
    '[ $rc -ne 0 ] && out_has "Revoked certificate" && kdc_log_has "certificate revoked"'

restart_kdc kdc -nocrl "pkinit_require_crl_checking = true"
pk alice
check "3e2 KDC requires CRL checking but has no CRL: Revocation status unknown" \
    '[ $rc -ne 0 ] && out_has "Revocation status unknown"'
restart_kdc kdc "pkinit_require_crl_checking = true"
pk alice
check "3e3 KDC requires CRL checking and has the CRL: TGT" '[ $rc -eq 0 ] && pkinit_used'
restart_kdc

pk alice-noeku
check "3e4 client cert without id-pkinit-KPClientAuth: Inconsistent key purpose" \
    '[ $rc -ne 0 ] && out_has "Inconsistent key purpose"'
pk alice bob
check "3e5 alice's cert for bob: Client name mismatch" '[ $rc -ne 0 ] && out_has "Client name mismatch"'
pk alice-wrongkey
check "3e6 cert and key do not match: Invalid signature" '[ $rc -ne 0 ] && out_has "Invalid signature"'
pk no-such-file
check "cert file missing: Cannot read certificate file" \
    '[ $rc -ne 0 ] && out_has "Cannot read certificate file"'

# ---- step 3 (f): no KDC, hung KDC --------------------------------------------------------------
lab_stop_kdc
kin alicepw alice
check "3f KDC stopped: Cannot contact any KDC" '[ $rc -ne 0 ] && out_has "Cannot contact any KDC for realm"'

restart_kdc
lab_hang_kdc
rm -f "$LAB/ccache"
printf 'alicepw\n' | kinit alice >"$OUT" 2>&1 &
kpid=$!
sleep 2
hung=no
if kill -0 "$kpid" 2>/dev/null; then hung=yes; fi
kill "$kpid" 2>/dev/null
wait "$kpid" 2>/dev/null
lab_resume_kdc
last="kinit alice against a SIGSTOPped KDC"
rc=0
check "SIGSTOPped KDC: kinit has no answer after 2 s" '[ "$hung" = yes ]'
kin alicepw alice
check "SIGCONT: the KDC answers again" '[ $rc -eq 0 ]'

# ---- the lab's own guarantees ------------------------------------------------------------------
kdcpid=$LAB_KDC_PID
check "a second KDC on the same port is refused (SO_REUSEPORT trap)" '! _lab_spawn_kdc 2>/dev/null'
LAB_KDC_PID=$kdcpid
lab_stop
check "lab_stop: krb5kdc and kadmind are gone" \
    '! _lab_alive "$kdcpid" && [ -z "$LAB_KDC_PID" ] && [ -z "$LAB_KADMIND_PID" ]'
check "lab_stop: the KDC port is free again" '! _lab_listening "$LAB_KDC_PORT"'
