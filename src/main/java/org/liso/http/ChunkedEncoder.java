package org.liso.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Framing bytes of the chunked coding (RFC 9112 §7.1) for responses of unknown length: send
 * {@code header(n)}, n data octets, {@code trailer()}, ... and finally {@code last()}.
 */
public final class ChunkedEncoder {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final ByteBuffer CRLF = ByteBuffer.wrap(new byte[] {'\r', '\n'}).asReadOnlyBuffer();
    private static final ByteBuffer LAST = ByteBuffer.wrap("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII))
            .asReadOnlyBuffer();

    private ChunkedEncoder() {
    }

    /** "{hex size}\r\n" for a data chunk of {@code size} octets (size &gt; 0; 0 would end the body). */
    public static ByteBuffer header(int size) {
        ByteBuffer b = ByteBuffer.allocate(10);
        writeHeader(size, b);
        return b.flip();
    }

    /** Writes the chunk header into {@code out} without allocating; at most 10 bytes. */
    public static void writeHeader(int size, ByteBuffer out) {
        if (size <= 0) {
            throw new IllegalArgumentException("chunk size must be positive: " + size);
        }
        int shift = 28;
        while ((size >>> shift) == 0) {
            shift -= 4;
        }
        for (; shift >= 0; shift -= 4) {
            out.put(HEX[(size >>> shift) & 0xf]);
        }
        out.put((byte) '\r').put((byte) '\n');
    }

    /** The CRLF that ends a data chunk. */
    public static ByteBuffer trailer() {
        return CRLF.duplicate();
    }

    /** "0\r\n\r\n": the last chunk and an empty trailer section. */
    public static ByteBuffer last() {
        return LAST.duplicate();
    }
}
