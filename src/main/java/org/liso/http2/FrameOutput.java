package org.liso.http2;

import java.nio.ByteBuffer;

/**
 * The frames a session wrote that the connection has not taken yet: one growable buffer, handed over whole so the
 * frames leave in the order they were written (RFC 9113 §5.1: a stream's frames must not be reordered).
 */
final class FrameOutput {
    private static final int FIRST = 512;
    private static final int MOST_KEPT = 64 << 10;

    private ByteBuffer out = ByteBuffer.allocate(FIRST);

    /** The buffer to write into, with room for at least {@code octets} more. */
    ByteBuffer room(int octets) {
        if (out.remaining() < octets) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(out.capacity() * 2, out.position() + octets));
            bigger.put(out.flip());
            out = bigger;
        }
        return out;
    }

    int pending() {
        return out.position();
    }

    /** Everything written since the last call; the next buffer starts at about half this one's size. */
    ByteBuffer take() {
        ByteBuffer b = out.flip();
        out = ByteBuffer.allocate(Math.min(Math.max(FIRST, b.capacity() / 2), MOST_KEPT));
        return b;
    }
}
