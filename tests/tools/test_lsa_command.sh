#!/bin/sh
# TAP test of the lsa command against the echo test packages.
#   LSA_TEST_BUILDDIR     the build tree (holds the lsa binary)
#   LSA_TEST_PACKAGE_DIR  where echo_ap.so and echo_sspap.so are
# A failed setup (no binary, no packages, no temporary directory) is "Bail out!" and a
# non-zero exit; failed assertions are "not ok" lines, counted by the TAP driver.
set -u

PLAN=51

bail() {
    echo "Bail out! $*"
    exit 1
}

[ -n "${LSA_TEST_BUILDDIR:-}" ] || bail "LSA_TEST_BUILDDIR is not set"
[ -n "${LSA_TEST_PACKAGE_DIR:-}" ] || bail "LSA_TEST_PACKAGE_DIR is not set"
LSA=$LSA_TEST_BUILDDIR/lsa
[ -x "$LSA" ] || bail "$LSA is missing (make lsa)"
for p in echo_ap echo_sspap; do
    [ -f "$LSA_TEST_PACKAGE_DIR/$p.so" ] ||
        bail "$LSA_TEST_PACKAGE_DIR/$p.so is missing (make tests/packages/$p.la)"
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/test_lsa_command.XXXXXX") || bail "mktemp -d failed"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

# The tool itself must turn LSA_LOG_STDERR on; LSA_CONFIG is given per run.
unset LSA_LOG_STDERR LSA_CONFIG

GOOD=$tmp/lsa.conf
cat >"$GOOD" <<EOF || bail "cannot write $GOOD"
[lsa]
packages = echo_ap echo_sspap
package_dir = $LSA_TEST_PACKAGE_DIR
mode = embedded
EOF

# Line 4 is the bad one.
BAD=$tmp/bad.conf
cat >"$BAD" <<EOF || bail "cannot write $BAD"
[lsa]
packages = echo_ap
package_dir = $LSA_TEST_PACKAGE_DIR
client_quota = lots
EOF

if [ "$(id -u)" -eq 0 ]; then
    DEFAULT_CONNECTION="connection:      trusted (LsaRegisterLogonProcess)"
    DEFAULT_PROTOCOL="protocol status: STATUS_SUCCESS (0x00000000)"
else
    DEFAULT_CONNECTION="connection:      untrusted (LsaConnectUntrusted)"
    DEFAULT_PROTOCOL="protocol status: 0x00000101 (no known name)"
fi
UNTRUSTED_PROTOCOL="protocol status: 0x00000101 (no known name)"

. "$(dirname "$0")/lsa_command_checks.sh"

echo "1..$PLAN"

# ---- lsa packages -----------------------------------------------------------------------
run "$GOOD" packages
check "packages: exit 0" 'exit_is 0'
check "packages: EchoAP is id 0, model AP, from echo_ap.so" \
    'out_re "^0 +EchoAP +AP +$LSA_TEST_PACKAGE_DIR/echo_ap\.so\$"'
check "packages: EchoSSPAP (SpGetInfo name) is id 1, SSP/AP, from echo_sspap.so" \
    'out_re "^1 +EchoSSPAP +SSP/AP +$LSA_TEST_PACKAGE_DIR/echo_sspap\.so\$"'
check "packages: EchoSSPAPInit (InitializePackage name) is id 2, SSP/AP, from echo_sspap.so" \
    'out_re "^2 +EchoSSPAPInit +SSP/AP +$LSA_TEST_PACKAGE_DIR/echo_sspap\.so\$"'
check "packages: exactly three packages listed" 'out_lines 3'

