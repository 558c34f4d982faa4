package org.liso.transport.tls;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.TrustManager;

/**
 * Builds the server {@link SSLContext} for a key pair and turns {@link TlsSettings} into engine parameters.
 *
 * <p>Client-initiated renegotiation (TLS 1.2; RFC 5746 makes it safe but it is still a CPU-exhaustion lever, and
 * TLS 1.3 has none) is rejected through JSSE's {@code jdk.tls.rejectClientInitiatedRenegotiation}, which JSSE reads
 * once when its server handshake code first loads; this class sets it before it creates any context. BoringSSL (the
 * native engine) has no server-side renegotiation at all.
 */
final class TlsContexts {
    static final String REJECT_RENEGOTIATION = "jdk.tls.rejectClientInitiatedRenegotiation";
    private static final String TICKET_PROPERTY = "jdk.tls.server.enableSessionTicketExtension";
    /** Held while the property is switched off, so that two such contexts made at once restore it right. */
    private static final Object TICKET_PROPERTY_LOCK = new Object();
    /**
     * JSSE sends no TLS 1.3 NewSessionTicket when the session timeout is longer than a ticket may live (7 days,
     * RFC 8446 §4.6.1); one second more switches tickets off.
     */
    private static final int NO_TICKETS_TIMEOUT_SECONDS = 7 * 24 * 3600 + 1;
    private static final KeyStore.PasswordProtection IN_MEMORY = new KeyStore.PasswordProtection(new char[0],
            "PBEWithHmacSHA256AndAES_128", new javax.crypto.spec.PBEParameterSpec(new byte[16], 1));

    static {
        if (System.getProperty(REJECT_RENEGOTIATION) == null) {
            System.setProperty(REJECT_RENEGOTIATION, "true");
        }
    }

    private TlsContexts() {
    }

    static SSLContext serverContext(KeyMaterial material, TlsSettings settings) throws TlsConfigException {
        return serverContext(material, java.util.Map.of(), settings, TlsEngine.JDK);
    }

    static SSLContext serverContext(KeyMaterial material, TlsSettings settings, TlsEngine engine)
            throws TlsConfigException {
        return serverContext(material, java.util.Map.of(), settings, engine);
    }

    /**
     * JSSE, or the native engine with its own key objects ({@link NativeKeyManager}).
     *
     * @param sites key pairs chosen by SNI ({@link SniKeyManager}, JSSE only); none: {@code material} for every client
     */
    static SSLContext serverContext(KeyMaterial material, java.util.Map<String, KeyMaterial> sites,
            TlsSettings settings, TlsEngine engine) throws TlsConfigException {
        if (!sites.isEmpty() && engine.provider() != null) {
            throw new IllegalArgumentException("site certificates are chosen by JSSE's key manager only");
        }
        try {
            SSLContext ctx = engine.provider() == null ? jdkContext(material, sites, settings.sessionResumption())
                    : nativeContext(material, engine.provider());
            SSLSessionContext sessions = ctx.getServerSessionContext();
            if (!settings.sessionResumption()) {
                sessions.setSessionCacheSize(1);
                sessions.setSessionTimeout(NO_TICKETS_TIMEOUT_SECONDS);
            } else {
                // A context resumes for two ticket periods at most (TicketRing): a session never outlives it. For
                // JSSE this is also the TLS 1.3 ticket_lifetime it announces; BoringSSL takes it for TLS 1.2 only
                // (its TLS 1.3 session lifetime, 48 h, has no setter in Conscrypt), and drops it with the context.
                sessions.setSessionTimeout((int) (2 * settings.ticketRotationMillis() / 1000));
            }
            return ctx;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new TlsConfigException("cannot use the key and certificate from " + material.source() + ": "
                    + PemFiles.rootMessage(e), e);
        }
    }

    private static SSLContext nativeContext(KeyMaterial material, java.security.Provider provider)
            throws GeneralSecurityException {
        SSLContext ctx = SSLContext.getInstance("TLS", provider);
        ctx.init(new javax.net.ssl.KeyManager[] {new NativeKeyManager(material, provider)}, new TrustManager[0], null);
        return ctx;
    }

