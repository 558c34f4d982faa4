package org.liso.http2;

import java.util.Locale;
import org.liso.http.Headers;

/**
 * Collects one request's header block from the HPACK decoder and checks it against RFC 9113 §8.2 and §8.3.1. The
 * decoder must see the whole block whatever is wrong with it (its table must stay in step), so a fault is recorded and
 * reported by {@link #head} or {@link #trailers}, never thrown from {@link #field}. A malformed request is a stream
 * error of type PROTOCOL_ERROR (§8.1.1).
 */
public final class RequestFields implements HpackDecoder.FieldSink {
    private final int streamId;
    private final Headers fields = new Headers();
    private String method;
    private String scheme;
    private String authority;
    private String path;
    private boolean regularSeen;
    private boolean pseudoSeen;
    private String cookies;
    private long contentLength = -1;
    private String fault;

    public RequestFields(int streamId) {
        this.streamId = streamId;
    }

    @Override
    public void field(String name, String value, boolean neverIndexed) {
        if (fault != null) {
            return;
        }
        if (name.isEmpty()) {
            fault = "empty field name";
        } else if (name.charAt(0) == ':') {
            pseudo(name, value);
        } else {
            regular(name, value);
        }
    }

    private void pseudo(String name, String value) {
        pseudoSeen = true;
        if (regularSeen) {
            fault = "pseudo-header " + name + " after a regular field"; // §8.3
            return;
        }
        switch (name) {
            case ":method" -> method = once(name, method, value);
            case ":scheme" -> scheme = once(name, scheme, value);
            case ":authority" -> authority = once(name, authority, value);
            case ":path" -> path = once(name, path, value);
            default -> fault = "pseudo-header " + name + " is not a request's"; // §8.3, incl. :status, :protocol
        }
    }

    private String once(String name, String before, String value) {
        if (before != null) {
            fault = "second " + name;
        }
        return value;
    }

    private void regular(String name, String value) {
        regularSeen = true;
        String bad = FieldRules.checkName(name);
        if (bad == null) {
            bad = FieldRules.checkValue(value);
        }
        if (bad != null) {
            fault = name + ": " + bad;
            return;
        }
        if (FieldRules.connectionSpecific(name)) {
            fault = "connection-specific field " + name;
            return;
        }
        switch (name) {
            case "te" -> {
                if (!value.equalsIgnoreCase("trailers")) {
                    fault = "te other than trailers";
                }
            }
            // §8.2.3: a cookie may come in crumbs; they are joined for HTTP/1.1-minded consumers.
            case "cookie" -> cookies = cookies == null ? value : cookies + "; " + value;
            case "content-length" -> contentLength(value);
            default -> fields.add(name, value);
        }
    }

    private void contentLength(String value) {
        long n = -1;
        if (!value.isEmpty() && value.length() <= 18 && value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            n = Long.parseLong(value);
        }
        if (n < 0 || (contentLength >= 0 && contentLength != n)) {
            fault = "bad content-length " + value;
            return;
        }
        if (contentLength < 0) {
            fields.add("content-length", value);
        }
        contentLength = n;
    }

    /** The request, or the stream error its block deserves. */
    public RequestHead head() throws Http2Exception {
        if (fault == null) {
            fault = missing();
        }
        if (fault != null) {
            throw Http2Exception.stream(streamId, ErrorCode.PROTOCOL_ERROR, fault);
        }
        if (cookies != null) {
            fields.add("cookie", cookies);
        }
        String host = fields.get("host");
        if (host == null && authority != null) {
            fields.add("host", authority);
        }
        return new RequestHead(method, scheme, authority != null ? authority : host, path, fields, contentLength);
    }

    /** A trailer section: regular fields only (§8.1). */
    public Headers trailers() throws Http2Exception {
        if (fault == null && pseudoSeen) {
            fault = "pseudo-header in trailers";
        }
        if (fault != null) {
            throw Http2Exception.stream(streamId, ErrorCode.PROTOCOL_ERROR, fault);
        }
        if (cookies != null) {
            fields.add("cookie", cookies);
        }
        return fields;
    }

    private String missing() {
        if (method == null) {
            return "no :method";
        }
        if (method.equals("CONNECT")) {
            // §8.5: CONNECT names only an authority. This server tunnels nothing; the handler answers it.
            return authority == null || scheme != null || path != null ? "malformed CONNECT" : null;
        }
        if (scheme == null || path == null) {
            return "no :scheme or :path";
        }
        if (path.isEmpty()) {
            return "empty :path";
        }
        if (!path.startsWith("/") && !(path.equals("*") && method.equals("OPTIONS"))) {
            return ":path not origin-form";
        }
        String host = fields.get("host");
        if (authority == null && host == null) {
            return "no :authority or host";
        }
        if (authority != null && host != null && !authority.equalsIgnoreCase(host)) {
            return "host differs from :authority"; // §8.3.1: the two must name the same origin
        }
        if (authority != null && authority.toLowerCase(Locale.ROOT).contains("@")) {
            return ":authority with userinfo"; // §8.3.1: MUST NOT include the deprecated userinfo subcomponent
        }
        return null;
    }
}
