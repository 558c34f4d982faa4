package org.liso.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
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

    /**
     * The largest a receive buffer may grow to: tcp_rmem's maximum (autotuning) or twice net.core.rmem_max (an
     * explicit SO_RCVBUF is doubled by the kernel for its bookkeeping and capped there, socket(7)).
     */
    public static long maxTcpReceive() {
        return Math.max(third("/proc/sys/net/ipv4/tcp_rmem", DEFAULT_RECEIVE),
                2 * single("/proc/sys/net/core/rmem_max", DEFAULT_RECEIVE / 2));
    }

    /** The largest a send buffer may grow to: tcp_wmem's maximum or twice net.core.wmem_max (see above). */
    public static long maxTcpSend() {
        return Math.max(third("/proc/sys/net/ipv4/tcp_wmem", DEFAULT_SEND),
                2 * single("/proc/sys/net/core/wmem_max", DEFAULT_SEND / 2));
    }

    /**
     * The most one direction of a loopback TCP connection can hold in the kernel when neither end pins its
     * buffers: the sender's send buffer and the receiver's receive buffer, each at its maximum.
     */
    public static long maxInFlight() {
        return maxTcpSend() + maxTcpReceive();
    }

    /** The most a pipe may be grown to hold (fs.pipe-max-size; a pipe starts at 64 KiB). */
    public static long maxPipe() {
        return single("/proc/sys/fs/pipe-max-size", 1L << 20);
    }

    /**
     * The most connections one listener's accept queue holds: net.core.somaxconn caps the backlog a server asks
     * for (128 before Linux 5.4, 4096 since), and the queue holds one more than that.
     */
    public static int acceptQueue(int backlog) {
        return (int) Math.min(backlog, single("/proc/sys/net/core/somaxconn", 128)) + 1;
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

    /**
     * A sysctl file read whole. Not with Files.readString: a sysctl reports size 0, the JDK then reads its first
     * byte alone, and a sysctl answers a read at any later position with end of file, so "33554432" came back as
     * "3" and every figure here fell back to its default. One sequential stream from the start reads it whole (as
     * org.liso.diag.ProcFiles does).
     */
    private static String read(String file) {
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException | UnsupportedOperationException e) {
            return "";
        }
    }
}
