#!/usr/bin/env python3
"""Echoes a GET query and a POSTed urlencoded form as sorted name=value lines."""
import os
import sys
from urllib.parse import parse_qsl

pairs = parse_qsl(os.environ.get("QUERY_STRING", ""), keep_blank_values=True)
if os.environ.get("REQUEST_METHOD") == "POST":
    length = int(os.environ.get("CONTENT_LENGTH") or 0)
    body = sys.stdin.buffer.read(length).decode("utf-8")
    pairs += parse_qsl(body, keep_blank_values=True)
out = "".join("%s=%s\n" % (k, v) for k, v in sorted(pairs)).encode("utf-8")
sys.stdout.buffer.write(b"Content-Type: text/plain; charset=utf-8\r\n")
sys.stdout.buffer.write(b"Content-Length: %d\r\n\r\n" % len(out))
sys.stdout.buffer.write(out)
