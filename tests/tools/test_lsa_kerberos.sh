#!/bin/sh
# TAP test of lsa's Kerberos commands (klist, purge, kget, machine-logon, pkinit-cleanup).
#   LSA_TEST_BUILDDIR     the build tree (holds the lsa binary)
#   LSA_TEST_PACKAGE_DIR  where echo_ap.so is (a configuration without Kerberos)
# Part 1 needs neither the Kerberos package nor a KDC: command lines, and the error
# when the package is not loaded.  A failed setup is "Bail out!" and a non-zero exit;
# failed assertions are "not ok" lines, counted by the TAP driver.
set -u

PLAN=43

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

# ---- helpers (as in test_lsa_command.sh) ----------------------------------------------
n=0
rc=0

run() {
    cfg=$1
    shift
    LSA_CONFIG=$cfg "$LSA" "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    last="LSA_CONFIG=$cfg lsa $*"
}

exit_is() { [ "$rc" -eq "$1" ]; }
out_line() { grep -Fxq -- "$1" "$tmp/out"; }
out_re() { grep -Eq -- "$1" "$tmp/out"; }
err_has() { grep -Fq -- "$1" "$tmp/err"; }
out_empty() { [ ! -s "$tmp/out" ]; }

check() {
    n=$((n + 1))
    if eval "$2"; then
        echo "ok $n - $1"
    else
        echo "not ok $n - $1"
        echo "# command: $last (exit $rc)"
        echo "# condition: $2"
        sed -e 's/^/# stdout: /' "$tmp/out"
        sed -e 's/^/# stderr: /' "$tmp/err"
    fi
}

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

if [ "$n" -ne "$PLAN" ]; then
    echo "# planned $PLAN tests but ran $n" >&2
    exit 1
fi
exit 0
