package org.liso.server;

import org.liso.http2.SessionLimits;

/**
 * Where the server speaks HTTP/2 and what one connection may cost.
 *
 * @param overTls   HTTP/2 to clients that choose {@code h2} by ALPN (RFC 9113 §3.2); the TLS listener must offer it
 * @param cleartext HTTP/2 with prior knowledge on plain listeners (§3.3): a connection that opens with the preface
 * @param limits    the per-connection limits (streams, frame and header sizes, windows, the abuse budget)
 */
public record Http2Options(boolean overTls, boolean cleartext, SessionLimits limits) {

    /** HTTP/1.1 only: an {@code h2} choice is never offered, a cleartext preface gets 505 (lisod). */
    public static final Http2Options OFF = new Http2Options(false, false, SessionLimits.DEFAULTS);

    public Http2Options {
        java.util.Objects.requireNonNull(limits, "limits");
    }
}
