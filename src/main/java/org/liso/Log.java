package org.liso;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Locale;

/**
 * The error/info log: {@code 2026-11-21T23:40:11.123Z LEVEL component message key=value…}, one line per event.
 *
 * <p>Lines go to a {@link Sink}; the default writes to stderr synchronously (one-shot commands). Servers install a
 * {@link LogWriter}, which queues lines for a thread of its own and never blocks the loop. Every layer may log;
 * nothing else here is shared state.
 */
public final class Log {

    /** Severity, lowest first. */
    public enum Level { DEBUG, INFO, WARN, ERROR }

    /** Where finished lines go. Implementations must be thread-safe and must not block for long. */
    public interface Sink {
        void line(String line);
    }

    private static volatile Sink sink = new StreamSink(System.err);
    private static volatile Level threshold = Level.INFO;

    private Log() {
    }

    public static void setSink(Sink s) {
        sink = s;
    }

    public static Sink sink() {
        return sink;
    }

    public static void setLevel(Level level) {
        threshold = level;
    }

    public static boolean enabled(Level level) {
        return level.compareTo(threshold) >= 0;
    }

    public static void debug(String component, String message, Object... kv) {
        log(Level.DEBUG, component, message, kv);
    }

    public static void info(String component, String message, Object... kv) {
        log(Level.INFO, component, message, kv);
    }

    public static void warn(String component, String message, Object... kv) {
        log(Level.WARN, component, message, kv);
    }

    public static void error(String component, String message, Object... kv) {
        log(Level.ERROR, component, message, kv);
    }

    /** Logs {@code message} followed by {@code key=value} pairs taken two at a time from {@code kv}. */
    public static void log(Level level, String component, String message, Object... kv) {
        if (!enabled(level)) {
            return;
        }
        sink.line(format(System.currentTimeMillis(), level, component, message, kv));
    }

    static String format(long millis, Level level, String component, String message, Object... kv) {
        StringBuilder sb = new StringBuilder(96);
        sb.append(Instant.ofEpochMilli(millis)).append(' ');
        sb.append(level.name()).append(' ').append(component).append(' ').append(message);
        for (int i = 0; i + 1 < kv.length; i += 2) {
            sb.append(' ').append(kv[i]).append('=');
            appendValue(sb, text(kv[i + 1]));
        }
        return sb.toString();
    }

    /** A socket address prints as {@code 127.0.0.1:50002} or {@code [::1]:50002}, not as {@code /127.0.0.1:50002}. */
    private static String text(Object v) {
        if (v instanceof InetSocketAddress a) {
            String host = a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
        }
        return String.valueOf(v);
    }

    private static void appendValue(StringBuilder sb, String v) {
        boolean quote = v.isEmpty() || v.chars().anyMatch(c -> c <= ' ' || c == '"' || c == '=');
        if (!quote) {
            sb.append(v);
            return;
        }
        sb.append('"');
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < ' ') {
                sb.append(String.format(Locale.ROOT, "\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
    }

    /** Writes each line to a stream (stderr by default). */
    public static final class StreamSink implements Sink {
        private final PrintStream out;

        public StreamSink(PrintStream out) {
            this.out = out;
        }

        @Override
        public void line(String line) {
            out.println(line);
        }
    }
}
