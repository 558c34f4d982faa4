package org.liso.http2;

import java.nio.ByteBuffer;

/**
 * Checks a frame's payload against its type's layout (RFC 9113 §6) and takes it apart. Each method raises the error
 * §6 names for that type: a wrong stream, a wrong length, padding longer than the payload.
 */
public final class FramePayloads {

    /** What a HEADERS frame carries besides its flags. */
    public record HeadersPayload(ByteBuffer fragment, int dependency, boolean exclusive, int weight) {
    }

    /** GOAWAY's last stream, error code and debug data. */
    public record GoAway(int lastStreamId, ErrorCode code, ByteBuffer debug) {
    }

    private FramePayloads() {
    }

    /** §6.1: the data, padding removed. */
    public static ByteBuffer data(Frame f) throws Http2Exception {
        onStream(f);
        return unpad(f);
    }

    /** §6.2: the header block fragment, padding and priority fields removed. */
    public static HeadersPayload headers(Frame f) throws Http2Exception {
        onStream(f);
        ByteBuffer p = unpad(f);
        int dependency = 0;
        boolean exclusive = false;
        int weight = 16;
        if (f.has(FrameType.FLAG_PRIORITY)) {
            if (p.remaining() < 5) {
                throw Http2Exception.connection(ErrorCode.FRAME_SIZE_ERROR, "HEADERS too short for its priority");
            }
            int d = p.getInt();
            exclusive = d < 0;
            dependency = d & 0x7fffffff;
            weight = (p.get() & 0xff) + 1;
            selfDependency(f, dependency);
        }
        return new HeadersPayload(p.slice(), dependency, exclusive, weight);
    }

    /** §6.3: parsed to be checked, then ignored (RFC 9113 deprecates the priority scheme it signals). */
    public static void priority(Frame f) throws Http2Exception {
        onStream(f);
        if (f.length() != 5) {
            throw Http2Exception.stream(f.streamId(), ErrorCode.FRAME_SIZE_ERROR, "PRIORITY of " + f.length());
        }
        selfDependency(f, f.payload().getInt(f.payload().position()) & 0x7fffffff);
    }

    /** §6.4. */
    public static ErrorCode rstStream(Frame f) throws Http2Exception {
        onStream(f);
        exactLength(f, 4);
        return ErrorCode.of(Integer.toUnsignedLong(f.payload().getInt(f.payload().position())));
    }

    /** §6.5: applies every parameter to {@code into}; an ACK must be empty and changes nothing. */
    public static void settings(Frame f, Settings into) throws Http2Exception {
        onConnection(f);
        if (f.has(FrameType.FLAG_ACK)) {
            if (f.length() != 0) {
                throw Http2Exception.connection(ErrorCode.FRAME_SIZE_ERROR, "SETTINGS ACK with a payload");
            }
            return;
        }
        if (f.length() % 6 != 0) {
            throw Http2Exception.connection(ErrorCode.FRAME_SIZE_ERROR, "SETTINGS of " + f.length());
        }
        ByteBuffer p = f.payload().duplicate();
        while (p.hasRemaining()) {
            int id = p.getShort() & 0xffff;
            long value = Integer.toUnsignedLong(p.getInt());
            into.apply(id, value);
        }
    }

    /** §6.7: the 8 opaque octets, to be echoed in the ACK. */
    public static long ping(Frame f) throws Http2Exception {
        onConnection(f);
        if (f.length() != 8) {
            throw Http2Exception.connection(ErrorCode.FRAME_SIZE_ERROR, "PING of " + f.length());
        }
        return f.payload().getLong(f.payload().position());
    }

    /** §6.8. */
    public static GoAway goAway(Frame f) throws Http2Exception {
        onConnection(f);
        if (f.length() < 8) {
            throw Http2Exception.connection(ErrorCode.FRAME_SIZE_ERROR, "GOAWAY of " + f.length());
        }
        ByteBuffer p = f.payload().duplicate();
        int last = p.getInt() & 0x7fffffff;
        ErrorCode code = ErrorCode.of(Integer.toUnsignedLong(p.getInt()));
        return new GoAway(last, code, p.slice());
    }

    /** §6.9: the increment, 1 to 2^31 - 1; 0 is an error of the stream it names, or of the connection. */
    public static int windowUpdate(Frame f) throws Http2Exception {
        if (f.length() != 4) {
            throw Http2Exception.connection(ErrorCode.FRAME_SIZE_ERROR, "WINDOW_UPDATE of " + f.length());
        }
        int increment = f.payload().getInt(f.payload().position()) & 0x7fffffff;
        if (increment == 0) {
            String m = "WINDOW_UPDATE of 0";
            throw f.streamId() == 0 ? Http2Exception.connection(ErrorCode.PROTOCOL_ERROR, m)
                    : Http2Exception.stream(f.streamId(), ErrorCode.PROTOCOL_ERROR, m);
        }
        return increment;
    }

    /** §6.10: the header block fragment. */
    public static ByteBuffer continuation(Frame f) throws Http2Exception {
        onStream(f);
        return f.payload().slice();
    }

    private static ByteBuffer unpad(Frame f) throws Http2Exception {
        ByteBuffer p = f.payload().slice();
        if (!f.has(FrameType.FLAG_PADDED)) {
            return p;
        }
        if (p.remaining() < 1) {
            throw Http2Exception.connection(ErrorCode.FRAME_SIZE_ERROR, FrameType.name(f.type()) + " too short");
        }
        int pad = p.get() & 0xff;
        // §6.1, §6.2: padding that is not shorter than the rest of the payload is a connection PROTOCOL_ERROR.
        if (pad > p.remaining() - (f.type() == FrameType.HEADERS && f.has(FrameType.FLAG_PRIORITY) ? 5 : 0)) {
            throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR, "padding longer than the payload");
        }
        return p.slice(p.position(), p.remaining() - pad);
    }

    private static void selfDependency(Frame f, int dependency) throws Http2Exception {
        if (dependency == f.streamId()) {
            throw Http2Exception.stream(f.streamId(), ErrorCode.PROTOCOL_ERROR, "stream depends on itself");
        }
    }

    private static void onStream(Frame f) throws Http2Exception {
        if (f.streamId() == 0) {
            throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR, FrameType.name(f.type()) + " on stream 0");
        }
    }

    private static void onConnection(Frame f) throws Http2Exception {
        if (f.streamId() != 0) {
            throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR,
                    FrameType.name(f.type()) + " on stream " + f.streamId());
        }
    }

    private static void exactLength(Frame f, int n) throws Http2Exception {
        if (f.length() != n) {
            throw Http2Exception.connection(ErrorCode.FRAME_SIZE_ERROR, FrameType.name(f.type()) + " of "
                    + f.length());
        }
    }
}
