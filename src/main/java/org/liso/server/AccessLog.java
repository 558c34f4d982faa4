package org.liso.server;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.liso.Log;
import org.liso.http.Request;
import org.liso.http.Version;

/**
 * The access log in Combined Log Format, one line per response. The loop formats a line and hands it to a
 * {@link Log.Sink} (a {@link org.liso.LogWriter} in the servers), which queues it for a writer thread: the loop never
 * waits for the disk, and a full queue drops lines and counts them rather than stall.
 */
public final class AccessLog {
    private static final DateTimeFormatter CLF_TIME = DateTimeFormatter
            .ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** Writes nothing. */
    public static final AccessLog NONE = new AccessLog(null);

    private final Log.Sink sink;
    private final StringBuilder buffer = new StringBuilder(256);
    private long cachedSecond = Long.MIN_VALUE;
    private String cachedTime;

    public AccessLog(Log.Sink sink) {
        this.sink = sink;
    }

    void log(InetSocketAddress peer, Request r, int status, long bytes) {
        if (sink == null) {
            return;
        }
        // HTTP/2 requests are logged as "HTTP/2.0", as nginx and Apache do, so log tools keep one format.
        String version = r.version() == Version.HTTP_2 ? "HTTP/2.0" : r.version().text();
        String line = r.methodName() + " " + r.target() + " " + version;
        append(peer, line, status, bytes, r.headers().get("Referer"), r.headers().get("User-Agent"));
    }

    void logUnparsed(InetSocketAddress peer, int status, long bytes) {
        if (sink != null) {
            append(peer, "-", status, bytes, null, null);
        }
    }

    private void append(InetSocketAddress peer, String requestLine, int status, long bytes, String referer,
            String agent) {
        buffer.setLength(0);
        buffer.append(peer == null ? "-" : peer.getAddress().getHostAddress()).append(" - - [").append(time())
                .append("] \"");
        quoted(requestLine);
        buffer.append("\" ").append(status).append(' ');
        if (bytes > 0) {
            buffer.append(bytes);
        } else {
            buffer.append('-');
        }
        buffer.append(" \"");
        quoted(referer == null ? "-" : referer);
        buffer.append("\" \"");
        quoted(agent == null ? "-" : agent);
        buffer.append('"');
        sink.line(buffer.toString());
    }

    /** Escapes what would break the line format (quotes, backslashes, control bytes: log injection). */
    private void quoted(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                buffer.append('\\').append(c);
            } else if (c < ' ' || c == 0x7f) {
                buffer.append(String.format(Locale.ROOT, "\\x%02x", (int) c));
            } else {
                buffer.append(c);
            }
        }
    }

    private String time() {
        long now = System.currentTimeMillis();
        long second = now / 1000;
        if (second != cachedSecond) {
            cachedSecond = second;
            cachedTime = CLF_TIME.format(Instant.ofEpochSecond(second));
        }
        return cachedTime;
    }
}
