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
        int size = size(status, headers);
        if (size > out.remaining()) {
            throw new BufferOverflowException();
        }
        if (out.hasArray() && !out.isReadOnly()) {
            // The hot path: straight into the backing array, one bounds check per head instead of one per byte.
            int at = out.arrayOffset() + out.position();
            writeArray(status, headers, out.array(), at);
            out.position(out.position() + size); // on a refused field the position never moved: nothing written
            return;
        }
        byte[] head = new byte[size];
        writeArray(status, headers, head, 0);
        out.put(head);
    }

    private static void writeArray(int status, Headers headers, byte[] a, int at) {
        byte[] line = STATUS_LINES[status];
        System.arraycopy(line, 0, a, at, line.length);
        at += line.length;
        for (int i = 0; i < headers.size(); i++) {
            at = copy(headers.name(i), a, at, true);
            a[at++] = ':';
            a[at++] = ' ';
            at = copy(headers.value(i), a, at, false);
            a[at++] = '\r';
            a[at++] = '\n';
        }
        a[at++] = '\r';
        a[at] = '\n';
    }

    private static int copy(String s, byte[] a, int at, boolean name) {
        int n = s.length();
        if (name && n == 0) {
            throw new IllegalArgumentException("empty field name");
        }
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (name ? c > 0xff || !Chars.isTchar(c) : c > 0xff || !Chars.isFieldContent(c)) {
                throw new IllegalArgumentException("invalid character 0x" + Integer.toHexString(c) + " in field "
                        + (name ? "name" : "value"));
            }
            a[at + i] = (byte) c;
        }
        return at + n;
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
