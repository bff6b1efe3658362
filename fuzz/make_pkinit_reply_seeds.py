#!/usr/bin/env python3
"""Seeds for fuzz/fuzz_pkinit_reply: hand-built PKINIT AS-REPs (RFC 4120 / RFC 4556), as
kdc_cert_check.c parses them:

  AS-REP ::= [APPLICATION 11] SEQUENCE { pvno [0] 5, msg-type [1] 11,
      padata [2] SEQUENCE OF PA-DATA, crealm [3], cname [4], ticket [5], enc-part [6] }
  PA-DATA ::= SEQUENCE { padata-type [1] INTEGER, padata-value [2] OCTET STRING }
  PA-PK-AS-REP (17) ::= [0] { SEQUENCE { dhSignedData [0] IMPLICIT OCTET STRING } }

dhSignedData is a CMS SignedData made with `openssl cms -sign` (eContent: dummy
KDCDHKeyInfo bytes) by a KDC certificate with id-pkinit-KPKdc issued by a throwaway CA,
whose certificate the harness trusts (KDC_CA_PEM in fuzz_pkinit_reply.c: paste
CA_OUT there when you regenerate).  Tickets and enc-part are dummies: nothing here
reads them.  Needs openssl (3.x).

Usage: make_pkinit_reply_seeds.py OUTDIR CA_OUT   (the seeds into OUTDIR, the CA's PEM to CA_OUT)
"""
import os
import subprocess
import sys
import tempfile


def der(tag, content):
    n = len(content)
    if n < 0x80:
        length = bytes([n])
    else:
        b = n.to_bytes((n.bit_length() + 7) // 8, "big")
        length = bytes([0x80 | len(b)]) + b
    return bytes([tag]) + length + content


def integer(v):
    return der(0x02, v.to_bytes(max(1, (v.bit_length() + 8) // 8), "big"))


def seq(*parts):
    return der(0x30, b"".join(parts))


def ctx(n, content):  # [n] constructed, explicit
    return der(0xA0 | n, content)


def gstring(s):
    return der(0x1B, s.encode())


def principal(*names):
    return seq(ctx(0, integer(1)), ctx(1, seq(*[gstring(x) for x in names])))


def as_rep(padata):
    ticket = der(0x61, seq(ctx(0, integer(5)), ctx(1, gstring("FUZZ.TEST")),
                           ctx(2, principal("krbtgt", "FUZZ.TEST")),
                           ctx(3, seq(ctx(0, integer(18)), ctx(2, der(0x04, b"\0" * 16))))))
    enc = seq(ctx(0, integer(18)), ctx(1, integer(1)), ctx(2, der(0x04, b"\0" * 16)))
    return der(0x6B, seq(ctx(0, integer(5)), ctx(1, integer(11)),
                         ctx(2, seq(*padata)), ctx(3, gstring("FUZZ.TEST")),
                         ctx(4, principal("alice")), ctx(5, ticket), ctx(6, enc)))


def pa(kind, value):
    return seq(ctx(1, integer(kind)), ctx(2, der(0x04, value)))


def pk_as_rep(signed_data):  # dhInfo [0] { SEQUENCE { [0] IMPLICIT OCTET STRING } }
    return ctx(0, seq(der(0x80, signed_data)))


def run(*args, cwd):
    subprocess.run(args, cwd=cwd, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)


def main():
    out = os.path.abspath(sys.argv[1])
    os.makedirs(out, exist_ok=True)
    with tempfile.TemporaryDirectory() as t:
        ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]
        run("openssl", "req", "-x509", *ec, "-keyout", "ca.key", "-out", "ca.pem",
            "-subj", "/CN=fuzz KDC CA", "-days", "3650",
            "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign", cwd=t)
        with open(os.path.join(t, "kdc.ext"), "w") as f:
            f.write("extendedKeyUsage=1.3.6.1.5.2.3.5\nkeyUsage=digitalSignature\n")
        with open(os.path.join(t, "noeku.ext"), "w") as f:
            f.write("keyUsage=digitalSignature\n")
        for name, ext, days in (("kdc", "kdc.ext", "3650"), ("noeku", "noeku.ext", "3650")):
            run("openssl", "req", "-new", *ec, "-keyout", name + ".key", "-out", name + ".csr",
                "-subj", "/CN=" + name, cwd=t)
            run("openssl", "x509", "-req", "-in", name + ".csr", "-CA", "ca.pem",
                "-CAkey", "ca.key", "-CAcreateserial", "-days", days, "-extfile", ext,
                "-out", name + ".pem", cwd=t)
        with open(os.path.join(t, "content"), "wb") as f:
            f.write(seq(ctx(0, der(0x03, b"\0" + b"\x01" * 32)), ctx(1, integer(0))))
        signed = {}
        for name in ("kdc", "noeku"):
            run("openssl", "cms", "-sign", "-binary", "-nodetach", "-nosmimecap",
                "-in", "content", "-signer", name + ".pem", "-inkey", name + ".key",
                "-econtent_type", "1.3.6.1.5.2.3.2", "-outform", "DER",
                "-out", name + ".cms", cwd=t)
            with open(os.path.join(t, name + ".cms"), "rb") as f:
                signed[name] = f.read()
        with open(os.path.join(t, "ca.pem"), "rb") as f:
            ca = f.read()
    seeds = {
        "pkinit-kdc-eku": as_rep([pa(17, pk_as_rep(signed["kdc"]))]),
        "pkinit-no-kdc-eku": as_rep([pa(17, pk_as_rep(signed["noeku"]))]),
        "pkinit-after-etype-info2": as_rep([pa(19, seq(seq(ctx(0, integer(18))))),
                                            pa(17, pk_as_rep(signed["kdc"]))]),
        "password-reply": as_rep([pa(19, seq(seq(ctx(0, integer(18)))))]),
        "enc-key-pack": as_rep([pa(17, der(0x81, signed["kdc"]))]),
    }
    for name, data in seeds.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
    with open(sys.argv[2], "wb") as f:
        f.write(ca)


if __name__ == "__main__":
    main()
