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
        if (ip instanceof Inet6Address) {
            return "[" + ipText(ip) + "]";
        }
        return ip.getHostAddress();
    }

    /**
     * An address as text without zone; IPv6 in the RFC 5952 section 4 form {@code ss} and people use ({@code ::1},
     * {@code fe80::1}), not the JDK's uncompressed {@code 0:0:0:0:0:0:0:1}.
     */
    public static String ipText(InetAddress ip) {
        if (!(ip instanceof Inet6Address)) {
            return ip.getHostAddress();
        }
        byte[] b = ip.getAddress();
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = (b[2 * i] & 0xff) << 8 | b[2 * i + 1] & 0xff;
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; i++) {
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = Math.max(i, j);
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }

    /**
     * The address of a separate host flag and port flag ({@code --bind :: --port 9000}): an IPv6 literal may come with
     * or without brackets.
     *
     * @throws IllegalArgumentException with a message fit for the user when the host is not an address
     */
    public static InetSocketAddress of(String host, int port) {
        String h = host.trim();
        boolean bareV6 = h.indexOf(':') >= 0 && !h.startsWith("[");
        return parse((bareV6 ? "[" + h + "]" : h) + ":" + port, h);
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
