#!/bin/sh
# Runs a client-API test binary (named by the .daemon file given) against lsad: the test
# library starts an lsad for each lsa.conf it writes and stops it at cleanup
# (tests/lib/lsa_test.h, "both transports").  Used as the .daemon tests' LOG_COMPILER.
set -eu
binary=$(cat "$1")
LSA_TEST_TRANSPORT=daemon
export LSA_TEST_TRANSPORT
exec "$LSA_TEST_BUILDDIR/$binary"
