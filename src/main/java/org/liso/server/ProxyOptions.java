package org.liso.server;

import java.net.InetSocketAddress;
import org.liso.http.Headers;
import org.liso.transport.proxy.TrustedProxies;

/**
 * Whose word on the client's address a server takes. {@code trusted} are the peers allowed to send a PROXY protocol
 * header (on listeners opened with one, {@link HttpServer#listen(InetSocketAddress,
 * org.liso.transport.TransportFactory, int, boolean)}) and, when {@code forwardedHeaders} is on, the proxies whose
 * {@code Forwarded} / {@code X-Forwarded-For} hops are followed. The default trusts nobody.
 */
public record ProxyOptions(TrustedProxies trusted, boolean forwardedHeaders) {

    public static final ProxyOptions NONE = new ProxyOptions(TrustedProxies.NONE, false);

    /** The client of one request that came from {@code peer} (the connection's client) with {@code headers}. */
    InetSocketAddress client(InetSocketAddress peer, Headers headers) {
        return forwardedHeaders ? ForwardedClient.resolve(peer, headers, trusted) : peer;
    }
}
