#!/bin/sh
# TAP test of lsad's client threads: each connection's thread is joined when it ends, so
# neither its stack nor its thread-local state outlives it (an unjoined thread keeps its
# stack mapped: 8 MiB of address space each), and SIGTERM with clients connected waits
# for their threads.
#   LSA_TEST_BUILDDIR, LSA_TEST_SRCDIR, LSA_TEST_PACKAGE_DIR (make check sets them)
set -u
PLAN=5
bail() { echo "Bail out! $*"; exit 1; }
[ -n "${LSA_TEST_BUILDDIR:-}" ] || bail "LSA_TEST_BUILDDIR is not set"
command -v python3 >/dev/null || bail "python3 is needed"
LSA=$LSA_TEST_BUILDDIR/lsa
. "$LSA_TEST_SRCDIR/tests/lsad/lsad_fixture.sh"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/test_lsad_threads.XXXXXX") || bail "mktemp -d failed"
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
packages = echo_ap
log_level = err
request_timeout = 5
mode = daemon
socket = $tmp/lsad.sock
CONF
echo "1..$PLAN"
lsad_start "$tmp/lsa.conf" "$tmp/lsad.sock" "$tmp/lsad.log" || bail "lsad did not start"
export LSA_CONFIG="$tmp/lsa.conf"

status_field() { awk -v f="$1:" '$1 == f { print $2 }' "/proc/$LSAD_PID/status"; }
# ROUNDS rounds of CLIENTS connections opened together, then closed together.
connect_and_leave() {
    python3 - "$tmp/lsad.sock" "$1" "$2" <<'PY'
import socket, sys, time
path, rounds, clients = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for _ in range(rounds):
    socks = []
    for _ in range(clients):
        s = socket.socket(socket.AF_UNIX)
        s.connect(path)
        socks.append(s)
    time.sleep(0.05)
    for s in socks:
        s.close()
PY
}
# Waits (10 s at most) until lsad runs its main thread alone.
threads_back_to_one() {
    i=0
    while [ $i -lt 100 ]; do
        [ "$(status_field Threads)" = 1 ] && return 0
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}

"$LSA" call echo_ap 01000000 >/dev/null 2>&1
threads_back_to_one
before=$(status_field VmSize)
connect_and_leave 10 40
check "400 connections come and go: lsad is back to its main thread" threads_back_to_one
sleep 0.2
after=$(status_field VmSize)
# 400 unjoined threads would keep 3200 MiB of stacks; glibc caches some joined ones.
check "... and their stacks are released (VmSize ${before} -> ${after} kB)" \
    test $((after - before)) -lt 131072
check "... and lsad serves" sh -c "'$LSA' call echo_ap 01000000 2>&1 | grep -q STATUS_SUCCESS"

python3 - "$tmp/lsad.sock" >"$tmp/idle" 2>&1 <<'PY' &
import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
print("connected", flush=True)
time.sleep(30)
PY
idle=$!
i=0; while [ $i -lt 100 ] && ! grep -q connected "$tmp/idle"; do sleep 0.1; i=$((i + 1)); done
start=$(date +%s)
check "SIGTERM with an idle client connected: exits 0" lsad_stop
check "... at once, not after request_timeout" test $(($(date +%s) - start)) -lt 4
kill $idle 2>/dev/null; wait $idle 2>/dev/null
exit 0
