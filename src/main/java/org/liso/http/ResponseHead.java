package org.liso.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Interim version; the full codec lands from the http branch. */
public final class ResponseHead {
    private ResponseHead() {
    }

    private static String text(int status, Headers headers) {
        StringBuilder sb = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(Status.reason(status))
                .append("\r\n");
        for (int i = 0; i < headers.size(); i++) {
            sb.append(headers.name(i)).append(": ").append(headers.value(i)).append("\r\n");
        }
        return sb.append("\r\n").toString();
    }

    public static void write(int status, Headers headers, ByteBuffer out) {
        out.put(text(status, headers).getBytes(StandardCharsets.ISO_8859_1));
    }

    public static int size(int status, Headers headers) {
        return text(status, headers).length();
    }
}
