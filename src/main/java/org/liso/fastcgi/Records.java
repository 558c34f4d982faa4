package org.liso.fastcgi;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The FastCGI 1.0 record layout (specification §3.3, §8): an 8-byte header (version, type, request id, content
 * length, padding length, reserved), then the content, then padding. Pure: builds records into buffers, no channels.
 */
final class Records {
    static final int VERSION = 1;
    static final int HEADER = 8;
    /** The largest content one record carries: contentLength is 16 bits. */
    static final int MAX_CONTENT = 0xffff;
    /** Content this client puts in one stream record: a multiple of 8, so no padding is needed. */
    static final int STREAM_CONTENT = 0xfff8;

    static final int BEGIN_REQUEST = 1;
    static final int ABORT_REQUEST = 2;
    static final int END_REQUEST = 3;
    static final int PARAMS = 4;
    static final int STDIN = 5;
    static final int STDOUT = 6;
    static final int STDERR = 7;
    static final int DATA = 8;
    static final int GET_VALUES = 9;
    static final int GET_VALUES_RESULT = 10;
    static final int UNKNOWN_TYPE = 11;

    /** §5.1: the Responder role, the one an HTTP server uses (§6.2). */
    static final int RESPONDER = 1;
    /** §5.1: the application keeps the connection open after the request, for the next one. */
    static final int KEEP_CONN = 1;

    /** §5.5 protocolStatus values. */
    static final int REQUEST_COMPLETE = 0;
    static final int CANT_MPX_CONN = 1;
    static final int OVERLOADED = 2;
    static final int UNKNOWN_ROLE = 3;

    private Records() {
    }

    /** Writes a header for {@code contentLength} content bytes followed by {@code padding} bytes. */
    static void header(ByteBuffer out, int type, int requestId, int contentLength, int padding) {
        out.put((byte) VERSION).put((byte) type).putShort((short) requestId).putShort((short) contentLength)
                .put((byte) padding).put((byte) 0);
    }

    /** §5.1: FCGI_BEGIN_REQUEST for a Responder, with FCGI_KEEP_CONN when the connection is to be reused. */
    static void beginRequest(ByteBuffer out, int requestId, boolean keepConn) {
        header(out, BEGIN_REQUEST, requestId, 8, 0);
        out.putShort((short) RESPONDER).put((byte) (keepConn ? KEEP_CONN : 0)).put(new byte[5]);
    }

    /** §5.4: FCGI_ABORT_REQUEST, a record without content. */
    static void abortRequest(ByteBuffer out, int requestId) {
        header(out, ABORT_REQUEST, requestId, 0, 0);
    }

    /**
     * A whole stream of {@code type} carrying {@code content} (split into records of at most {@link #STREAM_CONTENT}
     * bytes, padded to 8) and closed by the empty record that ends a stream (§3.3).
     */
    static ByteBuffer stream(int type, int requestId, byte[] content) {
        ByteBuffer out = ByteBuffer.allocate(streamSize(content.length));
        putStream(out, type, requestId, content);
        return out.flip();
    }

    /** The bytes {@link #putStream} writes for {@code contentLength} bytes of content, at most. */
    static int streamSize(int contentLength) {
        int records = (contentLength + STREAM_CONTENT - 1) / STREAM_CONTENT;
        return contentLength + (records + 1) * (HEADER + 7);
    }

    /** Writes the records of {@link #stream} into {@code out}. */
    static void putStream(ByteBuffer out, int type, int requestId, byte[] content) {
        for (int off = 0; off < content.length; off += STREAM_CONTENT) {
            int n = Math.min(STREAM_CONTENT, content.length - off);
            int padding = (8 - (n & 7)) & 7;
            header(out, type, requestId, n, padding);
            out.put(content, off, n);
            for (int i = 0; i < padding; i++) {
                out.put((byte) 0);
            }
        }
        header(out, type, requestId, 0, 0);
    }

    /** §3.4: name-value pairs, each length in one byte below 128, else in four with the high bit set. */
    static byte[] nameValuePairs(Map<String, String> pairs) {
        byte[][] parts = new byte[pairs.size() * 2][];
        int size = 0;
        int i = 0;
        for (Map.Entry<String, String> e : pairs.entrySet()) {
            byte[] n = bytes(e.getKey());
            byte[] v = bytes(e.getValue());
            parts[i++] = n;
            parts[i++] = v;
            size += lengthSize(n.length) + lengthSize(v.length) + n.length + v.length;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        for (int k = 0; k < parts.length; k += 2) {
            length(out, parts[k].length);
            length(out, parts[k + 1].length);
            out.put(parts[k]).put(parts[k + 1]);
        }
        return out.array();
    }

    /** UTF-8, as a CGI script's environment gets them (the decoded path is UTF-8 text). */
    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static int lengthSize(int n) {
        return n < 128 ? 1 : 4;
    }

    private static void length(ByteBuffer out, int n) {
        if (n < 128) {
            out.put((byte) n);
        } else {
            out.putInt(n | 0x8000_0000);
        }
    }
}
