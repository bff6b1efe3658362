#!/bin/sh
# TAP test of `lsa user` against a temporary account store given with --store (and one
# named by lsa.conf).
#   LSA_TEST_BUILDDIR     the build tree (holds the lsa binary)
# A failed setup is "Bail out!" and a non-zero exit; failed assertions are "not ok" lines.
set -u

PLAN=57

bail() {
    echo "Bail out! $*"
    exit 1
}

[ -n "${LSA_TEST_BUILDDIR:-}" ] || bail "LSA_TEST_BUILDDIR is not set"
LSA=$LSA_TEST_BUILDDIR/lsa
[ -x "$LSA" ] || bail "$LSA is missing (make lsa)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/test_lsa_user.XXXXXX") || bail "mktemp -d failed"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM
unset LSA_LOG_STDERR
# No lsa.conf unless a test names one: --store is the store.
export LSA_CONFIG="$tmp/no-lsa.conf"

STORE=$tmp/smbpasswd
NT_PASSWORD=A4F49C406510BDCAB6824EE7C30FD852 # "Password", spec/ntlm.md §1
NT_SECRET=63647965F13544C6551D5FDB7FFD13E0   # "Secret123"

# ---- helpers --------------------------------------------------------------------------
n=0
rc=0

# run [--stdin TEXT] ARGS...: the lsa command; sets rc, $tmp/out, $tmp/err.
run() {
    input=""
    if [ "$1" = "--stdin" ]; then
        input=$2
        shift 2
    fi
    printf '%s' "$input" | "$LSA" "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    last="lsa $*"
}

exit_is() { [ "$rc" -eq "$1" ]; }
out_has() { grep -Fq -- "$1" "$tmp/out"; }
out_re() { grep -Eq -- "$1" "$tmp/out"; }
err_has() { grep -Fq -- "$1" "$tmp/err"; }
out_empty() { [ ! -s "$tmp/out" ]; }
store_has() { grep -Fq -- "$1" "$STORE"; }
store_re() { grep -Eq -- "$1" "$STORE"; }
mode_of() { stat -c %a "$1"; }
# list_row NAME: the `lsa user list` row of NAME (from the last run)
list_row() { grep -E "^$1 " "$tmp/out"; }

check() {
    n=$((n + 1))
    if eval "$2"; then
        echo "ok $n - $1"
    else
        echo "not ok $n - $1"
        echo "# command: $last (exit $rc)"
        echo "# condition: $2"
        sed -e 's/^/# stdout: /' "$tmp/out"
        sed -e 's/^/# stderr: /' "$tmp/err"
        [ -f "$STORE" ] && sed -e 's/^/# store: /' "$STORE"
    fi
}

echo "1..$PLAN"

# ---- add --------------------------------------------------------------------------------
run --stdin 'Password
' user --store "$STORE" add alice --uid 1000 --password-stdin
check "add: exit 0" 'exit_is 0'
check "add: says so" 'out_has "added user alice (uid 1000)"'
check "add: creates the store with mode 0600" '[ "$(mode_of "$STORE")" = 600 ]'
check "add: the smbpasswd line has the NT hash of the password, U, LCT" \
    'store_re "^alice:1000:[0-9A-FX]{32}:$NT_PASSWORD:\\[U          \\]:LCT-[0-9A-F]{8}:\$"'
check "add: LM hash of a short ASCII password is there too" \
    'store_has "alice:1000:E52CAC67419A9A224A3B108F3FA6CB6D:"'

run --stdin 'Secret123
' user add --store "$STORE" --password-stdin --must-change --uid 1001 'LABDOM\bob'
check "add a domain-qualified name with --must-change: exit 0" 'exit_is 0'
check "add: bob's hash is in the store" 'store_has "LABDOM\\bob:1001:"' 
check "add: bob's must-change is in the state file" 'grep -Fxq "LABDOM\\bob:0:0:0:0:0:1" "$STORE.state"'
check "add: the state file has mode 0600" '[ "$(mode_of "$STORE.state")" = 600 ]'

run --stdin 'Password
' user --store "$STORE" add ALICE --uid 5 --password-stdin
check "add an existing name (another case): exit 1, named" \
    'exit_is 1 && err_has "already exists" && err_has "ALICE"'

run --stdin 'Password
' user --store "$STORE" add 'bad:name' --password-stdin
check "add a name with ':': exit 2" 'exit_is 2 && err_has "not a valid account name"'
run --stdin '' user --store "$STORE" add carol --uid 7 --password-stdin
check "add without a password on stdin: exit 1" 'exit_is 1 && err_has "no password"'
run --stdin '
' user --store "$STORE" add carol --uid 7 --password-stdin
check "add with an empty password: exit 1" 'exit_is 1 && err_has "empty password"'
run user --store "$STORE" add carol --uid 7 </dev/null
check "add without --password-stdin and no terminal: exit 2, says to use --password-stdin" \
    'exit_is 2 && err_has "--password-stdin"'
