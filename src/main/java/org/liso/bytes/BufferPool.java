package org.liso.bytes;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Fixed-size direct buffers lent to connections only while they hold bytes, so ten thousand idle keep-alive
 * connections hold none. Direct, because a socket read into a heap buffer goes through a temporary direct one and is
 * copied again. Loop thread only (one pool per loop); bounded: beyond {@code maxPooled} returned buffers are left to GC.
 */
public final class BufferPool {
    private final int bufferSize;
    private final int maxPooled;
    private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();

    public BufferPool(int bufferSize, int maxPooled) {
        this.bufferSize = bufferSize;
        this.maxPooled = maxPooled;
    }

    /** A cleared buffer of {@link #bufferSize()} bytes. */
    public ByteBuffer take() {
        ByteBuffer b = free.pollFirst();
        return b != null ? b.clear() : ByteBuffer.allocateDirect(bufferSize);
    }

    public void give(ByteBuffer b) {
        if (b != null && b.capacity() == bufferSize && free.size() < maxPooled) {
            free.addFirst(b);
        }
    }

    public int bufferSize() {
        return bufferSize;
    }
}
