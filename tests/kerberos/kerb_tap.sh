# Sourced by the Kerberos shell tests that number their own TAP lines:
#   ok WHAT, notok WHAT [DIAGNOSTIC...]   the next "ok N" / "not ok N" (N from n=0)
#   ms                                    the time in milliseconds
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }
ms() { date +%s%3N; }
