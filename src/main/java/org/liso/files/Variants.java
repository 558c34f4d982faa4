package org.liso.files;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.zip.GZIPOutputStream;
import org.liso.Log;
import org.liso.http.ContentCoding;
import org.liso.http.HttpException;
import org.liso.server.spi.Body;

/**
 * What a file may be sent as besides itself, kept per file version (keyed by its entity-tag, which changes with its
 * inode, size or mtime): its precompressed siblings, its gzip made on the fly, and the caching rule its name matches.
 * A version's gzip never goes stale, so it is made once and reused until evicted; siblings are looked at again at
 * most once a second, as the small-file cache does with files. The memory held (compressed bytes and small siblings)
 * is bounded, the least recently used versions going first. Safe for several loops: at worst two compress the same
 * file at once and one result is kept.
 */
final class Variants {
    static final long REVALIDATE_MILLIS = 1000;
    /** Siblings up to this size are held in memory, as the small-file cache holds files. */
    static final int SIBLING_IN_MEMORY_MAX = 256 << 10;
    private static final int ENTRY_OVERHEAD = 512;

    /** One representation other than identity: a sibling on disk or in memory, or compressed bytes. */
    static final class Variant implements FileContent {
        final ContentCoding coding;
        final FileMeta meta;
        private final Path file;
        private final ByteBuffer content;
        private final Body body;

        Variant(ContentCoding coding, FileMeta meta, Path file, ByteBuffer content) {
            this.coding = coding;
            this.meta = meta;
            this.file = file;
            this.content = content;
            this.body = content == null ? null : Body.bytes(content);
        }

        long memory() {
            return content == null ? 0 : content.capacity();
        }

        @Override
        public Body all() throws HttpException {
            return body != null ? body : FileContent.of(file, meta.size()).all();
        }

        @Override
        public Body range(long first, long length) throws HttpException {
            if (content == null) {
                return FileContent.of(file, meta.size()).range(first, length);
            }
            ByteBuffer view = content.duplicate();
            view.position((int) first).limit((int) (first + length));
            return Body.bytes(view.slice());
        }
    }

    /** A gzip that came out no smaller than the file: identity is sent instead. */
    private static final Variant NOT_SMALLER = new Variant(ContentCoding.GZIP, null, null, null);

    /** One file version's alternatives. */
    static final class Set {
        final Path path;
        final FileMeta identity;
        /** Null when no caching rule matches. */
        final CacheRules.Rule rule;
        /** gzip on the fly applies (type, size), unless a .gz sibling exists. */
        final boolean gzipEligible;
        volatile Variant[] siblings;
        volatile int siblingBits;
        volatile Variant gzipped;
        volatile long checkedAt;
        volatile long lastUsed;
        volatile long cost;

        Set(Path path, FileMeta identity, CacheRules.Rule rule, boolean gzipEligible) {
            this.path = path;
            this.identity = identity;
            this.rule = rule;
            this.gzipEligible = gzipEligible;
        }

        /** The response varies on Accept-Encoding: there is something else to send (RFC 9110 §12.5.5). */
        boolean negotiable() {
            return siblingBits != 0 || gzipEligible;
        }
    }

    private final Map<String, Set> sets = new ConcurrentHashMap<>();
    private final AtomicLong bytes = new AtomicLong();
    private final Object evicting = new Object();
    private final CompressionOptions options;
    private final CacheRules rules;
    private final Path root;
    private final LongSupplier clock;

    Variants(Path root, CompressionOptions options, CacheRules rules, LongSupplier clock) {
        this.root = root;
        this.options = options;
        this.rules = rules;
        this.clock = clock;
    }

    /** The alternatives of this version of a file, looked for on first use; siblings rechecked once a second. */
    Set of(Path real, FileMeta identity) {
        Set s = sets.get(identity.etag());
        long now = clock.getAsLong();
        if (s == null) {
            s = create(real, identity, now);
        } else if (now - s.checkedAt >= REVALIDATE_MILLIS) {
            s.checkedAt = now;
            findSiblings(s);
        }
        s.lastUsed = now;
        return s;
    }

