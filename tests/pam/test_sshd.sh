#!/bin/sh
# TAP test of pam_lsa.so behind a real sshd on loopback (docs: testing.md, "A real sshd
# login on loopback"): two sshd instances under pam_wrapper, each with its PAM service
# files in a private directory (sshd always uses the service name "sshd"), one with the
# password logon and one with logon=challenge; a real ssh client logs in through
# keyboard-interactive, with sshpass or an expect script that answers the NTLM challenge
# with `lsa ntlm response`.
#   LSA_TEST_BUILDDIR     the build tree (holds lsa, pam_lsa/.libs/pam_lsa.so and
#                         packages/msv1_0/.libs/msv1_0.so)
#   LSA_TEST_TRANSPORT    "daemon": lsa.conf says mode = daemon and an lsad started with
#                         tests/lsad/lsad_fixture.sh serves every call (the test_sshd_daemon.sh
#                         variant); else the embedded LSA
# Needs root (sshd, useradd); as another user the whole plan is skipped.  A failed setup
# or a missing tool is "Bail out!".
set -u

PLAN=11
[ "${LSA_TEST_TRANSPORT:-}" = daemon ] && PLAN=12

bail() {
    echo "Bail out! $*"
    exit 1
}

if [ "$(id -u)" -ne 0 ]; then
    echo "1..0 # SKIP needs root (CI runs it)"
    exit 0
fi

. "$(dirname "$0")/pam_host_env.sh"
. "$(dirname "$0")/../lsad/lsad_fixture.sh"
[ -n "$WRAPPER" ] || bail "libpam_wrapper.so is not installed (.ci/install-deps)"
SSHD=/usr/sbin/sshd
[ -x "$SSHD" ] || SSHD=$(command -v sshd 2>/dev/null) || SSHD=""
[ -n "$SSHD" ] || bail "sshd is not installed (.ci/install-deps installs openssh-server)"
for tool in ssh ssh-keygen sshpass expect timeout useradd userdel; do
    command -v "$tool" >/dev/null 2>&1 || bail "$tool is not installed (.ci/install-deps)"
done

USER_NAME=lsatest$$
PASSWORD='Secret123'
PORT=$((20000 + $$ % 19990))
PORT2=$((PORT + 1))

tmp=$(mktemp -d "${TMPDIR:-/tmp}/test_sshd.XXXXXX") || bail "mktemp -d failed"
chmod 755 "$tmp"
# sshd's processes have no useful standard error: sanitizer reports go to files, checked
# at the end.
if [ -n "${ASAN_OPTIONS:-}" ]; then
    export ASAN_OPTIONS="$ASAN_OPTIONS:log_path=$tmp/sanitizer"
    export UBSAN_OPTIONS="${UBSAN_OPTIONS:-}:log_path=$tmp/sanitizer"
