#!/usr/bin/env python3
"""Client side of CgiIT: the flows curl cannot express. Prints results on stdout, exits non-zero on failure."""
import http.client
import socket
import sys


def pipeline(port):
    """Three requests in one write; the CGI answers in the middle must keep their order."""
    reqs = b"".join([
        b"GET /cgi/status HTTP/1.1\r\nHost: t\r\n\r\n",
        b"GET /cgi/nph HTTP/1.1\r\nHost: t\r\n\r\n",
        b"GET /cgi/env HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
    ])
    s = socket.create_connection(("127.0.0.1", port), timeout=20)
    s.sendall(reqs)
    data = b""
    while True:
        b = s.recv(65536)
        if not b:
            break
        data += b
    s.close()
    sys.stdout.write(data.decode("latin-1"))


def disconnect(port):
    """Reads part of an endless CGI response, then hangs up."""
    s = socket.create_connection(("127.0.0.1", port), timeout=20)
    s.sendall(b"GET /cgi/endless HTTP/1.1\r\nHost: t\r\n\r\n")
    got = 0
    while got < 300000:
        b = s.recv(65536)
        if not b:
            break
        got += len(b)
    s.close()
    print(got)


def hold(port):
    """Opens an endless CGI response and does not read it; waits for a line on stdin before hanging up."""
    s = socket.create_connection(("127.0.0.1", port), timeout=20)
    s.sendall(b"GET /cgi/endless HTTP/1.1\r\nHost: t\r\n\r\n")
    s.recv(100)
    print("holding", flush=True)
    sys.stdin.readline()
    s.close()


def mixed(port, n):
    """n requests on keep-alive connections, failures mixed in; prints a count per status."""
    paths = ["/cgi/env", "/cgi/crash", "/cgi/garbage", "/cgi/status", "/cgi/nph", "/cgi/silent", "/cgi/echo"]
    counts = {}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for i in range(n):
        path = paths[i % len(paths)]
        if path == "/cgi/echo":
            conn.request("POST", path, body=b"x" * 1000, headers={"Content-Type": "application/octet-stream"})
        else:
            conn.request("GET", path)
        r = conn.getresponse()
        body = r.read()
        if path == "/cgi/echo" and body != b"x" * 1000:
            raise SystemExit("echo mismatch at %d" % i)
        counts[r.status] = counts.get(r.status, 0) + 1
        if r.getheader("Connection", "").lower() == "close" or r.will_close:
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.close()
    print(" ".join("%d=%d" % kv for kv in sorted(counts.items())))


def wsgi(port):
    """The WSGI app's flow: form, POST that sets a cookie and redirects, the page that reads the cookie."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    conn.request("GET", "/cgi/form")
    r = conn.getresponse()
    assert r.status == 200 and b"<form" in r.read(), "form"
    conn.request("POST", "/cgi/submit", body="name=Grace+%3CH%3E",
                 headers={"Content-Type": "application/x-www-form-urlencoded"})
    r = conn.getresponse()
    r.read()
    assert r.status == 303, r.status
    location = r.getheader("Location")
    cookie = r.getheader("Set-Cookie").split(";")[0]
    conn.request("GET", location, headers={"Cookie": cookie})
    r = conn.getresponse()
    print(r.status, location, cookie, r.read().decode("utf-8"))


if __name__ == "__main__":
    cmd, port = sys.argv[1], int(sys.argv[2])
    if cmd == "mixed":
        mixed(port, int(sys.argv[3]))
    else:
        globals()[cmd](port)
