#!/usr/bin/env python3
# A CGI script that ends in every way a script can end, for CgiGzipEndingsIT. QUERY_STRING names the way; the body
# is body.txt from the script's own directory (written by the test), or the first N bytes of it ("mode-N").
# Pacing here shapes the script's own output (how the server's reads see it); the test never sleeps.
import fcntl
import os
import struct
import sys
import termios
import time

HERE = os.path.dirname(os.path.abspath(__file__))
query = os.environ.get("QUERY_STRING", "")
mode, _, count = query.partition("-")
data = open(os.path.join(HERE, "body.txt"), "rb").read()
if count:
    data = data[:int(count)]
out = sys.stdout.buffer


def head(extra=b""):
    out.write(b"Content-Type: text/plain\r\n" + extra + b"\r\n")
    out.flush()


def pipe_drained():
    """Waits until the server has read all that is in the stdout pipe (FIONREAD works on either end on Linux)."""
    deadline = time.monotonic() + 10
    while struct.unpack("i", fcntl.ioctl(1, termios.FIONREAD, b"\0\0\0\0"))[0] > 0:
        if time.monotonic() > deadline:
            sys.exit(3)
        time.sleep(0.001)


if mode == "whole":  # head and body in one write, then exit
    out.write(b"Content-Type: text/plain\r\n\r\n" + data)
elif mode == "buffered":  # exits at once: what it wrote is still in the pipe when the server sees the exit
    head()
    os.write(1, data[:60000])
    os._exit(0)
elif mode == "paced":  # many small writes, each one read by itself
    head()
    for i in range(0, len(data), 400):
        out.write(data[i:i + 400])
        out.flush()
        time.sleep(0.002)
elif mode == "big":  # one write larger than the pipe's buffer
    head()
    out.write(data)
elif mode == "drained":  # one server read per line: data split in 8 parts, each written once the pipe is empty
    head()
    pipe_drained()
    step = -(-len(data) // 8)
    for i in range(0, len(data), step):
        out.write(data[i:i + step])
        out.flush()
        pipe_drained()
elif mode == "closeearly":  # stdout closed, then the script lingers: EOF before the exit
    head()
    out.write(data)
    out.flush()
    os.close(1)
    time.sleep(0.3)
elif mode == "stderrlast":  # the last thing written goes to stderr
    head()
    out.write(data)
    out.flush()
    sys.stderr.write("gzip_endings: a last line on stderr\n")
elif mode == "exitfirst":  # the script exits while a child still holds stdout: the exit before EOF
    head()
    out.write(data[:len(data) // 2])
    out.flush()
    parent = os.getpid()
    if os.fork() == 0:
        deadline = time.monotonic() + 10
        while os.getppid() == parent and time.monotonic() < deadline:
            time.sleep(0.001)
        os.write(1, data[len(data) // 2:])
        os._exit(0)
    os._exit(0)
elif mode == "length":  # declares its Content-Length
    head(b"Content-Length: %d\r\n" % len(data))
    out.write(data)
elif mode == "encoded":  # encodes its body itself
    import gzip
    head(b"Content-Encoding: gzip\r\n")
    out.write(gzip.compress(data))
elif mode == "nocontent":
    out.write(b"Status: 204 No Content\r\n\r\n")
elif mode == "notmodified":
    out.write(b"Status: 304 Not Modified\r\n\r\n")
elif mode in ("endless", "stalls"):  # until it is killed: writing on (the client resets), or silent (timed out)
    head()
    out.write(data)
    out.flush()
    while True:
        if mode == "stalls":
            time.sleep(1)
        else:
            out.write(data[:4096])
            out.flush()
else:
    out.write(b"Status: 404 Not Found\r\nContent-Type: text/plain\r\n\r\nno such mode\n")
out.flush()
