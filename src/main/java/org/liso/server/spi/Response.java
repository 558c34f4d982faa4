package org.liso.server.spi;

import org.liso.http.Headers;

/**
 * Status, header fields and body of a response. Handlers set Content-Type and their own fields; the server owns
 * Date, Server, Content-Length / Transfer-Encoding and Connection, except that a {@link StreamBody} response may carry
 * its own Content-Length (a CGI script's), which the server then enforces. A {@link #passthrough} response is the
 * exception: its stream is the whole response, as the client is to receive it.
 */
public final class Response {
    private final int status;
    private final Headers headers;
    private final Body body;
    private final boolean passthrough;

    public Response(int status, Headers headers, Body body) {
        this(status, headers, body, false);
    }

    private Response(int status, Headers headers, Body body, boolean passthrough) {
        this.status = status;
        this.headers = headers;
        this.body = body;
        this.passthrough = passthrough;
    }

    /**
     * A response written whole by its producer, status line and head included (an NPH CGI script, RFC 3875 §5): the
     * server forwards the bytes unmodified and closes the connection after them, as only the producer knows their
     * framing. {@code status} is what the head says, for the access log.
     */
    public static Response passthrough(int status, StreamBody bytes) {
        return new Response(status, new Headers(), bytes, true);
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

    /** True when the body is the complete response, head included, to be sent as it is. */
    public boolean passthrough() {
        return passthrough;
    }
}
