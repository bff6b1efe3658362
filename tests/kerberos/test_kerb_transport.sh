#!/bin/sh
# TAP test of the Kerberos package's KDC transport (packages/kerberos/kdc_sendto.c,
# kdc_transport.c) against the real MIT KDC of the lab: UDP for small messages, TCP for
# large ones (udp_preference_limit), the tcp/ and udp/ entry prefixes, the fallback to
# TCP on KRB_ERR_RESPONSE_TOO_BIG, a KDC answering KDC_ERR_SVC_UNAVAILABLE passed over
# for the next (as MIT does), an ICMP port unreachable failing a KDC at once, and a UDP
# blackhole within the deadline (kdc_timeout = 2 s).  Which transport carried a
# reply is read from the package's own debug log line "KDC ADDR port P/udp answered";
# a KDC listening on one transport only makes the other fail for real.
set -u

PLAN=32
echo "1..$PLAN"
. "$(dirname "$0")/kerb_lab_env.sh"
. "$(dirname "$0")/kerb_tap.sh"

BH_PID="" SU_PID=""
lab_trap 'for p in $BH_PID $SU_PID; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; rm -rf "$KERB_TMP"'
LSA_LOG_STDERR=1
export LSA_LOG_STDERR
# kerb_conf with log_level = debug in [lsa].
kerb_conf
sed -i 's/^\[lsa\]$/[lsa]\nlog_level = debug/' "$KERB_CONF"


# client_conf [libdefaults LINE...] -- KDC ENTRY...: $LAB/t.conf, the lab's krb5.conf
# with these kdc entries (in order) and [libdefaults] lines; KRB5_CONFIG points to it.
client_conf() {
    _lib=""
    while [ "$1" != "--" ]; do
        _lib="$_lib\\n    $1"
        shift
    done
    shift
    _kdcs=""
    for _k in "$@"; do
        _kdcs="$_kdcs\\n        kdc = $_k"
    done
    sed -e "s|^\[libdefaults\]\$|[libdefaults]$_lib|" \
        -e "s|^        kdc = .*|${_kdcs#\\n}|" "$LAB/krb5.conf" >"$LAB/t.conf"
    KRB5_CONFIG=$LAB/t.conf
    export KRB5_CONFIG
}

# logon WHAT STATUS: one alice password logon; its result line in $got, its log lines in
# $KERB_TMP/stderr, its time in $took (ms).  One TAP line for the status.
logon() {
    : >"$KERB_TMP/stderr"
    _t0=$(ms)
    got=$(kl --user alice --password alicepw)
    took=$(($(ms) - _t0))
    case "$got" in
    "status $2 "*) ok "$1 ($took ms)" ;;
    *) notok "$1" "expected $2, got: $got" "$(cat "$KERB_TMP/stderr")" ;;
    esac
}
# logged WHAT PATTERN / not_logged WHAT PATTERN: a grep -E on the last logon's log.
logged() {
    if grep -Eq -- "$2" "$KERB_TMP/stderr"; then ok "$1"; else
        notok "$1" "no log line matching: $2" "$(cat "$KERB_TMP/stderr")"; fi
}
not_logged() {
    if grep -Eq -- "$2" "$KERB_TMP/stderr"; then
        notok "$1" "a log line matches: $2" "$(grep -E -- "$2" "$KERB_TMP/stderr")"; else ok "$1"; fi
}
# faster WHAT MS: the last logon took less than MS milliseconds.
faster() {
    if [ "$took" -lt "$2" ]; then ok "$1: $took ms < $2 ms"; else notok "$1: $took ms, not < $2 ms"; fi
}

K=127.0.0.1:$LAB_KDC_PORT
UDP_ANSWER="KDC 127\.0\.0\.1 port $LAB_KDC_PORT/udp answered"
TCP_ANSWER="KDC 127\.0\.0\.1 port $LAB_KDC_PORT/tcp answered"

# ---- both listeners: UDP for small messages, TCP above udp_preference_limit ------------
client_conf -- "$K"
logon "plain entry: logon" STATUS_SUCCESS
logged "plain entry: the KDC answered over UDP" "$UDP_ANSWER"
not_logged "plain entry: no exchange over TCP" "$TCP_ANSWER"
client_conf "udp_preference_limit = 1" -- "$K"
logon "udp_preference_limit = 1: logon" STATUS_SUCCESS
logged "udp_preference_limit = 1: the KDC answered over TCP" "$TCP_ANSWER"
not_logged "udp_preference_limit = 1: no exchange over UDP" "$UDP_ANSWER"

# ---- a KDC on UDP only ------------------------------------------------------------------
LAB_KDC_LISTEN=udp
lab_start_kdc || echo "Bail out! a UDP-only KDC did not start"
client_conf -- "udp/$K"
logon "UDP-only KDC, udp/ entry" STATUS_SUCCESS
client_conf -- "tcp/$K"
logon "UDP-only KDC, tcp/ entry: no logon servers" STATUS_NO_LOGON_SERVERS
logged "tcp/ entry: the refused connection is logged" "$K|port $LAB_KDC_PORT/tcp: cannot connect: Connection refused"
not_logged "tcp/ entry: nothing sent over UDP" "/udp"
client_conf "udp_preference_limit = 1" -- "$K"
logon "UDP-only KDC, udp_preference_limit = 1: TCP first, then UDP (MIT's UDP_LAST)" STATUS_SUCCESS
logged "UDP_LAST: the KDC answered over UDP after TCP was refused" "$UDP_ANSWER"

