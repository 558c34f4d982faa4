package org.liso.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.liso.transport.Transport;

/**
 * How an HTTP/1.1 connection ends once its last response is queued (RFC 9112 §9.6). Closing with unread input would
 * make the kernel send RST, and the client might lose the response it has not read yet (an error response above
 * all, after which the client may still be sending): so the write side is shut and the input drained for a moment
 * first (lingering), until the client's EOF or the linger time. A client that said its last request was its last
 * ({@code Connection: close}, or HTTP/1.0 without keep-alive) and sent all of it can send nothing more: a plain
 * connection then closes at once, which sends the FIN with no shutdown and no wait for the client's FIN (as nginx
 * does). TLS lingers either way: its close_notify goes out first.
 */
final class LingeringClose {
    /** What the connection does next once its last response is queued. */
    enum Step { WAIT_FOR_OUTPUT, CLOSE, LINGER }

    private final Transport transport;
    private final InputBuffer in;
    private final ConnectionDeadlines deadlines;
    /** The client's last request was its last, and all of it was read: nothing more may come. */
    private boolean clientDone;

    LingeringClose(Transport transport, InputBuffer in, ConnectionDeadlines deadlines) {
        this.transport = transport;
        this.in = in;
        this.deadlines = deadlines;
    }

    /** The exchange that ends the connection is over; {@code clientDone}: nothing more may come from the client. */
    void lastExchange(boolean clientDone) {
        this.clientDone = clientDone;
    }

    /**
     * The last response is queued: it has to leave first; then the connection closes at once, or its write side is
     * shut and the linger time begins.
     */
    Step next(OutputQueue out, long now) throws IOException {
        if (!out.isEmpty() || transport.hasPendingOutput()) {
            return Step.WAIT_FOR_OUTPUT;
        }
        if (clientDone && !in.hasBytes() && !transport.isSecure()) {
            return Step.CLOSE;
        }
        in.drop();
        transport.shutdownOutput();
        deadlines.progressed(now);
        return Step.LINGER;
    }

    /**
     * Reads and drops what the client still sends; bytes coming in keep the linger time from running out.
     *
     * @return true at the client's EOF
     */
    boolean drain(ByteBuffer sink, long now) throws IOException {
        int n;
        while ((n = transport.read(sink.clear())) > 0) {
            deadlines.progressed(now);
        }
        return n < 0;
    }
}