    private static SSLContext jdkContext(KeyMaterial material, java.util.Map<String, KeyMaterial> sites,
            boolean tickets) throws GeneralSecurityException, java.io.IOException {
        char[] none = new char[0];
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        // The store lives only in memory, between these lines and the key manager: PKCS12's default protection
        // (PBKDF2, 10000 iterations, once to store and once to read back) would cost ~0.3-0.6 s of start-up and
        // of every SIGHUP reload, and protect nothing.
        ks.setEntry("liso", new KeyStore.PrivateKeyEntry(material.privateKey(),
                material.chain().toArray(new Certificate[0])), IN_MEMORY);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, none);
        SSLContext ctx = tickets ? SSLContext.getInstance("TLS") : jdkContextWithoutTickets();
        // No trust managers: the server never asks for client certificates, and null would make JSSE read and
        // parse the JDK's whole cacerts file (tens of ms of start-up) only to never use it.
        javax.net.ssl.KeyManager[] keys = sites.isEmpty() ? kmf.getKeyManagers()
                : new javax.net.ssl.KeyManager[] {new SniKeyManager(material, sites)};
        ctx.init(keys, new TrustManager[0], null);
        return ctx;
    }

    /**
     * A JSSE context that offers no TLS 1.2 session tickets. The long session timeout alone is not enough there:
     * JSSE (17 and 25) still answers a client's session_ticket extension with its own, promising a NewSessionTicket
     * (RFC 5077 §3.2), then finds the lifetime too long and sends none, and the client fails on the ChangeCipherSpec
     * that comes instead ("unexpected message"; every TLS 1.2 handshake with --no-tls-resumption failed so). JSSE
     * reads {@code jdk.tls.server.enableSessionTicketExtension} when a context's session cache is made, in
     * {@code SSLContext.getInstance}: it is set to false for that call only.
     */
    private static SSLContext jdkContextWithoutTickets() throws GeneralSecurityException {
        synchronized (TICKET_PROPERTY_LOCK) {
            String was = System.getProperty(TICKET_PROPERTY);
            System.setProperty(TICKET_PROPERTY, "false");
            try {
                return SSLContext.getInstance("TLS");
            } finally {
                if (was == null) {
                    System.clearProperty(TICKET_PROPERTY);
                } else {
                    System.setProperty(TICKET_PROPERTY, was);
                }
            }
        }
    }

    /** The parameters every engine of {@code ctx} gets; checks that the settings name only what JSSE supports. */
    static SSLParameters parameters(SSLContext ctx, TlsSettings settings) throws TlsConfigException {
        SSLParameters supported = ctx.getSupportedSSLParameters();
        String[] protocols = pick(settings.protocols(), supported.getProtocols(), "protocol");
        String[] suites = pick(settings.cipherSuites(), supported.getCipherSuites(), "cipher suite");
        SSLParameters p = new SSLParameters(suites, protocols);
        p.setUseCipherSuitesOrder(true);
        p.setApplicationProtocols(settings.applicationProtocols().toArray(new String[0]));
        p.setNeedClientAuth(false);
        return p;
    }

    private static String[] pick(List<String> wanted, String[] available, String what) throws TlsConfigException {
        Set<String> have = Set.of(available);
        List<String> out = new ArrayList<>();
        for (String w : wanted) {
            if (!have.contains(w)) {
                throw new TlsConfigException("TLS " + what + " " + w + " is not supported by this Java runtime"
                        + " (supported: " + String.join(", ", Arrays.asList(available)) + ")");
            }
            out.add(w);
        }
        return out.toArray(new String[0]);
    }

    static SSLEngine engine(SSLContext ctx, SSLParameters params) {
        SSLEngine e = ctx.createSSLEngine();
        e.setUseClientMode(false);
        e.setSSLParameters(params);
        return e;
    }

    /**
     * An engine of {@code ctx}. A native one sends session tickets only when told to (Conscrypt's default is none,
     * which would leave TLS 1.3 without resumption); JSSE's are on or off for the whole context, see
     * {@link #serverContext}.
     */
    static SSLEngine engine(SSLContext ctx, SSLParameters params, TlsEngine kind, boolean tickets) {
        SSLEngine e = engine(ctx, params);
        if (kind.isNative()) {
            NativeTls.tickets(e, tickets);
        }
        return e;
    }
}
