"""Several requests on one http.client connection against liso serve; prints one JSON line per response.

Usage: one_connection.py PORT  (run by CurlIT; the same socket must carry every request)
"""
import http.client
import json
import sys

conn = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]), timeout=10)
sockets = set()


def ask(method, path, headers=None, body=None):
    conn.request(method, path, body=body, headers=headers or {})
    sockets.add(id(conn.sock))
    r = conn.getresponse()
    data = r.read()
    print(json.dumps({"method": method, "path": path, "status": r.status, "length": len(data),
                      "body": data.decode("latin-1") if len(data) < 200 else "",
                      "etag": r.getheader("ETag"), "range": r.getheader("Content-Range"),
                      "connection": r.getheader("Connection"), "sockets": len(sockets)}))
    return r


first = ask("GET", "/hello.txt")
ask("HEAD", "/hello.txt")
ask("GET", "/hello.txt", {"Range": "bytes=0-4"})
ask("GET", "/hello.txt", {"If-None-Match": first.getheader("ETag")})
ask("GET", "/missing.txt")
ask("POST", "/hello.txt", {"Content-Type": "text/plain"}, b"a body the server must drain")
ask("GET", "/big.bin")
ask("GET", "/hello.txt")
conn.close()
