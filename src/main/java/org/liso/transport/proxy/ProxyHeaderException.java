package org.liso.transport.proxy;

/**
 * Bytes that are not a PROXY protocol header. proxy-protocol.txt §2.1: "Any sequence which does not exactly match
 * the protocol must be discarded and cause the receiver to abort the connection", so this has no answer but the
 * close; the message is for the log.
 */
public final class ProxyHeaderException extends Exception {
    private static final long serialVersionUID = 1L;

    public ProxyHeaderException(String message) {
        super(message);
    }
}
