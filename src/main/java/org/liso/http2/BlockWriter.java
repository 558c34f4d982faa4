package org.liso.http2;

import java.nio.ByteBuffer;
import java.util.Arrays;

/** A growable byte array for encoding header blocks and frames; reused between blocks, so it keeps its capacity. */
final class BlockWriter {
    private byte[] bytes;
    private int size;

    BlockWriter(int capacity) {
        bytes = new byte[capacity];
    }

    void writeByte(int b) {
        if (size == bytes.length) {
            bytes = Arrays.copyOf(bytes, bytes.length * 2);
        }
        bytes[size++] = (byte) b;
    }

    void writeLatin1(String s) {
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) {
            bytes[size++] = (byte) s.charAt(i);
        }
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }

    int size() {
        return size;
    }

    void reset() {
        size = 0;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    /** A read-only view of what was written; valid until the next write or reset. */
    ByteBuffer view() {
        return ByteBuffer.wrap(bytes, 0, size).asReadOnlyBuffer();
    }
}
