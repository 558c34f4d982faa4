package org.liso.cgi;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A script's output as one gzip member (RFC 1952), compressed chunk by chunk on the pump thread. Each chunk is
 * flushed (SYNC_FLUSH), so whatever the script wrote reaches the client as soon as it would have uncompressed; the
 * cost is a few bytes per chunk. Not thread-safe: one pump owns it, and {@link #release} frees the native zlib state
 * (about 256 KiB at level 6, which a GC would free only whenever it happens to run), on every end of the run.
 */
final class GzipChunks {
    /** ID1 ID2, CM=deflate, no flags, MTIME 0, XFL 0, OS unknown. */
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};
    private static final int LEVEL = 6;
    /**
     * What {@link #finish} gives at most: every chunk was flushed, so only the header (when no chunk came), an empty
     * last block and the 8-octet trailer are left. This bound is why the relay may take it beyond its queue's.
     */
    static final int MAX_END = 32;

    /** Deflaters made and not yet ended, every run's together: what a test of the run's ends looks at. */
    private static final AtomicInteger OPEN = new AtomicInteger();

    private final Deflater deflater = new Deflater(LEVEL, true);
    private final CRC32 crc = new CRC32();
    private final byte[] out = new byte[CgiRun.CHUNK + 1024];
    private boolean headerSent;
    private boolean released;

    GzipChunks() {
        OPEN.incrementAndGet();
    }

    static int open() {
        return OPEN.get();
    }

    /** The compressed form of {@code plain}'s remaining bytes (consumed), flushed; a fresh buffer. */
    ByteBuffer chunk(ByteBuffer plain) {
        byte[] in = new byte[plain.remaining()];
        plain.get(in);
        crc.update(in);
        deflater.setInput(in);
        return drain(false);
    }

    /**
     * The end of the member: what the deflater still holds (the last block: a few octets, as every chunk was
     * flushed), then CRC-32 and length (ISIZE, mod 2^32); at most {@link #MAX_END} octets.
     */
    ByteBuffer finish() {
        deflater.finish();
        ByteBuffer rest = drain(true);
        ByteBuffer all = ByteBuffer.allocate(rest.remaining() + 8).put(rest);
        int c = (int) crc.getValue();
        int n = (int) deflater.getBytesRead();
        for (int v : new int[] {c, n}) {
            all.put((byte) v).put((byte) (v >>> 8)).put((byte) (v >>> 16)).put((byte) (v >>> 24));
        }
        return all.flip();
    }

    /** Frees the native state; idempotent. */
    void release() {
        if (!released) {
            released = true;
            deflater.end();
            OPEN.decrementAndGet();
        }
    }

    /** Everything the deflater gives now: until it has finished, or (flushing) until it no longer fills the buffer. */
    private ByteBuffer drain(boolean finishing) {
        ByteArrayOutputStream acc = new ByteArrayOutputStream(out.length);
        if (!headerSent) {
            acc.write(HEADER, 0, HEADER.length);
            headerSent = true;
        }
        while (true) {
            int n = deflater.deflate(out, 0, out.length, finishing ? Deflater.NO_FLUSH : Deflater.SYNC_FLUSH);
            acc.write(out, 0, n);
            if (finishing ? deflater.finished() : n < out.length) {
                break;
            }
        }
        return ByteBuffer.wrap(acc.toByteArray());
    }
}
