package org.liso.http;

/** Request methods of RFC 9110 §9 and RFC 5789 (PATCH); anything else is {@link #OTHER}. */
public enum Method {
    GET, HEAD, POST, PUT, DELETE, CONNECT, OPTIONS, TRACE, PATCH, OTHER;

    /** Method names are case-sensitive (RFC 9110 §9.1): "get" is OTHER. */
    public static Method of(String token) {
        switch (token) {
            case "GET": return GET;
            case "HEAD": return HEAD;
            case "POST": return POST;
            case "PUT": return PUT;
            case "DELETE": return DELETE;
            case "CONNECT": return CONNECT;
            case "OPTIONS": return OPTIONS;
            case "TRACE": return TRACE;
            case "PATCH": return PATCH;
            default: return OTHER;
        }
    }

    /** The methods Liso serves; the others get 405 or 501 from the server. */
    public boolean implemented() {
        return this == GET || this == HEAD || this == POST;
    }
}
