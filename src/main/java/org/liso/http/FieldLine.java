package org.liso.http;

/**
 * Splits one field line (without its CRLF) into name and value, RFC 9112 §5: {@code field-name ":" OWS field-value
 * OWS}. Shared by the request head and the chunked trailer section.
 */
final class FieldLine {
    private FieldLine() {
    }

    /** Adds the field in {@code line[0, len)} to {@code into}; every syntax error is a 400 that loses framing. */
    static void parse(byte[] line, int len, Headers into) throws HttpException {
        if (len > 0 && Chars.isOws(line[0])) {
            // §5.2: obs-fold (or whitespace before the first field, §2.2) is rejected, never unfolded.
            throw bad("obsolete line folding (field line starts with whitespace)");
        }
        int colon = 0;
        while (colon < len && Chars.isTchar(line[colon])) {
            colon++;
        }
        if (colon == len) {
            throw bad("field line without a colon");
        }
        byte stop = line[colon];
        if (stop != ':') {
            if (Chars.isOws(stop)) {
                // §5.1: whitespace between field name and colon MUST be answered with 400 (smuggling vector).
                throw bad("whitespace between field name and colon");
            }
            throw bad("invalid character in field name");
        }
        if (colon == 0) {
            throw bad("empty field name");
        }
        int start = colon + 1;
        int end = len;
        while (start < end && Chars.isOws(line[start])) {
            start++;
        }
        while (end > start && Chars.isOws(line[end - 1])) {
            end--;
        }
        for (int i = start; i < end; i++) {
            if (!Chars.isFieldContent(line[i])) {
                // RFC 9110 §5.5: CR, LF and NUL are never valid; other CTLs are not field-vchar either.
                throw bad(line[i] == 0 ? "NUL in field value" : "control character in field value");
            }
        }
        into.add(KnownNames.field(line, 0, colon), KnownNames.value(line, start, end - start));
    }

    private static HttpException bad(String message) {
        return new HttpException(400, message, true);
    }
}
