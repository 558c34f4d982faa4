package org.liso.http2;

/**
 * A stream's life as the server sees it (RFC 9113 §5.1). The reserved states are left out: they exist only for
 * server push, which this server never does (PUSH_PROMISE is never sent, and a client cannot send one).
 *
 * <pre>
 *   IDLE ──recv HEADERS──> OPEN ──recv END_STREAM──> HALF_CLOSED_REMOTE ──send END_STREAM──> CLOSED
 *     │                     └──send END_STREAM──> HALF_CLOSED_LOCAL ──recv END_STREAM──> CLOSED
 *     └──recv HEADERS + END_STREAM──> HALF_CLOSED_REMOTE
 *   any state but IDLE ──send or recv RST_STREAM──> CLOSED
 * </pre>
 */
public enum StreamState {
    IDLE, OPEN, HALF_CLOSED_LOCAL, HALF_CLOSED_REMOTE, CLOSED;

    /** HEADERS arrived: opens an idle stream; on an open one it is a trailer section, which must end the stream. */
    public StreamState receiveHeaders(int streamId, boolean endStream) throws Http2Exception {
        return switch (this) {
            case IDLE -> endStream ? HALF_CLOSED_REMOTE : OPEN;
            case OPEN, HALF_CLOSED_LOCAL -> {
                if (!endStream) {
                    // §8.1: a second HEADERS is a trailer section and must carry END_STREAM.
                    throw Http2Exception.stream(streamId, ErrorCode.PROTOCOL_ERROR, "trailers without END_STREAM");
                }
                yield this == OPEN ? HALF_CLOSED_REMOTE : CLOSED;
            }
            case HALF_CLOSED_REMOTE, CLOSED -> throw closed(streamId);
        };
    }

    /** DATA arrived. §6.1: DATA on a stream that is not open or half-closed (local) is STREAM_CLOSED. */
    public StreamState receiveData(int streamId, boolean endStream) throws Http2Exception {
        return switch (this) {
            case IDLE -> throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR, "DATA on idle stream " + streamId);
            case OPEN -> endStream ? HALF_CLOSED_REMOTE : OPEN;
            case HALF_CLOSED_LOCAL -> endStream ? CLOSED : HALF_CLOSED_LOCAL;
            case HALF_CLOSED_REMOTE, CLOSED -> throw closed(streamId);
        };
    }

    /** The response's last frame (END_STREAM) went out. */
    public StreamState sendEndStream() {
        return switch (this) {
            case OPEN -> HALF_CLOSED_LOCAL;
            case HALF_CLOSED_REMOTE -> CLOSED;
            default -> this;
        };
    }

    /** §6.4: RST_STREAM on an idle stream is a connection error; anywhere else it closes the stream. */
    public StreamState receiveReset(int streamId) throws Http2Exception {
        if (this == IDLE) {
            throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR, "RST_STREAM on idle stream " + streamId);
        }
        return CLOSED;
    }

    public boolean remoteOpen() {
        return this == OPEN || this == HALF_CLOSED_LOCAL;
    }

    private static Http2Exception closed(int streamId) {
        return Http2Exception.stream(streamId, ErrorCode.STREAM_CLOSED, "stream " + streamId + " is closed");
    }
}
