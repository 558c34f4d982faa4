package org.liso.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Interim version (whole-head scan); the full incremental codec lands from the http branch. */
public final class RequestParser {
    private final RequestLimits limits;
    private final StringBuilder head = new StringBuilder();

    public RequestParser(RequestLimits limits) {
        this.limits = limits;
    }

    public Request parse(ByteBuffer in) throws HttpException {
        while (in.hasRemaining()) {
            char c = (char) (in.get() & 0xff);
            if (head.length() == 0 && (c == '\r' || c == '\n')) {
                continue;
            }
            head.append(c);
            if (head.length() > limits.maxHeadBytes()) {
                throw new HttpException(431, "request head too large", true);
            }
            int n = head.length();
            if (n >= 4 && head.charAt(n - 1) == '\n' && head.charAt(n - 2) == '\r' && head.charAt(n - 3) == '\n') {
                String[] lines = head.toString().split("\r\n");
                head.setLength(0);
                String[] rl = lines[0].split(" ");
                if (rl.length != 3) {
                    throw new HttpException(400, "malformed request line", true);
                }
                Version v = rl[2].equals("HTTP/1.1") ? Version.HTTP_1_1 : Version.HTTP_1_0;
                Headers h = new Headers();
                for (int i = 1; i < lines.length; i++) {
                    int colon = lines[i].indexOf(':');
                    if (colon <= 0) {
                        throw new HttpException(400, "malformed header", true);
                    }
                    h.add(lines[i].substring(0, colon), lines[i].substring(colon + 1).trim());
                }
                return new Request(rl[0], rl[1], v, h);
            }
        }
        return null;
    }

    public void reset() {
        head.setLength(0);
    }

    public boolean inProgress() {
        return head.length() > 0;
    }

    static String ascii(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}
