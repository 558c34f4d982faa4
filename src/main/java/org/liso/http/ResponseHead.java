package org.liso.http;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Writes a response head, RFC 9112 §4 and §5: {@code HTTP/1.1 SP status SP reason CRLF *( name ": " value CRLF )
 * CRLF}, as ISO-8859-1 octets. Status lines are prebuilt; names and values are copied char by char, so writing
 * allocates nothing. A CR, LF or other control character in a field would split the response, so it is refused.
 */
public final class ResponseHead {
    private static final byte[][] STATUS_LINES = new byte[600][];

    static {
        for (int code = 100; code < 600; code++) {
            STATUS_LINES[code] = ("HTTP/1.1 " + code + " " + Status.reason(code) + "\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1);
        }
    }

    private ResponseHead() {
    }

    /**
     * Writes the whole head into {@code out}, or nothing: throws {@link BufferOverflowException} (before writing)
     * when it does not fit, {@link IllegalArgumentException} for a status outside 100..599 or a field holding a
     * control character or a char above 0xFF
     * (then {@code out} is left as it was).
     */
    public static void write(int status, Headers headers, ByteBuffer out) {
        write(status, headers, 0, NO_LINES, out);
    }

    /**
     * As {@link #write(int, Headers, ByteBuffer)}, with field lines already encoded by {@link #fieldLines} (the
     * server's own, the same for many responses) put in before field {@code at} of {@code headers}.
     */
    public static void write(int status, Headers headers, int at, byte[] lines, ByteBuffer out) {
        int size = size(status, headers) + lines.length;
        if (size > out.remaining()) {
            throw new BufferOverflowException();
        }
        if (out.hasArray() && !out.isReadOnly()) {
            // The hot path: straight into the backing array, one bounds check per head instead of one per byte.
            writeArray(status, headers, at, lines, out.array(), out.arrayOffset() + out.position());
            out.position(out.position() + size); // on a refused field the position never moved: nothing written
            return;
        }
        byte[] head = new byte[size];
        writeArray(status, headers, at, lines, head, 0);
        out.put(head);
    }

    /**
     * The field lines of {@code headers} ({@code name ": " value CRLF} each) as octets, checked as {@link #write}
     * checks them, for a caller that sends the same fields in many heads.
     *
     * @throws IllegalArgumentException for a field holding a control character or a char above 0xFF
     */
    public static byte[] fieldLines(Headers headers) {
        int n = 0;
        for (int i = 0; i < headers.size(); i++) {
            n += headers.name(i).length() + headers.value(i).length() + 4;
        }
        byte[] a = new byte[n];
        writeFields(headers, 0, headers.size(), a, 0);
        return a;
    }

    private static final byte[] NO_LINES = new byte[0];

    private static void writeArray(int status, Headers headers, int linesAt, byte[] lines, byte[] a, int at) {
        byte[] line = STATUS_LINES[status];
        System.arraycopy(line, 0, a, at, line.length);
        at += line.length;
        at = writeFields(headers, 0, linesAt, a, at);
        System.arraycopy(lines, 0, a, at, lines.length);
        at = writeFields(headers, linesAt, headers.size(), a, at + lines.length);
        a[at++] = '\r';
        a[at] = '\n';
    }

    private static int writeFields(Headers headers, int from, int to, byte[] a, int at) {
        for (int i = from; i < to; i++) {
            at = copy(headers.name(i), a, at, true);
            a[at++] = ':';
            a[at++] = ' ';
            at = copy(headers.value(i), a, at, false);
            a[at++] = '\r';
            a[at++] = '\n';
        }
        return at;
    }

    private static int copy(String s, byte[] a, int at, boolean name) {
        int n = s.length();
        if (name && n == 0) {
            throw new IllegalArgumentException("empty field name");
        }
        for (int i = 0; i < n; i++) {
            a[at + i] = (byte) checked(s.charAt(i), name);
        }
        return at + n;
    }

    private static char checked(char c, boolean name) {
        if (name ? c > 0xff || !Chars.isTchar(c) : c > 0xff || !Chars.isFieldContent(c)) {
            throw new IllegalArgumentException("invalid character 0x" + Integer.toHexString(c) + " in field "
                    + (name ? "name" : "value"));
        }
        return c;
    }

    /**
     * The checks {@link #write} makes, without writing: a status in range, names that are tokens and values of field
     * content only (RFC 9110 §5.5). HTTP/2 needs them too (RFC 9113 §8.2.1: no NUL, CR or LF), though HPACK would
     * carry anything.
     *
     * @throws IllegalArgumentException for what {@link #write} would refuse
     */
    public static void check(int status, Headers headers) {
        size(status, headers);
        for (int i = 0; i < headers.size(); i++) {
            String name = headers.name(i);
            if (name.isEmpty()) {
                throw new IllegalArgumentException("empty field name");
            }
            for (int j = 0; j < name.length(); j++) {
                checked(name.charAt(j), true);
            }
            String value = headers.value(i);
            for (int j = 0; j < value.length(); j++) {
                checked(value.charAt(j), false);
            }
        }
    }

    /** The exact number of bytes {@link #write} produces. */
    public static int size(int status, Headers headers) {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status out of range: " + status);
        }
        int n = STATUS_LINES[status].length + 2;
        for (int i = 0; i < headers.size(); i++) {
            n += headers.name(i).length() + headers.value(i).length() + 4;
        }
        return n;
    }
}
