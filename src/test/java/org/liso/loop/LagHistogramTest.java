package org.liso.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LagHistogramTest {

    @Test
    void bucketsArePowersOfTwoMicroseconds() {
        assertThat(LagHistogram.bucket(0)).isZero();
        assertThat(LagHistogram.bucket(999)).isZero();
        assertThat(LagHistogram.bucket(1_000)).isEqualTo(1); // [1 µs, 2 µs)
        assertThat(LagHistogram.bucket(1_999)).isEqualTo(1);
        assertThat(LagHistogram.bucket(2_000)).isEqualTo(2);
        assertThat(LagHistogram.bucket(1_000_000)).isEqualTo(10); // 1 ms in [512 µs, 1024 µs)
        assertThat(LagHistogram.bucket(Long.MAX_VALUE)).isEqualTo(LagHistogram.BUCKETS - 1);
        assertThat(LagHistogram.upperSeconds(10)).isEqualTo(1024e-6);
        assertThat(LagHistogram.upperSeconds(LagHistogram.BUCKETS - 1)).isInfinite();
    }

    @Test
    void quantilesInterpolateInsideTheirBucket() {
        LagHistogram h = new LagHistogram();
        for (int i = 0; i < 98; i++) {
            h.record(1_500); // 1.5 µs: bucket [1, 2) µs
        }
        h.record(3_000_000); // 3 ms: bucket [2048, 4096) µs
        h.record(3_000_000);
        long[] counts = new long[LagHistogram.BUCKETS];
        assertThat(h.copyInto(counts)).isEqualTo(98 * 1_500L + 2 * 3_000_000L);
        double p50 = LagHistogram.quantile(counts, 0.5);
        assertThat(p50).isBetween(1e-6, 2e-6);
        double p99 = LagHistogram.quantile(counts, 0.99);
        assertThat(p99).isBetween(2048e-6, 4096e-6);
        assertThat(LagHistogram.quantile(new long[LagHistogram.BUCKETS], 0.99)).isZero();
        h.record(-5); // a clock step backwards counts as no lag, not as a huge one
        h.copyInto(counts);
        assertThat(counts[0]).isEqualTo(1);
    }

    @Test
    void theLastBucketAnswersItsLowerBound() {
        long[] counts = new long[LagHistogram.BUCKETS];
        counts[LagHistogram.BUCKETS - 1] = 10;
        assertThat(LagHistogram.quantile(counts, 0.5)).isCloseTo((1L << (LagHistogram.BUCKETS - 2)) / 1e6,
                within(1e-9));
    }

    /**
     * A real loop counts one lag per readiness it dispatches: two connections made ready together, whose first
     * callback blocks 20 ms, put one lag of at least 20 ms in the histogram (the second key waited for the first).
     */
    @Test
    void theLoopRecordsTheWaitBehindAnEarlierCallback() throws Exception {
        EventLoop loop = new EventLoop("lag-test");
        Thread t = new Thread(loop::run, "lag-test");
        t.setDaemon(true);
        t.start();
        try (java.nio.channels.ServerSocketChannel server = java.nio.channels.ServerSocketChannel.open()) {
            server.bind(new java.net.InetSocketAddress("127.0.0.1", 0));
            SocketChannel a = SocketChannel.open(server.getLocalAddress());
            SocketChannel b = SocketChannel.open(server.getLocalAddress());
            SocketChannel sa = server.accept();
            SocketChannel sb = server.accept();
            CompletableFuture<Void> registered = new CompletableFuture<>();
            CompletableFuture<Void> bothRan = new CompletableFuture<>();
            int[] ran = new int[1];
            loop.execute(() -> {
                try {
                    for (SocketChannel s : new SocketChannel[] {sa, sb}) {
                        s.configureBlocking(false);
                        loop.register(s, java.nio.channels.SelectionKey.OP_READ, ops -> {
                            try {
                                s.read(java.nio.ByteBuffer.allocate(16));
                                long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
                                while (System.nanoTime() < end) {
                                    Thread.onSpinWait(); // a callback that holds the loop for 20 ms
                                }
                                if (++ran[0] == 2) {
                                    bothRan.complete(null);
                                }
                            } catch (java.io.IOException e) {
                                bothRan.completeExceptionally(e);
                            }
                        });
                    }
                    registered.complete(null);
                } catch (java.io.IOException e) {
                    registered.completeExceptionally(e);
                }
            });
            registered.get(5, TimeUnit.SECONDS);
            // Both written before the loop wakes, so that one select returns both keys: it is busy in the task
            // below until both bytes are in.
            CompletableFuture<Void> hold = new CompletableFuture<>();
            loop.execute(() -> hold.join());
            a.write(java.nio.ByteBuffer.wrap(new byte[] {1}));
            b.write(java.nio.ByteBuffer.wrap(new byte[] {1}));
            hold.complete(null);
            bothRan.get(5, TimeUnit.SECONDS);
            CompletableFuture<long[]> counts = new CompletableFuture<>();
            loop.execute(() -> {
                long[] c = new long[LagHistogram.BUCKETS];
                loop.lag().copyInto(c);
                counts.complete(c);
            });
            long[] c = counts.get(5, TimeUnit.SECONDS);
            long atLeast16ms = 0;
            for (int i = LagHistogram.bucket(16_000_000); i < c.length; i++) {
                atLeast16ms += c[i];
            }
            assertThat(atLeast16ms).as("lags of 16 ms or more in " + java.util.Arrays.toString(c)).isEqualTo(1);
            a.close();
            b.close();
        } finally {
            loop.stop();
            loop.awaitStop(5000);
        }
    }
}
