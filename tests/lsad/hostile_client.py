#!/usr/bin/env python3
"""Hostile and dying clients of lsad (tests/lsad/test_lsad.sh).

usage: hostile_client.py SOCKET KIND
  garbage     bytes that are no frame
  oversized   a header announcing more than LSA_WIRE_MAX_FRAME
  truncated   half a header, then the end
  stall       half a frame, then silence (lsad must drop it after request_timeout)
  noread      a CONNECT and a hundred calls whose replies are never read
  midcall     CONNECT, then a call that makes lsad ALLOCATE; prints "in-call" and waits
              (the test kills it with SIGKILL there)
Prints what lsad did: "closed" when it closed the connection.
"""
import socket
import struct
import sys
import time

MAGIC, VERSION, REPLY = 0x5741534C, 2, 0x8000
CONNECT, CALL_PACKAGE, ALLOCATE = 1, 4, 32


def frame(kind, payload, rid=1):
    return struct.pack("<IHHIIQ", MAGIC, VERSION, kind, 0, len(payload), rid) + payload


def connect_payload():
    # trusted 0, no logon id, empty name, LUID 0
    return struct.pack("<BBH", 0, 0, 0) + struct.pack("<II", 0, 0)


def call_payload(package, submit):
    # no buffer offered (address 0, length 0)
    return struct.pack("<IIQQII", package, 1, 0x10000, 0, 0, len(submit)) + submit


def read_frame(s):
    head = b""
    while len(head) < 24:
        chunk = s.recv(24 - len(head))
        if not chunk:
            return None
        head += chunk
    _, _, kind, _, length, rid = struct.unpack("<IHHIIQ", head)
    body = b""
    while len(body) < length:
        chunk = s.recv(length - len(body))
        if not chunk:
            return None
        body += chunk
    return kind, body


def closed_by_peer(s, timeout):
    s.settimeout(timeout)
    try:
        while True:
            if not s.recv(4096):
                return True
    except socket.timeout:
        return False
    except OSError:
        return True


def main():
    path, kind = sys.argv[1], sys.argv[2]
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    if kind == "garbage":
        s.sendall(b"GET / HTTP/1.0\r\n\r\n" + b"\xff" * 64)
    elif kind == "oversized":
        s.sendall(struct.pack("<IHHIIQ", MAGIC, VERSION, CONNECT, 0, 64 << 20, 1))
    elif kind == "truncated":
        s.sendall(frame(CONNECT, connect_payload())[:10])
        s.shutdown(socket.SHUT_WR)
    elif kind == "stall":
        s.sendall(frame(CONNECT, connect_payload())[:30])
    elif kind == "noread":
        s.sendall(frame(CONNECT, connect_payload()))
        echo = struct.pack("<I", 1) + b"x" * 60000
        try:
            s.settimeout(5)
            for i in range(100):
                s.sendall(frame(CALL_PACKAGE, call_payload(0, echo), rid=2 + i))
        except (socket.timeout, OSError):
            pass
        print("sent")
        sys.stdout.flush()
        time.sleep(30)
        return
    elif kind == "midcall":
        s.sendall(frame(CONNECT, connect_payload()))
        read_frame(s)
        # EchoMessageAllocate: one buffer of 64 bytes
        s.sendall(frame(CALL_PACKAGE, call_payload(0, struct.pack("<IIII", 4, 64, 1, 0)), rid=2))
        f = read_frame(s)
        print("in-call" if f and f[0] == ALLOCATE else "unexpected %r" % (f,))
        sys.stdout.flush()
        time.sleep(60)
        return
    print("closed" if closed_by_peer(s, 10) else "open")


main()
