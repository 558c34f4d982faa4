#!/usr/bin/env python3
"""A small FastCGI Responder (stdlib only) for Liso's tests.

    responder.py unix:/path/to.sock|127.0.0.1:0 EVENT_LOG [--close-always]

Prints "listening ADDRESS" once it accepts. Each connection is served on its own thread; FCGI_KEEP_CONN is honoured,
unless --close-always: then every connection closes after its first request, as some applications do.
Every event (connection, request, abort) is appended to EVENT_LOG as one line, for the tests to wait on; "active N"
after each "request" line counts the requests begun and not yet ended (FCGI_END_REQUEST sent) at that moment.
The response depends on PATH_INFO:
  /env          JSON: the params, the body's length and sha256, this connection's number and request count
  /slow?ms=N    waits N ms before answering (an FCGI_ABORT_REQUEST meanwhile ends the request)
  /trickle?ms=N a head, then a byte every 100 ms for N ms
  /big?bytes=N  N bytes of body in 16 KiB STDOUT records, logging "sent N" every 64 KiB
  /wait-abort   a head and a first body part, then waits for FCGI_ABORT_REQUEST
  /stderr       a line on FCGI_STDERR, then a short page
  /nohead       END_REQUEST without any output
  /overloaded   END_REQUEST with protocolStatus FCGI_OVERLOADED
  /badversion   a record of version 2
  /close        a head, part of a body, then the connection closes without END_REQUEST
"""
import hashlib
import json
import os
import select
import socket
import socketserver
import struct
import sys
import threading
import time
import urllib.parse

BEGIN, ABORT, END, PARAMS, STDIN, STDOUT, STDERR = 1, 2, 3, 4, 5, 6, 7
LOG_LOCK = threading.Lock()
CLOSE_ALWAYS = len(sys.argv) > 3 and sys.argv[3] == "--close-always"
CONNECTIONS = [0]
ACTIVE = [0]


def log(line):
    with LOG_LOCK:
        with open(sys.argv[2], "a") as f:
            f.write(line + "\n")


class Aborted(Exception):
    pass


class Conn:
    def __init__(self, sock):
        self.sock = sock
        self.buf = b""

    def read_exact(self, n):
        while len(self.buf) < n:
            data = self.sock.recv(65536)
            if not data:
                raise EOFError
            self.buf += data
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def record(self):
        version, rtype, rid, length, padding, _ = struct.unpack(">BBHHBB", self.read_exact(8))
        content = self.read_exact(length)
        self.read_exact(padding)
        return rtype, rid, content

    def pending_abort(self, timeout):
        """True when an FCGI_ABORT_REQUEST arrives within timeout seconds."""
        if not self.buf:
            ready, _, _ = select.select([self.sock], [], [], timeout)
            if not ready:
                return False
        rtype, _, _ = self.record()
        return rtype == ABORT

    def send(self, rtype, rid, content=b"", version=1):
        for off in range(0, max(len(content), 1), 65535):
            part = content[off:off + 65535]
            pad = (8 - len(part) % 8) % 8
            self.sock.sendall(struct.pack(">BBHHBB", version, rtype, rid, len(part), pad, 0) + part + b"\0" * pad)
            if not content:
                break

    def end(self, rid, app_status=0, protocol_status=0):
        with LOG_LOCK:
            ACTIVE[0] -= 1  # before END_REQUEST leaves: the server cannot begin another request on it earlier
        self.send(END, rid, struct.pack(">IB3x", app_status, protocol_status))


def pairs(data):
    out, i = {}, 0
    while i < len(data):
        lengths = []
        for _ in range(2):
            if data[i] < 128:
                lengths.append(data[i])
                i += 1
            else:
                lengths.append(struct.unpack(">I", data[i:i + 4])[0] & 0x7FFFFFFF)
                i += 4
        name = data[i:i + lengths[0]].decode()
        i += lengths[0]
        out[name] = data[i:i + lengths[1]].decode()
        i += lengths[1]
    return out


