package org.liso.http;

/**
 * Decides how a request body is framed, RFC 9112 §6.1–6.3, refusing every ambiguity a proxy in front of Liso might
 * resolve differently (request smuggling): all errors here lose framing.
 */
final class Framing {
    static final long NONE = -1;
    static final long CHUNKED = -2;

    private Framing() {
    }

    /** The body length, {@link #NONE} or {@link #CHUNKED}. */
    static long of(Headers h, Version version) throws HttpException {
        boolean te = false;
        boolean cl = false;
        for (int i = 0; i < h.size(); i++) {
            String name = h.name(i);
            te |= name.equalsIgnoreCase("Transfer-Encoding");
            cl |= name.equalsIgnoreCase("Content-Length");
        }
        if (te) {
            if (version == Version.HTTP_1_0) {
                // §6.1: a 1.0 recipient cannot have understood TE, so the framing is faulty.
                throw bad("Transfer-Encoding in an HTTP/1.0 request");
            }
            if (cl) {
                throw bad("both Transfer-Encoding and Content-Length");
            }
            checkCodings(h);
            return CHUNKED;
        }
        return cl ? contentLength(h) : NONE;
    }

    /** §6.1/§7: chunked must be the final coding and appear once; codings we do not know are 501. */
    private static void checkCodings(Headers h) throws HttpException {
        int codings = 0;
        boolean chunkedLast = false;
        String unimplemented = null;
        for (int i = 0; i < h.size(); i++) {
            if (!h.name(i).equalsIgnoreCase("Transfer-Encoding")) {
                continue;
            }
            String v = h.value(i);
            int start = 0;
            while (start <= v.length()) {
                int comma = v.indexOf(',', start);
                int end = comma < 0 ? v.length() : comma;
                int semi = v.indexOf(';', start);
                int nameEnd = semi >= 0 && semi < end ? semi : end;
                int a = skipOws(v, start, nameEnd);
                int b = trimOws(v, a, nameEnd);
                if (a < b || nameEnd < end) {
                    if (!Chars.isToken(v, a, b)) {
                        throw bad("malformed Transfer-Encoding");
                    }
                    if (chunkedLast) {
                        throw bad("chunked is not the final transfer coding");
                    }
                    String coding = v.substring(a, b);
                    codings++;
                    if (coding.equalsIgnoreCase("chunked")) {
                        chunkedLast = true;
                    } else if (known(coding)) {
                        unimplemented = unimplemented == null ? coding : unimplemented;
                    } else {
                        throw new HttpException(501, "unknown transfer coding " + printable(coding), true);
                    }
                }
                if (comma < 0) {
                    break;
                }
                start = comma + 1;
            }
        }
        if (codings == 0) {
            throw bad("empty Transfer-Encoding");
        }
        if (!chunkedLast) {
            throw bad("chunked is not the final transfer coding");
        }
        if (unimplemented != null) {
            throw new HttpException(501, "transfer coding " + unimplemented + " not implemented", true);
        }
    }

    private static boolean known(String coding) {
        for (String k : new String[] {"gzip", "x-gzip", "deflate", "compress", "x-compress"}) {
            if (k.equalsIgnoreCase(coding)) {
                return true;
            }
        }
        return false;
    }

    /** RFC 9110 §8.6: 1*DIGIT; a list or repeated lines are accepted only when every value is the same. */
    private static long contentLength(Headers h) throws HttpException {
        long length = -1;
        for (int i = 0; i < h.size(); i++) {
            if (!h.name(i).equalsIgnoreCase("Content-Length")) {
                continue;
            }
            String v = h.value(i);
            int start = 0;
            while (true) {
                int comma = v.indexOf(',', start);
                int end = comma < 0 ? v.length() : comma;
                long n = digits(v, skipOws(v, start, end), trimOws(v, start, end));
                if (length >= 0 && n != length) {
                    throw bad("differing Content-Length values");
                }
                length = n;
                if (comma < 0) {
                    break;
                }
                start = comma + 1;
            }
        }
        return length;
    }

    private static long digits(String v, int a, int b) throws HttpException {
        if (a == b) {
            throw bad("empty Content-Length");
        }
        long n = 0;
        for (int i = a; i < b; i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                throw bad("Content-Length is not a number");
            }
            if (n > (Long.MAX_VALUE - (c - '0')) / 10) {
                throw bad("Content-Length overflows");
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    private static int skipOws(String v, int a, int b) {
        while (a < b && Chars.isOws(v.charAt(a))) {
            a++;
        }
        return a;
    }

    private static int trimOws(String v, int a, int b) {
        while (b > a && Chars.isOws(v.charAt(b - 1))) {
            b--;
        }
        return b;
    }

    private static String printable(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    private static HttpException bad(String message) {
        return new HttpException(400, message, true);
    }
}
