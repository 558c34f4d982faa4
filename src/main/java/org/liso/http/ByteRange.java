package org.liso.http;

/**
 * A single byte range of a representation, RFC 9110 §14.1.2 and §14.2. Liso serves one range or none: a header with
 * several ranges, another unit or bad syntax is ignored (§14.2 allows ignoring Range), and the full representation
 * is sent with 200.
 */
public final class ByteRange {
    private final long first;
    private final long last;
    private final long completeLength;

    private ByteRange(long first, long last, long completeLength) {
        this.first = first;
        this.last = last;
        this.completeLength = completeLength;
    }

    /**
     * The range a Range header selects from a representation of {@code length} octets; null when the header must be
     * ignored (syntax error, a unit other than bytes, several ranges). An unsatisfiable result means 416.
     */
    public static ByteRange parse(String rangeHeader, long length) {
        if (rangeHeader == null || length < 0) {
            return null;
        }
        int n = rangeHeader.length();
        int eq = rangeHeader.indexOf('=');
        // range-unit is case-insensitive (§14.1); no whitespace around "=" (ranges-specifier has no BWS).
        if (eq != 5 || !rangeHeader.regionMatches(true, 0, "bytes", 0, 5)) {
            return null;
        }
        // §5.6.1: a list may hold empty elements, which a recipient ignores; only one real element is served.
        int from = -1;
        int to = -1;
        int start = eq + 1;
        while (start <= n) {
            int comma = rangeHeader.indexOf(',', start);
            int end = comma < 0 ? n : comma;
            int a = start;
            int b = end;
            while (a < b && Chars.isOws(rangeHeader.charAt(a))) {
                a++;
            }
            while (b > a && Chars.isOws(rangeHeader.charAt(b - 1))) {
                b--;
            }
            if (a < b) {
                if (from >= 0) {
                    return null;
                }
                from = a;
                to = b;
            }
            if (comma < 0) {
                break;
            }
            start = comma + 1;
        }
        return from < 0 ? null : spec(rangeHeader, from, to, length);
    }

    /** int-range "first-[last]" or suffix-range "-length" (§14.1.2). */
    private static ByteRange spec(String s, int a, int b, long length) {
        int dash = s.indexOf('-', a);
        if (dash < 0 || dash >= b) {
            return null;
        }
        if (dash == a) {
            long suffix = number(s, a + 1, b);
            if (suffix == -1) {
                return null;
            }
            if (suffix == 0 || length == 0) {
                return unsatisfiable(length);
            }
            long take = suffix == Long.MAX_VALUE || suffix > length ? length : suffix;
            return new ByteRange(length - take, length - 1, length);
        }
        long first = number(s, a, dash);
        if (first == -1) {
            return null;
        }
        long last = Long.MAX_VALUE;
        if (dash + 1 < b) {
            last = number(s, dash + 1, b);
            if (last == -1) {
                return null;
            }
        }
        if (first > last) {
            // §14.1.1: an int-range with last < first is invalid, and an invalid range-set is ignored.
            return null;
        }
        if (first >= length) {
            return unsatisfiable(length);
        }
        return new ByteRange(first, Math.min(last, length - 1), length);
    }

    /** 1*DIGIT; Long.MAX_VALUE when it overflows (it is then beyond any length); -1 when not digits. */
    private static long number(String s, int a, int b) {
        if (a == b) {
            return -1;
        }
        long v = 0;
        for (int i = a; i < b; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v > (Long.MAX_VALUE - 9) / 10 ? Long.MAX_VALUE : v * 10 + (c - '0');
        }
        return v;
    }

    private static ByteRange unsatisfiable(long length) {
        return new ByteRange(-1, -1, length);
    }

    /** False means 416 with a Content-Range of "bytes *&#47;length" (§15.5.17). */
    public boolean satisfiable() {
        return first >= 0;
    }

    /** First octet, inclusive; -1 when unsatisfiable. */
    public long first() {
        return first;
    }

    /** Last octet, inclusive; -1 when unsatisfiable. */
    public long last() {
        return last;
    }

    /** Octets selected: last - first + 1, 0 when unsatisfiable. */
    public long length() {
        return satisfiable() ? last - first + 1 : 0;
    }

    /** The Content-Range value (§14.4): "bytes 0-99/1000", or "bytes *&#47;1000" when unsatisfiable. */
    public String contentRange() {
        return satisfiable() ? "bytes " + first + "-" + last + "/" + completeLength : "bytes */" + completeLength;
    }

    @Override
    public String toString() {
        return contentRange();
    }
}
