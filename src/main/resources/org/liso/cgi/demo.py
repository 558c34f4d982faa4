#!/usr/bin/env python3
"""Liso's demo CGI script (RFC 3875): shows the environment the server gave it and echoes a POSTed form."""
import html
import os
import sys
from urllib.parse import parse_qsl

MAX_FORM = 1 << 20


def table(rows):
    cells = "".join("<tr><th>%s</th><td>%s</td></tr>" % (html.escape(k), html.escape(v)) for k, v in rows)
    return "<table>%s</table>" % cells


def main():
    method = os.environ.get("REQUEST_METHOD", "GET")
    posted = ""
    if method == "POST":
        length = min(int(os.environ.get("CONTENT_LENGTH") or 0), MAX_FORM)
        body = sys.stdin.buffer.read(length).decode("utf-8", "replace")
        if os.environ.get("CONTENT_TYPE", "").startswith("application/x-www-form-urlencoded"):
            fields = parse_qsl(body, keep_blank_values=True)
            posted = "<h2>Your form</h2>" + table(fields)
        else:
            posted = "<h2>Your body</h2><pre>%s</pre>" % html.escape(body)
    env = sorted((k, v) for k, v in os.environ.items())
    page = """<!doctype html>
<html><head><meta charset="utf-8"><title>Liso demo CGI</title>
<style>body{font-family:sans-serif;margin:2em}th{text-align:left;padding-right:1em}td{font-family:monospace}</style>
</head><body>
<h1>Liso demo CGI</h1>
<p>This page is written by a python3 script run through CGI/1.1 for <code>%s %s</code>.</p>
<form method="post" action="%s">
<label>Name <input name="name"></label> <label>Message <input name="message"></label>
<button>Send</button></form>
%s
<h2>Environment</h2>
%s
</body></html>
""" % (html.escape(method), html.escape(os.environ.get("REQUEST_URI", "")),
       html.escape(os.environ.get("SCRIPT_NAME", "/cgi") + os.environ.get("PATH_INFO", "")),
       posted, table(env))
    out = page.encode("utf-8")
    sys.stdout.buffer.write(b"Content-Type: text/html; charset=utf-8\r\nContent-Length: %d\r\n\r\n" % len(out))
    sys.stdout.buffer.write(out)


if __name__ == "__main__":
    main()