# ---- lsa status -------------------------------------------------------------------------
NSP_NAME="name:  STATUS_NO_SUCH_PACKAGE"
NSP_VALUE="value: 0xC00000FE"
NSP_WIN32="win32: 1364 ERROR_NO_SUCH_PACKAGE"
for code in 0xC00000FE C00000FE 0xc00000fe 3221225726 STATUS_NO_SUCH_PACKAGE; do
    run /nonexistent/lsa.conf status "$code"
    check "status $code: exit 0, STATUS_NO_SUCH_PACKAGE 0xC00000FE 1364 ERROR_NO_SUCH_PACKAGE" \
        'exit_is 0 && out_line "$NSP_NAME" && out_line "$NSP_VALUE" && out_line "$NSP_WIN32" &&
         out_re "^text:  [A-Z].*\\.\$" && out_lines 4'
done
check "status needs no lsa.conf: works, nothing on stderr with LSA_CONFIG pointing nowhere" \
    'exit_is 0 && out_line "$NSP_NAME" && err_empty'

run /nonexistent/lsa.conf status -- -1073741570
check "status -- -1073741570 (negative decimal) is STATUS_NO_SUCH_PACKAGE" \
    'exit_is 0 && out_line "$NSP_NAME"'

run /nonexistent/lsa.conf status STATUS_PKINIT_CLIENT_FAILURE
check "status STATUS_PKINIT_CLIENT_FAILURE: value 0xC000038C" \
    'exit_is 0 && out_line "name:  STATUS_PKINIT_CLIENT_FAILURE" && out_line "value: 0xC000038C"'
check "status STATUS_PKINIT_CLIENT_FAILURE: win32 0x80090354 SEC_E_PKINIT_CLIENT_FAILURE" \
    'out_line "win32: 0x80090354 SEC_E_PKINIT_CLIENT_FAILURE"'

run /nonexistent/lsa.conf status 0xC0DEDBAD
check "status of an unknown code: exit 0, value shown" 'exit_is 0 && out_line "value: 0xC0DEDBAD"'
check "status of an unknown code: name is unknown" 'out_re "^name:  .*unknown"'
check "status of an unknown code: win32 317 ERROR_MR_MID_NOT_FOUND" \
    'out_line "win32: 317 ERROR_MR_MID_NOT_FOUND"'

run /nonexistent/lsa.conf status STATUS_NOT_A_STATUS
check "status with an unknown name: exit 2, the argument named" \
    'exit_is 2 && err_has "STATUS_NOT_A_STATUS" && out_empty'
run /nonexistent/lsa.conf status 0x1C00000FE
check "status with more than 8 hex digits: exit 2, the argument named" \
    'exit_is 2 && err_has "0x1C00000FE" && out_empty'

# ---- lsa call ---------------------------------------------------------------------------
ECHO_DUMP='^00000000  01 00 00 00 aa bb cc +\|\.{7}\|$'
run "$GOOD" call EchoAP 01000000aabbcc
check "call EchoAP echo: exit 0" 'exit_is 0'
check "call EchoAP echo: $DEFAULT_CONNECTION" 'out_line "$DEFAULT_CONNECTION"'
check "call EchoAP echo: package EchoAP is id 0" 'out_line "package:         EchoAP (id 0)"'
check "call EchoAP echo: status STATUS_SUCCESS" \
    'out_line "status:          STATUS_SUCCESS (0x00000000)"'
check "call EchoAP echo: $DEFAULT_PROTOCOL" 'out_line "$DEFAULT_PROTOCOL"'
check "call EchoAP echo: return buffer of 7 bytes" 'out_line "return buffer:   7 bytes"'
check "call EchoAP echo: the bytes come back in the hex dump" 'out_re "$ECHO_DUMP"'

run "$GOOD" call echoap "01 00 00 00  aa bb cc"
check "call: hex with spaces and a case-insensitive package name" \
    'exit_is 0 && out_line "package:         echoap (id 0)" && out_re "$ECHO_DUMP"'

run "$GOOD" call --untrusted EchoAP 01000000aabbcc
check "call --untrusted: exit 0, untrusted connection" \
    'exit_is 0 && out_line "connection:      untrusted (LsaConnectUntrusted)"'
check "call --untrusted: ProtocolStatus 0x00000101 from CallPackageUntrusted" \
    'out_line "$UNTRUSTED_PROTOCOL"'
