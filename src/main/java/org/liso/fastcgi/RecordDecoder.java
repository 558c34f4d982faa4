package org.liso.fastcgi;

import java.nio.ByteBuffer;

/**
 * Splits a byte stream into FastCGI records (specification §3.3), incrementally: input may be cut anywhere, and a
 * record's content reaches the sink in parts, as views of the input, without being gathered first. Pure.
 *
 * <pre>
 *   HEADER --8 bytes read--> CONTENT --contentLength bytes--> PADDING --paddingLength bytes--> HEADER
 *                               (a record without content or padding goes straight back to HEADER)
 * </pre>
 */
final class RecordDecoder {

    /** Where the decoder is within the current record. */
    enum State { HEADER, CONTENT, PADDING }

    /** Receives the records. */
    interface Sink {
        /**
         * Part of the current record's content, in order: a view of the input, valid during the call only; the sink
         * takes all of it.
         */
        void content(int type, int requestId, ByteBuffer part) throws FastCgiException;

        /**
         * The current record is complete (its content was all given to {@link #content}, its padding skipped).
         *
         * @return false to stop decoding here: the bytes after this record stay in the input
         */
        boolean end(int type, int requestId, int contentLength) throws FastCgiException;
    }

    private final byte[] header = new byte[Records.HEADER];
    private int headerBytes;
    private State state = State.HEADER;
    private int type;
    private int requestId;
    private int contentLength;
    private int contentLeft;
    private int paddingLeft;

    /**
     * Consumes {@code in} until it is empty or the sink stops at a record's end.
     *
     * @return false when the sink stopped
     * @throws FastCgiException for a version other than 1, or whatever the sink throws
     */
    boolean feed(ByteBuffer in, Sink sink) throws FastCgiException {
        while (true) {
            switch (state) {
                case HEADER -> {
                    if (!readHeader(in)) {
                        return true;
                    }
                    if (contentLeft == 0 && paddingLeft == 0 && !finish(sink)) {
                        return false;
                    }
                }
                case CONTENT -> {
                    int n = Math.min(contentLeft, in.remaining());
                    if (n == 0) {
                        return true;
                    }
                    ByteBuffer part = in.slice(in.position(), n);
                    in.position(in.position() + n);
                    contentLeft -= n;
                    sink.content(type, requestId, part);
                    if (contentLeft == 0) {
                        state = State.PADDING;
                        if (paddingLeft == 0 && !finish(sink)) {
                            return false;
                        }
                    }
                }
                case PADDING -> {
                    int n = Math.min(paddingLeft, in.remaining());
                    if (n == 0) {
                        return true;
                    }
                    in.position(in.position() + n);
                    paddingLeft -= n;
                    if (paddingLeft == 0 && !finish(sink)) {
                        return false;
                    }
                }
                default -> throw new IllegalStateException(state.name());
            }
        }
    }

    /** True between records: no part of one has been read. */
    boolean atBoundary() {
        return state == State.HEADER && headerBytes == 0;
    }

    private boolean readHeader(ByteBuffer in) throws FastCgiException {
        int n = Math.min(Records.HEADER - headerBytes, in.remaining());
        in.get(header, headerBytes, n);
        headerBytes += n;
        if (headerBytes < Records.HEADER) {
            return false;
        }
        headerBytes = 0;
        if ((header[0] & 0xff) != Records.VERSION) {
            throw new FastCgiException("record version " + (header[0] & 0xff) + ", not 1");
        }
        type = header[1] & 0xff;
        requestId = (header[2] & 0xff) << 8 | (header[3] & 0xff);
        contentLength = (header[4] & 0xff) << 8 | (header[5] & 0xff);
        contentLeft = contentLength;
        paddingLeft = header[6] & 0xff;
        state = contentLeft > 0 ? State.CONTENT : State.PADDING;
        return true;
    }

    private boolean finish(RecordDecoder.Sink sink) throws FastCgiException {
        state = State.HEADER;
        return sink.end(type, requestId, contentLength);
    }
}
