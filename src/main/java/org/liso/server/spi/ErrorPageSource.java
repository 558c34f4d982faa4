package org.liso.server.spi;

import org.liso.http.Request;

/**
 * The operator's page for a status the server answers itself — a head it cannot parse, a body too large, a method it
 * does not implement, a script that failed or timed out, a host no site serves — in place of the built-in short HTML
 * ({@code --error-page 502=/502.html}). A handler's own answers are the handler's; this is for the rest.
 *
 * <p>Called on a loop thread while the answer is made: it must be quick (a small file, cached) and never wait on
 * the network. What it throws is logged and the built-in page is sent.
 */
@FunctionalInterface
public interface ErrorPageSource {
    /** The built-in pages only. */
    ErrorPageSource NONE = (request, status) -> null;

    /**
     * @param request the request being answered, or null when its head could not be parsed
     * @return the page to send with {@code status}, or null for the built-in one
     */
    Response page(Request request, int status);
}
