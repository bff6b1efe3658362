#!/usr/bin/env python3
"""An lsad that lies about the buffer a call offered (tests/lsad/test_lsad_offer.c).

usage: fake_lsad.py SOCKET MODE
Serves one connection: CONNECT, LOOKUP_PACKAGE (package 0), then CALL_PACKAGEs.  A call
that offers no buffer is answered as lsad answers a 64-byte EchoMessageAllocate without
an offer: an ALLOCATE of 64 bytes, a WRITE of 64 bytes 0xa5 into it, the reply returning
it.  A call
that offers a buffer is answered according to MODE:
  taken       takes it as lsad does: a WRITE of 0xa5 into it, the reply returning it
              with offer_used = its length
  overclaim   the same, but the reply claims one byte more than was offered
  untaken     returns the offered buffer while saying offer_used = 0
Prints "offer LENGTH" for each offer seen, and "fake lsad: ..." on a protocol surprise.
"""
import os
import socket
import struct
import sys

MAGIC, VERSION, REPLY = 0x5741534C, 2, 0x8000
CONNECT, LOOKUP, CALL = 1, 3, 4
ALLOCATE, WRITE = 32, 34


def frame(kind, payload, rid):
    return struct.pack("<IHHIIQ", MAGIC, VERSION, kind, 0, len(payload), rid) + payload


def read_exact(s, n):
    data = b""
    while len(data) < n:
        chunk = s.recv(n - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def read_frame(s):
    head = read_exact(s, 24)
    if head is None:
        return None
    magic, version, kind, _, length, rid = struct.unpack("<IHHIIQ", head)
    if magic != MAGIC or version != VERSION:
        print("fake lsad: bad header")
        return None
    return kind, read_exact(s, length), rid


def call_reply(buffer, length, used):
    # status, protocol status, buffer, buffer length, offer_used
    return struct.pack("<IIQII", 0, 0, buffer, length, used)


def write(address, fill, length):
    return struct.pack("<QII", address, 0, length) + bytes([fill]) * length


def serve_call(s, payload, rid, mode):
    _package, _thread, _base, offer, offer_length = struct.unpack("<IIQQI", payload[:28])
    if offer == 0:
        s.sendall(frame(ALLOCATE, struct.pack("<I", 64), rid))
        answer = read_frame(s)
        if answer is None or answer[0] != ALLOCATE | REPLY:
            print("fake lsad: no ALLOCATE answer")
            return False
        status, address = struct.unpack("<IQ", answer[1])
        s.sendall(frame(WRITE, write(address, 0xA5, 64), rid)
                  + frame(CALL | REPLY, call_reply(address, 64, 0), rid))
        return True
    print("offer %d" % offer_length)
    sys.stdout.flush()
    used = {"taken": offer_length, "overclaim": offer_length + 1, "untaken": 0}[mode]
    s.sendall(frame(WRITE, write(offer, 0xA5, offer_length), rid)
              + frame(CALL | REPLY, call_reply(offer, offer_length, used), rid))
    return True


def main():
    path, mode = sys.argv[1], sys.argv[2]
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(4)
    listener.settimeout(30)
    s, _ = listener.accept()
    s.settimeout(30)
    while True:
        f = read_frame(s)
        if f is None:
            break
        kind, payload, rid = f
        if kind == CONNECT:
            s.sendall(frame(CONNECT | REPLY, struct.pack("<I", 0), rid))
        elif kind == LOOKUP:
            s.sendall(frame(LOOKUP | REPLY, struct.pack("<II", 0, 0), rid))
        elif kind == CALL:
            if not serve_call(s, payload, rid, mode):
                break
        else:
            print("fake lsad: unexpected frame type %d" % kind)
            break
    s.close()
    listener.close()
    os.unlink(path)


main()
