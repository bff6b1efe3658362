#!/bin/sh
# TAP test of KDC location through DNS SRV records (packages/kerberos/kdc_dns.c) against
# the real MIT KDC of the lab: krb5.conf lists no kdc for the realm, dns_lookup_kdc is
# true, and resolv_wrapper answers the SRV queries from a hosts file.  The logon must use
# the records and keep kdc_timeout (2 s) when the KDC they name hangs, which the
# library's own lookup would not.  A password change in a realm without kpasswd_server
# and admin_server goes to the servers of _kpasswd records, within the same deadline.
# (resolv_wrapper answers one record per name, so the
# order of several is tested on hand-built replies: tests/unit/test_kdc_dns.c.)  Which KDC answered is read from the
# package's debug log line "KDC ADDR port P/udp answered".
set -u

PLAN=17
echo "1..$PLAN"
RESOLV_WRAPPER=""
for d in /usr/lib/x86_64-linux-gnu /usr/lib64 /usr/lib /usr/local/lib; do
    [ -f "$d/libresolv_wrapper.so" ] && RESOLV_WRAPPER=$d/libresolv_wrapper.so && break
done
if [ -z "$RESOLV_WRAPPER" ] || ! command -v python3 >/dev/null 2>&1; then
    for i in $(seq 1 $PLAN); do echo "ok $i # SKIP libresolv_wrapper.so or python3 is missing"; done
    exit 0
fi
. "$(dirname "$0")/kerb_lab_env.sh"
. "$(dirname "$0")/kerb_tap.sh"

BH_PID=""
lab_trap 'if [ -n "$BH_PID" ]; then kill "$BH_PID" 2>/dev/null; wait "$BH_PID" 2>/dev/null; fi; rm -rf "$KERB_TMP"'
LSA_LOG_STDERR=1
export LSA_LOG_STDERR
kerb_conf
sed -i 's/^\[lsa\]$/[lsa]\nlog_level = debug/' "$KERB_CONF"


# dns_conf LOOKUP: the lab's krb5.conf without kdc entries, dns_lookup_kdc = LOOKUP.
dns_conf() {
    sed -e '/^        kdc = /d' -e '/^        primary_kdc = /d' \
        -e "s/^    dns_lookup_kdc = .*/    dns_lookup_kdc = $1/" "$LAB/krb5.conf" >"$LAB/dns.conf"
    KRB5_CONFIG=$LAB/dns.conf
    export KRB5_CONFIG
}
# records LINE...: resolv_wrapper's hosts file (TYPE NAME VALUE...).
records() {
    printf '%s\n' "$@" >"$KERB_TMP/dns.hosts"
}
# logon WHAT STATUS: one alice password logon with resolv_wrapper in front of the
# resolver; its log in $KERB_TMP/stderr, its time in $took (ms).
logon() {
    : >"$KERB_TMP/stderr"
    _t0=$(ms)
    got=$(LD_PRELOAD=$RESOLV_WRAPPER RESOLV_WRAPPER_HOSTS=$KERB_TMP/dns.hosts \
        RESOLV_WRAPPER_DISABLE_DEEPBIND=1 kl --user alice --password alicepw)
    took=$(($(ms) - _t0))
    case "$got" in
    "status $2 "*) ok "$1 ($took ms)" ;;
    *) notok "$1" "expected $2, got: $got" "$(cat "$KERB_TMP/stderr")" ;;
    esac
}
logged() {
    if grep -Eq -- "$2" "$KERB_TMP/stderr"; then ok "$1"; else
        notok "$1" "no log line matching: $2" "$(cat "$KERB_TMP/stderr")"; fi
}

P=$LAB_KDC_PORT
UDP_ANSWER="KDC 127\.0\.0\.1 port $P/udp answered"
TCP_ANSWER="KDC 127\.0\.0\.1 port $P/tcp answered"

dns_conf true
records "SRV _kerberos._udp.EXAMPLE.TEST 127.0.0.1 $P 0 100" \
    "SRV _kerberos._tcp.EXAMPLE.TEST 127.0.0.1 $P 0 100"
logon "SRV records, no kdc in krb5.conf: logon" STATUS_SUCCESS
logged "... the KDC the records name answered over UDP" "$UDP_ANSWER"

records "SRV _kerberos._tcp.EXAMPLE.TEST 127.0.0.1 $P 0 100"
logon "a _tcp record only: logon" STATUS_SUCCESS
logged "... over TCP" "$TCP_ANSWER"

