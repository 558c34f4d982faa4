package org.liso.server;

import java.net.InetSocketAddress;

/**
 * Whom a connection serves. {@code client} is what the access log, CGI ({@code REMOTE_ADDR}, {@code REMOTE_PORT})
 * and the metrics see: the address a trusted proxy's PROXY header names, or else the socket's peer. {@code peer} is
 * the socket's peer, the proxy itself when there is one, for the lines that are about the connection.
 */
record ClientAddress(InetSocketAddress client, InetSocketAddress peer) {

    /** No proxy in between, or one that named no client (v1 UNKNOWN, v2 LOCAL): the socket's peer is the client. */
    static ClientAddress direct(InetSocketAddress peer) {
        return new ClientAddress(peer, peer);
    }

    boolean relayed() {
        return client != peer;
    }
}
