package org.liso.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How much a TCP socket's kernel buffers may grow to (Linux), so a back-pressure test can send more than all the
 * buffers on the way can hold instead of a size that happens to exceed one machine's defaults.
 */
public final class KernelBuffers {
    /** Linux's defaults when /proc does not answer (net.ipv4.tcp_rmem / tcp_wmem maxima). */
    private static final long DEFAULT_RECEIVE = 6L << 20;
    private static final long DEFAULT_SEND = 4L << 20;

    private KernelBuffers() {}

    /** The largest a receive buffer autotunes or may be set to: tcp_rmem's maximum or net.core.rmem_max. */
    public static long maxTcpReceive() {
        return Math.max(third("/proc/sys/net/ipv4/tcp_rmem", DEFAULT_RECEIVE),
                single("/proc/sys/net/core/rmem_max", DEFAULT_RECEIVE));
    }

    /** The largest a send buffer autotunes or may be set to: tcp_wmem's maximum or net.core.wmem_max. */
    public static long maxTcpSend() {
        return Math.max(third("/proc/sys/net/ipv4/tcp_wmem", DEFAULT_SEND),
                single("/proc/sys/net/core/wmem_max", DEFAULT_SEND));
    }

    private static long third(String file, long fallback) {
        String[] fields = read(file).trim().split("\\s+");
        return fields.length == 3 ? parse(fields[2], fallback) : fallback;
    }

    private static long single(String file, long fallback) {
        return parse(read(file).trim(), fallback);
    }

    private static long parse(String value, long fallback) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException | UnsupportedOperationException e) {
            return "";
        }
    }
}
