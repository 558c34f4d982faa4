package org.liso.http;

/** Interim version; the full codec lands from the http branch. */
public enum Method {
    GET, HEAD, POST, PUT, DELETE, CONNECT, OPTIONS, TRACE, PATCH, OTHER;

    public static Method of(String token) {
        for (Method m : values()) {
            if (m != OTHER && m.name().equals(token)) {
                return m;
            }
        }
        return OTHER;
    }

    public boolean implemented() {
        return this == GET || this == HEAD || this == POST;
    }
}
