package org.liso.http2;

/** One stream's bookkeeping inside a {@link ServerSession}; only the session's thread touches it. */
final class Http2Stream {
    final int id;
    StreamState state;
    final FlowWindow sendWindow;
    final FlowWindow receiveWindow;
    /** Octets the handler consumed that have not yet been credited back with WINDOW_UPDATE. */
    int credit;
    final long contentLength;
    long received;

    Http2Stream(int id, StreamState state, long sendWindow, long receiveWindow, long contentLength) {
        this.id = id;
        this.state = state;
        this.sendWindow = new FlowWindow(id, sendWindow);
        this.receiveWindow = new FlowWindow(id, receiveWindow);
        this.contentLength = contentLength;
    }

    /** §8.1.1: DATA beyond the announced length, or short of it at the end, makes the request malformed. */
    void countBody(int octets, boolean endStream) throws Http2Exception {
        received += octets;
        if (contentLength >= 0 && (received > contentLength || (endStream && received != contentLength))) {
            throw Http2Exception.stream(id, ErrorCode.PROTOCOL_ERROR,
                    "content-length " + contentLength + " but " + received + " octets of DATA");
        }
    }
}
