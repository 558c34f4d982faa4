#!/usr/bin/env python3
"""Liso's demo CGI script (RFC 3875): shows the request's meta-variables and echoes a POSTed form.

Only the meta-variables of RFC 3875 section 4.1 and the HTTP_* request headers (4.1.18) are shown: the rest of the
environment (PATH, HOME, PYENV_* set by a pyenv shim, ...) belongs to the server's host and is nobody's business
on a public page. GET and POST render the same page; a POST fills in the body's length and fields.
"""
import html
import os
import sys
from urllib.parse import parse_qsl

MAX_FORM = 1 << 20
SHOWN_BODY = 4096
META_VARIABLES = (
    "AUTH_TYPE", "CONTENT_LENGTH", "CONTENT_TYPE", "GATEWAY_INTERFACE", "PATH_INFO", "PATH_TRANSLATED",
    "QUERY_STRING", "REMOTE_ADDR", "REMOTE_HOST", "REMOTE_IDENT", "REMOTE_USER", "REQUEST_METHOD", "SCRIPT_NAME",
    "SERVER_NAME", "SERVER_PORT", "SERVER_PROTOCOL", "SERVER_SOFTWARE",
)


def table(rows):
    cells = "".join("<tr><th>%s</th><td>%s</td></tr>" % (html.escape(k), html.escape(v)) for k, v in rows)
    return "<table>%s</table>" % cells


def meta_variables():
    return sorted((k, v) for k, v in os.environ.items() if k in META_VARIABLES or k.startswith("HTTP_"))


def style():
    """The demo site's style sheet, extracted beside this script, inline so the page looks the same under any root."""
    try:
        with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "style.css"), encoding="utf-8") as f:
            return "<style>%s</style>" % f.read().replace("</", "<\\/")
    except OSError:
        return '<link rel="stylesheet" href="/style.css">'


def body_section(method):
    length = int(os.environ.get("CONTENT_LENGTH") or 0) if method == "POST" else 0
    body = sys.stdin.buffer.read(min(length, MAX_FORM)).decode("utf-8", "replace") if length else ""
    kind = os.environ.get("CONTENT_TYPE", "")
    if kind.startswith("application/x-www-form-urlencoded"):
        shown = table(parse_qsl(body, keep_blank_values=True))
    elif body:
        shown = '<pre class="wrap">%s</pre>' % html.escape(body[:SHOWN_BODY])
    else:
        shown = "<p>No fields: send the form above.</p>"
    return "<p>%d bytes%s</p>%s" % (length, " of " + html.escape(kind) if kind else "", shown)


def main():
    method = os.environ.get("REQUEST_METHOD", "GET")
    action = os.environ.get("SCRIPT_NAME", "/cgi") + os.environ.get("PATH_INFO", "")
    page = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Liso demo CGI</title>
%s
</head><body>
<header><h1>Liso demo CGI</h1></header>
<main>
<p>This page is written by a python3 script run through CGI/1.1 for <code>%s %s</code>.</p>
<form method="post" action="%s">
<label>Name <input name="name"></label> <label>Message <input name="message"></label>
<button type="submit">Send</button></form>
<h2>Request body</h2>
%s
<h2>Meta-variables (RFC 3875 &sect;4.1)</h2>
%s
<p><a href="/cgi.html">&larr; back</a></p>
</main>
</body></html>
""" % (style(), html.escape(method), html.escape(os.environ.get("REQUEST_URI", "")), html.escape(action),
       body_section(method), table(meta_variables()))
    out = page.encode("utf-8")
    sys.stdout.buffer.write(b"Content-Type: text/html; charset=utf-8\r\nContent-Length: %d\r\n\r\n" % len(out))
    sys.stdout.buffer.write(out)


if __name__ == "__main__":
    main()
