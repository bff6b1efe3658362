# Sourced by shell tests that need an lsad (tests/lsad/test_lsad.sh; the pamtester and
# sshd tests in daemon mode can use it the same way).  Needs LSA_TEST_BUILDDIR.
#   lsad_start CONFIG SOCKET LOG   starts `lsad -f -c CONFIG --socket SOCKET`, logging to
#                                  LOG, and waits (20 s at most) until it answers;
#                                  sets LSAD_PID, LSAD_SOCKET, LSAD_LOG
#   lsad_stop                      SIGTERM; true if it exited 0 and removed its socket
#   lsad_kill                      SIGKILL, for an EXIT trap
lsad_start() {
    LSAD_SOCKET=$2
    LSAD_LOG=$3
    LSA_LOG_STDERR=1 "$LSA_TEST_BUILDDIR/lsad/lsad" -f -c "$1" --socket "$2" >>"$3" 2>&1 &
    LSAD_PID=$!
    i=0
    while [ $i -lt 200 ]; do
        if python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])' \
            "$LSAD_SOCKET" 2>/dev/null; then
            return 0
        fi
        kill -0 "$LSAD_PID" 2>/dev/null || return 1
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}

lsad_stop() {
    kill -TERM "$LSAD_PID" 2>/dev/null || return 1
    wait "$LSAD_PID"
    lsad_exit_=$?
    LSAD_PID=
    [ "$lsad_exit_" -eq 0 ] && [ ! -e "$LSAD_SOCKET" ]
}

lsad_kill() {
    [ -n "${LSAD_PID:-}" ] && kill -9 "$LSAD_PID" 2>/dev/null
    LSAD_PID=
}
