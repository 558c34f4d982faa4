package org.liso.http2;

/**
 * An HTTP/2 error (RFC 9113 §5.4): a connection error ({@link #streamId()} 0) is answered with GOAWAY and the
 * connection closes; a stream error with RST_STREAM on that stream, and the connection goes on.
 */
public final class Http2Exception extends Exception {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final int streamId;

    private Http2Exception(ErrorCode code, int streamId, String message) {
        // No stack trace: these answer hostile or broken peers on the hot path.
        super(message, null, false, false);
        this.code = code;
        this.streamId = streamId;
    }

    public static Http2Exception connection(ErrorCode code, String message) {
        return new Http2Exception(code, 0, message);
    }

    public static Http2Exception stream(int streamId, ErrorCode code, String message) {
        if (streamId == 0) {
            throw new IllegalArgumentException("a stream error needs a stream");
        }
        return new Http2Exception(code, streamId, message);
    }

    public ErrorCode code() {
        return code;
    }

    /** 0 for a connection error. */
    public int streamId() {
        return streamId;
    }

    public boolean isConnectionError() {
        return streamId == 0;
    }

    @Override
    public String toString() {
        return (streamId == 0 ? "connection" : "stream " + streamId) + " error " + code + ": " + getMessage();
    }
}
