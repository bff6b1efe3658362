# Sourced by the PAM tests that run an unsanitized host program (pamtester, sshd) with
# pam_lsa.so under pam_wrapper.  The caller defines bail().  Sets LSA, MODULE (absolute),
# WRAPPER (empty when libpam_wrapper.so is not installed: the caller decides) and
# PRELOAD, the LD_PRELOAD list for the host.
[ -n "${LSA_TEST_BUILDDIR:-}" ] || bail "LSA_TEST_BUILDDIR is not set"
LSA=$LSA_TEST_BUILDDIR/lsa
MODULE=$LSA_TEST_BUILDDIR/pam_lsa/.libs/pam_lsa.so
[ -x "$LSA" ] || bail "$LSA is missing (make lsa)"
[ -f "$MODULE" ] || bail "$MODULE is missing (make pam_lsa/pam_lsa.la)"
case $MODULE in /*) ;; *) MODULE=$(pwd)/$MODULE ;; esac

WRAPPER=""
for d in /usr/lib/x86_64-linux-gnu /usr/lib64 /usr/lib /usr/local/lib; do
    [ -f "$d/libpam_wrapper.so" ] && WRAPPER=$d/libpam_wrapper.so && break
done

PRELOAD=$WRAPPER
# A sanitized module in an unsanitized host needs the ASan runtime loaded first, and
# pam_wrapper without RTLD_DEEPBIND.
if [ -n "$WRAPPER" ] && nm -D "$MODULE" 2>/dev/null | grep -q __asan_init; then
    ASAN_RT=$(${CC:-clang} -print-file-name=libclang_rt.asan-x86_64.so 2>/dev/null)
    if [ ! -f "$ASAN_RT" ]; then
        echo "1..0 # SKIP the module is sanitized and the ASan runtime was not found"
        exit 0
    fi
    PRELOAD="$ASAN_RT $WRAPPER"
    # Debian 12's pam_wrapper 1.1.4 reads UID_WRAPPER_DISABLE_DEEPBIND (a name copied
    # from uid_wrapper); later versions PAM_WRAPPER_DISABLE_DEEPBIND.
    export PAM_WRAPPER_DISABLE_DEEPBIND=1 UID_WRAPPER_DISABLE_DEEPBIND=1
    # The host is not sanitized: its leaks are not ours to report.
    export ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0:verify_asan_link_order=0"
fi
