package org.liso.loop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.liso.Log;

/**
 * TCP_NOTSENT_LOWAT (Linux, {@code tcp(7)}) on a listening socket, inherited by every connection it accepts: the
 * socket reports writable, and {@code sendfile} stops filling it, while at most that many bytes wait unsent. Without
 * it a large download keeps the whole autotuned send buffer (4 MiB) full, and each ACK from the client then makes the
 * kernel transmit the queued bytes in the client's own context — on loopback that moves the server's TCP work onto
 * the client's CPU (bench/results/large-files.md). Bytes in flight are not limited, so long-RTT links keep their
 * window: unlike a fixed SO_SNDBUF, this costs no throughput there.
 *
 * <p>The JDK has no such socket option and no public file descriptor, so the listener is found among this process's
 * sockets (/proc/self/fd) as the listening one bound to the port, and the option is set on that descriptor with the
 * FFM API on Java 22+ ({@link FfmSocketCalls}), else with the JDK's own socket natives ({@link JdkSocketCalls},
 * which needs {@code java.base/sun.nio.ch} opened: the jar's manifest and the launchers do). When neither is
 * reachable the option is skipped, said once in the log, and serving goes on with the kernel's default.
 */
public final class NotSentLowWater {
    private static final int SOL_SOCKET = 1;
    private static final int SO_ACCEPTCONN = 30;
    private static final int IPPROTO_TCP = 6;
    private static final int TCP_NOTSENT_LOWAT = 25;
    private static final AtomicBoolean SKIP_LOGGED = new AtomicBoolean();

    /** What {@link #apply} did: set on {@code sockets} listeners through {@code via}, or not, and why. */
    public record Outcome(int sockets, String via, String skipped) {
        public boolean applied() {
            return sockets > 0;
        }
    }

    private NotSentLowWater() {
    }

    /**
     * Sets TCP_NOTSENT_LOWAT to {@code bytes} on this process's listening TCP sockets bound to {@code port}, and reads
     * it back. Never throws: a runtime or kernel without the option leaves the sockets as they are; the first such
     * skip in this process is logged (one line, at start-up), later ones only at debug level.
     */
    public static Outcome apply(int port, int bytes) {
        Outcome o = attempt(port, bytes);
        if (!o.applied() && bytes > 0 && SKIP_LOGGED.compareAndSet(false, true)) {
            Log.info("http", "TCP_NOTSENT_LOWAT not set, large downloads cost the client more CPU", "reason",
                    o.skipped());
        }
        Log.debug("http", "notsent_lowat", "port", port, "bytes", bytes, "listeners", o.sockets(), "via", o.via(),
                "skipped", o.skipped());
        return o;
    }

    private static Outcome attempt(int port, int bytes) {
        if (bytes <= 0) {
            return new Outcome(0, "", "off");
        }
        if (!Files.isDirectory(Path.of("/proc/self/fd"))) {
            return new Outcome(0, "", "no /proc/self/fd");
        }
        SocketCalls c;
        String via;
        try {
            c = calls();
            via = c instanceof FfmSocketCalls ? "ffm" : "jdk-internal";
        } catch (UnsupportedOperationException e) {
            return new Outcome(0, "", e.getMessage());
        }
        int set = 0;
        try {
            for (int fd : socketFds()) {
                if (c.getIntOption(fd, SOL_SOCKET, SO_ACCEPTCONN) == 1 && c.boundPort(fd) == port
                        && c.setIntOption(fd, IPPROTO_TCP, TCP_NOTSENT_LOWAT, bytes)
                        && c.getIntOption(fd, IPPROTO_TCP, TCP_NOTSENT_LOWAT) == bytes) {
                    set++;
                }
            }
        } catch (IOException e) {
            return new Outcome(0, via, "cannot list /proc/self/fd: " + e.getMessage());
        }
        return new Outcome(set, via, set > 0 ? "" : "no listening socket on port " + port + " took the option");
    }

    /**
     * The FFM API where the runtime has it (public, Java 22+), else the JDK's internal natives.
     *
     * @throws UnsupportedOperationException with both reasons when neither is reachable
     */
    static SocketCalls calls() {
        try {
            return FfmSocketCalls.open();
        } catch (UnsupportedOperationException noFfm) {
            try {
                return JdkSocketCalls.open();
            } catch (UnsupportedOperationException noInternals) {
                throw new UnsupportedOperationException(noFfm.getMessage() + "; " + noInternals.getMessage());
            }
        }
    }

    /** Reads TCP_NOTSENT_LOWAT of a socket of this process, or -1 (for tests and diagnostics). */
    static int read(int fd) {
        try {
            return calls().getIntOption(fd, IPPROTO_TCP, TCP_NOTSENT_LOWAT);
        } catch (UnsupportedOperationException e) {
            return -1;
        }
    }

    static List<Integer> socketFds() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(p -> {
                try {
                    return Files.readSymbolicLink(p).toString().startsWith("socket:");
                } catch (IOException | UnsupportedOperationException e) {
                    return false; // closed meanwhile (the listing's own fd)
                }
            }).map(p -> Integer.parseInt(p.getFileName().toString())).toList();
        }
    }
}
