package org.liso.server;

import java.nio.channels.SelectionKey;
import org.liso.transport.Transport;

/**
 * A connection's selection interest, for every connection type: what the connection wants (to read, to write its
 * queue) joined with what its transport needs (a TLS handshake or record that must read or flush), set only when it
 * changed (each change is an epoll_ctl call).
 */
final class ConnectionInterest {
    private ConnectionInterest() {
    }

    static void update(SelectionKey key, Transport transport, boolean wantsRead, boolean hasOutput) {
        if (key == null || !key.isValid()) {
            return;
        }
        int ops = 0;
        if (wantsRead || transport.needsRead()) {
            ops |= SelectionKey.OP_READ;
        }
        if (hasOutput || transport.hasPendingOutput()) {
            ops |= SelectionKey.OP_WRITE;
        }
        if (key.interestOps() != ops) {
            key.interestOps(ops);
        }
    }
}
