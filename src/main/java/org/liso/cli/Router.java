package org.liso.cli;

import org.liso.http.HttpException;
import org.liso.server.spi.Exchange;
import org.liso.server.spi.Handler;

/** {@code /cgi} and everything under {@code /cgi/} go to the CGI handler, the rest to the files. */
final class Router implements Handler {
    private final Handler files;
    private final Handler cgi;

    Router(Handler files, Handler cgi) {
        this.files = files;
        this.cgi = cgi;
    }

    static boolean isCgiPath(String path) {
        return path.equals("/cgi") || path.startsWith("/cgi/") || path.startsWith("/cgi?");
    }

    @Override
    public void handle(Exchange exchange) throws HttpException {
        if (cgi != null && isCgiPath(exchange.request().path())) {
            cgi.handle(exchange);
        } else {
            files.handle(exchange);
        }
    }
}
