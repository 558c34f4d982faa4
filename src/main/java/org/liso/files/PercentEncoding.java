package org.liso.files;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.liso.http.HttpException;

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
        int n = raw.length();
        if (raw.indexOf('%') < 0) {
            for (int i = 0; i < n; i++) {
                checkPlain(raw.charAt(i));
            }
            return raw;
        }
        byte[] out = new byte[n];
        int len = 0;
        for (int i = 0; i < n; i++) {
            char c = raw.charAt(i);
            if (c != '%') {
                checkPlain(c);
                out[len++] = (byte) c;
                continue;
            }
            if (i + 2 >= n) {
                throw bad("truncated percent-escape");
            }
            int hi = hex(raw.charAt(i + 1));
            int lo = hex(raw.charAt(i + 2));
            if (hi < 0 || lo < 0) {
                throw bad("invalid percent-escape");
            }
            int b = hi << 4 | lo;
            if (b == '/') {
                throw bad("encoded slash in path");
            }
            if (b < 0x80) {
                checkPlain((char) b);
            }
            out[len++] = (byte) b;
            i += 2;
        }
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(out, 0, len));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw bad("path is not valid UTF-8");
        }
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

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static boolean unreserved(int b) {
        return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9'
                || b == '-' || b == '.' || b == '_' || b == '~';
    }

    private static void checkPlain(char c) throws HttpException {
        if (c == 0) {
            throw bad("NUL in path");
        }
        if (c < 0x20 || c == 0x7f) {
            throw bad("control character in path");
        }
        if (c == '\\') {
            throw bad("backslash in path");
        }
        if (c > 0x7e) {
            throw bad("non-ASCII character in request target");
        }
    }

    private static HttpException bad(String why) {
        return new HttpException(400, why);
    }
}
