package org.liso.loop;

/**
 * How long readiness waited for its callback on one loop: from the moment {@code select()} handed the loop a batch
 * of ready keys to the moment a key's handler ran (the time spent on the keys before it in the batch). A fixed
 * array of power-of-two buckets, so recording allocates nothing and costs an increment. Loop thread only: the
 * scrape copies it from a task on the same loop ({@link #copyInto}), so plain fields need no fence.
 *
 * <p>Bucket {@code i} holds lags below {@code 2^i} microseconds ({@code i = 0}: below 1 µs); the last one holds the
 * rest (above about 4 s).
 */
public final class LagHistogram {
    /** Buckets: below 1 µs, 2 µs, 4 µs ... 2^22 µs (about 4.2 s), and one for everything longer. */
    public static final int BUCKETS = 24;

    private final long[] counts = new long[BUCKETS];
    private long sumNanos;

    /** Counts one lag of {@code nanos} (a negative one, from a clock step, counts as zero). */
    void record(long nanos) {
        long n = Math.max(0, nanos);
        sumNanos += n;
        counts[bucket(n)]++;
    }

    static int bucket(long nanos) {
        long micros = nanos / 1000;
        int i = micros == 0 ? 0 : 64 - Long.numberOfLeadingZeros(micros);
        return Math.min(i, BUCKETS - 1);
    }

    /** The upper bound of bucket {@code i} in seconds; infinite for the last. */
    public static double upperSeconds(int i) {
        return i >= BUCKETS - 1 ? Double.POSITIVE_INFINITY : (1L << i) / 1e6;
    }

    /** The lower bound of bucket {@code i} in seconds. */
    static double lowerSeconds(int i) {
        return i == 0 ? 0 : (1L << (i - 1)) / 1e6;
    }

    /** Copies the counts into {@code into} (length {@link #BUCKETS}); returns the sum of every lag in nanoseconds. */
    public long copyInto(long[] into) {
        System.arraycopy(counts, 0, into, 0, BUCKETS);
        return sumNanos;
    }

    /**
     * The {@code q}-quantile (0..1) of the lags counted in {@code counts}, in seconds, interpolated linearly inside
     * its bucket as Prometheus's histogram_quantile does; 0 when nothing was counted. Past the last finite bound the
     * answer is that bound: the value is then "at least".
     */
    public static double quantile(long[] counts, double q) {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        if (total == 0) {
            return 0;
        }
        double rank = q * total;
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == 0) {
                continue;
            }
            if (seen + counts[i] >= rank) {
                if (i == counts.length - 1) {
                    return lowerSeconds(i);
                }
                double within = (rank - seen) / counts[i];
                return lowerSeconds(i) + within * (upperSeconds(i) - lowerSeconds(i));
            }
            seen += counts[i];
        }
        return lowerSeconds(counts.length - 1);
    }
}
