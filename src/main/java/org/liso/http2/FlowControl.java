package org.liso.http2;

/**
 * Flow control of one session (RFC 9113 §5.2, §6.9) in both directions. Sending: the connection's window and each
 * stream's, opened by the peer's WINDOW_UPDATE and SETTINGS_INITIAL_WINDOW_SIZE, spent by the DATA this side sends.
 * Receiving: the windows the peer's DATA spends, credited back as the handlers consume it — a stream's in one
 * WINDOW_UPDATE once half its window is owed, the connection's likewise ({@link ConnectionCredit}), not a frame per
 * DATA frame.
 */
final class FlowControl {
    private final FlowWindow connectionSend = new FlowWindow(0, 65_535);
    private final ConnectionCredit connectionReceive;
    private final int streamWindow;
    private final FrameOutput out;

    FlowControl(SessionLimits limits, FrameOutput out) {
        this.connectionReceive = new ConnectionCredit(limits.connectionWindow());
        this.streamWindow = limits.streamWindow();
        this.out = out;
    }

    /** §6.9.1: the whole payload of a DATA frame, padding included, counts against the connection, on any stream. */
    void received(int length) throws Http2Exception {
        connectionReceive.consume(length);
    }

    /** DATA of {@code length} octets, padding included, arrived on {@code s}: the stream's own window pays too. */
    void received(Http2Stream s, int length) throws Http2Exception {
        s.receiveWindow.consume(length);
    }

    /**
     * {@code octets} that no stream's window gets back (DATA for a stream that is gone, a body thrown away unread):
     * only the connection is credited, so a stream's sender stops at its own window.
     */
    void dropped(int octets) {
        connectionReceive.credit(octets, out);
    }

    /** The handler consumed {@code octets} of the stream's request body ({@code s} null: the stream is gone). */
    void consumed(Http2Stream s, int octets) {
        connectionReceive.credit(octets, out);
        if (s == null || !s.state.remoteOpen()) {
            return;
        }
        s.credit += octets;
        if (s.credit >= streamWindow / 2) {
            FrameWriter.windowUpdate(out.room(13), s.id, s.credit);
            try {
                s.receiveWindow.increment(s.credit);
            } catch (Http2Exception impossible) {
                throw new IllegalStateException(impossible);
            }
            s.credit = 0;
        }
    }

    /** WINDOW_UPDATE on stream 0. */
    void connectionUpdate(int increment) throws Http2Exception {
        connectionSend.increment(increment);
    }

    void streamUpdate(Http2Stream s, int increment) throws Http2Exception {
        s.sendWindow.increment(increment);
    }

    /** §6.9.2: a new initial window size moves every open stream's send window by the difference. */
    void initialWindowMoved(long delta, Iterable<Http2Stream> streams) throws Http2Exception {
        for (Http2Stream s : streams) {
            s.sendWindow.adjust(delta);
        }
    }

    /** Octets of DATA the stream may send now: the smaller of its window and the connection's, never negative. */
    long sendWindow(Http2Stream s) {
        return Math.max(0, Math.min(s.sendWindow.available(), connectionSend.available()));
    }

    void sent(Http2Stream s, int length) throws Http2Exception {
        s.sendWindow.consume(length);
        connectionSend.consume(length);
    }
}
