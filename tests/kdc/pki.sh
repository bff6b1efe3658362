#!/bin/sh
# pki.sh DIR: the test PKI of the Kerberos lab (tests/kdc/README.md has the table).
# openssl only; `openssl ca` with an index and a serial so that a CRL can be made.
# Idempotent: when DIR/.pki-complete holds the current version, nothing is done.
#
# Times: every certificate starts 3 days before generation, so a process whose clock is
# moved back to the expiry of the *-expired certificates (1 day before generation) still
# sees the CA, the other certificates and the CRL as valid.
set -eu

PKI_VERSION=2
[ $# -eq 1 ] || { echo "usage: $0 DIR" >&2; exit 2; }
dir=$1
stamp=$dir/.pki-complete
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$PKI_VERSION" ]; then
    exit 0
fi
mkdir -p "$dir"
cd "$dir"
rm -rf ca-db rogue-db csr
mkdir -p ca-db rogue-db csr
: >ca-db/index.txt
: >rogue-db/index.txt
echo 1000 >ca-db/serial
echo 5000 >rogue-db/serial
echo 1000 >ca-db/crlnumber

REALM=EXAMPLE.TEST
# GNU date: generation-relative timestamps in the form openssl ca wants.
ts() { date -u -d "@$(($(date +%s) + $1))" +%Y%m%d%H%M%SZ; }
START=$(ts -259200)        # now - 3 days
END=$(ts 315360000)        # now + 10 years
OLD_START=$(ts -172800)    # now - 2 days
OLD_END=$(ts -86400)       # now - 1 day: notAfter of every *-expired certificate

# pkinit-san (RFC 4556 KRB5PrincipalName) sections: princ_SECTION NAME-TYPE COMPONENTS...
princ() {
    sec=$1 nt=$2
    shift 2
    printf '[%s_pn]\nrealm = EXP:0,GeneralString:%s\nprincipal_name = EXP:1,SEQUENCE:%s_seq\n' \
        "$sec" "$REALM" "$sec"
    printf '[%s_seq]\nname_type = EXP:0,INTEGER:%s\nname_string = EXP:1,SEQUENCE:%s_str\n' \
        "$sec" "$nt" "$sec"
    printf '[%s_str]\n' "$sec"
    i=0
    for c in "$@"; do
        i=$((i + 1))
        printf 'c%s = GeneralString:%s\n' "$i" "$c"
    done
}

cat >openssl.cnf <<EOF
[ca]
default_ca = main
[main]
database = ca-db/index.txt
serial = ca-db/serial
crlnumber = ca-db/crlnumber
new_certs_dir = ca-db
certificate = ca.pem
private_key = ca.key
default_md = sha256
default_crl_days = 3650
policy = policy_any
unique_subject = no
email_in_dn = no
copy_extensions = none
[rogue]
database = rogue-db/index.txt
serial = rogue-db/serial
new_certs_dir = rogue-db
certificate = rogue-ca.pem
private_key = rogue-ca.key
default_md = sha256
policy = policy_any
unique_subject = no
email_in_dn = no
[policy_any]
commonName = supplied
organizationName = optional
[req]
distinguished_name = req_dn
prompt = no
[req_dn]
CN = unused

[v3_ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash

[kdc]
basicConstraints = CA:FALSE
keyUsage = digitalSignature,keyEncipherment,keyAgreement
extendedKeyUsage = 1.3.6.1.5.2.3.5
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid,issuer
subjectAltName = otherName:1.3.6.1.5.2.2;SEQUENCE:krbtgt_pn,DNS:kdc.example.test
[kdc_noeku]
basicConstraints = CA:FALSE
keyUsage = digitalSignature,keyEncipherment,keyAgreement
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid,issuer
subjectAltName = otherName:1.3.6.1.5.2.2;SEQUENCE:krbtgt_pn,DNS:kdc.example.test
[kdc_dnsonly_noeku]
basicConstraints = CA:FALSE
keyUsage = digitalSignature,keyEncipherment,keyAgreement
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid,issuer
subjectAltName = DNS:kdc.example.test
[kdc_dnsonly]
basicConstraints = CA:FALSE
keyUsage = digitalSignature,keyEncipherment,keyAgreement
extendedKeyUsage = 1.3.6.1.5.2.3.5
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid,issuer
subjectAltName = DNS:kdc.example.test
[kdc_dnsonly_serverauth]
basicConstraints = CA:FALSE
keyUsage = digitalSignature,keyEncipherment,keyAgreement
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid,issuer
subjectAltName = DNS:kdc.example.test
[kdc_nosan]
basicConstraints = CA:FALSE
keyUsage = digitalSignature,keyEncipherment,keyAgreement
extendedKeyUsage = 1.3.6.1.5.2.3.5
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid,issuer

[alice]
basicConstraints = CA:FALSE
keyUsage = digitalSignature,keyEncipherment,keyAgreement
extendedKeyUsage = 1.3.6.1.5.2.3.4
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid,issuer
subjectAltName = otherName:1.3.6.1.5.2.2;SEQUENCE:alice_pn
[alice_noeku]
basicConstraints = CA:FALSE
keyUsage = digitalSignature,keyEncipherment,keyAgreement
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid,issuer
subjectAltName = otherName:1.3.6.1.5.2.2;SEQUENCE:alice_pn

[host]
basicConstraints = CA:FALSE
keyUsage = digitalSignature,keyEncipherment,keyAgreement
extendedKeyUsage = 1.3.6.1.5.2.3.4,clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid,issuer
subjectAltName = otherName:1.3.6.1.5.2.2;SEQUENCE:host_pn,DNS:client.example.test
[host_nodns]
basicConstraints = CA:FALSE
keyUsage = digitalSignature,keyEncipherment,keyAgreement
extendedKeyUsage = 1.3.6.1.5.2.3.4,clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid,issuer
subjectAltName = otherName:1.3.6.1.5.2.2;SEQUENCE:host_pn
[host_dnsonly]
basicConstraints = CA:FALSE
keyUsage = digitalSignature,keyEncipherment,keyAgreement
extendedKeyUsage = 1.3.6.1.5.2.3.4,clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid,issuer
subjectAltName = DNS:client.example.test

$(princ krbtgt 2 krbtgt "$REALM")
$(princ alice 1 alice)
$(princ host 3 host client.example.test)
EOF

OSSL_CNF=$PWD/openssl.cnf
export OSSL_CNF
key() { openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1" 2>/dev/null; }
# issue CA-SECTION EXTENSIONS KEY CN OUT [START END]
issue() {
    openssl req -new -config openssl.cnf -key "$3" -subj "/CN=$4" \
        -out csr/req.pem
    openssl ca -batch -notext -config openssl.cnf -name "$1" -extensions "$2" \
        -startdate "${6:-$START}" -enddate "${7:-$END}" -in csr/req.pem -out "$5" 2>csr/ca.log ||
        { cat csr/ca.log >&2; exit 1; }
}
selfsign() { # CA-SECTION KEY CN OUT
    openssl req -new -config openssl.cnf -key "$2" -subj "/CN=$3" -out csr/req.pem
    openssl ca -batch -notext -selfsign -config openssl.cnf -name "$1" -keyfile "$2" \
        -extensions v3_ca -startdate "$START" -enddate "$END" -in csr/req.pem -out "$4" \
        2>csr/ca.log || { cat csr/ca.log >&2; exit 1; }
}

for k in ca rogue-ca kdc alice host host2 other; do key "$k.key"; done
selfsign main ca.key "EXAMPLE.TEST Test CA" ca.pem
selfsign rogue rogue-ca.key "Rogue Test CA" rogue-ca.pem

issue main kdc kdc.key kdc.example.test kdc.pem
issue main kdc_noeku kdc.key kdc.example.test kdc-noeku.pem
issue main kdc_dnsonly_noeku kdc.key kdc.example.test kdc-dnsonly-noeku.pem
issue main kdc_dnsonly kdc.key kdc.example.test kdc-dnsonly.pem
issue main kdc_dnsonly_serverauth kdc.key kdc.example.test kdc-dnsonly-serverauth.pem
issue main kdc_nosan kdc.key kdc.example.test kdc-nosan.pem
issue main kdc kdc.key kdc.example.test kdc-expired.pem "$OLD_START" "$OLD_END"
issue rogue kdc kdc.key kdc.example.test kdc-rogue.pem
issue main kdc kdc.key kdc.example.test kdc-revoked.pem

issue main alice alice.key alice alice.pem
issue main alice alice.key alice alice-expired.pem "$OLD_START" "$OLD_END"
issue rogue alice alice.key alice alice-rogue.pem
issue main alice alice.key alice alice-revoked.pem
issue main alice_noeku alice.key alice alice-noeku.pem
# 3e6: a good certificate whose private key is someone else's.
cp alice.pem alice-wrongkey.pem
cp other.key alice-wrongkey.key
openssl pkey -in alice.key -aes256 -passout pass:1234 -out alice-pin.key

issue main host host.key client.example.test host.pem
issue main host host2.key client.example.test host2.pem
issue main host_nodns host.key client.example.test host-nodns.pem
issue main host_dnsonly host.key client.example.test host-dnsonly.pem
issue main host host.key client.example.test host-expired.pem "$OLD_START" "$OLD_END"

openssl ca -config openssl.cnf -name main -revoke kdc-revoked.pem 2>csr/ca.log ||
    { cat csr/ca.log >&2; exit 1; }
openssl ca -config openssl.cnf -name main -revoke alice-revoked.pem 2>csr/ca.log ||
    { cat csr/ca.log >&2; exit 1; }
openssl ca -config openssl.cnf -name main -gencrl -crl_lastupdate "$START" -crldays 3650 \
    -out ca.crl 2>csr/ca.log || { cat csr/ca.log >&2; exit 1; }
cat ca.pem ca.crl >ca-bundle-with-crl.pem
chmod 600 ./*.key
rm -rf csr
echo "$PKI_VERSION" >"$stamp"
