package org.liso.cgi;

import org.liso.http.Headers;

/**
 * A script's response head, checked: the final status and the header fields to send (CGI fields already turned
 * into HTTP). {@code nph} tells that the script wrote a complete HTTP status line itself.
 */
public record CgiHead(int status, Headers headers, boolean nph) {
}
