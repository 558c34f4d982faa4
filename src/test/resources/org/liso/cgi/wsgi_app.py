#!/usr/bin/env python3
"""A small WSGI application run as CGI through wsgiref's CGIHandler: a form, a POST that sets a cookie and
redirects (post/redirect/get), and a page that reads the cookie back."""
from html import escape
from http.cookies import SimpleCookie
from urllib.parse import parse_qs
from wsgiref.handlers import CGIHandler


def app(environ, start_response):
    path = environ.get("PATH_INFO", "") or "/"
    method = environ["REQUEST_METHOD"]
    if path == "/form" and method == "GET":
        body = b'<form method="post" action="/cgi/submit"><input name="name"><button>go</button></form>'
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
        return [body]
    if path == "/submit" and method == "POST":
        size = int(environ.get("CONTENT_LENGTH") or 0)
        form = parse_qs(environ["wsgi.input"].read(size).decode("utf-8"))
        name = form.get("name", [""])[0]
        cookie = SimpleCookie()
        cookie["name"] = name
        cookie["name"]["path"] = "/cgi"
        start_response("303 See Other", [("Location", "/cgi/hello"),
                                         ("Set-Cookie", cookie["name"].OutputString()),
                                         ("Content-Type", "text/plain")])
        return [b"see /cgi/hello\n"]
    if path == "/hello":
        cookie = SimpleCookie(environ.get("HTTP_COOKIE", ""))
        name = cookie["name"].value if "name" in cookie else "stranger"
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
        return [("<p>Hello, %s!</p>" % escape(name)).encode("utf-8")]
    start_response("404 Not Found", [("Content-Type", "text/plain")])
    return [b"not found\n"]


if __name__ == "__main__":
    CGIHandler().run(app)
