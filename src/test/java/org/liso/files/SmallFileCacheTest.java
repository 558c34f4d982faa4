package org.liso.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmallFileCacheTest {
    private static final int FILE = 1000;
    private static final long COST = FILE + SmallFileCache.ENTRY_OVERHEAD;

    @TempDir
    Path dir;

    private final AtomicLong clock = new AtomicLong();
    private final AtomicInteger revalidations = new AtomicInteger();

    private SmallFileCache cache(long maxBytes) {
        return new SmallFileCache(maxBytes, 4096, clock::get, (k, e) -> {
            revalidations.incrementAndGet();
            return true;
        });
    }

    private void load(SmallFileCache cache, String name) throws IOException {
        Path f = dir.resolve(name);
        if (!Files.exists(f)) {
            Files.write(f, new byte[FILE]);
        }
        FileMeta meta = FileMeta.of(f, Files.readAttributes(f, BasicFileAttributes.class), MimeTypes.WEB);
        assertThat(cache.load("/" + name, f, meta)).isNotNull();
    }

    @Test
    void totalStaysWithinTheBound() throws IOException {
        SmallFileCache cache = cache(4 * COST);
        for (int i = 0; i < 20; i++) {
            clock.incrementAndGet();
            load(cache, "f" + i);
            assertThat(cache.bytes()).isLessThanOrEqualTo(4 * COST);
            assertThat(cache.size()).isLessThanOrEqualTo(4);
        }
        assertThat(cache.contains("/f19")).isTrue();
        assertThat(cache.contains("/f0")).isFalse();
    }

    @Test
    void leastRecentlyUsedGoesFirstToTheGranuleOfUseTimes() throws IOException {
        SmallFileCache cache = cache(3 * COST);
        load(cache, "a");
        clock.addAndGet(SmallFileCache.USE_TIME_GRANULE_MILLIS);
        load(cache, "b");
        clock.addAndGet(SmallFileCache.USE_TIME_GRANULE_MILLIS);
        load(cache, "c");
        clock.addAndGet(SmallFileCache.USE_TIME_GRANULE_MILLIS);
        assertThat(cache.get("/a")).isNotNull();
        clock.addAndGet(SmallFileCache.USE_TIME_GRANULE_MILLIS);
        load(cache, "d");
        assertThat(cache.contains("/a")).as("used recently").isTrue();
        assertThat(cache.contains("/d")).isTrue();
        assertThat(cache.contains("/b")).as("least recently used").isFalse();
    }

    /**
     * Loops share the cache: a hit that wrote its entry every time would move the entry's cache line between the
     * cores on every request. Within a granule of use time a hit writes nothing; after it, one write.
     */
    @Test
    void aHotEntryIsNotWrittenOnEveryHit() throws IOException {
        SmallFileCache cache = cache(3 * COST);
        load(cache, "a");
        SmallFileCache.Entry e = cache.get("/a");
        long used = e.lastUsed;
        for (int i = 1; i < SmallFileCache.USE_TIME_GRANULE_MILLIS; i++) {
            clock.incrementAndGet();
            assertThat(cache.get("/a")).isSameAs(e);
            assertThat(e.lastUsed).as("use time after a hit %d ms later", i).isEqualTo(used);
        }
        clock.incrementAndGet();
        cache.get("/a");
        assertThat(e.lastUsed).as("a granule later").isEqualTo(clock.get());
    }

    @Test
    void revalidatesAtMostOnceASecondPerEntry() throws IOException {
        SmallFileCache cache = cache(1 << 20);
        load(cache, "a");
        for (int i = 0; i < 100; i++) {
            assertThat(cache.get("/a")).isNotNull();
        }
        clock.addAndGet(999);
        cache.get("/a");
        assertThat(revalidations).hasValue(0);
        clock.addAndGet(1);
        for (int i = 0; i < 100; i++) {
            cache.get("/a");
        }
        assertThat(revalidations).hasValue(1);
        clock.addAndGet(1000);
        cache.get("/a");
        assertThat(revalidations).hasValue(2);
    }

    @Test
    void staleEntriesAreDropped() throws IOException {
        SmallFileCache cache = new SmallFileCache(1 << 20, 4096, clock::get, (k, e) -> false);
        load(cache, "a");
        long held = cache.bytes();
        assertThat(held).isEqualTo(COST);
        clock.addAndGet(1000);
        assertThat(cache.get("/a")).isNull();
        assertThat(cache.bytes()).isZero();
        assertThat(cache.size()).isZero();
    }

    @Test
    void admitsOnlyFilesWithinBothLimits() {
        SmallFileCache cache = cache(2048);
        assertThat(cache.admits(1000)).isTrue();
        assertThat(cache.admits(4096)).as("larger than the whole cache").isFalse();
        assertThat(cache(1 << 20).admits(4097)).as("larger than an entry may be").isFalse();
        assertThat(cache(0).admits(1)).isFalse();
    }
}
