package org.liso.transport.tls;

import java.util.List;

/**
 * What the TLS listener offers. Immutable; the {@code with…} methods return a changed copy.
 *
 * <p>Defaults: TLS 1.3 and 1.2 only (RFC 8996 deprecates 1.0 and 1.1); for TLS 1.2 only ECDHE key exchange with
 * AEAD ciphers (forward secrecy, no CBC padding oracles; RFC 7525 §4.2); the server's order wins.
 */
public final class TlsSettings {

    public static final List<String> DEFAULT_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /** Server preference order: AES-GCM first (hardware AES), ChaCha20 for clients without it. */
    public static final List<String> DEFAULT_CIPHER_SUITES = List.of(
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    public static final long DEFAULT_HANDSHAKE_TIMEOUT_MILLIS = 10_000;

    /** RFC 7301 §3.2: what ALPN offers unless told otherwise, in preference order. */
    public static final List<String> DEFAULT_APPLICATION_PROTOCOLS = List.of("http/1.1");

    /**
     * How long one session-ticket key issues tickets, and then how long it is kept to resume them ({@link
     * TicketRing}): 12 hours. Peers: Caddy rotates every 12 h and keeps 4 keys, BoringSSL every 48 h keeping the
     * previous, JSSE every hour (its tickets resume for the session timeout, 24 h), nginx never (keys live as long as
     * its workers). A key that leaks decrypts every TLS 1.2 session it sealed (RFC 5077 §5.5 asks for rotation), so
     * shorter is safer; each rotation costs a returning client a full handshake within one to two periods. 12 h
     * keeps a daily visitor at about one full handshake a day, which a session cache would cost too.
     */
    public static final long DEFAULT_TICKET_ROTATION_MILLIS = 12 * 3_600_000L;

    /** The longest period: a native context lives two periods, and BoringSSL replaces its key itself after 48 h. */
    public static final long MAX_TICKET_ROTATION_MILLIS = 24 * 3_600_000L;

    public static final TlsSettings DEFAULT = new TlsSettings(DEFAULT_PROTOCOLS, DEFAULT_CIPHER_SUITES, true,
            DEFAULT_HANDSHAKE_TIMEOUT_MILLIS, TlsProvider.AUTO, DEFAULT_APPLICATION_PROTOCOLS,
            DEFAULT_TICKET_ROTATION_MILLIS);

    private final List<String> protocols;
    private final List<String> cipherSuites;
    private final boolean sessionResumption;
    private final long handshakeTimeoutMillis;
    private final TlsProvider provider;
    private final List<String> applicationProtocols;
    private final long ticketRotationMillis;

    private TlsSettings(List<String> protocols, List<String> cipherSuites, boolean sessionResumption,
            long handshakeTimeoutMillis, TlsProvider provider, List<String> applicationProtocols,
            long ticketRotationMillis) {
        if (protocols.isEmpty() || cipherSuites.isEmpty() || applicationProtocols.isEmpty()) {
            throw new IllegalArgumentException("protocols, cipher suites and ALPN protocols must not be empty");
        }
        if (handshakeTimeoutMillis <= 0) {
            throw new IllegalArgumentException("handshake timeout must be positive");
        }
        if (ticketRotationMillis < 1000 || ticketRotationMillis > MAX_TICKET_ROTATION_MILLIS
                || ticketRotationMillis % 1000 != 0) {
            throw new IllegalArgumentException("ticket rotation must be whole seconds from 1 s to 24 h, was "
                    + ticketRotationMillis + " ms");
        }
        this.protocols = List.copyOf(protocols);
        this.cipherSuites = List.copyOf(cipherSuites);
        this.sessionResumption = sessionResumption;
        this.handshakeTimeoutMillis = handshakeTimeoutMillis;
        this.provider = java.util.Objects.requireNonNull(provider);
        this.applicationProtocols = List.copyOf(applicationProtocols);
        this.ticketRotationMillis = ticketRotationMillis;
    }

    /** E.g. {@code TLSv1.3}, {@code TLSv1.2}, in JSSE's spelling. */
    public TlsSettings withProtocols(List<String> p) {
        return new TlsSettings(p, cipherSuites, sessionResumption, handshakeTimeoutMillis, provider,
                applicationProtocols, ticketRotationMillis);
    }

    /** Suites in preference order (IANA names as JSSE spells them); TLS 1.3 and 1.2 suites in one list. */
    public TlsSettings withCipherSuites(List<String> c) {
        return new TlsSettings(protocols, c, sessionResumption, handshakeTimeoutMillis, provider,
                applicationProtocols, ticketRotationMillis);
    }

    /** False: every connection pays a full handshake (no session IDs, no tickets) — for benchmarking. */
    public TlsSettings withSessionResumption(boolean on) {
        return new TlsSettings(protocols, cipherSuites, on, handshakeTimeoutMillis, provider, applicationProtocols,
                ticketRotationMillis);
    }

    public TlsSettings withHandshakeTimeoutMillis(long millis) {
        return new TlsSettings(protocols, cipherSuites, sessionResumption, millis, provider, applicationProtocols,
                ticketRotationMillis);
    }

    /** Which engine serves; {@link TlsProvider#AUTO} (the default) is native where it loads. */
    public TlsSettings withProvider(TlsProvider p) {
        return new TlsSettings(protocols, cipherSuites, sessionResumption, handshakeTimeoutMillis, p,
                applicationProtocols, ticketRotationMillis);
    }

    /** ALPN protocols in the server's preference order, e.g. {@code h2, http/1.1} (RFC 7301 §3.2). */
    public TlsSettings withApplicationProtocols(List<String> a) {
        return new TlsSettings(protocols, cipherSuites, sessionResumption, handshakeTimeoutMillis, provider, a,
                ticketRotationMillis);
    }

    /** Whole seconds from 1 s to 24 h (a session timeout counts seconds). */
    public TlsSettings withTicketRotationMillis(long millis) {
        return new TlsSettings(protocols, cipherSuites, sessionResumption, handshakeTimeoutMillis, provider,
                applicationProtocols, millis);
    }

    public List<String> protocols() {
        return protocols;
    }

    public List<String> cipherSuites() {
        return cipherSuites;
    }

    public boolean sessionResumption() {
        return sessionResumption;
    }

    /** How long a connection may take to finish its handshake; the server arms a loop timer with it. */
    public long handshakeTimeoutMillis() {
        return handshakeTimeoutMillis;
    }

    public TlsProvider provider() {
        return provider;
    }

    public List<String> applicationProtocols() {
        return applicationProtocols;
    }

    /** How long a ticket key issues, and then resumes (see {@link #DEFAULT_TICKET_ROTATION_MILLIS}). */
    public long ticketRotationMillis() {
        return ticketRotationMillis;
    }

    @Override
    public String toString() {
        return "protocols=" + protocols + " ciphers=" + cipherSuites.size() + " resumption=" + sessionResumption
                + " handshake_timeout_ms=" + handshakeTimeoutMillis + " provider=" + provider.flagValue()
                + " alpn=" + applicationProtocols + " ticket_rotation_ms=" + ticketRotationMillis;
    }
}
