package org.liso.listen;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code tcp4:PORT}, {@code tcp6:PORT}, {@code tcp:PORT}, {@code udp4:PORT}, {@code udp6:PORT} or {@code unix:PATH}.
 *
 * @param kind what to listen on
 * @param port the port (0 lets the kernel choose); unused for unix
 * @param path the socket file for unix, else null
 */
public record ListenSpec(Kind kind, int port, Path path) {

    /** The socket families {@code liso listen} offers. */
    public enum Kind {
        TCP4(false, "127.0.0.1"), TCP6(false, "::1"), TCP(false, "127.0.0.1"),
        UDP4(true, "127.0.0.1"), UDP6(true, "::1"), UNIX(false, null);

        final boolean udp;
        final String defaultHost;

        Kind(boolean udp, String defaultHost) {
            this.udp = udp;
            this.defaultHost = defaultHost;
        }

        public boolean udp() {
            return udp;
        }
    }

    public static ListenSpec parse(String text) {
        int colon = text.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("not a listen spec: '" + text
                    + "' (write tcp4:PORT, tcp6:PORT, tcp:PORT, udp4:PORT, udp6:PORT or unix:PATH)");
        }
        Kind kind;
        try {
            kind = Kind.valueOf(text.substring(0, colon).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown socket kind '" + text.substring(0, colon)
                    + "' (tcp4, tcp6, tcp, udp4, udp6 or unix)");
        }
        String rest = text.substring(colon + 1);
        if (kind == Kind.UNIX) {
            if (rest.isEmpty()) {
                throw new IllegalArgumentException("unix: needs a path");
            }
            return new ListenSpec(kind, 0, Path.of(rest));
        }
        try {
            int port = Integer.parseInt(rest);
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return new ListenSpec(kind, port, null);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a port: '" + rest + "' in '" + text + "'");
        }
    }

    /**
     * The address to bind: {@code bind} when given (it must match the family: tcp4/udp4 take IPv4, tcp6/udp6
     * IPv6), else loopback of the family.
     */
    public InetSocketAddress address(String bind) {
        String host = bind == null ? kind.defaultHost : bind.replace("[", "").replace("]", "");
        InetAddress a;
        try {
            a = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("cannot resolve bind address '" + bind + "'");
        }
        boolean v4 = a instanceof java.net.Inet4Address;
        if ((kind == Kind.TCP4 || kind == Kind.UDP4) && !v4 || (kind == Kind.TCP6 || kind == Kind.UDP6) && v4) {
            throw new IllegalArgumentException("--bind " + bind + " does not match " + kind.name().toLowerCase(
                    Locale.ROOT));
        }
        return new InetSocketAddress(a, port);
    }
}
