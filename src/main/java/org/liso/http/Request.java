package org.liso.http;

/** One parsed request head. Immutable except for its {@link Headers}, which handlers may read freely. */
public final class Request {
    private final RequestLine line;
    private final Headers headers;
    private final String host;
    private final long framing;

    Request(RequestLine line, Headers headers, String host, long framing) {
        this.line = line;
        this.headers = headers;
        this.host = host;
        this.framing = framing;
    }

    /**
     * A request whose head came by another framing than HTTP/1.1's (an HTTP/2 HEADERS block): the method token and
     * target are checked as a request line's would be; the Host field, if any, is taken from {@code headers}.
     *
     * @param kind          {@link BodyKind#LENGTH} with {@code contentLength}, {@link BodyKind#NONE}, or
     *                      {@link BodyKind#CHUNKED} for a body of a length not known in advance (framed by the protocol)
     * @throws HttpException 400 for a malformed method or target, 501 for a method longer than any implemented
     */
    public static Request of(String method, String target, Version version, Headers headers, BodyKind kind,
            long contentLength) throws HttpException {
        RequestLine line = RequestLine.of(method, target, version);
        long framing = switch (kind) {
            case NONE -> Framing.NONE;
            case CHUNKED -> Framing.CHUNKED;
            case LENGTH -> {
                if (contentLength < 0) {
                    throw new IllegalArgumentException("a LENGTH body needs its length");
                }
                yield contentLength;
            }
        };
        return new Request(line, headers, headers.get("Host"), framing);
    }

    public Method method() {
        return line.method;
    }

    /** The method token as received (case-sensitive, RFC 9110 §9.1). */
    public String methodName() {
        return line.methodName;
    }

    /** The request-target exactly as received. */
    public String target() {
        return line.target;
    }

    /**
     * The raw, still percent-encoded absolute path: for origin-form the part before '?', for absolute-form
     * "http://h/p?q" it is "/p" ("/" when empty), for asterisk-form "*", for CONNECT the authority.
     */
    public String path() {
        return line.path;
    }

    /** The raw text after the first '?', or null. */
    public String query() {
        return line.query;
    }

    public Version version() {
        return line.version;
    }

    public Headers headers() {
        return headers;
    }

    /** The Host field's value, or null when there is none. */
    public String host() {
        return host;
    }

    /**
     * The authority that names the target: from an absolute-form or authority-form target when there is one
     * (RFC 9112 §3.2.2 says it overrides Host), else the Host value; null when neither exists.
     */
    public String authority() {
        return line.authority != null ? line.authority : host;
    }

    /** RFC 9112 §9.3: HTTP/1.1 persists unless "Connection: close"; HTTP/1.0 only with "Connection: keep-alive". */
    public boolean keepAlive() {
        if (headers.hasToken("Connection", "close")) {
            return false;
        }
        return line.version == Version.HTTP_1_1 || headers.hasToken("Connection", "keep-alive");
    }

    public BodyKind bodyKind() {
        return framing == Framing.CHUNKED ? BodyKind.CHUNKED : framing == Framing.NONE ? BodyKind.NONE
                : BodyKind.LENGTH;
    }

    /** The Content-Length, or -1 unless {@link #bodyKind()} is LENGTH. */
    public long contentLength() {
        return framing >= 0 ? framing : -1;
    }

    @Override
    public String toString() {
        return line.methodName + " " + line.target + " " + line.version.text();
    }
}
