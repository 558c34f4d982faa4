#!/usr/bin/env python3
"""Steady mixed load for scripts/soak.sh: static GETs, Range GETs, HEADs, 404s and malformed requests (and TLS GETs
when an https URL is given) from worker threads, each checking every response against the files on disk.
Prints one JSON line of counts at the end. Usage: soak_client.py ROOT HTTP_PORT SECONDS WORKERS [HTTPS_PORT]"""
import json, os, random, socket, ssl, sys, threading, time

root, port, seconds, workers = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
tls_port = int(sys.argv[5]) if len(sys.argv) > 5 and sys.argv[5] else None
files = {}
for name in sorted(os.listdir(root)):
    p = os.path.join(root, name)
    if os.path.isfile(p):
        with open(p, "rb") as f:
            files["/" + name] = f.read()
names = sorted(files)
lock = threading.Lock()
counts = {"ok": 0, "wrong": 0, "io_errors": 0, "by_kind": {}}
problems = []
MALFORMED = [b"GET / HTTP/1.1\r\nHost : a\r\n\r\n", b"GET  / HTTP/1.1\r\nHost: a\r\n\r\n",
             b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
             b"GET / HTTP/1.1\r\nHost: a\r\nX: a\x00b\r\n\r\n", b"GET / http/1.1\r\nHost: a\r\n\r\n"]


def record(kind, good, why=None):
    with lock:
        counts["ok" if good else "wrong"] += 1
        k = counts["by_kind"].setdefault(kind, [0, 0])
        k[0 if good else 1] += 1
        if not good and len(problems) < 20:
            problems.append(kind + ": " + str(why))


class Conn:
    def __init__(self, tls):
        s = socket.create_connection(("127.0.0.1", tls_port if tls else port), timeout=10)
        if tls:
            ctx = ssl.create_default_context()
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
            s = ctx.wrap_socket(s, server_hostname="localhost")
        self.s, self.buf = s, b""

    def fill(self):
        d = self.s.recv(1 << 16)
        if not d:
            raise EOFError("server closed")
        self.buf += d

    def response(self, head_only=False):
        while b"\r\n\r\n" not in self.buf:
            self.fill()
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ")[1])
        h = {}
        for l in lines[1:]:
            k, v = l.split(":", 1)
            h[k.strip().lower()] = v.strip()
        n = 0 if head_only or status == 304 else int(h.get("content-length", "0"))
        while len(self.buf) < n:
            self.fill()
        body, self.buf = self.buf[:n], self.buf[n:]
        return status, h, body

    def close(self):
        self.s.close()


def worker(seed, deadline):
    rnd = random.Random(seed)
    conn = None
    while time.time() < deadline:
        kind = rnd.choice(["get", "get", "get", "range", "head", "missing", "malformed"]
                          + (["tls"] if tls_port else []))
        try:
            if kind == "malformed":
                c = Conn(False)
                c.s.sendall(rnd.choice(MALFORMED))
                status, _, _ = c.response()
                try:
                    closed = c.s.recv(1) == b""
                except OSError:
                    closed = True
                c.close()
                record(kind, status == 400 and closed, (status, closed))
                continue
            if kind == "tls":
                c = Conn(True)
                name = rnd.choice(names)
                c.s.sendall(("GET %s HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n" % name).encode())
                status, _, body = c.response()
                c.close()
                record(kind, status == 200 and body == files[name], (name, status, len(body)))
                continue
            if conn is None:
                conn = Conn(False)
            name = rnd.choice(names if kind != "range" else [n for n in names if files[n]])
            data = files[name]
            if kind == "get":
                conn.s.sendall(("GET %s HTTP/1.1\r\nHost: a\r\n\r\n" % name).encode())
                status, _, body = conn.response()
                record(kind, status == 200 and body == data, (name, status, len(body)))
            elif kind == "head":
                conn.s.sendall(("HEAD %s HTTP/1.1\r\nHost: a\r\n\r\n" % name).encode())
                status, h, _ = conn.response(head_only=True)
                record(kind, status == 200 and int(h["content-length"]) == len(data), (name, status))
            elif kind == "missing":
                conn.s.sendall(b"GET /no-such-file HTTP/1.1\r\nHost: a\r\n\r\n")
                status, _, _ = conn.response()
                record(kind, status == 404, status)
            else:
                a = rnd.randrange(len(data))
                b = rnd.randrange(a, len(data))
                conn.s.sendall(("GET %s HTTP/1.1\r\nHost: a\r\nRange: bytes=%d-%d\r\n\r\n" % (name, a, b)).encode())
                status, h, body = conn.response()
                record(kind, status == 206 and body == data[a:b + 1]
                       and h.get("content-range") == "bytes %d-%d/%d" % (a, b, len(data)), (name, a, b, status))
            if rnd.random() < 0.02:
                conn.close()
                conn = None
        except (OSError, EOFError, ValueError, KeyError, IndexError) as e:
            with lock:
                counts["io_errors"] += 1
                if len(problems) < 20:
                    problems.append(kind + ": " + repr(e))
            if conn is not None:
                conn.close()
            conn = None
    if conn is not None:
        conn.close()


deadline = time.time() + seconds
threads = [threading.Thread(target=worker, args=(i, deadline)) for i in range(workers)]
for t in threads:
    t.start()
for t in threads:
    t.join()
counts["problems"] = problems
print(json.dumps(counts))