# ---- a KDC on TCP only: ICMP port unreachable fails UDP at once --------------------------
LAB_KDC_LISTEN=tcp
lab_start_kdc || echo "Bail out! a TCP-only KDC did not start"
client_conf -- "tcp/$K"
logon "TCP-only KDC, tcp/ entry" STATUS_SUCCESS
client_conf -- "$K"
logon "TCP-only KDC, plain entry" STATUS_SUCCESS
# Without the ICMP error each of the two AS exchanges would wait 1 s before TCP.
faster "TCP-only KDC, plain entry: UDP refused at once, not timed out" 900
logged "plain entry: the port unreachable is logged" "port $LAB_KDC_PORT/udp: no reply: Connection refused"
client_conf -- "udp/$K"
logon "TCP-only KDC, udp/ entry: no logon servers" STATUS_NO_LOGON_SERVERS
faster "udp/ entry: the port unreachable ends it at once" 900

# ---- RESPONSE_TOO_BIG: the KDC's datagram limit below its replies -------------------------
LAB_KDC_LISTEN=both
LAB_KDC_DEFAULTS="kdc_max_dgram_reply_size = 100"
lab_start_kdc || echo "Bail out! a KDC with a small datagram limit did not start"
client_conf -- "$K"
logon "KDC answering RESPONSE_TOO_BIG over UDP" STATUS_SUCCESS
logged "RESPONSE_TOO_BIG: retried over TCP" "port $LAB_KDC_PORT/udp: reply too big for UDP: retrying over TCP"
logged "RESPONSE_TOO_BIG: the KDC answered over TCP" "$TCP_ANSWER"
client_conf -- "udp/$K"
logon "RESPONSE_TOO_BIG on a udp/ entry: no logon servers" STATUS_NO_LOGON_SERVERS
LAB_KDC_DEFAULTS=""
lab_start_kdc || echo "Bail out! lab_start_kdc"

# ---- a UDP blackhole: bound, never answers ---------------------------------------------
if udp_blackhole; then
    client_conf -- "127.0.0.1:$BH_PORT"
    logon "UDP blackhole only: no logon servers" STATUS_NO_LOGON_SERVERS
    if [ "$took" -ge 1500 ] && [ "$took" -lt 3000 ]; then ok "blackhole: ended by kdc_timeout (2 s): $took ms"
    else notok "blackhole: $took ms, not within [1500, 3000)"; fi
    logged "blackhole: the deadline is logged" "answered before the deadline"
    client_conf -- "127.0.0.1:$BH_PORT" "$K"
    logon "UDP blackhole first, live KDC second" STATUS_SUCCESS
    faster "blackhole first: logged on within kdc_timeout" 2000
else
    for i in 1 2 3 4 5; do n=$((n + 1)); echo "ok $n # SKIP no python3 for the UDP blackhole"; done
fi

# ---- KDC_ERR_SVC_UNAVAILABLE: a UDP KDC that answers every request with that error ------
# unavailable_kdc: sets SU_PORT, SU_PID.  The KRB-ERROR (RFC 4120 §5.9.1) is built here.
unavailable_kdc() {
    command -v python3 >/dev/null 2>&1 &&
        SU_PORT=$(_lab_pick_port "$LAB_KDC_PORT" "$LAB_KPASSWD_PORT" "$LAB_KADMIN_PORT") || return 1
    python3 -c 'import socket, sys
def der(tag, body):
    n = len(body)
    size = bytes([n]) if n < 128 else bytes([0x81, n]) if n < 256 else bytes([0x82, n >> 8, n & 255])
    return bytes([tag]) + size + body
def integer(v): return der(0x02, bytes([v]))
def ctx(n, body): return der(0xA0 + n, body)
gs = lambda s: der(0x1B, s.encode())
sname = der(0x30, ctx(0, integer(2)) + ctx(1, der(0x30, gs("krbtgt") + gs("EXAMPLE.TEST"))))
error = der(0x7E, der(0x30, ctx(0, integer(5)) + ctx(1, integer(30)) +
    ctx(4, der(0x18, b"20260101000000Z")) + ctx(5, integer(0)) + ctx(6, integer(29)) +
    ctx(9, gs("EXAMPLE.TEST")) + ctx(10, sname)))
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", int(sys.argv[1])))
print("ready", flush=True)
while True:
    data, peer = s.recvfrom(65536)
    s.sendto(error, peer)' "$SU_PORT" >"$KERB_TMP/su.out" 2>&1 &
    SU_PID=$!
    _i=0
    while ! grep -q ready "$KERB_TMP/su.out" && [ $_i -lt 100 ]; do sleep 0.05; _i=$((_i + 1)); done
}
if unavailable_kdc; then
    client_conf -- "udp/127.0.0.1:$SU_PORT" "$K"
    logon "a KDC answering SVC_UNAVAILABLE first, live KDC second" STATUS_SUCCESS
    logged "... the first passed over" "port $SU_PORT/udp: service unavailable"
    logged "... the second answered" "$UDP_ANSWER"
    client_conf -- "udp/127.0.0.1:$SU_PORT"
    logon "only a KDC answering SVC_UNAVAILABLE: no logon servers" STATUS_NO_LOGON_SERVERS
    faster "... at once, not at the deadline" 1500
else
    for i in 1 2 3 4 5; do n=$((n + 1)); echo "ok $n # SKIP no python3 for the unavailable KDC"; done
fi
