#!/bin/sh
# TAP test of pam_lsa.so through a real PAM application: pamtester under pam_wrapper,
# with the service files in a temporary directory and an MSV1_0 store made with
# `lsa user add`.
#   LSA_TEST_BUILDDIR     the build tree (holds lsa, pam_lsa/.libs/pam_lsa.so and
#                         packages/msv1_0/.libs/msv1_0.so)
#   LSA_TEST_TRANSPORT    "daemon": lsa.conf says mode = daemon and an lsad started with
#                         tests/lsad/lsad_fixture.sh serves every call (the test_pamtester_daemon.sh
#                         variant); else the embedded LSA
# A failed setup is "Bail out!"; a missing tool is a skip of the whole plan.
set -u

PLAN=31
[ "${LSA_TEST_TRANSPORT:-}" = daemon ] && PLAN=32

bail() {
    echo "Bail out! $*"
    exit 1
}

. "$(dirname "$0")/pam_host_env.sh"
. "$(dirname "$0")/../lsad/lsad_fixture.sh"
PAMTESTER=$(command -v pamtester 2>/dev/null) || PAMTESTER=""
if [ -z "$PAMTESTER" ] || [ -z "$WRAPPER" ]; then
    echo "1..0 # SKIP pamtester or libpam_wrapper.so is not installed"
    exit 0
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/test_pamtester.XXXXXX") || bail "mktemp -d failed"
trap '{ lsad_kill; wait; } 2>/dev/null; rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM
unset LSA_LOG_STDERR

STORE=$tmp/smbpasswd
CONF=$tmp/lsa.conf
MODE=embedded
[ "${LSA_TEST_TRANSPORT:-}" = daemon ] && MODE=daemon
cat >"$CONF" <<CONF || bail "cannot write $CONF"
[lsa]
packages = msv1_0
package_dir = $LSA_TEST_BUILDDIR/packages/msv1_0/.libs
mode = $MODE
socket = $tmp/lsad.sock

[msv1_0]
store = $STORE
domain = LABDOM
lockout_threshold = 3
CONF
export LSA_CONFIG="$CONF"

mkdir "$tmp/pam.d" || bail "mkdir failed"
OPTS="package=msv1_0 config=$CONF domain=LABDOM"
cat >"$tmp/pam.d/other" <<PAM
auth     required pam_deny.so
account  required pam_deny.so
password required pam_deny.so
session  required pam_deny.so
PAM
cat >"$tmp/pam.d/lsa" <<PAM
auth     required $MODULE $OPTS
account  required $MODULE $OPTS
password required $MODULE $OPTS
session  required $MODULE $OPTS
PAM
cat >"$tmp/pam.d/lsa-retain" <<PAM
auth     required $MODULE $OPTS retain_after_close
session  required $MODULE $OPTS retain_after_close
PAM
cat >"$tmp/pam.d/lsa-challenge" <<PAM
auth     required $MODULE package=NTLM logon=challenge config=$CONF domain=LABDOM
PAM
cat >"$tmp/pam.d/lsa-nopackage" <<PAM
auth     required $MODULE config=$CONF
PAM
cat >"$tmp/pam.d/lsa-badpackage" <<PAM
auth     required $MODULE config=$CONF package=NoSuchPackage
PAM

adduser() { # NAME PASSWORD [--must-change]
    name=$1 password=$2
    shift 2
    printf '%s\n' "$password" |
        "$LSA" user --store "$STORE" add "$name" --uid 2000 --password-stdin "$@" \
            >"$tmp/add.out" 2>&1 || bail "lsa user add $name failed: $(cat "$tmp/add.out")"
}
adduser alice 'Secret123'
adduser bob 'Start123' --must-change
adduser carol 'Carol123'
adduser dave 'Dave1234'
if [ "$MODE" = daemon ]; then
    sed -i 's/^mode = daemon$/mode = daemon\nlog_level = debug/' "$CONF" || bail "sed $CONF failed"
    lsad_start "$CONF" "$tmp/lsad.sock" "$tmp/lsad.log" ||
        bail "lsad did not start: $(cat "$tmp/lsad.log")"
