# Sourced by the Kerberos end-to-end tests: a lab KDC and kadmind (tests/kdc/kdc_lab.sh)
# in a temporary directory, an lsa.conf that loads the Kerberos package from the build
# tree, and kl, which runs one LsaLogonUser (kerb_logon) and prints its result line.
#   LSA_TEST_BUILDDIR, LSA_TEST_SRCDIR   set by make check
# Defines KERB_TMP, KERB_CONF; the caller's plan line must come first ("Bail out!" here).

PATH=$PATH:/usr/sbin:/sbin
for tool in krb5kdc kadmind kdb5_util openssl; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "1..0 # SKIP $tool is not installed"
        exit 0
    fi
done

LAB_TOOLS_DIR=$LSA_TEST_SRCDIR/tests/kdc
. "$LAB_TOOLS_DIR/kdc_lab.sh"
KERB_TMP=$(mktemp -d "${TMPDIR:-/tmp}/test_kerberos.XXXXXX") || { echo "Bail out! mktemp"; exit 1; }
lab_trap 'rm -rf "$KERB_TMP"'
unset KRB5_TRACE LSA_LOG_STDERR
# The leak suppression of MIT's pkinit.so (tests/lsan.supp) needs the whole stack: the
# fast unwinder stops at libcrypto, which has no frame pointers.
ASAN_OPTIONS="${ASAN_OPTIONS:-}:fast_unwind_on_malloc=0"
export ASAN_OPTIONS
mkdir "$KERB_TMP/lab" && lab_init "$KERB_TMP/lab" && lab_start_kdc && lab_start_kadmind || {
    echo "Bail out! the lab KDC did not start"
    exit 1
}
mkdir -p "$KERB_TMP/state" && chmod 700 "$KERB_TMP/state"

# kerb_conf [LINE...]: (re)write lsa.conf; LINEs go into [kerberos].  kdc_timeout is
# $KERB_KDC_TIMEOUT, 2 s unless the test sets it.
kerb_conf() {
    KERB_CONF=$KERB_TMP/lsa.conf
    {
        printf '[lsa]\npackages = kerberos\npackage_dir = %s\nstate_dir = %s\n' \
            "$LSA_TEST_BUILDDIR/packages/kerberos/.libs" "$KERB_TMP/state"
        printf '[kerberos]\nkdc_timeout = %s\npkinit_anchors = FILE:%s\n' "${KERB_KDC_TIMEOUT:-2}" \
            "$LAB/pki/ca.pem"
        printf 'machine_principal = host/client.example.test\nmachine_keytab = FILE:%s\n' \
            "$LAB/host.keytab"
        for line in "$@"; do
            printf '%s\n' "$line"
        done
    } >"$KERB_CONF"
    LSA_CONFIG=$KERB_CONF
    export LSA_CONFIG
}
kerb_conf

kl() {
    "$LSA_TEST_BUILDDIR/tests/kerberos/kerb_logon" "$@" 2>>"$KERB_TMP/stderr"
}

# udp_blackhole: a UDP socket on 127.0.0.1 that never answers, on a free port; sets
# BH_PORT and BH_PID (the caller's exit trap kills it).  False without python3.
udp_blackhole() {
    command -v python3 >/dev/null 2>&1 &&
        BH_PORT=$(_lab_pick_port "$LAB_KDC_PORT" "$LAB_KPASSWD_PORT" "$LAB_KADMIN_PORT") || return 1
    python3 -c 'import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", int(sys.argv[1])))
print("ready", flush=True)
time.sleep(300)' "$BH_PORT" >"$KERB_TMP/bh.out" 2>&1 &
    BH_PID=$!
    _i=0
    while ! grep -q ready "$KERB_TMP/bh.out" && [ $_i -lt 100 ]; do sleep 0.05; _i=$((_i + 1)); done
}
