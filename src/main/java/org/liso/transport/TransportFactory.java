package org.liso.transport;

import java.io.IOException;
import java.nio.channels.SocketChannel;

/** Wraps an accepted connection in its transport: plain, or TLS for the HTTPS listener. */
@FunctionalInterface
public interface TransportFactory {
    TransportFactory PLAIN = PlainTransport::new;

    Transport wrap(SocketChannel channel) throws IOException;

    /**
     * How long a connection may take from accept to the end of its handshake, 0 when there is none (plain TCP). A
     * peer that stalls mid-handshake holds a descriptor and engine state; this bounds it apart from the request
     * head's timeout, which starts to matter only once there are requests to read.
     */
    default long handshakeTimeoutMillis() {
        return 0;
    }
}
