package org.liso.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import org.liso.http.Request;
import org.liso.loop.EventLoop;
import org.liso.transport.Transport;

/**
 * What an exchange may ask of the connection it came on, whichever protocol that is: its loop, whether it is
 * secure, the local address, and the client (the socket's peer, whom a trusted proxy's PROXY header named, or whom
 * trusted proxies' forwarded headers name for one request).
 */
final class ConnectionFacts {
    private final EventLoop loop;
    private final Transport transport;
    private final ClientAddress client;
    private final ProxyOptions proxies;

    ConnectionFacts(HttpServer server, Transport transport, ClientAddress client) {
        this.loop = server.loop();
        this.transport = transport;
        this.client = client;
        this.proxies = server.proxyOptions();
    }

    EventLoop loop() {
        return loop;
    }

    boolean secure() {
        return transport.isSecure();
    }

    InetSocketAddress localAddress() {
        try {
            return (InetSocketAddress) transport.channel().getLocalAddress();
        } catch (IOException e) {
            return null;
        }
    }

    /** The connection's client: the socket's peer, or whom a trusted proxy's PROXY header named. */
    InetSocketAddress remoteAddress() {
        return client.address();
    }

    /** The client of {@code r}: the connection's, or the one trusted proxies' forwarded headers name. */
    InetSocketAddress clientOf(Request r) {
        return proxies.client(client.address(), r.headers());
    }
}
