package org.liso.http2;

import java.nio.ByteBuffer;

/**
 * One frame as read: header fields and the payload, not yet interpreted. The payload is a view into the reader's
 * input or its own buffer, valid until the reader is called again; {@link FramePayloads} checks and takes it apart.
 */
public record Frame(int type, int flags, int streamId, ByteBuffer payload) {

    public boolean has(int flag) {
        return (flags & flag) != 0;
    }

    public int length() {
        return payload.remaining();
    }

    @Override
    public String toString() {
        return FrameType.name(type) + " stream=" + streamId + " flags=0x" + Integer.toHexString(flags)
                + " length=" + payload.remaining();
    }
}
