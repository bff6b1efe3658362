# kdc_lab.sh: a throwaway MIT Kerberos realm (krb5kdc + kadmind, PKINIT) on loopback.
# POSIX sh library; source it, then call lab_init DIR.  Everything, logs included, stays
# in DIR.  See tests/kdc/README.md for the functions, variables and certificates, and
# /work/shared/spec/kerberos-lab.md (docs: the "kerberos-lab" recipe) for the reasons.
#
# Before sourcing, LAB_TOOLS_DIR may name the directory holding pki.sh; by default it is
# $LSA_TEST_SRCDIR/tests/kdc, else the current directory's tests/kdc.
# shellcheck shell=sh

LAB_REALM=EXAMPLE.TEST
LAB_FAKETIME_LIB=${LAB_FAKETIME_LIB:-/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1}
LAB_TOOLS_DIR=${LAB_TOOLS_DIR:-${LSA_TEST_SRCDIR:-.}/tests/kdc}
LAB_KDC_PID=""
LAB_KADMIND_PID=""
LAB_CLIENT_LINES=""
LAB_KDC_FAKETIME=""
# Set before lab_start_kdc: LAB_KDC_LISTEN = both (default), udp or tcp: the transports
# krb5kdc listens on; LAB_KDC_DEFAULTS: extra [kdcdefaults] lines of kdc.conf (e.g.
# "kdc_max_dgram_reply_size = 100").
LAB_KDC_LISTEN=${LAB_KDC_LISTEN:-both}
LAB_KDC_DEFAULTS=${LAB_KDC_DEFAULTS:-}
# Where krb5kdc/kadmind/kdb5_util live; /usr/sbin is often not in an unprivileged PATH.
PATH=$PATH:/usr/sbin:/sbin
export PATH

_lab_err() { echo "kdc_lab: $*" >&2; }

# _lab_listening PORT: true if something on this host listens on TCP PORT or holds UDP
# PORT (any address, IPv4 or IPv6).  TIME_WAIT leftovers of earlier KDC runs don't count.
_lab_listening() {
    _hex=$(printf '%04X' "$1")
    for _f in /proc/net/tcp /proc/net/tcp6; do
        [ -r "$_f" ] || continue
        awk -v p=":$_hex" 'NR > 1 && $4 == "0A" && substr($2, length($2) - 4) == p { f = 1 }
            END { exit !f }' "$_f" && return 0
    done
    for _f in /proc/net/udp /proc/net/udp6; do
        [ -r "$_f" ] || continue
        awk -v p=":$_hex" 'NR > 1 && substr($2, length($2) - 4) == p { f = 1 }
            END { exit !f }' "$_f" && return 0
    done
    return 1
}

# _lab_pick_port EXCLUDED...: a random free port in 20000..32767.  Concurrent test
# scripts each draw their own, so `make check -j2` does not share a KDC.  The range
# stays below Linux's ephemeral ports (32768..60999), where a client's UDP socket to
# another lab's KDC could hold the port and make krb5kdc's bind fail.
_lab_pick_port() {
    _try=0
    while [ $_try -lt 50 ]; do
        _try=$((_try + 1))
        _r=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')
        _p=$((20000 + (_r + $$) % 12768))
        case " $* " in *" $_p "*) continue ;; esac
        _lab_listening "$_p" && continue
        echo "$_p"
        return 0
    done
    return 1
}

# lab_ready PORT [PID]: wait (at most 5 s) until TCP PORT accepts connections; fail at
# once if PID has exited.
lab_ready() {
    _i=0
    while [ $_i -lt 100 ]; do
        _lab_listening "$1" && return 0
        if [ -n "${2:-}" ] && ! _lab_alive "$2"; then
            return 1
        fi
        sleep 0.05
        _i=$((_i + 1))
    done
    return 1
}

# _lab_alive PID: the process exists and is not a zombie.
_lab_alive() {
    [ -r "/proc/$1/stat" ] || return 1
    _st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)
    [ -n "$_st" ] && [ "$_st" != Z ] && [ "$_st" != X ]
}

