package org.liso.http;

/**
 * Syntax of {@code uri-host [ ":" port ]} (RFC 3986 §3.2.2–3.2.3) as used by the Host field (RFC 9112 §3.2), the
 * authority of an absolute-form target and the authority-form of CONNECT. No userinfo: RFC 9110 §4.2.4 tells a
 * recipient to treat it as an error.
 */
final class Authority {
    private Authority() {
    }

    /**
     * Whether {@code s[from, to)} is a host with an optional port ({@code portRequired}: a non-empty port must
     * follow). An empty host is allowed only when {@code allowEmpty} (Host may be empty, RFC 9112 §3.2).
     */
    static boolean valid(String s, int from, int to, boolean allowEmpty, boolean portRequired) {
        if (from == to) {
            return allowEmpty && !portRequired;
        }
        int i = from;
        if (s.charAt(i) == '[') {
            i = ipLiteralEnd(s, from, to);
            if (i < 0) {
                return false;
            }
        } else {
            while (i < to && s.charAt(i) != ':') {
                char c = s.charAt(i);
                if (c == '%') {
                    if (i + 2 >= to || !hex(s.charAt(i + 1)) || !hex(s.charAt(i + 2))) {
                        return false;
                    }
                    i += 3;
                    continue;
                }
                if (c > 0x7f || !Chars.isRegName(c)) {
                    return false;
                }
                i++;
            }
            if (i == from) {
                return false;
            }
        }
        if (i == to) {
            return !portRequired;
        }
        if (s.charAt(i) != ':') {
            return false;
        }
        i++;
        if (portRequired && i == to) {
            return false;
        }
        for (; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** Index after the ']' of an IPv6 literal starting at from, or -1 (IPvFuture is not accepted). */
    private static int ipLiteralEnd(String s, int from, int to) {
        int colons = 0;
        for (int i = from + 1; i < to; i++) {
            char c = s.charAt(i);
            if (c == ']') {
                return colons >= 2 && i > from + 2 ? i + 1 : -1;
            }
            if (c == ':') {
                colons++;
            } else if (c != '.' && !hex(c)) {
                return -1;
            }
        }
        return -1;
    }

    private static boolean hex(char c) {
        return c < 0x80 && Chars.isHex(c);
    }
}