    /** The alternatives of a version already seen (a small-file cache hit has no path to look with), or null. */
    Set known(FileMeta identity) {
        Set s = sets.get(identity.etag());
        if (s == null) {
            return null;
        }
        long now = clock.getAsLong();
        if (now - s.checkedAt >= REVALIDATE_MILLIS) {
            s.checkedAt = now;
            findSiblings(s);
        }
        s.lastUsed = now;
        return s;
    }

    /** The gzip of the set's file, made now if not yet; null when it is not worth it or cannot be made. */
    Variant gzipped(Set s) {
        Variant v = s.gzipped;
        if (v == null) {
            v = compress(s);
            s.gzipped = v;
            charge(s, v.memory());
        }
        return v == NOT_SMALLER ? null : v;
    }

    int size() {
        return sets.size();
    }

    long bytes() {
        return bytes.get();
    }

    private Set create(Path real, FileMeta identity, long now) {
        long size = identity.size();
        boolean eligible = options.gzip() && size >= options.gzipMinBytes() && size <= options.gzipMaxBytes()
                && size <= options.cacheBytes() / 2 && ContentCoding.compressible(identity.contentType());
        Set s = new Set(real, identity, rules.match(rulePath(real)), eligible);
        s.checkedAt = now;
        s.lastUsed = now;
        findSiblings(s);
        Set raced = sets.putIfAbsent(identity.etag(), s);
        if (raced != null) {
            return raced;
        }
        if (bytes.addAndGet(s.cost + ENTRY_OVERHEAD) > options.cacheBytes()) {
            evict();
        }
        return s;
    }

    /** The file's path from the root for the caching rules ("/assets/app.css"); its name when outside the root. */
    private String rulePath(Path real) {
        Path name = real.getFileName();
        if (!real.startsWith(root)) {
            return "/" + (name == null ? "" : name);
        }
        StringBuilder sb = new StringBuilder();
        for (Path part : root.relativize(real)) {
            sb.append('/').append(part);
        }
        return sb.toString();
    }

    private void findSiblings(Set s) {
        if (!options.precompressed()) {
            if (s.siblings == null) {
                s.siblings = new Variant[ContentCoding.ALL.length];
            }
            return;
        }
        Variant[] old = s.siblings;
        Variant[] found = new Variant[ContentCoding.ALL.length];
        int bits = 0;
        long memory = 0;
        for (ContentCoding c : ContentCoding.ALL) {
            Variant v = sibling(s, c, old == null ? null : old[c.ordinal()]);
            if (v != null) {
                found[c.ordinal()] = v;
                bits |= c.bit;
                memory += v.memory();
            }
        }
        long before = 0;
        if (old != null) {
            for (Variant v : old) {
                before += v == null ? 0 : v.memory();
            }
        }
        s.siblings = found;
        s.siblingBits = bits;
        if (old != null) {
            charge(s, memory - before);
        } else {
            s.cost = memory; // counted with the set when it is added
        }
    }

