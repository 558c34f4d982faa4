package org.liso.http2;

/**
 * One flow-control window (RFC 9113 §5.2, §6.9): a connection's or a stream's, in one direction. It may go negative
 * when SETTINGS_INITIAL_WINDOW_SIZE shrinks (§6.9.2) but never above 2^31 - 1.
 */
public final class FlowWindow {
    private final int streamId;
    private long window;

    /** @param streamId 0 for the connection's window: its errors are connection errors */
    public FlowWindow(int streamId, long initial) {
        this.streamId = streamId;
        this.window = initial;
    }

    public long available() {
        return window;
    }

    /** Octets of DATA (padding included, §6.9.1) arrived or were sent; a peer exceeding our window is in error. */
    public void consume(int octets) throws Http2Exception {
        if (octets > window) {
            throw error("DATA of " + octets + " beyond a window of " + window);
        }
        window -= octets;
    }

    /** A WINDOW_UPDATE: the window must not pass 2^31 - 1 (§6.9.1). */
    public void increment(int delta) throws Http2Exception {
        if (window + delta > Settings.MAX_WINDOW) {
            throw error("window above 2^31-1");
        }
        window += delta;
    }

    /** §6.9.2: a new initial window size moves every stream's window by the difference. */
    public void adjust(long delta) throws Http2Exception {
        if (window + delta > Settings.MAX_WINDOW) {
            throw streamId == 0 ? error("window above 2^31-1")
                    : Http2Exception.connection(ErrorCode.FLOW_CONTROL_ERROR, "initial window moves a stream above 2^31-1");
        }
        window += delta;
    }

    private Http2Exception error(String message) {
        return streamId == 0 ? Http2Exception.connection(ErrorCode.FLOW_CONTROL_ERROR, message)
                : Http2Exception.stream(streamId, ErrorCode.FLOW_CONTROL_ERROR, message);
    }
}
