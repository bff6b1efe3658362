#!/bin/sh
# TAP test of pam_lsa.so with lsa.conf mode = daemon (pam_lsa(8), "DAEMON MODE"), through
# pamtester under pam_wrapper:
#   - no lsad at the socket: PAM_AUTHINFO_UNAVAIL and "lsad is not reachable at SOCKET";
#   - the same with daemon_fallback=embedded: the embedded LSA authenticates;
#   - lsad running (tests/lsad/lsad_fixture.sh): authenticate, open_session and
#     close_session go through lsad: lsad's log has the requests, and another process
#     (pam_exec in the same stack, LsaEnumerateLogonSessions through lsad) sees the
#     session while it is open and no longer after pam_lsa's close_session;
#   - lsad killed between authenticate and close_session: no crash, PAM_SESSION_ERR and
#     a log line that names the socket and the session.
#   LSA_TEST_BUILDDIR     the build tree
set -u

PLAN=20

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
PAM_EXEC=""
for d in /usr/lib/x86_64-linux-gnu/security /usr/lib64/security /usr/lib/security /lib/security; do
    [ -f "$d/pam_exec.so" ] && PAM_EXEC=pam_exec.so && break
done
LIBLSA=$LSA_TEST_BUILDDIR/.libs/liblsa.so
[ -f "$LIBLSA" ] || bail "$LIBLSA is missing"
[ -x "$LSA_TEST_BUILDDIR/lsad/lsad" ] || bail "lsad/lsad is missing (make lsad/lsad)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/test_pam_daemon.XXXXXX") || bail "mktemp -d failed"
chmod 755 "$tmp"
trap '{ lsad_kill; wait; } 2>/dev/null; rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM
unset LSA_LOG_STDERR

STORE=$tmp/smbpasswd
SOCK=$tmp/lsad.sock
CONF=$tmp/lsa.conf
cat >"$CONF" <<CONF || bail "cannot write $CONF"
[lsa]
packages = msv1_0
package_dir = $LSA_TEST_BUILDDIR/packages/msv1_0/.libs
mode = daemon
socket = $SOCK
log_level = debug
state_dir = $tmp/state

[msv1_0]
store = $STORE
domain = LABDOM
CONF
export LSA_CONFIG="$CONF"
mkdir "$tmp/state" || bail "mkdir failed"

printf '%s\n' 'Secret123' | "$LSA" user --store "$STORE" add alice --uid "$(id -u)" \
    --password-stdin >"$tmp/add.out" 2>&1 || bail "lsa user add alice failed: $(cat "$tmp/add.out")"

# The session probe: LsaEnumerateLogonSessions through lsad from pam_exec's process;
# prints "PROBE <PAM_TYPE> seen|unseen <LSA_LOGON_ID>" to $tmp/probe.
cat >"$tmp/probe.py" <<'PY'
import ctypes, os, sys
lsa = ctypes.CDLL(sys.argv[1])
class LUID(ctypes.Structure):
    _fields_ = [("LowPart", ctypes.c_uint32), ("HighPart", ctypes.c_int32)]
count = ctypes.c_ulong(0)
lst = ctypes.POINTER(LUID)()
lsa.LsaEnumerateLogonSessions.restype = ctypes.c_int32
st = lsa.LsaEnumerateLogonSessions(ctypes.byref(count), ctypes.byref(lst))
want = os.environ.get("LSA_LOGON_ID", "")
ids = set()
if st == 0:
    for i in range(count.value):
        ids.add("%016x" % (((lst[i].HighPart & 0xffffffff) << 32) | lst[i].LowPart))
with open(sys.argv[2], "a") as f:
    f.write("PROBE %s %s %s status=%d\n" % (os.environ.get("PAM_TYPE", "?"),
            "seen" if want and want in ids else "unseen", want or "-", st))
