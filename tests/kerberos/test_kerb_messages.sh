#!/bin/sh
# The Kerberos messages against the lab KDC: brings the lab up (kerb_lab_env.sh), adds
# what test_kerb_messages.c needs (a principal "root", so that a session of root's can be
# the caller's own; frank, whose password changes with kadmind stopped, then resumed; a
# second service, HTTP/www.example.test; an 8-character password policy on bob and
# frank), then runs
# the cmocka program, whose TAP output is this test's.  LAB_KADMIND_PID lets it stop
# kadmind.
set -u
. "$(dirname "$0")/kerb_lab_env.sh"

lab_kadmin "addprinc -pw rootpw +requires_preauth root" &&
    lab_kadmin "addprinc -pw frankpw +requires_preauth frank" &&
    lab_kadmin "addprinc -randkey HTTP/www.example.test" &&
    lab_kadmin "addpol -minlength 8 eight" &&
    lab_kadmin "modprinc -policy eight bob" &&
    lab_kadmin "modprinc -policy eight frank" || {
    echo "Bail out! kadmin: $(cat "$LAB/kadmin.out")"
    exit 1
}
export LAB LAB_KDC_PORT LAB_KADMIND_PID
"$LSA_TEST_BUILDDIR/tests/kerberos/test_kerb_messages"
rc=$?
if [ "$rc" -ne 0 ] && [ -s "$KERB_TMP/stderr" ]; then
    sed 's/^/# /' "$KERB_TMP/stderr" | tail -40
fi
exit "$rc"
