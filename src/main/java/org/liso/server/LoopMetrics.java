package org.liso.server;

import org.liso.http.Version;
import org.liso.loop.EventLoop;
import org.liso.loop.LagHistogram;

/**
 * The counters of one {@link HttpServer}, hence of one loop: plain {@code long} fields, written only by that loop's
 * thread, with no lock and no atomic on the hot path. A scrape does not read them from another thread: it runs
 * {@link #snapshot} as a task on the same loop ({@link HttpServer#snapshot}), so the copy is made by the writer
 * itself, and the queue that hands the copy to the scraping loop orders it (happens-before). Several loops each have
 * their own, summed by the scraper.
 */
final class LoopMetrics {
    /** How often the lag quantiles' window moves on: they cover the last 10 to 20 seconds. */
    static final long LAG_WINDOW_MILLIS = 10_000;

    private final EventLoop loop;
    private final long[] responses = new long[LoopSnapshot.PROTOCOLS.length * 5];
    private final long[] serverErrors = new long[ErrorCause.values().length];
    private long bytesIn;
    private long bytesOut;
    private long accepted;
    private long handshakesFull;
    private long handshakesResumed;
    private long handshakesFailed;
    private long[] lagMark = new long[LagHistogram.BUCKETS];
    private long[] lagMarkBefore = new long[LagHistogram.BUCKETS];
    private long lagMarkAt = Long.MIN_VALUE;

    LoopMetrics(EventLoop loop) {
        this.loop = loop;
    }

    /** A response went out (or its connection closed while it did): counted once, as the access log logs it. */
    void responded(Version version, int status, ErrorCause cause) {
        int protocol = version == null ? LoopSnapshot.PROTOCOLS.length - 1 : version.ordinal();
        int statusClass = Math.min(Math.max(status / 100, 1), 5) - 1;
        responses[protocol * 5 + statusClass]++;
        if (status >= 500) {
            serverErrors[ErrorCause.of(status, cause).ordinal()]++;
        }
    }

    void accepted() {
        accepted++;
    }

    void read(long n) {
        if (n > 0) {
            bytesIn += n;
        }
    }

    void wrote(long n) {
        if (n > 0) {
            bytesOut += n;
        }
    }

    /** A TLS handshake completed. */
    void handshake(boolean resumed) {
        if (resumed) {
            handshakesResumed++;
        } else {
            handshakesFull++;
        }
    }

    /** A connection closed before its TLS handshake completed (alert, timeout, EOF). */
    void handshakeFailed() {
        handshakesFailed++;
    }

    /** A copy of every counter, the connections by phase and the loop's lag. Loop thread only. */
    LoopSnapshot snapshot(Iterable<? extends ServerConnection> open) {
        int[] phases = new int[ConnectionPhase.values().length];
        for (ServerConnection c : open) {
            phases[c.phase().ordinal()]++;
        }
        long[] lag = new long[LagHistogram.BUCKETS];
        long lagSum = loop.lag().copyInto(lag);
        long now = loop.now();
        if (lagMarkAt == Long.MIN_VALUE || now - lagMarkAt >= LAG_WINDOW_MILLIS) {
            lagMarkBefore = lagMark;
            lagMark = lag.clone();
            lagMarkAt = now;
        }
        long[] window = new long[LagHistogram.BUCKETS];
        for (int i = 0; i < window.length; i++) {
            window[i] = lag[i] - lagMarkBefore[i];
        }
        return new LoopSnapshot(loop.name(), responses.clone(), serverErrors.clone(), bytesIn, bytesOut, accepted,
                handshakesFull, handshakesResumed, handshakesFailed, phases, lag, lagSum, window);
    }
}
