package org.liso.http2;

import java.nio.ByteBuffer;

/**
 * Cuts frames out of a byte stream (RFC 9113 §4.1), resuming at any byte boundary. A frame that lies whole in the
 * input is handed out as a slice of it, with no copy; one split across reads is gathered in a buffer of the maximum
 * frame size, allocated on the first split and kept.
 *
 * <pre>
 *   HEADER --9 octets--> PAYLOAD --length octets--> (frame out) --> HEADER
 * </pre>
 */
public final class FrameReader {

    private enum State { HEADER, PAYLOAD }

    private int maxFrameSize;
    private State state = State.HEADER;
    private final byte[] header = new byte[FrameType.HEADER_LENGTH];
    private int headerFill;
    private int length;
    private int type;
    private int flags;
    private int streamId;
    private ByteBuffer gather;

    /** @param maxFrameSize this side's SETTINGS_MAX_FRAME_SIZE (16,384 until it advertises more) */
    public FrameReader(int maxFrameSize) {
        this.maxFrameSize = maxFrameSize;
    }

    public void maxFrameSize(int size) {
        this.maxFrameSize = size;
    }

    /** True between frames: nothing of a frame has been read. */
    public boolean atBoundary() {
        return state == State.HEADER && headerFill == 0;
    }

    /**
     * @return the next whole frame, consuming its bytes from {@code in}, or null when {@code in} ran out first
     * @throws Http2Exception FRAME_SIZE_ERROR for a frame longer than this side's maximum (§4.2)
     */
    public Frame next(ByteBuffer in) throws Http2Exception {
        if (state == State.HEADER) {
            if (headerFill == 0 && in.remaining() >= FrameType.HEADER_LENGTH) {
                int p = in.position();
                for (int i = 0; i < FrameType.HEADER_LENGTH; i++) {
                    header[i] = in.get(p + i);
                }
                in.position(p + FrameType.HEADER_LENGTH);
            } else {
                int n = Math.min(in.remaining(), FrameType.HEADER_LENGTH - headerFill);
                in.get(header, headerFill, n);
                headerFill += n;
                if (headerFill < FrameType.HEADER_LENGTH) {
                    return null;
                }
            }
            headerFill = 0;
            length = (header[0] & 0xff) << 16 | (header[1] & 0xff) << 8 | (header[2] & 0xff);
            type = header[3] & 0xff;
            flags = header[4] & 0xff;
            // §4.1: the reserved bit is ignored on receipt.
            streamId = ((header[5] & 0x7f) << 24) | (header[6] & 0xff) << 16 | (header[7] & 0xff) << 8
                    | (header[8] & 0xff);
            if (length > maxFrameSize) {
                throw Http2Exception.connection(ErrorCode.FRAME_SIZE_ERROR,
                        FrameType.name(type) + " of " + length + " octets exceeds " + maxFrameSize);
            }
            state = State.PAYLOAD;
            if (gather != null) {
                gather.clear();
            }
        }
        boolean gathering = gather != null && gather.position() > 0;
        if (!gathering && in.remaining() >= length) {
            ByteBuffer payload = in.slice(in.position(), length);
            in.position(in.position() + length);
            state = State.HEADER;
            return new Frame(type, flags, streamId, payload);
        }
        if (gather == null || gather.capacity() < length) {
            gather = ByteBuffer.allocate(Math.max(length, gather == null ? 0 : gather.capacity()));
        }
        int n = Math.min(in.remaining(), length - gather.position());
        gather.put(in.slice(in.position(), n));
        in.position(in.position() + n);
        if (gather.position() < length) {
            return null;
        }
        state = State.HEADER;
        ByteBuffer payload = gather.flip().slice();
        gather.clear();
        return new Frame(type, flags, streamId, payload);
    }
}
