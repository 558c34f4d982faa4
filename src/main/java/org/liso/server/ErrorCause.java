package org.liso.server;

/**
 * Why a response had a 5xx status, as {@code liso_http_server_errors_total{cause=...}} counts it. A 500 is told apart
 * by where the server made it; the other 5xx statuses each name their cause; a 500 the handler chose itself (a CGI
 * script's {@code Status: 500}) is the application's.
 */
public enum ErrorCause {
    /** A handler threw (500). */
    HANDLER_FAULT("handler_fault"),
    /** The handler did not answer within --response-timeout (500). */
    RESPONSE_TIMEOUT("response_timeout"),
    /** The handler's response head was refused by the encoder (500). */
    INVALID_RESPONSE("invalid_response"),
    /** Any other 500 the server made (a script that cannot start, a body that could not be buffered). */
    INTERNAL("internal"),
    /** A 500 the handler or script answered on its own. */
    APPLICATION("application"),
    NOT_IMPLEMENTED("not_implemented"),
    /** 502: a CGI script wrote no valid response. */
    BAD_GATEWAY("bad_gateway"),
    /** 503: every CGI slot busy, or shutting down. */
    UNAVAILABLE("unavailable"),
    /** 504: a CGI script timed out. */
    GATEWAY_TIMEOUT("gateway_timeout"),
    VERSION_NOT_SUPPORTED("version_not_supported"),
    OTHER("other");

    private final String label;

    ErrorCause(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The cause of a response of {@code status} (500..599) the server marked {@code marked} (null: none). */
    static ErrorCause of(int status, ErrorCause marked) {
        return switch (status) {
            case 500 -> marked != null ? marked : APPLICATION;
            case 501 -> NOT_IMPLEMENTED;
            case 502 -> BAD_GATEWAY;
            case 503 -> UNAVAILABLE;
            case 504 -> GATEWAY_TIMEOUT;
            case 505 -> VERSION_NOT_SUPPORTED;
            default -> OTHER;
        };
    }
}
