#!/bin/sh
# MSV1_0 against independent NTLM implementations (spec/ntlm.md §4, §6):
#   Samba's ntlm_auth client and curl --ntlm answer challenges our package issued;
#   Samba's ntlm-server-1 checks the responses our package computes.
# TAP.  Needs ntlm_auth (winbind), curl, python3 (NTLMSSP framing only).
set -u
LSA="$LSA_TEST_BUILDDIR/lsa"
INTEROP="$LSA_TEST_SRCDIR/tests/msv1_0/ntlm_interop.py"
n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }
check() { # DESCRIPTION EXPECTED-EXIT COMMAND...
    desc=$1; want=$2; shift 2
    out=$("$@" 2>&1); rc=$?
    if [ "$rc" -eq "$want" ]; then ok "$desc"; else not_ok "$desc" "exit $rc, expected $want" "$out"; fi
    last_output=$out
}
contains() { # DESCRIPTION NEEDLE
    case $last_output in *"$2"*) ok "$1" ;; *) not_ok "$1" "expected '$2' in:" "$last_output" ;; esac
}

echo "1..13"
for tool in ntlm_auth curl python3; do
    if ! command -v $tool >/dev/null 2>&1; then
        echo "Bail out! $tool is not installed (.ci/install-deps installs it)"
        exit 1
    fi
done

dir=$(mktemp -d "${TMPDIR:-/tmp}/lsa-interop-XXXXXX")
trap 'rm -rf "$dir"' EXIT
export TMPDIR="$dir"
cat >"$dir/lsa.conf" <<CONF
[lsa]
packages = msv1_0
package_dir = $LSA_TEST_BUILDDIR/packages/msv1_0/.libs
[msv1_0]
store = $dir/smbpasswd
domain = LABDOM
CONF
export LSA_CONFIG="$dir/lsa.conf"
printf 'Secret123\n' | "$LSA" user add --store "$dir/smbpasswd" --password-stdin alice >/dev/null 2>&1 ||
    { echo "Bail out! cannot create the account store"; exit 1; }

# Samba's client answers our challenge.
check "ntlm_auth client, NTLMv2, right password: logon succeeds" 0 \
    python3 "$INTEROP" client-to-us "$LSA" alice LABDOM Secret123
contains "ntlm_auth client: STATUS_SUCCESS" "logon: STATUS_SUCCESS"
check "ntlm_auth client, wrong password: logon fails" 1 \
    python3 "$INTEROP" client-to-us "$LSA" alice LABDOM Wrong123
contains "ntlm_auth client, wrong password: STATUS_LOGON_FAILURE / STATUS_WRONG_PASSWORD" "STATUS_WRONG_PASSWORD"
check "ntlm_auth client, unknown user: logon fails" 1 \
    python3 "$INTEROP" client-to-us "$LSA" mallory LABDOM Secret123
contains "ntlm_auth client, unknown user: STATUS_NO_SUCH_USER" "STATUS_NO_SUCH_USER"

# curl's client answers our challenge over HTTP.
port=$((20000 + $$ % 20000))
python3 "$INTEROP" http-server "$LSA" "$port" 60 >"$dir/http.log" 2>&1 &
server=$!
for _ in 1 2 3 4 5 6 7 8 9 10; do grep -q listening "$dir/http.log" 2>/dev/null && break; sleep 0.3; done
code=$(curl -s -o /dev/null -w '%{http_code}' --ntlm -u 'LABDOM\alice:Secret123' "http://127.0.0.1:$port/")
[ "$code" = 200 ] && ok "curl --ntlm, right password: 200" || not_ok "curl --ntlm, right password: 200" "got $code" "$(cat "$dir/http.log")"
code=$(curl -s -o /dev/null -w '%{http_code}' --ntlm -u 'LABDOM\alice:Wrong123' "http://127.0.0.1:$port/")
[ "$code" = 401 ] && ok "curl --ntlm, wrong password: 401" || not_ok "curl --ntlm, wrong password: 401" "got $code"
code=$(curl -s -o /dev/null -w '%{http_code}' --ntlm -u 'alice:Secret123' "http://127.0.0.1:$port/")
[ "$code" = 200 ] && ok "curl --ntlm without a domain: 200" || not_ok "curl --ntlm without a domain: 200" "got $code"
kill "$server" 2>/dev/null; wait "$server" 2>/dev/null

# Samba's server checks our responses.
check "ntlm-server-1 accepts our NTLMv2 response" 0 \
    python3 "$INTEROP" us-to-oracle "$LSA" alice LABDOM Secret123 Secret123
contains "ntlm-server-1: Authenticated: Yes" "Authenticated: Yes"
check "ntlm-server-1 refuses our response for another password" 1 \
    python3 "$INTEROP" us-to-oracle "$LSA" alice LABDOM Secret123 Other456

# Our own client and server agree.
check "lsa ntlm response answers lsa ntlm challenge" 0 sh -c "
    exec 3>&1
    mkfifo '$dir/in'
    '$LSA' ntlm challenge --domain LABDOM alice <'$dir/in' >'$dir/out' 2>&1 &
    pid=\$!
    exec 4>'$dir/in'
    for i in 1 2 3 4 5 6 7 8 9 10; do grep -q challenge: '$dir/out' && break; sleep 0.2; done
    chal=\$(sed -n 's/^challenge: //p' '$dir/out')
    printf 'Secret123\n' | '$LSA' ntlm response --password-stdin --domain LABDOM alice \$chal >&4
    exec 4>&-
    wait \$pid; rc=\$?
    cat '$dir/out'
    exit \$rc"
exit 0
