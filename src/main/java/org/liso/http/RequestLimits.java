package org.liso.http;

/** Immutable bounds on a request head. Exceeding them yields 414 or 431 (RFC 9112 §3, RFC 6585 §5). */
public final class RequestLimits {
    /** 8 KiB request line, 8 KiB head, 100 fields, Host required for HTTP/1.1. */
    public static final RequestLimits DEFAULT = new RequestLimits(8192, 8192, 100, true);

    private final int maxRequestLine;
    private final int maxHeadBytes;
    private final int maxHeaders;
    private final boolean requireHost;

    private RequestLimits(int maxRequestLine, int maxHeadBytes, int maxHeaders, boolean requireHost) {
        if (maxRequestLine < 16 || maxHeadBytes < 16 || maxHeaders < 0) {
            throw new IllegalArgumentException("limits too small: line " + maxRequestLine + ", head " + maxHeadBytes
                    + ", fields " + maxHeaders);
        }
        this.maxRequestLine = maxRequestLine;
        this.maxHeadBytes = maxHeadBytes;
        this.maxHeaders = maxHeaders;
        this.requireHost = requireHost;
    }

    public RequestLimits withMaxRequestLine(int n) {
        return new RequestLimits(n, maxHeadBytes, maxHeaders, requireHost);
    }

    public RequestLimits withMaxHeadBytes(int n) {
        return new RequestLimits(maxRequestLine, n, maxHeaders, requireHost);
    }

    public RequestLimits withMaxHeaders(int n) {
        return new RequestLimits(maxRequestLine, maxHeadBytes, n, requireHost);
    }

    public RequestLimits withRequireHost(boolean b) {
        return new RequestLimits(maxRequestLine, maxHeadBytes, maxHeaders, b);
    }

    /** Longest request line, without its CRLF; longer is 414. */
    public int maxRequestLine() {
        return maxRequestLine;
    }

    /** Largest head: request line, field lines and the empty line, CRLFs included; larger is 431. */
    public int maxHeadBytes() {
        return maxHeadBytes;
    }

    /** Most field lines in one head; more is 431. */
    public int maxHeaders() {
        return maxHeaders;
    }

    public boolean requireHost() {
        return requireHost;
    }

    @Override
    public String toString() {
        return "RequestLimits[line=" + maxRequestLine + ", head=" + maxHeadBytes + ", fields=" + maxHeaders
                + ", requireHost=" + requireHost + "]";
    }
}
