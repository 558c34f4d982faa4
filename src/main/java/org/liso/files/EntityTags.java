package org.liso.files;

/**
 * Matching an entity-tag against a field value of the form {@code "a", W/"b"} (RFC 9110 §8.8.3, §13.1.1-2). A member
 * that does not parse as an entity-tag is skipped: it cannot match anything.
 */
final class EntityTags {

    private EntityTags() {
    }

    /**
     * True when a member of {@code fieldValue} matches {@code etag} (a strong, quoted tag). Strong comparison
     * (§8.8.3.2) needs both tags strong and equal; weak comparison ignores the {@code W/} prefix.
     */
    static boolean anyMatches(String fieldValue, String etag, boolean strong) {
        int n = fieldValue.length();
        int i = 0;
        while (i < n) {
            char c = fieldValue.charAt(i);
            if (c == ' ' || c == '\t' || c == ',') {
                i++;
                continue;
            }
            boolean weak = false;
            if (c == 'W' && fieldValue.startsWith("W/\"", i)) {
                weak = true;
                i += 2;
            }
            if (fieldValue.charAt(i) != '"') {
                i = skipMember(fieldValue, i);
                continue;
            }
            int close = fieldValue.indexOf('"', i + 1);
            if (close < 0) {
                return false;
            }
            boolean equal = close - i + 1 == etag.length() && fieldValue.startsWith(etag, i);
            if (equal && !(strong && weak)) {
                return true;
            }
            i = close + 1;
        }
        return false;
    }

    /** True when {@code fieldValue} is the wildcard {@code *}. */
    static boolean isWildcard(String fieldValue) {
        return fieldValue.trim().equals("*");
    }

    /** True when {@code value} has the syntax of an entity-tag rather than an HTTP-date (§13.1.5). */
    static boolean looksLikeTag(String value) {
        String v = value.trim();
        return v.startsWith("\"") || v.startsWith("W/\"");
    }

    private static int skipMember(String s, int from) {
        int comma = s.indexOf(',', from);
        return comma < 0 ? s.length() : comma + 1;
    }
}
