package org.liso.testing;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads HTTP/1.1 responses off a byte stream by their framing (RFC 9112 §6.3): the status line and fields up to the
 * blank line, then a body delimited by {@code Transfer-Encoding: chunked}, by {@code Content-Length}, or by the end of
 * the stream; no body after HEAD, 1xx, 204 and 304. What ends a response is the framing, never a pause.
 */
final class ResponseReader {
    private static final int MAX_HEAD = 64 * 1024;

    /** The stream ended inside a response's head or inside a chunked body. */
    static final class Cut extends EOFException {
        final boolean inHead;

        Cut(String what, boolean inHead) {
            super("the stream ended inside " + what);
            this.inHead = inHead;
        }
    }

    /** The stream ended inside a body framed by Content-Length; what did arrive is in {@link #partial}. */
    static final class CutBody extends EOFException {
        final RawClient.Reply partial;

        CutBody(RawClient.Reply partial, long expected) {
            super("the stream ended after " + partial.body().length + " of " + expected + " body bytes");
            this.partial = partial;
        }
    }

    private final InputStream in;

    ResponseReader(InputStream in) {
        this.in = in;
    }

    /**
     * The next response, interim (1xx) ones included.
     *
     * @param headRequest whether it answers a HEAD (then it has no body whatever its fields say)
     * @return null when the stream ends cleanly before a response starts
     */
    RawClient.Reply next(boolean headRequest) throws IOException {
        String head = readHead();
        if (head == null) {
            return null;
        }
        if (!head.startsWith("HTTP/1.") || head.length() < 12 || head.charAt(8) != ' ') {
            throw new IOException("not a status line: " + RawClient.printable(head));
        }
        int status = Integer.parseInt(head.substring(9, 12));
        RawClient.Reply probe = new RawClient.Reply(status, head, new byte[0]);
        if (headRequest || status / 100 == 1 || status == 204 || status == 304) {
            return probe;
        }
        String te = probe.header("Transfer-Encoding");
        if (te != null && te.toLowerCase(java.util.Locale.ROOT).endsWith("chunked")) {
            return new RawClient.Reply(status, head, chunked());
        }
        String cl = probe.header("Content-Length");
        if (cl != null) {
            long length = Long.parseLong(cl);
            byte[] body = in.readNBytes((int) length);
            RawClient.Reply r = new RawClient.Reply(status, head, body);
            if (body.length < length) {
                throw new CutBody(r, length);
            }
            return r;
        }
        return new RawClient.Reply(status, head, in.readAllBytes());
    }

    /** The head without its final CRLF CRLF, or null at a clean end of stream. */
    private String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                if (head.size() == 0) {
                    return null;
                }
                throw new Cut("a response head: " + RawClient.printable(head.toString(StandardCharsets.ISO_8859_1)),
                        true);
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
            if (head.size() > MAX_HEAD) {
                throw new IOException("response head over " + MAX_HEAD + " bytes");
            }
        }
        byte[] h = head.toByteArray();
        return new String(h, 0, h.length - 4, StandardCharsets.ISO_8859_1);
    }

    /** RFC 9112 §7.1: size lines (extensions ignored), data, CRLF; a zero size, trailer fields, CRLF. */
    private byte[] chunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (;;) {
            String sizeLine = line();
            int semi = sizeLine.indexOf(';');
            int size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
            if (size == 0) {
                while (!line().isEmpty()) {
                    // trailer fields: not needed by any test
                }
                return body.toByteArray();
            }
            byte[] data = in.readNBytes(size);
            if (data.length < size) {
                throw new Cut("a chunk", false);
            }
            body.writeBytes(data);
            if (!line().isEmpty()) {
                throw new IOException("chunk data not followed by CRLF");
            }
        }
    }

    private String line() throws IOException {
        StringBuilder s = new StringBuilder();
        for (;;) {
            int b = in.read();
            if (b < 0) {
                throw new Cut("a chunked body", false);
            }
            if (b == '\n') {
                int n = s.length();
                if (n == 0 || s.charAt(n - 1) != '\r') {
                    throw new IOException("bare LF in a chunked body");
                }
                return s.substring(0, n - 1);
            }
            s.append((char) b);
        }
    }
}
