package org.liso.http2;

import org.liso.http.Headers;

/**
 * A request's control data and fields as an HTTP/2 HEADERS block carried them (RFC 9113 §8.3.1), checked. The
 * fields include {@code host}, made from {@code :authority} where the client sent none, so that what reads Host for
 * HTTP/1.1 reads the same for HTTP/2.
 *
 * @param contentLength the Content-Length field, or -1; the stream checks it against the DATA received (§8.1.1)
 */
public record RequestHead(String method, String scheme, String authority, String path, Headers fields,
        long contentLength) {
}
