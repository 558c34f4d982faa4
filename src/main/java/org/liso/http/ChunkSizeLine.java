package org.liso.http;

/**
 * {@code chunk-size [ chunk-ext ]} of RFC 9112 §7.1: {@code 1*HEXDIG *( BWS ";" BWS ext-name [ BWS "=" BWS ext-val ] )}
 * with ext-val a token or quoted-string. Extensions are checked and then ignored (§7.1.1). Whitespace that no ";"
 * follows ({@code 5 CRLF}) is outside that grammar and rejected: a lenient parser here is a smuggling vector when the
 * proxy in front of us is strict, or the other way round.
 */
final class ChunkSizeLine {
    private ChunkSizeLine() {
    }

    static long parse(byte[] b, int len) throws HttpException {
        int i = 0;
        long size = 0;
        while (i < len && Chars.isHex(b[i])) {
            if (size > (Long.MAX_VALUE >>> 4)) {
                throw bad("chunk size overflows");
            }
            size = (size << 4) | Chars.hexValue(b[i]);
            i++;
        }
        if (i == 0) {
            throw bad(len == 0 ? "empty chunk size" : "chunk size is not hexadecimal");
        }
        while (i < len) {
            i = skipBws(b, i, len);
            if (i == len) {
                // BWS belongs to a chunk-ext (before ";", around "="); none may end the line (RFC 9112 §7.1).
                throw bad("whitespace at the end of the chunk size line");
            }
            if (b[i] != ';') {
                throw bad("invalid character after chunk size");
            }
            i = skipBws(b, i + 1, len);
            int name = i;
            i = token(b, i, len);
            if (i == name) {
                throw bad("empty chunk extension name");
            }
            int afterName = i;
            i = skipBws(b, i, len);
            if (i < len && b[i] == '=') {
                i = skipBws(b, i + 1, len);
                i = i < len && b[i] == '"' ? quoted(b, i, len) : requireToken(b, i, len);
            } else {
                i = afterName;
            }
        }
        return size;
    }

    private static int requireToken(byte[] b, int i, int len) throws HttpException {
        int end = token(b, i, len);
        if (end == i) {
            throw bad("empty chunk extension value");
        }
        return end;
    }

    private static int token(byte[] b, int i, int len) {
        while (i < len && Chars.isTchar(b[i])) {
            i++;
        }
        return i;
    }

    /** RFC 9110 §5.6.4: qdtext or quoted-pair; returns the index after the closing quote. */
    private static int quoted(byte[] b, int i, int len) throws HttpException {
        for (i++; i < len; i++) {
            int c = b[i] & 0xff;
            if (c == '"') {
                return i + 1;
            }
            if (c == '\\') {
                i++;
                if (i == len || !Chars.isFieldContent(b[i])) {
                    throw bad("invalid quoted-pair in chunk extension");
                }
            } else if (!Chars.isFieldContent(c)) {
                throw bad("control character in chunk extension");
            }
        }
        throw bad("unterminated quoted string in chunk extension");
    }

    private static int skipBws(byte[] b, int i, int len) {
        while (i < len && Chars.isOws(b[i])) {
            i++;
        }
        return i;
    }

    private static HttpException bad(String message) {
        return new HttpException(400, message, true);
    }
}
