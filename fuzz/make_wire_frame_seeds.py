#!/usr/bin/env python3
"""Seeds for fuzz/fuzz_wire_frame: valid lsad frames (lsa_core/wire.h), one of each kind
the harness decodes: the requests, the in-call frames, and replies of several shapes.
Each file is a whole frame, the 24-byte header then the payload, as it arrives on the
socket.

Usage: make_wire_frame_seeds.py OUTDIR
"""
import os
import struct
import sys

MAGIC, VERSION, REPLY = 0x5741534C, 2, 0x8000
(CONNECT, DISCONNECT, LOOKUP, CALL, LOGON, ENUM_SESSIONS, SESSION_DATA, TERMINATE,
 ENUM_PACKAGES, CLOSE_TOKEN, TOKEN_IDENTITY) = range(1, 12)
ALLOCATE, FREE, WRITE = 32, 33, 34
RID = (4242 << 32) | 7  # a pid in the upper half, as liblsa does


def frame(kind, payload):
    return struct.pack("<IHHIIQ", MAGIC, VERSION, kind, 0, len(payload), RID) + payload


def s16(text):
    return struct.pack("<H", len(text)) + text


def b32(data):
    return struct.pack("<I", len(data)) + data


LUID = struct.pack("<II", 0x3E7, 0)
ECHO64 = struct.pack("<I", 1) + b"\x5a" * 60
NO_OFFER = struct.pack("<QI", 0, 0)  # address 0, length 0: no buffer offered
OFFER64 = struct.pack("<QI", 0x7F0000005000, 64)

SEEDS = {
    "connect-untrusted": frame(CONNECT, struct.pack("<BB", 0, 0) + s16(b"") + struct.pack("<II", 0, 0)),
    "connect-trusted-logon-id": frame(CONNECT, struct.pack("<BB", 1, 1) + s16(b"sshd") + LUID),
    "disconnect": frame(DISCONNECT, b""),
    "lookup": frame(LOOKUP, s16(b"MICROSOFT_AUTHENTICATION_PACKAGE_V1_0")),
    "call-echo64": frame(CALL, struct.pack("<IIQ", 0, 1234, 0x7F0000001000) + NO_OFFER + b32(ECHO64)),
    "call-echo64-offer": frame(CALL, struct.pack("<IIQ", 0, 1234, 0x7F0000001000) + OFFER64
                               + b32(ECHO64)),
    "logon": frame(LOGON, struct.pack("<III", 1234, 2, 0) + struct.pack("<BB", 0, 1) + s16(b"login")
                   + struct.pack("<Q", 0x7F0000002000) + OFFER64
                   + b32(b"\x02\x00\x00\x00" + b"\x00" * 60)),
    "enumerate-sessions": frame(ENUM_SESSIONS, b""),
    "session-data": frame(SESSION_DATA, LUID),
    "terminate": frame(TERMINATE, LUID),
    "enumerate-packages": frame(ENUM_PACKAGES, b""),
    "close-token": frame(CLOSE_TOKEN, struct.pack("<Q", 3)),
    "token-identity": frame(TOKEN_IDENTITY, struct.pack("<Q", 3)),
    "allocate": frame(ALLOCATE, struct.pack("<I", 64)),
    "free": frame(FREE, struct.pack("<Q", 0x7F0000003000)),
    "write": frame(WRITE, struct.pack("<QI", 0x7F0000003000, 0) + b32(b"\x5a" * 64)),
    "reply-connect": frame(CONNECT | REPLY, struct.pack("<I", 0)),
    "reply-lookup": frame(LOOKUP | REPLY, struct.pack("<II", 0, 2)),
    "reply-call": frame(CALL | REPLY, struct.pack("<IIQII", 0, 0, 0x7F0000003000, 64, 0)),
    "reply-call-offer-taken": frame(CALL | REPLY, struct.pack("<IIQII", 0, 0, 0x7F0000005000, 64, 64)),
    "reply-logon": frame(LOGON | REPLY, struct.pack("<IIQII", 0, 0, 0x7F0000004000, 16, 0) + LUID
                         + struct.pack("<QBII", 5, 1, 1000, 1000)),
    "reply-allocate": frame(ALLOCATE | REPLY, struct.pack("<IQ", 0, 0x7F0000003000)),
    "reply-token-identity": frame(TOKEN_IDENTITY | REPLY, struct.pack("<IBII", 0, 1, 1000, 1000)),
}

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
for name, data in SEEDS.items():
    with open(os.path.join(out, name + ".bin"), "wb") as f:
        f.write(data)