# _lab_kill NAME PID: stop PID if it is still NAME (/proc/PID/comm), wait for the exit.
_lab_kill() {
    [ -n "$2" ] || return 0
    if [ "$(cat "/proc/$2/comm" 2>/dev/null)" = "$1" ] && _lab_alive "$2"; then
        kill -TERM "$2" 2>/dev/null
        kill -CONT "$2" 2>/dev/null # a lab_hang_kdc'd process handles TERM only when resumed
        _i=0
        while _lab_alive "$2" && [ $_i -lt 100 ]; do
            sleep 0.05
            _i=$((_i + 1))
        done
        _lab_alive "$2" && kill -KILL "$2" 2>/dev/null
    fi
    wait "$2" 2>/dev/null
    return 0
}

_lab_write_krb5_conf() {
    {
        echo "[libdefaults]"
        echo "    default_realm = $LAB_REALM"
        echo "    dns_lookup_kdc = false"
        echo "    dns_lookup_realm = false"
        echo "    dns_canonicalize_hostname = false"
        echo "    rdns = false"
        echo "    qualify_shortname = \"\""
        echo "    forwardable = true"
        # Client pkinit_* options are looked up here first (trap 7): lab_client_conf.
        echo "    $LAB_REALM = {"
        [ -n "$LAB_CLIENT_LINES" ] && printf '%s\n' "$LAB_CLIENT_LINES" | sed 's/^/        /'
        echo "    }"
        echo "[realms]"
        echo "    $LAB_REALM = {"
        echo "        kdc = 127.0.0.1:$LAB_KDC_PORT"
        echo "        primary_kdc = 127.0.0.1:$LAB_KDC_PORT"
        echo "        admin_server = 127.0.0.1:$LAB_KADMIN_PORT"
        echo "        kpasswd_server = 127.0.0.1:$LAB_KPASSWD_PORT"
        echo "        pkinit_anchors = FILE:$LAB/pki/ca.pem"
        echo "    }"
        echo "[domain_realm]"
        echo "    .example.test = $LAB_REALM"
        echo "    example.test = $LAB_REALM"
    } >"$LAB/krb5.conf"
}

# _lab_write_kdc_conf CERT_FILE REVOKE(1/0) EXTRA_LINES
_lab_write_kdc_conf() {
    {
        echo "[kdcdefaults]"
        # An empty value: no listener on that transport (kdc.conf(5)).
        if [ "$LAB_KDC_LISTEN" = tcp ]; then
            echo '    kdc_listen = ""'
        else
            echo "    kdc_listen = 127.0.0.1:$LAB_KDC_PORT"
        fi
        if [ "$LAB_KDC_LISTEN" = udp ]; then
            echo '    kdc_tcp_listen = ""'
        else
            echo "    kdc_tcp_listen = 127.0.0.1:$LAB_KDC_PORT"
        fi
        [ -n "$LAB_KDC_DEFAULTS" ] && printf '%s\n' "$LAB_KDC_DEFAULTS" | sed 's/^/    /'
        echo "[realms]"
        echo "    $LAB_REALM = {"
        echo "        database_name = $LAB/db/principal"
        echo "        key_stash_file = $LAB/db/stash"
        echo "        acl_file = $LAB/db/kadm5.acl"
        echo "        kadmind_listen = 127.0.0.1:$LAB_KADMIN_PORT"
        echo "        kpasswd_listen = 127.0.0.1:$LAB_KPASSWD_PORT"
        echo "        supported_enctypes = aes256-cts-hmac-sha1-96:normal aes128-cts-hmac-sha1-96:normal"
        echo "        pkinit_identity = FILE:$1,$LAB/pki/kdc.key"
        echo "        pkinit_anchors = FILE:$LAB/pki/ca.pem"
        [ "$2" = 1 ] && echo "        pkinit_revoke = FILE:$LAB/pki/ca.crl"
        [ -n "$3" ] && printf '%s\n' "$3" | sed 's/^/        /'
        echo "    }"
        echo "[plugins]"
        echo "    kdcpreauth = {"
        echo "        disable = spake"
        echo "    }"
        echo "[logging]"
        echo "    kdc = FILE:$LAB/kdc.log"
        echo "    admin_server = FILE:$LAB/kadmind.log"
        echo "    default = FILE:$LAB/krb5lib.log"
    } >"$LAB/kdc.conf"
}

