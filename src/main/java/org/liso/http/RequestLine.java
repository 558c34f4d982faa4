package org.liso.http;

import java.nio.charset.StandardCharsets;

/**
 * The parsed request line, RFC 9112 §3: {@code method SP request-target SP HTTP-version}, single spaces only.
 * {@link #parse} checks the four target forms of §3.2 against the method they belong to.
 */
final class RequestLine {
    /** Longer than any registered method: a valid token this long is answered 501, not parsed as a method. */
    static final int MAX_METHOD = 32;

    final Method method;
    final String methodName;
    final String target;
    final String path;
    final String query;
    /** The authority of an absolute-form or authority-form target, else null. */
    final String authority;
    final Version version;

    private RequestLine(String methodName, String target, String path, String query, String authority,
            Version version) {
        this.method = Method.of(methodName);
        this.methodName = methodName;
        this.target = target;
        this.path = path;
        this.query = query;
        this.authority = authority;
        this.version = version;
    }

    static RequestLine parse(byte[] line, int len) throws HttpException {
        int sp1 = 0;
        while (sp1 < len && Chars.isTchar(line[sp1])) {
            sp1++;
        }
        if (sp1 == 0) {
            throw bad(len > 0 && line[0] == Chars.SP ? "request line starts with a space" : "invalid method");
        }
        if (sp1 == len || line[sp1] != Chars.SP) {
            throw bad(sp1 == len ? "request line has no target" : "invalid character in method");
        }
        int sp2 = sp1 + 1;
        while (sp2 < len && line[sp2] != Chars.SP) {
            sp2++;
        }
        if (sp2 == sp1 + 1) {
            throw bad("empty request-target (more than one space after the method)");
        }
        if (sp2 == len) {
            throw bad("request line has no HTTP version (HTTP/0.9 is not supported)");
        }
        Version version = version(line, sp2 + 1, len);
        if (sp1 > MAX_METHOD) {
            throw new HttpException(501, "method longer than " + MAX_METHOD + " characters", true);
        }
        String methodName = KnownNames.method(line, 0, sp1);
        String target = new String(line, sp1 + 1, sp2 - sp1 - 1, StandardCharsets.ISO_8859_1);
        return forTarget(methodName, target, version);
    }

    /**
     * A request line from its parts, as a protocol without one carries them (HTTP/2's :method and :path): the same
     * checks as {@link #parse} makes of the method token and the target.
     */
    static RequestLine of(String methodName, String target, Version version) throws HttpException {
        if (methodName.isEmpty() || !Chars.isToken(methodName, 0, methodName.length())) {
            throw bad("invalid method");
        }
        if (methodName.length() > MAX_METHOD) {
            throw new HttpException(501, "method longer than " + MAX_METHOD + " characters");
        }
        if (target.isEmpty()) {
            throw bad("empty request-target");
        }
        return forTarget(methodName, target, version);
    }

    private static Version version(byte[] line, int from, int len) throws HttpException {
        int n = len - from;
        if (n == 8 && line[from] == 'H' && line[from + 1] == 'T' && line[from + 2] == 'T' && line[from + 3] == 'P'
                && line[from + 4] == '/' && Chars.isDigit(line[from + 5]) && line[from + 6] == '.'
                && Chars.isDigit(line[from + 7])) {
            int major = line[from + 5] - '0';
            int minor = line[from + 7] - '0';
            if (major == 1) {
                // RFC 9110 §2.5: a higher minor version of a major we speak is processed as our highest (1.1).
                return minor == 0 ? Version.HTTP_1_0 : Version.HTTP_1_1;
            }
            throw new HttpException(505, "HTTP version " + major + "." + minor + " not supported", true);
        }
        for (int i = from; i < len; i++) {
            if (line[i] == Chars.SP) {
                throw bad("extra space in request line");
            }
        }
        throw bad("malformed HTTP version");
    }

    private static RequestLine forTarget(String methodName, String target, Version version) throws HttpException {
        boolean connect = methodName.equals("CONNECT");
        char first = target.charAt(0);
        if (connect) {
            // §3.2.3: CONNECT takes only authority-form, and the port is not optional there.
            if (!Authority.valid(target, 0, target.length(), false, true)) {
                throw bad("CONNECT needs an authority-form target (host:port)");
            }
            return new RequestLine(methodName, target, target, null, target, version);
        }
        if (first == '/') {
            int q = checkPathAndQuery(target, 0);
            return q < 0 ? new RequestLine(methodName, target, target, null, null, version)
                    : new RequestLine(methodName, target, target.substring(0, q), target.substring(q + 1), null,
                            version);
        }
        if (first == '*' && target.length() == 1) {
            // §3.2.4: asterisk-form only for a server-wide OPTIONS.
            if (!methodName.equals("OPTIONS")) {
                throw bad("asterisk-form target is only for OPTIONS");
            }
            return new RequestLine(methodName, target, target, null, null, version);
        }
        return absoluteForm(methodName, target, version);
    }

    /** §3.2.2: only the http and https schemes; the authority must not be empty (RFC 9110 §4.2.1). */
    private static RequestLine absoluteForm(String methodName, String target, Version version)
            throws HttpException {
        int start;
        if (target.regionMatches(true, 0, "http://", 0, 7)) {
            start = 7;
        } else if (target.regionMatches(true, 0, "https://", 0, 8)) {
            start = 8;
        } else {
            throw bad("request-target is neither origin-form nor an http(s) absolute-form");
        }
        int end = start;
        int n = target.length();
        while (end < n && target.charAt(end) != '/' && target.charAt(end) != '?') {
            end++;
        }
        if (!Authority.valid(target, start, end, false, false)) {
            throw bad("invalid authority in absolute-form target");
        }
        String authority = target.substring(start, end);
        if (end == n) {
            return new RequestLine(methodName, target, "/", null, authority, version);
        }
        int q = checkPathAndQuery(target, end);
        String path = target.charAt(end) == '?' ? "/" : target.substring(end, q < 0 ? n : q);
        return new RequestLine(methodName, target, path, q < 0 ? null : target.substring(q + 1), authority, version);
    }

    /**
     * Checks {@code path-abempty [ "?" query ]} from {@code from} (RFC 3986 §3.3–3.4) and returns the index of the
     * '?' or -1. No fragment may be sent (RFC 9112 §3.2); percent signs must start a valid pct-encoded triplet.
     */
    private static int checkPathAndQuery(String t, int from) throws HttpException {
        int q = -1;
        int n = t.length();
        for (int i = from; i < n; i++) {
            char c = t.charAt(i);
            if (c == '%') {
                if (i + 2 >= n || Chars.hexValue(t.charAt(i + 1)) < 0 || Chars.hexValue(t.charAt(i + 2)) < 0) {
                    throw bad("invalid percent-encoding in request-target");
                }
                i += 2;
            } else if (c == '?') {
                if (q < 0) {
                    q = i;
                }
            } else if (c != '/' && (c > 0x7f || !Chars.isPchar(c))) {
                throw bad(c == '#' ? "fragment in request-target" : "invalid character in request-target");
            }
        }
        return q;
    }

    private static HttpException bad(String message) {
        return new HttpException(400, message, true);
    }
}
