#!/bin/sh
# TAP test of LsaLogonUser through the Kerberos package against a real MIT KDC with
# PKINIT (tests/kdc/kdc_lab.sh): password logons and their failures, the deadline with a
# hung KDC, PKINIT user logons with every failure case of kerberos-lab.md step 3 that the
# lab has certificates for, and machine logons (keytab, device certificate, strict KDC
# validation, the device certificate's own checks).
set -u

PLAN=52
echo "1..$PLAN"
. "$(dirname "$0")/kerb_lab_env.sh"

n=0
# expect WHAT STATUS [SUB] -- kerb_logon arguments
expect() {
    what=$1 want=$2 want_sub=STATUS_SUCCESS
    shift 2
    if [ "$1" != "--" ]; then
        want_sub=$1
        shift
    fi
    shift
    got=$(kl "$@")
    n=$((n + 1))
    case "$got" in
    "status $want "*" sub $want_sub "*) echo "ok $n - $what" ;;
    *) echo "not ok $n - $what"; echo "# expected $want / $want_sub, got: $got" ;;
    esac
}

P=$LAB/pki
alice() { echo "FILE:$P/$1,$P/${2:-alice.key}"; }
host() { echo "FILE:$P/$1,$P/${2:-host.key}"; }

# expect_profile WHAT TYPE CERTIFICATE_BYTES -- kerb_logon arguments: a successful logon
# whose profile is KERB_PROFILE_BUFFER_TYPE TYPE (2 interactive, 4 smart card) carrying a
# certificate of that many bytes.
expect_profile() {
    what=$1 type=$2 bytes=$3
    shift 4
    got=$(kl "$@")
    n=$((n + 1))
    case "$got" in
    "status STATUS_SUCCESS "*" profile $type certificate $bytes") echo "ok $n - $what" ;;
    *) echo "not ok $n - $what"; echo "# expected profile $type with $bytes certificate bytes, got: $got" ;;
    esac
}
der_size() { openssl x509 -in "$P/$1" -outform DER | wc -c; }

# ---- password logons -------------------------------------------------------------------
expect "password logon" STATUS_SUCCESS -- --user alice --password alicepw
expect "user@REALM" STATUS_SUCCESS -- --user alice@EXAMPLE.TEST --password alicepw
expect "realm in LogonDomainName" STATUS_SUCCESS -- --domain EXAMPLE.TEST --user alice --password alicepw
expect "wrong password" STATUS_WRONG_PASSWORD -- --user alice --password wrong
expect "unknown user" STATUS_NO_SUCH_USER -- --user nobody --password x
expect "expired password, right" STATUS_PASSWORD_EXPIRED -- --user carol --password carolpw
expect "expired password, wrong: not told it is expired" STATUS_WRONG_PASSWORD -- --user carol --password nope
expect "disabled principal" STATUS_ACCOUNT_DISABLED -- --user dave --password davepw
for i in 1 2 3; do kl --user erin --password wrong >/dev/null; done
expect "locked out after 3 bad passwords" STATUS_ACCOUNT_LOCKED_OUT -- --user erin --password erinpw
expect "unknown realm" STATUS_NO_SUCH_DOMAIN -- --domain NOWHERE.TEST --user alice --password alicepw
expect "empty user name" STATUS_INVALID_PARAMETER -- --user "" --password x

# MIT corrects the client's clock from a KDC's skew error unless kdc_timesync is off.
printf '[libdefaults]\n    kdc_timesync = 0\n' >"$LAB/notimesync.conf"
lab_kdc_clock +3600 || echo "Bail out! lab_kdc_clock"
KRB5_CONFIG=$LAB/notimesync.conf:$LAB/krb5.conf expect "KDC clock an hour ahead" STATUS_TIME_DIFFERENCE_AT_DC -- --user alice --password alicepw
lab_kdc_clock "" || echo "Bail out! lab_kdc_clock"

# A password logon runs without the PKINIT client module.  With it, a krb5.conf that
# names pkinit_identities (a readable key) made MIT log the user on by PKINIT whatever
# password was typed, as kinit does.  krb5.conf's own disable list still counts.
printf '[libdefaults]\n    pkinit_identities = %s\n    pkinit_anchors = FILE:%s\n' \
    "$(alice alice.pem)" "$P/ca.pem" >"$LAB/pkinit_identities.conf"
