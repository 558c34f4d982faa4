package org.liso.transport.tls;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Record-sized direct buffers shared by the TLS connections of one loop thread. A connection leases a buffer only
 * while it holds bytes in it (a partial record, decrypted data the application has not read yet, a record the socket
 * has not taken) and gives it back as soon as it is empty, so an idle connection holds none: 10,000 idle TLS
 * connections cost their SSLEngines, not 10,000 × 3 × 16 KiB.
 *
 * <p>One pool per thread (each loop is one thread) and buffer size, so leasing needs no lock. At most
 * {@link #MAX_FREE} free buffers are kept per pool; more go to the garbage collector.
 */
final class BufferPool {
    static final int MAX_FREE = 64;

    /** The pools of one thread by buffer size: records (about 16 KiB) and write batches of several records. */
    private static final ThreadLocal<Map<Integer, BufferPool>> PER_THREAD = ThreadLocal.withInitial(HashMap::new);

    private final int size;
    private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();
    private int leased;

    BufferPool(int size) {
        this.size = size;
    }

    /** The calling thread's pool for buffers of {@code size} bytes. */
    static BufferPool forCurrentThread(int size) {
        return PER_THREAD.get().computeIfAbsent(size, BufferPool::new);
    }

    /** A cleared buffer of at least {@link #size()} bytes. */
    ByteBuffer lease() {
        ByteBuffer b = free.pollFirst();
        leased++;
        return b != null ? b.clear() : ByteBuffer.allocateDirect(size);
    }

    /** Takes a buffer back; one of another size (grown for an oversized record) is left to the collector. */
    void release(ByteBuffer b) {
        if (b.capacity() != size || !b.isDirect()) {
            return;
        }
        leased--;
        if (free.size() < MAX_FREE) {
            free.addFirst(b);
        }
    }

    int size() {
        return size;
    }

    /** Buffers currently held by connections; a test uses it to show idle connections hold none. */
    int leased() {
        return leased;
    }

    int free() {
        return free.size();
    }
}
