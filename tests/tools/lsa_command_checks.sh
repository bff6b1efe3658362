# Sourced by the TAP tests of the lsa command (test_lsa_command.sh, test_lsa_kerberos.sh):
# run it, then check conditions on its exit code and output.  Needs LSA (the command)
# and tmp (a scratch directory).
n=0
rc=0

# run CONFIG ARGS...: the lsa command with LSA_CONFIG=CONFIG; sets rc, $tmp/out, $tmp/err.
run() {
    cfg=$1
    shift
    LSA_CONFIG=$cfg "$LSA" "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    last="LSA_CONFIG=$cfg lsa $*"
}

exit_is() { [ "$rc" -eq "$1" ]; }
out_line() { grep -Fxq -- "$1" "$tmp/out"; }
out_re() { grep -Eq -- "$1" "$tmp/out"; }
err_has() { grep -Fq -- "$1" "$tmp/err"; }
out_lines() { [ $(($(wc -l <"$tmp/out"))) -eq "$1" ]; }
out_empty() { [ ! -s "$tmp/out" ]; }
err_empty() { [ ! -s "$tmp/err" ]; }

# check DESCRIPTION SHELL-CONDITION
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
    fi
}