KRB5_CONFIG=$LAB/pkinit_identities.conf:$LAB/krb5.conf expect \
    "pkinit_identities in krb5.conf: a wrong password is still wrong" STATUS_WRONG_PASSWORD -- \
    --user alice --password wrong
KRB5_CONFIG=$LAB/pkinit_identities.conf:$LAB/krb5.conf expect_profile \
    "pkinit_identities in krb5.conf: the password logs on, no certificate" 2 0 -- \
    --user alice --password alicepw
printf '[plugins]\n    clpreauth = {\n        disable = encrypted_timestamp\n    }\n' \
    >"$LAB/no_timestamp.conf"
KRB5_CONFIG=$LAB/no_timestamp.conf:$LAB/krb5.conf expect \
    "krb5.conf disables encrypted_timestamp: no password preauth left" STATUS_LOGON_FAILURE -- \
    --user alice --password alicepw

lab_hang_kdc
start=$(date +%s)
expect "hung KDC: no logon servers" STATUS_NO_LOGON_SERVERS -- --user alice --password alicepw
took=$(($(date +%s) - start))
n=$((n + 1))
if [ "$took" -le 4 ]; then echo "ok $n - within kdc_timeout (2 s): ${took} s"; else echo "not ok $n - took ${took} s"; fi
# An expired password's logon makes a second (kadmin/changepw) exchange: one deadline.
start=$(date +%s)
expect "hung KDC, expired password: no logon servers" STATUS_NO_LOGON_SERVERS -- --user carol --password carolpw
took=$(($(date +%s) - start))
lab_resume_kdc
n=$((n + 1))
if [ "$took" -le 4 ]; then echo "ok $n - expired password, within kdc_timeout (2 s): ${took} s"; else echo "not ok $n - took ${took} s"; fi
lab_stop_kdc
expect "KDC stopped: no logon servers" STATUS_NO_LOGON_SERVERS -- --user alice --password alicepw
lab_start_kdc || echo "Bail out! lab_start_kdc"

# verify_ticket = true without a machine key refuses; with it, the logon is verified.
kerb_conf "verify_ticket = true" "machine_principal = host/other.example.test"
expect "verify_ticket = true, no key for the machine" STATUS_LOGON_FAILURE -- --user alice --password alicepw
kerb_conf "verify_ticket = true"
expect "verify_ticket = true, keytab key" STATUS_SUCCESS -- --user alice --password alicepw
kerb_conf

# ---- PKINIT user logons ----------------------------------------------------------------
expect "PKINIT logon" STATUS_SUCCESS -- --certificate --user alice --identity "$(alice alice.pem)"
expect_profile "password logon: interactive profile" 2 0 -- --user alice --password alicepw
expect_profile "PKINIT logon: smart-card profile with the certificate" 4 "$(der_size alice.pem)" -- --certificate --user alice --identity "$(alice alice.pem)"
expect "PKINIT, PIN-protected key, no PIN" STATUS_SMARTCARD_WRONG_PIN -- --certificate --user alice --identity "$(alice alice.pem alice-pin.key)"
expect "PKINIT, PIN-protected key, wrong PIN" STATUS_SMARTCARD_WRONG_PIN -- --certificate --user alice --identity "$(alice alice.pem alice-pin.key)" --pin 9999
expect "PKINIT, PIN-protected key, PIN" STATUS_SUCCESS -- --certificate --user alice --identity "$(alice alice.pem alice-pin.key)" --pin 1234
kerb_conf "pkinit_identity = $(alice alice.pem)"
expect "PKINIT, identity from lsa.conf" STATUS_SUCCESS -- --certificate --user alice
kerb_conf
expect "PKINIT, no identity anywhere" STATUS_INVALID_PARAMETER -- --certificate --user alice
expect "3c1 client cert expired" STATUS_PKINIT_CLIENT_FAILURE -- --certificate --user alice --identity "$(alice alice-expired.pem)"
expect "3d1 client cert from an untrusted CA" STATUS_PKINIT_CLIENT_FAILURE -- --certificate --user alice --identity "$(alice alice-rogue.pem)"
expect "3e1 client cert revoked" STATUS_PKINIT_CLIENT_FAILURE STATUS_SMARTCARD_CERT_REVOKED -- --certificate --user alice --identity "$(alice alice-revoked.pem)"
expect "3e4 client cert without the client EKU" STATUS_PKINIT_CLIENT_FAILURE -- --certificate --user alice --identity "$(alice alice-noeku.pem)"
expect "3e5 alice's cert for bob" STATUS_PKINIT_CLIENT_FAILURE STATUS_PKINIT_NAME_MISMATCH -- --certificate --user bob --identity "$(alice alice.pem)"
expect "3e6 cert and key do not match" STATUS_PKINIT_CLIENT_FAILURE -- --certificate --user alice --identity "$(alice alice-wrongkey.pem alice-wrongkey.key)"
expect "identity naming a device file, not a certificate" STATUS_PKINIT_CLIENT_FAILURE -- --certificate --user alice --identity "FILE:/dev/zero,/dev/zero"
expect "missing certificate file" STATUS_PKINIT_CLIENT_FAILURE -- --certificate --user alice --identity "FILE:$P/none.pem,$P/none.key"

