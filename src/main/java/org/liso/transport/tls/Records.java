package org.liso.transport.tls;

import java.nio.ByteBuffer;

/** What can be told about buffered ciphertext without the engine: TLS record framing (RFC 8446 §5.1). */
final class Records {
    /** type (1) + legacy_record_version (2) + length (2). */
    static final int HEADER = 5;

    private Records() {
    }

    /** True when {@code netIn} (filled from index 0 up to its position) starts with a whole record. */
    static boolean hasCompleteRecord(ByteBuffer netIn) {
        if (netIn == null || netIn.position() < HEADER) {
            return false;
        }
        int length = ((netIn.get(3) & 0xff) << 8) | (netIn.get(4) & 0xff);
        return netIn.position() >= HEADER + length;
    }

    /**
     * A larger buffer holding {@code full}'s bytes: the engine announced a packet size beyond the pool's (it may
     * after seeing a large record), or the buffer is full of an incomplete record.
     */
    static ByteBuffer grow(ByteBuffer full, int packetSize, BufferPool pool) {
        ByteBuffer bigger = ByteBuffer.allocateDirect(Math.max(packetSize, full.capacity()) + HEADER + 256);
        full.flip();
        bigger.put(full);
        pool.release(full);
        return bigger;
    }
}