def respond(conn, rid, params, body, number, served):
    path = params.get("PATH_INFO", "")
    query = urllib.parse.parse_qs(params.get("QUERY_STRING", ""))
    if path == "/env":
        page = json.dumps({"params": params, "length": len(body), "sha256": hashlib.sha256(body).hexdigest(),
                           "connection": number, "served": served}).encode()
        conn.send(STDOUT, rid, b"Content-Type: application/json\r\n\r\n" + page)
    elif path == "/slow":
        if conn.pending_abort(int(query["ms"][0]) / 1000):
            raise Aborted
        conn.send(STDOUT, rid, b"Content-Type: text/plain\r\n\r\nslow done\n")
    elif path == "/trickle":
        conn.send(STDOUT, rid, b"Content-Type: text/plain\r\n\r\n")
        for _ in range(int(query["ms"][0]) // 100):
            time.sleep(0.1)
            conn.send(STDOUT, rid, b".")
    elif path == "/big":
        total = int(query["bytes"][0])
        conn.send(STDOUT, rid, b"Content-Type: application/octet-stream\r\nContent-Length: %d\r\n\r\n" % total)
        block = bytes(range(256)) * 64
        sent = 0
        while sent < total:
            n = min(len(block), total - sent)
            conn.send(STDOUT, rid, block[:n])
            sent += n
            if sent % (1 << 16) == 0:
                log("sent %d" % sent)
    elif path == "/wait-abort":
        conn.send(STDOUT, rid, b"Content-Type: text/plain\r\n\r\nfirst part\n")
        while not conn.pending_abort(30):
            pass
        raise Aborted
    elif path == "/stderr":
        conn.send(STDERR, rid, b"responder warning: something to log\n")
        conn.send(STDOUT, rid, b"Content-Type: text/plain\r\n\r\nlogged\n")
    elif path == "/nohead":
        pass
    elif path == "/overloaded":
        conn.end(rid, 0, 2)
        return
    elif path == "/badversion":
        conn.send(STDOUT, rid, b"Content-Type: text/plain\r\n\r\nx", version=2)
        return
    elif path == "/close":
        conn.send(STDOUT, rid, b"Content-Type: text/plain\r\nContent-Length: 100\r\n\r\npartial")
        conn.sock.shutdown(socket.SHUT_RDWR)
        raise EOFError
    else:
        conn.send(STDOUT, rid, b"Status: 404 Not Found\r\nContent-Type: text/plain\r\n\r\nno such page\n")
    conn.send(STDOUT, rid)
    conn.end(rid)


class Handler(socketserver.BaseRequestHandler):
    def handle(self):
        with LOG_LOCK:
            CONNECTIONS[0] += 1
            number = CONNECTIONS[0]
        log("connection %d" % number)
        conn = Conn(self.request)
        served = 0
        try:
            while True:
                rtype, rid, content = conn.record()
                if rtype != BEGIN:
                    continue
                keep = content[2] & 1
                params, body = b"", b""
                while True:
                    rtype, _, content = conn.record()
                    if rtype == PARAMS:
                        params += content
                    elif rtype == STDIN:
                        if not content:
                            break
                        body += content
                    elif rtype == ABORT:
                        raise Aborted
                served += 1
                p = pairs(params)
                with LOG_LOCK:
                    ACTIVE[0] += 1
                    active = ACTIVE[0]
                log("request %d %s" % (number, p.get("PATH_INFO", "")))
                log("active %d" % active)
                try:
                    respond(conn, rid, p, body, number, served)
                except Aborted:
                    log("abort %d" % number)
                    conn.end(rid, 1)
                if not keep or CLOSE_ALWAYS:
                    break
        except (EOFError, ConnectionError):
            pass
        except Aborted:
            log("abort %d" % number)
        log("closed %d" % number)


class UnixServer(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True
    request_queue_size = 128  # php-fpm's listen.backlog is 511; a full Unix-socket backlog refuses connects


class TcpServer(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128


def main():
    where = sys.argv[1]
    if where.startswith("unix:"):
        server = UnixServer(where[5:], Handler)
        shown = where
    else:
        host, port = where.rsplit(":", 1)
        server = TcpServer((host, int(port)), Handler)
        shown = "%s:%d" % server.server_address[:2]
    print("listening " + shown, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
