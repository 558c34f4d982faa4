package org.liso.diag;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/** Socket address formatting and parsing in the conventions' forms: {@code host:port}, {@code :port}, {@code [v6]:port}. */
public final class Addresses {

    private Addresses() {
    }

    /** {@code 127.0.0.1:8080}, {@code [::1]:8080}. */
    public static String format(InetSocketAddress a) {
        return hostOf(a) + ":" + a.getPort();
    }

    /** The host part as written in an address: IPv6 literals in brackets. */
    public static String hostOf(InetSocketAddress a) {
        InetAddress ip = a.getAddress();
        if (ip == null) {
            return a.getHostString();
        }
        String h = ip.getHostAddress();
        int scope = h.indexOf('%');
        if (ip instanceof Inet6Address) {
            return "[" + (scope >= 0 ? h.substring(0, scope) : h) + "]";
        }
        return h;
    }

    /**
     * Parses {@code host:port}, {@code :port}, {@code [v6]:port} or a bare {@code port}; a missing host means
     * {@code defaultHost}. Host names are resolved.
     *
     * @throws IllegalArgumentException with a message fit for the user when the text is not an address
     */
    public static InetSocketAddress parse(String text, String defaultHost) {
        String s = text.trim();
        String host;
        String port;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0 || close + 1 >= s.length() || s.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("not an address: '" + text + "' (expected [v6]:port)");
            }
            host = s.substring(1, close);
            port = s.substring(close + 2);
        } else {
            int colon = s.lastIndexOf(':');
            if (colon < 0) {
                host = defaultHost;
                port = s;
            } else if (s.indexOf(':') != colon) {
                throw new IllegalArgumentException("not an address: '" + text + "' (write IPv6 as [v6]:port)");
            } else {
                host = colon == 0 ? defaultHost : s.substring(0, colon);
                port = s.substring(colon + 1);
            }
        }
        int p;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a port number: '" + port + "' in '" + text + "'");
        }
        if (p < 0 || p > 65535) {
            throw new IllegalArgumentException("port out of range 0-65535: " + p);
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), p);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("cannot resolve host '" + host + "'");
        }
    }
}
