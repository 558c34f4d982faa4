package org.liso.cgi;

import java.nio.file.Path;
import org.liso.Liso;

/**
 * How CGI scripts are run: the timeout without progress, the number of scripts at once, the document root that
 * PATH_TRANSLATED maps into, an optional canonical SERVER_NAME, the SERVER_SOFTWARE value, whether an NPH script's
 * response is forwarded as written, and how a request body reaches the script. Immutable to its users: every
 * {@code with…} returns a checked copy; start from {@link #DEFAULT}.
 */
public final class CgiOptions {
    public static final long DEFAULT_TIMEOUT_MILLIS = 30_000;
    public static final int DEFAULT_MAX_PROCESSES = 64;
    /** Request body bytes held in memory per request before the rest goes to a temporary file. */
    public static final int DEFAULT_BODY_MEMORY_BYTES = 64 * 1024;
    /** The largest in-memory bound: a Java array's size. */
    public static final int MAX_BODY_MEMORY_BYTES = Integer.MAX_VALUE - 8;
    public static final CgiOptions DEFAULT = new CgiOptions();

    private long timeoutMillis = DEFAULT_TIMEOUT_MILLIS;
    private int maxProcesses = DEFAULT_MAX_PROCESSES;
    private Path documentRoot;
    private String serverName;
    private String serverSoftware = Liso.SERVER;
    private boolean nphPassthrough;
    private int bodyMemoryBytes = DEFAULT_BODY_MEMORY_BYTES;
    private Path bodyDirectory = Path.of(System.getProperty("java.io.tmpdir"));
    private boolean streamBody;
    private boolean gzip;

    private CgiOptions() {
    }

    private CgiOptions copy() {
        CgiOptions c = new CgiOptions();
        c.timeoutMillis = timeoutMillis;
        c.maxProcesses = maxProcesses;
        c.documentRoot = documentRoot;
        c.serverName = serverName;
        c.serverSoftware = serverSoftware;
        c.nphPassthrough = nphPassthrough;
        c.bodyMemoryBytes = bodyMemoryBytes;
        c.bodyDirectory = bodyDirectory;
        c.streamBody = streamBody;
        c.gzip = gzip;
        return c;
    }

    /** A script that makes no progress (no output, no input taken) for this long is killed (504 before any output). */
    public CgiOptions withTimeoutMillis(long millis) {
        if (millis <= 0) {
            throw new IllegalArgumentException("CGI timeout must be positive: " + millis);
        }
        CgiOptions c = copy();
        c.timeoutMillis = millis;
        return c;
    }

    /** Scripts running at once; one more request gets 503 with Retry-After. */
    public CgiOptions withMaxProcesses(int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("CGI process limit must be positive: " + n);
        }
        CgiOptions c = copy();
        c.maxProcesses = n;
        return c;
    }

    /** The root PATH_TRANSLATED maps PATH_INFO into (RFC 3875 §4.1.6); null leaves PATH_TRANSLATED unset. */
    public CgiOptions withDocumentRoot(Path root) {
        CgiOptions c = copy();
        c.documentRoot = root;
        return c;
    }

    /** A canonical SERVER_NAME; null (the default) takes it from the request's Host. */
    public CgiOptions withServerName(String name) {
        CgiOptions c = copy();
        c.serverName = name;
        return c;
    }

    /** SERVER_SOFTWARE (RFC 3875 §4.1.17): the server's name and version, as its Server field says them. */
    public CgiOptions withServerSoftware(String software) {
        CgiOptions c = copy();
        c.serverSoftware = software;
        return c;
    }

    /**
     * Whether a script that writes a complete HTTP response (NPH, RFC 3875 §5) has its bytes forwarded unmodified,
     * the connection closing after them, as the lisod handout's CGI section asks; off, the server checks its head,
     * replaces Date and Server, and frames the body itself so that the connection can be kept.
     */
    public CgiOptions withNphPassthrough(boolean on) {
        CgiOptions c = copy();
        c.nphPassthrough = on;
        return c;
    }

    /** Request body bytes kept in memory while the body is read before its script starts; beyond, a temp file. */
    public CgiOptions withBodyMemoryBytes(int bytes) {
        if (bytes < 0 || bytes > MAX_BODY_MEMORY_BYTES) {
            throw new IllegalArgumentException("CGI body memory must be 0.." + MAX_BODY_MEMORY_BYTES + " bytes: "
                    + bytes);
        }
        CgiOptions c = copy();
        c.bodyMemoryBytes = bytes;
        return c;
    }

    /** Where request bodies larger than the memory bound are buffered (as unlinked temporary files). */
    public CgiOptions withBodyDirectory(Path dir) {
        CgiOptions c = copy();
        c.bodyDirectory = dir;
        return c;
    }

    /**
     * True: a Content-Length body streams into a script started as soon as the head arrives (a slow upload holds a
     * script slot meanwhile). Chunked bodies are buffered either way: the script needs CONTENT_LENGTH first.
     */
    public CgiOptions withStreamBody(boolean stream) {
        CgiOptions c = copy();
        c.streamBody = stream;
        return c;
    }

    /**
     * True: a script's 200 of a compressible type is gzipped for a client that takes it (off by default: a page that
     * reflects its input next to a secret, a CSRF token say, lets an attacker who sees the lengths read the secret,
     * BREACH).
     */
    public CgiOptions withGzip(boolean on) {
        CgiOptions c = copy();
        c.gzip = on;
        return c;
    }

    public boolean gzip() {
        return gzip;
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

    public String serverSoftware() {
        return serverSoftware;
    }

    public boolean nphPassthrough() {
        return nphPassthrough;
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