lab_start_kdc kdc-rogue "pkinit_anchors = FILE:$P/rogue-ca.pem" || echo "Bail out! kdc-rogue"
expect "3b4 KDC cert from a CA the client does not trust" STATUS_PKINIT_FAILURE STATUS_ISSUING_CA_UNTRUSTED_KDC -- --certificate --user alice --identity "$(alice alice.pem)"
lab_start_kdc kdc-rogue || echo "Bail out! kdc-rogue"
expect "3b3 KDC cert the KDC itself does not trust" STATUS_PKINIT_FAILURE -- --certificate --user alice --identity "$(alice alice.pem)"
lab_start_kdc kdc-revoked || echo "Bail out! kdc-revoked"
lab_client_conf "pkinit_revoke = FILE:$P/ca.crl" "pkinit_anchors = FILE:$P/ca.pem"
expect "3b5 KDC cert revoked, client CRL" STATUS_PKINIT_FAILURE STATUS_KDC_CERT_REVOKED -- --certificate --user alice --identity "$(alice alice.pem)"
lab_client_conf
lab_start_kdc kdc-noeku || echo "Bail out! kdc-noeku"
expect "3a1 KDC cert without the KDC EKU: MIT accepts it for a user" STATUS_SUCCESS -- --certificate --user alice --identity "$(alice alice.pem)"

# ---- machine logons --------------------------------------------------------------------
expect "device logon, KDC cert without the KDC EKU: strict validation" STATUS_PKINIT_FAILURE -- --trusted --service --certificate --identity "$(host host.pem)"
lab_start_kdc kdc-revoked || echo "Bail out! kdc-revoked"
kerb_conf "pkinit_revoke = FILE:$P/ca.crl"
expect "device logon, KDC cert revoked (pkinit_revoke)" STATUS_PKINIT_FAILURE STATUS_KDC_CERT_REVOKED -- --trusted --service --certificate --identity "$(host host.pem)"
kerb_conf
lab_start_kdc || echo "Bail out! lab_start_kdc"
expect "device certificate without a dNSName" STATUS_PKINIT_CLIENT_FAILURE -- --trusted --service --certificate --identity "$(host host-nodns.pem)"
expect "device certificate expired" STATUS_PKINIT_CLIENT_FAILURE STATUS_SMARTCARD_CERT_EXPIRED -- --trusted --service --certificate --identity "$(host host-expired.pem)"
expect "untrusted caller: no machine logon" STATUS_ACCESS_DENIED -- --service
if [ "$(id -u)" -eq 0 ]; then
    expect "machine logon with the keytab" STATUS_SUCCESS -- --trusted --service
    expect "device logon" STATUS_SUCCESS -- --trusted --service --certificate --identity "$(host host.pem)"
    n=$((n + 1))
    if grep -q "^active FILE:$P/host.pem" "$KERB_TMP/state/kerberos/machine-3e7.device"; then
        echo "ok $n - the device credential is recorded for SYSTEM"
    else
        echo "not ok $n - no device state"
    fi
    expect_profile "device logon: smart-card profile with the device certificate" 4 "$(der_size host.pem)" -- --trusted --service --certificate --identity "$(host host.pem)"
    expect_profile "keytab machine logon: interactive profile" 2 0 -- --trusted --service --domain '*KEYTAB*'
else
    for i in 1 2 3 4 5; do n=$((n + 1)); echo "ok $n # SKIP machine logons need root (LsaRegisterLogonProcess)"; done
fi
