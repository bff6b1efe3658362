#!/bin/sh
# TAP test of a Kerberos logon through lsad that outlives the client's request_timeout
# (1 s) while the KDC is stopped (kdc_timeout 6 s): the client gets STATUS_IO_TIMEOUT and
# leaves; when the KDC resumes, the logon goes on inside lsad, needs its client for the
# profile, finds it gone and must leave no logon session behind (lsa.conf(5)
# request_timeout).  Sessions are
# counted with LsaEnumerateLogonSessions (kerb_logon --sessions).
set -u

PLAN=7
echo "1..$PLAN"
if ! command -v python3 >/dev/null 2>&1; then
    for i in $(seq 1 $PLAN); do echo "ok $i # SKIP python3 is missing"; done
    exit 0
fi
. "$(dirname "$0")/kerb_lab_env.sh"
. "$(dirname "$0")/kerb_tap.sh"
. "$LSA_TEST_SRCDIR/tests/lsad/lsad_fixture.sh"
lab_trap 'lsad_kill; rm -rf "$KERB_TMP"'

sessions() { kl --trusted --sessions | sed -n 's/^sessions \([0-9]*\)$/\1/p'; }

KERB_KDC_TIMEOUT=6 kerb_conf
sed -i "s|^\[lsa\]\$|[lsa]\nmode = daemon\nsocket = $KERB_TMP/lsad.sock\nrequest_timeout = 1|" \
    "$KERB_CONF"
lsad_start "$KERB_CONF" "$KERB_TMP/lsad.sock" "$KERB_TMP/lsad.log" || echo "Bail out! lsad did not start"

before=$(sessions)
lab_hang_kdc
got=$(kl --user alice --password alicepw)
case "$got" in
"status STATUS_IO_TIMEOUT "*) ok "KDC stopped: the client gives up at request_timeout" ;;
*) notok "KDC stopped: the client gives up at request_timeout" "got: $got" ;;
esac
lab_resume_kdc

# The logon goes on in lsad once the KDC answers: it ends, one way or the other.
i=0
while [ $i -lt 100 ] && ! grep -Eq "logon of 'alice' through Kerberos failed|password logon of alice@" \
    "$KERB_TMP/lsad.log"; do
    sleep 0.1
    i=$((i + 1))
done
if grep -q "client went away" "$KERB_TMP/lsad.log"; then ok "... the logon finishes in lsad and finds its client gone"
else notok "... the logon finishes in lsad and finds its client gone" "$(cat "$KERB_TMP/lsad.log")"; fi
after=$(sessions)
if [ -n "$before" ] && [ "$after" = "$before" ]; then ok "... and leaves no logon session ($before before, $after after)"
else notok "... and leaves no logon session" "before: $before, after: $after"; fi

# The count sees a session while its token is open (kl --hold), and not once it is
# closed (--terminate).  A logon that is not held up gets time enough, sanitized or not.
sed -i 's/^request_timeout = 1$/request_timeout = 30/' "$KERB_CONF"
kill -HUP "$LSAD_PID"
i=0
while [ $i -lt 100 ] && ! grep -q "reloaded" "$KERB_TMP/lsad.log"; do sleep 0.1; i=$((i + 1)); done
(sleep 5) | kl --user alice --password alicepw --hold --terminate >"$KERB_TMP/held" &
held=$!
i=0
while [ $i -lt 100 ] && ! grep -q status "$KERB_TMP/held"; do sleep 0.1; i=$((i + 1)); done
case "$(cat "$KERB_TMP/held")" in
"status STATUS_SUCCESS "*) ok "lsad serves the next logon" ;;
*) notok "lsad serves the next logon" "got: $(cat "$KERB_TMP/held")" ;;
esac
during=$(sessions)
if [ -n "$before" ] && [ "$during" = $((before + 1)) ]; then ok "... whose session is counted while its token is open"
else notok "... whose session is counted while its token is open" "before: $before, now: $during"; fi
wait "$held"
i=0
while [ $i -lt 50 ] && [ "$(sessions)" != "$before" ]; do sleep 0.1; i=$((i + 1)); done
final=$(sessions)
if [ "$final" = "$before" ]; then ok "... and ends when it is closed"
else notok "... and ends when it is closed" "before: $before, now: $final"; fi
if lsad_stop; then ok "lsad stops cleanly"; else notok "lsad stops cleanly" "$(tail -n 5 "$KERB_TMP/lsad.log")"; fi
