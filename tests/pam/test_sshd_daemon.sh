#!/bin/sh
# tests/pam/test_sshd.sh with lsa.conf mode = daemon: every call goes to an lsad the test
# starts with tests/lsad/lsad_fixture.sh.
LSA_TEST_TRANSPORT=daemon
export LSA_TEST_TRANSPORT
exec ${SHELL:-/bin/sh} "$(dirname "$0")/test_sshd.sh"
