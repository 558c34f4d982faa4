package org.liso.transport;

import java.io.IOException;
import java.nio.channels.SocketChannel;

/** Wraps an accepted connection in its transport: plain, or TLS for the HTTPS listener. */
@FunctionalInterface
public interface TransportFactory {
    TransportFactory PLAIN = PlainTransport::new;

    Transport wrap(SocketChannel channel) throws IOException;
}
