package org.liso.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Interim version; the full codec lands from the http branch. */
public final class ChunkedEncoder {
    private ChunkedEncoder() {
    }

    public static ByteBuffer header(int size) {
        return ByteBuffer.wrap((Integer.toHexString(size) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    }

    public static ByteBuffer last() {
        return ByteBuffer.wrap("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    }
}
