package org.liso.testing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A raw-socket HTTP client for tests: sends exact bytes, reads until the server closes or goes quiet, and splits what
 * came back into responses by their framing. For tests that judge a response, not a pause, {@link RawConnection}
 * reads by framing alone, with a deadline.
 */
public final class RawClient {

    /** One parsed response. */
    public record Reply(int status, String head, byte[] body) {
        public String header(String name) {
            for (String line : head.split("\r\n")) {
                int c = line.indexOf(':');
                if (c > 0 && line.substring(0, c).trim().equalsIgnoreCase(name)) {
                    return line.substring(c + 1).trim();
                }
            }
            return null;
        }

        public String bodyText() {
            return new String(body, StandardCharsets.ISO_8859_1);
        }
    }

    /** Everything the server sent, and whether it closed the connection. */
    public record Exchange(List<Reply> replies, boolean closed, byte[] raw) {
    }

    public static Exchange send(int port, byte[] request, int quietMillis, boolean headRequests) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(quietMillis);
            s.getOutputStream().write(request);
            s.getOutputStream().flush();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[65536];
            boolean closed = false;
            try {
                for (;;) {
                    int n = in.read(buf);
                    if (n < 0) {
                        closed = true;
                        break;
                    }
                    got.write(buf, 0, n);
                }
            } catch (SocketTimeoutException quiet) {
                closed = false;
            } catch (java.net.SocketException reset) {
                closed = true;
            }
            byte[] raw = got.toByteArray();
            return new Exchange(parse(raw, headRequests), closed, raw);
        }
    }

    /** How many complete responses {@code raw} holds (a response cut off mid-body does not count). */
    public static int complete(byte[] raw, boolean noBodies) {
        try {
            List<Reply> all = parse(raw, noBodies);
            int n = all.size();
            if (n > 0) {
                Reply last = all.get(n - 1);
                String cl = last.header("Content-Length");
                if (!noBodies && cl != null && last.body.length < Long.parseLong(cl)) {
                    n--;
                }
            }
            return n;
        } catch (RuntimeException partial) {
            return -1;
        }
    }

    /**
     * Splits {@code raw} into responses by their framing (see {@link ResponseReader}); 100 Continue is dropped. A
     * body cut short by the end of {@code raw} is kept as far as it goes; a head cut short is not a response.
     *
     * @throws IllegalStateException when {@code raw} is not a sequence of responses (or ends inside a chunked body)
     */
    public static List<Reply> parse(byte[] raw, boolean noBodies) {
        List<Reply> out = new ArrayList<>();
        ResponseReader reader = new ResponseReader(new ByteArrayInputStream(raw));
        try {
            for (Reply r; (r = reader.next(noBodies)) != null; ) {
                if (r.status() != 100) {
                    out.add(r);
                }
            }
        } catch (ResponseReader.CutBody cut) {
            out.add(cut.partial);
        } catch (ResponseReader.Cut cut) {
            if (cut.inHead) {
                return out;
            }
            throw new IllegalStateException(cut);
        } catch (IOException | RuntimeException bad) {
            throw new IllegalStateException("not HTTP responses: " + printable(new String(raw,
                    StandardCharsets.ISO_8859_1)), bad);
        }
        return out;
    }

    /** {@code s} with CR, LF and other control characters made visible, for messages. */
    public static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\r' -> b.append("\\r");
                case '\n' -> b.append("\\n");
                default -> b.append(c < ' ' || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c));
            }
        }
        return b.toString();
    }
}