    /**
     * {@code FILE.br} (or .zst, .gz) beside the file: a regular file, not a link (a link could lead out of the root),
     * readable, and not older than the file. It keeps its own validators, so a client's cached copy of one coding never validates another, and
     * takes the original's Content-Type (RFC 9110 §8.4: the coding is not the type).
     */
    private Variant sibling(Set s, ContentCoding c, Variant old) {
        Path name = s.path.getFileName();
        if (name == null) {
            return null;
        }
        Path file = s.path.resolveSibling(name + c.suffix);
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return null;
        }
        if (!attrs.isRegularFile() || !Files.isReadable(file)) {
            return null;
        }
        if (attrs.lastModifiedTime().to(TimeUnit.SECONDS) < Math.floorDiv(s.identity.mtimeNanos(), 1_000_000_000L)) {
            // Older than the file: made from an earlier version, it would send stale content. Whole seconds, since
            // brotli -k and zstd -k copy the file's mtime with that precision only.
            return null;
        }
        if (old != null && old.meta.sameAs(attrs)) {
            return old;
        }
        FileMeta own = FileMeta.of(file, attrs, MimeTypes.WEB);
        FileMeta meta = new FileMeta(own.size(), own.mtimeNanos(), own.fileKey(), own.etag(), own.lastModified(),
                s.identity.contentType());
        ByteBuffer content = null;
        if (meta.size() <= SIBLING_IN_MEMORY_MAX && meta.size() <= options.cacheBytes() / 4) {
            try {
                content = read(file, meta.size());
            } catch (IOException e) {
                return null;
            }
            if (content == null) {
                return null; // changed while read: the next look finds it settled
            }
        }
        return new Variant(c, meta, file, content);
    }

    private Variant compress(Set s) {
        FileMeta id = s.identity;
        byte[] plain;
        try {
            plain = Files.readAllBytes(s.path);
            BasicFileAttributes now = Files.readAttributes(s.path, BasicFileAttributes.class);
            if (plain.length != id.size() || !id.sameAs(now)) {
                return NOT_SMALLER; // changed under us: the new version gets a set of its own
            }
        } catch (IOException e) {
            Log.warn("files", "cannot read file to compress", "path", s.path, "error", e.getMessage());
            return NOT_SMALLER;
        }
        byte[] packed = gzip(plain, options.gzipLevel());
        if (packed.length >= plain.length) {
            return NOT_SMALLER;
        }
        ByteBuffer content = ByteBuffer.allocateDirect(packed.length).put(packed).flip().asReadOnlyBuffer();
        // A version's gzip is the same bytes every time (level fixed, no name, mtime 0 in its header), so a strong
        // tag of its own is right (RFC 9110 §8.8.3): the identity tag with the coding's name in it.
        String etag = id.etag().substring(0, id.etag().length() - 1) + "-gz\"";
        FileMeta meta = new FileMeta(packed.length, id.mtimeNanos(), id.fileKey(), etag, id.lastModified(),
                id.contentType());
        return new Variant(ContentCoding.GZIP, meta, null, content);
    }

    /** gzip (RFC 1952) at {@code level}; the header carries no name and mtime 0, so equal input gives equal output. */
    static byte[] gzip(byte[] plain, int level) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(plain.length / 3 + 64);
        try (GZIPOutputStream z = new GZIPOutputStream(out, 8192) {
            {
                def.setLevel(level);
            }
        }) {
            z.write(plain);
        } catch (IOException e) {
            throw new IllegalStateException("gzip into memory failed", e); // a ByteArrayOutputStream cannot fail
        }
        return out.toByteArray();
    }

    /** Counts {@code delta} more bytes held by {@code s}, if it is still kept (an evicted set's bytes went with it). */
    private void charge(Set s, long delta) {
        s.cost += delta;
        if (delta != 0 && sets.get(s.identity.etag()) == s && bytes.addAndGet(delta) > options.cacheBytes()) {
            evict();
        }
    }

    /** Drops least recently used versions down to 7/8 of the bound, so that eviction runs rarely. */
    private void evict() {
        synchronized (evicting) {
            long max = options.cacheBytes();
            if (bytes.get() <= max) {
                return;
            }
            long target = max - max / 8;
            List<Map.Entry<String, Set>> all = new ArrayList<>(sets.entrySet());
            all.sort(Comparator.comparingLong(e -> e.getValue().lastUsed));
            for (Map.Entry<String, Set> e : all) {
                if (bytes.get() <= target) {
                    break;
                }
                if (sets.remove(e.getKey(), e.getValue())) {
                    bytes.addAndGet(-(e.getValue().cost + ENTRY_OVERHEAD));
                }
            }
        }
    }

    private static ByteBuffer read(Path file, long size) throws IOException {
        ByteBuffer buf = ByteBuffer.allocateDirect((int) size);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
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