run --stdin 'Password
' user --store "$STORE" add carol --uid x --password-stdin
check "add with a bad --uid: exit 2" 'exit_is 2 && err_has "--uid"'
check "failed adds left the store alone" '! store_has "carol" && ! store_has "bad:name"'

# ---- list -------------------------------------------------------------------------------
run user --store "$STORE" list
check "list: exit 0" 'exit_is 0'
check "list: a header" 'out_re "^NAME +UID +FLAGS +LAST-SET +BAD +LOCKED +LAST-LOGON +MUST-CHANGE\$"'
check "list: alice, uid 1000, U, last set, 0 bad, not locked, never logged on" \
    'list_row alice | grep -Eq "^alice +1000 U +[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z +0 no +- +no\$"'
check "list: bob must change his password" \
    'list_row "LABDOM.bob" | grep -Eq " yes\$"'

# ---- passwd -----------------------------------------------------------------------------
run --stdin 'Secret123
' user --store "$STORE" passwd ALICE --password-stdin
check "passwd (any case): exit 0" 'exit_is 0 && out_has "changed the password of user ALICE"'
check "passwd: the new NT hash is stored" 'store_re "^alice:1000:[0-9A-F]{32}:$NT_SECRET:"'
run --stdin 'Password
' user --store "$STORE" passwd 'labdom\BOB' --password-stdin
check "passwd clears must-change" \
    'exit_is 0 && ! grep -Fq "LABDOM\\bob:" "$STORE.state" 2>/dev/null'
check "passwd: bob's new hash" 'store_has "LABDOM\\bob:1001:E52CAC67419A9A224A3B108F3FA6CB6D:$NT_PASSWORD:"'
run --stdin 'Password
' user --store "$STORE" passwd alice --password-stdin --must-change
check "passwd --must-change sets it" 'exit_is 0 && grep -Fxq "alice:0:0:0:0:0:1" "$STORE.state"'
run --stdin 'Password
' user --store "$STORE" passwd nobody-here --password-stdin
check "passwd of an unknown user: exit 1, named" 'exit_is 1 && err_has "no user '"'nobody-here'"'"'
long=$(printf '%0600d' 0)
run --stdin "$long
" user --store "$STORE" passwd alice --password-stdin
check "passwd with a password over 512 bytes: exit 1" 'exit_is 1 && err_has "longer than"'

# ---- disable / enable / unlock ------------------------------------------------------------
run user --store "$STORE" disable alice
check "disable: exit 0, D set" 'exit_is 0 && store_has "[DU         ]"'
run user --store "$STORE" list
check "list shows DU" 'list_row alice | grep -Eq "^alice +1000 DU "'
run user --store "$STORE" enable alice
check "enable: exit 0, D cleared" 'exit_is 0 && store_re "^alice:.*:\\[U          \\]:"'

# A locked-out account, as the package would leave it.
sed -i 's/^alice:0:0:0:0:0:1$/alice:5:1700000000:1700000000:3:1700000100:1/' "$STORE.state"
sed -i 's/^\(alice:.*:\)\[U          \]/\1[UL         ]/' "$STORE"
run user --store "$STORE" list
check "list: alice is locked, 5 bad passwords, 3 logons" \
    'list_row alice | grep -Eq "^alice +1000 UL +[^ ]+ +5 yes +2023-11-14T22:15:00Z yes\$"'
run user --store "$STORE" unlock Alice
check "unlock: exit 0" 'exit_is 0 && out_has "unlocked user Alice"'
check "unlock: lockout and bad count cleared, the rest kept" \
    'grep -Fxq "alice:0:0:0:3:1700000100:1" "$STORE.state" && store_re "^alice:.*:\\[U          \\]:"'

# ---- del ----------------------------------------------------------------------------------
run user --store "$STORE" del 'LABDOM\bob'
check "del: exit 0" 'exit_is 0 && out_has "deleted user LABDOM\\bob"'
check "del: the line is gone" '! store_has "bob"'
run user --store "$STORE" del 'LABDOM\bob'
check "del again: exit 1, no such user" 'exit_is 1 && err_has "no user"'

