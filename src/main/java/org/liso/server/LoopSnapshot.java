package org.liso.server;

import org.liso.http.Version;

/**
 * One loop's counters at one moment, copied on that loop's thread ({@link HttpServer#snapshot}); immutable once
 * handed over.
 *
 * @param loop          the loop's name
 * @param responses     responses by protocol and status class: index {@code protocol * 5 + class - 1}, protocols as
 *                      {@link #PROTOCOLS} lists them
 * @param serverErrors  5xx responses by {@link ErrorCause} ordinal
 * @param bytesIn       bytes read from clients (after TLS)
 * @param bytesOut      bytes written to clients (before TLS)
 * @param accepted      connections accepted
 * @param connections   open connections by {@link ConnectionPhase} ordinal
 * @param lag           readiness-to-callback lag, every one since the start, by {@link org.liso.loop.LagHistogram}
 *                      bucket
 * @param lagSumNanos   the sum of those lags
 * @param lagWindow     the lags of the last 10 to 20 seconds, by bucket (what the quantiles are taken of)
 */
public record LoopSnapshot(String loop, long[] responses, long[] serverErrors, long bytesIn, long bytesOut,
        long accepted, long handshakesFull, long handshakesResumed, long handshakesFailed, int[] connections,
        long[] lag, long lagSumNanos, long[] lagWindow) {

    /** The protocol labels, in {@link Version} order, then one for a request that never parsed. */
    public static final String[] PROTOCOLS = protocols();

    private static String[] protocols() {
        Version[] v = Version.values();
        String[] names = new String[v.length + 1];
        for (int i = 0; i < v.length; i++) {
            names[i] = v[i].text();
        }
        names[v.length] = "unknown";
        return names;
    }

    public long responses(int protocol, int statusClass) {
        return responses[protocol * 5 + statusClass - 1];
    }

    public long serverErrors(ErrorCause cause) {
        return serverErrors[cause.ordinal()];
    }

    public int connections(ConnectionPhase phase) {
        return connections[phase.ordinal()];
    }

    public int openConnections() {
        int n = 0;
        for (int c : connections) {
            n += c;
        }
        return n;
    }

    public long requests() {
        long n = 0;
        for (long r : responses) {
            n += r;
        }
        return n;
    }

    public long lagCount() {
        long n = 0;
        for (long c : lag) {
            n += c;
        }
        return n;
    }
}
