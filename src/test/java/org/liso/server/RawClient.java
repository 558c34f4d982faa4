package org.liso.server;

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
 * came back into responses (framed by Content-Length or chunked; HEAD and 304 have no body).
 */
final class RawClient {

    /** One parsed response. */
    record Reply(int status, String head, byte[] body) {
        String header(String name) {
            for (String line : head.split("\r\n")) {
                int c = line.indexOf(':');
                if (c > 0 && line.substring(0, c).trim().equalsIgnoreCase(name)) {
                    return line.substring(c + 1).trim();
                }
            }
            return null;
        }

        String bodyText() {
            return new String(body, StandardCharsets.ISO_8859_1);
        }
    }

    /** Everything the server sent, and whether it closed the connection. */
    record Exchange(List<Reply> replies, boolean closed, byte[] raw) {
    }

    static Exchange send(int port, byte[] request, int quietMillis, boolean headRequests) throws IOException {
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

    static List<Reply> parse(byte[] raw, boolean noBodies) {
        List<Reply> out = new ArrayList<>();
        int pos = 0;
        while (pos < raw.length) {
            int end = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), pos);
            if (end < 0) {
                break;
            }
            String head = new String(raw, pos, end - pos, StandardCharsets.ISO_8859_1);
            pos = end + 4;
            int status = Integer.parseInt(head.substring(9, 12));
            Reply probe = new Reply(status, head, new byte[0]);
            if (status == 100) {
                continue;
            }
            byte[] body;
            if (noBodies || status == 304 || status == 204) {
                body = new byte[0];
            } else if (probe.header("Content-Length") != null) {
                int len = Integer.parseInt(probe.header("Content-Length"));
                int avail = Math.min(len, raw.length - pos);
                body = java.util.Arrays.copyOfRange(raw, pos, pos + avail);
                pos += avail;
            } else if ("chunked".equalsIgnoreCase(probe.header("Transfer-Encoding"))) {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                for (;;) {
                    int lineEnd = indexOf(raw, "\r\n".getBytes(StandardCharsets.US_ASCII), pos);
                    int size = Integer.parseInt(new String(raw, pos, lineEnd - pos, StandardCharsets.US_ASCII)
                            .split(";")[0].trim(), 16);
                    pos = lineEnd + 2;
                    if (size == 0) {
                        pos = indexOf(raw, "\r\n".getBytes(StandardCharsets.US_ASCII), pos) + 2;
                        break;
                    }
                    b.write(raw, pos, size);
                    pos += size + 2;
                }
                body = b.toByteArray();
            } else {
                body = java.util.Arrays.copyOfRange(raw, pos, raw.length);
                pos = raw.length;
            }
            out.add(new Reply(status, head, body));
        }
        return out;
    }

    static int indexOf(byte[] hay, byte[] needle, int from) {
        outer:
        for (int i = from; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
