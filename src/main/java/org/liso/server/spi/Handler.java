package org.liso.server.spi;

import org.liso.http.HttpException;

/**
 * Answers requests. Called on the loop thread once a request head has been parsed, before its body (if any) has
 * been read. The handler answers through {@link Exchange#respond} at once or later (on the loop thread, e.g. from a
 * task a CGI pump handed in); a thrown {@link HttpException} becomes that status's error response.
 */
@FunctionalInterface
public interface Handler {
    void handle(Exchange exchange) throws HttpException;
}
