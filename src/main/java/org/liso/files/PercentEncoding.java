package org.liso.files;

import java.nio.charset.StandardCharsets;
import org.liso.http.HttpException;
import org.liso.http.PercentDecoding;

/** Percent-decoding of a request path and percent-encoding of path segments (RFC 3986 §2.1, §2.4). */
final class PercentEncoding {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private PercentEncoding() {
    }

    /**
     * Decodes {@code raw} exactly once (so {@code %252e} becomes the literal {@code %2e}) and checks the result as
     * strict UTF-8. An encoded slash would let one segment pose as two, an encoded NUL truncates names in C-level APIs,
     * and a backslash is a separator on other systems: all three are refused instead of interpreted.
     *
     * @throws HttpException 400 for a bad escape, a non-ASCII raw character, NUL, control characters, {@code %2F},
     *                       backslash or invalid UTF-8
     */
    static String decodePath(String raw) throws HttpException {
        return PercentDecoding.decode(raw, PercentEncoding::refuse);
    }

    private static String refuse(int b, boolean escaped) {
        if (escaped && b == '/') {
            return "encoded slash in path";
        }
        if (escaped && b >= 0x80) {
            return null; // UTF-8 octets, checked as a whole afterwards
        }
        return plainProblem(b);
    }

    /** Encodes one path segment: everything but RFC 3986 unreserved characters becomes %XX of its UTF-8 bytes. */
    static String encodeSegment(String segment) {
        byte[] bytes = segment.getBytes(StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder(bytes.length + 8);
        for (byte value : bytes) {
            int b = value & 0xff;
            if (unreserved(b)) {
                sb.append((char) b);
            } else {
                sb.append('%').append(HEX[b >> 4]).append(HEX[b & 0xf]);
            }
        }
        return sb.toString();
    }

    private static boolean unreserved(int b) {
        return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9'
                || b == '-' || b == '.' || b == '_' || b == '~';
    }

    private static String plainProblem(int c) {
        if (c == 0) {
            return "NUL in path";
        }
        if (c < 0x20 || c == 0x7f) {
            return "control character in path";
        }
        if (c == '\\') {
            return "backslash in path";
        }
        if (c > 0x7e) {
            return "non-ASCII character in request target";
        }
        return null;
    }

    private static HttpException bad(String why) {
        return new HttpException(400, why);
    }
}
