#!/usr/bin/env python3
"""Drives independent NTLM implementations against the MSV1_0 package (through the lsa
command).  Python only frames NTLMSSP messages (MS-NLMP 2.2.1); every hash and check is
done by the peers and by our package.

  client-to-us LSA USER DOMAIN PASSWORD
      Samba's ntlm_auth (ntlmssp-client-1) answers a challenge MSV1_0 issued; our package
      checks it with a network logon.  Prints lsa's verdict; exit status is lsa's.
  us-to-oracle LSA USER DOMAIN PASSWORD ORACLE_PASSWORD
      MSV1_0 answers a random challenge (lsa ntlm response); Samba's ntlm-server-1 checks
      it against ORACLE_PASSWORD.  Prints its "Authenticated:" line; exit 0 if Yes.
  http-server LSA PORT SECONDS
      An HTTP/1.1 server that authenticates each request with NTLM through our package
      (for curl --ntlm): 200 on success, 401 otherwise.  Stops after SECONDS.
"""
import base64
import http.server
import os
import socketserver
import struct
import subprocess
import sys
import threading

NTLMSSP = b"NTLMSSP\0"
FLAGS = 0xE28A8215  # UNICODE, REQUEST_TARGET, NTLM, ALWAYS_SIGN, ESS, TARGET_INFO, VERSION, 128, KEY_EXCH, 56


def av_pairs(domain, computer):
    out = b""
    for av_id, text in ((2, domain), (1, computer)):
        value = text.encode("utf-16-le")
        out += struct.pack("<HH", av_id, len(value)) + value
    return out + struct.pack("<HH", 0, 0)


def challenge_message(server_challenge, domain, computer="LABHOST"):
    target = domain.encode("utf-16-le")
    info = av_pairs(domain, computer)
    header = 56
    msg = NTLMSSP + struct.pack("<I", 2)
    msg += struct.pack("<HHI", len(target), len(target), header)
    msg += struct.pack("<I", FLAGS) + server_challenge + b"\0" * 8
    msg += struct.pack("<HHI", len(info), len(info), header + len(target))
    msg += b"\x06\x01\xb1\x1d\x00\x00\x00\x0f"  # version
    return msg + target + info


def field(msg, offset):
    length, _, at = struct.unpack_from("<HHI", msg, offset)
    return msg[at:at + length]


def parse_authenticate(msg):
    if msg[:8] != NTLMSSP or struct.unpack_from("<I", msg, 8)[0] != 3:
        raise ValueError("not an NTLMSSP AUTHENTICATE message")
    flags = struct.unpack_from("<I", msg, 60)[0]
    text = (lambda b: b.decode("utf-16-le")) if flags & 1 else (lambda b: b.decode("ascii"))
    return {
        "lm": field(msg, 12).hex(),
        "nt": field(msg, 20).hex(),
        "domain": text(field(msg, 28)),
        "user": text(field(msg, 36)),
    }


class LsaChallenge:
    """`lsa ntlm challenge` without USER: the challenge, then one answer, then a verdict."""

    def __init__(self, lsa):
        self.proc = subprocess.Popen([lsa, "ntlm", "challenge"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        if not line.startswith("challenge: "):
            self.proc.kill()
            raise RuntimeError("lsa ntlm challenge said: %r %s" % (line, self.proc.stderr.read()))
        self.challenge = bytes.fromhex(line.split()[1])

    def answer(self, auth):
        domain = auth["domain"] or "-"
        out, err = self.proc.communicate(
            "%s %s %s %s\n" % (auth["user"], domain, auth["nt"], auth["lm"]), timeout=30)
        return self.proc.returncode, out + err


def smb_conf():
    path = os.path.join(os.environ.get("TMPDIR", "/tmp"), "lsa-interop-smb.conf")
    with open(path, "w") as f:
        f.write("[global]\n  workgroup = LABDOM\n  log level = 0\n")
    return path


def client_to_us(lsa, user, domain, password):
    server = LsaChallenge(lsa)
    helper = subprocess.Popen(
        ["ntlm_auth", "--configfile=" + smb_conf(), "--helper-protocol=ntlmssp-client-1",
         "--username=" + user, "--domain=" + domain, "--password=" + password],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    helper.stdin.write("YR\n")
    helper.stdin.flush()
    helper.stdout.readline()  # YR <negotiate>
    helper.stdin.write("TT %s\n" % base64.b64encode(
        challenge_message(server.challenge, domain)).decode())
    helper.stdin.flush()
    reply = helper.stdout.readline().split()
    helper.stdin.close()
    helper.wait(timeout=30)
    if not reply or reply[0] not in ("AF", "KK"):
        server.proc.kill()
        print("ntlm_auth did not answer the challenge: %r" % reply)
        return 3
    rc, verdict = server.answer(parse_authenticate(base64.b64decode(reply[1])))
    print(verdict, end="")
    return rc


def us_to_oracle(lsa, user, domain, password, oracle_password):
    challenge = os.urandom(8).hex()
    ours = subprocess.run([lsa, "ntlm", "response", "--password-stdin", "--domain", domain,
                           user, challenge], input=password + "\n", capture_output=True,
                          text=True, timeout=30)
    if ours.returncode != 0:
        print("lsa ntlm response failed: " + ours.stderr)
        return 3
    parts = ours.stdout.split()
    request = "Username: %s\nNT-Domain: %s\nLANMAN-Challenge: %s\nNT-Response: %s\n" % (
        user, domain, challenge, parts[0])
    if len(parts) > 1:
        request += "LANMAN-Response: %s\n" % parts[1]
    request += "Request-User-Session-Key: Yes\n.\n"
    oracle = subprocess.run(
        ["ntlm_auth", "--configfile=" + smb_conf(), "--helper-protocol=ntlm-server-1",
         "--password=" + oracle_password], input=request, capture_output=True, text=True,
        timeout=30)
    verdict = [l for l in oracle.stdout.splitlines() if l.startswith("Authenticated:")]
    print(verdict[0] if verdict else "no verdict: " + oracle.stdout + oracle.stderr)
    return 0 if verdict == ["Authenticated: Yes"] else 1


class NtlmHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, code, header=None):
        body = b"ok\n" if code == 200 else b"denied\n"
        self.send_response(code)
        if header:
            self.send_header("WWW-Authenticate", header)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        auth = self.headers.get("Authorization", "")
        if not auth.startswith("NTLM "):
            self.reply(401, "NTLM")
            return
        msg = base64.b64decode(auth[5:])
        kind = struct.unpack_from("<I", msg, 8)[0]
        if kind == 1:
            # The challenge belongs to this TCP connection, as NTLM over HTTP requires.
            self.server_challenge = LsaChallenge(self.server.lsa)
            self.reply(401, "NTLM " + base64.b64encode(
                challenge_message(self.server_challenge.challenge, "LABDOM")).decode())
        elif kind == 3 and getattr(self, "server_challenge", None):
            rc, _ = self.server_challenge.answer(parse_authenticate(msg))
            self.server_challenge = None
            self.reply(200 if rc == 0 else 401)
        else:
            self.reply(401, "NTLM")


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def http_server(lsa, port, seconds):
    server = Server(("127.0.0.1", int(port)), NtlmHandler)
    server.lsa = lsa
    threading.Timer(float(seconds), server.shutdown).start()
    print("listening", flush=True)
    server.serve_forever()
    return 0


if __name__ == "__main__":
    commands = {"client-to-us": client_to_us, "us-to-oracle": us_to_oracle,
                "http-server": http_server}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    sys.exit(commands[sys.argv[1]](*sys.argv[2:]))
