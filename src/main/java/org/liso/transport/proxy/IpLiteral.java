package org.liso.transport.proxy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * IP address literals read from untrusted text (a PROXY v1 line, an X-Forwarded-For hop, a --trusted-proxies entry)
 * without ever asking a resolver: {@link InetAddress#getByName} would look up anything that is not a literal.
 *
 * <p>IPv4 is the strict dotted quad of proxy-protocol.txt §2.1: four decimal numbers 0..255 with no leading zero
 * (so "010" cannot be read as octal). IPv6 is RFC 4291 §2.2 text: eight groups of one to four hex digits, one "::"
 * at most, and a dotted-quad tail (which inet_ntop writes for IPv4-mapped addresses); no zone index.
 */
public final class IpLiteral {

    private IpLiteral() {
    }

    /** The address {@code s} spells, IPv4 or IPv6, or null when it is not a literal. */
    public static InetAddress parse(String s) {
        byte[] b = s.indexOf(':') >= 0 ? v6(s) : v4(s);
        return b == null ? null : address(b);
    }

    /** The four bytes of a strict dotted quad, or null. */
    public static byte[] v4(String s) {
        byte[] out = new byte[4];
        int part = 0;
        int i = 0;
        while (part < 4) {
            int start = i;
            int value = 0;
            while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9' && i - start < 3) {
                value = value * 10 + (s.charAt(i) - '0');
                i++;
            }
            int digits = i - start;
            if (digits == 0 || value > 255 || digits > 1 && s.charAt(start) == '0') {
                return null;
            }
            out[part++] = (byte) value;
            if (part < 4) {
                if (i >= s.length() || s.charAt(i) != '.') {
                    return null;
                }
                i++;
            }
        }
        return i == s.length() ? out : null;
    }

    /** The sixteen bytes of an IPv6 literal, or null. */
    public static byte[] v6(String s) {
        if (s.isEmpty() || s.length() > 45) {
            return null;
        }
        byte[] out = new byte[16];
        int n = 0; // bytes written
        int gap = -1; // where "::" stands, in bytes
        int i = 0;
        if (s.startsWith("::")) {
            gap = 0;
            i = 2;
        } else if (s.charAt(0) == ':') {
            return null;
        }
        while (i < s.length()) {
            int start = i;
            int value = 0;
            while (i < s.length() && i - start < 5 && hex(s.charAt(i)) >= 0) {
                value = value * 16 + hex(s.charAt(i));
                i++;
            }
            if (i < s.length() && s.charAt(i) == '.') {
                byte[] quad = v4(s.substring(start));
                if (quad == null || n > 12) {
                    return null;
                }
                System.arraycopy(quad, 0, out, n, 4);
                n += 4;
                i = s.length();
                break;
            }
            int digits = i - start;
            if (digits == 0 || digits > 4 || n > 14) {
                return null;
            }
            out[n++] = (byte) (value >> 8);
            out[n++] = (byte) value;
            if (i == s.length()) {
                break;
            }
            if (s.charAt(i) != ':') {
                return null;
            }
            i++;
            if (i < s.length() && s.charAt(i) == ':') {
                if (gap >= 0) {
                    return null;
                }
                gap = n;
                i++;
            } else if (i == s.length()) {
                return null; // a single trailing ':'
            }
        }
        if (gap < 0) {
            return n == 16 ? out : null;
        }
        if (n == 16) {
            return null; // "::" must stand for at least one group
        }
        int tail = n - gap;
        System.arraycopy(out, gap, out, 16 - tail, tail);
        Arrays.fill(out, gap, 16 - tail, (byte) 0);
        return out;
    }

    /** ASCII hex only: {@link Character#digit} would take other scripts' digits too. */
    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
            return (c | 0x20) - 'a' + 10;
        }
        return -1;
    }

    /** Bytes to an address; 16 bytes of an IPv4-mapped address come back as the IPv4 address, as the JDK does. */
    static InetAddress address(byte[] b) {
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("address of " + b.length + " bytes", e); // 4 or 16 bytes: unreachable
        }
    }
}
