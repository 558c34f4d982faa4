package org.liso.transport.proxy;

import java.net.InetAddress;
import java.util.Arrays;

/**
 * One block of addresses, {@code 10.0.0.0/8} or {@code ::1/128}; a bare address is a block of one. IPv4-mapped IPv6
 * blocks ({@code ::ffff:10.0.0.0/104}) are kept as the IPv4 block they are, because the JDK reports such peers as
 * IPv4 addresses.
 */
public record Cidr(byte[] network, int prefix) {

    /**
     * Parses {@code text}; host bits under the prefix must be zero ({@code 10.1.2.3/8} is a mistake worth hearing of).
     *
     * @throws IllegalArgumentException with a message fit for the user
     */
    public static Cidr parse(String text) {
        String s = text.trim();
        int slash = s.indexOf('/');
        String host = slash < 0 ? s : s.substring(0, slash);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        InetAddress a = IpLiteral.parse(host);
        if (a == null) {
            throw new IllegalArgumentException("not an IP address or CIDR block: '" + text + "'");
        }
        byte[] net = a.getAddress();
        int max = net.length * 8;
        int prefix = max;
        if (slash >= 0) {
            String p = s.substring(slash + 1);
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("bad prefix length in '" + text + "'");
            }
            prefix = Integer.parseInt(p);
            if (net.length == 4 && host.indexOf(':') >= 0) {
                prefix -= 96; // an IPv4-mapped block, now an IPv4 one
            }
            if (prefix < 0 || prefix > max) {
                throw new IllegalArgumentException("prefix length out of range in '" + text + "'");
            }
        }
        byte[] masked = mask(net, prefix);
        if (!Arrays.equals(masked, net)) {
            throw new IllegalArgumentException("'" + text + "' has bits set past its prefix; did you mean "
                    + IpLiteral.address(masked).getHostAddress() + "/" + prefix + "?");
        }
        return new Cidr(net, prefix);
    }

    public boolean contains(InetAddress address) {
        byte[] b = address.getAddress();
        return b.length == network.length && Arrays.equals(mask(b, prefix), network);
    }

    private static byte[] mask(byte[] address, int prefix) {
        byte[] out = address.clone();
        for (int i = 0; i < out.length; i++) {
            int bits = Math.max(0, Math.min(8, prefix - i * 8));
            out[i] &= (byte) (0xff00 >> bits);
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && c.prefix == prefix && Arrays.equals(c.network, network);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(network) * 31 + prefix;
    }

    @Override
    public String toString() {
        return IpLiteral.address(network).getHostAddress() + "/" + prefix;
    }
}
