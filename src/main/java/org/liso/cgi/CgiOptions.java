package org.liso.cgi;

import java.nio.file.Path;
import org.liso.Liso;

/**
 * How CGI scripts are run: the timeout without progress, the number of scripts at once, the document root that
 * PATH_TRANSLATED maps into, an optional canonical SERVER_NAME, the SERVER_SOFTWARE value, and whether an NPH
 * script's response is forwarded as written. Immutable; start from {@link #DEFAULT}.
 */
public final class CgiOptions {
    public static final long DEFAULT_TIMEOUT_MILLIS = 30_000;
    public static final int DEFAULT_MAX_PROCESSES = 64;
    public static final CgiOptions DEFAULT = new CgiOptions(DEFAULT_TIMEOUT_MILLIS, DEFAULT_MAX_PROCESSES, null, null,
            Liso.SERVER, false);

    private final long timeoutMillis;
    private final int maxProcesses;
    private final Path documentRoot;
    private final String serverName;
    private final String serverSoftware;
    private final boolean nphPassthrough;

    private CgiOptions(long timeoutMillis, int maxProcesses, Path documentRoot, String serverName,
            String serverSoftware, boolean nphPassthrough) {
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
        this.serverSoftware = serverSoftware;
        this.nphPassthrough = nphPassthrough;
    }

    /** A script that makes no progress (no output, no input taken) for this long is killed (504 before any output). */
    public CgiOptions withTimeoutMillis(long millis) {
        return new CgiOptions(millis, maxProcesses, documentRoot, serverName, serverSoftware, nphPassthrough);
    }

    /** Scripts running at once; one more request gets 503 with Retry-After. */
    public CgiOptions withMaxProcesses(int n) {
        return new CgiOptions(timeoutMillis, n, documentRoot, serverName, serverSoftware, nphPassthrough);
    }

    /** The root PATH_TRANSLATED maps PATH_INFO into (RFC 3875 §4.1.6); null leaves PATH_TRANSLATED unset. */
    public CgiOptions withDocumentRoot(Path root) {
        return new CgiOptions(timeoutMillis, maxProcesses, root, serverName, serverSoftware, nphPassthrough);
    }

    /** A canonical SERVER_NAME; null (the default) takes it from the request's Host. */
    public CgiOptions withServerName(String name) {
        return new CgiOptions(timeoutMillis, maxProcesses, documentRoot, name, serverSoftware, nphPassthrough);
    }

    /** SERVER_SOFTWARE (RFC 3875 §4.1.17): the server's name and version, as its Server field says them. */
    public CgiOptions withServerSoftware(String software) {
        return new CgiOptions(timeoutMillis, maxProcesses, documentRoot, serverName, software, nphPassthrough);
    }

    /**
     * Whether a script that writes a complete HTTP response (NPH, RFC 3875 §5) has its bytes forwarded unmodified,
     * the connection closing after them, as the lisod handout's CGI section asks; off, the server checks its head,
     * replaces Date and Server, and frames the body itself so that the connection can be kept.
     */
    public CgiOptions withNphPassthrough(boolean on) {
        return new CgiOptions(timeoutMillis, maxProcesses, documentRoot, serverName, serverSoftware, on);
    }

    public String serverSoftware() {
        return serverSoftware;
    }

    public boolean nphPassthrough() {
        return nphPassthrough;
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