# ---- import -------------------------------------------------------------------------------
SAMBA=$tmp/samba-smbpasswd
cat >"$SAMBA" <<EOF
# written by Samba
nobody:0:XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX:$NT_PASSWORD:[U          ]:LCT-6B011BBB:
alice:9:XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX:$NT_PASSWORD:[U          ]:LCT-6B011BBB:
not a valid line
dave:1002:XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX:$NT_SECRET:[DU         ]:LCT-6B011BBC:
EOF
run user --store "$STORE" import "$SAMBA"
check "import: exit 0, 2 accounts (alice exists)" 'exit_is 0 && out_has "imported 2 accounts"'
check "import: the lines are in the store as Samba wrote them" \
    'store_has "nobody:0:XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX:$NT_PASSWORD:[U          ]:LCT-6B011BBB:" &&
     store_has "dave:1002:XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX:$NT_SECRET:[DU         ]:LCT-6B011BBC:"'
check "import: the malformed line was named (file:line)" 'err_has "$SAMBA:4:"'
check "import: existing alice kept" 'store_re "^alice:1000:"'
run user --store "$STORE" import "$SAMBA" --replace
check "import --replace: exit 0, 3 accounts" 'exit_is 0 && out_has "imported 3 accounts"'
check "import --replace: alice replaced, her state zeroed" \
    'store_re "^alice:9:" && ! grep -Fq "alice:" "$STORE.state"'
run user --store "$STORE" import "$tmp/missing"
check "import a missing file: exit 1, named" 'exit_is 1 && err_has "$tmp/missing"'

# ---- permissions ---------------------------------------------------------------------------
chmod 0644 "$STORE"
run user --store "$STORE" list
check "a 0644 store is refused: exit 1" 'exit_is 1 && out_empty'
check "the refusal names the file and its mode" 'err_has "$STORE" && err_has "0644"'
check "the refusal says STATUS_ACCESS_DENIED" 'err_has "STATUS_ACCESS_DENIED"'
run --stdin 'Password
' user --store "$STORE" passwd alice --password-stdin
check "a 0644 store is not written" 'exit_is 1 && err_has "0644"'
chmod 0600 "$STORE"
chmod 0640 "$STORE.state"
run user --store "$STORE" list
check "a 0640 state file is refused too" 'exit_is 1 && err_has "$STORE.state" && err_has "0640"'
chmod 0600 "$STORE.state"

# ---- the store from lsa.conf ----------------------------------------------------------------
cat >"$tmp/lsa.conf" <<EOF
[lsa]
packages =
[msv1_0]
store = $STORE
EOF
LSA_CONFIG=$tmp/lsa.conf "$LSA" user list >"$tmp/out" 2>"$tmp/err"
rc=$?
last="LSA_CONFIG=$tmp/lsa.conf lsa user list"
check "without --store: [msv1_0] store of lsa.conf" 'exit_is 0 && list_row dave >/dev/null'
cat >"$tmp/lsa2.conf" <<EOF
[lsa]
packages =
state_dir = $tmp/state
EOF
LSA_CONFIG=$tmp/lsa2.conf "$LSA" user list >"$tmp/out" 2>"$tmp/err"
rc=$?
last="LSA_CONFIG=$tmp/lsa2.conf lsa user list"
check "without [msv1_0] store: STATE_DIR/smbpasswd (missing here: exit 1, named)" \
    'exit_is 1 && err_has "$tmp/state/smbpasswd"'
printf '[lsa]\npackages =\n[msv1_0]\nstore = relative/smbpasswd\n' >"$tmp/rel.conf"
LSA_CONFIG=$tmp/rel.conf "$LSA" user list >"$tmp/out" 2>"$tmp/err"
rc=$?
last="LSA_CONFIG=$tmp/rel.conf lsa user list"
check "a relative [msv1_0] store is refused, as the package refuses it" \
    'exit_is 1 && err_has "not an absolute path"'
printf '[lsa]\npackages =\nbogus line\n' >"$tmp/bad.conf"
LSA_CONFIG=$tmp/bad.conf "$LSA" user list >"$tmp/out" 2>"$tmp/err"
rc=$?
last="LSA_CONFIG=$tmp/bad.conf lsa user list"
check "a malformed lsa.conf: exit 1, file and line named" 'exit_is 1 && err_has "$tmp/bad.conf:3"'

# ---- usage ----------------------------------------------------------------------------------
run user
check "no subcommand: exit 2" 'exit_is 2 && err_has "missing SUBCOMMAND"'
run user --store "$STORE" frob
check "unknown subcommand: exit 2" 'exit_is 2 && err_has "frob"'
run user --store "$STORE" list extra
check "list with an argument: exit 2" 'exit_is 2'
run user --store "$STORE" del alice --replace
check "an option the subcommand does not take: exit 2" 'exit_is 2 && err_has "--replace"'
run user --help
check "user --help: exit 0, lists the subcommands" \
    'exit_is 0 && out_has "usage: lsa user" && out_has "import FILE"'

if [ "$n" -ne "$PLAN" ]; then
    echo "# planned $PLAN tests but ran $n" >&2
    exit 1
fi
exit 0
