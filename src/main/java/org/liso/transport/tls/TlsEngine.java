package org.liso.transport.tls;

import java.security.Provider;
import java.util.List;

/**
 * The engine a factory serves with, once {@link TlsProvider#AUTO} is decided: JSSE, or the native one with its JCA
 * provider. Immutable and shared by every loop thread.
 *
 * @param provider the JCA provider of the SSLContext; null for the JDK's own
 * @param description what the start-up line says, e.g. {@code native BoringSSL (Conscrypt 2.9.0)}
 */
record TlsEngine(TlsProvider kind, Provider provider, String description) {

    static final TlsEngine JDK = new TlsEngine(TlsProvider.JDK, null,
            "jdk JSSE (" + System.getProperty("java.vendor", "?") + " " + System.getProperty("java.version", "?")
                    + ")");

    boolean isNative() {
        return kind == TlsProvider.NATIVE;
    }

    /**
     * The engine for {@code settings}: native when it loads and can do what the settings ask, else JSSE (the reason
     * goes to {@code fallback}); {@link TlsProvider#NATIVE} turns either failure into an error.
     */
    static TlsEngine resolve(TlsSettings settings, java.util.function.Consumer<String> fallback)
            throws TlsConfigException {
        if (settings.provider() == TlsProvider.JDK) {
            return JDK;
        }
        String why = NativeTls.reason();
        if (why == null) {
            why = unsupportedByNative(settings);
        }
        if (why == null) {
            return new TlsEngine(TlsProvider.NATIVE, NativeTls.provider(), "native " + NativeTls.describe());
        }
        if (settings.provider() == TlsProvider.NATIVE) {
            throw new TlsConfigException("--tls-provider native: the native TLS engine cannot serve: " + why);
        }
        fallback.accept(why);
        return JDK;
    }

    /**
     * BoringSSL enables every TLS 1.3 suite and has no way to turn one off (its TLS 1.3 order is fixed too: AES-GCM
     * first, ChaCha20 first only for a client that prefers it); a list that leaves one out is JSSE's to serve.
     */
    private static String unsupportedByNative(TlsSettings settings) {
        if (!settings.protocols().contains("TLSv1.3")) {
            return null;
        }
        List<String> tls13 = TlsSettings.DEFAULT_CIPHER_SUITES.stream().filter(s -> !s.startsWith("TLS_ECDHE")).toList();
        for (String s : tls13) {
            if (!settings.cipherSuites().contains(s)) {
                return "BoringSSL cannot turn off the TLS 1.3 suite " + s;
            }
        }
        return null;
    }
}
