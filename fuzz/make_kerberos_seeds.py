#!/usr/bin/env python3
"""Seeds for fuzz/fuzz_kerberos: valid submit buffers of every kind, x64 layouts of
<lsa/ntsecapi_kerberos.h>, each preceded by the harness's selector byte (kind in bits
0-4, 0x20 untrusted, 0x40 live, 0x80 raw MaximumLength; see fuzz/fuzz_kerberos.c).

A pointer (UNICODE_STRING.Buffer, PUCHAR) is written as its offset into the buffer: the
harness rewrites it to base + (value mod (length + 1)), i.e. to the string.  The Buffers
and CspData of KERB_CERTIFICATE_LOGON are offsets already (spec §5.3).

Usage: make_kerberos_seeds.py OUTDIR
"""
import os
import struct
import sys

KINDS = ["interactive", "interactive-service", "unlock", "unlock-service", "certificate",
         "certificate-service", "certificate-unlock", "certificate-unlock-service",
         "logon-any-type", "call", "call-any-type"]
UNTRUSTED, LIVE = 0x20, 0x40


class Buf:
    """A fixed part (the structure) followed by the strings it points to."""

    def __init__(self, size):
        self.fixed = bytearray(size)
        self.tail = bytearray()

    def u32(self, off, v):
        struct.pack_into("<I", self.fixed, off, v & 0xFFFFFFFF)

    def u64(self, off, v):
        struct.pack_into("<Q", self.fixed, off, v)

    def data(self, raw):
        at = len(self.fixed) + len(self.tail)
        self.tail += raw
        return at

    def ustr(self, off, text):  # UNICODE_STRING: Length, MaximumLength, pad, Buffer
        raw = text.encode("utf-16-le")
        at = self.data(raw) if raw else 0
        struct.pack_into("<HHIQ", self.fixed, off, len(raw), len(raw), 0, at)

    def blob(self, length_off, ptr_off, raw):  # ULONG length + PUCHAR
        self.u32(length_off, len(raw))
        self.u64(ptr_off, self.data(raw))

    def bytes(self):
        return bytes(self.fixed + self.tail)


def interactive(kind, domain, user, password, unlock=False):
    b = Buf(64 if unlock else 56)
    b.u32(0, 7 if unlock else 2)
    b.ustr(8, domain)
    b.ustr(24, user)
    b.ustr(40, password)
    if unlock:
        b.u32(56, 0x3E7)
    return b.bytes()


def certificate(domain, user, pin, identity, unlock=False):
    b = Buf(80 if unlock else 72)
    b.u32(0, 15 if unlock else 13)
    b.ustr(8, domain)
    b.ustr(24, user)
    b.ustr(40, pin)
    if identity:
        b.blob(60, 64, identity.encode())
    if unlock:
        b.u32(72, 0x3E7)
    return b.bytes()


def luid_msg(type_, size, luid_off):
    b = Buf(size)
    b.u32(0, type_)
    b.u32(luid_off, 0x3E7)
    return b


