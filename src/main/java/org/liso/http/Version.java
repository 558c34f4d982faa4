package org.liso.http;

/** Interim version; the full codec lands from the http branch. */
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
