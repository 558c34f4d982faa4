package org.liso.http;

/** Octet classes of RFC 9110 §5.6.2 (token), §5.5 (field values) and RFC 3986 §2 (URI), as table lookups. */
public final class Chars {
    static final byte CR = '\r';
    static final byte LF = '\n';
    static final byte SP = ' ';
    static final byte HTAB = '\t';

    private static final int TCHAR = 1;
    /** RFC 3986 pchar minus pct-encoded: unreserved / sub-delims / ":" / "@". */
    private static final int PCHAR = 2;
    /** RFC 3986 reg-name minus pct-encoded: unreserved / sub-delims. */
    private static final int REG_NAME = 4;
    private static final int HEX = 8;
    private static final int DIGIT = 16;
    /** field-vchar / SP / HTAB: VCHAR and obs-text (RFC 9110 §5.5). */
    private static final int FIELD_CONTENT = 32;

    private static final byte[] CLASS = new byte[256];

    static {
        for (int c = 0x21; c < 0x7f; c++) {
            CLASS[c] |= FIELD_CONTENT;
        }
        for (int c = 0x80; c < 0x100; c++) {
            CLASS[c] |= FIELD_CONTENT;
        }
        CLASS[' '] |= FIELD_CONTENT;
        CLASS['\t'] |= FIELD_CONTENT;
        String alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        mark(alnum + "!#$%&'*+-.^_`|~", TCHAR);
        mark(alnum + "-._~" + "!$&'()*+,;=", REG_NAME | PCHAR);
        mark(":@", PCHAR);
        mark("0123456789abcdefABCDEF", HEX);
        mark("0123456789", DIGIT);
    }

    private Chars() {
    }

    private static void mark(String chars, int flag) {
        for (int i = 0; i < chars.length(); i++) {
            CLASS[chars.charAt(i)] |= flag;
        }
    }

    public static boolean isTchar(int b) {
        return (CLASS[b & 0xff] & TCHAR) != 0;
    }

    static boolean isPchar(int b) {
        return (CLASS[b & 0xff] & PCHAR) != 0;
    }

    static boolean isRegName(int b) {
        return (CLASS[b & 0xff] & REG_NAME) != 0;
    }

    static boolean isHex(int b) {
        return (CLASS[b & 0xff] & HEX) != 0;
    }

    static boolean isDigit(int b) {
        return (CLASS[b & 0xff] & DIGIT) != 0;
    }

    static boolean isFieldContent(int b) {
        return (CLASS[b & 0xff] & FIELD_CONTENT) != 0;
    }

    static boolean isOws(int b) {
        return b == SP || b == HTAB;
    }

    /** The value of a hex digit; -1 for anything else. */
    static int hexValue(int b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        int l = b | 0x20;
        return l >= 'a' && l <= 'f' ? l - 'a' + 10 : -1;
    }

    /** Whether s is a token (RFC 9110 §5.6.2). */
    static boolean isToken(CharSequence s, int from, int to) {
        if (from >= to) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c > 0xff || !isTchar(c)) {
                return false;
            }
        }
        return true;
    }
}
