package org.liso.transport.proxy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** The text of a version 1 line (proxy-protocol.txt §2.1), CRLF removed, read once the whole line is in. */
final class V1Line {

    private V1Line() {
    }

    static ProxyHeader parse(byte[] line, int length) throws ProxyHeaderException {
        String s = new String(line, 0, length, StandardCharsets.ISO_8859_1);
        if (s.equals("PROXY UNKNOWN") || s.startsWith("PROXY UNKNOWN ")) {
            return new ProxyHeader(1, null, null); // "the receiver must ignore anything presented before the CRLF"
        }
        // "exactly one space" between fields: splitting on each space keeps an empty field for a doubled one.
        String[] f = s.split(" ", -1);
        if (f.length != 6 || !f[0].equals("PROXY") || !f[1].equals("TCP4") && !f[1].equals("TCP6")) {
            throw new ProxyHeaderException("not a PROXY v1 line: '" + printable(s) + "'");
        }
        boolean v4 = f[1].equals("TCP4");
        InetAddress src = address(f[2], v4);
        InetAddress dst = address(f[3], v4);
        return new ProxyHeader(1, new InetSocketAddress(src, port(f[4])), new InetSocketAddress(dst, port(f[5])));
    }

    /** The family of the address must be the one the line announced; v6 literals may be IPv4-mapped. */
    private static InetAddress address(String text, boolean v4) throws ProxyHeaderException {
        byte[] b = v4 ? IpLiteral.v4(text) : IpLiteral.v6(text);
        if (b == null) {
            throw new ProxyHeaderException("bad " + (v4 ? "TCP4" : "TCP6") + " address '" + printable(text) + "'");
        }
        return IpLiteral.address(b);
    }

    /** Decimal 0..65535, no leading zero ("to avoid any possible confusion with octal numbers"). */
    private static int port(String text) throws ProxyHeaderException {
        boolean digits = !text.isEmpty() && text.length() <= 5 && text.chars().allMatch(c -> c >= '0' && c <= '9');
        if (!digits || text.length() > 1 && text.charAt(0) == '0' || Integer.parseInt(text) > 65535) {
            throw new ProxyHeaderException("bad port '" + printable(text) + "'");
        }
        return Integer.parseInt(text);
    }

    /** For log messages: control bytes and non-ASCII become '?'. */
    private static String printable(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.chars().forEach(c -> b.append(c >= ' ' && c < 0x7f ? (char) c : '?'));
        return b.toString();
    }
}
