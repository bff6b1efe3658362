#!/bin/sh
# make bench, Kerberos part (run after the C benches): against one lab KDC
# (tests/kdc/kdc_lab.sh) in one run,
#   1. password and PKINIT logons/s through LsaLogonUser (bench/bench_kerb_logon,
#      embedded) beside kinit processes/s for the same logons;
#   2. pamtester `authenticate` runs/s with pam_lsa.so (package=kerberos) beside Debian's
#      pam_krb5.so, both under pam_wrapper with the service files in a temporary directory.
# Ticket verification is off on every side, since kinit does not verify: lsa.conf has
# verify_ticket = false, pam_krb5 gets keytab= a file that does not exist (it then skips
# verification).  Target (issue): LsaLogonUser and pam_lsa no slower than kinit and
# pam_krb5 (ratio >= 1.00).  Figures are medians of 3 runs.
#   LSA_TEST_BUILDDIR, LSA_TEST_SRCDIR   set by make bench
#   BENCH_KERB_PASSWORD, BENCH_KERB_PKINIT, BENCH_KERB_PAM   logons per run (200, 50, 50)
# A missing tool skips the part that needs it; a failed set-up or logon exits 1.
set -u

NPW=${BENCH_KERB_PASSWORD:-200}
NPK=${BENCH_KERB_PKINIT:-50}
NPAM=${BENCH_KERB_PAM:-50}
B=$LSA_TEST_BUILDDIR
PATH=$PATH:/usr/sbin:/sbin

fail() {
    echo "bench_kerberos: $*" >&2
    exit 1
}

echo "Kerberos logons: LsaLogonUser vs kinit, pam_lsa vs pam_krb5 (one lab KDC on 127.0.0.1, verification off)"
for tool in krb5kdc kdb5_util kinit openssl; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "  $tool is not installed: skipped"
        exit 0
    fi
done
[ -f "$B/packages/kerberos/.libs/kerberos.so" ] || fail "the Kerberos package is not built"

LAB_TOOLS_DIR=$LSA_TEST_SRCDIR/tests/kdc
. "$LAB_TOOLS_DIR/kdc_lab.sh"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench_kerberos.XXXXXX") || fail "mktemp"
lab_trap 'rm -rf "$tmp"'
unset KRB5_TRACE LSA_LOG_STDERR
mkdir "$tmp/lab" "$tmp/state" && chmod 700 "$tmp/state" && lab_init "$tmp/lab" >"$tmp/lab.out" 2>&1 &&
    lab_start_kdc >>"$tmp/lab.out" 2>&1 || {
    cat "$tmp/lab.out" >&2
    fail "the lab KDC did not start"
}
IDENTITY=FILE:$LAB/pki/alice.pem,$LAB/pki/alice.key

# As tests/kerberos/kerb_lab_env.sh, with verify_ticket = false.
CONF=$tmp/lsa.conf
cat >"$CONF" <<CONF || fail "cannot write $CONF"
[lsa]
packages = kerberos
package_dir = $B/packages/kerberos/.libs
state_dir = $tmp/state
mode = embedded

[kerberos]
kdc_timeout = 2
pkinit_anchors = FILE:$LAB/pki/ca.pem
verify_ticket = false
CONF
LSA_CONFIG=$CONF
export LSA_CONFIG

# ms: the monotonic-enough wall clock in milliseconds (GNU date).
ms() { date +%s%3N; }
# median A B C
median() { printf '%s\n' "$@" | sort -g | sed -n 2p; }
# rate COUNT MILLISECONDS: per second, one decimal
rate() { awk -v n="$1" -v t="$2" 'BEGIN { printf "%.1f", n * 1000 / (t > 0 ? t : 1) }'; }
# ratio A B: A/B and the target verdict
ratio() {
    awk -v a="$1" -v b="$2" 'BEGIN { r = a / b; v = (r >= 1.0) ? "met" : "NOT MET"
        printf "%.2f (target >= 1.00: %s)", r, v }'
}
# timed COUNT CMD...: runs CMD COUNT times; prints the rate per second.  CMD must succeed
# every time (its output is in $tmp/out).
timed() {
    count=$1
    shift
    t0=$(ms)
    i=0
    while [ $i -lt "$count" ]; do
        "$@" >"$tmp/out" 2>&1 || return 1
        i=$((i + 1))
    done
    t1=$(ms)
    rate "$count" $((t1 - t0))
}
# The sides of a comparison take turns, one run each, 3 rounds, so that load from the
# rest of the machine hits both alike; each side has one untimed warm-up first.

# ---- LsaLogonUser vs kinit ------------------------------------------------------------
printf 'alicepw\n' >"$tmp/alicepw"
kinit_pw() { kinit alice <"$tmp/alicepw"; }
kinit_pk() { kinit -X "X509_user_identity=$IDENTITY" alice </dev/null; }
kinit_pw >"$tmp/out" 2>&1 && kinit_pk >>"$tmp/out" 2>&1 || { cat "$tmp/out" >&2; fail "kinit failed"; }
lpw="" lpk="" kpw="" kpk=""
for round in 1 2 3; do
    BENCH_KERB_RUNS=1 "$B/bench/bench_kerb_logon" "$NPW" "$NPK" "$IDENTITY" >"$tmp/lsa.out" \
        2>"$tmp/lsa.err" || {
        cat "$tmp/lsa.out" "$tmp/lsa.err" >&2
        fail "bench_kerb_logon failed"
    }
    lpw="$lpw $(awk '$1 == "password" { print $3 }' "$tmp/lsa.out")"
    lpk="$lpk $(awk '$1 == "PKINIT" { print $3 }' "$tmp/lsa.out")"
    kpw="$kpw $(timed "$NPW" kinit_pw)" || { cat "$tmp/out" >&2; fail "kinit (password) failed"; }
    kpk="$kpk $(timed "$NPK" kinit_pk)" || { cat "$tmp/out" >&2; fail "kinit (PKINIT) failed"; }
