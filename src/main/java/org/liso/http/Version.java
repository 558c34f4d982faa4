package org.liso.http;

/** The HTTP versions Liso speaks (RFC 9112 §2.3). */
public enum Version {
    HTTP_1_0("HTTP/1.0"), HTTP_1_1("HTTP/1.1");

    private final String text;

    Version(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }
}
