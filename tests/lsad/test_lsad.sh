#!/bin/sh
# TAP test of lsad itself: request ids in its log, hostile clients (garbage, oversized,
# truncated, half a frame then a stall, never reading replies), a client killed with
# SIGKILL in the middle of a call, the quota in daemon mode, SIGHUP, SIGTERM.  After
# each hostile client lsad must still serve a normal one.
#   LSA_TEST_BUILDDIR, LSA_TEST_SRCDIR, LSA_TEST_PACKAGE_DIR (make check sets them)
set -u
PLAN=22
bail() { echo "Bail out! $*"; exit 1; }
[ -n "${LSA_TEST_BUILDDIR:-}" ] || bail "LSA_TEST_BUILDDIR is not set"
command -v python3 >/dev/null || bail "python3 is needed"
LSA=$LSA_TEST_BUILDDIR/lsa
LSAD=$LSA_TEST_BUILDDIR/lsad/lsad
HOSTILE="python3 $LSA_TEST_SRCDIR/tests/lsad/hostile_client.py"
. "$LSA_TEST_SRCDIR/tests/lsad/lsad_fixture.sh"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/test_lsad.XXXXXX") || bail "mktemp -d failed"
chmod 755 "$tmp"
trap 'lsad_kill; rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); echo "not ok $n - $1"; sed 's/^/# /' "$LSAD_LOG" | tail -n 30; }
check() { desc=$1; shift; if "$@"; then ok "$desc"; else notok "$desc"; fi; }

cat > "$tmp/lsa.conf" <<CONF
[lsa]
package_dir = $LSA_TEST_PACKAGE_DIR
packages = echo_ap echo_sspap
log_level = debug
request_timeout = 2
client_quota = 64k
mode = daemon
socket = $tmp/lsad.sock
CONF
echo "1..$PLAN"
lsad_start "$tmp/lsa.conf" "$tmp/lsad.sock" "$tmp/lsad.log" || bail "lsad did not start"
export LSA_CONFIG="$tmp/lsa.conf"

serves() { "$LSA" call echo_ap 01000000 >"$tmp/out" 2>&1 && grep -q "STATUS_SUCCESS" "$tmp/out"; }
check "a call through lsad" serves
check "its request id is in lsad's log" grep -q "req=[0-9a-f]* CALL_PACKAGE" "$LSAD_LOG"

for kind in garbage oversized truncated; do
    check "$kind frame: lsad closes that connection" \
        sh -c "$HOSTILE '$tmp/lsad.sock' $kind | grep -qx closed"
    check "... and serves the next client" serves
done
check "garbage is logged as malformed" grep -q "malformed frame header" "$LSAD_LOG"

start=$(date +%s)
check "half a frame then a stall: dropped after request_timeout" \
    sh -c "$HOSTILE '$tmp/lsad.sock' stall | grep -qx closed"
check "... within the deadline, not at once" test $(($(date +%s) - start)) -ge 1
check "... logged" grep -q "nothing more for 2 s" "$LSAD_LOG"

$HOSTILE "$tmp/lsad.sock" noread >"$tmp/noread" 2>&1 &
noread=$!
i=0; while [ $i -lt 100 ] && ! grep -q sent "$tmp/noread"; do sleep 0.1; i=$((i + 1)); done
check "a client that never reads its replies does not hold up another" serves
kill -9 $noread 2>/dev/null; wait $noread 2>/dev/null

$HOSTILE "$tmp/lsad.sock" midcall >"$tmp/midcall" 2>&1 &
mid=$!
i=0; while [ $i -lt 100 ] && ! grep -q in-call "$tmp/midcall"; do sleep 0.1; i=$((i + 1)); done
check "a client waits inside a call (ALLOCATE)" grep -q in-call "$tmp/midcall"
kill -9 $mid; wait $mid 2>/dev/null
i=0; while [ $i -lt 50 ] && ! grep -q "client went away during the call" "$LSAD_LOG"; do sleep 0.1; i=$((i + 1)); done
check "killed with SIGKILL mid-call: lsad drops it" grep -q "client went away during the call" "$LSAD_LOG"
check "... and serves the others" serves

# EchoMessageAllocate of 100000 bytes (Length 0x186a0, Count 1) over client_quota = 64k
"$LSA" call echo_ap 04000000a0860100010000000000000000 >"$tmp/quota" 2>&1 || true
check "quota exceeded in daemon mode" grep -q "STATUS_QUOTA_EXCEEDED" "$tmp/quota"
check "... and lsad serves on" serves

sed -i 's/^log_level = debug/log_level = err/; s/^packages = echo_ap echo_sspap/packages = echo_ap/' \
    "$tmp/lsa.conf"
before=$(grep -c "CALL_PACKAGE" "$LSAD_LOG")
kill -HUP "$LSAD_PID"
i=0; while [ $i -lt 50 ] && ! grep -q "reloaded" "$LSAD_LOG"; do sleep 0.1; i=$((i + 1)); done
check "SIGHUP reloads lsa.conf" grep -q "reloaded" "$LSAD_LOG"
check "... a changed package list asks for a restart" grep -q "restart lsad" "$LSAD_LOG"
serves
check "... the new log_level applies" test "$(grep -c "CALL_PACKAGE" "$LSAD_LOG")" -eq "$before"

check "SIGTERM: lsad exits 0 and removes its socket" lsad_stop