check "call --untrusted: the bytes still come back" 'out_re "$ECHO_DUMP"'

run "$GOOD" call EchoSSPAPInit 0100000041424344
check "call an SSP/AP package (EchoSSPAPInit, id 2): echoed" \
    'exit_is 0 && out_line "package:         EchoSSPAPInit (id 2)" &&
     out_re "^00000000  01 00 00 00 41 42 43 44 .*\\|\\.\\.\\.\\.ABCD\\|\$"'

long=$(printf '%040d' 0)
run "$GOOD" call EchoAP "01000000$long"
check "call: a 24-byte reply is dumped on two lines with offsets" \
    'exit_is 0 && out_line "return buffer:   24 bytes" &&
     out_re "^00000010  00 00 00 00 00 00 00 00 +\\|\\.{8}\\|\$"'

run "$GOOD" call NoSuchPackage 01000000
check "call an unknown package: exit 1" 'exit_is 1'
check "call an unknown package: STATUS_NO_SUCH_PACKAGE on stderr" \
    'err_has "STATUS_NO_SUCH_PACKAGE (0xC00000FE)" && err_has "NoSuchPackage"'

run "$GOOD" call EchoAP 01zz
check "call with a non-hex digit: exit 2, the character named" \
    'exit_is 2 && err_has "'"'z'"' at offset 2 is not a hex digit" && out_empty'
run "$GOOD" call EchoAP 010
check "call with an odd number of hex digits: exit 2" \
    'exit_is 2 && err_has "odd number of hex digits" && out_empty'
run "$BAD" call EchoAP 0x01
check "call: bad hex is a usage error before any LSA work (even with a broken lsa.conf)" \
    'exit_is 2 && err_has "not a hex digit" && ! err_has "bad.conf"'

# ---- a malformed lsa.conf -------------------------------------------------------------------
run "$BAD" packages
check "malformed lsa.conf: packages exits 1" 'exit_is 1 && out_empty'
check "malformed lsa.conf: stderr names the file and line ($BAD:4)" 'err_has "$BAD:4:"'
check "malformed lsa.conf: stderr names STATUS_INVALID_SERVER_STATE" \
    'err_has "STATUS_INVALID_SERVER_STATE"'
run "$BAD" call EchoAP 01000000
check "malformed lsa.conf: call exits 1 and names the file and line" \
    'exit_is 1 && err_has "$BAD:4:"'
run "$tmp/missing.conf" packages
check "missing lsa.conf: exit 1 and the file is named" \
    'exit_is 1 && err_has "$tmp/missing.conf"'

# ---- usage ------------------------------------------------------------------------------
run "$GOOD"
check "no command: exit 2 with usage on stderr" 'exit_is 2 && err_has "usage: lsa" && out_empty'
run "$GOOD" frobnicate
check "unknown command: exit 2, named" 'exit_is 2 && err_has "unknown command '"'frobnicate'"'"'
run "$GOOD" --frobnicate
check "unknown option: exit 2" 'exit_is 2 && err_has "--frobnicate"'
run "$GOOD" call EchoAP
check "call without HEX: exit 2" 'exit_is 2 && err_has "usage: lsa call"'
run "$GOOD" call --bogus EchoAP 01000000
check "call with an unknown option: exit 2" 'exit_is 2 && err_has "--bogus" && out_empty'
run "$GOOD" status
check "status without CODE: exit 2" 'exit_is 2 && err_has "missing CODE"'
run "$GOOD" packages extra
check "packages with an argument: exit 2" 'exit_is 2 && err_has "extra"'
run "$GOOD" --help
check "--help: exit 0, lists every command" \
    'exit_is 0 && out_re "^  call " && out_re "^  packages" && out_re "^  status "'
run "$GOOD" --version
check "--version: exit 0, names the version" 'exit_is 0 && out_re "^lsa \\(pam-lsa\\) [0-9]"'

if [ "$n" -ne "$PLAN" ]; then
    echo "# planned $PLAN tests but ran $n" >&2
    exit 1
fi
exit 0
