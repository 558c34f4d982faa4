package org.liso.server;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.liso.Log;
import org.liso.http.Request;
import org.liso.loop.EventLoop;
import org.liso.loop.Timer;

/**
 * The access log in Combined Log Format, one line per response. Lines collect in a bounded in-memory buffer on the
 * loop and are written out every {@link #FLUSH_MILLIS} or when the buffer fills, so a slow disk costs at most one
 * write per interval; when the sink fails the loop keeps serving, drops lines and says so once.
 */
public final class AccessLog {
    static final long FLUSH_MILLIS = 250;
    private static final int FLUSH_BYTES = 32 * 1024;
    private static final int MAX_BUFFERED = 1 << 20;
    private static final DateTimeFormatter CLF_TIME = DateTimeFormatter
            .ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** Writes nothing. */
    public static final AccessLog NONE = new AccessLog(null);

    private final OutputStream sink;
    private final StringBuilder buffer = new StringBuilder(FLUSH_BYTES + 512);
    private Timer timer;
    private long cachedSecond = Long.MIN_VALUE;
    private String cachedTime;
    private boolean failing;
    private long dropped;

    public AccessLog(OutputStream sink) {
        this.sink = sink;
    }

    /** Starts the periodic flush; call once on the loop thread. */
    public void attach(EventLoop loop) {
        if (sink != null && timer == null) {
            timer = loop.timer(this::tick);
            timer.schedule(FLUSH_MILLIS);
            loop.onShutdown(this::flush);
        }
    }

    void log(InetSocketAddress peer, Request r, int status, long bytes) {
        if (sink == null) {
            return;
        }
        String line = r.methodName() + " " + r.target() + " " + r.version().text();
        append(peer, line, status, bytes, r.headers().get("Referer"), r.headers().get("User-Agent"));
    }

    void logUnparsed(InetSocketAddress peer, int status, long bytes) {
        if (sink != null) {
            append(peer, "-", status, bytes, null, null);
        }
    }

    private void append(InetSocketAddress peer, String requestLine, int status, long bytes, String referer,
            String agent) {
        if (buffer.length() > MAX_BUFFERED) {
            dropped++;
            return;
        }
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
        buffer.append("\"\n");
        if (buffer.length() >= FLUSH_BYTES) {
            flush();
        }
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

    private void tick() {
        flush();
        timer.schedule(FLUSH_MILLIS);
    }

    /** Writes what is buffered; loop thread only. */
    public void flush() {
        if (sink == null || buffer.length() == 0) {
            return;
        }
        try {
            sink.write(buffer.toString().getBytes(StandardCharsets.UTF_8));
            sink.flush();
            buffer.setLength(0);
            if (failing) {
                failing = false;
                Log.info("access", "access log writable again", "dropped_lines", dropped);
                dropped = 0;
            }
        } catch (IOException e) {
            if (!failing) {
                failing = true;
                Log.error("access", "cannot write the access log, still serving", "error", e.getMessage());
            }
            dropped += buffer.chars().filter(c -> c == '\n').count();
            buffer.setLength(0);
        }
    }
}
