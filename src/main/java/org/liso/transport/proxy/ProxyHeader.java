package org.liso.transport.proxy;

import java.net.InetSocketAddress;

/**
 * What a PROXY protocol header says about the connection it came on.
 *
 * @param version     1 (text line) or 2 (binary)
 * @param source      the client's address and port; null when the header carries none the receiver uses (v1
 *                    UNKNOWN, v2 LOCAL, AF_UNSPEC, AF_UNIX or a datagram family), and the connection's own endpoints
 *                    stand, as proxy-protocol.txt §2.1 and §2.2 say
 * @param destination the address the client connected to on the proxy; null with {@code source}
 */
public record ProxyHeader(int version, InetSocketAddress source, InetSocketAddress destination) {

    /** True when the header names the client: the connection was relayed on its behalf. */
    public boolean relayed() {
        return source != null;
    }
}
