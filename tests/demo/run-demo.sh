#!/bin/sh
# `make demo`: the lsa command against the echo test packages.
# usage: run-demo.sh ABS_BUILDDIR ABS_SRCDIR
set -u

if [ $# -ne 2 ]; then
    echo "usage: $0 ABS_BUILDDIR ABS_SRCDIR" >&2
    exit 2
fi
builddir=$1
srcdir=$2
pkgdir=$builddir/tests/packages/.libs
lsa=$builddir/lsa

for f in "$lsa" "$pkgdir/echo_ap.so" "$pkgdir/echo_sspap.so" "$srcdir/tests/demo/lsa.conf.in"; do
    if [ ! -f "$f" ]; then
        echo "run-demo.sh: $f is missing (run: make lsa tests/packages/echo_ap.la tests/packages/echo_sspap.la)" >&2
        exit 1
    fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/lsa-demo.XXXXXX") || {
    echo "run-demo.sh: cannot create a temporary directory" >&2
    exit 1
}
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

# '|' as the sed delimiter: the directory is a path.  Refuse one that contains it.
case $pkgdir in
*'|'* | *'&'* | *'\'*)
    echo "run-demo.sh: cannot substitute the package directory '$pkgdir'" >&2
    exit 1
    ;;
esac
sed -e "s|@PKGDIR@|$pkgdir|g" "$srcdir/tests/demo/lsa.conf.in" >"$tmp/lsa.conf" || exit 1
LSA_CONFIG=$tmp/lsa.conf
export LSA_CONFIG

echo "# LSA_CONFIG=$LSA_CONFIG"
sed -e 's/^/#   /' "$LSA_CONFIG"

failed=0
run() {
    echo
    echo "\$ lsa $*"
    "$lsa" "$@"
    rc=$?
    if [ "$rc" -ne 0 ]; then
        echo "run-demo.sh: 'lsa $*' exited with $rc" >&2
        failed=1
    fi
}

run packages
run status 0xC00000FE
# EchoMessageEcho (ULONG 1, little-endian) followed by "hello": echoed back byte for byte.
run call EchoAP 0100000068656c6c6f

echo
if [ "$failed" -ne 0 ]; then
    echo "demo: FAILED" >&2
    exit 1
fi
echo "demo: all commands succeeded"
