package org.liso.http;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Percent-decoding of a request path (RFC 3986 §2.1), exactly once (so {@code %252e} stays the literal {@code %2e}),
 * with the decoded octets read as strict UTF-8. What a caller must refuse differs — the file resolver refuses an
 * encoded slash, CGI only NUL — so each passes its own {@link Rule}.
 */
public final class PercentDecoding {

    /** Says whether an octet may appear in the decoded path. */
    @FunctionalInterface
    public interface Rule {
        /**
         * @param octet   the byte, 0..255
         * @param escaped whether it arrived as a %XX escape
         * @return why it is refused (becomes the 400's message), or null to accept it
         */
        String refuse(int octet, boolean escaped);
    }

    private PercentDecoding() {
    }

    /** @throws HttpException 400 for a malformed escape, an octet {@code rule} refuses, or invalid UTF-8 */
    public static String decode(String raw, Rule rule) throws HttpException {
        int n = raw.length();
        if (raw.indexOf('%') < 0) {
            for (int i = 0; i < n; i++) {
                check(rule, raw.charAt(i), false);
            }
            return raw;
        }
        byte[] out = new byte[n];
        int len = 0;
        for (int i = 0; i < n; i++) {
            char c = raw.charAt(i);
            if (c != '%') {
                check(rule, c, false);
                out[len++] = (byte) c;
                continue;
            }
            int hi = i + 2 < n ? hex(raw.charAt(i + 1)) : -1;
            int lo = hi >= 0 ? hex(raw.charAt(i + 2)) : -1;
            if (lo < 0) {
                throw new HttpException(400, i + 2 < n ? "invalid percent-escape in path"
                        : "truncated percent-escape in path");
            }
            int b = hi << 4 | lo;
            check(rule, b, true);
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
            throw new HttpException(400, "path is not valid UTF-8");
        }
    }

    private static void check(Rule rule, int octet, boolean escaped) throws HttpException {
        String why = rule.refuse(octet, escaped);
        if (why != null) {
            throw new HttpException(400, why);
        }
    }

    /** The value of a hex digit, or -1. */
    public static int hex(char c) {
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
}
