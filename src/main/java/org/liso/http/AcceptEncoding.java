package org.liso.http;

/**
 * Content negotiation on Accept-Encoding (RFC 9110 §12.5.3): which of the codings at hand the client takes, by its
 * q-values (§12.4.2), ties broken by {@link ContentCoding}'s order. Identity is acceptable unless excluded by
 * {@code identity;q=0}, or by {@code *;q=0} with no entry for identity. Parsed in one pass without allocating: it runs
 * for every request a browser makes.
 */
public final class AcceptEncoding {
    /** Send the representation as it is. */
    public static final int IDENTITY = -1;
    /** Nothing at hand is acceptable, identity included: 406 (§15.5.7). */
    public static final int NONE = -2;

    private static final int UNSET = -1;

    private AcceptEncoding() {
    }

    /**
     * The ordinal of the {@link ContentCoding} to send, {@link #IDENTITY} or {@link #NONE}.
     *
     * @param field     the Accept-Encoding field value (several fields joined with commas), null when absent
     * @param available the codings at hand, as a set of {@link ContentCoding#bit}s
     */
    public static int choose(String field, int available) {
        if (field == null) {
            return IDENTITY; // §12.5.3: no field, any coding is acceptable; identity is the safe one to send
        }
        int qBr = UNSET;
        int qZstd = UNSET;
        int qGzip = UNSET;
        int qIdentity = UNSET;
        int qStar = UNSET;
        int n = field.length();
        int i = 0;
        while (i < n) {
            while (i < n && (field.charAt(i) == ' ' || field.charAt(i) == '\t' || field.charAt(i) == ',')) {
                i++;
            }
            int start = i;
            while (i < n && isTokenChar(field.charAt(i))) {
                i++;
            }
            int end = i;
            int weight = 1000;
            // Parameters: only q matters (§12.4.2); a malformed one makes the member count as q=0, never as q=1.
            while (i < n && field.charAt(i) != ',') {
                char c = field.charAt(i);
                if (c == ';') {
                    i = skipSpace(field, i + 1);
                    if (i + 1 < n && (field.charAt(i) == 'q' || field.charAt(i) == 'Q') && field.charAt(i + 1) == '=') {
                        int valueEnd = i + 2;
                        while (valueEnd < n && field.charAt(valueEnd) != ',' && field.charAt(valueEnd) != ';'
                                && field.charAt(valueEnd) != ' ' && field.charAt(valueEnd) != '\t') {
                            valueEnd++;
                        }
                        weight = qvalue(field, i + 2, valueEnd);
                        i = valueEnd;
                        continue;
                    }
                }
                i++;
            }
            if (end > start) {
                if (is(field, start, end, "br")) {
                    qBr = Math.max(qBr, weight);
                } else if (is(field, start, end, "zstd")) {
                    qZstd = Math.max(qZstd, weight);
                } else if (is(field, start, end, "gzip") || is(field, start, end, "x-gzip")) {
                    qGzip = Math.max(qGzip, weight); // §8.4.1.3: x-gzip is gzip
                } else if (is(field, start, end, "identity")) {
                    qIdentity = Math.max(qIdentity, weight);
                } else if (is(field, start, end, "*")) {
                    qStar = Math.max(qStar, weight);
                }
            }
        }
        int best = IDENTITY;
        int bestQ = 0;
        for (ContentCoding c : ContentCoding.ALL) {
            if ((available & c.bit) == 0) {
                continue;
            }
            int named = c == ContentCoding.BR ? qBr : c == ContentCoding.ZSTD ? qZstd : qGzip;
            int w = named != UNSET ? named : qStar != UNSET ? qStar : 0;
            if (w > bestQ) {
                best = c.ordinal();
                bestQ = w;
            }
        }
        int identity = qIdentity != UNSET ? qIdentity : qStar == 0 ? 0 : 1;
        if (best == IDENTITY) {
            return identity > 0 ? IDENTITY : NONE;
        }
        // A client that prefers identity to every coding at hand gets identity (q-values are preferences, §12.4.2).
        return qIdentity != UNSET && qIdentity > bestQ ? IDENTITY : best;
    }

    /** True when identity may be sent to a client with this field, whatever else is at hand. */
    public static boolean identityAcceptable(String field) {
        return choose(field, 0) == IDENTITY;
    }

    /** §12.4.2: {@code 0[.ddd]} or {@code 1[.000]}, in thousandths; anything else counts as 0. */
    private static int qvalue(String s, int from, int to) {
        if (from >= to) {
            return 0;
        }
        char lead = s.charAt(from);
        if (lead != '0' && lead != '1' || to - from > 5 || to - from > 1 && s.charAt(from + 1) != '.') {
            return 0;
        }
        int value = (lead - '0') * 1000;
        int scale = 100;
        for (int i = from + 2; i < to; i++) {
            char d = s.charAt(i);
            if (d < '0' || d > '9') {
                return 0;
            }
            value += (d - '0') * scale;
            scale /= 10;
        }
        return value > 1000 ? 0 : value;
    }

    private static int skipSpace(String s, int i) {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    private static boolean is(String s, int start, int end, String token) {
        return end - start == token.length() && s.regionMatches(true, start, token, 0, token.length());
    }

    private static boolean isTokenChar(char c) {
        return c > ' ' && c < 127 && c != ',' && c != ';' && c != '=';
    }
}