# lab_client_conf [LINE...]: client krb5.conf lines for [libdefaults] EXAMPLE.TEST = {...},
# the place the pkinit client options are looked up first.  Each call replaces the
# previous set; no argument restores the defaults.  An option set here hides the same
# option in [realms], so an extra anchor needs both:
#   lab_client_conf "pkinit_anchors = FILE:$LAB/pki/ca.pem" \
#                   "pkinit_anchors = FILE:$LAB/pki/rogue-ca.pem"
lab_client_conf() {
    LAB_CLIENT_LINES=""
    for _l in "$@"; do
        LAB_CLIENT_LINES="${LAB_CLIENT_LINES:+$LAB_CLIENT_LINES
}$_l"
    done
    _lab_write_krb5_conf
}

# lab_kadmin QUERY: kadmin.local on the lab database; output in $LAB/kadmin.out.
lab_kadmin() {
    kadmin.local -r "$LAB_REALM" -q "$1" >"$LAB/kadmin.out" 2>&1 &&
        ! grep -qi -e 'error' -e 'usage:' -e 'not found' -e 'failed' "$LAB/kadmin.out"
}

# lab_init DIR: make the PKI, configuration, database and principals in DIR; export the
# environment that points every Kerberos tool at them.  The KDC is not started.
lab_init() {
    LAB=$(cd "$1" && pwd) || { _lab_err "no directory $1"; return 1; }
    mkdir -p "$LAB/db" "$LAB/rcache" || return 1
    if [ -n "${LSA_TEST_PKI_CACHE:-}" ]; then
        _c=$LSA_TEST_PKI_CACHE/pki
        if [ ! -f "$_c/.pki-complete" ]; then
            # Made aside and renamed, so concurrent scripts never mix two PKIs.
            mkdir -p "$LSA_TEST_PKI_CACHE" || return 1
            if ! sh "$LAB_TOOLS_DIR/pki.sh" "$LSA_TEST_PKI_CACHE/pki.$$" >"$LAB/pki.log" 2>&1; then
                _lab_err "pki.sh failed: $(cat "$LAB/pki.log")"
                return 1
            fi
            if ! mv -T "$LSA_TEST_PKI_CACHE/pki.$$" "$_c" 2>/dev/null; then
                rm -rf "$LSA_TEST_PKI_CACHE/pki.$$" # another script was first
            fi
        fi
        cp -R "$_c" "$LAB/pki" || return 1
    fi
    sh "$LAB_TOOLS_DIR/pki.sh" "$LAB/pki" >"$LAB/pki.log" 2>&1 ||
        { _lab_err "pki.sh failed: $(cat "$LAB/pki.log")"; return 1; }

    if ! LAB_KDC_PORT=$(_lab_pick_port) ||
        ! LAB_KPASSWD_PORT=$(_lab_pick_port "$LAB_KDC_PORT") ||
        ! LAB_KADMIN_PORT=$(_lab_pick_port "$LAB_KDC_PORT" "$LAB_KPASSWD_PORT"); then
        _lab_err "no free port"
        return 1
    fi

    KRB5_CONFIG=$LAB/krb5.conf
    KRB5_KDC_PROFILE=$LAB/kdc.conf
    KRB5_KTNAME=FILE:$LAB/host.keytab
    KRB5RCACHEDIR=$LAB/rcache
    KRB5CCNAME=FILE:$LAB/ccache
    export KRB5_CONFIG KRB5_KDC_PROFILE KRB5_KTNAME KRB5RCACHEDIR KRB5CCNAME
    unset KRB5_CLIENT_KTNAME
    LAB_CLIENT_LINES=""
    _lab_write_krb5_conf
    _lab_write_kdc_conf "$LAB/pki/kdc.pem" 1 ""
    cat >"$LAB/db/kadm5.acl" <<EOF
admin/admin@$LAB_REALM *
EOF

    kdb5_util create -s -r "$LAB_REALM" -P masterpw -W >"$LAB/kdb5_util.log" 2>&1 ||
        { _lab_err "kdb5_util create failed: $(cat "$LAB/kdb5_util.log")"; return 1; }
    # One kadmin.local reading its commands from standard input.
    _rc=0
    kadmin.local -r "$LAB_REALM" >"$LAB/kadmin.out" 2>&1 <<EOF || _rc=$?
addpol -maxfailure 3 -failurecountinterval 0 -lockoutduration 0 lockout
addprinc -pw alicepw +requires_preauth alice
addprinc -pw bobpw +requires_preauth bob
addprinc -pw carolpw +requires_preauth -pwexpire "2000-01-01 00:00:00 UTC" carol
addprinc -pw davepw +requires_preauth -allow_tix dave
addprinc -pw erinpw +requires_preauth -policy lockout erin
addprinc -pw adminpw +requires_preauth admin/admin
addprinc -randkey +requires_preauth host/client.example.test
ktadd -k $LAB/host.keytab host/client.example.test
EOF
    if [ $_rc -ne 0 ] || grep -qi -e 'error' -e 'usage' -e 'while ' "$LAB/kadmin.out" ||
        [ ! -s "$LAB/host.keytab" ]; then
        _lab_err "kadmin.local failed: $(cat "$LAB/kadmin.out")"
        return 1
    fi
    return 0
}

