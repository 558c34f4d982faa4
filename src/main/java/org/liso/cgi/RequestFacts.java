package org.liso.cgi;

import java.net.InetSocketAddress;
import org.liso.http.Headers;
import org.liso.http.Request;
import org.liso.server.spi.Exchange;

/**
 * What the CGI environment is made from, taken out of an exchange so that {@link CgiEnvironment} stays a pure
 * function of plain values.
 *
 * @param path       the raw (still percent-encoded) path of the target
 * @param query      the raw query after '?', or null when the target has none
 * @param bodyLength the length of the body the script gets on stdin, after transfer codings were removed; -1 for none
 */
public record RequestFacts(String method, String target, String path, String query, String protocol, Headers headers,
                    InetSocketAddress local, InetSocketAddress remote, boolean secure, long bodyLength) {

    public static RequestFacts of(Exchange exchange, long bodyLength) {
        Request r = exchange.request();
        return new RequestFacts(r.methodName(), r.target(), r.path(), r.query(), r.version().text(), r.headers(),
                exchange.localAddress(), exchange.remoteAddress(), exchange.secure(), bodyLength);
    }
}
