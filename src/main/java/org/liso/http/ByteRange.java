package org.liso.http;

/** Interim version; the full codec lands from the http branch. */
public final class ByteRange {
    private final long first;
    private final long last;
    private final boolean satisfiable;

    private ByteRange(long first, long last, boolean satisfiable) {
        this.first = first;
        this.last = last;
        this.satisfiable = satisfiable;
    }

    public static ByteRange parse(String header, long length) {
        if (header == null || !header.startsWith("bytes=") || header.contains(",")) {
            return null;
        }
        String spec = header.substring(6).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        try {
            if (dash == 0) {
                long n = Long.parseLong(spec.substring(1));
                return n == 0 ? new ByteRange(0, -1, false) : new ByteRange(Math.max(0, length - n), length - 1, length > 0);
            }
            long a = Long.parseLong(spec.substring(0, dash));
            long b = dash == spec.length() - 1 ? length - 1 : Math.min(length - 1, Long.parseLong(spec.substring(dash + 1)));
            if (b < a && dash != spec.length() - 1 && Long.parseLong(spec.substring(dash + 1)) < a) {
                return null;
            }
            return a >= length ? new ByteRange(a, a, false) : new ByteRange(a, b, true);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    public boolean satisfiable() {
        return satisfiable;
    }

    public long first() {
        return first;
    }

    public long last() {
        return last;
    }

    public long length() {
        return last - first + 1;
    }
}