udp_blackhole || echo "Bail out! the UDP blackhole did not start"
records "SRV _kerberos._udp.EXAMPLE.TEST 127.0.0.1 $BH_PORT 0 100"
logon "a record naming a KDC that never answers: no logon servers" STATUS_NO_LOGON_SERVERS
if [ "$took" -ge 1500 ] && [ "$took" -lt 3000 ]; then ok "... ended by kdc_timeout (2 s): $took ms"
else notok "... $took ms, not within [1500, 3000)"; fi
logged "... the deadline is logged" "answered before the deadline"

lab_hang_kdc
records "SRV _kerberos._udp.EXAMPLE.TEST 127.0.0.1 $P 0 100" \
    "SRV _kerberos._tcp.EXAMPLE.TEST 127.0.0.1 $P 0 100"
logon "the KDC of the records stopped (SIGSTOP): no logon servers" STATUS_NO_LOGON_SERVERS
lab_resume_kdc
logged "... it was asked, and the deadline ended it" "answered before the deadline"
if [ "$took" -lt 3000 ]; then ok "... within kdc_timeout (2 s): $took ms"
else notok "... $took ms: the deadline did not hold"; fi

# ---- the kpasswd service (KerbChangePasswordMessage) ----------------------------------
# krb5.conf without kpasswd_server and admin_server: the package looks up _kpasswd SRV
# records itself, within the deadline, instead of leaving the change to the library.
lab_kadmin "addprinc -pw gracepw +requires_preauth grace" >/dev/null || echo "Bail out! addprinc grace"
dns_conf true
sed -i -e '/^        kpasswd_server = /d' -e '/^        admin_server = /d' "$LAB/dns.conf"
K=$LAB_KPASSWD_PORT
# change WHAT PROTOCOL_STATUS OLD NEW: grace's password through the records.
change() {
    : >"$KERB_TMP/stderr"
    _t0=$(ms)
    got=$(LD_PRELOAD=$RESOLV_WRAPPER RESOLV_WRAPPER_HOSTS=$KERB_TMP/dns.hosts \
        RESOLV_WRAPPER_DISABLE_DEEPBIND=1 kl --user grace --password "$3" --change-to "$4")
    took=$(($(ms) - _t0))
    case "$got" in
    "change STATUS_SUCCESS "*" protocol $2 "*) ok "$1 ($took ms)" ;;
    *) notok "$1" "expected protocol status $2, got: $got" "$(cat "$KERB_TMP/stderr")" ;;
    esac
}
records "SRV _kerberos._udp.EXAMPLE.TEST 127.0.0.1 $P 0 100" \
    "SRV _kpasswd._tcp.EXAMPLE.TEST 127.0.0.1 $K 0 100"
change "_kpasswd._tcp record, no kpasswd_server or admin_server: the password changes" \
    STATUS_SUCCESS gracepw Grace-New-Pass-1
logged "... sent to the server of the record, not left to the library" \
    "kpasswd server 127\.0\.0\.1 port $K/tcp"
got=$(LD_PRELOAD=$RESOLV_WRAPPER RESOLV_WRAPPER_HOSTS=$KERB_TMP/dns.hosts \
    RESOLV_WRAPPER_DISABLE_DEEPBIND=1 kl --user grace --password Grace-New-Pass-1)
case "$got" in
"status STATUS_SUCCESS "*) ok "... the new password logs on" ;;
*) notok "... the new password logs on" "got: $got" ;;
esac

records "SRV _kerberos._udp.EXAMPLE.TEST 127.0.0.1 $P 0 100" \
    "SRV _kpasswd._udp.EXAMPLE.TEST 127.0.0.1 $K 0 100"
change "a _kpasswd._udp record only: its server, asked over TCP" \
    STATUS_SUCCESS Grace-New-Pass-1 Grace-New-Pass-2

records "SRV _kerberos._udp.EXAMPLE.TEST 127.0.0.1 $P 0 100" \
    "SRV _kpasswd._tcp.EXAMPLE.TEST 127.0.0.1 $K 0 100"
kill -STOP "$LAB_KADMIND_PID"
change "the record's kpasswd server stopped (SIGSTOP): no logon servers" \
    STATUS_NO_LOGON_SERVERS Grace-New-Pass-2 Grace-New-Pass-3
kill -CONT "$LAB_KADMIND_PID"
if [ "$took" -ge 1500 ] && [ "$took" -lt 3000 ]; then ok "... ended by kdc_timeout (2 s): $took ms"
else notok "... $took ms, not within [1500, 3000)"; fi

dns_conf false
logon "dns_lookup_kdc = false: the records are not used" STATUS_NO_SUCH_DOMAIN