# _lab_spawn_kdc: start krb5kdc on the current kdc.conf, under libfaketime when
# LAB_KDC_FAKETIME is set (LD_PRELOAD, not the faketime wrapper, which would fork).
_lab_spawn_kdc() {
    if _lab_listening "$LAB_KDC_PORT"; then
        # krb5kdc binds with SO_REUSEPORT: a second one would share the port (trap 1).
        _lab_err "port $LAB_KDC_PORT is already in use; not starting a KDC"
        return 1
    fi
    rm -f "$LAB/kdc.pid"
    if [ -n "$LAB_KDC_FAKETIME" ]; then
        LD_PRELOAD=$LAB_FAKETIME_LIB FAKETIME=$LAB_KDC_FAKETIME FAKETIME_DONT_FAKE_MONOTONIC=1 \
            krb5kdc -n -r "$LAB_REALM" -P "$LAB/kdc.pid" >>"$LAB/kdc.stderr" 2>&1 &
    else
        krb5kdc -n -r "$LAB_REALM" -P "$LAB/kdc.pid" >>"$LAB/kdc.stderr" 2>&1 &
    fi
    LAB_KDC_PID=$!
    if ! lab_ready "$LAB_KDC_PORT" "$LAB_KDC_PID"; then
        _lab_err "krb5kdc did not start: $(tail -n 5 "$LAB/kdc.stderr" "$LAB/kdc.log" 2>/dev/null)"
        _lab_kill krb5kdc "$LAB_KDC_PID"
        LAB_KDC_PID=""
        return 1
    fi
}

