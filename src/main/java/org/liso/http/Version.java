package org.liso.http;

/**
 * The HTTP versions Liso speaks: HTTP/1.0 and 1.1 (RFC 9112 §2.3) and HTTP/2 (RFC 9113), whose version text is what
 * CGI's SERVER_PROTOCOL carries for it (RFC 3875 §4.1.16 takes the protocol's own name); HTTP/2 has no version in its
 * messages, so the text never goes on the wire.
 */
public enum Version {
    HTTP_1_0("HTTP/1.0"), HTTP_1_1("HTTP/1.1"), HTTP_2("HTTP/2");

    private final String text;

    Version(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }
}
