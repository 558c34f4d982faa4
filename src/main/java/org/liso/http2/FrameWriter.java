package org.liso.http2;

import java.nio.ByteBuffer;

/** Writes frames (RFC 9113 §4.1, §6) into a caller's buffer, which must have room for what it is asked to write. */
public final class FrameWriter {

    private FrameWriter() {
    }

    /** The 9-octet header alone; the payload follows from elsewhere (a DATA frame's file region, say). */
    public static void header(ByteBuffer out, int length, int type, int flags, int streamId) {
        out.put((byte) (length >>> 16)).put((byte) (length >>> 8)).put((byte) length);
        out.put((byte) type).put((byte) flags).putInt(streamId & 0x7fffffff);
    }

    /** A SETTINGS frame of (identifier, value) pairs. */
    public static void settings(ByteBuffer out, long... pairs) {
        header(out, pairs.length / 2 * 6, FrameType.SETTINGS, 0, 0);
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            out.putShort((short) pairs[i]).putInt((int) pairs[i + 1]);
        }
    }

    public static void settingsAck(ByteBuffer out) {
        header(out, 0, FrameType.SETTINGS, FrameType.FLAG_ACK, 0);
    }

    public static void ping(ByteBuffer out, long data, boolean ack) {
        header(out, 8, FrameType.PING, ack ? FrameType.FLAG_ACK : 0, 0);
        out.putLong(data);
    }

    public static void goAway(ByteBuffer out, int lastStreamId, ErrorCode code, byte[] debug) {
        header(out, 8 + debug.length, FrameType.GOAWAY, 0, 0);
        out.putInt(lastStreamId & 0x7fffffff).putInt(code.code()).put(debug);
    }

    public static void rstStream(ByteBuffer out, int streamId, ErrorCode code) {
        header(out, 4, FrameType.RST_STREAM, 0, streamId);
        out.putInt(code.code());
    }

    public static void windowUpdate(ByteBuffer out, int streamId, int increment) {
        header(out, 4, FrameType.WINDOW_UPDATE, 0, streamId);
        out.putInt(increment & 0x7fffffff);
    }

    public static void data(ByteBuffer out, int streamId, ByteBuffer data, boolean endStream) {
        header(out, data.remaining(), FrameType.DATA, endStream ? FrameType.FLAG_END_STREAM : 0, streamId);
        out.put(data);
    }

    /**
     * A header block as HEADERS followed by as many CONTINUATION frames as {@code maxFrameSize} requires (§4.3:
     * they go out back to back, nothing between them).
     */
    public static void headers(ByteBuffer out, int streamId, ByteBuffer block, boolean endStream, int maxFrameSize) {
        ByteBuffer b = block.duplicate();
        int n = Math.min(b.remaining(), maxFrameSize);
        int flags = (endStream ? FrameType.FLAG_END_STREAM : 0) | (n == b.remaining() ? FrameType.FLAG_END_HEADERS : 0);
        header(out, n, FrameType.HEADERS, flags, streamId);
        out.put(b.slice(b.position(), n));
        b.position(b.position() + n);
        while (b.hasRemaining()) {
            n = Math.min(b.remaining(), maxFrameSize);
            header(out, n, FrameType.CONTINUATION, n == b.remaining() ? FrameType.FLAG_END_HEADERS : 0, streamId);
            out.put(b.slice(b.position(), n));
            b.position(b.position() + n);
        }
    }

    /** Octets {@link #headers} writes for a block of this size. */
    public static int headersLength(int blockLength, int maxFrameSize) {
        int frames = Math.max(1, (blockLength + maxFrameSize - 1) / maxFrameSize);
        return blockLength + frames * FrameType.HEADER_LENGTH;
    }
}