# lab_start_kdc [CERT] [LINE...]: (re)start krb5kdc with pkinit_identity CERT (a file
# name in $LAB/pki, ".pem" optional; default kdc.pem) and kdc.key, at real time.  LINEs
# are added to the realm in kdc.conf, e.g. "pkinit_require_crl_checking = true"; the
# line "-nocrl" drops the default "pkinit_revoke = FILE:$LAB/pki/ca.crl".
lab_start_kdc() {
    _cert=${1:-kdc.pem}
    [ $# -gt 0 ] && shift
    case $_cert in *.pem) ;; *) _cert=$_cert.pem ;; esac
    case $_cert in /*) ;; *) _cert=$LAB/pki/$_cert ;; esac
    [ -f "$_cert" ] || { _lab_err "no certificate $_cert"; return 1; }
    _crl=1
    _extra=""
    for _l in "$@"; do
        if [ "$_l" = "-nocrl" ]; then
            _crl=0
        else
            _extra="${_extra:+$_extra
}$_l"
        fi
    done
    lab_stop_kdc
    LAB_KDC_FAKETIME=""
    _lab_write_kdc_conf "$_cert" "$_crl" "$_extra"
    _lab_spawn_kdc
}

# lab_kdc_clock OFFSET: restart the KDC (same kdc.conf) with its clock moved by OFFSET,
# a libfaketime FAKETIME value such as "+150" or "-86340" (seconds); "" is real time.
lab_kdc_clock() {
    lab_stop_kdc
    LAB_KDC_FAKETIME=${1:-}
    _lab_spawn_kdc
}

# lab_faketime OFFSET COMMAND...: run a client command with its clock moved by OFFSET.
lab_faketime() {
    _off=$1
    shift
    LD_PRELOAD=$LAB_FAKETIME_LIB FAKETIME=$_off FAKETIME_DONT_FAKE_MONOTONIC=1 "$@"
}

# lab_offset_to CERT DELTA: the FAKETIME offset that puts a clock DELTA seconds after
# CERT's notAfter (negative DELTA: before it), e.g. "-86340".
lab_offset_to() {
    _c=$1
    case $_c in /*) ;; *.pem) _c=$LAB/pki/$_c ;; *) _c=$LAB/pki/$_c.pem ;; esac
    _end=$(date -d "$(openssl x509 -in "$_c" -noout -enddate | sed 's/^notAfter=//')" +%s) ||
        return 1
    _o=$((_end + $2 - $(date +%s)))
    if [ $_o -ge 0 ]; then echo "+$_o"; else echo "$_o"; fi
}

# lab_start_kadmind: (re)start kadmind: kadmin on $LAB_KADMIN_PORT and kpasswd on
# $LAB_KPASSWD_PORT (TCP and UDP), both loopback; krb5.conf names them already.
lab_start_kadmind() {
    _lab_kill kadmind "$LAB_KADMIND_PID"
    LAB_KADMIND_PID=""
    for _p in "$LAB_KADMIN_PORT" "$LAB_KPASSWD_PORT"; do
        if _lab_listening "$_p"; then
            _lab_err "port $_p is already in use; not starting kadmind"
            return 1
        fi
    done
    kadmind -nofork -r "$LAB_REALM" -P "$LAB/kadmind.pid" >>"$LAB/kadmind.stderr" 2>&1 &
    LAB_KADMIND_PID=$!
    if ! lab_ready "$LAB_KADMIN_PORT" "$LAB_KADMIND_PID" ||
        ! lab_ready "$LAB_KPASSWD_PORT" "$LAB_KADMIND_PID"; then
        _lab_err "kadmind did not start: $(tail -n 5 "$LAB/kadmind.stderr" "$LAB/kadmind.log" 2>/dev/null)"
        _lab_kill kadmind "$LAB_KADMIND_PID"
        LAB_KADMIND_PID=""
        return 1
    fi
}

# lab_hang_kdc / lab_resume_kdc: SIGSTOP / SIGCONT the KDC.  A stopped KDC still has its
# sockets, so the kernel accepts and queues requests nobody answers (27 s for kinit).
lab_hang_kdc() { [ -n "$LAB_KDC_PID" ] && kill -STOP "$LAB_KDC_PID"; }
lab_resume_kdc() { [ -n "$LAB_KDC_PID" ] && kill -CONT "$LAB_KDC_PID"; }

lab_stop_kdc() {
    _lab_kill krb5kdc "$LAB_KDC_PID"
    LAB_KDC_PID=""
}

# lab_stop: stop krb5kdc and kadmind (by PID, checking /proc/PID/comm) and wait.
lab_stop() {
    lab_stop_kdc
    _lab_kill kadmind "$LAB_KADMIND_PID"
    LAB_KADMIND_PID=""
}

# lab_trap [COMMAND]: on exit, stop the lab, then run COMMAND (e.g. 'rm -rf "$tmp"');
# HUP/INT/TERM exit through it too.  Replaces the script's EXIT trap.
lab_trap() {
    # shellcheck disable=SC2064 # expanded now on purpose
    trap "lab_stop; ${1:-:}" EXIT
    trap 'exit 1' HUP INT TERM
}
