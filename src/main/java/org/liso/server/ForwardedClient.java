package org.liso.server;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.liso.http.Headers;
import org.liso.transport.proxy.IpLiteral;
import org.liso.transport.proxy.TrustedProxies;

/**
 * The client of a request that came through HTTP proxies, from {@code Forwarded} (RFC 7239) or, when there is none,
 * {@code X-Forwarded-For}. Each proxy appends the address it received the request from, so the list reads client
 * first, nearest proxy last; anyone can write any list, and only the hops that trusted proxies appended are true.
 * The walk starts at the connection's own peer and goes right to left while the address reached is trusted: the
 * first untrusted one is the client (RFC 7239 §7.4 on trusting only known proxies). A hop that names no address
 * ("unknown", an obfuscated identifier, §6.2–6.3, or a malformed element) ends the walk at the proxy that wrote it.
 * Pure: no channels, no threads.
 */
final class ForwardedClient {

    private ForwardedClient() {
    }

    static InetSocketAddress resolve(InetSocketAddress peer, Headers headers, TrustedProxies trusted) {
        if (peer == null || !trusted.contains(peer.getAddress())) {
            return peer; // an untrusted peer's headers are its own words
        }
        List<String> hops = headers.contains("Forwarded") ? forwardedFor(headers.all("Forwarded"))
                : xForwardedFor(headers.all("X-Forwarded-For"));
        InetSocketAddress current = peer;
        for (int i = hops.size() - 1; i >= 0; i--) {
            InetSocketAddress hop = node(hops.get(i));
            if (hop == null) {
                return current;
            }
            current = hop;
            if (!trusted.contains(hop.getAddress())) {
                return current;
            }
        }
        return current;
    }

    /** The {@code for} value of each element, left to right; null for an element that has none or is malformed. */
    static List<String> forwardedFor(List<String> fields) {
        List<String> out = new ArrayList<>();
        for (String field : fields) {
            for (String element : split(field, ',')) {
                if (element.isBlank()) {
                    continue; // RFC 9110 §5.6.1: empty list elements do not count
                }
                out.add(forOf(element));
            }
        }
        return out;
    }

    private static String forOf(String element) {
        String value = null;
        for (String pair : split(element, ';')) {
            String p = pair.strip();
            int eq = p.indexOf('=');
            if (eq <= 0) {
                return null;
            }
            if (p.substring(0, eq).equalsIgnoreCase("for")) {
                if (value != null) {
                    return null; // §4: a parameter MUST NOT occur more than once per element
                }
                value = unquote(p.substring(eq + 1));
                if (value == null) {
                    return null;
                }
            }
        }
        return value;
    }

    /** X-Forwarded-For: a comma-separated list of addresses, one field or several in order. */
    static List<String> xForwardedFor(List<String> fields) {
        List<String> out = new ArrayList<>();
        for (String field : fields) {
            for (String hop : field.split(",", -1)) {
                if (!hop.isBlank()) {
                    out.add(hop.strip());
                }
            }
        }
        return out;
    }

    /**
     * A node (§6): {@code 192.0.2.43}, {@code 192.0.2.43:47011}, {@code [2001:db8::17]:4711}, or a bare IPv6 address
     * as X-Forwarded-For writes it; an obfuscated port (§6.3) is port 0. Null for anything else (and for null: an
     * element without a {@code for}).
     */
    static InetSocketAddress node(String s) {
        if (s == null) {
            return null;
        }
        String host = s;
        String port = null;
        if (s.startsWith("[")) {
            int end = s.indexOf(']');
            if (end < 0 || s.indexOf(':') < 0) {
                return null;
            }
            host = s.substring(1, end);
            String rest = s.substring(end + 1);
            if (!rest.isEmpty()) {
                if (rest.charAt(0) != ':') {
                    return null;
                }
                port = rest.substring(1);
            }
        } else {
            int colon = s.indexOf(':');
            if (colon >= 0 && colon == s.lastIndexOf(':')) {
                host = s.substring(0, colon);
                port = s.substring(colon + 1);
            }
        }
        InetAddress a = IpLiteral.parse(host);
        int p = port == null ? 0 : port(port);
        return a == null || p < 0 ? null : new InetSocketAddress(a, p);
    }

    private static int port(String s) {
        if (s.length() > 1 && s.charAt(0) == '_') {
            return 0;
        }
        if (s.isEmpty() || s.length() > 5 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        int p = Integer.parseInt(s);
        return p <= 65535 ? p : -1;
    }

    /** A token as it is, a quoted-string without its quotes and escapes (RFC 9110 §5.6.4); null if unterminated. */
    private static String unquote(String v) {
        if (!v.startsWith("\"")) {
            return v;
        }
        StringBuilder b = new StringBuilder(v.length());
        for (int i = 1; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '\\' && i + 1 < v.length()) {
                b.append(v.charAt(++i));
            } else if (c == '"') {
                return i == v.length() - 1 ? b.toString() : null;
            } else {
                b.append(c);
            }
        }
        return null;
    }

    /** Splits on {@code sep} outside quoted-strings. */
    private static List<String> split(String s, char sep) {
        List<String> out = new ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted && c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == sep && !quoted) {
                out.add(s.substring(start, i));
                start = i + 1;
            }
        }
        out.add(s.substring(start));
        return out;
    }
}