fi
user_made=no
cleanup() {
    { lsad_kill; wait; } 2>/dev/null
    for pidfile in "$tmp/sshd1.pid" "$tmp/sshd2.pid"; do
        [ -s "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null
    done
    [ "$user_made" = yes ] && userdel "$USER_NAME" >/dev/null 2>&1
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM
unset LSA_LOG_STDERR

# ---- setup ----------------------------------------------------------------------------
useradd -M -s /bin/sh "$USER_NAME" >"$tmp/useradd.out" 2>&1 ||
    bail "useradd $USER_NAME failed: $(cat "$tmp/useradd.out")"
user_made=yes

ssh-keygen -q -t ed25519 -N '' -f "$tmp/hostkey" >/dev/null 2>&1 || bail "ssh-keygen failed"
mkdir -p /run/sshd || bail "mkdir /run/sshd failed"

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

printf '%s\n' "$PASSWORD" | "$LSA" user --store "$STORE" add "$USER_NAME" --password-stdin \
    >"$tmp/add.out" 2>&1 || bail "lsa user add $USER_NAME failed: $(cat "$tmp/add.out")"
if [ "$MODE" = daemon ]; then
    sed -i 's/^mode = daemon$/mode = daemon\nlog_level = debug/' "$CONF" || bail "sed $CONF failed"
    lsad_start "$CONF" "$tmp/lsad.sock" "$tmp/lsad.log" ||
        bail "lsad did not start: $(cat "$tmp/lsad.log")"
fi

OPTS="package=msv1_0 config=$CONF domain=LABDOM"
mkdir "$tmp/pam.d" "$tmp/pam.d-challenge" || bail "mkdir failed"
for dir in "$tmp/pam.d" "$tmp/pam.d-challenge"; do
    cat >"$dir/other" <<PAM
auth     required pam_deny.so
account  required pam_deny.so
password required pam_deny.so
session  required pam_deny.so
PAM
done
cat >"$tmp/pam.d/sshd" <<PAM
auth     required $MODULE $OPTS
account  required $MODULE $OPTS
session  required $MODULE $OPTS
PAM
cat >"$tmp/pam.d-challenge/sshd" <<PAM
auth     required $MODULE $OPTS logon=challenge
account  required $MODULE $OPTS
session  required $MODULE $OPTS
PAM

# start_sshd N PORT SERVICE_DIR
start_sshd() {
    cat >"$tmp/sshd$1_config" <<CFG
Port $2
ListenAddress 127.0.0.1
HostKey $tmp/hostkey
UsePAM yes
KbdInteractiveAuthentication yes
PasswordAuthentication no
PubkeyAuthentication no
PermitRootLogin no
StrictModes no
PidFile $tmp/sshd$1.pid
CFG
    env LD_PRELOAD="$PRELOAD" PAM_WRAPPER=1 PAM_WRAPPER_SERVICE_DIR="$3" \
        "$SSHD" -f "$tmp/sshd$1_config" -E "$tmp/sshd$1.log" ||
        bail "sshd $1 did not start: $(cat "$tmp/sshd$1.log" 2>/dev/null)"
    i=0
    while [ $i -lt 50 ] && ! [ -s "$tmp/sshd$1.pid" ]; do
        sleep 0.1
        i=$((i + 1))
    done
    [ -s "$tmp/sshd$1.pid" ] || bail "sshd $1 wrote no PID file: $(cat "$tmp/sshd$1.log")"
}
start_sshd 1 "$PORT" "$tmp/pam.d"
start_sshd 2 "$PORT2" "$tmp/pam.d-challenge"

n=0
rc=0
last=""
SSH_OPTS="-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR \
-o ConnectTimeout=10 -o PreferredAuthentications=keyboard-interactive \
-o NumberOfPasswordPrompts=1"
# login PORT PASSWORD: sshpass + ssh; sets rc and $tmp/out (stdout+stderr).
login() {
    # shellcheck disable=SC2086
    timeout 60 sshpass -p "$2" ssh $SSH_OPTS -p "$1" "$USER_NAME@127.0.0.1" \
        'echo logged-in; echo "LSA_LOGON_ID=$LSA_LOGON_ID"' >"$tmp/out" 2>&1
    rc=$?
    last="sshpass ssh -p $1 $USER_NAME@127.0.0.1"
}
out_has() { grep -Fqi -- "$1" "$tmp/out"; }
# The remote command ran: a line that starts with its output (not the echoed command line
# of expect's spawn).
ran() { grep -q '^logged-in' "$tmp/out"; }

# check DESCRIPTION CONDITION [DIRECTIVE]
check() {
    n=$((n + 1))
    if eval "$2"; then
        echo "ok $n - $1${3:+ # $3}"
    else
        echo "not ok $n - $1${3:+ # $3}"
        echo "# command: $last (exit $rc)"
        echo "# condition: $2"
        sed -e 's/^/# output: /' "$tmp/out"
        for log in "$tmp/sshd1.log" "$tmp/sshd2.log"; do
            tail -n 15 "$log" 2>/dev/null | sed -e "s|^|# ${log##*/}: |"
        done
    fi
}

echo "1..$PLAN"

# ---- password logon ---------------------------------------------------------------------
login "$PORT" "$PASSWORD"
check "password logon: ssh exits 0 and the command runs" '[ $rc -eq 0 ] && ran'
# sshd runs pam_authenticate and pam_acct_mgmt in a forked child and pam_setcred and
# pam_open_session in its parent, which never sees the module's logon state: only what the
# child put in the PAM environment comes back, so pam_lsa exports LSA_LOGON_ID when it
# authenticates.
check "password logon: the session has a 16-hex-digit LSA_LOGON_ID" \
    'grep -Eq "^LSA_LOGON_ID=[0-9a-f]{16}\$" "$tmp/out"'

# ---- challenge logon (second sshd) --------------------------------------------------------
# The expect script reads the challenge from the keyboard-interactive prompt text, has
# `lsa ntlm response` compute the answer and sends it at the "NTLM response:" prompt.
cat >"$tmp/challenge.exp" <<'EXP'
set timeout 30
set lsa [lindex $argv 0]
set port [lindex $argv 1]
set user [lindex $argv 2]
set password [lindex $argv 3]
set opts [split [lindex $argv 4]]
log_user 1
spawn ssh {*}$opts -p $port $user@127.0.0.1 {echo logged-in; echo "LSA_LOGON_ID=$LSA_LOGON_ID"}
expect {
    -re {NTLM challenge: ([0-9a-fA-F]+)} { set challenge $expect_out(1,string) }
    timeout { puts "\nEXPECT: no challenge"; exit 2 }
    eof { puts "\nEXPECT: eof before the challenge"; exit 2 }
}
expect {
    "NTLM response:" {}
    timeout { puts "\nEXPECT: no response prompt"; exit 2 }
    eof { puts "\nEXPECT: eof before the response prompt"; exit 2 }
}
if {[catch {exec $lsa ntlm response --password-stdin --domain LABDOM $user $challenge << "$password\n"} answer]} {
    puts "\nEXPECT: lsa ntlm response failed: $answer"
    exit 2
}
puts "\nEXPECT: challenge $challenge"
send -- "$answer\r"
expect {
    timeout { puts "\nEXPECT: timeout after the answer"; exit 2 }
    eof {}
}
lassign [wait] pid spawnid oserr status
exit $status
EXP
challenge_login() { # PASSWORD
    timeout 60 expect -f "$tmp/challenge.exp" "$LSA" "$PORT2" "$USER_NAME" "$1" \
        "$SSH_OPTS" >"$tmp/out" 2>&1
    rc=$?
    last="expect challenge.exp (ssh -p $PORT2 $USER_NAME@127.0.0.1)"
}
challenge_login "$PASSWORD"
check "challenge logon: the challenge is shown" 'out_has "EXPECT: challenge "'
check "challenge logon: the right response logs in and the command runs" \
    '[ $rc -eq 0 ] && ran'
check "challenge logon: the session has a 16-hex-digit LSA_LOGON_ID" \
    'grep -Eq "^LSA_LOGON_ID=[0-9a-f]{16}" "$tmp/out"'
challenge_login 'NotThePassword'
check "challenge logon: a response from a wrong password is refused" \
    '[ $rc -ne 0 ] && ! ran'

# ---- wrong password -------------------------------------------------------------------------
# (a successful logon between resets the bad-password count: lockout starts afresh below)
login "$PORT" "$PASSWORD"
login "$PORT" 'wrong-password'
check "wrong password: ssh exits non-zero" '[ $rc -ne 0 ] && ! ran'
check "wrong password: Permission denied" 'out_has "Permission denied"'

# ---- lockout (threshold 3) ------------------------------------------------------------------
login "$PORT" 'wrong-password'
login "$PORT" 'wrong-password'
login "$PORT" "$PASSWORD"
check "locked account: the right password is refused" '[ $rc -ne 0 ] && ! ran'
check "locked account: Permission denied" 'out_has "Permission denied"'

# ---- daemon mode: the calls went through lsad ------------------------------------------------
if [ "$MODE" = daemon ]; then
    last="lsad's log"
    rc=0
    tail -n 20 "$LSAD_LOG" >"$tmp/out"
    check "daemon mode: lsad served the logons and it is still running" \
        'grep -q "LOGON_USER from pid" "$LSAD_LOG" && kill -0 "$LSAD_PID"'
fi

# ---- sanitizers -----------------------------------------------------------------------------
last="sanitizer logs of sshd's processes"
rc=0
cat "$tmp"/sanitizer.* >"$tmp/out" 2>/dev/null
check "no sanitizer report from the module inside sshd" '! [ -s "$tmp/out" ]'
