package org.liso.fastcgi;

/** The application broke the FastCGI protocol (a bad version, a record it must not send): its fault, a 502. */
final class FastCgiException extends Exception {
    private static final long serialVersionUID = 1L;

    FastCgiException(String message) {
        super(message);
    }
}