fi

n=0
rc=0
last=""
# pt SERVICE USER STDIN OPERATIONS...: pamtester; sets rc and $tmp/out (stdout+stderr).
pt() {
    service=$1 user=$2 input=$3
    shift 3
    printf '%s' "$input" | env LD_PRELOAD="$PRELOAD" PAM_WRAPPER=1 \
        PAM_WRAPPER_SERVICE_DIR="$tmp/pam.d" "$PAMTESTER" -v "$service" "$user" "$@" \
        >"$tmp/out" 2>&1
    rc=$?
    last="pamtester $service $user $*"
}
out_has() { grep -Fqi -- "$1" "$tmp/out"; }

check() {
    n=$((n + 1))
    if eval "$2"; then
        echo "ok $n - $1"
    else
        echo "not ok $n - $1"
        echo "# command: $last (exit $rc)"
        echo "# condition: $2"
        sed -e 's/^/# output: /' "$tmp/out"
    fi
}

echo "1..$PLAN"

# ---- authenticate ---------------------------------------------------------------------
pt lsa alice 'Secret123
' authenticate
check "right password: exit 0" '[ $rc -eq 0 ]'
check "right password: pamtester says it worked" 'out_has "successfully authenticated"'

pt lsa alice 'wrong
' authenticate
check "wrong password: exit non-zero" '[ $rc -ne 0 ]'
check "wrong password: Authentication failure" 'out_has "Authentication failure"'

pt lsa nobody_here 'whatever
' authenticate
check "unknown user: exit non-zero" '[ $rc -ne 0 ]'
check "unknown user: PAM_USER_UNKNOWN" 'out_has "User not known to the underlying authentication module"'

pt lsa alice '
' authenticate
check "empty password: exit non-zero" '[ $rc -ne 0 ]'

# ---- acct_mgmt ---------------------------------------------------------------------------
pt lsa alice 'Secret123
' authenticate acct_mgmt
check "acct_mgmt after authenticate: exit 0" '[ $rc -eq 0 ]'
check "acct_mgmt after authenticate: account is valid" 'out_has "account management done"'

pt lsa bob 'Start123
' authenticate acct_mgmt
check "must-change: authenticate succeeds, acct_mgmt fails" '[ $rc -ne 0 ] && out_has "successfully authenticated"'
check "must-change: new authentication token required" \
    'out_has "Authentication token is no longer valid; new one required"'

pt lsa alice '' acct_mgmt
check "acct_mgmt without authenticate: PAM_IGNORE (fails the stack)" '[ $rc -ne 0 ]'

# ---- sessions ----------------------------------------------------------------------------
pt lsa alice 'Secret123
' authenticate open_session close_session
check "open_session + close_session: exit 0" '[ $rc -eq 0 ]'
check "open_session + close_session: both done" \
    'out_has "successfully opened a session" && out_has "session has successfully been closed"'

pt lsa alice 'Secret123
' authenticate setcred open_session
check "setcred + open_session: exit 0" '[ $rc -eq 0 ]'

pt lsa-retain alice 'Secret123
' authenticate open_session close_session
check "retain_after_close: close_session still succeeds" '[ $rc -eq 0 ]'

# ---- chauthtok ---------------------------------------------------------------------------
pt lsa carol 'Carol123
Carol456x
Carol456x
' chauthtok
check "chauthtok: exit 0" '[ $rc -eq 0 ]'
check "chauthtok: authentication tokens updated" 'out_has "authentication token altered successfully"'
pt lsa carol 'Carol456x
' authenticate
check "chauthtok: the new password works" '[ $rc -eq 0 ]'
pt lsa carol 'Carol123
' authenticate
check "chauthtok: the old password no longer works" '[ $rc -ne 0 ]'

pt lsa carol 'wrong-old
New12345
New12345
' chauthtok
check "chauthtok with a wrong old password fails" '[ $rc -ne 0 ]'

