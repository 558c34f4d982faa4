package org.liso.transport.tls;

/**
 * Which TLS implementation serves HTTPS ({@code --tls-provider}).
 *
 * <p>{@link #AUTO} is the default: the native engine where its library loads, JSSE elsewhere (another OS or CPU,
 * or a library the platform refuses), with the reason logged once. {@link #NATIVE} insists: a start-up error when
 * the library cannot load. {@link #JDK} is the pure-Java engine, always there.
 */
public enum TlsProvider {
    AUTO, NATIVE, JDK;

    /** {@code auto}, {@code native}, {@code jdk}: the spelling of the flag. */
    public String flagValue() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
