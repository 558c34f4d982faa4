package org.liso.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.liso.server.spi.Body;

/**
 * Small files in memory with their prebuilt validators, keyed by the raw request path, so that a hit costs no open,
 * stat or header formatting. An entry is checked against the file system at most once per {@link #REVALIDATE_MILLIS}
 * (so a changed file shows within a second); the total is bounded, and the least recently used entries go first when
 * it is exceeded. Safe for several loops sharing one handler: lookups are lock-free and, for a hot entry, write
 * nothing shared (a few times a second at most); eviction takes a lock.
 */
final class SmallFileCache {
    static final long REVALIDATE_MILLIS = 1000;
    /**
     * How stale an entry's use time may be. A hit writes the entry only when its use time is older than this: a hot
     * entry hit by several loops would otherwise have its cache line written, and so moved between cores, on every
     * hit. Eviction order is kept to this precision.
     */
    static final long USE_TIME_GRANULE_MILLIS = 100;
    /** Charged per entry beyond its bytes, so that many tiny files cannot grow the map without bound. */
    static final int ENTRY_OVERHEAD = 256;

    /** Decides whether an entry still describes its file; called at most once a second per entry. */
    @FunctionalInterface
    interface Revalidator {
        boolean stillValid(String key, Entry entry);
    }

    /** One cached file: its meta, its content as a shareable body, and bookkeeping. */
    static final class Entry {
        final FileMeta meta;
        final ByteBuffer content;
        final Body body;
        final long cost;
        volatile long checkedAt;
        volatile long lastUsed;

        Entry(FileMeta meta, ByteBuffer content, long now) {
            this.meta = meta;
            this.content = content;
            this.body = Body.bytes(content);
            this.cost = content.remaining() + (long) ENTRY_OVERHEAD;
            this.checkedAt = now;
            this.lastUsed = now;
        }
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong bytes = new AtomicLong();
    private final Object evicting = new Object();
    private final long maxBytes;
    private final int maxFileBytes;
    private final LongSupplier clock;
    private final Revalidator revalidator;

    /** {@code clock} gives monotonic milliseconds. */
    SmallFileCache(long maxBytes, int maxFileBytes, LongSupplier clock, Revalidator revalidator) {
        this.maxBytes = maxBytes;
        this.maxFileBytes = maxFileBytes;
        this.clock = clock;
        this.revalidator = revalidator;
    }

    /** Whether a file of {@code size} bytes would be kept. */
    boolean admits(long size) {
        return maxBytes > 0 && size <= maxFileBytes && size + ENTRY_OVERHEAD <= maxBytes;
    }

    /** The entry for {@code key}, revalidated if its last check is a second old; null when absent or stale. */
    Entry get(String key) {
        Entry e = entries.get(key);
        if (e == null) {
            return null;
        }
        long now = clock.getAsLong();
        if (now - e.lastUsed >= USE_TIME_GRANULE_MILLIS) {
            e.lastUsed = now;
        }
        if (now - e.checkedAt >= REVALIDATE_MILLIS) {
            if (!revalidator.stillValid(key, e)) {
                remove(key, e);
                return null;
            }
            e.checkedAt = now;
        }
        return e;
    }

    /** Reads {@code file} (of {@code meta.size()} bytes) into memory and keeps it; null if it changed meanwhile. */
    Entry load(String key, Path file, FileMeta meta) throws IOException {
        ByteBuffer content = read(file, meta.size());
        if (content == null) {
            return null;
        }
        Entry e = new Entry(meta, content, clock.getAsLong());
        Entry old = entries.put(key, e);
        bytes.addAndGet(e.cost - (old == null ? 0 : old.cost));
        if (bytes.get() > maxBytes) {
            evict();
        }
        return e;
    }

    int size() {
        return entries.size();
    }

    long bytes() {
        return bytes.get();
    }

    boolean contains(String key) {
        return entries.containsKey(key);
    }

    private void remove(String key, Entry e) {
        if (entries.remove(key, e)) {
            bytes.addAndGet(-e.cost);
        }
    }

    /** Drops least recently used entries down to 7/8 of the bound, so that eviction runs rarely, not per insert. */
    private void evict() {
        synchronized (evicting) {
            long target = maxBytes - maxBytes / 8;
            if (bytes.get() <= maxBytes) {
                return;
            }
            // Snapshot the use times: they change under other loops, and a sort needs a stable order.
            List<Victim> all = new ArrayList<>(entries.size());
            entries.forEach((k, e) -> all.add(new Victim(k, e, e.lastUsed)));
            all.sort(Comparator.comparingLong(Victim::lastUsed));
            for (Victim v : all) {
                if (bytes.get() <= target) {
                    break;
                }
                remove(v.key(), v.entry());
            }
        }
    }

    private record Victim(String key, Entry entry, long lastUsed) {
    }

    /** The file's bytes in a read-only direct buffer (sent without another copy), or null if its size changed. */
    private static ByteBuffer read(Path file, long size) throws IOException {
        ByteBuffer buf = ByteBuffer.allocateDirect((int) size);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (buf.hasRemaining()) {
                if (ch.read(buf) < 0) {
                    return null;
                }
            }
            if (ch.size() != size) {
                return null;
            }
        }
        return buf.flip().asReadOnlyBuffer();
    }
}