pt lsa bob 'Start123
Start123
Better123
Better123
' authenticate chauthtok acct_mgmt
check "must-change: chauthtok clears the need, acct_mgmt then succeeds" \
    '[ $rc -eq 0 ] && out_has "account management done"'

# ---- lockout (threshold 3) -----------------------------------------------------------------
for i in 1 2 3; do
    pt lsa dave 'bad
' authenticate
done
pt lsa dave 'Dave1234
' authenticate
check "locked account: exit non-zero even with the right password" '[ $rc -ne 0 ]'
check "locked account: PAM_MAXTRIES" 'out_has "Have exhausted maximum number of retries for service"'

# ---- logon=challenge -----------------------------------------------------------------------
# challenge_run USER PASSWORD: pamtester answers the challenge it shows with what
# `lsa ntlm response` computes from PASSWORD.  Its standard output is unbuffered
# (stdbuf) so the challenge can be read before the answer is written.
challenge_run() {
    rm -f "$tmp/in" "$tmp/out"
    mkfifo "$tmp/in" || return 1
    env LD_PRELOAD="$PRELOAD" PAM_WRAPPER=1 PAM_WRAPPER_SERVICE_DIR="$tmp/pam.d" \
        stdbuf -o0 "$PAMTESTER" -v lsa-challenge "$1" authenticate <"$tmp/in" >"$tmp/out" 2>&1 &
    pid=$!
    exec 3>"$tmp/in"
    i=0
    while [ $i -lt 100 ] && ! grep -q "NTLM response" "$tmp/out" 2>/dev/null; do
        sleep 0.1
        i=$((i + 1))
    done
    challenge=$(sed -n 's/.*NTLM challenge: \([0-9a-f]*\).*/\1/p' "$tmp/out")
    answer=$(printf '%s\n' "$2" | "$LSA" ntlm response --domain LABDOM --password-stdin "$1" \
        "${challenge:-0000000000000000}" 2>/dev/null)
    printf '%s\n' "${answer:-00}" >&3
    exec 3>&-
    wait $pid
    rc=$?
    last="pamtester lsa-challenge $1 authenticate (challenge $challenge)"
}
if command -v stdbuf >/dev/null 2>&1; then
    challenge_run alice 'Secret123'
    check "challenge: the challenge is shown" 'out_has "NTLM challenge: " && [ -n "$challenge" ]'
    check "challenge: the right response authenticates" '[ $rc -eq 0 ] && out_has "successfully authenticated"'
    challenge_run alice 'NotThePassword'
    check "challenge: a wrong response fails" '[ $rc -ne 0 ] && out_has "Authentication failure"'
else
    for i in 1 2 3; do
        n=$((n + 1))
        echo "ok $n # SKIP stdbuf is not installed"
    done
fi

# ---- configuration errors ----------------------------------------------------------------
pt lsa-nopackage alice 'Secret123
' authenticate
check "no package=: fails" '[ $rc -ne 0 ]'
check "no package=: PAM_SERVICE_ERR" 'out_has "Error in service module"'
pt lsa-badpackage alice 'Secret123
' authenticate
check "unknown package: PAM_SERVICE_ERR" '[ $rc -ne 0 ] && out_has "Error in service module"'
cat >"$tmp/pam.d/lsa-cert" <<PAM
auth     required $MODULE config=$CONF package=msv1_0 logon=certificate
PAM
pt lsa-cert alice 'Secret123
' authenticate
check "logon=certificate with MSV1_0: PAM_SERVICE_ERR" '[ $rc -ne 0 ] && out_has "Error in service module"'

# ---- daemon mode: the calls went through lsad ------------------------------------------------
if [ "$MODE" = daemon ]; then
    last="lsad's log"
    rc=0
    tail -n 20 "$LSAD_LOG" >"$tmp/out"
    check "daemon mode: lsad served the logons and it is still running" \
        'grep -q "LOGON_USER from pid" "$LSAD_LOG" && kill -0 "$LSAD_PID"'
fi
