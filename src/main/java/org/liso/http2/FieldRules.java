package org.liso.http2;

import org.liso.http.Chars;

/** What RFC 9113 §8.2.1 allows in a field name and value. */
final class FieldRules {
    private FieldRules() {
    }

    /** @return why the name is not allowed, or null: a token of lower-case characters (RFC 9110 §5.6.2) */
    static String checkName(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                return "upper-case field name";
            }
            if (!Chars.isTchar(c)) {
                return "invalid character in field name";
            }
        }
        return null;
    }

    /** @return why the value is not allowed, or null: no NUL, CR or LF, no leading or trailing space or tab */
    static String checkValue(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == 0 || c == '\r' || c == '\n') {
                return "NUL, CR or LF in field value";
            }
        }
        if (!value.isEmpty() && (isSpace(value.charAt(0)) || isSpace(value.charAt(value.length() - 1)))) {
            return "white space around field value";
        }
        return null;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }

    /** §8.2.2: HTTP/1.1's hop-by-hop fields have no place in an HTTP/2 message, request or response. */
    static boolean connectionSpecific(String name) {
        return switch (name) {
            case "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade" -> true;
            default -> false;
        };
    }
}
