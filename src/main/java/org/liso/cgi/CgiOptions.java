package org.liso.cgi;

import java.nio.file.Path;

/**
 * How CGI scripts are run: the timeout without progress, the number of scripts at once, the document root that
 * PATH_TRANSLATED maps into, an optional canonical SERVER_NAME, and how a request body reaches the script. Immutable;
 * start from {@link #DEFAULT}.
 */
public final class CgiOptions {
    public static final long DEFAULT_TIMEOUT_MILLIS = 30_000;
    public static final int DEFAULT_MAX_PROCESSES = 64;
    /** Request body bytes held in memory per request before the rest goes to a temporary file. */
    public static final int DEFAULT_BODY_MEMORY_BYTES = 64 * 1024;
    /** The largest in-memory bound: a Java array's size. */
    public static final int MAX_BODY_MEMORY_BYTES = Integer.MAX_VALUE - 8;
    public static final CgiOptions DEFAULT = new CgiOptions(DEFAULT_TIMEOUT_MILLIS, DEFAULT_MAX_PROCESSES, null, null,
            DEFAULT_BODY_MEMORY_BYTES, Path.of(System.getProperty("java.io.tmpdir")), false);

    private final long timeoutMillis;
    private final int maxProcesses;
    private final Path documentRoot;
    private final String serverName;
    private final int bodyMemoryBytes;
    private final Path bodyDirectory;
    private final boolean streamBody;

    private CgiOptions(long timeoutMillis, int maxProcesses, Path documentRoot, String serverName,
            int bodyMemoryBytes, Path bodyDirectory, boolean streamBody) {
        if (timeoutMillis <= 0) {
            throw new IllegalArgumentException("CGI timeout must be positive: " + timeoutMillis);
        }
        if (maxProcesses <= 0) {
            throw new IllegalArgumentException("CGI process limit must be positive: " + maxProcesses);
        }
        if (bodyMemoryBytes < 0 || bodyMemoryBytes > MAX_BODY_MEMORY_BYTES) {
            throw new IllegalArgumentException("CGI body memory must be 0.." + MAX_BODY_MEMORY_BYTES + " bytes: "
                    + bodyMemoryBytes);
        }
        this.timeoutMillis = timeoutMillis;
        this.maxProcesses = maxProcesses;
        this.documentRoot = documentRoot;
        this.serverName = serverName;
        this.bodyMemoryBytes = bodyMemoryBytes;
        this.bodyDirectory = bodyDirectory;
        this.streamBody = streamBody;
    }

    /** A script that makes no progress (no output, no input taken) for this long is killed (504 before any output). */
    public CgiOptions withTimeoutMillis(long millis) {
        return new CgiOptions(millis, maxProcesses, documentRoot, serverName, bodyMemoryBytes, bodyDirectory,
                streamBody);
    }

    /** Scripts running at once; one more request gets 503 with Retry-After. */
    public CgiOptions withMaxProcesses(int n) {
        return new CgiOptions(timeoutMillis, n, documentRoot, serverName, bodyMemoryBytes, bodyDirectory, streamBody);
    }

    /** The root PATH_TRANSLATED maps PATH_INFO into (RFC 3875 §4.1.6); null leaves PATH_TRANSLATED unset. */
    public CgiOptions withDocumentRoot(Path root) {
        return new CgiOptions(timeoutMillis, maxProcesses, root, serverName, bodyMemoryBytes, bodyDirectory,
                streamBody);
    }

    /** A canonical SERVER_NAME; null (the default) takes it from the request's Host. */
    public CgiOptions withServerName(String name) {
        return new CgiOptions(timeoutMillis, maxProcesses, documentRoot, name, bodyMemoryBytes, bodyDirectory,
                streamBody);
    }

    /** Request body bytes kept in memory while the body is read before its script starts; beyond, a temp file. */
    public CgiOptions withBodyMemoryBytes(int bytes) {
        return new CgiOptions(timeoutMillis, maxProcesses, documentRoot, serverName, bytes, bodyDirectory, streamBody);
    }

    /** Where request bodies larger than the memory bound are buffered (as unlinked temporary files). */
    public CgiOptions withBodyDirectory(Path dir) {
        return new CgiOptions(timeoutMillis, maxProcesses, documentRoot, serverName, bodyMemoryBytes, dir, streamBody);
    }

    /**
     * True: a Content-Length body streams into a script started as soon as the head arrives (a slow upload holds a
     * script slot meanwhile). Chunked bodies are buffered either way: the script needs CONTENT_LENGTH first.
     */
    public CgiOptions withStreamBody(boolean stream) {
        return new CgiOptions(timeoutMillis, maxProcesses, documentRoot, serverName, bodyMemoryBytes, bodyDirectory,
                stream);
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

    public int bodyMemoryBytes() {
        return bodyMemoryBytes;
    }

    public Path bodyDirectory() {
        return bodyDirectory;
    }

    public boolean streamBody() {
        return streamBody;
    }
}
