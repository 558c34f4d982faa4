package org.liso.http;

/** Interim version; the full codec lands from the http branch. */
public final class RequestLimits {
    public static final RequestLimits DEFAULT = new RequestLimits(8192, 8192, 100, true);
    private final int maxRequestLine;
    private final int maxHeadBytes;
    private final int maxHeaders;
    private final boolean requireHost;

    private RequestLimits(int maxRequestLine, int maxHeadBytes, int maxHeaders, boolean requireHost) {
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

    public int maxRequestLine() {
        return maxRequestLine;
    }

    public int maxHeadBytes() {
        return maxHeadBytes;
    }

    public int maxHeaders() {
        return maxHeaders;
    }

    public boolean requireHost() {
        return requireHost;
    }
}
