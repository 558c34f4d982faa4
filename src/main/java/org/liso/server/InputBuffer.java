package org.liso.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.liso.bytes.BufferPool;
import org.liso.transport.Transport;

/**
 * A connection's unread input: a pooled buffer held only while it has bytes, so an idle keep-alive connection holds
 * none. Kept in read mode (position = next unread byte, limit = end of data). Its capacity bounds how far a client can
 * pipeline ahead of the responses.
 */
final class InputBuffer {
    private final BufferPool pool;
    private ByteBuffer buf;
    private boolean eof;

    InputBuffer(BufferPool pool) {
        this.pool = pool;
    }

    /**
     * Reads what the transport has, up to the free room.
     *
     * @return bytes read (0 when nothing came or there is no room)
     */
    int readFrom(Transport transport) throws IOException {
        if (buf == null) {
            buf = pool.take().flip();
        }
        if (buf.remaining() == buf.capacity()) {
            return 0;
        }
        int total = 0;
        buf.compact();
        try {
            while (buf.hasRemaining()) {
                int room = buf.remaining();
                int n = transport.read(buf);
                if (n < 0) {
                    eof = true;
                    break;
                }
                total += n;
                if (n < room) {
                    // A short read emptied the socket: asking again would only cost an EAGAIN syscall per request.
                    break;
                }
            }
        } finally {
            buf.flip();
        }
        if (total == 0) {
            release();
        }
        return total;
    }

    /** The unread bytes, or null when there are none. */
    ByteBuffer bytes() {
        return buf;
    }

    boolean hasBytes() {
        return buf != null && buf.hasRemaining();
    }

    boolean hasRoom() {
        return buf == null || buf.remaining() < buf.capacity();
    }

    /** The peer has finished sending (FIN or TLS close_notify). */
    boolean eof() {
        return eof;
    }

    /** Returns an empty buffer to the pool. */
    void release() {
        if (buf != null && !buf.hasRemaining()) {
            pool.give(buf);
            buf = null;
        }
    }

    /** Forgets unread bytes: framing is lost or the connection is closing. */
    void drop() {
        if (buf != null) {
            pool.give(buf);
            buf = null;
        }
    }
}
