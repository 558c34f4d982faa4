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
        addRequiredFields(status, h);
        return new Response(status, h, Body.bytes(ByteBuffer.wrap(html.toString().getBytes(StandardCharsets.UTF_8))));
    }

    /**
     * The fields an error status requires, where {@code h} lacks them (an operator's page gets them too). Allow
     * lists what the target resource supports (RFC 9110 §10.2.1). A 501 is about the server, which does not know the
     * method at all (§15.6.2) nor, before routing, the resource: it names none, rather than contradict the
     * resource's 405. A 405 must carry one (§15.5.6); a handler that raises it without building its own response is
     * a static one (CGI takes all of GET, HEAD, POST), as FileResponses says too. A 503 asks the client to come back
     * in a second (§10.2.3).
     */
    static void addRequiredFields(int status, Headers h) {
        if (status == 405 && !h.contains("Allow")) {
            h.add("Allow", "GET, HEAD");
        } else if (status == 503 && !h.contains("Retry-After")) {
            h.add("Retry-After", "1");
        }
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
