package org.liso.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.liso.http.Headers;
import org.liso.http.Status;
import org.liso.server.spi.Body;
import org.liso.server.spi.Response;

/** The short HTML body every error response carries, with the fields some statuses require. */
final class ErrorPages {
    private ErrorPages() {
    }

    static Response of(int status, String detail) {
        String reason = Status.reason(status);
        StringBuilder html = new StringBuilder(160).append("<!doctype html>\n<title>").append(status).append(' ')
                .append(reason).append("</title>\n<h1>").append(status).append(' ').append(reason).append("</h1>\n");
        if (detail != null && !detail.isEmpty()) {
            html.append("<p>").append(escape(detail)).append("</p>\n");
        }
        Headers h = new Headers();
        h.add("Content-Type", "text/html; charset=utf-8");
        if (status == 405) {
            // RFC 9110 §15.5.6: a 405 lists the methods the target supports.
            h.add("Allow", "GET, HEAD");
        } else if (status == 501) {
            h.add("Allow", "GET, HEAD, POST");
        } else if (status == 503) {
            h.add("Retry-After", "1");
        }
        return new Response(status, h, Body.bytes(ByteBuffer.wrap(html.toString().getBytes(StandardCharsets.UTF_8))));
    }

    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c < ' ' ? '?' : c);
            }
        }
        return sb.toString();
    }
}
