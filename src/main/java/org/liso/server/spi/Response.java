package org.liso.server.spi;

import org.liso.http.Headers;

/**
 * Status, header fields and body of a response. Handlers set Content-Type and their own fields; the server owns
 * Date, Server, Content-Length / Transfer-Encoding and Connection, except that a {@link StreamBody} response may carry
 * its own Content-Length (a CGI script's), which the server then enforces.
 */
public final class Response {
    private final int status;
    private final Headers headers;
    private final Body body;

    public Response(int status, Headers headers, Body body) {
        this.status = status;
        this.headers = headers;
        this.body = body;
    }

    public static Response of(int status, String contentType, Body body) {
        Headers h = new Headers();
        if (contentType != null) {
            h.add("Content-Type", contentType);
        }
        return new Response(status, h, body);
    }

    public int status() {
        return status;
    }

    public Headers headers() {
        return headers;
    }

    public Body body() {
        return body;
    }
}
