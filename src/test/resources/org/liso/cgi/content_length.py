#!/usr/bin/env python3
"""Reads exactly CONTENT_LENGTH bytes of stdin and no further, as Python's cgi and wsgiref and most CGI libraries
do (RFC 3875 §4.2: the script may not get EOF), and answers with what it got."""
import hashlib
import os
import sys

declared = os.environ.get("CONTENT_LENGTH")
head_first = os.environ.get("PATH_INFO") == "/head-first"
if head_first:
    # Answers before reading: shows whether the script was started before the body had arrived.
    sys.stdout.buffer.write(b"Content-Type: text/plain\r\n\r\n")
    sys.stdout.buffer.flush()
body = sys.stdin.buffer.read(int(declared)) if declared else b""
out = ("CONTENT_LENGTH=%s\nread=%d\nsha256=%s\nHTTP_TRANSFER_ENCODING=%s\n" % (
    declared if declared is not None else "unset", len(body), hashlib.sha256(body).hexdigest(),
    os.environ.get("HTTP_TRANSFER_ENCODING", "unset"))).encode("ascii")
if not head_first:
    sys.stdout.buffer.write(b"Content-Type: text/plain\r\nContent-Length: %d\r\n\r\n" % len(out))
sys.stdout.buffer.write(out)
