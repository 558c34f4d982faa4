package org.liso.cgi;

import java.nio.file.Path;

/**
 * How CGI scripts are run: the timeout without progress, the number of scripts at once, the document root that
 * PATH_TRANSLATED maps into, and an optional canonical SERVER_NAME. Immutable; start from {@link #DEFAULT}.
 */
public final class CgiOptions {
    public static final long DEFAULT_TIMEOUT_MILLIS = 30_000;
    public static final int DEFAULT_MAX_PROCESSES = 64;
    public static final CgiOptions DEFAULT = new CgiOptions(DEFAULT_TIMEOUT_MILLIS, DEFAULT_MAX_PROCESSES, null, null);

    private final long timeoutMillis;
    private final int maxProcesses;
    private final Path documentRoot;
    private final String serverName;

    private CgiOptions(long timeoutMillis, int maxProcesses, Path documentRoot, String serverName) {
        if (timeoutMillis <= 0) {
            throw new IllegalArgumentException("CGI timeout must be positive: " + timeoutMillis);
        }
        if (maxProcesses <= 0) {
            throw new IllegalArgumentException("CGI process limit must be positive: " + maxProcesses);
        }
        this.timeoutMillis = timeoutMillis;
        this.maxProcesses = maxProcesses;
        this.documentRoot = documentRoot;
        this.serverName = serverName;
    }

    /** A script that makes no progress (no output, no input taken) for this long is killed (504 before any output). */
    public CgiOptions withTimeoutMillis(long millis) {
        return new CgiOptions(millis, maxProcesses, documentRoot, serverName);
    }

    /** Scripts running at once; one more request gets 503 with Retry-After. */
    public CgiOptions withMaxProcesses(int n) {
        return new CgiOptions(timeoutMillis, n, documentRoot, serverName);
    }

    /** The root PATH_TRANSLATED maps PATH_INFO into (RFC 3875 §4.1.6); null leaves PATH_TRANSLATED unset. */
    public CgiOptions withDocumentRoot(Path root) {
        return new CgiOptions(timeoutMillis, maxProcesses, root, serverName);
    }

    /** A canonical SERVER_NAME; null (the default) takes it from the request's Host. */
    public CgiOptions withServerName(String name) {
        return new CgiOptions(timeoutMillis, maxProcesses, documentRoot, name);
    }

    public long timeoutMillis() {
        return timeoutMillis;
    }

    public int maxProcesses() {
        return maxProcesses;
    }

    public Path documentRoot() {
        return documentRoot;
    }

    public String serverName() {
        return serverName;
    }
}
