package org.liso.server;

/** What an open connection is doing, as {@code liso_connections_open{state=...}} counts it. */
public enum ConnectionPhase {
    /** Accepted, its TLS handshake still running. */
    HANDSHAKE("handshake"),
    /** Accepted (and through its handshake), no byte of a request yet. */
    NEW("new"),
    /** Keep-alive between requests, nothing queued. */
    IDLE("idle"),
    /** A request head is arriving. */
    READING("reading"),
    /** A request is being answered (its body read, the handler working, the response going out). */
    ACTIVE("active"),
    /** Closing: the last response leaving, or lingering for the client's last bytes. */
    CLOSING("closing");

    private final String label;

    ConnectionPhase(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
