package org.liso.transport.tls;

import java.security.Provider;
import org.conscrypt.Conscrypt;

/**
 * The native engine: Conscrypt, BoringSSL behind the JCA and its own {@code SSLEngine} (docs/tls.md says why this
 * one). Its JNI library is loaded once, on first use; when it cannot be (no build for this OS or CPU, a temporary
 * directory it may not run code from, the classes missing from the class path), {@link #reason} says why and the
 * caller serves with JSSE.
 *
 * <p>The provider is not installed in {@link java.security.Security}: only Liso's server contexts use it, every
 * other JCA lookup in the process keeps the JDK's.
 */
final class NativeTls {
    private static final Provider PROVIDER;
    private static final String REASON;
    private static final String VERSION;

    static {
        Provider p = null;
        String reason = null;
        String version = "?";
        try {
            Conscrypt.checkAvailability();
            p = Conscrypt.newProvider();
            Conscrypt.Version v = Conscrypt.version();
            version = v.major() + "." + v.minor() + "." + v.patch();
        } catch (LinkageError | RuntimeException e) {
            reason = rootMessage(e);
        }
        PROVIDER = p;
        REASON = reason;
        VERSION = version;
    }

    private NativeTls() {
    }

    /** The provider, or null when the native library did not load. */
    static Provider provider() {
        return PROVIDER;
    }

    /** Why the native engine is not available; null when it is. */
    static String reason() {
        return REASON;
    }

    /** E.g. {@code BoringSSL (Conscrypt 2.9.0)}. */
    static String describe() {
        return "BoringSSL (Conscrypt " + VERSION + ")";
    }

    /** RFC 5077 / RFC 8446 §4.6.1 tickets on or off for one engine (off: BoringSSL's SSL_OP_NO_TICKET). */
    static void tickets(javax.net.ssl.SSLEngine engine, boolean on) {
        Conscrypt.setUseSessionTickets(engine, on);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