def messages():
    """One valid request per KERB_PROTOCOL_MESSAGE_TYPE 0..40."""
    m = {}
    for t in range(41):
        m[t] = Buf(8)  # MessageType + padding: the types without a structure
        m[t].u32(0, t)
    for t in (1, 14, 20, 25):  # KERB_QUERY_TKT_CACHE_REQUEST
        m[t] = luid_msg(t, 12, 4)
    for t in (4, 8):  # KERB_RETRIEVE_TKT_REQUEST
        b = luid_msg(t, 64, 4)
        b.ustr(16, "krbtgt/FUZZ.TEST")
        b.u32(36, 0x1)
        b.u32(40, 18)
        m[t] = b
    b = luid_msg(6, 48, 4)
    b.ustr(16, "krbtgt/FUZZ.TEST")
    b.ustr(32, "FUZZ.TEST")
    m[6] = b
    b = Buf(80)
    b.u32(0, 7)
    for off, s in ((8, "FUZZ.TEST"), (24, "alice"), (40, "alicepw"), (56, "newpw123!")):
        b.ustr(off, s)
    m[7] = b
    b = luid_msg(9, 64, 4)  # KERB_DECRYPT_REQUEST
    b.u32(16, 18)
    b.u32(20, 2)
    b.u32(24, 18)
    b.blob(28, 32, b"\x11" * 32)
    b.u32(40, 48)
    b.u32(44, 16)
    b.u64(48, b.data(b"\x00" * 16))
    b.u64(56, b.data(b"\x22" * 48))
    m[9] = b
    for t in (10, 27):  # binding cache entry (Ex adds DcFlags)
        b = Buf(48)
        b.u32(0, t)
        b.ustr(8, "FUZZ.TEST")
        b.ustr(24, "127.0.0.1")
        b.u32(40, 1)
        m[t] = b
    b = luid_msg(11, 88, 4)
    b.ustr(40, "FUZZ.TEST")
    b.ustr(56, "bob")
    b.ustr(72, "bobpw2")
    m[11] = b
    b = luid_msg(12, 152, 4)
    for off, s in ((40, "FUZZ.TEST"), (56, "bob"), (72, "bobpw2"), (88, "FUZZ.TEST"),
                   (104, "admin/admin"), (128, "127.0.0.1")):
        b.ustr(off, s)
    b.u32(144, 1)
    m[12] = b
    b = luid_msg(15, 112, 4)  # purge ex: template at 16
    b.ustr(16, "alice")
    b.ustr(32, "FUZZ.TEST")
    b.ustr(48, "krbtgt/FUZZ.TEST")
    b.ustr(64, "FUZZ.TEST")
    m[15] = b
    b = luid_msg(16, 32, 24)
    b.ustr(8, "FILE:/nonexistent.pem")
    m[16] = b
    for t in (17, 22):
        b = Buf(72 if t == 17 else 80 + 16 * 2)
        b.u32(0, t)
        b.ustr(8, "alice")
        b.ustr(24, "FUZZ.TEST")
        b.ustr(40, "alicepw")
        b.u32(56, 0x3E7)
        b.u32(64, 1)
        if t == 22:
            b.u32(72, 2)
            b.ustr(80, "host/a.fuzz.test")
            b.ustr(96, "cifs/a.fuzz.test")
        m[t] = b
    b = Buf(24)
    b.u32(0, 19)
    b.u32(4, 0x3E7)
    b.u32(12, 0x3E4)
    b.u32(20, 1)
    m[19] = b
    b = luid_msg(21, 36, 4)  # KERB_SUBMIT_TKT_REQUEST: Key and KRB-CRED by offset
    key = b.data(b"\x33" * 32)
    cred = b.data(bytes.fromhex("7603020100"))  # a truncated KRB-CRED
    b.u32(16, 18)
    b.u32(20, 32)
    b.u32(24, key)
    b.u32(28, 5)
    b.u32(32, cred)
    m[21] = b
    for t in (23, 24, 33):
        m[t] = luid_msg(t, 16, 8)
    m[26] = luid_msg(26, 12, 4)
    m[36] = luid_msg(36, 12, 4)
    b = Buf(48)
    b.u32(0, 30)
    b.ustr(8, "FUZZ.TEST")
    b.ustr(24, "127.0.0.1:1")
    m[30] = b
    b = Buf(24)
    b.u32(0, 32)
    b.ustr(8, "FUZZ.TEST")
    m[32] = b
    b = Buf(56)
    b.u32(0, 34)
    b.ustr(8, "alice")
    b.ustr(24, "FUZZ.TEST")
    b.ustr(40, "alicepw")
    m[34] = b
    for t in (31, 35):
        b = Buf(8)
        b.u32(0, t)
        b.u32(4, 1)
        m[t] = b
    return {t: b.bytes() for t, b in m.items()}


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    k = {name: i for i, name in enumerate(KINDS)}
    seeds = {
        "interactive": (k["interactive"], interactive(0, "FUZZ.TEST", "alice", "alicepw")),
        "interactive-upn": (k["interactive"], interactive(0, "", "alice@FUZZ.TEST", "pw")),
        "interactive-untrusted": (k["interactive"] | UNTRUSTED,
                                  interactive(0, "FUZZ.TEST", "alice", "alicepw")),
        "interactive-other-realm": (k["interactive"], interactive(0, "OTHER.TEST", "bob", "x")),
        "machine-keytab": (k["interactive-service"], interactive(0, "", "", "")),
        "machine-named": (k["interactive-service"],
                          interactive(0, "", "host/fuzz.fuzz.test@FUZZ.TEST", "")),
        "machine-untrusted": (k["interactive-service"] | UNTRUSTED, interactive(0, "", "", "")),
        "service-user": (k["interactive-service"], interactive(0, "FUZZ.TEST", "svc", "svcpw")),
        "unlock": (k["unlock"], interactive(0, "FUZZ.TEST", "alice", "alicepw", True)),
        "unlock-service": (k["unlock-service"], interactive(0, "", "", "", True)),
        "certificate-config-identity": (k["certificate"] | LIVE,
                                        certificate("FUZZ.TEST", "alice", "1234", None)),
        "certificate-csp-identity": (k["certificate"],
                                     certificate("FUZZ.TEST", "alice", "1234",
                                                 "FILE:/nonexistent/a.pem,/nonexistent/a.key")),
        "certificate-pkcs11": (k["certificate"],
                               certificate("", "alice@FUZZ.TEST", "", "PKCS11:slotid=0")),
        "device-config-identity": (k["certificate-service"] | LIVE,
                                   certificate("", "", "", None)),
        "device-csp-pkcs12": (k["certificate-service"],
                              certificate("", "", "pw", "PKCS12:/nonexistent.p12")),
        "certificate-unlock": (k["certificate-unlock"] | LIVE,
                               certificate("FUZZ.TEST", "alice", "1234", None, True)),
        "certificate-unlock-service": (k["certificate-unlock-service"] | LIVE,
                                       certificate("", "", "", None, True)),
    }
    # logon-any-type: the logon type rides in bytes [4, 8) (the padding after MessageType).
    for submit, logon_type in ((interactive(0, "FUZZ.TEST", "alice", "pw"), 3),
                               (interactive(0, "FUZZ.TEST", "alice", "pw"), 4),
                               (struct.pack("<II", 12, 2) + bytes(32), 3),  # KerbS4ULogon
                               (struct.pack("<II", 10, 3) + bytes(24), 3),  # KerbTicketLogon
                               (struct.pack("<II", 6, 2) + bytes(32), 2)):  # KerbSmartCardLogon
        data = bytearray(submit)
        struct.pack_into("<I", data, 4, logon_type)
        seeds["logon-any-%d-type-%d" % (struct.unpack_from("<I", data)[0], logon_type)] = (
            k["logon-any-type"], bytes(data))
    for t, data in messages().items():
        seeds["call-%02d" % t] = (k["call"], data)
        seeds["call-%02d-live-untrusted" % t] = (k["call"] | LIVE | UNTRUSTED, data)
    seeds["call-any-type-1000"] = (k["call-any-type"], struct.pack("<II", 1000, 0))
    for name, (selector, data) in seeds.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(bytes([selector]) + data)


if __name__ == "__main__":
    main()
