package org.liso.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.server.spi.Body;

/**
 * Loops share one file handler, so one cache entry is hit by several threads at once: each must get the file's own
 * bytes, whole and in ranges, while entries are revalidated, dropped and loaded again under it. Two files of different
 * content make a mixed-up entry show as wrong bytes, not only a moved position.
 */
class SmallFileCacheConcurrencyTest {
    private static final int ROUNDS = 20_000;

    @TempDir
    Path dir;

    @Test
    void twoThreadsHittingTheSameEntriesGetTheRightBytes() throws Exception {
        byte[] a = pattern(3001, 7);
        byte[] b = pattern(2999, 13);
        Path fa = Files.write(dir.resolve("a.bin"), a);
        Path fb = Files.write(dir.resolve("b.bin"), b);
        AtomicLong clock = new AtomicLong();
        AtomicInteger revalidations = new AtomicInteger();
        // Every third revalidation says "stale": the entry is dropped and the next miss loads it again.
        SmallFileCache cache = new SmallFileCache(1 << 20, 4096, clock::get,
                (k, e) -> revalidations.incrementAndGet() % 3 != 0);
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                results.add(pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    int hits = 0;
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    for (int i = 0; i < ROUNDS; i++) {
                        boolean first = random.nextBoolean();
                        String key = first ? "/a.bin" : "/b.bin";
                        byte[] want = first ? a : b;
                        SmallFileCache.Entry e = cache.get(key);
                        if (e == null) {
                            Path f = first ? fa : fb;
                            e = cache.load(key, f, FileMeta.of(f, Files.readAttributes(f, BasicFileAttributes.class),
                                    MimeTypes.WEB));
                        } else {
                            hits++;
                        }
                        check(FileContent.of(e).all(), want, 0, want.length);
                        int from = random.nextInt(want.length);
                        int length = random.nextInt(want.length - from) + 1;
                        check(FileContent.of(e).range(from, length), want, from, length);
                        clock.addAndGet(97); // a revalidation about every tenth round
                    }
                    return hits;
                }));
            }
            int hits = 0;
            for (Future<Integer> f : results) {
                hits += f.get(60, TimeUnit.SECONDS);
            }
            assertThat(hits).as("cache hits (the case under test)").isGreaterThan(ROUNDS);
            assertThat(revalidations.get()).as("revalidations while hit").isGreaterThan(100);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Reads {@code body} the way the sender does (its own view, byte by byte) and compares with the file's part. */
    private static void check(Body body, byte[] file, int from, int length) {
        ByteBuffer view = ((Body.Bytes) body).view();
        assertThat(view.remaining()).isEqualTo(length);
        for (int i = 0; i < length; i++) {
            byte got = view.get();
            if (got != file[from + i]) {
                throw new AssertionError("byte " + (from + i) + " is " + got + ", the file has " + file[from + i]);
            }
        }
    }

    private static byte[] pattern(int size, int step) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i * step);
        }
        return b;
    }
}
