#!/bin/sh
# `make demo`, second part: a real logon through pam_lsa on the embedded LSA.
# An account in a private MSV1_0 store, a PAM service in a private directory
# (pam_wrapper, so /etc is untouched), and pamtester driving authenticate,
# acct_mgmt, open_session and close_session.
# usage: run-pam-demo.sh ABS_BUILDDIR
set -u
builddir=$1
lsa=$builddir/lsa
module=$builddir/pam_lsa/.libs/pam_lsa.so
pkgdir=$builddir/packages/msv1_0/.libs

for f in "$lsa" "$module" "$pkgdir/msv1_0.so"; do
    [ -f "$f" ] || { echo "run-pam-demo.sh: $f is missing (run make)" >&2; exit 1; }
done
command -v pamtester >/dev/null || { echo "run-pam-demo.sh: pamtester is missing (.ci/install-deps)" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/lsa-pam-demo.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

cat >"$tmp/lsa.conf" <<CONF
[lsa]
packages = msv1_0
package_dir = $pkgdir
[msv1_0]
store = $tmp/smbpasswd
domain = DEMO
CONF
mkdir "$tmp/pam.d"
options="package=msv1_0 config=$tmp/lsa.conf"
cat >"$tmp/pam.d/lsa-demo" <<PAM
auth     required $module $options
account  required $module $options
session  required $module $options
PAM
echo "auth required pam_deny.so" >"$tmp/pam.d/other"

pamtest() { # PASSWORD CALLS...
    password=$1
    shift
    printf '%s\n' "$password" | LD_PRELOAD=libpam_wrapper.so PAM_WRAPPER=1 \
        PAM_WRAPPER_SERVICE_DIR="$tmp/pam.d" pamtester -v lsa-demo demo "$@" 2>&1
}

echo
echo "\$ lsa user add --store $tmp/smbpasswd --password-stdin demo"
printf 'Demo-Pass1\n' | "$lsa" user add --store "$tmp/smbpasswd" --password-stdin demo || exit 1
echo
echo "# PAM service lsa-demo:"
sed -e 's/^/#   /' "$tmp/pam.d/lsa-demo"
echo
echo "\$ pamtester lsa-demo demo authenticate acct_mgmt open_session close_session   (right password)"
pamtest Demo-Pass1 authenticate acct_mgmt open_session close_session || {
    echo "run-pam-demo.sh: the logon through pam_lsa failed" >&2
    exit 1
}
echo
echo "\$ pamtester lsa-demo demo authenticate   (wrong password: refused, as it must be)"
if pamtest Wrong-Pass authenticate; then
    echo "run-pam-demo.sh: a wrong password was accepted" >&2
    exit 1
fi
echo
echo "demo: a real logon through pam_lsa worked"
