package org.liso.server;

import java.net.InetSocketAddress;

/**
 * Whom a connection serves: the address a trusted proxy's PROXY header names, or else the socket's peer. It is what
 * the access log, CGI ({@code REMOTE_ADDR}, {@code REMOTE_PORT}) and every handler asking the exchange for its
 * remote address see (a request's forwarded headers may name a client behind it, {@link ForwardedClient}). Taken
 * once, at accept: a closed channel has no peer address any more, and a log line may be written after the close.
 */
record ClientAddress(InetSocketAddress address) {
}