PY
# pam_exec runs it with the PAM environment only: a sanitized liblsa needs the ASan
# runtime preloaded into python3 again (pam_host_env.sh found it).
cat >"$tmp/probe.sh" <<SH
#!/bin/sh
LD_PRELOAD="${ASAN_RT:-}" ASAN_OPTIONS=detect_leaks=0:verify_asan_link_order=0 \\
    LSA_CONFIG=$CONF python3 $tmp/probe.py $LIBLSA $tmp/probe
SH
chmod 755 "$tmp/probe.sh"

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
session  required $MODULE $OPTS
PAM
cat >"$tmp/pam.d/lsa-fallback" <<PAM
auth     required $MODULE $OPTS daemon_fallback=embedded
account  required $MODULE $OPTS daemon_fallback=embedded
session  required $MODULE $OPTS daemon_fallback=embedded
PAM
cat >"$tmp/pam.d/lsa-badfallback" <<PAM
auth     required $MODULE $OPTS daemon_fallback=sometimes
PAM
# pam_exec after pam_lsa: at open_session it runs after pam_lsa opened the session, at
# close_session after pam_lsa ended it (libpam runs both in stack order).
cat >"$tmp/pam.d/lsa-probe" <<PAM
auth     required $MODULE $OPTS
session  required $MODULE $OPTS
session  optional ${PAM_EXEC:-pam_permit.so} $tmp/probe.sh
PAM

n=0
rc=0
last=""
# pt SERVICE USER STDIN OPERATIONS...: pamtester with pam_syslog lines on stderr; sets rc
# and $tmp/out.
pt() {
    service=$1 user=$2 input=$3
    shift 3
    printf '%s' "$input" | env LD_PRELOAD="$PRELOAD" PAM_WRAPPER=1 PAM_WRAPPER_DEBUGLEVEL=2 \
        PAM_WRAPPER_SERVICE_DIR="$tmp/pam.d" "$PAMTESTER" -v "$service" "$user" "$@" \
        >"$tmp/out" 2>&1
    rc=$?
    last="pamtester $service $user $*"
}
out_has() { grep -Fqi -- "$1" "$tmp/out"; }
log_has() { grep -Fq -- "$1" "$LSAD_LOG"; }

check() {
    n=$((n + 1))
    if eval "$2"; then
        echo "ok $n - $1"
    else
        echo "not ok $n - $1"
        echo "# command: $last (exit $rc)"
        echo "# condition: $2"
        sed -e 's/^/# output: /' "$tmp/out"
        [ -f "$tmp/probe" ] && sed -e 's/^/# probe: /' "$tmp/probe"
        [ -n "${LSAD_LOG:-}" ] && tail -n 10 "$LSAD_LOG" 2>/dev/null | sed -e 's/^/# lsad: /'
    fi
}
skip() {
    n=$((n + 1))
    echo "ok $n # SKIP $1"
}

echo "1..$PLAN"

# ---- no lsad ---------------------------------------------------------------------------
pt lsa alice 'Secret123
' authenticate
check "no lsad: authenticate fails" '[ $rc -ne 0 ] && ! out_has "successfully authenticated"'
check "no lsad: PAM_AUTHINFO_UNAVAIL" \
    'out_has "Authentication service cannot retrieve authentication info"'
check "no lsad: the log says lsad is not reachable at the socket" \
    'out_has "lsad is not reachable at $SOCK"'
check "no lsad: the password is not logged" '! out_has "Secret123"'

pt lsa-fallback alice 'Secret123
' authenticate acct_mgmt open_session close_session
check "daemon_fallback=embedded: authenticate ... close_session succeed" \
    '[ $rc -eq 0 ] && out_has "successfully authenticated" && out_has "session has successfully been closed"'
check "daemon_fallback=embedded: the notice names the socket and the fallback" \
    'out_has "lsad is not reachable at $SOCK" && out_has "daemon_fallback=embedded"'
pt lsa-fallback alice 'wrong
' authenticate
check "daemon_fallback=embedded: a wrong password still fails" \
    '[ $rc -ne 0 ] && out_has "Authentication failure"'
