#!/bin/sh
# tests/pam/test_pam_kerberos.sh with lsa.conf mode = daemon: the Kerberos package runs in
# an lsad the test starts with tests/lsad/lsad_fixture.sh.
LSA_TEST_TRANSPORT=daemon
export LSA_TEST_TRANSPORT
exec ${SHELL:-/bin/sh} "$(dirname "$0")/test_pam_kerberos.sh"
