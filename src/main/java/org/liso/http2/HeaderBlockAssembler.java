package org.liso.http2;

import java.nio.ByteBuffer;

/**
 * One header block gathered from a HEADERS frame and its CONTINUATION frames (RFC 9113 §4.3): nothing may come
 * between them (§6.10), and the whole block is bounded before it is decoded, since HPACK needs it whole.
 *
 * <pre>
 *   NONE --HEADERS--> OPEN --CONTINUATION--> OPEN
 *   OPEN --END_HEADERS: finish()--> NONE
 * </pre>
 */
final class HeaderBlockAssembler {
    private final BlockWriter block = new BlockWriter(256);
    private final int maxOctets;
    /** The stream whose block is being gathered, or 0 (stream 0 never carries headers). */
    private int streamId;
    private boolean endStream;

    HeaderBlockAssembler(int maxOctets) {
        this.maxOctets = maxOctets;
    }

    void start(int streamId, boolean endStream) {
        block.reset();
        this.streamId = streamId;
        this.endStream = endStream;
    }

    /** True while CONTINUATION frames are expected. */
    boolean open() {
        return streamId != 0;
    }

    int streamId() {
        return streamId;
    }

    /** END_STREAM of the HEADERS frame that started the block. */
    boolean endStream() {
        return endStream;
    }

    void add(ByteBuffer fragment) throws Http2Exception {
        if (block.size() + fragment.remaining() > maxOctets) {
            throw Http2Exception.connection(ErrorCode.ENHANCE_YOUR_CALM, "header block above " + maxOctets
                    + " octets");
        }
        while (fragment.hasRemaining()) {
            block.writeByte(fragment.get());
        }
    }

    /** The whole block, valid until the next {@link #start}; no block is open afterwards. */
    ByteBuffer finish() {
        streamId = 0;
        return block.view();
    }
}