pt lsa-badfallback alice 'Secret123
' authenticate
check "daemon_fallback=sometimes: PAM_SERVICE_ERR" '[ $rc -ne 0 ] && out_has "Error in service module"'

# ---- lsad running --------------------------------------------------------------------------
lsad_start "$CONF" "$SOCK" "$tmp/lsad.log" || bail "lsad did not start: $(cat "$tmp/lsad.log")"

pt lsa alice 'Secret123
' authenticate acct_mgmt open_session close_session
check "lsad: authenticate, acct_mgmt, open_session, close_session succeed" \
    '[ $rc -eq 0 ] && out_has "successfully opened a session" && out_has "session has successfully been closed"'
check "lsad: its log has the logon request" 'log_has "LOGON_USER from pid"'
check "lsad: its log has close_session's TERMINATE_SESSION and the session's end" \
    'log_has "TERMINATE_SESSION from pid" && log_has "ended"'
check "lsad: no fallback notice" '! out_has "daemon_fallback"'
pt lsa-fallback alice 'Secret123
' authenticate
check "lsad running: daemon_fallback=embedded does not fall back" \
    '[ $rc -eq 0 ] && ! out_has "lsad is not reachable"'
pt lsa alice 'wrong
' authenticate
check "lsad: a wrong password fails with Authentication failure" \
    '[ $rc -ne 0 ] && out_has "Authentication failure"'

# An untrusted caller (not root) sees only sessions of its own uid, and alice has no
# passwd entry: the probe needs root (CI runs as root).
if [ -n "$PAM_EXEC" ] && [ "$(id -u)" -eq 0 ]; then
    rm -f "$tmp/probe"
    pt lsa-probe alice 'Secret123
' authenticate open_session close_session
    check "lsad: another process sees the session while it is open" \
        '[ $rc -eq 0 ] && grep -Eq "^PROBE open_session seen [0-9a-f]{16} " "$tmp/probe"'
    check "lsad: ... and no longer after close_session" \
        'grep -Eq "^PROBE close_session unseen [0-9a-f]{16} " "$tmp/probe"'
else
    skip "needs pam_exec.so and root"
    skip "needs pam_exec.so and root"
fi

# ---- lsad dies between authenticate and close_session ------------------------------------
# pam_exec at open_session kills lsad: close_session then cannot reach it.
cat >"$tmp/killer.sh" <<SH
#!/bin/sh
[ "\$PAM_TYPE" = open_session ] && kill -9 $LSAD_PID
exit 0
SH
chmod 755 "$tmp/killer.sh"
cat >"$tmp/pam.d/lsa-kill" <<PAM
auth     required $MODULE $OPTS
session  required ${PAM_EXEC:-pam_permit.so} $tmp/killer.sh
session  required $MODULE $OPTS
PAM
if [ -n "$PAM_EXEC" ]; then
    pt lsa-kill alice 'Secret123
' authenticate open_session close_session
    wait "$LSAD_PID" 2>/dev/null
    LSAD_PID=
    check "lsad killed after authenticate: open_session still succeeds (nothing to ask lsad)" \
        'out_has "successfully opened a session"'
    check "lsad killed: close_session fails with PAM_SESSION_ERR, pamtester does not crash" \
        '[ $rc -ne 0 ] && [ $rc -lt 128 ] && out_has "Cannot make/remove an entry for the specified session"'
    check "lsad killed: the log names the socket and the session" \
        'out_has "lsad is not reachable at $SOCK" && grep -Eq "cannot end logon session [0-9a-f]{8}:[0-9a-f]{8}" "$tmp/out"'
else
    skip "pam_exec.so is not installed"
    skip "pam_exec.so is not installed"
    skip "pam_exec.so is not installed"
fi
{ lsad_kill; wait; } 2>/dev/null

# ---- lsad gone again: the fallback in a process that never reached lsad --------------------
pt lsa alice 'Secret123
' authenticate
check "lsad stopped: PAM_AUTHINFO_UNAVAIL again" \
    '[ $rc -ne 0 ] && out_has "Authentication service cannot retrieve authentication info"'
