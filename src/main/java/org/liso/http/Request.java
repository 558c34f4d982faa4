package org.liso.http;

/** Interim version; the full codec lands from the http branch. */
public final class Request {
    private final String methodName;
    private final String target;
    private final Version version;
    private final Headers headers;

    Request(String methodName, String target, Version version, Headers headers) {
        this.methodName = methodName;
        this.target = target;
        this.version = version;
        this.headers = headers;
    }

    public Method method() {
        return Method.of(methodName);
    }

    public String methodName() {
        return methodName;
    }

    public String target() {
        return target;
    }

    public String path() {
        int q = target.indexOf('?');
        return q < 0 ? target : target.substring(0, q);
    }

    public String query() {
        int q = target.indexOf('?');
        return q < 0 ? null : target.substring(q + 1);
    }

    public Version version() {
        return version;
    }

    public Headers headers() {
        return headers;
    }

    public String host() {
        return headers.get("Host");
    }

    public boolean keepAlive() {
        if (version == Version.HTTP_1_1) {
            return !headers.hasToken("Connection", "close");
        }
        return headers.hasToken("Connection", "keep-alive");
    }

    public BodyKind bodyKind() {
        if (headers.contains("Transfer-Encoding")) {
            return BodyKind.CHUNKED;
        }
        return headers.contains("Content-Length") ? BodyKind.LENGTH : BodyKind.NONE;
    }

    public long contentLength() {
        String v = headers.get("Content-Length");
        return bodyKind() == BodyKind.LENGTH ? Long.parseLong(v.trim()) : -1;
    }
}
