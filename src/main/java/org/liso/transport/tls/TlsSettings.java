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

    public static final TlsSettings DEFAULT = new TlsSettings(DEFAULT_PROTOCOLS, DEFAULT_CIPHER_SUITES, true,
            DEFAULT_HANDSHAKE_TIMEOUT_MILLIS, TlsProvider.AUTO, DEFAULT_APPLICATION_PROTOCOLS);

    private final List<String> protocols;
    private final List<String> cipherSuites;
    private final boolean sessionResumption;
    private final long handshakeTimeoutMillis;
    private final TlsProvider provider;
    private final List<String> applicationProtocols;

    private TlsSettings(List<String> protocols, List<String> cipherSuites, boolean sessionResumption,
            long handshakeTimeoutMillis, TlsProvider provider, List<String> applicationProtocols) {
        if (protocols.isEmpty() || cipherSuites.isEmpty() || applicationProtocols.isEmpty()) {
            throw new IllegalArgumentException("protocols, cipher suites and ALPN protocols must not be empty");
        }
        if (handshakeTimeoutMillis <= 0) {
            throw new IllegalArgumentException("handshake timeout must be positive");
        }
        this.protocols = List.copyOf(protocols);
        this.cipherSuites = List.copyOf(cipherSuites);
        this.sessionResumption = sessionResumption;
        this.handshakeTimeoutMillis = handshakeTimeoutMillis;
        this.provider = java.util.Objects.requireNonNull(provider);
        this.applicationProtocols = List.copyOf(applicationProtocols);
    }

    /** E.g. {@code TLSv1.3}, {@code TLSv1.2}, in JSSE's spelling. */
    public TlsSettings withProtocols(List<String> p) {
        return new TlsSettings(p, cipherSuites, sessionResumption, handshakeTimeoutMillis, provider,
                applicationProtocols);
    }

    /** Suites in preference order (IANA names as JSSE spells them); TLS 1.3 and 1.2 suites in one list. */
    public TlsSettings withCipherSuites(List<String> c) {
        return new TlsSettings(protocols, c, sessionResumption, handshakeTimeoutMillis, provider,
                applicationProtocols);
    }

    /** False: every connection pays a full handshake (no session IDs, no tickets) — for benchmarking. */
    public TlsSettings withSessionResumption(boolean on) {
        return new TlsSettings(protocols, cipherSuites, on, handshakeTimeoutMillis, provider, applicationProtocols);
    }

    public TlsSettings withHandshakeTimeoutMillis(long millis) {
        return new TlsSettings(protocols, cipherSuites, sessionResumption, millis, provider, applicationProtocols);
    }

    /** Which engine serves; {@link TlsProvider#AUTO} (the default) is native where it loads. */
    public TlsSettings withProvider(TlsProvider p) {
        return new TlsSettings(protocols, cipherSuites, sessionResumption, handshakeTimeoutMillis, p,
                applicationProtocols);
    }

    /** ALPN protocols in the server's preference order, e.g. {@code h2, http/1.1} (RFC 7301 §3.2). */
    public TlsSettings withApplicationProtocols(List<String> a) {
        return new TlsSettings(protocols, cipherSuites, sessionResumption, handshakeTimeoutMillis, provider, a);
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

    @Override
    public String toString() {
        return "protocols=" + protocols + " ciphers=" + cipherSuites.size() + " resumption=" + sessionResumption
                + " handshake_timeout_ms=" + handshakeTimeoutMillis + " provider=" + provider.flagValue()
                + " alpn=" + applicationProtocols;
    }
}
