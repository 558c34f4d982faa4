package org.liso.http2;

/**
 * The connection's receive window (RFC 9113 §6.9): DATA of every stream, padding included, counts against it, and
 * what the handlers consumed (or what was thrown away) is credited back in one WINDOW_UPDATE once half the window
 * is owed, rather than a frame per DATA frame.
 */
final class ConnectionCredit {
    private final FlowWindow window;
    private final int threshold;
    private int owed;

    ConnectionCredit(int initialWindow) {
        this.window = new FlowWindow(0, initialWindow);
        this.threshold = initialWindow / 2;
    }

    void consume(int octets) throws Http2Exception {
        window.consume(octets);
    }

    void credit(int octets, FrameOutput out) {
        owed += octets;
        if (owed >= threshold) {
            FrameWriter.windowUpdate(out.room(13), 0, owed);
            try {
                window.increment(owed);
            } catch (Http2Exception impossible) {
                throw new IllegalStateException(impossible); // never more than was consumed is credited
            }
            owed = 0;
        }
    }
}