done
# shellcheck disable=SC2086 # word splitting of the three figures is meant
lsa_pw=$(median $lpw) lsa_pk=$(median $lpk) kpw=$(median $kpw) kpk=$(median $kpk)
printf '  password  LsaLogonUser %9s logons/s    (%d logons, median of 3 runs)\n' "$lsa_pw" "$NPW"
printf '  password  kinit        %9s processes/s (%d runs, median of 3)\n' "$kpw" "$NPW"
printf '  PKINIT    LsaLogonUser %9s logons/s    (%d logons, median of 3 runs)\n' "$lsa_pk" "$NPK"
printf '  PKINIT    kinit        %9s processes/s (%d runs, median of 3)\n' "$kpk" "$NPK"
printf '  password  LsaLogonUser/kinit  %s\n' "$(ratio "$lsa_pw" "$kpw")"
printf '  PKINIT    LsaLogonUser/kinit  %s\n' "$(ratio "$lsa_pk" "$kpk")"

# ---- pam_lsa vs pam_krb5 through pamtester ----------------------------------------------
echo "pamtester authenticate (password): pam_lsa package=kerberos (verify_ticket = false) vs pam_krb5 (no keytab: no verification)"
bail() { fail "$*"; }
. "$LSA_TEST_SRCDIR/tests/pam/pam_host_env.sh"
PAMTESTER=$(command -v pamtester 2>/dev/null) || PAMTESTER=""
PAM_KRB5=""
for d in /lib/x86_64-linux-gnu/security /usr/lib/x86_64-linux-gnu/security /lib64/security /lib/security; do
    [ -f "$d/pam_krb5.so" ] && PAM_KRB5=$d/pam_krb5.so && break
done
if [ -z "$PAMTESTER" ] || [ -z "$WRAPPER" ] || [ -z "$PAM_KRB5" ]; then
    echo "  pamtester, libpam_wrapper.so or pam_krb5.so is not installed: skipped"
    exit 0
fi
# nss_wrapper, when there is one, gives alice a passwd entry for both modules.
for d in /usr/lib/x86_64-linux-gnu /usr/lib64 /usr/lib /usr/local/lib; do
    [ -f "$d/libnss_wrapper.so" ] && PRELOAD="$PRELOAD $d/libnss_wrapper.so" && break
done
printf 'root:x:0:0:root:/root:/bin/sh\nalice:x:2001:2001:Alice:/nonexistent:/bin/sh\n' >"$tmp/passwd"
printf 'root:x:0:\nalice:x:2001:\n' >"$tmp/group"
mkdir "$tmp/pam.d" || fail "mkdir"
printf 'auth required pam_deny.so\n' >"$tmp/pam.d/other"
printf 'auth required %s minimum_uid=0 no_ccache keytab=%s\n' "$PAM_KRB5" "$tmp/no.keytab" \
    >"$tmp/pam.d/krb5"
printf 'auth required %s package=kerberos config=%s\n' "$MODULE" "$CONF" >"$tmp/pam.d/lsa"
pt() { # SERVICE: one pamtester authenticate of alice
    env LD_PRELOAD="$PRELOAD" PAM_WRAPPER=1 PAM_WRAPPER_SERVICE_DIR="$tmp/pam.d" \
        UID_WRAPPER_DISABLE_DEEPBIND=1 PAM_WRAPPER_DISABLE_DEEPBIND=1 \
        NSS_WRAPPER_PASSWD="$tmp/passwd" NSS_WRAPPER_GROUP="$tmp/group" \
        KRB5_KTNAME="FILE:$tmp/no.keytab" \
        "$PAMTESTER" "$1" alice authenticate <"$tmp/alicepw"
}
pt krb5 >"$tmp/out" 2>&1 || { cat "$tmp/out" >&2; fail "pamtester with pam_krb5 failed"; }
if ! pt lsa >"$tmp/out" 2>&1; then
    echo "  pam_lsa Kerberos path not available: skipped ($(tail -n 1 "$tmp/out"))"
    exit 0
fi
pk="" pl=""
for round in 1 2 3; do
    pk="$pk $(timed "$NPAM" pt krb5)" || { cat "$tmp/out" >&2; fail "pamtester with pam_krb5 failed"; }
    pl="$pl $(timed "$NPAM" pt lsa)" || { cat "$tmp/out" >&2; fail "pamtester with pam_lsa failed"; }
done
# shellcheck disable=SC2086
pkrb5=$(median $pk) plsa=$(median $pl)
printf '  password  pam_krb5     %9s authentications/s (%d pamtester runs, median of 3)\n' "$pkrb5" "$NPAM"
printf '  password  pam_lsa      %9s authentications/s (%d pamtester runs, median of 3)\n' "$plsa" "$NPAM"
printf '  password  pam_lsa/pam_krb5    %s\n' "$(ratio "$plsa" "$pkrb5")"
